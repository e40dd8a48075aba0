#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void json_addr(struct json *j, const char *key, bool has, const struct pci_addr *a)
{
	char b[PCI_ADDR_LEN];
	json_key(j, key);
	if (has) {
		pci_addr_format(a, b);
		json_string(j, b);
	} else {
		json_null(j);
	}
}

/* A machine whose target cannot be resolved is data too: which GPUs there
 * are and why none was chosen, on stdout; the refusal's exit code stays. */
static int status_json(const struct machine *m)
{
	const struct target *t = &m->target;
	struct mode_report r;
	struct json j;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "mode");
	if (m->target_err) {
		json_null(&j);
	} else {
		mode_of(t, &m->devs, &r);
		json_string(&j, mode_str(r.mode));
		if (r.mode == MODE_MIXED)
			json_kstring(&j, "odd", r.odd);
	}
	json_kstring(&j, "target", cli_target_state(m));
	cli_json_target_error(&j, m);
	json_kstring(&j, "source", m->target_err ? "none" : t->from_config ? "config" : "detected");
	json_key(&j, "functions");
	json_begin_array(&j);
	for (size_t i = 0; !m->target_err && i < t->n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		json_begin_object(&j);
		json_kstring(&j, "address", t->fn[i].name);
		json_key(&j, "driver");
		if (d && d->driver[0])
			json_string(&j, d->driver);
		else
			json_null(&j);
		json_key(&j, "host_driver");
		if (t->fn[i].host_driver[0])
			json_string(&j, t->fn[i].host_driver);
		else
			json_null(&j);
		json_kstring(&j, "host_driver_from", host_from_str(t->fn[i].host_from));
		json_kstring(&j, "vm_driver", VFIO_DRIVER);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_addr(&j, "bridge", !m->target_err && t->has_bridge, &t->bridge);
	json_addr(&j, "igpu", t->has_igpu, &t->igpu);
	json_addr(&j, "host_gpu", !m->target_err && t->has_host_gpu, &t->host_gpu);
	json_kstring(&j, "host_gpu_from", m->target_err ? "none" : host_gpu_from_str(t->host_gpu_from));
	json_kbool(&j, "render_only", !m->target_err && t->render_only);
	json_kbool(&j, "x_stays", !m->target_err && t->x_stays);
	cli_json_gpus(&j, m);
	json_end_object(&j);
	json_finish(&j);
	return m->target_err ? EXIT_REFUSED : EXIT_OK;
}

int cli_status(const struct machine *m, bool json)
{
	const struct target *t = &m->target;
	struct mode_report r;
	char hn[PCI_ADDR_LEN];

	if (json)
		return status_json(m);
	if (m->target_err) {
		printf("mode: unknown (no GPU is chosen for the VM)\n\n");
		for (size_t i = 0; i < t->det.ngpu; i++) {
			char one[512];
			detect_describe(&m->devs, &t->det.gpu[i], one, sizeof(one));
			printf("  %s\n", one);
		}
		fprintf(stderr, "session-switch: %s\n", m->target_msg.msg);
		return EXIT_REFUSED;
	}
	mode_of(t, &m->devs, &r);
	printf("mode: %s", mode_str(r.mode));
	if (r.mode == MODE_MIXED)
		printf(" (odd: %s)", r.odd);
	if (t->has_host_gpu) {
		pci_addr_format(&t->host_gpu, hn);
		printf("\nhost GPU: %s (%s)%s", hn, host_gpu_from_str(t->host_gpu_from),
		       t->render_only ? "; the VM's GPU is a 3D controller: X stays here in both modes"
		       : t->x_stays   ? "; [host] offload: X stays here in both modes"
				      : "");
	} else {
		printf("\nhost GPU: not chosen: ");
		cli_print_indented(stdout, t->host_gpu_msg.msg, 2);
	}
	printf("\n\n  %-13s %-15s %-22s %s\n", "FUNCTION", "NOW", "HOST", "VM");
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		char host[48];
		if (t->fn[i].host_driver[0])
			snprintf(host, sizeof(host), "%s (%s)", t->fn[i].host_driver,
				 host_from_str(t->fn[i].host_from));
		else
			snprintf(host, sizeof(host), "(kernel's choice)");
		printf("  %-13s %-15s %-22s %s\n", t->fn[i].name, d && d->driver[0] ? d->driver : "-", host,
		       VFIO_DRIVER);
	}
	return EXIT_OK;
}
