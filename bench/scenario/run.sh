#!/bin/sh
# bench/scenario/run.sh - demo scenario generation speed (issue 3):
#   - hebei-2016: all of Hebei (56,712 divisions, 48,510 villages, 102,112
#     cadres, ~1.1 M households)                       target <= 30 s
#   - national (BENCH_NATIONAL=1): every division (665,276), 487,144 villages,
#     3,000,000 cadres, no households                  target <= 10 min, <= 8 GiB
# Wall time and peak RSS from /usr/bin/time; the databases are removed after.
# usage: bench/scenario/run.sh ZHUCUN_BINARY
set -eu
cd "$(dirname "$0")/../.."
Z=$(realpath "${1:-build/release/zhucun}")
OUT=bench/out/scenario
mkdir -p "$OUT"
TIME="/usr/bin/time -f %e_%M"

measure() { # scenario -> "| scenario | seconds | peak MiB | database MiB |"
    rm -f "$OUT/$1.db" "$OUT/$1.db-wal" "$OUT/$1.db-shm"
    $TIME -o "$OUT/time" "$Z" demo --scenario "$1" --out "$OUT/$1.db" --quiet >"$OUT/$1.err" 2>&1 || {
        echo "$1 failed:"
        tail -5 "$OUT/$1.err"
        exit 1
    }
    t=$(cut -d_ -f1 "$OUT/time")
    m=$(cut -d_ -f2 "$OUT/time")
    s=$(du -m "$OUT/$1.db" | cut -f1)
    printf '| %s | %s | %d | %s |\n' "$1" "$t" $((m / 1024)) "$s" | tee -a "$OUT/results.md"
    rm -f "$OUT/$1.db"
}

echo "| scenario | wall s | peak RSS MiB | database MiB |" | tee "$OUT/results.md"
echo "|---|---|---|---|" | tee -a "$OUT/results.md"
measure mashan-2018
measure anlong-2018
measure hebei-2016
if [ "${BENCH_NATIONAL:-0}" = 1 ]; then
    measure national
fi
