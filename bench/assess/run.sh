#!/bin/sh
# run.sh - assessment benchmarks (issue 13):
#   - a province month (22,000 stationed cadres, 660,000 check-ins, the
#     bench province of bench/field/province.sh) with 1,100 inspections and
#     findings and their tickets: `zhucun assess month`, `assess negative`,
#     and `zhucun report bulletin` in each format, target <= 2 s each;
#   - the monthly assessment at national scale (ASSESS_NATIONAL cadres,
#     default 250,000 stationed, one check-in a day: 7.5 million check-ins),
#     target <= 30 s.
# The peer is the residence ledger itself (`zhucun presence`), which every
# assessment reads: the difference is what the assessment adds.
#   bench/assess/run.sh [ZHUCUN]
set -eu
cd "$(dirname "$0")/../.."
Z=${1:-build/release/zhucun}
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export ZHUCUN_TODAY=2018-08-01 ZHUCUN_POLICY="$PWD/policies/default.json"

tm() { # label command... -> "| label | seconds | peak MiB |"
    label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/out" 2>"$T/err" || { echo "$label failed: $(tail -3 "$T/err")"; return 1; }
    set -- $(cat "$T/time")
    printf '| %s | %s | %s |\n' "$label" "$1" "$(($2 / 1024))"
}

supervise() { # one inspection with a finding and its ticket for every 20th cadre
    sqlite3 -batch "$DB" <<SQL
BEGIN;
INSERT INTO inspection (village, cadre, method, day, inspectors, created_by, created_at)
  SELECT village, cadre, 'unannounced', '2018-07-' || printf('%02d', 1 + cadre % 28), '督查组', 'bench', '2018-07-28 10:00:00'
  FROM posting WHERE cadre % 20 = 0;
INSERT INTO finding (inspection, cadre, village, rule, text, day)
  SELECT id, cadre, village, 'visits', '走访记录不实', day FROM inspection;
INSERT INTO ticket (finding, assignee, deadline) SELECT id, cadre, '2018-07-25' FROM finding;
COMMIT;
SQL
}

DB="$T/province.db"
N=${ASSESS_CADRES:-22000}
. bench/field/province.sh
supervise
echo "assess bench (province): $(sqlite3 "$DB" "SELECT count(*) FROM cadre") cadres, $(sqlite3 "$DB" "SELECT count(*) FROM checkin") check-ins, $(sqlite3 "$DB" "SELECT count(*) FROM finding") findings in 2018-07"
echo "| step | seconds | peak MiB |"
echo "|---|---|---|"
tm "zhucun presence --month 2018-07 (the ledger every assessment reads)" "$Z" --db "$DB" presence --month 2018-07 --format csv -o "$T/p.csv"
tm "zhucun assess month --month 2018-07 (CSV)" "$Z" --db "$DB" assess month --month 2018-07 --format csv -o "$T/m.csv"
tm "zhucun assess negative --month 2018-07 (build + list)" "$Z" --db "$DB" assess negative --month 2018-07 --format csv -o "$T/n.csv"
tm "zhucun assess ladder --month 2018-07 (propose + list)" "$Z" --db "$DB" assess ladder --month 2018-07 --format csv -o "$T/l.csv"
for f in pdf html xlsx; do
    tm "zhucun report bulletin --month 2018-07 --scope 450124 --format $f" "$Z" --db "$DB" report bulletin --month 2018-07 --scope 450124 --format $f -o "$T/b.$f"
done
echo "bulletin: $(pdfinfo "$T/b.pdf" | sed -n 's/^Pages: *//p') PDF pages, $(wc -c <"$T/b.pdf") bytes"

DB="$T/national.db"
N=${ASSESS_NATIONAL:-250000}
. bench/field/province.sh
supervise
echo "assess bench (national): $(sqlite3 "$DB" "SELECT count(*) FROM cadre") cadres, $(sqlite3 "$DB" "SELECT count(*) FROM checkin") check-ins"
echo "| step | seconds | peak MiB |"
echo "|---|---|---|"
tm "zhucun presence --month 2018-07 ($N cadres)" "$Z" --db "$DB" presence --month 2018-07 --format csv -o "$T/p.csv"
tm "zhucun assess month --month 2018-07 ($N cadres, CSV)" "$Z" --db "$DB" assess month --month 2018-07 --format csv -o "$T/m.csv"
