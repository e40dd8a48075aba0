#!/bin/bash
# One boot of the power-loss test (powerloss.sh runs the boots): the state
# directory lives in the share, so it survives the power cut like a disk.
#   powerloss-phase.sh cut MODE STEP [FIRST]  (switch to FIRST,) switch to
#                                      MODE and power off at STEP
#   powerloss-phase.sh check MODE      after the new boot: recover -> MODE
. "$SRCDIR/lib.sh"
mkdir -p "$OUT/state" /var/lib/session-switch
mount --bind "$OUT/state" /var/lib/session-switch || { fail "cannot bind the state"; finish; }
T=$BUILDDIR/src/helper/session-switch-helper-test
case "$1" in
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
