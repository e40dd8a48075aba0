/* The configuration variants of each mode (doc/design.md "config variants"):
 * an Xorg configuration naming the one GPU X may use, and the display
 * manager's: a slim.conf made from the user's own with /etc/slim.conf a
 * link to the variant of the current mode, or LightDM's drop-in
 * (lightdmconf.h) the same way, switched atomically (a new link renamed
 * over the old). */
#ifndef SS_VARIANT_H
#define SS_VARIANT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "machine.h"
#include "mode.h"

#define SLIM_CONF "/etc/slim.conf"
#define SLIM_ORIG "/etc/slim.conf.orig"
#define VARIANT_MAX_FILES 10
/* The "Windows VM" session entry, as `make install` puts it in
 * XSESSIONS_DIR (slim/session-switch-vm.desktop.in). */
#define SESSION_ENTRY "session-switch-vm.desktop"
/* slim.conf.vm.login: the vm variant with a one-shot auto-login */
#define LOGIN_SUFFIX ".login"

struct variant_file {
	char path[192];	     /* "/etc/X11/xorg.conf.intel" */
	char *text;	     /* content to write; NULL for the link */
	char link[192];	     /* for a link: its target ("slim.conf.host") */
	bool session;	     /* the link of the session entry into the display manager's directory */
	bool unlink_on_undo; /* a link of ours that --undo removes */
	bool exists_foreign; /* there, and not written by session-switch (a link: not ours) */
};

/* The display managers setup tells apart (variant_dm_detect). */
enum dm_id { DMID_NONE, DMID_SLIM, DMID_LIGHTDM, DMID_GDM, DMID_SDDM };

struct dm_found {
	enum dm_id id;
	const char *name;    /* "LightDM"; NULL with DMID_NONE */
	const char *service; /* its service's name: "lightdm" */
	char why[200];	     /* what named it: "/etc/X11/default-display-manager" */
};

/* Which display manager this system runs: the one the system names
 * (/etc/X11/default-display-manager, systemd's display-manager.service,
 * OpenRC's /etc/conf.d/display-manager), else the first whose
 * configuration is installed. */
void variant_dm_detect(const struct sysroot *sr, struct dm_found *dm);

struct variant_set {
	struct variant_file f[VARIANT_MAX_FILES];
	size_t n;
	struct dm_found dm;    /* whose variants these are */
	bool have_slim;	       /* the system has a slim.conf to derive from */
	bool have_lightdm;     /* LightDM's drop-in variants are in f[] */
	char xorg_name[2][32]; /* [MODE_HOST], [MODE_VM]: "nvidia", "intel" */
};

/* A display manager whose configuration the variants are (variant.c). */
struct variant_dm {
	const char *name; /* "SLiM", for messages */
	const char *link; /* the file it reads: a link to LINK.host or LINK.vm beside it */
	/* the one-shot auto-login copy of a variant's text */
	int (*autologin)(const char *variant, const char *user, char **out, struct ss_error *e);
};
extern const struct variant_dm variant_dms[];
extern const size_t variant_ndms;

/* Work out the files of `setup` for machine m (its target and iGPU). */
int variant_plan(const struct machine *m, struct variant_set *v, struct ss_error *e);
void variant_free(struct variant_set *v);
/* Write them through the machine's root; refuses (-EEXIST) when a file
 * that is not ours is in the way, before writing anything. */
int variant_write(const struct machine *m, const struct variant_set *v, struct ss_error *e);
/* Put the user's slim.conf back and remove what setup wrote. */
int variant_undo(const struct machine *m, struct ss_error *e);
/* Point /etc/slim.conf (every link of variant_dms that setup made) at
 * the variant of `to`.  0 when done, 1 when setup
 * was never run (nothing to select), -errno on failure. */
int variant_select(const struct sysroot *sr, enum mode to, struct ss_error *e);
/* Point it at a copy of the variant of `to` that logs `user` (a checked
 * name) in at SLiM's first start; variant_select() afterwards goes back to
 * the plain variant and removes the copy.  0, 1 (no variants), -errno. */
int variant_select_login(const struct sysroot *sr, enum mode to, const char *user, struct ss_error *e);
/* Shared by selection and setup: was `path` written by session-switch
 * (its marker line; *exists says whether it is there at all); remove it
 * only if so; write a file or point a link, atomically. */
bool variant_is_ours(const struct sysroot *sr, const char *path, bool *exists);
void variant_remove_ours(const struct sysroot *sr, const char *path);
/* Remove the symbolic link at path (a file that is not a link stays). */
void variant_remove_link(const struct sysroot *sr, const char *path);
int variant_write_file(const struct sysroot *sr, const char *path, const char *text, struct ss_error *e);
int variant_set_link(const struct sysroot *sr, const char *path, const char *target, struct ss_error *e);

/* Which variant the first link of variant_dms that setup made points at
 * (a login copy counts as its mode), or -1. */
int variant_current(const struct sysroot *sr);

#endif
