/* The QEMU command line of a VM definition (vmconf.h) and the functions
 * the plan passes through: built as an argv vector, never as a shell
 * string, so that no value is split or expanded on the way.
 * `session-switch vm-config --print` shows it; the launch will exec it. */
#ifndef SS_VMARGV_H
#define SS_VMARGV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "machine.h"
#include "pciaddr.h"
#include "vmconf.h"

/* A passed-through function and whether it is a VGA controller (x-vga). */
struct vm_hostdev {
	struct pci_addr addr;
	bool vga;
};

struct vm_argv {
	char **v; /* NULL-terminated */
	size_t n;
};

/* The functions `session-switch plan vm` moves (or moved: already in vm
 * mode), in address order.  -EPERM with the plan's reasons when it refuses
 * the switch: such a VM could not start. */
int vm_hostdevs(const struct machine *m, struct vm_hostdev out[SS_MAX_FUNCS], size_t *n, struct ss_error *e);

/* The argv: emulator first.  Each host slot gets a guest slot from
 * vm->gpu_slot on; function N of it is addr=SLOT.N, function 0 carries
 * multifunction=on (when the slot has more) and x-vga=on (when it is a
 * VGA controller).  -EINVAL when a slot's function 0 is not passed
 * through, -ENOMEM. */
int vm_argv_build(const struct vm_def *vm, const struct vm_hostdev *hd, size_t nhd, struct vm_argv *out,
		  struct ss_error *e);
void vm_argv_free(struct vm_argv *a);

#endif
