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
	const char *want[] = {node};
	const char *none[] = {"/dev/no-such-node0"};
	assert_true(fd >= 0);
	assert_int_equal(sysroot_open(&sr, NULL, &e), 0);
	size_t total;
	int n = holders_scan(&sr, want, 1, h, HOLDERS_MAX, &total, kwait_now_ms() + 10000, &e);
	if (n < 0) {
		/* Some process's open files cannot be read (another user's when
		 * not root; in some sandboxes even root may not read PID 1's):
		 * the scan refuses, naming it, instead of counting it free. */
		assert_int_equal(n, -EACCES);
		assert_contains(e.msg, "cannot read");
		assert_contains(e.msg, "of process");
	} else {
		assert_int_equal(n, 1);
		assert_int_equal(total, 1);
		assert_int_equal(h[0].pid, getpid());
		assert_int_equal(h[0].uid, geteuid());
		assert_string_equal(h[0].node, node);
		assert_int_equal(
		    holders_scan(&sr, none, 1, h, HOLDERS_MAX, &total, kwait_now_ms() + 10000, &e), 0);
	}
	close(fd);
	unlink(node);
	sysroot_close(&sr);
}

/* A recorded /proc: process 123 holds the card's node three times over
 * (one more than the table below holds), process 124 a node of another
 * card, process 125 is a kernel thread without open files. */
static void fake_proc(void)
{
	scratch_mkdir_p("proc/123/fd");
	scratch_put("proc/123/comm", "nvidia-persiste\n");
	scratch_put("proc/123/cgroup", "0::/system.slice/nvidia-persistenced.service\n");
	scratch_link("/dev/nvidia0", "proc/123/fd/3");
	scratch_link("/dev/nvidia0", "proc/123/fd/4");
	scratch_link("/dev/nvidiactl", "proc/123/fd/5");
	scratch_mkdir_p("proc/124/fd");
	scratch_put("proc/124/comm", "ddcutil\n");
	scratch_link("/dev/i2c-30", "proc/124/fd/0");
	scratch_mkdir("proc/125");
}

static void holders_beyond_the_table_are_counted_not_dropped(void **state)
{
	const char *want[] = {"/dev/nvidia0", "/dev/nvidiactl", "/dev/i2c-3"};
	struct holder h[2];
	struct sysroot sr;
	struct ss_error e;
	size_t total;

	sysroot_open(&sr, scratch_new("holders"), &e);
	fake_proc();
	assert_int_equal(holders_scan(&sr, want, 3, h, 2, &total, kwait_now_ms() + 10000, &e), 2);
	assert_int_equal(total, 3); /* the third file of 123; not /dev/i2c-30 of 124 */
	assert_int_equal(h[0].pid, 123);
	assert_string_equal(h[0].comm, "nvidia-persiste");
	assert_string_equal(h[0].unit, "nvidia-persistenced");
	sysroot_close(&sr);
	scratch_free();
}

static void an_unreadable_process_fails_closed_naming_it(void **state)
{
	const char *want[] = {"/dev/nvidia0"};
	struct holder h[HOLDERS_MAX];
	struct sysroot sr;
	struct ss_error e;
	size_t total;

	sysroot_open(&sr, scratch_new("holders"), &e);
	fake_proc();
	/* its fd directory is not a directory: not gone, not readable */
	scratch_mkdir("proc/126");
	scratch_put("proc/126/fd", "");
	assert_int_equal(holders_scan(&sr, want, 1, h, HOLDERS_MAX, &total, kwait_now_ms() + 10000, &e),
			 -ENOTDIR);
	assert_contains(e.msg, "process 126");
	sysroot_close(&sr);
	scratch_free();
}

static void a_scan_out_of_time_refuses_naming_what_it_did_not_read(void **state)
{
	const char *want[] = {"/dev/nvidia0"};
	struct holder h[HOLDERS_MAX];
	struct sysroot sr;
	struct ss_error e;
	size_t total;

	sysroot_open(&sr, scratch_new("holders"), &e);
	fake_proc();
	assert_int_equal(holders_scan(&sr, want, 1, h, HOLDERS_MAX, &total, kwait_now_ms() - 1, &e),
			 -ETIMEDOUT);
	assert_contains(e.msg, "ran out of time after 0 processes");
	assert_contains(e.msg, "more were not read");
	sysroot_close(&sr);
	scratch_free();
}

static void children_with_deadlines(void **state)
{
	struct ss_error e;
	char *t[] = {"true", NULL}, *f[] = {"false", NULL}, *s[] = {"sleep", "5", NULL};
	assert_int_equal(spawn_wait("/bin/true", t, 5000, &e), 0);
	assert_int_equal(spawn_wait("/bin/false", f, 5000, &e), 1);
	long t0 = kwait_now_ms();
	assert_int_equal(spawn_wait("/bin/sleep", s, 100, &e), -ETIMEDOUT);
	assert_true(kwait_now_ms() - t0 < 4000); /* killed, not waited for */
	assert_contains(e.msg, "did not finish");
	assert_int_equal(spawn_wait("sleep", s, 100, &e), -EINVAL);
	assert_int_equal(spawn_wait("/nonexistent/x", t, 1000, &e), -ENOENT);
}

static bool yes(void *arg)
{
	(void)arg;
	return true;
}
static bool no(void *arg)
{
	(void)arg;
	return false;
}

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
	    cmocka_unit_test(holders_beyond_the_table_are_counted_not_dropped),
	    cmocka_unit_test(an_unreadable_process_fails_closed_naming_it),
	    cmocka_unit_test(a_scan_out_of_time_refuses_naming_what_it_did_not_read),
	    cmocka_unit_test(children_with_deadlines),
	    cmocka_unit_test(waits_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
