/* PCI addresses: the one hand-written validator (doc/security.md rule 8).
 * No sscanf: it accepts signs, spaces and overlong fields. */
#ifndef SS_PCIADDR_H
#define SS_PCIADDR_H

#include <stdbool.h>

#define PCI_ADDR_LEN 13 /* "dddd:bb:dd.f" + NUL */
#define PCI_DRIVER_LEN 64
/* The functions one switch moves, at most (a card has four since Turing). */
#define SS_MAX_FUNCS 8

struct pci_addr {
	unsigned domain; /* 0..0xffff */
	unsigned bus;	 /* 0..0xff */
	unsigned dev;	 /* 0..0x1f */
	unsigned fn;	 /* 0..7 */
};

/* Exactly "dddd:bb:dd.f", lowercase hex as the kernel writes it. */
bool pci_addr_parse_strict(const char *s, struct pci_addr *a);
/* Also "bb:dd.f" (domain 0) and either case, for what a person types. */
bool pci_addr_parse_user(const char *s, struct pci_addr *a);
void pci_addr_format(const struct pci_addr *a, char out[PCI_ADDR_LEN]);
int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b);
bool pci_addr_same_slot(const struct pci_addr *a, const struct pci_addr *b);
/* A driver or module name as the kernel has them: [A-Za-z0-9_-], 1..63. */
bool pci_driver_name_valid(const char *s);

#endif
