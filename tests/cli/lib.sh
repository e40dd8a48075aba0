# Helpers for the command-line tests: run the built session-switch on a
# recorded tree and check its exit code, output and JSON.
set -u
SS="${SS_BUILDDIR:?run through make check}/src/cli/session-switch"
DATA="${SS_TESTDATA:?run through make check}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

# run FIXTURE ARGS...: sets $rc, $out (stdout file), $err (stderr file)
run() {
	fixture=$1; shift
	out="$TMP/out" err="$TMP/err"
	"$SS" --sysroot "$DATA/$fixture" "$@" >"$out" 2>"$err"
	rc=$?
}

fail() {
	echo "FAIL: $*"
	echo "  --- stdout"; sed 's/^/  | /' "$out"
	echo "  --- stderr"; sed 's/^/  | /' "$err"
	failures=$((failures + 1))
}

expect_rc() { [ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc"; }
expect_out() { grep -qF -- "$1" "$out" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$err" || fail "stderr lacks: $1"; }
expect_no_out() { ! grep -qF -- "$1" "$out" || fail "stdout should not contain: $1"; }
expect_empty_err() { [ ! -s "$err" ] || fail "expected nothing on stderr"; }
# expect_jq FILTER EXPECTED: jq -r FILTER on stdout prints exactly EXPECTED
expect_jq() {
	got=$(jq -r "$1" "$out" 2>&1) || { fail "stdout is not JSON for $1: $got"; return; }
	[ "$got" = "$2" ] || fail "jq '$1': expected '$2', got '$got'"
}

finish() {
	[ "$failures" -eq 0 ] && { echo "all checks passed"; exit 0; }
	echo "$failures check(s) failed"
	exit 1
}
