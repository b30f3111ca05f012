/* SPDX-License-Identifier: MIT */
/* tasks.c - the quarterly task lists (季度任务清单) of the teams: derived
 * from what the village needs (its governance states and planned
 * industries, from the village ledger) and from its households' plans
 * (一户一策: the open measures due by the quarter's end), kept as tasks
 * with deadlines and closed, as typed ones are, with evidence
 * (assess_task_done). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/mem.h"

/* "2018-Q3" -> 2018-07-01 .. 2018-09-30. */
static bool quarter_days(const char *quarter, char first[11], char last[11])
{
    int y, n;
    char tail, ym[8], other[11];
    if (!quarter || strlen(quarter) != 7 || sscanf(quarter, "%4d-Q%1d%c", &y, &n, &tail) != 2 ||
        n < 1 || n > 4 || y < 2000 || y > 2100)
        return false;
    snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)y % 10000u, (unsigned)(n * 3 - 2) % 100u);
    if (!assess_month_days(ym, first, other))
        return false;
    snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)y % 10000u, (unsigned)(n * 3) % 100u);
    return assess_month_days(ym, other, last);
}

/* The needs of a village with a team, as tasks. */
static const char *const state_task[4][2] = {
    {"软", "整顿软弱涣散村党组织：落实“三会一课”，配强村“两委”班子"},
    {"穷", "发展壮大村集体经济：落实本季度增收项目"},
    {"乱", "排查化解矛盾纠纷，落实综治维稳措施"},
    {"弱", "补齐农业短板：开展实用技术培训和农技服务"},
};

struct derive {
    struct store *s;
    struct store_stmt *ins;
    const char *quarter, *actor;
    size_t added;
};

static int add_task(struct derive *d, int64_t village, const char *text, const char *due,
                    const char *source, struct zc_error *err)
{
    bool row = false;
    int rc;
    store_reset(d->ins);
    store_bind_int(d->ins, 1, village);
    store_bind_cstr(d->ins, 2, d->quarter);
    store_bind_cstr(d->ins, 3, text);
    store_bind_cstr(d->ins, 4, due);
    store_bind_cstr(d->ins, 5, d->actor);
    store_bind_cstr(d->ins, 6, source);
    rc = store_step(d->ins, &row, err);
    d->added += rc == ZC_OK && row;
    return rc;
}

static int village_needs(struct derive *d, int64_t village, int states, const char *industries,
                         const char *last, struct zc_error *err)
{
    char text[256], source[96];
    int rc = ZC_OK;
    for (int i = 0; rc == ZC_OK && i < 4; i++) {
        if (!(states & (1 << i)))
            continue;
        snprintf(source, sizeof(source), "need:%s", state_task[i][0]);
        rc = add_task(d, village, state_task[i][1], last, source, err);
    }
    for (const char *p = industries; rc == ZC_OK && p && *p;) {
        const char *e = strchr(p, ';');
        int n = (int)(e ? (size_t)(e - p) : strlen(p));
        if (n > 0 && n < 64) {
            snprintf(text, sizeof(text), "推进“%.*s”产业发展：对接技术、资金和销路", n, p);
            snprintf(source, sizeof(source), "industry:%.*s", n, p);
            rc = add_task(d, village, text, last, source, err);
        }
        p = e ? e + 1 : p + strlen(p);
    }
    return rc;
}

struct team {
    int64_t village;
};

int assess_task_derive(struct store *s, const struct zc_scope *scope, const char *quarter,
                       const char *actor, size_t *added, size_t *teams, struct zc_error *err)
{
    struct derive d = {s, NULL, quarter, actor, 0};
    struct store_stmt *q = NULL;
    struct team *t = NULL;
    size_t nt = 0, cap = 0;
    char first[11], last[11];
    bool row = false;
    int rc;
    *added = *teams = 0;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot set the team's tasks");
    if (!quarter_days(quarter, first, last))
        return zc_error_set(err, ZC_EINVAL, "quarter '%s' is not YYYY-Qn (e.g. 2018-Q3)",
                            quarter ? quarter : "");
    rc = assess_prepare(s, AQ_TASK_DERIVE, &d.ins, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_TASK_TEAMS, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        char *ind = zc_strdup(store_col_text(q, 2));
        int64_t v = store_col_int(q, 0);
        int states = (int)store_col_int(q, 1);
        if (nt == cap) {
            cap = cap ? cap * 2 : 64;
            t = zc_realloc(t, cap * sizeof(*t));
        }
        t[nt++].village = v;
        rc = village_needs(&d, v, states, ind, last, err);
        free(ind);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_TASK_MEASURES, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
    }
    size_t k = 0; /* both lists come by village */
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        int64_t v = store_col_int(q, 0);
        while (k < nt && t[k].village < v)
            k++;
        if (k == nt || t[k].village != v)
            continue; /* no team there this quarter */
        char kind[48], text[256], source[96], due[11];
        int open = (int)store_col_int(q, 2), overdue = (int)store_col_int(q, 3);
        snprintf(kind, sizeof(kind), "%s", store_col_text(q, 1));
        snprintf(due, sizeof(due), "%s", store_col_text(q, 4));
        if (strcmp(due, first) < 0)
            memcpy(due, last, sizeof(due));
        if (overdue)
            snprintf(text, sizeof(text), "落实一户一策“%s”措施：%d 项待完成（其中逾期 %d 项）",
                     kind, open, overdue);
        else
            snprintf(text, sizeof(text), "落实一户一策“%s”措施：%d 项待完成", kind, open);
        snprintf(source, sizeof(source), "plan:%s", kind);
        rc = add_task(&d, v, text, due, source, err);
    }
    store_finalize(q);
    store_finalize(d.ins);
    free(t);
    if (rc == ZC_OK) {
        *added = d.added;
        *teams = nt;
    }
    return rc;
}

int assess_task_list(struct store *s, const struct zc_scope *scope, const char *quarter,
                     int (*fn)(void *ud, const struct assess_task_row *row), void *ud,
                     struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char first[11], last[11], today[11];
    bool row = false;
    int rc;
    if (!quarter_days(quarter, first, last))
        return zc_error_set(err, ZC_EINVAL, "quarter '%s' is not YYYY-Qn (e.g. 2018-Q3)",
                            quarter ? quarter : "");
    assess_today(today);
    rc = assess_prepare(s, AQ_TASK_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, quarter);
        store_bind_int(q, 2, scope->lo);
        store_bind_int(q, 3, scope->hi);
        store_bind_int(q, 4, scope->cadre); /* -1 (linked to nobody): none */
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_task_row r = {
            .id = store_col_int(q, 0),
            .village = store_col_int(q, 1),
            .village_name = store_col_text(q, 2),
            .quarter = store_col_text(q, 3),
            .text = store_col_text(q, 4),
            .due = store_col_text(q, 5),
            .done_at = store_col_text(q, 6),
            .evidence = store_col_text(q, 7),
            .source = store_col_text(q, 8),
        };
        r.status = r.done_at[0] ? "done" : strcmp(r.due, today) < 0 ? "overdue" : "open";
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}
