/* A small streaming JSON writer: the stable --json output of every command. */
#ifndef SS_JSON_H
#define SS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_DEPTH]; /* nothing written yet at this level */
	bool after_key;		/* a key was written: no comma before the value */
};

void json_init(struct json *j, FILE *out);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* key + value in one call */
void json_kstring(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kbool(struct json *j, const char *key, bool v);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
