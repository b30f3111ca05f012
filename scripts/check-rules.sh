#!/bin/sh
# check-rules.sh - rules of the codebase that a tool can check (`make check`):
#   1. no banned C functions (atoi, strcpy, strcat, sprintf, gets): they have
#      no error or length and have bitten every C project that kept them;
#   2. a module's private header (src/X/X_int.h or src/X/*_int.h) is included
#      only from src/X/;
#   3. SQL statements live in the store and in each module's query file
#      (src/*/ *_sql.c): the count of SQL literals elsewhere may only go down
#      (scripts/sql-baseline.txt holds today's count; lower it when you move
#      statements, the check fails if it grows).
# Prints what it counted, the largest source file and the longest function;
# exit status 1 when a rule is broken.
set -u
cd "$(dirname "$0")/.."
fail=0
bad=$(grep -nE '(^|[^a-z_])(atoi|strcpy|strcat|sprintf|gets)[[:space:]]*\(' src/*/*.c src/*/*.h | grep -vE 'snprintf|vsnprintf' || true)
if [ -n "$bad" ]; then
    echo "rules: banned functions:"
    echo "$bad"
    fail=1
fi
for f in src/*/*.c src/*/*.h; do
    dir=$(basename "$(dirname "$f")")
    grep -oE '#include "[a-z]+/[a-z_]+_int\.h"' "$f" | while read -r inc; do
        mod=$(echo "$inc" | sed 's/#include "\([a-z]*\)\/.*/\1/')
        if [ "$mod" != "$dir" ]; then echo "rules: $f includes $mod's private header ($inc)"; fi
    done
done >"${TMPDIR:-/tmp}/zc-rules.$$"
if [ -s "${TMPDIR:-/tmp}/zc-rules.$$" ]; then
    cat "${TMPDIR:-/tmp}/zc-rules.$$"
    fail=1
fi
rm -f "${TMPDIR:-/tmp}/zc-rules.$$"
# SQL literals: string lines starting a statement, outside src/store and *_sql.c.
sql=$(for f in src/*/*.c; do
    case $f in src/store/* | *_sql.c) continue ;; esac
    grep -cE '"[[:space:]]*(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX|TEMP)|WITH [a-z_]+ AS|DROP )' "$f"
done | awk '{s += $1} END {print s + 0}')
base=$(cat scripts/sql-baseline.txt 2>/dev/null || echo 0)
echo "rules: $sql SQL statement literals outside src/store/ and the query files (baseline $base)"
if [ "$sql" -gt "$base" ]; then
    echo "rules: SQL literals grew from $base to $sql: put new statements in the module's *_sql.c"
    for f in src/*/*.c; do
        case $f in src/store/* | *_sql.c) continue ;; esac
        n=$(grep -cE '"[[:space:]]*(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX|TEMP)|WITH [a-z_]+ AS|DROP )' "$f")
        [ "$n" -gt 0 ] && echo "  $n $f"
    done
    fail=1
fi
largest=$(wc -l src/*/*.c | grep -v total | sort -n | tail -n 1)
echo "rules: largest file: $largest lines"
# Longest function: from a line starting a definition at column 0 to its closing brace.
awk 'FNR == 1 { infn = 0 }
     /^[a-z].*\(/ && !/;[[:space:]]*$/ { name = $0; start = FNR; file = FILENAME }
     /^\{/ { infn = 1; s = start }
     /^\}/ && infn { n = FNR - s + 1; if (n > max) { max = n; where = file ":" s } infn = 0 }
     END { print "rules: longest function: " max " lines at " where }' src/*/*.c
[ "$fail" = 0 ] && echo "rules: ok"
exit "$fail"
