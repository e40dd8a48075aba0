#!/bin/sh
# vm-config: the VM definition on a copy of a recorded tree, its argv one
# argument per line, the passed-through functions from that tree's plan,
# and the refusals with file:line and their exit codes.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

# vmtree TREE: $TMP/TREE, a copy of the recorded tree with the files
# tests/data/vm/seed.conf names and that file as /etc/session-switch/vm.conf
vmtree() {
	root="$TMP/$1"
	cp -a "$DATA/$1" "$root"
	mkdir -p "$root/etc/session-switch" "$root/usr/bin" "$root/usr/share/edk2-ovmf" "$root/tank/vm" \
		"$root/dev/input/by-id"
	for f in usr/bin/qemu-system-x86_64 usr/share/edk2-ovmf/OVMF_CODE.fd usr/share/edk2-ovmf/OVMF_VARS.fd \
		tank/vm/win10.iso tank/vm/photog.qcow2 dev/input/event3 dev/input/event4 dev/input/event5; do
		echo x >"$root/$f"
		chmod 644 "$root/$f"
	done
	ln -s ../event3 "$root/dev/input/by-id/usb-04d9_USB-HID_Keyboard-event-kbd"
	ln -s ../event4 "$root/dev/input/by-id/usb-Logitech_G102_Prodigy_Gaming_Mouse_017F36743435-event-mouse"
	ln -s ../event5 "$root/dev/input/by-id/usb-Logitech_G102_Prodigy_Gaming_Mouse_017F36743435-if01-event-kbd"
	echo "alice:x:$(id -u):$(id -g)::/home/alice:/bin/sh" >"$root/etc/passwd"
	cp "$DATA/vm/seed.conf" "$root/etc/session-switch/vm.conf"
	chmod 644 "$root/etc/session-switch/vm.conf"
}

# runvm ROOT ARGS...: session-switch on an own tree
runvm() {
	r=$1; shift
	out="$TMP/out" err="$TMP/err"
	"$SS" --sysroot "$r" "$@" >"$out" 2>"$err"
	rc=$?
}

# The functions the tree's plan hands to vfio-pci, and the argv's host= of
# each -device vfio-pci, must be the same list.
expect_hostdevs_from_plan() {
	"$SS" --sysroot "$1" --json plan vm |
		jq -r '.plan.steps[] | select(.action == "driver_override" and .value == "vfio-pci") | .device' |
		sort >"$TMP/plan"
	sed -n 's/^vfio-pci,host=\([^,]*\),.*/\1/p' "$out" | sort >"$TMP/argv"
	[ -s "$TMP/plan" ] || fail "the plan of $1 moves nothing"
	cmp -s "$TMP/plan" "$TMP/argv" || fail "host= of the argv ($(tr '\n' ' ' <"$TMP/argv")) is not what the plan moves ($(tr '\n' ' ' <"$TMP/plan"))"
}

vmtree seed
runvm "$TMP/seed" vm-config --print
expect_rc 0
expect_empty_err
# one argument per line, the emulator first
[ "$(head -n1 "$out")" = /usr/bin/qemu-system-x86_64 ] || fail "the first line is not the emulator"
expect_out "host,kvm=off,hv_relaxed,hv_spinlocks=0x1fff,hv_time,hv_vapic,hv_vendor_id=0xDEADBEEFFF"
expect_out "vfio-pci,host=0000:01:00.0,addr=10.0,multifunction=on,x-vga=on"
expect_out "vfio-pci,host=0000:01:00.1,addr=10.1"
expect_out "if=pflash,format=raw,file=/var/lib/session-switch/vm/win10/OVMF_VARS.fd"
[ "$(grep -c '^-device$' "$out")" -eq "$(grep -c '^-device' "$out")" ] || fail "an option shares its line"
expect_hostdevs_from_plan "$TMP/seed"
runvm "$TMP/seed" --json vm-config win10
expect_rc 0
expect_jq '.vm' win10
expect_jq '.argv | map(select(startswith("vfio-pci,"))) | length' 2
runvm "$TMP/seed" vm-config
expect_rc 0
expect_out "[vm win10] is valid: 42 arguments, 2 passed-through functions"

# another tree, another plan: Turing's four functions in one guest slot
vmtree turing
runvm "$TMP/turing" vm-config --print
expect_rc 0
expect_hostdevs_from_plan "$TMP/turing"
[ "$(grep -c '^vfio-pci,' "$out")" -eq 4 ] || fail "turing: expected 4 functions"
[ "$(grep -c 'multifunction=on' "$out")" -eq 1 ] || fail "turing: multifunction=on once, on function 0"
# [vm] devices of session-switch.conf is what the plan takes: two of the
# four functions leave the group half passed through, the plan refuses,
# and vm-config quotes why
cat >"$TMP/conf" <<CONF
[vm]
devices = 0000:01:00.0 0000:01:00.1
CONF
runvm "$TMP/turing" --config "$TMP/conf" vm-config --print
expect_rc 1
expect_err "the plan refuses to switch to vm"
expect_err "0000:01:00.2 (USB controller, driver xhci_hcd) shares IOMMU group 1"
[ ! -s "$out" ] || fail "a refused plan printed an argv"

# refusals: file:line, the documented exit codes, nothing on stdout
rm "$TMP/seed/tank/vm/photog.qcow2"
runvm "$TMP/seed" vm-config --print
expect_rc 3
expect_err "etc/session-switch/vm.conf:26: [vm win10] disk:"
expect_err "photog.qcow2: does not exist"
[ ! -s "$out" ] || fail "a refused definition printed an argv"
echo x >"$TMP/seed/tank/vm/photog.qcow2"
chmod 644 "$TMP/seed/tank/vm/photog.qcow2"
chmod 666 "$TMP/seed/usr/share/edk2-ovmf/OVMF_CODE.fd"
runvm "$TMP/seed" --json vm-config --print
expect_rc 3
expect_err "vm.conf:20: [vm win10] ovmf_code:"
expect_jq '.result' config
chmod 644 "$TMP/seed/usr/share/edk2-ovmf/OVMF_CODE.fd"
rm "$TMP/seed/dev/input/event4"
runvm "$TMP/seed" vm-config
expect_rc 3
expect_err "vm.conf:24: [vm win10] mouse:"
expect_err "no such input device"
echo x >"$TMP/seed/dev/input/event4"
sed -i 's/^cores = 2/cores = two/' "$TMP/seed/etc/session-switch/vm.conf"
runvm "$TMP/seed" vm-config
expect_rc 3
expect_err "vm.conf:16: cores: \"two\" is not a number"
sed -i 's/^cores = two/cores = 2/' "$TMP/seed/etc/session-switch/vm.conf"
runvm "$TMP/seed" vm-config win7
expect_rc 2
expect_err "defines no VM 'win7'; it defines: win10"
runvm "$TMP/seed" vm-config --bogus
expect_rc 2
rm "$TMP/seed/etc/session-switch/vm.conf"
runvm "$TMP/seed" vm-config
expect_rc 3
expect_err "vm.conf does not exist"

# a plan that refuses the switch: no VM could start
vmtree seed-iommu-off
runvm "$TMP/seed-iommu-off" vm-config --print
expect_rc 1
expect_err "the plan refuses to switch to vm"
finish
