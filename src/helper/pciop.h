/* The sysfs writes of a switch: driver_override, unbind, drivers_probe,
 * remove, rescan.  Used by the setuid helper on the real root only.
 *
 * Threat model: the caller is root acting for a user who may have chosen
 * *when* to switch but nothing else.  Every device name reaching here was
 * validated by pci_addr_parse_strict() and is one of the configured or
 * detected functions; files are opened with openat() below a directory fd
 * of /sys/bus/pci/devices (doc/security.md rule 9), with O_NOFOLLOW on the
 * attribute itself; each value is written with one write() whose full
 * length is checked (rule 10).  A write that hangs in the kernel (unbinding
 * a busy GPU is a known one) must not hang the switch: it runs in a child
 * with a deadline, and the caller learns -ETIMEDOUT. */
#ifndef SS_PCIOP_H
#define SS_PCIOP_H

#include "error.h"
#include "pciaddr.h"
#include "sysroot.h"

struct pciop {
	int devices_fd; /* /sys/bus/pci/devices */
	int bus_fd;	/* /sys/bus/pci */
	int timeout_ms; /* deadline of one write */
};

int pciop_open(struct pciop *op, const struct sysroot *sr, int timeout_ms, struct ss_error *e);
void pciop_close(struct pciop *op);

/* value "" clears the override (the kernel takes "\n" for that). */
int pciop_set_override(struct pciop *op, const char *dev, const char *value, struct ss_error *e);
/* Unbind from whatever driver it has; 0 when it had none. */
int pciop_unbind(struct pciop *op, const char *dev, struct ss_error *e);
int pciop_probe(struct pciop *op, const char *dev, struct ss_error *e);
int pciop_remove(struct pciop *op, const char *dev, struct ss_error *e);
int pciop_rescan(struct pciop *op, struct ss_error *e);
/* In a child that may never come back from the kernel: close every fd
 * above 2 but keep. */
void child_keep_only(int keep);
/* One write of value to dirfd/rel in a child with a deadline: 0, -errno,
 * or -ETIMEDOUT when the kernel did not return (the child is left stuck
 * there, not us).  The one way the helper writes to sysfs. */
int sysfs_write_guarded(int dirfd, const char *rel, const char *value, int timeout_ms);
/* The driver bound now ("" if none), read back from the driver link. */
int pciop_driver(struct pciop *op, const char *dev, char *out, size_t len);
bool pciop_present(struct pciop *op, const char *dev);

#endif
