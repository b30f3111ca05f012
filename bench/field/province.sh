# province.sh - the bench province (sourced by bench/*/run.sh): N stationed
# cadres in N villages of 马山县 (villages numbered from 450124100001, so a
# thousand per township code), one sending unit, and one check-in a day in
# the village for July 2018. Needs Z, DB, T and N set; leaves $T/ids.csv
# (row number, valid ID number).
"$Z" --db "$DB" init >/dev/null
# Valid ID numbers (GB 11643 check digits): birth dates from 1975, 1,000 per day.
awk -v n="$N" 'BEGIN {
    split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
    for (i = 1; i <= n; i++) {
        t = mktime("1975 01 01 12 00 00") + int((i - 1) / 1000) * 86400
        b = "450102" strftime("%Y%m%d", t) sprintf("%03d", (i - 1) % 1000)
        s = 0
        for (k = 1; k <= 17; k++) s += substr(b, k, 1) * w[k]
        print i "," b substr("10X98765432", s % 11 + 1, 1)
    }
}' >"$T/ids.csv"
sqlite3 -batch "$DB" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO division (code, name, level, parent) VALUES (450000000000, '广西', 1, NULL),
  (450100000000, '南宁市', 2, 450000000000), (450124000000, '马山县', 3, 450100000000),
  (450124100000, '白山镇', 4, 450124000000);
INSERT INTO unit (code, name, level, category, division, lat, lng)
  VALUES ('U1', '南宁市直单位', 'city', '经济', 450100000000, 22.82, 108.32);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N)
INSERT INTO division (code, name, level, parent) SELECT 450124100000 + 1 + i, 'V' || i, 5, 450124100000 FROM n;
INSERT INTO village (code, poverty, lat, lng, datum)
  SELECT code, 'poor', 22.0 + (code % 1000) * 0.003, 106.0 + ((code / 1000) % 1000) * 0.003, 'WGS84'
  FROM division WHERE level = 5;
CREATE TEMP TABLE ids (id INTEGER, idn TEXT);
.mode csv
.import $T/ids.csv ids
INSERT INTO cadre (id, id_number, name, unit) SELECT id, idn, 'C' || id, 'U1' FROM ids;
INSERT INTO posting (cadre, village, role, start_date) SELECT id, 450124100000 + id, 'member', '2018-06-20' FROM cadre;
WITH RECURSIVE d(day) AS (SELECT 1 UNION ALL SELECT day + 1 FROM d WHERE day < 30)
INSERT INTO checkin (cadre, village, at, lat, lng, accuracy_m, source, inside, distance_m, synced_at)
  SELECT c.id, v.code, printf('2018-07-%02d 08:%02d:00', d.day, c.id % 60),
         v.lat + ((c.id * 7 + d.day * 13) % 100) * 0.00001, v.lng, 20, 'api', 1, 100,
         printf('2018-07-%02d 08:%02d:00', d.day, c.id % 60)
  FROM cadre c JOIN village v ON v.code = 450124100000 + c.id CROSS JOIN d;
COMMIT;
SQL
