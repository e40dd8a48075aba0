/* session-switch-helper: the only privileged program of session-switch.
 * Installed root:session-switch, setuid; run by `session-switch vm|host|
 * recover|status|play`, and by pam_session_switch.so as `host --detach`.
 *
 * Threat model.  The caller is any local user who can execute us.  Only
 * three may go past the check in code (rule 6, authz.c): root, members of
 * the session-switch group, and the user of the live seat login recorded by
 * pam_session_switch.so (doc/design.md: the person at the login screen who
 * chose "Windows VM" needs no group).  That last one is why the default
 * mode is 4755 rather than rule 6's 4750 (configure --with-helper-mode=4750
 * keeps the file mode as a second wall where the login-screen route is not
 * used); the check in code decides either way.  The caller controls argv,
 * the environment, the open file descriptors, the umask, signal
 * dispositions and mask, interval timers, rlimits, the working directory,
 * the terminal and the time at which we run.  From that, the caller MUST
 * NOT be able to:
 *  - make us write anything to sysfs but the plan for the devices named in
 *    the root-owned configuration or found by detection (argv holds a verb
 *    from a fixed table and nothing that names a file, device, driver,
 *    module or command: rules 2, 8; `play`'s one word names a section of
 *    the root-owned vm.conf, nothing else);
 *  - make us run anything as root, lend any node but the VM's, or keep a
 *    lent node after the VM (play.c: rule 23);
 *  - influence a child we run or a library we use through the environment
 *    or the process state (privs.c: rules 3, 4, 5, 12);
 *  - make us read a configuration they wrote (O_NOFOLLOW, owner and mode
 *    checked through the fd: rule 7) or lock / create a file of their
 *    choosing (rule 11);
 *  - stop, freeze or kill us halfway (privs.c; real uid 0 before the first
 *    change: rule 5) and so leave the machine half switched without a
 *    journal (rule 16): the switch runs in a child in a session of its
 *    own that writes to the caller only through a pipe it never blocks
 *    on, and this process, which faces the caller, closes the lock before
 *    it relays (report.c), so an unread pipe, a stopped terminal or ^C
 *    holds neither the switch nor the lock;
 *  - act unseen (every action and denial logged with the real uid: 14).
 * The test build (SS_TEST_BUILD, never installed) adds one thing, read
 * before the environment is cleared: SS_FAULT (tests/helper/fault.c). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "authz.h"
#include "conf.h"
#include "lock.h"
#include "machine.h"
#include "outcome.h"
#include "play.h"
#include "privs.h"
#include "report.h"
#include "switch.h"
#ifdef SS_TEST_BUILD
#include "fault.h"
#endif

enum verb { VERB_VM, VERB_HOST, VERB_RECOVER, VERB_STATUS, VERB_PLAY, VERB_N };
static const char *const verbs[] = {[VERB_VM] = "vm",
				    [VERB_HOST] = "host",
				    [VERB_RECOVER] = "recover",
				    [VERB_STATUS] = "status",
				    [VERB_PLAY] = "play"};

struct args {
	enum verb verb;
	bool json, detach, boot;
	int wait_s;
	const char *vm; /* play: a [vm NAME] of vm.conf, or NULL for the only one */
};

/* A VM's name as vm.conf spells it: a word, never a path. */
static bool vm_name_ok(const char *s)
{
	size_t n = strlen(s);
	bool ok = n > 0 && n < VM_NAME_LEN;

	for (; ok && *s; s++)
		ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		     *s == '_' || *s == '-';
	return ok;
}

/* Rule 2: a fixed table of verbs; options that name nothing. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int r = 0;

	if (argc < 2)
		return -EINVAL;
	for (a->verb = VERB_VM; a->verb < VERB_N && strcmp(argv[1], verbs[a->verb]) != 0; a->verb++)
		;
	if (a->verb == VERB_N)
		return -EINVAL;
	for (int i = 2; i < argc && r == 0; i++) {
		char *end;
		long v;
		if (strcmp(argv[i], "--json") == 0) {
			a->json = true;
		} else if (strcmp(argv[i], "--detach") == 0 &&
			   (a->verb == VERB_VM || a->verb == VERB_HOST || a->verb == VERB_PLAY)) {
			a->detach = true;
		} else if (strcmp(argv[i], "--boot") == 0 && a->verb == VERB_RECOVER) {
			a->boot = true;
		} else if (a->verb == VERB_PLAY && !a->vm && argv[i][0] != '-' && vm_name_ok(argv[i])) {
			a->vm = argv[i];
		} else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc) {
			v = strtol(argv[++i], &end, 10);
			if (*end || end == argv[i] || v < 0 || v > 3600)
				r = -EINVAL;
			a->wait_s = (int)v;
		} else {
			r = -EINVAL;
		}
	}
	return r;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: session-switch-helper vm|host|recover|status [--wait SECONDS] [--json] [--detach]\n"
		"       session-switch-helper recover --boot\n"
		"       session-switch-helper play [NAME] [--wait SECONDS] [--json] [--detach]\n"
		"(run through session-switch; see session-switch(1))\n");
	return EXIT_USAGE;
}

static int status(const struct machine *m)
{
	struct mode_report mr;

	if (m->target_err) {
		fprintf(stderr, "session-switch: %s\n", m->target_msg.msg);
		return EXIT_REFUSED;
	}
	mode_of(&m->target, &m->devs, &mr);
	printf("mode=%s journal=%s\n", mode_str(mr.mode),
	       m->journal_err			     ? "none"
	       : m->journal.state == JOURNAL_PENDING ? "pending"
						     : "done");
	return EXIT_OK;
}

/* What keeps a verb from running on this machine, as an exit code; an
 * interrupted switch comes first, whatever else is wrong: with the bridge
 * removed, the configured devices are missing. */
static int machine_verdict(const struct machine *m, enum machine_fail mf, enum verb v,
			   const struct ss_error *e)
{
	bool pending = mf != MACHINE_SYSTEM && m->journal_err == 0 && m->journal.state == JOURNAL_PENDING;
	int rc = EXIT_OK;

	if (pending && v != VERB_RECOVER && v != VERB_STATUS) {
		fprintf(stderr,
			"session-switch: a switch to %s was interrupted and is still pending in " JOURNAL_DIR
			"/" JOURNAL_FILE "; run session-switch recover first\n",
			mode_str(m->journal.to));
		rc = EXIT_RECOVER;
	} else if (mf == MACHINE_CONFIG &&
		   !(pending && v == VERB_RECOVER)) { /* recover needs the journal only */
		fprintf(stderr, "session-switch: %s\n", e->msg);
		rc = EXIT_CONFIG;
	} else if (mf == MACHINE_SYSTEM) {
		fprintf(stderr, "session-switch: %s\n", e->msg);
		rc = EXIT_REFUSED;
	}
	return rc;
}

/* The switch runs in a child that the caller cannot block or signal
 * (report_fork); this process only relays, holding no lock. */
static int run_verb(const struct args *a, const struct machine *m, const struct authz *az,
		    struct switch_opts *so, struct out *out, int *lock, struct play *play)
{
	static const int exits[] = {[SWITCH_OK] = EXIT_OK,
				    [SWITCH_REFUSED] = EXIT_REFUSED,
				    [SWITCH_ROLLED_BACK] = EXIT_ROLLED_BACK,
				    [SWITCH_LEFT] = EXIT_RECOVER};
	struct ss_error e = {""};
	enum switch_result res;

	so->progress = report_progress;
	so->arg = out;
	so->boot = a->boot;
	out->root = &m->root;
	if (a->detach)
		so->before_change = report_detach;
	/* The one-shot auto-login: only for the seat user themself, asking
	 * for vm (or a play whose VM keeps their desktop: desktop = yes)
	 * within the window after their login (doc/design.md). */
	bool wants_desktop = a->verb == VERB_VM || (a->verb == VERB_PLAY && play->vm && play->vm->desktop);
	if (wants_desktop && az->seated &&
	    seat_may_autologin(&az->seat, m->conf.login_auto, m->conf.login_window, (long long)time(NULL)))
		so->login_user = az->seat.user;
	report_begin(out, verbs[a->verb]);
	pid_t child = report_fork(out, &e);
	if (child < 0) {
		report_end(out, EXIT_REFUSED, false, &e);
		return EXIT_REFUSED;
	}
	if (child > 0) {
		close(*lock);
		*lock = -1;
		return report_relay(out, child);
	}
	if (a->verb == VERB_PLAY) {
		int rc = play_run(m, play, so, &e);
		report_end(out, rc, a->detach, &e);
		return rc;
	}
	/* nodes a play left lent (it was killed): every verb that switches
	 * takes them back first, vm too, or a second play's user (or the
	 * first one's, still holding them) would keep the first's nodes;
	 * the record (vmlend.h) says which and whose they were */
	if (play_takeback(m, so, &e) < 0) {
		report_end(out, EXIT_RECOVER, a->detach, &e);
		return EXIT_RECOVER;
	}
	if (a->verb == VERB_RECOVER)
		res = switch_recover(m, so, &e);
	else
		res = switch_run(m, a->verb == VERB_VM ? MODE_VM : MODE_HOST, so, &e);
	report_end(out, exits[res], a->detach, &e);
	return exits[res];
}

/* play: everything it needs is read and checked before anything moves. */
static int play_check(const struct args *a, const struct machine *m, const struct authz *az, uid_t ruid,
		      struct play *p)
{
	struct ss_error e = {""};
	int rc = play_prepare(m, a->vm, ruid, az->seated ? az->seat.user : NULL, p, &e);

	if (rc != EXIT_OK)
		fprintf(stderr, "session-switch: %s\n", e.msg);
	return rc;
}

/* Everything before the first change: who may run us, then root.  The
 * seat login is read before the caller is shut out, so the one change
 * that may come first is the creation of RUN_DIR itself: root's, 0700,
 * empty. */
static int authorize(const struct args *a, uid_t ruid, gid_t rgid, int *rundir, struct authz *az)
{
	struct ss_error e = {""};
	int rc = EXIT_REFUSED, r;

	/* Only the init system may roll back without bringing the display
	 * manager back: anyone else would be left without a login screen. */
	if (a->boot && ruid != 0) {
		fprintf(stderr,
			"session-switch: recover --boot is for the init system, before the display manager; "
			"run session-switch recover\n");
	} else if (geteuid() != 0) {
		fprintf(stderr,
			"session-switch-helper: not running as root: it must be installed setuid root "
			"(make install as root does that)\n");
	} else if ((*rundir = rundir_open(&e)) < 0) {
		fprintf(stderr, "session-switch: %s\n", e.msg);
	} else if (!authz_check(*rundir, ruid, rgid, az)) {
		audit(LOG_WARNING,
		      "denied: %s by a user neither in group " SWITCH_GROUP " nor logged in at "
		      "the login screen",
		      verbs[a->verb]);
		fprintf(stderr,
			"session-switch: you may not switch the GPU: log in at the login screen, or ask "
			"an administrator to add you to the group " SWITCH_GROUP "\n");
	} else {
		if (!az->member)
			audit(LOG_NOTICE, "allowed: %s by the seat login of %s on %s (%s)", verbs[a->verb],
			      az->seat.user, az->seat.tty, az->seat.service);
		if ((r = privs_become_root()) < 0)
			fprintf(stderr, "session-switch-helper: becoming root: %s\n", strerror(-r));
		else
			rc = EXIT_OK;
	}
	return rc;
}

/* As root: the configuration, the lock (not for status), the machine,
 * then the verb. */
static int load_and_run(const struct args *a, const struct authz *az, int rundir, struct switch_opts *so,
			struct out *out)
{
	struct ss_error e = {""};
	struct ss_config conf;
	struct machine m;
	int lock = -1, rc, r;

	r = config_load_secure(SS_DEFAULT_CONFIG, &conf, &e);
	if (r == -ENOENT)
		config_init(&conf);
	rc = r < 0 && r != -ENOENT ? EXIT_CONFIG : EXIT_OK;
	if (rc == EXIT_CONFIG) {
		audit(LOG_ERR, "refused: %s", e.msg);
		fprintf(stderr, "session-switch: %s\n", e.msg);
	}
	if (rc == EXIT_OK && a->verb != VERB_STATUS && (lock = lock_take(rundir, a->wait_s, &e)) < 0) {
		fprintf(stderr, "session-switch: %s\n", e.msg);
		rc = lock == -EBUSY ? EXIT_BUSY : EXIT_REFUSED;
	}
	if (rc == EXIT_OK) {
		enum machine_fail mf = machine_load_real(&m, &conf, &e);
		struct play play;
		memset(&play, 0, sizeof(play));
		rc = machine_verdict(&m, mf, a->verb, &e);
		if (rc == EXIT_OK && a->verb == VERB_PLAY)
			rc = play_check(a, &m, az, so->ruid, &play);
		if (rc == EXIT_OK)
			rc = a->verb == VERB_STATUS ? status(&m) : run_verb(a, &m, az, so, out, &lock, &play);
		play_free(&play);
		machine_free(&m);
	}
	if (lock >= 0)
		close(lock);
	return rc;
}

/* The order of doas and slock: argv, who, root, load, run. */
int main(int argc, char **argv)
{
	struct switch_opts so = {.ruid = getuid(), .write_timeout_ms = 20000, .wait_timeout_ms = 10000};
	gid_t rgid = getgid();
	struct args a = {VERB_VM, false, false, false, 0, NULL};
	struct authz az;
	struct out out = {.json = false, .relay = -1};
	int rc, rundir = -1;

	/* Rule 1: no argv[0], no service (CVE-2021-4034). */
	if (argc < 1 || !argv || !argv[0])
		_exit(EXIT_USAGE);
#ifdef SS_TEST_BUILD
	fault_from_env(&so);
#endif
	privs_sanitize();
	audit_open(so.ruid);
	if (parse_args(argc, argv, &a) < 0)
		rc = usage();
	else
		rc = authorize(&a, so.ruid, rgid, &rundir, &az);
	if (rc == EXIT_OK) {
		out.json = a.json;
		out.rundir = rundir;
		rc = load_and_run(&a, &az, rundir, &so, &out);
	}
	if (rundir >= 0)
		close(rundir);
	return rc;
}
