#!/bin/sh
# field.sh - field work on the command line, on the mashan-2018 demo after
# its plan is published: a month of generated records, the residence ledger
# (table, CSV, JSON, one cadre's days), the cases with each planted rule,
# dismissal, check-ins, leave, diaries and visits, the attendance imports
# (all or nothing), the cases under checkin "none", and the usage errors.
. "$(dirname "$0")/lib.sh"
unset ZHUCUN_POLICY
export ZHUCUN_TODAY=2018-06-17
q() { zc_sql "$1"; }
expect_eq() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
POLICY=$(cd "$(dirname "$0")/../../policies" && pwd)

zc_demo_month "$POLICY/mashan-2018.json"
expect_rc "demo database, its plan published, July's field records" 0
PLAN=$(q "SELECT max(id) FROM plan WHERE status = 'published'")
expect_out "demo field summary" "planted with a case pattern"
expect_eq "every generated check-in is labelled demo" "$(q "SELECT count(*) FROM checkin WHERE demo = 0")" 0
expect_eq "every generated entry is labelled demo" "$(q "SELECT count(*) FROM field_entry WHERE demo = 0")" 0
N1=$(q "SELECT count(*) || '/' || sum(inside) FROM checkin")
run demo field --month 2018-07
expect_rc "the month is generated once" 65
expect_err "regenerating says why" "already has demo field records"
expect_eq "regenerating adds nothing" "$(q "SELECT count(*) || '/' || sum(inside) FROM checkin")" "$N1"
# The generated month is in the record (issue 17: every write, through any door), once.
expect_eq "demo field is in the audit record, with its actor and counts" "$(q "SELECT actor || ' ' || target || ' ' || $(zc_jx checkins) FROM audit_log WHERE action = 'demo.field'")" "cli:${USER:-$(id -un)} 2018-07 ${N1%/*}"

# ---- the residence ledger ---------------------------------------------------
# A month later: July is over and judged.
export ZHUCUN_TODAY=2018-08-01
run presence --month 2018-07
expect_rc "presence" 0
expect_out "presence header" "在村天数"
expect_out "presence summary line" "cadres stationed in 2018-07"
expect_out "ID numbers masked" "**********"
run presence --month 2018-07 --format csv
expect_rc "presence csv" 0
expect_out "csv columns" "身份证号,姓名,村,村代码,派出单位,派驻天数,在村天数,在村夜数,请假天数,公差天数,应在村天数,未达标周数,达标,证据数"
NOTOK=$(grep -c ',否,' "$T/out")
[ "$NOTOK" -ge 3 ] && _ok "the planted 两头跑 cadres fail the rule ($NOTOK)" || _fail "planted fail" "only $NOTOK rows with 否"
run presence --month 2018-07 --format json --unmask
expect_rc "presence json" 0
expect_out "json has unmasked ID numbers" "\"id_number\":\"4501"
expect_out "json has the evidence count" "\"evidence\":"
run presence --month 2018-07 --format xlsx -o "$T/p.xlsx"
expect_rc "presence xlsx" 0
expect "xlsx written" test -s "$T/p.xlsx"
ONE=$(q "SELECT c.id_number FROM posting p JOIN cadre c ON c.id = p.cadre JOIN village v ON v.code = p.village WHERE p.end_date IS NULL ORDER BY c.id LIMIT 1")
run presence --month 2018-07 --cadre "$ONE"
expect_rc "presence of one cadre" 0
expect_out "each day listed" "2018-07-31"
expect_out "days show their records" "签到"
run presence --month 2018-07 --scope 450125
expect_rc "presence outside the plan's county" 0
expect_out "another county has no one" "0 cadres stationed"
run presence
expect_rc "presence needs --month" 64
run presence --month 2018-7
expect_rc "bad month" 65
expect_err "bad month says so" "is not YYYY-MM"

# A contested day of an absent cadre, accepted by the county.
run presence contest --cadre "$ONE" --date 2018-07-31 --reason "山里没信号"
expect_rc "contest a day" 0
CT=$(q "SELECT max(id) FROM field_contest")
run presence decide "$CT" --accept
expect_rc "the county accepts the contest" 0
run presence decide "$CT" --reject --note x
expect_rc "decided once" 65
run presence --month 2018-07 --cadre "$ONE"
expect_out "the accepted contest is the day's evidence" "申诉已认可"

# ---- cases ------------------------------------------------------------------
run cases --month 2018-07 --format json
expect_rc "cases json" 0
for rule in impossible_travel outside_on_present_day repeated_coordinates home_city_on_village_day diary_without_presence; do
    expect_out "planted: $rule" "\"rule\": \"$rule\""
done
expect_out "cases carry their evidence" "\"evidence\": [\"checkin:"
run cases --month 2018-07
expect_out "cases table counts" "open"
CASE=$(q "SELECT id FROM cadre WHERE id IN (SELECT cadre FROM field_entry) ORDER BY id LIMIT 1")
run cases dismiss --cadre 999999 --date 2018-07-10 --rule impossible_travel --reason x
expect_rc "dismiss unknown cadre" 66
run cases dismiss --cadre "$CASE" --date 2018-07-10 --rule nothing --reason x
expect_rc "dismiss unknown rule" 66
run cases dismiss --cadre "$CASE" --date 2018-07-10 --rule impossible_travel --reason "GPS 漂移, 已核实"
expect_rc "dismiss with a reason" 0
expect_eq "dismissal recorded with its actor" "$(q "SELECT count(*) FROM field_case_dismissal WHERE by LIKE 'cli:%'")" 1

# ---- check-ins, leave, diary, visits -----------------------------------------
VIL=$(q "SELECT p.cadre || ' ' || v.lat || ' ' || v.lng FROM posting p JOIN village v ON v.code = p.village WHERE p.end_date IS NULL ORDER BY p.cadre LIMIT 1")
set -- $VIL
CID=$1
run checkin --cadre "$CID" --at "2018-08-01 08:00" --lat "$2" --lng "$3" --client-id t-1 --device a
expect_rc "checkin" 0
expect_out "checkin is inside" "inside the geofence"
run checkin --cadre "$CID" --at "2018-08-01 08:00" --lat "$2" --lng "$3" --client-id t-1 --device a
expect_out "resend is idempotent" "already recorded"
run checkin --cadre "$CID" --at "2018-08-01 09:00" --lat 22.8 --lng 108.3 --device other
expect_out "far away is outside" "OUTSIDE the geofence"
expect_out "device change noticed" "device changed"
run checkin --cadre "$CID" --lat 22.8
expect_rc "lat without lng" 64
# A check-in that reaches the server two days after it was taken (a phone
# without signal) is late (补报), marked in the ledger; one sent ten minutes
# after is not.
ZHUCUN_NOW="2018-08-02 07:00:00" run checkin --cadre "$CID" --at "2018-08-02 06:50" --lat "$2" --lng "$3" --device a
expect_rc "checkin sent at once" 0
ZHUCUN_NOW="2018-08-05 09:00:00" run checkin --cadre "$CID" --at "2018-08-03 07:00" --lat "$2" --lng "$3" --device a
expect_rc "checkin sent two days late" 0
run presence --month 2018-08 --cadre "$CID"
if grep "^2018-08-03" "$T/out" | grep -q "补报"; then _ok "a check-in synced over a day late is marked 补报"; else _fail "late marked" "$(grep "^2018-08-0[23]" "$T/out")"; fi
if grep "^2018-08-02" "$T/out" | grep -q "补报"; then _fail "sent at once is not late" "$(grep "^2018-08-02" "$T/out")"; else _ok "sent at once is not late"; fi
# A point marked GCJ-02 (what Chinese map SDKs return) is converted to WGS-84:
# the village centre's own WGS-84 figures read as GCJ-02 land some hundreds of
# metres off it (the offset in Guangxi is about half a kilometre).
ZHUCUN_NOW="2018-08-04 08:01:00" run checkin --cadre "$CID" --at "2018-08-04 08:00" --lat "$2" --lng "$3" --gcj02 --device a
GD=$(q "SELECT CAST(distance_m AS INTEGER) FROM checkin WHERE cadre = $CID AND at = '2018-08-04 08:00:00'")
if [ "$RC" = 0 ] && [ "${GD:-0}" -ge 200 ] && [ "${GD:-0}" -le 900 ]; then _ok "a GCJ-02 point is converted ($GD m from the WGS-84 centre)"; else _fail "GCJ-02" "rc $RC, distance '$GD': $OUT $ERR"; fi
run presence --month 2018-08 --format json
LATE=$(python3 -c "
import json; rows = json.load(open('$T/out'))
print([r['late'] for r in rows if r['name'] == '$(q "SELECT name FROM cadre WHERE id = $CID")' and r['village_code'] == '$(q "SELECT village FROM posting WHERE cadre = $CID AND end_date IS NULL")'])")
expect_eq "the ledger counts the cadre's late check-ins (补报)" "$LATE" "[1]"
run leave request --cadre "$CID" --from 2018-08-06 --to 2018-08-10 --reason 探亲
expect_rc "leave request" 0
expect_out "five days go to the county" "approved by the county"
LID=$(q "SELECT max(id) FROM field_leave")
run leave approve "$LID" --as township
expect_rc "township cannot approve five days" 77
run leave approve "$LID" --as county
expect_rc "county approves" 0
run leave request --cadre "$CID" --from 2018-08-08 --to 2018-08-08
expect_rc "overlapping leave refused" 65
expect_err "overlap named" "overlaps"
run leave return "$LID" --date 2018-08-09
expect_rc "销假" 0
HH=$(q "SELECT h.id FROM household h JOIN posting p ON p.village = h.village WHERE p.cadre = $CID AND p.end_date IS NULL LIMIT 1")
ZHUCUN_NOW="2018-08-02 20:00:00" run visit add --cadre "$CID" --day 2018-08-01 --household "$HH" --text "入户走访" --lat "$2" --lng "$3"
expect_rc "visit add" 0
# The visit's household corrected by the county (visit edit): of the village, the earlier kept.
VID=$(q "SELECT max(id) FROM field_entry WHERE kind = 'visit'")
HH2=$(q "SELECT h.id FROM household h JOIN posting p ON p.village = h.village WHERE p.cadre = $CID AND p.end_date IS NULL AND h.id <> '$HH' ORDER BY h.id LIMIT 1")
HX=$(q "SELECT id FROM household WHERE village <> (SELECT village FROM posting WHERE cadre = $CID AND end_date IS NULL) ORDER BY id LIMIT 1")
run visit edit --id "$VID" --household "$HX"
expect_rc "visit edit: a household of another village is refused" 65
expect_err "the refusal names the household and the villages" "$HX belongs to village"
run visit edit --id "$VID" --household "$HH2"
expect_rc "visit edit: the household corrected" 0
expect_eq "the visit names the new household, the text kept, the old household in the version" \
    "$(q "SELECT e.household || ' ' || e.text || ' ' || v.household FROM field_entry e JOIN field_entry_version v ON v.entry = e.id WHERE e.id = $VID")" "$HH2 入户走访 $HH"
run diary edit --id "$VID" --household "$HH2"
expect_rc "diary edit takes no household" 64
ZHUCUN_NOW="2018-08-20 20:00:00" run diary add --cadre "$CID" --day 2018-08-01 --text "补记"
expect_rc "diary past the back-dating window" 65

# ---- imports ------------------------------------------------------------------
IDN=$(q "SELECT c.id_number FROM cadre c WHERE c.id = $CID")
printf '身份证号,打卡时间,纬度,经度,精度(米),设备\n%s,2018-08-03 08:10,%s,%s,12,p\n%s,2018-08-04 08:10,%s,%s,12,p\n' "$IDN" "$2" "$3" "$IDN" "$2" "$3" >"$T/c.csv"
run import checkins "$T/c.csv"
expect_rc "import checkins" 0
expect_out "import counts" "2 added"
run import checkins "$T/c.csv"
expect_out "re-import adds nothing" "0 added, 2 already recorded"
printf '身份证号,打卡时间,纬度,经度\n%s,2018-08-05 08:10,%s,%s\n%s,2018-08-99 08:10,%s,%s\n' "$IDN" "$2" "$3" "$IDN" "$2" "$3" >"$T/bad.csv"
run import checkins "$T/bad.csv"
expect_rc "bad import" 65
expect_err "bad import names file, row and column" "bad.csv:3:打卡时间"
expect_eq "bad import wrote nothing" "$(q "SELECT count(*) FROM checkin WHERE at LIKE '2018-08-05%'")" 0
run import checkins "$T/c.csv" --map x
expect_rc "bad --map" 64

# Every field write through the CLI is in the audit record, with its actor.
for a in field.checkin field.leave.request field.leave.approve field.leave.return field.visit \
    field.contest field.contest.accept field.case.dismiss import.checkins; do
    n=$(q "SELECT count(*) FROM audit_log WHERE action = '$a' AND actor LIKE 'cli:%'")
    [ "$n" -ge 1 ] && _ok "audited: $a" || _fail "audited: $a" "no entry"
done
expect_eq "a refused write leaves no entry" "$(q "SELECT count(*) FROM audit_log WHERE action = 'field.diary'")" 0

# ---- the field policy chosen per division ---------------------------------------------
export ZHUCUN_TODAY=2018-08-01
ok_count() { "$ZHUCUN" presence --month 2018-07 "$@" --format csv | awk -F, 'NR > 1 && $13 == "是"' | wc -l; }
OK_DEFAULT=$(ok_count --scope 450124)
run field policy show --scope 450124
expect_out "nothing chosen: the default" "follows the default policy"
run field policy set --scope 450124 --policy anlong-2018
expect_rc "马山县 chooses 安龙's field rules" 0
run field policy show --scope 450124105
expect_out "a township below follows the county's choice" "follows anlong-2018, chosen for 450124000000"
OK_ANLONG=$(ok_count --scope 450124)
if [ "$OK_ANLONG" -lt "$OK_DEFAULT" ]; then _ok "five days and four nights a week: fewer meet the rule ($OK_ANLONG < $OK_DEFAULT)"; else _fail "the chosen rule judges the ledger" "$OK_ANLONG vs $OK_DEFAULT"; fi
expect_eq "--policy FILE still overrides the choice" "$(ok_count --scope 450124 --policy "$POLICY/default.json")" "$OK_DEFAULT"
expect_eq "a read over everywhere follows the default" "$(ok_count)" "$("$ZHUCUN" presence --month 2018-07 --format csv --policy "$POLICY/default.json" | awk -F, 'NR > 1 && $13 == "是"' | wc -l)"
run field policy list
expect_out "the choice is listed" "anlong-2018"
run field policy set --scope 450124 --plan "$PLAN"
expect_rc "or the policy its plan was matched with" 0
expect_out "named as the plan's" "(from the plan)"
run field policy list
expect_out "listed with its plan" "(plan $PLAN)"
run field policy set --scope 450124 --plan 99999
expect_rc "an unknown plan" 66
run field policy set --scope 450124 --policy no-such
expect_rc "an unknown policy" 66
run field policy set --scope 450124
expect_rc "set needs --policy or --plan" 64
run field policy frob --scope 450124
expect_rc "unknown action" 64
expect_eq "each choice is audited" "$(q "SELECT count(*) FROM audit_log WHERE action = 'field.policy.choose'")" 2
run field policy clear --scope 450124
expect_rc "cleared" 0
run field policy clear --scope 450124
expect_rc "nothing left to clear" 66
expect_eq "back to the default" "$(ok_count --scope 450124)" "$OK_DEFAULT"

# ---- cases under checkin "none" ---------------------------------------------------------
# Nobody is asked to check in: presence and the cases come from the other
# records only, here the positions diaries are written at. A diary written at
# the sending unit at 09:00 on a working day and one in the village ten
# minutes later: too fast a move, the unit on a village day, a point outside
# on a day counted present, each citing the diaries and no check-in.
sed 's/"checkin": "daily"/"checkin": "none"/' "$POLICY/default.json" >"$T/none.json"
NC=$(q "SELECT c.id || ' ' || u.lat || ' ' || u.lng || ' ' || v.lat || ' ' || v.lng FROM posting p JOIN cadre c ON c.id = p.cadre
    JOIN unit u ON u.code = c.unit JOIN village v ON v.code = p.village WHERE p.end_date IS NULL AND u.lat IS NOT NULL
    AND c.id NOT IN (SELECT cadre FROM field_leave WHERE start_date <= '2018-07-31' AND end_date >= '2018-07-31') ORDER BY c.id LIMIT 1")
set -- $NC
ZHUCUN_NOW="2018-07-31 09:00:00" run diary add --cadre "$1" --day 2018-07-31 --text 在派出单位汇报工作 --lat "$2" --lng "$3" --policy "$T/none.json"
expect_rc "a diary written at the sending unit" 0
D1=$(q "SELECT max(id) FROM field_entry")
ZHUCUN_NOW="2018-07-31 09:10:00" run diary add --cadre "$1" --day 2018-07-31 --text 入户了解产业情况 --lat "$4" --lng "$5" --policy "$T/none.json"
expect_rc "one in the village ten minutes later" 0
D2=$(q "SELECT max(id) FROM field_entry")
run cases --month 2018-07 --format json --policy "$T/none.json"
expect_rc "cases under none" 0
if python3 - "$T/out" "$1" "$D1" "$D2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); k, d1, d2 = int(sys.argv[2]), sys.argv[3], sys.argv[4]
assert not [e for c in d["cases"] for e in c["evidence"] if e.startswith("checkin:")], "a check-in cited"
mine = {c["rule"]: c["evidence"] for c in d["cases"] if c["cadre"] == k and c["date"] == "2018-07-31"}
assert mine.get("impossible_travel") == ["diary:" + d1, "diary:" + d2], mine
assert mine.get("home_city_on_village_day") == ["diary:" + d1], mine
assert mine.get("outside_on_present_day") == ["diary:" + d1], mine
assert any(c["rule"] == "diary_without_presence" for c in d["cases"]), "the planted diaries"
PY
then _ok "under none the cases read the diaries' positions, never a check-in"; else _fail "cases under none" "$(head -c 300 "$T/out")"; fi
run cases --month 2018-07 --format json --policy "$POLICY/default.json"
if python3 - "$T/out" "$1" "$D1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert not [c for c in d["cases"] if "diary:" + sys.argv[3] in c["evidence"]], "a diary's position read under daily"
assert any(e.startswith("checkin:") for c in d["cases"] if c["rule"] == "home_city_on_village_day" for e in c["evidence"])
PY
then _ok "under daily the same rules read the check-ins"; else _fail "cases under daily" "$(head -c 300 "$T/out")"; fi

run audit verify
expect_rc "the chain is intact" 0
finish
