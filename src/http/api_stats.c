/* SPDX-License-Identifier: MIT */
/* api_stats.c - GET /api/v1/stats: the figures of the home page, for the
 * caller's jurisdiction (or a division inside it, ?scope=CODE), as of
 * today or ?date=YYYY-MM-DD; ?format=xlsx[&table=areas] for the workbook.
 *
 * The figures are the report module's (report/figures.h: what "serving"
 * and "full team" mean, the queries); this handler parses the request,
 * asks for them with the caller's scope as a value and renders them. A
 * cadre account has no jurisdiction to summarise and is refused. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "report/figures.h"

void api_stats(struct http_req *r)
{
    struct zc_error err = {0};
    struct report_overview *ov = NULL;
    struct report_opts opts = {0};
    struct zc_scope sc = http_scope_value(r);
    const char *arg = http_arg(r, "scope");
    char asof[11];

    if (r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden", "a cadre account has no jurisdiction to summarise");
        return;
    }
    /* Narrowing only: a division outside the jurisdiction is as absent. */
    if (arg && *arg && zc_scope_narrow(&sc, arg, &err) != ZC_OK) {
        if (err.code == ZC_EFORBIDDEN)
            http_error(r, 404, "not_found", "no division %s in your jurisdiction", arg);
        else
            http_error(r, 400, "invalid_input", "scope: %s", err.msg);
        return;
    }
    /* ?date=YYYY-MM-DD: the ledger as of that day (postings begun by then
     * and not yet ended); without it, every open posting as of today. */
    switch (api_date_arg(r, "date", asof)) {
    case -1:
        return;
    case 1:
        opts.date = asof;
        break;
    default:
        break;
    }
    if (report_overview(r->store, &sc, &opts, &ov, &err) != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) {
        const char *which = http_arg(r, "table");
        bool areas_only = which && strcmp(which, "areas") == 0;
        char file[80];
        size_t rows = 0;
        struct report_doc *d = report_overview_doc(ov, areas_only, &rows);
        snprintf(file, sizeof(file), "%s-%s-%s", areas_only ? "coverage" : "overview",
                 ov->scope[0] ? ov->scope : "all", ov->today);
        api_send_doc(r, areas_only ? "coverage" : "overview", file, d, rows);
    } else {
        http_json(r, 200, report_overview_json(ov));
    }
    report_overview_free(ov);
}
