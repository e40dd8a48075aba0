/* The configuration variants, selected: /etc/slim.conf pointed at the
 * variant of a mode, atomically, and the one-shot auto-login copy made
 * and withdrawn.  What the setuid helper runs; writing the variants in
 * the first place (setup) is variant_setup.c, which the helper does not
 * link. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "slimconf.h"
#include "variant.h"
#include "xorgconf.h" /* SS_MARKER */

bool variant_is_ours(const struct sysroot *sr, const char *path, bool *exists)
{
	char head[256];
	ssize_t n = sysroot_read(sr, path, head, sizeof(head));
	*exists = n >= 0 || n == -EFBIG;
	if (n == -EFBIG) {
		/* larger than the buffer: look at its start only */
		int fd = sysroot_openat(sr, path, O_RDONLY);
		if (fd < 0)
			return false;
		n = read(fd, head, sizeof(head) - 1);
		close(fd);
		if (n < 0)
			return false;
		head[n] = '\0';
	}
	return n >= 0 && strstr(head, SS_MARKER) != NULL;
}

/* Remove path if session-switch wrote it; anything else stays. */
void variant_remove_ours(const struct sysroot *sr, const char *path)
{
	const char *base;
	bool exists;
	int dfd;

	if (!variant_is_ours(sr, path, &exists))
		return;
	dfd = sysroot_parent(sr, path, &base);
	if (dfd >= 0) {
		unlinkat(dfd, base, 0);
		close(dfd);
	}
}

void variant_remove_link(const struct sysroot *sr, const char *path)
{
	const char *base;
	struct stat st;
	int dfd = sysroot_parent(sr, path, &base);

	if (dfd < 0)
		return;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		unlinkat(dfd, base, 0);
	close(dfd);
}

int variant_write_file(const struct sysroot *sr, const char *path, const char *text, struct ss_error *e)
{
	struct ss_error ae;
	const char *base;
	int dfd = sysroot_parent(sr, path, &base), r;

	if (dfd < 0)
		return ss_fail(e, dfd, "%s: %s", path, strerror(-dfd));
	r = atomic_replace(dfd, base, text, strlen(text), 0644, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, &ae);
	close(dfd);
	if (r < 0)
		return ss_fail(e, r, "%.*s%s", (int)(base - path), path, ae.msg);
	return 0;
}

/* Replace the link at path by one to target, through atomic_symlink(). */
int variant_set_link(const struct sysroot *sr, const char *path, const char *target, struct ss_error *e)
{
	struct ss_error ae;
	const char *base;
	int dfd = sysroot_parent(sr, path, &base), r;

	if (dfd < 0)
		return ss_fail(e, dfd, "%s: %s", path, strerror(-dfd));
	r = atomic_symlink(dfd, target, base, &ae);
	close(dfd);
	if (r < 0)
		return ss_fail(e, r, "%.*s%s", (int)(base - path), path, ae.msg);
	return 0;
}

int variant_current(const struct sysroot *sr)
{
	char target[64];
	if (sysroot_readlink(sr, SLIM_CONF, target, sizeof(target)) < 0)
		return -1;
	if (strcmp(target, "slim.conf.host") == 0 || strcmp(target, "slim.conf.host" LOGIN_SUFFIX) == 0)
		return MODE_HOST;
	if (strcmp(target, "slim.conf.vm") == 0 || strcmp(target, "slim.conf.vm" LOGIN_SUFFIX) == 0)
		return MODE_VM;
	return -1;
}

/* A one-shot auto-login variant that is no longer selected goes: it
 * names a user, and nothing may select it again by mistake. */
static void drop_login_variants(const struct sysroot *sr)
{
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
		char path[64];
		snprintf(path, sizeof(path), "%s.%s" LOGIN_SUFFIX, SLIM_CONF, mode_str(mode));
		variant_remove_ours(sr, path);
	}
}

int variant_select(const struct sysroot *sr, enum mode to, struct ss_error *e)
{
	char target[32], path[64];
	int r;

	if (variant_current(sr) < 0)
		return 1; /* setup never made variants here: nothing to select */
	snprintf(target, sizeof(target), "slim.conf.%s", mode_str(to));
	snprintf(path, sizeof(path), "/etc/%s", target);
	if (!sysroot_exists(sr, path))
		return ss_fail(e, -ENOENT, "%s is missing: run session-switch setup", path);
	if ((r = variant_set_link(sr, SLIM_CONF, target, e)) == 0)
		drop_login_variants(sr);
	return r;
}

int variant_select_login(const struct sysroot *sr, enum mode to, const char *user, struct ss_error *e)
{
	char target[48], path[64], login[80];
	char *text = NULL, *out = NULL;
	int r;

	if (variant_current(sr) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s.%s", SLIM_CONF, mode_str(to));
	if (sysroot_slurp(sr, path, 1 << 20, &text) < 0)
		return ss_fail(e, -ENOENT, "%s is missing: run session-switch setup", path);
	r = slimconf_autologin(text, user, &out, e);
	free(text);
	if (r < 0)
		return r;
	snprintf(login, sizeof(login), "%s" LOGIN_SUFFIX, path);
	r = variant_write_file(sr, login, out, e);
	free(out);
	if (r < 0)
		return r;
	snprintf(target, sizeof(target), "slim.conf.%s" LOGIN_SUFFIX, mode_str(to));
	return variant_set_link(sr, SLIM_CONF, target, e);
}
