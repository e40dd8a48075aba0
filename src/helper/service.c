/* Threat model: runs as root inside the setuid helper.  What it runs is
 * fixed by the root-owned configuration as a kind and a name (validated by
 * the configuration's parser, or looked up there by the name the root-owned
 * journal recorded), turned into an argv from constants: never a string
 * split into words, never a shell, never a path from the caller
 * (doc/security.md rules 3 and 12).  A command: path MUST be a regular
 * file owned by root that no one else may write, checked when it is run.
 * Every child has a deadline (spawn_wait). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "service.h"
#include "spawn.h"

int service_run(enum dm_kind kind, const char *name, bool start, int timeout_ms, struct ss_error *e)
{
	char path[160], *argv[4];
	struct stat st;
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
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
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
