/* SPDX-License-Identifier: MIT */
/* api_detail.c - what the web pages show beyond one ledger row:
 *   GET /api/v1/villages/:code/team    the team serving, its history, households
 *   GET /api/v1/cadres/:id/profile     eligibility with its reasons, grades,
 *                                      discipline, postings and term
 *   GET /api/v1/plans/:id/slots        a plan browsed by village, by cadre, or
 *                                      the cadres not sent, paged
 *   GET /api/v1/templates/:kind        an empty import file with Chinese headers
 *
 * Each read first proves the record is visible to the caller with the same
 * scope clause as the lists (http_scope_sql), and answers 404 otherwise, as
 * for a record that does not exist. ID numbers of team members are not
 * sent at all: a page about a village needs names and units, not them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "base/division.h"
#include "match/model.h"
#include "match/plan.h"
#include "policy/policy.h"
#include "select/select.h"
#include "store/store.h"

/* Append the rows of a prepared statement as objects (text columns, or
 * integers where `ints` has a 'i' at the column's place). */
static int stmt_rows(struct store_stmt *st, const char *const *keys, const char *ints, int n,
                     json_t *out, struct zc_error *err)
{
    bool row = true;
    int rc = ZC_OK;
    while (rc == ZC_OK) {
        json_t *o;
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        o = json_object();
        for (int i = 0; i < n; i++) {
            json_t *v = store_col_is_null(st, i) ? json_null()
                        : ints[i] == 'i'         ? json_integer(store_col_int(st, i))
                                                 : json_string(store_col_text(st, i));
            json_object_set_new(o, keys[i], v);
        }
        json_array_append_new(out, o);
    }
    return rc;
}

/* Prepare `sql`, bind one integer, append rows. */
static int query_by_int(struct http_req *r, const char *sql, int64_t key, const char *const *keys,
                        const char *ints, int n, json_t *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(r->store, sql, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, key);
        rc = stmt_rows(st, keys, ints, n, out, err);
    }
    store_finalize(st);
    return rc;
}

/* ---- village team --------------------------------------------------------------- */

/* Role codes in Chinese on every row, for the workbook. */
static void roles_zh(json_t *rows)
{
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        const char *role = json_string_value(json_object_get(it, "role"));
        int k = role ? model_role_parse(role) : -1;
        if (k >= 0)
            json_object_set_new(it, "role_zh", json_string(model_role_zh((enum model_role)k)));
    }
}

/* The team (and past postings) as a workbook: the table the village page shows. */
static void team_xlsx(struct http_req *r, int64_t code, const char *name, const char *day,
                      json_t *team, json_t *hist)
{
    static const struct api_xcol cols[] = {
        {"role_zh", "职务", 0, 0},       {"name", "姓名", 0, 0},
        {"unit_name", "派出单位", 0, 0}, {"category", "单位类别", 0, 0},
        {"start", "到村日期", 0, 0},     {"term_end", "任期届满", 0, 0},
        {"order", "选派命令", 0, 0},     {"end", "离村日期", 0, 0},
    };
    char title[200], sub[120], file[64], today[16];
    int y, m, d;
    const struct api_xtable tabs[] = {
        {"驻村工作队", cols, 7, team},
        {"历任驻村干部", cols, 8, hist},
    };
    registry_today(&y, &m, &d);
    snprintf(today, sizeof(today), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    roles_zh(team);
    roles_zh(hist);
    snprintf(title, sizeof(title), "%s 驻村工作队", name[0] ? name : "村");
    snprintf(sub, sizeof(sub), "区划代码 %lld · 数据截至 %s", (long long)code,
             day[0] ? day : today);
    snprintf(file, sizeof(file), "team-%lld-%s", (long long)code, day[0] ? day : today);
    api_send_xlsx(r, "team", file, title, sub, tabs, 2);
}

void api_village_team(struct http_req *r)
{
    static const char *const tk[] = {"cadre", "name",  "unit", "unit_name", "category",
                                     "role",  "start", "end",  "order",     "term_end"};
    static const char *const hk[] = {"status", "households", "members"};
    static const char *const rk[] = {"cadre", "name", "date", "reason", "role"};
    struct zc_error err = {0};
    struct buf sql = {0};
    int64_t code;
    enum division_level lv;
    json_t *team = json_array(), *hist = json_array(), *hh = json_array(), *rec = json_array();
    char day[11], now_s[160] = "p.end_date IS NULL", past_s[80] = "p.end_date IS NOT NULL",
                  vname[128] = "";
    int rc = ZC_OK, dated = 0;

    if (division_parse(r->params[0], strlen(r->params[0]), &code, &lv, NULL) != ZC_OK ||
        lv != DIV_VILLAGE) {
        rc = ZC_ENOTFOUND;
        goto done;
    }
    dated = api_date_arg(r, "date", day);
    if (dated < 0)
        goto gone;
    /* The village, if the caller sees it, with its name (for the workbook). */
    buf_puts(&sql, "SELECT d.name FROM village v JOIN division d ON d.code = v.code WHERE ");
    http_scope_sql(r, HT_VILLAGE, "v.code", &sql);
    buf_puts(&sql, " AND v.code = ?");
    {
        struct store_stmt *st = NULL;
        bool row = false;
        if (store_prepare(r->store, buf_cstr(&sql), &st, &err) == ZC_OK) {
            store_bind_int(st, 1, code);
            if (store_step(st, &row, &err) == ZC_OK && row)
                snprintf(vname, sizeof(vname), "%s", store_col_text(st, 0));
        }
        store_finalize(st);
        if (!row) {
            rc = ZC_ENOTFOUND;
            goto done;
        }
    }
    /* ?date=YYYY-MM-DD: the team as of that day (begun by then, not yet
     * left) and the postings ended by then; else the open postings. */
    if (dated)
        snprintf(now_s, sizeof(now_s),
                 "p.start_date <= '%s' AND (p.end_date IS NULL OR p.end_date > '%s')", day, day);
    if (dated)
        snprintf(past_s, sizeof(past_s), "p.end_date <= '%s'", day);
        /* Serving and past postings; the term comes from the dispatch order of
         * the plan whose slot the cadre holds. */
#define POSTINGS                                                                                   \
    "SELECT c.id, c.name, u.code, u.name, u.category, p.role, p.start_date, p.end_date, "          \
    "(SELECT o.number FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "                  \
    " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC LIMIT 1), "     \
    "(SELECT o.end_date FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "                \
    " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC LIMIT 1) "      \
    "FROM posting p JOIN cadre c ON c.id = p.cadre JOIN unit u ON u.code = c.unit "                \
    "WHERE p.village = ? AND "
    buf_reset(&sql);
    buf_printf(&sql,
               POSTINGS "%s ORDER BY CASE p.role WHEN 'first_secretary' "
                        "THEN 1 WHEN 'leader' THEN 2 ELSE 3 END, c.name",
               now_s);
    rc = query_by_int(r, buf_cstr(&sql), code, tk, "isssssssss", 10, team, &err);
    buf_reset(&sql);
    buf_printf(&sql, POSTINGS "%s ORDER BY p.end_date DESC LIMIT 100", past_s);
    if (rc == ZC_OK)
        rc = query_by_int(r, buf_cstr(&sql), code, tk, "isssssssss", 10, hist, &err);
#undef POSTINGS
    if (rc == ZC_OK)
        rc = query_by_int(r,
                          "SELECT r.cadre, c.name, r.date, r.reason, r.role FROM recall r "
                          "JOIN cadre c ON c.id = r.cadre WHERE r.village = ? "
                          "ORDER BY r.date DESC LIMIT 100",
                          code, rk, "issss", 5, rec, &err);
    if (rc == ZC_OK)
        rc = query_by_int(r,
                          "SELECT status, count(*), sum(members) FROM household WHERE village = ? "
                          "GROUP BY status ORDER BY status",
                          code, hk, "sii", 3, hh, &err);
done:
    buf_fini(&sql);
    if (rc == ZC_ENOTFOUND) {
        http_error(r, 404, "not_found", "no village %s in your jurisdiction", r->params[0]);
    } else if (rc != ZC_OK) {
        http_zc_error(r, &err);
    } else if (api_wants_xlsx(r)) {
        team_xlsx(r, code, vname, day, team, hist);
    } else {
        http_json(r, 200,
                  json_pack("{s:O, s:O, s:O, s:O, s:s?}", "team", team, "history", hist, "recalls",
                            rec, "households", hh, "as_of", dated ? day : NULL));
    }
gone:
    json_decref(team);
    json_decref(hist);
    json_decref(hh);
    json_decref(rec);
}

/* ---- cadre profile -------------------------------------------------------------- */

struct elig_find {
    int64_t id;                 /* cadre wanted */
    bool found;                 /* seen by the scan */
    struct eligible_result res; /* its result */
};

static int elig_one(void *ud, const struct eligible_cadre *c, const struct eligible_result *res)
{
    struct elig_find *f = ud;
    if (c->id == f->id) {
        f->found = true;
        f->res = *res;
    }
    return ZC_OK;
}

void api_cadre_profile(struct http_req *r)
{
    static const char *const gk[] = {"year", "grade"};
    static const char *const dk[] = {"year", "kind"};
    static const char *const pk[] = {"village", "village_name", "role",       "start",
                                     "end",     "order",        "term_years", "term_end"};
    struct zc_error err = {0};
    struct buf sql = {0};
    struct store_stmt *st = NULL;
    struct policy pol;
    struct elig_find f;
    struct eligible_scan_opts so;
    char unit[40] = "", *end = NULL;
    const char *ppath = policy_default_path();
    long long id = strtoll(r->params[0], &end, 10);
    bool row = false;
    json_t *grades = json_array(), *disc = json_array(), *posts = json_array(), *reasons;
    int rc = ZC_OK;

    if (!*r->params[0] || *end || id <= 0) {
        rc = ZC_ENOTFOUND;
        goto done;
    }
    buf_puts(&sql, "SELECT c.unit FROM cadre c JOIN unit u ON u.code = c.unit WHERE ");
    http_scope_sql(r, HT_CADRE, NULL, &sql);
    buf_puts(&sql, " AND c.id = ?");
    rc = store_prepare(r->store, buf_cstr(&sql), &st, &err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        rc = store_step(st, &row, &err);
        if (rc == ZC_OK && row)
            snprintf(unit, sizeof(unit), "%s", store_col_text(st, 0));
    }
    store_finalize(st);
    if (rc == ZC_OK && !row)
        rc = ZC_ENOTFOUND;
    if (rc != ZC_OK)
        goto done;
    rc = query_by_int(r, "SELECT year, grade FROM cadre_grade WHERE cadre = ? ORDER BY year DESC",
                      id, gk, "is", 2, grades, &err);
    if (rc == ZC_OK)
        rc = query_by_int(r,
                          "SELECT year, kind FROM cadre_discipline WHERE cadre = ? "
                          "ORDER BY year DESC",
                          id, dk, "is", 2, disc, &err);
    if (rc == ZC_OK)
        rc = query_by_int(
            r,
            "SELECT p.village, coalesce(d.name, ''), p.role, p.start_date, p.end_date, "
            "(SELECT o.number FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "
            " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC "
            " LIMIT 1), "
            "(SELECT o.term_years FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "
            " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC "
            " LIMIT 1), "
            "(SELECT o.end_date FROM plan_slot s JOIN dispatch_order o ON o.plan = s.plan "
            " WHERE s.cadre = p.cadre AND s.village = p.village ORDER BY o.start_date DESC "
            " LIMIT 1) "
            "FROM posting p LEFT JOIN division d ON d.code = p.village WHERE p.cadre = ? "
            "ORDER BY p.start_date DESC",
            id, pk, "isssssis", 8, posts, &err);
    if (rc != ZC_OK)
        goto done;
    /* Eligibility under the default policy, as `zhucun eligible` judges it;
     * the scan is limited to the cadre's unit. */
    if (!ppath || policy_load_file(ppath, &pol, &err) != ZC_OK)
        policy_defaults(&pol);
    memset(&f, 0, sizeof(f));
    memset(&so, 0, sizeof(so));
    f.id = id;
    so.unit = unit;
    rc = eligible_scan(r->store, &pol, &so, elig_one, &f, &err);
done:
    buf_fini(&sql);
    if (rc == ZC_ENOTFOUND) {
        http_error(r, 404, "not_found", "no cadre %s in your jurisdiction", r->params[0]);
    } else if (rc != ZC_OK) {
        http_zc_error(r, &err);
    } else {
        reasons = json_array();
        for (size_t i = 0; f.found && i < f.res.nreasons; i++) {
            char zh[256], en[256];
            eligible_reason_text(&f.res.reasons[i], true, zh, sizeof(zh));
            eligible_reason_text(&f.res.reasons[i], false, en, sizeof(en));
            json_array_append_new(reasons, json_pack("{s:s, s:s, s:s}", "code",
                                                     eligible_code_name(f.res.reasons[i].code),
                                                     "zh", zh, "en", en));
        }
        http_json(r, 200,
                  json_pack("{s:{s:s, s:b, s:i, s:o}, s:O, s:O, s:O}", "eligibility", "policy",
                            pol.name, "eligible", f.found && f.res.ok, "age",
                            f.found ? f.res.age : -1, "reasons", reasons, "grades", grades,
                            "discipline", disc, "postings", posts));
    }
    json_decref(grades);
    json_decref(disc);
    json_decref(posts);
}

/* ---- plan slots ----------------------------------------------------------------- */

/* "department=30;distance=-2" in words, as the plan page shows it. */
static json_t *breakdown_zh(const char *bd)
{
    static const char *const terms[][2] = {{"department", "单位类别对口"},
                                           {"skill_need", "技能对应需求"},
                                           {"rural_deep", "农村经历（深度贫困村）"},
                                           {"paired_unit", "结对单位"},
                                           {"volunteer", "自愿报名"},
                                           {"preferred", "意向地区"},
                                           {"distance", "距离"}};
    struct buf b = {0};
    json_t *out;
    while (bd && *bd) {
        const char *e = strchr(bd, ';'), *eq = strchr(bd, '=');
        size_t n = e ? (size_t)(e - bd) : strlen(bd);
        const char *name = NULL;
        if (eq && (size_t)(eq - bd) < n) {
            for (size_t k = 0; k < sizeof(terms) / sizeof(terms[0]); k++)
                if (strlen(terms[k][0]) == (size_t)(eq - bd) &&
                    strncmp(bd, terms[k][0], (size_t)(eq - bd)) == 0)
                    name = terms[k][1];
            buf_printf(&b, "%s%s %s%.*s", b.len ? "；" : "", name ? name : "",
                       eq[1] == '-' ? "" : "+", (int)(n - (size_t)(eq - bd) - 1), eq + 1);
            if (!name) /* an unknown term keeps its code */
                buf_printf(&b, " (%.*s)", (int)(eq - bd), bd);
        }
        bd = e ? e + 1 : NULL;
    }
    out = json_string(b.len ? buf_cstr(&b) : "");
    buf_fini(&b);
    return out;
}

/* A plan's list as a workbook: every slot in the caller's villages (or the
 * cadres not sent), as the plan page lists them. */
static void slots_xlsx(struct http_req *r, long long id, bool unsent, json_t *items)
{
    static const struct api_xcol scols[] = {
        {"village_name", "村", 0, 0},
        {"village", "区划代码", 0, 0},
        {"seq", "岗位", 1, 0},
        {"role_zh", "职责", 0, 0},
        {"need", "专业需求", 0, 0},
        {"cadre_name", "人选", 0, 0},
        {"unit_name", "派出单位", 0, 0},
        {"score", "匹配分", 1, 0},
        {"why", "得分构成 / 空缺原因", 0, 0},
        {"state_zh", "状态", 0, 0},
    };
    static const struct api_xcol ccols[] = {
        {"cadre_name", "干部", 0, 0}, {"unit_name", "派出单位", 0, 0}, {"why", "未选派原因", 0, 0}};
    static const char *const states[][2] = {
        {"draft", "草案"}, {"serving", "在岗"}, {"vacant", "空缺待补派"}, {"replaced", "已撤换"}};
    char title[120], sub[80], file[64], today[16];
    size_t i;
    json_t *it;
    int y, m, d;
    json_array_foreach(items, i, it)
    {
        const char *zh = json_string_value(json_object_get(it, "reason_zh"));
        const char *bd = json_string_value(json_object_get(it, "breakdown"));
        const char *det = json_string_value(json_object_get(it, "detail"));
        const char *why = json_string_value(json_object_get(it, "reason"));
        const char *st = json_string_value(json_object_get(it, "state"));
        if (bd && json_is_string(json_object_get(it, "cadre_name")))
            json_object_set_new(it, "why", breakdown_zh(bd));
        else
            json_object_set_new(it, "why",
                                json_string(det  ? det
                                            : zh ? zh
                                            : why && strcmp(why, "recalled") == 0
                                                ? "原人选已召回，待补派"
                                            : why ? why
                                                  : ""));
        for (size_t k = 0; st && k < sizeof(states) / sizeof(states[0]); k++)
            if (strcmp(st, states[k][0]) == 0)
                json_object_set_new(it, "state_zh", json_string(states[k][1]));
    }
    registry_today(&y, &m, &d);
    snprintf(today, sizeof(today), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    snprintf(title, sizeof(title), "选派方案 #%lld %s", id, unsent ? "未选派的干部" : "选派名单");
    snprintf(sub, sizeof(sub), "数据截至 %s", today);
    snprintf(file, sizeof(file), "plan-%lld-%s", id, unsent ? "unsent" : "slots");
    {
        const struct api_xtable t = {unsent ? "未选派的干部" : "选派名单", unsent ? ccols : scols,
                                     unsent ? 3 : 10, items};
        api_send_xlsx(r, "plan", file, title, sub, &t, 1);
    }
}

/* A row of plan_slots as the JSON object of the slot list (NULL columns
 * as null). */
static json_t *jtext(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void slot_row_json(void *ud, const struct plan_slot_row *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "village", json_integer(w->village));
    json_object_set_new(o, "village_name", jtext(w->village_name));
    json_object_set_new(o, "seq", json_integer(w->seq));
    json_object_set_new(o, "role", jtext(w->role));
    json_object_set_new(o, "need", jtext(w->need));
    json_object_set_new(o, "cadre", w->has_cadre ? json_integer(w->cadre) : json_null());
    json_object_set_new(o, "cadre_name", jtext(w->cadre_name));
    json_object_set_new(o, "unit_name", jtext(w->unit_name));
    json_object_set_new(o, "score", w->has_score ? json_integer(w->score) : json_null());
    json_object_set_new(o, "reason", jtext(w->reason));
    json_object_set_new(o, "state", jtext(w->state));
    json_object_set_new(o, "breakdown", jtext(w->breakdown));
    json_array_append_new(ud, o);
}

static void unsent_row_json(void *ud, const struct plan_slot_row *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "cadre", w->has_cadre ? json_integer(w->cadre) : json_null());
    json_object_set_new(o, "cadre_name", jtext(w->cadre_name));
    json_object_set_new(o, "unit_name", jtext(w->unit_name));
    json_object_set_new(o, "reason", jtext(w->reason));
    json_object_set_new(o, "detail", jtext(w->detail));
    json_array_append_new(ud, o);
}

void api_plan_slots(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct plan_slot_query q = {.lo = 0, .hi = INT64_MAX};
    const char *view = http_arg(r, "view"), *vq = http_arg(r, "village"),
               *only = http_arg(r, "only");
    char *end = NULL;
    long long id = strtoll(r->params[0], &end, 10), page = 1, per = 50;
    int64_t total = 0;
    const char *pg = http_arg(r, "page"), *pp = http_arg(r, "per_page");
    bool unsent, xlsx = api_wants_xlsx(r);
    json_t *items;
    int rc;

    if (r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden", "plans are read by staff, inspectors and auditors");
        return;
    }
    if (pg)
        page = strtoll(pg, NULL, 10);
    if (pp)
        per = strtoll(pp, NULL, 10);
    if (page < 1 || page > 1000000 || per < 1 || per > 500) {
        http_error(r, 400, "invalid_input", "page is 1 or more; per_page is 1 to 500");
        return;
    }
    unsent = view && strcmp(view, "unsent") == 0;
    if (xlsx) /* the whole list, not a page of it */
        page = 1, per = 100000;
    if (!*r->params[0] || *end || id <= 0) {
        http_error(r, 404, "not_found", "no plan %s in your jurisdiction", r->params[0]);
        return;
    }
    q.plan = id;
    q.view = unsent                               ? PSV_UNSENT
             : view && strcmp(view, "cadre") == 0 ? PSV_BY_CADRE
                                                  : PSV_BY_VILLAGE;
    if (vq) {
        int64_t code;
        enum division_level lv;
        if (division_parse(vq, strlen(vq), &code, &lv, NULL) == ZC_OK)
            division_range(code, lv, &q.lo, &q.hi);
    }
    q.only = only && strcmp(only, "unfilled") == 0 ? PSO_UNFILLED
             : only && strcmp(only, "filled") == 0 ? PSO_FILLED
                                                   : PSO_ALL;
    q.limit = per;
    q.offset = (page - 1) * per;
    items = json_array();
    rc = plan_slots(r->store, &sc, &q, &total, unsent ? unsent_row_json : slot_row_json, items,
                    &err);
    if (rc != ZC_OK) {
        json_decref(items);
        if (rc == ZC_ENOTFOUND)
            http_error(r, 404, "not_found", "no plan %s in your jurisdiction", r->params[0]);
        else
            http_zc_error(r, &err);
        return;
    }
    /* Reasons in words, as explain prints them. */
    {
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            const char *why = json_string_value(json_object_get(it, "reason"));
            const char *role = json_string_value(json_object_get(it, "role"));
            for (int w = 1; why && w < MW_NCODES; w++) {
                if (strcmp(why, model_why_name((enum model_why)w)) == 0)
                    json_object_set_new(it, "reason_zh",
                                        json_string(model_why_zh((enum model_why)w)));
            }
            if (role && model_role_parse(role) >= 0)
                json_object_set_new(
                    it, "role_zh",
                    json_string(model_role_zh((enum model_role)model_role_parse(role))));
        }
    }
    if (xlsx) {
        slots_xlsx(r, id, unsent, items);
        json_decref(items);
        return;
    }
    http_json(r, 200,
              json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page,
                        "per_page", (json_int_t)per, "total", (json_int_t)total));
}

/* ---- import templates -------------------------------------------------------------- */

void api_template(struct http_req *r)
{
    struct zc_error err = {0};
    struct export_options opt;
    enum registry_kind kind;
    const char *fmt = http_arg(r, "format");
    char path[] = "/tmp/zhucun-template-XXXXXX", disp[160];
    struct stat sb;
    int fd, rc;
    if (!http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot import",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (registry_kind_parse(r->params[0], &kind, &err) != ZC_OK) {
        http_error(r, 404, "not_found", "kind must be units, villages, cadres or households");
        return;
    }
    memset(&opt, 0, sizeof(opt));
    if (!fmt || strcmp(fmt, "csv") == 0) {
        opt.format = TW_CSV, fmt = "csv";
    } else if (strcmp(fmt, "xlsx") == 0) {
        opt.format = TW_XLSX;
    } else {
        http_error(r, 400, "invalid_input", "format must be csv or xlsx");
        return;
    }
    opt.chinese_headers = true;
    fd = mkstemp(path);
    if (fd < 0) {
        http_error(r, 503, "unavailable", "no room for the template");
        return;
    }
    opt.path = path;
    rc = registry_template(kind, &opt, &err);
    unlink(path); /* the descriptor keeps the bytes until they are sent */
    if (rc != ZC_OK || fstat(fd, &sb) != 0) {
        close(fd);
        http_zc_error(r, &err);
        return;
    }
    r->fd = fd;
    r->fd_size = (int64_t)sb.st_size;
    r->status = 200;
    r->ctype = opt.format == TW_XLSX ? http_content_type("x.xlsx") : "text/csv; charset=utf-8";
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s-template.%s\"",
             registry_kind_name(kind), fmt);
    http_add_header(r, "Content-Disposition", disp);
}
