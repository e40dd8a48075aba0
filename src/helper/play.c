/* Threat model: runs as root in the setuid helper, for a caller who may
 * switch (authz.c) and who is, or plays as, the user at the seat.  The
 * verb `play [NAME]` takes one word from argv, the name of a [vm NAME]
 * section of the root-owned /etc/session-switch/vm.conf; everything QEMU
 * runs with comes from that file and the plan, never from the caller.
 * So:
 *  - vm.conf MUST be a regular file owned by root and writable by root
 *    alone, checked through the descriptor it is read from;
 *  - the emulator MUST be owned by root and not writable by group or
 *    others (whatever [user] says), and so MUST every directory above it,
 *    with no link on the way: it is opened once, walked down from / with
 *    nothing followed (vmconf_open_emulator), and that descriptor is what
 *    runs (execveat AT_EMPTY_PATH), so the path is never looked up again;
 *    every other file the VM opens MUST pass vmconf_check, before
 *    anything moves;
 *  - only the nodes of the VM MAY be lent: the /dev/vfio/GROUP node of
 *    each passed-through function's group and the event device behind
 *    each keyboard and mouse of the definition; their owner and mode
 *    MUST be on disk (the lend record) before the first chown, and MUST
 *    be restored from it when the VM ends, and by every verb that
 *    switches (vm, host, recover, play: main.c) after a killed helper;
 *  - an event device is the one found when play was asked: its device
 *    number and inode are noted then (vm_lend_plan) and a node that is
 *    another one at the lend (a keyboard unplugged, its number reused)
 *    is refused, nothing lent;
 *  - QEMU MUST be gone before its nodes are taken back: a wait that
 *    fails kills it (SIGKILL through its pidfd) and reaps it, and its
 *    parent-death signal ends it with a helper killed by SIGKILL;
 *  - QEMU MUST run as the user and never as root: its child sets
 *    RLIMIT_MEMLOCK (which whatever QEMU runs inherits: doc/security.md,
 *    Where the code falls short), then the user's groups, gid and uid, each checked,
 *    with no way back (setuid(0) must fail, no_new_privs), an environment
 *    rebuilt from the user's own values (vmlend.c), fds 0-2 only;
 *  - the wait has no deadline (the VM's lifetime), but a SIGTERM (the
 *    init system's stop) MUST still lead to QEMU's end, the take-back and
 *    the switch back;
 *  - with --detach (the "Windows VM" session) the caller's answer MUST
 *    come before the first change and the VM's lifetime MUST be out of
 *    the caller's reach: the detached child of report.c, in its own
 *    session and the root cgroup, so that the display manager's stop,
 *    which ends the session that asked, ends neither QEMU nor the way back;
 *  - QEMU's stderr is the user's program's output: it is quoted in the
 *    message after control characters are cleaned (report.c relays it
 *    through audit_clean).
 * What the take-back cannot do: revoke a descriptor the user opened on
 * /dev/vfio/GROUP while they owned it (evdev ones are revoked:
 * revoke_input); the switch to host refuses while a process holds the
 * card's nodes (holders.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/input.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "atomicfile.h"
#include "audit.h"
#include "holders.h"
#include "journal.h"
#include "kwait.h"
#include "outcome.h"
#include "play.h"
#include "spawn.h"

/* How long QEMU gets to end after SIGTERM before SIGKILL. */
#define QEMU_TERM_MS 30000
/* What is kept of QEMU's stderr for the message: its last bytes. */
#define TAIL_LEN 2048

static void report(const struct switch_opts *so, const char *action, const char *value, long ms, int r,
		   const char *detail)
{
	struct switch_report rep = {"play", action, "", value ? value : "", ms, r, detail ? detail : ""};

	if (so->progress)
		so->progress(so->arg, &rep);
}

/* The user QEMU runs as: the seat user, or the caller; root plays as the
 * definition's user. */
static int player(const struct vm_def *vm, uid_t ruid, const char *seat_user, struct play *p,
		  struct ss_error *e)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int r = 0;

	/* the system's account database, as login and su read it */
	if (seat_user)
		getpwnam_r(seat_user, &pw, buf, sizeof(buf), &res);
	else if (ruid != 0)
		getpwuid_r(ruid, &pw, buf, sizeof(buf), &res);
	else if (vm->user[0])
		getpwnam_r(vm->user, &pw, buf, sizeof(buf), &res);
	else
		return ss_fail(e, -EPERM,
			       "[vm %s] has no user, and root does not run QEMU: set user = in the section, "
			       "or run session-switch play as the user who plays",
			       vm->name);
	if (!res)
		return ss_fail(e, -ENOENT, "the account of uid %u is not in the password database",
			       (unsigned)ruid);
	if (pw.pw_uid == 0)
		r = ss_fail(e, -EPERM, "QEMU is not run as root: play as the user at the seat");
	else if (vm->user[0] && strcmp(vm->user, pw.pw_name) != 0)
		r = ss_fail(e, -EPERM, "[vm %s] is %s's (user = %s): %s may not play it", vm->name, vm->user,
			    vm->user, pw.pw_name);
	else if (strlen(pw.pw_name) >= sizeof(p->user) || strlen(pw.pw_dir) >= sizeof(p->home))
		r = ss_fail(e, -ENAMETOOLONG, "the account %s has too long a name or home", pw.pw_name);
	if (r == 0) {
		snprintf(p->user, sizeof(p->user), "%s", pw.pw_name);
		snprintf(p->home, sizeof(p->home), "%s", pw.pw_dir);
		p->uid = pw.pw_uid;
		p->gid = pw.pw_gid;
		p->ngroups = (int)(sizeof(p->groups) / sizeof(p->groups[0]));
		if (getgrouplist(pw.pw_name, pw.pw_gid, p->groups, &p->ngroups) < 0)
			r = ss_fail(e, -E2BIG, "%s is in more than %zu groups", pw.pw_name,
				    sizeof(p->groups) / sizeof(p->groups[0]));
	}
	return r;
}

int play_prepare(const struct machine *m, const char *name, uid_t ruid, const char *seat_user, struct play *p,
		 struct ss_error *e)
{
	struct vm_hostdev hd[SS_MAX_FUNCS];
	size_t nhd = 0;
	int rc = EXIT_CONFIG, r;

	memset(p, 0, sizeof(*p));
	r = vmconf_load(&m->root, VM_DEFAULT_CONFIG, 0, &p->conf, e);
	if (r == 0 && !(p->vm = vmconf_find(&p->conf, name, e)))
		r = -ENOENT;
	if (r == 0)
		r = vmconf_check(&m->root, p->conf.path, p->vm, e);
	if (r == 0 && (r = vmconf_open_emulator(&m->root, p->conf.path, p->vm, e)) >= 0) {
		p->emu_fd = r;
		p->emu_open = true;
		r = 0;
	}
	if (r == 0) {
		rc = EXIT_REFUSED;
		r = vm_hostdevs(m, hd, &nhd, e);
	}
	if (r == 0)
		r = vm_lend_plan(m, p->conf.path, p->vm, hd, nhd, &p->lend, e);
	if (r == 0)
		r = player(p->vm, ruid, seat_user, p, e);
	if (r == 0)
		r = vm_argv_build(p->vm, hd, nhd, &p->argv, e);
	if (r == 0)
		rc = EXIT_OK;
	else
		audit(LOG_WARNING, "refused: play: %s", e->msg);
	return rc;
}

void play_free(struct play *p)
{
	vm_argv_free(&p->argv);
	if (p->emu_open)
		close(p->emu_fd);
	p->emu_open = false;
}

/* --- lending ------------------------------------------------------------------- */

/* chown and chmod through one descriptor of the node itself (O_PATH,
 * never following a link), so that what is checked is what changes; a
 * mode goes through the descriptor's /proc/self/fd link, since fchmod
 * refuses an O_PATH descriptor and opening a vfio group for real would
 * claim it. */
static int node_set(int fd, uid_t uid, gid_t gid, mode_t mode, bool set_mode)
{
	char self[64];
	int r = 0;

	if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
		r = -errno;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (r == 0 && set_mode && chmod(self, mode) < 0)
		r = -errno;
	return r;
}

static int node_open(const struct machine *m, const char *path, struct stat *st, struct ss_error *e)
{
	int fd = sysroot_openat(&m->root, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return ss_fail(e, fd, "%s: %s", path, strerror(-fd));
	if (fstat(fd, st) < 0 || !S_ISCHR(st->st_mode)) {
		close(fd);
		return ss_fail(e, -EINVAL, "%s is not a character device", path);
	}
	return fd;
}

static int record_write(int jdir, const struct lend *l, struct ss_error *e)
{
	char text[LEND_MAX * (LEND_PATH_LEN + 40)];
	int n = vm_lend_format(l, text, sizeof(text));

	if (n < 0)
		return ss_fail(e, n, "the lend record does not fit");
	return atomic_replace(jdir, LEND_FILE, text, (size_t)n, 0600, ATOMIC_KEEP_ID, ATOMIC_KEEP_ID, e);
}

/* Owner and mode back do not close what the player opened meanwhile: an
 * event device still open would let them read the seat's keyboard after
 * the VM (the greeter's passwords; rule 23).  Once the nodes are root's
 * again, so that nothing new can be opened, each descriptor on a lent
 * event device in a process that is not root's (root's X and input
 * stack keep theirs) is revoked through a copy of it: pidfd_getfd(), then
 * EVIOCREVOKE, the kernel's own revoke of an evdev client; the process
 * is not killed.  /dev/vfio/N is left to the way back, whose holder
 * check refuses while anything still holds the group. */
static int revoke_input(const struct machine *m, const struct lend *l, size_t n, struct ss_error *e)
{
	const char *nodes[LEND_MAX];
	struct holder h[HOLDERS_MAX];
	size_t nn = 0, total = 0;
	int held, r = 0, revoked = 0;

	for (size_t i = 0; i < n; i++)
		if (strncmp(l->node[i].path, "/dev/input/event", 16) == 0)
			nodes[nn++] = l->node[i].path;
	held = nn ? holders_scan(&m->root, nodes, nn, h, HOLDERS_MAX, &total, kwait_now_ms() + 5000, e) : 0;
	if (held < 0)
		r = held;
	else if (total > (size_t)held)
		r = ss_fail(e, -E2BIG, "more than %d descriptors of processes hold the VM's input devices",
			    HOLDERS_MAX);
	for (int i = 0; r == 0 && i < held; i++) {
		if (h[i].uid == 0)
			continue;
		int pfd = (int)syscall(SYS_pidfd_open, h[i].pid, 0);
		int fd = pfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pfd, h[i].fd, 0);
		if (fd >= 0 && ioctl(fd, EVIOCREVOKE, NULL) == 0)
			revoked++;
		else if (errno != ESRCH && errno != EBADF &&
			 errno != ENODEV) /* gone, closed or revoked since */
			r = ss_fail(e, -errno,
				    "cannot revoke %s, still open in process %d (%s) of uid %u: %s",
				    h[i].node, (int)h[i].pid, h[i].comm, (unsigned)h[i].uid, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (pfd >= 0)
			close(pfd);
	}
	if (revoked)
		audit(LOG_NOTICE,
		      "play: revoked %d descriptor(s) of the VM's input devices kept open after it", revoked);
	return r;
}

static int restore(const struct machine *m, const struct lend *l, size_t n, struct ss_error *e)
{
	int r = 0;

	for (size_t i = n; i-- > 0;) {
		const struct lend_node *nd = &l->node[i];
		struct stat st;
		struct ss_error ne;
		int fd = node_open(m, nd->path, &st, &ne), rr;
		/* a node that is gone (the device moved, the keyboard was
		 * unplugged) has nothing left to give back */
		if (fd == -ENOENT)
			continue;
		rr = fd < 0 ? fd : node_set(fd, nd->uid, nd->gid, nd->mode, true);
		if (fd >= 0)
			close(fd);
		if (rr < 0 && r == 0)
			r = ss_fail(e, rr, "taking back %s: %s", nd->path, fd < 0 ? ne.msg : strerror(-rr));
	}
	if (r == 0)
		r = revoke_input(m, l, n, e);
	return r;
}

/* The lend: owners recorded, the record on disk, then each node the
 * user's; the first failure takes back what was lent. */
static int lend(const struct machine *m, int jdir, struct play *p, struct ss_error *e)
{
	int fds[LEND_MAX], r = 0;
	size_t opened = 0, lent = 0;

	for (; r == 0 && opened < p->lend.n; opened++) {
		struct lend_node *nd = &p->lend.node[opened];
		struct stat st;
		fds[opened] = node_open(m, nd->path, &st, e);
		if (fds[opened] < 0) {
			r = fds[opened];
			break;
		}
		/* the event device found when play was asked, or nothing:
		 * a keyboard unplugged meanwhile may have left its number to
		 * another device */
		if (!vm_lend_same(nd, &st)) {
			r = ss_fail(e, -ESTALE,
				    "%s is no longer the input device it was when play began (unplugged or "
				    "replaced): nothing was lent; run play again",
				    nd->path);
			close(fds[opened]);
			break;
		}
		nd->uid = st.st_uid;
		nd->gid = st.st_gid;
		nd->mode = st.st_mode & 07777;
	}
	if (r == 0)
		r = record_write(jdir, &p->lend, e);
	for (; r == 0 && lent < p->lend.n; lent++) {
		/* the owner reads and writes it; group and others keep what
		 * they had (input's group, nothing on /dev/vfio) */
		int rr = node_set(fds[lent], p->uid, (gid_t)-1, p->lend.node[lent].mode | 0600, true);
		if (rr < 0)
			r = ss_fail(e, rr, "lending %s to %s: %s", p->lend.node[lent].path, p->user,
				    strerror(-rr));
	}
	for (size_t i = 0; i < opened; i++)
		close(fds[i]);
	if (r < 0 && lent > 0) {
		struct ss_error ignored;
		/* the node that failed may be half-changed: it is taken back too */
		restore(m, &p->lend, lent + 1 < p->lend.n ? lent + 1 : p->lend.n, &ignored);
		unlinkat(jdir, LEND_FILE, 0);
	}
	return r;
}

int play_takeback(const struct machine *m, const struct switch_opts *so, struct ss_error *e)
{
	struct ss_error je = {""};
	struct lend l;
	char text[LEND_MAX * (LEND_PATH_LEN + 40) + 1];
	ssize_t n;
	int jdir = journal_open_dir(&je), r;

	if (jdir < 0)
		return ss_fail(e, jdir, "%s", je.msg);
	n = sysroot_read(&m->root, JOURNAL_DIR "/" LEND_FILE, text, sizeof(text));
	if (n == -ENOENT)
		r = 0;
	else if (n < 0)
		r = ss_fail(e, (int)n, JOURNAL_DIR "/" LEND_FILE ": %s", strerror((int)-n));
	else if ((r = vm_lend_parse(text, JOURNAL_DIR "/" LEND_FILE, &l, e)) == 0 &&
		 (r = restore(m, &l, l.n, e)) == 0) {
		unlinkat(jdir, LEND_FILE, 0);
		report(so, "take_back", NULL, 0, 0, NULL);
		audit(LOG_NOTICE, "play: took back %zu device nodes", l.n);
		r = 1;
	}
	close(jdir);
	return r;
}

/* The per-VM copy of the firmware variables: made once from the
 * template, the user's, in root's directory VM_STATE_DIR/NAME. */
static int vars_copy(const struct machine *m, const struct play *p, struct ss_error *e)
{
	char dir[VM_PATH_LEN + 64], vars[VM_PATH_LEN + 64];
	char *text = NULL;
	ssize_t n;
	int dfd, r = 0;

	if (!p->vm->ovmf_code.line)
		return 0;
	snprintf(dir, sizeof(dir), "%s/%s", VM_STATE_DIR, p->vm->name);
	vmconf_vars_path(p->vm, vars, sizeof(vars));
	if (mkdir(VM_STATE_DIR, 0755) < 0 && errno != EEXIST)
		return ss_fail(e, -errno, "%s: %s", VM_STATE_DIR, strerror(errno));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return ss_fail(e, -errno, "%s: %s", dir, strerror(errno));
	dfd = open(dir, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return ss_fail(e, -errno, "%s: %s", dir, strerror(errno));
	if (faccessat(dfd, VM_VARS_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		/* the VM's own variables: kept, made the user's again */
		if (fchownat(dfd, VM_VARS_FILE, p->uid, p->gid, AT_SYMLINK_NOFOLLOW) < 0)
			r = ss_fail(e, -errno, "%s: %s", vars, strerror(errno));
	} else if ((n = sysroot_slurp(&m->root, p->vm->ovmf_vars_template.path, 16 << 20, &text)) < 0) {
		r = ss_fail(e, (int)n, "%s: %s", p->vm->ovmf_vars_template.path, strerror((int)-n));
	} else {
		r = atomic_replace(dfd, VM_VARS_FILE, text, (size_t)n, 0600, p->uid, p->gid, e);
	}
	free(text);
	close(dfd);
	return r;
}

/* --- QEMU ------------------------------------------------------------------------ */

/* The emulator's descriptor in the child, the one kept besides 0-2. */
#define EMU_FD 3

/* In the child: the user's QEMU.  Nothing returns from here. */
static void qemu_exec(const struct play *p, int err_fd, pid_t parent)
{
	struct rlimit ml;
	char envbuf[1024], *env[VM_ENV_MAX];

	ml.rlim_cur = ml.rlim_max = (rlim_t)vm_memlock_bytes(p->vm);
	if (spawn_child_setup(-1, -1, err_fd) < 0)
		_exit(126);
	/* the checked file, at a known number, close-on-exec: execveat
	 * runs it, and QEMU gets no descriptor of ours */
	if (p->emu_fd != EMU_FD && dup3(p->emu_fd, EMU_FD, O_CLOEXEC) < 0)
		_exit(126);
	if (close_range(EMU_FD + 1, ~0U, 0) < 0)
		for (int fd = EMU_FD + 1; fd < 1024; fd++)
			close(fd);
	umask(077);
	/* raised as root: the user's own hard limit is the system's (8 MiB) */
	if (setrlimit(RLIMIT_MEMLOCK, &ml) < 0)
		_exit(126);
	if (vm_child_env(p->user, p->uid, p->home, envbuf, sizeof(envbuf), env) < 0)
		_exit(126);
	if (setgroups((size_t)p->ngroups, p->groups) < 0 || setresgid(p->gid, p->gid, p->gid) < 0 ||
	    setresuid(p->uid, p->uid, p->uid) < 0)
		_exit(126);
	/* no way back: root is gone for good, and nothing QEMU runs gains it */
	if (setuid(0) == 0 || getuid() != p->uid || geteuid() != p->uid || getgid() != p->gid ||
	    getegid() != p->gid || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(126);
	/* A helper killed with SIGKILL takes no node back and kills nobody:
	 * QEMU then ends with it (set after the uid change, which clears
	 * it), so a stale lend is never in use when the next verb takes it
	 * back.  A parent gone already is caught by getppid. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(126);
	syscall(SYS_execveat, EMU_FD, "", p->argv.v, env, AT_EMPTY_PATH);
	_exit(127);
}

struct tail {
	char buf[TAIL_LEN];
	size_t len;
};

static void tail_add(struct tail *t, const char *s, size_t n)
{
	if (n >= TAIL_LEN) {
		s += n - (TAIL_LEN - 1);
		n = TAIL_LEN - 1;
	}
	if (t->len + n >= TAIL_LEN) {
		size_t drop = t->len + n - (TAIL_LEN - 1);
		memmove(t->buf, t->buf + drop, t->len - drop);
		t->len -= drop;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* The last three lines, joined by " / ": what QEMU said before it ended. */
static void tail_lines(struct tail *t, char *out, size_t len)
{
	char *end = t->buf + t->len, *start;
	int lines = 0;

	while (end > t->buf && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	for (start = end; start > t->buf && lines < 3; start--)
		if (start[-1] == '\n' && ++lines == 3)
			break;
	snprintf(out, len, "%s", start);
	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = '/';
}

/* Wait for QEMU: its stderr is drained all along (kept: its tail), a
 * SIGTERM to us is passed on (*stopped), and after it a deadline applies. */
static int qemu_wait(pid_t pid, int pidfd, int err_fd, struct tail *t, int *status, bool *stopped)
{
	sigset_t s;
	int sfd, r = 0;
	long deadline = -1;

	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sfd = signalfd(-1, &s, SFD_CLOEXEC);
	for (bool done = false; !done;) {
		struct pollfd pf[3] = {{pidfd, POLLIN, 0}, {err_fd, POLLIN, 0}, {sfd, POLLIN, 0}};
		long left = deadline < 0 ? -1 : deadline - kwait_now_ms();
		int n = poll(pf, 3, deadline < 0 ? (pidfd < 0 ? 200 : -1) : (left > 0 ? (int)left : 0));
		char buf[512];
		if (n < 0 && errno != EINTR) {
			r = -errno; /* qemu_run kills it */
			break;
		}
		if (pf[1].revents) {
			ssize_t k = read(err_fd, buf, sizeof(buf));
			if (k > 0)
				tail_add(t, buf, (size_t)k);
			else
				err_fd = -1; /* closed: poll ignores a negative fd */
		}
		if (pf[2].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				audit(LOG_NOTICE, "play: signal %u: ending the VM", si.ssi_signo);
				kill(pid, SIGTERM);
				*stopped = true;
				deadline = kwait_now_ms() + QEMU_TERM_MS;
			}
		}
		if (deadline >= 0 && kwait_now_ms() >= deadline) {
			kill(pid, SIGKILL);
			deadline = -1;
		}
		pid_t w = (pidfd < 0 || pf[0].revents) ? waitpid(pid, status, WNOHANG) : 0;
		if (w == pid)
			done = true;
		else if (w < 0 && errno != EINTR) {
			r = -errno;
			done = true;
		}
	}
	/* what it wrote last, after its end */
	for (ssize_t k = 1; err_fd >= 0 && k > 0;) {
		char buf[512];
		int fl = fcntl(err_fd, F_GETFL);
		fcntl(err_fd, F_SETFL, fl | O_NONBLOCK);
		k = read(err_fd, buf, sizeof(buf));
		if (k > 0)
			tail_add(t, buf, (size_t)k);
	}
	if (sfd >= 0)
		close(sfd);
	return r;
}

/* The end of a wait that failed: QEMU MUST be gone before its nodes are
 * taken back, or it keeps the devices it holds.  SIGKILL through its
 * pidfd (a pid reaped already could be someone else's by now), then the
 * blocking reap; ECHILD: it was reaped already. */
static void qemu_kill(pid_t pid, int pidfd, int *status)
{
	if (pidfd >= 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	else
		kill(pid, SIGKILL); /* not reaped yet: waitpid never succeeded */
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/* QEMU from fork to its end: 0 when it exited 0, or ended by the SIGTERM
 * of a stop (the init system's, passed on); -EIO with what it said
 * otherwise. */
static int qemu_run(struct play *p, const struct switch_opts *so, struct ss_error *e)
{
	struct tail t = {.len = 0};
	int pfd[2], status = 0, pidfd, r;
	long s = kwait_now_ms();
	char pidstr[24], said[TAIL_LEN];
	bool stopped = false;
	pid_t pid, parent;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return ss_fail(e, -errno, "pipe: %s", strerror(errno));
	parent = getpid();
	pid = fork();
	if (pid == 0)
		qemu_exec(p, pfd[1], parent);
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return ss_fail(e, -errno, "fork: %s", strerror(errno));
	}
	/* before anything can reap it: the pidfd is this process's */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	snprintf(pidstr, sizeof(pidstr), "%ld", (long)pid);
	audit(LOG_NOTICE, "play: [vm %s] QEMU %s runs as %s (pid %s)", p->vm->name, p->argv.v[0], p->user,
	      pidstr);
	report(so, "qemu_start", pidstr, 0, 0, NULL);
	r = qemu_wait(pid, pidfd, pfd[0], &t, &status, &stopped);
	if (r < 0)
		qemu_kill(pid, pidfd, &status);
	if (pidfd >= 0)
		close(pidfd);
	close(pfd[0]);
	tail_lines(&t, said, sizeof(said));
	if (r < 0)
		r = ss_fail(e, r, "waiting for QEMU: %s", strerror(-r));
	else if ((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
		 (stopped && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM))
		r = 0;
	else if (WIFEXITED(status) && WEXITSTATUS(status) >= 126)
		r = ss_fail(e, -EIO, "%s could not be run as %s (%s)", p->argv.v[0], p->user,
			    WEXITSTATUS(status) == 127 ? "exec failed" : "dropping root failed");
	else if (WIFEXITED(status))
		r = ss_fail(e, -EIO, "QEMU exited with status %d: %.900s", WEXITSTATUS(status),
			    said[0] ? said : "(it said nothing)");
	else
		r = ss_fail(e, -EIO, "QEMU was killed by signal %d%s%.900s", WTERMSIG(status),
			    said[0] ? ": " : "", said);
	report(so, "qemu_end",
	       stopped		   ? "stopped"
	       : WIFEXITED(status) ? "exited"
				   : "killed",
	       kwait_now_ms() - s, r, r < 0 ? e->msg : NULL);
	audit(r < 0 ? LOG_WARNING : LOG_NOTICE, "play: [vm %s] QEMU ended: %s", p->vm->name,
	      r < 0 ? e->msg : "status 0");
	return r;
}

static int exit_of(enum switch_result res)
{
	static const int exits[] = {[SWITCH_OK] = EXIT_OK,
				    [SWITCH_REFUSED] = EXIT_REFUSED,
				    [SWITCH_ROLLED_BACK] = EXIT_ROLLED_BACK,
				    [SWITCH_LEFT] = EXIT_RECOVER};
	return exits[res];
}

int play_run(const struct machine *m, struct play *p, const struct switch_opts *so, struct ss_error *e)
{
	struct ss_error qe = {""}, te = {""};
	struct machine now;
	int rc, jdir = -1, r = 0;
	long s;

	/* a play cut off before its end lent nodes that are still lent */
	if (play_takeback(m, so, e) < 0)
		return EXIT_RECOVER;
	rc = exit_of(switch_run(m, MODE_VM, so, e));
	/* --detach: a switch that had nothing to do (already in vm mode) did
	 * not hand over; the caller gets its answer before the VM's lifetime */
	if (rc == EXIT_OK && so->before_change && so->before_change(so->arg, e) < 0)
		rc = EXIT_REFUSED;
	if (rc != EXIT_OK)
		return rc;
	/* the machine now, with the devices on vfio-pci and their nodes made */
	if (machine_load_real(&now, &m->conf, e) != MACHINE_OK) {
		machine_free(&now);
		return EXIT_RECOVER;
	}
	s = kwait_now_ms();
	jdir = journal_open_dir(&qe);
	r = jdir < 0 ? jdir : lend(&now, jdir, p, &qe);
	if (r == 0)
		r = vars_copy(&now, p, &qe);
	report(so, "lend", p->user, kwait_now_ms() - s, r, r < 0 ? qe.msg : NULL);
	if (r == 0) {
		audit(LOG_NOTICE, "play: lent %zu device nodes to %s", p->lend.n, p->user);
		r = qemu_run(p, so, &qe);
	}
	if (jdir >= 0) {
		if (play_takeback(&now, so, &te) < 0) {
			snprintf(e->msg, sizeof(e->msg), "%.900s", te.msg);
			rc = EXIT_RECOVER;
		}
		close(jdir);
	}
	if (rc == EXIT_OK && p->vm->return_host) {
		machine_free(&now);
		if (machine_load_real(&now, &m->conf, e) != MACHINE_OK)
			rc = EXIT_RECOVER;
		else
			rc = exit_of(switch_run(&now, MODE_HOST, so, e));
	} else if (rc == EXIT_OK) {
		report(so, "stay", "vm", 0, 0, NULL);
	}
	machine_free(&now);
	/* the VM's own failure, once the machine is back */
	if (rc == EXIT_OK && r < 0) {
		*e = qe;
		rc = EXIT_REFUSED;
	}
	return rc;
}
