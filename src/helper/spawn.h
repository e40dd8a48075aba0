/* Running a child of the helper: by absolute path, with a fixed clean
 * environment, no shell, and a deadline (doc/security.md rule 12). */
#ifndef SS_SPAWN_H
#define SS_SPAWN_H

#include <sys/types.h>

#include "error.h"

/* In a child, before execve: the clean process state of rule 12 (a
 * session of its own, fds 0-2 from in/out/err or /dev/null where -1 (err
 * -1 means out's), default signal dispositions, an empty mask, umask 022,
 * cwd /).  -1 when any of it failed: the child must not run then. */
int spawn_child_setup(int in, int out, int err);
/* Wait for a child with a deadline (pidfd; woken by its exit).  0 and its
 * status, or -ETIMEDOUT: the child was sent SIGKILL but is NOT reaped, since
 * one stuck in the kernel cannot die; the caller must not wait for it. */
int child_wait(pid_t pid, int timeout_ms, int *status);
/* argv[0] is the program's name; path must be absolute.  Returns the
 * child's exit status (0..255), or -ETIMEDOUT (the child is killed, and
 * reaped within a deadline of its own), or -errno when it could not run. */
int spawn_wait(const char *path, char *const argv[], int timeout_ms, struct ss_error *e);

#endif
