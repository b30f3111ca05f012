/* SPDX-License-Identifier: MIT */
/* scenario_sql.c - the scenario module's reads of a demo store. */
#include <stdio.h>

#include "scenario/scenario.h"
#include "store/store.h"

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
