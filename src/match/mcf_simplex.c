/* SPDX-License-Identifier: MIT */
/* mcf_simplex.c - primal network simplex, the general solver.
 *
 * Any network (supplies, lower and upper bounds, negative costs, self-loops,
 * parallel arcs). Lower bounds are shifted out first. An artificial root node
 * gets one arc to or from every node, priced at a big M larger than any
 * simple path, so the first basis is feasible; an artificial arc still
 * carrying flow at the optimum means the instance is infeasible.
 *
 * The basis is a spanning tree kept as parent pointers, depths and doubly
 * linked child lists, so that a pivot costs the length of the cycle plus the
 * size of the subtree that moves. Pricing is block search (blocks of about
 * sqrt(arcs), resuming where the last block stopped). Cycling is excluded by
 * keeping the tree strongly feasible (Cunningham): zero-flow tree arcs point
 * away from the root, and the leaving arc is the last blocking arc met when
 * the cycle is walked in its orientation from its apex. */
#include <math.h>
#include <stdlib.h>

#include "base/mem.h"
#include "match/mcf_int.h"

enum { ST_UPPER = -1, ST_TREE = 0, ST_LOWER = 1 };

struct ns {
    int32_t n;            /* real nodes; the root is node n */
    int64_t m;            /* real arcs; artificial arc of node v is m + v */
    int64_t total;        /* m + n */
    int32_t *src;         /* arc -> tail */
    int32_t *dst;         /* arc -> head */
    int64_t *cost;        /* arc -> cost */
    int64_t *cap;         /* arc -> upper - lower */
    int64_t *flow;        /* arc -> flow - lower */
    int8_t *state;        /* arc -> ST_* */
    int64_t *pi;          /* node -> potential; rc = cost + pi[src] - pi[dst] */
    int32_t *parent;      /* node -> parent in the tree, -1 for the root */
    int64_t *pred;        /* node -> tree arc to its parent */
    int32_t *depth;       /* node -> depth, root 0 */
    int32_t *first_child; /* node -> first child or -1 */
    int32_t *next_sib;    /* node -> next sibling or -1 */
    int32_t *prev_sib;    /* node -> previous sibling or -1 */
    int64_t next_arc;     /* where pricing resumes */
    int64_t block;        /* pricing block size */
};

static void child_detach(struct ns *s, int32_t x)
{
    int32_t p = s->prev_sib[x], q = s->next_sib[x];
    if (p >= 0)
        s->next_sib[p] = q;
    else
        s->first_child[s->parent[x]] = q;
    if (q >= 0)
        s->prev_sib[q] = p;
}

static void child_attach(struct ns *s, int32_t x, int32_t par)
{
    int32_t f = s->first_child[par];
    s->parent[x] = par;
    s->prev_sib[x] = -1;
    s->next_sib[x] = f;
    if (f >= 0)
        s->prev_sib[f] = x;
    s->first_child[par] = x;
}

/* Block search: the most violating arc of the first block that has one. */
static int64_t find_entering(struct ns *s)
{
    int64_t best = -1, best_v = 0, cnt = s->block, a = s->next_arc;
    for (int64_t k = 0; k < s->total; k++) {
        int64_t v = s->state[a] * (s->cost[a] + s->pi[s->src[a]] - s->pi[s->dst[a]]);
        if (v < best_v) {
            best_v = v;
            best = a;
        }
        if (++a == s->total)
            a = 0;
        if (--cnt == 0) {
            if (best >= 0)
                break;
            cnt = s->block;
        }
    }
    s->next_arc = a;
    return best;
}

static void pivot(struct ns *s, int64_t in)
{
    int32_t first, second, u, v, join, leave = -1;
    int64_t delta = s->cap[in];
    bool leave_first = false;

    if (s->state[in] == ST_LOWER) {
        first = s->src[in];
        second = s->dst[in];
    } else {
        first = s->dst[in];
        second = s->src[in];
    }
    u = first;
    v = second;
    while (u != v) {
        if (s->depth[u] > s->depth[v]) {
            u = s->parent[u];
        } else if (s->depth[v] > s->depth[u]) {
            v = s->parent[v];
        } else {
            u = s->parent[u];
            v = s->parent[v];
        }
    }
    join = u;

    /* The cycle runs join -> ... -> first -> second -> ... -> join. On the
     * first side arcs are met in reverse order, so only a strictly smaller
     * residual wins; on the second side a tie wins (last blocking arc). */
    for (u = first; u != join; u = s->parent[u]) {
        int64_t a = s->pred[u];
        int64_t r = s->dst[a] == u ? s->cap[a] - s->flow[a] : s->flow[a];
        if (r < delta) {
            delta = r;
            leave = u;
            leave_first = true;
        }
    }
    for (u = second; u != join; u = s->parent[u]) {
        int64_t a = s->pred[u];
        int64_t r = s->src[a] == u ? s->cap[a] - s->flow[a] : s->flow[a];
        if (r <= delta) {
            delta = r;
            leave = u;
            leave_first = false;
        }
    }

    if (delta > 0) {
        s->flow[in] += s->state[in] == ST_LOWER ? delta : -delta;
        for (u = first; u != join; u = s->parent[u]) {
            int64_t a = s->pred[u];
            s->flow[a] += s->dst[a] == u ? delta : -delta;
        }
        for (u = second; u != join; u = s->parent[u]) {
            int64_t a = s->pred[u];
            s->flow[a] += s->src[a] == u ? delta : -delta;
        }
    }
    if (leave < 0) {
        s->state[in] = (int8_t)-s->state[in];
        return;
    }

    /* Re-hang the subtree below the leaving arc from the entering arc. */
    int64_t out = s->pred[leave];
    int32_t q = leave_first ? first : second;
    int32_t p = leave_first ? second : first;
    int64_t rc = s->cost[in] + s->pi[s->src[in]] - s->pi[s->dst[in]];
    int64_t sigma = q == s->dst[in] ? rc : -rc;
    s->state[out] = s->flow[out] == 0 ? ST_LOWER : ST_UPPER;
    s->state[in] = ST_TREE;

    int32_t x = q, new_par = p;
    int64_t new_arc = in;
    for (;;) {
        int32_t old_par = s->parent[x];
        int64_t old_arc = s->pred[x];
        child_detach(s, x);
        child_attach(s, x, new_par);
        s->pred[x] = new_arc;
        if (x == leave)
            break;
        new_par = x;
        new_arc = old_arc;
        x = old_par;
    }

    /* Depths and potentials of the moved subtree, in preorder. */
    x = q;
    for (;;) {
        s->depth[x] = s->depth[s->parent[x]] + 1;
        s->pi[x] += sigma;
        if (s->first_child[x] >= 0) {
            x = s->first_child[x];
            continue;
        }
        while (x != q && s->next_sib[x] < 0)
            x = s->parent[x];
        if (x == q)
            break;
        x = s->next_sib[x];
    }
}

static void ns_free(struct ns *s)
{
    free(s->src);
    free(s->dst);
    free(s->cost);
    free(s->cap);
    free(s->flow);
    free(s->state);
    free(s->pi);
    free(s->parent);
    free(s->pred);
    free(s->depth);
    free(s->first_child);
    free(s->next_sib);
    free(s->prev_sib);
}

int mcf_simplex_solve(struct mcf *m, struct zc_error *err)
{
    struct ns s = {0};
    int64_t max_cost = 0, big_m, iters = 0;
    int32_t n = m->n, root = m->n;
    __int128 *b;
    __int128 sum_sup = 0;
    int rc = ZC_OK;

    for (int64_t a = 0; a < m->m; a++) {
        int64_t c = mcf_cost_(m, a);
        if (c < 0)
            c = -c;
        if (c > max_cost)
            max_cost = c;
    }
    /* Potentials stay within about 2 * big_m and reduced costs within
     * 5 * big_m; keep them far from int64 overflow. */
    if ((__int128)(n + 2) * (max_cost + 1) > ((__int128)1 << 59))
        return zc_error_set(err, ZC_ETOOBIG,
                            "costs up to %lld on %d nodes are too large for exact arithmetic",
                            (long long)max_cost, n);
    big_m = (int64_t)(n + 1) * (max_cost + 1);

    s.n = n;
    s.m = m->m;
    s.total = m->m + n;
    s.src = zc_reallocarray(NULL, (size_t)s.total + 1, sizeof(*s.src));
    s.dst = zc_reallocarray(NULL, (size_t)s.total + 1, sizeof(*s.dst));
    s.cost = zc_reallocarray(NULL, (size_t)s.total + 1, sizeof(*s.cost));
    s.cap = zc_reallocarray(NULL, (size_t)s.total + 1, sizeof(*s.cap));
    s.flow = zc_calloc((size_t)s.total + 1, sizeof(*s.flow));
    s.state = zc_calloc((size_t)s.total + 1, sizeof(*s.state));
    s.pi = zc_calloc((size_t)n + 1, sizeof(*s.pi));
    s.parent = zc_reallocarray(NULL, (size_t)n + 1, sizeof(*s.parent));
    s.pred = zc_reallocarray(NULL, (size_t)n + 1, sizeof(*s.pred));
    s.depth = zc_calloc((size_t)n + 1, sizeof(*s.depth));
    s.first_child = zc_reallocarray(NULL, (size_t)n + 1, sizeof(*s.first_child));
    s.next_sib = zc_reallocarray(NULL, (size_t)n + 1, sizeof(*s.next_sib));
    s.prev_sib = zc_reallocarray(NULL, (size_t)n + 1, sizeof(*s.prev_sib));
    b = zc_reallocarray(NULL, (size_t)n + 1, sizeof(*b));

    /* Shift lower bounds out: flow' = flow - lower. */
    for (int32_t v = 0; v < n; v++)
        b[v] = m->supply[v];
    for (int64_t a = 0; a < m->m; a++) {
        int64_t lo = mcf_lower_(m, a);
        s.src[a] = m->tail[a];
        s.dst[a] = m->head[a];
        s.cost[a] = mcf_cost_(m, a);
        s.cap[a] = mcf_upper_(m, a) - lo;
        s.state[a] = ST_LOWER;
        b[m->tail[a]] -= lo;
        b[m->head[a]] += lo;
    }
    for (int32_t v = 0; v < n; v++)
        sum_sup += b[v] > 0 ? b[v] : -b[v];
    if (sum_sup > ((__int128)1 << 60)) {
        rc = zc_error_set(err, ZC_ETOOBIG, "supplies and lower bounds are too large");
        goto out;
    }

    /* The first basis: every node hangs from the root by its artificial arc,
     * pointing down when it carries no flow (strongly feasible). */
    s.parent[root] = -1;
    s.pred[root] = -1;
    s.first_child[root] = -1;
    s.next_sib[root] = s.prev_sib[root] = -1;
    s.pi[root] = 0;
    for (int32_t v = 0; v < n; v++)
        s.first_child[v] = -1;
    for (int32_t v = n - 1; v >= 0; v--) {
        int64_t a = m->m + v;
        s.cost[a] = big_m;
        s.cap[a] = (int64_t)1 << 62;
        s.state[a] = ST_TREE;
        if (b[v] > 0) {
            s.src[a] = v;
            s.dst[a] = root;
            s.flow[a] = (int64_t)b[v];
            s.pi[v] = -big_m;
        } else {
            s.src[a] = root;
            s.dst[a] = v;
            s.flow[a] = (int64_t)-b[v];
            s.pi[v] = big_m;
        }
        s.depth[v] = 1;
        s.pred[v] = a;
        child_attach(&s, v, root);
    }
    s.block = (int64_t)sqrt((double)s.total);
    if (s.block < 10)
        s.block = 10;
    s.next_arc = 0;

    for (;;) {
        int64_t in = find_entering(&s);
        if (in < 0)
            break;
        pivot(&s, in);
        iters++;
    }
    m->stats.iterations = iters;

    for (int32_t v = 0; v < n; v++) {
        if (s.flow[m->m + v] != 0) {
            rc = zc_error_set(err, ZC_EINFEASIBLE,
                              "no feasible flow: %lld unit(s) at node %d cannot be routed",
                              (long long)s.flow[m->m + v], v);
            goto out;
        }
    }
    m->flow = zc_reallocarray(NULL, (size_t)m->m + 1, sizeof(*m->flow));
    for (int64_t a = 0; a < m->m; a++)
        m->flow[a] = s.flow[a] + mcf_lower_(m, a);
    for (int32_t v = 0; v < n; v++)
        m->pot[v] = s.pi[v];
out:
    free(b);
    ns_free(&s);
    return rc;
}
