#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pcinames.h"
#include "target.h"

static bool in_set(const struct pci_addr *set, size_t n, const struct pci_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (pci_addr_cmp(&set[i], a) == 0)
			return true;
	return false;
}

bool target_class_allowed(const struct pci_list *devs, const struct pci_addr *set, size_t n,
			  const struct pci_dev *d)
{
	if (pci_is_bridge(d) || detect_apu_platform_function(devs, d))
		return false;
	if (pci_is_display(d))
		return true;
	for (size_t i = 0; i < devs->n; i++) {
		const struct pci_dev *g = &devs->dev[i];
		if (!pci_is_display(g) || !pci_addr_same_slot(&g->addr, &d->addr))
			continue;
		if (pci_is_audio(d) || (g->vendor == d->vendor && in_set(set, n, &g->addr)))
			return true;
	}
	return false;
}

const char *target_fix(const struct target *t, int err)
{
	if (err == -ENODEV && t->det.ngpu == 0)
		return "a GPU card is needed: nothing on this machine can be handed to a VM";
	if (err == -ENODEV && t->det.ncards == 0)
		return "a second GPU (a card) is needed: the integrated GPU stays with the host, and an "
		       "APU's other "
		       "functions never go to the VM";
	if (err == -ENODEV && t->det.nintegrated == 0 && t->det.ncards == 1)
		return "a second GPU is needed for the host (enable the integrated GPU in the firmware, or "
		       "add a card)";
	return "name the VM's functions in [vm] devices of /etc/session-switch.conf (session-switch groups "
	       "lists "
	       "them), and the host's GPU in [host] gpu when more than one would remain";
}

const char *host_from_str(enum host_from h)
{
	switch (h) {
	case HOST_FROM_CONFIG:
		return "config";
	case HOST_FROM_CURRENT:
		return "current";
	case HOST_FROM_JOURNAL:
		return "journal";
	default:
		return "kernel";
	}
}

const char *host_gpu_from_str(enum host_gpu_from h)
{
	switch (h) {
	case HOST_GPU_DETECTED:
		return "detected";
	case HOST_GPU_CONFIG:
		return "config";
	case HOST_GPU_LEFT:
		return "remaining";
	default:
		return "none";
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

static void add_fn(struct target *t, const struct pci_addr *a)
{
	struct target_fn *f = &t->fn[t->n++];
	f->addr = *a;
	pci_addr_format(a, f->name);
}

/* "0000:01:00.0 NVIDIA ... (...); 0000:02:00.0 ..." of the GPUs that are
 * not in the set (and not `skip`). */
static void list_gpus(const struct pci_list *devs, const struct target *t, const struct pci_addr *skip,
		      char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t->det.ngpu && used < len; i++) {
		char one[512];
		const struct gpu *g = &t->det.gpu[i];
		bool taken = false;
		for (size_t k = 0; k < t->n; k++)
			taken |= pci_addr_cmp(&t->fn[k].addr, &g->addr) == 0;
		if (taken || (skip && pci_addr_cmp(skip, &g->addr) == 0))
			continue;
		detect_describe(devs, g, one, sizeof(one));
		int w = snprintf(out + used, len - used, "%s%s", used ? "; " : "", one);
		used += w > 0 ? (size_t)w : 0;
	}
}

/* With [host] gpu and no [vm] devices, the VM gets the one other card. */
static int vm_card_beside(const char *cp, const struct pci_list *devs, struct target *t,
			  const struct pci_addr *host, struct ss_error *e)
{
	const struct gpu *card = NULL;
	size_t cards = 0;
	char list[SS_ERRLEN - 512], hn[PCI_ADDR_LEN];
	struct pci_addr funcs[SS_MAX_FUNCS];

	pci_addr_format(host, hn);
	for (size_t i = 0; i < t->det.ngpu; i++) {
		const struct gpu *g = &t->det.gpu[i];
		if (g->kind == GPU_CARD && pci_addr_cmp(&g->addr, host) != 0) {
			card = g;
			cards++;
		}
	}
	list_gpus(devs, t, host, list, sizeof(list));
	if (cards == 0)
		return ss_fail(e, -ENODEV,
			       "%s: [host] gpu is %s and no other card is there for the VM%s%s; name "
			       "the VM's functions in [vm] devices",
			       cp, hn, list[0] ? ": " : "", list);
	if (cards > 1)
		return ss_fail(e, -EEXIST,
			       "%s: [host] gpu is %s and %zu cards are left (%s): say which one the VM "
			       "gets with [vm] devices",
			       cp, hn, cards, list);
	size_t n = detect_card_functions(devs, &card->addr, funcs, SS_MAX_FUNCS);
	for (size_t i = 0; i < n; i++)
		add_fn(t, &funcs[i]);
	return 0;
}

static int check_function(const char *cp, const struct pci_list *devs, const struct pci_addr *set,
			  size_t nset, const struct target_fn *f, struct ss_error *e)
{
	const struct pci_dev *d = pci_find(devs, &f->addr);
	char cls[64];
	int r = 0;

	if (d)
		pcinames_class(d->class, cls, sizeof(cls));
	if (!d)
		r = ss_fail(e, -EINVAL,
			    "%s: [vm] devices names %s, which is not on this machine (see session-switch "
			    "groups)",
			    cp, f->name);
	else if (pci_is_bridge(d))
		r = ss_fail(e, -EINVAL,
			    "%s: [vm] devices names %s, a PCI bridge; bridges stay on their port driver "
			    "(use [vm] bridge for the remove/rescan)",
			    cp, f->name);
	else if (detect_apu_platform_function(devs, d))
		r = ss_fail(e, -EINVAL,
			    "%s: [vm] devices names %s, a %s (class %04x) that an AMD APU has beside its "
			    "GPU; the host keeps the APU's PSP, USB controllers and audio (only a GPU's own "
			    "functions "
			    "may be handed to vfio-pci)",
			    cp, f->name, cls, pci_class16(d));
	else if (!target_class_allowed(devs, set, nset, d))
		r = ss_fail(
		    e, -EINVAL,
		    "%s: [vm] devices names %s, a %s (class %04x) that is not a function of a "
		    "card; only display controllers and their card's own functions (audio, and the USB and "
		    "UCSI functions of the slot with its vendor) may be handed to vfio-pci",
		    cp, f->name, cls, pci_class16(d));
	return r;
}

static void host_driver_of(const struct ss_config *c, const struct pci_list *devs, struct target_fn *f)
{
	const struct pci_dev *d = pci_find(devs, &f->addr);
	const char *cfgd = c->loaded ? config_host_driver(c, &f->addr) : NULL;

	if (cfgd) {
		snprintf(f->host_driver, sizeof(f->host_driver), "%s", cfgd);
		f->host_from = HOST_FROM_CONFIG;
	} else if (d->driver[0] && strcmp(d->driver, "vfio-pci") != 0 && strcmp(d->driver, "pci-stub") != 0) {
		snprintf(f->host_driver, sizeof(f->host_driver), "%s", d->driver);
		f->host_from = HOST_FROM_CURRENT;
	}
}

static int check_bridge(const char *cp, const struct ss_config *c, const struct pci_list *devs,
			struct target *t, struct ss_error *e)
{
	char bn[PCI_ADDR_LEN];
	const struct pci_dev *b = pci_find(devs, &c->bridge);

	pci_addr_format(&c->bridge, bn);
	if (!b)
		return ss_fail(e, -EINVAL, "%s: [vm] bridge %s is not on this machine", cp, bn);
	if (!pci_is_bridge(b))
		return ss_fail(e, -EINVAL, "%s: [vm] bridge %s is not a PCI bridge (class %04x)", cp, bn,
			       pci_class16(b));
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(devs, &t->fn[i].addr);
		if (!upstream_of(devs, &c->bridge, d))
			return ss_fail(e, -EINVAL,
				       "%s: [vm] bridge %s is not upstream of %s; removing it would not "
				       "re-create that function",
				       cp, bn, t->fn[i].name);
	}
	/* Removing a bridge removes everything below it: refuse when that
	 * would take a device the VM is not meant to have (the seed's root
	 * port could as well hold the NVMe disk). */
	for (size_t i = 0; i < devs->n; i++) {
		const struct pci_dev *d = &devs->dev[i];
		bool managed = false;
		for (size_t j = 0; j < t->n; j++)
			managed |= pci_addr_cmp(&t->fn[j].addr, &d->addr) == 0;
		if (!managed && !pci_is_bridge(d) && upstream_of(devs, &c->bridge, d))
			return ss_fail(e, -EINVAL,
				       "%s: [vm] bridge %s also has %s (driver %s) below it; removing the "
				       "bridge would remove that device too",
				       cp, bn, d->name, d->driver[0] ? d->driver : "none");
	}
	t->has_bridge = true;
	t->bridge = c->bridge;
	return 0;
}

/* The GPU the host keeps: [host] gpu, detection's integrated GPU, or the
 * one display controller the set leaves (an integrated one first).  None
 * left is a configuration that cannot work; several is recorded, and the
 * plan refuses until [host] gpu says which. */
static int choose_host_gpu(const char *cp, const struct ss_config *c, const struct pci_list *devs,
			   struct target *t, struct ss_error *e)
{
	const struct gpu *left = NULL, *left_igpu = NULL;
	size_t nleft = 0, nleft_igpu = 0;
	char list[SS_ERRLEN - 512], hn[PCI_ADDR_LEN];

	if (c->loaded && c->has_host_gpu) {
		const struct pci_dev *d = pci_find(devs, &c->host_gpu);
		pci_addr_format(&c->host_gpu, hn);
		for (size_t k = 0; k < t->n; k++)
			if (pci_addr_cmp(&t->fn[k].addr, &c->host_gpu) == 0)
				return ss_fail(e, -EINVAL,
					       "%s: [host] gpu %s is among the functions passed through; the "
					       "host's GPU stays on the host",
					       cp, hn);
		if (!d)
			return ss_fail(e, -EINVAL,
				       "%s: [host] gpu %s is not on this machine (see session-switch groups)",
				       cp, hn);
		if (!pci_is_display(d))
			return ss_fail(e, -EINVAL,
				       "%s: [host] gpu %s is not a display controller (class %04x)", cp, hn,
				       pci_class16(d));
		t->has_host_gpu = true;
		t->host_gpu = c->host_gpu;
		t->host_gpu_from = HOST_GPU_CONFIG;
		return 0;
	}
	if (!t->from_config && t->det.found) {
		t->has_host_gpu = true;
		t->host_gpu = t->det.gpu[t->det.host].addr;
		t->host_gpu_from = HOST_GPU_DETECTED;
		return 0;
	}
	for (size_t i = 0; i < t->det.ngpu; i++) {
		const struct gpu *g = &t->det.gpu[i];
		bool taken = false;
		for (size_t k = 0; k < t->n; k++)
			taken |= pci_addr_same_slot(&t->fn[k].addr, &g->addr) &&
				 pci_is_display(pci_find(devs, &t->fn[k].addr));
		if (taken)
			continue;
		left = g;
		nleft++;
		if (g->kind == GPU_INTEGRATED) {
			left_igpu = g;
			nleft_igpu++;
		}
	}
	if (nleft == 0)
		return ss_fail(
		    e, -EINVAL,
		    "%s: [vm] devices takes every display controller of this machine; the host "
		    "would be left without a GPU for its desktop (keep one GPU out of [vm] devices)",
		    cp);
	if (nleft == 1 || nleft_igpu == 1) {
		t->has_host_gpu = true;
		t->host_gpu = (nleft == 1 ? left : left_igpu)->addr;
		t->host_gpu_from = HOST_GPU_LEFT;
		return 0;
	}
	list_gpus(devs, t, NULL, list, sizeof(list));
	ss_fail(&t->host_gpu_msg, -EEXIST,
		"%zu display controllers stay on the host (%s): say which one X runs on "
		"in vm mode with [host] gpu in %s",
		nleft, list, cp);
	return 0;
}

int target_resolve(const struct ss_config *c, const struct pci_list *devs, struct target *t,
		   struct ss_error *e)
{
	struct ss_error detmsg;
	const char *cp = c->path[0] ? c->path : SS_DEFAULT_CONFIG;
	struct pci_addr set[SS_MAX_FUNCS];
	bool any_display = false;
	int det, r = 0;

	memset(t, 0, sizeof(*t));
	det = detect_gpus(devs, &t->det, &detmsg);
	for (size_t i = 0; t->det.nintegrated == 1 && i < t->det.ngpu; i++) {
		if (t->det.gpu[i].kind == GPU_INTEGRATED) {
			t->has_igpu = true;
			t->igpu = t->det.gpu[i].addr;
		}
	}

	if (c->loaded && c->ndevices) {
		t->from_config = true;
		for (size_t i = 0; i < c->ndevices; i++)
			add_fn(t, &c->devices[i]);
	} else if (c->loaded && c->has_host_gpu) {
		r = vm_card_beside(cp, devs, t, &c->host_gpu, e);
	} else if (det < 0) {
		if (e)
			*e = detmsg;
		r = det;
	} else {
		for (size_t i = 0; i < t->det.nfuncs && t->n < SS_MAX_FUNCS; i++)
			add_fn(t, &t->det.funcs[i]);
	}
	for (size_t i = 0; i < t->n; i++)
		set[i] = t->fn[i].addr;
	for (size_t i = 0; r == 0 && i < t->n; i++) {
		r = check_function(cp, devs, set, t->n, &t->fn[i], e);
		if (r == 0) {
			const struct pci_dev *d = pci_find(devs, &t->fn[i].addr);
			any_display |= pci_is_display(d);
			t->render_only |= pci_is_render_only(d);
			host_driver_of(c, devs, &t->fn[i]);
		}
	}
	if (r == 0 && !any_display)
		r = ss_fail(e, -EINVAL,
			    "%s: [vm] devices has no display controller; list the GPU (class 03xx) and its "
			    "other functions",
			    cp);
	if (r == 0 && c->loaded && c->has_offload && !c->offload && t->render_only)
		r = ss_fail(
		    e, -EINVAL,
		    "%s: [host] offload is no, but the VM's GPU is a 3D controller without outputs: X "
		    "cannot run on it in host mode; remove the line (or set it to yes)",
		    cp);
	t->x_stays = t->render_only || (c->loaded && c->has_offload && c->offload);
	for (size_t i = 0; r == 0 && c->loaded && i < c->nhost; i++) {
		if (!in_set(set, t->n, &c->host[i].addr)) {
			char n[PCI_ADDR_LEN];
			pci_addr_format(&c->host[i].addr, n);
			r = ss_fail(e, -EINVAL,
				    "%s: [host] drivers names %s, which is not among the functions passed "
				    "through",
				    cp, n);
		}
	}
	if (r == 0 && c->loaded && c->has_bridge)
		r = check_bridge(cp, c, devs, t, e);
	if (r == 0)
		r = choose_host_gpu(cp, c, devs, t, e);
	return r;
}
