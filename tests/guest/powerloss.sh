#!/bin/sh
# Power loss in the middle of a switch, then a new boot with the same
# persistent state and `session-switch recover` (issue: the switch).
# Four boots of the reference guest: host->vm cut at step 3 (the GPU
# unbound), recovered to host; vm->host cut at step 7, recovered to vm.
here=$(cd "$(dirname "$0")" && pwd -P)
build=${SS_BUILDDIR:-$PWD}
out=$build/tests/guest/out/powerloss
rm -rf "$out"; mkdir -p "$out"
boot() { "$here/with-slot" "$build" "$here/run" --build "$build" --out "$out" --timeout 300 \
	"$here/powerloss-phase.sh" "$@"; }
failed=0

boot cut vm 3; rc=$?
# the guest powered off before the script could report: run says 125
[ $rc -eq 125 ] || { echo "FAIL: the power cut did not happen (exit $rc)"; failed=1; }
grep -q '^state=pending' "$out/state/journal" && echo "ok: journal pending after the cut" ||
	{ echo "FAIL: no pending journal after the cut"; failed=1; }
boot check host || failed=1

boot cut host 7 vm; rc=$?
[ $rc -eq 125 ] || { echo "FAIL: the power cut did not happen (exit $rc)"; failed=1; }
boot check vm || failed=1

# The same with SLiM managed and the one-shot login armed (issue 13):
# host->vm cut before X starts on the iGPU, with the login variant
# selected; vm->host cut before X starts on the dGPU.
rm -rf "$out/state" "$out/state-etc"
# The first is repaired as the boot unit does it (recover --boot, then the
# init system starts SLiM), the second by a plain recover.
boot cutdm vm; rc=$?
[ $rc -eq 125 ] || { echo "FAIL: the power cut did not happen (exit $rc)"; failed=1; }
boot checkboot host || failed=1
rm -rf "$out/state" "$out/state-etc"
boot cutdm host vm; rc=$?
[ $rc -eq 125 ] || { echo "FAIL: the power cut did not happen (exit $rc)"; failed=1; }
boot checkdm vm || failed=1

[ $failed -eq 0 ] && echo "PASS: recovered from every power cut" || echo "FAIL: see above"
exit $failed
