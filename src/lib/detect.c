#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "detect.h"

int detect_gpus(const struct pci_list *devs, struct detect_result *r, struct ss_error *e)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < devs->n; i++) {
		const struct pci_dev *d = &devs->dev[i];
		if (!pci_is_display(d))
			continue;
		if (!d->has_parent) {
			if (!r->has_igpu) {
				r->has_igpu = true;
				r->igpu = d->addr;
			}
		} else if (r->ncand < DETECT_MAX) {
			r->cand[r->ncand++] = d->addr;
		}
	}
	if (r->ncand == 0)
		return ss_fail(e, -ENODEV,
			       "no display controller sits behind a PCIe port, so there is no discrete GPU to "
			       "pass through; if there is one, name its functions in [vm] devices");
	if (r->ncand > 1) {
		char list[256] = "";
		size_t used = 0;
		for (size_t i = 0; i < r->ncand; i++) {
			char n[PCI_ADDR_LEN];
			pci_addr_format(&r->cand[i], n);
			int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", n);
			if (w > 0 && (size_t)w < sizeof(list) - used)
				used += (size_t)w;
		}
		return ss_fail(e, -EEXIST,
			       "%zu display controllers sit behind PCIe ports (%s): an APU's iGPU or a second "
			       "discrete GPU; say which one goes to the VM with [vm] devices in "
			       "/etc/session-switch.conf", r->ncand, list);
	}
	r->found = true;
	r->dgpu = r->cand[0];
	/* dgpu first, then its siblings in address order. */
	r->funcs[r->nfuncs++] = r->dgpu;
	for (size_t i = 0; i < devs->n && r->nfuncs < DETECT_MAX; i++) {
		const struct pci_dev *d = &devs->dev[i];
		if (pci_addr_same_slot(&d->addr, &r->dgpu) && pci_addr_cmp(&d->addr, &r->dgpu) != 0)
			r->funcs[r->nfuncs++] = d->addr;
	}
	return 0;
}
