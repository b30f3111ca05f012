/* SPDX-License-Identifier: MIT */
/* scenario_sql.c - statements of the scenario module, by name (the ones
 * written since the rule that SQL lives in a module's query file; the
 * generator's older statements are still in generator.c), and its reads of
 * a demo store. */
#include <stdio.h>

#include "scenario/scenario.h"
#include "scenario_int.h"
#include "store/store.h"

const char *const scenario_sql[SQ_COUNT] = {
    [SQ_STATUS] = "INSERT INTO household_status (household, year, status, income_fen, food, "
                  "clothing, education, medical, housing, water, evidence, by, at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [SQ_PLAN] = "INSERT INTO aid_plan (household, version, next_level, status, updated_by, "
                "updated_at) VALUES (?1, 1, ?2, ?3, 'demo', ?4)",
    [SQ_PLAN_VERSION] = "INSERT INTO aid_plan_version (household, version, measures, saved_by, "
                        "saved_at) VALUES (?1, 1, ?2, 'demo', ?3)",
    [SQ_MEASURE] = "INSERT INTO aid_measure (household, kind, description, amount_fen, "
                   "responsible, due_date, status, done_date, demo) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
    [SQ_REVIEW] = "INSERT INTO aid_review (household, version, level, decision, reason, "
                  "reviewer, at) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6)",
    [SQ_PAIRED] = "SELECT code, paired_unit FROM village WHERE paired_unit IS NOT NULL "
                  "ORDER BY code",
    [SQ_UNIT_CADRES] = "SELECT id FROM cadre WHERE unit = ?1 ORDER BY id",
    [SQ_VILLAGE_HH] = "SELECT id FROM household WHERE village = ?1 ORDER BY id",
    [SQ_ASSIGN] = "INSERT INTO aid_responsible (household, cadre, basis, since, assigned_by, at, "
                  "demo) VALUES (?1, ?2, 'unit', ?3, 'demo', ?4, 1)",
    [SQ_CADRE_IDNUM] = "SELECT id_number FROM cadre WHERE id = ?1",
    [SQ_VISITED_FREE] = "SELECT DISTINCT e.household FROM field_entry e WHERE e.cadre = ?1 "
                        "AND e.kind = 'visit' AND e.household IS NOT NULL AND NOT EXISTS "
                        "(SELECT 1 FROM aid_responsible r WHERE r.household = e.household) "
                        "ORDER BY e.household",
    [SQ_VILLAGE_FREE] = "SELECT h.id FROM household h WHERE h.village = ?1 AND NOT EXISTS "
                        "(SELECT 1 FROM aid_responsible r WHERE r.household = h.id) ORDER BY h.id",
    [SQ_DEMO_LABEL] = "UPDATE aid_responsible SET demo = 1 WHERE assigned_by = 'demo'",
};

const char *const scenario_gen_sql[SG_COUNT] = {
    [SG_SCENARIO] = "INSERT INTO demo_scenario(name, title, source, seed, today, policy, notes) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [SG_GROUP] = "INSERT INTO demo_group(id, name, label, count) VALUES (?, ?, ?, ?)",
    [SG_MEMBER] = "INSERT INTO demo_member(cadre, grp) VALUES (?, ?)",
    [SG_NAMED] = "INSERT INTO demo_named(code, name, note) VALUES (?, ?, ?)",
    [SG_PAIRING] = "INSERT INTO demo_pairing(a, b, kind) VALUES (?, ?, ?)",
    [SG_UNPLACED_UNITS] = "SELECT code, division FROM unit WHERE demo = 1 AND lat IS NULL AND "
                          "division IS NOT NULL ORDER BY code",
    [SG_ROSTER] = "SELECT p.cadre, p.village, v.lat, v.lng, coalesce(v.datum, 'WGS84'), "
                  "v.radius_m, u.lat, u.lng FROM posting p JOIN village v ON v.code = p.village "
                  "JOIN cadre c ON c.id = p.cadre LEFT JOIN unit u ON u.code = c.unit "
                  "WHERE p.end_date IS NULL AND p.start_date <= ?1 AND v.lat IS NOT NULL "
                  "ORDER BY p.cadre",
    [SG_CHECKINS_IN] = "SELECT 1 FROM checkin WHERE demo = 1 AND at >= ?1 AND at < ?2 LIMIT 1",
};

/* Demo-only tables: what the scenario was, who belongs to which figure of
 * a report, what a report says of a named village, unit-to-unit pairs. */
const char scenario_sql_demo_schema[] =
    "CREATE TABLE demo_scenario ("
    "  name TEXT NOT NULL, title TEXT NOT NULL, source TEXT, seed INTEGER NOT NULL,"
    "  today TEXT NOT NULL, policy TEXT, notes TEXT NOT NULL DEFAULT '', demo INTEGER NOT NULL "
    "DEFAULT 1);"
    "CREATE TABLE demo_group (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  label TEXT NOT NULL, count INTEGER NOT NULL, demo INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE demo_member (cadre INTEGER PRIMARY KEY REFERENCES cadre(id) ON DELETE CASCADE,"
    "  grp INTEGER NOT NULL REFERENCES demo_group(id));"
    "CREATE TABLE demo_named (code INTEGER PRIMARY KEY REFERENCES division(code),"
    "  name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', demo INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE demo_pairing (a TEXT NOT NULL REFERENCES unit(code),"
    "  b TEXT NOT NULL REFERENCES unit(code), kind TEXT NOT NULL,"
    "  demo INTEGER NOT NULL DEFAULT 1);";

int scenario_store_policy(struct store *s, char *out, size_t n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc;
    out[0] = '\0';
    if (!scenario_store_is_demo(s))
        return ZC_OK;
    rc = store_prepare(s, "SELECT coalesce(policy, '') FROM demo_scenario LIMIT 1", &st, err);
    if (rc == ZC_OK)
        rc = store_step(st, &row, err);
    if (rc == ZC_OK && row)
        snprintf(out, n, "%s", store_col_text(st, 0));
    store_finalize(st);
    return rc;
}
