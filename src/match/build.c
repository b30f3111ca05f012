/* SPDX-License-Identifier: MIT */
/* build.c - the min-cost-flow network of the model, solved: slot columns,
 * the nodes and arcs of every rule that is a flow (unit caps, couples,
 * county quotas), the warm start from the last solve, the solve itself
 * with pricing until certified (price.c), the refill's limit on moves, and
 * the reasons read off the solution for every unfilled slot and unsent
 * cadre. */
#include "model_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* ---- network ------------------------------------------------------------------ */

/* Identical member slots of one village become one column whose demand is
 * their number (fewer nodes and arcs: a cadre gets one arc to the column,
 * not one per slot). Slots of a column are consecutive; the first one
 * carries the column. Slots held by someone (refill) stay single. */
static void make_columns(struct model *m, bool merge)
{
    for (int32_t s = 0; s < m->nslots; s++) {
        struct mslot *sl = &m->slot[s], *pv = s > 0 ? &m->slot[s - 1] : NULL;
        sl->col = s;
        sl->width = 1;
        if (merge && pv && sl->role == MR_MEMBER && pv->role == MR_MEMBER &&
            pv->village == sl->village && sl->holder < 0 && pv->holder < 0) {
            sl->col = pv->col;
            sl->width = 0;
            m->slot[sl->col].width++;
        }
    }
}

/* Does mcf's transportation path take columns of demand > 1? Asked once by
 * solving a two-row instance, so that the model uses the wide columns
 * exactly when the solver handles them (and keeps one column per slot, on
 * the same fast path, while it does not). */
static bool assign_takes_demands(void)
{
    static int known = -1;
    if (known < 0) {
        struct mcf *t = mcf_new(4, 5);
        struct mcf_options o = {MCF_ALG_ASSIGN, 1};
        struct zc_error e = {0};
        mcf_set_supply(t, 1, 1);
        mcf_set_supply(t, 2, 1);
        mcf_set_supply(t, 3, -2);
        mcf_add_arc(t, 1, 3, 0, 1, -1);
        mcf_add_arc(t, 2, 3, 0, 1, -1);
        mcf_add_arc(t, 1, 0, 0, 1, 0);
        mcf_add_arc(t, 2, 0, 0, 1, 0);
        mcf_add_arc(t, 0, 3, 0, 2, 10);
        known = mcf_solve(t, &o, &e) == ZC_OK && mcf_objective(t) == -2;
        mcf_free(t);
    }
    return known == 1;
}

void model_make_columns(struct model *m, bool refill)
{
    make_columns(m, !refill && assign_takes_demands());
}

/* Both spouses in the network (spouses_apart links only). */
static bool couple_in_network(const struct model *m, int32_t c)
{
    const struct mcadre *a = &m->cad[c];
    return a->spouse > c && a->node >= 0 && m->cad[a->spouse].node >= 0;
}

/* The unit whose cap a cadre counts against, or -1 (serving cadres move
 * between slots and are not drawn again). */
static int32_t capped_unit(const struct model *m, const struct mcadre *c)
{
    return (c->flags & MC_SERVING) || m->unit[c->unit].group < 0 ? -1 : c->unit;
}

/* Lay out the nodes: cadres, then "stay home" columns of the units whose
 * cap binds, couple columns, slot columns, quota nodes. Returns false when
 * a spouse had to be left out (the counts change: lay out again). */
static bool lay_out_nodes(struct model *m, int32_t *couple, int64_t *quota_slots, int64_t *nodes)
{
    *nodes = 1;
    for (int32_t u = 0; u < m->nunits; u++) {
        struct munit *un = &m->unit[u];
        un->n_model = un->couples_in = un->cross = un->stay = 0;
        un->group = -1;
    }
    for (int32_t c = 0; c < m->ncad; c++) {
        struct mcadre *cd = &m->cad[c];
        cd->node = -1;
        couple[c] = -1;
        if (cd->arc_end > cd->arc_begin && !(cd->flags & MC_SPOUSE_OUT)) {
            cd->node = (int32_t)(*nodes)++;
            if (!(cd->flags & MC_SERVING))
                m->unit[cd->unit].n_model++;
        }
    }
    /* A couple inside one unit already keeps one of its cadres home, so the
     * unit's own column asks for that many fewer. */
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *a = &m->cad[c], *b;
        if (!couple_in_network(m, c))
            continue;
        b = &m->cad[a->spouse];
        if (a->unit == b->unit && !((a->flags | b->flags) & MC_SERVING))
            m->unit[a->unit].couples_in++;
    }
    for (int32_t u = 0; u < m->nunits; u++) {
        struct munit *un = &m->unit[u];
        if (un->cap != NO_CAP && un->n_model - un->couples_in > un->cap) {
            un->stay = un->n_model - un->couples_in - un->cap;
            un->group = (int32_t)(*nodes)++;
        }
    }
    /* A couple across two units whose caps both bind: the spouse who stays
     * home for the couple does not count for the unit's column, so those
     * columns can ask for more than the cadres have (Hall's condition) only
     * if a unit shares more such couples than its cap. Then, and only then,
     * one spouse is left out (MC_SPOUSE_OUT, never both sent). */
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *a = &m->cad[c];
        int32_t ua, ub;
        if (!couple_in_network(m, c))
            continue;
        ua = capped_unit(m, a);
        ub = capped_unit(m, &m->cad[a->spouse]);
        if (ua < 0 || ub < 0 || ua == ub)
            continue;
        if (++m->unit[ua].cross > m->unit[ua].cap || ++m->unit[ub].cross > m->unit[ub].cap) {
            struct mcadre *out =
                m->unit[ua].cross > m->unit[ua].cap ? &m->cad[c] : &m->cad[a->spouse];
            if (out->flags & MC_NOMINATED) /* the pinned one is sent; the spouse stays */
                out = out == &m->cad[c] ? &m->cad[a->spouse] : &m->cad[c];
            out->flags |= MC_SPOUSE_OUT;
            return false;
        }
    }
    for (int32_t c = 0; c < m->ncad; c++)
        if (couple_in_network(m, c))
            couple[c] = couple[m->cad[c].spouse] = (int32_t)(*nodes)++;
    for (int32_t q = 0; q < m->nquota; q++)
        m->quota[q].node = -1;
    for (int32_t s = 0; s < m->nslots; s++) {
        struct mslot *sl = &m->slot[s];
        sl->node = sl->col == s ? (int32_t)(*nodes)++ : m->slot[sl->col].node;
        for (int32_t q = m->vil[sl->village].quota; q >= 0; q = m->quota[q].parent)
            quota_slots[q]++;
    }
    for (int32_t q = 0; q < m->nquota; q++) {
        m->quota[q].nslots = quota_slots[q];
        if (quota_slots[q] > m->quota[q].max)
            m->quota[q].node = (int32_t)(*nodes)++;
    }
    return true;
}

/* Start the solve from the last one (the network differs by added arcs,
 * a few cadres entering or pinned): each column's price and each cadre's
 * choice, mapped to the new network's nodes and arcs. Exact either way;
 * it saves the auction and most searches. */
static void warm_start(struct model *m, const int32_t *couple, int64_t nodes)
{
    int64_t *pot = zc_calloc((size_t)nodes + 1, sizeof(int64_t));
    int64_t *via = zc_malloc(((size_t)nodes + 1) * sizeof(int64_t));
    for (int64_t v = 0; v < nodes; v++)
        via[v] = -1;
    for (int32_t s = 0; s < m->nslots; s++)
        if (m->slot[s].col == s)
            pot[m->slot[s].node] = m->slot[s].wpot;
    for (int32_t u = 0; u < m->nunits; u++)
        if (m->unit[u].group >= 0)
            pot[m->unit[u].group] = m->unit[u].wpot;
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *cd = &m->cad[c];
        int64_t a = -1;
        if (cd->node < 0)
            continue;
        switch (cd->took) {
        case WT_SLOT:
            for (int64_t k = cd->arc_begin; k < cd->arc_end && a < 0; k++)
                if (m->arc_slot[k] == m->slot[cd->slot].col)
                    a = m->arc_net ? m->arc_net[k] : k;
            break;
        case WT_UNASSIGNED:
            a = cd->opt_arc;
            break;
        case WT_STAY:
            a = capped_unit(m, cd) >= 0 ? cd->opt_arc + 1 : -1;
            break;
        case WT_COUPLE:
            a = couple[c] >= 0 ? cd->opt_arc + 1 + (capped_unit(m, cd) >= 0) : -1;
            break;
        default:
            break;
        }
        via[cd->node] = a;
    }
    mcf_warm_start(m->net, pot, via);
    free(pot);
    free(via);
}

/* What the last solve chose, for the next one's warm start. */
static void warm_record(struct model *m)
{
    const struct mcf *net = m->net;
    int64_t hub = mcf_potential(net, m->hub);
    for (int32_t s = 0; s < m->nslots; s++)
        m->slot[s].wpot = m->slot[s].col == s ? mcf_potential(net, m->slot[s].node) - hub : 0;
    for (int32_t u = 0; u < m->nunits; u++)
        m->unit[u].wpot = m->unit[u].group >= 0 ? mcf_potential(net, m->unit[u].group) - hub : 0;
    for (int32_t c = 0; c < m->ncad; c++) {
        struct mcadre *cd = &m->cad[c];
        int64_t a = cd->opt_arc;
        cd->took = WT_NONE;
        if (cd->node < 0)
            continue;
        if (cd->slot >= 0)
            cd->took = WT_SLOT;
        else if (mcf_flow(net, a) > 0)
            cd->took = WT_UNASSIGNED;
        else if (capped_unit(m, cd) >= 0 && mcf_flow(net, a + 1) > 0)
            cd->took = WT_STAY;
        else
            cd->took = WT_COUPLE;
    }
    m->warm = true;
}

/* The network arc of candidate arc a (-1: not in it yet). */
static int64_t net_arc(const struct model *m, int64_t a)
{
    return m->arc_net ? m->arc_net[a] : a;
}

/* Candidate arc a into the network: cadre -> its slot's column at minus
 * the fit (a move costs the penalty), or a placeholder where the cadre has
 * no node or is pinned elsewhere. Returns the network arc. */
static int64_t add_candidate(struct model *m, int64_t a)
{
    const struct mcadre *cd = &m->cad[m->arc_cadre[a]];
    int64_t cost = -(int64_t)m->arc_score[a];
    bool stay = m->arc_slot[a] == cd->cur_slot;
    if ((cd->flags & MC_SERVING) && !stay)
        cost += MOVE_PENALTY;
    if (cd->node < 0 || ((cd->flags & MC_PINNED) && !stay))
        return mcf_add_arc(m->net, 0, 0, 0, 0, 0); /* placeholder keeps the numbering */
    return mcf_add_arc(m->net, cd->node, m->slot[m->arc_slot[a]].node, 0, 1, cost);
}

/* Can the arcs pricing added join the last solve's network, which the
 * solver kept (mcf_reuse), instead of a new one? Yes while every node
 * stays: no cadre entered (a cadre has a node exactly when it has an arc
 * and its spouse was not left out) and no rule changed. */
static bool can_append(const struct model *m)
{
    struct mcf_stats st;
    if (!m->net || !m->arc_net || m->net_stale || m->opt.cold || !m->warm)
        return false;
    mcf_stats_get(m->net, &st);
    if (!st.kept)
        return false;
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *cd = &m->cad[c];
        bool want = cd->arc_end > cd->arc_begin && !(cd->flags & MC_SPOUSE_OUT);
        if (want != (cd->node >= 0))
            return false;
    }
    return true;
}

/* The candidate arcs not in the network yet go at its end; the solver
 * re-solves from its kept state (or, should it not take the arcs in, warm
 * starts its full path from that state). */
static void append_network(struct model *m)
{
    for (int64_t a = 0; a < m->narcs; a++)
        if (m->arc_net[a] < 0)
            m->arc_net[a] = (int32_t)add_candidate(m, a);
}

/* The network, in mcf's transportation shape whenever no county quota
 * binds: rows are cadres (supply 1), columns are slot columns (demand =
 * width, an "unfilled" arc from the hub at the slot's priority), the
 * "stay home" column of each unit whose cap binds (demand n - cap, fed at
 * cost 0 by the unit's cadres, no hub arc: it must be filled, so at most
 * cap are sent) and one column per couple (demand 1, fed by both spouses,
 * must be filled: never both sent). A binding quota is the one rule that
 * needs more: the unfilled arcs of its slots go through a quota node with a
 * lower bound (nested quotas chain), and the general solver runs. */
static void build_network(struct model *m)
{
    int32_t *couple = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    int64_t *quota_slots = zc_calloc((size_t)m->nquota + 1, sizeof(int64_t));
    int64_t nodes = 1, bal = 0, arcs;
    struct mcf *net;
    bool keep;

    mcf_free(m->net);
    m->hub = 0;
    while (!lay_out_nodes(m, couple, quota_slots, &nodes))
        ;
    arcs = m->narcs + 3 * (int64_t)m->ncad + m->nslots + m->nquota;
    keep = !m->opt.cold && arcs <= MCF_KEEP_ARCS;
    /* A network the solver keeps gets room for the arcs pricing appends
     * (a quarter more: 23% on hebei-2016), so that they do not copy it. */
    net = mcf_new((int32_t)nodes, keep ? arcs + arcs / 4 : arcs);
    m->net = net;
    /* Candidate arcs first, so that arc index = candidate index (until
     * pricing appends arcs: arc_net then maps them, while the network is
     * small enough for the solver to keep its state between solves). */
    free(m->arc_net);
    m->arc_net = NULL;
    m->net_stale = false;
    for (int64_t a = 0; a < m->narcs; a++)
        add_candidate(m, a);
    if (keep) {
        m->arc_net = zc_malloc(((size_t)m->cap_arcs + 1) * sizeof(int32_t));
        for (int64_t a = 0; a < m->narcs; a++)
            m->arc_net[a] = (int32_t)a;
        mcf_reuse(net, true);
    }
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *cd = &m->cad[c];
        int32_t u;
        if (cd->node < 0)
            continue;
        mcf_set_supply(net, cd->node, 1);
        bal++;
        m->cad[c].opt_arc = -1;
        if (cd->flags & MC_NOMINATED)
            continue; /* placed in the pinned village: no other option */
        m->cad[c].opt_arc = mcf_add_arc(net, cd->node, 0, 0, 1, 0); /* unassigned */
        u = capped_unit(m, cd);
        if (u >= 0)
            mcf_add_arc(net, cd->node, m->unit[u].group, 0, 1, 0); /* stays home */
        if (couple[c] >= 0)
            mcf_add_arc(net, cd->node, couple[c], 0, 1, 0); /* the spouse who stays */
    }
    for (int32_t u = 0; u < m->nunits; u++) {
        if (m->unit[u].group >= 0) {
            mcf_set_supply(net, m->unit[u].group, -m->unit[u].stay);
            bal -= m->unit[u].stay;
        }
    }
    for (int32_t c = 0; c < m->ncad; c++) {
        if (couple[c] >= 0 && m->cad[c].spouse > c) {
            mcf_set_supply(net, couple[c], -1);
            bal--;
        }
    }
    for (int32_t q = 0; q < m->nquota; q++) {
        const struct mquota *qq = &m->quota[q];
        int32_t from = 0;
        if (qq->node < 0)
            continue;
        for (int32_t p = qq->parent; p >= 0 && from == 0; p = m->quota[p].parent)
            from = m->quota[p].node >= 0 ? m->quota[p].node : 0;
        mcf_add_arc(net, from, qq->node, qq->nslots - qq->max, qq->nslots, 0);
    }
    for (int32_t s = 0; s < m->nslots; s++) {
        const struct mslot *sl = &m->slot[s];
        int32_t from = 0;
        if (sl->col != s)
            continue;
        for (int32_t q = m->vil[sl->village].quota; q >= 0 && from == 0; q = m->quota[q].parent)
            from = m->quota[q].node >= 0 ? m->quota[q].node : 0;
        mcf_set_supply(net, sl->node, -sl->width);
        bal -= sl->width;
        mcf_add_arc(net, from, sl->node, 0, sl->width, sl->priority);
    }
    mcf_set_supply(net, 0, -bal);
    if (m->warm)
        warm_start(m, couple, nodes);
    free(couple);
    free(quota_slots);
}

/* ---- solve ---------------------------------------------------------------------- */

static int solve_once(struct model *m, struct zc_error *err)
{
    struct mcf_options mo = {(enum mcf_algorithm)m->opt.algorithm, m->opt.threads};
    bool quota = false;
    int rc;
    if (can_append(m))
        append_network(m);
    else
        build_network(m);
    for (int32_t q = 0; q < m->nquota; q++)
        quota = quota || m->quota[q].node >= 0;
    /* Without a binding quota the network has the transportation shape:
     * ask for the assignment path, measured faster on dispatch networks.
     * Should the solver refuse the shape (columns of demand > 1 before it
     * handles them), the general solver takes the same network. */
    if (mo.algorithm == MCF_ALG_AUTO && !quota) {
        mo.algorithm = MCF_ALG_ASSIGN;
        rc = mcf_solve(m->net, &mo, err);
        if (rc == ZC_EINVAL) {
            mo.algorithm = MCF_ALG_AUTO;
            rc = mcf_solve(m->net, &mo, err);
        }
    } else {
        rc = mcf_solve(m->net, &mo, err);
    }
    if (rc != ZC_OK)
        return zc_error_prefix(err, "dispatch model");
    {
        struct mcf_stats st;
        mcf_stats_get(m->net, &st);
        m->mcf_seconds += st.seconds;
        m->solves++;
    }
    for (int32_t c = 0; c < m->ncad; c++)
        m->cad[c].slot = -1;
    for (int32_t s = 0; s < m->nslots; s++)
        m->slot[s].cadre = -1;
    /* A column's cadres take its slots in arc order (slots of a column are
     * identical and consecutive); a flow that breaks the bounds (a solver
     * bug) is refused here rather than written past the column. */
    for (int64_t a = 0; a < m->narcs; a++) {
        if (mcf_flow(m->net, net_arc(m, a)) > 0) {
            int32_t s = m->arc_slot[a], end = s + m->slot[s].width;
            if (m->cad[m->arc_cadre[a]].slot >= 0)
                return zc_error_set(err, ZC_EINVAL, "dispatch model: cadre %lld sent twice",
                                    (long long)m->cad[m->arc_cadre[a]].id);
            while (s < end && m->slot[s].cadre >= 0)
                s++;
            if (s == end)
                return zc_error_set(err, ZC_EINVAL,
                                    "dispatch model: more cadres than slots in column %d of %lld",
                                    m->slot[m->arc_slot[a]].seq,
                                    (long long)m->vil[m->slot[m->arc_slot[a]].village].code);
            m->cad[m->arc_cadre[a]].slot = s;
            m->slot[s].cadre = m->arc_cadre[a];
        }
    }
    if (!m->opt.cold)
        warm_record(m);
    return ZC_OK;
}

static int cmp_move(const void *a, const void *b, void *ud)
{
    const struct model *m = ud;
    const struct mcadre *x = &m->cad[*(const int32_t *)a], *y = &m->cad[*(const int32_t *)b];
    int64_t px = m->slot[x->slot].priority, py = m->slot[y->slot].priority;
    if (px != py)
        return px > py ? -1 : 1;
    return (*(const int32_t *)a > *(const int32_t *)b) -
           (*(const int32_t *)a < *(const int32_t *)b);
}

/* Reasons for what stayed unfilled or unsent, read off the solution. */
static void reasons(struct model *m)
{
    int32_t *sent = zc_calloc((size_t)m->nunits + 1, sizeof(int32_t));
    uint8_t *cand = zc_calloc((size_t)m->nslots + 1, 1);
    for (int32_t q = 0; q < m->nquota; q++)
        m->quota[q].filled = 0;
    for (int32_t c = 0; c < m->ncad; c++)
        if (m->cad[c].slot >= 0 && !(m->cad[c].flags & MC_SERVING))
            sent[m->cad[c].unit]++;
    for (int32_t s = 0; s < m->nslots; s++) {
        struct mslot *sl = &m->slot[s];
        if (sl->cadre < 0)
            continue;
        for (int32_t q = m->vil[sl->village].quota; q >= 0; q = m->quota[q].parent)
            m->quota[q].filled++;
    }
    for (int32_t c = 0; c < m->ncad; c++) {
        struct mcadre *cd = &m->cad[c];
        const struct munit *un = &m->unit[cd->unit];
        cd->why = MW_NONE;
        if (cd->slot >= 0)
            continue;
        if (cd->flags & MC_SPOUSE_OUT)
            cd->why = MW_SPOUSE;
        else if (un->cap == 0 && !(cd->flags & MC_SERVING))
            cd->why = MW_UNIT_CAP;
        else if (cd->arc_end == cd->arc_begin)
            cd->why = MW_NO_CANDIDATE;
        else if (cd->spouse >= 0 && m->cad[cd->spouse].slot >= 0)
            cd->why = MW_SPOUSE;
        else if (un->cap != NO_CAP && sent[cd->unit] >= un->cap)
            cd->why = MW_UNIT_CAP;
        else
            cd->why = MW_NOT_NEEDED;
    }
    /* A column's candidates in one pass over the arcs: any in the network,
     * and the reason an idle one was held back (unit cap or spouse). */
    for (int64_t a = 0; a < m->narcs; a++) {
        const struct mcadre *cd = &m->cad[m->arc_cadre[a]];
        uint8_t *f = &cand[m->arc_slot[a]];
        if (cd->node < 0)
            continue;
        *f |= 1;
        if (cd->slot < 0) {
            *f |= 2;
            if (cd->why == MW_UNIT_CAP)
                *f |= 4;
            else if (cd->why == MW_SPOUSE)
                *f |= 8;
        }
    }
    for (int32_t s = 0; s < m->nslots; s++) {
        struct mslot *sl = &m->slot[s];
        uint8_t f = cand[sl->col];
        sl->why = MW_NONE;
        sl->dual = mcf_potential(m->net, sl->node) - mcf_potential(m->net, 0);
        if (sl->cadre >= 0)
            continue;
        for (int32_t q = m->vil[sl->village].quota; q >= 0; q = m->quota[q].parent)
            if (m->quota[q].filled >= m->quota[q].max)
                sl->why = MW_QUOTA;
        if (sl->why)
            continue;
        sl->why = !(f & 1)   ? MW_NO_CANDIDATE
                  : !(f & 2) ? MW_TAKEN
                  : (f & 8)  ? MW_SPOUSE
                  : (f & 4)  ? MW_UNIT_CAP
                             : MW_TAKEN;
    }
    free(cand);
    free(sent);
}

/* Solve, then price the full model and solve again until no arc the
 * pruning left out prices negative (price.c): the plan is then optimal for
 * the whole model, not only for the kept graph. */
static int solve_priced(struct model *m, struct zc_error *err)
{
    int rc = solve_once(m, err);
    while (rc == ZC_OK && !m->opt.prune_only && m->pr.rounds < PRICE_ROUNDS_MAX) {
        double t = model_now();
        int64_t added = model_price(m, &m->pr);
        m->pr.seconds += model_now() - t;
        m->pr.certified = added == 0;
        if (added == 0)
            break;
        rc = solve_once(m, err);
    }
    return rc;
}

static int64_t count_moves(const struct model *m)
{
    int64_t moved = 0;
    for (int32_t c = 0; c < m->ncad; c++)
        if ((m->cad[c].flags & MC_SERVING) && m->cad[c].slot >= 0 &&
            m->cad[c].slot != m->cad[c].cur_slot)
            moved++;
    return moved;
}

int model_solve(struct model *m, struct zc_error *err)
{
    double t0 = model_now();
    int64_t moved;
    int rc;
    model_pricing_free(&m->pr);
    memset(&m->pr, 0, sizeof(m->pr));
    if (m->opt.rounds == 2 && !m->opt.refill) {
        /* Experiments: the old second round of candidates before pricing. */
        rc = solve_once(m, err);
        if (rc != ZC_OK)
            return rc;
        m->added_arcs = model_second_round(m);
    }
    rc = solve_priced(m, err);
    if (rc != ZC_OK)
        return rc;
    /* At most allow_moves serving cadres move: if more did, keep the moves
     * into the highest-priority slots and pin the rest, then solve again.
     * Pinning is not a flow: the bound stays that of the model without it. */
    moved = count_moves(m);
    if (moved > m->opt.allow_moves) {
        int32_t *mv = zc_malloc((size_t)moved * sizeof(int32_t));
        int64_t n = 0;
        struct model_pricing before = m->pr;
        for (int32_t c = 0; c < m->ncad; c++)
            if ((m->cad[c].flags & MC_SERVING) && m->cad[c].slot >= 0 &&
                m->cad[c].slot != m->cad[c].cur_slot)
                mv[n++] = c;
        qsort_r(mv, (size_t)n, sizeof(int32_t), cmp_move, m);
        for (int32_t c = 0; c < m->ncad; c++)
            if (m->cad[c].flags & MC_SERVING)
                m->cad[c].flags |= MC_PINNED;
        m->net_stale = true; /* pinned cadres' arcs become placeholders */
        for (int64_t k = 0; k < n && k < m->opt.allow_moves; k++)
            m->cad[mv[k]].flags &= (uint16_t)~MC_PINNED;
        free(mv);
        rc = solve_priced(m, err);
        if (rc != ZC_OK)
            return rc;
        m->pr.lower_bound = before.lower_bound;
        m->pr.bound_valid = before.bound_valid && before.certified;
        m->pr.inexact = "moves";
    }
    for (int32_t c = 0; c < m->ncad && !m->pr.inexact; c++)
        if (m->cad[c].flags & MC_SPOUSE_OUT)
            m->pr.inexact = "spouses";
    reasons(m);
    m->solve_seconds = model_now() - t0;
    m->solved = true;
    return ZC_OK;
}
