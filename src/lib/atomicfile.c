/* Threat model: runs as root, in the setuid helper (the journal, the
 * variants in /etc) and in the PAM module inside the display manager (the
 * seat record).  The callers check that the directory is root's, but not
 * what is at a given name inside it: a leftover of a crash, a link that an
 * administrator made, or, were the directory ever writable by someone
 * else, a plant.  So this code:
 * - MUST NOT follow a symbolic link at the temporary's name nor at the
 *   target's.  The temporary is created O_CREAT|O_EXCL|O_NOFOLLOW, so any
 *   existing entry at that name, a link or not, makes the call fail and
 *   another name is tried.  The target is never opened: it is only renamed
 *   over, which replaces the directory entry, whatever it is.
 * - MUST NOT write into a file that it did not create in this call, nor
 *   let anyone open the temporary with more rights than the caller asked
 *   for: it is created 0600 and gets its owner and then its final mode
 *   before the first byte is written.
 * - MUST NOT leave a temporary behind when it fails, and MUST NOT remove a
 *   name that it did not create.
 * - MUST NOT make a partial file visible: everything is written and
 *   fsynced before the rename, and the directory is fsynced after it
 *   before success is reported.
 * - MUST NOT touch anything outside dirfd: the name must be one path
 *   component.
 * - MUST report, never exit or abort: the PAM module runs inside the
 *   display manager.
 * The temporary's name is random (getrandom), so that someone able to
 * write in the directory cannot make every name we try exist before we try
 * it.  Safety never depends on that randomness: O_EXCL provides it.
 * What this cannot prevent: a crash between the creation of the temporary
 * and the rename leaves the temporary (".NAME.XXXXXXXXXX") behind.  The
 * target is then still the old file, complete. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"

/* Names tried before giving up: only a deliberate plant collides. */
#define TEMP_TRIES 16
#define TEMP_RANDOM 10

/* A name of the directory itself, or one with a slash, would let a
 * caller's mistake write outside dirfd or over the directory itself. */
static bool one_component(const char *name)
{
	return name[0] && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && !strchr(name, '/');
}

/* ".NAME.XXXXXXXXXX": beside NAME, so the rename stays on one file system,
 * hidden, and with a suffix that no configuration reader matches. */
static int temp_name(const char *name, int attempt, char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[TEMP_RANDOM];
	char suffix[TEMP_RANDOM + 1];
	int w;

	/* GRND_NONBLOCK: `recover` may run at boot before the kernel's pool
	 * is ready, and must not wait for it.  The clock, the pid and the
	 * attempt then still make a name that a collision only delays. */
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40) ^
		    (uint64_t)attempt ^ 0x9e3779b97f4a7c15u;
		for (size_t i = 0; i < sizeof(rnd); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			rnd[i] = (unsigned char)(x >> 24);
		}
	}
	for (size_t i = 0; i < TEMP_RANDOM; i++)
		suffix[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
	suffix[TEMP_RANDOM] = '\0';
	w = snprintf(out, len, ".%s.%s", name, suffix);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

/* Only the directory's fsync makes the rename itself durable.  fsync of an
 * O_PATH descriptor (sysroot_parent() hands those out) is EBADF: the same
 * directory is then opened again through it, for reading, and fsynced. */
static int sync_dir(int dirfd)
{
	int fd, r;

	if (fsync(dirfd) == 0)
		return 0;
	if (errno != EBADF)
		return -errno;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int atomic_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode, uid_t uid,
		   gid_t gid, struct ss_error *e)
{
	const unsigned char *p = data;
	char tmp[NAME_MAX + 1];
	const char *call = NULL;
	bool have_tmp = false, renamed = false;
	size_t left = len;
	int fd = -1, r = 0;

	if (!one_component(name)) {
		r = -EINVAL;
		call = "not a single path component";
		goto out;
	}
	for (int i = 0; fd < 0 && i < TEMP_TRIES; i++) {
		if ((r = temp_name(name, i, tmp, sizeof(tmp))) < 0) {
			call = "naming its temporary";
			goto out;
		}
		/* 0600 until fchmod: nobody opens it in between with the
		 * final, maybe wider, mode while it is being filled. */
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		r = -errno;
		call = "openat of its temporary";
		goto out;
	}
	have_tmp = true;
	/* Owner before mode: a chown may clear set-id bits that the mode
	 * asked for. */
	if ((uid != (uid_t)ATOMIC_KEEP_ID || gid != (gid_t)ATOMIC_KEEP_ID) && fchown(fd, uid, gid) < 0) {
		r = -errno;
		call = "fchown";
		goto out;
	}
	/* The exact mode whatever the umask: the journal must be readable by
	 * everyone, the seat record by root alone. */
	if (fchmod(fd, mode) < 0) {
		r = -errno;
		call = "fchmod";
		goto out;
	}
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		/* 0 would loop for ever: the file system takes no more. */
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			call = "write";
			goto out;
		}
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		r = -errno;
		call = "fsync";
		goto out;
	}
	/* Its data is on disk: close can report nothing more that matters,
	 * and on Linux the descriptor is gone whatever it returns. */
	close(fd);
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = -errno;
		call = "renameat";
		goto out;
	}
	/* The temporary's name is now the target's: nothing to remove. */
	have_tmp = false;
	renamed = true;
	if ((r = sync_dir(dirfd)) < 0)
		call = "fsync of the directory";
out:
	if (fd >= 0)
		close(fd);
	if (have_tmp)
		unlinkat(dirfd, tmp, 0);
	if (r < 0)
		ss_fail(e, r, "%s: %s: %s%s", name, call, strerror(-r),
			renamed ? " (the new file is in place, but a power cut may undo that)" : "");
	return r;
}

int atomic_symlink(int dirfd, const char *target, const char *name, struct ss_error *e)
{
	char tmp[NAME_MAX + 1];
	const char *call = NULL;
	bool have_tmp = false, renamed = false;
	int r = 0;

	if (!one_component(name)) {
		r = -EINVAL;
		call = "not a single path component";
		goto out;
	}
	/* symlinkat never follows or replaces what is at the name: an
	 * existing entry is EEXIST, and another name is tried. */
	for (int i = 0; !have_tmp && i < TEMP_TRIES; i++) {
		if ((r = temp_name(name, i, tmp, sizeof(tmp))) < 0) {
			call = "naming its temporary";
			goto out;
		}
		if (symlinkat(target, dirfd, tmp) == 0)
			have_tmp = true;
		else if (errno != EEXIST)
			break;
	}
	if (!have_tmp) {
		r = -errno;
		call = "symlinkat of its temporary";
		goto out;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = -errno;
		call = "renameat";
		goto out;
	}
	have_tmp = false;
	renamed = true;
	/* A link cannot be fsynced itself; the directory's fsync commits the
	 * new entry together with the link it names. */
	if ((r = sync_dir(dirfd)) < 0)
		call = "fsync of the directory";
out:
	if (have_tmp)
		unlinkat(dirfd, tmp, 0);
	if (r < 0)
		ss_fail(e, r, "%s: %s: %s%s", name, call, strerror(-r),
			renamed ? " (the new link is in place, but a power cut may undo that)" : "");
	return r;
}
