#!/bin/sh
# eligible.sh - `zhucun eligible` end to end on a small imported ledger:
# reasons appear, counts are right, masking, formats, a bad policy file.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
unset ZHUCUN_POLICY
POLICY_DIR=$(cd "$(dirname "$0")/../../policies" && pwd)

# id17 -> id18 with the GB 11643 check character.
A=$(zc_idcard 45012419800101001)   # male, eligible
B=$(zc_idcard 45012419900202002)   # female, 基本称职 2025 + 警告 2025
C=$(zc_idcard 45012419650303003)   # male, too old (61)
D=$(zc_idcard 45012419920404004)   # female, newcomer, off the payroll
E=$(zc_idcard 45012419850505005)   # male, school teacher (教育)

run init
expect_rc init 0
run divisions load --only 450124
expect_rc divisions 0
cat >"$T/units.csv" <<CSV
code,name,level,category,division
U-ECON,市发改委,city,经济,450124
U-EDU,市第一中学,city,教育,450124
CSV
cat >"$T/cadres.csv" <<CSV
id_number,name,unit,rank,party_member,reserve,on_staff,education,skills,rural_years,service_years,hometown,grades,discipline,volunteer,preferred,gender,birth_date,spouse
$A,张一,U-ECON,副科,是,否,是,本科,,2,10,450124,2024:称职;2025:优秀,,是,,男,1980-01-01,
$B,李二,U-ECON,科员,是,否,是,本科,,0,8,450124,2025:基本称职,2025:警告,否,,女,1990-02-02,
$C,王三,U-ECON,正科,是,否,是,大专,,5,30,450124,,,否,,男,1965-03-03,
$D,赵四,U-ECON,科员,否,否,否,本科,,0,1,450124,,,否,,女,1992-04-04,
$E,钱五,U-EDU,科员,是,否,是,本科,,0,6,450124,,,否,,男,1985-05-05,
CSV
run import units "$T/units.csv"
expect_rc import-units 0
run import cadres "$T/cadres.csv"
expect_rc import-cadres 0

run eligible --policy "$POLICY_DIR/default.json"
expect_rc table-rc 0
expect_out table-grade "2025年度考核为基本称职 (grade_basic_competent)"
expect_out table-discipline "2025年受警告处分, 影响期至2026-12-31"
expect_out table-too-old "选派时61周岁, 超过55周岁"
expect_out table-newcomer "service_too_short"
expect_out table-off-staff "非在职在编"
expect_out table-masked "4501**********"
expect_no_out table-no-full-id "$A"
expect_err summary "2 eligible, 3 not eligible; top reasons: not_on_staff 1"

run eligible --policy "$POLICY_DIR/mashan-2018.json" --format csv --unmask
expect_rc csv-rc 0
expect_out csv-header "id_number,name,unit,eligible,codes,reasons"
expect_out csv-teacher "$E,钱五,U-EDU,否,unit_category_excluded"
expect_out csv-college "education_too_low"

run eligible --format json --only-rejected --unit U-ECON
expect_rc json-default-policy 0
expect_out json-code '"code":"too_old"'
expect_out json-en '"en":"rated 基本称职 in 2025"'
expect_no_out json-only-rejected '"name":"张一"'
if [ "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null)" = 3 ]; then
    _ok json-count
else
    _fail json-count "expected 3 rejected in U-ECON: $OUT"
fi

cat >"$T/bad.json" <<JSON
{
  "name": "bad",
  "eligibility": {
    "min_service_years": "three"
  }
}
JSON
run eligible --policy "$T/bad.json"
expect_rc bad-policy-rc 65
expect_err bad-policy-line "bad.json:4: eligibility.min_service_years must be a whole number 0..40, not \"three\""

cat >"$T/typo.json" <<JSON
{
  "eligibility": { "grades": { "yeras": 2 } }
}
JSON
run eligible --policy "$T/typo.json"
expect_rc typo-rc 65
expect_err typo-suggest "typo.json:2: unknown key eligibility.grades.yeras (did you mean years?)"

run eligible --format xml
expect_rc bad-format 64
finish
