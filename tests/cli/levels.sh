#!/bin/sh
# levels.sh - which sending levels serve which villages (issue 15, 十百千 /
# 尽锐出战): avoidance.level_classes keeps the cadres of units at a level to
# the village classes it names. On the mashan-2018 demo with city units
# sent to deep-poverty villages only: no city cadre lands in another class,
# the plan stays certified, explain --why-not and a pin name the rule, and
# a bad value is refused naming the key.
. "$(dirname "$0")/lib.sh"
unset ZHUCUN_POLICY
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export ZHUCUN_TODAY=2018-06-17
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
run demo --scenario mashan-2018 --out "$ZHUCUN_DB" --no-serve --quiet
expect_rc "demo" 0
jq '.avoidance.level_classes = {"city": ["deep"]}' "$ROOT/policies/mashan-2018.json" >"$T/deep.json"
run match --policy "$T/deep.json" --format json
expect_rc "match with city units to deep villages only" 0
expect_eq "certified" "$(jq -r .certified "$T/out")" true
expect_eq "gap 0" "$(jq -r .gap "$T/out")" 0
P=$(jq -r .plan "$T/out")
expect_eq "no city cadre in a village that is not deep" \
    "$(zc_sql "SELECT count(*) FROM plan_slot s JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit JOIN village v ON v.code = s.village WHERE s.plan = $P AND u.level = 'city' AND v.poverty <> 'deep'")" 0
deep=$(zc_sql "SELECT count(*) FROM plan_slot s JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit JOIN village v ON v.code = s.village WHERE s.plan = $P AND u.level = 'city' AND v.poverty = 'deep'")
[ "$deep" -gt 100 ] && _ok "city cadres still staff the deep villages ($deep)" || _fail "city cadres in deep villages" "$deep"
run match --policy "$ROOT/policies/mashan-2018.json" --format json
P0=$(jq -r .plan "$T/out")
others=$(zc_sql "SELECT count(*) FROM plan_slot s JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit JOIN village v ON v.code = s.village WHERE s.plan = $P0 AND u.level = 'city' AND v.poverty <> 'deep'")
[ "$others" -gt 0 ] && _ok "without the rule city cadres also go to poor villages ($others)" || _fail "the rule changes the plan" "$others"
# A city cadre sent to a deep village, asked why not a poor one.
C=$(zc_sql "SELECT c.id_number FROM plan_slot s JOIN cadre c ON c.id = s.cadre JOIN unit u ON u.code = c.unit WHERE s.plan = $P AND u.level = 'city' ORDER BY s.village, s.seq LIMIT 1")
V=$(zc_sql "SELECT code FROM village WHERE poverty = 'poor' ORDER BY code LIMIT 1")
run explain --plan "$P" --cadre "$C" --why-not "$V"
expect_out "why-not names the level rule" "avoidance.level_classes"
expect_out "why-not says it in Chinese" "不派往贫困村"
run pin add --cadre "$C" --village "$V" --note 点将
expect_rc "pin add" 0
run match --policy "$T/deep.json"
expect_rc "a pin against the level rule is refused" 65
expect_err "the refusal names the rule" "avoidance.level_classes"
run pin remove --cadre "$C"
jq '.avoidance.level_classes = {"village": ["deep"]}' "$ROOT/policies/mashan-2018.json" >"$T/bad.json"
run match --policy "$T/bad.json"
expect_rc "an unknown level is refused" 65
expect_err "the error names the key" "avoidance.level_classes: \"village\" is not a unit level"
jq '.avoidance.level_classes = {"city": ["rich"]}' "$ROOT/policies/mashan-2018.json" >"$T/bad2.json"
run match --policy "$T/bad2.json"
expect_rc "an unknown class is refused" 65
expect_err "the error names the class key" "avoidance.level_classes.city"
finish
