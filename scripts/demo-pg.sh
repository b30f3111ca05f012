#!/bin/sh
# demo-pg.sh - `make demo-pg`: the demo of `make demo` on PostgreSQL.
#
#   scripts/demo-pg.sh [ZHUCUN]
#
# With ZHUCUN_PG set (the URL or libpq connection string of a server you run,
# without a database name) the demo database is zhucun_demo on that server.
# Otherwise the demo runs in a throwaway cluster of its own
# (tests/pg/cluster.sh: initdb into a temporary directory, a Unix socket,
# stopped and removed when the demo's server stops, Ctrl-C included).
set -eu
cd "$(dirname "$0")/.."
Z=${1:-build/release/zhucun}
if [ -n "${ZHUCUN_PG:-}" ]; then
    exec sh scripts/demo.sh "$Z" "$ZHUCUN_PG dbname=zhucun_demo"
fi
exec sh tests/pg/cluster.sh run sh -c 'echo "demo-pg: PostgreSQL cluster: $ZC_TEST_PG";
    exec sh scripts/demo.sh "$1" "$ZC_TEST_PG dbname=zhucun_demo"' demo-pg "$Z"
