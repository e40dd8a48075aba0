/* The switch journal: what each function was bound to, what it is being
 * moved to, and whether the switch finished.  Written durably before every
 * change (write, fsync, rename, fsync of the directory), so that after a
 * crash or power loss `recover` knows exactly what to undo, and so that the
 * journal, not PAM, says which mode the machine is in (DESIGN.md). */
#ifndef SS_JOURNAL_H
#define SS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf.h"
#include "error.h"
#include "mode.h"
#include "pci.h"
#include "sysroot.h"

#ifndef JOURNAL_DIR /* another one only in the test build of the PAM module */
#define JOURNAL_DIR "/var/lib/session-switch"
#endif
#define JOURNAL_FILE "journal"

enum jstate { JOURNAL_PENDING, JOURNAL_DONE };

struct journal_fn {
	struct pci_addr addr;
	char before[PCI_DRIVER_LEN]; /* driver when the switch started ("" none) */
	char after[PCI_DRIVER_LEN];  /* the driver it is moved to ("" = host's first match) */
	char host[PCI_DRIVER_LEN];   /* its host driver, remembered for the way back */
	char had[16];                /* what its host driver made in host mode: "sound", "drm", both
					or "": the way back waits for the same, whatever the driver */
};

struct journal {
	enum jstate state;
	enum mode from, to;
	uid_t uid;                   /* who asked */
	long long started;           /* unix time */
	bool has_bridge;
	struct pci_addr bridge;
	struct journal_fn fn[SS_MAX_FUNCS];
	size_t n;
};

/* -ENOENT when there is none; -EINVAL with "file:line: ..." when damaged. */
int journal_parse(const char *text, const char *name, struct journal *j, struct ss_error *e);
int journal_load(const struct sysroot *sr, struct journal *j, struct ss_error *e);
/* Durable replacement of the journal in dirfd (an open JOURNAL_DIR). */
int journal_save(int dirfd, const struct journal *j, struct ss_error *e);
/* Open (creating if needed) JOURNAL_DIR of the real root, checked: a
 * directory owned by root, writable by root alone. */
int journal_open_dir(struct ss_error *e);
const struct journal_fn *journal_find(const struct journal *j, const struct pci_addr *a);

#endif
