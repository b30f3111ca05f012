#!/bin/sh
# upload_memory.sh - request bodies held in memory are bounded for the whole
# server (issue 17: authenticated uploads were buffered without a total cap):
# with --max-buffered, a body that would not fit beside those held now is
# answered 503 with Retry-After, at once when its Content-Length says so, and
# the bytes of finished requests are given back.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
run init
run divisions load --only 450124
PW=correct-horse-9
echo "$PW" | "$ZHUCUN" user add adm --role admin --password-stdin >/dev/null
if zc_serve --max-upload 300000 --max-buffered 200000; then _ok "server is up"; else _fail "server is up" "$(cat "$T/server.log")"; finish; fi
TOK=$(curl -s -H 'Content-Type: application/json' --data-binary "{\"user\":\"adm\",\"password\":\"$PW\"}" "$BASE/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOK" ] && _ok "login" || _fail "login" "no token"
# A units CSV of about N bytes (header and repeated rows of a bad unit: the import refuses it, 4xx).
body() { python3 -c "import sys; n=int(sys.argv[1]); h='单位代码,单位名称\n'; r='x1,某单位\n'; sys.stdout.write(h + r * ((n - len(h.encode())) // len(r.encode())))" "$1"; }
body 250000 >"$T/big.csv"
body 50000 >"$T/small.csv"
up() { # FILE [CURL ARGS] -> status
    f=$1
    shift
    curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -H "Authorization: Bearer $TOK" \
        -H 'Content-Type: text/csv' --data-binary "@$f" "$@" "$BASE/api/v1/import?kind=units"
}
code=$(up "$T/big.csv")
if [ "$code" = 503 ]; then _ok "a body larger than the server's total is 503"; else _fail "250 kB body over a 200 kB total" "status $code: $(head -c 300 "$T/body")"; fi
grep -qi '^Retry-After: 5' "$T/head" && _ok "503 says when to retry" || _fail "Retry-After" "$(cat "$T/head")"
grep -q 'max-buffered' "$T/body" && _ok "503 names the limit" || _fail "503 names the limit" "$(cat "$T/body")"
code=$(up "$T/small.csv")
case $code in 503 | 413 | 000) _fail "a small body fits" "status $code" ;; *) _ok "a small body fits (status $code)" ;; esac
# Three slow uploads of 80 kB at once: at most two fit in 200 kB; the third is 503.
for i in 1 2 3; do
    body 80000 >"$T/m$i.csv"
    (curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $TOK" -H 'Content-Type: text/csv' \
        -H 'Transfer-Encoding: chunked' --limit-rate 40k --data-binary "@$T/m$i.csv" \
        "$BASE/api/v1/import?kind=units" >"$T/slow$i") &
    pids="${pids:-} $!"
done
wait $pids # not a bare wait: the server runs in the background too
n503=$(cat "$T/slow1" "$T/slow2" "$T/slow3" | grep -c 503)
if [ "$n503" -ge 1 ] && [ "$n503" -le 2 ]; then _ok "concurrent bodies past the total: $n503 of 3 answered 503"; else _fail "concurrent bodies" "$(cat "$T/slow1" "$T/slow2" "$T/slow3" | tr '\n' ' ')"; fi
# Everything was given back: the same small upload still fits, many times over.
ok=0
for i in 1 2 3 4 5 6; do
    code=$(up "$T/small.csv")
    [ "$code" != 503 ] && ok=$((ok + 1))
done
if [ "$ok" = 6 ]; then _ok "finished requests give their bytes back"; else _fail "bytes given back" "$ok of 6 fit"; fi
zc_serve_stop
finish
