/* SPDX-License-Identifier: MIT */
/* api_aid.c - the household card and the plan's review over HTTP (src/aid):
 *   GET  /api/v1/households/:id/card    the card a cadre opens before a
 *        visit: the household, its members, causes, yearly statuses, plan
 *        (measures, the review chain), responsible cadre and last visits
 *   POST /api/v1/households/:id/review  {"level": 1-5, "decision":
 *        "approve"|"return", "reason": T} a level's sign-off or return
 *   GET  /api/v1/aid/plans?waiting=LEVEL&status=S   plans in scope (what
 *        waits for a level's review)
 * ID numbers are masked unless the role sees them; the review is a writer
 * job whose audit entry commits with it. */
#include <stdlib.h>
#include <string.h>

#include "aid/aid.h"
#include "api.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "field/field.h"
#include "outcome/outcome.h"
#include "registry/registry.h"

static void id_out(const char *id, bool unmask, char out[32])
{
    if (unmask)
        snprintf(out, 32, "%s", id);
    else
        idcard_mask(id, out, 32);
}

struct card {
    json_t *arr;
    bool unmask;
};

static int member_json(void *ud, const struct registry_member *m)
{
    struct card *c = ud;
    char id[32], birth[16];
    id_out(m->id_number, c->unmask, id);
    snprintf(birth, sizeof(birth), c->unmask ? "%s" : "%.4s", m->birth_date);
    json_array_append_new(
        c->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id_number", id, "name",
                          m->name, "relation", m->relation, "gender", m->gender, "birth", birth,
                          "education", m->education, "health", m->health, "work_ability",
                          m->work_ability, "student", m->student));
    return ZC_OK;
}

static json_t *money(bool has, int64_t fen)
{
    return has ? json_real((double)fen / 100) : json_null();
}

static int status_json(void *ud, const struct outcome_status *st)
{
    json_t *checks = json_object();
    for (int i = 0; i < OC_NCHECKS; i++)
        json_object_set_new(checks, outcome_check_name[i],
                            st->check[i] < 0 ? json_null() : json_boolean(st->check[i]));
    json_array_append_new(ud, json_pack("{s:i, s:s, s:o, s:o, s:s}", "year", st->year, "status",
                                        st->status, "income", money(st->has_income, st->income_fen),
                                        "checks", checks, "evidence", st->evidence));
    return ZC_OK;
}

static int measure_json(void *ud, const struct aid_measure *m)
{
    json_array_append_new(
        ud, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "kind",
                      m->kind, "description", m->description, "amount",
                      money(m->has_amount, m->amount_fen), "responsible", m->responsible, "due",
                      m->due_date, "status", m->status, "done", m->done_date));
    return ZC_OK;
}

static int review_json(void *ud, const struct aid_review_row *v)
{
    json_array_append_new(ud, json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:s}", "version",
                                        v->version, "level", v->level, "level_name",
                                        aid_level_name(v->level), "decision", v->decision, "reason",
                                        v->reason, "reviewer", v->reviewer, "at", v->at));
    return ZC_OK;
}

static int responsible_json(void *ud, const struct aid_responsible_row *w)
{
    struct card *c = ud;
    char id[32];
    id_out(w->id_number, c->unmask, id);
    c->arr = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "cadre", (json_int_t)w->cadre,
                       "id_number", id, "name", w->name, "unit", w->unit_name, "basis", w->basis,
                       "since", w->since, "households", w->cadre_households);
    return ZC_OK;
}

static int visit_json(void *ud, const struct field_entry_row *e)
{
    if (strcmp(e->kind, "visit") == 0)
        json_array_append_new(ud, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)e->id, "day",
                                            e->day, "name", e->name, "text", e->text));
    return ZC_OK;
}

static json_t *plan_json(const struct aid_plan_state *st)
{
    return json_pack("{s:i, s:s, s:s, s:i, s:s?, s:i, s:i}", "version", st->version, "status",
                     st->status, "status_name", aid_plan_status_name(st->status), "next_level",
                     st->next_level, "next_level_name", aid_level_name(st->next_level), "measures",
                     st->measures, "open", st->open);
}

void api_household_card(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct registry_household hh;
    struct aid_plan_state st;
    struct card members = {json_array(), http_sees_id_numbers(r)};
    struct card resp = {NULL, members.unmask};
    const char *id = r->params[0];
    json_t *statuses = json_array(), *measures = json_array(), *reviews = json_array(),
           *visits = json_array(), *plan = json_null(), *out;
    char causes[512], head[32], vcode[24];
    int64_t village = 0;
    int rc = aid_card_visible(r->store, &sc, id, &village, &err);
    if (rc == ZC_OK)
        rc = registry_household_get(r->store, id, &hh, &err);
    if (rc == ZC_OK)
        rc = registry_members_list(r->store, id, member_json, &members, &err);
    if (rc == ZC_OK)
        rc = aid_causes_get(r->store, id, causes, sizeof(causes), &err);
    if (rc == ZC_OK)
        rc = outcome_status_list(r->store, id, status_json, statuses, &err);
    if (rc == ZC_OK) {
        /* aid_plan_get refuses a cadre who is not responsible: the card
         * was allowed above, so read the plan everywhere. */
        struct zc_scope all = zc_scope_all();
        rc = aid_plan_get(r->store, &all, id, &st, &err);
        if (rc == ZC_OK) {
            json_decref(plan);
            plan = plan_json(&st);
        } else if (rc == ZC_ENOTFOUND) {
            rc = ZC_OK;
        }
    }
    if (rc == ZC_OK)
        rc = aid_measure_list(r->store, id, measure_json, measures, &err);
    if (rc == ZC_OK)
        rc = aid_review_list(r->store, id, review_json, reviews, &err);
    if (rc == ZC_OK)
        rc = aid_responsible_of(r->store, id, responsible_json, &resp, &err);
    if (rc == ZC_OK)
        rc = field_entry_list(r->store, &sc, 0, id, 20, visit_json, visits, &err);
    if (rc != ZC_OK) {
        json_decref(members.arr);
        json_decref(statuses);
        json_decref(measures);
        json_decref(reviews);
        json_decref(visits);
        json_decref(plan);
        json_decref(resp.arr);
        http_zc_error(r, &err);
        return;
    }
    id_out(hh.head_id_number, members.unmask, head);
    snprintf(vcode, sizeof(vcode), "%012lld", (long long)hh.village);
    out = json_pack("{s:s, s:s, s:s, s:i, s:s, s:o, s:s, s:i}", "id", hh.id, "village", vcode,
                    "head_id_number", head, "members", hh.members, "cause", hh.cause, "income",
                    money(hh.has_income, hh.income_fen), "status", hh.status, "poverty_year",
                    hh.poverty_year);
    if (plan && json_is_object(plan)) {
        json_object_set_new(plan, "measures", measures);
        json_object_set_new(plan, "reviews", reviews);
    } else {
        json_decref(measures);
        json_decref(reviews);
    }
    http_json(r, 200,
              json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "household", out, "causes", causes,
                        "members_list", members.arr, "statuses", statuses, "plan", plan,
                        "responsible", resp.arr ? resp.arr : json_null(), "visits", visits));
}

/* ---- the review ------------------------------------------------------------------------ */

struct review_ctx {
    char household[65], actor[96], reason[1024];
    int level;
    bool approve;
    struct zc_scope scope;
    struct aid_plan_state st;
};

static int review_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct review_ctx *c = j->req->ctx;
    int rc = aid_review(s, &c->scope, c->household, c->level, c->approve, c->reason, c->actor,
                        &c->st, err);
    if (rc == ZC_OK)
        rc = api_audit_write(s, &j->req->who, j->req->addr,
                             c->approve ? "household.review.approve" : "household.review.return",
                             c->household, c->st.village, NULL,
                             json_pack("{s:i, s:s, s:i, s:s}", "level", c->level, "name",
                                       aid_level_name(c->level), "version", c->st.version, "reason",
                                       c->reason),
                             err);
    return rc;
}

static void review_done(struct http_req *r)
{
    struct review_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200, plan_json(&c->st));
}

void api_household_review(struct http_req *r)
{
    struct review_ctx *c;
    json_t *body, *lv;
    const char *decision, *reason;
    int level = 0;
    if (!http_can_write(r) && r->who.acct.role != AUTH_CADRE) {
        http_error(r, 403, "forbidden", "your role (%s) does not review plans",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (!(body = http_json_body(r)))
        return;
    lv = json_object_get(body, "level");
    level = json_is_integer(lv)  ? (int)json_integer_value(lv)
            : json_is_string(lv) ? aid_level_parse(json_string_value(lv))
                                 : 0;
    decision = json_string_value(json_object_get(body, "decision"));
    reason = json_string_value(json_object_get(body, "reason"));
    if (level < 1 || level > AID_LEVELS || !decision ||
        (strcmp(decision, "approve") != 0 && strcmp(decision, "return") != 0) ||
        (reason && strlen(reason) > 1000)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"level\": 1-5, \"decision\": \"approve\" or \"return\", "
                   "\"reason\": text up to 1000 bytes}");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    snprintf(c->household, sizeof(c->household), "%s", r->params[0]);
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    snprintf(c->reason, sizeof(c->reason), "%s", reason ? reason : "");
    c->level = level;
    c->approve = strcmp(decision, "approve") == 0;
    c->scope = http_scope_value(r);
    json_decref(body);
    http_defer(r, review_run, false, review_done);
}

/* ---- plans in scope -------------------------------------------------------------------- */

static int plan_row_json(void *ud, const struct aid_plan_row *p)
{
    char v[24];
    snprintf(v, sizeof(v), "%012lld", (long long)p->village);
    json_array_append_new(ud, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s?, s:i, s:i, s:s}",
                                        "household", p->household, "village", v, "village_name",
                                        p->village_name, "version", p->version, "status", p->status,
                                        "status_name", aid_plan_status_name(p->status),
                                        "next_level", p->next_level, "next_level_name",
                                        aid_level_name(p->next_level), "measures", p->measures,
                                        "open", p->open, "cadre", p->cadre_name));
    return ZC_OK;
}

void api_aid_plans(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    const char *w = http_arg(r, "waiting"), *status = http_arg(r, "status");
    int waiting = w && *w ? aid_level_parse(w) : 0;
    json_t *a;
    if (w && *w && !waiting) {
        http_error(r, 400, "invalid_input",
                   "waiting: a level 1-5 (or cadre, team, station, "
                   "township, county)");
        return;
    }
    if (!http_scope_narrowed(r, http_arg(r, "scope"), &sc))
        return;
    a = json_array();
    if (aid_plan_list(r->store, &sc, status && *status ? status : NULL, waiting, plan_row_json, a,
                      &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "plans", a));
}

/* ---- writes: causes, measures, the responsible cadre ------------------------------------
 *   PUT    /api/v1/households/:id/causes   {"causes": "因病、缺技术"} (or an array)
 *   POST   /api/v1/households/:id/measures {"kind", "what", "amount" (yuan), "by", "due"}
 *   PATCH  /api/v1/aid/measures/:id        the fields given replace the stored ones
 *   DELETE /api/v1/aid/measures/:id
 *   POST   /api/v1/aid/measures/:id/done   {"done": true|false, "day": "YYYY-MM-DD"}
 *   PUT    /api/v1/households/:id/cadre    {"cadre": 身份证号, "since": "YYYY-MM-DD"}
 * Scoped like the review: organisation staff within their jurisdiction; a
 * cadre account only for the households it is responsible for (not the
 * assignment, which is the staff's). Each is a writer job whose audit
 * entry (the CLI's action names) commits with it. A measure changed on a
 * reviewed plan starts a new version, reviewed again from level 1. */

enum aid_write { AW_CAUSES, AW_ADD, AW_EDIT, AW_REMOVE, AW_DONE, AW_CADRE };

struct aid_write_ctx {
    enum aid_write what;
    struct zc_scope scope;
    char household[65], actor[96], causes[512], canon[512];
    char kind[64], desc[1024], by[256], due[11], day[11], cadre[19], since[11], basis[8], prev[19];
    struct aid_measure m;
    bool done;
    int64_t id, village;
    struct aid_plan_state st;
};

static int aid_write_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct aid_write_ctx *c = j->req->ctx;
    const char *action = NULL;
    json_t *what = NULL;
    int64_t village = 0;
    int rc;
    memset(&c->st, 0, sizeof(c->st));
    switch (c->what) {
    case AW_CAUSES:
        rc = aid_causes_set(s, &c->scope, c->household, c->causes, c->canon, sizeof(c->canon),
                            &village, err);
        action = "household.causes";
        what = json_pack("{s:s}", "causes", c->canon);
        break;
    case AW_ADD:
        rc = aid_measure_add(s, &c->scope, &c->m, c->actor, &c->id, &c->st, err);
        action = "household.plan.add";
        what = json_pack("{s:I, s:s, s:s, s:i}", "measure", (json_int_t)c->id, "kind", c->kind,
                         "what", c->desc, "version", c->st.version);
        break;
    case AW_EDIT:
        rc = aid_measure_edit(s, &c->scope, c->id, &c->m, c->actor, &c->st, err);
        action = "household.plan.edit";
        what = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:i}", "measure", (json_int_t)c->id, "kind",
                         c->m.kind, "what", c->m.description, "by", c->m.responsible, "due",
                         c->m.due_date, "version", c->st.version);
        break;
    case AW_REMOVE:
        rc = aid_measure_remove(s, &c->scope, c->id, c->actor, &c->st, err);
        action = "household.plan.remove";
        what = json_pack("{s:I, s:i}", "measure", (json_int_t)c->id, "version", c->st.version);
        break;
    case AW_DONE:
        rc = aid_measure_done(s, &c->scope, c->id, c->done, c->day, &c->st, err);
        action = "household.plan.done";
        what = json_pack("{s:I, s:b, s:s}", "measure", (json_int_t)c->id, "done", c->done, "day",
                         c->day);
        break;
    default:
        rc = aid_assign(s, api_policy(), &c->scope, c->household, c->cadre,
                        c->since[0] ? c->since : NULL, c->actor, c->basis, c->prev, &village, err);
        action = "household.cadre";
        what =
            json_pack("{s:s, s:s, s:s}", "cadre", c->cadre, "basis", c->basis, "previous", c->prev);
        break;
    }
    if (c->what != AW_CAUSES && c->what != AW_CADRE)
        village = c->st.village;
    c->village = village;
    if (rc != ZC_OK) {
        json_decref(what);
        return rc;
    }
    {
        char target[32];
        const char *t = c->household;
        if (c->what == AW_EDIT || c->what == AW_REMOVE || c->what == AW_DONE) {
            snprintf(target, sizeof(target), "%lld", (long long)c->id);
            t = target;
        }
        return api_audit_write(s, &j->req->who, j->req->addr, action, t, village, NULL, what, err);
    }
}

static void aid_write_done(struct http_req *r)
{
    struct aid_write_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    switch (c->what) {
    case AW_CAUSES:
        http_json(r, 200, json_pack("{s:s, s:s}", "household", c->household, "causes", c->canon));
        return;
    case AW_CADRE:
        http_json(r, 200,
                  json_pack("{s:s, s:s, s:s, s:s?}", "household", c->household, "cadre", c->cadre,
                            "basis", c->basis, "previous", c->prev[0] ? c->prev : NULL));
        return;
    case AW_ADD:
        http_json(r, 201,
                  json_pack("{s:I, s:o}", "id", (json_int_t)c->id, "plan", plan_json(&c->st)));
        return;
    default:
        http_json(r, 200,
                  json_pack("{s:I, s:o}", "id", (json_int_t)c->id, "plan", plan_json(&c->st)));
    }
}

/* The context of a write, or NULL with the answer sent: 403 for roles that
 * do not write households (and for a cadre account when `staff_only`). */
static struct aid_write_ctx *aid_write_begin(struct http_req *r, enum aid_write what,
                                             bool staff_only)
{
    struct aid_write_ctx *c;
    if (!http_can_write(r) && (staff_only || r->who.acct.role != AUTH_CADRE)) {
        http_error(r, 403, "forbidden", "your role (%s) does not change households' %s",
                   auth_role_name(r->who.acct.role),
                   what == AW_CADRE    ? "responsible cadres"
                   : what == AW_CAUSES ? "causes"
                                       : "plans");
        return NULL;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->what = what;
    c->scope = http_scope_value(r);
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    return c;
}

/* The measure's id from the path; false (404 sent) when it is not one. */
static bool measure_id(struct http_req *r, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    if (*end || v <= 0) {
        http_error(r, 404, "not_found", "no measure %s", r->params[0]);
        return false;
    }
    *id = v;
    return true;
}

/* A text field of at most n - 1 bytes into out (NULL when absent); false
 * (400 sent) when it is not a string or too long. */
static bool text_field(struct http_req *r, json_t *body, const char *key, char *out, size_t n,
                       const char **set)
{
    json_t *v = json_object_get(body, key);
    *set = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v) || json_string_length(v) >= n) {
        http_error(r, 400, "invalid_input", "%s: text of at most %zu bytes", key, n - 1);
        return false;
    }
    snprintf(out, n, "%s", json_string_value(v));
    *set = out;
    return true;
}

/* The measure fields of a body into c->m; false with the answer sent. */
static bool measure_fields(struct http_req *r, json_t *body, struct aid_write_ctx *c)
{
    json_t *amount = json_object_get(body, "amount");
    if (!text_field(r, body, "kind", c->kind, sizeof(c->kind), &c->m.kind) ||
        !text_field(r, body, "what", c->desc, sizeof(c->desc), &c->m.description) ||
        !text_field(r, body, "by", c->by, sizeof(c->by), &c->m.responsible) ||
        !text_field(r, body, "due", c->due, sizeof(c->due), &c->m.due_date))
        return false;
    if (amount && !json_is_null(amount)) {
        double y = json_number_value(amount);
        if (!json_is_number(amount) || y < 0 || y > 1e10) {
            http_error(r, 400, "invalid_input", "amount: yuan, a number of at least 0");
            return false;
        }
        c->m.has_amount = true;
        c->m.amount_fen = (int64_t)(y * 100 + 0.5);
    }
    return true;
}

void api_household_causes(struct http_req *r)
{
    struct aid_write_ctx *c;
    json_t *body, *v;
    if (!(c = aid_write_begin(r, AW_CAUSES, false)) || !(body = http_json_body(r)))
        return;
    v = json_object_get(body, "causes");
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e))
                break;
            if (i)
                strncat(c->causes, "、", sizeof(c->causes) - strlen(c->causes) - 1);
            strncat(c->causes, json_string_value(e), sizeof(c->causes) - strlen(c->causes) - 1);
        }
    } else if (json_is_string(v) && json_string_length(v) < sizeof(c->causes)) {
        snprintf(c->causes, sizeof(c->causes), "%s", json_string_value(v));
    }
    json_decref(body);
    if (!c->causes[0]) {
        http_error(r, 400, "invalid_input",
                   "expected {\"causes\": \"因病、缺技术\"} or a list of the registry's causes");
        return;
    }
    snprintf(c->household, sizeof(c->household), "%s", r->params[0]);
    http_defer(r, aid_write_run, false, aid_write_done);
}

void api_household_measure_add(struct http_req *r)
{
    struct aid_write_ctx *c;
    json_t *body;
    bool ok;
    if (!(c = aid_write_begin(r, AW_ADD, false)) || !(body = http_json_body(r)))
        return;
    ok = measure_fields(r, body, c);
    json_decref(body);
    if (!ok)
        return;
    if (!c->m.kind || !c->m.description) {
        http_error(r, 400, "invalid_input",
                   "expected {\"kind\": \"产业\", \"what\": \"...\"} and optionally \"amount\" "
                   "(yuan), \"by\", \"due\" (YYYY-MM-DD)");
        return;
    }
    snprintf(c->household, sizeof(c->household), "%s", r->params[0]);
    c->m.household = c->household;
    http_defer(r, aid_write_run, false, aid_write_done);
}

void api_aid_measure_edit(struct http_req *r)
{
    struct aid_write_ctx *c;
    json_t *body;
    bool ok;
    if (!(c = aid_write_begin(r, AW_EDIT, false)) || !measure_id(r, &c->id) ||
        !(body = http_json_body(r)))
        return;
    ok = measure_fields(r, body, c);
    json_decref(body);
    if (!ok)
        return;
    if (!c->m.kind && !c->m.description && !c->m.responsible && !c->m.due_date &&
        !c->m.has_amount) {
        http_error(r, 400, "invalid_input",
                   "nothing to change: give kind, what, amount, by or due");
        return;
    }
    http_defer(r, aid_write_run, false, aid_write_done);
}

void api_aid_measure_remove(struct http_req *r)
{
    struct aid_write_ctx *c;
    if (!(c = aid_write_begin(r, AW_REMOVE, false)) || !measure_id(r, &c->id))
        return;
    http_defer(r, aid_write_run, false, aid_write_done);
}

void api_aid_measure_done(struct http_req *r)
{
    struct aid_write_ctx *c;
    json_t *body, *done;
    const char *day;
    if (!(c = aid_write_begin(r, AW_DONE, false)) || !measure_id(r, &c->id) ||
        !(body = http_json_body(r)))
        return;
    done = json_object_get(body, "done");
    day = json_string_value(json_object_get(body, "day"));
    c->done = !done || json_is_true(done);
    if (day && strlen(day) == 10)
        memcpy(c->day, day, 11);
    else {
        int y, m, d;
        registry_today(&y, &m, &d);
        snprintf(c->day, sizeof(c->day), "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
                 (unsigned)d % 100u);
    }
    json_decref(body);
    if (done && !json_is_boolean(done)) {
        http_error(r, 400, "invalid_input", "expected {\"done\": true or false, \"day\": date}");
        return;
    }
    http_defer(r, aid_write_run, false, aid_write_done);
}

void api_household_cadre(struct http_req *r)
{
    struct aid_write_ctx *c;
    json_t *body;
    const char *id, *since;
    if (!(c = aid_write_begin(r, AW_CADRE, true)) || !(body = http_json_body(r)))
        return;
    id = json_string_value(json_object_get(body, "cadre"));
    since = json_string_value(json_object_get(body, "since"));
    if (!id || strlen(id) != 18 || (since && strlen(since) != 10)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"cadre\": the cadre's 18-character 身份证号, \"since\": "
                   "\"YYYY-MM-DD\" (optional)}");
        return;
    }
    snprintf(c->cadre, sizeof(c->cadre), "%s", id);
    if (since)
        snprintf(c->since, sizeof(c->since), "%s", since);
    json_decref(body);
    snprintf(c->household, sizeof(c->household), "%s", r->params[0]);
    http_defer(r, aid_write_run, false, aid_write_done);
}
