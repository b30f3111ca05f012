/* SPDX-License-Identifier: MIT */
/* commend.c - commendations (表彰) and the promotion list (提拔重用) with
 * the evidence behind each name: the grade, each month's score, the
 * commendations of the year and the entries on the negative list (夏河:
 * a cadre rated 优秀 is to be promoted or used in important posts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/mem.h"

int assess_commend_add(struct store *s, const struct zc_scope *scope, int64_t cadre, int year,
                       const char *day, const char *title, const char *reason, const char *actor,
                       int64_t *id, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    int64_t village = 0;
    bool row = false;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot record commendations");
    if (year < 2000 || year > 2100)
        return zc_error_set(err, ZC_EINVAL, "year %d is out of range", year);
    if (!assess_day_ok(day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day ? day : "");
    if (!title || !title[0])
        return zc_error_set(err, ZC_EINVAL,
                            "a commendation has a title (--title, e.g. 优秀第一书记)");
    if (!reason || !reason[0])
        return zc_error_set(err, ZC_EINVAL, "a commendation gives its reason (--reason)");
    rc = assess_prepare(s, AQ_POSTING_AT, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_cstr(q, 2, day);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            village = store_col_int(q, 0);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "cadre %lld was not stationed on %s", (long long)cadre,
                          day);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, village, 0, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_COMMEND_ADD, &q, err);
    if (rc == ZC_OK) {
        assess_now(now);
        store_bind_int(q, 1, cadre);
        store_bind_int(q, 2, village);
        store_bind_int(q, 3, year);
        store_bind_cstr(q, 4, day);
        store_bind_cstr(q, 5, title);
        store_bind_cstr(q, 6, reason);
        store_bind_cstr(q, 7, actor);
        store_bind_cstr(q, 8, now);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

int assess_commend_list(struct store *s, const struct zc_scope *scope, int year,
                        int (*fn)(void *ud, const struct assess_commend_row *row), void *ud,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_COMMEND_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, year);
        assess_bind_scope(q, 2, scope);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_commend_row r = {
            .id = store_col_int(q, 0),
            .cadre = store_col_int(q, 1),
            .village = store_col_int(q, 2),
            .id_number = store_col_text(q, 3),
            .name = store_col_text(q, 4),
            .village_name = store_col_text(q, 5),
            .year = (int)store_col_int(q, 6),
            .day = store_col_text(q, 7),
            .title = store_col_text(q, 8),
            .reason = store_col_text(q, 9),
        };
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

/* ---- the promotion list ------------------------------------------------------------------- */

struct pick {
    struct assess_grade_row g; /* strings owned */
    struct assess_promotion_row p;
    char *commended;
};

struct promo {
    struct pick *a;
    size_t n, cap;
    int month; /* 0..11 while the months are read */
};

static struct pick *pick_find(struct promo *pr, int64_t cadre)
{
    for (size_t i = 0; i < pr->n; i++)
        if (pr->a[i].g.cadre == cadre)
            return &pr->a[i];
    return NULL;
}

static int on_grade(void *ud, const struct assess_grade_row *g)
{
    struct promo *pr = ud;
    if (!g->promote)
        return ZC_OK;
    if (pr->n == pr->cap) {
        pr->cap = pr->cap ? pr->cap * 2 : 16;
        pr->a = zc_realloc(pr->a, pr->cap * sizeof(*pr->a));
    }
    struct pick *k = &pr->a[pr->n++];
    memset(k, 0, sizeof(*k));
    k->g = *g;
    k->g.id_number = zc_strdup(g->id_number);
    k->g.name = zc_strdup(g->name);
    k->g.village_name = zc_strdup(g->village_name);
    k->g.unit_name = zc_strdup(g->unit_name);
    k->g.proposed = zc_strdup(g->proposed);
    k->g.grade = zc_strdup(g->grade);
    k->g.reason = zc_strdup(g->reason ? g->reason : "");
    return ZC_OK;
}

static int on_month(void *ud, const struct assess_score_row *r)
{
    struct promo *pr = ud;
    struct pick *k = pick_find(pr, r->cadre);
    if (k) {
        k->p.month_score[pr->month] = r->total;
        k->p.has_month[pr->month] = true;
    }
    return ZC_OK;
}

static int on_commend(void *ud, const struct assess_commend_row *c)
{
    struct pick *k = pick_find(ud, c->cadre);
    if (k) {
        size_t old = k->commended ? strlen(k->commended) : 0;
        size_t add = strlen(c->title) + strlen(c->day) + strlen(c->reason) + 16;
        k->commended = zc_realloc(k->commended, old + add);
        snprintf(k->commended + old, add, "%s%s (%s): %s", old ? "; " : "", c->title, c->day,
                 c->reason);
        k->p.commendations++;
    }
    return ZC_OK;
}

int assess_promotions(struct store *s, const struct field_policy_map *pm,
                      const struct zc_scope *scope, int year,
                      int (*fn)(void *ud, const struct assess_promotion_row *row), void *ud,
                      struct zc_error *err)
{
    struct promo pr = {0};
    struct store_stmt *q = NULL;
    char ym[8], from[8], to[8];
    bool row = false;
    int rc = assess_year(s, pm, scope, year, on_grade, &pr, err), ty, tm;
    assess_today_ym(&ty, &tm);
    for (int m = 1; rc == ZC_OK && pr.n && m <= 12 && (ty > year || m < tm); m++) {
        snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)year % 10000u, (unsigned)m % 100u);
        pr.month = m - 1;
        rc = assess_month(s, pm, scope, ym, on_month, &pr, err);
    }
    if (rc == ZC_OK && pr.n)
        rc = assess_commend_list(s, scope, year, on_commend, &pr, err);
    if (rc == ZC_OK && pr.n)
        rc = assess_prepare(s, AQ_NEG_YEAR, &q, err);
    if (rc == ZC_OK && q) {
        snprintf(from, sizeof(from), "%04u-01", (unsigned)year % 10000u);
        snprintf(to, sizeof(to), "%04u-12", (unsigned)year % 10000u);
        store_bind_cstr(q, 1, from);
        store_bind_cstr(q, 2, to);
        assess_bind_scope(q, 3, scope);
    }
    while (rc == ZC_OK && q && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct pick *k = pick_find(&pr, store_col_int(q, 0));
        if (k)
            k->p.negative = (int)store_col_int(q, 1);
    }
    store_finalize(q);
    for (size_t i = 0; rc == ZC_OK && i < pr.n; i++) {
        struct pick *k = &pr.a[i];
        k->p.g = &k->g;
        k->p.commended = k->commended ? k->commended : "";
        rc = fn(ud, &k->p);
    }
    for (size_t i = 0; i < pr.n; i++) {
        struct assess_grade_row *g = &pr.a[i].g;
        zc_free_const(g->id_number);
        zc_free_const(g->name);
        zc_free_const(g->village_name);
        zc_free_const(g->unit_name);
        zc_free_const(g->proposed);
        zc_free_const(g->grade);
        zc_free_const(g->reason);
        free(pr.a[i].commended);
    }
    free(pr.a);
    return rc;
}
