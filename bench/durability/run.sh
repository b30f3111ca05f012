#!/bin/sh
# bench/durability/run.sh - kill -9 of the server under write load through the
# API, 20 times (issue 17): tests/cli/durability.sh with ZC_KILLS=20 (make
# check runs it with 3). Six writers (units, findings, households' causes);
# after each kill the server is restarted and every acknowledged write must
# be in the database, nothing half-written, the audit chain intact.
#   [ZC_KILLS=N] [ZC_TEST_PG=...] bench/durability/run.sh build/release/zhucun
set -eu
cd "$(dirname "$0")/../.."
ZHUCUN=$(realpath "${1:-build/release/zhucun}")
export ZHUCUN
export ZC_KILLS=${ZC_KILLS:-20}
sh tests/cli/durability.sh | grep -E '^#|passed|FAIL'
