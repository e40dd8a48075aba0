#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int ss_fail(struct ss_error *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}
