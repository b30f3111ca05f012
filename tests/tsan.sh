#!/bin/sh
# tsan.sh - the threaded parts under ThreadSanitizer (`make check` runs it
# after the ASan tests): the unit tests (the solver's component and scan
# threads, the store), server.sh (the HTTP server's threads and the group-commit
# writer), and with TSAN_GOLDEN=1 (make fuzz) golden.sh (demo, match with its
# worker threads, the API), all built with -fsanitize=thread in build/tsan.
#
#   sh tests/tsan.sh [BUILD]        (default build/tsan)
#
# A part passes when its own checks pass and ThreadSanitizer wrote no report
# (any report is a failure, whether or not the part noticed). Libraries that
# are not instrumented (pango, fontconfig, cairo) are suppressed in
# tests/tsan.supp; nothing of zhucun's own code may be.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build/tsan}
OUT=${ZC_TEST_OUT:-$PWD/tests/out}/tsan
rm -rf "$OUT"
mkdir -p "$OUT"
export ZHUCUN="$PWD/$BUILD/zhucun" BUILD
unset ZC_TEST_PG
pass=0
fail=0
# The three parts run side by side, each with its reports in a directory of
# its own (TSAN_OPTIONS log_path), so that a report is charged to its part.
run_part() { # NAME COMMAND...
    name=$1
    shift
    mkdir -p "$OUT/reports-$name" "$OUT/out-$name"
    TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp log_path=$OUT/reports-$name/tsan second_deadlock_stack=1" \
        ZC_TEST_OUT="$OUT/out-$name" "$@" >"$OUT/$name.log" 2>&1
    echo $? >"$OUT/$name.rc"
}
part() { # NAME
    log="$OUT/$1.log"
    st=$(cat "$OUT/$1.rc")
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    reports=$(ls "$OUT/reports-$1" 2>/dev/null | wc -l)
    if [ -n "$line" ] && [ "$st" = 0 ] && [ "$reports" = 0 ]; then
        pass=$((pass + 1))
        echo "ok tsan/$1: $line, no ThreadSanitizer report"
    else
        fail=$((fail + 1))
        echo "FAIL tsan/$1: ${line:-no result line} (exit $st), $reports ThreadSanitizer report(s)"
        grep -E 'FAIL' "$log" | head -n 10
        for r in "$OUT/reports-$1"/*; do
            [ -f "$r" ] && head -n 30 "$r"
        done
    fi
}
# golden.sh (the match workers on the whole demo ledger) ran after the unit
# tests in one lane: 445 s for the pass in make check, 366 s for the unit
# tests alone afterwards (2026-12-07, loaded machine); the unit tests already
# put two workers on small ledgers (model_certified_equals_full_model). It
# runs with TSAN_GOLDEN=1 (make fuzz sets it). The unit tests run a quarter
# of their random rounds here (ZT_ROUNDS=25, tests/unit/test.h; make fuzz
# runs them all): the
# randomized solver tests are where ThreadSanitizer spent its time, and
# their full counts run under ASan.
parts="unit server"
run_part server sh tests/cli/server.sh &
{
    run_part unit env ZT_ROUNDS="${ZT_ROUNDS:-25}" "$BUILD/unit-tests"
    if [ "${TSAN_GOLDEN:-0}" = 1 ]; then run_part golden sh tests/cli/golden.sh; fi
} &
wait
[ "${TSAN_GOLDEN:-0}" = 1 ] && parts="$parts golden"
for p in $parts; do part $p; done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
