#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drvdata.h"
#include "kvlines.h"

#define DRVDATA_FILE_MAX (16 * 1024)

/* A path of the file: absolute, below /dev, /proc or /sys, of plain
 * characters, with no "..", and only %a or %m as placeholders. */
static bool path_ok(const char *p, const char *const *below)
{
	bool ok = false;

	for (size_t i = 0; below[i]; i++)
		ok |= strncmp(p, below[i], strlen(below[i])) == 0;
	ok = ok && !strstr(p, "..") && strlen(p) < DRVDATA_PATH;
	for (const char *c = p; ok && *c; c++) {
		if (*c == '%')
			ok = c[1] == 'a' || c[1] == 'm', c++;
		else
			ok = isalnum((unsigned char)*c) || strchr("/_-.:", *c);
	}
	return ok;
}

/* A word of a command: its first an absolute path, the others options and
 * values; plain characters only (no blank, quote or shell character: the
 * words become an argv as they are, never through a shell), %a the card's
 * address. */
static bool command_word_ok(const char *w, bool first)
{
	bool ok = *w && strlen(w) < DRVDATA_PATH && (!first || (w[0] == '/' && !strstr(w, "..")));
	for (; ok && *w; w++) {
		if (*w == '%')
			ok = !first && w[1] == 'a', w++;
		else
			ok = isalnum((unsigned char)*w) || strchr("/_-.:=", *w);
	}
	return ok;
}

/* A user-space file pattern: an absolute path below /usr, /lib or /opt
 * whose last component ends in '*', the version. */
static bool pattern_ok(const char *w)
{
	static const char *const below[] = {"/usr/", "/lib/", "/lib64/", "/opt/", NULL};
	size_t n = strlen(w);
	char copy[DRVDATA_PATH];

	if (n < 2 || n >= DRVDATA_PATH || w[n - 1] != '*' || w[n - 2] == '/' || strchr(w, '%'))
		return false;
	snprintf(copy, sizeof(copy), "%.*s", (int)(n - 1), w);
	return path_ok(copy, below);
}

static bool word_ok(const char *w)
{
	bool ok = *w && strlen(w) < 64;
	for (; ok && *w; w++)
		ok = isalnum((unsigned char)*w) || strchr("_-.@", *w);
	return ok;
}

/* One list value into an array of strings; each word checked by its kind. */
static int set_list(char *v, char *arr, size_t width, size_t *n, int kind, const char *name, int line,
		    const char *key, struct ss_error *e)
{
	static const char *const dev[] = {"/dev/", NULL};
	char *save = NULL, *w;
	int r = 0;

	*n = 0;
	for (w = strtok_r(v, " \t,", &save); w && r == 0; w = strtok_r(NULL, " \t,", &save)) {
		static const char *const sysproc[] = {"/sys/", "/proc/", NULL};
		bool ok = kind == 0   ? config_module_name_valid(w)
			  : kind == 1 ? word_ok(w)
			  : kind == 2 ? path_ok(w, dev)
			  : kind == 3 ? command_word_ok(w, *n == 0)
			  : kind == 4 ? path_ok(w, sysproc)
				      : pattern_ok(w);
		if (!ok)
			r = ss_fail(
			    e, -EINVAL, "%s:%d: %s: \"%s\" is not %s", name, line, key, w,
			    kind == 0	? "a module name (letters, digits and '_')"
			    : kind == 1 ? "a service name"
			    : kind == 2 ? "a path below /dev/ (%m: the card's minor)"
			    : kind == 4 ? "a path below /sys/ or /proc/"
			    : kind == 5
				? "a path below /usr/, /lib/, /lib64/ or /opt/ ending in *, the version"
			    : *n == 0 ? "a program's absolute path"
				      : "a plain argument (letters, digits, /_-.:= and %a: the card's "
					"address)");
		else if (*n == DRVDATA_MAX)
			r = ss_fail(e, -EINVAL, "%s:%d: %s: more than %d entries", name, line, key,
				    DRVDATA_MAX);
		else
			snprintf(arr + *n * width, width, "%s", w), (*n)++;
	}
	return r;
}

int drvdata_parse(const char *text, const char *name, struct drvdata *d, struct ss_error *e)
{
	static const char *const sysproc[] = {"/sys/", "/proc/", NULL};
	struct kvlines kv;
	char *key, *val;
	int r;

	kvlines_init(&kv, text, name);
	while ((r = kvlines_next(&kv, &key, &val, e)) > 0) {
		key = kv_trim(key);
		val = kv_trim(val);
		if (strcmp(key, "modules") == 0)
			r = set_list(val, d->modules[0], SS_MODULE_LEN, &d->nmodules, 0, name, kv.lineno, key,
				     e);
		else if (strcmp(key, "services") == 0)
			r = set_list(val, d->services[0], sizeof(d->services[0]), &d->nservices, 1, name,
				     kv.lineno, key, e);
		else if (strcmp(key, "nodes") == 0)
			r = set_list(val, d->nodes[0], DRVDATA_PATH, &d->nnodes, 2, name, kv.lineno, key, e);
		else if (strcmp(key, "shared") == 0)
			r = set_list(val, d->shared[0], DRVDATA_PATH, &d->nshared, 2, name, kv.lineno, key,
				     e);
		else if (strcmp(key, "version") == 0)
			r = set_list(val, d->version[0], DRVDATA_PATH, &d->nversion, 4, name, kv.lineno, key,
				     e);
		else if (strcmp(key, "userspace") == 0)
			r = set_list(val, d->userspace[0], DRVDATA_PATH, &d->nuserspace, 5, name, kv.lineno,
				     key, e);
		else if (strcmp(key, "persistence_off") == 0)
			r = set_list(val, d->pm_off[0], DRVDATA_PATH, &d->npm_off, 3, name, kv.lineno, key,
				     e);
		else if (strcmp(key, "persistence_on") == 0)
			r = set_list(val, d->pm_on[0], DRVDATA_PATH, &d->npm_on, 3, name, kv.lineno, key, e);
		else if (strcmp(key, "minor") == 0 || strcmp(key, "persistence") == 0) {
			char *dst = key[0] == 'm' ? d->minor : d->persistence;
			if (val[0] && !path_ok(val, sysproc))
				r = ss_fail(e, -EINVAL,
					    "%s:%d: %s: \"%s\" is not a path below /sys/ or /proc/ "
					    "(%%a: the card's address)",
					    name, kv.lineno, key, val);
			else
				snprintf(dst, DRVDATA_PATH, "%s", val);
		} else
			r = ss_fail(
			    e, -EINVAL,
			    "%s:%d: unknown key \"%s\"; known: modules, services, nodes, "
			    "shared, minor, persistence, persistence_off, persistence_on, version, userspace",
			    name, kv.lineno, key);
		if (r < 0)
			break;
	}
	return r;
}

/* The file through its own fd: the helper trusts only what root alone
 * can have written (doc/security.md rule 7). */
static int load_one(const struct sysroot *sr, const char *path, bool trusted, struct drvdata *d,
		    struct ss_error *e)
{
	char buf[DRVDATA_FILE_MAX + 1], shown[PATH_MAX];
	struct stat st;
	ssize_t n = 0, got;
	int fd, r = 0;

	sysroot_show(sr, path, shown, sizeof(shown));
	fd = sysroot_openat(sr, path, O_RDONLY | O_NOFOLLOW | O_NOCTTY);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return ss_fail(e, fd, "%s: %s", shown, strerror(-fd));
	if (fstat(fd, &st) < 0)
		r = ss_fail(e, -errno, "%s: %s", shown, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		r = ss_fail(e, -EINVAL, "%s is not a regular file", shown);
	else if (trusted && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))))
		r = ss_fail(e, -EPERM,
			    "%s must be owned by root and writable by root alone "
			    "(chown root:root, chmod 644)",
			    shown);
	while (r == 0 && (got = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			r = ss_fail(e, -errno, "%s: %s", shown, strerror(errno));
		else if ((n += got) >= (ssize_t)sizeof(buf) - 1)
			r = ss_fail(e, -EFBIG, "%s is larger than %d bytes", shown, DRVDATA_FILE_MAX);
	}
	close(fd);
	if (r == 0) {
		buf[n] = '\0';
		if (memchr(buf, '\0', (size_t)n))
			r = ss_fail(e, -EINVAL, "%s contains a NUL byte", shown);
		else
			r = drvdata_parse(buf, shown, d, e);
	}
	if (r == 0) {
		size_t used = strlen(d->from);
		snprintf(d->from + used, sizeof(d->from) - used, "%s%s", used ? " + " : "", shown);
		d->found = true;
	}
	return r;
}

int drvdata_load(const struct sysroot *sr, const char *driver, bool trusted, struct drvdata *d,
		 struct ss_error *e)
{
	char path[PATH_MAX];
	int r;

	memset(d, 0, sizeof(*d));
	/* The name becomes a file name: only a driver's alphabet reaches it. */
	if (!driver[0] || !pci_driver_name_valid(driver))
		return 0;
	snprintf(d->driver, sizeof(d->driver), "%s", driver);
	snprintf(path, sizeof(path), "%s/%s.conf", DRIVERS_DATADIR, driver);
	r = load_one(sr, path, trusted, d, e);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/%s.conf", DRIVERS_CONFDIR, driver);
		r = load_one(sr, path, trusted, d, e);
	}
	return r;
}

int drvdata_expand(const char *pattern, const char *addr, const char *minor, char *out, size_t len)
{
	size_t o = 0;
	int r = 0;

	for (const char *p = pattern; *p && r == 0; p++) {
		const char *ins = NULL;
		if (p[0] == '%' && (p[1] == 'a' || p[1] == 'm'))
			ins = *++p == 'a' ? addr : minor;
		if (ins && ins == minor && !minor[0])
			break; /* unknown minor: every card's node of this name */
		size_t n = ins ? strlen(ins) : 1;
		if (o + n >= len)
			r = -ENAMETOOLONG;
		else
			memcpy(out + o, ins ? ins : p, n), o += n;
	}
	out[o < len ? o : len - 1] = '\0';
	return r;
}

void drvdata_card_minor(const struct sysroot *sr, const struct drvdata *d, const char *addr, char *out,
			size_t len)
{
	char path[DRVDATA_PATH * 2], *text = NULL;
	const char *p;

	out[0] = '\0';
	if (!d->minor[0] || drvdata_expand(d->minor, addr, "", path, sizeof(path)) < 0 ||
	    sysroot_slurp(sr, path, 8192, &text) < 0)
		return;
	p = strstr(text, "Device Minor:");
	p = p ? p + strlen("Device Minor:") : text;
	p += strspn(p, " \t");
	size_t n = strspn(p, "0123456789");
	if (n > 0 && n < 6 && n < len)
		snprintf(out, len, "%.*s", (int)n, p);
	free(text);
}

bool drvdata_persistence_held(const struct sysroot *sr, const struct drvdata *d, const char *addr,
			      char *shown, size_t len)
{
	char path[DRVDATA_PATH * 2], v[64];

	shown[0] = '\0';
	if (!d->persistence[0] || drvdata_expand(d->persistence, addr, "", path, sizeof(path)) < 0)
		return false;
	snprintf(shown, len, "%s", path);
	if (sysroot_read(sr, path, v, sizeof(v)) < 0)
		return false;
	return strcmp(v, "0") != 0 && strcmp(v, "N") != 0 && strcasecmp(v, "disabled") != 0 && v[0];
}

/* A version is digits and dots with at least one dot: "535.154.05". */
static size_t version_len(const char *p)
{
	size_t n = 0, dots = 0;

	while (isdigit((unsigned char)p[n]) || (p[n] == '.' && n > 0 && p[n - 1] != '.'))
		dots += p[n++] == '.';
	if (n && p[n - 1] == '.')
		n--, dots--;
	return dots && n < DRVDATA_VERSION ? n : 0;
}

/* The first version-shaped word of a text ("NVRM version: NVIDIA UNIX
 * x86_64 Kernel Module  535.154.05  Tue ..."), or a bare "535.154.05". */
static void version_in(const char *text, char *out, size_t len)
{
	out[0] = '\0';
	for (const char *p = text; *p && !out[0]; p++) {
		size_t n = (p == text || isspace((unsigned char)p[-1])) ? version_len(p) : 0;
		if (n && (!p[n] || isspace((unsigned char)p[n])))
			snprintf(out, len, "%.*s", (int)n, p);
	}
}

void drvdata_versions(const struct sysroot *sr, const struct drvdata *d, struct drvdata_versions *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < d->nversion && !v->kernel[0]; i++) {
		char *text = NULL;
		if (sysroot_slurp(sr, d->version[i], 4096, &text) >= 0) {
			version_in(text, v->kernel, sizeof(v->kernel));
			snprintf(v->kernel_from, sizeof(v->kernel_from), "%s", d->version[i]);
		}
		free(text);
	}
	drvdata_userspace(sr, d, v);
}

void drvdata_userspace(const struct sysroot *sr, const struct drvdata *d, struct drvdata_versions *v)
{
	v->user[0] = v->user_from[0] = '\0';
	v->match = false;
	for (size_t i = 0; i < d->nuserspace && !v->match; i++) {
		char dir[DRVDATA_PATH];
		const char *slash = strrchr(d->userspace[i], '/');
		const char *prefix = slash + 1;
		size_t plen = strlen(prefix) - 1; /* without the '*' */
		struct dirent *de;
		DIR *dp;

		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - d->userspace[i]), d->userspace[i]);
		if (sysroot_opendir(sr, dir, &dp) < 0)
			continue;
		while (!v->match && (de = readdir(dp))) {
			const char *ver = de->d_name + plen;
			size_t n;
			if (strncmp(de->d_name, prefix, plen) != 0 || !(n = version_len(ver)) || ver[n])
				continue;
			if (!v->user[0] || strcmp(ver, v->kernel) == 0) {
				snprintf(v->user, sizeof(v->user), "%s", ver);
				snprintf(v->user_from, sizeof(v->user_from), "%s/%s", dir, de->d_name);
			}
			v->match = v->kernel[0] && strcmp(ver, v->kernel) == 0;
		}
		closedir(dp);
	}
}
