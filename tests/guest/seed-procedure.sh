#!/bin/bash
# The seed's procedure (doc/design.md, "The job") written
# in our own shell for the guest's addresses, step by step and timed: bind
# by new_id with its sleeps, then the bridge remove and rescan.  The
# baseline the benchmarks compare against, run in the same guest.
#   seed-procedure.sh vm|host JSONFILE
# The X part (killall X; sleep 5 ... startx) belongs to the display phase.
GPU=0000:01:00.0 SND=0000:01:00.1 BRIDGE=0000:00:1c.0
D=/sys/bus/pci/devices
steps=()
ms() { echo $(( $(date +%s%N) / 1000000 )); }
timed() { # NAME CMD...
	local t0 t1
	t0=$(ms); "${@:2}"; t1=$(ms)
	steps+=("{\"name\":\"$1\",\"ms\":$((t1 - t0))}")
}
driver_bind() { # DEV DRV, as the seed does it
	local vendor device
	vendor=$(cat $D/$1/vendor) device=$(cat $D/$1/device)
	if [ -e $D/$1/driver ]; then
		echo "$1" >$D/$1/driver/unbind
		sleep 1
	fi
	echo "${vendor#0x} ${device#0x}" >/sys/bus/pci/drivers/$2/new_id 2>/dev/null
}
remove_pci_bridge() { echo 1 >$D/$BRIDGE/remove; bus_rescan; }
bus_rescan() { echo 1 >/sys/bus/pci/rescan; sleep 1; }
drv() { local l; l=$(readlink $D/$1/driver) && basename "$l" || echo none; } 2>/dev/null

modprobe vfio-pci   # the seed's kernel has it built in
t0=$(ms)
case "$1" in
vm)
	timed "driver_bind $GPU vfio-pci" driver_bind $GPU vfio-pci
	timed "driver_bind $SND vfio-pci" driver_bind $SND vfio-pci
	timed "remove_pci_bridge" remove_pci_bridge
	;;
host)
	timed "driver_bind $GPU virtio-pci" driver_bind $GPU virtio-pci
	timed "driver_bind $SND snd_hda_intel" driver_bind $SND snd_hda_intel
	timed "bus_rescan" bus_rescan
	;;
esac
total=$(( $(ms) - t0 ))
printf '{"direction":"%s","steps":[%s],"total_ms":%d,"end_drivers":{"%s":"%s","%s":"%s"},"not_included":"killall X; sleep 5"}\n' \
	"$1" "$(IFS=,; echo "${steps[*]}")" $total $GPU "$(drv $GPU)" $SND "$(drv $SND)" >"$2"
# Leave no dynamic ID behind: new_id would capture these IDs forever.
for id in "1af4 1050" "8086 293e"; do echo "$id" >/sys/bus/pci/drivers/vfio-pci/remove_id 2>/dev/null; done
exit 0
