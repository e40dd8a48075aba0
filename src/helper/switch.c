/* Threat model: runs as root inside the setuid helper, for a user who may
 * only choose *that* the machine switches.  Everything it touches comes from
 * the root-owned configuration or from detection, never from the caller.
 * It MUST leave the machine either switched, or back where it started, or
 * (when even the rollback fails, or it is killed) with a pending journal
 * that `recover` can act on (SECURITY.md rule 16): the journal is written
 * durably before the first change. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/reboot.h>
#include <syslog.h>

#include "audit.h"
#include "holders.h"
#include "kwait.h"
#include "pciop.h"
#include "spawn.h"
#include "display.h"
#include "drm_probe.h"
#include "switch.h"
#include "variant.h"

struct ctx {
	const struct machine *m;
	const struct switch_opts *o;
	struct pciop op;
	struct kwait kw;
	int jdir;
	struct journal j;
	int devstep;                     /* device steps begun, for fault injection */
	char satisfied[SS_MAX_FUNCS][PCI_ADDR_LEN]; /* already on the override's driver */
	size_t nsatisfied;
};

static void report(struct ctx *c, const char *phase, const char *action, const char *dev, const char *value,
		   long ms, int result, const char *detail)
{
	struct switch_report r = { phase, action, dev ? dev : "", value ? value : "", ms, result,
				   detail ? detail : "" };
	if (c->o->progress)
		c->o->progress(c->o->arg, &r);
}

/* --- waiting on the kernel --------------------------------------------- */

struct drv_cond {
	struct ctx *c;
	const char *dev;
	const char *want; /* a driver, "!vfio-pci" (any other), or "" (none) */
};

static bool driver_is(void *arg)
{
	struct drv_cond *d = arg;
	char now[PCI_DRIVER_LEN];
	if (pciop_driver(&d->c->op, d->dev, now, sizeof(now)) < 0)
		return false;
	if (d->want[0] == '!')
		return now[0] && strcmp(now, d->want + 1) != 0;
	return strcmp(now, d->want) == 0;
}

struct path_cond {
	const struct sysroot *sr;
	const char *path;
};

static bool path_exists(void *arg)
{
	struct path_cond *p = arg;
	return sysroot_exists(p->sr, p->path);
}

struct dev_cond {
	struct ctx *c;
	const char *dev;
};

static bool dev_present(void *arg)
{
	struct dev_cond *d = arg;
	return pciop_present(&d->c->op, d->dev);
}

static int wait_driver(struct ctx *c, const char *dev, const char *want, struct ss_error *e)
{
	struct drv_cond d = { c, dev, want };
	if (kwait_until(&c->kw, driver_is, &d, c->o->wait_timeout_ms) == 0)
		return 0;
	char now[PCI_DRIVER_LEN] = "";
	pciop_driver(&c->op, dev, now, sizeof(now));
	if (want[0] == '!')
		return ss_fail(e, -ETIMEDOUT, "%s: no driver other than %s took it within %d ms (now: %s); "
			       "is its host driver loaded? name it in [host] drivers", dev, want + 1,
			       c->o->wait_timeout_ms, now[0] ? now : "none");
	return ss_fail(e, -ETIMEDOUT, "%s: not bound to %s within %d ms (now: %s)", dev, want[0] ? want : "no driver",
		       c->o->wait_timeout_ms, now[0] ? now : "none");
}

/* --- the device steps -------------------------------------------------- */

static bool is_satisfied(struct ctx *c, const char *dev)
{
	for (size_t i = 0; i < c->nsatisfied; i++)
		if (strcmp(c->satisfied[i], dev) == 0)
			return true;
	return false;
}

/* A driver that is not registered (after a reboot, vfio-pci is not loaded
 * until someone asks) is loaded by its name: modprobe maps '-' and '_'.
 * The name comes from the configuration or the journal, both root's, and
 * was validated as a driver name. */
static int ensure_driver(struct ctx *c, const char *drv, struct ss_error *e)
{
	char path[96];
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", drv);
	if (!drv[0] || sysroot_exists(&c->m->root, path))
		return 0;
	if (!config_valid_driver(drv))
		return ss_fail(e, -EINVAL, "\"%s\" is not a driver name", drv);
	char *argv[] = { "modprobe", (char *)drv, NULL };
	int r = spawn_wait(MODPROBE_PATH, argv, c->o->wait_timeout_ms, e);
	if (r != 0)
		return ss_fail(e, r < 0 ? r : -ENOENT, "driver %s is not loaded and " MODPROBE_PATH
			       " %s failed: is its module installed for this kernel?", drv, drv);
	struct path_cond p = { &c->m->root, path };
	if (kwait_until(&c->kw, path_exists, &p, c->o->wait_timeout_ms) < 0)
		return ss_fail(e, -ETIMEDOUT, "module %s loaded but no PCI driver %s registered", drv, drv);
	return 0;
}

static int do_step(struct ctx *c, const struct plan_step *s, struct ss_error *e)
{
	switch (s->kind) {
	case STEP_MODPROBE:
		return ensure_driver(c, s->value, e);
	case STEP_REMOVE:
		return pciop_remove(&c->op, s->device, e);
	case STEP_RESCAN:
		return pciop_rescan(&c->op, e);
	case STEP_WAIT_DEVICE: {
		struct dev_cond d = { c, s->device };
		if (kwait_until(&c->kw, dev_present, &d, c->o->wait_timeout_ms) < 0)
			return ss_fail(e, -ETIMEDOUT, "%s did not come back after the rescan within %d ms",
				       s->device, c->o->wait_timeout_ms);
		return 0;
	}
	case STEP_OVERRIDE:
		if (s->value[0]) {
			int r = ensure_driver(c, s->value, e);
			if (r < 0)
				return r;
			/* Already on it (a rescan bound the host driver): nothing to
			 * move; its unbind and probe are skipped. */
			char now[PCI_DRIVER_LEN];
			if (pciop_driver(&c->op, s->device, now, sizeof(now)) == 0 && strcmp(now, s->value) == 0 &&
			    c->nsatisfied < SS_MAX_FUNCS)
				snprintf(c->satisfied[c->nsatisfied++], PCI_ADDR_LEN, "%s", s->device);
		}
		return pciop_set_override(&c->op, s->device, s->value, e);
	case STEP_UNBIND:
		return is_satisfied(c, s->device) ? 0 : pciop_unbind(&c->op, s->device, e);
	case STEP_PROBE:
		return is_satisfied(c, s->device) ? 0 : pciop_probe(&c->op, s->device, e);
	case STEP_WAIT_DRIVER:
		return wait_driver(c, s->device, s->value, e);
	}
	return ss_fail(e, -EINVAL, "unknown step");
}

/* --- preflight ----------------------------------------------------------- */

static int check_holders(struct ctx *c, enum mode to, int exclude_pid, struct ss_error *e)
{
	const struct target *t = &c->m->target;
	char store[SS_MAX_FUNCS * 6][48];
	const char *prefixes[SS_MAX_FUNCS * 6 + 1];
	struct holder h[HOLDERS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&c->m->devs, &t->fn[i].addr);
		if (to == MODE_VM) {
			if (d->drm_card[0])
				snprintf(store[n++], 48, "/dev/dri/%s", d->drm_card);
			if (d->drm_render[0])
				snprintf(store[n++], 48, "/dev/dri/%s", d->drm_render);
			if (d->sound_card[0]) {
				const char *num = d->sound_card + 4; /* "card1" -> "1" */
				snprintf(store[n++], 48, "/dev/snd/controlC%s", num);
				snprintf(store[n++], 48, "/dev/snd/pcmC%sD", num);
				snprintf(store[n++], 48, "/dev/snd/hwC%sD", num);
			}
		} else if (d->iommu_group >= 0 && strcmp(d->driver, VFIO_DRIVER) == 0) {
			snprintf(store[n++], 48, "/dev/vfio/%d", d->iommu_group);
		}
	}
	for (size_t i = 0; i < n; i++)
		prefixes[i] = store[i];
	/* NVIDIA's proprietary driver has its own nodes beside DRM's; they
	 * exist only where it is loaded, and only for the discrete card. */
	if (to == MODE_VM)
		prefixes[n++] = "/dev/nvidia";
	int found = holders_scan(&c->m->root, prefixes, n, h, HOLDERS_MAX);
	/* The X server is stopped by the switch itself. */
	int kept = 0;
	for (int i = 0; i < found; i++)
		if (h[i].pid != exclude_pid)
			h[kept++] = h[i];
	found = kept;
	if (found <= 0)
		return 0;
	char list[768] = "";
	size_t used = 0;
	for (int i = 0; i < found; i++) {
		char comm[32];
		audit_clean(h[i].comm, comm, sizeof(comm));
		int w = snprintf(list + used, sizeof(list) - used, "%s%s (pid %d) has %s open", i ? "; " : "",
				 comm, (int)h[i].pid, h[i].node);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w;
	}
	return ss_fail(e, -EBUSY, "the devices are in use: %s. Close those programs (session-switch never "
		       "kills them) and try again", list);
}

/* --- journal --------------------------------------------------------------- */

static int journal_begin(struct ctx *c, enum mode to, struct ss_error *e)
{
	const struct target *t = &c->m->target;
	struct journal *j = &c->j;

	memset(j, 0, sizeof(*j));
	j->state = JOURNAL_PENDING;
	j->to = to;
	j->from = to == MODE_VM ? MODE_HOST : MODE_VM;
	j->uid = c->o->ruid;
	j->started = (long long)time(NULL);
	j->has_bridge = t->has_bridge;
	j->bridge = t->bridge;
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&c->m->devs, &t->fn[i].addr);
		struct journal_fn *f = &j->fn[j->n++];
		f->addr = t->fn[i].addr;
		snprintf(f->before, sizeof(f->before), "%s", d->driver);
		snprintf(f->host, sizeof(f->host), "%s", t->fn[i].host_driver);
		snprintf(f->after, sizeof(f->after), "%s", to == MODE_VM ? VFIO_DRIVER : t->fn[i].host_driver);
		if (strcmp(d->driver, VFIO_DRIVER) != 0 && d->driver[0]) {
			/* In host mode now: note what its driver made. */
			snprintf(f->had, sizeof(f->had), "%s%s%s", d->sound_card[0] ? "sound" : "",
				 d->sound_card[0] && d->drm_card[0] ? "," : "", d->drm_card[0] ? "drm" : "");
		} else if (c->m->journal_err == 0) {
			const struct journal_fn *old = journal_find(&c->m->journal, &f->addr);
			if (old)
				snprintf(f->had, sizeof(f->had), "%s", old->had);
		}
	}
	return journal_save(c->jdir, j, e);
}

/* --- verification ----------------------------------------------------------- */

static int verify(struct ctx *c, enum mode to, bool use_before, struct ss_error *e)
{
	for (size_t i = 0; i < c->j.n; i++) {
		const struct journal_fn *f = &c->j.fn[i];
		char dev[PCI_ADDR_LEN];
		const char *want = use_before ? f->before : f->after;
		pci_addr_format(&f->addr, dev);
		if (!want[0] && !use_before)
			want = "!" VFIO_DRIVER;
		if (wait_driver(c, dev, want, e) < 0)
			return -EIO;
		const struct pci_dev *d = pci_find(&c->m->devs, &f->addr);
		if (to == MODE_VM && d && d->iommu_group >= 0) {
			char node[32];
			snprintf(node, sizeof(node), "/dev/vfio/%d", d->iommu_group);
			struct path_cond p = { &c->m->root, node };
			if (kwait_until(&c->kw, path_exists, &p, c->o->wait_timeout_ms) < 0)
				return ss_fail(e, -EIO, "%s is on vfio-pci but %s did not appear", dev, node);
		}
	}
	return 0;
}

struct card_cond {
	const struct sysroot *sr;
	struct pci_addr addr;
	bool sound, drm;
};

static bool cards_back(void *arg)
{
	struct card_cond *cc = arg;
	struct pci_list l;
	bool ok = false;
	if (pci_scan(cc->sr, &l, NULL) < 0)
		return false;
	const struct pci_dev *d = pci_find(&l, &cc->addr);
	ok = d && (!cc->sound || d->sound_card[0]) && (!cc->drm || d->drm_card[0]);
	pci_list_free(&l);
	return ok;
}

/* Back in host mode, each function's driver has made again what it had
 * made before (an ALSA card, a DRM card): the sound and the display are
 * back only then.  Drivers register these asynchronously, so this runs
 * last, after X has started on its own GPU. */
static int verify_cards(struct ctx *c, struct ss_error *e)
{
	for (size_t i = 0; i < c->j.n; i++) {
		const struct journal_fn *f = &c->j.fn[i];
		struct card_cond cc = { &c->m->root, f->addr, strstr(f->had, "sound") != NULL,
					strstr(f->had, "drm") != NULL };
		char dev[PCI_ADDR_LEN];
		if (!cc.sound && !cc.drm)
			continue;
		pci_addr_format(&f->addr, dev);
		if (kwait_until(&c->kw, cards_back, &cc, c->o->wait_timeout_ms) < 0)
			return ss_fail(e, -EIO, "%s is back on its driver but its %s did not come back within %d ms",
				       dev, f->had, c->o->wait_timeout_ms);
	}
	return 0;
}

/* --- fault injection (test builds set the fault) ------------------------------------ */

static void inject(struct ctx *c, struct ss_error *e, int *r)
{
	if (c->o->fault == FAULT_NONE || c->devstep != c->o->fault_step)
		return;
	if (c->o->fault == FAULT_DIE) {
		/* As a crash or kill -9 would: no cleanup, no rollback. */
		raise(SIGKILL);
	}
	if (c->o->fault == FAULT_POWEROFF) {
		/* As a power cut would: no sync beyond what the journal did. */
		reboot(RB_POWER_OFF);
	}
	*r = ss_fail(e, -EIO, "injected failure at device step %d", c->devstep);
}

/* --- the display ------------------------------------------------------------------ */

/* The GPU X runs on in a mode: the iGPU in vm mode, the dGPU in host mode. */
static struct pci_addr mode_gpu(const struct ctx *c, enum mode m)
{
	const struct target *t = &c->m->target;
	for (size_t i = 0; m == MODE_HOST && i < t->n; i++) {
		const struct pci_dev *d = pci_find(&c->m->devs, &t->fn[i].addr);
		if (d && pci_is_display(d))
			return d->addr;
	}
	return t->igpu;
}

/* DESIGN.md steps 7 and 8: the new GPU drives a connected display, then X
 * comes up on it, confirmed from outside. */
static int display_up(struct ctx *c, enum mode to, struct ss_error *e)
{
	/* its DRM card registered (a driver may do that after its probe) */
	struct card_cond dc = { &c->m->root, mode_gpu(c, to), false, true };
	struct drm_probe probe;
	char info[256];
	long s = kwait_now_ms();
	int r;

	c->devstep++;
	r = 0;
	inject(c, e, &r);
	if (r == 0 && kwait_until(&c->kw, cards_back, &dc, c->o->wait_timeout_ms) < 0) {
		char g[PCI_ADDR_LEN];
		pci_addr_format(&dc.addr, g);
		r = ss_fail(e, -ENODEV, "the GPU at %s has no DRM device: is its kernel driver loaded?", g);
	}
	if (r == 0 && (r = drm_probe_all(&probe, e)) == 0)
		r = drm_probe_require_display(&probe, &dc.addr, e);
	report(c, "display", "drm_probe", NULL, mode_str(to), kwait_now_ms() - s, r, r ? e->msg : NULL);
	if (r < 0)
		return r;
	s = kwait_now_ms();
	c->devstep++;
	inject(c, e, &r);
	if (r == 0)
		r = display_start(&c->m->conf, &c->m->root, &dc.addr, c->o->wait_timeout_ms * 3, info, sizeof(info), e);
	if (r == 1) {
		/* [display] manager = none: X is started by the user. */
		fprintf(stderr, "session-switch: the devices are switched; start X yourself now (startx)\n");
		snprintf(info, sizeof(info), "startx");
	}
	report(c, "display", "start", NULL, info, kwait_now_ms() - s, r < 0 ? r : 0, r < 0 ? e->msg : NULL);
	audit(r < 0 ? LOG_ERR : LOG_INFO, "X start: %s %s (%ld ms)", r < 0 ? e->msg : "ok", info, kwait_now_ms() - s);
	return r < 0 ? r : 0;
}

/* --- rollback ------------------------------------------------------------------ */

/* Put one function back on `drv` ("" = unbound). */
static int move_back(struct ctx *c, const char *dev, const char *drv, struct ss_error *e)
{
	int r;
	if (!pciop_present(&c->op, dev) && (r = pciop_rescan(&c->op, e)) < 0)
		return r; /* a removed bridge: bring the functions back first */
	struct dev_cond dc = { c, dev };
	if (kwait_until(&c->kw, dev_present, &dc, c->o->wait_timeout_ms) < 0)
		return ss_fail(e, -ENODEV, "%s is gone and a rescan did not bring it back", dev);
	struct drv_cond d = { c, dev, drv };
	if (drv[0] && driver_is(&d)) {
		/* already there; leave an override only where vfio-pci needs it */
		return pciop_set_override(&c->op, dev, strcmp(drv, VFIO_DRIVER) == 0 ? VFIO_DRIVER : "", e);
	}
	if ((r = ensure_driver(c, drv, e)) < 0)
		return r;
	if ((r = pciop_set_override(&c->op, dev, drv, e)) < 0)
		return r;
	if ((r = pciop_unbind(&c->op, dev, e)) < 0)
		return r;
	if (!drv[0])
		return 0;
	if ((r = pciop_probe(&c->op, dev, e)) < 0)
		return r;
	if ((r = wait_driver(c, dev, drv, e)) < 0)
		return r;
	if (strcmp(drv, VFIO_DRIVER) != 0)
		return pciop_set_override(&c->op, dev, "", e);
	return 0;
}

static enum switch_result rollback(struct ctx *c, struct ss_error *why)
{
	struct ss_error e = { "" };
	long t0 = kwait_now_ms();
	int r = 0;

	audit(LOG_WARNING, "switch to %s failed (%s); rolling back to %s", mode_str(c->j.to), why->msg,
	      mode_str(c->j.from));
	if (display_managed(&c->m->conf) && display_x_pid(&c->m->root, c->m->conf.display) > 0) {
		/* X came up on the new GPU but is not right: it goes first. */
		r = display_stop(&c->m->conf, &c->m->root, c->o->wait_timeout_ms * 3, &e);
		report(c, "rollback", "display_stop", NULL, NULL, kwait_now_ms() - t0, r, r ? e.msg : NULL);
	}
	for (size_t i = 0; i < c->j.n && r == 0; i++) {
		char dev[PCI_ADDR_LEN];
		long s = kwait_now_ms();
		pci_addr_format(&c->j.fn[i].addr, dev);
		r = move_back(c, dev, c->j.fn[i].before, &e);
		report(c, "rollback", "restore", dev, c->j.fn[i].before, kwait_now_ms() - s, r, r ? e.msg : NULL);
	}
	if (r == 0)
		r = verify(c, c->j.from, true, &e);
	if (r == 0 && c->j.from == MODE_HOST)
		r = verify_cards(c, &e);
	if (r < 0) {
		audit(LOG_ERR, "rollback failed: %s; journal left pending for recover", e.msg);
		char both[SS_ERRLEN];
		snprintf(both, sizeof(both), "%.400s; the rollback failed too: %.400s. Run session-switch recover",
			 why->msg, e.msg);
		snprintf(why->msg, sizeof(why->msg), "%s", both);
		return SWITCH_LEFT;
	}
	if (variant_select(&c->m->root, c->j.from, &e) < 0) {
		snprintf(why->msg + strlen(why->msg), sizeof(why->msg) - strlen(why->msg),
			 "; the devices are back but %.300s", e.msg);
		return SWITCH_LEFT;
	}
	if (display_managed(&c->m->conf) && display_x_pid(&c->m->root, c->m->conf.display) == 0) {
		/* The previous X, on the previous GPU: the user gets a screen. */
		char info[256];
		struct pci_addr g = mode_gpu(c, c->j.from);
		long s = kwait_now_ms();
		int dr = display_start(&c->m->conf, &c->m->root, &g, c->o->wait_timeout_ms * 3, info, sizeof(info), &e);
		report(c, "rollback", "display_start", NULL, info, kwait_now_ms() - s, dr < 0 ? dr : 0,
		       dr < 0 ? e.msg : NULL);
		if (dr < 0)
			snprintf(why->msg + strlen(why->msg), sizeof(why->msg) - strlen(why->msg),
				 "; rolled back, but X did not come back: %.300s", e.msg);
	}
	c->j.state = JOURNAL_DONE;
	c->j.to = c->j.from;
	for (size_t i = 0; i < c->j.n; i++)
		snprintf(c->j.fn[i].after, sizeof(c->j.fn[i].after), "%s", c->j.fn[i].before);
	if (journal_save(c->jdir, &c->j, &e) < 0) {
		snprintf(why->msg + strlen(why->msg), sizeof(why->msg) - strlen(why->msg),
			 "; rolled back, but the journal could not be updated: %.200s", e.msg);
		return SWITCH_LEFT;
	}
	report(c, "rollback", "done", NULL, mode_str(c->j.to), kwait_now_ms() - t0, 0, NULL);
	audit(LOG_NOTICE, "rolled back to %s", mode_str(c->j.to));
	return SWITCH_ROLLED_BACK;
}

/* --- the transaction ------------------------------------------------------------- */

static void ctx_init(struct ctx *c, const struct machine *m, const struct switch_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->m = m;
	c->o = o;
	c->jdir = -1;
	c->kw.fd = -1;
	c->op.devices_fd = c->op.bus_fd = -1;
}

static int ctx_open(struct ctx *c, struct ss_error *e)
{
	int r;
	if ((r = pciop_open(&c->op, &c->m->root, c->o->write_timeout_ms, e)) < 0)
		return r;
	kwait_open(&c->kw); /* without it, waits fall back to re-checking */
	c->jdir = journal_open_dir(e);
	return c->jdir < 0 ? c->jdir : 0;
}

static void ctx_close(struct ctx *c)
{
	if (c->jdir >= 0)
		close(c->jdir);
	kwait_close(&c->kw);
	pciop_close(&c->op);
}

enum switch_result switch_run(const struct machine *m, enum mode to, const struct switch_opts *o,
			      struct ss_error *e)
{
	struct ctx c;
	struct plan p;
	long t0;
	int r;

	ctx_init(&c, m, o);
	if (m->journal_err == 0 && m->journal.state == JOURNAL_PENDING) {
		ss_fail(e, -EAGAIN, "a switch to %s was interrupted and is still pending in "
			JOURNAL_DIR "/" JOURNAL_FILE "; run session-switch recover first", mode_str(m->journal.to));
		return SWITCH_LEFT;
	}
	if (m->journal_err && m->journal_err != -ENOENT) {
		*e = m->journal_msg;
		return SWITCH_LEFT;
	}

	t0 = kwait_now_ms();
	plan_build(m, to, &p);
	for (size_t i = 0; i < p.nchecks; i++)
		report(&c, "preflight", p.checks[i].name, NULL, check_status_str(p.checks[i].status), 0,
		       p.checks[i].status == CHECK_FAIL ? -EPERM : 0, p.checks[i].detail);
	if (p.refused) {
		for (size_t i = 0; i < p.nchecks; i++)
			if (p.checks[i].status == CHECK_FAIL) {
				ss_fail(e, -EPERM, "%s (fix: %s)", p.checks[i].detail, p.checks[i].fix);
				break;
			}
		return SWITCH_REFUSED;
	}
	if (p.nothing_to_do) {
		report(&c, "preflight", "nothing_to_do", NULL, mode_str(to), kwait_now_ms() - t0, 0, NULL);
		return SWITCH_OK;
	}
	if ((r = ctx_open(&c, e)) < 0) {
		ctx_close(&c);
		return SWITCH_REFUSED;
	}
	int xpid = display_managed(&m->conf) ? display_x_pid(&m->root, m->conf.display) : 0;
	if ((r = check_holders(&c, to, xpid, e)) < 0) {
		report(&c, "preflight", "holders", NULL, NULL, kwait_now_ms() - t0, r, e->msg);
		ctx_close(&c);
		return SWITCH_REFUSED;
	}
	report(&c, "preflight", "done", NULL, NULL, kwait_now_ms() - t0, 0, NULL);
	if (o->before_change && (r = o->before_change(o->arg, e)) < 0) {
		ctx_close(&c);
		return SWITCH_REFUSED;
	}

	long s = kwait_now_ms();
	if ((r = journal_begin(&c, to, e)) < 0) {
		ctx_close(&c);
		return SWITCH_REFUSED; /* nothing changed yet */
	}
	report(&c, "journal", "pending", NULL, mode_str(to), kwait_now_ms() - s, 0, NULL);
	audit(LOG_NOTICE, "switch %s -> %s begins", mode_str(c.j.from), mode_str(to));

	/* DESIGN.md step 4: X stops before anything moves under it. */
	if (display_managed(&m->conf)) {
		s = kwait_now_ms();
		r = display_stop(&m->conf, &m->root, c.o->wait_timeout_ms * 3, e);
		if (r == 0)
			r = check_holders(&c, to, 0, e);
		report(&c, "display", "stop", NULL, NULL, kwait_now_ms() - s, r, r ? e->msg : NULL);
		audit(r ? LOG_ERR : LOG_INFO, "display manager stop: %s (%ld ms)", r ? e->msg : "ok",
		      kwait_now_ms() - s);
		if (r < 0) {
			enum switch_result res = rollback(&c, e);
			ctx_close(&c);
			return res;
		}
	}

	for (size_t i = 0; i < p.n; i++) {
		const struct plan_step *st = &p.steps[i];
		char before[PCI_DRIVER_LEN] = "", after[PCI_DRIVER_LEN] = "";
		c.devstep++;
		s = kwait_now_ms();
		r = 0;
		inject(&c, e, &r);
		if (st->device[0])
			pciop_driver(&c.op, st->device, before, sizeof(before));
		if (r == 0)
			r = do_step(&c, st, e);
		if (st->device[0])
			pciop_driver(&c.op, st->device, after, sizeof(after));
		long ms = kwait_now_ms() - s;
		report(&c, "device", step_kind_str(st->kind), st->device, st->value, ms, r, r ? e->msg : NULL);
		audit(r ? LOG_ERR : LOG_INFO, "%s %s %s: %s -> %s %s (%ld ms)", step_kind_str(st->kind),
		      st->device[0] ? st->device : "-", st->value[0] ? st->value : "\"\"", before[0] ? before : "none",
		      after[0] ? after : "none", r ? e->msg : "ok", ms);
		if (r < 0) {
			enum switch_result res = rollback(&c, e);
			ctx_close(&c);
			return res;
		}
	}

	s = kwait_now_ms();
	if ((r = verify(&c, to, false, e)) < 0) {
		report(&c, "verify", "verify", NULL, mode_str(to), kwait_now_ms() - s, r, e->msg);
		enum switch_result res = rollback(&c, e);
		ctx_close(&c);
		return res;
	}
	report(&c, "verify", "verify", NULL, mode_str(to), kwait_now_ms() - s, 0, NULL);

	/* DESIGN.md step 6: the configuration of the new mode, atomically;
	 * after a switch asked from the login screen, one that logs the same
	 * user in once (SLiM reads it when it starts). */
	bool login = o->login_user && to == MODE_VM && display_managed(&m->conf);
	s = kwait_now_ms();
	c.devstep++;
	r = 0;
	inject(&c, e, &r);
	if (r == 0)
		r = login ? variant_select_login(&m->root, to, o->login_user, e) : variant_select(&m->root, to, e);
	if (r != 1)
		report(&c, "display", "variant", "/etc/slim.conf", login ? "vm, auto-login once" : mode_str(to),
		       kwait_now_ms() - s, r < 0 ? r : 0, r < 0 ? e->msg : NULL);
	if (r < 0) {
		enum switch_result res = rollback(&c, e);
		ctx_close(&c);
		return res;
	}

	if (display_managed(&m->conf) && (r = display_up(&c, to, e)) < 0) {
		enum switch_result res = rollback(&c, e);
		ctx_close(&c);
		return res;
	}
	if (login && r != 1) {
		/* SLiM has read it and X is up: the auto-login was used (or
		 * not) once; from now on the greeter asks again. */
		s = kwait_now_ms();
		r = variant_select(&m->root, to, e);
		report(&c, "display", "login_once", "/etc/slim.conf", o->login_user, kwait_now_ms() - s, r < 0 ? r : 0,
		       r < 0 ? e->msg : NULL);
		audit(r < 0 ? LOG_ERR : LOG_INFO, "one-shot auto-login of %s %s", o->login_user,
		      r < 0 ? e->msg : "armed and withdrawn");
		if (r < 0) {
			enum switch_result res = rollback(&c, e);
			ctx_close(&c);
			return res;
		}
	}
	if (to == MODE_HOST) {
		s = kwait_now_ms();
		r = verify_cards(&c, e);
		report(&c, "verify", "cards", NULL, NULL, kwait_now_ms() - s, r, r ? e->msg : NULL);
		if (r < 0) {
			enum switch_result res = rollback(&c, e);
			ctx_close(&c);
			return res;
		}
	}

	s = kwait_now_ms();
	c.j.state = JOURNAL_DONE;
	/* After the move the drivers are what the kernel bound: record them. */
	for (size_t i = 0; i < c.j.n; i++) {
		char dev[PCI_ADDR_LEN];
		pci_addr_format(&c.j.fn[i].addr, dev);
		pciop_driver(&c.op, dev, c.j.fn[i].after, sizeof(c.j.fn[i].after));
		if (to == MODE_HOST && !c.j.fn[i].host[0])
			snprintf(c.j.fn[i].host, sizeof(c.j.fn[i].host), "%s", c.j.fn[i].after);
	}
	if ((r = journal_save(c.jdir, &c.j, e)) < 0) {
		ctx_close(&c);
		return SWITCH_LEFT;
	}
	report(&c, "commit", "done", NULL, mode_str(to), kwait_now_ms() - s, 0, NULL);
	audit(LOG_NOTICE, "switch to %s done in %ld ms", mode_str(to), kwait_now_ms() - t0);
	ctx_close(&c);
	return SWITCH_OK;
}

enum switch_result switch_recover(const struct machine *m, const struct switch_opts *o, struct ss_error *e)
{
	struct ctx c;
	int r;

	ctx_init(&c, m, o);
	if (m->journal_err == -ENOENT) {
		report(&c, "recover", "nothing", NULL, "no journal", 0, 0, NULL);
		return SWITCH_OK;
	}
	if (m->journal_err) {
		*e = m->journal_msg;
		ss_fail(e, -EINVAL, "%.700s: inspect it; if the devices are where you want them, delete it",
			m->journal_msg.msg);
		return SWITCH_LEFT;
	}
	if (m->journal.state == JOURNAL_DONE) {
		report(&c, "recover", "nothing", NULL, mode_str(m->journal.to), 0, 0, NULL);
		return SWITCH_OK;
	}
	if ((r = ctx_open(&c, e)) < 0) {
		ctx_close(&c);
		return SWITCH_LEFT;
	}
	c.j = m->journal;
	audit(LOG_NOTICE, "recover: a switch %s -> %s was interrupted; rolling back", mode_str(c.j.from),
	      mode_str(c.j.to));
	ss_fail(e, -EINTR, "a switch to %s was interrupted", mode_str(c.j.to));
	enum switch_result res = rollback(&c, e);
	ctx_close(&c);
	return res == SWITCH_ROLLED_BACK ? SWITCH_OK : res;
}
