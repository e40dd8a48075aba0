#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu.h"
#include "pcinames.h"
#include "target.h"

static void cmdline_value(const char *cmdline, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	out[0] = '\0';
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *tok = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		/* The last occurrence wins, as in the kernel's parser. */
		if ((size_t)(p - tok) > klen && strncmp(tok, key, klen) == 0 && tok[klen] == '=') {
			size_t vlen = (size_t)(p - tok) - klen - 1;
			if (vlen >= len)
				vlen = len - 1;
			memcpy(out, tok + klen + 1, vlen);
			out[vlen] = '\0';
		}
	}
}

static int count_entries(const struct sysroot *sr, const char *path)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (sysroot_opendir(sr, path, &d) < 0)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int iommu_read_state(const struct sysroot *sr, struct iommu_state *st, struct ss_error *e)
{
	char cmdline[4096];
	ssize_t n;

	memset(st, 0, sizeof(*st));
	st->enabled = count_entries(sr, "/sys/kernel/iommu_groups") > 0;
	st->units = count_entries(sr, "/sys/class/iommu");
	st->dmar_table = sysroot_exists(sr, "/sys/firmware/acpi/tables/DMAR");
	st->ivrs_table = sysroot_exists(sr, "/sys/firmware/acpi/tables/IVRS");
	n = sysroot_read(sr, "/proc/cmdline", cmdline, sizeof(cmdline));
	if (n < 0 && n != -ENOENT)
		return ss_fail(e, (int)n, "/proc/cmdline: %s", strerror((int)-n));
	if (n < 0)
		cmdline[0] = '\0';
	cmdline_value(cmdline, "intel_iommu", st->cmd_intel, sizeof(st->cmd_intel));
	cmdline_value(cmdline, "amd_iommu", st->cmd_amd, sizeof(st->cmd_amd));
	cmdline_value(cmdline, "iommu", st->cmd_iommu, sizeof(st->cmd_iommu));
	if (st->dmar_table)
		st->vendor = IOMMU_INTEL;
	else if (st->ivrs_table)
		st->vendor = IOMMU_AMD;
	else if (st->cmd_intel[0])
		st->vendor = IOMMU_INTEL;
	else if (st->cmd_amd[0])
		st->vendor = IOMMU_AMD;
	return 0;
}

void iommu_explain_off(const struct iommu_state *st, char *why, size_t wlen, char *fix, size_t flen)
{
	if (!st->dmar_table && !st->ivrs_table) {
		snprintf(why, wlen, "the firmware describes no IOMMU (no ACPI DMAR or IVRS table)");
		snprintf(fix, flen,
			 "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware (BIOS/UEFI) setup, "
			 "then boot with intel_iommu=on or amd_iommu=on");
		return;
	}
	if (strcmp(st->cmd_iommu, "off") == 0) {
		snprintf(why, wlen, "the kernel command line says iommu=off");
		snprintf(fix, flen,
			 "remove iommu=off from GRUB_CMDLINE_LINUX in /etc/default/grub, "
			 "then grub-mkconfig -o /boot/grub/grub.cfg and reboot");
		return;
	}
	if (st->vendor == IOMMU_INTEL) {
		if (strcmp(st->cmd_intel, "off") == 0)
			snprintf(why, wlen, "the kernel command line says intel_iommu=off");
		else
			snprintf(why, wlen,
				 "VT-d is described by the firmware (DMAR) but the kernel did not enable it");
		snprintf(fix, flen,
			 "add intel_iommu=on to GRUB_CMDLINE_LINUX in /etc/default/grub, "
			 "then grub-mkconfig -o /boot/grub/grub.cfg and reboot");
	} else {
		if (strcmp(st->cmd_amd, "off") == 0)
			snprintf(why, wlen, "the kernel command line says amd_iommu=off");
		else
			snprintf(
			    why, wlen,
			    "AMD-Vi is described by the firmware (IVRS) but the kernel did not enable it");
		snprintf(fix, flen,
			 "add amd_iommu=on iommu=pt to GRUB_CMDLINE_LINUX in /etc/default/grub, "
			 "then grub-mkconfig -o /boot/grub/grub.cfg and reboot");
	}
}

static int cmp_addr(const void *a, const void *b)
{
	return pci_addr_cmp(a, b);
}

static int cmp_group(const void *a, const void *b)
{
	const struct iommu_group *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int read_group(const struct sysroot *sr, struct iommu_group *g, struct ss_error *e)
{
	char path[128];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int r;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", g->id);
	r = sysroot_opendir(sr, path, &d);
	if (r < 0)
		return ss_fail(e, r, "%s: %s", path, strerror(-r));
	while ((de = readdir(d))) {
		struct pci_addr a;
		if (de->d_name[0] == '.')
			continue;
		if (!pci_addr_parse_strict(de->d_name, &a)) {
			g->other++;
			continue;
		}
		if (g->n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct pci_addr *nm = realloc(g->members, ncap * sizeof(*nm));
			if (!nm) {
				closedir(d);
				return ss_fail(e, -ENOMEM, "out of memory");
			}
			g->members = nm;
			cap = ncap;
		}
		g->members[g->n++] = a;
	}
	closedir(d);
	if (g->n)
		qsort(g->members, g->n, sizeof(*g->members), cmp_addr);
	return 0;
}

int iommu_read_groups(const struct sysroot *sr, struct iommu_groups *out, struct ss_error *e)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int r;

	out->g = NULL;
	out->n = 0;
	r = sysroot_opendir(sr, "/sys/kernel/iommu_groups", &d);
	if (r == -ENOENT)
		return 0; /* no IOMMU support in this kernel at all: no groups */
	if (r < 0)
		return ss_fail(e, r, "/sys/kernel/iommu_groups: %s", strerror(-r));
	while ((de = readdir(d))) {
		char *end;
		long id;
		if (de->d_name[0] == '.')
			continue;
		id = strtol(de->d_name, &end, 10);
		if (*end || id < 0 || id > 1000000)
			continue;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct iommu_group *ng = realloc(out->g, ncap * sizeof(*ng));
			if (!ng) {
				r = ss_fail(e, -ENOMEM, "out of memory");
				goto fail;
			}
			out->g = ng;
			cap = ncap;
		}
		memset(&out->g[out->n], 0, sizeof(out->g[out->n]));
		out->g[out->n].id = (int)id;
		out->n++;
		if ((r = read_group(sr, &out->g[out->n - 1], e)) < 0)
			goto fail;
	}
	closedir(d);
	if (out->n)
		qsort(out->g, out->n, sizeof(*out->g), cmp_group);
	return 0;
fail:
	closedir(d);
	iommu_groups_free(out);
	return r;
}

void iommu_groups_free(struct iommu_groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->g[i].members);
	free(g->g);
	g->g = NULL;
	g->n = 0;
}

const struct iommu_group *iommu_group_find(const struct iommu_groups *g, int id)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->g[i].id == id)
			return &g->g[i];
	return NULL;
}

static bool in_set(const struct pci_addr *set, size_t n, const struct pci_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (pci_addr_cmp(&set[i], a) == 0)
			return true;
	return false;
}

static void add_reason(struct strbuf *reasons, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_reason(struct strbuf *reasons, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;

	if (!reasons)
		return;
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (reasons->len)
		strbuf_put(reasons, "\n", 1);
	if (line)
		strbuf_put(reasons, line, strlen(line));
	else
		reasons->failed = 1;
	free(line);
}

/* What can be done about a device that shares a group with the set, said
 * only in terms the configuration accepts: a function of the card itself
 * may be added to [vm] devices; the host's GPU and anything else (a NIC,
 * a chipset function) cannot go to the VM, so the answer is the slot or
 * ACS. */
static void advise(struct strbuf *reasons, const struct pci_list *devs, const struct pci_addr *set,
		   size_t nset, const struct pci_addr *host_gpu, const struct pci_dev *md, int group,
		   const char *an)
{
	char cls[64];
	const char *drv = md->driver[0] ? md->driver : "no driver";

	pcinames_class(md->class, cls, sizeof(cls));
	if (host_gpu && pci_addr_same_slot(host_gpu, &md->addr))
		add_reason(
		    reasons,
		    "%s (%s, driver %s) belongs to the host's GPU and shares IOMMU group %d with %s: "
		    "the two cards cannot be separated; put one of them in a slot with an IOMMU group of its "
		    "own, or enable ACS in the firmware",
		    md->name, cls, drv, group, an);
	else if (target_class_allowed(devs, set, nset, md))
		add_reason(
		    reasons,
		    "%s (%s, driver %s) shares IOMMU group %d with %s but is not passed through: "
		    "add %s to [vm] devices (it is a function of the card), or move the card to a slot with "
		    "an IOMMU group of its own",
		    md->name, cls, drv, group, an, md->name);
	else
		add_reason(
		    reasons,
		    "%s (%s, driver %s) shares IOMMU group %d with %s and cannot go to the VM: "
		    "move the card to a slot with an IOMMU group of its own, or enable ACS in the firmware",
		    md->name, cls, drv, group, an);
}

bool iommu_viable(const struct iommu_groups *groups, const struct pci_list *devs, const struct pci_addr *set,
		  size_t nset, const struct pci_addr *host_gpu, struct strbuf *reasons)
{
	bool ok = true;
	int seen[SS_MAX_FUNCS];
	size_t nseen = 0;

	if (nset == 0) {
		add_reason(reasons, "no device is chosen to pass through");
		return false;
	}
	for (size_t i = 0; i < nset; i++) {
		char an[PCI_ADDR_LEN];
		const struct pci_dev *d = pci_find(devs, &set[i]);
		pci_addr_format(&set[i], an);
		if (!d) {
			add_reason(reasons, "%s is not present on this machine", an);
			ok = false;
			continue;
		}
		if (d->iommu_group < 0) {
			add_reason(reasons, "%s is in no IOMMU group: the IOMMU is off", an);
			ok = false;
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < nseen; k++)
			dup |= seen[k] == d->iommu_group;
		if (dup)
			continue;
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = d->iommu_group;
		const struct iommu_group *g = iommu_group_find(groups, d->iommu_group);
		if (!g) {
			add_reason(reasons,
				   "%s names IOMMU group %d, which is not in /sys/kernel/iommu_groups", an,
				   d->iommu_group);
			ok = false;
			continue;
		}
		if (g->other) {
			add_reason(reasons,
				   "IOMMU group %d holds %zu non-PCI device(s) besides %s; "
				   "they cannot be handed to vfio-pci",
				   g->id, g->other, an);
			ok = false;
		}
		for (size_t m = 0; m < g->n; m++) {
			const struct pci_dev *md;
			char mn[PCI_ADDR_LEN];
			if (in_set(set, nset, &g->members[m]))
				continue;
			md = pci_find(devs, &g->members[m]);
			pci_addr_format(&g->members[m], mn);
			if (!md) {
				add_reason(reasons,
					   "%s is in IOMMU group %d but not under /sys/bus/pci/devices", mn,
					   g->id);
				ok = false;
				continue;
			}
			if (pci_is_bridge(md))
				continue; /* stays on pcieport; never passed through */
			if (!md->driver[0] || strcmp(md->driver, "vfio-pci") == 0 ||
			    strcmp(md->driver, "pci-stub") == 0)
				continue;
			advise(reasons, devs, set, nset, host_gpu, md, g->id, an);
			ok = false;
		}
	}
	return ok;
}
