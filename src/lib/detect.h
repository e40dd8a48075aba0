/* Which GPU is the discrete one (doc/design.md, "Which GPU stays, which
 * goes"): not boot_vga, but the display controller behind a PCIe port. */
#ifndef SS_DETECT_H
#define SS_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pci.h"

#define DETECT_MAX 8

struct detect_result {
	bool found;
	struct pci_addr dgpu;              /* the display controller off the root bus */
	struct pci_addr funcs[DETECT_MAX]; /* every function of its slot, dgpu first */
	size_t nfuncs;
	bool has_igpu;
	struct pci_addr igpu;              /* a display controller on a root bus */
	struct pci_addr cand[DETECT_MAX];  /* all display controllers off the root bus */
	size_t ncand;
};

/* 0 and found; or -ENODEV / -EEXIST (ambiguous) with a message naming the
 * candidates and asking for [vm] devices. */
int detect_gpus(const struct pci_list *devs, struct detect_result *r, struct ss_error *e);

#endif
