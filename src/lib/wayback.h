/* What keeps a switch to vm from coming back, checked before it leaves
 * (doc/design.md, Which GPU stays: "no module of the host driver for the
 * running kernel"), what [host] unload would take from another card, and
 * a switch the kernel left stuck.  `plan` refuses on these; `doctor` says
 * the same. */
#ifndef SS_WAYBACK_H
#define SS_WAYBACK_H

#include <stddef.h>

#include "check.h"
#include "machine.h"

/* "way-back" and "unload" checks into arr (capacity max). */
void wayback_checks(const struct machine *m, struct check *arr, size_t *n, size_t max);
/* "stuck": the journal names a step the kernel never returned from. */
void wayback_stuck_check(const struct machine *m, struct check *arr, size_t *n, size_t max);

#endif
