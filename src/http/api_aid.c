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
