#!/bin/sh
# Debian's systemd as PID 1 in the reference guest (issue 18), three boots
# with /etc and /var/lib/session-switch kept in the share as on a disk:
#  1. SLiM as slim.service and [display] manager = systemd:slim.service:
#     a switch to vm and back, SLiM stopped and started by the helper
#     through systemctl; then `session-switch vm --detach` from a transient
#     unit, and `systemctl stop` of that unit while the switch runs: the
#     switch finishes;
#  2. a switch to vm that loses power at the display start;
#  3. the next boot: session-switch-recover.service (as make install puts
#     it) runs before slim.service (display-manager.service) and leaves the machine on
#     the host, SLiM up on the host's GPU.
here=$(cd "$(dirname "$0")" && pwd -P)
build=${SS_BUILDDIR:-$PWD}
out=$build/tests/guest/out/systemd
rm -rf "$out"; mkdir -p "$out"
# each boot's console stays beside the others (console-PHASE.log)
boot() {
	"$here/with-slot" "$build" "$here/run" --build "$build" --out "$out" --timeout "${SS_GUEST_TIMEOUT:-300}" \
		--init systemd --persist /etc --persist /var/lib/session-switch "$@"
	rc=$?
	for phase; do :; done
	cp "$out/console.log" "$out/console-$phase.log" 2>/dev/null
	return $rc
}
failed=0

boot "$here/systemd-phase.sh" units || failed=1
# a new disk for the switch's state; /etc stays (copying it into the
# share takes 20 s under TCG), the cut's phase writes its files anew
rm -rf "$out/persist/var"

boot "$here/systemd-phase.sh" cut; rc=$?
# the guest powered off before the script could report: run says 125
[ $rc -eq 125 ] || { echo "FAIL: the power cut did not happen (exit $rc)"; failed=1; }
grep -q '^state=pending' "$out/persist/var/lib/session-switch/journal" && echo "ok: journal pending after the cut" ||
	{ echo "FAIL: no pending journal after the cut"; failed=1; }
boot --want session-switch-recover.service --want slim.service \
	"$here/systemd-phase.sh" recover || failed=1

[ $failed -eq 0 ] && echo "PASS: systemd ran SLiM, the switches and the recover unit" || echo "FAIL: see above"
exit $failed
