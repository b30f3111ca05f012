/* SPDX-License-Identifier: MIT */
/* ladder.c - the monthly negative list (负面清单) and the escalation ladder
 * (先学习班、再约谈、后处理).
 *
 * The list is rebuilt from the policy's rules whenever it is asked for, so
 * a dismissed case or an approved contest takes its entry away (and only
 * a case the county confirmed, 核实, makes one); manual
 * entries stay. The ladder counts the months a cadre was on the list in
 * the policy's rolling window: the n-th step (study, talk, penalty, then
 * penalty again) is proposed when that count reaches the step's threshold
 * (a repeated penalty needs one more month each time) and the cadre is on
 * this month's list. A proposal may be appealed (申诉); the county then
 * confirms or withdraws it. A confirmed sanction that ends the posting
 * recalls the cadre through the dispatch module, which leaves the post
 * vacant for `zhucun match --refill`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "base/mem.h"
#include "match/model.h"
#include "match/plan.h"
#include "policy/policy.h"

struct neg_writer {
    struct store_stmt *q;
    const char *ym, *actor;
    char now[20];
    size_t n;
};

static int neg_put(struct neg_writer *w, const struct roster_cadre *c, const char *source,
                   const char *rule, const char *detail, int64_t *id, struct zc_error *err)
{
    bool row = false;
    int rc;
    store_reset(w->q);
    store_bind_int(w->q, 1, c->cadre);
    store_bind_int(w->q, 2, c->village);
    store_bind_cstr(w->q, 3, w->ym);
    store_bind_cstr(w->q, 4, source);
    store_bind_cstr(w->q, 5, rule);
    store_bind_cstr(w->q, 6, detail);
    store_bind_cstr(w->q, 7, w->actor);
    store_bind_cstr(w->q, 8, w->now);
    rc = store_step(w->q, &row, err);
    if (rc == ZC_OK && row && id)
        *id = store_col_int(w->q, 0);
    w->n++;
    return rc;
}

/* The rule entries of one cadre for the month. */
static int neg_rules(struct neg_writer *w, const struct policy_assess *a,
                     const struct roster_cadre *c, struct zc_error *err)
{
    char d[320];
    int rc = ZC_OK;
    int have = c->days + c->trip_days;
    if (a->neg_short_days > 0 && c->required_days > 0 && !c->ok &&
        c->required_days - have >= a->neg_short_days) {
        snprintf(d, sizeof(d), "在村 %d 天 (含公差 %d 天), 应在村 %d 天, 差 %d 天", have,
                 c->trip_days, c->required_days, c->required_days - have);
        rc = neg_put(w, c, "rule", "short_days", d, NULL, err);
    }
    if (rc == ZC_OK && a->neg_cases && c->confirmed > 0) {
        snprintf(d, sizeof(d), "%d 起经核实的两头跑线索: %s", c->confirmed,
                 c->case_detail ? c->case_detail : "");
        rc = neg_put(w, c, "rule", "case", d, NULL, err);
    }
    if (rc == ZC_OK && a->neg_min_diary > 0 && c->ndays > 0) {
        /* Prorated to the days stationed: a cadre posted half the month owes half. */
        int need = (a->neg_min_diary * c->posted_days + c->ndays - 1) / c->ndays;
        if (c->diaries + c->visits < need) {
            snprintf(d, sizeof(d), "工作日志与走访记录 %d 条, 应不少于 %d 条",
                     c->diaries + c->visits, need);
            rc = neg_put(w, c, "rule", "diary", d, NULL, err);
        }
    }
    if (rc == ZC_OK && a->neg_overdue && c->overdue > 0) {
        snprintf(d, sizeof(d), "%d 项督查整改逾期未完成", c->overdue);
        rc = neg_put(w, c, "rule", "overdue_ticket", d, NULL, err);
    }
    if (rc == ZC_OK && a->neg_findings && c->findings > 0) {
        snprintf(d, sizeof(d), "督查发现 %d 条: %s", c->findings,
                 c->finding_text ? c->finding_text : "");
        rc = neg_put(w, c, "rule", "finding", d, NULL, err);
    }
    return rc;
}

int assess_negative_build(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *ym, const char *actor, size_t *n, struct zc_error *err)
{
    struct neg_writer w = {.ym = ym, .actor = actor};
    struct store_stmt *clear = NULL;
    struct roster r;
    int rc;
    *n = 0;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot build the negative list");
    rc = roster_load(s, p, scope, ym, &r, err);
    if (rc != ZC_OK)
        return rc;
    assess_now(w.now);
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_NEG_CLEAR, &clear, err);
    if (rc == ZC_OK) {
        store_bind_cstr(clear, 1, ym);
        assess_bind_scope(clear, 2, scope);
        rc = store_run(clear, err);
    }
    store_finalize(clear);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_NEG_ADD, &w.q, err);
    for (size_t i = 0; rc == ZC_OK && i < r.n; i++)
        rc = neg_rules(&w, &p->assess, &r.c[i], err);
    store_finalize(w.q);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    roster_fini(&r);
    *n = w.n;
    return rc;
}

static int posting_at(struct store *s, int64_t cadre, const char *day, int64_t *village,
                      bool *found, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int rc = assess_prepare(s, AQ_POSTING_AT, &q, err);
    *found = false;
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_cstr(q, 2, day);
        rc = store_step(q, found, err);
        if (rc == ZC_OK && *found)
            *village = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

int assess_negative_add(struct store *s, const struct zc_scope *scope, int64_t cadre,
                        const char *ym, const char *reason, const char *actor, int64_t *id,
                        struct zc_error *err)
{
    struct neg_writer w = {.ym = ym, .actor = actor};
    struct roster_cadre c = {.cadre = cadre};
    char first[11], last[11];
    bool found = false;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot add to the negative list");
    if (!assess_month_days(ym, first, last))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    if (!reason || !reason[0])
        return zc_error_set(err, ZC_EINVAL, "a manual entry gives its reason (--reason)");
    rc = posting_at(s, cadre, last, &c.village, &found, err);
    if (rc == ZC_OK && !found)
        rc = posting_at(s, cadre, first, &c.village, &found, err);
    if (rc == ZC_OK && !found)
        rc = zc_error_set(err, ZC_EINVAL, "cadre %lld was not stationed in %s", (long long)cadre,
                          ym);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, c.village, cadre, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_NEG_ADD, &w.q, err);
    if (rc == ZC_OK) {
        assess_now(w.now);
        rc = neg_put(&w, &c, "manual", "manual", reason, id, err);
    }
    store_finalize(w.q);
    return rc;
}

int assess_negative_list(struct store *s, const struct zc_scope *scope, const char *ym,
                         int (*fn)(void *ud, const struct assess_negative_row *row), void *ud,
                         struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_NEG_LIST, &q, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_cstr(q, 1, ym);
    assess_bind_scope(q, 2, scope);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_negative_row r = {
            .id = store_col_int(q, 0),
            .cadre = store_col_int(q, 1),
            .village = store_col_int(q, 2),
            .id_number = store_col_text(q, 3),
            .name = store_col_text(q, 4),
            .village_name = store_col_text(q, 5),
            .unit_name = store_col_text(q, 6),
            .source = store_col_text(q, 7),
            .rule = store_col_text(q, 8),
            .detail = store_col_text(q, 9),
        };
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

/* ---- the ladder ------------------------------------------------------------------------- */

static int steps_in_window(struct store_stmt *q, int64_t cadre, const char *from, const char *to,
                           int *taken, int *this_month, struct zc_error *err)
{
    bool row = false;
    int rc;
    store_reset(q);
    store_bind_int(q, 1, cadre);
    store_bind_cstr(q, 2, from);
    store_bind_cstr(q, 3, to);
    rc = store_step(q, &row, err);
    *taken = row ? (int)store_col_int(q, 0) : 0;
    *this_month = row ? (int)store_col_int(q, 1) : 0;
    return rc;
}

/* A notice to the cadre of the step just proposed for month `ym`. */
static int notice_step(struct store *s, struct store_stmt **add, struct store_stmt **last,
                       int64_t cadre, const char *ym, const char *step, int listed, int window,
                       const char *now, struct zc_error *err)
{
    char text[320];
    bool row = false;
    int64_t id = 0;
    int rc = *add ? ZC_OK : assess_prepare(s, AQ_NOTICE_ADD, add, err);
    if (rc == ZC_OK && !*last)
        rc = assess_prepare(s, AQ_STEP_LAST_ID, last, err);
    if (rc != ZC_OK)
        return rc;
    store_reset(*last);
    store_bind_int(*last, 1, cadre);
    store_bind_cstr(*last, 2, ym);
    rc = store_step(*last, &row, err);
    if (rc == ZC_OK && row)
        id = store_col_int(*last, 0);
    store_reset(*last);
    snprintf(text, sizeof(text),
             "%s：拟对您进行“%s”（近 %d 个月中 %d 个月列入负面清单）。如有异议，可在本页申诉。", ym,
             assess_step_name(step), window, listed);
    store_reset(*add);
    store_bind_int(*add, 1, cadre);
    store_bind_cstr(*add, 2, "ladder");
    if (id)
        store_bind_int(*add, 3, id);
    else
        store_bind_null(*add, 3);
    store_bind_cstr(*add, 4, text);
    store_bind_cstr(*add, 5, now);
    rc = rc == ZC_OK ? store_run(*add, err) : rc;
    store_reset(*add);
    return rc;
}

int assess_ladder_propose(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *ym, size_t *proposed, struct zc_error *err)
{
    const struct policy_assess *a = &p->assess;
    struct store_stmt *months = NULL, *window = NULL, *add = NULL, *notice = NULL, *last = NULL;
    char from[8], now[20];
    bool row = false;
    int rc;
    *proposed = 0;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot propose ladder steps");
    if (!assess_month_add(ym, -(a->ladder_window - 1), from))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    assess_now(now);
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_NEG_MONTHS, &months, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_STEPS_WINDOW, &window, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_STEP_ADD, &add, err);
    if (rc == ZC_OK) {
        store_bind_cstr(months, 1, from);
        store_bind_cstr(months, 2, ym);
        assess_bind_scope(months, 3, scope);
    }
    while (rc == ZC_OK && (rc = store_step(months, &row, err)) == ZC_OK && row) {
        int64_t cadre = store_col_int(months, 0), village = store_col_int(months, 1);
        int listed = (int)store_col_int(months, 2), now_listed = (int)store_col_int(months, 3);
        int taken = 0, this_month = 0, step, need;
        if (!now_listed)
            continue;
        rc = steps_in_window(window, cadre, from, ym, &taken, &this_month, err);
        if (rc != ZC_OK || this_month)
            continue;
        step = taken < PL_PENALTY ? taken : PL_PENALTY;
        need = a->ladder_at[step] + (taken > PL_PENALTY ? taken - PL_PENALTY : 0);
        if (listed < need)
            continue;
        store_reset(add);
        store_bind_int(add, 1, cadre);
        store_bind_int(add, 2, village);
        store_bind_cstr(add, 3, policy_ladder_step_name(step));
        store_bind_cstr(add, 4, ym);
        store_bind_int(add, 5, listed);
        store_bind_cstr(add, 6, now);
        rc = store_run(add, err);
        *proposed += rc == ZC_OK;
        /* The cadre is told on their phone page, with the reason and what
         * they may do about it. */
        if (rc == ZC_OK)
            rc = notice_step(s, &notice, &last, cadre, ym, policy_ladder_step_name(step), listed,
                             a->ladder_window, now, err);
    }
    store_finalize(months);
    store_finalize(window);
    store_finalize(add);
    store_finalize(notice);
    store_finalize(last);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

struct step_facts {
    int64_t cadre, village;
    char step[16], status[16], id_number[24];
};

static int step_get(struct store *s, int64_t id, struct step_facts *f, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_STEP_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no ladder step %lld", (long long)id);
    if (rc == ZC_OK) {
        f->cadre = store_col_int(q, 0);
        f->village = store_col_int(q, 1);
        snprintf(f->step, sizeof(f->step), "%s", store_col_text(q, 2));
        snprintf(f->status, sizeof(f->status), "%s", store_col_text(q, 3));
        snprintf(f->id_number, sizeof(f->id_number), "%s", store_col_text(q, 4));
    }
    store_finalize(q);
    return rc;
}

int assess_ladder_appeal(struct store *s, const struct zc_scope *scope, int64_t id,
                         const char *reason, struct zc_error *err)
{
    struct step_facts f;
    struct store_stmt *q = NULL;
    char now[20];
    int rc;
    if (!reason || !reason[0])
        return zc_error_set(err, ZC_EINVAL, "an appeal (申诉) gives its reason (--reason)");
    rc = step_get(s, id, &f, err);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, f.village, f.cadre, err);
    if (rc == ZC_OK && strcmp(f.status, "proposed") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT,
                          "ladder step %lld is %s: only a proposed step can be appealed",
                          (long long)id, f.status);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_STEP_APPEAL, &q, err);
    if (rc == ZC_OK) {
        assess_now(now);
        store_bind_cstr(q, 1, reason);
        store_bind_cstr(q, 2, now);
        store_bind_int(q, 3, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int assess_ladder_decide(struct store *s, const struct policy *p, const struct zc_scope *scope,
                         int64_t id, bool confirm, const char *sanction, const char *note,
                         const char *actor, const char *day, bool *recalled, bool *vacancy,
                         struct zc_error *err)
{
    struct step_facts f;
    struct store_stmt *q = NULL;
    char now[20], why[200];
    int rc, k = -1;
    *recalled = *vacancy = false;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot decide ladder steps");
    if (!assess_day_ok(day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day ? day : "");
    if (!confirm && (!note || !note[0]))
        return zc_error_set(err, ZC_EINVAL, "withdrawing a step says why (--note)");
    rc = step_get(s, id, &f, err);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, f.village, 0, err);
    if (rc == ZC_OK && strcmp(f.status, "proposed") != 0 && strcmp(f.status, "appealed") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT, "ladder step %lld is already %s", (long long)id,
                          f.status);
    /* An appeal is answered: the cadre is told why it did not hold. */
    if (rc == ZC_OK && confirm && strcmp(f.status, "appealed") == 0 && (!note || !note[0]))
        rc = zc_error_set(err, ZC_EINVAL,
                          "ladder step %lld was appealed (申诉): confirming it answers the "
                          "appeal (--note)",
                          (long long)id);
    if (rc == ZC_OK && confirm && strcmp(f.step, "penalty") == 0) {
        k = sanction ? policy_sanction_index(p, sanction) : -1;
        if (k < 0) {
            char list[160] = "";
            for (size_t i = 0; i < p->assess.nsanctions; i++)
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                         p->assess.sanctions[i]);
            rc = zc_error_set(err, ZC_EINVAL,
                              "a penalty (处理) names its sanction (--sanction): %s", list);
        }
    } else if (rc == ZC_OK && sanction && sanction[0]) {
        rc = zc_error_set(err, ZC_EINVAL, "only a penalty step takes a sanction");
    }
    if (rc != ZC_OK)
        return rc;
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_STEP_DECIDE, &q, err);
    if (rc == ZC_OK) {
        assess_now(now);
        store_bind_cstr(q, 1, confirm ? "confirmed" : "withdrawn");
        store_bind_cstr(q, 2, k >= 0 ? p->assess.sanctions[k] : "");
        store_bind_cstr(q, 3, actor);
        store_bind_cstr(q, 4, now);
        store_bind_cstr(q, 5, note ? note : "");
        store_bind_int(q, 6, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK && k >= 0 && (p->assess.sanction_recall >> k & 1u)) {
        int64_t village = 0;
        snprintf(why, sizeof(why), "%s (ladder step %lld)", p->assess.sanctions[k], (long long)id);
        rc = plan_recall(s, f.id_number, why, day, &village, vacancy, err);
        *recalled = rc == ZC_OK;
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

int assess_ladder_list(struct store *s, const struct zc_scope *scope, const char *status,
                       int (*fn)(void *ud, const struct assess_step_row *row), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_STEP_LIST, &q, err);
    if (rc != ZC_OK)
        return rc;
    assess_bind_scope(q, 1, scope);
    store_bind_cstr(q, 5, status);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_step_row r = {
            .id = store_col_int(q, 0),
            .cadre = store_col_int(q, 1),
            .village = store_col_int(q, 2),
            .id_number = store_col_text(q, 3),
            .name = store_col_text(q, 4),
            .village_name = store_col_text(q, 5),
            .step = store_col_text(q, 6),
            .month = store_col_text(q, 7),
            .months = (int)store_col_int(q, 8),
            .status = store_col_text(q, 9),
            .appeal = store_col_text(q, 10),
            .sanction = store_col_text(q, 11),
            .note = store_col_text(q, 12),
        };
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

const char *assess_negative_rule_name(const char *rule)
{
    static const char *const map[][2] = {
        {"short_days", "驻村天数不足"}, {"case", "两头跑线索"},      {"diary", "日志走访不足"},
        {"overdue_ticket", "整改逾期"}, {"finding", "督查发现问题"}, {"manual", "其他"},
    };
    return assess_code_name(map, sizeof(map) / sizeof(map[0]), rule);
}

const char *assess_step_name(const char *step)
{
    static const char *const map[][2] = {
        {"study", "进班学习"}, {"talk", "约谈"}, {"penalty", "处理"}};
    return assess_code_name(map, sizeof(map) / sizeof(map[0]), step);
}

const char *assess_step_status_name(const char *status)
{
    static const char *const map[][2] = {{"proposed", "待确认"},
                                         {"appealed", "申诉中"},
                                         {"confirmed", "已确认"},
                                         {"withdrawn", "已撤销"}};
    return assess_code_name(map, sizeof(map) / sizeof(map[0]), status);
}

/* ---- notices to a cadre ---------------------------------------------------------------- */

int assess_notices(struct store *s, const struct zc_scope *scope, bool unread_only,
                   int (*fn)(void *ud, const struct assess_notice *n), void *ud,
                   struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc;
    if (scope->cadre <= 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "notices are a cadre's own");
    rc = assess_prepare(s, AQ_NOTICE_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope->cadre);
        store_bind_int(q, 2, unread_only);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_notice n = {store_col_int(q, 0),  store_col_text(q, 1), store_col_int(q, 2),
                                  store_col_text(q, 3), store_col_text(q, 4), store_col_text(q, 5)};
        rc = fn(ud, &n);
    }
    store_finalize(q);
    return rc;
}

int assess_notice_read(struct store *s, const struct zc_scope *scope, int64_t id,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    int rc;
    if (scope->cadre <= 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "notices are a cadre's own");
    assess_now(now);
    rc = assess_prepare(s, AQ_NOTICE_READ, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, now);
        store_bind_int(q, 2, id);
        store_bind_int(q, 3, scope->cadre);
        rc = store_run(q, err);
        if (rc == ZC_OK && store_changes(s) == 0)
            rc = zc_error_set(err, ZC_ENOTFOUND, "no notice %lld of yours", (long long)id);
    }
    store_finalize(q);
    return rc;
}
