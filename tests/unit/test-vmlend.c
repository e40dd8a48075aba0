/* What `play` lends and what its QEMU gets (src/lib/vmlend.c), and the
 * refusals before anything moves that need no root: a vm.conf that root
 * does not own, an emulator that others can write or that is the user's,
 * a missing input device.  The direct-kernel keys (kernel, initrd,
 * append, serial) and return = no, parsed and in the argv. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "vmargv.h"
#include "vmconf.h"
#include "vmlend.h"

#define CONF "/etc/session-switch/vm.conf"

static struct vm_conf conf;
static struct ss_error err;

/* The seed's machine (its devices and groups), its /dev from a scratch
 * tree with the seed's input devices. */
static const char *seed_machine(struct machine *m, struct vm_hostdev hd[SS_MAX_FUNCS], size_t *nhd)
{
	const char *root = scratch_new("vmlend");

	scratch_vm_tree();
	fixture_machine(m, "seed", NULL, MACHINE_OK, &err);
	assert_int_equal(vm_hostdevs(m, hd, nhd, &err), 0);
	sysroot_close(&m->root);
	assert_int_equal(sysroot_open(&m->root, root, &err), 0);
	return root;
}

static const struct vm_def *seed_vm(const char *text)
{
	assert_int_equal(vmconf_parse(CONF, text, &conf, &err), 0);
	return vmconf_find(&conf, NULL, &err);
}

static void lends_the_group_once_and_each_event_device(void **state)
{
	struct vm_hostdev hd[SS_MAX_FUNCS];
	struct machine m;
	struct lend l;
	size_t nhd = 0;
	char *text = fixture_vm_seed();
	char want[32];
	const struct pci_dev *d;

	seed_machine(&m, hd, &nhd);
	assert_int_equal(nhd, 2); /* the card's VGA and audio functions */
	assert_int_equal(vm_lend_plan(&m, CONF, seed_vm(text), hd, nhd, &l, &err), 0);
	d = pci_find(&m.devs, &hd[0].addr);
	assert_non_null(d);
	assert_true(d->iommu_group >= 0);
	assert_int_equal(pci_find(&m.devs, &hd[1].addr)->iommu_group, d->iommu_group);
	snprintf(want, sizeof(want), "/dev/vfio/%d", d->iommu_group);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.node[0].path, want);
	assert_string_equal(l.node[1].path, "/dev/input/event3");
	assert_string_equal(l.node[2].path, "/dev/input/event4");
	assert_string_equal(l.node[3].path, "/dev/input/event5");
	machine_free(&m);
	scratch_free();
	free(text);
	(void)state;
}

static void a_missing_input_device_is_refused_with_its_line(void **state)
{
	struct vm_hostdev hd[SS_MAX_FUNCS];
	struct machine m;
	struct lend l;
	size_t nhd = 0;
	char *text = fixture_vm_seed();
	char path[4096];
	const char *root = seed_machine(&m, hd, &nhd);

	snprintf(path, sizeof(path), "%s/dev/input/by-id/usb-04d9_USB-HID_Keyboard-event-kbd", root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(vm_lend_plan(&m, CONF, seed_vm(text), hd, nhd, &l, &err), -ENOENT);
	assert_contains(err.msg, CONF ":23: [vm win10] keyboard: ");
	assert_contains(err.msg, "no such input device");
	/* a link that leads elsewhere than an event device */
	scratch_link("../mice", "dev/input/by-id/usb-04d9_USB-HID_Keyboard-event-kbd");
	assert_int_equal(vm_lend_plan(&m, CONF, seed_vm(text), hd, nhd, &l, &err), -EINVAL);
	assert_contains(err.msg, "not to an event device");
	machine_free(&m);
	scratch_free();
	free(text);
	(void)state;
}

static void the_record_round_trips_and_names_only_lendable_nodes(void **state)
{
	struct lend l = {.n = 2}, back;
	char buf[1024];

	snprintf(l.node[0].path, sizeof(l.node[0].path), "/dev/vfio/12");
	l.node[0].mode = 0600;
	snprintf(l.node[1].path, sizeof(l.node[1].path), "/dev/input/event3");
	l.node[1].gid = 104;
	l.node[1].mode = 0660;
	assert_true(vm_lend_format(&l, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "node /dev/vfio/12 0 0 0600\nnode /dev/input/event3 0 104 0660\n");
	assert_int_equal(vm_lend_parse(buf, "lent", &back, &err), 0);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.node[1].path, "/dev/input/event3");
	assert_int_equal(back.node[1].gid, 104);
	assert_int_equal(back.node[1].mode, 0660);
	assert_int_equal(vm_lend_parse("node /etc/shadow 0 0 0600\n", "lent", &back, &err), -EINVAL);
	assert_contains(err.msg, "lent:1: /etc/shadow is not a node that play lends");
	assert_int_equal(vm_lend_parse("node /dev/vfio/../sda 0 0 0600\n", "lent", &back, &err), -EINVAL);
	assert_int_equal(vm_lend_parse("node /dev/vfio/vfio 0 0 0600\n", "lent", &back, &err), -EINVAL);
	assert_int_equal(vm_lend_parse("node /dev/vfio/1 0 0\n", "lent", &back, &err), -EINVAL);
	assert_contains(err.msg, "lent:1: expected node PATH UID GID MODE");
	assert_int_equal(vm_lend_format(&l, buf, 10), -ENAMETOOLONG);
	(void)state;
}

static void memlock_covers_the_guest_and_a_margin(void **state)
{
	char *text = fixture_vm_seed();
	const struct vm_def *vm = seed_vm(text);

	assert_int_equal(vm->memory_mib, 8192);
	assert_true(vm_memlock_bytes(vm) == (8192ULL + 1024) << 20);
	free(text);
	(void)state;
}

static void the_child_environment_is_the_users_alone(void **state)
{
	char buf[512], *env[VM_ENV_MAX];
	static const char *const want[] = {"PATH=/usr/bin:/bin",
					   "HOME=/home/alice",
					   "USER=alice",
					   "LOGNAME=alice",
					   "XDG_RUNTIME_DIR=/run/user/1000",
					   "LANG=C"};
	size_t n = 0;

	setenv("LD_PRELOAD", "/tmp/evil.so", 1);
	assert_int_equal(vm_child_env("alice", 1000, "/home/alice", buf, sizeof(buf), env), 0);
	while (env[n])
		n++;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(env[i], want[i]);
	assert_int_equal(vm_child_env("alice", 1000, "/home/alice", buf, 40, env), -ENAMETOOLONG);
	unsetenv("LD_PRELOAD");
	(void)state;
}

/* The helper reads vm.conf with owner 0: a file of anyone else is
 * refused, through the descriptor, before anything moves. */
static void a_vm_conf_root_does_not_own_is_refused(void **state)
{
	const char *root = scratch_new("vmowner");
	char *text = fixture_vm_seed();
	struct sysroot sr;

	char path[4096];
	uid_t owner = getuid() == 0 ? 65534 : getuid();

	scratch_vm_tree();
	scratch_put("etc/session-switch/vm.conf", text);
	scratch_chmod("etc/session-switch/vm.conf", 0644);
	snprintf(path, sizeof(path), "%s/etc/session-switch/vm.conf", root);
	/* run as root, the file is made someone else's */
	assert_int_equal(getuid() == 0 ? chown(path, owner, (gid_t)-1) : 0, 0);
	assert_int_equal(sysroot_open(&sr, root, &err), 0);
	assert_int_equal(vmconf_load(&sr, CONF, 0, &conf, &err), -EPERM);
	assert_contains(err.msg, "vm.conf is owned by uid ");
	assert_contains(err.msg, "not 0: chown root:root " CONF);
	assert_int_equal(vmconf_load(&sr, CONF, owner, &conf, &err), 0);
	sysroot_close(&sr);
	scratch_free();
	free(text);
	(void)state;
}

/* The emulator of a play is root's alone: writable by others, or the
 * VM's user's own (which vm-config accepts), it is refused. */
static void an_emulator_others_can_change_is_refused(void **state)
{
	const char *root = scratch_new("vmemu");
	char *text = fixture_vm_seed();
	const struct vm_def *vm;
	struct sysroot sr;

	scratch_vm_tree();
	assert_int_equal(sysroot_open(&sr, root, &err), 0);
	vm = seed_vm(text);
	scratch_chmod("usr/bin/qemu-system-x86_64", 0646);
	assert_int_equal(vmconf_open_emulator(&sr, CONF, vm, &err), -EPERM);
	assert_contains(err.msg, CONF ":6: [vm win10] emulator: ");
	assert_contains(err.msg, "writable by group or others (mode 0646)");
	scratch_chmod("usr/bin/qemu-system-x86_64", 0755);
	if (getuid() == 0) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/usr/bin/qemu-system-x86_64", root);
		assert_int_equal(chown(path, 65534, (gid_t)-1), 0);
	} else {
		/* user = alice is this uid: vm-config's check lets it through */
		assert_int_equal(vmconf_check(&sr, CONF, vm, &err), 0);
	}
	assert_int_equal(vmconf_open_emulator(&sr, CONF, vm, &err), -EPERM);
	assert_contains(err.msg, "neither root nor a [user] of the VM");
	sysroot_close(&sr);
	scratch_free();
	free(text);
	(void)state;
}

/* Every directory above the emulator is checked on the way down, and no
 * link is followed: one that others can write, or a link, is refused
 * naming it; a directory checked before the file, so the refusal needs
 * no root. */
static void a_directory_above_the_emulator_others_can_change_is_refused(void **state)
{
	const char *root = scratch_new("vmemudir");
	char *text = fixture_vm_seed();
	const struct vm_def *vm;
	struct sysroot sr;

	scratch_vm_tree();
	scratch_chmod(".", 0755);
	scratch_chmod("usr", 0755);
	scratch_chmod("usr/bin", 0775);
	assert_int_equal(sysroot_open(&sr, root, &err), 0);
	vm = seed_vm(text);
	assert_int_equal(vmconf_open_emulator(&sr, CONF, vm, &err), -EPERM);
	assert_contains(err.msg,
			CONF ":6: [vm win10] emulator: /usr/bin/qemu-system-x86_64: the directory "
			     "/usr/bin is writable by group or others (mode 0775): chmod go-w /usr/bin");
	scratch_chmod("usr/bin", 0755);
	scratch_chmod("usr", 0757);
	assert_int_equal(vmconf_open_emulator(&sr, CONF, vm, &err), -EPERM);
	assert_contains(err.msg, "the directory /usr is writable by group or others (mode 0757)");
	/* /usr/bin a link to a directory that is fine itself: refused all
	 * the same, what it leads to would be looked up again at the exec */
	scratch_chmod("usr", 0755);
	scratch_mkdir_p("usr/lib/qemu");
	scratch_chmod("usr/lib", 0755);
	scratch_chmod("usr/lib/qemu", 0755);
	scratch_put("usr/lib/qemu/qemu-system-x86_64", "x\n");
	{
		char a[4096], b[4096];
		snprintf(a, sizeof(a), "%s/usr/bin", root);
		snprintf(b, sizeof(b), "%s/usr/bin.old", root);
		assert_int_equal(rename(a, b), 0);
	}
	scratch_link("lib/qemu", "usr/bin");
	assert_int_equal(vmconf_open_emulator(&sr, CONF, vm, &err), -EPERM);
	assert_contains(err.msg, "/usr/bin is a symbolic link: name the emulator by the path it leads to");
	sysroot_close(&sr);
	scratch_free();
	free(text);
	(void)state;
}

/* The plan pins each event device (its device number and inode, read
 * without following a link); the lend refuses a node that is another
 * file since, and takes a /dev/vfio/N (made by the switch) as it is. */
static void an_event_device_replaced_since_the_plan_is_not_the_same(void **state)
{
	struct vm_hostdev hd[SS_MAX_FUNCS];
	struct machine m;
	struct lend l;
	struct stat st;
	size_t nhd = 0;
	char *text = fixture_vm_seed();
	char path[4096];
	const char *root = seed_machine(&m, hd, &nhd);

	assert_int_equal(vm_lend_plan(&m, CONF, seed_vm(text), hd, nhd, &l, &err), 0);
	assert_false(l.node[0].pinned);
	assert_true(l.node[1].pinned);
	snprintf(path, sizeof(path), "%s/dev/input/event3", root);
	assert_int_equal(stat(path, &st), 0);
	assert_true(vm_lend_same(&l.node[1], &st));
	assert_true(vm_lend_same(&l.node[0], &st));
	/* the keyboard unplugged, its number taken by another device */
	assert_int_equal(unlink(path), 0);
	scratch_put("dev/input/event2", "x\n");
	scratch_put("dev/input/event3", "y\n");
	assert_int_equal(stat(path, &st), 0);
	assert_false(vm_lend_same(&l.node[1], &st));
	machine_free(&m);
	scratch_free();
	free(text);
	(void)state;
}

static const char tiny[] = "[vm tiny]\n"
			   "memory = 128M\n"
			   "accel = tcg\n"
			   "machine = pc\n"
			   "cpu = max\n"
			   "kernel = /boot/vmlinuz\n"
			   "initrd = /var/lib/tiny/initrd.gz\n"
			   "append = console=ttyS0 panic=-1 quiet\n"
			   "serial = /tmp/tiny.serial\n"
			   "return = no\n";

static void a_direct_kernel_vm_boots_its_kernel_on_a_serial_file(void **state)
{
	struct vm_hostdev hd = {{0, 1, 0, 0}, true};
	struct vm_argv a;
	const struct vm_def *vm = seed_vm(tiny);
	char joined[4096] = "";

	assert_false(vm->return_host);
	assert_int_equal(vm_argv_build(vm, &hd, 1, &a, &err), 0);
	for (size_t i = 0; i < a.n; i++)
		snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s", i ? "|" : "",
			 a.v[i]);
	assert_string_equal(a.v[0], "/usr/bin/qemu-system-x86_64");
	assert_contains(joined, "|-machine|pc,accel=tcg|");
	assert_contains(joined, "|-device|vfio-pci,host=0000:01:00.0,addr=10.0,x-vga=on|");
	assert_contains(joined,
			"|-kernel|/boot/vmlinuz|-initrd|/var/lib/tiny/initrd.gz|-append|console=ttyS0 "
			"panic=-1 quiet|-display|none|-serial|file:/tmp/tiny.serial");
	assert_false(fixture_contains(joined, "-enable-kvm"));
	vm_argv_free(&a);
	/* the default: back to host */
	assert_true(seed_vm("[vm k]\nkernel = /boot/vmlinuz\n")->return_host);
	/* the "Windows VM" session's desktop meanwhile: yes unless said */
	assert_true(seed_vm("[vm k]\nkernel = /boot/vmlinuz\n")->desktop);
	assert_false(seed_vm("[vm k]\nkernel = /boot/vmlinuz\ndesktop = no\n")->desktop);
	(void)state;
}

static void direct_kernel_keys_are_checked(void **state)
{
	assert_int_equal(vmconf_parse(CONF, "[vm k]\nkernel = /boot/vmlinuz\nappend = a,b\n", &conf, &err),
			 -EINVAL);
	assert_contains(err.msg, CONF ":3: append: ',' is not allowed");
	assert_int_equal(vmconf_parse(CONF, "[vm k]\niso = /x.iso\ninitrd = /i\n", &conf, &err), -EINVAL);
	assert_contains(err.msg, "initrd and append are for a kernel");
	assert_int_equal(vmconf_parse(CONF, "[vm k]\nmemory = 1G\n", &conf, &err), -EINVAL);
	assert_contains(err.msg, "has no disk, iso or kernel");
	assert_int_equal(vmconf_parse(CONF, "[vm k]\nkernel = /k\nreturn = maybe\n", &conf, &err), -EINVAL);
	assert_contains(err.msg, CONF ":3: return: \"maybe\" is neither yes nor no");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lends_the_group_once_and_each_event_device),
	    cmocka_unit_test(a_missing_input_device_is_refused_with_its_line),
	    cmocka_unit_test(the_record_round_trips_and_names_only_lendable_nodes),
	    cmocka_unit_test(memlock_covers_the_guest_and_a_margin),
	    cmocka_unit_test(the_child_environment_is_the_users_alone),
	    cmocka_unit_test(a_vm_conf_root_does_not_own_is_refused),
	    cmocka_unit_test(an_emulator_others_can_change_is_refused),
	    cmocka_unit_test(a_directory_above_the_emulator_others_can_change_is_refused),
	    cmocka_unit_test(an_event_device_replaced_since_the_plan_is_not_the_same),
	    cmocka_unit_test(a_direct_kernel_vm_boots_its_kernel_on_a_serial_file),
	    cmocka_unit_test(direct_kernel_keys_are_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
