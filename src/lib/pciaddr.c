#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pciaddr.h"

static int hexval(char c, bool any_case)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (any_case && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n hex digits at s; no more, no less. */
static bool hexfield(const char *s, int n, bool any_case, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		int d = hexval(s[i], any_case);
		if (d < 0)
			return false;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return true;
}

static bool parse_bdf(const char *s, bool any_case, struct pci_addr *a)
{
	/* "bb:dd.f" and nothing after it */
	if (strlen(s) != 7 || s[2] != ':' || s[5] != '.')
		return false;
	if (!hexfield(s, 2, any_case, &a->bus) || !hexfield(s + 3, 2, any_case, &a->dev))
		return false;
	if (s[6] < '0' || s[6] > '7')
		return false;
	a->fn = (unsigned)(s[6] - '0');
	return a->dev <= 0x1f;
}

bool pci_addr_parse_strict(const char *s, struct pci_addr *a)
{
	struct pci_addr t;

	if (!s || strlen(s) != 12 || s[4] != ':')
		return false;
	if (!hexfield(s, 4, false, &t.domain) || !parse_bdf(s + 5, false, &t))
		return false;
	*a = t;
	return true;
}

bool pci_addr_parse_user(const char *s, struct pci_addr *a)
{
	struct pci_addr t;
	size_t n;

	if (!s)
		return false;
	n = strlen(s);
	if (n == 12) {
		if (s[4] != ':' || !hexfield(s, 4, true, &t.domain) || !parse_bdf(s + 5, true, &t))
			return false;
	} else if (n == 7) {
		t.domain = 0;
		if (!parse_bdf(s, true, &t))
			return false;
	} else {
		return false;
	}
	*a = t;
	return true;
}

void pci_addr_format(const struct pci_addr *a, char out[PCI_ADDR_LEN])
{
	snprintf(out, PCI_ADDR_LEN, "%04x:%02x:%02x.%u", a->domain & 0xffff, a->bus & 0xff, a->dev & 0x1f,
		 a->fn & 7);
}

int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->fn != b->fn)
		return a->fn < b->fn ? -1 : 1;
	return 0;
}

bool pci_addr_same_slot(const struct pci_addr *a, const struct pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->dev == b->dev;
}

bool pci_driver_name_valid(const char *s)
{
	size_t n = strlen(s);
	bool ok = n > 0 && n < PCI_DRIVER_LEN;

	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		     (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-';
	return ok;
}
