#!/bin/bash
# The Gentoo ebuilds (packaging/gentoo/), as far as this machine can check
# them without Portage: each parses (bash -n); the release and the live
# ebuild are the same recipe; src_configure, run with stand-ins for the
# eclass helpers, gives this configure only options it accepts, with USE
# systemd on and off; and the helper the ebuild sets setuid is where that
# configuration installs it.  Unchecked here: the eclasses themselves,
# dependency resolution, the manifest, and a merge (doc: README Install).
set -u
s=${SS_SRCDIR:?run through make check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
g=$s/packaging/gentoo
rel=$(ls "$g"/sys-apps/session-switch/session-switch-[0-9]*.ebuild | grep -v 9999 | head -1)
live=$g/sys-apps/session-switch/session-switch-9999.ebuild

for f in $(find "$g" -name '*.ebuild'); do
	bash -n "$f" && ok "bash -n ${f#$g/}" || fail "bash -n ${f#$g/}"
	grep -q '^EAPI=8$' "$f" && ok "${f#$g/}: EAPI=8" || fail "${f#$g/}: no EAPI=8"
done
cmp -s "$rel" "$live" && ok "live and release ebuild: one recipe" || fail "the live ebuild differs from $(basename "$rel")"
[ -x "$s/configure" ] || { echo "FAIL: no configure in $s (autogen.sh)"; exit 1; }

# src_configure with stand-ins; econf runs this configure in a scratch dir
configure_with() { # USE... ; prints the options, configures in $tmp/b
	bash -c '
		set -eu
		USE=" $* " PV=0.1.0 PN=session-switch P=session-switch-0.1.0 EPREFIX= ED=/image
		inherit() { :; }
		use() { [[ $USE == *" $1 "* ]]; }
		usex() { if use "$1"; then echo "${2-yes}"; else echo "${3-no}"; fi; }
		use_with() { if use "$1"; then echo "--with-${2-$1}"; else echo "--without-${2-$1}"; fi; }
		getpam_mod_dir() { echo /lib64/security; }
		get_bashcompdir() { echo /usr/share/bash-completion/completions; }
		systemd_get_systemunitdir() { echo /lib/systemd/system; }
		econf() { printf "%s\n" "$@" >"$TMP/opts"
			cd "$TMP/b" && "$SRC/configure" --prefix=/usr --sysconfdir=/etc --localstatedir=/var "$@" >"$TMP/configure.out" 2>&1; }
		. "$EBUILD"
		src_configure' bash "$@"
}
src=$s
if [ -f "$s/config.status" ]; then # built in the source tree: configure would refuse it
	mkdir -p "$tmp/src" && (cd "$s" && tar --exclude=./.git --exclude=./tests/data -cf - .) | tar -xf - -C "$tmp/src"
	rm -f "$tmp/src/config.status"
	src=$tmp/src
fi
export TMP=$tmp SRC=$src EBUILD=$rel
for use in "systemd" ""; do
	rm -rf "$tmp/b" && mkdir -p "$tmp/b"
	if configure_with $use; then ok "src_configure (USE=\"$use\"): configure succeeds"
	else fail "src_configure (USE=\"$use\"): configure failed"; tail -20 "$tmp/configure.out"; continue; fi
	if grep -q 'unrecognized options' "$tmp/configure.out"; then
		fail "configure does not know: $(grep 'unrecognized options' "$tmp/configure.out")"
	else
		ok "every option of the ebuild is one configure accepts: $(grep -o -- '--[a-z-]*' "$tmp/opts" | xargs)"
	fi
	unit=$(sed -n 's/^ *systemd unit: *//p' "$tmp/configure.out")
	case "$use" in
	systemd) [ "$unit" = /lib/systemd/system ] && ok "USE=systemd: the unit goes to /lib/systemd/system" || fail "USE=systemd: unit dir '$unit'" ;;
	*) [ "$unit" = no ] && ok "USE=-systemd: no unit" || fail "USE=-systemd: unit dir '$unit'" ;;
	esac
	openrc=$(printf 'include Makefile\np:\n\t@echo $(openrcdir)\n' | env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$tmp/b" -o Makefile -f - p)
	[ "$openrc" = /etc/init.d ] && ok "the OpenRC service goes to /etc/init.d" || fail "OpenRC dir '$openrc'"
	pkglibexec=$(printf 'include Makefile\np:\n\t@echo $(pkglibexecdir)\n' | env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$tmp/b" -o Makefile -f - p)
	helper=$(sed -n 's/^HELPER="\/usr\(.*\)"$/\/usr\1/p' "$rel" | sed 's/\${PN}/session-switch/g')
	[ "$helper" = "$pkglibexec/session-switch-helper" ] && ok "fowners/fperms name the installed helper $helper" ||
		fail "the ebuild's HELPER '$helper' is not $pkglibexec/session-switch-helper"
done
# USE=ddc: session-switch-ddc with libddcutil, or configure says it is off
rm -rf "$tmp/b" && mkdir -p "$tmp/b"
configure_with >/dev/null 2>&1
grep -q -- '--without-ddcutil' "$tmp/opts" && grep -q '^ *libddcutil: *no' "$tmp/configure.out" &&
	ok "USE=-ddc: --without-ddcutil, no session-switch-ddc" || fail "USE=-ddc: $(grep libddcutil "$tmp/configure.out")"
if pkg-config --exists ddcutil; then
	rm -rf "$tmp/b" && mkdir -p "$tmp/b"
	configure_with ddc >/dev/null 2>&1
	grep -q -- '--with-ddcutil' "$tmp/opts" && grep -q '^ *libddcutil: *yes' "$tmp/configure.out" &&
		ok "USE=ddc: --with-ddcutil, libddcutil found" || fail "USE=ddc: $(grep libddcutil "$tmp/configure.out")"
fi
grep -q 'fowners root:session-switch "${HELPER}"' "$rel" && grep -q 'fperms 4755 "${HELPER}"' "$rel" &&
	ok "fowners root:session-switch, fperms 4755" || fail "no fowners/fperms of the helper"
grep -q -- '--with-helper-mode=4755' "$rel" && ok "fperms and --with-helper-mode agree" || fail "fperms 4755 without --with-helper-mode=4755"
grep -q 'acct-group/session-switch$' "$rel" && [ -f "$g/acct-group/session-switch/session-switch-0.ebuild" ] &&
	ok "acct-group/session-switch: depended on and shipped" || fail "acct-group/session-switch"
grep -q 'acct-user/session-switch-x$' "$rel" && [ -f "$g/acct-user/session-switch-x/session-switch-x-0.ebuild" ] &&
	ok "acct-user/session-switch-x: depended on and shipped" || fail "acct-user/session-switch-x"
if command -v xmllint >/dev/null; then
	xmllint --noout "$g/sys-apps/session-switch/metadata.xml" && ok "metadata.xml is well-formed" || fail "metadata.xml"
fi
[ $failures -eq 0 ]
