#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modinfo.h"

/* nvidia.ko's .modinfo is under 2 KiB; no module's comes near this. */
#define MODINFO_MAX (256 * 1024)

/* Exactly len bytes at off, or -EIO; an offset past what off_t holds is
 * not a file we wrote. */
static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	if (off > (uint64_t)INT64_MAX - len)
		return -ENOEXEC;
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int section(int fd, const Elf64_Ehdr *eh, unsigned i, Elf64_Shdr *sh)
{
	return read_at(fd, sh, sizeof(*sh), eh->e_shoff + (uint64_t)i * sizeof(*sh));
}

int modinfo_get(int fd, const char *key, char *out, size_t len)
{
	static const char want[] = ".modinfo";
	Elf64_Ehdr eh;
	Elf64_Shdr strtab, sh;
	char name[sizeof(want)], *sec = NULL;
	size_t klen = strlen(key);
	int r;

	out[0] = '\0';
	r = read_at(fd, &eh, sizeof(eh), 0);
	if (r == 0 &&
	    (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	     eh.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB) ||
	     eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum))
		r = -ENOEXEC;
	if (r == 0)
		r = section(fd, &eh, eh.e_shstrndx, &strtab);
	if (r == -EIO)
		r = -ENOEXEC; /* the header promised what the file does not hold */
	for (unsigned i = 0; r == 0 && !sec && i < eh.e_shnum; i++) {
		if ((r = section(fd, &eh, i, &sh)) < 0 || strtab.sh_size < sizeof(name) ||
		    sh.sh_name > strtab.sh_size - sizeof(name))
			continue;
		if (read_at(fd, name, sizeof(name), strtab.sh_offset + sh.sh_name) < 0 ||
		    memcmp(name, want, sizeof(want)) != 0)
			continue;
		if (sh.sh_size > MODINFO_MAX)
			r = -EFBIG;
		else if (!(sec = malloc(sh.sh_size + 1)))
			r = -ENOMEM;
		else if ((r = read_at(fd, sec, sh.sh_size, sh.sh_offset)) == 0)
			sec[sh.sh_size] = '\0';
	}
	if (r == 0)
		r = -ENOENT;
	/* NUL-separated strings, with NUL padding between them */
	for (char *p = sec; r == -ENOENT && sec && p < sec + sh.sh_size; p += strlen(p) + 1)
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			snprintf(out, len, "%s", p + klen + 1);
			r = 0;
		}
	free(sec);
	return r;
}
