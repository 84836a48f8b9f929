#!/usr/bin/env bash
# bench/check_speed.sh — `bidilab check` of two builds side by side: per
# topology, N runs of each, alternating (which one goes first alternates
# too), then the median search time of each and their ratio.
#
#   bench/check_speed.sh [--runs N] [--base-flags F] [--new-flags F] [--differ]
#                        BASE_BIDILAB NEW_BIDILAB TOPOLOGY...
#
# Prints, per topology:
#   run I TOPOLOGY base=SECONDS new=SECONDS
#   median TOPOLOGY states=.. transitions=.. base=SECONDS new=SECONDS ratio=BASE/NEW
#          base_states=.. new_states=.. base_rss_mib=.. new_rss_mib=.. per_state_ratio=..
#          pair_ratio=.. base_range=MIN-MAX new_range=MIN-MAX
# SECONDS is the report's "seconds" (the exploration alone, without loading
# and printing); RSS the report's peak memory (medians); per_state_ratio the
# ratio of seconds per state (what matters when the two search different
# state spaces). On a noisy machine, pair_ratio (the median of each run's
# BASE/NEW, the two taken back to back) and the ranges show how far the
# medians can be trusted: a ratio whose pair_ratio differs much, or whose
# ranges are wide, was taken while the machine's speed changed.
# --base-flags/--new-flags are added to each build's command line (e.g.
# --new-flags '--symmetry off'). Exits 1 when the two builds
# disagree on a topology's verdict, states, transitions or depth (with
# --differ: only on the verdict, for builds that merge states differently),
# 2 on bad usage.
set -euo pipefail

runs=5 base_flags="" new_flags="" differ=0
while [[ ${1:-} == --* ]]; do
    if [[ $1 != --differ && $# -lt 2 ]]; then
        echo "check_speed: error: $1 needs a value" >&2
        exit 2
    fi
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --base-flags) base_flags=$2; shift 2 ;;
        --new-flags) new_flags=$2; shift 2 ;;
        --differ) differ=1; shift ;;
        *) echo "check_speed: error: unknown option $1" >&2; exit 2 ;;
    esac
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "check_speed: error: --runs: expected a positive integer, got '$runs'" >&2
    exit 2
fi
if [[ $# -lt 3 ]]; then
    echo "usage: bench/check_speed.sh [--runs N] [--base-flags F] [--new-flags F] [--differ] BASE_BIDILAB NEW_BIDILAB TOPOLOGY..." >&2
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

range() {  # range SECONDS...: MIN-MAX, to three decimals
    printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'
}

status=0
for topology in "$@"; do
    name=$(basename "$topology" .json)
    base_times=() new_times=() pair_ratios=() counts=() base_rss=() new_rss=() base_counts=() new_counts=()
    for ((i = 1; i <= runs; i++)); do
        order=(base new)
        ((i % 2 == 0)) && order=(new base)
        for which in "${order[@]}"; do
            bin=$base flags=$base_flags
            [[ $which == new ]] && bin=$new flags=$new_flags
            # shellcheck disable=SC2086
            report=$("$bin" check "$topology" $flags --json - 2>/dev/null) || true
            seconds=$(field seconds <<<"$report")
            rss=$(field peak_memory_bytes <<<"$report")
            line="$(field verdict <<<"$report") $(field states <<<"$report") $(field transitions <<<"$report") $(field depth <<<"$report")"
            if ((differ)); then counts+=("$which $(field verdict <<<"$report")"); else counts+=("$which $line"); fi
            if [[ $which == base ]]; then
                base_times+=("$seconds") base_rss+=("$rss") base_counts+=("$line")
            else
                new_times+=("$seconds") new_rss+=("$rss") new_counts+=("$line")
            fi
        done
        echo "run $i $name base=${base_times[-1]} new=${new_times[-1]}"
        pair_ratios+=("$(awk -v b="${base_times[-1]}" -v n="${new_times[-1]}" 'BEGIN { print (n > 0) ? b / n : 0 }')")
    done
    distinct=$(printf '%s\n' "${counts[@]}" | cut -d' ' -f2- | sort -u)
    if [[ $(wc -l <<<"$distinct") -ne 1 ]]; then
        echo "check_speed: error: $name: the builds disagree: $(tr '\n' ';' <<<"$distinct")" >&2
        status=1
    fi
    read -r _verdict base_states transitions _depth <<<"${base_counts[0]}"
    read -r _verdict new_states transitions _depth <<<"${new_counts[0]}"
    b=$(printf '%s\n' "${base_times[@]}" | median)
    n=$(printf '%s\n' "${new_times[@]}" | median)
    br=$(printf '%s\n' "${base_rss[@]}" | median)
    nr=$(printf '%s\n' "${new_rss[@]}" | median)
    echo "median $name states=$new_states transitions=$transitions base=$b new=$n ratio=$(awk -v b="$b" -v n="$n" 'BEGIN { printf "%.2f", b / n }')" \
         "base_states=$base_states new_states=$new_states" \
         "base_rss_mib=$(awk -v r="$br" 'BEGIN { printf "%.1f", r / 1048576 }') new_rss_mib=$(awk -v r="$nr" 'BEGIN { printf "%.1f", r / 1048576 }')" \
         "per_state_ratio=$(awk -v b="$b" -v n="$n" -v bs="$base_states" -v ns="$new_states" 'BEGIN { printf "%.2f", (b / bs) / (n / ns) }')" \
         "pair_ratio=$(printf '%s\n' "${pair_ratios[@]}" | median | awk '{ printf "%.2f", $1 }')" \
         "base_range=$(range "${base_times[@]}") new_range=$(range "${new_times[@]}")"
done
exit $status
