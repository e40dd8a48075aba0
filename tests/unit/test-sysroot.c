/* The root-prefix layer: reads stay inside the recorded tree, even through
 * absolute or climbing symlinks planted in it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "sysroot.h"

static char tree[64];

static void put(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tree, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char p[256];
	snprintf(tree, sizeof(tree), "/tmp/ss-sysroot-XXXXXX");
	assert_non_null(mkdtemp(tree));
	snprintf(p, sizeof(p), "%s/etc", tree);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys", tree);
	mkdir(p, 0755);
	put("etc/hostname", "inside\n\n");
	put("sys/big", "0123456789abcdef");
	/* An absolute link must resolve inside the tree, not to the host's /etc. */
	snprintf(p, sizeof(p), "%s/sys/abs", tree);
	assert_int_equal(symlink("/etc/hostname", p), 0);
	/* A climbing link may not leave it either. */
	snprintf(p, sizeof(p), "%s/sys/up", tree);
	assert_int_equal(symlink("../../../../../../etc/hostname", p), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	return system(cmd) == 0 ? 0 : -1;
}

static void reads_and_trims(void **state)
{
	struct sysroot sr;
	struct ss_error e;
	char buf[64];
	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_true(sr.prefixed);
	assert_int_equal(sysroot_read(&sr, "/etc/hostname", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "inside");
	assert_int_equal(sysroot_read(&sr, "/sys/big", buf, 8), -EFBIG);
	assert_int_equal(sysroot_read(&sr, "/nope", buf, sizeof(buf)), -ENOENT);
	assert_true(sysroot_exists(&sr, "/sys"));
	assert_false(sysroot_exists(&sr, "/sys/nothing"));
	sysroot_close(&sr);
}

static void links_stay_inside(void **state)
{
	struct sysroot sr;
	struct ss_error e;
	char buf[64];
	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	assert_int_equal(sysroot_read(&sr, "/sys/abs", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "inside");
	assert_int_equal(sysroot_read(&sr, "/sys/up", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "inside");
	assert_int_equal(sysroot_readlink(&sr, "/sys/abs", buf, sizeof(buf)), 13);
	assert_string_equal(buf, "/etc/hostname");
	sysroot_close(&sr);
}

static void messages_name_the_tree(void **state)
{
	struct sysroot sr;
	struct ss_error e;
	char shown[256], want[256];
	assert_int_equal(sysroot_open(&sr, tree, &e), 0);
	snprintf(want, sizeof(want), "%s/sys/bus", tree);
	assert_string_equal(sysroot_show(&sr, "/sys/bus", shown, sizeof(shown)), want);
	sysroot_close(&sr);
	assert_int_equal(sysroot_open(&sr, "/nonexistent-root", &e), -ENOENT);
	assert_contains(e.msg, "/nonexistent-root");
	assert_int_equal(sysroot_open(&sr, NULL, &e), 0);
	assert_false(sr.prefixed);
	assert_string_equal(sysroot_show(&sr, "/sys/bus", shown, sizeof(shown)), "/sys/bus");
	sysroot_close(&sr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_and_trims),
		cmocka_unit_test(links_stay_inside),
		cmocka_unit_test(messages_name_the_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
