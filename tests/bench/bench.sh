#!/bin/bash
# The switch benchmark, run in the reference guest by `make bench`:
# N round trips of session-switch, the same kernel operations alone (raw),
# and the seed's procedure, all in this one boot.  Prints min/median/max
# per step and the ratios; writes $OUT/bench.json.
#   bench.sh [ROUNDS]
. "$SRCDIR/lib.sh"
N=${1:-10}
B=$OUT/bench
rm -rf "$B"; mkdir -p "$B"
modprobe vfio-pci   # loaded once, as the seed's kernel has it built in

raw() { # the device phase's kernel operations, nothing else
	local to=$1 f v
	for f in $GPU $SND; do
		if [ "$to" = vm ]; then v=vfio-pci; else v=""; fi
		echo "$v" >/sys/bus/pci/devices/$f/driver_override
		echo $f >/sys/bus/pci/devices/$f/driver/unbind
		echo $f >/sys/bus/pci/drivers_probe
	done
}
wall() { # FILE CMD...: wall time of CMD in ms into FILE
	local t0
	t0=$(now_ms); "${@:2}" >/dev/null 2>&1; echo $(( $(now_ms) - t0 )) >"$1"
}

for i in $(seq 1 "$N"); do
	t0=$(now_ms); $SS --json vm >"$B/ss-vm-$i.json" 2>/dev/null; echo $(( $(now_ms) - t0 )) >"$B/ss-vm-$i.wall"
	t0=$(now_ms); $SS --json host >"$B/ss-host-$i.json" 2>/dev/null; echo $(( $(now_ms) - t0 )) >"$B/ss-host-$i.wall"
	[ "$(state)" = "virtio-pci snd_hda_intel" ] || { fail "round $i did not end in host mode"; break; }
	wall "$B/raw-vm-$i.wall" raw vm
	[ "$(state)" = "vfio-pci vfio-pci" ] || fail "raw vm round $i: $(state)"
	wall "$B/raw-host-$i.wall" raw host
	[ "$(state)" = "virtio-pci snd_hda_intel" ] || fail "raw host round $i: $(state)"
done
# The seed's procedure, three times each way (its sleeps make it slow):
# host -> vm from host mode, vm -> host from a real vm mode.
for i in 1 2 3; do
	"$SRCDIR/seed-procedure.sh" vm "$B/seed-vm-$i.json"
	$SS host >/dev/null 2>&1
	$SS vm >/dev/null 2>&1
	"$SRCDIR/seed-procedure.sh" host "$B/seed-host-$i.json"
	$SS host >/dev/null 2>&1
done

# --- statistics ---------------------------------------------------------
stats() { # numbers on stdin -> "min median max"
	sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
		m = (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2); print a[1], m, a[NR] }'
}
row() { printf '%-5s %-44s %7s %7s %7s\n' "$1" "$2" $3; }
json_rows=()
record() { json_rows+=("{\"direction\":\"$1\",\"what\":\"$2\",\"min\":$3,\"median\":$4,\"max\":$5}"); }

echo
row dir "what (ms, $N rounds; seed: 3)" "min median max"
for d in vm host; do
	# per step of session-switch
	for k in $(jq -r '.steps[] | select(.phase == "device") | "\(.action)@\(.device)"' "$B/ss-$d-1.json" | awk '!s[$0]++'); do
		a=${k%@*} dev=${k#*@}
		s=$(for f in "$B"/ss-$d-*.json; do
			jq "[.steps[] | select(.phase == \"device\" and .action == \"$a\" and .device == \"$dev\") | .ms] | add" "$f"; done | stats)
		row $d "  $a $dev" "$s"
	done
	dev=$(for f in "$B"/ss-$d-*.json; do jq '[.steps[] | select(.phase == "device") | .ms] | add' "$f"; done | stats)
	row $d "session-switch: device phase" "$dev"; record $d device_phase $dev
	for p in preflight journal verify commit; do
		s=$(for f in "$B"/ss-$d-*.json; do jq "[.steps[] | select(.phase == \"$p\") | .ms] | add // 0" "$f"; done | stats)
		row $d "session-switch: $p" "$s"; record $d $p $s
	done
	tot=$(cat "$B"/ss-$d-*.wall | stats)
	row $d "session-switch: whole command (wall)" "$tot"; record $d command $tot
	rw=$(cat "$B"/raw-$d-*.wall | stats)
	row $d "raw kernel operations alone (wall)" "$rw"; record $d raw $rw
	sd=$(for f in "$B"/seed-$d-*.json; do jq .total_ms "$f"; done | stats)
	row $d "the seed's procedure (without X)" "$sd"; record $d seed $sd
	set -- $dev; dmed=$2; set -- $rw; rmed=$2; set -- $tot; tmed=$2; set -- $sd; smed=$2
	r1=$(awk -v a="$dmed" -v b="$rmed" 'BEGIN { printf "%.2f", a / (b ? b : 1) }')
	r2=$(awk -v a="$tmed" -v b="$smed" 'BEGIN { printf "%.3f", a / (b ? b : 1) }')
	r3=$(awk -v a="$dmed" -v b="$smed" 'BEGIN { printf "%.3f", a / (b ? b : 1) }')
	echo "$d: device phase / raw kernel operations = ${r1}x (target <= 1.1)"
	echo "$d: device phase / seed's procedure = ${r3}x (target < 0.1);  whole command / seed's procedure = ${r2}x"
	json_rows+=("{\"direction\":\"$d\",\"what\":\"ratio_device_raw\",\"value\":$r1}")
	json_rows+=("{\"direction\":\"$d\",\"what\":\"ratio_device_seed\",\"value\":$r3}")
	json_rows+=("{\"direction\":\"$d\",\"what\":\"ratio_command_seed\",\"value\":$r2}")
	echo
done
printf '{"rounds":%d,"rows":[%s]}\n' "$N" "$(IFS=,; echo "${json_rows[*]}")" >"$OUT/bench.json"
jq . "$OUT/bench.json" >/dev/null || fail "bench.json is not JSON"
echo "written: bench.json"
finish
