/* Is this kernel ready for VFIO: its build options (/boot/config-*,
 * /proc/config.gz) and whether vfio-pci is loaded, built in or loadable. */
#ifndef SS_KERNEL_H
#define SS_KERNEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sysroot.h"

enum kopt { KOPT_UNKNOWN, KOPT_NO, KOPT_YES, KOPT_MODULE };
enum kmod { KMOD_MISSING, KMOD_LOADABLE, KMOD_BUILTIN, KMOD_LOADED };

/* modules.builtin and modules.dep of the running kernel, each read the
 * first time a lookup needs it and kept until kernel_free: a switch to vm
 * asks about several modules, and modules.dep is half a megabyte. */
struct kernel_lists {
	char *text[2];
	bool read[2];
};

struct kernel_info {
	char release[128];	    /* /proc/sys/kernel/osrelease */
	char config_from[PATH_MAX]; /* "/boot/config-6.1.0" or "/proc/config.gz"; "" if none */
	char *config;		    /* its text, or NULL; never read by the helper (no
				       build option is a check of its own) */
	struct kernel_lists *lists; /* NULL: every lookup reads the files again */
};

int kernel_read(const struct sysroot *sr, struct kernel_info *k, struct ss_error *e);
void kernel_free(struct kernel_info *k);
enum kopt kernel_option(const struct kernel_info *k, const char *name);
/* module: the name as in /sys/module ("vfio_pci"); file: "vfio-pci". */
enum kmod kernel_module(const struct sysroot *sr, const struct kernel_info *k, const char *module,
			const char *file);
/* The module a PCI driver comes from, when the driver is not registered
 * now: a module of that name ('-' and '_' alike, as modprobe has them), or
 * one whose name ends in it (i2c-nvidia-gpu registers nvidia-gpu).  Fills
 * module (its name as modprobe takes it) when found. */
enum kmod kernel_driver_module(const struct sysroot *sr, const struct kernel_info *k, const char *driver,
			       char *module, size_t len);
/* Is there a module file `file` for the running kernel (modules.builtin,
 * modules.dep), whether or not it is loaded: KMOD_BUILTIN, KMOD_LOADABLE
 * or KMOD_MISSING. */
enum kmod kernel_module_file(const struct sysroot *sr, const struct kernel_info *k, const char *file);
/* The version of a module as its file for the running kernel says it
 * (modinfo's version=): what [host] unload loads again on the way back. */
struct kernel_modver {
	char path[PATH_MAX]; /* "/lib/modules/6.1.0/updates/dkms/nvidia.ko"; "" not found */
	char version[32];    /* "550.54.14", as long as drvdata.h keeps one */
};
/* 0 with v filled; -ENOENT (not in modules.dep, or no version in the
 * file), -EOPNOTSUPP (compressed), -ENOEXEC (not an ELF file) or -errno,
 * with e saying which file. */
int kernel_module_version(const struct sysroot *sr, const struct kernel_info *k, const char *module,
			  struct kernel_modver *v, struct ss_error *e);
const char *kopt_str(enum kopt o);
const char *kmod_str(enum kmod m);

#endif
