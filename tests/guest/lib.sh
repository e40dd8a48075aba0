# Sourced by the scenarios that run inside the reference guest.
# Assertions print what was expected and what was found; a failed one
# counts, the scenario goes on, and `finish` exits non-zero.
set -u
failures=0
GPU=0000:01:00.0      # the "NVIDIA" GPU: virtio-vga behind the root port
SND=0000:01:00.1      # its HDMI audio: ich9-intel-hda
BRIDGE=0000:00:1c.0   # the PCIe root port above them
IGPU=0000:00:02.0     # the "Intel" GPU on the root bus: VGA, bochs-drm
# --topology cards (tests/guest/run): the host's GPU is a card behind a
# second root port, and detection alone cannot choose: [vm] devices says.
VM_CONF=""
if [ "${SS_TOPOLOGY:-seed}" = cards ]; then
	IGPU=0000:02:00.0
	VM_CONF="[vm]\ndevices = $GPU $SND\n"
fi
SS=/usr/bin/session-switch
HELPER=/usr/libexec/session-switch/session-switch-helper

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
assert_eq() { # WHAT EXPECTED FOUND
	if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: expected '$2', found '$3'"; fi
}
assert_ne() { # WHAT UNEXPECTED FOUND
	if [ "$2" != "$3" ]; then pass "$1 = $3 (not $2)"; else fail "$1: expected anything but '$2'"; fi
}
assert_file() { if [ -e "$1" ]; then pass "$1 exists"; else fail "$1 does not exist"; fi; }
assert_no_file() { if [ ! -e "$1" ]; then pass "$1 absent"; else fail "$1 exists but should not"; fi; }
assert_grep() { # PATTERN FILE
	if grep -qE -- "$1" "$2"; then pass "$2 has /$1/"; else fail "$2 lacks /$1/:"; sed 's/^/    | /' "$2" | tail -20; fi
}
finish() {
	if [ "$failures" -eq 0 ]; then echo "PASS: all assertions held"; exit 0; fi
	echo "FAIL: $failures assertion(s) failed"; exit 1
}

# the driver a function is bound to, or "none"
driver_of() {
	local l
	l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && basename "$l" || echo none
}
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_for_file PATH DEADLINE_S: 0 when it exists in time
wait_for_file() {
	local end=$(( $(now_ms) + $2 * 1000 ))
	while [ ! -e "$1" ]; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.02
	done
}
# wait_for_driver ADDR DRIVER DEADLINE_S
wait_for_driver() {
	local end=$(( $(now_ms) + $3 * 1000 ))
	while [ "$(driver_of "$1")" != "$2" ]; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.02
	done
}

# step NAME COMMAND...: run it, print "step NAME <ms> ms", keep its status
step() {
	local name=$1 t0 rc
	shift
	t0=$(now_ms)
	"$@"
	rc=$?
	echo "step $name $(( $(now_ms) - t0 )) ms"
	return $rc
}

# screens NAME: what each GPU scans out, taken by QEMU from outside the
# guest (QMP screendump): $OUT/NAME-igpu.png and $OUT/NAME-dgpu.png
# (the host answers within a second or two; DEADLINE_S defaults to 30)
screens() { # NAME [DEADLINE_S]
	local g
	rm -f "$OUT/.screendump/$1.done"
	: >"$OUT/.screendump/$1"
	wait_for_file "$OUT/.screendump/$1.done" "${2:-30}" ||
		{ fail "no screendump for $1 within ${2:-30} s"; return 1; }
	for g in igpu dgpu; do
		[ -s "$OUT/$1-$g.png" ] || { fail "screendump $1: no $1-$g.png (run's QMP answer is in the console tail)"; return 1; }
	done
}
# What the screens show: mean brightness of a PNG, lit or dark, and the
# PCI address of the card Xorg opened (from its log).
brightness() { /usr/bin/convert "$1" -colorspace Gray -format '%[fx:mean]' info:; }
lit() { awk -v v="$1" 'BEGIN { exit !(v > 0.02) }'; }
dark() { awk -v v="$1" 'BEGIN { exit !(v < 0.01) }'; }
x_gpu() { # the PCI address of the card X opened, from its log
	local card
	card=$(grep -o 'using drv /dev/dri/card[0-9]*' /var/log/Xorg.0.log | tail -1 | sed 's|.*/||')
	readlink -f /sys/class/drm/$card | grep -o '0000:[0-9a-f]*:[0-9a-f]*\.[0-7]' | tail -1
}
screens_check() { # NAME LIT_GPU DARK_GPU
	screens "$1" || return
	local l d
	l=$(brightness "$OUT/$1-$2.png") d=$(brightness "$OUT/$1-$3.png")
	echo "$1: mean brightness $2 $l, $3 $d"
	lit "$l" && pass "$1: the $2 is lit" || fail "$1: the $2 is dark ($l)"
	dark "$d" && pass "$1: the $3 is dark" || fail "$1: the $3 is lit ($d)"
}

# --- the login screen (login.guest, demo.sh) ---------------------------------
L=/tmp/ss-login
X() { DISPLAY=:0 XAUTHORITY=/var/run/slim.auth "$@"; }
phase() { echo "phase $1 $2 ms"; }
# login_setup: the guest's own session files (doc/testing.md: never the host's
# /etc), alice's normal desktop (something on the screen, and a marker
# written as alice; `touch $L/logout` logs her out), and the module in
# SLiM's session stack as a distribution's slim package would put it
login_setup() {
	mkdir -p $L && chmod 1777 $L
	printf 'allow-failsafe\nallow-user-xsession\n' >/etc/X11/Xsession.options
	cat >/home/alice/.xsession <<'XSESSION'
#!/bin/sh
echo "$(id -un) $DISPLAY" >/tmp/ss-login/desktop-$(id -un)
xlogo -geometry 1200x720+40+40 -bg white &
xmessage -center "the desktop of $(id -un)" &
while [ ! -e /tmp/ss-login/logout ]; do sleep 0.1; done
rm -f /tmp/ss-login/logout /tmp/ss-login/desktop-$(id -un)
XSESSION
	chown alice:alice /home/alice/.xsession && chmod 755 /home/alice/.xsession
	echo "session optional pam_session_switch.so debug" >>/etc/pam.d/slim
}
# at_greeter USER PASSWORD [F1]: type at SLiM's greeter (it grabs the
# keyboard: XTEST keys reach it whatever has the focus); F1 once selects
# the first session entry, the only one here: "Windows VM"
at_greeter() {
	[ "${3:-}" = F1 ] && { X xdotool key F1; sleep 0.5; }
	X xdotool type --delay 80 "$1"; X xdotool key Return; sleep 0.5
	X xdotool type --delay 80 "$2"; X xdotool key Return
}
wait_until() { # DEADLINE_S COMMAND...: until COMMAND succeeds
	local end=$(( $(now_ms) + $1 * 1000 ))
	shift
	until "$@"; do [ "$(now_ms)" -lt $end ] || return 1; sleep 0.1; done
}
seat_user() { sed -n 's/^user=//p' /run/session-switch/seat 2>/dev/null; }
seat_is() { [ "$(seat_user)" = "$1" ]; }
x_on() { [ "$(x_gpu)" = "$1" ]; }

# xshot FILE: X's own framebuffer (identical on both GPUs: doc/testing.md)
xshot() {
	xwd -root -silent | /usr/bin/convert xwd:- "png:$1"
}

# drm_card_of ADDR: the DRM card (card0...) that hangs from a function, or ""
drm_card_of() {
	local c
	for c in /sys/class/drm/card[0-9] /sys/class/drm/card[0-9][0-9]; do
		[ -e "$c" ] || continue
		case "$(readlink -f "$c")" in */$1/*) basename "$c"; return 0 ;; esac
	done
	echo ""
}

# slim_up: SLiM as the display manager of the guest (doc/testing.md: the
# guest's own slim.conf, started by a service script), the variants
# written by session-switch setup, the greeter up on the current GPU.
slim_up() {
	install -m 755 "$SRCDIR/dm-ctl" /usr/local/sbin/ss-dm-ctl
	slim_conf
	printf "$VM_CONF"'[display]\nmanager = command:/usr/local/sbin/ss-dm-ctl\n' >/etc/session-switch.conf
	$SS setup >/dev/null || { fail "session-switch setup"; return 1; }
	/usr/local/sbin/ss-dm-ctl start
	wait_for_file /tmp/.X11-unix/X0 60 || { fail "X did not start"; return 1; }
	wait_greeter
}
# slim_conf: the guest's own /etc/slim.conf (never the host's)
slim_conf() {
	cat >/etc/slim.conf <<'CONF'
default_path        /usr/local/bin:/usr/bin:/bin
default_xserver     /usr/lib/xorg/Xorg
xserver_arguments   -nolisten tcp vt07
xauth_path          /usr/bin/xauth
authfile            /var/run/slim.auth
login_cmd           exec /bin/bash -login /etc/X11/Xsession '%session'
sessiondir          /usr/share/xsessions/
current_theme       default
lockfile            /var/run/slim.lock
logfile             /var/log/slim.log
CONF
	# F1 at the greeter steps through sessiondir in readdir order: only
	# the "Windows VM" entry stays there, so F1 is that one whatever the
	# host has installed (its lightdm package brings lightdm-xsession,
	# and the guest sees the host's /usr).  The removal is the guest's.
	find /usr/share/xsessions -name '*.desktop' ! -name session-switch-vm.desktop -delete
}
# wait_greeter: a viewable child of X's root window (SLiM's greeter)
wait_greeter() {
	local end=$(( $(now_ms) + 60000 )) w
	while [ "$(now_ms)" -lt $end ]; do
		for w in $(XAUTHORITY=/var/run/slim.auth DISPLAY=:0 xwininfo -root -children 2>/dev/null |
			grep -o '^ *0x[0-9a-f]*'); do
			XAUTHORITY=/var/run/slim.auth DISPLAY=:0 xwininfo -id $w 2>/dev/null |
				grep -q 'Map State: IsViewable' && return 0
		done
		sleep 0.1
	done
	fail "no greeter window within 60 s"
}

# host_state: both functions on their host drivers, in one line
state() { echo "$(driver_of $GPU) $(driver_of $SND)"; }

# --- LightDM (lightdm.guest, demo.sh --dm lightdm) ------------------------------
XA=/var/run/lightdm/root/:0
LX() { DISPLAY=:0 XAUTHORITY=$XA "$@"; }
D=/etc/lightdm/lightdm.conf.d/50-session-switch.conf
LOG=/var/log/lightdm/lightdm.log # LightDM starts a new one at each start
# lightdm_prepare: alice's desktop and session choice, the module in
# LightDM's stacks, the guest's own drop-in, the system D-Bus and the
# service script (tests/guest/lightdm-ctl)
lightdm_prepare() {
	login_setup
	echo "session optional pam_session_switch.so debug" >>/etc/pam.d/lightdm
	echo "session optional pam_session_switch.so debug" >>/etc/pam.d/lightdm-autologin
	# the greeter's stack too, as a module in common-session would be: its
	# session (user lightdm) must still be no seat login
	echo "session optional pam_session_switch.so debug" >>/etc/pam.d/lightdm-greeter
	printf '[Desktop]\nSession=session-switch-vm\n' >/home/alice/.dmrc
	# Debian ships no lightdm.conf.d; setup would make it
	mkdir -p /etc/lightdm/lightdm.conf.d
	# the list shown, and the normal session named (setup refuses LightDM's
	# "default": Debian ships lightdm-xsession.desktop, no default.desktop)
	printf '[Seat:*]\ngreeter-hide-users=false\nuser-session=lightdm-xsession\n' \
		>/etc/lightdm/lightdm.conf.d/40-guest.conf
	chown alice:alice /home/alice/.dmrc
	# the greeter (user lightdm) reads it itself, without AccountsService: a run
	# with a private home started alice's normal desktop instead
	chmod 644 /home/alice/.dmrc
	chmod o+x /home/alice
	# LightDM needs the system bus; the guest has no init system to start one
	mkdir -p /run/dbus
	dbus-daemon --system --fork || fail "no system D-Bus"
	install -m 755 "$SRCDIR/lightdm-ctl" /usr/local/sbin/ss-lightdm-ctl
	echo /usr/sbin/lightdm >/etc/X11/default-display-manager
}
# lightdm_setup: session-switch setup ($L/setup.out; its status), then
# the configuration it proposes, with the one-shot auto-login asked for
lightdm_setup() {
	local rc
	$SS setup >$L/setup.out 2>&1
	rc=$?
	printf '[display]\nmanager = command:/usr/local/sbin/ss-lightdm-ctl\nauthfile = %s\n[login]\nauto = yes\n' $XA \
		>/etc/session-switch.conf
	return $rc
}
lx_greeter() { # a viewable child of X's root window: the greeter, or a desktop
	local w
	for w in $(LX xwininfo -root -children 2>/dev/null | grep -o '^ *0x[0-9a-f]*'); do
		LX xwininfo -id $w 2>/dev/null | grep -q 'Map State: IsViewable' && return 0
	done
	return 1
}
asks_for() { # USER: the greeter's last authentication is USER's, at its prompt
	awk -v user="$1" '/Greeter start authentication/ { u = $0; p = 0 }
		/Prompt greeter with/ { p = 1 }
		END { exit !(p && u ~ ("authentication for " user "$")) }' $LOG 2>/dev/null
}
lx_up() { # the greeter up, alice picked from its list and asked her password
	wait_for_file /tmp/.X11-unix/X0 90 || { fail "LightDM's X did not start"; return 1; }
	wait_until 120 lx_greeter || { fail "no greeter window within 120 s"; return 1; }
	wait_until 60 asks_for alice || { fail "the greeter did not pick alice from its list within 60 s"; return 1; }
	# the prompt is logged before the greeter's main loop focuses the
	# password entry; nothing outside GTK shows that focus
	sleep 1
}
lx_password() { # PASSWORD: typed into the greeter's password entry
	LX xdotool type --delay 80 "$1"; LX xdotool key Return
}
