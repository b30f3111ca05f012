#!/bin/sh
# run.sh - `make bench`: every benchmark suite under bench/*/run.sh, in turn.
# Each suite builds its peers, runs them side by side with zhucun in one run,
# and appends its table to bench/out/; bench/RESULTS.md records the results
# with the exact commands.
set -eu
cd "$(dirname "$0")/.."
ZHUCUN=${1:-build/release/zhucun}
mkdir -p bench/out
for s in bench/*/run.sh; do
    [ -x "$s" ] || continue
    echo "== $s"
    "$s" "$ZHUCUN"
done
