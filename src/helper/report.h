/* What the helper tells its caller: a progress line per step on stderr,
 * the --json document on stdout, and, with --detach, the hand-over to a
 * child that goes on alone (doc/design.md, the login-screen flow). */
#ifndef SS_REPORT_H
#define SS_REPORT_H

#include <stdbool.h>

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
};

void report_begin(struct out *o, const char *verb);
/* switch_opts.progress */
void report_progress(void *arg, const struct switch_report *r);
/* switch_opts.before_change of --detach */
int report_detach(void *arg, struct ss_error *e);
/* The end: the message on stderr, the result in --json. */
void report_end(struct out *o, int code, bool detached, const struct ss_error *e);

#endif
