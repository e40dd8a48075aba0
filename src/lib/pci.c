#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci.h"

#define DEVDIR "/sys/bus/pci/devices"

/* The attributes of one device are read through its directory, open as
 * dirfd: one lookup of the device instead of one per attribute. */
static int read_hex(const struct sysroot *sr, int dirfd, const char *name, const char *attr,
		    unsigned long max, unsigned long *out, struct ss_error *e)
{
	char dir[128], path[256], buf[64], *end;
	ssize_t n;

	snprintf(dir, sizeof(dir), DEVDIR "/%s", name);
	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	n = sysroot_read_in(sr, dirfd, dir, attr, buf, sizeof(buf));
	if (n < 0) {
		char shown[PATH_MAX];
		return ss_fail(e, (int)n, "%s: %s", sysroot_show(sr, path, shown, sizeof(shown)),
			       strerror((int)-n));
	}
	errno = 0;
	if (strncmp(buf, "0x", 2) != 0 || buf[2] == '\0')
		goto bad;
	*out = strtoul(buf + 2, &end, 16);
	if (errno || *end || *out > max)
		goto bad;
	return 0;
bad:;
	char shown[PATH_MAX];
	return ss_fail(e, -EINVAL, "%s: \"%s\" is not a hexadecimal value (0x...); the tree looks damaged",
		       sysroot_show(sr, path, shown, sizeof(shown)), buf);
}

/* The basename of a link like ../../../bus/pci/drivers/nvidia, or "". */
static int read_link_base(int dirfd, const char *attr, char *out, size_t len)
{
	char target[PATH_MAX];
	ssize_t n;

	n = sysroot_readlinkat(dirfd, attr, target, sizeof(target));
	if (n < 0) {
		out[0] = '\0';
		return (int)n;
	}
	const char *b = strrchr(target, '/');
	b = b ? b + 1 : target;
	if (strlen(b) >= len)
		return -ENAMETOOLONG;
	snprintf(out, len, "%s", b);
	return 0;
}

/* The upstream bridge is the path component before the device in the
 * devices/pciDDDD:BB/... chain that the bus link points to. */
static int read_parent(const struct sysroot *sr, struct pci_dev *d, struct ss_error *e)
{
	char path[256], target[PATH_MAX], shown[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), DEVDIR "/%s", d->name);
	n = sysroot_readlink(sr, path, target, sizeof(target));
	if (n < 0)
		return ss_fail(e, (int)n, "%s: not a link into /sys/devices (%s)",
			       sysroot_show(sr, path, shown, sizeof(shown)), strerror((int)-n));
	char *last = strrchr(target, '/');
	if (!last || strcmp(last + 1, d->name) != 0)
		return ss_fail(e, -EINVAL, "%s -> %s: the link does not end in the device's address",
			       sysroot_show(sr, path, shown, sizeof(shown)), target);
	*last = '\0';
	char *prev = strrchr(target, '/');
	prev = prev ? prev + 1 : target;
	d->has_parent = pci_addr_parse_strict(prev, &d->parent);
	return 0;
}

static int read_attrs(const struct sysroot *sr, int dirfd, const char *name, struct pci_dev *d,
		      struct ss_error *e)
{
	unsigned long v;
	char dir[128], buf[PCI_DRIVER_LEN + 8];
	int r;

	if ((r = read_hex(sr, dirfd, name, "class", 0xffffff, &v, e)) < 0)
		return r;
	d->class = (uint32_t)v;
	if ((r = read_hex(sr, dirfd, name, "vendor", 0xffff, &v, e)) < 0)
		return r;
	d->vendor = (uint16_t)v;
	if ((r = read_hex(sr, dirfd, name, "device", 0xffff, &v, e)) < 0)
		return r;
	d->device = (uint16_t)v;
	/* Subsystem IDs are informative only; old trees may lack them. */
	if (read_hex(sr, dirfd, name, "subsystem_vendor", 0xffff, &v, NULL) == 0)
		d->subvendor = (uint16_t)v;
	if (read_hex(sr, dirfd, name, "subsystem_device", 0xffff, &v, NULL) == 0)
		d->subdevice = (uint16_t)v;

	r = read_link_base(dirfd, "driver", d->driver, sizeof(d->driver));
	if (r < 0 && r != -ENOENT)
		return ss_fail(e, r, "%s: cannot read its driver link: %s", name, strerror(-r));

	/* driver_override is not read here: reading it takes the device
	 * lock, which a remove stuck in the driver (NVIDIA's, waiting for its
	 * usage count) holds for ever, and every command would hang on the
	 * scan.  pci_read_override() reads it where it is needed. */

	d->boot_vga = -1;
	snprintf(dir, sizeof(dir), DEVDIR "/%s", name);
	if (sysroot_read_in(sr, dirfd, dir, "boot_vga", buf, sizeof(buf)) >= 0)
		d->boot_vga = strcmp(buf, "1") == 0;

	d->iommu_group = -1;
	if (read_link_base(dirfd, "iommu_group", buf, sizeof(buf)) == 0) {
		char *end;
		long g = strtol(buf, &end, 10);
		if (*end || g < 0 || g > 1000000)
			return ss_fail(e, -EINVAL, "%s: iommu_group link ends in \"%s\", not a number", name,
				       buf);
		d->iommu_group = (int)g;
	}
	return read_parent(sr, d, e);
}

int pci_read_dev(const struct sysroot *sr, const char *name, struct pci_dev *d, struct ss_error *e)
{
	char path[256];
	int fd, r;

	memset(d, 0, sizeof(*d));
	if (!pci_addr_parse_strict(name, &d->addr))
		return ss_fail(e, -EINVAL, "\"%s\" in " DEVDIR " is not a PCI address", name);
	pci_addr_format(&d->addr, d->name);
	snprintf(path, sizeof(path), DEVDIR "/%s", name);
	fd = sysroot_openat(sr, path, O_PATH);
	if (fd < 0)
		return ss_fail(e, -ENOENT, "PCI device %s is not present", name);
	r = read_attrs(sr, fd, name, d, e);
	close(fd);
	return r;
}

/* The PCI function a class device hangs from: the last PCI address in the
 * path its class link points to.  A DRM card may sit directly below the
 * function (i915, nvidia) or below a bus of its own (virtio0/drm/card0). */
static bool owner_of(const char *target, struct pci_addr *a)
{
	bool found = false;
	char comp[PATH_MAX];
	const char *p = target;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n < sizeof(comp)) {
			memcpy(comp, p, n);
			comp[n] = '\0';
			if (pci_addr_parse_strict(comp, a))
				found = true; /* keep going: the last one is the owner */
		}
		p += n + (slash ? 1 : 0);
	}
	return found;
}

/* The function the link `name` of the class directory open as dirfd hangs from. */
static struct pci_dev *dev_of_link(int dirfd, struct pci_list *l, const char *name)
{
	char target[PATH_MAX];
	struct pci_addr a;

	if (sysroot_readlinkat(dirfd, name, target, sizeof(target)) < 0 || !owner_of(target, &a))
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (pci_addr_cmp(&l->dev[i].addr, &a) == 0)
			return &l->dev[i];
	return NULL;
}

/* Note each card*, renderD* of a class directory on the function it hangs
 * from, and count a DRM card's connectors (card0-DP-1) and the connected
 * ones: the monitors a person sees on that GPU. */
static void pci_attach_class(const struct sysroot *sr, struct pci_list *l, const char *classdir)
{
	bool drm = strstr(classdir, "drm") != NULL;
	struct dirent *de;
	DIR *d;

	if (sysroot_opendir(sr, classdir, &d) < 0)
		return;
	while ((de = readdir(d))) {
		char path[PATH_MAX], status[32];
		struct pci_dev *dev;
		bool card = strncmp(de->d_name, "card", 4) == 0 && !strchr(de->d_name, '-');
		bool conn = drm && strncmp(de->d_name, "card", 4) == 0 && strchr(de->d_name, '-');
		bool render = drm && strncmp(de->d_name, "renderD", 7) == 0;
		if (!card && !render && !conn)
			continue;
		if (!(dev = dev_of_link(dirfd(d), l, de->d_name)))
			continue;
		if (conn) {
			snprintf(path, sizeof(path), "%s/%s/status", classdir, de->d_name);
			dev->connectors++;
			if (sysroot_read(sr, path, status, sizeof(status)) >= 0 &&
			    strcmp(status, "connected") == 0)
				dev->connected++;
			continue;
		}
		if (strlen(de->d_name) >= sizeof(dev->drm_card))
			continue;
		char *slot = !drm ? dev->sound_card : card ? dev->drm_card : dev->drm_render;
		/* cards of one function: keep the lowest name, for a stable answer */
		if (!slot[0] || strcmp(de->d_name, slot) < 0)
			snprintf(slot, sizeof(dev->drm_card), "%s", de->d_name);
	}
	closedir(d);
}

static int cmp_dev(const void *a, const void *b)
{
	return pci_addr_cmp(&((const struct pci_dev *)a)->addr, &((const struct pci_dev *)b)->addr);
}

int pci_scan(const struct sysroot *sr, struct pci_list *out, struct ss_error *e)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *dir;
	int r;

	out->dev = NULL;
	out->n = 0;
	r = sysroot_opendir(sr, DEVDIR, &dir);
	if (r < 0) {
		char shown[PATH_MAX];
		return ss_fail(e, r, "%s: %s (is sysfs mounted?)",
			       sysroot_show(sr, DEVDIR, shown, sizeof(shown)), strerror(-r));
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct pci_dev *nd = realloc(out->dev, ncap * sizeof(*nd));
			if (!nd) {
				r = ss_fail(e, -ENOMEM, "out of memory");
				goto fail;
			}
			out->dev = nd;
			cap = ncap;
		}
		r = pci_read_dev(sr, de->d_name, &out->dev[out->n], e);
		if (r < 0)
			goto fail;
		out->n++;
	}
	closedir(dir);
	if (out->n)
		qsort(out->dev, out->n, sizeof(*out->dev), cmp_dev);
	pci_attach_class(sr, out, "/sys/class/drm");
	pci_attach_class(sr, out, "/sys/class/sound");
	return 0;
fail:
	closedir(dir);
	pci_list_free(out);
	return r;
}

bool pci_has_card(const struct sysroot *sr, const struct pci_addr *a, const char *kind)
{
	char classdir[32], target[PATH_MAX];
	struct pci_addr owner;
	struct dirent *de;
	bool found = false;
	DIR *d;

	/* the class directory, as pci_attach_class reads it: a card may sit
	 * below a child device of the function (virtio0/drm/card0) */
	snprintf(classdir, sizeof(classdir), "/sys/class/%s", kind);
	if (sysroot_opendir(sr, classdir, &d) < 0)
		return false;
	while (!found && (de = readdir(d))) {
		if (strncmp(de->d_name, "card", 4) != 0 || strchr(de->d_name, '-'))
			continue;
		found = sysroot_readlinkat(dirfd(d), de->d_name, target, sizeof(target)) >= 0 &&
			owner_of(target, &owner) && pci_addr_cmp(&owner, a) == 0;
	}
	closedir(d);
	return found;
}

int pci_read_override(const struct sysroot *sr, const char *name, char *out, size_t len)
{
	char path[PATH_MAX], buf[PCI_DRIVER_LEN + 8];
	ssize_t r;

	out[0] = '\0';
	snprintf(path, sizeof(path), DEVDIR "/%s/driver_override", name);
	r = sysroot_read(sr, path, buf, sizeof(buf));
	if (r >= 0 && strcmp(buf, "(null)") != 0)
		snprintf(out, len, "%.*s", (int)len - 1, buf);
	return r < 0 ? (int)r : 0;
}

void pci_list_free(struct pci_list *l)
{
	free(l->dev);
	l->dev = NULL;
	l->n = 0;
}

const struct pci_dev *pci_find(const struct pci_list *l, const struct pci_addr *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (pci_addr_cmp(&l->dev[i].addr, a) == 0)
			return &l->dev[i];
	return NULL;
}
