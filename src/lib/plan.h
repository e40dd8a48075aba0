/* The ordered sysfs operations of a switch, and the checks before them.
 * The executor of the switch performs exactly these; `plan` prints them. */
#ifndef SS_PLAN_H
#define SS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "edid.h"
#include "machine.h"
#include "mode.h"

#define PLAN_MAX_STEPS 64
#define PLAN_MAX_CHECKS 32

enum step_kind {
	STEP_MODPROBE,	  /* load a module (value: its name) */
	STEP_REMOVE,	  /* write 1 to the bridge's remove */
	STEP_RESCAN,	  /* write 1 to /sys/bus/pci/rescan */
	STEP_WAIT_DEVICE, /* the function is back after the rescan */
	STEP_OVERRIDE,	  /* write value to driver_override ("" clears it) */
	STEP_UNBIND,	  /* write the address to its driver's unbind */
	STEP_PROBE,	  /* write the address to /sys/bus/pci/drivers_probe */
	STEP_WAIT_DRIVER, /* the driver link names value ("!vfio-pci": any other) */
};

struct plan_step {
	enum step_kind kind;
	char device[PCI_ADDR_LEN];
	char value[PCI_DRIVER_LEN];
	char path[128]; /* the sysfs file written or watched */
};

#define PLAN_DDC_FOUND 4

/* The monitor input of [ddc] for the new mode, after the devices have
 * moved: planned when [ddc] names an input for it.  Where the monitor is
 * is only what sysfs shows now (the card's connectors go away with it);
 * the switch looks again when it gets there. */
struct plan_ddc {
	bool planned;
	int value;	  /* the VCP 0x60 value */
	char monitor[64]; /* as [ddc] monitor names it */
	struct edid_found found[PLAN_DDC_FOUND];
	size_t nfound;
};

struct plan {
	enum mode to;
	bool refused;
	bool nothing_to_do;
	struct check checks[PLAN_MAX_CHECKS];
	size_t nchecks;
	struct plan_step steps[PLAN_MAX_STEPS];
	size_t n;
	struct plan_ddc ddc;
};

void plan_build(const struct machine *m, enum mode to, struct plan *p);
/* The checks' texts; the steps need nothing. */
void plan_free(struct plan *p);
const char *step_kind_str(enum step_kind k);
/* The [ddc] part of a plan to `to` (plan_build calls it): the monitor
 * looked for on the connectors of m->root. */
void plan_ddc(const struct machine *m, enum mode to, struct plan_ddc *d);

#endif
