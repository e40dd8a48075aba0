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

# LightDM, named by /etc/X11/default-display-manager (its slim.conf unused):
# a drop-in per mode, the link LightDM loads, nothing of SLiM's
D=/etc/lightdm/lightdm.conf.d/50-session-switch.conf
tree lightdm etc-lightdm
# LightDM's default user-session, "default", is no entry of Debian's: the
# auto-login after a switch would find no session
sroot setup --dry-run
expect_rc 1
expect_err "LightDM's default user-session: user-session \"default\", the session of LightDM's auto-login after a switch, has no default.desktop in"
expect_no_out "would write"
sed -i 's|^#user-session=default$|user-session=session-switch-vm|' "$root/etc/lightdm/lightdm.conf"
sroot setup --dry-run
expect_rc 1
expect_err "/etc/lightdm/lightdm.conf:11: user-session is \"session-switch-vm\", the session that switches"
sed -i 's|^user-session=.*|user-session=lightdm-xsession|' "$root/etc/lightdm/lightdm.conf"
sroot setup --dry-run
expect_rc 0
expect_out "would write $D.host"
expect_out "would write $D.vm"
expect_out "would link $D -> 50-session-switch.conf.host"
expect_out "xserver-command=X -config xorg.conf.intel"
expect_out "manager = none"
expect_no_out "slim.conf"
sroot --json setup --dry-run
expect_jq .display_manager LightDM
expect_jq .lightdm true
expect_jq .slim false
mkdir -p "$root/run/systemd/system"
sroot setup
expect_rc 0
expect_out "manager = systemd:lightdm.service"
expect_out "authfile = /var/run/lightdm/root/:0"
expect_out "add to /etc/pam.d/lightdm:"
expect_out "add to /etc/pam.d/lightdm-autologin:"
[ "$(readlink "$root$D")" = 50-session-switch.conf.host ] || fail "the drop-in is not a link to the host variant"
grep -qx 'xserver-command=X -config xorg.conf.nvidia' "$root$D.host" || fail "the host drop-in lacks its -config"
grep -qx '\[Seat:\*\]' "$root$D.vm" || fail "the vm drop-in has no [Seat:*]"
grep -qx "session-wrapper=/etc/X11/Xsession" "$root$D.vm" || fail "the wrapper is not Debian's, from /usr/share/lightdm/lightdm.conf.d"
grep -qx 'autologin-session=lightdm-xsession' "$root$D.vm" || fail "the auto-login's session is not the user's default"
! grep -q '^autologin-user' "$root$D.vm" || fail "a plain variant arms an auto-login"
[ ! -L "$root/etc/slim.conf" ] && [ ! -e "$root/etc/slim.conf.host" ] || fail "SLiM's variants written for LightDM"
# the entry is in /usr/share/xsessions, which LightDM's default reads
[ "$XS" = /usr/share/xsessions ] && [ -n "$(find "$root/usr/share" -name session-switch-vm.desktop)" ] &&
	fail "a session link where the entry is installed"
# with the PAM lines in place, nothing more to add; again, the same files
echo 'session optional pam_session_switch.so' >>"$root/etc/pam.d/lightdm"
echo 'session optional pam_session_switch.so' >>"$root/etc/pam.d/lightdm-autologin"
cp "$root$D.vm" "$TMP/vm1"
sroot setup
expect_rc 0
expect_no_out "add to /etc/pam.d/lightdm"
cmp -s "$root$D.vm" "$TMP/vm1" || fail "a second setup changed the vm drop-in"
# --undo: the drop-in and its variants gone
sroot setup --undo
expect_rc 0
expect_out "removed $root$D;"
[ ! -e "$root$D" ] && [ ! -L "$root$D" ] && [ ! -e "$root$D.vm" ] || fail "--undo left LightDM's drop-in"

# LightDM's keys where they would win over the drop-in: file, line, nothing written
tree lightdm2 etc-lightdm
sed -i 's|^#user-session=default$|user-session=lightdm-xsession|' "$root/etc/lightdm/lightdm.conf"
sed -i 's|^#autologin-user=$|autologin-user=bob|' "$root/etc/lightdm/lightdm.conf"
sroot setup
expect_rc 1
expect_err "/etc/lightdm/lightdm.conf:9: autologin-user overrides what session-switch sets for each mode in $D"
[ ! -e "$root$D.vm" ] && [ ! -e "$root/etc/X11/xorg.conf.intel" ] || fail "a refused setup wrote files"
tree lightdm3 etc-lightdm
sed -i 's|^#user-session=default$|user-session=lightdm-xsession|' "$root/etc/lightdm/lightdm.conf"
mkdir -p "$root/etc/lightdm/lightdm.conf.d"
printf '[Seat:*]\nxserver-command=X -core\nsession-wrapper=/usr/local/bin/my-wrapper\n' >"$root/etc/lightdm/lightdm.conf.d/10-mine.conf"
printf '[Seat:*]\nxserver-command=X\n' >"$root/etc/lightdm/lightdm.conf.d/90-late.conf"
sroot setup
expect_rc 1
expect_err "/etc/lightdm/lightdm.conf.d/90-late.conf:2: xserver-command overrides"
rm "$root/etc/lightdm/lightdm.conf.d/90-late.conf"
# one before ours is the base of what ours says
sroot setup
expect_rc 0
grep -qx 'xserver-command=X -core -config xorg.conf.intel' "$root$D.vm" || fail "the user's xserver-command is not kept"
grep -qx 'session-wrapper=/usr/local/bin/my-wrapper' "$root$D.vm" || fail "the user's session wrapper is not kept"
# a sessions-directory without the installed entry's: linked into its first
tree lightdm4 etc-lightdm
sed -i 's|^#user-session=default$|user-session=lightdm-xsession|' "$root/etc/lightdm/lightdm.conf"
mkdir -p "$root/opt/sessions"
cp "$root/usr/share/xsessions/lightdm-xsession.desktop" "$root/opt/sessions/"
sed -i 's|^#sessions-directory=.*|sessions-directory=/opt/nothere:/opt/sessions|' "$root/etc/lightdm/lightdm.conf"
sroot setup
expect_rc 0
[ "$(readlink "$root/opt/sessions/session-switch-vm.desktop")" = "$XS/session-switch-vm.desktop" ] ||
	fail "the entry is not linked into LightDM's sessions-directory"
sed -i 's|^sessions-directory=.*|sessions-directory=/opt/nothere|' "$root/etc/lightdm/lightdm.conf"
sroot setup
expect_rc 1
expect_err "/etc/lightdm/lightdm.conf:3: none of the session directories \"/opt/nothere\" exists"

# GDM (named by default-display-manager, beside a slim.conf) and SDDM
# (systemd's display-manager.service): refused by name, nothing written
tree gdm etc-gdm
sroot setup
expect_rc 1
expect_err "the display manager here is GDM (/etc/X11/default-display-manager)"
expect_err "What works: SLiM and LightDM"
expect_err "manager = none and startx"
[ ! -L "$root/etc/slim.conf" ] && [ ! -e "$root/etc/slim.conf.vm" ] && [ ! -e "$root/etc/slim.conf.orig" ] ||
	fail "SLiM's files written under GDM"
[ ! -e "$root/etc/X11/xorg.conf.intel" ] || fail "the Xorg variants written under GDM"
sroot --json setup
expect_rc 1
expect_jq .exit 1
tree sddm etc-sddm
sroot setup --dry-run
expect_rc 1
expect_err "the display manager here is SDDM (/etc/systemd/system/display-manager.service)"
expect_no_out "would write"

finish
