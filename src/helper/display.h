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
/* The system user the X check runs as (created by make install). */
#ifndef XCHECK_USER
#define XCHECK_USER "session-switch-x"
#endif

/* Is a display manager configured at all (anything but unset)? */
bool display_managed(const struct ss_config *c);
/* The pid of root's X server on the display (the one process that
 * listens on both of its sockets, SO_PEERCRED), 0 when none runs.  Never
 * read from /tmp/.X0-lock (doc/security.md rule 22). */
int display_x_pid(const struct sysroot *sr, int display);
/* Move aside every /tmp/.X*-lock and /tmp/.X11-unix/X* (and the directory
 * itself) that root did not create, into a root-only quarantine, logging
 * each with its owner.  Never opens or follows them. */
int display_quarantine(struct ss_error *e);
/* Stop the display manager and wait until X is gone: its process exited,
 * no root server answers on the display.  With manager = none, refuse
 * while X runs. */
int display_stop(const struct ss_config *c, const struct sysroot *sr, int timeout_ms, struct ss_error *e);
/* Quarantine what users left in /tmp, refuse while someone else serves
 * the display, start the display manager, wait until the display's server
 * is root's and the display manager's own (a descendant of it, or in its
 * systemd unit), then until X accepts a connection with a connected output
 * (checked by session-switch-xcheck as an unprivileged user) and its log
 * says it drives `gpu`.  info receives xcheck's JSON line.  1 with
 * manager = none (the user starts X). */
int display_start(const struct ss_config *c, const struct sysroot *sr, const struct pci_addr *gpu,
		  int timeout_ms, char *info, size_t infolen, struct ss_error *e);

#endif
