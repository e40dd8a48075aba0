/* The audit trail of the privileged helper (doc/security.md rules 6 and 14):
 * every action and every denial, with the real uid, to LOG_AUTHPRIV. */
#ifndef SS_AUDIT_H
#define SS_AUDIT_H

#include <stddef.h>
#include <sys/types.h>

void audit_open(uid_t ruid);
/* printf-like; control characters in the result are replaced by '?' so a
 * crafted string cannot forge log lines. */
void audit(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy s to out with control characters replaced; for any logged string. */
void audit_clean(const char *s, char *out, size_t len);

#endif
