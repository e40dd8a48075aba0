/* What every harness shares: the input as a NUL-terminated string, as the
 * readers get a file's text, and the rule that a refusal says why. */
#ifndef SS_FUZZ_H
#define SS_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *t = malloc(size + 1);

	if (!t)
		abort();
	memcpy(t, data, size);
	t[size] = '\0';
	return t;
}

/* Bad input gets a message a person can act on (doc/style.md). */
static inline void fuzz_said_why(int r, const struct ss_error *e)
{
	if (r < 0 && e->msg[0] == '\0')
		abort();
}

#endif
