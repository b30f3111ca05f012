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

static void hit_push(struct hit *h, int *n, int cap, struct hit x)
{
    int i;
    if (*n == cap) {
        if (x.rc >= h[0].rc)
            return;
        i = 0;
        for (;;) {
            int l = 2 * i + 1, r = l + 1, w = i;
            int64_t wrc = x.rc;
            if (l < *n && h[l].rc > wrc)
                w = l, wrc = h[l].rc;
            if (r < *n && h[r].rc > wrc)
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
    while (i > 0 && h[(i - 1) / 2].rc < x.rc) {
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

/* Columns of village v cadre c may take, for counting the arcs priced. */
static int64_t columns_for(const struct model *m, const struct mcadre *c, const int32_t *cnt,
                           int32_t v)
{
    const int32_t *k = cnt + (size_t)v * 4;
    int64_t n = k[0];
    if (c->flags & MC_FS)
        n += k[1];
    if (c->flags & MC_LEADER)
        n += k[2];
    if (c->flags & MC_STAB)
        n += k[3];
    return n + __builtin_popcountll(c->skills & m->vil[v].need_open);
}

/* Merge new arcs (cadre, column, score) into the arc arrays, which stay
 * grouped by cadre (arc_begin .. arc_end), each cadre's old arcs first. */
void model_merge_arcs(struct model *m, const int32_t *nc, const int32_t *ns, const int32_t *nsc,
                      int64_t n)
{
    int64_t *start = zc_calloc((size_t)m->ncad + 2, sizeof(int64_t));
    int64_t *pos = zc_malloc(((size_t)n + 1) * sizeof(int64_t));
    int64_t *fill, cap = m->narcs + n + 1, na = 0;
    int32_t *ac = zc_malloc((size_t)cap * sizeof(int32_t));
    int32_t *as = zc_malloc((size_t)cap * sizeof(int32_t));
    int32_t *asc = zc_malloc((size_t)cap * sizeof(int32_t));

    for (int64_t i = 0; i < n; i++)
        start[nc[i] + 1]++;
    for (int32_t c = 0; c < m->ncad; c++)
        start[c + 1] += start[c];
    fill = zc_malloc(((size_t)m->ncad + 1) * sizeof(int64_t));
    memcpy(fill, start, (size_t)m->ncad * sizeof(int64_t));
    for (int64_t i = 0; i < n; i++)
        pos[fill[nc[i]]++] = i;
    for (int32_t c = 0; c < m->ncad; c++) {
        struct mcadre *cd = &m->cad[c];
        int64_t b = na;
        for (int64_t a = cd->arc_begin; a < cd->arc_end; a++) {
            ac[na] = c;
            as[na] = m->arc_slot[a];
            asc[na++] = m->arc_score[a];
        }
        for (int64_t p = start[c]; p < start[c + 1]; p++) {
            ac[na] = c;
            as[na] = ns[pos[p]];
            asc[na++] = nsc[pos[p]];
        }
        cd->arc_begin = b;
        cd->arc_end = na;
    }
    free(m->arc_cadre);
    free(m->arc_slot);
    free(m->arc_score);
    m->arc_cadre = ac;
    m->arc_slot = as;
    m->arc_score = asc;
    m->narcs = na;
    m->cap_arcs = cap;
    free(start);
    free(pos);
    free(fill);
}

/* Column prices are kept per village and role class, so that a village
 * whose dear column is one the cadre cannot take (an open 综治维稳 post for
 * a cadre without the qualification) is passed over. */
enum { VR_MEMBER, VR_FS, VR_LEADER, VR_STAB, VR_NEED, VR_N };

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
    return best;
}

/* Cadres whose arcs are priced: not pinned (refill), and of a unit that
 * may send someone (a cap of 0 is a hard rule, as in the pruning). */
static bool priceable(const struct mcadre *c, const struct munit *un)
{
    return !(c->flags & MC_PINNED) && (un->cap != 0 || (c->flags & MC_SERVING));
}

void model_pricing_free(struct model_pricing *pr)
{
    free(pr->last_pc);
    free(pr->last_pcol);
    free(pr->dirty);
    pr->last_pc = pr->last_pcol = NULL;
    pr->dirty = NULL;
}

int64_t model_price(struct model *m, struct model_pricing *pr)
{
    const struct policy_fit *f = &m->pol.fit;
    const int P = PRICE_PER_COLUMN;
    const struct mcf *net = m->net;
    int64_t hub = mcf_potential(net, m->hub);
    int64_t *pcol = zc_calloc((size_t)m->nslots + 1, sizeof(int64_t));
    int64_t *vmax = zc_malloc(((size_t)m->nvil * VR_N + 1) * sizeof(int64_t));
    int32_t *cnt = zc_calloc((size_t)m->nvil * 4 + 1, sizeof(int32_t));
    int32_t *base = zc_malloc(((size_t)m->nvil + 1) * sizeof(int32_t));
    int32_t *list = zc_malloc(((size_t)m->nvil * 2 + 1) * sizeof(int32_t));
    bool full = pr->rounds == 0 || !pr->last_pc;
    int64_t *pcad = zc_malloc(((size_t)m->ncad + 1) * sizeof(int64_t));
    uint8_t *vchg = zc_calloc((size_t)m->nvil + 1, 1);
    int32_t nchg = 0;
    int32_t *order = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    struct hit *heap = zc_malloc(((size_t)m->nslots * (size_t)P + 1) * sizeof(*heap));
    int *hn = zc_calloc((size_t)m->nslots + 1, sizeof(int));
    int32_t *nc = NULL, *ns = NULL, *nsc = NULL;
    int64_t n = 0, ncap = 0, priced = 0;
    __int128 negsum = 0;
    bool entered = false;

    /* Column prices relative to the hub (the simplex fixes no constant). */
    for (int64_t v = 0; v < (int64_t)m->nvil * VR_N; v++)
        vmax[v] = INT64_MIN;
    for (int32_t s = 0; s < m->nslots; s++) {
        const struct mslot *sl = &m->slot[s];
        int32_t *k = cnt + (size_t)sl->village * 4;
        if (sl->col != s)
            continue;
        pcol[s] = mcf_potential(net, sl->node) - hub;
        {
            int64_t *vm = vmax + (size_t)sl->village * VR_N + role_class(sl->role);
            if (pcol[s] > *vm)
                *vm = pcol[s];
        }
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
    for (int32_t s = 0; s < m->nslots && !full; s++) {
        if (m->slot[s].col == s && pcol[s] > pr->last_pcol[s] && !vchg[m->slot[s].village]) {
            vchg[m->slot[s].village] = 1;
            nchg++;
        }
    }
    for (int32_t i = 0; i < m->ncad; i++)
        order[i] = i;
    qsort_r(order, (size_t)m->ncad, sizeof(int32_t), cmp_unit, m);

    for (int32_t k = 0; k < m->ncad;) {
        int32_t u = m->cad[order[k]].unit, end = k, nl = 0, nlc = 0, *lchg;
        const struct munit *un = &m->unit[u];
        int32_t vb =
            model_village_lower(m, un->reach_lo > m->scope_lo ? un->reach_lo : m->scope_lo);
        int64_t hi = un->reach_hi < m->scope_hi ? un->reach_hi : m->scope_hi;
        int32_t ve = hi == INT64_MAX ? m->nvil : model_village_lower(m, hi + 1);
        int64_t pcmin = INT64_MAX, bmax = 0;
        unsigned uflags = 0;
        uint64_t uskills = 0;
        while (end < m->ncad && m->cad[order[end]].unit == u)
            end++;
        /* The unit's least cadre potential and greatest personal bonus
         * bound every reduced cost of its cadres in a village from below:
         * villages where even that bound is >= 0 are priced without
         * looking at a single cadre (after the first pass, which visits
         * every pair to count the arcs and let cadres enter). */
        for (int32_t q = k; q < end; q++) {
            const struct mcadre *c = &m->cad[order[q]];
            int64_t b = 0, pc;
            if (!priceable(c, un))
                continue;
            pc = c->node < 0 ? 0 : mcf_potential(net, c->node) - hub;
            if (pc < pcmin)
                pcmin = pc;
            uflags |= c->flags;
            uskills |= c->skills;
            b += f->w_volunteer > 0 && (c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0;
            b += f->w_rural_deep > 0 && (c->flags & MC_RURAL) ? f->w_rural_deep : 0;
            b += f->w_skill_need > 0 ? (int64_t)f->w_skill_need * __builtin_popcountll(c->skills)
                                     : 0;
            b += f->w_preferred > 0 && c->npref ? f->w_preferred : 0;
            if (b > bmax)
                bmax = b;
        }
        if (pcmin == INT64_MAX) {
            k = end;
            continue; /* no cadre of the unit to price */
        }
        for (int32_t v = vb; v < ve; v++) {
            int64_t dear;
            if (m->vil[v].nslots == 0)
                continue;
            dear = dearest(vmax, &m->vil[v], v, uflags, uskills);
            if (dear == INT64_MIN)
                continue;
            base[v] = model_unit_part(m, u, &m->vil[v], NULL);
            if (full || pcmin - base[v] - bmax - dear < 0)
                list[nl++] = v;
        }
        /* Of those, the ones with a dearer column (list stays in order). */
        lchg = list + nl;
        for (int32_t l = 0; l < nl && !full && nchg > 0; l++)
            if (vchg[list[l]])
                lchg[nlc++] = list[l];
        for (; k < end; k++) {
            int32_t ci = order[k];
            const struct mcadre *c = &m->cad[ci];
            int fixed = (c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0;
            int rural = (c->flags & MC_RURAL) ? f->w_rural_deep : 0;
            int64_t pc, mp = (c->flags & MC_SERVING) ? MOVE_PENALTY : 0;
            int32_t best_v = -1, best_score = 0;
            bool outside = c->node < 0;
            if (!priceable(c, un))
                continue;
            /* Outside the network (never had an arc, or the spouse left
             * out): the potential of its node in the relaxation, where it
             * would take its "unassigned" option at cost 0. */
            pc = pcad[ci];
            /* A cadre whose potential fell, or who had a negative arc,
             * is priced against every village; the others only where a
             * column grew dearer. */
            bool whole = full || pr->dirty[ci] || pc < pr->last_pc[ci];
            const int32_t *vl = whole ? list : lchg;
            int32_t nv = whole ? nl : nlc;
            pr->dirty[ci] = 0;
            for (int32_t l = 0; l < nv; l++) {
                int32_t v = vl[l];
                const struct mvillage *vv = &m->vil[v];
                int32_t score;
                uint64_t both;
                if (model_home_avoided(c, vv) || !model_village_ok(c, vv))
                    continue;
                if (full)
                    priced += columns_for(m, c, cnt, v);
                pr->visits++;
                both = c->skills & vv->needs;
                score = base[v] + fixed + (vv->klass == PV_DEEP ? rural : 0);
                if (both)
                    score += f->w_skill_need * __builtin_popcountll(both);
                if (c->npref && model_preferred(m, c, vv->code))
                    score += f->w_preferred;
                if (outside && !(c->flags & MC_SPOUSE_OUT) && (best_v < 0 || score > best_score)) {
                    best_v = v;
                    best_score = score;
                }
                /* rc = -score + mp + pc - pcol < 0 for some column only if
                 * the village's dearest column is dear enough. */
                if (pc + mp - score - dearest(vmax, vv, v, c->flags, c->skills) >= 0)
                    continue;
                for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                    const struct mslot *sl = &m->slot[s];
                    int64_t rc;
                    if (sl->col != s || s == c->cur_slot || !model_role_ok(c, sl))
                        continue;
                    rc = -(int64_t)score + mp + pc - pcol[s];
                    if (rc >= 0 || (!outside && has_arc(m, ci, s)))
                        continue;
                    negsum += rc;
                    pr->dirty[ci] = 1;
                    if (!outside)
                        hit_push(heap + (size_t)s * (size_t)P, &hn[s], P,
                                 (struct hit){rc, ci, score});
                }
            }
            /* A cadre outside the network with a slot to take enters it
             * (its best village's columns), priced or not. */
            if (best_v >= 0) {
                const struct mvillage *vv = &m->vil[best_v];
                for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
                    if (m->slot[s].col != s || !model_role_ok(c, &m->slot[s]))
                        continue;
                    if (n == ncap) {
                        ncap = ncap ? ncap * 2 : 1024;
                        nc = zc_reallocarray(nc, (size_t)ncap, sizeof(int32_t));
                        ns = zc_reallocarray(ns, (size_t)ncap, sizeof(int32_t));
                        nsc = zc_reallocarray(nsc, (size_t)ncap, sizeof(int32_t));
                    }
                    nc[n] = ci;
                    ns[n] = s;
                    nsc[n++] = best_score;
                    entered = true;
                }
            }
        }
    }
    /* The columns' entrants (cadres in the network only). */
    for (int32_t s = 0; s < m->nslots; s++) {
        for (int j = 0; j < hn[s]; j++) {
            const struct hit *h = &heap[(size_t)s * (size_t)P + (size_t)j];
            if (n == ncap) {
                ncap = ncap ? ncap * 2 : 1024;
                nc = zc_reallocarray(nc, (size_t)ncap, sizeof(int32_t));
                ns = zc_reallocarray(ns, (size_t)ncap, sizeof(int32_t));
                nsc = zc_reallocarray(nsc, (size_t)ncap, sizeof(int32_t));
            }
            nc[n] = h->cadre;
            ns[n] = s;
            nsc[n++] = h->score;
        }
    }
    if (n > 0)
        model_merge_arcs(m, nc, ns, nsc, n);
    memcpy(pr->last_pc, pcad, (size_t)m->ncad * sizeof(int64_t));
    memcpy(pr->last_pcol, pcol, (size_t)m->nslots * sizeof(int64_t));
    pr->rounds++;
    if (full)
        pr->arcs_priced = priced; /* the same arcs on every later pass */
    pr->arcs_added += n;
    pr->bound_valid = !entered;
    if (!entered) {
        __int128 lb = (__int128)mcf_objective(net) + negsum;
        pr->lower_bound = lb < INT64_MIN ? INT64_MIN : (int64_t)lb;
    }
    free(pcol);
    free(vmax);
    free(cnt);
    free(base);
    free(list);
    free(order);
    free(pcad);
    free(vchg);
    free(heap);
    free(hn);
    free(nc);
    free(ns);
    free(nsc);
    return n;
}
