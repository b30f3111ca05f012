#!/bin/sh
# demo.sh - the main job on demo data (`make demo`): create ./demo.db from
# the mashan-2018 scenario (seed 000: Nanning's cadres for Mashan, 2018),
# then eligibility, matching, publication of the plan and the explanation for
# 龙琴村 and 龙贵村, then the web UI when the server exists.
#
#   scripts/demo.sh [ZHUCUN] [DB]      (default build/release/zhucun, ./demo.db)
#
# Each later stage runs only when the binary has its command, so the script
# works at every step of the project: until `zhucun match` exists it stops
# after the ledger summary; until `zhucun serve` exists, after the plan.
set -eu

cd "$(dirname "$0")/.."
Z=${1:-build/release/zhucun}
DB=${2:-demo.db}
SCENARIO=mashan-2018
POLICY=policies/mashan-2018.json
LONGQIN=450124203202 # 马山县 龙琴村: 60 hamlets, needs a driver
LONGGUI=450125205203 # 上林县 龙贵村: silkworms and honeysuckle, needs farming
# The scenario's date: ages, grades and postings are judged as of then.
export ZHUCUN_TODAY=2018-06-17

has() { "$Z" --help 2>/dev/null | grep -q "^  $1 "; }
step() { printf '\n== %s\n' "$*"; }

step "zhucun demo --scenario $SCENARIO  ->  $DB"
"$Z" --db "$DB" demo --scenario "$SCENARIO" --no-serve --quiet
sqlite3 -batch "$DB" "
SELECT '  ' || name || ' (seed ' || seed || ', ' || today || '): ' || title FROM demo_scenario;
SELECT '  divisions ' || (SELECT count(*) FROM division) || ', units ' || (SELECT count(*) FROM unit)
    || ', villages ' || (SELECT count(*) FROM village) || ' (deep '
    || (SELECT count(*) FROM village WHERE poverty = 'deep') || ', poor '
    || (SELECT count(*) FROM village WHERE poverty = 'poor') || '), cadres '
    || (SELECT count(*) FROM cadre) || ', households ' || (SELECT count(*) FROM household)
    || ' - all labelled demo';
SELECT '  ' || g.label || ': ' || g.count FROM demo_group g ORDER BY g.id;
SELECT '  ' || n.name || ' ' || n.code || ': ' || v.poverty || ', ' || v.hamlets || ' hamlets, needs '
    || v.needs || ', industries ' || v.industries || ' (' || printf('%.5f', v.lat) || ' N, '
    || printf('%.5f', v.lng) || ' E ' || v.datum || ')'
  FROM demo_named n JOIN village v ON v.code = n.code ORDER BY n.code;
" 2>/dev/null || "$Z" --db "$DB" divisions get "$LONGQIN"

if ! has match; then
    echo
    echo "demo: 'zhucun match' is not in this build yet; stopping after the ledger summary."
    exit 0
fi

step "zhucun eligible --policy $POLICY"
mkdir -p build
"$Z" --db "$DB" eligible --policy "$POLICY" --format csv >build/demo-eligible.csv
echo "  (every cadre with the reasons: build/demo-eligible.csv)"

step "zhucun match --policy $POLICY"
# Each cadre may be considered for the 60 best-fitting villages (the default
# 12 leaves the remote deep villages short in a county-sized demo).
"$Z" --db "$DB" match --policy "$POLICY" --candidates 60 | tee build/demo-match.txt
PLAN=$(sed -n 's/^plan ID: *\([0-9][0-9]*\).*/\1/p' build/demo-match.txt | tail -n 1)
rm -f build/demo-match.txt
if [ -z "$PLAN" ]; then
    echo "demo: no plan ID in the match output" >&2
    exit 1
fi

if has plan; then
    step "zhucun plan publish $PLAN"
    "$Z" --db "$DB" plan publish "$PLAN" --start 2018-06-20
fi

if has explain; then
    step "zhucun explain --plan $PLAN --village $LONGQIN   (龙琴村)"
    "$Z" --db "$DB" explain --plan "$PLAN" --village "$LONGQIN"
    step "zhucun explain --plan $PLAN --village $LONGGUI   (龙贵村)"
    "$Z" --db "$DB" explain --plan "$PLAN" --village "$LONGGUI"
fi

# The server counts only once it answers --help (a placeholder does not).
if ! has serve || ! "$Z" serve --help >/dev/null 2>&1; then
    echo
    echo "demo: 'zhucun serve' is not in this build yet; stopping after the plan and its explanations."
    exit 0
fi

step "zhucun serve on http://127.0.0.1:8080/"
echo "  open http://127.0.0.1:8080/ ; the demo accounts (one per role) are printed by the server"
if "$Z" serve --help 2>&1 | grep -q -- '--listen'; then
    exec "$Z" --db "$DB" serve --listen 127.0.0.1:8080
fi
exec "$Z" --db "$DB" serve
