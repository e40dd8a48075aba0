/* IOMMU state, groups and viability on recorded machines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "iommu.h"

static void load(const char *name, struct machine *m)
{
	struct ss_error e;
	fixture_machine(m, name, NULL, MACHINE_OK, &e);
}

static struct pci_addr A(const char *s) {
	struct pci_addr a;
	assert_true(pci_addr_parse_strict(s, &a));
	return a;
}

static void
seed_groups(void **state)
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

/* iommu_viable with its reasons in a static buffer, for the asserts. */
static bool viable(const struct machine *m, const struct pci_addr *set, size_t n, const char **why)
{
	static char *text;
	struct strbuf b = {0};
	bool ok = iommu_viable(&m->groups, &m->devs, set, n, NULL, &b);
	free(text);
	text = b.p ? b.p : NULL;
	*why = text ? text : "";
	return ok;
}

static void viability(void **state)
{
	struct machine m;
	const char *why;
	load("seed", &m);
	struct pci_addr both[] = {A("0000:01:00.0"), A("0000:01:00.1")};
	assert_true(viable(&m, both, 2, &why));
	assert_string_equal(why, "");
	/* the GPU without its audio function: the audio stays on snd_hda_intel */
	assert_false(viable(&m, both, 1, &why));
	assert_contains(why, "0000:01:00.1");
	assert_contains(why, "snd_hda_intel");
	assert_contains(why, "group 1");
	assert_false(viable(&m, both, 0, &why));
	struct pci_addr absent[] = {A("0000:07:00.0")};
	assert_false(viable(&m, absent, 1, &why));
	assert_contains(why, "not present");
	machine_free(&m);
}

static void nonviable_group(void **state)
{
	struct machine m;
	const char *why;
	load("nonviable", &m);
	struct pci_addr both[] = {A("0000:01:00.0"), A("0000:01:00.1")};
	assert_false(viable(&m, both, 2, &why));
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
	const char *reason;
	load("seed-iommu-off", &m);
	assert_false(m.iommu.enabled);
	assert_int_equal(m.groups.n, 0);
	iommu_explain_off(&m.iommu, why, sizeof(why), fix, sizeof(fix));
	assert_contains(why, "DMAR");
	assert_contains(fix, "intel_iommu=on");
	assert_contains(fix, "/etc/default/grub");
	struct pci_addr gpu[] = {A("0000:01:00.0")};
	assert_false(viable(&m, gpu, 1, &reason));
	assert_contains(reason, "IOMMU is off");
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
