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
