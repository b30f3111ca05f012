#!/bin/sh
# households.sh - helping the households precisely (精准帮扶, issue 14): the
# causes of poverty (several, the registry's categories), the plan per
# household (一户一策) as measure records, its five-level review in order
# (every transition: sign-off, out of order, return, a change starting a
# new version, approval), scope on each write, the audit record; the
# responsible cadres (帮扶责任人: the village's team or its paired unit, the
# policy's cap, one per household) listed by household and by cadre with
# their visits; and the return-to-poverty watch (防返贫监测).
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2018-06-17
q() { zc_sql "$1"; }
expect_eq() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
run init
run divisions load --only 450124
expect_rc "divisions" 0
V1=450124100201 # 新汉村, 白山镇
V2=450124200202 # 那料村, another township
cat >"$T/units.csv" <<CSV
单位代码,单位名称,层级,类别,所在区划
U1,马山县水利局,县,涉农,450124
U2,马山县教育局,县,教育,450124
CSV
run import units "$T/units.csv"
expect_rc "units" 0
cat >"$T/villages.csv" <<CSV
区划代码,贫困类型,人口,户数,贫困户数,贫困人口,结对单位
$V1,贫困村,1000,250,8,20,U2
$V2,贫困村,900,200,1,2,
CSV
run import villages "$T/villages.csv"
expect_rc "villages" 0
C1=$(zc_idcard 45012419800101001) # serves in V1's team
C2=$(zc_idcard 45012419820202002) # of U2, V1's paired unit, serves nowhere
C3=$(zc_idcard 45012419830303003) # of U1, serves in V2
cat >"$T/cadres.csv" <<CSV
身份证号,姓名,单位代码
$C1,李明,U1
$C2,王芳,U2
$C3,张强,U1
CSV
run import cadres "$T/cadres.csv"
expect_rc "cadres" 0
q "INSERT INTO posting (cadre, village, role, start_date) SELECT id, $V1, 'first_secretary', '2018-03-01' FROM cadre WHERE id_number = '$C1'"
q "INSERT INTO posting (cadre, village, role, start_date) SELECT id, $V2, 'first_secretary', '2018-03-01' FROM cadre WHERE id_number = '$C3'"
{
    echo "户编号,区划代码,人口数,致贫原因,脱贫状态,识别年度"
    for i in 1 2 3 4 5 6 7; do echo "H$i,$V1,2,因病,未脱贫,2015"; done
    echo "H8,$V1,6,缺技术,未脱贫,2015"
    echo "G1,$V2,2,因残,未脱贫,2016"
} >"$T/households.csv"
run import households "$T/households.csv"
expect_rc "households" 0

# ---- causes ------------------------------------------------------------------
run household causes --household H1 --set "因病、缺技术,缺资金"
expect_rc "several causes" 0
expect_out "causes stored in order" "因病、缺技术、缺资金"
expect_eq "three cause rows" "$(q "SELECT cause FROM household_cause WHERE household = 'H1' ORDER BY position" | paste -sd/)" "因病/缺技术/缺资金"
run household causes --household H1 --set "缺技术 因病"
expect_eq "the first is the main cause" "$(q "SELECT cause FROM household WHERE id = 'H1'")" "缺技术"
expect_eq "a new list replaces the old" "$(q "SELECT count(*) FROM household_cause WHERE household = 'H1'")" 2
run household causes --household H1 --set "因病,没钱"
expect_rc "an unknown cause is refused" 65
expect_err "the bad cause and the household are named" "household H1: '没钱' is not a cause of poverty"
expect_eq "a refused list changes nothing" "$(q "SELECT count(*) FROM household_cause WHERE household = 'H1'")" 2
run household causes --household H1 --set 因灾 --scope 450124200
expect_rc "causes outside the scope" 77
run household causes --household NOPE --set 因病
expect_rc "causes of an unknown household" 66
run household causes --household H1
expect_out "causes shown" "致贫原因 缺技术、因病"

# Several causes through the household import (all or nothing).
printf '户编号,区划代码,人口数,致贫原因\nH8,%s,6,因病;缺技术、缺资金\nH7,%s,2,因残\n' "$V1" "$V1" >"$T/causes.csv"
run import households "$T/causes.csv"
expect_rc "an import with several causes" 0
expect_eq "the list and the main cause" "$(q "SELECT cause FROM household WHERE id = 'H8'"):$(q "SELECT cause FROM household_cause WHERE household = 'H8' ORDER BY position" | paste -sd/)" "因病:因病/缺技术/缺资金"
run import households "$T/causes.csv"
expect_out "a second import changes nothing" "0 added, 0 updated, 2 unchanged"
expect_eq "nor the causes" "$(q "SELECT count(*) FROM household_cause WHERE household = 'H8'")" 3
printf '户编号,区划代码,人口数,致贫原因\nH8,%s,6,缺资金\n' "$V1" >"$T/main.csv"
run import households "$T/main.csv"
expect_eq "one cause: the main one put first, the others kept" "$(q "SELECT cause FROM household_cause WHERE household = 'H8' ORDER BY position" | paste -sd/)" "缺资金/因病/缺技术"
expect_eq "and the household's main cause" "$(q "SELECT cause FROM household WHERE id = 'H8'")" "缺资金"
printf '户编号,区划代码,人口数,致贫原因\nH7,%s,2,因病;缺技术\nH8,%s,6,因病;懒\n' "$V1" "$V1" >"$T/badcause.csv"
run import households "$T/badcause.csv"
expect_rc "an unknown cause refuses the file" 65
expect_err "row and column named" "badcause.csv:3:致贫原因: '懒' is not one of"
expect_eq "nothing written: H7 keeps its one cause" "$(q "SELECT count(*) FROM household_cause WHERE household = 'H7'")" 0
run export households --format csv
expect_out "export carries the list" "缺资金;因病;缺技术"

# ---- the plan ------------------------------------------------------------------
run household plan add --household H1 --kind 产业扶持 --what "种植砂糖橘 5 亩" --amount 6000 --by 李明 --due 2018-12-31
expect_rc "a measure added" 0
expect_out "a new plan at version 1 awaits level 1" "version 1, 草稿, awaiting level 1 (帮扶责任人)"
M1=$(q "SELECT max(id) FROM aid_measure")
expect_eq "kind stored as the registry's spelling" "$(q "SELECT kind || '|' || amount_fen || '|' || due_date FROM aid_measure WHERE id = $M1")" "产业|600000|2018-12-31"
run household plan add --household H1 --kind 就业 --what "公益性岗位 护林员"
expect_rc "a second measure" 0
run household plan add --household H1 --kind 旅游 --what "x"
expect_rc "an unknown kind is refused" 65
expect_err "the kind and household are named" "household H1: measure kind '旅游' is not one of"
run household plan add --household H1 --kind 教育 --what "助学" --due 2018-02-30
expect_rc "a bad due date is refused" 65
expect_err "the date is named" "due date '2018-02-30' is not a date"
run household plan add --household H1 --kind 教育 --what "助学" --scope 450124200
expect_rc "a measure outside the scope" 77
expect_eq "refused measures wrote nothing" "$(q "SELECT count(*) FROM aid_measure")" 2

# ---- the five-level review ---------------------------------------------------------
run household review --household H1 --level team --approve
expect_rc "level 2 before level 1 is refused" 65
expect_err "the awaited level is named" "plan version 1 awaits level 1 (帮扶责任人); level 2 (驻村工作队) cannot sign off it now"
run household review --household H1 --level 1 --return --reason x
expect_rc "level 1 cannot return" 65
run household review --household H1 --level 帮扶责任人 --approve
expect_rc "level 1 signs" 0
expect_out "now awaiting level 2" "awaiting level 2 (驻村工作队)"
run household review --household H1 --level 2 --approve
expect_rc "level 2 signs" 0
run household review --household H1 --level 3 --approve --scope 450124100201
expect_rc "a village account cannot sign for the station" 77
expect_err "the level's need is named" "level 3 (扶贫工作站) signs with a township account or above"
run household review --household H1 --level 3 --return
expect_rc "a return needs its reason" 65
run household review --household H1 --level station --return --reason "产业项目未核实面积"
expect_rc "level 3 returns" 0
expect_out "returned to level 2" "退回, awaiting level 2 (驻村工作队)"
run household review --household H1 --level 3 --approve
expect_rc "after the return level 3 waits for level 2 again" 65
run household review --household H1 --level 2 --approve
expect_rc "level 2 signs again" 0
run household review --household H1 --level 3 --approve --scope 450124100
expect_rc "the station signs with a township account" 0
run household review --household H1 --level 4 --approve --scope 450124100
expect_rc "the township head signs" 0
run household plan list --waiting county
expect_out "what waits for the county leader" "H1"
expect_out "the list counts" "1 plans"
run household review --household H1 --level 5 --approve --scope 450124100
expect_rc "the county leader cannot sign with a township account" 77
run household plan list --status approved
expect_out "not approved before level 5" "0 plans"
run household review --household H1 --level 县领导 --approve --scope 450124
expect_rc "level 5 signs" 0
expect_out "approved" "version 1, 已审定 (all five levels signed)"
expect_eq "plan approved in the record" "$(q "SELECT status || ' ' || next_level || ' ' || version FROM aid_plan WHERE household = 'H1'")" "approved 6 1"
expect_eq "ordered review records" "$(q "SELECT level || decision FROM aid_review WHERE household = 'H1' ORDER BY id" | paste -sd,)" "1approve,2approve,3return,2approve,3approve,4approve,5approve"
run household review --household H1 --level 5 --approve
expect_rc "an approved plan is not reviewed again" 65
expect_err "why" "already approved by all five levels"
# Done is execution, not a change.
run household plan done "$M1" --day 2018-06-10
expect_rc "a measure done" 0
expect_out "done keeps the plan approved" "version 1, 已审定"
# A change starts a new version.
run household plan edit "$M1" --amount 8000
expect_rc "a measure changed" 0
expect_out "a new version, reviewed again" "version 2, 草稿, awaiting level 1 (帮扶责任人) (a new version: the review begins again)"
expect_eq "both versions' measures kept" "$(q "SELECT version || ':' || CASE WHEN measures LIKE '%6000.00%' THEN 1 ELSE 0 END || CASE WHEN measures LIKE '%8000.00%' THEN 1 ELSE 0 END FROM aid_plan_version WHERE household = 'H1' ORDER BY version" | paste -sd,)" "1:10,2:01"
run household plan edit "$M1" --what "种植砂糖橘 6 亩"
expect_out "an unreviewed version stays the same version" "version 2, 草稿"
run household plan show --household H1
expect_rc "plan show" 0
expect_out "show lists the measures" "种植砂糖橘 6 亩"
expect_out "show lists the reviews with reasons" "退回: 产业项目未核实面积"
expect_out "show lists the causes" "致贫原因 缺技术、因病"
run household plan remove "$M1"
expect_rc "a measure removed" 0
expect_eq "one measure left" "$(q "SELECT count(*) FROM aid_measure WHERE household = 'H1'")" 1
run household plan remove 99999
expect_rc "an unknown measure" 66
run household review --household H2 --level 1 --approve
expect_rc "no plan, no review" 65
expect_err "says so" "household H2 has no plan measures to review yet"

# ---- responsible cadres ----------------------------------------------------------
run household cadre --household H1 --cadre "$C1" --since 2018-03-05
expect_rc "a cadre of the village's team" 0
expect_out "basis named" "驻村工作队"
run household cadre --household H2 --cadre "$C2"
expect_rc "a cadre of the paired unit" 0
expect_out "paired unit named" "结对帮扶单位"
run household cadre --household H3 --cadre "$C3"
expect_rc "a cadre of another village is refused" 65
expect_err "why, naming the household" "household H3: cadre $C3 (张强) neither serves in the team of village $V1 nor belongs to its paired unit (U2)"
run household cadre --household G1 --cadre "$C3" --scope 450124100
expect_rc "assignment outside the scope" 77
for h in H3 H4 H5 H6; do "$ZHUCUN" household cadre --household "$h" --cadre "$C1" >/dev/null 2>&1; done
expect_eq "the cadre holds five" "$(q "SELECT count(*) FROM aid_responsible r JOIN cadre c ON c.id = r.cadre WHERE c.id_number = '$C1'")" 5
run household cadre --household H7 --cadre "$C1"
expect_rc "the cap is enforced" 65
expect_err "the cap and the households are named" "is already responsible for 5 households (H1, H3, H4, H5, H6), the most aid.households_per_cadre allows (5)"
run household cadre --household H1 --cadre "$C1"
expect_rc "reassigning the same household does not count it twice" 0
run household cadre --household H7 --cadre "$C2"
expect_rc "another cadre takes H7" 0
run household cadre --household H2 --cadre "$C1"
expect_rc "reassigning past the cap is refused" 65
run household cadre --household H1 --cadre "$C2"
expect_rc "a household changes its cadre" 0
expect_out "the earlier one is named" "replacing $C1"
expect_eq "exactly one per household" "$(q "SELECT count(*) FROM aid_responsible WHERE household = 'H1'")" 1
run household cadre --household H1 --cadre "$C1"
expect_rc "back to the first" 0
# Visits: C1 visited H1 last month and H3 long ago; C2 visited H2 but H7 never.
CID1=$(q "SELECT id FROM cadre WHERE id_number = '$C1'")
ZHUCUN_NOW="2018-06-10 18:00:00" run visit add --cadre "$CID1" --day 2018-06-10 --household H1 --text "入户走访"
expect_rc "a visit" 0
q "INSERT INTO field_entry (cadre, village, kind, day, household, text, created_at, updated_at) VALUES ($CID1, $V1, 'visit', '2018-03-20', 'H3', '走访', '2018-03-20 10:00:00', '2018-03-20 10:00:00')"
run household cadres --format csv
expect_rc "cadres as CSV" 0
head -n 1 "$T/out" | grep -q "户编号,村代码,村,帮扶责任人身份证号,帮扶责任人,单位,来源,起始日期,帮扶户数,期间走访次数,最近走访,提示" && _ok "CSV columns" || _fail "CSV columns" "$(head -n 1 "$T/out")"
expect_eq "H1 visited in the period" "$(grep '^H1,' "$T/out" | cut -d, -f10,11,12 | tr -d '\r')" "1,2018-06-10,"
expect_eq "H3 last visited before the period is flagged" "$(grep '^H3,' "$T/out" | cut -d, -f10,11,12 | tr -d '\r')" "0,2018-03-20,未走访"
expect_eq "H8 has no responsible cadre" "$(grep '^H8,' "$T/out" | cut -d, -f12 | tr -d '\r')" "无帮扶责任人"
expect_eq "the cadre's load is shown" "$(grep '^H1,' "$T/out" | cut -d, -f9)" 5
run household cadres
expect_out "the summary counts" "2 households without a responsible cadre"
expect_out "the period is named" "since 2018-04-17 (aid.visit_months = 2)"
run household cadres --by cadre --cadre "$C1" --format csv
expect_eq "one cadre's households" "$(tail -n +2 "$T/out" | cut -d, -f1 | tr '\n' ' ')" "H1 H3 H4 H5 H6 "
run household cadres --overdue --format csv
expect_no_out "overdue only: the visited household is left out" "H1,"
expect_out "overdue only: the never visited is in" "H7,"
run household cadres --scope 450124200 --format csv
expect_eq "scoped to the other township" "$(tail -n +2 "$T/out" | cut -d, -f1 | tr '\n' ' ')" "G1 "

# ---- the return-to-poverty watch (防返贫监测) -------------------------------------------
# Default policy: line 4,000 yuan, watch line 150% = 6,000 yuan.
"$ZHUCUN" household status --household H1 --year 2017 --status 脱贫 --income 9000 --met 全部 >/dev/null
"$ZHUCUN" household status --household H1 --year 2018 --status 脱贫 --income 5000 --met 全部 >/dev/null # near the line
"$ZHUCUN" household status --household H2 --year 2017 --status 脱贫 --income 9000 --met 全部 >/dev/null
"$ZHUCUN" household status --household H2 --year 2018 --status 监测 --income 9000 --met 吃,穿,义务教育,基本医疗,饮水安全 --unmet 住房安全 >/dev/null
"$ZHUCUN" household status --household H3 --year 2017 --status 脱贫 --income 9000 --met 全部 >/dev/null
"$ZHUCUN" household status --household H3 --year 2018 --status 返贫 --income 3000 >/dev/null
"$ZHUCUN" household status --household H4 --year 2017 --status 脱贫 --income 6000 --met 全部 >/dev/null # at the watch line: not below
"$ZHUCUN" household status --household H5 --year 2018 --status 贫困 --income 2000 --unmet 住房安全 >/dev/null # never exited
"$ZHUCUN" household status --household G1 --year 2016 --status 脱贫 --income 4500 --met 全部 >/dev/null
run watch --year 2018 --format csv
expect_rc "watch as CSV" 0
head -n 1 "$T/out" | grep -q "县,乡镇,区划代码,村,户编号,脱贫年度,最近记录年度,状态,人均收入(元),监测线(元),风险,帮扶责任人" && _ok "watch CSV columns" || _fail "watch CSV columns" "$(head -n 1 "$T/out")"
expect_eq "the watched households, by village" "$(tail -n +2 "$T/out" | cut -d, -f5 | tr '\n' ' ')" "H1 H2 H3 G1 "
expect_out "income near the line" "人均收入 5000 元低于监测线 6000 元"
expect_out "a 两不愁三保障 failure after exit, a watched status" "住房安全未保障；监测对象"
expect_out "returned" "已返贫"
expect_no_out "at the watch line is not below it" "H4,"
expect_no_out "a household that never exited is not watched" "H5,"
expect_eq "the responsible cadre is named" "$(grep ',H1,' "$T/out" | cut -d, -f12 | tr -d '\r')" "李明"
expect_eq "county and township named" "$(grep ',H1,' "$T/out" | cut -d, -f1,2)" "马山县,白山镇"
run watch --year 2017 --format csv
expect_eq "the year counts: in 2017 only G1 is at risk" "$(tail -n +2 "$T/out" | cut -d, -f5 | tr '\n' ' ')" "G1 "
run watch --year 2018 --scope 450124200
expect_rc "watch in a township" 0
expect_out "by township" "那料村委会"
expect_no_out "other townships left out" "H1"
expect_out "the township's count" "1 户"
printf '{"name":"w","outcomes":{"watch_income_percent":110}}' >"$T/w.json"
run watch --year 2018 --policy "$T/w.json" --format csv
expect_no_out "the watch line is policy (110%: 4,400 yuan)" ",H1,"
expect_out "below it still flagged" "人均收入 3000 元低于监测线 4400 元"
run watch
expect_rc "watch without a year" 64
run watch respond --household H2 --year 2018 --text "入户核实住房，已申请危房改造"
expect_rc "a response to the watch" 0
run watch --year 2018 --format csv
if grep ',H2,' "$T/out" | grep -q '"入户核实住房，已申请危房改造 (cli:[^,]*, 2018-06-17)"'; then _ok "the response is listed with who and when"; else _fail "response listed" "$(grep ',H2,' "$T/out")"; fi
run watch respond --household H4 --year 2018 --text "x"
expect_rc "a household not watched takes no response" 65
expect_err "why" "household H4 is not on the return-to-poverty watch of 2018"
run watch respond --household H2 --year 2018 --text "x" --scope 450124200
expect_rc "a response outside the scope is refused" 65
run watch respond --household H2 --year 2018
expect_rc "a response needs its text" 64

# ---- over HTTP ---------------------------------------------------------------------------
PORT=$((18000 + ($$ + 311) % 900))
BASE="http://127.0.0.1:$PORT"
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
PW=correct-horse-9
for u in "cty --role county --scope 450124" "twp --role township --scope 450124200" "cad --role cadre --scope $V1 --cadre $C1"; do
    set -- $u
    echo "$PW" | "$ZHUCUN" user add "$@" --password-stdin >/dev/null 2>"$T/err" || _fail "user add $1" "$(cat "$T/err")"
done
M1A=$(zc_idcard 45012419700505001)
M1B=$(zc_idcard 45012420100606002)
printf '户编号,身份证号,姓名,与户主关系,健康状况,劳动能力\nH1,%s,黄大山,户主,健康,普通劳动力\nH1,%s,黄小妹,之女,健康,无劳动力\n' "$M1A" "$M1B" >"$T/members.csv"
run import members "$T/members.csv"
expect_rc "H1's members" 0
mkdir -p "$T/web"
echo '<!doctype html><title>驻村</title>' >"$T/web/index.html"
"$ZHUCUN" serve --listen "127.0.0.1:$PORT" --web "$T/web" --threads 2 2>"$T/server.log" &
SRV_PID=$!
i=0
until curl -s -o /dev/null "$BASE/api/v1/session" || [ $i -ge 150 ]; do sleep 0.1; i=$((i + 1)); done
get() { # USER PATH -> $CODE, $T/body
    tok=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "{\"user\":\"$1\",\"password\":\"$PW\"}" "$BASE/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $tok" "$BASE$2")
}
py() { python3 -c "import json,sys; d=json.load(open('$T/body')); $1"; }
get cty "/api/v1/watch?year=2018"
expect_eq "the county reads the watch" "$CODE" 200
py "assert [r['household'] for r in d['rows']] == ['H1','H2','H3','G1'], d; assert d['watch_line_yuan'] == 6000; assert [(t['name'], t['households']) for t in d['townships']] == [('白山镇', 3), ('乔利乡', 1)], d; h2 = [r for r in d['rows'] if r['household'] == 'H2'][0]; assert h2['checks']['住房安全'] is False and h2['checks']['吃'] is True, h2" && _ok "rows, the line, townships, the checks" || _fail "watch JSON" "$(head -c 400 "$T/body")"
get twp "/api/v1/watch?year=2018"
py "assert [r['household'] for r in d['rows']] == ['G1'], d" && _ok "a township sees its own" || _fail "township watch" "$(head -c 300 "$T/body")"
get twp "/api/v1/watch?year=2018&scope=450124100"
expect_eq "another township is 404" "$CODE" 404
get cad "/api/v1/watch?year=2018"
py "assert [r['household'] for r in d['rows']] == ['H1', 'H3'], d" && _ok "a cadre sees the households they are responsible for" || _fail "cadre watch" "$(head -c 300 "$T/body")"
get cty "/api/v1/watch?year=1999"
expect_eq "a bad year is 400" "$CODE" 400
# The household card and the review.
post() { # USER PATH BODY
    tok=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "{\"user\":\"$1\",\"password\":\"$PW\"}" "$BASE/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' --data-binary "$3" "$BASE$2")
}
get cty "/api/v1/households/H1/card"
expect_eq "the county opens the card" "$CODE" 200
py "assert d['causes'] == '缺技术、因病', d['causes']; p = d['plan']; assert p['version'] == 2 and p['next_level'] == 1 and p['status'] == 'draft', p; assert [m['kind'] for m in p['measures']] == ['就业'], p; assert len(p['reviews']) == 7 and p['reviews'][2]['decision'] == 'return' and p['reviews'][2]['reason'] == '产业项目未核实面积', p['reviews']; assert d['responsible']['name'] == '李明' and d['responsible']['id_number'] == '$C1', d['responsible']; assert [v['day'] for v in d['visits']] == ['2018-06-10'], d['visits']; assert [s['year'] for s in d['statuses']] == [2017, 2018], d['statuses']; assert [(m['name'], m['relation'], m['gender']) for m in d['members_list']] == [('黄大山', '户主', '男'), ('黄小妹', '子女', '女')], d['members_list']" && _ok "card: causes, plan with measures and reviews, responsible cadre, visits, statuses" || _fail "card" "$(head -c 600 "$T/body")"
get cad "/api/v1/households/H2/card"
expect_eq "a cadre of the village's team opens a card there" "$CODE" 200
py "assert '*' in d['responsible']['id_number'] and d['members_list'] == [], d" && _ok "a cadre sees ID numbers masked" || _fail "masked" "$(head -c 300 "$T/body")"
get cad "/api/v1/households/H1/card"
py "m = d['members_list']; assert '*' in m[0]['id_number'] and m[0]['birth'] == '1970', m" && _ok "a cadre's card masks members' ID numbers and birth dates" || _fail "member masking" "$(head -c 300 "$T/body")"
get cad "/api/v1/households/G1/card"
expect_eq "another village's card is 404 for the cadre" "$CODE" 404
get twp "/api/v1/households/H1/card"
expect_eq "another township's card is 404" "$CODE" 404
post cad "/api/v1/households/H1/review" '{"level": 1, "decision": "approve"}'
expect_eq "the responsible cadre signs level 1" "$CODE" 200
py "assert d['next_level'] == 2 and d['status'] == 'in_review', d" && _ok "now awaiting level 2" || _fail "after level 1" "$(cat "$T/body")"
post cad "/api/v1/households/H1/review" '{"level": 2, "decision": "approve"}'
expect_eq "a cadre account cannot sign for the team" "$CODE" 403
post twp "/api/v1/households/H1/review" '{"level": 2, "decision": "approve"}'
expect_eq "another township cannot sign" "$CODE" 403
post cty "/api/v1/households/H1/review" '{"level": "team", "decision": "approve"}'
expect_eq "the county signs for the team" "$CODE" 200
post cty "/api/v1/households/H1/review" '{"level": 4, "decision": "approve"}'
expect_eq "out of order is refused" "$CODE" 400
post cty "/api/v1/households/H1/review" '{"level": 3, "decision": "return"}'
expect_eq "a return without a reason is refused" "$CODE" 400
post cty "/api/v1/households/H1/review" '{"level": 9, "decision": "approve"}'
expect_eq "a bad level is refused" "$CODE" 400
post cad "/api/v1/households/H1/watch" '{"year": 2018, "text": "电话回访，务工收入已恢复"}'
expect_eq "the responsible cadre responds to the watch" "$CODE" 201
post cad "/api/v1/households/G1/watch" '{"year": 2018, "text": "x"}'
expect_eq "not for another cadre's household" "$CODE" 400
post twp "/api/v1/households/H1/watch" '{"year": 2018, "text": "x"}'
expect_eq "not for another township's" "$CODE" 400
get cty "/api/v1/watch?year=2018"
py "h1 = [r for r in d['rows'] if r['household'] == 'H1'][0]; assert h1['response'].startswith('电话回访，务工收入已恢复 (web:cad'), h1" && _ok "the web response shows in the watch" || _fail "web response" "$(head -c 300 "$T/body")"
get cty "/api/v1/aid/plans?waiting=station"
py "assert [p['household'] for p in d['plans']] == ['H1'] and d['plans'][0]['next_level_name'] == '扶贫工作站', d" && _ok "what waits for the station" || _fail "waiting list" "$(head -c 300 "$T/body")"
expect_eq "web reviews audited with their actor" "$(q "SELECT count(*) FROM audit_log WHERE action = 'household.review.approve' AND actor LIKE '%cad%'")" 1
# ---- writes over HTTP: causes, measures, the responsible cadre -----------------------------
send() { # USER METHOD PATH [BODY]
    tok=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "{\"user\":\"$1\",\"password\":\"$PW\"}" "$BASE/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' --data-binary "${4:-}" "$BASE$3")
}
send cty PUT /api/v1/households/H1/causes '{"causes": ["因病", "缺资金"]}'
expect_eq "the county sets H1's causes" "$CODE" 200
py "assert d['causes'] == '因病、缺资金', d" && _ok "the list as stored" || _fail "causes answer" "$(cat "$T/body")"
expect_eq "the first is the main cause" "$(q "SELECT cause FROM household WHERE id = 'H1'")" "因病"
send cty PUT /api/v1/households/H1/causes '{"causes": "因病、懒"}'
expect_eq "an unknown cause is refused" "$CODE" 400
expect_eq "and named" "$(grep -c '懒' "$T/body")" 1
send twp PUT /api/v1/households/H1/causes '{"causes": "因学"}'
expect_eq "another township cannot" "$CODE" 403
send cad PUT /api/v1/households/H1/causes '{"causes": "因病、缺技术"}'
expect_eq "the responsible cadre can" "$CODE" 200
send cad PUT /api/v1/households/H2/causes '{"causes": "因学"}'
expect_eq "a cadre not responsible for H2 cannot" "$CODE" 403
V_BEFORE=$(q "SELECT version FROM aid_plan WHERE household = 'H1'")
send cty POST /api/v1/households/H1/measures '{"kind": "产业", "what": "养牛 2 头", "amount": 6000, "by": "黄大山", "due": "2018-12-31"}'
expect_eq "the county adds a measure" "$CODE" 201
MID=$(py "print(d['id'])")
py "p = d['plan']; assert p['version'] == $V_BEFORE + 1 and p['next_level'] == 1 and p['status'] == 'draft', p" && _ok "a plan under review goes round again as a new version" || _fail "new version" "$(cat "$T/body")"
expect_eq "stored in fen" "$(q "SELECT kind || ' ' || amount_fen || ' ' || due_date FROM aid_measure WHERE id = $MID")" "产业 600000 2018-12-31"
send cty POST /api/v1/households/H1/measures '{"kind": "旅游", "what": "x"}'
expect_eq "a kind outside the registry's list" "$CODE" 400
send cty POST /api/v1/households/H1/measures '{"kind": "教育", "what": "x", "due": "2018-02-30"}'
expect_eq "a due date that is no date" "$CODE" 400
send cty POST /api/v1/households/H1/measures '{"kind": "教育"}'
expect_eq "a measure needs its text" "$CODE" 400
send twp POST /api/v1/households/H1/measures '{"kind": "教育", "what": "x"}'
expect_eq "another township adds nothing" "$CODE" 403
send cad PATCH "/api/v1/aid/measures/$MID" '{"amount": 6500.5}'
expect_eq "the responsible cadre corrects the amount" "$CODE" 200
expect_eq "changed" "$(q "SELECT amount_fen FROM aid_measure WHERE id = $MID")" 650050
send cad PATCH "/api/v1/aid/measures/$MID" '{}'
expect_eq "an empty change is refused" "$CODE" 400
send cty POST "/api/v1/aid/measures/$MID/done" '{"done": true, "day": "2018-06-15"}'
expect_eq "marked done" "$CODE" 200
expect_eq "done on its day" "$(q "SELECT status || ' ' || done_date FROM aid_measure WHERE id = $MID")" "done 2018-06-15"
send cty POST "/api/v1/aid/measures/$MID/done" '{"done": false}'
expect_eq "open again" "$(q "SELECT status FROM aid_measure WHERE id = $MID")" "open"
send twp DELETE "/api/v1/aid/measures/$MID"
expect_eq "another township removes nothing" "$CODE" 403
send cty DELETE "/api/v1/aid/measures/999999"
expect_eq "an unknown measure" "$CODE" 404
send cty DELETE "/api/v1/aid/measures/abc"
expect_eq "not a number" "$CODE" 404
send cty DELETE "/api/v1/aid/measures/$MID"
expect_eq "the county removes it" "$CODE" 200
expect_eq "gone" "$(q "SELECT count(*) FROM aid_measure WHERE id = $MID")" 0
send cad PUT /api/v1/households/H1/cadre "{\"cadre\": \"$C2\"}"
expect_eq "a cadre account does not assign responsible cadres" "$CODE" 403
send cty PUT /api/v1/households/H1/cadre "{\"cadre\": \"$C2\", \"since\": \"2018-06-01\"}"
expect_eq "the county assigns one of the paired unit" "$CODE" 200
py "assert d['basis'] == 'unit' and d['previous'] == '$C1', d" && _ok "basis and the one replaced" || _fail "assign answer" "$(cat "$T/body")"
send cty PUT /api/v1/households/H1/cadre "{\"cadre\": \"$C3\"}"
expect_eq "a cadre of another village's team cannot be assigned" "$CODE" 400
send cty PUT /api/v1/households/H1/cadre "{\"cadre\": \"$C1\"}"
expect_eq "back to the team's cadre" "$CODE" 200
send cty PUT /api/v1/households/H1/cadre '{"cadre": "12"}'
expect_eq "not an ID number" "$CODE" 400
for a in household.causes household.plan.add household.plan.edit household.plan.done household.plan.remove household.cadre; do
    n=$(q "SELECT count(*) FROM audit_log WHERE action = '$a' AND actor LIKE '%cty%' OR action = '$a' AND actor LIKE '%cad%'")
    if [ "$n" -gt 0 ]; then _ok "web write audited: $a ($n)"; else _fail "web audit $a" "no entry by a web account"; fi
done
stop_server

# ---- imports: responsible cadres and plan measures (all or nothing) -------------------------
printf '户编号,帮扶责任人身份证号,起始日期\nG1,%s,2018-04-01\nH8,%s,\nH8,%s,\nNOPE,%s,\nH2,%s,\n' "$C3" "$C1" "$C2" "$C2" "$(zc_idcard 45012419900101009)" >"$T/resp_bad.csv"
run import responsible "$T/resp_bad.csv"
expect_rc "a responsible file with bad rows" 65
expect_err "the cap, with row and column" "resp_bad.csv:3:帮扶责任人身份证号: household H8: cadre $C1 (李明) is already responsible for 5 households"
expect_err "a household twice" "resp_bad.csv:4:户编号: household H8 already appears in row 3"
expect_err "an unknown household" "resp_bad.csv:5:户编号: no registered household NOPE"
expect_err "an unknown cadre" "resp_bad.csv:6:帮扶责任人身份证号: no cadre with ID number"
expect_err "nothing written" "nothing was imported"
expect_eq "G1 still without a cadre" "$(q "SELECT count(*) FROM aid_responsible WHERE household = 'G1'")" 0
printf '户编号,帮扶责任人身份证号,起始日期\nG1,%s,2018-04-01\nH8,%s,\n' "$C3" "$C2" >"$T/resp.csv"
run import responsible "$T/resp.csv"
expect_rc "a clean responsible file" 0
expect_out "counted" "2 rows: 2 added, 0 updated, 0 unchanged"
expect_eq "the team basis and the date" "$(q "SELECT basis || ' ' || since FROM aid_responsible WHERE household = 'G1'")" "team 2018-04-01"
run import responsible "$T/resp.csv"
expect_out "a second import changes nothing" "2 rows: 0 added, 0 updated, 2 unchanged"
run import responsible "$T/resp.csv" --scope 450124100
expect_rc "an import outside the scope" 65
expect_err "the household outside is named" "resp.csv:2:户编号: household G1 is outside your jurisdiction"
printf '户编号,类别,帮扶措施,金额,责任人,完成期限\nH2,产业扶持,种桑养蚕 3 亩,3000,王芳,2018-12-31\nH2,旅游,x,,,\nH7,教育,助学,abc,,\nH7,教育,雨露计划,3000,,2018-13-01\nH2,产业扶持,种桑养蚕 3 亩,1,,\n' >"$T/meas_bad.csv"
run import measures "$T/meas_bad.csv"
expect_rc "a measures file with bad rows" 65
expect_err "an unknown kind" "meas_bad.csv:3:类别: '旅游' is not one of"
expect_err "a bad amount" "meas_bad.csv:4:金额: 'abc' is not an amount in yuan"
expect_err "a bad due date" "meas_bad.csv:5:完成期限: household H7: due date '2018-13-01' is not a date"
expect_err "the same measure twice" "meas_bad.csv:6:帮扶措施: the same measure of household H2 already appears in row 2"
expect_eq "no measure written" "$(q "SELECT count(*) FROM aid_measure WHERE household IN ('H2', 'H7')")" 0
printf '户编号,类别,帮扶措施,金额,责任人,完成期限\nH2,产业扶持,种桑养蚕 3 亩,3000,王芳,2018-12-31\nH7,教育,雨露计划,3000,,\n' >"$T/meas.csv"
run import measures "$T/meas.csv"
expect_rc "a clean measures file" 0
expect_out "measures counted" "2 rows: 2 added, 0 updated, 0 unchanged"
expect_eq "plans created at version 1" "$(q "SELECT household || ':' || version || status FROM aid_plan WHERE household IN ('H2', 'H7') ORDER BY household" | paste -sd,)" "H2:1draft,H7:1draft"
run import measures "$T/meas.csv"
expect_out "measures re-imported: unchanged" "2 rows: 0 added, 0 updated, 2 unchanged"
"$ZHUCUN" household review --household H2 --level 1 --approve >/dev/null
sed 's/,3000,王芳,/,3600,王芳,/' "$T/meas.csv" >"$T/meas2.csv"
run import measures "$T/meas2.csv"
expect_out "a changed amount updates the measure" "2 rows: 0 added, 1 updated, 1 unchanged"
expect_eq "and starts a new version of the reviewed plan" "$(q "SELECT version || status FROM aid_plan WHERE household = 'H2'") $(q "SELECT amount_fen FROM aid_measure WHERE household = 'H2'")" "2draft 360000"
for a in import.responsible import.measures watch.respond; do
    n=$(q "SELECT count(*) FROM audit_log WHERE action = '$a'")
    if [ "$n" -gt 0 ]; then _ok "audited: $a ($n)"; else _fail "audit $a" "no entry"; fi
done

# ---- the audit record ----------------------------------------------------------------
for a in household.causes household.plan.add household.plan.edit household.plan.remove household.plan.done household.review.approve household.review.return household.cadre; do
    n=$(q "SELECT count(*) FROM audit_log WHERE action = '$a'")
    if [ "$n" -gt 0 ]; then _ok "audited: $a ($n)"; else _fail "audit $a" "no entry"; fi
done
expect_eq "refused writes are not audited" "$(q "SELECT count(*) FROM audit_log WHERE action = 'household.review.approve'")" 9
# ---- the national forms (建档立卡 表式) -------------------------------------------------
run export form households --format csv
expect_rc "the household basic table" 0
expect_eq "its headers, in the registry's order" "$(head -n 1 "$T/out" | sed '1s/^\xEF\xBB\xBF//' | tr -d '\r')" "省,市,县（市、区）,镇（乡、街道）,行政村,行政区划代码,户编号,户主姓名,户主证件号码,家庭人口数,联系电话,脱贫状态,识别年度,主要致贫原因,其他致贫原因,人均纯收入（元）,帮扶责任人,帮扶责任人单位"
expect_eq "one row per registered household" "$(($(wc -l <"$T/out") - 1))" "$(q "SELECT count(*) FROM household")"
H1ROW=$(grep ',H1,' "$T/out" | tr -d '\r')
expect_eq "H1: the head from its members, masked; main and other causes; its cadre" "$(echo "$H1ROW" | cut -d, -f7-9,14,15,17,18)" "H1,黄大山,4501**********$(echo "$M1A" | cut -c15-18),因病,缺技术,李明,马山县水利局"
expect_eq "the divisions by name" "$(echo "$H1ROW" | cut -d, -f3)" "马山县"
run export form households --format csv --unmask
expect_out "--unmask shows the head's ID number" "黄大山,$M1A,"
run export form members --format csv
expect_rc "the member table" 0
expect_eq "member headers" "$(head -n 1 "$T/out" | sed '1s/^\xEF\xBB\xBF//' | tr -d '\r')" "行政区划代码,户编号,姓名,性别,证件号码,与户主关系,出生日期,文化程度,在校生状况,健康状况,劳动技能"
expect_eq "the head first, ID masked, the birth year only" "$(sed -n 2p "$T/out" | cut -d, -f3,5,6,7 | tr -d '\r')" "黄大山,4501**********$(echo "$M1A" | cut -c15-18),户主,1970"
run export form members --format csv --unmask
expect_out "unmasked: the full birth date" "黄大山,男,$M1A,户主,1970-05-05"
run export form b92 --format csv --date 2018-06-01
expect_rc "B92" 0
expect_eq "B92 headers" "$(head -n 1 "$T/out" | cut -d, -f3-8 | sed '1s/^\xEF\xBB\xBF//' | tr -d '\r')" "B92-1 姓名,B92-2 派出单位,B92-3 职务,B92-4 单位级别,B92-5 联系电话,B92-6 驻村时间"
expect_eq "the two first secretaries stationed that day" "$(tail -n +2 "$T/out" | cut -d, -f1,3,4,5,6,8,11 | tr -d '\r' | tr '\n' ' ')" "$V1,李明,马山县水利局,第一书记,县,2018-03-01,是 $V2,张强,马山县水利局,第一书记,县,2018-03-01,是 "
run export form b92 --format csv --date 2018-01-01
expect_eq "before their postings: nobody" "$(($(wc -l <"$T/out") - 1))" 0
run export form b92 --format csv --scope 450124100
expect_eq "scoped to a township" "$(tail -n +2 "$T/out" | cut -d, -f3 | tr -d '\r')" "李明"
run export form households --format xlsx -o "$T/hh.xlsx" --scope 450124200
expect_rc "XLSX" 0
expect_err "one household in the other township" "wrote 1 rows of 贫困户基本信息表"
if unzip -p "$T/hh.xlsx" 2>/dev/null | grep -aq "户主证件号码"; then _ok "the XLSX carries the official headers"; else _fail "xlsx headers" "not found"; fi
run export form households
expect_rc "XLSX needs -o" 64
run export form nope --format csv
expect_rc "an unknown form" 64
expect_eq "each form export is audited (masked or not)" "$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND target LIKE 'form.%'")" 8
expect_eq "the unmasked ones say so" "$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND target LIKE 'form.%' AND CAST($(zc_jx masked) AS INTEGER) = 0")" 2

run audit verify
expect_rc "the audit chain holds" 0

finish
