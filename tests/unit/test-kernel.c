/* Kernel build options and vfio-pci availability from recorded trees. */
#include "config.h"

#include "fixture.h"
#include "kernel.h"

static void seed_kernel(void **state)
{
	struct machine m;
	struct ss_error e;
	fixture_machine(&m, "seed", NULL, MACHINE_OK, &e);
	assert_string_equal(m.kernel.release, "4.17.9-gentoo");
	assert_string_equal(m.kernel.config_from, "/boot/config-4.17.9-gentoo");
	assert_int_equal(kernel_option(&m.kernel, "CONFIG_VFIO"), KOPT_YES);
	assert_int_equal(kernel_option(&m.kernel, "CONFIG_VFIO_PCI"), KOPT_YES);
	assert_int_equal(kernel_option(&m.kernel, "CONFIG_INTEL_IOMMU"), KOPT_YES);
	/* a prefix of a set option is not that option */
	assert_int_equal(kernel_option(&m.kernel, "CONFIG_VFI"), KOPT_NO);
	assert_int_equal(kernel_option(&m.kernel, "CONFIG_AMD_IOMMU"), KOPT_NO);
	assert_int_equal(kernel_module(&m.root, &m.kernel, "vfio_pci", "vfio-pci"), KMOD_BUILTIN);
	assert_int_equal(kernel_module(&m.root, &m.kernel, "no_such", "no-such"), KMOD_MISSING);
	machine_free(&m);
}

static void options_text(void **state)
{
	struct kernel_info k = {.release = "x", .config_from = "t"};
	char text[] = "# comment\nCONFIG_A=y\nCONFIG_AB=m\n# CONFIG_C is not set\nCONFIG_D=\"str\"\n";
	k.config = text;
	assert_int_equal(kernel_option(&k, "CONFIG_A"), KOPT_YES);
	assert_int_equal(kernel_option(&k, "CONFIG_AB"), KOPT_MODULE);
	assert_int_equal(kernel_option(&k, "CONFIG_C"), KOPT_NO);
	assert_int_equal(kernel_option(&k, "CONFIG_D"), KOPT_NO);
	k.config = NULL;
	assert_int_equal(kernel_option(&k, "CONFIG_A"), KOPT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_kernel),
	    cmocka_unit_test(options_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
