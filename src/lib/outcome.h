/* How every program of session-switch ends: one table of exit codes, their
 * word in --json output ("result") and their meaning, shared by the
 * command and the helper and printed by --help, so that the two cannot
 * disagree.  The man pages list the same codes. */
#ifndef SS_OUTCOME_H
#define SS_OUTCOME_H

enum {
	EXIT_OK = 0,
	EXIT_REFUSED = 1, /* refused, or a check failed: nothing changed */
	EXIT_USAGE = 2,
	EXIT_CONFIG = 3,      /* the configuration is broken: the message names file and line */
	EXIT_ROLLED_BACK = 4, /* the switch failed and was rolled back */
	EXIT_RECOVER = 5,     /* the switch failed and was left for recover */
	EXIT_BUSY = 6,	      /* another switch is running */
	EXIT_MAX = EXIT_BUSY
};

struct outcome {
	int code;
	const char *result;  /* the word of --json's "result" */
	const char *meaning; /* one line for --help and the man pages */
};

/* The entry of `code`; the one of EXIT_REFUSED for a code out of range. */
const struct outcome *outcome_of(int code);

#endif
