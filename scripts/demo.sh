#!/bin/sh
# demo.sh - the main job on demo data (`make demo`): create ./demo.db from
# the mashan-2018 scenario (seed 000: Nanning's cadres for Mashan, 2018),
# then eligibility, matching, publication of the plan and the explanation for
# 龙琴村 and 龙贵村, then demo accounts (one per role) and the web UI on
# 127.0.0.1:8080 when the server exists.
#
#   scripts/demo.sh [ZHUCUN] [DB]      (default build/release/zhucun, ./demo.db;
#                                       DB may be a PostgreSQL URL: scripts/demo-pg.sh)
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
# dbq SQL: a query on the demo database, a SQLite file or PostgreSQL (make demo-pg).
dbq() {
    case $DB in
    postgresql://* | postgres://* | *=*) psql "$DB" -qAt -F'|' -c "$1" ;;
    *) sqlite3 -batch "$DB" "$1" ;;
    esac
}
step() { printf '\n== %s\n' "$*"; }

step "zhucun demo --scenario $SCENARIO  ->  $DB"
"$Z" --db "$DB" demo --scenario "$SCENARIO" --no-serve --quiet
dbq "
SELECT '  ' || name || ' (seed ' || seed || ', ' || today || '): ' || title FROM demo_scenario;
SELECT '  divisions ' || (SELECT count(*) FROM division) || ', units ' || (SELECT count(*) FROM unit)
    || ', villages ' || (SELECT count(*) FROM village) || ' (deep '
    || (SELECT count(*) FROM village WHERE poverty = 'deep') || ', poor '
    || (SELECT count(*) FROM village WHERE poverty = 'poor') || '), cadres '
    || (SELECT count(*) FROM cadre) || ', households ' || (SELECT count(*) FROM household)
    || ' - all labelled demo';
SELECT '  ' || g.label || ': ' || g.count FROM demo_group g ORDER BY g.id;
SELECT '  ' || n.name || ' ' || n.code || ': '
    || CASE v.poverty WHEN 'deep' THEN '深度贫困村' WHEN 'poor' THEN '贫困村' ELSE '非贫困村' END
    || ', 自然屯 ' || v.hamlets || ', 需求 '
    || coalesce((SELECT group_concat(s.name_zh, '、') FROM skill s
                 WHERE ';' || v.needs || ';' LIKE '%;' || s.code || ';%'), '—')
    || ', 产业 ' || v.industries || ' (' || printf('%.5f', v.lat) || ' N, '
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
"$Z" --db "$DB" match --policy "$POLICY" | tee build/demo-match.txt
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

if has presence; then
    # Field work (管): a month of generated check-ins, leave, diaries and
    # visits, with a few planted absentees of each "两头跑" rule.
    step "zhucun demo field --month 2018-07   (one month of field records)"
    "$Z" --db "$DB" demo field --month 2018-07
    # From here on the demo is a month into the term (the server too): July
    # is over, so its ledger is judged.
    export ZHUCUN_TODAY=2018-08-01
    step "zhucun presence --month 2018-07   (the residence ledger; full table: build/demo-presence.csv)"
    "$Z" --db "$DB" presence --month 2018-07 --format csv -o build/demo-presence.csv
    "$Z" --db "$DB" presence --month 2018-07 | tail -n 1
    step "zhucun cases --month 2018-07 --format xlsx   (\"两头跑\" cases for the inspector: build/demo-cases.xlsx)"
    "$Z" --db "$DB" cases --month 2018-07 --policy "$POLICY" --format xlsx -o build/demo-cases.xlsx
    "$Z" --db "$DB" cases --month 2018-07 --policy "$POLICY" | tail -n 1
    # The county checks each case (核实: the inspector's visit, the unit's
    # roll, the villagers) and confirms it with what it found: only confirmed
    # cases go on the negative list and into the bulletin. Every case of the
    # demo comes from a cadre planted with the pattern, so all of them hold:
    # the sheet goes back with a reason on each row, in one command.
    step "zhucun cases confirm --file   (the county's 核实 of July's cases)"
    "$Z" --db "$DB" cases --month 2018-07 --policy "$POLICY" --format csv |
        awk -F, -v OFS=, 'NR == 1 { print "干部编号", "日期", "规则", "理由"; next }
            { why = "经核实，签到定位与实际去向不符" }
            $7 == "home_city_on_village_day" { why = "经核实，当日未请假、未派公差，人在派出单位，属两头跑" }
            $7 == "diary_without_presence" { why = "经核实，当日不在村，工作日志系事后补记" }
            $7 == "outside_on_present_day" { why = "经核实，当日离村未报备" }
            { print $1, $6, $7, why }' >build/demo-verdicts.csv
    "$Z" --db "$DB" cases confirm --file build/demo-verdicts.csv
    rm -f build/demo-verdicts.csv
    "$Z" --db "$DB" cases --month 2018-07 --policy "$POLICY" | tail -n 1
fi

if has assess; then
    # Supervision and assessment (考): the county draws its inspection sample
    # for July, inspects the first pick unannounced and records a finding
    # (its ticket opens), builds the negative list, proposes the ladder's
    # steps, scores the month, and publishes the bulletin.
    COUNTY=450124 # 马山县
    step "zhucun inspect sample --scope $COUNTY --month 2018-07 --seed 20180801"
    "$Z" --db "$DB" inspect sample --scope $COUNTY --month 2018-07 --seed 20180801 --policy "$POLICY" | head -n 6
    PICK=$(dbq "SELECT cadre || ' ' || village FROM inspection_sample_item WHERE rank = 1 ORDER BY sample DESC LIMIT 1" 2>/dev/null)
    if [ -n "$PICK" ] && ! dbq "SELECT 1 FROM inspection LIMIT 1" 2>/dev/null | grep -q 1; then
        set -- $PICK
        "$Z" --db "$DB" inspect record --village "$2" --cadre "$1" --method unannounced \
            --date 2018-07-28 --inspectors "县委组织部督查组" --sample 1 >/dev/null
        "$Z" --db "$DB" inspect finding --inspection 1 --rule visits --policy "$POLICY" \
            --text "贫困户走访记录与农户反映不符" --evidence "现场询问3户" >/dev/null
    fi
    step "zhucun assess negative --month 2018-07   (负面清单)"
    "$Z" --db "$DB" assess negative --month 2018-07 --policy "$POLICY" | tail -n 1
    step "zhucun assess ladder --month 2018-07   (先学习班、再约谈、后处理)"
    "$Z" --db "$DB" assess ladder --month 2018-07 --policy "$POLICY" | head -n 1
    step "zhucun assess month --month 2018-07   (full table: build/demo-assess.csv)"
    "$Z" --db "$DB" assess month --month 2018-07 --policy "$POLICY" --format csv -o build/demo-assess.csv
    "$Z" --db "$DB" assess month --month 2018-07 --policy "$POLICY" | tail -n 1
    step "zhucun report bulletin --month 2018-07 --scope $COUNTY   (build/demo-bulletin.pdf, .html)"
    "$Z" --db "$DB" report bulletin --month 2018-07 --scope $COUNTY --format pdf -o build/demo-bulletin.pdf --policy "$POLICY"
    "$Z" --db "$DB" report bulletin --month 2018-07 --scope $COUNTY --format html -o build/demo-bulletin.html --policy "$POLICY" 2>/dev/null
fi

if has outcomes; then
    step "zhucun outcomes --year 2018 --scope $COUNTY   (贫困发生率 and exit; full table: build/demo-outcomes.csv)"
    "$Z" --db "$DB" outcomes --year 2018 --scope 450124 --policy "$POLICY" --format csv -o build/demo-outcomes.csv
    "$Z" --db "$DB" outcomes --year 2018 --scope 450124 --policy "$POLICY" | sed -n '1p;$p'
fi

# The server counts only once it answers --help (a placeholder does not).
if ! has serve || ! "$Z" serve --help >/dev/null 2>&1; then
    echo
    echo "demo: 'zhucun serve' is not in this build yet; stopping after the plan and its explanations."
    exit 0
fi

# Demo accounts, one per role, with demo passwords (this database only).
ACCOUNTS=""
if has user; then
    step "zhucun user add: demo accounts, one per role"
    # The cadre account is 龙琴村's first secretary, when the plan named one.
    SEC=$(dbq "SELECT c.id_number FROM posting p JOIN cadre c ON c.id = p.cadre
        WHERE p.village = $LONGQIN AND p.role = 'first_secretary' AND p.end_date IS NULL
        ORDER BY p.start_date DESC LIMIT 1" 2>/dev/null || true)
    for spec in "province 45 广西壮族自治区" "city 4501 南宁市" "county 450124 马山县" \
        "township 450124203 里当瑶族乡" "inspector 450124 马山县" "auditor - -" "admin - -" \
        "cadre $LONGQIN 龙琴村第一书记"; do
        set -- $spec
        role=$1
        scope=$2
        what=$3
        pass="demo-$role-2018"
        set -- --role "$role"
        [ "$scope" != - ] && set -- "$@" --scope "$scope"
        if [ "$role" = cadre ]; then
            [ -n "$SEC" ] || continue
            set -- "$@" --cadre "$SEC"
        fi
        if echo "$pass" | "$Z" --db "$DB" user add "demo-$role" "$@" --password-stdin >/dev/null; then
            ACCOUNTS="$ACCOUNTS$(printf '  %-16s %-20s %-10s %s' "demo-$role" "$pass" "$role" "$what")
"
        fi
    done
fi

step "zhucun serve on http://127.0.0.1:8080/"
echo "  open http://127.0.0.1:8080/ and sign in with a demo account (demo data only):"
printf '  %-16s %-20s %-10s %s\n' account password role scope
printf '%s' "$ACCOUNTS"
if "$Z" serve --help 2>&1 | grep -q -- '--listen'; then
    exec "$Z" --db "$DB" serve --listen 127.0.0.1:8080
fi
exec "$Z" --db "$DB" serve
