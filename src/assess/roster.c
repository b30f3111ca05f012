/* SPDX-License-Identifier: MIT */
/* roster.c - the month every assessment starts from, and small helpers.
 *
 * The residence ledger (field_presence) names who was stationed where and
 * how the rule went; the cases, the diary and visit counts (field work),
 * and the findings and overdue tickets (this module) are joined to it by
 * cadre id. The sample, the negative list, the monthly score and the funds
 * statement all read this one structure, so they cannot disagree on who
 * was stationed or what the evidence was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/calendar.h"
#include "base/mem.h"
#include "field/field.h"

void assess_bind_scope(struct store_stmt *q, int idx, const struct zc_scope *scope)
{
    store_bind_int(q, idx, scope->lo);
    store_bind_int(q, idx + 1, scope->hi);
    store_bind_int(q, idx + 2, scope->cadre != 0 ? scope->cadre : 0);
    store_bind_int(q, idx + 3, scope->cadre != 0 ? scope->cadre : INT64_MAX);
}

int assess_check_scope(const struct zc_scope *scope, int64_t village, int64_t cadre,
                       struct zc_error *err)
{
    if (!zc_scope_has(scope, village))
        return zc_error_set(err, ZC_EFORBIDDEN, "village %lld is outside your jurisdiction",
                            (long long)village);
    if (scope->cadre != 0 && scope->cadre != cadre)
        return zc_error_set(err, ZC_EFORBIDDEN, "this record is not your own");
    return ZC_OK;
}

void assess_now(char out[20])
{
    field_now(out);
}

void assess_today(char out[11])
{
    char now[20];
    field_now(now);
    memcpy(out, now, 10);
    out[10] = '\0';
}

void assess_today_ym(int *y, int *m)
{
    char today[11];
    assess_today(today);
    if (sscanf(today, "%4d-%2d", y, m) != 2)
        *y = *m = 0;
}

static bool parse_day(const char *s, int *y, int *m, int *d)
{
    char tail;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3)
        return false;
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= cal_month_days(*y, *m) && *y >= 1900;
}

bool assess_day_ok(const char *day)
{
    int y, m, d;
    return parse_day(day, &y, &m, &d);
}

bool assess_day_add(const char *day, int n, char out[11])
{
    int y, m, d;
    if (!parse_day(day, &y, &m, &d))
        return false;
    field_date_text(cal_days(y, m, d) + n, out);
    return true;
}

bool assess_month_add(const char *ym, int delta, char out[8])
{
    int y, m;
    char tail;
    if (!ym || strlen(ym) != 7 || sscanf(ym, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12)
        return false;
    int k = y * 12 + (m - 1) + delta;
    snprintf(out, 8, "%04u-%02u", (unsigned)(k / 12) % 10000u, (unsigned)(k % 12 + 1) % 100u);
    return true;
}

bool assess_month_days(const char *ym, char first[11], char last[11])
{
    int64_t d0;
    int n;
    if (!field_month_range(ym, &d0, &n))
        return false;
    field_date_text(d0, first);
    field_date_text(d0 + n - 1, last);
    return true;
}

const char *assess_code_name(const char *const (*map)[2], size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(code, map[i][0]) == 0)
            return map[i][1];
    return code;
}

int64_t assess_county_of(int64_t village)
{
    return village / 1000000 * 1000000;
}

/* ---- the roster ----------------------------------------------------------------------- */

static int by_cadre(const void *a, const void *b)
{
    const struct roster_cadre *x = a, *y = b;
    return (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

struct roster_cadre *roster_find(struct roster *r, int64_t cadre)
{
    struct roster_cadre key = {.cadre = cadre};
    return r->n ? bsearch(&key, r->c, r->n, sizeof(*r->c), by_cadre) : NULL;
}

/* A case (not dismissed, of its pass's villages) kept until the ledger is
 * complete (its cadres sorted and deduplicated): what on_case reads of it. */
struct kept_case {
    int64_t cadre;
    char day[11];
    char rule[32];
    bool confirmed;
};

/* One pass of the ledger under one policy: only the villages that follow
 * it (`pm` NULL: every village). */
struct pass {
    struct roster *r;
    const struct field_policy_map *pm;
    const struct policy *p;
    struct kept_case *kc;
    size_t nkc, ckc;
};

static int on_presence(void *ud, const struct field_presence_row *p)
{
    struct pass *ps = ud;
    struct roster *r = ps->r;
    struct roster_cadre *c;
    if (ps->pm && field_policy_map_at(ps->pm, p->village) != ps->p)
        return ZC_OK; /* another pass judges this village */
    if (r->n && r->c[r->n - 1].cadre == p->cadre)
        return ZC_OK; /* moved village within the month: the first posting counts */
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->c = zc_reallocarray(r->c, r->cap, sizeof(*r->c));
    }
    c = &r->c[r->n++];
    memset(c, 0, sizeof(*c));
    c->cadre = p->cadre;
    c->village = p->village;
    c->id_number = zc_strdup(p->id_number);
    c->name = zc_strdup(p->name);
    c->village_name = zc_strdup(p->village_name);
    c->unit_name = zc_strdup(p->unit_name);
    c->posted_days = p->posted_days;
    c->days = p->days;
    c->nights = p->nights;
    c->leave_days = p->leave_days;
    c->trip_days = p->trip_days;
    c->required_days = p->required_days;
    c->weeks_failed = p->weeks_failed;
    c->ndays = p->ndays;
    c->ok = p->ok;
    c->subsidy_fen = p->subsidy_fen;
    return ZC_OK;
}

static int keep_case(void *ud, const struct field_case *k)
{
    struct pass *ps = ud;
    struct kept_case *c;
    if (k->dismissed || (ps->pm && field_policy_map_at(ps->pm, k->village) != ps->p))
        return ZC_OK;
    if (ps->nkc == ps->ckc) {
        ps->ckc = ps->ckc ? ps->ckc * 2 : 64;
        ps->kc = zc_reallocarray(ps->kc, ps->ckc, sizeof(*ps->kc));
    }
    c = &ps->kc[ps->nkc++];
    memset(c, 0, sizeof(*c));
    c->cadre = k->cadre;
    snprintf(c->day, sizeof(c->day), "%s", k->day);
    snprintf(c->rule, sizeof(c->rule), "%s", k->rule);
    c->confirmed = k->confirmed;
    return ZC_OK;
}

static void on_case(struct roster *r, const struct kept_case *k)
{
    struct roster_cadre *c = roster_find(r, k->cadre);
    if (!c)
        return;
    c->cases++;
    if (!k->confirmed)
        return;
    c->confirmed++;
    if (c->confirmed <= 3) {
        size_t old = c->case_detail ? strlen(c->case_detail) : 0;
        const char *rule = field_case_rule_name(k->rule);
        size_t add = strlen(k->day) + strlen(rule) + 8;
        c->case_detail = zc_realloc(c->case_detail, old + add);
        snprintf(c->case_detail + old, add, "%s%s %s", old ? "; " : "", k->day, rule);
    }
}

static int on_work(void *ud, const struct field_work_row *w)
{
    struct roster_cadre *c = roster_find(ud, w->cadre);
    if (c) {
        c->diaries = w->diaries;
        c->visits = w->visits;
        c->households = w->households;
    }
    return ZC_OK;
}

/* Findings in [from, to] per cadre; month findings also keep one text. */
static int count_findings(struct store *s, struct roster *r, const struct zc_scope *scope,
                          const char *from, const char *to, bool month, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, month ? AQ_FINDINGS_MONTH : AQ_FINDINGS_SINCE, &q, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_cstr(q, 1, from);
    store_bind_cstr(q, 2, to);
    assess_bind_scope(q, 3, scope);
    while ((rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct roster_cadre *c = roster_find(r, store_col_int(q, 0));
        if (!c)
            continue;
        if (month) {
            c->findings = (int)store_col_int(q, 1);
            c->finding_text = zc_strdup(store_col_text(q, 2));
        } else {
            c->findings_year = (int)store_col_int(q, 1);
        }
    }
    store_finalize(q);
    return rc;
}

static int count_overdue(struct store *s, struct roster *r, const struct zc_scope *scope,
                         const char *cutoff, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_OVERDUE_BY_CADRE, &q, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_cstr(q, 1, cutoff);
    assess_bind_scope(q, 2, scope);
    while ((rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct roster_cadre *c = roster_find(r, store_col_int(q, 0));
        if (c)
            c->overdue = (int)store_col_int(q, 1);
    }
    store_finalize(q);
    return rc;
}

static void roster_fini_rows(struct roster *r);

/* Keep one row per cadre when two passes listed one (a move within the
 * month between villages that follow different policies): either posting
 * is one of the month's, as a single pass would keep its first. */
static void dedupe(struct roster *r)
{
    size_t o = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (o && r->c[o - 1].cadre == r->c[i].cadre) {
            struct roster one = {.c = &r->c[i], .n = 1};
            roster_fini_rows(&one);
            continue;
        }
        r->c[o++] = r->c[i];
    }
    r->n = o;
}

/* Pass `i` of the ledger: the policy and the area it governs (pass 0: the
 * whole scope under the policy over it; then each area chosen inside). */
static void pass_at(struct pass *ps, const struct field_policy_map *pm, size_t i,
                    const struct zc_scope *scope, struct zc_scope *sc)
{
    *sc = *scope;
    if (pm && i > 0) {
        sc->lo = pm->area[i - 1].lo;
        sc->hi = pm->area[i - 1].hi;
        sc->level = pm->area[i - 1].level;
        ps->p = pm->area[i - 1].p;
    } else if (pm) {
        ps->p = pm->base;
    }
}

/* The ledger and the cases of the month, one pass per policy of `pm`, or
 * one pass under `p` when pm is NULL. */
static int load_ledger(struct store *s, const struct policy *p, const struct field_policy_map *pm,
                       const struct zc_scope *scope, const char *ym, struct roster *out,
                       struct zc_error *err)
{
    size_t passes = pm ? pm->n + 1 : 1;
    struct pass ps = {.r = out, .pm = pm, .p = p};
    struct zc_scope sc;
    int rc = ZC_OK;
    for (size_t i = 0; rc == ZC_OK && i < passes; i++) {
        pass_at(&ps, pm, i, scope, &sc);
        rc = field_presence_cases(s, ps.p, &sc, ym, on_presence, keep_case, &ps, err);
    }
    if (rc == ZC_OK && out->n) {
        qsort(out->c, out->n, sizeof(*out->c), by_cadre);
        dedupe(out);
    }
    /* In the order the passes found them, as when each pass's cases were
     * read after the whole ledger. */
    for (size_t i = 0; rc == ZC_OK && i < ps.nkc; i++)
        on_case(out, &ps.kc[i]);
    free(ps.kc);
    return rc;
}

static int roster_load_with(struct store *s, const struct policy *p,
                            const struct field_policy_map *pm, const struct zc_scope *scope,
                            const char *ym, struct roster *out, struct zc_error *err);

int roster_load(struct store *s, const struct policy *p, const struct zc_scope *scope,
                const char *ym, struct roster *out, struct zc_error *err)
{
    return roster_load_with(s, p, NULL, scope, ym, out, err);
}

int roster_load_map(struct store *s, const struct field_policy_map *pm,
                    const struct zc_scope *scope, const char *ym, struct roster *out,
                    struct zc_error *err)
{
    return roster_load_with(s, pm->base, pm->n ? pm : NULL, scope, ym, out, err);
}

static int roster_load_with(struct store *s, const struct policy *p,
                            const struct field_policy_map *pm, const struct zc_scope *scope,
                            const char *ym, struct roster *out, struct zc_error *err)
{
    char first[11], last[11], year_ago[8], from[11], unused[11], today[11];
    const char *cutoff;
    int rc;
    memset(out, 0, sizeof(*out));
    if (!assess_month_days(ym, first, last) || !assess_month_add(ym, -11, year_ago) ||
        !assess_month_days(year_ago, from, unused))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    rc = load_ledger(s, p, pm, scope, ym, out, err);
    if (rc == ZC_OK && out->n)
        rc = field_month_work(s, scope, ym, on_work, out, err);
    if (rc == ZC_OK && out->n)
        rc = count_findings(s, out, scope, first, last, true, err);
    if (rc == ZC_OK && out->n)
        rc = count_findings(s, out, scope, from, last, false, err);
    /* Overdue as of the month's end, or today for the month under way. */
    assess_today(today);
    cutoff = strcmp(today, last) < 0 ? today : last;
    if (rc == ZC_OK && out->n)
        rc = count_overdue(s, out, scope, cutoff, err);
    if (rc != ZC_OK)
        roster_fini(out);
    return rc;
}

static void roster_fini_rows(struct roster *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->c[i].id_number);
        free(r->c[i].name);
        free(r->c[i].village_name);
        free(r->c[i].unit_name);
        free(r->c[i].case_detail);
        free(r->c[i].finding_text);
    }
}

void roster_fini(struct roster *r)
{
    roster_fini_rows(r);
    free(r->c);
    memset(r, 0, sizeof(*r));
}
