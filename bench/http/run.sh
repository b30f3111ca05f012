#!/bin/sh
# bench/http/run.sh - the server under wrk on loopback (issue 4): authenticated
# reads of one village record, durable writes (findings, group commit), and a
# trivial libmicrohttpd handler as the reference, in one run.
#   bench/http/run.sh build/release/zhucun [SECONDS] [CONNECTIONS]
# Needs wrk (BOOTSTRAP_BENCH=1 scripts/bootstrap.sh) and a C compiler.
set -eu
ZHUCUN=$(realpath "${1:?usage: run.sh ZHUCUN [SECONDS] [CONNECTIONS]}")
SECS=${2:-10}
CONNS=${3:-64}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
PORT=$((19000 + $$ % 500))
PIDS=""
cleanup() {
    for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
    for p in $PIDS; do wait "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (BOOTSTRAP_BENCH=1 scripts/bootstrap.sh)" >&2; exit 1; }

wait_port() {
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$1/" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
}
summary() { # NAME FILE
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$2")
    p50=$(sed -n 's/^ *50% *\([0-9.]*[a-z]*\).*/\1/p' "$2")
    p99=$(sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$2")
    errs=$(grep -E 'Non-2xx|Socket errors' "$2" | tr '\n' ' ' || true)
    printf '%-34s %10s req/s   p50 %-8s p99 %-8s %s\n' "$1" "$rps" "$p50" "$p99" "$errs"
}

export ZHUCUN_DB="$T/bench.db"
"$ZHUCUN" init >/dev/null
"$ZHUCUN" divisions load --only 450124 >/dev/null
printf 'code,poverty,states,hamlets,population,households,poor_households,poor_population,needs\n450124203202,deep,软穷,60,3200,800,210,900,driving\n' >"$T/v.csv"
"$ZHUCUN" import villages "$T/v.csv" >/dev/null
echo "bench-password" | "$ZHUCUN" user add bench --role county --scope 450124 --password-stdin >/dev/null
echo "bench-password" | "$ZHUCUN" user add insp --role inspector --scope 450124 --password-stdin >/dev/null

cc -O2 -o "$T/trivial" "$HERE/trivial.c" $(pkg-config --cflags --libs libmicrohttpd)

echo "machine: $(nproc) cores, $(uname -r); wrk -t2 -c$CONNS -d${SECS}s --latency; server threads $THREADS"
"$ZHUCUN" serve --listen "127.0.0.1:$PORT" --threads "$THREADS" 2>"$T/server.log" &
PIDS="$!"
wait_port "$PORT"
login() {
    curl -s -H 'Content-Type: application/json' --data "{\"user\":\"$1\",\"password\":\"bench-password\"}" \
        "http://127.0.0.1:$PORT/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
TOKEN=$(login bench)
ITOKEN=$(login insp)
[ -n "$TOKEN" ] && [ -n "$ITOKEN" ] || { echo "run.sh: login failed" >&2; cat "$T/server.log" >&2; exit 1; }

"$T/trivial" $((PORT + 1)) "$THREADS" &
PIDS="$PIDS $!"
wait_port $((PORT + 1))

wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$((PORT + 1))/" >"$T/trivial.out"
ZC_TOKEN=$TOKEN wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$HERE/read.lua" \
    "http://127.0.0.1:$PORT/api/v1/villages/450124203202" >"$T/read.out"
before=$(sqlite3 "$ZHUCUN_DB" "SELECT count(*) FROM audit_log")
ZC_TOKEN=$ITOKEN ZC_VILLAGE=450124203202 wrk -t2 -c"$((CONNS * 2))" -d"${SECS}s" --latency \
    -s "$HERE/write.lua" "http://127.0.0.1:$PORT/api/v1/findings" >"$T/write.out"
after=$(sqlite3 "$ZHUCUN_DB" "SELECT count(*) FROM audit_log")

summary "trivial libmicrohttpd handler" "$T/trivial.out"
summary "GET /api/v1/villages/CODE (auth)" "$T/read.out"
summary "POST /api/v1/findings (durable)" "$T/write.out"
echo "committed findings: $((after - before)) in ${SECS}s = $(((after - before) / SECS))/s"
"$ZHUCUN" audit verify | sed 's/^/audit verify: /'
[ "${VERBOSE:-0}" = 1 ] && cat "$T/trivial.out" "$T/read.out" "$T/write.out"
exit 0
