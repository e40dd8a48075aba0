/* session-switch-xguard: the first word of the one-shot auto-login's
 * login_cmd (src/lib/slimconf.c), and the session-setup-script of LightDM's
 * (src/lib/lightdmconf.c).  SLiM runs it as the user it is about to log in
 * without a password, LightDM as root before that session, on the display
 * in $DISPLAY.  It exits 0 only
 * when that display's server is root's and was started by the same
 * process that started this session (the display manager): then the
 * session that follows runs on the display manager's own X server, not on
 * one that a local user set up on :0 while no X ran (doc/security.md rule
 * 22).  Otherwise it says why on stderr and exits 1, and the session does
 * not start.  It reads no file but /proc and opens no X connection: who
 * serves the display is what the kernel reports on its sockets.
 *
 *   session-switch-xguard && exec THE SESSION */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sysroot.h"
#include "xserver.h"

int main(void)
{
	const char *d = getenv("DISPLAY");
	int display = d ? xserver_display_number(d) : -1, rc = 1;
	struct ss_error e = {""};
	struct sysroot sr;
	struct xserver x;
	pid_t dm = 0;

	if (display < 0) {
		fprintf(stderr,
			"session-switch-xguard: DISPLAY \"%s\" is not a local display: no automatic login\n",
			d ? d : "");
	} else if (sysroot_open_real(&sr, &e) < 0) {
		fprintf(stderr, "session-switch-xguard: %s: no automatic login\n", e.msg);
	} else {
		/* the server's parent must be ours too: the display manager */
		if (xserver_peer(&sr, display, 0, &x) == XSERVER_ONE && x.uid == 0 &&
		    proc_ppid(&sr, x.pid, &dm) == 0 && dm > 1 && proc_descends_from(&sr, getpid(), dm))
			rc = 0;
		else if (xserver_verify(&sr, display, 0, dm > 1 ? dm : -1, &x, &e) < 0 || rc)
			fprintf(stderr, "session-switch-xguard: %s: no automatic login on this server\n",
				e.msg[0]
				    ? e.msg
				    : "the server on the display was not started by this display manager");
		sysroot_close(&sr);
	}
	return rc;
}
