/* SPDX-License-Identifier: MIT */
/* select_sql.c - the statements of the eligibility scan (eligible.c), by
 * name: the cadres with their unit's category and whether they serve on
 * ?1 (= ?2), optionally of one unit (?3 = ?4, NULL for all); their annual
 * grades and their penalties from year ?1 on (same unit filter, ?2 = ?3). */
#include "select_int.h"

const char select_sql_cadres[] =
    "SELECT c.id, c.id_number, c.name, c.unit, u.category, c.rank, c.party_member, c.reserve,"
    " c.on_staff, c.volunteer, c.education, c.service_years, c.gender, c.birth_date,"
    " EXISTS (SELECT 1 FROM posting p WHERE p.cadre = c.id AND p.start_date <= ?"
    "         AND (p.end_date IS NULL OR p.end_date > ?))"
    " FROM cadre c JOIN unit u ON u.code = c.unit"
    " WHERE (CAST(? AS TEXT) IS NULL OR c.unit = ?) ORDER BY c.id";

const char select_sql_grades[] =
    "SELECT g.cadre, g.year, g.grade FROM cadre_grade g WHERE g.year >= ?"
    " AND (CAST(? AS TEXT) IS NULL OR g.cadre IN (SELECT id FROM cadre WHERE unit = ?))"
    " ORDER BY g.cadre, g.year";

const char select_sql_discipline[] =
    "SELECT d.cadre, d.year, d.kind FROM cadre_discipline d WHERE d.year >= ?"
    " AND (CAST(? AS TEXT) IS NULL OR d.cadre IN (SELECT id FROM cadre WHERE unit = ?))"
    " ORDER BY d.cadre, d.year, d.kind";
