/* SPDX-License-Identifier: MIT */
/* pin.c - direct nomination (点将): the organisation department names a
 * cadre for a village, optionally for a role, or for a post above the
 * village (挂职 at a county or township), and the optimum keeps it.
 *
 * A pin is a row of `pin` (one per cadre). In the model a nominated cadre
 * has arcs only to the village's columns it may take (the role's, when
 * the pin names one) and neither an "unassigned" nor a "stays home" arc,
 * so every feasible flow places it there: the rest of the plan is the
 * optimum around the pins, and certification (price.c) leaves pinned
 * cadres alone. A pin that breaks a hard rule (eligibility, hometown
 * avoidance, reach, role, more pins than posts, more pins than the unit
 * may send, both spouses pinned) makes `match` refuse, naming the pin and
 * the rule: the department fixes the pin or the ledger, nothing is bent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"
#include "match/model_int.h"
#include "store/store.h"

static int cadre_id(struct store *s, const char *id_number, int64_t *id, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_CADRE_BY_IDNUM, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, id_number);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "pin: no cadre with ID number %s", id_number);
    if (rc == ZC_OK)
        *id = store_col_int(st, 0);
    store_finalize(st);
    return rc;
}

/* Statement q over the villages under `scope` (0 = all): ?1, ?2 bound. */
static int scoped(struct store *s, enum match_query q, int64_t scope, struct store_stmt **st,
                  struct zc_error *err)
{
    int64_t lo = 0, hi = INT64_MAX;
    int rc;
    if (scope)
        division_range(scope, division_level_of(scope), &lo, &hi);
    rc = match_prepare(s, q, st, err);
    if (rc == ZC_OK) {
        store_bind_int(*st, 1, lo);
        store_bind_int(*st, 2, hi);
    }
    return rc;
}

/* Post `code`: its id and division, or ZC_ENOTFOUND. */
static int post_id(struct store *s, const char *code, int64_t *id, int64_t *division,
                   struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_PIN_POST, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, code);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND,
                          "pin: no post with code %s ('zhucun post list' shows them)", code);
    if (rc == ZC_OK) {
        *id = store_col_int(st, 0);
        *division = store_col_int(st, 1);
    }
    store_finalize(st);
    return rc;
}

int pin_put(struct store *s, const char *id_number, int64_t village, const char *post,
            const char *role, const char *note, const char *by, const char *at,
            struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int64_t id = 0, n = 0, post_db = 0;
    int rc;
    if (role && *role && (model_role_parse(role) < 0 || model_role_parse(role) == MR_POST))
        return zc_error_set(err, ZC_EINVAL,
                            "pin: unknown role '%s' (first_secretary, leader, stability, need, "
                            "member)",
                            role);
    if (post && *post && role && *role)
        return zc_error_set(err, ZC_EINVAL,
                            "pin: a pin to post %s takes no role (the post is the seat)", post);
    rc = cadre_id(s, id_number, &id, err);
    if (rc == ZC_OK && post && *post) {
        rc = post_id(s, post, &post_db, &village, err);
    } else if (rc == ZC_OK) {
        rc = match_prepare(s, MQ_VILLAGE_EXISTS, &st, err);
        if (rc == ZC_OK) {
            bool row = false;
            store_bind_int(st, 1, village);
            rc = store_step(st, &row, err);
            n = row ? store_col_int(st, 0) : 0;
        }
        store_finalize(st);
        st = NULL;
        if (rc == ZC_OK && n == 0)
            rc = zc_error_set(err, ZC_ENOTFOUND, "pin: %lld is not a village of the ledger",
                              (long long)village);
    }
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_PIN_PUT, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        store_bind_int(st, 2, village);
        store_bind_cstr(st, 3, role && *role ? role : NULL);
        store_bind_cstr(st, 4, note ? note : "");
        store_bind_cstr(st, 5, by);
        store_bind_cstr(st, 6, at);
        if (post_db)
            store_bind_int(st, 7, post_db);
        else
            store_bind_null(st, 7);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

int pin_remove(struct store *s, const char *id_number, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int64_t id = 0;
    int rc = cadre_id(s, id_number, &id, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_PIN_DELETE, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        rc = store_run(st, err);
    }
    store_finalize(st);
    if (rc == ZC_OK && store_changes(s) == 0)
        rc = zc_error_set(err, ZC_ENOTFOUND, "pin: cadre %s is not pinned", id_number);
    return rc;
}

int pin_list(struct store *s, int64_t scope, void (*fn)(void *ud, const struct pin_info *p),
             void *ud, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = scoped(s, MQ_PIN_LIST, scope, &st, err);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct pin_info p;
        memset(&p, 0, sizeof(p));
        p.cadre = store_col_int(st, 0);
        snprintf(p.id_number, sizeof(p.id_number), "%s", store_col_text(st, 1));
        snprintf(p.name, sizeof(p.name), "%s", store_col_text(st, 2));
        p.village = store_col_int(st, 3);
        snprintf(p.village_name, sizeof(p.village_name), "%s", store_col_text(st, 4));
        snprintf(p.role, sizeof(p.role), "%s", store_col_text(st, 5));
        snprintf(p.note, sizeof(p.note), "%s", store_col_text(st, 6));
        snprintf(p.by, sizeof(p.by), "%s", store_col_text(st, 7));
        snprintf(p.at, sizeof(p.at), "%s", store_col_text(st, 8));
        p.post = store_col_int(st, 9);
        snprintf(p.post_code, sizeof(p.post_code), "%s", store_col_text(st, 10));
        snprintf(p.post_title, sizeof(p.post_title), "%s", store_col_text(st, 11));
        fn(ud, &p);
    }
    store_finalize(st);
    return rc;
}

int pin_cadres(struct store *s, int64_t scope, const char *q,
               void (*fn)(void *ud, const struct pin_cadre *c), void *ud, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = scoped(s, MQ_PIN_CADRES, scope, &st, err);
    if (rc == ZC_OK) {
        /* The province, city and county codes above the scope (12 digits). */
        store_bind_cstr(st, 3, q);
        store_bind_int(st, 4, scope ? scope / 10000000000 * 10000000000 : -1);
        store_bind_int(st, 5, scope ? scope / 100000000 * 100000000 : -1);
        store_bind_int(st, 6, scope ? scope / 1000000 * 1000000 : -1);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct pin_cadre c;
        memset(&c, 0, sizeof(c));
        c.id = store_col_int(st, 0);
        snprintf(c.id_number, sizeof(c.id_number), "%s", store_col_text(st, 1));
        snprintf(c.name, sizeof(c.name), "%s", store_col_text(st, 2));
        snprintf(c.unit_name, sizeof(c.unit_name), "%s", store_col_text(st, 3));
        fn(ud, &c);
    }
    store_finalize(st);
    return rc;
}

/* ---- 包村: the unit responsible for a village ---------------------------------- */

/* Does statement q (one code or text bound as ?1) count a row? */
static int exists(struct store *s, enum match_query q, int64_t code, const char *text, bool *yes,
                  struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, q, &st, err);
    if (rc == ZC_OK) {
        if (text)
            store_bind_cstr(st, 1, text);
        else
            store_bind_int(st, 1, code);
        rc = store_step(st, &row, err);
    }
    *yes = rc == ZC_OK && row && store_col_int(st, 0) > 0;
    store_finalize(st);
    return rc;
}

int pair_put(struct store *s, int64_t village, const char *unit, const char *note, const char *by,
             const char *at, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool yes = false;
    int rc = exists(s, MQ_VILLAGE_EXISTS, village, NULL, &yes, err);
    if (rc == ZC_OK && !yes)
        rc = zc_error_set(err, ZC_ENOTFOUND, "pair: %lld is not a village of the ledger",
                          (long long)village);
    if (rc == ZC_OK)
        rc = exists(s, MQ_UNIT_EXISTS, 0, unit, &yes, err);
    if (rc == ZC_OK && !yes)
        rc = zc_error_set(err, ZC_ENOTFOUND, "pair: no unit with code %s", unit);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_PAIR_PUT, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, village);
        store_bind_cstr(st, 2, unit);
        store_bind_cstr(st, 3, note ? note : "");
        store_bind_cstr(st, 4, by);
        store_bind_cstr(st, 5, at);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

int pair_remove(struct store *s, int64_t village, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = match_prepare(s, MQ_PAIR_DELETE, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, village);
        rc = store_run(st, err);
    }
    store_finalize(st);
    if (rc == ZC_OK && store_changes(s) == 0)
        rc = zc_error_set(err, ZC_ENOTFOUND, "pair: village %lld has no responsible unit recorded",
                          (long long)village);
    return rc;
}

int pair_list(struct store *s, int64_t scope, void (*fn)(void *ud, const struct pair_info *p),
              void *ud, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = scoped(s, MQ_PAIR_LIST, scope, &st, err);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct pair_info p;
        memset(&p, 0, sizeof(p));
        p.village = store_col_int(st, 0);
        snprintf(p.village_name, sizeof(p.village_name), "%s", store_col_text(st, 1));
        snprintf(p.unit, sizeof(p.unit), "%s", store_col_text(st, 2));
        snprintf(p.unit_name, sizeof(p.unit_name), "%s", store_col_text(st, 3));
        snprintf(p.note, sizeof(p.note), "%s", store_col_text(st, 4));
        snprintf(p.by, sizeof(p.by), "%s", store_col_text(st, 5));
        snprintf(p.at, sizeof(p.at), "%s", store_col_text(st, 6));
        fn(ud, &p);
    }
    store_finalize(st);
    return rc;
}

bool model_pin_column(const struct model *m, const struct mcadre *c, int32_t s)
{
    const struct mslot *sl = &m->slot[s];
    return sl->village == c->pin_v && sl->col == s && model_role_ok(c, sl) &&
           (c->pin_role < 0 || sl->role == c->pin_role) &&
           (c->pin_post < 0 || sl->post == c->pin_post);
}

/* The first hard rule pin (cadre index ci, village vi, role) breaks, in
 * words; NULL when it holds. */
static const char *pin_rule(const struct model *m, int32_t ci, int32_t vi, char *buf, size_t n)
{
    const struct mcadre *c = &m->cad[ci];
    const struct munit *u = &m->unit[c->unit];
    const struct mvillage *v = &m->vil[vi];
    bool any = false;
    if (model_level_barred(c, v)) {
        snprintf(
            buf, n,
            "派出单位层级 (%s) 不派往该类村 (avoidance.level_classes) / units at this level do "
            "not send to villages of this class",
            division_level_name_zh((enum division_level)u->level));
        return buf;
    }
    if (model_barred(c, v))
        return "回避: 该村在本人籍贯地 (avoidance.home) / the village is in the cadre's hometown";
    if (v->code < u->reach_lo || v->code > u->reach_hi) {
        snprintf(buf, n, "超出派出单位 %s 的选派范围 / outside the reach of unit %s", u->code,
                 u->code);
        return buf;
    }
    if (u->cap == 0)
        return "单位抽调比例已满 (max_unit_share_percent) / the unit may send no one";
    for (int32_t s = v->first_slot; s < v->first_slot + v->nslots; s++)
        any = any || model_pin_column(m, c, s);
    if (!any && c->pin_post >= 0) { /* the post's first open seat says why */
        const struct mslot *seat = NULL;
        for (int32_t s = v->first_slot; s < v->first_slot + v->nslots && !seat; s++)
            if (m->slot[s].post == c->pin_post)
                seat = &m->slot[s];
        model_seat_why_not(m, c, seat, buf, n);
        return buf;
    }
    if (!any) {
        snprintf(buf, n,
                 "岗位条件不符: 该村没有本人可任的%s岗位 / the village has no open %s post the "
                 "cadre may take",
                 c->pin_role >= 0 ? model_role_zh((enum model_role)c->pin_role) : "",
                 c->pin_role >= 0 ? model_role_name((enum model_role)c->pin_role) : "");
        return buf;
    }
    return NULL;
}

static void on_pin(void *ud, const struct pin_info *p)
{
    struct {
        struct pin_info *v;
        size_t n, cap;
    } *acc = ud;

    if (acc->n == acc->cap) {
        acc->cap = acc->cap ? acc->cap * 2 : 16;
        acc->v = zc_reallocarray(acc->v, acc->cap, sizeof(*acc->v));
    }
    acc->v[acc->n++] = *p;
}

int model_load_pins(struct store *s, struct model *m, struct zc_error *err)
{
    struct {
        struct pin_info *v;
        size_t n, cap;
    } acc = {NULL, 0, 0};

    int32_t *per_unit = NULL, *per_col = NULL;
    char why[320];
    int rc = pin_list(s, m->opt.scope, on_pin, &acc, err);

    per_unit = zc_calloc((size_t)m->nunits + 1, sizeof(int32_t));
    per_col = zc_calloc((size_t)m->nslots + 1, sizeof(int32_t));
    for (size_t k = 0; rc == ZC_OK && k < acc.n; k++) {
        const struct pin_info *p = &acc.v[k];
        int64_t ci = model_cadre_find(m, p->cadre);
        int32_t vi = model_village_lower(m, p->village), best = -1, pin_post = -1;
        char where[320];
        struct mcadre *c;
        const char *rule;
        if (ci < 0) {
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "pin %s %s → %lld: the cadre is not eligible for this dispatch "
                              "('zhucun eligible' says why); remove the pin or fix the ledger",
                              p->id_number, p->name, (long long)p->village);
            break;
        }
        if (p->post) /* a pin to a post (挂职) names the post */
            snprintf(where, sizeof(where), "post %s %s (%s)",
                     p->post_code[0] ? p->post_code : "(removed)", p->post_title, p->village_name);
        else
            snprintf(where, sizeof(where), "%lld %s", (long long)p->village, p->village_name);
        for (int32_t pi = 0; p->post && pi < m->nposts && pin_post < 0; pi++)
            if (m->post[pi].id == p->post)
                pin_post = pi;
        if (p->post && pin_post < 0) {
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "pin %s %s → %s: the post is not open in this dispatch (removed, "
                              "its term has ended, or outside the scope)",
                              p->id_number, p->name, where);
            break;
        }
        if (vi >= m->nvil || m->vil[vi].code != p->village || m->vil[vi].nslots == 0) {
            rc = zc_error_set(err, ZC_ECONFLICT,
                              p->post ? "pin %s %s → %s: every seat of the post is held"
                                      : "pin %s %s → %s: the village has no open post in this "
                                        "dispatch (its team is full, or the policy sends no "
                                        "team there)",
                              p->id_number, p->name, where);
            break;
        }
        c = &m->cad[ci];
        c->pin_v = vi;
        c->pin_role = (int8_t)(p->role[0] ? model_role_parse(p->role) : -1);
        c->pin_post = pin_post;
        if ((rule = pin_rule(m, (int32_t)ci, vi, why, sizeof(why))) != NULL) {
            rc = zc_error_set(err, ZC_ECONFLICT, "pin %s %s → %s: %s", p->id_number, p->name, where,
                              rule);
            break;
        }
        if (c->spouse >= 0 && (m->cad[c->spouse].flags & MC_NOMINATED) &&
            m->pol.elig.spouses_apart) {
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "pin %s %s: the spouse is pinned too, and the policy sends "
                              "spouses apart (eligibility.spouses_apart)",
                              p->id_number, p->name);
            break;
        }
        if (m->unit[c->unit].cap != NO_CAP && ++per_unit[c->unit] > m->unit[c->unit].cap) {
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "pin %s %s: unit %s may send %d more, and %d of its cadres are "
                              "pinned (max_unit_share_percent)",
                              p->id_number, p->name, m->unit[c->unit].code, m->unit[c->unit].cap,
                              per_unit[c->unit]);
            break;
        }
        /* Posts for the pins: a pin with one possible column takes it; the
         * village cannot hold more pins than it has posts they may take. */
        for (int32_t t = m->vil[vi].first_slot; t < m->vil[vi].first_slot + m->vil[vi].nslots; t++)
            if (model_pin_column(m, c, t) && (best < 0 || per_col[t] < per_col[best]))
                best = t;
        if (per_col[best] >= m->slot[best].width) {
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "pin %s %s → %s: more cadres are pinned there than it has "
                              "such posts (seats)",
                              p->id_number, p->name, where);
            break;
        }
        per_col[best]++;
        c->flags |= MC_NOMINATED;
    }
    free(per_unit);
    free(per_col);
    free(acc.v);
    return rc;
}
