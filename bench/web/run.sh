#!/bin/sh
# run.sh - web UI page-load benchmark on the hebei-2016 scenario (a
# province: ~50,000 villages, ~22,000 cadres) for a county account, in
# chromium via playwright-core (bench/web/bench.mjs). Target: every page
# in <= 300 ms from navigation start to content on screen.
#
#   bench/web/run.sh ZHUCUN [RUNS]     (default build/release/zhucun, 5 runs)
#
# The database is made once in bench/out/web/hebei.db (about 13 s).
set -eu
cd "$(dirname "$0")/../.."
Z=${1:-build/release/zhucun}
case "$Z" in /*) ;; *) Z="$PWD/$Z" ;; esac
RUNS=${2:-5}
OUT=bench/out/web
DB=$OUT/hebei.db
mkdir -p "$OUT"
export ZHUCUN_TODAY=2016-06-30
if [ ! -f "$DB" ]; then
    echo "web bench: generating hebei-2016 into $DB"
    "$Z" --db "$DB" demo --scenario hebei-2016 --no-serve --quiet
fi
# The county with the most villages, one of its villages and cadres.
COUNTY=$(sqlite3 -batch "$DB" "SELECT code / 1000000 FROM village GROUP BY code / 1000000 ORDER BY count(*) DESC LIMIT 1")
VILLAGE=$(sqlite3 -batch "$DB" "SELECT code FROM village WHERE code / 1000000 = $COUNTY AND poverty <> 'none' ORDER BY code LIMIT 1")
CADRE=$(sqlite3 -batch "$DB" "SELECT c.id FROM cadre c JOIN unit u ON u.code = c.unit WHERE u.division / 1000000 = $COUNTY ORDER BY c.id LIMIT 1")
[ -n "$CADRE" ] || CADRE=$(sqlite3 -batch "$DB" "SELECT p.cadre FROM posting p WHERE p.village / 1000000 = $COUNTY LIMIT 1")
sqlite3 -batch "$DB" "DELETE FROM account_session WHERE account IN (SELECT id FROM account WHERE name = 'bench-web')" 2>/dev/null || true
if ! sqlite3 -batch "$DB" "SELECT 1 FROM account WHERE name = 'bench-web'" | grep -q 1; then
    echo bench-web-pass-1 | "$Z" --db "$DB" user add bench-web --role county --scope "$COUNTY" --password-stdin >/dev/null
fi
PORT=$((22000 + $$ % 5000))
"$Z" --db "$DB" serve --listen "127.0.0.1:$PORT" --web web --threads 4 2>"$OUT/serve.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT INT TERM
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/session" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "hebei-2016: $(sqlite3 -batch "$DB" "SELECT count(*) FROM village") villages, $(sqlite3 -batch "$DB" "SELECT count(*) FROM cadre") cadres; county $COUNTY ($(sqlite3 -batch "$DB" "SELECT name FROM division WHERE code = $COUNTY * 1000000")): $(sqlite3 -batch "$DB" "SELECT count(*) FROM village WHERE code / 1000000 = $COUNTY") villages"
node bench/web/bench.mjs "http://127.0.0.1:$PORT" bench-web bench-web-pass-1 "$RUNS" \
    /home /villages "/villages?poverty=deep&state=weak" "/village/$VILLAGE" /cadres "/cadre/$CADRE" /import /dispatch
