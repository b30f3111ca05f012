#!/bin/sh
# field_http.sh - the field-work endpoints on loopback, as every role
# would use them: a cadre checks in (inside, outside, resend), records a
# visit, asks for leave; the township cannot approve five days, the county
# can; the ledger and the cases are scoped; a cadre sees only their own.
. "$(dirname "$0")/lib.sh"
export ZHUCUN_TODAY=2026-11-22
unset ZHUCUN_POLICY

ID1=$(zc_idcard 45010219850317123)
ID2=$(zc_idcard 45010219900412234)
VA=450124203202
VB=450125205203

run init
run divisions load --only 450124,450125
printf 'code,name,level,category,division,staff\nU001,马山县委组织部,county,party,450124,60\n' >"$T/units.csv"
run import units "$T/units.csv"
printf 'code,poverty,纬度,经度,半径(米)\n%s,deep,23.90,108.10,3000\n%s,poor,23.40,108.60,\n' "$VA" "$VB" >"$T/villages.csv"
run import villages "$T/villages.csv"
expect_rc "villages with their centres and a geofence radius" 0
run export villages --format csv
expect_out "the radius is exported" "23.900000,108.100000,WGS84,,3000"
printf 'code,poverty,半径(米)\n%s,deep,20\n' "$VA" >"$T/bad-radius.csv"
run import villages "$T/bad-radius.csv"
expect_rc "a 20 m geofence is refused" 65
printf 'id_number,name,unit,rank,party_member,service_years,education\n%s,张三,U001,副科,是,10,本科\n%s,李四,U001,科员,是,5,本科\n' "$ID1" "$ID2" >"$T/cadres.csv"
run import cadres "$T/cadres.csv"
printf 'id,village,members,cause,status,poverty_year\nH0001,%s,4,因病,poor,2014\nH0002,%s,3,因学,poor,2015\n' "$VA" "$VB" >"$T/hh.csv"
run import households "$T/hh.csv"
C1=$(zc_sql "SELECT id FROM cadre WHERE name = '张三'")
zc_sql "INSERT INTO posting(cadre, village, role, start_date) VALUES ($C1, $VA, 'first_secretary', '2026-01-01')"
C2=$(zc_sql "SELECT id FROM cadre WHERE name = '李四'")
zc_sql "INSERT INTO posting(cadre, village, role, start_date) VALUES ($C2, $VA, 'member', '2026-01-01')"
zc_add_user cty --role county --scope 450124
zc_add_user twp --role township --scope 450124203
zc_add_user insp --role inspector --scope 450124
zc_add_user cad --role cadre --scope 450124 --cadre "$ID1"
zc_add_user other --role county --scope 450125
zc_add_user cad2 --role cadre --scope 450124 --cadre "$ID2"

mkdir -p "$T/web"
echo '<!doctype html><title>驻村</title>' >"$T/web/index.html"
if zc_serve --web "$T/web" --threads 2; then _ok "server is up"; else _fail "server is up" "$(cat "$T/server.log")"; finish; fi
for u in cty twp insp cad other cad2; do login $u; done

BODY='{"at":"2026-11-21 08:05","lat":23.901,"lng":108.101,"accuracy":12,"device":"k1","client_id":"x-1"}' req cad POST /api/v1/field/checkins
expect_code "cadre checks in" 201
expect_body "inside the geofence" '"inside":"inside"'
BODY='{"at":"2026-11-21 08:05","lat":23.901,"lng":108.101,"accuracy":12,"device":"k1","client_id":"x-1"}' req cad POST /api/v1/field/checkins
expect_code "resend is not a second record" 200
expect_body "resend says duplicate" '"duplicate":true'
BODY='{"at":"2026-11-21 09:00","lat":23.918,"lng":108.10,"device":"k1"}' req cad POST /api/v1/field/checkins
expect_body "2 km out is inside the village's own 3 km geofence" '"inside":"inside"'
BODY='{"at":"2026-11-21 12:00","lat":22.8,"lng":108.3,"device":"k2"}' req cad POST /api/v1/field/checkins
expect_code "outside check-in recorded" 201
expect_body "outside named" '"inside":"outside"'
expect_body "device change is evidence" '"device_changed":true'
# A record signed by the device's Ed25519 key (what the phone page does
# with WebCrypto): verified; the same signature on a changed body is refused.
if openssl genpkey -algorithm ed25519 -out "$T/dev.pem" 2>/dev/null; then
    PUB=$(openssl pkey -in "$T/dev.pem" -pubout -outform DER | tail -c 32 | base64 -w0)
    printf '%s' '{"at":"2026-11-21 10:00","lat":23.9,"lng":108.1,"client_id":"s-1"}' >"$T/signed.json"
    SIG=$(openssl pkeyutl -sign -rawin -inkey "$T/dev.pem" -in "$T/signed.json" | base64 -w0)
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_cad" \
        -H 'Content-Type: application/json' -H "X-ZC-Device-Key: $PUB" -H "X-ZC-Signature: $SIG" \
        --data-binary @"$T/signed.json" "$BASE/api/v1/field/checkins")
    expect_code "a signed check-in is accepted" 201
    expect_body "and marked signed" '"signed":true'
    printf '%s' '{"at":"2026-11-21 10:00","lat":23.9,"lng":108.2,"client_id":"s-2"}' >"$T/forged.json"
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_cad" \
        -H 'Content-Type: application/json' -H "X-ZC-Device-Key: $PUB" -H "X-ZC-Signature: $SIG" \
        --data-binary @"$T/forged.json" "$BASE/api/v1/field/checkins")
    expect_code "a changed record fails its signature" 400
    expect_body "the failure is named" '"bad_signature"'
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_cad" \
        -H 'Content-Type: application/json' -H "X-ZC-Device-Key: $PUB" \
        --data-binary @"$T/forged.json" "$BASE/api/v1/field/checkins")
    expect_code "a key without a signature is refused" 400
    expect_eq() { if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi; }
    expect_eq "the key's fingerprint is the device" "$(zc_sql "SELECT count(*) FROM checkin WHERE signed = 1 AND device LIKE 'key:%'")" 1
else
    _fail "openssl ed25519" "openssl cannot make an Ed25519 key"
fi
BODY='{"at":"2026-11-21 99:00"}' req cad POST /api/v1/field/checkins
expect_code "bad time is 400" 400
BODY="{\"cadre\":$C1,\"at\":\"2026-11-22 08:00\",\"lat\":23.9,\"lng\":108.1}" req other POST /api/v1/field/checkins
expect_code "another county cannot write for this cadre" 403
BODY="{\"cadre\":$C1,\"at\":\"2026-11-22 07:00\",\"lat\":23.9,\"lng\":108.1}" req insp POST /api/v1/field/checkins
expect_code "an inspector does not write a cadre's records" 403
BODY="{\"cadre\":\"$ID1\",\"at\":\"2026-11-22 08:00\",\"lat\":23.9,\"lng\":108.1}" req cty POST /api/v1/field/checkins
expect_code "the county records a check-in by ID number" 201

BODY='{"kind":"visit","day":"2026-11-22","household":"H0001","text":"入户走访","lat":23.9,"lng":108.1}' req cad POST /api/v1/field/entries
expect_code "a visit to a household of the village" 201
BODY= req cty GET "/api/v1/field/entries?household=H0001"
expect_body "the visit is on the household's record" '"kind":"visit"'
req other GET "/api/v1/field/entries?village=$VA"
expect_body "another county sees no visits" '"entries":[]'
BODY='{"kind":"visit","day":"2026-11-22","household":"H0002","text":"入户走访"}' req cad POST /api/v1/field/entries
expect_code "a household of another village is refused" 400
BODY='{"kind":"diary","day":"2026-10-01","text":"补记"}' req cad POST /api/v1/field/entries
expect_code "past the back-dating window" 400

BODY='{"from":"2026-11-30","to":"2026-12-04","kind":"leave","reason":"探亲"}' req cad POST /api/v1/field/leave
expect_code "cadre asks for leave" 201
expect_body "five days go to the county" '"approver":"county"'
LID=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$T/body")
BODY='{}' req twp POST "/api/v1/field/leave/$LID/approve"
expect_code "township cannot approve five days" 403
BODY='{}' req cad POST "/api/v1/field/leave/$LID/approve"
expect_code "a cadre cannot approve" 403
BODY='{}' req other POST "/api/v1/field/leave/$LID/approve"
expect_code "another county does not see it" 404
BODY='{"note":"同意"}' req cty POST "/api/v1/field/leave/$LID/approve"
expect_code "the county approves" 200
BODY='{"from":"2026-12-01","to":"2026-12-01"}' req cad POST /api/v1/field/leave
expect_code "overlapping leave refused" 400

BODY= req cty GET "/api/v1/field/presence?month=2026-11"
expect_code "county ledger" 200
expect_body "the cadre is in the ledger" "\"cadre\":$C1"
expect_body "days counted: the check-in of the 21st, the visit and check-in of the 22nd" '"days":2'
expect_body "the approved leave of the 30th is not judged yet" '"state":"future"'
expect_body "ID numbers for staff" "\"id_number\":\"$ID1\""
req other GET "/api/v1/field/presence?month=2026-11"
expect_code "another county's ledger" 200
expect_body "has nobody" '"rows":[]'
req cad GET "/api/v1/field/presence?month=2026-11"
expect_code "the cadre's own ledger" 200
expect_body "day by day with the records" '"records":'
req cty GET "/api/v1/field/presence?month=2026-11&scope=450125"
expect_code "narrowing outside the jurisdiction" 404
req cty GET "/api/v1/field/presence?month=11"
expect_code "bad month" 400
req cad GET "/api/v1/field/cases?month=2026-11"
expect_code "a cadre sees no cases" 403
req insp GET "/api/v1/field/cases?month=2026-11"
expect_code "inspector's cases" 200
expect_body "outside on a present day" '"rule":"outside_on_present_day"'
BODY="{\"cadre\":$C1,\"date\":\"2026-11-21\",\"rule\":\"outside_on_present_day\",\"reason\":\"到县里开会\"}" req cad POST /api/v1/field/cases/dismiss
expect_code "a cadre cannot dismiss" 403
BODY="{\"cadre\":$C1,\"date\":\"2026-11-21\",\"rule\":\"outside_on_present_day\",\"reason\":\"到县里开会\"}" req insp POST /api/v1/field/cases/dismiss
expect_code "inspector dismisses with a reason" 200
BODY= req insp GET "/api/v1/field/cases?month=2026-11"
expect_body "dismissed stays listed" '"dismissed":true'
# A contested day: the cadre asks, the township cannot decide, the county accepts.
BODY='{"date":"2026-11-20","reason":"山里没信号, 在村开会"}' req cad POST /api/v1/field/contests
expect_code "a cadre contests a day" 201
CID=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$T/body")
BODY='{}' req twp POST "/api/v1/field/contests/$CID/accept"
expect_code "the township does not decide contests" 403
BODY='{}' req cty POST "/api/v1/field/contests/$CID/accept"
expect_code "the county accepts" 200
BODY= req cty GET "/api/v1/field/contests"
expect_body "the contest is listed as accepted" '"status":"accepted"'
req cad GET "/api/v1/field/presence?month=2026-11"
expect_body "the contested day counts, with its evidence" '申诉已认可'
# Every field write through the API is in the audit record, as through the CLI
# (issue 17: every write, through any door); the resent check-in is not.
for a in field.checkin field.visit field.leave.request field.leave.approve field.case.dismiss \
    field.contest field.contest.accept; do
    n=$(zc_sql "SELECT count(*) FROM audit_log WHERE action = '$a' AND addr <> 'local'")
    [ "$n" -ge 1 ] && _ok "audited through the API: $a" || _fail "audited through the API: $a" "no entry"
done
BODY='{"kind":"diary","day":"2026-11-22","text":"开会","client_id":"d-1"}' req cad POST /api/v1/field/entries
BODY='{"kind":"diary","day":"2026-11-22","text":"开会","client_id":"d-1"}' req cad POST /api/v1/field/entries
expect "a diary entry resent is audited once" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.diary' AND addr <> 'local'")" = "$(zc_sql "SELECT count(*) FROM field_entry WHERE kind = 'diary' AND client_id IS NOT NULL")"
expect "one entry per check-in written, none for the resend" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.checkin'")" = "$(zc_sql "SELECT count(*) FROM checkin")"
expect "a check-in's entry names the cadre's record, not the ID number" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.checkin' AND target = 'cadre:$C1' AND actor = 'cad'")" -ge 1
# ---- photos as evidence of a check-in (stored by content hash) ----------------------------
# A tiny real JPEG and PNG (magic bytes are what counts), a text file named .jpg.
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\331' >"$T/p1.jpg"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\002\000\000\000' >"$T/p2.png"
printf 'not a picture at all' >"$T/fake.jpg"
H1=$(sha256sum "$T/p1.jpg" | cut -c1-64)
up() { # up USER FILE [QUERY]
    eval "tok=\$TOK_$1"
    CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST --max-time 20 -H "Authorization: Bearer $tok" \
        -H 'Content-Type: image/jpeg' --data-binary "@$2" "$BASE/api/v1/field/photos${3:-}")
}
up cad "$T/p1.jpg"
expect_code "a cadre uploads a JPEG" 201
expect_body "named by its SHA-256" "\"hash\":\"$H1\""
expect_body "type judged from the bytes" '"mime":"image/jpeg"'
up cad "$T/p1.jpg"
expect_code "the same bytes again are not stored twice" 200
expect_body "deduplicated" '"new":false'
expect "one stored photo for two uploads" test "$(zc_sql "SELECT count(*) FROM field_photo")" = 1
up cad "$T/p2.png"
expect_code "a PNG too" 201
expect_body "PNG named" '"mime":"image/png"'
up cad "$T/fake.jpg"
expect_code "a text file called .jpg is refused" 415
head -c 2200000 /dev/zero | tr '\0' 'x' | { printf '\377\330\377\340'; cat; } >"$T/big.jpg"
up cad "$T/big.jpg"
expect_code "a photo above 2 MiB is refused" 413
head -c 6000000 /dev/zero | tr '\0' 'x' | { printf '\377\330\377\340'; cat; } >"$T/huge.jpg"
up cad "$T/huge.jpg"
expect_code "a 6 MB photo is refused" 413
expect_body "at the route's own limit, not max_upload's 32 MiB" "larger than 2162688 bytes"
expect "the refused ones are not stored" test "$(zc_sql "SELECT count(*) FROM field_photo")" = 2
up insp "$T/p1.jpg" "?cadre=$C1"
expect_code "an inspector does not add a cadre's photos" 403
up other "$T/p2.png" "?cadre=$C1"
expect_code "another county cannot add photos for this cadre" 403
BODY="{\"at\":\"2026-11-22 08:00\",\"lat\":23.9,\"lng\":108.1,\"photo\":\"$H1\",\"client_id\":\"ph-1\"}" req cad POST /api/v1/field/checkins
expect_code "a check-in with its photo" 201
expect "the check-in carries the hash" test "$(zc_sql "SELECT photo FROM checkin WHERE client_id = 'ph-1'")" = "$H1"
H0=0000000000000000000000000000000000000000000000000000000000000000
BODY="{\"at\":\"2026-11-22 08:10\",\"lat\":23.9,\"lng\":108.1,\"photo\":\"$H0\"}" req cad POST /api/v1/field/checkins
expect_code "a photo that was never uploaded is refused" 400
expect_body "says to upload it first" "/api/v1/field/photos"
get_photo() { # get_photo USER HASH
    eval "tok=\$TOK_$1"
    CODE=$(curl -s -o "$T/photo" -w '%{http_code}' --max-time 20 -H "Authorization: Bearer $tok" "$BASE/api/v1/field/photos/$2")
}
get_photo cty "$H1"
expect_code "the county sees the photo of a check-in in its villages" 200
if cmp -s "$T/photo" "$T/p1.jpg"; then _ok "the bytes come back unchanged"; else _fail "the bytes come back unchanged" "$(od -c "$T/photo" | head -3)"; fi
get_photo cad "$H1"
expect_code "the cadre sees their own photo" 200
get_photo other "$H1"
expect_code "another county does not (and is not told it exists)" 404
H2=$(sha256sum "$T/p2.png" | cut -c1-64)
get_photo cty "$H2"
expect_code "a photo on no check-in is not shown to staff" 404
get_photo cad "$H2"
expect_code "but its uploader sees it" 200
get_photo cty "../../etc/passwd"
expect_code "a path is not a hash" 404
expect "uploads are audited" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.photo'")" = 3
expect "views are audited" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.photo.view'")" = 3
# A household visit with its photo (入户走访, photo from the camera).
BODY="{\"kind\":\"visit\",\"day\":\"2026-11-22\",\"household\":\"H0001\",\"text\":\"入户拍照\",\"photo\":\"$H0\"}" req cad POST /api/v1/field/entries
expect_code "a visit naming a photo never uploaded is refused" 400
BODY="{\"kind\":\"visit\",\"day\":\"2026-11-22\",\"household\":\"H0001\",\"text\":\"入户拍照\",\"photo\":\"$H2\"}" req cad POST /api/v1/field/entries
expect_code "a visit with its photo" 201
BODY= req cty GET "/api/v1/field/entries?household=H0001"
expect_body "the household's record names the photo" "\"photo\":\"$H2\""
get_photo cty "$H2"
expect_code "the county now sees the visit's photo" 200
get_photo other "$H2"
expect_code "another county still does not" 404

# ---- diary edits over HTTP: the cadre's own, in the window, each version kept ---------------
newid() { sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$T/body"; }
BODY='{"kind":"diary","day":"2026-11-21","text":"走访贫困户","client_id":"ed-1"}' req cad POST /api/v1/field/entries
EID=$(newid)
BODY='{"text":"走访贫困户三户，核实收入"}' req cad PATCH "/api/v1/field/entries/$EID"
expect_code "the cadre edits their own entry" 200
expect_body "the edit is version 2" '"version":2'
BODY= req cad GET "/api/v1/field/entries/$EID"
expect_code "the entry over the API" 200
expect "it shows the new text and the earlier one as version 1" py "v=d['versions']; sys.exit(0 if d['text']=='走访贫困户三户，核实收入' and d['version']==2 and len(v)==1 and v[0]['version']==1 and v[0]['text']=='走访贫困户' and v[0]['saved_at'] else 1)"
BODY= req cty GET "/api/v1/field/entries/$EID"
expect_code "the county reads its history" 200
BODY= req other GET "/api/v1/field/entries/$EID"
expect_code "another county's entry is not there" 404
BODY= req cad2 GET "/api/v1/field/entries/$EID"
expect_code "another cadre does not read it" 404
BODY='{"text":"改写"}' req cad2 PATCH "/api/v1/field/entries/$EID"
expect_code "someone else's entry cannot be edited" 404
BODY='{"text":"改写"}' req cty PATCH "/api/v1/field/entries/$EID"
expect_code "staff do not rewrite a cadre's diary" 403
BODY='{"text":""}' req cad PATCH "/api/v1/field/entries/$EID"
expect_code "an edit needs its text" 400
# A visit's household corrected (the wrong 户 picked): registered, of the
# cadre's village; the earlier household is kept with the earlier version.
printf 'id,village,members,cause,status,poverty_year\nH0003,%s,2,因残,poor,2016\n' "$VA" >"$T/hh3.csv"
run import households "$T/hh3.csv"
expect_rc "a second household of the village" 0
BODY='{"kind":"visit","day":"2026-11-21","household":"H0001","text":"入户核实收入","client_id":"ed-v"}' req cad POST /api/v1/field/entries
VID=$(newid)
BODY='{"household":"H0002"}' req cad PATCH "/api/v1/field/entries/$VID"
expect_code "a household of another village is refused" 400
expect_body "the refusal names the household and the villages" "H0002 belongs to village"
BODY='{"household":"H9999"}' req cad PATCH "/api/v1/field/entries/$VID"
expect_code "an unregistered household is refused" 400
BODY='{"household":"H0003"}' req cad PATCH "/api/v1/field/entries/$EID"
expect_code "a diary entry takes no household" 400
BODY='{"text":"x","household":""}' req cad PATCH "/api/v1/field/entries/$VID"
expect_code "an empty household is refused" 400
expect "the refusals kept no version" test "$(zc_sql "SELECT count(*) FROM field_entry_version WHERE entry = $VID")" = 0
BODY='{"household":"H0003"}' req cad2 PATCH "/api/v1/field/entries/$VID"
expect_code "another cadre cannot move the visit" 404
BODY='{"household":"H0003"}' req cad PATCH "/api/v1/field/entries/$VID"
expect_code "the cadre corrects the visit's household" 200
expect_body "as version 2" '"version":2'
BODY= req cad GET "/api/v1/field/entries/$VID"
expect "the new household, the text unchanged, the earlier household in version 1" py "v=d['versions']; sys.exit(0 if d['household']=='H0003' and d['text']=='入户核实收入' and len(v)==1 and v[0]['household']=='H0001' else 1)"
BODY= req cty GET "/api/v1/field/entries?household=H0003"
expect "the visit is on the new household's record" py "sys.exit(0 if [e for e in d['entries'] if e['id']==$VID] else 1)"
BODY= req cty GET "/api/v1/field/entries?household=H0001"
expect "and no longer on the old one's" py "sys.exit(0 if not [e for e in d['entries'] if e['id']==$VID] else 1)"
expect "the household edit is audited with the household" test "$(zc_sql "SELECT $(zc_jx household) FROM audit_log WHERE action = 'field.entry.edit' AND target = 'entry:$VID'")" = H0003
ZHUCUN_TODAY=2026-11-03 run diary add --cadre "$C1" --day 2026-11-02 --text 旧日志
OLD=$(zc_sql "SELECT id FROM field_entry WHERE text = '旧日志'")
BODY='{"text":"补充"}' req cad PATCH "/api/v1/field/entries/$OLD"
expect_code "an entry past the back-dating window is not edited" 400
expect_body "the refusal names the rule" "diary_backdate_days"
expect "nothing changed: no version kept for it" test "$(zc_sql "SELECT count(*) FROM field_entry_version WHERE entry = $OLD")" = 0
expect "the edit is audited" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.entry.edit' AND target = 'entry:$EID' AND actor = 'cad'")" = 1
BODY='{"kind":"diary","day":"2026-11-22","text":"李四的日志","client_id":"ed-2"}' req cad2 POST /api/v1/field/entries
BODY= req cty GET "/api/v1/field/entries?cadre=$C2"
expect "cadre= keeps that cadre's entries" py "e=d['entries']; sys.exit(0 if e and all(x['cadre']==$C2 for x in e) else 1)"
BODY= req cty GET "/api/v1/field/entries?cadre=$ID1&month=2026-11"
expect "by 身份证号 and month" py "e=d['entries']; sys.exit(0 if e and all(x['cadre']==$C1 and x['day'].startswith('2026-11') for x in e) else 1)"
BODY= req cty GET "/api/v1/field/entries?cadre=$C1&month=2026-10"
expect_body "another month has none" '"entries":[]'
BODY= req cad GET "/api/v1/field/entries?cadre=$C2"
expect_body "a cadre asking for another's gets nothing" '"entries":[]'
BODY= req other GET "/api/v1/field/entries?cadre=$C1"
expect_body "another county gets nothing" '"entries":[]'
BODY= req cty GET "/api/v1/field/entries?month=2026-13"
expect_code "a bad month" 400

# ---- leave reject and 销假, contest reject, over HTTP, with another county ------------------
BODY='{"from":"2026-12-10","to":"2026-12-11","reason":"家事"}' req cad POST /api/v1/field/leave
L2=$(newid)
BODY='{"note":"不同意"}' req other POST "/api/v1/field/leave/$L2/reject"
expect_code "another county cannot reject it" 404
BODY='{}' req twp POST "/api/v1/field/leave/$L2/reject"
expect_code "a rejection needs its reason" 400
BODY='{"note":"村里迎检"}' req insp POST "/api/v1/field/leave/$L2/reject"
expect_code "an inspector does not decide leave" 403
BODY='{"note":"村里迎检"}' req twp POST "/api/v1/field/leave/$L2/reject"
expect_code "the township rejects two days with a reason" 200
expect_body "rejected" '"status":"rejected"'
BODY='{"date":"2026-12-12"}' req cad POST "/api/v1/field/leave/$L2/return"
expect_code "a rejected leave has nothing to end" 409
BODY='{"date":"2026-12-02"}' req other POST "/api/v1/field/leave/$LID/return"
expect_code "another county cannot record the 销假" 404
BODY='{"date":"2026-12-02"}' req insp POST "/api/v1/field/leave/$LID/return"
expect_code "an inspector does not record a 销假" 403
BODY='{}' req cad POST "/api/v1/field/leave/$LID/return"
expect_code "销假 needs the day back" 400
BODY='{"date":"2026-12-02"}' req cad POST "/api/v1/field/leave/$LID/return"
expect_code "the cadre's 销假 ends the leave early" 200
BODY= req cty GET /api/v1/field/leave
expect_body "the leave shows the day back" '"returned":"2026-12-02"'
BODY='{"date":"2026-11-19","reason":"在村入户, 手机没电"}' req cad POST /api/v1/field/contests
CID2=$(newid)
BODY='{"note":"无佐证"}' req other POST "/api/v1/field/contests/$CID2/reject"
expect_code "another county cannot reject the contest" 404
BODY='{}' req cty POST "/api/v1/field/contests/$CID2/reject"
expect_code "rejecting a contest needs a reason" 400
BODY='{"note":"无佐证"}' req twp POST "/api/v1/field/contests/$CID2/reject"
expect_code "the township does not reject contests" 403
BODY='{"note":"无佐证"}' req cty POST "/api/v1/field/contests/$CID2/reject"
expect_code "the county rejects with a reason" 200
BODY='{"note":"再议"}' req cty POST "/api/v1/field/contests/$CID2/accept"
expect_code "a decided contest stays decided" 409
BODY= req cad GET "/api/v1/field/contests?status=rejected"
expect_body "the cadre sees the rejection and its reason" '"note":"无佐证"'

# ---- the role matrix: each field endpoint x county, township, inspector, cadre -----------
# A write is sent with a body it refuses (400) or an id nobody has (404), so
# "allowed" is anything but 403; "-" is 403 (or 404 where the record is not
# theirs to see). Columns: county township inspector cadre.
H0=0000000000000000000000000000000000000000000000000000000000000000
matrix() { # METHOD PATH BODY EXPECT(county township inspector cadre)
    got=""
    for u in cty twp insp cad; do
        BODY=$3 req $u "$1" "$2"
        got="$got $CODE"
    done
    if [ "$got" = " $4" ]; then _ok "matrix $1 $2: $4"; else _fail "matrix $1 $2" "got$got, wanted $4"; fi
}
matrix POST /api/v1/field/checkins '{"at":"x"}' "400 400 403 400"
matrix POST /api/v1/field/entries '{"kind":"x"}' "400 400 403 400"
matrix GET "/api/v1/field/entries?cadre=$C1" '' "200 200 200 200"
matrix GET "/api/v1/field/entries/$EID" '' "200 200 200 200"
matrix PATCH "/api/v1/field/entries/$EID" '{}' "403 403 403 400"
matrix POST /api/v1/field/leave '{"from":"x"}' "400 400 403 400"
matrix GET /api/v1/field/leave '' "200 200 200 200"
matrix POST /api/v1/field/leave/999999/approve '{}' "404 404 403 403"
matrix POST /api/v1/field/leave/999999/reject '{"note":"x"}' "404 404 403 403"
matrix POST /api/v1/field/leave/999999/return '{"date":"2026-12-01"}' "404 404 403 404"
matrix GET "/api/v1/field/presence?month=2026-11" '' "200 200 200 200"
matrix GET "/api/v1/field/cases?month=2026-11" '' "200 200 200 403"
matrix POST /api/v1/field/cases/dismiss '{"cadre":"x"}' "400 400 400 403"
matrix GET /api/v1/field/contests '' "200 200 200 200"
matrix POST /api/v1/field/contests '{"date":"x"}' "400 400 403 400"
matrix POST /api/v1/field/contests/999999/accept '{}' "404 403 403 403"
matrix POST /api/v1/field/contests/999999/reject '{"note":"x"}' "404 403 403 403"
matrix GET /api/v1/field/policy '' "200 200 200 200"
matrix GET /api/v1/field/policies '' "200 200 200 403"
matrix POST /api/v1/field/policies '{}' "400 403 403 403"
matrix DELETE /api/v1/field/policies/450124203202 '' "404 403 403 403"
matrix POST /api/v1/field/photos '' "400 400 403 415"
matrix GET "/api/v1/field/photos/$H0" '' "404 404 404 404"

# ---- the field policy chosen per division ------------------------------------------------
BODY= req cad GET /api/v1/field/policy
expect_body "before any choice: the default policy's daily check-in" '"checkin":"daily"'
BODY='{"division":"450124","policy":"anlong-2018"}' req twp POST /api/v1/field/policies
expect_code "a township does not choose the field policy" 403
BODY='{"division":"450125","policy":"anlong-2018"}' req cty POST /api/v1/field/policies
expect_code "nor a county for another county" 403
BODY='{"division":"450124","policy":"no-such-policy"}' req cty POST /api/v1/field/policies
expect_code "an unknown policy" 404
BODY='{"division":"450124","policy":"anlong-2018"}' req cty POST /api/v1/field/policies
expect_code "the county chooses 安龙's rules for its villages" 201
expect_body "the choice is answered" '"policy":"anlong-2018"'
BODY= req cad GET /api/v1/field/policy
expect_body "the cadre's phone now follows it: twice a day" '"checkin":"twice_daily"'
expect_body "and says where it was chosen" '"chosen_for":"450124000000"'
BODY= req cty GET /api/v1/field/policies
expect_body "the county lists its choice" '"division":"450124000000"'
BODY= req other GET /api/v1/field/policies
expect_body "another county does not see it" '"choices":[]'
BODY= req cad GET /api/v1/field/policies
expect_code "a cadre does not list choices" 403
# 安龙's rule (5 days a week, 4 nights) now judges this cadre's ledger.
BODY= req cty GET "/api/v1/field/presence?month=2026-11"
expect_body "the ledger counts under the chosen rule (5 days a week)" '"weeks_failed":'
if grep -q '"weeks_failed":0' "$T/body"; then _fail "weeks fail under 安龙's weekly rule" "$(head -c 300 "$T/body")"; else _ok "weeks fail under 安龙's weekly rule"; fi
expect "the choice is audited" test "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'field.policy.choose'")" = 1
BODY= req cty DELETE /api/v1/field/policies/450124
expect_code "the county clears its choice" 200
BODY= req cty DELETE /api/v1/field/policies/450124
expect_code "clearing again: nothing to clear" 404
BODY= req cad GET /api/v1/field/policy
expect_body "back to the default" '"checkin":"daily"'
BODY= req cty GET "/api/v1/field/presence?month=2026-11"
expect_body "the ledger is judged by the default again" '"weeks_failed":0'
# checkin "none" (a policy without check-ins) for the village: the phone
# shows no button and presence counts from the other records only, so the
# 21st (check-ins only) is absent; the 22nd (a visit in the village) and the
# accepted contest of the 20th still count.
mkdir -p "$T/pol"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
sed 's/"checkin": "daily"/"checkin": "none"/' "$ROOT/policies/default.json" >"$T/pol/nocheckin.json"
cp "$ROOT/policies/default.json" "$T/pol/default.json"
ZHUCUN_POLICY="$T/pol/default.json" run field policy set --scope "$VA" --policy nocheckin
expect_rc "a policy without check-ins for the village" 0
BODY= req cad GET /api/v1/field/policy
expect_body "the phone is told: no check-in" '"checkin":"none"'
BODY= req cad GET "/api/v1/field/presence?month=2026-11"
expect "under none the check-in-only 21st is absent, the 20th and 22nd count" py "b=d['rows'][0]['by_day']; sys.exit(0 if b[20]['state']=='absent' and '签到' in b[20]['records'] and b[21]['state']=='present' and b[19]['state']=='present' else 1)"
run field policy clear --scope "$VA"
BODY= req cad GET "/api/v1/field/presence?month=2026-11"
expect "back to daily: the 21st counts again" py "sys.exit(0 if d['rows'][0]['by_day'][20]['state']=='present' else 1)"
cp "$T/server.log" "${ZC_TEST_OUT:-/tmp}/field-http-server.log" 2>/dev/null
zc_serve_stop
finish
