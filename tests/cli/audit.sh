#!/bin/sh
# audit.sh - `zhucun audit head` and `audit verify --expect-head`: an anchor
# kept outside the database catches entries cut off the end and a chain
# recomputed after an edit, which the chain alone cannot (issue 17).
. "$(dirname "$0")/lib.sh"
q() { zc_sql "$1"; }
if [ "$ZC_BACKEND" = postgresql ]; then CHR=chr; else CHR=char; fi
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
run init
expect_rc init 0
Z=0000000000000000000000000000000000000000000000000000000000000000
# init is in the record: the schema version it made, once per version.
run audit head
expect_rc head-after-init-rc 0
expect_eq head-after-init "${OUT%% *}" 1
expect_eq init-recorded "$(q "SELECT action || ' ' || target || ' ' || actor FROM audit_log WHERE seq = 1")" "schema.migrate schema:$(q 'SELECT version FROM schema_version') cli:${USER:-$(id -un)}"
run init
expect_eq init-again-records-nothing "$(q 'SELECT count(*) FROM audit_log')" 1
for sk in bee fish tea; do
    run skills add "$sk" "技能$sk" "Skill $sk"
    expect_rc "skills-add-$sk" 0
done
# divisions load is in the record, with what it loaded.
run divisions load --only 450124
expect_rc divisions-load 0
expect_eq divisions-load-recorded "$(q "SELECT target || ' ' || $(zc_jx counties) || ' ' || $(zc_jx committees) FROM audit_log WHERE action = 'divisions.load'")" "450124 1 156"
run audit head
expect_rc head-rc 0
expect_eq head-one-line "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 1
SEQ=${OUT%% *}
HEAD=${OUT#* }
expect_eq head-seq "$SEQ" 5
expect_eq head-digest "$HEAD" "$(q 'SELECT hash FROM audit_log WHERE seq = 5')"
run audit verify --expect-head "$HEAD"
expect_rc expect-head-ok 0
expect_out expect-head-ok-says "holds the expected head (entry 5)"
UPPER=$(printf '%s' "$HEAD" | tr 'a-f' 'A-F')
run audit verify --expect-head "$UPPER"
expect_rc expect-head-case 0
run audit verify --expect-head "$Z"
expect_rc expect-head-empty-anchor 0
run audit verify --expect-head nothex
expect_rc expect-head-bad-digest 64
run audit head --expect-head "$HEAD"
expect_rc expect-head-only-verify 64

# Exports are in the record (issue 17): kind, masked or not, rows, the digest
# of exactly the bytes written, to stdout or to a file.
run export units --format csv
expect_rc export-stdout 0
"$ZHUCUN" export cadres --format csv >"$T/c.csv" 2>/dev/null
expect_eq export-stdout-digest "$(q "SELECT $(zc_jx blake2b) FROM audit_log WHERE action = 'export' AND target = 'cadres'")" "$(b2sum -l 256 "$T/c.csv" | cut -d' ' -f1)"
run export cadres --unmask -o "$T/c2.csv"
expect_rc export-file 0
expect_eq export-file-recorded "$(q "SELECT $(zc_jx masked) || $(zc_jx to) || $(zc_jx rows) FROM audit_log WHERE action = 'export' ORDER BY seq DESC LIMIT 1")" "0file0"
expect_eq export-actor "$(q "SELECT count(*) FROM audit_log WHERE action = 'export' AND actor = 'cli:${USER:-$(id -un)}'")" 3
run audit head
HEAD=${OUT#* }

# Later writes extend the chain: the old head is still held.
run skills add wine 酿酒 Winemaking
run audit verify --expect-head "$HEAD"
expect_rc expect-head-extended 0

# Control characters: refused in names on input, escaped in every listing.
ESC=$(printf '\033')
CR=$(printf '\r')
printf 'code,name,level,category,division\n' >"$T/u${ESC}[2J.csv"
run import units "$T/u${ESC}[2J.csv"
expect_rc import-name-with-escape-refused 65
expect_err import-name-says "control characters"
run skills add evil "坏${CR}" Evil
expect_rc skill-name-with-cr-refused 65
printf '{ "name": "x\\u001b[2Jy" }\n' >"$T/evil-policy.json"
run match --policy "$T/evil-policy.json"
expect_rc policy-name-with-escape-refused 65
expect_err policy-name-says "control characters"
# Account names too (they took any byte past ASCII), and the format characters
# that reorder or break a listing: U+202E turns "ev?il" into "evli" on screen.
RLO=$(printf '\342\200\256')
C1CSI=$(printf '\302\233')
echo "a long pass phrase 77" | "$ZHUCUN" user add "ev${RLO}il" --role auditor --password-stdin >/dev/null 2>&1
expect_eq account-name-with-rlo-refused "$?" 65
echo "a long pass phrase 77" | "$ZHUCUN" user add "x${C1CSI}2J" --role auditor --password-stdin >/dev/null 2>&1
expect_eq account-name-with-c1-csi-refused "$?" 65
printf 'code,name,level,category,division\n' >"$T/u${RLO}vsc.csv"
run import units "$T/u${RLO}vsc.csv"
expect_rc import-name-with-rlo-refused 65
run skills add evil2 "坏$(printf '\342\200\250')" Evil
expect_rc skill-name-with-line-separator-refused 65
# Rows written by other doors or older versions are escaped when listed.
ESCDB=$(zc_db_copy esc)
zc_sql_on "$ESCDB" "$ZC_UNGUARD_AUDIT
  UPDATE audit_log SET target = 'a' || $CHR(27) || '[2J' || $CHR(13) || $CHR(10) || '999 forged' WHERE seq = 1;
  UPDATE skill SET name_en = 'x' || $CHR(27) || '[31m' WHERE code = 'bee';"
run --db "$ESCDB" audit list
expect_rc audit-list-escaped-rc 0
expect_out audit-list-escapes "a\x1b[2J\x0d\x0a999 forged"
expect_eq audit-list-no-raw-escape "$(grep -c "$ESC" "$T/out")" 0
expect_eq audit-list-no-forged-row "$(grep -c '^999 forged' "$T/out")" 0
run --db "$ESCDB" skills list
expect_out skills-list-escapes 'x\x1b[31m'
expect_eq skills-list-no-raw-escape "$(grep -c "$ESC" "$T/out")" 0

# Cut the newest two entries and move audit_head back: verify alone passes,
# the anchor does not.
zc_db_copy saved >/dev/null
q "$ZC_UNGUARD_AUDIT
   DELETE FROM audit_log WHERE seq >= 3;
   UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1;"
run audit verify
expect_rc truncated-plain-verify-passes 0
run audit verify --expect-head "$HEAD"
expect_rc truncated-anchor-fails 1
expect_err truncated-anchor-says "does not hold the expected head"

# Edit an entry and recompute every hash after it (the hash is unkeyed):
# plain verify passes, the anchor fails.
zc_db_restore saved
q "$ZC_UNGUARD_AUDIT
   UPDATE audit_log SET actor = 'cli:nobody' WHERE seq = 2;"
run audit verify
expect_rc edited-plain-verify-fails 1
# Recompute with the program's own hash: copy the rows out, re-append them.
# (Python reads SQLite itself; the same recomputation on PostgreSQL needs a
# driver the machine does not have.)
cat >"$T/rechain.py" <<'PY'
import hashlib, json, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
prev = "0" * 64
rows = db.execute("SELECT seq, at, actor, addr, action, target, division, old_json, new_json "
                  "FROM audit_log ORDER BY seq").fetchall()
for seq, at, actor, addr, action, target, division, old, new in rows:
    canon = json.dumps({"seq": seq, "at": at, "actor": actor, "addr": addr, "action": action,
                        "target": target, "division": division, "old": old, "new": new},
                       sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    canon = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), canon)  # jansson
    h = hashlib.blake2b((prev + "\n" + canon).encode(), digest_size=32).hexdigest()
    db.execute("UPDATE audit_log SET prev = ?, hash = ? WHERE seq = ?", (prev, h, seq))
    prev = h
db.execute("UPDATE audit_head SET hash = ? WHERE id = 1", (prev,))
db.commit()
PY
if command -v python3 >/dev/null 2>&1 && zc_sqlite_only recomputed-chain; then
    python3 "$T/rechain.py" "$ZHUCUN_DB"
    run audit verify
    expect_rc recomputed-plain-verify-passes 0
    run audit verify --expect-head "$HEAD"
    expect_rc recomputed-anchor-fails 1
fi

# ---- the keyed MAC (ZHUCUN_AUDIT_KEY): a rewrite without the key fails ------------
KDB="$T/keyed.db"
head -c 32 /dev/urandom >"$T/audit.key"
ZHUCUN_AUDIT_KEY="$T/audit.key" "$ZHUCUN" --db "$KDB" init >/dev/null
for sk in bee fish tea; do ZHUCUN_AUDIT_KEY="$T/audit.key" "$ZHUCUN" --db "$KDB" skills add "$sk" "技能$sk" "Skill $sk" >/dev/null; done
expect_eq mac-on-every-entry "$(sqlite3 "$KDB" "SELECT count(*) FROM audit_log WHERE length(mac) = 64")" 4
ZHUCUN_AUDIT_KEY="$T/audit.key" "$ZHUCUN" --db "$KDB" audit verify >"$T/out" 2>"$T/err"
RC=$?; expect_rc mac-verify-ok 0
expect_out mac-verify-says "MACs checked from entry 1"
run --db "$KDB" audit verify
expect_rc mac-verify-without-key-passes-the-chain 0
expect_out mac-verify-without-key-says "not checked"
run --db "$KDB" skills add wine 酿酒 Winemaking
expect_rc mac-append-without-key-refused 65
expect_err mac-append-without-key-says "ZHUCUN_AUDIT_KEY"
expect_eq mac-refused-append-wrote-nothing "$(sqlite3 "$KDB" "SELECT count(*) FROM skill WHERE code = 'wine'")" 0
head -c 31 /dev/urandom >"$T/short.key"
ZHUCUN_AUDIT_KEY="$T/short.key" "$ZHUCUN" --db "$KDB" audit verify >"$T/out" 2>"$T/err"
RC=$?; expect_rc mac-short-key-refused 65
ZHUCUN_AUDIT_KEY="$T/missing.key" "$ZHUCUN" --db "$KDB" audit verify >"$T/out" 2>"$T/err"
RC=$?; expect_rc mac-missing-key-is-an-error 74
# Edit, recompute the chain: the hashes agree again, the MACs do not.
cp "$KDB" "$T/rewritten.db"
sqlite3 "$T/rewritten.db" "DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET actor = 'cli:nobody' WHERE seq = 2;"
python3 "$T/rechain.py" "$T/rewritten.db"
run --db "$T/rewritten.db" audit verify
expect_rc mac-rewrite-passes-the-unkeyed-chain 0
ZHUCUN_AUDIT_KEY="$T/audit.key" "$ZHUCUN" --db "$T/rewritten.db" audit verify >"$T/out" 2>"$T/err"
RC=$?; expect_rc mac-rewrite-fails-with-the-key 1
expect_err mac-rewrite-named "entry 2 does not carry the MAC"
# Strip every MAC as well: a keyed verify wants them.
sqlite3 "$T/rewritten.db" "DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET mac = NULL;"
ZHUCUN_AUDIT_KEY="$T/audit.key" "$ZHUCUN" --db "$T/rewritten.db" audit verify >"$T/out" 2>"$T/err"
RC=$?; expect_rc mac-stripped-fails 1
expect_err mac-stripped-says "no entry carries a MAC"
# Strip only the newest MAC (to rewrite that entry): found.
cp "$KDB" "$T/tail.db"
sqlite3 "$T/tail.db" "DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET mac = NULL WHERE seq = 4;"
ZHUCUN_AUDIT_KEY="$T/audit.key" "$ZHUCUN" --db "$T/tail.db" audit verify >"$T/out" 2>"$T/err"
RC=$?; expect_rc mac-tail-stripped-fails 1
expect_err mac-tail-stripped-says "entry 4 has no MAC"
finish
