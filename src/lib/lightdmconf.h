/* The LightDM variants (doc/design.md, "Display managers"): a drop-in of
 * /etc/lightdm/lightdm.conf.d per mode, which LightDM reads when it starts
 * because the drop-in's name is a link to the variant of the current mode
 * (the variants end in .host / .vm, which LightDM does not load: it reads
 * only names ending in .conf).  LightDM reads lightdm.conf.d before
 * lightdm.conf, so a key of the user's lightdm.conf wins over the drop-in:
 * setup refuses the keys the variants set wherever they would win. */
#ifndef SS_LIGHTDMCONF_H
#define SS_LIGHTDMCONF_H

#include <stddef.h>

#include "error.h"
#include "sysroot.h"

#define LIGHTDM_CONF "/etc/lightdm/lightdm.conf"
#define LIGHTDM_CONFD "/etc/lightdm/lightdm.conf.d"
#define LIGHTDM_DROPIN_NAME "50-session-switch.conf"
#define LIGHTDM_DROPIN LIGHTDM_CONFD "/" LIGHTDM_DROPIN_NAME
/* LightDM's own default of [LightDM] sessions-directory */
#define LIGHTDM_SESSIONS_DEFAULT                                                                             \
	"/usr/share/lightdm/sessions:/usr/share/xsessions:/usr/share/wayland-sessions"

/* What setup takes from the user's LightDM configuration. */
struct lightdm_user {
	char sessions[1024];	  /* [LightDM] sessions-directory, ':'-separated */
	char sessions_where[320]; /* "/etc/lightdm/lightdm.conf:12", or "LightDM's default" */
	char xserver[512];	  /* xserver-command of a drop-in read before ours, or "X" */
	char wrapper[512];	  /* session-wrapper, as LightDM would run it */
	char session[128];	  /* user-session: the auto-login's session ("default") */
	char session_where[320];  /* "/etc/lightdm/lightdm.conf:11", or "LightDM's default" */
};

/* Read lightdm.conf and the drop-ins other than ours, in LightDM's order.
 * -EINVAL with "file:line: ..." when one sets a key of the variants where
 * it would override the drop-in, or sets it in a way setup cannot keep. */
int lightdmconf_read(const struct sysroot *sr, struct lightdm_user *u, struct ss_error *e);

/* The drop-in of `mode`: X with -config xorg_config, the user's session
 * wrapper and, for a one-shot auto-login, the user's session.  *out is
 * malloc'd and starts with the marker line. */
int lightdmconf_variant(const struct lightdm_user *u, const char *mode, const char *xorg_config, char **out,
			struct ss_error *e);

/* variant: a drop-in of lightdmconf_variant(); the same with LightDM's
 * auto-login of `user` at once, and its session wrapper behind
 * session-switch-xguard (doc/security.md rule 22). */
int lightdmconf_autologin(const char *variant, const char *user, char **out, struct ss_error *e);

#endif
