#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

int cli_status(const struct machine *m, bool json)
{
	const struct target *t = &m->target;
	struct mode_report r;

	if (m->target_err) {
		fprintf(stderr, "session-switch: %s\n", m->target_msg.msg);
		return EXIT_REFUSED;
	}
	mode_of(t, &m->devs, &r);
	if (json) {
		struct json j;
		char b[PCI_ADDR_LEN];
		json_init(&j, stdout);
		json_begin_object(&j);
		json_kstring(&j, "mode", mode_str(r.mode));
		if (r.mode == MODE_MIXED)
			json_kstring(&j, "odd", r.odd);
		json_kstring(&j, "source", t->from_config ? "config" : "detected");
		json_key(&j, "functions");
		json_begin_array(&j);
		for (size_t i = 0; i < t->n; i++) {
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
		json_key(&j, "bridge");
		if (t->has_bridge) {
			pci_addr_format(&t->bridge, b);
			json_string(&j, b);
		} else {
			json_null(&j);
		}
		json_key(&j, "igpu");
		if (t->has_igpu) {
			pci_addr_format(&t->igpu, b);
			json_string(&j, b);
		} else {
			json_null(&j);
		}
		json_end_object(&j);
		json_finish(&j);
		return EXIT_OK;
	}
	printf("mode: %s", mode_str(r.mode));
	if (r.mode == MODE_MIXED)
		printf(" (odd: %s)", r.odd);
	printf("\n\n  %-13s %-15s %-22s %s\n", "FUNCTION", "NOW", "HOST", "VM");
	for (size_t i = 0; i < t->n; i++) {
		const struct pci_dev *d = pci_find(&m->devs, &t->fn[i].addr);
		char host[48];
		if (t->fn[i].host_driver[0])
			snprintf(host, sizeof(host), "%s (%s)", t->fn[i].host_driver, host_from_str(t->fn[i].host_from));
		else
			snprintf(host, sizeof(host), "(kernel's choice)");
		printf("  %-13s %-15s %-22s %s\n", t->fn[i].name, d && d->driver[0] ? d->driver : "-", host,
		       VFIO_DRIVER);
	}
	return EXIT_OK;
}
