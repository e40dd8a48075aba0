# Sourced by the nvidia-*.guest scenarios after lib.sh: the stand-in
# driver stack (tests/kmod) and nvidia-persistenced (doc/testing.md,
# Stand-ins) set up in the guest's overlay, never on the host.
NVMODS="nvidia_drm nvidia_modeset nvidia_uvm nvidia"
PERSIST=/sys/module/nvidia/parameters/persistence
# nv_install: the modules where modprobe finds them (the overlay's
# /lib/modules), the daemon and its service script
nv_install() {
	local k=/lib/modules/$(uname -r)/extra
	mkdir -p "$k" && cp "$BUILDDIR"/tests/kmod/nvidia*.ko "$k"/ && depmod -a ||
		{ fail "installing the stand-in modules"; return 1; }
	install -m 755 "$SRCDIR/nvidia-persistenced" /usr/local/sbin/nvidia-persistenced
	install -m 755 "$SRCDIR/nvidia-persistenced.init" /etc/init.d/nvidia-persistenced
	# the shipped data file's persistence_off/_on run /usr/bin/nvidia-smi
	install -o root -g root -m 755 "$SRCDIR/nvidia-smi" /usr/bin/nvidia-smi
	modprobe i2c-dev
}
# nv_bind: the "dGPU" on the stand-in nvidia driver with its whole stack,
# as a machine with NVIDIA's driver boots
nv_bind() {
	modprobe nvidia || { fail "modprobe nvidia"; return 1; }
	echo nvidia >/sys/bus/pci/devices/$GPU/driver_override
	[ "$(driver_of $GPU)" = none ] || echo $GPU >/sys/bus/pci/devices/$GPU/driver/unbind
	echo $GPU >/sys/bus/pci/drivers_probe
	echo >/sys/bus/pci/devices/$GPU/driver_override
	# each by name, in the stack's order: once (nvidia-unload, after the
	# iGPU was lent to the stand-in) modprobe nvidia_drm alone failed
	# with "Unknown symbol" instead of loading nvidia_modeset first
	modprobe nvidia_modeset && modprobe nvidia_uvm && modprobe nvidia_drm ||
		fail "loading the stand-in stack (dmesg: $(dmesg | grep -i nvidia | tail -3 | tr '\n' ' '))"
	assert_eq "the dGPU on the stand-in nvidia" nvidia "$(driver_of $GPU)"
}
# nv_conf [EXTRA-HOST-LINES]: the configuration of these scenarios
nv_conf() {
	printf '[vm]\ndevices = %s %s\n\n[host]\ndrivers = %s=nvidia %s=snd_hda_intel\n%s\n' \
		$GPU $SND $GPU $SND "${1:-}" >/etc/session-switch.conf
}
# the stand-in shows legacy persistence mode in a file: say so to the
# driver data (the real driver does not: data/nvidia.conf)
nv_persistence_file() {
	mkdir -p /etc/session-switch/drivers
	echo "persistence = $PERSIST" >/etc/session-switch/drivers/nvidia.conf
}
nv_usage() { cat /sys/module/nvidia/parameters/usage; }
nv_refcnt() { cat /sys/module/nvidia/refcnt 2>/dev/null || echo gone; }
loaded() { [ -e /sys/module/$1/initstate ] && echo yes || echo no; }
persistenced_pid() { cat /run/nvidia-persistenced/nvidia-persistenced.pid 2>/dev/null; }
override_of() { cat /sys/bus/pci/devices/$1/driver_override; }
