/* One readiness check: what was looked at, how it stands, what to do.
 * The detail and the fix are whole sentences of any length (a group's
 * non-viability names every device in it): they live on the heap, so
 * nothing a person needs to read is ever cut off. */
#ifndef SS_CHECK_H
#define SS_CHECK_H

#include <stddef.h>

enum check_status { CHECK_OK, CHECK_WARN, CHECK_FAIL };

struct check {
	char name[32];
	enum check_status status;
	char *detail; /* never NULL once added */
	char *fix;    /* "" when there is nothing to do */
};

const char *check_status_str(enum check_status s);
/* Append to arr (capacity max); NULL when full.  Out of memory leaves a
 * check that says so, still with the right status. */
struct check *check_add(struct check *arr, size_t *n, size_t max, const char *name, enum check_status st,
			const char *fix, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void check_free(struct check *arr, size_t n);

#endif
