/* Threat model: runs in the setuid helper before the caller is shut out,
 * so it reads only root's own files.  The group is looked up by its
 * compiled-in name; the seat record is root's file in RUN_DIR, refused
 * unless owned by root and writable by root alone (seat_load), and it
 * counts only while this login's session still runs: the display-manager
 * process that wrote it and the X server the module verified as that
 * display manager's own (rule 22) are both the same processes (pid and
 * start time).  A caller MUST NOT pass by naming another
 * user's record, a dead login, or a record they could have written. */
#include "config.h"

#include <grp.h>
#include <unistd.h>

#include "authz.h"
#include "sysroot.h"

static bool in_switch_group(uid_t ruid, gid_t rgid)
{
	gid_t groups[256];
	int n;
	bool in = ruid == 0;
	/* root needs no group: no lookup through NSS for it */
	struct group *g = in ? NULL : getgrnam(SWITCH_GROUP);

	if (!in && g) {
		in = rgid == g->gr_gid;
		n = getgroups(256, groups);
		for (int i = 0; !in && i < n; i++)
			in = groups[i] == g->gr_gid;
	}
	return in;
}

static bool seat_of(int rundir, uid_t ruid, struct seat_login *s)
{
	struct ss_error e;
	struct sysroot sr;
	bool ok = false;

	if (seat_load(rundir, s, &e) == 0 && s->uid == ruid && sysroot_open_real(&sr, &e) == 0) {
		ok = seat_alive(&sr, s);
		sysroot_close(&sr);
	}
	return ok;
}

bool authz_check(int rundir, uid_t ruid, gid_t rgid, struct authz *a)
{
	a->member = in_switch_group(ruid, rgid);
	a->seated = seat_of(rundir, ruid, &a->seat);
	return a->member || a->seated;
}
