/* SPDX-License-Identifier: MIT */
/* outcome_sql.c - the outcome module's statements, by name. */
#include "outcome_int.h"

/* Villages of [?1, ?2] with their ledger figures and, from the registered
 * poor households identified by year ?3, those still poor and exited. */
const char outcome_sql_villages[] =
    "SELECT v.code, coalesce(d.name, ''), coalesce(v.households, 0), coalesce(v.population, 0), "
    "coalesce(v.poor_households, 0), coalesce(v.poor_population, 0), "
    "count(h.id), coalesce(sum(CASE WHEN h.status = 'poor' THEN 1 ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN h.status = 'poor' THEN h.members ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN h.status = 'exited' THEN 1 ELSE 0 END), 0), coalesce(sum(h.members), "
    "0) "
    "FROM village v LEFT JOIN division d ON d.code = v.code "
    "LEFT JOIN (SELECT x.id, x.village, x.members, coalesce((SELECT CASE s.status "
    "WHEN 'returned' THEN 'poor' WHEN 'watch' THEN 'at_risk' ELSE s.status END "
    "FROM household_status s WHERE s.household = x.id AND s.year <= ?3 "
    "ORDER BY s.year DESC LIMIT 1), x.status) AS status FROM household x "
    "WHERE coalesce(x.poverty_year, 0) <= ?3) h ON h.village = v.code "
    "WHERE v.code BETWEEN ?1 AND ?2 GROUP BY v.code, d.name ORDER BY v.code";

/* The name of a division. */
const char outcome_sql_name[] = "SELECT name FROM division WHERE code = ?1";

/* Yearly status: the household's village; write (household, year, status,
 * income, six checks, evidence, by, at). */
const char outcome_sql_household_village[] = "SELECT village FROM household WHERE id = ?1";
const char outcome_sql_status_put[] =
    "INSERT INTO household_status (household, year, status, income_fen, food, clothing, "
    "education, medical, housing, water, evidence, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (household, year) DO UPDATE SET "
    "status = excluded.status, income_fen = excluded.income_fen, food = excluded.food, "
    "clothing = excluded.clothing, education = excluded.education, medical = excluded.medical, "
    "housing = excluded.housing, water = excluded.water, evidence = excluded.evidence, "
    "by = excluded.by, at = excluded.at";

/* The return-to-poverty watch: households of [?1, ?2] (responsible cadre in
 * [?4, ?5], 0 for none) with a 脱贫 record by year ?3, their latest record
 * up to ?3 (year, status, income, six checks), the first exit year, the
 * responsible cadre's name (aid_responsible, src/aid), the names of the
 * township and the county. */
const char outcome_sql_watch[] =
    "SELECT h.id, h.village, coalesce(d.name, ''), s.year, s.status, s.income_fen, s.food, "
    "s.clothing, s.education, s.medical, s.housing, s.water, "
    "(SELECT min(e.year) FROM household_status e WHERE e.household = h.id "
    "AND e.status = 'exited' AND e.year <= ?3), coalesce(c.name, ''), coalesce(t.name, ''), "
    "coalesce(k.name, ''), coalesce((SELECT w.response || ' (' || w.responder || ', ' || "
    "substr(w.at, 1, 10) || ')' FROM watch_response w WHERE w.household = h.id AND w.year = ?3 "
    "ORDER BY w.id DESC LIMIT 1), '') FROM household h JOIN household_status s ON s.household = "
    "h.id "
    "AND s.year = (SELECT max(x.year) FROM household_status x WHERE x.household = h.id "
    "AND x.year <= ?3) "
    "LEFT JOIN division d ON d.code = h.village "
    "LEFT JOIN division t ON t.code = h.village / 1000 * 1000 "
    "LEFT JOIN division k ON k.code = h.village / 1000000 * 1000000 "
    "LEFT JOIN aid_responsible r ON r.household = h.id LEFT JOIN cadre c ON c.id = r.cadre "
    "WHERE h.village BETWEEN ?1 AND ?2 AND coalesce(r.cadre, 0) BETWEEN ?4 AND ?5 "
    "AND h.id = coalesce(?6, h.id) "
    "AND EXISTS (SELECT 1 FROM household_status e WHERE e.household = h.id "
    "AND e.status = 'exited' AND e.year <= ?3) ORDER BY h.village, h.id";

/* A household's yearly records, by year. */
const char outcome_sql_status_of[] =
    "SELECT year, status, income_fen, food, clothing, education, medical, housing, water, "
    "evidence, by FROM household_status WHERE household = ?1 ORDER BY year";

/* A response to the watch: (household, year, text, responder, at). */
const char outcome_sql_watch_respond[] =
    "INSERT INTO watch_response (household, year, response, responder, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

/* Villages of (lo, hi) with a team at some time between (first, last):
 * a posting there that overlaps the period. */
const char outcome_sql_team_villages[] =
    "SELECT DISTINCT village FROM posting WHERE village BETWEEN ?1 AND ?2 "
    "AND start_date <= ?4 AND (end_date IS NULL OR end_date >= ?3) ORDER BY village";

/* The ledger's class of the villages of (lo, hi). */
const char outcome_sql_village_class[] =
    "SELECT code, poverty FROM village WHERE code BETWEEN ?1 AND ?2 ORDER BY code";
