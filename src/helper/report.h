/* What the helper tells its caller: a progress line per step on stderr,
 * the --json document on stdout, and, with --detach, the hand-over to a
 * child that goes on alone (doc/design.md, the login-screen flow). */
#ifndef SS_REPORT_H
#define SS_REPORT_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"
#include "switch.h"
#include "sysroot.h"

struct out {
	bool json;
	struct json j;
	long total_ms;
	const char *verb;
	int rundir;
	const struct sysroot *root;
	int relay;	  /* in the switch's child: the pipe to the caller-facing parent; -1 elsewhere */
	unsigned dropped; /* records the pipe had no room for (the caller did not read) */
	bool detached;	  /* report_detach ran: a play asks again when its switch had nothing to do */
};

void report_begin(struct out *o, const char *verb);
/* The switch runs in a child in a session of its own, stdin /dev/null,
 * stdout RUN_DIR/switch.log, stderr a pipe to the parent that it never
 * blocks on (O_NONBLOCK: what does not fit is dropped and counted).
 * Returns 0 in the child, the child's pid in the parent, -errno. */
pid_t report_fork(struct out *o, struct ss_error *e);
/* In the parent: relay the child's progress to the caller (text on
 * stderr, --json on stdout) until it ends or detaches; its exit code. */
int report_relay(struct out *o, pid_t child);
/* switch_opts.progress */
void report_progress(void *arg, const struct switch_report *r);
/* switch_opts.before_change of --detach */
int report_detach(void *arg, struct ss_error *e);
/* The end: the message on stderr, the result in --json. */
void report_end(struct out *o, int code, bool detached, const struct ss_error *e);

#endif
