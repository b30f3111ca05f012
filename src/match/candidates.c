/* SPDX-License-Identifier: MIT */
/* candidates.c - candidate pruning: which (cadre, slot column) arcs the
 * start graph keeps. For each cadre the K best villages in reach, and for
 * each slot column the M best cadres who may take it (at most M/3 of one
 * unit), scored on two threads; the optional second round (--rounds 2)
 * adds, for every column the first solve left open, the best idle cadres.
 * Pricing (price.c) then adds whatever the pruning left out that could
 * improve the plan, so the pruning decides only how fast the optimum is
 * reached, not what it is. */
#include "model_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* ---- candidates ------------------------------------------------------------------ */

struct cand {
    int32_t score; /* fit */
    int32_t other; /* village (cadre lists) or cadre (column lists) */
    uint32_t tie;  /* hash of the pair: spreads equal scores deterministically */
};

/* Equal fits are common (a unit's cadres score a county's villages alike):
 * breaking ties by index would send every cadre to the same few villages,
 * so ties go by a hash of the pair instead. */
static uint32_t pair_hash(int32_t c, int32_t v)
{
    uint64_t x = ((uint64_t)(uint32_t)c << 32 | (uint32_t)v) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 32);
}

/* A min-heap of the best `cap` by (score desc, tie asc, other asc). */
static bool cand_better(struct cand a, struct cand b)
{
    if (a.score != b.score)
        return a.score > b.score;
    if (a.tie != b.tie)
        return a.tie < b.tie;
    return a.other < b.other;
}

static void heap_push(struct cand *h, int *n, int cap, struct cand c)
{
    int i;
    if (*n == cap) {
        if (!cand_better(c, h[0]))
            return;
        i = 0; /* replace the worst and sift down */
        for (;;) {
            int l = 2 * i + 1, r = l + 1, w = i;
            struct cand cw = c;
            if (l < *n && cand_better(cw, h[l]))
                w = l, cw = h[l];
            if (r < *n && cand_better(cw, h[r]))
                w = r;
            if (w == i)
                break;
            h[i] = h[w];
            i = w;
        }
        h[i] = c;
        return;
    }
    i = (*n)++;
    while (i > 0 && cand_better(h[(i - 1) / 2], c)) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = c;
}

static int cmp_by_unit(const void *a, const void *b, void *ud)
{
    const struct model *m = ud;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    if (m->cad[x].unit != m->cad[y].unit)
        return m->cad[x].unit < m->cad[y].unit ? -1 : 1;
    return (x > y) - (x < y);
}

static void add_arc_rec(struct model *m, int32_t c, int32_t s, int32_t score)
{
    if (m->narcs == m->cap_arcs) {
        m->cap_arcs = m->cap_arcs ? m->cap_arcs * 2 : 4096;
        m->arc_cadre = zc_reallocarray(m->arc_cadre, (size_t)m->cap_arcs, sizeof(int32_t));
        m->arc_slot = zc_reallocarray(m->arc_slot, (size_t)m->cap_arcs, sizeof(int32_t));
        m->arc_score = zc_reallocarray(m->arc_score, (size_t)m->cap_arcs, sizeof(int32_t));
    }
    m->arc_cadre[m->narcs] = c;
    m->arc_slot[m->narcs] = s;
    m->arc_score[m->narcs] = score;
    m->narcs++;
}

/* Candidate pruning, one worker's share: a range of cadres (whole units, in
 * unit order) scored against every village in their units' reach. Each
 * worker keeps its own column heaps; they are merged afterwards. The kept
 * sets depend only on the total order of cand_better, not on the split. */
struct cand_work {
    struct model *m;
    const int32_t *order;  /* cadres by unit */
    int32_t k0, k1;        /* this worker's range of order */
    int K, M;              /* villages per cadre, cadres per column */
    int per_unit;          /* L: of those M, at most this many of one unit */
    struct cand *colh;     /* per column (its first slot): M best, a min-heap */
    int *coln;             /* entries in each column heap */
    int32_t *base;         /* per village: the current unit's part of the fit */
    int64_t *vthr;         /* per village: the lowest key one of its column heaps takes */
    struct cand *uh;       /* per column: the current unit's best L (a min-heap) */
    int *un;               /* entries in each of those */
    int64_t *uthr;         /* per village: the lowest key one of the unit's heaps takes */
    int32_t *pc, *pv, *ps; /* kept pairs: cadre, village, score */
    size_t npairs, cap;
};

/* A kept pair: cadre c, village v. It becomes an arc to every column of v
 * the cadre may take, whether the pair came from the cadre's best villages
 * or from one column's best cadres (measured: arcs to the one column only
 * fill fewer first-secretary slots, as the solver has less room to swap). */
static void work_pair(struct cand_work *w, int32_t c, int32_t v, int32_t score)
{
    if (w->npairs == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 4096;
        w->pc = zc_reallocarray(w->pc, w->cap, sizeof(int32_t));
        w->pv = zc_reallocarray(w->pv, w->cap, sizeof(int32_t));
        w->ps = zc_reallocarray(w->ps, w->cap, sizeof(int32_t));
    }
    w->pc[w->npairs] = c;
    w->pv[w->npairs] = v;
    w->ps[w->npairs] = score;
    w->npairs++;
}

/* The inner loop runs once per (cadre, village in reach): about 50M times
 * on a province. It computes the score from flat per-village data and
 * touches a heap only when the score can enter it (the heaps' worst
 * entries are compared first, the tie hash computed only then). */
/* The order of cand_better as one integer (larger is better), so that a
 * threshold test is one comparison; `other` only breaks equal hashes. */
static int64_t cand_key(int32_t score, uint32_t tie)
{
    return (int64_t)score * 4294967296 + (int64_t)(UINT32_MAX - tie);
}

static int64_t heap_floor(const struct cand *h, int n, int cap)
{
    return n < cap ? INT64_MIN : cand_key(h[0].score, h[0].tie);
}

/* The lowest key one of village v's column heaps (h, n of capacity cap
 * each) still takes: below it, a pair enters none of them. */
static int64_t village_floor(const struct model *m, const struct mvillage *vv, const struct cand *h,
                             const int *n, int cap)
{
    int64_t f = INT64_MAX;
    for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
        int64_t t = heap_floor(h + (size_t)s * (size_t)cap, n[s], cap);
        if (m->slot[s].col == s && t < f)
            f = t;
    }
    return f;
}

/* The inner loop runs once per (cadre, village in reach): about 50M times
 * on a province. It computes the score from flat per-village data and
 * compares one integer key with the village's floors; heaps are touched
 * only by pairs that enter them. A unit's cadres first compete among
 * themselves for L places per column (equal scores are the rule inside a
 * unit, so the hash decides, and a column's best would otherwise all be of
 * the one unit that fits the village best, whose draw cap then strands
 * it); the unit's best L then enter the column's heap of M. The kept sets
 * depend only on the order of cand_better, not on the split of the work. */
static void *cand_run(void *arg)
{
    struct cand_work *w = arg;
    struct model *m = w->m;
    const struct policy_fit *f = &m->pol.fit;
    struct cand *ch = zc_malloc((size_t)w->K * sizeof(*ch));
    const int K = w->K, M = w->M, L = w->per_unit;

    for (int32_t k = w->k0; k < w->k1;) {
        int32_t u = m->cad[w->order[k]].unit, end = k;
        const struct munit *un = &m->unit[u];
        int32_t vb =
            model_village_lower(m, un->reach_lo > m->scope_lo ? un->reach_lo : m->scope_lo);
        int64_t hi = un->reach_hi < m->scope_hi ? un->reach_hi : m->scope_hi;
        int32_t ve = hi == INT64_MAX ? m->nvil : model_village_lower(m, hi + 1);
        while (end < w->k1 && m->cad[w->order[end]].unit == u)
            end++;
        for (int32_t v = vb; v < ve; v++) {
            w->base[v] = model_unit_part(m, u, &m->vil[v], NULL);
            w->uthr[v] = INT64_MIN;
        }
        for (; k < end; k++) {
            int32_t ci = w->order[k];
            const struct mcadre *c = &m->cad[ci];
            int nh = 0;
            int fixed = (c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0;
            int rural = (c->flags & MC_RURAL) ? f->w_rural_deep : 0;
            if (c->flags & (MC_PINNED | MC_NOMINATED))
                continue;
            if (un->cap == 0 && !(c->flags & MC_SERVING))
                continue;
            for (int32_t v = vb; v < ve; v++) {
                const struct mvillage *vv = &m->vil[v];
                uint64_t both = c->skills & vv->needs;
                struct cand cc;
                int64_t key;
                if (model_barred(c, vv) || !model_village_ok(m, c, vv))
                    continue;
                cc.score = w->base[v] + fixed + (vv->klass == PV_DEEP ? rural : 0);
                if (both)
                    cc.score += f->w_skill_need * __builtin_popcountll(both);
                if (c->npref && model_preferred(m, c, vv->code))
                    cc.score += f->w_preferred;
                cc.tie = pair_hash(ci, v);
                key = cand_key(cc.score, cc.tie);
                if (key >= heap_floor(ch, nh, K)) {
                    cc.other = v;
                    heap_push(ch, &nh, K, cc);
                }
                if (key < w->uthr[v] || key < w->vthr[v])
                    continue; /* enters no column: the common case */
                cc.other = ci;
                for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                    struct cand *h = w->uh + (size_t)s * (size_t)L;
                    if (m->slot[s].col == s && key >= heap_floor(h, w->un[s], L) &&
                        model_role_ok(c, &m->slot[s]))
                        heap_push(h, &w->un[s], L, cc);
                }
                w->uthr[v] = village_floor(m, vv, w->uh, w->un, L);
            }
            for (int j = 0; j < nh; j++)
                work_pair(w, ci, ch[j].other, ch[j].score);
        }
        /* The unit's best L per column enter the columns' heaps. */
        for (int32_t v = vb; v < ve; v++) {
            const struct mvillage *vv = &m->vil[v];
            bool any = false;
            for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                for (int j = 0; j < w->un[s]; j++)
                    heap_push(w->colh + (size_t)s * (size_t)M, &w->coln[s], M,
                              w->uh[(size_t)s * (size_t)L + (size_t)j]);
                any = any || w->un[s] > 0;
                w->un[s] = 0;
            }
            if (any)
                w->vthr[v] = village_floor(m, vv, w->colh, w->coln, M);
        }
    }
    free(ch);
    return NULL;
}

int32_t model_split_units(const struct model *m, const int32_t *order)
{
    int64_t all = 0, acc = 0;
    int64_t *wt = zc_malloc(((size_t)m->ncad + 1) * sizeof(int64_t));
    int32_t cut = 0;
    for (int32_t k = 0; k < m->ncad; k++) {
        const struct munit *un = &m->unit[m->cad[order[k]].unit];
        int64_t hi = un->reach_hi < m->scope_hi ? un->reach_hi : m->scope_hi;
        int32_t vb =
            model_village_lower(m, un->reach_lo > m->scope_lo ? un->reach_lo : m->scope_lo);
        int32_t ve = hi == INT64_MAX ? m->nvil : model_village_lower(m, hi + 1);
        wt[k] = 1 + (ve > vb ? ve - vb : 0);
        all += wt[k];
    }
    while (cut < m->ncad && acc + wt[cut] <= all / 2)
        acc += wt[cut++];
    while (cut > 0 && cut < m->ncad && m->cad[order[cut]].unit == m->cad[order[cut - 1]].unit)
        cut++;
    free(wt);
    return cut;
}

/* Candidates: for each cadre the K best villages in reach, and for each
 * slot column the M best cadres who may take it (so that pruning never
 * strands a slot whose role few cadres meet, such as the stability cadre).
 * Two workers share the cadres when there are many. Then every kept
 * (cadre, village) pair becomes an arc to each column of the village the
 * cadre may take; pairs are bucketed by cadre (arcs grouped by cadre). */
void model_candidates(struct model *m)
{
    int K = m->opt.k_villages > 0 ? m->opt.k_villages : DEFAULT_K;
    int M = m->opt.m_per_village > 0 ? m->opt.m_per_village : DEFAULT_M;
    int nw = m->opt.threads >= 2 || (m->opt.threads == 0 && m->ncad >= 4000) ? 2 : 1;
    int32_t *order = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    int32_t *start = zc_calloc((size_t)m->ncad + 2, sizeof(int32_t));
    struct cand_work w[2];
    pthread_t tid;
    bool threaded = false;
    int32_t *bv, *bs, *fill;
    size_t total = 0;

    for (int32_t i = 0; i < m->ncad; i++)
        order[i] = i;
    qsort_r(order, (size_t)m->ncad, sizeof(int32_t), cmp_by_unit, m);
    memset(w, 0, sizeof(w));
    for (int i = 0; i < nw; i++) {
        w[i].m = m;
        w[i].order = order;
        w[i].K = K;
        w[i].M = M;
        w[i].per_unit = M / 3 > 1 ? M / 3 : 1;
        w[i].colh = zc_malloc(((size_t)m->nslots * (size_t)M + 1) * sizeof(struct cand));
        w[i].coln = zc_calloc((size_t)m->nslots + 1, sizeof(int));
        w[i].base = zc_malloc(((size_t)m->nvil + 1) * sizeof(int32_t));
        w[i].vthr = zc_malloc(((size_t)m->nvil + 1) * sizeof(int64_t));
        w[i].uthr = zc_malloc(((size_t)m->nvil + 1) * sizeof(int64_t));
        for (int32_t v = 0; v < m->nvil; v++)
            w[i].vthr[v] = INT64_MIN;
        w[i].uh = zc_malloc(((size_t)m->nslots * (size_t)w[i].per_unit + 1) * sizeof(struct cand));
        w[i].un = zc_calloc((size_t)m->nslots + 1, sizeof(int));
    }
    w[0].k0 = 0;
    w[0].k1 = m->ncad;
    if (nw == 2) {
        int32_t cut = model_split_units(m, order);
        w[0].k1 = cut;
        w[1].k0 = cut;
        w[1].k1 = m->ncad;
        threaded = pthread_create(&tid, NULL, cand_run, &w[1]) == 0;
    }
    cand_run(&w[0]);
    if (nw == 2) {
        if (threaded)
            pthread_join(tid, NULL);
        else
            cand_run(&w[1]);
        /* Merge the second worker's column heaps into the first's. */
        for (int32_t s = 0; s < m->nslots; s++)
            for (int j = 0; j < w[1].coln[s]; j++)
                heap_push(w[0].colh + (size_t)s * (size_t)M, &w[0].coln[s], M,
                          w[1].colh[(size_t)s * (size_t)M + (size_t)j]);
    }
    for (int32_t s = 0; s < m->nslots; s++) {
        const struct cand *h = w[0].colh + (size_t)s * (size_t)M;
        for (int j = 0; j < w[0].coln[s]; j++)
            work_pair(&w[0], h[j].other, m->slot[s].village, h[j].score);
    }
    /* Bucket the pairs by cadre, then order each cadre's few by village. */
    for (int i = 0; i < nw; i++)
        for (size_t p = 0; p < w[i].npairs; p++)
            start[w[i].pc[p] + 1]++;
    for (int32_t c = 0; c < m->ncad; c++)
        start[c + 1] += start[c];
    total = (size_t)start[m->ncad];
    bv = zc_malloc((total + 1) * sizeof(int32_t));
    bs = zc_malloc((total + 1) * sizeof(int32_t));
    fill = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    memcpy(fill, start, (size_t)m->ncad * sizeof(int32_t));
    for (int i = 0; i < nw; i++) {
        for (size_t p = 0; p < w[i].npairs; p++) {
            int32_t at = fill[w[i].pc[p]]++, c = w[i].pc[p];
            /* insertion by village keeps the bucket sorted */
            while (at > start[c] && bv[at - 1] > w[i].pv[p]) {
                bv[at] = bv[at - 1];
                bs[at] = bs[at - 1];
                at--;
            }
            bv[at] = w[i].pv[p];
            bs[at] = w[i].ps[p];
        }
    }
    /* Arcs: each kept (cadre, village) pair to every column the cadre may
     * take there; a serving cadre (refill with moves) also to the slot they
     * hold. */
    m->narcs = 0;
    for (int32_t c = 0; c < m->ncad; c++) {
        struct mcadre *cd = &m->cad[c];
        cd->arc_begin = m->narcs;
        if (cd->cur_slot >= 0)
            add_arc_rec(m, c, cd->cur_slot, model_fit_slot(m, c, cd->cur_slot, NULL));
        if (cd->flags & MC_NOMINATED) { /* the pinned village's columns only */
            const struct mvillage *vv = &m->vil[cd->pin_v];
            for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++)
                if (model_pin_column(m, cd, s))
                    add_arc_rec(m, c, s, model_fit_slot(m, c, s, NULL));
            cd->arc_end = m->narcs;
            continue;
        }
        for (int32_t p = start[c]; p < start[c + 1]; p++) {
            const struct mvillage *vv = &m->vil[bv[p]];
            if (p > start[c] && bv[p - 1] == bv[p])
                continue; /* already there */
            for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++)
                if (m->slot[s].col == s && s != cd->cur_slot && model_role_ok(cd, &m->slot[s]))
                    add_arc_rec(m, c, s, model_slot_score(m, cd, &m->slot[s], bs[p]));
        }
        cd->arc_end = m->narcs;
    }
    for (int i = 0; i < nw; i++) {
        free(w[i].colh);
        free(w[i].coln);
        free(w[i].base);
        free(w[i].vthr);
        free(w[i].uthr);
        free(w[i].uh);
        free(w[i].un);
        free(w[i].pc);
        free(w[i].pv);
        free(w[i].ps);
    }
    free(bv);
    free(bs);
    free(fill);
    free(start);
    free(order);
}

/* ---- second round ------------------------------------------------------------ */

/* Does cadre c have an arc into village v already? (A cadre has a few
 * dozen arcs; this runs only for pairs that would enter a heap.) */
static bool has_arc_to(const struct model *m, int32_t c, int32_t v)
{
    for (int64_t a = m->cad[c].arc_begin; a < m->cad[c].arc_end; a++)
        if (m->slot[m->arc_slot[a]].village == v)
            return true;
    return false;
}

struct pair3 {
    int32_t c, v, score; /* cadre, village, fit */
};

static int cmp_pair3(const void *a, const void *b)
{
    const struct pair3 *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/* The second round's pairs, by cadre and village, become arcs to every
 * column of the village the cadre may take (a pair kept by two columns of
 * one village counts once). Returns the number of arcs added. */
static int64_t second_round_arcs(struct model *m, const struct cand *colh, const int *coln, int M)
{
    int64_t np = 0, n = 0, cap = 1024;
    struct pair3 *pp;
    int32_t *nc = zc_malloc((size_t)cap * sizeof(int32_t));
    int32_t *ns = zc_malloc((size_t)cap * sizeof(int32_t));
    int32_t *nsc = zc_malloc((size_t)cap * sizeof(int32_t));
    for (int32_t s = 0; s < m->nslots; s++)
        np += coln[s];
    pp = zc_malloc(((size_t)np + 1) * sizeof(*pp));
    np = 0;
    for (int32_t s = 0; s < m->nslots; s++)
        for (int j = 0; j < coln[s]; j++)
            pp[np++] =
                (struct pair3){colh[(size_t)s * (size_t)M + (size_t)j].other, m->slot[s].village,
                               colh[(size_t)s * (size_t)M + (size_t)j].score};
    qsort(pp, (size_t)np, sizeof(*pp), cmp_pair3);
    for (int64_t k = 0; k < np; k++) {
        const struct mcadre *cd = &m->cad[pp[k].c];
        const struct mvillage *vv = &m->vil[pp[k].v];
        if (k > 0 && pp[k - 1].c == pp[k].c && pp[k - 1].v == pp[k].v)
            continue;
        for (int32_t t = vv->first_slot; t < vv->first_slot + vv->nslots; t++) {
            if (m->slot[t].col != t || !model_role_ok(cd, &m->slot[t]))
                continue;
            if (n == cap) {
                cap *= 2;
                nc = zc_reallocarray(nc, (size_t)cap, sizeof(int32_t));
                ns = zc_reallocarray(ns, (size_t)cap, sizeof(int32_t));
                nsc = zc_reallocarray(nsc, (size_t)cap, sizeof(int32_t));
            }
            nc[n] = pp[k].c;
            ns[n] = t;
            nsc[n++] = model_slot_score(m, cd, &m->slot[t], pp[k].score);
        }
    }
    model_merge_arcs(m, nc, ns, nsc, n);
    free(pp);
    free(nc);
    free(ns);
    free(nsc);
    return n;
}

/* Second round: the first solve leaves a slot open only when all its
 * candidates went elsewhere; the cadres still idle may include ones the
 * pruning kept away from it. For every column left open, the M best idle
 * cadres who may take it (in reach, outside their home county, without an
 * arc into its village) become candidates of its village, and the model is
 * solved again, exactly, over the larger graph. Returns the number of arcs
 * added (0: nothing to gain, no second solve). */
int64_t model_second_round(struct model *m)
{
    const struct policy_fit *f = &m->pol.fit;
    int M = m->opt.m_per_village > 0 ? m->opt.m_per_village : DEFAULT_M;
    int32_t *openv = zc_malloc(((size_t)m->nvil + 1) * sizeof(int32_t));
    uint8_t *open = zc_calloc((size_t)m->nslots + 1, 1);
    int32_t *idle = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    struct cand *colh = zc_malloc(((size_t)m->nslots * (size_t)M + 1) * sizeof(*colh));
    int *coln = zc_calloc((size_t)m->nslots + 1, sizeof(int));
    int32_t *base = zc_malloc(((size_t)m->nvil + 1) * sizeof(int32_t));
    int64_t *vfloor = zc_malloc(((size_t)m->nvil + 1) * sizeof(int64_t));
    int32_t nopen = 0, nidle = 0;
    int64_t added = 0;

    for (int32_t s = 0; s < m->nslots; s++)
        if (m->slot[s].cadre < 0)
            open[m->slot[s].col] = 1;
    for (int32_t v = 0; v < m->nvil; v++) {
        const struct mvillage *vv = &m->vil[v];
        for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
            if (open[s]) {
                openv[nopen++] = v;
                break;
            }
        }
    }
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *cd = &m->cad[c];
        /* A unit at its cap counts too: its idle cadre may go in place of
         * one it sends to a lower-priority slot (measured on hebei-2016:
         * 7,124 first secretaries without them, 7,331 with). */
        if (cd->node >= 0 && cd->slot < 0 && !(cd->flags & (MC_SERVING | MC_PINNED)))
            idle[nidle++] = c;
    }
    qsort_r(idle, (size_t)nidle, sizeof(int32_t), cmp_by_unit, m);
    for (int32_t k = 0; k < nidle && nopen > 0;) {
        int32_t u = m->cad[idle[k]].unit, end = k, ob, oe, lo, hi;
        const struct munit *un = &m->unit[u];
        int64_t rlo = un->reach_lo, rhi = un->reach_hi;
        while (end < nidle && m->cad[idle[end]].unit == u)
            end++;
        /* The open villages in reach: a range of openv (codes ascending). */
        for (lo = 0, hi = nopen; lo < hi;) {
            int32_t mid = lo + (hi - lo) / 2;
            if (m->vil[openv[mid]].code < rlo)
                lo = mid + 1;
            else
                hi = mid;
        }
        ob = lo;
        for (hi = nopen; lo < hi;) {
            int32_t mid = lo + (hi - lo) / 2;
            if (m->vil[openv[mid]].code <= rhi)
                lo = mid + 1;
            else
                hi = mid;
        }
        oe = lo;
        /* The unit's part once per open village (distance is trigonometry). */
        for (int32_t o = ob; o < oe; o++) {
            const struct mvillage *vv = &m->vil[openv[o]];
            base[o] = model_unit_part(m, u, vv, NULL);
            vfloor[o] = INT64_MAX;
            for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                int64_t t = heap_floor(colh + (size_t)s * (size_t)M, coln[s], M);
                if (open[s] && t < vfloor[o])
                    vfloor[o] = t;
            }
        }
        for (; k < end; k++) {
            int32_t ci = idle[k];
            const struct mcadre *c = &m->cad[ci];
            for (int32_t o = ob; o < oe; o++) {
                int32_t v = openv[o];
                const struct mvillage *vv = &m->vil[v];
                uint64_t both = c->skills & vv->needs;
                struct cand cc;
                int64_t key;
                bool checked = false;
                if (model_barred(c, vv) || !model_village_ok(m, c, vv))
                    continue;
                cc.score = base[o] + ((c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0) +
                           ((c->flags & MC_RURAL) && vv->klass == PV_DEEP ? f->w_rural_deep : 0);
                if (both)
                    cc.score += f->w_skill_need * __builtin_popcountll(both);
                if (c->npref && model_preferred(m, c, vv->code))
                    cc.score += f->w_preferred;
                cc.tie = pair_hash(ci, v);
                cc.other = ci;
                key = cand_key(cc.score, cc.tie);
                if (key < vfloor[o])
                    continue; /* enters none of its open columns */
                for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                    struct cand *h = colh + (size_t)s * (size_t)M;
                    if (!open[s] || key < heap_floor(h, coln[s], M) ||
                        !model_role_ok(c, &m->slot[s]))
                        continue;
                    if (!checked) {
                        checked = true;
                        if (has_arc_to(m, ci, v))
                            break;
                    }
                    heap_push(h, &coln[s], M, cc);
                }
                if (checked) {
                    vfloor[o] = INT64_MAX;
                    for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                        int64_t t = heap_floor(colh + (size_t)s * (size_t)M, coln[s], M);
                        if (open[s] && t < vfloor[o])
                            vfloor[o] = t;
                    }
                }
            }
        }
    }
    added = second_round_arcs(m, colh, coln, M);
    free(openv);
    free(open);
    free(idle);
    free(colh);
    free(coln);
    free(base);
    free(vfloor);
    return added;
}
