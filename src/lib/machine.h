/* Everything the read-only commands look at, loaded once: the root, the
 * configuration, the PCI devices, the IOMMU, the kernel, and the target. */
#ifndef SS_MACHINE_H
#define SS_MACHINE_H

#include <stdbool.h>

#include "conf.h"
#include "error.h"
#include "iommu.h"
#include "journal.h"
#include "kernel.h"
#include "pci.h"
#include "sysroot.h"
#include "target.h"
#include "wayback.h"

struct machine {
	struct sysroot root;
	struct ss_config conf;
	struct pci_list devs;
	struct iommu_state iommu;
	struct iommu_groups groups;
	struct kernel_info kernel;
	struct wayback wayback;	    /* the command line and modprobe.d, for the way back */
	int target_err;		    /* 0, or why no target: -ENODEV/-EEXIST (detection), -EINVAL (config) */
	struct ss_error target_msg; /* the message that goes with target_err */
	struct target target;
	int journal_err; /* 0, -ENOENT (none yet), or why it could not be read */
	struct ss_error journal_msg;
	struct journal journal; /* the last switch, when journal_err == 0 */
};

enum machine_fail { MACHINE_OK, MACHINE_CONFIG, MACHINE_SYSTEM };

/* config_path NULL: /etc/session-switch.conf inside the root, absence is fine
 * (detection).  A given config_path must exist.  Returns MACHINE_CONFIG for
 * a broken configuration file (exit 3) and MACHINE_SYSTEM when /sys cannot
 * be read; a target that cannot be resolved is recorded, not fatal.
 * Even after MACHINE_CONFIG, the devices and the journal are loaded. */
enum machine_fail machine_load(struct machine *m, const char *sysroot, const char *config_path,
			       struct ss_error *e);
/* For the setuid helper: the real root only, and the configuration already
 * loaded (config_load_secure) or absent (conf->loaded false). */
enum machine_fail machine_load_real(struct machine *m, const struct ss_config *conf, struct ss_error *e);
void machine_free(struct machine *m);

#endif
