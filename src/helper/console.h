/* The framebuffer console on the card (doc/design.md step 4): fbcon's
 * virtual consoles while the card (or, on the boot VGA, the firmware's
 * framebuffer: efifb, simplefb, simpledrm) carries a framebuffer, found
 * in sysfs, never assumed; unbound before the card moves, bound again
 * after it is back. */
#ifndef SS_CONSOLE_H
#define SS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "machine.h"

#define CONSOLE_MAX 4
#define CONSOLE_NAME 64

struct console_found {
	char vt[CONSOLE_MAX][CONSOLE_NAME]; /* "vtcon1": fbcon, bound now */
	size_t nvt;
	char fw[CONSOLE_MAX][CONSOLE_NAME]; /* "efi-framebuffer.0:efi-framebuffer": device:driver */
	size_t nfw;
};

/* What of the console hangs on the target's functions now. */
void console_detect(const struct machine *m, struct console_found *out);
/* Bind or unbind one of them: a vtcon by its bind file, a firmware
 * framebuffer by its platform driver.  0, or -errno named. */
int console_vt(const struct sysroot *sr, const char *vtcon, bool bind, int timeout_ms, struct ss_error *e);
int console_fw(const struct sysroot *sr, const char *dev_driver, bool bind, int timeout_ms,
	       struct ss_error *e);

#endif
