/* The DRM probe (doc/design.md step 7): which card's driver owns which
 * connected connector, by PCI address, before X starts.  Card numbers
 * change between boots and after a rescan: nothing here relies on them. */
#ifndef SS_DRM_PROBE_H
#define SS_DRM_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pciaddr.h"

#define DRM_MAX_CARDS 8
#define DRM_MAX_CONNECTORS 16

struct drm_connector {
	char name[32];	 /* "DP-1", "Virtual-1" */
	char status[16]; /* "connected", "disconnected", "unknown" */
	int modes;
};

struct drm_card {
	struct pci_addr addr;
	char pci[PCI_ADDR_LEN];
	char driver[32];  /* from DRM_IOCTL_VERSION: "i915", "virtio_gpu" */
	char primary[32]; /* "/dev/dri/card0" */
	char render[32];  /* "/dev/dri/renderD128" or "" */
	struct drm_connector conn[DRM_MAX_CONNECTORS];
	size_t nconn;
	size_t connected;
	char error[128]; /* why its connectors could not be read, or "" */
};

struct drm_probe {
	struct drm_card card[DRM_MAX_CARDS];
	size_t n;
};

/* Probe every PCI DRM device on the live system. */
int drm_probe_all(struct drm_probe *p, struct ss_error *e);
const struct drm_card *drm_probe_find(const struct drm_probe *p, const struct pci_addr *a);
/* 0 when the card at a drives a connected connector; otherwise -ENODEV /
 * -ENOENT with a message naming the GPU and its connectors. */
int drm_probe_require_display(const struct drm_probe *p, const struct pci_addr *a, struct ss_error *e);

#endif
