#!/bin/sh
# session-switch-ddc: its arguments and exit codes with the real
# libddcutil.  No monitor answers DDC/CI here (nor in the reference guest:
# i2c-stub speaks only SMBus), so the one exchange it can have is "no such
# monitor": exit 2, said, as the switch step expects.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

DDC="$SS_BUILDDIR/src/ddc/session-switch-ddc"
[ -x "$DDC" ] || { echo "SKIP: built without libddcutil (configure --without-ddcutil)"; exit 77; }
EDID=$(od -An -v -tx1 -N128 "$DATA/seed-ddc/sys/class/drm/card0-DP-1/edid" | tr -d ' \n')
[ ${#EDID} -eq 256 ] || { echo "FAIL: the recorded EDID is not 128 bytes"; exit 1; }

ddc() {
	out="$TMP/out" err="$TMP/err"
	"$DDC" "$@" >"$out" 2>"$err"
	rc=$?
}

ddc --vcp 0x60 --value 15
expect_rc 1
expect_err "--edid, --vcp and --value are all needed"
ddc --edid "00ff$EDID" --vcp 0x60 --value 15
expect_rc 1
expect_err "not an EDID base block"
# a byte changed: the checksum says it is no EDID
ddc --edid "$(echo "$EDID" | sed 's/^00ff/01ff/')" --vcp 0x60 --value 15
expect_rc 1
ddc --edid "$EDID" --vcp 0x60 --value 256
expect_rc 1
expect_err "--value \"256\" is not a value from 1 to 255"
ddc --edid "$EDID" --vcp 0x60 --value 15 --tries 0
expect_rc 1
ddc --help
expect_rc 0
expect_out "2 no such monitor"

# the real library, looking for the Dell of seed-ddc on this machine's buses
ddc --edid "$EDID" --vcp 0x60 --value 0x0f --tries 1
expect_rc 2
expect_err "DEL D1918H: no monitor with this EDID answers DDC/CI"
finish
