/* SPDX-License-Identifier: MIT */
/* api_plan.c - the dispatch commands over HTTP: match (a draft plan),
 * explain, publish (the dispatch order), recall, rotate (轮换) and extend, and plan
 * lookups.
 *
 * A plan belongs to the division it was matched for (plan.scope); callers
 * see the plans match/plan.h's plan_view_* give their scope, and may match
 * only inside it (a scoped caller's default scope is their own). Matching
 * and publishing are writes: they run on the writer, alone, and leave an
 * audit entry in the same transaction as the plan. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "base/division.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "match/explain.h"
#include "match/model.h"
#include "match/plan.h"
#include "registry/registry.h"
#include "scenario/scenario.h"
#include "store/store.h"

static bool may_plan(const struct http_req *r)
{
    return http_can_write(r);
}

static bool may_read_plans(const struct http_req *r)
{
    return r->authed && r->who.acct.role != AUTH_CADRE;
}

static json_t *plan_row(const struct plan_view *p)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "id",
                          (json_int_t)p->id, "kind", p->kind, "status", p->status, "created_at",
                          p->created_at, "policy", p->policy_name, "scope", (json_int_t)p->scope,
                          "objective", (json_int_t)p->objective, "slots", (json_int_t)p->slots,
                          "filled", (json_int_t)p->filled, "cadres", (json_int_t)p->cadres);
    if (p->has_order)
        json_object_set_new(o, "order",
                            json_pack("{s:s, s:s, s:I, s:s, s:s}", "number", p->order_no,
                                      "published_at", p->published_at, "term_years",
                                      (json_int_t)p->term_years, "start", p->start, "end", p->end));
    if (p->partial)
        json_object_set_new(o, "partial", json_true());
    return o;
}

/* The plan in the URL if the caller may see it (or, `owned`, publish it);
 * 0 (and a 404 set) if not. Which plans a caller sees is plan_view_get's
 * (match/plan.h): their own, and the wider ones with a slot of theirs. */
static int64_t plan_in_scope(struct http_req *r, json_t **row, bool owned)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct plan_view pv;
    char *end = NULL;
    long long id = strtoll(r->params[0], &end, 10);
    if (!*r->params[0] || *end || id <= 0) {
        http_error(r, 404, "not_found", "no such plan");
        return 0;
    }
    if (plan_view_get(r->store, &sc, id, owned, &pv, &err) != ZC_OK) {
        http_error(r, 404, "not_found", "no plan %lld in your jurisdiction", id);
        return 0;
    }
    if (row)
        *row = plan_row(&pv);
    return id;
}

static void list_plan_row(void *ud, const struct plan_view *p)
{
    json_array_append_new(ud, plan_row(p));
}

void api_list_plans(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    json_t *items;
    if (!may_read_plans(r)) {
        http_error(r, 403, "forbidden", "plans are read by staff, inspectors and auditors");
        return;
    }
    items = json_array();
    if (plan_view_list(r->store, &sc, list_plan_row, items, &err) != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_get_plan(struct http_req *r)
{
    json_t *row = NULL;
    if (!may_read_plans(r)) {
        http_error(r, 403, "forbidden", "plans are read by staff, inspectors and auditors");
        return;
    }
    if (plan_in_scope(r, &row, false))
        http_json(r, 200, row);
}

/* ---- match -------------------------------------------------------------------- */

struct match_ctx {
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    int64_t scope;             /* division matched */
    char *policy_text;         /* the policy as used */
    char policy_name[64];      /* for messages */
    int64_t id;                /* the new plan */
    bool refill;               /* fill the vacancies of published plans only */
    int allow_moves;           /* refill: serving cadres that may move */
    struct model_summary sum;  /* its summary */
};

static void match_free(void *p)
{
    struct match_ctx *c = p;
    if (!c)
        return;
    free(c->policy_text);
    free(c);
}

static int match_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct match_ctx *c = j->req->ctx;
    struct model_options mo;
    struct policy pol;
    struct model *m = NULL;
    char target[24];
    json_t *o;
    int rc = policy_parse(c->policy_name, c->policy_text, strlen(c->policy_text), &pol, err);
    memset(&mo, 0, sizeof(mo));
    mo.policy = &pol;
    mo.scope = c->scope;
    mo.refill = c->refill;
    mo.allow_moves = c->allow_moves;
    if (rc == ZC_OK)
        rc = model_build(s, &mo, &m, err);
    if (rc == ZC_OK)
        rc = model_solve(m, err);
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    if (rc != ZC_OK) {
        model_free(m);
        return rc;
    }
    rc = plan_save(s, m, c->policy_text, &mo, &c->id, err);
    if (rc == ZC_OK && !c->scope) {
        /* An unscoped caller's plan belongs to the division it covers. */
        struct plan_meta saved = {0};
        rc = plan_get(s, c->id, &saved, err);
        c->scope = saved.scope;
    }
    if (rc == ZC_OK) {
        model_summary_get(m, &c->sum);
        o = json_pack("{s:I, s:s, s:I, s:I, s:I}", "plan", (json_int_t)c->id, "policy",
                      c->policy_name, "scope", (json_int_t)c->scope, "slots",
                      (json_int_t)c->sum.slots, "filled", (json_int_t)c->sum.filled);
        snprintf(target, sizeof(target), "plan:%lld", (long long)c->id);
        rc = api_audit_write(s, &c->who, c->addr, c->refill ? "plan.refill" : "plan.match", target,
                             c->scope, NULL, o, err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    model_free(m);
    return rc;
}

static void match_done(struct http_req *r)
{
    struct match_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "id", (json_int_t)c->id, "status",
        "draft", "kind", c->refill ? "refill" : "match", "scope", (json_int_t)c->scope, "slots",
        (json_int_t)c->sum.slots, "filled", (json_int_t)c->sum.filled, "cadres_eligible",
        (json_int_t)c->sum.cadres_eligible, "cadres_used", (json_int_t)c->sum.cadres_used,
        "villages", (json_int_t)c->sum.villages, "objective", (json_int_t)c->sum.objective);
    /* The certificate, as `zhucun match --format json` gives it. */
    json_object_set_new(o, "lower_bound",
                        c->sum.bound_known ? json_integer(c->sum.lower_bound) : json_null());
    json_object_set_new(o, "gap",
                        c->sum.bound_known ? json_integer(c->sum.objective - c->sum.lower_bound)
                                           : json_null());
    json_object_set_new(o, "arcs_priced", json_integer(c->sum.arcs_priced));
    json_object_set_new(o, "certified",
                        json_boolean(c->sum.certified && c->sum.bound_known &&
                                     c->sum.objective == c->sum.lower_bound));
    http_json(r, 201, o);
}

static char *read_file(const char *path, size_t max)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < max)
        buf_append(&b, chunk, n);
    fclose(f);
    if (b.len >= max) {
        buf_fini(&b);
        return NULL;
    }
    return b.p ? buf_steal(&b) : zc_strdup("");
}

void api_match(struct http_req *r)
{
    struct match_ctx *c;
    json_t *body, *pol, *pname, *sc;
    int64_t scope = r->who.acct.scope;
    enum division_level lv;
    if (!may_plan(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot match",
                   auth_role_name(r->who.acct.role));
        return;
    }
    body = r->data_len ? http_json_body(r) : json_object();
    if (!body)
        return;
    sc = json_object_get(body, "scope");
    if (json_is_string(sc)) {
        const char *s = json_string_value(sc);
        if (division_parse(s, strlen(s), &scope, &lv, NULL) != ZC_OK) {
            json_decref(body);
            http_error(r, 400, "invalid_input", "scope must be a division code");
            return;
        }
    }
    if (r->who.acct.scope_level && (scope < r->who.lo || scope > r->who.hi)) {
        json_decref(body);
        http_error(r, 403, "forbidden", "the scope is outside your jurisdiction");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    c->who = r->who;
    c->scope = scope;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    /* {"refill": true, "allow_moves": N}: after recalls, fill the vacancies
     * and move nobody already serving (or at most N), as match --refill. */
    c->refill = json_is_true(json_object_get(body, "refill"));
    if (json_is_integer(json_object_get(body, "allow_moves")))
        c->allow_moves = (int)json_integer_value(json_object_get(body, "allow_moves"));
    if (c->allow_moves < 0 || c->allow_moves > 100000 || (c->allow_moves && !c->refill)) {
        json_decref(body);
        match_free(c);
        http_error(r, 400, "invalid_input", "allow_moves is 0..100000 and goes with refill");
        return;
    }
    pol = json_object_get(body, "policy");
    pname = json_object_get(body, "policy_name");
    if (json_is_object(pol)) {
        /* A file chosen on the caller's computer: its own name if it has one. */
        const char *nm = json_string_value(json_object_get(pol, "name"));
        c->policy_text = json_dumps(pol, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        snprintf(c->policy_name, sizeof(c->policy_name), "%s", nm && *nm ? nm : "request");
    } else if (json_is_string(pname)) {
        /* One of the server's policy files by name (GET /policies). */
        char path[PATH_MAX];
        struct zc_error e2 = {0};
        if (policy_named_path(json_string_value(pname), path, sizeof(path), &e2) != ZC_OK) {
            json_decref(body);
            match_free(c);
            http_error(r, e2.code == ZC_ENOTFOUND ? 404 : 400,
                       e2.code == ZC_ENOTFOUND ? "not_found" : "invalid_input", "%s", e2.msg);
            return;
        }
        c->policy_text = read_file(path, 1 << 20);
        snprintf(c->policy_name, sizeof(c->policy_name), "%s", json_string_value(pname));
    } else {
        c->policy_text = read_file(policy_default_path(), 1 << 20);
        snprintf(c->policy_name, sizeof(c->policy_name), "default");
    }
    json_decref(body);
    if (!c->policy_text) {
        match_free(c);
        http_error(r, 503, "unavailable", "the policy file cannot be read");
        return;
    }
    r->ctx = c;
    r->ctx_free = match_free;
    http_defer(r, match_run, true, match_done);
}

/* GET /api/v1/policies: the policy files a match may use, by name and
 * title ("default" first), and the one the demo scenario names. */
void api_list_policies(struct http_req *r)
{
    struct zc_error err = {0};
    struct policy_entry *v = NULL;
    char scen[POLICY_NAME_MAX] = "";
    size_t n = 0;
    json_t *items;
    if (!may_read_plans(r)) {
        http_error(r, 403, "forbidden", "policies are read by staff, inspectors and auditors");
        return;
    }
    if (policy_list(&v, &n, &err) != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    if (scenario_store_policy(r->store, scen, sizeof(scen), &err) != ZC_OK) {
        free(v);
        http_zc_error(r, &err);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items,
                              json_pack("{s:s, s:s}", "name", v[i].name, "title", v[i].title));
    free(v);
    http_json(r, 200, json_pack("{s:o, s:s?}", "items", items, "scenario", scen[0] ? scen : NULL));
}

/* ---- publish -------------------------------------------------------------------- */

struct publish_ctx {
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    int64_t id;                /* plan */
    int term;                  /* years */
    char start[16];            /* YYYY-MM-DD */
    struct plan_meta meta;     /* after publishing */
};

static int publish_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct publish_ctx *c = j->req->ctx;
    char target[24];
    json_t *o;
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = plan_publish(s, c->id, c->term, c->start, &c->meta, err);
    if (rc == ZC_OK) {
        o = json_pack("{s:I, s:s, s:i, s:s}", "plan", (json_int_t)c->id, "order", c->meta.order_no,
                      "term_years", c->term, "start", c->start);
        snprintf(target, sizeof(target), "plan:%lld", (long long)c->id);
        rc = api_audit_write(s, &c->who, c->addr, "plan.publish", target, c->meta.scope,
                             "{\"status\":\"draft\"}", o, err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void publish_done(struct http_req *r)
{
    struct publish_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)c->id, "status", c->meta.status,
                        "order", c->meta.order_no, "term_years", c->meta.term_years));
}

void api_publish(struct http_req *r)
{
    struct publish_ctx *c;
    json_t *body;
    const char *start = NULL;
    int term = 2;
    int64_t id;
    if (!may_plan(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot publish",
                   auth_role_name(r->who.acct.role));
        return;
    }
    id = plan_in_scope(r, NULL, true);
    if (!id)
        return;
    body = http_json_body(r);
    if (!body)
        return;
    if (json_unpack(body, "{s:s, s?i}", "start", &start, "term_years", &term) != 0 ||
        strlen(start) != 10 || term < 1 || term > 3) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"start\": \"YYYY-MM-DD\", \"term_years\": 1..3}");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    c->who = r->who;
    c->id = id;
    c->term = term;
    snprintf(c->start, sizeof(c->start), "%s", start);
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    json_decref(body);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, publish_run, true, publish_done);
}

/* ---- recall (召回撤换) -------------------------------------------------------------- */

struct recall_ctx {
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    char id_number[19];        /* the cadre recalled */
    char reason[256];          /* why */
    char date[16];             /* YYYY-MM-DD */
    int64_t village;           /* the village left */
    bool vacancy;              /* a plan's post became vacant (refill can fill it) */
};

static int recall_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct recall_ctx *c = j->req->ctx;
    char target[40], masked[24];
    json_t *o;
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = plan_recall(s, c->id_number, c->reason, c->date, &c->village, &c->vacancy, err);
    if (rc == ZC_OK) {
        idcard_mask(c->id_number, masked, sizeof(masked));
        o = json_pack("{s:s, s:I, s:s, s:s}", "cadre", masked, "village", (json_int_t)c->village,
                      "reason", c->reason, "date", c->date);
        snprintf(target, sizeof(target), "cadre:%s", masked);
        rc = api_audit_write(s, &c->who, c->addr, "plan.recall", target, c->village,
                             "{\"status\":\"serving\"}", o, err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void recall_done(struct http_req *r)
{
    struct recall_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:s, s:I, s:s}", "status", "vacant", "village", (json_int_t)c->village,
                        "date", c->date));
}

/* POST /api/v1/recalls {"cadre": ID_NUMBER, "reason": TEXT, "date": "YYYY-MM-DD"}:
 * ends a serving cadre's posting and leaves the slot vacant for a refill.
 * The cadre's current village must be in the caller's jurisdiction. */
void api_recall(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct recall_ctx *c;
    const char *cadre = NULL, *reason = "", *date = NULL;
    char id[19], idbuf[32] = "";
    json_t *body, *jc;
    int64_t village = 0;
    int y, mo, d;

    if (!may_plan(r) || !http_sees_id_numbers(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot recall cadres",
                   auth_role_name(r->who.acct.role));
        return;
    }
    body = http_json_body(r);
    if (!body)
        return;
    /* "cadre" is the ID number, or the cadre's record id (as the plan
     * pages list them). */
    jc = json_object_get(body, "cadre");
    if (json_is_string(jc)) {
        cadre = json_string_value(jc);
    } else if (json_is_integer(jc) &&
               plan_cadre_id_number(r->store, (int64_t)json_integer_value(jc), idbuf, sizeof(idbuf),
                                    &err) == ZC_OK &&
               idbuf[0]) {
        cadre = idbuf;
    }
    if (json_unpack(body, "{s?s, s?s}", "reason", &reason, "date", &date) != 0 || !cadre ||
        idcard_normalize(cadre, strlen(cadre), id, &err) != ZC_OK || strlen(reason) > 200 ||
        (date && strlen(date) != 10)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"cadre\": ID_NUMBER or id, \"reason\": TEXT (at most 200 bytes), "
                   "\"date\": \"YYYY-MM-DD\"}%s%s",
                   err.msg[0] ? ": " : "", err.msg);
        return;
    }
    /* Scope: where the cadre serves now; out of scope answers like absent. */
    if (plan_serving_village(r->store, &sc, id, &village, &err) != ZC_OK) {
        json_decref(body);
        http_error(r, 404, "not_found", "no cadre serving in your jurisdiction has that number");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    memcpy(c->id_number, id, sizeof(id));
    snprintf(c->reason, sizeof(c->reason), "%s", reason);
    if (date) {
        snprintf(c->date, sizeof(c->date), "%s", date);
    } else {
        registry_today(&y, &mo, &d);
        snprintf(c->date, sizeof(c->date), "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
    }
    json_decref(body);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, recall_run, true, recall_done);
}

/* ---- rotation (轮换) and extension (不脱贫不脱钩) ----------------------------------- */

struct term_ctx {
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    int64_t id;                /* plan */
    int64_t villages[256];     /* selected, or none (all the order's) */
    size_t nvillages;
    char on[16]; /* rotate: YYYY-MM-DD, or "" for the term's end; extend: the new end */
    char reason[256];
    char at[32]; /* when, UTC */
    bool keep;
    struct plan_rotated out;
    struct plan_extended ext;
};

static json_t *term_villages_json(const struct term_ctx *c)
{
    json_t *vs = json_array();
    for (size_t k = 0; k < c->nvillages; k++)
        json_array_append_new(vs, json_integer((json_int_t)c->villages[k]));
    return vs;
}

static int term_finish(struct store *s, int rc, struct zc_error *err)
{
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

/* ---- discard (放弃草案) ---------------------------------------------------------------- */

struct discard_ctx {
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    int64_t id;                /* plan */
    int64_t scope;             /* its division */
};

static int discard_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct discard_ctx *c = j->req->ctx;
    char target[24];
    int rc = store_begin(s, err);
    snprintf(target, sizeof(target), "plan:%lld", (long long)c->id);
    if (rc == ZC_OK)
        rc = plan_discard(s, c->id, err);
    if (rc == ZC_OK)
        rc = api_audit_write(s, &c->who, c->addr, "plan.discard", target, c->scope,
                             "{\"status\":\"draft\"}",
                             json_pack("{s:I}", "plan", (json_int_t)c->id), err);
    return term_finish(s, rc, err);
}

static void discard_done(struct http_req *r)
{
    struct discard_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)c->id, "status", "discarded"));
}

/* DELETE /api/v1/plans/:id: a draft discarded (放弃草案), as `zhucun plan
 * discard`, by staff whose jurisdiction holds the plan's scope; 409 for a
 * published or discarded plan (plan_discard's words), audited plan.discard. */
void api_discard(struct http_req *r)
{
    struct discard_ctx *c;
    json_t *row = NULL;
    int64_t id;
    if (!may_plan(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot discard a plan",
                   auth_role_name(r->who.acct.role));
        return;
    }
    id = plan_in_scope(r, &row, true);
    if (!id)
        return;
    c = zc_calloc(1, sizeof(*c));
    c->who = r->who;
    c->id = id;
    c->scope = (int64_t)json_integer_value(json_object_get(row, "scope"));
    json_decref(row);
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, discard_run, true, discard_done);
}

static int rotate_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct term_ctx *c = j->req->ctx;
    struct plan_rotation ro = {.villages = c->nvillages ? c->villages : NULL,
                               .nvillages = c->nvillages,
                               .on = c->on[0] ? c->on : NULL,
                               .keep_cadres = c->keep,
                               .reason = c->reason,
                               .by = c->who.acct.name,
                               .at = c->at};
    char target[24];
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = plan_rotate(s, c->id, &ro, &c->out, err);
    if (rc == ZC_OK) {
        snprintf(target, sizeof(target), "plan:%lld", (long long)c->id);
        rc = api_audit_write(
            s, &c->who, c->addr, "plan.rotate", target, c->out.scope, NULL,
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:s,s:I,s:I}", "plan", (json_int_t)c->id, "on",
                      c->out.day, "from", c->out.old_end, "to", c->out.new_end, "villages",
                      term_villages_json(c), "keep_cadres", c->keep, "reason", c->reason,
                      "postings", (json_int_t)c->out.postings, "slots", (json_int_t)c->out.slots),
            err);
    }
    return term_finish(s, rc, err);
}

static void rotate_done(struct http_req *r)
{
    struct term_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)c->id,
                        "order", c->out.order_no, "on", c->out.day, "old_end", c->out.old_end,
                        "new_end", c->out.new_end, "villages", (json_int_t)c->out.villages,
                        "postings", (json_int_t)c->out.postings, "slots",
                        (json_int_t)c->out.slots));
}

static int extend_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct term_ctx *c = j->req->ctx;
    struct plan_extension x = {.villages = c->nvillages ? c->villages : NULL,
                               .nvillages = c->nvillages,
                               .until = c->on,
                               .reason = c->reason,
                               .by = c->who.acct.name,
                               .at = c->at};
    char target[24];
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = plan_extend(s, c->id, &x, &c->ext, err);
    if (rc == ZC_OK) {
        snprintf(target, sizeof(target), "plan:%lld", (long long)c->id);
        rc = api_audit_write(s, &c->who, c->addr, "plan.extend", target, c->ext.scope, NULL,
                             json_pack("{s:I,s:s,s:s,s:o,s:s,s:I}", "plan", (json_int_t)c->id,
                                       "from", c->ext.old_end, "to", c->on, "villages",
                                       term_villages_json(c), "reason", c->reason, "postings",
                                       (json_int_t)c->ext.postings),
                             err);
    }
    return term_finish(s, rc, err);
}

static void extend_done(struct http_req *r)
{
    struct term_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)c->id, "order",
                        c->ext.order_no, "old_end", c->ext.old_end, "new_end", c->on, "villages",
                        (json_int_t)c->ext.villages, "postings", (json_int_t)c->ext.postings));
}

/* The common part of a term's rotation or extension over HTTP: the caller
 * may plan and sees plan :id; the body's "villages" (each inside the
 * caller's jurisdiction; required unless the plan is the caller's own,
 * matched inside it), "reason", and the day under `day_key` ("on" or
 * "until"). Returns the context, or NULL having answered. */
static struct term_ctx *term_request(struct http_req *r, const char *verb, const char *day_key,
                                     bool day_required, json_t **body_out)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct plan_view pv;
    struct term_ctx *c;
    const char *day = NULL, *reason = "";
    json_t *body, *vs = NULL, *v;
    bool owned;
    size_t k;
    int64_t id;
    time_t now = time(NULL);
    struct tm tm;

    if (!may_plan(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot %s a term",
                   auth_role_name(r->who.acct.role), verb);
        return NULL;
    }
    id = plan_in_scope(r, NULL, false);
    if (!id)
        return NULL;
    owned = plan_view_get(r->store, &sc, id, true, &pv, &err) == ZC_OK;
    body = r->data_len ? http_json_body(r) : json_object();
    if (!body)
        return NULL;
    vs = json_object_get(body, "villages");
    v = json_object_get(body, day_key);
    day = json_is_string(v) ? json_string_value(v) : NULL;
    v = json_object_get(body, "reason");
    reason = json_is_string(v) ? json_string_value(v) : reason;
    if ((vs && (!json_is_array(vs) || json_array_size(vs) > 256)) || (v && !json_is_string(v)) ||
        strlen(reason) > 200 || (json_object_get(body, day_key) && (!day || strlen(day) != 10)) ||
        (day_required && !day)) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"villages\": [village codes, at most 256], \"%s\": "
                   "\"YYYY-MM-DD\"%s, \"reason\": TEXT (at most 200 bytes)}",
                   day_key, strcmp(verb, "rotate") == 0 ? ", \"keep_cadres\": true|false" : "");
        return NULL;
    }
    c = zc_calloc(1, sizeof(*c));
    json_array_foreach(vs, k, v)
    {
        enum division_level lv;
        int64_t code = 0;
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        char buf[24];
        if (json_is_integer(v)) {
            snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
            s = buf;
        }
        if (!s || division_parse(s, strlen(s), &code, &lv, NULL) != ZC_OK || lv != DIV_VILLAGE) {
            json_decref(body);
            free(c);
            http_error(r, 400, "invalid_input", "villages are 12-digit village codes");
            return NULL;
        }
        if (!zc_scope_has(&sc, code)) {
            json_decref(body);
            free(c);
            http_error(r, 403, "forbidden", "village %lld is outside your jurisdiction",
                       (long long)code);
            return NULL;
        }
        c->villages[c->nvillages++] = code;
    }
    if (!owned && !c->nvillages) {
        json_decref(body);
        free(c);
        http_error(r, 403, "forbidden",
                   "plan %lld reaches beyond your jurisdiction: name the villages of yours to "
                   "%s",
                   (long long)id, verb);
        return NULL;
    }
    c->who = r->who;
    c->id = id;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    snprintf(c->on, sizeof(c->on), "%s", day ? day : "");
    snprintf(c->reason, sizeof(c->reason), "%s", reason);
    gmtime_r(&now, &tm);
    strftime(c->at, sizeof(c->at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    *body_out = body;
    return c;
}

/* POST /api/v1/plans/:id/rotate {"villages": [CODE, ...], "on": "YYYY-MM-DD",
 * "keep_cadres": BOOL, "reason": TEXT}: as `zhucun plan rotate`. The caller
 * rotates a plan of their own (matched inside their jurisdiction) in any of
 * its villages; a wider plan they see, only in villages they name, each
 * inside their jurisdiction. */
void api_rotate(struct http_req *r)
{
    json_t *body = NULL, *keep;
    struct term_ctx *c = term_request(r, "rotate", "on", false, &body);
    if (!c)
        return;
    keep = json_object_get(body, "keep_cadres");
    if (keep && !json_is_boolean(keep)) {
        json_decref(body);
        free(c);
        http_error(r, 400, "invalid_input", "keep_cadres is true or false");
        return;
    }
    c->keep = json_is_true(keep);
    json_decref(body);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, rotate_run, true, rotate_done);
}

/* POST /api/v1/plans/:id/extend {"villages": [CODE, ...], "until":
 * "YYYY-MM-DD", "reason": TEXT}: as `zhucun plan extend` (不脱贫不脱钩),
 * with the same jurisdiction rule as a rotation. */
void api_extend(struct http_req *r)
{
    json_t *body = NULL;
    struct term_ctx *c = term_request(r, "extend", "until", true, &body);
    if (!c)
        return;
    json_decref(body);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, extend_run, true, extend_done);
}

/* ---- who holds the posts (挂职) --------------------------------------------------- */

static void holder_json(void *ud, const struct plan_post_holder *h)
{
    json_array_append_new(ud, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "post", h->post,
                                        "division", (json_int_t)h->division, "cadre",
                                        (json_int_t)h->cadre, "name", h->name, "unit_name",
                                        h->unit_name, "start", h->start, "term_end", h->term_end));
}

/* GET /api/v1/post-holders: the cadres holding a seat of a post in the
 * caller's jurisdiction now, by division and post (the posts page). */
void api_post_holders(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    json_t *items;
    if (!may_read_plans(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot read the posts' holders",
                   auth_role_name(r->who.acct.role));
        return;
    }
    items = json_array();
    if (plan_post_holders(r->store, &sc, holder_json, items, &err) != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- explain ---------------------------------------------------------------------- */

static json_t *explain_cadre_json(const struct explain_cadre *e)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s}", "plan", (json_int_t)e->plan, "id_number",
                          e->id_number, "name", e->name, "unit", e->unit);
    if (e->assigned) {
        json_object_set_new(j, "assigned", json_true());
        json_object_set_new(j, "village", json_integer(e->village));
        json_object_set_new(j, "village_name", json_string(e->village_name));
        json_object_set_new(j, "role", json_string(e->role));
        if (e->post_code[0]) { /* a post's seat (挂职) */
            json_object_set_new(j, "post", json_string(e->post_code));
            json_object_set_new(j, "post_title", json_string(e->post_title));
        }
        json_object_set_new(j, "score", json_integer(e->score));
        json_object_set_new(j, "breakdown", json_string(e->sc.breakdown));
        json_object_set_new(j, "dual", json_integer(e->dual));
    } else if (!e->why_not) {
        json_object_set_new(j, "assigned", json_false());
        if (e->outcome == EX_NOT_SENT) {
            json_object_set_new(j, "reason", json_string(e->why.code));
            json_object_set_new(j, "zh", json_string(e->why.zh));
            json_object_set_new(j, "en", json_string(e->why.en));
        } else if (e->outcome == EX_NOT_ELIGIBLE) {
            json_t *arr = json_array();
            for (int k = 0; k < e->nrules; k++)
                json_array_append_new(arr, json_string(e->rules[k].code));
            json_object_set_new(j, "reason", json_string("not_eligible"));
            json_object_set_new(j, "eligibility", arr);
        } else {
            json_object_set_new(j, "reason", json_string("out_of_scope"));
        }
    }
    if (e->why_not) {
        json_object_set_new(j, "why_not", json_integer(e->why_not));
        json_object_set_new(j, "answer", json_string(e->answer));
    }
    return j;
}

static json_t *explain_village_json(const struct explain_village *v)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < v->nslots; i++) {
        const struct explain_slot *s = &v->slots[i];
        json_t *o = json_pack("{s:I, s:s, s:s, s:b}", "seq", (json_int_t)s->seq, "role", s->role,
                              "need", s->need, "filled", s->filled);
        if (s->post_code[0]) { /* a post's seat (挂职) */
            json_object_set_new(o, "post", json_string(s->post_code));
            json_object_set_new(o, "post_title", json_string(s->post_title));
        }
        if (s->filled) {
            json_object_set_new(o, "id_number", json_string(s->id_number));
            json_object_set_new(o, "name", json_string(s->name));
            json_object_set_new(o, "score", json_integer(s->score));
            json_object_set_new(o, "breakdown", json_string(s->sc.breakdown));
            if (s->qualification[0]) /* without the leading ';' */
                json_object_set_new(o, "qualification", json_string(s->qualification + 1));
        } else {
            json_object_set_new(o, "reason", json_string(s->why.code));
            json_object_set_new(o, "en", json_string(s->why.en));
        }
        json_object_set_new(o, "dual", json_integer(s->dual));
        json_array_append_new(arr, o);
    }
    return json_pack("{s:I, s:I, s:o}", "plan", (json_int_t)v->plan, "village",
                     (json_int_t)v->village, "slots", arr);
}

json_t *http_explain_json(const struct explain_cadre *c, const struct explain_village *v)
{
    return c ? explain_cadre_json(c) : explain_village_json(v);
}

void api_explain(struct http_req *r)
{
    struct zc_error err = {0};
    const char *vs = http_arg(r, "village"), *cs = http_arg(r, "cadre");
    struct explain_village ev = {0};
    struct explain_cadre *ec = NULL;
    int64_t id, village = 0;
    enum division_level lv;
    int rc;
    if (!may_read_plans(r)) {
        http_error(r, 403, "forbidden", "plans are read by staff, inspectors and auditors");
        return;
    }
    id = plan_in_scope(r, NULL, false);
    if (!id)
        return;
    if ((!vs) == (!cs)) {
        http_error(r, 400, "invalid_input",
                   "explain one village (?village=CODE) or one cadre "
                   "(?cadre=ID_NUMBER)");
        return;
    }
    if (vs && (division_parse(vs, strlen(vs), &village, &lv, NULL) != ZC_OK ||
               (r->who.acct.scope_level && (village < r->who.lo || village > r->who.hi)))) {
        http_error(r, 404, "not_found", "no such village in your jurisdiction");
        return;
    }
    if (cs && !http_sees_id_numbers(r)) {
        http_error(r, 403, "forbidden", "explaining a cadre needs a role that sees ID numbers");
        return;
    }
    /* Only a cadre the caller may see (issue 17: the explanation names the
     * cadre's unit, discipline and age, an oracle for any ID number). */
    if (cs) {
        struct zc_scope sc = http_scope_value(r);
        rc = registry_cadre_visible(r->store, &sc, cs, &err);
        if (rc != ZC_OK) {
            if (rc == ZC_ENOTFOUND)
                http_error(r, 404, "not_found", "no such cadre in your jurisdiction");
            else
                http_zc_error(r, &err);
            return;
        }
        ec = zc_malloc(sizeof(*ec));
        rc = explain_cadre(r->store, id, cs, 0, ec, &err);
    } else {
        rc = explain_village(r->store, id, village, false, &ev, &err);
    }
    if (rc == ZC_OK)
        http_json(r, 200, http_explain_json(ec, &ev));
    else
        http_zc_error(r, &err);
    free(ec);
    explain_village_free(&ev);
}
