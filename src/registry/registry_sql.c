/* SPDX-License-Identifier: MIT */
/* registry_sql.c - statements of the registry that other layers ask for by
 * meaning (the move of the registry's SQL into this file has begun here;
 * see issue 11). Bounds are always bound parameters. */
#include "registry_int.h"

/* Is the cadre with ID number ?1 visible: anywhere; as cadre ?2 itself; in
 * the division range [?2, ?3] (a unit there, or serving there). */
const char registry_sql_cadre_any[] = "SELECT unit FROM cadre WHERE id = ?1";
const char registry_sql_cadre_id[] = "SELECT id FROM cadre WHERE id_number = ?1";
const char registry_sql_cadre_own[] = "SELECT unit FROM cadre WHERE id = ?1 AND id = ?2";
const char registry_sql_cadre_in_range[] =
    "SELECT c.unit FROM cadre c WHERE c.id = ?1 AND "
    "(c.unit IN (SELECT code FROM unit WHERE division BETWEEN ?2 AND ?3) OR "
    "c.id IN (SELECT cadre FROM posting WHERE end_date IS NULL AND village BETWEEN ?2 AND ?3))";

/* Annual grades: the row (?1 cadre, ?2 year, ?3 grade), the cadre's grades
 * by year, and the canonical text written back to cadre.grades. */
const char registry_sql_grade_upsert[] =
    "INSERT INTO cadre_grade (cadre, year, grade) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (cadre, year) DO UPDATE SET grade = excluded.grade";
const char registry_sql_grades_of[] =
    "SELECT year, grade FROM cadre_grade WHERE cadre = ?1 ORDER BY year";
const char registry_sql_grades_text[] = "UPDATE cadre SET grades = ?1 WHERE id = ?2";

/* Household members: is household ?1 registered; and its 人口数, members
 * held, members marked 户主, its 户主身份证号, the ID number of the 户主 listed. */
const char registry_sql_household_members[] =
    "SELECT h.members, count(m.id_number), "
    "coalesce(sum(CASE WHEN m.relation = '户主' THEN 1 ELSE 0 END), 0), "
    "coalesce(h.head_id_number, ''), "
    "coalesce(max(CASE WHEN m.relation = '户主' THEN m.id_number END), '') "
    "FROM household h LEFT JOIN household_member m ON m.household = h.id WHERE h.id = ?1 "
    "GROUP BY h.id, h.members, h.head_id_number";
/* The same for every household: ?1-less, the household's id first. */
const char registry_sql_households_members[] =
    "SELECT h.id, h.members, count(m.id_number), "
    "coalesce(sum(CASE WHEN m.relation = '户主' THEN 1 ELSE 0 END), 0), "
    "coalesce(h.head_id_number, ''), "
    "coalesce(max(CASE WHEN m.relation = '户主' THEN m.id_number END), '') "
    "FROM household h LEFT JOIN household_member m ON m.household = h.id "
    "GROUP BY h.id, h.members, h.head_id_number";
const char registry_sql_members_export[] =
    "SELECT household, id_number, name, relation, gender, birth_date, education, health, "
    "work_ability, student, demo FROM household_member ORDER BY household, id_number";

/* The causes of a household (household_cause, schema v10): replace the
 * list (?1 household; ?2 cause at ?3 position); put ?2 first in a list
 * already held (the others kept; nothing when none is held); read it. */
const char registry_sql_causes_delete[] = "DELETE FROM household_cause WHERE household = ?1";
const char registry_sql_cause_put[] =
    "INSERT INTO household_cause (household, cause, position) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (household, cause) DO NOTHING";
const char registry_sql_cause_front[] =
    "INSERT INTO household_cause (household, cause, position) "
    "SELECT ?1, ?2, min(position) - 1 FROM household_cause WHERE household = ?1 "
    "HAVING count(*) > 0 AND (SELECT f.cause FROM household_cause f WHERE f.household = ?1 "
    "ORDER BY f.position LIMIT 1) <> ?2 "
    "ON CONFLICT (household, cause) DO UPDATE SET position = excluded.position";
const char registry_sql_causes_get[] =
    "SELECT cause FROM household_cause WHERE household = ?1 ORDER BY position";

/* The household card: the household's row; its members, 户主 first. */
const char registry_sql_household_row[] =
    "SELECT id, village, coalesce(head_id_number, ''), members, cause, income_per_capita, status, "
    "coalesce(poverty_year, 0) FROM household WHERE id = ?1";
const char registry_sql_members_of[] =
    "SELECT id_number, name, relation, coalesce(gender, ''), coalesce(birth_date, ''), "
    "coalesce(education, ''), health, work_ability, coalesce(student, '') FROM household_member "
    "WHERE household = ?1 ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, birth_date, "
    "id_number";

/* The name of village ?1 if it lies in the range [?2, ?3]; if cadre ?2
 * serves there (registry_village_name). */
const char registry_sql_village_name_in_range[] =
    "SELECT d.name FROM village v JOIN division d ON d.code = v.code "
    "WHERE v.code = ?1 AND v.code BETWEEN ?2 AND ?3";
const char registry_sql_village_name_own[] =
    "SELECT d.name FROM village v JOIN division d ON d.code = v.code "
    "WHERE v.code = ?1 AND v.code IN (SELECT village FROM posting WHERE cadre = ?2 "
    "AND end_date IS NULL)";

/* ---- the division tree (divisions.c) ---- */
const char registry_sql_division_count[] = "SELECT count(*) FROM division";
const char registry_sql_division_upsert[] =
    "INSERT INTO division(code, name, level, parent) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
    "level = excluded.level, parent = excluded.parent "
    "WHERE division.name IS NOT excluded.name "
    "OR division.level IS NOT excluded.level "
    "OR division.parent IS NOT excluded.parent";
const char registry_sql_division_orphans[] =
    "SELECT count(*) FROM division d WHERE d.parent IS NOT NULL AND "
    "NOT EXISTS (SELECT 1 FROM division p WHERE p.code = d.parent)";
const char registry_sql_division_get[] =
    "SELECT code, name, level, parent FROM division WHERE code = ?";
const char registry_sql_division_parent[] = "SELECT name, parent FROM division WHERE code = ?";
/* instr() rather than LIKE: names hold no wildcards to escape this way. */
const char registry_sql_division_find[] =
    "SELECT code, name, level, parent FROM division WHERE instr(name, ?) > 0 "
    "AND code BETWEEN ? AND ? ORDER BY code LIMIT ?";
const char registry_sql_divisions_at_level[] =
    "SELECT code, name, level, parent FROM division WHERE level = ?1 AND code BETWEEN ?2 AND ?3 "
    "ORDER BY code";
const char registry_sql_division_level[] = "SELECT level FROM division WHERE code = ?";

/* ---- skills ---- */
const char registry_sql_skill_upsert[] =
    "INSERT INTO skill(code, name_zh, name_en) VALUES (?, ?, ?) "
    "ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, "
    "name_en = excluded.name_en";
const char registry_sql_skills[] = "SELECT code, name_zh, name_en FROM skill ORDER BY code";
/* The vocabulary as the CLI lists it: built-in skills first. */
const char registry_sql_skills_listed[] =
    "SELECT code, name_zh, name_en FROM skill ORDER BY builtin DESC, code";
/* ... and as the API serves it. */
const char registry_sql_skills_api[] =
    "SELECT code, name_zh, name_en, builtin FROM skill ORDER BY code";

/* ---- units ---- */
const char registry_sql_unit_exists[] = "SELECT 1 FROM unit WHERE code = ?";
const char registry_sql_unit_codes[] = "SELECT code FROM unit ORDER BY code";
/* The division of unit ?1 (NULL when it has none), for the scope check. */
const char registry_sql_unit_division[] = "SELECT division FROM unit WHERE code = ?1";
const char registry_sql_units_export[] =
    "SELECT code, name, level, category, division, staff, lat, lng, division_was, demo FROM unit "
    "ORDER BY code";

/* ---- villages ---- */
const char registry_sql_villages_export[] =
    "SELECT code, poverty, states, hamlets, population, households, "
    "poor_households, poor_population, needs, industries, lat, lng, datum, "
    "paired_unit, radius_m, code_was, demo FROM village ORDER BY code";

/* ---- posts (posts.c) ---- */
const char registry_sql_post_division[] = "SELECT division FROM post WHERE code = ?1";
const char registry_sql_posts_export[] =
    "SELECT code, division, title, seats, min_rank, send_level, party_member, skill, "
    "term_start, term_end, division_was, demo FROM post ORDER BY code";
/* A post with its division's name and the cadres serving on it now. */
#define POST_SELECT                                                                                \
    "SELECT p.id, p.code, p.division, coalesce(d.name, ''), p.title, p.seats, "                    \
    "coalesce(p.min_rank, ''), coalesce(p.send_level, ''), p.party_member, coalesce(p.skill, "     \
    "''), "                                                                                        \
    "coalesce(p.term_start, ''), coalesce(p.term_end, ''), "                                       \
    "(SELECT count(*) FROM posting po WHERE po.post = p.id AND po.end_date IS NULL) "              \
    "FROM post p LEFT JOIN division d ON d.code = p.division "
/* Posts at divisions in [?1, ?2]; post ?1 by code. */
const char registry_sql_post_list[] =
    POST_SELECT "WHERE p.division BETWEEN ?1 AND ?2 ORDER BY p.division, p.code";
const char registry_sql_post_get[] = POST_SELECT "WHERE p.code = ?1";
/* Post ?1 by code, and its seats on a draft plan, a published roster or an
 * open posting (a post that is held is not removed). */
const char registry_sql_post_held[] =
    "SELECT p.id, (SELECT count(*) FROM plan_slot ps JOIN plan q ON q.id = ps.plan "
    "WHERE ps.post = p.id AND ((q.status = 'draft') OR (q.status = 'published' AND "
    "ps.state IN ('serving', 'vacant')))) + (SELECT count(*) FROM posting po WHERE "
    "po.post = p.id AND po.end_date IS NULL) FROM post p WHERE p.code = ?1";
const char registry_sql_post_delete[] = "DELETE FROM post WHERE id = ?1";
/* A generated post (the row writer, rows.c). */
const char registry_sql_post_insert[] =
    "INSERT INTO post(code, division, title, seats, min_rank, send_level, party_member, demo) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/* ---- cadres ---- */
const char registry_sql_cadre_id_of[] = "SELECT id FROM cadre WHERE id_number = ?";
/* What a re-import compares: the cadre's id, grades and discipline texts,
 * by ID number (?1) or for every cadre (the ID number first). */
const char registry_sql_cadre_known[] =
    "SELECT id, grades, discipline FROM cadre WHERE id_number = ?1";
const char registry_sql_cadres_known[] = "SELECT id_number, id, grades, discipline FROM cadre";
/* The ids of cadres inserted by this import (above ?1, the largest before). */
const char registry_sql_cadres_new[] = "SELECT id_number, id FROM cadre WHERE id > ?1";
const char registry_sql_cadre_max_id[] = "SELECT coalesce(max(id), 0) FROM cadre";
const char registry_sql_grades_delete[] = "DELETE FROM cadre_grade WHERE cadre = ?";
const char registry_sql_discipline_delete[] = "DELETE FROM cadre_discipline WHERE cadre = ?";
/* Heads of the batched year rows (cadres.c appends "(?, ?, ?), ..."). */
const char registry_sql_grades_insert_head[] =
    "INSERT INTO cadre_grade(cadre, year, grade) VALUES ";
const char registry_sql_discipline_insert_head[] =
    "INSERT INTO cadre_discipline(cadre, year, kind) VALUES ";
/* The division of the unit of the cadre with ID number ?1 (a row with NULL
 * when the unit has none; no row when there is no such cadre). */
const char registry_sql_cadre_unit_division[] =
    "SELECT u.division FROM cadre c LEFT JOIN unit u ON u.code = c.unit WHERE c.id_number = ?1";
/* The cadre table's columns, in the order of the import columns (cadres.c's
 * upsert_cols, which must list them in this order): export with the demo flag
 * last; the row writer with the id first. */
#define CADRE_COLUMNS                                                                              \
    "id_number, name, unit, rank, party_member, reserve, on_staff, education, skills, "            \
    "rural_years, service_years, hometown, grades, discipline, volunteer, preferred, gender, "     \
    "birth_date, spouse"
const char registry_sql_cadre_columns[] = CADRE_COLUMNS;
const char registry_sql_cadres_export[] =
    "SELECT " CADRE_COLUMNS ", hometown_was, preferred_was, demo FROM cadre ORDER BY id";
const char registry_sql_cadre_insert[] =
    "INSERT INTO cadre(id, " CADRE_COLUMNS ", demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
const char registry_sql_grade_insert[] =
    "INSERT INTO cadre_grade(cadre, year, grade) VALUES (?1, ?2, ?3)";
const char registry_sql_discipline_insert[] =
    "INSERT INTO cadre_discipline(cadre, year, kind) VALUES (?1, ?2, ?3)";
const char registry_sql_posting_insert[] =
    "INSERT INTO posting(cadre, village, role, start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5)";

/* ---- the row writers (rows.c): whole records ---- */
const char registry_sql_unit_insert[] =
    "INSERT INTO unit(code, name, level, category, division, demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const char registry_sql_village_insert[] =
    "INSERT INTO village(code, poverty, states, hamlets, population, households, "
    "poor_households, poor_population, needs, industries, lat, lng, datum, paired_unit, demo) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
const char registry_sql_household_insert[] =
    "INSERT INTO household(id, village, head_id_number, members, cause, income_per_capita, "
    "status, poverty_year, demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const char registry_sql_unit_place[] = "UPDATE unit SET lat = ?1, lng = ?2 WHERE code = ?3";
const char registry_sql_ledger_rows[] =
    "SELECT (SELECT count(*) FROM unit) + (SELECT count(*) FROM village) + "
    "(SELECT count(*) FROM cadre) + (SELECT count(*) FROM household)";
const char registry_sql_member_insert[] =
    "INSERT INTO household_member (id_number, household, name, relation, gender, birth_date, "
    "education, health, work_ability, student, demo) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const char registry_sql_cause_insert[] =
    "INSERT INTO household_cause (household, cause, position) VALUES (?1, ?2, ?3)";
/* The draw cap counts against the staff: demo units get 10 + 6 x cadres. */
const char registry_sql_demo_units_staff[] =
    "UPDATE unit SET staff = 10 + 6 * (SELECT count(*) FROM cadre c "
    "WHERE c.unit = unit.code) WHERE demo = 1";

/* ---- households ---- */
const char registry_sql_households_export[] =
    "SELECT id, village, head_id_number, members, cause, income_per_capita, "
    "status, poverty_year, village_was, demo FROM household ORDER BY village, id";
/* The village of household ?1 (the scope of its members). */
const char registry_sql_household_village[] = "SELECT village FROM household WHERE id = ?1";
const char registry_sql_households_villages[] = "SELECT id, village FROM household";
const char registry_sql_household_count[] = "SELECT count(*) FROM household";
/* The village of the household that holds the member with ID number ?1. */
const char registry_sql_member_village[] =
    "SELECT h.village FROM household_member m JOIN household h ON h.id = m.household "
    "WHERE m.id_number = ?1";

/* ---- the import engine (import.c): statements over a kind's table ---- */

void registry_sql_count(struct buf *sql, const char *table, bool demo_only)
{
    buf_printf(sql, "SELECT count(*) FROM %s%s", table, demo_only ? " WHERE demo = 1" : "");
}

void registry_sql_count_set(struct buf *sql, const char *table, const struct import_was *was,
                            size_t n)
{
    buf_printf(sql, "SELECT count(*) FROM %s WHERE ", table);
    for (size_t i = 0; i < n; i++)
        buf_printf(sql, "%s%s IS NOT NULL", i ? " OR " : "", was[i].key);
}

static void column_list(struct buf *sql, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(sql, "%s%s", i ? ", " : "", cols[i]);
}

/* "c = new.c, ..." for the columns with set[i], the new values read from
 * `src` (excluded, or a staging table), the old ones from `table`; the
 * columns written. */
static size_t set_list(struct buf *sql, const char *table, const char *src, const char *const *cols,
                       size_t n, const bool *set, const int *original_of)
{
    size_t nset = 0;
    for (size_t i = 1; i < n; i++) {
        if (!set[i])
            continue;
        buf_puts(sql, nset ? ", " : "");
        if (original_of[i] >= 0) {
            const char *of = cols[original_of[i]];
            buf_printf(sql,
                       "%s = CASE WHEN %s.%s IS NOT NULL OR %s.%s IS NOT %s.%s THEN "
                       "%s.%s ELSE %s.%s END",
                       cols[i], src, cols[i], table, of, src, of, src, cols[i], table, cols[i]);
        } else {
            buf_printf(sql, "%s = %s.%s", cols[i], src, cols[i]);
        }
        nset++;
    }
    return nset;
}

/* "(any of them differs)": what set_list writes changes the row. */
static void differs(struct buf *sql, const char *table, const char *src, const char *const *cols,
                    size_t n, const bool *set, const int *original_of)
{
    size_t nset = 0;
    buf_putc(sql, '(');
    for (size_t i = 1; i < n; i++) {
        if (!set[i])
            continue;
        buf_puts(sql, nset ? " OR " : "");
        if (original_of[i] >= 0)
            buf_printf(sql, "(%s.%s IS NOT NULL AND %s.%s IS NOT %s.%s)", src, cols[i], table,
                       cols[i], src, cols[i]);
        else
            buf_printf(sql, "%s.%s IS NOT %s.%s", table, cols[i], src, cols[i]);
        nset++;
    }
    buf_putc(sql, ')');
}

/* ON CONFLICT(key) DO UPDATE SET ... WHERE (differs), or DO NOTHING. */
static void upsert_tail(struct buf *sql, const char *table, const char *const *cols, size_t n,
                        const bool *set, const int *original_of)
{
    struct buf list = {0};
    buf_printf(sql, " ON CONFLICT(%s) DO ", cols[0]);
    if (set_list(&list, table, "excluded", cols, n, set, original_of) == 0) {
        buf_puts(sql, "NOTHING");
    } else {
        buf_printf(sql, "UPDATE SET %s WHERE ", buf_cstr(&list));
        differs(sql, table, "excluded", cols, n, set, original_of);
    }
    buf_fini(&list);
}

void registry_sql_upsert(struct buf *sql, const char *table, const char *const *cols, size_t n,
                         const bool *set, const int *original_of, size_t rows)
{
    buf_printf(sql, "INSERT INTO %s(", table);
    column_list(sql, cols, n);
    buf_puts(sql, ") VALUES ");
    for (size_t r = 0; r < rows; r++) {
        buf_puts(sql, r ? ", (" : "(");
        for (size_t i = 0; i < n; i++)
            buf_puts(sql, i ? ", ?" : "?");
        buf_putc(sql, ')');
    }
    upsert_tail(sql, table, cols, n, set, original_of);
}

/* The staging table of a COPY import: the columns of `table` with their
 * types (and collations), and zc_row numbering the rows in the order COPY
 * wrote them; no rows, no constraints (so that every value the
 * checks in C passed is taken, and the merge is where the table's own
 * constraints are met), gone at the end of the transaction. Not LIKE
 * `table`: that copies the NOT NULL of columns the import does not write
 * (the identity id). */
void registry_sql_stage_create(struct buf *sql, const char *stage, const char *table,
                               const char *const *cols, size_t n)
{
    buf_printf(sql, "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT ", stage);
    column_list(sql, cols, n);
    buf_printf(sql, " FROM %s WITH NO DATA; ", table);
    buf_printf(sql, "ALTER TABLE %s ADD COLUMN zc_row BIGINT GENERATED ALWAYS AS IDENTITY", stage);
}

void registry_sql_stage_drop(struct buf *sql, const char *stage)
{
    buf_printf(sql, "DROP TABLE %s", stage);
}

/* The staged rows into `table` as registry_sql_upsert's rows would go, in
 * two statements whose changed rows together are the file's added +
 * updated. First the held rows that differ, updated from the stage by a
 * join (false when no column is updated: nothing is written). Unlike ON
 * CONFLICT ... DO UPDATE ... WHERE, which locks every row it finds held
 * (a row lock written to the row and the WAL even when the WHERE is
 * false), the join leaves an unchanged row alone: a re-import writes
 * nothing. */
bool registry_sql_stage_update(struct buf *sql, const char *stage, const char *table,
                               const char *const *cols, size_t n, const bool *set,
                               const int *original_of)
{
    struct buf list = {0};
    bool any = set_list(&list, table, stage, cols, n, set, original_of) > 0;
    if (any) {
        buf_printf(sql, "UPDATE %s SET %s FROM %s WHERE %s.%s = %s.%s AND ", table, buf_cstr(&list),
                   stage, table, cols[0], stage, cols[0]);
        differs(sql, table, stage, cols, n, set, original_of);
    }
    buf_fini(&list);
    return any;
}

/* Then the new rows: every staged row that is not held, in the order they
 * were staged (zc_row, so that new rows get their ids in the file's order,
 * as row by row), with registry_sql_upsert's conflict clause for a row
 * another session added since the UPDATE looked. */
void registry_sql_stage_insert(struct buf *sql, const char *stage, const char *table,
                               const char *const *cols, size_t n, const bool *set,
                               const int *original_of)
{
    buf_printf(sql, "INSERT INTO %s(", table);
    column_list(sql, cols, n);
    buf_puts(sql, ") SELECT ");
    column_list(sql, cols, n);
    buf_printf(
        sql, " FROM %s WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s.%s = %s.%s) ORDER BY %s.zc_row",
        stage, table, table, cols[0], stage, cols[0], stage);
    upsert_tail(sql, table, cols, n, set, original_of);
}
