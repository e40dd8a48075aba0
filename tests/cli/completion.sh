#!/bin/sh
# Bash completion (issue 18): sourced into a real bash, it offers the
# commands and options that `session-switch --help` lists (so the two
# cannot drift), the modes after plan, each command's own options, and
# directories after --sysroot.
set -u
b=${SS_BUILDDIR:?run through make check}
s=${SS_SRCDIR:?run through make check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
command -v bash >/dev/null || { echo "FAIL: no bash"; exit 1; }

# complete WORDS...: what the completion offers for the last word, sorted, one line
complete_() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _session_switch
		printf "%s\n" "${COMPREPLY[@]}"' bash "$s/completion/session-switch.bash" "$@" | sort | xargs
}
expect() { # WANT WORDS...
	want=$1; shift
	got=$(complete_ "$@")
	[ "$got" = "$want" ] && ok "'$*' -> $want" || fail "'$*': expected '$want', got '$got'"
}

help=$("$b/src/cli/session-switch" --help)
cmds=$(echo "$help" | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | sort | xargs)
opts=$(echo "$help" | sed -n '/^Options:/,/^$/p' | grep -o -- '--[a-z][a-z-]*' | sort -u | xargs)
[ -n "$cmds" ] && [ -n "$opts" ] || fail "cannot read the commands and options from --help"
expect "$cmds" session-switch ""
expect "$opts" session-switch --
expect "$cmds" session-switch --json ""
expect "$cmds" session-switch --sysroot /x --config /y ""
expect "host" session-switch plan h
expect "host vm" session-switch --json plan ""
expect "" session-switch plan vm ""
expect "--dry-run --undo" session-switch setup ""
expect "--detach --json --wait" session-switch vm ""
expect "--boot --json --wait" session-switch recover ""
expect "--json --print" session-switch vm-config ""
expect "recover" session-switch rec
# play: the VMs of vm.conf, then its options
printf '[vm win10]\niso = /x\n[vm  test-1 ]\nkernel = /k\n' >"$tmp/vm.conf"
got=$(SESSION_SWITCH_VM_CONF="$tmp/vm.conf" complete_ session-switch play "")
[ "$got" = "test-1 win10" ] && ok "play offers the VMs of vm.conf" || fail "play: expected 'test-1 win10', got '$got'"
expect "--detach --json --wait" session-switch play win10 ""
expect "" session-switch --wait ""
mkdir -p "$tmp/tree/sys" && : >"$tmp/tree/file"
expect "$tmp/tree/sys" session-switch --sysroot "$tmp/tree/s"
# every command of --help is one the completion knows, and no other
for c in $cmds; do echo "$c"; done >"$tmp/c1"
complete_ session-switch "" | tr ' ' '\n' >"$tmp/c2"
cmp -s "$tmp/c1" "$tmp/c2" && ok "commands match --help" || fail "commands differ from --help"
[ $failures -eq 0 ]
