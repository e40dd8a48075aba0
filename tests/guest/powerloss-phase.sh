#!/bin/bash
# One boot of the power-loss test (powerloss.sh runs the boots): the state
# directory lives in the share, so it survives the power cut like a disk.
#   powerloss-phase.sh cut MODE STEP [FIRST]  (switch to FIRST,) switch to
#                                      MODE and power off at STEP
#   powerloss-phase.sh check MODE      after the new boot: recover -> MODE
#   powerloss-phase.sh cutdm MODE [FIRST], checkdm MODE: the same with SLiM
#                                      managed and the one-shot login armed,
#                                      cut at the display start (the login
#                                      variant selected, X not yet up); /etc
#                                      lives in the share too, as on a disk
#   powerloss-phase.sh checkboot MODE  after cutdm: what the boot unit does,
#                                      recover --boot, leaves the display
#                                      manager to the init system, which
#                                      then starts it on the right GPU
. "$SRCDIR/lib.sh"
mkdir -p "$OUT/state" /var/lib/session-switch
mount --bind "$OUT/state" /var/lib/session-switch || { fail "cannot bind the state"; finish; }
T=$BUILDDIR/src/helper/session-switch-helper-test
# The display start's place in the table: display stop, the plan's device
# steps, variant, DRM probe, display start.
start_step() { echo $(( $($SS --json plan "$1" | jq '.plan.steps | length') + 4 )); }
persist_etc() { # the first boot copies /etc into the share; every boot uses that copy
	[ -d "$OUT/state-etc" ] || cp -a /etc "$OUT/state-etc"
	mount --bind "$OUT/state-etc" /etc || fail "cannot bind /etc"
}
case "$1" in
cutdm)
	persist_etc
	slim_up || finish
	if [ -n "${3:-}" ]; then $SS "$3"; assert_eq "switch to $3 first" 0 $?; wait_greeter; fi
	n=$(start_step "$2")
	echo "powering off at step $n (display start) of a switch to $2, the login armed"
	sync
	SS_TEST_LOGIN=alice SS_FAULT=poweroff:$n $T "$2"
	fail "still running after the power cut"
	;;
checkdm)
	persist_etc
	install -m 755 "$SRCDIR/dm-ctl" /usr/local/sbin/ss-dm-ctl
	assert_grep "^state=pending" /var/lib/session-switch/journal
	[ "$2" = host ] && assert_grep "^step=variant - alice$" /var/lib/session-switch/journal
	$SS recover; assert_eq "recover: exit" 0 $?
	assert_eq "mode after recover" "$2" "$($SS --json status | jq -r .mode)"
	assert_eq "slim.conf after recover" "slim.conf.$2" "$(readlink /etc/slim.conf)"
	assert_no_file /etc/slim.conf.vm.login
	wait_for_file /tmp/.X11-unix/X0 60
	want=$GPU; [ "$2" = vm ] && want=$IGPU
	assert_eq "X's GPU after recover" "$want" "$(x_gpu)"
	# a greeter at all means SLiM read no auto-login: it asks
	wait_greeter
	pgrep -u alice >/dev/null && fail "alice was logged in after the power cut" || pass "nobody logged in"
	/usr/local/sbin/ss-dm-ctl stop
	;;
checkboot)
	persist_etc
	install -m 755 "$SRCDIR/dm-ctl" /usr/local/sbin/ss-dm-ctl
	assert_grep "^state=pending" /var/lib/session-switch/journal
	$SS recover --boot; assert_eq "recover --boot: exit" 0 $?
	assert_eq "mode after recover --boot" "$2" "$($SS --json status | jq -r .mode)"
	assert_grep "^state=done" /var/lib/session-switch/journal
	assert_eq "slim.conf after recover --boot" "slim.conf.$2" "$(readlink /etc/slim.conf)"
	assert_no_file /etc/slim.conf.vm.login
	if pgrep -x slim >/dev/null || pgrep -x Xorg >/dev/null; then
		fail "recover --boot started the display manager"
	else
		pass "recover --boot left the display manager to the init system"
	fi
	# the init system starts it next, as it would after the unit
	/usr/local/sbin/ss-dm-ctl start
	wait_for_file /tmp/.X11-unix/X0 60
	want=$GPU; [ "$2" = vm ] && want=$IGPU
	wait_greeter
	assert_eq "X's GPU once the init system started SLiM" "$want" "$(x_gpu)"
	pgrep -u alice >/dev/null && fail "alice was logged in after the power cut" || pass "nobody logged in"
	/usr/local/sbin/ss-dm-ctl stop
	;;
cut)
	if [ -n "${4:-}" ]; then $SS "$4"; assert_eq "switch to $4 first" 0 $?; fi
	echo "powering off at step $3 of a switch to $2"
	sync
	SS_FAULT=poweroff:$3 $T "$2"
	fail "still running after the power cut"
	;;
check)
	echo "after the power cut: $(state); journal:"
	cat /var/lib/session-switch/journal
	assert_grep "^state=pending" /var/lib/session-switch/journal
	$SS recover; assert_eq "recover: exit" 0 $?
	assert_eq "mode after recover" "$2" "$($SS --json status | jq -r .mode)"
	assert_grep "^state=done" /var/lib/session-switch/journal
	assert_grep "^to=$2" /var/lib/session-switch/journal
	if [ "$2" = vm ]; then assert_eq "drivers" "vfio-pci vfio-pci" "$(state)"
	else assert_eq "drivers" "virtio-pci snd_hda_intel" "$(state)"; fi
	# and the machine switches normally again
	other=host; [ "$2" = host ] && other=vm
	$SS "$other"; assert_eq "a switch to $other after recovery" 0 $?
	;;
esac
finish
