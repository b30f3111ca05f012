/* SPDX-License-Identifier: MIT */
/* plan.h - dispatch plans in the store (plan.c): a solved model saved as a
 * draft, listed and shown, published as a dispatch order (选派命令, with
 * postings and their term), extended, discarded, recalled (召回撤换), and
 * exported. */
#ifndef ZC_PLAN_H
#define ZC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
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

/* Extend a published plan's term (不脱贫不脱钩) to `new_end` (YYYY-MM-DD,
 * after the current end, returned in old_end): the dispatch order and every
 * open posting in its villages that ended with it (refills included);
 * recorded in term_change. *postings receives how many were extended.
 * The caller's transaction carries it and the audit entry. */
int plan_extend(struct store *s, int64_t id, const char *new_end, const char *reason,
                const char *by, const char *at, char *old_end, size_t old_sz, int64_t *postings,
                struct zc_error *err);

/* Recall (召回撤换) a serving cadre: ends the posting on `date`. A cadre
 * serving in a published plan's post leaves that post vacant for
 * `match --refill` (*vacancy true); a posting from elsewhere (an imported
 * roster) just ends. *village receives the village left. */
/* Discard a draft plan (选派方案 not adopted): ZC_ECONFLICT unless it is a
 * draft; the caller's transaction carries the audit entry. */
int plan_discard(struct store *s, int64_t id, struct zc_error *err);

int plan_recall(struct store *s, const char *id_number, const char *reason, const char *date,
                int64_t *village, bool *vacancy, struct zc_error *err);

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

#endif
