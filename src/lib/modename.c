/* The names of the modes, as the journal, the seat record and the command
 * line spell them.  Apart from mode.c so that the PAM module, which reads
 * the journal, needs nothing of the PCI model. */
#include "config.h"

#include <string.h>

#include "mode.h"

const char *mode_str(enum mode m)
{
	return m == MODE_VM ? "vm" : m == MODE_HOST ? "host" : "mixed";
}

int mode_parse(const char *s, enum mode *m)
{
	if (strcmp(s, "vm") == 0)
		*m = MODE_VM;
	else if (strcmp(s, "host") == 0)
		*m = MODE_HOST;
	else
		return 0;
	return 1;
}
