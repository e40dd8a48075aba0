#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xorgconf.h"

void xorg_busid(const struct pci_addr *a, char *out, size_t len)
{
	/* Xorg parses BusID numbers as decimal: the seed's "PCI:0:2:0" is
	 * right only because its numbers are below 10. */
	if (a->domain)
		snprintf(out, len, "PCI:%u@%u:%u:%u", a->bus, a->domain, a->dev, a->fn);
	else
		snprintf(out, len, "PCI:%u:%u:%u", a->bus, a->dev, a->fn);
}

int xorgconf_render(const char *tmpl, const struct xorg_vars *v, char **out, struct ss_error *e)
{
	struct strbuf b = {0};
	char busid[40], pci[PCI_ADDR_LEN];
	const char *p = tmpl;

	xorg_busid(&v->addr, busid, sizeof(busid));
	pci_addr_format(&v->addr, pci);
	const struct {
		const char *key, *val;
	} vars[] = {
	    {"MARKER", SS_MARKER},
	    {"MODE", v->mode},
	    {"IDENTIFIER", v->identifier},
	    {"DRIVER", v->driver},
	    {"BUSID", busid},
	    {"PCI", pci},
	    {"OPTIONS", v->options ? v->options : ""},
	};
	while (*p) {
		const char *at = strchr(p, '@');
		if (!at) {
			strbuf_put(&b, p, strlen(p));
			break;
		}
		strbuf_put(&b, p, (size_t)(at - p));
		const char *end = strchr(at + 1, '@');
		size_t i, klen = end ? (size_t)(end - at - 1) : 0;
		for (i = 0; end && i < sizeof(vars) / sizeof(vars[0]); i++)
			if (strlen(vars[i].key) == klen && strncmp(at + 1, vars[i].key, klen) == 0)
				break;
		if (!end || i == sizeof(vars) / sizeof(vars[0])) {
			free(b.p);
			return ss_fail(e, -EINVAL, "template: unknown placeholder at \"%.20s\"", at);
		}
		strbuf_put(&b, vars[i].val, strlen(vars[i].val));
		p = end + 1;
	}
	*out = strbuf_take(&b);
	return *out ? 0 : ss_fail(e, -ENOMEM, "out of memory");
}
