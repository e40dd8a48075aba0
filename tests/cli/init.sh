#!/bin/sh
# Boot-time recover (init/): each init system's file runs `session-switch
# recover --boot` from bindir, before the display manager, only when the
# helper's journal exists; systemd itself reads the unit without a
# complaint; `--boot` goes with recover alone and is refused to anyone
# but root, who would be left without a login screen.
set -u
b=${SS_BUILDDIR:?run through make check}
s=${SS_SRCDIR:?run through make check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
has() { grep -qxF -- "$2" "$1" && ok "$(basename "$1"): $2" || fail "$(basename "$1") lacks the line: $2"; }

bindir=$(sed -n 's/^bindir = //p' "$b/Makefile")
prefix=$(sed -n 's/^prefix = //p' "$b/Makefile")
bindir=$(echo "$bindir" | sed "s|\${exec_prefix}|$prefix|")
jdir=$(sed -n 's/^#define JOURNAL_DIR "\(.*\)"$/\1/p' "$s/src/lib/journal.h")
jfile=$(sed -n 's/^#define JOURNAL_FILE "\(.*\)"$/\1/p' "$s/src/lib/journal.h")
[ -n "$jdir" ] && [ -n "$jfile" ] || fail "no JOURNAL_DIR/JOURNAL_FILE in src/lib/journal.h"
j=$jdir/$jfile

u=$b/init/session-switch-recover.service
has "$u" "Before=display-manager.service"
has "$u" "ConditionPathExists=$j"
has "$u" "Type=oneshot"
has "$u" "ExecStart=$bindir/session-switch recover --boot"
if command -v systemd-analyze >/dev/null; then
	# verify wants the command installed: the built one stands in
	sed "s|^ExecStart=$bindir/session-switch |ExecStart=$b/src/cli/session-switch |" "$u" >"$tmp/session-switch-recover.service"
	if systemd-analyze verify --man=no "$tmp/session-switch-recover.service" >"$tmp/verify" 2>&1 && [ ! -s "$tmp/verify" ]; then
		ok "systemd-analyze verify: clean"
	else
		fail "systemd-analyze verify:"; cat "$tmp/verify"
	fi
else
	echo "note: no systemd-analyze here; the unit was checked line by line only"
fi

o=$b/init/session-switch-recover
has "$o" "#!/sbin/openrc-run"
grep -qE '^[[:space:]]+before xdm( |$)' "$o" && ok "openrc: before xdm" || fail "openrc: no 'before xdm'"
grep -qF "[ -e $j ] || return 0" "$o" && ok "openrc: only with a journal" || fail "openrc: does not test $j"
grep -qF "$bindir/session-switch recover --boot" "$o" && ok "openrc: recover --boot" || fail "openrc: no recover --boot"
r=$b/init/97-session-switch-recover.sh
grep -qF "if [ -e $j ]; then" "$r" && ok "runit: only with a journal" || fail "runit: does not test $j"
grep -qF "$bindir/session-switch recover --boot" "$r" && ok "runit: recover --boot" || fail "runit: no recover --boot"
for f in "$o" "$r"; do sh -n "$f" && ok "sh -n $(basename "$f")" || fail "sh -n $(basename "$f")"; done

# --boot: recover alone, root alone
"$b/src/cli/session-switch" vm --boot >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && ok "vm --boot: usage error" || fail "vm --boot: exit $rc, not 2"
h=$b/src/helper/session-switch-helper
"$h" host --boot >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "helper host --boot: usage error" || fail "helper host --boot: exit $rc, not 2"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$h" recover --boot >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] && grep -q "recover --boot is for the init system" "$tmp/err" &&
		ok "recover --boot by a user: refused" || { fail "recover --boot by a user: exit $rc"; cat "$tmp/err"; }
else
	"$h" recover --boot >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc -eq 1 ] && grep -q "recover --boot is for the init system" "$tmp/err" &&
		ok "recover --boot by a user: refused" || { fail "recover --boot by a user: exit $rc"; cat "$tmp/err"; }
fi
[ $failures -eq 0 ]
