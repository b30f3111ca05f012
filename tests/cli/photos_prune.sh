#!/bin/sh
# photos_prune.sh - retention of check-in and visit photos (field.photos
# in the policy): `zhucun field photos prune` deletes the photos whose
# every record is past the retention of the policy over its village (the
# county's own choice included) and the uploads no record carries after
# their days of grace, never a photo a record within retention carries;
# --before narrows, never widens; --dry-run deletes nothing; the records
# keep the hash; counts and bytes are printed and audited.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export ZHUCUN_TODAY=2026-11-22
mkdir -p "$T/pol"
cp "$ROOT/policies/default.json" "$T/pol/default.json"
export ZHUCUN_POLICY="$T/pol/default.json"
python3 - "$T/pol" <<'PY'
import json, sys
d = sys.argv[1]
p = json.load(open(d + "/default.json"))
p["name"] = "keep-a-year"
p["field"]["photos"] = {"keep_months": 12, "unattached_days": 7}
json.dump(p, open(d + "/keep-a-year.json", "w"), ensure_ascii=False)
p["name"] = "keep-all"
p["field"]["photos"] = {"keep_months": 0, "unattached_days": 7}
json.dump(p, open(d + "/keep-all.json", "w"), ensure_ascii=False)
PY
expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }

ID1=$(zc_idcard 45010219850317123)
ID2=$(zc_idcard 45010219860411234)
VA=450124203202
VB=450125205203
run init
run divisions load --only 450124,450125
printf 'code,name,level,category,division,staff\nU001,马山县委组织部,county,党群,450124,60\n' >"$T/units.csv"
run import units "$T/units.csv"
printf 'code,poverty\n%s,deep\n%s,poor\n' "$VA" "$VB" >"$T/villages.csv"
run import villages "$T/villages.csv"
printf 'id_number,name,unit,rank,party_member,service_years,education\n%s,张三,U001,副科,是,10,本科\n%s,李四,U001,科员,是,6,本科\n' "$ID1" "$ID2" >"$T/cadres.csv"
run import cadres "$T/cadres.csv"
expect_rc "two cadres" 0
C1=$(zc_sql "SELECT id FROM cadre WHERE name = '张三'")
C2=$(zc_sql "SELECT id FROM cadre WHERE name = '李四'")
zc_sql "INSERT INTO posting(cadre, village, role, start_date) VALUES ($C1, $VA, 'first_secretary', '2021-01-01')"
zc_sql "INSERT INTO posting(cadre, village, role, start_date) VALUES ($C2, $VB, 'first_secretary', '2021-01-01')"

h() { printf '%064d' "$1"; } # a photo's name
photo() { # N BYTES CREATED CADRE
    zc_sql "INSERT INTO field_photo(hash, mime, bytes, data, created_at) VALUES ('$(h "$1")', 'image/jpeg', $2, 'AAAA', '$3 10:00:00')"
    zc_sql "INSERT INTO field_photo_owner(hash, cadre, uploaded_at) VALUES ('$(h "$1")', $4, '$3 10:00:00')"
}
checkin() { # PHOTO CADRE VILLAGE DAY
    zc_sql "INSERT INTO checkin(cadre, village, at, source, synced_at, photo) VALUES ($2, $3, '$4 08:00:00', 'api', '$4 08:00:00', '$(h "$1")')"
}
# 马山县 keeps 36 months (the default: back to 2023-11-22), 450125 a year.
photo 1 1000 2026-11-01 "$C1"
checkin 1 "$C1" $VA 2026-11-01 # recent: kept
photo 2 2000 2022-01-05 "$C1"
checkin 2 "$C1" $VA 2022-01-05 # past 36 months: goes
photo 3 4000 2024-06-01 "$C1"
checkin 3 "$C1" $VA 2024-06-01 # within 36 months: kept
photo 4 8000 2024-06-01 "$C2"
checkin 4 "$C2" $VB 2024-06-01 # within 36 months, past the county's own year: goes
photo 5 16000 2022-01-01 "$C1"
checkin 5 "$C1" $VA 2022-01-01 # an old check-in, and ...
zc_sql "INSERT INTO field_entry(cadre, village, kind, day, text, created_at, updated_at, photo) VALUES ($C1, $VA, 'diary', '2026-11-10', '入户', '2026-11-10 09:00:00', '2026-11-10 09:00:00', '$(h 5)')"
photo 6 32000 2026-11-20 "$C1" # uploaded two days ago, no record yet: kept
photo 7 64000 2026-10-01 "$C1" # uploaded seven weeks ago, never used: goes
run field policy set --scope 450125 --policy keep-a-year
expect_rc "450125 keeps photos a year" 0

run field photos prune --dry-run
expect_rc "dry run" 0
expect_out "the dry run counts" "7 photos: would delete 1 unattached (64000 bytes) and 2 past their records' retention (10000 bytes); kept 4 (53000 bytes)"
expect_eq "and deletes nothing" "$(zc_sql "SELECT count(*) FROM field_photo")" 7

run field photos prune --before 2022-06-01
expect_rc "prune before a date" 0
expect_out "--before narrows: the one past both" "deleted 0 unattached (0 bytes) and 1 past their records' retention (2000 bytes)"
expect_eq "photo 2 is gone" "$(zc_sql "SELECT count(*) FROM field_photo WHERE hash = '$(h 2)'")" 0
expect_eq "with its owner rows" "$(zc_sql "SELECT count(*) FROM field_photo_owner WHERE hash = '$(h 2)'")" 0
expect_eq "its check-in keeps the hash" "$(zc_sql "SELECT count(*) FROM checkin WHERE photo = '$(h 2)'")" 1
expect_eq "photo 5: a record within retention carries it too" "$(zc_sql "SELECT count(*) FROM field_photo WHERE hash = '$(h 5)'")" 1

run field photos prune --before 2026-12-31
expect_out "--before never widens the retention" "deleted 1 unattached (64000 bytes) and 1 past their records' retention (8000 bytes); kept 4 (53000 bytes)"
expect_eq "left: 1 3 5 6" "$(zc_sql "SELECT hash FROM field_photo ORDER BY hash" | sed 's/^0*//' | tr '\n' ' ')" "1 3 5 6 "
expect_eq "each deletion is audited" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.photos.prune'")" 2
run field photos prune
expect_out "nothing more to prune" "4 photos: deleted 0 unattached (0 bytes) and 0 past"

# --policy FILE: one retention for every village; 0 months keeps every record's photo.
photo 8 1 2024-01-01 "$C2"
checkin 8 "$C2" $VB 2024-01-01
run field photos prune --dry-run --policy "$T/pol/default.json"
expect_out "the default's 36 months keep 450125's 2024 photo" "would delete 0 unattached (0 bytes) and 0 past"
run field photos prune --dry-run
expect_out "its own year does not" "and 1 past their records' retention (1 bytes)"
run field policy set --scope 450125 --policy keep-all
run field photos prune
expect_out "keep_months 0 keeps them for good" "deleted 0 unattached (0 bytes) and 0 past"
run field photos prune --before 2026-13-01
expect_rc "a bad date is refused" 65
run field photos frob
expect_rc "unknown action" 64
run audit verify
expect_rc "the chain is intact" 0
finish
