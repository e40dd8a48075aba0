/* Replacing one file, or one symbolic link, in a directory so that a
 * reader, a crash or a power cut sees either the old one or the new one,
 * never a mixture, never a partial file.  The journal, the seat record and
 * the configuration variants are all written this way, and only this way. */
#ifndef SS_ATOMICFILE_H
#define SS_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Give uid or gid as ATOMIC_KEEP_ID to leave it as the creator's
 * (root's, in the helper and the PAM module). */
#define ATOMIC_KEEP_ID (-1)

/* Make `name` in the directory dirfd hold exactly data[0..len), with
 * exactly `mode` (the umask plays no part) and, unless ATOMIC_KEEP_ID,
 * owner uid and group gid.  `name` is one path component; whatever is at
 * it (a file, a symbolic link) is replaced, never followed.  dirfd may be
 * an O_PATH descriptor.  When this returns 0 the new file is on disk and
 * so is its name.  On failure: -errno, e says which file and which call,
 * no temporary file is left, and `name` still holds the old file (or is
 * still absent), unless only the final fsync of the directory failed: the
 * new file is then in place but may not survive a power cut. */
int atomic_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode, uid_t uid,
		   gid_t gid, struct ss_error *e);

/* The same for a symbolic link: `name` in dirfd becomes a link to target,
 * whatever was at it before. */
int atomic_symlink(int dirfd, const char *target, const char *name, struct ss_error *e);

#endif
