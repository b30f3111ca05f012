/* SPDX-License-Identifier: MIT */
/* plan.c - the causes of a household's poverty, its plan (一户一策) as
 * measure records with kept versions, and the five-level review. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aid_int.h"
#include "base/calendar.h"
#include "base/division.h"
#include "base/mem.h"
#include "field/field.h"
#include "registry/registry.h"

static const char *const level_names[AID_LEVELS + 1] = {
    NULL, "帮扶责任人", "驻村工作队", "扶贫工作站", "乡镇长", "包乡县领导",
};
static const char *const level_keys[AID_LEVELS + 1] = {
    NULL, "cadre", "team", "station", "township", "county",
};

const char *aid_level_name(int level)
{
    return level >= 1 && level <= AID_LEVELS ? level_names[level] : NULL;
}

int aid_level_parse(const char *s)
{
    static const char *const more[][2] = {
        {"责任人", "1"}, {"工作队", "2"}, {"驻村工作队", "2"}, {"工作站", "3"}, {"乡镇", "4"},
        {"乡镇长", "4"}, {"县领导", "5"}, {"包乡县领导", "5"}, {"扶贫站", "3"}, {"帮扶干部", "1"},
    };
    if (!s)
        return 0;
    if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0')
        return s[0] - '0';
    for (int i = 1; i <= AID_LEVELS; i++)
        if (strcmp(s, level_names[i]) == 0 || strcmp(s, level_keys[i]) == 0)
            return i;
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
        if (strcmp(s, more[i][0]) == 0)
            return more[i][1][0] - '0';
    return 0;
}

const char *aid_plan_status_name(const char *status)
{
    if (strcmp(status, "draft") == 0)
        return "草稿";
    if (strcmp(status, "in_review") == 0)
        return "审核中";
    if (strcmp(status, "returned") == 0)
        return "退回";
    if (strcmp(status, "approved") == 0)
        return "已审定";
    return status;
}

/* ---- the household and who may write ----------------------------------------------- */

int aid_household_open(struct store *s, const struct zc_scope *scope, const char *household,
                       bool cadre_ok, int64_t *village, int64_t *responsible, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_HOUSEHOLD, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, household);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no registered household %s", household);
    if (rc == ZC_OK) {
        *village = store_col_int(q, 0);
        if (responsible)
            *responsible = store_col_int(q, 1);
        if (scope->cadre != 0) {
            if (!cadre_ok || store_col_int(q, 1) != scope->cadre)
                rc = zc_error_set(err, ZC_EFORBIDDEN,
                                  "household %s: only its responsible cadre, or an account of "
                                  "its village's jurisdiction, may change this",
                                  household);
        } else if (!zc_scope_has(scope, *village)) {
            rc = zc_error_set(err, ZC_EFORBIDDEN, "household %s is outside your jurisdiction",
                              household);
        }
    }
    store_finalize(q);
    return rc;
}

/* ---- causes ------------------------------------------------------------------------ */

/* The next item of a list separated by , ; 、 ， ； or spaces. */
static const char *next_item(const char *p, char *out, size_t n)
{
    static const char *const seps[] = {",", ";", " ", "\t", "、", "，", "；", "　"};
    size_t k = 0;
    for (;;) {
        bool sep = false;
        for (size_t i = 0; *p && i < sizeof(seps) / sizeof(seps[0]); i++)
            if (strncmp(p, seps[i], strlen(seps[i])) == 0) {
                p += strlen(seps[i]);
                sep = true;
                break;
            }
        if (!sep)
            break;
    }
    while (*p) {
        bool sep = false;
        for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
            if (strncmp(p, seps[i], strlen(seps[i])) == 0)
                sep = true;
        if (sep)
            break;
        if (k + 1 < n)
            out[k++] = *p;
        p++;
    }
    out[k] = '\0';
    return k ? p : NULL;
}

int aid_causes_set(struct store *s, const struct zc_scope *scope, const char *household,
                   const char *list, char *canon, size_t canonsz, int64_t *village,
                   struct zc_error *err)
{
    const char *causes[16];
    size_t n = 0;
    char item[64];
    struct store_stmt *q = NULL;
    int rc;
    canon[0] = '\0';
    for (const char *p = list ? list : ""; (p = next_item(p, item, sizeof(item))) != NULL;) {
        const char *c = registry_cause_parse(item);
        bool dup = false;
        if (!c)
            return zc_error_set(err, ZC_EINVAL,
                                "household %s: '%s' is not a cause of poverty in the registry's "
                                "categories (%s)",
                                household, item, registry_cause_list());
        for (size_t i = 0; i < n; i++)
            dup |= strcmp(causes[i], c) == 0;
        if (dup)
            continue;
        if (n == sizeof(causes) / sizeof(causes[0]))
            return zc_error_set(err, ZC_EINVAL, "household %s: at most 16 causes", household);
        causes[n++] = c;
    }
    if (n == 0)
        return zc_error_set(err, ZC_EINVAL, "household %s: at least one cause is needed (%s)",
                            household, registry_cause_list());
    rc = aid_household_open(s, scope, household, true, village, NULL, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_CAUSES_DELETE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, household);
        rc = store_run(q, err);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_CAUSE_INSERT, &q, err);
    for (size_t i = 0; rc == ZC_OK && i < n; i++) {
        store_reset(q);
        store_bind_cstr(q, 1, household);
        store_bind_cstr(q, 2, causes[i]);
        store_bind_int(q, 3, (int64_t)i);
        rc = store_run(q, err);
        snprintf(canon + strlen(canon), canonsz - strlen(canon), "%s%s", i ? "、" : "", causes[i]);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_MAIN_CAUSE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, causes[0]);
        store_bind_cstr(q, 2, household);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int aid_causes_get(struct store *s, const char *household, char *out, size_t outsz,
                   struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_CAUSES_GET, &q, err);
    out[0] = '\0';
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, household);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row)
        snprintf(out + strlen(out), outsz - strlen(out), "%s%s", out[0] ? "、" : "",
                 store_col_text(q, 0));
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK && out[0] == '\0') /* none recorded: the household's main cause */
        rc = aid_prepare(s, AQ_MAIN_CAUSE_GET, &q, err);
    if (rc == ZC_OK && q) {
        store_bind_cstr(q, 1, household);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            snprintf(out, outsz, "%s", store_col_text(q, 0));
    }
    store_finalize(q);
    return rc;
}

/* ---- the plan ---------------------------------------------------------------------- */

/* The plan's state; *found false when the household has none. *reviews:
 * review records of the current version. */
static int plan_load(struct store *s, const char *household, struct aid_plan_state *st, bool *found,
                     int *reviews, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int rc = aid_prepare(s, AQ_PLAN_GET, &q, err);
    *found = false;
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, household);
        rc = store_step(q, found, err);
    }
    if (rc == ZC_OK && *found) {
        st->version = (int)store_col_int(q, 0);
        st->next_level = (int)store_col_int(q, 1);
        snprintf(st->status, sizeof(st->status), "%s", store_col_text(q, 2));
        st->measures = (int)store_col_int(q, 3);
        st->open = (int)store_col_int(q, 4);
        if (reviews)
            *reviews = (int)store_col_int(q, 5);
    }
    store_finalize(q);
    return rc;
}

static int plan_update(struct store *s, const char *household, const struct aid_plan_state *st,
                       const char *actor, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    int rc = aid_prepare(s, AQ_PLAN_UPDATE, &q, err);
    if (rc == ZC_OK) {
        field_now(now);
        store_bind_int(q, 1, st->version);
        store_bind_int(q, 2, st->next_level);
        store_bind_cstr(q, 3, st->status);
        store_bind_cstr(q, 4, actor);
        store_bind_cstr(q, 5, now);
        store_bind_cstr(q, 6, household);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

/* The measures as kept text, one line each: kind|what|amount|who|due. */
static int snapshot(struct store *s, const char *household, struct buf *out, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_MEASURES, &q, err);
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, household);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        buf_printf(out, "%s|%s|", store_col_text(q, 1), store_col_text(q, 2));
        if (!store_col_is_null(q, 3))
            buf_printf(out, "%lld.%02lld", (long long)(store_col_int(q, 3) / 100),
                       (long long)(store_col_int(q, 3) % 100));
        buf_printf(out, "|%s|%s\n", store_col_text(q, 4), store_col_text(q, 5));
    }
    store_finalize(q);
    return rc;
}

/* Before a change to the measures: the plan exists, and a plan any level
 * has reviewed starts a new version. */
static int plan_before_change(struct store *s, const char *household, const char *actor,
                              struct aid_plan_state *st, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool found = false;
    int reviews = 0, rc = plan_load(s, household, st, &found, &reviews, err);
    char now[20];
    st->new_version = false;
    if (rc == ZC_OK && !found) {
        rc = aid_prepare(s, AQ_PLAN_INSERT, &q, err);
        if (rc == ZC_OK) {
            field_now(now);
            store_bind_cstr(q, 1, household);
            store_bind_cstr(q, 2, actor);
            store_bind_cstr(q, 3, now);
            rc = store_run(q, err);
        }
        store_finalize(q);
        st->version = 1;
        st->next_level = 1;
        snprintf(st->status, sizeof(st->status), "draft");
    } else if (rc == ZC_OK && reviews > 0) {
        st->version++;
        st->next_level = 1;
        snprintf(st->status, sizeof(st->status), "draft");
        st->new_version = true;
        rc = plan_update(s, household, st, actor, err);
    }
    return rc;
}

/* After a change: the current version's measures kept; the state reloaded. */
static int plan_after_change(struct store *s, const char *household, const char *actor,
                             struct aid_plan_state *st, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    struct buf text = {0};
    bool found = false, fresh = st->new_version;
    char now[20];
    int rc = snapshot(s, household, &text, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_VERSION_SAVE, &q, err);
    if (rc == ZC_OK) {
        field_now(now);
        store_bind_cstr(q, 1, household);
        store_bind_int(q, 2, st->version);
        store_bind_cstr(q, 3, buf_cstr(&text));
        store_bind_cstr(q, 4, actor);
        store_bind_cstr(q, 5, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    buf_fini(&text);
    if (rc == ZC_OK)
        rc = plan_load(s, household, st, &found, NULL, err);
    st->new_version = fresh;
    return rc;
}

static bool valid_date(const char *d)
{
    int y, m, dd, n = 0;
    if (!d || strlen(d) != 10 || sscanf(d, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10)
        return false;
    if (m < 1 || m > 12 || dd < 1 || dd > cal_month_days(y, m))
        return false;
    return y >= 2000 && y <= 2100;
}

/* Check the fields of a measure; `full` when every required one must be set. */
static int measure_check(const char *household, const struct aid_measure *in, bool full,
                         const char **kind, struct zc_error *err)
{
    *kind = NULL;
    if (in->kind || full) {
        *kind = registry_measure_kind_parse(in->kind);
        if (!*kind)
            return zc_error_set(err, ZC_EINVAL, "household %s: measure kind '%s' is not one of %s",
                                household, in->kind ? in->kind : "", registry_measure_kind_list());
    }
    if ((full || in->description) && (!in->description || !in->description[0]))
        return zc_error_set(err, ZC_EINVAL, "household %s: a measure needs its description",
                            household);
    if (in->description && strlen(in->description) > 1000)
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: the description is longer than 1000 bytes", household);
    if (in->due_date && in->due_date[0] && !valid_date(in->due_date))
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: due date '%s' is not a date (YYYY-MM-DD)", household,
                            in->due_date);
    if (in->has_amount && in->amount_fen < 0)
        return zc_error_set(err, ZC_EINVAL, "household %s: the amount cannot be negative",
                            household);
    return ZC_OK;
}

int aid_measure_add(struct store *s, const struct zc_scope *scope, const struct aid_measure *in,
                    const char *actor, int64_t *id, struct aid_plan_state *st, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    const char *kind = NULL;
    bool row = false;
    int rc = measure_check(in->household, in, true, &kind, err);
    memset(st, 0, sizeof(*st));
    if (rc == ZC_OK)
        rc = aid_household_open(s, scope, in->household, true, &st->village, NULL, err);
    if (rc == ZC_OK)
        rc = plan_before_change(s, in->household, actor, st, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_MEASURE_INSERT, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, in->household);
        store_bind_cstr(q, 2, kind);
        store_bind_cstr(q, 3, in->description);
        if (in->has_amount)
            store_bind_int(q, 4, in->amount_fen);
        else
            store_bind_null(q, 4);
        store_bind_cstr(q, 5, in->responsible ? in->responsible : "");
        store_bind_cstr(q, 6, in->due_date && in->due_date[0] ? in->due_date : NULL);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    if (rc == ZC_OK) {
        int64_t village = st->village;
        rc = plan_after_change(s, in->household, actor, st, err);
        st->village = village;
    }
    return rc;
}

/* The stored measure `id`: its household (copied into hh). */
static int measure_open(struct store *s, const struct zc_scope *scope, int64_t id, char *hh,
                        size_t hhsz, struct store_stmt **row_out, struct aid_plan_state *st,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_MEASURE_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no measure %lld", (long long)id);
    if (rc == ZC_OK) {
        snprintf(hh, hhsz, "%s", store_col_text(q, 0));
        rc = aid_household_open(s, scope, hh, true, &st->village, NULL, err);
        if (rc == ZC_EFORBIDDEN || rc == ZC_ENOTFOUND) {
            char why[sizeof(err->msg)];
            snprintf(why, sizeof(why), "%s", err->msg);
            rc = zc_error_set(err, rc, "measure %lld: %s", (long long)id, why);
        }
    }
    if (rc == ZC_OK && row_out)
        *row_out = q;
    else
        store_finalize(q);
    return rc;
}

int aid_measure_edit(struct store *s, const struct zc_scope *scope, int64_t id,
                     const struct aid_measure *in, const char *actor, struct aid_plan_state *st,
                     struct zc_error *err)
{
    struct store_stmt *cur = NULL, *q = NULL;
    char hh[65], kind[32], what[1024], who[256], due[16];
    const char *k = NULL;
    int64_t village;
    bool has_amount;
    int64_t amount;
    int rc;
    memset(st, 0, sizeof(*st));
    rc = measure_open(s, scope, id, hh, sizeof(hh), &cur, st, err);
    if (rc != ZC_OK)
        return rc;
    rc = measure_check(hh, in, false, &k, err);
    snprintf(kind, sizeof(kind), "%s", k ? k : store_col_text(cur, 1));
    snprintf(what, sizeof(what), "%s", in->description ? in->description : store_col_text(cur, 2));
    has_amount = in->has_amount || !store_col_is_null(cur, 3);
    amount = in->has_amount ? in->amount_fen : store_col_int(cur, 3);
    snprintf(who, sizeof(who), "%s", in->responsible ? in->responsible : store_col_text(cur, 4));
    snprintf(due, sizeof(due), "%s", in->due_date ? in->due_date : store_col_text(cur, 5));
    store_finalize(cur);
    village = st->village;
    if (rc == ZC_OK)
        rc = plan_before_change(s, hh, actor, st, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_MEASURE_UPDATE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, kind);
        store_bind_cstr(q, 2, what);
        if (has_amount)
            store_bind_int(q, 3, amount);
        else
            store_bind_null(q, 3);
        store_bind_cstr(q, 4, who);
        store_bind_cstr(q, 5, due[0] ? due : NULL);
        store_bind_int(q, 6, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK)
        rc = plan_after_change(s, hh, actor, st, err);
    st->village = village;
    return rc;
}

int aid_measure_remove(struct store *s, const struct zc_scope *scope, int64_t id, const char *actor,
                       struct aid_plan_state *st, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char hh[65];
    int64_t village;
    int rc;
    memset(st, 0, sizeof(*st));
    rc = measure_open(s, scope, id, hh, sizeof(hh), NULL, st, err);
    village = st->village;
    if (rc == ZC_OK)
        rc = plan_before_change(s, hh, actor, st, err);
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_MEASURE_DELETE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK)
        rc = plan_after_change(s, hh, actor, st, err);
    st->village = village;
    return rc;
}

int aid_measure_done(struct store *s, const struct zc_scope *scope, int64_t id, bool done,
                     const char *day, struct aid_plan_state *st, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char hh[65];
    bool found = false;
    int64_t village;
    int rc;
    memset(st, 0, sizeof(*st));
    if (done && !valid_date(day))
        return zc_error_set(err, ZC_EINVAL, "measure %lld: '%s' is not a date (YYYY-MM-DD)",
                            (long long)id, day ? day : "");
    rc = measure_open(s, scope, id, hh, sizeof(hh), NULL, st, err);
    village = st->village;
    if (rc == ZC_OK)
        rc = aid_prepare(s, AQ_MEASURE_DONE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, done ? "done" : "open");
        store_bind_cstr(q, 2, done ? day : NULL);
        store_bind_int(q, 3, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK)
        rc = plan_load(s, hh, st, &found, NULL, err);
    st->village = village;
    return rc;
}

/* ---- the review -------------------------------------------------------------------- */

/* May `scope` sign for `level` on a household of `village` whose
 * responsible cadre is `responsible`? */
static int level_allowed(const struct zc_scope *scope, const char *household, int level,
                         int64_t responsible, struct zc_error *err)
{
    const char *need = NULL;
    if (scope->cadre != 0) {
        if (level == 1 && responsible == scope->cadre)
            return ZC_OK;
        return zc_error_set(err, ZC_EFORBIDDEN,
                            "household %s: a cadre account signs only as the household's "
                            "responsible cadre (level 1, 帮扶责任人)",
                            household);
    }
    if (level == 5 && scope->level > DIV_COUNTY)
        need = "a county account or above";
    else if ((level == 3 || level == 4) && scope->level > DIV_TOWNSHIP)
        need = "a township account or above";
    if (need)
        return zc_error_set(err, ZC_EFORBIDDEN, "household %s: level %d (%s) signs with %s",
                            household, level, level_names[level], need);
    return ZC_OK;
}

int aid_review(struct store *s, const struct zc_scope *scope, const char *household, int level,
               bool approve, const char *reason, const char *actor, struct aid_plan_state *st,
               struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int64_t village = 0, responsible = 0;
    bool found = false;
    char now[20];
    int rc;
    memset(st, 0, sizeof(*st));
    if (level < 1 || level > AID_LEVELS)
        return zc_error_set(err, ZC_EINVAL,
                            "level %d is not a review level (1 帮扶责任人, 2 驻村工作队, "
                            "3 扶贫工作站, 4 乡镇长, 5 包乡县领导)",
                            level);
    if (!approve && (!reason || !reason[0]))
        return zc_error_set(err, ZC_EINVAL, "household %s: a return needs its reason", household);
    if (!approve && level == 1)
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: level 1 (帮扶责任人) is the first level; there is no "
                            "level below to return the plan to (change its measures instead)",
                            household);
    rc = aid_household_open(s, scope, household, true, &village, &responsible, err);
    if (rc == ZC_OK)
        rc = level_allowed(scope, household, level, responsible, err);
    if (rc == ZC_OK)
        rc = plan_load(s, household, st, &found, NULL, err);
    st->village = village;
    if (rc != ZC_OK)
        return rc;
    if (!found || st->measures == 0)
        return zc_error_set(err, ZC_EINVAL, "household %s has no plan measures to review yet",
                            household);
    if (strcmp(st->status, "approved") == 0)
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: plan version %d is already approved by all five "
                            "levels; a change to its measures starts a new version",
                            household, st->version);
    if (level != st->next_level)
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: plan version %d awaits level %d (%s); level %d (%s) "
                            "cannot %s it now",
                            household, st->version, st->next_level, level_names[st->next_level],
                            level, level_names[level], approve ? "sign off" : "return");
    rc = aid_prepare(s, AQ_REVIEW_INSERT, &q, err);
    if (rc == ZC_OK) {
        field_now(now);
        store_bind_cstr(q, 1, household);
        store_bind_int(q, 2, st->version);
        store_bind_int(q, 3, level);
        store_bind_cstr(q, 4, approve ? "approve" : "return");
        store_bind_cstr(q, 5, reason ? reason : "");
        store_bind_cstr(q, 6, actor);
        store_bind_cstr(q, 7, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (approve) {
        st->next_level = level + 1;
        snprintf(st->status, sizeof(st->status), "%s",
                 level == AID_LEVELS ? "approved" : "in_review");
    } else {
        st->next_level = level - 1;
        snprintf(st->status, sizeof(st->status), "returned");
    }
    if (rc == ZC_OK)
        rc = plan_update(s, household, st, actor, err);
    return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

int aid_plan_get(struct store *s, const struct zc_scope *scope, const char *household,
                 struct aid_plan_state *st, struct zc_error *err)
{
    int64_t village = 0, responsible = 0;
    bool found = false;
    int rc = aid_household_open(s, scope, household, true, &village, &responsible, err);
    memset(st, 0, sizeof(*st));
    if (rc == ZC_EFORBIDDEN)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no registered household %s", household);
    if (rc == ZC_OK)
        rc = plan_load(s, household, st, &found, NULL, err);
    st->village = village;
    if (rc == ZC_OK && !found)
        rc = zc_error_set(err, ZC_ENOTFOUND, "household %s has no plan yet", household);
    return rc;
}

int aid_measure_list(struct store *s, const char *household,
                     int (*fn)(void *ud, const struct aid_measure *m), void *ud,
                     struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_MEASURES, &q, err);
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, household);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct aid_measure m = {
            .id = store_col_int(q, 0),
            .household = household,
            .kind = store_col_text(q, 1),
            .description = store_col_text(q, 2),
            .has_amount = !store_col_is_null(q, 3),
            .amount_fen = store_col_int(q, 3),
            .responsible = store_col_text(q, 4),
            .due_date = store_col_text(q, 5),
            .status = store_col_text(q, 6),
            .done_date = store_col_text(q, 7),
        };
        rc = fn(ud, &m);
    }
    store_finalize(q);
    return rc;
}

int aid_review_list(struct store *s, const char *household,
                    int (*fn)(void *ud, const struct aid_review_row *r), void *ud,
                    struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_REVIEWS, &q, err);
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, household);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct aid_review_row r = {
            .version = (int)store_col_int(q, 0),
            .level = (int)store_col_int(q, 1),
            .decision = store_col_text(q, 2),
            .reason = store_col_text(q, 3),
            .reviewer = store_col_text(q, 4),
            .at = store_col_text(q, 5),
        };
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

int aid_plan_list(struct store *s, const struct zc_scope *scope, const char *status, int waiting,
                  int (*fn)(void *ud, const struct aid_plan_row *r), void *ud, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = aid_prepare(s, AQ_PLAN_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->lo);
        store_bind_int(q, 2, scope->hi);
        store_bind_cstr(q, 3, waiting ? NULL : status);
        store_bind_int(q, 4, waiting ? waiting : 0);
        store_bind_int(q, 5, waiting ? waiting : AID_LEVELS + 1);
        store_bind_int(q, 6, scope->cadre != 0 ? scope->cadre : 0);
        store_bind_int(q, 7, scope->cadre != 0 ? scope->cadre : INT64_MAX);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct aid_plan_row r = {
            .household = store_col_text(q, 0),
            .village = store_col_int(q, 1),
            .village_name = store_col_text(q, 2),
            .version = (int)store_col_int(q, 3),
            .next_level = (int)store_col_int(q, 4),
            .status = store_col_text(q, 5),
            .measures = (int)store_col_int(q, 6),
            .open = (int)store_col_int(q, 7),
            .cadre_name = store_col_text(q, 8),
        };
        if (waiting && strcmp(r.status, "approved") == 0)
            continue;
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}
