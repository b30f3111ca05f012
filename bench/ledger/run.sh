#!/bin/sh
# bench/ledger/run.sh - the ledger's speed targets (issue 2), side by side
# with the reference in one run:
#   - load of the whole division tree (620,573 committees)       target <= 10 s
#   - import of 1,000,000 cadre rows from CSV                    target <= 15 s, <= 1 GiB
#     reference: the same file through sqlite3's .import into a plain table
#   - export of the same 1,000,000 rows (CSV and XLSX)           target <= 10 s
# usage: bench/ledger/run.sh ZHUCUN_BINARY   (ROWS=N to change the size)
set -eu
cd "$(dirname "$0")/../.."
Z=$(realpath "${1:-build/release/zhucun}")
ROWS=${ROWS:-1000000}
OUT=bench/out/ledger
mkdir -p "$OUT"
rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm
export ZHUCUN_TODAY=2018-06-30
TIME="/usr/bin/time -f %e_%M"

measure() { # name command... -> prints "name seconds peak_MiB"
    name=$1
    shift
    $TIME -o "$OUT/time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || {
        echo "$name failed:"
        tail -5 "$OUT/$name.err"
        exit 1
    }
    t=$(cut -d_ -f1 "$OUT/time")
    m=$(cut -d_ -f2 "$OUT/time")
    printf '| %s | %s | %d |\n' "$name" "$t" $((m / 1024)) | tee -a "$OUT/results.md"
}

echo "generating $ROWS cadre rows ..."
awk -v n="$ROWS" -v seed=1 -f bench/ledger/gen_cadres.awk >"$OUT/cadres.csv"
awk 'BEGIN { print "code,name,level,category,division";
             for (i = 0; i < 1000; i++) printf "U%04d,单位%d,city,party,4501\n", i, i }' >"$OUT/units.csv"

: >"$OUT/results.md"
printf '| step (%s rows) | seconds | peak MiB |\n|---|---|---|\n' "$ROWS" | tee -a "$OUT/results.md"
measure "divisions load (whole tree)" "$Z" --db "$OUT/z.db" divisions load
"$Z" --db "$OUT/z.db" import units "$OUT/units.csv" >/dev/null
measure "zhucun import cadres" "$Z" --db "$OUT/z.db" import cadres "$OUT/cadres.csv"
measure "sqlite3 .import (reference)" sqlite3 "$OUT/ref.db" \
    ".mode csv" ".import $OUT/cadres.csv cadre" "SELECT count(*) FROM cadre;"
measure "zhucun export cadres csv" "$Z" --db "$OUT/z.db" export cadres --format csv -o "$OUT/export.csv"
measure "zhucun export cadres xlsx" "$Z" --db "$OUT/z.db" export cadres --format xlsx -o "$OUT/export.xlsx"
measure "zhucun re-import (all unchanged)" "$Z" --db "$OUT/z.db" import cadres "$OUT/cadres.csv"
grep -q "$ROWS rows: 0 added, 0 updated, $ROWS unchanged" "$OUT/zhucun re-import (all unchanged).out" ||
    { echo "re-import was not a no-op"; exit 1; }
echo "(command: bench/ledger/run.sh $1; results in $OUT/results.md)"
