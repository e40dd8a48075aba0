/* /etc/session-switch.conf: a plain INI file.  Every error names the file,
 * the line, the key and what was expected; unknown keys are errors. */
#ifndef SS_CONF_H
#define SS_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "edid.h"
#include "error.h"
#include "pci.h"
#include "pciaddr.h"

#define SS_DEFAULT_CONFIG "/etc/session-switch.conf"

struct host_driver {
	struct pci_addr addr;
	char driver[PCI_DRIVER_LEN];
};

#define SS_MAX_SERVICES 8
#define SS_MAX_MODULES 8
#define SS_MODULE_LEN 56 /* MODULE_NAME_LEN of the kernel */

enum dm_kind { DM_UNSET, DM_NONE, DM_SYSTEMD, DM_OPENRC, DM_RUNIT, DM_COMMAND };

struct ss_config {
	char path[PATH_MAX];		       /* where it came from, for messages; "" if none */
	bool loaded;			       /* false: no file, everything from detection */
	struct pci_addr devices[SS_MAX_FUNCS]; /* [vm] devices */
	size_t ndevices;
	bool has_bridge; /* [vm] bridge */
	struct pci_addr bridge;
	struct host_driver host[SS_MAX_FUNCS]; /* [host] drivers */
	size_t nhost;
	char xorg_host_driver[PCI_DRIVER_LEN]; /* [host] xorg_driver: X's driver on the dGPU */
	bool has_host_gpu;		       /* [host] gpu: the display controller the host keeps */
	struct pci_addr host_gpu;
	/* [host] offload: X stays on the host's GPU in host mode too, and
	 * the VM's card is a render offload device; unset, the card's class
	 * decides (a 3D controller has no outputs) */
	bool has_offload;
	bool offload;
	/* [host] services: stopped before the devices move, started after
	 * the way back, each through its init system (KIND:NAME). */
	struct service {
		enum dm_kind kind;
		char name[128];
	} services[SS_MAX_SERVICES];
	size_t nservices;
	/* [host] unload: the host driver's modules, unloaded in this order
	 * instead of unbinding, loaded in reverse on the way back. */
	char unload[SS_MAX_MODULES][SS_MODULE_LEN];
	size_t nunload;
	/* [host] persistence: legacy persistence mode turned off for vm mode
	 * and on again after, with the driver data file's commands. */
	bool persistence;
	/* [display] manager = KIND[:NAME]: how the display manager is
	 * stopped and started; kept as kind + name, never a command line. */
	enum dm_kind dm;
	char dm_name[128];    /* unit, service, or the command's absolute path */
	int display;	      /* [display] display = :N (default 0) */
	char xauthority[128]; /* [display] authfile (default /var/run/slim.auth) */
	bool login_auto;      /* [login] auto (default yes): the one-shot auto-login */
	int login_window;     /* [login] window: seconds after the seat login (default 120) */
	/* [ddc]: the monitor whose input follows the mode, named by its
	 * EDID (never by i2c bus), and the VCP 0x60 value of each mode; 0
	 * leaves that mode's input alone. */
	bool has_ddc;
	struct monitor_id ddc_monitor;
	int ddc_vm_input, ddc_host_input;
	int ddc_line; /* of the first [ddc] key, for the cross-key message */
	/* [libvirt] domains: the libvirt domains whose start switches to vm
	 * and whose end switches back (the qemu hook); none by default. */
	char libvirt_domains[SS_MAX_SERVICES][128];
	size_t nlibvirt;
};

struct config_key;

/* Where a value came from, for its messages: "path:line: [section] key". */
struct config_where {
	const char *path;
	int line;
	const struct config_key *key;
};

/* One key of the file.  The parser finds a key by section and name, never
 * by position, so a key added anywhere moves no other; the same rows are
 * what session-switch.conf(5) has to describe. */
struct config_key {
	const char *section;
	const char *name;
	const char *expects; /* completes "expected ..." in messages */
	const char *def;     /* the default, worded as session-switch.conf(5) has it */
	bool def_is_value;   /* def is a value that config_init() gives to set() */
	/* 0, or -EINVAL naming w's file, line and key */
	int (*set)(struct ss_config *c, const char *value, const struct config_where *w, struct ss_error *e);
};

/* The table, read-only, and its length in *n. */
const struct config_key *config_keys(size_t *n);

/* Every default that is a value goes through its key's setter, so what the
 * program assumes is the text the man page states. */
void config_init(struct ss_config *c);
/* Parse text; `path` only names it in messages.  -EINVAL with "path:line: ..." */
int config_parse(const char *path, const char *text, struct ss_config *c, struct ss_error *e);
/* Read and parse an open file (the caller decided how to open it). */
int config_parse_fd(int fd, const char *path, struct ss_config *c, struct ss_error *e);

/* The setuid helper's way in (doc/security.md rule 7): open path with
 * O_NOFOLLOW, and through that fd require a regular file owned by root and
 * not writable by group or others.  -ENOENT when there is no file (the
 * caller then detects); any other problem is fatal and named. */
int config_load_secure(const char *path, struct ss_config *c, struct ss_error *e);

/* A kernel module's name as /sys/module and delete_module() take it:
 * letters, digits and '_' ('-' is modprobe's spelling of '_'). */
bool config_module_name_valid(const char *s);

/* Parse "KIND:NAME" of [display] manager and [host] services: 0, or
 * -EINVAL with *why saying what is wrong. */
int config_service_parse(const char *value, enum dm_kind *kind, char *name, size_t len, const char **why);

/* The configured service whose journal name (its name, or a command's
 * file name) is `jname`, or NULL. */
const struct service *config_service_find(const struct ss_config *c, const char *jname);
/* The name a service is journalled by: a unit or service name as it is,
 * a command by its file name. */
const char *config_service_jname(const struct service *s);

/* The configured host driver of a, or NULL. */
const char *config_host_driver(const struct ss_config *c, const struct pci_addr *a);

#endif
