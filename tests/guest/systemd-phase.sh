#!/bin/bash
# One boot of the systemd test (systemd.sh runs the boots), as the unit
# ss-job.service under Debian's systemd as PID 1 (tests/guest/run --init
# systemd), /etc and /var/lib/session-switch kept in the share (--persist).
#   systemd-phase.sh units    SLiM as slim.service, [display] manager =
#                             systemd:slim.service: vm and back; then a
#                             detached switch started from a transient unit
#                             that is stopped while the switch runs
#   systemd-phase.sh cut      a switch to vm that loses power at the display
#                             start (SLiM stopped, the GPU on vfio-pci)
#   systemd-phase.sh recover  the boot after the cut: the recover unit and
#                             slim.service were wanted; check
#                             that the unit ran, before SLiM, and what it left
. "$SRCDIR/lib.sh"
J=/var/lib/session-switch/journal
T=$BUILDDIR/src/helper/session-switch-helper-test

# unit_prop UNIT PROPERTY: one property of a unit, its value alone
unit_prop() { systemctl show -P "$2" "$1"; }
slim_active() { [ "$(systemctl is-active slim.service)" = active ]; }
# X is up and slim.service's: its socket, a greeter, the server in the unit
x_of_slim() {
	local pid
	wait_for_file /tmp/.X11-unix/X0 60 || { fail "$1: X did not start"; return 1; }
	wait_greeter || return 1
	pid=$(pgrep -x Xorg | head -1)
	assert_grep "^0::/system.slice/slim.service$" /proc/"$pid"/cgroup
}
# dm_setup: SLiM as its Debian unit, the guest's own files (kept in /etc
# across boots, so the last boot's go first): its configuration, the Debian display-manager choice that
# slim.service's ExecStartPre checks, the alias display-manager.service
dm_setup() {
	rm -f /etc/slim.conf /etc/slim.conf.*
	slim_conf
	echo /usr/bin/slim >/etc/X11/default-display-manager
	ln -sf /lib/systemd/system/slim.service /etc/systemd/system/display-manager.service
	printf '[display]\nmanager = systemd:slim.service\n' >/etc/session-switch.conf
	systemctl daemon-reload
	$SS setup >/dev/null || { fail "session-switch setup"; return 1; }
	systemctl start slim.service; assert_eq "systemctl start slim.service: exit" 0 $?
	x_of_slim "slim.service"
}
journal_state() { sed -n 's/^state=//p' $J 2>/dev/null; }
journal_done() { [ "$(journal_state)" = "done" ] && grep -q "^to=$1$" $J; }
# a switch through systemctl: SLiM stopped and started again as its unit,
# on the other GPU
switch_checked() { # MODE DRIVERS X_GPU
	local t0 starts
	starts=$(unit_prop slim.service NRestarts)
	t0=$(unit_prop slim.service InactiveExitTimestampMonotonic)
	$SS "$1"; assert_eq "session-switch $1: exit" 0 $?
	assert_eq "mode after $1" "$1" "$($SS --json status | jq -r .mode)"
	assert_eq "drivers after $1" "$2" "$(state)"
	wait_until 30 slim_active || fail "slim.service is $(systemctl is-active slim.service) after $1"
	# the unit was started anew (by the helper's systemctl start), not
	# restarted by systemd's Restart=always
	assert_ne "slim.service's start after $1" "$t0" "$(unit_prop slim.service InactiveExitTimestampMonotonic)"
	assert_eq "slim.service's restarts by systemd after $1" "$starts" "$(unit_prop slim.service NRestarts)"
	x_of_slim "after $1" && assert_eq "X's GPU after $1" "$3" "$(x_gpu)"
	assert_eq "slim.conf after $1" "slim.conf.$1" "$(readlink /etc/slim.conf)"
}

echo "guest: PID 1 is $(cat /proc/1/comm)"
assert_eq "PID 1" systemd "$(cat /proc/1/comm)"
case "$1" in
units)
	dm_setup || finish
	switch_checked vm "vfio-pci vfio-pci" $IGPU
	switch_checked host "virtio-pci snd_hda_intel" $GPU

	# (b) a detached switch started from a unit; the unit stopped while
	# the switch runs (its KillMode=control-group kills the whole cgroup)
	rm -f /run/ss-detach.rc
	systemd-run --quiet --unit=ss-detach /bin/sh -c \
		"$SS --json vm --detach >/run/ss-detach.json 2>/run/ss-detach.err; echo \$? >/run/ss-detach.rc; exec sleep 600"
	assert_eq "systemd-run ss-detach: exit" 0 $?
	wait_for_file /run/ss-detach.rc 60 || fail "session-switch vm --detach did not return"
	assert_eq "vm --detach in ss-detach.service: exit" 0 "$(cat /run/ss-detach.rc)"
	pid=$(jq -r .pid /run/ss-detach.json)
	assert_eq "ss-detach.service" active "$(systemctl is-active ss-detach.service)"
	# the stop must come while the switch runs, or it proves nothing
	st=$(journal_state)
	assert_eq "the journal when ss-detach.service is stopped" pending "$st"
	kill -0 "$pid" 2>/dev/null && pass "the detached switch (pid $pid) runs" ||
		fail "the detached switch (pid $pid) is gone before the stop"
	systemctl stop ss-detach.service; assert_eq "systemctl stop ss-detach.service: exit" 0 $?
	assert_eq "ss-detach.service after the stop" inactive "$(systemctl is-active ss-detach.service)"
	wait_until 120 journal_done vm || fail "the detached switch did not finish: state=$(journal_state)"
	assert_eq "devices after the detached switch" "vfio-pci vfio-pci" "$(state)"
	assert_eq "mode after the detached switch" vm "$($SS --json status | jq -r .mode)"
	wait_until 30 slim_active || fail "slim.service is $(systemctl is-active slim.service) after the detached switch"
	x_of_slim "after the detached switch" && assert_eq "X's GPU after the detached switch" $IGPU "$(x_gpu)"
	;;
cut)
	dm_setup || finish
	# the display start's row: display stop, the plan's device steps,
	# variant, DRM probe, display start
	n=$(( $($SS --json plan vm | jq '.plan.steps | length') + 4 ))
	echo "powering off at step $n (display start) of a switch to vm"
	sync
	SS_FAULT=poweroff:$n $T vm
	fail "still running after the power cut"
	;;
recover)
	# ss.target wanted the recover unit and slim.service; the recover
	# unit's Before=display-manager.service orders them through the alias
	case " $(unit_prop slim.service After) " in
	*" session-switch-recover.service "*) pass "slim.service is ordered after session-switch-recover.service" ;;
	*) fail "slim.service is not ordered after session-switch-recover.service: $(unit_prop slim.service Names)" ;;
	esac
	if ! wait_until 90 slim_active; then
		fail "slim.service is $(systemctl is-active slim.service)"
		systemctl list-jobs --no-pager
		systemctl status --no-pager display-manager.service slim.service
		finish
	fi
	x_of_slim "slim.service at boot"
	assert_eq "session-switch-recover.service's condition (the journal exists)" yes \
		"$(unit_prop session-switch-recover.service ConditionResult)"
	assert_eq "session-switch-recover.service's result" success \
		"$(unit_prop session-switch-recover.service Result)"
	assert_eq "session-switch-recover.service's exit" 0 \
		"$(unit_prop session-switch-recover.service ExecMainStatus)"
	rec_end=$(unit_prop session-switch-recover.service ExecMainExitTimestampMonotonic)
	slim_start=$(unit_prop slim.service ExecMainStartTimestampMonotonic)
	slim_pre=$(unit_prop slim.service InactiveExitTimestampMonotonic)
	echo "recover ended at $rec_end us; slim.service left inactive at $slim_pre us, its slim started at $slim_start us"
	[ "${rec_end:-0}" -gt 0 ] && pass "session-switch-recover.service ran" ||
		fail "session-switch-recover.service never ran"
	[ "${rec_end:-0}" -gt 0 ] && [ "$rec_end" -le "${slim_pre:-0}" ] &&
		pass "session-switch-recover.service ended before slim.service started" ||
		fail "session-switch-recover.service did not end before slim.service started"
	journalctl -b -o short-monotonic -u session-switch-recover.service -u slim.service | tail -20
	assert_grep "^state=done" $J
	assert_grep "^to=host" $J
	assert_eq "mode after the recover unit" host "$($SS --json status | jq -r .mode)"
	assert_eq "drivers after the recover unit" "virtio-pci snd_hda_intel" "$(state)"
	assert_eq "slim.conf after the recover unit" slim.conf.host "$(readlink /etc/slim.conf)"
	assert_eq "X's GPU after the recover unit" $GPU "$(x_gpu)"
	;;
*) fail "systemd-phase.sh: no phase $1" ;;
esac
finish
