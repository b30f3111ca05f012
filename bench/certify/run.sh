#!/bin/sh
# bench/certify/run.sh ZHUCUN - the certified plan beside the old pruned
# default and the dense setting, per seed scenario with its own policy
# (issue 15): objective, lower bound, filled slots, full teams, first
# secretaries placed, deep-poverty villages covered, wall time. One run,
# same build: `zhucun match --prune-only` (the old default: the optimum of
# the start graph, K=16 villages per cadre, M=10 cadres per slot),
# `--prune-only --candidates 200 --per-slot 100` (dense), and the default
# (priced until no arc of the full model can improve it).
# SCENARIOS="hebei-2016 ..." picks scenarios (default: all five but national).
set -eu
Z=${1:?usage: bench/certify/run.sh path/to/zhucun}
Z=$(cd "$(dirname "$Z")" && pwd)/$(basename "$Z")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$ROOT"
mkdir -p bench/out
OUT=bench/out/certify.md
{
    echo "| scenario | run | objective | lower bound | filled | full teams | first secretaries (poor+deep) | deep covered | wall s |"
    echo "|---|---|---|---|---|---|---|---|---|"
} >"$OUT"
for sc in ${SCENARIOS:-hebei-2016 mashan-2018 anlong-2018 xiahe-2018 shangluo-2016}; do
    db="$W/$sc.db"
    "$Z" --db "$db" demo --scenario "$sc" --no-serve --quiet >"$W/demo.log" 2>&1
    today=$(sed -n 's/.*ZHUCUN_TODAY=\([0-9-]*\).*/\1/p' "$W/demo.log" | head -n 1)
    for run in "old default:--prune-only" "dense:--prune-only --candidates 200 --per-slot 100" "certified:"; do
        name=${run%%:*}
        flags=${run#*:}
        t0=$(date +%s.%N)
        # shellcheck disable=SC2086
        ZHUCUN_TODAY=${today:-2018-01-15} "$Z" --db "$db" match --policy "policies/$sc.json" --format json $flags >"$W/m.json"
        t1=$(date +%s.%N)
        python3 - "$W/m.json" "$sc" "$name" "$t0" "$t1" >>"$OUT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lb = d.get("lower_bound")
print("| %s | %s | %s | %s | %d / %d | %d / %d | %d + %d | %d / %d | %.2f |" % (
    sys.argv[2], sys.argv[3], format(d["objective"], ","), "–" if lb is None else format(lb, ","),
    d["filled"], d["slots"], d["poor_full_team"] + d["deep_full_team"],
    d["poor_villages"] + d["deep_villages"], d["poor_first_secretary"], d["deep_first_secretary"],
    d["deep_full_team"], d["deep_villages"], float(sys.argv[5]) - float(sys.argv[4])))
PY
    done
done
cat "$OUT"
