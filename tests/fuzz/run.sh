#!/bin/sh
# run.sh SECONDS - build each libFuzzer target with clang-14 (fuzzer, ASan,
# UBSan) and run it for SECONDS against its corpus in tests/fuzz/corpus/NAME
# (or FUZZ_RUNS runs from seed 1: `make check` runs every target briefly).
#
# New interesting inputs go to build/fuzz/new-NAME/ (scratch, not the
# committed corpus); crashes to build/fuzz/crash-NAME-*. Copy a crasher into
# tests/fuzz/corpus/NAME/ once it is fixed, so `make check` replays it.
# Exit status 1 if any target crashed or failed to build.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build/fuzz
CC=${FUZZ_CC:-clang-14}
JOBS=$(nproc 2>/dev/null || echo 2)
mkdir -p "$out"

status=0
npass=0
nfail=0
# FUZZ_RUNS=N: a fixed number of runs from a fixed seed (the brief,
# reproducible run of `make check`) instead of SECONDS of fuzzing.
if [ -n "${FUZZ_RUNS:-}" ]; then budget="-runs=$FUZZ_RUNS -seed=1"; else budget="-max_total_time=$secs"; fi
for t in csv xlsx idcard policy dimacs scenario json_body field_time; do
    bin="$out/fuzz_$t"
    echo "== fuzz_$t: building"
    # The core's objects are compiled once, by the first target (tests/fuzz/fuzz.mk).
    if ! make --no-print-directory -s -f tests/fuzz/fuzz.mk -j"$JOBS" CC="$CC" "$bin"; then
        echo "fuzz_$t: build failed"
        status=1
        nfail=$((nfail + 1))
        continue
    fi
    mkdir -p "$out/new-$t"
    echo "== fuzz_$t: running for ${secs}s"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$bin" $budget -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$out/crash-$t-" \
        "$out/new-$t" "tests/fuzz/corpus/$t" >"$out/fuzz_$t.log" 2>&1
    rc=$?
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done)' "$out/fuzz_$t.log"
    if [ $rc != 0 ]; then
        echo "fuzz_$t: FAILED (exit $rc); see $out/fuzz_$t.log"
        grep -E 'ERROR|SUMMARY|Test unit written' "$out/fuzz_$t.log" | head -n 10
        status=1
        nfail=$((nfail + 1))
    else
        echo "fuzz_$t: ok"
        npass=$((npass + 1))
    fi
done
echo "$npass passed, $nfail failed"
exit $status
