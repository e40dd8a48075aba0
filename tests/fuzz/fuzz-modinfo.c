/* modinfo_get(): the section headers and .modinfo of a module file, which
 * the helper reads as root before a switch with [host] unload.  The file
 * is root's, but a broken or truncated one must only be refused. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "modinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char v[32];
	int r;

	if (fd < 0 && (fd = memfd_create("ss-fuzz-modinfo", MFD_CLOEXEC)) < 0)
		abort();
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	r = modinfo_get(fd, "version", v, sizeof(v));
	if (r != 0 && r != -ENOENT && r != -ENOEXEC && r != -EFBIG && r != -EIO && r != -ENOMEM)
		abort();
	if (strlen(v) >= sizeof(v) || (r != 0 && v[0]))
		abort();
	return 0;
}
