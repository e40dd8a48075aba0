#!/bin/bash
# One boot of nvidia-stuck.sh.
#   nvidia-stuck-phase.sh stuck    the remove hangs: exit 5, nothing more
#                                  written, doctor says what is stuck
#   nvidia-stuck-phase.sh recover  the next boot: recover puts it back
. "$SRCDIR/lib.sh"
. "$SRCDIR/nvidia-lib.sh"
mkdir -p "$OUT/state" /var/lib/session-switch
mount --bind "$OUT/state" /var/lib/session-switch || { fail "cannot bind the state"; finish; }
J=/var/lib/session-switch/journal
nv_install || finish
nv_conf
case "$1" in
stuck)
	nv_bind || finish
	echo 1 >/sys/module/nvidia/parameters/hang_remove
	t0=$(now_ms)
	$SS vm 2>/tmp/err; rc=$?
	echo "the switch returned after $(( $(now_ms) - t0 )) ms"
	cat /tmp/err
	assert_eq "vm with a remove that never returns: exit" 5 $rc
	assert_grep "stuck at step [0-9]+ \(unbind $GPU" /tmp/err
	assert_grep "did not finish within [0-9]+ ms" /tmp/err
	assert_grep "Reboot .*then run session-switch recover" /tmp/err
	assert_grep "^state=pending" $J
	assert_grep "^stuck=[0-9]+ [0-9a-f-]+$" $J
	# nothing written after the stuck one: the audio function untouched
	assert_eq "the audio function untouched" "snd_hda_intel (null)" "$(driver_of $SND) $(override_of $SND)"
	grep -q "unbind $SND" /var/log/messages && fail "the audio function was unbound after the stuck write" ||
		pass "no write to the audio function after the stuck one"
	ps -eo pid,stat,comm | awk '$2 ~ /^D/' >/tmp/dstate
	assert_grep "session-switch" /tmp/dstate
	$SS doctor >/tmp/out 2>&1
	cat /tmp/out
	assert_grep "stuck.*a switch to vm is stuck at step [0-9]+ \(unbind $GPU" /tmp/out
	assert_grep "reboot" /tmp/out
	$SS recover 2>/tmp/err; assert_eq "recover before the reboot: exit" 5 $?
	assert_grep "is stuck at step [0-9]+ \(unbind $GPU.*Reboot, then run session-switch recover" /tmp/err
	$SS host 2>/tmp/err; assert_eq "host while stuck: exit" 5 $?
	assert_grep "run session-switch recover first" /tmp/err
	;;
recover)
	echo "after the reboot: $(state); journal:"; cat $J
	$SS doctor >/tmp/out 2>&1
	assert_grep "stuck.*in an earlier boot" /tmp/out
	$SS recover 2>/tmp/err; assert_eq "recover after the reboot: exit" 0 $?
	cat /tmp/err
	assert_eq "back on the stand-in" "nvidia snd_hda_intel" "$(state)"
	assert_grep "^state=done" $J
	assert_eq "no driver_override left" "(null) (null)" "$(override_of $GPU) $(override_of $SND)"
	$SS vm 2>/dev/null; assert_eq "a switch to vm after recovery: exit" 0 $?
	$SS host 2>/dev/null; assert_eq "and back: exit" 0 $?
	assert_eq "back" "nvidia snd_hda_intel" "$(state)"
	;;
esac
finish
