/* A message a person can act on, filled by library code next to its -errno.
 * Only main() of a program prints it. */
#ifndef SS_ERROR_H
#define SS_ERROR_H

#include <stddef.h>

#define SS_ERRLEN 4096

struct ss_error {
	char msg[SS_ERRLEN];
};

/* Set the message; returns -err so callers can write `return ss_fail(e, -ENOENT, ...)`. */
int ss_fail(struct ss_error *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
