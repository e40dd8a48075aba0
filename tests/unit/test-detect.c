/* Which GPU stays and which goes: by topology and the functions around
 * it, whatever boot_vga says; refusals that name every GPU. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "detect.h"
#include "fixture.h"

static void names(const struct pci_addr *a, size_t n, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && used + PCI_ADDR_LEN + 1 < len; i++) {
		if (i)
			out[used++] = ' ';
		pci_addr_format(&a[i], out + used);
		used += PCI_ADDR_LEN - 1;
	}
}

static void detect(const char *fixture, int expect, struct detect_result *r, struct ss_error *e)
{
	struct machine m;
	struct ss_error le;
	fixture_machine(&m, fixture, NULL, MACHINE_OK, &le);
	e->msg[0] = '\0';
	int got = detect_gpus(&m.devs, r, e);
	if (got != expect)
		fprintf(stderr, "%s: detect_gpus = %d: %s\n", fixture, got, e->msg);
	assert_int_equal(got, expect);
	machine_free(&m);
}

/* The VM's card, its functions, and the host's GPU, as addresses. */
static void expect_found(const char *fixture, const char *card, const char *funcs, const char *host)
{
	struct detect_result r;
	struct ss_error e;
	char buf[256];

	detect(fixture, 0, &r, &e);
	assert_true(r.found);
	names(&r.gpu[r.vm].addr, 1, buf, sizeof(buf));
	assert_string_equal(buf, card);
	names(r.funcs, r.nfuncs, buf, sizeof(buf));
	assert_string_equal(buf, funcs);
	names(&r.gpu[r.host].addr, 1, buf, sizeof(buf));
	assert_string_equal(buf, host);
	assert_int_equal(r.gpu[r.host].kind, GPU_INTEGRATED);
	assert_int_equal(r.gpu[r.vm].kind, GPU_CARD);
}

static void seed_dgpu_is_the_boot_vga(void **state)
{
	(void)state;
	/* On the seed's machine the NVIDIA card is the boot VGA: the rule must
	 * still pick it as the discrete one, and 00:02.0 as the iGPU. */
	expect_found("seed", "0000:01:00.0", "0000:01:00.0 0000:01:00.1", "0000:00:02.0");
}

static void high_bus_and_turing(void **state)
{
	(void)state;
	expect_found("bus16", "0000:10:00.0", "0000:10:00.0 0000:10:00.1", "0000:00:02.0");
	expect_found("turing", "0000:01:00.0", "0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3",
		     "0000:00:02.0");
}

static void the_guest_bochs_counts_by_topology(void **state)
{
	(void)state;
	expect_found("guest-q35", "0000:01:00.0", "0000:01:00.0 0000:01:00.1", "0000:00:02.0");
}

static void an_apu_beside_a_card_keeps_its_gpu(void **state)
{
	struct detect_result r;
	struct ss_error e;
	(void)state;
	/* the Radeon behind the internal bridge 00:08.1, in a slot with the
	 * APU's PSP, USB and audio: the host's; the NVIDIA card goes */
	expect_found("apu", "0000:01:00.0", "0000:01:00.0 0000:01:00.1", "0000:05:00.0");
	detect("apu", 0, &r, &e);
	assert_true(r.gpu[r.host].apu);
}

static void ambiguous_machines_are_refused_naming_every_gpu(void **state)
{
	struct detect_result r;
	struct ss_error e;
	(void)state;
	detect("two-dgpu", -EEXIST, &r, &e);
	assert_false(r.found);
	assert_contains(e.msg, "0000:01:00.0");
	assert_contains(e.msg, "0000:02:00.0");
	assert_contains(e.msg, "0000:00:02.0");
	assert_contains(e.msg, "[vm] devices");
	/* each with what is known of its monitors */
	assert_contains(e.msg, "no DRM device, so its monitors are unknown");
}

static void no_gpu_at_all(void **state)
{
	struct detect_result r;
	struct ss_error e;
	(void)state;
	detect("no-gpu", -ENODEV, &r, &e);
	assert_false(r.found);
	assert_int_equal(r.ngpu, 0);
	assert_contains(e.msg, "no display controller");
}

/* --- the real machines of tests/data/README.md ------------------------ */

static void intel_desktops_and_laptops_keep_their_root_bus_gpu(void **state)
{
	struct detect_result r;
	struct ss_error e;
	(void)state;
	expect_found("z370-gt1030", "0000:01:00.0", "0000:01:00.0 0000:01:00.1", "0000:00:02.0");
	expect_found("p53-rtx4000", "0000:01:00.0", "0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3",
		     "0000:00:02.0");
	/* on vfio-pci since boot, the card is still the card */
	expect_found("i7700-rtx2060-ids", "0000:01:00.0",
		     "0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3", "0000:00:02.0");
	expect_found("xps9570-optimus", "0000:01:00.0", "0000:01:00.0", "0000:00:02.0");
	detect("xps9570-optimus", 0, &r, &e);
	assert_true(r.gpu[r.vm].render_only);
	assert_false(r.gpu[r.host].render_only);
}

static void an_apus_gpu_is_integrated_by_its_bridge_and_neighbours(void **state)
{
	struct detect_result r;
	struct ss_error e;
	(void)state;
	expect_found("b450m-raven-rx580", "0000:10:00.0", "0000:10:00.0", "0000:38:00.0");
	detect("b450m-raven-rx580", 0, &r, &e);
	assert_true(r.gpu[r.host].apu);
	assert_false(r.gpu[r.vm].apu);
	/* an APU alone: nothing for the VM, the APU's GPU named as the host's */
	detect("b550itx-cezanne", -ENODEV, &r, &e);
	assert_int_equal(r.nintegrated, 1);
	assert_int_equal(r.ncards, 0);
	assert_true(r.gpu[0].apu);
	assert_contains(e.msg, "no discrete GPU to pass through: 0000:05:00.0");
	assert_contains(e.msg, "an APU's, behind its internal bridge 0000:00:08.1");
	/* whatever driver holds it */
	detect("nuc4300u-modprobe", -ENODEV, &r, &e);
	assert_true(r.gpu[0].apu);
	assert_int_equal(r.gpu[0].kind, GPU_INTEGRATED);
}

static void two_or_three_cards_are_a_choice_for_the_owner(void **state)
{
	static const struct {
		const char *tree, *names[3];
		size_t ncards;
	} cases[] = {
	    {"x570-1080ti-gt710", {"0000:0b:00.0", "0000:0c:00.0"}, 2},
	    {"b550-6950xt-rx550", {"0000:04:00.0 Advanced Micro Devices", "0000:08:00.0"}, 2},
	    {"b550m-gt1030-rx550", {"0000:04:00.0", "0000:08:00.0 NVIDIA Corporation GP108"}, 2},
	    {"trx40-k420-2xa6000", {"0000:41:00.0", "0000:42:00.0", "0000:61:00.0"}, 3},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct detect_result r;
		struct ss_error e;
		detect(cases[i].tree, -EEXIST, &r, &e);
		assert_int_equal(r.nintegrated, 0);
		assert_int_equal(r.ncards, cases[i].ncards);
		for (size_t k = 0; k < cases[i].ncards; k++)
			assert_contains(e.msg, cases[i].names[k]);
		assert_contains(e.msg, "a card behind");
		assert_contains(e.msg, "[vm] devices");
	}
}

static void a_cards_functions_and_an_apus_are_told_apart(void **state)
{
	struct machine m;
	struct ss_error e;
	struct pci_addr f[DETECT_MAX];
	char buf[256];
	(void)state;
	fixture_machine(&m, "b450m-raven-rx580", NULL, MACHINE_OK, &e);
	struct pci_addr igpu;
	assert_true(pci_addr_parse_strict("0000:38:00.0", &igpu));
	/* the APU's GPU and its HDMI audio; never its PSP, USB or HD audio */
	names(f, detect_card_functions(&m.devs, &igpu, f, DETECT_MAX), buf, sizeof(buf));
	assert_string_equal(buf, "0000:38:00.0 0000:38:00.1");
	static const struct {
		const char *addr;
		bool platform;
	} fns[] = {{"0000:38:00.0", false}, {"0000:38:00.1", false}, {"0000:38:00.2", true},
		   {"0000:38:00.3", true},  {"0000:38:00.4", true},  {"0000:38:00.6", true}};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct pci_addr a;
		assert_true(pci_addr_parse_strict(fns[i].addr, &a));
		if (detect_apu_platform_function(&m.devs, pci_find(&m.devs, &a)) != fns[i].platform)
			fail_msg("%s", fns[i].addr);
	}
	machine_free(&m);
	/* a Matisse CPU's PSP and USB behind 00:08.1 beside no GPU: no APU */
	fixture_machine(&m, "x570-1080ti-gt710", NULL, MACHINE_OK, &e);
	struct pci_addr psp;
	assert_true(pci_addr_parse_strict("0000:0e:00.1", &psp));
	assert_false(detect_apu_platform_function(&m.devs, pci_find(&m.devs, &psp)));
	machine_free(&m);
	/* a Turing card's USB and UCSI carry its vendor: the card's own */
	fixture_machine(&m, "p53-rtx4000", NULL, MACHINE_OK, &e);
	struct pci_addr usb;
	assert_true(pci_addr_parse_strict("0000:01:00.2", &usb));
	assert_false(detect_apu_platform_function(&m.devs, pci_find(&m.devs, &usb)));
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_dgpu_is_the_boot_vga),
	    cmocka_unit_test(high_bus_and_turing),
	    cmocka_unit_test(the_guest_bochs_counts_by_topology),
	    cmocka_unit_test(an_apu_beside_a_card_keeps_its_gpu),
	    cmocka_unit_test(ambiguous_machines_are_refused_naming_every_gpu),
	    cmocka_unit_test(no_gpu_at_all),
	    cmocka_unit_test(intel_desktops_and_laptops_keep_their_root_bus_gpu),
	    cmocka_unit_test(an_apus_gpu_is_integrated_by_its_bridge_and_neighbours),
	    cmocka_unit_test(two_or_three_cards_are_a_choice_for_the_owner),
	    cmocka_unit_test(a_cards_functions_and_an_apus_are_told_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
