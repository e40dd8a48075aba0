/* The switch as a table of steps (doc/design.md, "A switch, step by
 * step"): each row is a kind of step and its arguments; each kind has
 * `run`, `verify` and `undo`.  switch.c builds the table for a mode, runs
 * it row by row, journalling before each row that has something new to
 * undo, and on any failure undoes the rows begun, in reverse; `recover`
 * rebuilds the same rows from the journal by their names and does the
 * same.  Adding a capability is adding a kind to steps.c and a row to
 * switch.c's table.
 *
 * Threat model: everything here runs as root in the setuid helper.  A row's
 * device and value come from the root-owned configuration, from detection,
 * or from the root-owned journal (re-validated when it is read), never from
 * the caller.  Every `undo` MUST be safe to run when its `run` never ran or
 * ran halfway (a kill between the journal write and the step), and safe to
 * run twice: recover may follow a rollback that was itself cut off. */
#ifndef SS_STEP_H
#define SS_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "journal.h"
#include "kwait.h"
#include "machine.h"
#include "pciop.h"
#include "switch.h"

struct ctx;

/* A row is its journal record (journal.h: the kind's name, the function
 * or the GPU X runs on, and a driver, a mode or a user) and its kind,
 * found by that name. */
struct step_type {
	const char *name;   /* what the journal records */
	const char *phase;  /* progress: "device", "display", "verify" */
	const char *action; /* progress, as `plan` and the benchmark name it */
	/* 0 done, 1 done but nothing worth a progress line, -errno failed */
	int (*run)(struct ctx *c, const struct journal_step *r, struct ss_error *e);
	int (*verify)(struct ctx *c, const struct journal_step *r,
		      struct ss_error *e); /* NULL: run checks itself */
	int (*undo)(struct ctx *c, const struct journal_step *r,
		    struct ss_error *e); /* NULL: nothing to undo */
	const char *undo_action;	 /* progress during a rollback */
	/* its -ETIMEDOUT means the kernel never returned from a write (a
	 * driver's remove waiting forever): nothing more may be written */
	bool watchdog;
};

struct ctx {
	const struct machine *m;
	const struct switch_opts *o;
	struct pciop op;
	struct kwait kw;
	int jdir;
	struct journal j;				 /* from, to, the functions, the rows, how far */
	const struct step_type *kind[JOURNAL_MAX_STEPS]; /* of each row of j.step */
	/* already on the override's driver after a rescan: unbind and probe skip it */
	char satisfied[SS_MAX_FUNCS][PCI_ADDR_LEN];
	size_t nsatisfied;
	/* rollback: functions put back already (one function has several rows) */
	char restored[SS_MAX_FUNCS][PCI_ADDR_LEN];
	size_t nrestored;
	char warning[512]; /* rollback: what did not come back, though nothing is half-done */
	char stuck[256];   /* what never returned: the switch stops there, left for recover */
	long journal_ms;   /* time spent writing the journal */
	int journal_writes;
};

/* The kinds, by the name the journal gives them; NULL for an unknown one. */
const struct step_type *step_type_find(const char *name);

extern const struct step_type step_modprobe, step_remove, step_rescan, step_wait_device, step_override,
    step_unbind, step_probe, step_wait_driver, step_display_stop, step_variant, step_drm_probe,
    step_display_start, step_login_once, step_cards, step_service_stop, step_service_start, step_holders,
    step_console_unbind, step_console_bind, step_fb_unbind, step_fb_bind, step_module_unload,
    step_module_load, step_persistence_off, step_persistence_on, step_ddc;

/* Refuse (-EBUSY, the holders named) while a process other than
 * exclude_pid holds a node of the card that a switch to `to` takes away;
 * with spare_services, the configured services' own processes are left
 * to their service_stop rows. */
int switch_check_holders(struct ctx *c, enum mode to, int exclude_pid, bool spare_services,
			 struct ss_error *e);

/* X keeps running through a switch of this machine: the display manager
 * is managed and X runs on the host's GPU in both modes. */
bool switch_x_stays(const struct machine *m);

/* The GPU X runs on in mode m: the host GPU in vm mode, the card in host
 * mode (the host GPU in both where X stays). */
struct pci_addr step_mode_gpu(const struct ctx *c, enum mode m);

void step_report(struct ctx *c, const char *phase, const char *action, const char *dev, const char *value,
		 long ms, int result, const char *detail);

#endif
