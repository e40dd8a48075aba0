#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "drm_probe.h"
#include "json.h"

int cli_probe(bool json)
{
	struct drm_probe p;
	struct ss_error e;

	if (drm_probe_all(&p, &e) < 0) {
		fprintf(stderr, "session-switch: %s\n", e.msg);
		if (json) {
			struct json j;
			json_init(&j, stdout);
			json_begin_object(&j);
			json_kstring(&j, "error", e.msg);
			json_kint(&j, "exit", EXIT_REFUSED);
			json_end_object(&j);
			json_finish(&j);
		}
		return EXIT_REFUSED;
	}
	if (json) {
		struct json j;
		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "gpus");
		json_begin_array(&j);
		for (size_t i = 0; i < p.n; i++) {
			const struct drm_card *c = &p.card[i];
			json_begin_object(&j);
			json_kstring(&j, "address", c->pci);
			json_kstring(&j, "driver", c->driver);
			json_kstring(&j, "card", c->primary);
			json_kstring(&j, "render", c->render);
			json_kint(&j, "connected", (long long)c->connected);
			json_kstring(&j, "error", c->error);
			json_key(&j, "connectors");
			json_begin_array(&j);
			for (size_t k = 0; k < c->nconn; k++) {
				json_begin_object(&j);
				json_kstring(&j, "name", c->conn[k].name);
				json_kstring(&j, "status", c->conn[k].status);
				json_kint(&j, "modes", c->conn[k].modes);
				json_end_object(&j);
			}
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
		json_finish(&j);
		return EXIT_OK;
	}
	if (p.n == 0)
		printf("No DRM device on a PCI bus.\n");
	for (size_t i = 0; i < p.n; i++) {
		const struct drm_card *c = &p.card[i];
		printf("%s  %-12s %s%s%s\n", c->pci, c->driver[0] ? c->driver : "?", c->primary,
		       c->render[0] ? "  " : "", c->render);
		if (c->error[0])
			printf("    %s\n", c->error);
		for (size_t k = 0; k < c->nconn; k++)
			printf("    %-16s %-13s %d modes\n", c->conn[k].name, c->conn[k].status,
			       c->conn[k].modes);
	}
	return EXIT_OK;
}
