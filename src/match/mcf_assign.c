/* SPDX-License-Identifier: MIT */
/* mcf_assign.c - the fast path for the transportation shape (mcf.h): rows
 * (supply 1) -> columns (demand d_j >= 1), at most one hub H with
 * "unassigned" arcs row -> H (cost u_i) and "unfilled" arcs H -> column
 * (cost v_j, upper >= d_j); a column without one must be filled.
 *
 * The hub's balance is implied by the others, so the problem is: every row
 * takes one column or its private option u_i; column j takes at most d_j
 * rows, and a unit it does not take costs v_j. With c'_ij = c_ij - v_j the
 * free units cost nothing. Missing options get the exact penalty BIG (more
 * than any change of the other costs can save), and BIG used at the end
 * means infeasible. LP duals: alpha_i (row), gamma_j >= 0 (column price),
 * with alpha_i <= u_i, alpha_i <= c'_ij + gamma_j, equality where used, and
 * gamma_j = 0 where column j is not full. We store w_j = gamma_j - v_j so
 * the inner loops read c_ij + w_j; a matched row's alpha is implicit (its
 * arc is kept tight), an unassigned row's is u_i.
 *
 * Set-up: one scan of the arcs (the shape check, components by
 * union-find, each row's arcs, the cheapest options) and the fill of a
 * forward CSR in component order, each on two threads over halves of the
 * arcs, merged so that the result does not depend on it.
 *
 * Per independent component (rows and columns joined by arcs; the hub is
 * gone), on up to `threads` threads, each with its own queue and its own
 * buffer for the component's reverse CSR (struct work):
 *
 *  1. Warm start: a forward epsilon-scaling auction (Bertsekas) in integer
 *     prices, then a round of bids at increment 0 (Jonker-Volgenant's
 *     augmenting row reduction) so that placed rows sit exactly at their
 *     cheapest option. It only has to produce good prices; a round stops
 *     when 1% of the rows are left or its bid budget runs out, and the rows
 *     still bidding stay pending.
 *  2. Repair to an exactly complementary state in integer units: every
 *     row whose match is not (or no longer) its cheapest option becomes
 *     pending, unless lowering its column's price fixes it. Columns left
 *     not full with a price above 0 are listed.
 *  3. Reverse paths for each listed column: Dijkstra backwards over the
 *     column -> row arcs, ending when the column's price may drop to 0, at
 *     an unassigned or pending row, or at a column that may give up a row;
 *     settled prices fall by (D - d).
 *  4. Forward shortest augmenting paths (Dijkstra on reduced costs, all
 *     >= 0) from each pending row, ending at the first column that is not
 *     full or at a reached row's private option; settled prices rise by
 *     (D - d).
 *  5. Global price updates before 3 and 4, and again whenever their
 *     searches have grown wide: one Dijkstra from every end at once shifts
 *     each price by its distance to the nearest end, so every defect's
 *     shortest path is tight and the searches settle little.
 *
 * Searches and updates run over columns with Dial's bucket queue. Steps
 * 3-5 keep all reduced costs >= 0 and matched arcs tight, so the final
 * state is an exact optimum whatever the auction left; the potentials
 * handed back are the certificate mcf_verify checks. Results do not depend
 * on the thread schedule or the number of threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "match/mcf_int.h"

enum { K_NONE = 0, K_ROW, K_COL, K_HUB };

#define M_PENDING (-2) /* mcol: row not placed yet */

/* mark[] bits of a column: whether it has room (cnt < dem), kept with cnt
 * so that the searches read one byte. */
#define MK_ROOM  4
#define M_OPTION (-1) /* mcol: row took its private "unassigned" option */

#define AUCTION_DIV    6   /* epsilon falls by this factor per phase */
#define AUCTION_BIDS   6   /* bid budget per phase, per row of the component */
#define AUCTION_START  8   /* first epsilon = max|c| / AUCTION_START */
#define AUCTION_POLISH 3   /* bid budget of the increment-0 round, per row */
#define AUCTION_TAIL   100 /* a round stops when fewer than rows / this are free */

/* One arc of a row's (or a column's) list: 8 bytes, read together. */
struct mcf_adj {
    int32_t node; /* the column (row list) or the row (column list) */
    int32_t cost; /* c_ij */
};

struct asg {
    int32_t nr;          /* rows */
    int32_t nc;          /* columns */
    int32_t ncomp;       /* components */
    int32_t *row_node;   /* row -> network node */
    int32_t *col_node;   /* column -> network node */
    int64_t *row_start;  /* CSR: row -> first arc position, nr + 1 entries */
    struct mcf_adj *adj; /* position -> (column, c_ij) */
    int64_t half;        /* arcs below this are the first half (two threads), or m */
    int32_t *first;      /* row -> its CSR arcs in the first half, or NULL (one thread) */
    int32_t hub;         /* the hub node, or -1 */
    int64_t *u;          /* row -> unassigned cost (BIG if none) */
    int64_t *u_arc;      /* row -> its cheapest row -> hub arc, or -1 */
    int64_t *v;          /* column -> unfilled cost (BIG if none) */
    int64_t *v_arc;      /* column -> its cheapest hub -> column arc, or -1 */
    int32_t *dem;        /* column -> demand d_j */
    int32_t *cnt;        /* column -> rows holding it */
    int64_t *w;          /* column -> gamma_j - v_j */
    int32_t *mcol;       /* row -> column held, or M_OPTION / M_PENDING */
    int32_t *mcost;      /* row -> cost of the arc it holds */
    int32_t *hfirst;     /* column -> first holder, or -1 */
    int32_t *hnext;      /* row -> next holder of the same column, or -1 */
    int32_t *hprev;      /* row -> previous holder, or -1 */
    int64_t *d;          /* column -> label in a search or update (fill counts in
                            build_reverse) */
    int64_t *e;          /* column -> the key an arc is compared with in a search or
                            update (INT64_MAX: not reached, INT64_MIN: settled) */
    int32_t *pred_row;   /* column -> row that reached it (forward) */
    int32_t *pred_cost;  /* column -> cost of that arc */
    int8_t *mark;        /* column -> MK_ROOM when not full */
    int32_t *bnext;      /* column -> next in its queue bucket */
    int32_t *bprev;      /* column -> previous in its queue bucket */
    int32_t *touched;    /* touched-column slices, one per component */
    int32_t *queue;      /* row slices: auction ring, then pending rows */
    int32_t *rlist;      /* column slices: columns for reverse paths */
    int32_t *comp_row;   /* component -> first row, ncomp + 1 entries */
    int32_t *comp_col;   /* component -> first column, ncomp + 1 entries */
    int32_t *order;      /* components, largest first, for the workers */
    int64_t *comp_iters; /* component -> shortest-path searches */
    int64_t *comp_warm;  /* component -> auction bids (or rows placed warm) */
    int32_t *wcol;       /* warm start: row -> column it held, M_OPTION or M_PENDING; or NULL */
    int32_t *wcost;      /* warm start: row -> cost of that arc */
    int64_t cmax;        /* max |c| over all arcs used */
    int64_t amax;        /* max |c| over row -> column arcs */
    /* Reverse side: the positions of each component's reverse CSR (the
     * entries live in the worker's buffer, struct work). */
    int64_t *col_start;  /* reverse CSR: column -> first position, nc + 1 */
    int64_t rmax;        /* row -> column arcs of the largest component */
    int32_t *rpred_col;  /* row -> column it would take */
    int32_t *rpred_cost; /* row -> cost of that arc */
    int32_t *col_via;    /* column -> row through which a reverse search settled it */
    int32_t nrun;        /* components to solve: order[0 .. nrun) */
    /* Re-solving (mcf_reuse): rows that got an arc since the last solve,
     * and the components where only those can be off their cheapest
     * option (no price level shifts); NULL on the full path. */
    uint8_t *fresh;      /* row -> got an arc */
    uint8_t *comp_fresh; /* component -> only fresh rows need looking at */
    int64_t dsum;        /* sum of the demands */
    bool hard;           /* some row or column has no option (BIG is used) */
    int64_t big;         /* the penalty BIG */
    /* The workers' reverse CSR buffers (struct work), kept from solve to
     * solve with the state (a fresh one of the largest component's size
     * costs its page faults every time). */
    struct mcf_adj *radj[16];
    int64_t radj_cap[16];
    atomic_int wid;  /* next worker number */
    atomic_int next; /* next index into order for a worker */
};

/* ---- holders of a column (a doubly linked list through the rows) ---- */

static void hold(struct asg *s, int32_t i, int32_t j, int32_t cost)
{
    int32_t f = s->hfirst[j];
    s->mcol[i] = j;
    s->mcost[i] = cost;
    s->hprev[i] = -1;
    s->hnext[i] = f;
    if (f >= 0)
        s->hprev[f] = i;
    s->hfirst[j] = i;
    /* A reverse flip may hold one more than dem for a moment. */
    if (++s->cnt[j] >= s->dem[j])
        s->mark[j] &= (int8_t)~MK_ROOM;
}

static void unhold(struct asg *s, int32_t i)
{
    int32_t j = s->mcol[i], p = s->hprev[i], n = s->hnext[i];
    if (p >= 0)
        s->hnext[p] = n;
    else
        s->hfirst[j] = n;
    if (n >= 0)
        s->hprev[n] = p;
    if (--s->cnt[j] < s->dem[j])
        s->mark[j] |= MK_ROOM;
}

/* Row i's implicit dual alpha_i (tight on its arc, or its option). */
static int64_t row_alpha(const struct asg *s, int32_t i)
{
    int32_t j = s->mcol[i];
    return j >= 0 ? s->mcost[i] + s->w[j] : s->u[i];
}

/* Row i's cheapest option under the current prices: its arcs' c_ij + w_j
 * and its private option u_i. */
static int64_t row_best(const struct asg *s, int32_t i)
{
    int64_t best = s->u[i];
    for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
        int64_t val = s->adj[p].cost + s->w[s->adj[p].node];
        if (val < best)
            best = val;
    }
    return best;
}

/* Row i's dual for a reverse search: a pending row counts at its cheapest
 * option under the current prices, so that it can end a reverse path. */
static int64_t row_value(const struct asg *s, int32_t i)
{
    return s->mcol[i] == M_PENDING ? row_best(s, i) : row_alpha(s, i);
}

/* ---- the queue of the searches and updates ----
 *
 * Labels are integers and, after the auction, mostly small, so the queue
 * is Dial's: buckets for the labels base .. base + DIAL_WINDOW - 1 and one
 * "far" bucket for the rest, each a doubly linked list through the column
 * arrays bnext[] and bprev[]. When the window runs dry the far bucket's
 * least label becomes the new base and its columns are sorted in again
 * (rare: most searches end within the first window). */
#define DIAL_WINDOW 4096

struct dial {
    int32_t *head; /* DIAL_WINDOW + 1 list heads (the last one is far), -1 when empty */
    int32_t *next; /* column -> next in its bucket */
    int32_t *prev; /* column -> previous in its bucket, -1 at the head */
    int64_t base;  /* label of head[0] */
    int64_t cur;   /* no bucket below this one holds a column */
};

static int64_t dial_slot(const struct dial *q, int64_t key)
{
    return key - q->base < DIAL_WINDOW ? key - q->base : DIAL_WINDOW;
}

static void dial_put(struct dial *q, int32_t j, int64_t key)
{
    int64_t b = dial_slot(q, key);
    int32_t f = q->head[b];
    q->next[j] = f;
    q->prev[j] = -1;
    if (f >= 0)
        q->prev[f] = j;
    q->head[b] = j;
    if (b < q->cur)
        q->cur = b;
}

static void dial_del(struct dial *q, int32_t j, int64_t key)
{
    int32_t p = q->prev[j], n = q->next[j];
    if (p >= 0)
        q->next[p] = n;
    else
        q->head[dial_slot(q, key)] = n;
    if (n >= 0)
        q->prev[n] = p;
}

/* A column with the least label (left in the queue), or -1 if empty. */
static int32_t dial_min(struct dial *q, const int64_t *key)
{
    for (;;) {
        while (q->cur < DIAL_WINDOW && q->head[q->cur] < 0)
            q->cur++;
        if (q->cur < DIAL_WINDOW)
            return q->head[q->cur];
        int32_t far = q->head[DIAL_WINDOW];
        if (far < 0)
            return -1;
        /* Move the window to the far bucket's least label. */
        int64_t least = INT64_MAX;
        for (int32_t j = far; j >= 0; j = q->next[j])
            if (key[j] < least)
                least = key[j];
        q->head[DIAL_WINDOW] = -1;
        q->base = least;
        q->cur = 0;
        for (int32_t j = far, n; j >= 0; j = n) {
            n = q->next[j];
            dial_put(q, j, key[j]);
        }
    }
}

/* Empty the queue of the columns still in it (those of touched[] whose e
 * is not INT64_MIN), reset e[] of all touched columns and the window. */
static void dial_clear(struct dial *q, struct asg *s, const int32_t *touched, int32_t nt)
{
    for (int32_t t = 0; t < nt; t++) {
        int32_t k = touched[t];
        if (s->e[k] != INT64_MIN)
            dial_del(q, k, s->d[k]);
        s->e[k] = INT64_MAX;
    }
    q->base = 0;
    q->cur = DIAL_WINDOW;
}

/* ---- one worker's scratch ---- */

/* The search queue, and the reverse CSR (column -> rows that have an arc
 * into it) of the component at hand: its positions run from rbase, the
 * component's first forward position, and sit at radj[p - rbase], so one
 * buffer the size of the largest component serves them all in turn. */
struct work {
    struct dial q;
    struct mcf_adj *radj;
    int64_t rbase;
};

/* The searches and updates wait on memory: while one column is settled,
 * ask for the arcs of the one the queue holds next (a guess; an equal
 * label may still come in ahead of it): its first holder's arcs (forward),
 * or the rows with an arc into it (reverse). */
static void prefetch_holder_arcs(const struct asg *s, const struct dial *q)
{
    int32_t nx = q->cur < DIAL_WINDOW ? q->head[q->cur] : -1;
    int32_t i = nx >= 0 ? s->hfirst[nx] : -1;
    if (i < 0)
        return;
    const char *a = (const char *)&s->adj[s->row_start[i]];
    const char *z = (const char *)&s->adj[s->row_start[i + 1]];
    for (; a < z; a += 64)
        __builtin_prefetch(a);
}

static void prefetch_rev_arcs(const struct asg *s, const struct work *w)
{
    int32_t nx = w->q.cur < DIAL_WINDOW ? w->q.head[w->q.cur] : -1;
    if (nx < 0)
        return;
    const char *a = (const char *)&w->radj[s->col_start[nx] - w->rbase];
    const char *z = (const char *)&w->radj[s->col_start[nx + 1] - w->rbase];
    for (; a < z; a += 64)
        __builtin_prefetch(a);
}

/* ---- the reverse CSR of one component (its positions keep their range,
 * since a component's arcs stay inside it) ---- */

static void build_reverse(struct asg *s, struct work *w, int32_t r0, int32_t r1, int32_t c0,
                          int32_t c1)
{
    /* col_start[c0] (this component's start) and col_start[c1] (the next
     * one's) were set before the workers started and are not written here:
     * another worker may be reading them. d[] (free until the auction) holds
     * the counts, then the fill positions. */
    int64_t run = s->row_start[r0], *fill = s->d;
    for (int32_t j = c0; j < c1; j++)
        fill[j] = 0;
    for (int64_t p = run; p < s->row_start[r1]; p++)
        fill[s->adj[p].node]++;
    for (int32_t j = c0; j < c1; j++) {
        int64_t n = fill[j];
        if (j > c0)
            s->col_start[j] = run;
        fill[j] = run;
        run += n;
    }
    for (int32_t i = r0; i < r1; i++) {
        for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
            int64_t q = fill[s->adj[p].node]++;
            w->radj[q - w->rbase].node = i;
            w->radj[q - w->rbase].cost = s->adj[p].cost;
        }
    }
}

/* Row i holds column j at value `have`, but its cheapest option is
 * `best` < have. Lower j's price by the difference when no other row's arc
 * into j (and j's own floor gamma >= 0) forbids it: i is then tight again
 * and nobody else loses feasibility. Returns true if done. */
static bool lower_to(struct asg *s, const struct work *w, int32_t i, int64_t have, int64_t best)
{
    int32_t j = s->mcol[i];
    int64_t delta = have - best;
    if (s->w[j] - delta < -s->v[j])
        return false;
    for (int64_t p = s->col_start[j]; p < s->col_start[j + 1]; p++) {
        const struct mcf_adj *r = &w->radj[p - w->rbase];
        int32_t k = r->node;
        if (k == i || s->mcol[k] == M_PENDING || s->mcol[k] == j)
            continue;
        if (r->cost + s->w[j] - delta < row_alpha(s, k))
            return false;
    }
    s->w[j] -= delta;
    return true;
}

/* ---- 1. auction warm start ---- */

/* One bid of row i with increment eps (0 in the polishing round): take the
 * best column, raising its price when that fills it so that i is left
 * eps-indifferent to its second choice, and evict a holder when it was full.
 * Returns the evicted row, or -1. */
static int32_t bid(struct asg *s, int32_t i, int64_t eps)
{
    int64_t b1 = s->u[i], b2 = INT64_MAX, p1 = -1, p2 = -1;
    for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
        int64_t val = s->adj[p].cost + s->w[s->adj[p].node];
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
    if (p1 < 0) {
        s->mcol[i] = M_OPTION;
        return -1;
    }
    int32_t j = s->adj[p1].node, out = -1;
    if (b2 == b1 && s->cnt[j] == s->dem[j] && eps == 0) {
        /* A tie at increment 0: take the other choice rather than evict
         * for nothing (Jonker-Volgenant), or the option. */
        if (p2 < 0) {
            s->mcol[i] = M_OPTION;
            return -1;
        }
        p1 = p2;
        j = s->adj[p1].node;
    }
    if (s->cnt[j] + 1 >= s->dem[j]) {
        /* b2 is finite: u_i always is. At eps 1 the increment is b2 - b1
         * unless that is 0: the bidder is then left exactly at its
         * cheapest option, and the repair has less to undo. */
        s->w[j] += eps == 1 && b2 > b1 ? b2 - b1 : b2 - b1 + eps;
        if (s->cnt[j] == s->dem[j]) {
            out = s->hfirst[j];
            unhold(s, out);
            s->mcol[out] = M_PENDING;
        }
    }
    hold(s, i, j, s->adj[p1].cost);
    return out;
}

static void reverse(int32_t *a, int32_t lo, int32_t hi)
{
    for (hi--; lo < hi; lo++, hi--) {
        int32_t t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
    }
}

/* Runs the queue ring (cap entries, len queued from 0) for at most budget
 * bids; returns the bids made, leaves the rest queued in *len. */
static int64_t run_bids(struct asg *s, int32_t *queue, int32_t cap, int32_t *len, int64_t eps,
                        int64_t budget)
{
    int32_t head = 0, n = *len;
    int64_t bids = 0;
    /* The last few free rows of an auction can bid for very long (each
     * eviction chain moves prices by eps only); past the tail size they are
     * left to the exact paths, which place them in one search each. */
    int32_t tail = cap / AUCTION_TAIL;
    while (n > tail && bids < budget) {
        int32_t i = queue[head];
        head = head + 1 == cap ? 0 : head + 1;
        if (n > 1) { /* the next bidder's arcs, while this one bids */
            int32_t nx = queue[head];
            const char *a = (const char *)&s->adj[s->row_start[nx]];
            const char *z = (const char *)&s->adj[s->row_start[nx + 1]];
            for (; a < z; a += 64)
                __builtin_prefetch(a);
        }
        n--;
        bids++;
        int32_t out = bid(s, i, eps);
        if (out >= 0) {
            queue[(head + n) % cap] = out;
            n++;
        }
    }
    /* Rotate the ring so that the rows left start at queue[0]. */
    reverse(queue, 0, head);
    reverse(queue, head, cap);
    reverse(queue, 0, cap);
    *len = n;
    return bids;
}

/* Forward epsilon-scaling auction in integer prices (w), then a round at
 * increment 0 that leaves every placed row exactly at its cheapest option.
 * Rows still queued at the end stay pending. */
static int64_t auction(struct asg *s, const struct work *w, int32_t r0, int32_t r1, int32_t c0,
                       int32_t c1)
{
    int32_t cap = r1 - r0, *queue = s->queue + r0, len;
    int64_t bids = 0, eps = s->amax / AUCTION_START;
    int64_t budget = (int64_t)AUCTION_BIDS * cap + 64;

    if (eps < 1)
        eps = 1;
    for (;;) {
        len = 0;
        for (int32_t j = c0; j < c1; j++) {
            s->hfirst[j] = -1;
            s->cnt[j] = 0;
            s->mark[j] |= MK_ROOM;
        }
        for (int32_t i = r0; i < r1; i++) {
            s->mcol[i] = M_PENDING;
            queue[len++] = i;
        }
        bids += run_bids(s, queue, cap, &len, eps, budget);
        /* A column left with room must cost nothing (gamma = 0) at the
         * optimum; forward bids alone never lower a price, so reset it. */
        for (int32_t j = c0; j < c1; j++)
            if (s->cnt[j] < s->dem[j])
                s->w[j] = -s->v[j];
        if (eps == 1)
            break;
        eps = eps / AUCTION_DIV > 1 ? eps / AUCTION_DIV : 1;
    }
    /* Polish: rows not at their cheapest option bid again at increment 0. */
    {
        int32_t n = len;
        for (int32_t k = 0; k < len; k++)
            s->mcol[queue[k]] = M_PENDING;
        for (int32_t i = r0; i < r1; i++) {
            if (s->mcol[i] == M_PENDING)
                continue;
            int64_t best = row_best(s, i);
            if (row_alpha(s, i) != best) {
                if (s->mcol[i] >= 0 && lower_to(s, w, i, row_alpha(s, i), best))
                    continue;
                if (s->mcol[i] >= 0)
                    unhold(s, i);
                s->mcol[i] = M_PENDING;
                queue[n++] = i;
            }
        }
        len = n;
        bids += run_bids(s, queue, cap, &len, 0, (int64_t)AUCTION_POLISH * cap + 64);
    }
    return bids;
}

/* 1'. Instead of the auction, an earlier solve's placements (mcf_warm_start)
 * at its prices, set in mcf_assign_solve: each row holds the column it held
 * while there is room; the repair finds the rows an added arc now tempts. */
static int64_t warm_place(struct asg *s, int32_t r0, int32_t r1, int32_t c0, int32_t c1,
                          bool fresh_only)
{
    int64_t placed = 0;
    for (int32_t j = c0; j < c1; j++) {
        s->hfirst[j] = -1;
        s->cnt[j] = 0;
        s->mark[j] |= MK_ROOM;
    }
    for (int32_t i = r0; i < r1; i++) {
        int32_t j = s->wcol[i];
        s->mcol[i] = M_PENDING;
        if (j >= 0 && s->cnt[j] < s->dem[j]) {
            /* At the cheapest of parallel twins (one may be new: only a
             * fresh row's can be, when re-solving). */
            int32_t cost = s->wcost[i];
            for (int64_t p = s->row_start[i];
                 p < s->row_start[i + 1] && (!fresh_only || s->fresh[i]); p++)
                if (s->adj[p].node == j && s->adj[p].cost < cost)
                    cost = s->adj[p].cost;
            hold(s, i, j, cost);
            placed++;
        } else if (j == M_OPTION && s->u_arc[i] >= 0) {
            s->mcol[i] = M_OPTION;
            placed++;
        }
    }
    return placed;
}

/* ---- 2. repair ---- */

/* Rows not at their cheapest option become pending (listed in the queue
 * slice, count in *npend); columns not full with a price above 0 are listed
 * in the rlist slice (count returned). */
static int32_t repair(struct asg *s, const struct work *w, int32_t r0, int32_t r1, int32_t c0,
                      int32_t c1, bool fresh_only, int32_t *npend)
{
    int32_t np = 0, nrev = 0, *queue = s->queue + r0;
    int64_t level = INT64_MAX;
    bool room = false;
    /* Forward bids leave the prices of the full columns too high by about a
     * constant (the +eps of the early phases), which only the expensive
     * reverse paths could undo one by one. When some column has room (so
     * the level is pinned by gamma = 0), lower all full columns at once by
     * the least of their prices: matched rows stay tight, nothing becomes
     * infeasible, rows at their option may turn pending. */
    for (int32_t j = c0; j < c1; j++) {
        if (s->cnt[j] < s->dem[j])
            room = true;
        else if (s->w[j] + s->v[j] < level)
            level = s->w[j] + s->v[j];
    }
    if (room && level > 0 && level != INT64_MAX)
        for (int32_t j = c0; j < c1; j++)
            if (s->cnt[j] == s->dem[j])
                s->w[j] -= level;
    /* Re-solving a component whose level did not shift: a row without a
     * new arc sits at its cheapest option (the last solve's optimum), and
     * lowering a price below (lower_to) never takes another row off its
     * own, so only the fresh rows can turn pending. */
    for (int32_t i = r0; i < r1; i++) {
        if (fresh_only && !s->fresh[i])
            continue;
        int64_t best = row_best(s, i);
        if (s->mcol[i] == M_PENDING || row_alpha(s, i) != best) {
            if (s->mcol[i] >= 0 && lower_to(s, w, i, row_alpha(s, i), best))
                continue;
            if (s->mcol[i] >= 0)
                unhold(s, i);
            s->mcol[i] = M_PENDING;
            queue[np++] = i;
        }
    }
    /* A column with room at a price above 0 lowers its price until some
     * row is indifferent, and that row moves over (a reverse bid at
     * increment 0); the row's old column may now have room, so the chain
     * goes on there. Each step lowers a price (a few steps at equal price
     * are allowed per chain), so chains end; what is left needs reverse
     * paths. Every row stays tight and every arc feasible. */
    for (int32_t j0 = c0; j0 < c1; j0++) {
        int32_t j = j0, flat = 0;
        while (s->cnt[j] < s->dem[j] && s->w[j] + s->v[j] > 0) {
            int64_t top = -s->v[j];
            int32_t ti = -1, tc = 0;
            for (int64_t p = s->col_start[j]; p < s->col_start[j + 1]; p++) {
                const struct mcf_adj *r = &w->radj[p - w->rbase];
                int32_t i = r->node;
                if (s->mcol[i] == j || s->mcol[i] == M_PENDING)
                    continue;
                int64_t val = row_alpha(s, i) - r->cost;
                if (val > top) {
                    top = val;
                    ti = i;
                    tc = r->cost;
                }
            }
            if (top == s->w[j] && ++flat > 4)
                break;
            s->w[j] = top; /* >= alpha_i - c_ij for every such row: feasible */
            if (ti < 0)
                break; /* price 0 and nobody wants it: it keeps its room */
            int32_t j2 = s->mcol[ti];
            if (j2 >= 0)
                unhold(s, ti);
            hold(s, ti, j, tc);
            if (j2 < 0)
                break;
            j = j2;
        }
    }
    for (int32_t j = c0; j < c1; j++)
        if (s->cnt[j] < s->dem[j] && s->w[j] + s->v[j] > 0)
            s->rlist[c0 + nrev++] = j;
    *npend = np;
    return nrev;
}

/* ---- 3. forward shortest augmenting path from a pending row ----
 *
 * Dijkstra over the columns on reduced costs. e_k = d_k - w_k is what the
 * inner loop compares (one number an arc): INT64_MAX not reached yet,
 * INT64_MIN settled. Columns with room end the path and never queue. */

struct fwd {
    struct dial *q;
    int32_t *touched; /* this component's touched slice */
    int32_t nt;       /* touched count */
    int64_t best;     /* cost of the best end found so far */
    int32_t end_col;  /* that end: a column not full, or -1 */
    int32_t end_row;  /* or a row taking its option (end_col < 0) */
};

/* Relax the arcs of row i, reached at distance off + alpha_i. */
static void fwd_scan(struct asg *s, struct fwd *f, int32_t i, int64_t off)
{
    for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
        int32_t k = s->adj[p].node;
        int64_t ne = off + s->adj[p].cost;
        if (ne >= s->e[k])
            continue;
        int64_t nd = ne + s->w[k];
        if (nd >= f->best)
            continue;
        if (s->mark[k] & MK_ROOM) {
            f->best = nd;
            f->end_col = k;
        } else {
            if (s->e[k] == INT64_MAX)
                f->touched[f->nt++] = k;
            else
                dial_del(f->q, k, s->d[k]);
            s->e[k] = ne;
            s->d[k] = nd;
            dial_put(f->q, k, nd);
        }
        s->pred_row[k] = i;
        s->pred_cost[k] = s->adj[p].cost;
    }
}

/* A shortest path from pending row i0 to a column with room or to a row
 * taking its option; settled columns rise by best - d, and the path flips.
 * Returns the number of columns settled. */
static int32_t fwd_path(struct asg *s, struct dial *q, int32_t c0, int32_t i0)
{
    struct fwd f = {q, s->touched + c0, 0, 0, -1, i0};
    int64_t a0 = row_best(s, i0);
    int32_t nset = 0;

    f.best = s->u[i0] - a0;
    fwd_scan(s, &f, i0, -a0);
    for (;;) {
        int32_t j = dial_min(q, s->d);
        if (j < 0 || s->d[j] >= f.best)
            break;
        int64_t dj = s->d[j];
        dial_del(q, j, dj);
        s->e[j] = INT64_MIN;
        nset++;
        prefetch_holder_arcs(s, q);
        for (int32_t i = s->hfirst[j]; i >= 0; i = s->hnext[i]) {
            int64_t alpha = s->mcost[i] + s->w[j];
            if (dj + s->u[i] - alpha < f.best) {
                f.best = dj + s->u[i] - alpha;
                f.end_row = i;
                f.end_col = -1;
            }
            fwd_scan(s, &f, i, dj - alpha);
        }
    }
    for (int32_t t = 0; t < f.nt; t++) {
        int32_t k = f.touched[t];
        if (s->e[k] == INT64_MIN)
            s->w[k] += f.best - s->d[k];
    }
    dial_clear(q, s, f.touched, f.nt);
    /* Flip the path, from its end back to i0. */
    int32_t j = f.end_col;
    if (j < 0) {
        if (f.end_row == i0) {
            s->mcol[i0] = M_OPTION;
            return nset;
        }
        j = s->mcol[f.end_row];
        unhold(s, f.end_row);
        s->mcol[f.end_row] = M_OPTION;
    }
    for (;;) {
        int32_t r = s->pred_row[j], old = s->mcol[r];
        if (old >= 0)
            unhold(s, r);
        hold(s, r, j, s->pred_cost[j]);
        if (r == i0)
            break;
        j = old;
    }
    return nset;
}

/* ---- 4. reverse path for a column not full whose price is above 0 ----
 *
 * Dijkstra backwards over the column -> row arcs, on columns: settling c at
 * d_c offers c to every row i with an arc into it, which frees i's column
 * at d_c + rc(i, c). e_k = d_k + w_k here. Ends: a column whose price may
 * fall to 0 (d + gamma, j0's own included), or an unassigned or pending
 * row taking the column it was reached from. */

/* Returns the number of columns settled. */
static int32_t rev_path(struct asg *s, struct work *w, int32_t c0, int32_t j0)
{
    struct dial *q = &w->q;
    int32_t *touched = s->touched + c0, nt = 1, nset = 0;
    int64_t best = INT64_MAX;
    int32_t end_row = -1, end_col = -1;

    touched[0] = j0;
    s->d[j0] = 0;
    s->e[j0] = s->w[j0];
    dial_put(q, j0, 0);
    for (;;) {
        int32_t c = dial_min(q, s->d);
        if (c < 0 || s->d[c] >= best)
            break;
        int64_t dc = s->d[c], off = dc + s->w[c];
        dial_del(q, c, dc);
        s->e[c] = INT64_MIN;
        nset++;
        prefetch_rev_arcs(s, w);
        if (dc + s->w[c] + s->v[c] < best) {
            best = dc + s->w[c] + s->v[c];
            end_col = c;
            end_row = -1;
        }
        for (int64_t p = s->col_start[c]; p < s->col_start[c + 1]; p++) {
            const struct mcf_adj *r = &w->radj[p - w->rbase];
            int32_t i = r->node, mi = s->mcol[i];
            if (mi < 0) { /* an unassigned or pending row ends the path */
                int64_t nd = off + r->cost - row_value(s, i);
                if (nd < best) {
                    best = nd;
                    end_row = i;
                    end_col = -1;
                    s->rpred_col[i] = c;
                    s->rpred_cost[i] = r->cost;
                }
                continue;
            }
            int64_t ne = off + r->cost - s->mcost[i];
            if (ne >= s->e[mi])
                continue;
            int64_t nd = ne - s->w[mi];
            if (nd >= best)
                continue;
            if (s->e[mi] == INT64_MAX)
                touched[nt++] = mi;
            else
                dial_del(q, mi, s->d[mi]);
            s->e[mi] = ne;
            s->d[mi] = nd;
            dial_put(q, mi, nd);
            s->col_via[mi] = i;
            s->rpred_col[i] = c;
            s->rpred_cost[i] = r->cost;
        }
    }
    /* Settled columns (and so their holders) fall by best - d. */
    for (int32_t t = 0; t < nt; t++) {
        int32_t k = touched[t];
        if (s->e[k] == INT64_MIN)
            s->w[k] -= best - s->d[k];
    }
    dial_clear(q, s, touched, nt);
    /* Flip: each row on the path moves to the column it was reached from. */
    int32_t i;
    if (end_row >= 0) {
        i = end_row;
    } else {
        if (end_col == j0)
            return nset; /* j0's price reached 0 */
        i = s->col_via[end_col];
    }
    for (;;) {
        int32_t c = s->rpred_col[i];
        if (s->mcol[i] >= 0)
            unhold(s, i);
        hold(s, i, c, s->rpred_cost[i]);
        if (c == j0)
            break;
        i = s->col_via[c];
    }
    return nset;
}

/* ---- 5. global price updates ----
 *
 * After the auction the defects are few, but a single-source search from
 * one of them crosses most of its component when the prices are nearly
 * flat (every column full and the nearest end a holder giving up far away,
 * or a column with room far from any row that could leave). Cost scaling
 * meets the same problem with global updates, and so do we: one Dijkstra
 * from every end at once gives each column its distance to the nearest end,
 * and shifting the prices by those distances (cut at the largest distance
 * a defect has) makes every defect's shortest path tight at once. The
 * exact searches that follow then walk along zero reduced costs and settle
 * little, until the paths they flip have used up the tight ones; the
 * caller runs another update when the searches have grown wide again.
 * Both updates keep every reduced cost >= 0, every matched arc tight,
 * alpha_i <= u_i and gamma_j >= 0, with gamma_j = 0 kept on columns with
 * room that had it, so the searches stay exact.
 *
 * An update only settles labels below DIAL_WINDOW (one window of the
 * queue, base 0): a column beyond is treated as DIAL_WINDOW away, so the
 * cut D is at most DIAL_WINDOW, which is still a valid update. */

/* Lower column k's label in an update to nd (key ne); only labels inside
 * the window are queued. */
static void update_lower(struct dial *q, int64_t *label, int64_t *e, int32_t k, int64_t ne,
                         int64_t nd)
{
    if (label[k] < DIAL_WINDOW)
        dial_del(q, k, label[k]);
    e[k] = ne;
    label[k] = nd;
    if (nd < DIAL_WINDOW)
        dial_put(q, k, nd);
}

/* The next column of an update in label order, taken out of the queue and
 * marked settled; -1 when the window is empty. */
static int32_t update_next(struct asg *s, struct dial *q)
{
    while (q->cur < DIAL_WINDOW && q->head[q->cur] < 0)
        q->cur++;
    if (q->cur == DIAL_WINDOW)
        return -1;
    int32_t j = q->head[q->cur];
    dial_del(q, j, q->cur);
    s->e[j] = INT64_MIN;
    return j;
}

/* Before forward paths: h_j = the least cost of freeing a unit of column j
 * (0 with room, a holder's slack u_i - alpha_i, or a holder moving on to
 * another column that is freed in turn). Every column rises by
 * min(h_j, D), D the largest distance of a pending row to an end.
 * e_j = h_j + w_j, so the inner loop compares one number an arc. */
static void global_fwd(struct asg *s, struct work *w, int32_t c0, int32_t c1, const int32_t *pend,
                       int32_t npend)
{
    struct dial *q = &w->q;
    int64_t *h = s->d, *e = s->e, top = 0;

    for (int32_t j = c0; j < c1; j++) {
        int64_t lab = (s->mark[j] & MK_ROOM) ? 0 : INT64_MAX;
        for (int32_t i = s->hfirst[j]; i >= 0 && lab > 0; i = s->hnext[i])
            if (s->u[i] - s->mcost[i] - s->w[j] < lab)
                lab = s->u[i] - s->mcost[i] - s->w[j];
        h[j] = lab;
        e[j] = lab == INT64_MAX ? INT64_MAX : lab + s->w[j];
        if (lab < DIAL_WINDOW)
            dial_put(q, j, lab);
    }
    for (int32_t j; (j = update_next(s, q)) >= 0;) {
        int64_t base = h[j] + s->w[j];
        prefetch_rev_arcs(s, w);
        for (int64_t p = s->col_start[j]; p < s->col_start[j + 1]; p++) {
            const struct mcf_adj *r = &w->radj[p - w->rbase];
            int32_t k = r->node, jk = s->mcol[k];
            if (jk < 0)
                continue;
            int64_t ne = base + r->cost - s->mcost[k];
            if (ne < e[jk])
                update_lower(q, h, e, jk, ne, ne - s->w[jk]);
        }
    }
    for (int32_t k = 0; k < npend; k++) {
        int32_t i = pend[k];
        if (s->mcol[i] != M_PENDING)
            continue;
        int64_t a0 = row_best(s, i), di = s->u[i] - a0;
        for (int64_t p = s->row_start[i]; p < s->row_start[i + 1] && di > 0; p++) {
            int32_t j = s->adj[p].node;
            int64_t hj = h[j] < DIAL_WINDOW ? h[j] : DIAL_WINDOW;
            if (s->adj[p].cost + s->w[j] - a0 + hj < di)
                di = s->adj[p].cost + s->w[j] - a0 + hj;
        }
        if (di > top)
            top = di;
    }
    if (top > DIAL_WINDOW)
        top = DIAL_WINDOW;
    for (int32_t j = c0; j < c1; j++) {
        s->w[j] += h[j] < top ? h[j] : top;
        e[j] = INT64_MAX;
    }
    q->cur = DIAL_WINDOW;
}

/* Before reverse paths: g_j = the least cost of bringing a row to column j
 * (its own drop to gamma 0, an unassigned or pending row taking it, or a
 * holder that moves over and is replaced in turn). Every column falls by
 * min(g_j, D), D the largest g of a listed column. e_k = g_k - w_k. */
static void global_rev(struct asg *s, struct work *w, int32_t r0, int32_t r1, int32_t c0,
                       int32_t c1, const int32_t *list, int32_t nlist)
{
    struct dial *q = &w->q;
    int64_t *g = s->d, *e = s->e, top = 0;

    for (int32_t j = c0; j < c1; j++)
        g[j] = s->w[j] + s->v[j];
    for (int32_t i = r0; i < r1; i++) {
        if (s->mcol[i] >= 0)
            continue;
        int64_t a = s->mcol[i] == M_OPTION ? s->u[i] : row_value(s, i);
        for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
            int32_t j = s->adj[p].node;
            if (s->adj[p].cost + s->w[j] - a < g[j])
                g[j] = s->adj[p].cost + s->w[j] - a;
        }
    }
    for (int32_t j = c0; j < c1; j++) {
        e[j] = g[j] - s->w[j];
        if (g[j] < DIAL_WINDOW)
            dial_put(q, j, g[j]);
    }
    for (int32_t j; (j = update_next(s, q)) >= 0;) {
        prefetch_holder_arcs(s, q);
        for (int32_t i = s->hfirst[j]; i >= 0; i = s->hnext[i]) {
            int64_t base = g[j] - s->mcost[i] - s->w[j];
            for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
                int32_t k = s->adj[p].node;
                int64_t ne = base + s->adj[p].cost;
                if (ne < e[k])
                    update_lower(q, g, e, k, ne, ne + s->w[k]);
            }
        }
    }
    for (int32_t k = 0; k < nlist; k++) {
        int32_t j = list[k];
        if (s->cnt[j] < s->dem[j] && s->w[j] + s->v[j] > 0 && g[j] > top)
            top = g[j];
    }
    if (top > DIAL_WINDOW)
        top = DIAL_WINDOW;
    for (int32_t j = c0; j < c1; j++) {
        s->w[j] -= g[j] < top ? g[j] : top;
        e[j] = INT64_MAX;
    }
    q->cur = DIAL_WINDOW;
}

/* Columns by their label in key[] (ties by number), for qsort_r. */
static int by_label(const void *a, const void *b, void *key)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    int64_t kx = ((const int64_t *)key)[x], ky = ((const int64_t *)key)[y];
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* ---- per component ---- */

static void solve_component(struct asg *s, struct work *w, int32_t c)
{
    int32_t r0 = s->comp_row[c], r1 = s->comp_row[c + 1];
    int32_t c0 = s->comp_col[c], c1 = s->comp_col[c + 1];
    int32_t npend = 0, nrev;

    for (int32_t j = c0; j < c1; j++) {
        s->mark[j] = MK_ROOM;
        s->e[j] = INT64_MAX;
    }
    w->rbase = s->row_start[r0];
    build_reverse(s, w, r0, r1, c0, c1);
    bool fresh_only = s->comp_fresh && s->comp_fresh[c];
    if (s->wcol)
        s->comp_warm[c] = warm_place(s, r0, r1, c0, c1, fresh_only);
    else if (r1 > r0)
        s->comp_warm[c] = auction(s, w, r0, r1, c0, c1);
    else
        for (int32_t j = c0; j < c1; j++)
            s->hfirst[j] = -1, s->cnt[j] = 0, s->mark[j] |= MK_ROOM;
    nrev = repair(s, w, r0, r1, c0, c1, fresh_only, &npend);
    /* Reverse paths first: they may end at pending rows, which settles two
     * defects at once; they never make a row pending. Forward paths never
     * leave a column with room at a price above 0. A global update costs
     * about one search over the whole component; one runs first, and
     * another whenever the searches since the last one have settled as
     * many columns as the component has. */
    int64_t wide = c1 - c0;
    for (int32_t k = 0; k < nrev; k++) {
        if (wide >= c1 - c0 && nrev - k > 1) {
            global_rev(s, w, r0, r1, c0, c1, s->rlist + c0 + k, nrev - k);
            qsort_r(s->rlist + c0 + k, (size_t)(nrev - k), sizeof(int32_t), by_label, s->d);
            wide = 0;
        }
        int32_t j = s->rlist[c0 + k];
        while (s->cnt[j] < s->dem[j] && s->w[j] + s->v[j] > 0) {
            wide += rev_path(s, w, c0, j);
            s->comp_iters[c]++;
        }
    }
    wide = c1 - c0;
    for (int32_t k = 0; k < npend; k++) {
        int32_t *pend = s->queue + r0;
        if (s->mcol[pend[k]] != M_PENDING)
            continue;
        if (wide >= c1 - c0 && npend - k > 1) {
            global_fwd(s, w, c0, c1, pend + k, npend - k);
            wide = 0;
        }
        wide += fwd_path(s, &w->q, c0, pend[k]);
        s->comp_iters[c]++;
    }
}

static void *worker(void *arg)
{
    struct asg *s = arg;
    struct work w = {{NULL, s->bnext, s->bprev, 0, DIAL_WINDOW}, NULL, 0};
    w.q.head = zc_reallocarray(NULL, DIAL_WINDOW + 1, sizeof(*w.q.head));
    for (int32_t b = 0; b <= DIAL_WINDOW; b++)
        w.q.head[b] = -1; /* every search and update leaves the queue empty */
    int id = atomic_fetch_add(&s->wid, 1);
    if (s->radj_cap[id] < s->rmax + 1) {
        free(s->radj[id]);
        s->radj[id] = zc_reallocarray(NULL, (size_t)s->rmax + 1, sizeof(*w.radj));
        s->radj_cap[id] = s->rmax + 1;
    }
    w.radj = s->radj[id];
    for (;;) {
        int k = atomic_fetch_add(&s->next, 1);
        if (k >= s->nrun)
            break;
        solve_component(s, &w, s->order[k]);
    }
    free(w.q.head);
    return NULL;
}

static void run_all(struct asg *s, int threads)
{
    atomic_store(&s->next, 0);
    atomic_store(&s->wid, 0);
    if (threads > 1 && s->nrun > 1) {
        pthread_t tid[16];
        int nt = threads > 16 ? 16 : threads, started = 0;
        for (int t = 1; t < nt; t++)
            if (pthread_create(&tid[started], NULL, worker, s) == 0)
                started++;
        worker(s);
        for (int t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
    } else {
        worker(s);
    }
}

/* ---- set-up ---- */

static int32_t uf_find(int32_t *up, int32_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

static int by_size_desc(const void *a, const void *b, void *sizes)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    int32_t sx = ((const int32_t *)sizes)[x], sy = ((const int32_t *)sizes)[y];
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void asg_free(struct asg *s)
{
    void *all[] = {s->row_node,  s->col_node,  s->row_start, s->adj,        s->u,
                   s->u_arc,     s->v,         s->v_arc,     s->dem,        s->cnt,
                   s->w,         s->mcol,      s->mcost,     s->hfirst,     s->hnext,
                   s->hprev,     s->d,         s->e,         s->pred_row,   s->pred_cost,
                   s->mark,      s->bnext,     s->bprev,     s->touched,    s->queue,
                   s->rlist,     s->comp_row,  s->comp_col,  s->order,      s->comp_iters,
                   s->comp_warm, s->col_start, s->rpred_col, s->rpred_cost, s->col_via,
                   s->first,     s->wcol,      s->wcost,     s->fresh,      s->comp_fresh};
    for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
        free(all[k]);
    for (int k = 0; k < 16; k++)
        free(s->radj[k]);
}

/* Classify nodes; false if the network is not of the transportation shape.
 * kind[] and idx[] (row or column number in node order) are filled. */
static bool classify(const struct mcf *m, int8_t *kind, int32_t *idx, int32_t *nr, int32_t *nc,
                     int32_t *stranded, int32_t *hub_out)
{
    int32_t *indeg = zc_calloc((size_t)m->n + 1, sizeof(*indeg));
    int32_t *outdeg = zc_calloc((size_t)m->n + 1, sizeof(*outdeg));
    int32_t hub = -1;
    bool ok = true;

    *stranded = -1;
    *nr = *nc = 0;
    for (int64_t a = 0; a < m->m; a++) {
        if (mcf_upper_(m, a) == 0)
            continue;
        if (mcf_lower_(m, a) != 0 || m->tail[a] == m->head[a]) {
            ok = false;
            break;
        }
        outdeg[m->tail[a]] = 1;
        indeg[m->head[a]] = 1;
    }
    for (int32_t v = 0; v < m->n && ok; v++) {
        int64_t b = m->supply[v];
        if (b == 1 && !indeg[v] && outdeg[v]) {
            kind[v] = K_ROW;
            idx[v] = (*nr)++;
        } else if (b <= -1 && b >= -INT32_MAX && !outdeg[v] && indeg[v]) {
            kind[v] = K_COL;
            idx[v] = (*nc)++;
        } else if (!indeg[v] && !outdeg[v]) {
            kind[v] = K_NONE;
            if (b != 0 && *stranded < 0)
                *stranded = v; /* a supply with no arc: infeasible */
        } else if (hub < 0) {
            kind[v] = K_HUB;
            hub = v;
        } else {
            ok = false;
        }
    }
    *hub_out = hub; /* the arcs' ends are checked by the set-up's scan */
    free(indeg);
    free(outdeg);
    return ok;
}

/* Arcs ahead of the one at hand whose random reads the set-up's scans ask
 * for early (these passes wait on memory, not on arithmetic). */
#define PREFETCH 16

/* One part of the CSR fill: arcs a0..a1, written from each row's start,
 * or after the row's arcs below a0 when `before` counts them. */
struct fill_part {
    struct asg *s;
    const struct mcf *m;
    const int8_t *kind;
    const int32_t *idx;
    int64_t a0, a1;
    const int32_t *before;
};

static void *fill_worker(void *arg)
{
    struct fill_part *f = arg;
    struct asg *s = f->s;
    const struct mcf *m = f->m;
    const int8_t *kind = f->kind;
    const int32_t *idx = f->idx;
    struct mcf_adj *adj = s->adj;
    int32_t nr = s->nr;
    int64_t *fill = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*fill));
    for (int32_t i = 0; i < nr; i++)
        fill[i] = s->row_start[i] + (f->before ? f->before[i] : 0);
    for (int64_t a = f->a0; a < f->a1; a++) {
        if (a + PREFETCH < f->a1) { /* as in scan_worker */
            int32_t ha = m->head[a + PREFETCH];
            __builtin_prefetch(&kind[ha]);
            __builtin_prefetch(&idx[ha]);
        }
        int32_t t = m->tail[a], h = m->head[a];
        if (kind[h] != K_COL || kind[t] != K_ROW || mcf_upper_(m, a) == 0)
            continue;
        int64_t p = fill[idx[t]]++;
        adj[p].node = idx[h];
        adj[p].cost = (int32_t)mcf_cost_(m, a);
    }
    free(fill);
    return NULL;
}

/* What one thread learns from its part of the arcs in the set-up's scan:
 * whether every arc has the shape's ends, the components (a union-find of
 * its own), each row's row -> column arcs, the cheapest option of each row
 * and column (first arc on ties), and the largest costs. Rows and columns
 * are in classify's numbering here. */
struct scan_part {
    const struct mcf *m;
    const int8_t *kind;
    const int32_t *idx;
    int32_t nr, nc;
    int64_t a0, a1;
    bool ok;
    int32_t *up;    /* rows 0..nr-1, columns nr..nr+nc-1 */
    int32_t *count; /* row -> its row -> column arcs in this part */
    int64_t *u_arc; /* row -> its cheapest row -> hub arc in this part, or -1 */
    int64_t *v_arc; /* column -> its cheapest hub -> column arc, or -1 */
    int64_t cmax, amax;
};

static void uf_union(int32_t *up, int32_t x, int32_t y)
{
    x = uf_find(up, x);
    y = uf_find(up, y);
    if (x != y)
        up[x > y ? x : y] = x > y ? y : x; /* the smaller index is the root */
}

static void *scan_worker(void *arg)
{
    struct scan_part *f = arg;
    const struct mcf *m = f->m;
    const int8_t *kind = f->kind;
    const int32_t *idx = f->idx;
    int32_t nr = f->nr, nn = f->nr + f->nc;
    /* Locals only in the loop: the two parts sit side by side in memory. */
    int32_t *up = zc_reallocarray(NULL, (size_t)nn + 1, sizeof(*up));
    int32_t *count = zc_calloc((size_t)nr + 1, sizeof(*count));
    int64_t *u_arc = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*u_arc));
    int64_t *v_arc = zc_reallocarray(NULL, (size_t)f->nc + 1, sizeof(*v_arc));
    int64_t cmax = 0, amax = 0;
    bool ok = true;

    for (int32_t x = 0; x < nn; x++)
        up[x] = x;
    memset(u_arc, 0xff, (size_t)nr * sizeof(*u_arc)); /* -1 */
    memset(v_arc, 0xff, (size_t)f->nc * sizeof(*v_arc));
    for (int64_t a = f->a0; a < f->a1 && ok; a++) {
        /* Arcs come in order, their heads at random: fetch a head's kind
         * and number PREFETCH arcs ahead, its union-find entry half as far. */
        if (a + PREFETCH < f->a1) {
            int32_t ha = m->head[a + PREFETCH];
            __builtin_prefetch(&kind[ha]);
            __builtin_prefetch(&idx[ha]);
        }
        if (a + PREFETCH / 2 < f->a1) {
            int32_t hb = m->head[a + PREFETCH / 2];
            if (kind[hb] == K_COL)
                __builtin_prefetch(&up[nr + idx[hb]]);
        }
        if (mcf_upper_(m, a) == 0)
            continue;
        int32_t t = m->tail[a], h = m->head[a];
        int k1 = kind[t], k2 = kind[h];
        int64_t c = mcf_cost_(m, a), ac = c < 0 ? -c : c;
        if (ac > cmax)
            cmax = ac;
        if (k1 == K_ROW && k2 == K_COL) {
            int32_t i = idx[t];
            if (c < INT32_MIN || c > INT32_MAX)
                ok = false;
            if (ac > amax)
                amax = ac;
            count[i]++;
            uf_union(up, i, nr + idx[h]);
        } else if (k1 == K_ROW && k2 == K_HUB) {
            int64_t *best = &u_arc[idx[t]];
            if (*best < 0 || c < mcf_cost_(m, *best))
                *best = a;
        } else if (k1 == K_HUB && k2 == K_COL) {
            int64_t *best = &v_arc[idx[h]];
            if (*best < 0 || c < mcf_cost_(m, *best))
                *best = a;
        } else {
            ok = false;
        }
    }
    f->up = up;
    f->count = count;
    f->u_arc = u_arc;
    f->v_arc = v_arc;
    f->cmax = cmax;
    f->amax = amax;
    f->ok = ok;
    return NULL;
}

static void scan_free(struct scan_part *f)
{
    free(f->up);
    free(f->count);
    free(f->u_arc);
    free(f->v_arc);
}

/* The earlier of two candidate options unless the later one is cheaper. */
static int64_t cheaper_arc(const struct mcf *m, int64_t a, int64_t b)
{
    if (a < 0)
        return b;
    if (b < 0 || mcf_cost_(m, a) <= mcf_cost_(m, b))
        return a;
    return b;
}

/* BIG for the largest |cost| cmax, given to the rows and columns without
 * an option; false if the numbers are too large for it. BIG exceeds what
 * the other costs can change by (each unit of flow moves at most once:
 * |c'| <= 2 cmax in and out, plus an option), so it is an exact penalty.
 * Prices stay below a few times (rows + units) BIG. Path costs (so
 * distances and prices) stay within a few BIG: a path holds at most one
 * option, and the -BIG of a must-fill column it enters cancels against the
 * +BIG where it leaves one. */
static bool set_penalty(struct asg *s, int64_t cmax)
{
    int64_t big = ((int64_t)s->nr + 2) * (4 * cmax + 2) + 4 * cmax + 2;
    bool ok =
        (__int128)((int64_t)s->nr + s->dsum + 4) * (4 * cmax + 2) * 64 <= ((__int128)1 << 62) &&
        (!s->hard || (__int128)big * 64 <= ((__int128)1 << 62));
    s->cmax = cmax;
    s->big = big;
    for (int32_t i = 0; i < s->nr; i++)
        if (s->u_arc[i] < 0)
            s->u[i] = big;
    for (int32_t j = 0; j < s->nc; j++)
        if (s->v_arc[j] < 0)
            s->v[j] = big;
    return ok;
}

/* Build the component-ordered CSR and the hub options; idx[] is renumbered
 * to the component order. Returns ZC_OK, ZC_EINVAL if the shape does not
 * hold after all (an arc between the wrong kinds of node, an unfilled arc
 * below the demand) or the numbers are too large for the penalty BIG.
 * With two threads the arcs are scanned (and the CSR filled) in two
 * halves; the results do not depend on it. */
static int setup(struct asg *s, const struct mcf *m, const int8_t *kind, int32_t *idx, int threads)
{
    int32_t nr = s->nr, nc = s->nc, nn = nr + nc;
    int32_t *comp = zc_reallocarray(NULL, (size_t)nn + 1, sizeof(*comp));
    int32_t *newidx = zc_reallocarray(NULL, (size_t)nn + 1, sizeof(*newidx));
    int64_t cmax = 0, dsum = 0, half = threads > 1 ? m->m / 2 : m->m;
    bool hard = false;
    int rc = ZC_OK;

    /* One thread: part 1 is empty and is neither scanned nor merged. */
    bool split = half < m->m;
    struct scan_part part[2] = {
        {.m = m, .kind = kind, .idx = idx, .nr = nr, .nc = nc, .a0 = 0, .a1 = half},
        {.m = m, .kind = kind, .idx = idx, .nr = nr, .nc = nc, .a0 = half, .a1 = m->m, .ok = true}};
    if (split) {
        pthread_t tid;
        bool two = pthread_create(&tid, NULL, scan_worker, &part[1]) == 0;
        scan_worker(&part[0]);
        if (two)
            pthread_join(tid, NULL);
        else
            scan_worker(&part[1]);
    } else {
        scan_worker(&part[0]);
    }

    if (!part[0].ok || !part[1].ok) {
        scan_free(&part[0]);
        scan_free(&part[1]);
        free(comp);
        free(newidx);
        return ZC_EINVAL;
    }
    int32_t *up = part[0].up;
    for (int32_t x = 0; x < nn && split; x++)
        uf_union(up, x, uf_find(part[1].up, x));
    s->amax = part[0].amax > part[1].amax ? part[0].amax : part[1].amax;
    cmax = part[0].cmax > part[1].cmax ? part[0].cmax : part[1].cmax;

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
    free(comp);

    /* Move what the scan found to the component order. */
    s->row_node = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->row_node));
    s->col_node = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->col_node));
    s->dem = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->dem));
    s->row_start = zc_calloc((size_t)nr + 2, sizeof(*s->row_start));
    s->u = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->u));
    s->u_arc = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->u_arc));
    s->v = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->v));
    s->v_arc = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->v_arc));
    s->half = half;
    s->first = split ? zc_calloc((size_t)nr + 1, sizeof(*s->first)) : NULL;
    for (int32_t v = 0; v < m->n; v++) {
        if (kind[v] == K_ROW) {
            int32_t old = idx[v], i = newidx[old];
            idx[v] = i;
            s->row_node[i] = v;
            s->row_start[i + 1] = part[0].count[old] + (split ? part[1].count[old] : 0);
            if (s->first)
                s->first[i] = part[0].count[old];
            s->u_arc[i] =
                split ? cheaper_arc(m, part[0].u_arc[old], part[1].u_arc[old]) : part[0].u_arc[old];
            s->u[i] = s->u_arc[i] >= 0 ? mcf_cost_(m, s->u_arc[i]) : 0;
        } else if (kind[v] == K_COL) {
            int32_t old = idx[v], j = newidx[nr + old];
            idx[v] = j;
            s->col_node[j] = v;
            s->dem[j] = (int32_t)-m->supply[v];
            dsum += -m->supply[v];
            s->v_arc[j] =
                split ? cheaper_arc(m, part[0].v_arc[old], part[1].v_arc[old]) : part[0].v_arc[old];
            s->v[j] = s->v_arc[j] >= 0 ? mcf_cost_(m, s->v_arc[j]) : 0;
        }
    }
    free(newidx);
    scan_free(&part[0]);
    scan_free(&part[1]);
    for (int32_t i = 0; i < nr; i++) {
        s->row_start[i + 1] += s->row_start[i];
        hard |= s->u_arc[i] < 0;
    }
    for (int32_t j = 0; j < nc; j++) {
        hard |= s->v_arc[j] < 0;
        /* The cheapest unfilled arc must be able to carry the whole demand
         * (the model's shape); otherwise the general solver runs. */
        if (s->v_arc[j] >= 0 && mcf_upper_(m, s->v_arc[j]) < s->dem[j])
            rc = ZC_EINVAL;
    }
    s->dsum = dsum;
    s->hard = hard;
    if (!set_penalty(s, cmax))
        rc = ZC_EINVAL;
    if (rc != ZC_OK)
        return rc;

    /* The CSR in arc order within each row. With two threads each fills
     * from its half of the arcs, the second half of a row's arcs after the
     * first (counted above), so the order is the same either way. */
    int64_t npos = s->row_start[nr];
    s->adj = zc_reallocarray(NULL, (size_t)npos + 1, sizeof(*s->adj));
    struct fill_part fill[2] = {{s, m, kind, idx, 0, half, NULL},
                                {s, m, kind, idx, half, m->m, s->first}};
    pthread_t tid;
    bool two = s->first && pthread_create(&tid, NULL, fill_worker, &fill[1]) == 0;
    fill_worker(&fill[0]);
    if (two)
        pthread_join(tid, NULL);
    else if (s->first)
        fill_worker(&fill[1]);
    return ZC_OK;
}

/* The row-side arrays of the reverse searches. */
static void setup_reverse(struct asg *s)
{
    int32_t nr = s->nr, nc = s->nc;
    s->rpred_col = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->rpred_col));
    s->rpred_cost = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->rpred_cost));
    s->col_via = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->col_via));
}

static void set_flow(struct mcf *m, int64_t a, int64_t f)
{
    if (m->flow8)
        m->flow8[a] = (uint8_t)f;
    else
        m->flow[a] = f;
}

/* One part of writing the row -> column flows: arcs a0..a1, counting each
 * row's arcs in CSR order (after `before` of them in the first half), so
 * that the chosen position (queue[i], an offset in the row, or -1) names
 * the arc without a table of arc numbers. */
struct flow_part {
    struct asg *s;
    struct mcf *m;
    const int8_t *kind;
    const int32_t *idx;
    int64_t a0, a1;
    const int32_t *before;
};

static void *flow_worker(void *arg)
{
    struct flow_part *f = arg;
    struct asg *s = f->s;
    struct mcf *m = f->m;
    int32_t *seen = zc_reallocarray(NULL, (size_t)s->nr + 1, sizeof(*seen));
    for (int32_t i = 0; i < s->nr; i++)
        seen[i] = f->before ? f->before[i] : 0;
    for (int64_t a = f->a0; a < f->a1; a++) {
        int32_t t = m->tail[a];
        /* A row's arcs go to columns or to the hub (classify). */
        if (f->kind[t] != K_ROW || m->head[a] == s->hub || mcf_upper_(m, a) == 0)
            continue;
        int32_t i = f->idx[t];
        if (seen[i]++ == s->queue[i])
            set_flow(m, a, 1);
    }
    free(seen);
    return NULL;
}

/* Write flows and potentials: pi(hub) = 0, pi(column) = -w_j
 * (= v_j - gamma_j), pi(row) = -alpha_i. A row's flow goes on the first arc
 * to its column with the cost it holds (parallel twins are equivalent).
 * Flows take a byte an arc when no column's demand exceeds 255. */
static int write_back(struct asg *s, struct mcf *m, const int8_t *kind, const int32_t *idx,
                      struct zc_error *err)
{
    int32_t nr = s->nr, nc = s->nc, dmax = 1;
    __int128 sum = 0;
    int rc = ZC_OK;

    for (int32_t j = 0; j < nc; j++)
        if (s->dem[j] > dmax)
            dmax = s->dem[j];
    if (dmax <= UINT8_MAX)
        m->flow8 = zc_calloc((size_t)m->m + 1, sizeof(*m->flow8));
    else
        m->flow = zc_calloc((size_t)m->m + 1, sizeof(*m->flow));
    for (int32_t j = 0; j < nc && rc == ZC_OK; j++) {
        m->pot[s->col_node[j]] = -s->w[j];
        if (s->cnt[j] == s->dem[j])
            continue;
        if (s->v_arc[j] < 0)
            rc = zc_error_set(err, ZC_EINFEASIBLE, "no feasible flow: node %d is not filled",
                              s->col_node[j]);
        else
            set_flow(m, s->v_arc[j], s->dem[j] - s->cnt[j]);
        sum += (__int128)s->v[j] * (s->dem[j] - s->cnt[j]);
    }
    for (int32_t i = 0; i < nr && rc == ZC_OK; i++) {
        m->pot[s->row_node[i]] = -row_alpha(s, i);
        s->queue[i] = -1;
        sum += s->mcol[i] >= 0 ? s->mcost[i] : s->u[i];
        if (s->mcol[i] >= 0) {
            /* The first position (so the first arc) to the column at the
             * cost the row holds. */
            for (int64_t p = s->row_start[i]; p < s->row_start[i + 1]; p++) {
                if (s->adj[p].node == s->mcol[i] && s->adj[p].cost == s->mcost[i]) {
                    s->queue[i] = (int32_t)(p - s->row_start[i]);
                    break;
                }
            }
            continue;
        }
        if (s->u_arc[i] < 0)
            rc = zc_error_set(err, ZC_EINFEASIBLE, "no feasible flow: node %d cannot send",
                              s->row_node[i]);
        else
            set_flow(m, s->u_arc[i], 1);
    }
    if (rc != ZC_OK)
        return rc;
    /* Every flow sits on an arc of the cost summed: a row's arc at mcost, its
     * option u_arc, a column's cheapest unfilled arc v_arc. */
    m->objective_sum = sum;
    m->objective_known = true;
    struct flow_part part[2] = {{s, m, kind, idx, 0, s->half, NULL},
                                {s, m, kind, idx, s->half, m->m, s->first}};
    pthread_t tid;
    bool two = s->first && pthread_create(&tid, NULL, flow_worker, &part[1]) == 0;
    flow_worker(&part[0]);
    if (two)
        pthread_join(tid, NULL);
    else if (s->first)
        flow_worker(&part[1]);
    return rc;
}

/* The warm start's prices (w_j = -pi_j relative to the hub, never below
 * gamma = 0) and each row's earlier column. */
static void warm_setup(struct asg *s, const struct mcf *m, const int8_t *kind, const int32_t *idx)
{
    int64_t hub = m->warm_pot && s->hub >= 0 ? m->warm_pot[s->hub] : 0;
    if (m->warm_pot) {
        for (int32_t j = 0; j < s->nc; j++) {
            int64_t w = hub - m->warm_pot[s->col_node[j]];
            s->w[j] = w > -s->v[j] ? w : -s->v[j];
        }
    }
    s->wcol = zc_reallocarray(NULL, (size_t)s->nr + 1, sizeof(*s->wcol));
    s->wcost = zc_calloc((size_t)s->nr + 1, sizeof(*s->wcost));
    for (int32_t i = 0; i < s->nr; i++) {
        int64_t a = m->warm_via ? m->warm_via[s->row_node[i]] : -1;
        int32_t h;
        s->wcol[i] = M_PENDING;
        if (a < 0 || a >= m->m || m->tail[a] != s->row_node[i] || mcf_upper_(m, a) < 1)
            continue;
        h = m->head[a];
        if (h == s->hub) {
            s->wcol[i] = M_OPTION;
        } else if (kind[h] == K_COL) {
            s->wcol[i] = idx[h];
            s->wcost[i] = (int32_t)mcf_cost_(m, a);
        }
    }
}

/* Rows and columns of component c (the workers take the largest first). */
static int32_t comp_size(const struct asg *s, int32_t c)
{
    return (s->comp_row[c + 1] - s->comp_row[c]) + (s->comp_col[c + 1] - s->comp_col[c]);
}

/* ---- re-solving after arcs were appended (mcf_reuse) ---- */

struct asg_keep {
    struct asg s;
    int8_t *kind;
    int32_t *idx;
};

void mcf_assign_keep_free(struct asg_keep *k)
{
    if (!k)
        return;
    asg_free(&k->s);
    free(k->kind);
    free(k->idx);
    free(k);
}

/* The component of row i (or of column j, with comp_col). */
static int32_t comp_of(const int32_t *first, int32_t ncomp, int32_t x)
{
    int32_t lo = 0, hi = ncomp - 1;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo + 1) / 2;
        if (first[mid] <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Would repair() move component c's prices although every row sits at its
 * cheapest option (the level shift of full columns when one has room)? */
static bool repair_shifts(const struct asg *s, int32_t c)
{
    int64_t level = INT64_MAX;
    bool room = false;
    for (int32_t j = s->comp_col[c]; j < s->comp_col[c + 1]; j++) {
        if (s->cnt[j] < s->dem[j])
            room = true;
        else if (s->w[j] + s->v[j] < level)
            level = s->w[j] + s->v[j];
    }
    return room && level > 0 && level != INT64_MAX;
}

/* Take in arcs keep_m .. m - 1 of a network whose last solve's state is
 * kept: each a row -> column arc inside a component (else false: the full
 * path runs). They join their rows' CSR lists after the old arcs (the
 * order a set-up from scratch gives), the last solution becomes the warm
 * start (as mcf_warm_start with its potentials and flows would make it),
 * and the components to solve again are listed: those with a new arc, and
 * those whose repair would move a price (all, should BIG change). */
static bool reuse_setup(struct asg *s, const struct mcf *m, const int8_t *kind, const int32_t *idx,
                        int64_t from)
{
    int32_t nr = s->nr, nc = s->nc;
    int32_t *more = zc_calloc((size_t)nr + 1, sizeof(*more));
    uint8_t *dirty = zc_calloc((size_t)s->ncomp + 1, 1);
    int64_t cmax = s->cmax, amax = s->amax, nnew = 0;
    bool ok = true, all;

    for (int64_t a = from; a < m->m && ok; a++) {
        int32_t t = m->tail[a], h = m->head[a];
        int64_t c = mcf_cost_(m, a), ac = c < 0 ? -c : c;
        if (mcf_upper_(m, a) == 0)
            continue;
        if (mcf_lower_(m, a) != 0 || kind[t] != K_ROW || kind[h] != K_COL || c < INT32_MIN ||
            c > INT32_MAX) {
            ok = false;
            break;
        }
        int32_t ct = comp_of(s->comp_row, s->ncomp, idx[t]);
        if (ct != comp_of(s->comp_col, s->ncomp, idx[h]))
            ok = false; /* it joins two components: their numbering changes */
        dirty[ct] = 1;
        more[idx[t]]++;
        nnew++;
        cmax = ac > cmax ? ac : cmax;
        amax = ac > amax ? ac : amax;
    }
    all = cmax != s->cmax;
    if (!ok || (all && !set_penalty(s, cmax))) {
        free(more);
        free(dirty);
        return false;
    }
    s->amax = amax;
    if (nnew > 0) {
        /* Each row's list moves up by the new arcs of the rows before it,
         * from the last row back (never onto what is still to be moved),
         * and its new arcs follow in arc order. */
        int64_t npos = s->row_start[nr] + nnew, *fill;
        s->adj = zc_reallocarray(s->adj, (size_t)npos + 1, sizeof(*s->adj));
        fill = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*fill));
        int64_t shift = nnew;
        for (int32_t i = nr - 1; i >= 0; i--) {
            int64_t b = s->row_start[i], len = s->row_start[i + 1] - b;
            shift -= more[i];
            if (shift > 0)
                memmove(s->adj + b + shift, s->adj + b, (size_t)len * sizeof(*s->adj));
            fill[i] = b + shift + len;
            s->row_start[i + 1] = fill[i] + more[i];
        }
        for (int64_t a = from; a < m->m; a++) {
            int32_t t = m->tail[a];
            if (mcf_upper_(m, a) == 0)
                continue;
            int64_t p = fill[idx[t]]++;
            s->adj[p].node = idx[m->head[a]];
            s->adj[p].cost = (int32_t)mcf_cost_(m, a);
        }
        free(fill);
    }
    if (!s->first)
        s->half = m->m; /* one part writes the flows */
    s->rmax = 0;
    for (int32_t c = 0; c < s->ncomp; c++) {
        int64_t arcs = s->row_start[s->comp_row[c + 1]] - s->row_start[s->comp_row[c]];
        s->col_start[s->comp_col[c]] = s->row_start[s->comp_row[c]];
        if (arcs > s->rmax)
            s->rmax = arcs;
    }
    s->col_start[nc] = s->row_start[nr];
    /* The last solution as the warm start: its prices (gamma >= 0 kept) and
     * each row's place. */
    if (!s->wcol) {
        s->wcol = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->wcol));
        s->wcost = zc_calloc((size_t)nr + 1, sizeof(*s->wcost));
    }
    memcpy(s->wcol, s->mcol, (size_t)nr * sizeof(*s->wcol));
    memcpy(s->wcost, s->mcost, (size_t)nr * sizeof(*s->wcost));
    for (int32_t j = 0; j < nc; j++)
        if (s->w[j] < -s->v[j])
            s->w[j] = -s->v[j];
    if (!s->fresh) {
        s->fresh = zc_reallocarray(NULL, (size_t)nr + 1, 1);
        s->comp_fresh = zc_reallocarray(NULL, (size_t)s->ncomp + 1, 1);
    }
    for (int32_t i = 0; i < nr; i++)
        s->fresh[i] = more[i] > 0;
    {
        int32_t *sizes = zc_reallocarray(NULL, (size_t)s->ncomp + 1, sizeof(*sizes));
        s->nrun = 0;
        for (int32_t c = 0; c < s->ncomp; c++) {
            bool shifts = repair_shifts(s, c);
            s->comp_iters[c] = s->comp_warm[c] = 0;
            s->comp_fresh[c] = !all && !shifts;
            sizes[c] = comp_size(s, c);
            if (all || dirty[c] || shifts)
                s->order[s->nrun++] = c;
        }
        qsort_r(s->order, (size_t)s->nrun, sizeof(*s->order), by_size_desc, sizes);
        free(sizes);
    }
    free(more);
    free(dirty);
    return true;
}

/* The warm start of a full set-up from the state kept by the last solve,
 * when the new arcs could not be taken in (as warm_setup() would make it
 * from that solve's potentials and flows): each column's price, each row's
 * place, through the nodes (the numbering may have changed). */
static void warm_keep(struct asg *s, const struct asg_keep *k, const int8_t *kind,
                      const int32_t *idx)
{
    const struct asg *o = &k->s;
    for (int32_t j = 0; j < o->nc; j++) {
        int32_t v = o->col_node[j];
        if (kind[v] == K_COL)
            s->w[idx[v]] = o->w[j] > -s->v[idx[v]] ? o->w[j] : -s->v[idx[v]];
    }
    s->wcol = zc_reallocarray(NULL, (size_t)s->nr + 1, sizeof(*s->wcol));
    s->wcost = zc_calloc((size_t)s->nr + 1, sizeof(*s->wcost));
    for (int32_t i = 0; i < s->nr; i++)
        s->wcol[i] = M_PENDING;
    for (int32_t i = 0; i < o->nr; i++) {
        int32_t v = o->row_node[i], j = o->mcol[i];
        if (kind[v] != K_ROW)
            continue;
        if (j == M_OPTION && s->u_arc[idx[v]] >= 0) {
            s->wcol[idx[v]] = M_OPTION;
        } else if (j >= 0 && kind[o->col_node[j]] == K_COL) {
            s->wcol[idx[v]] = idx[o->col_node[j]];
            s->wcost[idx[v]] = o->mcost[i];
        }
    }
}

/* The full set-up: classify, scan, CSR, the arrays of the searches, the
 * warm start given (or else the one from the state kept, prev); *s is
 * zeroed first. Returns ZC_OK or an error. */
static int full_setup(struct asg *s, struct mcf *m, int8_t *kind, int32_t *idx, int threads,
                      const struct asg_keep *prev, struct zc_error *err)
{
    int32_t stranded;

    memset(s, 0, sizeof(*s));
    if (!classify(m, kind, idx, &s->nr, &s->nc, &stranded, &s->hub))
        return zc_error_set(err, ZC_EINVAL, "the network is not of the transportation shape");
    if (stranded >= 0)
        return zc_error_set(err, ZC_EINFEASIBLE,
                            "no feasible flow: node %d has supply %lld and no arc", stranded,
                            (long long)m->supply[stranded]);
    if (setup(s, m, kind, idx, threads) != ZC_OK) {
        asg_free(s);
        memset(s, 0, sizeof(*s));
        return zc_error_set(err, ZC_EINVAL,
                            "the network is not of the transportation shape (an arc between "
                            "the wrong kinds of node, an unfilled arc below the demand, or "
                            "costs too large)");
    }

    int32_t nr = s->nr, nc = s->nc;
    s->cnt = zc_calloc((size_t)nc + 1, sizeof(*s->cnt));
    s->w = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->w));
    s->mcol = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->mcol));
    s->mcost = zc_calloc((size_t)nr + 1, sizeof(*s->mcost));
    s->hfirst = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->hfirst));
    s->hnext = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->hnext));
    s->hprev = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->hprev));
    s->d = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->d));
    s->e = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->e));
    s->pred_row = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->pred_row));
    s->pred_cost = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->pred_cost));
    s->mark = zc_calloc((size_t)nc + 1, sizeof(*s->mark));
    s->bnext = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->bnext));
    s->bprev = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->bprev));
    s->touched = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->touched));
    s->queue = zc_reallocarray(NULL, (size_t)nr + 1, sizeof(*s->queue));
    s->rlist = zc_reallocarray(NULL, (size_t)nc + 1, sizeof(*s->rlist));
    s->order = zc_reallocarray(NULL, (size_t)s->ncomp + 1, sizeof(*s->order));
    s->comp_iters = zc_calloc((size_t)s->ncomp + 1, sizeof(*s->comp_iters));
    s->comp_warm = zc_calloc((size_t)s->ncomp + 1, sizeof(*s->comp_warm));
    s->col_start = zc_calloc((size_t)nc + 2, sizeof(*s->col_start));
    for (int32_t c = 0; c < s->ncomp; c++) { /* component bounds of the reverse CSR */
        int64_t arcs = s->row_start[s->comp_row[c + 1]] - s->row_start[s->comp_row[c]];
        s->col_start[s->comp_col[c]] = s->row_start[s->comp_row[c]];
        if (arcs > s->rmax)
            s->rmax = arcs;
    }
    s->col_start[nc] = s->row_start[nr];
    for (int32_t j = 0; j < nc; j++)
        s->w[j] = -s->v[j]; /* gamma = 0 */
    for (int32_t i = 0; i < nr; i++)
        s->mcol[i] = M_PENDING;
    if (m->warm_pot || m->warm_via)
        warm_setup(s, m, kind, idx);
    else if (prev)
        warm_keep(s, prev, kind, idx);

    {
        int32_t *sizes = zc_reallocarray(NULL, (size_t)s->ncomp + 1, sizeof(*sizes));
        for (int32_t c = 0; c < s->ncomp; c++) {
            s->order[c] = c;
            sizes[c] = comp_size(s, c);
        }
        qsort_r(s->order, (size_t)s->ncomp, sizeof(*s->order), by_size_desc, sizes);
        free(sizes);
    }
    s->nrun = s->ncomp;
    setup_reverse(s);
    return ZC_OK;
}

int mcf_assign_solve(struct mcf *m, int threads, struct zc_error *err)
{
    struct asg_keep *k = m->keep;
    struct asg *s;
    bool reused = false;
    int rc = ZC_OK;

    m->keep = NULL;
    if (k && m->reuse && reuse_setup(&k->s, m, k->kind, k->idx, m->keep_m)) {
        reused = true;
    } else {
        struct asg_keep *prev = m->reuse ? k : NULL;
        if (!prev)
            mcf_assign_keep_free(k);
        k = zc_calloc(1, sizeof(*k));
        k->kind = zc_calloc((size_t)m->n + 1, sizeof(*k->kind));
        k->idx = zc_calloc((size_t)m->n + 1, sizeof(*k->idx));
        rc = full_setup(&k->s, m, k->kind, k->idx, threads, prev, err);
        mcf_assign_keep_free(prev);
    }
    s = &k->s;
    if (rc == ZC_OK) {
        run_all(s, threads);
        for (int32_t c = 0; c < s->ncomp; c++) {
            m->stats.iterations += s->comp_iters[c];
            m->stats.warm_steps += s->comp_warm[c];
        }
        m->stats.components = s->ncomp;
        m->stats.resolved = s->nrun;
        m->stats.reused = reused;
        rc = write_back(s, m, k->kind, k->idx, err);
    }
    if (rc == ZC_OK && m->reuse && m->m <= MCF_KEEP_ARCS) {
        m->keep = k;
        m->keep_m = m->m;
        m->stats.kept = true;
    } else {
        mcf_assign_keep_free(k);
    }
    return rc;
}
