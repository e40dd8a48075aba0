/* Finding the discrete GPU: behind a PCIe port, whatever boot_vga says. */
#include "config.h"

#include <errno.h>

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
	assert_int_equal(detect_gpus(&m.devs, r, e), expect);
	machine_free(&m);
}

static void seed_dgpu_is_the_boot_vga(void **state)
{
	struct detect_result r;
	struct ss_error e;
	char buf[256];
	/* On the seed's machine the NVIDIA card is the boot VGA: the rule must
	 * still pick it as the discrete one, and 00:02.0 as the iGPU. */
	detect("seed", 0, &r, &e);
	assert_true(r.found);
	names(&r.dgpu, 1, buf, sizeof(buf));
	assert_string_equal(buf, "0000:01:00.0");
	names(r.funcs, r.nfuncs, buf, sizeof(buf));
	assert_string_equal(buf, "0000:01:00.0 0000:01:00.1");
	assert_true(r.has_igpu);
	names(&r.igpu, 1, buf, sizeof(buf));
	assert_string_equal(buf, "0000:00:02.0");
}

static void high_bus_and_turing(void **state)
{
	struct detect_result r;
	struct ss_error e;
	char buf[256];
	detect("bus16", 0, &r, &e);
	names(r.funcs, r.nfuncs, buf, sizeof(buf));
	assert_string_equal(buf, "0000:10:00.0 0000:10:00.1");
	detect("turing", 0, &r, &e);
	names(r.funcs, r.nfuncs, buf, sizeof(buf));
	assert_string_equal(buf, "0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3");
}

static void ambiguous_machines_are_refused(void **state)
{
	struct detect_result r;
	struct ss_error e;
	detect("two-dgpu", -EEXIST, &r, &e);
	assert_false(r.found);
	assert_contains(e.msg, "0000:01:00.0");
	assert_contains(e.msg, "0000:02:00.0");
	assert_contains(e.msg, "[vm] devices");
	detect("apu", -EEXIST, &r, &e);
	assert_contains(e.msg, "0000:05:00.0");
	assert_contains(e.msg, "0000:01:00.0");
}

static void no_gpu_at_all(void **state)
{
	struct detect_result r;
	struct ss_error e;
	detect("no-gpu", -ENODEV, &r, &e);
	assert_false(r.found);
	assert_false(r.has_igpu);
	assert_contains(e.msg, "no display controller");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_dgpu_is_the_boot_vga),
		cmocka_unit_test(high_bus_and_turing),
		cmocka_unit_test(ambiguous_machines_are_refused),
		cmocka_unit_test(no_gpu_at_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
