/* SPDX-License-Identifier: MIT */
/* score.c - the monthly score, quarterly tasks and the annual grades.
 *
 * Each component is a fraction of its policy weight, earned from records:
 *   presence  days in the village (and official trips) against the rule's
 *             days (the residence ledger; never check-in counts);
 *   visits    distinct households visited against the target, prorated to
 *             the days stationed;
 *   tasks     the team's tasks due in the month done by their day;
 *   findings  full marks less a quarter per finding or overdue ticket;
 *   outcomes  the village's registered households that have exited.
 * A component without a basis that month (no tasks due, no households) is
 * left out and the others are scaled to 100, so nobody gains or loses by a
 * record that does not exist.
 *
 * The annual grade proposes from the mean of the months assessed: a
 * confirmed talk caps it at 称职, a confirmed penalty at 基本称职, and 优秀
 * goes to the best within the quota of each county; the rest of the
 * candidates get 称职 with the reason. A grade the county changed by hand
 * stays as changed; a confirmed grade is never touched again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"
#include "registry/registry.h"

const char *const assess_component_key[AC_COUNT] = {"presence", "visits", "tasks", "findings",
                                                    "outcomes"};
const char *const assess_component_name[AC_COUNT] = {"驻村在岗", "入户走访", "任务完成", "督查问题",
                                                     "脱贫成效"};

static const char *const grade_zh[4] = {"优秀", "称职", "基本称职", "不称职"};

/* ---- per-village figures the month needs ------------------------------------------------- */

struct village_fig {
    int64_t village;
    int tasks, tasks_done;
    int households, exited;
};

struct village_figs {
    struct village_fig *v;
    size_t n, cap;
};

static struct village_fig *fig_at(struct village_figs *f, int64_t village)
{
    for (size_t i = f->n; i-- > 0;) /* rows come grouped by village */
        if (f->v[i].village == village)
            return &f->v[i];
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = zc_reallocarray(f->v, f->cap, sizeof(*f->v));
    }
    memset(&f->v[f->n], 0, sizeof(f->v[0]));
    f->v[f->n].village = village;
    return &f->v[f->n++];
}

static int by_village(const void *a, const void *b)
{
    const struct village_fig *x = a, *y = b;
    return (x->village > y->village) - (x->village < y->village);
}

static const struct village_fig *fig_find(const struct village_figs *f, int64_t village)
{
    struct village_fig key = {.village = village};
    return f->n ? bsearch(&key, f->v, f->n, sizeof(*f->v), by_village) : NULL;
}

static int load_figs(struct store *s, const struct zc_scope *scope, const char *first,
                     const char *last, struct village_figs *out, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_TASKS_DUE, &q, err);
    memset(out, 0, sizeof(*out));
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct village_fig *v = fig_at(out, store_col_int(q, 0));
        v->tasks = (int)store_col_int(q, 1);
        v->tasks_done = (int)store_col_int(q, 2);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_HOUSEHOLDS, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct village_fig *v = fig_at(out, store_col_int(q, 0));
        v->households = (int)store_col_int(q, 1);
        v->exited = (int)store_col_int(q, 2);
    }
    store_finalize(q);
    if (out->n)
        qsort(out->v, out->n, sizeof(*out->v), by_village);
    return rc;
}

/* Cadres on the month's negative list, sorted. */
static int load_listed(struct store *s, const struct zc_scope *scope, const char *ym, int64_t **out,
                       size_t *n, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    size_t cap = 0;
    int rc = assess_prepare(s, AQ_NEG_MONTHS, &q, err);
    *out = NULL;
    *n = 0;
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, ym);
        store_bind_cstr(q, 2, ym);
        assess_bind_scope(q, 3, scope);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            *out = zc_reallocarray(*out, cap, sizeof(**out));
        }
        (*out)[(*n)++] = store_col_int(q, 0); /* ORDER BY cadre */
    }
    store_finalize(q);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Fill the score of one cadre; `ev` holds the evidence texts. */
static void score_one(const struct policy_assess *a, const struct roster_cadre *c,
                      const struct village_fig *v, char ev[AC_COUNT][160],
                      struct assess_score_row *r)
{
    const int w[AC_COUNT] = {a->w_presence, a->w_visits, a->w_tasks, a->w_findings, a->w_outcomes};
    double frac[AC_COUNT] = {0};
    int sumw = 0;
    int have = c->days + c->trip_days, base = c->posted_days - c->leave_days - c->trip_days;
    int target = c->ndays ? (a->visits_target * c->posted_days + c->ndays - 1) / c->ndays : 0;

    if (c->required_days > 0) {
        frac[AC_PRESENCE] = clamp01((double)have / c->required_days);
        snprintf(ev[AC_PRESENCE], 160, "在村 %d 天 (含公差 %d 天), 应在村 %d 天", have,
                 c->trip_days, c->required_days);
        r->counted[AC_PRESENCE] = true;
    } else if (base > 0) {
        frac[AC_PRESENCE] = clamp01((double)c->days / base);
        snprintf(ev[AC_PRESENCE], 160, "在村 %d 天, 在岗应在村 %d 天", c->days, base);
        r->counted[AC_PRESENCE] = true;
    }
    if (target < 1)
        target = 1;
    frac[AC_VISITS] = clamp01((double)c->households / target);
    snprintf(ev[AC_VISITS], 160, "走访 %d 户 (%d 次), 目标 %d 户", c->households, c->visits,
             target);
    r->counted[AC_VISITS] = c->posted_days > 0;
    if (v && v->tasks > 0) {
        frac[AC_TASKS] = (double)v->tasks_done / v->tasks;
        snprintf(ev[AC_TASKS], 160, "本月到期任务 %d 项, 按期完成 %d 项", v->tasks, v->tasks_done);
        r->counted[AC_TASKS] = true;
    }
    frac[AC_FINDINGS] = clamp01(1.0 - 0.25 * (c->findings + c->overdue));
    snprintf(ev[AC_FINDINGS], 160, "督查发现 %d 条, 整改逾期 %d 项", c->findings, c->overdue);
    r->counted[AC_FINDINGS] = true;
    if (v && v->households > 0) {
        frac[AC_OUTCOMES] = (double)v->exited / v->households;
        snprintf(ev[AC_OUTCOMES], 160, "建档立卡 %d 户, 已脱贫 %d 户", v->households, v->exited);
        r->counted[AC_OUTCOMES] = true;
    }
    for (int i = 0; i < AC_COUNT; i++) {
        if (w[i] == 0)
            r->counted[i] = false;
        if (!r->counted[i])
            ev[i][0] = '\0';
        sumw += r->counted[i] ? w[i] : 0;
        r->evidence[i] = ev[i];
    }
    r->total = 0;
    for (int i = 0; i < AC_COUNT; i++) {
        r->part[i] = r->counted[i] && sumw ? frac[i] * w[i] * 100.0 / sumw : 0;
        r->total += r->part[i];
    }
}

int assess_month(struct store *s, const struct field_policy_map *pm, const struct zc_scope *scope,
                 const char *ym, int (*fn)(void *ud, const struct assess_score_row *row), void *ud,
                 struct zc_error *err)
{
    struct roster r;
    struct village_figs figs = {0};
    char first[11], last[11], ev[AC_COUNT][160];
    int64_t *listed = NULL;
    size_t nlisted = 0;
    int rc;
    if (!assess_month_days(ym, first, last))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    rc = roster_load_map(s, pm, scope, ym, &r, err);
    if (rc != ZC_OK)
        return rc;
    rc = load_figs(s, scope, first, last, &figs, err);
    if (rc == ZC_OK)
        rc = load_listed(s, scope, ym, &listed, &nlisted, err);
    for (size_t i = 0; rc == ZC_OK && i < r.n; i++) {
        const struct roster_cadre *c = &r.c[i];
        struct assess_score_row row = {
            .cadre = c->cadre,
            .village = c->village,
            .id_number = c->id_number,
            .name = c->name,
            .village_name = c->village_name,
            .unit_name = c->unit_name,
            .county = assess_county_of(c->village),
            .posted_days = c->posted_days,
        };
        score_one(&field_policy_map_at(pm, c->village)->assess, c, fig_find(&figs, c->village), ev,
                  &row);
        row.on_negative_list =
            nlisted && bsearch(&c->cadre, listed, nlisted, sizeof(*listed), cmp_i64) != NULL;
        rc = fn(ud, &row);
    }
    free(listed);
    free(figs.v);
    roster_fini(&r);
    return rc;
}

/* ---- teams ------------------------------------------------------------------------------ */

struct member_score { /* what a team needs of a member's row, copied */
    int64_t village, county;
    size_t village_name, name; /* offsets in the texts */
    int days;
    double total, part[AC_COUNT];
    bool counted[AC_COUNT], listed;
    size_t seq; /* order scored, to keep it within a village */
};

struct team_acc {
    struct member_score *m;
    size_t n, cap;
    struct buf texts;
};

static int collect_member(void *ud, const struct assess_score_row *r)
{
    struct team_acc *a = ud;
    struct member_score *m;
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 256;
        a->m = zc_reallocarray(a->m, a->cap, sizeof(*a->m));
    }
    m = &a->m[a->n];
    memset(m, 0, sizeof(*m));
    m->village = r->village;
    m->county = r->county;
    m->days = r->posted_days;
    m->total = r->total;
    m->listed = r->on_negative_list;
    m->seq = a->n++;
    for (int i = 0; i < AC_COUNT; i++) {
        m->part[i] = r->part[i];
        m->counted[i] = r->counted[i];
    }
    m->village_name = a->texts.len;
    buf_append(&a->texts, r->village_name, strlen(r->village_name) + 1);
    m->name = a->texts.len;
    buf_append(&a->texts, r->name, strlen(r->name) + 1);
    return ZC_OK;
}

static int cmp_member(const void *pa, const void *pb)
{
    const struct member_score *a = pa, *b = pb;
    if (a->village != b->village)
        return a->village < b->village ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The team of members m[0..n) (one village). */
static void team_of(const struct team_acc *a, const struct member_score *m, size_t n,
                    struct buf *names, struct assess_team_row *t)
{
    double w = 0, wpart[AC_COUNT] = {0};
    memset(t, 0, sizeof(*t));
    t->village = m[0].village;
    t->county = m[0].county;
    t->village_name = a->texts.p + m[0].village_name;
    t->lowest = m[0].total;
    buf_reset(names);
    for (size_t k = 0; k < n; k++) {
        /* A member stationed no day of the month still counts once. */
        double mw = m[k].days > 0 ? m[k].days : 1;
        t->members++;
        t->on_negative_list += m[k].listed;
        t->total += mw * m[k].total;
        w += mw;
        if (m[k].total < t->lowest)
            t->lowest = m[k].total;
        for (int i = 0; i < AC_COUNT; i++)
            if (m[k].counted[i]) {
                t->part[i] += mw * m[k].part[i];
                wpart[i] += mw;
                t->counted[i] = true;
            }
        buf_printf(names, "%s%s", k ? "、" : "", a->texts.p + m[k].name);
    }
    t->total /= w;
    for (int i = 0; i < AC_COUNT; i++)
        if (t->counted[i])
            t->part[i] /= wpart[i];
    t->names = buf_cstr(names);
}

int assess_month_teams(struct store *s, const struct field_policy_map *pm,
                       const struct zc_scope *scope, const char *ym,
                       int (*fn)(void *ud, const struct assess_team_row *row), void *ud,
                       struct zc_error *err)
{
    struct team_acc a = {0};
    struct buf names = {0};
    int rc = assess_month(s, pm, scope, ym, collect_member, &a, err);
    if (rc == ZC_OK && a.n)
        qsort(a.m, a.n, sizeof(*a.m), cmp_member);
    for (size_t i = 0; rc == ZC_OK && i < a.n;) {
        struct assess_team_row t;
        size_t j = i;
        while (j < a.n && a.m[j].village == a.m[i].village)
            j++;
        team_of(&a, a.m + i, j - i, &names, &t);
        rc = fn(ud, &t);
        i = j;
    }
    free(a.m);
    buf_fini(&a.texts);
    buf_fini(&names);
    return rc;
}

/* ---- tasks ------------------------------------------------------------------------------ */

int assess_task_add(struct store *s, const struct zc_scope *scope, int64_t village,
                    const char *quarter, const char *text, const char *due, const char *actor,
                    int64_t *id, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int y, n;
    char tail;
    bool row = false;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot set the team's tasks");
    if (!quarter || strlen(quarter) != 7 || sscanf(quarter, "%4d-Q%1d%c", &y, &n, &tail) != 2 ||
        n < 1 || n > 4)
        return zc_error_set(err, ZC_EINVAL, "quarter '%s' is not YYYY-Qn (e.g. 2018-Q3)",
                            quarter ? quarter : "");
    if (!assess_day_ok(due))
        return zc_error_set(err, ZC_EINVAL, "deadline '%s' is not YYYY-MM-DD", due ? due : "");
    if (!text || !text[0])
        return zc_error_set(err, ZC_EINVAL, "a task says what is to be done (--text)");
    rc = assess_check_scope(scope, village, 0, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_TASK_ADD, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, village);
        store_bind_cstr(q, 2, quarter);
        store_bind_cstr(q, 3, text);
        store_bind_cstr(q, 4, due);
        store_bind_cstr(q, 5, actor);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

int assess_task_done(struct store *s, const struct zc_scope *scope, int64_t id, const char *day,
                     const char *evidence, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int64_t village = 0;
    int rc;
    if (!assess_day_ok(day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day ? day : "");
    if (!evidence || !evidence[0])
        return zc_error_set(err, ZC_EINVAL, "a task is done with its evidence (--evidence)");
    rc = assess_prepare(s, AQ_TASK_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no task %lld", (long long)id);
    if (rc == ZC_OK && store_col_text(q, 1)[0])
        rc = zc_error_set(err, ZC_ECONFLICT, "task %lld was done on %s", (long long)id,
                          store_col_text(q, 1));
    if (rc == ZC_OK)
        village = store_col_int(q, 0);
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && !zc_scope_has(scope, village))
        rc = zc_error_set(err, ZC_EFORBIDDEN, "task %lld is outside your jurisdiction",
                          (long long)id);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_TASK_DONE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, day);
        store_bind_cstr(q, 2, evidence);
        store_bind_int(q, 3, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

/* ---- the year ------------------------------------------------------------------------------ */

struct year_acc {
    int64_t cadre, village, county;
    double sum;  /* score x days stationed */
    double days; /* days stationed */
    int months;
    int step; /* highest confirmed ladder step in the year: 0 none, 1 study, 2 talk, 3 penalty */
    const char *grade, *reason;
    char why[120];
};

struct year_run {
    struct year_acc *a;
    size_t n, cap;
};

static int on_month_score(void *ud, const struct assess_score_row *r)
{
    struct year_run *y = ud;
    if (y->n == y->cap) {
        y->cap = y->cap ? y->cap * 2 : 256;
        y->a = zc_reallocarray(y->a, y->cap, sizeof(*y->a));
    }
    memset(&y->a[y->n], 0, sizeof(y->a[0]));
    y->a[y->n].cadre = r->cadre;
    y->a[y->n].village = r->village;
    y->a[y->n].county = r->county;
    y->a[y->n].sum = r->total * r->posted_days;
    y->a[y->n].days = r->posted_days;
    y->a[y->n].months = 1;
    y->n++;
    return ZC_OK;
}

static double mean(const struct year_acc *a)
{
    return a->days > 0 ? a->sum / a->days : 0;
}

static int by_cadre_acc(const void *a, const void *b)
{
    const struct year_acc *x = a, *y = b;
    return (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

static int by_county_score(const void *a, const void *b)
{
    const struct year_acc *x = a, *y = b;
    double sx = mean(x), sy = mean(y);
    if (x->county != y->county)
        return (x->county > y->county) - (x->county < y->county);
    if (sx != sy)
        return sx < sy ? 1 : -1;
    return (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

/* Fold the month records into one per cadre (the latest village kept). */
static void fold(struct year_run *y)
{
    size_t o = 0;
    if (y->n)
        qsort(y->a, y->n, sizeof(*y->a), by_cadre_acc);
    for (size_t i = 0; i < y->n; i++) {
        if (o && y->a[o - 1].cadre == y->a[i].cadre) {
            y->a[o - 1].sum += y->a[i].sum;
            y->a[o - 1].days += y->a[i].days;
            y->a[o - 1].months++;
            y->a[o - 1].village = y->a[i].village;
            y->a[o - 1].county = y->a[i].county;
        } else {
            y->a[o++] = y->a[i];
        }
    }
    y->n = o;
}

static int load_steps(struct store *s, const struct zc_scope *scope, int year, struct year_run *y,
                      struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char from[8], to[8];
    bool row = false;
    int rc = assess_prepare(s, AQ_STEPS_YEAR, &q, err);
    snprintf(from, sizeof(from), "%04u-01", (unsigned)year % 10000u);
    snprintf(to, sizeof(to), "%04u-12", (unsigned)year % 10000u);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, from);
        store_bind_cstr(q, 2, to);
        assess_bind_scope(q, 3, scope);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct year_acc key = {.cadre = store_col_int(q, 0)}, *a;
        a = y->n ? bsearch(&key, y->a, y->n, sizeof(*y->a), by_cadre_acc) : NULL;
        if (a)
            a->step = (int)store_col_int(q, 1);
    }
    store_finalize(q);
    return rc;
}

static void propose(const struct field_policy_map *pm, struct year_run *y)
{
    if (y->n)
        qsort(y->a, y->n, sizeof(*y->a), by_county_score);
    for (size_t i = 0; i < y->n;) {
        const struct policy_assess *pa = &field_policy_map_at(pm, y->a[i].county)->assess;
        size_t j = i, given = 0, quota;
        while (j < y->n && y->a[j].county == y->a[i].county)
            j++;
        quota = (j - i) * (size_t)pa->excellent_percent / 100;
        for (size_t k = i; k < j; k++) {
            struct year_acc *a = &y->a[k];
            double sc = mean(a);
            int g = sc >= pa->excellent_min   ? 0
                    : sc >= pa->competent_min ? 1
                    : sc >= pa->basic_min     ? 2
                                              : 3;
            a->why[0] = '\0';
            if (a->step >= 3 && g < 2) {
                g = 2;
                snprintf(a->why, sizeof(a->why), "本年度受到处理");
            } else if (a->step >= 2 && g < 1) {
                g = 1;
                snprintf(a->why, sizeof(a->why), "本年度被约谈");
            }
            if (g == 0 && given >= quota) {
                g = 1;
                snprintf(a->why, sizeof(a->why), "超出优秀比例 (本县名额 %zu 名)", quota);
            }
            given += g == 0;
            a->grade = grade_zh[g];
        }
        i = j;
    }
}

/* Each cadre's grade of the year, but for one calibrated by hand or
 * confirmed (kept: the upsert's WHERE), without a read a cadre (the writes
 * go out together where the store defers them). */
static int put_grades(struct store *s, int year, struct year_run *y, struct zc_error *err)
{
    struct store_stmt *put = NULL;
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_GRADE_PUT, &put, err);
    for (size_t i = 0; rc == ZC_OK && i < y->n; i++) {
        const struct year_acc *a = &y->a[i];
        store_reset(put);
        store_bind_int(put, 1, a->cadre);
        store_bind_int(put, 2, year);
        store_bind_int(put, 3, a->county);
        store_bind_real(put, 4, mean(a));
        store_bind_cstr(put, 5, a->grade);
        store_bind_cstr(put, 6, a->grade);
        store_bind_cstr(put, 7, a->why);
        rc = store_run(put, err);
    }
    store_finalize(put);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

static int list_grades(struct store *s, const struct zc_scope *scope, int year,
                       const struct year_run *y,
                       int (*fn)(void *ud, const struct assess_grade_row *row), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_GRADE_LIST, &q, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_int(q, 1, year);
    assess_bind_scope(q, 2, scope);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct year_acc key = {.cadre = store_col_int(q, 0)};
        const struct year_acc *a =
            y && y->n ? bsearch(&key, y->a, y->n, sizeof(*y->a), by_cadre_acc) : NULL;
        struct assess_grade_row r = {
            .cadre = key.cadre,
            .county = store_col_int(q, 1),
            .score = store_col_real(q, 2),
            .proposed = store_col_text(q, 3),
            .grade = store_col_text(q, 4),
            .reason = store_col_text(q, 5),
            .confirmed = store_col_text(q, 6)[0] != '\0',
            .id_number = store_col_text(q, 7),
            .name = store_col_text(q, 8),
            .unit_name = store_col_text(q, 9),
            .village = store_col_int(q, 10),
            .village_name = store_col_text(q, 11),
            .months = a ? a->months : 0,
        };
        r.promote = strcmp(r.grade, "优秀") == 0 && (!a || a->step == 0);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

int assess_year(struct store *s, const struct field_policy_map *pm, const struct zc_scope *scope,
                int year, int (*fn)(void *ud, const struct assess_grade_row *row), void *ud,
                struct zc_error *err)
{
    struct year_run y = {0};
    char ym[8];
    int last = 12, rc = ZC_OK, ty, tm;
    if (year < 2000 || year > 2100)
        return zc_error_set(err, ZC_EINVAL, "year %d is out of range", year);
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot propose grades");
    assess_today_ym(&ty, &tm);
    /* The months that are over: the current one is not judged yet. */
    if (ty == year)
        last = tm - 1;
    if (ty < year || last < 1)
        return zc_error_set(err, ZC_EINVAL, "no month of %d is over yet (today is %04d-%02d)", year,
                            ty, tm);
    for (int m = 1; rc == ZC_OK && m <= last; m++) {
        snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)year % 10000u, (unsigned)m % 100u);
        rc = assess_month(s, pm, scope, ym, on_month_score, &y, err);
    }
    if (rc == ZC_OK) {
        fold(&y);
        rc = load_steps(s, scope, year, &y, err);
    }
    if (rc == ZC_OK) {
        propose(pm, &y);
        rc = put_grades(s, year, &y, err);
    }
    if (rc == ZC_OK) {
        if (y.n)
            qsort(y.a, y.n, sizeof(*y.a), by_cadre_acc);
        rc = list_grades(s, scope, year, &y, fn, ud, err);
    }
    free(y.a);
    return rc;
}

int assess_grade_set(struct store *s, const struct zc_scope *scope, int64_t cadre, int year,
                     const char *grade, const char *reason, const char *actor, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false, known = false;
    int rc;
    for (int i = 0; i < 4; i++)
        known |= grade && strcmp(grade, grade_zh[i]) == 0;
    if (!known)
        return zc_error_set(err, ZC_EINVAL,
                            "'%s' is not a grade; use 优秀, 称职, 基本称职 or 不称职",
                            grade ? grade : "");
    if (!reason || !reason[0])
        return zc_error_set(err, ZC_EINVAL, "a calibration gives its reason (--reason)");
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot change grades");
    rc = assess_prepare(s, AQ_GRADE_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_int(q, 2, year);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND,
                          "cadre %lld has no proposed grade for %d: run `zhucun assess year` first",
                          (long long)cadre, year);
    if (rc == ZC_OK && store_col_text(q, 2)[0])
        rc = zc_error_set(err, ZC_ECONFLICT, "the %d grade of cadre %lld was confirmed on %s", year,
                          (long long)cadre, store_col_text(q, 2));
    if (rc == ZC_OK && !zc_scope_has(scope, store_col_int(q, 3)))
        rc = zc_error_set(err, ZC_EFORBIDDEN,
                          "grades are calibrated by the county (or above) the cadre serves in");
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_GRADE_SET, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, grade);
        store_bind_cstr(q, 2, reason);
        store_bind_cstr(q, 3, actor);
        store_bind_int(q, 4, cadre);
        store_bind_int(q, 5, year);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

struct confirm_run {
    struct year_acc *a; /* cadre, county, grade index in months */
    size_t n, cap;
};

static int on_grade_row(void *ud, const struct assess_grade_row *r)
{
    struct confirm_run *c = ud;
    if (r->confirmed)
        return ZC_OK;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->a = zc_reallocarray(c->a, c->cap, sizeof(*c->a));
    }
    memset(&c->a[c->n], 0, sizeof(c->a[0]));
    c->a[c->n].cadre = r->cadre;
    c->a[c->n].county = r->county;
    for (int i = 0; i < 4; i++)
        if (strcmp(r->grade, grade_zh[i]) == 0)
            c->a[c->n].grade = grade_zh[i];
    c->n++;
    return ZC_OK;
}

static int by_county(const void *a, const void *b)
{
    const struct year_acc *x = a, *y = b;
    return (x->county > y->county) - (x->county < y->county);
}

int assess_year_confirm(struct store *s, const struct field_policy_map *pm,
                        const struct zc_scope *scope, int year, const char *actor, size_t *n,
                        struct zc_error *err)
{
    struct confirm_run c = {0};
    struct store_stmt *q = NULL;
    char now[20];
    int rc;
    (void)actor;
    *n = 0;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot confirm grades");
    rc = list_grades(s, scope, year, NULL, on_grade_row, &c, err);
    if (rc == ZC_OK && c.n == 0)
        rc =
            zc_error_set(err, ZC_ENOTFOUND,
                         "no unconfirmed grades for %d here: run `zhucun assess year` first", year);
    if (c.n)
        qsort(c.a, c.n, sizeof(*c.a), by_county);
    for (size_t i = 0; rc == ZC_OK && i < c.n;) {
        const struct policy *p = field_policy_map_at(pm, c.a[i].county);
        size_t j = i, top = 0, quota;
        while (j < c.n && c.a[j].county == c.a[i].county)
            top += c.a[j++].grade == grade_zh[0];
        quota = (j - i) * (size_t)p->assess.excellent_percent / 100;
        if (top > quota)
            rc = zc_error_set(err, ZC_EINVAL,
                              "county %lld: %zu cadres graded 优秀, the quota is %zu (%d%% of "
                              "%zu); change some grades with a reason before confirming",
                              (long long)(c.a[i].county / 1000000), top, quota,
                              p->assess.excellent_percent, j - i);
        i = j;
    }
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_GRADE_CONFIRM, &q, err);
    assess_now(now);
    for (size_t i = 0; rc == ZC_OK && i < c.n; i++) {
        rc = registry_grade_set(s, c.a[i].cadre, year, c.a[i].grade, err);
        if (rc == ZC_OK) {
            store_reset(q);
            store_bind_cstr(q, 1, now);
            store_bind_int(q, 2, c.a[i].cadre);
            store_bind_int(q, 3, year);
            rc = store_run(q, err);
        }
    }
    store_finalize(q);
    if (rc == ZC_OK && c.n) {
        rc = store_commit(s, err);
        *n = c.n;
    } else if (c.n) {
        store_rollback(s);
    }
    free(c.a);
    return rc;
}
