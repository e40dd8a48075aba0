#!/bin/bash
# The README's demo, inside the reference guest: the checks, then what the
# user does every day, with real SLiM, Xorg and PAM: at the greeter on the
# "NVIDIA" GPU choose "Windows VM" (F1) and log in as alice; the devices go
# to vfio-pci and alice's desktop comes back on the "Intel" GPU; she logs
# out and the greeter is back on the "NVIDIA" GPU.  Each phase is timed,
# the helper's own steps are printed, and what each GPU shows is taken by
# QEMU from outside the guest.
#
#   demo.sh [--dm slim|lightdm]: LightDM with its GTK greeter instead, where
#   alice picks herself from the greeter's list (her last session, in
#   ~/.dmrc, is "Windows VM") and types her password (lightdm.guest)
. "$SRCDIR/lib.sh"
dm=slim
[ "${1:-}" = --dm ] && dm=${2:-}
case "$dm" in slim | lightdm) ;; *) echo "demo.sh: --dm slim or --dm lightdm, not \"$dm\""; exit 2 ;; esac
say() { printf '\n== %s\n' "$*"; }
say "session-switch doctor"
$SS doctor
say "session-switch groups"
$SS groups
say "session-switch probe (which GPU drives which connector)"
$SS probe

if [ $dm = lightdm ]; then
	say "setup: LightDM as the display manager, pam_session_switch.so in its session stacks, the variants"
	lightdm_prepare
	lightdm_setup || { cat $L/setup.out; fail "session-switch setup"; finish; }
	t0=$(now_ms)
	/usr/local/sbin/ss-lightdm-ctl start
	lx_up || finish
	phase "greeter up on the NVIDIA GPU" $(( $(now_ms) - t0 ))
	screens 1-greeter-nvidia
	say "at the greeter: alice picked from the list (her last session: \"Windows VM\"), her password"
	t0=$(now_ms)
	lx_password alice-pw
	greeter_back() { wait_until 60 x_on $GPU && lx_up; }
	dm_stop() { /usr/local/sbin/ss-lightdm-ctl stop; }
else
	say "setup: SLiM as the display manager, pam_session_switch.so in its session stack, the variants"
	login_setup
	t0=$(now_ms)
	slim_up
	phase "greeter up on the NVIDIA GPU" $(( $(now_ms) - t0 ))
	screens 1-greeter-nvidia
	say "at the greeter: F1 selects \"Windows VM\", alice types her name and password"
	t0=$(now_ms)
	at_greeter alice alice-pw F1
	greeter_back() { wait_until 60 x_on $GPU && wait_greeter; }
	dm_stop() { /usr/local/sbin/ss-dm-ctl stop; }
fi
wait_until 30 seat_is alice && phase "login -> seat login recorded (PAM open_session)" $(( $(now_ms) - t0 ))
wait_for_driver $GPU vfio-pci 90 && phase "login -> devices on vfio-pci" $(( $(now_ms) - t0 ))
wait_for_file $L/desktop-alice 90 && phase "login -> alice's desktop on the Intel GPU (auto-login once)" $(( $(now_ms) - t0 ))
sleep 1
echo "the helper's steps (/run/session-switch/switch.log):"
sed 's/^/    /' /run/session-switch/switch.log
$SS status
screens 2-desktop-intel

say "alice logs out: the switch back starts from PAM close_session"
t0=$(now_ms)
su alice -c "touch $L/logout"
wait_until 60 test ! -e /run/session-switch/seat && phase "logout -> close_session" $(( $(now_ms) - t0 ))
wait_for_driver $GPU virtio-pci 90 && phase "logout -> devices on their host drivers" $(( $(now_ms) - t0 ))
greeter_back && phase "logout -> greeter on the NVIDIA GPU" $(( $(now_ms) - t0 ))
echo "the helper's steps (/run/session-switch/switch.log):"
sed 's/^/    /' /run/session-switch/switch.log
$SS status
screens 3-greeter-nvidia-again
dm_stop

say "what each monitor showed (QEMU screendump of each GPU; one lit, the other dark)"
for f in "$OUT"/[123]-*.png; do
	printf '%-36s mean brightness %s\n' "$(basename "$f")" "$(brightness "$f")"
done
grep -E "pam_session_switch|session-switch\[" /var/log/messages | grep -E "seat login|allowed|auto-login|switching back|done in" |
	sed 's/^/    /'
finish
