/* The one layer through which every /sys, /proc, /dev, /etc, /boot and
 * /lib/modules access goes.  A prefix lets tests and bug reports replay a
 * recorded tree (--sysroot); the setuid helper opens the real root only
 * (sysroot_open_real) and has no way to pass a prefix. */
#ifndef SS_SYSROOT_H
#define SS_SYSROOT_H

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct sysroot {
	int fd;		       /* O_PATH directory fd of "/" or of the prefix */
	bool prefixed;	       /* true when fd is a recorded tree, not "/" */
	char prefix[PATH_MAX]; /* for messages only; "" for the real root */
};

/* prefix NULL or "" or "/" means the real root. */
int sysroot_open(struct sysroot *sr, const char *prefix, struct ss_error *e);
int sysroot_open_real(struct sysroot *sr, struct ss_error *e);
void sysroot_close(struct sysroot *sr);

/* Paths are absolute as on a live system ("/sys/bus/pci/devices").  Every
 * lookup stays inside the root: symlinks, absolute ones too, resolve there. */
int sysroot_openat(const struct sysroot *sr, const char *path, int flags);
int sysroot_opendir(const struct sysroot *sr, const char *path, DIR **out);
bool sysroot_exists(const struct sysroot *sr, const char *path);

/* Read a small attribute: NUL-terminated, trailing newlines removed.
 * Returns its length or -errno (-EFBIG if it does not fit). */
ssize_t sysroot_read(const struct sysroot *sr, const char *path, char *buf, size_t len);
/* The same for the attribute `name` (one component) of the directory dir,
 * open as dirfd (sysroot_openat O_PATH | O_DIRECTORY): in the real root
 * the lookup starts at dirfd, so reading many attributes of one device
 * does not walk the whole path each time; in a recorded tree it walks
 * dir/name from the root, where its links must resolve. */
ssize_t sysroot_read_in(const struct sysroot *sr, int dirfd, const char *dir, const char *name, char *buf,
			size_t len);
/* Read a whole file into a malloc'd buffer (NUL-terminated), at most max bytes. */
ssize_t sysroot_slurp(const struct sysroot *sr, const char *path, size_t max, char **out);
ssize_t sysroot_readlink(const struct sysroot *sr, const char *path, char *buf, size_t len);
/* The same for a link `name` (one path component, no '/') in a directory
 * opened through this layer (dirfd(3) of sysroot_opendir): the directory
 * is inside the root already, and the link itself is read, never
 * followed, so no lookup can leave it.  One system call where the scan of
 * a directory of links (/proc/PID/fd) would otherwise open its parent for
 * every entry. */
ssize_t sysroot_readlinkat(int dirfd, const char *name, char *buf, size_t len);
/* One component `name` (no '/', not "." or "..") of a directory opened
 * through this layer, opened without following it if it is a link
 * (O_NOFOLLOW | O_CLOEXEC added): for a walk that checks each directory
 * on the way down (vmconf_open_emulator).  Returns the fd or -errno. */
int sysroot_open_child(int dirfd, const char *name, int flags);

/* The directory holding path, opened inside the root (for the *at() calls
 * that write: openat O_CREAT, renameat, symlinkat, unlinkat); *base is
 * set to the last component of path.  Returns the fd or -errno. */
int sysroot_parent(const struct sysroot *sr, const char *path, const char **base);

/* For messages: the path as the user would find it ("DIR/sys/..." or "/sys/..."). */
const char *sysroot_show(const struct sysroot *sr, const char *path, char *buf, size_t len);

#endif
