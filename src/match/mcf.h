/* SPDX-License-Identifier: MIT */
/* mcf.h - exact minimum-cost flow, the matching core of zhucun.
 *
 * Build a network (nodes 0..n-1, arcs with lower/upper bounds and integer
 * costs, node supplies), solve it, read flows, node potentials (duals) and the
 * objective. No I/O; deterministic (the same input gives the same flows on
 * every run and with any thread count). The design, invariants and limits are
 * in docs/internals/mcf.md. */
#ifndef ZC_MCF_H
#define ZC_MCF_H

#include <stdbool.h>
#include <stdint.h>

struct mcf;
struct zc_error;

/* Input limits, checked when the network is built (mcf_add_arc and
 * mcf_set_supply fail on values outside them) so that no intermediate value
 * of the solvers can overflow int64. */
#define MCF_COST_MAX  ((int64_t)1 << 40) /* |cost| of an arc */
#define MCF_CAP_MAX   ((int64_t)1 << 52) /* upper bound of an arc, |supply| */
#define MCF_NODES_MAX (INT32_MAX - 1)

/* The transportation shape, which MCF_ALG_AUTO detects and solves by the
 * fast path (the dispatch model emits exactly this):
 *
 *  - nodes are rows R, columns C, at most one hub H, and isolated nodes;
 *  - a row r has supply +1, no in-arcs, and out-arcs r -> c (lower 0,
 *    upper >= 1, integer cost fitting int32, may be negative; parallel arcs
 *    allowed) and optionally r -> H ("unassigned", upper >= 1);
 *  - a column c has supply -d_c with 1 <= d_c <= INT32_MAX, no out-arcs,
 *    in-arcs from rows and optionally H -> c ("unfilled", lower 0, cost
 *    p_c); the cheapest H -> c arc must have upper >= d_c. A column without
 *    an H -> c arc must be filled completely by rows ("must-fill": a unit's
 *    "stay home" column of demand n - cap fed by its own cadres at cost 0,
 *    a couple column of demand 1 fed by both spouses);
 *  - H has any supply (it balances the others: sum of d_c - |R|) and only
 *    the arcs above; arcs with upper 0 are ignored.
 *
 * Every other network goes to the simplex. A must-fill column that cannot
 * be filled, or a row without "unassigned" arc that cannot be placed, gives
 * ZC_EINFEASIBLE. */
enum mcf_algorithm {
    MCF_ALG_AUTO = 0, /* the fast path on the transportation shape, else the simplex */
    MCF_ALG_SIMPLEX,  /* primal network simplex (any network) */
    MCF_ALG_ASSIGN    /* the fast path only; ZC_EINVAL if the network does not have the
                         transportation shape (see above and docs/internals/mcf.md) */
};

struct mcf_options {
    enum mcf_algorithm algorithm; /* MCF_ALG_AUTO unless testing */
    int threads;                  /* workers for independent components; <= 0 means 2 */
};

struct mcf_stats {
    enum mcf_algorithm used; /* the algorithm that ran (never AUTO after a solve) */
    double seconds;          /* wall time of the last mcf_solve */
    int64_t iterations;      /* simplex pivots, or shortest-path searches */
    int64_t warm_steps;      /* assignment path: auction bids of the warm start, or rows
                                placed from mcf_warm_start */
    int64_t components;      /* assignment path: independent components solved */
    int64_t resolved;        /* of them, re-solved (all of them unless reused) */
    bool reused;             /* the last solve started from the one before (opt.reuse) */
    bool kept;               /* its state is kept for the next one (opt.reuse, at most
                                MCF_KEEP_ARCS arcs) */
};

/* The most arcs a network may have for the assignment path to keep its
 * state between solves (8 bytes an arc more while it is kept). */
#define MCF_KEEP_ARCS ((int64_t)1 << 25)

/* Create an empty network with `n_nodes` nodes (0..n_nodes-1), all supplies
 * 0. `arcs_hint` sizes the arc arrays up front (0 is fine). Returns NULL
 * only when n_nodes is negative or above MCF_NODES_MAX. Free with mcf_free. */
struct mcf *mcf_new(int32_t n_nodes, int64_t arcs_hint);
void mcf_free(struct mcf *m); /* NULL is a no-op */

/* Add an arc from -> to carrying between `lower` and `upper` units at `cost`
 * per unit. Returns its index (0, 1, 2, ... in order of addition), or -1 if
 * a value is out of range; the first such error is kept and returned by
 * mcf_solve (ZC_EINVAL, naming the arc). Self-loops and parallel arcs are
 * allowed. */
int64_t mcf_add_arc(struct mcf *m, int32_t from, int32_t to, int64_t lower, int64_t upper,
                    int64_t cost);

/* Set a node's supply: > 0 it produces, < 0 it consumes (a demand). Returns
 * false (and keeps the error for mcf_solve) if out of range. */
bool mcf_set_supply(struct mcf *m, int32_t node, int64_t supply);

/* Solve. `opt` may be NULL. Returns ZC_OK with an optimal flow available,
 * ZC_EINFEASIBLE if no flow meets the bounds and supplies, ZC_EINVAL for a
 * bad network or an algorithm that does not apply, ZC_ETOOBIG if the costs
 * and sizes could overflow. Allocates its workspace once, at the start; the
 * network may be changed and solved again. */
int mcf_solve(struct mcf *m, const struct mcf_options *opt, struct zc_error *err);

/* Warm start: the next mcf_solve on the assignment path starts from
 * column prices and row placements of an earlier solve instead of its
 * auction. pot[node] is a potential per node (as mcf_potential gives; only
 * the hub's and the columns' are read), via[node] for each row the arc its
 * unit of supply took (-1: unknown); either may be NULL. Typical use: the
 * same network with arcs added (column generation), where only the rows
 * that now have a cheaper arc need a search. The answer is exact either
 * way; the simplex ignores it. Copied; used by one solve. */
void mcf_warm_start(struct mcf *m, const int64_t *pot, const int64_t *via);

/* Re-solving after arcs were appended (column generation): with `on`, the
 * assignment path keeps its set-up and final state after each solve
 * (mcf_stats.kept; at most MCF_KEEP_ARCS arcs) and, when the network has
 * changed since by appended row -> column arcs within a component only,
 * the next solve starts from them and re-solves only the components that
 * got an arc (a warm start given is then not used). Anything else runs
 * the full set-up, warm-started by the one given or else by the kept
 * state. The answer is exact either way, and the same, flow for flow and
 * potential for potential, as a solve from scratch of the same arcs
 * warm-started at the last solution (mcf_warm_start with its potentials
 * and flows). Off by default. */
void mcf_reuse(struct mcf *m, bool on);

/* Results of the last successful mcf_solve. */
int64_t mcf_objective(const struct mcf *m); /* sum of cost * flow */
int64_t mcf_flow(const struct mcf *m, int64_t arc);
/* Node potentials pi such that every arc's reduced cost
 * rc = cost + pi(from) - pi(to) is >= 0 where flow < upper and <= 0 where
 * flow > lower (the optimality certificate). Defined up to a constant per
 * connected component. */
int64_t mcf_potential(const struct mcf *m, int32_t node);
void mcf_stats_get(const struct mcf *m, struct mcf_stats *out);

/* Read the network back. */
int32_t mcf_node_count(const struct mcf *m);
int64_t mcf_arc_count(const struct mcf *m);
int64_t mcf_supply(const struct mcf *m, int32_t node);
void mcf_arc_get(const struct mcf *m, int64_t arc, int32_t *from, int32_t *to, int64_t *lower,
                 int64_t *upper, int64_t *cost);

/* Check the last solution independently of the solver: bounds, flow
 * conservation, the objective, and the reduced-cost optimality certificate
 * above. Returns ZC_OK, or ZC_EINVAL naming the first violated condition. */
int mcf_verify(const struct mcf *m, struct zc_error *err);

const char *mcf_algorithm_name(enum mcf_algorithm a); /* "simplex", "assign", "auto" */

#endif
