/* Who holds the devices a switch would take away (doc/design.md step 2): open
 * /dev/dri nodes of the GPU, /dev/nvidia*, /dev/snd nodes of its audio
 * card, and /dev/vfio/N when returning from the VM.  Never kills. */
#ifndef SS_HOLDERS_H
#define SS_HOLDERS_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "sysroot.h"

#define HOLDERS_MAX 16

struct holder {
	pid_t pid;
	char comm[32];
	char node[64]; /* "/dev/snd/controlC1" */
};

/* prefixes: device node paths or prefixes ("/dev/snd/pcmC1D") to look for.
 * Returns how many holders were found (at most max), or -errno. */
int holders_scan(const struct sysroot *sr, const char *const *prefixes, size_t nprefixes,
		 struct holder *out, size_t max);

#endif
