#!/usr/bin/env bash
# The explorer page in headless Chromium: installs what is missing (Debian's
# chromium and a font; playwright-core from npm into WORK_DIR/node, never a
# browser build), writes the page for topologies/xep0288-example3.json and
# runs explore_page_test.js on it. The screenshot lands in WORK_DIR.
#   usage: run_explore_test.sh BIDILAB SOURCE_DIR WORK_DIR
set -euo pipefail
bidilab=$1
source_dir=$2
work=$3
here="$source_dir/tests/explore"
mkdir -p "$work"

source "$source_dir/tests/support/install_browser.sh"
install_browser "explore test"
exec 9>"$work/.npm.lock"  # one npm install at a time
flock 9
node_dir="$work/node"
if ! cmp -s "$here/package.json" "$node_dir/package.json" ||
   [ ! -f "$node_dir/node_modules/playwright-core/package.json" ]; then
    echo "explore test: installing playwright-core into $node_dir (npm)" >&2
    rm -rf "$node_dir"
    mkdir -p "$node_dir"
    cp "$here/package.json" "$node_dir/package.json"
    (cd "$node_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts \
        --loglevel=error >/dev/null)
fi
flock -u 9

page="$work/xep0288-example3.html"
"$bidilab" explore "$source_dir/topologies/xep0288-example3.json" --html "$page"
exec node "$here/explore_page_test.js" "$node_dir" "$page" "$source_dir/topologies/xep0288-example3.json" "$work"
