/* What a switch manages: the dGPU's functions (from [vm] devices or from
 * detection), the optional bridge, and each function's host driver. */
#ifndef SS_TARGET_H
#define SS_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "detect.h"
#include "error.h"
#include "pci.h"

enum host_from { HOST_FROM_UNKNOWN, HOST_FROM_CONFIG, HOST_FROM_CURRENT, HOST_FROM_JOURNAL };

struct target_fn {
	struct pci_addr addr;
	char name[PCI_ADDR_LEN];
	char host_driver[PCI_DRIVER_LEN]; /* "" when unknown: the kernel's first match */
	enum host_from host_from;
};

struct target {
	struct target_fn fn[SS_MAX_FUNCS];
	size_t n;
	bool has_bridge;
	struct pci_addr bridge;
	bool from_config;                 /* false: detected */
	bool has_igpu;
	struct pci_addr igpu;
};

/* -EINVAL (a configuration error: exit 3) naming the file and key when the
 * configured devices are absent, of the wrong class or the bridge is not
 * upstream of them; -ENODEV/-EEXIST when detection cannot decide. */
int target_resolve(const struct ss_config *c, const struct pci_list *devs, struct target *t,
		   struct ss_error *e);
/* doc/security.md rule 8: display (0x03), audio (0x0403), or another function of
 * the slot of a display controller in the same set (Turing's USB and UCSI). */
bool target_class_allowed(const struct pci_list *devs, const struct pci_addr *set, size_t n,
			  const struct pci_dev *d);
const char *host_from_str(enum host_from h);

#endif
