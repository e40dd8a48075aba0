/* Threat model: read by the setuid helper, written and read by the PAM
 * module inside the display manager, both as root.  The record is what
 * lets a user without the group switch, so a user MUST NOT be able to
 * write or plant one: it lives in RUN_DIR (root, 0700, checked by the
 * caller), it is opened O_NOFOLLOW and believed only when it is a regular
 * file owned by root and writable by root alone.  Its strings came from
 * PAM items, which the person at the greeter chose: each is checked
 * against a strict alphabet before it is written and again when it is
 * read, so none can carry a newline, a path or a shell word.  The module
 * writes one only for a display whose X server is the display manager's
 * own (xserver.c, rule 22), and the record names that server: it outlives
 * neither the display manager process nor that X server (seat_alive). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "kvlines.h"
#include "seat.h"

#define BAD(...) ss_fail(e, -EINVAL, __VA_ARGS__)

static bool word_chars(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);
	if (n == 0 || n >= max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || (i > 0 && strchr(extra, c))))
			return false;
	}
	return true;
}

bool seat_valid_user(const char *s)
{
	return word_chars(s, SEAT_USER_LEN, ".-");
}

bool seat_valid_service(const char *s)
{
	return word_chars(s, 32, ".-");
}

static bool digits(const char *s, size_t n)
{
	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool seat_is_display(const char *tty)
{
	if (!tty || tty[0] != ':')
		return false;
	const char *dot = strchr(tty + 1, '.');
	if (!dot)
		return digits(tty + 1, strlen(tty + 1));
	return digits(tty + 1, (size_t)(dot - tty - 1)) && digits(dot + 1, strlen(dot + 1));
}

bool seat_is_vt(const char *tty)
{
	if (tty && strncmp(tty, "/dev/", 5) == 0)
		tty += 5;
	return tty && strncmp(tty, "tty", 3) == 0 && tty[3] && strlen(tty + 3) <= 2 &&
	       digits(tty + 3, strlen(tty + 3));
}

const char *seat_display(const char *tty, const char *xdisplay)
{
	if (seat_is_display(tty))
		return tty;
	return seat_is_vt(tty) && seat_is_display(xdisplay) ? xdisplay : NULL;
}

/* A number of login.defs: "KEY<blanks>N" at the start of a line. */
static long login_defs(const char *text, const char *key, long def)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && (p[kl] == ' ' || p[kl] == '\t')) {
			char *end;
			long v = strtol(p + kl, &end, 10);
			if (end != p + kl && v > 0)
				def = v;
		}
	return def;
}

bool seat_system_account(const struct sysroot *sr, uid_t uid)
{
	char *text = NULL;
	long min = 1000, max = 60000;

	if (uid == 0)
		return false;
	if (sysroot_slurp(sr, "/etc/login.defs", 1 << 20, &text) >= 0) {
		min = login_defs(text, "UID_MIN", min);
		max = login_defs(text, "UID_MAX", max);
		free(text);
	}
	return (long)uid < min || (long)uid > max;
}

int seat_format(const struct seat_login *s, char *buf, size_t len)
{
	int w = snprintf(buf, len,
			 "# session-switch seat login: written by pam_session_switch.so; read by the helper\n"
			 "user=%s\nuid=%u\ntty=%s\nservice=%s\ntime=%lld\npid=%ld\nstart=%llu\nmode=%s\n"
			 "xpid=%ld\nxstart=%llu\n",
			 s->user, (unsigned)s->uid, s->tty, s->service, s->time, (long)s->pid, s->start,
			 mode_str(s->mode), (long)s->xpid, s->xstart);
	return w < 0 || (size_t)w >= len ? -ENOSPC : w;
}

static int number(const char *v, long long max, long long *out)
{
	char *end;
	if (!v[0] || v[0] == '-' || v[0] == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return *end || errno || *out > max ? -EINVAL : 0;
}

int seat_parse(const char *text, const char *name, struct seat_login *s, struct ss_error *e)
{
	struct kvlines kv;
	char *line, *val;
	int seen = 0, r;
	long long v;

	memset(s, 0, sizeof(*s));
	kvlines_init(&kv, text, name);
	while ((r = kvlines_next(&kv, &line, &val, e)) > 0) {
		int lineno = kv.lineno;
		int bit;
		if (strcmp(line, "user") == 0) {
			if (!seat_valid_user(val))
				return BAD("%s:%d: \"%s\" is not a user name", name, lineno, val);
			snprintf(s->user, sizeof(s->user), "%s", val);
			bit = 1;
		} else if (strcmp(line, "uid") == 0) {
			if (number(val, 0x7ffffffe, &v) < 0)
				return BAD("%s:%d: bad uid", name, lineno);
			s->uid = (uid_t)v;
			bit = 2;
		} else if (strcmp(line, "tty") == 0) {
			if (!seat_is_display(val) || strlen(val) >= sizeof(s->tty))
				return BAD("%s:%d: \"%s\" is not an X display", name, lineno, val);
			snprintf(s->tty, sizeof(s->tty), "%s", val);
			bit = 4;
		} else if (strcmp(line, "service") == 0) {
			if (!seat_valid_service(val))
				return BAD("%s:%d: \"%s\" is not a PAM service name", name, lineno, val);
			snprintf(s->service, sizeof(s->service), "%s", val);
			bit = 8;
		} else if (strcmp(line, "time") == 0) {
			if (number(val, 1LL << 40, &v) < 0)
				return BAD("%s:%d: bad time", name, lineno);
			s->time = v;
			bit = 16;
		} else if (strcmp(line, "pid") == 0) {
			if (number(val, 1 << 22, &v) < 0 || v < 2)
				return BAD("%s:%d: bad pid", name, lineno);
			s->pid = (pid_t)v;
			bit = 32;
		} else if (strcmp(line, "start") == 0) {
			if (number(val, 1LL << 62, &v) < 0)
				return BAD("%s:%d: bad start time", name, lineno);
			s->start = (unsigned long long)v;
			bit = 64;
		} else if (strcmp(line, "mode") == 0) {
			if (!mode_parse(val, &s->mode))
				return BAD("%s:%d: mode must be host or vm", name, lineno);
			bit = 128;
		} else if (strcmp(line, "xpid") == 0) {
			if (number(val, 1 << 22, &v) < 0 || v < 2)
				return BAD("%s:%d: bad X server pid", name, lineno);
			s->xpid = (pid_t)v;
			bit = 256;
		} else if (strcmp(line, "xstart") == 0) {
			if (number(val, 1LL << 62, &v) < 0)
				return BAD("%s:%d: bad X server start time", name, lineno);
			s->xstart = (unsigned long long)v;
			bit = 512;
		} else {
			return BAD("%s:%d: unknown key \"%s\"", name, lineno, line);
		}
		if (seen & bit)
			return BAD("%s:%d: %s given twice", name, lineno, line);
		seen |= bit;
	}
	if (r < 0)
		return r;
	if (seen != 1023)
		return BAD("%s: incomplete", name);
	return 0;
}

int seat_save(int rundir, const struct seat_login *s, struct ss_error *e)
{
	char buf[512];
	int n = seat_format(s, buf, sizeof(buf));

	if (n < 0)
		return ss_fail(e, n, "seat record too large");
	/* 0600: root alone reads who logged in; seat_load() believes nothing
	 * that others could have written. */
	return atomic_replace(rundir, SEAT_FILE, buf, (size_t)n, 0600, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, e);
}

int seat_load(int rundir, struct seat_login *s, struct ss_error *e)
{
	char buf[1024];
	struct stat st;
	ssize_t n;
	int fd = openat(rundir, SEAT_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return errno == ENOENT ? -ENOENT : ss_fail(e, -errno, "seat record: %s", strerror(errno));
	/* Owned by whoever we are: root in the helper and the module (a
	 * test's own user in the tests, who is nobody else's). */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return ss_fail(e, -EPERM, "the seat record is not a file that only root can write: ignored");
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return ss_fail(e, -errno, "seat record: %s", strerror(errno));
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n))
		return ss_fail(e, -EINVAL, "seat record: contains a NUL byte");
	return seat_parse(buf, "seat record", s, e);
}

int seat_remove(int rundir, const struct seat_login *mine)
{
	struct seat_login cur;
	struct ss_error e;

	if (seat_load(rundir, &cur, &e) < 0)
		return 0;
	if (strcmp(cur.user, mine->user) != 0 || cur.pid != mine->pid || cur.start != mine->start)
		return 0;
	return unlinkat(rundir, SEAT_FILE, 0) == 0 ? 1 : 0;
}

int proc_start_time(const struct sysroot *sr, pid_t pid, unsigned long long *start)
{
	char path[32], buf[1024], *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	n = sysroot_read(sr, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	/* comm may hold spaces and parentheses: fields start after the last ')' */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ') /* a ')' at the very end has no fields after it */
		return -EINVAL;
	p++;
	/* after ')' come fields 3..; the start time is field 22 */
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	char *end;
	errno = 0;
	*start = strtoull(p + 1, &end, 10);
	return errno || end == p + 1 ? -EINVAL : 0;
}

bool seat_alive(const struct sysroot *sr, const struct seat_login *s)
{
	unsigned long long start, xstart;
	return proc_start_time(sr, s->pid, &start) == 0 && start == s->start &&
	       proc_start_time(sr, s->xpid, &xstart) == 0 && xstart == s->xstart;
}

bool seat_may_autologin(const struct seat_login *s, bool auto_on, int window, long long now)
{
	return auto_on && s->mode == MODE_HOST && s->time <= now && now - s->time <= window;
}
