/* What a switch manages: the functions the VM gets (from [vm] devices or
 * from detection), the optional bridge, each function's host driver, and
 * the GPU the host keeps. */
#ifndef SS_TARGET_H
#define SS_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "detect.h"
#include "error.h"
#include "pci.h"

enum host_from { HOST_FROM_UNKNOWN, HOST_FROM_CONFIG, HOST_FROM_CURRENT, HOST_FROM_JOURNAL };

/* Where the host's GPU came from: none could be chosen, detection's
 * integrated GPU, [host] gpu, or the one display controller left over. */
enum host_gpu_from { HOST_GPU_NONE, HOST_GPU_DETECTED, HOST_GPU_CONFIG, HOST_GPU_LEFT };

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
	bool from_config; /* false: detected */
	bool render_only; /* the VM's GPU is a 3D controller without outputs */
	/* X runs on host_gpu in both modes: a render-only card, or [host]
	 * offload = yes (the monitors on the host's GPU, the card a PRIME
	 * offload device); a switch then moves the card with X running */
	bool x_stays;
	bool has_host_gpu;	  /* false: host_gpu_msg says why, naming the candidates */
	struct pci_addr host_gpu; /* the display controller X runs on in vm mode */
	enum host_gpu_from host_gpu_from;
	struct ss_error host_gpu_msg;
	bool has_igpu; /* exactly one integrated GPU */
	struct pci_addr igpu;
	struct detect_result det; /* every GPU, for the messages and --json */
};

/* -EINVAL (a configuration error: exit 3) naming the file and key when the
 * configured devices are absent, not a card's own functions, would leave
 * the host without a display controller, or the bridge is not upstream of
 * them; -ENODEV/-EEXIST when detection cannot decide. */
int target_resolve(const struct ss_config *c, const struct pci_list *devs, struct target *t,
		   struct ss_error *e);
/* doc/security.md rule 8: a card's own function.  A display controller;
 * the audio function of a display controller's slot; or another function
 * of the slot of a display controller in the set, with its vendor (Turing's
 * and Navi's USB and UCSI).  Never a bridge, never a function an APU has
 * beside its GPU (PSP, USB, audio co-processor), never anything outside a
 * card. */
bool target_class_allowed(const struct pci_list *devs, const struct pci_addr *set, size_t n,
			  const struct pci_dev *d);
/* What to do when target_resolve failed with err, in the terms the
 * configuration accepts. */
const char *target_fix(const struct target *t, int err);
const char *host_from_str(enum host_from h);
const char *host_gpu_from_str(enum host_gpu_from h);

#endif
