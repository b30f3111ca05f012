/* SPDX-License-Identifier: MIT */
/* select.h - who may be chosen: every cadre against the policy's eligibility
 * rules (policy.h, struct policy_eligibility), with every rule that failed.
 *
 * Two layers. eligible_check() is a pure function of one cadre's facts, the
 * policy and a date: the unit tests drive it from tables, and the matching
 * model may call it directly. eligible_scan() streams every cadre of a store
 * through it with three queries in all (cadres, grades, discipline, merged
 * by cadre id), so a province of 22k cadres or a nation of 3M costs one pass
 * and no per-cadre query. A reason carries a stable machine code
 * (eligible_code_name: "grade_basic_competent") and renders in Chinese and
 * English (eligible_reason_text). See docs/internals/policy.md. */
#ifndef ZC_SELECT_H
#define ZC_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/policy.h"

struct store;

/* Why a cadre is not eligible. Codes are stable: they appear in JSON/CSV. */
enum eligible_code {
    EL_NOT_ON_STAFF,      /* not_on_staff: 非在职在编 */
    EL_GRADE_EXCELLENT,   /* grade_excellent (only if a policy rejects it) */
    EL_GRADE_COMPETENT,   /* grade_competent (only if a policy rejects it) */
    EL_GRADE_BASIC,       /* grade_basic_competent: 基本称职 in the window */
    EL_GRADE_INCOMPETENT, /* grade_incompetent: 不称职 in the window */
    EL_DISCIPLINE,        /* discipline_active: a penalty still in effect */
    EL_SERVICE_SHORT,     /* service_too_short: newcomer (新进机关) */
    EL_SERVICE_UNKNOWN,   /* service_unknown: years of service not recorded */
    EL_TOO_OLD,           /* too_old: above the age limit at dispatch */
    EL_AGE_UNKNOWN,       /* age_unknown: no birth date or gender */
    EL_SERVING,           /* already_serving: an open posting */
    EL_NOT_PARTY,         /* not_party_member */
    EL_NOT_VOLUNTEER,     /* not_volunteer */
    EL_EDUCATION,         /* education_too_low */
    EL_UNIT_CATEGORY,     /* unit_category_excluded: e.g. no school teachers */
    EL_UNIT_EXCLUDED,     /* unit_excluded */
    EL_NCODES
};

#define ELIGIBLE_MAX_REASONS 24
#define ELIGIBLE_MAX_YEARS   32

struct eligible_reason {
    enum eligible_code code; /* which rule */
    int year;                /* grade or penalty year, else 0 */
    int value;               /* the cadre's value (years, age, education), else 0 */
    int limit;               /* the policy's limit, else 0 */
    char text[40];           /* penalty kind, category, unit code or end date */
    char until[16];          /* discipline: first day the penalty no longer bars */
};

struct eligible_grade {
    int year;       /* assessment year */
    unsigned grade; /* one PG_* bit */
};

struct eligible_penalty {
    int year;      /* year imposed */
    char kind[32]; /* as recorded, e.g. "记过" */
};

/* One cadre's facts as the rules see them. */
struct eligible_cadre {
    int64_t id;                               /* cadre.id */
    char id_number[19];                       /* GB 11643, normalised */
    char name[64];                            /* UTF-8 */
    char unit[32];                            /* unit code */
    unsigned unit_category;                   /* one PC_* bit (0 if unknown) */
    int rank;                                 /* PR_* */
    bool party_member;                        /* 党员 */
    bool reserve;                             /* 后备干部 */
    bool on_staff;                            /* 在职在编 */
    bool volunteer;                           /* 自愿报名 */
    bool serving;                             /* has an open posting */
    int education;                            /* PE_*; PE_ANY = unknown */
    int service_years;                        /* -1 = unknown */
    char gender;                              /* 'M', 'F', or 0 = unknown */
    int birth_y, birth_m, birth_d;            /* 0 = unknown */
    const struct eligible_grade *grades;      /* any order */
    size_t ngrades;                           /* entries */
    const struct eligible_penalty *penalties; /* any order */
    size_t npenalties;                        /* entries */
};

struct eligible_result {
    bool ok;                                              /* no rule failed */
    int age;                                              /* at the dispatch date; -1 unknown */
    size_t nreasons;                                      /* failed rules */
    struct eligible_reason reasons[ELIGIBLE_MAX_REASONS]; /* in rule order */
};

/* A date as three ints (year, month, day). */
struct eligible_date {
    int y, m, d; /* calendar date */
};

/* Check one cadre. `today` dates the grade window and discipline; the age
 * is taken at the policy's dispatch_date, or `today` when it has none. */
void eligible_check(const struct policy *p, const struct eligible_cadre *c,
                    struct eligible_date today, struct eligible_result *out);

/* Called once per cadre, in id order. Both pointers are borrowed for the
 * call. Return ZC_OK to go on, anything else stops the scan (and is returned). */
typedef int (*eligible_fn)(void *ud, const struct eligible_cadre *c,
                           const struct eligible_result *r);

struct eligible_scan_opts {
    const char *unit;           /* only this unit's cadres, or NULL for all */
    struct eligible_date today; /* {0} = registry_today() */
};

/* Stream every cadre (of opts->unit) through eligible_check(). */
int eligible_scan(struct store *s, const struct policy *p, const struct eligible_scan_opts *opts,
                  eligible_fn fn, void *ud, struct zc_error *err);

const char *eligible_code_name(enum eligible_code code); /* "grade_basic_competent" */

/* Render a reason: zh ("2016年度考核为基本称职") or English ("rated 基本称职 in
 * 2016"). Returns out. */
const char *eligible_reason_text(const struct eligible_reason *r, bool zh, char *out, size_t outsz);

#endif
