/* SPDX-License-Identifier: MIT */
/* api_users.c - accounts over HTTP for the administration page:
 * GET /api/v1/users (list), POST /api/v1/users (add),
 * POST /api/v1/users/:name/disable.
 *
 * Only admin accounts manage accounts: a county account that could create a
 * province account would own the province. The checks on names, roles,
 * scopes and passwords are auth_user_add()'s, the same the CLI's `zhucun
 * user add` runs, so the web form shows the CLI's messages. Each change is
 * appended to the audit log in the transaction that makes it, with the
 * entry the CLI writes (user.add / user.disable), the actor being the admin
 * account. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth/audit.h"
#include "base/division.h"
#include "store/store.h"

static bool may_admin(struct http_req *r)
{
    if (r->who.acct.role == AUTH_ADMIN)
        return true;
    http_error(r, 403, "forbidden", "only admin accounts manage accounts");
    return false;
}

static json_t *account_json(const struct auth_account *a)
{
    char scope[16] = "";
    if (a->scope_level)
        division_format(a->scope, (enum division_level)a->scope_level, scope);
    if (a->role == AUTH_UNIT)
        scope[0] = '\0';
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:b}", "id", (json_int_t)a->id, "name",
                          a->name, "role", auth_role_name(a->role), "scope", scope, "disabled",
                          a->disabled, "created_at", a->created_at, "cadre", a->cadre != 0);
    if (o && a->unit[0])
        json_object_set_new(o, "unit", json_string(a->unit));
    return o;
}

static void add_row(void *ud, const struct auth_account *a)
{
    json_array_append_new(ud, account_json(a));
}

void api_list_users(struct http_req *r)
{
    struct zc_error err = {0};
    json_t *items;
    if (!may_admin(r))
        return;
    items = json_array();
    if (auth_user_list(r->store, add_row, items, &err) != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200,
              json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

struct user_ctx {
    char name[AUTH_NAME_MAX + 1]; /* account to add or disable */
    char role[16];                /* role name (add) */
    char scope[16];               /* division code or "" (add) */
    char cadre[24];               /* cadre ID number or "" (add) */
    char pw[AUTH_PW_MAX + 1];     /* password (add), wiped after use */
    size_t pwlen;                 /* its length */
    bool disable;                 /* disable instead of add */
    struct auth_principal who;    /* the admin */
    char addr[64];                /* their address */
    struct auth_account acct;     /* the account after the change */
};

static void user_ctx_free(void *p)
{
    struct user_ctx *c = p;
    if (!c)
        return;
    memset(c->pw, 0, sizeof(c->pw));
    free(c);
}

/* Runs inside the writer's transaction (not solo): the change and its
 * audit entry commit together or not at all. */
static int user_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct user_ctx *c = j->req->ctx;
    json_t *o;
    int rc, role = auth_role_parse(c->role);
    if (c->disable) {
        rc = auth_user_disable(s, c->name, err);
        if (rc == ZC_OK)
            rc = auth_user_get(s, c->name, &c->acct, err);
    } else if (role < 0) {
        rc = zc_error_set(err, ZC_EINVAL,
                          "unknown role '%s' (province city county township inspector cadre "
                          "auditor admin)",
                          c->role);
    } else {
        rc = auth_user_add(s, c->name, (enum auth_role)role, c->scope[0] ? c->scope : NULL,
                           c->cadre[0] ? c->cadre : NULL, c->pw, c->pwlen, &c->acct, err);
    }
    memset(c->pw, 0, sizeof(c->pw));
    if (rc != ZC_OK)
        return rc;
    o = json_pack("{s:s, s:s, s:I, s:b}", "name", c->acct.name, "role",
                  auth_role_name(c->acct.role), "scope", (json_int_t)c->acct.scope, "disabled",
                  c->acct.disabled);
    return api_audit_write(s, &c->who, c->addr, c->disable ? "user.disable" : "user.add",
                           c->acct.name, c->acct.scope, NULL, o, err);
}

static void user_done(struct http_req *r)
{
    struct user_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, c->disable ? 200 : 201, account_json(&c->acct));
}

void api_add_user(struct http_req *r)
{
    const char *name = NULL, *role = NULL, *scope = NULL, *cadre = NULL, *pw = NULL;
    size_t pwlen = 0;
    struct user_ctx *c;
    json_t *body;
    if (!may_admin(r))
        return;
    body = http_json_body(r);
    if (!body)
        return;
    if (json_unpack(body, "{s:s, s:s, s?s, s?s, s:s%}", "name", &name, "role", &role, "scope",
                    &scope, "cadre", &cadre, "password", &pw, &pwlen) != 0) {
        json_decref(body);
        http_error(r, 400, "invalid_input",
                   "expected {\"name\", \"role\", \"scope\", \"cadre\", \"password\"}");
        return;
    }
    if (strlen(name) > AUTH_NAME_MAX || strlen(role) >= 16 || (scope && strlen(scope) >= 16) ||
        (cadre && strlen(cadre) >= 24) || pwlen > AUTH_PW_MAX) {
        json_decref(body);
        http_error(r, 400, "invalid_input", "a field is too long");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s", name);
    snprintf(c->role, sizeof(c->role), "%s", role);
    snprintf(c->scope, sizeof(c->scope), "%s", scope ? scope : "");
    snprintf(c->cadre, sizeof(c->cadre), "%s", cadre ? cadre : "");
    memcpy(c->pw, pw, pwlen);
    c->pwlen = pwlen;
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    json_decref(body);
    r->ctx = c;
    r->ctx_free = user_ctx_free;
    http_defer(r, user_run, false, user_done);
}

void api_disable_user(struct http_req *r)
{
    struct user_ctx *c;
    if (!may_admin(r))
        return;
    if (strlen(r->params[0]) > AUTH_NAME_MAX) {
        http_error(r, 404, "not_found", "no such account");
        return;
    }
    if (strcmp(r->params[0], r->who.acct.name) == 0) {
        http_error(r, 400, "invalid_input", "an admin cannot disable their own account");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s", r->params[0]);
    c->disable = true;
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    r->ctx = c;
    r->ctx_free = user_ctx_free;
    http_defer(r, user_run, false, user_done);
}
