#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "doctor.h"
#include "modcheck.h"
#include "wayback.h"
#include "mode.h"
#include "pcinames.h"

#define ADD(...) check_add(d->checks, &d->n, DOCTOR_MAX, __VA_ARGS__)
#define REBUILD                                                                                              \
	"rebuild the kernel with it (make menuconfig: Device Drivers -> VFIO) or use your distribution's "   \
	"kernel"

static void kernel_checks(const struct machine *m, struct doctor *d)
{
	static const struct {
		const char *opt;
		enum check_status if_missing;
	} opts[] = {
	    {"CONFIG_VFIO", CHECK_FAIL},
	    {"CONFIG_VFIO_IOMMU_TYPE1", CHECK_FAIL},
	    {"CONFIG_VFIO_PCI", CHECK_FAIL},
	    /* VGA arbitration only matters for legacy VGA (x-vga=on). */
	    {"CONFIG_VFIO_PCI_VGA", CHECK_WARN},
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
		    "vfio-pci is not loaded, not built in, and not in /lib/modules/%s/modules.dep",
		    m->kernel.release);
	else
		ADD("vfio-pci", CHECK_OK, NULL, "%s%s", kmod_str(k),
		    k == KMOD_LOADABLE ? " (loaded at the first switch)" : "");
}

static void describe(const struct machine *m, const struct pci_addr *a, char *out, size_t len)
{
	const struct gpu *g = detect_find(&m->target.det, a);
	const struct pci_dev *p = pci_find(&m->devs, a);
	char name[128], an[PCI_ADDR_LEN];

	if (g) {
		detect_describe(&m->devs, g, out, len);
		return;
	}
	pci_addr_format(a, an);
	if (!p) {
		snprintf(out, len, "%s", an);
		return;
	}
	pcinames_device(p->vendor, p->device, name, sizeof(name));
	snprintf(out, len, "%s [%04x:%04x]%s%s on %s", an, p->vendor, p->device, name[0] ? " " : "", name,
		 p->driver[0] ? p->driver : "no driver");
}

/* "0000:01:00.0 0000:01:00.1" and "VGA compatible controller, Audio device" */
static void functions(const struct machine *m, char *addrs, size_t alen, char *classes, size_t clen)
{
	const struct target *t = &m->target;
	size_t ua = 0, uc = 0;

	addrs[0] = classes[0] = '\0';
	for (size_t i = 0; i < t->n && ua < alen && uc < clen; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		char cls[64] = "";
		if (d)
			pcinames_class(d->class, cls, sizeof(cls));
		int w = snprintf(addrs + ua, alen - ua, "%s%s", i ? " " : "", t->fn[i].name);
		ua += w > 0 ? (size_t)w : 0;
		w = snprintf(classes + uc, clen - uc, "%s%s", i ? ", " : "", cls);
		uc += w > 0 ? (size_t)w : 0;
	}
}

/* The bridges between the VM's GPU and its root bus: a Radeon card's own
 * switch ports and the root port.  They stay on pcieport. */
static void bridges_above(const struct machine *m, const struct pci_addr *a, char *out, size_t len)
{
	const struct pci_dev *d = pci_find(&m->devs, a);
	size_t used = 0;

	out[0] = '\0';
	for (int depth = 0; d && d->has_parent && depth < 16 && used < len; depth++) {
		const struct pci_dev *b = pci_find(&m->devs, &d->parent);
		if (!b)
			break;
		int w =
		    snprintf(out + used, len - used, "%s%s%s", used ? ", " : "", b->name,
			     b->vendor == pci_find(&m->devs, a)->vendor ? " (the card's switch port)" : "");
		used += w > 0 ? (size_t)w : 0;
		d = b;
	}
}

static void host_gpu_check(const struct machine *m, struct doctor *d)
{
	const struct target *t = &m->target;
	char buf[512];
	static const char *const why[] = {
	    [HOST_GPU_DETECTED] = "the integrated GPU",
	    [HOST_GPU_CONFIG] = "from [host] gpu",
	    [HOST_GPU_LEFT] = "the display controller that [vm] devices leaves",
	};

	if (m->target_err && t->has_igpu) {
		describe(m, &t->igpu, buf, sizeof(buf));
		ADD("host-gpu", CHECK_OK, NULL, "%s: the integrated GPU, which the host keeps", buf);
	} else if (m->target_err) {
		ADD("host-gpu", CHECK_FAIL, "see the dgpu check",
		    "no GPU is chosen for the host until the VM's is");
	} else if (t->has_host_gpu) {
		describe(m, &t->host_gpu, buf, sizeof(buf));
		ADD("host-gpu", CHECK_OK, NULL, "%s: %s, which X runs on in vm mode", buf,
		    why[t->host_gpu_from]);
	} else {
		ADD("host-gpu", CHECK_FAIL, "set [host] gpu in /etc/session-switch.conf", "%s",
		    t->host_gpu_msg.msg);
	}
}

static void target_checks(const struct machine *m, struct doctor *d)
{
	const struct target *t = &m->target;
	char buf[512], list[256], classes[512], above[512];
	struct pci_addr set[SS_MAX_FUNCS];
	struct strbuf reasons = {0};

	if (m->conf.loaded)
		ADD("config", CHECK_OK, NULL, "%s", m->conf.path);
	else
		ADD("config", CHECK_OK, NULL, "no /etc/session-switch.conf; the devices come from detection");
	host_gpu_check(m, d);
	if (m->target_err) {
		ADD("dgpu", CHECK_FAIL, target_fix(t, m->target_err), "%s", m->target_msg.msg);
		wayback_checks(&m->wayback, &m->root, &m->kernel, &m->devs, t, WAYBACK_DOCTOR, d->checks,
			       &d->n, DOCTOR_MAX);
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		set[i] = t->fn[i].addr;
	functions(m, list, sizeof(list), classes, sizeof(classes));
	describe(m, &t->fn[0].addr, buf, sizeof(buf));
	bridges_above(m, &t->fn[0].addr, above, sizeof(above));
	ADD("dgpu", CHECK_OK, NULL, "%s; functions passed through: %s (%s; %s)%s%s", buf, list, classes,
	    t->from_config ? "from [vm] devices" : "the card's own functions, detected",
	    above[0] ? "; the bridges above it stay on pcieport: " : "", above);
	if (t->render_only) {
		char hn[32] = "the host's GPU";
		if (t->has_host_gpu)
			pci_addr_format(&t->host_gpu, hn);
		ADD("render-only", CHECK_WARN,
		    "run programs on it with DRI_PRIME=1 (Mesa) or __NV_PRIME_RENDER_OFFLOAD=1 "
		    "__GLX_VENDOR_LIBRARY_NAME=nvidia (NVIDIA); the host variant of setup keeps X on the "
		    "host's GPU",
		    "%s is a 3D controller without outputs: X never runs on it, so in host mode X stays on "
		    "%s and "
		    "the dGPU is a render offload device (PRIME); a switch moves it between its driver and "
		    "vfio-pci with X running, when X holds none of its nodes",
		    t->fn[0].name, hn);
	} else if (t->x_stays) {
		char hn[32] = "the host's GPU";
		if (t->has_host_gpu)
			pci_addr_format(&t->host_gpu, hn);
		ADD("offload", CHECK_OK, NULL,
		    "[host] offload: X runs on %s in both modes and %s is a render offload device (PRIME) "
		    "that drives no monitor; a switch moves it with X running, and refuses while X (or "
		    "anything else) holds one of its nodes",
		    hn, t->fn[0].name);
	}
	if (iommu_viable(&m->groups, &m->devs, set, t->n, t->has_host_gpu ? &t->host_gpu : NULL, &reasons))
		ADD("group", CHECK_OK, NULL, "viable: nothing else shares the IOMMU group but bridges");
	else
		ADD("group", CHECK_FAIL, "see session-switch groups", "not viable: %s",
		    reasons.p ? reasons.p : "(out of memory)");
	free(reasons.p);
	if (t->has_bridge) {
		char b[PCI_ADDR_LEN];
		pci_addr_format(&t->bridge, b);
		ADD("bridge", CHECK_OK, NULL, "%s is removed and rescanned at each switch", b);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct target_fn *f = &t->fn[i];
		const struct pci_dev *dev = pci_find(&m->devs, &f->addr);
		if (f->host_from == HOST_FROM_UNKNOWN)
			ADD("host-driver", CHECK_WARN, "set [host] drivers in /etc/session-switch.conf",
			    "%s %s and no host driver is configured: going back, the kernel's first matching "
			    "driver "
			    "takes it",
			    f->name, dev && dev->driver[0] ? "is on vfio-pci now" : "has no driver now");
	}
	wayback_checks(&m->wayback, &m->root, &m->kernel, &m->devs, t, WAYBACK_DOCTOR, d->checks, &d->n,
		       DOCTOR_MAX);
}

void doctor_free(struct doctor *d)
{
	check_free(d->checks, d->n);
	d->n = 0;
}

void doctor_run(const struct machine *m, struct doctor *d)
{
	memset(d, 0, sizeof(*d));
	kernel_checks(m, d);
	iommu_check(m, d);
	vfio_check(m, d);
	target_checks(m, d);
	modcheck_checks(m, d->checks, &d->n, DOCTOR_MAX);
	modcheck_stuck_check(m, d->checks, &d->n, DOCTOR_MAX);
	for (size_t i = 0; i < d->n; i++) {
		d->fails += d->checks[i].status == CHECK_FAIL;
		d->warns += d->checks[i].status == CHECK_WARN;
	}
}
