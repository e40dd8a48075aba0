/* key=value lines, the format of the journal and of the seat record: one
 * pair a line, '#' comments and blank lines skipped. */
#ifndef SS_KVLINES_H
#define SS_KVLINES_H

#include <stddef.h>

#include "error.h"

struct kvlines {
	const char *p;	  /* what is left of the text */
	const char *name; /* the file, for messages */
	int lineno;
	char line[512];
};

void kvlines_init(struct kvlines *kv, const char *text, const char *name);
/* 1 with *key and *val pointing into kv->line, 0 at the end, -EINVAL with
 * "name:line: ..." for a line too long or without '='. */
int kvlines_next(struct kvlines *kv, char **key, char **val, struct ss_error *e);

/* s without its leading blanks, its trailing blanks and '\r' cut off in
 * place: a key or value of the configuration and the driver data files. */
char *kv_trim(char *s);

/* A "key = value" line with eq at its '=': both trimmed, and the value cut
 * at a '#', from where on it is a comment (no value holds one). */
void kv_split(char *line, char *eq, char **key, char **val);

/* The line layer of the INI-like files (session-switch.conf, vm.conf):
 * each line of text cut at '\n', refused with "path:N: ..." when it is
 * longer than maxline - 1 characters or holds a control character,
 * trimmed, and handed to fn unless it is blank or a '#' or ';' comment.
 * Stops at fn's first error and returns it; 0 when every line was taken. */
typedef int (*kv_line_fn)(void *arg, char *line, int lineno, struct ss_error *e);
int kv_each_line(const char *path, const char *text, size_t maxline, kv_line_fn fn, void *arg,
		 struct ss_error *e);

#endif
