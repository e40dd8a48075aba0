#!/bin/sh
# The installed setuid helper carries no test hook (doc/security.md; issue
# 13): installed into a scratch DESTDIR exactly as `make install` installs
# it, it imports neither reboot() nor raise() and holds no "SS_FAULT"
# string; the test build, which must have them, shows that the check can
# see them.  --help's exit codes come from the one outcome table.
set -u
b=${SS_BUILDDIR:?run through make check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

make -s -C "$b" install-pkglibexecPROGRAMS DESTDIR="$tmp" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: installing the helper into a DESTDIR"; exit 1; }
h=$(find "$tmp" -name session-switch-helper -type f)
[ -n "$h" ] || { echo "FAIL: no session-switch-helper installed"; exit 1; }
t=$b/src/helper/session-switch-helper-test

imports() { nm -D --undefined-only "$1" | awk '{ print $2 }' | sed 's/@.*//'; }
for sym in reboot raise; do
	if imports "$h" | grep -qx "$sym"; then fail "the installed helper imports $sym()"; else ok "no $sym() in the installed helper"; fi
	if imports "$t" | grep -qx "$sym"; then ok "the test build imports $sym()"; else fail "the test build lacks $sym(): the check sees nothing"; fi
done
if strings "$h" | grep -q SS_FAULT; then fail "the installed helper mentions SS_FAULT"; else ok "no SS_FAULT in the installed helper"; fi
if strings "$t" | grep -q SS_FAULT; then ok "the test build reads SS_FAULT"; else fail "no SS_FAULT in the test build"; fi
if strings "$h" | grep -q SS_TEST_LOGIN; then fail "the installed helper mentions SS_TEST_LOGIN"; else ok "no SS_TEST_LOGIN in the installed helper"; fi

"$b/src/cli/session-switch" --help >"$tmp/help"
for line in "0  success" "4  the switch failed and was rolled back" "6  busy: another switch is running"; do
	grep -qF "  $line" "$tmp/help" && ok "--help: $line" || fail "--help lacks \"$line\""
done
[ $failures -eq 0 ]
