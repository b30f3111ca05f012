/* SPDX-License-Identifier: MIT */
/* calibrate.c - calibration across townships (横向校准): the year's grades
 * of each township side by side, proposed and after calibration, with
 * every change and its reason, so that the county sees whether one
 * township grades harder than the next before it confirms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/mem.h"

int assess_grade_index(const char *g)
{
    static const char *const zh[4] = {"优秀", "称职", "基本称职", "不称职"};
    for (int i = 0; g && i < 4; i++)
        if (strcmp(g, zh[i]) == 0)
            return i;
    return -1;
}

static struct assess_township_row *township_of(struct assess_townships *t, int64_t code)
{
    for (size_t i = t->n; i > 0; i--) /* rows come by county and score: look back */
        if (t->a[i - 1].township == code)
            return &t->a[i - 1];
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->a = zc_realloc(t->a, t->cap * sizeof(*t->a));
    }
    struct assess_township_row *r = &t->a[t->n++];
    memset(r, 0, sizeof(*r));
    r->township = code;
    r->county = code / 1000000 * 1000000;
    return r;
}

void assess_townships_add(struct assess_townships *t, const struct assess_grade_row *g)
{
    struct assess_township_row *r = township_of(t, g->village / 1000 * 1000);
    int p = assess_grade_index(g->proposed), k = assess_grade_index(g->grade);
    r->mean += g->score; /* a sum until finished */
    r->cadres++;
    r->promote += g->promote;
    if (p >= 0)
        r->proposed[p]++;
    if (k >= 0)
        r->grade[k]++;
    if (p != k) {
        r->changes = zc_realloc(r->changes, (r->nchanges + 1) * sizeof(*r->changes));
        r->changes[r->nchanges++] = (struct assess_change){
            .cadre = g->cadre,
            .name = zc_strdup(g->name),
            .proposed = zc_strdup(g->proposed),
            .grade = zc_strdup(g->grade),
            .reason = zc_strdup(g->reason ? g->reason : ""),
        };
    }
}

static int by_code(const void *a, const void *b)
{
    const struct assess_township_row *x = a, *y = b;
    return (x->township > y->township) - (x->township < y->township);
}

int assess_townships_finish(struct store *s, struct assess_townships *t, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int rc = assess_prepare(s, AQ_DIVISION_NAME, &q, err);
    if (t->n)
        qsort(t->a, t->n, sizeof(*t->a), by_code); /* the county's digits lead */
    for (size_t i = 0; rc == ZC_OK && i < t->n; i++) {
        struct assess_township_row *r = &t->a[i];
        bool row = false;
        if (r->cadres)
            r->mean /= r->cadres;
        store_reset(q);
        store_bind_int(q, 1, r->township);
        rc = store_step(q, &row, err);
        r->name = zc_strdup(rc == ZC_OK && row ? store_col_text(q, 0) : "");
    }
    store_finalize(q);
    return rc;
}

void assess_townships_fini(struct assess_townships *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->a[i].nchanges; j++) {
            struct assess_change *c = &t->a[i].changes[j];
            free(c->name);
            free(c->proposed);
            free(c->grade);
            free(c->reason);
        }
        free(t->a[i].changes);
        free(t->a[i].name);
    }
    free(t->a);
    memset(t, 0, sizeof(*t));
}
