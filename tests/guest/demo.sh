#!/bin/bash
# The README's demo, inside the reference guest: the checks, then the
# user's switch with real SLiM and Xorg: host -> vm -> host, each step
# timed, and what each GPU shows taken by QEMU from outside the guest.
. "$SRCDIR/lib.sh"
say() { printf '\n== %s\n' "$*"; }
say "session-switch doctor"
$SS doctor
say "session-switch groups"
$SS groups
say "session-switch probe (which GPU drives which connector)"
$SS probe

say "setup: SLiM as the display manager, the Xorg and SLiM variants"
slim_up
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
