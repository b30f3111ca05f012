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
 * reach, and for each slot column the M best cadres who may take it (at
 * most M/3 of one unit), scored on two threads; a second round adds, for
 * every column the first solve left open, the best idle cadres, and solves
 * again. */
#include "model_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/division.h"
#include "base/mem.h"
#include "registry/registry.h"
#include "store/store.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- names ---------------------------------------------------------------- */

static const char *const role_names[MR_NROLES] = {"first_secretary", "leader", "stability", "need",
                                                  "member"};
static const char *const role_zh[MR_NROLES] = {"第一书记", "队长", "综治维稳", "专业需求", "队员"};
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

static int32_t village_find(const struct model *m, int64_t code)
{
    int32_t i = model_village_lower(m, code);
    return i < m->nvil && m->vil[i].code == code ? i : -1;
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

static int level_of_unit(const char *level)
{
    if (strcmp(level, "province") == 0)
        return DIV_PROVINCE;
    if (strcmp(level, "city") == 0)
        return DIV_CITY;
    return DIV_COUNTY; /* county and township units serve their county */
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

bool model_role_ok(const struct mcadre *c, const struct mslot *s)
{
    switch (s->role) {
    case MR_FIRST_SECRETARY:
        return (c->flags & MC_FS) != 0;
    case MR_LEADER:
        return (c->flags & MC_LEADER) != 0;
    case MR_STABILITY:
        return (c->flags & MC_STAB) != 0;
    case MR_NEED:
        return s->need_bit >= 0 && (c->skills >> s->need_bit & 1);
    default:
        return true;
    }
}

bool model_slot_ok(const struct model *m, int32_t c, int32_t s)
{
    return model_role_ok(&m->cad[c], &m->slot[s]);
}

/* May cadre c take some open slot of village v (role-wise)? */
bool model_village_ok(const struct mcadre *c, const struct mvillage *v)
{
    if (v->roles & (1u << MR_MEMBER))
        return true;
    if ((v->roles & (1u << MR_FIRST_SECRETARY)) && (c->flags & MC_FS))
        return true;
    if ((v->roles & (1u << MR_LEADER)) && (c->flags & MC_LEADER))
        return true;
    if ((v->roles & (1u << MR_STABILITY)) && (c->flags & MC_STAB))
        return true;
    return (c->skills & v->need_open) != 0;
}

bool model_home_avoided(const struct mcadre *c, const struct mvillage *v)
{
    return c->home_lo && v->code >= c->home_lo && v->code <= c->home_hi;
}

/* ---- loading ------------------------------------------------------------------ */

static int load_skills(struct store *s, struct model *m, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, "SELECT code FROM skill ORDER BY builtin DESC, code", &st, err);
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
    static const char sql[] =
        "SELECT u.code, u.category, u.division, u.level,"
        " coalesce(u.staff, (SELECT count(*) FROM cadre c WHERE c.unit = u.code)),"
        " (SELECT count(*) FROM cadre c JOIN posting p ON p.cadre = c.id WHERE c.unit = u.code"
        "   AND p.start_date <= ?1 AND (p.end_date IS NULL OR p.end_date > ?1))"
        " FROM unit u ORDER BY u.code";
    struct store_stmt *st = NULL;
    char today[16];
    int32_t cap = 0;
    bool row = false;
    int rc = store_prepare(s, sql, &st, err);
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
    static const int role_w[MR_NROLES] = {6, 4, 3, 3, 2};
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
    s->priority = PRIORITY_UNIT * role_w[role] * class_w;
    s->node = -1;
    m->nslots++;
    v->roles |= (uint8_t)(1u << role);
    if (role == MR_NEED)
        v->need_open |= (uint64_t)1 << need_bit;
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
    int rc = store_prepare(s, match_sql_serving, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, m->scope_lo);
        store_bind_int(st, 2, m->scope_hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        int32_t vi = village_find(m, store_col_int(st, 0));
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
    static const char sql[] = "SELECT code, poverty, states, hamlets, needs, lat, lng, paired_unit"
                              " FROM village WHERE code BETWEEN ? AND ? ORDER BY code";
    struct store_stmt *st = NULL;
    int32_t cap = 0;
    bool row = false;
    int drive = skill_bit(m, "driving", 7);
    int rc = store_prepare(s, sql, &st, err);
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

/* Unit locations: the centroid of the villages with coordinates inside the
 * unit's reach (prefix sums over the villages in code order). */
static void unit_centroids(struct model *m)
{
    double *slat = zc_calloc((size_t)m->nvil + 1, sizeof(double));
    double *slng = zc_calloc((size_t)m->nvil + 1, sizeof(double));
    int32_t *cnt = zc_calloc((size_t)m->nvil + 1, sizeof(int32_t));
    for (int32_t i = 0; i < m->nvil; i++) {
        bool ll = m->vil[i].has_ll;
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
        if (m->pol.team.size[m->vil[i].klass] > 0)
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
    int rc = store_prepare(s,
                           "SELECT id, skills, rural_years, hometown, preferred, spouse"
                           " FROM cadre ORDER BY id",
                           &x.extra, err);
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

/* The published roster for a refill: vacancies become slots; with moves
 * allowed, serving cadres' slots too (held by them). */
struct roster_row {
    int64_t village, cadre; /* cadre 0 = vacant */
    int seq, role, need_bit;
};

static int load_roster(struct store *s, struct model *m, struct roster_row **rows, size_t *nrows,
                       struct zc_error *err)
{
    static const char sql[] =
        "SELECT ps.village, ps.seq, ps.role, coalesce(ps.need, ''), coalesce(ps.cadre, 0),"
        " ps.state FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
        " WHERE p.status = 'published' AND ps.state IN ('serving', 'vacant')"
        " AND ps.village BETWEEN ? AND ? ORDER BY ps.village, ps.seq";
    struct store_stmt *st = NULL;
    size_t cap = 0;
    bool row = false;
    int rc = store_prepare(s, sql, &st, err);
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
        int32_t vi = village_find(m, rows[k].village);
        if (vi < 0)
            continue;
        add_slot(m, vi, rows[k].role, rows[k].need_bit);
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
                if (model_home_avoided(c, vv) || !model_village_ok(c, vv))
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
static void candidates(struct model *m)
{
    int K = m->opt.k_villages > 0 ? m->opt.k_villages : DEFAULT_K;
    int M = m->opt.m_per_village > 0 ? m->opt.m_per_village : DEFAULT_M;
    int nw = m->ncad >= 4000 && m->opt.threads != 1 ? 2 : 1;
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
                    a = k;
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
    int64_t nodes = 1, bal = 0;
    struct mcf *net;

    mcf_free(m->net);
    m->hub = 0;
    while (!lay_out_nodes(m, couple, quota_slots, &nodes))
        ;
    net = mcf_new((int32_t)nodes, m->narcs + 3 * (int64_t)m->ncad + m->nslots + m->nquota);
    m->net = net;
    /* Candidate arcs first, so that arc index = candidate index. */
    for (int64_t a = 0; a < m->narcs; a++) {
        const struct mcadre *cd = &m->cad[m->arc_cadre[a]];
        int64_t cost = -(int64_t)m->arc_score[a];
        bool stay = m->arc_slot[a] == cd->cur_slot;
        if ((cd->flags & MC_SERVING) && !stay)
            cost += MOVE_PENALTY;
        if (cd->node < 0 || ((cd->flags & MC_PINNED) && !stay))
            mcf_add_arc(net, 0, 0, 0, 0, 0); /* placeholder keeps the numbering */
        else
            mcf_add_arc(net, cd->node, m->slot[m->arc_slot[a]].node, 0, 1, cost);
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

/* ---- build ---------------------------------------------------------------------- */

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

static int id_query(struct store *s, const char *sql, const struct model *m, int64_t **ids,
                    size_t *n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    size_t cap = 0;
    bool row = false;
    int rc = store_prepare(s, sql, &st, err);
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
    double t0 = now_seconds(), t1;
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
    if (rc == ZC_OK && opt->refill && opt->allow_moves > 0)
        rc = id_query(s,
                      "SELECT ps.cadre FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
                      " WHERE p.status = 'published' AND ps.state = 'serving'"
                      " AND ps.village BETWEEN ? AND ? ORDER BY ps.cadre",
                      m, &serving, &nserving, err);
    if (rc == ZC_OK && opt->refill)
        rc = id_query(s,
                      "SELECT DISTINCT cadre FROM recall WHERE village BETWEEN ? AND ?"
                      " ORDER BY cadre",
                      m, &recalled, &nrecalled, err);
    if (rc == ZC_OK)
        rc = load_cadres(s, m, serving, nserving, recalled, nrecalled, err);
    if (rc == ZC_OK && opt->refill)
        rc = load_roster(s, m, &roster, &nroster, err);
    if (rc != ZC_OK) {
        free(roster);
        free(serving);
        free(recalled);
        model_free(m);
        return rc;
    }
    m->read_seconds = now_seconds() - t0;
    unit_centroids(m);
    if (opt->refill) {
        roster_slots(m, roster, nroster);
    } else {
        keep_team_villages(m);
        rc = load_serving(s, m, err);
        for (int32_t v = 0; rc == ZC_OK && v < m->nvil; v++)
            lay_out_team(m, v);
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
        rc = store_prepare(s,
                           "SELECT ps.village FROM plan_slot ps JOIN plan p ON p.id = ps.plan"
                           " WHERE p.status = 'published' AND ps.state = 'serving'",
                           &st, err);
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
    make_columns(m, !opt->refill && assign_takes_demands());
    if (!opt->refill && (rc = model_load_pins(s, m, err)) != ZC_OK) {
        model_free(m);
        return rc;
    }
    t1 = now_seconds();
    candidates(m);
    m->candidate_seconds = now_seconds() - t1;
    m->build_seconds = now_seconds() - t0;
    *out = m;
    return ZC_OK;
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
    free(m->arc_cadre);
    free(m->arc_slot);
    free(m->arc_score);
    model_pricing_free(&m->pr);
    free(m);
}

/* ---- solve ---------------------------------------------------------------------- */

static int solve_once(struct model *m, struct zc_error *err)
{
    struct mcf_options mo = {(enum mcf_algorithm)m->opt.algorithm, m->opt.threads};
    bool quota = false;
    int rc;
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
        if (mcf_flow(m->net, a) > 0) {
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

/* Second round: the first solve leaves a slot open only when all its
 * candidates went elsewhere; the cadres still idle may include ones the
 * pruning kept away from it. For every column left open, the M best idle
 * cadres who may take it (in reach, outside their home county, without an
 * arc into its village) become candidates of its village, and the model is
 * solved again, exactly, over the larger graph. Returns the number of arcs
 * added (0: nothing to gain, no second solve). */
static int64_t second_round(struct model *m)
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
                if (model_home_avoided(c, vv) || !model_village_ok(c, vv))
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
    /* The new pairs, by cadre and village, become arcs to every column of
     * the village the cadre may take (a pair kept by two columns of one
     * village counts once). */
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
                pp[np++] = (struct pair3){colh[(size_t)s * (size_t)M + (size_t)j].other,
                                          m->slot[s].village,
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
        added = n;
        free(pp);
        free(nc);
        free(ns);
        free(nsc);
    }
    free(openv);
    free(open);
    free(idle);
    free(colh);
    free(coln);
    free(base);
    free(vfloor);
    return added;
}

/* Solve, then price the full model and solve again until no arc the
 * pruning left out prices negative (price.c): the plan is then optimal for
 * the whole model, not only for the kept graph. */
static int solve_priced(struct model *m, struct zc_error *err)
{
    int rc = solve_once(m, err);
    while (rc == ZC_OK && !m->opt.prune_only && m->pr.rounds < PRICE_ROUNDS_MAX) {
        double t = now_seconds();
        int64_t added = model_price(m, &m->pr);
        m->pr.seconds += now_seconds() - t;
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
    double t0 = now_seconds();
    int64_t moved;
    int rc;
    model_pricing_free(&m->pr);
    memset(&m->pr, 0, sizeof(m->pr));
    if (m->opt.rounds == 2 && !m->opt.refill) {
        /* Experiments: the old second round of candidates before pricing. */
        rc = solve_once(m, err);
        if (rc != ZC_OK)
            return rc;
        m->added_arcs = second_round(m);
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
    m->solve_seconds = now_seconds() - t0;
    m->solved = true;
    return ZC_OK;
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

/* ---- checks ---------------------------------------------------------------------- */

int model_check(const struct model *m, struct zc_error *err)
{
    int32_t *sent = zc_calloc((size_t)m->nunits + 1, sizeof(int32_t));
    int64_t *qfill = zc_calloc((size_t)m->nquota + 1, sizeof(int64_t));
    int64_t moves = 0;
    int rc = ZC_OK;

    for (int32_t s = 0; s < m->nslots && rc == ZC_OK; s++) {
        const struct mslot *sl = &m->slot[s];
        const struct mcadre *c;
        const struct mvillage *v = &m->vil[sl->village];
        const struct munit *u;
        if (sl->cadre < 0)
            continue;
        c = &m->cad[sl->cadre];
        u = &m->unit[c->unit];
        if (c->slot != s)
            rc = zc_error_set(err, ZC_EINVAL, "slot %d of %lld: cadre %lld holds another slot",
                              sl->seq, (long long)v->code, (long long)c->id);
        else if (!model_role_ok(c, sl))
            rc = zc_error_set(err, ZC_EINVAL, "slot %d of %lld: cadre %lld cannot be %s", sl->seq,
                              (long long)v->code, (long long)c->id, role_names[sl->role]);
        else if (s != c->cur_slot && model_home_avoided(c, v))
            rc = zc_error_set(err, ZC_EINVAL, "cadre %lld sent to the hometown (%lld)",
                              (long long)c->id, (long long)v->code);
        else if (s != c->cur_slot && (v->code < u->reach_lo || v->code > u->reach_hi))
            rc = zc_error_set(err, ZC_EINVAL, "cadre %lld sent outside the unit's reach",
                              (long long)c->id);
        else if (c->spouse >= 0 && m->cad[c->spouse].slot >= 0)
            rc = zc_error_set(err, ZC_EINVAL, "cadres %lld and %lld are spouses, both sent",
                              (long long)c->id, (long long)m->cad[c->spouse].id);
        if (!(c->flags & MC_SERVING))
            sent[c->unit]++;
        else if (s != c->cur_slot)
            moves++;
        for (int32_t q = v->quota; q >= 0; q = m->quota[q].parent)
            qfill[q]++;
    }
    for (int32_t u = 0; u < m->nunits && rc == ZC_OK; u++)
        if (m->unit[u].cap != NO_CAP && sent[u] > m->unit[u].cap)
            rc = zc_error_set(err, ZC_EINVAL, "unit %s: %d sent, cap %d", m->unit[u].code, sent[u],
                              m->unit[u].cap);
    for (int32_t q = 0; q < m->nquota && rc == ZC_OK; q++)
        if (qfill[q] > m->quota[q].max)
            rc = zc_error_set(err, ZC_EINVAL, "quota %lld: %lld sent, max %d",
                              (long long)m->quota[q].lo, (long long)qfill[q], m->quota[q].max);
    if (rc == ZC_OK && m->opt.refill && moves > (m->opt.allow_moves > 0 ? m->opt.allow_moves : 0))
        rc = zc_error_set(err, ZC_EINVAL, "%lld serving cadres moved, at most %d allowed",
                          (long long)moves, m->opt.allow_moves);
    if (rc == ZC_OK && m->net)
        rc = mcf_verify(m->net, err);
    free(sent);
    free(qfill);
    return rc;
}

/* ---- why not ------------------------------------------------------------------- */

int model_why_not(const struct model *m, int64_t cadre_id, int64_t village, char *out, size_t outsz,
                  struct zc_error *err)
{
    int64_t ci = model_cadre_find(m, cadre_id);
    int32_t vi = village_find(m, village);
    const struct mcadre *c;
    const struct mvillage *v;
    const struct munit *u;
    int terms[MT_NTERMS], score;
    char tt[200];
    bool arc = false;

    if (ci < 0)
        return zc_error_set(err, ZC_ENOTFOUND, "cadre is not in the model");
    c = &m->cad[ci];
    u = &m->unit[c->unit];
    if (vi < 0) {
        snprintf(out, outsz,
                 "村 %lld 不在本方案中 (无工作队岗位或不在范围内) / village %lld has no team slot "
                 "in this plan (no team for its class under the policy, or outside the scope)",
                 (long long)village, (long long)village);
        return ZC_OK;
    }
    v = &m->vil[vi];
    score = model_fit(m, (int32_t)ci, vi, terms);
    model_terms_text(terms, tt, sizeof(tt));
    if (c->slot >= 0 && m->slot[c->slot].village == vi) {
        snprintf(out, outsz, "已派往该村 / assigned there (score %d: %s)", score, tt);
        return ZC_OK;
    }
    if (model_home_avoided(c, v)) {
        snprintf(out, outsz,
                 "回避: 该村在本人籍贯地 (avoidance.home) / the village is in the cadre's "
                 "hometown");
        return ZC_OK;
    }
    if (v->code < u->reach_lo || v->code > u->reach_hi) {
        snprintf(out, outsz,
                 "超出派出单位 %s 的选派范围 / outside the reach of unit %s (%lld-%lld)", u->code,
                 u->code, (long long)u->reach_lo, (long long)u->reach_hi);
        return ZC_OK;
    }
    if (c->flags & MC_SPOUSE_OUT) {
        snprintf(out, outsz,
                 "夫妻不同派: 配偶所在单位名额更紧, 本人未进入模型 / spouses_apart: "
                 "left out so that the couple is never both sent");
        return ZC_OK;
    }
    if (u->cap == 0 && !(c->flags & MC_SERVING)) {
        snprintf(out, outsz,
                 "单位 %s 抽调比例已满 (max_unit_share_percent %d%%) / unit cap "
                 "reached",
                 u->code, m->pol.caps.max_unit_share_percent);
        return ZC_OK;
    }
    if (!model_village_ok(c, v)) {
        snprintf(
            out, outsz,
            "岗位条件不符: 该村空缺岗位均有任职条件 (第一书记/队长需党员及职级, 维稳需政法单位或"
            "相关技能, 需求岗位需对应技能), 本人均不满足 / no open slot of the village "
            "accepts the cadre (role rules: first secretary, leader, stability, needs)");
        return ZC_OK;
    }
    /* The village's column the cadre may take at the least reduced cost
     * under the plan's prices: what forcing the pair would add to the
     * objective. Every arc of the full model was priced, in the network or
     * not, so this is the answer for pairs the start graph left out too. */
    if (m->net && m->solved && c->node >= 0) {
        int64_t hub = mcf_potential(m->net, m->hub), pc = mcf_potential(m->net, c->node) - hub;
        int64_t best = INT64_MAX, mp = (c->flags & MC_SERVING) ? MOVE_PENALTY : 0;
        int32_t bs = -1;
        for (int32_t t = v->first_slot; t < v->first_slot + v->nslots; t++) {
            const struct mslot *sl = &m->slot[t];
            int64_t rc;
            if (sl->col != t || t == c->cur_slot || !model_role_ok(c, sl))
                continue;
            rc = -(int64_t)model_slot_score(m, c, sl, score) + mp + pc -
                 (mcf_potential(m->net, sl->node) - hub);
            if (rc < best) {
                best = rc;
                bs = t;
            }
        }
        if (bs >= 0) {
            const struct mslot *sl = &m->slot[bs];
            arc = true;
            score = model_fit_slot(m, (int32_t)ci, bs, terms);
            model_terms_text(terms, tt, sizeof(tt));
            snprintf(out, outsz,
                     "不如现任人选合适: 该村%s岗位由%s担任; 强制派往将使目标值增加 %lld (score %d: "
                     "%s) / slot %d (%s) went to %s; forcing the cadre there would raise the "
                     "cost by %lld",
                     role_zh[sl->role], sl->cadre >= 0 ? "更合适的人选" : "无人 (见原因)",
                     (long long)(best > 0 ? best : 0), score, tt, sl->seq, role_names[sl->role],
                     sl->cadre >= 0 ? "a better fit" : "nobody", (long long)(best > 0 ? best : 0));
            return ZC_OK;
        }
    }
    if (!arc) {
        snprintf(out, outsz,
                 "本人未进入模型: 辖区内无可任岗位 (score %d: %s) / the cadre has no slot to take "
                 "within reach",
                 score, tt);
        return ZC_OK;
    }
    snprintf(out, outsz, "候选但未选 (score %d: %s) / a candidate, not chosen", score, tt);
    return ZC_OK;
}
