/* SPDX-License-Identifier: MIT */
/* choice.c - the field policy chosen per division: a county (or any
 * organisation staff within their jurisdiction) picks the policy whose
 * field rules apply to its villages, from the policy directory or from a
 * plan; the innermost choice over a village wins, the default policy
 * applies where nothing was chosen. The text is kept as used. */
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"
#include "field_int.h"
#include "policy/policy.h"

static void choice_row(struct store_stmt *q, struct field_policy_choice *c)
{
    memset(c, 0, sizeof(*c));
    c->division = store_col_int(q, 0);
}

/* The choice a prepared FQ_POLICY_CHOICE / FQ_POLICY_FOR_CADRE answers. */
static int choice_step(struct store_stmt *q, struct field_policy_choice *out, char **text,
                       bool *found, struct zc_error *err)
{
    bool row = false;
    int rc = store_step(q, &row, err);
    if (rc == ZC_OK && row) {
        choice_row(q, out);
        snprintf(out->name, sizeof(out->name), "%s", store_col_text(q, 1));
        *text = zc_strdup(store_col_text(q, 2));
        out->plan = store_col_is_null(q, 3) ? 0 : store_col_int(q, 3);
        snprintf(out->by, sizeof(out->by), "%s", store_col_text(q, 4));
        snprintf(out->at, sizeof(out->at), "%s", store_col_text(q, 5));
        *found = true;
    }
    return rc;
}

int field_policy_choice_for(struct store *s, int64_t code, struct field_policy_choice *out,
                            char **text, bool *found, struct zc_error *err)
{
    static const int64_t width[5] = {10000000000LL, 100000000LL, 1000000LL, 1000LL, 1LL};
    struct store_stmt *q = NULL;
    int rc = field_prepare(s, FQ_POLICY_CHOICE, &q, err);
    memset(out, 0, sizeof(*out));
    *text = NULL;
    *found = false;
    if (rc == ZC_OK) {
        for (int i = 0; i < 5; i++)
            store_bind_int(q, i + 1, code - code % width[i]);
        rc = choice_step(q, out, text, found, err);
    }
    store_finalize(q);
    return rc;
}

int field_policy_choice_for_cadre(struct store *s, int64_t cadre, struct field_policy_choice *out,
                                  char **text, bool *found, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int rc = field_prepare(s, FQ_POLICY_FOR_CADRE, &q, err);
    memset(out, 0, sizeof(*out));
    *text = NULL;
    *found = false;
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        rc = choice_step(q, out, text, found, err);
    }
    store_finalize(q);
    return rc;
}

int field_policy_choose(struct store *s, const struct zc_scope *scope, const char *division,
                        const char *name, const char *text, int64_t plan, const char *by,
                        struct field_policy_choice *out, struct zc_error *err)
{
    struct zc_scope d = *scope;
    struct store_stmt *q = NULL;
    char now[20];
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot choose a field policy");
    rc = zc_scope_narrow(&d, division, err);
    if (rc != ZC_OK)
        return rc;
    field_now(now);
    rc = field_prepare(s, FQ_POLICY_SET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, d.lo);
        store_bind_int(q, 2, d.level);
        store_bind_cstr(q, 3, name);
        store_bind_cstr(q, 4, text);
        if (plan > 0)
            store_bind_int(q, 5, plan);
        else
            store_bind_null(q, 5);
        store_bind_cstr(q, 6, by);
        store_bind_cstr(q, 7, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK && out) {
        memset(out, 0, sizeof(*out));
        out->division = d.lo;
        out->level = d.level;
        snprintf(out->name, sizeof(out->name), "%s", name);
        out->plan = plan;
        snprintf(out->by, sizeof(out->by), "%s", by);
        snprintf(out->at, sizeof(out->at), "%s", now);
    }
    return rc;
}

int field_plan_policy(struct store *s, int64_t plan, char name[64], char **text,
                      struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_PLAN_POLICY, &q, err);
    *text = NULL;
    if (rc == ZC_OK) {
        store_bind_int(q, 1, plan);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no plan %lld (see `zhucun plans`)", (long long)plan);
    if (rc == ZC_OK) {
        snprintf(name, 64, "%s", store_col_text(q, 0));
        *text = zc_strdup(store_col_text(q, 1));
    }
    store_finalize(q);
    return rc;
}

int field_policy_clear(struct store *s, const struct zc_scope *scope, const char *division,
                       struct zc_error *err)
{
    struct zc_scope d = *scope;
    struct store_stmt *q = NULL;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot choose a field policy");
    rc = zc_scope_narrow(&d, division, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_POLICY_CLEAR, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, d.lo);
        rc = store_run(q, err);
        if (rc == ZC_OK && store_changes(s) == 0)
            rc = zc_error_set(err, ZC_ENOTFOUND,
                              "no field policy was chosen for %s (it follows the one above it)",
                              division);
    }
    store_finalize(q);
    return rc;
}

int field_policy_choices(struct store *s, const struct zc_scope *scope, field_policy_choice_cb cb,
                         void *ud, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_POLICY_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_policy_choice c;
        choice_row(q, &c);
        c.level = (int)store_col_int(q, 1);
        snprintf(c.name, sizeof(c.name), "%s", store_col_text(q, 2));
        c.plan = store_col_is_null(q, 3) ? 0 : store_col_int(q, 3);
        snprintf(c.by, sizeof(c.by), "%s", store_col_text(q, 4));
        snprintf(c.at, sizeof(c.at), "%s", store_col_text(q, 5));
        snprintf(c.division_name, sizeof(c.division_name), "%s", store_col_text(q, 6));
        rc = cb(ud, &c);
    }
    store_finalize(q);
    return rc;
}

int field_policy_at(struct store *s, int64_t code, int64_t cadre, const struct policy *dflt,
                    struct policy *out, struct field_policy_choice *choice, struct zc_error *err)
{
    struct field_policy_choice c;
    char *text = NULL;
    bool found = false;
    int rc = ZC_OK;
    memset(&c, 0, sizeof(c));
    if (cadre > 0) /* never stationed: the default; the write itself says why */
        rc = field_policy_choice_for_cadre(s, cadre, &c, &text, &found, err);
    else if (code > 0)
        rc = field_policy_choice_for(s, code, &c, &text, &found, err);
    if (rc == ZC_OK && found) {
        rc = policy_parse(c.name, text, strlen(text), out, err);
        if (rc != ZC_OK)
            zc_error_prefix(err, "the field policy chosen for %lld", (long long)c.division);
    } else if (rc == ZC_OK) {
        *out = *dflt;
        memset(&c, 0, sizeof(c));
    }
    free(text);
    if (choice)
        *choice = c;
    return rc;
}

/* ---- the map of a read over a division ------------------------------------------------------ */

void field_policy_map_fini(struct field_policy_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->area[i].p);
    free(m->area);
    free(m->base);
    memset(m, 0, sizeof(*m));
}

/* The choices made for divisions strictly inside `scope`, parsed. */
static int map_inside(struct store *s, const struct zc_scope *scope, struct field_policy_map *m,
                      struct zc_error *err)
{
    struct store_stmt *q = NULL;
    size_t cap = 0;
    bool row = false;
    int rc = field_prepare(s, FQ_POLICY_INSIDE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_int(q, 3, scope->level);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_policy_area *a;
        const char *text = store_col_text(q, 3);
        if (m->n == cap) {
            cap = cap ? cap * 2 : 8;
            m->area = zc_reallocarray(m->area, cap, sizeof(*m->area));
        }
        a = &m->area[m->n];
        memset(a, 0, sizeof(*a));
        choice_row(q, &a->choice);
        a->level = (int)store_col_int(q, 1);
        a->choice.level = a->level;
        snprintf(a->choice.name, sizeof(a->choice.name), "%s", store_col_text(q, 2));
        a->choice.plan = store_col_is_null(q, 4) ? 0 : store_col_int(q, 4);
        snprintf(a->choice.by, sizeof(a->choice.by), "%s", store_col_text(q, 5));
        snprintf(a->choice.at, sizeof(a->choice.at), "%s", store_col_text(q, 6));
        division_range(a->choice.division, (enum division_level)a->level, &a->lo, &a->hi);
        a->p = zc_malloc(sizeof(*a->p));
        m->n++;
        rc = policy_parse(a->choice.name, text, strlen(text), a->p, err);
        if (rc != ZC_OK)
            zc_error_prefix(err, "the field policy chosen for %lld", (long long)a->choice.division);
    }
    store_finalize(q);
    return rc;
}

int field_policy_map_open(struct store *s, const struct zc_scope *scope, const struct policy *dflt,
                          bool by_division, struct field_policy_map *out, struct zc_error *err)
{
    int rc = ZC_OK;
    memset(out, 0, sizeof(*out));
    out->base = zc_malloc(sizeof(*out->base));
    if (!by_division) {
        *out->base = *dflt;
        return ZC_OK;
    }
    if (scope->cadre != 0)
        rc = field_policy_at(s, 0, scope->cadre > 0 ? scope->cadre : 0, dflt, out->base,
                             &out->base_choice, err);
    else
        rc = field_policy_at(s, scope->level ? scope->lo : 0, 0, dflt, out->base, &out->base_choice,
                             err);
    if (rc == ZC_OK && scope->cadre == 0)
        rc = map_inside(s, scope, out, err);
    if (rc != ZC_OK)
        field_policy_map_fini(out);
    return rc;
}

static const struct field_policy_area *map_area(const struct field_policy_map *m, int64_t code)
{
    const struct field_policy_area *best = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (code >= m->area[i].lo && code <= m->area[i].hi &&
            (!best || m->area[i].level > best->level))
            best = &m->area[i];
    return best;
}

const struct policy *field_policy_map_at(const struct field_policy_map *m, int64_t code)
{
    const struct field_policy_area *a = map_area(m, code);
    return a ? a->p : m->base;
}

const struct field_policy_choice *field_policy_map_choice(const struct field_policy_map *m,
                                                          int64_t code)
{
    const struct field_policy_area *a = map_area(m, code);
    return a ? &a->choice : &m->base_choice;
}
