/* kernel_option(): the kernel's build options as /proc/config.gz or
 * /boot/config-* give them, for the options doctor asks about. */
#include "config.h"

#include "fuzz.h"
#include "kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const opts[] = {"CONFIG_VFIO",      "CONFIG_VFIO_PCI",      "CONFIG_INTEL_IOMMU",
					   "CONFIG_AMD_IOMMU", "CONFIG_IOMMU_SUPPORT", "CONFIG_V"};
	struct kernel_info k = {.config = fuzz_text(data, size)};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		enum kopt o = kernel_option(&k, opts[i]);
		if (o != KOPT_NO && o != KOPT_YES && o != KOPT_MODULE)
			abort();
	}
	free(k.config);
	return 0;
}
