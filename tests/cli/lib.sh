# lib.sh - helpers for CLI tests (sourced). Each check prints "ok NAME" or
# "FAIL NAME: why"; `finish` prints "N passed, N failed" and sets the status.
#   T=$(mktemp -d)            scratch dir, removed by finish
#   run zhucun args...        runs $ZHUCUN, stores $OUT $ERR $RC
#   expect_rc NAME N          last run exited with N
#   expect_out NAME TEXT      stdout contains TEXT
#   expect_err NAME TEXT      stderr contains TEXT
#   expect NAME CMD...        CMD succeeds
#   expect_eq NAME GOT WANT   GOT is WANT
#   zc_sql SQL                runs SQL on the test's database (sqlite3 or psql), rows as a|b
#   zc_sqlite_only NAME       true on SQLite; on PostgreSQL prints "skip NAME" and is false
#   zc_demo ARGS...           `run demo ARGS...`, its database copied from the run's cache
#   zc_demo_month POLICY      the demo, its plan published and July's field records (cached)
# With ZC_TEST_PG set (a libpq connection string, tests/pg/cluster.sh) the
# test runs against its own PostgreSQL database instead of a SQLite file.
set -u
: "${ZHUCUN:?set ZHUCUN to the zhucun binary}"
T=$(mktemp -d)
if [ -n "${ZC_TEST_PG:-}" ]; then
    ZC_BACKEND=postgresql
    ZC_GROUP_CONCAT=string_agg # what the test's own SQL calls group_concat
    # What an attacker with the database runs to lift audit_log's append-only guard.
    ZC_UNGUARD_AUDIT="ALTER TABLE audit_log DISABLE TRIGGER USER;"
    ZC_PGDB="zc_$(basename "$0" .sh)_$$"
    psql "$ZC_TEST_PG dbname=postgres" -qAtc "CREATE DATABASE $ZC_PGDB" >/dev/null
    export ZHUCUN_DB="$ZC_TEST_PG dbname=$ZC_PGDB"
else
    ZC_BACKEND=sqlite
    ZC_GROUP_CONCAT=group_concat
    ZC_UNGUARD_AUDIT="DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_log_no_update;"
    export ZHUCUN_DB="$T/zhucun.db"
fi
zc_sql() {
    if [ "$ZC_BACKEND" = postgresql ]; then
        psql "$ZHUCUN_DB" -qAt -F'|' -v ON_ERROR_STOP=1 -c "$1"
    else
        sqlite3 -batch "$ZHUCUN_DB" "$1"
    fi
}
# zc_db_copy NAME: a copy of the test's database; prints its --db value.
zc_db_copy() {
    if [ "$ZC_BACKEND" = postgresql ]; then
        psql "$ZC_TEST_PG dbname=postgres" -qAtc "DROP DATABASE IF EXISTS ${ZC_PGDB}_$1" >/dev/null 2>&1
        psql "$ZC_TEST_PG dbname=postgres" -qAtc "CREATE DATABASE ${ZC_PGDB}_$1 TEMPLATE $ZC_PGDB" >/dev/null
        echo "$ZC_TEST_PG dbname=${ZC_PGDB}_$1"
    else
        cp "$ZHUCUN_DB" "$T/$1.db"
        echo "$T/$1.db"
    fi
}
# zc_db_restore NAME: the test's database becomes the copy zc_db_copy NAME made.
zc_db_restore() {
    if [ "$ZC_BACKEND" = postgresql ]; then
        psql "$ZC_TEST_PG dbname=postgres" -qAtc "DROP DATABASE $ZC_PGDB WITH (FORCE)" >/dev/null
        psql "$ZC_TEST_PG dbname=postgres" -qAtc "CREATE DATABASE $ZC_PGDB TEMPLATE ${ZC_PGDB}_$1" >/dev/null
    else
        cp "$T/$1.db" "$ZHUCUN_DB"
    fi
}
# zc_cached NAME FUNC ARGS...: runs FUNC ARGS... (a function that runs
# commands with `run` and leaves $RC) through a cache that the test files of
# one run share ($ZC_TEST_OUT/demo-cache, emptied by tests/run.sh and
# tests/pg/run.sh): the first file to ask runs it and keeps the database it
# leaves (a SQLite file, or a PostgreSQL database zc_cache_KEY kept as a
# template), the last command's output and status; the others wait for it
# (flock) and get a copy. The key is NAME, the binary (size, mtime), the back
# end and every ZHUCUN_* setting but ZHUCUN_DB, so the copy is what the
# commands make. ZC_TEST_NO_DEMO_CACHE=1 runs them every time. Calls nest
# (zc_demo_month caches what zc_demo caches a part of).
_zc_cache_depth=0
zc_cached() {
    _name=$1
    shift
    _dc="${ZC_TEST_OUT:-}/demo-cache"
    if [ -z "${ZC_TEST_OUT:-}" ] || [ "${ZC_TEST_NO_DEMO_CACHE:-0}" = 1 ] || ! command -v flock >/dev/null; then
        "$@"
        return
    fi
    mkdir -p "$_dc"
    _key=$({
        ls -l --time-style=full-iso "$ZHUCUN"
        echo "$ZC_BACKEND $_name"
        env | grep '^ZHUCUN_' | grep -v '^ZHUCUN_DB=' | sort
    } | sha256sum | cut -c1-16)
    _zc_cache_depth=$((_zc_cache_depth + 1))
    eval "_zc_key_$_zc_cache_depth=\$_key" # a nested call sets _key again
    _fd=$((10 - _zc_cache_depth))
    eval "exec $_fd>\"\$_dc/\$_key.lock\""
    flock "$_fd"
    if [ -f "$_dc/$_key.rc" ]; then
        if [ "$ZC_BACKEND" = postgresql ]; then
            psql "$ZC_TEST_PG dbname=postgres" -qAtc "DROP DATABASE $ZC_PGDB WITH (FORCE)" >/dev/null
            psql "$ZC_TEST_PG dbname=postgres" -qAtc "CREATE DATABASE $ZC_PGDB TEMPLATE zc_cache_$_key" >/dev/null
        else
            rm -f "$ZHUCUN_DB-wal" "$ZHUCUN_DB-shm"
            cp "$_dc/$_key.db" "$ZHUCUN_DB"
            [ -f "$_dc/$_key.db-wal" ] && cp "$_dc/$_key.db-wal" "$ZHUCUN_DB-wal"
        fi
        cp "$_dc/$_key.out" "$T/out"
        cp "$_dc/$_key.err" "$T/err"
        RC=$(cat "$_dc/$_key.rc")
        OUT=$(cat "$T/out")
        ERR=$(cat "$T/err")
    else
        "$@"
        eval "_key=\$_zc_key_$_zc_cache_depth"
        if [ "$RC" = 0 ]; then
            if [ "$ZC_BACKEND" = postgresql ]; then
                psql "$ZC_TEST_PG dbname=postgres" -qAtc "DROP DATABASE IF EXISTS zc_cache_$_key" >/dev/null 2>&1
                psql "$ZC_TEST_PG dbname=postgres" -qAtc "CREATE DATABASE zc_cache_$_key TEMPLATE $ZC_PGDB" >/dev/null
            else
                cp "$ZHUCUN_DB" "$_dc/$_key.db"
                [ -f "$ZHUCUN_DB-wal" ] && cp "$ZHUCUN_DB-wal" "$_dc/$_key.db-wal"
            fi
            cp "$T/out" "$_dc/$_key.out"
            cp "$T/err" "$_dc/$_key.err"
            echo "$RC" >"$_dc/$_key.rc" # last: the copy is complete
        fi
    fi
    _fd=$((10 - _zc_cache_depth))
    flock -u "$_fd"
    eval "exec $_fd>&-"
    _zc_cache_depth=$((_zc_cache_depth - 1))
}
# zc_demo ARGS...: `run demo ARGS...` through the cache (zc_cached).
_zc_demo_run() { run demo "$@"; }
zc_demo() { zc_cached "demo $*" _zc_demo_run "$@"; }
# zc_demo_month POLICY: the mashan-2018 demo (as of 2018-06-17) with the plan
# `match --policy POLICY` makes published from 2018-06-20 and July's field
# records generated, through the cache: the start of the assessment and
# field-work tests. $RC is the first failing step's status (0 when all
# passed); $OUT and $ERR are `demo field`'s.
_zc_demo_month_run() {
    zc_demo --scenario mashan-2018 --no-serve --quiet
    [ "$RC" = 0 ] || return 0
    run match --policy "$1"
    [ "$RC" = 0 ] || return 0
    run plan publish 1 --start 2018-06-20
    [ "$RC" = 0 ] || return 0
    run demo field --month 2018-07
}
zc_demo_month() {
    ZHUCUN_TODAY=2018-06-17
    export ZHUCUN_TODAY
    zc_cached "demo-month $1" _zc_demo_month_run "$1"
}
# zc_sql_on DB SQL: zc_sql on another database (a --db value).
zc_sql_on() {
    if [ "$ZC_BACKEND" = postgresql ]; then
        psql "$1" -qAt -F'|' -v ON_ERROR_STOP=1 -c "$2"
    else
        sqlite3 -batch "$1" "$2"
    fi
}
# zc_jx KEY: the SQL for new_json's top-level KEY as text (audit entries).
zc_jx() {
    if [ "$ZC_BACKEND" = postgresql ]; then
        # JSON true/false read as SQLite's json_extract gives them: 1/0.
        echo "(CASE new_json::json ->> '$1' WHEN 'true' THEN '1' WHEN 'false' THEN '0' ELSE new_json::json ->> '$1' END)"
    else
        echo "json_extract(new_json, '\$.$1')"
    fi
}
zc_sqlite_only() {
    if [ "$ZC_BACKEND" = sqlite ]; then return 0; fi
    echo "skip $1 (SQLite only)"
    return 1
}
PASS=0
FAILS=0
OUT=""
ERR=""
RC=0
_ok() { PASS=$((PASS + 1)); echo "ok $1"; }
_fail() { FAILS=$((FAILS + 1)); echo "FAIL $1: $2"; }
run() {
    "$ZHUCUN" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}
expect_rc() {
    if [ "$RC" = "$2" ]; then _ok "$1"; else _fail "$1" "exit $RC, wanted $2; stderr: $(head -c 600 "$T/err")"; fi
}
expect_out() {
    if grep -qF -- "$2" "$T/out"; then _ok "$1"; else _fail "$1" "stdout lacks '$2': $(head -c 600 "$T/out")"; fi
}
expect_err() {
    if grep -qF -- "$2" "$T/err"; then _ok "$1"; else _fail "$1" "stderr lacks '$2': $(head -c 600 "$T/err")"; fi
}
expect_no_out() {
    if grep -qF -- "$2" "$T/out"; then _fail "$1" "stdout has '$2'"; else _ok "$1"; fi
}
expect_eq() { # NAME GOT WANT (several files still define their own, the same)
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
expect() {
    name=$1
    shift
    if "$@" >/dev/null 2>&1; then _ok "$name"; else _fail "$name" "command failed: $*"; fi
}
finish() {
    rm -rf "$T"
    if [ "$ZC_BACKEND" = postgresql ]; then
        for db in $(psql "$ZC_TEST_PG dbname=postgres" -qAtc "SELECT datname FROM pg_database WHERE datname = '$ZC_PGDB' OR datname LIKE '${ZC_PGDB}\_%'"); do
            psql "$ZC_TEST_PG dbname=postgres" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
        done
    fi
    echo "$PASS passed, $FAILS failed"
    [ "$FAILS" = 0 ]
    exit $?
}
# zc_idcard 17DIGITS -> the 18-character ID number with its GB 11643 check character.
zc_idcard() {
    echo "$1" | awk '{
        split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ");
        s = 0; for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i];
        printf "%s%s\n", $0, substr("10X98765432", s % 11 + 1, 1) }'
}
# zc_serve ARGS...   starts `zhucun serve --listen 127.0.0.1:PORT ARGS...` on a free
#                    port, its log in $T/server.log, and waits until it answers; sets
#                    PORT, BASE and SRV_PID; false if it did not come up. The server
#                    is stopped by zc_serve_stop, and on exit whatever happens.
# zc_serve_stop      SIGTERM, up to 10 s to finish, then SIGKILL; SRV_RC = its status.
SRV_PID=""
SRV_RC=""
zc_serve() {
    for off in 0 1 2 3 4 5 6 7; do
        PORT=$((20000 + ($$ + off * 131) % 9000))
        BASE="http://127.0.0.1:$PORT"
        curl -s -o /dev/null --max-time 1 "$BASE/" && continue
        "$ZHUCUN" serve --listen "127.0.0.1:$PORT" "$@" 2>>"$T/server.log" &
        SRV_PID=$!
        trap zc_serve_stop EXIT INT TERM
        i=0
        until curl -s -o /dev/null "$BASE/api/v1/session" || [ $i -ge 150 ]; do
            kill -0 "$SRV_PID" 2>/dev/null || break
            sleep 0.1
            i=$((i + 1))
        done
        kill -0 "$SRV_PID" 2>/dev/null && return 0
        SRV_PID=""
    done
    return 1
}
zc_serve_stop() {
    if [ -n "$SRV_PID" ]; then
        kill -TERM "$SRV_PID" 2>/dev/null
        i=0
        while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$SRV_PID" 2>/dev/null
        wait "$SRV_PID" 2>/dev/null
        SRV_RC=$?
        SRV_PID=""
    fi
}
# ---- HTTP helpers for the tests that talk to `zhucun serve` (after zc_serve) --------
#   zc_add_user NAME ARGS...  `zhucun user add NAME ARGS...` with password $PW; a failure is a FAIL
#   login NAME                POST /api/v1/session as NAME; TOK_NAME gets the token (a FAIL if none)
#   req USER METHOD PATH      curl as USER (TOK_USER) with $BODY (if set) as JSON: $CODE,
#                             $T/body, the headers in $T/head
#   expect_code NAME N        the last answer's status is N
#   expect_body NAME TEXT     its body holds TEXT; expect_no_body NAME TEXT: it does not
#   py CODE                   python3 CODE with d = the body's JSON (exit status = CODE's)
PW=${PW:-correct-horse-9}
zc_add_user() {
    echo "$PW" | "$ZHUCUN" user add "$@" --password-stdin >/dev/null 2>"$T/err" || _fail "user add $1" "$(cat "$T/err")"
}
login() {
    BODY="{\"user\":\"$1\",\"password\":\"$PW\"}"
    curl -s -o "$T/body" -X POST -H 'Content-Type: application/json' --data-binary "$BODY" "$BASE/api/v1/session"
    BODY=
    tok=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
    [ -n "$tok" ] || _fail "login $1" "$(cat "$T/body")"
    eval "TOK_$1=\$tok"
}
req() {
    auth=$1 m=$2 p=$3
    set -- -s -o "$T/body" -D "$T/head" -w '%{http_code}' -X "$m" --max-time 60
    eval "tok=\$TOK_$auth"
    set -- "$@" -H "Authorization: Bearer $tok"
    if [ -n "${BODY:-}" ]; then set -- "$@" -H 'Content-Type: application/json' --data-binary "$BODY"; fi
    CODE=$(curl "$@" "$BASE$p")
}
expect_code() {
    if [ "$CODE" = "$2" ]; then _ok "$1"; else _fail "$1" "status $CODE, wanted $2: $(head -c 300 "$T/body")"; fi
}
expect_body() {
    if grep -qF -- "$2" "$T/body"; then _ok "$1"; else _fail "$1" "body lacks '$2': $(head -c 300 "$T/body")"; fi
}
expect_no_body() {
    if grep -qF -- "$2" "$T/body"; then _fail "$1" "body has '$2'"; else _ok "$1"; fi
}
py() { python3 -c "import json,sys; d=json.load(open('$T/body')); $1"; }
