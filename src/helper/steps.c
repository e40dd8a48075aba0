/* The kinds of step a switch is made of: run, verify and undo of each.
 *
 * Threat model: runs as root inside the setuid helper, for a user who may
 * only choose *that* the machine switches.  Every device, driver and mode
 * here comes from a row that switch.c built from the root-owned
 * configuration and detection, or that recover read back from the
 * root-owned journal; driver names are re-validated before they reach
 * modprobe.  Each undo MUST be idempotent and MUST be safe where its run
 * never happened (step.h), so that a kill at any point leaves a journal
 * that recover can always finish (doc/security.md rule 16).  The ddc
 * row runs session-switch-ddc (libddcutil stays out of this process) with
 * the kernel's EDID and the configuration's value; whatever it answers,
 * it never fails the switch nor its rollback: the monitor's input is a
 * convenience, the devices are the transaction. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "audit.h"
#include "console.h"
#include "display.h"
#include "drm_probe.h"
#include "drvdata.h"
#include "holders.h"
#include "kmod.h"
#include "service.h"
#include "spawn.h"
#include "step.h"
#include "variant.h"

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

struct card_cond {
	const struct sysroot *sr;
	struct pci_addr addr;
	bool sound, drm;
};

/* Polled while the kernel registers them: the function's own sound/ and
 * drm/ directories, not a scan of the whole bus. */
static bool cards_there(void *arg)
{
	struct card_cond *cc = arg;
	return (!cc->sound || pci_has_card(cc->sr, &cc->addr, "sound")) &&
	       (!cc->drm || pci_has_card(cc->sr, &cc->addr, "drm"));
}

static int wait_driver(struct ctx *c, const char *dev, const char *want, struct ss_error *e)
{
	struct drv_cond d = {c, dev, want};
	char now[PCI_DRIVER_LEN] = "";

	if (kwait_until(&c->kw, driver_is, &d, c->o->wait_timeout_ms) == 0)
		return 0;
	pciop_driver(&c->op, dev, now, sizeof(now));
	if (want[0] == '!')
		return ss_fail(e, -ETIMEDOUT,
			       "%s: no driver other than %s took it within %d ms (now: %s); "
			       "is its host driver loaded? name it in [host] drivers",
			       dev, want + 1, c->o->wait_timeout_ms, now[0] ? now : "none");
	return ss_fail(e, -ETIMEDOUT, "%s: not bound to %s within %d ms (now: %s)", dev,
		       want[0] ? want : "no driver", c->o->wait_timeout_ms, now[0] ? now : "none");
}

static int wait_path(struct ctx *c, const char *path)
{
	struct path_cond p = {&c->m->root, path};
	return kwait_until(&c->kw, path_exists, &p, c->o->wait_timeout_ms);
}

static int wait_present(struct ctx *c, const char *dev, struct ss_error *e)
{
	struct dev_cond d = {c, dev};
	if (kwait_until(&c->kw, dev_present, &d, c->o->wait_timeout_ms) < 0)
		return ss_fail(e, -ETIMEDOUT, "%s did not come back after the rescan within %d ms", dev,
			       c->o->wait_timeout_ms);
	return 0;
}

/* /dev/vfio/N of dev's group: where QEMU opens it, the proof of vm mode. */
static int wait_vfio_node(struct ctx *c, const char *dev, struct ss_error *e)
{
	struct pci_addr a;
	const struct pci_dev *d = pci_addr_parse_strict(dev, &a) ? pci_find(&c->m->devs, &a) : NULL;
	char node[32];

	if (!d || d->iommu_group < 0)
		return 0;
	snprintf(node, sizeof(node), "/dev/vfio/%d", d->iommu_group);
	if (wait_path(c, node) < 0)
		return ss_fail(e, -EIO, "%s is on vfio-pci but %s did not appear", dev, node);
	return 0;
}

/* What its host driver made before (journal's had=: an ALSA card, a DRM
 * card) is there again: sound and display are back only then.  Drivers
 * register these asynchronously. */
static int wait_cards(struct ctx *c, const struct journal_fn *f, struct ss_error *e)
{
	struct card_cond cc = {&c->m->root, f->addr, strstr(f->had, "sound") != NULL,
			       strstr(f->had, "drm") != NULL};
	char dev[PCI_ADDR_LEN];

	if (!cc.sound && !cc.drm)
		return 0;
	pci_addr_format(&f->addr, dev);
	if (kwait_until(&c->kw, cards_there, &cc, c->o->wait_timeout_ms) < 0)
		return ss_fail(e, -EIO, "%s is back on its driver but its %s did not come back within %d ms",
			       dev, f->had, c->o->wait_timeout_ms);
	return 0;
}

static const struct journal_fn *fn_of(const struct ctx *c, const char *dev)
{
	struct pci_addr a;
	return pci_addr_parse_strict(dev, &a) ? journal_find(&c->j, &a) : NULL;
}

/* A driver that is not registered (after a reboot, vfio-pci is not loaded
 * until someone asks) is loaded by its name: modprobe maps '-' and '_'.
 * The name comes from the configuration or the journal, both root's, and
 * is validated again here because it becomes an argument. */
static int ensure_driver(struct ctx *c, const char *drv, struct ss_error *e)
{
	char path[96];
	char *argv[] = {"modprobe", (char *)drv, NULL};
	int r = 0;

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", drv);
	if (!drv[0] || sysroot_exists(&c->m->root, path))
		return 0;
	if (!pci_driver_name_valid(drv))
		return ss_fail(e, -EINVAL, "\"%s\" is not a driver name", drv);
	r = spawn_wait(MODPROBE_PATH, argv, c->o->wait_timeout_ms, e);
	if (r != 0)
		return ss_fail(e, r < 0 ? r : -ENOENT,
			       "driver %s is not loaded and " MODPROBE_PATH
			       " %s failed: is its module installed for this kernel?",
			       drv, drv);
	if (wait_path(c, path) < 0)
		return ss_fail(e, -ETIMEDOUT, "module %s loaded but no PCI driver %s registered", drv, drv);
	return 0;
}

static bool listed(char (*set)[PCI_ADDR_LEN], size_t n, const char *dev)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(set[i], dev) == 0)
			return true;
	return false;
}

/* --- the device rows: the plan's sysfs operations ------------------------ */

static int run_modprobe(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return ensure_driver(c, r->value, e);
}

static int run_remove(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return pciop_remove(&c->op, r->device, e);
}

static int run_rescan(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	(void)r;
	return pciop_rescan(&c->op, e);
}

static int run_wait_device(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return wait_present(c, r->device, e);
}

static int run_override(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	char now[PCI_DRIVER_LEN];
	int ret = 0;

	if (r->value[0]) {
		ret = ensure_driver(c, r->value, e);
		/* Already on it (a rescan bound the host driver): nothing to
		 * move; its unbind and probe are skipped. */
		if (ret == 0 && pciop_driver(&c->op, r->device, now, sizeof(now)) == 0 &&
		    strcmp(now, r->value) == 0 && c->nsatisfied < SS_MAX_FUNCS)
			snprintf(c->satisfied[c->nsatisfied++], PCI_ADDR_LEN, "%s", r->device);
	}
	return ret < 0 ? ret : pciop_set_override(&c->op, r->device, r->value, e);
}

static int run_unbind(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return listed(c->satisfied, c->nsatisfied, r->device) ? 0 : pciop_unbind(&c->op, r->device, e);
}

static int run_probe(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return listed(c->satisfied, c->nsatisfied, r->device) ? 0 : pciop_probe(&c->op, r->device, e);
}

static int run_wait_driver(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return wait_driver(c, r->device, r->value, e);
}

static int verify_wait_driver(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return strcmp(r->value, VFIO_DRIVER) == 0 ? wait_vfio_node(c, r->device, e) : 0;
}

/* Put one function back on `drv` ("" = unbound), from wherever a cut-off
 * switch left it: removed with its bridge, unbound, on the other driver. */
static int move_back(struct ctx *c, const char *dev, const char *drv, struct ss_error *e)
{
	struct drv_cond d = {c, dev, drv};
	int r = 0;

	if (!pciop_present(&c->op, dev))
		r = pciop_rescan(&c->op, e); /* a removed bridge: bring the functions back first */
	if (r == 0 && wait_present(c, dev, e) < 0)
		r = ss_fail(e, -ENODEV, "%s is gone and a rescan did not bring it back", dev);
	if (r < 0)
		return r;
	if (drv[0] && driver_is(&d)) /* there; leave an override only where vfio-pci needs it */
		return pciop_set_override(&c->op, dev, strcmp(drv, VFIO_DRIVER) == 0 ? VFIO_DRIVER : "", e);
	if ((r = ensure_driver(c, drv, e)) == 0 && (r = pciop_set_override(&c->op, dev, drv, e)) == 0)
		r = pciop_unbind(&c->op, dev, e);
	if (r < 0 || !drv[0])
		return r;
	if ((r = pciop_probe(&c->op, dev, e)) == 0 && (r = wait_driver(c, dev, drv, e)) == 0 &&
	    strcmp(drv, VFIO_DRIVER) != 0)
		r = pciop_set_override(&c->op, dev, "", e);
	return r;
}

/* Back on the driver it had when the switch began, and everything that
 * driver makes is there again; 1 when it was put back already (one
 * function has several rows, and a bridge's rows undo all of them). */
static int restore_fn(struct ctx *c, const char *dev, struct ss_error *e)
{
	const struct journal_fn *f = fn_of(c, dev);
	int ret;

	if (!f || listed(c->restored, c->nrestored, dev))
		return 1;
	ret = move_back(c, dev, f->before, e);
	if (ret == 0 && strcmp(f->before, VFIO_DRIVER) == 0)
		ret = wait_vfio_node(c, dev, e);
	else if (ret == 0 && f->before[0])
		ret = wait_cards(c, f, e);
	if (ret == 0 && c->nrestored < SS_MAX_FUNCS)
		snprintf(c->restored[c->nrestored++], PCI_ADDR_LEN, "%s", dev);
	return ret;
}

/* The undo of every row of one function. */
static int undo_restore(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return restore_fn(c, r->device, e);
}

/* A bridge removed and rescanned re-creates every function below it, and
 * the rescan binds the first driver that matches, whatever the override
 * said: all of them go back, not only those whose own rows had begun. */
static int undo_rescan(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = 1;

	(void)r;
	for (size_t i = 0; i < c->j.n && ret >= 0; i++) {
		char dev[PCI_ADDR_LEN];
		int one;
		pci_addr_format(&c->j.fn[i].addr, dev);
		one = restore_fn(c, dev, e);
		ret = one < 0 ? one : one == 0 ? 0 : ret;
	}
	return ret;
}

/* --- the display rows ----------------------------------------------------- */

struct pci_addr step_mode_gpu(const struct ctx *c, enum mode m)
{
	const struct target *t = &c->m->target;
	/* A 3D controller has no outputs, and an offload card drives none:
	 * X stays on the host's GPU in both modes. */
	for (size_t i = 0; m == MODE_HOST && !t->x_stays && i < t->n; i++) {
		const struct pci_dev *d = pci_find(&c->m->devs, &t->fn[i].addr);
		if (d && pci_is_display(d))
			return d->addr;
	}
	return t->host_gpu;
}

/* The devices that hold the card, found again once X is gone: a program
 * that started meanwhile is refused as in the preflight. */
static int run_display_stop(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = display_stop(&c->m->conf, &c->m->root, c->o->wait_timeout_ms * 3, e);

	(void)r;
	if (ret == 0)
		ret = switch_check_holders(c, c->j.to, 0, true, e);
	audit(ret ? LOG_ERR : LOG_INFO, "display manager stop: %s", ret ? e->msg : "ok");
	return ret;
}

static int start_x(struct ctx *c, const char *gpu, struct ss_error *e)
{
	char info[256];
	struct pci_addr g;
	long s = kwait_now_ms();
	int ret;

	if (!pci_addr_parse_strict(gpu, &g))
		return ss_fail(e, -EINVAL, "no GPU to start X on");
	ret = display_start(&c->m->conf, &c->m->root, &g, c->o->wait_timeout_ms * 3, info, sizeof(info), e);
	if (ret == 1) /* [display] manager = none: the user starts X */
		fprintf(stderr, "session-switch: the devices are switched; start X yourself now (startx)\n");
	audit(ret < 0 ? LOG_ERR : LOG_INFO, "X start on %s: %s %s (%ld ms)", gpu, ret < 0 ? e->msg : "ok",
	      ret == 1 ? "startx" : info, kwait_now_ms() - s);
	return ret < 0 ? ret : 0;
}

/* The previous X on the previous GPU, so that the user gets a screen; its
 * failure does not undo the rollback, it is said. */
static int undo_display_stop(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret;

	if (c->o->boot) {
		audit(LOG_INFO, "recover at boot: the display manager is left to the init system");
		return 1;
	}
	if (display_x_pid(&c->m->root, c->m->conf.display) > 0)
		return 1;
	ret = start_x(c, r->device, e);
	if (ret < 0)
		snprintf(c->warning, sizeof(c->warning), "rolled back, but X did not come back: %.300s",
			 e->msg);
	return ret < 0 ? 0 : ret;
}

/* doc/design.md step 6: the configuration of the new mode, atomically
 * (each display manager's link that setup made: slim.conf, LightDM's
 * drop-in); after a switch asked from the login screen, one that logs
 * that user in once (value: the checked name; the display manager reads
 * it when it starts, its session behind session-switch-xguard). */
static int run_variant(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = r->value[0] ? variant_select_login(&c->m->root, c->j.to, r->value, e)
			      : variant_select(&c->m->root, c->j.to, e);
	return ret;
}

/* The plain variant of the mode the switch started from: this also
 * withdraws an armed auto-login, whatever else is found. */
static int undo_variant(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	(void)r;
	return variant_select(&c->m->root, c->j.from, e);
}

/* doc/design.md step 7: the new GPU has its DRM card (a driver may
 * register it after its probe) and drives a connected display. */
static int run_drm_probe(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	struct card_cond dc = {&c->m->root, {0}, false, true};
	struct drm_probe probe;
	int ret = 0;

	if (!pci_addr_parse_strict(r->device, &dc.addr))
		return ss_fail(e, -EINVAL, "no GPU to probe");
	if (kwait_until(&c->kw, cards_there, &dc, c->o->wait_timeout_ms) < 0)
		ret = ss_fail(e, -ENODEV, "the GPU at %s has no DRM device: is its kernel driver loaded?",
			      r->device);
	if (ret == 0 && (ret = drm_probe_all(&probe, e)) == 0)
		ret = drm_probe_require_display(&probe, &dc.addr, e);
	return ret;
}

static int run_display_start(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return start_x(c, r->device, e);
}

/* X on the new GPU is not right (a later step failed, or its own start):
 * the display manager goes first, whether or not an X server of its
 * answers now: one whose X failed may be starting the next. */
static int undo_display_start(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	(void)r;
	/* At boot the display manager is ordered after recover and has not
	 * run: a stop now would only cancel its queued start (systemd
	 * replaces a waiting start job with the stop), and no SLiM comes. */
	if (c->o->boot) {
		audit(LOG_INFO, "recover at boot: the display manager is left to the init system");
		return 1;
	}
	if (c->m->conf.dm == DM_NONE && display_x_pid(&c->m->root, c->m->conf.display) <= 0)
		return 1;
	return display_stop(&c->m->conf, &c->m->root, c->o->wait_timeout_ms * 3, e);
}

/* The display manager (SLiM, LightDM) has read the auto-login variant
 * and X is up: it was used (or not) once; from now on the greeter asks
 * again. */
static int run_login_once(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = variant_select(&c->m->root, c->j.to, e);

	audit(ret < 0 ? LOG_ERR : LOG_INFO, "one-shot auto-login of %s %s", r->value,
	      ret < 0 ? e->msg : "armed and withdrawn");
	return ret;
}

/* Back in host mode, every function's driver has made again what it had
 * made before; run last, after X has started on its own GPU. */
static int run_cards(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = 0;

	(void)r;
	for (size_t i = 0; i < c->j.n && ret == 0; i++)
		ret = wait_cards(c, &c->j.fn[i], e);
	return ret;
}

/* --- what holds the driver: services, the console, the module stack ------- */

/* A service row names the service as the journal does; what runs it
 * (its init system, a command's path) is the configuration's. */
static int service(struct ctx *c, const char *jname, bool start, struct ss_error *e)
{
	const struct service *s = config_service_find(&c->m->conf, jname);
	int ret;

	if (!s)
		return ss_fail(e, -ENOENT,
			       "service %s is not in [host] services of " SS_DEFAULT_CONFIG " any more: "
			       "%s it yourself",
			       jname, start ? "start" : "stop");
	ret = service_run(s->kind, s->name, start, c->o->wait_timeout_ms * 3, e);
	audit(ret ? LOG_ERR : LOG_INFO, "service %s %s: %s", jname, start ? "start" : "stop",
	      ret ? e->msg : "ok");
	return ret;
}

static int run_service_stop(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return service(c, r->value, false, e);
}

static int run_service_start(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return service(c, r->value, true, e);
}

/* Once the services are stopped, nobody is spared: a process that only
 * bore a service's name, or a service that left a child behind, is
 * refused like any other holder. */
static int run_holders(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	(void)r;
	return switch_check_holders(c, c->j.to, 0, false, e);
}

/* Legacy persistence mode of one card (the row's device, on the row's
 * driver), through the driver data file's commands; the same file says
 * whether it is on.  Already as wanted is done: an undo whose run never
 * ran, or that runs twice, changes nothing. */
static int persistence(struct ctx *c, const struct journal_step *r, bool on, struct ss_error *e)
{
	char shown[2 * DRVDATA_PATH];
	struct drvdata dd;
	int ret = drvdata_load(&c->m->root, r->value, !c->m->root.prefixed, &dd, e);

	if (ret == 0 && !dd.found)
		ret = ss_fail(e, -ENOENT,
			      "no driver data file of %s any more: turn legacy persistence mode of %s %s "
			      "yourself",
			      r->value, r->device, on ? "on" : "off");
	if (ret == 0 && drvdata_persistence_held(&c->m->root, &dd, r->device, shown, sizeof(shown)) == on)
		return 0;
	if (ret == 0)
		ret = service_persistence(&dd, r->device, on, c->o->wait_timeout_ms, e);
	if (ret == 0 && drvdata_persistence_held(&c->m->root, &dd, r->device, shown, sizeof(shown)) != on)
		ret = ss_fail(e, -EIO, "%s %s ran, but %s says legacy persistence mode of %s is still %s",
			      on ? "persistence_on" : "persistence_off", dd.from, shown, r->device,
			      on ? "off" : "on");
	audit(ret ? LOG_ERR : LOG_INFO, "persistence mode of %s %s: %s", r->device, on ? "on" : "off",
	      ret ? e->msg : "ok");
	return ret;
}

static int run_persistence_off(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return persistence(c, r, false, e);
}

static int run_persistence_on(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return persistence(c, r, true, e);
}

static int run_console_unbind(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return console_vt(&c->m->root, r->value, false, c->o->write_timeout_ms, e);
}

static int run_console_bind(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return console_vt(&c->m->root, r->value, true, c->o->write_timeout_ms, e);
}

static int run_fb_unbind(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return console_fw(&c->m->root, r->value, false, c->o->write_timeout_ms, e);
}

static int run_fb_bind(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	return console_fw(&c->m->root, r->value, true, c->o->write_timeout_ms, e);
}

static int run_module_unload(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = kmod_unload(&c->m->root, r->value, c->o->write_timeout_ms, e);
	audit(ret ? LOG_ERR : LOG_INFO, "module %s unload: %s", r->value, ret ? e->msg : "ok");
	return ret;
}

static int run_module_load(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int ret = kmod_load(&c->m->root, r->value, c->o->wait_timeout_ms, e);
	audit(ret ? LOG_ERR : LOG_INFO, "module %s load: %s", r->value, ret ? e->msg : "ok");
	return ret;
}

/* --- the monitor's input by DDC/CI ([ddc]) ---------------------------------- */

/* libddcutil looks for every display on every bus: seconds, not more. */
#define DDC_TIMEOUT_MS 10000

/* What session-switch-ddc's exit codes mean (session-switch-ddc(8)). */
static const char *ddc_exit_str(int rc)
{
	static const char *const why[] = {"set", "usage error", "no monitor with this EDID answers DDC/CI",
					  "libddcutil failed", "the monitor did not keep the value"};
	return rc >= 0 && rc < (int)(sizeof(why) / sizeof(why[0])) ? why[rc] : "unknown exit status";
}

/* Set the configured monitor to `value` with session-switch-ddc, by the
 * EDID of each connector that carries it now (a monitor may show another
 * EDID on each input).  Never fails the switch (doc/design.md): a missing
 * program, monitor or library, and a value not taken, are warnings, said
 * on stderr and to syslog.  The program gets no caller data: the EDID is
 * the kernel's, the value the root-owned configuration's, both checked. */
static int ddc_set(struct ctx *c, int value, struct ss_error *e)
{
	const struct ss_config *conf = &c->m->conf;
	struct edid_found found[EDID_MAX_FOUND];
	char why[512] = "", shown[64], val[8], hex[2 * EDID_BLOCK + 1];
	size_t n = 0;
	int rc = 2;

	monitor_id_format(&conf->ddc_monitor, shown, sizeof(shown));
	if (!conf->has_ddc || value < 1 || value > 255)
		snprintf(why, sizeof(why), "[ddc] names no monitor or input any more in " SS_DEFAULT_CONFIG);
	else if (edid_find(&c->m->root, &conf->ddc_monitor, found, EDID_MAX_FOUND, &n, e) < 0 || n == 0)
		snprintf(why, sizeof(why), "monitor %s is on no connector of /sys/class/drm now", shown);
	else if (!sysroot_exists(&c->m->root, DDC_PATH))
		snprintf(why, sizeof(why),
			 DDC_PATH " is not installed (session-switch was built without libddcutil): set the "
				  "input of %s yourself",
			 shown);
	snprintf(val, sizeof(val), "0x%02x", value & 0xff);
	for (size_t i = 0; !why[0] && i < n && rc == 2; i++) {
		char *argv[] = {"session-switch-ddc", "--edid", hex, "--vcp", "0x60", "--value", val, NULL};
		edid_hex(found[i].raw, hex);
		rc = spawn_wait(DDC_PATH, argv, DDC_TIMEOUT_MS, e);
		if (rc < 0)
			snprintf(why, sizeof(why), "%.400s", e->msg);
		else if (rc != 0 && (rc != 2 || i + 1 == n))
			snprintf(why, sizeof(why), "%s (on %s): %s (exit %d)", shown, found[i].connector,
				 ddc_exit_str(rc), rc);
	}
	if (why[0])
		fprintf(stderr,
			"session-switch: warning: the monitor's input was not set to %s: %s; the switch "
			"goes on\n",
			val, why);
	audit(why[0] ? LOG_WARNING : LOG_INFO, "ddc input %s of %s: %s", val, shown, why[0] ? why : "set");
	return 0;
}

static int run_ddc(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	char *end;
	long v = strtol(r->value, &end, 16);
	return ddc_set(c, *end ? -1 : (int)v, e);
}

/* Back to the input of the mode the switch started from; setting it when
 * the run never happened, or twice, changes nothing more. */
static int undo_ddc(struct ctx *c, const struct journal_step *r, struct ss_error *e)
{
	int from = c->j.from == MODE_VM ? c->m->conf.ddc_vm_input : c->m->conf.ddc_host_input;
	(void)r;
	return from > 0 ? ddc_set(c, from, e) : 1;
}

/* --- the table of kinds ----------------------------------------------------- */

#define DEVICE_ROW(v, n, run, ver, wd)                                                                       \
	const struct step_type v = {n, "device", n, run, ver, undo_restore, "restore", wd}
DEVICE_ROW(step_override, "driver_override", run_override, NULL, true);
DEVICE_ROW(step_unbind, "unbind", run_unbind, NULL, true);
DEVICE_ROW(step_probe, "drivers_probe", run_probe, NULL, true);
DEVICE_ROW(step_wait_driver, "wait_driver", run_wait_driver, verify_wait_driver, false);
const struct step_type step_modprobe = {"modprobe", "device", "modprobe", run_modprobe,
					NULL,	    NULL,     NULL,	  false};
const struct step_type step_remove = {"remove", "device",    "remove",	run_remove,
				      NULL,	undo_rescan, "restore", true};
const struct step_type step_rescan = {"rescan", "device",    "rescan",	run_rescan,
				      NULL,	undo_rescan, "restore", true};
const struct step_type step_wait_device = {"wait_device", "device", "wait_device", run_wait_device,
					   NULL,	  NULL,	    NULL,	   false};
const struct step_type step_display_stop = {
    "display_stop", "display", "stop", run_display_stop, NULL, undo_display_stop, "display_start", false};
const struct step_type step_variant = {"variant", "display",	"variant", run_variant,
				       NULL,	  undo_variant, "variant", false};
const struct step_type step_drm_probe = {"drm_probe", "display", "drm_probe", run_drm_probe,
					 NULL,	      NULL,	 NULL,	      false};
const struct step_type step_display_start = {
    "display_start", "display", "start", run_display_start, NULL, undo_display_start, "display_stop", false};
const struct step_type step_login_once = {"login_once", "display", "login_once", run_login_once,
					  NULL,		NULL,	   NULL,	 false};
const struct step_type step_cards = {"cards", "verify", "cards", run_cards, NULL, NULL, NULL, false};
const struct step_type step_service_stop = {"service_stop", "service",	       "stop",	run_service_stop,
					    NULL,	    run_service_start, "start", false};
const struct step_type step_service_start = {"service_start",  "service", "start", run_service_start, NULL,
					     run_service_stop, "stop",	  false};
const struct step_type step_persistence_off = {"persistence_off",   "service", "persistence_off",
					       run_persistence_off, NULL,      run_persistence_on,
					       "persistence_on",    false};
const struct step_type step_persistence_on = {"persistence_on",	  "service", "persistence_on",
					      run_persistence_on, NULL,	     run_persistence_off,
					      "persistence_off",  false};
const struct step_type step_holders = {"holders", "service", "holders", run_holders, NULL, NULL, NULL, false};
const struct step_type step_console_unbind = {"console_unbind", "console", "unbind", run_console_unbind, NULL,
					      run_console_bind, "bind",	   true};
const struct step_type step_console_bind = {"console_bind", "console",		"bind",	  run_console_bind,
					    NULL,	    run_console_unbind, "unbind", true};
const struct step_type step_fb_unbind = {"fb_unbind", "console",   "fb_unbind", run_fb_unbind,
					 NULL,	      run_fb_bind, "fb_bind",	true};
const struct step_type step_fb_bind = {"fb_bind", "console",	 "fb_bind",   run_fb_bind,
				       NULL,	  run_fb_unbind, "fb_unbind", true};
const struct step_type step_module_unload = {"module_unload",	"device", "module_unload",
					     run_module_unload, NULL,	  run_module_load,
					     "module_load",	true};
const struct step_type step_ddc = {"ddc", "display", "ddc", run_ddc, NULL, undo_ddc, "ddc", false};
const struct step_type step_module_load = {"module_load", "device",	     "module_load",   run_module_load,
					   NULL,	  run_module_unload, "module_unload", true};

static const struct step_type *const kinds[] = {
    &step_modprobe,	  &step_remove,	     &step_rescan,
    &step_wait_device,	  &step_override,    &step_unbind,
    &step_probe,	  &step_wait_driver, &step_display_stop,
    &step_variant,	  &step_drm_probe,   &step_display_start,
    &step_login_once,	  &step_cards,	     &step_service_stop,
    &step_service_start,  &step_holders,     &step_console_unbind,
    &step_console_bind,	  &step_fb_unbind,   &step_fb_bind,
    &step_module_unload,  &step_module_load, &step_persistence_off,
    &step_persistence_on, &step_ddc,
};

const struct step_type *step_type_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	return NULL;
}
