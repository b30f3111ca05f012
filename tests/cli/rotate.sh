#!/bin/sh
# rotate.sh - `zhucun plan rotate` (轮换, issue 15): a published dispatch
# order's term rotates in its villages: the serving postings end on the day,
# their slots turn vacant, `match --refill` fills them for the new term with
# other cadres (the outgoing ones are kept out of the village they left, not
# out of the others), the rotation is recorded (term_change kind 'rotate',
# term_rotation) and audited; refusals with their messages and exit codes.
# `zhucun plan extend` (不脱贫不脱钩) moves a rotated village's new term, and
# POST /api/v1/plans/:id/extend does it for a township's own village.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-03-01
unset ZHUCUN_POLICY

q() { zc_sql "$1"; }
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}

# Three poor villages of 马山县 and 24 city cadres: enough to staff the teams
# twice over, so a refill can send others.
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
CSV
cat >"$T/villages.csv" <<CSV
区划代码,贫困类型,村情类型,自然屯数,需求技能,产业,结对单位
450124203202,贫困村,软,6,,,
450124203210,贫困村,乱,8,,,
450124203205,贫困村,穷,4,,,
CSV
echo "id_number,name,unit,rank,party_member,reserve,on_staff,education,skills,rural_years,service_years,hometown,grades,discipline,volunteer,preferred,gender,birth_date,spouse" >"$T/cadres.csv"
units="U-ORG U-DRC U-PSB U-AGR"
i=0
while [ $i -lt 24 ]; do
    i=$((i + 1))
    n=$(printf '%02d' $i)
    u=$(echo $units | cut -d' ' -f$((i % 4 + 1)))
    rank=科员
    if [ $((i % 2)) = 0 ]; then rank=副科; fi
    skills=
    if [ "$u" = U-PSB ]; then skills=stability; fi
    echo "$(zc_idcard "45010019850101$(printf '%03d' $((i * 2 + 1)))"),干部$n,$u,$rank,是,否,是,本科,$skills,1,8,,,,否,,男,1985-01-01," >>"$T/cadres.csv"
done
run import units "$T/units.csv"
expect_rc import-units 0
run import villages "$T/villages.csv"
expect_rc import-villages 0
run import cadres "$T/cadres.csv"
expect_rc import-cadres 0
cat >"$T/open.json" <<JSON
{ "name": "open", "avoidance": { "max_unit_share_percent": 100 } }
JSON
# Matched for the county: its staff own the plan, a township's see it.
run match --policy "$T/open.json" --scope 450124
expect_rc match 0
FILLED=$(q 'SELECT filled FROM plan WHERE id = 1')
SLOTS=$(q 'SELECT slots FROM plan WHERE id = 1')
expect_eq every-slot-filled "$FILLED" "$SLOTS"

# ---- 包村: the unit responsible for a village, read by the score ----------------------
run pair add --village 450124203205 --unit U-NOPE
expect_rc pair-unknown-unit 66
run pair add --village 450124203205 --unit U-AGR --note 县委文件
expect_rc pair-add 0
run pair list
expect_out pair-list "450124203205"
expect_out pair-list-unit "南宁市农业农村局"
cat >"$T/paired.json" <<JSON
{ "name": "paired", "avoidance": { "max_unit_share_percent": 100 }, "fit": { "weights": { "paired_unit": 500 } } }
JSON
run match --policy "$T/paired.json" --scope 450124 --format json
expect_rc pair-match 0
PM=$(q "SELECT max(id) FROM plan")
PAIRED=$(q "SELECT count(*) FROM plan_slot s JOIN cadre c ON c.id = s.cadre WHERE s.plan = $PM AND s.village = 450124203205 AND c.unit = 'U-AGR' AND s.breakdown LIKE '%paired_unit=500%'")
if [ "$PAIRED" -ge 1 ]; then _ok "pair-scored-in-its-village ($PAIRED)"; else _fail pair-scored-in-its-village "$PAIRED"; fi
expect_eq pair-scored-nowhere-else "$(q "SELECT count(*) FROM plan_slot WHERE plan = $PM AND (village <> 450124203205 OR cadre IN (SELECT id FROM cadre WHERE unit <> 'U-AGR')) AND breakdown LIKE '%paired_unit%'")" 0
run explain --plan "$PM" --village 450124203205
expect_out pair-in-explain "结对单位"
run plan discard "$PM"
run pair remove --village 450124203205
expect_rc pair-remove 0
run pair remove --village 450124203205
expect_rc pair-remove-twice 66
expect_eq pair-audited "$(q "SELECT count(*) FROM audit_log WHERE action IN ('pair.add', 'pair.remove') AND division = 450124203205")" 2

# ---- refusals before anything is published ------------------------------------------
run plan rotate 1
expect_rc draft-refused 65
expect_err draft-msg "plan 1 is a draft: only a published dispatch order's term can be rotated"
run plan rotate 99
expect_rc unknown-refused 66
expect_err unknown-msg "plan 99 not found"
run plan rotate
expect_rc no-id-usage 64
run plan rotate 1 --on 2027-02-30
expect_rc bad-date-usage 64
expect_err bad-date-msg "a real date"
run plan rotate 1 --villages 4501242032
expect_rc bad-village-usage 64
expect_err bad-village-msg "12-digit village codes"

run plan publish 1 --term 2 --start 2026-03-01
expect_rc publish 0
expect_eq term-end "$(q 'SELECT end_date FROM dispatch_order WHERE plan = 1')" 2028-03-01

# ---- refusals of a published order --------------------------------------------------
run plan rotate 1 --villages 450124203202,450124203299
expect_rc foreign-village-refused 65
expect_err foreign-village-msg "village 450124203299 is not in plan 1's dispatch order"
run plan rotate 1 --on 2026-02-01
expect_rc before-start-refused 65
expect_err before-start-msg "on or before the day it began (2026-03-01)"
run plan rotate 1 --on 2026-03-01
expect_rc on-start-refused 65
expect_eq refusals-change-nothing "$(q "SELECT count(*) FROM posting WHERE end_date IS NOT NULL")|$(q 'SELECT count(*) FROM term_change')|$(q "SELECT count(*) FROM audit_log WHERE action = 'plan.rotate'")" "0|0|0"

# ---- rotate one village on a day of its own -------------------------------------------
V=450124203202
OUTGOING=$(q "SELECT $ZC_GROUP_CONCAT(CAST(cadre AS TEXT), ',') FROM (SELECT cadre FROM plan_slot WHERE plan = 1 AND village = $V ORDER BY cadre) AS o")
NV=$(q "SELECT count(*) FROM plan_slot WHERE plan = 1 AND village = $V")
run plan rotate 1 --villages $V --on 2027-09-01 --reason 轮换
expect_rc rotate-one 0
expect_out rotate-one-says "term rotated on 2027-09-01 in 1 villages: $NV postings ended"
expect_out rotate-new-term "new term to 2029-09-01"
expect_eq postings-ended-on-the-day "$(q "SELECT count(*) FROM posting WHERE village = $V AND end_date = '2027-09-01'")" "$NV"
expect_eq other-villages-serve-on "$(q "SELECT count(*) FROM posting WHERE village <> $V AND end_date IS NULL")" "$((FILLED - NV))"
expect_eq slots-vacant "$(q "SELECT count(*) FROM plan_slot WHERE plan = 1 AND village = $V AND state = 'vacant' AND cadre IS NULL AND reason = 'rotated'")" "$NV"
expect_eq recorded "$(q "SELECT kind || ' ' || old_end || ' ' || new_end || ' ' || day || ' ' || reason FROM term_change WHERE plan = 1")" "rotate 2028-03-01 2029-09-01 2027-09-01 轮换"
expect_eq recorded-slots "$(q "SELECT count(*) FROM term_rotation WHERE village = $V AND kept = 0 AND cadre IS NOT NULL")" "$NV"
ME="cli:${USER:-$(id -un)}"
expect_eq audited "$(q "SELECT actor || ' ' || target || ' ' || $(zc_jx on) || ' ' || $(zc_jx postings) FROM audit_log WHERE action = 'plan.rotate'")" "$ME plan:1 2027-09-01 $NV"
expect_eq audit-scope "$(q "SELECT division FROM audit_log WHERE action = 'plan.rotate'")" "$(q 'SELECT scope FROM plan WHERE id = 1')"
run plan rotate 1 --villages $V --on 2027-10-01
expect_rc nothing-left-to-rotate 65
expect_err nothing-left-msg "nothing to rotate"

# ---- the refill: others, for the new term ------------------------------------------------
ZHUCUN_TODAY=2027-09-01 run match --refill --policy "$T/open.json"
expect_rc refill 0
R=$(q "SELECT max(id) FROM plan WHERE kind = 'refill'")
expect_eq refill-slots "$(q "SELECT slots || ' ' || filled FROM plan WHERE id = $R")" "$NV $NV"
expect_eq refill-sends-others "$(q "SELECT count(*) FROM plan_slot WHERE plan = $R AND cadre IN ($OUTGOING)")" 0
ZHUCUN_TODAY=2027-09-01 run explain --plan "$R" --cadre "$(q "SELECT id_number FROM cadre WHERE id = $(echo "$OUTGOING" | cut -d, -f1)")" --why-not $V
expect_out why-not-names-the-rotation "rotated out of this village"
ZHUCUN_TODAY=2027-09-01 run plan publish "$R" --start 2027-09-01
expect_rc refill-publish 0
expect_eq refill-serves-new-term "$(q "SELECT count(*) FROM posting WHERE village = $V AND start_date = '2027-09-01' AND end_date IS NULL AND term_end = '2029-09-01'")" "$NV"
expect_eq others-keep-old-term "$(q "SELECT count(*) FROM posting WHERE village <> $V AND end_date IS NULL AND term_end = '2028-03-01'")" "$((FILLED - NV))"

# ---- extend (不脱贫不脱钩) the rotated village's new term, not the others' -----------------
run plan extend 1 --villages $V --until 2029-06-01
expect_rc extend-before-the-new-term-end-refused 65
expect_err extend-before-msg "plan 1's term ends on 2029-09-01 in the selected villages; an extension must end after that, not on 2029-06-01"
run plan extend 1 --villages 450124203299 --until 2031-01-01
expect_rc extend-foreign-village-refused 65
run plan extend 99 --until 2031-01-01
expect_rc extend-unknown-refused 66
run plan extend 1 --until 2030-02-30
expect_rc extend-bad-date-usage 64
run plan extend 1 --villages $V --until 2030-03-01 --reason 不脱贫不脱钩
expect_rc extend-one 0
expect_out extend-one-says "term extended from 2029-09-01 to 2030-03-01 in 1 villages ($NV postings)"
expect_eq extend-new-term-moved "$(q "SELECT count(*) FROM posting WHERE village = $V AND end_date IS NULL AND term_end = '2030-03-01'")" "$NV"
expect_eq extend-others-unchanged "$(q "SELECT count(*) FROM posting WHERE village <> $V AND end_date IS NULL AND term_end = '2028-03-01'")" "$((FILLED - NV))"
expect_eq extend-order-end-unchanged "$(q 'SELECT end_date FROM dispatch_order WHERE plan = 1')" 2028-03-01
expect_eq extend-recorded "$(q "SELECT t.kind || ' ' || t.old_end || ' ' || t.new_end || ' ' || t.reason || ' ' || e.village FROM term_change t JOIN term_extension e ON e.term_change = t.id")" "extend 2029-09-01 2030-03-01 不脱贫不脱钩 $V"
expect_eq extend-audited "$(q "SELECT actor || ' ' || target || ' ' || $(zc_jx to) || ' ' || $(zc_jx postings) || ' ' || division FROM audit_log WHERE action = 'plan.extend'")" "$ME plan:1 2030-03-01 $NV $(q 'SELECT scope FROM plan WHERE id = 1')"

# ---- rotate the rest at the term's end: the outgoing may go to another village ----------
run plan rotate 1 --villages 450124203210,450124203205
expect_rc rotate-rest 0
expect_out rotate-rest-day "term rotated on 2028-03-01 in 2 villages"
expect_eq rest-ended-at-term-end "$(q "SELECT count(*) FROM posting WHERE village <> $V AND end_date = '2028-03-01'")" "$((FILLED - NV))"
expect_eq the-new-term-serves-on "$(q "SELECT count(*) FROM posting WHERE village = $V AND end_date IS NULL")" "$NV"
ZHUCUN_TODAY=2028-03-01 run match --refill --policy "$T/open.json"
expect_rc refill-rest 0
R2=$(q "SELECT max(id) FROM plan WHERE kind = 'refill'")
expect_eq refill-rest-filled "$(q "SELECT filled FROM plan WHERE id = $R2")" "$((FILLED - NV))"
expect_eq none-back-to-the-village-left "$(q "SELECT count(*) FROM plan_slot ps JOIN term_rotation tr ON tr.cadre = ps.cadre AND tr.village = ps.village AND tr.kept = 0 WHERE ps.plan = $R2")" 0
# 24 cadres: 8 serve in V, the rest (16) fill 8 slots; those rotated out of
# the other two villages are not barred from each other's.
ELIGIBLE=$(q "SELECT cadres FROM plan WHERE id = $R2")
if [ "$ELIGIBLE" -gt "$((24 - NV - (FILLED - NV)))" ]; then _ok "the outgoing stay eligible elsewhere ($ELIGIBLE)"; else _fail outgoing-eligible "$ELIGIBLE eligible"; fi

# ---- --keep-cadres: the outgoing may take their own village again ------------------------
ZHUCUN_TODAY=2028-03-01 run plan publish "$R2" --start 2028-03-01
expect_rc refill-rest-publish 0
run plan rotate 1 --villages $V --on 2029-09-01 --keep-cadres
expect_rc rotate-keep 0
expect_eq kept-recorded "$(q "SELECT count(*) FROM term_rotation WHERE kept = 1 AND cadre IS NOT NULL")" "$NV"
KEPT=$(q "SELECT $ZC_GROUP_CONCAT(CAST(cadre AS TEXT), ',') FROM (SELECT cadre FROM term_rotation WHERE kept = 1 ORDER BY cadre) AS k")
ZHUCUN_TODAY=2029-09-01 run match --refill --policy "$T/open.json"
expect_rc refill-keep 0
R3=$(q "SELECT max(id) FROM plan WHERE kind = 'refill'")
if [ "$(q "SELECT count(*) FROM plan_slot WHERE plan = $R3 AND village = $V AND cadre IN ($KEPT)")" -gt 0 ]; then _ok "kept cadres may take their village again"; else _fail kept-cadres "none of $KEPT back in $V"; fi
expect_eq three-rotations "$(q "SELECT count(*) FROM term_change WHERE kind = 'rotate'")|$(q "SELECT count(*) FROM audit_log WHERE action = 'plan.rotate'")" "3|3"

# ---- over HTTP: POST /api/v1/plans/:id/rotate for the county's staff ------------------
ZHUCUN_TODAY=2029-09-01 run plan publish "$R3" --start 2029-09-01
expect_rc refill-keep-publish 0
zc_add_user cty --role county --scope 450124
zc_add_user other --role county --scope 450125
zc_add_user insp --role inspector --scope 450124
zc_add_user twp --role township --scope 450124203
if zc_serve; then _ok "server is up"; else _fail "server is up" "$(cat "$T/server.log")"; finish; fi
for u in cty other insp twp; do login "$u"; done
# POST /api/v1/plans/:id/extend: the same jurisdiction rule as a rotation.
BODY='{"until":"2032-03-01"}' req insp POST /api/v1/plans/1/extend
expect_code http-extend-inspector-403 403
BODY='{"until":"2032-03-01"}' req other POST /api/v1/plans/1/extend
expect_code http-extend-other-county-404 404
BODY='{"reason":"x"}' req cty POST /api/v1/plans/1/extend
expect_code http-extend-needs-until-400 400
BODY='{"villages":["450125205203"],"until":"2032-03-01"}' req cty POST /api/v1/plans/1/extend
expect_code http-extend-village-outside-403 403
BODY='{"until":"2030-06-01"}' req cty POST /api/v1/plans/1/extend
expect_code http-extend-not-later-400 400
expect_body http-extend-not-later-msg "ends on 2031-09-01"
BODY='{"until":"2032-03-01"}' req twp POST /api/v1/plans/1/extend
expect_code http-extend-township-must-name-villages 403
BODY="{\"villages\":[\"$V\"],\"until\":\"2032-03-01\",\"reason\":\"不脱贫不脱钩\"}" req twp POST /api/v1/plans/1/extend
expect_code http-extend-township-its-village 200
expect_body http-extend-body "\"postings\":$NV"
expect_eq http-extend-moved "$(q "SELECT count(*) FROM posting WHERE village = $V AND end_date IS NULL AND term_end = '2032-03-01'")" "$NV"
expect_eq http-extend-audited "$(q "SELECT actor || ' ' || target FROM audit_log WHERE action = 'plan.extend' ORDER BY seq DESC LIMIT 1")" "twp plan:1"
BODY="{\"villages\":[\"$V\"],\"on\":\"2031-09-01\"}" req other POST /api/v1/plans/1/rotate
expect_code http-other-county-404 404
BODY="{\"villages\":[\"$V\"],\"on\":\"2031-09-01\"}" req insp POST /api/v1/plans/1/rotate
expect_code http-inspector-403 403
BODY='{"villages":["450125205203"],"on":"2031-09-01"}' req cty POST /api/v1/plans/1/rotate
expect_code http-village-outside-403 403
BODY='{"villages":["450124203299"],"on":"2031-09-01"}' req cty POST /api/v1/plans/1/rotate
expect_code http-village-not-in-order-400 400
BODY="{\"villages\":[\"$V\"],\"on\":\"2029-08-01\"}" req cty POST /api/v1/plans/1/rotate
expect_code http-before-start-400 400
BODY='{"on":"2031-09-01"}' req cty POST /api/v1/plans/999/rotate
expect_code http-unknown-404 404
# A township's staff see the county's plan but do not own it: they rotate
# only villages they name, each of theirs.
BODY='{"on":"2031-09-01"}' req twp POST /api/v1/plans/1/rotate
expect_code http-township-must-name-villages 403
expect_body http-township-msg "name the villages of yours"
BODY="{\"villages\":[\"$V\"],\"on\":\"2031-09-01\",\"reason\":\"到期轮换\"}" req twp POST /api/v1/plans/1/rotate
expect_code http-township-rotates-its-village 200
expect_body http-new-term '"new_end":"2033-09-01"'
expect_eq http-postings-ended "$(q "SELECT count(*) FROM posting WHERE village = $V AND end_date = '2031-09-01'")" "$NV"
expect_eq http-recorded "$(q "SELECT by || ' ' || day || ' ' || reason FROM term_change WHERE kind = 'rotate' ORDER BY id DESC LIMIT 1")" "twp 2031-09-01 到期轮换"
expect_eq http-audited "$(q "SELECT actor || ' ' || target FROM audit_log WHERE action = 'plan.rotate' ORDER BY seq DESC LIMIT 1")" "twp plan:1"
# The county's staff own it: every village still serving, at its term's end.
BODY='{}' req cty POST /api/v1/plans/1/rotate
expect_code http-county-rotates-the-rest 200
expect_body http-county-day '"on":"2030-03-01"'
expect_eq http-nobody-left "$(q "SELECT count(*) FROM posting WHERE end_date IS NULL")" 0
zc_serve_stop
run audit verify
expect_rc audit-verify 0
finish
