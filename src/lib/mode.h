/* Which mode the machine is in, as far as the devices tell. */
#ifndef SS_MODE_H
#define SS_MODE_H

#include <stddef.h>

#include "pci.h"
#include "target.h"

#define VFIO_DRIVER "vfio-pci"

enum mode { MODE_HOST, MODE_VM, MODE_MIXED };

struct mode_report {
	enum mode mode;
	char odd[512]; /* with MODE_MIXED: "0000:01:00.1 on snd_hda_intel" ... */
};

void mode_of(const struct target *t, const struct pci_list *devs, struct mode_report *r);
const char *mode_str(enum mode m);
/* "host" / "vm" (and nothing else) to a mode; false otherwise. */
int mode_parse(const char *s, enum mode *m);

#endif
