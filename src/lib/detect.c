#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "pcinames.h"

/* Classes an APU puts beside its GPU: the PSP (encryption), USB
 * controllers, the audio co-processor and the HD audio controller.  Audio
 * alone proves nothing (a card's HDMI audio may come from another vendor,
 * as in the reference guest); the PSP, USB or co-processor does. */
static bool platform_class(const struct pci_dev *d)
{
	unsigned c = pci_class16(d);
	return c == 0x1080 || c == 0x0c03 || c == 0x0480 || c == 0x0403;
}

static bool platform_proof(const struct pci_dev *d)
{
	unsigned c = pci_class16(d);
	return c == 0x1080 || c == 0x0c03 || c == 0x0480;
}

static bool below(const struct pci_dev *d, const struct pci_addr *bridge)
{
	return d->has_parent && pci_addr_cmp(&d->parent, bridge) == 0;
}

/* An APU's GPU sits alone behind a bridge of the root bus, in a slot it
 * shares with functions of another vendor (the CPU's: PSP, USB, audio).
 * A card's own extra functions carry the card's vendor, and a slot behind
 * a root port holds nothing else of the platform's. */
static bool apu_gpu(const struct pci_list *devs, const struct pci_dev *d)
{
	const struct pci_dev *b = d->has_parent ? pci_find(devs, &d->parent) : NULL;
	bool platform = false, other_slot = false;

	if (!b || b->has_parent)
		return false;
	for (size_t i = 0; i < devs->n; i++) {
		const struct pci_dev *x = &devs->dev[i];
		if (!below(x, &d->parent) || x == d)
			continue;
		if (!pci_addr_same_slot(&x->addr, &d->addr))
			other_slot = true;
		else if (x->vendor != d->vendor && platform_proof(x))
			platform = true;
	}
	return platform && !other_slot;
}

bool detect_apu_platform_function(const struct pci_list *devs, const struct pci_dev *d)
{
	for (size_t i = 0; i < devs->n; i++) {
		const struct pci_dev *g = &devs->dev[i];
		if (pci_is_display(g) && pci_addr_same_slot(&g->addr, &d->addr) && g->vendor != d->vendor &&
		    platform_class(d) && apu_gpu(devs, g))
			return true;
	}
	return false;
}

size_t detect_card_functions(const struct pci_list *devs, const struct pci_addr *a, struct pci_addr *out,
			     size_t max)
{
	const struct pci_dev *g = pci_find(devs, a);
	size_t n = 0;

	if (!g || max == 0)
		return 0;
	out[n++] = g->addr;
	for (size_t i = 0; i < devs->n && n < max; i++) {
		const struct pci_dev *d = &devs->dev[i];
		if (d == g || !pci_addr_same_slot(&d->addr, a) || pci_is_bridge(d))
			continue;
		if (d->vendor == g->vendor || (pci_is_audio(d) && !detect_apu_platform_function(devs, d)))
			out[n++] = d->addr;
	}
	return n;
}

const struct gpu *detect_find(const struct detect_result *r, const struct pci_addr *a)
{
	for (size_t i = 0; i < r->ngpu; i++)
		if (pci_addr_cmp(&r->gpu[i].addr, a) == 0)
			return &r->gpu[i];
	return NULL;
}

void detect_monitors(const struct pci_dev *d, char *out, size_t len)
{
	if (!d->drm_card[0])
		snprintf(out, len, "no DRM device, so its monitors are unknown");
	else if (d->connectors == 0)
		snprintf(out, len, "%s has no connectors", d->drm_card);
	else
		snprintf(out, len, "%d of %d connectors with a monitor", d->connected, d->connectors);
}

void detect_describe(const struct pci_list *devs, const struct gpu *g, char *out, size_t len)
{
	const struct pci_dev *d = pci_find(devs, &g->addr);
	char name[128] = "", where[64], mon[64], bn[PCI_ADDR_LEN];

	if (!d) {
		pci_addr_format(&g->addr, bn);
		snprintf(out, len, "%s", bn);
		return;
	}
	pcinames_device(d->vendor, d->device, name, sizeof(name));
	if (!name[0])
		snprintf(name, sizeof(name), "[%04x:%04x]", d->vendor, d->device);
	pci_addr_format(&g->bridge, bn);
	if (g->kind == GPU_INTEGRATED && !g->apu)
		snprintf(where, sizeof(where), "integrated, on the root bus");
	else if (g->apu)
		snprintf(where, sizeof(where), "an APU's, behind its internal bridge %s", bn);
	else
		snprintf(where, sizeof(where), "a card behind %s", bn);
	detect_monitors(d, mon, sizeof(mon));
	snprintf(out, len, "%s %s (%s%s, %s, %s)", d->name, name, where,
		 g->render_only ? ", a 3D controller without outputs" : "",
		 d->driver[0] ? d->driver : "no driver", mon);
}

/* "a; b; c" of every GPU, for the refusals. */
static void candidates(const struct pci_list *devs, const struct detect_result *r, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->ngpu && used < len; i++) {
		char one[512];
		detect_describe(devs, &r->gpu[i], one, sizeof(one));
		int w = snprintf(out + used, len - used, "%s%s", i ? "; " : "", one);
		used += w > 0 ? (size_t)w : 0;
	}
}

int detect_gpus(const struct pci_list *devs, struct detect_result *r, struct ss_error *e)
{
	char list[SS_ERRLEN - 512];
	int ret = 0;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < devs->n && r->ngpu < DETECT_MAX; i++) {
		const struct pci_dev *d = &devs->dev[i];
		struct gpu *g;
		bool second_head = false;
		if (!pci_is_display(d))
			continue;
		/* old dual-head cards show their second head as another display
		 * function of the slot: one GPU */
		for (size_t k = 0; k < r->ngpu; k++)
			second_head |= pci_addr_same_slot(&r->gpu[k].addr, &d->addr);
		if (second_head)
			continue;
		g = &r->gpu[r->ngpu++];
		g->addr = d->addr;
		g->render_only = pci_is_render_only(d);
		g->has_bridge = d->has_parent;
		g->bridge = d->parent;
		g->apu = apu_gpu(devs, d);
		g->kind = !d->has_parent || g->apu ? GPU_INTEGRATED : GPU_CARD;
		if (g->kind == GPU_INTEGRATED)
			r->nintegrated++;
		else
			r->ncards++;
	}
	candidates(devs, r, list, sizeof(list));
	if (r->ngpu == 0)
		ret = ss_fail(e, -ENODEV,
			      "no display controller on this machine: there is no GPU to pass through");
	else if (r->ncards == 0)
		ret = ss_fail(e, -ENODEV,
			      "no discrete GPU to pass through: %s is the integrated GPU, which the "
			      "host keeps for its desktop",
			      list);
	else if (r->nintegrated == 0 && r->ncards == 1)
		ret = ss_fail(e, -ENODEV,
			      "one GPU only (%s): handing it to the VM would leave the host without "
			      "a display",
			      list);
	else if (r->nintegrated != 1 || r->ncards != 1)
		ret = ss_fail(
		    e, -EEXIST,
		    "%zu GPUs (%s) and no single answer to which one the VM gets: name its "
		    "functions in [vm] devices of /etc/session-switch.conf, and the host's GPU in [host] gpu "
		    "if more than one would remain",
		    r->ngpu, list);
	if (ret == 0) {
		r->found = true;
		for (size_t i = 0; i < r->ngpu; i++) {
			if (r->gpu[i].kind == GPU_INTEGRATED)
				r->host = i;
			else
				r->vm = i;
		}
		r->nfuncs = detect_card_functions(devs, &r->gpu[r->vm].addr, r->funcs, DETECT_MAX);
	}
	return ret;
}
