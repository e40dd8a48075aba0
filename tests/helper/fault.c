/* The test build's fault hook (doc/testing.md, fault injection).  It is
 * linked into session-switch-helper-test alone, so that the installed
 * helper carries no way to kill itself or the machine: `nm` of it shows no
 * reboot() or raise(), and `strings` no SS_FAULT (tests/cli/helper-binary.sh
 * checks that on the helper as `make install` installs it). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "fault.h"
#include "seat.h"

enum fault_kind { FAULT_FAIL, FAULT_DIE, FAULT_POWEROFF };

static struct {
	enum fault_kind kind;
	size_t step;
} fault;

static int fault_hook(void *arg, size_t step, const char *name, struct ss_error *e)
{
	(void)arg;
	if (step != fault.step)
		return 0;
	if (fault.kind == FAULT_DIE)
		raise(SIGKILL); /* as a crash or kill -9 would: no cleanup, no rollback */
	if (fault.kind == FAULT_POWEROFF) {
		reboot(RB_POWER_OFF); /* as a power cut would: no sync beyond the journal's own */
		_exit(125);
	}
	return ss_fail(e, -EIO, "injected failure at step %zu (%s)", step, name);
}

void fault_from_env(struct switch_opts *so)
{
	static const struct {
		const char *prefix;
		enum fault_kind kind;
	} kinds[] = {{"fail:", FAULT_FAIL}, {"die:", FAULT_DIE}, {"poweroff:", FAULT_POWEROFF}};
	const char *v = getenv("SS_FAULT");
	static char login[64];
	const char *u = getenv("SS_TEST_LOGIN");

	if (u && seat_valid_user(u) && strlen(u) < sizeof(login)) {
		strcpy(login, u);
		so->login_user = login;
	}

	for (size_t i = 0; v && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (strncmp(v, kinds[i].prefix, n) == 0 && atoi(v + n) > 0) {
			fault.kind = kinds[i].kind;
			fault.step = (size_t)atoi(v + n);
			so->fault_hook = fault_hook;
		}
	}
}
