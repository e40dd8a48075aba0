/* Threat model: runs as root in the setuid helper.  What it logs and
 * what report.c relays to the caller's terminal may hold text that a
 * user, the kernel, X or Xorg supplied (process names, Xorg's (EE) lines,
 * xcheck's answer): every control character, C0, DEL and C1 (as UTF-8 or
 * as a lone byte), and every malformed byte MUST leave as '?', so that
 * nothing reaches a log or a terminal as an escape sequence
 * (doc/security.md rule 14). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "audit.h"

static uid_t audit_uid;

void audit_open(uid_t ruid)
{
	audit_uid = ruid;
	openlog("session-switch", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
}

/* The length of the UTF-8 sequence at p that is neither malformed nor a
 * C1 control (U+0080-U+009F, which terminals obey as ESC sequences), 0
 * otherwise.  A lone byte 0x80-0xff is never copied: on an 8-bit
 * terminal 0x9b is CSI. */
static size_t utf8_ok(const unsigned char *p)
{
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
	unsigned cp;

	if (n == 0 || p[0] > 0xf4)
		return 0;
	cp = p[0] & (0x7f >> n);
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp < 0xe000) || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return n;
}

void audit_clean(const char *s, char *out, size_t len)
{
	size_t i = 0;
	if (!len)
		return;
	while (s && *s && i + 1 < len) {
		const unsigned char *u = (const unsigned char *)s;
		size_t n = *u >= 0x80 ? utf8_ok(u) : 1;
		if (n > 1) {
			if (i + n >= len)
				break;
			memcpy(out + i, s, n);
			i += n, s += n;
		} else {
			out[i++] = n == 1 && *u >= 0x20 && *u != 0x7f ? *s : '?';
			s++;
		}
	}
	out[i] = '\0';
}

void audit(int priority, const char *fmt, ...)
{
	char raw[1024], clean[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	audit_clean(raw, clean, sizeof(clean));
	syslog(priority, "uid=%u %s", (unsigned)audit_uid, clean);
}
