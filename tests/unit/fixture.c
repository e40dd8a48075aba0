#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

const char *fixture_path(const char *name)
{
	static char buf[4096];
	const char *base = getenv("SS_TESTDATA");
	if (!base) {
		fprintf(stderr, "SS_TESTDATA is not set (run through make check)\n");
		exit(99);
	}
	snprintf(buf, sizeof(buf), "%s/%s", base, name);
	return buf;
}

void fixture_machine(struct machine *m, const char *name, const char *config_text,
		     enum machine_fail expect, struct ss_error *e)
{
	char cfg[] = "/tmp/ss-test-conf-XXXXXX";
	const char *cpath = NULL;
	char root[4096];

	snprintf(root, sizeof(root), "%s", fixture_path(name));
	if (config_text) {
		int fd = mkstemp(cfg);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, config_text, strlen(config_text)), (ssize_t)strlen(config_text));
		close(fd);
		cpath = cfg;
	}
	e->msg[0] = '\0';
	enum machine_fail r = machine_load(m, root, cpath, e);
	if (cpath)
		unlink(cpath);
	if (r != expect)
		fprintf(stderr, "machine_load(%s) = %d, expected %d: %s\n", name, r, expect, e->msg);
	assert_int_equal(r, expect);
}

int fixture_contains(const char *hay, const char *needle)
{
	if (hay && strstr(hay, needle))
		return 1;
	fprintf(stderr, "expected to find \"%s\" in:\n  \"%s\"\n", needle, hay ? hay : "(null)");
	return 0;
}
