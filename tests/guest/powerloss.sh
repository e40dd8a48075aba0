#!/bin/sh
# Power loss in the middle of a switch, then a new boot with the same
# persistent state and `session-switch recover` (issue: the switch).
# Four boots of the reference guest: host->vm cut at step 3 (the GPU
# unbound), recovered to host; vm->host cut at step 7, recovered to vm.
here=$(cd "$(dirname "$0")" && pwd -P)
build=${SS_BUILDDIR:-$PWD}
out=$build/tests/guest/out/powerloss
rm -rf "$out"; mkdir -p "$out"
boot() { flock "$build/tests/guest/.boot-lock" "$here/run" --build "$build" --out "$out" --timeout 300 \
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

[ $failed -eq 0 ] && echo "PASS: recovered from both power cuts" || echo "FAIL: see above"
exit $failed
