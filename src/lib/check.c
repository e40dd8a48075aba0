#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* What a check says when its own text could not be allocated: a static
 * string, told apart from the heap ones by its address. */
static char no_memory[] = "(out of memory while writing this message)";

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
	c->fix = strdup(fix ? fix : "");
	va_start(ap, fmt);
	if (vasprintf(&c->detail, fmt, ap) < 0)
		c->detail = NULL;
	va_end(ap);
	if (!c->fix)
		c->fix = no_memory;
	if (!c->detail)
		c->detail = no_memory;
	return c;
}

void check_free(struct check *arr, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (arr[i].detail != no_memory)
			free(arr[i].detail);
		if (arr[i].fix != no_memory)
			free(arr[i].fix);
		arr[i].detail = arr[i].fix = NULL;
	}
}
