/* Human names for PCI classes and IDs.  With libpci the names come from
 * pci.ids; without it, classes from a short table and IDs stay numeric. */
#ifndef SS_PCINAMES_H
#define SS_PCINAMES_H

#include <stddef.h>
#include <stdint.h>

void pcinames_class(uint32_t class, char *out, size_t len);
/* "NVIDIA Corporation GP104 [GeForce GTX 1080]" or "" when unknown. */
void pcinames_device(uint16_t vendor, uint16_t device, char *out, size_t len);
void pcinames_cleanup(void);

#endif
