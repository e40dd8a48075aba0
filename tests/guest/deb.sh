#!/bin/sh
# The Debian package in the reference guest (issue 18): install it with
# dpkg, see what postinst did, remove it, purge it, and find nothing left
# behind.  Uses the package tools/check-deb built into BUILDDIR/deb (as
# tools/run-tests does before make check), or builds it there first.
here=$(cd "$(dirname "$0")" && pwd -P)
build=${SS_BUILDDIR:-$PWD}
src=${SS_SRCDIR:-$here/../..}
out=$build/tests/guest/out/deb
deb=$(ls "$build"/deb/session-switch_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
	"$src/tools/check-deb" "$build/deb" >"$build/deb.out" 2>&1 || { tail -30 "$build/deb.out"; echo "FAIL: tools/check-deb"; exit 1; }
	deb=$(ls "$build"/deb/session-switch_*.deb | head -1)
fi
rm -rf "$out"; mkdir -p "$out"
exec "$here/with-slot" "$build" "$here/run" --out "$out" --timeout 300 "$here/deb-phase.sh" "$deb"
