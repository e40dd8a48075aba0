#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

const char *check_status_str(enum check_status s)
{
	return s == CHECK_OK ? "OK" : s == CHECK_WARN ? "WARN" : "FAIL";
}

struct check *check_add(struct check *arr, size_t *n, size_t max, const char *name, enum check_status st,
			const char *fix, const char *fmt, ...)
{
	va_list ap;
	struct check *c;

	if (*n >= max)
		return NULL;
	c = &arr[(*n)++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->status = st;
	snprintf(c->fix, sizeof(c->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	return c;
}
