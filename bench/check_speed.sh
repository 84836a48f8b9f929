#!/usr/bin/env bash
# bench/check_speed.sh — `bidilab check` of two builds side by side: per
# topology, N runs of each, alternating (which one goes first alternates
# too), then the median search time of each and their ratio.
#
#   bench/check_speed.sh [--runs N] BASE_BIDILAB NEW_BIDILAB TOPOLOGY...
#
# Prints, per topology:
#   run I TOPOLOGY base=SECONDS new=SECONDS
#   median TOPOLOGY states=.. transitions=.. base=SECONDS new=SECONDS ratio=BASE/NEW
# SECONDS is the report's "seconds" (the exploration alone, without loading
# and printing). Exits 1 when the two builds disagree on a topology's verdict,
# states, transitions or depth, 2 on bad usage.
set -euo pipefail

runs=5
if [[ ${1:-} == --runs ]]; then
    runs=$2
    shift 2
fi
if [[ $# -lt 3 ]]; then
    echo "usage: bench/check_speed.sh [--runs N] BASE_BIDILAB NEW_BIDILAB TOPOLOGY..." >&2
    exit 2
fi
base=$1 new=$2
shift 2

field() {  # field NAME < report: the value of a top-level scalar of the JSON report
    sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" | head -n 1
}

median() {  # the median of the numbers on stdin
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

status=0
for topology in "$@"; do
    name=$(basename "$topology" .json)
    base_times=() new_times=() counts=()
    for ((i = 1; i <= runs; i++)); do
        order=(base new)
        ((i % 2 == 0)) && order=(new base)
        for which in "${order[@]}"; do
            bin=$base
            [[ $which == new ]] && bin=$new
            report=$("$bin" check "$topology" --json - 2>/dev/null) || true
            seconds=$(field seconds <<<"$report")
            counts+=("$which $(field verdict <<<"$report") $(field states <<<"$report") $(field transitions <<<"$report") $(field depth <<<"$report")")
            if [[ $which == base ]]; then base_times+=("$seconds"); else new_times+=("$seconds"); fi
        done
        echo "run $i $name base=${base_times[-1]} new=${new_times[-1]}"
    done
    distinct=$(printf '%s\n' "${counts[@]}" | cut -d' ' -f2- | sort -u)
    if [[ $(wc -l <<<"$distinct") -ne 1 ]]; then
        echo "check_speed: error: $name: the builds disagree: $(tr '\n' ';' <<<"$distinct")" >&2
        status=1
    fi
    read -r _verdict states transitions _depth <<<"$(head -n 1 <<<"$distinct")"
    b=$(printf '%s\n' "${base_times[@]}" | median)
    n=$(printf '%s\n' "${new_times[@]}" | median)
    echo "median $name states=$states transitions=$transitions base=$b new=$n ratio=$(awk -v b="$b" -v n="$n" 'BEGIN { printf "%.2f", b / n }')"
done
exit $status
