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
# ASan's quarantine at 32 MiB instead of 256 on PostgreSQL: libpq's
# single-row mode (store_pg.c streams every read) allocates a PGresult of
# about 3 KiB a row, and with 256 MiB in quarantine each of them is fresh,
# page-faulted memory: an assessment command on the mashan month spent 2.0 s
# of its 2.3 s CPU there (0.6 s with 32 MiB; release builds are unaffected).
# Memory freed in the last 32 MiB of allocations is still caught.
case ${ASAN_OPTIONS:-} in
*quarantine_size_mb*) ;;
*) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=32" ;;
esac
: >"$res"
rm -rf "$ZC_TEST_OUT/demo-cache" # tests/cli/lib.sh zc_demo: a cache for one run
# Side by side as on SQLite (tests/lanes.sh; each test file has a database
# of its own in the cluster), the slowest first; the shard test starts two
# more clusters of its own.
# security, upload_memory and durability time against the clock, and
# pg_reconnect restarts the cluster under everyone: alone, after.
{
    for name in assess_http assess field server households; do
        grep -qx "$name" tests/pg/files.txt && echo "cli/$name"
    done
    echo "unit:store_"
    echo shard
    grep -v '^#\|^-\|^$' tests/pg/files.txt |
        grep -vx 'assess_http\|assess\|field\|server\|households\|security\|upload_memory\|durability\|pg_reconnect' |
        sed 's|^|cli/|'
} | BUILD=$BUILD sh tests/lanes.sh "${ZC_TEST_JOBS:-2}" pg- "$res.tmp"
for name in pg_reconnect security upload_memory durability; do
    grep -qx "$name" tests/pg/files.txt && echo "cli/$name"
done | BUILD=$BUILD sh tests/lanes.sh 1 pg- "$res.serial"
cat "$res.serial" >>"$res.tmp"
rm -f "$res.serial"
# In the order tests/run.sh has always added them up: the unit tests, the
# files as listed, the shard test.
{
    grep '^unit:store_ ' "$res.tmp" | sed 's/^unit:store_ /unit(store) /'
    grep -v '^#\|^-\|^$' tests/pg/files.txt | while read -r name; do grep "^cli/$name " "$res.tmp"; done
    grep '^shard ' "$res.tmp"
} >>"$res"
rm -f "$res.tmp"
