/* SPDX-License-Identifier: MIT */
/* api_field.c - field work over HTTP (the phone page and the county's
 * pages); the handlers parse, call src/field and render:
 *   POST /api/v1/field/checkins             a check-in (a cadre: their own)
 *   POST /api/v1/field/entries              a diary entry or household visit
 *   POST /api/v1/field/leave                ask for leave or an official trip
 *   POST /api/v1/field/leave/:id/approve    approve (at the caller's level)
 *   POST /api/v1/field/leave/:id/reject     reject, with a note
 *   POST /api/v1/field/leave/:id/return     销假
 *   GET  /api/v1/field/presence?month=      the residence ledger (&cadre=, &scope=)
 *   GET  /api/v1/field/entries?cadre=&month=  diary entries and visits (&village=, &household=)
 *   GET  /api/v1/field/entries/:id          one, with its earlier versions
 *   PATCH /api/v1/field/entries/:id         the cadre corrects their own (the old text is kept)
 *   GET  /api/v1/field/cases?month=         the "两头跑" cases (staff, inspectors)
 *   POST /api/v1/field/cases/dismiss        dismiss a case with a reason
 *   POST /api/v1/field/cases/confirm        confirm (核实) it: the county and above
 * Writes go through the writer thread (group commit): acknowledged means
 * committed, with the audit entry the CLI's same write leaves (field.checkin,
 * field.diary, field.visit, field.leave.*, field.case.dismiss,
 * field.contest*), in the same transaction; a replayed client_id writes
 * neither. The caller's jurisdiction is passed to the module as a scope
 * value; a record outside it answers 403 or, for reads, is not there. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"
#include "store/store.h"

/* The field policy the server applies: the default policy file, read once. */
static struct policy g_policy;
static pthread_once_t g_policy_once = PTHREAD_ONCE_INIT;

static void policy_once(void)
{
    struct zc_error err = {0};
    const char *path = policy_default_path();
    if (!path || policy_load_file(path, &g_policy, &err) != ZC_OK)
        policy_defaults(&g_policy);
}

static const struct policy *field_policy(void)
{
    pthread_once(&g_policy_once, policy_once);
    return &g_policy;
}

const struct policy *api_policy(void)
{
    return field_policy();
}

/* The policies chosen per division (field_policy_choose), parsed once per
 * distinct text and kept for the server's life (a handful: one per policy a
 * county chose), so a check-in costs one indexed lookup, not a parse. */
struct chosen_policy {
    unsigned char key[crypto_generichash_BYTES];
    struct policy p;
    struct chosen_policy *next;
};

static pthread_mutex_t g_chosen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct chosen_policy *g_chosen;

/* The field policy at the 12-digit `code` (for `cadre` > 0: at the cadre's
 * village): the innermost choice over it, else the default. NULL with err
 * set when the lookup fails or a stored choice no longer parses. `choice`
 * (may be NULL) gets which choice applied (division 0: none). */
static const struct policy *policy_at(struct store *s, int64_t code, int64_t cadre,
                                      struct field_policy_choice *choice, struct zc_error *err)
{
    struct field_policy_choice c;
    struct chosen_policy *e;
    unsigned char key[crypto_generichash_BYTES];
    char *text = NULL;
    bool found = false;
    memset(&c, 0, sizeof(c));
    if (cadre > 0 ? field_policy_choice_for_cadre(s, cadre, &c, &text, &found, err) != ZC_OK
                  : code > 0 && field_policy_choice_for(s, code, &c, &text, &found, err) != ZC_OK)
        return NULL;
    if (choice)
        *choice = c;
    if (!found)
        return field_policy();
    crypto_generichash(key, sizeof(key), (const unsigned char *)text, strlen(text),
                       (const unsigned char *)c.name, strlen(c.name));
    pthread_mutex_lock(&g_chosen_mu);
    for (e = g_chosen; e && memcmp(e->key, key, sizeof(key)) != 0; e = e->next)
        ;
    if (!e) {
        e = zc_calloc(1, sizeof(*e));
        memcpy(e->key, key, sizeof(key));
        if (policy_parse(c.name, text, strlen(text), &e->p, err) != ZC_OK) {
            zc_error_prefix(err, "the field policy chosen for %lld", (long long)c.division);
            free(e);
            e = NULL;
        } else {
            e->next = g_chosen;
            g_chosen = e;
        }
    }
    pthread_mutex_unlock(&g_chosen_mu);
    free(text);
    return e ? &e->p : NULL;
}

/* The policy for a read over scope `sc`: a cadre's at their village, staff's
 * at the scope's division. */
static const struct policy *policy_for_scope(struct store *s, const struct zc_scope *sc,
                                             int64_t cadre, struct field_policy_choice *choice,
                                             struct zc_error *err)
{
    if (cadre > 0 || sc->cadre > 0)
        return policy_at(s, 0, cadre > 0 ? cadre : sc->cadre, choice, err);
    return policy_at(s, sc->level ? sc->lo : 0, 0, choice, err);
}

/* The level at which the caller approves leave (PA_*), 0 for none. */
static int approver_level(const struct http_req *r)
{
    switch (r->who.acct.role) {
    case AUTH_TOWNSHIP:
        return PA_TOWNSHIP;
    case AUTH_COUNTY:
        return PA_COUNTY;
    case AUTH_CITY:
        return PA_CITY;
    case AUTH_PROVINCE:
    case AUTH_ADMIN:
        return PA_PROVINCE;
    default:
        return 0;
    }
}

/* ?scope=CODE narrows the caller's scope; false (response sent) if bad. */
static bool narrowed_scope(struct http_req *r, struct zc_scope *sc)
{
    return http_scope_narrowed(r, http_arg(r, "scope"), sc);
}

static bool cadre_ref(struct http_req *r, json_t *v, int64_t *out);

/* The cadre a write is for: the caller's own for a cadre account, else
 * body.cadre (cadre.id or 身份证号). */
static bool body_cadre(struct http_req *r, json_t *body, int64_t *out)
{
    json_t *v = json_object_get(body, "cadre");
    if (r->who.acct.role == AUTH_CADRE) {
        *out = r->who.acct.cadre;
        if (*out > 0)
            return true;
        http_error(r, 403, "forbidden", "this cadre account is not linked to a cadre");
        return false;
    }
    /* On a cadre's behalf: organisation staff only (inspectors and auditors
     * read; they do not write a cadre's records). */
    if (!http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot write a cadre's field records",
                   auth_role_name(r->who.acct.role));
        return false;
    }
    return cadre_ref(r, v, out);
}

/* body.cadre: a cadre ID or 身份证号. */
static bool cadre_ref(struct http_req *r, json_t *v, int64_t *out)
{
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

/* A small positive number from a query argument, or 0. */
static int atoi_safe(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v > 0 && v < 1000000 ? (int)v : 0;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool jnum(json_t *o, const char *key, double *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

/* ---- device signatures -------------------------------------------------------------------
 * The phone page signs each record's exact request body with an Ed25519 key
 * it made on the device (WebCrypto, private key non-extractable, kept in
 * IndexedDB) and sends X-ZC-Device-Key (the public key, base64) and
 * X-ZC-Signature (base64). A record whose signature does not verify is
 * refused: it was altered after capture, or signed by someone else's key.
 * The key's fingerprint becomes the record's device, so a new phone shows
 * as a device change: evidence, never a block. Unsigned records (the API,
 * scripts, older browsers) are accepted and stored as unsigned. */
static bool verify_device(struct http_req *r, char device[64], bool *signed_ok)
{
    const char *key = http_header(r, "X-ZC-Device-Key"), *sig = http_header(r, "X-ZC-Signature");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sg[crypto_sign_BYTES], fp[8];
    size_t npk = 0, nsg = 0;
    *signed_ok = false;
    if (!key && !sig)
        return true;
    if (!key || !sig ||
        sodium_base642bin(pk, sizeof(pk), key, strlen(key), NULL, &npk, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        npk != sizeof(pk) ||
        sodium_base642bin(sg, sizeof(sg), sig, strlen(sig), NULL, &nsg, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        nsg != sizeof(sg)) {
        http_error(r, 400, "invalid_input",
                   "X-ZC-Device-Key and X-ZC-Signature go together: a 32-byte Ed25519 public key "
                   "and a 64-byte signature, base64");
        return false;
    }
    if (crypto_sign_verify_detached(sg, (const unsigned char *)(r->data ? r->data : ""),
                                    r->data_len, pk) != 0) {
        http_error(r, 400, "bad_signature",
                   "the record's signature does not verify with its device key: it was changed "
                   "after it was signed, or signed with another key");
        return false;
    }
    crypto_generichash(fp, sizeof(fp), pk, sizeof(pk), NULL, 0);
    snprintf(device, 64, "key:%02x%02x%02x%02x%02x%02x%02x%02x", fp[0], fp[1], fp[2], fp[3], fp[4],
             fp[5], fp[6], fp[7]);
    *signed_ok = true;
    return true;
}

/* The audit entry of a field write, in its job's transaction: target
 * "KIND:ID" (a cadre by their record, not their ID number). */
static int field_audit(struct store *s, struct http_job *j, const char *action, const char *kind,
                       int64_t id, int64_t division, json_t *what, struct zc_error *err)
{
    char target[48];
    snprintf(target, sizeof(target), "%s:%lld", kind, (long long)id);
    return api_audit_write(s, &j->req->who, j->req->addr, action, target, division, NULL, what,
                           err);
}

/* ---- check-ins ----------------------------------------------------------------------- */

struct checkin_ctx {
    struct field_checkin in;
    struct field_evidence ev;
    struct zc_scope scope;
    char device[128], client_id[80], result[32], photo[65];
};

static int checkin_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct checkin_ctx *c = j->req->ctx;
    struct field_writer *w = NULL;
    const struct policy *p = policy_at(s, 0, c->in.cadre, NULL, err);
    int rc = p ? field_writer_open(s, p, &w, err) : err->code;
    if (rc == ZC_OK)
        rc = field_writer_add(w, &c->scope, &c->in, &c->ev, err);
    field_writer_close(w);
    if (rc == ZC_OK && !c->ev.duplicate)
        rc = field_audit(s, j, "field.checkin", "cadre", c->in.cadre, c->ev.village,
                         json_pack("{s:s, s:I}", "at", c->in.at, "id", (json_int_t)c->ev.id), err);
    return rc;
}

static json_t *evidence_json(const struct field_evidence *ev, bool is_signed)
{
    json_t *o = json_pack("{s:I, s:s, s:b, s:b, s:b, s:b}", "id", (json_int_t)ev->id, "inside",
                          ev->inside == 1   ? "inside"
                          : ev->inside == 0 ? "outside"
                                            : "unknown",
                          "duplicate", ev->duplicate, "weak", ev->weak, "device_changed",
                          ev->device_changed, "late", ev->late);
    char v[16];
    snprintf(v, sizeof(v), "%lld", (long long)ev->village);
    json_object_set_new(o, "village", json_string(v));
    json_object_set_new(o, "signed", json_boolean(is_signed));
    json_object_set_new(o, "distance_m",
                        ev->distance_m >= 0 ? json_integer((json_int_t)(ev->distance_m + 0.5))
                                            : json_null());
    json_object_set_new(o, "speed_kmh",
                        ev->speed_kmh >= 0 ? json_real(ev->speed_kmh) : json_null());
    return o;
}

static void checkin_done(struct http_req *r)
{
    struct checkin_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, c->ev.duplicate ? 200 : 201, evidence_json(&c->ev, c->in.signed_by_device));
}

void api_field_checkin(struct http_req *r)
{
    json_t *body = http_json_body(r);
    struct checkin_ctx *c;
    const char *s;
    double acc = -1;
    char keydev[64] = "";
    bool signed_ok = false;
    if (!body)
        return;
    if (!verify_device(r, keydev, &signed_ok)) {
        json_decref(body);
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->in.signed_by_device = signed_ok;
    c->scope = http_scope_value(r);
    c->in.accuracy_m = -1;
    c->in.source = "phone";
    if (!body_cadre(r, body, &c->in.cadre)) {
        json_decref(body);
        return;
    }
    s = jstr(body, "at");
    if (s) {
        if (!field_time_parse(s, c->in.at)) {
            http_error(r, 400, "invalid_input", "at: '%s' is not YYYY-MM-DD HH:MM[:SS] (UTC+8)", s);
            json_decref(body);
            return;
        }
    } else {
        field_now(c->in.at);
    }
    if (jnum(body, "lat", &c->in.lat) && jnum(body, "lng", &c->in.lng))
        c->in.has_pos = true;
    if (jnum(body, "accuracy", &acc))
        c->in.accuracy_m = acc;
    c->in.gcj02 = json_is_true(json_object_get(body, "gcj02"));
    if (signed_ok)
        snprintf(c->device, sizeof(c->device), "%s", keydev);
    else if ((s = jstr(body, "device")))
        snprintf(c->device, sizeof(c->device), "%s", s);
    if ((s = jstr(body, "client_id")))
        snprintf(c->client_id, sizeof(c->client_id), "%s", s);
    if ((s = jstr(body, "source")) && strcmp(s, "api") == 0)
        c->in.source = "api";
    if ((s = jstr(body, "photo"))) {
        if (strlen(s) != 64) {
            json_decref(body);
            http_error(r, 400, "invalid_input",
                       "photo: the 64-digit hash that POST /api/v1/field/photos answered");
            return;
        }
        snprintf(c->photo, sizeof(c->photo), "%s", s);
        c->in.photo = c->photo;
    }
    c->in.device = c->device;
    c->in.client_id = c->client_id[0] ? c->client_id : NULL;
    json_decref(body);
    http_defer(r, checkin_run, false, checkin_done);
}

/* ---- diary entries and visits -------------------------------------------------------- */

struct entry_ctx {
    struct field_entry in;
    struct zc_scope scope;
    char household[40], client_id[80], photo[65];
    char *text;
    int64_t id;
};

static void entry_free(void *p)
{
    struct entry_ctx *c = p;
    if (c)
        free(c->text);
    free(c);
}

static int entry_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct entry_ctx *c = j->req->ctx;
    const struct policy *p = policy_at(s, 0, c->in.cadre, NULL, err);
    bool resent = false;
    int rc;
    c->in.resent = &resent;
    rc = p ? field_entry_add(s, p, &c->scope, &c->in, &c->id, err) : err->code;
    if (rc == ZC_OK && !resent) /* a resend writes nothing */
        rc = field_audit(s, j, c->in.visit ? "field.visit" : "field.diary", "cadre", c->in.cadre, 0,
                         json_pack("{s:s, s:I}", "day", c->in.day, "id", (json_int_t)c->id), err);
    return rc;
}

static void entry_done(struct http_req *r)
{
    struct entry_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 201,
              json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->id, "kind",
                        c->in.visit ? "visit" : "diary", "day", c->in.day));
}

void api_field_entry(struct http_req *r)
{
    json_t *body = http_json_body(r);
    struct entry_ctx *c;
    const char *kind, *day, *text, *s;
    char keydev[64];
    bool signed_ok;
    if (!body)
        return;
    if (!verify_device(r, keydev, &signed_ok)) { /* a signed entry must verify */
        json_decref(body);
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = entry_free;
    c->scope = http_scope_value(r);
    if (!body_cadre(r, body, &c->in.cadre)) {
        json_decref(body);
        return;
    }
    kind = jstr(body, "kind");
    day = jstr(body, "day");
    text = jstr(body, "text");
    if (!kind || (strcmp(kind, "diary") != 0 && strcmp(kind, "visit") != 0) || !day ||
        strlen(day) != 10 || !text || strlen(text) > 8000) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"kind\": \"diary\"|\"visit\", \"day\": \"YYYY-MM-DD\", \"text\": "
                   "\"...\" (up to 8000 bytes), \"household\": ID (visits)}");
        return;
    }
    c->in.visit = kind[0] == 'v';
    memcpy(c->in.day, day, 11);
    c->text = zc_strdup(text);
    c->in.text = c->text;
    if ((s = jstr(body, "household")))
        snprintf(c->household, sizeof(c->household), "%s", s);
    c->in.household = c->household[0] ? c->household : NULL;
    if ((s = jstr(body, "client_id")))
        snprintf(c->client_id, sizeof(c->client_id), "%s", s);
    c->in.client_id = c->client_id[0] ? c->client_id : NULL;
    if (jnum(body, "lat", &c->in.lat) && jnum(body, "lng", &c->in.lng))
        c->in.has_pos = true;
    if ((s = jstr(body, "photo"))) { /* a visit's photo, uploaded first */
        if (strlen(s) != 64) {
            json_decref(body);
            http_error(r, 400, "invalid_input",
                       "photo: the 64-digit hash that POST /api/v1/field/photos answered");
            return;
        }
        snprintf(c->photo, sizeof(c->photo), "%s", s);
        c->in.photo = c->photo;
    }
    json_decref(body);
    http_defer(r, entry_run, false, entry_done);
}

/* ---- leave --------------------------------------------------------------------------- */

struct leave_ctx {
    struct field_leave_req in;
    struct zc_scope scope;
    char reason[512], actor[96], note[512], day[11];
    int64_t id;
    int approver, level;
    int action; /* 0 request, 1 approve, 2 reject, 3 return */
};

static int leave_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct leave_ctx *c = j->req->ctx;
    const struct policy *p;
    int rc;
    switch (c->action) {
    case 0:
        p = policy_at(s, 0, c->in.cadre, NULL, err);
        rc =
            p ? field_leave_request(s, p, &c->scope, &c->in, &c->id, &c->approver, err) : err->code;
        if (rc == ZC_OK)
            rc = field_audit(s, j, "field.leave.request", "cadre", c->in.cadre, 0,
                             json_pack("{s:s, s:s, s:s, s:I}", "kind",
                                       field_leave_kind_name(c->in.kind), "from", c->in.start, "to",
                                       c->in.end, "id", (json_int_t)c->id),
                             err);
        return rc;
    case 1:
    case 2:
        rc = field_leave_decide(s, &c->scope, c->level, c->id, c->action == 1, c->note, c->actor,
                                err);
        if (rc == ZC_OK)
            rc = field_audit(
                s, j, c->action == 1 ? "field.leave.approve" : "field.leave.reject", "leave", c->id,
                0, json_pack("{s:s, s:s}", "as", policy_approver_name(c->level), "note", c->note),
                err);
        return rc;
    default:
        rc = field_leave_return(s, &c->scope, c->id, c->day, err);
        if (rc == ZC_OK)
            rc = field_audit(s, j, "field.leave.return", "leave", c->id, 0,
                             json_pack("{s:s}", "date", c->day), err);
        return rc;
    }
}

static void leave_done(struct http_req *r)
{
    struct leave_ctx *c = r->ctx;
    static const char *const what[] = {"pending", "approved", "rejected", "returned"};
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    if (c->action == 0)
        http_json(r, 201,
                  json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->id, "status", "pending",
                            "approver", policy_approver_name(c->approver)));
    else
        http_json(r, 200,
                  json_pack("{s:I, s:s}", "id", (json_int_t)c->id, "status", what[c->action]));
}

static struct leave_ctx *leave_ctx_new(struct http_req *r)
{
    struct leave_ctx *c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->scope = http_scope_value(r);
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    return c;
}

void api_field_leave(struct http_req *r)
{
    json_t *body = http_json_body(r);
    struct leave_ctx *c;
    const char *from, *to, *kind, *reason;
    if (!body)
        return;
    c = leave_ctx_new(r);
    if (!body_cadre(r, body, &c->in.cadre)) {
        json_decref(body);
        return;
    }
    from = jstr(body, "from");
    to = jstr(body, "to");
    kind = jstr(body, "kind");
    reason = jstr(body, "reason");
    c->in.kind = kind ? field_leave_kind_parse(kind) : FL_LEAVE;
    if (!from || !to || strlen(from) != 10 || strlen(to) != 10 || c->in.kind < 0) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\", \"kind\": "
                   "\"leave\"|\"trip\"|\"meeting\", \"reason\": \"...\"}");
        return;
    }
    memcpy(c->in.start, from, 11);
    memcpy(c->in.end, to, 11);
    snprintf(c->reason, sizeof(c->reason), "%s", reason ? reason : "");
    c->in.reason = c->reason;
    c->in.actor = c->actor;
    json_decref(body);
    http_defer(r, leave_run, false, leave_done);
}

static void leave_act(struct http_req *r, int action)
{
    json_t *body = http_json_body(r);
    struct leave_ctx *c;
    const char *note, *day;
    char *end;
    if (!body)
        return;
    c = leave_ctx_new(r);
    c->action = action;
    c->id = strtoll(r->params[0], &end, 10);
    note = jstr(body, "note");
    day = jstr(body, "date");
    snprintf(c->note, sizeof(c->note), "%s", note ? note : "");
    if (day && strlen(day) == 10)
        memcpy(c->day, day, 11);
    json_decref(body);
    if (*end || c->id <= 0) {
        http_error(r, 404, "not_found", "no leave request %s", r->params[0]);
        return;
    }
    if (action != 3 && !(c->level = approver_level(r))) {
        http_error(r, 403, "forbidden", "your role (%s) does not approve leave",
                   auth_role_name(r->who.acct.role));
        return;
    }
    /* 销假: the cadre their own, or organisation staff for them; inspectors
     * and auditors read leave, they do not end it. */
    if (action == 3 && r->who.acct.role != AUTH_CADRE && !http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) does not record a cadre's 销假",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (action == 3 && !c->day[0]) {
        http_error(r, 400, "invalid_input", "expected {\"date\": \"YYYY-MM-DD\"} (the day back)");
        return;
    }
    http_defer(r, leave_run, false, leave_done);
}

void api_field_leave_approve(struct http_req *r)
{
    leave_act(r, 1);
}

void api_field_leave_reject(struct http_req *r)
{
    leave_act(r, 2);
}

void api_field_leave_return(struct http_req *r)
{
    leave_act(r, 3);
}

/* ---- the ledger and the cases ---------------------------------------------------------- */

struct presence_out {
    json_t *rows;
    bool unmask;
};

static int presence_json(void *ud, const struct field_presence_row *row)
{
    struct presence_out *o = ud;
    char idm[32], code[16];
    json_t *j, *days;
    if (o->unmask)
        snprintf(idm, sizeof(idm), "%s", row->id_number);
    else
        idcard_mask(row->id_number, idm, sizeof(idm));
    snprintf(code, sizeof(code), "%lld", (long long)row->village);
    j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:i, "
                  "s:f}",
                  "cadre", (json_int_t)row->cadre, "id_number", idm, "name", row->name, "village",
                  code, "village_name", row->village_name, "unit", row->unit_name, "posted_days",
                  row->posted_days, "days", row->days, "nights", row->nights, "leave_days",
                  row->leave_days, "trip_days", row->trip_days, "required_days", row->required_days,
                  "weeks_failed", row->weeks_failed, "ok", row->ok, "evidence", row->evidence,
                  "subsidy_yuan", (double)row->subsidy_fen / 100.0);
    days = json_array();
    for (int d = 0; d < row->ndays; d++) {
        static const char *const st[] = {"not_posted", "absent", "present",
                                         "leave",      "trip",   "future"};
        json_t *dj = json_pack("{s:i, s:s, s:b, s:i}", "day", d + 1, "state", st[row->state[d]],
                               "night", row->night[d], "evidence", row->day_evidence[d]);
        if (row->day_detail)
            json_object_set_new(dj, "records", json_string(row->day_detail[d]));
        json_array_append_new(days, dj);
    }
    json_object_set_new(j, "by_day", days);
    json_object_set_new(j, "late", json_integer(row->late));
    json_object_set_new(j, "lat", row->has_pos ? json_real(row->lat) : json_null());
    json_object_set_new(j, "lng", row->has_pos ? json_real(row->lng) : json_null());
    json_array_append_new(o->rows, j);
    return ZC_OK;
}

void api_field_presence(struct http_req *r)
{
    const char *month = http_arg(r, "month"), *cadre_arg = http_arg(r, "cadre");
    struct presence_out o = {json_array(), http_sees_id_numbers(r)};
    struct zc_error err = {0};
    struct zc_scope sc;
    int64_t cadre = 0;
    int rc;
    if (!narrowed_scope(r, &sc)) {
        json_decref(o.rows);
        return;
    }
    if (r->who.acct.role == AUTH_CADRE)
        cadre = sc.cadre; /* a cadre's own ledger, day by day */
    else if (cadre_arg && *cadre_arg &&
             field_cadre_lookup(r->store, cadre_arg, &cadre, &err) != ZC_OK) {
        json_decref(o.rows);
        http_zc_error(r, &err);
        return;
    }
    {
        const struct policy *p = policy_for_scope(r->store, &sc, cadre, NULL, &err);
        rc = p ? field_presence(r->store, p, &sc, month, cadre, presence_json, &o, &err) : err.code;
    }
    if (rc != ZC_OK) {
        json_decref(o.rows);
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) { /* no ID number: the rows as the page shows them */
        static const struct api_xcol cols[] = {
            {"name", "干部", 0, 0},
            {"village_name", "村", 0, 0},
            {"unit", "派出单位", 0, 0},
            {"posted_days", "在岗天数", 1, 0},
            {"days", "在村天数", 1, 0},
            {"nights", "在村夜数", 1, 0},
            {"leave_days", "请假天数", 1, 0},
            {"trip_days", "公出天数", 1, 0},
            {"required_days", "应在村天数", 1, 0},
            {"weeks_failed", "未达标周数", 1, 0},
            {"ok", "达标", 0, 0},
            {"subsidy_yuan", "生活补助（元）", 1, 2},
            {"late", "补报", 1, 0},
        };
        char title[48], file[40];
        snprintf(title, sizeof(title), "驻村考勤台账 %s", month);
        snprintf(file, sizeof(file), "presence-%s", month);
        api_send_rows_xlsx(r, "presence", file, title, cols, sizeof(cols) / sizeof(cols[0]),
                           o.rows);
        json_decref(o.rows);
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:o}", "month", month, "rows", o.rows));
}

static int case_json(void *ud, const struct field_case *k)
{
    json_t *a = ud;
    char idm[32], code[16];
    idcard_mask(k->id_number, idm, sizeof(idm));
    snprintf(code, sizeof(code), "%lld", (long long)k->village);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s?}", "cadre",
                          (json_int_t)k->cadre, "id_number", idm, "name", k->name, "village", code,
                          "village_name", k->village_name, "date", k->day, "rule", k->rule,
                          "detail", k->detail, "evidence", k->evidence, "dismissed", k->dismissed,
                          "dismiss_reason", k->dismissed ? k->dismiss_reason : NULL);
    json_object_set_new(o, "detail_zh", json_string(k->detail_zh ? k->detail_zh : k->detail));
    json_object_set_new(o, "confirmed", json_boolean(k->confirmed));
    if (k->confirmed)
        json_object_set_new(o, "confirm_reason", json_string(k->confirm_reason));
    /* As the page and its Excel show them (the Excel goes back through
     * `zhucun cases confirm --file`: 干部编号, 日期, 规则, 理由). */
    json_object_set_new(o, "rule_name", json_string(field_case_rule_name(k->rule)));
    json_object_set_new(o, "status",
                        json_string(k->dismissed   ? "已核销"
                                    : k->confirmed ? "已核实"
                                                   : "待核实"));
    json_object_set_new(o, "reason",
                        json_string(k->dismissed   ? k->dismiss_reason
                                    : k->confirmed ? k->confirm_reason
                                                   : ""));
    json_array_append_new(a, o);
    return ZC_OK;
}

void api_field_cases(struct http_req *r)
{
    const char *month = http_arg(r, "month");
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *a;
    if (r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden", "cases are for inspectors and organisation departments");
        return;
    }
    if (!narrowed_scope(r, &sc))
        return;
    a = json_array();
    const struct policy *p = policy_for_scope(r->store, &sc, 0, NULL, &err);
    if (!p || field_cases(r->store, p, &sc, month, case_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) { /* no ID number, as the residence ledger's */
        static const struct api_xcol cols[] = {
            {"cadre", "干部编号", 1, 0},  {"name", "姓名", 0, 0},
            {"village_name", "村", 0, 0}, {"date", "日期", 0, 0},
            {"rule", "规则", 0, 0},       {"rule_name", "规则名称", 0, 0},
            {"detail_zh", "情况", 0, 0},  {"evidence", "证据", 0, 0},
            {"status", "状态", 0, 0},     {"reason", "理由", 0, 0},
        };
        char title[48], file[40];
        snprintf(title, sizeof(title), "“两头跑”线索 %s", month);
        snprintf(file, sizeof(file), "cases-%s", month);
        api_send_rows_xlsx(r, "cases", file, title, cols, sizeof(cols) / sizeof(cols[0]), a);
        json_decref(a);
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:o}", "month", month, "cases", a));
}

/* A verdict on cases: one ({"cadre", "date", "rule", "reason"}) or a batch
 * ({"cases": [{"cadre", "date", "rule"[, "reason"]}, ...], "reason"}: the
 * page's 核实所选), all in one transaction: one refused, none written. */
struct verdict_item {
    int64_t cadre;
    char day[11], rule[40], reason[512];
};

struct dismiss_ctx {
    struct zc_scope scope;
    char actor[96];
    bool confirm; /* POST .../confirm: 核实 */
    bool batch;   /* the body had "cases" */
    size_t n;
    struct verdict_item *items;
};

static void dismiss_ctx_free(void *p)
{
    struct dismiss_ctx *c = p;
    free(c->items);
    free(c);
}

static int dismiss_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct dismiss_ctx *c = j->req->ctx;
    int rc = ZC_OK;
    for (size_t i = 0; rc == ZC_OK && i < c->n; i++) {
        const struct verdict_item *v = &c->items[i];
        rc = c->confirm ? field_case_confirm(s, &c->scope, v->cadre, v->day, v->rule, v->reason,
                                             c->actor, err)
                        : field_case_dismiss(s, &c->scope, v->cadre, v->day, v->rule, v->reason,
                                             c->actor, err);
        if (rc == ZC_OK)
            rc = field_audit(
                s, j, c->confirm ? "field.case.confirm" : "field.case.dismiss", "cadre", v->cadre,
                0,
                json_pack("{s:s, s:s, s:s}", "date", v->day, "rule", v->rule, "reason", v->reason),
                err);
        if (rc != ZC_OK && c->batch) {
            char msg[sizeof(err->msg)];
            snprintf(msg, sizeof(msg), "%s", err->msg);
            zc_error_set(err, rc, "cases[%zu]: %s; no verdict was written", i, msg);
        }
    }
    return rc;
}

static void dismiss_done(struct http_req *r)
{
    struct dismiss_ctx *c = r->ctx;
    const char *key = c->confirm ? "confirmed" : "dismissed";
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    if (c->batch) {
        http_json(r, 200, json_pack("{s:I}", key, (json_int_t)c->n));
        return;
    }
    http_json(r, 200,
              json_pack("{s:I, s:s, s:s, s:b}", "cadre", (json_int_t)c->items[0].cadre, "date",
                        c->items[0].day, "rule", c->items[0].rule, key, 1));
}

/* One case of the body into `v`; false once an error answer is sent. */
static bool verdict_item_parse(struct http_req *r, json_t *o, const char *reason, const char *where,
                               struct verdict_item *v)
{
    const char *day = jstr(o, "date"), *rule = jstr(o, "rule"), *own = jstr(o, "reason");
    if (own && *own)
        reason = own;
    if (!json_is_object(o) || !day || strlen(day) != 10 || !rule || !reason) {
        http_error(r, 400, "invalid_input",
                   "%sexpected {\"cadre\": ID, \"date\": \"YYYY-MM-DD\", \"rule\": RULE, "
                   "\"reason\": \"...\"}",
                   where);
        return false;
    }
    if (!cadre_ref(r, json_object_get(o, "cadre"), &v->cadre))
        return false;
    memcpy(v->day, day, 11);
    snprintf(v->rule, sizeof(v->rule), "%s", rule);
    snprintf(v->reason, sizeof(v->reason), "%s", reason);
    return true;
}

#define VERDICT_BATCH_MAX 2000 /* a county's month of cases is a few hundred */

static void case_verdict(struct http_req *r, bool confirm)
{
    enum auth_role role = r->who.acct.role;
    json_t *body, *list;
    struct dismiss_ctx *c;
    if (confirm ? role != AUTH_COUNTY && role != AUTH_CITY && role != AUTH_PROVINCE &&
                      role != AUTH_ADMIN
                : role != AUTH_INSPECTOR && !auth_role_is_staff(role) && role != AUTH_ADMIN) {
        http_error(r, 403, "forbidden", "your role (%s) cannot %s cases", auth_role_name(role),
                   confirm ? "confirm" : "dismiss");
        return;
    }
    if (!(body = http_json_body(r)))
        return;
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = dismiss_ctx_free;
    c->scope = http_scope_value(r);
    c->confirm = confirm;
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    list = json_object_get(body, "cases");
    c->batch = list != NULL;
    if (c->batch && (!json_is_array(list) || json_array_size(list) == 0 ||
                     json_array_size(list) > VERDICT_BATCH_MAX)) {
        json_decref(body);
        http_error(r, 400, "invalid_input", "\"cases\" is a list of 1 to %d cases",
                   VERDICT_BATCH_MAX);
        return;
    }
    c->n = c->batch ? json_array_size(list) : 1;
    c->items = zc_calloc(c->n, sizeof(*c->items));
    for (size_t i = 0; i < c->n; i++) {
        char where[32] = "";
        if (c->batch)
            snprintf(where, sizeof(where), "cases[%zu]: ", i);
        if (!verdict_item_parse(r, c->batch ? json_array_get(list, i) : body, jstr(body, "reason"),
                                where, &c->items[i])) {
            json_decref(body);
            return;
        }
    }
    json_decref(body);
    http_defer(r, dismiss_run, false, dismiss_done);
}

void api_field_case_dismiss(struct http_req *r)
{
    case_verdict(r, false);
}

void api_field_case_confirm(struct http_req *r)
{
    case_verdict(r, true);
}

static int leave_json(void *ud, const struct field_leave_row *l)
{
    char v[16];
    snprintf(v, sizeof(v), "%lld", (long long)l->village);
    json_array_append_new(
        ud, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, "
                      "s:s}",
                      "id", (json_int_t)l->id, "cadre", (json_int_t)l->cadre, "name", l->name,
                      "village", v, "village_name", l->village_name, "kind", l->kind, "from",
                      l->start, "to", l->end, "days", l->days, "reason", l->reason, "approver",
                      l->approver, "status", l->status, "returned", l->returned, "unit", l->unit,
                      "unit_name", l->unit_name));
    return ZC_OK;
}

void api_field_leave_list(struct http_req *r)
{
    const char *status = http_arg(r, "status");
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *a;
    if (!narrowed_scope(r, &sc))
        return;
    a = json_array();
    if (field_leave_list(r->store, &sc, status, http_arg(r, "unit"), leave_json, a, &err) !=
        ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o, s:i}", "leave", a, "level", approver_level(r)));
}

/* What the phone page needs to know of the policy. */
void api_field_policy(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    struct field_policy_choice ch;
    const struct policy *p;
    char code[16];
    if (!narrowed_scope(r, &sc))
        return;
    p = policy_for_scope(r->store, &sc, 0, &ch, &err);
    if (!p) {
        http_zc_error(r, &err);
        return;
    }
    static const char *const modes[] = {"none", "daily", "twice_daily"};
    char now[20];
    json_t *o;
    field_now(now);
    o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:s}", "now", now, "checkin",
                  modes[p->field.checkin], "geofence_radius_m", p->field.radius_m,
                  "diary_backdate_days", p->field.diary_backdate_days, "days_per_month",
                  p->field.days_per_month, "days_per_week", p->field.days_per_week,
                  "nights_per_week", p->field.nights_per_week, "policy", p->name);
    /* Where the rules come from: the division a county chose them for. Only
     * when chosen, so the answer is as before where nothing was. */
    if (ch.division) {
        snprintf(code, sizeof(code), "%lld", (long long)ch.division);
        json_object_set_new(o, "chosen_for", json_string(code));
    }
    http_json(r, 200, o);
}

/* ---- contested days ------------------------------------------------------------------------ */

struct contest_ctx {
    struct zc_scope scope;
    int64_t cadre, id;
    char day[11], reason[512], note[512], actor[96];
    int level, action; /* 0 add, 1 accept, 2 reject */
};

static int contest_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct contest_ctx *c = j->req->ctx;
    int rc;
    if (c->action == 0) {
        rc = field_contest_add(s, &c->scope, c->cadre, c->day, c->reason, &c->id, err);
        if (rc == ZC_OK)
            rc = field_audit(s, j, "field.contest", "cadre", c->cadre, 0,
                             json_pack("{s:s, s:s, s:I}", "date", c->day, "reason", c->reason, "id",
                                       (json_int_t)c->id),
                             err);
        return rc;
    }
    rc =
        field_contest_decide(s, &c->scope, c->level, c->id, c->action == 1, c->note, c->actor, err);
    if (rc == ZC_OK)
        rc = field_audit(s, j, c->action == 1 ? "field.contest.accept" : "field.contest.reject",
                         "contest", c->id, 0, json_pack("{s:s}", "note", c->note), err);
    return rc;
}

static void contest_done(struct http_req *r)
{
    struct contest_ctx *c = r->ctx;
    static const char *const st[] = {"open", "accepted", "rejected"};
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, c->action == 0 ? 201 : 200,
              json_pack("{s:I, s:s}", "id", (json_int_t)c->id, "status", st[c->action]));
}

void api_field_contest(struct http_req *r)
{
    json_t *body = http_json_body(r);
    struct contest_ctx *c;
    const char *day, *reason;
    if (!body)
        return;
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->scope = http_scope_value(r);
    if (!body_cadre(r, body, &c->cadre)) {
        json_decref(body);
        return;
    }
    day = jstr(body, "date");
    reason = jstr(body, "reason");
    if (!day || strlen(day) != 10 || !reason) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"date\": \"YYYY-MM-DD\", \"reason\": \"...\"}");
        return;
    }
    memcpy(c->day, day, 11);
    snprintf(c->reason, sizeof(c->reason), "%s", reason);
    json_decref(body);
    http_defer(r, contest_run, false, contest_done);
}

static void contest_act(struct http_req *r, int action)
{
    json_t *body = http_json_body(r);
    struct contest_ctx *c;
    const char *note;
    char *end;
    if (!body)
        return;
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->scope = http_scope_value(r);
    c->action = action;
    c->level = approver_level(r);
    c->id = strtoll(r->params[0], &end, 10);
    snprintf(c->actor, sizeof(c->actor), "web:%s", r->who.acct.name);
    note = jstr(body, "note");
    snprintf(c->note, sizeof(c->note), "%s", note ? note : "");
    json_decref(body);
    if (*end || c->id <= 0) {
        http_error(r, 404, "not_found", "no contested day %s", r->params[0]);
        return;
    }
    http_defer(r, contest_run, false, contest_done);
}

void api_field_contest_accept(struct http_req *r)
{
    contest_act(r, 1);
}

void api_field_contest_reject(struct http_req *r)
{
    contest_act(r, 2);
}

static int contest_json(void *ud, const struct field_contest_row *k)
{
    char v[16];
    snprintf(v, sizeof(v), "%lld", (long long)k->village);
    json_array_append_new(ud, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                        (json_int_t)k->id, "cadre", (json_int_t)k->cadre, "name",
                                        k->name, "village", v, "village_name", k->village_name,
                                        "date", k->day, "reason", k->reason, "status", k->status,
                                        "note", k->note));
    return ZC_OK;
}

void api_field_contest_list(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *a;
    if (!narrowed_scope(r, &sc))
        return;
    a = json_array();
    if (field_contest_list(r->store, &sc, http_arg(r, "status"), contest_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "contests", a));
}

static json_t *entry_obj(const struct field_entry_row *e)
{
    char v[16];
    json_t *o;
    snprintf(v, sizeof(v), "%lld", (long long)e->village);
    o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)e->id, "cadre",
                  (json_int_t)e->cadre, "name", e->name, "village", v, "kind", e->kind, "day",
                  e->day, "household", e->household, "text", e->text, "version", e->version);
    if (*e->photo) /* only when there is one: the answer stays as it was otherwise */
        json_object_set_new(o, "photo", json_string(e->photo));
    json_object_set_new(o, "written_at", json_string(e->written_at));
    json_object_set_new(o, "updated_at", json_string(e->updated_at));
    return o;
}

static int entry_row_json(void *ud, const struct field_entry_row *e)
{
    json_array_append_new(ud, entry_obj(e));
    return ZC_OK;
}

/* GET /api/v1/field/entries?village=CODE&household=ID&cadre=ID&month=YYYY-MM&limit=N
 * (cadre: a cadre ID or 身份证号; another jurisdiction's is an empty list). */
void api_field_entry_list(struct http_req *r)
{
    const char *vs = http_arg(r, "village"), *hh = http_arg(r, "household"),
               *lim = http_arg(r, "limit"), *who = http_arg(r, "cadre"),
               *month = http_arg(r, "month");
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct zc_scope one;
    struct field_entry_filter f = {.household = hh};
    char from[11], to[11];
    int limit = lim ? atoi_safe(lim) : 100;
    json_t *a;
    if (vs && *vs) {
        if (zc_scope_parse(vs, &one, &err) != ZC_OK || one.level != 5) {
            http_error(r, 400, "invalid_input", "village: a 12-digit village code");
            return;
        }
        f.village = one.lo;
    }
    if (who && *who && field_cadre_lookup(r->store, who, &f.cadre, &err) != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    if (month && *month) {
        int64_t first;
        int ndays;
        if (!field_month_range(month, &first, &ndays)) {
            http_error(r, 400, "invalid_input", "month: '%s' is not YYYY-MM", month);
            return;
        }
        field_date_text(first, from);
        field_date_text(first + ndays - 1, to);
        f.from = from;
        f.to = to;
    }
    f.limit = limit < 1 || limit > 1000 ? 100 : limit;
    a = json_array();
    if (field_entry_query(r->store, &sc, &f, entry_row_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "entries", a));
}

/* GET /api/v1/field/entries/:id  the entry with its earlier versions
 * ("versions", oldest first; each edit keeps the text it replaced). */
static int history_entry(void *ud, const struct field_entry_row *e)
{
    json_t **o = ud;
    *o = entry_obj(e);
    json_object_set_new(*o, "versions", json_array());
    return ZC_OK;
}

static int history_version(void *ud, const struct field_entry_version_row *v)
{
    json_t **o = ud;
    json_array_append_new(json_object_get(*o, "versions"),
                          json_pack("{s:i, s:s, s:s, s:s}", "version", v->version, "text", v->text,
                                    "household", v->household, "saved_at", v->saved_at));
    return ZC_OK;
}

static bool entry_id(struct http_req *r, int64_t *id)
{
    char *end;
    *id = strtoll(r->params[0], &end, 10);
    if (*end || *id <= 0) {
        http_error(r, 404, "not_found", "no diary entry or visit %s", r->params[0]);
        return false;
    }
    return true;
}

void api_field_entry_get(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    json_t *o = NULL;
    int64_t id;
    if (!entry_id(r, &id))
        return;
    if (field_entry_history(r->store, &sc, id, history_entry, history_version, &o, &err) != ZC_OK) {
        json_decref(o);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, o);
}

/* PATCH /api/v1/field/entries/:id {"text": "...", "household": "户编号"}
 * (either or both; the household of a visit only): the cadre who wrote it
 * corrects it, within the policy's back-dating window; the earlier text and
 * household are kept as a version. Audited as the CLI's `diary edit` and
 * `visit edit` (field.entry.edit). */
struct edit_ctx {
    struct zc_scope scope;
    int64_t id, cadre;
    int version;
    char *text, *household;
};

static void edit_free(void *p)
{
    struct edit_ctx *c = p;
    if (c) {
        free(c->text);
        free(c->household);
    }
    free(c);
}

static int edit_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct edit_ctx *c = j->req->ctx;
    const struct policy *p = policy_at(s, 0, c->cadre, NULL, err);
    int rc = p ? field_entry_edit(s, p, &c->scope, c->id, c->text, c->household, &c->version, err)
               : err->code;
    if (rc == ZC_OK) {
        json_t *what = json_pack("{s:i}", "version", c->version);
        if (c->household)
            json_object_set_new(what, "household", json_string(c->household));
        rc = field_audit(s, j, "field.entry.edit", "entry", c->id, 0, what, err);
    }
    return rc;
}

static void edit_done(struct http_req *r)
{
    struct edit_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200, json_pack("{s:I, s:i}", "id", (json_int_t)c->id, "version", c->version));
}

void api_field_entry_edit(struct http_req *r)
{
    json_t *body;
    struct edit_ctx *c;
    const char *text, *household;
    int64_t id;
    if (r->who.acct.role != AUTH_CADRE) {
        http_error(r, 403, "forbidden",
                   "a diary entry or visit is corrected by the cadre who wrote it, not by your "
                   "role (%s)",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (r->who.acct.cadre <= 0) {
        http_error(r, 403, "forbidden", "this cadre account is not linked to a cadre");
        return;
    }
    if (!entry_id(r, &id) || !(body = http_json_body(r)))
        return;
    text = jstr(body, "text");
    household = jstr(body, "household");
    if ((!text && !household) || (text && (!*text || strlen(text) > 8000)) ||
        (household && (!*household || strlen(household) > 40))) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"text\": \"...\"} (up to 8000 bytes) and/or, for a visit, "
                   "{\"household\": \"户编号\"}");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = edit_free;
    c->scope = http_scope_value(r);
    c->id = id;
    c->cadre = r->who.acct.cadre;
    c->text = text ? zc_strdup(text) : NULL;
    c->household = household ? zc_strdup(household) : NULL;
    json_decref(body);
    http_defer(r, edit_run, false, edit_done);
}

/* ---- photos ------------------------------------------------------------------------------
 * POST /api/v1/field/photos[?cadre=ID]  the picture's bytes (image/jpeg or
 *     image/png, raw or as a multipart file): 201 {hash, mime, bytes}, 200
 *     when the same bytes were stored already. A cadre uploads their own;
 *     organisation staff for a cadre within their jurisdiction (?cadre=).
 *     The check-in then names it: {"photo": HASH}.
 * GET /api/v1/field/photos/:hash  the bytes, to a caller who may see a
 *     check-in carrying it (or to the cadre who uploaded it); 404 else.
 * Both are audited (field.photo, field.photo.view). */

struct photo_ctx {
    struct zc_scope scope;
    int64_t cadre;
    struct field_photo_put out;
};

static int photo_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct photo_ctx *c = j->req->ctx;
    struct http_req *r = j->req;
    int rc = field_photo_add(s, &c->scope, c->cadre, r->data, r->data_len, &c->out, err);
    if (rc == ZC_OK)
        rc = api_audit_write(s, &r->who, r->addr, "field.photo", c->out.hash, c->out.village, NULL,
                             json_pack("{s:I, s:s, s:I, s:b}", "cadre", (json_int_t)c->cadre,
                                       "mime", c->out.mime, "bytes", (json_int_t)r->data_len, "new",
                                       c->out.created),
                             err);
    return rc;
}

static void photo_done(struct http_req *r)
{
    struct photo_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, c->out.created ? 201 : 200,
              json_pack("{s:s, s:s, s:I, s:b}", "hash", c->out.hash, "mime", c->out.mime, "bytes",
                        (json_int_t)r->data_len, "new", c->out.created));
}

void api_field_photo_upload(struct http_req *r)
{
    struct zc_error err = {0};
    struct photo_ctx *c;
    const char *who = http_arg(r, "cadre");
    int64_t cadre;
    if (r->who.acct.role == AUTH_CADRE) {
        cadre = r->who.acct.cadre;
        if (cadre <= 0) {
            http_error(r, 403, "forbidden", "this cadre account is not linked to a cadre");
            return;
        }
    } else if (!http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot add a cadre's photos",
                   auth_role_name(r->who.acct.role));
        return;
    } else if (!who || field_cadre_lookup(r->store, who, &cadre, &err) != ZC_OK) {
        http_error(r, 400, "invalid_input", "expected ?cadre=ID (a cadre ID or 身份证号)");
        return;
    }
    /* Judged here as in the module, so a wrong file is refused before the
     * writer queue. */
    if (r->data_len > FIELD_PHOTO_MAX_BYTES) {
        http_error(r, 413, "too_large",
                   "the photo has %zu bytes; at most %u are kept: take it at a lower resolution",
                   r->data_len, FIELD_PHOTO_MAX_BYTES);
        return;
    }
    if (!field_photo_type(r->data, r->data_len)) {
        http_error(r, 415, "unsupported_media_type",
                   "the file is not a JPEG or PNG picture (judged by its first bytes)");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = free;
    c->scope = http_scope_value(r);
    c->cadre = cadre;
    http_defer(r, photo_run, false, photo_done);
}

void api_field_photo_get(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    unsigned char *data = NULL;
    size_t n = 0;
    char mime[16];
    int rc = field_photo_get(r->store, &sc, r->params[0], &data, &n, mime, &err);
    if (rc == ZC_OK) {
        rc = store_begin(r->store, &err);
        if (rc == ZC_OK)
            rc = api_audit_write(r->store, &r->who, r->addr, "field.photo.view", r->params[0],
                                 r->who.acct.scope, NULL,
                                 json_pack("{s:I}", "bytes", (json_int_t)n), &err);
        if (rc == ZC_OK)
            rc = store_commit(r->store, &err);
        else
            store_rollback(r->store);
    }
    if (rc != ZC_OK) {
        free(data);
        http_zc_error(r, &err);
        return;
    }
    buf_append(&r->out, data, n);
    free(data);
    r->status = 200;
    r->ctype = strcmp(mime, "image/png") == 0 ? "image/png" : "image/jpeg";
    http_add_header(r, "Cache-Control", "private, max-age=86400");
}

/* ---- the field policy per division -------------------------------------------------------
 * GET    /api/v1/field/policies           the choices within the caller's jurisdiction
 * POST   /api/v1/field/policies           {"division": CODE, "policy": NAME} or {"plan": ID}
 * DELETE /api/v1/field/policies/:code     back to the policy above it (or the default)
 * County organisation departments and above (and admin) choose; audited. */

static bool may_choose(struct http_req *r)
{
    if (http_can_write(r) && approver_level(r) >= PA_COUNTY)
        return true;
    http_error(r, 403, "forbidden",
               "a field policy is chosen by a county organisation department or above, not by "
               "your role (%s)",
               auth_role_name(r->who.acct.role));
    return false;
}

struct choice_ctx {
    struct zc_scope scope;
    char division[16], name[64], by[96];
    char *text;
    int64_t plan;
    bool clear;
    struct field_policy_choice out;
};

static void choice_free(void *p)
{
    struct choice_ctx *c = p;
    if (c)
        free(c->text);
    free(c);
}

static int choice_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct choice_ctx *c = j->req->ctx;
    struct zc_scope d;
    int rc;
    if (c->clear)
        rc = field_policy_clear(s, &c->scope, c->division, err);
    else
        rc = field_policy_choose(s, &c->scope, c->division, c->name, c->text, c->plan, c->by,
                                 &c->out, err);
    if (rc == ZC_OK && zc_scope_parse(c->division, &d, err) == ZC_OK)
        rc = api_audit_write(
            s, &j->req->who, j->req->addr, c->clear ? "field.policy.clear" : "field.policy.choose",
            c->division, d.lo, NULL,
            c->clear ? json_pack("{}")
                     : json_pack("{s:s, s:I}", "policy", c->name, "plan", (json_int_t)c->plan),
            err);
    return rc;
}

static void choice_done(struct http_req *r)
{
    struct choice_ctx *c = r->ctx;
    char code[16];
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    if (c->clear) {
        http_json(r, 200, json_pack("{s:s, s:b}", "division", c->division, "cleared", 1));
        return;
    }
    snprintf(code, sizeof(code), "%lld", (long long)c->out.division);
    http_json(r, 201,
              json_pack("{s:s, s:s, s:I, s:s, s:s}", "division", code, "policy", c->out.name,
                        "plan", (json_int_t)c->out.plan, "by", c->out.by, "at", c->out.at));
}

/* The text of policy file `name` from the policy directory, validated. */
static char *policy_file_text(const char *name, struct zc_error *err)
{
    char path[1024];
    struct policy tmp;
    FILE *f;
    long n;
    char *text;
    if (policy_named_path(name, path, sizeof(path), err) != ZC_OK ||
        policy_load_file(path, &tmp, err) != ZC_OK)
        return NULL;
    f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        if (f)
            fclose(f);
        zc_error_set(err, ZC_EIO, "cannot read %s", path);
        return NULL;
    }
    text = zc_malloc((size_t)n + 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(text);
        zc_error_set(err, ZC_EIO, "cannot read %s", path);
        return NULL;
    }
    fclose(f);
    text[n] = '\0';
    return text;
}

void api_field_policy_choose(struct http_req *r)
{
    json_t *body;
    struct choice_ctx *c;
    struct zc_error err = {0};
    const char *div, *name;
    json_t *plan;
    if (!may_choose(r))
        return;
    body = http_json_body(r);
    if (!body)
        return;
    div = jstr(body, "division");
    name = jstr(body, "policy");
    plan = json_object_get(body, "plan");
    if (!div || strlen(div) > 12 || (!name == !json_is_integer(plan))) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"division\": CODE, \"policy\": NAME} or {\"division\": CODE, "
                   "\"plan\": ID}");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = choice_free;
    c->scope = http_scope_value(r);
    snprintf(c->division, sizeof(c->division), "%s", div);
    snprintf(c->by, sizeof(c->by), "web:%s", r->who.acct.name);
    if (name) {
        snprintf(c->name, sizeof(c->name), "%s", name);
        c->text = policy_file_text(name, &err);
    } else {
        struct policy tmp;
        c->plan = json_integer_value(plan);
        if (field_plan_policy(r->store, c->plan, c->name, &c->text, &err) == ZC_OK &&
            policy_parse(c->name, c->text, strlen(c->text), &tmp, &err) != ZC_OK) {
            free(c->text);
            c->text = NULL;
        }
    }
    json_decref(body);
    if (!c->text) {
        http_zc_error(r, &err);
        return;
    }
    http_defer(r, choice_run, false, choice_done);
}

void api_field_policy_clear(struct http_req *r)
{
    struct choice_ctx *c;
    if (!may_choose(r))
        return;
    c = zc_calloc(1, sizeof(*c));
    r->ctx = c;
    r->ctx_free = choice_free;
    c->scope = http_scope_value(r);
    c->clear = true;
    snprintf(c->division, sizeof(c->division), "%s", r->params[0]);
    http_defer(r, choice_run, false, choice_done);
}

static int choice_json(void *ud, const struct field_policy_choice *c)
{
    char code[16];
    snprintf(code, sizeof(code), "%lld", (long long)c->division);
    json_array_append_new(ud, json_pack("{s:s, s:s, s:i, s:s, s:I, s:s, s:s}", "division", code,
                                        "division_name", c->division_name, "level", c->level,
                                        "policy", c->name, "plan", (json_int_t)c->plan, "by", c->by,
                                        "at", c->at));
    return ZC_OK;
}

void api_field_policy_list(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    json_t *a;
    if (r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden", "the field policies chosen are for organisation staff");
        return;
    }
    if (!narrowed_scope(r, &sc))
        return;
    a = json_array();
    if (field_policy_choices(r->store, &sc, choice_json, a, &err) != ZC_OK) {
        json_decref(a);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o, s:s}", "choices", a, "default", field_policy()->name));
}
