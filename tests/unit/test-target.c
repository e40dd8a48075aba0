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
	    {"seed", "[vm]\ndevices = 0000:04:00.0\n", "0000:04:00.0", "only display"},
	    {"seed", "[vm]\ndevices = 0000:00:01.0 0000:01:00.0\n", "0000:00:01.0", "bridge"},
	    {"seed", "[vm]\ndevices = 0000:07:00.0\n", "0000:07:00.0", "not on this machine"},
	    {"seed", "[vm]\ndevices = 0000:01:00.1\n", "no display controller", ""},
	    {"seed", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:1d.0\n", "00:1d.0", "not upstream"},
	    {"seed", "[vm]\ndevices = 01:00.0 01:00.1\nbridge = 00:02.0\n", "00:02.0", "not a PCI bridge"},
	    /* removing 00:01.0 would also remove the audio function left on the host */
	    {"seed", "[vm]\ndevices = 01:00.0\nbridge = 00:01.0\n", "0000:01:00.1", "remove that device too"},
	    {"seed", "[host]\ndrivers = 0000:00:1f.3=snd_hda_intel\n", "0000:00:1f.3", "not among"},
	    {"seed", "[vm]\ndevices = 01:00.0 01:00.1\n[host]\ndrivers = 0000:04:00.0=nvme\n", "0000:04:00.0",
	     "not among"},
	    /* the chipset's audio is outside any card */
	    {"seed", "[vm]\ndevices = 01:00.0 01:00.1 00:1f.3\n", "0000:00:1f.3", "not a function of a card"},
	    /* an APU's PSP and USB stay with the host */
	    {"apu", "[vm]\ndevices = 01:00.0 05:00.2\n", "0000:05:00.2", "an AMD APU has beside its GPU"},
	    {"b450m-raven-rx580", "[vm]\ndevices = 10:00.0 38:00.3\n", "0000:38:00.3", "PSP, USB"},
	    /* every GPU for the VM: none left for the host */
	    {"seed", "[vm]\ndevices = 01:00.0 01:00.1 00:02.0\n", "every display controller",
	     "without a GPU"},
	    {"b550itx-cezanne", "[vm]\ndevices = 05:00.0 05:00.1\n", "every display controller", ""},
	    /* [host] gpu must be a display controller the VM does not get */
	    {"seed", "[host]\ngpu = 00:1f.3\n", "[host] gpu 0000:00:1f.3", "not a display controller"},
	    {"seed", "[host]\ngpu = 00:03.0\n", "[host] gpu 0000:00:03.0", "not on this machine"},
	    {"seed", "[vm]\ndevices = 01:00.0 01:00.1\n[host]\ngpu = 01:00.0\n", "[host] gpu 0000:01:00.0",
	     "among the functions passed through"},
	    /* X cannot run on a card without outputs */
	    {"xps9570-optimus", "[host]\noffload = no\n", "[host] offload is no", "3D controller"},
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

static void the_hosts_gpu_is_what_remains(void **state)
{
	struct machine m;
	struct ss_error e;
	char n[PCI_ADDR_LEN];
	(void)state;
	/* two cards: the one [vm] devices leaves */
	fixture_machine(&m, "x570-1080ti-gt710", "[vm]\ndevices = 0b:00.0 0b:00.1\n", MACHINE_OK, &e);
	assert_int_equal(m.target_err, 0);
	assert_true(m.target.has_host_gpu);
	pci_addr_format(&m.target.host_gpu, n);
	assert_string_equal(n, "0000:0c:00.0");
	assert_int_equal(m.target.host_gpu_from, HOST_GPU_LEFT);
	machine_free(&m);
	/* ... or [host] gpu, and then the VM gets the one other card */
	fixture_machine(&m, "x570-1080ti-gt710", "[host]\ngpu = 0c:00.0\n", MACHINE_OK, &e);
	assert_int_equal(m.target_err, 0);
	assert_int_equal(m.target.n, 2);
	assert_string_equal(m.target.fn[0].name, "0000:0b:00.0");
	assert_int_equal(m.target.host_gpu_from, HOST_GPU_CONFIG);
	machine_free(&m);
	/* an APU beside a card, named by its owner: the APU's GPU remains, first */
	fixture_machine(&m, "b450m-raven-rx580", "[vm]\ndevices = 10:00.0\n", MACHINE_OK, &e);
	pci_addr_format(&m.target.host_gpu, n);
	assert_string_equal(n, "0000:38:00.0");
	machine_free(&m);
	/* three cards, one to the VM: two remain, and that is for [host] gpu */
	fixture_machine(&m, "trx40-k420-2xa6000", "[vm]\ndevices = 42:00.0 42:00.1\n", MACHINE_OK, &e);
	assert_int_equal(m.target_err, 0);
	assert_false(m.target.has_host_gpu);
	assert_contains(m.target.host_gpu_msg.msg, "0000:41:00.0");
	assert_contains(m.target.host_gpu_msg.msg, "0000:61:00.0");
	assert_contains(m.target.host_gpu_msg.msg, "[host] gpu");
	machine_free(&m);
	fixture_machine(&m, "trx40-k420-2xa6000", "[host]\ngpu = 41:00.0\n", MACHINE_OK, &e);
	assert_int_equal(m.target_err, -EEXIST);
	assert_contains(m.target_msg.msg, "2 cards are left");
	machine_free(&m);
}

static void a_3d_controller_is_render_only(void **state)
{
	struct machine m;
	struct ss_error e;
	(void)state;
	fixture_machine(&m, "xps9570-optimus", NULL, MACHINE_OK, &e);
	assert_true(m.target.render_only);
	machine_free(&m);
	fixture_machine(&m, "seed", NULL, MACHINE_OK, &e);
	assert_false(m.target.render_only);
	machine_free(&m);
}

/* X stays on the host's GPU in both modes for a card without outputs and
 * for one that [host] offload says drives none; any other card takes X. */
static void x_stays_for_render_only_and_offload(void **state)
{
	struct machine m;
	struct ss_error e;
	(void)state;
	fixture_machine(&m, "xps9570-optimus", NULL, MACHINE_OK, &e);
	assert_true(m.target.x_stays);
	machine_free(&m);
	fixture_machine(&m, "xps9570-optimus", "[host]\noffload = yes\n", MACHINE_OK, &e);
	assert_true(m.target.x_stays);
	machine_free(&m);
	fixture_machine(&m, "seed", NULL, MACHINE_OK, &e);
	assert_false(m.target.x_stays);
	machine_free(&m);
	fixture_machine(&m, "seed", "[host]\noffload = no\n", MACHINE_OK, &e);
	assert_false(m.target.x_stays);
	machine_free(&m);
	fixture_machine(&m, "seed", "[host]\noffload = yes\n", MACHINE_OK, &e);
	assert_true(m.target.x_stays);
	assert_false(m.target.render_only);
	machine_free(&m);
}

static void navi_functions_and_guest_audio_are_a_cards_own(void **state)
{
	struct machine m;
	struct ss_error e;
	(void)state;
	/* the reference guest's "HDMI audio" is an Intel HDA in the virtio card's slot */
	fixture_machine(&m, "guest-q35", "[vm]\ndevices = 01:00.0 01:00.1\n", MACHINE_OK, &e);
	assert_int_equal(m.target.n, 2);
	machine_free(&m);
	fixture_machine(&m, "p53-rtx4000", "[vm]\ndevices = 01:00.0 01:00.1 01:00.2 01:00.3\n", MACHINE_OK,
			&e);
	assert_int_equal(m.target.n, 4);
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
	    cmocka_unit_test(the_hosts_gpu_is_what_remains),
	    cmocka_unit_test(a_3d_controller_is_render_only),
	    cmocka_unit_test(x_stays_for_render_only_and_offload),
	    cmocka_unit_test(navi_functions_and_guest_audio_are_a_cards_own),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
