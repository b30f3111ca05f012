/* SPDX-License-Identifier: MIT */
/* model.c - ledger + policy -> min-cost-flow network -> assignment.
 *
 * Design (docs/internals/match.md has the long form). Every eligible cadre
 * with a candidate is a row with supply 1; slots are columns (identical
 * member slots of a village one column of demand k); a hub balances them.
 * A cadre's arc to a column costs minus the fit; its "unassigned" arc to
 * the hub costs 0; the hub's "unfilled" arc to a column costs the slot's
 * priority, P times (role weight x class weight), with P far above any
 * fit, so the solver first maximises priority-weighted coverage (first
 * secretaries first, deep-poverty villages first: 尽锐出战) and only then
 * the fit.
 *
 * Hard rules are missing arcs (eligibility, role, avoidance of the home
 * county, reach of the unit) or must-fill columns, which keep the network
 * in mcf's transportation shape: a unit whose draw cap binds has a "stay
 * home" column of demand n - cap - (couples inside it), fed at cost 0 by
 * its cadres (at most cap are sent); a couple has a column of demand 1 fed
 * by both spouses (never both sent). A binding county quota is the one rule
 * that needs lower bounds (a quota node on the unfilled side), and then
 * the general solver runs.
 *
 * Candidates keep the graph sparse: for each cadre the K best villages in
 * reach, and for each slot column the M best cadres who may take it, and
 * pricing adds what could improve the plan until none is left.
 *
 * The model is one file per stage, in the order they run: load.c (the only
 * part that reads the store: ledger, policy layout of the teams, then the
 * pruning), candidates.c (the start graph), build.c (the network, its solve
 * with pricing in price.c, the reasons), check.c (the independent checks
 * and "why not"); model_int.h holds the arrays they share. This file has
 * the names, the fit and the read-only results. */
#include "model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"

double model_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- names ---------------------------------------------------------------- */

static const char *const role_names[MR_NROLES] = {"first_secretary", "leader", "stability", "need",
                                                  "member",          "post"};
static const char *const role_zh[MR_NROLES] = {"第一书记", "队长", "综治维稳",
                                               "专业需求", "队员", "挂职岗位"};
static const char *const why_names[MW_NCODES] = {
    "", "no_candidate", "taken", "unit_cap", "county_quota", "not_needed", "spouse"};
static const char *const why_zh[MW_NCODES] = {"",
                                              "辖区内无符合条件的人选",
                                              "人选均已派往更优先的岗位",
                                              "单位抽调比例已满",
                                              "县选派名额已满",
                                              "可去岗位均由更合适的人选担任",
                                              "配偶已选派 (夫妻不同派)"};
static const char *const term_names[MT_NTERMS] = {
    "department", "skill_need", "rural_deep", "paired_unit", "volunteer", "preferred", "distance"};

const char *model_role_name(enum model_role r)
{
    return (unsigned)r < MR_NROLES ? role_names[r] : "unknown";
}

const char *model_role_zh(enum model_role r)
{
    return (unsigned)r < MR_NROLES ? role_zh[r] : "?";
}

int model_role_parse(const char *s)
{
    for (int i = 0; i < MR_NROLES; i++)
        if (strcmp(s, role_names[i]) == 0)
            return i;
    return -1;
}

const char *model_why_name(enum model_why w)
{
    return (unsigned)w < MW_NCODES ? why_names[w] : "unknown";
}

const char *model_why_zh(enum model_why w)
{
    return (unsigned)w < MW_NCODES ? why_zh[w] : "?";
}

const char *model_term_name(enum model_term t)
{
    return (unsigned)t < MT_NTERMS ? term_names[t] : "unknown";
}

const char *model_terms_text(const int *terms, char *out, size_t outsz)
{
    size_t n = 0;
    out[0] = 0;
    for (int t = 0; t < MT_NTERMS; t++) {
        if (!terms[t] || n >= outsz)
            continue;
        n += (size_t)snprintf(out + n, outsz - n, "%s%s=%d", n ? ";" : "", term_names[t], terms[t]);
    }
    return out;
}

/* ---- villages ------------------------------------------------------------------ */

/* First village index with code >= code. */
int32_t model_village_lower(const struct model *m, int64_t code)
{
    int32_t lo = 0, hi = m->nvil;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (m->vil[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t model_village_find(const struct model *m, int64_t code)
{
    int32_t i = model_village_lower(m, code);
    return i < m->nvil && m->vil[i].code == code ? i : -1;
}

/* Road distance is unknown; great-circle km between the unit's area and the
 * village when both have coordinates, else a step by how much of the code
 * they share. */
static int distance_km(const struct munit *u, const struct mvillage *v)
{
    if (u->has_ll && v->has_ll) {
        double r = 3.14159265358979 / 180.0;
        double dlat = (v->lat - u->lat) * r, dlng = (v->lng - u->lng) * r;
        double a = sin(dlat / 2) * sin(dlat / 2) +
                   cos(u->lat * r) * cos(v->lat * r) * sin(dlng / 2) * sin(dlng / 2);
        return (int)(2 * 6371.0 * asin(sqrt(a > 1 ? 1 : a)));
    }
    if (!u->division)
        return 300;
    if (u->division / 1000000 == v->code / 1000000)
        return 30;
    if (u->division / 100000000 == v->code / 100000000)
        return 100;
    if (u->division / 10000000000 == v->code / 10000000000)
        return 300;
    return 1000;
}

/* ---- fit -------------------------------------------------------------------- */

int model_unit_part(const struct model *m, int32_t ui, const struct mvillage *v, int *terms)
{
    const struct policy_fit *f = &m->pol.fit;
    const struct munit *u = &m->unit[ui];
    int dept = 0, paired = 0, dist;
    for (int k = 0; k < POLICY_NCATEGORIES; k++)
        if (u->category == 1u << k && (f->department_states[k] & v->states))
            dept = f->w_department;
    if (v->paired == ui)
        paired = f->w_paired_unit;
    dist = -(f->w_distance_per_10km * (distance_km(u, v) / 10));
    if (terms) {
        terms[MT_DEPARTMENT] = dept;
        terms[MT_PAIRED] = paired;
        terms[MT_DISTANCE] = dist;
    }
    return dept + paired + dist;
}

bool model_preferred(const struct model *m, const struct mcadre *c, int64_t code)
{
    for (int k = 0; k < c->npref; k++)
        if (code >= m->pref_lo[c->pref_off + k] && code <= m->pref_hi[c->pref_off + k])
            return true;
    return false;
}

int model_fit(const struct model *m, int32_t ci, int32_t vi, int *terms)
{
    const struct policy_fit *f = &m->pol.fit;
    const struct mcadre *c = &m->cad[ci];
    const struct mvillage *v = &m->vil[vi];
    int t[MT_NTERMS] = {0}, total = 0;
    model_unit_part(m, c->unit, v, t);
    t[MT_SKILL_NEED] = f->w_skill_need * __builtin_popcountll(c->skills & v->needs);
    t[MT_RURAL_DEEP] = (c->flags & MC_RURAL) && v->klass == PV_DEEP ? f->w_rural_deep : 0;
    t[MT_VOLUNTEER] = (c->flags & MC_VOLUNTEER) ? f->w_volunteer : 0;
    t[MT_PREFERRED] = model_preferred(m, c, v->code) ? f->w_preferred : 0;
    for (int k = 0; k < MT_NTERMS; k++)
        total += t[k];
    if (terms)
        memcpy(terms, t, sizeof(t));
    return total;
}

/* Teams that complement: a village need is worth its bonus once per team,
 * on the post kept for it (the need slot); every slot is also valued for
 * the village's needs that have no post of their own. So five drivers no
 * longer each earn "skill meets need" for the village's one driving need. */
int model_skill_term(const struct model *m, const struct mcadre *c, const struct mslot *s)
{
    const struct mvillage *v = &m->vil[s->village];
    int other = __builtin_popcountll(c->skills & v->needs & ~v->need_open);
    return m->pol.fit.w_skill_need * (other + (s->role == MR_NEED));
}

int model_slot_score(const struct model *m, const struct mcadre *c, const struct mslot *s,
                     int pair_score)
{
    const struct mvillage *v = &m->vil[s->village];
    return pair_score - m->pol.fit.w_skill_need * __builtin_popcountll(c->skills & v->needs) +
           model_skill_term(m, c, s);
}

int model_fit_slot(const struct model *m, int32_t ci, int32_t si, int *terms)
{
    int t[MT_NTERMS], total = 0;
    model_fit(m, ci, m->slot[si].village, t);
    t[MT_SKILL_NEED] = model_skill_term(m, &m->cad[ci], &m->slot[si]);
    for (int k = 0; k < MT_NTERMS; k++)
        total += t[k];
    if (terms)
        memcpy(terms, t, sizeof(t));
    return total;
}

bool model_slot_ok(const struct model *m, int32_t c, int32_t s)
{
    return model_role_ok(&m->cad[c], &m->slot[s]);
}

int64_t model_cadre_find(const struct model *m, int64_t id)
{
    int32_t lo = 0, hi = m->ncad - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (m->cad[mid].id == id)
            return mid;
        if (m->cad[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    mcf_free(m->net);
    free(m->skill);
    free(m->unit);
    free(m->vil);
    free(m->cad);
    free(m->pref_lo);
    free(m->pref_hi);
    free(m->slot);
    free(m->quota);
    free(m->post);
    free(m->arc_cadre);
    free(m->arc_slot);
    free(m->arc_score);
    free(m->arc_net);
    model_pricing_free(&m->pr);
    free(m);
}

/* ---- results ---------------------------------------------------------------------- */

const struct mcf *model_network(const struct model *m)
{
    return m->net;
}

void model_summary_get(const struct model *m, struct model_summary *o)
{
    struct mcf_stats st = {0};
    memset(o, 0, sizeof(*o));
    o->slots = m->nslots;
    o->cadres_eligible = m->eligible;
    for (int32_t s = 0; s < m->nslots; s++) {
        if (m->slot[s].cadre >= 0)
            o->filled++;
        else
            o->unfilled_by[m->slot[s].why]++;
    }
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *cd = &m->cad[c];
        if (cd->node >= 0)
            o->cadres_in_model++;
        if (cd->slot >= 0) {
            o->cadres_used++;
            if ((cd->flags & MC_SERVING) && cd->slot != cd->cur_slot)
                o->moves++;
        } else {
            o->unsent_by[cd->why]++;
        }
    }
    for (int32_t v = 0; v < m->nvil; v++) {
        const struct mvillage *vv = &m->vil[v];
        bool fs = vv->serving_fs, full = vv->nslots > 0 || vv->serving > 0;
        if (vv->post_level) { /* seats of posts, not a team */
            o->posts += vv->nslots;
            for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++)
                o->posts_filled += m->slot[s].cadre >= 0;
            continue;
        }
        for (int32_t s = vv->first_slot; s < vv->first_slot + vv->nslots; s++) {
            if (m->slot[s].cadre < 0)
                full = false;
            else if (m->slot[s].role == MR_FIRST_SECRETARY)
                fs = true;
        }
        o->villages++;
        if (vv->klass == PV_POOR) {
            o->poor++;
            o->poor_fs += fs;
            o->poor_full += full;
        } else if (vv->klass == PV_DEEP) {
            o->deep++;
            o->deep_fs += fs;
            o->deep_full += full;
        }
    }
    o->candidate_arcs = m->narcs;
    o->second_round_arcs = m->added_arcs;
    o->mcf_seconds = m->mcf_seconds;
    o->solves = m->solves;
    o->build_seconds = m->build_seconds;
    o->read_seconds = m->read_seconds;
    o->candidate_seconds = m->candidate_seconds;
    o->solve_seconds = m->solve_seconds;
    o->algorithm = "none";
    if (m->net && m->solved) {
        mcf_stats_get(m->net, &st);
        o->objective = mcf_objective(m->net);
        o->nodes = mcf_node_count(m->net);
        o->arcs = mcf_arc_count(m->net);
        o->algorithm = mcf_algorithm_name(st.used);
        o->components = st.components;
    }
    o->certified = m->pr.certified;
    o->bound_known = m->pr.bound_valid;
    o->lower_bound = m->pr.bound_valid ? m->pr.lower_bound : 0;
    o->inexact = m->pr.inexact;
    o->arcs_priced = m->pr.arcs_priced;
    o->arcs_added = m->pr.arcs_added;
    o->pricing_rounds = m->pr.rounds;
    o->price_seconds = m->pr.seconds;
}

int64_t model_slot_count(const struct model *m)
{
    return m->nslots;
}

void model_slot_get(const struct model *m, int64_t i, struct model_slot_info *o)
{
    const struct mslot *s = &m->slot[i];
    const struct mvillage *v = &m->vil[s->village];
    memset(o, 0, sizeof(*o));
    o->village = v->code;
    o->seq = s->seq;
    o->role = (enum model_role)s->role;
    if (s->need_bit >= 0)
        snprintf(o->need, sizeof(o->need), "%s", m->skill[s->need_bit]);
    o->klass = v->klass;
    if (s->post >= 0)
        o->post = m->post[s->post].id;
    o->why = (enum model_why)s->why;
    o->dual = s->dual;
    o->priority = s->priority;
    if (s->holder >= 0)
        o->previous = m->cad[s->holder].id;
    if (s->cadre >= 0) {
        o->cadre = m->cad[s->cadre].id;
        o->score = model_fit_slot(m, s->cadre, (int32_t)i, o->terms);
        if (s->holder >= 0 && s->holder == s->cadre)
            o->previous = 0; /* stayed */
    }
}

int64_t model_cadre_count(const struct model *m)
{
    return m->ncad;
}

void model_cadre_get(const struct model *m, int64_t i, struct model_cadre_info *o)
{
    const struct mcadre *c = &m->cad[i];
    o->id = c->id;
    o->slot = c->slot;
    o->why = (enum model_why)c->why;
    o->candidates = (int)(c->arc_end - c->arc_begin);
    o->moved = (c->flags & MC_SERVING) && c->slot >= 0 && c->slot != c->cur_slot;
}
