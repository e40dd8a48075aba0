/* What `session-switch play` lends the VM's user for the VM's lifetime
 * (doc/design.md, "Playing"): the /dev/vfio/GROUP node of each IOMMU
 * group of the passed-through functions and the event device behind each
 * keyboard and mouse of the definition; and what the user's QEMU gets
 * besides: its environment and its locked-memory limit.  All of it is
 * computed here, without privileges, so that unit tests see exactly what
 * the helper does; the helper only carries it out (src/helper/play.c).
 *
 * The lend record (JOURNAL_DIR/LEND_FILE) holds each node's owner and
 * mode before the lend; it is durable before the first chown, and the
 * take-back (at the VM's end, by `recover` and by `host`) restores
 * exactly those values and removes it. */
#ifndef SS_VMLEND_H
#define SS_VMLEND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "error.h"
#include "machine.h"
#include "sysroot.h"
#include "vmargv.h"
#include "vmconf.h"

#define LEND_FILE "lent"
#define LEND_MAX (SS_MAX_FUNCS + VM_MAX_INPUTS)
#define LEND_PATH_LEN 64

struct lend_node {
	char path[LEND_PATH_LEN]; /* /dev/vfio/N or /dev/input/eventN */
	uid_t uid;		  /* its owner, group and mode before the lend */
	gid_t gid;
	mode_t mode;
	/* an event device: the node vm_lend_plan found (the by-id link's
	 * target when play was asked), which the lend must find again */
	bool pinned;
	dev_t rdev;
	ino_t ino;
};

struct lend {
	struct lend_node node[LEND_MAX];
	size_t n;
};

/* The nodes to lend, without owners yet: the group node of each function
 * (once per group), then each input's event device, found through its
 * /dev/input/by-id link.  -ENOENT naming file:line when an input device
 * is missing, -EINVAL when a function has no IOMMU group or a link does
 * not lead to /dev/input/eventN.  Each event device's node is looked at
 * once here (pinned, rdev, ino): a by-id link resolved now and a node
 * lent minutes later, after the switch, could be two devices. */
int vm_lend_plan(const struct machine *m, const char *conf_path, const struct vm_def *vm,
		 const struct vm_hostdev *hd, size_t nhd, struct lend *out, struct ss_error *e);

/* Whether st (the node as the lend opened it) is the node the plan
 * found: same device number, same inode.  A node not pinned (a
 * /dev/vfio/N, made by the switch) is always the same. */
bool vm_lend_same(const struct lend_node *n, const struct stat *st);

/* The record's text: one "node PATH UID GID MODE" line per node (mode in
 * octal).  Parsing refuses any path that is not a node `play` lends. */
int vm_lend_format(const struct lend *l, char *buf, size_t len);
int vm_lend_parse(const char *text, const char *name, struct lend *l, struct ss_error *e);

/* RLIMIT_MEMLOCK of the VM's QEMU, in bytes: vfio pins all of the guest's
 * RAM, and QEMU maps the devices' ROMs and its own buffers on top; the
 * margin is libvirt's for a VM with host devices (1 GiB). */
#define VM_MEMLOCK_MARGIN_MIB 1024UL
unsigned long long vm_memlock_bytes(const struct vm_def *vm);

/* The environment of the user's QEMU: rebuilt from nothing, the user's
 * own values only (HOME, USER, LOGNAME, XDG_RUNTIME_DIR for the sound
 * server), and nothing of the caller's or of root's.  env[] gets pointers
 * into buf; -ENAMETOOLONG when buf is too small. */
#define VM_ENV_MAX 8
int vm_child_env(const char *user, uid_t uid, const char *home, char *buf, size_t len, char *env[VM_ENV_MAX]);

#endif
