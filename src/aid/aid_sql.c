/* SPDX-License-Identifier: MIT */
/* aid_sql.c - every statement of the aid module, by name (the SQL subset
 * SQLite and PostgreSQL share; bounds always bound). */
#include "aid_int.h"

/* The responsible cadre's and the list's columns: household, village,
 * village name, cadre (0), ID number, name, unit name, basis, since, and
 * the number of households the cadre holds. */
#define RESPONSIBLE_COLS                                                                           \
    "SELECT h.id, h.village, coalesce(d.name, ''), coalesce(r.cadre, 0), "                         \
    "coalesce(c.id_number, ''), coalesce(c.name, ''), coalesce(u.name, ''), "                      \
    "coalesce(r.basis, ''), coalesce(r.since, ''), "                                               \
    "(SELECT count(*) FROM aid_responsible x WHERE x.cadre = r.cadre) "                            \
    "FROM household h LEFT JOIN division d ON d.code = h.village "                                 \
    "LEFT JOIN aid_responsible r ON r.household = h.id LEFT JOIN cadre c ON c.id = r.cadre "       \
    "LEFT JOIN unit u ON u.code = c.unit "                                                         \
    "WHERE h.village BETWEEN ?1 AND ?2 AND coalesce(r.cadre, 0) BETWEEN ?3 AND ?4 "

const char *const aid_sql[AQ_COUNT] = {
    [AQ_HOUSEHOLD] = "SELECT h.village, coalesce(r.cadre, 0) FROM household h "
                     "LEFT JOIN aid_responsible r ON r.household = h.id WHERE h.id = ?1",
    [AQ_CAUSES_DELETE] = "DELETE FROM household_cause WHERE household = ?1",
    [AQ_CAUSE_INSERT] = "INSERT INTO household_cause (household, cause, position) "
                        "VALUES (?1, ?2, ?3) ON CONFLICT (household, cause) DO NOTHING",
    [AQ_MAIN_CAUSE] = "UPDATE household SET cause = ?1 WHERE id = ?2",
    [AQ_CAUSES_GET] = "SELECT cause FROM household_cause WHERE household = ?1 ORDER BY position",
    [AQ_MAIN_CAUSE_GET] = "SELECT cause FROM household WHERE id = ?1",
    [AQ_PLAN_GET] = "SELECT p.version, p.next_level, p.status, "
                    "(SELECT count(*) FROM aid_measure m WHERE m.household = p.household), "
                    "(SELECT count(*) FROM aid_measure m WHERE m.household = p.household "
                    "AND m.status = 'open'), "
                    "(SELECT count(*) FROM aid_review v WHERE v.household = p.household "
                    "AND v.version = p.version) FROM aid_plan p WHERE p.household = ?1",
    [AQ_PLAN_INSERT] = "INSERT INTO aid_plan (household, version, next_level, status, updated_by, "
                       "updated_at) VALUES (?1, 1, 1, 'draft', ?2, ?3)",
    [AQ_PLAN_UPDATE] = "UPDATE aid_plan SET version = ?1, next_level = ?2, status = ?3, "
                       "updated_by = ?4, updated_at = ?5 WHERE household = ?6",
    [AQ_MEASURE_INSERT] = "INSERT INTO aid_measure (household, kind, description, amount_fen, "
                          "responsible, due_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
    [AQ_MEASURE_GET] = "SELECT household, kind, description, amount_fen, responsible, due_date, "
                       "status FROM aid_measure WHERE id = ?1",
    [AQ_MEASURE_UPDATE] = "UPDATE aid_measure SET kind = ?1, description = ?2, amount_fen = ?3, "
                          "responsible = ?4, due_date = ?5 WHERE id = ?6",
    [AQ_MEASURE_DELETE] = "DELETE FROM aid_measure WHERE id = ?1",
    [AQ_MEASURE_DONE] = "UPDATE aid_measure SET status = ?1, done_date = ?2 WHERE id = ?3",
    [AQ_MEASURES] =
        "SELECT id, kind, description, amount_fen, responsible, coalesce(due_date, ''), "
        "status, coalesce(done_date, '') FROM aid_measure WHERE household = ?1 "
        "ORDER BY id",
    [AQ_VERSION_SAVE] = "INSERT INTO aid_plan_version (household, version, measures, saved_by, "
                        "saved_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (household, version) "
                        "DO UPDATE SET measures = excluded.measures, saved_by = excluded.saved_by, "
                        "saved_at = excluded.saved_at",
    [AQ_REVIEW_INSERT] = "INSERT INTO aid_review (household, version, level, decision, reason, "
                         "reviewer, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [AQ_REVIEWS] = "SELECT version, level, decision, reason, reviewer, at FROM aid_review "
                   "WHERE household = ?1 ORDER BY id",
    [AQ_PLAN_LIST] = "SELECT p.household, h.village, coalesce(d.name, ''), p.version, "
                     "p.next_level, p.status, "
                     "(SELECT count(*) FROM aid_measure m WHERE m.household = p.household), "
                     "(SELECT count(*) FROM aid_measure m WHERE m.household = p.household "
                     "AND m.status = 'open'), coalesce(c.name, '') FROM aid_plan p "
                     "JOIN household h ON h.id = p.household "
                     "LEFT JOIN division d ON d.code = h.village "
                     "LEFT JOIN aid_responsible r ON r.household = p.household "
                     "LEFT JOIN cadre c ON c.id = r.cadre "
                     "WHERE h.village BETWEEN ?1 AND ?2 AND p.status = coalesce(?3, p.status) "
                     "AND p.next_level BETWEEN ?4 AND ?5 "
                     "AND coalesce(r.cadre, 0) BETWEEN ?6 AND ?7 ORDER BY h.village, p.household",
    [AQ_CADRE_BY_IDNUM] = "SELECT id, name, unit FROM cadre WHERE id_number = ?1",
    [AQ_CADRE_SERVES] = "SELECT 1 FROM posting WHERE cadre = ?1 AND village = ?2 "
                        "AND end_date IS NULL",
    [AQ_VILLAGE_PAIRED] = "SELECT coalesce(paired_unit, '') FROM village WHERE code = ?1",
    [AQ_CADRE_LOAD] = "SELECT household FROM aid_responsible WHERE cadre = ?1 AND household <> ?2 "
                      "ORDER BY household",
    [AQ_ASSIGN] = "INSERT INTO aid_responsible (household, cadre, basis, since, assigned_by, at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (household) DO UPDATE SET "
                  "cadre = excluded.cadre, basis = excluded.basis, since = excluded.since, "
                  "assigned_by = excluded.assigned_by, at = excluded.at",
    [AQ_PREV_RESPONSIBLE] = "SELECT c.id_number FROM aid_responsible r "
                            "JOIN cadre c ON c.id = r.cadre WHERE r.household = ?1",
    [AQ_RESPONSIBLE_BY_HH] = RESPONSIBLE_COLS "ORDER BY h.village, h.id",
    [AQ_RESPONSIBLE_BY_CAD] = RESPONSIBLE_COLS "ORDER BY c.name, r.cadre, h.id",
    [AQ_RESPONSIBLE_ONE] = RESPONSIBLE_COLS "AND h.id = ?5",
    [AQ_MEASURE_FIND] =
        "SELECT id, amount_fen, responsible, coalesce(due_date, '') FROM aid_measure "
        "WHERE household = ?1 AND kind = ?2 AND description = ?3 ORDER BY id LIMIT 1",
    [AQ_FORM_HOUSEHOLDS] =
        "SELECT coalesce(dp.name, ''), coalesce(dc.name, ''), coalesce(dx.name, ''), "
        "coalesce(dt.name, ''), coalesce(dv.name, ''), h.village, h.id, "
        "coalesce((SELECT m.name FROM household_member m WHERE m.household = h.id "
        "AND m.relation = '户主' ORDER BY m.id_number LIMIT 1), ''), "
        "coalesce(nullif(h.head_id_number, ''), (SELECT m.id_number FROM household_member m "
        "WHERE m.household = h.id AND m.relation = '户主' ORDER BY m.id_number LIMIT 1), ''), "
        "h.members, h.status, coalesce(h.poverty_year, 0), h.cause, "
        "h.income_per_capita, coalesce(rc.name, ''), coalesce(ru.name, '') "
        "FROM household h "
        "LEFT JOIN division dv ON dv.code = h.village "
        "LEFT JOIN division dt ON dt.code = h.village - h.village % 1000 "
        "LEFT JOIN division dx ON dx.code = h.village - h.village % 1000000 "
        "LEFT JOIN division dc ON dc.code = h.village - h.village % 100000000 "
        "LEFT JOIN division dp ON dp.code = h.village - h.village % 10000000000 "
        "LEFT JOIN aid_responsible r ON r.household = h.id "
        "LEFT JOIN cadre rc ON rc.id = r.cadre LEFT JOIN unit ru ON ru.code = rc.unit "
        "WHERE h.village BETWEEN ?1 AND ?2 ORDER BY h.village, h.id",
    [AQ_FORM_MEMBERS] =
        "SELECT h.village, m.household, m.name, coalesce(m.gender, ''), m.id_number, m.relation, "
        "coalesce(m.birth_date, ''), coalesce(m.education, ''), coalesce(m.student, ''), m.health, "
        "m.work_ability FROM household_member m JOIN household h ON h.id = m.household "
        "WHERE h.village BETWEEN ?1 AND ?2 "
        "ORDER BY h.village, m.household, m.relation <> '户主', m.id_number",
    [AQ_FORM_B92] =
        "SELECT p.village, coalesce(d.name, ''), c.name, coalesce(u.name, ''), p.role, "
        "coalesce(u.level, ''), p.start_date, coalesce(p.end_date, p.term_end, ''), c.id_number, "
        "c.party_member FROM posting p JOIN cadre c ON c.id = p.cadre "
        "LEFT JOIN unit u ON u.code = c.unit LEFT JOIN division d ON d.code = p.village "
        "WHERE p.village BETWEEN ?1 AND ?2 AND p.start_date <= ?3 "
        "AND (p.end_date IS NULL OR p.end_date >= ?3) "
        "ORDER BY p.village, CASE p.role WHEN 'first_secretary' THEN 0 WHEN 'leader' THEN 1 "
        "ELSE 2 END, c.name, c.id",
};

int aid_prepare(struct store *s, enum aid_query q, struct store_stmt **out, struct zc_error *err)
{
    return store_prepare(s, aid_sql[q], out, err);
}
