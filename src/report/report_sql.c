/* SPDX-License-Identifier: MIT */
/* report_sql.c - every statement of the figures (figures.c), by name.
 *
 * One text per statement in the SQL subset SQLite and PostgreSQL share;
 * scopes and days are always bound, never formatted into the text.
 *
 * "Serving on day ?1" is `p.start_date <= ?1 AND (p.end_date IS NULL OR
 * p.end_date > ?1)`: a posting begun by then and not yet ended. The
 * overview's day is today when none is given; a village's team without a
 * day lists every open posting (members published but not yet arrived
 * too), which is the same condition with ?1 = '9999-12-31' (REPORT_NO_DAY):
 * every start date is before it, no end date after it. "Ended by ?2" (a village's history) is
 * `p.end_date <= ?2`, every ended posting with the same bound. */
#include "report_int.h"
#include "store/store.h"

/* Serving postings in the village range [?2, ?3] on day ?1, with their
 * cadre (c) and its sending unit (u). */
#define SERVING                                                                                    \
    "FROM posting p JOIN cadre c ON c.id = p.cadre JOIN unit u ON u.code = c.unit "                \
    "WHERE p.start_date <= ?1 AND (p.end_date IS NULL OR p.end_date > ?1) "                        \
    "AND p.village BETWEEN ?2 AND ?3 "

/* The teams serving on day ?1 in [?2, ?3]: size and whether a first
 * secretary is among them, per village. */
#define TEAMS                                                                                      \
    "WITH t AS (SELECT p.village, count(*) AS n, "                                                 \
    "max(CASE WHEN p.role = 'first_secretary' THEN 1 ELSE 0 END) AS fs FROM posting p "            \
    "WHERE p.start_date <= ?1 AND (p.end_date IS NULL OR p.end_date > ?1) "                        \
    "AND p.village BETWEEN ?2 AND ?3 GROUP BY p.village)"

/* A village's postings (?1), with the number and end of the dispatch
 * order of the plan whose slot the cadre holds. */
#define POSTINGS                                                                                   \
    "SELECT c.id, c.name, u.code, u.name, u.category, p.role, p.start_date, p.end_date, "          \
    "(SELECT o.number FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "                  \
    " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC LIMIT 1), "     \
    "(SELECT o.end_date FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "                \
    " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC LIMIT 1) "      \
    "FROM posting p JOIN cadre c ON c.id = p.cadre JOIN unit u ON u.code = c.unit "                \
    "WHERE p.village = ?1 AND "

/* The latest dispatch order of the cadre's slot in the posting's village. */
#define ORDER_OF(col)                                                                              \
    "(SELECT o." col " FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "                 \
    " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC "               \
    " LIMIT 1)"


const char *const report_sql[RQ_COUNT] = {
    [RQ_DIVISION_NAME] = "SELECT name FROM division WHERE code = ?1",
    /* ?4, ?5, ?6: the full team's size for deep, poor and other villages. */
    [RQ_COVERAGE] =
        TEAMS " SELECT v.poverty, count(*), sum(coalesce(t.fs, 0)), "
              "sum(CASE WHEN coalesce(t.n, 0) >= CASE v.poverty WHEN 'deep' THEN ?4 "
              "WHEN 'poor' THEN ?5 ELSE ?6 END AND coalesce(t.n, 0) > 0 THEN 1 ELSE 0 END), "
              "sum(CASE WHEN coalesce(t.n, 0) > 0 THEN 1 ELSE 0 END), "
              "sum(coalesce(v.poor_households, 0)), sum(coalesce(v.poor_population, 0)) "
              "FROM village v LEFT JOIN t ON t.village = v.code "
              "WHERE v.code BETWEEN ?2 AND ?3 GROUP BY v.poverty",
    /* ?4: born after it = under 45 on the day. */
    [RQ_CADRES] = "SELECT count(*), sum(CASE WHEN p.role = 'first_secretary' THEN 1 ELSE 0 END), "
                  "sum(c.party_member), sum(c.reserve), "
                  "sum(CASE WHEN c.gender = '女' THEN 1 ELSE 0 END), count(DISTINCT c.unit), "
                  "count(DISTINCT p.village), "
                  "sum(CASE WHEN c.birth_date IS NOT NULL AND c.birth_date > ?4 THEN 1 ELSE 0 "
                  "END), "
                  "sum(CASE WHEN c.education IN ('本科', '研究生', '硕士', '博士') THEN 1 ELSE 0 "
                  "END), "
                  /* in a village (its code's last three digits), not a county or
                   * township post (挂职) */
                  "sum(CASE WHEN p.village % 1000 <> 0 THEN 1 ELSE 0 END) " SERVING,
    [RQ_BY_CATEGORY] = "SELECT u.category, count(*) " SERVING "GROUP BY 1 ORDER BY 2 DESC, 1",
    [RQ_BY_LEVEL] = "SELECT u.level, count(*) " SERVING
                    "GROUP BY 1 ORDER BY CASE u.level WHEN 'province' THEN 1 WHEN 'city' THEN 2 "
                    "WHEN 'county' THEN 3 ELSE 4 END",
    [RQ_BY_UNIT] = "SELECT u.code, u.name, u.category, count(*) " SERVING
                   "GROUP BY u.code ORDER BY 4 DESC, 1 LIMIT 15",
    /* ?4, ?5, ?6: the birth dates 35, 45 and 55 years before the day. */
    [RQ_BY_AGE] = "SELECT band, count(*) FROM (SELECT CASE WHEN c.birth_date IS NULL THEN "
                  "'unknown' WHEN c.birth_date > ?4 THEN '<35' "
                  "WHEN c.birth_date > ?5 THEN '35-44' WHEN c.birth_date > ?6 THEN '45-54' "
                  "ELSE '55+' END AS band " SERVING ") AS b GROUP BY band ORDER BY "
                  "CASE band WHEN '<35' THEN 1 WHEN '35-44' THEN 2 WHEN '45-54' THEN 3 "
                  "WHEN '55+' THEN 4 ELSE 5 END",
    [RQ_BY_EDUCATION] = "SELECT coalesce(nullif(c.education, ''), 'unknown'), count(*) " SERVING
                        "GROUP BY 1 ORDER BY 2 DESC",
    /* ?4: the power of ten that cuts a village code down to the level below
     * the scope; ?5, ?6: the full team's size for deep and poor villages (a
     * poor village with fewer is 未配齐, counted as RQ_COVERAGE does). */
    [RQ_AREAS] = TEAMS ", g AS (SELECT (v.code / ?4) * ?4 AS code, count(*) AS villages, "
                       "sum(CASE WHEN v.poverty = 'poor' THEN 1 ELSE 0 END) AS poor, "
                       "sum(CASE WHEN v.poverty = 'deep' THEN 1 ELSE 0 END) AS deep, "
                       "sum(CASE WHEN v.poverty <> 'none' AND coalesce(t.fs, 0) <> 0 THEN 1 "
                       "ELSE 0 END) AS covered, "
                       "sum(CASE WHEN v.poverty <> 'none' AND coalesce(t.n, 0) > 0 AND "
                       "t.n >= CASE v.poverty WHEN 'deep' THEN ?5 ELSE ?6 END THEN 1 ELSE 0 "
                       "END) AS full_team, "
                       "sum(coalesce(t.n, 0)) AS serving, avg(v.lat) AS lat, avg(v.lng) AS lng "
                       "FROM village v LEFT JOIN t ON t.village = v.code "
                       "WHERE v.code BETWEEN ?2 AND ?3 GROUP BY 1) "
                       "SELECT g.code, coalesce(d.name, ''), g.villages, g.poor, g.deep, "
                       "g.covered, g.full_team, g.serving, g.lat, g.lng FROM g "
                       "LEFT JOIN division d ON d.code = g.code ORDER BY g.code LIMIT 500",
    /* A village's team on day ?2, and its postings ended by ?2. */
    [RQ_TEAM] = POSTINGS "p.start_date <= ?2 AND (p.end_date IS NULL OR p.end_date > ?2) "
                         "ORDER BY CASE p.role WHEN 'first_secretary' THEN 1 WHEN 'leader' "
                         "THEN 2 ELSE 3 END, c.name",
    [RQ_HISTORY] = POSTINGS "p.end_date <= ?2 ORDER BY p.end_date DESC LIMIT 100",
    [RQ_RECALLS] = "SELECT r.cadre, c.name, r.date, r.reason, r.role FROM recall r "
                   "JOIN cadre c ON c.id = r.cadre WHERE r.village = ?1 "
                   "ORDER BY r.date DESC LIMIT 100",
    [RQ_HOUSEHOLDS] = "SELECT status, count(*), sum(members) FROM household WHERE village = ?1 "
                      "GROUP BY status ORDER BY status",
    /* Cadre ?1 (with a registered unit) if the scope sees it: anywhere; as
     * cadre ?2 itself; in the division range [?2, ?3] (a unit there, or
     * serving there: the cadre list's rule). Answers the cadre's unit. */
    [RQ_GRADES] = "SELECT year, grade FROM cadre_grade WHERE cadre = ?1 ORDER BY year DESC",
    [RQ_DISCIPLINE] = "SELECT year, kind FROM cadre_discipline WHERE cadre = ?1 ORDER BY year DESC",
    [RQ_POSTINGS] = "SELECT p.village, coalesce(d.name, ''), p.role, p.start_date, "
                    "p.end_date, " ORDER_OF("number") ", " ORDER_OF("term_years") ", " ORDER_OF(
                        "end_date") " FROM posting p LEFT JOIN division d ON d.code = p.village "
                                    "WHERE p.cadre = ?1 ORDER BY p.start_date DESC",
};

int report_prepare(struct store *s, enum report_query q, struct store_stmt **out,
                   struct zc_error *err)
{
    return store_prepare(s, report_sql[q], out, err);
}
