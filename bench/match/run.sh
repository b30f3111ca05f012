#!/bin/sh
# bench/match/run.sh ZHUCUN - `zhucun match` end to end on a generated
# province-size ledger: the real villages of Hebei (divisions load --only 13),
# ~7,400 of them registered poor (1 in 8 deep), ~300 sending units, 22,000
# cadres. Prints the wall time of each match (hebei-2016 rules, without and
# with the 20% unit draw cap), then on the hebei-2016 scenario. Target: <= 3 s.
set -eu
Z=${1:?usage: bench/match/run.sh path/to/zhucun}
Z=$(cd "$(dirname "$Z")" && pwd)/$(basename "$Z")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export ZHUCUN_DB="$W/bench.db" ZHUCUN_TODAY=2016-01-10
cd "$ROOT"
"$Z" init >/dev/null
"$Z" divisions load --only 13 >/dev/null
sqlite3 "$ZHUCUN_DB" "SELECT code FROM division WHERE level = 5 AND code % 1000 BETWEEN 200 AND 399 ORDER BY code" >"$W/villages.txt"
sqlite3 "$ZHUCUN_DB" "SELECT code FROM division WHERE level = 2 ORDER BY code" >"$W/cities.txt"
sqlite3 "$ZHUCUN_DB" "SELECT code FROM division WHERE level = 3 ORDER BY code" >"$W/counties.txt"
NV=$(wc -l <"$W/villages.txt")
# Every k-th village is poor so that ~7,400 are; states and needs vary.
awk -v nv="$NV" 'BEGIN { print "code,poverty,states,hamlets,needs"; k = int(nv / 7400); if (k < 1) k = 1 }
    NR % k == 0 && n < 7400 { n++; pov = (n % 8 == 0) ? "deep" : "poor";
        st = ""; split("软 穷 乱 弱", S, " "); for (i = 1; i <= 4; i++) if ((n * 7 + i) % 3 == 0) st = st (st ? "、" : "") S[i];
        nd = (n % 5 == 0) ? "farming" : ((n % 11 == 0) ? "medical" : "");
        printf "%s,%s,%s,%d,%s\n", $1, pov, st, (n % 13 == 0) ? 65 : n % 40, nd }' "$W/villages.txt" >"$W/villages.csv"
awk 'BEGIN { print "code,name,level,category,division"; split("党群 经济 政法 涉农 卫生 国企 其他", C, " ") }
    FILENAME ~ /cities/ { for (j = 0; j < 12; j++) printf "C%s-%02d,市单位%s-%02d,city,%s,%s\n", $1, j, $1, j, C[j % 7 + 1], $1 }
    FILENAME ~ /counties/ { printf "X%s,县单位%s,county,%s,%s\n", $1, $1, C[NR % 7 + 1], $1 }
    END { for (j = 0; j < 60; j++) printf "P%02d,省直单位%02d,province,%s,13\n", j, j, C[j % 7 + 1] }' \
    "$W/cities.txt" "$W/counties.txt" >"$W/units0.csv"
tail -n +2 "$W/units0.csv" | cut -d, -f1 >"$W/unitcodes.txt"
awk 'BEGIN { split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); srand(6);
        print "id_number,name,unit,rank,party_member,reserve,on_staff,skills,rural_years,service_years,gender,birth_date" }
    { u[n++] = $1 }
    END { split("科员 科员 副科 正科 副处", R, " "); split(" farming driving law stability medical accounting", K, " ");
        for (i = 1; i <= 22000; i++) {
            y = 1965 + i % 24; m = 1 + i % 12; d = 1 + i % 28; sq = sprintf("%03d", i % 1000);
            id = sprintf("130102%04d%02d%02d%s", y, m, d, sq); s = 0;
            for (j = 1; j <= 17; j++) s += substr(id, j, 1) * w[j];
            id = id substr("10X98765432", s % 11 + 1, 1);
            g = (substr(sq, 3, 1) % 2) ? "男" : "女";
            printf "%s,干部%d,%s,%s,%s,%s,是,%s,%d,%d,%s,%04d-%02d-%02d\n", id, i, u[int(rand() * n)],
                R[i % 5 + 1], (i % 4) ? "是" : "否", (i % 9 == 0) ? "是" : "否", K[i % 7 + 1], i % 6, 2 + i % 10, g, y, m, d } }' \
    "$W/unitcodes.txt" | awk -F, '!seen[$1]++' >"$W/cadres.csv"
# Staff on the books (在编人数): the cadres listed are the ones put forward,
# a unit has 5-10 times as many, so a 20% draw cap is what it is in a real
# office (counted against the cadres listed, it would bind almost everywhere).
awk -F, 'NR == FNR { if (FNR > 1) n[$3]++; next }
    FNR == 1 { print $0 ",staff"; next }
    { k = n[$1] + 0; printf "%s,%d\n", $0, k * (5 + FNR % 6) + 1 }' "$W/cadres.csv" "$W/units0.csv" >"$W/units.csv"
"$Z" import units "$W/units.csv" >/dev/null
"$Z" import villages "$W/villages.csv" >/dev/null
"$Z" import cadres "$W/cadres.csv" >/dev/null
cat >"$W/nocap.json" <<JSON
{ "name": "hebei-2016-nocap", "eligibility": { "dispatch_date": "2016-01-15" },
  "team": { "size": { "none": 0, "poor": 3, "deep": 3 } },
  "avoidance": { "max_unit_share_percent": 100, "deep_first": true } }
JSON
echo "ledger: $(tail -n +2 "$W/villages.csv" | wc -l) poor villages of $NV, $(tail -n +2 "$W/units.csv" | wc -l) units, $(tail -n +2 "$W/cadres.csv" | wc -l) cadres"
# The machine may be shared: each match runs RUNS times (default 3) and
# every wall time is printed, the output of the last run in full.
RUNS=${RUNS:-3}
# With /usr/bin/time the CPU time (user + sys) is printed too: steadier
# than the wall time when other jobs share the cores. MATCH_ARGS are passed
# to every match (e.g. MATCH_ARGS="--rounds 1").
match() { # DB POLICY LABEL
    walls="" cpus=""
    for i in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f "%U %S" -o "$W/time.txt" "$Z" --db "$1" match --policy "$2" ${MATCH_ARGS:-} >"$W/out.txt"
            cpus="$cpus $(awk '{ printf "%.2f", $1 + $2 }' "$W/time.txt")"
        else
            "$Z" --db "$1" match --policy "$2" ${MATCH_ARGS:-} >"$W/out.txt"
        fi
        t1=$(date +%s.%N)
        walls="$walls $(printf '%.2f' "$(echo "$t1 - $t0" | bc)")"
    done
    echo "== $3: wall (s):$walls; cpu (s):${cpus:- n/a}"
    grep -E "slots|filled|cadres used|villages|solve time|plan ID" "$W/out.txt"
}
for p in "$W/nocap.json" "$ROOT/policies/hebei-2016.json"; do
    match "$ZHUCUN_DB" "$p" "generated ledger, $(basename "$p")"
done
# The hebei-2016 scenario (src/scenario: 102,112 cadres, 22,112 put forward,
# 7,366 poor villages), as `zhucun demo` builds it. SCENARIO=0 skips it.
if [ "${SCENARIO:-1}" != 0 ]; then
    export ZHUCUN_TODAY=2016-01-15
    "$Z" --db "$W/h.db" demo --scenario hebei-2016 --no-serve >/dev/null
    match "$W/h.db" "$ROOT/policies/hebei-2016.json" "scenario hebei-2016"
    # Keep the network it solved for the solver benchmark (bench/mcf/run.sh
    # BENCH_FILES=bench/out/mcf/hebei-2016.min), against LEMON on real data.
    mkdir -p "$ROOT/bench/out/mcf"
    "$Z" --db "$W/h.db" match --policy "$ROOT/policies/hebei-2016.json" \
        --network-out "$ROOT/bench/out/mcf/hebei-2016.min" >/dev/null
fi
