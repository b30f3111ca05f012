#!/bin/sh
# match.sh - `zhucun match`, `explain`, `plan` and `export plan|teams` end to
# end on a small real ledger (马山县 and 上林县): every hard rule holds in the
# stored plan, explanations name the rule, what-if stores nothing, publish
# writes postings, recall + refill moves nobody, exit codes.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
unset ZHUCUN_POLICY
POLICY_DIR=$(cd "$(dirname "$0")/../../policies" && pwd)

q() { zc_sql "$1"; }
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}

A=$(zc_idcard 45010019800101001); B=$(zc_idcard 45010019850202002); C=$(zc_idcard 45010019790303003)
D=$(zc_idcard 45010019900404004); E=$(zc_idcard 45010019820505005); F=$(zc_idcard 45010019880606006)
G=$(zc_idcard 45010019860707007); H=$(zc_idcard 45010019810808009); I=$(zc_idcard 45010019870909011)
J=$(zc_idcard 45010019831010012); K=$(zc_idcard 45010019821111013); L=$(zc_idcard 45010019891212014)
M=$(zc_idcard 45010019780113015); N=$(zc_idcard 45010019900214016); O=$(zc_idcard 45010019910315017)
P=$(zc_idcard 45010019840416019)

run init
expect_rc init 0
run divisions load --only 450124,450125
expect_rc divisions 0
cat >"$T/units.csv" <<CSV
code,name,level,category,division
U-ORG,南宁市委组织部,city,党群,4501
U-DRC,南宁市发展和改革委员会,city,经济,4501
U-PSB,南宁市公安局,city,政法,4501
U-AGR,南宁市农业农村局,city,涉农,4501
U-MSX,马山县人力资源和社会保障局,county,其他,450124
CSV
cat >"$T/villages.csv" <<CSV
区划代码,贫困类型,村情类型,自然屯数,需求技能,产业,结对单位
450124203202,深度贫困村,软、穷,60,,种桑养蚕,U-ORG
450125205203,贫困村,弱,12,农业种植,蚕桑;金银花,
450124203210,贫困村,乱,8,,,
450125103205,非贫困村,,5,,,
CSV
cat >"$T/cadres.csv" <<CSV
id_number,name,unit,rank,party_member,reserve,on_staff,education,skills,rural_years,service_years,hometown,grades,discipline,volunteer,preferred,gender,birth_date,spouse
$A,张伟,U-ORG,正科,是,否,是,本科,party,1,10,450125,,,否,,男,1980-01-01,
$B,李娜,U-ORG,科员,是,否,是,本科,,0,8,,,,否,,女,1985-02-02,
$C,王强,U-DRC,副科,是,否,是,本科,accounting,0,20,450124,,,否,,男,1979-03-03,
$D,赵敏,U-DRC,科员,否,否,是,本科,ecommerce,0,5,,,,否,,女,1990-04-04,
$E,刘洋,U-PSB,副科,是,否,是,本科,law,2,12,,,,否,,男,1982-05-05,
$F,陈静,U-PSB,科员,是,否,是,本科,stability,0,9,,,,否,,女,1988-06-06,
$G,杨帆,U-AGR,科员,是,否,是,本科,farming,5,10,,,,否,,男,1986-07-07,
$H,黄磊,U-AGR,副科,是,否,是,本科,driving;farming,3,15,,,,否,,男,1981-08-08,
$I,周杰,U-MSX,科员,否,否,是,大专,driving,4,9,,,,否,,男,1987-09-09,
$J,吴芳,U-ORG,副科,是,否,是,本科,,0,14,,,,否,,女,1983-10-10,$K
$K,郑凯,U-DRC,副科,是,否,是,本科,,0,15,,,,否,,男,1982-11-11,$J
$L,孙丽,U-AGR,科员,否,否,是,本科,,0,6,,2025:基本称职,,否,,女,1989-12-12,
$M,马超,U-PSB,正科,是,否,是,研究生,,0,20,,,,否,,男,1978-01-13,
$N,朱琳,U-DRC,科员,是,否,是,本科,,0,4,,,,是,450125,女,1990-02-14,
$O,胡军,U-ORG,科员,否,否,是,本科,,0,3,,,,否,,男,1991-03-15,
$P,林峰,U-MSX,副科,是,否,是,本科,,0,10,450124,,,否,,男,1984-04-16,
CSV
run import units "$T/units.csv"
expect_rc import-units 0
run import villages "$T/villages.csv"
expect_rc import-villages 0
run import cadres "$T/cadres.csv"
expect_rc import-cadres 0
cat >"$T/open.json" <<JSON
{ "name": "open", "avoidance": { "max_unit_share_percent": 100 } }
JSON

# ---- match -----------------------------------------------------------------
run match --policy "$T/open.json"
expect_rc match-rc 0
expect_out match-plan-id "plan ID: 1"
expect_out match-slots "slots:           11"
expect_out match-deep "deep villages:   1: first secretary 1"
expect_out match-objective "objective:"
expect_out match-time "solve time:"
expect_eq plan-stored "$(q 'SELECT count(*) FROM plan')" 1
# Without --scope the plan belongs to the smallest division holding its
# villages (马山县 and 上林县: 南宁市), so scoped accounts there see it (issue 17).
expect_eq plan-scope-covers-its-villages "$(q 'SELECT scope FROM plan WHERE id = 1')" 450100000000
expect_eq plan-scope-recorded "$(q "SELECT division FROM audit_log WHERE action = 'plan.match' AND target = 'plan:1'")" 450100000000

# Every hard rule holds in the stored plan.
expect_eq one-slot-per-cadre "$(q 'SELECT count(*) FROM (SELECT cadre FROM plan_slot WHERE plan = 1 AND cadre IS NOT NULL GROUP BY cadre HAVING count(*) > 1) AS twice')" 0
expect_eq ineligible-never-sent "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE c.id_number = '$L'")" 0
expect_eq first-secretary-rule "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = 1 AND ps.role = 'first_secretary' AND NOT (c.party_member = 1 AND c.rank IN ('副科','正科','副处','正处'))")" 0
expect_eq stability-rule "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre JOIN unit u ON u.code = c.unit WHERE ps.plan = 1 AND ps.role = 'stability' AND u.category <> '政法' AND c.skills NOT LIKE '%law%' AND c.skills NOT LIKE '%stability%'")" 0
expect_eq need-rule "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = 1 AND ps.role = 'need' AND (';' || c.skills || ';') NOT LIKE ('%;' || ps.need || ';%')")" 0
expect_eq driver-slot-for-60-hamlets "$(q "SELECT count(*) FROM plan_slot WHERE plan = 1 AND village = 450124203202 AND role = 'need' AND need = 'driving'")" 1
expect_eq farming-slot "$(q "SELECT count(*) FROM plan_slot WHERE plan = 1 AND village = 450125205203 AND need = 'farming'")" 1
# Avoidance fits the level (avoidance.home "auto"): cadres of city and province
# units never serve in their home county; a county unit's cadre (林峰, hometown
# 马山县 recorded to the county only) may serve in the county.
expect_eq home-county-avoided "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre JOIN unit u ON u.code = c.unit WHERE ps.plan = 1 AND u.level IN ('province', 'city') AND c.hometown / 1000000 = ps.village / 1000000")" 0
expect_eq county-unit-reach "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = 1 AND c.unit = 'U-MSX' AND ps.village / 1000000 <> 450124")" 0
n_couple=$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = 1 AND c.id_number IN ('$J', '$K')")
if [ "$n_couple" -le 1 ]; then _ok "spouses-apart ($n_couple of the couple sent)"; else _fail spouses-apart "both spouses sent"; fi
expect_eq no-team-for-non-poor "$(q 'SELECT count(*) FROM plan_slot WHERE village = 450125103205')" 0

run match --policy "$T/open.json" --format json
expect_rc json-rc 0
expect_out json-plan '"plan": 2'
if printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["slots"]==11 and d["filled"]+d["unfilled"]==11' 2>/dev/null; then
    _ok json-valid
else
    _fail json-valid "$OUT"
fi

# Unit cap: at most 25% of each unit's cadres (4 on the books -> 1).
cat >"$T/cap.json" <<JSON
{ "name": "cap", "avoidance": { "max_unit_share_percent": 25 } }
JSON
run match --policy "$T/cap.json"
expect_rc cap-rc 0
expect_out cap-reason "unit_cap"
expect_eq cap-holds "$(q "SELECT count(*) FROM (SELECT c.unit, count(*) n FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = 3 GROUP BY c.unit HAVING count(*) > (SELECT count(*) FROM cadre x WHERE x.unit = c.unit) * 25 / 100) AS over")" 0

# County quota: at most 2 cadres into 上林县.
cat >"$T/quota.json" <<JSON
{ "name": "quota", "avoidance": { "max_unit_share_percent": 100, "county_quotas": { "450125": 2 } } }
JSON
run match --policy "$T/quota.json"
expect_rc quota-rc 0
expect_eq quota-holds "$(q 'SELECT count(*) FROM plan_slot WHERE plan = 4 AND cadre IS NOT NULL AND village / 1000000 = 450125')" 2
expect_out quota-reason "county_quota"

# ---- explain -------------------------------------------------------------------
SENT=$(q "SELECT c.id_number FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = 1 AND ps.role = 'first_secretary' ORDER BY ps.village LIMIT 1")
run explain --plan 1 --cadre "$SENT"
expect_rc explain-assigned-rc 0
expect_out explain-assigned "assigned:"
expect_out explain-by-rule "score"
expect_out explain-dual "slot price (dual)"
run explain --plan 1 --cadre "$L"
expect_rc explain-ineligible-rc 0
expect_out explain-ineligible "2025年度考核为基本称职"
run explain --plan 1 --cadre "$C" --why-not 450124203202
expect_rc why-not-rc 0
expect_out why-not-avoidance "回避"
run explain --plan 1 --cadre "$I" --why-not 450125205203
expect_out why-not-reach "超出派出单位 U-MSX 的选派范围"
run explain --plan 1 --village 450124203202
expect_rc explain-village-rc 0
expect_out explain-village-fs "第一书记"
expect_out explain-village-driver "专业需求（驾驶）"
run explain --plan 1 --village 450124203202 --format json
expect_out explain-village-json '"role": "first_secretary"'
run explain --plan 99 --cadre "$A"
expect_rc explain-missing-plan 66
run explain --plan 1
expect_rc explain-usage 64

# ---- what-if stores nothing ---------------------------------------------------------
BEFORE=$(q 'SELECT count(*) FROM plan')
run match --policy "$T/open.json" --what-if "$POLICY_DIR/mashan-2018.json"
expect_rc what-if-rc 0
expect_out what-if-header "what-if: open -> mashan-2018 (nothing stored)"
expect_out what-if-moved "cadres moved:"
expect_out what-if-villages "villages that gain:"
expect_eq what-if-stores-nothing "$(q 'SELECT count(*) FROM plan')" "$BEFORE"
run match --what-if "$T/open.json" --format json
expect_rc what-if-json-rc 0
expect_out what-if-json '"cadres_moved"'

# ---- plans, export ---------------------------------------------------------------------
run plan list
expect_rc plan-list-rc 0
expect_out plan-list "draft"
run plan show 1
expect_rc plan-show-rc 0
expect_out plan-show "plan 1 (match, draft)"
run plan show 99
expect_rc plan-show-missing 66
run export plan --plan 1 --format csv
expect_rc export-plan-rc 0
expect_out export-header "村代码"
expect_out export-village "龙琴村委会"
expect_out export-masked "4501**********"
expect_no_out export-no-full-id "$SENT"
run export plan --plan 1 --format json --unmask
expect_out export-unmask "$SENT"
run export plan --plan 1 --format xlsx -o "$T/plan.xlsx"
expect_rc export-xlsx-rc 0
expect export-xlsx-file test -s "$T/plan.xlsx"
# The dispatch list as filed: a merged title row, village blocks merged.
if command -v unzip >/dev/null 2>&1; then
    SHEET=$(unzip -p "$T/plan.xlsx" xl/worksheets/sheet1.xml)
    case "$SHEET" in *'<mergeCell ref="A1:N1"/>'*) _ok export-xlsx-title ;;
    *) _fail export-xlsx-title "no merged title row" ;; esac
    case "$SHEET" in *'<mergeCell ref="A3:A'*) _ok export-xlsx-county-merged ;;
    *) _fail export-xlsx-county-merged "the county cells are not merged" ;; esac
fi
run export plan --format xlsx
expect_rc export-xlsx-needs-o 64

# ---- publish, recall, refill ------------------------------------------------------------
FILLED=$(q 'SELECT filled FROM plan WHERE id = 1')
run plan publish 1 --term 2
expect_rc publish-rc 0
expect_out publish-order "dispatch order ZC-2026-0001"
expect_eq postings-written "$(q 'SELECT count(*) FROM posting WHERE end_date IS NULL')" "$FILLED"
expect_eq posting-fs-role "$(q "SELECT count(*) FROM posting WHERE role = 'first_secretary'")" 3
# The posting keeps the slot's role and a need post its skill (issue 18: roles were lost).
expect_eq posting-keeps-slot-role "$(q "SELECT count(*) FROM posting p JOIN plan_slot ps ON ps.cadre = p.cadre AND ps.plan = 1 WHERE p.end_date IS NULL AND (p.role <> ps.role OR coalesce(p.need, '') <> coalesce(ps.need, ''))")" 0
expect_eq posting-has-special-roles "$(q "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM posting WHERE role IN ('stability', 'need')")" 1
run plan publish 1
expect_rc publish-twice 65
run plan publish 2
expect_rc publish-conflict 65
expect_err publish-conflict-msg "already serving"
expect_eq published-at-is-the-day "$(q "SELECT published_at FROM dispatch_order WHERE plan = 1")" 2026-11-22
run plan discard 1
expect_rc discard-published-refused 65
run plan discard 999
expect_rc discard-unknown 66
run plan discard 2
expect_rc discard-draft 0
expect_eq discarded "$(q "SELECT status FROM plan WHERE id = 2")" discarded
expect_eq discard-audited "$(q "SELECT count(*) FROM audit_log WHERE action = 'plan.discard'")" 1
run plan publish 2
expect_rc discarded-cannot-publish 65
run eligible --unmask --format csv
expect_out serving-now-ineligible "already_serving"
run export teams --format csv
expect_rc export-teams-rc 0
expect_out export-teams "龙琴村委会"

ZHUCUN_TODAY=2020-01-01 "$ZHUCUN" plan recall --cadre "$SENT" --reason "因病召回" >"$T/out" 2>"$T/err"
RC=$?
expect_rc recall-before-posting-refused 65
expect_err recall-before-posting-msg "before the posting began"
run plan recall --cadre "$SENT" --reason "因病召回"
expect_rc recall-rc 0
expect_out recall-vacancy "has a vacancy"
expect_eq recall-ends-posting "$(q "SELECT count(*) FROM posting p JOIN cadre c ON c.id = p.cadre WHERE c.id_number = '$SENT' AND p.end_date = '2026-11-22'")" 1
run plan recall --cadre "$SENT"
expect_rc recall-twice 66
SERVING_BEFORE=$(q "SELECT $ZC_GROUP_CONCAT(cadre || ':' || village, ',') FROM (SELECT cadre, village FROM posting WHERE end_date IS NULL ORDER BY cadre) AS serving")
run match --refill --policy "$T/open.json"
expect_rc refill-rc 0
expect_out refill-kind "refill plan"
REFILL=$(q "SELECT max(id) FROM plan WHERE kind = 'refill'")
expect_eq refill-one-slot "$(q "SELECT slots FROM plan WHERE id = $REFILL")" 1
expect_eq refill-moves-nobody "$(q "SELECT moves FROM plan WHERE id = $REFILL")" 0
expect_eq refill-not-recalled "$(q "SELECT count(*) FROM plan_slot ps JOIN cadre c ON c.id = ps.cadre WHERE ps.plan = $REFILL AND c.id_number = '$SENT'")" 0
run plan publish "$REFILL"
expect_rc refill-publish 0
SERVING_AFTER=$(q "SELECT $ZC_GROUP_CONCAT(cadre || ':' || village, ',') FROM (SELECT cadre, village FROM posting WHERE end_date IS NULL AND start_date < '2026-11-22' OR (end_date IS NULL AND cadre IN (SELECT cadre FROM plan_slot WHERE plan = 1 AND state = 'serving')) ORDER BY cadre) AS serving")
expect_eq refill-kept-everyone "$(q "SELECT count(*) FROM plan_slot WHERE plan = 1 AND state = 'serving'")" "$((FILLED - 1))"
expect_eq roster-one-row-per-slot "$(q "SELECT count(*) FROM (SELECT village, seq FROM plan_slot ps JOIN plan p ON p.id = ps.plan WHERE p.status = 'published' AND ps.state IN ('serving', 'vacant') GROUP BY village, seq HAVING count(*) > 1) AS twice")" 0
run match --refill --allow-moves 1 --policy "$T/open.json"
expect_rc refill-moves-rc 0
REFILL2=$(q "SELECT max(id) FROM plan WHERE kind = 'refill'")
if [ "$(q "SELECT moves FROM plan WHERE id = $REFILL2")" -le 1 ]; then _ok allow-moves-bound; else _fail allow-moves-bound "more than 1 move"; fi

# ---- usage errors -------------------------------------------------------------------------
run match --allow-moves 2
expect_rc moves-need-refill 64
run match --format xml
expect_rc bad-format 64
run match --scope 99x
expect_rc bad-scope 64
run match --policy "$T/missing.json"
expect_rc missing-policy 66
run plan frobnicate
expect_rc plan-unknown 64
run match --what-if "$T/open.json" --network-out "$T/x.min"
expect_rc network-out-not-with-what-if 64

# ---- the network of the last solve, for other solvers ---------------------------------------
run match --policy "$T/open.json" --network-out "$T/net.min"
expect_rc network-out-rc 0
OBJ=$(printf '%s\n' "$OUT" | sed -n 's/^objective: *//p')
expect_eq network-out-header "$(sed -n 2p "$T/net.min" | cut -d' ' -f1,2)" "p min"
run solve --verify "$T/net.min"
expect_rc network-out-solves 0
expect_eq network-out-same-optimum "$(sed -n 's/^s //p' "$T/out")" "$OBJ"
run solve --algorithm simplex "$T/net.min"
expect_eq network-out-simplex-agrees "$(sed -n 's/^s //p' "$T/out")" "$OBJ"
PLANS=$(q 'SELECT count(*) FROM plan')
run match --policy "$T/open.json" --network-out "$T/no/such/dir/net.min"
expect_rc network-out-unwritable 74
expect_err network-out-names-file "no/such/dir/net.min"
expect_eq network-out-failure-stores-no-plan "$(q 'SELECT count(*) FROM plan')" "$PLANS"
# ---- every CLI write is in the audit record (issue 17) ---------------------------------------
ME="cli:${USER:-$(id -un)}"
aud() { q "SELECT count(*) FROM audit_log WHERE action = '$1' AND actor = '$ME' AND addr = 'local'"; }
expect_eq audit-import-units "$(aud import.units)" 1
expect_eq audit-import-villages "$(aud import.villages)" 1
expect_eq audit-import-cadres "$(aud import.cadres)" 1
expect_eq audit-import-digest "$(q "SELECT $(zc_jx rows) || ':' || length($(zc_jx blake2b)) FROM audit_log WHERE action = 'import.cadres'")" "16:64"
expect_eq audit-match-one-per-plan "$(aud plan.match)" "$(q "SELECT count(*) FROM plan WHERE kind = 'match'")"
expect_eq audit-refill-one-per-plan "$(aud plan.refill)" "$(q "SELECT count(*) FROM plan WHERE kind = 'refill'")"
expect_eq audit-publish "$(aud plan.publish)" 2
expect_eq audit-publish-order "$(q "SELECT $(zc_jx order) FROM audit_log WHERE action = 'plan.publish' AND target = 'plan:1'")" "ZC-2026-0001"
expect_eq audit-recall "$(aud plan.recall)" 1
expect_eq audit-recall-masked "$(q "SELECT count(*) FROM audit_log WHERE action = 'plan.recall' AND new_json LIKE '%$SENT%'")" 0
expect_eq audit-failed-write-none "$(q "SELECT count(*) FROM audit_log WHERE target = 'plan:2' AND action = 'plan.publish'")" 0
run skills add beekeeping 养蜂 Beekeeping
expect_rc skills-add 0
expect_eq audit-skills-add "$(aud skill.add)" 1
run audit verify
expect_rc audit-verify-after-cli-writes 0
# ---- avoidance fits the dispatch level (issue 15): the county dispatches of
# xiahe and anlong (county cadres, all born in the county) are staffed, and
# asking for home-county avoidance explicitly still empties them.
POLDIR="$(cd "$(dirname "$0")/../.." && pwd)/policies"
for sc in xiahe-2018 anlong-2018; do
    SDB="$T/$sc.db"
    "$ZHUCUN" --db "$SDB" demo --scenario "$sc" --no-serve --quiet >/dev/null 2>&1
    "$ZHUCUN" --db "$SDB" match --policy "$POLDIR/$sc.json" --format json >"$T/$sc.json" 2>"$T/err"
    fill=$(python3 -c "import json; d=json.load(open('$T/$sc.json')); print(d['filled'] * 100 // d['slots'])" 2>/dev/null || echo 0)
    if [ "$fill" -ge 95 ]; then _ok "$sc: its own policy fills $fill% of the slots"; else _fail "$sc fill" "$fill%: $(head -c 300 "$T/err")"; fi
    python3 - "$POLDIR/$sc.json" "$T/$sc-county.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p.setdefault("avoidance", {})["home"] = "county"
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)
PY
    "$ZHUCUN" --db "$SDB" match --policy "$T/$sc-county.json" --format json >"$T/$sc-c.json" 2>/dev/null
    fillc=$(python3 -c "import json; d=json.load(open('$T/$sc-c.json')); print(d['filled'] * 100 // d['slots'])" 2>/dev/null || echo 0)
    if [ "$fillc" -lt "$fill" ]; then _ok "$sc: home-county avoidance asked for is applied ($fillc%)"; else _fail "$sc county avoidance" "$fillc%"; fi
done
finish
