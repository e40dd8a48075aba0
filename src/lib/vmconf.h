/* /etc/session-switch/vm.conf: the VM definitions, one [vm NAME] section
 * each, in the INI form of session-switch.conf; session-switch-vm.conf(5)
 * describes every key.  The passed-through PCI functions are not here:
 * they are the plan's (vmargv.h), so that nothing names them twice.
 *
 * Parsing (vmconf_parse) checks the syntax and each value; checking
 * (vmconf_check) looks at what the values name, through the sysroot, so a
 * recorded tree stands in for the machine.  Every message starts
 * "file:line:". */
#ifndef SS_VMCONF_H
#define SS_VMCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "journal.h"
#include "sysroot.h"

#define VM_DEFAULT_CONFIG "/etc/session-switch/vm.conf"
/* Each VM's own files (its copy of the firmware variables) live under
 * VM_STATE_DIR/NAME/, beside the journal. */
#define VM_STATE_DIR JOURNAL_DIR "/vm"
#define VM_VARS_FILE "OVMF_VARS.fd"

#define VM_MAX 8
#define VM_MAX_DISKS 8
#define VM_MAX_INPUTS 8
#define VM_NAME_LEN 33
#define VM_PATH_LEN 256
#define VM_WORD_LEN 64
#define VM_OPTS_LEN 512
#define VM_EVDEV_LEN 200

/* A value that names a file, with the line that set it, for messages. */
struct vm_path {
	char path[VM_PATH_LEN];
	int line; /* 0: not set */
};

enum vm_disk_format { VM_DISK_QCOW2, VM_DISK_RAW };

struct vm_disk {
	struct vm_path p;
	enum vm_disk_format format;
};

enum vm_input_kind { VM_KEYBOARD, VM_MOUSE };

struct vm_input {
	enum vm_input_kind kind;
	char name[VM_EVDEV_LEN]; /* a name in /dev/input/by-id */
	int line;
};

struct vm_def {
	char name[VM_NAME_LEN];
	int line; /* of its [vm NAME] header */
	struct vm_path emulator;
	unsigned long memory_mib;
	unsigned sockets, cores, threads;
	char machine[VM_WORD_LEN];
	char accel[VM_WORD_LEN];
	char cpu[VM_WORD_LEN];
	char cpu_options[VM_OPTS_LEN]; /* "" or the cpu option string after the model */
	char hv_vendor_id[13];	       /* "" or at most 12 characters, as KVM takes it */
	bool rtc_localtime;
	struct vm_path ovmf_code;	   /* line 0: no firmware key, QEMU's own BIOS */
	struct vm_path ovmf_vars_template; /* copied to VM_STATE_DIR/NAME/OVMF_VARS.fd */
	struct vm_path iso;		   /* line 0: none */
	struct vm_disk disks[VM_MAX_DISKS];
	size_t ndisks;
	struct vm_input inputs[VM_MAX_INPUTS]; /* in the file's order */
	size_t ninputs;
	bool grab_all;
	char grab_toggle[VM_WORD_LEN]; /* "": QEMU's default (both Ctrl keys) */
	char audio[VM_WORD_LEN];       /* "none", "ac97" or "hda" */
	char audio_backend[VM_WORD_LEN];
	char user[VM_NAME_LEN]; /* "": only root may own the files */
	int user_line;
	unsigned gpu_slot; /* the guest PCI slot of the first passed-through slot */
	bool return_host;  /* `play`: back to host mode when the VM ends */
	/* The "Windows VM" session: the seat user's desktop is logged in
	 * once on the other GPU while the VM runs */
	bool desktop;
	/* A direct-kernel boot (tests, and VMs without firmware or disk):
	 * line 0 when not set. */
	struct vm_path kernel, initrd;
	char append[VM_OPTS_LEN];
	struct vm_path serial; /* the first serial port's file; no window then */
};

struct vm_conf {
	char path[VM_PATH_LEN];
	struct vm_def vm[VM_MAX];
	size_t n;
};

struct vm_key;

struct vm_where {
	const char *path;
	int line;
	const struct vm_key *key;
};

/* One key of a [vm NAME] section.  Found by name, never by position; the
 * same rows are what session-switch-vm.conf(5) describes. */
struct vm_key {
	const char *name;
	const char *expects; /* completes "expected ..." in messages */
	const char *def;     /* the default, worded as the man page has it */
	bool def_is_value;   /* def is given to set() for every new section */
	bool repeatable;     /* each line adds one (disk, keyboard, mouse) */
	int (*set)(struct vm_def *vm, const char *value, const struct vm_where *w, struct ss_error *e);
};

const struct vm_key *vmconf_keys(size_t *n);

/* A new section's values: every default that is a value, through its setter. */
void vmconf_init_vm(struct vm_def *vm, const char *name, int line);
/* Parse text (path names it in messages): -EINVAL with "path:line: ...". */
int vmconf_parse(const char *path, const char *text, struct vm_conf *c, struct ss_error *e);
/* Read path inside the root and parse it: -ENOENT when there is none; the
 * file must not be writable by group or others and, unless owner is
 * VMCONF_ANY_OWNER, must be owned by owner (the helper: root), checked
 * through the descriptor it reads. */
#define VMCONF_ANY_OWNER ((uid_t)-1)
int vmconf_load(const struct sysroot *sr, const char *path, uid_t owner, struct vm_conf *c,
		struct ss_error *e);
/* The VM called name, or with name NULL the only one: NULL with e saying
 * which names there are. */
const struct vm_def *vmconf_find(const struct vm_conf *c, const char *name, struct ss_error *e);

/* What the values name: the emulator, the firmware, the ISO and each disk
 * exist, have the right type, are owned by root or by [user] and are not
 * writable by group or others (a block device: not by others); every
 * input device exists in /dev/input/by-id.  -EINVAL/-EPERM/-ENOENT with
 * "path:line: [vm NAME] key: ..." and what to do. */
int vmconf_check(const struct sysroot *sr, const char *conf_path, const struct vm_def *vm,
		 struct ss_error *e);

/* What `play` runs must be root's alone: the emulator a regular file
 * owned by root and not writable by group or others, whatever [user]
 * says, and so every directory above it (in a recorded tree, owned by
 * the tree's owner), with no symbolic link on the way.  The path is
 * walked one component at a time, none followed, and the file checked is
 * the one returned: an O_PATH descriptor for execveat(AT_EMPTY_PATH), so
 * that what runs is what was checked.  -EPERM/-EINVAL/-ENOENT with
 * "path:line:" and what to do. */
int vmconf_open_emulator(const struct sysroot *sr, const char *conf_path, const struct vm_def *vm,
			 struct ss_error *e);

/* The per-VM copy of the firmware variables: VM_STATE_DIR/NAME/OVMF_VARS.fd. */
void vmconf_vars_path(const struct vm_def *vm, char *buf, size_t len);
const char *vmconf_format_str(enum vm_disk_format f);

#endif
