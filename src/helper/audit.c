#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "audit.h"

static uid_t audit_uid;

void audit_open(uid_t ruid)
{
	audit_uid = ruid;
	openlog("session-switch", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
}

void audit_clean(const char *s, char *out, size_t len)
{
	size_t i = 0;
	if (!len)
		return;
	for (; s && *s && i + 1 < len; s++)
		out[i++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
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
