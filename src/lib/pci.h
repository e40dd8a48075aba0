/* The PCI devices as sysfs shows them: IDs, class, driver, override,
 * boot_vga, parent bridge and IOMMU group.  Read-only. */
#ifndef SS_PCI_H
#define SS_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "pciaddr.h"
#include "sysroot.h"

struct pci_dev {
	struct pci_addr addr;
	char name[PCI_ADDR_LEN]; /* "0000:01:00.0" */
	uint32_t class;		 /* 0xCCSSPP: class, subclass, prog-if */
	uint16_t vendor, device;
	uint16_t subvendor, subdevice;
	char driver[PCI_DRIVER_LEN];   /* "" when unbound */
	char override[PCI_DRIVER_LEN]; /* "" unless pci_read_override() filled it */
	int boot_vga;		       /* 1, 0, or -1 when the file is absent */
	int iommu_group;	       /* -1 when not in a group */
	bool has_parent;	       /* false: on a root bus */
	struct pci_addr parent;	       /* upstream bridge when has_parent */
	char sound_card[16];	       /* "card1" when an ALSA card hangs here */
	char drm_card[16];	       /* "card0" when a DRM card hangs here */
	char drm_render[16];	       /* "renderD128" */
	int connectors;		       /* connectors of its DRM card */
	int connected;		       /* those with a monitor ("connected") */
};

struct pci_list {
	struct pci_dev *dev;
	size_t n;
};

int pci_scan(const struct sysroot *sr, struct pci_list *out, struct ss_error *e);
/* Re-read one device (after a driver change); -ENOENT when it is gone. */
int pci_read_dev(const struct sysroot *sr, const char *name, struct pci_dev *d, struct ss_error *e);
/* The function's driver_override ("" for none).  Not part of the scan:
 * the kernel takes the device lock to read it, and a stuck remove holds
 * that lock; never call it on a function a switch left stuck. */
int pci_read_override(const struct sysroot *sr, const char *name, char *out, size_t len);
void pci_list_free(struct pci_list *l);
/* Does the function have a card of `kind` ("drm" or "sound") registered
 * below it now?  One class directory read, for waits that poll it. */
bool pci_has_card(const struct sysroot *sr, const struct pci_addr *a, const char *kind);
const struct pci_dev *pci_find(const struct pci_list *l, const struct pci_addr *a);

static inline unsigned pci_base_class(const struct pci_dev *d)
{
	return d->class >> 16;
}
static inline unsigned pci_class16(const struct pci_dev *d)
{
	return d->class >> 8;
}
static inline bool pci_is_display(const struct pci_dev *d)
{
	return pci_base_class(d) == 0x03;
}
/* A 3D controller (0x0302): a GPU without outputs, as on Optimus laptops. */
static inline bool pci_is_render_only(const struct pci_dev *d)
{
	return pci_class16(d) == 0x0302;
}
static inline bool pci_is_audio(const struct pci_dev *d)
{
	return pci_class16(d) == 0x0403;
}
static inline bool pci_is_bridge(const struct pci_dev *d)
{
	return pci_class16(d) == 0x0604;
}

#endif
