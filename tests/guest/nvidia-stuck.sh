#!/bin/sh
# A remove that never returns (the stand-in's hang_remove, as some NVIDIA
# driver versions do even at a usage count of zero), then a reboot and
# recover: two boots of the reference guest with the journal kept in the
# share, as powerloss.sh does.
here=$(cd "$(dirname "$0")" && pwd -P)
build=${SS_BUILDDIR:-$PWD}
out=$build/tests/guest/out/nvidia-stuck
rm -rf "$out"; mkdir -p "$out"
boot() { "$here/with-slot" "$build" "$here/run" --build "$build" --out "$out" --timeout 300 \
	"$here/nvidia-stuck-phase.sh" "$@"; }
failed=0
boot stuck || failed=1
cp "$out/script.log" "$out/stuck.log" 2>/dev/null
boot recover || failed=1
[ $failed -eq 0 ] && echo "PASS: the stuck remove was left for recover, and recovered after the reboot" ||
	echo "FAIL: see above"
exit $failed
