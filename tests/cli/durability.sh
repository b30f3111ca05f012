#!/bin/sh
# durability.sh - kill -9 of the server under write load through the API
# (issue 17): ZC_KILLS rounds (3 here; `make bench` runs 20 through
# bench/durability/run.sh). In each, six writers on keep-alive connections
# create units (a record and its audit entry), record findings (an audit
# entry) and replace households' causes (several rows and an audit entry),
# as fast as they are answered, each noting what was acknowledged; once 30
# more writes were acknowledged, and 0 to 0.8 s later, the server is killed
# with SIGKILL, restarted, and then:
#   - every acknowledged unit and finding is in the database (lost = 0);
#   - nothing is half-written: every unit has its audit entry and every entry
#     its unit, each household's causes are exactly the set its last
#     household.causes entry says, `audit verify` passes and (SQLite)
#     PRAGMA integrity_check is ok.
# Figures: "# kill K: A acknowledged (units/findings/causes), L lost".
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
KILLS=${ZC_KILLS:-3}
run init
run divisions load --only 450124
printf 'code,poverty\n450124203202,poor\n' >"$T/v.csv"
run import villages "$T/v.csv"
{
    echo 'id,village,members,cause'
    for h in 1 2 3 4 5 6 7 8; do echo "H00$h,450124203202,3,因病"; done
} >"$T/h.csv"
run import households "$T/h.csv"
expect_rc "households imported" 0
zc_add_user adm --role admin
cat >"$T/load.py" <<'EOF'
# load.py PORT TOKEN ROUND DIR: six writers until the server goes away (at most 30 s).
import http.client, json, sys, threading, time
port, tok, rnd, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
CAUSES = ["因病", "因残", "因学", "缺技术", "缺劳力", "缺资金", "交通落后", "自身发展动力不足"]
def writer(kind, w):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    f = open("%s/acked-%s" % (out, kind), "a")
    n, end = 0, time.time() + 30
    while time.time() < end:
        n += 1
        key = "%s-%d-%d" % (rnd, w, n)
        if kind == "units":
            m, p, b = "POST", "/api/v1/units", {"code": "D" + key.replace("-", "_"), "name": "单位" + key,
                                                 "level": "county", "category": "party", "division": 450124}
        elif kind == "findings":
            m, p, b = "POST", "/api/v1/findings", {"village": 450124203202, "text": "dur " + key}
        else:
            hh = "H00%d" % (1 + (w * 7 + n) % 8)
            k = 1 + n % 4
            m, p, b = "PUT", "/api/v1/households/%s/causes" % hh, {"causes": [CAUSES[(n + i) % 8] for i in range(k)]}
        try:
            c.request(m, p, json.dumps(b), {"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
        except Exception as e:
            sys.stderr.write("%s: %s after %d\n" % (kind, type(e).__name__, n - 1))
            break  # the server is gone: what was not answered was not acknowledged
        if r.status in (200, 201):
            f.write((b["code"] if kind == "units" else b["text"] if kind == "findings" else p) + "\n")
            f.flush()
        else:
            sys.stderr.write("%s: %d\n" % (kind, r.status))
ts = [threading.Thread(target=writer, args=(k, w)) for w, k in enumerate(["units", "units", "findings", "findings", "causes", "causes"])]
for t in ts:
    t.start()
for t in ts:
    t.join()
EOF
: >"$T/acked-units"
: >"$T/acked-findings"
: >"$T/acked-causes"
total=0
lost_all=0
half_all=0
for k in $(seq 1 "$KILLS"); do
    if ! zc_serve; then
        _fail "server starts (round $k)" "$(tail -n 5 "$T/server.log")"
        break
    fi
    [ "$k" = 1 ] && login adm
    python3 "$T/load.py" "$PORT" "$TOK_adm" "$k" "$T" 2>>"$T/load.err" &
    LOAD=$!
    # Kill once this round has had some acknowledgements (the machine may be
    # busy: a fixed delay could kill before the first answer), at a moment
    # that varies from round to round.
    before=$(cat "$T"/acked-* | wc -l)
    i=0
    while [ "$(cat "$T"/acked-* | wc -l)" -lt $((before + 30)) ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    sleep "0.$((($$ + k * 37) % 9))"
    kill -KILL "$SRV_PID"
    wait "$SRV_PID" 2>/dev/null
    SRV_PID=""
    wait "$LOAD"
    # Restart, then look.
    if ! zc_serve; then
        _fail "server restarts after kill $k" "$(tail -n 5 "$T/server.log")"
        break
    fi
    last=$(tail -n 1 "$T/acked-units")
    req adm GET "/api/v1/units/$last"
    [ "$CODE" = 200 ] || _fail "kill $k: the last acknowledged unit is served after the restart" "status $CODE for $last"
    zc_serve_stop
    zc_sql "SELECT code FROM unit WHERE code LIKE 'D%'" | sort >"$T/have-units"
    zc_sql "SELECT new_json FROM audit_log WHERE action = 'finding'" |
        sed -n 's/.*"text":"\(dur [^"]*\)".*/\1/p' | sort >"$T/have-findings"
    lu=$(sort "$T/acked-units" | comm -23 - "$T/have-units" | wc -l)
    lf=$(sort "$T/acked-findings" | comm -23 - "$T/have-findings" | wc -l)
    # Half-written: a unit without its entry, an entry without its unit, a
    # household whose causes are not those of its last causes entry.
    hu=$(zc_sql "SELECT count(*) FROM unit u WHERE u.code LIKE 'D%' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'unit.create' AND a.target = u.code)")
    he=$(zc_sql "SELECT count(*) FROM audit_log a WHERE a.action = 'unit.create' AND a.target LIKE 'D%' AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.code = a.target)")
    zc_sql "SELECT a.target, a.new_json FROM audit_log a WHERE a.action = 'household.causes' AND a.seq = (SELECT max(b.seq) FROM audit_log b WHERE b.action = 'household.causes' AND b.target = a.target) ORDER BY a.target" |
        sed 's/|{"causes":"\(.*\)"}$/|\1/' >"$T/want-causes"
    zc_sql "SELECT household, cause FROM household_cause ORDER BY household, position" |
        awk -F'|' '$1 != h { if (h != "") print h "|" s; h = $1; s = $2; next } { s = s "、" $2 } END { if (h != "") print h "|" s }' >"$T/have-causes.all"
    hc=$(awk -F'|' 'NR == FNR { want[$1] = $2; next } ($1 in want) && want[$1] != $2 { n++ } END { print n + 0 }' "$T/want-causes" "$T/have-causes.all")
    na=$(($(wc -l <"$T/acked-units") + $(wc -l <"$T/acked-findings") + $(wc -l <"$T/acked-causes")))
    echo "# kill $k: $na acknowledged so far ($(wc -l <"$T/acked-units") units, $(wc -l <"$T/acked-findings") findings, $(wc -l <"$T/acked-causes") causes), lost $((lu + lf)), half-written $((hu + he + hc))"
    lost_all=$((lost_all + lu + lf))
    half_all=$((half_all + hu + he + hc))
    total=$na
done
sed "s/ after [0-9]*$//" "$T/load.err" | sort | uniq -c | sed "s/^/# load: /" | head -8
[ "$total" -gt 0 ] && _ok "writes were acknowledged under load ($total in $KILLS rounds)" || _fail "writes under load" "$(tail -n 5 "$T/load.err")"
[ "$lost_all" = 0 ] && _ok "kill -9 x $KILLS: every acknowledged write is in the database" || _fail "acknowledged writes lost" "$lost_all"
[ "$half_all" = 0 ] && _ok "kill -9 x $KILLS: nothing half-written (units and their entries, causes and their last entry)" || _fail "half-written" "$half_all"
[ "$(wc -l <"$T/want-causes")" -gt 0 ] && _ok "causes were replaced under load ($(wc -l <"$T/want-causes") households)" || _fail "causes under load" "none"
run audit verify
expect_rc "the audit chain verifies after the kills" 0
if [ "$ZC_BACKEND" = sqlite ]; then
    [ "$(sqlite3 "$ZHUCUN_DB" 'PRAGMA integrity_check')" = ok ] && _ok "integrity_check ok" || _fail "integrity_check" "$(sqlite3 "$ZHUCUN_DB" 'PRAGMA integrity_check' | head -3)"
fi
echo "# durability: kills=$KILLS acknowledged=$total lost=$lost_all half_written=$half_all backend=$ZC_BACKEND"
finish
