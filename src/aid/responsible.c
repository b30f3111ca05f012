/* SPDX-License-Identifier: MIT */
/* responsible.c - the responsible cadre of each household (帮扶责任人):
 * assignment from the village's team or its paired unit, under the
 * policy's cap, and the list with the cadre's visits (src/field). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aid_int.h"
#include "base/calendar.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"

int aid_assign(struct store *s, const struct policy *p, const struct zc_scope *scope,
               const char *household, const char *id_number, const char *since, const char *actor,
               char basis[8], char prev[19], int64_t *village, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t cadre = 0;
    char name[64] = "", unit[64] = "", paired[64] = "", today[20];
    struct buf others = {0};
    int held = 0;
    bool row = false;
    int rc;
    basis[0] = prev[0] = '\0';
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot assign responsible cadres");
    field_now(today);
    today[10] = '\0';
    if (since && (strlen(since) != 10 || since[4] != '-' || since[7] != '-'))
        return zc_error_set(err, ZC_EINVAL, "--since '%s' is not a date (YYYY-MM-DD)", since);
    rc = aid_household_open(s, scope, household, false, village, NULL, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_CADRE_BY_IDNUM, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, id_number);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre with ID number %s", id_number);
    if (rc == ZC_OK) {
        cadre = store_col_int(q, 0);
        snprintf(name, sizeof(name), "%s", store_col_text(q, 1));
        snprintf(unit, sizeof(unit), "%s", store_col_text(q, 2));
    }
    store_finalize(q);
    q = NULL;
    /* From the village's team, else of its paired unit. */
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_CADRE_SERVES, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_int(q, 2, *village);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            snprintf(basis, 8, "team");
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && !basis[0])
        rc = aid_prepare(s, AQ_VILLAGE_PAIRED, &q, err);
    if (rc == ZC_OK && q) {
        store_bind_int(q, 1, *village);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            snprintf(paired, sizeof(paired), "%s", store_col_text(q, 0));
        if (paired[0] && strcmp(paired, unit) == 0)
            snprintf(basis, 8, "unit");
        else if (rc == ZC_OK)
            rc = zc_error_set(err, ZC_EINVAL,
                              "household %s: cadre %s (%s) neither serves in the team of "
                              "village %012lld nor belongs to its paired unit (%s)",
                              household, id_number, name, (long long)*village,
                              paired[0] ? paired : "none recorded");
    }
    store_finalize(q);
    q = NULL;
    /* The cap, counting the cadre's other households. */
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_CADRE_LOAD, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_cstr(q, 2, household);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row)
        buf_printf(&others, "%s%s", held++ ? ", " : "", store_col_text(q, 0));
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && held >= p->aid.households_per_cadre)
        rc = zc_error_set(err, ZC_EINVAL,
                          "household %s: cadre %s (%s) is already responsible for %d households "
                          "(%s), the most aid.households_per_cadre allows (%d)",
                          household, id_number, name, held, buf_cstr(&others),
                          p->aid.households_per_cadre);
    buf_fini(&others);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_PREV_RESPONSIBLE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, household);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            snprintf(prev, 19, "%s", store_col_text(q, 0));
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_ASSIGN, &q, err);
    if (rc == ZC_OK) {
        char now[20];
        field_now(now);
        store_bind_cstr(q, 1, household);
        store_bind_int(q, 2, cadre);
        store_bind_cstr(q, 3, basis);
        store_bind_cstr(q, 4, since ? since : today);
        store_bind_cstr(q, 5, actor);
        store_bind_cstr(q, 6, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

/* ---- the list ---------------------------------------------------------------------- */

struct visit {
    char *household;
    int64_t cadre;
    int since;
    char last[11];
};

struct visits {
    struct visit *v;
    size_t n, cap;
};

static int keep_visit(void *ud, const struct field_visit_sum *r)
{
    struct visits *vs = ud;
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? vs->cap * 2 : 256;
        vs->v = zc_reallocarray(vs->v, vs->cap, sizeof(*vs->v));
    }
    vs->v[vs->n].household = zc_strdup(r->household);
    vs->v[vs->n].cadre = r->cadre;
    vs->v[vs->n].since = r->visits_since;
    snprintf(vs->v[vs->n].last, sizeof(vs->v[vs->n].last), "%s", r->last_day);
    vs->n++;
    return ZC_OK;
}

static int visit_cmp(const struct visit *a, const char *household, int64_t cadre)
{
    int c = strcmp(a->household, household);
    if (c)
        return c;
    return a->cadre < cadre ? -1 : a->cadre > cadre;
}

/* The visits of `cadre` to `household` (sorted as the query orders them). */
static const struct visit *find_visit(const struct visits *vs, const char *household, int64_t cadre)
{
    size_t lo = 0, hi = vs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = visit_cmp(&vs->v[mid], household, cadre);
        if (c == 0)
            return &vs->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A row of RESPONSIBLE_COLS (aid_sql.c). */
static void fill_row(struct store_stmt *q, struct aid_responsible_row *r)
{
    memset(r, 0, sizeof(*r));
    r->household = store_col_text(q, 0);
    r->village = store_col_int(q, 1);
    r->village_name = store_col_text(q, 2);
    r->cadre = store_col_int(q, 3);
    r->id_number = store_col_text(q, 4);
    r->name = store_col_text(q, 5);
    r->unit_name = store_col_text(q, 6);
    r->basis = store_col_text(q, 7);
    r->since = store_col_text(q, 8);
    r->cadre_households = (int)store_col_int(q, 9);
    r->last = "";
}

/* `today` minus `months` months (the day clamped to the month's end). */
static void months_back(const char *today, int months, char out[11])
{
    int y = 2000, m = 1, d = 1;
    if (sscanf(today, "%d-%d-%d", &y, &m, &d) != 3)
        y = 2000, m = 1, d = 1;
    m -= months;
    while (m < 1) {
        m += 12;
        y--;
    }
    if (d > cal_month_days(y, m))
        d = cal_month_days(y, m);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

int aid_responsible_list(struct store *s, const struct policy *p, const struct zc_scope *scope,
                         bool by_cadre, int64_t cadre, const char *today, char from[11],
                         int (*fn)(void *ud, const struct aid_responsible_row *r), void *ud,
                         struct zc_error *err)
{
    struct visits vs = {0};
    struct store_stmt *q = NULL;
    int64_t clo = 0, chi = INT64_MAX;
    bool row = false;
    int rc;
    months_back(today, p->aid.visit_months, from);
    if (scope->cadre != 0)
        clo = chi = scope->cadre;
    if (cadre > 0) {
        if (scope->cadre != 0 && cadre != scope->cadre)
            return ZC_OK;
        clo = chi = cadre;
    }
    if (by_cadre && clo == 0)
        clo = 1;
    rc = field_household_visits(s, scope, from, keep_visit, &vs, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, by_cadre ? AQ_RESPONSIBLE_BY_CAD : AQ_RESPONSIBLE_BY_HH, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_int(q, 3, clo);
        store_bind_int(q, 4, chi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct aid_responsible_row r;
        fill_row(q, &r);
        if (r.cadre) {
            const struct visit *v = find_visit(&vs, r.household, r.cadre);
            if (v) {
                r.visits = v->since;
                r.last = v->last;
            }
            r.overdue = r.visits == 0;
        }
        rc = fn(ud, &r);
    }
    store_finalize(q);
    for (size_t i = 0; i < vs.n; i++)
        free(vs.v[i].household);
    free(vs.v);
    return rc;
}

int aid_responsible_of(struct store *s, const char *household,
                       int (*fn)(void *ud, const struct aid_responsible_row *r), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_RESPONSIBLE_ONE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, 0);
        store_bind_int(q, 2, INT64_MAX);
        store_bind_int(q, 3, 1);
        store_bind_int(q, 4, INT64_MAX);
        store_bind_cstr(q, 5, household);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && row) {
        struct aid_responsible_row r;
        fill_row(q, &r);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

int aid_card_visible(struct store *s, const struct zc_scope *scope, const char *household,
                     int64_t *village, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t responsible = 0;
    bool row = false;
    int rc = aid_household_open(s, &(struct zc_scope){scope->lo, scope->hi, 0, scope->level, ""},
                                household, false, village, &responsible, err);
    if (rc == ZC_OK && scope->cadre != 0 && responsible != scope->cadre) {
        rc = aid_prepare(s, AQ_CADRE_SERVES, &q, err);
        if (rc == ZC_OK) {
            store_bind_int(q, 1, scope->cadre);
            store_bind_int(q, 2, *village);
            rc = store_step(q, &row, err);
        }
        store_finalize(q);
        if (rc == ZC_OK && !row)
            rc = ZC_EFORBIDDEN;
    }
    if (rc == ZC_EFORBIDDEN) /* do not tell what lies outside */
        rc = zc_error_set(err, ZC_ENOTFOUND, "no registered household %s", household);
    return rc;
}
