/* SPDX-License-Identifier: MIT */
/* model.h - the dispatch model (因村选人, 人村相宜, 精准选派): ledger + policy
 * -> a min-cost-flow network -> a plan of who goes to which village slot.
 *
 * model_build() reads the store (eligible cadres, villages with a team,
 * units, the published roster for a refill), lays out the slots of every
 * team from the policy, prunes candidates, and builds the network;
 * model_solve() runs mcf and reads the assignment back with a reason for
 * every unfilled slot and unsent cadre; pin_*() keep the department's
 * direct nominations (pin.c). Plans in the store are match/plan.h, the
 * explanations of a stored plan match/explain.h. The design is in
 * docs/internals/match.md. */
#ifndef ZC_MODEL_H
#define ZC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/policy.h"
#include "select/select.h"

struct store;
struct model;

/* Slot roles, in team order. */
enum model_role {
    MR_FIRST_SECRETARY, /* 第一书记 (also the leader when team.secretary_leads) */
    MR_LEADER,          /* 队长 */
    MR_STABILITY,       /* 综治维稳 cadre */
    MR_NEED,            /* one per recorded village need (a skill) */
    MR_MEMBER,          /* general team member */
    MR_POST,            /* a seat of a post above the village (挂职: county or township) */
    MR_NROLES
};

/* Why a slot stayed unfilled or an eligible cadre was not sent. */
enum model_why {
    MW_NONE,         /* filled / sent */
    MW_NO_CANDIDATE, /* no eligible cadre within reach qualifies (slot); no village within
                        reach, outside the home county, with a slot the cadre qualifies for */
    MW_TAKEN,        /* every candidate went to a higher-priority or better-fitting slot */
    MW_UNIT_CAP,     /* the unit's draw cap (max_unit_share_percent) is reached */
    MW_QUOTA,        /* the county's quota is reached */
    MW_NOT_NEEDED,   /* cadre: every slot they could take went to a better fit */
    MW_SPOUSE,       /* cadre: the spouse is sent (spouses_apart) */
    MW_NCODES
};

/* Fit terms (higher is better), each as the policy weighs it. */
enum model_term {
    MT_DEPARTMENT, /* 党群→软, 经济→穷, 政法→乱, 涉农→弱 */
    MT_SKILL_NEED, /* per village need the cadre's skills meet */
    MT_RURAL_DEEP, /* rural experience, deep-poverty village */
    MT_PAIRED,     /* the unit is the village's pair (结对) */
    MT_VOLUNTEER,  /* 自愿报名 */
    MT_PREFERRED,  /* the village is in the cadre's preferences */
    MT_DISTANCE,   /* minus the distance penalty */
    MT_NTERMS
};

struct model_options {
    const struct policy *policy; /* borrowed for the model's lifetime */
    int64_t scope;               /* 12-digit division code; 0 = everywhere */
    bool refill;                 /* fill vacancies of published plans only */
    int allow_moves;             /* refill: at most this many serving cadres may move */
    int k_villages;              /* candidate villages per cadre; 0 = 16 */
    int m_per_village;           /* reverse candidates per village and role; 0 = 10 */
    int threads;                 /* solver threads; 0 = 2 (pruning and pricing: 2 from
                                  * 4,000 cadres on), 1 = one, >= 2 = two everywhere */
    int algorithm;               /* enum mcf_algorithm; 0 = the fastest path that applies */
    int rounds;                  /* 2: a second round of candidates for the slots left open
                                    before pricing; 0 or 1: none (pricing makes it
                                    unnecessary; kept for experiments) */
    bool cold;                   /* every solve from scratch (no warm start; tests) */
    bool prune_only;             /* skip pricing: the optimum of the kept graph only,
                                    uncertified (benchmarks, experiments) */
    struct eligible_date today;  /* {0} = registry_today() */
};

struct model_summary {
    int64_t slots, filled;               /* slots in the model, filled ones */
    int64_t unfilled_by[MW_NCODES];      /* unfilled slots by reason */
    int64_t cadres_eligible;             /* eligible cadres (in scope) */
    int64_t cadres_in_model;             /* eligible with at least one candidate slot */
    int64_t cadres_used;                 /* sent */
    int64_t unsent_by[MW_NCODES];        /* eligible cadres not sent, by reason */
    int64_t villages;                    /* villages with a team */
    int64_t posts, posts_filled;         /* seats of posts above the village; filled */
    int64_t poor, poor_fs, poor_full;    /* poor villages; with a first secretary; full */
    int64_t deep, deep_fs, deep_full;    /* the same for deep-poverty villages */
    int64_t moves;                       /* refill: serving cadres moved */
    int64_t objective;                   /* min-cost-flow objective */
    int64_t lower_bound;                 /* of the full model's optimum (= objective when
                                            certified and every rule is a flow) */
    bool bound_known;                    /* lower_bound holds a proven bound */
    bool certified;                      /* no arc of the full model prices negative */
    const char *inexact;                 /* NULL, or the rule that is not a flow here */
    int64_t arcs_priced;                 /* arcs of the full model priced (last pass) */
    int64_t arcs_added;                  /* arcs the pricing added to the network */
    int pricing_rounds;                  /* pricing passes */
    double price_seconds;                /* of the solve time: pricing */
    int64_t nodes, arcs, candidate_arcs; /* network size */
    int64_t second_round_arcs;           /* candidate arcs added by the second round */
    double mcf_seconds;                  /* of the solve time: in mcf_solve */
    int solves;                          /* how many (rounds, moves) */
    double build_seconds, solve_seconds; /* wall time */
    double read_seconds;                 /* of the build: ledger read and eligibility */
    double candidate_seconds;            /* of the build: candidate pruning and arcs */
    const char *algorithm;               /* "assign" or "simplex" */
    int64_t components;                  /* independent components solved */
};

/* One slot of the plan, a plain value. */
struct model_slot_info {
    int64_t village;      /* 12-digit code */
    int seq;              /* slot number in the team, from 1 */
    enum model_role role; /* what the slot is for */
    char need[32];        /* skill code of an MR_NEED slot (or the skill an MR_POST
                             seat asks for), else "" */
    int64_t post;         /* MR_POST: post.id (village is the post's division), else 0 */
    int klass;            /* PV_* of the village */
    int64_t cadre;        /* cadre.id, 0 = unfilled */
    int64_t previous;     /* refill with moves: the cadre who held it, else 0 */
    int score;            /* fit of the cadre (sum of terms) */
    int terms[MT_NTERMS]; /* the fit by term */
    enum model_why why;   /* unfilled: the binding reason */
    int64_t dual;         /* the slot's price: what one more cadre here is worth */
    int64_t priority;     /* the unfilled cost of this slot */
};

/* One eligible cadre of the model. */
struct model_cadre_info {
    int64_t id;         /* cadre.id */
    int64_t slot;       /* index of the slot taken, or -1 */
    enum model_why why; /* not sent: the binding reason */
    int candidates;     /* candidate slots (arcs) in the network */
    bool moved;         /* refill: a serving cadre moved to another slot */
};

/* Build the model. *out owns it (model_free). Errors: store errors, ZC_EINVAL. */
int model_build(struct store *s, const struct model_options *opt, struct model **out,
                struct zc_error *err);

/* Solve; afterwards the slot and cadre infos carry the assignment. */
int model_solve(struct model *m, struct zc_error *err);
void model_free(struct model *m); /* NULL is a no-op */

void model_summary_get(const struct model *m, struct model_summary *out);
/* The min-cost-flow network of the last solve (owned by the model), for
 * writing it out (dimacs_write) and checking it against other solvers. */
const struct mcf *model_network(const struct model *m);
int64_t model_slot_count(const struct model *m);
void model_slot_get(const struct model *m, int64_t i, struct model_slot_info *out);
int64_t model_cadre_count(const struct model *m);
void model_cadre_get(const struct model *m, int64_t i, struct model_cadre_info *out);
/* The index of cadre `id` in the model, or -1. */
int64_t model_cadre_find(const struct model *m, int64_t id);

/* Re-check the assignment against every hard rule from the model's own
 * data (eligibility was applied at build time): roles, avoidance, reach,
 * one cadre per slot and one slot per cadre, unit caps, quotas, spouses.
 * Returns ZC_OK or ZC_EINVAL naming the first violation. */
int model_check(const struct model *m, struct zc_error *err);

/* Why cadre `id` is not (or could not be) in `village` (or at the county or
 * township of a post: its 12-digit code): the first rule that excludes the
 * pair, in words (zh and en), into out. Returns ZC_OK, or ZC_ENOTFOUND
 * when the cadre or village is not in the model. */
int model_why_not(const struct model *m, int64_t cadre_id, int64_t village, char *out, size_t outsz,
                  struct zc_error *err);

const char *model_role_name(enum model_role r); /* "first_secretary" */
const char *model_role_zh(enum model_role r);   /* "第一书记" */
int model_role_parse(const char *s);            /* -1 if unknown */
const char *model_why_name(enum model_why w);   /* "no_candidate" */
const char *model_why_zh(enum model_why w);     /* "辖区内无符合条件的人选" */
const char *model_term_name(enum model_term t); /* "department" */
/* "department=30;skill_need=20;distance=-2" (non-zero terms only). */
const char *model_terms_text(const int *terms, char *out, size_t outsz);

/* ---- pins (点将, pin.c) --------------------------------------------------- */

/* Direct nomination: the department names a cadre for a village (and a
 * role, or any it may take), or for a post above the village (挂职: any of
 * its seats; `village` is then the post's division); every `match` keeps it or refuses naming the
 * pin and the rule it breaks. One pin per cadre (a second replaces it). */
struct pin_info {
    int64_t cadre;         /* cadre.id */
    char id_number[19];    /* full; callers mask */
    char name[64];         /* cadre name */
    int64_t village;       /* 12-digit code */
    char village_name[96]; /* division name */
    char role[20];         /* model_role_name, or "" for any */
    char note[256];        /* why (e.g. the meeting that decided it) */
    char by[64], at[32];   /* who pinned it, when */
    int64_t post;          /* post.id of a pin to a post (挂职), else 0 */
    char post_code[65];    /* its code ("" if the post was removed since) */
    char post_title[129];  /* its title */
};

/* ZC_ENOTFOUND for an unknown cadre, village or post, ZC_EINVAL for a bad
 * role. `role` may be NULL or "" (any role the cadre may take). `post` (a
 * post's code, or NULL/"") pins to the post instead: `village` is then
 * ignored, and a role is refused. */
int pin_put(struct store *s, const char *id_number, int64_t village, const char *post,
            const char *role, const char *note, const char *by, const char *at,
            struct zc_error *err);
int pin_remove(struct store *s, const char *id_number, struct zc_error *err);
/* Pins of villages under `scope` (0 = all), by village. */
int pin_list(struct store *s, int64_t scope, void (*fn)(void *ud, const struct pin_info *p),
             void *ud, struct zc_error *err);

/* Cadres whose name holds `q` and whose unit sits inside `scope` (0 = all)
 * or above it (the province, city or county that holds it): the cadres a
 * department may pin, for picking one by name. At most 20, by name. */
struct pin_cadre {
    int64_t id;          /* cadre.id */
    char id_number[19];  /* full; callers mask */
    char name[64];       /* cadre name */
    char unit_name[128]; /* unit.name */
};

int pin_cadres(struct store *s, int64_t scope, const char *q,
               void (*fn)(void *ud, const struct pin_cadre *c), void *ud, struct zc_error *err);

/* 包村: the unit responsible for a village, recorded by the department
 * (table village_unit, one unit a village). The matching reads it where it
 * reads the village's 结对单位 (the paired_unit term), and before it. */
struct pair_info {
    int64_t village;       /* 12-digit code */
    char village_name[96]; /* division name */
    char unit[32];         /* unit.code */
    char unit_name[128];   /* unit.name */
    char note[256];
    char by[64], at[32];
};

/* ZC_ENOTFOUND for an unknown village or unit. */
int pair_put(struct store *s, int64_t village, const char *unit, const char *note, const char *by,
             const char *at, struct zc_error *err);
int pair_remove(struct store *s, int64_t village, struct zc_error *err);
int pair_list(struct store *s, int64_t scope, void (*fn)(void *ud, const struct pair_info *p),
              void *ud, struct zc_error *err);

#endif
