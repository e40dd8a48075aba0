/* The configuration variants, selected: /etc/slim.conf (or LightDM's
 * drop-in) pointed at the variant of a mode, atomically, and the one-shot auto-login copy made
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
#include "lightdmconf.h"
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

/* The display managers whose configuration is a variant per mode: the
 * file each reads, a link beside its variants, and how its one-shot
 * auto-login copy is made.  Every row goes through the same selection. */
const struct variant_dm variant_dms[] = {
    {"SLiM", SLIM_CONF, slimconf_autologin},
    {"LightDM", LIGHTDM_DROPIN, lightdmconf_autologin},
};
const size_t variant_ndms = sizeof(variant_dms) / sizeof(variant_dms[0]);

/* The link's target for mode (and the login copy): "slim.conf.vm.login". */
static void target_of(const struct variant_dm *dm, enum mode mode, bool login, char *out, size_t len)
{
	const char *base = strrchr(dm->link, '/') + 1;
	snprintf(out, len, "%s.%s%s", base, mode_str(mode), login ? LOGIN_SUFFIX : "");
}

/* Beside the link: "/etc/slim.conf.vm.login". */
static void path_of(const struct variant_dm *dm, enum mode mode, bool login, char *out, size_t len)
{
	snprintf(out, len, "%s.%s%s", dm->link, mode_str(mode), login ? LOGIN_SUFFIX : "");
}

/* The mode whose variant dm's link points at (a login copy counts), or -1. */
static int dm_current(const struct sysroot *sr, const struct variant_dm *dm)
{
	char target[128], want[128];
	if (sysroot_readlink(sr, dm->link, target, sizeof(target)) < 0)
		return -1;
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++)
		for (int login = 0; login <= 1; login++) {
			target_of(dm, mode, login, want, sizeof(want));
			if (strcmp(target, want) == 0)
				return mode;
		}
	return -1;
}

int variant_current(const struct sysroot *sr)
{
	int mode = -1;
	for (size_t i = 0; i < variant_ndms && mode < 0; i++)
		mode = dm_current(sr, &variant_dms[i]);
	return mode;
}

/* A one-shot auto-login variant that is no longer selected goes: it
 * names a user, and nothing may select it again by mistake. */
static void drop_login_variants(const struct sysroot *sr, const struct variant_dm *dm)
{
	for (int mode = MODE_HOST; mode <= MODE_VM; mode++) {
		char path[160];
		path_of(dm, mode, true, path, sizeof(path));
		variant_remove_ours(sr, path);
	}
}

static int dm_select(const struct sysroot *sr, const struct variant_dm *dm, enum mode to, struct ss_error *e)
{
	char target[128], path[160];
	int r;

	target_of(dm, to, false, target, sizeof(target));
	path_of(dm, to, false, path, sizeof(path));
	if (!sysroot_exists(sr, path))
		return ss_fail(e, -ENOENT, "%s is missing: run session-switch setup", path);
	if ((r = variant_set_link(sr, dm->link, target, e)) == 0)
		drop_login_variants(sr, dm);
	return r;
}

static int dm_select_login(const struct sysroot *sr, const struct variant_dm *dm, enum mode to,
			   const char *user, struct ss_error *e)
{
	char target[128], path[160], login[176];
	char *text = NULL, *out = NULL;
	int r;

	path_of(dm, to, false, path, sizeof(path));
	if (sysroot_slurp(sr, path, 1 << 20, &text) < 0)
		return ss_fail(e, -ENOENT, "%s is missing: run session-switch setup", path);
	r = dm->autologin(text, user, &out, e);
	free(text);
	if (r < 0)
		return r;
	path_of(dm, to, true, login, sizeof(login));
	r = variant_write_file(sr, login, out, e);
	free(out);
	if (r < 0)
		return r;
	target_of(dm, to, true, target, sizeof(target));
	return variant_set_link(sr, dm->link, target, e);
}

/* Every display manager whose link setup made is switched; none made
 * (setup never ran): 1, nothing to select. */
int variant_select(const struct sysroot *sr, enum mode to, struct ss_error *e)
{
	int r = 1;
	for (size_t i = 0; i < variant_ndms && r >= 0; i++)
		if (dm_current(sr, &variant_dms[i]) >= 0)
			r = dm_select(sr, &variant_dms[i], to, e);
	return r;
}

int variant_select_login(const struct sysroot *sr, enum mode to, const char *user, struct ss_error *e)
{
	int r = 1;
	for (size_t i = 0; i < variant_ndms && r >= 0; i++)
		if (dm_current(sr, &variant_dms[i]) >= 0)
			r = dm_select_login(sr, &variant_dms[i], to, user, e);
	return r;
}
