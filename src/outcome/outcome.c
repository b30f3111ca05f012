/* SPDX-License-Identifier: MIT */
/* outcome.c - incidence and exit per village, township and county.
 *
 * One pass over the villages in code order: each village row is emitted
 * after its township's and county's rows, so those are computed first from
 * the villages held in memory (a province is about 15,000 villages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"
#include "field/field.h"
#include "outcome_int.h"
#include "policy/policy.h"
#include "store/store.h"

struct vrow {
    struct outcome_row r;
    char *name;
};

static void finish_row(const struct field_policy_map *pm, struct outcome_row *r)
{
    const struct policy *p = field_policy_map_at(pm, r->code);
    r->has_incidence = r->population > 0;
    r->incidence_bp = r->has_incidence
                          ? (int)((r->poor_population * 10000 + r->population / 2) / r->population)
                          : 0;
    r->exit_bp = policy_exit_bp(p, r->code);
    r->meets_exit = r->has_incidence && r->incidence_bp < r->exit_bp;
}

static int name_of(struct store *s, int64_t code, char *out, size_t n, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_prepare(s, outcome_sql_name, &q, err);
    out[0] = '\0';
    if (rc == ZC_OK) {
        store_bind_int(q, 1, code);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            snprintf(out, n, "%s", store_col_text(q, 0));
    }
    store_finalize(q);
    return rc;
}

/* Add the villages v[i..j) up into a row for `code` at `level`. */
static void sum_rows(const struct field_policy_map *p, const struct vrow *v, size_t i, size_t j,
                     int64_t code, int level, struct outcome_row *out)
{
    memset(out, 0, sizeof(*out));
    out->code = code;
    out->level = level;
    out->from_households = true;
    for (size_t k = i; k < j; k++) {
        const struct outcome_row *r = &v[k].r;
        out->households += r->households;
        out->population += r->population;
        out->poor_households += r->poor_households;
        out->poor_population += r->poor_population;
        out->exited_households += r->exited_households;
        out->from_households &= r->from_households;
        out->villages++;
        out->villages_meeting += r->meets_exit;
        out->ledger_poor_households += r->ledger_poor_households;
        out->ledger_poor_population += r->ledger_poor_population;
        out->inconsistent += !r->consistent;
    }
    finish_row(p, out);
    out->consistent = out->inconsistent == 0;
}

static int load(struct store *s, const struct field_policy_map *p, const struct zc_scope *scope,
                int year, struct vrow **out, size_t *n, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    size_t cap = 0;
    bool row = false;
    int rc = store_prepare(s, outcome_sql_villages, &q, err);
    *out = NULL;
    *n = 0;
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_int(q, 3, year);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct vrow *v;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *out = zc_reallocarray(*out, cap, sizeof(**out));
        }
        v = &(*out)[(*n)++];
        memset(v, 0, sizeof(*v));
        v->name = zc_strdup(store_col_text(q, 1));
        v->r.code = store_col_int(q, 0);
        v->r.level = DIV_VILLAGE;
        v->r.households = store_col_int(q, 2);
        v->r.population = store_col_int(q, 3);
        v->r.from_households = store_col_int(q, 6) > 0;
        v->r.poor_households = v->r.from_households ? store_col_int(q, 7) : store_col_int(q, 4);
        v->r.poor_population = v->r.from_households ? store_col_int(q, 8) : store_col_int(q, 5);
        v->r.exited_households = store_col_int(q, 9);
        v->r.ledger_poor_households = store_col_int(q, 4);
        v->r.ledger_poor_population = store_col_int(q, 5);
        /* The ledger's 贫困户数/贫困人口 count every registered household of the
         * village (建档立卡), exited or not: compare with all the records. */
        v->r.consistent =
            !v->r.from_households || (v->r.ledger_poor_households == store_col_int(q, 6) &&
                                      v->r.ledger_poor_population == store_col_int(q, 10));
        finish_row(p, &v->r);
    }
    store_finalize(q);
    return rc;
}

int outcome_list(struct store *s, const struct field_policy_map *p, const struct zc_scope *scope,
                 int year, int (*fn)(void *ud, const struct outcome_row *row), void *ud,
                 struct zc_error *err)
{
    struct vrow *v = NULL;
    size_t n = 0;
    char name[128];
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot read the outcomes");
    rc = load(s, p, scope, year, &v, &n, err);
    for (size_t i = 0; rc == ZC_OK && i < n;) { /* one county at a time */
        int64_t county = v[i].r.code / 1000000;
        size_t j = i;
        struct outcome_row agg;
        while (j < n && v[j].r.code / 1000000 == county)
            j++;
        sum_rows(p, v, i, j, county * 1000000, DIV_COUNTY, &agg);
        rc = name_of(s, agg.code, name, sizeof(name), err);
        agg.name = name;
        if (rc == ZC_OK)
            rc = fn(ud, &agg);
        for (size_t t = i; rc == ZC_OK && t < j;) { /* its townships */
            int64_t town = v[t].r.code / 1000;
            size_t u = t;
            while (u < j && v[u].r.code / 1000 == town)
                u++;
            sum_rows(p, v, t, u, town * 1000, DIV_TOWNSHIP, &agg);
            rc = name_of(s, agg.code, name, sizeof(name), err);
            agg.name = name;
            if (rc == ZC_OK)
                rc = fn(ud, &agg);
            for (size_t k = t; rc == ZC_OK && k < u; k++) {
                v[k].r.name = v[k].name;
                rc = fn(ud, &v[k].r);
            }
            t = u;
        }
        i = j;
    }
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
    return rc;
}

/* ---- yearly status ------------------------------------------------------------------ */

const char *const outcome_check_name[OC_NCHECKS] = {"吃",       "穿",       "义务教育",
                                                    "基本医疗", "住房安全", "饮水安全"};

const char *outcome_status_name(const char *st)
{
    return !st                           ? "贫困"
           : strcmp(st, "exited") == 0   ? "脱贫"
           : strcmp(st, "returned") == 0 ? "返贫"
           : strcmp(st, "watch") == 0    ? "监测"
                                         : "贫困";
}

const char *outcome_status_parse(const char *s)
{
    static const char *const map[][2] = {
        {"poor", "poor"},   {"贫困", "poor"},     {"未脱贫", "poor"},       {"exited", "exited"},
        {"脱贫", "exited"}, {"已脱贫", "exited"}, {"returned", "returned"}, {"返贫", "returned"},
        {"watch", "watch"}, {"监测", "watch"},    {"边缘易致贫", "watch"},
    };
    for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(s, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

int outcome_status_set(struct store *s, const struct policy *p, const struct zc_scope *scope,
                       const struct outcome_status *in, struct zc_error *err)
{
    const char *status = outcome_status_parse(in->status);
    struct store_stmt *q = NULL;
    char now[20], missing[160] = "";
    bool row = false;
    int rc;
    if (!status)
        return zc_error_set(err, ZC_EINVAL,
                            "status '%s' is not 贫困 (poor), 脱贫 (exited), 返贫 (returned) or "
                            "监测 (watch)",
                            in->status ? in->status : "");
    if (in->year < 2013 || in->year > 2100)
        return zc_error_set(err, ZC_EINVAL, "year %d is out of range", in->year);
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot set a household's status");
    if (strcmp(status, "exited") == 0) {
        for (int i = 0; i < OC_NCHECKS; i++)
            if (in->check[i] != 1)
                snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
                         missing[0] ? "、" : "", outcome_check_name[i]);
        if (missing[0])
            return zc_error_set(err, ZC_EINVAL,
                                "household %s cannot be 脱贫 in %d: 两不愁三保障 not all met (%s)",
                                in->household, in->year, missing);
        if (!in->has_income || in->income_fen < p->outcomes.income_line_fen)
            return zc_error_set(err, ZC_EINVAL,
                                "household %s cannot be 脱贫 in %d: income per person %s below "
                                "the line of %d yuan (outcomes.income_line_yuan)",
                                in->household, in->year, in->has_income ? "is" : "unknown, not",
                                p->outcomes.income_line_fen / 100);
    }
    rc = store_prepare(s, outcome_sql_household_village, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, in->household);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no registered household %s", in->household);
    if (rc == ZC_OK && !zc_scope_has(scope, store_col_int(q, 0)))
        rc = zc_error_set(err, ZC_EFORBIDDEN, "household %s is outside your jurisdiction",
                          in->household);
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = store_prepare(s, outcome_sql_status_put, &q, err);
    if (rc == ZC_OK) {
        field_now(now);
        store_bind_cstr(q, 1, in->household);
        store_bind_int(q, 2, in->year);
        store_bind_cstr(q, 3, status);
        if (in->has_income)
            store_bind_int(q, 4, in->income_fen);
        else
            store_bind_null(q, 4);
        for (int i = 0; i < OC_NCHECKS; i++) {
            if (in->check[i] < 0)
                store_bind_null(q, 5 + i);
            else
                store_bind_int(q, 5 + i, in->check[i]);
        }
        store_bind_cstr(q, 11, in->evidence ? in->evidence : "");
        store_bind_cstr(q, 12, in->actor);
        store_bind_cstr(q, 13, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

/* ---- the return-to-poverty watch ------------------------------------------------------ */

/* The watch, of one household when `only` is not NULL. */
static int watch_list(struct store *s, const struct policy *p, const struct zc_scope *scope,
                      int year, const char *only, int64_t *watch_line_fen,
                      int (*fn)(void *ud, const struct outcome_watch_row *row), void *ud,
                      struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t line = (int64_t)p->outcomes.income_line_fen * p->outcomes.watch_income_percent / 100;
    bool row = false;
    int rc = store_prepare(s, outcome_sql_watch, &q, err);
    *watch_line_fen = line;
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_int(q, 3, year);
        store_bind_int(q, 4, scope->cadre != 0 ? scope->cadre : 0);
        store_bind_int(q, 5, scope->cadre != 0 ? scope->cadre : INT64_MAX);
        store_bind_cstr(q, 6, only);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct outcome_watch_row r = {
            .household = store_col_text(q, 0),
            .village = store_col_int(q, 1),
            .village_name = store_col_text(q, 2),
            .year = (int)store_col_int(q, 3),
            .status = store_col_text(q, 4),
            .has_income = !store_col_is_null(q, 5),
            .income_fen = store_col_int(q, 5),
            .exit_year = (int)store_col_int(q, 12),
            .cadre_name = store_col_text(q, 13),
            .township_name = store_col_text(q, 14),
            .county_name = store_col_text(q, 15),
            .response = store_col_text(q, 16),
        };
        char reasons[320] = "";
        for (int i = 0; i < OC_NCHECKS; i++) {
            r.check[i] = store_col_is_null(q, 6 + i) ? -1 : (int)store_col_int(q, 6 + i);
            if (r.check[i] == 0)
                snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "%s%s未保障",
                         reasons[0] ? "；" : "", outcome_check_name[i]);
        }
        r.low_income = r.has_income && r.income_fen < line;
        if (r.low_income)
            snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
                     "%s人均收入 %lld 元低于监测线 %lld 元", reasons[0] ? "；" : "",
                     (long long)(r.income_fen / 100), (long long)(line / 100));
        if (strcmp(r.status, "exited") != 0) /* poor again after the exit, or watched */
            snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons), "%s%s",
                     reasons[0] ? "；" : "",
                     strcmp(r.status, "watch") == 0 ? "监测对象" : "已返贫");
        if (!reasons[0])
            continue;
        r.reasons = reasons;
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

int outcome_status_list(struct store *s, const char *household,
                        int (*fn)(void *ud, const struct outcome_status *st), void *ud,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_prepare(s, outcome_sql_status_of, &q, err);
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, household);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct outcome_status st = {
            .household = household,
            .year = (int)store_col_int(q, 0),
            .status = store_col_text(q, 1),
            .has_income = !store_col_is_null(q, 2),
            .income_fen = store_col_int(q, 2),
            .evidence = store_col_text(q, 9),
            .actor = store_col_text(q, 10),
        };
        for (int i = 0; i < OC_NCHECKS; i++)
            st.check[i] = store_col_is_null(q, 3 + i) ? -1 : (int)store_col_int(q, 3 + i);
        rc = fn(ud, &st);
    }
    store_finalize(q);
    return rc;
}

int outcome_watch_list(struct store *s, const struct policy *p, const struct zc_scope *scope,
                       int year, int64_t *watch_line_fen,
                       int (*fn)(void *ud, const struct outcome_watch_row *row), void *ud,
                       struct zc_error *err)
{
    return watch_list(s, p, scope, year, NULL, watch_line_fen, fn, ud, err);
}

static int found_one(void *ud, const struct outcome_watch_row *row)
{
    *(int64_t *)ud = row->village;
    return ZC_OK;
}

int outcome_watch_respond(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *household, int year, const char *text, const char *actor,
                          int64_t *village, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t line = 0;
    char now[20];
    int rc;
    *village = 0;
    if (!text || !*text || strlen(text) > 2000)
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: the response is needed (at most 2000 bytes)", household);
    rc = watch_list(s, p, scope, year, household, &line, found_one, village, err);
    if (rc == ZC_OK && *village == 0)
        return zc_error_set(err, ZC_EINVAL,
                            "household %s is not on the return-to-poverty watch of %d in your "
                            "jurisdiction (zhucun watch --year %d)",
                            household, year, year);
    if (rc == ZC_OK)
        rc = store_prepare(s, outcome_sql_watch_respond, &q, err);
    if (rc == ZC_OK) {
        field_now(now);
        store_bind_cstr(q, 1, household);
        store_bind_int(q, 2, year);
        store_bind_cstr(q, 3, text);
        store_bind_cstr(q, 4, actor);
        store_bind_cstr(q, 5, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}
