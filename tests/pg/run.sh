#!/bin/sh
# run.sh BUILD - inside a cluster from tests/pg/cluster.sh (ZC_TEST_PG set):
# the store's contract from the unit tests, then every CLI test file listed
# in tests/pg/files.txt, each with its own database (tests/cli/lib.sh).
# Writes "NAME LOG STATUS" lines to $ZC_TEST_OUT/pg-results.txt for
# tests/run.sh to add up.
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build/asan}
: "${ZC_TEST_PG:?run me through tests/pg/cluster.sh run}"
: "${ZC_TEST_OUT:=$PWD/tests/out}"
res="$ZC_TEST_OUT/pg-results.txt"
: >"$res"
log="$ZC_TEST_OUT/pg-unit.log"
t0=$(date +%s)
"$BUILD/unit-tests" store_ >"$log" 2>&1
echo "unit(store) $log $? $(($(date +%s) - t0))" >>"$res"
grep -v '^#\|^-\|^$' tests/pg/files.txt | while read -r name; do
    log="$ZC_TEST_OUT/pg-cli-$name.log"
    t0=$(date +%s)
    sh "tests/cli/$name.sh" >"$log" 2>&1
    echo "cli/$name $log $? $(($(date +%s) - t0))" >>"$res"
done
# Past one server: check-ins spread by province over two more clusters.
log="$ZC_TEST_OUT/pg-shard.log"
t0=$(date +%s)
sh tests/pg/shard.sh >"$log" 2>&1
echo "shard $log $? $(($(date +%s) - t0))" >>"$res"
