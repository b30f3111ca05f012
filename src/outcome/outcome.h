/* SPDX-License-Identifier: MIT */
/* outcome.h - poverty outcomes (效): incidence per village, township and
 * county, and whether each meets the exit rule (出列, 摘帽).
 *
 * A village's registered households and people are its ledger figures
 * (户数, 人口); its poor households and people come from the registered
 * poor households (建档立卡) held for it — those still 贫困 (status poor)
 * and identified by the year asked for — or, when none are held, from the
 * ledger's own figures. Incidence is poor people over the registered
 * population; the exit rule is the policy's (outcomes: 2%, 3% in the
 * western provinces). Townships and counties add up their villages.
 * Statements in outcome_sql.c; every call takes the caller's scope. */
#ifndef ZC_OUTCOME_H
#define ZC_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"

struct store;
struct policy;

struct outcome_row {
    int64_t code; /* 12 digits */
    int level;    /* DIV_COUNTY, DIV_TOWNSHIP or DIV_VILLAGE */
    const char *name;
    int64_t households, population;           /* registered (ledger) */
    int64_t poor_households, poor_population; /* still poor */
    int64_t exited_households;                /* registered poor households that exited */
    bool from_households;                     /* the poor figures come from household records */
    int64_t ledger_poor_households, ledger_poor_population; /* the ledger's registered poor */
    bool consistent;    /* villages: ledger and household records agree (or no records) */
    int inconsistent;   /* townships and counties: villages where they differ */
    bool has_incidence; /* population known */
    int incidence_bp;   /* basis points (2.56% = 256) */
    int exit_bp;        /* the rule's threshold */
    bool meets_exit;    /* incidence below the threshold */
    int villages, villages_meeting; /* townships and counties: their villages */
};

/* One row per division of `scope` (its villages, townships and counties),
 * in code order (a county, then each township followed by its villages).
 * `year` counts the households identified by then (poverty_year <= year). */
int outcome_list(struct store *s, const struct policy *p, const struct zc_scope *scope, int year,
                 int (*fn)(void *ud, const struct outcome_row *row), void *ud,
                 struct zc_error *err);

#endif
