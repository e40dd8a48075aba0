/* Threat model: runs as root inside the setuid helper.  What it runs is
 * fixed by the root-owned configuration as a kind and a name (validated by
 * the configuration's parser, or looked up there by the name the root-owned
 * journal recorded), turned into an argv from constants: never a string
 * split into words, never a shell, never a path from the caller
 * (doc/security.md rules 3 and 12).  A command: path MUST be a regular
 * file owned by root that no one else may write, checked when it is run.
 * Every child has a deadline (spawn_wait).  The commands that turn legacy
 * persistence mode off and on come from the driver data file (drvdata.c:
 * root-owned, checked through its fd) as an argv already split into words
 * by its parser, each word a plain one (no blank, quote or shell
 * character); only %a becomes the card's address, validated by the
 * journal or detection; their program MUST be a regular file owned by
 * root that no one else may write, checked when it is run. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "service.h"
#include "spawn.h"

static bool root_file(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 && !(st.st_mode & 022);
}

int service_run(enum dm_kind kind, const char *name, bool start, int timeout_ms, struct ss_error *e)
{
	char path[160], *argv[4];
	int r;

	switch (kind) {
	case DM_SYSTEMD:
		snprintf(path, sizeof(path), "%s", SYSTEMCTL_PATH);
		argv[0] = "systemctl", argv[1] = start ? "start" : "stop", argv[2] = (char *)name,
		argv[3] = NULL;
		break;
	case DM_OPENRC:
		snprintf(path, sizeof(path), "/etc/init.d/%s", name);
		argv[0] = (char *)name, argv[1] = start ? "start" : "stop", argv[2] = NULL;
		break;
	case DM_RUNIT:
		snprintf(path, sizeof(path), "%s", SV_PATH);
		argv[0] = "sv", argv[1] = start ? "up" : "down", argv[2] = (char *)name, argv[3] = NULL;
		break;
	case DM_COMMAND:
		snprintf(path, sizeof(path), "%s", name);
		if (!root_file(path))
			return ss_fail(e, -EPERM,
				       "command:%s must be a regular file owned by root and writable by "
				       "root alone",
				       path);
		argv[0] = (char *)name, argv[1] = start ? "start" : "stop", argv[2] = NULL;
		break;
	default:
		return ss_fail(e, -EINVAL, "%s: no init system to %s it with", name,
			       start ? "start" : "stop");
	}
	r = spawn_wait(path, argv, timeout_ms, e);
	if (r > 0)
		r = ss_fail(e, -EIO, "%s %s%s%s failed (exit %d)", path, argv[1],
			    kind == DM_SYSTEMD || kind == DM_RUNIT ? " " : "",
			    kind == DM_SYSTEMD || kind == DM_RUNIT ? name : "", r);
	return r;
}

int service_persistence(const struct drvdata *d, const char *addr, bool on, int timeout_ms,
			struct ss_error *e)
{
	const char(*words)[DRVDATA_PATH] = on ? d->pm_on : d->pm_off;
	size_t n = on ? d->npm_on : d->npm_off;
	char arg[DRVDATA_MAX][DRVDATA_PATH], *argv[DRVDATA_MAX + 1], line[DRVDATA_MAX * DRVDATA_PATH] = "";
	const char *key = on ? "persistence_on" : "persistence_off";
	size_t used = 0;
	int r = 0;

	if (n == 0)
		return ss_fail(e, -ENOENT, "%s names no %s command: turn persistence mode %s yourself",
			       d->from, key, on ? "on" : "off");
	for (size_t i = 0; i < n && r == 0; i++) {
		if (drvdata_expand(words[i], addr, "", arg[i], sizeof(arg[i])) < 0)
			r = ss_fail(e, -ENAMETOOLONG, "%s: %s: \"%s\" is too long with %s", d->from, key,
				    words[i], addr);
		argv[i] = arg[i];
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s", i ? " " : "", arg[i]);
	}
	argv[n] = NULL;
	if (r == 0 && !root_file(arg[0]))
		r = ss_fail(e, -EPERM,
			    "%s (%s of %s) must be a regular file owned by root and writable by root alone",
			    arg[0], key, d->from);
	if (r == 0) {
		const char *base = strrchr(arg[0], '/');
		argv[0] = (char *)(base ? base + 1 : arg[0]);
		r = spawn_wait(arg[0], argv, timeout_ms, e);
		if (r > 0)
			r = ss_fail(e, -EIO, "%s failed (exit %d)", line, r);
	}
	return r;
}
