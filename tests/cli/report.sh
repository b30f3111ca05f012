#!/bin/sh
# report.sh - `zhucun report overview|coverage|team`: the figures of the web's
# home page and village page at the terminal, on the mashan-2018 demo with its
# plan published. The JSON is the API's answer byte for byte (same database,
# same day), the workbook holds the same sheets as the page's download, the
# tables and the CSV give the same numbers, and the numbers are checked
# against the ledger itself; files written are recorded as exports.
. "$(dirname "$0")/lib.sh"
POL="$(cd "$(dirname "$0")/../.." && pwd)/policies/mashan-2018.json"

export ZHUCUN_TODAY=2018-06-17
zc_demo --scenario mashan-2018 --no-serve --quiet
expect_rc "demo scenario" 0
run match --policy "$POL"
run plan publish 1 --start 2018-06-20
expect_rc "plan published" 0
export ZHUCUN_TODAY=2018-08-01
q() { zc_sql "$1"; }
TWP=$(q "SELECT p.village / 1000 FROM posting p JOIN village v ON v.code = p.village WHERE p.end_date IS NULL AND p.village BETWEEN 450124000000 AND 450124999999 ORDER BY p.village LIMIT 1")
VIL=$(q "SELECT p.village FROM posting p JOIN village v ON v.code = p.village WHERE p.end_date IS NULL AND p.village BETWEEN 450124000000 AND 450124999999 ORDER BY p.village LIMIT 1")
# A posting that ended, for the village's history and the dated figures.
C2=$(q "SELECT id FROM cadre WHERE id NOT IN (SELECT cadre FROM posting) ORDER BY id LIMIT 1")
q "INSERT INTO posting(cadre, village, role, start_date, end_date) VALUES ($C2, $VIL, 'member', '2017-01-01', '2018-03-01')"

zc_add_user cty --role county --scope 450124
zc_add_user twp --role township --scope "$TWP"
zc_add_user prov --role province --scope 45
mkdir -p "$T/web"
echo '<!doctype html><title>驻村</title>' >"$T/web/index.html"
if zc_serve --web "$T/web" --threads 2; then _ok "server is up"; else
    _fail "server is up" "$(cat "$T/server.log")"
    finish
fi
for u in cty twp prov; do login $u; done

# same NAME USER PATH ARGS...: `report ARGS --format json` is the API's answer to PATH.
same() {
    name=$1 user=$2 path=$3
    shift 3
    req "$user" GET "$path"
    cp "$T/body" "$T/api.json"
    run report "$@" --format json
    if [ "$RC" = 0 ] && [ "$CODE" = 200 ] && cmp -s "$T/out" "$T/api.json"; then _ok "$name"; else
        _fail "$name" "rc $RC, status $CODE: $(head -c 200 "$T/out") | $(head -c 200 "$T/api.json")"
    fi
}
same "the county's overview is GET /stats" cty /api/v1/stats overview --scope 450124
same "as of a day" cty "/api/v1/stats?date=2018-06-01" overview --scope 450124 --date 2018-06-01
same "a township's overview" twp /api/v1/stats overview --scope "$TWP"
same "the province's, narrowed to the county" prov "/api/v1/stats?scope=450124&date=2018-07-01" overview --scope 450124 --date 2018-07-01
same "a province's overview" prov /api/v1/stats overview --scope 45
same "coverage answers the same JSON" cty /api/v1/stats coverage --scope 450124
same "a village's team is GET /villages/CODE/team" cty "/api/v1/villages/$VIL/team" team "$VIL" --scope 450124
same "and as of a day" cty "/api/v1/villages/$VIL/team?date=2018-01-01" team "$VIL" --date 2018-01-01

# The numbers against the ledger itself.
run report overview --scope 450124 --format json
cp "$T/out" "$T/body"
SERVING=$(q "SELECT count(*) FROM posting p JOIN cadre c ON c.id = p.cadre JOIN unit u ON u.code = c.unit WHERE p.end_date IS NULL AND p.village BETWEEN 450124000000 AND 450124999999")
DEEP=$(q "SELECT count(*) FROM village WHERE poverty = 'deep' AND code BETWEEN 450124000000 AND 450124999999")
FS=$(q "SELECT count(DISTINCT p.village) FROM posting p JOIN village v ON v.code = p.village WHERE p.end_date IS NULL AND p.role = 'first_secretary' AND v.poverty <> 'none' AND v.code BETWEEN 450124000000 AND 450124999999")
if py "assert d['cadres']['serving'] == $SERVING and $SERVING > 0"; then _ok "serving cadres as the ledger counts them ($SERVING)"; else _fail "serving" "ledger $SERVING: $(head -c 300 "$T/body")"; fi
if py "assert [c['villages'] for c in d['coverage'] if c['poverty'] == 'deep'] == [$DEEP]"; then _ok "deep-poverty villages ($DEEP)"; else _fail "deep villages" "ledger $DEEP"; fi
if py "assert sum(a['covered'] for a in d['areas']) == $FS and len(d['areas']) == len({a['code'] for a in d['areas']}) > 1"; then _ok "the townships' covered villages add up ($FS)"; else _fail "areas" "ledger $FS"; fi
py "print(sum(a['villages'] for a in d['areas']), sum(a['serving'] for a in d['areas']))" >"$T/sums"
run report overview --scope 450124 --date 2018-06-01 --format json
cp "$T/out" "$T/body"
D3=$(q "SELECT count(*) FROM posting p JOIN cadre c ON c.id = p.cadre JOIN unit u ON u.code = c.unit WHERE p.start_date <= '2018-06-01' AND (p.end_date IS NULL OR p.end_date > '2018-06-01') AND p.village BETWEEN 450124000000 AND 450124999999")
if py "assert d['cadres']['serving'] == $D3 and $D3 > 0 and d['as_of'] == '2018-06-01'"; then _ok "as of 2018-06-01: $D3 serving"; else _fail "dated" "ledger $D3: $(head -c 300 "$T/body")"; fi

# The table and the CSV give the same numbers.
exports() { q "SELECT count(*) FROM audit_log WHERE action = 'export' AND actor LIKE 'cli:%'"; }
N0=$(exports)
if [ "$N0" -ge 10 ]; then _ok "JSON on stdout is recorded as an export too ($N0)"; else _fail "json exports" "$N0"; fi
run report overview --scope 450124
expect_rc "overview as a table" 0
expect_out "the coverage table" "贫困村选派覆盖"
expect_out "the age table" "年龄结构"
DV=$(q "SELECT count(*) FROM village WHERE poverty IN ('deep', 'poor') AND code BETWEEN 450124000000 AND 450124999999")
if grep -q "^贫困村  $DV  " "$T/out"; then _ok "the total row counts $DV poor villages"; else _fail "total row" "$(grep '^贫困村' "$T/out")"; fi
run report coverage --scope 450124 --format csv -o "$T/cov.csv"
expect_rc "coverage as CSV" 0
if python3 - "$T/cov.csv" "$T/sums" <<'PY'; then _ok "the CSV's villages and serving cadres add up as the JSON's"; else _fail "csv sums" "$(head -3 "$T/cov.csv")"; fi
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
v, s = map(int, open(sys.argv[2]).read().split())
assert rows[0][0] == '区划' and rows[0][2] == '村数', rows[0]
k = rows[0].index('在岗驻村干部')
assert sum(int(r[2]) for r in rows[1:]) == v and sum(int(r[k]) for r in rows[1:]) == s, (v, s)
PY
run report overview --format csv
expect_rc "the overview's several tables are not one CSV" 64

# The workbook holds the same sheets as the page's download.
run report overview --scope 450124 --format xlsx -o "$T/ov.xlsx"
expect_rc "overview as a workbook" 0
expect_err "its rows are counted" "rows) to"
req cty GET "/api/v1/stats?format=xlsx"
cp "$T/body" "$T/api.xlsx"
mkdir -p "$T/a" "$T/b"
(cd "$T/a" && unzip -q -o "$T/ov.xlsx") && (cd "$T/b" && unzip -q -o "$T/api.xlsx")
if [ -f "$T/a/xl/workbook.xml" ] && diff -r -x core.xml "$T/a" "$T/b" >/dev/null; then _ok "the same sheets as GET /stats?format=xlsx"; else _fail "xlsx" "$(diff -r -x core.xml "$T/a" "$T/b" | head -5)"; fi
run report team "$VIL" --format xlsx -o "$T/team.xlsx" --date 2018-07-01
req cty GET "/api/v1/villages/$VIL/team?format=xlsx&date=2018-07-01"
cp "$T/body" "$T/api-team.xlsx"
rm -rf "$T/a" "$T/b" && mkdir -p "$T/a" "$T/b"
(cd "$T/a" && unzip -q -o "$T/team.xlsx") && (cd "$T/b" && unzip -q -o "$T/api-team.xlsx")
if [ -f "$T/a/xl/workbook.xml" ] && diff -r -x core.xml "$T/a" "$T/b" >/dev/null; then _ok "the team's workbook as the village page's"; else _fail "team xlsx" "$(diff -r -x core.xml "$T/a" "$T/b" | head -5)"; fi
N=$(exports)
if [ "$N" = $((N0 + 3)) ]; then _ok "the CSV and the workbooks are recorded as exports, tables on the terminal not"; else _fail "exports" "$N0 -> $N entries"; fi
T3=$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND target = 'team' AND actor LIKE 'cli:%'")
if [ "$T3" = 3 ]; then _ok "as kind team (two JSON answers, one workbook)"; else _fail "team exports" "$T3"; fi

# Errors.
run report team 450125100200 --scope 450124
expect_rc "a village outside --scope is not found" 66
run report team 4501241002
expect_rc "team takes a village's code" 64
run report overview --date 2018-02-30x
expect_rc "a bad day is a usage error" 64
run report overview --scope 4501x
expect_rc "a bad scope is a usage error" 64
run report nothing
expect_rc "an unknown report" 64
expect_err "names the reports there are" "overview, coverage, team"
zc_serve_stop
finish
