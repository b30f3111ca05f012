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
