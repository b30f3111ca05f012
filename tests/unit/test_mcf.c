/* SPDX-License-Identifier: MIT */
/* test_mcf.c - the min-cost-flow solver against an independent oracle.
 *
 * The oracle is successive shortest paths with Bellman-Ford, written here
 * from the textbook and sharing no code with src/match: lower bounds are
 * shifted out, negative arcs saturated, then unit-by-bottleneck augmentation
 * from a super source. Thousands of random instances (fixed seeds) of two
 * kinds, general networks and the transportation shape the dispatch model
 * produces, are solved by every algorithm and compared on cost and
 * feasibility; every solution is checked with mcf_verify. */
#include <stdlib.h>

#include "base/err.h"
#include "match/mcf.h"
#include "test.h"

struct rng {
    uint64_t s; /* xorshift64* state, never 0 */
};

static uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ULL;
}

/* Uniform in lo..hi inclusive. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* A plain instance the oracle and the solver both read. */
#define OR_MAXN 64
#define OR_MAXM 256

struct inst {
    int n;                 /* nodes */
    int m;                 /* arcs */
    int from[OR_MAXM];     /* arc tails */
    int to[OR_MAXM];       /* arc heads */
    int64_t lo[OR_MAXM];   /* lower bounds */
    int64_t up[OR_MAXM];   /* upper bounds */
    int64_t cost[OR_MAXM]; /* costs */
    int64_t sup[OR_MAXN];  /* supplies */
};

/* Oracle: returns true and the optimal cost, or false if infeasible. */
static bool oracle(const struct inst *in, int64_t *cost_out)
{
    /* Residual graph with super source S = n and sink T = n + 1. */
    enum { MAXE = 2 * (OR_MAXM + 2 * OR_MAXN) };

    int n = in->n + 2, S = in->n, T = in->n + 1, ne = 0;
    int eto[MAXE], efrom[MAXE];
    int64_t ecap[MAXE], ecost[MAXE];
    int64_t b[OR_MAXN + 2] = {0}, total = 0, cost = 0, sent = 0;

    for (int v = 0; v < in->n; v++)
        b[v] = in->sup[v];
    for (int a = 0; a < in->m; a++) {
        int64_t cap = in->up[a] - in->lo[a], c = in->cost[a];
        int u = in->from[a], v = in->to[a];
        cost += in->lo[a] * c;
        b[u] -= in->lo[a];
        b[v] += in->lo[a];
        if (c < 0) { /* saturate: the residual arc is the reverse one */
            cost += cap * c;
            b[u] -= cap;
            b[v] += cap;
            u = in->to[a];
            v = in->from[a];
            c = -c;
        }
        efrom[ne] = u, eto[ne] = v, ecap[ne] = cap, ecost[ne] = c, ne++;
        efrom[ne] = v, eto[ne] = u, ecap[ne] = 0, ecost[ne] = -c, ne++;
    }
    int64_t balance = 0;
    for (int v = 0; v < in->n; v++)
        balance += in->sup[v];
    if (balance != 0)
        return false;
    for (int v = 0; v < in->n; v++) {
        if (b[v] > 0) {
            efrom[ne] = S, eto[ne] = v, ecap[ne] = b[v], ecost[ne] = 0, ne++;
            efrom[ne] = v, eto[ne] = S, ecap[ne] = 0, ecost[ne] = 0, ne++;
            total += b[v];
        } else if (b[v] < 0) {
            efrom[ne] = v, eto[ne] = T, ecap[ne] = -b[v], ecost[ne] = 0, ne++;
            efrom[ne] = T, eto[ne] = v, ecap[ne] = 0, ecost[ne] = 0, ne++;
        }
    }
    while (sent < total) {
        int64_t dist[OR_MAXN + 2];
        int pe[OR_MAXN + 2];
        for (int v = 0; v < n; v++)
            dist[v] = INT64_MAX, pe[v] = -1;
        dist[S] = 0;
        for (int it = 0; it < n; it++) {
            bool changed = false;
            for (int e = 0; e < ne; e++) {
                if (ecap[e] > 0 && dist[efrom[e]] != INT64_MAX &&
                    dist[efrom[e]] + ecost[e] < dist[eto[e]]) {
                    dist[eto[e]] = dist[efrom[e]] + ecost[e];
                    pe[eto[e]] = e;
                    changed = true;
                }
            }
            if (!changed)
                break;
        }
        if (dist[T] == INT64_MAX)
            return false;
        int64_t f = total - sent;
        for (int v = T; v != S; v = efrom[pe[v]])
            if (ecap[pe[v]] < f)
                f = ecap[pe[v]];
        for (int v = T; v != S; v = efrom[pe[v]]) {
            ecap[pe[v]] -= f;
            ecap[pe[v] ^ 1] += f;
        }
        cost += f * dist[T];
        sent += f;
    }
    *cost_out = cost;
    return true;
}

static struct mcf *build(const struct inst *in)
{
    struct mcf *m = mcf_new(in->n, in->m);
    for (int a = 0; a < in->m; a++)
        mcf_add_arc(m, in->from[a], in->to[a], in->lo[a], in->up[a], in->cost[a]);
    for (int v = 0; v < in->n; v++)
        mcf_set_supply(m, v, in->sup[v]);
    return m;
}

/* A general network: any arcs, bounds, negative costs, self-loops. */
static void gen_general(struct rng *r, struct inst *in)
{
    int64_t sum = 0;
    in->n = (int)rng_range(r, 1, 8);
    in->m = (int)rng_range(r, 0, 24);
    for (int a = 0; a < in->m; a++) {
        in->from[a] = (int)rng_range(r, 0, in->n - 1);
        in->to[a] = (int)rng_range(r, 0, in->n - 1);
        in->lo[a] = rng_range(r, 0, 9) < 3 ? rng_range(r, 0, 2) : 0;
        in->up[a] = in->lo[a] + rng_range(r, 0, 6);
        in->cost[a] = rng_range(r, -8, 25);
    }
    for (int v = 0; v < in->n; v++) {
        in->sup[v] = rng_range(r, 0, 2) == 0 ? rng_range(r, -4, 4) : 0;
        sum += in->sup[v];
    }
    in->sup[rng_range(r, 0, in->n - 1)] -= sum;
}

/* The dispatch shape: rows (supply 1) -> columns (demand 1), and when
 * has_hub, a hub node with "unassigned" arcs from rows and "unfilled" arcs
 * to columns, some missing so that infeasible cases occur too. */
static void gen_assign(struct rng *r, struct inst *in, int max_side, bool neg)
{
    int nr = (int)rng_range(r, 1, max_side), nc = (int)rng_range(r, 1, max_side);
    bool hub = rng_range(r, 0, 4) != 0;
    if (!hub && rng_range(r, 0, 3) != 0)
        nc = nr; /* a square assignment, usually balanced */
    int h = nr + nc;
    in->n = nr + nc + (hub ? 1 : 0);
    in->m = 0;
    for (int i = 0; i < nr; i++)
        in->sup[i] = 1;
    for (int j = 0; j < nc; j++)
        in->sup[nr + j] = -1;
    if (hub)
        in->sup[h] = nc - nr;
    for (int i = 0; i < nr; i++) {
        for (int j = 0; j < nc; j++) {
            int k = in->m;
            if (rng_range(r, 0, 2) == 0 || k >= OR_MAXM - 2 * OR_MAXN)
                continue;
            in->from[k] = i, in->to[k] = nr + j, in->lo[k] = 0;
            in->up[k] = rng_range(r, 1, 2);
            in->cost[k] = neg ? rng_range(r, -20, 40) : rng_range(r, 0, 40);
            in->m++;
            if (rng_range(r, 0, 9) == 0) { /* a parallel arc */
                in->from[k + 1] = i, in->to[k + 1] = nr + j, in->lo[k + 1] = 0;
                in->up[k + 1] = 1;
                in->cost[k + 1] = rng_range(r, 0, 40);
                in->m++;
            }
        }
    }
    if (!hub)
        return;
    for (int i = 0; i < nr; i++) {
        if (rng_range(r, 0, 5) == 0)
            continue;
        int k = in->m++;
        in->from[k] = i, in->to[k] = h, in->lo[k] = 0, in->up[k] = 1;
        in->cost[k] = rng_range(r, 0, 5) == 0 ? 0 : rng_range(r, -5, 60);
    }
    for (int j = 0; j < nc; j++) {
        if (rng_range(r, 0, 5) == 0)
            continue;
        int k = in->m++;
        in->from[k] = h, in->to[k] = nr + j, in->lo[k] = 0, in->up[k] = rng_range(r, 1, 3);
        in->cost[k] = rng_range(r, 0, 80);
    }
}

/* Solve with `alg`, compare with the oracle and verify. Returns false with
 * a message on the first disagreement. */
static bool check_against_oracle(const struct inst *in, enum mcf_algorithm alg, int threads,
                                 char *why, size_t whylen)
{
    struct mcf_options opt = {alg, threads};
    struct zc_error err = {0};
    int64_t want = 0;
    bool feasible = oracle(in, &want);
    struct mcf *m = build(in);
    int rc = mcf_solve(m, &opt, &err);
    bool ok = true;

    if (feasible && rc != ZC_OK) {
        snprintf(why, whylen, "%s: rc %d (%s), oracle cost %lld", mcf_algorithm_name(alg), rc,
                 err.msg, (long long)want);
        ok = false;
    } else if (!feasible && rc != ZC_EINFEASIBLE) {
        snprintf(why, whylen, "%s: rc %d cost %lld, oracle says infeasible",
                 mcf_algorithm_name(alg), rc, (long long)mcf_objective(m));
        ok = false;
    } else if (feasible && mcf_objective(m) != want) {
        snprintf(why, whylen, "%s: cost %lld != oracle %lld", mcf_algorithm_name(alg),
                 (long long)mcf_objective(m), (long long)want);
        ok = false;
    } else if (feasible && mcf_verify(m, &err) != ZC_OK) {
        snprintf(why, whylen, "%s: verify: %s", mcf_algorithm_name(alg), err.msg);
        ok = false;
    }
    mcf_free(m);
    return ok;
}

TEST(mcf_random_general_vs_oracle)
{
    struct rng r = {0x9e3779b97f4a7c15ULL};
    struct inst in;
    char why[600];
    int infeasible = 0;
    for (int k = 0; k < 4000; k++) {
        int64_t dummy;
        gen_general(&r, &in);
        infeasible += !oracle(&in, &dummy);
        CHECK_MSG(check_against_oracle(&in, MCF_ALG_SIMPLEX, 1, why, sizeof(why)),
                  "instance %d: %s", k, why);
        CHECK_MSG(check_against_oracle(&in, MCF_ALG_AUTO, 2, why, sizeof(why)), "instance %d: %s",
                  k, why);
    }
    /* The generator must exercise both outcomes. */
    CHECK(infeasible > 200 && infeasible < 3800);
}

TEST(mcf_random_assign_vs_oracle)
{
    struct rng r = {12345};
    struct inst in;
    char why[600];
    int infeasible = 0, n = zt_rounds(4000);
    for (int k = 0; k < n; k++) {
        int64_t dummy;
        gen_assign(&r, &in, k < n * 3 / 4 ? 6 : 14, k % 3 == 0);
        infeasible += !oracle(&in, &dummy);
        CHECK_MSG(check_against_oracle(&in, MCF_ALG_ASSIGN, 1 + k % 2, why, sizeof(why)),
                  "instance %d: %s", k, why);
        CHECK_MSG(check_against_oracle(&in, MCF_ALG_SIMPLEX, 1, why, sizeof(why)),
                  "instance %d: %s", k, why);
    }
    CHECK(infeasible * 40 > n && infeasible * 40 < n * 39);
}

/* The transportation shape of mcf.h in full: columns of demand 1..4, the
 * hub's "unfilled" arc missing on some (must-fill columns, feasible or
 * not), negative costs, parallel arcs, many ties (costs from a small set). */
static void gen_transport(struct rng *r, struct inst *in, int max_side)
{
    int nr = (int)rng_range(r, 1, max_side), nc = (int)rng_range(r, 1, max_side);
    int h = nr + nc, dsum = 0;
    bool ties = rng_range(r, 0, 2) == 0;
    in->n = nr + nc + 1;
    in->m = 0;
    for (int i = 0; i < nr; i++)
        in->sup[i] = 1;
    for (int j = 0; j < nc; j++) {
        int d = rng_range(r, 0, 2) == 0 ? (int)rng_range(r, 2, 4) : 1;
        in->sup[nr + j] = -d;
        dsum += d;
    }
    in->sup[h] = dsum - nr;
    for (int i = 0; i < nr; i++) {
        for (int j = 0; j < nc; j++) {
            if (rng_range(r, 0, 2) == 0 || in->m >= OR_MAXM - 2 * OR_MAXN - 1)
                continue;
            int k = in->m++;
            in->from[k] = i, in->to[k] = nr + j, in->lo[k] = 0, in->up[k] = 1;
            in->cost[k] = ties ? 5 * rng_range(r, -2, 4) : rng_range(r, -30, 40);
            if (rng_range(r, 0, 9) == 0) { /* a parallel arc */
                k = in->m++;
                in->from[k] = i, in->to[k] = nr + j, in->lo[k] = 0, in->up[k] = 1;
                in->cost[k] = ties ? 5 * rng_range(r, -2, 4) : rng_range(r, -30, 40);
            }
        }
    }
    for (int i = 0; i < nr; i++) {
        if (rng_range(r, 0, 7) == 0)
            continue;
        int k = in->m++;
        in->from[k] = i, in->to[k] = h, in->lo[k] = 0, in->up[k] = 1;
        in->cost[k] = ties ? 0 : rng_range(r, -10, 60);
    }
    for (int j = 0; j < nc; j++) {
        if (rng_range(r, 0, 3) == 0)
            continue; /* must-fill */
        int k = in->m++;
        in->from[k] = h, in->to[k] = nr + j, in->lo[k] = 0;
        in->up[k] = -in->sup[nr + j] + rng_range(r, 0, 1);
        in->cost[k] = ties ? 50 : rng_range(r, 0, 90);
    }
}

TEST(mcf_random_transport_vs_oracle)
{
    struct rng r = {777};
    struct inst in;
    char why[600];
    int infeasible = 0, n = zt_rounds(4000);
    for (int k = 0; k < n; k++) {
        int64_t dummy;
        gen_transport(&r, &in, k < n * 3 / 4 ? 6 : 12);
        infeasible += !oracle(&in, &dummy);
        CHECK_MSG(check_against_oracle(&in, MCF_ALG_ASSIGN, 1 + k % 2, why, sizeof(why)),
                  "instance %d: %s", k, why);
        CHECK_MSG(check_against_oracle(&in, MCF_ALG_AUTO, 1, why, sizeof(why)), "instance %d: %s",
                  k, why);
    }
    CHECK(infeasible * 40 > n && infeasible * 40 < n * 39);
}

/* Must-fill columns of larger demand (a unit's "stay home" column fed by
 * its own cadres) on a larger instance: the fast path and the simplex
 * agree, both certified; one more must-fill unit than rows can give is
 * infeasible. */
TEST(mcf_transport_must_fill_large)
{
    struct zc_error err = {0};
    struct rng r = {99};
    int nr = 3000, nc = 2500, h = nr + nc, dsum = 0;
    for (int pass = 0; pass < 2; pass++) {
        struct mcf *m = mcf_new(nr + nc + 1, (int64_t)nr * 12);
        struct mcf_options simplex = {MCF_ALG_SIMPLEX, 1}, fast = {MCF_ALG_AUTO, 2};
        dsum = 0;
        for (int j = 0; j < nc; j++) {
            int d = j < 20 ? 40 + pass : 1; /* 20 stay-home columns */
            mcf_set_supply(m, nr + j, -d);
            dsum += d;
            if (j >= 20)
                mcf_add_arc(m, h, nr + j, 0, d, 5000 + 100 * rng_range(&r, 0, 30));
        }
        for (int i = 0; i < nr; i++) {
            mcf_set_supply(m, i, 1);
            if (i < 800) /* the units' own cadres feed their stay-home column */
                mcf_add_arc(m, i, nr + i / 40, 0, 1, 0);
            for (int k = 0; k < 10; k++)
                mcf_add_arc(m, i, nr + 20 + (int)rng_range(&r, 0, nc - 21), 0, 1,
                            rng_range(&r, -100, 1000));
            mcf_add_arc(m, i, h, 0, 1, 0);
        }
        mcf_set_supply(m, h, dsum - nr);
        if (pass == 0) {
            CHECK_INT_EQ(mcf_solve(m, &simplex, &err), ZC_OK);
            int64_t want = mcf_objective(m);
            CHECK_INT_EQ(mcf_solve(m, &fast, &err), ZC_OK);
            struct mcf_stats st;
            mcf_stats_get(m, &st);
            CHECK_INT_EQ(st.used, MCF_ALG_ASSIGN);
            CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
            CHECK_INT_EQ(mcf_objective(m), want);
        } else {
            CHECK_INT_EQ(mcf_solve(m, &fast, &err), ZC_EINFEASIBLE);
        }
        mcf_free(m);
    }
}

/* Many independent components solved on two threads: every worker works in
 * its own slices of shared arrays (a worker once wrote one entry into its
 * neighbour's slice). Same flows and potentials as one thread, certified,
 * and the same cost as the simplex. */
TEST(mcf_transport_many_components)
{
    struct zc_error err = {0};
    struct rng r = {31337};
    int blocks = 60, nr = 0, nc = 0;
    int br[60], bc[60];
    for (int b = 0; b < blocks; b++) {
        br[b] = (int)rng_range(&r, 1, 120);
        bc[b] = (int)rng_range(&r, 1, 120);
        nr += br[b];
        nc += bc[b];
    }
    struct mcf *m = mcf_new(nr + nc + 1, 0);
    int h = nr + nc, r0 = 0, c0 = nr, dsum = 0;
    for (int b = 0; b < blocks; b++) {
        for (int j = 0; j < bc[b]; j++) {
            int d = rng_range(&r, 0, 9) == 0 ? 2 : 1;
            mcf_set_supply(m, c0 + j, -d);
            dsum += d;
            mcf_add_arc(m, h, c0 + j, 0, d, 3000 + rng_range(&r, 0, 2000));
        }
        for (int i = 0; i < br[b]; i++) {
            mcf_set_supply(m, r0 + i, 1);
            for (int k = 0; k < 8; k++)
                mcf_add_arc(m, r0 + i, c0 + (int)rng_range(&r, 0, bc[b] - 1), 0, 1,
                            rng_range(&r, -50, 1000));
            mcf_add_arc(m, r0 + i, h, 0, 1, 0);
        }
        r0 += br[b];
        c0 += bc[b];
    }
    mcf_set_supply(m, h, dsum - nr);
    struct mcf_options one = {MCF_ALG_ASSIGN, 1}, two = {MCF_ALG_ASSIGN, 2};
    struct mcf_options sx = {MCF_ALG_SIMPLEX, 1};
    CHECK_INT_EQ(mcf_solve(m, &sx, &err), ZC_OK);
    int64_t want = mcf_objective(m);
    CHECK_INT_EQ(mcf_solve(m, &one, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), want);
    CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
    int64_t *f1 = calloc((size_t)mcf_arc_count(m), sizeof(*f1));
    int64_t *p1 = calloc((size_t)mcf_node_count(m), sizeof(*p1));
    for (int64_t a = 0; a < mcf_arc_count(m); a++)
        f1[a] = mcf_flow(m, a);
    for (int32_t v = 0; v < mcf_node_count(m); v++)
        p1[v] = mcf_potential(m, v);
    for (int rep = 0; rep < 3; rep++) {
        bool same = true;
        CHECK_INT_EQ(mcf_solve(m, &two, &err), ZC_OK);
        CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
        for (int64_t a = 0; a < mcf_arc_count(m); a++)
            same &= f1[a] == mcf_flow(m, a);
        for (int32_t v = 0; v < mcf_node_count(m); v++)
            same &= p1[v] == mcf_potential(m, v);
        CHECK(same);
    }
    struct mcf_stats st;
    mcf_stats_get(m, &st);
    CHECK(st.components >= blocks);
    free(f1);
    free(p1);
    mcf_free(m);
}

/* Brute force over all assignments of a tiny transportation instance with a
 * hub: every row picks a column or "unassigned". */
static void brute(const struct inst *in, int nr, int nc, int row, uint32_t used, int64_t acc,
                  int64_t *best)
{
    if (row == nr) {
        int64_t total = acc;
        for (int j = 0; j < nc; j++) {
            if (used & (1u << j))
                continue;
            int64_t c = INT64_MAX; /* cheapest unfilled arc of column j */
            for (int a = 0; a < in->m; a++)
                if (in->from[a] == nr + nc && in->to[a] == nr + j && in->cost[a] < c)
                    c = in->cost[a];
            if (c == INT64_MAX)
                return;
            total += c;
        }
        if (total < *best)
            *best = total;
        return;
    }
    for (int a = 0; a < in->m; a++) {
        if (in->from[a] != row)
            continue;
        if (in->to[a] == nr + nc) {
            brute(in, nr, nc, row + 1, used, acc + in->cost[a], best);
        } else {
            int j = in->to[a] - nr;
            if (!(used & (1u << j)))
                brute(in, nr, nc, row + 1, used | (1u << j), acc + in->cost[a], best);
        }
    }
}

TEST(mcf_tiny_assign_vs_bruteforce)
{
    struct rng r = {777};
    for (int k = 0; k < 1500; k++) {
        struct inst in;
        struct zc_error err = {0};
        struct mcf_options opt = {MCF_ALG_AUTO, 1};
        int nr = (int)rng_range(&r, 1, 5), nc = (int)rng_range(&r, 1, 5), h = nr + nc;
        int64_t best = INT64_MAX;
        in.n = nr + nc + 1;
        in.m = 0;
        for (int v = 0; v < in.n; v++)
            in.sup[v] = v < nr ? 1 : v < h ? -1 : nc - nr;
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < nc; j++) {
                if (rng_range(&r, 0, 3) == 0)
                    continue;
                in.from[in.m] = i, in.to[in.m] = nr + j, in.lo[in.m] = 0, in.up[in.m] = 1;
                in.cost[in.m++] = rng_range(&r, -10, 50);
            }
            if (rng_range(&r, 0, 3) != 0) {
                in.from[in.m] = i, in.to[in.m] = h, in.lo[in.m] = 0, in.up[in.m] = 1;
                in.cost[in.m++] = rng_range(&r, 0, 30);
            }
        }
        for (int j = 0; j < nc; j++) {
            if (rng_range(&r, 0, 3) != 0) {
                in.from[in.m] = h, in.to[in.m] = nr + j, in.lo[in.m] = 0, in.up[in.m] = 1;
                in.cost[in.m++] = rng_range(&r, 0, 60);
            }
        }
        brute(&in, nr, nc, 0, 0, 0, &best);
        struct mcf *m = build(&in);
        int rc = mcf_solve(m, &opt, &err);
        if (best == INT64_MAX) {
            CHECK_MSG(rc == ZC_EINFEASIBLE, "instance %d: rc %d, brute force says infeasible", k,
                      rc);
        } else {
            CHECK_MSG(rc == ZC_OK, "instance %d: rc %d (%s)", k, rc, err.msg);
            CHECK_MSG(mcf_objective(m) == best, "instance %d: cost %lld != brute %lld", k,
                      (long long)mcf_objective(m), (long long)best);
        }
        mcf_free(m);
    }
}

/* Textbook instance (Ahuja, Magnanti & Orlin style, 4 nodes): 4 units from
 * node 0 to node 3 over arcs 0->1 (cap 4, cost 2), 0->2 (cap 2, cost 2),
 * 1->2 (cap 2, cost 1), 1->3 (cap 3, cost 3), 2->3 (cap 5, cost 1). Worked
 * by hand: the cheapest path 0-2-3 costs 3 (2 units, 0->2 full), then
 * 0-1-2-3 costs 4 (2 units, 1->2 full): total 6 + 8 = 14. */
TEST(mcf_textbook_by_hand)
{
    struct mcf *m = mcf_new(4, 5);
    struct zc_error err = {0};
    mcf_add_arc(m, 0, 1, 0, 4, 2);
    mcf_add_arc(m, 0, 2, 0, 2, 2);
    mcf_add_arc(m, 1, 2, 0, 2, 1);
    mcf_add_arc(m, 1, 3, 0, 3, 3);
    mcf_add_arc(m, 2, 3, 0, 5, 1);
    mcf_set_supply(m, 0, 4);
    mcf_set_supply(m, 3, -4);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), 14);
    CHECK_INT_EQ(mcf_flow(m, 0), 2);
    CHECK_INT_EQ(mcf_flow(m, 1), 2);
    CHECK_INT_EQ(mcf_flow(m, 2), 2);
    CHECK_INT_EQ(mcf_flow(m, 3), 0);
    CHECK_INT_EQ(mcf_flow(m, 4), 4);
    CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
    mcf_free(m);
}

TEST(mcf_lower_bounds)
{
    /* 0 -> 1 must carry at least 3 although 0 -> 2 -> 1 is cheaper. */
    struct mcf *m = mcf_new(3, 3);
    struct zc_error err = {0};
    mcf_add_arc(m, 0, 1, 3, 5, 10);
    mcf_add_arc(m, 0, 2, 0, 5, 1);
    mcf_add_arc(m, 2, 1, 0, 5, 1);
    mcf_set_supply(m, 0, 5);
    mcf_set_supply(m, 1, -5);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), 3 * 10 + 2 * 2);
    CHECK_INT_EQ(mcf_flow(m, 0), 3);
    CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
    /* A circulation forced by a lower bound on a cycle. */
    mcf_free(m);
    m = mcf_new(2, 2);
    mcf_add_arc(m, 0, 1, 2, 4, -3);
    mcf_add_arc(m, 1, 0, 0, 9, 1);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), 4 * -3 + 4 * 1);
    CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
    mcf_free(m);
}

TEST(mcf_infeasible)
{
    struct zc_error err = {0};
    struct mcf *m = mcf_new(3, 2);
    mcf_add_arc(m, 0, 1, 0, 2, 1);
    mcf_add_arc(m, 1, 2, 0, 1, 1);
    mcf_set_supply(m, 0, 2);
    mcf_set_supply(m, 2, -2);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_EINFEASIBLE);
    CHECK_CONTAINS(err.msg, "no feasible flow");
    mcf_set_supply(m, 2, -1);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_EINFEASIBLE);
    CHECK_CONTAINS(err.msg, "sum to 1");
    mcf_free(m);
    /* Lower bound that cannot be met. */
    m = mcf_new(2, 1);
    mcf_add_arc(m, 0, 1, 1, 1, 0);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_EINFEASIBLE);
    mcf_free(m);
}

TEST(mcf_build_errors)
{
    struct zc_error err = {0};
    struct mcf *m = mcf_new(3, 0);
    CHECK(mcf_new(-1, 0) == NULL);
    CHECK_INT_EQ(mcf_add_arc(m, 0, 1, 0, 1, 5), 0);
    CHECK_INT_EQ(mcf_add_arc(m, 0, 3, 0, 1, 5), -1);
    CHECK_INT_EQ(mcf_add_arc(m, 0, 1, 2, 1, 5), -1);
    CHECK_INT_EQ(mcf_add_arc(m, 0, 1, 0, 1, MCF_COST_MAX + 1), -1);
    CHECK(!mcf_set_supply(m, 7, 1));
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "arc 1: node 3 out of range 0..2");
    mcf_free(m);
    /* Wide values (beyond int32) are stored and solved exactly. */
    m = mcf_new(2, 1);
    mcf_add_arc(m, 0, 1, 0, (int64_t)1 << 40, (int64_t)1 << 35);
    mcf_set_supply(m, 0, (int64_t)1 << 20);
    mcf_set_supply(m, 1, -((int64_t)1 << 20));
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), (int64_t)1 << 55);
    CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
    /* An objective beyond int64 is refused, not wrapped. */
    mcf_set_supply(m, 0, (int64_t)1 << 33);
    mcf_set_supply(m, 1, -((int64_t)1 << 33));
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_ETOOBIG);
    mcf_free(m);
}

/* Warm start (mcf_warm_start): solve the instance with about a third of
 * its row -> column arcs left out, then the whole instance from that
 * solution's potentials and placements, as the dispatch model's pricing
 * does. The warm answer must be the oracle's and certified, on one and two
 * threads, including instances where the restricted one is infeasible
 * (a must-fill column without its arcs: nothing to start from). */
TEST(mcf_warm_start_vs_oracle)
{
    struct rng r = {9091};
    struct inst in;
    char why[600];
    int warm = 0, n = zt_rounds(3000);
    for (int k = 0; k < n; k++) {
        struct zc_error err = {0};
        struct mcf_options o = {MCF_ALG_ASSIGN, 1 + k % 2};
        struct mcf *part, *full;
        int64_t want, pot[OR_MAXN], via[OR_MAXN];
        int32_t map[OR_MAXM];
        bool feasible;
        gen_transport(&r, &in, k < n * 2 / 3 ? 6 : 12);
        feasible = oracle(&in, &want);
        part = mcf_new(in.n, in.m);
        for (int a = 0; a < in.m; a++) {
            bool row_col = in.sup[in.from[a]] == 1 && in.sup[in.to[a]] < 0;
            map[a] = -1;
            if (row_col && rng_range(&r, 0, 2) == 0)
                continue;
            map[a] =
                (int32_t)mcf_add_arc(part, in.from[a], in.to[a], in.lo[a], in.up[a], in.cost[a]);
        }
        for (int v = 0; v < in.n; v++)
            mcf_set_supply(part, v, in.sup[v]);
        full = build(&in);
        for (int v = 0; v < in.n; v++)
            via[v] = -1;
        if (mcf_solve(part, &o, &err) == ZC_OK) {
            for (int v = 0; v < in.n; v++)
                pot[v] = mcf_potential(part, v);
            for (int a = 0; a < in.m; a++)
                if (map[a] >= 0 && mcf_flow(part, map[a]) > 0 && in.sup[in.from[a]] == 1)
                    via[in.from[a]] = a;
            mcf_warm_start(full, pot, via);
            warm++;
        }
        if (!feasible) {
            CHECK_MSG(mcf_solve(full, &o, &err) == ZC_EINFEASIBLE, "instance %d: feasible?", k);
        } else {
            int rc = mcf_solve(full, &o, &err);
            snprintf(why, sizeof(why), "%s", err.msg);
            CHECK_MSG(rc == ZC_OK, "instance %d: %s", k, why);
            if (rc == ZC_OK) {
                CHECK_MSG(mcf_objective(full) == want, "instance %d: warm %lld, oracle %lld", k,
                          (long long)mcf_objective(full), (long long)want);
                CHECK_MSG(mcf_verify(full, &err) == ZC_OK, "instance %d: %s", k, err.msg);
            }
        }
        mcf_free(part);
        mcf_free(full);
    }
    CHECK(warm * 2 > n);
}

/* A larger random transportation instance, of the dispatch kind. */
static struct mcf *big_assign(uint64_t seed, int nr, int nc, int deg)
{
    struct rng r = {seed};
    struct mcf *m = mcf_new(nr + nc + 1, (int64_t)nr * (deg + 1) + nc);
    int h = nr + nc;
    for (int i = 0; i < nr; i++) {
        for (int k = 0; k < deg; k++)
            mcf_add_arc(m, i, nr + (int)rng_range(&r, 0, nc - 1), 0, 1, rng_range(&r, 0, 1000));
        mcf_add_arc(m, i, h, 0, 1, 0);
        mcf_set_supply(m, i, 1);
    }
    for (int j = 0; j < nc; j++) {
        mcf_add_arc(m, h, nr + j, 0, 1, 5000 + 1000 * rng_range(&r, 0, 3));
        mcf_set_supply(m, nr + j, -1);
    }
    mcf_set_supply(m, h, nc - nr);
    return m;
}

TEST(mcf_certificate_large)
{
    struct zc_error err = {0};
    for (int k = 0, n = zt_rounds(3); k < n; k++) {
        struct mcf *m = big_assign(100 + (uint64_t)k, 3000 + 500 * k, 3000, 12);
        struct mcf_options simplex = {MCF_ALG_SIMPLEX, 1}, assign = {MCF_ALG_ASSIGN, 2};
        int64_t c1, c2;
        CHECK_INT_EQ(mcf_solve(m, &simplex, &err), ZC_OK);
        CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
        c1 = mcf_objective(m);
        CHECK_INT_EQ(mcf_solve(m, &assign, &err), ZC_OK);
        CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
        c2 = mcf_objective(m);
        CHECK_INT_EQ(c1, c2);
        mcf_free(m);
    }
    /* A general network of some size, by the simplex alone. */
    struct rng r = {4242};
    struct mcf *g = mcf_new(2000, 22000);
    for (int v = 0; v < 2000; v++) /* a ring, so that a feasible flow exists */
        mcf_add_arc(g, v, (v + 1) % 2000, 0, 1000, 300);
    for (int a = 0; a < 20000; a++)
        mcf_add_arc(g, (int32_t)rng_range(&r, 0, 1999), (int32_t)rng_range(&r, 0, 1999),
                    rng_range(&r, 0, 9) == 0 ? 1 : 0, rng_range(&r, 1, 20),
                    rng_range(&r, -50, 100));
    for (int v = 0; v < 1000; v++) {
        int64_t s = rng_range(&r, 0, 5);
        mcf_set_supply(g, v, s + mcf_supply(g, v));
        mcf_set_supply(g, 1999 - v, mcf_supply(g, 1999 - v) - s);
    }
    CHECK_INT_EQ(mcf_solve(g, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_verify(g, &err), ZC_OK);
    mcf_free(g);
}

/* The fast path's storage choices: a column of demand 300 (so flows wider
 * than the byte an arc it uses otherwise), arcs added in shuffled order
 * (each thread fills the CSR from half of them), and a row with a parallel
 * twin in each half, whose flow must go on the first. Same flows on one
 * and two threads, the simplex's cost, certified. */
TEST(mcf_transport_storage)
{
    struct zc_error err = {0};
    struct rng r = {2026};
    int nr = 1200, nc = 400, h = nr + nc;
    int64_t order[1200 * 6 + 400 + 1200 + 2], na = 0;
    struct mcf *m[2];
    for (int t = 0; t < 2; t++) {
        m[t] = mcf_new(nr + nc + 1, (int64_t)nr * 8);
        CHECK(m[t] != NULL);
    }

    /* The arcs, shuffled once and added to both networks in that order. */
    struct arc {
        int32_t from, to;
        int64_t cap, cost;
    } arcs[1200 * 6 + 400 + 1200 + 2];

    for (int i = 0; i < nr; i++) {
        for (int k = 0; k < 6; k++)
            arcs[na++] =
                (struct arc){i, nr + (int32_t)rng_range(&r, 0, nc - 1), 1, rng_range(&r, 0, 500)};
        arcs[na++] = (struct arc){i, h, 1, 700};
    }
    for (int j = 0; j < nc; j++)
        arcs[na++] = (struct arc){h, nr + j, j == 0 ? 300 : 3, 2000};
    for (int64_t k = na - 1; k > 0; k--) {
        int64_t x = rng_range(&r, 0, k);
        struct arc tmp = arcs[k];
        arcs[k] = arcs[x];
        arcs[x] = tmp;
    }
    /* Row 0's cheapest arc twice, first near the start and last at the end. */
    arcs[0] = (struct arc){0, nr + 1, 1, -400};
    arcs[na++] = (struct arc){0, nr + 1, 1, -400};
    for (int t = 0; t < 2; t++) {
        for (int64_t k = 0; k < na; k++)
            order[k] = mcf_add_arc(m[t], arcs[k].from, arcs[k].to, 0, arcs[k].cap, arcs[k].cost);
        int64_t dsum = 0;
        for (int i = 0; i < nr; i++)
            mcf_set_supply(m[t], i, 1);
        for (int j = 0; j < nc; j++) {
            int d = j == 0 ? 300 : 3;
            mcf_set_supply(m[t], nr + j, -d);
            dsum += d;
        }
        mcf_set_supply(m[t], h, dsum - nr);
    }
    struct mcf_options one = {MCF_ALG_AUTO, 1}, two = {MCF_ALG_AUTO, 2};
    struct mcf_options sx = {MCF_ALG_SIMPLEX, 1};
    CHECK_INT_EQ(mcf_solve(m[0], &sx, &err), ZC_OK);
    int64_t want = mcf_objective(m[0]);
    CHECK_INT_EQ(mcf_solve(m[0], &one, &err), ZC_OK);
    CHECK_INT_EQ(mcf_solve(m[1], &two, &err), ZC_OK);
    struct mcf_stats st;
    mcf_stats_get(m[1], &st);
    CHECK_INT_EQ(st.used, MCF_ALG_ASSIGN);
    for (int t = 0; t < 2; t++) {
        CHECK_INT_EQ(mcf_verify(m[t], &err), ZC_OK);
        CHECK_INT_EQ(mcf_objective(m[t]), want);
    }
    int64_t wide = 0;
    for (int64_t k = 0; k < na; k++) {
        CHECK_INT_EQ(mcf_flow(m[0], order[k]), mcf_flow(m[1], order[k]));
        if (mcf_flow(m[1], order[k]) > 255)
            wide++;
    }
    CHECK_INT_EQ(wide, 1); /* column 0's unfilled units, 300 less the few it gets */
    CHECK_INT_EQ(mcf_flow(m[1], order[na - 1]), 0); /* the twin at the end */
    CHECK_INT_EQ(mcf_flow(m[1], order[0]), 1);
    mcf_free(m[0]);
    mcf_free(m[1]);
}

/* Wide cost ranges: labels of the searches and updates run far past the
 * bucket queue's window of 4,096 (the far bucket and window moves), with
 * surplus rows, then surplus columns, and must-fill columns (one of the four
 * instances cannot fill them all: both algorithms must say infeasible). The
 * fast path's cost equals the simplex's, certified. */
TEST(mcf_transport_wide_costs)
{
    struct zc_error err = {0};
    for (int k = 0; k < 4; k++) {
        struct rng r = {777 + (uint64_t)k};
        int nr = k % 2 ? 1500 : 2500, nc = k % 2 ? 2500 : 1500, h = nr + nc;
        int64_t scale = k < 2 ? 100000 : 50000000;
        struct mcf *m = mcf_new(nr + nc + 1, (int64_t)nr * 10);
        int64_t dsum = 0;
        for (int i = 0; i < nr; i++) {
            for (int d = 0; d < 8; d++)
                mcf_add_arc(m, i, nr + (int32_t)rng_range(&r, 0, nc - 1), 0, 1,
                            rng_range(&r, -scale, scale));
            mcf_add_arc(m, i, h, 0, 1, rng_range(&r, 0, 2 * scale));
            mcf_set_supply(m, i, 1);
        }
        for (int j = 0; j < nc; j++) {
            if (j % 50 != 0) /* every 50th column must be filled */
                mcf_add_arc(m, h, nr + j, 0, 1, rng_range(&r, 0, 3 * scale));
            mcf_set_supply(m, nr + j, -1);
            dsum++;
        }
        mcf_set_supply(m, h, dsum - nr);
        struct mcf_options sx = {MCF_ALG_SIMPLEX, 1}, fast = {MCF_ALG_AUTO, 2};
        int rc_s = mcf_solve(m, &sx, &err);
        int64_t want = rc_s == ZC_OK ? mcf_objective(m) : 0;
        int rc_f = mcf_solve(m, &fast, &err);
        CHECK_INT_EQ(rc_f, rc_s);
        if (rc_f == ZC_OK) {
            struct mcf_stats st;
            mcf_stats_get(m, &st);
            CHECK_INT_EQ(st.used, MCF_ALG_ASSIGN);
            CHECK_INT_EQ(mcf_verify(m, &err), ZC_OK);
            CHECK_INT_EQ(mcf_objective(m), want);
        }
        mcf_free(m);
    }
}

TEST(mcf_determinism)
{
    struct zc_error err = {0};
    struct mcf *a = big_assign(9, 2000, 1800, 10), *b = big_assign(9, 2000, 1800, 10);
    struct mcf_options one = {MCF_ALG_AUTO, 1}, two = {MCF_ALG_AUTO, 2};
    struct mcf_options sx = {MCF_ALG_SIMPLEX, 1};
    int64_t *fa;
    CHECK_INT_EQ(mcf_solve(a, &one, &err), ZC_OK);
    CHECK_INT_EQ(mcf_solve(b, &two, &err), ZC_OK);
    for (int64_t k = 0; k < mcf_arc_count(a); k++)
        CHECK_INT_EQ(mcf_flow(a, k), mcf_flow(b, k));
    for (int32_t v = 0; v < mcf_node_count(a); v++)
        CHECK_INT_EQ(mcf_potential(a, v), mcf_potential(b, v));
    fa = calloc((size_t)mcf_arc_count(a), sizeof(*fa));
    CHECK_INT_EQ(mcf_solve(a, &sx, &err), ZC_OK);
    for (int64_t k = 0; k < mcf_arc_count(a); k++)
        fa[k] = mcf_flow(a, k);
    CHECK_INT_EQ(mcf_solve(a, &sx, &err), ZC_OK);
    for (int64_t k = 0; k < mcf_arc_count(a); k++) {
        if (fa[k] != mcf_flow(a, k)) {
            free(fa);
            CHECK_MSG(false, "simplex flows differ on arc %lld", (long long)k);
        }
    }
    free(fa);
    mcf_free(a);
    mcf_free(b);
}

/* Re-solving after arcs are appended (mcf_reuse): a network that keeps the
 * assignment path's state gets the held-back row -> column arcs of a random
 * transportation instance in two or three batches, and is solved after
 * each. Every answer must equal, flow for flow and potential for potential,
 * a network built from scratch with the same arcs in the same order and
 * warm-started at the previous solution (mcf_warm_start), and its cost the
 * oracle's. Both the reused path and the fallback (an arc joining two
 * components) must occur. */
TEST(mcf_reuse_append_vs_scratch)
{
    struct rng r = {4242};
    struct inst in, sub;
    int reused = 0, fallback = 0, n = zt_rounds(1200);
    for (int k = 0; k < n; k++) {
        struct mcf_options o = {MCF_ALG_ASSIGN, 1 + k % 2};
        struct zc_error err = {0};
        struct mcf *inc;
        int order[OR_MAXM], held[OR_MAXM], nheld = 0, nord = 0, batches;
        bool ok;
        gen_transport(&r, &in, k < n / 2 ? 6 : 12);
        for (int a = 0; a < in.m; a++) {
            bool row_col = in.sup[in.from[a]] == 1 && in.sup[in.to[a]] < 0;
            if (row_col && rng_range(&r, 0, 1) == 0)
                held[nheld++] = a;
            else
                order[nord++] = a;
        }
        inc = mcf_new(in.n, in.m);
        mcf_reuse(inc, true);
        for (int q = 0; q < nord; q++)
            mcf_add_arc(inc, in.from[order[q]], in.to[order[q]], in.lo[order[q]], in.up[order[q]],
                        in.cost[order[q]]);
        for (int v = 0; v < in.n; v++)
            mcf_set_supply(inc, v, in.sup[v]);
        ok = mcf_solve(inc, &o, &err) == ZC_OK;
        batches = (int)rng_range(&r, 2, 3);
        for (int b = 0; b < batches; b++) {
            int64_t pot[OR_MAXN], via[OR_MAXN], want;
            struct mcf *full;
            struct mcf_stats st;
            int rc_inc, rc_full, upto = nheld * (b + 1) / batches;
            bool feasible;
            for (int v = 0; v < in.n; v++) {
                pot[v] = mcf_potential(inc, v);
                via[v] = -1;
            }
            for (int q = 0; q < nord && ok; q++)
                if (in.sup[in.from[order[q]]] == 1 && mcf_flow(inc, q) > 0)
                    via[in.from[order[q]]] = q;
            while (nord < in.m && nord - (in.m - nheld) < upto) {
                int a = held[nord - (in.m - nheld)];
                order[nord++] = a;
                mcf_add_arc(inc, in.from[a], in.to[a], in.lo[a], in.up[a], in.cost[a]);
            }
            full = mcf_new(in.n, nord);
            sub = in;
            sub.m = nord;
            for (int q = 0; q < nord; q++) {
                int a = order[q];
                mcf_add_arc(full, in.from[a], in.to[a], in.lo[a], in.up[a], in.cost[a]);
                sub.from[q] = in.from[a], sub.to[q] = in.to[a], sub.lo[q] = in.lo[a];
                sub.up[q] = in.up[a], sub.cost[q] = in.cost[a];
            }
            for (int v = 0; v < in.n; v++)
                mcf_set_supply(full, v, in.sup[v]);
            if (ok)
                mcf_warm_start(full, pot, via);
            feasible = oracle(&sub, &want);
            rc_inc = mcf_solve(inc, &o, &err);
            rc_full = mcf_solve(full, &o, &err);
            mcf_stats_get(inc, &st);
            if (ok && st.reused)
                reused++;
            else if (ok)
                fallback++;
            CHECK_MSG(rc_inc == rc_full, "instance %d batch %d: rc %d, from scratch %d", k, b,
                      rc_inc, rc_full);
            CHECK_MSG((rc_inc == ZC_OK) == feasible, "instance %d batch %d: rc %d, oracle %s", k, b,
                      rc_inc, feasible ? "feasible" : "infeasible");
            if (rc_inc == ZC_OK) {
                CHECK_MSG(mcf_objective(inc) == want, "instance %d batch %d: %lld, oracle %lld", k,
                          b, (long long)mcf_objective(inc), (long long)want);
                CHECK_MSG(mcf_verify(inc, &err) == ZC_OK, "instance %d batch %d: %s", k, b,
                          err.msg);
                for (int q = 0; q < nord; q++)
                    CHECK_MSG(mcf_flow(inc, q) == mcf_flow(full, q),
                              "instance %d batch %d arc %d: flow %lld, from scratch %lld", k, b, q,
                              (long long)mcf_flow(inc, q), (long long)mcf_flow(full, q));
                for (int v = 0; v < in.n; v++)
                    CHECK_MSG(mcf_potential(inc, v) == mcf_potential(full, v),
                              "instance %d batch %d node %d: potential %lld, from scratch %lld", k,
                              b, v, (long long)mcf_potential(inc, v),
                              (long long)mcf_potential(full, v));
            }
            ok = rc_inc == ZC_OK;
            mcf_free(full);
        }
        mcf_free(inc);
    }
    CHECK_MSG(reused * 4 > n && fallback * 20 > n, "reused %d, fell back %d of %d", reused,
              fallback, n);
}
