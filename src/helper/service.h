/* Stopping and starting a service through its init system: systemd,
 * OpenRC, runit, or a root-owned command (doc/design.md step 4).  The
 * kinds are those of [display] manager, and display.c's dm_run starts and
 * stops the display manager through this same function. */
#ifndef SS_SERVICE_H
#define SS_SERVICE_H

#include <stdbool.h>

#include "conf.h"
#include "drvdata.h"
#include "error.h"

/* 0 when the init system did it; -errno with what failed (its exit code,
 * or the deadline) otherwise. */
int service_run(enum dm_kind kind, const char *name, bool start, int timeout_ms, struct ss_error *e);
/* Legacy persistence mode of the card at addr turned on or off with the
 * driver data's persistence_on / persistence_off command: 0 when it ran
 * and exited 0; -errno with what failed otherwise.  Whether the mode
 * really changed is the caller's to check. */
int service_persistence(const struct drvdata *d, const char *addr, bool on, int timeout_ms,
			struct ss_error *e);

#endif
