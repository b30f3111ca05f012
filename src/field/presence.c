/* SPDX-License-Identifier: MIT */
/* presence.c - the residence ledger and the "两头跑" cases of a month.
 *
 * Both read the same month: the postings that overlap it inside the
 * scope, the approved leave and trips, the check-ins (through the morning
 * after the last day, for its night) and the diary entries and visits.
 * They are loaded once into per-cadre arrays (struct month), then every
 * figure is a pass over one cadre's records, so a province's month (22,000
 * cadres, 660,000 check-ins) is a few sequential scans.
 *
 * A day counts as present from any evidence in the village: a check-in
 * inside the geofence (or attested by an attendance export), and, as the
 * policy allows, a visit or diary entry with a position inside it. A night
 * (the one starting on a day) from evidence inside during the night window
 * or, under twice_daily, an evening check-in and the next morning's both
 * inside. The monthly rule is prorated to the days posted; official trips
 * count towards it, leave does not. The weekly rule applies to each
 * Monday-Sunday week that lies inside the month, fully posted, without leave
 * or trips.
 *
 * Under checkin "none" nobody is asked to check in: a check-in is listed
 * but proves nothing, and the cases' rules on points (speed, outside on a
 * present day, repeated coordinates, near the sending unit) read the
 * positions diary entries and visits were written at, at the time they
 * were written (entry_points). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/geo.h"
#include "base/mem.h"
#include "field_int.h"
#include "policy/policy.h"

struct mpoint {
    int64_t id;
    int64_t t;  /* seconds, local */
    int day;    /* 0-based day of the month; ndays = the morning after */
    int minute; /* minute of the day */
    int inside; /* 1, 0, -1 */
    bool has_pos;
    bool late; /* reached the server more than a day after it was taken (补报) */
    double lat, lng, dist;
    const char *kind; /* the record: "checkin", or "diary"/"visit" under checkin "none" */
};

struct mentry {
    int64_t id;
    int day;
    bool visit;
    int inside;
    char household[40];
    bool has_pos;    /* where it was written ... */
    double lat, lng; /* WGS-84 */
    int64_t t;       /* ... and when (seconds, local) */
};

struct mcadre {
    int64_t cadre, village;
    char *id_number, *name, *village_name, *unit_name;
    bool has_unit_pos;
    double unit_lat, unit_lng;
    bool has_pos;    /* village centre known */
    double lat, lng; /* WGS-84 */
    bool posted[31];
    unsigned char away[31]; /* 0, FD_LEAVE or FD_TRIP */
    int64_t contest[31];    /* an accepted contest of the day, or 0 */
    int64_t away_id[31];
    struct mpoint *pts;
    size_t npts, cappts;
    struct mentry *ents;
    size_t nents, capents;
};

struct month {
    int y, m, ndays;
    int64_t first; /* days of day 1 */
    int64_t today; /* days of today (field_now): later days are not judged */
    char first_s[11], last_s[11];
    struct mcadre *c;
    size_t n;
};

static void month_free(struct month *mo)
{
    for (size_t i = 0; i < mo->n; i++) {
        free(mo->c[i].id_number);
        free(mo->c[i].name);
        free(mo->c[i].village_name);
        free(mo->c[i].unit_name);
        free(mo->c[i].pts);
        free(mo->c[i].ents);
    }
    free(mo->c);
}

static struct mcadre *find_cadre(struct month *mo, int64_t id)
{
    size_t lo = 0, hi = mo->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (mo->c[mid].cadre < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < mo->n && mo->c[lo].cadre == id ? &mo->c[lo] : NULL;
}

/* Day index in the month of "YYYY-MM-DD", clamped to [-1, ndays]. */
static int day_index(const struct month *mo, const char *s)
{
    int64_t d;
    if (!field_date_days(s, &d))
        return -1;
    d -= mo->first;
    return d < -1 ? -1 : d > mo->ndays ? mo->ndays : (int)d;
}

/* Prepare a month statement and bind its four parameters: the span [a, b]
 * (days or times) and the cadre range [clo, chi]. */
static int month_query(struct store *s, enum field_query which, const char *a, const char *b,
                       int64_t clo, int64_t chi, struct store_stmt **q, struct zc_error *err)
{
    int rc = field_prepare(s, which, q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(*q, 1, a);
        store_bind_cstr(*q, 2, b);
        store_bind_int(*q, 3, clo);
        store_bind_int(*q, 4, chi);
    }
    return rc;
}

static int month_load(struct store *s, const struct zc_scope *scope, const char *ym, int64_t cadre,
                      struct month *mo, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t clo = cadre > 0 ? cadre : 0, chi = cadre > 0 ? cadre : INT64_MAX;
    char from[20], to[20], next_s[11];
    bool row = true;
    size_t cap = 0;
    int rc;

    memset(mo, 0, sizeof(*mo));
    if (!field_month_parse(ym, &mo->y, &mo->m))
        return zc_error_set(err, ZC_EINVAL, "month '%s' is not YYYY-MM", ym ? ym : "");
    if (scope->cadre != 0) {
        if (cadre > 0 && cadre != scope->cadre)
            return zc_error_set(err, ZC_EFORBIDDEN, "a cadre sees only their own ledger");
        clo = chi = scope->cadre;
    }
    mo->ndays = cal_month_days(mo->y, mo->m);
    {
        char now[20];
        field_now(now);
        now[10] = '\0';
        if (!field_date_days(now, &mo->today))
            mo->today = INT64_MAX;
    }
    mo->first = cal_days(mo->y, mo->m, 1);
    field_date_text(mo->first, mo->first_s);
    field_date_text(mo->first + mo->ndays - 1, mo->last_s);
    field_date_text(mo->first + mo->ndays, next_s);
    snprintf(from, sizeof(from), "%s 00:00:00", mo->first_s);
    snprintf(to, sizeof(to), "%s 12:00:00", next_s);

    rc = field_prepare(s, FQ_MONTH_POSTINGS, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_cstr(q, 3, mo->first_s);
        store_bind_cstr(q, 4, mo->last_s);
        store_bind_int(q, 5, clo);
        store_bind_int(q, 6, chi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        int64_t id = store_col_int(q, 0);
        struct mcadre *c = mo->n ? &mo->c[mo->n - 1] : NULL;
        int a = day_index(mo, store_col_text(q, 2)), b = day_index(mo, store_col_text(q, 3));
        if (!c || c->cadre != id) {
            if (mo->n == cap) {
                cap = cap ? cap * 2 : 64;
                mo->c = zc_realloc(mo->c, cap * sizeof(*mo->c));
            }
            c = &mo->c[mo->n++];
            memset(c, 0, sizeof(*c));
            c->cadre = id;
            c->id_number = zc_strdup(store_col_text(q, 4));
            c->name = zc_strdup(store_col_text(q, 5));
            c->unit_name = zc_strdup(store_col_text(q, 7));
            c->has_unit_pos = !store_col_is_null(q, 8) && !store_col_is_null(q, 9);
            c->unit_lat = store_col_real(q, 8);
            c->unit_lng = store_col_real(q, 9);
        }
        /* The latest posting names the village. */
        free(c->village_name);
        c->village_name = zc_strdup(store_col_text(q, 6));
        c->village = store_col_int(q, 1);
        c->has_pos = !store_col_is_null(q, 10) && !store_col_is_null(q, 11);
        if (c->has_pos) {
            struct geo_point g = {store_col_real(q, 11), store_col_real(q, 10)};
            if (strcmp(store_col_text(q, 12), "GCJ02") == 0)
                g = geo_gcj02_to_wgs84(g);
            c->lat = g.lat;
            c->lng = g.lng;
        }
        if (a < 0)
            a = 0;
        if (b >= mo->ndays)
            b = mo->ndays - 1;
        for (int d = a; d <= b; d++)
            c->posted[d] = true;
    }
    store_finalize(q);
    q = NULL;

    if (rc == ZC_OK && mo->n) {
        rc = month_query(s, FQ_MONTH_LEAVES, mo->first_s, mo->last_s, clo, chi, &q, err);
        while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
            struct mcadre *c = find_cadre(mo, store_col_int(q, 0));
            int a = day_index(mo, store_col_text(q, 3)), b = day_index(mo, store_col_text(q, 4));
            unsigned char kind = strcmp(store_col_text(q, 2), "leave") == 0 ? FD_LEAVE : FD_TRIP;
            if (!c)
                continue;
            if (!store_col_is_null(q, 5)) /* 销假: back on that day */
                b = day_index(mo, store_col_text(q, 5)) - 1;
            if (a < 0)
                a = 0;
            if (b >= mo->ndays)
                b = mo->ndays - 1;
            for (int d = a; d <= b; d++) {
                c->away[d] = kind;
                c->away_id[d] = store_col_int(q, 1);
            }
        }
        store_finalize(q);
        q = NULL;
    }
    if (rc == ZC_OK && mo->n) {
        rc = month_query(s, FQ_MONTH_CHECKINS, from, to, clo, chi, &q, err);
        while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
            struct mcadre *c = find_cadre(mo, store_col_int(q, 0));
            const char *at = store_col_text(q, 2);
            struct mpoint *pt;
            int64_t t;
            if (!c)
                continue;
            if (c->npts == c->cappts) {
                c->cappts = c->cappts ? c->cappts * 2 : 64;
                c->pts = zc_realloc(c->pts, c->cappts * sizeof(*c->pts));
            }
            pt = &c->pts[c->npts++];
            t = field_time_seconds(at);
            pt->id = store_col_int(q, 1);
            pt->kind = "checkin";
            pt->t = t;
            pt->day = (int)(t / 86400 - mo->first);
            pt->minute = (int)(t % 86400 / 60);
            pt->inside = store_col_is_null(q, 3) ? -1 : (int)store_col_int(q, 3);
            pt->has_pos = !store_col_is_null(q, 4);
            pt->lat = store_col_real(q, 4);
            pt->lng = store_col_real(q, 5);
            pt->dist = store_col_is_null(q, 6) ? -1 : store_col_real(q, 6);
            pt->late = field_time_seconds(store_col_text(q, 7)) - t > FIELD_LATE_SECONDS;
        }
        store_finalize(q);
        q = NULL;
    }
    if (rc == ZC_OK && mo->n) {
        rc = month_query(s, FQ_MONTH_ENTRIES, mo->first_s, mo->last_s, clo, chi, &q, err);
        while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
            struct mcadre *c = find_cadre(mo, store_col_int(q, 0));
            struct mentry *e;
            if (!c)
                continue;
            if (c->nents == c->capents) {
                c->capents = c->capents ? c->capents * 2 : 16;
                c->ents = zc_realloc(c->ents, c->capents * sizeof(*c->ents));
            }
            e = &c->ents[c->nents++];
            e->id = store_col_int(q, 1);
            e->visit = strcmp(store_col_text(q, 2), "visit") == 0;
            e->day = day_index(mo, store_col_text(q, 3));
            e->inside = store_col_is_null(q, 4) ? -1 : (int)store_col_int(q, 4);
            snprintf(e->household, sizeof(e->household), "%s", store_col_text(q, 5));
            e->has_pos = !store_col_is_null(q, 6) && !store_col_is_null(q, 7);
            e->lat = store_col_real(q, 6);
            e->lng = store_col_real(q, 7);
            e->t = field_time_seconds(store_col_text(q, 8));
        }
        store_finalize(q);
    }
    if (rc == ZC_OK && mo->n) {
        q = NULL;
        rc = month_query(s, FQ_MONTH_CONTESTS, mo->first_s, mo->last_s, clo, chi, &q, err);
        while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
            struct mcadre *c = find_cadre(mo, store_col_int(q, 0));
            int d = day_index(mo, store_col_text(q, 2));
            if (c && d >= 0 && d < mo->ndays)
                c->contest[d] = store_col_int(q, 1);
        }
        store_finalize(q);
    }
    if (rc != ZC_OK)
        month_free(mo);
    return rc;
}

/* ---- the ledger ------------------------------------------------------------------ */

static void hhmm(int minute, char out[6])
{
    snprintf(out, 6, "%02u:%02u", (unsigned)(minute / 60) % 100u, (unsigned)(minute % 60) % 100u);
}

static void compute_row(const struct month *mo, const struct policy *p, const struct mcadre *c,
                        struct field_presence_row *r, struct buf *detail)
{
    const struct policy_field *f = &p->field;
    bool evening[32] = {false}, morning[32] = {false};
    int start_wd;

    memset(r, 0, sizeof(*r));
    r->cadre = c->cadre;
    r->id_number = c->id_number;
    r->name = c->name;
    r->village = c->village;
    r->village_name = c->village_name;
    r->unit_name = c->unit_name;
    r->has_pos = c->has_pos;
    r->lat = c->lat;
    r->lng = c->lng;
    r->ndays = mo->ndays;
    for (int d = 0; d < mo->ndays; d++) {
        r->state[d] = !c->posted[d]               ? FD_NOT_POSTED
                      : mo->first + d > mo->today ? FD_FUTURE
                      : c->away[d]                ? c->away[d]
                                                  : FD_ABSENT;
        if (c->posted[d] && r->state[d] != FD_FUTURE)
            r->posted_days++;
    }
    for (size_t i = 0; i < c->npts; i++) {
        const struct mpoint *pt = &c->pts[i];
        char hm[6];
        if (detail && pt->day >= 0 && pt->day < mo->ndays) {
            hhmm(pt->minute, hm);
            buf_printf(&detail[pt->day], "%s签到 %s %s", detail[pt->day].len ? "; " : "", hm,
                       pt->inside == 1   ? "在村"
                       : pt->inside == 0 ? "村外"
                                         : "位置不明");
            if (pt->dist >= 0)
                buf_printf(&detail[pt->day], " %.0f米", pt->dist);
            if (pt->late)
                buf_printf(&detail[pt->day], " 补报");
            buf_printf(&detail[pt->day], " (#%lld)", (long long)pt->id);
        }
        r->late += pt->late;
        /* Under checkin "none" nobody is asked to check in: presence comes
         * from the other records only (a check-in is listed, not counted). */
        if (pt->inside != 1 || f->checkin == PF_CHECKIN_NONE)
            continue;
        if (pt->day >= 0 && pt->day < mo->ndays && c->posted[pt->day]) {
            if (r->state[pt->day] == FD_ABSENT)
                r->state[pt->day] = FD_PRESENT;
            if (r->state[pt->day] == FD_PRESENT)
                r->day_evidence[pt->day]++;
        }
        /* The night window: the evening of a day or the morning after. */
        if (pt->minute >= f->night_from_min && pt->day >= 0 && pt->day < mo->ndays)
            r->night[pt->day] = true;
        if (pt->minute < f->night_to_min && pt->day >= 1 && pt->day <= mo->ndays)
            r->night[pt->day - 1] = true;
        if (pt->day >= 0 && pt->day <= mo->ndays) {
            if (pt->minute >= 17 * 60)
                evening[pt->day] = true;
            if (pt->minute < 10 * 60)
                morning[pt->day] = true;
        }
    }
    for (size_t i = 0; i < c->nents; i++) {
        const struct mentry *e = &c->ents[i];
        bool counts = e->inside == 1 && (e->visit ? f->from_visits : f->from_diary);
        if (e->day < 0 || e->day >= mo->ndays)
            continue;
        if (detail)
            buf_printf(&detail[e->day], "%s%s%s%s (#%lld)", detail[e->day].len ? "; " : "",
                       e->visit ? "走访 " : "日志", e->household, e->inside == 1 ? " 在村" : "",
                       (long long)e->id);
        if (counts && c->posted[e->day]) {
            if (r->state[e->day] == FD_ABSENT)
                r->state[e->day] = FD_PRESENT;
            if (r->state[e->day] == FD_PRESENT)
                r->day_evidence[e->day]++;
        }
    }
    /* A contested day the county accepted counts as present. */
    for (int d = 0; d < mo->ndays; d++) {
        if (!c->contest[d] || !c->posted[d] || r->state[d] == FD_FUTURE)
            continue;
        if (r->state[d] == FD_ABSENT)
            r->state[d] = FD_PRESENT;
        if (r->state[d] == FD_PRESENT)
            r->day_evidence[d]++;
        if (detail)
            buf_printf(&detail[d], "%s申诉已认可 (#%lld)", detail[d].len ? "; " : "",
                       (long long)c->contest[d]);
    }
    if (f->checkin == PF_CHECKIN_TWICE)
        for (int d = 0; d < mo->ndays; d++)
            if (evening[d] && morning[d + 1])
                r->night[d] = true;
    for (int d = 0; d < mo->ndays; d++) {
        if (r->state[d] != FD_PRESENT)
            r->night[d] = false; /* a night counts only on a day in the village */
        if (r->state[d] == FD_PRESENT)
            r->days++;
        if (r->night[d])
            r->nights++;
        if (r->state[d] == FD_LEAVE)
            r->leave_days++;
        if (r->state[d] == FD_TRIP)
            r->trip_days++;
        r->evidence += r->day_evidence[d];
        if (detail && c->away[d] && c->posted[d])
            buf_printf(&detail[d], "%s%s (#%lld)", detail[d].len ? "; " : "",
                       c->away[d] == FD_LEAVE ? "请假" : "公差", (long long)c->away_id[d]);
    }
    r->ok = true;
    if (f->days_per_month > 0) {
        r->required_days =
            (f->days_per_month * r->posted_days + mo->ndays - 1) / mo->ndays; /* rounded up */
        if (r->days + r->trip_days < r->required_days)
            r->ok = false;
    }
    /* Weekly rule over full Monday-Sunday weeks inside the month. */
    start_wd = cal_weekday(mo->first); /* 0 = Monday */
    if (f->days_per_week > 0 || f->nights_per_week > 0) {
        for (int d = (7 - start_wd) % 7; d + 6 < mo->ndays; d += 7) {
            int days = 0, nights = 0;
            bool applies = true;
            for (int k = d; k < d + 7; k++) {
                if (r->state[k] == FD_NOT_POSTED || r->state[k] == FD_FUTURE ||
                    r->state[k] == FD_LEAVE || r->state[k] == FD_TRIP)
                    applies = false;
                days += r->state[k] == FD_PRESENT;
                nights += r->night[k];
            }
            if (!applies)
                continue;
            r->weeks_checked++;
            if (days < f->days_per_week || nights < f->nights_per_week)
                r->weeks_failed++;
        }
        if (r->weeks_failed)
            r->ok = false;
    }
    if (r->posted_days == 0)
        r->ok = false;
    r->subsidy_fen = (int64_t)f->subsidy_day_fen * r->days + (r->ok ? f->subsidy_month_fen : 0);
}

/* The ledger's rows of a loaded month (field_presence). */
static int presence_rows(const struct month *mo, const struct policy *p, int64_t cadre,
                         int (*fn)(void *ud, const struct field_presence_row *row), void *ud)
{
    struct buf detail[31];
    const char *texts[31];
    int rc = ZC_OK;
    memset(detail, 0, sizeof(detail));
    for (size_t i = 0; rc == ZC_OK && i < mo->n; i++) {
        struct field_presence_row r;
        for (int d = 0; d < 31; d++)
            buf_reset(&detail[d]);
        compute_row(mo, p, &mo->c[i], &r, cadre > 0 ? detail : NULL);
        if (cadre > 0) {
            for (int d = 0; d < 31; d++)
                texts[d] = buf_cstr(&detail[d]);
            r.day_detail = texts;
        }
        rc = fn(ud, &r);
    }
    for (int d = 0; d < 31; d++)
        buf_fini(&detail[d]);
    return rc;
}

int field_presence(struct store *s, const struct policy *p, const struct zc_scope *scope,
                   const char *ym, int64_t cadre,
                   int (*fn)(void *ud, const struct field_presence_row *row), void *ud,
                   struct zc_error *err)
{
    struct month mo;
    int rc = month_load(s, scope, ym, cadre, &mo, err);
    if (rc != ZC_OK)
        return rc;
    rc = presence_rows(&mo, p, cadre, fn, ud);
    month_free(&mo);
    return rc;
}

/* ---- cases ----------------------------------------------------------------------- */

const char *const field_case_rules[5] = {
    "impossible_travel",        "outside_on_present_day", "repeated_coordinates",
    "home_city_on_village_day", "diary_without_presence",
};

struct dismissal {
    int64_t cadre;
    char day[11];
    char rule[32];
    char *reason;
    bool confirmed; /* the verdict: confirmed (核实), else dismissed */
};

struct case_out {
    int (*fn)(void *ud, const struct field_case *c);
    void *ud;
    const struct month *mo;
    const struct dismissal *dis;
    size_t ndis;
};

static int emit(struct case_out *o, const struct mcadre *c, int day, const char *rule,
                const struct buf *detail, const struct buf *detail_zh, const char *evidence)
{
    struct field_case k;
    memset(&k, 0, sizeof(k));
    k.cadre = c->cadre;
    k.id_number = c->id_number;
    k.name = c->name;
    k.village = c->village;
    k.village_name = c->village_name;
    field_date_text(o->mo->first + day, k.day);
    k.rule = rule;
    k.detail = buf_cstr(detail);
    k.detail_zh = buf_cstr(detail_zh);
    k.evidence = evidence;
    for (size_t i = 0; i < o->ndis; i++) {
        if (o->dis[i].cadre == c->cadre && strcmp(o->dis[i].day, k.day) == 0 &&
            strcmp(o->dis[i].rule, rule) == 0) {
            k.dismissed = !o->dis[i].confirmed;
            k.confirmed = o->dis[i].confirmed;
            if (k.confirmed)
                k.confirm_reason = o->dis[i].reason;
            else
                k.dismiss_reason = o->dis[i].reason;
        }
    }
    return o->fn(o->ud, &k);
}

static int cmp_point_pos(const void *a, const void *b)
{
    const struct mpoint *x = *(const struct mpoint *const *)a,
                        *y = *(const struct mpoint *const *)b;
    if (x->lat != y->lat)
        return x->lat < y->lat ? -1 : 1;
    if (x->lng != y->lng)
        return x->lng < y->lng ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

static int cmp_point_time(const void *a, const void *b)
{
    const struct mpoint *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Under checkin "none" the rules read the positions of the other records:
 * each diary entry and visit written with a position is a point at the
 * time it was written (it proves nothing of another day). A malloc'd
 * array of *n points in time order (NULL when none). */
static struct mpoint *entry_points(const struct month *mo, const struct mcadre *c, size_t *n)
{
    struct mpoint *v = c->nents ? zc_calloc(c->nents, sizeof(*v)) : NULL;
    struct geo_point centre = {c->lng, c->lat};
    *n = 0;
    for (size_t i = 0; i < c->nents; i++) {
        const struct mentry *e = &c->ents[i];
        struct mpoint *pt;
        if (!e->has_pos)
            continue;
        pt = &v[(*n)++];
        pt->id = e->id;
        pt->kind = e->visit ? "visit" : "diary";
        pt->t = e->t;
        pt->day = (int)(e->t / 86400 - mo->first);
        pt->minute = (int)(e->t % 86400 / 60);
        pt->inside = e->inside;
        pt->has_pos = true;
        pt->lat = e->lat;
        pt->lng = e->lng;
        pt->dist = c->has_pos ? geo_distance_m((struct geo_point){e->lng, e->lat}, centre) : -1;
    }
    if (*n > 1)
        qsort(v, *n, sizeof(*v), cmp_point_time);
    return v;
}

static int cadre_cases(struct case_out *o, const struct policy *p, const struct mcadre *c)
{
    const struct policy_field *f = &p->field;
    const struct month *mo = o->mo;
    struct field_presence_row r;
    struct buf d = {0}, dz = {0}, ev = {0}; /* the detail in English and Chinese */
    const struct mpoint *prev = NULL;
    /* The points the rules read: the check-ins, or under "none" (nobody is
     * asked to check in) the positions of diaries and visits only. */
    bool none = f->checkin == PF_CHECKIN_NONE;
    size_t npts = c->npts;
    struct mpoint *own = none ? entry_points(mo, c, &npts) : NULL;
    const struct mpoint *pts = none ? own : c->pts;
    const char *noun = none ? "located record" : "check-in", *noun_zh = none ? "定位记录" : "签到";
    int rc = ZC_OK;

    compute_row(mo, p, c, &r, NULL);
    /* impossible_travel: consecutive points too far apart for the time. */
    for (size_t i = 0; rc == ZC_OK && i < npts; i++) {
        const struct mpoint *pt = &pts[i];
        if (!pt->has_pos)
            continue;
        if (prev && pt->day >= 0 && pt->day < mo->ndays) {
            struct geo_point a = {prev->lng, prev->lat}, b = {pt->lng, pt->lat};
            double dm = geo_distance_m(a, b);
            int64_t dt = pt->t - prev->t;
            double kmh = dt > 0 ? dm / 1000.0 / ((double)dt / 3600.0) : INFINITY;
            if (dm >= f->min_jump_m && kmh > f->max_speed_kmh) {
                char hm1[6], hm2[6];
                hhmm(prev->minute, hm1);
                hhmm(pt->minute, hm2);
                buf_reset(&d);
                buf_reset(&dz);
                buf_reset(&ev);
                if (isinf(kmh)) {
                    buf_printf(&d, "%.1f km between %s and %s with no time between them", dm / 1000,
                               hm1, hm2);
                    buf_printf(&dz, "%s 与 %s 两次%s相距 %.1f 公里，中间没有时间差", hm1, hm2,
                               noun_zh, dm / 1000);
                } else {
                    buf_printf(&d, "%.1f km in %lld min (%s to %s): %.0f km/h, above %d", dm / 1000,
                               (long long)(dt / 60), hm1, hm2, kmh, f->max_speed_kmh);
                    buf_printf(&dz, "%s 至 %s 共 %lld 分钟移动 %.1f 公里：时速 %.0f 公里，超过 %d",
                               hm1, hm2, (long long)(dt / 60), dm / 1000, kmh, f->max_speed_kmh);
                }
                buf_printf(&ev, "%s:%lld,%s:%lld", prev->kind, (long long)prev->id, pt->kind,
                           (long long)pt->id);
                rc = emit(o, c, pt->day, field_case_rules[0], &d, &dz, buf_cstr(&ev));
            }
        }
        prev = pt;
    }
    /* outside_on_present_day */
    for (int day = 0; rc == ZC_OK && day < mo->ndays; day++) {
        int n = 0;
        double far = 0;
        if (r.state[day] != FD_PRESENT)
            continue;
        buf_reset(&ev);
        for (size_t i = 0; i < npts; i++) {
            if (pts[i].day == day && pts[i].inside == 0) {
                buf_printf(&ev, "%s%s:%lld", n ? "," : "", pts[i].kind, (long long)pts[i].id);
                if (pts[i].dist > far)
                    far = pts[i].dist;
                n++;
            }
        }
        if (n) {
            buf_reset(&d);
            buf_reset(&dz);
            buf_printf(&d,
                       "%d %s%s outside the geofence (up to %.1f km from the centre) "
                       "on a day counted present",
                       n, noun, n > 1 ? "s" : "", far / 1000);
            buf_printf(&dz, "计为在村的一天有 %d 次%s在村范围外（离村中心最远 %.1f 公里）", n,
                       noun_zh, far / 1000);
            rc = emit(o, c, day, field_case_rules[1], &d, &dz, buf_cstr(&ev));
        }
    }
    /* repeated_coordinates: the same point to the last digit on several days. */
    if (rc == ZC_OK && npts) {
        const struct mpoint **v = zc_calloc(npts, sizeof(*v));
        size_t n = 0;
        for (size_t i = 0; i < npts; i++)
            if (pts[i].has_pos && pts[i].day >= 0 && pts[i].day < mo->ndays)
                v[n++] = &pts[i];
        qsort(v, n, sizeof(*v), cmp_point_pos);
        for (size_t i = 0; rc == ZC_OK && i < n;) {
            size_t j = i;
            int days = 0, last = -1;
            while (j < n && v[j]->lat == v[i]->lat && v[j]->lng == v[i]->lng)
                j++;
            for (size_t k = i; k < j; k++)
                if (v[k]->day != last)
                    days++, last = v[k]->day;
            if (days >= f->repeated_days) {
                buf_reset(&d);
                buf_reset(&dz);
                buf_reset(&ev);
                buf_printf(&d,
                           "the same coordinates %.7f, %.7f on %d days (a fake-location "
                           "signature: real fixes differ in the last digits)",
                           v[i]->lat, v[i]->lng, days);
                buf_printf(&dz,
                           "%d 天的%s坐标完全相同（%.7f, %.7f）：虚拟定位的特征，真实定位末位"
                           "各不相同",
                           days, noun_zh, v[i]->lat, v[i]->lng);
                for (size_t k = i; k < j && k < i + 20; k++)
                    buf_printf(&ev, "%s%s:%lld", k > i ? "," : "", v[k]->kind, (long long)v[k]->id);
                rc = emit(o, c, v[i]->day, field_case_rules[2], &d, &dz, buf_cstr(&ev));
            }
            i = j;
        }
        free(v);
    }
    /* home_city_on_village_day: near the sending unit on a weekday in post. */
    if (c->has_unit_pos && f->home_radius_m > 0) {
        struct geo_point home = {c->unit_lng, c->unit_lat};
        for (int day = 0; rc == ZC_OK && day < mo->ndays; day++) {
            int wd = cal_weekday(mo->first + day), n = 0;
            double nearest = 1e12;
            if (wd >= 5 || !c->posted[day] || c->away[day])
                continue;
            buf_reset(&ev);
            for (size_t i = 0; i < npts; i++) {
                const struct mpoint *pt = &pts[i];
                struct geo_point q = {pt->lng, pt->lat};
                double dm;
                if (pt->day != day || !pt->has_pos)
                    continue;
                dm = geo_distance_m(q, home);
                if (dm <= f->home_radius_m) {
                    buf_printf(&ev, "%s%s:%lld", n ? "," : "", pt->kind, (long long)pt->id);
                    nearest = dm < nearest ? dm : nearest;
                    n++;
                }
            }
            if (n) {
                buf_reset(&d);
                buf_reset(&dz);
                buf_printf(&d,
                           "%d point%s %.1f km from the sending unit (%s) on a working day "
                           "in post without leave or trip",
                           n, n > 1 ? "s" : "", nearest / 1000, c->unit_name);
                buf_printf(&dz, "在岗工作日未请假、未公差，有 %d 个定位在派出单位（%s）%.1f 公里内",
                           n, c->unit_name, nearest / 1000);
                rc = emit(o, c, day, field_case_rules[3], &d, &dz, buf_cstr(&ev));
            }
        }
    }
    /* diary_without_presence */
    for (int day = 0; rc == ZC_OK && day < mo->ndays; day++) {
        int n = 0;
        if (r.state[day] != FD_ABSENT && r.state[day] != FD_LEAVE)
            continue;
        buf_reset(&ev);
        for (size_t i = 0; i < c->nents; i++) {
            if (c->ents[i].day == day) {
                buf_printf(&ev, "%s%s:%lld", n ? "," : "", c->ents[i].visit ? "visit" : "diary",
                           (long long)c->ents[i].id);
                n++;
            }
        }
        if (n) {
            buf_reset(&d);
            buf_reset(&dz);
            buf_printf(&d, "%d diary entr%s or visit%s on a day with no presence evidence%s", n,
                       n > 1 ? "ies" : "y", n > 1 ? "s" : "",
                       r.state[day] == FD_LEAVE ? " (on approved leave)" : "");
            buf_printf(&dz, "没有在村依据的一天记了 %d 条日志或走访%s", n,
                       r.state[day] == FD_LEAVE ? "（当天已批准请假）" : "");
            rc = emit(o, c, day, field_case_rules[4], &d, &dz, buf_cstr(&ev));
        }
    }
    buf_fini(&d);
    buf_fini(&dz);
    buf_fini(&ev);
    free(own);
    return rc;
}

/* The cases of a loaded month (field_cases), with their verdicts. */
static int case_rows(struct store *s, const struct month *mo, const struct policy *p,
                     int (*fn)(void *ud, const struct field_case *c), void *ud,
                     struct zc_error *err)
{
    struct case_out o = {fn, ud, mo, NULL, 0};
    struct dismissal *dis = NULL;
    struct store_stmt *q = NULL;
    size_t cap = 0;
    bool row = true;
    int rc = field_prepare(s, FQ_MONTH_DISMISSALS, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, mo->first_s);
        store_bind_cstr(q, 2, mo->last_s);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        if (o.ndis == cap) {
            cap = cap ? cap * 2 : 16;
            dis = zc_realloc(dis, cap * sizeof(*dis));
        }
        dis[o.ndis].cadre = store_col_int(q, 0);
        snprintf(dis[o.ndis].day, sizeof(dis[o.ndis].day), "%s", store_col_text(q, 1));
        snprintf(dis[o.ndis].rule, sizeof(dis[o.ndis].rule), "%s", store_col_text(q, 2));
        dis[o.ndis].reason = zc_strdup(store_col_text(q, 3));
        dis[o.ndis].confirmed = strcmp(store_col_text(q, 4), "confirmed") == 0;
        o.ndis++;
    }
    store_finalize(q);
    o.dis = dis;
    for (size_t i = 0; rc == ZC_OK && i < mo->n; i++)
        rc = cadre_cases(&o, p, &mo->c[i]);
    for (size_t i = 0; i < o.ndis; i++)
        free(dis[i].reason);
    free(dis);
    return rc;
}

int field_cases(struct store *s, const struct policy *p, const struct zc_scope *scope,
                const char *ym, int (*fn)(void *ud, const struct field_case *c), void *ud,
                struct zc_error *err)
{
    struct month mo;
    int rc = month_load(s, scope, ym, 0, &mo, err);
    if (rc != ZC_OK)
        return rc;
    rc = case_rows(s, &mo, p, fn, ud, err);
    month_free(&mo);
    return rc;
}

int field_presence_cases(struct store *s, const struct policy *p, const struct zc_scope *scope,
                         const char *ym,
                         int (*row_fn)(void *ud, const struct field_presence_row *row),
                         int (*case_fn)(void *ud, const struct field_case *c), void *ud,
                         struct zc_error *err)
{
    struct month mo;
    int rc = month_load(s, scope, ym, 0, &mo, err);
    if (rc != ZC_OK)
        return rc;
    rc = presence_rows(&mo, p, 0, row_fn, ud);
    if (rc == ZC_OK)
        rc = case_rows(s, &mo, p, case_fn, ud, err);
    month_free(&mo);
    return rc;
}
