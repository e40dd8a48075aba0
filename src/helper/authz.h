/* Who may switch (doc/security.md rule 6, checked in code whatever the
 * file mode): root, members of the session-switch group, and the user of
 * the live seat login recorded by pam_session_switch.so. */
#ifndef SS_AUTHZ_H
#define SS_AUTHZ_H

#include <stdbool.h>
#include <sys/types.h>

#include "seat.h"

struct authz {
	bool member;		/* root or the group */
	bool seated;		/* the live seat login is this uid's */
	struct seat_login seat; /* valid when seated */
};

/* Fill *a for the real uid/gid; true when either way lets them through. */
bool authz_check(int rundir, uid_t ruid, gid_t rgid, struct authz *a);

#endif
