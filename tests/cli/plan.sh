#!/bin/sh
# plan: exact steps, refusals with reasons, --config.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

run seed plan vm
expect_rc 0
expect_out "write vfio-pci  > /sys/bus/pci/devices/0000:01:00.0/driver_override"
expect_out "write 0000:01:00.0 > /sys/bus/pci/devices/0000:01:00.0/driver/unbind"
expect_no_out "new_id >"
run seed --json plan vm
expect_rc 0
expect_jq '.plan.steps | length' 8
expect_jq '[.plan.steps[] | .action] | join(",")' "driver_override,unbind,drivers_probe,wait_driver,driver_override,unbind,drivers_probe,wait_driver"
expect_jq '.plan.steps[0] | [.device, .value] | join(" ")' "0000:01:00.0 vfio-pci"
expect_jq '.viable' true

cat >"$TMP/conf" <<CONF
# the seed's bridge dance
[vm]
devices = 0000:01:00.0 0000:01:00.1
bridge = 0000:00:01.0
CONF
run seed --config "$TMP/conf" --json plan vm
expect_rc 0
expect_jq '[.plan.steps[0:2][] | .action] | join(",")' "remove,rescan"

run seed-vm plan host
expect_rc 0
expect_out "(clear)"
run seed plan host
expect_rc 0
expect_out "Already in host mode: nothing to do."

# [ddc]: the monitor's input follows the mode, the monitor found by EDID
cat >"$TMP/ddc" <<CONF
[ddc]
monitor = DEL:D1918H:2C8FJ8255K5E
vm_input = 0x0f
host_input = 0x11
CONF
run seed-ddc --config "$TMP/ddc" plan vm
expect_rc 0
expect_out "9. ddc: set input (VCP 0x60) of DEL:D1918H:2C8FJ8255K5E to 0x0f"
expect_out "found by EDID on card0-DP-1, i2c-5 (DEL 8197 \"D1918H\")"
expect_out "found by EDID on card1-DP-1, i2c-3 (DEL 8197 \"D1918H\")"
expect_no_out "card1-DP-2"
run seed-ddc --config "$TMP/ddc" --json plan vm
expect_rc 0
expect_jq '.plan.ddc.value' 15
expect_jq '[.plan.ddc.found[] | .connector + "=" + .i2c] | join(",")' "card0-DP-1=i2c-5,card1-DP-1=i2c-3"
run seed-ddc-vm --config "$TMP/ddc" --json plan host
expect_rc 0
expect_jq '.plan.ddc.value' 17
expect_jq '[.plan.ddc.found[] | .connector] | join(",")' "card0-DP-1"
run seed-ddc --json plan vm
expect_jq '.plan.ddc' null
run seed-ddc plan vm
expect_no_out "ddc:"
# a monitor on no connector: planned, and said
sed 's/^monitor = .*/monitor = AUS:PG279Q/' "$TMP/ddc" >"$TMP/ddc2"
run seed-ddc --config "$TMP/ddc2" plan vm
expect_rc 0
expect_out "not on any connector now: the switch will warn and go on"

run seed-iommu-off plan vm
expect_rc 1
expect_err "refusing to switch to vm"
expect_err "intel_iommu=on"
run seed-iommu-off --json plan vm
expect_rc 1
expect_jq '.viable' false
expect_jq '.plan.refused' true
expect_jq '.reasons | length > 0' true

run nonviable --json plan vm
expect_rc 1
expect_jq '.reasons[0] | test("0000:02:00.0")' true
finish
