#!/bin/sh
# shard.sh - inside a cluster from tests/pg/cluster.sh (ZC_TEST_PG set): two
# more throwaway clusters as shard servers, scripts/pg-shard.sh spreading the
# check-ins of a zhucun database by province (45 on one shard, 46 and 53 on
# the other), then a write and a read for each going to the right server,
# through the coordinator only; rows without a village stay on the
# coordinator. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
: "${ZC_TEST_PG:?run me through tests/pg/cluster.sh run}"
: "${ZHUCUN:=$PWD/build/asan/zhucun}"
PASS=0
FAILS=0
ok() { PASS=$((PASS + 1)); echo "ok $1"; }
bad() { FAILS=$((FAILS + 1)); echo "FAIL $1: $2"; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', wanted '$3'"; fi; }
base=$(mktemp -d "${TMPDIR:-/tmp}/zcshard.XXXXXX")
rmdir "$base"
trap 'sh tests/pg/cluster.sh stop "$base.1"; sh tests/pg/cluster.sh stop "$base.2"' EXIT INT TERM
S1=$(sh tests/pg/cluster.sh start "$base.1")
S2=$(sh tests/pg/cluster.sh start "$base.2")
COORD="$ZC_TEST_PG dbname=zc_shard_coord_$$"
"$ZHUCUN" --db "$COORD" init >/dev/null || bad "zhucun init on the coordinator" "failed"
export ZHUCUN_TODAY=2026-11-22
"$ZHUCUN" --db "$COORD" divisions load --only 450124 >/dev/null
printf 'code,name,level,category,division\nU0000,单位0,city,party,4501\n' >"$base.units.csv"
awk -v n=1 -v seed=1 -f bench/ledger/gen_cadres.awk >"$base.cadres.csv"
"$ZHUCUN" --db "$COORD" import units "$base.units.csv" >/dev/null &&
    "$ZHUCUN" --db "$COORD" import cadres "$base.cadres.csv" >/dev/null ||
    bad "a unit and a cadre on the coordinator" "import failed"
sh scripts/pg-shard.sh "$COORD" --shard "$S1 dbname=zc_shard" --provinces 45 \
    --shard "$S2 dbname=zc_shard" --provinces 46,53 >"$base.out" 2>&1
expect_eq "pg-shard.sh sets up the partitions" "$?" 0
cat "$base.out"
c() { psql "$COORD" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
s1() { psql "$S1 dbname=zc_shard" -qAt -c "$1"; }
s2() { psql "$S2 dbname=zc_shard" -qAt -c "$1"; }
ins() { # VILLAGE CLIENT_ID
    c "INSERT INTO checkin (cadre, village, at, source, client_id, synced_at)
       VALUES (1, $1, '2026-11-22 09:00', 'api', '$2', '2026-11-22 09:01') RETURNING id"
}
# Writes through the coordinator, each with an id from its one sequence.
i1=$(ins 450124203202 a1)
i2=$(ins 460105100001 b1)
i3=$(ins 530102001001 c1)
i4=$(ins NULL d1)
expect_eq "four writes through the coordinator, four distinct ids" \
    "$(printf '%s\n' "$i1" "$i2" "$i3" "$i4" | sort -u | grep -c .)" 4
expect_eq "the Guangxi (45) check-in is on shard 1" "$(s1 "SELECT client_id FROM checkin_p45")" a1
expect_eq "the Hainan (46) and Yunnan (53) check-ins are on shard 2" \
    "$(s2 "SELECT (SELECT string_agg(client_id, ',') FROM checkin_p46) || ',' || (SELECT string_agg(client_id, ',') FROM checkin_p53)")" b1,c1
expect_eq "nothing else on shard 2" "$(s2 "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'checkin%'")" 2
expect_eq "a check-in without a village stays on the coordinator" \
    "$(c "SELECT string_agg(client_id, ',') FROM checkin_local")" d1
expect_eq "a read through the coordinator sees every server's rows" \
    "$(c "SELECT string_agg(client_id, ',' ORDER BY client_id) FROM checkin")" a1,b1,c1,d1
# A county's read touches one server: partition pruning on the code range.
plan=$(c "EXPLAIN (COSTS OFF) SELECT * FROM checkin WHERE village BETWEEN 450124000000 AND 450124999999")
echo "$plan"
if echo "$plan" | grep -q "checkin_p45" && ! echo "$plan" | grep -q "checkin_p46\|checkin_p53\|checkin_local"; then
    ok "a county's read (马山县 450124) goes to shard 1 only"
else
    bad "a county's read goes to shard 1 only" "$plan"
fi
expect_eq "and finds its row" \
    "$(c "SELECT client_id FROM checkin WHERE village BETWEEN 450124000000 AND 450124999999")" a1
# A resend of the same check-in goes to the same shard, whose key refuses it.
if c "INSERT INTO checkin (cadre, village, at, source, client_id, synced_at)
      VALUES (1, 450124203202, '2026-11-22 09:00', 'api', 'a1', '2026-11-22 09:01')" >/dev/null 2>"$base.err"; then
    bad "a resent client_id is refused on its shard" "accepted"
else
    ok "a resent client_id is refused on its shard ($(grep -o 'duplicate key[^"]*' "$base.err" | head -1))"
fi
# zhucun reads through the coordinator as before (the rest of the schema is local).
"$ZHUCUN" --db "$COORD" divisions get 450124203202 >"$base.dget" 2>&1
expect_eq "zhucun itself runs against the coordinator" "$?" 0
psql "$ZC_TEST_PG dbname=postgres" -qAtc "DROP DATABASE IF EXISTS zc_shard_coord_$$ WITH (FORCE)" >/dev/null 2>&1
echo "$PASS passed, $FAILS failed"
[ "$FAILS" = 0 ]
