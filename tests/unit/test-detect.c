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
	expect_found("turing", "0000:01:00.0", "0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3", "0000:00:02.0");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_dgpu_is_the_boot_vga),
		cmocka_unit_test(high_bus_and_turing),
		cmocka_unit_test(the_guest_bochs_counts_by_topology),
		cmocka_unit_test(an_apu_beside_a_card_keeps_its_gpu),
		cmocka_unit_test(ambiguous_machines_are_refused_naming_every_gpu),
		cmocka_unit_test(no_gpu_at_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
