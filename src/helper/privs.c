/* Threat model: this is the first code of the setuid helper, run with the
 * caller's process state: argv, environment, open fds, umask, signal
 * dispositions and mask, interval timers, rlimits, cwd, controlling tty and
 * its job control.  Each of these survives execve and each was used in
 * review to stop the first version halfway (doc/security.md rule 5).  So:
 *  - the environment MUST be rebuilt from constants before any library call
 *    that reads it (rule 3);
 *  - fds 0-2 MUST be open, so that no file we open later becomes stdout,
 *    and nothing else MAY be inherited (rule 4);
 *  - no signal the caller can make the kernel send us (SIGALRM of an
 *    inherited itimer, SIGXFSZ of RLIMIT_FSIZE, SIGXCPU of RLIMIT_CPU,
 *    SIGTTOU/SIGTTIN of `stty tostop` and a background job, SIGPIPE of a
 *    closed pipe) MAY kill or stop us: those are ignored and the timers
 *    disarmed at once;
 *  - once root, every rlimit MUST be a known value (init's), so that no
 *    write, open or child is cut short and no child inherits the caller's
 *    limits (rule 12), and the caller MUST NOT be able to signal us
 *    (real uid 0). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "privs.h"

void privs_sanitize(void)
{
	static const int ignored[] = {SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF,
				      SIGXFSZ, SIGXCPU, SIGTTOU,   SIGTTIN};
	static const int timers[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};
	struct itimerval off = {{0, 0}, {0, 0}};
	sigset_t none;

	for (int fd = 0; fd <= 2; fd++) {
		/* open() takes the lowest free fd: a closed `fd` is the one it gets */
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
			_exit(1);
	}
	if (close_range(3, ~0U, 0) < 0) {
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	}
	if (clearenv() != 0)
		_exit(1);
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("LANG", "C", 1);
	umask(077);
	for (size_t i = 0; i < sizeof(timers) / sizeof(timers[0]); i++)
		setitimer(timers[i], &off, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* init's limits are the system's defaults, whatever the distribution
 * chose; where they cannot be read, the kernel's own defaults. */
static void reset_rlimits(void)
{
	static const struct {
		int res;
		rlim_t cur, max;
	} fallback[] = {
	    {RLIMIT_CPU, RLIM_INFINITY, RLIM_INFINITY},
	    {RLIMIT_FSIZE, RLIM_INFINITY, RLIM_INFINITY},
	    {RLIMIT_DATA, RLIM_INFINITY, RLIM_INFINITY},
	    {RLIMIT_STACK, 8 << 20, RLIM_INFINITY},
	    {RLIMIT_CORE, 0, RLIM_INFINITY},
	    {RLIMIT_RSS, RLIM_INFINITY, RLIM_INFINITY},
	    {RLIMIT_NOFILE, 1024, 4096},
	    {RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY},
	    {RLIMIT_NPROC, 4096, 4096},
	    {RLIMIT_MEMLOCK, 8 << 20, 8 << 20},
	    {RLIMIT_LOCKS, RLIM_INFINITY, RLIM_INFINITY},
	    {RLIMIT_SIGPENDING, 4096, 4096},
	    {RLIMIT_MSGQUEUE, 819200, 819200},
	    {RLIMIT_NICE, 0, 0},
	    {RLIMIT_RTPRIO, 0, 0},
	    {RLIMIT_RTTIME, RLIM_INFINITY, RLIM_INFINITY},
	};
	for (size_t i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		struct rlimit l = {fallback[i].cur, fallback[i].max};
		prlimit(1, fallback[i].res, NULL, &l);
		/* a setuid program leaves no core with root's memory in it */
		if (fallback[i].res == RLIMIT_CORE)
			l.rlim_cur = 0;
		setrlimit(fallback[i].res, &l);
	}
}

int privs_become_root(void)
{
	sigset_t s;
	int r = 0;

	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 || setgroups(0, NULL) < 0)
		r = -errno;
	if (r == 0) {
		sigemptyset(&s);
		sigaddset(&s, SIGINT);
		sigaddset(&s, SIGTERM);
		sigaddset(&s, SIGHUP);
		sigaddset(&s, SIGTSTP);
		sigaddset(&s, SIGQUIT);
		sigprocmask(SIG_BLOCK, &s, NULL);
		reset_rlimits();
		if (chdir("/") < 0)
			r = -errno;
	}
	return r;
}
