/* Running a child of the helper: by absolute path, with a fixed clean
 * environment, no shell, and a deadline (doc/security.md rule 12). */
#ifndef SS_SPAWN_H
#define SS_SPAWN_H

#include <sys/types.h>

#include "error.h"

/* argv[0] is the program's name; path must be absolute.  Returns the
 * child's exit status (0..255), or -ETIMEDOUT (the child is killed), or
 * -errno when it could not run. */
/* Wait for a child with a deadline (pidfd; woken by its exit).  0 and its
 * status, or -ETIMEDOUT: the child was sent SIGKILL but is NOT reaped, since
 * one stuck in the kernel cannot die; the caller must not wait for it. */
int child_wait(pid_t pid, int timeout_ms, int *status);
int spawn_wait(const char *path, char *const argv[], int timeout_ms, struct ss_error *e);

#endif
