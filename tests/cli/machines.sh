#!/bin/sh
# Real, published machines (tests/data/README.md cites each): the answer
# of doctor, groups, plan vm, plan host and status, plain and --json,
# without a configuration and with the one its owner would write.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

conf() { printf "$1" >"$TMP/conf"; }
# expect_not_jq FILTER: jq -e FILTER is false (or null) on stdout
expect_not_jq() { jq -e "$1" "$out" >/dev/null 2>&1 && fail "jq '$1' should be false"; :; }

# --- Intel desktop with Pascal: ASRock Z370M-ITX/ac, UHD 630 + GT 1030 -----
# The GT 1030 was published with no driver bound.
run z370-gt1030 doctor
expect_rc 0
expect_out "OK    host-gpu                 0000:00:02.0 Intel"
expect_out "1 of 2 connectors with a monitor"
expect_out "OK    dgpu                     0000:01:00.0 NVIDIA Corporation GP108 [GeForce GT 1030]"
expect_out "functions passed through: 0000:01:00.0 0000:01:00.1"
expect_out "WARN  host-driver              0000:01:00.0 has no driver now"
run z370-gt1030 --json doctor
expect_jq '.ready' true
expect_jq '.warns' 1
expect_jq 'has("report")' false
run z370-gt1030 --json groups
expect_jq '.target' ok
expect_jq '.viable' true
expect_jq '[.gpus[] | .address + "=" + .kind + "/" + .role] | join(" ")' "0000:00:02.0=integrated/host 0000:01:00.0=card/vm"
run z370-gt1030 groups
expect_out "IOMMU group 2  (passed through: viable)"
expect_out "  H 0000:00:02.0"
expect_out "  * 0000:01:00.1"
run z370-gt1030 --json plan vm
expect_rc 0
# the unbound GT 1030 needs no unbind
expect_jq '[.plan.steps[] | .action + " " + .device] | join(",")' "driver_override 0000:01:00.0,drivers_probe 0000:01:00.0,wait_driver 0000:01:00.0,driver_override 0000:01:00.1,unbind 0000:01:00.1,drivers_probe 0000:01:00.1,wait_driver 0000:01:00.1"
run z370-gt1030 --json status
expect_jq '.mode' host
expect_jq '.host_gpu' 0000:00:02.0
expect_jq '.functions[0].driver' null
# its owner names the driver the card should come back on
conf '[host]\ndrivers = 01:00.0=nvidia 01:00.1=snd_hda_intel\n'
run z370-gt1030 --config "$TMP/conf" --json doctor
expect_jq '.ready' true
expect_jq '.warns' 0
run z370-gt1030 --config "$TMP/conf" --json plan host
expect_rc 0
expect_jq '[.plan.steps[] | .action + " " + .value] | join(",")' "driver_override nvidia,drivers_probe 0000:01:00.0,wait_driver nvidia,driver_override "
run z370-gt1030 --config "$TMP/conf" status
expect_out "0000:01:00.0  -               nvidia (config)"

# --- Intel with Turing: ThinkPad P53, UHD 630 + Quadro RTX 4000 (4 functions)
run p53-rtx4000 doctor
expect_rc 0
expect_out "functions passed through: 0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3 (VGA compatible controller, Audio device, USB controller, Serial bus controller"
run p53-rtx4000 --json plan vm
expect_rc 0
expect_jq '.plan.steps | length' 16
expect_jq '[.plan.steps[] | select(.action == "unbind") | .device] | join(" ")' "0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3"
run p53-rtx4000 plan host
expect_rc 0
expect_out "Already in host mode: nothing to do."
run p53-rtx4000 --json status
expect_jq '[.functions[] | .host_driver] | join(" ")' "nvidia snd_hda_intel xhci_hcd nvidia-gpu"
run p53-rtx4000 --json groups
expect_jq '.groups[] | select(.id == 2) | .viable' true
conf '[vm]\ndevices = 01:00.0 01:00.1 01:00.2 01:00.3\n[host]\ndrivers = 01:00.0=nvidia\n'
run p53-rtx4000 --config "$TMP/conf" --json status
expect_jq '.source' config
expect_jq '.functions[0].host_driver_from' config

# --- An AMD APU alone: B550 Phantom Gaming-ITX/ax with Cezanne -------------
# The first rule took its Radeon for a card and planned to hand the host's
# only GPU, its PSP (ccp) and its USB controllers to vfio-pci.
run b550itx-cezanne doctor
expect_rc 1
expect_out "OK    host-gpu                 0000:05:00.0"
expect_out "an APU's, behind its internal bridge 0000:00:08.1"
expect_out "FAIL  dgpu                     no discrete GPU to pass through"
expect_out "fix: a second GPU (a card) is needed"
expect_out "tests/record-sysfs OUTDIR"
run b550itx-cezanne --json doctor
expect_jq '.ready' false
expect_jq '.report | test("tests/record-sysfs")' true
run b550itx-cezanne plan vm
expect_rc 1
expect_err "no discrete GPU to pass through"
run b550itx-cezanne --json plan vm
expect_rc 1
expect_jq '.plan.refused' true
expect_jq '.plan.steps | length' 0
run b550itx-cezanne --json plan host
expect_rc 1
expect_jq '.plan.steps | length' 0
run b550itx-cezanne groups
expect_rc 0
expect_out "Nothing to pass through:"
expect_no_out "Not viable"
expect_out "  H 0000:05:00.0"
run b550itx-cezanne --json groups
expect_jq '.target' none
expect_jq '.viable' null
expect_jq '[.gpus[] | .kind + "/" + (.apu | tostring)] | join(" ")' "integrated/true"
run b550itx-cezanne status
expect_rc 1
expect_out "mode: unknown"
run b550itx-cezanne --json status
expect_rc 1
expect_jq '.mode' null
expect_jq '.target' none
expect_jq '.igpu' 0000:05:00.0
# what its owner might ask for: the iGPU for the VM, or the whole slot
conf '[vm]\ndevices = 05:00.0 05:00.1\n'
run b550itx-cezanne --config "$TMP/conf" plan vm
expect_rc 3
expect_err "the host would be left without a GPU"
conf '[vm]\ndevices = 05:00.0 05:00.1 05:00.2 05:00.3 05:00.4 05:00.6\n'
run b550itx-cezanne --config "$TMP/conf" --json status
expect_rc 3
expect_jq '.error | test("0000:05:00.2, a Encryption controller")' true
expect_jq '.error | test("PSP")' true

# --- An APU beside a card: B450M Mortar, Raven Ridge + RX 580 ---------------
run b450m-raven-rx580 doctor
expect_rc 0
expect_out "OK    host-gpu                 0000:38:00.0"
expect_out "OK    dgpu                     0000:10:00.0"
run b450m-raven-rx580 --json plan vm
expect_rc 0
expect_jq '[.plan.steps[] | .device] | unique | join(" ")' "0000:10:00.0"
run b450m-raven-rx580 --json status
expect_jq '.host_gpu + " " + .host_gpu_from' "0000:38:00.0 detected"
run b450m-raven-rx580 --json groups
expect_jq '[.groups[] | select(.id == 12) | .devices[] | .passthrough] | any' false
run b450m-raven-rx580 plan host
expect_out "Already in host mode: nothing to do."

# --- X570 with two cards: AORUS PRO WIFI, GTX 1080 Ti + GT 710 -------------
run x570-1080ti-gt710 doctor
expect_rc 1
expect_out "FAIL  dgpu                     2 GPUs (0000:0b:00.0 NVIDIA Corporation GP102 [GeForce GTX 1080 Ti]"
expect_out "0000:0c:00.0 NVIDIA Corporation GK208B [GeForce GT 710] (a card behind 0000:00:03.2, nvidia, 1 of 2 connectors with a monitor)"
run x570-1080ti-gt710 groups
expect_rc 0
expect_out "Ambiguous: no single answer"
expect_no_out "Not viable"
run x570-1080ti-gt710 --json groups
expect_jq '.target' ambiguous
expect_jq '.viable' null
expect_jq '.reasons | length' 0
run x570-1080ti-gt710 --json status
expect_rc 1
expect_jq '.target' ambiguous
expect_jq '[.gpus[] | .address] | join(" ")' "0000:0b:00.0 0000:0c:00.0"
run x570-1080ti-gt710 --json plan vm
expect_rc 1
expect_jq '.checks[0].name' target
conf '[vm]\ndevices = 0b:00.0 0b:00.1\n'
run x570-1080ti-gt710 --config "$TMP/conf" doctor
expect_rc 0
expect_out "OK    host-gpu                 0000:0c:00.0"
expect_out "the display controller that [vm] devices leaves"
run x570-1080ti-gt710 --config "$TMP/conf" --json plan vm
expect_rc 0
expect_jq '.plan.steps | length' 8
run x570-1080ti-gt710 --config "$TMP/conf" --json status
expect_jq '.host_gpu + " " + .host_gpu_from' "0000:0c:00.0 remaining"
run x570-1080ti-gt710 --config "$TMP/conf" setup --dry-run
expect_rc 0
expect_out "would write /etc/X11/xorg.conf.nvidia-host"
expect_out "would write /etc/X11/xorg.conf.nvidia-vm"
run x570-1080ti-gt710 --config "$TMP/conf" --json setup --dry-run
expect_jq '[.files[] | .path] | join(" ")' "/etc/X11/xorg.conf.nvidia-host /etc/X11/xorg.conf.nvidia-vm"
# [host] gpu alone settles it: the VM gets the one other card
conf '[host]\ngpu = 0c:00.0\n'
run x570-1080ti-gt710 --config "$TMP/conf" --json status
expect_rc 0
expect_jq '[.functions[] | .address] | join(" ")' "0000:0b:00.0 0000:0b:00.1"

# --- Navi behind its switch ports: B550 Aorus Pro, RX 6950 XT + RX 550 ------
run b550-6950xt-rx550 --json doctor
expect_rc 1
expect_jq '.checks[] | select(.name == "dgpu") | .detail | test("0000:08:00.0.*0000:04:00.0|0000:04:00.0.*0000:08:00.0")' true
conf '[vm]\ndevices = 08:00.0 08:00.1\n'
run b550-6950xt-rx550 --config "$TMP/conf" doctor
expect_rc 0
expect_out "the bridges above it stay on pcieport: 0000:07:00.0 (the card's switch port), 0000:06:00.0 (the card's switch port), 0000:00:03.1"
expect_out "OK    host-gpu                 0000:04:00.0"
run b550-6950xt-rx550 --config "$TMP/conf" --json plan vm
expect_rc 0
expect_jq '[.plan.steps[] | .device] | unique | join(" ")' "0000:08:00.0 0000:08:00.1"
run b550-6950xt-rx550 --config "$TMP/conf" --json groups
expect_jq '[.groups[] | select(.viable != null) | .id] | join(" ")' "18 19"
# the card in the chipset slot shares its group with USB, SATA and the NIC:
# every one named in full, the advice is the slot or ACS
conf '[vm]\ndevices = 04:00.0 04:00.1\n'
run b550-6950xt-rx550 --config "$TMP/conf" --json plan vm
expect_rc 1
expect_jq '.reasons | length' 3
expect_jq '.reasons[2]' "0000:05:00.0 (Ethernet controller, driver r8169) shares IOMMU group 15 with 0000:04:00.0 and cannot go to the VM: move the card to a slot with an IOMMU group of its own, or enable ACS in the firmware"
expect_not_jq '.reasons | map(test("add .* to \\[vm\\] devices")) | any'
run b550-6950xt-rx550 --config "$TMP/conf" plan vm
expect_rc 1
# the refusal's later lines keep the column of the first
expect_err "  - 0000:02:00.0 (USB controller, driver xhci_hcd) shares IOMMU group 15"
expect_err "    0000:05:00.0 (Ethernet controller, driver r8169) shares IOMMU group 15"
run b550-6950xt-rx550 --config "$TMP/conf" groups
expect_out "Not viable:"
expect_out "  - 0000:05:00.0 (Ethernet controller, driver r8169) shares IOMMU group 15"
run b550-6950xt-rx550 --config "$TMP/conf" doctor
expect_out "FAIL  group                    not viable: 0000:02:00.0 (USB controller"
# the lines after the first keep the detail's column
expect_out "                               0000:05:00.0 (Ethernet controller, driver r8169)"

# --- vfio_pci.ids= on the command line: B550M, GT 1030 + RX 550 ------------
run b550m-gt1030-rx550 --json status
expect_rc 1
expect_jq '.target' ambiguous
conf '[vm]\ndevices = 08:00.0 08:00.1\n[host]\ndrivers = 08:00.0=nouveau 08:00.1=snd_hda_intel\n'
run b550m-gt1030-rx550 --config "$TMP/conf" doctor
expect_rc 1
expect_out "FAIL  cmdline-ids              /proc/cmdline: vfio_pci.ids=10de:1d01,10de:0fb8 names 0000:08:00.0 [10de:1d01], 0000:08:00.1 [10de:0fb8]"
expect_out "fix: remove it from the kernel command line"
run b550m-gt1030-rx550 --config "$TMP/conf" status
expect_rc 0
expect_out "mode: vm"
run b550m-gt1030-rx550 --config "$TMP/conf" plan vm
expect_rc 1
expect_err "vfio_pci.ids=10de:1d01,10de:0fb8"
run b550m-gt1030-rx550 --config "$TMP/conf" --json plan host
expect_rc 0
expect_jq '.checks[] | select(.name == "cmdline-ids") | .status' WARN
expect_jq '.plan.steps[0].value' nouveau
conf '[vm]\ndevices = 08:00.0 08:00.1\n'
run b550m-gt1030-rx550 --config "$TMP/conf" --json plan host
expect_rc 1
expect_jq '.checks[] | select(.name == "cmdline-ids") | .detail | test("set \\[host\\] drivers")' true

# --- A Threadripper with three cards: TRX40, K420 + 2x RTX A6000 ------------
run trx40-k420-2xa6000 doctor
expect_rc 1
expect_out "3 GPUs (0000:41:00.0 NVIDIA Corporation GK107GL [Quadro K420]"
run trx40-k420-2xa6000 --json groups
expect_jq '.gpus | length' 3
conf '[vm]\ndevices = 42:00.0 42:00.1\n'
run trx40-k420-2xa6000 --config "$TMP/conf" doctor
expect_rc 1
expect_out "FAIL  host-gpu                 2 display controllers stay on the host (0000:41:00.0"
expect_out "fix: set [host] gpu"
run trx40-k420-2xa6000 --config "$TMP/conf" --json status
expect_rc 0
expect_jq '.target' host_gpu_ambiguous
expect_jq '.host_gpu' null
run trx40-k420-2xa6000 --config "$TMP/conf" --json plan vm
expect_rc 1
expect_jq '.checks[] | select(.name == "host-gpu") | .status' FAIL
conf '[vm]\ndevices = 42:00.0 42:00.1\n[host]\ngpu = 41:00.0\n'
run trx40-k420-2xa6000 --config "$TMP/conf" --json doctor
expect_rc 0
# the owner's misspelt "vifo-pci.ids" is ignored by the kernel, and here
expect_jq '[.checks[] | select(.name == "cmdline-ids")] | length' 0
run trx40-k420-2xa6000 --config "$TMP/conf" --json plan vm
expect_jq '.plan.steps | length' 8
run trx40-k420-2xa6000 --config "$TMP/conf" --json status
expect_jq '.host_gpu + " " + .host_gpu_from' "0000:41:00.0 config"
# [host] gpu alone leaves two A6000: still a choice to make
conf '[host]\ngpu = 41:00.0\n'
run trx40-k420-2xa6000 --config "$TMP/conf" --json status
expect_rc 1
expect_jq '.target_error | test("2 cards are left")' true

# --- An Optimus laptop: XPS 15 9570, GTX 1050 Ti Mobile (3D controller) -----
run xps9570-optimus doctor
expect_rc 0
expect_out "WARN  render-only              0000:01:00.0 is a 3D controller without outputs"
expect_out "render offload"
run xps9570-optimus --json status
expect_jq '.render_only' true
expect_jq '.host_gpu' 0000:00:02.0
run xps9570-optimus --json plan vm
expect_rc 0
expect_jq '.plan.steps | length' 4
run xps9570-optimus setup --dry-run
expect_out "would write /etc/X11/xorg.conf.intel-host"
expect_out '"PCI:0:2:0"'
expect_no_out '"PCI:1:0:0"'
run xps9570-optimus --json status
expect_jq '.x_stays' true
# X cannot run on a card without outputs
conf '[host]\noffload = no\n'
run xps9570-optimus --config "$TMP/conf" doctor
expect_rc 3
expect_err "[host] offload is no, but the VM's GPU is a 3D controller without outputs"

# --- A desktop whose monitors are on the iGPU, the card for PRIME offload
# only: Z370 + GT 1030 with [host] offload
conf '[host]\noffload = yes\ndrivers = 01:00.0=nvidia 01:00.1=snd_hda_intel\n'
run z370-gt1030 --config "$TMP/conf" doctor
expect_rc 0
expect_out "OK    offload                  [host] offload: X runs on 0000:00:02.0 in both modes"
run z370-gt1030 --config "$TMP/conf" --json status
expect_jq '.x_stays' true
expect_jq '.render_only' false
run z370-gt1030 --config "$TMP/conf" setup --dry-run
expect_out "would write /etc/X11/xorg.conf.intel-host"
expect_out '"PCI:0:2:0"'
expect_no_out '"PCI:1:0:0"'
run z370-gt1030 --json status
expect_jq '.x_stays' false

# --- vfio-pci.ids= naming a Turing card and its root port: i7-7700 + RTX 2060
run i7700-rtx2060-ids doctor
expect_rc 1
expect_out "FAIL  cmdline-ids              /proc/cmdline: vfio-pci.ids=8086:1901,10de:1e89,10de:10f8,10de:1ad8,10de:1ad9 names 0000:01:00.0 [10de:1e89], 0000:01:00.1 [10de:10f8], 0000:01:00.2 [10de:1ad8], 0000:01:00.3 [10de:1ad9]"
run i7700-rtx2060-ids --json status
expect_jq '.mode' vm
run i7700-rtx2060-ids --json plan vm
expect_rc 1
expect_jq '.plan.refused' true
run i7700-rtx2060-ids --json plan host
expect_rc 1
expect_jq '.checks[] | select(.name == "cmdline-ids") | .status' FAIL
# the post's lspci lists nouveau as the card's only module: nvidia is not there
conf '[host]\ndrivers = 01:00.0=nvidia 01:00.1=snd_hda_intel 01:00.2=xhci_hcd 01:00.3=nvidia-gpu\n'
run i7700-rtx2060-ids --config "$TMP/conf" plan host
expect_rc 1
expect_err "the host driver nvidia of 0000:01:00.0 is neither loaded, built in, nor in /lib/modules/6.2.6-arch1-1"
conf '[host]\ndrivers = 01:00.0=nouveau 01:00.1=snd_hda_intel 01:00.2=xhci_hcd 01:00.3=nvidia-gpu\n'
run i7700-rtx2060-ids --config "$TMP/conf" --json plan host
expect_rc 0
expect_jq '[.checks[] | select(.status != "OK") | .name] | join(" ")' cmdline-ids
expect_jq '.plan.steps | length' 20

# --- modprobe.d hands an APU's whole slot to vfio-pci: ASRock 4X4, 4300U ----
run nuc4300u-modprobe doctor
expect_rc 1
expect_out "FAIL  modprobe-ids             /etc/modprobe.d/vfio.conf:1: options vfio-pci ids=1002:1636"
expect_out "among them the host's GPU"
expect_out "fix: delete ids=1002:1636,1002:1637,1022:15df,1022:1639,1022:15e2,1022:15e3 from /etc/modprobe.d/vfio.conf:1"
run nuc4300u-modprobe groups
expect_out "Nothing to pass through:"
conf '[vm]\ndevices = 05:00.0 05:00.1 05:00.2 05:00.3 05:00.4 05:00.5 05:00.6\n'
run nuc4300u-modprobe --config "$TMP/conf" plan vm
expect_rc 3
expect_err "[vm] devices names 0000:05:00.2"

# --- every command, plain and --json, without and with the owner's file ----
# The exit codes per command (doctor groups "plan vm" "plan host" status);
# --json must answer JSON with the same code, plain text something.
owner() {
	case $1 in
	z370-gt1030) echo '[host]\ndrivers = 01:00.0=nvidia 01:00.1=snd_hda_intel\n' ;;
	p53-rtx4000) echo '[vm]\ndevices = 01:00.0 01:00.1 01:00.2 01:00.3\n' ;;
	b550itx-cezanne) echo '[vm]\ndevices = 05:00.0 05:00.1\n' ;;
	b450m-raven-rx580) echo '[vm]\ndevices = 10:00.0\n' ;;
	x570-1080ti-gt710) echo '[vm]\ndevices = 0b:00.0 0b:00.1\n' ;;
	b550-6950xt-rx550) echo '[vm]\ndevices = 08:00.0 08:00.1\n' ;;
	b550m-gt1030-rx550) echo '[vm]\ndevices = 08:00.0 08:00.1\n[host]\ndrivers = 08:00.0=nouveau 08:00.1=snd_hda_intel\n' ;;
	trx40-k420-2xa6000) echo '[vm]\ndevices = 42:00.0 42:00.1\n[host]\ngpu = 41:00.0\n' ;;
	xps9570-optimus) echo '[vm]\ndevices = 01:00.0\n' ;;
	i7700-rtx2060-ids) echo '[host]\ndrivers = 01:00.0=nouveau 01:00.1=snd_hda_intel 01:00.2=xhci_hcd 01:00.3=nvidia-gpu\n' ;;
	nuc4300u-modprobe) echo '[vm]\ndevices = 05:00.0 05:00.1 05:00.2 05:00.3 05:00.4 05:00.5 05:00.6\n' ;;
	esac
}
sweep() { # TREE CONFIG|- "RC RC RC RC RC"
	tree=$1 cfg=$2; set -- $3
	for cmd in doctor groups "plan vm" "plan host" status; do
		want=$1; shift
		if [ "$cfg" = - ]; then run "$tree" $cmd; else run "$tree" --config "$cfg" $cmd; fi
		[ "$rc" -eq "$want" ] || fail "$tree ${cfg#$TMP/} $cmd: exit $rc, expected $want"
		[ -s "$out" ] || [ -s "$err" ] || fail "$tree $cmd: said nothing"
		if [ "$cfg" = - ]; then run "$tree" --json $cmd; else run "$tree" --config "$cfg" --json $cmd; fi
		[ "$rc" -eq "$want" ] || fail "$tree ${cfg#$TMP/} --json $cmd: exit $rc, expected $want"
		jq -e . "$out" >/dev/null 2>&1 || fail "$tree ${cfg#$TMP/} --json $cmd: not JSON"
	done
}
while read -r tree none with; do
	sweep "$tree" - "$(echo $none | tr , ' ')"
	printf "$(owner "$tree")" >"$TMP/owner.conf"
	sweep "$tree" "$TMP/owner.conf" "$(echo $with | tr , ' ')"
done <<'TREES'
z370-gt1030        0,0,0,0,0 0,0,0,0,0
p53-rtx4000        0,0,0,0,0 0,0,0,0,0
b550itx-cezanne    1,0,1,1,1 3,3,3,3,3
b450m-raven-rx580  0,0,0,0,0 0,0,0,0,0
x570-1080ti-gt710  1,0,1,1,1 0,0,0,0,0
b550-6950xt-rx550  1,0,1,1,1 0,0,0,0,0
b550m-gt1030-rx550 1,0,1,1,1 1,0,1,0,0
trx40-k420-2xa6000 1,0,1,1,1 0,0,0,0,0
xps9570-optimus    0,0,0,0,0 0,0,0,0,0
i7700-rtx2060-ids  1,0,1,1,0 1,0,1,0,0
nuc4300u-modprobe  1,0,1,1,1 3,3,3,3,3
TREES
finish
