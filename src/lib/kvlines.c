#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
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

int kv_each_line(const char *path, const char *text, size_t maxline, kv_line_fn fn, void *arg,
		 struct ss_error *e)
{
	char *raw = malloc(maxline);
	const char *p = text;
	int lineno = 0, r = raw ? 0 : ss_fail(e, -ENOMEM, "out of memory");

	while (r == 0 && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		bool control = false;
		char *line;
		lineno++;
		if (n >= maxline) {
			r = ss_fail(e, -EINVAL, "%s:%d: line longer than %zu characters", path, lineno,
				    maxline - 1);
		} else {
			memcpy(raw, p, n);
			raw[n] = '\0';
			for (size_t i = 0; i < n; i++)
				control |= (unsigned char)raw[i] < 0x20 && raw[i] != '\t' && raw[i] != '\r';
			line = kv_trim(raw);
			if (control)
				r = ss_fail(e, -EINVAL, "%s:%d: control character in the line", path, lineno);
			else if (*line && *line != '#' && *line != ';')
				r = fn(arg, line, lineno, e);
		}
		p += n + (nl ? 1 : 0);
	}
	free(raw);
	return r;
}

void kv_split(char *line, char *eq, char **key, char **val)
{
	char *hash;

	*eq = '\0';
	*key = kv_trim(line);
	*val = kv_trim(eq + 1);
	hash = strchr(*val, '#');
	if (hash) {
		*hash = '\0';
		*val = kv_trim(*val);
	}
}
