#!/usr/bin/env bash
# check_speed_test.sh SOURCE_DIR BIDILAB: bench/check_speed.sh takes its
# medians, ratios, pair ratio and ranges as its header says (two fake builds
# that report set seconds), tells two real runs that disagree (exit 1), and
# refuses bad usage (exit 2).
set -euo pipefail
src=$1 bidilab=$2
script=$src/bench/check_speed.sh
topology=$src/topologies/capulet-montague.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_speed_test: FAIL: $*" >&2; exit 1; }

# fake NAME SECONDS...: a "build" whose k-th check reports the k-th seconds.
fake() {
    local name=$1
    shift
    printf '%s\n' "$@" > "$tmp/$name.times"
    cat > "$tmp/$name" <<SCRIPT
#!/usr/bin/env bash
n=\$(( \$(cat "$tmp/$name.count" 2>/dev/null || echo 0) + 1 ))
echo "\$n" > "$tmp/$name.count"
printf '{\n  "depth": 3,\n  "peak_memory_bytes": 2097152,\n  "seconds": %s,\n  "states": 10,\n  "transitions": 12,\n  "verdict": "pass"\n}\n' "\$(sed -n "\${n}p" "$tmp/$name.times")"
SCRIPT
    chmod +x "$tmp/$name"
}
# Runs alternate which build goes first, but each build's k-th check is its k-th run:
# pairs (1.0, 0.5), (3.0, 1.5), (2.0, 4.0).
fake base 1.0 3.0 2.0
fake new 0.5 1.5 4.0
out=$("$script" --runs 3 "$tmp/base" "$tmp/new" "$topology") || fail "fake builds: exit $?"
median=$(grep '^median ' <<<"$out") || fail "no median line in: $out"
for want in "base=2.0 " "new=1.5 " "ratio=1.33 " "per_state_ratio=1.33 " "pair_ratio=2.00 " \
            "base_range=1.000-3.000 " "new_range=0.500-4.000" "base_rss_mib=2.0 " "states=10 "; do
    [[ "$median " == *"$want"* ]] || fail "expected '$want' in: $median"
done

# Two runs of the real program that search different spaces disagree.
set +e
"$script" --runs 1 --new-flags '--max-states 20' "$bidilab" "$bidilab" "$topology" > "$tmp/out" 2> "$tmp/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "builds that disagree: exit $status, want 1"
grep -q "disagree" "$tmp/err" || fail "no 'disagree' in: $(cat "$tmp/err")"
# And agree with themselves.
"$script" --runs 1 "$bidilab" "$bidilab" "$topology" > "$tmp/out" || fail "the same build twice: exit $?"
grep -q '^median .* ratio=' "$tmp/out" || fail "no median line for the real program: $(cat "$tmp/out")"

# Bad usage.
for args in "" "--runs" "--runs 0 a b c" "--bogus a b c" "$bidilab $bidilab"; do
    set +e
    # shellcheck disable=SC2086
    "$script" $args > /dev/null 2>&1
    status=$?
    set -e
    [ "$status" -eq 2 ] || fail "check_speed.sh $args: exit $status, want 2"
done
echo "check_speed_test: ok"
