/* Resolving what a switch manages, and refusing configurations that would
 * hand the wrong device to vfio-pci (doc/security.md rule 8). */
#include "config.h"

#include <errno.h>

#include "fixture.h"
#include "target.h"

static void detected_on_seed(void **state)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, "seed", NULL, MACHINE_OK, &e);
	assert_int_equal(m.target_err, 0);
	assert_false(m.target.from_config);
	assert_int_equal(m.target.n, 2);
	assert_string_equal(m.target.fn[0].name, "0000:01:00.0");
	assert_string_equal(m.target.fn[0].host_driver, "nvidia");
	assert_int_equal(m.target.fn[0].host_from, HOST_FROM_CURRENT);
	assert_string_equal(m.target.fn[1].host_driver, "snd_hda_intel");
	assert_false(m.target.has_bridge);
	machine_free(&m);
}

static void configured_with_bridge_and_drivers(void **state)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, "seed-vm",
			"[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:01.0\n"
			"[host]\ndrivers = 01:00.0=nvidia\n",
			MACHINE_OK, &e);
	assert_true(m.target.from_config);
	assert_true(m.target.has_bridge);
	assert_string_equal(m.target.fn[0].host_driver, "nvidia");
	assert_int_equal(m.target.fn[0].host_from, HOST_FROM_CONFIG);
	/* on vfio-pci now and not configured: unknown, the kernel's choice */
	assert_string_equal(m.target.fn[1].host_driver, "");
	assert_int_equal(m.target.fn[1].host_from, HOST_FROM_UNKNOWN);
	machine_free(&m);
}

struct bad {
	const char *fixture, *conf, *want1, *want2;
};

static void wrong_devices_are_config_errors(void **state)
{
	static const struct bad cases[] = {
		/* the NVMe disk: the attack doc/security.md rule 8 is about */
		{ "seed", "[vm]\ndevices = 0000:04:00.0\n", "0000:04:00.0", "only display" },
		{ "seed", "[vm]\ndevices = 0000:00:01.0 0000:01:00.0\n", "0000:00:01.0", "bridge" },
		{ "seed", "[vm]\ndevices = 0000:07:00.0\n", "0000:07:00.0", "not on this machine" },
		{ "seed", "[vm]\ndevices = 0000:01:00.1\n", "no display controller", "" },
		{ "seed", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:1d.0\n", "00:1d.0", "not upstream" },
		{ "seed", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:02.0\n", "00:02.0", "not a PCI bridge" },
		/* removing 00:01.0 would also remove the audio function left on the host */
		{ "seed", "[vm]\ndevices = 01:00.0\nbridge = 00:01.0\n", "0000:01:00.1", "remove that device too" },
		{ "seed", "[host]\ndrivers = 0000:00:1f.3=snd_hda_intel\n", "0000:00:1f.3", "not among" },
		{ "seed", "[vm]\ndevices = 01:00.0 01:00.1\n[host]\ndrivers = 0000:04:00.0=nvme\n", "0000:04:00.0", "not among" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct machine m;
		struct ss_error e;
		fixture_machine(&m, cases[i].fixture, cases[i].conf, MACHINE_CONFIG, &e);
		if (!fixture_contains(e.msg, cases[i].want1) ||
		    (cases[i].want2[0] && !fixture_contains(e.msg, cases[i].want2)))
			fail_msg("case %zu", i);
		assert_contains(e.msg, "/tmp/ss-test-conf-"); /* names the file */
		machine_free(&m);
	}
}

static void turing_usb_is_allowed_in_its_slot(void **state)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, "turing", "[vm]\ndevices = 01:00.0 01:00.1 01:00.2 01:00.3\n", MACHINE_OK, &e);
	assert_int_equal(m.target.n, 4);
	machine_free(&m);
	/* ... but not without the GPU of that slot */
	fixture_machine(&m, "turing", "[vm]\ndevices = 01:00.2\n", MACHINE_CONFIG, &e);
	assert_contains(e.msg, "0000:01:00.2");
	machine_free(&m);
}

static void undecidable_detection_is_recorded(void **state)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, "two-dgpu", NULL, MACHINE_OK, &e);
	assert_int_equal(m.target_err, -EEXIST);
	assert_contains(m.target_msg.msg, "[vm] devices");
	machine_free(&m);
	/* and a configuration settles it */
	fixture_machine(&m, "two-dgpu", "[vm]\ndevices = 0000:02:00.0\n", MACHINE_OK, &e);
	assert_int_equal(m.target_err, 0);
	assert_int_equal(m.target.n, 1);
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detected_on_seed),
		cmocka_unit_test(configured_with_bridge_and_drivers),
		cmocka_unit_test(wrong_devices_are_config_errors),
		cmocka_unit_test(turing_usb_is_allowed_in_its_slot),
		cmocka_unit_test(undecidable_detection_is_recorded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
