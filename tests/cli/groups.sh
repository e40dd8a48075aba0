#!/bin/sh
# groups: the seed's listing done right, text and --json.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

run seed groups
expect_rc 0
expect_out "IOMMU group 1  (passed through: viable)"
expect_out "* 0000:01:00.0"
expect_out "* 0000:01:00.1"
expect_out "10de:1b80  nvidia"
expect_out "  0000:00:01.0"
expect_empty_err

run seed --json groups
expect_rc 0
expect_jq '.groups | length' 13
expect_jq '.groups[] | select(.id == 1) | [.devices[].address] | join(" ")' "0000:00:01.0 0000:01:00.0 0000:01:00.1"
expect_jq '.groups[] | select(.id == 1) | .viable' true
expect_jq '.groups[] | select(.id == 2) | has("viable")' false
expect_jq '.groups[] | select(.id == 1) | .devices[1] | [.class, .vendor, .device, .driver] | join(" ")' "0x030000 0x10de 0x1b80 nvidia"
expect_jq '[.groups[].devices[] | select(.passthrough)] | length' 2
expect_jq '.groups[] | select(.id == 3) | .devices[0].driver' null
expect_jq '.viable' true
expect_jq '.reasons | length' 0

run nonviable --json groups
expect_rc 0
expect_jq '.viable' false
expect_jq '.groups[] | select(.id == 1) | .viable' false
expect_jq '.reasons[0] | test("0000:02:00.0")' true

run seed-iommu-off groups
expect_rc 0
expect_out "The IOMMU is off"
expect_out "In no IOMMU group"
run seed-iommu-off --json groups
expect_jq '.iommu' false
expect_jq '.groups | length' 0
expect_jq '.ungrouped | length' 19

run bus16 --json groups
expect_jq '[.groups[].devices[] | select(.passthrough) | .address] | join(" ")' "0000:10:00.0 0000:10:00.1"

# the reference guest, recorded live: the virtio "NVIDIA" and its audio
run guest-q35 --json groups
expect_jq '.groups[] | select(.id == 6) | [.devices[].address] | join(" ")' "0000:01:00.0 0000:01:00.1"
expect_jq '.viable' true
run guest-q35 --json plan vm
expect_rc 0
expect_jq '.plan.steps | length' 8
expect_jq '[.plan.steps[] | select(.action == "driver_override") | .value] | unique | join(" ")' vfio-pci

# a real machine recorded with tests/record-sysfs: no GPU, no IOMMU
run no-gpu groups
expect_rc 0
expect_out "no display controller"
finish
