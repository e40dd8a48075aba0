#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seat.h"
#include "slimconf.h"
#include "strbuf.h"
#include "xorgconf.h"

/* The line at p: its length with its newline in *n; returns where its
 * key starts (after any blanks). */
static const char *next_line(const char *p, size_t *n)
{
	const char *nl = strchr(p, '\n'), *k = p;
	*n = nl ? (size_t)(nl - p + 1) : strlen(p);
	while (k < p + *n && (*k == ' ' || *k == '\t'))
		k++;
	return k;
}

/* A line kept as it is; a last line without newline gets one. */
static void put_line(struct strbuf *b, const char *p, size_t n)
{
	strbuf_put(b, p, n);
	if (n && p[n - 1] != '\n')
		strbuf_put(b, "\n", 1);
}

/* Rewrite the value of xserver_arguments: drop any -config ARG, append ours. */
static void new_args(const char *value, const char *xorg_config, char *out, size_t len)
{
	char copy[1024], *save = NULL, *tok;
	size_t used = 0;

	snprintf(copy, sizeof(copy), "%s", value);
	out[0] = '\0';
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (strcmp(tok, "-config") == 0) {
			strtok_r(NULL, " \t", &save);
			continue;
		}
		int w = snprintf(out + used, len - used, "%s%s", used ? " " : "", tok);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
	}
	snprintf(out + used, len - used, "%s-config %s", used ? " " : "", xorg_config);
}

/* login_cmd: SLiM gives an empty %session when nobody chose one (and after
 * the one-shot auto-login nobody did), and Xsession then stops at an error
 * dialog (doc/design.md, "The login-screen flow").  The command is wrapped
 * so that an empty choice becomes "default" (the user's normal session),
 * whatever the user's login shell:
 * /bin/sh -c 'THEIR COMMAND with "${1:-default}"' NAME '%session'. */
#define LOGIN_HEAD "exec /bin/sh -c '"
#define LOGIN_TAIL "' session-switch-login '%session'"
static int map_login_cmd(const char *v, char *out, size_t len, struct ss_error *e)
{
	size_t vl = strlen(v), hl = strlen(LOGIN_HEAD), tl = strlen(LOGIN_TAIL);
	const char *p = strstr(v, "%session");
	char inner[1024];

	if ((vl > hl + tl && strncmp(v, LOGIN_HEAD, hl) == 0 && strcmp(v + vl - tl, LOGIN_TAIL) == 0) || !p) {
		snprintf(out, len, "%s", v); /* made by us already, or no session in it */
		return 0;
	}
	const char *start = p, *end = p + 8;
	if (p > v && (p[-1] == '\'' || p[-1] == '"') && *end == p[-1])
		start--, end++;
	if (strstr(end, "%session"))
		return ss_fail(e, -EINVAL,
			       "slim.conf: login_cmd names %%session twice; keep one and run setup again");
	int w = snprintf(inner, sizeof(inner), "%.*s\"${1:-default}\"%s", (int)(start - v), v, end);
	if (w < 0 || (size_t)w >= sizeof(inner) || strchr(inner, '\''))
		return ss_fail(
		    e, -EINVAL,
		    "slim.conf: login_cmd has a single quote (or is too long) besides "
		    "%%session; setup wraps it in single quotes to give an empty session a default: "
		    "use double quotes there and run setup again");
	w = snprintf(out, len, "%s%s%s", LOGIN_HEAD, inner, LOGIN_TAIL);
	return w < 0 || (size_t)w >= len ? ss_fail(e, -EINVAL, "slim.conf: login_cmd is too long") : 0;
}

/* The value of a "key value" line of slim.conf, without the line end. */
static int line_value(const char *k, size_t keylen, const char *stop, char *out, size_t len)
{
	const char *v = k + keylen;
	while (*v == ' ' || *v == '\t')
		v++;
	size_t vlen = (size_t)(stop - v);
	while (vlen && (v[vlen - 1] == '\n' || v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
		vlen--;
	if (vlen >= len)
		return -1;
	memcpy(out, v, vlen);
	out[vlen] = '\0';
	return 0;
}

int slimconf_value(const char *text, const char *key, char *out, size_t len, int *line)
{
	size_t kl = strlen(key);
	int found = 0, no = 0;

	for (const char *p = text; *p;) {
		size_t n;
		const char *k = next_line(p, &n);
		no++;
		if (strncmp(k, key, kl) == 0 && (k[kl] == ' ' || k[kl] == '\t')) {
			if (line_value(k, kl, p + n, out, len) < 0)
				return -1;
			*line = no;
			found = 1;
		}
		p += n;
	}
	return found;
}

int slimconf_variant(const char *orig, const char *mode, const char *xorg_config, char **out,
		     struct ss_error *e)
{
	struct strbuf b = {0};
	const char *p = orig;
	int found = 0;

	strbuf_printf(&b,
		      "# %s: the slim.conf of %s mode (X on %s); made from your slim.conf, which is "
		      "kept as slim.conf.orig\n",
		      SS_MARKER, mode, xorg_config);
	while (*p) {
		size_t n;
		const char *k = next_line(p, &n);
		/* An older variant's marker must not pile up. */
		if (strncmp(k, "# " SS_MARKER, strlen("# " SS_MARKER)) == 0) {
			p += n;
			continue;
		}
		if (strncmp(k, "xserver_arguments", 17) == 0 && (k[17] == ' ' || k[17] == '\t')) {
			char value[1024], args[1200];
			if (line_value(k, 17, p + n, value, sizeof(value)) < 0) {
				free(strbuf_take(&b));
				return ss_fail(e, -EINVAL,
					       "slim.conf: xserver_arguments is longer than %zu characters",
					       sizeof(value) - 1);
			}
			new_args(value, xorg_config, args, sizeof(args));
			strbuf_printf(&b, "xserver_arguments   %s\n", args);
			found = 1;
		} else if (strncmp(k, "login_cmd", 9) == 0 && (k[9] == ' ' || k[9] == '\t')) {
			char value[1024], cmd[1200];
			if (line_value(k, 9, p + n, value, sizeof(value)) < 0) {
				free(strbuf_take(&b));
				return ss_fail(e, -EINVAL,
					       "slim.conf: login_cmd is longer than %zu characters",
					       sizeof(value) - 1);
			}
			if (map_login_cmd(value, cmd, sizeof(cmd), e) < 0) {
				free(strbuf_take(&b));
				return -EINVAL;
			}
			strbuf_printf(&b, "login_cmd           %s\n", cmd);
		} else {
			put_line(&b, p, n);
		}
		p += n;
	}
	if (!found)
		strbuf_printf(&b, "xserver_arguments   -nolisten tcp -config %s\n", xorg_config);
	*out = strbuf_take(&b);
	return *out ? 0 : ss_fail(e, -ENOMEM, "out of memory");
}

int slimconf_autologin(const char *variant, const char *user, char **out, struct ss_error *e)
{
	struct strbuf b = {0};
	const char *p = variant;
	bool login_cmd = false;

	if (!seat_valid_user(user)) /* it becomes a slim.conf value: one plain word */
		return ss_fail(e, -EINVAL, "\"%s\" is not a user name", user);
	strbuf_printf(&b,
		      "# %s: one-shot auto-login of %s after a switch asked from the login screen; "
		      "replaced by the plain variant as soon as X is up\n",
		      SS_MARKER, user);
	while (*p) {
		size_t n;
		const char *k = next_line(p, &n);
		/* the user's own lines of these keys would fight ours */
		bool skip = strncmp(k, "# " SS_MARKER, strlen("# " SS_MARKER)) == 0;
		for (const char *const *key = (const char *const[]){"default_user", "auto_login", NULL}; *key;
		     key++) {
			size_t kl = strlen(*key);
			if (strncmp(k, *key, kl) == 0 && (k[kl] == ' ' || k[kl] == '\t' || k[kl] == '\n'))
				skip = true;
		}
		if (!skip && strncmp(k, "login_cmd", 9) == 0 && (k[9] == ' ' || k[9] == '\t')) {
			/* the session starts only on the display manager's own
			 * X server (session-switch-xguard: doc/security.md rule 22) */
			const char *v = k + 9;
			while (*v == ' ' || *v == '\t')
				v++;
			strbuf_printf(&b, "login_cmd           " XGUARD_PATH " && ");
			login_cmd = true;
			put_line(&b, v, n - (size_t)(v - p));
		} else if (!skip) {
			put_line(&b, p, n);
		}
		p += n;
	}
	if (!login_cmd) /* SLiM's own default, guarded */
		strbuf_printf(&b,
			      "login_cmd           " XGUARD_PATH " && exec /bin/sh - ~/.xinitrc %%session\n");
	strbuf_printf(&b, "default_user        %s\nauto_login          yes\n", user);
	*out = strbuf_take(&b);
	return *out ? 0 : ss_fail(e, -ENOMEM, "out of memory");
}
