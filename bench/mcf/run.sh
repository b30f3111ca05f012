#!/bin/sh
# run.sh - min-cost-flow benchmark: zhucun solve against LEMON's algorithms
# on the same generated instances, in one run. Prints a markdown table (wall
# time of the whole process and of the solve alone, peak RSS, cost) and
# fails if any two solvers disagree on the optimal cost.
#   bench/mcf/run.sh ZHUCUN            sizes S and M
#   BENCH_SIZES="S" bench/mcf/run.sh ZHUCUN
#   BENCH_FILES="f.min" ...            also these DIMACS files (e.g. the
#                                      hebei-2016 network bench/match/run.sh
#                                      writes)
#   BENCH_L=1 bench/mcf/run.sh ZHUCUN  also L (3M x 3M, zhucun only, binary
#                                      instance piped from the generator)
#   BENCH_TIMEOUT=600                  seconds before a solver is killed
#   BENCH_REPEAT=3                     rounds per size; each round runs every
#                                      solver once, side by side
set -eu
ZHUCUN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
FILES=""
for f in ${BENCH_FILES:-}; do # as given from the caller's directory
    FILES="$FILES $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
done
cd "$(dirname "$0")"
OUT=${BENCH_OUT:-../out/mcf}
SIZES=${BENCH_SIZES-S M} # BENCH_SIZES="" runs no generated size
TMO=${BENCH_TIMEOUT:-600}
REPEAT=${BENCH_REPEAT:-3}
LEMON_ALGS=${BENCH_LEMON:-ns-block ns-candidate cs cap}
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

cc -O2 -o "$OUT/gen" gen.c
if [ -f /usr/include/lemon/network_simplex.h ]; then
    g++ -O2 -o "$OUT/lemon_solve" lemon_solve.cc -llemon
else
    echo "run.sh: liblemon-dev is missing; LEMON rows skipped" >&2
    LEMON_ALGS=""
fi

# row NAME SIZE COMMAND... : run, record "| size | name | wall | solve | MiB | cost |"
row() {
    name=$1 size=$2
    shift 2
    if timeout "$TMO" /usr/bin/time -f '%e %M' -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr"; then
        wall=$(cut -d' ' -f1 "$OUT/time")
        rss=$(( $(cut -d' ' -f2 "$OUT/time") / 1024 ))
        cost=$(sed -n 's/^s //p' "$OUT/stdout" | head -n 1)
        solve=$(sed -n 's/^c solve \([0-9.]*\) s.*/\1/p' "$OUT/stderr" | head -n 1)
    else
        wall="> $TMO (killed)" rss="-" cost="-" solve="-"
    fi
    echo "| $size | $name | $wall | $solve | $rss | $cost |" | tee -a "$OUT/table.md"
    [ "$cost" = "-" ] || echo "$size $cost" >>"$OUT/costs"
}

: >"$OUT/table.md"
: >"$OUT/costs"
echo "| size | solver | wall s | solve s | peak MiB | cost |" | tee -a "$OUT/table.md"
echo "|---|---|---|---|---|---|" | tee -a "$OUT/table.md"
for size in $SIZES; do
    inst="$OUT/$size.min"
    [ -s "$inst" ] || "$OUT/gen" --size "$size" -o "$inst"
    rep=1
    while [ "$rep" -le "$REPEAT" ]; do
        row "zhucun solve (auto: transportation path)" "$size" "$ZHUCUN" solve --stats "$inst"
        [ "$rep" -gt 1 ] || [ "${BENCH_SIMPLEX:-1}" = 0 ] ||
            row "zhucun solve --algorithm simplex" "$size" "$ZHUCUN" solve --stats --algorithm simplex "$inst"
        for alg in $LEMON_ALGS; do
            row "LEMON $alg" "$size" "$OUT/lemon_solve" "$alg" "$inst"
        done
        rep=$((rep + 1))
    done
done
# Networks from outside the generator, by file: BENCH_FILES="a.min b.min"
# (e.g. bench/out/mcf/hebei-2016.min, which bench/match/run.sh writes with
# `zhucun match --network-out`: the real dispatch network of a scenario).
for inst in $FILES; do
    label=$(basename "$inst" .min)
    rep=1
    while [ "$rep" -le "$REPEAT" ]; do
        row "zhucun solve (auto)" "$label" "$ZHUCUN" solve --stats "$inst"
        for alg in $LEMON_ALGS; do
            row "LEMON $alg" "$label" "$OUT/lemon_solve" "$alg" "$inst"
        done
        rep=$((rep + 1))
    done
done
if [ "${BENCH_L:-0}" = 1 ]; then
    [ -s "$OUT/L.bin" ] || "$OUT/gen" --size L --binary -o "$OUT/L.bin"
    row "zhucun solve --threads 2 (auto)" L "$ZHUCUN" solve --stats --threads 2 "$OUT/L.bin"
fi

# Every solver that finished must agree on each size's optimum.
bad=$(sort -u "$OUT/costs" | cut -d' ' -f1 | uniq -d)
if [ -n "$bad" ]; then
    echo "run.sh: solvers disagree on the optimal cost for: $bad" >&2
    cat "$OUT/costs" >&2
    exit 1
fi
echo "costs agree"
