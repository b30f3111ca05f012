/* SPDX-License-Identifier: MIT */
/* inspect.c - inspection samples, inspections, findings and tickets.
 *
 * The sample is a weighted draw without replacement (Efraimidis-Spirakis:
 * each cadre gets the key log(u)/w with u uniform from the seed, the
 * largest keys win), so a higher risk raises the chance and nobody's
 * falls to zero. The random stream is splitmix64 from the seed over the
 * roster in cadre order: the same seed and records give the same sample
 * on any machine. A sample is stored once per scope and period: the month
 * ("2018-07" in inspection_sample.month) or, under a half_monthly policy,
 * one of its halves ("2018-07/1", "2018-07/2"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assess_int.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

struct keyed {
    double key;
    size_t idx;
};

static int by_key_desc(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int weight_of(const struct policy *p, const struct roster_cadre *c, char *why, size_t n)
{
    const struct policy_assess *a = &p->assess;
    int w = a->w_base + a->w_case * c->cases + a->w_finding * c->findings_year;
    size_t used = 0;
    why[0] = '\0';
    if (c->cases)
        used += (size_t)snprintf(why + used, n - used, "%d 起两头跑线索", c->cases);
    if (c->findings_year && used < n)
        used += (size_t)snprintf(why + used, n - used, "%s近12个月督查发现 %d 条", used ? ", " : "",
                                 c->findings_year);
    if (!c->ok && c->required_days > 0) {
        w += a->w_short;
        if (used < n)
            snprintf(why + used, n - used, "%s驻村天数未达标", used ? ", " : "");
    }
    return w > 0 ? w : 1;
}

static int load_sample(struct store *s, struct assess_sample *out, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_SAMPLE_ITEMS, &q, err), i = 0;
    if (rc != ZC_OK)
        return rc;
    out->picks = zc_calloc((size_t)(out->count > 0 ? out->count : 1), sizeof(*out->picks));
    store_bind_int(q, 1, out->id);
    while ((rc = store_step(q, &row, err)) == ZC_OK && row && i < out->count) {
        struct assess_pick *k = &out->picks[i++];
        k->rank = (int)store_col_int(q, 0);
        k->cadre = store_col_int(q, 1);
        k->village = store_col_int(q, 2);
        k->weight = (int)store_col_int(q, 3);
        k->why = zc_strdup(store_col_text(q, 4));
        k->id_number = zc_strdup(store_col_text(q, 5));
        k->name = zc_strdup(store_col_text(q, 6));
        k->village_name = zc_strdup(store_col_text(q, 7));
    }
    out->count = i;
    store_finalize(q);
    return rc;
}

/* The sample recorded for (scope, month), if any: *found. */
static int find_sample(struct store *s, int64_t scope_code, const char *ym,
                       struct assess_sample *out, bool *found, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int rc = assess_prepare(s, AQ_SAMPLE_GET, &q, err);
    *found = false;
    if (rc != ZC_OK)
        return rc;
    store_bind_int(q, 1, scope_code);
    store_bind_cstr(q, 2, ym);
    rc = store_step(q, found, err);
    if (rc == ZC_OK && *found) {
        out->id = store_col_int(q, 0);
        out->seed = (uint64_t)store_col_int(q, 1);
        out->count = (int)store_col_int(q, 2);
        out->population = (int)store_col_int(q, 3);
        snprintf(out->drawn_by, sizeof(out->drawn_by), "%s", store_col_text(q, 4));
        snprintf(out->drawn_at, sizeof(out->drawn_at), "%s", store_col_text(q, 5));
        out->existing = true;
    }
    store_finalize(q);
    return rc;
}

static int store_draw(struct store *s, int64_t scope_code, const char *ym, const char *actor,
                      struct assess_sample *out, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_SAMPLE_INSERT, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, scope_code);
        store_bind_cstr(q, 2, ym);
        store_bind_int(q, 3, (int64_t)out->seed);
        store_bind_int(q, 4, out->count);
        store_bind_int(q, 5, out->population);
        store_bind_cstr(q, 6, actor);
        store_bind_cstr(q, 7, out->drawn_at);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            out->id = store_col_int(q, 0);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_SAMPLE_ITEM_ADD, &q, err);
    for (int i = 0; rc == ZC_OK && i < out->count; i++) {
        const struct assess_pick *k = &out->picks[i];
        store_reset(q);
        store_bind_int(q, 1, out->id);
        store_bind_int(q, 2, k->rank);
        store_bind_int(q, 3, k->cadre);
        store_bind_int(q, 4, k->village);
        store_bind_int(q, 5, k->weight);
        store_bind_cstr(q, 6, k->why);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

static void draw(const struct policy *p, struct roster *r, int count, struct assess_sample *out)
{
    struct keyed *keys = zc_calloc(r->n ? r->n : 1, sizeof(*keys));
    char why[160];
    uint64_t x = out->seed;
    for (size_t i = 0; i < r->n; i++) {
        int w = weight_of(p, &r->c[i], why, sizeof(why));
        /* u in (0, 1]: 53 random bits, never 0 (log(0) has no key). */
        double u = ((double)(splitmix64(&x) >> 11) + 1.0) / 9007199254740992.0;
        keys[i].key = log(u) / w;
        keys[i].idx = i;
    }
    if (r->n)
        qsort(keys, r->n, sizeof(*keys), by_key_desc);
    out->count = count;
    out->picks = zc_calloc((size_t)(count > 0 ? count : 1), sizeof(*out->picks));
    for (int i = 0; i < count; i++) {
        struct roster_cadre *c = &r->c[keys[i].idx];
        struct assess_pick *k = &out->picks[i];
        k->rank = i + 1;
        k->cadre = c->cadre;
        k->village = c->village;
        k->weight = weight_of(p, c, why, sizeof(why));
        k->why = zc_strdup(why);
        k->id_number = zc_strdup(c->id_number);
        k->name = zc_strdup(c->name);
        k->village_name = zc_strdup(c->village_name);
    }
    free(keys);
}

const char *assess_half_name(int half)
{
    return half == 1 ? "上半月" : half == 2 ? "下半月" : "";
}

int assess_sample_default_half(const struct policy *p, const char *ym)
{
    char today[11];
    if (p->assess.sample_halves != 2)
        return 0;
    assess_today(today);
    if (strncmp(today, ym, 7) == 0 && strlen(ym) == 7)
        return strncmp(today + 8, "15", 2) <= 0 ? 1 : 2; /* DD of YYYY-MM-DD */
    return 1;
}

int assess_sample_draw(struct store *s, const struct policy *p, const struct zc_scope *scope,
                       int64_t scope_code, const char *ym, int half, int count, bool has_seed,
                       uint64_t seed, const char *actor, struct assess_sample *out,
                       struct zc_error *err)
{
    struct roster r;
    char period[16], first[11], last[11];
    bool found = false;
    int rc;
    memset(out, 0, sizeof(*out));
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot draw inspections");
    if (!assess_month_days(ym, first, last))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    if (p->assess.sample_halves == 2 && half != 1 && half != 2)
        return zc_error_set(err, ZC_EINVAL,
                            "the policy inspects every half month (inspection.frequency "
                            "half_monthly): the sample is for half 1 (days 1-15) or 2");
    if (p->assess.sample_halves != 2 && half != 0)
        return zc_error_set(err, ZC_EINVAL,
                            "the policy draws one sample a month (inspection.frequency monthly): "
                            "no half %d",
                            half);
    if (half)
        snprintf(period, sizeof(period), "%.7s/%d", ym, half);
    else
        snprintf(period, sizeof(period), "%.7s", ym);
    rc = find_sample(s, scope_code, period, out, &found, err);
    out->half = half;
    if (rc != ZC_OK)
        return rc;
    if (found) {
        if ((has_seed && seed != out->seed) || (count > 0 && count != out->count))
            return zc_error_set(err, ZC_ECONFLICT,
                                "the sample of %s%s for %lld was drawn on %s by %s (seed %llu, "
                                "%d of %d): it is not drawn again; run without --seed and "
                                "--count to see it",
                                ym, assess_half_name(half), (long long)scope_code, out->drawn_at,
                                out->drawn_by, (unsigned long long)out->seed, out->count,
                                out->population);
        return load_sample(s, out, err);
    }
    rc = roster_load(s, p, scope, ym, &r, err);
    if (rc != ZC_OK)
        return rc;
    if (r.n == 0) {
        roster_fini(&r);
        return zc_error_set(err, ZC_ENOTFOUND, "no cadre was stationed in %lld in %s",
                            (long long)scope_code, ym);
    }
    if (count <= 0) {
        count = (int)((r.n * (size_t)p->assess.sample_percent + 99) / 100);
        if (count < p->assess.sample_min)
            count = p->assess.sample_min;
    }
    if ((size_t)count > r.n)
        count = (int)r.n;
    if (!has_seed) {
        uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
        seed = splitmix64(&t) >> 1; /* stored as a signed 64-bit integer */
    }
    out->seed = seed & 0x7fffffffffffffffull;
    out->population = (int)r.n;
    assess_now(out->drawn_at);
    snprintf(out->drawn_by, sizeof(out->drawn_by), "%s", actor);
    draw(p, &r, count, out);
    roster_fini(&r);
    rc = store_draw(s, scope_code, period, actor, out, err);
    return rc;
}

void assess_sample_fini(struct assess_sample *smp)
{
    for (int i = 0; smp->picks && i < smp->count; i++) {
        zc_free_const(smp->picks[i].id_number);
        zc_free_const(smp->picks[i].name);
        zc_free_const(smp->picks[i].village_name);
        zc_free_const(smp->picks[i].why);
    }
    free(smp->picks);
    memset(smp, 0, sizeof(*smp));
}

/* ---- inspections and findings --------------------------------------------------------- */

static const char *const methods[] = {"open",      "unannounced", "random_call",
                                      "documents", "questions",   "questionnaire"};
static const char *const finding_rules[] = {"attendance", "visits",  "diary", "plan",
                                            "funds",      "conduct", "other"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static int exists(struct store *s, enum assess_query which, int64_t id, bool *found,
                  struct zc_error *err)
{
    struct store_stmt *q = NULL;
    int rc = assess_prepare(s, which, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, found, err);
    }
    store_finalize(q);
    return rc;
}

int assess_inspection_add(struct store *s, const struct zc_scope *scope,
                          const struct assess_inspection *in, const char *actor, int64_t *id,
                          struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    bool found = false, row = false;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot record inspections");
    if (!in_list(in->method, methods, 6))
        return zc_error_set(err, ZC_EINVAL,
                            "method '%s' is not one of open, unannounced, random_call, documents, "
                            "questions, questionnaire",
                            in->method ? in->method : "");
    if (!assess_day_ok(in->day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", in->day ? in->day : "");
    if (!in->inspectors || !in->inspectors[0])
        return zc_error_set(err, ZC_EINVAL, "an inspection names its inspectors");
    rc = assess_check_scope(scope, in->village, 0, err);
    if (rc == ZC_OK && in->cadre) {
        rc = exists(s, AQ_CADRE_EXISTS, in->cadre, &found, err);
        if (rc == ZC_OK && !found)
            rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre %lld", (long long)in->cadre);
    }
    if (rc == ZC_OK && in->sample) {
        rc = exists(s, AQ_SAMPLE_EXISTS, in->sample, &found, err);
        if (rc == ZC_OK && !found)
            rc =
                zc_error_set(err, ZC_ENOTFOUND, "no inspection sample %lld", (long long)in->sample);
    }
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_INSPECTION_ADD, &q, err);
    if (rc == ZC_OK) {
        assess_now(now);
        store_bind_int(q, 1, in->village);
        if (in->cadre)
            store_bind_int(q, 2, in->cadre);
        else
            store_bind_null(q, 2);
        if (in->sample)
            store_bind_int(q, 3, in->sample);
        else
            store_bind_null(q, 3);
        store_bind_cstr(q, 4, in->method);
        store_bind_cstr(q, 5, in->day);
        store_bind_cstr(q, 6, in->inspectors);
        store_bind_cstr(q, 7, in->note ? in->note : "");
        store_bind_cstr(q, 8, actor);
        store_bind_cstr(q, 9, now);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *id = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

struct inspection_facts {
    int64_t village, cadre;
    char day[11];
    char inspectors[256];
};

static int inspection_get(struct store *s, int64_t id, struct inspection_facts *f,
                          struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_INSPECTION_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no inspection %lld", (long long)id);
    if (rc == ZC_OK) {
        f->village = store_col_int(q, 0);
        f->cadre = store_col_int(q, 1);
        snprintf(f->day, sizeof(f->day), "%s", store_col_text(q, 2));
        snprintf(f->inspectors, sizeof(f->inspectors), "%s", store_col_text(q, 3));
    }
    store_finalize(q);
    return rc;
}

/* Who must fix a finding: the cadre named, else the inspection's, else
 * the team's first secretary that day (0: nobody stationed). */
static int assignee_of(struct store *s, const struct assess_finding *in,
                       const struct inspection_facts *f, int64_t *who, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc;
    *who = in->cadre ? in->cadre : f->cadre;
    if (*who)
        return ZC_OK;
    rc = assess_prepare(s, AQ_SECRETARY_AT, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, f->village);
        store_bind_cstr(q, 2, f->day);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row)
            *who = store_col_int(q, 0);
    }
    store_finalize(q);
    return rc;
}

static int insert_returning(struct store_stmt *q, int64_t *id, struct zc_error *err)
{
    bool row = false;
    int rc = store_step(q, &row, err);
    if (rc == ZC_OK && row)
        *id = store_col_int(q, 0);
    return rc;
}

/* Commit what a ticket change began when it went well, else roll it back. */
static int finish_tx(struct store *s, int rc, struct zc_error *err)
{
    if (rc == ZC_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

/* One entry of ticket `id`'s history, in the caller's transaction. */
static int ticket_event(struct store *s, int64_t id, const char *action, const char *status,
                        const char *actor, const char *day, const char *note, const char *evidence,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    int rc = assess_prepare(s, AQ_TICKET_EVENT_ADD, &q, err);
    assess_now(now);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        store_bind_cstr(q, 2, action);
        store_bind_cstr(q, 3, status);
        store_bind_cstr(q, 4, actor ? actor : "");
        store_bind_cstr(q, 5, day);
        store_bind_cstr(q, 6, now);
        store_bind_cstr(q, 7, note ? note : "");
        store_bind_cstr(q, 8, evidence ? evidence : "");
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int assess_finding_add(struct store *s, const struct field_policy_map *pm,
                       const struct zc_scope *scope, const struct assess_finding *in,
                       const char *actor, int64_t *finding, int64_t *ticket, int *days,
                       struct zc_error *err)
{
    const struct policy *p;
    struct inspection_facts f;
    struct store_stmt *q = NULL;
    char deadline[11];
    int64_t who = 0;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot record findings");
    if (!in_list(in->rule, finding_rules, 7))
        return zc_error_set(err, ZC_EINVAL,
                            "rule '%s' is not one of attendance, visits, diary, plan, funds, "
                            "conduct, other",
                            in->rule ? in->rule : "");
    if (!in->text || !in->text[0])
        return zc_error_set(err, ZC_EINVAL, "a finding says what was found (--text)");
    rc = inspection_get(s, in->inspection, &f, err);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, f.village, 0, err);
    if (rc == ZC_OK)
        rc = assignee_of(s, in, &f, &who, err);
    if (rc != ZC_OK)
        return rc;
    p = field_policy_map_at(pm, f.village);
    if (days)
        *days = p->assess.ticket_days;
    assess_day_add(f.day, p->assess.ticket_days, deadline);
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_FINDING_ADD, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, in->inspection);
        if (who)
            store_bind_int(q, 2, who);
        else
            store_bind_null(q, 2);
        store_bind_int(q, 3, f.village);
        store_bind_cstr(q, 4, in->rule);
        store_bind_cstr(q, 5, in->text);
        store_bind_cstr(q, 6, in->evidence ? in->evidence : "");
        store_bind_cstr(q, 7, f.day);
        rc = insert_returning(q, finding, err);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_TICKET_ADD, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, *finding);
        if (who)
            store_bind_int(q, 2, who);
        else
            store_bind_null(q, 2);
        store_bind_cstr(q, 3, deadline);
        rc = insert_returning(q, ticket, err);
    }
    store_finalize(q);
    if (rc == ZC_OK) {
        char note[64];
        snprintf(note, sizeof(note), "整改期限 %s", deadline);
        rc = ticket_event(s, *ticket, "assigned", "open", actor, f.day, note, NULL, err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

/* ---- tickets ------------------------------------------------------------------------------ */

struct ticket_facts {
    char status[16];
    int64_t village, assignee;
    char inspectors[256];
};

static int ticket_get(struct store *s, int64_t id, struct ticket_facts *t, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, AQ_TICKET_GET, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no ticket %lld", (long long)id);
    if (rc == ZC_OK) {
        snprintf(t->status, sizeof(t->status), "%s", store_col_text(q, 0));
        t->village = store_col_int(q, 1);
        t->assignee = store_col_int(q, 2);
        snprintf(t->inspectors, sizeof(t->inspectors), "%s", store_col_text(q, 3));
    }
    store_finalize(q);
    return rc;
}

int assess_ticket_fix(struct store *s, const struct zc_scope *scope, int64_t id, const char *text,
                      const char *evidence, const char *day, const char *actor,
                      struct zc_error *err)
{
    struct ticket_facts t;
    struct store_stmt *q = NULL;
    int rc;
    if (!text || !text[0])
        return zc_error_set(err, ZC_EINVAL, "a fix says what was done (--text)");
    if (!assess_day_ok(day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day ? day : "");
    rc = ticket_get(s, id, &t, err);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, t.village, t.assignee, err);
    if (rc == ZC_OK && strcmp(t.status, "open") != 0 && strcmp(t.status, "reopened") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT,
                          "ticket %lld is %s: only an open or reopened ticket "
                          "takes a fix",
                          (long long)id, t.status);
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    else
        return rc;
    rc = assess_prepare(s, AQ_TICKET_FIX, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, text);
        store_bind_cstr(q, 2, evidence ? evidence : "");
        store_bind_cstr(q, 3, day);
        store_bind_int(q, 4, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK)
        rc = ticket_event(s, id, "fixed", "fixed", actor, day, text, evidence, err);
    return finish_tx(s, rc, err);
}

/* True if `name` is one of the comma-separated `names` (spaces trimmed). */
static bool among(const char *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if ((size_t)(t - p) == n && strncmp(p, name, n) == 0)
            return true;
        p = e;
    }
    return false;
}

int assess_ticket_check(struct store *s, const struct zc_scope *scope, int64_t id, bool pass,
                        const char *checker, const char *note, const char *day,
                        struct zc_error *err)
{
    struct ticket_facts t;
    struct store_stmt *q = NULL;
    int rc;
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre cannot re-check their own ticket");
    if (!checker || !checker[0])
        return zc_error_set(err, ZC_EINVAL, "a re-check names its inspector (--by)");
    if (!assess_day_ok(day))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day ? day : "");
    if (!pass && (!note || !note[0]))
        return zc_error_set(err, ZC_EINVAL, "a failed re-check says why (--note)");
    rc = ticket_get(s, id, &t, err);
    if (rc == ZC_OK)
        rc = assess_check_scope(scope, t.village, 0, err);
    if (rc == ZC_OK && strcmp(t.status, "fixed") != 0)
        rc = zc_error_set(err, ZC_ECONFLICT, "ticket %lld is %s: only a reported fix is re-checked",
                          (long long)id, t.status);
    if (rc == ZC_OK && among(t.inspectors, checker))
        rc = zc_error_set(err, ZC_EINVAL,
                          "%s made the finding; the re-check (复核) is done by another inspector",
                          checker);
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    else
        return rc;
    rc = assess_prepare(s, AQ_TICKET_CHECK, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, pass ? "closed" : "reopened");
        store_bind_cstr(q, 2, checker);
        store_bind_cstr(q, 3, day);
        store_bind_cstr(q, 4, note ? note : "");
        if (pass)
            store_bind_cstr(q, 5, day);
        else
            store_bind_null(q, 5);
        store_bind_int(q, 6, id);
        rc = store_run(q, err);
    }
    store_finalize(q);
    if (rc == ZC_OK)
        rc = ticket_event(s, id, pass ? "closed" : "reopened", pass ? "closed" : "reopened",
                          checker, day, note, NULL, err);
    return finish_tx(s, rc, err);
}

static void ticket_row_read(struct store_stmt *q, struct assess_ticket_row *r)
{
    *r = (struct assess_ticket_row){
        .id = store_col_int(q, 0),
        .finding = store_col_int(q, 1),
        .cadre = store_col_int(q, 2),
        .village = store_col_int(q, 3),
        .name = store_col_text(q, 4),
        .village_name = store_col_text(q, 5),
        .rule = store_col_text(q, 6),
        .text = store_col_text(q, 7),
        .deadline = store_col_text(q, 8),
        .status = store_col_text(q, 9),
        .fix_text = store_col_text(q, 10),
        .overdue = store_col_int(q, 11) != 0,
    };
}

int assess_ticket_show(struct store *s, const struct zc_scope *scope, int64_t id,
                       int (*fn)(void *ud, const struct assess_ticket_detail *t),
                       int (*ev)(void *ud, const struct assess_ticket_event *e), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char today[11];
    bool row = false;
    int rc = assess_prepare(s, AQ_TICKET_ONE, &q, err);
    if (rc != ZC_OK)
        return rc;
    assess_today(today);
    assess_bind_scope(q, 1, scope);
    store_bind_cstr(q, 5, today);
    store_bind_int(q, 6, id);
    rc = store_step(q, &row, err);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no ticket %lld in your jurisdiction", (long long)id);
    if (rc == ZC_OK) {
        struct assess_ticket_detail d = {
            .found_on = store_col_text(q, 12),
            .evidence = store_col_text(q, 13),
            .method = store_col_text(q, 14),
            .inspectors = store_col_text(q, 15),
            .fix_evidence = store_col_text(q, 16),
            .checked_by = store_col_text(q, 17),
            .check_note = store_col_text(q, 18),
            .closed_at = store_col_text(q, 19),
        };
        ticket_row_read(q, &d.t);
        rc = fn(ud, &d);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_TICKET_EVENTS, &q, err);
    if (rc == ZC_OK)
        store_bind_int(q, 1, id);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_ticket_event e = {
            .id = store_col_int(q, 0),
            .action = store_col_text(q, 1),
            .status = store_col_text(q, 2),
            .actor = store_col_text(q, 3),
            .day = store_col_text(q, 4),
            .at = store_col_text(q, 5),
            .note = store_col_text(q, 6),
            .evidence = store_col_text(q, 7),
        };
        rc = ev(ud, &e);
    }
    store_finalize(q);
    return rc;
}

const char *assess_ticket_action_name(const char *action)
{
    static const char *const map[][2] = {{"assigned", "交办"},
                                         {"fixed", "整改"},
                                         {"closed", "复核通过·销号"},
                                         {"reopened", "复核未通过·重新整改"}};
    return assess_code_name(map, sizeof(map) / sizeof(map[0]), action);
}

int assess_ticket_list(struct store *s, const struct zc_scope *scope, const char *status,
                       int (*fn)(void *ud, const struct assess_ticket_row *row), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char today[11];
    bool row = false;
    int rc = assess_prepare(s, AQ_TICKET_LIST, &q, err);
    if (rc != ZC_OK)
        return rc;
    assess_today(today);
    assess_bind_scope(q, 1, scope);
    store_bind_cstr(q, 5, today);
    store_bind_cstr(q, 6, status);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_ticket_row r;
        ticket_row_read(q, &r);
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}

const char *assess_rule_name(const char *rule)
{
    static const char *const zh[] = {"驻村在岗", "入户走访", "工作日志", "帮扶计划",
                                     "经费使用", "作风纪律", "其他"};
    for (size_t i = 0; i < 7; i++)
        if (strcmp(rule, finding_rules[i]) == 0)
            return zh[i];
    return rule;
}

const char *assess_method_name(const char *method)
{
    static const char *const map[][2] = {
        {"open", "明察"},          {"unannounced", "暗访"},   {"random_call", "随机电话抽查"},
        {"documents", "查阅资料"}, {"questions", "现场提问"}, {"questionnaire", "群众问卷"},
    };
    return assess_code_name(map, sizeof(map) / sizeof(map[0]), method);
}

const char *assess_ticket_status_name(const char *status, bool overdue)
{
    static const char *const map[][2] = {
        {"open", "待整改"}, {"fixed", "待复核"}, {"closed", "已销号"}, {"reopened", "重新整改"}};
    if (overdue)
        return "逾期";
    return assess_code_name(map, sizeof(map) / sizeof(map[0]), status);
}

int assess_finding_list(struct store *s, const struct zc_scope *scope, const char *ym,
                        int *inspections, int *villages,
                        int (*fn)(void *ud, const struct assess_finding_row *row), void *ud,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char first[11], last[11];
    bool row = false;
    int rc;
    *inspections = *villages = 0;
    if (!assess_month_days(ym, first, last))
        return zc_error_set(err, ZC_EINVAL, "month \"%s\" is not YYYY-MM", ym);
    rc = assess_prepare(s, AQ_INSPECTION_COUNT, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row) {
            *inspections = (int)store_col_int(q, 0);
            *villages = (int)store_col_int(q, 1);
        }
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = assess_prepare(s, AQ_FINDING_LIST, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, first);
        store_bind_cstr(q, 2, last);
        store_bind_int(q, 3, scope->lo);
        store_bind_int(q, 4, scope->hi);
    }
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct assess_finding_row r = {
            .id = store_col_int(q, 0),
            .inspection = store_col_int(q, 1),
            .cadre = store_col_int(q, 2),
            .village = store_col_int(q, 3),
            .name = store_col_text(q, 4),
            .village_name = store_col_text(q, 5),
            .method = store_col_text(q, 6),
            .day = store_col_text(q, 7),
            .rule = store_col_text(q, 8),
            .text = store_col_text(q, 9),
            .ticket_status = store_col_text(q, 10),
            .deadline = store_col_text(q, 11),
        };
        rc = fn(ud, &r);
    }
    store_finalize(q);
    return rc;
}
