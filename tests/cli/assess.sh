#!/bin/sh
# assess.sh - supervision and assessment (考) end to end on the mashan-2018
# demo with its generated July: the inspection sample (reproducible,
# recorded, risk-weighted), an inspection, a finding and its ticket through
# fix and re-check, the negative list, the ladder with an appeal and a
# recall that leaves a vacancy for `match --refill`, the monthly score,
# annual grades with the quota, calibration and confirmation into the
# ledger, funds, scoping, and the audit record of every write.
. "$(dirname "$0")/lib.sh"
POL="$(cd "$(dirname "$0")/../.." && pwd)/policies/mashan-2018.json"

zc_demo_month "$POL"
expect_rc "demo scenario, its plan published, July's field records generated" 0
export ZHUCUN_TODAY=2018-08-01
q() { zc_sql "$1"; }

# ---- the inspection sample ---------------------------------------------------------------
run inspect sample --scope 450124 --month 2018-07 --seed 7 --count 20 --format json --policy "$POL"
expect_rc "sample drawn" 0
cp "$T/out" "$T/sample1.json"
n=$(python3 -c "import json,sys; d=json.load(open('$T/sample1.json')); print(len(d['picks']), d['seed'], d['population'], len({p['cadre'] for p in d['picks']}))")
case $n in "20 7 "*" 20") _ok "20 distinct cadres drawn with seed 7 ($n)" ;; *) _fail "sample size" "$n" ;; esac
pop=$(echo "$n" | cut -d' ' -f3)
stationed=$(ZHUCUN_TODAY=2018-08-01 "$ZHUCUN" presence --month 2018-07 --scope 450124 --format csv | tail -n +2 | wc -l)
if [ "$pop" = "$stationed" ]; then _ok "population is every cadre stationed in the county ($pop)"; else _fail "population" "$pop vs $stationed"; fi
run inspect sample --scope 450124 --month 2018-07 --format json --policy "$POL"
if cmp -s "$T/out" "$T/sample1.json" || python3 -c "
import json; a=json.load(open('$T/sample1.json')); b=json.load(open('$T/out'))
assert [p['cadre'] for p in a['picks']]==[p['cadre'] for p in b['picks']] and b['existing']"; then _ok "the same call shows the recorded sample"; else _fail "recorded sample" "$(head -c 300 "$T/out")"; fi
run inspect sample --scope 450124 --month 2018-07 --seed 8 --policy "$POL"
expect_rc "a redraw with another seed is refused" 65
expect_err "the refusal names the first draw" "seed 7"
# The same seed on a copy of the records before the draw gives the same picks.
# (Reproducible: the stream depends only on the seed and the records.)
q "DELETE FROM inspection_sample_item; DELETE FROM inspection_sample;"
run inspect sample --scope 450124 --month 2018-07 --seed 7 --count 20 --format json --policy "$POL"
if python3 -c "
import json; a=json.load(open('$T/sample1.json')); b=json.load(open('$T/out'))
assert [p['cadre'] for p in a['picks']]==[p['cadre'] for p in b['picks']]"; then _ok "the seed reproduces the sample"; else _fail "reproducible" "differs"; fi
# Risk weighting: planted cases raise the weight; everybody keeps weight >= 1.
run inspect sample --scope 4501 --month 2018-07 --seed 11 --count 600 --format json --policy "$POL"
w=$(python3 -c "
import json; d=json.load(open('$T/out')); ws=[p['weight'] for p in d['picks']]
print(min(ws), max(ws), sum(1 for p in d['picks'] if '两头跑' in p['why']))")
case $w in "1 "*) _ok "every weight is at least 1 and cases raise it ($w)" ;; *) _fail "weights" "$w" ;; esac
heavy=$(echo "$w" | cut -d' ' -f3)
if [ "$heavy" -ge 5 ]; then _ok "cadres with cases are in the weighted sample ($heavy)"; else _fail "weighted" "$w"; fi
run inspect sample --scope 450124 --month 2018-07 --count 3 --policy "$POL"
expect_rc "a redraw with another count is refused" 65
# 夏河's 半月一督查: a half_monthly policy draws one sample per half month.
XH="$(dirname "$POL")/xiahe-2018.json"
run inspect sample --scope 450125 --month 2018-07 --seed 3 --format json --policy "$XH"
expect_rc "half-monthly: a past month's sample defaults to its first half" 0
h1=$(python3 -c "import json; d=json.load(open('$T/out')); print(d.get('half'), d['sample'])")
case $h1 in "1 "*) _ok "the first half is drawn ($h1)" ;; *) _fail "first half" "$h1" ;; esac
run inspect sample --scope 450125 --month 2018-07 --half 2 --seed 3 --format json --policy "$XH"
h2=$(python3 -c "import json; d=json.load(open('$T/out')); print(d.get('half'), d['sample'], d['existing'])")
case $h2 in "2 ${h1#1 } "*) _fail "second half" "the same sample: $h2" ;; "2 "*" False") _ok "the second half is a sample of its own ($h2)" ;; *) _fail "second half" "$h2" ;; esac
run inspect sample --scope 450125 --month 2018-07 --half 2 --seed 4 --policy "$XH"
expect_rc "no redraw within the same half" 65
expect_err "the refusal names the half" "下半月"
run inspect sample --scope 450125 --month 2018-07 --half 1 --policy "$XH"
expect_rc "the first half shows as recorded" 0
expect_out "the first half is labelled" "2018-07上半月"
periods=$(q "SELECT month FROM inspection_sample WHERE scope = 450125000000 ORDER BY month" | tr '\n' ' ')
case $periods in "2018-07/1 2018-07/2 ") _ok "each half is recorded as its own period ($periods)" ;; *) _fail "periods" "$periods" ;; esac
export ZHUCUN_TODAY=2018-08-20
run inspect sample --scope 450125 --month 2018-08 --format json --policy "$XH"
export ZHUCUN_TODAY=2018-08-01
h3=$(python3 -c "import json; d=json.load(open('$T/out')); print(d.get('half'))" 2>/dev/null)
if [ "$h3" = 2 ]; then _ok "in the current month the default half is today's (20th: 2)"; else _fail "today's half" "$h3 $(cat "$T/err")"; fi
run inspect sample --scope 450125 --month 2018-07 --half 1 --policy "$POL"
expect_rc "a monthly policy takes no --half" 65
run inspect sample --scope 450125 --month 2018-07 --half 3 --policy "$XH"
expect_rc "--half is 1 or 2" 64

# ---- inspection, finding, ticket ----------------------------------------------------------
C=$(q "SELECT cadre FROM inspection_sample_item WHERE rank = 1 AND sample = (SELECT max(id) FROM inspection_sample WHERE scope = 450124000000)")
V=$(q "SELECT village FROM posting WHERE cadre = $C AND end_date IS NULL")
run inspect record --village "$V" --cadre "$C" --method unannounced --date 2018-07-28 --inspectors "王督查, 李督查" --sample 2
expect_rc "inspection recorded" 0
run inspect record --village "$V" --method 随便看看 --date 2018-07-28 --inspectors 王督查
expect_rc "unknown method refused" 65
expect_err "the methods are named" "unannounced"
run inspect finding --inspection 1 --rule attendance --text "暗访时不在村" --evidence "村民问卷 5 份" --policy "$POL"
expect_rc "finding recorded" 0
expect_out "its ticket is opened" "ticket 1 opened"
if [ "$(q "SELECT assignee || ' ' || deadline FROM ticket WHERE id = 1")" = "$C 2018-08-12" ]; then _ok "ticket assigned to the cadre, due in 15 days"; else _fail "ticket" "$(q 'SELECT * FROM ticket')"; fi
run inspect check 1 --by 张复核 --pass
expect_rc "no re-check before a fix" 65
run inspect fix 1 --text "已补齐在村天数" --evidence "8月考勤" --date 2018-07-30
expect_rc "fix reported" 0
run inspect check 1 --by 李督查 --pass
expect_rc "the finding's own inspector cannot re-check" 65
expect_err "the refusal says why" "another inspector"
run inspect check 1 --by 张复核 --fail
expect_rc "a failed re-check needs a note" 65
run inspect check 1 --by 张复核 --fail --note "仍不在村"
expect_rc "re-check failed: reopened" 0
run inspect tickets --status reopened --format csv
expect_out "reopened ticket listed" "重新整改"
# Each ticket keeps its history: every change of state, who, the day, the note.
run inspect ticket 1
expect_rc "inspect ticket shows one ticket" 0
expect_out "with the finding behind it" "暗访时不在村"
expect_out "交办 first" "2018-07-28  assigned  交办"
expect_out "the fix with its text" "2018-07-30  fixed     整改 by"
expect_out "and its evidence" "evidence: 8月考勤"
expect_out "the failed re-check, by whom and why" "reopened  复核未通过·重新整改 by 张复核"
expect_out "the note of the re-check" "仍不在村"
run inspect ticket 1 --format json
if printf '%s' "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); h=d['history']; assert [x['action'] for x in h]==['assigned','fixed','reopened'], h; assert [x['status'] for x in h]==['open','fixed','reopened']; assert h[1]['note']=='已补齐在村天数' and h[1]['evidence']=='8月考勤' and h[2]['actor']=='张复核' and h[2]['note']=='仍不在村' and h[1]['day']=='2018-07-30', h; assert d['status']=='reopened'"; then _ok "the history as JSON, in order"; else _fail "ticket json" "$OUT"; fi
run inspect ticket 1 --scope 450125
expect_rc "a ticket outside --scope is not there" 66
run inspect ticket 99
expect_rc "no ticket 99" 66
if [ "$(q "SELECT count(*) FROM ticket_event WHERE ticket = 1")" = 3 ]; then _ok "refused changes leave no history"; else _fail "refused changes" "$(q "SELECT * FROM ticket_event")"; fi
ZHUCUN_TODAY=2018-08-20 "$ZHUCUN" inspect tickets --status overdue --format csv >"$T/out"
if grep -q "逾期" "$T/out"; then _ok "past its deadline the ticket is overdue"; else _fail "overdue" "$(cat "$T/out")"; fi
# Overdue is judged by the ticket as it stood in each month: fixed late (5
# September, deadline 12 August), it stays overdue for August and not for
# September; in July, before its deadline, it was not overdue.
PREV_FIX=$(q "SELECT fixed_at || '|' || fix_text || '|' || fix_evidence FROM ticket WHERE id = 1")
ZHUCUN_TODAY=2018-09-05 "$ZHUCUN" inspect fix 1 --text "已补齐" --date 2018-09-05 >/dev/null
overdue_of() { # MONTH -> the cadre's overdue tickets in the month's score evidence
    ZHUCUN_TODAY=2018-10-01 "$ZHUCUN" assess month --month "$1" --format json --policy "$POL" >"$T/m.json" 2>"$T/m.err"
    python3 -c "
import json, re; rows = json.load(open('$T/m.json'))
r = [x for x in rows if x['village_code'] == '$V' and x['name'] == '$(q "SELECT name FROM cadre WHERE id = $C")']
ev = json.dumps(r[0], ensure_ascii=False) if r else ''
m = re.search(r'整改逾期 (\d+) 项', ev)
print(m.group(1) if m else 'none')"
}
if [ "$(overdue_of 2018-07)" = 0 ] && [ "$(overdue_of 2018-08)" = 1 ] && [ "$(overdue_of 2018-09)" = 0 ]; then _ok "a ticket fixed late counts as overdue for August only"; else _fail "overdue by month" "July $(overdue_of 2018-07), August $(overdue_of 2018-08), September $(overdue_of 2018-09): $(head -c 300 "$T/m.json") $(cat "$T/m.err")"; fi
# The rules the July list does not show: August has no field records, so its
# stationed cadres are short of days and of diary entries, and the ticket
# above (deadline 12 August, fixed 5 September) is overdue in it. The August
# entries go again afterwards: the ladder below climbs month by month.
ZHUCUN_TODAY=2018-10-01 "$ZHUCUN" assess negative --month 2018-08 --format csv --policy "$POL" >"$T/neg8" 2>&1
aug() { q "SELECT count(*) FROM negative_entry WHERE month = '2018-08' AND rule = '$1'${2:+ AND cadre = $2}"; }
if [ "$(aug overdue_ticket "$C")" = 1 ] && [ "$(aug overdue_ticket)" = 1 ] && grep -q "整改逾期" "$T/neg8"; then _ok "an overdue ticket puts its cadre on the list (整改逾期), no one else"; else _fail "overdue on the list" "$(aug overdue_ticket "$C") for C, $(aug overdue_ticket) in all: $(head -c 300 "$T/neg8")"; fi
if [ "$(aug short_days)" -ge 1 ] && [ "$(aug short_days)" = "$(aug diary)" ] && grep -q "驻村天数不足" "$T/neg8" && grep -q "日志走访不足" "$T/neg8"; then _ok "a month without records: short days and too few diary entries for each cadre ($(aug short_days))"; else _fail "short days / diary" "short $(aug short_days), diary $(aug diary): $(head -c 300 "$T/neg8")"; fi
q "DELETE FROM negative_entry WHERE month = '2018-08'"
# Back to the reopened ticket the rest of this file works with.
q "UPDATE ticket SET status = 'reopened', fixed_at = '$(echo "$PREV_FIX" | cut -d'|' -f1)', fix_text = '$(echo "$PREV_FIX" | cut -d'|' -f2)', fix_evidence = '$(echo "$PREV_FIX" | cut -d'|' -f3)' WHERE id = 1"
run inspect record --village 450125100207 --method open --date 2018-07-28 --inspectors 王督查 --scope 450124
expect_rc "an inspection outside the scope is forbidden" 77

# ---- negative list and ladder ---------------------------------------------------------------
# A case nobody has looked at (a GPS drift?) is no entry: only a case the
# county confirmed (核实) is.
run assess negative --month 2018-07 --format csv --policy "$POL"
expect_rc "negative list built" 0
if [ "$(q "SELECT count(*) FROM negative_entry WHERE month = '2018-07' AND rule = 'case'")" = 0 ]; then _ok "open cases are not on the list"; else _fail "open cases" "listed"; fi
"$ZHUCUN" cases --month 2018-07 --format json --policy "$POL" >"$T/cases.json" 2>/dev/null
python3 - "$T/cases.json" >"$T/confirm" <<'PY'
import json, sys
seen = set()
for c in json.load(open(sys.argv[1]))["cases"]:
    if c["cadre"] not in seen and not c["dismissed"]:
        seen.add(c["cadre"])
        print(c["id_number"], c["cadre"], c["date"], c["rule"])
PY
run cases confirm --cadre "$(head -n 1 "$T/confirm" | cut -d' ' -f2)" --date 2018-07-01 --rule impossible_travel
expect_rc "a confirmation needs a reason" 64
# The county's verdicts as a file (an inspector's sheet): all or nothing,
# each bad cell named, the rule by its code or its Chinese name.
{
    echo "干部编号,日期,规则,理由"
    while read -r idn cid day rule; do echo "$cid,$day,$rule,县委组织部核实: 当日不在村"; done <"$T/confirm"
} >"$T/verdicts.csv"
{
    head -n 2 "$T/verdicts.csv"
    echo "$(sed -n 2p "$T/verdicts.csv" | cut -d, -f1,2),两头跑,县委组织部核实"
    echo "$(sed -n 2p "$T/verdicts.csv" | cut -d, -f1-3),"
} >"$T/bad.csv"
run cases confirm --file "$T/bad.csv"
expect_rc "a file of verdicts with a bad rule and a missing reason is refused" 65
expect_err "... naming the rule's cell" "bad.csv:3:规则: '两头跑' is not a rule"
expect_err "... and the reason's" "bad.csv:4:理由: a verdict needs a reason"
if [ "$(q "SELECT count(*) FROM field_case_dismissal WHERE verdict = 'confirmed'")" = 0 ]; then _ok "... and nothing is written"; else _fail "bad file wrote" "$(q "SELECT count(*) FROM field_case_dismissal")"; fi
run cases confirm --file "$T/verdicts.csv" --scope 450125
expect_rc "verdicts on another county's cadres are refused" 77
expect_err "... naming the row" "verdicts.csv:2: cadre"
sed -i '2s/impossible_travel/位移速度异常/; 2s/outside_on_present_day/在村日有村外定位/' "$T/verdicts.csv"
run cases confirm --file "$T/verdicts.csv"
expect_rc "the file's cases are confirmed at once" 0
expect_out "... and counted" "$(wc -l <"$T/confirm" | tr -d ' ') case"
run cases --month 2018-07 --format json --policy "$POL"
nconf=$(python3 -c "import json; d=json.load(open('$T/out')); print(sum(1 for c in d['cases'] if c.get('confirmed') and c.get('confirm_reason')))")
if [ "$nconf" = "$(wc -l <"$T/confirm")" ] && [ "$nconf" -ge 5 ]; then _ok "confirmed cases are listed as confirmed, with the reason ($nconf)"; else _fail "confirmed" "$nconf"; fi
if python3 -c "import json; d=json.load(open('$T/out')); assert d['confirmed']==$nconf and d['open']==d['count']-$nconf" 2>/dev/null &&
    "$ZHUCUN" cases --month 2018-07 --policy "$POL" 2>/dev/null | tail -n 1 | grep -q ", $nconf confirmed\$"; then
    _ok "the cases' counts: confirmed ones are not open"
else _fail "confirmed counts" "$(tail -c 100 "$T/out")"; fi
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'field.case.confirm'")" = "$nconf" ]; then _ok "each confirmation is in the audit record"; else _fail "confirm audited" "$nconf"; fi
run cases --month 2018-07 --format csv --policy "$POL"
if [ "$(tr -d '\r' <"$T/out" | grep -c ',已核实,县委组织部核实: 当日不在村$')" = "$nconf" ] && head -n 1 "$T/out" | grep -q '干部编号,身份证号,姓名,村,村代码,日期,规则,规则名称,情况,证据,状态,理由'; then
    _ok "the cases export as a sheet, the verdicts with their reasons"
else _fail "cases csv" "$(head -c 400 "$T/out")"; fi
run assess negative --month 2018-07 --format csv --policy "$POL"
expect_rc "negative list rebuilt" 0
expect_out "the finding is on the list" "督查发现问题"
expect_out "planted cases are on the list" "两头跑线索"
expect_out "cadres short of days are on the list" "驻村天数不足"
planted=$(q "SELECT count(DISTINCT cadre) FROM negative_entry WHERE month = '2018-07' AND rule = 'case'")
if [ "$planted" = "$nconf" ]; then _ok "cadres with confirmed cases listed ($planted)"; else _fail "cases listed" "$planted vs $nconf"; fi
first=$(q "SELECT count(*) FROM negative_entry WHERE month = '2018-07'")
run assess negative --month 2018-07 --format csv --policy "$POL"
if [ "$(q "SELECT count(*) FROM negative_entry WHERE month = '2018-07'")" = "$first" ]; then _ok "rebuilding the list adds nothing twice"; else _fail "rebuild" "grew"; fi
# A dismissed case leaves the list on the next build.
K=$(q "SELECT cadre FROM negative_entry WHERE month = '2018-07' AND rule = 'case' AND cadre NOT IN (SELECT cadre FROM negative_entry WHERE month = '2018-07' AND rule <> 'case') LIMIT 1")
KID=$(q "SELECT id_number FROM cadre WHERE id = $K")
"$ZHUCUN" cases --month 2018-07 --format json --policy "$POL" >"$T/cases.json" 2>/dev/null
python3 - "$T/cases.json" "$K" >"$T/dismiss" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if str(c["cadre"]) == sys.argv[2] and not c["dismissed"]:
        print(c["date"], c["rule"])
PY
while read -r day rule; do "$ZHUCUN" cases dismiss --cadre "$KID" --date "$day" --rule "$rule" --reason "核实: 手机定位漂移" >/dev/null 2>&1; done <"$T/dismiss"
run assess negative --month 2018-07 --format csv --policy "$POL"
if [ -s "$T/dismiss" ] && [ "$(q "SELECT count(*) FROM negative_entry WHERE month = '2018-07' AND cadre = $K")" = 0 ]; then _ok "dismissed cases take the entry off the list"; else _fail "dismissed" "$(wc -l <"$T/dismiss") cases; $(q "SELECT rule FROM negative_entry WHERE cadre = $K")"; fi
run assess negative add --cadre "$C" --month 2018-07 --reason "未按要求参加培训"
expect_rc "manual entry" 0
run assess negative add --cadre "$C" --month 2018-07
expect_rc "a manual entry needs a reason" 65

run assess ladder --month 2018-07 --policy "$POL"
expect_rc "ladder proposed" 0
expect_out "first step is the study class" "进班学习"
S1=$(q "SELECT id FROM ladder_step WHERE cadre = $C")
if [ "$(q "SELECT step || ' ' || status FROM ladder_step WHERE id = $S1")" = "study proposed" ]; then _ok "one step proposed per cadre"; else _fail "step" "$(q "SELECT * FROM ladder_step WHERE cadre = $C")"; fi
if [ "$(q "SELECT count(*) FROM notice WHERE kind = 'ladder'")" = "$(q "SELECT count(*) FROM ladder_step")" ] && [ "$(q "SELECT count(*) FROM notice WHERE cadre = $C AND ref = $S1 AND text LIKE '%进班学习%'")" = 1 ]; then _ok "each cadre with a step proposed gets a notice naming it"; else _fail "notices" "$(q "SELECT count(*) FROM notice") notices, $(q "SELECT count(*) FROM ladder_step") steps"; fi
run assess ladder --month 2018-07 --policy "$POL"
if [ "$(q "SELECT count(*) FROM ladder_step WHERE cadre = $C")" = 1 ]; then _ok "proposing again adds nothing"; else _fail "re-propose" "twice"; fi
run assess ladder done "$S1" --note x
expect_rc "a ladder step is appealed, confirmed or withdrawn, nothing else" 64
if [ "$(q "SELECT status FROM ladder_step WHERE id = $S1")" = proposed ]; then _ok "an unknown word changes nothing"; else _fail "ladder done" "changed"; fi
run assess ladder appeal "$S1" --reason "当月住院, 附病历"
expect_rc "appeal" 0
run assess ladder appeal "$S1" --reason again
expect_rc "no second appeal" 65
run assess ladder confirm "$S1" --sanction 召回
expect_rc "a study class takes no sanction" 65
run assess ladder confirm "$S1"
expect_rc "an appealed step is not confirmed without an answer" 65
expect_err "the answer is asked for" "confirming it answers the appeal (--note)"
run assess ladder confirm "$S1" --note "病历所载住院日期与缺勤日期不符, 维持"
expect_rc "study class confirmed after the appeal, with the answer" 0
if [ "$(q "SELECT status || '|' || note FROM ladder_step WHERE id = $S1")" = "confirmed|病历所载住院日期与缺勤日期不符, 维持" ]; then _ok "the answer is kept with the step"; else _fail "answer kept" "$(q "SELECT status, note FROM ladder_step WHERE id = $S1")"; fi
# Two more months on the list: talk, then penalty.
for m in 2018-08 2018-09; do
    q "INSERT INTO negative_entry (cadre, village, month, source, rule, detail, created_by, created_at) VALUES ($C, $V, '$m', 'manual', 'manual', 'test', 'test', '$m-28 10:00:00')"
    ZHUCUN_TODAY=$m-28 "$ZHUCUN" assess ladder --month $m --policy "$POL" >/dev/null
done
if [ "$(q "SELECT $ZC_GROUP_CONCAT(step, ',') FROM (SELECT step FROM ladder_step WHERE cadre = $C ORDER BY month) AS steps")" = "study,talk,penalty" ]; then _ok "the ladder climbs: study, talk, penalty"; else _fail "ladder" "$(q "SELECT step, month FROM ladder_step WHERE cadre = $C")"; fi
SP=$(q "SELECT id FROM ladder_step WHERE cadre = $C AND step = 'penalty'")
run assess ladder confirm "$SP" --policy "$POL"
expect_rc "a penalty names its sanction" 65
expect_err "the sanctions are listed" "诫勉"
run assess ladder confirm "$SP" --sanction 召回 --date 2018-10-01 --scope 450125 --policy "$POL"
expect_rc "another county cannot decide" 77
run assess ladder confirm "$SP" --sanction 召回 --date 2018-10-01 --policy "$POL"
expect_rc "penalty confirmed" 0
expect_out "the recall leaves a vacancy" "vacant"
if [ "$(q "SELECT end_date FROM posting WHERE cadre = $C")" = "2018-10-01" ]; then _ok "the posting ends on the recall"; else _fail "posting" "$(q "SELECT * FROM posting WHERE cadre = $C")"; fi
ZHUCUN_TODAY=2018-10-02 "$ZHUCUN" match --refill --policy "$POL" >"$T/out" 2>&1
if [ "$(q "SELECT count(*) FROM plan WHERE kind = 'refill'")" -ge 1 ] && [ "$(q "SELECT moves FROM plan WHERE kind = 'refill' ORDER BY id DESC LIMIT 1")" = 0 ]; then _ok "match --refill fills the post without moving anyone"; else _fail "refill" "$(tail -c 300 "$T/out")"; fi

# ---- monthly score ---------------------------------------------------------------------------
run assess month --month 2018-07 --format csv --policy "$POL"
expect_rc "monthly assessment" 0
head -n 1 "$T/out" | grep -q "身份证号,姓名,村,村代码,派出单位,总分,驻村在岗,入户走访" && _ok "CSV columns" || _fail "CSV columns" "$(head -n 1 "$T/out")"
if grep -q '[0-9]\{17\}[0-9X]' "$T/out"; then _fail "ID numbers masked" "full ID found"; else _ok "ID numbers masked"; fi
rows=$(tail -n +2 "$T/out" | wc -l)
if [ "$rows" -ge 600 ]; then _ok "every stationed cadre scored ($rows)"; else _fail "rows" "$rows"; fi
python3 - "$T/out" <<'PY' && _ok "total = sum of components, each within 0..100" || _fail "score sums" "see above"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
for r in rows[1:]:
    parts = [float(r[i]) for i in range(6, 11) if r[i]]
    t = float(r[5])
    assert 0 <= t <= 100.05, r
    assert abs(sum(parts) - t) < 0.35, (r, parts, t)
PY
# A cadre with a planted case and short days scores below one who met the rule.
low=$(python3 -c "
import csv; rows=list(csv.DictReader(open('$T/out', encoding='utf-8-sig')))
print(min(float(r['总分']) for r in rows), max(float(r['总分']) for r in rows))")
case $low in 100.0*) _fail "scores differ" "$low" ;; *) _ok "scores separate cadres ($low)" ;; esac
if grep -q "签到" "$T/out"; then _fail "no check-in counts in the score" "签到 found"; else _ok "no component counts check-ins"; fi
run assess month --month 2018-07 --format xlsx -o "$T/month.xlsx" --policy "$POL"
expect_rc "monthly assessment as XLSX" 0
if unzip -p "$T/month.xlsx" xl/worksheets/sheet1.xml 2>/dev/null | grep -q "总分"; then _ok "XLSX carries the columns"; else _fail "xlsx" "no 总分"; fi
run assess task add --village "$V" --quarter 2018-Q3 --text "修通屯级道路" --due 2018-07-31
expect_rc "task added" 0
run assess task add --village "$V" --quarter 2018-13 --text x --due 2018-07-31
expect_rc "bad quarter refused" 65
run assess task done 1 --evidence "验收照片" --date 2018-07-29
expect_rc "task done" 0
run assess month --month 2018-07 --format json --policy "$POL"
if python3 -c "
import json; rows=json.load(open('$T/out'))
r=[x for x in rows if x['village_code']=='$V']
assert r and all(x['tasks'] not in ('', None) for x in r)"; then _ok "the team's task counts in its score"; else _fail "task component" "$(head -c 300 "$T/out")"; fi

cp "$T/out" "$T/cadres.json"
run assess month --month 2018-07 --teams --format json --policy "$POL"
expect_rc "teams scored" 0
if python3 -c "
import json
cad = json.load(open('$T/cadres.json')); teams = json.load(open('$T/out'))
by = {}
for c in cad: by.setdefault(c['village_code'], []).append(c)
assert sorted(t['village_code'] for t in teams) == sorted(by), 'one team a village'
assert any(t['members'] >= 2 for t in teams), 'no team of several'
for t in teams:
    m = by[t['village_code']]
    tot = [c['total'] for c in m]
    assert t['members'] == len(m) and t['names'] == '、'.join(c['name'] for c in m), t
    assert abs(t['lowest'] - min(tot)) < 0.051 and min(tot) - 0.051 <= t['total'] <= max(tot) + 0.051, t
    assert t['negative_list'] == sum(1 for c in m if c['negative_list'] == '是'), t
    for k in ('presence', 'visits', 'tasks', 'findings', 'outcomes'):
        got = [c[k] for c in m if c[k] is not None]
        assert (t[k] is None) == (not got), (k, t)
        if got: assert min(got) - 0.051 <= t[k] <= max(got) + 0.051, (k, t)
"; then _ok "a team's score is its members' (count, names, lowest, listed, each component within theirs)"; else _fail "team scores" "$(head -c 400 "$T/out")"; fi
run assess month --month 2018-07 --teams --format csv --policy "$POL"
head -n 1 "$T/out" | grep -q "工作队得分" && _ok "team CSV has 工作队得分" || _fail "team CSV" "$(head -n 1 "$T/out")"
# Quarterly task lists derived from the villages' needs and the households' plans.
run assess task generate --quarter 2018-Q3 --scope 450124
expect_rc "the quarter's tasks derived" 0
n1=$(q "SELECT count(*) FROM assess_task WHERE quarter = '2018-Q3' AND source <> ''")
run assess task generate --quarter 2018-Q3 --scope 450124
if [ "$n1" -gt 10 ] && [ "$(q "SELECT count(*) FROM assess_task WHERE quarter = '2018-Q3' AND source <> ''")" = "$n1" ]; then _ok "derived once per source ($n1 tasks), a second run adds none"; else _fail "derive" "$n1 then more"; fi
if [ "$(q "SELECT count(*) FROM assess_task WHERE source LIKE 'need:%' AND due <> '2018-09-30'")" = 0 ] && [ "$(q "SELECT count(*) FROM assess_task t JOIN village v ON v.code = t.village WHERE t.source = 'need:穷' AND v.states & 2 = 0")" = 0 ]; then _ok "need tasks follow the village's states, due at the quarter's end"; else _fail "need tasks" "$(q "SELECT village, source, due FROM assess_task WHERE source <> '' LIMIT 3")"; fi
nteams=$(q "SELECT count(DISTINCT village) FROM assess_task WHERE quarter = '2018-Q3' AND source <> ''")
nposted=$(q "SELECT count(DISTINCT village) FROM posting WHERE village BETWEEN 450124000000 AND 450124999999 AND start_date <= '2018-09-30' AND (end_date IS NULL OR end_date >= '2018-07-01') AND village IN (SELECT code FROM village WHERE states <> 0 OR industries <> '')")
if [ "$nteams" = "$nposted" ]; then _ok "every team with needs has its list ($nteams)"; else _fail "teams" "$nteams vs $nposted"; fi
run assess task generate --quarter 2018-Q4 --scope 450124
plan=$(q "SELECT count(*) FROM assess_task WHERE quarter = '2018-Q4' AND source LIKE 'plan:%' AND due = '2018-12-31' AND text LIKE '%一户一策%'")
if [ "$plan" -ge 5 ]; then _ok "the households' open plan measures become the team's tasks with their deadline ($plan)"; else _fail "plan tasks" "$plan"; fi
TK=$(q "SELECT id FROM assess_task WHERE quarter = '2018-Q3' AND source <> '' ORDER BY id LIMIT 1")
run assess task done "$TK" --evidence "村集体经济项目验收单" --date 2018-09-20
expect_rc "a derived task is done with its evidence" 0
run assess task list --quarter 2018-Q3 --scope 450124 --format csv
expect_rc "task list" 0
python3 - "$T/out" "$TK" <<'PY' && _ok "the list: deadline, status and evidence per task, typed and derived" || _fail "task list" "$(head -c 300 "$T/out")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
done = [r for r in rows if r["编号"] == sys.argv[2]][0]
assert done["状态"] == "已完成" and done["完成依据"] == "村集体经济项目验收单", done
assert any(r["来源"] == "" and r["任务"] == "修通屯级道路" for r in rows)
assert all(r["完成时限"] and r["来源"] in ("",) or r["来源"].split(":")[0] in ("need", "industry", "plan") for r in rows)
PY
run assess task list --quarter 2018-Q5
expect_rc "a bad quarter is refused" 65
run assess task generate --quarter 2018-Q3 --scope 450124203
expect_rc "a township derives its own teams' tasks" 0

# ---- annual grades ---------------------------------------------------------------------------
# Grades use the months that are over: June and July as of 2018-08-01.
run assess year --year 2018 --format csv --policy "$POL"
expect_rc "annual grades proposed" 0
head -n 1 "$T/out" | grep -q "建议等次" && _ok "CSV has 建议等次" || _fail "建议等次" "$(head -n 1 "$T/out")"
# Lower the bar so that many qualify: the quota then caps 优秀 at 20% per county.
python3 - "$POL" "$T/quota.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p.setdefault("assess", {})["grades"] = {"excellent_percent": 20, "excellent_min": 50, "competent_min": 40, "basic_min": 30}
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)
PY
run assess year --year 2018 --format csv --policy "$T/quota.json"
python3 - "$T/out" <<'PY' && _ok "优秀 within 20% of each county, the rest told why" || _fail "quota" "see above"
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
by = collections.defaultdict(list)
for r in rows:
    by[r["县"]].append(r)
assert any(r["建议等次"] == "优秀" for r in rows)
for county, rs in by.items():
    top = sum(1 for r in rs if r["建议等次"] == "优秀")
    assert top <= len(rs) * 20 // 100, (county, top, len(rs))
assert any("超出优秀比例" in r["说明"] for r in rows)
PY
G=$(q "SELECT cadre FROM assess_grade WHERE year = 2018 AND grade = '称职' AND county = 450124000000 LIMIT 1")
run assess year set --cadre "$G" --year 2018 --grade 优秀 --scope 450124
expect_rc "calibration needs a reason" 65
run assess year set --cadre "$G" --year 2018 --grade 优秀 --reason "防汛救灾表现突出" --scope 450124
expect_rc "calibrated by the county" 0
run assess year set --cadre "$G" --year 2018 --grade 优秀 --reason x --scope 450124203
expect_rc "a township cannot calibrate" 77
run assess year --year 2018 --format csv --policy "$T/quota.json"
if grep "防汛救灾表现突出" "$T/out" | grep -q "优秀"; then _ok "the calibrated grade stays with its reason"; else _fail "calibration kept" "lost"; fi
# Calibration across townships: each township's distribution side by side.
cp "$T/out" "$T/year.csv"
run assess year --year 2018 --by-township --format json --policy "$T/quota.json" --scope 450124
expect_rc "grades by township" 0
python3 - "$T/out" "$T/year.csv" <<'PY' && _ok "by township: counts add up to the cadre table, side by side per township" || _fail "by township" "$(head -c 400 "$T/out")"
import csv, json, sys, collections
rows = json.load(open(sys.argv[1]))
cad = [r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")) if r["县"] == "450124"]
assert len(rows) >= 2, rows
assert sum(r["cadres"] for r in rows) == len(cad), (sum(r["cadres"] for r in rows), len(cad))
assert sum(r["excellent"] for r in rows) == sum(1 for r in cad if r["确定等次"] == "优秀")
for r in rows:
    assert r["cadres"] == r["excellent"] + r["competent"] + r["basic"] + r["incompetent"], r
    assert r["county"] == "450124" and r["township"].startswith("450124") and r["name"], r
assert sum(r["changes"] for r in rows) >= 1
PY
run assess year --year 2018 --by-township --policy "$T/quota.json" --scope 450124
expect_out "the table lists each calibration with its reason" "防汛救灾表现突出"
run assess year --year 2018 --by-township --format xlsx -o "$T/towns.xlsx" --policy "$T/quota.json" --scope 450124
expect_rc "grades by township as XLSX" 0
if unzip -p "$T/towns.xlsx" 2>/dev/null | grep -q "校准调整"; then _ok "the workbook has the township columns"; else _fail "towns xlsx" "no 校准调整"; fi
run assess year confirm --year 2018 --scope 450124 --policy "$T/quota.json"
expect_rc "one over the quota: confirmation refused" 65
expect_err "the refusal names the county and the quota" "450124"
# Take one 优秀 back, then confirm.
B=$(q "SELECT cadre FROM assess_grade WHERE year = 2018 AND grade = '优秀' AND county = 450124000000 AND cadre <> $G LIMIT 1")
run assess year set --cadre "$B" --year 2018 --grade 称职 --reason "名额调整" --scope 450124
run assess year confirm --year 2018 --scope 450124 --policy "$T/quota.json"
expect_rc "grades confirmed" 0
if q "SELECT grades FROM cadre WHERE id = $G" | grep -q "2018:优秀"; then _ok "the confirmed grade is in the cadre's record"; else _fail "ledger grade" "$(q "SELECT grades FROM cadre WHERE id = $G")"; fi
if [ "$(q "SELECT grade FROM cadre_grade WHERE cadre = $G AND year = 2018")" = "优秀" ]; then _ok "cadre_grade row written"; else _fail "cadre_grade" "missing"; fi
run assess year set --cadre "$G" --year 2018 --grade 称职 --reason x --scope 450124
expect_rc "a confirmed grade cannot change" 65
run assess year --year 2018 --format csv --policy "$T/quota.json" --scope 450124
if grep "防汛救灾表现突出" "$T/out" | grep -q ",是,是"; then _ok "confirmed 优秀 without a step is on the promotion list"; else _fail "promotion list" "$(grep 防汛 "$T/out")"; fi
# Commendations (表彰) with their reasons, and the promotion list with the evidence per name.
run assess commend add --cadre "$G" --year 2018 --title 优秀第一书记 --date 2018-07-25
expect_rc "a commendation needs a reason" 65
run assess commend add --cadre "$G" --year 2018 --title 优秀第一书记 --reason "带领群众抗洪抢险" --date 2018-07-25 --scope 450125
expect_rc "another county cannot commend the cadre" 77
run assess commend add --cadre "$G" --year 2018 --title 优秀第一书记 --reason "带领群众抗洪抢险" --date 2018-07-25
expect_rc "commendation recorded" 0
run assess commend --year 2018 --format csv
expect_out "the commendation is listed with its reason" "优秀第一书记,带领群众抗洪抢险"
run assess promote --year 2018 --scope 450124 --format json --unmask --policy "$T/quota.json"
expect_rc "the promotion list" 0
python3 - "$T/out" "$(q "SELECT id_number FROM cadre WHERE id = $G")" <<'PY' && _ok "the promotion list shows grade, months' scores, commendations and no negative entries per name" || _fail "promotion evidence" "$(head -c 400 "$T/out")"
import json, sys
rows = json.load(open(sys.argv[1]))
g = [r for r in rows if r["id_number"] == sys.argv[2]][0]
assert g["grade"] == "优秀" and g["confirmed"] == "是", g
assert "6月" in g["months"] and "7月" in g["months"], g
assert "优秀第一书记 (2018-07-25): 带领群众抗洪抢险" in g["commendations"], g
assert all(r["grade"] == "优秀" for r in rows) and all(isinstance(r["negative"], int) for r in rows)
PY

# ---- funds -------------------------------------------------------------------------------------
run funds add --village "$V" --kind work --amount 3200.50 --date 2018-07-15 --note "村部办公用品"
expect_rc "spending entered" 0
run funds add --village "$V" --kind bribe --amount 1 --date 2018-07-15 --note x
expect_rc "unknown kind refused" 65
run funds add --village "$V" --kind work --amount -5 --date 2018-07-15 --note x
expect_rc "negative amount refused" 64
run funds statement --year 2018 --scope 450124 --format csv --policy "$POL"
expect_rc "funds statement" 0
line=$(grep ",$V," "$T/out")
case $line in *",15000.00,3200.50,11799.50,100000.00,0.00,100000.00,"*) _ok "allocation per first secretary, spent and balance" ;; *) _fail "funds row" "$line" ;; esac
run funds statement --year 2018 --scope 450124 --format xlsx -o "$T/funds.xlsx" --policy "$POL"
expect_rc "funds statement as XLSX" 0
if unzip -l "$T/funds.xlsx" >/dev/null 2>&1; then _ok "XLSX is a workbook"; else _fail "xlsx" "not a zip"; fi
python3 - "$POL" "$T/sub.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p.setdefault("field", {})["subsidy"] = {"per_day_yuan": 0, "per_month_yuan": 2000}
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)
PY
run funds statement --year 2018 --scope 450124 --format json --policy "$T/sub.json"
if python3 -c "
import json; rows=json.load(open('$T/out')); assert sum(float(r['subsidy']) for r in rows) > 0"; then _ok "subsidies come from the residence ledger"; else _fail "subsidy" "$(head -c 300 "$T/out")"; fi

# ---- the monthly bulletin -------------------------------------------------------------------------
run report bulletin --month 2018-07 --scope 450124 --format pdf -o "$T/b.pdf" --policy "$POL"
expect_rc "bulletin as PDF" 0
expect_err "the bulletin says what it counted" "on the negative list"
pages=$(pdfinfo "$T/b.pdf" | sed -n 's/^Pages: *//p')
if pdfinfo "$T/b.pdf" | grep -q "595.276 x 841.89 pts (A4)" && [ "${pages:-0}" -ge 2 ]; then _ok "A4, $pages pages"; else _fail "A4 pages" "$(pdfinfo "$T/b.pdf")"; fi
pdftotext -layout "$T/b.pdf" "$T/b.txt"
for want in "马山县驻村工作通报 (2018年7月)" "一、总体情况" "分乡镇驻村在岗情况" "古零镇" "暗访时不在村" "本月负面清单" "六、下月工作重点" "第 1 页 / 共 $pages 页" "第 $pages 页 / 共 $pages 页"; do
    if grep -qF -- "$want" "$T/b.txt"; then _ok "PDF text: $want"; else _fail "PDF text: $want" "missing; the text ends: $(tail -c 700 "$T/b.txt")"; fi
done
nlisted=$(q "SELECT count(*) FROM negative_entry e JOIN posting p ON p.cadre = e.cadre WHERE e.month = '2018-07' AND p.village BETWEEN 450124000000 AND 450124999999")
if grep -qF "列入本月负面清单 $nlisted 人次" "$T/b.txt"; then _ok "the summary counts the county's list ($nlisted)"; else _fail "summary count" "$(grep -F 负面清单 "$T/b.txt" | head -2)"; fi
if grep -q "[a-z]_[a-z]*_[a-z]" "$T/b.txt"; then _fail "no rule codes in the Chinese text" "$(grep -o "[a-z]*_[a-z_]*" "$T/b.txt" | head -3)"; else _ok "rules named in Chinese"; fi
pdftoppm -r 40 -png -f 1 -l 1 "$T/b.pdf" "$T/page"
sz=$(wc -c <"$T/page-1.png" 2>/dev/null || echo 0)
if [ "$sz" -gt 10000 ]; then _ok "page 1 renders ($sz bytes)"; else _fail "render" "$sz bytes"; fi
run report bulletin --month 2018-07 --scope 450124 --format html -o "$T/b.html" --policy "$POL"
expect_rc "bulletin as HTML" 0
if grep -q "<svg" "$T/b.html" && ! grep -q "https\?://" "$T/b.html"; then _ok "HTML: inline chart, nothing fetched"; else _fail "html" "svg or url"; fi
head=$(grep -o "摘要 [0-9a-f]\{64\}" "$T/b.html" | head -n 1 | cut -d' ' -f2)
run audit verify --expect-head "$head"
expect_rc "the audit head printed in the bulletin anchors the record" 0
run report bulletin --month 2018-07 --scope 450124 --format xlsx -o "$T/b.xlsx" --policy "$POL"
expect_rc "bulletin as XLSX" 0
sheets=$(unzip -l "$T/b.xlsx" | grep -c "xl/worksheets/sheet")
if [ "$sheets" -ge 4 ]; then _ok "XLSX: one sheet per table ($sheets)"; else _fail "xlsx sheets" "$sheets"; fi
run report bulletin --month 2018-07 --scope 450124203 --format pdf -o "$T/x.pdf"
expect_rc "a township bulletin is refused" 64
run report bulletin --month 2018-07 --scope 450124 --format doc -o "$T/x.doc"
expect_rc "unknown format refused" 64
if [ ! -e "$T/x.doc" ] && [ ! -e "$T/x.pdf" ]; then _ok "nothing written on refusal"; else _fail "refusal wrote" "file"; fi
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND target = 'bulletin'")" -ge 3 ]; then _ok "each bulletin is recorded as an export"; else _fail "bulletin export audited" "none"; fi

# ---- the record ------------------------------------------------------------------------------
for a in inspect.sample inspect.record inspect.finding inspect.fix inspect.check negative.build negative.add ladder.propose ladder.appeal ladder.confirm task.add task.done task.generate commend.add assess.calibrate assess.confirm funds.add; do
    if [ "$(q "SELECT count(*) FROM audit_log WHERE action = '$a'")" -ge 1 ]; then _ok "audited: $a"; else _fail "audited: $a" "no entry"; fi
done
run audit verify
expect_rc "audit chain intact" 0
finish
