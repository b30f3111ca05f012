#!/bin/sh
# servers.sh - three `zhucun serve` processes on one database, sharing
# nothing else (issue 16): a session made on one works on the others, a
# logout on one ends it everywhere, and audited writes sent through all three
# at once all succeed and leave one chain that verifies.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
P0=$((19000 + $$ % 300 * 3))
PIDS=""
stop_servers() {
    for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
    for p in $PIDS; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$p" 2>/dev/null
    done
    PIDS=""
}
trap stop_servers EXIT INT TERM

VA=450124203202
run init
run divisions load --only 450124
expect_rc "divisions load" 0
cat >"$T/villages.csv" <<CSV
code,poverty,states,hamlets,population,households,poor_households,poor_population,needs
$VA,deep,软穷,60,3200,800,210,900,driving
CSV
run import villages "$T/villages.csv"
expect_rc "import villages" 0
echo "correct-horse-9" | "$ZHUCUN" user add cty --role county --scope 450124 --password-stdin >/dev/null
for k in 0 1 2; do
    "$ZHUCUN" serve --listen "127.0.0.1:$((P0 + k))" --threads 4 2>"$T/server$k.log" &
    PIDS="$PIDS $!"
done
for k in 0 1 2; do
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$((P0 + k))/api/v1/session" || [ $i -ge 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
done
url() { echo "http://127.0.0.1:$((P0 + $1))$2"; }
code() { # SERVER METHOD PATH [BODY] -> status, body in $T/body
    if [ -n "${4:-}" ]; then
        curl -s -o "$T/body" -w '%{http_code}' --max-time 20 -X "$2" -H "Authorization: Bearer $TOK" \
            -H 'Content-Type: application/json' --data-binary "$4" "$(url "$1" "$3")"
    else
        curl -s -o "$T/body" -w '%{http_code}' --max-time 20 -X "$2" -H "Authorization: Bearer $TOK" \
            "$(url "$1" "$3")"
    fi
}
curl -s -o "$T/body" -H 'Content-Type: application/json' \
    --data-binary '{"user":"cty","password":"correct-horse-9"}' "$(url 0 /api/v1/session)"
TOK=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
if [ -n "$TOK" ]; then _ok "login on server 0"; else _fail "login on server 0" "$(cat "$T/body")"; fi
for k in 1 2; do
    expect_eq "the session made on server 0 works on server $k" "$(code $k GET "/api/v1/villages/$VA")" 200
done

# Writes through all three at once: each PATCH is audited.
N=30
before=$(zc_sql "SELECT count(*) FROM audit_log")
pids=""
for i in $(seq 1 $N); do
    k=$((i % 3))
    (c=$(code $k PATCH "/api/v1/villages/$VA" "{\"hamlets\":$((60 + i))}")
     echo "$c" >"$T/w$i.code") &
    pids="$pids $!"
done
for p in $pids; do wait "$p"; done
ok=0
for i in $(seq 1 $N); do [ "$(cat "$T/w$i.code")" = 200 ] && ok=$((ok + 1)); done
expect_eq "all $N concurrent writes through three servers succeed" "$ok" "$N"
after=$(zc_sql "SELECT count(*) FROM audit_log")
expect_eq "one audit entry per write" "$((after - before))" "$N"
expect_eq "seq has no gaps" "$(zc_sql "SELECT max(seq) - min(seq) + 1 - count(*) FROM audit_log")" 0

# A logout on server 1 ends the session on the others.
expect_eq "logout on server 1" "$(code 1 DELETE /api/v1/session)" 200
expect_eq "the session is gone on server 2" "$(code 2 GET "/api/v1/villages/$VA")" 401
expect_eq "the session is gone on server 0" "$(code 0 GET "/api/v1/villages/$VA")" 401
stop_servers
run audit verify
expect_rc "the chain verifies after the concurrent writes" 0
finish
