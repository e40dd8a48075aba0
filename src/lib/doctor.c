#include "config.h"

#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "doctor.h"
#include "wayback.h"
#include "mode.h"
#include "pcinames.h"

#define ADD(...) check_add(d->checks, &d->n, DOCTOR_MAX, __VA_ARGS__)
#define REBUILD "rebuild the kernel with it (make menuconfig: Device Drivers -> VFIO) or use your distribution's kernel"

static void kernel_checks(const struct machine *m, struct doctor *d)
{
	static const struct {
		const char *opt;
		enum check_status if_missing;
	} opts[] = {
		{ "CONFIG_VFIO", CHECK_FAIL },
		{ "CONFIG_VFIO_IOMMU_TYPE1", CHECK_FAIL },
		{ "CONFIG_VFIO_PCI", CHECK_FAIL },
		/* VGA arbitration only matters for legacy VGA (x-vga=on). */
		{ "CONFIG_VFIO_PCI_VGA", CHECK_WARN },
	};

	if (!m->kernel.config) {
		ADD("kernel-config", CHECK_WARN,
		    "install the kernel's config as /boot/config-RELEASE, or enable CONFIG_IKCONFIG_PROC",
		    "no build configuration for %s (neither /boot/config-%s nor /proc/config.gz)",
		    m->kernel.release, m->kernel.release);
		return;
	}
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		enum kopt o = kernel_option(&m->kernel, opts[i].opt);
		if (o == KOPT_YES || o == KOPT_MODULE)
			ADD(opts[i].opt, CHECK_OK, NULL, "=%s in %s", kopt_str(o), m->kernel.config_from);
		else
			ADD(opts[i].opt, opts[i].if_missing, REBUILD, "not set in %s", m->kernel.config_from);
	}
	const char *iopt = m->iommu.vendor == IOMMU_AMD ? "CONFIG_AMD_IOMMU" : "CONFIG_INTEL_IOMMU";
	enum kopt o = kernel_option(&m->kernel, iopt);
	if (o == KOPT_YES)
		ADD(iopt, CHECK_OK, NULL, "=y in %s", m->kernel.config_from);
	else
		ADD(iopt, CHECK_FAIL, "rebuild the kernel with it (Device Drivers -> IOMMU Hardware Support)",
		    "not set in %s", m->kernel.config_from);
}

static void iommu_check(const struct machine *m, struct doctor *d)
{
	char why[256], fix[512];

	if (m->iommu.enabled) {
		ADD("iommu", CHECK_OK, NULL, "on: %d unit(s), %zu groups", m->iommu.units, m->groups.n);
		return;
	}
	iommu_explain_off(&m->iommu, why, sizeof(why), fix, sizeof(fix));
	ADD("iommu", CHECK_FAIL, fix, "off: %s", why);
}

static void vfio_check(const struct machine *m, struct doctor *d)
{
	enum kmod k = kernel_module(&m->root, &m->kernel, "vfio_pci", "vfio-pci");
	if (k == KMOD_MISSING && sysroot_exists(&m->root, "/sys/bus/pci/drivers/vfio-pci"))
		k = KMOD_BUILTIN;
	if (k == KMOD_MISSING)
		ADD("vfio-pci", CHECK_FAIL, "build the kernel with CONFIG_VFIO_PCI=m or =y",
		    "vfio-pci is not loaded, not built in, and not in /lib/modules/%s/modules.dep", m->kernel.release);
	else
		ADD("vfio-pci", CHECK_OK, NULL, "%s%s", kmod_str(k),
		    k == KMOD_LOADABLE ? " (loaded at the first switch)" : "");
}

static void describe(const struct machine *m, const struct pci_addr *a, char *out, size_t len)
{
	const struct pci_dev *p = pci_find(&m->devs, a);
	char name[128], an[PCI_ADDR_LEN];
	pci_addr_format(a, an);
	if (!p) {
		snprintf(out, len, "%s", an);
		return;
	}
	pcinames_device(p->vendor, p->device, name, sizeof(name));
	snprintf(out, len, "%s [%04x:%04x]%s%s on %s", an, p->vendor, p->device, name[0] ? " " : "", name,
		 p->driver[0] ? p->driver : "no driver");
}

static void target_checks(const struct machine *m, struct doctor *d)
{
	const struct target *t = &m->target;
	char buf[256], list[400] = "", reasons[2048];
	struct pci_addr set[SS_MAX_FUNCS];
	size_t used = 0;

	if (m->conf.loaded)
		ADD("config", CHECK_OK, NULL, "%s", m->conf.path);
	else
		ADD("config", CHECK_OK, NULL, "no /etc/session-switch.conf; the devices come from detection");

	if (t->has_igpu) {
		describe(m, &t->igpu, buf, sizeof(buf));
		ADD("igpu", CHECK_OK, NULL, "%s (on the root bus: drives X in vm mode)", buf);
	} else {
		ADD("igpu", CHECK_FAIL, "enable the integrated GPU in the firmware setup (often \"IGD multi-monitor\")",
		    "no display controller on the root bus: nothing would drive the desktop while the dGPU is in the VM");
	}
	if (m->target_err) {
		ADD("dgpu", CHECK_FAIL, "name the GPU's functions in [vm] devices of /etc/session-switch.conf",
		    "%s", m->target_msg.msg);
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		set[i] = t->fn[i].addr;
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? " " : "", t->fn[i].name);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w;
	}
	describe(m, &t->fn[0].addr, buf, sizeof(buf));
	ADD("dgpu", CHECK_OK, NULL, "%s; functions passed through: %s (%s)", buf, list,
	    t->from_config ? "from [vm] devices" : "every function of its slot, detected");
	if (iommu_viable(&m->groups, &m->devs, set, t->n, reasons, sizeof(reasons)))
		ADD("group", CHECK_OK, NULL, "viable: nothing else shares the IOMMU group but bridges");
	else
		ADD("group", CHECK_FAIL, "see session-switch groups", "not viable: %s", reasons);
	if (t->has_bridge) {
		char b[PCI_ADDR_LEN];
		pci_addr_format(&t->bridge, b);
		ADD("bridge", CHECK_OK, NULL, "%s is removed and rescanned at each switch", b);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct target_fn *f = &t->fn[i];
		if (f->host_from == HOST_FROM_UNKNOWN)
			ADD("host-driver", CHECK_WARN, "set [host] drivers in /etc/session-switch.conf",
			    "%s is on vfio-pci now and no host driver is configured: going back, the kernel's "
			    "first matching driver takes it", f->name);
	}
}

void doctor_run(const struct machine *m, struct doctor *d)
{
	memset(d, 0, sizeof(*d));
	kernel_checks(m, d);
	iommu_check(m, d);
	vfio_check(m, d);
	target_checks(m, d);
	wayback_checks(m, d->checks, &d->n, DOCTOR_MAX);
	wayback_stuck_check(m, d->checks, &d->n, DOCTOR_MAX);
	for (size_t i = 0; i < d->n; i++) {
		d->fails += d->checks[i].status == CHECK_FAIL;
		d->warns += d->checks[i].status == CHECK_WARN;
	}
}
