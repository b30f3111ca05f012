/* SPDX-License-Identifier: MIT */
/* api_detail.c - what the web pages show beyond one ledger row:
 *   GET /api/v1/villages/:code/team    the team serving, its history, households
 *   GET /api/v1/cadres/:id/profile     eligibility with its reasons, grades,
 *                                      discipline, postings and term
 *   GET /api/v1/plans/:id/slots        a plan browsed by village, by cadre, or
 *                                      the cadres not sent, paged
 *   GET /api/v1/templates/:kind        an empty import file with Chinese headers
 *
 * The team and the profile are the report module's figures
 * (report/figures.h), the plan's slots the match module's (match/plan.h:
 * plan_slots), each read with the caller's scope as a value; a record the
 * caller does not see answers 404, as one that does not exist. ID numbers of team members are not
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
#include "report/figures.h"
#include "store/store.h"

/* ---- village team and cadre profile (report/figures.h) ------------------------- */

void api_village_team(struct http_req *r)
{
    struct zc_error err = {0};
    struct report_team *t = NULL;
    struct report_opts opts = {0};
    struct zc_scope sc = http_scope_value(r);
    int64_t code;
    enum division_level lv;
    char day[11];
    int rc = ZC_ENOTFOUND;

    if (division_parse(r->params[0], strlen(r->params[0]), &code, &lv, NULL) == ZC_OK &&
        lv == DIV_VILLAGE) {
        /* ?date=YYYY-MM-DD: the team as of that day (begun by then, not yet
         * left) and the postings ended by then; else the open postings. */
        int dated = api_date_arg(r, "date", day);
        if (dated < 0)
            return;
        opts.date = dated ? day : NULL;
        rc = report_team(r->store, &sc, code, &opts, &t, &err);
    }
    if (rc == ZC_ENOTFOUND) {
        http_error(r, 404, "not_found", "no village %s in your jurisdiction", r->params[0]);
    } else if (rc != ZC_OK) {
        http_zc_error(r, &err);
    } else if (api_wants_xlsx(r)) {
        char file[64], today[16];
        size_t rows = 0;
        int y, m, d;
        struct report_doc *doc;
        registry_today(&y, &m, &d);
        snprintf(today, sizeof(today), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
        doc = report_team_doc(t, today, &rows);
        snprintf(file, sizeof(file), "team-%lld-%s", (long long)code,
                 t->as_of[0] ? t->as_of : today);
        api_send_doc(r, "team", file, doc, rows);
    } else {
        http_json(r, 200, report_team_json(t));
    }
    report_team_free(t);
}

void api_cadre_profile(struct http_req *r)
{
    struct zc_error err = {0};
    struct report_profile *pr = NULL;
    struct policy pol;
    struct zc_scope sc = http_scope_value(r);
    const char *ppath = policy_default_path();
    char *end = NULL;
    long long id = strtoll(r->params[0], &end, 10);
    int rc = ZC_ENOTFOUND;

    if (*r->params[0] && !*end && id > 0) {
        /* Eligibility under the default policy, as `zhucun eligible` judges it. */
        if (!ppath || policy_load_file(ppath, &pol, &err) != ZC_OK)
            policy_defaults(&pol);
        rc = report_profile(r->store, &sc, &pol, id, &pr, &err);
    }
    if (rc == ZC_ENOTFOUND)
        http_error(r, 404, "not_found", "no cadre %s in your jurisdiction", r->params[0]);
    else if (rc != ZC_OK)
        http_zc_error(r, &err);
    else
        http_json(r, 200, report_profile_json(pr));
    report_profile_free(pr);
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
            json_object_set_new(
                it, "why",
                json_string(det                                   ? det
                            : zh                                  ? zh
                            : why && strcmp(why, "recalled") == 0 ? "原人选已召回，待补派"
                            : why && strcmp(why, "rotated") == 0 ? "任期轮换，待补派新一任"
                            : why                                ? why
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
