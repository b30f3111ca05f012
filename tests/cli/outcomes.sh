#!/bin/sh
# outcomes.sh - `zhucun outcomes` on the mashan-2018 demo: the CSV columns of
# the contract, incidence per village from its registered poor households
# (checked against an independent sqlite3 query), townships and counties as
# the sums of their villages, the exit rule with the western threshold and a
# policy override at the boundary, scoping.
. "$(dirname "$0")/lib.sh"
POLDIR="$(cd "$(dirname "$0")/../.." && pwd)/policies"
export ZHUCUN_TODAY=2018-06-17
zc_demo --scenario mashan-2018 --no-serve --quiet
expect_rc "demo scenario" 0
q() { zc_sql "$1"; }

run outcomes --year 2018 --scope 450124 --format csv
expect_rc "outcomes as CSV" 0
head -n 1 "$T/out" | grep -q "区划代码,名称,层级,户数,人口,贫困户数,贫困人口,贫困发生率,达到退出标准" && _ok "CSV columns" || _fail "CSV columns" "$(head -n 1 "$T/out")"
cp "$T/out" "$T/o.csv"
python3 - "$T/o.csv" <<'PY' && _ok "one county, its townships, villages in code order; sums add up" || _fail "rows" "see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
assert rows[0]["层级"] == "县" and rows[0]["区划代码"] == "450124000000", rows[0]
codes = [r["区划代码"] for r in rows]
assert codes == sorted(codes)
vil = [r for r in rows if r["层级"] == "村"]
assert len(vil) > 100
for key in ("户数", "人口", "贫困户数", "贫困人口"):
    assert int(rows[0][key]) == sum(int(r[key]) for r in vil), key
for t in (r for r in rows if r["层级"] == "乡"):
    mine = [r for r in vil if r["区划代码"][:9] == t["区划代码"][:9]]
    assert int(t["贫困人口"]) == sum(int(r["贫困人口"]) for r in mine), t
    assert int(t["村数"]) == len(mine)
for r in rows:
    if r["贫困发生率"]:
        inc = float(r["贫困发生率"])
        assert abs(inc - 100.0 * int(r["贫困人口"]) / int(r["人口"])) < 0.006, r
        assert r["退出标准(%)"] == "3.00"  # Guangxi is a western province
        assert (r["达到退出标准"] == "是") == (inc < 3.0), r
PY
# One village against an independent count of its registered poor households.
V=$(q "SELECT village FROM household WHERE status = 'poor' AND village BETWEEN 450124000000 AND 450124999999 GROUP BY village ORDER BY count(*) DESC LIMIT 1")
want=$(q "SELECT sum(members) FROM household WHERE village = $V AND status = 'poor'")
got=$(grep "^$V," "$T/o.csv" | cut -d, -f7)
if [ -n "$want" ] && [ "$got" = "$want" ]; then _ok "village $V: poor people from its households ($got)"; else _fail "village poor people" "got '$got', wanted '$want'"; fi
# Households identified after the year do not count yet.
q "UPDATE household SET poverty_year = 2019 WHERE village = $V"
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format csv >"$T/o2.csv"
got2=$(grep "^$V," "$T/o2.csv" | cut -d, -f7)
base=$(q "SELECT coalesce(poor_population, 0) FROM village WHERE code = $V")
if [ "$got2" = "$base" ]; then _ok "households identified later fall back to the ledger's figure"; else _fail "year filter" "got '$got2', wanted '$base'"; fi
q "UPDATE household SET poverty_year = 2015 WHERE village = $V"
# The boundary: a village at exactly the threshold does not meet it.
POP=$(q "SELECT population FROM village WHERE code = $V")
python3 - "$POLDIR/mashan-2018.json" "$T/edge.json" "$V" "$POP" "$T/o.csv" <<'PY'
import csv, json, sys
p = json.load(open(sys.argv[1]))
row = [r for r in csv.DictReader(open(sys.argv[5], encoding="utf-8-sig")) if r["区划代码"] == sys.argv[3]][0]
p.setdefault("outcomes", {})["exit_incidence_west_percent"] = float(row["贫困发生率"])
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format csv --policy "$T/edge.json" >"$T/o3.csv"
if grep "^$V," "$T/o3.csv" | grep -q ",否,"; then _ok "incidence equal to the threshold does not meet it"; else _fail "boundary" "$(grep "^$V," "$T/o3.csv")"; fi
# The ledger and the registered households agree in the demo; one extra
# household makes its village (and its county) say so.
if grep "^450124000000," "$T/o.csv" | tr -d '\r' | grep -q ",是$"; then _ok "ledger and households agree in the demo"; else _fail "consistent demo" "$(grep "^450124000000," "$T/o.csv")"; fi
printf '户编号,区划代码,人口数,致贫原因,脱贫状态,识别年度\nXTRA1,%s,3,因病,未脱贫,2016\n' "$V" >"$T/extra.csv"
run import households "$T/extra.csv"
expect_rc "an extra household imports" 0
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format csv >"$T/o4.csv"
if grep "^$V," "$T/o4.csv" | tr -d '\r' | grep -q ",否$" && grep "^450124000000," "$T/o4.csv" | tr -d '\r' | grep -q ",1 个村不一致$"; then _ok "the village whose ledger and households differ is named"; else _fail "inconsistency" "$(grep "^$V," "$T/o4.csv")"; fi
run outcomes --year 2018 --scope 450124 --policy "$POLDIR/default.json"
expect_out "table ends with the count" "meet the exit rule"
# Yearly status: 脱贫 needs the six checks and the income line; the year counts.
H=$(q "SELECT id FROM household WHERE village = $V AND status = 'poor' ORDER BY id LIMIT 1")
HM=$(q "SELECT members FROM household WHERE id = '$H'")
run household status --household "$H" --year 2019 --status 脱贫 --income 5000 --met 吃,穿,义务教育,基本医疗,住房安全 --policy "$POLDIR/mashan-2018.json"
expect_rc "脱贫 without every check is refused" 65
expect_err "the missing check is named" "饮水安全"
run household status --household "$H" --year 2019 --status 脱贫 --income 2000 --met 全部 --policy "$POLDIR/mashan-2018.json"
expect_rc "脱贫 below the income line is refused" 65
expect_err "the line is named" "3535 yuan"
run household status --household "$H" --year 2019 --status 脱贫 --income 5200 --met 全部 --evidence "入户核实" --policy "$POLDIR/mashan-2018.json"
expect_rc "脱贫 with the checks and the income" 0
run household status --household "$H" --year 2019 --status 脱贫 --met 吃,火星 --policy "$POLDIR/mashan-2018.json"
expect_rc "an unknown check is a usage error" 64
run household status --household NOPE --year 2019 --status 贫困
expect_rc "an unknown household is 66" 66
run household status --household "$H" --year 2019 --status 贫困 --scope 450125
expect_rc "outside the scope is 77" 77
p18=$("$ZHUCUN" outcomes --year 2018 --scope 450124 --format csv | grep "^$V," | cut -d, -f7)
p19=$("$ZHUCUN" outcomes --year 2019 --scope 450124 --format csv | grep "^$V," | cut -d, -f7)
if [ "$p19" = $((p18 - HM)) ]; then _ok "2019 counts the household as exited ($p18 -> $p19)"; else _fail "yearly status" "2018 $p18, 2019 $p19, members $HM"; fi
E=$(q "SELECT id FROM household WHERE village = $V AND status = 'exited' ORDER BY id LIMIT 1")
EM=$(q "SELECT members FROM household WHERE id = '$E'")
run household status --household "$E" --year 2020 --status 返贫 --unmet 基本医疗 --evidence "大病支出"
expect_rc "返贫 recorded" 0
p20=$("$ZHUCUN" outcomes --year 2020 --scope 450124 --format csv | grep "^$V," | cut -d, -f7)
if [ "$p20" = $((p19 + EM)) ]; then _ok "a household back in poverty counts again ($p19 -> $p20)"; else _fail "返贫" "2019 $p19, 2020 $p20, members $EM"; fi
if [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'household.status'")" = 2 ]; then _ok "status changes are audited"; else _fail "audit" "$(q "SELECT count(*) FROM audit_log WHERE action = 'household.status'")"; fi
run outcomes --year 1999
expect_rc "a year out of range is a usage error" 64
run outcomes --year 2018 --format xlsx
expect_rc "xlsx needs -o" 64
run outcomes --year 2018 --format xlsx -o "$T/o.xlsx"
expect_rc "outcomes as XLSX" 0
if unzip -p "$T/o.xlsx" xl/worksheets/sheet1.xml | grep -q "贫困发生率"; then _ok "XLSX has the columns"; else _fail "xlsx" "no header"; fi
run outcomes --year 2018 --scope 4501999
expect_rc "a bad scope is a usage error" 64

# ---- attribution: team villages against comparable villages without one ----------------
"$ZHUCUN" outcomes --year 2016 --scope 450124 --format csv >"$T/y16.csv"
"$ZHUCUN" outcomes --year 2018 --scope 450124 --format csv >"$T/y18.csv"
q "SELECT DISTINCT village FROM posting WHERE start_date <= '2018-12-31' AND (end_date IS NULL OR end_date >= '2016-01-01')" >"$T/teams.txt"
q "SELECT code, poverty FROM village" | tr '|' ',' >"$T/class.txt"
run outcomes attribution --year 2018 --baseline 2016 --scope 450124 --format csv
expect_rc "attribution as CSV" 0
cp "$T/out" "$T/attr.csv"
python3 - "$T/y16.csv" "$T/y18.csv" "$T/teams.txt" "$T/class.txt" "$T/attr.csv" <<'PY' && _ok "every team village, its change and its comparables as an independent computation finds them" || _fail "attribution" "see above"
import csv, sys
def inc(path):
    return {r["区划代码"]: r for r in csv.DictReader(open(path, encoding="utf-8-sig")) if r["层级"] == "村"}
b, n = inc(sys.argv[1]), inc(sys.argv[2])
teams = {l.strip().zfill(12) for l in open(sys.argv[3]) if l.strip()}
cls = dict((c.zfill(12), k) for c, k in (l.strip().split(",") for l in open(sys.argv[4]) if l.strip()))
bp = lambda r: round(float(r["贫困发生率"]) * 100) if r["贫困发生率"] else None
got = {r["区划代码"]: r for r in csv.DictReader(open(sys.argv[5], encoding="utf-8-sig"))}
want = sorted(c for c in n if c in teams)
assert sorted(got) == want and want, (sorted(got), want)
nonzero = 0
for c in want:
    tb, tn = bp(b[c]), bp(n[c])
    comps = [o for o in n if o[:6] == c[:6] and o not in teams and bp(b[o]) is not None and bp(n[o]) is not None
             and cls.get(o) == cls.get(c) and abs(bp(b[o]) - tb) <= 300]
    r = got[c]
    assert int(r["可比村数"]) == len(comps), (c, r, comps)
    assert round(float(r["变化(百分点)"]) * 100) == tn - tb, (c, r)
    if comps:
        s = sum(bp(n[o]) - bp(b[o]) for o in comps)
        mean = int((abs(s) + len(comps) // 2) // len(comps)) * (1 if s >= 0 else -1)
        assert round(float(r["差异(百分点)"]) * 100) == (tn - tb) - mean, (c, r, mean)
        nonzero += 1
assert nonzero > 0
PY
# A comparable village that gets a team of its own leaves the comparison and
# joins the team villages.
T1=$(awk -F, 'NR > 1 && $8 > 0 { print $1; exit }' "$T/attr.csv")
K1=$(grep "^$T1," "$T/attr.csv" | cut -d, -f8)
C1V=$(grep "^$T1," "$T/attr.csv" | cut -d, -f11- | tr -d '"\r' | cut -d, -f1)
CAD=$(q "SELECT id FROM cadre WHERE id NOT IN (SELECT cadre FROM posting) ORDER BY id LIMIT 1")
q "INSERT INTO posting (cadre, village, role, start_date, end_date) VALUES ($CAD, $C1V, 'member', '2017-03-01', '2017-12-31')"
run outcomes attribution --year 2018 --baseline 2016 --scope 450124 --format csv
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
expect_eq "$T1 has one comparable fewer" "$(grep "^$T1," "$T/out" | cut -d, -f8)" "$((K1 - 1))"
expect_eq "and $C1V is listed as a team village" "$(grep -c "^$C1V," "$T/out")" 1
q "DELETE FROM posting WHERE cadre = $CAD AND village = $C1V"
run outcomes attribution --year 2018 --baseline 2016 --scope 450124 --band 0 --format csv
if [ "$(awk -F, 'NR > 1 { s += $8 } END { print s + 0 }' "$T/out")" -lt "$(awk -F, 'NR > 1 { s += $8 } END { print s + 0 }' "$T/attr.csv")" ]; then _ok "a narrower band finds fewer comparables"; else _fail "band" "no fewer"; fi
run outcomes attribution --year 2018 --baseline 2016 --scope "${T1%???}"
expect_rc "a township's team villages (comparables from the whole county)" 0
expect_out "the table names the comparables" "可比村"
expect_out "and ends with the summary" "villages with a team"
run outcomes attribution --year 2016 --baseline 2018
expect_rc "a baseline after the year" 65
run outcomes attribution --year 2018
expect_rc "the baseline is required" 64
finish
