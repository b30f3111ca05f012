/* SPDX-License-Identifier: MIT */
/* mcf_int.h - internals shared by mcf.c (network storage, results),
 * mcf_simplex.c (general solver) and mcf_assign.c (transportation fast path).
 * Not part of the public API. */
#ifndef ZC_MCF_INT_H
#define ZC_MCF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "match/mcf.h"

/* Arcs are stored narrow (int32 cost and upper bound, 16 bytes an arc with
 * the ends) until the first arc that needs more; then every array is widened
 * to int64 once. Lower bounds get an array only when one is nonzero. This
 * keeps the national instance (146M arcs) within the memory target. */
struct mcf {
    int32_t n;             /* nodes */
    int64_t m;             /* arcs added */
    int64_t arc_cap;       /* allocated length of the arc arrays */
    int32_t *tail;         /* arc -> from node */
    int32_t *head;         /* arc -> to node */
    bool wide;             /* cost64/upper64 in use instead of cost32/upper32 */
    int32_t *cost32;       /* narrow costs */
    int32_t *upper32;      /* narrow upper bounds */
    int64_t *cost64;       /* wide costs */
    int64_t *upper64;      /* wide upper bounds */
    int64_t *lower;        /* lower bounds, NULL while all are 0 */
    int64_t *supply;       /* node -> supply (> 0) or demand (< 0) */
    struct zc_error build; /* first error met while building, code ZC_OK if none */

    /* Results of the last solve. */
    bool solved;            /* flow/pot/objective valid */
    int64_t *flow;          /* arc -> flow (m entries), or NULL when flow8 holds them */
    uint8_t *flow8;         /* arc -> flow when every flow fits a byte (the fast path) */
    int64_t *pot;           /* node -> potential */
    int64_t objective;      /* sum of cost * flow */
    __int128 objective_sum; /* the solver's own sum, when objective_known */
    bool objective_known;   /* the solver summed the objective as it wrote flows */
    struct mcf_stats stats; /* of the last solve */

    /* Warm start for the next solve (mcf_warm_start), NULL when none. */
    int64_t *warm_pot; /* node -> potential */
    int64_t *warm_via; /* node -> the arc its unit of supply took, or -1 */

    /* The assignment path's set-up and final state (mcf_options.reuse),
     * valid for arcs 0 .. keep_m - 1; NULL when none. Dropped by any change
     * but an appended arc (mcf_set_supply). */
    bool reuse;
    struct asg_keep *keep;
    int64_t keep_m;
};

/* Free the kept state of the assignment path (mcf_assign.c); NULL is fine. */
void mcf_assign_keep_free(struct asg_keep *k);

static inline int64_t mcf_cost_(const struct mcf *m, int64_t a)
{
    return m->wide ? m->cost64[a] : m->cost32[a];
}

static inline int64_t mcf_upper_(const struct mcf *m, int64_t a)
{
    return m->wide ? m->upper64[a] : m->upper32[a];
}

static inline int64_t mcf_flow_(const struct mcf *m, int64_t a)
{
    return m->flow8 ? m->flow8[a] : m->flow[a];
}

static inline int64_t mcf_lower_(const struct mcf *m, int64_t a)
{
    return m->lower ? m->lower[a] : 0;
}

/* The solvers fill m->flow and m->pot (allocated by the caller, mcf.c) and
 * return ZC_OK, ZC_EINFEASIBLE or another ZC_E* code with `err` set. */
int mcf_simplex_solve(struct mcf *m, struct zc_error *err);

/* Returns ZC_OK, ZC_EINFEASIBLE, or ZC_EINVAL when the network is not of the
 * transportation shape (then nothing is written; the caller may fall back). */
int mcf_assign_solve(struct mcf *m, int threads, struct zc_error *err);

/* Wall clock in seconds, for stats. */
double mcf_now_(void);

#endif
