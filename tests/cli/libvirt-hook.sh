#!/bin/sh
# The libvirt qemu hook: called with the arguments libvirtd passes
# (https://libvirt.org/hooks.html) and the domain XML on stdin.  Only
# prepare/begin and release/end of a [libvirt] domains domain switch.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

printf '[libvirt]\ndomains = win10 win11\n' >"$TMP/lv.conf"
printf '<domain type="kvm"><name>win10</name></domain>\n' >"$TMP/dom.xml"
hook() { run seed --config "$TMP/lv.conf" libvirt-hook "$@" <"$TMP/dom.xml"; }

hook win10 prepare begin -
expect_rc 0
expect_out "libvirt-hook: win10 prepare/begin: would switch to vm"
hook win11 release end -
expect_rc 0
expect_out "libvirt-hook: win11 release/end: would switch to host"
# every other operation of a named domain, and every operation of an
# unnamed one, does nothing
for a in "start begin -" "started begin -" "stopped end -" "migrate begin -" "restore begin -" \
	"reconnect begin -" "attach begin -"; do
	hook win10 $a
	expect_rc 0
	[ ! -s "$out" ] || fail "win10 $a printed something"
	expect_empty_err
done
for a in "prepare begin -" "release end -"; do
	hook linux $a
	expect_rc 0
	[ ! -s "$out" ] || fail "linux $a printed something"
	expect_empty_err
done
hook win10 prepare
expect_rc 2
expect_err "libvirt-hook takes DOMAIN OPERATION SUB-OPERATION [EXTRA]"

printf '[libvirt]\ndomains = win10 win10\n' >"$TMP/bad.conf"
run seed --config "$TMP/bad.conf" libvirt-hook win10 prepare begin - <"$TMP/dom.xml"
expect_rc 3
expect_err "$TMP/bad.conf:2: [libvirt] domains: win10 is listed twice"
printf '[libvirt]\ndomains = a/b\n' >"$TMP/bad.conf"
run seed --config "$TMP/bad.conf" libvirt-hook a prepare begin - <"$TMP/dom.xml"
expect_rc 3
expect_err "$TMP/bad.conf:2: [libvirt] domains: \"a/b\" is not a libvirt domain name"
finish
