/* Threat model: runs as root in the helper.  A child (the display
 * manager's control command, modprobe, the X check) and everything it
 * starts in turn (SLiM, Xorg, every later login) MUST inherit nothing the
 * caller chose (doc/security.md rule 12): its environment is constants,
 * its path absolute and compiled in or root's own; its process state is
 * reset in the child before execve: a session of its own (no controlling
 * terminal, out of the caller's process group, so ^C and ^Z do not reach
 * it), stdio on /dev/null or the switch's log, every signal at its default
 * and none blocked, umask 022, cwd /, and the rlimits the helper already
 * reset to init's (privs.c).  Every wait for a child has a deadline, the
 * one after its SIGKILL too: a child stuck in the kernel is left, said,
 * never waited for without end. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kwait.h"
#include "spawn.h"

/* How long a child that was sent SIGKILL gets to be reaped. */
#define REAP_MS 2000

static char *const clean_env[] = {
    "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG=C",
    NULL,
};

int spawn_child_setup(int in, int out, int err)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	int null = open("/dev/null", O_RDWR | O_CLOEXEC), r = 0;
	sigset_t none;

	if (null < 0)
		return -1;
	/* each of 0-2 from `in`/`out`/`err`, or /dev/null where it is -1 */
	if (dup2(in >= 0 ? in : null, 0) < 0 || dup2(out >= 0 ? out : null, 1) < 0 ||
	    dup2(err >= 0 ? err : (out >= 0 ? out : null), 2) < 0)
		r = -1;
	if (null > 2)
		close(null);
	sigemptyset(&dfl.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	umask(022);
	if (setsid() < 0 || chdir("/") < 0)
		r = -1;
	return r;
}

int child_wait(pid_t pid, int timeout_ms, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd >= 0) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		long deadline = kwait_now_ms() + timeout_ms;
		int n;
		do {
			long left = deadline - kwait_now_ms();
			n = poll(&p, 1, left > 0 ? (int)left : 0);
		} while (n < 0 && errno == EINTR);
		close(pidfd);
		if (n == 0) {
			kill(pid, SIGKILL);
			return -ETIMEDOUT;
		}
	} else {
		/* Before Linux 5.3: polled, with the same deadline. */
		long deadline = kwait_now_ms() + timeout_ms;
		struct timespec tick = {0, 20 * 1000000L};
		pid_t w;
		while ((w = waitpid(pid, status, WNOHANG)) == 0 && kwait_now_ms() < deadline)
			nanosleep(&tick, NULL);
		if (w == pid)
			return 0;
		if (w == 0) {
			kill(pid, SIGKILL);
			return -ETIMEDOUT;
		}
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

int spawn_wait(const char *path, char *const argv[], int timeout_ms, struct ss_error *e)
{
	int status, r;
	pid_t pid;

	if (path[0] != '/')
		return ss_fail(e, -EINVAL, "%s: not an absolute path", path);
	pid = fork();
	if (pid < 0)
		return ss_fail(e, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* stdout and stderr: the switch's stdout, its log (main.c) */
		if (spawn_child_setup(-1, 1, 1) < 0)
			_exit(126);
		execve(path, argv, clean_env);
		_exit(127);
	}
	r = child_wait(pid, timeout_ms, &status);
	if (r == -ETIMEDOUT) {
		/* a user-space child dies of SIGKILL at once; one stuck in the
		 * kernel is left (and said), not waited for */
		if (child_wait(pid, REAP_MS, &status) < 0)
			return ss_fail(e, -ETIMEDOUT,
				       "%s did not finish within %d ms and did not die of SIGKILL "
				       "within %d ms (pid %ld is left)",
				       path, timeout_ms, REAP_MS, (long)pid);
		return ss_fail(e, r, "%s did not finish within %d ms", path, timeout_ms);
	}
	if (r < 0)
		return ss_fail(e, r, "waitpid: %s", strerror(-r));
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 127)
			return ss_fail(e, -ENOENT, "%s could not be run", path);
		return WEXITSTATUS(status);
	}
	return ss_fail(e, -EINTR, "%s was killed by signal %d", path, WTERMSIG(status));
}
