#!/bin/sh
# policy_division.sh - the policy chosen per division (zhucun field policy
# set) judges the assessment and the outcomes as it judges field work: on
# the mashan-2018 demo month, the county gets its own score weights, a
# township inside it its own again (the innermost choice wins), the annual
# quota follows the county's policy, and the exit rule of the outcomes the
# policy chosen for the division; --policy FILE still overrides, and
# clearing the choice brings the default back.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POL="$ROOT/policies/mashan-2018.json"
mkdir -p "$T/pol"
cp "$ROOT/policies/default.json" "$T/pol/default.json"
export ZHUCUN_POLICY="$T/pol/default.json" # the directory field policy set reads
# 马山县's own rules: presence alone scores, half the cadres may be 优秀,
# and a village leaves poverty below 30% (to see the rule change).
python3 - "$T/pol" <<'PY'
import json, sys
d = sys.argv[1]
base = json.load(open(d + "/default.json"))
def write(name, score, grades=None, outcomes=None, inspection=None):
    p = json.loads(json.dumps(base))
    p["name"] = name
    p["title"] = name
    p["assess"]["score"].update(score)
    if grades:
        p["assess"]["grades"].update(grades)
    if outcomes:
        p["outcomes"].update(outcomes)
    if inspection:
        p["assess"]["inspection"].update(inspection)
    json.dump(p, open(d + "/" + name + ".json", "w"), ensure_ascii=False)
write("county-own", {"presence": 100, "visits": 0, "tasks": 0, "findings": 0, "outcomes": 0},
      {"excellent_percent": 50, "excellent_min": 0, "competent_min": 0, "basic_min": 0}, {"exit_incidence_percent": 30, "exit_incidence_west_percent": 30},
      {"ticket_days": 30})
write("township-own", {"presence": 0, "visits": 0, "tasks": 0, "findings": 100, "outcomes": 0})
PY

zc_demo_month "$POL"
expect_rc "demo scenario, its plan published, July's field records generated" 0
export ZHUCUN_TODAY=2018-08-01

month_json() { "$ZHUCUN" assess month --month 2018-07 --format json "$@" >"$T/m.json" 2>"$T/m.err"; }
# "N P" for the month: cadres, and those whose only counted part is presence
only() { # COMPONENT [SCOPE PREFIX]: cadres (of villages starting with PREFIX) scored on COMPONENT alone
    python3 - "$T/m.json" "$1" "${2:-}" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
rows = [r for r in rows if r["village_code"].startswith(sys.argv[3])]
keys = ["presence", "visits", "tasks", "findings", "outcomes"]
def alone(r, k):
    return all(r[o] in ("", None) for o in keys if o != k) and abs(r[k] - r["total"]) < 0.05
print(len(rows), sum(1 for r in rows if alone(r, sys.argv[2])))
PY
}
month_json --scope 4501
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
N=$(only presence | cut -d' ' -f1)
if [ "$N" -gt 50 ]; then _ok "the month has its cadres ($N)"; else _fail "month" "$N: $(head -c 300 "$T/m.err")"; fi
expect_eq "by default nobody is scored on presence alone" "$(only presence | cut -d' ' -f2)" 0
NC=$(only presence 450124 | cut -d' ' -f1)
if [ "$NC" -gt 50 ] && [ "$NC" -lt "$N" ]; then _ok "马山县's among them ($NC of $N)"; else _fail "county cadres" "$NC of $N"; fi

run field policy set --scope 450124 --policy county-own
expect_rc "马山县 chooses its own policy" 0
month_json --scope 4501
expect_eq "over the city, the county's cadres get the county's weights" "$(only presence 450124)" "$NC $NC"
expect_eq "the other counties keep the default" "$(only presence | cut -d' ' -f2)" "$NC"
month_json --scope 450124
expect_eq "and over the county itself" "$(only presence)" "$NC $NC"
month_json --scope 4501 --policy "$T/pol/default.json"
expect_eq "--policy FILE overrides the choice" "$(only presence | cut -d' ' -f2)" 0

# A township inside chooses again: its villages follow it, the rest the county.
TWP=$(zc_sql "SELECT p.village / 1000 FROM posting p WHERE p.end_date IS NULL AND p.village BETWEEN 450124000000 AND 450124999999 GROUP BY p.village / 1000 ORDER BY count(*) DESC LIMIT 1")
run field policy set --scope "$TWP" --policy township-own
expect_rc "a township chooses its own" 0
month_json --scope 4501
IN_T=$(only findings "$TWP")
NT=$(echo "$IN_T" | cut -d' ' -f1)
if [ "$NT" -gt 0 ]; then _ok "the township has cadres ($NT)"; else _fail "township" "$IN_T"; fi
expect_eq "the township's cadres are scored by its own weights" "$IN_T" "$NT $NT"
expect_eq "the others keep the county's" "$(only presence 450124 | cut -d' ' -f2)" "$((NC - NT))"

# The same over the API (the server's default policy where nothing was chosen).
zc_add_user cty --role county --scope 450124
zc_add_user city --role city --scope 4501
if zc_serve --threads 2; then _ok "server is up"; else _fail "server is up" "$(cat "$T/server.log")"; finish; fi
login cty
login city
req city GET "/api/v1/assess/month?month=2018-07"
if py "
rows=d['rows']; twp='$TWP'
def alone(r, k): return [c for c, p in r['parts'].items() if p['counted']] == [k]
mine=[r for r in rows if r['village'].startswith('450124') and not r['village'].startswith(twp)]
inside=[r for r in rows if r['village'].startswith(twp)]
other=[r for r in rows if not r['village'].startswith('450124')]
assert mine and inside and other
assert all(alone(r, 'presence') for r in mine), 'county'
assert all(alone(r, 'findings') for r in inside), 'township'
assert not any(alone(r, 'presence') for r in other), 'others'
"; then _ok "GET /assess/month: county, township and the other counties each by their own weights"; else _fail "API month" "$(head -c 300 "$T/body")"; fi
req cty GET "/api/v1/assess/year?year=2018"
if py "c=[x for x in d['counties'] if x['county']=='450124'][0]; assert c['quota']==c['cadres']*50//100, c"; then _ok "POST /assess/year: the county's quota is its policy's 50%"; else _fail "API year quota" "$(head -c 300 "$T/body")"; fi
req cty GET "/api/v1/outcomes?year=2018"
if py "v=[r for r in d['rows'] if r['level']=='county'][0]; assert abs(v['exit_threshold']-30)<0.01 and v['meets_exit'], v"; then _ok "GET /outcomes: the county's exit rule is its policy's 30%"; else _fail "API outcomes" "$(head -c 300 "$T/body")"; fi
zc_serve_stop

# Annual grades: the county's quota (50%) and thresholds, not the default's 20%.
run assess year --year 2018 --scope 450124 --format json
expect_rc "annual grades proposed" 0
EXC=$(printf '%s' "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(1 for r in d if r['proposed']=='优秀'), len(d))")
E=${EXC%% *}
ALL=${EXC##* }
if [ "$E" -gt $((ALL / 5)) ] && [ "$E" -le $((ALL / 2)) ]; then _ok "优秀 within the county's own 50% quota, past the default's 20% ($EXC)"; else _fail "county quota" "$EXC"; fi

# Outcomes: the exit rule of the policy chosen for the division.
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format json --policy "$T/pol/default.json" >"$T/o1.json"
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format json >"$T/o2.json"
run field policy clear --scope "$TWP"
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format json >"$T/o3.json"
R=$(python3 - "$T/o1.json" "$T/o2.json" "$T/o3.json" "$TWP" <<'PY'
import json, sys
twp = sys.argv[4]
def meeting(path, inside):
    return sum(1 for r in json.load(open(path)) if r["level"] == "村" and r["code"].startswith(twp) == inside and r["meets_exit"] == "是")
print(*(meeting(p, False) for p in sys.argv[1:4]), *(meeting(p, True) for p in sys.argv[1:4]))
PY
)
set -- $R
if [ "$2" -gt "$1" ]; then _ok "below the county's 30% more villages meet the exit rule ($1 -> $2)"; else _fail "county exit rule" "$R"; fi
if [ "$6" -gt "$4" ]; then _ok "the township's villages too, under the county's policy ($4 -> $6)"; else _fail "township under the county" "$R"; fi
expect_eq "while the township's own policy keeps the default exit rule for its villages" "$5" "$4"
# A finding's deadline: the ticket_days of the village's policy (30 here, 15 by default).
V=$(zc_sql "SELECT village FROM posting WHERE end_date IS NULL AND village BETWEEN 450124000000 AND 450124999999 ORDER BY village LIMIT 1")
run inspect record --village "$V" --method open --date 2018-07-28 --inspectors 王督查
expect_rc "an inspection in the county" 0
INS=$(zc_sql "SELECT max(id) FROM inspection")
run inspect finding --inspection "$INS" --rule diary --text "日志不全"
expect_out "the county's own deadline" "deadline in 30 days"
expect_eq "the ticket is due 30 days on" "$(zc_sql "SELECT deadline FROM ticket ORDER BY id DESC LIMIT 1")" 2018-08-27
run inspect finding --inspection "$INS" --rule visits --text "走访不足" --policy "$T/pol/default.json"
expect_out "--policy FILE: the file's 15 days" "deadline in 15 days"

run field policy clear --scope 450124
expect_rc "choices cleared" 0
month_json --scope 4501
expect_eq "back to the default weights" "$(only presence | cut -d' ' -f2)" 0
finish
