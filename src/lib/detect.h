/* Which GPU stays, which goes (doc/design.md, "Which GPU stays, which
 * goes"): every display controller, told apart by where it sits and by
 * the functions around it, never by boot_vga or an ID table. */
#ifndef SS_DETECT_H
#define SS_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pci.h"

#define DETECT_MAX 8

enum gpu_kind {
	GPU_INTEGRATED, /* on a root bus, or an APU's behind its internal bridge */
	GPU_CARD,	/* anything else: a card in a slot, wherever the slot is */
};

struct gpu {
	struct pci_addr addr;
	enum gpu_kind kind;
	bool render_only; /* a 3D controller: no outputs (Optimus) */
	bool apu;	  /* integrated behind an internal bridge, beside the APU's other functions */
	bool has_bridge;  /* the port (or internal bridge) it sits behind */
	struct pci_addr bridge;
};

struct detect_result {
	struct gpu gpu[DETECT_MAX]; /* every display controller, in address order */
	size_t ngpu;
	size_t nintegrated, ncards;
	bool found;			   /* unambiguous: one integrated GPU and one card */
	size_t host, vm;		   /* with found: indexes into gpu[] */
	struct pci_addr funcs[DETECT_MAX]; /* with found: the card's own functions, display first */
	size_t nfuncs;
};

/* 0 and found; or -ENODEV (nothing to pass through: no GPU, no card, or
 * one GPU only) / -EEXIST (more than one way to choose) with a message
 * naming every candidate (name, slot, monitors) and saying what to set. */
int detect_gpus(const struct pci_list *devs, struct detect_result *r, struct ss_error *e);
/* The functions of the card whose display controller is at a: it first,
 * then its slot's audio function and the other functions of its slot with
 * its vendor (the USB and UCSI functions of Turing and Navi cards); never
 * an APU's platform functions.  Returns how many. */
size_t detect_card_functions(const struct pci_list *devs, const struct pci_addr *a, struct pci_addr *out,
			     size_t max);
/* Is d a function of an APU's slot that is not the GPU's own (its PSP,
 * USB controllers, audio co-processor, HD audio)? */
bool detect_apu_platform_function(const struct pci_list *devs, const struct pci_dev *d);
const struct gpu *detect_find(const struct detect_result *r, const struct pci_addr *a);
/* "0000:01:00.0 NVIDIA Corporation GP104 [GeForce GTX 1080] (a card behind
 * 0000:00:01.0, on nvidia, 2 of 3 connectors with a monitor)" */
void detect_describe(const struct pci_list *devs, const struct gpu *g, char *out, size_t len);
/* "2 of 3 connectors with a monitor", "no DRM device: monitors unknown" */
void detect_monitors(const struct pci_dev *d, char *out, size_t len);

#endif
