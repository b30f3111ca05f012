/* SPDX-License-Identifier: MIT */
/* fieldgen.c - one month of field records for a demo database (see
 * scenario.h: scenario_field_generate).
 *
 * For every cadre stationed at the start of the month: a morning check-in
 * on the days in the village (a fresh fix near the centre each day, as a
 * phone gives), an evening one on most weeknights, a diary entry on most
 * days and household visits among the village's registered households;
 * weekends often at home; some leave (approved at the level the policy's
 * chain names) and official trips. A few cadres are planted with each
 * pattern the cases look for, so the ledger and the cases show real
 * content: "两头跑" (seen near the sending unit on village days, with
 * diary claims), the same coordinates every day, an impossible jump, fixes
 * outside the geofence on present days, diaries with no presence. Every
 * record goes through the field module's own writers (src/field) and is
 * labelled demo; the same seed gives the same records. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aid/aid.h"
#include "base/calendar.h"
#include "base/geo.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "scenario_int.h"
#include "store/store.h"

enum profile {
    PF_NORMAL,
    PF_BOTH_WAYS,  /* 两头跑: near the sending unit on weekdays of two weeks */
    PF_REPEATED,   /* the same coordinates every day */
    PF_JUMP,       /* an impossible jump on one day */
    PF_OUTSIDE,    /* fixes outside the geofence on present days */
    PF_DIARY_ONLY, /* diaries on days without presence */
};

struct gcadre {
    int64_t id, village;
    double lat, lng; /* village centre, WGS-84 */
    int radius;
    bool has_unit;
    double ulat, ulng; /* sending unit */
    enum profile prof;
};

/* A point `m` metres from (lat, lng) in direction `deg`. */
static void offset(double lat, double lng, double m, double deg, double *olat, double *olng)
{
    double rad = deg * M_PI / 180;
    *olat = lat + m * cos(rad) / 111320.0;
    *olng = lng + m * sin(rad) / (111320.0 * cos(lat * M_PI / 180));
}

/* The county a unit sits in: its own, or a city's or province's first
 * district (xx01 02: the seat in most provinces). */
static int64_t unit_county6(int64_t division)
{
    int64_t c6 = division / 1000000;
    if (c6 % 100)
        return c6;
    if (c6 % 10000)
        return c6 + 2;
    return c6 + 102;
}

static int place_units(struct store *s, struct scenario_counties *co, struct scenario_rng *r,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = true;
    int rc = store_prepare(s, scenario_gen_sql[SG_UNPLACED_UNITS], &q, err);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        double lng = 0, lat = 0;
        bool inside;
        struct geo_point g;
        int64_t c6 = unit_county6(store_col_int(q, 1));
        if (scenario_counties_point(co, c6, c6 * 1000 + 1, r, &lng, &lat, &inside) != ZC_OK)
            continue;
        g = geo_gcj02_to_wgs84((struct geo_point){lng, lat});
        rc = registry_set_unit_place(s, store_col_text(q, 0), g.lat, g.lng, err);
    }
    store_finalize(q);
    return rc;
}

static int load_roster(struct store *s, const char *first, struct gcadre **out, size_t *n,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    size_t cap = 0;
    bool row = true;
    int rc = store_prepare(s, scenario_gen_sql[SG_ROSTER], &q, err);
    *out = NULL;
    *n = 0;
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, first);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct gcadre *g;
        struct geo_point v = {store_col_real(q, 3), store_col_real(q, 2)};
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *out = zc_realloc(*out, cap * sizeof(**out));
        }
        g = &(*out)[(*n)++];
        memset(g, 0, sizeof(*g));
        g->id = store_col_int(q, 0);
        g->village = store_col_int(q, 1);
        if (strcmp(store_col_text(q, 4), "GCJ02") == 0)
            v = geo_gcj02_to_wgs84(v);
        g->lat = v.lat;
        g->lng = v.lng;
        g->radius = store_col_is_null(q, 5) ? 0 : (int)store_col_int(q, 5);
        g->has_unit = !store_col_is_null(q, 6);
        g->ulat = store_col_real(q, 6);
        g->ulng = store_col_real(q, 7);
    }
    store_finalize(q);
    return rc;
}

struct households {
    char (*id)[40];
    size_t n;
};

static int load_households(struct store_stmt *q, int64_t village, struct households *h,
                           struct zc_error *err)
{
    bool row = true;
    int rc;
    h->n = 0;
    store_reset(q);
    store_bind_int(q, 1, village);
    while ((rc = store_step(q, &row, err)) == ZC_OK && row && h->n < 60)
        snprintf(h->id[h->n++], 40, "%s", store_col_text(q, 0));
    store_reset(q);
    return rc;
}

struct gen {
    struct store *s;
    const struct policy *p;
    struct field_writer *w;
    struct zc_scope all;
    struct scenario_field_stats *st;
    int64_t first; /* days of day 1 */
    int ndays;
    char ym[8];
};

static int checkin(struct gen *g, const struct gcadre *c, int day, int minute, double lat,
                   double lng, double acc, int *seq, struct zc_error *err)
{
    struct field_checkin in;
    struct field_evidence ev;
    char d[11], cid[64];
    int rc;
    memset(&in, 0, sizeof(in));
    field_date_text(g->first + day, d);
    snprintf(in.at, sizeof(in.at), "%s %02u:%02u:%02u", d, (unsigned)(minute / 60) % 100u,
             (unsigned)(minute % 60) % 100u, (unsigned)((*seq * 37) % 60) % 100u);
    snprintf(cid, sizeof(cid), "demo:%lld:%d", (long long)c->id, (*seq)++);
    in.cadre = c->id;
    in.has_pos = true;
    in.lat = lat;
    in.lng = lng;
    in.accuracy_m = acc;
    in.device = "demo-phone";
    in.source = "demo";
    in.client_id = cid;
    in.synced_at = in.at;
    in.demo = true;
    rc = field_writer_add(g->w, &g->all, &in, &ev, err);
    if (rc == ZC_OK)
        g->st->checkins++;
    return rc;
}

static int entry(struct gen *g, const struct gcadre *c, int day, bool visit, const char *hh,
                 const char *text, bool pos, double lat, double lng, int *seq, struct zc_error *err)
{
    struct field_entry in;
    char cid[64], cap[20];
    int64_t id;
    int rc;
    memset(&in, 0, sizeof(in));
    in.cadre = c->id;
    in.visit = visit;
    field_date_text(g->first + day, in.day);
    in.household = hh;
    in.text = text;
    in.has_pos = pos;
    in.lat = lat;
    in.lng = lng;
    snprintf(cid, sizeof(cid), "demo-entry:%lld:%d", (long long)c->id, (*seq)++);
    in.client_id = cid;
    snprintf(cap, sizeof(cap), "%s 21:30:00", in.day);
    in.captured_at = cap;
    in.demo = true;
    rc = field_entry_add(g->s, g->p, &g->all, &in, &id, err);
    if (rc == ZC_OK)
        g->st->entries += 1;
    if (rc == ZC_OK && visit)
        g->st->visits++;
    return rc;
}

static const char *const diary_texts[] = {
    "召开村两委会议, 研究产业发展项目",   "到合作社了解种养殖情况, 协调技术员下村指导",
    "开展党员学习活动, 学习脱贫攻坚政策", "走访村民小组, 收集群众意见, 排查矛盾纠纷",
    "协调修缮村屯道路, 核对项目资金",     "整理贫困户档案, 更新一户一策台账",
};

static const char *const visit_texts[] = {
    "入户走访, 了解家庭收入和务工情况, 宣讲帮扶政策",
    "核实医保参保和大病救助, 联系镇卫生院上门",
    "了解子女上学和教育资助落实情况",
    "指导种养殖, 落实产业奖补申报",
};

static int leave(struct gen *g, const struct gcadre *c, int kind, int from, int days,
                 const char *reason, unsigned char *away, struct zc_error *err)
{
    struct field_leave_req in;
    int64_t id;
    int approver, rc;
    memset(&in, 0, sizeof(in));
    in.cadre = c->id;
    in.kind = kind;
    field_date_text(g->first + from, in.start);
    field_date_text(g->first + from + days - 1, in.end);
    in.reason = reason;
    in.actor = "demo";
    rc = field_leave_request(g->s, g->p, &g->all, &in, &id, &approver, err);
    if (rc == ZC_OK)
        rc = field_leave_decide(g->s, &g->all, approver, id, true, "同意", "demo", err);
    if (rc == ZC_OK) {
        g->st->leaves++;
        for (int d = from; d < from + days && d < g->ndays; d++)
            away[d] = 1;
    }
    return rc;
}

static int gen_cadre(struct gen *g, const struct gcadre *c, struct scenario_rng *r,
                     const struct households *hh, struct zc_error *err)
{
    unsigned char away[31] = {0};
    int radius = c->radius ? c->radius : g->p->field.radius_m, seq = 0, eseq = 0, rc = ZC_OK;
    double fixed_lat, fixed_lng;
    double u = scenario_rng_unit(r);

    offset(c->lat, c->lng, radius * 0.3, 45, &fixed_lat, &fixed_lng);
    /* Leave and trips first: the days they take have no village records. */
    if (u < 0.06)
        rc = leave(g, c, FL_LEAVE, 8 + (int)scenario_rng_below(r, 10), 3, "家中有事", away, err);
    else if (u < 0.09)
        rc = leave(g, c, FL_LEAVE, 12, 5, "病假", away, err);
    if (rc == ZC_OK && scenario_rng_unit(r) < 0.10)
        rc = leave(g, c, FL_TRIP, 20 + (int)scenario_rng_below(r, 5), 2, "到县里参加培训会议", away,
                   err);
    for (int day = 0; rc == ZC_OK && day < g->ndays; day++) {
        int wd = cal_weekday(g->first + day); /* 0 = Monday */
        bool weekend = wd >= 5, present;
        double lat, lng;
        if (away[day])
            continue;
        present = !weekend || scenario_rng_unit(r) < 0.45;
        if (c->prof == PF_BOTH_WAYS && !weekend && day >= 7 && day < 21) {
            /* At the sending unit, with a diary claim now and then. */
            if (c->has_unit) {
                offset(c->ulat, c->ulng, (double)scenario_rng_range(r, 50, 800),
                       (double)scenario_rng_below(r, 360), &lat, &lng);
                rc = checkin(g, c, day, 9 * 60 + (int)scenario_rng_below(r, 40), lat, lng, 30, &seq,
                             err);
            }
            if (rc == ZC_OK && wd == 2)
                rc = entry(g, c, day, false, NULL, diary_texts[day % 6], false, 0, 0, &eseq, err);
            continue;
        }
        if (c->prof == PF_DIARY_ONLY && (day == 9 || day == 10 || day == 16)) {
            rc = entry(g, c, day, false, NULL, diary_texts[day % 6], false, 0, 0, &eseq, err);
            continue;
        }
        if (!present)
            continue;
        if (c->prof == PF_REPEATED) {
            lat = fixed_lat;
            lng = fixed_lng;
        } else {
            offset(c->lat, c->lng, scenario_rng_unit(r) * radius * 0.5, scenario_rng_unit(r) * 360,
                   &lat, &lng);
        }
        {
            int morning = 7 * 60 + 30 + (int)scenario_rng_below(r, 90);
            rc = checkin(g, c, day, morning, lat, lng, 10 + (double)scenario_rng_below(r, 50), &seq,
                         err);
            /* Twenty minutes later at the sending unit, tens of kilometres away. */
            if (rc == ZC_OK && c->prof == PF_JUMP && day == 10 && c->has_unit)
                rc = checkin(g, c, day, morning + 20, c->ulat, c->ulng, 20, &seq, err);
        }
        if (rc == ZC_OK && c->prof == PF_OUTSIDE && (day % 6) == 1) {
            double olat, olng;
            offset(c->lat, c->lng, radius + 4000 + (double)scenario_rng_below(r, 3000),
                   scenario_rng_unit(r) * 360, &olat, &olng);
            rc = checkin(g, c, day, 15 * 60 + (int)scenario_rng_below(r, 60), olat, olng, 25, &seq,
                         err);
        }
        if (rc == ZC_OK && wd <= 3 && scenario_rng_unit(r) < 0.8 && c->prof != PF_REPEATED) {
            double elat, elng;
            offset(c->lat, c->lng, scenario_rng_unit(r) * radius * 0.3, scenario_rng_unit(r) * 360,
                   &elat, &elng);
            rc = checkin(g, c, day, 20 * 60 + 30 + (int)scenario_rng_below(r, 100), elat, elng, 15,
                         &seq, err);
        }
        if (rc == ZC_OK && scenario_rng_unit(r) < 0.55)
            rc = entry(g, c, day, false, NULL, diary_texts[scenario_rng_below(r, 6)], true, lat,
                       lng, &eseq, err);
        if (rc == ZC_OK && hh->n && scenario_rng_unit(r) < 0.4)
            rc = entry(g, c, day, true, hh->id[scenario_rng_below(r, hh->n)],
                       visit_texts[scenario_rng_below(r, 4)], true, lat, lng, &eseq, err);
    }
    return rc;
}

/* The stationed cadres become responsible cadres (帮扶责任人) of their
 * village's households that have none, up to the policy's cap: first the
 * households they visited this month, then others in order (aid_assign
 * checks the team and the cap). The month's records are not changed. */
static int assign_team(struct store *s, const struct policy *p, const struct gcadre *cs, size_t n,
                       const char *since, struct scenario_field_stats *st, struct zc_error *err)
{
    static const enum scenario_query qs[3] = {SQ_CADRE_IDNUM, SQ_VISITED_FREE, SQ_VILLAGE_FREE};
    struct zc_scope all = zc_scope_all();
    struct store_stmt *q[3] = {NULL, NULL, NULL};
    int rc = ZC_OK;
    for (int i = 0; rc == ZC_OK && i < 3; i++)
        rc = store_prepare(s, scenario_sql[qs[i]], &q[i], err);
    for (size_t i = 0; rc == ZC_OK && i < n; i++) {
        char idn[24] = "", pick[5][40];
        size_t np = 0;
        bool row = false;
        store_reset(q[0]);
        store_bind_int(q[0], 1, cs[i].id);
        rc = store_step(q[0], &row, err);
        if (rc != ZC_OK || !row)
            continue;
        snprintf(idn, sizeof(idn), "%s", store_col_text(q[0], 0));
        for (int k = 1; rc == ZC_OK && k < 3; k++) {
            store_reset(q[k]);
            store_bind_int(q[k], 1, k == 1 ? cs[i].id : cs[i].village);
            while (np < (size_t)p->aid.households_per_cadre && np < 5 &&
                   (rc = store_step(q[k], &row, err)) == ZC_OK && row) {
                bool dup = false;
                for (size_t j = 0; j < np; j++)
                    dup |= strcmp(pick[j], store_col_text(q[k], 0)) == 0;
                if (!dup)
                    snprintf(pick[np++], 40, "%s", store_col_text(q[k], 0));
            }
            store_reset(q[k]);
        }
        for (size_t j = 0; rc == ZC_OK && j < np; j++) {
            char basis[8], prev[19];
            int64_t village;
            rc = aid_assign(s, p, &all, pick[j], idn, since, "demo", basis, prev, &village, err);
            if (rc == ZC_EINVAL) { /* the cadre's cap is reached (an earlier month): enough */
                zc_error_clear(err);
                rc = ZC_OK;
                break;
            }
            st->responsible += rc == ZC_OK;
        }
    }
    for (int i = 0; i < 3; i++)
        store_finalize(q[i]);
    if (rc == ZC_OK)
        rc = store_exec(s, scenario_sql[SQ_DEMO_LABEL], err);
    return rc;
}

int scenario_field_generate(struct store *s, const struct policy *p, const char *ym, uint64_t seed,
                            const char *counties_path, struct scenario_field_stats *st,
                            int (*record)(void *ud, struct store *s,
                                          const struct scenario_field_stats *st,
                                          struct zc_error *err),
                            void *record_ud, struct zc_error *err)
{
    struct scenario_counties *co = NULL;
    struct store_stmt *hq = NULL;
    struct households hh = {0};
    struct gcadre *cs = NULL;
    struct scenario_rng r;
    struct gen g;
    size_t n = 0;
    char first[11];
    int rc;

    memset(st, 0, sizeof(*st));
    memset(&g, 0, sizeof(g));
    if (!field_month_range(ym, &g.first, &g.ndays))
        return zc_error_set(err, ZC_EINVAL, "month '%s' is not YYYY-MM", ym);
    if (!scenario_store_is_demo(s))
        return zc_error_set(err, ZC_ECONFLICT,
                            "this database holds a real ledger, not a demo: demo field records "
                            "are generated only into demo databases");
    g.s = s;
    g.p = p;
    g.all = zc_scope_all();
    g.st = st;
    snprintf(g.ym, sizeof(g.ym), "%s", ym);
    field_date_text(g.first, first);
    hh.id = zc_calloc(60, sizeof(*hh.id));

    {
        struct store_stmt *q = NULL;
        char from[20], to[20];
        bool row = false;
        snprintf(from, sizeof(from), "%s 00:00:00", first);
        field_date_text(g.first + g.ndays, to);
        rc = store_prepare(s, scenario_gen_sql[SG_CHECKINS_IN], &q, err);
        if (rc == ZC_OK) {
            store_bind_cstr(q, 1, from);
            store_bind_cstr(q, 2, to);
            rc = store_step(q, &row, err);
        }
        store_finalize(q);
        if (rc == ZC_OK && row)
            rc = zc_error_set(err, ZC_ECONFLICT,
                              "%s already has demo field records; generate another month", ym);
        if (rc != ZC_OK) {
            free(hh.id);
            return rc;
        }
    }
    rc = store_begin(s, err);
    if (rc == ZC_OK && counties_path && *counties_path &&
        scenario_counties_load(counties_path, &co, err) == ZC_OK) {
        scenario_rng_fork(&r, seed, "field-units");
        rc = place_units(s, co, &r, err);
    }
    zc_error_clear(err);
    if (rc == ZC_OK)
        rc = load_roster(s, first, &cs, &n, err);
    if (rc == ZC_OK)
        rc = store_prepare(s, scenario_sql[SQ_VILLAGE_HH], &hq, err);
    if (rc == ZC_OK)
        rc = field_writer_open(s, p, &g.w, err);
    if (rc == ZC_OK && n) {
        /* Plant each pattern on a few cadres, drawn from the seed. */
        size_t *order = zc_calloc(n, sizeof(*order));

        static const enum profile plant[] = {PF_BOTH_WAYS, PF_BOTH_WAYS,  PF_BOTH_WAYS, PF_REPEATED,
                                             PF_REPEATED,  PF_JUMP,       PF_JUMP,      PF_OUTSIDE,
                                             PF_OUTSIDE,   PF_DIARY_ONLY, PF_DIARY_ONLY};

        scenario_rng_fork(&r, seed, "field-plant");
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        scenario_rng_shuffle(&r, order, n, sizeof(*order));
        for (size_t i = 0; i < n && i < sizeof(plant) / sizeof(plant[0]); i++) {
            if ((plant[i] == PF_BOTH_WAYS || plant[i] == PF_JUMP) && !cs[order[i]].has_unit)
                continue;
            cs[order[i]].prof = plant[i];
            st->planted++;
        }
        free(order);
    }
    for (size_t i = 0; rc == ZC_OK && i < n; i++) {
        struct scenario_rng cr;
        char purpose[48];
        snprintf(purpose, sizeof(purpose), "field-%lld", (long long)cs[i].id);
        scenario_rng_fork(&cr, seed, purpose);
        rc = load_households(hq, cs[i].village, &hh, err);
        if (rc == ZC_OK)
            rc = gen_cadre(&g, &cs[i], &cr, &hh, err);
        st->cadres++;
    }
    field_writer_close(g.w);
    store_finalize(hq);
    if (rc == ZC_OK)
        rc = assign_team(s, p, cs, n, first, st, err);
    if (rc == ZC_OK && record)
        rc = record(record_ud, s, st, err);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    scenario_counties_free(co);
    free(cs);
    free(hh.id);
    return rc;
}
