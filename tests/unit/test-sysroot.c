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

static const char *tree;

static int setup(void **state)
{
	tree = scratch_new("sysroot");
	scratch_mkdir("etc");
	scratch_mkdir("sys");
	scratch_put("etc/hostname", "inside\n\n");
	scratch_put("sys/big", "0123456789abcdef");
	/* An absolute link must resolve inside the tree, not to the host's /etc. */
	scratch_link("/etc/hostname", "sys/abs");
	/* A climbing link may not leave it either. */
	scratch_link("../../../../../../etc/hostname", "sys/up");
	return 0;
}

static int teardown(void **state)
{
	scratch_free();
	return 0;
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
