#!/bin/sh
# pg_reconnect.sh - a `zhucun serve` whose PostgreSQL server restarts under
# it (issue 16): its connections are lost; the next requests are answered
# again (reads and audited writes) without restarting zhucun, and the chain
# verifies. On PostgreSQL only the restart has a meaning; on SQLite the same
# requests run without one (the server simply goes on).
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
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
zc_serve --threads 2 || _fail "the server starts" "$(tail -5 "$T/server.log")"
code() { # METHOD PATH [BODY] -> status, body in $T/body
    if [ -n "${3:-}" ]; then
        curl -s -o "$T/body" -w '%{http_code}' --max-time 30 -X "$1" -H "Authorization: Bearer $TOK" \
            -H 'Content-Type: application/json' --data-binary "$3" "$BASE$2"
    else
        curl -s -o "$T/body" -w '%{http_code}' --max-time 30 -X "$1" -H "Authorization: Bearer $TOK" \
            "$BASE$2"
    fi
}
curl -s -o "$T/body" -H 'Content-Type: application/json' \
    --data-binary '{"user":"cty","password":"correct-horse-9"}' "$BASE/api/v1/session"
TOK=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
if [ -n "$TOK" ]; then _ok "login"; else _fail "login" "$(cat "$T/body")"; fi
# Both worker threads have used their connection before the restart.
for i in 1 2 3 4; do
    expect_eq "read $i before the restart" "$(code GET "/api/v1/villages/$VA")" 200
done
expect_eq "a write before the restart" "$(code PATCH "/api/v1/villages/$VA" '{"hamlets":61}')" 200

if [ "$ZC_BACKEND" = postgresql ]; then
    dir=$(echo "$ZC_TEST_PG" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
    pgctl=/usr/lib/postgresql/15/bin/pg_ctl
    [ -x "$pgctl" ] || pgctl=pg_ctl
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$pgctl" -D "$dir/data" -m fast -w restart >"$T/restart.log" 2>&1
    else
        "$pgctl" -D "$dir/data" -m fast -w restart >"$T/restart.log" 2>&1
    fi
    expect_eq "the PostgreSQL server restarts" "$?" 0
fi

# Every request after the restart is answered: the lost connections are
# made again, each on its first use.
for i in 1 2 3 4; do
    expect_eq "read $i after the restart" "$(code GET "/api/v1/villages/$VA")" 200
done
expect_out_body() { if grep -qF -- "$2" "$T/body"; then _ok "$1"; else _fail "$1" "$(head -c 300 "$T/body")"; fi; }
expect_out_body "the village as written before the restart" '"hamlets":61'
for i in 1 2 3 4; do
    expect_eq "write $i after the restart" \
        "$(code PATCH "/api/v1/villages/$VA" "{\"hamlets\":$((61 + i))}")" 200
done
expect_eq "the session survives the restart (it lives in the database)" \
    "$(code GET /api/v1/session)" 200
expect_eq "the last write is there" "$(zc_sql "SELECT hamlets FROM village WHERE code = $VA")" 65
if [ "$ZC_BACKEND" = postgresql ]; then
    if grep -q "EUNAVAILABLE\|503" "$T/server.log"; then
        _fail "no request was refused as unavailable" "$(grep -m3 "EUNAVAILABLE\|503" "$T/server.log")"
    else
        _ok "no request was refused as unavailable"
    fi
fi
zc_serve_stop
run audit verify
expect_rc "the chain verifies across the restart" 0
finish
