/* Which mode the devices are in: all on vfio-pci, none, or a mixture
 * named function by function. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "mode.h"

void mode_of(const struct target *t, const struct pci_list *devs, struct mode_report *r)
{
	size_t on_vfio = 0, used = 0;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(devs, &t->fn[i].addr);
		if (d && strcmp(d->driver, VFIO_DRIVER) == 0)
			on_vfio++;
	}
	if (t->n && on_vfio == t->n) {
		r->mode = MODE_VM;
		return;
	}
	if (on_vfio == 0) {
		r->mode = MODE_HOST;
		return;
	}
	/* Name the functions that are not where the majority is. */
	r->mode = MODE_MIXED;
	bool odd_is_vfio = on_vfio * 2 <= t->n;
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(devs, &t->fn[i].addr);
		bool vfio = d && strcmp(d->driver, VFIO_DRIVER) == 0;
		if (vfio != odd_is_vfio)
			continue;
		int w = snprintf(r->odd + used, sizeof(r->odd) - used, "%s%s on %s", used ? ", " : "",
				 t->fn[i].name, d && d->driver[0] ? d->driver : "no driver");
		if (w > 0 && (size_t)w < sizeof(r->odd) - used)
			used += (size_t)w;
	}
}
