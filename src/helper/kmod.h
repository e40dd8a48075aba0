/* The host driver's module stack (doc/design.md step 5, [host] unload):
 * unloading one module, with a deadline that holds when its driver's
 * remove never returns, and loading it again with the system's modprobe
 * options. */
#ifndef SS_KMOD_H
#define SS_KMOD_H

#include <stdbool.h>

#include "error.h"
#include "sysroot.h"

/* Is the module loaded now (/sys/module/NAME/initstate says live)? */
bool kmod_loaded(const struct sysroot *sr, const char *name);
/* delete_module() in a child: 0 (also when it is not loaded), -EBUSY when
 * something uses it, -ETIMEDOUT when it did not return within timeout_ms
 * (a driver's remove is stuck: the child is left in the kernel). */
int kmod_unload(const struct sysroot *sr, const char *name, int timeout_ms, struct ss_error *e);
/* modprobe NAME: 0, or -errno with what failed. */
int kmod_load(const struct sysroot *sr, const char *name, int timeout_ms, struct ss_error *e);

#endif
