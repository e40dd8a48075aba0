/* What strands the way back: each conflict found, with the file and line
 * that cause it, at the severity the switch needs; and nothing else. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "wayback.h"

static struct check checks[32];
static size_t nchecks;

/* The checks for machine m with the wayback w, for why. */
static void run(const struct machine *m, const struct wayback *w, enum wayback_for why)
{
	check_free(checks, nchecks);
	nchecks = 0;
	wayback_checks(w, &m->root, &m->kernel, &m->devs, &m->target, why, checks, &nchecks, 32);
}

static const struct check *named(const char *name)
{
	for (size_t i = 0; i < nchecks; i++)
		if (strcmp(checks[i].name, name) == 0)
			return &checks[i];
	return NULL;
}

static void load(struct machine *m, const char *fixture, const char *conf)
{
	struct ss_error e;
	fixture_machine(m, fixture, conf, MACHINE_OK, &e);
}

/* A wayback of a command line and directives written here. */
static void with(struct wayback *w, const char *cmdline, const char *file, const char *const *lines)
{
	memset(w, 0, sizeof(*w));
	w->cmdline = strdup(cmdline);
	for (size_t i = 0; lines && lines[i]; i++) {
		w->lines = realloc(w->lines, (w->n + 1) * sizeof(*w->lines));
		snprintf(w->lines[w->n].file, sizeof(w->lines[w->n].file), "%s", file);
		w->lines[w->n].line = (int)i + 1;
		w->lines[w->n].text = strdup(lines[i]);
		w->n++;
	}
}

static void ids_entries_match_as_vfio_pci_reads_them(void **state)
{
	struct pci_dev d = {
	    .vendor = 0x10de, .device = 0x1d01, .subvendor = 0x1462, .subdevice = 0x8c98, .class = 0x030000};
	(void)state;
	assert_true(wayback_id_matches("10de:1d01", &d));
	assert_true(wayback_id_matches("10DE:1D01", &d));
	assert_true(wayback_id_matches("10de:1d01:1462:8c98", &d));
	assert_true(wayback_id_matches("10de:1d01:ffffffff:ffffffff", &d));
	assert_true(wayback_id_matches("ffffffff:ffffffff:ffffffff:ffffffff:030000:ff0000", &d));
	assert_false(wayback_id_matches("10de:1d01:1043:8c98", &d));
	assert_false(wayback_id_matches("10de:0fb8", &d));
	assert_false(wayback_id_matches("10de:1d01:ffffffff:ffffffff:040300:ffff00", &d));
	/* what vfio-pci would reject too */
	assert_false(wayback_id_matches("10de", &d));
	assert_false(wayback_id_matches("10de:", &d));
	assert_false(wayback_id_matches("10de:1d01x", &d));
	assert_false(wayback_id_matches("zz:1d01", &d));
	assert_false(wayback_id_matches("", &d));
}

static void every_spelling_of_the_ids_parameter_is_found(void **state)
{
	static const char *const lines[] = {
	    "quiet vfio-pci.ids=10de:1b80,10de:10f0",
	    "quiet vfio_pci.ids=10de:1b80",
	    "quiet pci-stub.ids=10de:10f0",
	    "quiet pci_stub.ids=10de:1b80,10de:10f0",
	    /* the kernel keeps the last one */
	    "vfio-pci.ids=10de:1b80 vfio-pci.ids=1002:67df",
	    NULL,
	};
	static const bool conflict[] = {true, true, true, true, false};
	struct machine m;
	(void)state;
	load(&m, "seed", NULL);
	for (size_t i = 0; lines[i]; i++) {
		struct wayback w;
		with(&w, lines[i], NULL, NULL);
		run(&m, &w, WAYBACK_VM);
		const struct check *c = named("cmdline-ids");
		if (!conflict[i]) {
			if (c)
				fail_msg("\"%s\": %s", lines[i], c->detail);
		} else {
			if (!c)
				fail_msg("\"%s\" not found", lines[i]);
			assert_int_equal(c->status, CHECK_FAIL);
			assert_contains(c->detail, "/proc/cmdline: ");
			assert_contains(c->detail, "0000:01:00.");
			assert_contains(c->fix, "/etc/default/grub");
		}
		wayback_free(&w);
	}
	machine_free(&m);
}

static void a_misspelt_or_foreign_parameter_is_no_conflict(void **state)
{
	static const char *const lines[] = {
	    "vifo-pci.ids=10de:1b80", /* the TRX40 owner's typo: the kernel ignores it */
	    "xvfio-pci.ids=10de:1b80",
	    "vfio-pci.ids_x=10de:1b80",
	    "vfio-pci.disable_vga=1 10de:1b80",
	    "vfio-pci.ids=8086:1901", /* a bridge's ID names nothing the VM gets */
	    NULL,
	};
	struct machine m;
	(void)state;
	load(&m, "seed", NULL);
	for (size_t i = 0; lines[i]; i++) {
		struct wayback w;
		with(&w, lines[i], NULL, NULL);
		run(&m, &w, WAYBACK_VM);
		if (named("cmdline-ids"))
			fail_msg("\"%s\" taken for vfio-pci.ids", lines[i]);
		wayback_free(&w);
	}
	machine_free(&m);
}

static void the_way_back_warns_with_a_host_driver_and_fails_without(void **state)
{
	struct machine m;
	struct wayback w;
	(void)state;
	with(&w, "vfio-pci.ids=10de:1b80,10de:10f0", NULL, NULL);
	load(&m, "seed-vm", NULL);
	run(&m, &w, WAYBACK_HOST);
	assert_int_equal(named("cmdline-ids")->status, CHECK_FAIL);
	assert_contains(named("cmdline-ids")->detail, "set [host] drivers");
	machine_free(&m);
	load(&m, "seed-vm", "[host]\ndrivers = 01:00.0=nvidia 01:00.1=snd_hda_intel\n");
	run(&m, &w, WAYBACK_HOST);
	assert_int_equal(named("cmdline-ids")->status, CHECK_WARN);
	/* and a switch to vm refuses either way */
	run(&m, &w, WAYBACK_VM);
	assert_int_equal(named("cmdline-ids")->status, CHECK_FAIL);
	machine_free(&m);
	wayback_free(&w);
}

static void ids_that_claim_the_hosts_gpu_always_fail(void **state)
{
	struct machine m;
	struct wayback w;
	(void)state;
	with(&w, "vfio-pci.ids=8086:3e92", NULL, NULL);
	load(&m, "seed", NULL);
	run(&m, &w, WAYBACK_HOST);
	assert_int_equal(named("cmdline-ids")->status, CHECK_FAIL);
	assert_contains(named("cmdline-ids")->detail, "0000:00:02.0 [8086:3e92], among them the host's GPU");
	machine_free(&m);
	wayback_free(&w);
}

static void modprobe_options_name_their_file_and_line(void **state)
{
	static const char *const lines[] = {
	    "softdep nvidia pre: vfio-pci",
	    "options vfio_pci disable_vga=1 ids=10de:10f0",
	    "options snd_hda_intel ids=10de:10f0",
	    NULL,
	};
	struct machine m;
	struct wayback w;
	(void)state;
	with(&w, "", "/etc/modprobe.d/vfio.conf", lines);
	load(&m, "seed", NULL);
	run(&m, &w, WAYBACK_DOCTOR);
	assert_int_equal(nchecks, 1);
	assert_string_equal(checks[0].name, "modprobe-ids");
	assert_int_equal(checks[0].status, CHECK_FAIL);
	assert_contains(checks[0].detail,
			"/etc/modprobe.d/vfio.conf:2: options vfio_pci disable_vga=1 ids=10de:10f0 "
			"names 0000:01:00.1 [10de:10f0]");
	assert_contains(checks[0].fix, "delete ids=10de:10f0 from /etc/modprobe.d/vfio.conf:2");
	assert_contains(checks[0].fix, "initramfs");
	machine_free(&m);
	wayback_free(&w);
}

static void a_blacklist_warns_and_a_disabling_install_fails(void **state)
{
	static const char *const lines[] = {
	    "blacklist nouveau",
	    "blacklist nvidia",
	    "install nvidia /bin/false",
	    "install snd-hda-intel /sbin/modprobe --ignore-install snd_hda_intel",
	    NULL,
	};
	struct machine m;
	struct wayback w;
	(void)state;
	with(&w, "modprobe.blacklist=nvidia module_blacklist=snd_hda_intel", "/etc/modprobe.d/gpu.conf",
	     lines);
	load(&m, "seed", NULL);
	run(&m, &w, WAYBACK_DOCTOR);
	size_t warns = 0, fails = 0;
	for (size_t i = 0; i < nchecks; i++) {
		warns += checks[i].status == CHECK_WARN;
		fails += checks[i].status == CHECK_FAIL;
	}
	/* blacklist nvidia (file) and modprobe.blacklist=nvidia warn; nouveau
	 * is no host driver here; the no-op install and module_blacklist fail;
	 * the install that loads the module is fine */
	assert_int_equal(warns, 2);
	assert_int_equal(fails, 2);
	bool file_line = false, noop = false, kernel_refuses = false;
	for (size_t i = 0; i < nchecks; i++) {
		file_line |=
		    strstr(checks[i].detail, "/etc/modprobe.d/gpu.conf:2: \"blacklist nvidia\"") != NULL &&
		    checks[i].status == CHECK_WARN;
		noop |= strstr(checks[i].detail, "gpu.conf:3: \"install nvidia /bin/false\"") != NULL;
		kernel_refuses |= strstr(checks[i].detail, "module_blacklist=snd_hda_intel") != NULL;
	}
	assert_true(file_line);
	assert_true(noop);
	assert_true(kernel_refuses);
	machine_free(&m);
	wayback_free(&w);
}

static void a_host_driver_without_a_module_fails(void **state)
{
	struct machine m;
	struct wayback w;
	(void)state;
	with(&w, "", NULL, NULL);
	/* the i7-7700's post lists nouveau as the card's only module */
	load(&m, "i7700-rtx2060-ids", "[host]\ndrivers = 01:00.0=nvidia 01:00.3=nvidia-gpu\n");
	run(&m, &w, WAYBACK_HOST);
	const struct check *c = named("host-module");
	assert_non_null(c);
	assert_int_equal(c->status, CHECK_FAIL);
	assert_contains(c->detail,
			"the host driver nvidia of 0000:01:00.0 is neither loaded, built in, nor in "
			"/lib/modules/6.2.6-arch1-1");
	/* one check only: nvidia-gpu comes from i2c-nvidia-gpu.ko, which is there */
	size_t n = 0;
	for (size_t i = 0; i < nchecks; i++)
		n += strcmp(checks[i].name, "host-module") == 0;
	assert_int_equal(n, 1);
	machine_free(&m);
	wayback_free(&w);
}

static void kernel_finds_a_drivers_module_by_its_name_or_suffix(void **state)
{
	struct machine m;
	char mod[64];
	(void)state;
	load(&m, "i7700-rtx2060-ids", NULL);
	assert_int_equal(kernel_driver_module(&m.root, &m.kernel, "nouveau", mod, sizeof(mod)),
			 KMOD_LOADABLE);
	assert_string_equal(mod, "nouveau");
	assert_int_equal(kernel_driver_module(&m.root, &m.kernel, "nvidia-gpu", mod, sizeof(mod)),
			 KMOD_LOADABLE);
	assert_string_equal(mod, "i2c-nvidia-gpu");
	assert_int_equal(kernel_driver_module(&m.root, &m.kernel, "snd_hda_intel", mod, sizeof(mod)),
			 KMOD_LOADABLE);
	assert_string_equal(mod, "snd-hda-intel");
	assert_int_equal(kernel_driver_module(&m.root, &m.kernel, "nvidia", mod, sizeof(mod)), KMOD_MISSING);
	/* a name that only ends a module's name without a separator is not it */
	assert_int_equal(kernel_driver_module(&m.root, &m.kernel, "veau", mod, sizeof(mod)), KMOD_MISSING);
	machine_free(&m);
	load(&m, "xps9570-optimus", NULL);
	assert_int_equal(kernel_driver_module(&m.root, &m.kernel, "vfio-pci", mod, sizeof(mod)),
			 KMOD_BUILTIN);
	machine_free(&m);
}

/* modprobe.d as modprobe reads it: *.conf only, /etc hides the same name
 * in /lib, continuations joined, comments skipped, lines counted. */
static void modprobe_d_is_read_as_modprobe_reads_it(void **state)
{
	struct sysroot sr;
	struct wayback w;
	struct ss_error e;
	(void)state;
	const char *root = scratch_new("wayback");
	scratch_mkdir("proc");
	scratch_put("proc/cmdline", "ro quiet\n");
	scratch_mkdir("etc");
	scratch_mkdir("etc/modprobe.d");
	scratch_mkdir("lib");
	scratch_mkdir("lib/modprobe.d");
	scratch_put("etc/modprobe.d/vfio.conf", "# the card\n\n  options vfio-pci \\\n    ids=10de:1b80\n");
	scratch_put("lib/modprobe.d/vfio.conf", "options vfio-pci ids=dead:beef\n");
	scratch_put("lib/modprobe.d/aaa.conf", "blacklist  nouveau   \n");
	scratch_put("etc/modprobe.d/notes.txt", "options vfio-pci ids=10de:10f0\n");
	assert_int_equal(sysroot_open(&sr, root, &e), 0);
	assert_int_equal(wayback_load(&sr, &w, &e), 0);
	assert_string_equal(w.cmdline, "ro quiet");
	assert_int_equal(w.n, 2);
	assert_string_equal(w.lines[0].file, "/lib/modprobe.d/aaa.conf");
	assert_string_equal(w.lines[0].text, "blacklist nouveau");
	assert_string_equal(w.lines[1].file, "/etc/modprobe.d/vfio.conf");
	assert_int_equal(w.lines[1].line, 3);
	assert_string_equal(w.lines[1].text, "options vfio-pci ids=10de:1b80");
	assert_string_equal(w.unread, "");
	wayback_free(&w);
	sysroot_close(&sr);
	scratch_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ids_entries_match_as_vfio_pci_reads_them),
	    cmocka_unit_test(every_spelling_of_the_ids_parameter_is_found),
	    cmocka_unit_test(a_misspelt_or_foreign_parameter_is_no_conflict),
	    cmocka_unit_test(the_way_back_warns_with_a_host_driver_and_fails_without),
	    cmocka_unit_test(ids_that_claim_the_hosts_gpu_always_fail),
	    cmocka_unit_test(modprobe_options_name_their_file_and_line),
	    cmocka_unit_test(a_blacklist_warns_and_a_disabling_install_fails),
	    cmocka_unit_test(a_host_driver_without_a_module_fails),
	    cmocka_unit_test(kernel_finds_a_drivers_module_by_its_name_or_suffix),
	    cmocka_unit_test(modprobe_d_is_read_as_modprobe_reads_it),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	check_free(checks, nchecks);
	return r;
}
