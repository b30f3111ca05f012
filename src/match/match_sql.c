/* SPDX-License-Identifier: MIT */
/* match_sql.c - every statement of the dispatch module, by name.
 *
 * One text per statement in the SQL subset SQLite and PostgreSQL share;
 * parameters are numbered or positional, bounds (scopes, plans, dates) are
 * always bound, never formatted into the text. Two statements are heads
 * that plan.c completes with rows of parameters (multi-row INSERTs). */
#include "model_int.h"

#include "store/store.h"

/* The columns of a plan row (plan_meta, meta_row in plan.c). */
#define PLAN_META_SELECT                                                                           \
    "SELECT p.id, p.kind, p.status, p.created_at, p.policy_name, coalesce(p.scope, 0),"            \
    " p.objective, p.slots, p.filled, p.cadres, p.moves, coalesce(p.seconds, 0),"                  \
    " coalesce(o.number, ''), coalesce(o.term_years, 0), coalesce(o.end_date, '')"                 \
    " FROM plan p LEFT JOIN dispatch_order o ON o.plan = p.id"

/* The columns of a plan for a caller with jurisdiction [?1, ?2] (plan_row
 * in plan.c): a plan matched inside it shows its own totals; a wider plan
 * (or one for everywhere) that holds slots in it shows the totals of those
 * slots only, objective 0 and "partial". */
#define PLAN_SCOPED_SELECT                                                                         \
    "SELECT p.id, p.kind, p.status, p.created_at, p.policy_name, coalesce(p.scope, 0), "           \
    "CASE WHEN p.scope BETWEEN ?1 AND ?2 THEN p.objective ELSE 0 END, "                            \
    "CASE WHEN p.scope BETWEEN ?1 AND ?2 THEN p.slots ELSE "                                       \
    "(SELECT count(*) FROM plan_slot cs WHERE cs.plan = p.id AND cs.village "                      \
    "BETWEEN ?1 AND ?2) END, "                                                                     \
    "CASE WHEN p.scope BETWEEN ?1 AND ?2 THEN p.filled ELSE "                                      \
    "(SELECT count(cs.cadre) FROM plan_slot cs WHERE cs.plan = p.id AND "                          \
    "cs.village BETWEEN ?1 AND ?2) END, "                                                          \
    "CASE WHEN p.scope BETWEEN ?1 AND ?2 THEN p.cadres ELSE "                                      \
    "(SELECT count(DISTINCT cs.cadre) FROM plan_slot cs WHERE cs.plan = p.id AND "                 \
    "cs.village BETWEEN ?1 AND ?2) END, "                                                          \
    "o.number, o.published_at, o.term_years, o.start_date, o.end_date, "                           \
    "CASE WHEN p.scope BETWEEN ?1 AND ?2 THEN 0 ELSE 1 END "                                       \
    "FROM plan p LEFT JOIN dispatch_order o ON o.plan = p.id WHERE "
/* ... and the same for everywhere: the plan's own totals. */
#define PLAN_ALL_SELECT                                                                            \
    "SELECT p.id, p.kind, p.status, p.created_at, p.policy_name, coalesce(p.scope, 0), "           \
    "p.objective, p.slots, p.filled, p.cadres, "                                                   \
    "o.number, o.published_at, o.term_years, o.start_date, o.end_date, 0 "                         \
    "FROM plan p LEFT JOIN dispatch_order o ON o.plan = p.id"
/* The plans a caller with jurisdiction [?1, ?2] sees: matched for a
 * division inside it, or for a wider area with a slot in one of its
 * villages. The plans they own (publish, discard): matched inside it. */
#define PLAN_VISIBLE                                                                               \
    "(p.scope BETWEEN ?1 AND ?2 OR EXISTS (SELECT 1 FROM plan_slot vs "                            \
    "WHERE vs.plan = p.id AND vs.village BETWEEN ?1 AND ?2))"
#define PLAN_OWNED "(p.scope BETWEEN ?1 AND ?2)"

/* The rows of `zhucun export plan` and `export teams`. */
#define EXPORT_SELECT                                                                              \
    "SELECT coalesce(dc.name, ''), coalesce(dt.name, ''), ps.village, coalesce(dv.name, ''),"      \
    " ps.seq, ps.role, coalesce(ps.need, ''), coalesce(c.id_number, ''),"                          \
    " coalesce(c.name, ''), coalesce(u.name, ''), coalesce(c.skills, ''), ps.score,"               \
    " coalesce(ps.breakdown, ps.reason, ''), ps.plan, coalesce(pt.title, '')"                      \
    " FROM plan_slot ps JOIN plan p ON p.id = ps.plan"                                             \
    " LEFT JOIN cadre c ON c.id = ps.cadre LEFT JOIN unit u ON u.code = c.unit"                    \
    " LEFT JOIN post pt ON pt.id = ps.post"                                                        \
    " LEFT JOIN division dv ON dv.code = ps.village"                                               \
    " LEFT JOIN division dt ON dt.code = ps.village / 1000 * 1000 AND dt.level >= 4"               \
    " LEFT JOIN division dc ON dc.code = ps.village / 1000000 * 1000000"

/* The slots of plan ?1 (api slot lists): in the jurisdiction's villages
 * [?2, ?3], within a village range [?4, ?5], with a cadre id in [?6, ?7]
 * (0 for an unfilled slot: [1, max] filled only, [0, 0] unfilled only). */
#define SLOTS_FROM                                                                                 \
    "FROM plan_slot s JOIN division d ON d.code = s.village "                                      \
    "LEFT JOIN cadre c ON c.id = s.cadre LEFT JOIN unit u ON u.code = c.unit "                     \
    "WHERE s.plan = ?1 AND s.village BETWEEN ?2 AND ?3 AND s.village BETWEEN ?4 AND ?5 "           \
    "AND coalesce(s.cadre, 0) BETWEEN ?6 AND ?7"
#define SLOTS_COLUMNS                                                                              \
    "SELECT s.village, d.name, s.seq, s.role, s.need, s.cadre, c.name, u.name, s.score, "          \
    "s.reason, s.state, s.breakdown "
/* The cadres plan ?1 did not send, of the jurisdiction: units in [?2, ?3]
 * or serving in it. */
#define UNSENT_FROM                                                                                \
    "FROM plan_cadre pc JOIN cadre c ON c.id = pc.cadre "                                          \
    "JOIN unit u ON u.code = c.unit WHERE pc.plan = ?1 AND "                                       \
    "(c.unit IN (SELECT code FROM unit WHERE division BETWEEN ?2 AND ?3) OR "                      \
    "c.id IN (SELECT cadre FROM posting WHERE end_date IS NULL AND village "                       \
    "BETWEEN ?2 AND ?3))"

#define UNSENT_FROM_ALL                                                                            \
    "FROM plan_cadre pc JOIN cadre c ON c.id = pc.cadre "                                          \
    "JOIN unit u ON u.code = c.unit WHERE pc.plan = ?1"

const char *const match_sql[MQ_COUNT] = {
    /* ---- loading (load.c) ---- */
    [MQ_SKILLS] = "SELECT code FROM skill ORDER BY builtin DESC, code",
    [MQ_UNITS] =
        "SELECT u.code, u.category, u.division, u.level,"
        " coalesce(u.staff, (SELECT count(*) FROM cadre c WHERE c.unit = u.code)),"
        " (SELECT count(*) FROM cadre c JOIN posting p ON p.cadre = c.id WHERE c.unit = u.code"
        "   AND p.start_date <= ?1 AND (p.end_date IS NULL OR p.end_date > ?1))"
        " FROM unit u ORDER BY u.code",
    /* Cadres serving now per village and role, in the range [?1, ?2]: a
     * new plan opens only the slots their team still lacks. */
    [MQ_SERVING] = "SELECT village, role, count(*) FROM posting WHERE end_date IS NULL "
                   "AND village BETWEEN ?1 AND ?2 GROUP BY village, role ORDER BY village",
    /* The unit responsible for the village (包村, village_unit) before its
     * 结对单位 (village.paired_unit): the score reads one unit a village. */
    [MQ_VILLAGES] = "SELECT v.code, v.poverty, v.states, v.hamlets, v.needs, v.lat, v.lng,"
                    " coalesce(vu.unit, v.paired_unit) FROM village v"
                    " LEFT JOIN village_unit vu ON vu.village = v.code"
                    " WHERE v.code BETWEEN ? AND ? ORDER BY v.code",
    [MQ_CADRE_EXTRA] = "SELECT id, skills, rural_years, hometown, preferred, spouse"
                       " FROM cadre ORDER BY id",
    [MQ_ROSTER] =
        "SELECT ps.village, ps.seq, ps.role, coalesce(ps.need, ''), coalesce(ps.cadre, 0),"
        " ps.state, coalesce(ps.post, 0) FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
        " WHERE p.status = 'published' AND ps.state IN ('serving', 'vacant')"
        " AND ps.village BETWEEN ? AND ? ORDER BY ps.village, ps.seq",
    [MQ_ROSTER_SERVING] = "SELECT ps.cadre FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
                          " WHERE p.status = 'published' AND ps.state = 'serving'"
                          " AND ps.village BETWEEN ? AND ? ORDER BY ps.cadre",
    [MQ_RECALLED] = "SELECT DISTINCT cadre FROM recall WHERE village BETWEEN ? AND ?"
                    " ORDER BY cadre",
    /* Cadres rotated out of a village in [?1, ?2] (轮换, not kept): the
     * refill keeps each out of that village, the latest such rotation last. */
    [MQ_ROTATED] = "SELECT cadre, village FROM term_rotation WHERE cadre IS NOT NULL AND kept = 0"
                   " AND village BETWEEN ? AND ? ORDER BY cadre, id",
    /* Posts above the village at divisions in [?1, ?2] whose term has not
     * ended on ?3, with the cadres holding a seat now. */
    [MQ_POSTS] = "SELECT p.id, p.division, p.seats, coalesce(p.min_rank, ''),"
                 " coalesce(p.send_level, ''), p.party_member, coalesce(p.skill, ''),"
                 " (SELECT count(*) FROM posting po WHERE po.post = p.id AND po.end_date IS NULL)"
                 " FROM post p WHERE p.division BETWEEN ?1 AND ?2"
                 " AND (p.term_end IS NULL OR p.term_end > ?3) ORDER BY p.division, p.id",
    [MQ_QUOTA_SERVING] = "SELECT ps.village FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
                         " WHERE p.status = 'published' AND ps.state = 'serving'",

    /* ---- plans (plan.c) ---- */
    [MQ_PLAN_INSERT] =
        "INSERT INTO plan(kind, status, created_at, policy_name, policy_text, scope, objective,"
        " slots, filled, cadres, moves, seconds) VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
    [MQ_SLOT_ROWS_HEAD] = "INSERT INTO plan_slot(plan, village, seq, role, need, cadre,"
                          " score, breakdown, reason, dual, post)",
    [MQ_CADRE_ROWS_HEAD] = "INSERT INTO plan_cadre(plan, cadre, reason, detail)",
    [MQ_PLAN_GET] = PLAN_META_SELECT " WHERE p.id = ?",
    [MQ_PLAN_LIST] = PLAN_META_SELECT " ORDER BY p.id DESC",
    [MQ_PLAN_POLICY] = "SELECT policy_text FROM plan WHERE id = ?",
    [MQ_PLAN_LATEST] = "SELECT max(id) FROM plan",
    [MQ_PLAN_LATEST_DRAFT] = "SELECT max(id) FROM plan WHERE status = 'draft'",
    /* Cadres of plan ?1 already serving (publish refuses them); a refill
     * lets its movers (on the roster) through. */
    [MQ_PUBLISH_CONFLICTS] = "SELECT count(*) FROM plan_slot ps JOIN posting po ON po.cadre = "
                             "ps.cadre WHERE ps.plan = ?1 AND po.end_date IS NULL",
    [MQ_PUBLISH_CONFLICTS_REFILL] =
        "SELECT count(*) FROM plan_slot ps JOIN posting po ON po.cadre = ps.cadre"
        " WHERE ps.plan = ?1 AND po.end_date IS NULL"
        " AND ps.cadre NOT IN (SELECT r.cadre FROM plan_slot r JOIN plan q"
        " ON q.id = r.plan WHERE q.status = 'published' AND r.state = 'serving'"
        " AND r.cadre IS NOT NULL)",
    [MQ_PUBLISH_REPLACE] = "UPDATE plan_slot SET state = 'replaced' WHERE state IN ('serving',"
                           " 'vacant') AND plan IN (SELECT id FROM plan WHERE status = "
                           "'published') AND village = ? AND seq = ?",
    [MQ_PLAN_SLOT_KEYS] = "SELECT village, seq FROM plan_slot WHERE plan = ?",
    /* A refill's movers leave their old village on ?2. */
    [MQ_PUBLISH_MOVERS_END] = "UPDATE posting SET end_date = ?2 WHERE end_date IS NULL AND"
                              " start_date < ?2 AND cadre IN (SELECT ps.cadre FROM plan_slot ps"
                              " WHERE ps.plan = ?1 AND ps.cadre IS NOT NULL) AND village NOT IN"
                              " (SELECT ps.village FROM plan_slot ps WHERE ps.plan = ?1 AND"
                              " ps.cadre = posting.cadre)",
    [MQ_POSTING_PUT] = "INSERT INTO posting(cadre, village, role, need, start_date, post)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(cadre, start_date) DO UPDATE SET"
                       " village = excluded.village, role = excluded.role, need = excluded.need,"
                       " post = excluded.post, end_date = NULL",
    [MQ_PUBLISH_SLOTS] =
        "SELECT ps.cadre, ps.village, ps.role, EXISTS (SELECT 1 FROM posting po"
        " WHERE po.cadre = ps.cadre AND po.village = ps.village AND"
        " po.end_date IS NULL), ps.need, ps.post FROM plan_slot ps WHERE ps.plan = ? AND"
        " ps.cadre IS NOT NULL",
    [MQ_PUBLISH_SLOT_STATES] = "UPDATE plan_slot SET state = CASE WHEN cadre IS NULL THEN "
                               "'vacant' ELSE 'serving' END WHERE plan = ?1",
    [MQ_PUBLISH_STATUS] = "UPDATE plan SET status = 'published' WHERE id = ?1",
    [MQ_ORDER_COUNT] = "SELECT count(*) FROM dispatch_order",
    [MQ_ORDER_INSERT] = "INSERT INTO dispatch_order(plan, number, published_at, term_years,"
                        " start_date, end_date) VALUES (?, ?, ?, ?, ?, ?)",
    /* Discard draft ?1 (its slots stay, for the record). */
    [MQ_PLAN_DISCARD] = "UPDATE plan SET status = 'discarded' WHERE id = ?1 AND status = 'draft'",

    /* ---- terms (plan.c): the new postings of plan ?1, begun on ?2, end
     * with the term ?3 (a match's order end). ---- */
    [MQ_TERM_SET] =
        "UPDATE posting SET term_end = ?3 WHERE end_date IS NULL AND start_date = ?2 "
        "AND cadre IN (SELECT cadre FROM plan_slot WHERE plan = ?1 AND cadre IS NOT NULL)",
    /* A refill's postings serve the rest of the term they take over: the
     * new term of the latest rotation (轮换) or extension (不脱贫不脱钩) of
     * the village still running at the start, else the latest order end of a published match with a
     * post in the village, after the start; else ?3. */
    [MQ_TERM_REFILL] =
        "UPDATE posting SET term_end = coalesce((SELECT t.new_end FROM term_change t "
        "WHERE t.new_end > posting.start_date AND (EXISTS (SELECT 1 FROM term_rotation tr "
        "WHERE tr.term_change = t.id AND tr.village = posting.village) OR EXISTS (SELECT 1 "
        "FROM term_extension te WHERE te.term_change = t.id AND te.village = posting.village)) "
        "ORDER BY t.id DESC LIMIT 1), (SELECT max(o.end_date) FROM plan_slot r "
        "JOIN plan q ON q.id = r.plan JOIN dispatch_order o ON o.plan = q.id "
        "WHERE q.kind = 'match' AND q.status = 'published' AND r.village = posting.village "
        "AND o.end_date > posting.start_date), ?3) WHERE end_date IS NULL AND start_date = ?2 "
        "AND cadre IN (SELECT cadre FROM plan_slot WHERE plan = ?1 AND cadre IS NOT NULL)",
    /* ... and its order ends with the latest of them. */
    [MQ_TERM_REFILL_ORDER] =
        "UPDATE dispatch_order SET end_date = coalesce((SELECT max(po.term_end) FROM posting po "
        "WHERE po.start_date = ?2 AND po.cadre IN (SELECT cadre FROM plan_slot WHERE plan = ?1 "
        "AND cadre IS NOT NULL)), end_date) WHERE plan = ?1",
    /* The seats of posts with their own term (post.term_end) that plan ?1
     * filled on ?2 end with that term. */
    [MQ_TERM_POSTS] =
        "UPDATE posting SET term_end = (SELECT p.term_end FROM post p WHERE p.id = posting.post) "
        "WHERE end_date IS NULL AND start_date = ?2 AND post IS NOT NULL AND cadre IN (SELECT "
        "cadre FROM plan_slot WHERE plan = ?1 AND cadre IS NOT NULL) AND EXISTS (SELECT 1 FROM "
        "post p WHERE p.id = posting.post AND p.term_end > posting.start_date)",
    /* Extend plan ?1's term to ?3 (plan_extend): its order, when the whole
     * order is extended (to ?2); the posting of cadre ?1 serving in village ?3; the
     * record, and each village it moved. */
    [MQ_TERM_EXTEND_ORDER] =
        "UPDATE dispatch_order SET end_date = ?2 WHERE plan = ?1 AND end_date < ?2",
    [MQ_TERM_EXTEND_POSTING] = "UPDATE posting SET term_end = ?2 WHERE cadre = ?1 AND village = "
                               "?3 AND end_date IS NULL",
    [MQ_TERM_RECORD] = "INSERT INTO term_change(plan, kind, old_end, new_end, reason, by, at) "
                       "VALUES (?1, 'extend', ?2, ?3, ?4, ?5, ?6) RETURNING id",
    [MQ_TERM_EXTEND_VILLAGE] = "INSERT INTO term_extension(term_change, village) VALUES (?1, ?2)",

    /* ---- rotation (轮换, plan.c) ---- */
    /* The roster slots (published plans, serving or vacant) of plan ?1's
     * villages, posts above the village aside (their own term): each with
     * its serving cadre's posting there (start, term end). */
    [MQ_ROTATE_SLOTS] =
        "SELECT ps.plan, ps.village, ps.seq, ps.role, coalesce(ps.cadre, 0),"
        " coalesce(po.start_date, ''), coalesce(po.term_end, ''), ps.state"
        " FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
        " LEFT JOIN posting po ON po.cadre = ps.cadre AND po.village = ps.village"
        " AND po.end_date IS NULL"
        " WHERE p.status = 'published' AND ps.state IN ('serving', 'vacant') AND ps.post IS NULL"
        " AND ps.village IN (SELECT village FROM plan_slot WHERE plan = ?1 AND post IS NULL)"
        " ORDER BY ps.village, ps.seq",
    [MQ_ROTATE_RECORD] = "INSERT INTO term_change(plan, kind, old_end, new_end, reason, by, at,"
                         " day) VALUES (?1, 'rotate', ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    /* Cadre ?1's posting in village ?3 ends on ?2. */
    [MQ_ROTATE_END_POSTING] = "UPDATE posting SET end_date = ?2 WHERE cadre = ?1 AND village = ?3"
                              " AND end_date IS NULL",
    [MQ_ROTATE_VACATE] = "UPDATE plan_slot SET state = 'vacant', cadre = NULL, reason = 'rotated'"
                         " WHERE plan = ? AND village = ? AND seq = ?",
    [MQ_ROTATE_SLOT_INSERT] = "INSERT INTO term_rotation(term_change, plan, village, seq, role,"
                              " cadre, kept) VALUES (?, ?, ?, ?, ?, ?, ?)",

    /* ---- recall (plan.c) ---- */
    /* A cadre serves either in a published plan's post, or by a posting
     * that came from elsewhere (an imported or generated roster). */
    [MQ_RECALL_FIND] = "SELECT c.id, ps.plan, coalesce(ps.village, po.village), ps.seq,"
                       " coalesce(ps.role, po.role), po.village IS NOT NULL,"
                       " coalesce(po.start_date, '') FROM cadre c"
                       " LEFT JOIN (SELECT r.* FROM plan_slot r JOIN plan p ON p.id = r.plan"
                       "  WHERE p.status = 'published' AND r.state = 'serving') ps"
                       " ON ps.cadre = c.id"
                       " LEFT JOIN posting po ON po.cadre = c.id AND po.end_date IS NULL"
                       " WHERE c.id_number = ? ORDER BY po.start_date DESC LIMIT 1",
    [MQ_RECALL_END_POSTING] =
        "UPDATE posting SET end_date = ?2 WHERE cadre = ?1 AND end_date IS NULL",
    [MQ_RECALL_VACATE] = "UPDATE plan_slot SET state = 'vacant', cadre = NULL, reason = 'recalled'"
                         " WHERE plan = ? AND village = ? AND seq = ?",
    /* Where the cadre with ID number ?1 serves now (the HTTP recall's scope). */
    [MQ_SERVING_VILLAGE] = "SELECT p.village FROM posting p JOIN cadre c ON c.id = p.cadre "
                           "WHERE c.id_number = ? AND p.end_date IS NULL",
    [MQ_CADRE_IDNUM_OF] = "SELECT id_number FROM cadre WHERE id = ?",
    [MQ_RECALL_INSERT] = "INSERT INTO recall(cadre, village, plan, role, date, reason)"
                         " VALUES (?, ?, ?, ?, ?, ?)",

    /* ---- export (plan.c): plan ?1 with its vacant slots, its filled
     * slots only, or the roster of serving cadres. ---- */
    [MQ_EXPORT_PLAN] = EXPORT_SELECT " WHERE ps.plan = ?1 ORDER BY ps.village, ps.seq",
    [MQ_EXPORT_PLAN_FILLED] =
        EXPORT_SELECT " WHERE ps.plan = ?1 AND ps.cadre IS NOT NULL ORDER BY ps.village, ps.seq",
    [MQ_EXPORT_ROSTER] = EXPORT_SELECT " WHERE p.status = 'published' AND ps.state = 'serving'"
                                       " ORDER BY ps.village, ps.seq",

    /* ---- plans as a caller sees them (plan_view.c: the HTTP plan lookups) ---- */
    [MQ_PLANS_SCOPED] = PLAN_SCOPED_SELECT PLAN_VISIBLE " ORDER BY p.id DESC LIMIT 200",
    [MQ_PLANS_ALL] = PLAN_ALL_SELECT " ORDER BY p.id DESC LIMIT 200",
    [MQ_PLAN_SCOPED] = PLAN_SCOPED_SELECT PLAN_VISIBLE " AND p.id = ?3",
    [MQ_PLAN_SCOPED_OWNED] = PLAN_SCOPED_SELECT PLAN_OWNED " AND p.id = ?3",
    [MQ_PLAN_ALL] = PLAN_ALL_SELECT " WHERE p.id = ?1",
    [MQ_PLAN_VISIBLE] = "SELECT 1 FROM plan p WHERE p.id = ?3 AND " PLAN_VISIBLE,
    [MQ_PLAN_EXISTS] = "SELECT 1 FROM plan p WHERE p.id = ?1",
    [MQ_SLOTS_COUNT] = "SELECT count(*) " SLOTS_FROM,
    [MQ_SLOTS_BY_VILLAGE] =
        SLOTS_COLUMNS SLOTS_FROM " ORDER BY s.village, s.seq LIMIT ?8 OFFSET ?9",
    [MQ_SLOTS_BY_CADRE] = SLOTS_COLUMNS SLOTS_FROM " ORDER BY c.name, c.id LIMIT ?8 OFFSET ?9",
    [MQ_UNSENT_COUNT] = "SELECT count(*) " UNSENT_FROM,
    [MQ_UNSENT] = "SELECT c.id, c.name, u.name, pc.reason, pc.detail " UNSENT_FROM
                  " ORDER BY c.name, c.id LIMIT ?4 OFFSET ?5",
    /* ... for everywhere (units without a division too). */
    [MQ_UNSENT_COUNT_ALL] = "SELECT count(*) " UNSENT_FROM_ALL,
    [MQ_UNSENT_ALL] = "SELECT c.id, c.name, u.name, pc.reason, pc.detail " UNSENT_FROM_ALL
                      " ORDER BY c.name, c.id LIMIT ?2 OFFSET ?3",

    /* ---- explain (explain.c) ---- */
    [MQ_SKILL_NAME] = "SELECT name_zh FROM skill WHERE code = ?",
    [MQ_CADRE_BY_IDNUM_FULL] = "SELECT id, name, unit FROM cadre WHERE id_number = ?",
    [MQ_EXPLAIN_ASSIGNED] =
        "SELECT ps.village, coalesce(d.name, ''), ps.seq, ps.role,"
        " coalesce(ps.need, ''), ps.score, coalesce(ps.breakdown, ''), ps.dual,"
        " ps.state, coalesce(pt.code, ''), coalesce(pt.title, '')"
        " FROM plan_slot ps LEFT JOIN division d ON d.code = ps.village"
        " LEFT JOIN post pt ON pt.id = ps.post WHERE ps.plan = ? AND ps.cadre = ?",
    /* The village cadre ?1 last rotated out of, not kept (MQ_ROTATED's rule). */
    [MQ_EXPLAIN_ROTATED] = "SELECT village FROM term_rotation WHERE cadre = ?1 AND kept = 0"
                           " ORDER BY id DESC LIMIT 1",
    [MQ_EXPLAIN_UNSENT] = "SELECT reason, coalesce(detail, '') FROM plan_cadre WHERE plan = ?"
                          " AND cadre = ?",
    [MQ_EXPLAIN_VILLAGE] = "SELECT coalesce(d.name, ''), coalesce(v.poverty, ''),"
                           " coalesce(v.states, 0), coalesce(v.needs, ''), coalesce(v.hamlets, 0)"
                           " FROM division d LEFT JOIN village v ON v.code = d.code"
                           " WHERE d.code = ?",
    [MQ_EXPLAIN_SLOTS] =
        "SELECT ps.seq, ps.role, coalesce(ps.need, ''), coalesce(c.id_number, ''),"
        " coalesce(c.name, ''), coalesce(c.unit, ''), ps.score, coalesce(ps.breakdown, ''),"
        " coalesce(ps.reason, ''), coalesce(ps.dual, 0), ps.state, coalesce(c.party_member, 0),"
        " coalesce(c.rank, ''), coalesce(u.category, ''), coalesce(c.skills, ''),"
        " coalesce(pt.code, ''), coalesce(pt.title, ''), coalesce(u.level, '')"
        " FROM plan_slot ps LEFT JOIN cadre c ON c.id = ps.cadre"
        " LEFT JOIN unit u ON u.code = c.unit LEFT JOIN post pt ON pt.id = ps.post"
        " WHERE ps.plan = ? AND ps.village = ? ORDER BY ps.seq",

    /* ---- pins (点将, pin.c) ---- */
    [MQ_PIN_PUT] =
        "INSERT INTO pin(cadre, village, role, note, by, at, post) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7) ON CONFLICT (cadre) DO UPDATE SET village = excluded.village, role = "
        "excluded.role, note = excluded.note, by = excluded.by, at = excluded.at, post = "
        "excluded.post",
    [MQ_PIN_DELETE] = "DELETE FROM pin WHERE cadre = ?1",
    [MQ_PIN_LIST] =
        "SELECT c.id, c.id_number, c.name, p.village, coalesce(d.name, ''), coalesce(p.role, ''), "
        "p.note, p.by, p.at, coalesce(p.post, 0), coalesce(pt.code, ''), coalesce(pt.title, '') "
        "FROM pin p JOIN cadre c ON c.id = p.cadre "
        "LEFT JOIN division d ON d.code = p.village LEFT JOIN post pt ON pt.id = p.post "
        "WHERE p.village BETWEEN ?1 AND ?2 ORDER BY p.village, c.id",
    [MQ_CADRE_BY_IDNUM] = "SELECT id FROM cadre WHERE id_number = ?1",
    [MQ_VILLAGE_EXISTS] = "SELECT count(*) FROM village WHERE code = ?1",
    /* The holders of posts' seats now (the posts page). */
    [MQ_POST_HOLDERS] =
        "SELECT pt.code, pt.division, c.id, c.name, coalesce(u.name, c.unit), po.start_date, "
        "coalesce(po.term_end, '') FROM posting po JOIN post pt ON pt.id = po.post "
        "JOIN cadre c ON c.id = po.cadre LEFT JOIN unit u ON u.code = c.unit "
        "WHERE po.end_date IS NULL ORDER BY pt.division, pt.code, po.start_date, c.id",
    /* 包村: the unit responsible for a village (pin.c). */
    [MQ_PAIR_PUT] =
        "INSERT INTO village_unit(village, unit, note, by, at) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (village) DO UPDATE SET unit = excluded.unit, note ="
        " excluded.note, by = excluded.by, at = excluded.at",
    [MQ_PAIR_DELETE] = "DELETE FROM village_unit WHERE village = ?1",
    [MQ_PAIR_LIST] = "SELECT vu.village, coalesce(d.name, ''), vu.unit, coalesce(u.name, ''),"
                     " vu.note, vu.by, vu.at FROM village_unit vu"
                     " LEFT JOIN division d ON d.code = vu.village"
                     " LEFT JOIN unit u ON u.code = vu.unit"
                     " WHERE vu.village BETWEEN ?1 AND ?2 ORDER BY vu.village",
    [MQ_UNIT_EXISTS] = "SELECT count(*) FROM unit WHERE code = ?1",
    [MQ_PIN_POST] = "SELECT id, division FROM post WHERE code = ?1",
    /* A pin's cadre picked by name: units inside the scope or above it. */
    [MQ_PIN_CADRES] = "SELECT c.id, c.id_number, c.name, coalesce(u.name, c.unit) FROM cadre c"
                      " LEFT JOIN unit u ON u.code = c.unit WHERE instr(c.name, ?3) > 0 AND"
                      " (coalesce(u.division, 0) BETWEEN ?1 AND ?2 OR u.division IN (?4, ?5, ?6))"
                      " ORDER BY c.name, c.id LIMIT 20",
};

int match_prepare(struct store *s, enum match_query q, struct store_stmt **out,
                  struct zc_error *err)
{
    return store_prepare(s, match_sql[q], out, err);
}
