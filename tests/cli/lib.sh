# lib.sh - helpers for CLI tests (sourced). Each check prints "ok NAME" or
# "FAIL NAME: why"; `finish` prints "N passed, N failed" and sets the status.
#   T=$(mktemp -d)            scratch dir, removed by finish
#   run zhucun args...        runs $ZHUCUN, stores $OUT $ERR $RC
#   expect_rc NAME N          last run exited with N
#   expect_out NAME TEXT      stdout contains TEXT
#   expect_err NAME TEXT      stderr contains TEXT
#   expect NAME CMD...        CMD succeeds
set -u
: "${ZHUCUN:?set ZHUCUN to the zhucun binary}"
T=$(mktemp -d)
export ZHUCUN_DB="$T/zhucun.db"
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
expect() {
    name=$1
    shift
    if "$@" >/dev/null 2>&1; then _ok "$name"; else _fail "$name" "command failed: $*"; fi
}
finish() {
    rm -rf "$T"
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
