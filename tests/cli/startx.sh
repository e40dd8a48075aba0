#!/bin/bash
# startx: the variant chosen per mode on recorded trees (--print), the
# refusals (no VT, a display manager configured, no variants, a mixed
# machine, bad arguments), and the request path: `vm`/`host` with
# SS_STARTX naming a live session-switch process of our uid signal it
# instead of running the helper; a stale, foreign or malformed value is
# ignored.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

tree() { # NAME FIXTURE [CONF]: a copy of FIXTURE with its variants written
	cp -a "$DATA/$2/." "$TMP/$1"
	mkdir -p "$TMP/$1/etc/X11"
	printf "${3:-[display]\nmanager = none\n}" >"$TMP/$1/etc/session-switch.conf"
	"$SS" --sysroot "$TMP/$1" setup >/dev/null 2>&1 || fail "setup on $1"
}
sroot() { # TREE ARGS...
	local t=$1
	shift
	out="$TMP/out" err="$TMP/err"
	"$SS" --sysroot "$TMP/$t" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

# host mode: the dGPU's variant; vm mode (the same machine, devices on
# vfio-pci): the iGPU's
tree host seed
sroot host startx --print -- -dpi 96
expect_rc 0
expect_out "mode: host"
expect_out "variant: /etc/X11/xorg.conf.nvidia"
expect_out "command: /usr/bin/xinit -- /usr/bin/Xorg :0 vtN -config xorg.conf.nvidia -nolisten tcp -keeptty -dpi 96"
tree vm seed-vm
sroot vm startx --print
expect_rc 0
expect_out "mode: vm"
expect_out "command: /usr/bin/xinit -- /usr/bin/Xorg :0 vtN -config xorg.conf.intel -nolisten tcp -keeptty"
# [display] display = :1 reaches Xorg's argv
tree disp1 seed '[display]\nmanager = none\ndisplay = :1\n'
sroot disp1 startx --print
expect_out "/usr/bin/Xorg :1 vtN"

# refusals: nothing started
tree dm seed '[display]\nmanager = openrc:xdm\n'
sroot dm startx --print
expect_rc 1
expect_err "startx is for [display] manager = none, and a display manager is configured"
tree unset seed '[host]\n'
sroot unset startx --print
expect_rc 1
expect_err "add manager = none to its [display] section"
rm "$TMP/host/etc/X11/xorg.conf.nvidia"
sroot host startx --print
expect_rc 1
expect_err "/etc/X11/xorg.conf.nvidia (the host variant) is missing: run session-switch setup"
tree mixed seed-mixed
sroot mixed startx --print
expect_rc 1
expect_err "run session-switch recover first"
# not on a VT: stdin is /dev/null here, a pipe, or a pty
out="$TMP/out" err="$TMP/err"
"$SS" startx </dev/null >"$out" 2>"$err"; rc=$?
expect_rc 1
expect_err "its standard input must be a virtual terminal /dev/ttyN"
echo | "$SS" startx >"$out" 2>"$err"; rc=$?
expect_rc 1
expect_err "its standard input must be a virtual terminal"
for a in "startx --bogus" "startx --json" "--sysroot /nonexistent startx"; do
	# shellcheck disable=SC2086
	"$SS" $a </dev/null >"$out" 2>"$err"; rc=$?
	expect_rc 2
done

# the request path: a stand-in wrapper whose comm is session-switch (a
# script of that name), recording the signals it gets
mkdir -p "$TMP/fake"
cat >"$TMP/fake/session-switch" <<FAKE
#!/bin/bash
trap 'echo vm >>"$TMP/got"' USR1
trap 'echo host >>"$TMP/got"' USR2
: >"$TMP/ready"
while :; do sleep 0.05; done
FAKE
chmod 755 "$TMP/fake/session-switch"
: >"$TMP/got"
"$TMP/fake/session-switch" &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.05; done
got_is() { # EXPECTED: what the stand-in recorded, within 5 s
	for _ in $(seq 100); do [ "$(tr '\n' ' ' <"$TMP/got")" = "$1" ] && return 0; sleep 0.05; done
	fail "the stand-in wrapper got '$(tr '\n' ' ' <"$TMP/got")', expected '$1'"
}
SS_STARTX=$fake:$(id -u) "$SS" vm >"$out" 2>"$err"; rc=$?
expect_rc 0
expect_err "asking session-switch startx (pid $fake) to switch to vm: this X session ends now"
got_is "vm "
SS_STARTX=$fake:$(id -u) "$SS" host --json >"$out" 2>"$err"; rc=$?
expect_rc 0
expect_jq .requested host
expect_jq .startx_pid "$fake"
got_is "vm host "
# not ours to ask: another uid in the value, a process that is no
# session-switch (this shell), a malformed value; each goes the ordinary
# way (to the helper) and the stand-in gets nothing more
for v in "$fake:$(( $(id -u) + 1 ))" "$$:$(id -u)" "$fake" "x:y" ""; do
	SS_STARTX=$v "$SS" vm >"$out" 2>"$err"
	! grep -q "asking session-switch startx" "$err" || fail "SS_STARTX='$v' was taken for a wrapper"
done
# recover is never a request
SS_STARTX=$fake:$(id -u) "$SS" recover >"$out" 2>"$err"
! grep -q "asking session-switch startx" "$err" || fail "recover was sent to the wrapper"
sleep 0.3
got_is "vm host "
kill $fake
finish
