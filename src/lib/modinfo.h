/* A kernel module file's .modinfo: the key=value strings that
 * MODULE_VERSION(), MODULE_LICENSE() and modpost leave in an ELF section,
 * what modinfo(8) prints.  The way back with [host] unload loads the
 * module from /lib/modules, so its version, not the loaded one's, is what
 * must match the installed user-space driver (modcheck.c). */
#ifndef SS_MODINFO_H
#define SS_MODINFO_H

#include <stddef.h>

/* The value of `key` in the .modinfo section of the ELF file open as fd
 * (an uncompressed .ko): 0, -ENOENT when the section or the key is not
 * there, -ENOEXEC when fd is not a 64-bit ELF file in this machine's byte
 * order, -EFBIG when the section is larger than any module's, -EIO on a
 * short read.  Reads the section headers and that one section with
 * pread: a 60 MB nvidia.ko costs a few kilobytes. */
int modinfo_get(int fd, const char *key, char *out, size_t len);

#endif
