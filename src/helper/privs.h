/* The process state of the setuid helper: what the caller handed over at
 * execve is replaced by known values (doc/security.md rules 3, 4, 5). */
#ifndef SS_PRIVS_H
#define SS_PRIVS_H

/* Before anything else, as the caller: fds 0-2 open on something and
 * nothing above them, the environment rebuilt from constants, umask 077,
 * every signal at its default but those that the caller could use to stop
 * or kill us at a write (ignored), the signal mask empty, interval timers
 * disarmed.  Exits (never returns) when fds 0-2 cannot be made sane. */
void privs_sanitize(void);
/* Become root for real (the caller can no longer signal us), drop the
 * caller's groups, block the terminal's signals, give every rlimit the
 * value init has, and leave the caller's working directory.  -errno. */
int privs_become_root(void);

#endif
