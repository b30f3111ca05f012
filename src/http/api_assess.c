/* SPDX-License-Identifier: MIT */
/* api_assess.c - supervision and assessment (考) over HTTP: the inspector's
 * and the county's pages and the cadre's appeal. Thin adapter over
 * src/assess and src/report/bulletin.h:
 *   POST /api/v1/assess/inspect/sample       draw (or show) the month's (or half's) sample
 *   POST /api/v1/assess/inspections          record an inspection
 *   GET  /api/v1/assess/findings?month=      findings of a month
 *   POST /api/v1/assess/findings             a finding, which opens a ticket
 *   GET  /api/v1/assess/tickets?status=      the ticket ledger
 *   POST /api/v1/assess/tickets/:id/fix      整改 (the assignee or staff)
 *   POST /api/v1/assess/tickets/:id/check    复核 (another inspector)
 *   GET  /api/v1/assess/negative?month=[&build=1]  list (build first: county staff)
 *   POST /api/v1/assess/negative             a manual entry
 *   GET  /api/v1/assess/ladder?status=       ladder steps (a cadre: their own)
 *   POST /api/v1/assess/ladder/propose       propose the month's steps
 *   POST /api/v1/assess/ladder/:id/appeal|confirm|withdraw
 *   POST /api/v1/assess/tasks, /tasks/:id/done
 *   POST /api/v1/assess/commendations        表彰 with its reason (the county and above)
 *   GET  /api/v1/assess/commendations?year=Y the year's commendations (staff)
 *   GET  /api/v1/assess/promotions?year=Y[&format=xlsx]   提拔重用 with the evidence per name
 *   GET  /api/v1/assess/tasks?quarter=YYYY-Qn[&generate=1]   the quarter's task lists
 *        (generate=1, the county and above: derived first from needs and plans)
 *   GET  /api/v1/assess/month?month=         monthly scores with their evidence
 *   GET  /api/v1/assess/year?year=           proposed annual grades (a write: proposals)
 *   POST /api/v1/assess/year/grades          calibration with a reason
 *   POST /api/v1/assess/year/confirm         confirm into the cadres' records
 *   GET  /api/v1/assess/funds?year=, POST /api/v1/assess/funds
 *   GET  /api/v1/assess/bulletin?month=&format=html|pdf|xlsx[&scope=]
 * Who may do what is decided here (roles); where is decided by the module
 * from the caller's scope value (a write outside it is ZC_EFORBIDDEN, 403).
 * Every write is a writer job whose audit entry commits with it. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "assess/assess.h"
#include "base/division.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"
#include "report/bulletin.h"
#include "store/store.h"

/* ---- roles -------------------------------------------------------------------------------- */

/* County organisation departments and above (and admins): decide. */
static bool county_up(const struct http_req *r)
{
    enum auth_role role = r->who.acct.role;
    return role == AUTH_PROVINCE || role == AUTH_CITY || role == AUTH_COUNTY || role == AUTH_ADMIN;
}

/* Inspectors and the county and above: inspect and re-check. */
static bool inspects(const struct http_req *r)
{
    return r->who.acct.role == AUTH_INSPECTOR || county_up(r);
}

static bool refuse(struct http_req *r, const char *what)
{
    http_error(r, 403, "forbidden", "your role (%s) cannot %s", auth_role_name(r->who.acct.role),
               what);
    return false;
}

/* The JSON body of a write, once the role may make it (`allowed`); NULL
 * when it may not or the body is not JSON (the answer has been set). */
static json_t *write_body(struct http_req *r, bool allowed, const char *what)
{
    if (!allowed) {
        refuse(r, what);
        return NULL;
    }
    return http_json_body(r);
}

/* ---- arguments ------------------------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* An integer given as a JSON number or a string of digits. */
static bool jint(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    const char *s;
    char *end;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    s = json_string_value(v);
    if (!s || !*s)
        return false;
    *out = strtoll(s, &end, 10);
    return *end == '\0';
}

static bool month_ok(const char *m)
{
    return m && strlen(m) == 7 && m[4] == '-';
}

/* ?scope=CODE narrows the caller's scope; false (response sent) if bad. */
/* body.cadre: a cadre ID or 身份证号. */
static bool body_cadre(struct http_req *r, json_t *body, int64_t *out)
{
    json_t *v = json_object_get(body, "cadre");
    struct zc_error err = {0};
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_string(v) && field_cadre_lookup(r->store, json_string_value(v), out, &err) == ZC_OK)
        return true;
    http_error(r, 400, "invalid_input", "expected \"cadre\": a cadre ID or 身份证号");
    return false;
}

/* A path id (:id) or 404. */
static bool path_id(struct http_req *r, const char *what, int64_t *id)
{
    char *end;
    *id = strtoll(r->params[0], &end, 10);
    if (*end || *id <= 0) {
        http_error(r, 404, "not_found", "no %s %s", what, r->params[0]);
        return false;
    }
    return true;
}

static void today_text(char out[11])
{
    char now[20];
    field_now(now);
    memcpy(out, now, 10);
    out[10] = '\0';
}

static const char *code_text(int64_t code, char out[16])
{
    snprintf(out, 16, "%lld", (long long)code);
    return out;
}

/* ---- the write job -------------------------------------------------------------------------
 * One context for every write here: what to do, its inputs, and the
 * response the job builds after the module call succeeds. */

enum act {
    A_SAMPLE,
    A_INSPECTION,
    A_FINDING,
    A_FIX,
    A_CHECK,
    A_NEG_BUILD,
    A_NEG_ADD,
    A_PROPOSE,
    A_APPEAL,
    A_CONFIRM,
    A_WITHDRAW,
    A_TASK_ADD,
    A_TASK_DONE,
    A_YEAR,
    A_GRADE_SET,
    A_YEAR_CONFIRM,
    A_FUND_ADD,
    A_TASK_GENERATE,
    A_COMMEND,
    A_PROMOTIONS,
};

enum { S_TEXT, S_EVIDENCE, S_NOTE, S_INSPECTORS, S_METHOD, S_RULE, S_NSTR };

struct actx {
    enum act act;
    struct zc_scope scope;
    int64_t id, cadre, village, sample, scope_code, amount_fen;
    int year, count, half; /* half: -1 the policy's default */
    bool pass, has_seed;
    uint64_t seed;
    char actor[96], month[8], day[11], kind[16], grade[32], sanction[64], quarter[16];
    char *str[S_NSTR]; /* owned copies of body strings */
    json_t *out;       /* the response body, built by the job on success */
    int status;        /* its status */
    bool unmask;       /* ID numbers in full (staff) */
};

static void actx_free(void *p)
{
    struct actx *c = p;
    if (!c)
        return;
    for (int i = 0; i < S_NSTR; i++)
        free(c->str[i]);
    json_decref(c->out);
    free(c);
}

static struct actx *actx_new(struct http_req *r, enum act act)
{
    struct actx *c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = actx_free;
    c->act = act;
    c->scope = http_scope_value(r);
    c->unmask = http_sees_id_numbers(r);
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    return c;
}

/* Keep body[key] (a string, up to `max` bytes) as c->str[slot]; false
 * (response sent) when it is too long. */
static bool keep(struct http_req *r, struct actx *c, int slot, json_t *body, const char *key,
                 size_t max)
{
    const char *s = jstr(body, key);
    if (!s)
        return true;
    if (strlen(s) > max) {
        http_error(r, 400, "invalid_input", "%s: at most %zu bytes", key, max);
        return false;
    }
    c->str[slot] = zc_strdup(s);
    return true;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int audit(struct store *s, struct http_job *j, const char *action, const char *target,
                 int64_t division, json_t *what, struct zc_error *err)
{
    return api_audit_write(s, &j->req->who, j->req->addr, action, target, division, NULL, what,
                           err);
}

static void masked(const char *id, bool unmask, char out[32])
{
    if (unmask)
        snprintf(out, 32, "%s", id ? id : "");
    else
        idcard_mask(id ? id : "", out, 32);
}

static int step_json(void *ud, const struct assess_step_row *row);
static int negative_json(void *ud, const struct assess_negative_row *row);
static int grade_json(void *ud, const struct assess_grade_row *row);
static bool year_arg(struct http_req *r, json_t *body, int *year);

struct list_out {
    json_t *rows;
    bool unmask;
    struct assess_townships *towns; /* the year's grades also counted per township */
};

/* The townships' grades side by side (横向校准), each change with its reason. */
static json_t *townships_json(const struct assess_townships *t)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->n; i++) {
        const struct assess_township_row *r = &t->a[i];
        char code[24], county[24];
        json_t *ch = json_array();
        snprintf(code, sizeof(code), "%lld", (long long)(r->township / 1000));
        snprintf(county, sizeof(county), "%lld", (long long)(r->county / 1000000));
        for (size_t j = 0; j < r->nchanges; j++)
            json_array_append_new(
                ch, json_pack("{s:I, s:s, s:s, s:s, s:s}", "cadre", (json_int_t)r->changes[j].cadre,
                              "name", r->changes[j].name, "proposed", r->changes[j].proposed,
                              "grade", r->changes[j].grade, "reason", r->changes[j].reason));
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:i, s:[i,i,i,i], s:[i,i,i,i], s:i, s:f, s:o}",
                         "township", code, "county", county, "name", r->name, "cadres", r->cadres,
                         "grades", r->grade[0], r->grade[1], r->grade[2], r->grade[3], "proposed",
                         r->proposed[0], r->proposed[1], r->proposed[2], r->proposed[3], "promote",
                         r->promote, "mean", r->mean, "changes", ch));
    }
    return a;
}

static json_t *sample_json(const struct assess_sample *smp, const char *month, bool unmask)
{
    json_t *picks = json_array();
    char code[16];
    for (int i = 0; i < smp->count; i++) {
        const struct assess_pick *k = &smp->picks[i];
        char idm[32];
        masked(k->id_number, unmask, idm);
        json_array_append_new(
            picks, json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:i, s:s}", "rank", k->rank, "cadre",
                             (json_int_t)k->cadre, "id_number", idm, "name", k->name, "village",
                             code_text(k->village, code), "village_name", k->village_name, "weight",
                             k->weight, "why", k->why));
    }
    json_t *o = json_pack("{s:I, s:s, s:i, s:i, s:b, s:s, s:s, s:o}", "sample", (json_int_t)smp->id,
                          "month", month, "count", smp->count, "population", smp->population,
                          "existing", smp->existing, "drawn_by", smp->drawn_by, "drawn_at",
                          smp->drawn_at, "picks", picks);
    if (smp->half)
        json_object_set_new(o, "half", json_integer(smp->half));
    /* The seed is a 64-bit unsigned number: as a JSON integer while it fits. */
    if (smp->seed <= (uint64_t)INT64_MAX)
        json_object_set_new(o, "seed", json_integer((json_int_t)smp->seed));
    else {
        char s[24];
        snprintf(s, sizeof(s), "%llu", (unsigned long long)smp->seed);
        json_object_set_new(o, "seed", json_string(s));
    }
    return o;
}

static int run_sample(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    struct assess_sample smp;
    char target[48];
    int half = c->half >= 0 ? c->half : assess_sample_default_half(api_policy(), c->month);
    int rc = assess_sample_draw(s, api_policy(), &c->scope, c->scope_code, c->month, half, c->count,
                                c->has_seed, c->seed, c->actor, &smp, err);
    if (rc != ZC_OK)
        return rc;
    if (half)
        snprintf(target, sizeof(target), "%lld:%s/%d", (long long)c->scope_code, c->month, half);
    else
        snprintf(target, sizeof(target), "%lld:%s", (long long)c->scope_code, c->month);
    if (!smp.existing)
        rc =
            audit(s, j, "inspect.sample", target, c->scope_code,
                  json_pack("{s:I, s:I, s:i, s:i}", "sample", (json_int_t)smp.id, "seed",
                            (json_int_t)smp.seed, "count", smp.count, "population", smp.population),
                  err);
    if (rc == ZC_OK) {
        c->out = sample_json(&smp, c->month, c->unmask);
        c->status = smp.existing ? 200 : 201;
    }
    assess_sample_fini(&smp);
    return rc;
}

static int run_inspection(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    struct assess_inspection in = {.village = c->village,
                                   .cadre = c->cadre,
                                   .sample = c->sample,
                                   .method = c->str[S_METHOD],
                                   .day = c->day,
                                   .inspectors = c->str[S_INSPECTORS],
                                   .note = c->str[S_NOTE]};
    char code[16];
    int rc = assess_inspection_add(s, &c->scope, &in, c->actor, &c->id, err);
    if (rc == ZC_OK)
        rc =
            audit(s, j, "inspect.record", code_text(c->village, code), c->village,
                  json_pack("{s:I, s:s, s:s, s:s}", "inspection", (json_int_t)c->id, "method",
                            in.method ? in.method : "", "day", c->day, "inspectors", in.inspectors),
                  err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->id, "day", c->day, "inspectors",
                           in.inspectors);
    return rc;
}

static int run_finding(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    struct assess_finding in = {.inspection = c->id,
                                .cadre = c->cadre,
                                .rule = c->str[S_RULE],
                                .text = c->str[S_TEXT],
                                .evidence = c->str[S_EVIDENCE]};
    struct field_policy_map pm;
    int64_t finding = 0, ticket = 0;
    char target[24];
    int days = 0, rc = field_policy_map_open(s, &c->scope, api_policy(), true, &pm, err);
    if (rc == ZC_OK)
        rc = assess_finding_add(s, &pm, &c->scope, &in, j->req->who.acct.name, &finding, &ticket,
                                &days, err);
    field_policy_map_fini(&pm);
    snprintf(target, sizeof(target), "%lld", (long long)c->id);
    if (rc == ZC_OK)
        rc = audit(s, j, "inspect.finding", target, j->req->who.acct.scope,
                   json_pack("{s:I, s:I, s:s, s:s}", "finding", (json_int_t)finding, "ticket",
                             (json_int_t)ticket, "rule", in.rule ? in.rule : "", "text",
                             in.text ? in.text : ""),
                   err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I, s:I, s:i}", "finding", (json_int_t)finding, "ticket",
                           (json_int_t)ticket, "ticket_days", days);
    return rc;
}

static int run_ticket(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    char target[24];
    bool check = c->act == A_CHECK;
    int rc;
    snprintf(target, sizeof(target), "%lld", (long long)c->id);
    if (check)
        rc = assess_ticket_check(s, &c->scope, c->id, c->pass, j->req->who.acct.name,
                                 c->str[S_NOTE], c->day, err);
    else
        rc = assess_ticket_fix(s, &c->scope, c->id, c->str[S_TEXT], c->str[S_EVIDENCE], c->day,
                               j->req->who.acct.name, err);
    if (rc == ZC_OK)
        rc =
            audit(s, j, check ? "inspect.check" : "inspect.fix", target, j->req->who.acct.scope,
                  check ? json_pack("{s:b, s:s, s:s}", "pass", c->pass, "by", j->req->who.acct.name,
                                    "note", c->str[S_NOTE] ? c->str[S_NOTE] : "")
                        : json_pack("{s:s, s:s}", "text", c->str[S_TEXT] ? c->str[S_TEXT] : "",
                                    "evidence", c->str[S_EVIDENCE] ? c->str[S_EVIDENCE] : ""),
                  err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I, s:s}", "id", (json_int_t)c->id, "status",
                           check ? (c->pass ? "closed" : "reopened") : "fixed");
    return rc;
}

static int run_negative(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    struct list_out o = {json_array(), c->unmask, NULL};
    size_t n = 0;
    int rc;
    if (c->act == A_NEG_ADD) {
        rc = assess_negative_add(s, &c->scope, c->cadre, c->month, c->str[S_TEXT], c->actor, &c->id,
                                 err);
        if (rc == ZC_OK)
            rc = audit(s, j, "negative.add", c->month, j->req->who.acct.scope,
                       json_pack("{s:I, s:I, s:s}", "entry", (json_int_t)c->id, "cadre",
                                 (json_int_t)c->cadre, "reason", or_empty(c->str[S_TEXT])),
                       err);
        json_decref(o.rows);
        if (rc == ZC_OK)
            c->out = json_pack("{s:I, s:s}", "id", (json_int_t)c->id, "month", c->month);
        return rc;
    }
    rc = assess_negative_build(s, api_policy(), &c->scope, c->month, c->actor, &n, err);
    if (rc == ZC_OK)
        rc = audit(s, j, "negative.build", c->month, j->req->who.acct.scope,
                   json_pack("{s:I}", "entries", (json_int_t)n), err);
    if (rc == ZC_OK)
        rc = assess_negative_list(s, &c->scope, c->month, negative_json, &o, err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:s, s:b, s:O}", "month", c->month, "built", 1, "rows", o.rows);
    json_decref(o.rows);
    return rc;
}

static int run_ladder(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    static const char *const action[] = {[A_PROPOSE] = "ladder.propose",
                                         [A_APPEAL] = "ladder.appeal",
                                         [A_CONFIRM] = "ladder.confirm",
                                         [A_WITHDRAW] = "ladder.withdraw"};
    bool recalled = false, vacancy = false;
    size_t n = 0;
    char target[24];
    int rc;
    if (c->act == A_PROPOSE) {
        rc = assess_ladder_propose(s, api_policy(), &c->scope, c->month, &n, err);
        if (rc == ZC_OK)
            rc = audit(s, j, action[c->act], c->month, j->req->who.acct.scope,
                       json_pack("{s:I}", "proposed", (json_int_t)n), err);
        if (rc == ZC_OK)
            c->out = json_pack("{s:s, s:I}", "month", c->month, "proposed", (json_int_t)n);
        return rc;
    }
    snprintf(target, sizeof(target), "%lld", (long long)c->id);
    if (c->act == A_APPEAL)
        rc = assess_ladder_appeal(s, &c->scope, c->id, c->str[S_TEXT], err);
    else
        rc = assess_ladder_decide(s, api_policy(), &c->scope, c->id, c->act == A_CONFIRM,
                                  c->sanction[0] ? c->sanction : NULL, c->str[S_NOTE], c->actor,
                                  c->day, &recalled, &vacancy, err);
    if (rc == ZC_OK)
        rc = audit(s, j, action[c->act], target, j->req->who.acct.scope,
                   json_pack("{s:s, s:s, s:b}", "sanction", c->sanction, "text",
                             c->act == A_APPEAL ? or_empty(c->str[S_TEXT])
                             : c->str[S_NOTE]   ? c->str[S_NOTE]
                                                : "",
                             "recalled", recalled),
                   err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)c->id, "status",
                           c->act == A_APPEAL    ? "appealed"
                           : c->act == A_CONFIRM ? "confirmed"
                                                 : "withdrawn",
                           "recalled", recalled, "vacancy", vacancy);
    return rc;
}

static int task_json(void *ud, const struct assess_task_row *t)
{
    char v[16];
    json_array_append_new(
        ud, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)t->id,
                      "village", code_text(t->village, v), "village_name", t->village_name,
                      "quarter", t->quarter, "text", t->text, "due", t->due, "status", t->status,
                      "done_at", t->done_at, "evidence", t->evidence, "source", t->source));
    return ZC_OK;
}

static int run_task_generate(struct store *s, struct http_job *j, struct actx *c,
                             struct zc_error *err)
{
    size_t added = 0, teams = 0;
    json_t *rows = json_array();
    int rc = assess_task_derive(s, &c->scope, c->quarter, c->actor, &added, &teams, err);
    if (rc == ZC_OK)
        rc = audit(s, j, "task.generate", c->quarter, j->req->who.acct.scope,
                   json_pack("{s:I, s:I}", "added", (json_int_t)added, "teams", (json_int_t)teams),
                   err);
    if (rc == ZC_OK)
        rc = assess_task_list(s, &c->scope, c->quarter, task_json, rows, err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:s, s:b, s:I, s:I, s:O}", "quarter", c->quarter, "generated", 1,
                           "added", (json_int_t)added, "teams", (json_int_t)teams, "rows", rows);
    json_decref(rows);
    return rc;
}

static int promotion_json(void *ud, const struct assess_promotion_row *p)
{
    struct list_out *o = ud;
    char idm[32], v[16];
    json_t *months = json_object();
    masked(p->g->id_number, o->unmask, idm);
    for (int m = 0; m < 12; m++)
        if (p->has_month[m]) {
            char k[4];
            snprintf(k, sizeof(k), "%d", (m + 1) % 100);
            json_object_set_new(months, k, json_real(p->month_score[m]));
        }
    json_array_append_new(
        o->rows,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:f, s:o, s:i, s:s, s:i}", "cadre",
                  (json_int_t)p->g->cadre, "id_number", idm, "name", p->g->name, "village",
                  code_text(p->g->village, v), "village_name", p->g->village_name, "unit",
                  p->g->unit_name, "grade", p->g->grade, "confirmed", p->g->confirmed, "score",
                  p->g->score, "months", months, "commendations", p->commendations, "commended",
                  p->commended, "negative", p->negative));
    return ZC_OK;
}

static int run_commend(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    if (c->act == A_PROMOTIONS) {
        struct list_out o = {json_array(), c->unmask, NULL};
        struct field_policy_map pm = {0};
        int rc = field_policy_map_open(s, &c->scope, api_policy(), true, &pm, err);
        if (rc == ZC_OK)
            rc = assess_promotions(s, &pm, &c->scope, c->year, promotion_json, &o, err);
        if (rc == ZC_OK)
            c->out = json_pack("{s:i, s:O}", "year", c->year, "rows", o.rows);
        field_policy_map_fini(&pm);
        json_decref(o.rows);
        return rc;
    }
    int rc = assess_commend_add(s, &c->scope, c->cadre, c->year, c->day, c->str[S_TEXT],
                                c->str[S_NOTE], c->actor, &c->id, err);
    if (rc == ZC_OK)
        rc = audit(s, j, "commend.add", "commendation", j->req->who.acct.scope,
                   json_pack("{s:I, s:I, s:i, s:s, s:s}", "commendation", (json_int_t)c->id,
                             "cadre", (json_int_t)c->cadre, "year", c->year, "title",
                             or_empty(c->str[S_TEXT]), "reason", or_empty(c->str[S_NOTE])),
                   err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I}", "id", (json_int_t)c->id);
    return rc;
}

static int run_task(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    char target[24];
    bool add = c->act == A_TASK_ADD;
    int rc;
    if (add)
        rc = assess_task_add(s, &c->scope, c->village, c->quarter, c->str[S_TEXT], c->day, c->actor,
                             &c->id, err);
    else
        rc = assess_task_done(s, &c->scope, c->id, c->day, c->str[S_EVIDENCE], err);
    if (add)
        code_text(c->village, target);
    else
        snprintf(target, sizeof(target), "%lld", (long long)c->id);
    if (rc == ZC_OK)
        rc = audit(s, j, add ? "task.add" : "task.done", target,
                   add ? c->village : j->req->who.acct.scope,
                   json_pack("{s:I, s:s}", "task", (json_int_t)c->id, "text",
                             or_empty(add ? c->str[S_TEXT] : c->str[S_EVIDENCE])),
                   err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I, s:s}", "id", (json_int_t)c->id, "status", add ? "open" : "done");
    return rc;
}

static json_t *quota_json(json_t *rows, const struct field_policy_map *pm)
{
    /* Per county: cadres assessed, 优秀 given, the quota (excellent_percent
     * of the assessed, rounded down, as the module counts it). */
    json_t *by = json_object(), *out = json_array(), *row;
    const char *key;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        const char *county = jstr(row, "county");
        json_t *o = json_object_get(by, county);
        if (!o) {
            o = json_pack("{s:s, s:i, s:i}", "county", county, "cadres", 0, "excellent", 0);
            json_object_set_new(by, county, o);
        }
        json_object_set_new(o, "cadres",
                            json_integer(json_integer_value(json_object_get(o, "cadres")) + 1));
        if (strcmp(jstr(row, "grade"), "优秀") == 0)
            json_object_set_new(
                o, "excellent",
                json_integer(json_integer_value(json_object_get(o, "excellent")) + 1));
    }
    json_object_foreach(by, key, row)
    {
        json_int_t n = json_integer_value(json_object_get(row, "cadres"));
        const struct policy *p = field_policy_map_at(pm, strtoll(key, NULL, 10) * 1000000);
        json_object_set_new(row, "quota", json_integer(n * p->assess.excellent_percent / 100));
        json_array_append(out, row);
    }
    json_decref(by);
    return out;
}

static int run_year(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    struct assess_townships towns = {0};
    struct list_out o = {json_array(), c->unmask, &towns};
    size_t n = 0;
    char target[8];
    int rc = ZC_OK;
    snprintf(target, sizeof(target), "%d", c->year % 10000);
    struct field_policy_map pm = {0};
    if (c->act != A_GRADE_SET)
        rc = field_policy_map_open(s, &c->scope, api_policy(), true, &pm, err);
    if (rc == ZC_OK && c->act == A_YEAR) {
        rc = assess_year(s, &pm, &c->scope, c->year, grade_json, &o, err);
        if (rc == ZC_OK)
            rc = assess_townships_finish(s, &towns, err);
        if (rc == ZC_OK)
            c->out =
                json_pack("{s:i, s:i, s:o, s:o, s:O}", "year", c->year, "excellent_percent",
                          pm.base->assess.excellent_percent, "counties", quota_json(o.rows, &pm),
                          "townships", townships_json(&towns), "rows", o.rows);
    } else if (rc == ZC_OK && c->act == A_GRADE_SET) {
        rc = assess_grade_set(s, &c->scope, c->cadre, c->year, c->grade, c->str[S_TEXT], c->actor,
                              err);
        if (rc == ZC_OK)
            rc = audit(s, j, "assess.calibrate", target, j->req->who.acct.scope,
                       json_pack("{s:I, s:s, s:s}", "cadre", (json_int_t)c->cadre, "grade",
                                 c->grade, "reason", c->str[S_TEXT] ? c->str[S_TEXT] : ""),
                       err);
        if (rc == ZC_OK)
            c->out = json_pack("{s:I, s:i, s:s}", "cadre", (json_int_t)c->cadre, "year", c->year,
                               "grade", c->grade);
    } else if (rc == ZC_OK) {
        rc = assess_year_confirm(s, &pm, &c->scope, c->year, c->actor, &n, err);
        if (rc == ZC_OK)
            rc = audit(s, j, "assess.confirm", target, j->req->who.acct.scope,
                       json_pack("{s:i, s:I}", "year", c->year, "grades", (json_int_t)n), err);
        if (rc == ZC_OK)
            c->out = json_pack("{s:i, s:I}", "year", c->year, "confirmed", (json_int_t)n);
    }
    field_policy_map_fini(&pm);
    assess_townships_fini(&towns);
    json_decref(o.rows);
    return rc;
}

static int run_fund(struct store *s, struct http_job *j, struct actx *c, struct zc_error *err)
{
    char code[16];
    int rc = assess_fund_add(s, &c->scope, c->village, c->kind, c->day, c->amount_fen,
                             c->str[S_NOTE], c->actor, &c->id, err);
    if (rc == ZC_OK)
        rc = audit(s, j, "funds.add", code_text(c->village, code), c->village,
                   json_pack("{s:I, s:s, s:I, s:s}", "entry", (json_int_t)c->id, "kind", c->kind,
                             "fen", (json_int_t)c->amount_fen, "note",
                             c->str[S_NOTE] ? c->str[S_NOTE] : ""),
                   err);
    if (rc == ZC_OK)
        c->out = json_pack("{s:I}", "id", (json_int_t)c->id);
    return rc;
}

static int act_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct actx *c = j->req->ctx;
    c->status = 200;
    switch (c->act) {
    case A_SAMPLE:
        return run_sample(s, j, c, err);
    case A_INSPECTION:
        c->status = 201;
        return run_inspection(s, j, c, err);
    case A_FINDING:
        c->status = 201;
        return run_finding(s, j, c, err);
    case A_FIX:
    case A_CHECK:
        return run_ticket(s, j, c, err);
    case A_NEG_ADD:
        c->status = 201;
        return run_negative(s, j, c, err);
    case A_NEG_BUILD:
        return run_negative(s, j, c, err);
    case A_PROPOSE:
    case A_APPEAL:
    case A_CONFIRM:
    case A_WITHDRAW:
        return run_ladder(s, j, c, err);
    case A_TASK_ADD:
        c->status = 201;
        return run_task(s, j, c, err);
    case A_TASK_DONE:
        return run_task(s, j, c, err);
    case A_TASK_GENERATE:
        return run_task_generate(s, j, c, err);
    case A_COMMEND:
        c->status = 201;
        return run_commend(s, j, c, err);
    case A_PROMOTIONS:
        return run_commend(s, j, c, err);
    case A_YEAR:
    case A_GRADE_SET:
    case A_YEAR_CONFIRM:
        return run_year(s, j, c, err);
    case A_FUND_ADD:
        c->status = 201;
        return run_fund(s, j, c, err);
    }
    return zc_error_set(err, ZC_EINVAL, "unknown action");
}

/* The promotion list as a workbook: each month's score as "7月 85.0; ...". */
static void promotions_xlsx(struct http_req *r, int year, json_t *rows)
{
    static const struct api_xcol cols[] = {
        {"id_number", "身份证号", 0, 0}, {"name", "姓名", 0, 0},
        {"village_name", "村", 0, 0},    {"unit", "派出单位", 0, 0},
        {"grade", "年度等次", 0, 0},     {"confirmed", "已确认", 0, 0},
        {"score", "年度平均分", 1, 1},   {"months_text", "月度得分", 0, 0},
        {"commended", "表彰", 0, 0},     {"negative", "负面清单条数", 1, 0},
    };
    char title[48], file[32];
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        char text[160], idm[32];
        size_t used = 0;
        text[0] = '\0';
        /* Masked as every download is (the CLI's exports too). */
        masked(json_string_value(json_object_get(row, "id_number")), false, idm);
        json_object_set_new(row, "id_number", json_string(idm));
        for (int m = 1; m <= 12 && used < sizeof(text); m++) {
            char k[12];
            snprintf(k, sizeof(k), "%d", m);
            json_t *v = json_object_get(json_object_get(row, "months"), k);
            if (v)
                used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%d月 %.1f",
                                         used ? "; " : "", m, json_real_value(v));
        }
        json_object_set_new(row, "months_text", json_string(text));
    }
    snprintf(title, sizeof(title), "提拔重用推荐名单 %d", year);
    snprintf(file, sizeof(file), "promotions-%d", year);
    api_send_rows_xlsx(r, "promotions", file, title, cols, sizeof(cols) / sizeof(cols[0]), rows);
}

static void act_done(struct http_req *r)
{
    struct actx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    if (c->act == A_PROMOTIONS && api_wants_xlsx(r)) {
        promotions_xlsx(r, c->year, json_object_get(c->out, "rows"));
        return;
    }
    http_json(r, c->status, c->out);
    c->out = NULL;
}

static void submit(struct http_req *r)
{
    http_defer(r, act_run, false, act_done);
}

/* ---- inspections ---------------------------------------------------------------------------- */

/* Free the request's body and hand the write to the writer thread when
 * `ok` (the body's fields are kept), else leave the answer already set. */
static void submit_body(struct http_req *r, json_t *body, bool ok)
{
    json_decref(body);
    if (ok)
        submit(r);
}

void api_assess_sample(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *month, *scope;
    int64_t v;
    if (!(body = write_body(r, inspects(r), "draw inspection samples")))
        return;
    c = actx_new(r, A_SAMPLE);
    month = jstr(body, "month");
    scope = jstr(body, "scope");
    if (!month_ok(month)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"month\": \"YYYY-MM\", \"half\": 1|2, \"count\": N, \"seed\": S, "
                   "\"scope\": CODE}");
        return;
    }
    copy(c->month, sizeof(c->month), month);
    c->half = -1;
    if (jint(body, "half", &v)) {
        if (v != 1 && v != 2) {
            json_decref(body);
            http_error(r, 400, "invalid_input", "half: 1 (days 1-15) or 2 (the 16th to the end)");
            return;
        }
        c->half = (int)v;
    }
    if (jint(body, "count", &v)) {
        if (v < 1 || v > 100000) {
            json_decref(body);
            http_error(r, 400, "invalid_input", "count: a number from 1 to 100000");
            return;
        }
        c->count = (int)v;
    }
    if (jint(body, "seed", &v)) {
        if (v < 0) {
            json_decref(body);
            http_error(r, 400, "invalid_input", "seed: a non-negative integer");
            return;
        }
        c->has_seed = true;
        c->seed = (uint64_t)v;
    }
    if (scope && *scope) {
        struct zc_error err = {0};
        if (zc_scope_narrow(&c->scope, scope, &err) != ZC_OK) {
            if (err.code == ZC_EFORBIDDEN)
                http_error(r, 403, "forbidden", "division %s is outside your jurisdiction", scope);
            else
                http_zc_error(r, &err);
            json_decref(body); /* after the message: `scope` points into it */
            return;
        }
    }
    json_decref(body);
    if (c->scope.level == 0) {
        http_error(r, 400, "invalid_input",
                   "an account without a jurisdiction names the division: \"scope\": CODE");
        return;
    }
    c->scope_code = c->scope.lo;
    submit(r);
}

void api_assess_inspection(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *day, *names;
    struct buf who = {0};
    if (!(body = write_body(r, inspects(r), "record inspections")))
        return;
    c = actx_new(r, A_INSPECTION);
    day = jstr(body, "day");
    if (!jint(body, "village", &c->village) || c->village < 100000000000 || !day ||
        strlen(day) != 10) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"village\": CODE (12 digits), \"method\": M, \"day\": "
                   "\"YYYY-MM-DD\", \"inspectors\": \"A,B\", \"cadre\": ID, \"sample\": N, "
                   "\"note\": T}");
        return;
    }
    copy(c->day, sizeof(c->day), day);
    if (json_object_get(body, "cadre") && !body_cadre(r, body, &c->cadre)) {
        json_decref(body);
        return;
    }
    jint(body, "sample", &c->sample);
    if (!keep(r, c, S_METHOD, body, "method", 40) || !keep(r, c, S_NOTE, body, "note", 4000)) {
        json_decref(body);
        return;
    }
    /* The account that records the inspection is one of its inspectors, so
     * that it cannot re-check the tickets of its own findings. */
    names = jstr(body, "inspectors");
    if (names && strlen(names) > 200) {
        json_decref(body);
        http_error(r, 400, "invalid_input", "inspectors: at most 200 bytes");
        return;
    }
    buf_puts(&who, r->who.acct.name);
    if (names && *names) {
        buf_puts(&who, ", ");
        buf_puts(&who, names);
    }
    c->str[S_INSPECTORS] = zc_strdup(buf_cstr(&who));
    buf_fini(&who);
    json_decref(body);
    submit(r);
}

void api_assess_finding(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    if (!(body = write_body(r, inspects(r), "record findings")))
        return;
    c = actx_new(r, A_FINDING);
    if (!jint(body, "inspection", &c->id)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"inspection\": N, \"rule\": R, \"text\": T, \"evidence\": E, "
                   "\"cadre\": ID}");
        return;
    }
    if ((json_object_get(body, "cadre") && !body_cadre(r, body, &c->cadre)) ||
        !keep(r, c, S_RULE, body, "rule", 40) || !keep(r, c, S_TEXT, body, "text", 4000) ||
        !keep(r, c, S_EVIDENCE, body, "evidence", 4000)) {
        json_decref(body);
        return;
    }
    json_decref(body);
    submit(r);
}

static int finding_json(void *ud, const struct assess_finding_row *f)
{
    char v[16];
    json_array_append_new(
        ud, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                      (json_int_t)f->id, "inspection", (json_int_t)f->inspection, "cadre",
                      (json_int_t)f->cadre, "name", f->name, "village", code_text(f->village, v),
                      "village_name", f->village_name, "method", f->method, "day", f->day, "rule",
                      f->rule, "rule_name", assess_rule_name(f->rule), "text", f->text,
                      "ticket_status", f->ticket_status, "deadline", f->deadline));
    return ZC_OK;
}

void api_assess_findings(struct http_req *r)
{
    const char *month = http_arg(r, "month");
    struct zc_error err = {0};
    struct zc_scope sc;
    int inspections = 0, villages = 0;
    json_t *a;
    if (!month_ok(month)) {
        http_error(r, 400, "invalid_input", "expected ?month=YYYY-MM");
        return;
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    a = json_array();
    if (assess_finding_list(r->store, &sc, month, &inspections, &villages, finding_json, a, &err) !=
        ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:s, s:i, s:i, s:o}", "month", month, "inspections", inspections,
                        "villages", villages, "rows", a));
}

/* ---- tickets --------------------------------------------------------------------------------- */

static int ticket_json(void *ud, const struct assess_ticket_row *t)
{
    char v[16];
    json_array_append_new(
        ud, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id",
                      (json_int_t)t->id, "finding", (json_int_t)t->finding, "cadre",
                      (json_int_t)t->cadre, "name", t->name, "village", code_text(t->village, v),
                      "village_name", t->village_name, "rule", t->rule, "rule_name",
                      assess_rule_name(t->rule), "text", t->text, "deadline", t->deadline, "status",
                      t->status, "overdue", t->overdue, "fix_text", t->fix_text));
    return ZC_OK;
}

void api_assess_tickets(struct http_req *r)
{
    const char *status = http_arg(r, "status");
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *a;
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    a = json_array();
    if (assess_ticket_list(r->store, &sc, status && *status ? status : NULL, ticket_json, a,
                           &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) {
        static const struct api_xcol cols[] = {
            {"id", "编号", 1, 0},         {"name", "干部", 0, 0},
            {"village_name", "村", 0, 0}, {"rule_name", "问题类别", 0, 0},
            {"text", "问题", 0, 0},       {"deadline", "整改期限", 0, 0},
            {"status_zh", "状态", 0, 0},  {"fix_text", "整改情况", 0, 0},
        };
        size_t i;
        json_t *row;
        char day[11], file[32];
        json_array_foreach(a, i, row)
        {
            json_object_set_new(row, "status_zh",
                                json_string(assess_ticket_status_name(
                                    json_string_value(json_object_get(row, "status")),
                                    json_is_true(json_object_get(row, "overdue")))));
        }
        today_text(day);
        snprintf(file, sizeof(file), "tickets-%s", day);
        api_send_rows_xlsx(r, "tickets", file, "督查问题整改台账", cols,
                           sizeof(cols) / sizeof(cols[0]), a);
        json_decref(a);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "rows", a));
}

static int ticket_detail_json(void *ud, const struct assess_ticket_detail *d)
{
    json_t **o = ud;
    char v[16];
    const struct assess_ticket_row *t = &d->t;
    *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, "
                   "s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
                   "id", (json_int_t)t->id, "finding", (json_int_t)t->finding, "cadre",
                   (json_int_t)t->cadre, "name", t->name, "village", code_text(t->village, v),
                   "village_name", t->village_name, "rule", t->rule, "rule_name",
                   assess_rule_name(t->rule), "text", t->text, "deadline", t->deadline, "status",
                   t->status, "status_name", assess_ticket_status_name(t->status, t->overdue),
                   "overdue", t->overdue, "fix_text", t->fix_text, "fix_evidence", d->fix_evidence,
                   "found_on", d->found_on, "evidence", d->evidence, "method", d->method,
                   "method_name", assess_method_name(d->method), "inspectors", d->inspectors,
                   "closed_at", d->closed_at, "history", json_array());
    return *o ? ZC_OK : ZC_ENOMEM;
}

static int ticket_event_json(void *ud, const struct assess_ticket_event *e)
{
    json_t **o = ud;
    json_array_append_new(json_object_get(*o, "history"),
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                    (json_int_t)e->id, "action", e->action, "action_name",
                                    assess_ticket_action_name(e->action), "status", e->status,
                                    "actor", e->actor, "day", e->day, "at", e->at, "note", e->note,
                                    "evidence", e->evidence));
    return ZC_OK;
}

/* GET /api/v1/assess/tickets/:id: the ticket, its finding and its history. */
void api_assess_ticket(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    json_t *o = NULL;
    int64_t id;
    if (!path_id(r, "ticket", &id))
        return;
    if (assess_ticket_show(r->store, &sc, id, ticket_detail_json, ticket_event_json, &o, &err) !=
        ZC_OK) {
        json_decref(o);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, o);
}

static void ticket_act(struct http_req *r, bool check)
{
    json_t *body;
    struct actx *c;
    const char *day;
    int64_t id;
    if (check && !inspects(r) && !refuse(r, "re-check tickets (复核)"))
        return;
    if (!check && r->who.acct.role != AUTH_CADRE && !county_up(r) &&
        !refuse(r, "report a ticket's fix"))
        return;
    if (!path_id(r, "ticket", &id) || !(body = http_json_body(r)))
        return;
    c = actx_new(r, check ? A_CHECK : A_FIX);
    c->id = id;
    day = jstr(body, "date");
    if (day && strlen(day) == 10)
        copy(c->day, sizeof(c->day), day);
    else
        today_text(c->day);
    if (check) {
        json_t *pass = json_object_get(body, "pass");
        if (!json_is_boolean(pass)) {
            json_decref(body);
            http_error(r, 400, "invalid_input",
                       "expected {\"pass\": true|false, \"note\": T (needed when it fails)}");
            return;
        }
        c->pass = json_is_true(pass);
    }
    submit_body(r, body,
                keep(r, c, S_TEXT, body, "text", 4000) &&
                    keep(r, c, S_EVIDENCE, body, "evidence", 4000) &&
                    keep(r, c, S_NOTE, body, "note", 4000));
}

void api_assess_ticket_fix(struct http_req *r)
{
    ticket_act(r, false);
}

void api_assess_ticket_check(struct http_req *r)
{
    ticket_act(r, true);
}

/* ---- negative list and ladder ------------------------------------------------------------------
 */

static int negative_json(void *ud, const struct assess_negative_row *n)
{
    struct list_out *o = ud;
    char idm[32], v[16];
    masked(n->id_number, o->unmask, idm);
    json_array_append_new(o->rows,
                          json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                    (json_int_t)n->id, "cadre", (json_int_t)n->cadre, "id_number",
                                    idm, "name", n->name, "village", code_text(n->village, v),
                                    "village_name", n->village_name, "unit", n->unit_name, "source",
                                    n->source, "rule", n->rule, "detail", n->detail));
    return ZC_OK;
}

/* A read lists the month's negative list as built; with ?build=1 county
 * staff and above build it from the rules first (a write, audited), so a
 * visit of the page does not rebuild it. */
void api_assess_negative(struct http_req *r)
{
    const char *month = http_arg(r, "month"), *build = http_arg(r, "build");
    struct list_out o = {NULL, http_sees_id_numbers(r), NULL};
    struct zc_error err = {0};
    struct zc_scope sc;
    if (!month_ok(month)) {
        http_error(r, 400, "invalid_input", "expected ?month=YYYY-MM");
        return;
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    if (build && strcmp(build, "1") == 0 && county_up(r)) {
        struct actx *c = actx_new(r, A_NEG_BUILD);
        c->scope = sc;
        copy(c->month, sizeof(c->month), month);
        submit(r);
        return;
    }
    o.rows = json_array();
    if (assess_negative_list(r->store, &sc, month, negative_json, &o, &err) != ZC_OK) {
        json_decref(o.rows);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:b, s:o}", "month", month, "built", 0, "rows", o.rows));
}

void api_assess_negative_add(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *month;
    if (!(body = write_body(r, county_up(r), "add to the negative list")))
        return;
    c = actx_new(r, A_NEG_ADD);
    month = jstr(body, "month");
    if (!month_ok(month)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"cadre\": ID, \"month\": \"YYYY-MM\", \"reason\": T}");
        return;
    }
    copy(c->month, sizeof(c->month), month);
    submit_body(r, body,
                body_cadre(r, body, &c->cadre) && keep(r, c, S_TEXT, body, "reason", 4000));
}

static int step_json(void *ud, const struct assess_step_row *k)
{
    struct list_out *o = ud;
    char idm[32], v[16];
    masked(k->id_number, o->unmask, idm);
    json_array_append_new(
        o->rows,
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "id",
                  (json_int_t)k->id, "cadre", (json_int_t)k->cadre, "id_number", idm, "name",
                  k->name, "village", code_text(k->village, v), "village_name", k->village_name,
                  "step", k->step, "month", k->month, "months", k->months, "status", k->status,
                  "appeal", k->appeal, "sanction", k->sanction, "note", k->note));
    return ZC_OK;
}

void api_assess_ladder(struct http_req *r)
{
    const char *status = http_arg(r, "status");
    const struct policy *p = api_policy();
    struct list_out o = {json_array(), http_sees_id_numbers(r), NULL};
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *sanctions;
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc)) {
        json_decref(o.rows);
        return;
    }
    if (assess_ladder_list(r->store, &sc, status && *status ? status : NULL, step_json, &o, &err) !=
        ZC_OK) {
        json_decref(o.rows);
        http_zc_error(r, &err);
        return;
    }
    sanctions = json_array();
    for (size_t i = 0; i < p->assess.nsanctions; i++)
        json_array_append_new(sanctions,
                              json_pack("{s:s, s:b}", "name", p->assess.sanctions[i], "recall",
                                        (p->assess.sanction_recall >> i) & 1u));
    http_json(r, 200,
              json_pack("{s:o, s:o, s:b}", "rows", o.rows, "sanctions", sanctions, "can_decide",
                        county_up(r)));
}

void api_assess_ladder_propose(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *month;
    if (!(body = write_body(r, county_up(r), "propose ladder steps")))
        return;
    c = actx_new(r, A_PROPOSE);
    month = jstr(body, "month");
    if (!month_ok(month)) {
        json_decref(body);
        http_error(r, 400, "invalid_input", "expected {\"month\": \"YYYY-MM\"}");
        return;
    }
    copy(c->month, sizeof(c->month), month);
    json_decref(body);
    submit(r);
}

static void ladder_act(struct http_req *r, enum act act)
{
    json_t *body;
    struct actx *c;
    const char *day, *sanction;
    int64_t id;
    if (act == A_APPEAL && r->who.acct.role != AUTH_CADRE && !county_up(r) &&
        !refuse(r, "appeal a ladder step"))
        return;
    if (act != A_APPEAL && !county_up(r) && !refuse(r, "decide ladder steps"))
        return;
    if (!path_id(r, "ladder step", &id) || !(body = http_json_body(r)))
        return;
    c = actx_new(r, act);
    c->id = id;
    day = jstr(body, "date");
    sanction = jstr(body, "sanction");
    if (day && strlen(day) == 10)
        copy(c->day, sizeof(c->day), day);
    else
        today_text(c->day);
    copy(c->sanction, sizeof(c->sanction), sanction);
    if (!keep(r, c, S_TEXT, body, "reason", 4000) || !keep(r, c, S_NOTE, body, "note", 4000)) {
        json_decref(body);
        return;
    }
    json_decref(body);
    if (act == A_WITHDRAW && (!c->str[S_NOTE] || !c->str[S_NOTE][0])) {
        http_error(r, 400, "invalid_input", "a withdrawal says why: {\"note\": T}");
        return;
    }
    submit(r);
}

void api_assess_ladder_appeal(struct http_req *r)
{
    ladder_act(r, A_APPEAL);
}

void api_assess_ladder_confirm(struct http_req *r)
{
    ladder_act(r, A_CONFIRM);
}

void api_assess_ladder_withdraw(struct http_req *r)
{
    ladder_act(r, A_WITHDRAW);
}

/* ---- tasks
 * ---------------------------------------------------------------------------------------- */

void api_assess_task(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *quarter, *due;
    if (!(body = write_body(r, county_up(r), "set the teams' tasks")))
        return;
    c = actx_new(r, A_TASK_ADD);
    quarter = jstr(body, "quarter");
    due = jstr(body, "due");
    if (!jint(body, "village", &c->village) || !quarter || !due || strlen(due) != 10) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"village\": CODE, \"quarter\": \"YYYY-Qn\", \"text\": T, \"due\": "
                   "\"YYYY-MM-DD\"}");
        return;
    }
    copy(c->quarter, sizeof(c->quarter), quarter);
    copy(c->day, sizeof(c->day), due);
    submit_body(r, body, keep(r, c, S_TEXT, body, "text", 4000));
}

void api_assess_tasks(struct http_req *r)
{
    const char *quarter = http_arg(r, "quarter"), *gen = http_arg(r, "generate");
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *rows;
    if (!quarter || strlen(quarter) != 7) {
        http_error(r, 400, "invalid_input", "expected ?quarter=YYYY-Qn");
        return;
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    if (gen && strcmp(gen, "1") == 0) {
        if (!county_up(r) && !refuse(r, "derive the teams' tasks"))
            return;
        struct actx *c = actx_new(r, A_TASK_GENERATE);
        c->scope = sc;
        copy(c->quarter, sizeof(c->quarter), quarter);
        submit(r);
        return;
    }
    rows = json_array();
    if (assess_task_list(r->store, &sc, quarter, task_json, rows, &err) != ZC_OK) {
        json_decref(rows);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:s, s:b, s:o}", "quarter", quarter, "generated", 0, "rows", rows));
}

void api_assess_commend(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *day;
    if (!(body = write_body(r, county_up(r), "record commendations")))
        return;
    c = actx_new(r, A_COMMEND);
    if (!year_arg(r, body, &c->year) || !body_cadre(r, body, &c->cadre)) {
        json_decref(body);
        return;
    }
    day = jstr(body, "date");
    if (day && strlen(day) == 10)
        copy(c->day, sizeof(c->day), day);
    else
        today_text(c->day);
    if (!keep(r, c, S_TEXT, body, "title", 200)) {
        json_decref(body);
        return;
    }
    submit_body(r, body, keep(r, c, S_NOTE, body, "reason", 4000));
}

static int commendation_json(void *ud, const struct assess_commend_row *c)
{
    struct list_out *o = ud;
    char idm[32], v[16];
    masked(c->id_number, o->unmask, idm);
    json_array_append_new(o->rows,
                          json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "id",
                                    (json_int_t)c->id, "cadre", (json_int_t)c->cadre, "id_number",
                                    idm, "name", c->name, "village", code_text(c->village, v),
                                    "village_name", c->village_name, "year", c->year, "date",
                                    c->day, "title", c->title, "reason", c->reason));
    return ZC_OK;
}

/* GET /api/v1/assess/commendations?year=Y: the year's commendations (表彰)
 * in the scope, each with its title and reason; staff read them, a cadre
 * does not (as the promotion list). */
void api_assess_commendations(struct http_req *r)
{
    struct list_out o = {NULL, http_sees_id_numbers(r), NULL};
    struct zc_error err = {0};
    struct zc_scope sc;
    int year;
    if (r->who.acct.role == AUTH_CADRE && !refuse(r, "read the commendations"))
        return;
    if (!year_arg(r, NULL, &year) || !http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    o.rows = json_array();
    if (assess_commend_list(r->store, &sc, year, commendation_json, &o, &err) != ZC_OK) {
        json_decref(o.rows);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "year", year, "rows", o.rows));
}

void api_assess_promotions(struct http_req *r)
{
    struct actx *c;
    struct zc_scope sc;
    int year;
    if (r->who.acct.role == AUTH_CADRE && !refuse(r, "read the promotion list"))
        return;
    if (!year_arg(r, NULL, &year) || !http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    if (sc.level > DIV_COUNTY) {
        http_error(r, 403, "forbidden", "the promotion list is a county's (or above)");
        return;
    }
    c = actx_new(r, A_PROMOTIONS);
    c->scope = sc;
    c->year = year;
    submit(r);
}

void api_assess_task_done(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *day;
    int64_t id;
    if (!http_can_write(r) && r->who.acct.role != AUTH_CADRE && !refuse(r, "close tasks"))
        return;
    if (!path_id(r, "task", &id) || !(body = http_json_body(r)))
        return;
    c = actx_new(r, A_TASK_DONE);
    c->id = id;
    day = jstr(body, "date");
    if (day && strlen(day) == 10)
        copy(c->day, sizeof(c->day), day);
    else
        today_text(c->day);
    submit_body(r, body, keep(r, c, S_EVIDENCE, body, "evidence", 4000));
}

/* ---- monthly scores and annual grades
 * -------------------------------------------------------------- */

static int score_json(void *ud, const struct assess_score_row *row)
{
    struct list_out *o = ud;
    char idm[32], v[16], twp[24], cty[24];
    json_t *parts = json_object(), *j;
    masked(row->id_number, false, idm); /* masked for every role: a table of scores */
    snprintf(twp, sizeof(twp), "%lld", (long long)(row->village / 1000));
    snprintf(cty, sizeof(cty), "%lld", (long long)(row->village / 1000000));
    for (int i = 0; i < AC_COUNT; i++)
        json_object_set_new(parts, assess_component_key[i],
                            json_pack("{s:s, s:f, s:b, s:s}", "name", assess_component_name[i],
                                      "points", row->part[i], "counted", row->counted[i],
                                      "evidence", row->evidence[i] ? row->evidence[i] : ""));
    j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:f, s:b, s:o}", "cadre",
                  (json_int_t)row->cadre, "id_number", idm, "name", row->name, "village",
                  code_text(row->village, v), "village_name", row->village_name, "unit",
                  row->unit_name, "township", twp, "county", cty, "posted_days", row->posted_days,
                  "total", row->total, "on_negative_list", row->on_negative_list, "parts", parts);
    json_array_append_new(o->rows, j);
    return ZC_OK;
}

/* ?teams=1: one row per village's team (assess_month_teams). */
static int team_json(void *ud, const struct assess_team_row *row)
{
    struct list_out *o = ud;
    char v[16], cty[24];
    json_t *parts = json_object();
    snprintf(cty, sizeof(cty), "%lld", (long long)(row->village / 1000000));
    for (int i = 0; i < AC_COUNT; i++)
        json_object_set_new(parts, assess_component_key[i],
                            json_pack("{s:s, s:o}", "name", assess_component_name[i], "points",
                                      row->counted[i] ? json_real(row->part[i]) : json_null()));
    json_array_append_new(o->rows,
                          json_pack("{s:s, s:s, s:s, s:i, s:s, s:f, s:f, s:i, s:o}", "village",
                                    code_text(row->village, v), "village_name", row->village_name,
                                    "county", cty, "members", row->members, "names", row->names,
                                    "total", row->total, "lowest", row->lowest, "on_negative_list",
                                    row->on_negative_list, "parts", parts));
    return ZC_OK;
}

/* The month's scores as a workbook: one column per component's points;
 * with `teams`, one row per village's team. */
static void month_xlsx(struct http_req *r, const char *month, bool teams, json_t *rows)
{
    struct api_xcol cols[7 + AC_COUNT];
    char keys[AC_COUNT][32], title[48], file[40];
    size_t nc = 0, i;
    json_t *row;
    if (teams) {
        cols[nc++] = (struct api_xcol){"village_name", "村", 0, 0};
        cols[nc++] = (struct api_xcol){"members", "队员数", 1, 0};
        cols[nc++] = (struct api_xcol){"names", "队员", 0, 0};
    } else {
        cols[nc++] = (struct api_xcol){"name", "干部", 0, 0};
        cols[nc++] = (struct api_xcol){"village_name", "村", 0, 0};
        cols[nc++] = (struct api_xcol){"unit", "派出单位", 0, 0};
        cols[nc++] = (struct api_xcol){"posted_days", "在岗天数", 1, 0};
    }
    for (int c = 0; c < AC_COUNT; c++) {
        snprintf(keys[c], sizeof(keys[c]), "part_%s", assess_component_key[c]);
        cols[nc++] = (struct api_xcol){keys[c], assess_component_name[c], 1, 1};
    }
    cols[nc++] = (struct api_xcol){"total", teams ? "工作队得分" : "月度得分", 1, 1};
    if (teams)
        cols[nc++] = (struct api_xcol){"lowest", "队员最低分", 1, 1};
    cols[nc++] =
        (struct api_xcol){"on_negative_list", teams ? "负面清单人数" : "列入负面清单", teams, 0};
    json_array_foreach(rows, i, row)
    {
        json_t *parts = json_object_get(row, "parts");
        for (int c = 0; c < AC_COUNT; c++)
            json_object_set(
                row, keys[c],
                json_object_get(json_object_get(parts, assess_component_key[c]), "points"));
    }
    snprintf(title, sizeof(title), "%s %s", teams ? "驻村工作队月度考核" : "驻村干部月度考核",
             month);
    snprintf(file, sizeof(file), "assess-%s%s", teams ? "teams-" : "", month);
    api_send_rows_xlsx(r, "assess", file, title, cols, nc, rows);
}

void api_assess_month(struct http_req *r)
{
    const char *month = http_arg(r, "month"), *teams = http_arg(r, "teams");
    struct list_out o = {NULL, false, NULL};
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *comps;
    if (!month_ok(month)) {
        http_error(r, 400, "invalid_input", "expected ?month=YYYY-MM");
        return;
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    struct field_policy_map pm = {0};
    o.rows = json_array();
    if (field_policy_map_open(r->store, &sc, api_policy(), true, &pm, &err) != ZC_OK ||
        (teams && strcmp(teams, "1") == 0
             ? assess_month_teams(r->store, &pm, &sc, month, team_json, &o, &err)
             : assess_month(r->store, &pm, &sc, month, score_json, &o, &err)) != ZC_OK) {
        field_policy_map_fini(&pm);
        json_decref(o.rows);
        http_zc_error(r, &err);
        return;
    }
    field_policy_map_fini(&pm);
    if (api_wants_xlsx(r)) {
        month_xlsx(r, month, teams && strcmp(teams, "1") == 0, o.rows);
        json_decref(o.rows);
        return;
    }
    comps = json_array();
    for (int i = 0; i < AC_COUNT; i++)
        json_array_append_new(comps, json_pack("{s:s, s:s}", "key", assess_component_key[i], "name",
                                               assess_component_name[i]));
    http_json(r, 200,
              json_pack("{s:s, s:o, s:o}", "month", month, "components", comps, "rows", o.rows));
}

static int grade_json(void *ud, const struct assess_grade_row *g)
{
    struct list_out *o = ud;
    char idm[32], v[16], cty[24];
    if (o->towns)
        assess_townships_add(o->towns, g);
    masked(g->id_number, o->unmask, idm);
    snprintf(cty, sizeof(cty), "%lld", (long long)(g->county / 1000000));
    json_array_append_new(
        o->rows,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:i, s:s, s:s, s:s, s:b, s:b}", "cadre",
                  (json_int_t)g->cadre, "id_number", idm, "name", g->name, "village",
                  code_text(g->village, v), "village_name", g->village_name, "unit", g->unit_name,
                  "county", cty, "score", g->score, "months", g->months, "proposed", g->proposed,
                  "grade", g->grade, "reason", g->reason ? g->reason : "", "confirmed",
                  g->confirmed, "promote", g->promote));
    return ZC_OK;
}

static bool year_arg(struct http_req *r, json_t *body, int *year)
{
    int64_t v = 0;
    bool ok;
    if (body) {
        ok = jint(body, "year", &v);
    } else {
        const char *s = http_arg(r, "year");
        char *end = NULL;
        ok = s && *s;
        if (ok)
            v = strtoll(s, &end, 10);
        ok = ok && *end == '\0';
    }
    if (ok && v >= 2000 && v <= 2100) {
        *year = (int)v;
        return true;
    }
    http_error(r, 400, "invalid_input", "year: a year from 2000 to 2100, e.g. 2018");
    return false;
}

/* Proposing the grades writes them (kept when changed by hand), so the
 * list is a writer job; it is not audited (nothing is decided), as in the
 * CLI. For a county or above only. */
void api_assess_year(struct http_req *r)
{
    struct actx *c;
    struct zc_scope sc;
    int year;
    if (r->who.acct.role == AUTH_CADRE && !refuse(r, "read the annual grades"))
        return;
    if (!year_arg(r, NULL, &year) || !http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    /* The 优秀 quota is a county's: proposing for a township alone would
     * count it over the wrong people. */
    if (sc.level > DIV_COUNTY) {
        http_error(r, 403, "forbidden",
                   "annual grades are proposed for a county or above (the 优秀 quota is per "
                   "county); your jurisdiction is smaller");
        return;
    }
    c = actx_new(r, A_YEAR);
    c->scope = sc;
    c->year = year;
    submit(r);
}

void api_assess_grade_set(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *grade;
    if (!(body = write_body(r, county_up(r), "calibrate grades")))
        return;
    c = actx_new(r, A_GRADE_SET);
    grade = jstr(body, "grade");
    if (!year_arg(r, body, &c->year)) {
        json_decref(body);
        return;
    }
    if (!grade || !body_cadre(r, body, &c->cadre)) {
        json_decref(body);
        if (!grade)
            http_error(r, 400, "invalid_input",
                       "expected {\"cadre\": ID, \"year\": YYYY, \"grade\": 优秀|称职|基本称职|"
                       "不称职, \"reason\": T}");
        return;
    }
    copy(c->grade, sizeof(c->grade), grade);
    submit_body(r, body, keep(r, c, S_TEXT, body, "reason", 4000));
}

void api_assess_year_confirm(struct http_req *r)
{
    json_t *body;
    struct actx *c;
    const char *scope;
    if (!(body = write_body(r, county_up(r), "confirm grades")))
        return;
    c = actx_new(r, A_YEAR_CONFIRM);
    scope = jstr(body, "scope");
    if (!year_arg(r, body, &c->year)) {
        json_decref(body);
        return;
    }
    if (scope && *scope) {
        struct zc_error err = {0};
        if (zc_scope_narrow(&c->scope, scope, &err) != ZC_OK) {
            if (err.code == ZC_EFORBIDDEN)
                http_error(r, 403, "forbidden", "division %s is outside your jurisdiction", scope);
            else
                http_zc_error(r, &err);
            json_decref(body); /* after the message: `scope` points into it */
            return;
        }
    }
    json_decref(body);
    submit(r);
}

/* ---- funds
 * ------------------------------------------------------------------------------------------ */

static int fund_json(void *ud, const struct assess_fund_row *f)
{
    char v[16];
    json_array_append_new(
        ud, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:i}", "village",
                      code_text(f->village, v), "village_name", f->village_name, "secretary",
                      f->secretary, "alloc_work_fen", (json_int_t)f->alloc_work_fen,
                      "alloc_industry_fen", (json_int_t)f->alloc_industry_fen, "spent_work_fen",
                      (json_int_t)f->spent_work_fen, "spent_industry_fen",
                      (json_int_t)f->spent_industry_fen, "subsidy_fen", (json_int_t)f->subsidy_fen,
                      "present_days", f->present_days));
    return ZC_OK;
}

void api_assess_funds(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *a;
    int year;
    if (!year_arg(r, NULL, &year) || !http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    a = json_array();
    if (assess_funds(r->store, api_policy(), &sc, year, fund_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) {
        static const char *const fen[] = {"alloc_work_fen", "alloc_industry_fen", "spent_work_fen",
                                          "spent_industry_fen", "subsidy_fen"};
        static const struct api_xcol cols[] = {
            {"village_name", "村", 0, 0},
            {"secretary", "第一书记", 0, 0},
            {"alloc_work_fen_yuan", "工作经费下拨（元）", 1, 2},
            {"spent_work_fen_yuan", "工作经费支出（元）", 1, 2},
            {"alloc_industry_fen_yuan", "产业资金下拨（元）", 1, 2},
            {"spent_industry_fen_yuan", "产业资金支出（元）", 1, 2},
            {"subsidy_fen_yuan", "生活补助（元）", 1, 2},
            {"present_days", "在村天数", 1, 0},
        };
        size_t i;
        json_t *row;
        char title[40], file[32];
        json_array_foreach(a, i, row)
        {
            for (size_t k = 0; k < sizeof(fen) / sizeof(fen[0]); k++) {
                char key[40];
                snprintf(key, sizeof(key), "%s_yuan", fen[k]);
                json_object_set_new(
                    row, key,
                    json_real((double)json_integer_value(json_object_get(row, fen[k])) / 100.0));
            }
        }
        snprintf(title, sizeof(title), "%d年驻村经费", year);
        snprintf(file, sizeof(file), "funds-%d", year);
        api_send_rows_xlsx(r, "funds", file, title, cols, sizeof(cols) / sizeof(cols[0]), a);
        json_decref(a);
        return;
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "year", year, "rows", a));
}

void api_assess_fund_add(struct http_req *r)
{
    json_t *body, *amount;
    struct actx *c;
    const char *kind, *day;
    double yuan;
    if (!(body = write_body(r, county_up(r), "enter spending")))
        return;
    c = actx_new(r, A_FUND_ADD);
    kind = jstr(body, "kind");
    day = jstr(body, "date");
    amount = json_object_get(body, "amount");
    yuan = json_is_number(amount) ? json_number_value(amount) : -1;
    if (!jint(body, "village", &c->village) || !kind || !day || strlen(day) != 10 || yuan <= 0 ||
        yuan > 1e10) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"village\": CODE, \"kind\": \"work\"|\"industry\", \"amount\": YUAN "
                   "(above 0), \"date\": \"YYYY-MM-DD\", \"note\": T}");
        return;
    }
    c->amount_fen = (int64_t)(yuan * 100 + 0.5);
    copy(c->kind, sizeof(c->kind), kind);
    copy(c->day, sizeof(c->day), day);
    submit_body(r, body, keep(r, c, S_NOTE, body, "note", 4000));
}

/* ---- the bulletin
 * --------------------------------------------------------------------------------- */

/* Written to a temporary file (the report writers want a path), recorded as
 * an export of exactly the bytes sent, then streamed from the open
 * descriptor; the file's name is gone before the response starts. */
void api_assess_bulletin(struct http_req *r)
{
    const char *month = http_arg(r, "month"), *format = http_arg(r, "format"),
               *scope = http_arg(r, "scope");
    static const char *const ext[] = {"html", "pdf", "xlsx"};
    struct bulletin_facts facts = {0};
    struct zc_error err = {0};
    enum report_format fmt;
    struct zc_scope sc;
    const char *tmp = getenv("TMPDIR");
    char path[PATH_MAX], disp[160], code[16];
    struct stat st;
    int fd, rc;
    if (r->who.acct.role == AUTH_CADRE && !refuse(r, "make bulletins"))
        return;
    if (!month_ok(month) || report_format_parse(format ? format : "html", &fmt, &err) != ZC_OK) {
        http_error(r, 400, "invalid_input", "expected ?month=YYYY-MM&format=html|pdf|xlsx");
        return;
    }
    sc = http_scope_value(r);
    if (scope && *scope && zc_scope_narrow(&sc, scope, &err) != ZC_OK) {
        if (err.code == ZC_EFORBIDDEN)
            http_error(r, 403, "forbidden", "division %s is outside your jurisdiction", scope);
        else
            http_zc_error(r, &err);
        return;
    }
    if (sc.level == 0) {
        http_error(r, 400, "invalid_input",
                   "an account without a jurisdiction names the division: ?scope=CODE");
        return;
    }
    if (sc.level > DIV_COUNTY) {
        http_error(r, 403, "forbidden",
                   "a bulletin is made for a county or above; your jurisdiction is smaller");
        return;
    }
    /* $TMPDIR as mkstemp(3) callers are expected to honour, else /tmp. */
    snprintf(path, sizeof(path), "%s/zhucun-bulletin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        http_error(r, 503, "unavailable", "no room for the bulletin");
        return;
    }
    close(fd);
    rc = report_bulletin(r->store, api_policy(), &sc, sc.lo, month, fmt, path, &facts, &err);
    /* Opened again: a writer may have replaced the file rather than
     * written into it. */
    fd = rc == ZC_OK ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);
    if (rc == ZC_OK && fd < 0)
        rc = zc_error_set(&err, ZC_EIO, "the bulletin was not written");
    if (rc == ZC_OK)
        rc = api_export_audit(r, "bulletin", false, ext[fmt], (size_t)facts.rows, fd, &err);
    if (rc != ZC_OK || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        http_zc_error(r, &err);
        return;
    }
    r->fd = fd;
    r->fd_size = (int64_t)st.st_size;
    r->status = 200;
    r->ctype = fmt == RF_PDF    ? "application/pdf"
               : fmt == RF_XLSX ? http_content_type("x.xlsx")
                                : "text/html; charset=utf-8";
    division_format(sc.lo, (enum division_level)sc.level, code);
    snprintf(disp, sizeof(disp), "%s; filename=\"bulletin-%s-%s.%s\"",
             fmt == RF_HTML ? "inline" : "attachment", code, month, ext[fmt]);
    http_add_header(r, "Content-Disposition", disp);
}

/* ---- notices to a cadre ------------------------------------------------------------------
 *   GET  /api/v1/notices[?unread=1]   the cadre's own notices (a ladder step proposed)
 *   POST /api/v1/notices/:id/read     marked read (a writer job)
 * For cadre accounts only: staff see the steps themselves on #/assess. */

static int notice_json(void *ud, const struct assess_notice *n)
{
    json_array_append_new(ud, json_pack("{s:I, s:s, s:I, s:s, s:s, s:b}", "id", (json_int_t)n->id,
                                        "kind", n->kind, "ref", (json_int_t)n->ref, "text", n->text,
                                        "at", n->created_at, "read", *n->read_at != 0));
    return ZC_OK;
}

void api_notices(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    const char *u = http_arg(r, "unread");
    json_t *a = json_array();
    if (assess_notices(r->store, &sc, u && strcmp(u, "1") == 0, notice_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "notices", a));
}

struct notice_ctx {
    struct zc_scope scope;
    int64_t id;
};

static int notice_read_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct notice_ctx *c = j->req->ctx;
    char target[40];
    int rc = assess_notice_read(s, &c->scope, c->id, err);
    /* The receipt is in the record too: the cadre saw the notice (issue 17). */
    snprintf(target, sizeof(target), "notice:%lld", (long long)c->id);
    if (rc == ZC_OK)
        rc = audit(s, j, "notice.read", target, 0, json_pack("{s:I}", "notice", (json_int_t)c->id),
                   err);
    return rc;
}

static void notice_read_done(struct http_req *r)
{
    struct notice_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)c->id, "read", 1));
}

void api_notice_read(struct http_req *r)
{
    struct notice_ctx *c;
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (*end || id <= 0) {
        http_error(r, 404, "not_found", "no notice %s", r->params[0]);
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->scope = http_scope_value(r);
    c->id = id;
    http_defer(r, notice_read_run, false, notice_read_done);
}
