#!/bin/sh
# web.sh - the web UI in a real browser: builds a demo database (mashan-2018)
# with one account per part of the story, starts `zhucun serve` on a free
# loopback port with the checkout's web/, and runs tests/e2e/web.mjs (node +
# playwright-core driving Debian's chromium). Screenshots go to
# $ZC_TEST_OUT/screenshots, page-load times to $ZC_TEST_OUT/web-timing.json.
# The server is stopped whatever happens (trap). Prints "N passed, N failed".
#
#   ZHUCUN=build/web-asan/zhucun sh tests/cli/web.sh
#   ZC_WEB_DIR=/path/to/web ... (serve another web/, e.g. an older one, to see the checks fail)
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUTDIR=${ZC_TEST_OUT:-$ROOT/tests/out}
mkdir -p "$OUTDIR"
rm -rf "$OUTDIR/screenshots" "$OUTDIR/downloads" "$OUTDIR"/chromium-profile-*
SRV_PID=""
stop_server() {
    if [ -n "$SRV_PID" ]; then
        kill -TERM "$SRV_PID" 2>/dev/null
        i=0
        while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$SRV_PID" 2>/dev/null
        SRV_PID=""
    fi
    rm -rf "$OUTDIR"/chromium-profile-*
}
trap stop_server EXIT INT TERM

# The browser and its driver are installed by scripts/bootstrap.sh.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
    _fail "browser available" "need $CHROMIUM, node and node_modules/playwright-core (scripts/bootstrap.sh)"
    finish
fi
[ -f "$ROOT/web/vendor/echarts.min.js" ] || sh "$ROOT/scripts/web-vendor.sh" >/dev/null

# The scenario's date: ages, grades and terms are judged as of then.
export ZHUCUN_TODAY=2018-06-17
zc_demo --scenario mashan-2018 --no-serve --quiet
expect_rc "demo database (mashan-2018)" 0

# The demo's plan as `make demo` makes it: by the CLI, without --scope, with
# the scenario's policy (a draft here). The county's 选派 page must list it.
run match --policy "$ROOT/policies/mashan-2018.json"
expect_rc "the CLI's plan for the whole demo (no --scope)" 0
export ZC_CLI_PLAN=$(sed -n 's/^plan ID: *\([0-9][0-9]*\).*/\1/p' "$T/out" | tail -n 1)

# Accounts: 广西 (province), 马山县 and 上林县 (county) and 里当瑶族乡
# (township) staff, and a cadre serving in 龙琴村.
LONGQIN=450124203202
SEC=$(zc_sql "SELECT c.id_number FROM posting p JOIN cadre c ON c.id = p.cadre
    WHERE p.village = $LONGQIN AND p.end_date IS NULL ORDER BY p.role = 'first_secretary' DESC LIMIT 1")
add() { # name password role args...
    n=$1 p=$2
    shift 2
    echo "$p" | "$ZHUCUN" user add "$n" "$@" --password-stdin >/dev/null 2>"$T/err" ||
        _fail "account $n" "$(cat "$T/err")"
}
export ZC_WEB_PASS_web_county=web-county-pass-1 ZC_WEB_PASS_web_county2=web-county2-pass-1 \
    ZC_WEB_PASS_web_cadre=web-cadre-pass-1 ZC_WEB_PASS_web_province=web-province-pass-1 \
    ZC_WEB_PASS_web_township=web-township-pass-1
add web-county "$ZC_WEB_PASS_web_county" --role county --scope 450124
# The province above it and 里当瑶族乡 (the township of 龙琴村) below it.
add web-province "$ZC_WEB_PASS_web_province" --role province --scope 45
add web-township "$ZC_WEB_PASS_web_township" --role township --scope 450124203
add web-county2 "$ZC_WEB_PASS_web_county2" --role county --scope 450125
if [ -n "$SEC" ]; then
    add web-cadre "$ZC_WEB_PASS_web_cadre" --role cadre --scope "$LONGQIN" --cadre "$SEC"
else
    _fail "a cadre serves in 龙琴村" "no open posting in $LONGQIN"
fi

# A cadre of another village whose field rules ask for no check-in
# (checkin "none", chosen for that village): the phone shows no button.
NONE_VILLAGE=$(zc_sql "SELECT p.village FROM posting p JOIN village v ON v.code = p.village
    WHERE p.village BETWEEN 450124000000 AND 450124999999 AND p.village % 1000 <> 0
    AND p.village <> $LONGQIN AND p.end_date IS NULL ORDER BY p.village LIMIT 1")
NONE_CADRE=$(zc_sql "SELECT c.id_number FROM posting p JOIN cadre c ON c.id = p.cadre
    WHERE p.village = $NONE_VILLAGE AND p.end_date IS NULL ORDER BY c.id LIMIT 1")
mkdir -p "$T/pol"
cp "$ROOT/policies/default.json" "$T/pol/default.json"
sed 's/"checkin": "daily"/"checkin": "none"/' "$ROOT/policies/default.json" >"$T/pol/nocheckin.json"
export ZC_WEB_PASS_web_cadre_none=web-cadre-none-pass-1
if [ -n "$NONE_CADRE" ] && ZHUCUN_POLICY="$T/pol/default.json" "$ZHUCUN" field policy set --scope "$NONE_VILLAGE" --policy nocheckin >"$T/none" 2>&1; then
    add web-cadre-none "$ZC_WEB_PASS_web_cadre_none" --role cadre --scope "$NONE_VILLAGE" --cadre "$NONE_CADRE"
else
    _fail "a village without check-ins" "$NONE_VILLAGE $NONE_CADRE: $(cat "$T/none")"
fi

# An approved leave of that cadre, for 销假 on the phone page.
"$ZHUCUN" leave request --cadre "$SEC" --from 2018-06-18 --to 2018-06-20 --reason 探亲 >"$T/leave" 2>&1 &&
    "$ZHUCUN" leave approve "$(sed -n 's/^leave #\([0-9]*\) asked.*/\1/p' "$T/leave")" --as township >/dev/null 2>&1 ||
    _fail "the cadre's approved leave" "$(cat "$T/leave")"
export ZC_WEB_LEAVE=$(sed -n 's/^leave #\([0-9]*\) asked.*/\1/p' "$T/leave")

# 龙琴村's centre, where the phone's mocked geolocation puts the cadre.
export ZC_WEB_LAT=$(zc_sql "SELECT lat FROM village WHERE code = $LONGQIN")
export ZC_WEB_LNG=$(zc_sql "SELECT lng FROM village WHERE code = $LONGQIN")
export ZC_WEB_HOUSEHOLD=$(zc_sql "SELECT id FROM household WHERE village = $LONGQIN ORDER BY id LIMIT 1")
# A second household of the village: the visit's household corrected on the phone.
export ZC_WEB_HOUSEHOLD2=$(zc_sql "SELECT id FROM household WHERE village = $LONGQIN ORDER BY id LIMIT 1 OFFSET 1")

# A city cadre born in 马山县 (home avoidance): the 点将 card refuses to pin them there.
export ZC_WEB_HOME_CADRE=$(zc_sql "SELECT min(c.id) FROM cadre c JOIN unit u ON u.code = c.unit
    WHERE u.level = 'city' AND c.hometown / 1000000 = 450124 AND c.id IN (SELECT cadre FROM plan_slot WHERE plan = ${ZC_CLI_PLAN:-0})")

# A free port: try a few from the PID, keep the first nobody answers on.
PORT=""
for off in 0 1 2 3 4 5 6 7; do
    p=$((21000 + ($$ + off * 97) % 8000))
    if ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then PORT=$p; break; fi
done
BASE="http://127.0.0.1:$PORT"
"$ZHUCUN" serve --listen "127.0.0.1:$PORT" --web "${ZC_WEB_DIR:-$ROOT/web}" --threads 4 2>"$T/server.log" &
SRV_PID=$!
i=0
until curl -s -o /dev/null "$BASE/api/v1/session" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$SRV_PID" 2>/dev/null; then _ok "server is up on $PORT"; else
    _fail "server is up" "$(cat "$T/server.log")"
    finish
fi

# Static files: the page, ECharts pre-gzipped, no CDN anywhere.
code=$(curl -s -o "$T/index" -w '%{http_code}' "$BASE/")
if [ "$code" = 200 ] && grep -q 'lang="zh-CN"' "$T/index"; then _ok "index.html is served, lang zh-CN"; else _fail "index.html" "$code"; fi
enc=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$BASE/vendor/echarts.min.js" | tr -d '\r' | grep -i '^content-encoding:' | tr -d ' ')
if [ "$enc" = "Content-Encoding:gzip" ] || [ "$enc" = "content-encoding:gzip" ]; then _ok "ECharts is served gzipped"; else _fail "ECharts gzipped" "got '$enc'"; fi
if grep -rlE 'https?://' "$ROOT/web/index.html" "$ROOT/web/js" "$ROOT/web/css" >"$T/urls" 2>/dev/null; then
    _fail "no external URLs in web/" "$(cat "$T/urls")"
else
    _ok "no external URLs (no CDN, no fonts) in web/"
fi

# The browser story.
ZC_PLAN_SCOPE=450124 CHROMIUM="$CHROMIUM" node "$ROOT/tests/e2e/web.mjs" "$BASE" "$OUTDIR" >"$T/e2e.log" 2>&1
rc=$?
cat "$T/e2e.log"
p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$T/e2e.log" | tail -n 1)
f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$T/e2e.log" | tail -n 1)
if [ -z "$p" ]; then
    _fail "browser test ran" "exit $rc, no result line"
else
    PASS=$((PASS + p))
    FAILS=$((FAILS + f))
    [ "$rc" = 0 ] || [ "$f" != 0 ] || _fail "browser test exit status" "$rc"
fi

# Every Excel download of the county was recorded as an export, and no
# workbook holds an ID number (the CLI's exports mask them by default).
N=$(sqlite3 -batch "$ZHUCUN_DB" "SELECT count(DISTINCT target) FROM audit_log WHERE action = 'export'
    AND actor = 'web-county' AND target IN ('overview', 'coverage', 'team', 'plan')")
if [ "$N" = 4 ]; then _ok "the overview, coverage, team and plan downloads are in the audit log"; else _fail "downloads audited" "$N of 4 kinds"; fi
ids=0
for f in "$OUTDIR"/downloads/*.xlsx; do
    [ -f "$f" ] || continue
    n=$(unzip -p "$f" 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null | grep -oE '[1-9][0-9]{16}[0-9Xx]' | wc -l)
    ids=$((ids + n))
done
if ls "$OUTDIR"/downloads/*.xlsx >/dev/null 2>&1 && [ "$ids" = 0 ]; then _ok "no ID number in the Excel downloads"; else _fail "no ID numbers in downloads" "$ids found (or no downloads)"; fi

# The phone's records were signed by its own key and verified.
SIGNED=$(zc_sql "SELECT count(*) FROM checkin WHERE signed = 1 AND device LIKE 'key:%'")
if [ "${SIGNED:-0}" -ge 2 ]; then _ok "the phone's check-ins are signed and verified ($SIGNED)"; else _fail "signed check-ins" "only ${SIGNED:-0}"; fi

# The server logged no 5xx and stayed up through the story.
if grep -q 'status=5' "$T/server.log"; then _fail "no 5xx answers" "$(grep 'status=5' "$T/server.log" | head -3)"; else _ok "no 5xx answers"; fi
if kill -0 "$SRV_PID" 2>/dev/null; then _ok "server still up after the story"; else _fail "server still up" "$(tail -5 "$T/server.log")"; fi
stop_server
finish
