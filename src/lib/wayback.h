/* What would strand the way back (doc/design.md, "Which GPU stays, which
 * goes", and step 2): vfio-pci.ids= or pci-stub.ids= on the kernel command
 * line, "options vfio-pci ids=" in modprobe.d, a blacklisted or disabled
 * host driver, a host driver with no module for the running kernel.  The
 * files are read once (wayback_load); the checks say, with the file and
 * line that cause it, what a switch would run into. */
#ifndef SS_WAYBACK_H
#define SS_WAYBACK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "error.h"
#include "kernel.h"
#include "pci.h"
#include "sysroot.h"
#include "target.h"

struct modprobe_line {
	char file[PATH_MAX]; /* "/etc/modprobe.d/vfio.conf" */
	int line;	     /* where the directive starts */
	char *text;	     /* the directive, continuations joined, blanks squeezed */
};

struct wayback {
	char *cmdline;		     /* /proc/cmdline, "" when absent */
	struct modprobe_line *lines; /* every directive of every modprobe.d file modprobe reads */
	size_t n;
	char unread[PATH_MAX]; /* a file that could not be read ("" none), */
	int unread_err;	       /* and why: said in the checks, never fatal */
};

/* -ENOMEM only: a file that cannot be read is noted in unread. */
int wayback_load(const struct sysroot *sr, struct wayback *w, struct ss_error *e);
void wayback_free(struct wayback *w);

/* What the checks are for: a switch to vm, a switch back to host, or
 * doctor (the vm switch's view, since the way back is what it must keep). */
enum wayback_for { WAYBACK_VM, WAYBACK_HOST, WAYBACK_DOCTOR };

/* Append a check for each finding about t's functions and the host's GPU
 * (none when there is nothing to say). */
void wayback_checks(const struct wayback *w, const struct sysroot *sr, const struct kernel_info *k,
		    const struct pci_list *devs, const struct target *t, enum wayback_for why,
		    struct check *arr, size_t *n, size_t max);

/* One entry of a vfio-pci / pci-stub ids= list, "vendor:device[:subvendor
 * [:subdevice]]", against a device; false for an entry the driver would
 * not take either. */
bool wayback_id_matches(const char *entry, const struct pci_dev *d);

#endif
