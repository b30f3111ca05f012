/* SPDX-License-Identifier: MIT */
/* plan.h - dispatch plans in the store (plan.c): a solved model saved as a
 * draft, listed and shown, published as a dispatch order (选派命令, with
 * postings and their term), extended, rotated (轮换), discarded, recalled
 * (召回撤换), and exported. */
#ifndef ZC_PLAN_H
#define ZC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"
#include "match/model.h"

struct store;

struct plan_meta {
    int64_t id;            /* plan.id */
    char kind[8];          /* match, refill */
    char status[12];       /* draft, published, discarded */
    char created_at[16];   /* YYYY-MM-DD */
    char policy_name[64];  /* policy.name */
    int64_t scope;         /* 0 = everywhere */
    int64_t objective;     /* solver objective */
    int64_t slots, filled; /* counts */
    int64_t cadres, moves; /* eligible cadres, moves */
    double seconds;        /* build + solve */
    char order_no[32];     /* dispatch order number once published, else "" */
    int term_years;        /* once published */
    char term_end[16];     /* once published: the term's end (extensions included) */
};

/* Store a solved model as a draft plan; *id receives plan.id. One
 * transaction. `policy_text` is the policy file as used (explain re-reads it). */
int plan_save(struct store *s, const struct model *m, const char *policy_text,
              const struct model_options *opt, int64_t *id, struct zc_error *err);

int plan_get(struct store *s, int64_t id, struct plan_meta *out, struct zc_error *err);
/* The stored policy text of a plan (caller frees). */
int plan_policy_text(struct store *s, int64_t id, char **out, struct zc_error *err);
/* Call fn for every plan, newest first. */
int plan_list(struct store *s, void (*fn)(void *ud, const struct plan_meta *p), void *ud,
              struct zc_error *err);

/* Publish a draft: the dispatch order (选派命令) with a term of 1..3 years
 * from `start` (YYYY-MM-DD); writes posting rows for every filled slot and
 * makes the slots the roster. ZC_ECONFLICT if the plan is not a draft or a
 * cadre in it is already serving elsewhere. */
int plan_publish(struct store *s, int64_t id, int term_years, const char *start,
                 struct plan_meta *out, struct zc_error *err);

/* Extend a published dispatch order's term (不脱贫不脱钩) to `until`
 * (YYYY-MM-DD): in the selected villages of the order (all when nvillages
 * is 0), every cadre serving in a roster slot (the order's or a refill's,
 * a rotated village's new term included; posts above the village keep
 * their own term) gets the later term end; the order's own end moves when
 * the extension covers all its villages. Recorded in term_change (kind
 * 'extend', old_end the latest term end in force there) and term_extension
 * (its villages: a refill there later serves the extended term). Refused:
 * an unknown plan (ZC_ENOTFOUND), a draft or discarded one (ZC_ECONFLICT),
 * a village not in the order, a day not after the term in force
 * (ZC_EINVAL). The caller's transaction carries it and the audit entry. */
struct plan_extension {
    const int64_t *villages; /* village codes, or NULL for all the order's */
    size_t nvillages;
    const char *until;            /* YYYY-MM-DD */
    const char *reason, *by, *at; /* by: the actor; at: when, UTC */
};

struct plan_extended {
    char old_end[16];
    char order_no[32];
    int64_t change;             /* term_change.id */
    int64_t scope;              /* the plan's scope (0 = everywhere) */
    int64_t villages, postings; /* villages extended, postings given the new end */
};

int plan_extend(struct store *s, int64_t id, const struct plan_extension *x,
                struct plan_extended *out, struct zc_error *err);

/* Rotate (轮换) a published dispatch order's term: in the selected villages
 * of the order (all when nvillages is 0), every cadre serving in a roster
 * slot (the order's or a refill's; posts above the village keep their own
 * term) leaves on `on` (NULL: the day their term ends, the latest term end
 * among them), the slots turn vacant for `match --refill`, and the refill
 * there serves a new term: from that day, the order's term_years long.
 * Unless keep_cadres, the refill keeps each outgoing cadre out of the
 * village they left (other villages may take them). Recorded in
 * term_change (kind 'rotate', old_end the term end in force, new_end the
 * new one, day) and term_rotation (one row per slot). Refused: an unknown
 * plan (ZC_ENOTFOUND), a draft or discarded one, nothing serving to rotate
 * (ZC_ECONFLICT), a village not in the order, a day on or before a posting
 * began (ZC_EINVAL). The caller's transaction carries it and the audit
 * entry. */
struct plan_rotation {
    const int64_t *villages; /* village codes, or NULL for all the order's */
    size_t nvillages;
    const char *on; /* YYYY-MM-DD, or NULL */
    bool keep_cadres;
    const char *reason, *by, *at; /* by: the actor; at: when, UTC */
};

struct plan_rotated {
    char day[16], old_end[16], new_end[16];
    char order_no[32];
    int64_t change;             /* term_change.id */
    int64_t scope;              /* the plan's scope (0 = everywhere) */
    int64_t villages, postings; /* villages rotated, postings ended */
    int64_t slots;              /* slots left vacant (those vacant before included) */
};

int plan_rotate(struct store *s, int64_t id, const struct plan_rotation *r,
                struct plan_rotated *out, struct zc_error *err);

/* Recall (召回撤换) a serving cadre: ends the posting on `date`. A cadre
 * serving in a published plan's post leaves that post vacant for
 * `match --refill` (*vacancy true); a posting from elsewhere (an imported
 * roster) just ends. *village receives the village left. */
/* Discard a draft plan (选派方案 not adopted): ZC_ECONFLICT unless it is a
 * draft; the caller's transaction carries the audit entry. */
int plan_discard(struct store *s, int64_t id, struct zc_error *err);

int plan_recall(struct store *s, const char *id_number, const char *reason, const char *date,
                int64_t *village, bool *vacancy, struct zc_error *err);

/* Who holds a post's seat now (挂职, an open posting of role post), for the
 * posts page: one call per holder, by division, post code, start. */
struct plan_post_holder {
    char post[65];       /* post code */
    int64_t division;    /* the post's division */
    int64_t cadre;       /* cadre.id */
    char name[64];       /* the cadre's name */
    char unit_name[128]; /* the sending unit */
    char start[16], term_end[16];
};

int plan_post_holders(struct store *s, const struct zc_scope *scope,
                      void (*fn)(void *ud, const struct plan_post_holder *h), void *ud,
                      struct zc_error *err);

/* Before a recall over HTTP: the village cadre `id_number` serves in now
 * (an open posting), if it lies in `scope`; ZC_ENOTFOUND if none or outside
 * (out of scope answers like absent). */
int plan_serving_village(struct store *s, const struct zc_scope *scope, const char *id_number,
                         int64_t *village, struct zc_error *err);
/* The ID number of cadre record `id` (the plan pages list cadres by id)
 * into out, or "" when there is no such cadre. */
int plan_cadre_id_number(struct store *s, int64_t id, char *out, size_t n, struct zc_error *err);

/* Write a plan's assignments (plan > 0) or the current roster of serving
 * cadres (plan == 0, `zhucun export teams`) with the table writer. */
struct plan_export_options {
    int format;       /* enum tw_format */
    const char *path; /* output file; NULL = stdout (not for xlsx) */
    bool unmask;      /* ID numbers in full */
    bool with_vacant; /* also rows for unfilled slots */
};

int plan_export(struct store *s, int64_t plan, const struct plan_export_options *opt, size_t *nrows,
                struct zc_error *err);

/* The newest plan id (0 if none): any status, or only drafts. */
int plan_latest(struct store *s, bool drafts_only, int64_t *id, struct zc_error *err);

/* ---- plans as a caller sees them (plan_view.c) ----------------------------- */

/* A caller with a division scope sees the plans matched for a division
 * inside it, and those matched for a wider area (or for everywhere) that
 * hold a slot in one of its villages; a wider plan shows them only its
 * slots there (totals of those, objective 0, `partial`) and is not theirs
 * to publish or discard. A scope of everywhere sees every plan whole. A
 * cadre's own scope sees no plan (ZC_EFORBIDDEN). Bounds are bound as
 * parameters. */
struct plan_view {
    int64_t id;
    char kind[16], status[16], created_at[32], policy_name[128];
    int64_t scope;                 /* 0 = everywhere */
    int64_t objective;             /* 0 for a partial view */
    int64_t slots, filled, cadres; /* in the caller's villages when partial */
    bool has_order;                /* published: the dispatch order below */
    char order_no[64], published_at[32], start[32], end[32];
    int64_t term_years;
    bool partial; /* the plan reaches beyond the caller's scope */
};

/* The plans `scope` sees, newest first, at most 200. */
int plan_view_list(struct store *s, const struct zc_scope *scope,
                   void (*fn)(void *ud, const struct plan_view *p), void *ud, struct zc_error *err);
/* Plan `id` if `scope` sees it (`owned`: if it may publish or discard it):
 * ZC_ENOTFOUND if not. */
int plan_view_get(struct store *s, const struct zc_scope *scope, int64_t id, bool owned,
                  struct plan_view *out, struct zc_error *err);

/* The slots of a plan in the caller's villages, or the cadres it did not
 * send of the caller's jurisdiction (units in it, or serving in it). */
enum plan_slot_view {
    PSV_BY_VILLAGE, /* slots by village and number */
    PSV_BY_CADRE,   /* filled slots by cadre name */
    PSV_UNSENT      /* cadres not sent, by name (village and only do not apply) */
};

enum plan_slot_only { PSO_ALL, PSO_FILLED, PSO_UNFILLED };

struct plan_slot_query {
    int64_t plan;
    enum plan_slot_view view;
    int64_t lo, hi;           /* villages in [lo, hi] only (0, INT64_MAX: all) */
    enum plan_slot_only only; /* slots filled, unfilled or both */
    int64_t limit, offset;    /* the page */
};

/* One row, as stored: strings are borrowed for the callback and NULL where
 * the column is NULL (an unfilled slot's cadre, a need of a member slot). */
struct plan_slot_row {
    int64_t village, seq; /* slot views */
    const char *village_name, *role, *need, *state, *breakdown;
    bool has_cadre, has_score;
    int64_t cadre, score;
    const char *cadre_name, *unit_name, *reason, *detail; /* detail: unsent view */
};

/* Call fn for each row of the page; *total receives the rows of every page. */
int plan_slots(struct store *s, const struct zc_scope *scope, const struct plan_slot_query *q,
               int64_t *total, void (*fn)(void *ud, const struct plan_slot_row *r), void *ud,
               struct zc_error *err);

#endif
