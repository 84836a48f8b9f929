#!/usr/bin/env bash
# tests/docs/run_doc_commands.sh SOURCE_DIR BIDILAB
# Runs every `build/bidilab ...` line of the ```sh blocks in docs/*.md, in a
# scratch folder laid out like the repository (topologies/, tests/ and
# build/bidilab linked in), and checks each exit code: 0, or the one a
# trailing `# exit N` comment names. Then checks that every picture a page
# links (img/....svg) was drawn by those commands.
set -uo pipefail
src=${1:?source dir}
bidilab=${2:?bidilab binary}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build" "$work/docs/img"
ln -s "$src/topologies" "$work/topologies"
ln -s "$src/tests" "$work/tests"
ln -s "$bidilab" "$work/build/bidilab"

passed=0 failed=0
for page in "$src"/docs/*.md; do
    in_sh=0
    while IFS= read -r line; do
        case "$line" in
            '```sh') in_sh=1; continue ;;
            '```') in_sh=0; continue ;;
        esac
        [ "$in_sh" = 1 ] || continue
        case "$line" in build/bidilab*) ;; *) continue ;; esac
        cmd=${line%%#*}
        want=0
        if [[ "$line" =~ \#\ exit\ ([0-9]+) ]]; then want=${BASH_REMATCH[1]}; fi
        (cd "$work" && bash -c "$cmd" >/dev/null 2>"$work/stderr")
        got=$?
        if [ "$got" = "$want" ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $(basename "$page"): '$cmd' exited $got, expected $want: $(head -c 300 "$work/stderr")"
        fi
    done < "$page"
    # Every picture the page links must have been drawn.
    for img in $(grep -o '(img/[^)]*\.svg)' "$page" | tr -d '()' | sort -u); do
        if head -c 200 "$work/docs/$img" 2>/dev/null | grep -q '<svg\|<?xml'; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $(basename "$page"): links $img, which no command drew"
        fi
    done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
