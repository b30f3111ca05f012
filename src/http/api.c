/* SPDX-License-Identifier: MIT */
/* api.c - the route table of /api/v1 and the session endpoints.
 *
 * Login (POST /api/v1/session) answers with the token in the body, for
 * phones that send "Authorization: Bearer", and in an HttpOnly,
 * SameSite=Strict cookie for browsers; the CSRF token goes in the body and
 * in a cookie that scripts can read, and must come back in X-CSRF-Token on
 * every unsafe request that authenticates by cookie. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api.h"
#include "auth/audit.h"
#include "base/division.h"
#include "registry/registry.h"
#include "store/store.h"

/* The signed-in account, with its jurisdiction's name (马山县) beside the
 * code, so that pages never show a bare code where the name is known, and
 * the largest upload the server reads (--max-upload): the import page checks
 * a file against it before sending, since the server refuses a larger body
 * from its Content-Length and a browser sending it whole may see only a
 * closed connection. */
static json_t *principal_json(struct http_req *r, const struct auth_principal *p)
{
    struct store *s = r->store;
    char scope[16] = "";
    struct division_row row = {0};
    struct zc_error ignored = {0};
    if (p->acct.scope_level && p->acct.role != AUTH_UNIT)
        division_format(p->acct.scope, (enum division_level)p->acct.scope_level, scope);
    if (!scope[0] || divisions_get(s, scope, &row, &ignored) != ZC_OK)
        row.name[0] = '\0';
    int y, m, d;
    char today[16];
    /* The server's day (ZHUCUN_TODAY in a scenario): the date of the figures
     * every page shows unless it asks for another. */
    registry_today(&y, &m, &d);
    snprintf(today, sizeof(today), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "user", p->acct.name, "role",
                          auth_role_name(p->acct.role), "scope", scope, "scope_name", row.name,
                          "expires", (json_int_t)p->expires, "csrf", p->csrf, "today", today);
    if (o && p->acct.unit[0]) /* a sending unit's account: which unit */
        json_object_set_new(o, "unit", json_string(p->acct.unit));
    if (o)
        json_object_set_new(o, "max_upload", json_integer((json_int_t)r->cfg->max_upload));
    return o;
}

/* Cookies sent only over HTTPS with --secure-cookies (a TLS proxy in front). */
static const char *secure_attr(const struct http_req *r)
{
    return r->cfg->secure_cookies ? "; Secure" : "";
}

static void login(struct http_req *r)
{
    const char *user = NULL, *pw = NULL;
    size_t pwlen = 0;
    enum auth_result res;
    int64_t retry = 0;
    char token[AUTH_TOKEN_LEN + 1] = "";
    struct auth_principal p;
    struct zc_error err = {0};
    const char *ct = http_header(r, "Content-Type");
    json_t *body, *o;
    int rc;
    /* Only JSON (issue 17): a cross-site HTML form can send text/plain,
     * urlencoded or multipart without a preflight, never application/json,
     * so this closes login CSRF (logging a victim into the attacker's
     * account). */
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        http_error(r, 415, "unsupported_media_type", "log in with Content-Type: application/json");
        return;
    }
    body = http_json_body(r);
    if (!body)
        return;
    if (json_unpack(body, "{s:s, s:s%}", "user", &user, "password", &pw, &pwlen) != 0) {
        json_decref(body);
        http_error(r, 400, "invalid_input", "expected {\"user\": NAME, \"password\": PASSWORD}");
        return;
    }
    rc = auth_login(r->store, &r->cfg->limits, user, pw, pwlen, r->addr, (int64_t)time(NULL), &res,
                    &retry, token, &p, &err);
    json_decref(body);
    if (rc != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    if (res == AUTH_THROTTLED) {
        char s[24];
        snprintf(s, sizeof(s), "%lld", (long long)retry);
        http_add_header(r, "Retry-After", s);
        http_error(r, 429, "too_many_requests", "too many failed logins; try again in %lld seconds",
                   (long long)retry);
        return;
    }
    if (res != AUTH_OK) {
        http_error(r, 401, "unauthorized", "wrong user name or password");
        return;
    }
    r->log_user = NULL;
    snprintf(r->cookie[0], sizeof(r->cookie[0]),
             "zc_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", token,
             (long long)r->cfg->limits.session_ttl, secure_attr(r));
    snprintf(r->cookie[1], sizeof(r->cookie[1]),
             "zc_csrf=%s; Path=/; SameSite=Strict; Max-Age=%lld%s", p.csrf,
             (long long)r->cfg->limits.session_ttl, secure_attr(r));
    o = principal_json(r, &p);
    json_object_set_new(o, "token", json_string(token));
    http_json(r, 200, o);
}

static void logout(struct http_req *r)
{
    struct zc_error err = {0};
    struct audit_entry e;
    char target[AUTH_NAME_MAX + 16];
    int rc = store_begin(r->store, &err);
    if (rc == ZC_OK)
        rc = auth_logout(r->store, r->token, strlen(r->token), &err);
    if (rc == ZC_OK) {
        snprintf(target, sizeof(target), "account:%s", r->who.acct.name);
        memset(&e, 0, sizeof(e));
        e.actor = r->who.acct.name;
        e.addr = r->addr;
        e.action = "auth.logout";
        e.target = target;
        e.division = r->who.acct.scope;
        rc = audit_append(r->store, &e, &err);
    }
    if (rc == ZC_OK)
        rc = store_commit(r->store, &err);
    if (rc != ZC_OK) {
        store_rollback(r->store);
        http_zc_error(r, &err);
        return;
    }
    snprintf(r->cookie[0], sizeof(r->cookie[0]),
             "zc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", secure_attr(r));
    snprintf(r->cookie[1], sizeof(r->cookie[1]), "zc_csrf=; Path=/; SameSite=Strict; Max-Age=0%s",
             secure_attr(r));
    http_json(r, 200, json_pack("{s:b}", "logged_out", 1));
}

static void whoami(struct http_req *r)
{
    http_json(r, 200, principal_json(r, &r->who));
}

static const struct http_route routes[] = {
    {"POST", "/api/v1/session", login, HR_PUBLIC},
    {"GET", "/api/v1/session", whoami, 0},
    {"DELETE", "/api/v1/session", logout, 0},
    {"GET", "/api/v1/villages", api_list_villages, 0},
    {"POST", "/api/v1/villages", api_create_villages, 0},
    {"GET", "/api/v1/villages/:code", api_get_villages, 0},
    {"PUT", "/api/v1/villages/:code", api_replace_villages, 0},
    {"PATCH", "/api/v1/villages/:code", api_patch_villages, 0},
    {"GET", "/api/v1/cadres", api_list_cadres, 0},
    {"POST", "/api/v1/cadres", api_create_cadres, 0},
    {"GET", "/api/v1/cadres/:id", api_get_cadres, 0},
    {"PUT", "/api/v1/cadres/:id", api_replace_cadres, 0},
    {"PATCH", "/api/v1/cadres/:id", api_patch_cadres, 0},
    {"GET", "/api/v1/units", api_list_units, 0},
    {"POST", "/api/v1/units", api_create_units, 0},
    {"GET", "/api/v1/units/:code", api_get_units, 0},
    {"PUT", "/api/v1/units/:code", api_replace_units, 0},
    {"PATCH", "/api/v1/units/:code", api_patch_units, 0},
    {"GET", "/api/v1/households", api_list_households, 0},
    {"POST", "/api/v1/households", api_create_households, 0},
    {"GET", "/api/v1/households/:id", api_get_households, 0},
    {"PUT", "/api/v1/households/:id", api_replace_households, 0},
    {"PATCH", "/api/v1/households/:id", api_patch_households, 0},
    {"GET", "/api/v1/households/:id/card", api_household_card, 0},
    {"POST", "/api/v1/households/:id/review", api_household_review, 0},
    {"POST", "/api/v1/households/:id/watch", api_watch_respond, 0},
    {"GET", "/api/v1/aid/plans", api_aid_plans, 0},
    {"PUT", "/api/v1/households/:id/causes", api_household_causes, 0},
    {"POST", "/api/v1/households/:id/measures", api_household_measure_add, 0},
    {"PUT", "/api/v1/households/:id/cadre", api_household_cadre, 0},
    {"PATCH", "/api/v1/aid/measures/:id", api_aid_measure_edit, 0},
    {"DELETE", "/api/v1/aid/measures/:id", api_aid_measure_remove, 0},
    {"POST", "/api/v1/aid/measures/:id/done", api_aid_measure_done, 0},
    {"GET", "/api/v1/posts", api_list_posts, 0},
    {"POST", "/api/v1/posts", api_create_posts, 0},
    {"GET", "/api/v1/posts/:code", api_get_posts, 0},
    {"PUT", "/api/v1/posts/:code", api_replace_posts, 0},
    {"PATCH", "/api/v1/posts/:code", api_patch_posts, 0},
    {"DELETE", "/api/v1/posts/:code", api_delete_posts, 0},
    {"GET", "/api/v1/post-holders", api_post_holders, 0},
    {"GET", "/api/v1/divisions", api_list_divisions, 0},
    {"GET", "/api/v1/divisions/:code", api_get_divisions, 0},
    {"GET", "/api/v1/skills", api_list_skills, 0},
    {"POST", "/api/v1/skills", api_add_skill, 0},
    {"POST", "/api/v1/import", api_import, HR_UPLOAD},
    {"GET", "/api/v1/export", api_export, 0},
    {"GET", "/api/v1/findings", api_list_findings, 0},
    {"POST", "/api/v1/findings", api_add_finding, 0},
    {"GET", "/api/v1/audit", api_audit_list, 0},
    {"GET", "/api/v1/audit/verify", api_audit_verify, 0},
    {"GET", "/api/v1/plans", api_list_plans, 0},
    {"POST", "/api/v1/plans", api_match, 0},
    {"GET", "/api/v1/plans/:id", api_get_plan, 0},
    {"POST", "/api/v1/plans/:id/publish", api_publish, 0},
    {"DELETE", "/api/v1/plans/:id", api_discard, 0},
    {"GET", "/api/v1/pins", api_list_pins, 0},
    {"POST", "/api/v1/pins", api_create_pins, 0},
    {"GET", "/api/v1/pins/cadres", api_pin_cadres, 0},
    {"DELETE", "/api/v1/pins/:cadre", api_delete_pins, 0},
    {"GET", "/api/v1/pairs", api_list_pairs, 0},
    {"POST", "/api/v1/pairs", api_create_pairs, 0},
    {"DELETE", "/api/v1/pairs/:village", api_delete_pairs, 0},
    {"POST", "/api/v1/recalls", api_recall, 0},
    {"POST", "/api/v1/plans/:id/rotate", api_rotate, 0},
    {"POST", "/api/v1/plans/:id/extend", api_extend, 0},
    {"GET", "/api/v1/plans/:id/explain", api_explain, 0},
    {"GET", "/api/v1/plans/:id/slots", api_plan_slots, 0},
    {"GET", "/api/v1/policies", api_list_policies, 0},
    {"GET", "/api/v1/stats", api_stats, 0},
    {"GET", "/api/v1/villages/:code/team", api_village_team, 0},
    {"GET", "/api/v1/cadres/:id/profile", api_cadre_profile, 0},
    {"GET", "/api/v1/templates/:kind", api_template, 0},
    {"GET", "/api/v1/users", api_list_users, 0},
    {"POST", "/api/v1/users", api_add_user, 0},
    {"POST", "/api/v1/users/:name/disable", api_disable_user, 0},
    {"POST", "/api/v1/field/checkins", api_field_checkin, 0},
    {"POST", "/api/v1/field/entries", api_field_entry, 0},
    {"GET", "/api/v1/field/entries", api_field_entry_list, 0},
    {"GET", "/api/v1/field/entries/:id", api_field_entry_get, 0},
    {"PATCH", "/api/v1/field/entries/:id", api_field_entry_edit, 0},
    {"POST", "/api/v1/field/leave", api_field_leave, 0},
    {"POST", "/api/v1/field/leave/:id/approve", api_field_leave_approve, 0},
    {"POST", "/api/v1/field/leave/:id/reject", api_field_leave_reject, 0},
    {"POST", "/api/v1/field/leave/:id/return", api_field_leave_return, 0},
    {"GET", "/api/v1/field/presence", api_field_presence, 0},
    {"GET", "/api/v1/field/cases", api_field_cases, 0},
    {"POST", "/api/v1/field/cases/dismiss", api_field_case_dismiss, 0},
    {"POST", "/api/v1/field/cases/confirm", api_field_case_confirm, 0},
    {"GET", "/api/v1/field/leave", api_field_leave_list, 0},
    {"GET", "/api/v1/field/policy", api_field_policy, 0},
    {"GET", "/api/v1/field/policies", api_field_policy_list, 0},
    {"POST", "/api/v1/field/policies", api_field_policy_choose, 0},
    {"DELETE", "/api/v1/field/policies/:code", api_field_policy_clear, 0},
    /* A photo is read up to its own limit (plus a multipart envelope), not max_upload. */
    {"POST", "/api/v1/field/photos", api_field_photo_upload, HR_UPLOAD | HR_PHOTO},
    {"GET", "/api/v1/field/photos/:hash", api_field_photo_get, 0},
    {"POST", "/api/v1/field/contests", api_field_contest, 0},
    {"GET", "/api/v1/field/contests", api_field_contest_list, 0},
    {"POST", "/api/v1/field/contests/:id/accept", api_field_contest_accept, 0},
    {"POST", "/api/v1/field/contests/:id/reject", api_field_contest_reject, 0},
    {"POST", "/api/v1/assess/inspect/sample", api_assess_sample, 0},
    {"POST", "/api/v1/assess/inspections", api_assess_inspection, 0},
    {"GET", "/api/v1/assess/findings", api_assess_findings, 0},
    {"POST", "/api/v1/assess/findings", api_assess_finding, 0},
    {"GET", "/api/v1/assess/tickets", api_assess_tickets, 0},
    {"GET", "/api/v1/assess/tickets/:id", api_assess_ticket, 0},
    {"POST", "/api/v1/assess/tickets/:id/fix", api_assess_ticket_fix, 0},
    {"POST", "/api/v1/assess/tickets/:id/check", api_assess_ticket_check, 0},
    {"GET", "/api/v1/assess/negative", api_assess_negative, 0},
    {"POST", "/api/v1/assess/negative", api_assess_negative_add, 0},
    {"GET", "/api/v1/assess/ladder", api_assess_ladder, 0},
    {"POST", "/api/v1/assess/ladder/propose", api_assess_ladder_propose, 0},
    {"POST", "/api/v1/assess/ladder/:id/appeal", api_assess_ladder_appeal, 0},
    {"POST", "/api/v1/assess/ladder/:id/confirm", api_assess_ladder_confirm, 0},
    {"POST", "/api/v1/assess/ladder/:id/withdraw", api_assess_ladder_withdraw, 0},
    {"POST", "/api/v1/assess/tasks", api_assess_task, 0},
    {"GET", "/api/v1/assess/tasks", api_assess_tasks, 0},
    {"POST", "/api/v1/assess/commendations", api_assess_commend, 0},
    {"GET", "/api/v1/assess/commendations", api_assess_commendations, 0},
    {"GET", "/api/v1/assess/promotions", api_assess_promotions, 0},
    {"POST", "/api/v1/assess/tasks/:id/done", api_assess_task_done, 0},
    {"GET", "/api/v1/assess/month", api_assess_month, 0},
    {"GET", "/api/v1/assess/year", api_assess_year, 0},
    {"POST", "/api/v1/assess/year/grades", api_assess_grade_set, 0},
    {"POST", "/api/v1/assess/year/confirm", api_assess_year_confirm, 0},
    {"GET", "/api/v1/assess/funds", api_assess_funds, 0},
    {"GET", "/api/v1/outcomes", api_outcomes, 0},
    {"GET", "/api/v1/notices", api_notices, 0},
    {"POST", "/api/v1/notices/:id/read", api_notice_read, 0},
    {"GET", "/api/v1/outcomes/attribution", api_outcome_attribution, 0},
    {"GET", "/api/v1/watch", api_watch, 0},
    {"POST", "/api/v1/assess/funds", api_assess_fund_add, 0},
    {"GET", "/api/v1/assess/bulletin", api_assess_bulletin, 0},
};

const struct http_route *http_api_routes(size_t *count)
{
    *count = sizeof(routes) / sizeof(routes[0]);
    return routes;
}

int api_audit_write(struct store *s, const struct auth_principal *who, const char *addr,
                    const char *action, const char *target, int64_t division, const char *old_json,
                    json_t *what, struct zc_error *err)
{
    struct audit_entry e;
    char *nj = json_dumps(what, JSON_COMPACT | JSON_SORT_KEYS);
    int rc;
    json_decref(what);
    memset(&e, 0, sizeof(e));
    e.actor = who->acct.name;
    e.addr = addr;
    e.action = action;
    e.target = target;
    e.division = division;
    e.old_json = old_json;
    e.new_json = nj;
    rc = audit_append(s, &e, err);
    free(nj);
    return rc;
}
