/* The switch lock (src/lib/lock.c): whatever sits where the lock file
 * should be, taking it never blocks, and only a regular file of ours is
 * locked. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "lock.h"

static void a_fifo_as_the_lock_is_refused_without_blocking(void **state)
{
	(void)state;
	const char *dir = scratch_new("lock");
	char path[4200];
	struct ss_error e;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/lock", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* a blocking open of a FIFO nobody writes would hang here */
	assert_int_equal(lock_take(fd, 0, &e), -EPERM);
	assert_non_null(strstr(e.msg, "not a regular file"));
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_true(lock_take(fd, 0, &e) < 0);
	rmdir(path);
	close(fd);
	scratch_free();
}

static void the_lock_is_exclusive(void **state)
{
	(void)state;
	const char *dir = scratch_new("lock");
	struct ss_error e;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int a = lock_take(fd, 0, &e);

	assert_true(a >= 0);
	assert_int_equal(lock_take(fd, 0, &e), -EBUSY);
	close(a);
	a = lock_take(fd, 0, &e);
	assert_true(a >= 0);
	close(a);
	close(fd);
	scratch_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_fifo_as_the_lock_is_refused_without_blocking),
	    cmocka_unit_test(the_lock_is_exclusive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
