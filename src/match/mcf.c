/* SPDX-License-Identifier: MIT */
/* mcf.c - the public side of the min-cost-flow solver: building the network,
 * choosing the algorithm, and reading and verifying the results.
 *
 * Overflow is handled at build time: costs, bounds and supplies are limited
 * (MCF_COST_MAX, MCF_CAP_MAX) and the solvers check the products they rely on
 * before they start, so that their inner loops can use plain int64 sums. */
#include "match/mcf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/mem.h"
#include "match/mcf_int.h"

double mcf_now_(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct mcf *mcf_new(int32_t n_nodes, int64_t arcs_hint)
{
    struct mcf *m;
    if (n_nodes < 0 || n_nodes > MCF_NODES_MAX)
        return NULL;
    m = zc_calloc(1, sizeof(*m));
    m->n = n_nodes;
    m->supply = zc_calloc((size_t)n_nodes + 1, sizeof(*m->supply));
    m->arc_cap = arcs_hint > 16 ? arcs_hint : 16;
    m->tail = zc_malloc((size_t)m->arc_cap * sizeof(*m->tail));
    m->head = zc_malloc((size_t)m->arc_cap * sizeof(*m->head));
    m->cost32 = zc_malloc((size_t)m->arc_cap * sizeof(*m->cost32));
    m->upper32 = zc_malloc((size_t)m->arc_cap * sizeof(*m->upper32));
    return m;
}

static void results_free(struct mcf *m)
{
    free(m->flow);
    free(m->flow8);
    free(m->pot);
    m->flow = NULL;
    m->flow8 = NULL;
    m->pot = NULL;
    m->solved = false;
}

static void warm_free(struct mcf *m)
{
    free(m->warm_pot);
    free(m->warm_via);
    m->warm_pot = NULL;
    m->warm_via = NULL;
}

void mcf_warm_start(struct mcf *m, const int64_t *pot, const int64_t *via)
{
    warm_free(m);
    if (pot) {
        m->warm_pot = zc_malloc(((size_t)m->n + 1) * sizeof(int64_t));
        memcpy(m->warm_pot, pot, (size_t)m->n * sizeof(int64_t));
    }
    if (via) {
        m->warm_via = zc_malloc(((size_t)m->n + 1) * sizeof(int64_t));
        memcpy(m->warm_via, via, (size_t)m->n * sizeof(int64_t));
    }
}

void mcf_reuse(struct mcf *m, bool on)
{
    m->reuse = on;
    if (!on) {
        mcf_assign_keep_free(m->keep);
        m->keep = NULL;
    }
}

void mcf_free(struct mcf *m)
{
    if (!m)
        return;
    results_free(m);
    warm_free(m);
    mcf_assign_keep_free(m->keep);
    free(m->tail);
    free(m->head);
    free(m->cost32);
    free(m->upper32);
    free(m->cost64);
    free(m->upper64);
    free(m->lower);
    free(m->supply);
    free(m);
}

/* Switch to int64 cost and upper arrays, once. */
static void widen(struct mcf *m)
{
    m->cost64 = zc_reallocarray(NULL, (size_t)m->arc_cap, sizeof(*m->cost64));
    m->upper64 = zc_reallocarray(NULL, (size_t)m->arc_cap, sizeof(*m->upper64));
    for (int64_t a = 0; a < m->m; a++) {
        m->cost64[a] = m->cost32[a];
        m->upper64[a] = m->upper32[a];
    }
    free(m->cost32);
    free(m->upper32);
    m->cost32 = NULL;
    m->upper32 = NULL;
    m->wide = true;
}

static void grow(struct mcf *m)
{
    size_t cap = (size_t)m->arc_cap * 2;
    m->tail = zc_reallocarray(m->tail, cap, sizeof(*m->tail));
    m->head = zc_reallocarray(m->head, cap, sizeof(*m->head));
    if (m->wide) {
        m->cost64 = zc_reallocarray(m->cost64, cap, sizeof(*m->cost64));
        m->upper64 = zc_reallocarray(m->upper64, cap, sizeof(*m->upper64));
    } else {
        m->cost32 = zc_reallocarray(m->cost32, cap, sizeof(*m->cost32));
        m->upper32 = zc_reallocarray(m->upper32, cap, sizeof(*m->upper32));
    }
    if (m->lower) {
        m->lower = zc_reallocarray(m->lower, cap, sizeof(*m->lower));
        memset(m->lower + m->arc_cap, 0, (cap - (size_t)m->arc_cap) * sizeof(*m->lower));
    }
    m->arc_cap = (int64_t)cap;
}

int64_t mcf_add_arc(struct mcf *m, int32_t from, int32_t to, int64_t lower, int64_t upper,
                    int64_t cost)
{
    int64_t a = m->m;
    if (from < 0 || from >= m->n || to < 0 || to >= m->n) {
        if (m->build.code == ZC_OK)
            zc_error_set(&m->build, ZC_EINVAL, "arc %lld: node %d out of range 0..%d", (long long)a,
                         from < 0 || from >= m->n ? from : to, m->n - 1);
        return -1;
    }
    if (lower < 0 || lower > upper || upper > MCF_CAP_MAX) {
        if (m->build.code == ZC_OK)
            zc_error_set(&m->build, ZC_EINVAL,
                         "arc %lld: bounds %lld..%lld are not within 0 <= lower <= upper <= %lld",
                         (long long)a, (long long)lower, (long long)upper, (long long)MCF_CAP_MAX);
        return -1;
    }
    if (cost < -MCF_COST_MAX || cost > MCF_COST_MAX) {
        if (m->build.code == ZC_OK)
            zc_error_set(&m->build, ZC_EINVAL, "arc %lld: |cost| %lld exceeds %lld", (long long)a,
                         (long long)cost, (long long)MCF_COST_MAX);
        return -1;
    }
    if (a == m->arc_cap)
        grow(m);
    if (!m->wide && (cost < INT32_MIN || cost > INT32_MAX || upper > INT32_MAX))
        widen(m);
    if (lower != 0 && !m->lower)
        m->lower = zc_calloc((size_t)m->arc_cap, sizeof(*m->lower));
    m->tail[a] = from;
    m->head[a] = to;
    if (m->wide) {
        m->cost64[a] = cost;
        m->upper64[a] = upper;
    } else {
        m->cost32[a] = (int32_t)cost;
        m->upper32[a] = (int32_t)upper;
    }
    if (m->lower)
        m->lower[a] = lower;
    m->m = a + 1;
    m->solved = false;
    return a;
}

bool mcf_set_supply(struct mcf *m, int32_t node, int64_t supply)
{
    if (node < 0 || node >= m->n) {
        if (m->build.code == ZC_OK)
            zc_error_set(&m->build, ZC_EINVAL, "supply: node %d out of range 0..%d", node,
                         m->n - 1);
        return false;
    }
    if (supply < -MCF_CAP_MAX || supply > MCF_CAP_MAX) {
        if (m->build.code == ZC_OK)
            zc_error_set(&m->build, ZC_EINVAL, "node %d: |supply| %lld exceeds %lld", node,
                         (long long)supply, (long long)MCF_CAP_MAX);
        return false;
    }
    if (m->keep && m->supply[node] != supply) {
        mcf_assign_keep_free(m->keep); /* the kept state assumed the old supplies */
        m->keep = NULL;
    }
    m->supply[node] = supply;
    m->solved = false;
    return true;
}

/* Sum of cost * flow in 128 bits; false if it does not fit in int64. */
static bool compute_objective(const struct mcf *m, int64_t *out)
{
    __int128 sum = 0;
    if (m->objective_known)
        sum = m->objective_sum; /* the fast path knows it without a pass over the arcs */
    else
        for (int64_t a = 0; a < m->m; a++)
            sum += (__int128)mcf_cost_(m, a) * mcf_flow_(m, a);
    if (sum > INT64_MAX || sum < INT64_MIN)
        return false;
    *out = (int64_t)sum;
    return true;
}

int mcf_solve(struct mcf *m, const struct mcf_options *opt, struct zc_error *err)
{
    struct mcf_options defaults = {MCF_ALG_AUTO, 0};
    double t0 = mcf_now_();
    __int128 total = 0;
    int rc;

    if (!opt)
        opt = &defaults;
    results_free(m);
    memset(&m->stats, 0, sizeof(m->stats));
    m->objective_known = false;
    if (m->build.code != ZC_OK)
        return zc_error_set(err, m->build.code, "%s", m->build.msg);
    for (int32_t v = 0; v < m->n; v++)
        total += m->supply[v];
    if (total != 0)
        return zc_error_set(err, ZC_EINFEASIBLE, "supplies sum to %lld, not 0", (long long)total);

    /* Each solver allocates the flows (the fast path may keep them in a
     * byte an arc); the potentials are allocated here. */
    m->pot = zc_calloc((size_t)m->n + 1, sizeof(*m->pot));
    /* AUTO takes the transportation fast path when the network has that
     * shape (mcf_assign_solve says ZC_EINVAL without touching anything when
     * it does not) and the simplex otherwise. */
    rc = ZC_EINVAL;
    if (opt->algorithm == MCF_ALG_ASSIGN || opt->algorithm == MCF_ALG_AUTO) {
        m->stats.used = MCF_ALG_ASSIGN;
        rc = mcf_assign_solve(m, opt->threads > 0 ? opt->threads : 2, err);
    }
    if (opt->algorithm == MCF_ALG_SIMPLEX || (opt->algorithm == MCF_ALG_AUTO && rc == ZC_EINVAL)) {
        mcf_assign_keep_free(m->keep);
        m->keep = NULL;
        memset(&m->stats, 0, sizeof(m->stats));
        m->stats.used = MCF_ALG_SIMPLEX;
        rc = mcf_simplex_solve(m, err);
    }
    if (rc == ZC_OK && !compute_objective(m, &m->objective))
        rc = zc_error_set(err, ZC_ETOOBIG, "the objective does not fit in 64 bits");
    m->stats.seconds = mcf_now_() - t0;
    warm_free(m);
    if (rc != ZC_OK) {
        results_free(m);
        return rc;
    }
    m->solved = true;
    return ZC_OK;
}

int64_t mcf_objective(const struct mcf *m)
{
    return m->solved ? m->objective : 0;
}

int64_t mcf_flow(const struct mcf *m, int64_t arc)
{
    if (!m->solved || arc < 0 || arc >= m->m)
        return 0;
    return mcf_flow_(m, arc);
}

int64_t mcf_potential(const struct mcf *m, int32_t node)
{
    if (!m->solved || node < 0 || node >= m->n)
        return 0;
    return m->pot[node];
}

void mcf_stats_get(const struct mcf *m, struct mcf_stats *out)
{
    *out = m->stats;
}

int32_t mcf_node_count(const struct mcf *m)
{
    return m->n;
}

int64_t mcf_arc_count(const struct mcf *m)
{
    return m->m;
}

int64_t mcf_supply(const struct mcf *m, int32_t node)
{
    return node >= 0 && node < m->n ? m->supply[node] : 0;
}

void mcf_arc_get(const struct mcf *m, int64_t arc, int32_t *from, int32_t *to, int64_t *lower,
                 int64_t *upper, int64_t *cost)
{
    ZC_ASSERT(arc >= 0 && arc < m->m);
    if (from)
        *from = m->tail[arc];
    if (to)
        *to = m->head[arc];
    if (lower)
        *lower = mcf_lower_(m, arc);
    if (upper)
        *upper = mcf_upper_(m, arc);
    if (cost)
        *cost = mcf_cost_(m, arc);
}

int mcf_verify(const struct mcf *m, struct zc_error *err)
{
    __int128 *excess;
    __int128 obj = 0;
    int rc = ZC_OK;

    if (!m->solved)
        return zc_error_set(err, ZC_EINVAL, "no solution to verify");
    excess = zc_calloc((size_t)m->n + 1, sizeof(*excess));
    for (int64_t a = 0; a < m->m && rc == ZC_OK; a++) {
        int64_t f = mcf_flow_(m, a), lo = mcf_lower_(m, a), up = mcf_upper_(m, a);
        int64_t c = mcf_cost_(m, a);
        __int128 rcost = (__int128)c + m->pot[m->tail[a]] - m->pot[m->head[a]];
        if (f < lo || f > up)
            rc = zc_error_set(err, ZC_EINVAL, "arc %lld: flow %lld outside %lld..%lld",
                              (long long)a, (long long)f, (long long)lo, (long long)up);
        else if (rcost > 0 && f > lo)
            rc = zc_error_set(err, ZC_EINVAL,
                              "arc %lld: reduced cost %lld > 0 but flow %lld above lower bound",
                              (long long)a, (long long)rcost, (long long)f);
        else if (rcost < 0 && f < up)
            rc = zc_error_set(err, ZC_EINVAL,
                              "arc %lld: reduced cost %lld < 0 but flow %lld below upper bound",
                              (long long)a, (long long)rcost, (long long)f);
        excess[m->tail[a]] -= f;
        excess[m->head[a]] += f;
        obj += (__int128)c * f;
    }
    for (int32_t v = 0; v < m->n && rc == ZC_OK; v++) {
        if (excess[v] + m->supply[v] != 0)
            rc = zc_error_set(err, ZC_EINVAL, "node %d: inflow - outflow + supply = %lld, not 0", v,
                              (long long)(excess[v] + m->supply[v]));
    }
    if (rc == ZC_OK && obj != m->objective)
        rc = zc_error_set(err, ZC_EINVAL, "objective %lld does not match the flows (%lld)",
                          (long long)m->objective, (long long)obj);
    free(excess);
    return rc;
}

const char *mcf_algorithm_name(enum mcf_algorithm a)
{
    switch (a) {
    case MCF_ALG_SIMPLEX:
        return "simplex";
    case MCF_ALG_ASSIGN:
        return "assign";
    case MCF_ALG_AUTO:
        break;
    }
    return "auto";
}
