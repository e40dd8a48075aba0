/* pam_session_switch.so: the login-screen half of session-switch
 * (doc/design.md, "The login-screen flow").  In the display manager's session
 * stack:  session optional pam_session_switch.so [debug] [no_return]
 *
 *  open_session   records the seat login (user, uid, display, service,
 *                 time, the display manager's pid, the display's X server)
 *                 in RUN_DIR/seat, but only when that X server is the
 *                 display manager's own (rules 21, 22): that
 *                 record lets this user's `session-switch vm` through the
 *                 helper without the group, and names the one user the
 *                 greeter may log in once, right after the switch.
 *  close_session  of a session opened while the journal said vm, and the
 *                 machine still in vm mode: starts `helper host --detach`
 *                 and returns at once ("log out to return").
 *
 * Threat model.  We run as root inside the display manager, before the
 * user's session exists, for whoever typed a name and a password.  PAM
 * items are the user's words (rule 21): each is checked against a strict
 * alphabet and the password database before it is written anywhere.  A
 * PAM_TTY of ":0" proves nothing: while no X runs, any local user can
 * serve :0 (his own Xvfb) and make the display manager show its greeter
 * there.  We MUST NOT:
 *  - record a seat login unless the display's server is root's and a
 *    descendant of this process (the display manager that calls
 *    pam_open_session), as the kernel reports who listens on both of the
 *    display's sockets (SO_PEERCRED, xserver.c; rules 21, 22).  Where the
 *    display manager gives a VT in PAM_TTY and the display in PAM_XDISPLAY
 *    (LightDM), the server's parent may instead be an ancestor of this
 *    process (never init): LightDM calls PAM in a session process below
 *    its daemon, and the daemon started X.  Only the application sets
 *    these items; the user's words never reach them;
 *  - record a seat login of a system account (uid below UID_MIN: the
 *    greeter's own session, which LightDM opens as user "lightdm");
 *  - refuse or delay a login for our own trouble (rule 17): every failure
 *    is logged with pam_syslog and answered with PAM_IGNORE;
 *  - block (rule 19): the helper is started through a double fork; the
 *    only wait is for the intermediate child, which exits at once, and it
 *    has a deadline; exec failure comes back through a close-on-exec pipe
 *    read with a deadline;
 *  - run anything but the helper's compiled-in absolute path, with an
 *    empty environment and fixed arguments (rule 20);
 *  - exit, abort, or leave process-wide state changed (rule 18): forked
 *    children _exit; no signal handler is touched; only pam_sm_open_session
 *    and pam_sm_close_session are exported (module.map);
 *  - read anything in the user's home as root (rule 21). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "journal.h"
#include "lock.h"
#include "seat.h"
#include "sysroot.h"
#include "xserver.h"

#define DATA_KEY "session_switch_seat"
/* The longest we wait for anything: the intermediate child's exit and
 * word of the helper's exec. */
#define DEADLINE_MS 2000

struct args {
	bool debug;	/* log what we decide, not only what goes wrong */
	bool no_return; /* do not switch back to host at close_session */
};

static void parse_args(pam_handle_t *pamh, int argc, const char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "debug") == 0)
			a->debug = true;
		else if (strcmp(argv[i], "no_return") == 0)
			a->no_return = true;
		else /* logged, not fatal: a typo must not lock anyone out */
			pam_syslog(pamh, LOG_ERR, "unknown option \"%s\" ignored (known: debug, no_return)",
				   argv[i]);
	}
}

static const char *item(pam_handle_t *pamh, int type)
{
	const void *v = NULL;
	return pam_get_item(pamh, type, &v) == PAM_SUCCESS ? v : NULL;
}

/* The mode the journal says the machine is in: a pending switch counts
 * as where it is going. */
static enum mode journal_mode(const struct sysroot *sr)
{
	struct journal j;
	struct ss_error e;
	return journal_load(sr, &j, &e) == 0 && j.to == MODE_VM ? MODE_VM : MODE_HOST;
}

static bool journal_says_vm_done(const struct sysroot *sr)
{
	struct journal j;
	struct ss_error e;
	return journal_load(sr, &j, &e) == 0 && j.state == JOURNAL_DONE && j.to == MODE_VM;
}

static void free_seat(pam_handle_t *pamh, void *data, int status)
{
	(void)pamh;
	(void)status;
	free(data);
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const char *user, *tty, *service, *display, *xdisplay;
	struct seat_login s, *kept;
	struct passwd pw, *pwp = NULL;
	struct sysroot sr;
	struct ss_error e = {""};
	struct xserver x;
	struct args a;
	char pwbuf[4096];
	int rundir;

	(void)flags;
	parse_args(pamh, argc, argv, &a);
	user = item(pamh, PAM_USER);
	tty = item(pamh, PAM_TTY);
	service = item(pamh, PAM_SERVICE);
	/* A seat login is one on a local X display, in PAM_TTY (SLiM) or in
	 * PAM_XDISPLAY beside a VT (LightDM); su, login on a text console or
	 * sshd are not, whatever stack we were put in. */
	xdisplay = item(pamh, PAM_XDISPLAY);
	display = seat_display(tty, xdisplay);
	if (!display || strlen(display) >= sizeof(s.tty)) {
		if (a.debug)
			pam_syslog(pamh, LOG_DEBUG, "tty \"%s\" is not an X display: not a seat login",
				   tty ? tty : "(none)");
		return PAM_IGNORE;
	}
	if (!user || !seat_valid_user(user) || getpwnam_r(user, &pw, pwbuf, sizeof(pwbuf), &pwp) != 0 ||
	    !pwp) {
		pam_syslog(pamh, LOG_ERR,
			   "user is not a known user with a plain name: no seat login recorded");
		return PAM_IGNORE;
	}
	if (!service || !seat_valid_service(service))
		service = "unknown";

	memset(&s, 0, sizeof(s));
	snprintf(s.user, sizeof(s.user), "%s", user);
	s.uid = pw.pw_uid;
	snprintf(s.tty, sizeof(s.tty), "%s", display);
	snprintf(s.service, sizeof(s.service), "%s", service);
	s.time = (long long)time(NULL);
	s.pid = getpid();
	if (sysroot_open_real(&sr, &e) < 0) {
		pam_syslog(pamh, LOG_ERR, "%s: no seat login recorded", e.msg);
		return PAM_IGNORE;
	}
	if (seat_system_account(&sr, pw.pw_uid)) {
		if (a.debug)
			pam_syslog(pamh, LOG_DEBUG,
				   "%s (uid %u) is a system account (a greeter's): not a seat login", user,
				   (unsigned)pw.pw_uid);
		sysroot_close(&sr);
		return PAM_IGNORE;
	}
	if (proc_start_time(&sr, s.pid, &s.start) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot read /proc/%ld/stat: no seat login recorded", (long)s.pid);
		sysroot_close(&sr);
		return PAM_IGNORE;
	}
	/* Rules 21, 22: the display is this display manager's own server, or
	 * this is no seat login.  Owned by whoever we are: root in the display
	 * manager (the test build's own user in tests/pam).  LightDM's display
	 * (PAM_XDISPLAY; 1.26 puts it in PAM_TTY too, the pam_unix log of the
	 * reference guest shows tty=:0) is served by a child of its daemon, and we run in a
	 * session process below that daemon: the server's parent (never init)
	 * must be an ancestor of ours, as session-switch-xguard asks. */
	pid_t dm = 0;
	struct xserver seen;
	int dn = xserver_display_number(display);
	int xr = xserver_verify(&sr, dn, geteuid(), s.pid, &x, &e);
	if (xr < 0 && xdisplay && strcmp(display, xdisplay) == 0 &&
	    xserver_peer(&sr, dn, geteuid(), &seen) == XSERVER_ONE && proc_ppid(&sr, seen.pid, &dm) == 0 &&
	    dm > 1 && proc_descends_from(&sr, s.pid, dm)) {
		xr = xserver_verify(&sr, dn, geteuid(), dm, &x, &e);
		/* the server verified is the one whose parent was found to be
		 * our ancestor, not another that took the display between the
		 * two looks (and merely descends from that ancestor: a user's
		 * own root X started inside his session does) */
		if (xr == 0 && (x.pid != seen.pid || x.start != seen.start))
			xr = ss_fail(&e, -EAGAIN, "display :%d changed servers while it was looked at", dn);
	}
	if (xr < 0) {
		pam_syslog(pamh, LOG_WARNING, "%s: no seat login recorded for %s", e.msg, user);
		sysroot_close(&sr);
		return PAM_IGNORE;
	}
	s.xpid = x.pid;
	s.xstart = x.start;
	s.mode = journal_mode(&sr);
	sysroot_close(&sr);

	rundir = rundir_open(&e);
	if (rundir < 0) {
		pam_syslog(pamh, LOG_ERR, "%s: no seat login recorded", e.msg);
		return PAM_IGNORE;
	}
	int r = seat_save(rundir, &s, &e);
	close(rundir);
	if (r < 0) {
		pam_syslog(pamh, LOG_ERR, RUN_DIR ": %s: no seat login recorded", e.msg);
		return PAM_IGNORE;
	}
	kept = malloc(sizeof(*kept));
	if (!kept || pam_set_data(pamh, DATA_KEY, kept, free_seat) != PAM_SUCCESS) {
		free(kept);
		pam_syslog(pamh, LOG_ERR, "cannot keep the seat login for close_session");
		return PAM_IGNORE;
	}
	*kept = s;
	pam_syslog(pamh, LOG_INFO,
		   "seat login of %s (uid %u) on %s by %s recorded; mode %s; X server pid %ld", s.user,
		   (unsigned)s.uid, s.tty, s.service, mode_str(s.mode), (long)s.xpid);
	return PAM_SUCCESS;
}

/* Start the helper detached: fork, the child forks the helper and exits,
 * so the helper is nobody's child here and we wait only for an exit that
 * comes at once.  Returns 0 when the helper's exec succeeded. */
static int start_helper(pam_handle_t *pamh, const char *verb)
{
	char *const argv[] = {(char *)HELPER_PATH, (char *)verb, (char *)"--detach", NULL};
	char *const envp[] = {NULL};
	int pfd[2], status, err = 0;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return err;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to execve. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(pfd[0]);
		setsid();
		pid_t g = fork();
		if (g != 0)
			_exit(g < 0 ? 1 : 0);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		execve(HELPER_PATH, argv, envp);
		int x = errno;
		ssize_t w = write(pfd[1], &x, sizeof(x));
		(void)w;
		_exit(127);
	}
	close(pfd[1]);

	/* The intermediate child exits at once; wait for it, with a deadline. */
	struct timespec t0, now, tick = {0, 5 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break; /* done, or reaped by the application's own handler */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 > DEADLINE_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			pam_syslog(pamh, LOG_ERR, "the child starting the helper did not exit; killed");
			break;
		}
		nanosleep(&tick, NULL);
	}
	/* EOF: exec worked (the pipe closed with it); an int: exec's errno. */
	struct pollfd p = {pfd[0], POLLIN, 0};
	if (poll(&p, 1, DEADLINE_MS) == 1) {
		int x;
		if (read(pfd[0], &x, sizeof(x)) == (ssize_t)sizeof(x))
			err = -x;
	} else {
		pam_syslog(pamh, LOG_ERR, "no word from the helper's start within %d ms", DEADLINE_MS);
	}
	close(pfd[0]);
	return err;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const void *data = NULL;
	const struct seat_login *s;
	struct sysroot sr;
	struct ss_error e = {""};
	struct args a;
	int rundir;

	(void)flags;
	parse_args(pamh, argc, argv, &a);
	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data)
		return PAM_IGNORE; /* not a seat login of ours */
	s = data;
	rundir = rundir_open(&e);
	if (rundir >= 0) {
		seat_remove(rundir, s);
		close(rundir);
	}
	if (s->mode != MODE_VM || a.no_return) {
		if (a.debug)
			pam_syslog(pamh, LOG_DEBUG,
				   "session of %s opened in %s mode%s: nothing to switch back", s->user,
				   mode_str(s->mode), a.no_return ? " (no_return)" : "");
		return PAM_SUCCESS;
	}
	if (sysroot_open_real(&sr, &e) < 0) {
		pam_syslog(pamh, LOG_ERR, "%s: not switching back", e.msg);
		return PAM_IGNORE;
	}
	bool vm = journal_says_vm_done(&sr);
	sysroot_close(&sr);
	if (!vm) {
		pam_syslog(pamh, LOG_INFO,
			   "session of %s ended; the journal does not say vm mode: nothing "
			   "to switch back",
			   s->user);
		return PAM_SUCCESS;
	}
	int r = start_helper(pamh, "host");
	if (r < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot run %s: %s; switch back with: session-switch host",
			   HELPER_PATH, strerror(-r));
		return PAM_IGNORE;
	}
	pam_syslog(pamh, LOG_INFO,
		   "session of %s ended in vm mode: switching back to host (%s host --detach)", s->user,
		   HELPER_PATH);
	return PAM_SUCCESS;
}
