/* SPDX-License-Identifier: MIT */
/* model_int.h - the dispatch model's arrays, shared by model.c (build and
 * solve), plan.c (storage) and explain.c. Everything is index-based and held
 * in flat arrays, one allocation per array, so a national ledger (3M cadres,
 * 150M arcs) costs no per-arc allocation. */
#ifndef ZC_MODEL_INT_H
#define ZC_MODEL_INT_H

#include <stdint.h>

#include "match/mcf.h"
#include "match/model.h"

/* Cadre flags. */
enum {
    MC_FS = 1 << 0,         /* may be first secretary (and leader, if the secretary leads) */
    MC_LEADER = 1 << 1,     /* may be leader */
    MC_STAB = 1 << 2,       /* counts as a stability cadre */
    MC_RURAL = 1 << 3,      /* rural experience for deep-poverty villages */
    MC_VOLUNTEER = 1 << 4,  /* 自愿报名 */
    MC_SERVING = 1 << 5,    /* refill: serving now, may move */
    MC_PINNED = 1 << 6,     /* refill: serving, must stay */
    MC_SPOUSE_OUT = 1 << 7, /* left out so that a couple is never both sent */
    MC_NOMINATED = 1 << 8,  /* pinned to a village by the department (点将): pin_v, pin_role */
    MC_PARTY = 1 << 9       /* a party member (posts that ask for one) */
};

#define PRIORITY_UNIT ((int64_t)10000000) /* above any fit: coverage before fit */
#define MOVE_PENALTY  PRIORITY_UNIT       /* a move must buy a priority unit or more */
#define NO_CAP        0x7fffffff

/* Default candidate sets: villages per cadre and cadres per slot column.
 * Measured on the hebei-2016 scenario (bench/RESULTS.md): 16/10 in one solve
 * fills more slots than 12/6 with a second round, in less time. */
#define DEFAULT_K 16
#define DEFAULT_M 10

struct mvillage {
    int64_t code;       /* 12-digit code */
    int64_t county_lo;  /* county range, for avoidance */
    uint64_t needs;     /* skill bits the village needs (incl. driving by hamlets) */
    uint64_t need_open; /* skill bits of its need slots */
    int32_t paired;     /* unit index of the pair (结对), or -1 */
    int32_t first_slot; /* its slots are first_slot .. first_slot + nslots - 1 */
    int32_t nslots;     /* slots in the model */
    int32_t quota;      /* innermost quota containing it, or -1 */
    uint8_t klass;      /* PV_* */
    uint8_t states;     /* PS_* bits */
    uint8_t roles;      /* bit (1 << MR_*) of the roles among its slots */
    uint8_t has_ll;     /* lat/lng recorded */
    uint8_t serving;    /* cadres serving there now (open postings), capped at 255 */
    uint8_t serving_fs; /* ... of them a first secretary */
    uint8_t serving_ld; /* ... of them a leader */
    uint8_t post_level; /* 0: a village; DIV_COUNTY or DIV_TOWNSHIP: the division of posts
                           (挂职), whose slots are their seats (MR_POST) */
    float lat, lng;     /* degrees */
};

struct munit {
    char code[32];     /* unit.code */
    unsigned category; /* one PC_* bit, 0 if unknown */
    int64_t division;  /* its division (12 digits), 0 if none */
    int level;         /* DIV_* of the unit (province .. county: township units count
                          as county ones for reach and avoidance) */
    uint8_t send;      /* the unit's own level, 1 province .. 4 township (posts.levels) */
    int64_t reach_lo;  /* villages the unit may send to: [reach_lo, reach_hi] */
    int64_t reach_hi;  /* (its own division at its level; everything if none) */
    int staff;         /* cadres on its books */
    int serving;       /* of them serving now */
    int cap;           /* how many more may be drawn (INT32_MAX = no cap) */
    int n_model;       /* its cadres with a candidate slot (not serving) */
    int couples_in;    /* couples with both spouses among those n_model */
    int cross;         /* couples shared with another unit whose cap binds too */
    int stay;          /* demand of its "stay home" column: n_model - cap - couples_in */
    int32_t group;     /* node of that column when the cap binds, else -1 */
    uint8_t has_ll;    /* a location from the villages of its division */
    float lat, lng;    /* centroid of those villages */
    int64_t wpot;      /* warm start: its column's potential after the last solve */
};

struct mcadre {
    int64_t id;         /* cadre.id */
    char id_number[19]; /* for spouse links */
    int32_t unit;       /* unit index */
    uint16_t flags;     /* MC_* */
    uint8_t npref;      /* preferences (ranges at pref_off) */
    uint8_t why;        /* MW_* once solved */
    uint64_t skills;    /* skill bits */
    int64_t home_lo;    /* hometown range avoided (avoidance.home); 0 = none */
    int64_t home_hi;
    int64_t rotated_from; /* refill: the village of its latest rotation not kept (轮换); 0 = none */
    int32_t pref_off;     /* into model.pref_lo/pref_hi */
    int32_t spouse;       /* cadre index of the spouse in the model, or -1 */
    int32_t node;         /* network node, or -1 */
    int32_t cur_slot;     /* refill: the slot they hold now, or -1 */
    int32_t slot;         /* the slot taken, or -1 */
    int64_t arc_begin;    /* candidate arcs arc_begin .. arc_end - 1 */
    int64_t arc_end;
    int64_t opt_arc;  /* its "unassigned" arc in the network (then "stays home", "couple") */
    int32_t pin_v;    /* MC_NOMINATED: the village index */
    int8_t pin_role;  /* MC_NOMINATED: the MR_* role, or -1 for any the cadre may take */
    uint8_t took;     /* warm start: WT_* of the last solve */
    uint8_t classes;  /* 1 << PV_* of the villages its unit's level may serve */
    uint8_t rank;     /* PR_* (posts' minimum rank) */
    uint8_t send;     /* its unit's munit.send */
    int32_t pin_post; /* MC_NOMINATED to a post (挂职): its model.post index, else -1 (fits
                         the padding: the struct stays 136 bytes) */
};

/* What a cadre's unit of flow took in the last solve (warm start). */
enum { WT_NONE, WT_UNASSIGNED, WT_STAY, WT_COUPLE, WT_SLOT };

struct mslot {
    int32_t village;     /* village index */
    int32_t seq;         /* number in the team */
    uint8_t role;        /* MR_* */
    int8_t need_bit;     /* skill bit of an MR_NEED slot, else -1 */
    uint8_t why;         /* MW_* once solved */
    int32_t node;        /* network node (of its column) */
    int32_t col;         /* first slot of its column: identical member slots share one */
    int32_t width;       /* on a column's first slot: slots in the column (its demand), else 0 */
    int32_t cadre;       /* cadre index taking it, or -1 */
    int32_t holder;      /* refill: the serving cadre who held it, or -1 */
    int64_t priority;    /* cost of leaving it unfilled */
    int64_t dual;        /* its price after the solve */
    int64_t wpot;        /* warm start: its column's potential after the last solve */
    int32_t post;        /* MR_POST: index into model.post, else -1 */
    uint8_t post_levels; /* MR_POST: bits 1 << munit.send of the units that may fill it */
    uint8_t post_rank;   /* MR_POST: the lowest rank (PR_*) */
    uint8_t post_party;  /* MR_POST: a party member is needed */
};

/* A post above the village (挂职): its seats are MR_POST slots of the
 * pseudo-village of its division (mvillage.post_level). */
struct mpost {
    int64_t id;          /* post.id */
    int64_t division;    /* 12-digit code of its county or township */
    int seats, serving;  /* seats; cadres holding one now (open postings) */
    int8_t skill_bit;    /* skill holders need, or -1 */
    uint8_t levels;      /* bits 1 << munit.send that may fill it (policy and post) */
    uint8_t rank, party; /* lowest rank (PR_*); party member needed */
    int64_t priority;    /* the unfilled cost of a seat */
};

struct mquota {
    int64_t lo, hi; /* division range */
    int max;        /* cadres that may still be sent into it */
    int32_t parent; /* enclosing quota, or -1 */
    int32_t node;   /* its node, or -1 when it cannot bind */
    int64_t nslots; /* slots inside, incl. nested quotas */
    int64_t filled; /* once solved */
};

/* Pricing the arcs the pruning left out (price.c). */
#define PRICE_PER_COLUMN 32 /* entrants per column and pass: the most negative */
#define PRICE_ROUNDS_MAX 40 /* passes before the plan is given with its bound */

struct model_pricing {
    int rounds;          /* pricing passes */
    int64_t arcs_priced; /* arcs of the full model priced on the last pass */
    int64_t arcs_added;  /* arcs added to the network, all passes */
    int64_t visits;      /* (cadre, village) pairs looked at, all passes */
    /* What the last pass priced with: an arc whose cadre's potential has
     * not fallen and whose column's has not risen since cannot have turned
     * negative, so a pass looks only at what changed. */
    int64_t *last_pc;    /* cadre -> its potential then */
    int64_t *last_pcol;  /* column (first slot) -> its potential then */
    uint8_t *dirty;      /* cadre -> had a negative arc then (priced again in full) */
    int64_t lower_bound; /* of the full model's optimum, if bound_valid */
    bool bound_valid;
    bool certified;            /* the last pass found no arc to add */
    double seconds;            /* in pricing */
    const char *inexact;       /* a rule that is not a flow and bound the plan, or NULL */
    struct price_cache *cache; /* the set-up kept between passes (price.c) */
};

/* One pass: price every arc of the full model with the potentials of the
 * last solve, add the most negative ones (and cadres outside the network
 * with a slot to take) to the arc arrays, update *pr. Returns the number
 * of arcs added (0: the solution is optimal for the full model). */
int64_t model_price(struct model *m, struct model_pricing *pr);
void model_pricing_free(struct model_pricing *pr);
/* Add arcs (cadre nc[i] -> column ns[i] at fit nsc[i]) to the arc arrays,
 * which stay grouped by cadre, each cadre's old arcs first. */
void model_merge_arcs(struct model *m, const int32_t *nc, const int32_t *ns, const int32_t *nsc,
                      int64_t n);

struct model {
    struct model_options opt; /* as given (policy borrowed) */
    struct policy pol;        /* copy */
    struct eligible_date today;
    int64_t scope_lo, scope_hi; /* villages considered */

    char (*skill)[32]; /* skill bit -> code */
    int nskills;       /* at most 64 */

    struct munit *unit;
    int32_t nunits;
    struct mvillage *vil;
    int32_t nvil;
    struct mcadre *cad;
    int32_t ncad, cap_cad;
    int64_t *pref_lo, *pref_hi;
    int32_t npref, cap_pref;
    struct mslot *slot;
    int32_t nslots, cap_slots;
    struct mquota *quota;
    int32_t nquota;
    struct mpost *post; /* posts above the village in scope, by division and id */
    int32_t nposts;

    /* Candidate arcs, in network arc order (arc index = position). */
    int32_t *arc_cadre;
    int32_t *arc_slot;
    int32_t *arc_score; /* fit (without the move penalty) */
    int64_t narcs, cap_arcs;

    struct mcf *net;               /* the network of the last solve */
    int32_t *arc_net;              /* candidate arc -> its arc in net, -1 until appended;
                                      NULL: arc index = candidate index (the network is
                                      rebuilt for every solve) */
    bool net_stale;                /* a rule changed (pins of a refill): build net again */
    int32_t hub;                   /* its hub node */
    int64_t eligible;              /* eligible cadres in scope (incl. those without candidates) */
    int64_t unsent_pre[MW_NCODES]; /* eligible cadres never in the network, by reason */
    double build_seconds, solve_seconds;
    double read_seconds, candidate_seconds; /* parts of build_seconds */
    int64_t added_arcs;                     /* by the second round */
    double mcf_seconds;                     /* in mcf_solve, all solves */
    int solves;                             /* mcf_solve calls that succeeded */
    struct model_pricing pr;                /* certification */
    bool warm;                              /* the last solve's state can start the next */
    bool solved;
};

/* Fit of cadre c for village v, by term, counting every village need the
 * cadre meets (the pruning's score); returns the total. */
int model_fit(const struct model *m, int32_t c, int32_t v, int *terms);
/* Fit of cadre c on slot s: a need counts once per team, on its own post
 * (model_skill_term); model_slot_score turns a pair's model_fit into it. */
int model_fit_slot(const struct model *m, int32_t c, int32_t s, int *terms);
int model_skill_term(const struct model *m, const struct mcadre *c, const struct mslot *s);
int model_slot_score(const struct model *m, const struct mcadre *c, const struct mslot *s,
                     int pair_score);
/* True if cadre c may take slot s (role and need). */
bool model_slot_ok(const struct model *m, int32_t c, int32_t s);

/* Helpers of model.c that pricing (price.c) shares. */
int32_t model_village_lower(const struct model *m, int64_t code); /* first index with code >= */
/* The unit's part of the fit (department, pairing, distance), by term if terms != NULL. */
int model_unit_part(const struct model *m, int32_t ui, const struct mvillage *v, int *terms);
bool model_preferred(const struct model *m, const struct mcadre *c, int64_t code);

/* Inline: the pruning and the pricing ask these for every pair. */
/* Role and need (a post's seat: its requirements and levels). */
static inline bool model_role_ok(const struct mcadre *c, const struct mslot *s)
{
    switch (s->role) {
    case MR_FIRST_SECRETARY:
        return (c->flags & MC_FS) != 0;
    case MR_LEADER:
        return (c->flags & MC_LEADER) != 0;
    case MR_STABILITY:
        return (c->flags & MC_STAB) != 0;
    case MR_NEED:
        return s->need_bit >= 0 && (c->skills >> s->need_bit & 1);
    case MR_POST: /* the post's requirements and the policy's levels (posts.levels) */
        return (s->post_levels >> c->send & 1) && c->rank >= s->post_rank &&
               (!s->post_party || (c->flags & MC_PARTY)) &&
               (s->need_bit < 0 || (c->skills >> s->need_bit & 1));
    default:
        return true;
    }
}

/* Some open slot of v role-wise (a post's seats: its requirements met,
 * asked seat by seat: a division holds a few). */
static inline bool model_village_ok(const struct model *m, const struct mcadre *c,
                                    const struct mvillage *v)
{
    if (v->post_level) {
        for (int32_t s = v->first_slot; s < v->first_slot + v->nslots; s++)
            if (model_role_ok(c, &m->slot[s]))
                return true;
        return false;
    }
    if (v->roles & (1u << MR_MEMBER))
        return true;
    if ((v->roles & (1u << MR_FIRST_SECRETARY)) && (c->flags & MC_FS))
        return true;
    if ((v->roles & (1u << MR_LEADER)) && (c->flags & MC_LEADER))
        return true;
    if ((v->roles & (1u << MR_STABILITY)) && (c->flags & MC_STAB))
        return true;
    return (c->skills & v->need_open) != 0;
}

/* Village classes by unit level (avoidance.level_classes); a post's levels
 * are its seats' own rule (posts.levels, model_role_ok). */
static inline bool model_level_barred(const struct mcadre *c, const struct mvillage *v)
{
    return !v->post_level && !(c->classes >> v->klass & 1);
}

/* The cadre may not serve in the village: its hometown (avoidance.home), a class
 * its unit's level does not serve (model_level_barred), or (a refill) the
 * village it rotated out of (plan rotate without --keep-cadres). */
static inline bool model_barred(const struct mcadre *c, const struct mvillage *v)
{
    return (c->home_lo && v->code >= c->home_lo && v->code <= c->home_hi) ||
           (c->rotated_from && v->code == c->rotated_from) || model_level_barred(c, v);
}

/* Where two workers split the cadres (order: by unit): at a unit boundary
 * near half the work, cadres x villages in reach (a province's units weigh
 * far more than a county's). */
int32_t model_split_units(const struct model *m, const int32_t *order);

/* The parts of the model, one file each (model.c: names, fit, results). */
double model_now(void);                                          /* monotonic seconds */
int32_t model_village_find(const struct model *m, int64_t code); /* index, or -1 */
/* Candidate pruning (candidates.c): the start graph's arcs, grouped by
 * cadre; the second round (--rounds 2) adds arcs for the columns the first
 * solve left open and returns how many. */
void model_candidates(struct model *m);
int64_t model_second_round(struct model *m);
/* Slot columns (build.c): identical member slots of a village become one
 * column when the solver's fast path takes demands (never for a refill). */
void model_make_columns(struct model *m, bool refill);

/* Pins (点将, pin.c): mark the nominated cadres of the model, or refuse
 * with the first pin that breaks a hard rule (ZC_ECONFLICT naming it). */
int model_load_pins(struct store *s, struct model *m, struct zc_error *err);
/* The columns of village v a nominated cadre's arcs go to. */
bool model_pin_column(const struct model *m, const struct mcadre *c, int32_t s);
/* The first requirement of post seat sl (NULL: every seat held) that cadre
 * c fails, in words (check.c; why-not and pins). */
void model_seat_why_not(const struct model *m, const struct mcadre *c, const struct mslot *sl,
                        char *out, size_t outsz);

/* Every statement of the module by name (match_sql.c). */
enum match_query {
    /* loading (load.c) */
    MQ_SKILLS,
    MQ_UNITS,
    MQ_SERVING,
    MQ_VILLAGES,
    MQ_CADRE_EXTRA,
    MQ_ROSTER,
    MQ_ROSTER_SERVING,
    MQ_RECALLED,
    MQ_ROTATED,
    MQ_QUOTA_SERVING,
    MQ_POSTS,
    /* plans (plan.c) */
    MQ_PLAN_INSERT,
    MQ_SLOT_ROWS_HEAD,
    MQ_CADRE_ROWS_HEAD,
    MQ_PLAN_GET,
    MQ_PLAN_LIST,
    MQ_PLAN_POLICY,
    MQ_PLAN_LATEST,
    MQ_PLAN_LATEST_DRAFT,
    MQ_PUBLISH_CONFLICTS,
    MQ_PUBLISH_CONFLICTS_REFILL,
    MQ_PUBLISH_REPLACE,
    MQ_PLAN_SLOT_KEYS,
    MQ_PUBLISH_MOVERS_END,
    MQ_POSTING_PUT,
    MQ_PUBLISH_SLOTS,
    MQ_PUBLISH_SLOT_STATES,
    MQ_PUBLISH_STATUS,
    MQ_ORDER_COUNT,
    MQ_ORDER_INSERT,
    MQ_PLAN_DISCARD,
    MQ_TERM_SET,
    MQ_TERM_REFILL,
    MQ_TERM_REFILL_ORDER,
    MQ_TERM_POSTS,
    MQ_TERM_EXTEND_ORDER,
    MQ_TERM_EXTEND_POSTING,
    MQ_TERM_EXTEND_VILLAGE,
    MQ_TERM_RECORD,
    MQ_ROTATE_SLOTS,
    MQ_ROTATE_RECORD,
    MQ_ROTATE_END_POSTING,
    MQ_ROTATE_VACATE,
    MQ_ROTATE_SLOT_INSERT,
    MQ_RECALL_FIND,
    MQ_RECALL_END_POSTING,
    MQ_RECALL_VACATE,
    MQ_SERVING_VILLAGE,
    MQ_CADRE_IDNUM_OF,
    MQ_RECALL_INSERT,
    MQ_EXPORT_PLAN,
    MQ_EXPORT_PLAN_FILLED,
    MQ_EXPORT_ROSTER,
    /* plans as a caller sees them (plan.c) */
    MQ_PLANS_SCOPED,
    MQ_PLANS_ALL,
    MQ_PLAN_SCOPED,
    MQ_PLAN_SCOPED_OWNED,
    MQ_PLAN_ALL,
    MQ_PLAN_VISIBLE,
    MQ_PLAN_EXISTS,
    MQ_SLOTS_COUNT,
    MQ_SLOTS_BY_VILLAGE,
    MQ_SLOTS_BY_CADRE,
    MQ_UNSENT_COUNT,
    MQ_UNSENT,
    MQ_UNSENT_COUNT_ALL,
    MQ_UNSENT_ALL,
    /* explain (explain.c) */
    MQ_SKILL_NAME,
    MQ_CADRE_BY_IDNUM_FULL,
    MQ_EXPLAIN_ASSIGNED,
    MQ_EXPLAIN_UNSENT,
    MQ_EXPLAIN_ROTATED,
    MQ_EXPLAIN_VILLAGE,
    MQ_EXPLAIN_SLOTS,
    /* pins (pin.c) */
    MQ_PIN_PUT,
    MQ_PIN_DELETE,
    MQ_PIN_LIST,
    MQ_CADRE_BY_IDNUM,
    MQ_VILLAGE_EXISTS,
    MQ_PAIR_PUT,
    MQ_PAIR_DELETE,
    MQ_PAIR_LIST,
    MQ_UNIT_EXISTS,
    MQ_PIN_POST,
    MQ_PIN_CADRES,
    MQ_POST_HOLDERS,
    MQ_COUNT
};

struct store_stmt;
extern const char *const match_sql[MQ_COUNT];
int match_prepare(struct store *s, enum match_query q, struct store_stmt **out,
                  struct zc_error *err);

#endif
