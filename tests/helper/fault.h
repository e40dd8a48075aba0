/* Fault injection for the test build of the helper only (never installed):
 * SS_FAULT=fail:N | die:N | poweroff:N fails step N of the switch table,
 * kills the helper with SIGKILL there, or powers the machine off there
 * (step count + 1 is the commit); SS_TEST_LOGIN=USER arms the one-shot
 * auto-login for USER as a seat login's own `vm` would, so that a scenario
 * can cut a switch with the auto-login armed without a greeter. */
#ifndef SS_TEST_FAULT_H
#define SS_TEST_FAULT_H

#include "switch.h"

/* Read SS_FAULT (before the helper clears its environment) and set the
 * switch's fault hook accordingly. */
void fault_from_env(struct switch_opts *so);

#endif
