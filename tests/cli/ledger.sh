#!/bin/sh
# ledger.sh - the ledger end to end: init, divisions, skills, import (every
# error path of issue 2), export and re-import, on a subtree of the real
# division tree.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2018-06-30
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}

# zc_idcard PREFIX17 -> the 18-character number with its MOD 11-2 check character.
A=$(zc_idcard 45010219850317123)   # male (3), born 1985-03-17
B=$(zc_idcard 45012419900101002)   # female (2), born 1990-01-01
C=$(zc_idcard 13042619751122301)   # male, born 1975-11-22
D=$(zc_idcard 45010220040101001)   # born 2004: too young

run init
expect_rc "init creates the database" 0
expect_out "init reports the schema version" "schema version"
run init
expect_rc "init is safe to run twice" 0

run divisions load --only 450124,450125,130426
expect_rc "divisions load (subtree)" 0
expect_out "divisions load counts committees" "committees"
run divisions get 450124203202
expect_out "龙琴村 is in the tree" "龙琴村"
run divisions get 450199999999
expect_rc "unknown code is not found" 66

run skills add beekeeping 养蜂 Beekeeping
expect_rc "skills add" 0
run skills list
expect_out "skills list shows the extension" "养蜂"

cat >"$T/units.csv" <<CSV
单位代码,单位名称,层级,类别,所在区划,在编人数
U001,南宁市委组织部,市,党群,4501,120
U002,南宁市发展和改革委员会,市,经济,4501,
U003,南宁市公安局,市,政法,4501,2400
U004,南宁市水利局,市,涉农,4501,85
CSV
run import units "$T/units.csv"
expect_rc "import units" 0
expect_out "units: 4 added" "4 rows: 4 added, 0 updated, 0 unchanged"
run import units "$T/units.csv"
expect_out "re-import changes nothing" "4 rows: 0 added, 0 updated, 4 unchanged"

# English headers, an update, a BOM.
printf '\357\273\277code,name,level,category,division\r\nU004,南宁市水利局,city,agriculture,450100\r\n' >"$T/units_en.csv"
run import units "$T/units_en.csv"
expect_out "English headers with BOM" "1 rows: 0 added, 0 updated, 1 unchanged"
run export units --format csv
expect_out "staff exported" "U003,南宁市公安局,市,政法,4501,2400"
expect_out "a file without the staff column kept it" "U004,南宁市水利局,市,涉农,4501,85"
# A partial file: just the key and the staff number (the required columns
# are only required of new records... here all exist, but name/level/category
# are still required headers, so give them).
printf '单位代码,单位名称,层级,类别,在编人数\nU002,南宁市发展和改革委员会,市,经济,310\n' >"$T/units_staff.csv"
run import units "$T/units_staff.csv"
expect_out "partial file updates one record" "1 rows: 0 added, 1 updated, 0 unchanged"
run export units --format csv
expect_out "partial file kept the division" "U002,南宁市发展和改革委员会,市,经济,4501,310"

# Where a unit sits (纬度/经度, WGS-84): the field rule home_city_on_village_day
# looks for a cadre's points near it; a file without the columns keeps them.
printf '单位代码,单位名称,层级,类别,纬度,经度\nU001,南宁市委组织部,市,党群,22.8170,108.3665\n' >"$T/units_pos.csv"
run import units "$T/units_pos.csv"
expect_out "a unit's position imported" "1 rows: 0 added, 1 updated, 0 unchanged"
expect_eq "stored as given" "$(zc_sql "SELECT CAST(round(lat * 10000) AS INTEGER) || ' ' || CAST(round(lng * 10000) AS INTEGER) FROM unit WHERE code = 'U001'")" "228170 1083665"
run import units "$T/units.csv"
run export units --format csv
expect_out "exported, and kept by a file without the columns" "U001,南宁市委组织部,市,党群,4501,120,22.817000,108.366500"
printf '单位代码,单位名称,层级,类别,纬度,经度\nU001,南宁市委组织部,市,党群,22.8170,\nU002,南宁市发展和改革委员会,市,经济,95,108.3\n' >"$T/units_badpos.csv"
run import units "$T/units_badpos.csv"
expect_rc "a bad position is refused" 65
expect_err "latitude without longitude named" "units_badpos.csv:2:经度: latitude and longitude go together"
expect_err "a latitude outside China named" "units_badpos.csv:3:纬度"
expect_eq "nothing of it written" "$(zc_sql "SELECT count(*) FROM unit WHERE code = 'U002' AND lat IS NOT NULL")" "0"

cat >"$T/units_bad.csv" <<CSV
code,name,level,category,division
U005,Good unit,county,party,450124
U006,Bad level,district,party,450124
U007,Bad division,county,economic,459999
U005,Duplicate,county,party,450124
CSV
run import units "$T/units_bad.csv"
expect_rc "bad units exit 65" 65
expect_err "bad level named with row and column" "units_bad.csv:3:level: 'district' is not one of"
expect_err "unknown division" "units_bad.csv:4:division: division code 459999 is not in the division tree"
expect_err "duplicate key in a file" "units_bad.csv:5:code: unit U005 already appears in row 2"
run export units --format json
expect_no_out "all or nothing: U005 was not written" "U005"

cat >"$T/villages.csv" <<CSV
区划代码,贫困类型,村情类型,自然屯数,人口,户数,贫困户数,贫困人口,需求技能,产业,纬度,经度,结对单位
450124203202,深度贫困村,软、穷,60,3200,800,210,900,驾驶,种桑养蚕,23.70,108.17,U001
450125205203,贫困村,弱,12,2100,520,130,560,农业种植;养蜂,蚕桑;金银花,23.43,108.60,U004
CSV
run import villages "$T/villages.csv"
expect_rc "import villages" 0
expect_out "villages added" "2 rows: 2 added"

cat >"$T/villages_bad.csv" <<CSV
code,poverty,states,households,poor_households,population,poor_population,needs,lat,lng,paired_unit
450124203202,贫困村,软,100,120,500,200,,,,
450124203,贫困村,,,,,,,,,
450124203202,贫困村,好,,,,,,,,
450125205203,贫困村,,,,,,开飞机,23.4,,U999
CSV
run import villages "$T/villages_bad.csv"
expect_rc "bad villages exit 65" 65
expect_err "more poor households than households" "villages_bad.csv:2:poor_households: 120 poor households but only 100 households"
expect_err "township code is not a village" "villages_bad.csv:3:code: 450124203 is a township code"
expect_err "unknown state" "villages_bad.csv:4:states: '好' is not a village state"
expect_err "unknown skill" "villages_bad.csv:5:needs: unknown skill '开飞机'"
expect_err "lat without lng" "villages_bad.csv:5:lng: latitude and longitude go together"
expect_err "unknown paired unit" "villages_bad.csv:5:paired_unit: unit U999 is not registered"
run export villages --format csv
expect_out "village unchanged after failed import" "450124203202,深度贫困村,软穷,60"

cat >"$T/cadres.csv" <<CSV
身份证号,姓名,单位代码,职级,党员,后备干部,在职在编,学历,专业技能,农村工作年限,工作年限,籍贯区划,年度考核,纪律处分,自愿报名,意向地区,性别,出生日期,配偶身份证号
$A,张三,U001,副科,是,是,是,本科,驾驶;党建,3,10,450124,2016:优秀;2017:称职,,是,450124,男,1985-03-17,$B
$B,李四,U004,科员,否,否,是,研究生,农业种植,2,5,450125,2017:基本称职,2017:警告,否,,女,,
CSV
run import cadres "$T/cadres.csv"
expect_rc "import cadres" 0
expect_out "cadres added" "2 rows: 2 added"
run import cadres "$T/cadres.csv"
expect_out "cadres re-import unchanged" "2 rows: 0 added, 0 updated, 2 unchanged"
printf 'id_number,name,unit,skills\n%s,张三,U001,驾驶;党建;法律\n' "$A" >"$T/cadres_partial.csv"
run import cadres "$T/cadres_partial.csv"
expect_out "partial cadre file updates" "1 rows: 0 added, 1 updated, 0 unchanged"
run export cadres --format csv --unmask
expect_out "partial cadre file kept grades, rank and spouse" "$A,张三,U001,副科,是,是,是,本科,驾驶;法律;党建,3,10,450124,2016:优秀;2017:称职,,是,450124,男,1985-03-17,$B"
run import cadres "$T/cadres.csv"
expect_out "full file restores" "2 rows: 0 added, 1 updated, 1 unchanged"

BADCHK=$(echo "$C" | sed 's/.$/0/')
[ "$BADCHK" = "$C" ] && BADCHK=$(echo "$C" | sed 's/.$/1/')
cat >"$T/cadres_bad.csv" <<CSV
id_number,name,unit,rank,party_member,service_years,birth_date,gender,grades,hometown,education
$BADCHK,王五,U001,正科,是,10,,,,450124,本科
$C,赵六,U404,正科,是,10,,,,450124,本科
$C,孙七,U001,处长,也许,50,1975-11-23,女,2016:良好,459999,小学
$D,周八,U001,科员,是,1,,,,450124,本科
CSV
run import cadres "$T/cadres_bad.csv"
expect_rc "bad cadres exit 65" 65
expect_err "check digit" "cadres_bad.csv:2:id_number: ID number check character"
expect_err "unknown unit" "cadres_bad.csv:3:unit: unit U404 is not registered"
expect_err "bad rank" "cadres_bad.csv:4:rank: '处长' is not one of"
expect_err "bad boolean" "cadres_bad.csv:4:party_member: '也许' is not one of 是/否"
expect_err "birth date contradicts ID" "cadres_bad.csv:4:birth_date: birth date 1975-11-23 contradicts the ID number (1975-11-22)"
expect_err "gender contradicts ID" "cadres_bad.csv:4:gender: gender 女 contradicts the ID number (男)"
expect_err "service before 16" "cadres_bad.csv:4:service_years: 50 years of service would start in 1968"
expect_err "unknown grade" "cadres_bad.csv:4:grades: '良好' is not a grade"
expect_err "unknown hometown" "cadres_bad.csv:4:hometown: division code 459999 is not in the division tree"
expect_err "too young" "cadres_bad.csv:5:birth_date: born 2004-01-01: an age of 14"
expect_err "summary line" "errors; nothing was imported"
run export cadres --format csv
expect_no_out "all or nothing for cadres" "王五"

# Export: masked by default, unmasked on request, XLSX round trip.
run export cadres --format csv
expect_out "IDs masked" "4501**********"
expect_no_out "full ID not in masked export" "$A"
if grep -qE ',[12][0-9]{3}-[01][0-9]-[0-3][0-9],' "$T/out"; then _fail "masked export keeps no full birth date" "$(grep -E ',[12][0-9]{3}-[01][0-9]-[0-3][0-9],' "$T/out" | head -1)"; else _ok "masked export keeps no full birth date (PIPL)"; fi
homes() { python3 -c "import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')) if r['籍贯区划']))" "$T/out"; }
if [ "$(homes)" = 0 ]; then _ok "masked export withholds the hometown"; else _fail "masked export withholds the hometown" "$(homes) hometowns"; fi
run export cadres --format csv --unmask
expect_out "IDs unmasked on request" "$A"
if grep -qE ',[12][0-9]{3}-[01][0-9]-[0-3][0-9],' "$T/out" && [ "$(homes)" -gt 0 ]; then _ok "unmasked export keeps birth dates and hometowns"; else _fail "unmasked birth dates and hometowns" "missing"; fi
run export cadres --format xlsx -o "$T/masked.xlsx"
run import cadres "$T/masked.xlsx"
expect_err "a masked export cannot be re-imported, and says why" "masked.xlsx:2:身份证号: ID number is masked"
run export cadres --format xlsx -o "$T/cadres.xlsx" --unmask
expect_rc "xlsx export" 0
run import cadres "$T/cadres.xlsx"
expect_rc "xlsx re-import" 0
expect_out "xlsx round trip changes nothing" "2 rows: 0 added, 0 updated, 2 unchanged"
run export villages --format xlsx -o "$T/villages.xlsx"
run import villages "$T/villages.xlsx"
expect_out "village xlsx round trip changes nothing" "2 rows: 0 added, 0 updated, 2 unchanged"
run export units --format json
expect_out "json export" '"code":'

# GB18030 from Chinese Windows.
cat >"$T/households.csv" <<CSV
户编号,区划代码,户主身份证号,人口数,致贫原因,人均纯收入,脱贫状态,识别年度
H0001,450124203202,$B,4,因病,2650.5,未脱贫,2014
H0002,450124203202,,3,缺技术,3100,已脱贫,2015
CSV
iconv -f UTF-8 -t GB18030 "$T/households.csv" >"$T/households_gb.csv"
run import households "$T/households_gb.csv"
expect_rc "GB18030 households" 0
expect_out "households added" "2 rows: 2 added"
run export households --format csv
expect_out "income kept in fen, shown in yuan" "2650.50"
expect_out "Chinese text survived GB18030" "因病"

cat >"$T/households_bad.csv" <<CSV
id,village,members,cause,income_per_capita,status,poverty_year
H0003,450124203202,0,因病,12.345,未脱贫,2011
H0004,450124203,2,懒,abc,不知道,2014
CSV
run import households "$T/households_bad.csv"
expect_rc "bad households exit 65" 65
expect_err "members at least 1" "households_bad.csv:2:members: 0 is out of range 1..30"
expect_err "money with 3 decimals" "households_bad.csv:2:income_per_capita: '12.345' is not an amount"
expect_err "year before registration" "households_bad.csv:2:poverty_year: 2011 is out of range 2013..2018"
expect_err "unknown cause" "households_bad.csv:3:cause: '懒' is not one of"

# Formula neutralisation in CSV export.
printf 'code,name,level,category\nU100,=HYPERLINK("x"),county,other\n' >"$T/units_formula.csv"
run import units "$T/units_formula.csv"
run export units --format csv
expect_out "formula cell neutralised" "'=HYPERLINK"

# Missing required column, empty file, missing file, more than 100 errors.
printf 'name,level,category\nX,county,other\n' >"$T/units_nocode.csv"
run import units "$T/units_nocode.csv"
expect_rc "missing column exit 65" 65
expect_err "missing required column" "units_nocode.csv:1:单位代码: required column 单位代码 (code) is missing"
: >"$T/empty.csv"
run import units "$T/empty.csv"
expect_rc "empty file is bad input" 65
run import units "$T/nope.csv"
expect_err "missing file named" "nope.csv"
awk 'BEGIN { print "code,name,level,category"; for (i = 0; i < 150; i++) printf "X%d,n,nowhere,other\n", i }' >"$T/many.csv"
run import units "$T/many.csv"
expect_err "errors capped at 100 lines, then a count" "... and 50 more errors"

# Counts of a larger file, from the upsert's own change count: more rows than
# PostgreSQL's pipeline sends between two sync points (256), held cadres
# asked one by one and then all read at once (a file's keys past a sixteenth
# of the table), grade rows of changed and of new cadres.
awk 'BEGIN { print "code,name,level,category,division";
             for (i = 0; i < 700; i++) printf "U%04d,单位%d,city,party,4501\n", i, i }' >"$T/units700.csv"
run import units "$T/units700.csv"
expect_out "700 units" "700 rows: 700 added"
awk -v n=700 -v seed=1 -f bench/ledger/gen_cadres.awk >"$T/c700.csv"
head -301 "$T/c700.csv" >"$T/c300.csv"
run import cadres "$T/c300.csv"
expect_out "300 cadres added" "300 rows: 300 added, 0 updated, 0 unchanged"
# Rows 2-51 change a name, 52-101 their grades; 302-701 are new.
awk -F, 'BEGIN { OFS = "," } NR >= 2 && NR <= 51 { $2 = $2 "改" } NR >= 52 && NR <= 101 { $13 = "2015:称职" } 1' \
    "$T/c700.csv" >"$T/c700b.csv"
run import cadres "$T/c700b.csv"
expect_out "re-import counts added, updated, unchanged" "700 rows: 400 added, 100 updated, 200 unchanged"
run import cadres "$T/c700b.csv"
expect_out "and again: all unchanged" "700 rows: 0 added, 0 updated, 700 unchanged"
expect_eq "new cadres have their ids in the file's order" \
    "$(zc_sql "SELECT id_number FROM cadre WHERE unit LIKE 'U0___' ORDER BY id")" "$(tail -n +2 "$T/c700b.csv" | cut -d, -f1)"
expect_eq "the audit entry has the counts of the file" \
    "$(zc_sql "SELECT $(zc_jx rows) || '/' || $(zc_jx added) || '/' || $(zc_jx updated) || '/' || $(zc_jx unchanged) FROM audit_log WHERE action = 'import.cadres' ORDER BY seq DESC LIMIT 2")" \
    "$(printf '700/0/0/700\n700/400/100/200')"
# Values that PostgreSQL's COPY text format escapes (a file of more rows
# than one INSERT goes by COPY there): a tab, backslashes, a text that reads
# \N, kept byte for byte; a re-import finds them unchanged.
R3=$(sed -n 3p "$T/c700b.csv" | cut -d, -f1)
awk -F, 'BEGIN { OFS = "," } NR == 3 { $2 = "\"制\t表\\N\\\"" } NR == 4 { $2 = "\\N" } 1' "$T/c700b.csv" >"$T/c700esc.csv"
ZHUCUN_PG_TRACE=1 # prints every statement PostgreSQL refused
export ZHUCUN_PG_TRACE
run import cadres "$T/c700esc.csv"
unset ZHUCUN_PG_TRACE
expect_out "escaped values: two rows updated" "700 rows: 0 added, 2 updated, 698 unchanged"
if grep -q "PostgreSQL refused" "$T/err"; then
    _fail "escaped values went in as sent (no row-by-row retry)" "$(head -c 300 "$T/err")"
else _ok "escaped values went in as sent (no row-by-row retry)"; fi
expect_eq "a tab and backslashes survive the import" \
    "$(zc_sql "SELECT name FROM cadre WHERE id_number = '$R3'")" "$(printf '制\t表\\N\\')"
expect_eq "a name that reads \\N is text, not NULL" \
    "$(zc_sql "SELECT name FROM cadre WHERE id_number = '$(sed -n 4p "$T/c700b.csv" | cut -d, -f1)' AND name IS NOT NULL")" '\N'
run import cadres "$T/c700esc.csv"
expect_out "escaped values re-imported: unchanged" "700 rows: 0 added, 0 updated, 700 unchanged"
# A bad cell late in a large file: named as in a small one, and nothing of
# the rows before it (on PostgreSQL already sent by COPY) is written.
awk -F, 'BEGIN { OFS = "," } NR >= 2 && NR <= 11 { $2 = $2 "再改" } NR == 650 { $3 = "U9999" } 1' \
    "$T/c700b.csv" >"$T/c700bad.csv"
run import cadres "$T/c700bad.csv"
expect_rc "a bad cell in row 650: exit 65" 65
expect_err "row 650 named with its column" "c700bad.csv:650:单位代码: unit U9999 is not registered"
expect_err "one error" "c700bad.csv: 1 error; nothing was imported"
expect_eq "nothing of the bad file was written" "$(zc_sql "SELECT count(*) FROM cadre WHERE name LIKE '%再改'")" 0
expect_eq "grade rows: 2 a cadre, 1 for the 50 regraded" \
    "$(zc_sql "SELECT count(*) FROM cadre_grade g JOIN cadre c ON c.id = g.cadre WHERE c.unit LIKE 'U0___'")" 1350
R52=$(sed -n 52p "$T/c700b.csv" | cut -d, -f1)
R500=$(sed -n 500p "$T/c700b.csv" | cut -d, -f1)
expect_eq "a regraded cadre has only its new grade" \
    "$(zc_sql "SELECT g.year || ':' || g.grade FROM cadre_grade g JOIN cadre c ON c.id = g.cadre WHERE c.id_number = '$R52'")" "2015:称职"
expect_eq "a new cadre's grade rows match its text" \
    "$(zc_sql "SELECT count(*) FROM cadre_grade g JOIN cadre c ON c.id = g.cadre WHERE c.id_number = '$R500' AND c.grades = '2016:' || (SELECT grade FROM cadre_grade WHERE cadre = c.id AND year = 2016) || ';2017:' || (SELECT grade FROM cadre_grade WHERE cadre = c.id AND year = 2017)")" 2

# A store failure in the middle of a file names its row (a unique index the
# importer knows nothing of; on PostgreSQL the write went out in the pipeline
# and the import runs again row by row to find it), and nothing is written.
zc_sql "CREATE UNIQUE INDEX cadre_name_once ON cadre(name)" >/dev/null
awk -F, 'BEGIN { OFS = "," } NR == 200 || NR == 450 { $2 = "同名" } 1' "$T/c700b.csv" >"$T/c700dup.csv"
run import cadres "$T/c700dup.csv"
expect_rc "a constraint the checks miss: conflict" 65
expect_err "the failing row is named" "c700dup.csv:450: "
expect_eq "nothing of the failed file was written" "$(zc_sql "SELECT count(*) FROM cadre WHERE name = '同名'")" 0
zc_sql "DROP INDEX cadre_name_once" >/dev/null

run import nonsense "$T/units.csv"
expect_rc "unknown kind is a usage error" 64
run --db "$T/none.db" export units
expect_rc "missing database" 66
expect_err "missing database says what to do" "zhucun init"
finish
