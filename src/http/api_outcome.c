/* SPDX-License-Identifier: MIT */
/* api_outcome.c - poverty outcomes over HTTP:
 *   GET /api/v1/outcomes?year=YYYY[&scope=CODE]
 * one row per county, township and village of the caller's jurisdiction
 * (src/outcome): incidence, the exit rule, the ledger's consistency. Cadre
 * accounts are refused by the module.
 *   GET /api/v1/watch?year=YYYY[&scope=CODE]
 * the return-to-poverty watch (防返贫监测): exited households at risk, with
 * their reasons and responsible cadre, and the count per township (a cadre
 * account: the households they are responsible for).
 *   GET /api/v1/outcomes/attribution?year=YYYY&baseline=YYYY[&band=PP][&scope=CODE]
 * each team village's change in incidence against comparable villages
 * without a team (same county and class, similar baseline incidence).
 *   POST /api/v1/households/:id/watch {"year", "text"}
 * what was done about a watched household (staff, or its responsible
 * cadre): a writer job audited as watch.respond. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "base/division.h"
#include "base/mem.h"
#include "field/field.h"
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

/* ?year=YYYY, or the year of "today"; false after answering 400. */
static bool year_arg(struct http_req *r, long *out)
{
    const char *y = http_arg(r, "year");
    char *end = NULL;
    long year = 0;
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
        return false;
    }
    *out = year;
    return true;
}

void api_outcomes(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    long year = 0;
    json_t *a;
    if (!year_arg(r, &year) || !http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    struct field_policy_map pm;
    if (field_policy_map_open(r->store, &sc, api_policy(), true, &pm, &err) != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    a = json_array();
    if (outcome_list(r->store, &pm, &sc, (int)year, row_json, a, &err) != ZC_OK) {
        field_policy_map_fini(&pm);
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    field_policy_map_fini(&pm);
    if (api_wants_xlsx(r)) {
        static const struct api_xcol cols[] = {
            {"name", "区划", 0, 0},
            {"code", "区划代码", 0, 0},
            {"households", "户数", 1, 0},
            {"population", "人口", 1, 0},
            {"poor_households", "建档立卡贫困户", 1, 0},
            {"poor_population", "建档立卡贫困人口", 1, 0},
            {"exited_households", "已脱贫户", 1, 0},
            {"incidence", "贫困发生率（%）", 1, 2},
            {"exit_threshold", "退出标准（%）", 1, 2},
            {"meets_exit", "达到退出标准", 0, 0},
            {"villages", "村数", 1, 0},
            {"villages_meeting", "达标村数", 1, 0},
        };
        char title[40], file[32];
        snprintf(title, sizeof(title), "%ld年脱贫成效", year);
        snprintf(file, sizeof(file), "outcomes-%ld", year);
        api_send_rows_xlsx(r, "outcomes", file, title, cols, sizeof(cols) / sizeof(cols[0]), a);
        json_decref(a);
        return;
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "year", (int)year, "rows", a));
}

static int attribution_json(void *ud, const struct outcome_attribution_row *r)
{
    char code[16];
    json_t *o;
    snprintf(code, sizeof(code), "%012lld", (long long)r->code);
    o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "code", code, "name", r->name, "county",
                  r->county_name, "class", r->class_name, "comparables", r->comparables,
                  "comparable_villages", r->comparable_codes);
    json_object_set_new(o, "base_incidence",
                        r->has_incidence ? json_real(r->base_bp / 100.0) : json_null());
    json_object_set_new(o, "incidence",
                        r->has_incidence ? json_real(r->now_bp / 100.0) : json_null());
    json_object_set_new(o, "change",
                        r->has_incidence ? json_real(r->change_bp / 100.0) : json_null());
    json_object_set_new(o, "comparables_change",
                        r->has_effect ? json_real(r->comparables_change_bp / 100.0) : json_null());
    json_object_set_new(o, "effect", r->has_effect ? json_real(r->effect_bp / 100.0) : json_null());
    json_array_append_new(ud, o);
    return ZC_OK;
}

void api_outcome_attribution(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    const char *b = http_arg(r, "baseline"), *w = http_arg(r, "band");
    char *end = NULL;
    long year = 0, base;
    double band = 3;
    json_t *a;
    if (!year_arg(r, &year))
        return;
    base = b && *b ? strtol(b, &end, 10) : year - 2;
    if ((end && *end) || base < 2000 || base >= year) {
        http_error(r, 400, "invalid_input", "baseline: a year before %ld", year);
        return;
    }
    if (w && *w) {
        band = strtod(w, &end);
        if (*end || band < 0 || band > 100) {
            http_error(r, 400, "invalid_input", "band: percentage points from 0 to 100");
            return;
        }
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    a = json_array();
    if (outcome_attribution(r->store, api_policy(), &sc, (int)base, (int)year,
                            (int)(band * 100 + 0.5), attribution_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:i, s:i, s:f, s:o}", "year", (int)year, "baseline", (int)base, "band",
                        band, "rows", a));
}

struct watch_json {
    json_t *rows, *towns, *town; /* the township object being counted */
    int64_t town_code;
};

static int watch_json_row(void *ud, const struct outcome_watch_row *w)
{
    struct watch_json *j = ud;
    char code[24];
    json_t *o, *checks = json_object();
    int64_t town = w->village / 1000 * 1000;
    if (town != j->town_code || !j->town) {
        snprintf(code, sizeof(code), "%012lld", (long long)town);
        j->town = json_pack("{s:s, s:s, s:s, s:i}", "code", code, "name", w->township_name,
                            "county", w->county_name, "households", 0);
        json_array_append_new(j->towns, j->town);
        j->town_code = town;
    }
    json_object_set_new(
        j->town, "households",
        json_integer(json_integer_value(json_object_get(j->town, "households")) + 1));
    for (int i = 0; i < OC_NCHECKS; i++)
        json_object_set_new(checks, outcome_check_name[i],
                            w->check[i] < 0 ? json_null() : json_boolean(w->check[i]));
    snprintf(code, sizeof(code), "%012lld", (long long)w->village);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:b, s:s, s:s, s:s, s:o}", "household",
                  w->household, "village", code, "village_name", w->village_name, "township",
                  w->township_name, "county", w->county_name, "exit_year", w->exit_year, "year",
                  w->year, "status", w->status, "low_income", w->low_income, "reasons", w->reasons,
                  "cadre", w->cadre_name, "response", w->response, "checks", checks);
    json_object_set_new(o, "income",
                        w->has_income ? json_real((double)w->income_fen / 100) : json_null());
    json_array_append_new(j->rows, o);
    return ZC_OK;
}

void api_watch(struct http_req *r)
{
    struct zc_error err = {0};
    struct watch_json j = {0};
    struct zc_scope sc;
    int64_t line = 0;
    long year = 0;
    if (!year_arg(r, &year) || !http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    j.rows = json_array();
    j.towns = json_array();
    if (outcome_watch_list(r->store, api_policy(), &sc, (int)year, &line, watch_json_row, &j,
                           &err) != ZC_OK) {
        json_decref(j.rows);
        json_decref(j.towns);
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) { /* the CLI's `outcomes watch` columns */
        static const struct api_xcol cols[] = {
            {"county", "县", 0, 0},           {"township", "乡镇", 0, 0},
            {"village", "区划代码", 0, 0},    {"village_name", "村", 0, 0},
            {"household", "户编号", 0, 0},    {"exit_year", "脱贫年度", 1, 0},
            {"year", "最近记录年度", 1, 0},   {"status_zh", "状态", 0, 0},
            {"income", "人均收入(元)", 1, 2}, {"line", "监测线(元)", 1, 2},
            {"reasons", "风险", 0, 0},        {"cadre", "帮扶责任人", 0, 0},
            {"response", "处置情况", 0, 0},
        };
        size_t i;
        json_t *row;
        char title[40], file[32];
        json_array_foreach(j.rows, i, row)
        {
            json_object_set_new(row, "status_zh",
                                json_string(outcome_status_name(
                                    json_string_value(json_object_get(row, "status")))));
            json_object_set_new(row, "line", json_real((double)line / 100));
        }
        snprintf(title, sizeof(title), "%ld年防返贫监测对象", year);
        snprintf(file, sizeof(file), "watch-%ld", year);
        api_send_rows_xlsx(r, "watch", file, title, cols, sizeof(cols) / sizeof(cols[0]), j.rows);
        json_decref(j.rows);
        json_decref(j.towns);
        return;
    }
    http_json(r, 200,
              json_pack("{s:i, s:f, s:o, s:o}", "year", (int)year, "watch_line_yuan",
                        (double)line / 100, "townships", j.towns, "rows", j.rows));
}

/* ---- POST /api/v1/households/:id/watch {"year": Y, "text": T} ---------------------------- */

struct respond_ctx {
    char household[65], text[2048];
    int year;
    int64_t village;
    struct zc_scope scope;
    char actor[96];
};

static int respond_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct respond_ctx *c = j->req->ctx;
    int rc = outcome_watch_respond(s, api_policy(), &c->scope, c->household, c->year, c->text,
                                   c->actor, &c->village, err);
    if (rc == ZC_OK)
        rc = api_audit_write(s, &j->req->who, j->req->addr, "watch.respond", c->household,
                             c->village, NULL,
                             json_pack("{s:i, s:s}", "year", c->year, "response", c->text), err);
    return rc;
}

static void respond_done(struct http_req *r)
{
    struct respond_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 201, json_pack("{s:s, s:i}", "household", c->household, "year", c->year));
}

void api_watch_respond(struct http_req *r)
{
    struct respond_ctx *c;
    json_t *body, *y;
    const char *text;
    if (!http_can_write(r) && r->who.acct.role != AUTH_CADRE) {
        http_error(r, 403, "forbidden", "your role (%s) does not respond to the watch",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (!(body = http_json_body(r)))
        return;
    y = json_object_get(body, "year");
    text = json_string_value(json_object_get(body, "text"));
    if (!json_is_integer(y) || !text || !*text || strlen(text) > 2000) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"year\": YYYY, \"text\": what was done, up to 2000 bytes}");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    snprintf(c->household, sizeof(c->household), "%s", r->params[0]);
    snprintf(c->text, sizeof(c->text), "%s", text);
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    c->year = (int)json_integer_value(y);
    c->scope = http_scope_value(r);
    json_decref(body);
    http_defer(r, respond_run, false, respond_done);
}
