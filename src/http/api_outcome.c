/* SPDX-License-Identifier: MIT */
/* api_outcome.c - poverty outcomes over HTTP:
 *   GET /api/v1/outcomes?year=YYYY[&scope=CODE]
 * one row per county, township and village of the caller's jurisdiction
 * (src/outcome): incidence, the exit rule, the ledger's consistency. Cadre
 * accounts are refused by the module. */
#include <stdlib.h>

#include "api.h"
#include "base/division.h"
#include "outcome/outcome.h"
#include "registry/registry.h"

static int row_json(void *ud, const struct outcome_row *r)
{
    char code[16];
    json_t *o;
    snprintf(code, sizeof(code), "%012lld", (long long)r->code);
    o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:i, s:i, s:i}", "code",
                  code, "name", r->name, "level",
                  r->level == DIV_COUNTY     ? "county"
                  : r->level == DIV_TOWNSHIP ? "township"
                                             : "village",
                  "households", (json_int_t)r->households, "population", (json_int_t)r->population,
                  "poor_households", (json_int_t)r->poor_households, "poor_population",
                  (json_int_t)r->poor_population, "exited_households",
                  (json_int_t)r->exited_households, "meets_exit", r->meets_exit, "from_households",
                  r->from_households, "consistent", r->consistent, "villages", r->villages,
                  "villages_meeting", r->villages_meeting, "inconsistent", r->inconsistent);
    json_object_set_new(o, "incidence",
                        r->has_incidence ? json_real(r->incidence_bp / 100.0) : json_null());
    json_object_set_new(o, "exit_threshold", json_real(r->exit_bp / 100.0));
    json_array_append_new(ud, o);
    return ZC_OK;
}

void api_outcomes(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    const char *y = http_arg(r, "year");
    char *end = NULL;
    long year = 0;
    json_t *a;
    if (y && *y) {
        year = strtol(y, &end, 10);
    } else { /* the year of "today" ($ZHUCUN_TODAY for the demo) */
        int m, d, ty;
        registry_today(&ty, &m, &d);
        year = ty;
        end = (char *)"";
    }
    if (*end || year < 2000 || year > 2100) {
        http_error(r, 400, "invalid_input", "year: a year from 2000 to 2100, e.g. 2018");
        return;
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    a = json_array();
    if (outcome_list(r->store, api_policy(), &sc, (int)year, row_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "year", (int)year, "rows", a));
}
