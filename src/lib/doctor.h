/* `doctor`: every readiness check with a concrete fix. */
#ifndef SS_DOCTOR_H
#define SS_DOCTOR_H

#include <stddef.h>

#include "check.h"
#include "machine.h"

#define DOCTOR_MAX 48

struct doctor {
	struct check checks[DOCTOR_MAX];
	size_t n;
	size_t fails, warns;
};

/* What a refusal adds: how to send us a machine whose answer is wrong. */
#define DOCTOR_REPORT                                                                                        \
	"if a verdict is wrong for this machine, record it with tests/record-sysfs OUTDIR (in the "          \
	"session-switch "                                                                                    \
	"sources; no root needed) and attach OUTDIR to a bug report: session-switch --sysroot OUTDIR "       \
	"doctor then "                                                                                       \
	"shows us what it shows you"

void doctor_run(const struct machine *m, struct doctor *d);
void doctor_free(struct doctor *d);

#endif
