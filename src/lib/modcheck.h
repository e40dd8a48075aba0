/* The module stack a switch to vm takes away, checked before it leaves:
 * a loaded host driver, or a [host] unload module, with no file for the
 * running kernel to load it again from; what [host] unload would take from
 * another card; and a switch the kernel left stuck.  A host driver that is
 * not loaded at all is wayback.c's (its "host-module" check).  `plan`
 * refuses on these; `doctor` says the same. */
#ifndef SS_MODCHECK_H
#define SS_MODCHECK_H

#include <stddef.h>

#include "check.h"
#include "machine.h"

/* "way-back" and "unload" checks into arr (capacity max). */
void modcheck_checks(const struct machine *m, struct check *arr, size_t *n, size_t max);
/* "stuck": the journal names a step the kernel never returned from. */
void modcheck_stuck_check(const struct machine *m, struct check *arr, size_t *n, size_t max);

#endif
