#!/bin/sh
# audit_concurrent.sh - many writers at once: every audited write succeeds
# and the chain stays one linear, verifiable sequence (issue 16: on
# PostgreSQL the append takes an advisory lock, store_lock).
. "$(dirname "$0")/lib.sh"
expect_eq() {
    if [ "$2" = "$3" ]; then _ok "$1"; else _fail "$1" "got '$2', wanted '$3'"; fi
}
run init
expect_rc init 0
N=12
pids=""
for i in $(seq 1 $N); do
    "$ZHUCUN" skills add "cc$i" "并发技能$i" "Concurrent $i" >"$T/cc$i.log" 2>&1 &
    pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
expect_eq "all $N concurrent writers succeed" "$fails" 0
[ "$fails" = 0 ] || cat "$T"/cc*.log | grep -v '^skill' | head -n 5
# init records the schema it created (one entry, issue 17): N writes after it.
B=$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'schema.migrate'")
expect_eq "one entry each" "$(zc_sql "SELECT count(*) FROM audit_log WHERE action = 'skill.add'")" "$N"
expect_eq "seq runs 1..N without gaps" "$(zc_sql "SELECT min(seq) || '-' || max(seq) || '-' || count(DISTINCT seq) FROM audit_log")" "1-$((N + B))-$((N + B))"
run audit verify
expect_rc "the chain verifies" 0
expect_out "all entries verified" "$((N + B)) entries"
finish
