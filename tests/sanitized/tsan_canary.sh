#!/usr/bin/env bash
# tests/sanitized/tsan_canary.sh TSAN_BUILD: the TSan build really checks.
# Its canary (tsan_canary.cpp, a race on purpose) must be reported as a data
# race, and each suite the TSan run takes must carry TSan's runtime.
set -uo pipefail
build=$1
out=$(TSAN_OPTIONS=halt_on_error=1 "$build/tsan_canary" 2>&1)
rc=$?
if [[ $rc -eq 0 ]] || ! grep -q "ThreadSanitizer: data race" <<<"$out"; then
	echo "tsan_canary: the race on purpose was not reported (exit $rc): the build is not sanitized" >&2
	exit 1
fi
for suite in sim properties; do
	binary="$build/tests/$suite/${suite}_tests"
	# grep reads all of ldd's lines (no -q): under pipefail an early exit would fail ldd on SIGPIPE.
	if ! ldd "$binary" 2>/dev/null | grep libtsan >/dev/null; then
		echo "tsan_canary: $binary has no ThreadSanitizer runtime" >&2
		exit 1
	fi
done
echo "tsan_canary: the race on purpose was reported; sim_tests and properties_tests carry TSan"
