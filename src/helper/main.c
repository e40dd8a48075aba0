/* session-switch-helper: the only privileged program of session-switch.
 * Installed root:session-switch, setuid; run by `session-switch vm|host|
 * recover|status`, and by pam_session_switch.so as `host --detach`.
 *
 * Threat model.  The caller is any local user who can execute us.  Only
 * three may go past the check in code (rule 6): root, members of the
 * session-switch group, and the user of the live seat login recorded by
 * pam_session_switch.so (DESIGN.md: the person at the login screen who
 * chose "Windows VM" needs no group).  That last one is why the default
 * mode is 4755 rather than rule 6's 4750 (configure --with-helper-mode=4750
 * keeps the file mode as a second wall where the login-screen route is not
 * used); the check in code decides either way.  The caller controls argv, the environment,
 * the open file descriptors, the umask, signal dispositions and mask, rlimits
 * and the time at which we run.  From that, the caller MUST NOT be able to:
 *  - make us write anything to sysfs but the plan for the devices named in
 *    the root-owned configuration or found by detection (argv holds a verb
 *    from a fixed table and nothing that names a file, device, driver,
 *    module or command: rules 2, 8);
 *  - influence a child we run or a library we use through the environment
 *    (cleared and rebuilt from constants before anything else: rule 3);
 *  - make us read a configuration they wrote (O_NOFOLLOW, owner and mode
 *    checked through the fd: rule 7) or lock / create a file of their
 *    choosing (rule 11);
 *  - stop us halfway (real uid set to 0 before the first change, terminal
 *    signals blocked, SIGPIPE ignored: rule 5) and so leave the machine
 *    half switched without a journal (rule 16);
 *  - act unseen (every action and denial logged with the real uid: 14).
 * Test builds (SS_TEST_BUILD, never installed) also read SS_FAULT before
 * clearing the environment, to inject failures. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "conf.h"
#include "json.h"
#include "lock.h"
#include "machine.h"
#include "seat.h"
#include "switch.h"

enum { EX_OK = 0, EX_REFUSED = 1, EX_USAGE = 2, EX_CONFIG = 3, EX_ROLLED_BACK = 4, EX_RECOVER = 5, EX_BUSY = 6 };

enum verb { VERB_VM, VERB_HOST, VERB_RECOVER, VERB_STATUS };
static const char *const verbs[] = { [VERB_VM] = "vm", [VERB_HOST] = "host", [VERB_RECOVER] = "recover",
				      [VERB_STATUS] = "status" };

/* Rule 4: 0-2 open (a closed stderr must not become our journal's fd),
 * nothing else inherited. */
static void sanitize_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", O_RDWR);
			if (n < 0)
				_exit(EX_REFUSED);
			if (n != fd) /* open() takes the lowest free fd: it is fd */
				_exit(EX_REFUSED);
		}
	}
	if (close_range(3, ~0U, 0) < 0) {
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	}
}

/* Rule 5: whatever the caller set, start from the defaults. */
static void reset_signals(void)
{
	sigset_t none;
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		signal(sig, SIG_DFL);
	}
	/* A closed terminal must not kill us between two sysfs writes. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void block_terminal_signals(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGTSTP);
	sigaddset(&s, SIGQUIT);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static int in_switch_group(uid_t ruid, gid_t rgid)
{
	struct group *g = getgrnam(SWITCH_GROUP);
	gid_t groups[256];
	int n;

	if (ruid == 0)
		return 1;
	if (!g)
		return 0;
	if (rgid == g->gr_gid)
		return 1;
	n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == g->gr_gid)
			return 1;
	return 0;
}

/* The seat login of the real uid, if there is a live one: the display
 * manager process that recorded it is still the same process. */
static bool seat_of(int rundir, uid_t ruid, struct seat_login *s)
{
	struct ss_error e;
	struct sysroot sr;
	bool ok;

	if (seat_load(rundir, s, &e) < 0 || s->uid != ruid)
		return false;
	if (sysroot_open_real(&sr, &e) < 0)
		return false;
	ok = seat_alive(&sr, s);
	sysroot_close(&sr);
	return ok;
}

struct out {
	bool json;
	struct json j;
	long total_ms;
	const char *verb;
	int rundir;
	const struct sysroot *root;
};

/* A detached switch stops the display manager, and under systemd it was
 * started inside that manager's unit (from PAM's close_session) or a
 * session: stopping the unit kills its whole cgroup (KillMode=control-
 * group), the switch with it, halfway.  So it first leaves for the root
 * cgroup (v2, or systemd's v1 hierarchy), where no unit's stop reaches;
 * before the fork, so that the child is out before the caller returns.
 * Without cgroups there is nothing to leave. */
static void leave_cgroup(const struct sysroot *root)
{
	static const char *const procs[] = { "/sys/fs/cgroup/cgroup.procs", "/sys/fs/cgroup/systemd/cgroup.procs" };
	char pid[24];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());

	for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
		int fd = sysroot_openat(root, procs[i], O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, pid, (size_t)n) != n)
			audit(LOG_WARNING, "cannot leave the caller's cgroup (%s: %s): stopping the display "
					   "manager's unit may stop this switch too", procs[i], strerror(errno));
		close(fd);
		return;
	}
}

/* --detach, once the checks have passed: the parent reports that the
 * switch goes on and exits; the child, in a session of its own, holds the
 * lock (the same open file) and writes its progress to RUN_DIR/switch.log
 * and syslog.  It survives the X session that asked (DESIGN.md step 3). */
static int detach(void *arg, struct ss_error *e)
{
	struct out *o = arg;
	int log, null;
	pid_t pid;

	log = openat(o->rundir, "switch.log", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (log < 0)
		return ss_fail(e, -errno, RUN_DIR "/switch.log: %s", strerror(errno));
	leave_cgroup(o->root);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		int r = -errno;
		close(log);
		return ss_fail(e, r, "fork: %s", strerror(-r));
	}
	if (pid > 0) {
		fprintf(stderr, "session-switch: the checks passed; switching to %s in the background (pid %ld): "
				"progress in " RUN_DIR "/switch.log and syslog, the result in `session-switch status`\n",
			o->verb, (long)pid);
		if (o->json) {
			json_end_array(&o->j);
			json_kstring(&o->j, "result", "started");
			json_kint(&o->j, "pid", pid);
			json_kint(&o->j, "exit", EX_OK);
			json_end_object(&o->j);
			json_finish(&o->j);
		}
		fflush(stdout);
		_exit(EX_OK);
	}
	setsid();
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null >= 0)
		dup2(null, 0);
	dup2(log, 1);
	dup2(log, 2);
	if (null > 2)
		close(null);
	close(log);
	o->json = false; /* the caller has its answer; the log gets the text */
	audit(LOG_INFO, "%s: checks passed; going on detached as pid %ld", o->verb, (long)getpid());
	return 0;
}

static void progress(void *arg, const struct switch_report *r)
{
	struct out *o = arg;
	o->total_ms += r->ms;
	if (o->json) {
		json_begin_object(&o->j);
		json_kstring(&o->j, "phase", r->phase);
		json_kstring(&o->j, "action", r->action);
		json_kstring(&o->j, "device", r->device);
		json_kstring(&o->j, "value", r->value);
		json_kint(&o->j, "ms", r->ms);
		json_kstring(&o->j, "result", r->result ? "failed" : "ok");
		json_kstring(&o->j, "detail", r->detail);
		json_end_object(&o->j);
	}
	/* Progress on stderr in both modes: a person watching over ssh sees it. */
	fprintf(stderr, "%-9s %-15s %-12s %-10s %6ld ms  %s%s%s\n", r->phase, r->action, r->device,
		r->value[0] ? r->value : "-", r->ms, r->result ? "FAILED" : "ok", r->detail[0] && r->result ? ": " : "",
		r->result ? r->detail : "");
}

static int usage(void)
{
	fprintf(stderr, "usage: session-switch-helper vm|host|recover|status [--wait SECONDS] [--json] [--detach]\n"
			"(run through session-switch; see session-switch(1))\n");
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	uid_t ruid = getuid();
	gid_t rgid = getgid();
	struct switch_opts so = { .write_timeout_ms = 20000, .wait_timeout_ms = 10000 };
	struct ss_error e = { "" };
	struct ss_config conf;
	struct machine m;
	struct out out = { false };
	enum switch_result res;
	enum verb verb;
	int wait_s = 0, lock, rc, r, rundir;
	bool detached = false, member, seated;
	struct seat_login seat;

	/* Rule 1: no argv[0], no service (CVE-2021-4034). */
	if (argc < 1 || !argv || !argv[0])
		_exit(EX_USAGE);
	sanitize_fds();
#ifdef SS_TEST_BUILD
	const char *fault = getenv("SS_FAULT");
	if (fault && strncmp(fault, "fail:", 5) == 0)
		so.fault = FAULT_FAIL, so.fault_step = atoi(fault + 5);
	else if (fault && strncmp(fault, "die:", 4) == 0)
		so.fault = FAULT_DIE, so.fault_step = atoi(fault + 4);
	else if (fault && strncmp(fault, "poweroff:", 9) == 0)
		so.fault = FAULT_POWEROFF, so.fault_step = atoi(fault + 9);
#endif
	/* Rule 3: nothing of the caller's environment survives. */
	if (clearenv() != 0)
		_exit(EX_REFUSED);
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("LANG", "C", 1);
	umask(077);
	reset_signals();
	audit_open(ruid);

	/* Rule 2: a fixed table of verbs; options that name nothing. */
	if (argc < 2)
		return usage();
	for (verb = VERB_VM; verb <= VERB_STATUS; verb++)
		if (strcmp(argv[1], verbs[verb]) == 0)
			break;
	if (verb > VERB_STATUS)
		return usage();
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			out.json = true;
		} else if (strcmp(argv[i], "--detach") == 0 && (verb == VERB_VM || verb == VERB_HOST)) {
			detached = true;
		} else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || end == argv[i] || v < 0 || v > 3600)
				return usage();
			wait_s = (int)v;
		} else {
			return usage();
		}
	}

	if (geteuid() != 0) {
		fprintf(stderr, "session-switch-helper: not running as root: it must be installed setuid root "
				"(make install as root does that)\n");
		return EX_REFUSED;
	}
	/* The seat login is read before the caller is shut out (rule 5's
	 * setresuid below), so the one change that may come first is the
	 * creation of RUN_DIR itself: root's, 0700, empty. */
	rundir = rundir_open(&e);
	if (rundir < 0) {
		fprintf(stderr, "session-switch: %s\n", e.msg);
		return EX_REFUSED;
	}
	/* Rule 6, checked in code: root, the group, or the live seat login. */
	member = in_switch_group(ruid, rgid);
	seated = seat_of(rundir, ruid, &seat);
	if (!member && !seated) {
		audit(LOG_WARNING, "denied: %s by a user neither in group " SWITCH_GROUP " nor logged in at "
				   "the login screen", verbs[verb]);
		fprintf(stderr, "session-switch: you may not switch the GPU: log in at the login screen, or ask "
				"an administrator to add you to the group " SWITCH_GROUP "\n");
		close(rundir);
		return EX_REFUSED;
	}
	if (!member)
		audit(LOG_NOTICE, "allowed: %s by the seat login of %s on %s (%s)", verbs[verb], seat.user, seat.tty,
		      seat.service);
	/* Rule 5: from here on the caller cannot signal us. */
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		fprintf(stderr, "session-switch-helper: setresuid: %s\n", strerror(errno));
		return EX_REFUSED;
	}
	if (setgroups(0, NULL) < 0) {
		fprintf(stderr, "session-switch-helper: setgroups: %s\n", strerror(errno));
		return EX_REFUSED;
	}
	block_terminal_signals();

	r = config_load_secure(SS_DEFAULT_CONFIG, &conf, &e);
	if (r < 0 && r != -ENOENT) {
		audit(LOG_ERR, "refused: %s", e.msg);
		fprintf(stderr, "session-switch: %s\n", e.msg);
		return EX_CONFIG;
	}
	if (r == -ENOENT)
		config_init(&conf);

	lock = verb == VERB_STATUS ? -1 : lock_take(rundir, wait_s, &e);
	if (verb != VERB_STATUS && lock < 0) {
		fprintf(stderr, "session-switch: %s\n", e.msg);
		return lock == -EBUSY ? EX_BUSY : EX_REFUSED;
	}

	enum machine_fail mf = machine_load_real(&m, &conf, &e);
	bool pending = mf != MACHINE_SYSTEM && m.journal_err == 0 && m.journal.state == JOURNAL_PENDING;
	if (pending && verb != VERB_RECOVER && verb != VERB_STATUS) {
		/* An interrupted switch comes first, whatever else is wrong:
		 * with the bridge removed, the configured devices are missing. */
		fprintf(stderr, "session-switch: a switch to %s was interrupted and is still pending in "
				"/var/lib/session-switch/journal; run session-switch recover first\n",
			mode_str(m.journal.to));
		rc = EX_RECOVER;
		goto out;
	}
	switch (mf) {
	case MACHINE_CONFIG:
		if (pending && verb == VERB_RECOVER)
			break; /* recover works from the journal alone */
		fprintf(stderr, "session-switch: %s\n", e.msg);
		rc = EX_CONFIG;
		goto out;
	case MACHINE_SYSTEM:
		fprintf(stderr, "session-switch: %s\n", e.msg);
		rc = EX_REFUSED;
		goto out;
	case MACHINE_OK:
		break;
	}
	if (verb == VERB_STATUS) {
		struct mode_report mr;
		if (m.target_err) {
			fprintf(stderr, "session-switch: %s\n", m.target_msg.msg);
			rc = EX_REFUSED;
			goto out;
		}
		mode_of(&m.target, &m.devs, &mr);
		printf("mode=%s journal=%s\n", mode_str(mr.mode),
		       m.journal_err ? "none" : m.journal.state == JOURNAL_PENDING ? "pending" : "done");
		rc = EX_OK;
		goto out;
	}

	so.ruid = ruid;
	so.progress = progress;
	so.arg = &out;
	out.verb = verbs[verb];
	out.rundir = rundir;
	out.root = &m.root;
	if (detached)
		so.before_change = detach;
	/* The one-shot auto-login: only for the seat user themself, asking
	 * for vm within the window after their login (DESIGN.md step 3). */
	if (verb == VERB_VM && seated &&
	    seat_may_autologin(&seat, conf.login_auto, conf.login_window, (long long)time(NULL)))
		so.login_user = seat.user;
	if (out.json) {
		json_init(&out.j, stdout);
		json_begin_object(&out.j);
		json_kstring(&out.j, "verb", verbs[verb]);
		json_key(&out.j, "steps");
		json_begin_array(&out.j);
	}
	if (verb == VERB_RECOVER)
		res = switch_recover(&m, &so, &e);
	else
		res = switch_run(&m, verb == VERB_VM ? MODE_VM : MODE_HOST, &so, &e);
	rc = res == SWITCH_OK ? EX_OK : res == SWITCH_REFUSED ? EX_REFUSED : res == SWITCH_ROLLED_BACK ?
	     EX_ROLLED_BACK : EX_RECOVER;
	if (rc != EX_OK)
		fprintf(stderr, "session-switch: %s\n", e.msg);
	else if (detached) /* the log's last line says how it ended */
		fprintf(stderr, "session-switch: switched to %s\n", verbs[verb]);
	if (out.json) {
		json_end_array(&out.j);
		json_kstring(&out.j, "result", res == SWITCH_OK ? "ok" : res == SWITCH_REFUSED ? "refused" :
				res == SWITCH_ROLLED_BACK ? "rolled_back" : "left_for_recover");
		json_kint(&out.j, "exit", rc);
		json_kstring(&out.j, "error", rc ? e.msg : "");
		json_kint(&out.j, "total_ms", out.total_ms);
		json_end_object(&out.j);
		json_finish(&out.j);
	}
out:
	machine_free(&m);
	if (lock >= 0)
		close(lock);
	close(rundir);
	return rc;
}
