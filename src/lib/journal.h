/* The switch journal: what each function was bound to, what it is being
 * moved to, the steps of the switch and how far it got, and whether it
 * finished.  Written durably before every step that has something to undo
 * (write, fsync, rename, fsync of the directory), so that after a crash or
 * power loss `recover` undoes exactly the steps that were begun, in
 * reverse; and so that the journal, not PAM, says which mode the machine is
 * in (doc/design.md).  Version 1 journals (no steps) are still read: their
 * recover undoes every step a switch can have. */
#ifndef SS_JOURNAL_H
#define SS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "mode.h"
#include "pci.h"
#include "sysroot.h"

#ifndef JOURNAL_DIR /* another one only in the test build of the PAM module */
#define JOURNAL_DIR "/var/lib/session-switch"
#endif
#define JOURNAL_FILE "journal"

#define JOURNAL_MAX_STEPS 80
#define JOURNAL_STEP_NAME 24

enum jstate { JOURNAL_PENDING, JOURNAL_DONE };

/* One row of the switch's table: its kind by name (the helper's step
 * table decides what a name means), the function it acts on and its
 * argument (a driver, a mode, a user name), each "" when none. */
struct journal_step {
	char name[JOURNAL_STEP_NAME];
	char device[PCI_ADDR_LEN];
	char value[PCI_DRIVER_LEN];
};

struct journal_fn {
	struct pci_addr addr;
	char before[PCI_DRIVER_LEN]; /* driver when the switch started ("" none) */
	char after[PCI_DRIVER_LEN];  /* the driver it is moved to ("" = host's first match) */
	char host[PCI_DRIVER_LEN];   /* its host driver, remembered for the way back */
	char had[16];		     /* what its host driver made in host mode: "sound", "drm", both
					or "": the way back waits for the same, whatever the driver */
};

struct journal {
	enum jstate state;
	enum mode from, to;
	uid_t uid;	   /* who asked */
	long long started; /* unix time */
	bool has_bridge;
	struct pci_addr bridge;
	struct journal_fn fn[SS_MAX_FUNCS];
	size_t n;
	int version; /* 1: no steps recorded (an older helper wrote it) */
	struct journal_step step[JOURNAL_MAX_STEPS];
	size_t nsteps;
	int reached; /* the last step begun, -1 before the first */
	/* 1 + the step whose write never returned (a driver's remove stuck
	 * in the kernel), 0 for none; and the boot it hung in: until a
	 * reboot, nothing may be written to the card */
	int stuck;
	char stuck_boot[40];
};

/* The running kernel's boot (/proc/sys/kernel/random/boot_id) into out,
 * "" when unknown. */
void journal_boot_id(const struct sysroot *sr, char *out, size_t len);
/* Is the journal's stuck step from this very boot (no reboot since)? */
bool journal_stuck_now(const struct sysroot *sr, const struct journal *j);

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
