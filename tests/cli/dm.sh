#!/bin/sh
# Display managers (doc/design.md, "Display managers"): setup puts the
# "Windows VM" entry where the display manager's own configuration looks
# for sessions, on the seed's machine with a recorded /etc of each display
# manager (tests/data/etc-*, synthesised configuration) copied over it.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

XS=${SS_XSESSIONSDIR:?run through make check}
# tree NAME ETC...: the seed's machine with the /etc trees over it
tree() {
	root=$TMP/$1; shift
	rm -rf "$root" && cp -a "$DATA/seed/." "$root" && mkdir -p "$root/etc/X11"
	for t in "$@"; do cp -a "$DATA/$t/." "$root"; done
	rm -f "$root/RECORDED"
}
sroot() { out="$TMP/out" err="$TMP/err"; "$SS" --sysroot "$root" "$@" >"$out" 2>"$err"; rc=$?; }

# SLiM with its sessiondir elsewhere: the entry is linked there
tree slim etc-slim-sessiondir
sroot setup --dry-run
expect_rc 0
expect_out "would link /usr/local/share/xsessions/session-switch-vm.desktop -> $XS/session-switch-vm.desktop"
sroot setup
expect_rc 0
[ "$(readlink "$root/usr/local/share/xsessions/session-switch-vm.desktop")" = "$XS/session-switch-vm.desktop" ] ||
	fail "the session entry is not linked into slim.conf's sessiondir"
sroot setup
expect_rc 0
sroot --json setup --dry-run
expect_jq '[.files[] | select(.path == "/usr/local/share/xsessions/session-switch-vm.desktop") | .action] | join(",")' link
sroot setup --undo
expect_rc 0
[ ! -L "$root/usr/local/share/xsessions/session-switch-vm.desktop" ] || fail "--undo left the session link"
# a file of the user's own in its place is never replaced
printf '[Desktop Entry]\nName=Mine\n' >"$root/usr/local/share/xsessions/session-switch-vm.desktop"
sroot setup
expect_rc 1
expect_err "/usr/local/share/xsessions/session-switch-vm.desktop exists and is not a link to $XS/session-switch-vm.desktop"
grep -q Mine "$root/usr/local/share/xsessions/session-switch-vm.desktop" || fail "the user's entry was touched"
[ ! -e "$root/etc/X11/xorg.conf.intel" ] || fail "a refused setup wrote the Xorg variants"
# a sessiondir that does not exist: file and line, nothing written
tree slim2 etc-slim-sessiondir
sed -i 's|^sessiondir .*|sessiondir          /opt/nowhere|' "$root/etc/slim.conf"
sroot setup
expect_rc 1
expect_err "/etc/slim.conf:6: the session directory /opt/nowhere does not exist"
[ ! -L "$root/etc/slim.conf" ] || fail "a refused setup linked slim.conf"
# sessiondir where make install puts the entry: no link
sed -i "s|^sessiondir .*|sessiondir          $XS/|" "$root/etc/slim.conf"
sroot setup --dry-run
expect_rc 0
expect_no_out "session-switch-vm.desktop"

finish
