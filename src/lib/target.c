#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pcinames.h"
#include "target.h"

bool target_class_allowed(const struct pci_list *devs, const struct pci_addr *set, size_t n,
			  const struct pci_dev *d)
{
	if (pci_is_display(d) || pci_is_audio(d))
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct pci_dev *o = pci_find(devs, &set[i]);
		if (o && pci_is_display(o) && pci_addr_same_slot(&o->addr, &d->addr))
			return true;
	}
	return false;
}

const char *host_from_str(enum host_from h)
{
	switch (h) {
	case HOST_FROM_CONFIG: return "config";
	case HOST_FROM_CURRENT: return "current";
	case HOST_FROM_JOURNAL: return "journal";
	default: return "kernel";
	}
}

/* Is `up` on the path from d to its root bus? */
static bool upstream_of(const struct pci_list *devs, const struct pci_addr *up, const struct pci_dev *d)
{
	for (int depth = 0; d && d->has_parent && depth < 32; depth++) {
		if (pci_addr_cmp(&d->parent, up) == 0)
			return true;
		d = pci_find(devs, &d->parent);
	}
	return false;
}

int target_resolve(const struct ss_config *c, const struct pci_list *devs, struct target *t,
		   struct ss_error *e)
{
	struct detect_result det;
	const char *cp = c->path[0] ? c->path : SS_DEFAULT_CONFIG;
	int r;

	memset(t, 0, sizeof(*t));
	r = detect_gpus(devs, &det, NULL);
	t->has_igpu = det.has_igpu;
	t->igpu = det.igpu;

	if (c->loaded && c->ndevices) {
		t->from_config = true;
		for (size_t i = 0; i < c->ndevices; i++) {
			struct target_fn *f = &t->fn[t->n++];
			f->addr = c->devices[i];
			pci_addr_format(&f->addr, f->name);
		}
	} else {
		if (r < 0)
			return detect_gpus(devs, &det, e);
		for (size_t i = 0; i < det.nfuncs && t->n < SS_MAX_FUNCS; i++) {
			struct target_fn *f = &t->fn[t->n++];
			f->addr = det.funcs[i];
			pci_addr_format(&f->addr, f->name);
		}
	}

	bool any_display = false;
	for (size_t i = 0; i < t->n; i++) {
		struct target_fn *f = &t->fn[i];
		const struct pci_dev *d = pci_find(devs, &f->addr);
		char cls[64];
		if (!d)
			return ss_fail(e, -EINVAL, "%s: [vm] devices names %s, which is not on this machine "
				       "(see session-switch groups)", cp, f->name);
		if (pci_is_bridge(d))
			return ss_fail(e, -EINVAL, "%s: [vm] devices names %s, a PCI bridge; bridges stay on "
				       "their port driver (use [vm] bridge for the remove/rescan)", cp, f->name);
		if (!target_class_allowed(devs, c->loaded && c->ndevices ? c->devices : det.funcs,
					  c->loaded && c->ndevices ? c->ndevices : det.nfuncs, d)) {
			pcinames_class(d->class, cls, sizeof(cls));
			return ss_fail(e, -EINVAL, "%s: [vm] devices names %s, a %s (class %04x); only display "
				       "and audio functions, and the other functions of a GPU's slot, may be "
				       "handed to vfio-pci", cp, f->name, cls, pci_class16(d));
		}
		any_display |= pci_is_display(d);
		const char *cfgd = c->loaded ? config_host_driver(c, &f->addr) : NULL;
		if (cfgd) {
			snprintf(f->host_driver, sizeof(f->host_driver), "%s", cfgd);
			f->host_from = HOST_FROM_CONFIG;
		} else if (d->driver[0] && strcmp(d->driver, "vfio-pci") != 0 && strcmp(d->driver, "pci-stub") != 0) {
			snprintf(f->host_driver, sizeof(f->host_driver), "%s", d->driver);
			f->host_from = HOST_FROM_CURRENT;
		}
	}
	if (!any_display)
		return ss_fail(e, -EINVAL, "%s: [vm] devices has no display controller; list the GPU "
			       "(class 03xx) and its other functions", cp);
	for (size_t i = 0; c->loaded && i < c->nhost; i++) {
		bool found = false;
		for (size_t j = 0; j < t->n; j++)
			found |= pci_addr_cmp(&t->fn[j].addr, &c->host[i].addr) == 0;
		if (!found) {
			char n[PCI_ADDR_LEN];
			pci_addr_format(&c->host[i].addr, n);
			return ss_fail(e, -EINVAL, "%s: [host] drivers names %s, which is not among the "
				       "functions passed through", cp, n);
		}
	}
	if (c->loaded && c->has_bridge) {
		char bn[PCI_ADDR_LEN];
		const struct pci_dev *b = pci_find(devs, &c->bridge);
		pci_addr_format(&c->bridge, bn);
		if (!b)
			return ss_fail(e, -EINVAL, "%s: [vm] bridge %s is not on this machine", cp, bn);
		if (!pci_is_bridge(b))
			return ss_fail(e, -EINVAL, "%s: [vm] bridge %s is not a PCI bridge (class %04x)", cp,
				       bn, pci_class16(b));
		for (size_t i = 0; i < t->n; i++) {
			const struct pci_dev *d = pci_find(devs, &t->fn[i].addr);
			if (!upstream_of(devs, &c->bridge, d))
				return ss_fail(e, -EINVAL, "%s: [vm] bridge %s is not upstream of %s; removing "
					       "it would not re-create that function", cp, bn, t->fn[i].name);
		}
		/* Removing a bridge removes everything below it: refuse when
		 * that would take a device the VM is not meant to have (the
		 * seed's root port could as well hold the NVMe disk). */
		for (size_t i = 0; i < devs->n; i++) {
			const struct pci_dev *d = &devs->dev[i];
			bool managed = false;
			for (size_t j = 0; j < t->n; j++)
				managed |= pci_addr_cmp(&t->fn[j].addr, &d->addr) == 0;
			if (!managed && !pci_is_bridge(d) && upstream_of(devs, &c->bridge, d))
				return ss_fail(e, -EINVAL, "%s: [vm] bridge %s also has %s (driver %s) below it; "
					       "removing the bridge would remove that device too", cp, bn,
					       d->name, d->driver[0] ? d->driver : "none");
		}
		t->has_bridge = true;
		t->bridge = c->bridge;
	}
	return 0;
}
