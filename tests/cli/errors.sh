#!/bin/sh
# Usage and configuration errors: documented exit codes, clear messages,
# JSON errors when --json was asked for.
. "${SS_SRCDIR:-.}/tests/cli/lib.sh"

run seed
expect_rc 2
expect_err "Usage: session-switch"
run seed frobnicate
expect_rc 2
expect_err "unknown command 'frobnicate'"
run seed plan
expect_rc 2
expect_err "plan vm, or plan host"
run seed plan mixed
expect_rc 2
run seed status extra
expect_rc 2
expect_err "unexpected argument 'extra'"
run seed --no-such-option status
expect_rc 2
# --json answers JSON whatever went wrong
for a in "plan" "plan mixed" "frobnicate" "status extra" "setup --dry-run --undo" "--wait 5 status" "vm --bogus"; do
	run seed --json $a
	expect_rc 2
	expect_jq '.exit' 2
	expect_jq '.error | length > 0' true
done
run seed --help
expect_rc 0
expect_out "Exit status:"
expect_out "6  busy"

printf '[vm]\ndevice = 01:00.0\n' >"$TMP/bad.conf"
run seed --config "$TMP/bad.conf" status
expect_rc 3
expect_err "$TMP/bad.conf:2: unknown key 'device' in [vm] (did you mean 'devices'?)"
run seed --config "$TMP/bad.conf" --json status
expect_rc 3
expect_jq '.exit' 3
expect_jq '.error | test("did you mean")' true

printf '[vm]\ndevices = 0000:04:00.0\n' >"$TMP/nvme.conf"
run seed --config "$TMP/nvme.conf" plan vm
expect_rc 3
expect_err "0000:04:00.0"

run seed --config "$TMP/missing.conf" status
expect_rc 3
expect_err "missing.conf: No such file or directory"

# the switch's options, before or after the verb; nothing else
for a in "vm --bogus" "host --wait" "recover --wait 5 --frob" "vm /etc/passwd"; do
	"$SS" $a >"$TMP/out" 2>"$TMP/err"; rc=$?
	out=$TMP/out err=$TMP/err
	expect_rc 2
	expect_err "unexpected argument"
done
# play takes --detach (the "Windows VM" session's way): what follows it is
# the argument refused
"$SS" play win10 --detach --frob >"$TMP/out" 2>"$TMP/err"; rc=$?
out=$TMP/out err=$TMP/err
expect_rc 2
expect_err "play: unexpected argument '--frob'"
"$SS" --detach status >"$TMP/out" 2>"$TMP/err"; rc=$?
out=$TMP/out err=$TMP/err
expect_rc 2
expect_err "--detach goes with vm, host or play"
"$SS" --detach recover >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_rc 2
expect_err "--detach goes with vm, host or play"

"$SS" --sysroot "$TMP/nowhere" status >"$TMP/out" 2>"$TMP/err"; rc=$?
out=$TMP/out err=$TMP/err
expect_rc 1
expect_err "$TMP/nowhere"
finish
