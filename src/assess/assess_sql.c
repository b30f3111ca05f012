/* SPDX-License-Identifier: MIT */
/* assess_sql.c - every statement of the assessment module, by name.
 *
 * One text per statement in the SQL subset SQLite and PostgreSQL share
 * (CASE instead of sums over comparisons, no date functions: dates are
 * computed in C and bound); scope bounds are always parameters. */
#include "assess_int.h"

/* A cadre's village in the scope's range and the cadre range, from ?N on. */
#define SCOPE(v, c, a, b, x, y) " " v " BETWEEN ?" a " AND ?" b " AND " c " BETWEEN ?" x " AND ?" y

const char *const assess_sql[AQ_COUNT] = {
    [AQ_DIVISION_NAME] = "SELECT name FROM division WHERE code = ?1",
    [AQ_COMMEND_ADD] =
        "INSERT INTO commendation (cadre, village, year, day, title, reason, "
        "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    [AQ_COMMEND_LIST] =
        "SELECT m.id, m.cadre, m.village, c.id_number, c.name, coalesce(d.name, ''), "
        "m.year, m.day, m.title, m.reason FROM commendation m JOIN cadre c ON c.id = "
        "m.cadre LEFT JOIN division d ON d.code = m.village WHERE m.year = ?1 AND" SCOPE(
            "m.village", "m.cadre", "2", "3", "4", "5") " ORDER BY m.day, m.id",
    [AQ_NEG_YEAR] =
        "SELECT cadre, count(*) FROM negative_entry WHERE month BETWEEN ?1 AND ?2 AND" SCOPE(
            "village", "cadre", "3", "4", "5", "6") " GROUP BY cadre",
    [AQ_TASK_TEAMS] =
        "SELECT v.code, v.states, v.industries FROM village v WHERE v.code BETWEEN ?3 "
        "AND ?4 AND EXISTS (SELECT 1 FROM posting p WHERE p.village = v.code AND "
        "p.start_date <= ?2 AND (p.end_date IS NULL OR p.end_date >= ?1)) "
        "ORDER BY v.code",
    [AQ_TASK_MEASURES] =
        "SELECT h.village, m.kind, count(*), sum(CASE WHEN m.due_date < ?1 THEN 1 ELSE 0 END), "
        "max(m.due_date) FROM aid_measure m JOIN household h ON h.id = m.household "
        "WHERE m.status = 'open' AND m.due_date IS NOT NULL AND m.due_date <= ?2 "
        "AND h.village BETWEEN ?3 AND ?4 GROUP BY h.village, m.kind ORDER BY h.village, m.kind",
    [AQ_TASK_DERIVE] = "INSERT INTO assess_task (village, quarter, text, due, created_by, source) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING RETURNING id",
    [AQ_TASK_LIST] =
        "SELECT t.id, t.village, coalesce(d.name, ''), t.quarter, t.text, t.due, "
        "coalesce(t.done_at, ''), t.evidence, t.source FROM assess_task t "
        "LEFT JOIN division d ON d.code = t.village WHERE t.quarter = ?1 AND t.village BETWEEN ?2 "
        "AND ?3 AND (?4 = 0 OR t.village IN (SELECT village FROM posting WHERE cadre = ?4)) "
        "ORDER BY t.village, t.due, t.id",
    [AQ_SAMPLE_GET] = "SELECT id, seed, count, population, drawn_by, drawn_at "
                      "FROM inspection_sample WHERE scope = ?1 AND month = ?2",
    [AQ_SAMPLE_ITEMS] = "SELECT i.rank, i.cadre, i.village, i.weight, i.why, c.id_number, c.name, "
                        "coalesce(d.name, '') FROM inspection_sample_item i "
                        "JOIN cadre c ON c.id = i.cadre LEFT JOIN division d ON d.code = i.village "
                        "WHERE i.sample = ?1 ORDER BY i.rank",
    [AQ_SAMPLE_INSERT] = "INSERT INTO inspection_sample (scope, month, seed, count, population, "
                         "drawn_by, drawn_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    [AQ_SAMPLE_ITEM_ADD] = "INSERT INTO inspection_sample_item (sample, rank, cadre, village, "
                           "weight, why) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [AQ_FINDINGS_SINCE] =
        "SELECT cadre, count(*) FROM finding WHERE day BETWEEN ?1 AND ?2 AND "
        "cadre IS NOT NULL AND" SCOPE("village", "cadre", "3", "4", "5", "6") " GROUP BY cadre",
    [AQ_INSPECTION_ADD] =
        "INSERT INTO inspection (village, cadre, sample, method, day, inspectors, "
        "note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9) RETURNING id",
    [AQ_INSPECTION_GET] = "SELECT village, cadre, day, inspectors FROM inspection WHERE id = ?1",
    [AQ_CADRE_EXISTS] = "SELECT 1 FROM cadre WHERE id = ?1",
    [AQ_SAMPLE_EXISTS] = "SELECT 1 FROM inspection_sample WHERE id = ?1",
    [AQ_POSTING_AT] = "SELECT village, role FROM posting WHERE cadre = ?1 AND start_date <= ?2 "
                      "AND (end_date IS NULL OR end_date >= ?2) ORDER BY start_date DESC LIMIT 1",
    [AQ_SECRETARY_AT] = "SELECT cadre FROM posting WHERE village = ?1 AND start_date <= ?2 "
                        "AND (end_date IS NULL OR end_date >= ?2) "
                        "ORDER BY CASE WHEN role = 'first_secretary' THEN 0 ELSE 1 END, cadre "
                        "LIMIT 1",
    [AQ_FINDING_ADD] =
        "INSERT INTO finding (inspection, cadre, village, rule, text, evidence, day) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    [AQ_TICKET_ADD] = "INSERT INTO ticket (finding, assignee, deadline) VALUES (?1, ?2, ?3) "
                      "RETURNING id",
    [AQ_TICKET_GET] = "SELECT t.status, f.village, coalesce(t.assignee, 0), i.inspectors "
                      "FROM ticket t JOIN finding f ON f.id = t.finding "
                      "JOIN inspection i ON i.id = f.inspection WHERE t.id = ?1",
    [AQ_TICKET_FIX] = "UPDATE ticket SET status = 'fixed', fix_text = ?1, fix_evidence = ?2, "
                      "fixed_at = ?3 WHERE id = ?4",
    [AQ_TICKET_CHECK] = "UPDATE ticket SET status = ?1, checked_by = ?2, checked_at = ?3, "
                        "check_note = ?4, closed_at = ?5 WHERE id = ?6",
    [AQ_TICKET_LIST] =
        "SELECT t.id, t.finding, coalesce(t.assignee, 0), f.village, coalesce(c.name, ''), "
        "coalesce(d.name, ''), f.rule, f.text, t.deadline, t.status, t.fix_text, "
        "CASE WHEN t.status IN ('open', 'reopened') AND t.deadline < ?5 THEN 1 ELSE 0 END "
        "FROM ticket t JOIN finding f ON f.id = t.finding LEFT JOIN cadre c ON c.id = t.assignee "
        "LEFT JOIN division d ON d.code = f.village WHERE" SCOPE(
            "f.village", "coalesce(t.assignee, 0)", "1", "2", "3",
            "4") " AND (CAST(?6 AS TEXT) IS NULL OR "
                 "t.status = ?6 OR (?6 = "
                 "'overdue' AND t.status IN "
                 "('open', 'reopened') AND "
                 "t.deadline < ?5)) "
                 "ORDER BY t.deadline, t.id",
    [AQ_TICKET_ONE] =
        "SELECT t.id, t.finding, coalesce(t.assignee, 0), f.village, coalesce(c.name, ''), "
        "coalesce(d.name, ''), f.rule, f.text, t.deadline, t.status, t.fix_text, "
        "CASE WHEN t.status IN ('open', 'reopened') AND t.deadline < ?5 THEN 1 ELSE 0 END, "
        "f.day, f.evidence, i.method, i.inspectors, t.fix_evidence, coalesce(t.checked_by, ''), "
        "t.check_note, coalesce(t.closed_at, '') "
        "FROM ticket t JOIN finding f ON f.id = t.finding JOIN inspection i ON i.id = f.inspection "
        "LEFT JOIN cadre c ON c.id = t.assignee LEFT JOIN division d ON d.code = f.village "
        "WHERE t.id = ?6 AND" SCOPE("f.village", "coalesce(t.assignee, 0)", "1", "2", "3", "4"),
    [AQ_TICKET_EVENT_ADD] = "INSERT INTO ticket_event (ticket, action, status, actor, day, at, "
                            "note, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [AQ_TICKET_EVENTS] = "SELECT id, action, status, actor, day, at, note, evidence "
                         "FROM ticket_event WHERE ticket = ?1 ORDER BY id",
    /* Overdue as the ticket stood on the cutoff day: found by then, past
     * its deadline, and not fixed by then (never fixed, fixed only later, or
     * reopened by then) — a ticket fixed late still counts for the months
     * it was overdue. */
    [AQ_OVERDUE_BY_CADRE] = "SELECT t.assignee, count(*) FROM ticket t JOIN finding f ON f.id = "
                            "t.finding WHERE f.day <= ?1 AND t.deadline < ?1 "
                            "AND (t.fixed_at IS NULL OR t.fixed_at > ?1 OR (t.status = 'reopened' "
                            "AND t.checked_at <= ?1)) "
                            "AND t.assignee IS NOT NULL AND" SCOPE("f.village", "t.assignee", "2",
                                                                   "3", "4", "5") " GROUP BY "
                                                                                  "t.assignee",
    [AQ_FINDINGS_MONTH] = "SELECT cadre, count(*), min(text) FROM finding WHERE day BETWEEN ?1 AND "
                          "?2 AND cadre IS NOT NULL AND" SCOPE("village", "cadre", "3", "4", "5",
                                                               "6") " GROUP BY cadre",
    [AQ_NEG_CLEAR] = "DELETE FROM negative_entry WHERE month = ?1 AND source = 'rule' AND" SCOPE(
        "village", "cadre", "2", "3", "4", "5"),
    [AQ_NEG_ADD] = "INSERT INTO negative_entry (cadre, village, month, source, rule, detail, "
                   "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    [AQ_NEG_LIST] = "SELECT n.id, n.cadre, n.village, c.id_number, c.name, coalesce(d.name, ''), "
                    "coalesce(u.name, ''), n.source, n.rule, n.detail FROM negative_entry n "
                    "JOIN cadre c ON c.id = n.cadre LEFT JOIN division d ON d.code = n.village "
                    "LEFT JOIN unit u ON u.code = c.unit WHERE n.month = ?1 AND" SCOPE(
                        "n.village", "n.cadre", "2", "3", "4", "5") " ORDER BY u.name, n.cadre, "
                                                                    "n.id",
    [AQ_NEG_MONTHS] = "SELECT cadre, max(village), count(DISTINCT month), "
                      "max(CASE WHEN month = ?2 THEN 1 ELSE 0 END) FROM negative_entry "
                      "WHERE month BETWEEN ?1 AND ?2 AND" SCOPE("village", "cadre", "3", "4", "5",
                                                                "6") " GROUP BY cadre ORDER BY "
                                                                     "cadre",
    [AQ_STEPS_WINDOW] = "SELECT count(*), coalesce(sum(CASE WHEN month = ?3 THEN 1 ELSE 0 END), 0) "
                        "FROM ladder_step WHERE cadre = ?1 AND month BETWEEN ?2 AND ?3 "
                        "AND status <> 'withdrawn'",
    [AQ_STEP_ADD] = "INSERT INTO ladder_step (cadre, village, step, month, months, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [AQ_STEP_GET] = "SELECT l.cadre, l.village, l.step, l.status, c.id_number FROM ladder_step l "
                    "JOIN cadre c ON c.id = l.cadre WHERE l.id = ?1",
    [AQ_STEP_APPEAL] = "UPDATE ladder_step SET status = 'appealed', appeal = ?1, appealed_at = ?2 "
                       "WHERE id = ?3",
    [AQ_STEP_DECIDE] = "UPDATE ladder_step SET status = ?1, sanction = ?2, decided_by = ?3, "
                       "decided_at = ?4, note = ?5 WHERE id = ?6",
    [AQ_STEP_LIST] =
        "SELECT l.id, l.cadre, l.village, c.id_number, c.name, coalesce(d.name, ''), "
        "l.step, l.month, l.months, l.status, l.appeal, l.sanction, l.note "
        "FROM ladder_step l JOIN cadre c ON c.id = l.cadre "
        "LEFT JOIN division d ON d.code = l.village WHERE" SCOPE(
            "l.village", "l.cadre", "1", "2", "3", "4") " AND (CAST(?5 AS TEXT) IS NULL OR "
                                                        "l.status = ?5) ORDER BY "
                                                        "l.month DESC, l.id",
    [AQ_STEPS_YEAR] = "SELECT cadre, max(CASE step WHEN 'study' THEN 1 WHEN 'talk' THEN 2 "
                      "ELSE 3 END) FROM ladder_step WHERE status = 'confirmed' AND month BETWEEN "
                      "?1 AND ?2 AND" SCOPE("village", "cadre", "3", "4", "5", "6") " GROUP BY "
                                                                                    "cadre",
    [AQ_TASK_ADD] = "INSERT INTO assess_task (village, quarter, text, due, created_by) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
    [AQ_TASK_GET] = "SELECT village, coalesce(done_at, '') FROM assess_task WHERE id = ?1",
    [AQ_TASK_DONE] = "UPDATE assess_task SET done_at = ?1, evidence = ?2 WHERE id = ?3",
    [AQ_TASKS_DUE] = "SELECT village, count(*), sum(CASE WHEN done_at IS NOT NULL AND done_at <= "
                     "due THEN 1 ELSE 0 END) FROM assess_task WHERE due BETWEEN ?1 AND ?2 AND "
                     "village BETWEEN ?3 AND ?4 GROUP BY village",
    [AQ_HOUSEHOLDS] =
        "SELECT village, count(*), sum(CASE WHEN status = 'exited' THEN 1 ELSE 0 END) "
        "FROM household WHERE village BETWEEN ?1 AND ?2 GROUP BY village",
    [AQ_GRADE_GET] = "SELECT grade, coalesce(changed_by, ''), coalesce(confirmed_at, ''), county "
                     "FROM assess_grade WHERE cadre = ?1 AND year = ?2",
    [AQ_GRADE_PUT] = "INSERT INTO assess_grade (cadre, year, county, score, proposed, grade, "
                     "reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (cadre, year) DO "
                     "UPDATE SET county = excluded.county, score = excluded.score, proposed = "
                     "excluded.proposed, grade = excluded.grade, reason = excluded.reason "
                     "WHERE coalesce(assess_grade.changed_by, '') = '' AND "
                     "coalesce(assess_grade.confirmed_at, '') = ''",
    [AQ_GRADE_SET] = "UPDATE assess_grade SET grade = ?1, reason = ?2, changed_by = ?3 "
                     "WHERE cadre = ?4 AND year = ?5 AND confirmed_at IS NULL",
    [AQ_GRADE_LIST] =
        "SELECT g.cadre, g.county, g.score, g.proposed, g.grade, g.reason, "
        "coalesce(g.confirmed_at, ''), c.id_number, c.name, coalesce(u.name, ''), "
        "coalesce(p.village, 0), coalesce(d.name, '') FROM assess_grade g "
        "JOIN cadre c ON c.id = g.cadre LEFT JOIN unit u ON u.code = c.unit "
        "LEFT JOIN posting p ON p.cadre = g.cadre AND p.start_date = (SELECT max(start_date) "
        "FROM posting WHERE cadre = g.cadre) LEFT JOIN division d ON d.code = p.village "
        "WHERE g.year = ?1 AND" SCOPE("coalesce(p.village, g.county)", "g.cadre", "2", "3", "4",
                                      "5") " ORDER BY g.county, g.score DESC, g.cadre",
    [AQ_GRADE_CONFIRM] = "UPDATE assess_grade SET confirmed_at = ?1 WHERE cadre = ?2 AND year = ?3",
    [AQ_FUND_ADD] = "INSERT INTO fund_entry (village, kind, day, amount_fen, note, created_by, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    [AQ_FUND_SPENT] = "SELECT village, kind, sum(amount_fen) FROM fund_entry WHERE day BETWEEN ?1 "
                      "AND ?2 AND village BETWEEN ?3 AND ?4 GROUP BY village, kind",
    [AQ_TEAMS_YEAR] =
        "SELECT p.village, coalesce(d.name, ''), coalesce(max(CASE WHEN p.role = "
        "'first_secretary' THEN c.name END), '') FROM posting p JOIN cadre c ON c.id = p.cadre "
        "LEFT JOIN division d ON d.code = p.village WHERE p.start_date <= ?2 AND (p.end_date IS "
        "NULL OR p.end_date >= ?1) AND p.village BETWEEN ?3 AND ?4 GROUP BY p.village, d.name "
        "ORDER BY p.village",
    [AQ_FINDING_LIST] =
        "SELECT f.id, f.inspection, coalesce(f.cadre, 0), f.village, coalesce(c.name, ''), "
        "coalesce(d.name, ''), i.method, f.day, f.rule, f.text, coalesce(t.status, ''), "
        "coalesce(t.deadline, '') FROM finding f JOIN inspection i ON i.id = f.inspection "
        "LEFT JOIN cadre c ON c.id = f.cadre LEFT JOIN division d ON d.code = f.village "
        "LEFT JOIN ticket t ON t.finding = f.id WHERE f.day BETWEEN ?1 AND ?2 "
        "AND f.village BETWEEN ?3 AND ?4 ORDER BY f.day, f.id",
    [AQ_INSPECTION_COUNT] = "SELECT count(*), count(DISTINCT village) FROM inspection "
                            "WHERE day BETWEEN ?1 AND ?2 AND village BETWEEN ?3 AND ?4",
    [AQ_NOTE_VILLAGE] = "SELECT 1 FROM village v WHERE v.code = ?1 AND v.code BETWEEN ?2 AND ?3",
    [AQ_NOTE_VILLAGE_OWN] = "SELECT 1 FROM village v WHERE v.code = ?1 AND v.code IN "
                            "(SELECT village FROM posting WHERE cadre = ?2 AND end_date IS NULL)",
    [AQ_NOTICE_ADD] = "INSERT INTO notice (cadre, kind, ref, text, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
    [AQ_NOTICE_LIST] = "SELECT id, kind, coalesce(ref, 0), text, created_at, coalesce(read_at, '') "
                       "FROM notice WHERE cadre = ?1 AND (?2 = 0 OR read_at IS NULL) "
                       "ORDER BY id DESC LIMIT 50",
    [AQ_NOTICE_READ] = "UPDATE notice SET read_at = ?1 WHERE id = ?2 AND cadre = ?3",
    [AQ_STEP_LAST_ID] = "SELECT max(id) FROM ladder_step WHERE cadre = ?1 AND month = ?2",
};

int assess_prepare(struct store *s, enum assess_query q, struct store_stmt **out,
                   struct zc_error *err)
{
    return store_prepare(s, assess_sql[q], out, err);
}
