/* Who serves an X display: the peer credentials of the X sockets, never
 * the world-writable names in /tmp (doc/security.md rule 22).  Shared by
 * the PAM module (is this login's display the display manager's?), the
 * setuid helper (is X up, and is it the display manager's?) and the login
 * guard of the one-shot auto-login (is the server I am about to run a
 * session on the one my display manager started?). */
#ifndef SS_XSERVER_H
#define SS_XSERVER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "sysroot.h"

/* Where X listens: the path socket X11_SOCKET_DIR/XN and the abstract
 * socket of the same name.  The PAM module's test build moves both. */
#ifndef X11_SOCKET_DIR
#define X11_SOCKET_DIR "/tmp/.X11-unix"
#endif

struct xserver {
	pid_t pid;		  /* the process that listens (SO_PEERCRED) */
	uid_t uid;		  /* its effective uid when it listened */
	unsigned long long start; /* its start time, /proc/PID/stat field 22 */
	char comm[32];		  /* its name, cleaned, for messages */
};

enum xserver_state {
	XSERVER_NONE,  /* nobody answers on either socket: the display is free */
	XSERVER_ONE,   /* one process answers on both: *x */
	XSERVER_SPLIT, /* only one socket answers, or two processes answer */
};

/* Connect (non-blocking: a full backlog is not waited for) to both
 * sockets of `display` and read who listens.  XSERVER_ONE fills *x with
 * the one server; XSERVER_SPLIT fills it with the first peer found.  The
 * path socket counts only as a socket owned by `owner` in a directory
 * owned by `owner` (never a symlink); a socket file of anyone else counts
 * as a peer that is not `owner`'s (x->uid is the file's owner). */
enum xserver_state xserver_peer(const struct sysroot *sr, int display, uid_t owner, struct xserver *x);

/* The parent of pid, from /proc/PID/stat (field 4). */
int proc_ppid(const struct sysroot *sr, pid_t pid, pid_t *ppid);
/* pid is ancestor or below it (at most 64 generations up). */
bool proc_descends_from(const struct sysroot *sr, pid_t pid, pid_t ancestor);

/* The display's server is `owner`'s process and a descendant of
 * `ancestor` (the display manager): 0 and *x, or -EPERM / -ENOENT with a
 * message naming who serves the display instead. */
int xserver_verify(const struct sysroot *sr, int display, uid_t owner, pid_t ancestor, struct xserver *x,
		   struct ss_error *e);

/* The display number of ":N" or ":N.M", -1 for anything else. */
int xserver_display_number(const char *tty);

#endif
