/* SPDX-License-Identifier: MIT */
/* plan_view.c - plans as a caller sees them: the plan lookups and slot
 * lists of the HTTP layer, with the caller's jurisdiction as a value
 * (struct zc_scope) whose bounds are bound as parameters.
 *
 * A plan belongs to the division it was matched for (plan.scope). A
 * caller with a division scope sees the plans matched inside it, and the
 * wider plans that hold a slot in one of its villages, of which they see
 * only those villages (plan_view.partial). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "match/model_int.h"
#include "match/plan.h"
#include "store/store.h"

static int refuse_cadre(const struct zc_scope *sc, struct zc_error *err)
{
    return sc->cadre ? zc_error_set(err, ZC_EFORBIDDEN,
                                    "plans are read by staff, inspectors and "
                                    "auditors")
                     : ZC_OK;
}

static void view_row(struct store_stmt *st, struct plan_view *o)
{
    memset(o, 0, sizeof(*o));
    o->id = store_col_int(st, 0);
    snprintf(o->kind, sizeof(o->kind), "%s", store_col_text(st, 1));
    snprintf(o->status, sizeof(o->status), "%s", store_col_text(st, 2));
    snprintf(o->created_at, sizeof(o->created_at), "%s", store_col_text(st, 3));
    snprintf(o->policy_name, sizeof(o->policy_name), "%s", store_col_text(st, 4));
    o->scope = store_col_int(st, 5);
    o->objective = store_col_int(st, 6);
    o->slots = store_col_int(st, 7);
    o->filled = store_col_int(st, 8);
    o->cadres = store_col_int(st, 9);
    o->has_order = !store_col_is_null(st, 10);
    if (o->has_order) {
        snprintf(o->order_no, sizeof(o->order_no), "%s", store_col_text(st, 10));
        snprintf(o->published_at, sizeof(o->published_at), "%s", store_col_text(st, 11));
        o->term_years = store_col_int(st, 12);
        snprintf(o->start, sizeof(o->start), "%s", store_col_text(st, 13));
        snprintf(o->end, sizeof(o->end), "%s", store_col_text(st, 14));
    }
    o->partial = store_col_int(st, 15) != 0;
}

int plan_view_list(struct store *s, const struct zc_scope *sc,
                   void (*fn)(void *ud, const struct plan_view *p), void *ud, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = refuse_cadre(sc, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, sc->level ? MQ_PLANS_SCOPED : MQ_PLANS_ALL, &st, err);
    if (rc == ZC_OK && sc->level) {
        store_bind_int(st, 1, sc->lo);
        store_bind_int(st, 2, sc->hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct plan_view pv;
        view_row(st, &pv);
        fn(ud, &pv);
    }
    store_finalize(st);
    return rc;
}

int plan_view_get(struct store *s, const struct zc_scope *sc, int64_t id, bool owned,
                  struct plan_view *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = refuse_cadre(sc, err);
    if (rc == ZC_OK && !sc->level)
        rc = match_prepare(s, MQ_PLAN_ALL, &st, err);
    else if (rc == ZC_OK)
        rc = match_prepare(s, owned ? MQ_PLAN_SCOPED_OWNED : MQ_PLAN_SCOPED, &st, err);
    if (rc == ZC_OK && !sc->level) {
        store_bind_int(st, 1, id);
    } else if (rc == ZC_OK) {
        store_bind_int(st, 1, sc->lo);
        store_bind_int(st, 2, sc->hi);
        store_bind_int(st, 3, id);
    }
    if (rc == ZC_OK)
        rc = store_step(st, &row, err);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no plan %lld in your jurisdiction", (long long)id);
    if (rc == ZC_OK)
        view_row(st, out);
    store_finalize(st);
    return rc;
}

/* Plan q->plan is one the caller sees (the cheap form of plan_view_get). */
static int plan_visible(struct store *s, const struct zc_scope *sc, int64_t id,
                        struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, sc->level ? MQ_PLAN_VISIBLE : MQ_PLAN_EXISTS, &st, err);
    if (rc == ZC_OK && sc->level) {
        store_bind_int(st, 1, sc->lo);
        store_bind_int(st, 2, sc->hi);
        store_bind_int(st, 3, id);
    } else if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
    }
    if (rc == ZC_OK)
        rc = store_step(st, &row, err);
    store_finalize(st);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no plan %lld in your jurisdiction", (long long)id);
    return rc;
}

static const char *text_or_null(struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? NULL : store_col_text(st, col);
}

static void slot_row(struct store_stmt *st, bool unsent, struct plan_slot_row *o)
{
    memset(o, 0, sizeof(*o));
    if (unsent) { /* c.id, c.name, u.name, pc.reason, pc.detail */
        o->has_cadre = !store_col_is_null(st, 0);
        o->cadre = store_col_int(st, 0);
        o->cadre_name = text_or_null(st, 1);
        o->unit_name = text_or_null(st, 2);
        o->reason = text_or_null(st, 3);
        o->detail = text_or_null(st, 4);
        return;
    }
    o->village = store_col_int(st, 0);
    o->village_name = text_or_null(st, 1);
    o->seq = store_col_int(st, 2);
    o->role = text_or_null(st, 3);
    o->need = text_or_null(st, 4);
    o->has_cadre = !store_col_is_null(st, 5);
    o->cadre = store_col_int(st, 5);
    o->cadre_name = text_or_null(st, 6);
    o->unit_name = text_or_null(st, 7);
    o->has_score = !store_col_is_null(st, 8);
    o->score = store_col_int(st, 8);
    o->reason = text_or_null(st, 9);
    o->state = text_or_null(st, 10);
    o->breakdown = text_or_null(st, 11);
}

/* Bind the plan, the scope and the filters of q (count: no page). */
static void bind_slots(struct store_stmt *st, const struct zc_scope *sc,
                       const struct plan_slot_query *q, bool page)
{
    int at = 2;
    store_bind_int(st, 1, q->plan);
    if (q->view == PSV_UNSENT) {
        if (sc->level) {
            store_bind_int(st, 2, sc->lo);
            store_bind_int(st, 3, sc->hi);
            at = 4;
        }
    } else {
        bool filled = q->only == PSO_FILLED || q->view == PSV_BY_CADRE;
        store_bind_int(st, 2, sc->lo);
        store_bind_int(st, 3, sc->hi);
        store_bind_int(st, 4, q->lo);
        store_bind_int(st, 5, q->hi);
        store_bind_int(st, 6, filled ? 1 : 0);
        store_bind_int(st, 7, q->only == PSO_UNFILLED ? 0 : INT64_MAX);
        at = 8;
    }
    if (page) {
        store_bind_int(st, at, q->limit);
        store_bind_int(st, at + 1, q->offset);
    }
}

int plan_slots(struct store *s, const struct zc_scope *sc, const struct plan_slot_query *q,
               int64_t *total, void (*fn)(void *ud, const struct plan_slot_row *r), void *ud,
               struct zc_error *err)
{
    bool unsent = q->view == PSV_UNSENT, row = false;
    enum match_query cq =
        unsent ? (sc->level ? MQ_UNSENT_COUNT : MQ_UNSENT_COUNT_ALL) : MQ_SLOTS_COUNT;
    enum match_query lq = unsent                    ? (sc->level ? MQ_UNSENT : MQ_UNSENT_ALL)
                          : q->view == PSV_BY_CADRE ? MQ_SLOTS_BY_CADRE
                                                    : MQ_SLOTS_BY_VILLAGE;
    struct store_stmt *st = NULL;
    int rc = refuse_cadre(sc, err);
    *total = 0;
    if (rc == ZC_OK)
        rc = plan_visible(s, sc, q->plan, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, cq, &st, err);
    if (rc == ZC_OK) {
        bind_slots(st, sc, q, false);
        rc = store_step(st, &row, err);
        if (rc == ZC_OK && row)
            *total = store_col_int(st, 0);
    }
    store_finalize(st);
    st = NULL;
    if (rc == ZC_OK)
        rc = match_prepare(s, lq, &st, err);
    if (rc == ZC_OK)
        bind_slots(st, sc, q, true);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct plan_slot_row r;
        slot_row(st, unsent, &r);
        fn(ud, &r);
    }
    store_finalize(st);
    return rc;
}

int plan_serving_village(struct store *s, const struct zc_scope *sc, const char *id_number,
                         int64_t *village, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_SERVING_VILLAGE, &st, err);
    *village = 0;
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, id_number);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row)
        *village = store_col_int(st, 0);
    store_finalize(st);
    if (rc == ZC_OK && (!*village || (sc->level && !zc_scope_has(sc, *village))))
        rc = zc_error_set(err, ZC_ENOTFOUND,
                          "no cadre serving in your jurisdiction has that number");
    return rc;
}

int plan_post_holders(struct store *s, const struct zc_scope *sc,
                      void (*fn)(void *ud, const struct plan_post_holder *h), void *ud,
                      struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_POST_HOLDERS, &st, err);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct plan_post_holder h;
        memset(&h, 0, sizeof(h));
        h.division = store_col_int(st, 1);
        if (sc->level && !zc_scope_has(sc, h.division))
            continue;
        snprintf(h.post, sizeof(h.post), "%s", store_col_text(st, 0));
        h.cadre = store_col_int(st, 2);
        snprintf(h.name, sizeof(h.name), "%s", store_col_text(st, 3));
        snprintf(h.unit_name, sizeof(h.unit_name), "%s", store_col_text(st, 4));
        snprintf(h.start, sizeof(h.start), "%s", store_col_text(st, 5));
        snprintf(h.term_end, sizeof(h.term_end), "%s", store_col_text(st, 6));
        fn(ud, &h);
    }
    store_finalize(st);
    return rc;
}

int plan_cadre_id_number(struct store *s, int64_t id, char *out, size_t n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_CADRE_IDNUM_OF, &st, err);
    out[0] = '\0';
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row)
        snprintf(out, n, "%s", store_col_text(st, 0));
    store_finalize(st);
    return rc;
}
