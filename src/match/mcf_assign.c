/* SPDX-License-Identifier: MIT */
/* mcf_assign.c - the fast path for the transportation shape of the dispatch
 * model: rows (cadres, supply 1) -> columns (slots, demand 1), plus at most
 * one hub node with "unassigned" arcs row -> hub and "unfilled" arcs
 * hub -> column. The hub's balance is implied by all the others (supplies sum
 * to 0), so the problem is an assignment in which every row takes a column or
 * its private "unassigned" option (cost u_i), and every column left free pays
 * its "unfilled" cost v_j. With c'_ij = c_ij - v_j the columns become
 * optional at no cost, and the rectangular assignment is solved exactly by:
 *
 *  1. a warm start by augmenting row reduction (Jonker-Volgenant's auction
 *     step with epsilon 0): a free row takes its best column and raises that
 *     column's price to its second-best value, evicting the owner;
 *  2. shortest augmenting paths (Dijkstra on reduced costs, a binary heap)
 *     from each row left free, ending at a free column or at the
 *     "unassigned" option of a row on the way.
 *
 * Invariants (checked by mcf_verify through the potentials we hand back):
 * every settled row's arcs have reduced cost c'_ij + gamma_j - alpha_i >= 0
 * and alpha_i <= u_i, matched arcs are tight, a free column's price gamma_j
 * is 0, prices only rise. We store w_j = gamma_j - v_j so that the inner
 * loop reads one value per column. Rows or columns without a hub arc get the
 * exact penalty BIG, larger than any alternating path can save; a BIG option
 * used at the end means infeasible.
 *
 * Components of the row/column graph are independent (the hub is gone), so
 * they are solved separately, on up to `threads` threads, each in its own
 * slice of the shared arrays: no allocation after the set-up, and the result
 * does not depend on the schedule. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "match/mcf_int.h"

enum { K_NONE = 0, K_ROW, K_COL, K_HUB };

#define POS_UNASSIGNED (-1) /* mpos: the row took its "unassigned" option */
#define POS_FREE       (-2) /* mpos: not yet placed */

struct asg {
    int32_t nr;          /* rows */
    int32_t nc;          /* columns */
    int32_t ncomp;       /* components */
    int32_t *row_node;   /* row -> network node */
    int32_t *col_node;   /* column -> network node */
    int64_t *row_start;  /* CSR: row -> first arc position, nr + 1 entries */
    int32_t *adj_col;    /* position -> column */
    int32_t *adj_cost;   /* position -> c_ij */
    int64_t *adj_arc;    /* position -> network arc */
    int64_t *u;          /* row -> unassigned cost (BIG if none) */
    int64_t *u_arc;      /* row -> its cheapest row -> hub arc, or -1 */
    int64_t *v;          /* column -> unfilled cost (BIG if none) */
    int64_t *v_arc;      /* column -> its cheapest hub -> column arc, or -1 */
    int64_t *w;          /* column -> gamma_j - v_j */
    int64_t *mpos;       /* row -> position of its matched arc, or POS_* */
    int32_t *owner;      /* column -> row, or -1 */
    int64_t *d;          /* column -> tentative distance in a search */
    int32_t *pred_row;   /* column -> row that reached it */
    int64_t *pred_pos;   /* column -> arc position that reached it */
    int8_t *mark;        /* column -> 0 unseen, 1 in heap, 2 settled */
    int32_t *hpos;       /* column -> index in its component's heap slice */
    int32_t *heap;       /* heap slices, one per component (by column range) */
    int32_t *touched;    /* touched-column slices, one per component */
    int32_t *queue;      /* free-row ring slices, one per component (by row range) */
    int32_t *comp_row;   /* component -> first row, ncomp + 1 entries */
    int32_t *comp_col;   /* component -> first column, ncomp + 1 entries */
    int32_t *order;      /* components, largest first, for the workers */
    int64_t *comp_iters; /* component -> shortest-path searches */
    int64_t *comp_warm;  /* component -> warm-start steps */
    atomic_int next;     /* next index into order for a worker */
};

/* ---- heap on d[], one slice per component ---- */

static void heap_up(struct asg *s, int32_t *h, int32_t i)
{
    int32_t x = h[i];
    int64_t dx = s->d[x];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (s->d[h[p]] <= dx)
            break;
        h[i] = h[p];
        s->hpos[h[i]] = i;
        i = p;
    }
    h[i] = x;
    s->hpos[x] = i;
}

static int32_t heap_pop(struct asg *s, int32_t *h, int32_t *len)
{
    int32_t top = h[0], n = --*len, i = 0;
    if (n == 0)
        return top;
    int32_t x = h[n];
    int64_t dx = s->d[x];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && s->d[h[c + 1]] < s->d[h[c]])
            c++;
        if (s->d[h[c]] >= dx)
            break;
        h[i] = h[c];
        s->hpos[h[i]] = i;
        i = c;
    }
    h[i] = x;
    s->hpos[x] = i;
    return top;
}

/* ---- warm start ---- */

/* Augmenting row reduction on the free rows of one component; leaves the
 * rows still free in the ring queue[*first ..] (*nfree of them, wrapping). */
static int64_t warm_start(struct asg *s, int32_t r0, int32_t r1, int32_t *queue, int32_t *first,
                          int32_t *nfree)
{
    int32_t cap = r1 - r0, head = 0, len = 0;
    int64_t steps = 0, limit = 3 * (int64_t)cap + 16;

    for (int32_t i = r0; i < r1; i++)
        queue[len++] = i;
    while (len > 0 && steps < limit) {
        int32_t i = queue[head];
        int64_t b1 = s->u[i], b2 = INT64_MAX, p1 = POS_UNASSIGNED, p2 = POS_UNASSIGNED;
        head = head + 1 == cap ? 0 : head + 1;
        len--;
        steps++;
        /* Best and second best value c'_ij + gamma_j = c_ij + w_j; the
         * "unassigned" option competes with value u_i. */
        for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
            int64_t val = s->adj_cost[p] + s->w[s->adj_col[p]];
            if (val < b1) {
                b2 = b1;
                p2 = p1;
                b1 = val;
                p1 = p;
            } else if (val < b2) {
                b2 = val;
                p2 = p;
            }
        }
        if (p1 == POS_UNASSIGNED) {
            s->mpos[i] = POS_UNASSIGNED;
            continue;
        }
        int32_t j = s->adj_col[p1];
        if (b1 < b2) {
            s->w[j] += b2 - b1; /* b2 is finite: u_i always is */
        } else if (s->owner[j] >= 0) {
            /* A tie: take the other choice rather than evict for nothing. */
            if (p2 == POS_UNASSIGNED) {
                s->mpos[i] = POS_UNASSIGNED;
                continue;
            }
            p1 = p2;
            j = s->adj_col[p1];
        }
        int32_t prev = s->owner[j];
        s->owner[j] = i;
        s->mpos[i] = p1;
        if (prev >= 0) {
            s->mpos[prev] = POS_FREE;
            /* JV: an eviction after a real price rise is retried first. */
            if (b1 < b2) {
                head = head == 0 ? cap - 1 : head - 1;
                queue[head] = prev;
            } else {
                queue[(head + len) % cap] = prev;
            }
            len++;
        }
    }
    *first = head;
    *nfree = len;
    return steps;
}

/* ---- shortest augmenting path from one free row ---- */

static void augment(struct asg *s, int32_t *heap, int32_t *touched, int32_t i0)
{
    int64_t alpha0 = s->u[i0], best, alpha;
    int32_t hlen = 0, nt = 0, end_col = -1, end_row = i0;

    for (int64_t p = s->row_start[i0]; p < s->row_start[i0 + 1]; p++) {
        int64_t val = s->adj_cost[p] + s->w[s->adj_col[p]];
        if (val < alpha0)
            alpha0 = val;
    }
    best = s->u[i0] - alpha0;
    for (int64_t p = s->row_start[i0]; p < s->row_start[i0 + 1]; p++) {
        int32_t k = s->adj_col[p];
        int64_t nd = s->adj_cost[p] + s->w[k] - alpha0;
        if (nd >= best)
            continue;
        if (s->mark[k] == 0) {
            s->mark[k] = 1;
            s->d[k] = nd;
            touched[nt++] = k;
            heap[hlen] = k;
            heap_up(s, heap, hlen++);
        } else if (nd < s->d[k]) {
            s->d[k] = nd;
            heap_up(s, heap, s->hpos[k]);
        } else {
            continue;
        }
        s->pred_row[k] = i0;
        s->pred_pos[k] = p;
    }
    while (hlen > 0) {
        int32_t j = heap[0];
        int64_t dj = s->d[j];
        if (dj >= best)
            break;
        heap_pop(s, heap, &hlen);
        s->mark[j] = 2;
        if (s->owner[j] < 0) {
            best = dj;
            end_col = j;
            break;
        }
        int32_t i = s->owner[j];
        alpha = s->adj_cost[s->mpos[i]] + s->w[j];
        if (dj + s->u[i] - alpha < best) {
            best = dj + s->u[i] - alpha;
            end_row = i;
            end_col = -1;
        }
        for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
            int32_t k = s->adj_col[p];
            if (s->mark[k] == 2)
                continue;
            int64_t nd = dj + s->adj_cost[p] + s->w[k] - alpha;
            if (nd >= best)
                continue;
            if (s->mark[k] == 0) {
                s->mark[k] = 1;
                s->d[k] = nd;
                touched[nt++] = k;
                heap[hlen] = k;
                heap_up(s, heap, hlen++);
            } else if (nd < s->d[k]) {
                s->d[k] = nd;
                heap_up(s, heap, s->hpos[k]);
            } else {
                continue;
            }
            s->pred_row[k] = i;
            s->pred_pos[k] = p;
        }
    }
    /* Prices: settled columns rise by best - d (free ones stay at 0). */
    for (int32_t t = 0; t < nt; t++) {
        int32_t k = touched[t];
        if (s->mark[k] == 2 && s->d[k] < best)
            s->w[k] += best - s->d[k];
        s->mark[k] = 0;
    }
    /* Flip the path. */
    int32_t j = end_col;
    if (j < 0) {
        if (end_row == i0) {
            s->mpos[i0] = POS_UNASSIGNED;
            return;
        }
        j = s->adj_col[s->mpos[end_row]];
        s->mpos[end_row] = POS_UNASSIGNED;
    }
    for (;;) {
        int32_t r = s->pred_row[j];
        int64_t old = s->mpos[r];
        s->mpos[r] = s->pred_pos[j];
        s->owner[j] = r;
        if (r == i0)
            break;
        j = s->adj_col[old];
    }
}

static void solve_component(struct asg *s, int32_t c)
{
    int32_t r0 = s->comp_row[c], r1 = s->comp_row[c + 1];
    int32_t c0 = s->comp_col[c];
    int32_t *queue = s->queue + r0, nfree = 0, first = 0;

    if (r1 == r0)
        return;
    s->comp_warm[c] = warm_start(s, r0, r1, queue, &first, &nfree);
    for (int32_t k = 0; k < nfree; k++) {
        int32_t i = queue[(first + k) % (r1 - r0)];
        if (s->mpos[i] == POS_FREE)
            augment(s, s->heap + c0, s->touched + c0, i);
    }
    s->comp_iters[c] = nfree;
}

static void *worker(void *arg)
{
    struct asg *s = arg;
    for (;;) {
        int k = atomic_fetch_add(&s->next, 1);
        if (k >= s->ncomp)
            break;
        solve_component(s, s->order[k]);
    }
    return NULL;
}

static int32_t uf_find(int32_t *up, int32_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

static const int32_t *cmp_sizes; /* for by_size_desc; set before each qsort */

static int by_size_desc(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    int32_t sx = cmp_sizes[x], sy = cmp_sizes[y];
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void asg_free(struct asg *s)
{
    free(s->row_node);
    free(s->col_node);
    free(s->row_start);
    free(s->adj_col);
    free(s->adj_cost);
    free(s->adj_arc);
    free(s->u);
    free(s->u_arc);
    free(s->v);
    free(s->v_arc);
    free(s->w);
    free(s->mpos);
    free(s->owner);
    free(s->d);
    free(s->pred_row);
    free(s->pred_pos);
    free(s->mark);
    free(s->hpos);
    free(s->heap);
    free(s->touched);
    free(s->queue);
    free(s->comp_row);
    free(s->comp_col);
    free(s->order);
    free(s->comp_iters);
    free(s->comp_warm);
}

/* Classify nodes; false if the network is not of the transportation shape.
 * kind[] and idx[] (row or column number in node order) are filled. */
static bool classify(const struct mcf *m, int8_t *kind, int32_t *idx, int32_t *hub, int32_t *nr,
                     int32_t *nc, int32_t *stranded)
{
    int32_t *indeg = zc_calloc((size_t)m->n + 1, sizeof(*indeg));
    int32_t *outdeg = zc_calloc((size_t)m->n + 1, sizeof(*outdeg));
    bool ok = true;

    *hub = -1;
    *stranded = -1;
    *nr = *nc = 0;
    for (int64_t a = 0; a < m->m; a++) {
        if (mcf_upper_(m, a) == 0)
            continue;
        if (mcf_lower_(m, a) != 0 || mcf_cost_(m, a) < INT32_MIN || mcf_cost_(m, a) > INT32_MAX ||
            m->tail[a] == m->head[a]) {
            ok = false;
            break;
        }
        outdeg[m->tail[a]]++;
        indeg[m->head[a]]++;
    }
    for (int32_t v = 0; v < m->n && ok; v++) {
        int64_t b = m->supply[v];
        if (b == 1 && indeg[v] == 0 && outdeg[v] > 0) {
            kind[v] = K_ROW;
            idx[v] = (*nr)++;
        } else if (b == -1 && outdeg[v] == 0 && indeg[v] > 0) {
            kind[v] = K_COL;
            idx[v] = (*nc)++;
        } else if (indeg[v] == 0 && outdeg[v] == 0) {
            kind[v] = K_NONE;
            if (b != 0 && *stranded < 0)
                *stranded = v; /* a supply with no arc: infeasible */
        } else if (*hub < 0) {
            kind[v] = K_HUB;
            *hub = v;
        } else {
            ok = false;
        }
    }
    for (int64_t a = 0; a < m->m && ok; a++) {
        if (mcf_upper_(m, a) == 0)
            continue;
        int k1 = kind[m->tail[a]], k2 = kind[m->head[a]];
        ok = (k1 == K_ROW && (k2 == K_COL || k2 == K_HUB)) || (k1 == K_HUB && k2 == K_COL);
    }
    free(indeg);
    free(outdeg);
    return ok;
}

/* Build the component-ordered CSR and the hub options. Returns false if
 * the numbers are too large for the penalty BIG. */
static bool setup(struct asg *s, const struct mcf *m, const int8_t *kind, const int32_t *idx)
{
    int32_t nr = s->nr, nc = s->nc, nn = nr + nc;
    int32_t *up = zc_reallocarray(NULL, (size_t)nn + 1, sizeof(*up));
    int32_t *comp = zc_reallocarray(NULL, (size_t)nn + 1, sizeof(*comp));
    int32_t *newidx = zc_reallocarray(NULL, (size_t)nn + 1, sizeof(*newidx));
    int64_t cmax = 0, big;
    bool hard = false;

    for (int32_t x = 0; x < nn; x++)
        up[x] = x;
    for (int64_t a = 0; a < m->m; a++) {
        if (mcf_upper_(m, a) == 0 || kind[m->head[a]] != K_COL || kind[m->tail[a]] != K_ROW)
            continue;
        int32_t x = uf_find(up, idx[m->tail[a]]), y = uf_find(up, nr + idx[m->head[a]]);
        if (x != y)
            up[x > y ? x : y] = x > y ? y : x; /* the smaller index is the root */
    }
    /* Components numbered by their smallest member; rows then columns
     * counted per component. */
    s->ncomp = 0;
    for (int32_t x = 0; x < nn; x++) {
        int32_t r = uf_find(up, x);
        comp[x] = r == x ? s->ncomp++ : comp[r];
    }
    s->comp_row = zc_calloc((size_t)s->ncomp + 1, sizeof(*s->comp_row));
    s->comp_col = zc_calloc((size_t)s->ncomp + 1, sizeof(*s->comp_col));
    for (int32_t x = 0; x < nn; x++) {
        if (x < nr)
            s->comp_row[comp[x] + 1]++;
        else
            s->comp_col[comp[x] + 1]++;
    }
    for (int32_t c = 0; c < s->ncomp; c++) {
        s->comp_row[c + 1] += s->comp_row[c];
        s->comp_col[c + 1] += s->comp_col[c];
    }
    {
        int32_t *fr = zc_reallocarray(NULL, (size_t)s->ncomp + 1, sizeof(*fr));
        int32_t *fc = zc_reallocarray(NULL, (size_t)s->ncomp + 1, sizeof(*fc));
        memcpy(fr, s->comp_row, (size_t)s->ncomp * sizeof(*fr));
        memcpy(fc, s->comp_col, (size_t)s->ncomp * sizeof(*fc));
        for (int32_t x = 0; x < nn; x++)
            newidx[x] = x < nr ? fr[comp[x]]++ : fc[comp[x]]++;
        free(fr);
        free(fc);
    }

    s->row_node = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->row_node));
    s->col_node = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->col_node));
    for (int32_t v = 0; v < m->n; v++) {
        if (kind[v] == K_ROW)
            s->row_node[newidx[idx[v]]] = v;
        else if (kind[v] == K_COL)
            s->col_node[newidx[nr + idx[v]]] = v;
    }

    s->row_start = zc_calloc((size_t)nr + 2, sizeof(*s->row_start));
    s->u = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->u));
    s->u_arc = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->u_arc));
    s->v = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->v));
    s->v_arc = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->v_arc));
    for (int32_t i = 0; i < nr; i++)
        s->u_arc[i] = -1;
    for (int32_t j = 0; j < nc; j++)
        s->v_arc[j] = -1;
    for (int64_t a = 0; a < m->m; a++) {
        if (mcf_upper_(m, a) == 0)
            continue;
        int32_t t = m->tail[a], h = m->head[a];
        int64_t c = mcf_cost_(m, a);
        cmax = c > cmax ? c : -c > cmax ? -c : cmax;
        if (kind[h] == K_COL && kind[t] == K_ROW) {
            s->row_start[newidx[idx[t]] + 1]++;
        } else if (kind[h] == K_HUB) {
            int32_t i = newidx[idx[t]];
            if (s->u_arc[i] < 0 || c < s->u[i])
                s->u[i] = c, s->u_arc[i] = a;
        } else {
            int32_t j = newidx[nr + idx[h]];
            if (s->v_arc[j] < 0 || c < s->v[j])
                s->v[j] = c, s->v_arc[j] = a;
        }
    }
    for (int32_t i = 0; i < nr; i++) {
        s->row_start[i + 1] += s->row_start[i];
        hard |= s->u_arc[i] < 0;
    }
    for (int32_t j = 0; j < nc; j++)
        hard |= s->v_arc[j] < 0;
    /* BIG exceeds what any alternating path can save (at most nn arcs of
     * |c'| <= 2 cmax each), so it is an exact penalty; prices stay below
     * about nn * 2 BIG. */
    big = ((int64_t)nn + 2) * (4 * cmax + 2);
    if (hard && (__int128)big * (nn + 2) * 4 > ((__int128)1 << 62)) {
        free(up);
        free(comp);
        free(newidx);
        return false;
    }
    for (int32_t i = 0; i < nr; i++)
        if (s->u_arc[i] < 0)
            s->u[i] = big;
    for (int32_t j = 0; j < nc; j++)
        if (s->v_arc[j] < 0)
            s->v[j] = big;

    int64_t npos = s->row_start[nr];
    int64_t *fill = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*fill));
    memcpy(fill, s->row_start, (size_t)nr * sizeof(*fill));
    s->adj_col = zc_reallocarray(NULL, (size_t)npos + 1, sizeof(*s->adj_col));
    s->adj_cost = zc_reallocarray(NULL, (size_t)npos + 1, sizeof(*s->adj_cost));
    s->adj_arc = zc_reallocarray(NULL, (size_t)npos + 1, sizeof(*s->adj_arc));
    for (int64_t a = 0; a < m->m; a++) {
        if (mcf_upper_(m, a) == 0 || kind[m->head[a]] != K_COL || kind[m->tail[a]] != K_ROW)
            continue;
        int64_t p = fill[newidx[idx[m->tail[a]]]]++;
        s->adj_col[p] = newidx[nr + idx[m->head[a]]];
        s->adj_cost[p] = (int32_t)mcf_cost_(m, a);
        s->adj_arc[p] = a;
    }
    free(fill);
    free(up);
    free(comp);
    free(newidx);
    return true;
}

int mcf_assign_solve(struct mcf *m, int threads, struct zc_error *err)
{
    struct asg s;
    int8_t *kind = zc_calloc((size_t)m->n + 1, sizeof(*kind));
    int32_t *idx = zc_calloc((size_t)m->n + 1, sizeof(*idx));
    int32_t hub, stranded;
    int rc = ZC_OK;

    memset(&s, 0, sizeof(s));
    if (!classify(m, kind, idx, &hub, &s.nr, &s.nc, &stranded)) {
        free(kind);
        free(idx);
        return zc_error_set(err, ZC_EINVAL, "the network is not of the transportation shape");
    }
    if (stranded >= 0) {
        free(kind);
        free(idx);
        return zc_error_set(err, ZC_EINFEASIBLE,
                            "no feasible flow: node %d has supply %lld and no arc", stranded,
                            (long long)m->supply[stranded]);
    }
    if (!setup(&s, m, kind, idx)) {
        free(kind);
        free(idx);
        asg_free(&s);
        return zc_error_set(err, ZC_EINVAL, "costs too large for the assignment path");
    }
    free(kind);
    free(idx);

    int32_t nr = s.nr, nc = s.nc;
    s.w = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.w));
    s.owner = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.owner));
    s.mpos = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s.mpos));
    s.d = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.d));
    s.pred_row = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.pred_row));
    s.pred_pos = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.pred_pos));
    s.mark = zc_calloc((size_t)nc + 1, sizeof(*s.mark));
    s.hpos = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.hpos));
    s.heap = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.heap));
    s.touched = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s.touched));
    s.queue = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s.queue));
    s.order = zc_reallocarray(NULL, (size_t)s.ncomp + 1, sizeof(*s.order));
    s.comp_iters = zc_calloc((size_t)s.ncomp + 1, sizeof(*s.comp_iters));
    s.comp_warm = zc_calloc((size_t)s.ncomp + 1, sizeof(*s.comp_warm));
    for (int32_t j = 0; j < nc; j++) {
        s.w[j] = -s.v[j];
        s.owner[j] = -1;
    }
    for (int32_t i = 0; i < nr; i++)
        s.mpos[i] = POS_FREE;

    {
        int32_t *sizes = zc_reallocarray(NULL, (size_t)s.ncomp + 1, sizeof(*sizes));
        for (int32_t c = 0; c < s.ncomp; c++) {
            s.order[c] = c;
            sizes[c] = (s.comp_row[c + 1] - s.comp_row[c]) + (s.comp_col[c + 1] - s.comp_col[c]);
        }
        cmp_sizes = sizes;
        qsort(s.order, (size_t)s.ncomp, sizeof(*s.order), by_size_desc);
        free(sizes);
    }
    atomic_init(&s.next, 0);
    if (threads > 1 && s.ncomp > 1) {
        pthread_t tid[16];
        int nt = threads > 16 ? 16 : threads, started = 0;
        for (int t = 1; t < nt; t++)
            if (pthread_create(&tid[started], NULL, worker, &s) == 0)
                started++;
        worker(&s);
        for (int t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
    } else {
        worker(&s);
    }

    for (int32_t c = 0; c < s.ncomp; c++) {
        m->stats.iterations += s.comp_iters[c];
        m->stats.warm_steps += s.comp_warm[c];
    }
    m->stats.components = s.ncomp;

    /* Flows and potentials for the network: pi(hub) = 0, pi(column) = -w_j
     * (= v_j - gamma_j), pi(row) = -alpha_i. */
    memset(m->flow, 0, (size_t)m->m * sizeof(*m->flow));
    memset(m->pot, 0, (size_t)m->n * sizeof(*m->pot));
    for (int32_t j = 0; j < nc && rc == ZC_OK; j++) {
        m->pot[s.col_node[j]] = -s.w[j];
        if (s.owner[j] >= 0)
            continue;
        if (s.v_arc[j] < 0)
            rc = zc_error_set(err, ZC_EINFEASIBLE, "no feasible flow: node %d receives nothing",
                              s.col_node[j]);
        else
            m->flow[s.v_arc[j]] = 1;
    }
    for (int32_t i = 0; i < nr && rc == ZC_OK; i++) {
        int64_t p = s.mpos[i];
        if (p >= 0) {
            m->flow[s.adj_arc[p]] = 1;
            m->pot[s.row_node[i]] = -(s.adj_cost[p] + s.w[s.adj_col[p]]);
        } else if (s.u_arc[i] < 0) {
            rc = zc_error_set(err, ZC_EINFEASIBLE, "no feasible flow: node %d cannot send",
                              s.row_node[i]);
        } else {
            m->flow[s.u_arc[i]] = 1;
            m->pot[s.row_node[i]] = -s.u[i];
        }
    }
    (void)hub;
    asg_free(&s);
    return rc;
}
