#include "config.h"

#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

/* Comma and indentation before a value or key at the current level. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	if (j->depth > 0) {
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
}

static void open_(struct json *j, char c)
{
	sep(j);
	fputc(c, j->out);
	if (j->depth < JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct json *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	fputc(c, j->out);
}

void json_begin_object(struct json *j)
{
	open_(j, '{');
}
void json_end_object(struct json *j)
{
	close_(j, '}');
}
void json_begin_array(struct json *j)
{
	open_(j, '[');
}
void json_end_array(struct json *j)
{
	close_(j, ']');
}

static void raw_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void json_key(struct json *j, const char *key)
{
	sep(j);
	raw_string(j->out, key);
	fputs(": ", j->out);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	sep(j);
	raw_string(j->out, s);
}

void json_int(struct json *j, long long v)
{
	sep(j);
	fprintf(j->out, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	sep(j);
	fputs("null", j->out);
}

void json_kstring(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}
void json_kint(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}
void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
}
