#include "config.h"

#include <stdio.h>
#include <string.h>

#if defined(HAVE_LIBPCI) && !defined(SS_PRIVILEGED)
#include <pci/pci.h>
#endif

#include "pcinames.h"

/* Enough to read a GPU passthrough listing without pci.ids. */
static const struct {
	unsigned cls;
	const char *name;
} classes[] = {
    {0x0100, "SCSI storage controller"},
    {0x0101, "IDE interface"},
    {0x0106, "SATA controller"},
    {0x0108, "Non-Volatile memory controller"},
    {0x0200, "Ethernet controller"},
    {0x0280, "Network controller"},
    {0x0300, "VGA compatible controller"},
    {0x0302, "3D controller"},
    {0x0380, "Display controller"},
    {0x0401, "Multimedia audio controller"},
    {0x0403, "Audio device"},
    {0x0580, "Memory controller"},
    {0x0600, "Host bridge"},
    {0x0601, "ISA bridge"},
    {0x0604, "PCI bridge"},
    {0x0780, "Communication controller"},
    {0x0880, "System peripheral"},
    {0x0c03, "USB controller"},
    {0x0c05, "SMBus"},
    {0x0c80, "Serial bus controller"},
    {0x1180, "Signal processing controller"},
};

static const char *table_class(unsigned cls16)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].cls == cls16)
			return classes[i].name;
	return NULL;
}

#if defined(HAVE_LIBPCI) && !defined(SS_PRIVILEGED)
static struct pci_access *pacc;
static int pacc_failed;

/* Warnings about a missing or odd pci.ids only cost us names: keep them
 * off the user's terminal.  The error hook stays libpci's own: it is
 * called only when memory runs out, and must not return. */
static void quiet(char *msg, ...)
{
	(void)msg;
}

static struct pci_access *names(void)
{
	if (!pacc && !pacc_failed) {
		pacc = pci_alloc();
		if (!pacc) {
			pacc_failed = 1;
			return NULL;
		}
		pacc->warning = quiet;
		pacc->debug = quiet;
	}
	return pacc;
}
#endif

void pcinames_class(uint32_t class, char *out, size_t len)
{
	const char *t = table_class(class >> 8);
#if defined(HAVE_LIBPCI) && !defined(SS_PRIVILEGED)
	struct pci_access *a = names();
	if (a) {
		char *n = pci_lookup_name(a, out, (int)len, PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS,
					  (int)(class >> 8));
		if (n && n != out)
			snprintf(out, len, "%s", n);
		if (n && out[0])
			return;
	}
#endif
	if (t)
		snprintf(out, len, "%s", t);
	else
		snprintf(out, len, "Class %04x", (unsigned)(class >> 8));
}

void pcinames_device(uint16_t vendor, uint16_t device, char *out, size_t len)
{
	out[0] = '\0';
#if defined(HAVE_LIBPCI) && !defined(SS_PRIVILEGED)
	struct pci_access *a = names();
	if (a) {
		char *n = pci_lookup_name(a, out, (int)len,
					  PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
					  vendor, device);
		if (n && n != out)
			snprintf(out, len, "%s", n);
		if (!n)
			out[0] = '\0';
	}
#else
	(void)vendor;
	(void)device;
	(void)len;
#endif
}

void pcinames_cleanup(void)
{
#if defined(HAVE_LIBPCI) && !defined(SS_PRIVILEGED)
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
#endif
}
