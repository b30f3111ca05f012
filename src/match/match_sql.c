/* SPDX-License-Identifier: MIT */
/* match_sql.c - statements of the dispatch model, by name (the move of the
 * model's SQL into this file has begun here; see issue 11). Bounds are
 * always bound parameters. */
#include "model_int.h"

/* Cadres serving now per village and role, in the range [?1, ?2]: a new
 * plan opens only the slots their team still lacks. */
const char match_sql_serving[] =
    "SELECT village, role, count(*) FROM posting WHERE end_date IS NULL "
    "AND village BETWEEN ?1 AND ?2 GROUP BY village, role ORDER BY village";

/* Discard draft ?1 (its slots stay, for the record). */
const char match_sql_plan_discard[] =
    "UPDATE plan SET status = 'discarded' WHERE id = ?1 AND status = 'draft'";

/* Pins (点将, pin.c). */
const char match_sql_pin_put[] =
    "INSERT INTO pin(cadre, village, role, note, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (cadre) DO UPDATE SET village = excluded.village, role = excluded.role, "
    "note = excluded.note, by = excluded.by, at = excluded.at";
const char match_sql_pin_delete[] = "DELETE FROM pin WHERE cadre = ?1";
const char match_sql_pin_list[] =
    "SELECT c.id, c.id_number, c.name, p.village, coalesce(d.name, ''), coalesce(p.role, ''), "
    "p.note, p.by, p.at FROM pin p JOIN cadre c ON c.id = p.cadre "
    "LEFT JOIN division d ON d.code = p.village "
    "WHERE p.village BETWEEN ?1 AND ?2 ORDER BY p.village, c.id";
const char match_sql_cadre_by_idnum[] = "SELECT id FROM cadre WHERE id_number = ?1";
const char match_sql_village_exists[] = "SELECT count(*) FROM village WHERE code = ?1";

/* Terms (plan.c). The new postings of plan ?1, begun on ?2, end with the
 * term ?3 (a match's order end). */
const char match_sql_term_set[] =
    "UPDATE posting SET term_end = ?3 WHERE end_date IS NULL AND start_date = ?2 "
    "AND cadre IN (SELECT cadre FROM plan_slot WHERE plan = ?1 AND cadre IS NOT NULL)";
/* A refill's postings serve the rest of the term they take over: the
 * latest order end of a published match with a post in the village, after
 * the start; else ?3. */
const char match_sql_term_refill[] =
    "UPDATE posting SET term_end = coalesce((SELECT max(o.end_date) FROM plan_slot r "
    "JOIN plan q ON q.id = r.plan JOIN dispatch_order o ON o.plan = q.id "
    "WHERE q.kind = 'match' AND q.status = 'published' AND r.village = posting.village "
    "AND o.end_date > posting.start_date), ?3) WHERE end_date IS NULL AND start_date = ?2 "
    "AND cadre IN (SELECT cadre FROM plan_slot WHERE plan = ?1 AND cadre IS NOT NULL)";
/* ... and its order ends with the latest of them. */
const char match_sql_term_refill_order[] =
    "UPDATE dispatch_order SET end_date = coalesce((SELECT max(po.term_end) FROM posting po "
    "WHERE po.start_date = ?2 AND po.cadre IN (SELECT cadre FROM plan_slot WHERE plan = ?1 "
    "AND cadre IS NOT NULL)), end_date) WHERE plan = ?1";
/* Extend plan ?1's term from ?2 to ?3: its order, and every open posting
 * in its villages that ended with it (refills of it included). */
const char match_sql_term_order_end[] =
    "SELECT o.end_date FROM dispatch_order o JOIN plan p ON p.id = o.plan "
    "WHERE o.plan = ?1 AND p.status = 'published'";
const char match_sql_term_extend_order[] =
    "UPDATE dispatch_order SET end_date = ?3 WHERE plan = ?1 AND end_date = ?2";
const char match_sql_term_extend_postings[] =
    "UPDATE posting SET term_end = ?3 WHERE end_date IS NULL AND term_end = ?2 "
    "AND village IN (SELECT village FROM plan_slot WHERE plan = ?1)";
const char match_sql_term_record[] =
    "INSERT INTO term_change(plan, kind, old_end, new_end, reason, by, at) "
    "VALUES (?1, 'extend', ?2, ?3, ?4, ?5, ?6)";
