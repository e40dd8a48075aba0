/* The VM definition: the parser's values and refusals, each naming
 * file:line; the checks of what it names (tests/data/vm/seed.conf in a
 * scratch tree); and session-switch-vm.conf(5) against the key table. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "vmconf.h"

#define CONF "/etc/session-switch/vm.conf"

static struct vm_conf conf;
static struct ss_error err;

static int parse(const char *text)
{
	err.msg[0] = '\0';
	return vmconf_parse(CONF, text, &conf, &err);
}

/* seed.conf with the line starting with `key` replaced by `line` ("" drops it) */
static char *seed_with(const char *key, const char *line)
{
	char *text = fixture_vm_seed(), *out = calloc(1, 65536), *p = text;
	size_t klen = strlen(key);
	bool replaced = false;

	assert_non_null(out);
	while (*p) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (!replaced && strncmp(p, key, klen) == 0 && (p[klen] == ' ' || p[klen] == '=')) {
			replaced = true;
			if (*line) {
				strcat(out, line);
				strcat(out, "\n");
			}
		} else {
			strncat(out, p, n);
		}
		p += n;
	}
	assert_true(replaced);
	free(text);
	return out;
}

/* Load text as the scratch tree's vm.conf and check the only VM. */
static int load_and_check(const char *root, const char *text)
{
	struct sysroot sr;
	int r;

	scratch_put("etc/session-switch/vm.conf", text);
	scratch_chmod("etc/session-switch/vm.conf", 0644);
	assert_int_equal(sysroot_open(&sr, root, &err), 0);
	err.msg[0] = '\0';
	r = vmconf_load(&sr, CONF, VMCONF_ANY_OWNER, &conf, &err);
	if (r == 0)
		r = vmconf_check(&sr, conf.path, vmconf_find(&conf, NULL, &err), &err);
	sysroot_close(&sr);
	return r;
}

static void seed_definition(void **state)
{
	char *text = fixture_vm_seed();
	const struct vm_def *vm;

	assert_int_equal(parse(text), 0);
	assert_int_equal(conf.n, 1);
	vm = vmconf_find(&conf, NULL, &err);
	assert_non_null(vm);
	assert_string_equal(vm->name, "win10");
	assert_int_equal(vm->line, 6);
	assert_int_equal(vm->memory_mib, 8192);
	assert_int_equal(vm->sockets * 100 + vm->cores * 10 + vm->threads, 122);
	assert_string_equal(vm->machine, "pc-q35-3.0");
	assert_string_equal(vm->cpu_options, "kvm=off,hv_relaxed,hv_spinlocks=0x1fff,hv_time,hv_vapic");
	assert_string_equal(vm->hv_vendor_id, "0xDEADBEEFFF");
	assert_true(vm->rtc_localtime);
	assert_int_equal(vm->ndisks, 1);
	assert_int_equal(vm->disks[0].format, VM_DISK_QCOW2);
	/* keyboard, mouse, keyboard: the file's order, the seed's order */
	assert_int_equal(vm->ninputs, 3);
	assert_int_equal(vm->inputs[0].kind, VM_KEYBOARD);
	assert_int_equal(vm->inputs[1].kind, VM_MOUSE);
	assert_int_equal(vm->inputs[2].kind, VM_KEYBOARD);
	assert_true(vm->grab_all);
	assert_string_equal(vm->emulator.path, "/usr/bin/qemu-system-x86_64");
	free(text);
}

static void every_default_parses(void **state)
{
	size_t n;
	const struct vm_key *k = vmconf_keys(&n);
	struct vm_def vm;

	for (size_t i = 0; i < n; i++) {
		struct vm_where w = {"(default)", 0, &k[i]};
		if (!k[i].def_is_value)
			continue;
		memset(&vm, 0, sizeof(vm));
		err.msg[0] = '\0';
		if (k[i].set(&vm, k[i].def, &w, &err) != 0)
			fail_msg("the default of %s does not parse: %s", k[i].name, err.msg);
	}
	/* and a minimal VM gets them */
	assert_int_equal(parse("[vm a]\niso = /x.iso\n"), 0);
	assert_int_equal(conf.vm[0].memory_mib, 4096);
	assert_string_equal(conf.vm[0].accel, "kvm");
	assert_string_equal(conf.vm[0].audio, "none");
	assert_int_equal(conf.vm[0].gpu_slot, 0x10);
}

static void values(void **state)
{
	assert_int_equal(parse("[vm a]\nmemory = 1536M\ndisk = /dev/sdb\ndisk = /v/b.img\ndisk = /v/c raw\n"
			       "grab_toggle = scrolllock\ngpu_slot = 1c\n"),
			 0);
	assert_int_equal(conf.vm[0].memory_mib, 1536);
	assert_int_equal(conf.vm[0].ndisks, 3);
	assert_int_equal(conf.vm[0].disks[0].format, VM_DISK_RAW);
	assert_int_equal(conf.vm[0].disks[2].format, VM_DISK_RAW);
	assert_int_equal(conf.vm[0].disks[2].p.line, 5);
	assert_string_equal(conf.vm[0].grab_toggle, "scrolllock");
	assert_int_equal(conf.vm[0].gpu_slot, 0x1c);
	assert_int_equal(parse("[vm a]\nmemory = 2GiB\niso = /i.iso\n[vm b]\niso = /j.iso\n"), 0);
	assert_int_equal(conf.n, 2);
	assert_int_equal(conf.vm[0].memory_mib, 2048);
	assert_string_equal(vmconf_find(&conf, "b", &err)->iso.path, "/j.iso");
}

struct bad {
	const char *text;
	const char *want[2];
};

static void refusals_name_file_and_line(void **state)
{
	static const struct bad cases[] = {
	    {"[vm a]\niso = /i\nmemroy = 8G\n",
	     {CONF ":3: unknown key 'memroy'", "known keys: emulator, memory"}},
	    {"[vm a]\niso = /i\nmemory = 8X\n", {CONF ":3: memory: \"8X\" is not a memory size", "8G"}},
	    {"[vm a]\niso = /i\nmemory = lots\n", {CONF ":3: memory", "not a memory size"}},
	    {"[vm a]\niso = /i\nmemory = 64M\n", {CONF ":3: memory", "at least 128M"}},
	    {"[vm a]\niso = /i\nmemory = 99999999999999999999G\n", {CONF ":3: memory", "not a memory size"}},
	    {"[vm a]\niso = /i\ncores = 0\n", {CONF ":3: cores: \"0\" is not a number from 1 to 256", ""}},
	    {"[vm a]\niso = /i\ncores = two\n", {CONF ":3: cores", "not a number"}},
	    {"[vm a]\niso = /i\nthreads = 2x\n", {CONF ":3: threads", "not a number"}},
	    {"[vm a]\niso = /i\nsockets = -1\n", {CONF ":3: sockets", "not a number"}},
	    {"[vm a]\niso = /i\ncores = 2\ncores = 4\n", {CONF ":4: [vm a] cores is set twice", ""}},
	    {"[vm a]\niso = /i\naccel = hax\n", {CONF ":3: accel", "kvm or tcg"}},
	    {"[vm a]\niso = /i\nmachine = q35,accel=tcg\n", {CONF ":3: machine", "is not a name"}},
	    {"[vm a]\niso = /i\ncpu_options = hv_time,,hv_vapic\n",
	     {CONF ":3: cpu_options", "single commas"}},
	    {"[vm a]\niso = /i\ncpu_options = hv_time;reboot\n", {CONF ":3: cpu_options", "FLAG=VALUE"}},
	    {"[vm a]\niso = /i\ncpu_options = hv_vendor_id=x\n",
	     {CONF ":3: cpu_options", "hv_vendor_id = x"}},
	    {"[vm a]\niso = /i\nhv_vendor_id = 0123456789abc\n", {CONF ":3: hv_vendor_id", "1 to 12"}},
	    {"[vm a]\niso = /i\nrtc = gmt\n", {CONF ":3: rtc", "localtime nor utc"}},
	    {"[vm a]\niso = relative.iso\n", {CONF ":2: iso", "not an absolute path"}},
	    {"[vm a]\niso = /a,file=/etc/shadow\n", {CONF ":2: iso", "','"}},
	    {"[vm a]\ndisk = /v/win\n", {CONF ":2: disk", "disk = /v/win qcow2"}},
	    {"[vm a]\ndisk = /v/win.qcow2 vmdk\n", {CONF ":2: disk", "neither qcow2 nor raw"}},
	    {"[vm a]\niso = /i\nkeyboard = ../event3\n",
	     {CONF ":3: keyboard", "not a name in /dev/input/by-id"}},
	    {"[vm a]\niso = /i\nmouse = a,grab_all=on\n", {CONF ":3: mouse", "not a name"}},
	    {"[vm a]\niso = /i\ngrab_all = maybe\n", {CONF ":3: grab_all", "neither yes nor no"}},
	    {"[vm a]\niso = /i\ndesktop = maybe\n", {CONF ":3: desktop", "neither yes nor no"}},
	    {"[vm a]\niso = /i\ngrab_toggle = f12\n", {CONF ":3: grab_toggle", "ctrl-ctrl"}},
	    {"[vm a]\niso = /i\naudio = sb16\n", {CONF ":3: audio", "ac97"}},
	    {"[vm a]\niso = /i\ngpu_slot = 1\n", {CONF ":3: gpu_slot", "machine's own"}},
	    {"[vm a]\niso = /i\ngpu_slot = 1f\n", {CONF ":3: gpu_slot", "not a number from 1 to 30"}},
	    {"[vm a]\niso = /i\nextra_args = -S\n", {CONF ":3: unknown key 'extra_args'", ""}},
	    {"[vm a]\niso =\n", {CONF ":2: [vm a] iso has no value", ""}},
	    {"memory = 8G\n", {CONF ":1: key 'memory' before any [vm NAME]", ""}},
	    {"[win10]\n", {CONF ":1: unknown section [win10]", "[vm NAME]"}},
	    {"[vm]\n", {CONF ":1:", "the VM's name"}},
	    {"[vm a b]\n", {CONF ":1:", "the VM's name"}},
	    {"[vm a]\niso = /i\n[vm a]\n", {CONF ":3: [vm a] is defined twice", ""}},
	    {"[vm a]\nmemory = 8G\n[vm b]\niso = /i\n", {CONF ":1: [vm a] has no disk, iso or kernel", ""}},
	    {"[vm a]\niso = /i\novmf_code = /c.fd\n", {CONF ":3: [vm a] ovmf_code needs ovmf_vars", ""}},
	    {"[vm a]\niso = /i\novmf_vars = /v.fd\n", {CONF ":3: [vm a] ovmf_vars without ovmf_code", ""}},
	    {"[vm a]\niso = /i\ngarbage\n", {CONF ":3: expected key = value", ""}},
	    {"# nothing\n", {CONF ": defines no VM", ""}},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse(cases[i].text);
		if (r != -EINVAL)
			fail_msg("case %zu (%s) returned %d, not -EINVAL", i, cases[i].text, r);
		for (size_t w = 0; w < 2; w++)
			if (!fixture_contains(err.msg, cases[i].want[w]))
				fail_msg("case %zu: %s", i, cases[i].text);
	}
}

static void find_names_the_vms(void **state)
{
	assert_int_equal(parse("[vm a]\niso = /i\n[vm b]\niso = /j\n"), 0);
	assert_null(vmconf_find(&conf, NULL, &err));
	assert_contains(err.msg, "defines 2 VMs (a, b): name one");
	assert_null(vmconf_find(&conf, "c", &err));
	assert_contains(err.msg, "defines no VM 'c'; it defines: a, b");
}

static void seed_tree_checks_pass(void **state)
{
	const char *root = scratch_new("vmconf");
	char *text = fixture_vm_seed();

	scratch_vm_tree();
	if (load_and_check(root, text) != 0)
		fail_msg("%s", err.msg);
	free(text);
	scratch_free();
}

/* Each refusal of what the definition names: the file, the line of its
 * key, and what to do. */
static void missing_disk(void **state)
{
	const char *root = scratch_new("vmconf");
	char *text = fixture_vm_seed(), p[512];

	scratch_vm_tree();
	snprintf(p, sizeof(p), "%s/tank/vm/photog.qcow2", root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(load_and_check(root, text), -ENOENT);
	assert_contains(err.msg, "etc/session-switch/vm.conf:26: [vm win10] disk:");
	assert_contains(err.msg, "tank/vm/photog.qcow2: does not exist");
	free(text);
	scratch_free();
}

static void world_writable_ovmf(void **state)
{
	const char *root = scratch_new("vmconf");
	char *text = fixture_vm_seed();

	scratch_vm_tree();
	scratch_chmod("usr/share/edk2-ovmf/OVMF_CODE.fd", 0666);
	assert_int_equal(load_and_check(root, text), -EPERM);
	assert_contains(err.msg, "vm.conf:20: [vm win10] ovmf_code:");
	assert_contains(err.msg, "is writable by group or others (mode 0666): chmod go-w "
				 "/usr/share/edk2-ovmf/OVMF_CODE.fd");
	/* group-writable is refused too */
	scratch_chmod("usr/share/edk2-ovmf/OVMF_CODE.fd", 0664);
	assert_int_equal(load_and_check(root, text), -EPERM);
	assert_contains(err.msg, "mode 0664");
	free(text);
	scratch_free();
}

static void unknown_evdev(void **state)
{
	const char *root = scratch_new("vmconf");
	char *text = seed_with("mouse", "mouse = usb-Nobody_Mouse-event-mouse");

	scratch_vm_tree();
	assert_int_equal(load_and_check(root, text), -ENOENT);
	assert_contains(err.msg, "vm.conf:24: [vm win10] mouse:");
	assert_contains(err.msg, "dev/input/by-id/usb-Nobody_Mouse-event-mouse: no such input device");
	free(text);
	/* a by-id link whose device went away is as absent */
	text = fixture_vm_seed();
	scratch_vm_tree();
	scratch_link("../event9", "dev/input/by-id/usb-04d9_USB-HID_Keyboard-event-kbd");
	assert_int_equal(load_and_check(root, text), -ENOENT);
	assert_contains(err.msg, "vm.conf:23: [vm win10] keyboard:");
	free(text);
	scratch_free();
}

static void bad_key_in_the_file(void **state)
{
	const char *root = scratch_new("vmconf");
	char *text = seed_with("memory", "memroy = 8G");

	scratch_vm_tree();
	assert_int_equal(load_and_check(root, text), -EINVAL);
	assert_contains(err.msg, "etc/session-switch/vm.conf:8: unknown key 'memroy' in [vm win10]");
	free(text);
	scratch_free();
}

static void owner_and_iso(void **state)
{
	const char *root = scratch_new("vmconf");
	char *text;

	scratch_vm_tree();
	/* the ISO is optional */
	text = seed_with("iso", "");
	assert_int_equal(load_and_check(root, text), 0);
	assert_int_equal(conf.vm[0].iso.line, 0);
	free(text);
	/* without user =, only root may own the files */
	text = seed_with("user", "");
	if (getuid() == 0) {
		/* root owns what root makes: give the emulator another owner */
		char p[512];
		snprintf(p, sizeof(p), "%s/usr/bin/qemu-system-x86_64", root);
		assert_int_equal(chown(p, 4242, 4242), 0);
	}
	assert_int_equal(load_and_check(root, text), -EPERM);
	assert_contains(err.msg, "vm.conf:6: [vm win10] emulator:");
	assert_contains(err.msg, "neither root nor a [user] of the VM");
	free(text);
	/* a user that is not in /etc/passwd */
	text = seed_with("user", "user = bob");
	assert_int_equal(load_and_check(root, text), -EINVAL);
	assert_contains(err.msg, "vm.conf:7: [vm win10] user: there is no account bob");
	free(text);
	/* the definition itself must not be writable by others */
	text = fixture_vm_seed();
	scratch_put("etc/session-switch/vm.conf", text);
	scratch_chmod("etc/session-switch/vm.conf", 0666);
	{
		struct sysroot sr;
		assert_int_equal(sysroot_open(&sr, root, &err), 0);
		assert_int_equal(vmconf_load(&sr, CONF, VMCONF_ANY_OWNER, &conf, &err), -EPERM);
		assert_contains(err.msg, "vm.conf is writable by group or others");
		sysroot_close(&sr);
	}
	free(text);
	scratch_free();
}

/* session-switch-vm.conf(5) has an entry (.TP, .B key) for every key of
 * the table, saying its default, and none the table lacks. */
static void man_page_matches_the_table(void **state)
{
	char path[4096];
	const char *src = getenv("SS_SRCDIR");
	size_t n;
	const struct vm_key *k = vmconf_keys(&n);
	char *whole, *page, *p, *end;
	size_t entries = 0;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/doc/session-switch-vm.conf.5", src);
	whole = fixture_slurp(path);
	/* the entries are under KEYS, up to the next section */
	page = strstr(whole, "\n.SH KEYS\n");
	assert_non_null(page);
	end = strstr(page + 1, "\n.SH ");
	if (end)
		end[1] = '\0';
	/* roff's \- is the text's - */
	for (char *r = page, *w = page;; r++) {
		if (r[0] == '\\' && r[1] == '-')
			r++;
		*w++ = *r;
		if (!*r)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		char head[128], def[256], *at, *next;
		snprintf(head, sizeof(head), ".TP\n.B %s\n", k[i].name);
		at = strstr(page, head);
		if (!at)
			fail_msg("the man page has no entry for %s", k[i].name);
		next = strstr(at + strlen(head), "\n.TP\n");
		if (next)
			*next = '\0';
		snprintf(def, sizeof(def), "Default: %s.", k[i].def);
		if (!strstr(at, def))
			fail_msg("the entry of %s does not say \"%s\"", k[i].name, def);
		if (next)
			*next = '\n';
	}
	for (p = strstr(page, ".TP\n.B "); p; p = strstr(p + 1, ".TP\n.B ")) {
		char name[64];
		bool known = false;
		size_t len = strcspn(p + 7, "\n");
		snprintf(name, sizeof(name), "%.*s", (int)len, p + 7);
		for (size_t i = 0; i < n; i++)
			known |= strcmp(name, k[i].name) == 0;
		if (!known)
			fail_msg("the man page describes %s, which the table lacks", name);
		entries++;
	}
	assert_int_equal(entries, n);
	free(whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_definition),
	    cmocka_unit_test(every_default_parses),
	    cmocka_unit_test(values),
	    cmocka_unit_test(refusals_name_file_and_line),
	    cmocka_unit_test(find_names_the_vms),
	    cmocka_unit_test(seed_tree_checks_pass),
	    cmocka_unit_test(missing_disk),
	    cmocka_unit_test(world_writable_ovmf),
	    cmocka_unit_test(unknown_evdev),
	    cmocka_unit_test(bad_key_in_the_file),
	    cmocka_unit_test(owner_and_iso),
	    cmocka_unit_test(man_page_matches_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
