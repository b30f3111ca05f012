#!/bin/sh
# run.sh - field-work benchmarks (issue 12) on a province-sized month:
#   - 22,000 stationed cadres in 22,000 villages, 660,000 check-ins in July
#     2018 (one a day, 30 days, positions jittered around each village);
#   - `zhucun presence --month 2018-07` (the whole ledger, CSV) and
#     `zhucun cases --month 2018-07` over it, target <= 2 s;
#   - `zhucun import checkins` of a 1,000,000-row CSV (zhucun's own
#     columns: every row checked, its cadre and station looked up, its
#     evidence derived), target <= 15 s; sqlite3's `.import` of the same
#     file into a bare table as the reference.
# The database is built with sqlite3 (bench data, not the demo generator).
#   bench/field/run.sh [ZHUCUN]
set -eu
cd "$(dirname "$0")/../.."
Z=${1:-build/release/zhucun}
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
DB="$T/field.db"
export ZHUCUN_TODAY=2018-08-01 ZHUCUN_POLICY="$PWD/policies/default.json"
N=${FIELD_CADRES:-22000}
. bench/field/province.sh
ROWS=$(sqlite3 "$DB" "SELECT count(*) FROM checkin")
CAD=$(sqlite3 "$DB" "SELECT count(*) FROM cadre")
echo "field bench: $CAD cadres, $ROWS check-ins in 2018-07"

tm() { # label command... -> "label seconds peakMiB"
    label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/out" 2>"$T/err" || { echo "$label failed: $(tail -3 "$T/err")"; return 1; }
    set -- $(cat "$T/time")
    printf '| %s | %s | %s |\n' "$label" "$1" "$(($2 / 1024))"
}
echo "| step | seconds | peak MiB |"
echo "|---|---|---|"
tm "zhucun presence --month 2018-07 (CSV, $CAD cadres)" "$Z" --db "$DB" presence --month 2018-07 --format csv -o "$T/p.csv"
tm "zhucun cases --month 2018-07" "$Z" --db "$DB" cases --month 2018-07 --format json

# 1,000,000 rows for August: the cadres' ID numbers, times, positions.
M=${FIELD_IMPORT_ROWS:-1000000}
awk -F, -v n="$M" -v c="$CAD" 'NR == FNR { idn[$1] = $2; next }
END {
    print "身份证号,打卡时间,纬度,经度,精度(米),设备"
    for (r = 0; r < n; r++) {
        id = r % c + 1; k = int(r / c); day = k % 31 + 1; hh = 7 + int(k / 31) % 14
        printf "%s,2018-08-%02d %02d:%02d:00,%.5f,106.5,15,p%d\n", idn[id], day, hh, id % 60, 22.5 + (id % 1000) * 0.0003, id
    }
}' "$T/ids.csv" /dev/null >"$T/checkins.csv"
echo "import file: $(wc -l <"$T/checkins.csv") lines, $(($(wc -c <"$T/checkins.csv") / 1048576)) MiB"
tm "zhucun import checkins ($M rows)" "$Z" --db "$DB" import checkins "$T/checkins.csv"
tm "sqlite3 .import of the same file into a bare table (reference)" sqlite3 "$T/ref.db" ".mode csv" ".import $T/checkins.csv c"
tm "zhucun presence --month 2018-08 after the import" "$Z" --db "$DB" presence --month 2018-08 --format csv -o "$T/p8.csv"

# ---- check-ins through the HTTP API, and kill -9 under that load -------------------------
# An admin account posts check-ins for every cadre (a cadre account posts only
# its own; the server's work per request is the same). Acknowledged = committed
# (the writer thread's group commit, synchronous=FULL).
PORT=$((20000 + $$ % 5000))
BASE="http://127.0.0.1:$PORT"
echo "bench-admin-pass-1" | "$Z" --db "$DB" user add bench-admin --role admin --password-stdin >/dev/null
start_server() {
    "$Z" --db "$DB" serve --listen "127.0.0.1:$PORT" --threads "${FIELD_THREADS:-4}" 2>>"$T/server.log" &
    SRV=$!
    i=0
    until curl -s -o /dev/null "$BASE/api/v1/session" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
}
start_server
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' --data '{"user":"bench-admin","password":"bench-admin-pass-1"}' "$BASE/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
echo "HTTP check-ins, ${FIELD_HTTP_SECONDS:-10} s, ${FIELD_CONNS:-64} connections, ${FIELD_THREADS:-4} server threads:"
node bench/field/http_load.mjs "$BASE" "$TOKEN" "$CAD" "${FIELD_HTTP_SECONDS:-10}" "${FIELD_CONNS:-64}" "$T/acked.txt"
kill -TERM "$SRV"; wait "$SRV" 2>/dev/null || true

# kill -9 of the server under load, KILLS times: every acknowledged check-in
# is in the database after the restart, and the database is intact.
KILLS=${FIELD_KILLS:-20}
lost=0
for k in $(seq 1 "$KILLS"); do
    start_server
    node bench/field/http_load.mjs "$BASE" "$TOKEN" "$CAD" 3 32 "$T/acked-$k.txt" $((k * 10000000)) >"$T/load-$k.json" &
    LOAD=$!
    sleep 1.5
    kill -KILL "$SRV"
    wait "$SRV" 2>/dev/null || true
    wait "$LOAD" 2>/dev/null || true
    n=$(wc -l <"$T/acked-$k.txt")
    sqlite3 -batch "$DB" >"$T/missing" 2>&1 <<SQL || true
CREATE TEMP TABLE a (id TEXT);
.import $T/acked-$k.txt a
SELECT count(*) FROM a WHERE id NOT IN (SELECT client_id FROM checkin WHERE client_id IS NOT NULL);
SQL
    m=$(tail -n 1 "$T/missing")
    lost=$((lost + ${m:-0}))
    printf 'kill %d: %s acknowledged before the kill, %s missing after the restart\n' "$k" "$n" "${m:-?}"
done
echo "integrity_check: $(sqlite3 "$DB" 'PRAGMA integrity_check')"
echo "kill -9 x $KILLS: $lost acknowledged check-ins lost"
