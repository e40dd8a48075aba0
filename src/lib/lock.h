/* One switch at a time (doc/design.md step 1): an flock on a file in
 * /run/session-switch, a directory that must belong to root alone. */
#ifndef SS_LOCK_H
#define SS_LOCK_H

#include "error.h"

/* Fixed at build time; only the never-installed test build of the PAM
 * module (tests/pam) is compiled with another one. */
#ifndef RUN_DIR
#define RUN_DIR "/run/session-switch"
#endif

/* Open (creating if needed) RUN_DIR, checked: root-owned, mode 0700. */
int rundir_open(struct ss_error *e);
/* Take the lock; wait up to wait_s seconds (0: not at all).  Returns the
 * lock fd, or -EBUSY when another switch holds it. */
int lock_take(int rundir_fd, int wait_s, struct ss_error *e);

#endif
