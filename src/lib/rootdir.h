/* The helper's own directories (/run/session-switch, /var/lib/session-
 * switch): created if missing, and trusted only when root owns them and
 * nobody else may write (or, for the lock, even look) into them. */
#ifndef SS_ROOTDIR_H
#define SS_ROOTDIR_H

#include <sys/types.h>

#include "error.h"

/* mode: for mkdir; forbidden: permission bits that must be clear. */
int rootdir_open(const char *path, mode_t mode, mode_t forbidden, struct ss_error *e);

#endif
