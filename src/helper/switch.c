/* The switch transaction (doc/design.md, "A switch, step by step"): the
 * preflight, then a table of steps (step.h) run row by row, each journalled
 * before it runs when it has something new to undo; on any failure the
 * rows begun are undone in reverse, and `recover` does the same from the
 * journal after a crash.
 *
 * Threat model: runs as root inside the setuid helper, for a user who may
 * only choose *that* the machine switches.  Everything it touches comes from
 * the root-owned configuration, detection or the root-owned journal, never
 * from the caller.  It MUST leave the machine either switched, or back where
 * it started, or (when even the rollback fails, or it is killed) with a
 * pending journal from which `recover` can finish: the journal names every
 * row and how far the switch got, and it is durable before the row it
 * covers begins (doc/security.md rule 16).  The fault hook of
 * switch_opts is NULL in the installed helper. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "console.h"
#include "display.h"
#include "drvdata.h"
#include "holders.h"
#include "step.h"

void step_report(struct ctx *c, const char *phase, const char *action, const char *dev, const char *value,
		 long ms, int result, const char *detail)
{
	struct switch_report r = {phase, action, dev ? dev : "",      value ? value : "",
				  ms,	 result, detail ? detail : ""};
	if (c->o->progress)
		c->o->progress(c->o->arg, &r);
}

/* --- preflight: who holds the card ------------------------------------------ */

/* X stays up through this switch (doc/design.md, "Which GPU stays"): it
 * runs on the host's GPU in both modes, so the display manager is neither
 * stopped nor started, and X is one more process that must not hold the
 * card. */
bool switch_x_stays(const struct machine *m)
{
	return display_managed(&m->conf) && m->target.x_stays;
}

int switch_check_holders(struct ctx *c, enum mode to, int exclude_pid, bool spare_services,
			 struct ss_error *e)
{
	int x_pid = switch_x_stays(c->m) ? display_x_pid(&c->m->root, c->m->conf.display) : 0;
	struct holders_opts ho = {to, exclude_pid, x_pid, spare_services, c->o->wait_timeout_ms};
	return holders_check(c->m, &ho, e);
}

/* --- the table ------------------------------------------------------------------- */

static void add_row(struct ctx *c, const struct step_type *t, const char *dev, const char *value)
{
	struct journal_step *js = &c->j.step[c->j.nsteps];

	if (c->j.nsteps == JOURNAL_MAX_STEPS)
		return; /* plan_build caps the device rows well below this */
	c->kind[c->j.nsteps++] = t;
	snprintf(js->name, sizeof(js->name), "%s", t->name);
	snprintf(js->device, sizeof(js->device), "%s", dev ? dev : "");
	snprintf(js->value, sizeof(js->value), "%s", value ? value : "");
}

static const struct step_type *const device_kinds[] = {
    [STEP_MODPROBE] = &step_modprobe, [STEP_REMOVE] = &step_remove,
    [STEP_RESCAN] = &step_rescan,     [STEP_WAIT_DEVICE] = &step_wait_device,
    [STEP_OVERRIDE] = &step_override, [STEP_UNBIND] = &step_unbind,
    [STEP_PROBE] = &step_probe,	      [STEP_WAIT_DRIVER] = &step_wait_driver,
};

/* What the last switch to vm did to the console, from its journal: the
 * way back binds exactly that again (the card's framebuffer is gone in vm
 * mode, so it cannot be detected then). */
static void console_rows_back(struct ctx *c)
{
	const struct journal *old = &c->m->journal;

	if (c->m->journal_err || old->to != MODE_VM)
		return;
	for (size_t i = old->nsteps; i-- > 0;) {
		if (strcmp(old->step[i].name, step_fb_unbind.name) == 0)
			add_row(c, &step_fb_bind, NULL, old->step[i].value);
		else if (strcmp(old->step[i].name, step_console_unbind.name) == 0)
			add_row(c, &step_console_bind, NULL, old->step[i].value);
	}
}

/* Legacy persistence mode was on where the last switch to vm turned it
 * off (its journal's rows); the way back turns on exactly that again. */
static void persistence_rows_back(struct ctx *c)
{
	const struct journal *old = &c->m->journal;

	if (c->m->journal_err || old->to != MODE_VM)
		return;
	for (size_t i = old->nsteps; i-- > 0;)
		if (strcmp(old->step[i].name, step_persistence_off.name) == 0)
			add_row(c, &step_persistence_on, old->step[i].device, old->step[i].value);
}

/* The cards of the target whose driver's data file says legacy
 * persistence mode is on, with [host] persistence = yes: each gets its
 * persistence_off row. */
static void persistence_rows(struct ctx *c)
{
	const struct machine *m = c->m;
	char shown[2 * DRVDATA_PATH];
	struct drvdata dd;
	struct ss_error ignored;

	for (size_t i = 0; m->conf.persistence && i < m->target.n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &m->target.fn[i].addr);
		if (d && d->driver[0] && strcmp(d->driver, VFIO_DRIVER) != 0 &&
		    drvdata_load(&m->root, d->driver, !m->root.prefixed, &dd, &ignored) == 0 && dd.found &&
		    drvdata_persistence_held(&m->root, &dd, d->name, shown, sizeof(shown)))
			add_row(c, &step_persistence_off, d->name, d->driver);
	}
}

/* The rows of a switch to `to`, in order: X stops before anything moves
 * under it (where X stays up, the holders are looked for again instead,
 * right before the first change); then what holds the driver (doc/design.md step 4): the
 * services, checked gone, and the framebuffer console; the module stack
 * where [host] unload says so; the devices move as the plan says; on the
 * way back the modules, the console and the services come back in
 * reverse; the variant is selected and the monitor's input follows
 * ([ddc]); the new GPU is probed and X starts on it; the one-shot login is
 * withdrawn; on the way back, the cards the host drivers make are waited
 * for.  The rows come from the configuration and
 * from sysfs, never from a driver's name in code. */
static void table_build(struct ctx *c, const struct plan *p, enum mode to, const char *login)
{
	const struct ss_config *conf = &c->m->conf;
	bool dm = display_managed(conf) && !switch_x_stays(c->m);
	char from_gpu[PCI_ADDR_LEN], to_gpu[PCI_ADDR_LEN];
	struct pci_addr g;

	g = step_mode_gpu(c, to == MODE_VM ? MODE_HOST : MODE_VM);
	pci_addr_format(&g, from_gpu);
	g = step_mode_gpu(c, to);
	pci_addr_format(&g, to_gpu);
	if (dm)
		add_row(c, &step_display_stop, from_gpu, NULL);
	if (to == MODE_VM) {
		struct console_found cf;
		for (size_t i = 0; i < conf->nservices; i++)
			add_row(c, &step_service_stop, NULL, config_service_jname(&conf->services[i]));
		persistence_rows(c);
		if (conf->nservices || switch_x_stays(c->m))
			add_row(c, &step_holders, NULL, NULL);
		console_detect(c->m, &cf);
		for (size_t i = 0; i < cf.nvt; i++)
			add_row(c, &step_console_unbind, NULL, cf.vt[i]);
		for (size_t i = 0; i < cf.nfw; i++)
			add_row(c, &step_fb_unbind, NULL, cf.fw[i]);
		for (size_t i = 0; i < conf->nunload; i++)
			add_row(c, &step_module_unload, NULL, conf->unload[i]);
	}
	for (size_t i = 0; i < p->n; i++)
		add_row(c, device_kinds[p->steps[i].kind], p->steps[i].device, p->steps[i].value);
	if (to == MODE_HOST) {
		for (size_t i = conf->nunload; i-- > 0;)
			add_row(c, &step_module_load, NULL, conf->unload[i]);
		console_rows_back(c);
		persistence_rows_back(c);
		for (size_t i = conf->nservices; i-- > 0;)
			add_row(c, &step_service_start, NULL, config_service_jname(&conf->services[i]));
	}
	add_row(c, &step_variant, NULL, login);
	/* doc/design.md step 6: the monitor shows the new mode's input once
	 * the devices have moved, as the seed's ddccontrol did; before X
	 * starts, so that its probe finds the monitor on the input it drives. */
	if (p->ddc.planned) {
		char v[8];
		snprintf(v, sizeof(v), "0x%02x", p->ddc.value & 0xff);
		add_row(c, &step_ddc, NULL, v);
	}
	if (dm) {
		add_row(c, &step_drm_probe, to_gpu, NULL);
		add_row(c, &step_display_start, to_gpu, NULL);
	}
	if (login)
		add_row(c, &step_login_once, NULL, login);
	if (to == MODE_HOST)
		add_row(c, &step_cards, NULL, NULL);
}

/* A journal of a helper that recorded no steps (version 1): every row a
 * switch of that journal could have had, all begun. */
static void table_legacy(struct ctx *c)
{
	bool dm = display_managed(&c->m->conf);
	struct pci_addr g = step_mode_gpu(c, c->j.from);
	char gpu[PCI_ADDR_LEN], dev[PCI_ADDR_LEN];

	pci_addr_format(&g, gpu);
	if (dm)
		add_row(c, &step_display_stop, gpu, NULL);
	for (size_t i = 0; i < c->j.n; i++) {
		char after[PCI_DRIVER_LEN];
		pci_addr_format(&c->j.fn[i].addr, dev);
		snprintf(after, sizeof(after), "%s", c->j.fn[i].after);
		add_row(c, &step_wait_driver, dev, after);
	}
	add_row(c, &step_variant, NULL, NULL);
	if (dm)
		add_row(c, &step_display_start, gpu, NULL);
	c->j.reached = (int)c->j.nsteps - 1;
}

static int table_from_journal(struct ctx *c, struct ss_error *e)
{
	if (c->j.version < 2) {
		table_legacy(c);
		return 0;
	}
	for (size_t i = 0; i < c->j.nsteps; i++) {
		c->kind[i] = step_type_find(c->j.step[i].name);
		if (!c->kind[i])
			return ss_fail(e, -EINVAL,
				       "the journal names a step \"%s\" this helper does not know: was it "
				       "written by another version?",
				       c->j.step[i].name);
	}
	return 0;
}

/* --- journal ------------------------------------------------------------------- */

static int journal_write(struct ctx *c, struct ss_error *e)
{
	long s = kwait_now_ms();
	int r = journal_save(c->jdir, &c->j, e);

	c->journal_ms += kwait_now_ms() - s;
	c->journal_writes++;
	return r;
}

static void journal_begin(struct ctx *c, enum mode to)
{
	const struct target *t = &c->m->target;
	struct journal *j = &c->j;

	j->version = 2;
	j->state = JOURNAL_PENDING;
	j->to = to;
	j->from = to == MODE_VM ? MODE_HOST : MODE_VM;
	j->uid = c->o->ruid;
	j->started = (long long)time(NULL);
	j->has_bridge = t->has_bridge;
	j->bridge = t->bridge;
	j->reached = -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&c->m->devs, &t->fn[i].addr);
		struct journal_fn *f = &j->fn[j->n++];
		f->addr = t->fn[i].addr;
		snprintf(f->before, sizeof(f->before), "%s", d->driver);
		snprintf(f->host, sizeof(f->host), "%s", t->fn[i].host_driver);
		snprintf(f->after, sizeof(f->after), "%s",
			 to == MODE_VM ? VFIO_DRIVER : t->fn[i].host_driver);
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
}

/* The journal is on disk, pending, before the first row, whatever it is:
 * from then on `status` says a switch is under way.  A later row needs
 * it written again only when it brings an undo that no earlier row
 * already brought (one function has four rows, all undone by putting it
 * back once): fewer fsyncs, the same recovery. */
static bool journal_needed(const struct ctx *c, size_t i)
{
	if (i == 0)
		return true;
	if (!c->kind[i]->undo)
		return false;
	for (size_t k = 0; k < i; k++)
		if (c->kind[k]->undo == c->kind[i]->undo &&
		    strcmp(c->j.step[k].device, c->j.step[i].device) == 0 &&
		    (c->j.step[i].device[0] || strcmp(c->j.step[k].value, c->j.step[i].value) == 0))
			return false;
	return true;
}

/* --- running and undoing ------------------------------------------------------------- */

static int run_row(struct ctx *c, size_t i, struct ss_error *e)
{
	const struct journal_step *row = &c->j.step[i];
	const struct step_type *t = c->kind[i];
	bool dev = strcmp(t->phase, "device") == 0 && row->device[0];
	char before[PCI_DRIVER_LEN] = "", after[PCI_DRIVER_LEN] = "";
	long s = kwait_now_ms();
	int r = 0;

	c->j.reached = (int)i;
	if (journal_needed(c, i))
		r = journal_write(c, e);
	if (r == 0 && c->o->fault_hook)
		r = c->o->fault_hook(c->o->fault_arg, i + 1, t->name, e);
	if (dev)
		pciop_driver(&c->op, row->device, before, sizeof(before));
	if (r == 0)
		r = t->run(c, row, e);
	if (r == -ETIMEDOUT && t->watchdog) {
		snprintf(c->stuck, sizeof(c->stuck), "step %zu (%s%s%s%s%s)", i + 1, t->name,
			 row->device[0] ? " " : "", row->device, row->value[0] ? " " : "", row->value);
		c->j.stuck = (int)i + 1;
		journal_boot_id(&c->m->root, c->j.stuck_boot, sizeof(c->j.stuck_boot));
	}
	if (r >= 0 && t->verify)
		r = t->verify(c, row, e);
	if (dev)
		pciop_driver(&c->op, row->device, after, sizeof(after));
	if (r != 1)
		step_report(c, t->phase, t->action, row->device, row->value, kwait_now_ms() - s,
			    r < 0 ? r : 0, r < 0 ? e->msg : NULL);
	if (dev)
		audit(r < 0 ? LOG_ERR : LOG_INFO, "%s %s %s: %s -> %s %s (%ld ms)", t->name, row->device,
		      row->value[0] ? row->value : "\"\"", before[0] ? before : "none",
		      after[0] ? after : "none", r < 0 ? e->msg : "ok", kwait_now_ms() - s);
	return r < 0 ? r : 0;
}

static enum switch_result rollback(struct ctx *c, struct ss_error *why)
{
	struct ss_error e = {""};
	long t0 = kwait_now_ms();
	int r = 0;

	audit(LOG_WARNING, "switch to %s failed (%s); rolling back to %s", mode_str(c->j.to), why->msg,
	      mode_str(c->j.from));
	for (int i = c->j.reached; i >= 0 && r >= 0; i--) {
		const struct journal_step *row = &c->j.step[i];
		long s = kwait_now_ms();
		if (!c->kind[i]->undo)
			continue;
		r = c->kind[i]->undo(c, row, &e);
		if (r != 1)
			step_report(c, "rollback", c->kind[i]->undo_action, row->device, row->value,
				    kwait_now_ms() - s, r < 0 ? r : 0, r < 0 ? e.msg : NULL);
	}
	if (r >= 0) {
		c->j.state = JOURNAL_DONE;
		c->j.to = c->j.from;
		for (size_t i = 0; i < c->j.n; i++)
			snprintf(c->j.fn[i].after, sizeof(c->j.fn[i].after), "%s", c->j.fn[i].before);
		r = journal_write(c, &e);
	}
	if (r < 0) {
		char both[SS_ERRLEN];
		audit(LOG_ERR, "rollback failed: %s; journal left pending for recover", e.msg);
		snprintf(both, sizeof(both),
			 "%.400s; the rollback failed too: %.400s. Run session-switch recover", why->msg,
			 e.msg);
		snprintf(why->msg, sizeof(why->msg), "%s", both);
		return SWITCH_LEFT;
	}
	if (c->warning[0])
		snprintf(why->msg + strlen(why->msg), sizeof(why->msg) - strlen(why->msg), "; %s",
			 c->warning);
	step_report(c, "rollback", "done", NULL, mode_str(c->j.to), kwait_now_ms() - t0, 0, NULL);
	audit(LOG_NOTICE, "rolled back to %s", mode_str(c->j.to));
	return SWITCH_ROLLED_BACK;
}

/* After the move the drivers are what the kernel bound: they are recorded,
 * and the way back of a function with no configured host driver is the
 * driver that took it now. */
static enum switch_result commit(struct ctx *c, long t0, struct ss_error *e)
{
	long s = kwait_now_ms();

	c->j.state = JOURNAL_DONE;
	for (size_t i = 0; i < c->j.n; i++) {
		struct journal_fn *f = &c->j.fn[i];
		char dev[PCI_ADDR_LEN];
		pci_addr_format(&f->addr, dev);
		pciop_driver(&c->op, dev, f->after, sizeof(f->after));
		if (c->j.to == MODE_HOST && !f->host[0])
			snprintf(f->host, sizeof(f->host), "%s", f->after);
	}
	if (journal_write(c, e) < 0)
		return SWITCH_LEFT;
	step_report(c, "journal", "writes", NULL, NULL, c->journal_ms, 0, NULL);
	step_report(c, "commit", "done", NULL, mode_str(c->j.to), kwait_now_ms() - s, 0, NULL);
	audit(LOG_NOTICE, "switch to %s done in %ld ms", mode_str(c->j.to), kwait_now_ms() - t0);
	return SWITCH_OK;
}

/* A write that never returned (doc/design.md step 5: NVIDIA's remove
 * waits for its usage count): whatever runs next would run under a
 * function the kernel is still in the middle of removing, so nothing more
 * is written, no rollback either; the journal, pending and naming the
 * stuck step, is left for recover after a reboot. */
static enum switch_result stuck(struct ctx *c, struct ss_error *e)
{
	struct ss_error je = {""};
	char why[SS_ERRLEN];

	snprintf(why, sizeof(why), "%s", e->msg);
	audit(LOG_ERR, "stuck at %s: %s; nothing more written, journal left pending", c->stuck, why);
	if (journal_write(c, &je) < 0)
		snprintf(je.msg + strlen(je.msg), sizeof(je.msg) - strlen(je.msg),
			 " (the journal of the steps before "
			 "it is on disk)");
	ss_fail(e, -ETIMEDOUT,
		"stuck at %.200s: %.500s. Nothing else was written (no rollback under a function "
		"the kernel is still removing); the switch is left pending in " JOURNAL_DIR "/" JOURNAL_FILE
		". Reboot (the stuck process cannot be killed), then run session-switch recover%s%.200s",
		c->stuck, why, je.msg[0] ? "; " : "", je.msg);
	return SWITCH_LEFT;
}

/* The switch: one loop over the table, one way out on failure. */
static enum switch_result table_run(struct ctx *c, long t0, struct ss_error *e)
{
	for (size_t i = 0; i < c->j.nsteps; i++)
		if (run_row(c, i, e) < 0)
			return c->stuck[0] ? stuck(c, e) : rollback(c, e);
	if (c->o->fault_hook && c->o->fault_hook(c->o->fault_arg, c->j.nsteps + 1, "commit", e) < 0)
		return rollback(c, e);
	return commit(c, t0, e);
}

/* --- the transaction ----------------------------------------------------------- */

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

/* Everything before the first change.  SWITCH_OK with *go false: nothing
 * to do. */
static enum switch_result preflight(struct ctx *c, const struct plan *p, bool *go, struct ss_error *e)
{
	const struct machine *m = c->m;
	long t0 = kwait_now_ms();
	int xpid, r;

	*go = false;
	if (m->journal_err == 0 && m->journal.state == JOURNAL_PENDING) {
		ss_fail(e, -EAGAIN,
			"a switch to %s was interrupted and is still pending in " JOURNAL_DIR "/" JOURNAL_FILE
			"; run session-switch recover first",
			mode_str(m->journal.to));
		return SWITCH_LEFT;
	}
	if (m->journal_err && m->journal_err != -ENOENT) {
		*e = m->journal_msg;
		return SWITCH_LEFT;
	}
	for (size_t i = 0; i < p->nchecks; i++)
		step_report(c, "preflight", p->checks[i].name, NULL, check_status_str(p->checks[i].status), 0,
			    p->checks[i].status == CHECK_FAIL ? -EPERM : 0, p->checks[i].detail);
	if (p->refused) {
		size_t i = 0;
		while (i + 1 < p->nchecks && p->checks[i].status != CHECK_FAIL)
			i++;
		ss_fail(e, -EPERM, "%s (fix: %s)", p->checks[i].detail, p->checks[i].fix);
		return SWITCH_REFUSED;
	}
	if (p->nothing_to_do) {
		step_report(c, "preflight", "nothing_to_do", NULL, mode_str(p->to), kwait_now_ms() - t0, 0,
			    NULL);
		return SWITCH_OK;
	}
	if (ctx_open(c, e) < 0)
		return SWITCH_REFUSED;
	xpid = display_managed(&m->conf) && !switch_x_stays(m) ? display_x_pid(&m->root, m->conf.display) : 0;
	if ((r = switch_check_holders(c, p->to, xpid, true, e)) < 0) {
		step_report(c, "preflight", "holders", NULL, NULL, kwait_now_ms() - t0, r, e->msg);
		return SWITCH_REFUSED;
	}
	step_report(c, "preflight", "done", NULL, NULL, kwait_now_ms() - t0, 0, NULL);
	if (c->o->before_change && c->o->before_change(c->o->arg, e) < 0)
		return SWITCH_REFUSED;
	*go = true;
	return SWITCH_OK;
}

enum switch_result switch_run(const struct machine *m, enum mode to, const struct switch_opts *o,
			      struct ss_error *e)
{
	struct ctx c;
	struct plan p;
	long t0 = kwait_now_ms();
	enum switch_result res;
	bool go;
	/* a session that X keeps needs no new login */
	bool login = o->login_user && to == MODE_VM && display_managed(&m->conf) && !switch_x_stays(m);

	ctx_init(&c, m, o);
	plan_build(m, to, &p);
	res = preflight(&c, &p, &go, e);
	if (res == SWITCH_OK && go) {
		journal_begin(&c, to);
		table_build(&c, &p, to, login ? o->login_user : NULL);
		audit(LOG_NOTICE, "switch %s -> %s begins", mode_str(c.j.from), mode_str(to));
		res = table_run(&c, t0, e);
	}
	ctx_close(&c);
	plan_free(&p);
	return res;
}

enum switch_result switch_recover(const struct machine *m, const struct switch_opts *o, struct ss_error *e)
{
	struct ctx c;
	enum switch_result res = SWITCH_OK;

	ctx_init(&c, m, o);
	if (m->journal_err == -ENOENT || (m->journal_err == 0 && m->journal.state == JOURNAL_DONE)) {
		step_report(&c, "recover", "nothing", NULL,
			    m->journal_err ? "no journal" : mode_str(m->journal.to), 0, 0, NULL);
	} else if (m->journal_err) {
		ss_fail(e, -EINVAL, "%.700s: inspect it; if the devices are where you want them, delete it",
			m->journal_msg.msg);
		res = SWITCH_LEFT;
	} else if (journal_stuck_now(&m->root, &m->journal)) {
		const struct journal_step *st = &m->journal.step[m->journal.stuck - 1];
		ss_fail(
		    e, -EBUSY,
		    "the switch to %s is stuck at step %d (%s %s %s): the kernel has not returned "
		    "from it since, and nothing may be written to the card until it has. Reboot, then run "
		    "session-switch recover",
		    mode_str(m->journal.to), m->journal.stuck, st->name, st->device[0] ? st->device : "-",
		    st->value[0] ? st->value : "-");
		res = SWITCH_LEFT;
	} else {
		c.j = m->journal;
		c.j.stuck = 0; /* a new boot: the kernel let go of it */
		res = ctx_open(&c, e) < 0 || table_from_journal(&c, e) < 0 ? SWITCH_LEFT : SWITCH_ROLLED_BACK;
	}
	if (res == SWITCH_ROLLED_BACK) {
		audit(LOG_NOTICE,
		      "recover: a switch %s -> %s was interrupted at step %d of %zu; rolling back",
		      mode_str(c.j.from), mode_str(c.j.to), c.j.reached + 1, c.j.nsteps);
		ss_fail(e, -EINTR, "a switch to %s was interrupted", mode_str(c.j.to));
		res = rollback(&c, e);
		res = res == SWITCH_ROLLED_BACK ? SWITCH_OK : res;
	}
	ctx_close(&c);
	return res;
}
