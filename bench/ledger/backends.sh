#!/bin/sh
# bench/ledger/backends.sh - the cadre import on both back ends in one run
# (issue 16): the same generated file into a SQLite file and into a
# PostgreSQL database of a throwaway cluster with fsync on (ZC_PG_DURABLE=1,
# commits on disk as in production; tests/pg/cluster.sh), then the same
# file again (all unchanged) and a CSV export.
# usage: bench/ledger/backends.sh [ZHUCUN_BINARY]   (ROWS=N, default 100000)
set -eu
cd "$(dirname "$0")/../.."
Z=$(realpath "${1:-build/release/zhucun}")
ROWS=${ROWS:-100000}
OUT=$PWD/bench/out/backends
mkdir -p "$OUT"
rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm
export ZHUCUN_TODAY=2018-06-30 Z ROWS OUT
echo "generating $ROWS cadre rows ..."
awk -v n="$ROWS" -v seed=1 -f bench/ledger/gen_cadres.awk >"$OUT/cadres.csv"
awk 'BEGIN { print "code,name,level,category,division";
             for (i = 0; i < 1000; i++) printf "U%04d,单位%d,city,party,4501\n", i, i }' >"$OUT/units.csv"

cat >"$OUT/steps.sh" <<'STEPS'
set -eu
measure() { # backend step command... -> "| step | backend | seconds | peak MiB |"
    b=$1
    name=$2
    shift 2
    /usr/bin/time -f %e_%M -o "$OUT/time" "$@" >"$OUT/$b-$name.out" 2>"$OUT/$b-$name.err" || {
        echo "$b $name failed:"
        tail -5 "$OUT/$b-$name.err"
        exit 1
    }
    printf '| %s | %s | %s | %d |\n' "$name" "$b" "$(cut -d_ -f1 "$OUT/time")" \
        $(($(cut -d_ -f2 "$OUT/time") / 1024)) | tee -a "$OUT/results.md"
}
run_backend() { # name db
    "$Z" --db "$2" init >/dev/null
    measure "$1" "divisions load (whole tree)" "$Z" --db "$2" divisions load
    "$Z" --db "$2" import units "$OUT/units.csv" >/dev/null
    measure "$1" "import cadres" "$Z" --db "$2" import cadres "$OUT/cadres.csv"
    measure "$1" "re-import (all unchanged)" "$Z" --db "$2" import cadres "$OUT/cadres.csv"
    grep -q "$ROWS rows: 0 added, 0 updated, $ROWS unchanged" "$OUT/$1-re-import (all unchanged).out" ||
        { echo "$1: re-import was not a no-op"; exit 1; }
    measure "$1" "export cadres csv" "$Z" --db "$2" export cadres --format csv -o "$OUT/$1-export.csv"
}
: >"$OUT/results.md"
printf '| step (%s rows) | back end | seconds | peak MiB |\n|---|---|---|---|\n' "$ROWS" | tee -a "$OUT/results.md"
run_backend sqlite "$OUT/z.db"
run_backend postgresql "$ZC_TEST_PG dbname=bench"
cmp -s "$OUT/sqlite-export.csv" "$OUT/postgresql-export.csv" && echo "(the two exports are identical)" ||
    echo "(the two exports differ)"
STEPS
ZC_PG_DURABLE=1 sh tests/pg/cluster.sh run sh "$OUT/steps.sh"
echo "(command: ROWS=$ROWS bench/ledger/backends.sh ${1:-build/release/zhucun}; results in $OUT/results.md)"
