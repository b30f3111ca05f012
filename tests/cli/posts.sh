#!/bin/sh
# posts.sh - posts above the village (挂职, issue 15; seed 002's 十百千): seats
# at a county or a township with requirements, added by hand (post add) or
# imported (all or nothing, errors naming file, row and column; XLSX round
# trip; the template), listed and removed; `match` fills them within the
# requirements and posts.levels, certified, one slot per cadre over posts
# and villages; explain --post and --why-not; publish makes postings of the
# post (a post's own term ends them); recall leaves a vacancy that
# `match --refill` fills. On the mashan-2018 demo (units at every level).
. "$(dirname "$0")/lib.sh"
unset ZHUCUN_POLICY
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POLICY="$ROOT/policies/mashan-2018.json"
export ZHUCUN_TODAY=2018-06-17
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
# The SQL rank and unit level ordinals (higher rank, lower level number = more).
RANK="(CASE c.rank WHEN '科员' THEN 1 WHEN '副科' THEN 2 WHEN '正科' THEN 3 WHEN '副处' THEN 4 WHEN '正处' THEN 5 WHEN '副厅' THEN 6 WHEN '正厅' THEN 7 ELSE 0 END)"
MINRANK="(CASE p.min_rank WHEN '科员' THEN 1 WHEN '副科' THEN 2 WHEN '正科' THEN 3 WHEN '副处' THEN 4 WHEN '正处' THEN 5 WHEN '副厅' THEN 6 WHEN '正厅' THEN 7 ELSE 0 END)"
ULEVEL="(CASE u.level WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'county' THEN 3 ELSE 4 END)"
PLEVEL="(CASE p.send_level WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'county' THEN 3 ELSE 4 END)"
# Seats of plan $1 held by a cadre who fails their post's requirements or posts.levels.
bad_seats() {
    zc_sql "SELECT count(*) FROM plan_slot s JOIN post p ON p.id = s.post JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit WHERE s.plan = $1 AND ($RANK < $MINRANK OR $ULEVEL > $PLEVEL OR (p.party_member = 1 AND c.party_member = 0) OR (p.division % 1000000 = 0 AND u.level NOT IN ('province', 'city')) OR u.level = 'township')"
}

run demo --scenario mashan-2018 --out "$ZHUCUN_DB" --no-serve --quiet
expect_rc "demo" 0

# ---- the template, add, list -------------------------------------------------------
run post template
expect_rc "template" 0
expect_eq "template header" "$(sed 's/^\xef\xbb\xbf//' "$T/out" | tr -d '\r')" "岗位编号,区划代码,岗位名称,职数,最低职级,派出层级,党员,专业技能,任期开始,任期结束"
run export posts --template
expect_eq "export posts --template is the same" "$(sed 's/^\xef\xbb\xbf//' "$T/out" | tr -d '\r')" "岗位编号,区划代码,岗位名称,职数,最低职级,派出层级,党员,专业技能,任期开始,任期结束"
run post template --format xlsx -o "$T/t.xlsx"
expect "XLSX template written" test -s "$T/t.xlsx"
run post add --division 450124 --title "副县长(挂职)" --code MS-C1 --min-rank 副处 --send-level city --party
expect_rc "post add" 0
expect_out "post add says added" "post MS-C1 added"
run post add --division 450124203202 --title "村" --code V1
expect_rc "a village is no post's division" 65
expect_err "the error names the column" "post add:2:division: 450124203202 is a village code: a post sits at a county (6 digits) or a township (9 digits); a village's cadres are its team"
run post add --division 450124 --title "x" --min-rank 大官
expect_rc "an unknown rank is refused" 65
expect_err "the rank error" "post add:2:min_rank: '大官' is not one of 正厅/副厅/正处/副处/正科/副科/科员/其他"
expect_eq "nothing was added" "$(zc_sql "SELECT count(*) FROM post")" 1

# ---- import: good, XLSX round trip, bad (all or nothing) -----------------------------
printf '岗位编号,区划代码,岗位名称,职数,最低职级,派出层级,党员,专业技能,任期开始,任期结束\n' >"$T/posts.csv"
printf 'MS-T1,450124101,镇党委副书记(挂职),2,副科,市,是,,2018-07-01,2019-07-01\n' >>"$T/posts.csv"
printf 'MS-T2,450124102,副镇长(挂职),1,正科,县,否,,,\n' >>"$T/posts.csv"
printf 'MS-X1,450124103,科技副镇长(挂职),1,正厅,省,是,,,\n' >>"$T/posts.csv"
run import posts "$T/posts.csv"
expect_rc "import posts" 0
expect_out "import counts" "3 rows: 3 added, 0 updated, 0 unchanged"
run import posts "$T/posts.csv"
expect_out "re-import changes nothing" "3 rows: 0 added, 0 updated, 3 unchanged"
run export posts --format xlsx -o "$T/posts.xlsx"
expect_rc "export posts as XLSX" 0
run import posts "$T/posts.xlsx"
expect_rc "import the XLSX back" 0
expect_out "the XLSX round trip changes nothing" "4 rows: 0 added, 0 updated, 4 unchanged"
printf '岗位编号,区划代码,岗位名称,职数,最低职级,派出层级,党员\n' >"$T/bad.csv"
printf 'B1,450124104,副镇长(挂职),1,副科,市,是\n' >>"$T/bad.csv"
printf 'B2,450124203202,村里,1,,,\n' >>"$T/bad.csv"
printf 'B3,450124,副县长,0,副科,国,是\n' >>"$T/bad.csv"
printf 'B1,450124105,副镇长,1,,,\n' >>"$T/bad.csv"
run import posts "$T/bad.csv"
expect_rc "a bad file" 65
expect_err "a village code" "bad.csv:3:区划代码: 450124203202 is a village code: a post sits at a county (6 digits) or a township (9 digits); a village's cadres are its team"
expect_err "seats out of range" "bad.csv:4:职数:"
expect_err "an unknown level" "bad.csv:4:派出层级:"
expect_err "a duplicate code" "bad.csv:5:岗位编号: post B1 already appears in row 2"
expect_eq "all or nothing: B1 is not there" "$(zc_sql "SELECT count(*) FROM post WHERE code LIKE 'B%'")" 0
printf '岗位编号,区划代码,岗位名称,任期开始,任期结束\nB4,450124104,副镇长,2019-01-01,2018-01-01\n' >"$T/bad2.csv"
run import posts "$T/bad2.csv"
expect_err "a term that ends before it starts" "bad2.csv:2:任期结束: the term ends on 2018-01-01, not after it starts (2019-01-01)"
run post list
expect_out "list shows the county post" "MS-C1"
expect_out "list shows the title" "镇党委副书记(挂职)"
run post list --format json
expect_eq "list as JSON" "$(jq length "$T/out")" 4

# ---- match: the seats filled within the requirements, certified -------------------
run match --policy "$POLICY" --format json
expect_rc "match" 0
P=$(jq -r .plan "$T/out")
expect_eq "certified" "$(jq -r .certified "$T/out")" true
expect_eq "gap 0" "$(jq -r .gap "$T/out")" 0
expect_eq "post seats in the model" "$(jq -r .post_seats "$T/out")" 5
expect_eq "all but the 正厅 seat filled" "$(jq -r .post_seats_filled "$T/out")" 4
expect_eq "every seat meets its post" "$(bad_seats "$P")" 0
expect_eq "the 正厅 seat has no candidate" "$(zc_sql "SELECT s.reason FROM plan_slot s JOIN post p ON p.id = s.post WHERE s.plan = $P AND p.code = 'MS-X1'")" no_candidate
expect_eq "a cadre takes one slot over posts and villages" \
    "$(zc_sql "SELECT count(*) FROM (SELECT cadre FROM plan_slot WHERE plan = $P AND cadre IS NOT NULL GROUP BY cadre HAVING count(*) > 1) x")" 0
expect_eq "villages are still staffed" "$(zc_sql "SELECT count(*) > 500 FROM plan_slot WHERE plan = $P AND post IS NULL AND cadre IS NOT NULL")" "$([ "$ZC_BACKEND" = postgresql ] && echo t || echo 1)"
run match --policy "$POLICY" --format json --candidates 1 --per-slot 1
expect_eq "the pruning does not change the objective" "$(jq -r .objective "$T/out")" "$(zc_sql "SELECT objective FROM plan WHERE id = $P")"
jq '.posts.weight.county = 0 | .posts.levels.county = ["province"]' "$POLICY" >"$T/prov.json"
run match --policy "$T/prov.json" --format json
PP=$(jq -r .plan "$T/out")
expect_eq "posts.levels: county posts from provincial units only" \
    "$(zc_sql "SELECT count(*) FROM plan_slot s JOIN post p ON p.id = s.post JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit WHERE s.plan = $PP AND p.code = 'MS-C1' AND u.level <> 'province'")" 0
jq '.posts.levels = {"city": ["city"]}' "$POLICY" >"$T/badpol.json"
run match --policy "$T/badpol.json"
expect_rc "a bad posts.levels is refused" 65
expect_err "the error names the key" "posts.levels: \"city\" is not a post level (county or township)"

# ---- pins to posts (点将 to 挂职): kept by the optimum, refused with the rule ------------
PC=$(zc_sql "SELECT c.id_number FROM plan_slot s JOIN post p ON p.id = s.post JOIN cadre c ON c.id = s.cadre WHERE s.plan = $P AND p.code = 'MS-C1'")
run pin add --cadre "$PC" --post MS-T1 --note 县委常委会研究决定
expect_rc "pin to a post" 0
expect_out "... says the post" "pinned $PC to post MS-T1"
run pin list
expect_out "pin list names the post" "挂职 MS-T1 镇党委副书记(挂职)"
run pin add --cadre "$PC" --post MS-T1 --role member
expect_rc "a pin to a post takes no role" 64
run pin add --cadre "$PC" --post NO-SUCH
expect_rc "a pin to an unknown post" 66
run match --policy "$POLICY" --format json
expect_rc "match with a pin to a post" 0
PN=$(jq -r .plan "$T/out")
expect_eq "the pinned cadre takes the post" "$(zc_sql "SELECT p.code FROM plan_slot s JOIN post p ON p.id = s.post JOIN cadre c ON c.id = s.cadre WHERE s.plan = $PN AND c.id_number = '$PC'")" MS-T1
expect_eq "... certified" "$(jq -r .certified "$T/out")" true
expect_eq "... every seat still meets its post" "$(bad_seats "$PN")" 0
if [ "$(jq -r .objective "$T/out")" -ge "$(zc_sql "SELECT objective FROM plan WHERE id = $P")" ]; then _ok "the pin costs what it costs"; else _fail "pin objective" "$(jq -r .objective "$T/out")"; fi
PK=$(zc_sql "SELECT c.id_number FROM cadre c JOIN unit u ON u.code = c.unit WHERE u.level = 'city' AND c.rank = '科员' AND c.party_member = 1 AND c.id IN (SELECT cadre FROM plan_cadre WHERE plan = $P) ORDER BY c.id LIMIT 1")
run pin add --cadre "$PK" --post MS-C1
run match --policy "$POLICY"
expect_rc "a pin to a post the cadre may not hold is refused" 65
expect_err "... naming the pin's post and the rule" "→ post MS-C1 副县长(挂职) (马山县): 职级不够: 该岗位需副处及以上"
run pin remove --cadre "$PK"
run pin remove --cadre "$PC"
expect_rc "pin remove" 0
expect_eq "the pins are audited with the post" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'pin.add' AND $(zc_jx post) IN ('MS-T1', 'MS-C1')")" 2
run plan discard "$PN"

# ---- 点将, 包村 and a draft's discard over HTTP (the web UI's endpoints) -----------------
# (Which roles may write them: server.sh's authorisation matrix.) The accounts
# serve the HTTP block at the end too (sessions outlive a server).
# W, W2: city cadres P sends as members, not born in the county; V (township
# 450124101) and V2 (another township): villages where P places a city
# unit's member; H: a city cadre born in the county (home avoidance).
CITY="JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit WHERE s.plan = $P AND s.role = 'member' AND u.level = 'city'"
V=$(zc_sql "SELECT min(s.village) FROM plan_slot s $CITY AND s.village / 1000 = 450124101")
V2=$(zc_sql "SELECT min(s.village) FROM plan_slot s $CITY AND s.village / 1000 <> 450124101 AND s.village / 1000000 = 450124")
W=$(zc_sql "SELECT min(c.id_number) FROM plan_slot s $CITY AND s.village NOT IN ($V, $V2) AND coalesce(c.hometown, 0) / 1000000 <> 450124")
W2=$(zc_sql "SELECT min(c.id_number) FROM plan_slot s $CITY AND s.village NOT IN ($V, $V2) AND coalesce(c.hometown, 0) / 1000000 <> 450124 AND c.id_number > '$W'")
H=$(zc_sql "SELECT min(c.id_number) FROM plan_slot s $CITY AND s.village NOT IN ($V, $V2) AND c.hometown / 1000000 = 450124")
UNIT=$(zc_sql "SELECT min(code) FROM unit WHERE level = 'county'")
zc_add_user adm --role admin
zc_add_user twp --role township --scope 450124101
if zc_serve; then
    login adm
    login twp
    Q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$(zc_sql "SELECT name FROM cadre WHERE id_number = '$W'")")
    req twp GET "/api/v1/pins/cadres?q=$Q"
    expect_eq "the township finds the city's cadre by name (the pin's picker)" "$(py "print(any(x['id'] == $(zc_sql "SELECT id FROM cadre WHERE id_number = '$W'") for x in d['items']))")" True
    expect_no_body "... the ID number masked" "$W"
    BODY="{\"cadre\":\"$W\",\"village\":\"$V\",\"role\":\"member\",\"note\":\"县委常委会研究决定\"}"
    req adm POST /api/v1/pins
    expect_code "POST /api/v1/pins (点将)" 201
    expect_eq "one pin.add audited, by the account" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'pin.add' AND actor = 'adm' AND division = $V")" 1
    BODY="{\"cadre\":\"$W2\",\"village\":\"$V2\"}"
    req adm POST /api/v1/pins
    expect_code "a second pin, in another township" 201
    req twp POST /api/v1/pins
    expect_code "a township pins in another township: 403" 403
    expect_body "... naming the field" "village:"
    BODY="{\"cadre\":\"$W\",\"village\":\"$V\",\"role\":\"chief\"}"
    req adm POST /api/v1/pins
    expect_code "an unknown role is 400" 400
    expect_body "... naming it" "unknown role 'chief'"
    BODY="{\"cadre\":\"$H\",\"village\":\"$V\"}"
    req adm POST /api/v1/pins
    expect_code "a pin that breaks a hard rule is 409" 409
    expect_body "... with the rule, in match's words" "avoidance.home"
    expect_body "... naming the village" "$V"
    expect_no_body "... the ID number masked" "$H"
    expect_eq "... and not stored nor audited" "$(zc_sql "SELECT count(*) FROM pin p JOIN cadre c ON c.id = p.cadre WHERE c.id_number = '$H'") $(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'pin.add'")" "0 4"
    BODY=
    req twp GET /api/v1/pins
    expect_code "GET /api/v1/pins" 200
    expect_eq "the township lists its own village's pin only" "$(py "print(' '.join(str(x['village']) + ':' + x['role'] for x in d['items']))")" "$V:member"
    expect_no_body "... its ID number masked" "$W"
    req adm GET /api/v1/pins
    expect_eq "the admin lists both" "$(py "print(len(d['items']))")" 2
    BODY="{\"village\":\"$V\",\"unit\":\"$UNIT\",\"note\":\"包村\"}"
    req twp POST /api/v1/pairs
    expect_code "POST /api/v1/pairs (包村)" 201
    expect_eq "... recorded and audited" "$(zc_sql "SELECT unit FROM village_unit WHERE village = $V") $(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'pair.add' AND actor = 'twp'")" "$UNIT 1"
    BODY="{\"village\":\"$V2\",\"unit\":\"$UNIT\"}"
    req twp POST /api/v1/pairs
    expect_code "包村 in another township: 403" 403
    BODY="{\"village\":\"$V2\",\"unit\":\"NO-SUCH\"}"
    req adm POST /api/v1/pairs
    expect_code "an unknown unit is 404" 404
    BODY=
    req twp GET /api/v1/pairs
    expect_eq "GET /api/v1/pairs" "$(py "print(' '.join(x['unit'] for x in d['items']))")" "$UNIT"
    req twp DELETE "/api/v1/pairs/$V"
    expect_code "DELETE /api/v1/pairs/CODE" 200
    expect_eq "... removed and audited" "$(zc_sql "SELECT count(*) FROM village_unit") $(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'pair.remove'")" "0 1"
    # A match after the HTTP pins keeps them; the draft is discarded over HTTP.
    BODY='{"policy_name":"mashan-2018","scope":"450124"}'
    req adm POST /api/v1/plans
    expect_code "match over HTTP with the pins" 201
    HP=$(py "print(d['id'])")
    expect_eq "the pinned cadre is where it was pinned, as a member" "$(zc_sql "SELECT s.village || ' ' || s.role FROM plan_slot s JOIN cadre c ON c.id = s.cadre WHERE s.plan = $HP AND c.id_number = '$W'")" "$V member"
    expect_eq "... and the other in its village" "$(zc_sql "SELECT s.village FROM plan_slot s JOIN cadre c ON c.id = s.cadre WHERE s.plan = $HP AND c.id_number = '$W2'")" "$V2"
    BODY=
    req adm DELETE "/api/v1/plans/$HP"
    expect_code "DELETE /api/v1/plans/ID (放弃草案)" 200
    expect_eq "... discarded and audited" "$(zc_sql "SELECT status FROM plan WHERE id = $HP") $(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'plan.discard' AND target = 'plan:$HP'")" "discarded 1"
    req adm DELETE "/api/v1/plans/$HP"
    expect_code "a discarded plan is not discarded twice: 409" 409
    WID=$(zc_sql "SELECT id FROM cadre WHERE id_number = '$W'")
    req twp DELETE "/api/v1/pins/$(zc_sql "SELECT id FROM cadre WHERE id_number = '$W2'")"
    expect_code "a pin in another township is 404 to the township" 404
    req twp DELETE "/api/v1/pins/$WID"
    expect_code "DELETE /api/v1/pins/CADRE (the record id)" 200
    req adm DELETE "/api/v1/pins/$W2"
    expect_code "... or the ID number" 200
    expect_eq "pins removed and audited" "$(zc_sql "SELECT count(*) FROM pin") $(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'pin.remove'")" "0 4"
    zc_serve_stop
else
    _fail "serve" "did not come up: $(tail -n 5 "$T/server.log")"
fi

# ---- explain ---------------------------------------------------------------------------
run explain --plan "$P" --post MS-T1
expect_rc "explain --post" 0
expect_out "the post's division" "乡镇挂职岗位"
expect_out "its seats with the title" "镇党委副书记(挂职) [MS-T1]"
expect_out "the holder's qualification" "任职条件: 中共党员"
run explain --plan "$P" --post MS-T1 --format json
expect_eq "JSON: that post's seats only" "$(jq '[.slots[] | select(.post == "MS-T1")] | length' "$T/out")" 2
expect_eq "JSON: no other post" "$(jq '.slots | length' "$T/out")" 2
C=$(zc_sql "SELECT c.id_number FROM plan_slot s JOIN post p ON p.id = s.post JOIN cadre c ON c.id = s.cadre WHERE s.plan = $P AND p.code = 'MS-C1'")
run explain --plan "$P" --cadre "$C"
expect_out "a cadre on a post" "post: MS-C1 副县长(挂职)"
CK=$(zc_sql "SELECT c.id_number FROM cadre c JOIN unit u ON u.code = c.unit WHERE u.level = 'city' AND c.rank = '科员' AND c.party_member = 1 AND c.id IN (SELECT cadre FROM plan_cadre WHERE plan = $P) ORDER BY c.id LIMIT 1")
run explain --plan "$P" --cadre "$CK" --why-not 450124
expect_out "why not: a 科员 for the 副处 county post" "职级不够: 该岗位需副处及以上"
CC=$(zc_sql "SELECT c.id_number FROM cadre c JOIN unit u ON u.code = c.unit WHERE u.level = 'city' AND c.rank IN ('副处', '正处') AND c.party_member = 1 AND c.id IN (SELECT cadre FROM plan_cadre WHERE plan = $PP) ORDER BY c.id LIMIT 1")
run explain --plan "$PP" --cadre "$CC" --why-not 450124
expect_out "why not: a city cadre when county posts take provincial units" "posts.levels"

# ---- publish, recall, refill, terms ----------------------------------------------------------
run plan publish "$P" --term 2 --start 2018-07-01
expect_rc "publish" 0
expect_eq "postings of the posts" "$(zc_sql "SELECT count(*) FROM posting WHERE role = 'post' AND post IS NOT NULL AND end_date IS NULL")" 4
expect_eq "a post posting keeps the post" "$(zc_sql "SELECT p.code FROM posting po JOIN post p ON p.id = po.post JOIN cadre c ON c.id = po.cadre WHERE c.id_number = '$C'")" MS-C1
expect_eq "the order's end for a post without a term" "$(zc_sql "SELECT po.term_end FROM posting po JOIN cadre c ON c.id = po.cadre WHERE c.id_number = '$C'")" 2020-07-01
expect_eq "a post's own term ends its postings" "$(zc_sql "SELECT DISTINCT po.term_end FROM posting po JOIN post p ON p.id = po.post WHERE p.code = 'MS-T1'")" 2019-07-01
run post remove MS-C1
expect_rc "a held post is not removed" 65
expect_err "the refusal says why" "post MS-C1 has"
export ZHUCUN_TODAY=2018-07-20
run plan recall --cadre "$C" --reason 调整
expect_rc "recall the county post's cadre" 0
expect_out "a vacancy at the county" "village 450124000000 has a vacancy"
expect_eq "the seat is vacant" "$(zc_sql "SELECT s.state FROM plan_slot s JOIN post p ON p.id = s.post WHERE s.plan = $P AND p.code = 'MS-C1'")" vacant
run match --refill --policy "$POLICY" --format json
expect_rc "refill" 0
R=$(jq -r .plan "$T/out")
expect_eq "the refill has the vacancy and the 正厅 seat, fills the one" "$(jq -r .post_seats "$T/out")/$(jq -r .post_seats_filled "$T/out")" 2/1
expect_eq "refill certified" "$(jq -r .certified "$T/out")" true
expect_eq "the refill's seat meets the post" "$(bad_seats "$R")" 0
expect_eq "the recalled cadre is not sent back" "$(zc_sql "SELECT count(*) FROM plan_slot s JOIN cadre c ON c.id = s.cadre WHERE s.plan = $R AND c.id_number = '$C'")" 0
run plan publish "$R" --start 2018-08-01
expect_rc "publish the refill" 0
expect_eq "the new holder serves the rest of the term" "$(zc_sql "SELECT po.term_end FROM posting po JOIN post p ON p.id = po.post WHERE p.code = 'MS-C1' AND po.end_date IS NULL")" 2020-07-01
expect_eq "the recalled posting ended" "$(zc_sql "SELECT po.end_date FROM posting po JOIN cadre c ON c.id = po.cadre WHERE c.id_number = '$C'")" 2018-07-20
run match --policy "$POLICY" --format json
expect_eq "a new match opens no held seat" "$(jq -r '.post_seats // 0' "$T/out")" 1
expect_eq "only the 正厅 seat is open" "$(zc_sql "SELECT p.code FROM plan_slot s JOIN post p ON p.id = s.post WHERE s.plan = $(jq -r .plan "$T/out")")" MS-X1
run plan discard "$(jq -r .plan "$T/out")"
# A post ends with its term: past it, its vacancy is not refilled.
printf '岗位编号,区划代码,岗位名称,任期结束\nMS-X1,450124103,科技副镇长(挂职),2018-07-31\n' >"$T/end.csv"
run import posts "$T/end.csv"
expect_out "a partial file sets the term's end" "1 rows: 0 added, 1 updated, 0 unchanged"
expect_eq "the other columns are kept" "$(zc_sql "SELECT min_rank || ' ' || seats FROM post WHERE code = 'MS-X1'")" "正厅 1"
export ZHUCUN_TODAY=2018-08-02
run match --refill --policy "$POLICY" --format json
expect_rc "refill after the post's term" 0
expect_eq "a post past its term is not refilled" "$(jq -r '.post_seats // 0' "$T/out")" 0
run post remove MS-X1
expect_rc "a post on a roster is not removed" 65
expect_err "the refusal says how a post ends" "a post on a roster ends with its term"
run post add --division 450124105 --title "副镇长(挂职)" --code MS-Z1
run post remove MS-Z1
expect_rc "a post no plan has is removed" 0
expect_eq "removed" "$(zc_sql "SELECT count(*) FROM post WHERE code = 'MS-Z1'")" 0
expect_eq "audited" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action IN ('post.add', 'post.remove')")" 3

# ---- over HTTP: a township's account imports its own posts only ------------------------
if zc_serve; then
    req adm DELETE "/api/v1/plans/$P"
    expect_code "a published plan is not discarded: 409" 409
    expect_body "... saying why" "方案 $P 已发布, 只有草案可以放弃 / plan $P is published: only a draft can be discarded"
    up() { CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_twp" --data-binary @"$1" -H 'Content-Type: text/csv' "$BASE/api/v1/import?kind=posts&name=$(basename "$1")"); }
    printf 'code,division,title
MS-T9,450124101,副镇长(挂职)
MS-T8,450124102,副镇长(挂职)
' >"$T/twp.csv"
    up "$T/twp.csv"
    expect_code "a post of another township is 403" 403
    expect_body "... naming the row and the column" "twp.csv:3:division: post MS-T8 is outside your jurisdiction"
    expect_eq "refused whole" "$(zc_sql "SELECT count(*) FROM post WHERE code IN ('MS-T8', 'MS-T9')")" 0
    printf 'code,division,title
MS-T1,450124102,镇党委副书记(挂职)
' >"$T/move.csv"
    up "$T/move.csv"
    expect_code "moving its post to another township is 403" 403
    printf 'code,division,title
MS-T9,450124101,副镇长(挂职)
' >"$T/own.csv"
    up "$T/own.csv"
    expect_code "its own township's post is imported" 200
    expect_eq "written" "$(zc_sql "SELECT title FROM post WHERE code = 'MS-T9'")" "副镇长(挂职)"
    req twp GET /api/v1/posts
    expect_code "GET /api/v1/posts" 200
    expect_eq "the township sees its own posts" "$(py "print(' '.join(sorted(p['code'] for p in d['items'])))")" "MS-T1 MS-T9"
    req twp GET /api/v1/posts/MS-T1
    expect_body "a post as a record, with its seats held" '"serving":2'
    req twp GET /api/v1/posts/MS-C1
    expect_code "the county's post is not the township's" 404
    BODY='{"code":"MS-T7","division":"450124102","title":"副镇长(挂职)"}'
    req twp POST /api/v1/posts
    expect_code "creating a post in another township is 403" 403
    BODY='{"seats":3}'
    req twp PATCH /api/v1/posts/MS-T9
    expect_code "PATCH its own post" 200
    expect_eq "patched" "$(zc_sql "SELECT seats FROM post WHERE code = 'MS-T9'")" 3
    BODY='{"division":"450124203202"}'
    req twp PATCH /api/v1/posts/MS-T9
    expect_code "a village code for a post is 400" 400
    BODY=
    req twp GET /api/v1/post-holders
    expect_code "GET /api/v1/post-holders" 200
    expect_eq "the township sees its post's two holders only" "$(py "print(' '.join(sorted(set(x['post'] for x in d['items']))), len(d['items']))")" "MS-T1 2"
    req twp DELETE /api/v1/posts/MS-C1
    expect_code "removing the county's post is 404 to a township" 404
    req twp DELETE /api/v1/posts/MS-T1
    expect_code "removing a held post is 409" 409
    req twp DELETE /api/v1/posts/MS-T9
    expect_code "DELETE its own unheld post" 200
    expect_eq "removed and audited" "$(zc_sql "SELECT count(*) FROM post WHERE code = 'MS-T9'") $(zc_sql "SELECT actor FROM audit_log WHERE action = 'post.remove' AND target = 'MS-T9'")" "0 twp"
    zc_serve_stop
else
    _fail "serve" "did not come up: $(tail -n 5 "$T/server.log")"
fi
finish
