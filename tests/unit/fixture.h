/* Shared by the unit tests: recorded trees under $SS_TESTDATA. */
#ifndef SS_TEST_FIXTURE_H
#define SS_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "machine.h"

/* $SS_TESTDATA/name, in a static buffer. */
const char *fixture_path(const char *name);
/* Load a recorded machine; config_text NULL means no configuration file.
 * Asserts that the load returned `expect`; e receives the message. */
void fixture_machine(struct machine *m, const char *name, const char *config_text,
		     enum machine_fail expect, struct ss_error *e);
/* Does haystack contain needle?  Prints both when not. */
#define assert_contains(hay, needle) assert_true(fixture_contains((hay), (needle)))
int fixture_contains(const char *hay, const char *needle);

#endif
