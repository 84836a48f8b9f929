#!/usr/bin/env bash
# bench/parallel_ceiling.sh — how much two cores of this machine can give
# `bidilab check` at all, beside what `--threads 2` gets of it.
#
#   bench/parallel_ceiling.sh [--runs N] BIDILAB TOPOLOGY [CHECK_FLAGS...]
#
# Per round (N rounds, the order inside a round alternating), three runs of
# `BIDILAB check TOPOLOGY CHECK_FLAGS --json F`:
#   alone    one process, --threads 1, nothing else of ours running;
#   pair     two such processes started together (independent: nothing
#            shared, no synchronization); each one's seconds, averaged;
#   threads  one process, --threads 2.
# Then the medians, and
#   ceiling = 2 * alone / pair      the throughput two independent copies
#                                   get over one: what any parallel search
#                                   of this work can get here at best;
#   threads = alone / threads       what --threads 2 gets.
# Seconds are the report's (the search alone). On a machine with two real
# cores the ceiling is near 2; where two vCPUs share one core's execution
# units (hyperthreads of one core, or a host that schedules them on one),
# it is far lower, and no thread count can beat it. Exits 2 on bad usage,
# 1 when a run fails or the runs disagree on states.
set -euo pipefail

runs=5
while [[ ${1:-} == --* ]]; do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --help|-h) sed -n 2,24p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "parallel_ceiling: error: unknown option $1" >&2; exit 2 ;;
    esac
done
if [[ $# -lt 2 ]]; then
    echo "usage: bench/parallel_ceiling.sh [--runs N] BIDILAB TOPOLOGY [CHECK_FLAGS...]" >&2
    exit 2
fi
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "parallel_ceiling: error: --runs must be a positive integer, not '$runs'" >&2; exit 2; }
bidilab=$1 topology=$2
shift 2
[[ -x $bidilab ]] || { echo "parallel_ceiling: error: $bidilab: not an executable" >&2; exit 2; }
[[ -r $topology ]] || { echo "parallel_ceiling: error: $topology: cannot read it" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

field() {  # field NAME FILE: a top-level number of a JSON report
    python3 -c 'import json,sys; print(json.load(open(sys.argv[2]))[sys.argv[1]])' "$1" "$2"
}
check() {  # check OUT THREADS FLAGS...: one run; its exit code 0 or 1 (a verdict) is fine
    local out=$1 n=$2 rc=0
    shift 2
    "$bidilab" check "$topology" "$@" --threads "$n" --json "$out" >/dev/null 2>"$out.err" || rc=$?
    if [[ $rc -gt 1 ]]; then
        echo "parallel_ceiling: error: check exited $rc: $(head -1 "$out.err")" >&2
        exit 1
    fi
}
run_alone() { check "$tmp/alone.json" 1 "${flags[@]}"; alone+=("$(field seconds "$tmp/alone.json")"); }
run_threads() { check "$tmp/threads.json" 2 "${flags[@]}"; threads+=("$(field seconds "$tmp/threads.json")"); }
run_pair() {
    check "$tmp/p1.json" 1 "${flags[@]}" &
    local first=$!
    check "$tmp/p2.json" 1 "${flags[@]}" &
    local second=$!
    wait "$first" || exit 1
    wait "$second" || exit 1
    pair+=("$(python3 -c 'import sys; print((float(sys.argv[1]) + float(sys.argv[2])) / 2)' \
        "$(field seconds "$tmp/p1.json")" "$(field seconds "$tmp/p2.json")")")
}

flags=("$@")
alone=() pair=() threads=()
for ((i = 1; i <= runs; ++i)); do
    if ((i % 2)); then run_alone; run_pair; run_threads
    else run_threads; run_pair; run_alone; fi
    echo "run $i alone=${alone[-1]} pair=${pair[-1]} threads=${threads[-1]}"
done
states=$(field states "$tmp/alone.json")
for f in p1 p2 threads; do
    if [[ $(field states "$tmp/$f.json") != "$states" ]]; then
        echo "parallel_ceiling: error: the runs disagree on states" >&2
        exit 1
    fi
done
python3 - "$topology" "$states" "${alone[*]}" "${pair[*]}" "${threads[*]}" <<'EOF'
import statistics, sys
topology, states = sys.argv[1], sys.argv[2]
alone, pair, threads = (statistics.median(map(float, a.split())) for a in sys.argv[3:6])
print(f"median {topology} states={states} alone={alone:.3f} pair={pair:.3f} threads={threads:.3f} "
      f"ceiling={2 * alone / pair:.2f} threads_ratio={alone / threads:.2f}")
EOF
