/* IOMMU state, groups and viability on recorded machines. */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "iommu.h"

static void load(const char *name, struct machine *m)
{
	struct ss_error e;
	fixture_machine(m, name, NULL, MACHINE_OK, &e);
}

static struct pci_addr A(const char *s)
{
	struct pci_addr a;
	assert_true(pci_addr_parse_strict(s, &a));
	return a;
}

static void seed_groups(void **state)
{
	struct machine m;
	load("seed", &m);
	assert_true(m.iommu.enabled);
	assert_int_equal(m.iommu.units, 2);
	assert_true(m.iommu.dmar_table);
	assert_int_equal(m.iommu.vendor, IOMMU_INTEL);
	assert_string_equal(m.iommu.cmd_intel, "on");
	assert_string_equal(m.iommu.cmd_iommu, "on");
	assert_int_equal(m.groups.n, 13);
	const struct iommu_group *g = iommu_group_find(&m.groups, 1);
	assert_non_null(g);
	assert_int_equal(g->n, 3);
	char n[PCI_ADDR_LEN];
	pci_addr_format(&g->members[0], n);
	assert_string_equal(n, "0000:00:01.0");
	pci_addr_format(&g->members[2], n);
	assert_string_equal(n, "0000:01:00.1");
	machine_free(&m);
}

static void viability(void **state)
{
	struct machine m;
	char why[2048];
	load("seed", &m);
	struct pci_addr both[] = { A("0000:01:00.0"), A("0000:01:00.1") };
	assert_true(iommu_viable(&m.groups, &m.devs, both, 2, why, sizeof(why)));
	assert_string_equal(why, "");
	/* the GPU without its audio function: the audio stays on snd_hda_intel */
	assert_false(iommu_viable(&m.groups, &m.devs, both, 1, why, sizeof(why)));
	assert_contains(why, "0000:01:00.1");
	assert_contains(why, "snd_hda_intel");
	assert_contains(why, "group 1");
	assert_false(iommu_viable(&m.groups, &m.devs, both, 0, why, sizeof(why)));
	struct pci_addr absent[] = { A("0000:07:00.0") };
	assert_false(iommu_viable(&m.groups, &m.devs, absent, 1, why, sizeof(why)));
	assert_contains(why, "not present");
	machine_free(&m);
}

static void nonviable_group(void **state)
{
	struct machine m;
	char why[2048];
	load("nonviable", &m);
	struct pci_addr both[] = { A("0000:01:00.0"), A("0000:01:00.1") };
	assert_false(iommu_viable(&m.groups, &m.devs, both, 2, why, sizeof(why)));
	assert_contains(why, "0000:02:00.0");
	assert_contains(why, "Ethernet");
	assert_contains(why, "igb");
	assert_contains(why, "ACS");
	machine_free(&m);
}

static void iommu_off(void **state)
{
	struct machine m;
	char why[256], fix[512];
	load("seed-iommu-off", &m);
	assert_false(m.iommu.enabled);
	assert_int_equal(m.groups.n, 0);
	iommu_explain_off(&m.iommu, why, sizeof(why), fix, sizeof(fix));
	assert_contains(why, "DMAR");
	assert_contains(fix, "intel_iommu=on");
	assert_contains(fix, "/etc/default/grub");
	struct pci_addr gpu[] = { A("0000:01:00.0") };
	assert_false(iommu_viable(&m.groups, &m.devs, gpu, 1, why, sizeof(why)));
	assert_contains(why, "IOMMU is off");
	machine_free(&m);

	load("seed-no-dmar", &m);
	iommu_explain_off(&m.iommu, why, sizeof(why), fix, sizeof(fix));
	assert_contains(why, "no ACPI DMAR");
	assert_contains(fix, "firmware");
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_groups),
		cmocka_unit_test(viability),
		cmocka_unit_test(nonviable_group),
		cmocka_unit_test(iommu_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
