#!/usr/bin/env bash
# install_test.sh BUILD_DIR: `cmake --install` into a temporary prefix puts the
# program, its man page and its bash completion in place, and the completion
# completes what --help lists.
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
bin=$prefix/bin/bidilab man=$prefix/share/man/man1/bidilab.1 comp=$prefix/share/bash-completion/completions/bidilab
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "no $bin"
[ -s "$man" ] || fail "no man page at $man (help2man missing? .ci/setup installs it)"
[ -s "$comp" ] || fail "no bash completion at $comp"
top=$("$bin" --help)
# Here-strings, not `printf | ...`: a reader that stops early (awk's exit,
# grep -q) can kill a printf still writing, and pipefail counts that.
commands=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' <<< "$top")
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "bidilab --help lists too few commands: $commands"
for c in $commands; do
	grep -q "^bidilab $c\$" "$man" || fail "the man page has no section for '$c'"
	help=$("$bin" "$c" --help)
	for o in $(printf '%s\n' "$help" | grep -oE '^  --[a-z-]+' | sed 's/^ *//'); do
		grep -q -- "$o" "$man" || fail "the man page lacks $c $o"
	done
done
# complete LINE...: what the completion offers for the words given (the last one being typed)
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _bidilab; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
[ "$(complete_words bidilab ch)" = check ] || fail "'bidilab ch' does not complete to check"
[ "$(complete_words bidilab check --sym)" = --symmetry ] || fail "'check --sym' does not complete to --symmetry"
[ "$(complete_words bidilab check --por '' | sort | tr '\n' ' ')" = "off on " ] || fail "'check --por' does not offer on/off"
[ "$(complete_words bidilab help --a)" = --all ] || fail "'help --a' does not complete to --all"
for c in $commands; do
	offered=$(complete_words bidilab "$c" --)
	for o in $("$bin" "$c" --help | grep -oE '^  --[a-z-]+' | sed 's/^ *//'); do
		grep -qx -- "$o" <<< "$offered" || fail "completion of '$c' lacks $o"
	done
done
cd "$(mktemp -d -p "$prefix")"
touch topo.json
[ "$(complete_words bidilab check to)" = topo.json ] || fail "'check to' does not complete the file name"
echo "install_test: program, man page ($(wc -l < "$man") lines) and bash completion installed and consistent"
