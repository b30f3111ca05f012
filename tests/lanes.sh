#!/bin/sh
# lanes.sh - run test parts side by side, JOBS at a time (tests/run.sh and
# tests/pg/run.sh). Each line of standard input names one part:
#   unit[:FILTER]   the unit tests (those whose name starts with FILTER)
#   cli/NAME        tests/cli/NAME.sh
#   shard           tests/pg/shard.sh
# Each part's output goes to $ZC_TEST_OUT/PREFIX<part>.log (unit.log,
# cli-NAME.log, ...), and a line "PART LOG STATUS SECONDS" is appended to
# RESULTS when it ends, in the order the parts end; the caller reads them
# back in its own order. Parts must not share files or ports: every CLI test
# has its own scratch directory, database and free port (tests/cli/lib.sh).
#
#   sh tests/lanes.sh JOBS PREFIX RESULTS <parts
set -u
cd "$(dirname "$0")/.."
if [ "${1:-}" = --one ]; then # one part (what xargs runs)
    prefix=$2 results=$3 part=$4
    case $part in
    unit*) log="$ZC_TEST_OUT/${prefix}unit.log" ;;
    cli/*) log="$ZC_TEST_OUT/${prefix}cli-${part#cli/}.log" ;;
    *) log="$ZC_TEST_OUT/${prefix}$part.log" ;;
    esac
    t0=$(date +%s)
    case $part in
    unit:*) "$BUILD/unit-tests" "${part#unit:}" >"$log" 2>&1 ;;
    unit) "$BUILD/unit-tests" >"$log" 2>&1 ;;
    cli/*) sh "tests/cli/${part#cli/}.sh" >"$log" 2>&1 ;;
    shard) sh tests/pg/shard.sh >"$log" 2>&1 ;;
    *) echo "lanes.sh: unknown part $part" >"$log" && false ;;
    esac
    rc=$?
    echo "$part $log $rc $(($(date +%s) - t0))" >>"$results"
    exit 0
fi
jobs=$1 prefix=$2 results=$3
: "${BUILD:?}" "${ZC_TEST_OUT:?}"
export BUILD ZC_TEST_OUT
: >"$results"
xargs -d '\n' -P "$jobs" -n 1 sh tests/lanes.sh --one "$prefix" "$results"
