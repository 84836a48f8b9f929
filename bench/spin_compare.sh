#!/usr/bin/env bash
# bench/spin_compare.sh — the handshake model explored by bidilab and by SPIN,
# side by side, on this machine, in one command.
#
#   bench/spin_compare.sh [--runs N] [--build-dir DIR] [--pml FILE] [--bench PROGRAM]
#
# Builds bidilab-bench-handshake with CMake into the repository's build/ (a
# no-op when it is up to date), and SPIN's verifier from handshake.pml in a
# temporary directory (spin -a; gcc -O2 -DSAFETY -DNOREDUCE; ./pan -m100000
# -w26: exhaustive depth-first search, SPIN's default and fastest mode, no
# partial-order reduction). --bench PROGRAM skips the CMake build and runs
# PROGRAM instead (another build of bidilab-bench-handshake, e.g. against a
# modified sim/). Then runs the two back to back, alternating, N
# times (default 5), each under /usr/bin/time -v, and prints on stdout:
#
#   run I TOOL states=.. transitions=.. seconds=.. states_per_s=.. bytes_per_state=.. peak_rss_mib=..
#   median TOOL states=.. transitions=.. seconds=.. states_per_s=.. bytes_per_state=.. peak_rss_mib=..
#   dfs bidilab states=.. transitions=.. seconds=.. same_counts_as_bfs=yes|no
#   counts bidilab=.. spin=.. spin_startup_states=.. bidilab_transitions=.. spin_transitions=..
#   ratio states_per_s=X memory=Y        (always the last line: bidilab over SPIN, medians)
#
# TOOL is bidilab (breadth-first, its default) or spin. seconds is each tool's
# own search time (bidilab: the explorer's report; SPIN: "pan: elapsed
# time"). peak_rss_mib is "Maximum resident set size" from /usr/bin/time for
# both tools. bytes_per_state: bidilab's visited set plus parent log over
# states; SPIN's "total actual memory usage" over states stored.
# Exit status: 0 when both ran and the counts agree; 1 on any error (one line
# on stderr, starting "spin_compare: error:").
set -euo pipefail

die() { echo "spin_compare: error: $*" >&2; exit 1; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
build_dir="$repo/build"
pml="$repo/../shared/bench/handshake.pml"  # shared/ sits beside the checkout
bench=""

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs="$2"; shift 2 ;;
        --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build_dir="$2"; shift 2 ;;
        --pml) [ $# -ge 2 ] || die "--pml needs a value"; pml="$2"; shift 2 ;;
        --bench) [ $# -ge 2 ] || die "--bench needs a value"; bench="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"

# Tools.
if ! command -v spin >/dev/null 2>&1; then
    echo "spin_compare: installing spin (Debian package)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin; } >/dev/null 2>&1 || true
    command -v spin >/dev/null 2>&1 || die "spin not found in PATH and apt-get install spin failed"
fi
command -v gcc >/dev/null 2>&1 || die "gcc not found in PATH"
command -v cmake >/dev/null 2>&1 || die "cmake not found in PATH"
[ -f "$pml" ] || die "Promela model not found: $pml"
if [ ! -x /usr/bin/time ]; then
    echo "spin_compare: installing GNU time (/usr/bin/time)" >&2
    { apt-get update -qq && apt-get install -y -qq time; } >/dev/null 2>&1 || true
    [ -x /usr/bin/time ] || die "/usr/bin/time is missing and apt-get install time failed"
fi

work="$(mktemp -d /tmp/spin_compare.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Build bidilab's bench (configure only if build/ has never been configured),
# unless --bench names a program to run instead.
if [ -n "$bench" ]; then
    [ -x "$bench" ] || die "--bench $bench is not an executable"
else
    bench="$build_dir/bench/bidilab-bench-handshake"
    echo "spin_compare: building bidilab-bench-handshake in $build_dir" >&2
    if [ ! -f "$build_dir/CMakeCache.txt" ]; then
        cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 || {
            cp "$work/configure.log" /tmp/spin_compare.configure.log
            die "cmake configure of $repo failed (log: /tmp/spin_compare.configure.log)"
        }
    fi
    cmake --build "$build_dir" --target bidilab-bench-handshake -j "$(nproc)" >"$work/build.log" 2>&1 || {
        cp "$work/build.log" /tmp/spin_compare.build.log
        die "build of bidilab-bench-handshake failed (log: /tmp/spin_compare.build.log)"
    }
    [ -x "$bench" ] || die "build produced no $bench"
fi

# Build SPIN's verifier.
echo "spin_compare: building SPIN's pan from $pml" >&2
mkdir -p "$work/spin"
cp "$pml" "$work/spin/model.pml"
(cd "$work/spin" && spin -a model.pml >spin.log 2>&1) || die "spin -a $pml failed"
(cd "$work/spin" && gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c >gcc.log 2>&1) || die "gcc failed to build SPIN's pan.c"

# field NAME FILE: the value of the first line "NAME value" of our output.
field() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
maxrss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024; exit }' "$1"; }

run_bidilab() {  # run_bidilab I [extra args]: appends a "run" line to $work/bidilab.runs
    local i="$1"; shift
    local out="$work/bidilab.out" tim="$work/bidilab.time"
    /usr/bin/time -v -o "$tim" "$bench" "$@" >"$out" 2>"$work/bidilab.err" ||
        die "bidilab-bench-handshake failed (exit $?): $(head -c 200 "$work/bidilab.err" "$out" | tr '\n' ' ')"
    [ "$(field verdict "$out")" = pass ] || die "bidilab reports verdict '$(field verdict "$out")'"
    local states transitions seconds sps bps rss
    states="$(field states "$out")"; transitions="$(field transitions "$out")"
    seconds="$(field seconds "$out")"; sps="$(field states_per_s "$out")"
    bps="$(field bytes_per_state "$out")"; rss="$(maxrss_mib "$tim")"
    [ -n "$states" ] && [ -n "$seconds" ] && [ -n "$rss" ] || die "cannot parse bidilab's output"
    echo "states=$states transitions=$transitions seconds=$seconds states_per_s=$sps bytes_per_state=$bps peak_rss_mib=$rss"
}

run_spin() {
    local out="$work/spin.out" tim="$work/spin.time"
    (cd "$work/spin" && /usr/bin/time -v -o "$tim" ./pan -m100000 -w26 >"$out" 2>&1) ||
        die "SPIN's pan failed: $(tail -c 200 "$out" | tr '\n' ' ')"
    grep -q "errors: 0" "$out" || die "SPIN reports errors: $(grep -m1 'errors:' "$out")"
    local states transitions seconds mem sps bps rss
    states="$(awk '/states, stored$/ { print $1; exit }' "$out")"
    transitions="$(awk '/transitions \(= stored\+matched\)/ { print $1; exit }' "$out")"
    seconds="$(awk '/^pan: elapsed time/ { print $4; exit }' "$out")"
    mem="$(awk '/total actual memory usage/ { print $1; exit }' "$out")"
    rss="$(maxrss_mib "$tim")"
    [ -n "$states" ] && [ -n "$transitions" ] && [ -n "$seconds" ] && [ -n "$mem" ] && [ -n "$rss" ] ||
        die "cannot parse SPIN's output"
    sps="$(awk -v n="$states" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')"
    bps="$(awk -v m="$mem" -v n="$states" 'BEGIN { printf "%.2f", m * 1048576 / n }')"
    echo "states=$states transitions=$transitions seconds=$seconds states_per_s=$sps bytes_per_state=$bps peak_rss_mib=$rss"
}

: >"$work/runs"
for i in $(seq "$runs"); do
    echo "spin_compare: run $i of $runs" >&2
    line="$(run_bidilab "$i")"; echo "run $i bidilab $line" | tee -a "$work/runs"
    line="$(run_spin)"; echo "run $i spin $line" | tee -a "$work/runs"
done

# median TOOL KEY: the median over the runs (the lower middle one for an even count).
median() {
    grep "^run [0-9]* $1 " "$work/runs" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }' |
        sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
keys="states transitions seconds states_per_s bytes_per_state peak_rss_mib"
for tool in bidilab spin; do
    line="median $tool"
    for k in $keys; do line="$line $k=$(median "$tool" "$k")"; done
    echo "$line"
done

# Our depth-first order must find the same state space.
echo "spin_compare: bidilab --dfs" >&2
dfs="$(run_bidilab 0 --dfs)"
dfs_states="$(echo "$dfs" | tr ' ' '\n' | awk -F= '$1 == "states" { print $2 }')"
dfs_transitions="$(echo "$dfs" | tr ' ' '\n' | awk -F= '$1 == "transitions" { print $2 }')"
dfs_seconds="$(echo "$dfs" | tr ' ' '\n' | awk -F= '$1 == "seconds" { print $2 }')"
ours_states="$(median bidilab states)"; ours_transitions="$(median bidilab transitions)"
spin_states="$(median spin states)"; spin_transitions="$(median spin transitions)"
same=no
[ "$dfs_states" = "$ours_states" ] && [ "$dfs_transitions" = "$ours_transitions" ] && same=yes
echo "dfs bidilab states=$dfs_states transitions=$dfs_transitions seconds=$dfs_seconds same_counts_as_bfs=$same"

# SPIN's depth-first search stores one start-up state (only `init` alive) and
# counts two start-up transitions; see bench/handshake_model.hpp.
echo "counts bidilab=$ours_states spin=$spin_states spin_startup_states=$((spin_states - ours_states))" \
     "bidilab_transitions=$ours_transitions spin_transitions=$spin_transitions"
status=0
if [ "$same" != yes ]; then
    echo "spin_compare: error: bidilab's BFS and DFS counts differ" >&2; status=1
elif [ $((spin_states - ours_states)) -ne 1 ] || [ $((spin_transitions - ours_transitions)) -ne 2 ]; then
    echo "spin_compare: error: counts differ from SPIN's beyond its start-up (1 state, 2 transitions)" >&2; status=1
fi

awk -v a="$(median bidilab states_per_s)" -v b="$(median spin states_per_s)" \
    -v c="$(median bidilab peak_rss_mib)" -v d="$(median spin peak_rss_mib)" \
    'BEGIN { printf "ratio states_per_s=%.2f memory=%.3f\n", a / b, c / d }'
exit "$status"
