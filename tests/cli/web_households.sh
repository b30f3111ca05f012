#!/bin/sh
# web_households.sh - the household pages in a real browser (issue 14): the
# mashan-2018 demo (its households with members, causes, statuses and plans
# at various review stages from the generator), then tests/e2e/households.mjs
# (chromium through playwright-core) as the county: the village's household
# list, a household's card (members, causes, plan, the review chain,
# responsible cadre, statuses), a sign-off from the card, #/aid (what waits
# for a level), #/watch (the return-to-poverty watch). Prints "N passed,
# N failed".
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POL="$ROOT/policies/mashan-2018.json"
OUTDIR=${ZC_TEST_OUT:-$ROOT/tests/out}
mkdir -p "$OUTDIR"
SRV_PID=""
stop_server() {
    if [ -n "$SRV_PID" ]; then
        kill -TERM "$SRV_PID" 2>/dev/null
        i=0
        while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$SRV_PID" 2>/dev/null
        SRV_PID=""
    fi
}
trap stop_server EXIT INT TERM
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
    _fail "browser available" "need $CHROMIUM, node and node_modules/playwright-core (scripts/bootstrap.sh)"
    finish
fi
# Every string the page uses is in both dictionaries.
if python3 - "$ROOT" <<'PY'
import json, re, sys
root = sys.argv[1]
zh = json.load(open(root + "/web/i18n/zh.json"))
en = json.load(open(root + "/web/i18n/en.json"))
src = open(root + "/web/js/pages/households.js").read() + open(root + "/web/js/pages/outcomes.js").read()
used = {k for k in re.findall(r't\("([a-z_]+\.[a-z_0-9]+)"', src) if not k.endswith("_")}
used |= {"aidlevel.%d" % i for i in range(1, 6)} | {"ostatus." + s for s in ("poor", "exited", "returned", "watch")}
used |= {"chain." + s for s in ("signed", "awaited", "ahead")}
missing = sorted(k for k in used if k not in zh or k not in en)
assert not missing, missing
assert set(zh) == set(en), sorted(set(zh) ^ set(en))
PY
then _ok "every household page string in zh.json and en.json"; else _fail "i18n" "see above"; fi

export ZHUCUN_TODAY=2018-06-17
zc_demo --scenario mashan-2018 --no-serve --quiet
expect_rc "demo scenario" 0
q() { sqlite3 "$ZHUCUN_DB" "$1"; }
# A household of 450124 whose plan awaits level 3, with members and two causes.
HH=$(q "SELECT p.household FROM aid_plan p JOIN household h ON h.id = p.household WHERE p.status = 'in_review' AND p.next_level = 3 AND h.village BETWEEN 450124000000 AND 450124999999 AND (SELECT count(*) FROM household_cause c WHERE c.household = h.id) = 2 AND h.members >= 3 ORDER BY p.household LIMIT 1")
[ -n "$HH" ] && _ok "the demo has a plan awaiting level 3 ($HH)" || _fail "demo plan" "none"
export ZC_HH="$HH" ZC_HH_VILLAGE="$(q "SELECT village FROM household WHERE id = '$HH'")"
export ZC_HH_HEAD="$(q "SELECT name FROM household_member WHERE household = '$HH' AND relation = '户主'")"
export ZC_WEB_PASS_as_county=hh-county-pass-1
# A household of 450124 with a responsible cadre (of its village's team or
# paired unit): that cadre assigned to it again from the card (the cap
# counts the other households).
export ZC_HH2="$(q "SELECT r.household FROM aid_responsible r JOIN household h ON h.id = r.household WHERE h.village BETWEEN 450124000000 AND 450124999999 ORDER BY r.household LIMIT 1")"
export ZC_HH2_CADRE="$(q "SELECT c.id_number FROM aid_responsible r JOIN cadre c ON c.id = r.cadre WHERE r.household = '$ZC_HH2'")"
[ -n "$ZC_HH2" ] && _ok "a household with a team in its village ($ZC_HH2)" || _fail "household with a team" "none"
echo "$ZC_WEB_PASS_as_county" | "$ZHUCUN" user add as-county --role county --scope 450124 --password-stdin >/dev/null 2>"$T/err" || _fail "account" "$(cat "$T/err")"
PORT=""
for off in 0 1 2 3 4 5 6 7; do
    p=$((27000 + ($$ + off * 97) % 900))
    if ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then PORT=$p; break; fi
done
BASE="http://127.0.0.1:$PORT"
ZHUCUN_POLICY="$POL" "$ZHUCUN" serve --listen "127.0.0.1:$PORT" --web "$ROOT/web" --threads 4 2>"$T/server.log" &
SRV_PID=$!
i=0
until curl -s -o /dev/null "$BASE/api/v1/session" || [ $i -ge 150 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$SRV_PID" 2>/dev/null; then _ok "server is up on $PORT"; else
    _fail "server is up" "$(cat "$T/server.log")"
    finish
fi
CHROMIUM="$CHROMIUM" node "$ROOT/tests/e2e/households.mjs" "$BASE" "$OUTDIR" >"$T/e2e.log" 2>&1
rc=$?
cat "$T/e2e.log"
p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$T/e2e.log" | tail -n 1)
f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$T/e2e.log" | tail -n 1)
if [ -z "$p" ]; then
    _fail "browser test ran" "exit $rc, no result line"
else
    PASS=$((PASS + p))
    FAILS=$((FAILS + f))
    [ "$rc" = 0 ] || [ "$f" != 0 ] || _fail "browser test exit status" "$rc"
fi
if [ "$(q "SELECT count(*) FROM aid_review WHERE household = '$HH' AND level = 3 AND decision = 'approve' AND reviewer LIKE '%as-county%'")" = 1 ]; then _ok "the sign-off from the card is recorded"; else _fail "sign-off" "$(q "SELECT * FROM aid_review WHERE household = '$HH'")"; fi
if [ "$(q "SELECT next_level || status FROM aid_plan WHERE household = '$HH'")" = "1draft" ]; then _ok "the measure added on the card started a new version"; else _fail "new version" "$(q "SELECT * FROM aid_plan WHERE household = '$HH'")"; fi
for a in household.causes household.plan.add household.plan.done household.plan.remove household.cadre; do
    if [ "$(q "SELECT count(*) FROM audit_log WHERE action = '$a' AND actor = 'as-county' AND (target IN ('$HH', '$ZC_HH2') OR target GLOB '[0-9]*')")" -ge 1 ]; then _ok "the card's write is audited: $a"; else _fail "audited $a" "none"; fi
done
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'household.review.approve' AND actor = 'as-county' AND target = '$HH'")" = 1 ]; then _ok "and audited"; else _fail "audited" "none"; fi
if grep -q 'status=5' "$T/server.log"; then _fail "no 5xx answers" "$(grep 'status=5' "$T/server.log" | head -3)"; else _ok "no 5xx answers"; fi
stop_server
finish
