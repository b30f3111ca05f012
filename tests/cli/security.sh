#!/bin/sh
# security.sh - logins and requests that cannot be turned against the system
# (issue 17): the password policy at every door, login attempts counted
# before the password is checked (parallel guesses), growing delays per
# account and per address, X-Forwarded-For believed only from trusted
# proxies, Secure cookies, the idle timeout, the security headers, uploads
# refused before their body is read, a per-address connection limit and a
# deadline for a trickled request head.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22

expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
aq() { zc_sql "$1"; }

run init
run divisions load --only 450124
expect_rc "divisions load" 0
PW=correct-horse-9
add() { # NAME PASSWORD ARGS... -> RC
    n=$1 p=$2
    shift 2
    echo "$p" | "$ZHUCUN" user add "$n" "$@" --password-stdin >"$T/out" 2>"$T/err"
    RC=$?
}

# ---- the password policy, on user add and user passwd ---------------------------
for weak in password aaaaaaaa "        " "            " aaaaaaaaaaaaaaaa abcabcabcabc \
    Password1234 qwerty123456 123456789012 abcdefghijklm short-pw-1; do
    add weak1 "$weak" --role admin
    if [ "$RC" = 65 ]; then _ok "user add refuses '$weak'"; else _fail "user add refuses '$weak'" "exit $RC"; fi
done
add same-as-name-12 same-as-name-12 --role admin
expect_rc "the account name as password is refused" 65
expect_err "the refusal says why" "account name"
add adm "$PW" --role admin
expect_rc "a long passphrase is accepted" 0
add cty "$PW" --role county --scope 450124
add race "$PW" --role county --scope 450124
add slow "$PW" --role county --scope 450124
echo "letmein" | "$ZHUCUN" user passwd cty --password-stdin >/dev/null 2>"$T/err"
RC=$?; expect_rc "user passwd refuses a weak password" 65
expect_eq "a refused passwd leaves no audit entry" "$(aq "SELECT count(*) FROM audit_log WHERE action = 'user.passwd'")" 0

# ---- the server -----------------------------------------------------------------
mkdir -p "$T/web"
echo '<!doctype html><title>驻村</title>' >"$T/web/index.html"
if zc_serve --web "$T/web" --threads 4 --login-failures 3 --login-delay 2 --trusted-proxy 127.0.0.1 \
    --secure-cookies --session-idle 3 --max-conns-per-addr 48 --header-timeout 3 --body-timeout 3 --timeout 30; then
    _ok "server is up"
else
    _fail "server is up" "$(cat "$T/server.log")"
    finish
fi

# login NAME PASSWORD [XFF] -> CODE, $T/body, $T/h (headers)
login() {
    set -- "$1" "$2" "${3:-}"
    if [ -n "$3" ]; then
        CODE=$(curl -s -D "$T/h" -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
            -H "X-Forwarded-For: $3" --data "{\"user\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/session")
    else
        CODE=$(curl -s -D "$T/h" -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
            --data "{\"user\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/session")
    fi
}
retry_after() { sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$T/h"; }
expect_code() { if [ "$CODE" = "$2" ]; then _ok "$1"; else _fail "$1" "status $CODE, wanted $2: $(head -c 300 "$T/body")"; fi; }

login adm "$PW"
expect_code "admin logs in" 200
TOK=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
# The same policy through the API.
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
    --data '{"name":"weak3","role":"admin","password":"password"}' "$BASE/api/v1/users")
expect_code "POST /users refuses 'password'" 400
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
    --data '{"name":"weak5","role":"county","scope":"450124","password":"            "}' "$BASE/api/v1/users")
expect_code "POST /users refuses twelve spaces" 400
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
    --data '{"name":"good5","role":"county","scope":"450124","password":"马山县驻村工作队二零二六年"}' "$BASE/api/v1/users")
expect_code "POST /users takes a Chinese passphrase" 201

# ---- parallel guesses: counted before the password is checked ---------------------
# 40 wrong passwords at once against one account (limit 3): before, 4 worker
# threads let 3 + 3 more be checked (issue 17 saw 7 against a limit of 5).
t0=$(date +%s)
seq 1 40 | xargs -P 40 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
    --data '{"user":"race","password":"wrong-guess-{}"}' "$BASE/api/v1/session" >"$T/race"
elapsed=$(($(date +%s) - t0 + 1)) # whole seconds, rounded up
checked=$(grep -c '^401$' "$T/race")
refused=$(grep -c '^429$' "$T/race")
# Within the first wait (2 s) exactly the limit is checked. On a machine so
# loaded that the 40 guesses outlast it, each wait that ran out (2, 4, 8 s
# after the last: at 2, 6, 14 s) lets one more be checked, as it should.
extra=$(awk -v e="$elapsed" 'BEGIN { n = 0; for (t = 2; t < e; t = 2 * t + 2) n++; print n }')
if [ "$checked" -ge 3 ] && [ "$checked" -le $((3 + extra)) ]; then
    _ok "40 parallel guesses: the limit (3) are checked ($checked in ${elapsed}s, at most $((3 + extra)))"
else
    _fail "40 parallel guesses: exactly the limit (3) are checked" "$checked checked in ${elapsed}s (at most $((3 + extra)))"
fi
# Any other answer (a connection the loaded machine dropped: 000) is shown.
grep -v '^401$\|^429$' "$T/race" | sort | uniq -c | sed 's/^ */  other answers: /'
dropped=$(grep -c '^000$' "$T/race")
expect_eq "the others are refused unchecked (429, or dropped by a loaded machine)" $((refused + dropped)) $((40 - checked))
expect_eq "one failure recorded per checked guess" "$(aq "SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed' AND target = 'account:race'")" "$checked"

# One address holds at most --max-conns-per-addr connections (48).
conns=$(python3 - "$PORT" <<'PY'
import socket, sys, time, urllib.request
port = int(sys.argv[1])
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(48)]
time.sleep(0.3)
def probe():
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/index.html" % port, timeout=3).read()
        return "served"
    except Exception:
        return "refused"
over = probe()
for s in held:
    s.close()
time.sleep(0.5)
print(over, probe())
PY
)
expect_eq "a 49th connection from one address is refused, then served once they close" "$conns" "refused served"

# ---- per address, and X-Forwarded-For from the trusted proxy only ----------------------
for n in $(seq 1 20); do login "nobody$n" wrong-guess-x 10.9.9.9; done
# Refused at once, unchecked, so both land inside the 2 s wait.
login adm "$PW" 10.9.9.9
expect_code "20 failures from one client address make it wait" 429
login adm "$PW" "10.9.9.9, 127.0.0.1"
expect_code "the right-most untrusted hop is the client" 429
login adm "$PW" 10.9.9.8
expect_code "another client behind the same proxy logs in" 200
expect_eq "failures are recorded with the client's address" "$(aq "SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed' AND addr = '10.9.9.9'")" 20
expect_eq "the address's wait is recorded" "$(aq "SELECT count(*) FROM audit_log WHERE action = 'auth.lockout_addr' AND addr = '10.9.9.9'")" 1
expect_eq "throttle state is in the database" "$(aq "SELECT failures FROM login_throttle WHERE key = 'addr:10.9.9.9'")" 20

# ---- growing delays, not a lockout ----------------------------------------------------
# The growing delays sleep about 17 s: they run in the background beside
# the sections below, which mostly wait too (the idle timeout, trickled
# requests); their own account 'slow' and files, and the client address
# 127.0.0.1 stays far below its 20 failures. Their results are counted when
# they end. The connection limit is tried before, alone (its 48 held
# connections would refuse theirs), and so are the 20 guesses per address
# (password checks, which would slow their answers past the waits).
(
    T=$T/slow
    mkdir -p "$T"
    for n in 1 2 3; do login slow wrong-guess-x; done
    login slow wrong-guess-x
    expect_code "past the limit the account waits" 429
    r1=$(retry_after)
    sleep $((r1 + 1))
    login slow wrong-guess-x
    expect_code "after the wait one more guess is checked" 401
    login slow wrong-guess-x
    r2=$(retry_after)
    sleep $((r2 + 1))
    t0=$(date +%s.%N)
    login slow wrong-guess-x
    login slow "$PW"
    r3=$(retry_after)
    # The 8 s wait began between t0 and now: at least 8 less the seconds
    # since t0 remain (7 on a quiet machine: doubling, where 2 s more would be 6).
    r3min=$(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { e = t1 - t0; n = int(e); if (n < e) n++; print 8 - (n < 1 ? 1 : n) }')
    if [ "$r1" -ge 1 ] && [ "$r1" -le 2 ] && [ "$r2" -ge 3 ] && [ "$r2" -le 4 ] && [ "$r3" -ge "$r3min" ] && [ "$r3" -le 8 ]; then
        _ok "the delay doubles: ${r1}s, ${r2}s, ${r3}s (--login-delay 2)"
    else
        _fail "the delay doubles" "Retry-After $r1, $r2, $r3 (the third at least $r3min)"
    fi
    expect_code "the right password waits too" 429
    sleep $((r3 + 1))
    login slow "$PW"
    expect_code "after the wait the right password passes" 200
) >"$T/slow.log" 2>&1 &
SLOW_PID=$!

# ---- cookies, headers, the idle timeout ---------------------------------------------------
login cty "$PW"
if grep -i '^Set-Cookie: zc_session=' "$T/h" | grep -q '; Secure'; then _ok "--secure-cookies: the session cookie is Secure"; else _fail "Secure session cookie" "$(grep -i set-cookie "$T/h")"; fi
if grep -i '^Set-Cookie: zc_csrf=' "$T/h" | grep -q '; Secure'; then _ok "--secure-cookies: the CSRF cookie is Secure"; else _fail "Secure csrf cookie" "$(grep -i set-cookie "$T/h")"; fi
CTOK=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
curl -s -D "$T/h" -o /dev/null "$BASE/"
if grep -qi "^Content-Security-Policy: default-src 'self'.*frame-ancestors 'none'" "$T/h"; then _ok "CSP with frame-ancestors 'none' on the UI"; else _fail "CSP" "$(cat "$T/h")"; fi
if grep -qi '^X-Frame-Options: DENY' "$T/h" && grep -qi '^Referrer-Policy: no-referrer' "$T/h" && grep -qi '^X-Content-Type-Options: nosniff' "$T/h"; then
    _ok "X-Frame-Options, Referrer-Policy, X-Content-Type-Options"
else _fail "security headers" "$(cat "$T/h")"; fi
curl -s -D "$T/h" -o /dev/null -H "Authorization: Bearer $CTOK" "$BASE/api/v1/session"
if grep -qi "^Content-Security-Policy:" "$T/h"; then _ok "the API answers carry the headers too"; else _fail "API headers" "$(cat "$T/h")"; fi
# A request a second for 4 s (a slow answer on a loaded machine still
# leaves the next well inside the 3 s).
for n in 1 2 3 4; do
    sleep 1
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $CTOK" "$BASE/api/v1/session")
done
expect_code "a session in use outlives the idle timeout (4 s, --session-idle 3)" 200
sleep 4
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $CTOK" "$BASE/api/v1/session")
expect_code "4 s without a request end the session" 401

# ---- uploads are refused before their body ---------------------------------------------------
# Headers announcing 30 MiB, no session: the answer must come before any body
# byte (issue 17: 20 such sockets took the server from 38 to 633 MB).
early=$(python3 - "$PORT" <<'PY'
import socket, sys
def ask(extra):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"POST /api/v1/import?kind=units HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
              + extra + b"Content-Length: 31457280\r\n\r\n")
    s.settimeout(5)
    try:
        line = s.recv(200).split(b"\r\n", 1)[0].decode(errors="replace")
    except OSError:
        line = "no answer"
    s.close()
    return line
print(ask(b""), "|", ask(b"Cookie: zc_session=" + b"x" * 43 + b"\r\n"))
PY
)
case $early in *" 401 "*"|"*" 401 "*) _ok "an upload without a session is refused before its body (401)" ;; *) _fail "upload refused before its body" "got '$early'" ;; esac
jar_csrf_upload=$(python3 - "$PORT" "$CTOK" "$PW" <<'PY'
import json, socket, sys, urllib.request
port, pw = int(sys.argv[1]), sys.argv[3]
req = urllib.request.Request("http://127.0.0.1:%d/api/v1/session" % port,
    data=json.dumps({"user": "adm", "password": pw}).encode(), headers={"Content-Type": "application/json"})
tok = json.load(urllib.request.urlopen(req))["token"]
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /api/v1/import?kind=units HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
          b"Cookie: zc_session=" + tok.encode() + b"\r\nContent-Length: 31457280\r\n\r\n")
s.settimeout(5)
try:
    print(s.recv(200).split(b"\r\n", 1)[0].decode(errors="replace"))
except OSError:
    print("no answer")
PY
)
case $jar_csrf_upload in *" 403 "*) _ok "a cookie upload without the CSRF header is refused before its body (403)" ;; *) _fail "csrf before the body" "got '$jar_csrf_upload'" ;; esac

# ---- slow clients --------------------------------------------------------------------------
# A head trickled one byte a second never trips the idle timeout (30 s); the
# head deadline (3 s) cuts it.
secs=$(python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t = time.time()
s.sendall(b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\n")
try:
    for i in range(15):
        s.sendall(b"X-A: b\r\n"[i % 8:i % 8 + 1])
        s.settimeout(1)
        try:
            if s.recv(100) == b"":
                break
        except socket.timeout:
            pass
except OSError:
    pass
print(int(time.time() - t))
PY
)
if [ "$secs" -ge 2 ] && [ "$secs" -le 7 ]; then _ok "a trickled head is cut at the deadline (${secs}s, --header-timeout 3)"; else _fail "head deadline" "closed after ${secs}s"; fi
# A body trickled one byte a second is cut at the body deadline (3 s).
bsecs=$(python3 - "$PORT" "$PW" <<'PY'
import json, socket, sys, time, urllib.request
port, pw = int(sys.argv[1]), sys.argv[2]
req = urllib.request.Request("http://127.0.0.1:%d/api/v1/session" % port,
    data=json.dumps({"user": "adm", "password": pw}).encode(), headers={"Content-Type": "application/json"})
tok = json.load(urllib.request.urlopen(req))["token"]
s = socket.create_connection(("127.0.0.1", port))
t = time.time()
s.sendall(b"POST /api/v1/skills HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Authorization: Bearer " + tok.encode() + b"\r\nContent-Length: 1000\r\n\r\n{")
try:
    for i in range(15):
        s.sendall(b" ")
        s.settimeout(1)
        try:
            if s.recv(100) == b"":
                break
        except socket.timeout:
            pass
except OSError:
    pass
print(int(time.time() - t))
PY
)
if [ "$bsecs" -ge 2 ] && [ "$bsecs" -le 7 ]; then _ok "a trickled body is cut at the deadline (${bsecs}s, --body-timeout 3)"; else _fail "body deadline" "closed after ${bsecs}s"; fi
wait "$SLOW_PID"
while read -r word rest; do
    case $word in
    ok) _ok "$rest" ;;
    FAIL) _fail "${rest%%: *}" "${rest#*: }" ;;
    esac
done <"$T/slow.log"
[ "$(grep -c '^ok \|^FAIL ' "$T/slow.log")" = 5 ] || _fail "the growing delays ran to the end" "$(cat "$T/slow.log")"
if grep -q 'status=5' "$T/server.log"; then _fail "no 5xx" "$(grep 'status=5' "$T/server.log" | head -3)"; else _ok "no request answered 5xx"; fi
zc_serve_stop
expect_eq "the server stops cleanly" "$SRV_RC" 0

# ---- without --trusted-proxy, X-Forwarded-For is the client's own say ----------------------
zc_serve --web "$T/web" --threads 2 || _fail "server is up again" "$(tail -5 "$T/server.log")"
login cty wrong-guess-x 10.7.7.7
expect_eq "a forwarded address from an untrusted peer is ignored" "$(aq "SELECT addr FROM audit_log WHERE action = 'auth.login_failed' AND target = 'account:cty' ORDER BY seq DESC LIMIT 1")" 127.0.0.1
login cty "$PW"
if grep -i '^Set-Cookie: zc_session=' "$T/h" | grep -q 'Secure'; then _fail "no Secure without the option" "$(grep -i set-cookie "$T/h")"; else _ok "without --secure-cookies the cookie works over plain HTTP"; fi

# ---- reads of personal data at scale are recorded, like exports (issue 17) ----------------
# A page of 100 or more cadres (ID numbers shown to staff) is in the record;
# the UI's pages of 25 are not.
TOKC=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
printf 'code,name,level,category,division\nU1,马山县委组织部,county,party,450124\n' >"$T/u.csv"
run import units "$T/u.csv"
awk -v n=120 'BEGIN { print "id_number,name,unit"; for (i = 1; i <= n; i++) printf "%s,干部%d,U1\n", sprintf("45012419800101%03d", i), i }' >"$T/c17.csv"
while IFS=, read -r id name unit; do
    case $id in id_number) echo "$id,$name,$unit" ;; *) echo "$(zc_idcard "$id"),$name,$unit" ;; esac
done <"$T/c17.csv" >"$T/c.csv"
run import cadres "$T/c.csv"
expect_rc "120 cadres imported" 0
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKC" "$BASE/api/v1/cadres?per_page=25")
expect_code "a page of 25 cadres" 200
expect_eq "... is not recorded" "$(aq "SELECT count(*) FROM audit_log WHERE action = 'read.cadres'")" 0
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKC" "$BASE/api/v1/cadres?per_page=500&unit=U1")
expect_code "a page of 120 cadres" 200
expect_eq "... is recorded: who, rows, masked or not, the filters" "$(aq "SELECT actor || ' ' || $(zc_jx rows) || ' ' || CASE WHEN new_json LIKE '%\"masked\":false%' AND new_json LIKE '%\"unit\":\"U1\"%' THEN 'unmasked,unit' ELSE new_json END FROM audit_log WHERE action = 'read.cadres'")" "cty 120 unmasked,unit"
zc_serve_stop
finish
