#!/bin/sh
# status: the mode as the devices tell it.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

run seed status
expect_rc 0
expect_out "mode: host"
expect_out "0000:01:00.0  nvidia"
run seed --json status
expect_jq '.mode' host
expect_jq '[.functions[] | .address + "=" + .driver] | join(" ")' "0000:01:00.0=nvidia 0000:01:00.1=snd_hda_intel"
expect_jq '.functions[0].vm_driver' vfio-pci
expect_jq '.functions[0].host_driver_from' current
expect_jq '.igpu' 0000:00:02.0
expect_jq '.source' detected

run seed-vm --json status
expect_jq '.mode' vm
expect_jq '.functions[0].host_driver' null
run seed-mixed --json status
expect_jq '.mode' mixed
expect_jq '.odd' "0000:01:00.0 on vfio-pci"

run two-dgpu status
expect_rc 1
expect_err "[vm] devices"
finish
