#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "pcinames.h"
#include "strbuf.h"

void cli_json_lines(struct json *j, const char *key, const char *lines)
{
	json_key(j, key);
	json_begin_array(j);
	for (const char *p = lines; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = strndup(p, n);
		json_string(j, one ? one : "(out of memory)");
		free(one);
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

static bool is_host_gpu(const struct machine *m, const struct pci_addr *a)
{
	const struct target *t = &m->target;
	if (!m->target_err && t->has_host_gpu)
		return pci_addr_cmp(&t->host_gpu, a) == 0;
	return m->target_err && t->has_igpu && pci_addr_cmp(&t->igpu, a) == 0;
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
	json_kbool(j, "host_gpu", is_host_gpu(m, &d->addr));
	json_end_object(j);
}

/* What the target's state is called in --json: a detection that cannot
 * choose is "ambiguous", one with nothing to choose from "none". */
const char *cli_target_state(const struct machine *m)
{
	switch (m->target_err) {
	case 0:
		return m->target.has_host_gpu ? "ok" : "host_gpu_ambiguous";
	case -EEXIST:
		return "ambiguous";
	default:
		return "none";
	}
}

void cli_json_target_error(struct json *j, const struct machine *m)
{
	json_key(j, "target_error");
	if (m->target_err)
		json_string(j, m->target_msg.msg);
	else if (!m->target.has_host_gpu)
		json_string(j, m->target.host_gpu_msg.msg);
	else
		json_null(j);
}

void cli_json_gpus(struct json *j, const struct machine *m)
{
	const struct detect_result *det = &m->target.det;

	json_key(j, "gpus");
	json_begin_array(j);
	for (size_t i = 0; i < det->ngpu; i++) {
		const struct gpu *g = &det->gpu[i];
		const struct pci_dev *d = pci_find(&m->devs, &g->addr);
		char buf[512];
		json_begin_object(j);
		pci_addr_format(&g->addr, buf);
		json_kstring(j, "address", buf);
		json_kstring(j, "kind", g->kind == GPU_INTEGRATED ? "integrated" : "card");
		json_kbool(j, "apu", g->apu);
		json_kbool(j, "render_only", g->render_only);
		json_key(j, "behind");
		if (g->has_bridge) {
			pci_addr_format(&g->bridge, buf);
			json_string(j, buf);
		} else {
			json_null(j);
		}
		pcinames_device(d->vendor, d->device, buf, sizeof(buf));
		json_kstring(j, "name", buf);
		json_key(j, "driver");
		if (d->driver[0])
			json_string(j, d->driver);
		else
			json_null(j);
		json_key(j, "monitors");
		if (d->drm_card[0])
			json_int(j, d->connected);
		else
			json_null(j);
		json_key(j, "role");
		if (is_target(m, &g->addr))
			json_string(j, "vm");
		else if (is_host_gpu(m, &g->addr))
			json_string(j, "host");
		else
			json_null(j);
		detect_describe(&m->devs, g, buf, sizeof(buf));
		json_kstring(j, "description", buf);
		json_end_object(j);
	}
	json_end_array(j);
}

/* One aligned line per device, like lspci -nnk folded onto a line. */
static void text_dev(const struct machine *m, const struct pci_dev *d)
{
	char cls[64], name[128];
	pcinames_class(d->class, cls, sizeof(cls));
	pcinames_device(d->vendor, d->device, name, sizeof(name));
	printf("  %c %s  %-28.28s [%04x]  %04x:%04x  %-15s %s\n",
	       is_target(m, &d->addr)	  ? '*'
	       : is_host_gpu(m, &d->addr) ? 'H'
					  : ' ',
	       d->name, cls, pci_class16(d), d->vendor, d->device, d->driver[0] ? d->driver : "-", name);
}

static void text_lines(const char *title, const char *lines)
{
	printf("%s\n", title);
	for (const char *p = lines; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("  - %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
}

int cli_groups(const struct machine *m, bool json)
{
	const struct target *t = &m->target;
	struct pci_addr set[SS_MAX_FUNCS];
	struct strbuf reasons = {0};
	bool viable = false;

	if (!m->target_err) {
		for (size_t i = 0; i < t->n; i++)
			set[i] = t->fn[i].addr;
		viable = iommu_viable(&m->groups, &m->devs, set, t->n, t->has_host_gpu ? &t->host_gpu : NULL,
				      &reasons);
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
			if (group_affected(m, gr))
				json_kbool(&j, "viable", viable);
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
		json_kstring(&j, "target", cli_target_state(m));
		cli_json_target_error(&j, m);
		cli_json_gpus(&j, m);
		json_key(&j, "viable");
		if (m->target_err)
			json_null(&j); /* nothing is chosen: neither viable nor not */
		else
			json_bool(&j, viable);
		cli_json_lines(&j, "reasons", viable || m->target_err ? "" : reasons.p ? reasons.p : "");
		json_end_object(&j);
		json_finish(&j);
		free(reasons.p);
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
	printf("\n* = passed through to the VM (%s), H = the host's GPU\n", m->target_err ? "none: see below"
									    : t->from_config
										? "from [vm] devices"
										: "detected");
	if (m->target_err == -EEXIST) {
		printf("Ambiguous: no single answer to which GPU the VM gets (every group may be fine):\n");
		for (size_t i = 0; i < t->det.ngpu; i++) {
			char one[512];
			detect_describe(&m->devs, &t->det.gpu[i], one, sizeof(one));
			printf("  - %s\n", one);
		}
		printf("  %s\n", target_fix(t, m->target_err));
	} else if (m->target_err) {
		printf("Nothing to pass through:\n  - %s\n  %s\n", m->target_msg.msg,
		       target_fix(t, m->target_err));
	} else if (!viable) {
		text_lines("Not viable:", reasons.p ? reasons.p : "(out of memory)");
	}
	if (!m->target_err && !t->has_host_gpu)
		text_lines("The host's GPU is not chosen:", t->host_gpu_msg.msg);
	free(reasons.p);
	return EXIT_OK;
}
