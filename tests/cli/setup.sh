#!/bin/sh
# setup: the Xorg and SLiM variants written into a copy of a recorded tree,
# the user's slim.conf kept, foreign files refused, --undo; [host] services
# and [host] unload proposed from the driver data file.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

root=$TMP/root
cp -a "$DATA/seed/." "$root"
mkdir -p "$root/etc/X11"
cat >"$root/etc/slim.conf" <<'CONF'
# my slim.conf
default_path        /usr/bin:/bin
xserver_arguments   -nolisten tcp vt07
current_theme       my-theme
CONF
cp "$root/etc/slim.conf" "$TMP/mine"
sroot() { out="$TMP/out" err="$TMP/err"; "$SS" --sysroot "$root" "$@" >"$out" 2>"$err"; rc=$?; }

sroot setup --dry-run
expect_rc 0
expect_out "would write /etc/X11/xorg.conf.nvidia"
expect_out 'BusID      "PCI:1:0:0"'
expect_out 'BusID      "PCI:0:2:0"'
expect_out "would link /etc/slim.conf -> slim.conf.host"
expect_out "manager = none"
mkdir -p "$root/run/openrc" "$root/etc/init.d" && : >"$root/etc/init.d/xdm"
sroot setup --dry-run
expect_out "manager = openrc:xdm"
[ ! -e "$root/etc/X11/xorg.conf.intel" ] || fail "--dry-run wrote a file"

mkdir -p "$root/etc/pam.d" && printf 'session required pam_unix.so\n' >"$root/etc/pam.d/slim"
sroot setup
expect_rc 0
expect_out "add to /etc/pam.d/slim:"
expect_out "  session optional pam_session_switch.so"
grep -q 'BusID      "PCI:0:2:0"' "$root/etc/X11/xorg.conf.intel" || fail "xorg.conf.intel lacks the iGPU's BusID"
grep -q 'Driver     "modesetting"' "$root/etc/X11/xorg.conf.nvidia" || fail "xorg.conf.nvidia lacks its driver"
[ "$(readlink "$root/etc/slim.conf")" = slim.conf.host ] || fail "slim.conf is not a link to slim.conf.host"
cmp -s "$root/etc/slim.conf.orig" "$TMP/mine" || fail "slim.conf.orig is not the user's file"
grep -q '^xserver_arguments   -nolisten tcp vt07 -config xorg.conf.intel$' "$root/etc/slim.conf.vm" ||
	fail "slim.conf.vm lacks its -config"
grep -q '^current_theme       my-theme$' "$root/etc/slim.conf.vm" || fail "slim.conf.vm lost the theme"

# again: the same files, no error
cp "$root/etc/slim.conf.vm" "$TMP/vm1"
sroot setup
expect_rc 0
cmp -s "$root/etc/slim.conf.vm" "$TMP/vm1" || fail "a second setup changed slim.conf.vm"

# a hand-made xorg.conf.intel is never overwritten
printf 'Section "Device"\nEndSection\n' >"$root/etc/X11/xorg.conf.intel"
sroot setup
expect_rc 1
expect_err "/etc/X11/xorg.conf.intel exists and was not written by session-switch"
grep -q 'Section "Device"' "$root/etc/X11/xorg.conf.intel" || fail "the hand-made file was touched"
rm "$root/etc/X11/xorg.conf.intel"

# --undo: the user's slim.conf back, our files gone
sroot setup --undo
expect_rc 0
[ -f "$root/etc/slim.conf" ] && [ ! -L "$root/etc/slim.conf" ] || fail "slim.conf is not a plain file again"
cmp -s "$root/etc/slim.conf" "$TMP/mine" || fail "slim.conf is not the user's after --undo"
[ ! -e "$root/etc/slim.conf.vm" ] && [ ! -e "$root/etc/X11/xorg.conf.nvidia" ] || fail "--undo left files"

# a bus above 9 is written in decimal
sroot2=$TMP/bus16
cp -a "$DATA/bus16/." "$sroot2"
mkdir -p "$sroot2/etc/X11"
"$SS" --sysroot "$sroot2" setup >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$TMP/out err=$TMP/err
expect_rc 0
grep -q 'BusID      "PCI:16:0:0"' "$sroot2/etc/X11/xorg.conf.nvidia" || fail "bus 0x10 not written as PCI:16:0:0"
expect_out "no /etc/slim.conf: only the Xorg variants"

# [host] services and [host] unload proposed from the driver data file
# (the shipped one, where configure installs it below the tree) and what
# is installed and loaded there; nothing of it is in the code
nv=$TMP/nv
cp -a "$DATA/seed/." "$nv"
mkdir -p "$nv/etc/X11" "$nv${SS_DRIVERS_DATADIR:?run through make check}"
cp "$SS_SRCDIR/data/nvidia.conf" "$nv$SS_DRIVERS_DATADIR/"
nvrun() { "$SS" --sysroot "$nv" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$TMP/out err=$TMP/err; }
nvrun setup --dry-run
expect_rc 0
expect_no_out "services ="
expect_no_out "unload ="
mkdir -p "$nv/run/openrc" "$nv/etc/init.d" && : >"$nv/etc/init.d/nvidia-persistenced"
for mod in nvidia nvidia_modeset nvidia_drm; do
	mkdir -p "$nv/sys/module/$mod" && echo live >"$nv/sys/module/$mod/initstate"
done
nvrun setup --dry-run
expect_rc 0
expect_out "What holds the card (from $nv$SS_DRIVERS_DATADIR/nvidia.conf"
expect_out "  services = openrc:nvidia-persistenced"
# in the data file's order; nvidia_uvm is not loaded, nvidia-powerd not installed
expect_out "  unload = nvidia_drm nvidia_modeset nvidia"
nvrun --json setup --dry-run
expect_jq .services_hint openrc:nvidia-persistenced
expect_jq .unload_hint "nvidia_drm nvidia_modeset nvidia"
# under systemd: its units, each where it is installed
rm -r "$nv/run/openrc"
mkdir -p "$nv/run/systemd/system" "$nv/lib/systemd/system" "$nv/etc/systemd/system"
: >"$nv/lib/systemd/system/nvidia-persistenced.service"
: >"$nv/etc/systemd/system/nvidia-powerd.service"
mkdir -p "$nv/sys/module/nvidia_uvm" && echo live >"$nv/sys/module/nvidia_uvm/initstate"
nvrun --json setup --dry-run
expect_jq .services_hint "systemd:nvidia-persistenced systemd:nvidia-powerd"
expect_jq .unload_hint "nvidia_drm nvidia_modeset nvidia_uvm nvidia"
# what the configuration says already is not proposed again
printf '[host]\nservices = systemd:nvidia-persistenced\n' >"$nv/etc/session-switch.conf"
nvrun --json setup --dry-run
expect_jq .services_hint null
expect_jq .unload_hint "nvidia_drm nvidia_modeset nvidia_uvm nvidia"
printf '[host]\nunload = nvidia\n' >"$nv/etc/session-switch.conf"
nvrun setup --dry-run
expect_no_out "unload ="
expect_out "  services = systemd:nvidia-persistenced systemd:nvidia-powerd"

run seed setup --dry-run --undo
expect_rc 2
finish
