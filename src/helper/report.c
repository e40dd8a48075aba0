/* Threat model: runs as root in the setuid helper.  The caller owns the
 * terminal or pipe our stdio points at: they can leave a pipe unread, stop
 * a background job at its next write to the terminal (`stty tostop`), or
 * send ^C and ^Z to the process group.  So (doc/security.md rule 5):
 *  - the switch MUST run in a child in a session of its own, whose stdin
 *    is /dev/null, stdout the log in RUN_DIR (opened O_NOFOLLOW in root's
 *    own directory) and stderr a pipe to the caller-facing parent that it
 *    never blocks on (O_NONBLOCK: a record that does not fit is dropped
 *    and counted, never waited for);
 *  - the parent MUST hold nothing the switch needs: it closes the lock
 *    before it relays, so that a parent stuck on the caller's pipe stops
 *    no switch and no later one;
 *  - what reaches the caller's terminal MUST carry no control character
 *    (C0 and C1): the parent cleans every field and line it relays
 *    (audit_clean), whatever X, Xorg or a process name supplied;
 *  - the detached child (--detach) keeps nothing of the caller: its stdio
 *    is /dev/null and the log, its session its own, its cgroup the root
 *    one. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* The child's records to the parent: RS, a kind, fields split by US, a
 * newline; each shorter than PIPE_BUF, so that one write() is all or
 * nothing. */
#define REC_START '\x1e'
#define REC_SEP '\x1f'

static void field(char *buf, size_t *used, size_t len, const char *s, size_t max)
{
	size_t n = 0;
	for (; s && *s && n < max && *used + 2 < len; s++, n++)
		buf[(*used)++] = (*s == '\n' || *s == REC_START || *s == REC_SEP) ? ' ' : *s;
	buf[(*used)++] = REC_SEP;
}

static void send_record(struct out *o, char kind, const char *const *fields, size_t n)
{
	char buf[PIPE_BUF];
	size_t used = 0;

	buf[used++] = REC_START;
	buf[used++] = kind;
	buf[used++] = REC_SEP;
	for (size_t i = 0; i < n; i++)
		field(buf, &used, sizeof(buf) - 1, fields[i], 1200);
	buf[used - 1] = '\n';
	if (write(o->relay, buf, used) != (ssize_t)used)
		o->dropped++;
}

static void show_progress(struct out *o, const struct switch_report *r)
{
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
		r->value[0] ? r->value : "-", r->ms, r->result ? "FAILED" : "ok",
		r->detail[0] && r->result ? ": " : "", r->result ? r->detail : "");
}

void report_progress(void *arg, const struct switch_report *r)
{
	struct out *o = arg;
	char ms[24], res[16];

	if (o->relay < 0) {
		show_progress(o, r);
		return;
	}
	snprintf(ms, sizeof(ms), "%ld", r->ms);
	snprintf(res, sizeof(res), "%d", r->result);
	const char *f[] = {r->phase, r->action, r->device, r->value, ms, res, r->detail};
	send_record(o, 'S', f, 7);
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
	static const char *const procs[] = {"/sys/fs/cgroup/cgroup.procs",
					    "/sys/fs/cgroup/systemd/cgroup.procs"};
	char pid[24];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	int fd = -1;

	for (size_t i = 0; fd < 0 && i < sizeof(procs) / sizeof(procs[0]); i++) {
		fd = sysroot_openat(root, procs[i], O_WRONLY);
		if (fd >= 0 && write(fd, pid, (size_t)n) != n)
			audit(LOG_WARNING,
			      "cannot leave the caller's cgroup (%s: %s): stopping the display "
			      "manager's unit may stop this switch too",
			      procs[i], strerror(errno));
	}
	if (fd >= 0)
		close(fd);
}

/* --detach, once the checks have passed: the switch's child tells the
 * parent that it goes on alone (the parent reports that and exits), and
 * from then on writes its progress to RUN_DIR/switch.log and syslog.  It
 * is already in a session of its own (report_fork) and leaves the caller's
 * cgroup before the parent returns.  It survives the X session that
 * asked. */
int report_detach(void *arg, struct ss_error *e)
{
	struct out *o = arg;
	char pid[24];

	(void)e;
	if (o->detached)
		return 0;
	o->detached = true;
	leave_cgroup(o->root);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (o->relay >= 0) {
		const char *f[] = {pid};
		send_record(o, 'D', f, 1);
		dup2(1, 2); /* stderr (the pipe until now): the log, like stdout */
		o->relay = -1;
	}
	o->json = false; /* the caller has its answer; the log gets the text */
	audit(LOG_INFO, "%s: checks passed; going on detached as pid %s", o->verb, pid);
	return 0;
}

pid_t report_fork(struct out *o, struct ss_error *e)
{
	int p[2], log, null;
	pid_t pid;

	log = openat(o->rundir, "switch.log", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (log < 0)
		return ss_fail(e, -errno, RUN_DIR "/switch.log: %s", strerror(errno));
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || pipe2(p, O_CLOEXEC) < 0) {
		int r = -errno;
		close(log);
		if (null >= 0)
			close(null);
		return ss_fail(e, r, "pipe: %s", strerror(-r));
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid != 0) {
		int r = -errno;
		close(p[1]);
		close(log);
		close(null);
		if (pid > 0) {
			o->relay = p[0]; /* the parent reads here */
			return pid;
		}
		close(p[0]);
		return ss_fail(e, r, "fork: %s", strerror(-r));
	}
	close(p[0]);
	setsid();
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	dup2(null, 0);
	dup2(log, 1);
	dup2(p[1], 2);
	close(null);
	close(log);
	close(p[1]);
	o->relay = 2;
	o->json = false; /* the parent writes the document */
	return 0;
}

/* One record or line from the child, relayed cleaned. */
static void relay_line(struct out *o, char *line, int *code, char *msg, size_t mlen, long *detached)
{
	char *f[8] = {0}, clean[1400];
	size_t n = 0;

	if (line[0] != REC_START) {
		audit_clean(line, clean, sizeof(clean));
		fprintf(stderr, "%s\n", clean);
		return;
	}
	for (char *p = line + 1; n < 8 && p;) {
		f[n++] = p;
		p = strchr(p, REC_SEP);
		if (p)
			*p++ = '\0';
	}
	static char c[7][1300];
	for (size_t i = 1; i < n && i < 8; i++)
		audit_clean(f[i], c[i - 1], sizeof(c[0]));
	if (f[0][0] == 'S' && n >= 8) {
		struct switch_report r = {
		    c[0], c[1], c[2], c[3], strtol(c[4], NULL, 10), (int)strtol(c[5], NULL, 10), c[6]};
		show_progress(o, &r);
	} else if (f[0][0] == 'E' && n >= 4) {
		*code = (int)strtol(c[0], NULL, 10);
		o->dropped += (unsigned)strtoul(c[1], NULL, 10);
		snprintf(msg, mlen, "%.1000s", c[2]);
	} else if (f[0][0] == 'D' && n >= 2) {
		*detached = strtol(c[0], NULL, 10);
	}
}

int report_relay(struct out *o, pid_t child)
{
	char buf[2 * PIPE_BUF + 1], msg[SS_ERRLEN] = "";
	size_t used = 0;
	long detached = 0;
	int code = -1, status = 0;
	ssize_t n;

	while (!detached && (n = read(o->relay, buf + used, sizeof(buf) - 1 - used)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		used += (size_t)n;
		buf[used] = '\0';
		char *start = buf, *nl;
		while (!detached && (nl = strchr(start, '\n'))) {
			*nl = '\0';
			relay_line(o, start, &code, msg, sizeof(msg), &detached);
			start = nl + 1;
		}
		used -= (size_t)(start - buf);
		memmove(buf, start, used);
		if (used == sizeof(buf) - 1) { /* a line too long: relayed as it is */
			buf[used] = '\0';
			relay_line(o, buf, &code, msg, sizeof(msg), &detached);
			used = 0;
		}
	}
	close(o->relay);
	o->relay = -1;
	if (detached) {
		fprintf(stderr,
			"session-switch: the checks passed; switching to %s in the background (pid %ld): "
			"progress in " RUN_DIR
			"/switch.log and syslog, the result in `session-switch status`\n",
			o->verb, detached);
		if (o->json) {
			json_end_array(&o->j);
			json_kstring(&o->j, "result", "started");
			json_kint(&o->j, "pid", detached);
			json_kint(&o->j, "exit", EXIT_OK);
			json_end_object(&o->j);
			json_finish(&o->j);
		}
		fflush(stdout);
		return EXIT_OK;
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		code = 128 + WTERMSIG(status);
		snprintf(msg, sizeof(msg),
			 "the switch (pid %ld) was killed by signal %d: run session-switch recover",
			 (long)child, WTERMSIG(status));
	} else if (code < 0 || code != WEXITSTATUS(status)) {
		code = WEXITSTATUS(status);
		if (!msg[0])
			snprintf(msg, sizeof(msg),
				 "the switch ended with exit %d; its message did not reach this "
				 "terminal: see syslog",
				 code);
	}
	if (o->dropped)
		fprintf(stderr,
			"session-switch: %u progress line(s) did not reach this terminal in time (it was not "
			"read): see syslog\n",
			o->dropped);
	struct ss_error e;
	snprintf(e.msg, sizeof(e.msg), "%s", msg);
	report_end(o, code, false, &e);
	return code;
}

void report_end(struct out *o, int code, bool detached, const struct ss_error *e)
{
	if (o->relay >= 0) { /* the switch's child: the parent says it */
		char c[16], d[16];
		snprintf(c, sizeof(c), "%d", code);
		snprintf(d, sizeof(d), "%u", o->dropped);
		const char *f[] = {c, d, code != EXIT_OK ? e->msg : ""};
		send_record(o, 'E', f, 3);
		return;
	}
	if (code != EXIT_OK)
		fprintf(stderr, "session-switch: %s\n", e->msg);
	else if (detached && strcmp(o->verb, "play") == 0) /* the log's last line says how it ended */
		fprintf(stderr, "session-switch: the VM ended; the play is over\n");
	else if (detached)
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
