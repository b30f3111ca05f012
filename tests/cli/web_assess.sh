#!/bin/sh
# web_assess.sh - the assessment pages in a real browser: the mashan-2018
# demo with its generated July (as tests/cli/assess.sh builds it), the
# month's negative list built and the ladder's steps proposed on the CLI,
# then tests/e2e/assess.mjs (chromium through playwright-core) as the
# county on #/assess, #/inspect and #/funds and as a cadre appealing their
# own step on the phone page. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POL="$ROOT/policies/mashan-2018.json"
OUTDIR=${ZC_TEST_OUT:-$ROOT/tests/out}
mkdir -p "$OUTDIR"
SRV_PID=""
stop_server() {
    if [ -n "$SRV_PID" ]; then
        kill -TERM "$SRV_PID" 2>/dev/null
        i=0
        while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$SRV_PID" 2>/dev/null
        SRV_PID=""
    fi
}
trap stop_server EXIT INT TERM
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
    _fail "browser available" "need $CHROMIUM, node and node_modules/playwright-core (scripts/bootstrap.sh)"
    finish
fi
[ -f "$ROOT/web/vendor/echarts.min.js" ] || sh "$ROOT/scripts/web-vendor.sh" >/dev/null

# Every string the pages use is in both dictionaries.
if python3 - "$ROOT" <<'PY'
import json, re, sys
root = sys.argv[1]
zh = json.load(open(root + "/web/i18n/zh.json"))
en = json.load(open(root + "/web/i18n/en.json"))
src = open(root + "/web/js/pages/assess.js").read()
used = {k for k in re.findall(r't\("(assess\.[a-z_]+)"', src) if not k.endswith("_")}
prefixes = set(re.findall(r'"(assess\.[a-z_]+_)" *\+', src))
missing = sorted(k for k in used | {k for k in zh if any(k.startswith(p) for p in prefixes)} if k not in zh or k not in en)
assert not missing, missing
assert set(k for k in zh if k.startswith("assess.")) == set(k for k in en if k.startswith("assess.")), "zh and en differ"
PY
then _ok "every assess string in zh.json and en.json"; else _fail "i18n" "see above"; fi

zc_demo_month "$POL"
expect_rc "demo scenario, its plan published, July's field records generated" 0
export ZHUCUN_TODAY=2018-08-01
# The county confirms (核实) the month's cases: only confirmed ones are on
# the list. From the export, as an inspector's sheet goes back in.
"$ZHUCUN" cases --month 2018-07 --scope 450124 --format csv --policy "$POL" >"$T/cases.csv" 2>"$T/err"
run cases confirm --file "$T/cases.csv" --reason 核实
expect_rc "the month's cases confirmed from their export (cases confirm --file)" 0
run assess negative --month 2018-07 --scope 450124 --format csv --policy "$POL"
expect_rc "negative list built" 0
run assess ladder --month 2018-07 --scope 450124 --policy "$POL"
expect_rc "ladder steps proposed" 0
CAD=$(zc_sql "SELECT c.id_number FROM ladder_step s JOIN cadre c ON c.id = s.cadre WHERE s.status = 'proposed' ORDER BY s.id DESC LIMIT 1")
# One cadre with no step calibrated to 优秀: the page's promotion list has a name.
run assess year --year 2018 --scope 450124 --format csv --policy "$POL"
expect_rc "the year's grades proposed" 0
PROM=$(zc_sql "SELECT cadre FROM assess_grade WHERE year = 2018 AND grade = '称职'
    AND cadre NOT IN (SELECT cadre FROM ladder_step) ORDER BY cadre LIMIT 1")
run assess year set --cadre "$PROM" --year 2018 --grade 优秀 --reason "抗洪救灾表现突出" --policy "$POL"
expect_rc "a cadre calibrated to 优秀" 0
# A finding on the cadre's village opens a ticket for them to fix on the phone.
CV=$(zc_sql "SELECT p.village FROM posting p JOIN cadre c ON c.id = p.cadre WHERE c.id_number = '$CAD' AND p.end_date IS NULL")
run inspect record --village "$CV" --cadre "$CAD" --method open --date 2018-07-20 --inspectors 王督查
expect_rc "an inspection of the cadre" 0
run inspect finding --inspection 1 --rule diary --text "工作日志记录不全" --policy "$POL"
expect_rc "a finding for the cadre" 0
add() {
    n=$1 p=$2
    shift 2
    echo "$p" | "$ZHUCUN" user add "$n" "$@" --password-stdin >/dev/null 2>"$T/err" || _fail "account $n" "$(cat "$T/err")"
}
export ZC_WEB_PASS_as_county=as-county-pass-1 ZC_WEB_PASS_as_cadre=as-cadre-pass-1
add as-county "$ZC_WEB_PASS_as_county" --role county --scope 450124
add as-cadre "$ZC_WEB_PASS_as_cadre" --role cadre --scope 450124 --cadre "$CAD"

PORT=""
for off in 0 1 2 3 4 5 6 7; do
    p=$((29000 + ($$ + off * 89) % 900))
    if ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then PORT=$p; break; fi
done
BASE="http://127.0.0.1:$PORT"
ZHUCUN_POLICY="$POL" "$ZHUCUN" serve --listen "127.0.0.1:$PORT" --web "$ROOT/web" --threads 4 2>"$T/server.log" &
SRV_PID=$!
i=0
until curl -s -o /dev/null "$BASE/api/v1/session" || [ $i -ge 150 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$SRV_PID" 2>/dev/null; then _ok "server is up on $PORT"; else
    _fail "server is up" "$(cat "$T/server.log")"
    finish
fi
CHROMIUM="$CHROMIUM" node "$ROOT/tests/e2e/assess.mjs" "$BASE" "$OUTDIR" >"$T/e2e.log" 2>&1
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
q() { zc_sql "$1"; }
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'negative.build' AND actor = 'as-county'")" = 1 ]; then _ok "the page's visits did not rebuild the negative list (one build: the button)"; else _fail "negative builds" "$(q "SELECT count(*) FROM audit_log WHERE action = 'negative.build' AND actor = 'as-county'")"; fi
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'ladder.confirm' AND actor = 'as-county'")" = 1 ]; then _ok "the confirmation from the page is in the audit record"; else _fail "confirm audited" "$(q "SELECT action, actor FROM audit_log ORDER BY seq DESC LIMIT 5")"; fi
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'ladder.appeal' AND actor = 'as-cadre'")" = 1 ]; then _ok "the appeal from the phone is in the audit record"; else _fail "appeal audited" "none"; fi
if [ "$(q "SELECT status FROM ticket WHERE id = 1")" = fixed ]; then _ok "the fix from the phone is recorded"; else _fail "ticket fixed" "$(q "SELECT status FROM ticket")"; fi
# The pages' Excel downloads were recorded as exports, and none holds an ID
# number (the CLI's exports mask them by default).
N=$(q "SELECT count(DISTINCT target) FROM audit_log WHERE action = 'export' AND actor = 'as-county'
    AND target IN ('assess', 'tickets', 'funds', 'outcomes', 'watch', 'presence', 'promotions')")
if [ "$N" = 7 ]; then _ok "the scores, tickets, funds, outcomes, watch, ledger and promotion downloads are in the audit log"; else _fail "downloads audited" "$N of 7 kinds"; fi
if [ "$(q "SELECT count(*) FROM commendation WHERE cadre = $PROM AND title = '县级优秀第一书记'")" = 1 ] &&
    [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'commend.add' AND actor = 'as-county'")" = 1 ]; then
    _ok "the commendation from the page is recorded and audited"
else _fail "commendation from the page" "$(q "SELECT * FROM commendation")"; fi
ids=0 files=0
for f in "$OUTDIR"/downloads/assess-2018-07.xlsx "$OUTDIR"/downloads/tickets-*.xlsx "$OUTDIR"/downloads/funds-2018.xlsx \
    "$OUTDIR"/downloads/outcomes-2018.xlsx "$OUTDIR"/downloads/watch-2018.xlsx "$OUTDIR"/downloads/presence-2018-07.xlsx \
    "$OUTDIR"/downloads/promotions-2018.xlsx "$OUTDIR"/downloads/cases-2018-07.xlsx; do
    [ -f "$f" ] || continue
    files=$((files + 1))
    n=$(unzip -p "$f" 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null | grep -oE '[1-9][0-9]{16}[0-9Xx]' | wc -l)
    ids=$((ids + n))
done
# The cases' sheet goes back in as the county's verdicts (干部编号, 日期, 规则, 理由).
if [ -f "$OUTDIR/downloads/cases-2018-07.xlsx" ]; then
    run cases dismiss --file "$OUTDIR/downloads/cases-2018-07.xlsx" --scope 450125
    expect_rc "the page's cases sheet is read back as verdicts (here refused: another county)" 77
    expect_err "... naming its row" "cases-2018-07.xlsx:2: cadre"
fi
if [ "$files" -ge 8 ] && [ "$ids" = 0 ]; then _ok "no ID number in the $files Excel downloads"; else _fail "no ID numbers in downloads" "$ids found in $files files"; fi
WHY=复核：当日在县城开会，有会议签到表
if [ "$(q "SELECT count(*) FROM field_case_dismissal WHERE verdict = 'dismissed' AND reason = '$WHY' AND by = 'web:as-county'")" = 2 ] &&
    [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'field.case.dismiss' AND actor = 'as-county'")" = 2 ]; then
    _ok "the two cases dismissed from the page are recorded, each audited"
else _fail "cases dismissed from the page" "$(q "SELECT cadre, day, rule, verdict, by FROM field_case_dismissal WHERE reason = '$WHY'")"; fi
if grep -q 'status=5' "$T/server.log"; then _fail "no 5xx answers" "$(grep 'status=5' "$T/server.log" | head -3)"; else _ok "no 5xx answers"; fi
stop_server
finish
