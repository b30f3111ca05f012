#!/bin/sh
# leave_unit.sh - the copy of leave owed to the sending unit (抄送派出单位,
# issue 12): each request and 销假 is listed for the unit that sent the
# cadre, by `leave list --unit` and to the unit's own account over the API,
# and the cadre's notices say so; a unit sees its own cadres' leave and
# nothing else, and nobody outside the scope sees it through the filter.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
unset ZHUCUN_POLICY

ID1=$(zc_idcard 45010219850317123)
ID2=$(zc_idcard 45010219860411234)
VA=450124203202
VB=450125205203

run init
run divisions load --only 450124,450125
printf 'code,name,level,category,division,staff\nU001,马山县委组织部,county,party,450124,60\nU002,南宁市财政局,city,经济,450100,80\n' >"$T/units.csv"
run import units "$T/units.csv"
expect_rc "two sending units" 0
printf 'code,poverty\n%s,deep\n%s,poor\n' "$VA" "$VB" >"$T/villages.csv"
run import villages "$T/villages.csv"
printf 'id_number,name,unit,rank,party_member,service_years,education\n%s,张三,U002,副科,是,10,本科\n%s,李四,U001,科员,是,6,本科\n' "$ID1" "$ID2" >"$T/cadres.csv"
run import cadres "$T/cadres.csv"
expect_rc "a cadre of each unit" 0
C1=$(zc_sql "SELECT id FROM cadre WHERE name = '张三'")
C2=$(zc_sql "SELECT id FROM cadre WHERE name = '李四'")
zc_sql "INSERT INTO posting(cadre, village, role, start_date) VALUES ($C1, $VA, 'first_secretary', '2026-01-01')"
zc_sql "INSERT INTO posting(cadre, village, role, start_date) VALUES ($C2, $VA, 'member', '2026-01-01')"

# ---- the CLI ---------------------------------------------------------------
run leave request --cadre "$ID1" --from 2026-11-23 --to 2026-11-24 --reason 探亲
expect_rc "张三 asks for leave" 0
L1=$(zc_sql "SELECT id FROM field_leave WHERE cadre = $C1")
run leave request --cadre "$ID2" --from 2026-11-25 --to 2026-11-25 --kind trip --reason 开会
expect_rc "李四 asks for a trip" 0
L2=$(zc_sql "SELECT id FROM field_leave WHERE cadre = $C2")
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
expect_eq "张三's notice names the unit the request is copied to" \
    "$(zc_sql "SELECT text FROM notice WHERE cadre = $C1 AND kind = 'leave' AND ref = $L1")" \
    "请假申请 #$L1，已抄送派出单位南宁市财政局（U002）"
expect_eq "李四's names his own unit" \
    "$(zc_sql "SELECT count(*) FROM notice WHERE cadre = $C2 AND kind = 'leave' AND text LIKE '%马山县委组织部%'")" 1

run leave list --unit U002
expect_rc "leave list --unit" 0
expect_out "the unit's cadre is listed" "张三"
case $OUT in *李四*) _fail "another unit's cadre is not listed" "$OUT" ;; *) _ok "another unit's cadre is not listed" ;; esac
expect_out "the count says whose" "1 leave requests and trips of cadres sent by U002"
run leave list
expect_out "without --unit both are listed" "2 leave requests and trips"
run leave list --unit U002 --scope 450125
expect_out "the filter does not reach outside --scope" "0 leave requests"
run leave list --unit U002 --format json
expect_rc "json" 0
if printf '%s' "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d)==1 and d[0]['unit']=='南宁市财政局' and d[0]['status']=='pending', d"; then _ok "json names the unit"; else _fail "json names the unit" "$OUT"; fi
run leave list --format xlsx
expect_rc "no xlsx on stdout" 64

run leave approve "$L1" --as township
expect_rc "township approves two days" 0
run leave return "$L1" --date 2026-11-24
expect_rc "销假" 0
expect_eq "the return is copied too, and the cadre told" \
    "$(zc_sql "SELECT count(*) FROM notice WHERE cadre = $C1 AND kind = 'leave' AND text LIKE '销假 #$L1（2026-11-24 返岗），已抄送派出单位南宁市财政局%'")" 1
run leave list --unit U002 --format csv
expect_out "the unit's list shows the return" "2026-11-24"

# ---- accounts of a sending unit ----------------------------------------------------
zc_add_user u2 --role unit --unit U002
zc_add_user u1 --role unit --unit U001
echo "$PW" | "$ZHUCUN" user add u9 --role unit --unit U999 --password-stdin >/dev/null 2>"$T/err"
expect_eq "a unit account names a unit of the ledger" "$?" 66
echo "$PW" | "$ZHUCUN" user add u8 --role unit --password-stdin >/dev/null 2>"$T/err"
expect_eq "a unit account needs its unit" "$?" 65
run user list
expect_out "user list shows the unit" "U002"
zc_add_user cty --role county --scope 450124
zc_add_user other --role county --scope 450125
zc_add_user cad --role cadre --scope 450124 --cadre "$ID1"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$ROOT/web/vendor/echarts.min.js" ] || sh "$ROOT/scripts/web-vendor.sh" >/dev/null 2>&1
if zc_serve --web "$ROOT/web" --threads 2; then _ok "server is up"; else _fail "server is up" "$(cat "$T/server.log")"; finish; fi
for u in u1 u2 cty other cad; do login $u; done

req u2 GET /api/v1/field/leave
expect_code "the unit reads its copy" 200
if py "l=d['leave']; assert [x['id'] for x in l]==[$L1] and l[0]['returned']=='2026-11-24' and l[0]['unit']=='U002', d"; then _ok "U002 sees 张三's leave and its return, nothing else"; else _fail "U002's copy" "$(head -c 400 "$T/body")"; fi
req u1 GET /api/v1/field/leave
if py "assert [x['id'] for x in d['leave']]==[$L2], d"; then _ok "U001 sees 李四's trip only"; else _fail "U001's copy" "$(head -c 400 "$T/body")"; fi
req u2 GET "/api/v1/field/leave?unit=U001"
expect_code "a unit cannot ask for another unit's" 403
req u2 GET "/api/v1/field/leave?unit=U002&status=approved"
if py "assert len(d['leave'])==1, d"; then _ok "its own unit named and a status"; else _fail "unit and status" "$(head -c 300 "$T/body")"; fi
req u2 GET "/api/v1/field/leave?scope=450124"
expect_code "a unit has no division to narrow to" 404
req u2 GET "/api/v1/field/presence?month=2026-11"
if py "assert not d.get('rows') and not d.get('cadres'), d"; then _ok "a unit sees no residence ledger"; else _fail "unit presence" "$(head -c 300 "$T/body")"; fi
req u2 GET /api/v1/cadres
if py "assert not d.get('items'), d"; then _ok "nor the cadre list"; else _fail "unit cadres" "$(head -c 300 "$T/body")"; fi
BODY='{}' req u2 POST "/api/v1/field/leave/$L2/approve"
case $CODE in 403 | 404) _ok "a unit approves nothing ($CODE)" ;; *) _fail "a unit approves nothing" "status $CODE" ;; esac
BODY="{\"from\":\"2026-11-28\",\"to\":\"2026-11-28\",\"cadre\":$C1}" req u2 POST /api/v1/field/leave
case $CODE in 403 | 404) _ok "nor asks for leave for its cadre ($CODE)" ;; *) _fail "unit leave request" "status $CODE" ;; esac
req cty GET "/api/v1/field/leave?unit=U002"
if py "assert [x['id'] for x in d['leave']]==[$L1], d"; then _ok "the county filters by sending unit"; else _fail "county ?unit" "$(head -c 300 "$T/body")"; fi
req other GET "/api/v1/field/leave?unit=U002"
if py "assert d['leave']==[], d"; then _ok "another county sees none through the filter"; else _fail "other ?unit" "$(head -c 300 "$T/body")"; fi
req cad GET /api/v1/notices
if py "n=[x for x in d['notices'] if x['kind']=='leave']; assert len(n)==2 and all('抄送派出单位南宁市财政局' in x['text'] for x in n), d"; then _ok "the cadre's notices mention the copy"; else _fail "cadre notices" "$(head -c 400 "$T/body")"; fi
req u2 GET /api/v1/notices
expect_code "a unit account has no cadre's notices" 403
req u2 GET /api/v1/session
expect_body "the unit account says its unit" '"unit":"U002"'
# The unit's page in the browser (SQLite pass only, as the other browser tests).
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if zc_sqlite_only "the unit's page in a browser"; then
    if [ -x "$CHROMIUM" ] && [ -d "$ROOT/node_modules/playwright-core" ] && command -v node >/dev/null; then
        CHROMIUM="$CHROMIUM" node "$ROOT/tests/e2e/unit.mjs" "$BASE" u2 "$PW" 张三 李四 >"$T/e2e.log" 2>&1
        cat "$T/e2e.log"
        p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$T/e2e.log" | tail -n 1)
        f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$T/e2e.log" | tail -n 1)
        if [ -z "$p" ]; then _fail "browser test ran" "no result line"; else PASS=$((PASS + p)); FAILS=$((FAILS + f)); fi
    else
        _fail "browser available" "need $CHROMIUM, node and node_modules/playwright-core (scripts/bootstrap.sh)"
    fi
fi
zc_serve_stop
finish
