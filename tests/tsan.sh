#!/bin/sh
# tsan.sh - the threaded parts under ThreadSanitizer (`make check` runs it
# after the ASan tests): the unit tests (the solver's component and scan
# threads, the store), server.sh (the HTTP server's threads and the group-commit
# writer) and golden.sh (demo, match with its worker threads, the API), all
# built with -fsanitize=thread in build/tsan.
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
mkdir -p "$OUT/reports"
export TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp log_path=$OUT/reports/tsan second_deadlock_stack=1"
export ZHUCUN="$PWD/$BUILD/zhucun" BUILD ZC_TEST_OUT="$OUT"
unset ZC_TEST_PG
pass=0
fail=0
part() { # NAME LOG STATUS
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
    reports=$(ls "$OUT/reports" 2>/dev/null | wc -l)
    if [ -n "$line" ] && [ "$3" = 0 ] && [ "$reports" = 0 ]; then
        pass=$((pass + 1))
        echo "ok tsan/$1: $line, no ThreadSanitizer report"
    else
        fail=$((fail + 1))
        echo "FAIL tsan/$1: ${line:-no result line} (exit $3), $reports ThreadSanitizer report(s)"
        grep -E 'FAIL' "$2" | head -n 10
        for r in "$OUT/reports"/*; do
            [ -f "$r" ] && head -n 30 "$r"
        done
        mkdir -p "$OUT/reports-$1"
        mv "$OUT/reports"/* "$OUT/reports-$1"/ 2>/dev/null
    fi
}
"$BUILD/unit-tests" >"$OUT/unit.log" 2>&1
part unit "$OUT/unit.log" $?
for t in server golden; do
    sh "tests/cli/$t.sh" >"$OUT/$t.log" 2>&1
    part "$t" "$OUT/$t.log" $?
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
