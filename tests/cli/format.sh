#!/bin/sh
# The C sources follow .clang-format (doc/style.md): every file the project
# writes in C, but the test kernel module (kernel style, tests/kmod).
# `make format` rewrites them; this test fails on any difference.
set -u
src=${SS_SRCDIR:?run through make check}
cd "$src" || exit 1
command -v clang-format >/dev/null || { echo "FAIL: clang-format is missing (tools/install-deps installs it)"; exit 1; }
files=$(find src pam tests -name '*.[ch]' ! -path 'tests/kmod/*' | sort)
bad=0
for f in $files; do
	if ! clang-format --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "FAIL: $f is not formatted (make format)"
		bad=$((bad + 1))
	fi
done
echo "$(echo "$files" | wc -w) files checked, $bad not formatted"
[ $bad -eq 0 ]
