/* What the project knows of a host driver that does not let go of its
 * cards at once (NVIDIA's, first): its modules in the order they unload,
 * the services that hold its cards, its device nodes, and where a card's
 * minor number and its file-less hold can be read.  None of it is in C:
 * it is one data file per driver, found by the driver's name
 * (DRIVERS_DATADIR/DRIVER.conf, shipped as data/nvidia.conf), which a file
 * of the same name in DRIVERS_CONFDIR replaces key by key. */
#ifndef SS_DRVDATA_H
#define SS_DRVDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "error.h"
#include "pciaddr.h"
#include "sysroot.h"

#ifndef DRIVERS_DATADIR /* both set by configure's directories (Makefile.am) */
#define DRIVERS_DATADIR "/usr/share/session-switch/drivers"
#endif
#ifndef DRIVERS_CONFDIR
#define DRIVERS_CONFDIR "/etc/session-switch/drivers"
#endif

#define DRVDATA_MAX 8
#define DRVDATA_PATH 128

struct drvdata {
	char driver[PCI_DRIVER_LEN];
	bool found;				  /* a data file was read */
	char modules[DRVDATA_MAX][SS_MODULE_LEN]; /* unload order */
	size_t nmodules;
	char services[DRVDATA_MAX][64]; /* what setup proposes for [host] services */
	size_t nservices;
	char nodes[DRVDATA_MAX][DRVDATA_PATH]; /* per card: %m is the card's minor */
	size_t nnodes;
	char shared[DRVDATA_MAX][DRVDATA_PATH]; /* shared by all the driver's cards */
	size_t nshared;
	char minor[DRVDATA_PATH];	/* file with the minor; %a is the address */
	char persistence[DRVDATA_PATH]; /* file saying the count is held with no file */
	/* The commands that turn legacy persistence mode off and on again
	 * (nvidia-smi -i %a -pm 0 | 1): an argv, word by word as the file
	 * lists it; [0] an absolute path, %a the card's address. */
	char pm_off[DRVDATA_MAX][DRVDATA_PATH];
	size_t npm_off;
	char pm_on[DRVDATA_MAX][DRVDATA_PATH];
	size_t npm_on;
	/* Where the loaded module says its version (the first that does),
	 * and where the user-space driver's files end in theirs
	 * (DIR/libnvidia-glcore.so.*): the way back needs the two equal. */
	char version[DRVDATA_MAX][DRVDATA_PATH];
	size_t nversion;
	char userspace[DRVDATA_MAX][DRVDATA_PATH];
	size_t nuserspace;
	char from[2 * PATH_MAX]; /* the files read, for messages */
};

#define DRVDATA_VERSION 32

struct drvdata_versions {
	char kernel[DRVDATA_VERSION]; /* "535.154.05", "" unknown */
	char kernel_from[DRVDATA_PATH];
	char user[DRVDATA_VERSION]; /* the one equal to kernel if any, else the first found */
	char user_from[DRVDATA_PATH + 256];
	bool match; /* both known and equal */
};

/* Apply the keys of one file's text on top of d; `name` names it in
 * messages.  -EINVAL with "name:line: ..." on anything not understood. */
int drvdata_parse(const char *text, const char *name, struct drvdata *d, struct ss_error *e);
/* Load the data of `driver` from the root: 0 (d->found says whether any
 * file exists), or -errno with the file named.  With `trusted`, each file
 * must be a regular file owned by root and writable by root alone (the
 * helper: doc/security.md rule 7). */
int drvdata_load(const struct sysroot *sr, const char *driver, bool trusted, struct drvdata *d,
		 struct ss_error *e);
/* Expand a pattern of the file: %a the PCI address, %m the minor ("" when
 * unknown: the pattern then ends where %m stood).  -ENAMETOOLONG. */
int drvdata_expand(const char *pattern, const char *addr, const char *minor, char *out, size_t len);
/* The card's minor from d->minor ("Device Minor: N" or a bare number);
 * "" when there is no such file. */
void drvdata_card_minor(const struct sysroot *sr, const struct drvdata *d, const char *addr, char *out,
			size_t len);
/* Does d->persistence say the card is held with no file open?  *shown
 * receives the file read. */
bool drvdata_persistence_held(const struct sysroot *sr, const struct drvdata *d, const char *addr,
			      char *shown, size_t len);

/* The loaded module's version and the installed user-space driver's,
 * each "" where the data file names no file or none reads. */
void drvdata_versions(const struct sysroot *sr, const struct drvdata *d, struct drvdata_versions *v);
/* Only the user-space half: v->user and v->match against v->kernel as the
 * caller set it (the version of the module file that [host] unload loads
 * again, modcheck.c). */
void drvdata_userspace(const struct sysroot *sr, const struct drvdata *d, struct drvdata_versions *v);

#endif
