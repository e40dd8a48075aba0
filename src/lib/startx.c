/* The parts of `session-switch startx` that decide: which VT, which
 * variant, and whether SS_STARTX names a live wrapper to ask.  The process
 * handling (xinit, the helper, signals) is src/cli/startx.c. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "startx.h"
#include "variant.h"

/* The kernel's TTY_MAJOR: /dev/tty1../dev/tty63 are its minors 1..63;
 * minor 0 is the current console, 64 and up the serial lines. */
#define TTY_MAJOR_NR 4
#define VT_MAX_NR 63

int startx_signal_of(enum mode to)
{
	return to == MODE_VM ? SIGUSR1 : SIGUSR2;
}

int startx_vt_of_rdev(dev_t rdev)
{
	unsigned n = minor(rdev);
	return major(rdev) == TTY_MAJOR_NR && n >= 1 && n <= VT_MAX_NR ? (int)n : 0;
}

int startx_variant(const struct machine *m, char *name, size_t len, enum mode *mode, struct ss_error *e)
{
	struct variant_set v;
	struct mode_report mr;
	char path[160];
	int r;

	if ((r = variant_plan(m, &v, e)) < 0)
		return r;
	mode_of(&m->target, &m->devs, &mr);
	if (mr.mode == MODE_MIXED) {
		r = ss_fail(e, -EAGAIN, "the machine is in no mode (%s): run session-switch recover first",
			    mr.odd);
		goto out;
	}
	*mode = mr.mode;
	snprintf(name, len, "xorg.conf.%s", v.xorg_name[mr.mode]);
	snprintf(path, sizeof(path), "/etc/X11/%s", name);
	if (!sysroot_exists(&m->root, path))
		r = ss_fail(e, -ENOENT, "%s (the %s variant) is missing: run session-switch setup as root",
			    path, mode_str(mr.mode));
out:
	variant_free(&v);
	return r;
}

bool startx_env_parse(const char *s, pid_t *pid, uid_t *uid)
{
	char *end;
	long p, u;

	if (!s || !*s)
		return false;
	errno = 0;
	p = strtol(s, &end, 10);
	if (end == s || *end != ':' || p <= 1 || errno)
		return false;
	s = end + 1;
	u = strtol(s, &end, 10);
	if (end == s || *end || u < 0 || errno)
		return false;
	*pid = (pid_t)p;
	*uid = (uid_t)u;
	return true;
}

/* The real uid of /proc/PID/status and its comm; false when the process
 * is gone. */
static bool proc_owner(const struct sysroot *sr, pid_t pid, uid_t *uid, char *comm, size_t clen)
{
	char path[64], buf[4096], *l;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((n = sysroot_read(sr, path, buf, sizeof(buf))) < 0)
		return false;
	if (!(l = strstr(buf, "\nUid:")) || sscanf(l + 5, "%u", uid) != 1)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if (sysroot_read(sr, path, comm, clen) < 0)
		return false;
	comm[strcspn(comm, "\n")] = '\0';
	return true;
}

int startx_wrapper(const struct sysroot *sr, const char *env, uid_t me, pid_t *pid)
{
	char comm[32];
	uid_t uid, owner;

	/* Someone else's wrapper is no business of ours: the variable is only
	 * believed for a process of our own uid, which we may signal anyway.
	 * The comm check keeps a stale SS_STARTX whose pid was reused by
	 * another program of ours from killing it. */
	return startx_env_parse(env, pid, &uid) && uid == me &&
		       proc_owner(sr, *pid, &owner, comm, sizeof(comm)) && owner == me &&
		       strcmp(comm, "session-switch") == 0
		   ? 0
		   : 1;
}

int startx_ask(pid_t pid, enum mode to, struct ss_error *e)
{
	return kill(pid, startx_signal_of(to)) < 0
		   ? ss_fail(e, -errno, "cannot ask the startx wrapper (pid %ld): %s", (long)pid,
			     strerror(errno))
		   : 0;
}

int startx_request(const struct sysroot *sr, const char *env, uid_t me, enum mode to, pid_t *pid,
		   struct ss_error *e)
{
	int r = startx_wrapper(sr, env, me, pid);

	return r == 0 ? startx_ask(*pid, to, e) : r;
}
