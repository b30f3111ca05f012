/* SPDX-License-Identifier: MIT */
/* registry_sql.c - statements of the registry that other layers ask for by
 * meaning (the move of the registry's SQL into this file has begun here;
 * see issue 11). Bounds are always bound parameters. */
#include "registry_int.h"

/* Is the cadre with ID number ?1 visible: anywhere; as cadre ?2 itself; in
 * the division range [?2, ?3] (a unit there, or serving there). */
const char registry_sql_cadre_any[] = "SELECT 1 FROM cadre WHERE id_number = ?1";
const char registry_sql_cadre_own[] = "SELECT 1 FROM cadre WHERE id_number = ?1 AND id = ?2";
const char registry_sql_cadre_in_range[] =
    "SELECT 1 FROM cadre c WHERE c.id_number = ?1 AND "
    "(c.unit IN (SELECT code FROM unit WHERE division BETWEEN ?2 AND ?3) OR "
    "c.id IN (SELECT cadre FROM posting WHERE end_date IS NULL AND village BETWEEN ?2 AND ?3))";
