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
