#!/bin/sh
# bench/households/run.sh - the household targets of issue 14, on the real
# division tree: a province of registered poor households with members
#   - zhucun import members (the file of a province)   target >= 200,000 rows/s
#   - zhucun outcomes --year Y --scope PROVINCE        target <= 2 s
# beside the reference: the same members file through sqlite3's .import into
# a plain table (no checks, no keys), and into a table with zhucun's keys,
# in the same run.
# usage: bench/households/run.sh ZHUCUN_BINARY
#   HOUSEHOLDS=N (default 1,000,000), PROVINCE=NN (default 52, Guizhou),
#   ZC_DB=conninfo to run on PostgreSQL instead of a SQLite file.
set -eu
cd "$(dirname "$0")/../.."
Z=$(realpath "${1:-build/release/zhucun}")
N=${HOUSEHOLDS:-1000000}
P=${PROVINCE:-52}
OUT=${OUT:-bench/out/households}
mkdir -p "$OUT"
rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm
DB=${ZC_DB:-$OUT/z.db}
export ZHUCUN_TODAY=2018-06-30
TIME="/usr/bin/time -f %e_%M"

measure() { # name rows command... -> "| name | seconds | rows/s | peak MiB |"
    name=$1
    rows=$2
    shift 2
    $TIME -o "$OUT/time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || {
        echo "$name failed:"
        tail -5 "$OUT/$name.err"
        exit 1
    }
    t=$(cut -d_ -f1 "$OUT/time")
    m=$(cut -d_ -f2 "$OUT/time")
    rate=-
    [ "$rows" -gt 0 ] && rate=$(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%d", (t > 0 ? r / t : 0) }')
    printf '| %s | %s | %s | %d |\n' "$name" "$t" "$rate" $((m / 1024)) | tee -a "$OUT/results.md"
}

"$Z" --db "$DB" divisions load --only "$P" >/dev/null
q="SELECT code FROM division WHERE level = 5 AND code / 10000000000 = $P ORDER BY code"
if [ -n "${ZC_DB:-}" ]; then
    psql -X -q -A -t -d "$ZC_DB" -c "$q" >"$OUT/villages.txt"
else
    sqlite3 "$DB" "$q" >"$OUT/villages.txt"
fi
echo "generating $N households in $(wc -l <"$OUT/villages.txt") villages of province $P ..."
awk -v n="$N" -v seed=1 -v out="$OUT" -f bench/households/gen.awk "$OUT/villages.txt"
M=$(($(wc -l <"$OUT/members.csv") - 1))
V=$(($(wc -l <"$OUT/villages.csv") - 1))

: >"$OUT/results.md"
printf '| step (%s households, %s members, %s villages) | seconds | rows/s | peak MiB |\n|---|---|---|---|\n' \
    "$N" "$M" "$V" | tee -a "$OUT/results.md"
measure "zhucun import villages" "$V" "$Z" --db "$DB" import villages "$OUT/villages.csv"
measure "zhucun import households" "$N" "$Z" --db "$DB" import households "$OUT/households.csv"
measure "zhucun import members" "$M" "$Z" --db "$DB" import members "$OUT/members.csv"
measure "sqlite3 .import members (reference)" "$M" sqlite3 "$OUT/ref.db" \
    ".mode csv" ".import $OUT/members.csv member" "SELECT count(*) FROM member;"
# The same file into a table with zhucun's keys (the ID number unique, an
# index on the household; no checks, no foreign key, no upsert): what SQLite
# itself needs for these rows, the floor under any checked import.
sqlite3 "$OUT/keys.db" "CREATE TABLE member (household TEXT NOT NULL, id_number TEXT PRIMARY KEY,
    name TEXT NOT NULL, relation TEXT NOT NULL, gender TEXT, birth_date TEXT, education TEXT,
    health TEXT NOT NULL, work_ability TEXT NOT NULL, student TEXT);
    CREATE INDEX member_household ON member(household);"
measure "sqlite3 .import members, same keys (reference)" "$M" sqlite3 "$OUT/keys.db" \
    "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=FULL;" "PRAGMA cache_size=-65536;" \
    ".mode csv" ".import --skip 1 $OUT/members.csv member" "SELECT count(*) FROM member;"
measure "zhucun import members again (unchanged)" "$M" "$Z" --db "$DB" import members "$OUT/members.csv"
grep -q "$M rows: 0 added, 0 updated, $M unchanged" "$OUT/zhucun import members again (unchanged).out" ||
    { echo "re-import was not a no-op:"; cat "$OUT/zhucun import members again (unchanged).out"; exit 1; }
measure "zhucun outcomes --scope $P (csv)" 0 "$Z" --db "$DB" outcomes --year 2018 --scope "$P" --format csv \
    -o "$OUT/outcomes.csv"
measure "zhucun outcomes --scope $P (again)" 0 "$Z" --db "$DB" outcomes --year 2018 --scope "$P" --format csv \
    -o "$OUT/outcomes.csv"
echo "($(grep -c ',村,' "$OUT/outcomes.csv") village rows; command: bench/households/run.sh $*; results in $OUT/results.md)"
