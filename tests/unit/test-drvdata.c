/* The driver data file (data/nvidia.conf): what it may say, how the
 * shipped file and the administrator's one combine, and what a card's
 * nodes, minor and file-less hold come to. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drvdata.h"
#include "fixture.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	assert_non_null(f);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

static void the_shipped_nvidia_file_parses(void **state)
{
	char path[4096], *text;
	struct drvdata d = {0};
	struct ss_error e;

	snprintf(path, sizeof(path), "%s/data/nvidia.conf", getenv("SS_SRCDIR"));
	text = slurp(path);
	assert_int_equal(drvdata_parse(text, path, &d, &e), 0);
	assert_int_equal(d.nmodules, 4);
	assert_string_equal(d.modules[0], "nvidia_drm");
	assert_string_equal(d.modules[3], "nvidia");
	assert_string_equal(d.services[0], "nvidia-persistenced");
	assert_string_equal(d.nodes[0], "/dev/nvidia%m");
	assert_int_equal(d.nshared, 4);
	assert_string_equal(d.persistence, "");
	assert_int_equal(d.npm_off, 5);
	assert_string_equal(d.pm_off[0], "/usr/bin/nvidia-smi");
	assert_string_equal(d.pm_off[2], "%a");
	assert_string_equal(d.pm_off[4], "0");
	assert_int_equal(d.npm_on, 5);
	assert_string_equal(d.pm_on[4], "1");
	assert_string_equal(d.version[0], "/proc/driver/nvidia/version");
	assert_int_equal(d.nuserspace, 6);
	free(text);
}

/* The loaded module's version against the user-space driver's: the first
 * version file that says one, the library whose name ends in the same
 * version when several are installed. */
static void the_module_and_the_user_space_driver_are_compared(void **state)
{
	struct sysroot sr;
	struct drvdata d = {0};
	struct drvdata_versions v;
	struct ss_error e;

	sysroot_open(&sr, scratch_new("drvdata"), &e);
	assert_int_equal(
	    drvdata_parse("version = /proc/driver/nvidia/version /sys/module/nvidia/version\n"
			  "userspace = /usr/lib64/libnvidia-glcore.so.* /usr/lib/libnvidia-ml.so.*\n",
			  "d", &d, &e),
	    0);
	drvdata_versions(&sr, &d, &v);
	assert_string_equal(v.kernel, "");
	assert_string_equal(v.user, "");
	assert_false(v.match);
	scratch_mkdir_p("proc/driver/nvidia");
	scratch_put(
	    "proc/driver/nvidia/version",
	    "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.154.05  Thu Dec 28 15:37:48 UTC 2023\n"
	    "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n");
	scratch_mkdir_p("usr/lib64");
	scratch_put("usr/lib64/libnvidia-glcore.so.550.54.14", "");
	scratch_put("usr/lib64/libnvidia-glcore.so", ""); /* no version: not the driver's */
	drvdata_versions(&sr, &d, &v);
	assert_string_equal(v.kernel, "535.154.05");
	assert_string_equal(v.kernel_from, "/proc/driver/nvidia/version");
	assert_string_equal(v.user, "550.54.14");
	assert_string_equal(v.user_from, "/usr/lib64/libnvidia-glcore.so.550.54.14");
	assert_false(v.match);
	/* an older library left beside the new one: the matching one counts */
	scratch_mkdir_p("usr/lib");
	scratch_put("usr/lib/libnvidia-ml.so.535.154.05", "");
	drvdata_versions(&sr, &d, &v);
	assert_true(v.match);
	assert_string_equal(v.user_from, "/usr/lib/libnvidia-ml.so.535.154.05");
	/* the module's own version attribute, where /proc says none */
	scratch_put("proc/driver/nvidia/version", "no version here\n");
	scratch_mkdir_p("sys/module/nvidia");
	scratch_put("sys/module/nvidia/version", "550.54.14\n");
	drvdata_versions(&sr, &d, &v);
	assert_string_equal(v.kernel, "550.54.14");
	assert_string_equal(v.kernel_from, "/sys/module/nvidia/version");
	assert_true(v.match);
	assert_string_equal(v.user_from, "/usr/lib64/libnvidia-glcore.so.550.54.14");
	sysroot_close(&sr);
	scratch_free();
}

static void bad_lines_are_named(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"modules = nvidia/x\n", "d:1: modules: \"nvidia/x\" is not a module name"},
	    {"nodes = /etc/shadow\n", "not a path below /dev/"},
	    {"nodes = /dev/../etc/shadow\n", "not a path below /dev/"},
	    {"nodes = /dev/nvidia%s\n", "not a path below /dev/"},
	    {"minor = /etc/x\n", "not a path below /sys/ or /proc/"},
	    {"colour = red\n", "unknown key \"colour\""},
	    {"persistence_off = nvidia-smi -pm 0\n", "\"nvidia-smi\" is not a program's absolute path"},
	    {"persistence_off = /usr/%a/smi\n", "is not a program's absolute path"},
	    {"persistence_off = /usr/../tmp/smi\n", "is not a program's absolute path"},
	    {"persistence_on = /usr/bin/nvidia-smi -pm 1;reboot\n", "\"1;reboot\" is not a plain argument"},
	    {"persistence_on = /usr/bin/nvidia-smi $(id)\n", "\"$(id)\" is not a plain argument"},
	    {"persistence_on = /usr/bin/nvidia-smi -i %m\n", "\"%m\" is not a plain argument"},
	    {"persistence_on = /bin/x 1 2 3 4 5 6 7 8\n", "persistence_on: more than 8 entries"},
	    {"version = /etc/nvidia-version\n",
	     "\"/etc/nvidia-version\" is not a path below /sys/ or /proc/"},
	    {"userspace = /usr/lib/libnvidia-ml.so.1\n", "ending in *, the version"},
	    {"userspace = /home/u/libnvidia-ml.so.*\n", "ending in *, the version"},
	    {"userspace = /usr/lib/*\n", "ending in *, the version"},
	    {"userspace = /usr/../etc/x*\n", "ending in *, the version"},
	    {"\nmodules\n", "d:2: expected key=value"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct drvdata d = {0};
		struct ss_error e;
		if (drvdata_parse(cases[i].text, "d", &d, &e) != -EINVAL)
			fail_msg("case %zu parsed: %s", i, cases[i].text);
		assert_contains(e.msg, cases[i].want);
	}
}

/* The administrator's file replaces the keys it gives and keeps the rest. */
static void the_local_file_overrides_key_by_key(void **state)
{
	struct sysroot sr;
	struct drvdata d;
	struct ss_error e;

	sysroot_open(&sr, scratch_new("drvdata"), &e);
	/* the directories configure chose, below the scratch root */
	scratch_mkdir_p(DRIVERS_DATADIR + 1);
	scratch_mkdir_p(DRIVERS_CONFDIR + 1);
	scratch_put(DRIVERS_DATADIR "/nvidia.conf" + 1,
		    "modules = nvidia_drm nvidia\nservices = nvidia-persistenced\nnodes = /dev/nvidia%m\n");
	scratch_put(
	    DRIVERS_CONFDIR "/nvidia.conf" + 1,
	    "services = nvidia-persistenced nvidia-powerd\npersistence = /sys/module/nvidia/parameters/p\n");
	assert_int_equal(drvdata_load(&sr, "nvidia", false, &d, &e), 0);
	assert_true(d.found);
	assert_int_equal(d.nmodules, 2);
	assert_int_equal(d.nservices, 2);
	assert_string_equal(d.persistence, "/sys/module/nvidia/parameters/p");
	assert_contains(d.from, DRIVERS_CONFDIR "/nvidia.conf");
	/* the helper trusts only root's files: these are the test user's */
	if (geteuid() != 0) {
		assert_int_equal(drvdata_load(&sr, "nvidia", true, &d, &e), -EPERM);
		assert_contains(e.msg, "owned by root");
	}
	/* a driver with no file has nothing to say; a name with a slash is no file name */
	assert_int_equal(drvdata_load(&sr, "snd_hda_intel", true, &d, &e), 0);
	assert_false(d.found);
	assert_int_equal(drvdata_load(&sr, "../../etc/x", true, &d, &e), 0);
	assert_false(d.found);
	sysroot_close(&sr);
	scratch_free();
}

static void a_cards_minor_and_its_file_less_hold(void **state)
{
	struct sysroot sr;
	struct drvdata d = {0};
	struct ss_error e;
	char minor[8], node[96], shown[256];

	sysroot_open(&sr, scratch_new("drvdata"), &e);
	assert_int_equal(drvdata_parse("minor = /proc/driver/nvidia/gpus/%a/information\n"
				       "persistence = /sys/module/nvidia/parameters/persistence\n",
				       "d", &d, &e),
			 0);
	drvdata_card_minor(&sr, &d, "0000:01:00.0", minor, sizeof(minor));
	assert_string_equal(minor, ""); /* no file: unknown */
	assert_int_equal(drvdata_expand("/dev/nvidia%m", "0000:01:00.0", minor, node, sizeof(node)), 0);
	assert_string_equal(node, "/dev/nvidia"); /* every /dev/nvidiaN counts: fails closed */
	scratch_mkdir_p("proc/driver/nvidia/gpus/0000:01:00.0");
	scratch_mkdir_p("sys/module/nvidia/parameters");
	scratch_put("proc/driver/nvidia/gpus/0000:01:00.0/information", "Model:\t x\nDevice Minor:\t 2\n");
	drvdata_card_minor(&sr, &d, "0000:01:00.0", minor, sizeof(minor));
	assert_string_equal(minor, "2");
	assert_int_equal(drvdata_expand("/dev/nvidia%m", "0000:01:00.0", minor, node, sizeof(node)), 0);
	assert_string_equal(node, "/dev/nvidia2");
	assert_false(drvdata_persistence_held(&sr, &d, "0000:01:00.0", shown, sizeof(shown)));
	scratch_put("sys/module/nvidia/parameters/persistence", "1\n");
	assert_true(drvdata_persistence_held(&sr, &d, "0000:01:00.0", shown, sizeof(shown)));
	assert_string_equal(shown, "/sys/module/nvidia/parameters/persistence");
	scratch_put("sys/module/nvidia/parameters/persistence", "0\n");
	assert_false(drvdata_persistence_held(&sr, &d, "0000:01:00.0", shown, sizeof(shown)));
	sysroot_close(&sr);
	scratch_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_shipped_nvidia_file_parses),
	    cmocka_unit_test(bad_lines_are_named),
	    cmocka_unit_test(the_module_and_the_user_space_driver_are_compared),
	    cmocka_unit_test(the_local_file_overrides_key_by_key),
	    cmocka_unit_test(a_cards_minor_and_its_file_less_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
