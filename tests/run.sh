#!/bin/sh
# run.sh - run every test: unit tests, CLI tests, fuzz corpus replay.
# Each part prints "N passed, N failed" last; this script adds them up and
# prints the total as its own last line. Exit status 1 if anything failed.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/asan}
export ZHUCUN="$PWD/$BUILD/zhucun"
export ZC_TEST_OUT="$PWD/tests/out"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
mkdir -p "$ZC_TEST_OUT"
rm -rf "$ZC_TEST_OUT/demo-cache" # tests/cli/lib.sh zc_demo: a cache for one run
total_pass=0
total_fail=0

# Each part's wall time is printed beside its result, to keep `make check`
# inside its budget (the brief: well under 20 minutes) with figures.
started=$(date +%s)
t_begin=$started
phases="" # "name seconds" of each phase, printed before the total
phase() { # $1 = name: the seconds since the previous phase ended
    now=$(date +%s)
    phases="$phases $1 $((now - ${t_phase:-$t_begin}))s,"
    t_phase=$now
}
since() { # seconds since $started, then restart the clock
    now=$(date +%s)
    elapsed=$((now - started))
    started=$now
}

tally() { # $1 = name, $2 = log file, $3 = exit status, [$4 = seconds]
    secs=${4:-}
    if [ -z "$secs" ]; then
        since
        secs=$elapsed
    fi
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$1: no result line (exit $3)"
        tail -n 20 "$2"
        total_fail=$((total_fail + 1))
        return
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    if [ "$3" != 0 ] && [ "$f" = 0 ]; then
        f=1 # crashed or exited non-zero after its summary
        echo "$1: exited with status $3"
        tail -n 20 "$2"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    echo "$1: $line (${secs} s)"
    if [ "$f" != 0 ]; then
        grep -E 'FAIL|ERROR|runtime error|Sanitizer' "$2" | head -n 40
    fi
}

# The unit tests and the CLI test files run side by side, ZC_TEST_JOBS at
# a time (default: one per core, at most 4; tests/lanes.sh), the longest
# first so that the lanes end together; results are added up in this order.
JOBS=${ZC_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$JOBS" -gt 4 ] && JOBS=4
export ZC_TEST_JOBS=$JOBS
# The longest parts (seconds in an earlier run), then the rest. SERIAL
# parts time what they test against the clock (login delays of 2 s, bodies
# trickled at 40 kB/s, kill -9 under writers): they run afterwards, one at a
# time, alone.
LONG="cli/web cli/server cli/web_assess cli/web_households unit cli/assess cli/certify
cli/report cli/golden cli/assess_http cli/households cli/demo cli/field cli/outcomes"
SERIAL="cli/security cli/upload_memory cli/durability"
parts() {
    for p in $LONG; do echo "$p"; done
    for t in tests/cli/*.sh; do
        name=$(basename "$t" .sh)
        [ "$name" = lib ] && continue
        case " $(echo $LONG $SERIAL) " in *" cli/$name "*) continue ;; esac
        echo "cli/$name"
    done
}
res="$ZC_TEST_OUT/lanes-results.txt"
parts | sh tests/lanes.sh "$JOBS" "" "$res"
for p in $SERIAL; do echo "$p"; done | sh tests/lanes.sh 1 "" "$res.serial"
cat "$res.serial" >>"$res"
phase sqlite
since
for p in unit $({ parts; for p in $SERIAL; do echo "$p"; done; } | grep '^cli/' | sort); do
    line=$(grep "^$p " "$res" | head -n 1)
    if [ -z "$line" ]; then
        echo "$p: did not run"
        total_fail=$((total_fail + 1))
        continue
    fi
    set -- $line
    tally "$1" "$2" "$3" "$4"
done
# The same again on PostgreSQL (issue 16): a throwaway cluster
# (tests/pg/cluster.sh), the store's contract in the unit tests, and the CLI
# test files that pass on both back ends (tests/pg/files.txt says which do
# not yet, and why). Skipped when initdb is missing or ZC_TEST_NO_PG=1.
if [ "${ZC_TEST_NO_PG:-0}" != 1 ] && { command -v initdb >/dev/null 2>&1 ||
    [ -x /usr/lib/postgresql/15/bin/initdb ]; }; then
    log="$ZC_TEST_OUT/pg.log"
    sh tests/pg/cluster.sh run sh tests/pg/run.sh "$BUILD" >"$log" 2>&1
    pgrc=$?
    while read -r name plog prc psecs; do
        tally "pg/$name" "$plog" "$prc" "$psecs"
    done <"$ZC_TEST_OUT/pg-results.txt"
    since
    if [ ! -s "$ZC_TEST_OUT/pg-results.txt" ]; then
        tally "pg (cluster)" "$log" "$pgrc"
    fi
    phase postgresql
fi

for r in "$BUILD"/replay_fuzz_*; do
    [ -x "$r" ] || continue
    name=${r##*/replay_fuzz_}
    log="$ZC_TEST_OUT/fuzz-$name.log"
    "$r" "tests/fuzz/corpus/$name" >"$log" 2>&1
    tally "fuzz/$name" "$log" $?
done

# The libFuzzer targets, built with clang and run briefly from a fixed
# seed (`make check` sets FUZZ_RUNS; `make fuzz` runs them for longer).
if [ -n "${FUZZ_RUNS:-}" ]; then
    log="$ZC_TEST_OUT/fuzz-brief.log"
    sh tests/fuzz/run.sh 1 >"$log" 2>&1
    tally "fuzz/libfuzzer ($FUZZ_RUNS runs each)" "$log" $?
fi
phase fuzz

# The threaded parts again under ThreadSanitizer (`make check` builds
# build/tsan and sets TSAN_BUILD): tests/tsan.sh.
if [ -n "${TSAN_BUILD:-}" ]; then
    log="$ZC_TEST_OUT/tsan.log"
    sh tests/tsan.sh "$TSAN_BUILD" >"$log" 2>&1
    tally "tsan (unit, server${TSAN_GOLDEN:+, golden})" "$log" $?
    phase tsan
fi

echo "wall time:$phases total $(($(date +%s) - t_begin))s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
