/* The slim.conf variants: the user's own slim.conf with only what a mode
 * needs changed (the -config of xserver_arguments); every other line is
 * kept byte for byte. */
#ifndef SS_SLIMCONF_H
#define SS_SLIMCONF_H

#include <stddef.h>

#include "error.h"

/* orig: the text of the user's slim.conf.  xorg_config: the file name given
 * to Xorg's -config (relative names are looked up in /etc/X11).  *out is
 * malloc'd and starts with the marker line. */
int slimconf_variant(const char *orig, const char *mode, const char *xorg_config, char **out,
		     struct ss_error *e);

/* variant: a variant's text; the same with SLiM's own one-shot auto-login
 * of `user` (default_user + auto_login yes) in place of any such lines. */
int slimconf_autologin(const char *variant, const char *user, char **out, struct ss_error *e);

/* The value of the last `key` line of slim.conf text (SLiM keeps the last),
 * and its line number: 1 found, 0 not there, -1 too long for out. */
int slimconf_value(const char *text, const char *key, char *out, size_t len, int *line);

#endif
