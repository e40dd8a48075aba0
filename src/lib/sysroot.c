#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysroot.h"

/* A recorded tree is data from a bug report: its symlinks must not lead out
 * of it.  openat2(RESOLVE_IN_ROOT) makes even absolute links resolve inside
 * the prefix.  Kernels before 5.6 lack it; there we fall back to openat(),
 * which is fine for the real root and for trees with relative links. */
static int open_in_root(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
	    .flags = (unsigned long long)(flags | O_CLOEXEC),
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	/* The kernel answers EAGAIN when a rename anywhere raced with a ".."
	 * of the lookup (sysfs links are full of them, and udev renames all
	 * the time after a rescan): try again. */
	for (int tries = 0; tries < 100; tries++) {
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN)
			break;
	}
	if (errno != ENOSYS)
		return -errno;
	fd = openat(dirfd, rel, flags | O_CLOEXEC);
	return fd >= 0 ? (int)fd : -errno;
}

static const char *relpath(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

int sysroot_open(struct sysroot *sr, const char *prefix, struct ss_error *e)
{
	if (!prefix || !*prefix || strcmp(prefix, "/") == 0)
		return sysroot_open_real(sr, e);
	if (strlen(prefix) >= sizeof(sr->prefix))
		return ss_fail(e, -ENAMETOOLONG, "sysroot %s: path too long", prefix);
	sr->fd = open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->fd < 0)
		return ss_fail(e, -errno,
			       "sysroot %s: %s (give a directory recorded with tests/record-sysfs)", prefix,
			       strerror(errno));
	sr->prefixed = true;
	snprintf(sr->prefix, sizeof(sr->prefix), "%s", prefix);
	/* Strip a trailing slash so messages read DIR/sys/... */
	size_t n = strlen(sr->prefix);
	while (n > 1 && sr->prefix[n - 1] == '/')
		sr->prefix[--n] = '\0';
	return 0;
}

int sysroot_open_real(struct sysroot *sr, struct ss_error *e)
{
	sr->fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->fd < 0)
		return ss_fail(e, -errno, "cannot open /: %s", strerror(errno));
	sr->prefixed = false;
	sr->prefix[0] = '\0';
	return 0;
}

void sysroot_close(struct sysroot *sr)
{
	if (sr->fd >= 0)
		close(sr->fd);
	sr->fd = -1;
}

int sysroot_openat(const struct sysroot *sr, const char *path, int flags)
{
	int fd;

	if (sr->prefixed)
		return open_in_root(sr->fd, relpath(path), flags);
	/* The real root needs no containment. */
	fd = openat(sr->fd, relpath(path), flags | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int sysroot_opendir(const struct sysroot *sr, const char *path, DIR **out)
{
	int fd = sysroot_openat(sr, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	*out = fdopendir(fd);
	if (!*out) {
		int err = -errno;
		close(fd);
		return err;
	}
	return 0;
}

bool sysroot_exists(const struct sysroot *sr, const char *path)
{
	int fd = sysroot_openat(sr, path, O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The small attribute open on fd, read and closed. */
static ssize_t read_small(int fd, char *buf, size_t len)
{
	ssize_t n, total = 0;

	for (;;) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		total += n;
		if ((size_t)total == len - 1) {
			char c;
			ssize_t more = read(fd, &c, 1);
			close(fd);
			if (more > 0)
				return -EFBIG;
			goto done;
		}
	}
	close(fd);
done:
	buf[total] = '\0';
	while (total > 0 && (buf[total - 1] == '\n' || buf[total - 1] == ' '))
		buf[--total] = '\0';
	return total;
}

ssize_t sysroot_read(const struct sysroot *sr, const char *path, char *buf, size_t len)
{
	int fd;

	if (len == 0)
		return -EINVAL;
	fd = sysroot_openat(sr, path, O_RDONLY);
	if (fd < 0)
		return fd;
	return read_small(fd, buf, len);
}

ssize_t sysroot_read_in(const struct sysroot *sr, int dirfd, const char *dir, const char *name, char *buf,
			size_t len)
{
	char path[PATH_MAX];
	int fd;

	if (len == 0 || !name[0] || strchr(name, '/'))
		return -EINVAL;
	if (sr->prefixed) {
		/* a recorded tree's links resolve inside it only through the whole path */
		if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		return sysroot_read(sr, path, buf, len);
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return read_small(fd, buf, len);
}

ssize_t sysroot_slurp(const struct sysroot *sr, const char *path, size_t max, char **out)
{
	size_t cap = 4096, total = 0;
	struct stat st;
	char *buf, *nb;
	ssize_t n;
	int fd;

	fd = sysroot_openat(sr, path, O_RDONLY);
	if (fd < 0)
		return fd;
	/* A regular file says its size: one allocation instead of a copy per
	 * doubling (modules.dep is half a megabyte); the byte beyond it
	 * leaves room for the read that finds the end, which the loop below
	 * still does, whatever the size was. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (size_t)st.st_size + 2 <= max)
		cap = (size_t)st.st_size + 2;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (total + 1 >= cap) {
			if (cap >= max) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + total, cap - 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	close(fd);
	buf[total] = '\0';
	*out = buf;
	return (ssize_t)total;
}

int sysroot_parent(const struct sysroot *sr, const char *path, const char **base)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	char *slash = strrchr(dir, '/');
	if (!slash || !slash[1])
		return -EINVAL;
	*base = path + (slash - dir) + 1;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return sysroot_openat(sr, dir, O_PATH | O_DIRECTORY);
}

ssize_t sysroot_readlink(const struct sysroot *sr, const char *path, char *buf, size_t len)
{
	const char *base;
	ssize_t n;
	int dfd;

	/* Resolve the parent inside the root, then read the last component
	 * itself: it is the link we want, not its target. */
	dfd = sysroot_parent(sr, path, &base);
	if (dfd < 0)
		return dfd;
	n = readlinkat(dfd, base, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(dfd);
		return n;
	}
	close(dfd);
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}

int sysroot_open_child(int dirfd, const char *name, int flags)
{
	int fd;

	if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

ssize_t sysroot_readlinkat(int dirfd, const char *name, char *buf, size_t len)
{
	ssize_t n;

	if (!name[0] || strchr(name, '/') || len < 2)
		return -EINVAL;
	n = readlinkat(dirfd, name, buf, len - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}

const char *sysroot_show(const struct sysroot *sr, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", sr->prefixed ? sr->prefix : "", path);
	return buf;
}
