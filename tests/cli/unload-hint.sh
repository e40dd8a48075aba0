#!/bin/sh
# setup proposes [host] unload from the driver data files of every
# function that moves: on a Turing card (VGA, audio, xHCI and the UCSI
# controller of the "nvidia-gpu" driver) NVIDIA's stack and then
# i2c_nvidia_gpu, each only where it is loaded; the order is the data
# files' order, function by function.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

root=$TMP/turing
cp -a "$DATA/turing/." "$root"
mkdir -p "$root/etc/X11" "$root${SS_DRIVERS_DATADIR:?run through make check}"
cp "$SS_SRCDIR/data/nvidia.conf" "$SS_SRCDIR/data/nvidia-gpu.conf" "$root$SS_DRIVERS_DATADIR/"
live() { for mod in "$@"; do mkdir -p "$root/sys/module/$mod" && echo live >"$root/sys/module/$mod/initstate"; done; }
trun() { "$SS" --sysroot "$root" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$TMP/out err=$TMP/err; }

# NVIDIA's stack loaded, i2c_nvidia_gpu not: it is not proposed
live nvidia nvidia_modeset nvidia_drm nvidia_uvm
trun --json setup --dry-run
expect_rc 0
expect_jq .unload_hint "nvidia_drm nvidia_modeset nvidia_uvm nvidia"

# loaded: proposed after the stack, and both data files are named
live i2c_nvidia_gpu
trun setup --dry-run
expect_rc 0
expect_out "  unload = nvidia_drm nvidia_modeset nvidia_uvm nvidia i2c_nvidia_gpu"
expect_out "$SS_DRIVERS_DATADIR/nvidia-gpu.conf"
expect_out "to unload its modules instead of unbinding it around a switch"

# the shipped file says nothing else: a key it does not know is refused
# with its line, as for every driver data file
printf 'modules = i2c_nvidia_gpu\nfirmware = x\n' >"$root$SS_DRIVERS_DATADIR/nvidia-gpu.conf"
trun doctor
expect_out "nvidia-gpu.conf:2: unknown key"
finish
