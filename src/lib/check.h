/* One readiness check: what was looked at, how it stands, what to do. */
#ifndef SS_CHECK_H
#define SS_CHECK_H

#include <stddef.h>

enum check_status { CHECK_OK, CHECK_WARN, CHECK_FAIL };

struct check {
	char name[32];
	enum check_status status;
	char detail[512];
	char fix[512];
};

const char *check_status_str(enum check_status s);
/* Append to arr (capacity max); NULL when full. */
struct check *check_add(struct check *arr, size_t *n, size_t max, const char *name, enum check_status st,
			const char *fix, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
