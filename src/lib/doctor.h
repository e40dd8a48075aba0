/* `doctor`: every readiness check with a concrete fix. */
#ifndef SS_DOCTOR_H
#define SS_DOCTOR_H

#include <stddef.h>

#include "check.h"
#include "machine.h"

#define DOCTOR_MAX 24

struct doctor {
	struct check checks[DOCTOR_MAX];
	size_t n;
	size_t fails, warns;
};

void doctor_run(const struct machine *m, struct doctor *d);

#endif
