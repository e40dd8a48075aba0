/* Threat model: called as root by the setuid helper and by the PAM module
 * inside the display manager, and as the user by the login guard.  While
 * no X server runs, any local user can listen on the display's abstract
 * socket, create the path socket (or a symlink, a FIFO, a file in its
 * place) and plant lock files.  So the server is identified by who
 * listens, as the kernel reports it (SO_PEERCRED), on both sockets a
 * client may reach (libxcb tries the abstract one first); the connects are
 * non-blocking, so a squatter that never accepts cannot hold us; no file
 * in /tmp is opened or followed, only looked at with AT_SYMLINK_NOFOLLOW
 * (doc/security.md rules 19, 21, 22). */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "seat.h"
#include "xserver.h"

int xserver_display_number(const char *tty)
{
	char *end;
	long n;

	if (!seat_is_display(tty))
		return -1;
	n = strtol(tty + 1, &end, 10);
	return n < 0 || n > 65535 ? -1 : (int)n;
}

/* Fields after the last ')' of /proc/PID/stat: "S PPID ...". */
static int stat_fields(const struct sysroot *sr, pid_t pid, char *comm, size_t clen, pid_t *ppid)
{
	char path[32], buf[1024], *open, *close_;
	ssize_t n;
	long v;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	n = sysroot_read(sr, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	open = strchr(buf, '(');
	close_ = strrchr(buf, ')');
	if (!open || !close_ || close_ < open || sscanf(close_ + 1, " %*c %ld", &v) != 1)
		return -EINVAL;
	if (comm && clen) {
		size_t k = 0;
		for (const char *p = open + 1; p < close_ && k + 1 < clen; p++)
			comm[k++] = (*p > 0x20 && *p < 0x7f) ? *p : '?';
		comm[k] = '\0';
	}
	*ppid = (pid_t)v;
	return 0;
}

int proc_ppid(const struct sysroot *sr, pid_t pid, pid_t *ppid)
{
	return stat_fields(sr, pid, NULL, 0, ppid);
}

bool proc_descends_from(const struct sysroot *sr, pid_t pid, pid_t ancestor)
{
	for (int depth = 0; depth < 64 && pid > 0; depth++) {
		if (pid == ancestor)
			return true;
		if (pid == 1 || proc_ppid(sr, pid, &pid) < 0)
			return false;
	}
	return false;
}

/* The peer of one connect; 1 with *x when someone answered, 0 when nobody
 * listens, -errno when the connect failed otherwise. */
static int peer_of(const struct sockaddr_un *sa, socklen_t len, struct xserver *x)
{
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sa, len) < 0)
		r = errno == ECONNREFUSED || errno == ENOENT ? 0 : -errno;
	else if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0 || cr.pid <= 0)
		r = -EPROTO;
	else
		r = 1, x->pid = cr.pid, x->uid = cr.uid;
	close(fd);
	/* EAGAIN: a backlog nobody accepts from is somebody's, but not whose */
	return r;
}

/* The path socket is looked at, never followed: its directory and the
 * socket itself must be owner's.  0 when there is nothing there, 1 when it
 * may be connected to, 2 when someone else's object sits there (x->uid). */
static int path_socket_ok(const char *dir, const char *name, uid_t owner, struct xserver *x)
{
	struct stat st;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r;

	if (dfd < 0)
		return errno == ENOENT ? 0 : (x->uid = (uid_t)-1, 2);
	if (fstat(dfd, &st) < 0 || st.st_uid != owner ||
	    ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))) {
		x->uid = st.st_uid;
		r = 2;
	} else if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		r = errno == ENOENT ? 0 : 2;
	} else if (!S_ISSOCK(st.st_mode) || st.st_uid != owner) {
		x->uid = st.st_uid;
		r = 2;
	} else {
		r = 1;
	}
	close(dfd);
	return r;
}

enum xserver_state xserver_peer(const struct sysroot *sr, int display, uid_t owner, struct xserver *x)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct xserver ab = {0}, pa = {0};
	char name[16];
	int ra, rp, n;
	pid_t ppid;

	memset(x, 0, sizeof(*x));
	snprintf(name, sizeof(name), "X%d", display);
	/* abstract: a NUL, then the path's bytes, no terminator */
	n = snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "%s/%s", X11_SOCKET_DIR, name);
	ra = peer_of(&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n), &ab);
	rp = path_socket_ok(X11_SOCKET_DIR, name, owner, &pa);
	if (rp == 1) {
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", X11_SOCKET_DIR, name);
		rp = peer_of(&sa, sizeof(sa), &pa);
	} else if (rp == 2) {
		rp = -EPERM;
	}
	if (ra == 0 && rp == 0)
		return XSERVER_NONE;
	*x = ra == 1 ? ab : pa;
	if (x->pid > 0) {
		stat_fields(sr, x->pid, x->comm, sizeof(x->comm), &ppid);
		proc_start_time(sr, x->pid, &x->start);
	}
	if (ra == 1 && rp == 1 && ab.pid == pa.pid && ab.uid == pa.uid)
		return XSERVER_ONE;
	if (ra != 1 && rp != 1) /* a socket file of someone else's, nobody listening */
		x->uid = pa.uid;
	return XSERVER_SPLIT;
}

int xserver_verify(const struct sysroot *sr, int display, uid_t owner, pid_t ancestor, struct xserver *x,
		   struct ss_error *e)
{
	enum xserver_state s = xserver_peer(sr, display, owner, x);

	if (s == XSERVER_NONE)
		return ss_fail(e, -ENOENT, "no X server answers on :%d", display);
	if (x->uid != owner && x->pid > 0)
		return ss_fail(e, -EPERM,
			       "display :%d is served by pid %ld (%s) of uid %ld, not by root: not "
			       "the display manager's",
			       display, (long)x->pid, x->comm, (long)x->uid);
	if (s == XSERVER_SPLIT)
		return ss_fail(e, -EPERM,
			       "display :%d is not served by one process on both of its sockets "
			       "(found pid %ld %s, uid %ld): not the display manager's",
			       display, (long)x->pid, x->comm[0] ? x->comm : "-", (long)(int)x->uid);
	if (ancestor > 0 && !proc_descends_from(sr, x->pid, ancestor))
		return ss_fail(e, -EPERM,
			       "display :%d is served by pid %ld (%s), which the display manager "
			       "(pid %ld) did not start",
			       display, (long)x->pid, x->comm, (long)ancestor);
	return 0;
}
