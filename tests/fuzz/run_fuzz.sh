#!/usr/bin/env bash
# tests/fuzz/run_fuzz.sh SANITIZED_BUILD SOURCE_DIR TARGET SECONDS
# Replays every regression input of TARGET (tests/fuzz/regressions/TARGET/),
# then fuzzes it for SECONDS (at most 500,000 executions) from a corpus seeded
# with the repository's own files of that kind, with tests/fuzz/xmpp.dict.
# Any crash, sanitizer report, leak, timeout (10 s an input) or out-of-memory
# (2 GiB) fails, and the input is kept in SANITIZED_BUILD/fuzz-findings/ to be
# added to regressions/. The last line says what ran.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
target=$3
seconds=$4
binary="$build/tests/fuzz/fuzz_$target"
[ -x "$binary" ] || { echo "run_fuzz: no $binary (tests/fuzz/sanitized_build.sh builds it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
findings="$build/fuzz-findings/$target"
mkdir -p "$work/corpus" "$findings"

# Seeds: the repository's files of the kind the target reads.
case $target in
	topology|check)
		cp "$src"/topologies/*.json "$src"/topologies/mutants/*.json "$src"/topologies/federations/*.json "$work/corpus/"
		find "$src/tests/topologies" -name '*.json' -exec cp -t "$work/corpus/" {} + ;;
	wirelog)
		find "$src/tests/capture" "$src/tests/validate" -name '*.log' -exec cp -t "$work/corpus/" {} + ;;
	schedule)
		cp "$src"/tests/fuzz/seeds/schedule/* "$work/corpus/" ;;
	*) echo "run_fuzz: unknown target '$target'" >&2; exit 2 ;;
esac
seeds=$(find "$work/corpus" -type f | wc -l)

regressions="$src/tests/fuzz/regressions/$target"
replayed=0
if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
	replayed=$(find "$regressions" -type f | wc -l)
	"$binary" -timeout=10 -rss_limit_mb=2048 "$regressions"/* > "$work/replay.txt" 2>&1 || {
		tail -30 "$work/replay.txt" >&2
		echo "run_fuzz: $target: a regression input fails again" >&2
		exit 1
	}
fi

# The seeds differ in size (a wire log may be 60 KB): let the fuzzer go a little past the largest.
max_len=$(find "$work/corpus" -type f -printf '%s\n' | sort -n | tail -1)
max_len=$(( max_len < 4096 ? 4096 : max_len + 1024 ))
if ! "$binary" -max_total_time="$seconds" -runs=500000 -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
		-dict="$src/tests/fuzz/xmpp.dict" -artifact_prefix="$findings/" -print_final_stats=1 \
		"$work/corpus" > "$work/fuzz.txt" 2>&1; then
	tail -40 "$work/fuzz.txt" >&2
	echo "run_fuzz: $target: FINDING, kept in $findings/ (add it to tests/fuzz/regressions/$target/)" >&2
	exit 1
fi
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/fuzz.txt" | grep -oE '[0-9]+$' || echo "?")
corpus=$(find "$work/corpus" -type f | wc -l)
echo "run_fuzz: $target: $replayed regression input(s) replayed; $runs executions in at most ${seconds}s from $seeds seeds; corpus now $corpus inputs; no finding"
