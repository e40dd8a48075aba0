/* The switch transaction (doc/design.md, "A switch, step by step"):
 * preflight, then a table of steps, each journalled before it runs; on any
 * failure the steps begun are undone in reverse, verified too.  `recover`
 * finishes an interrupted one from the journal. */
#ifndef SS_SWITCH_H
#define SS_SWITCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "machine.h"
#include "mode.h"
#include "plan.h"

enum switch_result {
	SWITCH_OK,	    /* switched (or nothing to do) */
	SWITCH_REFUSED,	    /* preflight said no; nothing changed (exit 1) */
	SWITCH_ROLLED_BACK, /* failed, back where it started (exit 4) */
	SWITCH_LEFT,	    /* failed and could not roll back: journal pending (exit 5) */
};

struct switch_report {
	const char *phase;  /* "preflight", "journal", "device", "verify", "rollback", "commit" */
	const char *action; /* a step_kind_str() or a phase's own word */
	const char *device; /* may be "" */
	const char *value;  /* may be "" */
	long ms;
	int result;	    /* 0 or -errno */
	const char *detail; /* the message on failure, "" otherwise */
};

struct switch_opts {
	uid_t ruid;	      /* who asked, for the journal and the audit */
	int write_timeout_ms; /* deadline of one sysfs write */
	int wait_timeout_ms;  /* deadline of one wait on the kernel */
	/* Called before step `step` (1-based) runs, after its journal write;
	 * a negative return fails that step.  Set only by the test build of
	 * the helper (tests/helper/fault.c); NULL in the installed one. */
	int (*fault_hook)(void *fault_arg, size_t step, const char *name, struct ss_error *e);
	void *fault_arg;
	void (*progress)(void *arg, const struct switch_report *r);
	void *arg;
	/* Called once the checks have passed, before the first change: the
	 * helper's --detach forks there, so a refusal still reaches the
	 * caller.  A negative return refuses (nothing changed yet). */
	int (*before_change)(void *arg, struct ss_error *e);
	/* The user of the seat login who asked (a checked name), to be logged
	 * in once by the greeter on the new GPU; NULL for none. */
	const char *login_user;
	/* `recover --boot`: run by the init system before the display
	 * manager, which that init system starts next; a rollback that started
	 * it here would wait on a start job ordered after our own. */
	bool boot;
};

enum switch_result switch_run(const struct machine *m, enum mode to, const struct switch_opts *o,
			      struct ss_error *e);
enum switch_result switch_recover(const struct machine *m, const struct switch_opts *o, struct ss_error *e);

#endif
