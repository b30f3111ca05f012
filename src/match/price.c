/* SPDX-License-Identifier: MIT */
/* price.c - certifying the plan over the whole model (column generation).
 *
 * The network model_build() solves holds only the candidate arcs the
 * pruning kept (K villages per cadre, M cadres per column). The full model
 * has an arc from every cadre to every slot column they may take: in
 * reach, outside their hometown, the role and need met. After a solve,
 * the node potentials pi price every arc of the full model without
 * building it:
 *
 *     rc(c -> s) = cost(c, s) + pi(c) - pi(s),  cost = -fit (+ the move penalty)
 *
 * An arc left out with rc < 0 could lower the objective; the most negative
 * ones (at most PRICE_PER_COLUMN per column and pass) join the network and
 * it is solved again. When a pass finds none, the potentials are feasible
 * duals of the full model and the flow is optimal for it: the plan is
 * certified (the network is totally unimodular, so the LP optimum is the
 * integer one).
 *
 * Every pass also yields a lower bound without waiting for the end
 * (Lagrangian duality): for any potentials, objective + the sum of the
 * negative reduced costs of the arcs left out (each of capacity 1) bounds
 * the full model's optimum from below. Cadres outside the network (no kept
 * arc at all) enter it on the first pass that finds a slot for them: their
 * node would change the network's supplies, so the bound of that pass is
 * not claimed.
 *
 * Rules that are not a flow: a spouse left out so that a couple is never
 * both sent (spouses across two units whose caps bind, lay_out_nodes) is
 * priced as a free cadre of the relaxation without that couple rule, so
 * the bound stays valid for the true model and the gap shows what the
 * rule may cost. The refill's limit on moves (pinning) is bounded by the
 * certified optimum before pinning (model.c). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "match/model_int.h"

/* A column's best entrants in one pass: a max-heap on rc keeps the most
 * negative ones. */
struct hit {
    int64_t rc;
    int32_t cadre;
    int32_t score;
};

/* Worse entrant first: larger rc, then larger cadre index (a total
 * order, so that the kept set does not depend on the order of pushes). */
static bool hit_worse(struct hit a, struct hit b)
{
    return a.rc != b.rc ? a.rc > b.rc : a.cadre > b.cadre;
}

static void hit_push(struct hit *h, int *n, int cap, struct hit x)
{
    int i;
    if (*n == cap) {
        if (!hit_worse(h[0], x))
            return;
        i = 0;
        for (;;) {
            int l = 2 * i + 1, r = l + 1, w = i;
            struct hit wx = x;
            if (l < *n && hit_worse(h[l], wx))
                w = l, wx = h[l];
            if (r < *n && hit_worse(h[r], wx))
                w = r;
            if (w == i)
                break;
            h[i] = h[w];
            i = w;
        }
        h[i] = x;
        return;
    }
    i = (*n)++;
    while (i > 0 && hit_worse(x, h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static int cmp_unit(const void *a, const void *b, void *ud)
{
    const struct model *m = ud;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    if (m->cad[x].unit != m->cad[y].unit)
        return m->cad[x].unit < m->cad[y].unit ? -1 : 1;
    return (x > y) - (x < y);
}

/* Does cadre c hold an arc to column s? (A cadre has a few dozen arcs;
 * asked only for arcs that price negative.) */
static bool has_arc(const struct model *m, int32_t c, int32_t s)
{
    for (int64_t a = m->cad[c].arc_begin; a < m->cad[c].arc_end; a++)
        if (m->arc_slot[a] == s)
            return true;
    return false;
}

/* Columns of village v cadre c may take, for counting the arcs priced (a
 * post's seats one by one: each has its requirements). */
static int64_t columns_for(const struct model *m, const struct mcadre *c, const int32_t *cnt,
                           int32_t v)
{
    const int32_t *k = cnt + (size_t)v * 4;
    int64_t n = k[0];
    if (m->vil[v].post_level) {
        const struct mvillage *vv = &m->vil[v];
        n = 0;
        for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++)
            n += m->slot[s].col == s && model_role_ok(c, &m->slot[s]);
        return n;
    }
    if (c->flags & MC_FS)
        n += k[1];
    if (c->flags & MC_LEADER)
        n += k[2];
    if (c->flags & MC_STAB)
        n += k[3];
    return n + __builtin_popcountll(c->skills & m->vil[v].need_open);
}

/* Merge new arcs (cadre, column, score) into the arc arrays, which stay
 * grouped by cadre (arc_begin .. arc_end), each cadre's old arcs first.
 * The cadres' ranges are consecutive in cadre order (as model_candidates
 * and this merge leave them), so the arrays grow in place: from the last
 * cadre back, each range moves up by the new arcs of the cadres before it
 * (never onto what is still to be moved). */
void model_merge_arcs(struct model *m, const int32_t *nc, const int32_t *ns, const int32_t *nsc,
                      int64_t n)
{
    int64_t *start = zc_calloc((size_t)m->ncad + 2, sizeof(int64_t));
    int64_t *pos = zc_malloc(((size_t)n + 1) * sizeof(int64_t));
    int64_t *fill, na = m->narcs + n;

    for (int64_t i = 0; i < n; i++)
        start[nc[i] + 1]++;
    for (int32_t c = 0; c < m->ncad; c++)
        start[c + 1] += start[c];
    fill = zc_malloc(((size_t)m->ncad + 1) * sizeof(int64_t));
    memcpy(fill, start, (size_t)m->ncad * sizeof(int64_t));
    for (int64_t i = 0; i < n; i++)
        pos[fill[nc[i]]++] = i;
    if (na + 1 > m->cap_arcs) {
        int64_t cap = na + na / 4 + 1; /* room for the next passes' arcs */
        m->arc_cadre = zc_reallocarray(m->arc_cadre, (size_t)cap, sizeof(int32_t));
        m->arc_slot = zc_reallocarray(m->arc_slot, (size_t)cap, sizeof(int32_t));
        m->arc_score = zc_reallocarray(m->arc_score, (size_t)cap, sizeof(int32_t));
        if (m->arc_net)
            m->arc_net = zc_reallocarray(m->arc_net, (size_t)cap, sizeof(int32_t));
        m->cap_arcs = cap;
    }
    for (int32_t c = m->ncad - 1; c >= 0; c--) {
        struct mcadre *cd = &m->cad[c];
        int64_t old = cd->arc_end - cd->arc_begin, b = cd->arc_begin + start[c], e = b + old;
        memmove(m->arc_slot + b, m->arc_slot + cd->arc_begin, (size_t)old * sizeof(int32_t));
        memmove(m->arc_score + b, m->arc_score + cd->arc_begin, (size_t)old * sizeof(int32_t));
        if (m->arc_net)
            memmove(m->arc_net + b, m->arc_net + cd->arc_begin, (size_t)old * sizeof(int32_t));
        for (int64_t p = start[c]; p < start[c + 1]; p++) {
            if (m->arc_net)
                m->arc_net[e] = -1; /* not in the network yet (build.c appends it) */
            m->arc_slot[e] = ns[pos[p]];
            m->arc_score[e++] = nsc[pos[p]];
        }
        for (int64_t a = b; a < e; a++)
            m->arc_cadre[a] = c;
        cd->arc_begin = b;
        cd->arc_end = e;
    }
    m->narcs = na;
    free(start);
    free(pos);
    free(fill);
}

/* Column prices are kept per village and role class, so that a village
 * whose dear column is one the cadre cannot take (an open 综治维稳 post for
 * a cadre without the qualification) is passed over; the seats of posts
 * above the village (挂职) are a class of their own. */
enum { VR_MEMBER, VR_FS, VR_LEADER, VR_STAB, VR_NEED, VR_POST, VR_N };

static int role_class(int role)
{
    switch (role) {
    case MR_FIRST_SECRETARY:
        return VR_FS;
    case MR_LEADER:
        return VR_LEADER;
    case MR_STABILITY:
        return VR_STAB;
    case MR_NEED:
        return VR_NEED;
    case MR_POST:
        return VR_POST;
    default:
        return VR_MEMBER;
    }
}

/* The dearest column of village v among the classes flags/skills allow
 * (INT64_MIN: none). */
static int64_t dearest(const int64_t *vmax, const struct mvillage *vv, int32_t v, unsigned flags,
                       uint64_t skills)
{
    const int64_t *vm = vmax + (size_t)v * VR_N;
    int64_t best = vm[VR_MEMBER];
    if ((flags & MC_FS) && vm[VR_FS] > best)
        best = vm[VR_FS];
    if ((flags & MC_LEADER) && vm[VR_LEADER] > best)
        best = vm[VR_LEADER];
    if ((flags & MC_STAB) && vm[VR_STAB] > best)
        best = vm[VR_STAB];
    if ((skills & vv->need_open) && vm[VR_NEED] > best)
        best = vm[VR_NEED];
    /* A post's seats: any cadre may meet some post's requirements (a bound
     * that is too high costs a visit, never an arc). */
    if (vm[VR_POST] > best)
        best = vm[VR_POST];
    return best;
}

#define PRICE_SORT_MIN 32 /* a unit's villages are sorted by key above this many cadres */

/* A village of a unit's reach with its key (see model_price). */
struct kv {
    int64_t key;
    int32_t v;
    int32_t base; /* the unit's part of the fit there */
};

/* What stays from pass to pass (model_pricing.cache): the cadres by unit
 * and the workers' split, each unit's villages with its part of the fit
 * (distances are trigonometry; the part never changes), and the workers'
 * buffers. */
#define PRICE_CACHE_MAX ((int64_t)16 << 20) /* (village, part) pairs kept at most */

struct vpart {
    int32_t v, base;
};

struct price_buf {
    struct kv *list; /* the unit's villages (2 x nvil: all, then the changed) */
    struct hit *heap;
    int *hn;
    int64_t *top; /* column -> rc of its heap's worst entrant once full, else INT64_MAX */
};

struct price_cache {
    int32_t *order; /* cadres by unit */
    int32_t cut;    /* the second worker's first position in order */
    int64_t *off;   /* unit -> its villages in pool (nunits + 1), or NULL: not kept */
    struct vpart *pool;
    uint8_t *filled; /* unit -> its villages are in pool */
    /* Each unit's list of the last pass (at pool's offsets, when the pool
     * is small enough), with the cadres' flags and skills it was keyed
     * for: the next pass re-keys only the villages whose dearest columns
     * moved and merges them back into the order. */
    struct kv *lists;
    int32_t *nlist;     /* unit -> entries in its list, -1 before the first */
    unsigned *lflags;   /* unit -> uflags of its list */
    uint64_t *lskills;  /* unit -> uskills of its list */
    int64_t *last_vmax; /* village x role class -> the dearest column last pass */
    struct price_buf buf[2];
};

#define PRICE_LISTS_MAX ((int64_t)4 << 20) /* (village, key) entries kept at most */

/* Dearest key first, then by village: a total order, so any sort gives
 * the same list. */
static bool kv_before(const struct kv *x, const struct kv *y)
{
    return x->key != y->key ? x->key > y->key : x->v < y->v;
}

/* Sort a unit's villages (kv_before): quicksort on the median of three,
 * insertion sort below 16, the smaller side first (the stack stays
 * log n deep). Inline comparisons: qsort's calls were most of the time. */
static void kv_sort(struct kv *a, int32_t n)
{
    while (n > 16) {
        int32_t mid = n / 2, i = 0, j = n - 1;
        struct kv t;
        if (kv_before(&a[mid], &a[0]))
            t = a[mid], a[mid] = a[0], a[0] = t;
        if (kv_before(&a[n - 1], &a[0]))
            t = a[n - 1], a[n - 1] = a[0], a[0] = t;
        if (kv_before(&a[n - 1], &a[mid]))
            t = a[n - 1], a[n - 1] = a[mid], a[mid] = t;
        struct kv pivot = a[mid];
        for (;;) {
            while (kv_before(&a[i], &pivot))
                i++;
            while (kv_before(&pivot, &a[j]))
                j--;
            if (i >= j)
                break;
            t = a[i], a[i] = a[j], a[j] = t;
            i++;
            j--;
        }
        /* a[0 .. j] <= pivot <= a[j + 1 .. n) */
        if (j + 1 < n - j - 1) {
            kv_sort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            kv_sort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (int32_t i = 1; i < n; i++) {
        struct kv x = a[i];
        int32_t k = i;
        while (k > 0 && kv_before(&x, &a[k - 1])) {
            a[k] = a[k - 1];
            k--;
        }
        a[k] = x;
    }
}

/* The most a cadre's own facts add to the unit's part of the fit in any
 * village (volunteer, rural experience, skills met, preference). */
static int64_t bonus_bound(const struct policy_fit *f, const struct mcadre *c)
{
    int64_t b = 0;
    b += f->w_volunteer > 0 && (c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0;
    b += f->w_rural_deep > 0 && (c->flags & MC_RURAL) ? f->w_rural_deep : 0;
    b += f->w_skill_need > 0 ? (int64_t)f->w_skill_need * __builtin_popcountll(c->skills) : 0;
    b += f->w_preferred > 0 && c->npref ? f->w_preferred : 0;
    return b;
}

/* Cadres whose arcs are priced: not pinned (refill), and of a unit that
 * may send someone (a cap of 0 is a hard rule, as in the pruning). */
static bool priceable(const struct mcadre *c, const struct munit *un)
{
    return !(c->flags & (MC_PINNED | MC_NOMINATED)) && (un->cap != 0 || (c->flags & MC_SERVING));
}

void model_pricing_free(struct model_pricing *pr)
{
    struct price_cache *pc = pr->cache;
    if (pc) {
        free(pc->order);
        free(pc->off);
        free(pc->pool);
        free(pc->filled);
        free(pc->lists);
        free(pc->nlist);
        free(pc->lflags);
        free(pc->lskills);
        free(pc->last_vmax);
        for (int i = 0; i < 2; i++) {
            free(pc->buf[i].list);
            free(pc->buf[i].heap);
            free(pc->buf[i].hn);
            free(pc->buf[i].top);
        }
        free(pc);
        pr->cache = NULL;
    }
    free(pr->last_pc);
    free(pr->last_pcol);
    free(pr->dirty);
    pr->last_pc = pr->last_pcol = NULL;
    pr->dirty = NULL;
}

/* What every worker of a pass reads. */
struct price_ctx {
    struct model *m;
    struct model_pricing *pr;  /* last_pc read; dirty written for the worker's own cadres */
    const int64_t *pcol;       /* column (first slot) -> potential relative to the hub */
    const int64_t *vmax;       /* village x role class -> dearest column */
    const int32_t *cnt;        /* village x 4 -> columns by role (counting the arcs) */
    const int64_t *pcad;       /* cadre -> potential relative to the hub (0 outside) */
    const uint8_t *vchg;       /* village -> has a column dearer than last pass */
    int32_t nchg;              /* villages with vchg */
    struct price_cache *cache; /* pool written for the worker's own units */
    bool full;                 /* the first pass: every pair, and cadres enter */
    const uint8_t *vdiff;      /* village -> a dearest column moved since the last pass,
                                  or NULL (every list keyed anew) */
};

/* One worker's share: whole units, order[k0 .. k1). */
struct price_work {
    const struct price_ctx *x;
    int32_t k0, k1;
    struct kv *list; /* price_buf's */
    struct hit *heap;
    int *hn;
    int64_t *top;           /* price_buf's */
    int32_t *nc, *ns, *nsc; /* entering cadres' arcs */
    int64_t n, ncap;
    int64_t priced, visits;
    __int128 negsum;
    bool entered;
};

static void add_new(struct price_work *w, int32_t c, int32_t s, int32_t score)
{
    if (w->n == w->ncap) {
        w->ncap = w->ncap ? w->ncap * 2 : 1024;
        w->nc = zc_reallocarray(w->nc, (size_t)w->ncap, sizeof(int32_t));
        w->ns = zc_reallocarray(w->ns, (size_t)w->ncap, sizeof(int32_t));
        w->nsc = zc_reallocarray(w->nsc, (size_t)w->ncap, sizeof(int32_t));
    }
    w->nc[w->n] = c;
    w->ns[w->n] = s;
    w->nsc[w->n++] = score;
}

/* Price one cadre against the villages vl[0 .. nv) of its unit. */
static void price_cadre(struct price_work *w, int32_t ci, const struct kv *vl, int32_t nv,
                        bool sorted)
{
    const struct price_ctx *x = w->x;
    struct model *m = x->m;
    const struct policy_fit *f = &m->pol.fit;
    const struct mcadre *c = &m->cad[ci];
    int fixed = (c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0;
    int rural = (c->flags & MC_RURAL) ? f->w_rural_deep : 0;
    int64_t mp = (c->flags & MC_SERVING) ? MOVE_PENALTY : 0;
    /* Outside the network (never had an arc, or the spouse left out): the
     * potential of its node in the relaxation, where it would take its
     * "unassigned" option at cost 0 (pcad holds 0). */
    int64_t pc = x->pcad[ci], thr = pc + mp - bonus_bound(f, c);
    int64_t adj = f->w_skill_need < 0 ? -f->w_skill_need * 64 : 0;
    int32_t best_v = -1, best_score = 0;
    bool outside = c->node < 0;
    /* The column the cadre holds: the one arc of its in the network that
     * may price below 0 (it carries flow); every other arc it has there
     * prices >= 0 under the solve's potentials. */
    int32_t held = c->slot >= 0 ? m->slot[c->slot].col : -1;

    for (int32_t l = 0; l < nv; l++) {
        int32_t v = vl[l].v, score;
        const struct mvillage *vv = &m->vil[v];
        uint64_t both;
        if (!x->full && vl[l].key <= thr) {
            if (sorted)
                break;
            continue;
        }
        if (model_barred(c, vv) || !model_village_ok(m, c, vv))
            continue;
        if (x->full)
            w->priced += columns_for(m, c, x->cnt, v);
        w->visits++;
        both = c->skills & vv->needs;
        score = vl[l].base + fixed + (vv->klass == PV_DEEP ? rural : 0);
        if (both)
            score += f->w_skill_need * __builtin_popcountll(both);
        if (c->npref && model_preferred(m, c, vv->code))
            score += f->w_preferred;
        if (outside && !(c->flags & MC_SPOUSE_OUT) && (best_v < 0 || score > best_score)) {
            best_v = v;
            best_score = score;
        }
        /* rc = -score + mp + pc - pcol < 0 for some column only if the
         * village's dearest column the cadre may take is dear enough (a
         * slot's score is at most the pair's, unless needs weigh < 0). The
         * dearest its unit's cadres may take (the key's part) bounds it
         * first. */
        int64_t slack = pc + mp - score - adj;
        if (slack - (vl[l].key - vl[l].base) >= 0 ||
            slack - dearest(x->vmax, vv, v, c->flags, c->skills) >= 0)
            continue;
        /* A slot's score (model_slot_score): a need counts once per team,
         * on its own post. */
        int32_t ss0 = score - f->w_skill_need * (__builtin_popcountll(both) -
                                                 __builtin_popcountll(both & ~vv->need_open));
        for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
            const struct mslot *sl = &m->slot[s];
            int64_t rc;
            if (sl->col != s || s == c->cur_slot || s == held || !model_role_ok(c, sl))
                continue;
            int32_t ss = ss0 + (sl->role == MR_NEED ? f->w_skill_need : 0);
            rc = -(int64_t)ss + mp + pc - x->pcol[s];
            if (rc >= 0)
                continue;
            if (!outside) {
                struct hit h = {rc, ci, ss}, *heap = w->heap + (size_t)s * PRICE_PER_COLUMN;
                /* An arc the column's heap takes must not be in the network
                 * already (a safeguard: such an arc prices >= 0). */
                /* top[] (a small array) turns most entrants away without
                 * reading the heap. */
                if (rc <= w->top[s] && (w->hn[s] < PRICE_PER_COLUMN || hit_worse(heap[0], h))) {
                    if (has_arc(m, ci, s))
                        continue;
                    hit_push(heap, &w->hn[s], PRICE_PER_COLUMN, h);
                    if (w->hn[s] == PRICE_PER_COLUMN)
                        w->top[s] = heap[0].rc;
                }
            }
            w->negsum += rc;
            x->pr->dirty[ci] = 1;
        }
    }
    /* A cadre outside the network with a slot to take enters it (its best
     * village's columns), priced or not. */
    if (best_v >= 0) {
        const struct mvillage *vv = &m->vil[best_v];
        for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
            if (m->slot[s].col == s && model_role_ok(c, &m->slot[s])) {
                add_new(w, ci, s, model_slot_score(m, c, &m->slot[s], best_score));
                w->entered = true;
            }
        }
    }
}

/* A unit's list of the last pass, brought up to this one: the villages
 * whose dearest columns moved get their key anew (whether a village has a
 * column the unit's cadres may take does not change, so the entries stay
 * the same); in a sorted list they are taken out, sorted (in tmp) and
 * merged back, from the end, between the others, which keep their order.
 * The same list, in the same order, as keying and sorting it anew. */
static void rekey(const struct price_ctx *x, struct kv *list, int32_t nl, struct kv *tmp,
                  bool sorted, unsigned uflags, uint64_t uskills)
{
    const struct model *m = x->m;
    int32_t nu = 0, nt = 0;
    for (int32_t l = 0; l < nl; l++) {
        struct kv e = list[l];
        if (x->vdiff[e.v]) {
            e.key = e.base + dearest(x->vmax, &m->vil[e.v], e.v, uflags, uskills);
            if (!sorted) {
                list[l] = e;
                continue;
            }
            tmp[nt++] = e;
        } else if (sorted) {
            list[nu++] = e;
        }
    }
    if (!sorted || nt == 0)
        return;
    kv_sort(tmp, nt);
    for (int32_t o = nl - 1, i = nu - 1, j = nt - 1; j >= 0; o--) {
        if (i >= 0 && !kv_before(&list[i], &tmp[j]))
            list[o] = list[i--];
        else
            list[o] = tmp[j--];
    }
}

static void *price_run(void *arg)
{
    struct price_work *w = arg;
    const struct price_ctx *x = w->x;
    struct model *m = x->m;
    struct price_cache *pc = x->cache;
    const int32_t *order = pc->order;

    for (int32_t k = w->k0; k < w->k1;) {
        int32_t u = m->cad[order[k]].unit, end = k, nl = 0, nlc = 0;
        const struct munit *un = &m->unit[u];
        int32_t vb =
            model_village_lower(m, un->reach_lo > m->scope_lo ? un->reach_lo : m->scope_lo);
        int64_t hi = un->reach_hi < m->scope_hi ? un->reach_hi : m->scope_hi;
        int32_t ve = hi == INT64_MAX ? m->nvil : model_village_lower(m, hi + 1);
        unsigned uflags = 0;
        uint64_t uskills = 0;
        bool any = false, sorted;
        struct kv *list = w->list, *lchg;
        while (end < w->k1 && m->cad[order[end]].unit == u)
            end++;
        for (int32_t q = k; q < end; q++) {
            const struct mcadre *c = &m->cad[order[q]];
            if (!priceable(c, un))
                continue;
            any = true;
            uflags |= c->flags;
            uskills |= c->skills;
        }
        if (!any) {
            k = end;
            continue; /* no cadre of the unit to price */
        }
        /* The unit's villages by key = its part of the fit + the dearest
         * column its cadres may take, dearest first. A cadre with potential
         * pc and personal bonus at most b can price an arc negative only in
         * a village whose key exceeds pc + move penalty - b: a prefix of
         * this order, where most cadres stop after a few villages. Sorting
         * pays where many cadres share the order (a province's units); a
         * county unit's few villages are only filtered. */
        if (pc->off && !pc->filled[u]) {
            struct vpart *p = pc->pool + pc->off[u];
            for (int32_t v = vb; v < ve; v++)
                if (m->vil[v].nslots > 0)
                    *p++ = (struct vpart){v, model_unit_part(m, u, &m->vil[v], NULL)};
            pc->filled[u] = 1;
        }
        sorted = end - k > PRICE_SORT_MIN;
        if (pc->lists && x->vdiff && pc->nlist[u] >= 0 && pc->lflags[u] == uflags &&
            pc->lskills[u] == uskills) {
            list = pc->lists + pc->off[u];
            nl = pc->nlist[u];
            rekey(x, list, nl, w->list, sorted, uflags, uskills);
        } else if (pc->off) {
            if (pc->lists) {
                list = pc->lists + pc->off[u];
                pc->lflags[u] = uflags;
                pc->lskills[u] = uskills;
            }
            for (const struct vpart *p = pc->pool + pc->off[u]; p < pc->pool + pc->off[u + 1];
                 p++) {
                int64_t dear = dearest(x->vmax, &m->vil[p->v], p->v, uflags, uskills);
                if (dear == INT64_MIN)
                    continue;
                list[nl++] = (struct kv){p->base + dear, p->v, p->base};
            }
            if (sorted)
                kv_sort(list, nl);
            if (pc->lists)
                pc->nlist[u] = nl;
        } else {
            for (int32_t v = vb; v < ve; v++) {
                int64_t dear;
                int32_t base;
                if (m->vil[v].nslots == 0)
                    continue;
                dear = dearest(x->vmax, &m->vil[v], v, uflags, uskills);
                if (dear == INT64_MIN)
                    continue;
                base = model_unit_part(m, u, &m->vil[v], NULL);
                list[nl++] = (struct kv){base + dear, v, base};
            }
            if (sorted)
                kv_sort(list, nl);
        }
        /* Of those, the ones with a dearer column (the order kept). */
        lchg = w->list + m->nvil;
        for (int32_t l = 0; l < nl && !x->full && x->nchg > 0; l++)
            if (x->vchg[list[l].v])
                lchg[nlc++] = list[l];
        for (; k < end; k++) {
            int32_t ci = order[k];
            bool whole;
            if (!priceable(&m->cad[ci], un))
                continue;
            /* A cadre whose potential fell, or who had a negative arc, is
             * priced against every village; the others only where a column
             * grew dearer. */
            whole = x->full || x->pr->dirty[ci] || x->pcad[ci] < x->pr->last_pc[ci];
            x->pr->dirty[ci] = 0;
            price_cadre(w, ci, whole ? list : lchg, whole ? nl : nlc, sorted);
        }
    }
    return NULL;
}

/* The first pass's set-up, kept for the later ones (price_cache). */
static struct price_cache *price_cache_new(struct model *m, int nw)
{
    struct price_cache *pc = zc_calloc(1, sizeof(*pc));
    int32_t *have = zc_calloc((size_t)m->nvil + 1, sizeof(int32_t)); /* villages < v with slots */
    int64_t *off = zc_calloc((size_t)m->nunits + 1, sizeof(int64_t));
    pc->order = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    for (int32_t i = 0; i < m->ncad; i++)
        pc->order[i] = i;
    qsort_r(pc->order, (size_t)m->ncad, sizeof(int32_t), cmp_unit, m);
    pc->cut = nw == 2 ? model_split_units(m, pc->order) : m->ncad; /* as the pruning splits */
    for (int i = 0; i < nw; i++) {
        pc->buf[i].list = zc_malloc(((size_t)m->nvil * 2 + 1) * sizeof(struct kv));
        pc->buf[i].heap =
            zc_malloc(((size_t)m->nslots * PRICE_PER_COLUMN + 1) * sizeof(struct hit));
        pc->buf[i].hn = zc_calloc((size_t)m->nslots + 1, sizeof(int));
        pc->buf[i].top = zc_malloc(((size_t)m->nslots + 1) * sizeof(int64_t));
    }
    /* Each unit's villages with slots in its reach, if they fit. */
    for (int32_t v = 0; v < m->nvil; v++)
        have[v + 1] = have[v] + (m->vil[v].nslots > 0);
    for (int32_t u = 0; u < m->nunits; u++) {
        const struct munit *un = &m->unit[u];
        int32_t vb =
            model_village_lower(m, un->reach_lo > m->scope_lo ? un->reach_lo : m->scope_lo);
        int64_t hi = un->reach_hi < m->scope_hi ? un->reach_hi : m->scope_hi;
        int32_t ve = hi == INT64_MAX ? m->nvil : model_village_lower(m, hi + 1);
        off[u + 1] = off[u] + (ve > vb ? have[ve] - have[vb] : 0);
    }
    if (off[m->nunits] <= PRICE_CACHE_MAX) {
        pc->off = off;
        pc->pool = zc_malloc(((size_t)off[m->nunits] + 1) * sizeof(struct vpart));
        pc->filled = zc_calloc((size_t)m->nunits + 1, 1);
        if (off[m->nunits] <= PRICE_LISTS_MAX) {
            pc->lists = zc_malloc(((size_t)off[m->nunits] + 1) * sizeof(struct kv));
            pc->nlist = zc_malloc(((size_t)m->nunits + 1) * sizeof(int32_t));
            pc->lflags = zc_calloc((size_t)m->nunits + 1, sizeof(unsigned));
            pc->lskills = zc_calloc((size_t)m->nunits + 1, sizeof(uint64_t));
            pc->last_vmax = zc_malloc(((size_t)m->nvil * VR_N + 1) * sizeof(int64_t));
            for (int32_t u = 0; u < m->nunits; u++)
                pc->nlist[u] = -1;
        }
    } else {
        free(off);
    }
    free(have);
    return pc;
}

int64_t model_price(struct model *m, struct model_pricing *pr)
{
    const struct mcf *net = m->net;
    int64_t hub = mcf_potential(net, m->hub);
    int64_t *pcol = zc_calloc((size_t)m->nslots + 1, sizeof(int64_t));
    int64_t *vmax = zc_malloc(((size_t)m->nvil * VR_N + 1) * sizeof(int64_t));
    int32_t *cnt = zc_calloc((size_t)m->nvil * 4 + 1, sizeof(int32_t));
    int64_t *pcad = zc_malloc(((size_t)m->ncad + 1) * sizeof(int64_t));
    uint8_t *vchg = zc_calloc((size_t)m->nvil + 1, 1);
    uint8_t *vdiff = NULL;
    int nw = m->opt.threads >= 2 || (m->opt.threads == 0 && m->ncad >= 4000) ? 2 : 1;
    struct price_cache *pc = pr->cache ? pr->cache : price_cache_new(m, nw);
    struct price_ctx x = {
        m, pr, pcol, vmax, cnt, pcad, vchg, 0, pc, pr->rounds == 0 || !pr->last_pc, NULL};
    struct price_work w[2];
    pthread_t tid;
    bool threaded = false;
    int64_t n = 0;

    /* Column prices relative to the hub (the simplex fixes no constant). */
    for (int64_t v = 0; v < (int64_t)m->nvil * VR_N; v++)
        vmax[v] = INT64_MIN;
    for (int32_t s = 0; s < m->nslots; s++) {
        const struct mslot *sl = &m->slot[s];
        int32_t *k = cnt + (size_t)sl->village * 4;
        int64_t *vm = vmax + (size_t)sl->village * VR_N + role_class(sl->role);
        if (sl->col != s)
            continue;
        pcol[s] = mcf_potential(net, sl->node) - hub;
        if (pcol[s] > *vm)
            *vm = pcol[s];
        if (sl->role == MR_MEMBER)
            k[0]++;
        else if (sl->role == MR_FIRST_SECRETARY)
            k[1]++;
        else if (sl->role == MR_LEADER)
            k[2]++;
        else if (sl->role == MR_STABILITY)
            k[3]++;
    }
    if (!pr->last_pc) {
        pr->last_pc = zc_malloc(((size_t)m->ncad + 1) * sizeof(int64_t));
        pr->last_pcol = zc_malloc(((size_t)m->nslots + 1) * sizeof(int64_t));
        pr->dirty = zc_calloc((size_t)m->ncad + 1, 1);
    }
    for (int32_t c = 0; c < m->ncad; c++)
        pcad[c] = m->cad[c].node < 0 ? 0 : mcf_potential(net, m->cad[c].node) - hub;
    /* Villages with a column dearer than when last priced. */
    for (int32_t s = 0; s < m->nslots && !x.full; s++) {
        if (m->slot[s].col == s && pcol[s] > pr->last_pcol[s] && !vchg[m->slot[s].village]) {
            vchg[m->slot[s].village] = 1;
            x.nchg++;
        }
    }
    /* Villages whose dearest column of some class moved: their keys in
     * the units' lists of the last pass change (rekey). */
    if (pc->last_vmax && pr->cache) {
        vdiff = zc_calloc((size_t)m->nvil + 1, 1);
        for (int32_t v = 0; v < m->nvil; v++)
            vdiff[v] = memcmp(vmax + (size_t)v * VR_N, pc->last_vmax + (size_t)v * VR_N,
                              VR_N * sizeof(int64_t)) != 0;
        x.vdiff = vdiff;
    }
    if (pc->last_vmax)
        memcpy(pc->last_vmax, vmax, (size_t)m->nvil * VR_N * sizeof(int64_t));
    pr->cache = pc;

    memset(w, 0, sizeof(w));
    for (int i = 0; i < nw; i++) {
        w[i].x = &x;
        w[i].list = pc->buf[i].list;
        w[i].heap = pc->buf[i].heap;
        w[i].hn = pc->buf[i].hn;
        w[i].top = pc->buf[i].top;
        memset(w[i].hn, 0, ((size_t)m->nslots + 1) * sizeof(int));
        for (int32_t s = 0; s < m->nslots; s++)
            w[i].top[s] = INT64_MAX;
    }
    w[0].k0 = 0;
    w[0].k1 = m->ncad;
    if (nw == 2) {
        w[0].k1 = pc->cut;
        w[1].k0 = pc->cut;
        w[1].k1 = m->ncad;
        threaded = pthread_create(&tid, NULL, price_run, &w[1]) == 0;
    }
    price_run(&w[0]);
    if (nw == 2) {
        if (threaded)
            pthread_join(tid, NULL);
        else
            price_run(&w[1]);
        /* The second worker's entrants into the first's heaps; the heaps'
         * order (rc, then cadre) makes the result independent of the split. */
        for (int32_t s = 0; s < m->nslots; s++)
            for (int j = 0; j < w[1].hn[s]; j++)
                hit_push(w[0].heap + (size_t)s * PRICE_PER_COLUMN, &w[0].hn[s], PRICE_PER_COLUMN,
                         w[1].heap[(size_t)s * PRICE_PER_COLUMN + (size_t)j]);
        for (int64_t i = 0; i < w[1].n; i++)
            add_new(&w[0], w[1].nc[i], w[1].ns[i], w[1].nsc[i]);
        w[0].priced += w[1].priced;
        w[0].visits += w[1].visits;
        w[0].negsum += w[1].negsum;
        w[0].entered = w[0].entered || w[1].entered;
    }
    /* The columns' entrants (cadres in the network only). */
    for (int32_t s = 0; s < m->nslots; s++)
        for (int j = 0; j < w[0].hn[s]; j++) {
            const struct hit *h = &w[0].heap[(size_t)s * PRICE_PER_COLUMN + (size_t)j];
            add_new(&w[0], h->cadre, s, h->score);
        }
    n = w[0].n;
    if (n > 0)
        model_merge_arcs(m, w[0].nc, w[0].ns, w[0].nsc, n);
    memcpy(pr->last_pc, pcad, (size_t)m->ncad * sizeof(int64_t));
    memcpy(pr->last_pcol, pcol, (size_t)m->nslots * sizeof(int64_t));
    if (x.full)
        pr->arcs_priced = w[0].priced; /* the same arcs on every later pass */
    pr->rounds++;
    pr->visits += w[0].visits;
    pr->arcs_added += n;
    pr->bound_valid = !w[0].entered;
    if (!w[0].entered) {
        __int128 lb = (__int128)mcf_objective(net) + w[0].negsum;
        pr->lower_bound = lb < INT64_MIN ? INT64_MIN : (int64_t)lb;
    }
    for (int i = 0; i < nw; i++) {
        free(w[i].nc);
        free(w[i].ns);
        free(w[i].nsc);
    }
    free(pcol);
    free(vmax);
    free(cnt);
    free(pcad);
    free(vchg);
    free(vdiff);
    return n;
}
