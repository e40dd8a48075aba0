/* Stopping and starting the display manager around a switch (doc/design.md
 * steps 3 and 8), and knowing by events, not sleeps, that X is gone and
 * that it is up again on the intended GPU. */
#ifndef SS_DISPLAY_H
#define SS_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "error.h"
#include "pciaddr.h"
#include "sysroot.h"

#define DEFAULT_XAUTHORITY "/var/run/slim.auth"

/* Is a display manager configured at all (anything but unset)? */
bool display_managed(const struct ss_config *c);
/* The X server's pid from its lock file, 0 when none runs. */
int display_x_pid(const struct sysroot *sr, int display);
/* Stop the display manager and wait until X is gone: its process exited,
 * its lock file removed.  With manager = none, refuse while X runs. */
int display_stop(const struct ss_config *c, const struct sysroot *sr, int timeout_ms, struct ss_error *e);
/* Start it and wait until X accepts a connection with a connected output
 * (checked by session-switch-xcheck as an unprivileged user) and its log
 * says it drives `gpu`.  info receives xcheck's JSON line.  1 with
 * manager = none (the user starts X). */
int display_start(const struct ss_config *c, const struct sysroot *sr, const struct pci_addr *gpu, int timeout_ms,
		  char *info, size_t infolen, struct ss_error *e);

#endif
