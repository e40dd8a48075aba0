#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lightdmconf.h"
#include "seat.h"
#include "strbuf.h"
#include "xorgconf.h" /* SS_MARKER */

/* The keys the variants set, in [Seat:*]. */
static const char *const variant_keys[] = {
    "xserver-command", "session-wrapper", "autologin-user", "autologin-user-timeout", "autologin-session",
};
/* Where session wrappers live when LightDM's is a bare name: the
 * auto-login's guard execs it from /bin/sh, whose PATH may lack sbin. */
static const char *const wrapper_dirs[] = {
    "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin",
};

static bool is_variant_key(const char *k)
{
	for (size_t i = 0; i < sizeof(variant_keys) / sizeof(variant_keys[0]); i++)
		if (strcmp(k, variant_keys[i]) == 0)
			return true;
	return false;
}

static char *trim(char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t')
		s++;
	for (n = strlen(s); n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r');)
		s[--n] = '\0';
	return s;
}

/* One file of LightDM's configuration.  late: it is read after our
 * drop-in (lightdm.conf, a drop-in that sorts after ours), so that any key
 * of the variants there would win. */
static int read_one(const char *path, char *text, bool late, struct lightdm_user *u, struct ss_error *e)
{
	char section[128] = "";
	int line = 0;

	for (char *p = text, *nl; p && *p; p = nl) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		line++;
		char *l = trim(p), *eq;
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			snprintf(section, sizeof(section), "%s", l);
			continue;
		}
		if (!(eq = strchr(l, '=')))
			continue;
		*eq = '\0';
		char *k = trim(l), *v = trim(eq + 1);
		bool seat = strncmp(section, "[Seat", 5) == 0;
		bool all_seats = strcmp(section, "[Seat:*]") == 0 || strcmp(section, "[SeatDefaults]") == 0;
		if (strcmp(section, "[LightDM]") == 0 && strcmp(k, "sessions-directory") == 0) {
			if (strlen(v) >= sizeof(u->sessions))
				return ss_fail(e, -EINVAL, "%s:%d: sessions-directory is too long", path,
					       line);
			snprintf(u->sessions, sizeof(u->sessions), "%s", v);
			snprintf(u->sessions_where, sizeof(u->sessions_where), "%.300s:%d", path, line);
		} else if (seat && strcmp(k, "user-session") == 0) {
			if (!seat_valid_service(v) || strlen(v) >= sizeof(u->session))
				return ss_fail(e, -EINVAL, "%s:%d: user-session \"%s\" is not a session name",
					       path, line, v);
			snprintf(u->session, sizeof(u->session), "%s", v);
			snprintf(u->session_where, sizeof(u->session_where), "%.300s:%d", path, line);
		} else if (seat && is_variant_key(k) &&
			   (late || !all_seats || strncmp(k, "autologin", 9) == 0)) {
			return ss_fail(e, -EINVAL,
				       "%s:%d: %s overrides what session-switch sets for each mode in %s%s: "
				       "remove it%s and run setup again",
				       path, line, k, LIGHTDM_DROPIN, all_seats ? "" : " (for this seat)",
				       strncmp(k, "autologin", 9) == 0
					   ? " (the switch arms LightDM's auto-login once, itself)"
					   : " or move it into [Seat:*] of a drop-in that sorts "
					     "before " LIGHTDM_DROPIN_NAME);
		} else if (seat && (strcmp(k, "xserver-command") == 0 || strcmp(k, "session-wrapper") == 0)) {
			/* a drop-in before ours: the base of what ours says */
			char *dst = k[0] == 'x' ? u->xserver : u->wrapper;
			size_t len = k[0] == 'x' ? sizeof(u->xserver) : sizeof(u->wrapper);
			if (strlen(v) >= len - 64 || strchr(v, '\'') || (k[0] == 'x' && strstr(v, "-config")))
				return ss_fail(
				    e, -EINVAL,
				    "%s:%d: %s \"%s\" is too long, has a single quote or a -config of "
				    "its own: session-switch sets -config for each mode; remove it and run "
				    "setup again",
				    path, line, k, v);
			snprintf(dst, len, "%s", v);
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A bare wrapper name as a path: the first of wrapper_dirs that has it. */
static void resolve_wrapper(const struct sysroot *sr, struct lightdm_user *u)
{
	char word[256], path[300];
	size_t n = strcspn(u->wrapper, " \t");

	if (u->wrapper[0] == '/' || n >= sizeof(word))
		return;
	snprintf(word, sizeof(word), "%.*s", (int)n, u->wrapper);
	for (size_t i = 0; i < sizeof(wrapper_dirs) / sizeof(wrapper_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", wrapper_dirs[i], word);
		if (sysroot_exists(sr, path)) {
			char rest[sizeof(u->wrapper)];
			snprintf(rest, sizeof(rest), "%s", u->wrapper + n);
			if (strlen(path) + strlen(rest) < sizeof(u->wrapper))
				snprintf(u->wrapper, sizeof(u->wrapper), "%.300s%.200s", path, rest);
			return;
		}
	}
}

/* LightDM's drop-in directories in the order it reads them: the XDG data
 * directories (the last of $XDG_DATA_DIRS first), the XDG configuration
 * directory, then /etc/lightdm's, where ours is; lightdm.conf comes last. */
static const char *const dropin_dirs[] = {
    "/usr/share/lightdm/lightdm.conf.d",
    "/usr/local/share/lightdm/lightdm.conf.d",
    "/etc/xdg/lightdm/lightdm.conf.d",
    LIGHTDM_CONFD,
};

/* The .conf files of one directory, sorted, as LightDM reads them. */
static size_t list_dropins(const struct sysroot *sr, const char *dir, char **names, size_t max)
{
	size_t n = 0;
	DIR *d = NULL;

	if (sysroot_opendir(sr, dir, &d) < 0)
		return 0;
	for (struct dirent *de; (de = readdir(d)) && n < max;) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0 && (names[n] = strdup(de->d_name)))
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	return n;
}

static int read_file(const struct sysroot *sr, const char *path, bool late, struct lightdm_user *u,
		     struct ss_error *e)
{
	char *text = NULL;
	int r = 0;

	if (sysroot_slurp(sr, path, 1 << 20, &text) >= 0)
		r = read_one(path, text, late, u, e);
	free(text);
	return r;
}

int lightdmconf_read(const struct sysroot *sr, struct lightdm_user *u, struct ss_error *e)
{
	char *names[64], path[300];
	int r = 0;

	memset(u, 0, sizeof(*u));
	snprintf(u->sessions, sizeof(u->sessions), "%s", LIGHTDM_SESSIONS_DEFAULT);
	snprintf(u->sessions_where, sizeof(u->sessions_where), "LightDM's default sessions-directory");
	snprintf(u->xserver, sizeof(u->xserver), "X");
	snprintf(u->wrapper, sizeof(u->wrapper), "lightdm-session");
	snprintf(u->session, sizeof(u->session), "default");
	snprintf(u->session_where, sizeof(u->session_where), "LightDM's default user-session");
	for (size_t k = 0; k < sizeof(dropin_dirs) / sizeof(dropin_dirs[0]); k++) {
		bool ours = strcmp(dropin_dirs[k], LIGHTDM_CONFD) == 0;
		size_t n = list_dropins(sr, dropin_dirs[k], names, sizeof(names) / sizeof(names[0]));
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/%s", dropin_dirs[k], names[i]);
			int c = ours ? strcmp(names[i], LIGHTDM_DROPIN_NAME) : -1;
			if (r == 0 && c != 0)
				r = read_file(sr, path, c > 0, u, e);
			free(names[i]);
		}
	}
	if (r == 0)
		r = read_file(sr, LIGHTDM_CONF, true, u, e);
	if (r == 0)
		resolve_wrapper(sr, u);
	return r;
}

int lightdmconf_variant(const struct lightdm_user *u, const char *mode, const char *xorg_config, char **out,
			struct ss_error *e)
{
	struct strbuf b = {0};

	strbuf_printf(&b,
		      "# %s: the LightDM drop-in of %s mode (X on %s); " LIGHTDM_DROPIN
		      " links to the variant of the current mode\n",
		      SS_MARKER, mode, xorg_config);
	strbuf_printf(&b, "[Seat:*]\nxserver-command=%s -config %s\nsession-wrapper=%s\n", u->xserver,
		      xorg_config, u->wrapper);
	/* read only with autologin-user, which the one-shot copy adds: the
	 * user's normal session, never the "Windows VM" they last chose */
	strbuf_printf(&b, "autologin-session=%s\n", u->session);
	*out = strbuf_take(&b);
	return *out ? 0 : ss_fail(e, -ENOMEM, "out of memory");
}

int lightdmconf_autologin(const char *variant, const char *user, char **out, struct ss_error *e)
{
	struct strbuf b = {0};
	bool wrapper = false;

	if (!seat_valid_user(user)) /* it becomes a lightdm.conf value: one plain word */
		return ss_fail(e, -EINVAL, "\"%s\" is not a user name", user);
	strbuf_printf(&b,
		      "# %s: one-shot auto-login of %s after a switch asked from the login screen; "
		      "replaced by the plain variant as soon as X is up\n",
		      SS_MARKER, user);
	for (const char *p = variant; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (strncmp(p, "# " SS_MARKER, strlen("# " SS_MARKER)) == 0 ||
		    strncmp(p, "autologin-user", 14) == 0) {
			/* an older marker, or any auto-login user: ours only */
		} else if (strncmp(p, "session-wrapper=", 16) == 0) {
			/* LightDM runs session-wrapper as one program, the session's
			 * command its only argument: a shell line there is a name
			 * execve cannot find (the reference guest: exit 1, no
			 * session).  The guard is session-setup-script instead,
			 * which LightDM runs as root with the session's DISPLAY
			 * before the session, and whose failure sends it back to
			 * the greeter (doc/security.md rule 22). */
			strbuf_put(&b, p, n);
			if (!nl)
				strbuf_put(&b, "\n", 1);
			strbuf_printf(&b, "session-setup-script=" XGUARD_PATH "\n");
			wrapper = true;
		} else {
			strbuf_put(&b, p, n);
			if (!nl)
				strbuf_put(&b, "\n", 1);
		}
		p += n;
	}
	if (!wrapper) /* not a variant of setup's: no auto-login without the guard */
		free(strbuf_take(&b));
	else
		strbuf_printf(&b, "autologin-user=%s\nautologin-user-timeout=0\n", user);
	*out = wrapper ? strbuf_take(&b) : NULL;
	return *out ? 0
		    : ss_fail(e, wrapper ? -ENOMEM : -EINVAL,
			      wrapper ? "out of memory"
				      : "the LightDM variant has no session-wrapper line: run session-switch "
					"setup again");
}
