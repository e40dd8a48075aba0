#include "config.h"

#include <errno.h>
#include <string.h>

#include "kvlines.h"

void kvlines_init(struct kvlines *kv, const char *text, const char *name)
{
	kv->p = text;
	kv->name = name;
	kv->lineno = 0;
}

int kvlines_next(struct kvlines *kv, char **key, char **val, struct ss_error *e)
{
	while (*kv->p) {
		const char *nl = strchr(kv->p, '\n');
		size_t n = nl ? (size_t)(nl - kv->p) : strlen(kv->p);
		kv->lineno++;
		if (n >= sizeof(kv->line))
			return ss_fail(e, -EINVAL, "%s:%d: line too long", kv->name, kv->lineno);
		memcpy(kv->line, kv->p, n);
		kv->line[n] = '\0';
		kv->p += n + (nl ? 1 : 0);
		if (!kv->line[0] || kv->line[0] == '#')
			continue;
		char *eq = strchr(kv->line, '=');
		if (!eq)
			return ss_fail(e, -EINVAL, "%s:%d: expected key=value", kv->name, kv->lineno);
		*eq = '\0';
		*key = kv->line;
		*val = eq + 1;
		return 1;
	}
	return 0;
}

char *kv_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}
