/* The JSON writer: commas, nesting and escaping. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "json.h"

static char *render(void (*fn)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;
	assert_non_null(f);
	json_init(&j, f);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc(struct json *j)
{
	json_begin_object(j);
	json_kstring(j, "a", "x\"y\\z\n\x01");
	json_key(j, "list");
	json_begin_array(j);
	json_int(j, 1);
	json_bool(j, false);
	json_null(j);
	json_begin_object(j);
	json_end_object(j);
	json_end_array(j);
	json_key(j, "empty");
	json_begin_array(j);
	json_end_array(j);
	json_end_object(j);
	json_finish(j);
}

static void writes_valid_compact_structure(void **state)
{
	char *out = render(doc);
	/* strip whitespace outside strings for a stable comparison */
	char flat[256];
	size_t n = 0;
	int in = 0;
	for (char *p = out; *p && n < sizeof(flat) - 1; p++) {
		if (*p == '"' && (p == out || p[-1] != '\\'))
			in = !in;
		if (!in && (*p == ' ' || *p == '\n'))
			continue;
		flat[n++] = *p;
	}
	flat[n] = '\0';
	assert_string_equal(flat,
			    "{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"list\":[1,false,null,{}],\"empty\":[]}");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writes_valid_compact_structure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
