/* doctor: the right verdict and a concrete fix for each recorded machine. */
#include "config.h"

#include <string.h>

#include "doctor.h"
#include "fixture.h"

static const struct check *find(const struct doctor *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->checks[i].name, name) == 0)
			return &d->checks[i];
	fail_msg("no check named %s", name);
	return NULL;
}

/* One doctor for the whole file: each run frees the texts of the last. */
static struct doctor d;

static void run(const char *fixture, struct doctor *dr)
{
	struct machine m;
	struct ss_error e;
	doctor_free(dr);
	fixture_machine(&m, fixture, NULL, MACHINE_OK, &e);
	doctor_run(&m, dr);
	machine_free(&m);
}

static void seed_is_ready(void **state)
{
	run("seed", &d);
	for (size_t i = 0; i < d.n; i++)
		if (d.checks[i].status != CHECK_OK)
			fail_msg("%s: %s", d.checks[i].name, d.checks[i].detail);
	assert_int_equal(d.fails, 0);
	assert_contains(find(&d, "dgpu")->detail, "0000:01:00.0 0000:01:00.1");
	assert_contains(find(&d, "host-gpu")->detail, "0000:00:02.0");
	assert_contains(find(&d, "vfio-pci")->detail, "built-in");
}

static void iommu_off_gets_grub_fix(void **state)
{
	run("seed-iommu-off", &d);
	const struct check *c = find(&d, "iommu");
	assert_int_equal(c->status, CHECK_FAIL);
	assert_contains(c->fix, "intel_iommu=on");
	assert_contains(c->fix, "GRUB_CMDLINE_LINUX");
	assert_int_equal(find(&d, "group")->status, CHECK_FAIL);
	assert_true(d.fails >= 2);
}

static void no_dmar_gets_firmware_hint(void **state)
{
	run("seed-no-dmar", &d);
	const struct check *c = find(&d, "iommu");
	assert_int_equal(c->status, CHECK_FAIL);
	assert_contains(c->fix, "VT-d");
	assert_contains(c->fix, "firmware");
}

static void nonviable_and_ambiguous(void **state)
{
	run("nonviable", &d);
	assert_int_equal(find(&d, "group")->status, CHECK_FAIL);
	assert_contains(find(&d, "group")->detail, "0000:02:00.0");
	run("two-dgpu", &d);
	assert_int_equal(find(&d, "dgpu")->status, CHECK_FAIL);
	assert_contains(find(&d, "dgpu")->fix, "[vm] devices");
}

static void vm_mode_warns_about_unknown_host_driver(void **state)
{
	run("seed-vm", &d);
	assert_int_equal(d.fails, 0);
	assert_int_equal(find(&d, "host-driver")->status, CHECK_WARN);
	assert_contains(find(&d, "host-driver")->fix, "[host] drivers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_is_ready),
	    cmocka_unit_test(iommu_off_gets_grub_fix),
	    cmocka_unit_test(no_dmar_gets_firmware_hint),
	    cmocka_unit_test(nonviable_and_ambiguous),
	    cmocka_unit_test(vm_mode_warns_about_unknown_host_driver),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	doctor_free(&d);
	return r;
}
