/* Threat model: runs as root in the helper.  A directory that a user could
 * have made or could write into would let them plant the journal or the
 * lock the helper trusts: owner and mode are checked through the fd, the
 * path opened O_NOFOLLOW (doc/security.md rule 11). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootdir.h"

int rootdir_open(const char *path, mode_t mode, mode_t forbidden, struct ss_error *e)
{
	struct stat st;
	int fd;

	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return ss_fail(e, -errno, "%s: %s", path, strerror(errno));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ss_fail(e, -errno, "%s: %s", path, strerror(errno));
	/* Owned by whoever we are: root in the helper and in the PAM module
	 * (in a test run by a user, that user, who is nobody else). */
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & forbidden)) {
		close(fd);
		return ss_fail(e, -EPERM,
			       "%s must be a directory owned by root with mode %04o; something "
			       "else made it: check it, then chown root: and chmod %04o it",
			       path, (unsigned)mode, (unsigned)mode);
	}
	return fd;
}
