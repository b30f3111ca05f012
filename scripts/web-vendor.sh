#!/bin/sh
# web-vendor.sh - copy the browser libraries the web UI loads from npm's
# node_modules into web/vendor/ (served by `zhucun serve`, never a CDN), with
# a pre-gzipped copy that the server sends to clients accepting gzip.
#
#   scripts/web-vendor.sh        (run by scripts/bootstrap.sh; idempotent)
#
# ECharts is Apache-2.0: its LICENSE and NOTICE travel with the file.
set -eu
cd "$(dirname "$0")/.."
src=node_modules/echarts
dst=web/vendor
if [ ! -f "$src/dist/echarts.min.js" ]; then
    echo "web-vendor: $src is missing; run scripts/bootstrap.sh" >&2
    exit 1
fi
mkdir -p "$dst"
copy() { # $1 = source, $2 = target; only when different
    if ! cmp -s "$1" "$2" 2>/dev/null; then
        cp "$1" "$2"
        echo "web-vendor: $2"
    fi
}
copy "$src/dist/echarts.min.js" "$dst/echarts.min.js"
copy "$src/LICENSE" "$dst/echarts.LICENSE"
copy "$src/NOTICE" "$dst/echarts.NOTICE"
if [ ! -f "$dst/echarts.min.js.gz" ] || [ "$dst/echarts.min.js" -nt "$dst/echarts.min.js.gz" ]; then
    gzip -9 -n -c "$dst/echarts.min.js" >"$dst/echarts.min.js.gz"
fi
