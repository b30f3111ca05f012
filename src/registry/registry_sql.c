/* SPDX-License-Identifier: MIT */
/* registry_sql.c - statements of the registry that other layers ask for by
 * meaning (the move of the registry's SQL into this file has begun here;
 * see issue 11). Bounds are always bound parameters. */
#include "registry_int.h"

/* Is the cadre with ID number ?1 visible: anywhere; as cadre ?2 itself; in
 * the division range [?2, ?3] (a unit there, or serving there). */
const char registry_sql_cadre_any[] = "SELECT 1 FROM cadre WHERE id_number = ?1";
const char registry_sql_cadre_id[] = "SELECT id FROM cadre WHERE id_number = ?1";
const char registry_sql_cadre_own[] = "SELECT 1 FROM cadre WHERE id_number = ?1 AND id = ?2";
const char registry_sql_cadre_in_range[] =
    "SELECT 1 FROM cadre c WHERE c.id_number = ?1 AND "
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
const char registry_sql_household_get[] = "SELECT 1 FROM household WHERE id = ?1";
const char registry_sql_household_members[] =
    "SELECT h.members, count(m.id_number), "
    "coalesce(sum(CASE WHEN m.relation = '户主' THEN 1 ELSE 0 END), 0), "
    "coalesce(h.head_id_number, ''), "
    "coalesce(max(CASE WHEN m.relation = '户主' THEN m.id_number END), '') "
    "FROM household h LEFT JOIN household_member m ON m.household = h.id WHERE h.id = ?1 "
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
