/* pam_session_switch.so through the real libpam: pam_start_confdir() with
 * a service file written here (doc/testing.md, the PAM layer).  The module
 * under test is the never-installed test build, whose run directory,
 * journal directory and helper path are compiled in below
 * $SS_BUILDDIR/tests/pam/root; the installed module is checked for its
 * exports only.  Every case asserts both what the module did and that the
 * login went on: pam_open_session / pam_close_session return PAM_SUCCESS
 * with the module stacked `required`, whatever went wrong inside it. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static char root[512], confdir[600], rundir[600], seatfile[640], jdir[600], helper[600], helperlog[640];
static char xdir[600];
static pid_t xservers[8];
static size_t nxservers;
static char user[64];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A stand-in for the display's X server: a process that listens on the
 * abstract socket and/or the path socket of display 0 below xdir (the test
 * build's X11_SOCKET_DIR), and waits to be killed.  SO_PEERCRED reports it,
 * which is all the module asks of an X server. */
enum { X_ABSTRACT = 1, X_PATH = 2 };
static int x_listen(int which)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	socklen_t len = sizeof(sa);
	size_t n = strlen(xdir);
	if (fd < 0 || n + 4 >= sizeof(sa.sun_path) - 1)
		return -1; /* a build tree too deep for a socket path */
	char *at = sa.sun_path + (which == X_ABSTRACT);
	memcpy(at, xdir, n);
	memcpy(at + n, "/X0", 4);
	if (which == X_ABSTRACT)
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n + 3);
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 8) < 0)
		return -1;
	return fd;
}

/* Started by this process (as the display manager starts X), or, with
 * orphan, by a child that exits at once: then not the display manager's.
 * The server says its pid on the pipe once it listens. */
static void x_start(int which, bool orphan)
{
	int ready[2];
	pid_t server;
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (orphan && fork() != 0)
			_exit(0);
		if (((which & X_ABSTRACT) && x_listen(X_ABSTRACT) < 0) ||
		    ((which & X_PATH) && x_listen(X_PATH) < 0))
			_exit(1);
		pid_t me = getpid();
		if (write(ready[1], &me, sizeof(me)) != (ssize_t)sizeof(me))
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &server, sizeof(server)), (ssize_t)sizeof(server));
	close(ready[0]);
	if (orphan)
		waitpid(pid, NULL, 0);
	xservers[nxservers++] = server;
}

/* Gone once its sockets are: an orphan is reaped by someone else, so
 * its end is seen in /proc (gone, or a zombie, whose files are closed). */
static void x_stop_all(void)
{
	for (size_t i = 0; i < nxservers; i++) {
		char path[64], st[256] = "";
		kill(xservers[i], SIGKILL);
		waitpid(xservers[i], NULL, WNOHANG);
		snprintf(path, sizeof(path), "/proc/%ld/stat", (long)xservers[i]);
		for (int t = 0; t < 200; t++) {
			FILE *f = fopen(path, "r");
			if (!f)
				break;
			size_t n = fread(st, 1, sizeof(st) - 1, f);
			fclose(f);
			st[n] = '\0';
			char *p = strrchr(st, ')');
			if (p && p[1] == ' ' && p[2] == 'Z')
				break;
			usleep(10 * 1000);
		}
		waitpid(xservers[i], NULL, WNOHANG);
	}
	nxservers = 0;
	sh("rm -rf '%s' && mkdir -p '%s'", xdir, xdir);
}

/* A fresh root: run dir, journal dir, a helper that records how it was
 * run, and a service stacking the module `required` before pam_permit. */
static int setup(void **state)
{
	(void)state;
	const char *b = getenv("SS_BUILDDIR");
	struct passwd *pw = getpwuid(geteuid());
	assert_non_null(b);
	assert_non_null(pw);
	snprintf(user, sizeof(user), "%s", pw->pw_name);
	snprintf(root, sizeof(root), "%s/tests/pam/root", b);
	snprintf(confdir, sizeof(confdir), "%s/pam.d", root);
	snprintf(rundir, sizeof(rundir), "%s/run/session-switch", root);
	snprintf(seatfile, sizeof(seatfile), "%s/seat", rundir);
	snprintf(jdir, sizeof(jdir), "%s/lib/session-switch", root);
	snprintf(helper, sizeof(helper), "%s/helper", root);
	snprintf(helperlog, sizeof(helperlog), "%s/helper.log", root);
	snprintf(xdir, sizeof(xdir), "%s/x11", root);
	sh("rm -rf '%s' && mkdir -p '%s' '%s/run' '%s' '%s'", root, confdir, root, jdir, xdir);
	char text[4096];
	snprintf(text, sizeof(text),
		 "#!/bin/sh\n{ echo \"args: $*\"; env | sort | sed 's/^/env: /'; } >'%s.tmp'\n"
		 "mv '%s.tmp' '%s'\n",
		 helperlog, helperlog, helperlog);
	put(helper, text, 0755);
	/* the display manager's own X server, unless a case says otherwise */
	x_start(X_ABSTRACT | X_PATH, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	x_stop_all();
	return 0;
}

static void service(const char *args)
{
	char path[700], text[1200];
	snprintf(path, sizeof(path), "%s/ss-test", confdir);
	snprintf(text, sizeof(text),
		 "session required %s/tests/pam/.libs/pam_session_switch_test.so %s\n"
		 "session required pam_permit.so\n",
		 getenv("SS_BUILDDIR"), args);
	put(path, text, 0644);
}

static void journal(const char *state, const char *to)
{
	char path[700], text[512];
	snprintf(path, sizeof(path), "%s/journal", jdir);
	snprintf(text, sizeof(text),
		 "version=1\nstate=%s\nfrom=%s\nto=%s\nuid=0\nstarted=1\n"
		 "fn=0000:01:00.0 before=nvidia after=vfio-pci host=nvidia had=drm\n",
		 state, strcmp(to, "vm") == 0 ? "host" : "vm", to);
	put(path, text, 0644);
}

static int conv(int n, const struct pam_message **m, struct pam_response **r, void *data)
{
	(void)n, (void)m, (void)r, (void)data;
	return PAM_CONV_ERR; /* a session module never asks */
}

struct login {
	pam_handle_t *h;
};

static void login_open(struct login *l, const char *as, const char *tty, int expect)
{
	static const struct pam_conv c = {conv, NULL};
	assert_int_equal(pam_start_confdir("ss-test", as, &c, confdir, &l->h), PAM_SUCCESS);
	if (tty)
		assert_int_equal(pam_set_item(l->h, PAM_TTY, tty), PAM_SUCCESS);
	assert_int_equal(pam_open_session(l->h, 0), expect);
}

static void login_close(struct login *l)
{
	assert_int_equal(pam_close_session(l->h, 0), PAM_SUCCESS);
	assert_int_equal(pam_end(l->h, PAM_SUCCESS), PAM_SUCCESS);
}

/* The helper runs detached: wait (bounded) for its record. */
static const char *helper_ran(int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		if (access(helperlog, F_OK) == 0)
			return slurp(helperlog);
		usleep(10 * 1000);
	}
	return NULL;
}

static void open_records_the_seat_login(void **state)
{
	(void)state;
	struct login l;
	struct stat st;
	char want[256];

	service("");
	login_open(&l, user, ":0.0", PAM_SUCCESS);
	assert_int_equal(stat(seatfile, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_uid, geteuid());
	const char *s = slurp(seatfile);
	assert_non_null(s);
	snprintf(want, sizeof(want), "\nuser=%s\nuid=%u\ntty=:0.0\nservice=ss-test\n", user,
		 (unsigned)geteuid());
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof(want), "\npid=%ld\n", (long)getpid());
	assert_non_null(strstr(s, want));
	assert_non_null(strstr(s, "\nmode=host\n"));
	login_close(&l);
	/* closed: the record is gone, and in host mode nothing was started */
	assert_int_equal(access(seatfile, F_OK), -1);
	assert_null(helper_ran(1000));
}

static void close_in_vm_mode_starts_the_switch_back(void **state)
{
	(void)state;
	struct login l;

	service("debug");
	journal("done", "vm");
	setenv("SS_CANARY", "from-the-display-manager", 1);
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_non_null(strstr(slurp(seatfile), "\nmode=vm\n"));
	login_close(&l);
	const char *log = helper_ran(5000);
	assert_non_null(log);
	/* fixed arguments, and not one variable of ours (rule 20) */
	assert_non_null(strstr(log, "args: host --detach\n"));
	assert_null(strstr(log, "SS_CANARY"));
	assert_null(strstr(log, "env: PATH="));
	assert_null(strstr(log, "env: HOME="));
	unsetenv("SS_CANARY");
}

static void close_after_a_return_by_other_means_does_nothing(void **state)
{
	(void)state;
	struct login l;

	service("");
	journal("done", "vm");
	login_open(&l, user, ":0", PAM_SUCCESS);
	journal("done", "host"); /* someone ran session-switch host meanwhile */
	login_close(&l);
	assert_null(helper_ran(1000));
}

static void no_return_and_unknown_options(void **state)
{
	(void)state;
	struct login l;

	/* an unknown option is logged, never fatal */
	service("bogus=1 --debug no_return");
	journal("done", "vm");
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), 0);
	login_close(&l);
	assert_null(helper_ran(1000));
}

static void not_a_seat_login(void **state)
{
	(void)state;
	struct login l;

	service("");
	/* su or login on a text console: ignored, and the login goes on */
	login_open(&l, user, "/dev/tty1", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	login_open(&l, user, NULL, PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	login_open(&l, user, ":0; rm -rf /", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
}

static void odd_user_names(void **state)
{
	(void)state;
	struct login l;

	service("");
	login_open(&l, "no-such-user-ss", ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	login_open(&l, "../../etc/passwd", ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	login_open(&l, "root\nuser=root", ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
}

static void missing_or_broken_helper(void **state)
{
	(void)state;
	struct login l;
	long t0;

	service("");
	journal("done", "vm");
	/* missing */
	unlink(helper);
	login_open(&l, user, ":0", PAM_SUCCESS);
	login_close(&l);
	/* not executable */
	put(helper, "#!/bin/sh\nexit 0\n", 0644);
	login_open(&l, user, ":0", PAM_SUCCESS);
	login_close(&l);
	/* hangs: the module does not wait for it (rule 19); a module that
	   waited would take the helper's 30 s */
	put(helper, "#!/bin/sh\nexec sleep 30\n", 0755);
	login_open(&l, user, ":0", PAM_SUCCESS);
	t0 = now_ms();
	login_close(&l);
	assert_true(now_ms() - t0 < 10000);
	sh("pkill -f '^sleep 30$' || true");
	/* fails at once */
	put(helper, "#!/bin/sh\nexit 1\n", 0755);
	login_open(&l, user, ":0", PAM_SUCCESS);
	login_close(&l);
}

static void unusable_run_directory(void **state)
{
	(void)state;
	struct login l;

	service("");
	/* a file where the directory should be */
	put(rundir, "not a directory\n", 0644);
	login_open(&l, user, ":0", PAM_SUCCESS);
	login_close(&l);
	assert_string_equal(slurp(rundir), "not a directory\n");
	unlink(rundir);
	/* a directory others may write into: not trusted */
	assert_int_equal(mkdir(rundir, 0777), 0);
	assert_int_equal(chmod(rundir, 0777), 0);
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	rmdir(rundir);
	/* a directory owned by somebody else (only root can make one) */
	if (geteuid() == 0) {
		assert_int_equal(mkdir(rundir, 0700), 0);
		assert_int_equal(chown(rundir, 65534, 65534), 0);
		login_open(&l, user, ":0", PAM_SUCCESS);
		assert_int_equal(access(seatfile, F_OK), -1);
		login_close(&l);
		rmdir(rundir);
	}
}

static void planted_record_is_not_removed_or_trusted(void **state)
{
	(void)state;
	struct login l;

	service("");
	login_open(&l, user, ":0", PAM_SUCCESS);
	/* another login replaced the record meanwhile: ours must not delete it */
	char text[512];
	snprintf(text, sizeof(text),
		 "user=%s\nuid=%u\ntty=:1\nservice=slim\ntime=1\npid=1\nstart=1\nmode=host\n", user,
		 (unsigned)geteuid());
	put(seatfile, text, 0600);
	login_close(&l);
	assert_string_equal(slurp(seatfile), text);
}

/* Rules 21 and 22: PAM_TTY=:0 proves nothing; the display's server must
 * be this display manager's own.  No server at all (a user's greeter on
 * nothing: no record) ... */
static void no_x_server_no_seat_login(void **state)
{
	(void)state;
	struct login l;

	x_stop_all();
	service("");
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
}

/* ... a server the display manager did not start (a user's own Xvfb on
 * :0, started while no X ran) ... */
static void x_server_not_the_display_managers_no_seat_login(void **state)
{
	(void)state;
	struct login l;

	x_stop_all();
	x_start(X_ABSTRACT | X_PATH, true);
	service("");
	login_open(&l, user, ":0.0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
}

/* ... or two processes, one on each socket (a squatter on the abstract
 * name beside the real server's path socket), or a symlink where the
 * path socket should be: no record either. */
static void x_sockets_of_two_servers_no_seat_login(void **state)
{
	(void)state;
	struct login l;
	char path[700];

	x_stop_all();
	x_start(X_ABSTRACT, true);
	x_start(X_PATH, false);
	service("");
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	/* the abstract one alone is the display manager's: the path socket
	 * is missing */
	x_stop_all();
	x_start(X_ABSTRACT, false);
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	/* and a symlink in its place is never followed */
	x_stop_all();
	snprintf(path, sizeof(path), "%s/X0", xdir);
	x_start(X_ABSTRACT, false);
	char real[700];
	snprintf(real, sizeof(real), "%s/real", xdir);
	assert_int_equal(mkdir(real, 0755), 0);
	snprintf(xdir + strlen(xdir), sizeof(xdir) - strlen(xdir), "/real");
	x_start(X_PATH, false);
	xdir[strlen(xdir) - 5] = '\0';
	char target[720];
	snprintf(target, sizeof(target), "%s/X0", real);
	assert_int_equal(symlink(target, path), 0);
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
}

/* LightDM: PAM_TTY a VT, the display in PAM_XDISPLAY, and pam_open_session
 * called in a session process below the daemon that started X.  Run here
 * in a child (or a grandchild, as LightDM 1.26 does it) of this process,
 * which started the stand-in X server; it answers
 * with its exit status: 0 a record of display :0 was made (and removed
 * at close), 1 none was made, 2 something else went wrong. */
static int lightdm_child(const char *tty, const char *xdisplay, bool grandchild)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0 && grandchild) {
		/* LightDM's daemon -> lightdm --session-child -> PAM */
		pid_t g = fork();
		int st;
		if (g < 0)
			_exit(2);
		if (g > 0)
			_exit(waitpid(g, &st, 0) == g && WIFEXITED(st) ? WEXITSTATUS(st) : 2);
	}
	if (pid == 0) {
		static const struct pam_conv c = {conv, NULL};
		pam_handle_t *h;
		int rc = 2;
		if (pam_start_confdir("ss-test", user, &c, confdir, &h) != PAM_SUCCESS ||
		    pam_set_item(h, PAM_TTY, tty) != PAM_SUCCESS ||
		    (xdisplay && pam_set_item(h, PAM_XDISPLAY, xdisplay) != PAM_SUCCESS) ||
		    pam_open_session(h, 0) != PAM_SUCCESS)
			_exit(2);
		const char *rec = slurp(seatfile);
		char want[128];
		snprintf(want, sizeof(want), "\nuser=%s\nuid=%u\ntty=:0\n", user, (unsigned)geteuid());
		rc = !rec ? 1 : strstr(rec, want) ? 0 : 2;
		if (pam_close_session(h, 0) != PAM_SUCCESS || access(seatfile, F_OK) == 0)
			rc = 2;
		pam_end(h, PAM_SUCCESS);
		_exit(rc);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void lightdm_display_in_xdisplay(void **state)
{
	(void)state;
	service("debug");
	/* the daemon (our parent there) started X: a seat login of :0 */
	assert_int_equal(lightdm_child("/dev/tty7", ":0", false), 0);
	assert_int_equal(lightdm_child("/dev/tty7", ":0", true), 0);
	assert_int_equal(lightdm_child("tty7", ":0", true), 0);
	/* LightDM 1.26: the display in PAM_TTY as well as in PAM_XDISPLAY (a
	 * fresh stand-in: it accepts nothing, and its backlog is full) */
	x_stop_all();
	x_start(X_ABSTRACT | X_PATH, false);
	assert_int_equal(lightdm_child(":0", ":0", true), 0);
	/* the two naming different displays: none (no server on :1) */
	assert_int_equal(lightdm_child(":1", ":0", true), 1);
	/* SLiM's form is no LightDM: X must descend from the PAM caller itself */
	assert_int_equal(lightdm_child(":0", NULL, false), 1);
	/* a VT without a display, or with one that is no display */
	assert_int_equal(lightdm_child("/dev/tty7", NULL, false), 1);
	assert_int_equal(lightdm_child("/dev/tty7", ":0; rm -rf /", false), 1);
	assert_int_equal(lightdm_child("/dev/pts/3", ":0", false), 1);
	/* a server the daemon did not start (a user's own on :0, whose parent
	 * is no ancestor of ours): none */
	x_stop_all();
	x_start(X_ABSTRACT | X_PATH, true);
	assert_int_equal(lightdm_child("/dev/tty7", ":0", true), 1);
}

/* The greeter's own session (LightDM opens it as user "lightdm") is a
 * system account's: never a seat login, whatever its display. */
static void greeter_session_is_no_seat_login(void **state)
{
	(void)state;
	struct login l;
	struct passwd *pw = getpwnam("daemon");

	if (!pw || pw->pw_uid == 0 || pw->pw_uid >= 1000) {
		skip(); /* no system account to log in as here */
		return;
	}
	service("debug");
	login_open(&l, "daemon", ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), -1);
	login_close(&l);
	/* and the same display for a person is one */
	login_open(&l, user, ":0", PAM_SUCCESS);
	assert_int_equal(access(seatfile, F_OK), 0);
	login_close(&l);
}

/* Only the two pam_sm_* functions leave either build (module.map). */
static void exports_only_pam_sm(void **state)
{
	(void)state;
	static const char *const inside[] = {
	    "seat_parse",	"seat_save",	   "journal_load",	  "ss_fail",
	    "config_parse",	"rundir_open",	   "sysroot_open_real",	  "mode_str",
	    "start_helper",	"atomic_replace",  "pam_sm_authenticate", "pam_sm_setcred",
	    "pam_sm_acct_mgmt", "pam_sm_chauthtok"};
	const char *which[] = {"pam/.libs/pam_session_switch.so",
			       "tests/pam/.libs/pam_session_switch_test.so"};
	for (size_t w = 0; w < 2; w++) {
		char path[700];
		snprintf(path, sizeof(path), "%s/%s", getenv("SS_BUILDDIR"), which[w]);
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h)
			fail_msg("dlopen %s: %s", path, dlerror());
		assert_non_null(dlsym(h, "pam_sm_open_session"));
		assert_non_null(dlsym(h, "pam_sm_close_session"));
		for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
			if (dlsym(h, inside[i]))
				fail_msg("%s exports %s", which[w], inside[i]);
		dlclose(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(open_records_the_seat_login, setup, teardown),
	    cmocka_unit_test_setup_teardown(close_in_vm_mode_starts_the_switch_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(close_after_a_return_by_other_means_does_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(no_return_and_unknown_options, setup, teardown),
	    cmocka_unit_test_setup_teardown(not_a_seat_login, setup, teardown),
	    cmocka_unit_test_setup_teardown(odd_user_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(missing_or_broken_helper, setup, teardown),
	    cmocka_unit_test_setup_teardown(unusable_run_directory, setup, teardown),
	    cmocka_unit_test_setup_teardown(planted_record_is_not_removed_or_trusted, setup, teardown),
	    cmocka_unit_test_setup_teardown(no_x_server_no_seat_login, setup, teardown),
	    cmocka_unit_test_setup_teardown(x_server_not_the_display_managers_no_seat_login, setup, teardown),
	    cmocka_unit_test_setup_teardown(x_sockets_of_two_servers_no_seat_login, setup, teardown),
	    cmocka_unit_test_setup_teardown(lightdm_display_in_xdisplay, setup, teardown),
	    cmocka_unit_test_setup_teardown(greeter_session_is_no_seat_login, setup, teardown),
	    cmocka_unit_test(exports_only_pam_sm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
