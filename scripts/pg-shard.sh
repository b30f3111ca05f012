#!/bin/sh
# pg-shard.sh - spread the check-ins (the largest write stream: 3 million a
# day for the nation) over several PostgreSQL servers by province, with
# PostgreSQL's own machinery: declarative partitioning on the coordinator
# (the zhucun database every zhucun process talks to) and postgres_fdw
# foreign partitions on the shard servers (docs/scale.md).
#
#   scripts/pg-shard.sh COORDINATOR --shard CONNINFO --provinces 45,46 [--shard ... --provinces ...]
#
# COORDINATOR is the libpq connection string (or URL) of a database made by
# `zhucun init`; each CONNINFO names a database on a shard server (created
# here if missing) and the provinces (2-digit codes) whose check-ins it holds.
# The partition key is the village's division code itself: province PP holds
# the codes PP0000000000 .. PP9999999999, a county PPCCDD the codes
# PPCCDD000000 .. PPCCDD999999, so a county's rows always sit on one server.
# Check-ins without a village, and of provinces no shard holds, stay on the
# coordinator (the default partition: the old table, rows and indexes kept).
#
# What this does not give (docs/scale.md): unique keys are per shard (the
# id comes from the coordinator's sequence, so it stays unique; client_id is
# unique per province's table, and a resend always goes to the same shard because it
# carries the same village); foreign keys from a shard's rows to cadre and
# division are not checked across servers; and zhucun's own check-in INSERT
# says ON CONFLICT (client_id), which a partitioned table only takes with the
# partition key in the unique key, and postgres_fdw not at all - that write
# needs a change before it runs here. Reads and plain INSERTs run unchanged.
set -eu
[ $# -ge 3 ] || {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
}
COORD=$1
shift
q() { psql "$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }
# key=value parts of a connection string, for CREATE SERVER's options
opt() { # CONNINFO KEY -> value or ""
    echo " $1 " | sed -n "s/.* $2=\([^ ]*\) .*/\1/p" | tr -d "'"
}
cols=$(q "$COORD" "SELECT string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod)
    || CASE WHEN atttypid = 'text'::regtype THEN ' COLLATE \"C\"' ELSE '' END
    || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY attnum)
    FROM pg_attribute WHERE attrelid = 'checkin'::regclass AND attnum > 0 AND NOT attisdropped")
[ -n "$cols" ] || { echo "pg-shard: no checkin table on the coordinator; run 'zhucun init' first" >&2; exit 1; }
if [ "$(q "$COORD" "SELECT relkind FROM pg_class WHERE oid = 'checkin'::regclass")" = p ]; then
    echo "pg-shard: checkin is partitioned already" >&2
    exit 1
fi
ddl="CREATE EXTENSION IF NOT EXISTS postgres_fdw;
ALTER TABLE checkin RENAME TO checkin_local;
CREATE TABLE checkin (LIKE checkin_local INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE (village);
SELECT setval(pg_get_serial_sequence('checkin', 'id'), coalesce((SELECT max(id) FROM checkin_local), 0) + 1, false);
ALTER TABLE checkin_local ALTER COLUMN id DROP IDENTITY;
ALTER TABLE checkin ATTACH PARTITION checkin_local DEFAULT;"
n=0
while [ $# -gt 0 ]; do
    [ "$1" = --shard ] && [ $# -ge 4 ] && [ "$3" = --provinces ] || {
        echo "pg-shard: expected --shard CONNINFO --provinces PP[,PP...]" >&2
        exit 64
    }
    shard=$2
    provs=$4
    shift 4
    n=$((n + 1))
    db=$(opt "$shard" dbname)
    [ -n "$db" ] || { echo "pg-shard: $shard names no dbname" >&2; exit 64; }
    if ! psql "$shard" -qAt -c "SELECT 1" >/dev/null 2>&1; then
        q "$(echo "$shard" | sed "s/dbname=[^ ]*/dbname=postgres/")" \
            "CREATE DATABASE \"$db\" ENCODING 'UTF8' TEMPLATE template0"
    fi
    srvopts=""
    for k in host port dbname; do
        v=$(opt "$shard" $k)
        [ -n "$v" ] && srvopts="$srvopts${srvopts:+, }$k '$v'"
    done
    user=$(opt "$shard" user)
    ddl="$ddl
CREATE SERVER zc_shard$n FOREIGN DATA WRAPPER postgres_fdw OPTIONS ($srvopts);
CREATE USER MAPPING FOR CURRENT_USER SERVER zc_shard$n OPTIONS (user '${user:-$(id -un)}');"
    for p in $(echo "$provs" | tr ',' ' '); do
        case $p in [1-9][0-9]) ;; *) echo "pg-shard: '$p' is not a 2-digit province code" >&2; exit 64 ;; esac
        # One table per province on the shard: a foreign scan reads its
        # whole remote table, so two provinces must not share one.
        q "$shard" "CREATE TABLE IF NOT EXISTS checkin_p$p ($cols, PRIMARY KEY (id), UNIQUE (client_id),
                CHECK (village >= ${p}0000000000 AND village < $((p + 1))0000000000));
            CREATE INDEX IF NOT EXISTS checkin_p${p}_cadre_at ON checkin_p$p(cadre, at);
            CREATE INDEX IF NOT EXISTS checkin_p${p}_village_at ON checkin_p$p(village, at)"
        ddl="$ddl
CREATE FOREIGN TABLE checkin_p$p PARTITION OF checkin FOR VALUES FROM (${p}0000000000) TO ($((p + 1))0000000000)
    SERVER zc_shard$n OPTIONS (table_name 'checkin_p$p');"
    done
done
# One transaction on the coordinator: all of it or none.
psql "$COORD" -v ON_ERROR_STOP=1 -qAt -1 -c "$ddl" >/dev/null
echo "pg-shard: checkin partitioned by province over $n shard(s):"
q "$COORD" "SELECT '  ' || c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) || coalesce(' on ' || s.srvname, ' (here)')
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    LEFT JOIN pg_foreign_table f ON f.ftrelid = c.oid LEFT JOIN pg_foreign_server s ON s.oid = f.ftserver
    WHERE i.inhparent = 'checkin'::regclass ORDER BY c.relname"
