#!/bin/sh
# cluster.sh - a throwaway PostgreSQL cluster for the tests.
#
#   tests/pg/cluster.sh run CMD [ARGS...]
#       initdb into a temporary directory, start the server on a Unix socket
#       there (no TCP), run CMD with ZC_TEST_PG set to the libpq connection
#       string of the cluster ("host=DIR user=postgres"), then stop the server
#       and remove the directory, whatever CMD did. Exits with CMD's status.
#   tests/pg/cluster.sh start DIR   /   tests/pg/cluster.sh stop DIR
#       the same in two steps (start prints the connection string).
#
# tests/cli/lib.sh gives every test file its own database in the cluster
# when ZC_TEST_PG is set. initdb and pg_ctl come from Debian's
# postgresql-15 (scripts/bootstrap.sh). The server refuses to run as root,
# so as root it runs as the `postgres` user the package creates.
set -eu

PGBIN=${PGBIN:-}
if [ -z "$PGBIN" ]; then
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        PGBIN=/usr/lib/postgresql/15/bin
    else
        PGBIN=$(dirname "$(command -v initdb)")
    fi
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() { # $1 = directory (created, must not exist or be empty)
    dir=$1
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    # A throwaway cluster: no fsync (the data dies with the test) unless
    # ZC_PG_DURABLE=1 (benchmarks: commits on disk as in production), the
    # socket in the directory, no TCP port to collide with another run.
    opts="-k $dir -c listen_addresses= -c max_connections=150"
    if [ "${ZC_PG_DURABLE:-0}" = 1 ]; then
        opts="$opts -c shared_buffers=256MB -c max_wal_size=4GB"
    else
        opts="$opts -c fsync=off -c full_page_writes=off -c shared_buffers=32MB"
    fi
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start \
        >/dev/null ||
        { cat "$dir/server.log" >&2; return 1; }
    echo "host=$dir user=postgres"
}

stop() {
    dir=$1
    if [ -d "$dir/data" ]; then
        as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start "$2" ;;
stop) stop "$2" ;;
run)
    shift
    dir=$(mktemp -d "${TMPDIR:-/tmp}/zcpg.XXXXXX")
    rmdir "$dir"
    trap 'stop "$dir"' EXIT INT TERM
    ZC_TEST_PG=$(start "$dir")
    export ZC_TEST_PG
    set +e
    "$@"
    rc=$?
    set -e
    exit "$rc"
    ;;
*)
    echo "usage: $0 run CMD [ARGS...] | start DIR | stop DIR" >&2
    exit 64
    ;;
esac
