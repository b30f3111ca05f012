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
 * `year` counts the households identified by then (poverty_year <= year).
 * Each row's exit rule is that of the policy `pm` gives its division (the
 * one chosen for the innermost division over it, field/field.h). */
struct field_policy_map;
int outcome_list(struct store *s, const struct field_policy_map *pm, const struct zc_scope *scope,
                 int year, int (*fn)(void *ud, const struct outcome_row *row), void *ud,
                 struct zc_error *err);

/* ---- yearly status of a household (贫困, 脱贫, 返贫, 监测) -------------------------- */

/* The six checks of 两不愁三保障, in this order: 吃 穿 义务教育 基本医疗 住房安全 饮水安全. */
enum outcome_check {
    OC_FOOD,
    OC_CLOTHING,
    OC_EDUCATION,
    OC_MEDICAL,
    OC_HOUSING,
    OC_WATER,
    OC_NCHECKS
};

extern const char *const outcome_check_name[OC_NCHECKS];

struct outcome_status {
    const char *household;
    int year;
    const char *status; /* poor, exited, returned, watch (or 贫困, 脱贫, 返贫, 监测) */
    bool has_income;
    int64_t income_fen;    /* per person per year */
    int check[OC_NCHECKS]; /* 1 met, 0 not met, -1 not checked */
    const char *evidence;
    const char *actor;
};

/* Record a household's status for a year (replacing that year's record).
 * 脱贫 needs every check met and the income at or above the policy's line
 * (outcomes.income_line_yuan); refused (ZC_EINVAL) naming what is missing.
 * ZC_EFORBIDDEN outside `scope`. */
int outcome_status_set(struct store *s, const struct policy *p, const struct zc_scope *scope,
                       const struct outcome_status *in, struct zc_error *err);
/* The household's yearly records, by year (status as stored). */
int outcome_status_list(struct store *s, const char *household,
                        int (*fn)(void *ud, const struct outcome_status *st), void *ud,
                        struct zc_error *err);
/* "脱贫" -> "exited" ...; NULL if unknown. */
const char *outcome_status_parse(const char *s);
/* "exited" -> "脱贫", "returned" -> "返贫", "watch" -> "监测", else "贫困". */
const char *outcome_status_name(const char *status);

/* ---- the return-to-poverty watch (防返贫监测) ---------------------------------------------- */

/* A household that has exited (a 脱贫 record by `year`) and whose latest
 * record up to `year` shows a risk: income per person below
 * outcomes.watch_income_percent of the line, any 两不愁三保障 check not
 * met, or a status other than 脱贫 since (贫困 or 返贫: returned; 监测). */
struct outcome_watch_row {
    const char *household;
    int64_t village; /* its township and county follow from the code */
    const char *village_name, *township_name, *county_name;
    int year;           /* of the latest record */
    const char *status; /* poor, exited, returned, watch */
    int exit_year;      /* the first 脱贫 record */
    bool has_income;
    int64_t income_fen;
    int check[OC_NCHECKS];  /* 1 met, 0 not met, -1 not checked */
    bool low_income;        /* below the watch line */
    const char *reasons;    /* "收入低于监测线；住房安全未保障" */
    const char *cadre_name; /* the responsible cadre (src/aid), "" if none */
    const char *response;   /* the latest response of the year, with who and when, or "" */
};

/* The watched households of `scope` (a cadre: those they are responsible
 * for), by village and household; *watch_line_fen receives the line. */
int outcome_watch_list(struct store *s, const struct policy *p, const struct zc_scope *scope,
                       int year, int64_t *watch_line_fen,
                       int (*fn)(void *ud, const struct outcome_watch_row *row), void *ud,
                       struct zc_error *err);

/* Record what was done about a watched household in `year` (入户核实,
 * 落实帮扶措施 ...): refused (ZC_EINVAL) unless the household is on the watch
 * that year in `scope` (a cadre: a household they are responsible for);
 * *village receives its village for the audit entry. */
int outcome_watch_respond(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *household, int year, const char *text, const char *actor,
                          int64_t *village, struct zc_error *err);

/* ---- attribution: team villages against comparable villages --------------------------- */

/* What a team's presence changed: each village of `scope` that had a team
 * (a posting overlapping base_year .. year) against the comparable
 * villages without one — the same county, the same ledger class (深度贫困村,
 * 贫困村, 非贫困村) and a baseline incidence within `band_bp` basis points
 * of the team village's. The change is incidence(year) − incidence(base);
 * the effect is the team village's change minus the comparables' mean
 * change (negative: poverty fell further where the team was). A team
 * village without comparables has no effect (has_effect false). */
struct outcome_attribution_row {
    int64_t code; /* the team village */
    const char *name, *county_name;
    const char *class_name; /* 深度贫困村, 贫困村, 非贫困村 */
    bool has_incidence;     /* both years known */
    int base_bp, now_bp, change_bp;
    int comparables;           /* villages compared with */
    int comparables_change_bp; /* their mean change */
    bool has_effect;
    int effect_bp;
    const char *comparable_codes; /* up to 8 codes, "," separated, then "…" */
};

/* Rows in code order; the comparables come from each team village's whole
 * county even when `scope` is narrower. ZC_EINVAL when base_year >= year. */
int outcome_attribution(struct store *s, const struct policy *p, const struct zc_scope *scope,
                        int base_year, int year, int band_bp,
                        int (*fn)(void *ud, const struct outcome_attribution_row *row), void *ud,
                        struct zc_error *err);

#endif
