/* SPDX-License-Identifier: MIT */
/* plan.c - plans in the store: save a solved model as a draft, list and
 * show, publish as a dispatch order (选派命令, writes posting rows), recall a
 * cadre (召回撤换, leaves a vacancy for `match --refill`), export.
 *
 * The roster is the set of plan_slot rows of published plans whose state is
 * 'serving' or 'vacant'. Publishing a refill plan marks the roster rows it
 * takes over as 'replaced', so the roster always has one row per slot. */
#include "match/plan.h"
#include "model_int.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/idcard.h"
#include "base/mem.h"
#include "ingest/tablewriter.h"
#include "registry/registry.h"
#include "store/store.h"

/* A plan matched without a scope belongs to the smallest division that holds
 * every village it covers (issue 17: the demo's plan, matched by the CLI
 * without --scope, had none and so was invisible to every scoped account):
 * the longest code prefix, at a level boundary (2, 4, 6, 9 or 12 digits),
 * that its lowest and highest village codes share; 0 (everywhere) when they
 * are in different provinces or there are no slots. */
static int64_t covering_scope(const struct model *m, int64_t nslots)
{
    static const int digits[] = {12, 9, 6, 4, 2};
    int64_t lo = 0, hi = 0;
    for (int64_t i = 0; i < nslots; i++) {
        struct model_slot_info si;
        model_slot_get(m, i, &si);
        if (!lo || si.village < lo)
            lo = si.village;
        if (si.village > hi)
            hi = si.village;
    }
    for (size_t k = 0; lo && k < sizeof(digits) / sizeof(digits[0]); k++) {
        int64_t unit = 1;
        for (int d = digits[k]; d < 12; d++)
            unit *= 10;
        if (lo / unit == hi / unit)
            return lo / unit * unit;
    }
    return 0;
}

static int insert_plan(struct store *s, const struct model *m, const char *policy_text,
                       const struct model_options *opt, const struct model_summary *sum,
                       int64_t *id, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char today[16];
    bool row = false;
    int rc = match_prepare(s, MQ_PLAN_INSERT, &st, err);
    if (rc != ZC_OK)
        return rc;
    snprintf(today, sizeof(today), "%04d-%02d-%02d", m->today.y % 10000, m->today.m % 100,
             m->today.d % 100);
    store_bind_cstr(st, 1, opt->refill ? "refill" : "match");
    store_bind_cstr(st, 2, today);
    store_bind_cstr(st, 3, m->pol.name);
    store_bind_cstr(st, 4, policy_text ? policy_text : "{}");
    if (opt->scope || covering_scope(m, sum->slots))
        store_bind_int(st, 5, opt->scope ? opt->scope : covering_scope(m, sum->slots));
    else
        store_bind_null(st, 5);
    store_bind_int(st, 6, sum->objective);
    store_bind_int(st, 7, sum->slots);
    store_bind_int(st, 8, sum->filled);
    store_bind_int(st, 9, sum->cadres_eligible);
    store_bind_int(st, 10, sum->moves);
    store_bind_real(st, 11, sum->build_seconds + sum->solve_seconds);
    rc = store_step(st, &row, err);
    if (rc == ZC_OK && row)
        *id = store_col_int(st, 0);
    store_finalize(st);
    return rc;
}

/* Plan rows go in multi-row INSERTs, ROWS_PER_INSERT rows per execution
 * (22,000 slots: ~350 statements instead of 22,000), all in the one
 * transaction; 64 rows x 10 columns stays below SQLite's oldest limit of
 * 999 parameters. */
#define ROWS_PER_INSERT 64

static int prepare_rows(struct store *s, const char *head, int ncols, int nrows,
                        struct store_stmt **st, struct zc_error *err)
{
    struct buf sql = {0};
    int rc;
    buf_puts(&sql, head);
    buf_puts(&sql, " VALUES ");
    for (int r = 0; r < nrows; r++) {
        buf_puts(&sql, r ? ",(" : "(");
        for (int c = 0; c < ncols; c++)
            buf_puts(&sql, c ? ",?" : "?");
        buf_puts(&sql, ")");
    }
    rc = store_prepare(s, buf_cstr(&sql), st, err);
    buf_fini(&sql);
    return rc;
}

#define SLOT_COLS 11 /* 64 rows x 11 columns: 704 parameters */

/* Bind one plan_slot row (SLOT_COLS columns) at parameter offset `at`. */
static void bind_slot(struct store_stmt *st, int at, int64_t plan, const struct model *m, int64_t i)
{
    struct model_slot_info si;
    char bd[256];
    model_slot_get(m, i, &si);
    store_bind_int(st, at + 1, plan);
    store_bind_int(st, at + 2, si.village);
    store_bind_int(st, at + 3, si.seq);
    store_bind_cstr(st, at + 4, model_role_name(si.role));
    store_bind_cstr(st, at + 5, si.need[0] ? si.need : NULL);
    if (si.cadre) {
        store_bind_int(st, at + 6, si.cadre);
        store_bind_int(st, at + 7, si.score);
        store_bind_cstr(st, at + 8, model_terms_text(si.terms, bd, sizeof(bd)));
        store_bind_null(st, at + 9);
    } else {
        store_bind_null(st, at + 6);
        store_bind_null(st, at + 7);
        store_bind_null(st, at + 8);
        store_bind_cstr(st, at + 9, model_why_name(si.why));
    }
    store_bind_int(st, at + 10, si.dual);
    if (si.post)
        store_bind_int(st, at + 11, si.post);
    else
        store_bind_null(st, at + 11);
}

/* The cadres worth a plan_cadre row: not sent, or moved by a refill. */
static bool cadre_row(const struct model *m, int64_t i, struct model_cadre_info *ci)
{
    model_cadre_get(m, i, ci);
    return ci->slot < 0 || ci->moved;
}

static void bind_cadre(struct store_stmt *st, int at, int64_t plan,
                       const struct model_cadre_info *ci)
{
    char detail[64];
    snprintf(detail, sizeof(detail), "candidates=%d", ci->candidates);
    store_bind_int(st, at + 1, plan);
    store_bind_int(st, at + 2, ci->id);
    store_bind_cstr(st, at + 3, ci->moved ? "moved" : model_why_name(ci->why));
    store_bind_cstr(st, at + 4, detail);
}

int plan_save(struct store *s, const struct model *m, const char *policy_text,
              const struct model_options *opt, int64_t *id, struct zc_error *err)
{
    const char *slot_head = match_sql[MQ_SLOT_ROWS_HEAD];
    const char *cadre_head = match_sql[MQ_CADRE_ROWS_HEAD];
    struct store_stmt *full = NULL, *rest = NULL;
    struct model_summary sum;
    int64_t nslots = model_slot_count(m), ncad = model_cadre_count(m), i = 0;
    int64_t *rows = NULL, nrows = 0;
    int rc;

    model_summary_get(m, &sum);
    rc = store_begin_joined(s, err);
    if (rc != ZC_OK)
        return rc;
    rc = insert_plan(s, m, policy_text, opt, &sum, id, err);
    if (rc == ZC_OK && nslots >= ROWS_PER_INSERT)
        rc = prepare_rows(s, slot_head, SLOT_COLS, ROWS_PER_INSERT, &full, err);
    for (; rc == ZC_OK && i + ROWS_PER_INSERT <= nslots; i += ROWS_PER_INSERT) {
        for (int r = 0; r < ROWS_PER_INSERT; r++)
            bind_slot(full, r * SLOT_COLS, *id, m, i + r);
        rc = store_run(full, err);
    }
    if (rc == ZC_OK && i < nslots)
        rc = prepare_rows(s, slot_head, SLOT_COLS, (int)(nslots - i), &rest, err);
    if (rc == ZC_OK && i < nslots) {
        for (int r = 0; i + r < nslots; r++)
            bind_slot(rest, r * SLOT_COLS, *id, m, i + r);
        rc = store_run(rest, err);
    }
    store_finalize(full);
    store_finalize(rest);
    full = rest = NULL;
    /* Cadres not sent (or moved): their indexes first, then the batches. */
    rows = zc_malloc(((size_t)ncad + 1) * sizeof(int64_t));
    for (int64_t k = 0; k < ncad; k++) {
        struct model_cadre_info ci;
        if (cadre_row(m, k, &ci))
            rows[nrows++] = k;
    }
    if (rc == ZC_OK && nrows >= ROWS_PER_INSERT)
        rc = prepare_rows(s, cadre_head, 4, ROWS_PER_INSERT, &full, err);
    for (i = 0; rc == ZC_OK && i + ROWS_PER_INSERT <= nrows; i += ROWS_PER_INSERT) {
        for (int r = 0; r < ROWS_PER_INSERT; r++) {
            struct model_cadre_info ci;
            model_cadre_get(m, rows[i + r], &ci);
            bind_cadre(full, r * 4, *id, &ci);
        }
        rc = store_run(full, err);
    }
    if (rc == ZC_OK && i < nrows)
        rc = prepare_rows(s, cadre_head, 4, (int)(nrows - i), &rest, err);
    if (rc == ZC_OK && i < nrows) {
        for (int r = 0; i + r < nrows; r++) {
            struct model_cadre_info ci;
            model_cadre_get(m, rows[i + r], &ci);
            bind_cadre(rest, r * 4, *id, &ci);
        }
        rc = store_run(rest, err);
    }
    store_finalize(full);
    store_finalize(rest);
    free(rows);
    if (rc == ZC_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

static void meta_row(struct store_stmt *st, struct plan_meta *o)
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
    o->moves = store_col_int(st, 10);
    o->seconds = store_col_real(st, 11);
    snprintf(o->order_no, sizeof(o->order_no), "%s", store_col_text(st, 12));
    o->term_years = (int)store_col_int(st, 13);
    snprintf(o->term_end, sizeof(o->term_end), "%s", store_col_text(st, 14));
}

int plan_get(struct store *s, int64_t id, struct plan_meta *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_PLAN_GET, &st, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_int(st, 1, id);
    rc = store_step(st, &row, err);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "plan %lld not found (see 'zhucun plan list')",
                          (long long)id);
    if (rc == ZC_OK)
        meta_row(st, out);
    store_finalize(st);
    return rc;
}

int plan_policy_text(struct store *s, int64_t id, char **out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_PLAN_POLICY, &st, err);
    *out = NULL;
    if (rc != ZC_OK)
        return rc;
    store_bind_int(st, 1, id);
    rc = store_step(st, &row, err);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "plan %lld not found", (long long)id);
    if (rc == ZC_OK)
        *out = zc_strdup(store_col_text(st, 0));
    store_finalize(st);
    return rc;
}

int plan_list(struct store *s, void (*fn)(void *ud, const struct plan_meta *p), void *ud,
              struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_PLAN_LIST, &st, err);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct plan_meta pm;
        meta_row(st, &pm);
        fn(ud, &pm);
    }
    store_finalize(st);
    return rc;
}

int plan_latest(struct store *s, bool drafts_only, int64_t *id, struct zc_error *err)
{
    return store_query_int(s, match_sql[drafts_only ? MQ_PLAN_LATEST_DRAFT : MQ_PLAN_LATEST], id,
                           err);
}

/* ---- publish ---------------------------------------------------------------------- */

static void add_years(const char *date, int years, char *out, size_t n)
{
    int y = 0, mo = 1, d = 1;
    if (sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3)
        y = 2000;
    y += years;
    if (mo == 2 && d == 29)
        d = 28;
    snprintf(out, n, "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
}

/* Run statement q: ?1 the plan (or cadre), ?2 a date, ?3 another; a NULL
 * date is not bound (the statement has fewer parameters). */
static int plan_run(struct store *s, enum match_query q, int64_t id, const char *d2, const char *d3,
                    struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = match_prepare(s, q, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        if (d2)
            store_bind_cstr(st, 2, d2);
        if (d3)
            store_bind_cstr(st, 3, d3);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

int plan_publish(struct store *s, int64_t id, int term_years, const char *start,
                 struct plan_meta *out, struct zc_error *err)
{
    struct store_stmt *st = NULL, *post = NULL, *end = NULL, *rep = NULL;
    struct plan_meta pm;
    int64_t conflict = 0, norders = 0;
    bool refill, row = false;
    char end_date[16], number[32], published[16];
    int rc, ty, tm, td;

    registry_today(&ty, &tm, &td);
    snprintf(published, sizeof(published), "%04u-%02u-%02u", (unsigned)ty % 10000u,
             (unsigned)tm % 100u, (unsigned)td % 100u);
    if (term_years < 1 || term_years > 3)
        return zc_error_set(err, ZC_EINVAL, "the term must be 1 to 3 years, not %d", term_years);
    rc = store_begin_joined(s, err);
    if (rc != ZC_OK)
        return rc;
    rc = plan_get(s, id, &pm, err);
    if (rc == ZC_OK && strcmp(pm.status, "draft") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT, "plan %lld is %s, not a draft", (long long)id,
                          pm.status);
    refill = strcmp(pm.kind, "refill") == 0;
    /* A cadre serving elsewhere cannot be dispatched again, except a refill's
     * movers (on the roster; their posting ends here). */
    if (rc == ZC_OK) {
        rc =
            match_prepare(s, refill ? MQ_PUBLISH_CONFLICTS_REFILL : MQ_PUBLISH_CONFLICTS, &st, err);
        if (rc == ZC_OK) {
            store_bind_int(st, 1, id);
            rc = store_step(st, &row, err);
        }
        if (rc == ZC_OK && row)
            conflict = store_col_int(st, 0);
        store_finalize(st);
        st = NULL;
        if (rc == ZC_OK && conflict)
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "%lld cadre(s) of plan %lld are already serving; run 'zhucun "
                              "match' again",
                              (long long)conflict, (long long)id);
    }
    if (rc == ZC_OK && refill) {
        /* The refill takes over these roster rows. */
        rc = match_prepare(s, MQ_PUBLISH_REPLACE, &rep, err);
        if (rc == ZC_OK)
            rc = match_prepare(s, MQ_PLAN_SLOT_KEYS, &st, err);
        if (rc == ZC_OK)
            store_bind_int(st, 1, id);
        while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
            store_bind_int(rep, 1, store_col_int(st, 0));
            store_bind_int(rep, 2, store_col_int(st, 1));
            rc = store_run(rep, err);
        }
        store_finalize(st);
        st = NULL;
        /* Movers leave their old village today. */
        if (rc == ZC_OK)
            rc = plan_run(s, MQ_PUBLISH_MOVERS_END, id, start, NULL, err);
    }
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_POSTING_PUT, &post, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_PUBLISH_SLOTS, &st, err);
    if (rc == ZC_OK)
        store_bind_int(st, 1, id);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        if (store_col_int(st, 3))
            continue; /* stays where they serve: the posting goes on */
        store_bind_int(post, 1, store_col_int(st, 0));
        store_bind_int(post, 2, store_col_int(st, 1));
        /* The posting keeps the slot's role (one vocabulary everywhere). */
        store_bind_cstr(post, 3, store_col_text(st, 2));
        store_bind_cstr(post, 4, store_col_is_null(st, 4) ? NULL : store_col_text(st, 4));
        store_bind_cstr(post, 5, start);
        if (store_col_is_null(st, 5))
            store_bind_null(post, 6);
        else
            store_bind_int(post, 6, store_col_int(st, 5)); /* a post's seat (挂职) */
        rc = store_run(post, err);
    }
    store_finalize(st);
    store_finalize(post);
    store_finalize(end);
    store_finalize(rep);
    if (rc == ZC_OK)
        rc = plan_run(s, MQ_PUBLISH_SLOT_STATES, id, NULL, NULL, err);
    if (rc == ZC_OK)
        rc = plan_run(s, MQ_PUBLISH_STATUS, id, NULL, NULL, err);
    if (rc == ZC_OK)
        rc = store_query_int(s, match_sql[MQ_ORDER_COUNT], &norders, err);
    if (rc == ZC_OK) {
        add_years(start, term_years, end_date, sizeof(end_date));
        snprintf(number, sizeof(number), "ZC-%.4s-%04lld", start, (long long)norders + 1);
        rc = match_prepare(s, MQ_ORDER_INSERT, &st, err);
        if (rc == ZC_OK) {
            store_bind_int(st, 1, id);
            store_bind_cstr(st, 2, number);
            store_bind_cstr(st, 3, published); /* the day it was published, not its start */
            store_bind_int(st, 4, term_years);
            store_bind_cstr(st, 5, start);
            store_bind_cstr(st, 6, end_date);
            rc = store_run(st, err);
            store_finalize(st);
        }
    }
    /* Postings end with the term: the order's end, or for a refill the
     * rest of the term it takes over (and its order says so). */
    if (rc == ZC_OK)
        rc = plan_run(s, refill ? MQ_TERM_REFILL : MQ_TERM_SET, id, start, end_date, err);
    if (rc == ZC_OK && refill)
        rc = plan_run(s, MQ_TERM_REFILL_ORDER, id, start, NULL, err);
    /* A post with its own term (任期) ends its seats' postings then. */
    if (rc == ZC_OK)
        rc = plan_run(s, MQ_TERM_POSTS, id, start, NULL, err);
    if (rc == ZC_OK)
        rc = plan_get(s, id, out, err);
    if (rc == ZC_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

/* ---- rotation (轮换) ------------------------------------------------------------- */

struct rot_slot {
    int64_t plan, village, cadre; /* cadre 0: vacant */
    int seq;
    char role[32], start[16], term_end[16];
};

static bool rot_selected(const struct plan_rotation *r, int64_t village)
{
    if (!r->nvillages)
        return true;
    for (size_t k = 0; k < r->nvillages; k++)
        if (r->villages[k] == village)
            return true;
    return false;
}

/* The roster slots of plan id's villages that r selects, into *out. */
static int rot_load(struct store *s, int64_t id, const struct plan_rotation *r,
                    struct rot_slot **out, size_t *n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    size_t cap = 0;
    int64_t *seen = NULL; /* the order's villages, sorted by the query */
    size_t nseen = 0;
    bool row = false;
    int rc = match_prepare(s, MQ_ROTATE_SLOTS, &st, err);
    *out = NULL;
    *n = 0;
    if (rc == ZC_OK)
        store_bind_int(st, 1, id);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        int64_t v = store_col_int(st, 1);
        struct rot_slot *x;
        if (!nseen || seen[nseen - 1] != v) {
            seen = zc_reallocarray(seen, nseen + 1, sizeof(*seen));
            seen[nseen++] = v;
        }
        if (!rot_selected(r, v))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = zc_reallocarray(*out, cap, sizeof(**out));
        }
        x = &(*out)[(*n)++];
        x->plan = store_col_int(st, 0);
        x->village = v;
        x->seq = (int)store_col_int(st, 2);
        snprintf(x->role, sizeof(x->role), "%s", store_col_text(st, 3));
        x->cadre = strcmp(store_col_text(st, 7), "serving") == 0 ? store_col_int(st, 4) : 0;
        snprintf(x->start, sizeof(x->start), "%s", store_col_text(st, 5));
        snprintf(x->term_end, sizeof(x->term_end), "%s", store_col_text(st, 6));
    }
    store_finalize(st);
    for (size_t k = 0; rc == ZC_OK && k < r->nvillages; k++) {
        bool in = false;
        for (size_t j = 0; j < nseen && !in; j++)
            in = seen[j] == r->villages[k];
        if (!in)
            rc = zc_error_set(err, ZC_EINVAL,
                              "village %lld is not in plan %lld's dispatch order (it has %zu "
                              "villages with a team; see 'zhucun plan show %lld')",
                              (long long)r->villages[k], (long long)id, nseen, (long long)id);
    }
    free(seen);
    return rc;
}

/* A published dispatch order (plan id), or the refusal. */
static int order_get(struct store *s, int64_t id, const char *what, struct plan_meta *pm,
                     struct zc_error *err)
{
    int rc = plan_get(s, id, pm, err);
    if (rc == ZC_OK && (strcmp(pm->status, "published") != 0 || !pm->order_no[0]))
        rc = zc_error_set(
            err, ZC_ECONFLICT, "plan %lld is %s: only a published dispatch order's term can be %s",
            (long long)id, strcmp(pm->status, "draft") == 0 ? "a draft" : pm->status, what);
    return rc;
}

int plan_extend(struct store *s, int64_t id, const struct plan_extension *x,
                struct plan_extended *out, struct zc_error *err)
{
    struct plan_rotation sel = {.villages = x->villages, .nvillages = x->nvillages};
    struct plan_meta pm;
    struct rot_slot *sl = NULL;
    struct store_stmt *st = NULL, *upd = NULL, *ins = NULL;
    size_t n = 0;
    int64_t last_village = 0;
    bool row = false;
    int rc = order_get(s, id, "extended", &pm, err);

    memset(out, 0, sizeof(*out));
    if (rc == ZC_OK)
        rc = rot_load(s, id, &sel, &sl, &n, err);
    /* The term in force: the latest term end of the postings serving there
     * (a rotated village's new term), else the order's. */
    if (rc == ZC_OK) {
        snprintf(out->old_end, sizeof(out->old_end), "%s", pm.term_end);
        snprintf(out->order_no, sizeof(out->order_no), "%s", pm.order_no);
        out->scope = pm.scope;
    }
    for (size_t k = 0; rc == ZC_OK && k < n; k++)
        if (sl[k].cadre && strcmp(sl[k].term_end, out->old_end) > 0)
            snprintf(out->old_end, sizeof(out->old_end), "%s", sl[k].term_end);
    if (rc == ZC_OK && strcmp(x->until, out->old_end) <= 0)
        rc = zc_error_set(err, ZC_EINVAL,
                          "plan %lld's term ends on %s%s; an extension must end after that, not "
                          "on %s",
                          (long long)id, out->old_end,
                          x->nvillages ? " in the selected villages" : "", x->until);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_TERM_RECORD, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        store_bind_cstr(st, 2, out->old_end);
        store_bind_cstr(st, 3, x->until);
        store_bind_cstr(st, 4, x->reason ? x->reason : "");
        store_bind_cstr(st, 5, x->by);
        store_bind_cstr(st, 6, x->at);
        rc = store_step(st, &row, err);
        if (rc == ZC_OK && row)
            out->change = store_col_int(st, 0);
    }
    store_finalize(st);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_TERM_EXTEND_POSTING, &upd, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_TERM_EXTEND_VILLAGE, &ins, err);
    for (size_t k = 0; rc == ZC_OK && k < n; k++) {
        if (sl[k].village != last_village) {
            last_village = sl[k].village;
            out->villages++;
            store_bind_int(ins, 1, out->change);
            store_bind_int(ins, 2, sl[k].village);
            rc = store_run(ins, err);
        }
        if (rc == ZC_OK && sl[k].cadre) {
            store_bind_int(upd, 1, sl[k].cadre);
            store_bind_cstr(upd, 2, x->until);
            store_bind_int(upd, 3, sl[k].village);
            rc = store_run(upd, err);
        }
    }
    if (rc == ZC_OK)
        out->postings = store_stmt_changes(upd);
    store_finalize(upd);
    store_finalize(ins);
    /* The whole order extended: its own end moves (a refill elsewhere in it
     * then serves to the new end as well). */
    if (rc == ZC_OK && !x->nvillages)
        rc = plan_run(s, MQ_TERM_EXTEND_ORDER, id, x->until, NULL, err);
    free(sl);
    return rc;
}

int plan_rotate(struct store *s, int64_t id, const struct plan_rotation *r,
                struct plan_rotated *out, struct zc_error *err)
{
    struct plan_meta pm;
    struct rot_slot *sl = NULL;
    struct store_stmt *st = NULL, *end = NULL, *vac = NULL, *ins = NULL;
    size_t n = 0, serving = 0;
    int64_t last_village = 0;
    bool row = false;
    int rc = order_get(s, id, "rotated", &pm, err);

    memset(out, 0, sizeof(*out));
    if (rc == ZC_OK)
        rc = rot_load(s, id, r, &sl, &n, err);
    /* The term in force: the latest term end of the postings that leave. */
    for (size_t k = 0; rc == ZC_OK && k < n; k++) {
        if (!sl[k].cadre)
            continue;
        serving++;
        if (strcmp(sl[k].term_end, out->old_end) > 0)
            snprintf(out->old_end, sizeof(out->old_end), "%s", sl[k].term_end);
    }
    if (rc == ZC_OK && !serving)
        rc = zc_error_set(err, ZC_ECONFLICT,
                          "no cadre serves in the %s of plan %lld's dispatch order %s: nothing "
                          "to rotate",
                          r->nvillages ? "selected villages" : "villages", (long long)id,
                          pm.order_no);
    if (rc == ZC_OK) {
        if (!out->old_end[0])
            snprintf(out->old_end, sizeof(out->old_end), "%s", pm.term_end);
        snprintf(out->day, sizeof(out->day), "%s", r->on ? r->on : out->old_end);
        add_years(out->day, pm.term_years, out->new_end, sizeof(out->new_end));
        snprintf(out->order_no, sizeof(out->order_no), "%s", pm.order_no);
        out->scope = pm.scope;
    }
    for (size_t k = 0; rc == ZC_OK && k < n; k++)
        if (sl[k].cadre && strcmp(out->day, sl[k].start) <= 0)
            rc = zc_error_set(err, ZC_EINVAL,
                              "a rotation on %s would end the posting in slot %d of village "
                              "%lld on or before the day it began (%s); date it after that day",
                              out->day, sl[k].seq, (long long)sl[k].village, sl[k].start);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_ROTATE_RECORD, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        store_bind_cstr(st, 2, out->old_end);
        store_bind_cstr(st, 3, out->new_end);
        store_bind_cstr(st, 4, r->reason ? r->reason : "");
        store_bind_cstr(st, 5, r->by);
        store_bind_cstr(st, 6, r->at);
        store_bind_cstr(st, 7, out->day);
        rc = store_step(st, &row, err);
        if (rc == ZC_OK && row)
            out->change = store_col_int(st, 0);
    }
    store_finalize(st);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_ROTATE_END_POSTING, &end, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_ROTATE_VACATE, &vac, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_ROTATE_SLOT_INSERT, &ins, err);
    for (size_t k = 0; rc == ZC_OK && k < n; k++) {
        const struct rot_slot *x = &sl[k];
        if (x->village != last_village) {
            out->villages++;
            last_village = x->village;
        }
        out->slots++;
        if (x->cadre) {
            store_bind_int(end, 1, x->cadre);
            store_bind_cstr(end, 2, out->day);
            store_bind_int(end, 3, x->village);
            rc = store_run(end, err);
            if (rc == ZC_OK) {
                store_bind_int(vac, 1, x->plan);
                store_bind_int(vac, 2, x->village);
                store_bind_int(vac, 3, x->seq);
                rc = store_run(vac, err);
            }
        }
        if (rc == ZC_OK) {
            store_bind_int(ins, 1, out->change);
            store_bind_int(ins, 2, x->plan);
            store_bind_int(ins, 3, x->village);
            store_bind_int(ins, 4, x->seq);
            store_bind_cstr(ins, 5, x->role);
            if (x->cadre)
                store_bind_int(ins, 6, x->cadre);
            else
                store_bind_null(ins, 6);
            store_bind_int(ins, 7, r->keep_cadres ? 1 : 0);
            rc = store_run(ins, err);
        }
    }
    if (rc == ZC_OK)
        out->postings = store_stmt_changes(end);
    store_finalize(end);
    store_finalize(vac);
    store_finalize(ins);
    free(sl);
    return rc;
}

int plan_recall(struct store *s, const char *id_number, const char *reason, const char *date,
                int64_t *village, bool *vacancy, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char idn[IDCARD_LEN + 1];
    int64_t cadre = 0, plan = 0, seq = 0;
    char role[32] = "";
    bool row = false;
    int rc;

    *vacancy = false;
    if (idcard_normalize(id_number, strlen(id_number), idn, NULL) != ZC_OK)
        snprintf(idn, sizeof(idn), "%s", id_number);
    rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    /* A cadre serves either in a published plan's post, or by a posting that
     * came from elsewhere (an imported or generated roster): both can be
     * recalled; only the first leaves a post for `match --refill`. */
    rc = match_prepare(s, MQ_RECALL_FIND, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, idn);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre with ID number %s", id_number);
    if (rc == ZC_OK && store_col_is_null(st, 1) && !store_col_int(st, 5))
        rc = zc_error_set(err, ZC_ENOTFOUND, "cadre %s is not serving anywhere", id_number);
    if (rc == ZC_OK && store_col_text(st, 6)[0] && strcmp(date, store_col_text(st, 6)) < 0)
        rc = zc_error_set(err, ZC_EINVAL,
                          "a recall on %s would be before the posting began (%s); date it on "
                          "or after that day",
                          date, store_col_text(st, 6));
    if (rc == ZC_OK) {
        cadre = store_col_int(st, 0);
        plan = store_col_is_null(st, 1) ? 0 : store_col_int(st, 1);
        *vacancy = plan != 0;
        *village = store_col_int(st, 2);
        seq = store_col_int(st, 3);
        snprintf(role, sizeof(role), "%s", store_col_text(st, 4));
    }
    store_finalize(st);
    st = NULL;
    if (rc == ZC_OK)
        rc = plan_run(s, MQ_RECALL_END_POSTING, cadre, date, NULL, err);
    if (rc == ZC_OK && plan)
        rc = match_prepare(s, MQ_RECALL_VACATE, &st, err);
    if (rc == ZC_OK && plan) {
        store_bind_int(st, 1, plan);
        store_bind_int(st, 2, *village);
        store_bind_int(st, 3, seq);
        rc = store_run(st, err);
        store_finalize(st);
        st = NULL;
    }
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_RECALL_INSERT, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, cadre);
        store_bind_int(st, 2, *village);
        if (plan)
            store_bind_int(st, 3, plan);
        else
            store_bind_null(st, 3);
        store_bind_cstr(st, 4, role);
        store_bind_cstr(st, 5, date);
        store_bind_cstr(st, 6, reason ? reason : "");
        rc = store_run(st, err);
        store_finalize(st);
    }
    if (rc == ZC_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

int plan_discard(struct store *s, int64_t id, struct zc_error *err)
{
    struct plan_meta pm;
    struct store_stmt *st = NULL;
    int rc = plan_get(s, id, &pm, err);
    if (rc == ZC_OK && strcmp(pm.status, "draft") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT,
                          "方案 %lld %s, 只有草案可以放弃 / plan %lld is %s: only a draft can be "
                          "discarded",
                          (long long)id, strcmp(pm.status, "published") == 0 ? "已发布" : "已放弃",
                          (long long)id, pm.status);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_PLAN_DISCARD, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

/* ---- export ------------------------------------------------------------------------ */

static const struct tw_column export_cols[] = {
    {"county", "县(市、区)", TW_TEXT, 14},
    {"township", "乡(镇)", TW_TEXT, 14},
    {"village_code", "村代码", TW_TEXT, 14},
    {"village", "村", TW_TEXT, 16},
    {"seq", "序号", TW_INT, 6},
    {"role", "岗位", TW_TEXT, 10},
    {"need", "需求技能", TW_TEXT, 10},
    {"id_number", "身份证号", TW_TEXT, 20},
    {"name", "姓名", TW_TEXT, 10},
    {"unit", "派出单位", TW_TEXT, 24},
    {"skills", "专业技能", TW_TEXT, 18},
    {"score", "匹配得分", TW_INT, 8},
    {"breakdown", "得分明细", TW_TEXT, 36},
    {"plan", "方案", TW_INT, 6},
};

#define NEXPORT (sizeof(export_cols) / sizeof(export_cols[0]))

/* The XLSX dispatch list as an office files it (选派名单): a title row, the
 * header, then the rows of each village as one block, with the county,
 * township and village cells merged over their rows; A4 landscape, one page
 * wide, the header repeated on every printed page. Written with
 * libxlsxwriter, which the table writer does not use for merged cells. */
struct xlsx_list {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *title, *head, *cell, *group, *num;
    uint32_t row;        /* next row to write */
    uint32_t start[3];   /* first row of the open county, township, village */
    char key[3][24];     /* their codes */
    char text[3][2][80]; /* their merged texts (village: code and name) */
};

/* Close the open group g (and below) ending before row `xl->row`. */
static void xlsx_close_group(struct xlsx_list *xl, int g)
{
    for (int k = 2; k >= g; k--) {
        int c0 = k == 2 ? 2 : k, c1 = k == 2 ? 3 : k;
        if (!xl->key[k][0])
            continue;
        for (int c = c0; c <= c1; c++) {
            const char *t = xl->text[k][c - c0];
            if (xl->row - 1 > xl->start[k])
                worksheet_merge_range(xl->ws, xl->start[k], (lxw_col_t)c, xl->row - 1, (lxw_col_t)c,
                                      t, xl->group);
            else
                worksheet_write_string(xl->ws, xl->start[k], (lxw_col_t)c, t, xl->group);
        }
        xl->key[k][0] = 0;
    }
}

static int xlsx_list_open(struct xlsx_list *xl, const char *path, const char *title,
                          const char *sheet, struct zc_error *err)
{
    memset(xl, 0, sizeof(*xl));
    xl->wb = workbook_new(path);
    if (!xl->wb)
        return zc_error_set(err, ZC_EIO, "cannot write %s", path);
    xl->ws = workbook_add_worksheet(xl->wb, sheet);
    xl->title = workbook_add_format(xl->wb);
    format_set_bold(xl->title);
    format_set_font_size(xl->title, 16);
    format_set_align(xl->title, LXW_ALIGN_CENTER);
    format_set_align(xl->title, LXW_ALIGN_VERTICAL_CENTER);
    xl->head = workbook_add_format(xl->wb);
    format_set_bold(xl->head);
    format_set_border(xl->head, LXW_BORDER_THIN);
    format_set_align(xl->head, LXW_ALIGN_CENTER);
    format_set_bg_color(xl->head, 0xDDEBF7);
    xl->cell = workbook_add_format(xl->wb);
    format_set_border(xl->cell, LXW_BORDER_THIN);
    format_set_align(xl->cell, LXW_ALIGN_VERTICAL_CENTER);
    format_set_num_format(xl->cell, "@"); /* text: 18-digit ID numbers stay exact */
    xl->num = workbook_add_format(xl->wb);
    format_set_border(xl->num, LXW_BORDER_THIN);
    format_set_align(xl->num, LXW_ALIGN_VERTICAL_CENTER);
    xl->group = workbook_add_format(xl->wb);
    format_set_border(xl->group, LXW_BORDER_THIN);
    format_set_align(xl->group, LXW_ALIGN_CENTER);
    format_set_align(xl->group, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(xl->group);
    worksheet_merge_range(xl->ws, 0, 0, 0, (lxw_col_t)(NEXPORT - 1), title, xl->title);
    worksheet_set_row(xl->ws, 0, 30, NULL);
    for (size_t c = 0; c < NEXPORT; c++) {
        worksheet_write_string(xl->ws, 1, (lxw_col_t)c, export_cols[c].header, xl->head);
        worksheet_set_column(xl->ws, (lxw_col_t)c, (lxw_col_t)c, export_cols[c].width, NULL);
    }
    worksheet_freeze_panes(xl->ws, 2, 0);
    worksheet_set_landscape(xl->ws);
    worksheet_set_paper(xl->ws, 9); /* A4 */
    worksheet_fit_to_pages(xl->ws, 1, 0);
    worksheet_repeat_rows(xl->ws, 1, 1);
    xl->row = 2;
    return ZC_OK;
}

/* One row; cells as in export_cols (county, township, village code and
 * name are merged per group, so they are only remembered here). */
static void xlsx_list_row(struct xlsx_list *xl, const char *const *cells, int64_t village)
{
    char code[3][24];
    snprintf(code[0], sizeof(code[0]), "%lld", (long long)(village / 1000000));
    snprintf(code[1], sizeof(code[1]), "%lld", (long long)(village / 1000));
    snprintf(code[2], sizeof(code[2]), "%lld", (long long)village);
    for (int g = 0; g < 3; g++) {
        if (strcmp(xl->key[g], code[g]) == 0)
            continue;
        xlsx_close_group(xl, g);
        for (int k = g; k < 3; k++) {
            snprintf(xl->key[k], sizeof(xl->key[k]), "%s", code[k]);
            xl->start[k] = xl->row;
            snprintf(xl->text[k][0], sizeof(xl->text[k][0]), "%s", k == 2 ? cells[2] : cells[k]);
            snprintf(xl->text[k][1], sizeof(xl->text[k][1]), "%s", k == 2 ? cells[3] : "");
        }
        break;
    }
    for (size_t c = 4; c < NEXPORT; c++) {
        if (export_cols[c].type == TW_INT && cells[c] && cells[c][0])
            worksheet_write_number(xl->ws, xl->row, (lxw_col_t)c, strtod(cells[c], NULL), xl->num);
        else
            worksheet_write_string(xl->ws, xl->row, (lxw_col_t)c, cells[c] ? cells[c] : "",
                                   xl->cell);
    }
    xl->row++;
}

static int xlsx_list_close(struct xlsx_list *xl, const char *path, struct zc_error *err)
{
    lxw_error e;
    if (!xl->wb)
        return ZC_OK;
    xlsx_close_group(xl, 0);
    e = workbook_close(xl->wb);
    xl->wb = NULL;
    if (e != LXW_NO_ERROR)
        return zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, lxw_strerror(e));
    return ZC_OK;
}

int plan_export(struct store *s, int64_t plan, const struct plan_export_options *opt, size_t *nrows,
                struct zc_error *err)
{
    struct store_stmt *st = NULL;
    struct tablewriter *w = NULL;
    struct xlsx_list xl = {0};
    struct plan_meta pm;
    char title[256];
    bool row = false;
    FILE *fp = stdout;
    int rc;

    *nrows = 0;
    if (plan > 0) {
        rc = plan_get(s, plan, &pm, err);
        if (rc != ZC_OK)
            return rc;
        snprintf(title, sizeof(title), "驻村干部选派名单 (方案 %lld%s%s, %s)", (long long)plan,
                 pm.order_no[0] ? ", 选派命令 " : "", pm.order_no, pm.status);
    } else {
        snprintf(title, sizeof(title), "驻村工作队花名册 (在岗)");
    }
    if (opt->format != TW_XLSX && opt->path) {
        fp = fopen(opt->path, "wb");
        if (!fp)
            return zc_error_set(err, ZC_EIO, "cannot write %s", opt->path);
    }
    if (opt->format == TW_XLSX && !opt->path)
        return zc_error_set(err, ZC_EINVAL, "XLSX needs an output file (-o FILE)");
    if (opt->format == TW_XLSX)
        rc = xlsx_list_open(&xl, opt->path, title, plan > 0 ? "选派名单" : "花名册", err);
    else
        rc = tw_open((enum tw_format)opt->format, opt->path, fp, title,
                     plan > 0 ? "选派名单" : "花名册", export_cols, NEXPORT, &w, err);
    if (rc == ZC_OK)
        rc = match_prepare(s,
                           plan == 0          ? MQ_EXPORT_ROSTER
                           : opt->with_vacant ? MQ_EXPORT_PLAN
                                              : MQ_EXPORT_PLAN_FILLED,
                           &st, err);
    if (rc == ZC_OK && plan)
        store_bind_int(st, 1, plan);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        const char *cells[NEXPORT];
        char code[24], seq[16], score[16], pl[24], id[32];
        int role = model_role_parse(store_col_text(st, 5));
        const char *idn = store_col_text(st, 7);
        for (size_t k = 0; k < NEXPORT; k++)
            cells[k] = store_col_text(st, (int)k);
        snprintf(code, sizeof(code), "%lld", (long long)store_col_int(st, 2));
        snprintf(seq, sizeof(seq), "%lld", (long long)store_col_int(st, 4));
        snprintf(pl, sizeof(pl), "%lld", (long long)store_col_int(st, 13));
        if (store_col_is_null(st, 11))
            score[0] = 0;
        else
            snprintf(score, sizeof(score), "%lld", (long long)store_col_int(st, 11));
        if (opt->unmask || !idn[0])
            snprintf(id, sizeof(id), "%s", idn);
        else
            idcard_mask(idn, id, sizeof(id));
        cells[2] = code;
        cells[4] = seq;
        cells[5] = role >= 0 ? model_role_zh((enum model_role)role) : store_col_text(st, 5);
        if (role == MR_POST && store_col_text(st, 14)[0])
            cells[5] = store_col_text(st, 14); /* the post's title: 县委副书记(挂职) */
        cells[7] = id;
        cells[11] = score;
        cells[13] = pl;
        if (xl.wb)
            xlsx_list_row(&xl, cells, store_col_int(st, 2));
        else
            rc = tw_row(w, cells, err);
        if (rc == ZC_OK)
            (*nrows)++;
    }
    store_finalize(st);
    if (w) {
        int rc2 = tw_close(w, err);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (xl.wb) {
        int rc2 = xlsx_list_close(&xl, opt->path, err);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (fp != stdout)
        fclose(fp);
    return rc;
}
