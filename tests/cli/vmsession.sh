#!/bin/bash
# The "Windows VM" session (slim/vm-session.in) with a stand-in
# session-switch and session-switch-notice: without vm.conf it asks for
# `vm --detach`, with one for `play --detach`; a switch that keeps X
# ([host] offload: X never exits) is seen done by the devices' mode and the
# session ends at once instead of after 5 minutes; a refusal is shown.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"
out="$TMP/out" err="$TMP/err"
mkdir -p "$TMP/bin" "$TMP/lib" "$TMP/etc/session-switch"
sed -e "s|@bindir@|$TMP/bin|g" -e "s|@pkglibexecdir@|$TMP/lib|g" -e "s|@sysconfdir@|$TMP/etc|g" \
	"$SS_SRCDIR/slim/vm-session.in" >"$TMP/vm-session"
cat >"$TMP/bin/session-switch" <<STUB
#!/bin/sh
echo "\$*" >>"$TMP/calls"
[ "\$1" = status ] && { cat "$TMP/status"; exit 0; }
cat "$TMP/answer"
exit \$(cat "$TMP/rc")
STUB
cat >"$TMP/lib/session-switch-notice" <<STUB
#!/bin/sh
if [ "\$1" = --wait-x-exit ]; then
	[ -e "$TMP/x-exits" ] && exit 0
	exec sleep 600 # X stays up
fi
printf '%s|' "\$@" >"$TMP/notice"
STUB
printf '#!/bin/sh\necho "$*" >>"%s/logged"\n' "$TMP" >"$TMP/bin/logger"
chmod +x "$TMP/bin/"* "$TMP/lib/"*
session() { # run the session as SLiM would; sets rc and the seconds it took
	rm -f "$TMP/calls" "$TMP/notice" "$TMP/logged"
	local t0=$(date +%s)
	PATH="$TMP/bin:$PATH" timeout 60 sh "$TMP/vm-session" >"$out" 2>"$err"
	rc=$? secs=$(($(date +%s) - t0))
}
calls() { tr '\n' ';' <"$TMP/calls" 2>/dev/null; }

# no VM definition: the switch alone, as before; X exits
echo "session-switch: the checks passed; switching to vm in the background (pid 42)" >"$TMP/answer"
echo 0 >"$TMP/rc"
echo "mode: host" >"$TMP/status"
touch "$TMP/x-exits"
session
expect_rc 0
[ "$(calls)" = "vm --detach;" ] || fail "without vm.conf: expected 'vm --detach;', got '$(calls)'"
[ ! -e "$TMP/notice" ] || fail "without vm.conf: a notice was shown: $(cat "$TMP/notice")"

# a VM definition: the session plays it
: >"$TMP/etc/session-switch/vm.conf"
session
expect_rc 0
case "$(calls)" in "play --detach;"*) ;; *) fail "with vm.conf: expected play --detach first, got '$(calls)'" ;; esac

# X kept across the switch: the session ends once the devices are in vm
# mode, long before the 5 minutes
rm -f "$TMP/x-exits"
echo "mode: vm" >"$TMP/status"
session
expect_rc 0
[ "$secs" -lt 10 ] || fail "X kept: the session took $secs s to see the switch done"
case "$(calls)" in "play --detach;status;"*) ;; *) fail "X kept: expected play, then status, got '$(calls)'" ;; esac
grep -q "switched to vm with X kept" "$TMP/logged" 2>/dev/null || fail "X kept: not logged"
[ ! -e "$TMP/notice" ] || fail "X kept: a notice was shown: $(cat "$TMP/notice")"

# a refusal (vm.conf's error): shown on the screen, with the helper's line
printf 'preflight ...\nsession-switch: %s/etc/session-switch/vm.conf:3: [vm w] iso: no such file\n' "$TMP" >"$TMP/answer"
echo 3 >"$TMP/rc"
session
expect_rc 0
grep -qF "The Windows VM session could not start (exit 3):|session-switch: $TMP/etc/session-switch/vm.conf:3: [vm w] iso: no such file|" \
	"$TMP/notice" 2>/dev/null || fail "refusal: the notice said '$(cat "$TMP/notice" 2>/dev/null)'"
grep -q "session-switch play exit 3" "$TMP/logged" 2>/dev/null || fail "refusal: not logged"
finish
