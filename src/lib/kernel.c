#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(HAVE_ZLIB) && !defined(SS_PRIVILEGED)
#include <zlib.h>
#endif

#include "kernel.h"
#include "modinfo.h"

#define CONFIG_MAX (4 * 1024 * 1024)

#if defined(HAVE_ZLIB) && !defined(SS_PRIVILEGED)
static int read_config_gz(const struct sysroot *sr, char **out)
{
	size_t cap = 256 * 1024, total = 0;
	char *buf, *nb;
	gzFile gz;
	int fd, n;

	fd = sysroot_openat(sr, "/proc/config.gz", O_RDONLY);
	if (fd < 0)
		return fd;
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return -ENOMEM;
	}
	buf = malloc(cap);
	if (!buf) {
		gzclose(gz);
		return -ENOMEM;
	}
	while ((n = gzread(gz, buf + total, (unsigned)(cap - 1 - total))) > 0) {
		total += (size_t)n;
		if (total + 1 == cap) {
			if (cap >= CONFIG_MAX)
				break;
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				gzclose(gz);
				return -ENOMEM;
			}
			buf = nb;
		}
	}
	gzclose(gz);
	if (n < 0) {
		free(buf);
		return -EIO;
	}
	buf[total] = '\0';
	*out = buf;
	return 0;
}
#endif

int kernel_read(const struct sysroot *sr, struct kernel_info *k, struct ss_error *e)
{
	char path[PATH_MAX];
	ssize_t n;

	memset(k, 0, sizeof(*k));
	n = sysroot_read(sr, "/proc/sys/kernel/osrelease", k->release, sizeof(k->release));
	if (n <= 0)
		return ss_fail(e, n < 0 ? (int)n : -EINVAL,
			       "/proc/sys/kernel/osrelease: %s (is /proc mounted?)",
			       n < 0 ? strerror((int)-n) : "empty");
	if (strchr(k->release, '/'))
		return ss_fail(e, -EINVAL, "/proc/sys/kernel/osrelease: \"%s\" is not a release name",
			       k->release);
	k->lists = calloc(1, sizeof(*k->lists));
	if (!k->lists)
		return ss_fail(e, -ENOMEM, "out of memory");
#ifndef SS_PRIVILEGED
	/* Only doctor asks for build options; the helper would read a
	 * quarter of a megabyte on every switch for nothing. */
	snprintf(path, sizeof(path), "/boot/config-%s", k->release);
	if (sysroot_slurp(sr, path, CONFIG_MAX, &k->config) >= 0) {
		snprintf(k->config_from, sizeof(k->config_from), "%s", path);
		return 0;
	}
#ifdef HAVE_ZLIB
	if (read_config_gz(sr, &k->config) == 0)
		snprintf(k->config_from, sizeof(k->config_from), "/proc/config.gz");
#endif
#else
	(void)path;
#endif
	return 0;
}

void kernel_free(struct kernel_info *k)
{
	free(k->config);
	k->config = NULL;
	if (k->lists) {
		free(k->lists->text[0]);
		free(k->lists->text[1]);
		free(k->lists);
		k->lists = NULL;
	}
}

enum { LIST_BUILTIN, LIST_DEP };

/* The text of one module list, or NULL when it cannot be read; *own is set
 * when the caller must free it (no cache to keep it in). */
static char *module_list(const struct sysroot *sr, const struct kernel_info *k, int which, bool *own)
{
	static const char *const names[] = {[LIST_BUILTIN] = "modules.builtin", [LIST_DEP] = "modules.dep"};
	char path[PATH_MAX], *text = NULL;

	*own = false;
	if (k->lists && k->lists->read[which])
		return k->lists->text[which];
	snprintf(path, sizeof(path), "/lib/modules/%s/%s", k->release, names[which]);
	if (sysroot_slurp(sr, path, 16 * CONFIG_MAX, &text) < 0)
		text = NULL;
	if (!k->lists) {
		*own = true;
		return text;
	}
	k->lists->text[which] = text;
	k->lists->read[which] = true;
	return text;
}

enum kopt kernel_option(const struct kernel_info *k, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!k->config)
		return KOPT_UNKNOWN;
	for (p = k->config; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, len) == 0 && p[len] == '=') {
			char v = p[len + 1];
			return v == 'y' ? KOPT_YES : v == 'm' ? KOPT_MODULE : KOPT_NO;
		}
		if (p[0] == '#' && strncmp(p, "# ", 2) == 0 && strncmp(p + 2, name, len) == 0 &&
		    strncmp(p + 2 + len, " is not set", 11) == 0)
			return KOPT_NO;
	}
	/* A complete config that does not mention it: not set. */
	return KOPT_NO;
}

/* Does a modules.* file list a module file named `file`.ko[.xz|.zst|.gz]?
 * Its path, up to the ':' of modules.dep, in path and plen when asked. */
static bool lists_module_at(const char *text, const char *file, bool dep_format, const char **path,
			    size_t *plen)
{
	size_t flen = strlen(file);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *end = dep_format ? strchr(p, ':') : strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		/* the basename of the path on this line */
		const char *b = end;
		while (b > p && b[-1] != '/')
			b--;
		if ((size_t)(end - b) >= flen + 3 && strncmp(b, file, flen) == 0 &&
		    strncmp(b + flen, ".ko", 3) == 0) {
			if (path) {
				*path = p;
				*plen = (size_t)(end - p);
			}
			return true;
		}
	}
	return false;
}

static bool lists_module(const char *text, const char *file, bool dep_format)
{
	return lists_module_at(text, file, dep_format, NULL, NULL);
}

enum kmod kernel_module_file(const struct sysroot *sr, const struct kernel_info *k, const char *file)
{
	enum kmod m = KMOD_MISSING;
	bool own;
	char *text = module_list(sr, k, LIST_BUILTIN, &own);

	if (text && lists_module(text, file, false))
		m = KMOD_BUILTIN;
	if (own)
		free(text);
	if (m == KMOD_MISSING) {
		text = module_list(sr, k, LIST_DEP, &own);
		if (text && lists_module(text, file, true))
			m = KMOD_LOADABLE;
		if (own)
			free(text);
	}
	return m;
}

enum kmod kernel_module(const struct sysroot *sr, const struct kernel_info *k, const char *module,
			const char *file)
{
	char path[PATH_MAX];
	enum kmod m = kernel_module_file(sr, k, file);

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	/* /sys/module/X exists for loaded modules, and for built-in ones that
	 * have parameters: only "loaded" when it is not built in. */
	if (m != KMOD_BUILTIN && sysroot_exists(sr, path))
		m = KMOD_LOADED;
	return m;
}

/* a == b with '-' and '_' the same, over n bytes */
static bool same_name(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];
		if (x != y)
			return false;
	}
	return true;
}

/* The module on a modules.dep/builtin line (its file's basename before
 * ".ko") that registers `driver`, or false. */
static bool line_module(const char *p, const char *end, const char *driver, char *module, size_t len)
{
	const char *b = end, *ko;
	size_t dlen = strlen(driver), mlen;

	while (b > p && b[-1] != '/')
		b--;
	for (ko = b; ko + 3 <= end && strncmp(ko, ".ko", 3) != 0; ko++)
		;
	if (ko + 3 > end)
		return false;
	mlen = (size_t)(ko - b);
	if (mlen < dlen || !same_name(b + mlen - dlen, driver, dlen))
		return false;
	if (mlen != dlen && b[mlen - dlen - 1] != '-' && b[mlen - dlen - 1] != '_')
		return false;
	snprintf(module, len, "%.*s", (int)mlen, b);
	return true;
}

static bool find_module(const char *text, const char *driver, bool dep, char *module, size_t len)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *end = dep ? strchr(p, ':') : strchr(p, '\n');
		const char *nl = strchr(p, '\n');
		if (!end || (nl && end > nl))
			end = nl ? nl : p + strlen(p);
		if (line_module(p, end, driver, module, len))
			return true;
	}
	return false;
}

enum kmod kernel_driver_module(const struct sysroot *sr, const struct kernel_info *k, const char *driver,
			       char *module, size_t len)
{
	enum kmod m = KMOD_MISSING;
	char path[PATH_MAX];

	snprintf(module, len, "%s", driver);
	for (int i = LIST_BUILTIN; m == KMOD_MISSING && i <= LIST_DEP; i++) {
		bool own;
		char *text = module_list(sr, k, i, &own);
		if (text && find_module(text, driver, i == LIST_DEP, module, len))
			m = i == LIST_BUILTIN ? KMOD_BUILTIN : KMOD_LOADABLE;
		if (own)
			free(text);
	}
	if (m != KMOD_BUILTIN) {
		char name[256];
		snprintf(name, sizeof(name), "%s", module);
		for (char *c = name; *c; c++)
			*c = *c == '-' ? '_' : *c;
		snprintf(path, sizeof(path), "/sys/module/%s", name);
		if (sysroot_exists(sr, path))
			m = KMOD_LOADED;
	}
	return m;
}

const char *kopt_str(enum kopt o)
{
	switch (o) {
	case KOPT_YES:
		return "y";
	case KOPT_MODULE:
		return "m";
	case KOPT_NO:
		return "n";
	default:
		return "unknown";
	}
}

const char *kmod_str(enum kmod m)
{
	switch (m) {
	case KMOD_LOADED:
		return "loaded";
	case KMOD_BUILTIN:
		return "built-in";
	case KMOD_LOADABLE:
		return "loadable";
	default:
		return "missing";
	}
}

int kernel_module_version(const struct sysroot *sr, const struct kernel_info *k, const char *module,
			  struct kernel_modver *v, struct ss_error *e)
{
	char file[128], *list;
	const char *at = NULL;
	size_t alen = 0;
	bool own, found = false;
	int r = -ENOENT, fd;

	memset(v, 0, sizeof(*v));
	list = module_list(sr, k, LIST_DEP, &own);
	/* modprobe's names: '-' and '_' alike (nvidia_drm is nvidia-drm.ko) */
	for (int dashed = 0; list && !found && dashed < 2; dashed++) {
		snprintf(file, sizeof(file), "%s", module);
		for (char *p = file; dashed && *p; p++)
			*p = *p == '_' ? '-' : *p;
		found = lists_module_at(list, file, true, &at, &alen);
	}
	if (found)
		snprintf(v->path, sizeof(v->path), "/lib/modules/%s/%.*s", k->release, (int)alen, at);
	if (own)
		free(list);
	if (!found) {
		r = ss_fail(e, -ENOENT, "module %s is not in /lib/modules/%s/modules.dep", module,
			    k->release);
	} else if (strcmp(v->path + strlen(v->path) - 3, ".ko") != 0) {
		r = ss_fail(e, -EOPNOTSUPP, "%s is compressed: its version is not read", v->path);
	} else if ((fd = sysroot_openat(sr, v->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		r = ss_fail(e, fd, "%s: %s", v->path, strerror(-fd));
	} else {
		r = modinfo_get(fd, "version", v->version, sizeof(v->version));
		if (r < 0)
			ss_fail(e, r, "%s: %s", v->path,
				r == -ENOENT	? "no version in its .modinfo"
				: r == -ENOEXEC ? "not a kernel module (ELF) file"
						: strerror(-r));
		close(fd);
	}
	return r;
}
