/* SPDX-License-Identifier: MIT */
/* funds.c - work and industry funds per team, and the subsidies presence
 * earns.
 *
 * The allocation comes from the policy (per team, plus per first
 * secretary: 南宁 gives each first secretary 15,000 yuan of work funds and
 * 100,000 of industry funds a year, 河北 50,000 per provincial team);
 * spending is entered with a note; the subsidy is what the residence
 * ledger earned month by month (field.subsidy), so it can be checked
 * against the days the cadres were in the village. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/mem.h"
#include "policy/policy.h"

int assess_fund_add(struct store *s, const struct zc_scope *scope, int64_t village,
                    const char *kind, const char *day, int64_t amount_fen, const char *note,
                    const char *actor, int64_t *id, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    bool row = false;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot enter spending");
    if (!kind || (strcmp(kind, "work") != 0 && strcmp(kind, "industry") != 0))
        return zc_error_set(err, ZC_EINVAL,
                            "kind '%s' is not work (工作经费) or industry (产业资金)",
                            kind ? kind : "");
    if (!assess_day_ok(day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day ? day : "");
    if (amount_fen <= 0 || amount_fen > 100000000000LL)
        return zc_error_set(err, ZC_EINVAL,
                            "amount must be above 0 and at most 1,000,000,000 yuan");
    if (!note || !note[0])
        return zc_error_set(err, ZC_EINVAL, "spending says what it was for (--note)");
    rc = assess_check_scope(scope, village, 0, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_FUND_ADD, &q, err);
    if (rc == ZC_OK) {
        assess_now(now);
        store_bind_int(q, 1, village);
        store_bind_cstr(q, 2, kind);
        store_bind_cstr(q, 3, day);
        store_bind_int(q, 4, amount_fen);
        store_bind_cstr(q, 5, note);
        store_bind_cstr(q, 6, actor);
        store_bind_cstr(q, 7, now);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

struct team {
    struct assess_fund_row r;
    char *name, *secretary;
};

struct teams {
    struct team *t;
    size_t n, cap;
};

static int by_village(const void *a, const void *b)
{
    const struct team *x = a, *y = b;
    return (x->r.village > y->r.village) - (x->r.village < y->r.village);
}

static struct team *team_find(struct teams *ts, int64_t village)
{
    struct team key = {.r.village = village};
    return ts->n ? bsearch(&key, ts->t, ts->n, sizeof(*ts->t), by_village) : NULL;
}

static int load_teams(struct store *s, const struct policy_assess *a, const struct zc_scope *scope,
                      const char *first, const char *last, struct teams *ts, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_TEAMS_YEAR, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct team *t;
        if (ts->n == ts->cap) {
            ts->cap = ts->cap ? ts->cap * 2 : 64;
            ts->t = zc_reallocarray(ts->t, ts->cap, sizeof(*ts->t));
        }
        t = &ts->t[ts->n++];
        memset(t, 0, sizeof(*t));
        t->r.village = store_col_int(q, 0);
        t->name = zc_strdup(store_col_text(q, 1));
        t->secretary = zc_strdup(store_col_text(q, 2));
        t->r.alloc_work_fen = a->fund_work_fen + (t->secretary[0] ? a->fund_sec_work_fen : 0);
        t->r.alloc_industry_fen =
            a->fund_industry_fen + (t->secretary[0] ? a->fund_sec_industry_fen : 0);
    }
    store_finalize(q);
    if (ts->n)
        qsort(ts->t, ts->n, sizeof(*ts->t), by_village);
    return rc;
}

static int load_spent(struct store *s, const struct zc_scope *scope, const char *first,
                      const char *last, struct teams *ts, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_FUND_SPENT, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct team *t = team_find(ts, store_col_int(q, 0));
        if (!t)
            continue; /* spending of a village without a team that year: not a team's */
        if (strcmp(store_col_text(q, 1), "work") == 0)
            t->r.spent_work_fen += store_col_int(q, 2);
        else
            t->r.spent_industry_fen += store_col_int(q, 2);
    }
    store_finalize(q);
    return rc;
}

int assess_funds(struct store *s, const struct policy *p, const struct zc_scope *scope, int year,
                 int (*fn)(void *ud, const struct assess_fund_row *row), void *ud,
                 struct zc_error *err)
{
    struct teams ts = {0};
    char first[11], last[11], ym[8];
    int months = 12, rc, ty, tm;
    if (year < 2000 || year > 2100)
        return zc_error_set(err, ZC_EINVAL, "year %d is out of range", year);
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot read the funds statement");
    snprintf(first, sizeof(first), "%04u-01-01", (unsigned)year % 10000u);
    snprintf(last, sizeof(last), "%04u-12-31", (unsigned)year % 10000u);
    assess_today_ym(&ty, &tm);
    if (ty == year)
        months = tm;
    else if (ty < year)
        months = 0;
    rc = load_teams(s, &p->assess, scope, first, last, &ts, err);
    if (rc == ZC_OK)
        rc = load_spent(s, scope, first, last, &ts, err);
    for (int m = 1; rc == ZC_OK && m <= months; m++) {
        struct roster r;
        snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)year % 10000u, (unsigned)m % 100u);
        rc = roster_load(s, p, scope, ym, &r, err);
        for (size_t i = 0; rc == ZC_OK && i < r.n; i++) {
            struct team *t = team_find(&ts, r.c[i].village);
            if (t) {
                t->r.subsidy_fen += r.c[i].subsidy_fen;
                t->r.present_days += r.c[i].days;
            }
        }
        if (rc == ZC_OK)
            roster_fini(&r);
    }
    for (size_t i = 0; rc == ZC_OK && i < ts.n; i++) {
        ts.t[i].r.village_name = ts.t[i].name;
        ts.t[i].r.secretary = ts.t[i].secretary;
        rc = fn(ud, &ts.t[i].r);
    }
    for (size_t i = 0; i < ts.n; i++) {
        free(ts.t[i].name);
        free(ts.t[i].secretary);
    }
    free(ts.t);
    return rc;
}
