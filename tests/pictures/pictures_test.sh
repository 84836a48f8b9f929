#!/usr/bin/env bash
# tests/pictures/pictures_test.sh BIDILAB: draws each kind of picture bidilab
# makes (the gallery, docs/gallery.md) and checks each in a real browser
# (headless Chromium, Debian's package, installed when missing), at the size
# the picture declares: no text sticks out of it and no two texts overlap;
# a screenshot at that size must be made.
set -euo pipefail
bidilab=$(realpath "${1:?bidilab binary}")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "pictures_test: FAIL: $*" >&2; exit 1; }

source "$src/tests/support/install_browser.sh"
install_browser pictures_test

# Draw the gallery: the commands of docs/gallery.md, in a scratch folder laid
# out like the repository (they write into build/docs/img/gallery/).
mkdir -p "$work/build"
ln -s "$src/topologies" "$work/topologies"
ln -s "$bidilab" "$work/build/bidilab"
cd "$work"
while IFS= read -r cmd; do
	bash -c "${cmd%%#*}" >/dev/null 2>&1 || [ $? = 1 ] || fail "'$cmd' failed"
done < <(awk '/^```sh/ { on = 1; next } /^```/ { on = 0 } on && /^build\/bidilab/' "$src/docs/gallery.md")
cd "$work/build/docs/img/gallery" || fail "docs/gallery.md drew nothing"

# size SVG: "W H", the picture's size in CSS pixels (Graphviz writes points: 4/3 pixel each)
size() {
	local dims w h
	dims=$(grep -o -m1 '<svg[^>]*' "$1" | grep -oE '(width|height)="[0-9.]+(pt)?"' | tr -d '"a-z=' | paste -sd ' ')
	read -r w h <<< "$dims"
	[ -n "${w:-}" ] && [ -n "${h:-}" ] || fail "$1 declares no width and height"
	if grep -q -m1 '<svg[^>]*width="[0-9.]*pt"' "$1"; then
		awk -v w="$w" -v h="$h" 'BEGIN { printf "%d %d", w * 4 / 3 + 1, h * 4 / 3 + 1 }'
	else
		echo "${w%.*} ${h%.*}"
	fi
}

# layout SVG...: every picture in one page, one browser run; prints a line per picture
# ("NAME texts=N width=W height=H problems=P[: ...]")
layout() {
	local page="$work/page.html" svg w h
	{
		for svg in "$@"; do
			read -r w h <<< "$(size "$svg")"
			printf '<div class="picture" data-name="%s" style="width:%spx;height:%spx">\n' "$svg" "$w" "$h"
			grep -v -e '^<?xml' -e '^<!DOCTYPE' "$svg"
			printf '</div>\n'
		done
	} > "$work/pictures.html"
	awk -v f="$work/pictures.html" '/@PICTURES@/ { while ((getline line < f) > 0) print line; next } { print }' \
		"$here/layout_check.html.in" > "$page"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1600,1000 \
		--dump-dom "file://$page" 2>/dev/null | sed -n '/<pre id="result">/,/<\/pre>/p' | sed 's/<[^>]*>//g' |
		grep . || fail "the browser check did not run"
}

# The check itself must see a defect: two labels on one another, one past the edge.
cat > "$work/bad.svg" <<'BAD'
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" font-family="monospace" font-size="12">
<text x="20" y="40">stream header</text><text x="30" y="42">features</text><text x="150" y="80">cut at the edge</text>
</svg>
BAD
bad=$(layout "$work/bad.svg")
case $bad in *"problems=2: "*) ;; *) fail "the browser check missed the defects of a bad picture: $bad" ;; esac
case $bad in *'overlap: "stream header" and "features"'*) ;; *) fail "overlap not reported: $bad" ;; esac
case $bad in *'outside the picture: "cut at the edge"'*) ;; *) fail "overflow not reported: $bad" ;; esac
rm "$work/bad.svg"

mapfile -t pictures < <(find . -name '*.svg' | sort)
[ "${#pictures[@]}" -ge 10 ] || fail "only ${#pictures[@]} pictures drawn"
report=$(layout "${pictures[@]}")
printf '%s\n' "$report" | sed 's/^/  /'
[ "$(printf '%s\n' "$report" | grep -c 'problems=0$')" = "${#pictures[@]}" ] ||
	fail "$(printf '%s\n' "$report" | grep -v 'problems=0$' | head -3 | paste -sd ' ')"

# A screenshot of one picture of each kind at the size it declares, kept for a look
# (SHOTS_DIR, default: not kept).
shots=${SHOTS_DIR:-$work/shots}
mkdir -p "$shots"
for svg in ./fsm/initiating_stream.svg ./three-servers/collision-resolves.svg ./graph-endpoints.svg; do
	read -r w h <<< "$(size "$svg")"
	png=${svg#./}; png="$shots/${png//\//-}"; png=${png%.svg}.png
	timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$w,$h" \
		--screenshot="$png" "file://$PWD/${svg#./}" >/dev/null 2>&1 || fail "$svg: no screenshot"
	# PNG: the width and height are bytes 17-24 of the file
	shot=$(od -An -tu1 -j16 -N8 "$png" | awk '{ printf "%d %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
	[ "$shot" = "$w $h" ] || fail "$svg: the screenshot is $shot, not $w $h"
	[ "$(stat -c %s "$png")" -gt 20000 ] || fail "$svg: the screenshot at ${w}x$h is blank"
done
echo "pictures_test: ${#pictures[@]} pictures laid out by the browser at their own size, no text outside, none overlapping; 3 screenshots ($shots)"
