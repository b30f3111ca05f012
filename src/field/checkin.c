/* SPDX-License-Identifier: MIT */
/* checkin.c - check-ins and the evidence derived from each (see field.h),
 * and the calendar arithmetic of the module.
 *
 * A check-in is kept as the cadre sent it (time, position, accuracy,
 * device); what the server derives is stored beside it once, when it
 * arrives: the village the cadre was stationed in that day, inside or
 * outside its geofence and how far from its centre, a weak fix, a device
 * other than the previous check-in's, the speed from the previous point.
 * Evidence, not a verdict: the residence ledger and the cases read it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/calendar.h"
#include "base/geo.h"
#include "base/mem.h"
#include "field_int.h"
#include "policy/policy.h"

/* ---- calendar ------------------------------------------------------------------ */

static bool valid_date(int y, int m, int d)
{
    return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= cal_month_days(y, m);
}

bool field_date_days(const char *s, int64_t *out)
{
    int y, m, d, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[10] != '\0' ||
        !valid_date(y, m, d))
        return false;
    *out = cal_days(y, m, d);
    return true;
}

void field_bind_cadres(struct store_stmt *q, int idx, const struct zc_scope *scope)
{
    store_bind_int(q, idx, scope->cadre != 0 ? scope->cadre : 0);
    store_bind_int(q, idx + 1, scope->cadre != 0 ? scope->cadre : INT64_MAX);
}

void field_date_text(int64_t days, char out[11])
{
    int y, m, d;
    cal_civil(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

bool field_month_parse(const char *ym, int *y, int *m)
{
    int n = 0;
    if (!ym || sscanf(ym, "%4d-%2d%n", y, m, &n) != 2 || n != 7 || ym[7] != '\0' || *y < 1990 ||
        *y > 2100 || *m < 1 || *m > 12)
        return false;
    return true;
}

bool field_month_range(const char *ym, int64_t *first, int *ndays)
{
    int y, m;
    if (!field_month_parse(ym, &y, &m))
        return false;
    *first = cal_days(y, m, 1);
    *ndays = cal_month_days(y, m);
    return true;
}

static int digits(const char *p, int n);

bool field_time_parse(const char *s, char out[20])
{
    int y, mo, d, h, mi, sec = 0, n = 0;
    char sep1, sep2, sep3;
    size_t len;
    if (!s)
        return false;
    /* The common spellings (imports of millions of rows) without scanf:
     * "YYYY-MM-DD HH:MM" and "YYYY-MM-DD HH:MM:SS". */
    len = strlen(s);
    if ((len == 16 || len == 19) && s[4] == '-' && s[7] == '-' && (s[10] == ' ' || s[10] == 'T') &&
        s[13] == ':' && (len == 16 || s[16] == ':')) {
        y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
        h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = len == 19 ? digits(s + 17, 2) : 0;
        if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && valid_date(y, mo, d) && h >= 0 && h <= 23 &&
            mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59) {
            memcpy(out, s, 10);
            out[10] = ' ';
            memcpy(out + 11, s + 11, 5);
            out[16] = ':';
            out[17] = (char)('0' + sec / 10);
            out[18] = (char)('0' + sec % 10);
            out[19] = '\0';
            return true;
        }
        return false;
    }
    while (*s == ' ')
        s++;
    if (sscanf(s, "%4d%c%2d%c%2d%c%2d:%2d%n", &y, &sep1, &mo, &sep2, &d, &sep3, &h, &mi, &n) != 8)
        return false;
    if (!((sep1 == '-' && sep2 == '-') || (sep1 == '/' && sep2 == '/')) ||
        (sep3 != ' ' && sep3 != 'T'))
        return false;
    if (s[n] == ':') {
        int m2 = 0;
        if (sscanf(s + n + 1, "%2d%n", &sec, &m2) != 1)
            return false;
        n += 1 + m2;
    }
    while (s[n] == ' ')
        n++;
    if (s[n] != '\0' || !valid_date(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
        sec > 59)
        return false;
    snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)y % 10000u, (unsigned)mo % 100u,
             (unsigned)d % 100u, (unsigned)h % 100u, (unsigned)mi % 100u, (unsigned)sec % 100u);
    return true;
}

/* Digits at fixed places of a canonical time: no scanf on the import path. */
static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int64_t field_time_seconds(const char *at)
{
    int y, mo, d, h, mi, sec;
    if (strlen(at) < 19)
        return 0;
    y = digits(at, 4), mo = digits(at + 5, 2), d = digits(at + 8, 2);
    h = digits(at + 11, 2), mi = digits(at + 14, 2), sec = digits(at + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || sec < 0)
        return 0;
    return cal_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

void field_now(char out[20])
{
    const char *env = getenv("ZHUCUN_NOW");
    const char *today = getenv("ZHUCUN_TODAY");
    char day[11];
    int64_t dd;
    if (env && field_time_parse(env, out))
        return;
    if (today && strlen(today) == 10) {
        memcpy(day, today, 11);
        if (field_date_days(day, &dd)) {
            snprintf(out, 20, "%s 12:00:00", day);
            return;
        }
    }
    {
        time_t now = time(NULL) + 8 * 3600; /* Asia/Shanghai, no daylight saving */
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
    }
}

/* ---- the station and the writer ---------------------------------------------------- */

int field_station(struct store_stmt *q, const struct policy *p, int64_t cadre, const char *day,
                  struct field_station *out, bool *found, struct zc_error *err)
{
    bool row = false;
    int rc;
    store_reset(q);
    store_bind_int(q, 1, cadre);
    store_bind_cstr(q, 2, day);
    rc = store_step(q, &row, err);
    *found = rc == ZC_OK && row;
    memset(out, 0, sizeof(*out));
    if (*found) {
        out->village = store_col_int(q, 0);
        out->has_centre = !store_col_is_null(q, 1) && !store_col_is_null(q, 2);
        if (out->has_centre) {
            struct geo_point g = {store_col_real(q, 2), store_col_real(q, 1)};
            if (strcmp(store_col_text(q, 3), "GCJ02") == 0)
                g = geo_gcj02_to_wgs84(g);
            out->lat = g.lat;
            out->lng = g.lng;
        }
        out->radius_m = store_col_is_null(q, 4) ? p->field.radius_m : (int)store_col_int(q, 4);
        snprintf(out->start, sizeof(out->start), "%s", store_col_text(q, 5));
        snprintf(out->end, sizeof(out->end), "%s", store_col_text(q, 6));
    }
    store_reset(q);
    return rc;
}

/* Stations seen by a writer, by cadre (direct-mapped): an import of a
 * month of check-ins looks each cadre's posting up once, not per row. */
#define STATION_CACHE 65536

struct station_slot {
    int64_t cadre; /* 0 = empty */
    struct field_station st;
};

struct field_writer {
    struct store *s;
    const struct policy *p;
    struct store_stmt *station, *prev, *insert, *by_client;
    struct store_stmt *photo_owned; /* prepared on the first record with a photo */
    struct station_slot *cache;     /* STATION_CACHE slots, made on the second add */
    size_t adds;                    /* records added before the cache existed */
};

/* The station of `cadre` on `day`, from the cache when its posting covers it. */
static int writer_station(struct field_writer *w, int64_t cadre, const char *day,
                          struct field_station *out, bool *found, struct zc_error *err)
{
    struct station_slot *slot;
    int rc;
    /* A writer that adds one record (an HTTP request) needs no cache; one
     * that adds many (an import, a generator) gets it from the second on. */
    if (!w->cache) {
        if (!w->adds++)
            return field_station(w->station, w->p, cadre, day, out, found, err);
        w->cache = zc_calloc(STATION_CACHE, sizeof(*w->cache));
    }
    slot = &w->cache[(uint64_t)cadre % STATION_CACHE];
    if (slot->cadre == cadre && strcmp(slot->st.start, day) <= 0 &&
        strcmp(day, slot->st.end) <= 0) {
        *out = slot->st;
        *found = true;
        return ZC_OK;
    }
    rc = field_station(w->station, w->p, cadre, day, out, found, err);
    if (rc == ZC_OK && *found) {
        slot->cadre = cadre;
        slot->st = *out;
    }
    return rc;
}

int field_writer_open(struct store *s, const struct policy *p, struct field_writer **out,
                      struct zc_error *err)
{
    struct field_writer *w = zc_calloc(1, sizeof(*w));
    int rc;
    w->s = s;
    w->p = p;
    rc = field_prepare(s, FQ_STATION, &w->station, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_PREV_CHECKIN, &w->prev, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_CHECKIN_INSERT, &w->insert, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_CHECKIN_BY_CLIENT, &w->by_client, err);
    if (rc != ZC_OK) {
        field_writer_close(w);
        w = NULL;
    }
    *out = w;
    return rc;
}

void field_writer_close(struct field_writer *w)
{
    if (!w)
        return;
    store_finalize(w->station);
    store_finalize(w->prev);
    store_finalize(w->insert);
    store_finalize(w->by_client);
    store_finalize(w->photo_owned);
    free(w->cache);
    free(w);
}

/* 外勤 (field attendance), 地点异常 (place anomaly): outside by the
 * attendance system's own verdict. */
static bool result_outside(const char *r)
{
    return r && (strstr(r, "外勤") || strstr(r, "地点异常") || strstr(r, "外出"));
}

/* A check-in's photo must be one its cadre uploaded (field_photo_add). */
static int writer_photo(struct field_writer *w, const struct field_checkin *in,
                        struct zc_error *err)
{
    bool row = false;
    int rc = ZC_OK;
    if (!w->photo_owned)
        rc = field_prepare(w->s, FQ_PHOTO_OWNED, &w->photo_owned, err);
    if (rc != ZC_OK)
        return rc;
    store_reset(w->photo_owned);
    store_bind_cstr(w->photo_owned, 1, in->photo);
    store_bind_int(w->photo_owned, 2, in->cadre);
    rc = store_step(w->photo_owned, &row, err);
    store_reset(w->photo_owned);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_EINVAL,
                          "photo %.64s was not uploaded by this cadre: send the picture to "
                          "/api/v1/field/photos first and give the hash it answers",
                          in->photo);
    return rc;
}

int field_writer_add(struct field_writer *w, const struct zc_scope *scope,
                     const struct field_checkin *in, struct field_evidence *out,
                     struct zc_error *err)
{
    struct field_station st;
    struct geo_point pt = {in->lng, in->lat};
    char day[11], synced[20];
    bool found, row = false;
    int rc;

    memset(out, 0, sizeof(*out));
    out->inside = -1;
    out->distance_m = out->speed_kmh = -1;
    if (scope->cadre != 0 && in->cadre != scope->cadre)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre checks in only for themselves");
    if (in->has_pos) {
        if (!isfinite(in->lat) || !isfinite(in->lng) || in->lat < -90 || in->lat > 90 ||
            in->lng < -180 || in->lng > 180)
            return zc_error_set(err, ZC_EINVAL, "position %g, %g is not a latitude and longitude",
                                in->lat, in->lng);
        if (in->gcj02)
            pt = geo_gcj02_to_wgs84(pt);
    }
    memcpy(day, in->at, 10);
    day[10] = '\0';
    rc = writer_station(w, in->cadre, day, &st, &found, err);
    if (rc != ZC_OK)
        return rc;
    if (!found)
        return zc_error_set(err, ZC_EINVAL, "cadre %lld is not stationed in a village on %s",
                            (long long)in->cadre, day);
    if (!zc_scope_has(scope, st.village))
        return zc_error_set(err, ZC_EFORBIDDEN,
                            "cadre %lld serves in village %lld, outside your jurisdiction",
                            (long long)in->cadre, (long long)st.village);
    out->village = st.village;
    if (in->photo && *in->photo) {
        rc = writer_photo(w, in, err);
        if (rc != ZC_OK)
            return rc;
    }
    if (in->has_pos && st.has_centre) {
        struct geo_point c = {st.lng, st.lat};
        out->distance_m = geo_distance_m(pt, c);
        out->inside = out->distance_m <= st.radius_m;
    } else if (!in->has_pos && in->result && *in->result) {
        /* No position: the attendance system's verdict is the evidence. */
        out->inside = !result_outside(in->result);
    }
    if (result_outside(in->result))
        out->inside = 0;
    out->weak = in->has_pos && in->accuracy_m > w->p->field.weak_accuracy_m;

    /* The previous check-in: device and speed. */
    store_reset(w->prev);
    store_bind_int(w->prev, 1, in->cadre);
    store_bind_cstr(w->prev, 2, in->at);
    rc = store_step(w->prev, &row, err);
    if (rc == ZC_OK && row && in->same_second_dup &&
        strcmp(store_col_text(w->prev, 0), in->at) == 0) {
        out->id = store_col_int(w->prev, 4);
        out->village = store_col_int(w->prev, 5);
        out->duplicate = true;
        store_reset(w->prev);
        return ZC_OK;
    }
    if (rc == ZC_OK && row) {
        const char *dev = store_col_text(w->prev, 3);
        out->device_changed = in->device && *in->device && *dev && strcmp(dev, in->device) != 0;
        if (in->has_pos && !store_col_is_null(w->prev, 1)) {
            struct geo_point q = {store_col_real(w->prev, 2), store_col_real(w->prev, 1)};
            int64_t dt =
                field_time_seconds(in->at) - field_time_seconds(store_col_text(w->prev, 0));
            double dm = geo_distance_m(pt, q);
            if (dt > 0)
                out->speed_kmh = dm / 1000.0 / ((double)dt / 3600.0);
        }
    }
    store_reset(w->prev);
    if (rc != ZC_OK)
        return rc;

    if (in->synced_at)
        snprintf(synced, sizeof(synced), "%s", in->synced_at);
    else
        field_now(synced);
    out->late = field_time_seconds(synced) - field_time_seconds(in->at) > FIELD_LATE_SECONDS;

    store_reset(w->insert);
    store_bind_int(w->insert, 1, in->cadre);
    store_bind_int(w->insert, 2, st.village);
    store_bind_cstr(w->insert, 3, in->at);
    if (in->has_pos) {
        store_bind_real(w->insert, 4, pt.lat);
        store_bind_real(w->insert, 5, pt.lng);
    } else {
        store_bind_null(w->insert, 4);
        store_bind_null(w->insert, 5);
    }
    if (in->accuracy_m >= 0)
        store_bind_real(w->insert, 6, in->accuracy_m);
    else
        store_bind_null(w->insert, 6);
    store_bind_cstr(w->insert, 7, in->device ? in->device : "");
    store_bind_cstr(w->insert, 8, in->source ? in->source : "api");
    store_bind_cstr(w->insert, 9, in->client_id && *in->client_id ? in->client_id : NULL);
    store_bind_cstr(w->insert, 10, in->result ? in->result : "");
    store_bind_cstr(w->insert, 11, in->place ? in->place : "");
    store_bind_cstr(w->insert, 12, in->photo);
    if (out->inside >= 0)
        store_bind_int(w->insert, 13, out->inside);
    else
        store_bind_null(w->insert, 13);
    if (out->distance_m >= 0)
        store_bind_real(w->insert, 14, round(out->distance_m));
    else
        store_bind_null(w->insert, 14);
    store_bind_int(w->insert, 15, out->weak);
    if (out->speed_kmh >= 0)
        store_bind_real(w->insert, 16, round(out->speed_kmh * 10) / 10);
    else
        store_bind_null(w->insert, 16);
    store_bind_int(w->insert, 17, out->device_changed);
    store_bind_cstr(w->insert, 18, synced);
    store_bind_int(w->insert, 19, in->demo);
    store_bind_int(w->insert, 20, in->signed_by_device);
    rc = store_step(w->insert, &row, err);
    if (rc == ZC_OK && row)
        out->id = store_col_int(w->insert, 0);
    store_reset(w->insert);
    if (rc == ZC_OK && !row) {
        /* The client id is known: a resend. Answer with the first record. */
        store_reset(w->by_client);
        store_bind_cstr(w->by_client, 1, in->client_id);
        rc = store_step(w->by_client, &row, err);
        if (rc == ZC_OK && row) {
            out->id = store_col_int(w->by_client, 0);
            out->village = store_col_int(w->by_client, 1);
        }
        out->duplicate = true;
        store_reset(w->by_client);
    }
    return rc;
}

int field_checkin_add(struct store *s, const struct policy *p, const struct zc_scope *scope,
                      const struct field_checkin *in, struct field_evidence *out,
                      struct zc_error *err)
{
    struct field_writer *w = NULL;
    char at[20];
    int rc;
    if (!field_time_parse(in->at, at))
        return zc_error_set(err, ZC_EINVAL, "time '%s' is not YYYY-MM-DD HH:MM[:SS]", in->at);
    rc = field_writer_open(s, p, &w, err);
    if (rc == ZC_OK) {
        struct field_checkin c = *in;
        memcpy(c.at, at, sizeof(at));
        rc = store_begin(s, err);
        if (rc == ZC_OK)
            rc = field_writer_add(w, scope, &c, out, err);
        if (rc == ZC_OK)
            rc = store_commit(s, err);
        else
            store_rollback(s);
    }
    field_writer_close(w);
    return rc;
}
