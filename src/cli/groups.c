#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "pcinames.h"

void cli_json_lines(struct json *j, const char *key, const char *lines)
{
	json_key(j, key);
	json_begin_array(j);
	for (const char *p = lines; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char one[1024];
		if (n >= sizeof(one))
			n = sizeof(one) - 1;
		memcpy(one, p, n);
		one[n] = '\0';
		json_string(j, one);
		p = nl ? nl + 1 : p + n;
	}
	json_end_array(j);
}

static bool is_target(const struct machine *m, const struct pci_addr *a)
{
	if (m->target_err)
		return false;
	for (size_t i = 0; i < m->target.n; i++)
		if (pci_addr_cmp(&m->target.fn[i].addr, a) == 0)
			return true;
	return false;
}

static bool group_affected(const struct machine *m, const struct iommu_group *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (is_target(m, &g->members[i]))
			return true;
	return false;
}

static void hex(char *out, size_t len, unsigned v, int digits)
{
	snprintf(out, len, "0x%0*x", digits, v);
}

static void json_dev(struct json *j, const struct machine *m, const struct pci_dev *d)
{
	char buf[160];
	json_begin_object(j);
	json_kstring(j, "address", d->name);
	hex(buf, sizeof(buf), d->class, 6);
	json_kstring(j, "class", buf);
	pcinames_class(d->class, buf, sizeof(buf));
	json_kstring(j, "class_name", buf);
	hex(buf, sizeof(buf), d->vendor, 4);
	json_kstring(j, "vendor", buf);
	hex(buf, sizeof(buf), d->device, 4);
	json_kstring(j, "device", buf);
	pcinames_device(d->vendor, d->device, buf, sizeof(buf));
	json_kstring(j, "name", buf);
	json_key(j, "driver");
	if (d->driver[0])
		json_string(j, d->driver);
	else
		json_null(j);
	json_kbool(j, "passthrough", is_target(m, &d->addr));
	json_end_object(j);
}

/* One aligned line per device, like lspci -nnk folded onto a line. */
static void text_dev(const struct machine *m, const struct pci_dev *d)
{
	char cls[64], name[128];
	pcinames_class(d->class, cls, sizeof(cls));
	pcinames_device(d->vendor, d->device, name, sizeof(name));
	printf("  %c %s  %-28.28s [%04x]  %04x:%04x  %-15s %s\n", is_target(m, &d->addr) ? '*' : ' ', d->name,
	       cls, pci_class16(d), d->vendor, d->device, d->driver[0] ? d->driver : "-", name);
}

int cli_groups(const struct machine *m, bool json)
{
	struct pci_addr set[SS_MAX_FUNCS];
	char reasons[2048] = "";
	bool viable = false;

	if (!m->target_err) {
		for (size_t i = 0; i < m->target.n; i++)
			set[i] = m->target.fn[i].addr;
		viable = iommu_viable(&m->groups, &m->devs, set, m->target.n, reasons, sizeof(reasons));
	} else {
		snprintf(reasons, sizeof(reasons), "%s", m->target_msg.msg);
	}

	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kbool(&j, "iommu", m->iommu.enabled);
		json_key(&j, "groups");
		json_begin_array(&j);
		for (size_t g = 0; g < m->groups.n; g++) {
			const struct iommu_group *gr = &m->groups.g[g];
			json_begin_object(&j);
			json_kint(&j, "id", gr->id);
			if (group_affected(m, gr)) {
				char r[2048];
				json_kbool(&j, "viable", iommu_viable(&m->groups, &m->devs, set, m->target.n, r, sizeof(r)));
			}
			json_key(&j, "devices");
			json_begin_array(&j);
			for (size_t k = 0; k < gr->n; k++) {
				const struct pci_dev *d = pci_find(&m->devs, &gr->members[k]);
				if (d)
					json_dev(&j, m, d);
			}
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
		/* Devices in no group: everything when the IOMMU is off. */
		json_key(&j, "ungrouped");
		json_begin_array(&j);
		for (size_t i = 0; i < m->devs.n; i++)
			if (m->devs.dev[i].iommu_group < 0)
				json_dev(&j, m, &m->devs.dev[i]);
		json_end_array(&j);
		json_kbool(&j, "viable", viable);
		cli_json_lines(&j, "reasons", viable ? "" : reasons);
		json_end_object(&j);
		json_finish(&j);
		return EXIT_OK;
	}

	if (!m->iommu.enabled)
		printf("The IOMMU is off: no groups.  Run session-switch doctor for the fix.\n\n");
	for (size_t g = 0; g < m->groups.n; g++) {
		const struct iommu_group *gr = &m->groups.g[g];
		printf("IOMMU group %d", gr->id);
		if (group_affected(m, gr))
			printf("  (passed through: %s)", viable ? "viable" : "NOT viable");
		printf("\n");
		for (size_t k = 0; k < gr->n; k++) {
			const struct pci_dev *d = pci_find(&m->devs, &gr->members[k]);
			if (d)
				text_dev(m, d);
		}
		if (gr->other)
			printf("    (+%zu non-PCI device(s))\n", gr->other);
	}
	bool header = false;
	for (size_t i = 0; i < m->devs.n; i++) {
		if (m->devs.dev[i].iommu_group >= 0)
			continue;
		if (!header)
			printf("%sIn no IOMMU group\n", m->groups.n ? "\n" : "");
		header = true;
		text_dev(m, &m->devs.dev[i]);
	}
	printf("\n* = passed through to the VM (%s)\n",
	       m->target_err ? "none: see below" : m->target.from_config ? "from [vm] devices" : "detected");
	if (!viable) {
		printf("Not viable:\n");
		for (const char *p = reasons; *p;) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);
			printf("  - %.*s\n", n, p);
			p += n + (nl ? 1 : 0);
		}
	}
	return EXIT_OK;
}
