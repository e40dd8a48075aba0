/* Who holds the devices a switch would take away (doc/design.md step 2):
 * every node of the card (its /dev/dri nodes, its /dev/i2c-N adapters,
 * the audio function's /dev/snd nodes, its driver's own nodes from the
 * driver data file, with the shared ones when it is the driver's only
 * card), the file-less hold of NVIDIA's legacy persistence mode, and
 * /dev/vfio/N on the way back.  Never kills; bounded in time. */
#ifndef SS_HOLDERS_H
#define SS_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "machine.h"
#include "mode.h"
#include "sysroot.h"

#define HOLDERS_MAX 16
#define HOLDERS_NODE 96

struct holder {
	pid_t pid;
	int fd;	   /* the descriptor, as in /proc/PID/fd */
	uid_t uid; /* the owner of /proc/PID: its effective uid */
	char comm[32];
	char unit[64];		 /* its systemd service ("nvidia-persistenced"), "" when none */
	char node[HOLDERS_NODE]; /* "/dev/snd/controlC1" */
};

/* prefixes: device node paths or prefixes ("/dev/snd/pcmC1D") to look for.
 * Stores at most max holders and counts all of them in *total.  Returns
 * how many were stored, or, failing closed: -ETIMEDOUT when the scan did
 * not finish by deadline_ms (kwait_now_ms() clock), -errno when a process's
 * open files could not be read; e names what was not read. */
int holders_scan(const struct sysroot *sr, const char *const *prefixes, size_t nprefixes, struct holder *out,
		 size_t max, size_t *total, long deadline_ms, struct ss_error *e);

struct holders_opts {
	enum mode to;	     /* the mode a switch goes to */
	int exclude_pid;     /* the X server, which the switch stops itself; 0 none */
	int x_pid;	     /* the X server that stays up through the switch: checked like any
				other process, and told apart in the message; 0 none */
	bool spare_services; /* [host] services' own processes are stopped, and with [host]
				persistence the file-less hold turned off, not refused */
	int timeout_ms;	     /* the whole check's deadline */
};

/* Refuse (-EBUSY, every holder named with pid, user and command, and the
 * file-less hold) while anything holds a node of the target that a switch
 * to o->to takes away; -ETIMEDOUT or -errno when the check could not be
 * completed (refused as well: it fails closed). */
int holders_check(const struct machine *m, const struct holders_opts *o, struct ss_error *e);

#endif
