/* SPDX-License-Identifier: MIT */
/* field_sql.c - every statement of the field-work module, by name.
 *
 * One text per statement in the SQL subset SQLite and PostgreSQL share;
 * parameters are numbered, bounds (scopes, months) are always bound, never
 * formatted into the text. */
#include "field_int.h"

const char *const field_sql[FQ_COUNT] = {
    [FQ_STATION] = "SELECT p.village, v.lat, v.lng, coalesce(v.datum, 'WGS84'), v.radius_m, "
                   "p.start_date, coalesce(p.end_date, '2100-12-31') "
                   "FROM posting p LEFT JOIN village v ON v.code = p.village "
                   "WHERE p.cadre = ?1 AND p.start_date <= ?2 "
                   "AND (p.end_date IS NULL OR p.end_date >= ?2) "
                   "ORDER BY p.start_date DESC LIMIT 1",
    [FQ_PREV_CHECKIN] = "SELECT at, lat, lng, device, id, village FROM checkin "
                        "WHERE cadre = ?1 AND at <= ?2 "
                        "ORDER BY at DESC, id DESC LIMIT 1",
    [FQ_CHECKIN_INSERT] =
        "INSERT INTO checkin (cadre, village, at, lat, lng, accuracy_m, device, source, "
        "client_id, result, place, photo, inside, distance_m, weak, speed_kmh, device_changed, "
        "synced_at, demo, signed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14, ?15, ?16, ?17, ?18, ?19, ?20) ON CONFLICT (client_id) DO NOTHING RETURNING id",
    [FQ_CHECKIN_BY_CLIENT] = "SELECT id, village FROM checkin WHERE client_id = ?1",
    [FQ_CADRE_BY_IDNUM] = "SELECT id FROM cadre WHERE id_number = ?1",
    [FQ_CADRE_BY_NAME] = "SELECT DISTINCT c.id FROM cadre c JOIN posting p ON p.cadre = c.id "
                         "WHERE c.name = ?1 AND p.start_date <= ?2 "
                         "AND (p.end_date IS NULL OR p.end_date >= ?2) LIMIT 2",
    [FQ_CADRE_VILLAGE] = "SELECT village FROM posting WHERE cadre = ?1 "
                         "ORDER BY end_date IS NULL DESC, start_date DESC LIMIT 1",
    [FQ_LEAVE_OVERLAP] = "SELECT id, kind, start_date, end_date FROM field_leave "
                         "WHERE cadre = ?1 AND status IN ('pending', 'approved') "
                         "AND start_date <= ?3 AND coalesce(returned_date, end_date) >= ?2 "
                         "LIMIT 1",
    [FQ_LEAVE_INSERT] = "INSERT INTO field_leave (cadre, kind, start_date, end_date, days, reason, "
                        "approver, requested_by, requested_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
    [FQ_LEAVE_GET] = "SELECT cadre, status, approver, start_date, end_date FROM field_leave "
                     "WHERE id = ?1",
    [FQ_LEAVE_DECIDE] = "UPDATE field_leave SET status = ?1, decided_by = ?2, decided_at = ?3, "
                        "decision_note = ?4 WHERE id = ?5 AND status = 'pending'",
    [FQ_LEAVE_RETURN] = "UPDATE field_leave SET returned_date = ?1 WHERE id = ?2",
    [FQ_ENTRY_BY_CLIENT] = "SELECT id FROM field_entry WHERE client_id = ?1",
    [FQ_HOUSEHOLD_VILLAGE] = "SELECT village FROM household WHERE id = ?1",
    [FQ_ENTRY_INSERT] = "INSERT INTO field_entry (cadre, village, kind, day, household, text, lat, "
                        "lng, inside, client_id, created_at, updated_at, demo, photo) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13) "
                        "RETURNING id",
    [FQ_ENTRY_GET] = "SELECT cadre, village, version, text, household, day, kind FROM field_entry "
                     "WHERE id = ?1",
    [FQ_ENTRY_KEEP] = "INSERT INTO field_entry_version (entry, version, text, household, "
                      "saved_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    [FQ_ENTRY_UPDATE] = "UPDATE field_entry SET text = ?1, household = ?4, updated_at = ?2, "
                        "version = version + 1 WHERE id = ?3",
    [FQ_MONTH_POSTINGS] =
        "SELECT p.cadre, p.village, p.start_date, coalesce(p.end_date, '2100-12-31'), "
        "c.id_number, c.name, coalesce(d.name, ''), coalesce(u.name, ''), u.lat, u.lng, "
        "v.lat, v.lng, coalesce(v.datum, 'WGS84') "
        "FROM posting p JOIN village v ON v.code = p.village JOIN cadre c ON c.id = p.cadre "
        "LEFT JOIN division d ON d.code = p.village LEFT JOIN unit u ON u.code = c.unit "
        "WHERE p.village BETWEEN ?1 AND ?2 AND p.start_date <= ?4 "
        "AND (p.end_date IS NULL OR p.end_date >= ?3) AND p.cadre BETWEEN ?5 AND ?6 "
        "ORDER BY p.cadre, p.start_date",
    [FQ_MONTH_LEAVES] = "SELECT cadre, id, kind, start_date, end_date, returned_date "
                        "FROM field_leave WHERE status = 'approved' AND start_date <= ?2 "
                        "AND coalesce(returned_date, end_date) >= ?1 "
                        "AND cadre BETWEEN ?3 AND ?4 ORDER BY cadre, start_date",
    [FQ_MONTH_CHECKINS] = "SELECT cadre, id, at, inside, lat, lng, distance_m, synced_at "
                          "FROM checkin "
                          "WHERE at >= ?1 AND at < ?2 AND cadre BETWEEN ?3 AND ?4 "
                          "ORDER BY cadre, at, id",
    [FQ_MONTH_ENTRIES] = "SELECT cadre, id, kind, day, inside, coalesce(household, ''), lat, "
                         "lng, created_at FROM field_entry WHERE day BETWEEN ?1 AND ?2 "
                         "AND cadre BETWEEN ?3 AND ?4 ORDER BY cadre, day, id",
    [FQ_MONTH_DISMISSALS] = "SELECT cadre, day, rule, reason, verdict FROM field_case_dismissal "
                            "WHERE day BETWEEN ?1 AND ?2",
    [FQ_DISMISS] = "INSERT INTO field_case_dismissal (cadre, day, rule, reason, by, at, verdict) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (cadre, day, rule) "
                   "DO UPDATE SET reason = excluded.reason, by = excluded.by, at = excluded.at, "
                   "verdict = excluded.verdict",
    [FQ_LEAVE_LIST] =
        "SELECT l.id, l.cadre, p.village, c.name, coalesce(d.name, ''), l.kind, l.start_date, "
        "l.end_date, l.days, l.reason, l.approver, l.status, coalesce(l.returned_date, ''), "
        "c.unit, coalesce(u.name, '') "
        "FROM field_leave l JOIN cadre c ON c.id = l.cadre "
        "JOIN posting p ON p.cadre = l.cadre AND p.start_date <= l.start_date "
        "AND (p.end_date IS NULL OR p.end_date >= l.start_date) "
        "LEFT JOIN division d ON d.code = p.village LEFT JOIN unit u ON u.code = c.unit "
        "WHERE p.village BETWEEN ?1 AND ?2 AND l.cadre BETWEEN ?3 AND ?4 "
        "AND l.status = coalesce(?5, l.status) AND c.unit = coalesce(?6, c.unit) "
        "ORDER BY l.id DESC LIMIT 500",
    [FQ_CADRE_UNIT] = "SELECT c.unit, coalesce(u.name, '') FROM cadre c "
                      "LEFT JOIN unit u ON u.code = c.unit WHERE c.id = ?1",
    [FQ_NOTICE_ADD] = "INSERT INTO notice (cadre, kind, ref, text, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
    [FQ_CONTEST_INSERT] = "INSERT INTO field_contest (cadre, day, reason, created_at) "
                          "VALUES (?1, ?2, ?3, ?4) RETURNING id",
    [FQ_CONTEST_GET] = "SELECT cadre, status FROM field_contest WHERE id = ?1",
    [FQ_CONTEST_DECIDE] = "UPDATE field_contest SET status = ?1, decided_by = ?2, decided_at = ?3, "
                          "note = ?4 WHERE id = ?5 AND status = 'open'",
    [FQ_CONTEST_LIST] =
        "SELECT f.id, f.cadre, p.village, c.name, coalesce(d.name, ''), f.day, f.reason, f.status, "
        "coalesce(f.note, '') FROM field_contest f JOIN cadre c ON c.id = f.cadre "
        "JOIN posting p ON p.cadre = f.cadre AND p.start_date <= f.day "
        "AND (p.end_date IS NULL OR p.end_date >= f.day) "
        "LEFT JOIN division d ON d.code = p.village "
        "WHERE p.village BETWEEN ?1 AND ?2 AND f.cadre BETWEEN ?3 AND ?4 "
        "AND f.status = coalesce(?5, f.status) ORDER BY f.id DESC LIMIT 500",
    [FQ_MONTH_CONTESTS] = "SELECT cadre, id, day FROM field_contest WHERE status = 'accepted' "
                          "AND day BETWEEN ?1 AND ?2 AND cadre BETWEEN ?3 AND ?4",
    [FQ_ENTRY_LIST] = "SELECT e.id, e.cadre, e.village, c.name, e.kind, e.day, "
                      "coalesce(e.household, ''), e.text, e.version, coalesce(e.photo, ''), "
                      "e.created_at, e.updated_at FROM field_entry e "
                      "JOIN cadre c ON c.id = e.cadre WHERE e.village BETWEEN ?1 AND ?2 "
                      "AND e.cadre BETWEEN ?3 AND ?4 AND coalesce(e.household, '') = "
                      "coalesce(?5, coalesce(e.household, '')) AND e.day BETWEEN ?7 AND ?8 "
                      "ORDER BY e.day DESC, e.id DESC LIMIT ?6",
    [FQ_ENTRY_ONE] = "SELECT e.id, e.cadre, e.village, c.name, e.kind, e.day, "
                     "coalesce(e.household, ''), e.text, e.version, coalesce(e.photo, ''), "
                     "e.created_at, e.updated_at FROM field_entry e "
                     "JOIN cadre c ON c.id = e.cadre WHERE e.id = ?1",
    [FQ_ENTRY_VERSIONS] = "SELECT version, text, coalesce(household, ''), saved_at "
                          "FROM field_entry_version WHERE entry = ?1 ORDER BY version",
    [FQ_MONTH_WORK] =
        "SELECT cadre, sum(CASE WHEN kind = 'diary' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN kind = 'visit' THEN 1 ELSE 0 END), "
        "count(DISTINCT CASE WHEN kind = 'visit' THEN household END) FROM field_entry "
        "WHERE day BETWEEN ?1 AND ?2 AND village BETWEEN ?3 AND ?4 AND cadre BETWEEN ?5 AND ?6 "
        "GROUP BY cadre ORDER BY cadre",
    [FQ_HOUSEHOLD_VISITS] =
        "SELECT household, cadre, sum(CASE WHEN day >= ?3 THEN 1 ELSE 0 END), max(day) "
        "FROM field_entry WHERE kind = 'visit' AND household IS NOT NULL "
        "AND village BETWEEN ?1 AND ?2 GROUP BY household, cadre ORDER BY household, cadre",
    [FQ_PHOTO_INSERT] = "INSERT INTO field_photo (hash, mime, bytes, data, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (hash) DO NOTHING RETURNING hash",
    [FQ_PHOTO_OWN] = "INSERT INTO field_photo_owner (hash, cadre, uploaded_at) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (hash, cadre) DO NOTHING",
    [FQ_PHOTO_OWNED] = "SELECT 1 FROM field_photo_owner WHERE hash = ?1 AND cadre = ?2",
    [FQ_PHOTO_VISIBLE] =
        "SELECT p.mime, p.data FROM field_photo p WHERE p.hash = ?1 AND ("
        "EXISTS (SELECT 1 FROM checkin c WHERE c.photo = p.hash AND c.village BETWEEN ?2 AND ?3 "
        "AND c.cadre BETWEEN ?4 AND ?5) OR "
        "EXISTS (SELECT 1 FROM field_entry e WHERE e.photo = p.hash AND e.village BETWEEN ?2 AND "
        "?3 "
        "AND e.cadre BETWEEN ?4 AND ?5) OR "
        "EXISTS (SELECT 1 FROM field_photo_owner o WHERE o.hash = p.hash AND o.cadre = ?6))",
    [FQ_POLICY_CHOICE] = "SELECT division, policy_name, policy_text, plan, by, at "
                         "FROM field_policy_choice WHERE division IN (?1, ?2, ?3, ?4, ?5) "
                         "ORDER BY level DESC LIMIT 1",
    [FQ_POLICY_FOR_CADRE] =
        "SELECT f.division, f.policy_name, f.policy_text, f.plan, f.by, f.at "
        "FROM field_policy_choice f JOIN (SELECT village FROM posting WHERE cadre = ?1 "
        "ORDER BY end_date IS NULL DESC, start_date DESC LIMIT 1) p "
        "ON f.division IN (p.village, p.village - p.village % 1000, "
        "p.village - p.village % 1000000, p.village - p.village % 100000000, "
        "p.village - p.village % 10000000000) ORDER BY f.level DESC LIMIT 1",
    [FQ_POLICY_SET] = "INSERT INTO field_policy_choice (division, level, policy_name, policy_text, "
                      "plan, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (division) "
                      "DO UPDATE SET policy_name = excluded.policy_name, "
                      "policy_text = excluded.policy_text, plan = excluded.plan, "
                      "by = excluded.by, at = excluded.at",
    [FQ_POLICY_CLEAR] = "DELETE FROM field_policy_choice WHERE division = ?1",
    [FQ_POLICY_LIST] = "SELECT f.division, f.level, f.policy_name, f.plan, f.by, f.at, "
                       "coalesce(d.name, '') FROM field_policy_choice f "
                       "LEFT JOIN division d ON d.code = f.division "
                       "WHERE f.division BETWEEN ?1 AND ?2 ORDER BY f.division",
    [FQ_PLAN_POLICY] = "SELECT policy_name, policy_text, scope FROM plan WHERE id = ?1",
    /* Every photo with the villages of the records that carry it and the
     * newest day each village's records have (no record: one row, NULL). */
    [FQ_PHOTO_REFS] =
        "SELECT p.hash, p.bytes, p.created_at, r.village, max(r.day) FROM field_photo p "
        "LEFT JOIN (SELECT photo, village, substr(at, 1, 10) AS day FROM checkin "
        "WHERE photo IS NOT NULL UNION ALL SELECT photo, village, day FROM field_entry "
        "WHERE photo IS NOT NULL) r ON r.photo = p.hash "
        "GROUP BY p.hash, p.bytes, p.created_at, r.village ORDER BY p.hash, r.village",
    /* Deleted only if no record newer than those the pruning judged has
     * come to carry the photo since (a check-in synced meanwhile). */
    [FQ_PHOTO_OWNERS_DROP] =
        "DELETE FROM field_photo_owner WHERE hash = ?1 "
        "AND NOT EXISTS (SELECT 1 FROM checkin WHERE photo = ?1 AND at > ?2) "
        "AND NOT EXISTS (SELECT 1 FROM field_entry WHERE photo = ?1 AND day > ?3)",
    [FQ_PHOTO_DROP] = "DELETE FROM field_photo WHERE hash = ?1 "
                      "AND NOT EXISTS (SELECT 1 FROM checkin WHERE photo = ?1 AND at > ?2) "
                      "AND NOT EXISTS (SELECT 1 FROM field_entry WHERE photo = ?1 AND day > ?3)",
    [FQ_POLICY_INSIDE] = "SELECT division, level, policy_name, policy_text, plan, by, at "
                         "FROM field_policy_choice WHERE division BETWEEN ?1 AND ?2 "
                         "AND level > ?3 ORDER BY division",
};

int field_prepare(struct store *s, enum field_query q, struct store_stmt **out,
                  struct zc_error *err)
{
    return store_prepare(s, field_sql[q], out, err);
}
