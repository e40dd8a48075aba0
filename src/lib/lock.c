/* Threat model: runs as root in the setuid helper.  A user must not be able
 * to make the helper lock (or create) a file of their choosing: the lock
 * lives in a root-only directory whose owner and mode are checked through
 * the open fd, and the lock file is opened O_NOFOLLOW relative to it
 * (doc/security.md rule 11; the seed's /tmp/vm.lock is what not to do).
 * Whatever sits there, the open MUST NOT block (O_NONBLOCK: a FIFO would
 * otherwise hang the helper before it checks anything), and only a
 * regular file of ours is locked. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "rootdir.h"

int rundir_open(struct ss_error *e)
{
	return rootdir_open(RUN_DIR, 0700, 077, e);
}

static void on_alarm(int sig)
{
	(void)sig; /* only to interrupt flock() */
}

int lock_take(int rundir_fd, int wait_s, struct ss_error *e)
{
	int fd = openat(rundir_fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	struct stat st;
	if (fd < 0)
		return ss_fail(e, -errno, RUN_DIR "/lock: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return ss_fail(e, -EPERM, RUN_DIR "/lock is not a regular file of root's: remove it");
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	if (errno != EWOULDBLOCK || wait_s <= 0) {
		int r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return ss_fail(e, r,
			       r == -EBUSY ? "busy: another switch is running (try again, or --wait SECONDS)"
					   : RUN_DIR "/lock: %s",
			       strerror(-r));
	}
	/* Block in flock() until the holder lets go or the alarm interrupts
	 * it: woken by the kernel, not by polling. */
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	alarm((unsigned)wait_s);
	int r = flock(fd, LOCK_EX);
	int err = errno;
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	if (r == 0)
		return fd;
	close(fd);
	if (err == EINTR)
		return ss_fail(e, -EBUSY, "busy: another switch is still running after %d s", wait_s);
	return ss_fail(e, -err, RUN_DIR "/lock: %s", strerror(err));
}
