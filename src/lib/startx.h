/* `session-switch startx` (doc/design.md "the startx path"): X started by
 * the user on a text console with the xorg.conf variant of the current
 * mode, through xinit, by a wrapper that stays the parent of xinit.  A
 * `vm` or `host` asked inside that X session is a request to the wrapper
 * (a signal of the same uid, named by SS_STARTX) instead of a switch of
 * its own: the switch needs X gone from the card, and only the wrapper
 * can end X and start it again on the same VT as the same user. */
#ifndef SS_STARTX_H
#define SS_STARTX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "machine.h"
#include "mode.h"
#include "sysroot.h"

/* the environment variable the wrapper exports into its X session:
 * "PID:UID" of the wrapper */
#define STARTX_ENV "SS_STARTX"
/* the request signals: SIGUSR1 asks for vm, SIGUSR2 for host */
int startx_signal_of(enum mode to);

/* The virtual console a character device is (major 4, minor 1..63, what
 * the kernel names /dev/ttyN), or 0 when it is anything else: a pty, a
 * serial line, /dev/console. */
int startx_vt_of_rdev(dev_t rdev);

/* The xorg.conf variant of the mode m is in, as Xorg's -config takes it
 * relative to /etc/X11 ("xorg.conf.nvidia"), and that mode.  -ENOENT when
 * setup has not written it, -EAGAIN when the machine is in no mode
 * (mixed: recover first); the message says what to do. */
int startx_variant(const struct machine *m, char *name, size_t len, enum mode *mode, struct ss_error *e);

/* "PID:UID" to its numbers; false for anything else. */
bool startx_env_parse(const char *s, pid_t *pid, uid_t *uid);

/* With the value of SS_STARTX: is its wrapper alive, of the uid me (its
 * real uid in /proc/PID/status) and a session-switch process (comm)?  Then
 * send it the request for `to`: 0.  1 when there is no such wrapper (the
 * variable is stale, malformed or someone else's: switch the ordinary
 * way), -errno when the signal could not be sent. */
int startx_request(const struct sysroot *sr, const char *env, uid_t me, enum mode to, pid_t *pid,
		   struct ss_error *e);
/* Its two halves: is env a live wrapper of ours (0, its pid in *pid; 1
 * when not), and send it the request (0, or -errno).  The command says
 * what it asks before it asks: the request ends the X session that the
 * command itself runs in. */
int startx_wrapper(const struct sysroot *sr, const char *env, uid_t me, pid_t *pid);
int startx_ask(pid_t pid, enum mode to, struct ss_error *e);

#endif
