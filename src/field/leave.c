/* SPDX-License-Identifier: MIT */
/* leave.c - leave and official trips (请销假, 公差), diary entries and
 * household visits (工作日志, 入户走访).
 *
 * Leave is asked before it starts, never over another pending or approved
 * request, and approved at the level the policy's chain names for its
 * length; 销假 records the day back. A diary entry or a visit is captured
 * once and serves the diary, the household's record and the month's
 * figures; an edit keeps the earlier version (field_entry_version), and an
 * entry older than the policy's back-dating window is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"
#include "base/mem.h"
#include "field_int.h"
#include "policy/policy.h"

static const char *const kind_names[] = {"leave", "trip", "meeting"};

int field_leave_kind_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(s, kind_names[i]) == 0)
            return i;
    if (strcmp(s, "请假") == 0)
        return FL_LEAVE;
    if (strcmp(s, "公差") == 0)
        return FL_TRIP;
    if (strcmp(s, "会议") == 0)
        return FL_MEETING;
    return -1;
}

const char *field_leave_kind_name(int kind)
{
    return kind >= 0 && kind <= 2 ? kind_names[kind] : "leave";
}

/* The village a cadre serves (or last served) in, for scope checks. */
static int cadre_village(struct store *s, int64_t cadre, int64_t *village, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_CADRE_VILLAGE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        rc = store_step(q, &row, err);
        *village = row ? store_col_int(q, 0) : 0;
    }
    store_finalize(q);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "cadre %lld has never been stationed in a village",
                          (long long)cadre);
    return rc;
}

int field_check_cadre_scope(struct store *s, const struct zc_scope *scope, int64_t cadre,
                            int64_t *village, struct zc_error *err)
{
    int rc = cadre_village(s, cadre, village, err);
    if (rc != ZC_OK)
        return rc;
    if (scope->cadre != 0 && scope->cadre != cadre)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre writes only their own records");
    if (!zc_scope_has(scope, *village))
        return zc_error_set(err, ZC_EFORBIDDEN, "cadre %lld serves outside your jurisdiction",
                            (long long)cadre);
    return ZC_OK;
}

/* The cadre's notice that `what` ("请假申请 #7") of leave `id` went to their
 * sending unit too (抄送派出单位), in the caller's transaction. */
static int notice_unit_copy(struct store *s, int64_t cadre, int64_t id, const char *what,
                            struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char unit[65] = "", uname[160] = "", text[400], now[20];
    bool row = false;
    int rc = field_prepare(s, FQ_CADRE_UNIT, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row) {
            snprintf(unit, sizeof(unit), "%s", store_col_text(q, 0));
            snprintf(uname, sizeof(uname), "%s", store_col_text(q, 1));
        }
    }
    store_finalize(q);
    q = NULL;
    if (rc != ZC_OK || !row)
        return rc;
    snprintf(text, sizeof(text), "%s，已抄送派出单位%s（%s）", what, uname[0] ? uname : unit, unit);
    field_now(now);
    rc = field_prepare(s, FQ_NOTICE_ADD, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_cstr(q, 2, "leave");
        store_bind_int(q, 3, id);
        store_bind_cstr(q, 4, text);
        store_bind_cstr(q, 5, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int field_leave_request(struct store *s, const struct policy *p, const struct zc_scope *scope,
                        const struct field_leave_req *in, int64_t *id, int *approver,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t a, b, today, village;
    char now[20];
    bool row = false;
    int rc, days;

    if (!field_date_days(in->start, &a) || !field_date_days(in->end, &b))
        return zc_error_set(err, ZC_EINVAL, "dates must be YYYY-MM-DD (from %s to %s)", in->start,
                            in->end);
    if (b < a)
        return zc_error_set(err, ZC_EINVAL, "the leave ends (%s) before it starts (%s)", in->end,
                            in->start);
    field_now(now);
    now[10] = '\0';
    field_date_days(now, &today);
    if (a < today)
        return zc_error_set(err, ZC_EINVAL,
                            "leave is asked before it starts: %s is before today (%s); a late "
                            "request goes to the county as a contested day",
                            in->start, now);
    if (b - a >= 366)
        return zc_error_set(err, ZC_EINVAL, "a leave of more than a year is not leave");
    rc = field_check_cadre_scope(s, scope, in->cadre, &village, err);
    if (rc != ZC_OK)
        return rc;
    days = (int)(b - a + 1);
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_LEAVE_OVERLAP, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, in->cadre);
        store_bind_cstr(q, 2, in->start);
        store_bind_cstr(q, 3, in->end);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            rc = zc_error_set(err, ZC_EINVAL, "overlaps %s #%lld (%s to %s) already asked for",
                              store_col_text(q, 1), (long long)store_col_int(q, 0),
                              store_col_text(q, 2), store_col_text(q, 3));
    }
    store_finalize(q);
    q = NULL;
    *approver = policy_leave_approver(p, days);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_LEAVE_INSERT, &q, err);
    if (rc == ZC_OK) {
        char at[20];
        field_now(at);
        store_bind_int(q, 1, in->cadre);
        store_bind_cstr(q, 2, field_leave_kind_name(in->kind));
        store_bind_cstr(q, 3, in->start);
        store_bind_cstr(q, 4, in->end);
        store_bind_int(q, 5, days);
        store_bind_cstr(q, 6, in->reason ? in->reason : "");
        store_bind_cstr(q, 7, policy_approver_name(*approver));
        store_bind_cstr(q, 8, in->actor ? in->actor : "");
        store_bind_cstr(q, 9, at);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK)
            *id = row ? store_col_int(q, 0) : 0;
    }
    store_finalize(q);
    if (rc == ZC_OK) {
        char what[40];
        snprintf(what, sizeof(what), "%s #%lld", in->kind == FL_LEAVE ? "请假申请" : "公差申请",
                 (long long)*id);
        rc = notice_unit_copy(s, in->cadre, *id, what, err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

/* Fetch leave `id` and check the caller may act on it. */
static int leave_get(struct store *s, const struct zc_scope *scope, int64_t id, char status[16],
                     int *approver, int64_t *cadre_out, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t cadre = 0, village;
    bool row = false;
    int rc = field_prepare(s, FQ_LEAVE_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row) {
            cadre = store_col_int(q, 0);
            snprintf(status, 16, "%s", store_col_text(q, 1));
            *approver = policy_approver_parse(store_col_text(q, 2));
        }
    }
    store_finalize(q);
    if (rc == ZC_OK && !row)
        return zc_error_set(err, ZC_ENOTFOUND, "no leave request #%lld", (long long)id);
    if (rc == ZC_OK && (rc = cadre_village(s, cadre, &village, err)) == ZC_OK &&
        (!zc_scope_has(scope, village) || (scope->cadre != 0 && scope->cadre != cadre)))
        rc = zc_error_set(err, ZC_ENOTFOUND, "no leave request #%lld in your jurisdiction",
                          (long long)id);
    if (cadre_out)
        *cadre_out = cadre;
    return rc;
}

int field_leave_decide(struct store *s, const struct zc_scope *scope, int level, int64_t id,
                       bool approve, const char *note, const char *actor, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char status[16] = "", now[20];
    int approver = 0, rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre cannot approve leave");
    rc = leave_get(s, scope, id, status, &approver, NULL, err);
    if (rc != ZC_OK)
        return rc;
    if (strcmp(status, "pending") != 0)
        return zc_error_set(err, ZC_ECONFLICT, "leave #%lld is already %s", (long long)id, status);
    if (level < approver)
        return zc_error_set(
            err, ZC_EFORBIDDEN, "leave #%lld is approved by the %s under the policy, not the %s",
            (long long)id, policy_approver_name(approver), policy_approver_name(level));
    if (!approve && (!note || !*note))
        return zc_error_set(err, ZC_EINVAL, "a rejection needs a reason");
    field_now(now);
    rc = field_prepare(s, FQ_LEAVE_DECIDE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, approve ? "approved" : "rejected");
        store_bind_cstr(q, 2, actor ? actor : "");
        store_bind_cstr(q, 3, now);
        store_bind_cstr(q, 4, note ? note : "");
        store_bind_int(q, 5, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int field_leave_return(struct store *s, const struct zc_scope *scope, int64_t id, const char *day,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char status[16] = "", what[64];
    int64_t dd, cadre = 0;
    int approver, rc;
    if (!field_date_days(day, &dd))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day);
    rc = leave_get(s, scope, id, status, &approver, &cadre, err);
    if (rc != ZC_OK)
        return rc;
    if (strcmp(status, "approved") != 0)
        return zc_error_set(err, ZC_ECONFLICT, "leave #%lld is %s, not approved: nothing to end",
                            (long long)id, status);
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_LEAVE_RETURN, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, day);
        store_bind_int(q, 2, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    snprintf(what, sizeof(what), "销假 #%lld（%s 返岗）", (long long)id, day);
    if (rc == ZC_OK)
        rc = notice_unit_copy(s, cadre, id, what, err);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

/* ---- diary entries and visits ------------------------------------------------------ */

/* A visit's household: registered, and of the village the cadre serves in
 * on the entry's day. */
static int household_in_village(struct store *s, const char *household, int64_t village,
                                struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_HOUSEHOLD_VILLAGE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, household);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_EINVAL, "household %s is not registered", household);
    else if (rc == ZC_OK && store_col_int(q, 0) != village)
        rc = zc_error_set(err, ZC_EINVAL,
                          "household %s belongs to village %lld, not to %lld where the cadre "
                          "serves",
                          household, (long long)store_col_int(q, 0), (long long)village);
    store_finalize(q);
    return rc;
}

int field_entry_add(struct store *s, const struct policy *p, const struct zc_scope *scope,
                    const struct field_entry *in, int64_t *id, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    struct field_station st;
    char now[20], today_s[11];
    int64_t day, today;
    bool row = false, found;
    int inside = -1, rc;

    *id = 0;
    if (!field_date_days(in->day, &day))
        return zc_error_set(err, ZC_EINVAL, "day '%s' is not YYYY-MM-DD", in->day);
    if (!in->text || !*in->text)
        return zc_error_set(err, ZC_EINVAL, "an entry needs its text");
    if (in->visit && (!in->household || !*in->household))
        return zc_error_set(err, ZC_EINVAL, "a household visit names the household (户编号)");
    if (scope->cadre != 0 && scope->cadre != in->cadre)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre writes only their own diary");
    if (in->client_id && *in->client_id) {
        rc = field_prepare(s, FQ_ENTRY_BY_CLIENT, &q, err);
        if (rc == ZC_OK) {
            store_bind_cstr(q, 1, in->client_id);
            rc = store_step(q, &row, err);
            if (rc == ZC_OK && row)
                *id = store_col_int(q, 0);
        }
        store_finalize(q);
        q = NULL;
        if (rc == ZC_OK && row && in->resent)
            *in->resent = true;
        if (rc != ZC_OK || row)
            return rc;
    }
    if (in->captured_at && field_time_parse(in->captured_at, now))
        ;
    else
        field_now(now);
    memcpy(today_s, now, 10);
    today_s[10] = '\0';
    field_date_days(today_s, &today);
    if (day > today)
        return zc_error_set(err, ZC_EINVAL, "%s is in the future", in->day);
    if (today - day > p->field.diary_backdate_days)
        return zc_error_set(err, ZC_EINVAL,
                            "%s is more than %d days back; the policy allows entries for the "
                            "last %d days only",
                            in->day, p->field.diary_backdate_days, p->field.diary_backdate_days);
    rc = field_prepare(s, FQ_STATION, &q, err);
    if (rc == ZC_OK)
        rc = field_station(q, p, in->cadre, in->day, &st, &found, err);
    store_finalize(q);
    q = NULL;
    if (rc != ZC_OK)
        return rc;
    if (!found)
        return zc_error_set(err, ZC_EINVAL, "cadre %lld is not stationed in a village on %s",
                            (long long)in->cadre, in->day);
    if (!zc_scope_has(scope, st.village))
        return zc_error_set(err, ZC_EFORBIDDEN, "cadre %lld serves outside your jurisdiction",
                            (long long)in->cadre);
    if (in->has_pos && st.has_centre) {
        struct geo_point a = {in->lng, in->lat}, b = {st.lng, st.lat};
        inside = geo_distance_m(a, b) <= st.radius_m;
    }
    if (in->visit && (rc = household_in_village(s, in->household, st.village, err)) != ZC_OK)
        return rc;
    if (in->photo && *in->photo && (rc = field_photo_owned(s, in->photo, in->cadre, err)) != ZC_OK)
        return rc;
    rc = field_prepare(s, FQ_ENTRY_INSERT, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, in->cadre);
        store_bind_int(q, 2, st.village);
        store_bind_cstr(q, 3, in->visit ? "visit" : "diary");
        store_bind_cstr(q, 4, in->day);
        store_bind_cstr(q, 5, in->visit ? in->household : NULL);
        store_bind_cstr(q, 6, in->text);
        if (in->has_pos) {
            store_bind_real(q, 7, in->lat);
            store_bind_real(q, 8, in->lng);
        } else {
            store_bind_null(q, 7);
            store_bind_null(q, 8);
        }
        if (inside >= 0)
            store_bind_int(q, 9, inside);
        else
            store_bind_null(q, 9);
        store_bind_cstr(q, 10, in->client_id && *in->client_id ? in->client_id : NULL);
        store_bind_cstr(q, 11, now);
        store_bind_int(q, 12, in->demo);
        store_bind_cstr(q, 13, in->photo && *in->photo ? in->photo : NULL);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

/* A visit's household (when an edit changes it: see field_entry_edit). */
static int edit_household(struct store *s, int64_t id, bool visit, int64_t village,
                          const char *household, struct zc_error *err)
{
    if (!visit)
        return zc_error_set(err, ZC_EINVAL,
                            "entry #%lld is a diary entry: only a household visit names a "
                            "household",
                            (long long)id);
    if (!*household)
        return zc_error_set(err, ZC_EINVAL, "a household visit names the household (户编号)");
    return household_in_village(s, household, village, err);
}

int field_entry_edit(struct store *s, const struct policy *p, const struct zc_scope *scope,
                     int64_t id, const char *text, const char *household, int *version,
                     struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t cadre = 0, village = 0, old = 0, day = 0, today = 0;
    char now[20], today_s[11], day_s[11] = "";
    char *old_text = NULL, *old_household = NULL;
    bool row = false;
    int rc;
    if (!text && !household)
        return zc_error_set(err, ZC_EINVAL, "an edit changes the text or the household");
    if (text && !*text)
        return zc_error_set(err, ZC_EINVAL, "an entry needs its text");
    field_now(now);
    memcpy(today_s, now, 10);
    today_s[10] = '\0';
    field_date_days(today_s, &today);
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_ENTRY_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && row) {
        struct store_stmt *k = NULL;
        cadre = store_col_int(q, 0);
        village = store_col_int(q, 1);
        old = store_col_int(q, 2);
        snprintf(day_s, sizeof(day_s), "%s", store_col_text(q, 5));
        old_text = zc_strdup(store_col_text(q, 3));
        old_household = store_col_is_null(q, 4) ? NULL : zc_strdup(store_col_text(q, 4));
        if (!zc_scope_has(scope, village) || (scope->cadre != 0 && scope->cadre != cadre)) {
            row = false;
        } else if (p && field_date_days(day_s, &day) &&
                   today - day > p->field.diary_backdate_days) {
            rc = zc_error_set(err, ZC_EINVAL,
                              "entry #%lld describes %s, more than %d days back; the policy "
                              "(field.diary_backdate_days) allows changes for the last %d days "
                              "only",
                              (long long)id, day_s, p->field.diary_backdate_days,
                              p->field.diary_backdate_days);
        } else if (household &&
                   (rc = edit_household(s, id, strcmp(store_col_text(q, 6), "visit") == 0, village,
                                        household, err)) != ZC_OK) {
            /* refused: err names the household */
        } else if ((rc = field_prepare(s, FQ_ENTRY_KEEP, &k, err)) == ZC_OK) {
            store_bind_int(k, 1, id);
            store_bind_int(k, 2, old);
            store_bind_cstr(k, 3, old_text);
            store_bind_cstr(k, 4, old_household);
            store_bind_cstr(k, 5, now);
            rc = store_run(k, err);
        }
        store_finalize(k);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no diary entry #%lld in your records", (long long)id);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_ENTRY_UPDATE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, text ? text : old_text);
        store_bind_cstr(q, 2, now);
        store_bind_int(q, 3, id);
        store_bind_cstr(q, 4, household ? household : old_household);
        rc = store_run(q, err);
    }
    store_finalize(q);
    free(old_text);
    free(old_household);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc == ZC_OK && version)
        *version = (int)old + 1;
    return rc;
}

int field_cadre_lookup(struct store *s, const char *text, int64_t *id, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char *end;
    long long v;
    bool row = false;
    int rc;
    if (text && strlen(text) < 15) {
        v = strtoll(text, &end, 10);
        if (*text && !*end && v > 0) {
            *id = v;
            return ZC_OK;
        }
    }
    rc = field_prepare(s, FQ_CADRE_BY_IDNUM, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, text);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre '%s' (give the cadre's ID or 身份证号)",
                          text ? text : "");
    return rc;
}

int field_leave_list(struct store *s, const struct zc_scope *scope, const char *status,
                     const char *unit, int (*fn)(void *ud, const struct field_leave_row *row),
                     void *ud, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = true;
    int rc;
    if (unit && !*unit)
        unit = NULL;
    if (scope->unit[0] && unit && strcmp(unit, scope->unit) != 0)
        return zc_error_set(err, ZC_EFORBIDDEN,
                            "a sending unit sees the leave of its own cadres (%s), not of %s",
                            scope->unit, unit);
    rc = field_prepare(s, FQ_LEAVE_LIST, &q, err);
    if (rc == ZC_OK && scope->unit[0]) { /* the unit's copy: its cadres, wherever they serve */
        store_bind_int(q, 1, 0);
        store_bind_int(q, 2, 999999999999LL);
        store_bind_int(q, 3, 0);
        store_bind_int(q, 4, INT64_MAX);
        unit = scope->unit;
    } else if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        field_bind_cadres(q, 3, scope);
    }
    if (rc == ZC_OK) {
        store_bind_cstr(q, 5, status && *status ? status : NULL);
        store_bind_cstr(q, 6, unit);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_leave_row r;
        r.id = store_col_int(q, 0);
        r.cadre = store_col_int(q, 1);
        r.village = store_col_int(q, 2);
        r.name = store_col_text(q, 3);
        r.village_name = store_col_text(q, 4);
        r.kind = store_col_text(q, 5);
        r.start = store_col_text(q, 6);
        r.end = store_col_text(q, 7);
        r.days = (int)store_col_int(q, 8);
        r.reason = store_col_text(q, 9);
        r.approver = store_col_text(q, 10);
        r.status = store_col_text(q, 11);
        r.returned = store_col_text(q, 12);
        r.unit = store_col_text(q, 13);
        r.unit_name = store_col_text(q, 14);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

/* ---- contested days ---------------------------------------------------------------------- */

int field_contest_add(struct store *s, const struct zc_scope *scope, int64_t cadre, const char *day,
                      const char *reason, int64_t *id, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20], today_s[11];
    int64_t dd, today, village;
    bool row = false;
    int rc;
    if (!field_date_days(day, &dd))
        return zc_error_set(err, ZC_EINVAL, "day '%s' is not YYYY-MM-DD", day);
    if (!reason || !*reason)
        return zc_error_set(err, ZC_EINVAL, "a contested day needs the reason (what happened)");
    field_now(now);
    memcpy(today_s, now, 10);
    today_s[10] = '\0';
    field_date_days(today_s, &today);
    if (dd > today)
        return zc_error_set(err, ZC_EINVAL, "%s has not come yet", day);
    rc = field_check_cadre_scope(s, scope, cadre, &village, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_CONTEST_INSERT, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_cstr(q, 2, day);
        store_bind_cstr(q, 3, reason);
        store_bind_cstr(q, 4, now);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
        if (rc == ZC_ECONFLICT)
            rc = zc_error_set(err, ZC_ECONFLICT, "%s is already contested", day);
    }
    store_finalize(q);
    return rc;
}

int field_contest_decide(struct store *s, const struct zc_scope *scope, int level, int64_t id,
                         bool accept, const char *note, const char *actor, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t cadre = 0, village = 0;
    char status[16] = "", now[20];
    bool row = false;
    int rc;
    if (scope->cadre != 0 || level < PA_COUNTY)
        return zc_error_set(err, ZC_EFORBIDDEN,
                            "a contested day is decided by the county organisation department");
    if (!accept && (!note || !*note))
        return zc_error_set(err, ZC_EINVAL, "a rejection needs a reason");
    rc = field_prepare(s, FQ_CONTEST_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row) {
            cadre = store_col_int(q, 0);
            snprintf(status, sizeof(status), "%s", store_col_text(q, 1));
        }
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && row)
        rc = cadre_village(s, cadre, &village, err);
    if (rc == ZC_OK && (!row || !zc_scope_has(scope, village)))
        rc = zc_error_set(err, ZC_ENOTFOUND, "no contested day #%lld in your jurisdiction",
                          (long long)id);
    if (rc == ZC_OK && strcmp(status, "open") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT, "contested day #%lld is already %s", (long long)id,
                          status);
    if (rc != ZC_OK)
        return rc;
    field_now(now);
    rc = field_prepare(s, FQ_CONTEST_DECIDE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, accept ? "accepted" : "rejected");
        store_bind_cstr(q, 2, actor ? actor : "");
        store_bind_cstr(q, 3, now);
        store_bind_cstr(q, 4, note ? note : "");
        store_bind_int(q, 5, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int field_contest_list(struct store *s, const struct zc_scope *scope, const char *status,
                       int (*fn)(void *ud, const struct field_contest_row *row), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = true;
    int rc = field_prepare(s, FQ_CONTEST_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        field_bind_cadres(q, 3, scope);
        store_bind_cstr(q, 5, status && *status ? status : NULL);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_contest_row r;
        r.id = store_col_int(q, 0);
        r.cadre = store_col_int(q, 1);
        r.village = store_col_int(q, 2);
        r.name = store_col_text(q, 3);
        r.village_name = store_col_text(q, 4);
        r.day = store_col_text(q, 5);
        r.reason = store_col_text(q, 6);
        r.status = store_col_text(q, 7);
        r.note = store_col_text(q, 8);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

static void entry_row_read(struct store_stmt *q, struct field_entry_row *r)
{
    r->id = store_col_int(q, 0);
    r->cadre = store_col_int(q, 1);
    r->village = store_col_int(q, 2);
    r->name = store_col_text(q, 3);
    r->kind = store_col_text(q, 4);
    r->day = store_col_text(q, 5);
    r->household = store_col_text(q, 6);
    r->text = store_col_text(q, 7);
    r->version = (int)store_col_int(q, 8);
    r->photo = store_col_text(q, 9);
    r->written_at = store_col_text(q, 10);
    r->updated_at = store_col_text(q, 11);
}

int field_entry_query(struct store *s, const struct zc_scope *scope,
                      const struct field_entry_filter *f,
                      int (*fn)(void *ud, const struct field_entry_row *row), void *ud,
                      struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t lo = scope->lo, hi = scope->hi;
    struct zc_scope one = *scope;
    bool row = true;
    int rc;
    if (f->village > 0) { /* one village, inside the scope or nothing */
        if (!zc_scope_has(scope, f->village))
            return ZC_OK;
        lo = hi = f->village;
    }
    if (f->cadre > 0) { /* one cadre: a cadre scope sees only their own */
        if (scope->cadre != 0 && scope->cadre != f->cadre)
            return ZC_OK;
        one.cadre = f->cadre;
    }
    rc = field_prepare(s, FQ_ENTRY_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, lo);
        store_bind_int(q, 2, hi);
        field_bind_cadres(q, 3, &one);
        store_bind_cstr(q, 5, f->household && *f->household ? f->household : NULL);
        store_bind_int(q, 6, f->limit > 0 ? f->limit : 100);
        store_bind_cstr(q, 7, f->from && *f->from ? f->from : "0000-00-00");
        store_bind_cstr(q, 8, f->to && *f->to ? f->to : "9999-12-31");
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_entry_row r;
        entry_row_read(q, &r);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

int field_entry_list(struct store *s, const struct zc_scope *scope, int64_t village,
                     const char *household, int limit,
                     int (*fn)(void *ud, const struct field_entry_row *row), void *ud,
                     struct zc_error *err)
{
    struct field_entry_filter f = {.village = village, .household = household, .limit = limit};
    return field_entry_query(s, scope, &f, fn, ud, err);
}

int field_entry_history(struct store *s, const struct zc_scope *scope, int64_t id,
                        int (*entry)(void *ud, const struct field_entry_row *row),
                        int (*version)(void *ud, const struct field_entry_version_row *v), void *ud,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_ENTRY_ONE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && row) {
        struct field_entry_row r;
        entry_row_read(q, &r);
        if (!zc_scope_has(scope, r.village) || (scope->cadre != 0 && scope->cadre != r.cadre))
            row = false;
        else
            rc = entry(ud, &r);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && !row)
        return zc_error_set(err, ZC_ENOTFOUND, "no diary entry or visit #%lld in your jurisdiction",
                            (long long)id);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_ENTRY_VERSIONS, &q, err);
    if (rc == ZC_OK)
        store_bind_int(q, 1, id);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_entry_version_row v = {(int)store_col_int(q, 0), store_col_text(q, 1),
                                            store_col_text(q, 2), store_col_text(q, 3)};
        rc = version(ud, &v);
    }
    store_finalize(q);
    return rc;
}

int field_month_work(struct store *s, const struct zc_scope *scope, const char *ym,
                     int (*fn)(void *ud, const struct field_work_row *row), void *ud,
                     struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t first;
    int ndays, rc;
    char lo[11], hi[11];
    bool row = false;
    if (!field_month_range(ym, &first, &ndays))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    field_date_text(first, lo);
    field_date_text(first + ndays - 1, hi);
    rc = field_prepare(s, FQ_MONTH_WORK, &q, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_cstr(q, 1, lo);
    store_bind_cstr(q, 2, hi);
    store_bind_int(q, 3, scope->lo);
    store_bind_int(q, 4, scope->hi);
    field_bind_cadres(q, 5, scope);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_work_row r = {store_col_int(q, 0), (int)store_col_int(q, 1),
                                   (int)store_col_int(q, 2), (int)store_col_int(q, 3)};
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

int field_household_visits(struct store *s, const struct zc_scope *scope, const char *since,
                           int (*fn)(void *ud, const struct field_visit_sum *row), void *ud,
                           struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_HOUSEHOLD_VISITS, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_cstr(q, 3, since);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct field_visit_sum r;
        r.household = store_col_text(q, 0);
        r.cadre = store_col_int(q, 1);
        r.visits_since = (int)store_col_int(q, 2);
        r.last_day = store_col_text(q, 3);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}
