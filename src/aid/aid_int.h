/* SPDX-License-Identifier: MIT */
/* aid_int.h - shared by the files of src/aid: the named statements. */
#ifndef ZC_AID_INT_H
#define ZC_AID_INT_H

#include "aid.h"
#include "store/store.h"

enum aid_query {
    AQ_HOUSEHOLD,          /* id -> village, responsible cadre (0) */
    AQ_CAUSES_DELETE,      /* household */
    AQ_CAUSE_INSERT,       /* household, cause, position */
    AQ_MAIN_CAUSE,         /* cause, household */
    AQ_CAUSES_GET,         /* household -> cause, main first */
    AQ_MAIN_CAUSE_GET,     /* household -> household.cause */
    AQ_PLAN_GET,           /* household -> version, next, status, measures, open, reviews */
    AQ_PLAN_INSERT,        /* household, by, at */
    AQ_PLAN_UPDATE,        /* version, next, status, by, at, household */
    AQ_MEASURE_INSERT,     /* household, kind, what, amount, who, due -> id */
    AQ_MEASURE_GET,        /* id -> household, kind, what, amount, who, due, status */
    AQ_MEASURE_UPDATE,     /* kind, what, amount, who, due, id */
    AQ_MEASURE_DELETE,     /* id */
    AQ_MEASURE_DONE,       /* status, done_date, id */
    AQ_MEASURES,           /* household -> id, kind, what, amount, who, due, status, done */
    AQ_VERSION_SAVE,       /* household, version, measures, by, at */
    AQ_REVIEW_INSERT,      /* household, version, level, decision, reason, reviewer, at */
    AQ_REVIEWS,            /* household -> version, level, decision, reason, reviewer, at */
    AQ_PLAN_LIST,          /* lo, hi, status, next lo, next hi, cadre lo, cadre hi */
    AQ_CADRE_BY_IDNUM,     /* id_number -> id, name, unit */
    AQ_CADRE_SERVES,       /* cadre, village -> 1 while serving in its team */
    AQ_VILLAGE_PAIRED,     /* village -> paired unit */
    AQ_CADRE_LOAD,         /* cadre, household -> the cadre's other households */
    AQ_ASSIGN,             /* household, cadre, basis, since, by, at */
    AQ_PREV_RESPONSIBLE,   /* household -> ID number of the responsible cadre */
    AQ_RESPONSIBLE_BY_HH,  /* lo, hi, cadre lo, cadre hi -> the list by household */
    AQ_RESPONSIBLE_BY_CAD, /* lo, hi, cadre lo, cadre hi -> the list by cadre */
    AQ_RESPONSIBLE_ONE,    /* lo, hi, cadre lo, cadre hi, household -> its row */
    AQ_MEASURE_FIND,       /* household, kind, what -> id, amount, who, due */
    AQ_FORM_HOUSEHOLDS,    /* lo, hi -> the household basic table (国家表式) */
    AQ_FORM_MEMBERS,       /* lo, hi -> the member table */
    AQ_FORM_B92,           /* lo, hi, day -> B92 驻村工作队情况_干部表 */
    AQ_COUNT
};

extern const char *const aid_sql[AQ_COUNT];

/* Load the household's village and responsible cadre (0 when none; may be
 * NULL) and check the scope: a division scope holding the village, or
 * (when `cadre_ok`) the cadre scope of its responsible cadre. */
int aid_household_open(struct store *s, const struct zc_scope *scope, const char *household,
                       bool cadre_ok, int64_t *village, int64_t *responsible, struct zc_error *err);

int aid_prepare(struct store *s, enum aid_query q, struct store_stmt **out, struct zc_error *err);

#endif
