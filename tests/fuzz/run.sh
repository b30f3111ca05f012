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
PKGS="sqlite3 libpq jansson xlsxwriter minizip expat zlib libmicrohttpd libsodium pangocairo"
mkdir -p "$out"

# The targets are compiled with the sources they need rather than linked
# against libcore.a, which is built without -fsanitize=fuzzer coverage.
SRC="src/base/*.c src/ingest/*.c src/policy/*.c"
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -fno-omit-frame-pointer -Isrc -Itests/fuzz \
        $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lm"

status=0
npass=0
nfail=0
# FUZZ_RUNS=N: a fixed number of runs from a fixed seed (the brief,
# reproducible run of `make check`) instead of SECONDS of fuzzing.
if [ -n "${FUZZ_RUNS:-}" ]; then budget="-runs=$FUZZ_RUNS -seed=1"; else budget="-max_total_time=$secs"; fi
# Targets beyond the readers of ingest/policy need the rest of the core
# (every module but the CLI).
SRC_ALL=$(ls src/*/*.c | grep -v '^src/cli/')
for t in csv xlsx idcard policy dimacs scenario json_body field_time; do
    bin="$out/fuzz_$t"
    case $t in csv | xlsx | idcard | policy) src=$SRC ;; *) src=$SRC_ALL ;; esac
    echo "== fuzz_$t: building"
    # shellcheck disable=SC2086 # word splitting of the flag lists is intended
    if ! $CC $CFLAGS -o "$bin" "tests/fuzz/fuzz_$t.c" $src $LIBS -lpthread; then
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
