/* Threat model: runs as root inside the setuid helper.  What it runs is
 * fixed by the root-owned configuration as a kind and a name, turned into
 * an argv from constants (never a string split into words: doc/security.md
 * rule 3); a `command:` path must be a root-owned file no one else may
 * write; every child gets the clean process state of spawn.c (rule 12).
 * While no X server runs, any local user can create /tmp/.X0-lock (a FIFO,
 * a file naming a live pid), /tmp/.X11-unix/X0, or listen on the abstract
 * socket of :0 with his own server.  So (rule 22):
 *  - X MUST be found by who listens on both of the display's sockets
 *    (SO_PEERCRED, xserver.c), never by a name in /tmp: no file in /tmp is
 *    opened, read or followed here;
 *  - before the display manager starts X (the switch and the rollback
 *    alike), every /tmp/.X*-lock and /tmp/.X11-unix/X* that root did not
 *    create MUST be moved aside (lstat, renameat into a root-only
 *    quarantine directory) and logged with its owner, and a display that
 *    someone else still serves (his abstract socket cannot be moved) MUST
 *    make the start refuse, naming him;
 *  - X counts as up only when its server is root's and the display
 *    manager's: a descendant of the process that started it (the helper is
 *    a child subreaper, so the daemonised display manager stays below it),
 *    or, under systemd, in the unit's cgroup;
 *  - every read of a child's output has a deadline.
 * The X check runs as the dedicated user session-switch-x with the
 * authority cookie on its stdin, so nothing X-related runs as root, and as
 * no user whose other processes could read the cookie (rules 13, 15). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "display.h"
#include "kwait.h"
#include "lock.h"
#include "pci.h"
#include "service.h"
#include "spawn.h"
#include "xserver.h"

bool display_managed(const struct ss_config *c)
{
	return c->dm != DM_UNSET;
}

/* The display manager goes through the same init-system layer as [host]
 * services (service.c): one code path starts and stops units for
 * systemd, OpenRC, runit and command: managers. */
static int dm_run(const struct ss_config *c, bool start, int timeout_ms, struct ss_error *e)
{
	char why[SS_ERRLEN];
	int r = 0;

	if (c->dm != DM_UNSET && c->dm != DM_NONE)
		r = service_run(c->dm, c->dm_name, start, timeout_ms, e);
	if (r < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		r = ss_fail(e, r, "[display] manager: %.4000s", why);
	}
	return r;
}

int display_x_pid(const struct sysroot *sr, int display)
{
	struct xserver x;
	return xserver_peer(sr, display, 0, &x) == XSERVER_ONE && x.uid == 0 ? (int)x.pid : 0;
}

/* The display manager's process under systemd is its unit: a process in
 * the unit's cgroup ("0::/system.slice/slim.service"), where no user can
 * move one of theirs. */
static bool in_unit(const struct sysroot *sr, pid_t pid, const char *unit)
{
	char path[40], *text = NULL, want[160];
	bool in = false;

	snprintf(path, sizeof(path), "/proc/%ld/cgroup", (long)pid);
	snprintf(want, sizeof(want), "/%s%s\n", unit, strchr(unit, '.') ? "" : ".service");
	if (sysroot_slurp(sr, path, 1 << 16, &text) < 0)
		return false;
	for (char *p = strstr(text, want); p && !in; p = strstr(p + 1, want))
		in = true;
	free(text);
	return in;
}

/* Whose descendant the display manager's X server is: under runit the
 * service's process (its supervise/pid, root's), under systemd none (the
 * cgroup decides), otherwise this helper, which started it as a child
 * subreaper. */
static pid_t dm_ancestor(const struct ss_config *c, const struct sysroot *sr)
{
	char path[200], buf[32];
	long v = 0;

	if (c->dm == DM_SYSTEMD)
		return 0;
	if (c->dm != DM_RUNIT)
		return getpid();
	snprintf(path, sizeof(path), "/etc/sv/%s/supervise/pid", c->dm_name);
	if (sysroot_read(sr, path, buf, sizeof(buf)) > 0)
		v = strtol(buf, NULL, 10);
	return v > 1 ? (pid_t)v : -1;
}

/* The display manager's own server serves the display: 0, or -errno with
 * who serves it instead. */
static int dm_server(const struct ss_config *c, const struct sysroot *sr, struct xserver *x,
		     struct ss_error *e)
{
	pid_t anc = dm_ancestor(c, sr);
	int r;

	if (anc < 0)
		return ss_fail(e, -ESRCH, "no process of the runit service %s", c->dm_name);
	r = xserver_verify(sr, c->display, 0, anc, x, e);
	if (r == 0 && c->dm == DM_SYSTEMD && !in_unit(sr, x->pid, c->dm_name))
		r = ss_fail(e, -EPERM, "display :%d is served by pid %ld (%s), which is not in the unit %s",
			    c->display, (long)x->pid, x->comm, c->dm_name);
	return r;
}

/* Re-checking a condition on X every 50 ms: X's sockets send no uevent,
 * and every check is two connections to the server. */
static int x_wait(bool (*cond)(void *), void *arg, int timeout_ms)
{
	long deadline = kwait_now_ms() + timeout_ms;
	struct timespec tick = {0, 50 * 1000000L};

	while (!cond(arg)) {
		if (kwait_now_ms() >= deadline)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
	return 0;
}

struct x_cond {
	const struct ss_config *c;
	const struct sysroot *sr;
	struct xserver x;
	struct ss_error e;
};

static bool x_gone(void *arg)
{
	struct x_cond *l = arg;
	return display_x_pid(l->sr, l->c->display) == 0;
}

static bool x_ours(void *arg)
{
	struct x_cond *l = arg;
	return dm_server(l->c, l->sr, &l->x, &l->e) == 0;
}

int display_stop(const struct ss_config *c, const struct sysroot *sr, int timeout_ms, struct ss_error *e)
{
	int pid = display_x_pid(sr, c->display), r;
	struct x_cond l = {c, sr, {0}, {""}};

	if (c->dm == DM_NONE) {
		/* X is the user's (startx): wait for them to leave it. */
		if (pid)
			fprintf(stderr,
				"session-switch: waiting up to %d s for X on :%d (pid %d) to exit: log out "
				"of it\n",
				timeout_ms / 1000, c->display, pid);
	} else if ((r = dm_run(c, false, timeout_ms, e)) < 0) {
		return r;
	}
	if (pid) {
		/* Woken by the process's exit, not by a clock. */
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pfd >= 0) {
			struct pollfd p = {.fd = pfd, .events = POLLIN};
			int n = poll(&p, 1, timeout_ms);
			close(pfd);
			if (n == 0)
				return ss_fail(e, -ETIMEDOUT, "X (pid %d) did not exit within %d ms%s", pid,
					       timeout_ms,
					       c->dm == DM_NONE ? ": quit X and try again"
								: " after the display manager was stopped");
		}
	}
	/* Gone means: no root server answers on the display any more.  What a
	 * user serves there is no X of ours; display_start deals with it. */
	if (x_wait(x_gone, &l, timeout_ms) < 0)
		return ss_fail(e, -ETIMEDOUT,
			       "X on :%d is still there %d ms after the display manager stopped", c->display,
			       timeout_ms);
	return 0;
}

/* --- what users leave where X puts its lock and its socket ----------------- */

/* The quarantine: RUN_DIR/quarantine when /tmp is on the same file system;
 * otherwise (a rename cannot cross file systems) a directory root makes in
 * /tmp with a name nobody can guess, mode 0700, one for this process.
 * -errno, or the fd (the /tmp one is kept open: the caller must not close
 * it). */
static int tmp_quarantine = -1;
static char tmp_quarantine_path[80];

static int quarantine_open(int tmpfd, char *where, size_t wlen, bool cross, struct ss_error *e)
{
	struct stat st;
	int fd = -1;

	if (!cross) {
		int run = rundir_open(e);
		if (run < 0)
			return run;
		if (mkdirat(run, "quarantine", 0700) < 0 && errno != EEXIST) {
			close(run);
			return ss_fail(e, -errno, RUN_DIR "/quarantine: %s", strerror(errno));
		}
		fd = openat(run, "quarantine", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(run);
		snprintf(where, wlen, RUN_DIR "/quarantine");
	} else if (tmp_quarantine >= 0) {
		snprintf(where, wlen, "%s", tmp_quarantine_path);
		return tmp_quarantine;
	} else {
		char name[64];
		unsigned long long rnd = 0;
		int rfd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (rfd < 0 || read(rfd, &rnd, sizeof(rnd)) != (ssize_t)sizeof(rnd))
			rnd ^=
			    (unsigned long long)kwait_now_ms() * 2654435761ULL ^ (unsigned long long)getpid();
		if (rfd >= 0)
			close(rfd);
		snprintf(name, sizeof(name), ".session-switch-quarantine.%016llx", rnd);
		/* mkdirat fails on anything already there: the directory is ours */
		if (mkdirat(tmpfd, name, 0700) < 0)
			return ss_fail(e, -errno, "/tmp/%s: %s", name, strerror(errno));
		fd = openat(tmpfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		snprintf(tmp_quarantine_path, sizeof(tmp_quarantine_path), "/tmp/%s", name);
		snprintf(where, wlen, "%s", tmp_quarantine_path);
		tmp_quarantine = fd;
	}
	if (fd < 0)
		return ss_fail(e, -errno, "%s: %s", where, strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 077)) {
		if (fd == tmp_quarantine)
			tmp_quarantine = -1;
		close(fd);
		return ss_fail(e, -EPERM, "%s is not root's alone", where);
	}
	return fd;
}

static const char *kind_of(mode_t m)
{
	return S_ISREG(m)    ? "file"
	       : S_ISFIFO(m) ? "FIFO"
	       : S_ISSOCK(m) ? "socket"
	       : S_ISLNK(m)  ? "symlink"
	       : S_ISDIR(m)  ? "directory"
			     : "special file";
}

/* One name in dfd (shown as dshow/name) that root did not create goes
 * aside; 1 when it was moved, 0 when it is root's or gone. */
static int move_aside(int tmpfd, int dfd, const char *dshow, const char *name, struct ss_error *e)
{
	char where[128] = "", to[160], show[200], owner[64];
	struct stat st;
	int q, r;
	bool cross = false;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_uid == 0)
		return 0;
	struct passwd *pw = getpwuid(st.st_uid);
	snprintf(owner, sizeof(owner), "%s", pw ? pw->pw_name : "?");
	snprintf(show, sizeof(show), "%s/%s", dshow, name);
	snprintf(to, sizeof(to), "%lld.uid%u.%s%s", (long long)time(NULL), (unsigned)st.st_uid,
		 strcmp(dshow, "/tmp") == 0 ? "" : "X11-unix.", name);
	for (;;) {
		q = quarantine_open(tmpfd, where, sizeof(where), cross, e);
		if (q < 0)
			return q;
		r = renameat(dfd, name, q, to);
		int err = errno;
		if (q != tmp_quarantine)
			close(q);
		if (r == 0)
			break;
		if (err == EXDEV && !cross) {
			cross = true;
			continue;
		}
		if (err == ENOENT)
			return 0;
		return ss_fail(e, -err, "cannot move %s (a %s of uid %u, %s) aside: %s", show,
			       kind_of(st.st_mode), (unsigned)st.st_uid, owner, strerror(err));
	}
	audit(LOG_WARNING,
	      "moved aside %s, a %s that root did not create (owner uid %u, %s), into %s/%s: "
	      "a user's stand-in for X's lock or socket",
	      show, kind_of(st.st_mode), (unsigned)st.st_uid, owner, where, to);
	fprintf(stderr, "session-switch: moved aside %s (a %s of %s, uid %u) into %s\n", show,
		kind_of(st.st_mode), owner, (unsigned)st.st_uid, where);
	return 1;
}

static bool x_name(const char *n, const char *suffix)
{
	size_t k = 0, sl = strlen(suffix);
	if (n[0] != 'X' && !(n[0] == '.' && n[1] == 'X'))
		return false;
	n += n[0] == '.' ? 2 : 1;
	while (n[k] >= '0' && n[k] <= '9')
		k++;
	return k > 0 && k < 6 && strcmp(n + k, suffix) == 0 && strlen(n + k) == sl;
}

int display_quarantine(struct ss_error *e)
{
	int tmpfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0, xfd;
	struct stat st;
	struct dirent *d;
	DIR *dir;

	if (tmpfd < 0)
		return ss_fail(e, -errno, "/tmp: %s", strerror(errno));
	/* X's socket directory itself: root's directory, or it goes aside whole */
	if (fstatat(tmpfd, ".X11-unix", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (!S_ISDIR(st.st_mode) || st.st_uid != 0))
		r = move_aside(tmpfd, tmpfd, "/tmp", ".X11-unix", e);
	xfd = r < 0 ? -1 : openat(tmpfd, ".X11-unix", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (xfd >= 0 && (dir = fdopendir(xfd))) {
		while (r >= 0 && (d = readdir(dir)))
			if (x_name(d->d_name, ""))
				r = move_aside(tmpfd, dirfd(dir), "/tmp/.X11-unix", d->d_name, e);
		closedir(dir);
	} else if (xfd >= 0) {
		close(xfd);
	}
	int dup = r < 0 ? -1 : fcntl(tmpfd, F_DUPFD_CLOEXEC, 3);
	if (dup >= 0 && (dir = fdopendir(dup))) {
		while (r >= 0 && (d = readdir(dir)))
			if (x_name(d->d_name, "-lock"))
				r = move_aside(tmpfd, tmpfd, "/tmp", d->d_name, e);
		closedir(dir);
	} else if (dup >= 0) {
		close(dup);
	}
	close(tmpfd);
	return r < 0 ? r : 0;
}

/* xcheck as session-switch-x, the authority file on its stdin, its JSON
 * line back within the deadline (rule 22: every read of a child's output
 * has one). */
static int xcheck(const struct ss_config *c, int timeout_ms, char *info, size_t infolen, struct ss_error *e)
{
	const char *authfile = c->xauthority[0] ? c->xauthority : DEFAULT_XAUTHORITY;
	struct passwd *pw = getpwnam(XCHECK_USER);
	int auth, out[2], status, r;
	char disp[16], tmo[16];

	if (!pw || pw->pw_uid == 0)
		return ss_fail(
		    e, -ENOENT,
		    "no system user " XCHECK_USER " to run the X check as: create it with "
		    "useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin " XCHECK_USER
		    " (make install does when run as root)");
	struct stat st;
	auth = open(authfile, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (auth < 0)
		return ss_fail(e, -errno, "%s: %s (set [display] authfile)", authfile, strerror(errno));
	/* the display manager's own file: never a FIFO or a user's */
	if (fstat(auth, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0) {
		close(auth);
		return ss_fail(e, -EPERM, "%s is not a regular file of root's (set [display] authfile)",
			       authfile);
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(auth);
		return ss_fail(e, -errno, "pipe: %s", strerror(errno));
	}
	snprintf(disp, sizeof(disp), ":%d", c->display);
	snprintf(tmo, sizeof(tmo), "%d", timeout_ms);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"session-switch-xcheck", disp, tmo, NULL};
		char *env[] = {"PATH=/usr/bin:/bin", "LANG=C", NULL};
		if (spawn_child_setup(auth, out[1], -1) < 0)
			_exit(127);
		/* Rule 13: groups, then gid, then uid, each checked. */
		if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(126);
		execve(XCHECK_PATH, argv, env);
		_exit(127);
	}
	close(auth);
	close(out[1]);
	if (pid < 0) {
		close(out[0]);
		return ss_fail(e, -errno, "fork: %s", strerror(errno));
	}
	/* Read until EOF or the deadline: an X server that never answers keeps
	 * xcheck (and its pipe) open, and must not keep us. */
	long deadline = kwait_now_ms() + timeout_ms + 2000;
	size_t used = 0;
	ssize_t n = 1;
	while (n > 0 && used + 1 < infolen) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		long left = deadline - kwait_now_ms();
		int k = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n = read(out[0], info + used, infolen - 1 - used);
		if (n > 0)
			used += (size_t)n;
	}
	info[used] = '\0';
	if (used && info[used - 1] == '\n')
		info[used - 1] = '\0';
	close(out[0]);
	long left = deadline - kwait_now_ms();
	r = child_wait(pid, left > 0 ? (int)left : 0, &status);
	if (r == -ETIMEDOUT)
		child_wait(pid, 2000, &status); /* killed; reaped within a deadline too */
	if (r < 0)
		return ss_fail(e, r, "the X check did not finish within %d ms", timeout_ms + 2000);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ss_fail(e, -EIO, "X on %s is not usable: %s", disp,
			       WIFEXITED(status) && WEXITSTATUS(status) == 1 ? "no output is connected"
			       : WIFEXITED(status) && WEXITSTATUS(status) >= 126
				   ? "the X check could not run"
				   : "it does not accept connections");
	return 0;
}

/* The card X opened, from its log: "modeset(0): using drv /dev/dri/card1". */
static int x_gpu(const struct sysroot *sr, int display, struct pci_addr *gpu, char *card, size_t clen)
{
	char path[40], *log = NULL;
	snprintf(path, sizeof(path), "/var/log/Xorg.%d.log", display);
	if (sysroot_slurp(sr, path, 4 << 20, &log) < 0)
		return -ENOENT;
	const char *hit = NULL, *p = log;
	while ((p = strstr(p, "using drv /dev/dri/")))
		hit = p, p++;
	int r = -ENOENT;
	if (hit) {
		hit += strlen("using drv /dev/dri/");
		size_t n = strcspn(hit, " \n");
		snprintf(card, clen, "%.*s", (int)(n < clen ? n : clen - 1), hit);
		struct pci_list l;
		if (pci_scan(sr, &l, NULL) == 0) {
			for (size_t i = 0; i < l.n; i++)
				if (strcmp(l.dev[i].drm_card, card) == 0) {
					*gpu = l.dev[i].addr;
					r = 0;
				}
			pci_list_free(&l);
		}
	}
	free(log);
	return r;
}

static int display_start_checked(const struct ss_config *c, const struct sysroot *sr,
				 const struct pci_addr *gpu, int timeout_ms, char *info, size_t infolen,
				 struct ss_error *e);

/* Before the display manager starts X: what users left in /tmp goes
 * aside, and nobody may still serve the display (an abstract socket
 * cannot be moved: its owner is named instead). */
static int display_free(const struct ss_config *c, const struct sysroot *sr, struct ss_error *e)
{
	struct xserver x;
	int r = display_quarantine(e);

	if (r < 0)
		return r;
	if (xserver_peer(sr, c->display, 0, &x) == XSERVER_NONE)
		return 0;
	struct passwd *pw = x.pid > 0 ? getpwuid(x.uid) : NULL;
	audit(LOG_WARNING, "display :%d is held by pid %ld (%s) of uid %ld (%s): not starting X there",
	      c->display, (long)x.pid, x.comm[0] ? x.comm : "-", (long)(int)x.uid, pw ? pw->pw_name : "?");
	if (x.pid > 0 && x.uid == 0)
		return ss_fail(e, -EBUSY, "an X server (pid %ld, %s) already serves :%d", (long)x.pid, x.comm,
			       c->display);
	return ss_fail(e, -EPERM,
		       "display :%d is held by %s (pid %ld, %s, uid %ld), not by the display manager: "
		       "the display manager cannot start its X server there; end that process and run "
		       "session-switch recover",
		       c->display, pw ? pw->pw_name : "another user", (long)x.pid, x.comm[0] ? x.comm : "-",
		       (long)(int)x.uid);
}

/* Xorg's own words for a failed start: its first (EE) lines that say
 * something (not the boilerplate about where the log is). */
static void append_xorg_errors(const struct sysroot *sr, int display, struct ss_error *e)
{
	static const char *const noise[] = {"Please also check",
					    "Server terminated",
					    "Please consult",
					    "for help",
					    "http",
					    "Fatal server error",
					    "dbus"};
	char path[40], *log = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "/var/log/Xorg.%d.log", display);
	if (sysroot_slurp(sr, path, 4 << 20, &log) < 0)
		return;
	size_t used = strlen(e->msg);
	for (const char *p = log; p && *p && n < 3 && used + 8 < sizeof(e->msg);) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		/* "[    36.8] (EE) ...": a logged error, not the legend line */
		const char *ee = memmem(p, len, "] (EE) ", 7);
		ee = ee ? ee + 2 : NULL;
		bool keep = p[0] == '[' && ee && (size_t)(ee + 5 - p) < len;
		for (size_t i = 0; keep && i < sizeof(noise) / sizeof(noise[0]); i++)
			keep = !memmem(p, len, noise[i], strlen(noise[i]));
		if (keep) {
			const char *text = ee + 5;
			int tl = (int)(len - (size_t)(text - p));
			used += (size_t)snprintf(e->msg + used, sizeof(e->msg) - used, "%s%.*s",
						 n ? "; " : "; Xorg: ", tl > 160 ? 160 : tl, text);
			n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(log);
}

int display_start(const struct ss_config *c, const struct sysroot *sr, const struct pci_addr *gpu,
		  int timeout_ms, char *info, size_t infolen, struct ss_error *e)
{
	int r = display_start_checked(c, sr, gpu, timeout_ms, info, infolen, e);
	if (r < 0)
		append_xorg_errors(sr, c->display, e);
	return r;
}

static int display_start_checked(const struct ss_config *c, const struct sysroot *sr,
				 const struct pci_addr *gpu, int timeout_ms, char *info, size_t infolen,
				 struct ss_error *e)
{
	struct x_cond l = {c, sr, {0}, {""}};
	int r;

	info[0] = '\0';
	if (c->dm == DM_NONE)
		return 1;
	if ((r = display_free(c, sr, e)) < 0)
		return r;
	/* A display manager that daemonises is reparented to us, not to
	 * init: its X server is then a descendant of this process. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((r = dm_run(c, true, timeout_ms, e)) < 0)
		return r;
	if (x_wait(x_ours, &l, timeout_ms) < 0) {
		if (l.e.msg[0] && strstr(l.e.msg, "no X server") == NULL)
			return ss_fail(e, -EPERM,
				       "X did not come up as the display manager's own server within %d ms: "
				       "%s",
				       timeout_ms, l.e.msg);
		return ss_fail(e, -ETIMEDOUT, "no X server came up on :%d within %d ms", c->display,
			       timeout_ms);
	}
	audit(LOG_INFO, "X on :%d is pid %ld (%s), root's and the display manager's", c->display,
	      (long)l.x.pid, l.x.comm);
	if ((r = xcheck(c, timeout_ms, info, infolen, e)) < 0)
		return r;
	struct pci_addr got;
	char card[32] = "", want[PCI_ADDR_LEN], have[PCI_ADDR_LEN];
	if (x_gpu(sr, c->display, &got, card, sizeof(card)) < 0)
		return ss_fail(e, -ENOENT,
			       "X is up but /var/log/Xorg.%d.log does not say which GPU it drives",
			       c->display);
	pci_addr_format(gpu, want);
	pci_addr_format(&got, have);
	if (pci_addr_cmp(&got, gpu) != 0)
		return ss_fail(e, -EXDEV, "X came up on %s (%s), not on %s", have, card, want);
	return 0;
}
