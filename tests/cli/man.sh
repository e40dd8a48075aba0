#!/bin/sh
# The man pages (issue 18): each has EXIT STATUS and SECURITY
# CONSIDERATIONS; each EXIT STATUS lists every code of the one outcome
# table (src/lib/outcome.c, as `session-switch --help` prints it), each
# item opening with the table's own words; `mandoc -T lint` and `man -l`
# (groff's warnings) find nothing.
set -u
b=${SS_BUILDDIR:?run through make check}
s=${SS_SRCDIR:?run through make check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

"$b/src/cli/session-switch" --help | sed -n '/^Exit status:/,$p' | sed -n 's/^  \([0-9]\)  //p' |
	tr -d '`' >"$tmp/table"
[ "$(wc -l <"$tmp/table")" -ge 7 ] || fail "session-switch --help lists $(wc -l <"$tmp/table") exit codes"

for page in "$s"/doc/session-switch.1 "$s"/doc/session-switch.conf.5 "$s"/doc/session-switch-vm.conf.5 \
	"$s"/doc/pam_session_switch.8; do
	n=$(basename "$page")
	for sec in "EXIT STATUS" "SECURITY CONSIDERATIONS"; do
		# the section is there and says something before the next one
		body=$(sed -n "/^\.SH \"*$sec\"*\$/,/^\.SH /p" "$page" | sed '1d;$d' | grep -vc '^\.')
		[ "$body" -gt 0 ] && ok "$n: $sec" || fail "$n: no $sec section with text"
	done
	# the rendered EXIT STATUS, one line per item
	LC_ALL=C.UTF-8 MANWIDTH=1000 man -l "$page" 2>/dev/null | col -b |
		sed -n '/^EXIT STATUS/,/^[A-Z]/p' | sed -n 's/^ *\([0-9]\)  *\(.*\)$/\1 \2/p' >"$tmp/items"
	code=0
	while IFS= read -r meaning; do
		item=$(sed -n "s/^$code //p" "$tmp/items")
		case "$item" in
		"$meaning"*) ok "$n: exit $code" ;;
		"") fail "$n: EXIT STATUS lacks code $code" ;;
		*) fail "$n: exit $code reads \"$item\", the table says \"$meaning\"" ;;
		esac
		code=$((code + 1))
	done <"$tmp/table"
	extra=$(awk -v max=$((code - 1)) '$1 > max' "$tmp/items")
	[ -z "$extra" ] || fail "$n: codes the table does not have: $extra"
	if command -v mandoc >/dev/null; then
		mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1
		[ -s "$tmp/lint" ] && { fail "$n: mandoc -T lint:"; cat "$tmp/lint"; } || ok "$n: mandoc -T lint clean"
	else
		fail "mandoc is not installed (tools/install-deps)"
	fi
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>"$tmp/warn" >/dev/null
	[ -s "$tmp/warn" ] && { fail "$n: man --warnings -l:"; cat "$tmp/warn"; } || ok "$n: man -l clean"
done
[ $failures -eq 0 ]
