#!/bin/bash
# The README's demo, inside the reference guest: the read-only commands on
# a live kernel, then host -> vm -> host with each step's timing.
. "$SRCDIR/lib.sh"
say() { printf '\n== %s\n' "$*"; }

say "session-switch doctor"
$SS doctor
say "session-switch groups"
$SS groups
say "session-switch probe (which GPU drives which connector)"
$SS probe
say "session-switch plan vm"
$SS plan vm
say "session-switch vm   (host -> vm)"
step "host->vm" $SS vm
$SS status
screens vm
say "session-switch host (vm -> host)"
step "vm->host" $SS host
$SS status
screens host
say "what each GPU showed (QEMU screendump): $OUT/vm-*.png, $OUT/host-*.png"
ls -l "$OUT"/*.png 2>/dev/null
finish
