/* The seat login: who logged in at the display manager, recorded by
 * pam_session_switch.so at open_session in RUN_DIR (doc/design.md, "The
 * login-screen flow").  It lets that user ask for a switch without the
 * group, names the only user the greeter may log in once after a switch,
 * and is believed only while this login's session still runs: the process
 * that opened it (the display manager's, where pam_open_session ran) and
 * the X server that the module verified as the display manager's, each
 * still the same process (pid and start time).  SLiM starts a new X server
 * after every logout, so a record outlives neither. */
#ifndef SS_SEAT_H
#define SS_SEAT_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "mode.h"
#include "sysroot.h"

#define SEAT_FILE "seat"
#define SEAT_USER_LEN 33

struct seat_login {
	char user[SEAT_USER_LEN]; /* PAM_USER, checked against the password database */
	uid_t uid;
	char tty[16];		   /* PAM_TTY: an X display, ":0" or ":0.0" */
	char service[32];	   /* PAM_SERVICE, "slim" */
	long long time;		   /* unix time of open_session */
	pid_t pid;		   /* the display manager process that opened it */
	unsigned long long start;  /* its start time (/proc/PID/stat field 22) */
	enum mode mode;		   /* the mode the journal gave when it opened */
	pid_t xpid;		   /* the display's X server, verified at open_session */
	unsigned long long xstart; /* its start time */
};

/* A user name as useradd makes them: [A-Za-z0-9_][A-Za-z0-9._-]*, < 33. */
bool seat_valid_user(const char *s);
/* An X display as PAM_TTY carries it: ":N" or ":N.M". */
bool seat_is_display(const char *tty);
/* A virtual terminal as PAM_TTY carries it: "/dev/ttyN" or "ttyN". */
bool seat_is_vt(const char *tty);
/* The display of a login: PAM_TTY when it is one (SLiM); else, with
 * PAM_TTY a VT, PAM_XDISPLAY when that is one (LightDM); else NULL. */
const char *seat_display(const char *tty, const char *xdisplay);
/* A system account (the display manager's own greeter user, "lightdm"):
 * a uid below UID_MIN or above UID_MAX of /etc/login.defs (1000 and
 * 60000 where it says nothing), but root.  Never a seat login. */
bool seat_system_account(const struct sysroot *sr, uid_t uid);
/* Words of a service name: [A-Za-z0-9._-], 1..31. */
bool seat_valid_service(const char *s);

int seat_format(const struct seat_login *s, char *buf, size_t len);
/* -EINVAL with "name:line: ..." when anything is off. */
int seat_parse(const char *text, const char *name, struct seat_login *s, struct ss_error *e);

/* In an open RUN_DIR, mode 0600, through atomic_replace(). */
int seat_save(int rundir, const struct seat_login *s, struct ss_error *e);
/* -ENOENT when there is none; a record that is not a plain file owned by
 * us (root) and writable by us alone is refused (-EPERM). */
int seat_load(int rundir, struct seat_login *s, struct ss_error *e);
/* Remove the record if it is still the one `mine` describes (same user,
 * pid and start): a later login's record is left alone.  1 removed, 0 not. */
int seat_remove(int rundir, const struct seat_login *mine);

/* Field 22 of /proc/PID/stat: when the process started, in clock ticks. */
int proc_start_time(const struct sysroot *sr, pid_t pid, unsigned long long *start);
/* This login's session still runs: the process that opened the record and
 * the X server it was made on are both still running (same pid, same start
 * time).  A display manager killed by a switch, or the X server that a
 * logout ended, leaves a record that authorises nobody. */
bool seat_alive(const struct sysroot *sr, const struct seat_login *s);

/* The one-shot auto-login after a switch to vm that this seat user asked
 * for: [login] auto on, the login made in host mode, and the request
 * within `window` seconds of it (a record from the future is not). */
bool seat_may_autologin(const struct seat_login *s, bool auto_on, int window, long long now);

#endif
