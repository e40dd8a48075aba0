/* `session-switch startx`: the user's own X on their text console, with
 * the xorg.conf variant of the mode the machine is in, through xinit
 * (doc/design.md "the startx path").  This process stays xinit's parent
 * for the whole session: a `vm` or `host` asked inside X reaches it as a
 * signal (src/lib/startx.h), and it ends X, runs the helper's switch as
 * `session-switch vm` would, and starts X again with the new mode's
 * variant on the same VT.  It holds no privilege: it runs as the user,
 * and the helper authorizes the user as always. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pcinames.h"
#include "startx.h"

/* How long X may take to go after xinit's SIGTERM (xinit itself gives the
 * server a few seconds before its SIGKILL). */
#define STOP_DEADLINE_MS 30000
#define XARGS_MAX 64

static volatile sig_atomic_t requested = -1; /* a mode, or -1 */
static volatile sig_atomic_t stop_sig;

static void on_signal(int s)
{
	if (s == startx_signal_of(MODE_VM))
		requested = MODE_VM;
	else if (s == startx_signal_of(MODE_HOST))
		requested = MODE_HOST;
	else if (s != SIGCHLD)
		stop_sig = s;
}

static const int caught[] = {SIGUSR1, SIGUSR2, SIGCHLD, SIGTERM, SIGHUP, SIGINT};

/* The machine as it is now: its [display] manager, display and the
 * variant of its mode.  An exit code, 0 when it can start X. */
static int load(const char *sysroot, const char *config, char *variant, size_t len, enum mode *mode,
		int *display, struct ss_error *e)
{
	struct machine m;
	int rc = EXIT_OK;

	switch (machine_load(&m, sysroot, config, e)) {
	case MACHINE_CONFIG:
		rc = EXIT_CONFIG;
		goto out;
	case MACHINE_SYSTEM:
		rc = EXIT_REFUSED;
		goto out;
	case MACHINE_OK:
		break;
	}
	if (m.conf.dm != DM_NONE) {
		snprintf(e->msg, sizeof(e->msg), "startx is for [display] manager = none, and %s",
			 m.conf.dm == DM_UNSET
			     ? "the configuration names no manager: add manager = none "
			       "to its [display] section"
			     : "a display manager is configured: log in through it instead");
		rc = EXIT_REFUSED;
		goto out;
	}
	*display = m.conf.display;
	if (startx_variant(&m, variant, len, mode, e) < 0)
		rc = EXIT_REFUSED;
out:
	machine_free(&m);
	return rc;
}

/* xinit -- Xorg :N vtN -config VARIANT -nolisten tcp -keeptty X-ARGS: no
 * client, so that xinit runs ~/.xinitrc (or its xterm) as startx does;
 * -keeptty as Debian's startx, for a server that keeps the VT of its
 * user. */
static void build_argv(char **argv, char bufs[3][64], int display, const char *vt, const char *variant,
		       char **xargs, int nx)
{
	int n = 0;

	snprintf(bufs[0], 64, ":%d", display);
	snprintf(bufs[1], 64, "%s", vt);
	snprintf(bufs[2], 64, "%s", variant);
	argv[n++] = XINIT_PATH;
	argv[n++] = "--";
	argv[n++] = XORG_PATH;
	argv[n++] = bufs[0];
	argv[n++] = bufs[1];
	argv[n++] = "-config";
	argv[n++] = bufs[2];
	argv[n++] = "-nolisten";
	argv[n++] = "tcp";
	argv[n++] = "-keeptty";
	for (int i = 0; i < nx; i++)
		argv[n++] = xargs[i];
	argv[n] = NULL;
}

static pid_t spawn(char **argv, const sigset_t *orig)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
			signal(caught[i], SIG_DFL);
		sigprocmask(SIG_SETMASK, orig, NULL);
		execv(argv[0], argv);
		fprintf(stderr, "session-switch: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* xinit's exit status as an exit code of ours. */
static int status_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* End xinit (it ends its client and X) and wait for it, with a deadline
 * after which it is killed: the helper then finds X still there and says
 * so itself. */
static void stop_x(pid_t child)
{
	struct timespec tick = {0, 50 * 1000000L};
	int st;

	kill(child, SIGTERM);
	for (int ms = 0; ms < STOP_DEADLINE_MS; ms += 50) {
		if (waitpid(child, &st, WNOHANG) == child)
			return;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "session-switch: xinit (pid %ld) did not end within %d s: killed\n", (long)child,
		STOP_DEADLINE_MS / 1000);
	kill(child, SIGKILL);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
}

/* The helper's switch, as `session-switch vm` runs it; its messages go to
 * the VT, which is text again now that X is gone. */
static int run_switch(enum mode to, const sigset_t *orig)
{
	char *argv[] = {HELPER_PATH, (char *)mode_str(to), NULL};
	int st;
	pid_t pid = spawn(argv, orig);

	if (pid < 0)
		return EXIT_REFUSED;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return EXIT_REFUSED;
	return status_code(st);
}

/* Requests that came while X was down are nobody's: no X client could
 * have sent them for this session. */
static void drop_requests(void)
{
	sigset_t s;
	struct timespec zero = {0, 0};

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	while (sigtimedwait(&s, NULL, &zero) > 0)
		;
	requested = -1;
}

int cli_startx(const char *sysroot, const char *config, char **xargs, int nx, bool print)
{
	char variant[64], vt[16], bufs[3][64], env[48], *argv[XARGS_MAX + 12];
	struct ss_error err = {""};
	struct stat st;
	sigset_t block, orig, waitmask;
	enum mode mode = MODE_HOST;
	int display = 0, n, rc, first = 1;

	if (nx > XARGS_MAX)
		return cli_fail_json(false, EXIT_USAGE, "startx: too many X server arguments");
	if ((sysroot || config) && !print)
		return cli_fail_json(
		    false, EXIT_USAGE,
		    "startx acts on this machine; --sysroot and --config go with startx --print");
	n = fstat(STDIN_FILENO, &st) == 0 && S_ISCHR(st.st_mode) ? startx_vt_of_rdev(st.st_rdev) : 0;
	if (!n && !print)
		return cli_fail_json(
		    false, EXIT_REFUSED,
		    "startx runs on a text console: its standard input must be a virtual "
		    "terminal /dev/ttyN (log in on one with Ctrl+Alt+F2, then run it there)");
	if (n)
		snprintf(vt, sizeof(vt), "vt%d", n);
	else
		snprintf(vt, sizeof(vt), "vtN");
	if ((rc = load(sysroot, config, variant, sizeof(variant), &mode, &display, &err)) != EXIT_OK)
		return cli_fail_json(false, rc, err.msg);
	build_argv(argv, bufs, display, vt, variant, xargs, nx);
	if (print) {
		printf("mode: %s\nvariant: /etc/X11/%s\ncommand:", mode_str(mode), variant);
		for (char **a = argv; *a; a++)
			printf(" %s", *a);
		printf("\n");
		return EXIT_OK;
	}

	/* The requests and the end of xinit are taken only in sigsuspend():
	 * between two checks of the flags nothing is lost. */
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		sigaddset(&block, caught[i]);
		sigaction(caught[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &block, &orig);
	waitmask = orig;
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigdelset(&waitmask, caught[i]);
	snprintf(env, sizeof(env), "%ld:%u", (long)getpid(), (unsigned)getuid());
	setenv(STARTX_ENV, env, 1);

	for (;;) {
		pid_t child;
		int xst = 0;
		bool ended = false;

		if (!first) {
			rc = load(sysroot, config, variant, sizeof(variant), &mode, &display, &err);
			if (rc != EXIT_OK) {
				fprintf(stderr, "session-switch: cannot start X again: %s\n", err.msg);
				break;
			}
			build_argv(argv, bufs, display, vt, variant, xargs, nx);
		}
		first = 0;
		drop_requests();
		fprintf(stderr, "session-switch: starting X on :%d %s with %s (%s mode)\n", display, vt,
			variant, mode_str(mode));
		if ((child = spawn(argv, &orig)) < 0) {
			rc = cli_fail_json(false, EXIT_REFUSED, "cannot fork for xinit");
			break;
		}
		while (requested < 0 && !stop_sig) {
			if (waitpid(child, &xst, WNOHANG) == child) {
				ended = true;
				break;
			}
			sigsuspend(&waitmask);
		}
		if (!ended)
			stop_x(child);
		rc = ended ? status_code(xst) : EXIT_OK;
		if (stop_sig || requested < 0)
			break; /* the user left X, or we were told to end */
		enum mode to = (enum mode)requested;
		fprintf(stderr, "session-switch: X is gone; switching to %s\n", mode_str(to));
		if ((rc = run_switch(to, &orig)) != EXIT_OK)
			fprintf(stderr,
				"session-switch: the switch to %s failed (exit %d: %s); X starts again in "
				"the mode the machine is in\n",
				mode_str(to), rc, outcome_of(rc)->meaning);
		if (stop_sig)
			break;
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	pcinames_cleanup();
	return rc;
}
