#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "modcheck.h"
#include "wayback.h"

const char *step_kind_str(enum step_kind k)
{
	static const char *const names[] = {
	    [STEP_MODPROBE] = "modprobe",
	    [STEP_REMOVE] = "remove",
	    [STEP_RESCAN] = "rescan",
	    [STEP_WAIT_DEVICE] = "wait_device",
	    [STEP_OVERRIDE] = "driver_override",
	    [STEP_UNBIND] = "unbind",
	    [STEP_PROBE] = "drivers_probe",
	    [STEP_WAIT_DRIVER] = "wait_driver",
	};
	return names[k];
}

static void step(struct plan *p, enum step_kind k, const char *dev, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void step(struct plan *p, enum step_kind k, const char *dev, const char *value, const char *fmt, ...)
{
	va_list ap;
	struct plan_step *s;

	if (p->n >= PLAN_MAX_STEPS)
		return;
	s = &p->steps[p->n++];
	s->kind = k;
	snprintf(s->device, sizeof(s->device), "%s", dev ? dev : "");
	snprintf(s->value, sizeof(s->value), "%s", value ? value : "");
	va_start(ap, fmt);
	vsnprintf(s->path, sizeof(s->path), fmt, ap);
	va_end(ap);
}

#define CHECK(...) check_add(p->checks, &p->nchecks, PLAN_MAX_CHECKS, __VA_ARGS__)

/* Move one function to `drv` ("" = the kernel's first match) by override. */
static void move_fn(struct plan *p, const struct target_fn *f, bool bound, const char *drv, bool clear_after)
{
	step(p, STEP_OVERRIDE, f->name, drv, "/sys/bus/pci/devices/%s/driver_override", f->name);
	if (bound)
		step(p, STEP_UNBIND, f->name, f->name, "/sys/bus/pci/devices/%s/driver/unbind", f->name);
	step(p, STEP_PROBE, f->name, f->name, "/sys/bus/pci/drivers_probe");
	step(p, STEP_WAIT_DRIVER, f->name, drv[0] ? drv : "!" VFIO_DRIVER, "/sys/bus/pci/devices/%s/driver",
	     f->name);
	if (clear_after)
		step(p, STEP_OVERRIDE, f->name, "", "/sys/bus/pci/devices/%s/driver_override", f->name);
}

static void preflight(const struct machine *m, enum mode to, struct plan *p)
{
	const struct target *t = &m->target;
	struct pci_addr set[SS_MAX_FUNCS];
	struct strbuf reasons = {0};

	if (m->target_err) {
		CHECK("target", CHECK_FAIL, target_fix(t, m->target_err), "%s", m->target_msg.msg);
		return;
	}
	if (t->has_host_gpu) {
		char hn[PCI_ADDR_LEN];
		pci_addr_format(&t->host_gpu, hn);
		CHECK("host-gpu", CHECK_OK, NULL, "%s stays on the host (%s)", hn,
		      host_gpu_from_str(t->host_gpu_from));
	} else {
		CHECK("host-gpu", CHECK_FAIL, "set [host] gpu in /etc/session-switch.conf", "%s",
		      t->host_gpu_msg.msg);
	}
	for (size_t i = 0; i < t->n; i++)
		set[i] = t->fn[i].addr;
	if (!m->iommu.enabled) {
		char why[256], fix[512];
		iommu_explain_off(&m->iommu, why, sizeof(why), fix, sizeof(fix));
		CHECK("iommu", CHECK_FAIL, fix, "the IOMMU is off: %s", why);
	} else {
		CHECK("iommu", CHECK_OK, NULL, "on, %zu groups", m->groups.n);
	}
	if (iommu_viable(&m->groups, &m->devs, set, t->n, t->has_host_gpu ? &t->host_gpu : NULL, &reasons))
		CHECK("viable", CHECK_OK, NULL,
		      "every device sharing the IOMMU group(s) is passed through, a bridge, or unbound");
	else
		CHECK("viable", CHECK_FAIL, "see the reasons; session-switch groups lists the groups", "%s",
		      reasons.p ? reasons.p : "(out of memory)");
	free(reasons.p);
	wayback_checks(&m->wayback, &m->root, &m->kernel, &m->devs, t,
		       to == MODE_VM ? WAYBACK_VM : WAYBACK_HOST, p->checks, &p->nchecks, PLAN_MAX_CHECKS);
	if (to == MODE_VM)
		modcheck_checks(m, p->checks, &p->nchecks, PLAN_MAX_CHECKS);
}

void plan_free(struct plan *p)
{
	check_free(p->checks, p->nchecks);
	p->nchecks = 0;
}

void plan_ddc(const struct machine *m, enum mode to, struct plan_ddc *d)
{
	const struct ss_config *c = &m->conf;
	struct ss_error ignored;

	memset(d, 0, sizeof(*d));
	d->value = to == MODE_VM ? c->ddc_vm_input : c->ddc_host_input;
	d->planned = c->has_ddc && d->value > 0;
	if (!d->planned)
		return;
	monitor_id_format(&c->ddc_monitor, d->monitor, sizeof(d->monitor));
	/* not found, or /sys/class/drm unreadable: the step warns then */
	if (edid_find(&m->root, &c->ddc_monitor, d->found, PLAN_DDC_FOUND, &d->nfound, &ignored) < 0)
		d->nfound = 0;
}

void plan_build(const struct machine *m, enum mode to, struct plan *p)
{
	const struct target *t = &m->target;
	bool bridge_done = false;
	enum kmod vfio;

	memset(p, 0, sizeof(*p));
	p->to = to;
	preflight(m, to, p);
	for (size_t i = 0; i < p->nchecks; i++)
		p->refused |= p->checks[i].status == CHECK_FAIL;
	if (p->refused)
		return;

	/* Skip functions already where they should be: a repeated switch is a no-op. */
	size_t todo = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		bool on_vfio = strcmp(d->driver, VFIO_DRIVER) == 0;
		todo += to == MODE_VM ? !on_vfio : (on_vfio || !d->driver[0]);
	}
	if (todo == 0) {
		p->nothing_to_do = true;
		return;
	}
	plan_ddc(m, to, &p->ddc);

	if (to == MODE_VM) {
		vfio = kernel_module(&m->root, &m->kernel, "vfio_pci", "vfio-pci");
		if (vfio == KMOD_MISSING && !sysroot_exists(&m->root, "/sys/bus/pci/drivers/vfio-pci")) {
			CHECK("vfio-pci", CHECK_FAIL,
			      "build the kernel with CONFIG_VFIO_PCI or install its module",
			      "vfio-pci is neither loaded, built in, nor in /lib/modules/%s",
			      m->kernel.release);
			p->refused = true;
			return;
		}
		CHECK("vfio-pci", CHECK_OK, NULL, "%s", kmod_str(vfio));
		if (vfio == KMOD_LOADABLE)
			step(p, STEP_MODPROBE, NULL, "vfio-pci", "/sys/bus/pci/drivers/vfio-pci");
	}

	/* A rescan re-creates the functions and forgets their driver_override
	 * (doc/testing.md), so the bridge dance comes first, on the host drivers. */
	if (t->has_bridge) {
		char b[PCI_ADDR_LEN];
		pci_addr_format(&t->bridge, b);
		step(p, STEP_REMOVE, b, "1", "/sys/bus/pci/devices/%s/remove", b);
		step(p, STEP_RESCAN, NULL, "1", "/sys/bus/pci/rescan");
		for (size_t i = 0; i < t->n; i++)
			step(p, STEP_WAIT_DEVICE, t->fn[i].name, NULL, "/sys/bus/pci/devices/%s",
			     t->fn[i].name);
		bridge_done = true;
	}

	for (size_t i = 0; i < t->n; i++) {
		const struct target_fn *f = &t->fn[i];
		const struct pci_dev *d = pci_find(&m->devs, &f->addr);
		bool on_vfio = strcmp(d->driver, VFIO_DRIVER) == 0;
		if (to == MODE_VM) {
			if (on_vfio && !bridge_done)
				continue;
			/* After a rescan the host driver has bound it again. */
			move_fn(p, f, bridge_done || d->driver[0], VFIO_DRIVER, false);
		} else {
			if (bridge_done && f->host_from != HOST_FROM_CONFIG &&
			    f->host_from != HOST_FROM_JOURNAL) {
				/* The rescan left it on the kernel's first match. */
				step(p, STEP_WAIT_DRIVER, f->name, "!" VFIO_DRIVER,
				     "/sys/bus/pci/devices/%s/driver", f->name);
				continue;
			}
			if (!bridge_done && !on_vfio && d->driver[0])
				continue;
			bool bound = bridge_done || d->driver[0];
			if (f->host_driver[0])
				move_fn(p, f, bound, f->host_driver, true);
			else
				move_fn(p, f, bound, "", false);
		}
	}
}
