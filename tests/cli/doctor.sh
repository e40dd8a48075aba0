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

# The way back checked before leaving: the loaded NVIDIA module against
# the installed user-space driver, both as the shipped data file says
# where to read them (a copy of the seed tree with the file installed)
nv=$TMP/nv
cp -a "$DATA/seed/." "$nv"
mkdir -p "$nv${SS_DRIVERS_DATADIR:?run through make check}" "$nv/proc/driver/nvidia" "$nv/etc" \
	"$nv/usr/lib/x86_64-linux-gnu"
cp "$SS_SRCDIR/data/nvidia.conf" "$nv$SS_DRIVERS_DATADIR/"
nvrun() { "$SS" --sysroot "$nv" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$TMP/out err=$TMP/err; }
# neither says a version: nothing knowable, no check
nvrun --json doctor
expect_rc 0
expect_jq '[.checks[] | select(.name == "driver-version")] | length' 0
echo "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.154.05  Thu Dec 28 15:37:48 UTC 2023" \
	>"$nv/proc/driver/nvidia/version"
nvrun --json doctor
expect_jq '.checks[] | select(.name == "driver-version") | .status' WARN
expect_jq '.checks[] | select(.name == "driver-version") | .detail | test("no user-space driver found")' true
# upgraded while the old module is loaded
: >"$nv/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.14"
nvrun doctor
expect_rc 1
expect_out "FAIL  driver-version"
expect_out "the loaded nvidia module is 535.154.05 (/proc/driver/nvidia/version) but the installed user-space driver is 550.54.14 (/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.14)"
expect_out "fix: reboot"
nvrun plan vm
expect_rc 1
expect_err "refusing to switch to vm"
expect_err "API mismatch"
# with [host] unload the module is loaded again from disk: a warning
printf '[host]\nunload = nvidia_drm nvidia_modeset nvidia_uvm nvidia\n' >"$nv/etc/session-switch.conf"
nvrun --json doctor
expect_jq '.checks[] | select(.name == "driver-version") | .status' WARN
expect_jq '.checks[] | select(.name == "driver-version") | .detail | test("whose version could not be read: /lib/modules/4.17.9-gentoo/video/nvidia.ko: No such file")' true
# the module file there, built by the compiler with the .modinfo that
# MODULE_VERSION() leaves: version 550.54.14, the user-space driver's, so
# the way back meets it although the loaded module is older
mods=$nv/lib/modules/4.17.9-gentoo
mkdir -p "$mods/video" && cp "$SS_BUILDDIR/tests/cli/modinfo-550.ko" "$mods/video/nvidia.ko"
nvrun doctor
expect_rc 0
expect_out "OK    driver-version           the unloaded and reloaded nvidia module and the user-space driver are both 550.54.14 (/lib/modules/4.17.9-gentoo/video/nvidia.ko"
# the user-space driver upgraded again, the module not rebuilt: refused
mv "$nv/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.14" "$nv/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.560.35.03"
nvrun doctor
expect_rc 1
expect_out "[host] unload loads nvidia again from /lib/modules/4.17.9-gentoo/video/nvidia.ko, version 550.54.14, but the installed user-space driver is 560.35.03"
expect_out "fix: rebuild the module for the installed driver"
nvrun plan vm
expect_rc 1
expect_err "API mismatch"
# a file that is no module: a warning naming it, as when it is compressed
printf 'not an ELF file' >"$mods/video/nvidia.ko"
nvrun --json doctor
expect_jq '.checks[] | select(.name == "driver-version") | .detail | test("nvidia.ko: not a kernel module")' true
sed -i 's|^video/nvidia.ko:|video/nvidia.ko.xz:|' "$mods/modules.dep"
nvrun --json doctor
expect_jq '.checks[] | select(.name == "driver-version") | .detail | test("nvidia.ko.xz is compressed")' true
rm "$nv/etc/session-switch.conf" "$nv/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.560.35.03"
: >"$nv/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.14"
# the same version: ready
: >"$nv/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.535.154.05"
nvrun doctor
expect_rc 0
expect_out "OK    driver-version           the loaded nvidia module and the user-space driver are both 535.154.05"
nvrun plan vm
expect_rc 0
finish
