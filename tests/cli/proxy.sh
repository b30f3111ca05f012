#!/bin/sh
# proxy.sh - --trusted-proxy takes CIDR ranges, IPv4 and IPv6 (issue 17): from
# a peer in the ranges the client is the right-most address of
# X-Forwarded-For outside them; from any other peer the header is ignored.
# The client address is read back from the audit record of a failed login.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
run init
zc_add_user adm --role admin
for bad in 10.0.0.0/33 fd00::/129 10.0.0.0/ 10.0.0/8 /8 10.0.0.0/8x; do
    run serve --listen 127.0.0.1:1 --trusted-proxy "127.0.0.1,$bad"
    if [ "$RC" != 0 ] && echo "$ERR" | grep -q "CIDR"; then _ok "--trusted-proxy refuses '$bad'"; else _fail "--trusted-proxy '$bad'" "rc $RC: $ERR"; fi
done
# 127.0.0.0/31 holds the test's own peer address (127.0.0.1), not 127.0.0.2.
if zc_serve --trusted-proxy "10.0.0.0/8, 127.0.0.0/31,fd00::/8,192.168.1.7" --login-failures 1000; then
    _ok "server takes CIDR ranges, IPv4 and IPv6, with blanks"
else
    _fail "server with CIDR ranges" "$(tail -n 3 "$T/server.log")"
    finish
fi
n=0
# seen N XFF [CURL ARGS]: the address a failed login (as nobodyN) from this request is recorded under.
seen() {
    k=$1 xff=$2
    shift 2
    curl -s -o /dev/null "$@" -H 'Content-Type: application/json' -H "X-Forwarded-For: $xff" \
        --data "{\"user\":\"nobody$k\",\"password\":\"wrong-guess-x\"}" "$BASE/api/v1/session"
    zc_sql "SELECT addr FROM audit_log WHERE action = 'auth.login_failed' AND target = 'account:nobody$k'"
}
expect_seen() {
    n=$((n + 1))
    got=$(seen "$n" "$2" ${3:+"$3"} ${4:+"$4"})
    if [ "$got" = "$5" ]; then _ok "$1"; else _fail "$1" "X-Forwarded-For '$2': recorded '$got', wanted '$5'"; fi
}
expect_seen "one hop: the proxy's client" "203.0.113.7" "" "" 203.0.113.7
expect_seen "a proxy in 10.0.0.0/8 before ours is skipped" "203.0.113.7, 10.1.2.3" "" "" 203.0.113.7
expect_seen "a spoofed left-most address is not believed: the right-most untrusted is" "198.51.100.1, 203.0.113.9, 10.0.0.5, 192.168.1.7" "" "" 203.0.113.9
expect_seen "an address next to a single trusted one is not trusted" "192.168.1.8" "" "" 192.168.1.8
expect_seen "IPv6 client behind an IPv6 proxy in fd00::/8" "2001:db8::1, fd00::5" "" "" 2001:db8::1
expect_seen "IPv6 addresses are compared, not their text" "2001:DB8:0:0::2,FD12:3456::1" "" "" 2001:db8::2
expect_seen "an IPv4-mapped proxy address is in its IPv4 range" "203.0.113.20, ::ffff:10.9.8.7" "" "" 203.0.113.20
expect_seen "every hop trusted: the left-most" "10.0.0.9, 10.0.0.10" "" "" 10.0.0.9
expect_seen "a hop that is not an address ends the walk at the last trusted hop" "203.0.113.1, bogus, 10.0.0.4" "" "" 10.0.0.4
# 127.0.0.2 is outside 127.0.0.0/31: what it says it forwards is ignored.
expect_seen "X-Forwarded-For from an untrusted peer (127.0.0.2) is ignored" "10.7.7.7" --interface 127.0.0.2 127.0.0.2
expect_seen "... also when it names a trusted proxy" "203.0.113.5, 10.0.0.1" --interface 127.0.0.2 127.0.0.2
zc_serve_stop
finish
