/* A growing string for the text files session-switch writes. */
#ifndef SS_STRBUF_H
#define SS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p; /* NUL-terminated when len > 0 */
	size_t len, cap;
	int failed; /* an allocation failed: the text is incomplete */
};

void strbuf_put(struct strbuf *b, const char *s, size_t n);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (caller frees), or NULL after a failed allocation (freed). */
char *strbuf_take(struct strbuf *b);

#endif
