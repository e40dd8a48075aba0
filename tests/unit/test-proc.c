/* Process-facing helpers on the live system: finding holders of a device
 * node in /proc, children with deadlines, and waits that end. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"
#include "holders.h"
#include "kwait.h"
#include "spawn.h"

static void finds_this_process_as_holder(void **state)
{
	struct sysroot sr;
	struct ss_error e;
	struct holder h[HOLDERS_MAX];
	/* a node only this process has open: /dev/null is everybody's */
	char node[] = "/tmp/ss-holder-XXXXXX";
	int fd = mkstemp(node);
	const char *want[] = { node };
	const char *none[] = { "/dev/no-such-node0" };
	assert_true(fd >= 0);
	assert_int_equal(sysroot_open(&sr, NULL, &e), 0);
	int n = holders_scan(&sr, want, 1, h, HOLDERS_MAX);
	assert_true(n >= 1);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].pid, getpid());
	assert_string_equal(h[0].node, node);
	assert_int_equal(holders_scan(&sr, none, 1, h, HOLDERS_MAX), 0);
	close(fd);
	unlink(node);
	sysroot_close(&sr);
}

static void children_with_deadlines(void **state)
{
	struct ss_error e;
	char *t[] = { "true", NULL }, *f[] = { "false", NULL }, *s[] = { "sleep", "5", NULL };
	assert_int_equal(spawn_wait("/bin/true", t, 5000, &e), 0);
	assert_int_equal(spawn_wait("/bin/false", f, 5000, &e), 1);
	long t0 = kwait_now_ms();
	assert_int_equal(spawn_wait("/bin/sleep", s, 100, &e), -ETIMEDOUT);
	assert_true(kwait_now_ms() - t0 < 4000); /* killed, not waited for */
	assert_contains(e.msg, "did not finish");
	assert_int_equal(spawn_wait("sleep", s, 100, &e), -EINVAL);
	assert_int_equal(spawn_wait("/nonexistent/x", t, 1000, &e), -ENOENT);
}

static bool yes(void *arg) { (void)arg; return true; }
static bool no(void *arg) { (void)arg; return false; }

static void waits_end(void **state)
{
	struct kwait w;
	kwait_open(&w); /* may fail without privileges: the fallback must work too */
	assert_int_equal(kwait_until(&w, yes, NULL, 1000), 0);
	assert_int_equal(kwait_until(&w, no, NULL, 30), -ETIMEDOUT);
	kwait_close(&w);
	w.fd = -1;
	assert_int_equal(kwait_until(&w, no, NULL, 20), -ETIMEDOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_this_process_as_holder),
		cmocka_unit_test(children_with_deadlines),
		cmocka_unit_test(waits_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
