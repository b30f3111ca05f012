/* SPDX-License-Identifier: MIT */
/* api_audit.c - inspectors' findings and the audit record over HTTP.
 *
 * A finding (督查发现) is an entry of the audit log itself, kept by the
 * supervision module (assess.h: assess_note_*); this file parses, defers
 * the write to the writer thread (findings are small writes it commits in
 * groups: the write path of the benchmark) and renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assess/assess.h"
#include "auth/audit.h"
#include "base/division.h"
#include "store/store.h"

struct finding_ctx {
    int64_t village;           /* 12-digit code */
    char *text;                /* the finding */
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    struct audit_entry e;      /* appended entry (seq, at) */
};

static void finding_free(void *p)
{
    struct finding_ctx *c = p;
    if (!c)
        return;
    free(c->text);
    free(c);
}

static int finding_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct finding_ctx *c = j->req->ctx;
    return assess_note_add(s, c->village, c->text, c->who.acct.name, c->addr, &c->e, err);
}

static void finding_done(struct http_req *r)
{
    struct finding_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 201,
              json_pack("{s:I, s:s, s:I, s:s}", "seq", (json_int_t)c->e.seq, "at", c->e.at,
                        "village", (json_int_t)c->village, "hash", c->e.hash));
}

/* True if the caller may see village `code`. */
static bool village_visible(struct http_req *r, int64_t code)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    return assess_note_village(r->store, &sc, code, &err) == ZC_OK;
}

void api_add_finding(struct http_req *r)
{
    enum auth_role role = r->who.acct.role;
    struct finding_ctx *c;
    json_t *body, *v;
    const char *text;
    int64_t code = 0;
    enum division_level lv;
    if (role != AUTH_INSPECTOR && !auth_role_is_staff(role) && role != AUTH_ADMIN) {
        http_error(r, 403, "forbidden", "your role (%s) cannot record findings",
                   auth_role_name(role));
        return;
    }
    body = http_json_body(r);
    if (!body)
        return;
    v = json_object_get(body, "village");
    text = json_string_value(json_object_get(body, "text"));
    if (json_is_integer(v)) {
        code = json_integer_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (division_parse(s, strlen(s), &code, &lv, NULL) != ZC_OK)
            code = 0;
    }
    if (code <= 0 || !text || !*text || strlen(text) > 4000) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"village\": CODE, \"text\": \"...\"} (text up to 4000 bytes)");
        return;
    }
    if (!village_visible(r, code)) {
        json_decref(body);
        http_error(r, 404, "not_found", "no village %lld in your jurisdiction", (long long)code);
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    c->village = code;
    c->text = zc_strdup(text);
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    json_decref(body);
    r->ctx = c;
    r->ctx_free = finding_free;
    http_defer(r, finding_run, false, finding_done);
}

static void add_entry(void *ud, const struct audit_entry *e)
{
    json_t *a = ud, *o;
    json_t *oj = e->old_json ? json_loads(e->old_json, 0, NULL) : NULL;
    json_t *nj = e->new_json ? json_loads(e->new_json, 0, NULL) : NULL;
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o?, s:o?, s:s}", "seq", (json_int_t)e->seq,
                  "at", e->at, "actor", e->actor, "addr", e->addr, "action", e->action, "target",
                  e->target, "division", (json_int_t)e->division, "old", oj, "new", nj, "hash",
                  e->hash);
    if (o)
        json_array_append_new(a, o);
}

/* ?limit=N: 1 to 10000, else 100. */
static int64_t list_limit(struct http_req *r)
{
    const char *ls = http_arg(r, "limit");
    int64_t limit = ls ? strtoll(ls, NULL, 10) : 100;
    return limit <= 0 || limit > 10000 ? 100 : limit;
}

static void list_entries(struct http_req *r, const char *prefix, bool scoped)
{
    struct zc_error err = {0};
    json_t *items = json_array();
    int64_t limit = list_limit(r), lo = 0, hi = 0;
    if (scoped && r->who.acct.scope_level) {
        lo = r->who.lo;
        hi = r->who.hi;
    }
    if (audit_list(r->store, limit, lo, hi, prefix, add_entry, items, &err) != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_list_findings(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    json_t *items;
    if (r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden", "findings are read by inspectors and staff");
        return;
    }
    items = json_array();
    if (assess_notes(r->store, &sc, list_limit(r), add_entry, items, &err) != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_audit_list(struct http_req *r)
{
    if (r->who.acct.role != AUTH_AUDITOR && r->who.acct.role != AUTH_ADMIN) {
        http_error(r, 403, "forbidden", "the audit record is read by auditors and admins");
        return;
    }
    list_entries(r, NULL, true);
}

void api_audit_verify(struct http_req *r)
{
    struct audit_verify_result res;
    struct zc_error err = {0};
    if (r->who.acct.role != AUTH_AUDITOR && r->who.acct.role != AUTH_ADMIN) {
        http_error(r, 403, "forbidden", "the audit record is verified by auditors and admins");
        return;
    }
    if (audit_verify(r->store, &res, &err) != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:b, s:I, s:I, s:s, s:s}", "ok", res.bad_seq == 0, "entries",
                        (json_int_t)res.entries, "bad_seq", (json_int_t)res.bad_seq, "problem",
                        res.problem, "head", res.head));
}
