/* Threat model: runs as root in the setuid helper, before the first change
 * of a switch and again after the display manager and the services are
 * stopped.  Any local user can start processes that hold the card, make
 * many of them, give them any name and open many files.  From that, a user
 * MUST NOT be able to:
 *  - make the switch go ahead while something of theirs holds the card (a
 *    remove under a held NVIDIA card never returns): the scan covers every
 *    node of the card and every process, and a process or file that cannot
 *    be read makes it refuse, naming it, rather than count as free;
 *  - stall the helper with a huge /proc: the scan has a deadline, and
 *    running out of it refuses, naming how far it got;
 *  - switch the card away under a running X server: a switch that leaves
 *    X up checks the X server like any other process, and one that holds
 *    a node of the card refuses it;
 *  - pass for a configured service by its name: such a process is only
 *    spared until the services are stopped; the check that follows the
 *    stop spares nobody;
 *  - get a signal or a write from us: the helper reads /proc and never
 *    kills (doc/design.md step 2);
 *  - put control characters into the helper's messages or log (process
 *    names are cleaned by audit_clean: doc/security.md rule 14).
 * The driver data file that names a driver's nodes is trusted only when
 * root alone can have written it (drvdata_load, rule 7). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "drvdata.h"
#include "holders.h"
#include "kwait.h"

/* How often a process's fd list is checked against the deadline. */
#define FDS_PER_CLOCK 256

static bool matches(const char *node, const char *const *prefixes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(prefixes[i]);
		if (strncmp(node, prefixes[i], l) != 0)
			continue;
		/* "/dev/snd/controlC1" must not match "/dev/snd/controlC10" */
		char next = node[l];
		if (next == '\0' || !isdigit((unsigned char)prefixes[i][l - 1]) ||
		    !isdigit((unsigned char)next))
			return true;
	}
	return false;
}

/* Is pid a process number: digits only, and short enough for our paths. */
static bool pid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A process that exited while we looked is not a holder; anything else
 * that keeps us from reading it is a hole in the scan. */
static bool gone(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

/* The systemd service of a process, from the last "NAME.service" of its
 * cgroup path; "" when it has none (OpenRC, runit, a login session). */
static void unit_of(const struct sysroot *sr, const char *pid, char *out, size_t len)
{
	char path[32], *text = NULL;
	const char *hit = NULL;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%.10s/cgroup", pid);
	if (sysroot_slurp(sr, path, 16384, &text) < 0)
		return;
	for (const char *p = text; (p = strstr(p, ".service")); p++)
		hit = p;
	if (hit) {
		const char *b = hit;
		while (b > text && b[-1] != '/' && b[-1] != '\n' && b[-1] != ':')
			b--;
		snprintf(out, len, "%.*s", (int)(hit - b), b);
	}
	free(text);
}

struct scan {
	const struct sysroot *sr;
	const char *const *prefixes;
	size_t nprefixes;
	struct holder *out;
	size_t max, stored, total;
	long deadline;
};

static int scan_process(struct scan *s, const char *pid, struct ss_error *e)
{
	char fddir[32], target[256];
	struct dirent *fe;
	struct stat st;
	size_t seen = 0;
	bool first = true;
	uid_t uid = (uid_t)-1;
	DIR *fds;
	int r;

	snprintf(fddir, sizeof(fddir), "/proc/%.10s/fd", pid);
	r = sysroot_opendir(s->sr, fddir, &fds);
	if (r < 0)
		return gone(r) ? 0
			       : ss_fail(e, r, "cannot read the open files of process %s (%s): %s", pid,
					 fddir, strerror(-r));
	while (r == 0 && (errno = 0, fe = readdir(fds))) {
		if (++seen % FDS_PER_CLOCK == 0 && kwait_now_ms() > s->deadline) {
			r = -ETIMEDOUT;
			break;
		}
		if (!pid_name(fe->d_name))
			continue;
		/* through the directory already open: one call per open file */
		ssize_t n = sysroot_readlinkat(dirfd(fds), fe->d_name, target, sizeof(target));
		/* a path longer than the buffer is no device node we look for */
		if (n < 0 && !gone((int)n) && n != -ENAMETOOLONG)
			r = ss_fail(e, (int)n, "cannot read %s/%.10s of process %s: %s", fddir, fe->d_name,
				    pid, strerror((int)-n));
		if (n < 0 || !matches(target, s->prefixes, s->nprefixes))
			continue;
		s->total++;
		if (s->stored == s->max)
			continue;
		struct holder *h = &s->out[s->stored++];
		memset(h, 0, sizeof(*h));
		h->pid = (pid_t)atol(pid);
		h->fd = atoi(fe->d_name);
		snprintf(h->node, sizeof(h->node), "%.*s", (int)sizeof(h->node) - 1, target);
		if (first) {
			char comm[40];
			/* whose it is, asked only of a process that holds something */
			if (fstat(dirfd(fds), &st) == 0)
				uid = st.st_uid;
			snprintf(comm, sizeof(comm), "/proc/%.10s/comm", pid);
			if (sysroot_read(s->sr, comm, h->comm, sizeof(h->comm)) < 0)
				snprintf(h->comm, sizeof(h->comm), "?");
			unit_of(s->sr, pid, h->unit, sizeof(h->unit));
			first = false;
		} else {
			memcpy(h->comm, h[-1].comm, sizeof(h->comm));
			memcpy(h->unit, h[-1].unit, sizeof(h->unit));
		}
		h->uid = uid;
	}
	if (r == 0 && errno)
		r = gone(-errno) ? 0 : ss_fail(e, -errno, "cannot list %s: %s", fddir, strerror(errno));
	if (r == -ETIMEDOUT)
		ss_fail(e, r, "the open files of process %s (%s) were not all read", pid, fddir);
	closedir(fds);
	return r;
}

int holders_scan(const struct sysroot *sr, const char *const *prefixes, size_t nprefixes, struct holder *out,
		 size_t max, size_t *total, long deadline_ms, struct ss_error *e)
{
	struct scan s = {sr, prefixes, nprefixes, out, max, 0, 0, deadline_ms};
	struct dirent *pe;
	size_t done = 0, left = 0;
	char at[16] = "";
	DIR *proc;
	int r;

	*total = 0;
	r = sysroot_opendir(sr, "/proc", &proc);
	if (r < 0)
		return ss_fail(e, r, "cannot list /proc: %s", strerror(-r));
	while (r == 0 && (pe = readdir(proc))) {
		if (!pid_name(pe->d_name))
			continue;
		if (kwait_now_ms() > deadline_ms) {
			snprintf(at, sizeof(at), "%.10s", pe->d_name);
			r = -ETIMEDOUT;
		} else {
			r = scan_process(&s, pe->d_name, e);
			done++;
		}
	}
	if (r == -ETIMEDOUT) {
		/* say how much of /proc was never looked at */
		while ((pe = readdir(proc)))
			left += pid_name(pe->d_name);
		if (at[0])
			ss_fail(
			    e, r,
			    "the holder scan ran out of time after %zu processes: process %s and %zu more "
			    "were not read",
			    done, at, left);
		else
			snprintf(e->msg + strlen(e->msg), sizeof(e->msg) - strlen(e->msg),
				 ", and %zu processes "
				 "after it were not read",
				 left);
	}
	closedir(proc);
	*total = s.total;
	return r < 0 ? r : (int)s.stored;
}

/* --- the nodes of the card ---------------------------------------------------- */

struct nodes {
	char store[64][HOLDERS_NODE];
	const char *p[64];
	size_t n;
};

/* One node or prefix, the concatenation of a, b and c. */
static void node_add(struct nodes *ns, const char *a, const char *b, const char *c)
{
	if (ns->n == sizeof(ns->store) / sizeof(ns->store[0]))
		return;
	snprintf(ns->store[ns->n], HOLDERS_NODE, "%.40s%.40s%.14s", a, b, c);
	ns->p[ns->n] = ns->store[ns->n];
	ns->n++;
}

/* The I2C adapters of a function: NVIDIA's own buses hang from the PCI
 * device, a DRM driver's DDC buses from its connectors. */
static void i2c_nodes(const struct sysroot *sr, const struct pci_dev *d, struct nodes *ns)
{
	char dir[160];
	struct dirent *de;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", d->name);
	if (sysroot_opendir(sr, dir, &dp) == 0) {
		while ((de = readdir(dp)))
			if (strncmp(de->d_name, "i2c-", 4) == 0 && isdigit((unsigned char)de->d_name[4]))
				node_add(ns, "/dev/", de->d_name, "");
		closedir(dp);
	}
	if (!d->drm_card[0])
		return;
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/drm/%.15s", d->name, d->drm_card);
	if (sysroot_opendir(sr, dir, &dp) < 0)
		return;
	while ((de = readdir(dp))) {
		char conn[448];
		struct dirent *ce;
		DIR *cp;
		if (strncmp(de->d_name, d->drm_card, strlen(d->drm_card)) != 0 ||
		    de->d_name[strlen(d->drm_card)] != '-')
			continue;
		snprintf(conn, sizeof(conn), "%s/%.255s", dir, de->d_name);
		if (sysroot_opendir(sr, conn, &cp) < 0)
			continue;
		while ((ce = readdir(cp)))
			if (strncmp(ce->d_name, "i2c-", 4) == 0 && isdigit((unsigned char)ce->d_name[4]))
				node_add(ns, "/dev/", ce->d_name, "");
		closedir(cp);
	}
	closedir(dp);
}

static bool in_target(const struct target *t, const struct pci_addr *a)
{
	for (size_t i = 0; i < t->n; i++)
		if (pci_addr_cmp(&t->fn[i].addr, a) == 0)
			return true;
	return false;
}

/* The driver's own nodes (from its data file); the shared ones only while
 * no card outside the VM's functions is on that driver. */
static int driver_nodes(const struct machine *m, const struct pci_dev *d, bool spare, struct nodes *ns,
			char *held, size_t hlen, struct ss_error *e)
{
	struct drvdata dd;
	char minor[8], node[HOLDERS_NODE], shown[2 * DRVDATA_PATH];
	bool alone = true;
	int r;

	r = drvdata_load(&m->root, d->driver, !m->root.prefixed, &dd, e);
	if (r < 0 || !dd.found)
		return r;
	drvdata_card_minor(&m->root, &dd, d->name, minor, sizeof(minor));
	for (size_t i = 0; i < dd.nnodes; i++)
		if (drvdata_expand(dd.nodes[i], d->name, minor, node, sizeof(node)) == 0)
			node_add(ns, node, "", "");
	for (size_t i = 0; i < m->devs.n; i++)
		alone &= in_target(&m->target, &m->devs.dev[i].addr) ||
			 strcmp(m->devs.dev[i].driver, d->driver) != 0;
	for (size_t i = 0; alone && i < dd.nshared; i++)
		node_add(ns, dd.shared[i], "", "");
	/* [host] persistence: the switch turns it off itself, as a row */
	spare = spare && m->conf.persistence && dd.npm_off && dd.npm_on;
	if (!spare && drvdata_persistence_held(&m->root, &dd, d->name, shown, sizeof(shown)) &&
	    snprintf(held, hlen,
		     "the %s driver holds %s with no file open (legacy persistence mode: %s says "
		     "so); turn it off (nvidia-smi -i %s -pm 0), or set [host] persistence = yes for "
		     "the switch to turn it off and on again%s; ",
		     d->driver, d->name, shown, d->name,
		     dd.npm_off && dd.npm_on
			 ? ""
			 : " (with persistence_off and persistence_on in its data file)") >= (int)hlen)
		snprintf(held + hlen - 3, 3, "; "); /* its "; " joins it to the list */
	return 0;
}

static int card_nodes(const struct machine *m, enum mode to, bool spare, struct nodes *ns, char *held,
		      size_t hlen, struct ss_error *e)
{
	const struct target *t = &m->target;
	int r = 0;

	for (size_t i = 0; i < t->n && r == 0; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		if (!d)
			continue;
		if (to == MODE_VM) {
			if (d->drm_card[0])
				node_add(ns, "/dev/dri/", d->drm_card, "");
			if (d->drm_render[0])
				node_add(ns, "/dev/dri/", d->drm_render, "");
			if (d->sound_card[0]) {
				const char *num = d->sound_card + 4; /* "card1" -> "1" */
				node_add(ns, "/dev/snd/controlC", num, "");
				node_add(ns, "/dev/snd/pcmC", num, "D");
				node_add(ns, "/dev/snd/hwC", num, "D");
			}
			i2c_nodes(&m->root, d, ns);
			if (d->driver[0] && strcmp(d->driver, VFIO_DRIVER) != 0)
				r = driver_nodes(m, d, spare, ns, held, hlen, e);
		} else if (d->iommu_group >= 0 && strcmp(d->driver, VFIO_DRIVER) == 0) {
			char g[16];
			snprintf(g, sizeof(g), "%d", d->iommu_group);
			node_add(ns, "/dev/vfio/", g, "");
		}
	}
	return r;
}

/* A configured service's own process: its systemd unit, or its name as
 * the kernel keeps it (16 bytes with the NUL). */
static bool of_service(const struct ss_config *c, const struct holder *h)
{
	for (size_t i = 0; i < c->nservices; i++) {
		const char *jn = config_service_jname(&c->services[i]);
		if ((h->unit[0] && strcmp(h->unit, jn) == 0) ||
		    (h->comm[0] && strncmp(h->comm, jn, 15) == 0 &&
		     strlen(h->comm) == (strlen(jn) < 15 ? strlen(jn) : 15)))
			return true;
	}
	return false;
}

int holders_check(const struct machine *m, const struct holders_opts *o, struct ss_error *e)
{
	struct nodes *ns = calloc(1, sizeof(*ns));
	struct holder h[HOLDERS_MAX];
	char held[768] = "", list[768] = "";
	size_t total = 0, used = 0, shown = 0, spared = 0;
	bool x_holds = false;
	size_t x_files = 0;
	int found = 0, r;

	if (!ns)
		return ss_fail(e, -ENOMEM, "out of memory");
	r = card_nodes(m, o->to, o->spare_services, ns, held, sizeof(held), e);
	if (r == 0 && ns->n)
		found = holders_scan(&m->root, ns->p, ns->n, h, HOLDERS_MAX, &total,
				     kwait_now_ms() + o->timeout_ms, e);
	if (r == 0 && found < 0) {
		char why[SS_ERRLEN];
		snprintf(why, sizeof(why), "%s", e->msg);
		r = ss_fail(e, found,
			    "could not tell who holds the card, so nothing was changed: %.700s. Try again; "
			    "if it persists, find what keeps /proc from being read",
			    why);
	}
	for (int i = 0; r == 0 && i < found; i++) {
		char comm[32], user[40];
		struct passwd *pw;
		if (h[i].pid == o->exclude_pid) {
			total--;
			continue;
		}
		if (o->spare_services && of_service(&m->conf, &h[i])) {
			spared++;
			continue;
		}
		if (o->x_pid > 0 && h[i].pid == o->x_pid) {
			x_holds = true;
			x_files++;
		}
		audit_clean(h[i].comm, comm, sizeof(comm));
		pw = getpwuid(h[i].uid);
		if (pw)
			audit_clean(pw->pw_name, user, sizeof(user));
		else
			snprintf(user, sizeof(user), "uid %u", (unsigned)h[i].uid);
		int w = snprintf(list + used, sizeof(list) - used, "%s%s (pid %d, user %s) has %s open",
				 shown ? "; " : "", comm, (int)h[i].pid, user, h[i].node);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w, shown++;
	}
	/* the holders that did not fit are counted, never dropped */
	if (r == 0 && total > shown + spared && used + 40 < sizeof(list))
		snprintf(list + used, sizeof(list) - used, "%s%zu more open file(s) of the card",
			 shown ? "; and " : "", total - shown - spared);
	if (held[0] && !list[0])
		held[strlen(held) - 2] = '\0'; /* its "; " joins it to the list */
	if (r == 0 && (list[0] || held[0]))
		r = ss_fail(e, -EBUSY, "the devices are in use: %s%s. %s%s", held, list,
			    /* X alone: nothing of the user's to close */
			    !list[0] || (x_holds && x_files == total - spared)
				? "Nothing was changed"
				: "Close those programs (session-switch never kills them) and try again",
			    x_holds
				? ". The X server stays up in this switch ([host] offload, or a card without "
				  "outputs), so it must not use the card: give its configuration Option "
				  "\"AutoAddGPU\" \"off\" (the variants of session-switch setup have it) "
				  "and log out once, so that X starts again without it; or, for a card with "
				  "outputs, set [host] offload = no and the switch restarts X"
				: "");
	free(ns);
	return r;
}
