/* SPDX-License-Identifier: MIT */
/* figures.c - the figures of the home page, a village's team and a cadre's
 * profile, read from the store (figures.h; statements in report_sql.c).
 *
 * These are the numbers the reports quote: how many poor and deep-poverty
 * villages have a first secretary and a full team, how many cadres are
 * serving and from which kind of unit, their age and education make-up,
 * and the same coverage per division one level down (the "list of county
 * points" that stands in for a map, which we do not draw: China's map data
 * needs an approval number to publish).
 *
 * "Serving" means a posting begun by the day and not yet ended in a
 * village of the scope; without a day, an open posting (end_date IS NULL).
 * "Full team" means at least as many serving cadres as the default
 * policy's team size for the village's poverty class, so the home page and
 * `zhucun match` count a team the same way. Every figure is one aggregate
 * over the scope's code range, bound as parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/calendar.h"
#include "base/division.h"
#include "base/mem.h"
#include "figures.h"
#include "registry/registry.h"
#include "report_int.h"
#include "store/store.h"

/* ---- tables ------------------------------------------------------------------------- */

static void fig_init(struct fig_table *t, const struct fig_col *cols, size_t ncols)
{
    memset(t, 0, sizeof(*t));
    t->cols = cols;
    t->ncols = ncols;
}

const struct fig_cell *fig_at(const struct fig_table *t, size_t row, size_t col)
{
    return row < t->nrows && col < t->ncols ? &t->cells[row * t->ncols + col] : NULL;
}

int fig_col_of(const struct fig_table *t, const char *key)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return (int)i;
    return -1;
}

int64_t fig_int(const struct fig_table *t, size_t row, const char *key)
{
    int c = fig_col_of(t, key);
    const struct fig_cell *x = c >= 0 ? fig_at(t, row, (size_t)c) : NULL;
    return x && !x->null ? x->i : 0;
}

const char *fig_text(const struct fig_table *t, size_t row, const char *key)
{
    int c = fig_col_of(t, key);
    const struct fig_cell *x = c >= 0 ? fig_at(t, row, (size_t)c) : NULL;
    return x && !x->null ? x->s : NULL;
}

json_t *fig_row_json(const struct fig_table *t, size_t row)
{
    json_t *o = json_object();
    for (size_t i = 0; row < t->nrows && i < t->ncols; i++) {
        const struct fig_cell *x = fig_at(t, row, i);
        json_t *v = x->null                       ? json_null()
                    : t->cols[i].kind == FIG_INT  ? json_integer(x->i)
                    : t->cols[i].kind == FIG_REAL ? json_real(x->r)
                                                  : json_string(x->s);
        json_object_set_new(o, t->cols[i].key, v);
    }
    return o;
}

json_t *fig_json(const struct fig_table *t)
{
    json_t *a = json_array();
    for (size_t r = 0; r < t->nrows; r++)
        json_array_append_new(a, fig_row_json(t, r));
    return a;
}

void fig_table_fini(struct fig_table *t)
{
    for (size_t i = 0; t && i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    if (t) {
        free(t->cells);
        t->cells = NULL;
        t->nrows = t->cap = 0;
    }
}

/* Append every row of the prepared statement `st` (columns in the order of
 * t->cols), then finalize it. */
static int fig_fill(struct fig_table *t, struct store_stmt *st, struct zc_error *err)
{
    bool row = true;
    int rc = ZC_OK;
    while (rc == ZC_OK) {
        struct fig_cell *cell;
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        if (t->nrows == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 8;
            t->cells = zc_reallocarray(t->cells, t->cap * t->ncols, sizeof(*t->cells));
        }
        cell = &t->cells[t->nrows * t->ncols];
        memset(cell, 0, t->ncols * sizeof(*cell));
        for (size_t i = 0; i < t->ncols; i++) {
            int c = (int)i;
            cell[i].null = store_col_is_null(st, c);
            if (cell[i].null)
                continue;
            switch (t->cols[i].kind) {
            case FIG_INT:
                cell[i].i = store_col_int(st, c);
                break;
            case FIG_REAL:
                cell[i].r = store_col_real(st, c);
                break;
            case FIG_TEXT:
                cell[i].s = zc_strdup(store_col_text(st, c));
                break;
            case FIG_CODE: {
                char s[16];
                int64_t code = store_col_int(st, c);
                division_format(code, division_level_of(code), s);
                cell[i].s = zc_strdup(s);
                break;
            }
            }
        }
        t->nrows++;
    }
    store_finalize(st);
    return rc;
}

/* Run query `q` with its leading parameters bound (texts where `kinds` has
 * 's', integers where 'i'), appending its rows to t. */
static int fig_query(struct store *s, enum report_query q, struct fig_table *t, const char *kinds,
                     const char *const *texts, const int64_t *ints, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = report_prepare(s, q, &st, err);
    if (rc != ZC_OK) {
        store_finalize(st);
        return rc;
    }
    for (int i = 0; kinds[i]; i++) {
        if (kinds[i] == 's')
            store_bind_cstr(st, i + 1, texts[i]);
        else
            store_bind_int(st, i + 1, ints[i]);
    }
    return fig_fill(t, st, err);
}

#define NCOLS(a) (sizeof(a) / sizeof(a[0]))

/* ---- days ------------------------------------------------------------------------------ */

void report_today(char out[16])
{
    const char *env = getenv("ZHUCUN_TODAY");
    int y, m, d;
    if (env && sscanf(env, "%4d-%2d-%2d", &y, &m, &d) == 3 && y > 1900 && m >= 1 && m <= 12 &&
        d >= 1 && d <= 31) {
        snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(out, 16, "%Y-%m-%d", &tm);
    }
}

/* `day` (YYYY-MM-DD) n years earlier, as SQLite's date(day, '-N years')
 * gives it (29 February of a year that has none is 1 March), computed here
 * so that the SQL needs no date modifiers. Returns out. */
static const char *years_before(const char *day, int n, char out[16])
{
    int y = 0, m = 0, d = 0;
    if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
        snprintf(out, 16, "%s", day);
        return out;
    }
    y -= n;
    if (d > cal_month_days(y, m)) { /* 02-29 */
        d -= cal_month_days(y, m);
        m++;
    }
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return out;
}

/* Powers of ten that cut a 12-digit code down to a division of `level`. */
static long long level_unit(enum division_level level)
{
    switch (level) {
    case DIV_PROVINCE:
        return 10000000000LL;
    case DIV_CITY:
        return 100000000LL;
    case DIV_COUNTY:
        return 1000000LL;
    case DIV_TOWNSHIP:
        return 1000LL;
    case DIV_VILLAGE:
        break;
    }
    return 1;
}

/* ---- the overview ---------------------------------------------------------------------- */

static const struct fig_col cov_cols[] = {
    {"poverty", FIG_TEXT},    {"villages", FIG_INT},  {"first_secretary", FIG_INT},
    {"full_team", FIG_INT},   {"with_team", FIG_INT}, {"poor_households", FIG_INT},
    {"poor_people", FIG_INT},
};
static const struct fig_col cadre_cols[] = {
    {"serving", FIG_INT},       {"first_secretaries", FIG_INT},
    {"party_members", FIG_INT}, {"reserve", FIG_INT},
    {"female", FIG_INT},        {"units", FIG_INT},
    {"villages", FIG_INT},      {"under_45", FIG_INT},
    {"bachelor_plus", FIG_INT}, {"in_villages", FIG_INT},
};
static const struct fig_col category_cols[] = {{"category", FIG_TEXT}, {"cadres", FIG_INT}};
static const struct fig_col level_cols[] = {{"level", FIG_TEXT}, {"cadres", FIG_INT}};
static const struct fig_col unit_cols[] = {
    {"unit", FIG_TEXT}, {"name", FIG_TEXT}, {"category", FIG_TEXT}, {"cadres", FIG_INT}};
static const struct fig_col age_cols[] = {{"band", FIG_TEXT}, {"cadres", FIG_INT}};
static const struct fig_col edu_cols[] = {{"education", FIG_TEXT}, {"cadres", FIG_INT}};
static const struct fig_col area_cols[] = {
    {"code", FIG_CODE}, {"name", FIG_TEXT},   {"villages", FIG_INT},  {"poor", FIG_INT},
    {"deep", FIG_INT},  {"covered", FIG_INT}, {"full_team", FIG_INT}, {"serving", FIG_INT},
    {"lat", FIG_REAL},  {"lng", FIG_REAL},
};

void report_overview_free(struct report_overview *ov)
{
    if (!ov)
        return;
    fig_table_fini(&ov->coverage);
    fig_table_fini(&ov->cadres);
    fig_table_fini(&ov->by_category);
    fig_table_fini(&ov->by_level);
    fig_table_fini(&ov->by_unit);
    fig_table_fini(&ov->by_age);
    fig_table_fini(&ov->by_education);
    fig_table_fini(&ov->areas);
    free(ov);
}

int report_overview(struct store *s, const struct zc_scope *scope, const struct report_opts *o,
                    struct report_overview **out, struct zc_error *err)
{
    struct report_overview *ov;
    struct policy pol;
    enum division_level level = (enum division_level)scope->level;
    const char *day;
    char y35[16], y45[16], y55[16];
    const char *t[7];
    int64_t n[7];
    int rc = ZC_OK;

    *out = NULL;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account has no jurisdiction to summarise");
    ov = zc_calloc(1, sizeof(*ov));
    fig_init(&ov->coverage, cov_cols, NCOLS(cov_cols));
    fig_init(&ov->cadres, cadre_cols, NCOLS(cadre_cols));
    fig_init(&ov->by_category, category_cols, NCOLS(category_cols));
    fig_init(&ov->by_level, level_cols, NCOLS(level_cols));
    fig_init(&ov->by_unit, unit_cols, NCOLS(unit_cols));
    fig_init(&ov->by_age, age_cols, NCOLS(age_cols));
    fig_init(&ov->by_education, edu_cols, NCOLS(edu_cols));
    fig_init(&ov->areas, area_cols, NCOLS(area_cols));
    ov->level = (int)level;
    policy_defaults(&pol);
    ov->team_size[0] = pol.team.size[PV_NONE];
    ov->team_size[1] = pol.team.size[PV_POOR];
    ov->team_size[2] = pol.team.size[PV_DEEP];
    if (o && o->date)
        snprintf(ov->today, sizeof(ov->today), "%s", o->date);
    else {
        char today[16];
        report_today(today);
        memcpy(ov->today, today, 10);
        ov->today[10] = '\0';
    }
    /* The overview counts who serves on its day, today when none is given:
     * a published order whose postings start next week is not yet 在岗 (the
     * team page lists those members, tagged 待到村). */
    day = ov->today;
    if (level) {
        struct store_stmt *st = NULL;
        bool row = false;
        division_format(scope->lo, level, ov->scope);
        if (report_prepare(s, RQ_DIVISION_NAME, &st, err) == ZC_OK) {
            store_bind_int(st, 1, scope->lo);
            if (store_step(st, &row, err) == ZC_OK && row)
                snprintf(ov->name, sizeof(ov->name), "%s", store_col_text(st, 0));
        }
        store_finalize(st);
    }
    /* Every query starts with the day and the code range. */
    t[0] = day, n[1] = scope->lo, n[2] = scope->hi;
    n[3] = ov->team_size[2], n[4] = ov->team_size[1], n[5] = ov->team_size[0];
    rc = fig_query(s, RQ_COVERAGE, &ov->coverage, "siiiii", t, n, err);
    t[3] = years_before(ov->today, 45, y45);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_CADRES, &ov->cadres, "siis", t, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_BY_CATEGORY, &ov->by_category, "sii", t, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_BY_LEVEL, &ov->by_level, "sii", t, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_BY_UNIT, &ov->by_unit, "sii", t, n, err);
    t[3] = years_before(ov->today, 35, y35);
    t[4] = y45;
    t[5] = years_before(ov->today, 55, y55);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_BY_AGE, &ov->by_age, "siisss", t, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_BY_EDUCATION, &ov->by_education, "sii", t, n, err);
    /* One level down: coverage per division, with the mean position of its
     * villages (a point, never a boundary). Villages group by the prefix of
     * their code, so this is one aggregate however large the scope. */
    n[3] = level ? level_unit(level < DIV_VILLAGE ? (enum division_level)(level + 1) : DIV_VILLAGE)
                 : level_unit(DIV_PROVINCE);
    n[4] = ov->team_size[2], n[5] = ov->team_size[1];
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_AREAS, &ov->areas, "siiiii", t, n, err);
    if (rc != ZC_OK) {
        report_overview_free(ov);
        return rc;
    }
    *out = ov;
    return ZC_OK;
}

json_t *report_overview_json(const struct report_overview *ov)
{
    json_t *o =
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:{s:i, s:i, s:i}}", "scope", ov->scope, "name",
                  ov->name, "level", ov->level, "today", ov->today, "as_of", ov->today, "team_size",
                  "none", ov->team_size[0], "poor", ov->team_size[1], "deep", ov->team_size[2]);
    json_object_set_new(o, "coverage", fig_json(&ov->coverage));
    json_object_set_new(o, "cadres", fig_row_json(&ov->cadres, 0));
    json_object_set_new(o, "by_category", fig_json(&ov->by_category));
    json_object_set_new(o, "by_level", fig_json(&ov->by_level));
    json_object_set_new(o, "by_unit", fig_json(&ov->by_unit));
    json_object_set_new(o, "by_age", fig_json(&ov->by_age));
    json_object_set_new(o, "by_education", fig_json(&ov->by_education));
    json_object_set_new(o, "areas", fig_json(&ov->areas));
    return o;
}

/* ---- a village's team ------------------------------------------------------------------ */

static const struct fig_col posting_cols[] = {
    {"cadre", FIG_INT},     {"name", FIG_TEXT},     {"unit", FIG_TEXT},  {"unit_name", FIG_TEXT},
    {"category", FIG_TEXT}, {"role", FIG_TEXT},     {"start", FIG_TEXT}, {"end", FIG_TEXT},
    {"order", FIG_TEXT},    {"term_end", FIG_TEXT},
};
static const struct fig_col household_cols[] = {
    {"status", FIG_TEXT}, {"households", FIG_INT}, {"members", FIG_INT}};
static const struct fig_col recall_cols[] = {{"cadre", FIG_INT},
                                             {"name", FIG_TEXT},
                                             {"date", FIG_TEXT},
                                             {"reason", FIG_TEXT},
                                             {"role", FIG_TEXT}};

void report_team_free(struct report_team *t)
{
    if (!t)
        return;
    fig_table_fini(&t->team);
    fig_table_fini(&t->history);
    fig_table_fini(&t->recalls);
    fig_table_fini(&t->households);
    free(t);
}

int report_team(struct store *s, const struct zc_scope *scope, int64_t village,
                const struct report_opts *o, struct report_team **out, struct zc_error *err)
{
    struct report_team *t = zc_calloc(1, sizeof(*t));
    const char *txt[2] = {NULL, o && o->date ? o->date : REPORT_NO_DAY};
    int64_t n[1] = {village};
    int rc;
    *out = NULL;
    fig_init(&t->team, posting_cols, NCOLS(posting_cols));
    fig_init(&t->history, posting_cols, NCOLS(posting_cols));
    fig_init(&t->recalls, recall_cols, NCOLS(recall_cols));
    fig_init(&t->households, household_cols, NCOLS(household_cols));
    t->village = village;
    if (o && o->date)
        snprintf(t->as_of, sizeof(t->as_of), "%s", o->date);
    /* The village, if the caller sees it, with its name (for the workbook). */
    rc = registry_village_name(s, scope, village, t->name, sizeof(t->name), err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_TEAM, &t->team, "is", txt, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_HISTORY, &t->history, "is", txt, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_RECALLS, &t->recalls, "i", txt, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_HOUSEHOLDS, &t->households, "i", txt, n, err);
    if (rc != ZC_OK) {
        report_team_free(t);
        return rc;
    }
    *out = t;
    return ZC_OK;
}

json_t *report_team_json(const struct report_team *t)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:s?}", "team", fig_json(&t->team), "history",
                     fig_json(&t->history), "recalls", fig_json(&t->recalls), "households",
                     fig_json(&t->households), "as_of", t->as_of[0] ? t->as_of : NULL);
}

/* ---- a cadre's profile ----------------------------------------------------------------- */

static const struct fig_col grade_cols[] = {{"year", FIG_INT}, {"grade", FIG_TEXT}};
static const struct fig_col disc_cols[] = {{"year", FIG_INT}, {"kind", FIG_TEXT}};
static const struct fig_col post_cols[] = {
    {"village", FIG_INT},    {"village_name", FIG_TEXT}, {"role", FIG_TEXT},
    {"start", FIG_TEXT},     {"end", FIG_TEXT},          {"order", FIG_TEXT},
    {"term_years", FIG_INT}, {"term_end", FIG_TEXT},
};

static int elig_one(void *ud, const struct eligible_cadre *c, const struct eligible_result *res)
{
    struct report_profile *pr = ud;
    if (c->id == pr->cadre) {
        pr->found = true;
        pr->elig = *res;
    }
    return ZC_OK;
}

void report_profile_free(struct report_profile *pr)
{
    if (!pr)
        return;
    fig_table_fini(&pr->grades);
    fig_table_fini(&pr->discipline);
    fig_table_fini(&pr->postings);
    free(pr);
}

int report_profile(struct store *s, const struct zc_scope *scope, const struct policy *p,
                   int64_t id, struct report_profile **out, struct zc_error *err)
{
    struct report_profile *pr = zc_calloc(1, sizeof(*pr));
    struct eligible_scan_opts so;
    const char *txt[1] = {NULL};
    int64_t n[1] = {id};
    int rc;
    *out = NULL;
    fig_init(&pr->grades, grade_cols, NCOLS(grade_cols));
    fig_init(&pr->discipline, disc_cols, NCOLS(disc_cols));
    fig_init(&pr->postings, post_cols, NCOLS(post_cols));
    pr->cadre = id;
    snprintf(pr->policy, sizeof(pr->policy), "%s", p->name);
    rc = id > 0 ? registry_cadre_in_scope(s, scope, pr->cadre, pr->unit, sizeof(pr->unit), err)
                : zc_error_set(err, ZC_ENOTFOUND, "no cadre %lld", (long long)id);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_GRADES, &pr->grades, "i", txt, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_DISCIPLINE, &pr->discipline, "i", txt, n, err);
    if (rc == ZC_OK)
        rc = fig_query(s, RQ_POSTINGS, &pr->postings, "i", txt, n, err);
    /* Eligibility under the policy, as `zhucun eligible` judges it; the
     * scan is limited to the cadre's unit. */
    memset(&so, 0, sizeof(so));
    so.unit = pr->unit;
    if (rc == ZC_OK)
        rc = eligible_scan(s, p, &so, elig_one, pr, err);
    if (rc != ZC_OK) {
        report_profile_free(pr);
        return rc;
    }
    *out = pr;
    return ZC_OK;
}

json_t *report_profile_json(const struct report_profile *pr)
{
    json_t *reasons = json_array();
    for (size_t i = 0; pr->found && i < pr->elig.nreasons; i++) {
        char zh[256], en[256];
        eligible_reason_text(&pr->elig.reasons[i], true, zh, sizeof(zh));
        eligible_reason_text(&pr->elig.reasons[i], false, en, sizeof(en));
        json_array_append_new(reasons, json_pack("{s:s, s:s, s:s}", "code",
                                                 eligible_code_name(pr->elig.reasons[i].code), "zh",
                                                 zh, "en", en));
    }
    return json_pack("{s:{s:s, s:b, s:i, s:o}, s:o, s:o, s:o}", "eligibility", "policy", pr->policy,
                     "eligible", pr->found && pr->elig.ok, "age", pr->found ? pr->elig.age : -1,
                     "reasons", reasons, "grades", fig_json(&pr->grades), "discipline",
                     fig_json(&pr->discipline), "postings", fig_json(&pr->postings));
}
