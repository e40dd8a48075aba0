/* session-switch startx: which devices are VTs, SS_STARTX's value, and the
 * request between two processes of one uid (src/lib/startx.c). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "startx.h"

static void vts_are_tty1_to_63(void **state)
{
	(void)state;
	assert_int_equal(startx_vt_of_rdev(makedev(4, 1)), 1);
	assert_int_equal(startx_vt_of_rdev(makedev(4, 7)), 7);
	assert_int_equal(startx_vt_of_rdev(makedev(4, 63)), 63);
	assert_int_equal(startx_vt_of_rdev(makedev(4, 0)), 0);	 /* /dev/tty0: the current one */
	assert_int_equal(startx_vt_of_rdev(makedev(4, 64)), 0);	 /* /dev/ttyS0 */
	assert_int_equal(startx_vt_of_rdev(makedev(5, 1)), 0);	 /* /dev/console */
	assert_int_equal(startx_vt_of_rdev(makedev(136, 3)), 0); /* /dev/pts/3 */
}

static void env_value(void **state)
{
	pid_t pid;
	uid_t uid;
	(void)state;
	assert_true(startx_env_parse("1234:1101", &pid, &uid));
	assert_int_equal(pid, 1234);
	assert_int_equal(uid, 1101);
	assert_true(startx_env_parse("99:0", &pid, &uid));
	static const char *bad[] = {"",	    "1234",  "1234:", ":1101", "1:1101", "0:5",
				    "-3:5", "12:-1", "12:5x", "12x:5", "12:5:6", "99999999999999999999:1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(startx_env_parse(bad[i], &pid, &uid));
	assert_false(startx_env_parse(NULL, &pid, &uid));
}

/* A child that names itself session-switch and reports the first request
 * signal it gets on a pipe; named otherwise when `comm` says so. */
static pid_t child_wrapper(const char *comm, int *rfd)
{
	int p[2];
	sigset_t s;
	pid_t pid;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int sig = 0;
		close(p[0]);
		prctl(PR_SET_NAME, comm);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		sigwait(&s, &sig);
		char c = sig == SIGUSR1 ? 'v' : sig == SIGUSR2 ? 'h' : '?';
		_exit(write(p[1], &c, 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	char c;
	assert_int_equal(read(p[0], &c, 1), 1); /* named by now */
	*rfd = p[0];
	return pid;
}

static void request_reaches_the_wrapper(void **state)
{
	struct sysroot sr;
	struct ss_error e = {""};
	char env[48], c = 0;
	pid_t pid, got = 0;
	int fd, st;
	(void)state;

	assert_int_equal(sysroot_open_real(&sr, &e), 0);
	for (int to = MODE_HOST; to <= MODE_VM; to++) {
		pid = child_wrapper("session-switch", &fd);
		snprintf(env, sizeof(env), "%ld:%u", (long)pid, (unsigned)getuid());
		assert_int_equal(startx_request(&sr, env, getuid(), to, &got, &e), 0);
		assert_int_equal(got, pid);
		assert_int_equal(read(fd, &c, 1), 1);
		assert_int_equal(c, to == MODE_VM ? 'v' : 'h');
		close(fd);
		assert_int_equal(waitpid(pid, &st, 0), pid);
	}

	/* not a session-switch process, or not of the uid asked for: no
	 * signal (the child is killed below, never having got one) */
	pid = child_wrapper("xterm", &fd);
	snprintf(env, sizeof(env), "%ld:%u", (long)pid, (unsigned)getuid());
	assert_int_equal(startx_request(&sr, env, getuid(), MODE_VM, &got, &e), 1);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	close(fd);
	pid = child_wrapper("session-switch", &fd);
	snprintf(env, sizeof(env), "%ld:%u", (long)pid, (unsigned)getuid() + 1);
	assert_int_equal(startx_request(&sr, env, getuid(), MODE_VM, &got, &e), 1);
	snprintf(env, sizeof(env), "%ld:%u", (long)pid, (unsigned)getuid());
	assert_int_equal(startx_request(&sr, env, getuid() + 1, MODE_VM, &got, &e), 1);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(fd);
	/* gone: a stale value */
	assert_int_equal(startx_request(&sr, env, getuid(), MODE_VM, &got, &e), 1);
	sysroot_close(&sr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vts_are_tty1_to_63),
	    cmocka_unit_test(env_value),
	    cmocka_unit_test(request_reaches_the_wrapper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
