#!/bin/sh
# doctor: verdicts, fixes and exit codes.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

run seed doctor
expect_rc 0
expect_out "OK    iommu"
expect_out "ready: 0 failed"
run seed --json doctor
expect_rc 0
expect_jq '.ready' true
expect_jq '[.checks[] | select(.status != "OK")] | length' 0
expect_jq '.checks[] | select(.name == "CONFIG_VFIO_PCI") | .status' OK

run seed-iommu-off doctor
expect_rc 1
expect_out "FAIL  iommu"
expect_out "fix: add intel_iommu=on to GRUB_CMDLINE_LINUX in /etc/default/grub"
expect_out "NOT READY"
run seed-iommu-off --json doctor
expect_rc 1
expect_jq '.checks[] | select(.name == "iommu") | .status' FAIL
expect_jq '.checks[] | select(.name == "iommu") | .fix | test("grub-mkconfig")' true

run seed-no-dmar --json doctor
expect_rc 1
expect_jq '.checks[] | select(.name == "iommu") | .fix | test("VT-d")' true

# an APU beside a card: the APU's GPU stays, the card goes (the first
# rule took the APU's GPU for a second discrete one and refused)
run apu doctor
expect_rc 0
expect_out "OK    dgpu                     0000:01:00.0"
expect_out "OK    host-gpu                 0000:05:00.0"
finish
