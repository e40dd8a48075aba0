/* The ordered sysfs operations of a switch, and the checks before them.
 * The executor of the switch performs exactly these; `plan` prints them. */
#ifndef SS_PLAN_H
#define SS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
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

struct plan {
	enum mode to;
	bool refused;
	bool nothing_to_do;
	struct check checks[PLAN_MAX_CHECKS];
	size_t nchecks;
	struct plan_step steps[PLAN_MAX_STEPS];
	size_t n;
};

void plan_build(const struct machine *m, enum mode to, struct plan *p);
/* The checks' texts; the steps need nothing. */
void plan_free(struct plan *p);
const char *step_kind_str(enum step_kind k);

#endif
