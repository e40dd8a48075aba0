#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "drm_probe.h"

static const char *status_str(drmModeConnection c)
{
	return c == DRM_MODE_CONNECTED	    ? "connected"
	       : c == DRM_MODE_DISCONNECTED ? "disconnected"
					    : "unknown";
}

static void read_connectors(struct drm_card *c, int fd)
{
	drmModeRes *res = drmModeGetResources(fd);
	if (!res) {
		snprintf(c->error, sizeof(c->error), "no mode setting resources (%s)", strerror(errno));
		return;
	}
	for (int i = 0; i < res->count_connectors && c->nconn < DRM_MAX_CONNECTORS; i++) {
		/* GetConnector (not ...Current) asks the driver to probe: the
		 * point is what is plugged in now. */
		drmModeConnector *k = drmModeGetConnector(fd, res->connectors[i]);
		if (!k)
			continue;
		struct drm_connector *o = &c->conn[c->nconn++];
		const char *type = drmModeGetConnectorTypeName(k->connector_type);
		snprintf(o->name, sizeof(o->name), "%s-%u", type ? type : "Unknown", k->connector_type_id);
		snprintf(o->status, sizeof(o->status), "%s", status_str(k->connection));
		o->modes = k->count_modes;
		if (k->connection == DRM_MODE_CONNECTED)
			c->connected++;
		drmModeFreeConnector(k);
	}
	drmModeFreeResources(res);
}

/* libdrm's strings into our fixed buffers, truncated if need be. */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int drm_probe_all(struct drm_probe *p, struct ss_error *e)
{
	drmDevicePtr devs[DRM_MAX_CARDS * 2];
	int n;

	memset(p, 0, sizeof(*p));
	n = drmGetDevices2(0, devs, DRM_MAX_CARDS * 2);
	if (n == -ENOENT)
		return 0; /* no /dev/dri at all: no GPU has a DRM driver bound */
	if (n < 0)
		return ss_fail(e, n, "listing DRM devices: %s", strerror(-n));
	for (int i = 0; i < n; i++) {
		drmDevicePtr d = devs[i];
		if (d->bustype != DRM_BUS_PCI || !(d->available_nodes & (1 << DRM_NODE_PRIMARY)) ||
		    p->n == DRM_MAX_CARDS)
			continue;
		struct drm_card *c = &p->card[p->n++];
		c->addr.domain = d->businfo.pci->domain;
		c->addr.bus = d->businfo.pci->bus;
		c->addr.dev = d->businfo.pci->dev;
		c->addr.fn = d->businfo.pci->func;
		pci_addr_format(&c->addr, c->pci);
		copy_str(c->primary, sizeof(c->primary), d->nodes[DRM_NODE_PRIMARY]);
		if (d->available_nodes & (1 << DRM_NODE_RENDER))
			copy_str(c->render, sizeof(c->render), d->nodes[DRM_NODE_RENDER]);
		char node[sizeof(c->primary)];
		memcpy(node, c->primary, sizeof(node));
		int fd = open(node, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(c->error, sizeof(c->error), "%s: %s", node, strerror(errno));
			continue;
		}
		drmVersionPtr v = drmGetVersion(fd);
		if (v) {
			snprintf(c->driver, sizeof(c->driver), "%.*s", v->name_len, v->name);
			drmFreeVersion(v);
		}
		read_connectors(c, fd);
		close(fd);
	}
	drmFreeDevices(devs, n);
	return 0;
}

const struct drm_card *drm_probe_find(const struct drm_probe *p, const struct pci_addr *a)
{
	for (size_t i = 0; i < p->n; i++)
		if (pci_addr_cmp(&p->card[i].addr, a) == 0)
			return &p->card[i];
	return NULL;
}

int drm_probe_require_display(const struct drm_probe *p, const struct pci_addr *a, struct ss_error *e)
{
	char an[PCI_ADDR_LEN], list[512] = "";
	size_t used = 0;
	const struct drm_card *c;

	pci_addr_format(a, an);
	c = drm_probe_find(p, a);
	if (!c)
		return ss_fail(e, -ENOENT,
			       "the GPU at %s has no DRM device: is its kernel driver (modesetting) "
			       "loaded?",
			       an);
	if (c->connected)
		return 0;
	for (size_t i = 0; i < c->nconn; i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s %s", i ? ", " : "", c->conn[i].name,
				 c->conn[i].status);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w;
	}
	if (c->error[0])
		return ss_fail(e, -ENODEV, "the GPU at %s (%s, %s): %s", an, c->driver, c->primary, c->error);
	return ss_fail(e, -ENODEV,
		       "no monitor is connected to the GPU at %s (%s, %s): %s; connect one (or "
		       "switch its input) before switching",
		       an, c->driver, c->primary, used ? list : "no connectors");
}
