/* Threat model: runs as root in the setuid helper.  What it prints comes
 * from the switch's own reports; text that the kernel, X or a process name
 * supplied is already cleaned of control characters where it is made
 * (audit_clean).  The detached child MUST NOT keep anything of the caller:
 * its stdio is /dev/null and the log in RUN_DIR (opened O_NOFOLLOW in
 * root's own directory), its session its own, its cgroup the root one. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "outcome.h"
#include "report.h"
#include "lock.h"

void report_begin(struct out *o, const char *verb)
{
	o->verb = verb;
	if (!o->json)
		return;
	json_init(&o->j, stdout);
	json_begin_object(&o->j);
	json_kstring(&o->j, "verb", verb);
	json_key(&o->j, "steps");
	json_begin_array(&o->j);
}

void report_progress(void *arg, const struct switch_report *r)
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
	int fd = -1;

	for (size_t i = 0; fd < 0 && i < sizeof(procs) / sizeof(procs[0]); i++) {
		fd = sysroot_openat(root, procs[i], O_WRONLY);
		if (fd >= 0 && write(fd, pid, (size_t)n) != n)
			audit(LOG_WARNING, "cannot leave the caller's cgroup (%s: %s): stopping the display "
					   "manager's unit may stop this switch too", procs[i], strerror(errno));
	}
	if (fd >= 0)
		close(fd);
}

/* --detach, once the checks have passed: the parent reports that the
 * switch goes on and exits; the child, in a session of its own, holds the
 * lock (the same open file) and writes its progress to RUN_DIR/switch.log
 * and syslog.  It survives the X session that asked. */
int report_detach(void *arg, struct ss_error *e)
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
			json_kint(&o->j, "exit", EXIT_OK);
			json_end_object(&o->j);
			json_finish(&o->j);
		}
		fflush(stdout);
		_exit(EXIT_OK);
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

void report_end(struct out *o, int code, bool detached, const struct ss_error *e)
{
	if (code != EXIT_OK)
		fprintf(stderr, "session-switch: %s\n", e->msg);
	else if (detached) /* the log's last line says how it ended */
		fprintf(stderr, "session-switch: switched to %s\n", o->verb);
	if (o->json) {
		json_end_array(&o->j);
		json_kstring(&o->j, "result", outcome_of(code)->result);
		json_kint(&o->j, "exit", code);
		json_kstring(&o->j, "error", code ? e->msg : "");
		json_kint(&o->j, "total_ms", o->total_ms);
		json_end_object(&o->j);
		json_finish(&o->j);
	}
}
