#!/bin/bash
# The README's demo, inside the reference guest: the checks, then the
# user's switch with real SLiM and Xorg: host -> vm -> host, each step
# timed, and what each GPU shows taken by QEMU from outside the guest.
. "$SRCDIR/lib.sh"
say() { printf '\n== %s\n' "$*"; }
wait_greeter() {
	local end=$(( $(now_ms) + 60000 )) w
	while [ "$(now_ms)" -lt $end ]; do
		for w in $(XAUTHORITY=/var/run/slim.auth DISPLAY=:0 xwininfo -root -children 2>/dev/null | grep -o '^ *0x[0-9a-f]*'); do
			XAUTHORITY=/var/run/slim.auth DISPLAY=:0 xwininfo -id $w 2>/dev/null | grep -q 'Map State: IsViewable' && return 0
		done
		sleep 0.1
	done
}

say "session-switch doctor"
$SS doctor
say "session-switch groups"
$SS groups
say "session-switch probe (which GPU drives which connector)"
$SS probe

say "setup: SLiM as the display manager, the Xorg and SLiM variants"
install -m 755 "$SRCDIR/dm-ctl" /usr/local/sbin/ss-dm-ctl
cat >/etc/slim.conf <<'CONF'
default_xserver     /usr/lib/xorg/Xorg
xserver_arguments   -nolisten tcp vt07
authfile            /var/run/slim.auth
login_cmd           exec /bin/bash -login /etc/X11/Xsession '%session'
sessiondir          /usr/share/xsessions/
current_theme       default
lockfile            /var/run/slim.lock
CONF
printf '[display]\nmanager = command:/usr/local/sbin/ss-dm-ctl\n' >/etc/session-switch.conf
$SS setup
/usr/local/sbin/ss-dm-ctl start
wait_for_file /tmp/.X11-unix/X0 60
wait_greeter
screens 1-host

say "session-switch plan vm"
$SS plan vm
say "session-switch vm   (host -> vm: SLiM stopped, devices to vfio-pci, X on the Intel GPU)"
step "host->vm" $SS vm
$SS status
wait_greeter
screens 2-vm
say "session-switch host (vm -> host)"
step "vm->host" $SS host
$SS status
wait_greeter
screens 3-host-again
/usr/local/sbin/ss-dm-ctl stop

say "what each monitor showed (QEMU screendump of each GPU; the greeter is on one, the other is dark)"
for f in "$OUT"/[123]-*.png; do
	printf '%-28s mean brightness %s\n' "$(basename "$f")" "$(/usr/bin/convert "$f" -colorspace Gray -format '%[fx:mean]' info:)"
done
finish
