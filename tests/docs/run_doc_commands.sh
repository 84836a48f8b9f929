#!/usr/bin/env bash
# tests/docs/run_doc_commands.sh SOURCE_DIR BIDILAB
# Runs every `build/bidilab ...` (and `mkdir -p build/...`) line of the ```sh
# blocks in docs/*.md, in a scratch folder laid out like the repository
# (topologies/ and tests/ linked in, build/bidilab linked to BIDILAB), and
# checks each exit code: 0, or the one a trailing `# exit N` comment names.
# The commands write into build/, never over the repository's files. Then
# every picture a page links (img/...) must be what those commands drew into
# build/docs/img/, byte for byte the same as the copy in docs/img/.
# UPDATE_DOCS=1 copies what they drew over docs/img/ instead of comparing.
set -uo pipefail
src=$(cd "${1:?source dir}" && pwd)
bidilab=$(realpath "${2:?bidilab binary}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build"
ln -s "$src/topologies" "$work/topologies"
ln -s "$src/tests" "$work/tests"
ln -s "$bidilab" "$work/build/bidilab"

passed=0 failed=0 updated=0
for page in "$src"/docs/*.md; do
    in_sh=0
    while IFS= read -r line; do
        case "$line" in
            '```sh') in_sh=1; continue ;;
            '```') in_sh=0; continue ;;
        esac
        [ "$in_sh" = 1 ] || continue
        case "$line" in build/bidilab*|"mkdir -p build/"*) ;; *) continue ;; esac
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
    # Every picture the page links: drawn by those commands, and the committed copy is that drawing.
    for img in $(grep -oE '\(img/[^)]*\.(svg|png)\)' "$page" | tr -d '()' | sort -u); do
        drawn="$work/build/docs/$img" kept="$src/docs/$img"
        if ! grep -q '<svg\|<?xml\|PNG' <(head -c 200 "$drawn" 2>/dev/null); then  # head's SIGPIPE is not grep's status
            failed=$((failed + 1))
            echo "FAIL $(basename "$page"): links $img, which no command drew (into build/docs/$img)"
        elif [ "${UPDATE_DOCS:-0}" = 1 ]; then
            cmp -s "$drawn" "$kept" || { mkdir -p "$(dirname "$kept")"; cp "$drawn" "$kept"; updated=$((updated + 1)); }
            passed=$((passed + 1))
        elif cmp -s "$drawn" "$kept"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $(basename "$page"): docs/$img is not what its command draws now (UPDATE_DOCS=1 to redraw)"
        fi
    done
done
[ "${UPDATE_DOCS:-0}" = 1 ] && echo "$updated picture(s) copied into docs/img/"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
