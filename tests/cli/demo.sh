#!/bin/sh
# demo.sh - `zhucun demo` end to end: mashan-2018 and anlong-2018 carry what
# their reports say (named villages, counts, households), every row is
# labelled demo, the same seed gives the same bytes, and a real ledger is
# never overwritten.
. "$(dirname "$0")/lib.sh"
unset ZHUCUN_POLICY
SCEN=$(cd "$(dirname "$0")/../../scenarios" && pwd)
q() { sqlite3 -batch "$1" "$2"; }
expect_eq() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}

run demo --help
expect_rc "demo --help" 0
expect_out "help names the scenarios" "mashan-2018"
run demo
expect_rc "demo needs --scenario" 64
run demo --scenario atlantis-2030
expect_rc "unknown scenario" 66
expect_err "unknown scenario says so" "no scenario 'atlantis-2030'"
printf '{"name":"bad","title":"B","today":"2018-06-30","villages":[{"within":"450124","deep":1}],"cadres":[{"id":"g","label":"G","count":3,"units":["nope"]}]}' >"$T/bad.json"
run demo --scenario "$T/bad.json" --out "$T/bad.db"
expect_rc "bad scenario file" 65
expect_err "bad scenario names the key" "cadres[0]: units: no unit or unit set 'nope'"
expect "bad scenario leaves no file" test ! -e "$T/bad.db"

# ---- mashan-2018 (seed 000) ----------------------------------------------------
M="$T/mashan.db"
run demo --scenario mashan-2018 --out "$M" --no-serve
expect_rc "mashan-2018 generates" 0
expect_out "mashan summary" "367 villages (56 deep, 111 poor"
expect_out "mashan notes the 83.5% discrepancy" "83.5%"
expect_out "mashan says which date to use" "ZHUCUN_TODAY=2018-06-17"
expect "no WAL left behind" test ! -e "$M-wal"

cp "$M" "$T/mashan.fresh.db" # exports below are recorded in the audit log: compare the fresh copy
run --db "$M" divisions get 450124203202
expect_out "龙琴村 is in the real tree" "马山县 里当瑶族乡 龙琴村委会"
run --db "$M" export villages --format csv
expect_out "龙琴村: deep, 60 hamlets, needs a driver" "450124203202,深度贫困村,穷弱,60,"
expect_out "exports label demo rows (演示数据)" ",结对单位,半径(米),演示数据"
grep 450124203202 "$T/out" | tr -d '\r' | grep -q ',是$' && _ok "龙琴村 exported as demo data" || _fail "demo label" "$(grep 450124203202 "$T/out")"
grep 450124203202 "$T/out" | grep -q ',驾驶,' && _ok "龙琴村 needs driving" || _fail "龙琴村 needs driving" "$(grep 450124203202 "$T/out")"
grep 450125205203 "$T/out" | grep -q ',农业种植,桑蚕;金银花,' && _ok "龙贵村: farming, silkworms and honeysuckle" || _fail "龙贵村" "$(grep 450125205203 "$T/out")"
expect_eq "56 deep villages in the three counties" "$(q "$M" "SELECT count(*) FROM village WHERE poverty='deep'")" 56
expect_eq "11 of them in 都结乡" "$(q "$M" "SELECT count(*) FROM village WHERE poverty='deep' AND code/1000=450123203")" 11
expect_eq "124 seconded cadres" "$(q "$M" "SELECT count(*) FROM demo_member m JOIN demo_group g ON g.id=m.grp WHERE g.name LIKE 'ms-%'")" 124
expect_eq "76 of them born in the 1980s" "$(q "$M" "SELECT count(*) FROM demo_member m JOIN demo_group g ON g.id=m.grp JOIN cadre c ON c.id=m.cadre WHERE g.name LIKE 'ms-%' AND c.birth_date BETWEEN '1980-01-01' AND '1989-12-31'")" 76
expect_eq "33 teachers, 31 commissioners, 14 liaison officers" "$(q "$M" "SELECT group_concat(count, ',') FROM (SELECT count FROM demo_group WHERE name IN ('ms-teachers','ms-sci','ms-liaison') ORDER BY id)")" "33,31,14"
expect_eq "liaison officers from 13 firms in 14 paired deep villages" "$(q "$M" "SELECT count(DISTINCT c.unit) || '/' || count(DISTINCT p.village) FROM posting p JOIN cadre c ON c.id=p.cadre JOIN unit u ON u.code=c.unit JOIN village v ON v.code=p.village WHERE u.category='国企' AND v.paired_unit=c.unit AND v.poverty='deep'")" "13/14"
expect_eq "13 hospitals with 11 township clinics" "$(q "$M" "SELECT count(DISTINCT a) || '/' || count(DISTINCT b) FROM demo_pairing WHERE kind LIKE '13家%'")" "13/11"
expect_eq "22 schools with 15" "$(q "$M" "SELECT count(DISTINCT a) || '/' || count(DISTINCT b) FROM demo_pairing WHERE kind LIKE '22所%'")" "22/15"
expect_eq "the 124 are serving from 2018-05-15" "$(q "$M" "SELECT count(*) FROM posting WHERE start_date='2018-05-15' AND end_date IS NULL")" 124
expect_eq "every row is labelled demo" "$(q "$M" "SELECT (SELECT count(*) FROM unit WHERE demo=0)+(SELECT count(*) FROM village WHERE demo=0)+(SELECT count(*) FROM cadre WHERE demo=0)+(SELECT count(*) FROM household WHERE demo=0)")" 0
expect_eq "the database says it is a demo" "$(q "$M" "SELECT name || ' ' || seed FROM demo_scenario")" "mashan-2018 2018"
expect_eq "every village has a WGS-84 point in Guangxi" "$(q "$M" "SELECT count(*) FROM village WHERE datum='WGS84' AND lat BETWEEN 22.8 AND 24.2 AND lng BETWEEN 107.2 AND 109.1")" 367
expect_eq "ID numbers are valid and unique" "$(q "$M" "SELECT count(DISTINCT id_number) = count(*) AND min(length(id_number)) = 18 FROM cadre")" 1
expect_eq "households add up to each village's poor population" "$(q "$M" "SELECT count(*) FROM village v WHERE v.poor_population <> (SELECT coalesce(sum(members),0) FROM household h WHERE h.village=v.code) OR v.poor_households <> (SELECT count(*) FROM household h WHERE h.village=v.code)")" 0

# The same seed gives the same bytes; another seed does not.
run demo --scenario mashan-2018 --out "$T/mashan2.db" --quiet
expect_rc "mashan-2018 again" 0
expect "same seed, same database byte for byte" cmp "$T/mashan.fresh.db" "$T/mashan2.db"
expect_eq "the export of the demo is in its record" "$(q "$M" "SELECT count(*) FROM audit_log WHERE action = 'export' AND target = 'villages'")" 1
run demo --scenario mashan-2018 --out "$T/mashan2.db" --seed 7 --quiet
expect_rc "a demo database may be replaced" 0
if cmp -s "$M" "$T/mashan2.db"; then _fail "another seed differs" "identical"; else _ok "another seed differs"; fi
expect_eq "the named villages stay as the report says with any seed" "$(q "$T/mashan2.db" "SELECT hamlets || needs FROM village WHERE code=450124203202")" "60driving"

# A real ledger is never overwritten.
run --db "$T/real.db" init
cp "$T/real.db" "$T/real.copy"
run --db "$T/real.db" demo --scenario mashan-2018
expect_rc "refuses to overwrite a real ledger" 65
expect_err "says why" "not a demo"
expect "the real ledger is untouched" cmp "$T/real.db" "$T/real.copy"

if "$ZHUCUN" --help | grep -q '^  eligible '; then
    ZHUCUN_TODAY=2018-06-17 "$ZHUCUN" --db "$M" eligible --policy "$SCEN/../policies/mashan-2018.json" --only-rejected >"$T/el.txt" 2>&1
    grep -q 'already_serving 124' "$T/el.txt" && _ok "eligibility: the 124 are already serving" || _fail "eligibility" "$(tail -c 300 "$T/el.txt")"
fi

# ---- anlong-2018 (seed 004) ----------------------------------------------------
A="$T/anlong.db"
run demo --scenario anlong-2018 --out "$A" --quiet
expect_rc "anlong-2018 generates" 0
expect_eq "181 villages, 7 deeply poor" "$(q "$A" "SELECT count(*) || '/' || sum(poverty='deep') FROM village")" "181/7"
expect_eq "坡老村: 267 households, 1,166 people" "$(q "$A" "SELECT count(*) || '/' || sum(members) FROM household WHERE village=522328112204")" "267/1166"
expect_eq "坡老村: 18 households, 50 people still poor" "$(q "$A" "SELECT count(*) || '/' || sum(members) FROM household WHERE village=522328112204 AND status='poor'")" "18/50"
expect_eq "坡老村 in the ledger as deep with 267/1166" "$(q "$A" "SELECT poverty || poor_households || '/' || poor_population FROM village WHERE code=522328112204")" "deep267/1166"
expect_eq "424 first secretaries and team members" "$(q "$A" "SELECT sum(count) FROM demo_group WHERE name IN ('al-424','al-polao-secretary')")" 424
expect_eq "坡老村's first secretary came from 纳黑村 in 2017" "$(q "$A" "SELECT group_concat(village || ':' || coalesce(end_date,'serving'), ' ') FROM (SELECT * FROM posting p JOIN demo_member m ON m.cadre=p.cadre JOIN demo_group g ON g.id=m.grp WHERE g.name='al-polao-secretary' ORDER BY start_date)")" "522328112210:2017-03-31 522328112204:serving"
for v in 纳黑村 歪纳村 拉坡村 竹林村 坡老村; do
    run --db "$A" divisions find "$v" --within 522328
    code=$(echo "$OUT" | awk 'NR==1{print $1}')
    expect_eq "$v is named and in the ledger" "$(q "$A" "SELECT count(*) FROM village v JOIN demo_named n ON n.code=v.code WHERE v.code=${code:-0} AND n.name='$v'")" 1
done
expect_eq "anlong rows all demo" "$(q "$A" "SELECT count(*) FROM cadre WHERE demo=0")" 0
expect_eq "anlong villages inside 安龙县" "$(q "$A" "SELECT count(*) FROM village WHERE datum='WGS84' AND lat BETWEEN 24.8 AND 25.5 AND lng BETWEEN 105.0 AND 105.8")" 181

# A seeded posting (in no plan) can be recalled too; it leaves no post to refill.
SEEDED=$(q "$A" "SELECT c.id_number FROM posting p JOIN cadre c ON c.id = p.cadre WHERE p.end_date IS NULL ORDER BY p.cadre LIMIT 1")
run --db "$A" plan recall --cadre "$SEEDED" --reason "调整"
expect_rc "recall a cadre posted outside any plan" 0
expect_out "the recall says it was in no plan" "it was in no plan"
expect_eq "the posting ended" "$(q "$A" "SELECT count(*) FROM posting p JOIN cadre c ON c.id = p.cadre WHERE c.id_number = '$SEEDED' AND p.end_date IS NULL")" 0
run --db "$A" plan recall --cadre "$SEEDED"
expect_rc "recalling again is not found" 66

finish
