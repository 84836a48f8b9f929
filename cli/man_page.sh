#!/bin/sh
# man_page.sh HELP2MAN BIDILAB OUT: bidilab's man page. help2man reads
# `bidilab --help` and `--version`; a COMMANDS section adds every command's
# --help (`bidilab help --all`, without the list that --help already gave).
set -eu
help2man=$1 bidilab=$2 out=$3
include="$out.h2m"
{
	echo "[COMMANDS]"
	echo ".nf"
	"$bidilab" help --all | awk 'started || /^bidilab [a-z]+$/ { started = 1; print }' |
		sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
	echo ".fi"
} > "$include"
"$help2man" --no-info --section 1 --name "model checker for XMPP server-to-server streams (XEP-0288)" \
	--include "$include" --output "$out" "$bidilab"
rm -f "$include"
