/* Threat model: runs as root in the helper.  The child must not inherit
 * anything the caller chose: it gets constants for its environment, stdin
 * from /dev/null, and is found by an absolute, compiled-in path. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kwait.h"
#include "spawn.h"

static char *const clean_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	"LANG=C",
	NULL,
};

int child_wait(pid_t pid, int timeout_ms, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
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
	}
	/* Without pidfd (before Linux 5.3) the wait has no deadline. */
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
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, 0);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(path, argv, clean_env);
		_exit(127);
	}
	r = child_wait(pid, timeout_ms, &status);
	if (r == -ETIMEDOUT) {
		waitpid(pid, &status, 0); /* a user-space child dies of SIGKILL */
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
