/* SPDX-License-Identifier: MIT */
/* load.c - the model from the store: the one part of the dispatch model
 * that reads the ledger (skills, units, villages, eligible cadres, the
 * serving cadres, the published roster of a refill, quotas), lays out each
 * team's slots under the policy, then hands the model to the candidate
 * pruning (candidates.c). Everything after this works on the arrays alone. */
#include "model_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"
#include "registry/registry.h"
#include "store/store.h"

/* ---- small helpers ---------------------------------------------------------- */

static int skill_bit(const struct model *m, const char *code, size_t n)
{
    for (int i = 0; i < m->nskills; i++)
        if (strlen(m->skill[i]) == n && memcmp(m->skill[i], code, n) == 0)
            return i;
    return -1;
}

/* "a;b;c" -> skill bits (unknown codes are ignored). */
static uint64_t skill_mask(const struct model *m, const char *list)
{
    uint64_t mask = 0;
    while (*list) {
        const char *end = strchr(list, ';');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        int b = skill_bit(m, list, n);
        if (b >= 0)
            mask |= (uint64_t)1 << b;
        list += n;
        if (*list == ';')
            list++;
    }
    return mask;
}

static int unit_find(const struct model *m, const char *code)
{
    int32_t lo = 0, hi = m->nunits - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->unit[mid].code, code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static void range_of(int64_t code, int max_level, int64_t *lo, int64_t *hi)
{
    enum division_level lv = division_level_of(code);
    if ((int)lv > max_level)
        lv = (enum division_level)max_level;
    division_range(code, lv, lo, hi);
}

/* The hometown range a cadre of unit `u` is kept out of, or none (0). */
static void home_range(const struct policy *p, const struct munit *u, int64_t hometown, int64_t *lo,
                       int64_t *hi)
{
    int level = p->caps.avoid_home;
    *lo = *hi = 0;
    if (!p->caps.avoid_home_county || level == PH_NONE)
        return;
    if (level == PH_AUTO)
        level = u->level <= DIV_CITY ? DIV_COUNTY : DIV_TOWNSHIP;
    if ((int)division_level_of(hometown) < level)
        return; /* recorded less precisely than the level: not judged */
    range_of(hometown, level, lo, hi);
}

/* A unit's own level, 1 province .. 4 township (posts.levels). */
static uint8_t send_of_unit(const char *level)
{
    static const char *const names[] = {"province", "city", "county", "township"};
    for (uint8_t i = 0; i < 4; i++)
        if (strcmp(level, names[i]) == 0)
            return (uint8_t)(i + 1);
    return 4;
}

static int level_of_unit(const char *level)
{
    if (strcmp(level, "province") == 0)
        return DIV_PROVINCE;
    if (strcmp(level, "city") == 0)
        return DIV_CITY;
    return DIV_COUNTY; /* county and township units serve their county */
}

/* ---- loading ------------------------------------------------------------------ */

static int load_skills(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_SKILLS, &st, err);
    m->skill = zc_calloc(64, sizeof(*m->skill));
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        if (m->nskills < 64)
            snprintf(m->skill[m->nskills++], 32, "%s", store_col_text(st, 0));
    }
    store_finalize(st);
    return rc;
}

static int load_units(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char today[16];
    int32_t cap = 0;
    bool row = false;
    int rc = match_prepare(s, MQ_UNITS, &st, err);
    snprintf(today, sizeof(today), "%04d-%02d-%02d", m->today.y % 10000, m->today.m % 100,
             m->today.d % 100);
    if (rc == ZC_OK)
        store_bind_cstr(st, 1, today);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct munit *u;
        int bit, pct = m->pol.caps.max_unit_share_percent;
        if (m->nunits == cap) {
            cap = cap ? cap * 2 : 64;
            m->unit = zc_reallocarray(m->unit, (size_t)cap, sizeof(*m->unit));
        }
        u = &m->unit[m->nunits++];
        memset(u, 0, sizeof(*u));
        snprintf(u->code, sizeof(u->code), "%s", store_col_text(st, 0));
        bit = policy_category_bit(store_col_text(st, 1));
        u->category = bit > 0 ? (unsigned)bit : 0;
        u->division = store_col_is_null(st, 2) ? 0 : store_col_int(st, 2);
        u->level = level_of_unit(store_col_text(st, 3));
        u->send = send_of_unit(store_col_text(st, 3));
        if (u->division)
            range_of(u->division, level_of_unit(store_col_text(st, 3)), &u->reach_lo, &u->reach_hi);
        else
            u->reach_hi = INT64_MAX;
        u->staff = (int)store_col_int(st, 4);
        u->serving = (int)store_col_int(st, 5);
        u->cap = pct >= 100 ? NO_CAP : u->staff * pct / 100 - u->serving;
        if (u->cap < 0)
            u->cap = 0;
        u->group = -1;
    }
    store_finalize(st);
    /* ORDER BY in SQLite compares bytes, as strcmp does: unit_find can bisect. */
    return rc;
}

/* Team layout of one village under the policy: appends its slots. */
static void add_slot(struct model *m, int32_t vi, int role, int need_bit)
{
    struct mvillage *v = &m->vil[vi];
    struct mslot *s;
    static const int role_w[MR_NROLES] = {6, 4, 3, 3, 2, 0}; /* a post: its own weight */
    int class_w = v->klass == PV_DEEP   ? (m->pol.caps.deep_first ? 3 : 2)
                  : v->klass == PV_POOR ? 2
                                        : 1;
    if (m->nslots == m->cap_slots) {
        m->cap_slots = m->cap_slots ? m->cap_slots * 2 : 1024;
        m->slot = zc_reallocarray(m->slot, (size_t)m->cap_slots, sizeof(*m->slot));
    }
    s = &m->slot[m->nslots];
    memset(s, 0, sizeof(*s));
    if (v->nslots == 0)
        v->first_slot = m->nslots;
    s->village = vi;
    s->seq = ++v->nslots;
    s->role = (uint8_t)role;
    s->need_bit = (int8_t)need_bit;
    s->cadre = s->holder = -1;
    s->post = -1;
    s->priority = PRIORITY_UNIT * role_w[role] * class_w;
    s->node = -1;
    m->nslots++;
    v->roles |= (uint8_t)(1u << role);
    if (role == MR_NEED)
        v->need_open |= (uint64_t)1 << need_bit;
}

/* A seat of post p (model.post[pi]) at its division's pseudo-village vi:
 * the post's requirements go on the slot, its weight is the policy's. */
static void add_post_seat(struct model *m, int32_t vi, int32_t pi)
{
    const struct mpost *p = &m->post[pi];
    struct mslot *s;
    add_slot(m, vi, MR_POST, p->skill_bit);
    s = &m->slot[m->nslots - 1];
    s->post = pi;
    s->post_levels = p->levels;
    s->post_rank = p->rank;
    s->post_party = p->party;
    s->priority = p->priority;
}

/* The open seats of the posts at division pseudo-village vi: each post's
 * seats less the cadres holding one now. */
static void lay_out_posts(struct model *m, int32_t vi)
{
    for (int32_t pi = 0; pi < m->nposts; pi++) {
        const struct mpost *p = &m->post[pi];
        if (p->division != m->vil[vi].code)
            continue;
        for (int k = p->serving; k < p->seats; k++)
            add_post_seat(m, vi, pi);
    }
}

/* A village's team is the cadres serving there plus the slots still open:
 * a serving first secretary (or leader) keeps that slot closed, and the
 * serving members count towards the team's size. */
static void lay_out_team(struct model *m, int32_t vi)
{
    const struct policy_team *t = &m->pol.team;
    struct mvillage *v = &m->vil[vi];
    int size = t->size[v->klass], n = v->serving, needs = 0;
    int drive = skill_bit(m, "driving", 7);
    uint64_t left = v->needs;

    if (size <= 0 || n >= size)
        return;
    if (!v->serving_fs) {
        add_slot(m, vi, t->first_secretary.required ? MR_FIRST_SECRETARY : MR_MEMBER, -1);
        n++;
    }
    if (t->leader.required && !t->secretary_leads && !v->serving_ld) {
        add_slot(m, vi, MR_LEADER, -1);
        n++;
    }
    if (t->stability_classes & (1u << v->klass)) {
        add_slot(m, vi, MR_STABILITY, -1);
        n++;
    }
    /* Need slots fit inside the team size; driving first when the hamlets
     * demand it (a village of 60 hamlets needs a driver). */
    if (t->need_slots) {
        if (drive >= 0 && (left >> drive & 1) && n < size && needs < t->max_need_slots) {
            add_slot(m, vi, MR_NEED, drive);
            left &= ~((uint64_t)1 << drive);
            n++;
            needs++;
        }
        for (int b = 0; b < 64 && n < size && needs < t->max_need_slots; b++) {
            if (left >> b & 1) {
                add_slot(m, vi, MR_NEED, b);
                n++;
                needs++;
            }
        }
    }
    while (n < size) {
        add_slot(m, vi, MR_MEMBER, -1);
        n++;
    }
}

/* The serving cadres of each village (open postings), for lay_out_team. */
static int load_serving(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_SERVING, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        int32_t vi = model_village_find(m, store_col_int(st, 0));
        const char *role = store_col_text(st, 1);
        int64_t n = store_col_int(st, 2);
        struct mvillage *v;
        if (vi < 0)
            continue;
        v = &m->vil[vi];
        v->serving = (uint8_t)(v->serving + n > 255 ? 255 : v->serving + n);
        if (strcmp(role, "first_secretary") == 0)
            v->serving_fs = 1;
        else if (strcmp(role, "leader") == 0)
            v->serving_ld = 1;
    }
    store_finalize(st);
    return rc;
}

static int load_villages(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int32_t cap = 0;
    bool row = false;
    int drive = skill_bit(m, "driving", 7);
    int rc = match_prepare(s, MQ_VILLAGES, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct mvillage *v;
        int k = policy_class_parse(store_col_text(st, 1));
        if (m->nvil == cap) {
            cap = cap ? cap * 2 : 1024;
            m->vil = zc_reallocarray(m->vil, (size_t)cap, sizeof(*m->vil));
        }
        v = &m->vil[m->nvil++];
        memset(v, 0, sizeof(*v));
        v->code = store_col_int(st, 0);
        division_range(v->code, DIV_COUNTY, &v->county_lo, &(int64_t){0});
        v->klass = (uint8_t)(k < 0 ? PV_NONE : k);
        v->states = (uint8_t)store_col_int(st, 2);
        v->needs = skill_mask(m, store_col_text(st, 4));
        if (m->pol.team.driver_hamlets > 0 && drive >= 0 && !store_col_is_null(st, 3) &&
            store_col_int(st, 3) >= m->pol.team.driver_hamlets)
            v->needs |= (uint64_t)1 << drive;
        if (!store_col_is_null(st, 5) && !store_col_is_null(st, 6)) {
            v->has_ll = 1;
            v->lat = (float)store_col_real(st, 5);
            v->lng = (float)store_col_real(st, 6);
        }
        v->paired = store_col_is_null(st, 7) ? -1 : unit_find(m, store_col_text(st, 7));
        v->quota = -1;
        v->first_slot = -1;
    }
    store_finalize(st);
    return rc;
}

static int cmp_village_code(const void *a, const void *b)
{
    const struct mvillage *x = a, *y = b;
    return (x->code > y->code) - (x->code < y->code);
}

/* The pseudo-village of a division with posts, located at the centre of
 * its villages with coordinates (m->vil still holds villages only, in
 * code order). */
static struct mvillage post_village(const struct model *m, int64_t division)
{
    struct mvillage v;
    enum division_level lv = division_level_of(division);
    int64_t lo, hi;
    int32_t n = 0;
    double lat = 0, lng = 0;
    memset(&v, 0, sizeof(v));
    division_range(division, lv, &lo, &hi);
    for (int32_t i = model_village_lower(m, lo); i < m->nvil && m->vil[i].code <= hi; i++) {
        if (m->vil[i].has_ll) {
            lat += m->vil[i].lat;
            lng += m->vil[i].lng;
            n++;
        }
    }
    v.code = division;
    division_range(v.code, DIV_COUNTY, &v.county_lo, &(int64_t){0});
    v.klass = PV_NONE;
    v.post_level = (uint8_t)lv;
    v.paired = -1;
    v.quota = -1;
    v.first_slot = -1;
    if (n > 0) {
        v.has_ll = 1;
        v.lat = (float)(lat / n);
        v.lng = (float)(lng / n);
    }
    return v;
}

/* Posts above the village in scope whose term has not ended, by division:
 * each division with posts becomes a pseudo-village (post_level), so that
 * reach, avoidance, distance and scope work on it as on a village; the
 * villages stay in code order (a division's code ends in 000, a village's
 * never does). */
static int load_posts(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    struct mvillage *pv = NULL;
    char today[16];
    int32_t cap = 0, npv = 0;
    bool row = false;
    int rc = match_prepare(s, MQ_POSTS, &st, err);
    snprintf(today, sizeof(today), "%04d-%02d-%02d", m->today.y % 10000, m->today.m % 100,
             m->today.d % 100);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
        store_bind_cstr(st, 3, today);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct mpost *p;
        int rank, w;
        uint8_t send = send_of_unit(store_col_text(st, 4));
        if (m->nposts == cap) {
            cap = cap ? cap * 2 : 64;
            m->post = zc_reallocarray(m->post, (size_t)cap, sizeof(*m->post));
            pv = zc_reallocarray(pv, (size_t)cap, sizeof(*pv));
        }
        p = &m->post[m->nposts++];
        memset(p, 0, sizeof(*p));
        p->id = store_col_int(st, 0);
        p->division = store_col_int(st, 1);
        p->seats = (int)store_col_int(st, 2);
        rank = policy_rank_parse(store_col_text(st, 3));
        p->rank = (uint8_t)(rank > 0 ? rank : PR_OTHER);
        /* The policy's levels for a post at this level, and the post's own
         * lowest sending level (city: province and city units). */
        w = division_level_of(p->division) == DIV_COUNTY ? POLICY_POST_COUNTY
                                                         : POLICY_POST_TOWNSHIP;
        p->levels = (uint8_t)(m->pol.posts.levels[w] &
                              (store_col_text(st, 4)[0] ? (2u << send) - 1u : 0xffu));
        p->priority = PRIORITY_UNIT * m->pol.posts.weight[w];
        p->party = (uint8_t)(store_col_int(st, 5) != 0);
        p->skill_bit = (int8_t)skill_bit(m, store_col_text(st, 6), strlen(store_col_text(st, 6)));
        p->serving = (int)store_col_int(st, 7);
        if (npv == 0 || pv[npv - 1].code != p->division) /* posts come by division */
            pv[npv++] = post_village(m, p->division);
    }
    store_finalize(st);
    if (rc == ZC_OK && npv > 0) {
        m->vil = zc_reallocarray(m->vil, (size_t)(m->nvil + npv), sizeof(*m->vil));
        memcpy(m->vil + m->nvil, pv, (size_t)npv * sizeof(*pv));
        m->nvil += npv;
        qsort(m->vil, (size_t)m->nvil, sizeof(*m->vil), cmp_village_code);
    }
    free(pv);
    return rc;
}

/* Unit locations: the centroid of the villages with coordinates inside the
 * unit's reach (prefix sums over the villages in code order). */
static void unit_centroids(struct model *m)
{
    double *slat = zc_calloc((size_t)m->nvil + 1, sizeof(double));
    double *slng = zc_calloc((size_t)m->nvil + 1, sizeof(double));
    int32_t *cnt = zc_calloc((size_t)m->nvil + 1, sizeof(int32_t));
    for (int32_t i = 0; i < m->nvil; i++) {
        bool ll = m->vil[i].has_ll && !m->vil[i].post_level; /* villages only */
        slat[i + 1] = slat[i] + (ll ? m->vil[i].lat : 0);
        slng[i + 1] = slng[i] + (ll ? m->vil[i].lng : 0);
        cnt[i + 1] = cnt[i] + (ll ? 1 : 0);
    }
    for (int32_t u = 0; u < m->nunits; u++) {
        struct munit *un = &m->unit[u];
        int32_t a, b, n;
        if (!un->division)
            continue;
        a = model_village_lower(m, un->reach_lo);
        b = model_village_lower(m, un->reach_hi == INT64_MAX ? INT64_MAX : un->reach_hi + 1);
        n = cnt[b] - cnt[a];
        if (n > 0) {
            un->has_ll = 1;
            un->lat = (float)((slat[b] - slat[a]) / n);
            un->lng = (float)((slng[b] - slng[a]) / n);
        }
    }
    free(slat);
    free(slng);
    free(cnt);
}

/* Drop villages without slots (no team under the policy) but keep them long
 * enough for the centroids above. Slots refer to villages by index, so this
 * runs before any slot exists. */
static void keep_team_villages(struct model *m)
{
    int32_t n = 0;
    for (int32_t i = 0; i < m->nvil; i++)
        if (m->vil[i].post_level || m->pol.team.size[m->vil[i].klass] > 0)
            m->vil[n++] = m->vil[i];
    m->nvil = n;
}

struct scan_ctx {
    struct model *m;
    struct store_stmt *extra; /* id, skills, rural_years, hometown, preferred, spouse */
    bool extra_row;
    const int64_t *serving_ids; /* refill with moves: cadres on the roster, sorted */
    const int64_t *recalled;    /* refill: cadres recalled before, sorted */
    size_t nrecalled;           /* entries */
    size_t nserving;
    char (*spouse)[19]; /* per model cadre: the spouse's ID number */
    int rc;
    struct zc_error *err;
};

static bool id_in(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id;
}

static int scan_cadre(void *ud, const struct eligible_cadre *c, const struct eligible_result *r)
{
    struct scan_ctx *x = ud;
    struct model *m = x->m;
    const struct policy *p = &m->pol;
    struct mcadre *mc;
    bool serving = false, ok = r->ok;
    int32_t u;
    const char *pref;
    int rc = ZC_OK;

    if (!ok && x->nserving && id_in(x->serving_ids, x->nserving, c->id)) {
        ok = true; /* a serving cadre who may move: only "already serving" failed? */
        for (size_t k = 0; k < r->nreasons; k++)
            if (r->reasons[k].code != EL_SERVING)
                ok = false;
        serving = ok;
    } else if (ok && m->opt.refill && c->serving) {
        ok = false; /* a refill moves nobody unless asked */
    }
    if (ok && x->nrecalled && id_in(x->recalled, x->nrecalled, c->id))
        ok = false; /* a refill does not send a recalled cadre straight back */
    if (!ok)
        return ZC_OK;
    u = unit_find(m, c->unit);
    if (u < 0)
        return ZC_OK;
    if (m->unit[u].reach_hi < m->scope_lo || m->unit[u].reach_lo > m->scope_hi)
        return ZC_OK; /* the unit cannot send anyone into the scope */
    while (x->extra_row && store_col_int(x->extra, 0) < c->id && rc == ZC_OK)
        rc = store_step(x->extra, &x->extra_row, x->err);
    if (rc != ZC_OK)
        return rc;
    if (m->ncad == m->cap_cad) {
        m->cap_cad = m->cap_cad ? m->cap_cad * 2 : 1024;
        m->cad = zc_reallocarray(m->cad, (size_t)m->cap_cad, sizeof(*m->cad));
        x->spouse = zc_reallocarray(x->spouse, (size_t)m->cap_cad, sizeof(*x->spouse));
    }
    mc = &m->cad[m->ncad];
    memset(mc, 0, sizeof(*mc));
    x->spouse[m->ncad][0] = 0;
    mc->id = c->id;
    snprintf(mc->id_number, sizeof(mc->id_number), "%s", c->id_number);
    mc->unit = u;
    mc->classes = (uint8_t)p->caps.level_classes[m->unit[u].level < 4 ? m->unit[u].level : 3];
    mc->rank = (uint8_t)(c->rank > 0 ? c->rank : PR_OTHER);
    mc->send = m->unit[u].send;
    if (c->party_member)
        mc->flags |= MC_PARTY;
    mc->spouse = mc->node = mc->cur_slot = mc->slot = -1;
    if (serving)
        mc->flags |= MC_SERVING;
    if (policy_role_ok(&p->team.first_secretary, c->party_member, c->rank, c->reserve) &&
        (!p->team.secretary_leads || !p->team.leader.required ||
         policy_role_ok(&p->team.leader, c->party_member, c->rank, c->reserve)))
        mc->flags |= MC_FS;
    if (policy_role_ok(&p->team.leader, c->party_member, c->rank, c->reserve))
        mc->flags |= MC_LEADER;
    if (c->volunteer)
        mc->flags |= MC_VOLUNTEER;
    if (c->unit_category & p->team.stability_categories)
        mc->flags |= MC_STAB;
    if (x->extra_row && store_col_int(x->extra, 0) == c->id) {
        struct store_stmt *e = x->extra;
        mc->skills = skill_mask(m, store_col_text(e, 1));
        for (size_t k = 0; k < p->team.nstability_skills; k++) {
            int b = skill_bit(m, p->team.stability_skills[k], strlen(p->team.stability_skills[k]));
            if (b >= 0 && (mc->skills >> b & 1))
                mc->flags |= MC_STAB;
        }
        if (!store_col_is_null(e, 2) && store_col_int(e, 2) >= p->fit.rural_years_deep)
            mc->flags |= MC_RURAL;
        if (!store_col_is_null(e, 3) && store_col_int(e, 3) > 0)
            home_range(p, &m->unit[u], store_col_int(e, 3), &mc->home_lo, &mc->home_hi);
        pref = store_col_text(e, 4);
        mc->pref_off = m->npref;
        while (*pref && mc->npref < 8) {
            const char *end = strchr(pref, ';');
            size_t n = end ? (size_t)(end - pref) : strlen(pref);
            int64_t code;
            enum division_level lv;
            if (division_parse(pref, n, &code, &lv, NULL) == ZC_OK) {
                if (m->npref == m->cap_pref) {
                    m->cap_pref = m->cap_pref ? m->cap_pref * 2 : 256;
                    m->pref_lo = zc_reallocarray(m->pref_lo, (size_t)m->cap_pref, 8);
                    m->pref_hi = zc_reallocarray(m->pref_hi, (size_t)m->cap_pref, 8);
                }
                division_range(code, lv, &m->pref_lo[m->npref], &m->pref_hi[m->npref]);
                m->npref++;
                mc->npref++;
            }
            pref += n;
            if (*pref == ';')
                pref++;
        }
        snprintf(x->spouse[m->ncad], 19, "%s", store_col_text(e, 5));
    }
    m->ncad++;
    return ZC_OK;
}

static int cmp_idnum(const void *a, const void *b, void *ud)
{
    const struct model *m = ud;
    return strcmp(m->cad[*(const int32_t *)a].id_number, m->cad[*(const int32_t *)b].id_number);
}

static void link_spouses(struct model *m, char (*spouse)[19])
{
    int32_t *byid = zc_malloc(((size_t)m->ncad + 1) * sizeof(int32_t));
    for (int32_t i = 0; i < m->ncad; i++)
        byid[i] = i;
    qsort_r(byid, (size_t)m->ncad, sizeof(int32_t), cmp_idnum, m);
    for (int32_t i = 0; i < m->ncad; i++) {
        int32_t lo = 0, hi = m->ncad - 1;
        if (!spouse[i][0])
            continue;
        while (lo <= hi) {
            int32_t mid = lo + (hi - lo) / 2;
            int c = strcmp(m->cad[byid[mid]].id_number, spouse[i]);
            if (c == 0) {
                int32_t j = byid[mid];
                /* Links are kept only when they agree both ways or one side is
                 * blank; a one-sided record still keeps the couple apart. */
                if (j != i && m->cad[j].spouse < 0 && m->cad[i].spouse < 0) {
                    m->cad[i].spouse = j;
                    m->cad[j].spouse = i;
                }
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
    }
    free(byid);
}

static int load_cadres(struct store *s, struct model *m, const int64_t *serving_ids,
                       size_t nserving, const int64_t *recalled, size_t nrecalled,
                       struct zc_error *err)
{
    struct scan_ctx x = {.m = m,
                         .serving_ids = serving_ids,
                         .nserving = nserving,
                         .recalled = recalled,
                         .nrecalled = nrecalled,
                         .err = err};
    struct eligible_scan_opts so = {.unit = NULL, .today = m->today};
    int rc = match_prepare(s, MQ_CADRE_EXTRA, &x.extra, err);
    if (rc == ZC_OK)
        rc = store_step(x.extra, &x.extra_row, err);
    if (rc == ZC_OK)
        rc = eligible_scan(s, &m->pol, &so, scan_cadre, &x, err);
    store_finalize(x.extra);
    if (rc == ZC_OK && m->pol.elig.spouses_apart)
        link_spouses(m, x.spouse);
    free(x.spouse);
    m->eligible = m->ncad;
    return rc;
}

/* A refill keeps each cadre rotated out of a village (轮换) out of that
 * village (only: other villages may take them); of a cadre's rotations not
 * kept (--keep-cadres), the latest counts. */
static int load_rotated(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_ROTATED, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        int64_t ci = model_cadre_find(m, store_col_int(st, 0));
        if (ci >= 0)
            m->cad[ci].rotated_from = store_col_int(st, 1);
    }
    store_finalize(st);
    return rc;
}

/* The published roster for a refill: vacancies become slots; with moves
 * allowed, serving cadres' slots too (held by them). */
struct roster_row {
    int64_t village, cadre; /* cadre 0 = vacant */
    int64_t post;           /* post.id of a post's seat, else 0 */
    int seq, role, need_bit;
};

static int load_roster(struct store *s, struct model *m, struct roster_row **rows, size_t *nrows,
                       struct zc_error *err)
{
    struct store_stmt *st = NULL;
    size_t cap = 0;
    bool row = false;
    int rc = match_prepare(s, MQ_ROSTER, &st, err);
    *rows = NULL;
    *nrows = 0;
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct roster_row *r;
        bool vacant = strcmp(store_col_text(st, 5), "vacant") == 0;
        if (!vacant && m->opt.allow_moves <= 0)
            continue;
        if (*nrows == cap) {
            cap = cap ? cap * 2 : 256;
            *rows = zc_reallocarray(*rows, cap, sizeof(**rows));
        }
        r = &(*rows)[(*nrows)++];
        r->village = store_col_int(st, 0);
        r->seq = (int)store_col_int(st, 1);
        r->role = model_role_parse(store_col_text(st, 2));
        if (r->role < 0)
            r->role = MR_MEMBER;
        r->need_bit = skill_bit(m, store_col_text(st, 3), strlen(store_col_text(st, 3)));
        if (r->role == MR_NEED && r->need_bit < 0)
            r->role = MR_MEMBER;
        r->cadre = vacant ? 0 : store_col_int(st, 4);
        r->post = store_col_int(st, 6);
    }
    store_finalize(st);
    return rc;
}

/* Lay out slots from the roster (refill) instead of the policy. Villages
 * without roster rows get no slots. */
static void roster_slots(struct model *m, const struct roster_row *rows, size_t nrows)
{
    int32_t *map = zc_malloc(((size_t)m->nvil + 1) * sizeof(int32_t));
    int32_t n = 0;
    for (size_t k = 0; k < nrows; k++) {
        int32_t vi = model_village_find(m, rows[k].village), pi = 0;
        if (vi < 0)
            continue;
        if (rows[k].role == MR_POST) { /* a post's seat: the post as it is now */
            while (pi < m->nposts && m->post[pi].id != rows[k].post)
                pi++;
            if (pi == m->nposts)
                continue; /* removed, or its term is over */
            add_post_seat(m, vi, pi);
        } else {
            add_slot(m, vi, rows[k].role, rows[k].need_bit);
        }
        m->slot[m->nslots - 1].seq = rows[k].seq; /* keep the roster's numbering */
        if (rows[k].cadre) {
            int64_t ci = model_cadre_find(m, rows[k].cadre);
            if (ci >= 0 && (m->cad[ci].flags & MC_SERVING)) {
                m->slot[m->nslots - 1].holder = (int32_t)ci;
                m->cad[ci].cur_slot = m->nslots - 1;
            }
        }
    }
    /* Keep villages with slots; slots refer to villages by index. */
    for (int32_t i = 0; i < m->nvil; i++) {
        map[i] = -1;
        if (m->vil[i].nslots > 0) {
            map[i] = n;
            m->vil[n++] = m->vil[i];
        }
    }
    for (int32_t i = 0; i < m->nslots; i++)
        m->slot[i].village = map[m->slot[i].village];
    m->nvil = n;
    free(map);
}

static void load_quotas(struct model *m)
{
    const struct policy_caps *c = &m->pol.caps;
    m->nquota = (int32_t)c->nquota;
    m->quota = zc_calloc((size_t)m->nquota + 1, sizeof(*m->quota));
    for (int32_t q = 0; q < m->nquota; q++) {
        division_range(c->quota[q].county, division_level_of(c->quota[q].county), &m->quota[q].lo,
                       &m->quota[q].hi);
        m->quota[q].max = c->quota[q].max;
        m->quota[q].parent = -1;
        m->quota[q].node = -1;
    }
    /* The parent of a quota is the smallest other quota containing it. */
    for (int32_t q = 0; q < m->nquota; q++) {
        for (int32_t r = 0; r < m->nquota; r++) {
            struct mquota *a = &m->quota[q], *b = &m->quota[r];
            if (r == q || b->lo > a->lo || b->hi < a->hi ||
                (b->lo == a->lo && b->hi == a->hi && r > q))
                continue;
            if (a->parent < 0 || b->hi - b->lo < m->quota[a->parent].hi - m->quota[a->parent].lo)
                a->parent = r;
        }
    }
    for (int32_t v = 0; v < m->nvil; v++) {
        struct mvillage *vv = &m->vil[v];
        for (int32_t q = 0; q < m->nquota; q++) {
            struct mquota *a = &m->quota[q];
            if (vv->code < a->lo || vv->code > a->hi)
                continue;
            if (vv->quota < 0 || a->hi - a->lo < m->quota[vv->quota].hi - m->quota[vv->quota].lo)
                vv->quota = q;
        }
    }
}

/* ---- build ---------------------------------------------------------------------- */

static int id_query(struct store *s, enum match_query q, const struct model *m, int64_t **ids,
                    size_t *n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    size_t cap = 0;
    bool row = false;
    int rc = match_prepare(s, q, &st, err);
    *ids = NULL;
    *n = 0;
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *ids = zc_reallocarray(*ids, cap, sizeof(int64_t));
        }
        (*ids)[(*n)++] = store_col_int(st, 0);
    }
    store_finalize(st);
    return rc;
}

int model_build(struct store *s, const struct model_options *opt, struct model **out,
                struct zc_error *err)
{
    struct model *m = zc_calloc(1, sizeof(*m));
    struct roster_row *roster = NULL;
    int64_t *serving = NULL, *recalled = NULL;
    size_t nroster = 0, nserving = 0, nrecalled = 0;
    double t0 = model_now(), t1;
    int rc;

    *out = NULL;
    m->opt = *opt;
    m->pol = *opt->policy;
    m->today = opt->today;
    if (!m->today.y)
        registry_today(&m->today.y, &m->today.m, &m->today.d);
    if (opt->scope) {
        division_range(opt->scope, division_level_of(opt->scope), &m->scope_lo, &m->scope_hi);
    } else {
        m->scope_lo = 0;
        m->scope_hi = INT64_MAX;
    }
    rc = load_skills(s, m, err);
    if (rc == ZC_OK)
        rc = load_units(s, m, err);
    if (rc == ZC_OK)
        rc = load_villages(s, m, err);
    if (rc == ZC_OK)
        rc = load_posts(s, m, err);
    if (rc == ZC_OK && opt->refill && opt->allow_moves > 0)
        rc = id_query(s, MQ_ROSTER_SERVING, m, &serving, &nserving, err);
    if (rc == ZC_OK && opt->refill)
        rc = id_query(s, MQ_RECALLED, m, &recalled, &nrecalled, err);
    if (rc == ZC_OK)
        rc = load_cadres(s, m, serving, nserving, recalled, nrecalled, err);
    if (rc == ZC_OK && opt->refill)
        rc = load_rotated(s, m, err);
    if (rc == ZC_OK && opt->refill)
        rc = load_roster(s, m, &roster, &nroster, err);
    if (rc != ZC_OK) {
        free(roster);
        free(serving);
        free(recalled);
        model_free(m);
        return rc;
    }
    m->read_seconds = model_now() - t0;
    unit_centroids(m);
    if (opt->refill) {
        roster_slots(m, roster, nroster);
    } else {
        keep_team_villages(m);
        rc = load_serving(s, m, err);
        for (int32_t v = 0; rc == ZC_OK && v < m->nvil; v++) {
            if (m->vil[v].post_level)
                lay_out_posts(m, v);
            else
                lay_out_team(m, v);
        }
    }
    free(roster);
    free(serving);
    free(recalled);
    if (rc != ZC_OK) {
        model_free(m);
        return rc;
    }
    load_quotas(m);
    /* A quota counts the cadres already serving inside it. */
    if (m->nquota) {
        struct store_stmt *st = NULL;
        rc = match_prepare(s, MQ_QUOTA_SERVING, &st, err);
        bool row = false;
        while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
            int64_t code = store_col_int(st, 0);
            for (int32_t q = 0; q < m->nquota; q++)
                if (code >= m->quota[q].lo && code <= m->quota[q].hi && m->quota[q].max > 0)
                    m->quota[q].max--;
        }
        store_finalize(st);
        if (rc != ZC_OK) {
            model_free(m);
            return rc;
        }
        /* Movers are counted above but also sit in the model: give them back. */
        for (int32_t c = 0; c < m->ncad; c++) {
            if (m->cad[c].cur_slot < 0)
                continue;
            int64_t code = m->vil[m->slot[m->cad[c].cur_slot].village].code;
            for (int32_t q = 0; q < m->nquota; q++)
                if (code >= m->quota[q].lo && code <= m->quota[q].hi)
                    m->quota[q].max++;
        }
    }
    model_make_columns(m, opt->refill);
    if (!opt->refill && (rc = model_load_pins(s, m, err)) != ZC_OK) {
        model_free(m);
        return rc;
    }
    t1 = model_now();
    model_candidates(m);
    m->candidate_seconds = model_now() - t1;
    m->build_seconds = model_now() - t0;
    *out = m;
    return ZC_OK;
}
