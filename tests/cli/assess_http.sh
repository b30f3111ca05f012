#!/bin/sh
# assess_http.sh - the supervision and assessment endpoints (/api/v1/assess)
# on loopback, on the mashan-2018 demo with its generated July (as
# tests/cli/assess.sh builds it), as each role would use them: the
# inspector draws the sample and records an inspection and a finding; the
# cadre reports the fix; the finding's own inspector cannot re-check it,
# another can; the county builds the negative list, proposes and decides
# ladder steps, calibrates and confirms grades, enters spending and prints
# the bulletin; a cadre appeals only their own step; a township reads and
# another county is refused. Every write leaves one audit entry.
. "$(dirname "$0")/lib.sh"
POL="$(cd "$(dirname "$0")/../.." && pwd)/policies/mashan-2018.json"

zc_demo_month "$POL"
expect_rc "demo scenario, its plan published, July's field records generated" 0
export ZHUCUN_TODAY=2018-08-01
q() { zc_sql "$1"; }


# Two cadres serving in 450124 for the cadre accounts (the first one is
# made the inspected cadre below), accounts for every role.
TWP=$(q "SELECT village / 1000 FROM posting WHERE end_date IS NULL AND village BETWEEN 450124000000 AND 450124999999 ORDER BY village LIMIT 1")
zc_add_user cty --role county --scope 450124
zc_add_user cty2 --role county --scope 450125
zc_add_user twp --role township --scope "$TWP"
zc_add_user insp --role inspector --scope 450124
zc_add_user insp2 --role inspector --scope 450124
zc_add_user aud --role auditor

mkdir -p "$T/web" "$T/tmp"
echo '<!doctype html><title>驻村</title>' >"$T/web/index.html"
# The server's temporary files in a directory of this test's own (TMPDIR),
# so that other tests running beside it cannot be taken for its leftovers.
export TMPDIR="$T/tmp"
if ZHUCUN_POLICY="$POL" zc_serve --web "$T/web" --threads 2; then _ok "server is up"; else
    _fail "server is up" "$(cat "$T/server.log")"
    finish
fi
for u in cty cty2 twp insp insp2 aud; do login $u; done
audits() { q "SELECT count(*) FROM audit_log WHERE action = '$1' AND actor = '$2'"; }
expect_audits() { # NAME ACTION ACTOR N
    n=$(audits "$2" "$3")
    if [ "$n" = "$4" ]; then _ok "$1"; else _fail "$1" "$n '$2' entries by $3, wanted $4"; fi
}

# ---- the sample ---------------------------------------------------------------------------
BODY='{"month":"2018-07","seed":7,"count":20}' req insp POST /api/v1/assess/inspect/sample
expect_code "inspector draws the sample" 201
if py "assert d['seed']==7 and d['count']==20 and len({p['cadre'] for p in d['picks']})==20 and not d['existing']"; then _ok "20 distinct cadres, seed 7 shown"; else _fail "sample" "$(head -c 300 "$T/body")"; fi
if grep -q '[0-9]\{17\}[0-9X]' "$T/body"; then _fail "sample ID numbers masked" "full ID"; else _ok "sample ID numbers masked"; fi
cp "$T/body" "$T/sample.json"
C=$(py "print(d['picks'][0]['cadre'])")
V=$(py "print(d['picks'][0]['village'])")
BODY='{"month":"2018-07"}' req cty POST /api/v1/assess/inspect/sample
expect_code "the same month again shows the recorded sample" 200
if py "a=json.load(open('$T/sample.json')); assert d['existing'] and [p['cadre'] for p in d['picks']]==[p['cadre'] for p in a['picks']]"; then _ok "same picks as recorded"; else _fail "recorded" "$(head -c 200 "$T/body")"; fi
BODY='{"month":"2018-07","seed":8}' req insp POST /api/v1/assess/inspect/sample
expect_code "another seed is refused" 409
expect_body "the refusal names the first draw" "seed 7"
BODY='{"month":"2018-07"}' req twp POST /api/v1/assess/inspect/sample
expect_code "a township does not draw samples" 403
BODY='{"month":"2018-07","half":3}' req insp POST /api/v1/assess/inspect/sample
expect_code "half is 1 or 2" 400
BODY='{"month":"2018-07","half":1}' req insp POST /api/v1/assess/inspect/sample
expect_code "a monthly policy draws no half-month sample" 400
expect_body "the refusal names the frequency" "inspection.frequency monthly"
BODY='{"month":"2018-07","scope":"450124"}' req cty2 POST /api/v1/assess/inspect/sample
expect_code "another county cannot draw 450124's sample" 403
expect_audits "one audit entry for the draw" inspect.sample insp 1

# The cadre accounts: the first pick, and another cadre of the county.
CID=$(q "SELECT id_number FROM cadre WHERE id = $C")
C2=$(q "SELECT cadre FROM posting WHERE end_date IS NULL AND village BETWEEN 450124000000 AND 450124999999 AND cadre <> $C ORDER BY cadre LIMIT 1")
C2ID=$(q "SELECT id_number FROM cadre WHERE id = $C2")
zc_add_user cad --role cadre --scope 450124 --cadre "$CID"
zc_add_user cad2 --role cadre --scope 450124 --cadre "$C2ID"
login cad
login cad2

# ---- inspection, finding, ticket -------------------------------------------------------------
BODY="{\"village\":\"$V\",\"cadre\":$C,\"method\":\"unannounced\",\"day\":\"2018-07-28\",\"inspectors\":\"王督查\",\"sample\":1}" req insp POST /api/v1/assess/inspections
expect_code "inspection recorded" 201
expect_body "the recording account is one of the inspectors" '"inspectors":"insp, 王督查"'
INS=$(py "print(d['id'])")
BODY="{\"village\":\"$V\",\"method\":\"随便看看\",\"day\":\"2018-07-28\"}" req insp POST /api/v1/assess/inspections
expect_code "unknown method refused" 400
expect_body "the methods are named" "unannounced"
BODY="{\"village\":\"$V\",\"method\":\"open\",\"day\":\"2018-07-28\"}" req cty2 POST /api/v1/assess/inspections
expect_code "another county cannot inspect 450124" 403
BODY="{\"village\":\"$V\",\"method\":\"open\",\"day\":\"2018-07-28\"}" req twp POST /api/v1/assess/inspections
expect_code "a township does not record inspections" 403
BODY="{\"village\":\"$V\",\"method\":\"open\",\"day\":\"2018-07-28\"}" req cad POST /api/v1/assess/inspections
expect_code "a cadre does not record inspections" 403
BODY="{\"inspection\":$INS,\"rule\":\"attendance\",\"text\":\"暗访时不在村\",\"evidence\":\"村民问卷 5 份\"}" req insp POST /api/v1/assess/findings
expect_code "finding recorded" 201
TK=$(py "print(d['ticket'])")
BODY="{\"inspection\":$INS,\"rule\":\"attendance\",\"text\":\"x\"}" req cty2 POST /api/v1/assess/findings
expect_code "another county cannot add a finding to it" 403
req insp GET "/api/v1/assess/findings?month=2018-07"
expect_code "findings of the month" 200
expect_body "the finding is listed with its rule in Chinese" "驻村在岗"
req insp GET /api/v1/assess/tickets
expect_code "ticket ledger" 200
if py "t=[x for x in d['rows'] if x['id']==$TK]; assert t and t[0]['status']=='open' and t[0]['deadline']=='2018-08-12'"; then _ok "the ticket is open, due in 15 days"; else _fail "ticket" "$(head -c 300 "$T/body")"; fi
req cty2 GET /api/v1/assess/tickets
if py "assert all(not x['village'].startswith('450124') for x in d['rows'])"; then _ok "another county does not see the ticket"; else _fail "ticket scoping" "$(head -c 300 "$T/body")"; fi
req cad2 GET /api/v1/assess/tickets
if py "assert all(x['cadre']==$C2 for x in d['rows'])"; then _ok "a cadre sees only their own tickets"; else _fail "cadre tickets" "$(head -c 300 "$T/body")"; fi
BODY='{"text":"已补齐"}' req cad2 POST "/api/v1/assess/tickets/$TK/fix"
expect_code "another cadre cannot report the fix" 403
BODY='{"pass":true}' req insp2 POST "/api/v1/assess/tickets/$TK/check"
expect_code "no re-check before a fix" 409
BODY='{"text":"已补齐在村天数","evidence":"8月考勤","date":"2018-07-30"}' req cad POST "/api/v1/assess/tickets/$TK/fix"
expect_code "the cadre reports the fix" 200
expect_body "the ticket waits for its re-check" '"status":"fixed"'
BODY='{"pass":true}' req insp POST "/api/v1/assess/tickets/$TK/check"
expect_code "the finding's own inspector cannot re-check it" 400
expect_body "the refusal says why" "another inspector"
BODY='{"pass":true}' req cad POST "/api/v1/assess/tickets/$TK/check"
expect_code "a cadre cannot re-check" 403
BODY='{"pass":true}' req twp POST "/api/v1/assess/tickets/$TK/check"
expect_code "a township cannot re-check" 403
BODY='{"pass":false}' req insp2 POST "/api/v1/assess/tickets/$TK/check"
expect_code "a failed re-check needs a note" 400
BODY='{"pass":false,"note":"仍不在村"}' req insp2 POST "/api/v1/assess/tickets/$TK/check"
expect_code "another inspector fails the fix" 200
expect_body "reopened" '"status":"reopened"'
BODY='{"text":"已住村"}' req cad POST "/api/v1/assess/tickets/$TK/fix"
expect_code "fixed again" 200
BODY='{"pass":true}' req insp2 POST "/api/v1/assess/tickets/$TK/check"
expect_code "closed on re-check" 200
expect_body "销号" '"status":"closed"'
req insp GET "/api/v1/assess/tickets/$TK"
expect_code "one ticket with its history" 200
if py "h=d['history']; assert [x['action'] for x in h]==['assigned','fixed','reopened','fixed','closed'], h; assert h[0]['actor']=='insp' and h[1]['actor']=='cad' and h[2]['actor']=='insp2' and h[2]['note']=='仍不在村' and h[1]['evidence']=='8月考勤' and h[3]['note']=='已住村', h; assert d['status']=='closed' and h[4]['action_name']=='复核通过·销号'"; then _ok "every change: who, the note, the evidence, 销号 last"; else _fail "ticket history" "$(head -c 600 "$T/body")"; fi
req cad GET "/api/v1/assess/tickets/$TK"
expect_code "the assignee reads their own ticket's history" 200
req cad2 GET "/api/v1/assess/tickets/$TK"
expect_code "another cadre does not" 404
req cty2 GET "/api/v1/assess/tickets/$TK"
expect_code "nor another county" 404
expect_audits "audited: inspection" inspect.record insp 1
expect_audits "audited: finding" inspect.finding insp 1
expect_audits "audited: each fix" inspect.fix cad 2
expect_audits "audited: each re-check" inspect.check insp2 2
expect_audits "refused writes leave no entry" inspect.check insp 0

# ---- cases confirmed (核实) by the county: only they count on the negative list -----------------
req cty GET "/api/v1/field/cases?month=2018-07"
expect_code "the county reads the month's cases" 200
py "
seen = set()
for c in d['cases']:
    if c['cadre'] not in seen and not c['dismissed'] and not c['confirmed']:
        seen.add(c['cadre']); print(c['cadre'], c['date'], c['rule'])" >"$T/tocheck"
read -r K1 D1 R1 <"$T/tocheck"
BODY="{\"cadre\":$K1,\"date\":\"$D1\",\"rule\":\"$R1\",\"reason\":\"核实\"}" req twp POST /api/v1/field/cases/confirm
expect_code "a township does not confirm cases" 403
BODY="{\"cadre\":$K1,\"date\":\"$D1\",\"rule\":\"$R1\",\"reason\":\"核实\"}" req insp POST /api/v1/field/cases/confirm
expect_code "an inspector does not confirm cases (the county does)" 403
BODY="{\"cadre\":$K1,\"date\":\"$D1\",\"rule\":\"$R1\",\"reason\":\"核实\"}" req cty2 POST /api/v1/field/cases/confirm
expect_code "another county cannot confirm 450124's case" 403
# The first case alone, the rest in one batch (the page's 核实所选): a
# batch with one bad case is refused whole, naming it.
NK=0
read -r k dd rr <"$T/tocheck"
BODY="{\"cadre\":$k,\"date\":\"$dd\",\"rule\":\"$rr\",\"reason\":\"县委组织部核实\"}" req cty POST /api/v1/field/cases/confirm
[ "$CODE" = 200 ] && NK=1
batch() { # RULE_OF_THE_LAST -> a batch of the other cases, the last with that rule
    tail -n +2 "$T/tocheck" | python3 -c "
import json, sys
cs = [dict(zip(('cadre', 'date', 'rule'), l.split())) for l in sys.stdin if l.strip()]
for c in cs: c['cadre'] = int(c['cadre'])
cs[-1]['rule'] = sys.argv[1] or cs[-1]['rule']
print(json.dumps({'cases': cs, 'reason': '县委组织部核实'}))" "$1"
}
BODY=$(batch no_such_rule) req cty POST /api/v1/field/cases/confirm
if [ "$CODE" = 404 ] && grep -q "cases\[$(($(wc -l <"$T/tocheck") - 2))\]: no rule 'no_such_rule'" "$T/body" &&
    [ "$(q "SELECT count(*) FROM field_case_dismissal WHERE verdict = 'confirmed'")" = "$NK" ]; then
    _ok "a batch with one bad case is refused whole, the case named"
else _fail "bad batch" "$CODE $(head -c 300 "$T/body")"; fi
BODY=$(batch "") req insp POST /api/v1/field/cases/confirm
expect_code "an inspector does not confirm a batch either" 403
BODY=$(batch "") req cty POST /api/v1/field/cases/confirm
if [ "$CODE" = 200 ] && py "assert d == {'confirmed': $(($(wc -l <"$T/tocheck") - 1))}"; then NK=$((NK + $(wc -l <"$T/tocheck") - 1)); fi
if [ "$NK" -ge 3 ] && [ "$NK" = "$(wc -l <"$T/tocheck")" ]; then _ok "the county confirms cases, one and then a batch ($NK)"; else _fail "confirm" "$NK: $(head -c 300 "$T/body")"; fi
expect_audits "audited: each confirmation" field.case.confirm cty "$NK"
req cty GET "/api/v1/field/cases?month=2018-07"
if py "assert sum(1 for c in d['cases'] if c['confirmed'] and c['confirm_reason'] == '县委组织部核实') == $NK"; then _ok "the cases read as confirmed with the reason"; else _fail "confirmed cases" "$(head -c 300 "$T/body")"; fi

# ---- negative list and ladder --------------------------------------------------------------------
req cty GET "/api/v1/assess/negative?month=2018-07"
expect_code "the county reads the negative list before it is built" 200
if py "assert not d['built'] and d['rows'] == []"; then _ok "a read builds nothing"; else _fail "read only" "$(head -c 300 "$T/body")"; fi
expect_audits "so nothing is audited as built" negative.build cty 0
req cty GET "/api/v1/assess/negative?month=2018-07&build=1"
expect_code "the county builds the negative list" 200
if py "assert d['built'] and len(d['rows'])>=5 and any(r['rule']=='finding' for r in d['rows']) and len({r['cadre'] for r in d['rows'] if r['rule']=='case'}) == $NK"; then _ok "the finding and the confirmed cases are on the list"; else _fail "negative list" "$(head -c 300 "$T/body")"; fi
NNEG=$(py "print(len(d['rows']))")
expect_audits "audited: negative.build" negative.build cty 1
req cty GET "/api/v1/assess/negative?month=2018-07"
if py "assert not d['built'] and len(d['rows'])>=5"; then _ok "a later visit reads the list as built"; else _fail "read after build" "$(head -c 300 "$T/body")"; fi
expect_audits "and does not build it again" negative.build cty 1
req twp GET "/api/v1/assess/negative?month=2018-07&build=1"
expect_code "a township reads the list" 200
if py "assert not d['built'] and all(r['village'].startswith('$TWP') for r in d['rows'])"; then _ok "the township reads without building, its own villages only"; else _fail "township list" "$(head -c 300 "$T/body")"; fi
expect_audits "a township's read builds nothing" negative.build twp 0
req cty2 GET "/api/v1/assess/negative?month=2018-07"
if py "assert all(not r['village'].startswith('450124') for r in d['rows'])"; then _ok "another county's list holds none of 450124"; else _fail "negative scoping" "$(head -c 200 "$T/body")"; fi
BODY="{\"cadre\":$C,\"month\":\"2018-07\",\"reason\":\"未按要求参加培训\"}" req cty POST /api/v1/assess/negative
expect_code "manual entry" 201
BODY="{\"cadre\":$C,\"month\":\"2018-07\"}" req cty POST /api/v1/assess/negative
expect_code "a manual entry needs a reason" 400
BODY="{\"cadre\":$C,\"month\":\"2018-07\",\"reason\":\"x\"}" req twp POST /api/v1/assess/negative
expect_code "a township cannot add to the list" 403
BODY="{\"cadre\":$C,\"month\":\"2018-07\",\"reason\":\"x\"}" req cty2 POST /api/v1/assess/negative
expect_code "another county cannot list 450124's cadre" 403
expect_audits "audited: negative.add, once" negative.add cty 1

BODY='{"month":"2018-07"}' req twp POST /api/v1/assess/ladder/propose
expect_code "a township does not propose steps" 403
BODY='{"month":"2018-07"}' req cty POST /api/v1/assess/ladder/propose
expect_code "the county proposes the month's steps" 200
if py "assert d['proposed']>=1"; then _ok "steps proposed ($(py "print(d['proposed'])"))"; else _fail "proposed" "$(cat "$T/body")"; fi
req cad GET /api/v1/assess/ladder
expect_code "the cadre reads their steps" 200
if py "assert d['rows'] and all(r['cadre']==$C for r in d['rows'])"; then _ok "only their own steps"; else _fail "own steps" "$(head -c 300 "$T/body")"; fi
S1=$(py "print([r for r in d['rows'] if r['status']=='proposed'][0]['id'])")
# The cadre is told: a notice on their phone, naming the step and the way to appeal.
req cad GET "/api/v1/notices?unread=1"
expect_code "the cadre reads their notices" 200
if py "n=[x for x in d['notices'] if x['kind']=='ladder' and x['ref']==$S1]; assert len(n)==1 and '负面清单' in n[0]['text'] and '申诉' in n[0]['text'] and not n[0]['read'], d"; then _ok "a notice of the step proposed, unread"; else _fail "notice" "$(head -c 300 "$T/body")"; fi
NID=$(py "print([x for x in d['notices'] if x['kind']=='ladder' and x['ref']==$S1][0]['id'])")
if [ "$(q "SELECT count(*) FROM notice n JOIN ladder_step l ON l.id = n.ref WHERE n.kind = 'ladder' AND n.cadre <> l.cadre")" = 0 ]; then _ok "every notice went to the step's own cadre"; else _fail "notice cadre" "mismatch"; fi
if [ "$(q "SELECT count(*) FROM notice WHERE kind = 'ladder'")" = "$(q "SELECT count(*) FROM ladder_step WHERE status = 'proposed'")" ]; then _ok "one notice per step proposed"; else _fail "notice count" "$(q "SELECT count(*) FROM notice WHERE kind = 'ladder'")"; fi
BODY='{}' req cad2 POST "/api/v1/notices/$NID/read"
expect_code "another cadre cannot mark it read" 404
req cty GET /api/v1/notices
expect_code "staff have no notices here" 403
BODY='{}' req cad POST "/api/v1/notices/$NID/read"
expect_code "the cadre marks it read" 200
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'notice.read' AND target = 'notice:$NID' AND actor = 'cad'")" = 1 ]; then _ok "the receipt is in the audit record"; else _fail "notice.read audited" "$(q "SELECT count(*) FROM audit_log WHERE action = 'notice.read'")"; fi
req cad GET "/api/v1/notices?unread=1"
if py "assert all(x['id']!=$NID for x in d['notices'])"; then _ok "read: gone from the unread ones"; else _fail "read" "$(head -c 300 "$T/body")"; fi
req cad GET /api/v1/notices
if py "assert [x['read'] for x in d['notices'] if x['id']==$NID]==[True]"; then _ok "and kept among all, as read"; else _fail "kept" "$(head -c 300 "$T/body")"; fi
BODY='{"reason":"不是我"}' req cad2 POST "/api/v1/assess/ladder/$S1/appeal"
expect_code "another cadre cannot appeal the step" 403
BODY='{"reason":"当月住院, 附病历"}' req cad POST "/api/v1/assess/ladder/$S1/appeal"
expect_code "the cadre appeals their step" 200
BODY='{"reason":"again"}' req cad POST "/api/v1/assess/ladder/$S1/appeal"
expect_code "no second appeal" 409
req cty GET "/api/v1/assess/ladder?status=appealed"
if py "assert any(r['id']==$S1 and r['appeal'] for r in d['rows']) and d['can_decide']"; then _ok "the county sees the appeal"; else _fail "appeal shown" "$(head -c 300 "$T/body")"; fi
BODY='{}' req cty2 POST "/api/v1/assess/ladder/$S1/confirm"
expect_code "another county cannot decide" 403
BODY='{}' req cad POST "/api/v1/assess/ladder/$S1/confirm"
expect_code "a cadre cannot decide" 403
BODY='{}' req cty POST "/api/v1/assess/ladder/$S1/confirm"
expect_code "an appealed step is not confirmed without an answer" 400
expect_body "the answer is asked for" "answers the appeal"
BODY='{"note":"申诉理由不成立"}' req cty POST "/api/v1/assess/ladder/$S1/confirm"
expect_code "the county confirms after the appeal" 200
expect_body "confirmed" '"status":"confirmed"'
req cty GET "/api/v1/assess/ladder?status=proposed"
S2=$(py "print(d['rows'][0]['id'] if d['rows'] else '')")
if [ -n "$S2" ]; then
    BODY='{}' req cty POST "/api/v1/assess/ladder/$S2/withdraw"
    expect_code "a withdrawal needs a note" 400
    BODY='{"note":"核实后撤销"}' req cty POST "/api/v1/assess/ladder/$S2/withdraw"
    expect_code "the county withdraws a step" 200
else
    _fail "a second proposed step to withdraw" "none"
fi
expect_audits "audited: ladder.propose" ladder.propose cty 1
expect_audits "audited: ladder.appeal, once" ladder.appeal cad 1
expect_audits "audited: ladder.confirm" ladder.confirm cty 1
expect_audits "audited: ladder.withdraw" ladder.withdraw cty 1

# ---- monthly scores, tasks -------------------------------------------------------------------------
req cty GET "/api/v1/assess/month?month=2018-07"
expect_code "monthly scores" 200
if py "
rows=d['rows']; assert len(rows)>=200, len(rows)
for r in rows:
    s=sum(p['points'] for p in r['parts'].values() if p['counted'])
    assert abs(s-r['total'])<0.35 and 0<=r['total']<=100.05, r
assert all(set(r['parts'])=={'presence','visits','tasks','findings','outcomes'} for r in rows)
assert any(p['evidence'] for r in rows for p in r['parts'].values())
assert all(r['township'].startswith('450124') for r in rows)"; then _ok "every cadre scored, components sum to the total, with evidence"; else _fail "month rows" "$(head -c 300 "$T/body")"; fi
if grep -q '[0-9]\{17\}[0-9X]' "$T/body"; then _fail "month ID numbers masked" "full ID"; else _ok "month ID numbers masked (even for the county)"; fi
cp "$T/body" "$T/month-cadres.json"
req cty GET "/api/v1/assess/month?month=2018-07&teams=1"
expect_code "teams' monthly scores" 200
if py "
cad=json.load(open('$T/month-cadres.json'))['rows']
vs={}
for c in cad: vs.setdefault(c['village'], []).append(c)
assert sorted(t['village'] for t in d['rows'])==sorted(vs), 'one row a village'
for t in d['rows']:
    m=vs[t['village']]
    assert t['members']==len(m) and t['names']=='、'.join(c['name'] for c in m), t
    assert min(c['total'] for c in m)-0.05<=t['total']<=max(c['total'] for c in m)+0.05, t
    assert set(t['parts'])=={'presence','visits','tasks','findings','outcomes'}, t
assert any(t['members']>=2 for t in d['rows'])"; then _ok "each village's team: its members, their names, a total within theirs"; else _fail "team rows" "$(head -c 300 "$T/body")"; fi
req cad GET "/api/v1/assess/month?month=2018-07"
if py "assert len(d['rows'])==1 and d['rows'][0]['cadre']==$C"; then _ok "a cadre sees their own score only"; else _fail "cadre score" "$(head -c 300 "$T/body")"; fi
req cty2 GET "/api/v1/assess/month?month=2018-07"
if py "assert all(not r['village'].startswith('450124') for r in d['rows'])"; then _ok "another county's scores hold none of 450124"; else _fail "month scoping" "$(head -c 200 "$T/body")"; fi
req cty GET "/api/v1/assess/month?month=July"
expect_code "a bad month is refused" 400
BODY="{\"village\":\"$V\",\"quarter\":\"2018-Q3\",\"text\":\"修通屯级道路\",\"due\":\"2018-07-31\"}" req twp POST /api/v1/assess/tasks
expect_code "a township does not set tasks" 403
BODY="{\"village\":\"$V\",\"quarter\":\"2018-Q3\",\"text\":\"修通屯级道路\",\"due\":\"2018-07-31\"}" req cty2 POST /api/v1/assess/tasks
expect_code "another county cannot set 450124's tasks" 403
BODY="{\"village\":\"$V\",\"quarter\":\"2018-Q3\",\"text\":\"修通屯级道路\",\"due\":\"2018-07-31\"}" req cty POST /api/v1/assess/tasks
expect_code "task added" 201
TASK=$(py "print(d['id'])")
BODY='{"evidence":"验收照片","date":"2018-07-29"}' req cty POST "/api/v1/assess/tasks/$TASK/done"
expect_code "task done" 200
expect_audits "audited: task.add" task.add cty 1
expect_audits "audited: task.done" task.done cty 1
req twp GET "/api/v1/assess/tasks?quarter=2018-Q3&generate=1"
expect_code "a township does not derive the tasks" 403
req cty GET "/api/v1/assess/tasks?quarter=2018-Q3&generate=1"
expect_code "the county derives the quarter's task lists" 200
if py "assert d['generated'] and d['added']>10 and d['teams']>=5 and all(r['village'].startswith('450124') for r in d['rows']) and any(r['source'].startswith('need:') for r in d['rows'])"; then _ok "derived from needs, listed with their deadlines"; else _fail "derive" "$(head -c 300 "$T/body")"; fi
expect_audits "audited: task.generate" task.generate cty 1
req twp GET "/api/v1/assess/tasks?quarter=2018-Q3"
NT=$(q "SELECT count(*) FROM assess_task WHERE quarter = '2018-Q3' AND village / 1000 = $TWP")
if py "assert len(d['rows']) == $NT and all(r['village'].startswith('$TWP') for r in d['rows']) and not d['generated']"; then _ok "a township reads its own teams' tasks"; else _fail "township tasks" "$(head -c 300 "$T/body")"; fi
req cty2 GET "/api/v1/assess/tasks?quarter=2018-Q3"
if py "assert all(not r['village'].startswith('450124') for r in d['rows'])"; then _ok "another county sees none of 450124's tasks"; else _fail "tasks scoping" "$(head -c 200 "$T/body")"; fi
req cty GET "/api/v1/assess/tasks?quarter=Q3"
expect_code "a bad quarter is refused" 400

# ---- annual grades ------------------------------------------------------------------------------------
req cad GET "/api/v1/assess/year?year=2018"
expect_code "a cadre does not read the grades" 403
req twp GET "/api/v1/assess/year?year=2018"
expect_code "a township does not propose grades (the quota is the county's)" 403
req cty GET "/api/v1/assess/year?year=2018"
expect_code "proposed grades" 200
if py "
c=[x for x in d['counties'] if x['county']=='450124'][0]
assert c['excellent']<=c['quota'] and c['cadres']==len(d['rows'])
assert all(r['proposed'] for r in d['rows'])"; then _ok "优秀 within the county quota"; else _fail "year" "$(head -c 300 "$T/body")"; fi
G=$(py "print([r for r in d['rows'] if r['grade']=='称职'][0]['cadre'])")
BODY="{\"cadre\":$G,\"year\":2018,\"grade\":\"基本称职\"}" req cty POST /api/v1/assess/year/grades
expect_code "calibration needs a reason" 400
BODY="{\"cadre\":$G,\"year\":2018,\"grade\":\"基本称职\",\"reason\":\"x\"}" req twp POST /api/v1/assess/year/grades
expect_code "a township cannot calibrate" 403
BODY="{\"cadre\":$G,\"year\":2018,\"grade\":\"基本称职\",\"reason\":\"x\"}" req cty2 POST /api/v1/assess/year/grades
expect_code "another county cannot calibrate" 403
BODY="{\"cadre\":$G,\"year\":2018,\"grade\":\"基本称职\",\"reason\":\"多次未按时报送\"}" req cty POST /api/v1/assess/year/grades
expect_code "calibrated by the county" 200
req cty GET "/api/v1/assess/year?year=2018"
if py "r=[x for x in d['rows'] if x['cadre']==$G][0]; assert r['grade']=='基本称职' and '多次未按时报送' in r['reason']"; then _ok "the calibrated grade stays with its reason"; else _fail "calibration kept" "$(head -c 300 "$T/body")"; fi
if py "
t=d['townships']; assert len(t)>=2 and sum(x['cadres'] for x in t)==len(d['rows'])
assert all(x['township'].startswith('450124') and x['name'] and sum(x['grades'])==x['cadres'] for x in t)
ch=[c for x in t for c in x['changes']]; assert any(c['cadre']==$G and c['grade']=='基本称职' and c['reason']=='多次未按时报送' for c in ch), ch"; then _ok "the townships side by side, the change with its reason"; else _fail "townships" "$(head -c 300 "$T/body")"; fi
P=$(py "print([r for r in d['rows'] if r['grade']=='称职' and r['cadre']!=$G][0]['cadre'])")
BODY="{\"cadre\":$P,\"year\":2018,\"grade\":\"优秀\",\"reason\":\"抗洪抢险表现突出\"}" req cty POST /api/v1/assess/year/grades
expect_code "a second calibration: to 优秀" 200
BODY='{"year":2018}' req twp POST /api/v1/assess/year/confirm
expect_code "a township cannot confirm" 403
BODY='{"year":2018}' req cty POST /api/v1/assess/year/confirm
expect_code "the county confirms the grades" 200
if py "assert d['confirmed']>=200"; then _ok "grades written into the records ($(py "print(d['confirmed'])"))"; else _fail "confirmed" "$(cat "$T/body")"; fi
if [ "$(q "SELECT grade FROM cadre_grade WHERE cadre = $G AND year = 2018")" = "基本称职" ]; then _ok "the cadre's record holds the calibrated grade"; else _fail "cadre_grade" "$(q "SELECT * FROM cadre_grade WHERE cadre = $G")"; fi
expect_audits "audited: assess.calibrate" assess.calibrate cty 2
# Commendations and the promotion list with its evidence.
BODY="{\"cadre\":$P,\"year\":2018,\"title\":\"优秀第一书记\",\"date\":\"2018-07-25\"}" req cty POST /api/v1/assess/commendations
expect_code "a commendation needs its reason" 400
BODY="{\"cadre\":$P,\"year\":2018,\"title\":\"优秀第一书记\",\"reason\":\"x\",\"date\":\"2018-07-25\"}" req twp POST /api/v1/assess/commendations
expect_code "a township does not commend" 403
BODY="{\"cadre\":$P,\"year\":2018,\"title\":\"优秀第一书记\",\"reason\":\"x\",\"date\":\"2018-07-25\"}" req cty2 POST /api/v1/assess/commendations
expect_code "another county cannot commend 450124's cadre" 403
BODY="{\"cadre\":$P,\"year\":2018,\"title\":\"优秀第一书记\",\"reason\":\"带领群众发展产业\",\"date\":\"2018-07-25\"}" req cty POST /api/v1/assess/commendations
expect_code "the county commends" 201
expect_audits "audited: commend.add" commend.add cty 1
req cty GET "/api/v1/assess/promotions?year=2018"
expect_code "the promotion list" 200
if py "
r=[x for x in d['rows'] if x['cadre']==$P]; assert r, d['rows'][:2]
r=r[0]; assert r['grade']=='优秀' and r['confirmed'] and r['months'] and r['commendations']==1 and '带领群众发展产业' in r['commended'] and r['negative']>=0
assert all(x['grade']=='优秀' for x in d['rows'])"; then _ok "each name with grade, months' scores, commendations, negative entries"; else _fail "promotions" "$(head -c 400 "$T/body")"; fi
req cty GET "/api/v1/assess/promotions?year=2018&format=xlsx"
if [ "$CODE" = 200 ] && [ "$(head -c 2 "$T/body")" = "PK" ] &&
    unzip -p "$T/body" 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null | grep -q '带领群众发展产业' &&
    ! unzip -p "$T/body" 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null | grep -qE '[1-9][0-9]{16}[0-9Xx]'; then
    _ok "the promotion list as a workbook, with the evidence, ID numbers masked"
else _fail "promotions xlsx" "$CODE"; fi
req cty GET "/api/v1/assess/commendations?year=2018"
if [ "$CODE" = 200 ] && py "r=[x for x in d['rows'] if x['cadre']==$P]; assert len(r)==1 and r[0]['title']=='优秀第一书记' and r[0]['reason']=='带领群众发展产业' and r[0]['date']=='2018-07-25'"; then _ok "the year's commendations with title, day and reason"; else _fail "commendations" "$CODE $(head -c 300 "$T/body")"; fi
req cty2 GET "/api/v1/assess/commendations?year=2018"
if [ "$CODE" = 200 ] && py "assert not d['rows']"; then _ok "another county reads none of 450124's commendations"; else _fail "commendations scoped" "$CODE $(head -c 300 "$T/body")"; fi
req cad GET "/api/v1/assess/commendations?year=2018"
expect_code "a cadre does not read the commendations list" 403
req cad GET "/api/v1/assess/promotions?year=2018"
expect_code "a cadre does not read the promotion list" 403
expect_audits "audited: assess.confirm" assess.confirm cty 1

# ---- funds -----------------------------------------------------------------------------------------------
BODY="{\"village\":\"$V\",\"kind\":\"work\",\"amount\":3200.50,\"date\":\"2018-07-15\",\"note\":\"村部办公用品\"}" req twp POST /api/v1/assess/funds
expect_code "a township does not enter spending" 403
BODY="{\"village\":\"$V\",\"kind\":\"work\",\"amount\":3200.50,\"date\":\"2018-07-15\",\"note\":\"村部办公用品\"}" req cty2 POST /api/v1/assess/funds
expect_code "another county cannot enter 450124's spending" 403
BODY="{\"village\":\"$V\",\"kind\":\"work\",\"amount\":-5,\"date\":\"2018-07-15\",\"note\":\"x\"}" req cty POST /api/v1/assess/funds
expect_code "a negative amount is refused" 400
BODY="{\"village\":\"$V\",\"kind\":\"work\",\"amount\":3200.50,\"date\":\"2018-07-15\",\"note\":\"村部办公用品\"}" req cty POST /api/v1/assess/funds
expect_code "spending entered" 201
req cty GET "/api/v1/assess/funds?year=2018"
expect_code "funds statement" 200
if py "r=[x for x in d['rows'] if x['village']=='$V'][0]; assert r['spent_work_fen']==320050 and r['alloc_work_fen']>0"; then _ok "the spending is on the statement"; else _fail "funds row" "$(head -c 300 "$T/body")"; fi
req cad GET "/api/v1/assess/funds?year=2018"
expect_code "a cadre does not read the funds statement" 403
expect_audits "audited: funds.add" funds.add cty 1

# ---- the bulletin ------------------------------------------------------------------------------------------
before=$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND target = 'bulletin'")
req cty GET "/api/v1/assess/bulletin?month=2018-07&format=pdf"
expect_code "bulletin as PDF" 200
if grep -qi '^content-type: application/pdf' "$T/head"; then _ok "Content-Type application/pdf"; else _fail "pdf type" "$(cat "$T/head")"; fi
if [ "$(head -c 4 "$T/body")" = "%PDF" ]; then _ok "the body starts with %PDF"; else _fail "pdf body" "$(head -c 20 "$T/body")"; fi
if grep -qi 'content-disposition: attachment; filename="bulletin-450124-2018-07.pdf"' "$T/head"; then _ok "named bulletin-450124-2018-07.pdf"; else _fail "disposition" "$(cat "$T/head")"; fi
req cty GET "/api/v1/assess/bulletin?month=2018-07&format=html"
if [ "$CODE" = 200 ] && grep -qi '^content-type: text/html' "$T/head" && grep -q "马山县驻村工作通报" "$T/body"; then _ok "bulletin as HTML, inline"; else _fail "html bulletin" "$CODE $(head -c 200 "$T/head")"; fi
req cty GET "/api/v1/assess/bulletin?month=2018-07&format=xlsx"
if [ "$CODE" = 200 ] && [ "$(head -c 2 "$T/body")" = "PK" ]; then _ok "bulletin as XLSX"; else _fail "xlsx bulletin" "$CODE"; fi
req cty GET "/api/v1/assess/bulletin?month=2018-07&format=doc"
expect_code "unknown format refused" 400
req twp GET "/api/v1/assess/bulletin?month=2018-07&format=pdf"
expect_code "a township gets no bulletin" 403
req cad GET "/api/v1/assess/bulletin?month=2018-07&format=pdf"
expect_code "a cadre gets no bulletin" 403
req cty2 GET "/api/v1/assess/bulletin?month=2018-07&format=pdf&scope=450124"
expect_code "another county cannot print 450124's bulletin" 403
req cty GET "/api/v1/assess/bulletin?month=2018-07&format=pdf&scope=$TWP"
expect_code "nor can the county print a township's" 403
req aud GET "/api/v1/assess/bulletin?month=2018-07&format=pdf"
expect_code "an unscoped account names the division" 400
req aud GET "/api/v1/assess/bulletin?month=2018-07&format=pdf&scope=450124"
expect_code "the auditor prints 450124's bulletin" 200
after=$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND target = 'bulletin'")
if [ $((after - before)) = 4 ]; then _ok "each bulletin handed over is recorded as an export (4)"; else _fail "bulletin exports" "$before -> $after"; fi
if ls "$TMPDIR"/zhucun-bulletin-* >/dev/null 2>&1; then _fail "no temporary bulletin left" "$(ls "$TMPDIR"/zhucun-bulletin-* | head -3)"; else _ok "no temporary bulletin left"; fi

# ---- outcomes (src/outcome) -------------------------------------------------------------------------------------
req cty GET "/api/v1/outcomes?year=2018"
expect_code "the county reads its outcomes" 200
expect_body "the county row" '"name":"马山县"'
expect_body "incidence and the exit rule" '"exit_threshold":3'
expect_body "its code in 12 digits" '"code":"450124000000"'
expect_no_body "nothing of another county" '"code":"450125000000"'
req cty GET "/api/v1/outcomes"
expect_body "without ?year= the year of today" '"year":2018'
req cty GET "/api/v1/outcomes?year=1999"
expect_code "a year out of range is 400" 400
req cty2 GET "/api/v1/outcomes?year=2018&scope=450124"
expect_code "another county's outcomes are 404" 404
req cad GET "/api/v1/outcomes?year=2018"
expect_code "a cadre reads no outcomes" 403
req cty GET "/api/v1/outcomes/attribution?year=2018&baseline=2016"
expect_code "the county reads what its teams changed" 200
cp "$T/body" "$T/attr.json"
"$ZHUCUN" outcomes attribution --year 2018 --baseline 2016 --scope 450124 --format csv >"$T/attr.csv"
python3 - "$T/attr.json" "$T/attr.csv" <<'PY' && _ok "the same team villages and figures as the CLI; difference = change - comparables' change" || _fail "attribution JSON" "$(head -c 300 "$T/attr.json")"
import csv, json, sys
d = json.load(open(sys.argv[1]))
cli = {r["区划代码"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig"))}
assert d["baseline"] == 2016 and d["year"] == 2018 and d["rows"], d
assert sorted(r["code"] for r in d["rows"]) == sorted(cli), (len(d["rows"]), len(cli))
for r in d["rows"]:
    assert r["code"].startswith("450124"), r
    c = cli[r["code"]]
    assert r["comparables"] == int(c["可比村数"]), (r, c)
    if r["effect"] is not None:
        assert abs(r["effect"] - (r["change"] - r["comparables_change"])) < 0.011, r
        assert abs(r["effect"] - float(c["差异(百分点)"])) < 0.001, (r, c)
PY
req cty GET "/api/v1/outcomes/attribution?year=2018&baseline=2018"
expect_code "a baseline not before the year is 400" 400
req cty GET "/api/v1/outcomes/attribution?year=2018&band=x"
expect_code "a bad band is 400" 400
req cty2 GET "/api/v1/outcomes/attribution?year=2018&scope=450124"
expect_code "another county's attribution is 404" 404
req cad GET "/api/v1/outcomes/attribution?year=2018"
expect_code "a cadre reads no attribution" 403

# ---- the record ---------------------------------------------------------------------------------------------
run audit verify
expect_rc "audit chain intact" 0
if grep -q 'status=5' "$T/server.log"; then _fail "no 5xx answers" "$(grep 'status=5' "$T/server.log" | head -3)"; else _ok "no 5xx answers"; fi
zc_serve_stop
finish
