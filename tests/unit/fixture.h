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
void fixture_machine(struct machine *m, const char *name, const char *config_text, enum machine_fail expect,
		     struct ss_error *e);
/* A scratch tree under /tmp for tests that build their own /sys: created
 * by scratch_new (its path in a static buffer), removed by scratch_free. */
const char *scratch_new(const char *tag);
void scratch_free(void);
void scratch_mkdir(const char *rel);
/* mkdir -p of rel below the scratch tree */
void scratch_mkdir_p(const char *rel);
void scratch_put(const char *rel, const char *text);
void scratch_link(const char *target, const char *rel);
void scratch_chmod(const char *rel, unsigned mode);
/* Below the scratch tree, the files tests/data/vm/seed.conf names and an
 * /etc/passwd whose alice is the uid running the test. */
void scratch_vm_tree(void);
/* A file's whole text (at most 64 KiB), the test failing when it cannot
 * be read; the caller frees it.  fixture_vm_seed: tests/data/vm/seed.conf,
 * the seed's VM as a definition. */
char *fixture_slurp(const char *path);
char *fixture_vm_seed(void);
/* Assert that rel holds exactly want. */
void scratch_expect(const char *rel, const char *want);

/* Does haystack contain needle?  Prints both when not. */
#define assert_contains(hay, needle) assert_true(fixture_contains((hay), (needle)))
int fixture_contains(const char *hay, const char *needle);

#endif
