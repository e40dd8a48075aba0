/* Threat model: runs as root inside the setuid helper.  What it runs is
 * fixed by the root-owned configuration as a kind and a name, turned into
 * an argv from constants (never a string split into words: doc/security.md
 * rule 3); a `command:` path must be a root-owned file no one else may
 * write.  The X check runs as nobody with the authority cookie on its stdin,
 * so nothing X-related runs as root (rules 13, 15). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <poll.h>

#include "display.h"
#include "kwait.h"
#include "pci.h"
#include "spawn.h"

bool display_managed(const struct ss_config *c)
{
	return c->dm != DM_UNSET;
}

static int dm_run(const struct ss_config *c, bool start, int timeout_ms, struct ss_error *e)
{
	char path[160], *argv[4];
	struct stat st;
	int r;

	switch (c->dm) {
	case DM_SYSTEMD:
		snprintf(path, sizeof(path), "%s", SYSTEMCTL_PATH);
		argv[0] = "systemctl", argv[1] = start ? "start" : "stop", argv[2] = (char *)c->dm_name, argv[3] = NULL;
		break;
	case DM_OPENRC:
		snprintf(path, sizeof(path), "/etc/init.d/%s", c->dm_name);
		argv[0] = (char *)c->dm_name, argv[1] = start ? "start" : "stop", argv[2] = NULL;
		break;
	case DM_RUNIT:
		snprintf(path, sizeof(path), "%s", SV_PATH);
		argv[0] = "sv", argv[1] = start ? "up" : "down", argv[2] = (char *)c->dm_name, argv[3] = NULL;
		break;
	case DM_COMMAND:
		snprintf(path, sizeof(path), "%s", c->dm_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
			return ss_fail(e, -EPERM, "[display] manager = command:%s must be a regular file owned by "
				       "root and writable by root alone", path);
		argv[0] = (char *)c->dm_name, argv[1] = start ? "start" : "stop", argv[2] = NULL;
		break;
	default:
		return 0;
	}
	r = spawn_wait(path, argv, timeout_ms, e);
	if (r > 0)
		return ss_fail(e, -EIO, "%s %s failed (exit %d)", path, start ? "start" : "stop", r);
	return r;
}

int display_x_pid(const struct sysroot *sr, int display)
{
	char path[32], buf[32], *end;
	snprintf(path, sizeof(path), "/tmp/.X%d-lock", display);
	if (sysroot_read(sr, path, buf, sizeof(buf)) < 0)
		return 0;
	char *p = buf;
	while (*p == ' ')
		p++;
	long pid = strtol(p, &end, 10);
	if (end == p || pid <= 1 || pid > 4194304)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld", pid);
	return sysroot_exists(sr, path) ? (int)pid : 0;
}

struct lock_cond {
	const struct sysroot *sr;
	int display;
	bool want;
};

static bool x_running(void *arg)
{
	struct lock_cond *l = arg;
	char sock[40];
	snprintf(sock, sizeof(sock), "/tmp/.X11-unix/X%d", l->display);
	bool up = display_x_pid(l->sr, l->display) > 0 && (!l->want || sysroot_exists(l->sr, sock));
	return up == l->want;
}

int display_stop(const struct ss_config *c, const struct sysroot *sr, int timeout_ms, struct ss_error *e)
{
	int pid = display_x_pid(sr, c->display), r;
	struct kwait w = { .fd = -1 };

	if (c->dm == DM_NONE) {
		/* X is the user's (startx): wait for them to leave it. */
		if (pid)
			fprintf(stderr, "session-switch: waiting up to %d s for X on :%d (pid %d) to exit: log out "
					"of it\n", timeout_ms / 1000, c->display, pid);
	} else if ((r = dm_run(c, false, timeout_ms, e)) < 0) {
		return r;
	}
	if (pid) {
		/* Woken by the process's exit, not by a clock. */
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pfd >= 0) {
			struct pollfd p = { .fd = pfd, .events = POLLIN };
			int n = poll(&p, 1, timeout_ms);
			close(pfd);
			if (n == 0)
				return ss_fail(e, -ETIMEDOUT, "X (pid %d) did not exit within %d ms%s", pid, timeout_ms,
					       c->dm == DM_NONE ? ": quit X and try again" :
								  " after the display manager was stopped");
		}
	}
	struct lock_cond l = { sr, c->display, false };
	if (kwait_until(&w, x_running, &l, timeout_ms) < 0)
		return ss_fail(e, -ETIMEDOUT, "X on :%d is still there %d ms after the display manager stopped",
			       c->display, timeout_ms);
	return 0;
}

/* xcheck as nobody, the authority file on its stdin, its JSON line back. */
static int xcheck(const struct ss_config *c, int timeout_ms, char *info, size_t infolen, struct ss_error *e)
{
	const char *authfile = c->xauthority[0] ? c->xauthority : DEFAULT_XAUTHORITY;
	struct passwd *pw = getpwnam("nobody");
	int auth, out[2], status, r;
	char disp[16], tmo[16];

	if (!pw)
		return ss_fail(e, -ENOENT, "no user nobody to run the X check as");
	auth = open(authfile, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (auth < 0)
		return ss_fail(e, -errno, "%s: %s (set [display] authfile)", authfile, strerror(errno));
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(auth);
		return ss_fail(e, -errno, "pipe: %s", strerror(errno));
	}
	snprintf(disp, sizeof(disp), ":%d", c->display);
	snprintf(tmo, sizeof(tmo), "%d", timeout_ms);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "session-switch-xcheck", disp, tmo, NULL };
		char *env[] = { "PATH=/usr/bin:/bin", "LANG=C", NULL };
		if (dup2(auth, 0) < 0 || dup2(out[1], 1) < 0)
			_exit(127);
		/* Rule 13: groups, then gid, then uid, each checked. */
		if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(126);
		execve(XCHECK_PATH, argv, env);
		_exit(127);
	}
	close(auth);
	close(out[1]);
	if (pid < 0) {
		close(out[0]);
		return ss_fail(e, -errno, "fork: %s", strerror(errno));
	}
	size_t used = 0;
	ssize_t n;
	while (used + 1 < infolen && (n = read(out[0], info + used, infolen - 1 - used)) > 0)
		used += (size_t)n;
	info[used] = '\0';
	if (used && info[used - 1] == '\n')
		info[used - 1] = '\0';
	close(out[0]);
	r = child_wait(pid, timeout_ms + 2000, &status);
	if (r < 0)
		return ss_fail(e, r, "the X check did not finish");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ss_fail(e, -EIO, "X on %s is not usable: %s", disp,
			       WIFEXITED(status) && WEXITSTATUS(status) == 1 ? "no output is connected" :
			       WIFEXITED(status) && WEXITSTATUS(status) >= 126 ? "the X check could not run" :
			       "it does not accept connections");
	return 0;
}

/* The card X opened, from its log: "modeset(0): using drv /dev/dri/card1". */
static int x_gpu(const struct sysroot *sr, int display, struct pci_addr *gpu, char *card, size_t clen)
{
	char path[40], *log = NULL;
	snprintf(path, sizeof(path), "/var/log/Xorg.%d.log", display);
	if (sysroot_slurp(sr, path, 4 << 20, &log) < 0)
		return -ENOENT;
	const char *hit = NULL, *p = log;
	while ((p = strstr(p, "using drv /dev/dri/")))
		hit = p, p++;
	int r = -ENOENT;
	if (hit) {
		hit += strlen("using drv /dev/dri/");
		size_t n = strcspn(hit, " \n");
		snprintf(card, clen, "%.*s", (int)(n < clen ? n : clen - 1), hit);
		struct pci_list l;
		if (pci_scan(sr, &l, NULL) == 0) {
			for (size_t i = 0; i < l.n; i++)
				if (strcmp(l.dev[i].drm_card, card) == 0) {
					*gpu = l.dev[i].addr;
					r = 0;
				}
			pci_list_free(&l);
		}
	}
	free(log);
	return r;
}

static int display_start_checked(const struct ss_config *c, const struct sysroot *sr, const struct pci_addr *gpu,
				 int timeout_ms, char *info, size_t infolen, struct ss_error *e);

/* Xorg's own words for a failed start: its first (EE) lines that say
 * something (not the boilerplate about where the log is). */
static void append_xorg_errors(const struct sysroot *sr, int display, struct ss_error *e)
{
	static const char *const noise[] = { "Please also check", "Server terminated", "Please consult",
					     "for help", "http", "Fatal server error", "dbus" };
	char path[40], *log = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "/var/log/Xorg.%d.log", display);
	if (sysroot_slurp(sr, path, 4 << 20, &log) < 0)
		return;
	size_t used = strlen(e->msg);
	for (const char *p = log; p && *p && n < 3 && used + 8 < sizeof(e->msg);) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		/* "[    36.8] (EE) ...": a logged error, not the legend line */
		const char *ee = memmem(p, len, "] (EE) ", 7);
		ee = ee ? ee + 2 : NULL;
		bool keep = p[0] == '[' && ee && (size_t)(ee + 5 - p) < len;
		for (size_t i = 0; keep && i < sizeof(noise) / sizeof(noise[0]); i++)
			keep = !memmem(p, len, noise[i], strlen(noise[i]));
		if (keep) {
			const char *text = ee + 5;
			int tl = (int)(len - (size_t)(text - p));
			used += (size_t)snprintf(e->msg + used, sizeof(e->msg) - used, "%s%.*s", n ? "; " : "; Xorg: ",
						 tl > 160 ? 160 : tl, text);
			n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(log);
}

int display_start(const struct ss_config *c, const struct sysroot *sr, const struct pci_addr *gpu, int timeout_ms,
		  char *info, size_t infolen, struct ss_error *e)
{
	int r = display_start_checked(c, sr, gpu, timeout_ms, info, infolen, e);
	if (r < 0)
		append_xorg_errors(sr, c->display, e);
	return r;
}

static int display_start_checked(const struct ss_config *c, const struct sysroot *sr, const struct pci_addr *gpu,
				 int timeout_ms, char *info, size_t infolen, struct ss_error *e)
{
	struct kwait w = { .fd = -1 };
	int r;

	info[0] = '\0';
	if (c->dm == DM_NONE)
		return 1;
	if ((r = dm_run(c, true, timeout_ms, e)) < 0)
		return r;
	struct lock_cond l = { sr, c->display, true };
	if (kwait_until(&w, x_running, &l, timeout_ms) < 0)
		return ss_fail(e, -ETIMEDOUT, "no X server came up on :%d within %d ms", c->display, timeout_ms);
	if ((r = xcheck(c, timeout_ms, info, infolen, e)) < 0)
		return r;
	struct pci_addr got;
	char card[32] = "", want[PCI_ADDR_LEN], have[PCI_ADDR_LEN];
	if (x_gpu(sr, c->display, &got, card, sizeof(card)) < 0)
		return ss_fail(e, -ENOENT, "X is up but /var/log/Xorg.%d.log does not say which GPU it drives",
			       c->display);
	pci_addr_format(gpu, want);
	pci_addr_format(&got, have);
	if (pci_addr_cmp(&got, gpu) != 0)
		return ss_fail(e, -EXDEV, "X came up on %s (%s), not on %s", have, card, want);
	return 0;
}
