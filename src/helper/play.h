/* `session-switch play [NAME]`: the VM of vm.conf's [vm NAME] on the
 * card, its QEMU run as the user at the seat (doc/design.md, "Playing"). */
#ifndef SS_PLAY_H
#define SS_PLAY_H

#include <sys/types.h>

#include "error.h"
#include "machine.h"
#include "switch.h"
#include "vmargv.h"
#include "vmconf.h"
#include "vmlend.h"

struct play {
	struct vm_conf conf;
	const struct vm_def *vm;
	struct vm_argv argv;
	struct lend lend; /* the nodes; owners filled in when lent */
	char user[64];	  /* who QEMU runs as */
	uid_t uid;
	gid_t gid;
	char home[256];
	gid_t groups[64];
	int ngroups;
	int emu_fd;    /* the emulator, checked and opened O_PATH: what runs */
	bool emu_open; /* emu_fd is ours to close */
};

/* Everything before anything moves, as root: the root-owned vm.conf and
 * its VM, what it names (vmconf_check), the emulator root's alone, the
 * plan's functions, the nodes to lend (each input device present), the
 * user, the argv.  An exit code (EXIT_CONFIG, EXIT_REFUSED, EXIT_USAGE),
 * e saying why; EXIT_OK and *p filled. */
int play_prepare(const struct machine *m, const char *name, uid_t ruid, const char *seat_user, struct play *p,
		 struct ss_error *e);
void play_free(struct play *p);

/* The verb, in the switch's child: switch to vm, lend, run QEMU as the
 * user until it ends, take back, switch to host (unless return = no).
 * An exit code. */
int play_run(const struct machine *m, struct play *p, const struct switch_opts *so, struct ss_error *e);

/* Take back whatever a lend record names (a play cut off before its
 * end): 0 when there was none, 1 when nodes were restored, -errno. */
int play_takeback(const struct machine *m, const struct switch_opts *so, struct ss_error *e);

#endif
