/* SPDX-License-Identifier: MIT */
/* attribution.c - outcome attribution (issue 14): each team village's
 * change in incidence against comparable villages without a team (same
 * county, same ledger class, similar baseline incidence). The incidence of
 * each year is outcome_list()'s, so the figures agree with `zhucun
 * outcomes` for either year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"
#include "field/field.h"
#include "outcome_int.h"
#include "store/store.h"

struct vrow {
    int64_t code;
    char *name;
    bool has;
    int bp;
};

struct vlist {
    struct vrow *v;
    size_t n, cap;
    char *county_name[64];
    int64_t county_code[64];
    size_t ncounties;
};

static int keep_village(void *ud, const struct outcome_row *row)
{
    struct vlist *l = ud;
    if (row->level == DIV_COUNTY && l->ncounties < 64) {
        l->county_code[l->ncounties] = row->code;
        l->county_name[l->ncounties++] = zc_strdup(row->name);
    }
    if (row->level != DIV_VILLAGE)
        return ZC_OK;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = zc_realloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] =
        (struct vrow){row->code, zc_strdup(row->name), row->has_incidence, row->incidence_bp};
    return ZC_OK;
}

static void vlist_fini(struct vlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].name);
    for (size_t i = 0; i < l->ncounties; i++)
        free(l->county_name[i]);
    free(l->v);
}

static const char *county_of(const struct vlist *l, int64_t code)
{
    int64_t c = code - code % 1000000;
    for (size_t i = 0; i < l->ncounties; i++)
        if (l->county_code[i] == c)
            return l->county_name[i];
    return "";
}

/* Codes from a statement's first column (a class in the second when
 * `cls` is set), in code order. */
static int read_codes(struct store *s, const char *sql, int64_t lo, int64_t hi, const char *first,
                      const char *last, int64_t **codes, char (**cls)[8], size_t *n,
                      struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    size_t cap = 0;
    int rc = store_prepare(s, sql, &q, err);
    *n = 0;
    if (rc == ZC_OK) {
        store_bind_int(q, 1, lo);
        store_bind_int(q, 2, hi);
        if (first) {
            store_bind_cstr(q, 3, first);
            store_bind_cstr(q, 4, last);
        }
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *codes = zc_realloc(*codes, cap * sizeof(**codes));
            if (cls)
                *cls = zc_realloc(*cls, cap * sizeof(**cls));
        }
        (*codes)[*n] = store_col_int(q, 0);
        if (cls)
            snprintf((*cls)[*n], 8, "%s", store_col_text(q, 1));
        (*n)++;
    }
    store_finalize(q);
    return rc;
}

static bool has_code(const int64_t *codes, size_t n, int64_t code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (codes[mid] == code)
            return true;
        if (codes[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static const char *class_of(const int64_t *codes, char (*cls)[8], size_t n, int64_t code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (codes[mid] == code)
            return cls[mid];
        if (codes[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return "";
}

static const char *class_zh(const char *c)
{
    return strcmp(c, "deep") == 0 ? "深度贫困村" : strcmp(c, "poor") == 0 ? "贫困村" : "非贫困村";
}

int outcome_attribution(struct store *s, const struct policy *p, const struct zc_scope *scope,
                        int base_year, int year, int band_bp,
                        int (*fn)(void *ud, const struct outcome_attribution_row *row), void *ud,
                        struct zc_error *err)
{
    struct vlist base = {0}, now = {0};
    struct zc_scope wide = *scope;
    int64_t *teams = NULL, *vcodes = NULL;
    char(*vcls)[8] = NULL;
    size_t nteams = 0, nv = 0;
    char first[11], last[11];
    struct buf codes;
    int rc;

    if (base_year >= year)
        return zc_error_set(err, ZC_EINVAL,
                            "the baseline year (%d) must come before the year compared (%d)",
                            base_year, year);
    /* The comparables come from each village's whole county. */
    if (wide.level > DIV_COUNTY) {
        wide.lo = scope->lo - scope->lo % 1000000;
        wide.hi = wide.lo + 999999;
        wide.level = DIV_COUNTY;
    }
    snprintf(first, sizeof(first), "%04u-01-01", (unsigned)base_year % 10000u);
    snprintf(last, sizeof(last), "%04u-12-31", (unsigned)year % 10000u);
    /* Incidence only: the exit rules play no part, one policy will do. */
    struct field_policy_map pm;
    rc = field_policy_map_open(s, &wide, p, false, &pm, err);
    if (rc == ZC_OK)
        rc = outcome_list(s, &pm, &wide, base_year, keep_village, &base, err);
    if (rc == ZC_OK)
        rc = outcome_list(s, &pm, &wide, year, keep_village, &now, err);
    field_policy_map_fini(&pm);
    if (rc == ZC_OK && base.n != now.n)
        rc = zc_error_set(err, ZC_ESTORE, "the villages differ between %d and %d", base_year, year);
    if (rc == ZC_OK)
        rc = read_codes(s, outcome_sql_team_villages, wide.lo, wide.hi, first, last, &teams, NULL,
                        &nteams, err);
    if (rc == ZC_OK)
        rc = read_codes(s, outcome_sql_village_class, wide.lo, wide.hi, NULL, NULL, &vcodes, &vcls,
                        &nv, err);
    buf_init(&codes);
    for (size_t i = 0; rc == ZC_OK && i < now.n; i++) {
        const struct vrow *b = &base.v[i], *v = &now.v[i];
        struct outcome_attribution_row out = {0};
        const char *cls;
        int64_t sum = 0;
        int nc = 0;
        if (!zc_scope_has(scope, v->code) || !has_code(teams, nteams, v->code))
            continue;
        cls = class_of(vcodes, vcls, nv, v->code);
        out.code = v->code;
        out.name = v->name;
        out.county_name = county_of(&now, v->code);
        out.class_name = class_zh(cls);
        out.has_incidence = b->has && v->has;
        buf_reset(&codes);
        if (out.has_incidence) {
            out.base_bp = b->bp;
            out.now_bp = v->bp;
            out.change_bp = v->bp - b->bp;
            for (size_t j = 0; j < now.n; j++) {
                const struct vrow *cb = &base.v[j], *cv = &now.v[j];
                if (cv->code - cv->code % 1000000 != v->code - v->code % 1000000 ||
                    has_code(teams, nteams, cv->code) || !cb->has || !cv->has ||
                    strcmp(class_of(vcodes, vcls, nv, cv->code), cls) != 0 ||
                    abs(cb->bp - b->bp) > band_bp)
                    continue;
                sum += cv->bp - cb->bp;
                if (nc < 8)
                    buf_printf(&codes, "%s%lld", nc ? "," : "", (long long)cv->code);
                else if (nc == 8)
                    buf_puts(&codes, ",…");
                nc++;
            }
        }
        out.comparables = nc;
        out.has_effect = nc > 0;
        if (nc) {
            /* Rounded half away from zero, in basis points. */
            out.comparables_change_bp =
                (int)(sum >= 0 ? (sum + nc / 2) / nc : -((-sum + nc / 2) / nc));
            out.effect_bp = out.change_bp - out.comparables_change_bp;
        }
        out.comparable_codes = buf_cstr(&codes);
        rc = fn(ud, &out);
    }
    buf_fini(&codes);
    free(teams);
    free(vcodes);
    free(vcls);
    vlist_fini(&base);
    vlist_fini(&now);
    return rc;
}
