/* SPDX-License-Identifier: MIT */
/* api_pin.c - direct nomination (点将) and the unit responsible for a
 * village (包村) over HTTP, as `zhucun pin` and `zhucun pair`.
 *
 * GET /pins and /pairs list the villages of the caller's jurisdiction
 * (pin_list, pair_list with its division). A write names a village (or,
 * for a pin to a post, the post's county or township) inside the
 * jurisdiction, checked here in C (403 otherwise), by a role that may plan
 * (staff, admin); it runs on the writer with its audit entry (pin.add,
 * pin.remove, pair.add, pair.remove, as the CLI writes them) in the same
 * transaction. A pin is then checked as `match` checks it: the model of the
 * caller's jurisdiction (an unscoped caller: the village's county) is
 * built with the policy (the body's policy_name, else the demo scenario's,
 * else the default) and, when a pin breaks a hard rule, the write is rolled
 * back and answered 409 with the pin and the rule in match's words
 * (model_build -> model_load_pins, match/pin.c); nothing of the rules is
 * repeated here. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "base/division.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "match/model.h"
#include "match/plan.h"
#include "registry/registry.h"
#include "scenario/scenario.h"
#include "store/store.h"

/* Staff, admin, inspectors and auditors read the pins; not cadres and not
 * sending units (whose accounts have no division). */
static bool refuse_reader(struct http_req *r, const char *what)
{
    if (r->authed && r->who.acct.role != AUTH_CADRE && r->who.acct.role != AUTH_UNIT)
        return false;
    http_error(r, 403, "forbidden", "your role (%s) cannot read the %s",
               auth_role_name(r->who.acct.role), what);
    return true;
}

/* {"items": [...]}, or the list's error. */
static void answer_items(struct http_req *r, json_t *items, int rc, const struct zc_error *err)
{
    if (rc == ZC_OK) {
        http_json(r, 200, json_pack("{s:o}", "items", items));
    } else {
        json_decref(items);
        http_zc_error(r, err);
    }
}

/* The division code pin_list / pair_list take: the jurisdiction, 0 = all. */
static int64_t list_scope(const struct http_req *r)
{
    return r->who.acct.scope_level ? r->who.acct.scope : 0;
}

static bool refuse_writer(struct http_req *r, const char *what)
{
    if (http_can_write(r))
        return false;
    http_error(r, 403, "forbidden", "你的角色 (%s) 不能%s / your role (%s) cannot change them",
               auth_role_name(r->who.acct.role), what, auth_role_name(r->who.acct.role));
    return true;
}

static void now_utc(char at[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A village code from a JSON string or integer, or 0. */
static int64_t village_of(const json_t *v)
{
    char buf[24];
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    int64_t code = 0;
    enum division_level lv;
    if (json_is_integer(v)) {
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
        s = buf;
    }
    if (!s || division_parse(s, strlen(s), &code, &lv, NULL) != ZC_OK || lv != DIV_VILLAGE)
        return 0;
    return code;
}

/* Mask every copy of the full ID number `idn` in msg (match's messages name
 * the pin by it), as the lists show it. */
static void mask_in(char *msg, size_t n, const char *idn)
{
    char masked[32], *p;
    size_t len = strlen(idn);
    idcard_mask(idn, masked, sizeof(masked));
    if (len == 0 || strlen(masked) != len)
        return;
    while ((p = strstr(msg, idn)) != NULL && (size_t)(p - msg) + len <= n)
        memcpy(p, masked, len);
}

/* ---- pins (点将) ----------------------------------------------------------------- */

struct pin_list_ctx {
    json_t *items;
    const struct http_req *r;
};

static void pin_row(void *ud, const struct pin_info *p)
{
    struct pin_list_ctx *c = ud;
    char masked[32];
    json_t *o;
    if (c->r->who.acct.scope_level && (p->village < c->r->who.lo || p->village > c->r->who.hi))
        return;
    idcard_mask(p->id_number, masked, sizeof(masked));
    o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "cadre", (json_int_t)p->cadre,
                  "id_number", masked, "name", p->name, "village", (json_int_t)p->village,
                  "village_name", p->village_name, "role", p->role, "note", p->note, "by", p->by,
                  "at", p->at);
    json_object_set_new(o, "role_zh",
                        json_string(p->post ? "挂职"
                                    : p->role[0]
                                        ? model_role_zh((enum model_role)model_role_parse(p->role))
                                        : "任一岗位"));
    if (p->post) { /* a pin to a post above the village (挂职) */
        json_object_set_new(o, "post", json_string(p->post_code));
        json_object_set_new(o, "post_title", json_string(p->post_title));
    }
    json_array_append_new(c->items, o);
}

/* GET /api/v1/pins: the pins of the jurisdiction's villages (and posts), by
 * village: the cadre (record id, masked ID number, name), the village, the
 * role ("" = any) or the post, the note, who pinned and when. */
void api_list_pins(struct http_req *r)
{
    struct zc_error err = {0};
    struct pin_list_ctx c = {NULL, r};
    int rc;
    if (refuse_reader(r, "pins (点将)"))
        return;
    c.items = json_array();
    rc = pin_list(r->store, list_scope(r), pin_row, &c, &err);
    answer_items(r, c.items, rc, &err);
}

struct pin_ctx {
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    char id_number[IDCARD_LEN + 1];
    char masked[32];
    int64_t village;  /* the village, or the post's division */
    char post[65];    /* a pin to a post: its code */
    char role[20];    /* "" = any */
    char note[256];   /* why */
    char policy[64];  /* the policy the pins are checked with: a name, "" = the scenario's */
    int64_t scope;    /* the model checked: the caller's jurisdiction or the village's county */
    bool add;         /* add or remove */
    char checked[64]; /* the policy used */
};

/* The policy the pins are checked with: the named one, else the demo
 * scenario's, else the default. */
static int check_policy(struct store *s, struct pin_ctx *c, struct policy *pol,
                        struct zc_error *err)
{
    char path[PATH_MAX];
    int rc = ZC_OK;
    if (!c->policy[0])
        rc = scenario_store_policy(s, c->policy, sizeof(c->policy), err);
    if (rc == ZC_OK && c->policy[0])
        rc = policy_named_path(c->policy, path, sizeof(path), err);
    else if (rc == ZC_OK)
        snprintf(path, sizeof(path), "%s", policy_default_path());
    snprintf(c->checked, sizeof(c->checked), "%s", c->policy[0] ? c->policy : "default");
    return rc == ZC_OK ? policy_load_file(path, pol, err) : rc;
}

static int pin_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct pin_ctx *c = j->req->ctx;
    struct policy pol;
    struct model_options mo;
    struct model *m = NULL;
    char at[32], target[48];
    int rc;
    now_utc(at);
    snprintf(target, sizeof(target), "pin:%s", c->masked);
    rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    if (c->add) {
        rc = pin_put(s, c->id_number, c->village, c->post[0] ? c->post : NULL, c->role, c->note,
                     c->who.acct.name, at, err);
        /* As `match` would: the pins of the model with this one, each against
         * the hard rules (match/pin.c); the first that breaks one refuses. */
        if (rc == ZC_OK)
            rc = check_policy(s, c, &pol, err);
        if (rc == ZC_OK) {
            memset(&mo, 0, sizeof(mo));
            mo.policy = &pol;
            mo.scope = c->scope;
            rc = model_build(s, &mo, &m, err);
            model_free(m);
            if (rc == ZC_ECONFLICT)
                mask_in(err->msg, sizeof(err->msg), c->id_number);
        }
        if (rc == ZC_OK)
            rc = api_audit_write(s, &c->who, c->addr, "pin.add", target, c->village, NULL,
                                 json_pack("{s:s,s:I,s:s,s:s,s:s}", "cadre", c->masked, "village",
                                           (json_int_t)c->village, "post", c->post, "role", c->role,
                                           "note", c->note),
                                 err);
    } else {
        rc = pin_remove(s, c->id_number, err);
        if (rc == ZC_OK)
            rc = api_audit_write(s, &c->who, c->addr, "pin.remove", target, c->village, NULL,
                                 json_pack("{s:s}", "cadre", c->masked), err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void pin_done(struct http_req *r)
{
    struct pin_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    if (!c->add) {
        http_json(r, 200, json_pack("{s:s, s:b}", "id_number", c->masked, "removed", 1));
        return;
    }
    http_json(r, 201,
              json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "id_number", c->masked, "village",
                        (json_int_t)c->village, "role", c->role, "post", c->post, "note", c->note,
                        "checked_with", c->checked));
}

/* The cadre of a request: an ID number, or the cadre's record id (as the
 * lists give it), into c->id_number; false having answered 400 if neither. */
static bool pin_cadre(struct http_req *r, const json_t *v, const char *text, struct pin_ctx *c)
{
    struct zc_error err = {0};
    char idbuf[32] = "";
    char *end = NULL;
    long long id;
    if (json_is_integer(v) || (text && *text && strlen(text) < 12)) {
        id = json_is_integer(v) ? (long long)json_integer_value(v) : strtoll(text, &end, 10);
        if (end && *end) {
            http_error(r, 400, "invalid_input",
                       "cadre: '%s' 不是身份证号或干部记录号 / is no ID number or record id", text);
            return false;
        }
        if (id <= 0 ||
            plan_cadre_id_number(r->store, (int64_t)id, idbuf, sizeof(idbuf), &err) != ZC_OK ||
            !idbuf[0]) {
            http_error(r, 404, "not_found", "cadre: 没有记录号为 %lld 的干部 / no cadre %lld", id,
                       id);
            return false;
        }
        text = idbuf;
    } else if (json_is_string(v)) {
        text = json_string_value(v);
    }
    if (!text || idcard_normalize(text, strlen(text), c->id_number, &err) != ZC_OK) {
        http_error(r, 400, "invalid_input",
                   "cadre: 需要身份证号或干部记录号 / the cadre's ID number or record id%s%s",
                   err.msg[0] ? ": " : "", err.msg);
        return false;
    }
    idcard_mask(c->id_number, c->masked, sizeof(c->masked));
    return true;
}

/* POST /api/v1/pins {"cadre": ID_NUMBER or record id, "village": CODE,
 * "role": ROLE, "note": TEXT} or {"cadre", "post": POST_CODE, "note"}, and
 * optionally "policy_name" (the policy the pin is checked with). One pin a
 * cadre: a second replaces the first (as `zhucun pin add`). */
void api_create_pins(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct pin_ctx *c;
    json_t *body, *v;
    const char *role = "", *note = "", *post = NULL, *pname = NULL;
    if (refuse_writer(r, "点将"))
        return;
    body = http_json_body(r);
    if (!body)
        return;
    c = zc_calloc(1, sizeof(*c));
    c->add = true;
    if (!pin_cadre(r, json_object_get(body, "cadre"), NULL, c))
        goto out;
    if (json_unpack(body, "{s?s, s?s, s?s, s?s}", "role", &role, "note", &note, "post", &post,
                    "policy_name", &pname) != 0 ||
        strlen(role) >= sizeof(c->role) || strlen(note) > 200 ||
        (post && strlen(post) >= sizeof(c->post)) ||
        (pname && strlen(pname) >= sizeof(c->policy))) {
        http_error(r, 400, "invalid_input",
                   "role, note (at most 200 bytes), post and policy_name are strings");
        goto out;
    }
    v = json_object_get(body, "village");
    if (post && *post && v) {
        http_error(r, 400, "invalid_input",
                   "village: 点将到挂职岗位时不填村 / a pin names a village or a post, not both");
        goto out;
    }
    if (post && *post) {
        struct registry_post p;
        if (registry_post_get(r->store, post, &p, &err) != ZC_OK) {
            http_error(r, 404, "not_found", "post: 没有编号为 %s 的挂职岗位 / no post with code %s",
                       post, post);
            goto out;
        }
        c->village = p.division;
        snprintf(c->post, sizeof(c->post), "%s", p.code);
    } else if (!(c->village = village_of(v))) {
        http_error(r, 400, "invalid_input",
                   "village: 需要12位村级区划代码 / a 12-digit village code (or a post)");
        goto out;
    }
    if (!zc_scope_has(&sc, c->village)) {
        http_error(r, 403, "forbidden",
                   "village: %lld 不在你的管辖范围 / outside your jurisdiction",
                   (long long)c->village);
        goto out;
    }
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    snprintf(c->role, sizeof(c->role), "%s", role);
    snprintf(c->note, sizeof(c->note), "%s", note);
    snprintf(c->policy, sizeof(c->policy), "%s", pname ? pname : "");
    c->scope = r->who.acct.scope_level ? r->who.acct.scope : c->village / 1000000 * 1000000;
    json_decref(body);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, pin_run, true, pin_done);
    return;
out:
    json_decref(body);
    free(c);
}

struct pin_find {
    const char *id_number;
    int64_t village;
    bool found;
};

static void pin_find_row(void *ud, const struct pin_info *p)
{
    struct pin_find *f = ud;
    if (strcmp(p->id_number, f->id_number) == 0) {
        f->found = true;
        f->village = p->village;
    }
}

/* DELETE /api/v1/pins/:cadre: the cadre's pin (the record id as the list
 * gives it, or the ID number) removed, as `zhucun pin remove --cadre`; 404
 * unless the pin is in the caller's jurisdiction. */
void api_delete_pins(struct http_req *r)
{
    struct zc_error err = {0};
    struct pin_ctx *c;
    struct pin_find f = {0};
    if (refuse_writer(r, "撤销点将"))
        return;
    c = zc_calloc(1, sizeof(*c));
    if (!pin_cadre(r, NULL, r->params[0], c)) {
        free(c);
        return;
    }
    f.id_number = c->id_number;
    if (pin_list(r->store, list_scope(r), pin_find_row, &f, &err) != ZC_OK) {
        free(c);
        http_zc_error(r, &err);
        return;
    }
    if (!f.found || (r->who.acct.scope_level && (f.village < r->who.lo || f.village > r->who.hi))) {
        http_error(r, 404, "not_found", "cadre: %s 在你的管辖范围内没有点将 / no pin of %s here",
                   c->masked, c->masked);
        free(c);
        return;
    }
    c->village = f.village;
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, pin_run, true, pin_done);
}

/* ---- 包村: the unit responsible for a village ----------------------------------- */

static void pair_row(void *ud, const struct pair_info *p)
{
    struct pin_list_ctx *c = ud;
    if (c->r->who.acct.scope_level && (p->village < c->r->who.lo || p->village > c->r->who.hi))
        return;
    json_array_append_new(c->items,
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "village",
                                    (json_int_t)p->village, "village_name", p->village_name, "unit",
                                    p->unit, "unit_name", p->unit_name, "note", p->note, "by",
                                    p->by, "at", p->at));
}

/* GET /api/v1/pairs: the responsible units of the jurisdiction's villages. */
void api_list_pairs(struct http_req *r)
{
    struct zc_error err = {0};
    struct pin_list_ctx c = {NULL, r};
    int rc;
    if (refuse_reader(r, "包村"))
        return;
    c.items = json_array();
    rc = pair_list(r->store, list_scope(r), pair_row, &c, &err);
    answer_items(r, c.items, rc, &err);
}

struct pair_ctx {
    struct auth_principal who;
    char addr[64];
    int64_t village;
    char unit[32];
    char note[256];
    bool add;
};

static int pair_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct pair_ctx *c = j->req->ctx;
    char at[32], target[40];
    int rc = store_begin(s, err);
    now_utc(at);
    snprintf(target, sizeof(target), "village:%lld", (long long)c->village);
    if (rc == ZC_OK)
        rc = c->add ? pair_put(s, c->village, c->unit, c->note, c->who.acct.name, at, err)
                    : pair_remove(s, c->village, err);
    if (rc == ZC_OK)
        rc = api_audit_write(s, &c->who, c->addr, c->add ? "pair.add" : "pair.remove", target,
                             c->village, NULL,
                             c->add ? json_pack("{s:I,s:s,s:s}", "village", (json_int_t)c->village,
                                                "unit", c->unit, "note", c->note)
                                    : json_pack("{s:I}", "village", (json_int_t)c->village),
                             err);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void pair_done(struct http_req *r)
{
    struct pair_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK)
        http_zc_error(r, &r->job->err);
    else if (c->add)
        http_json(r, 201,
                  json_pack("{s:I, s:s, s:s}", "village", (json_int_t)c->village, "unit", c->unit,
                            "note", c->note));
    else
        http_json(r, 200, json_pack("{s:I, s:b}", "village", (json_int_t)c->village, "removed", 1));
}

/* The village of a 包村 write, inside the jurisdiction; false having answered. */
static bool pair_village(struct http_req *r, const json_t *v, struct pair_ctx *c)
{
    struct zc_scope sc = http_scope_value(r);
    if (!(c->village = village_of(v))) {
        http_error(r, 400, "invalid_input",
                   "village: 需要12位村级区划代码 / a 12-digit village code");
        return false;
    }
    if (!zc_scope_has(&sc, c->village)) {
        http_error(r, 403, "forbidden",
                   "village: %lld 不在你的管辖范围 / outside your jurisdiction",
                   (long long)c->village);
        return false;
    }
    return true;
}

/* POST /api/v1/pairs {"village": CODE, "unit": UNIT_CODE, "note": TEXT}:
 * the village's responsible unit (replaces the one recorded). */
void api_create_pairs(struct http_req *r)
{
    const char *unit = NULL, *note = "";
    struct pair_ctx *c;
    json_t *body;
    if (refuse_writer(r, "登记包村"))
        return;
    body = http_json_body(r);
    if (!body)
        return;
    c = zc_calloc(1, sizeof(*c));
    c->add = true;
    if (!pair_village(r, json_object_get(body, "village"), c)) {
        json_decref(body);
        free(c);
        return;
    }
    if (json_unpack(body, "{s:s, s?s}", "unit", &unit, "note", &note) != 0 || !*unit ||
        strlen(unit) >= sizeof(c->unit) || strlen(note) > 200) {
        json_decref(body);
        free(c);
        http_error(r, 400, "invalid_input",
                   "unit: 需要派出单位代码 / the unit's code; note: at most 200 bytes");
        return;
    }
    snprintf(c->unit, sizeof(c->unit), "%s", unit);
    snprintf(c->note, sizeof(c->note), "%s", note);
    json_decref(body);
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, pair_run, true, pair_done);
}

/* DELETE /api/v1/pairs/:village: the village's responsible unit removed
 * (404 when none is recorded). */
void api_delete_pairs(struct http_req *r)
{
    struct pair_ctx *c;
    json_t *v;
    if (refuse_writer(r, "撤销包村"))
        return;
    c = zc_calloc(1, sizeof(*c));
    v = json_string(r->params[0]);
    if (!pair_village(r, v, c)) {
        json_decref(v);
        free(c);
        return;
    }
    json_decref(v);
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, pair_run, true, pair_done);
}

/* ---- picking a pin's cadre by name ------------------------------------------------- */

static void cadre_row(void *ud, const struct pin_cadre *p)
{
    char masked[32];
    idcard_mask(p->id_number, masked, sizeof(masked));
    json_array_append_new(ud,
                          json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)p->id, "id_number",
                                    masked, "name", p->name, "unit_name", p->unit_name));
}

/* GET /api/v1/pins/cadres?q=NAME: at most 20 cadres whose name holds q, of
 * the units inside the jurisdiction or above it (a county's department
 * pins the city's cadres), with the record id a pin takes and the masked ID
 * number — the cadre list (/cadres) shows a county only its own units'. */
void api_pin_cadres(struct http_req *r)
{
    struct zc_error err = {0};
    const char *q = http_arg(r, "q");
    json_t *items;
    int rc;
    if (refuse_writer(r, "点将"))
        return;
    if (!q || !*q || strlen(q) > 60) {
        http_error(r, 400, "invalid_input", "q: 需要姓名 (至多60字节) / a name, at most 60 bytes");
        return;
    }
    items = json_array();
    rc = pin_cadres(r->store, list_scope(r), q, cadre_row, items, &err);
    answer_items(r, items, rc, &err);
}
