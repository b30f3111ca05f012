#!/bin/sh
# golden.sh - what the deterministic mashan-2018 demo answers, compared exactly
# with the golden files in tests/golden/mashan/: the exports, eligibility, the
# plan (match's JSON without its timings, plan show, explain), the field
# month and the assessment built on it, outcomes, and the JSON of the main
# API answers for a province, a county, a township and a cadre account.
#
# A refactoring must leave every file byte-identical. A change of behaviour
# that is meant regenerates them on purpose, and the diff goes in the commit:
#
#   make golden            (= ZC_GOLDEN_UPDATE=1 sh tests/cli/golden.sh)
#
# Large exports are kept as their first 60 lines plus a digest of the whole
# file (a changed row anywhere changes the digest; a changed column shows in
# the head's diff).
. "$(dirname "$0")/lib.sh"
unset ZHUCUN_POLICY
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
G="$ROOT/tests/golden/mashan"
UPDATE=${ZC_GOLDEN_UPDATE:-0}
export ZHUCUN_TODAY=2018-06-17
POLICY="$ROOT/policies/mashan-2018.json"
LONGQIN=450124203202
LONGGUI=450125205203
NEW="$T/golden"
mkdir -p "$NEW"

# keep NAME < output: store it under the golden file's name in $NEW.
keep() { cat >"$NEW/$1"; }
# keep_big NAME FILE: the head and a digest of a large output.
keep_big() {
    {
        head -n 60 "$2"
        printf '... %s lines, sha256 %s\n' "$(wc -l <"$2" | tr -d ' ')" "$(sha256sum "$2" | cut -d' ' -f1)"
    } >"$NEW/$1"
}
# json NAME < JSON: sorted keys, timings and clock times left out.
json() {
    jq -S 'walk(if type == "object" then with_entries(select(.key | test("_seconds$|^(created|published|recorded|issued|signed)_at$|^at$|^csrf$|^token$|^expires") | not)) else . end)' >"$NEW/$1" 2>"$T/jq.err" ||
        { echo "not JSON" >"$NEW/$1"; cat "$T/jq.err" >>"$NEW/$1"; }
}

# ---- the demo and its exports ------------------------------------------------
run demo --scenario mashan-2018 --out "$ZHUCUN_DB" --no-serve --quiet
expect_rc "mashan-2018 demo" 0
for k in units villages; do
    "$ZHUCUN" export $k --format csv -o "$T/$k.csv" 2>/dev/null && keep "export-$k.csv" <"$T/$k.csv"
done
for k in cadres households members; do
    "$ZHUCUN" export $k --format csv -o "$T/$k.csv" 2>/dev/null && keep_big "export-$k.csv" "$T/$k.csv"
done
"$ZHUCUN" export cadres --format csv --unmask -o "$T/cu.csv" 2>/dev/null && keep_big "export-cadres-unmasked.csv" "$T/cu.csv"
"$ZHUCUN" eligible --policy "$POLICY" --format csv --only-rejected >"$T/el.csv" 2>&1
keep_big eligible-rejected.csv "$T/el.csv"

# ---- the plan --------------------------------------------------------------------
"$ZHUCUN" match --policy "$POLICY" --format json 2>"$T/match.err" | json match.json
"$ZHUCUN" plan show 1 2>&1 | sed 's/, [0-9.]* s$/, TIME s/' >"$T/show.txt" && keep_big plan-show.txt "$T/show.txt"
"$ZHUCUN" explain --plan 1 --village $LONGQIN 2>&1 | keep explain-longqin.txt
"$ZHUCUN" explain --plan 1 --village $LONGGUI 2>&1 | keep explain-longgui.txt
"$ZHUCUN" explain --plan 1 --village $LONGQIN --format json 2>&1 | json explain-longqin.json
# A cadre of the pool who was not sent, and why not to 龙琴村.
# The first cadres of the pool who were not sent: one not eligible, one eligible.
UNSENT=$(zc_sql "SELECT c.id_number FROM cadre c WHERE c.unit LIKE 'nn-%' AND NOT EXISTS (SELECT 1 FROM plan_slot s WHERE s.plan = 1 AND s.cadre = c.id) AND NOT EXISTS (SELECT 1 FROM posting p WHERE p.cadre = c.id) ORDER BY c.id LIMIT 40")
INELIGIBLE="" ELIGIBLE=""
for c in $UNSENT; do
    if "$ZHUCUN" explain --plan 1 --cadre "$c" 2>&1 | grep -q '^not eligible'; then
        [ -n "$INELIGIBLE" ] || INELIGIBLE=$c
    else
        [ -n "$ELIGIBLE" ] || ELIGIBLE=$c
    fi
done
SENT=$(zc_sql "SELECT c.id_number FROM plan_slot s JOIN cadre c ON c.id = s.cadre WHERE s.plan = 1 AND s.village = $LONGGUI ORDER BY s.seq LIMIT 1")
for c in INELIGIBLE ELIGIBLE; do
    eval "id=\$$c"
    [ -n "$id" ] || _fail "an $c cadre not sent" "none among the first 40 of the pool"
    n=$(echo $c | tr 'A-Z' 'a-z')
    "$ZHUCUN" explain --plan 1 --cadre "$id" 2>&1 | keep explain-$n.txt
    "$ZHUCUN" explain --plan 1 --cadre "$id" --why-not $LONGQIN 2>&1 | keep explain-$n-whynot.txt
    "$ZHUCUN" explain --plan 1 --cadre "$id" --why-not $LONGQIN --format json 2>&1 | json explain-$n-whynot.json
done
"$ZHUCUN" explain --plan 1 --cadre "$SENT" 2>&1 | keep explain-sent.txt
"$ZHUCUN" plan publish 1 --start 2018-07-01 >"$T/pub.txt" 2>&1
expect_rc "publish" 0
keep plan-publish.txt <"$T/pub.txt"

# ---- field work and assessment (the month the demo's 124 serve) ------------------------
"$ZHUCUN" demo field --month 2018-06 >"$T/df.txt" 2>&1
expect_rc "demo field" 0
keep demo-field.txt <"$T/df.txt"
"$ZHUCUN" presence --month 2018-06 --format csv >"$T/pr.csv" 2>&1 && keep_big presence.csv "$T/pr.csv"
"$ZHUCUN" cases --month 2018-06 --format json 2>&1 | json cases.json
"$ZHUCUN" assess month --month 2018-06 --format csv >"$T/am.csv" 2>&1 && keep_big assess-month.csv "$T/am.csv"
"$ZHUCUN" outcomes --year 2018 --format csv >"$T/oc.csv" 2>&1 && keep_big outcomes.csv "$T/oc.csv"
"$ZHUCUN" watch --year 2018 --format csv >"$T/wa.csv" 2>&1 && keep_big watch.csv "$T/wa.csv"

# ---- the API ------------------------------------------------------------------------------
PW='golden-Demo-2018-pass'
CAD=$(zc_sql "SELECT c.id_number FROM posting p JOIN cadre c ON c.id = p.cadre WHERE p.village = $LONGQIN AND p.end_date IS NULL ORDER BY c.id LIMIT 1")
CADID=$(zc_sql "SELECT c.id FROM cadre c WHERE c.id_number = '$CAD'")
for u in "prov --role province --scope 45" "cty --role county --scope 450124" \
    "twp --role township --scope 450124203" "cad --role cadre --scope 450124 --cadre $CAD"; do
    set -- $u
    n=$1
    shift
    echo "$PW" | "$ZHUCUN" user add "$n" "$@" --password-stdin >/dev/null 2>"$T/err" ||
        _fail "user add $n" "$(cat "$T/err")"
done
if zc_serve; then _ok "server is up"; else _fail "server is up" "$(cat "$T/server.log")"; fi
get() { # ACCOUNT PATH NAME
    tok=$(curl -s -H 'Content-Type: application/json' --data-binary "{\"user\":\"$1\",\"password\":\"$PW\"}" \
        "$BASE/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $tok" "$BASE$2")
    { echo "{\"status\": $code, \"body\":"; cat "$T/body"; echo "}"; } | json "$3"
}
for a in prov cty twp; do
    get $a /api/v1/stats api-$a-stats.json
    get $a "/api/v1/stats?table=areas" api-$a-stats-areas.json
    get $a "/api/v1/stats?date=2018-06-01" api-$a-stats-0601.json
    get $a /api/v1/plans api-$a-plans.json
    get $a /api/v1/plans/1 api-$a-plan1.json
    get $a /api/v1/plans/1/slots api-$a-plan1-slots.json
    get $a "/api/v1/plans/1/explain?village=$LONGQIN" api-$a-explain-longqin.json
    get $a /api/v1/villages/$LONGQIN/team api-$a-team-longqin.json
    get $a "/api/v1/villages/$LONGQIN" api-$a-village-longqin.json
    get $a /api/v1/cadres/$CADID/profile api-$a-profile.json
    get $a "/api/v1/field/presence?month=2018-06" api-$a-presence.json
    get $a "/api/v1/assess/month?month=2018-06" api-$a-assess-month.json
    get $a "/api/v1/villages?limit=20" api-$a-villages.json
done
get cad /api/v1/session api-cad-session.json
get cad /api/v1/villages/$LONGQIN/team api-cad-team-longqin.json
get cad /api/v1/cadres/$CADID/profile api-cad-profile.json
get cad "/api/v1/field/presence?month=2018-06" api-cad-presence.json
zc_serve_stop

# ---- compare (or regenerate) -----------------------------------------------------------------
if [ "$UPDATE" = 1 ]; then
    rm -rf "$G"
    mkdir -p "$G"
    cp "$NEW"/* "$G"/
    echo "golden: wrote $(ls "$G" | wc -l) files to tests/golden/mashan"
fi
for f in "$NEW"/*; do
    n=$(basename "$f")
    if [ ! -f "$G/$n" ]; then
        _fail "$n" "no golden file (make golden writes it)"
    elif cmp -s "$f" "$G/$n"; then
        _ok "$n is as golden"
    else
        _fail "$n" "differs from tests/golden/mashan/$n: $(diff "$G/$n" "$f" | head -n 12 | tr '\n' ' ' | cut -c1-600)"
    fi
done
for f in "$G"/*; do
    [ -f "$NEW/$(basename "$f")" ] || _fail "$(basename "$f")" "golden file no longer produced"
done
finish
