/* SPDX-License-Identifier: MIT */
/* api_stats.c - GET /api/v1/stats: the figures of the home page, for the
 * caller's jurisdiction (or a division inside it, ?scope=CODE).
 *
 * These are the numbers the reports quote: how many poor and deep-poverty
 * villages have a first secretary and a full team, how many cadres are
 * serving and from which kind of unit, their age and education make-up,
 * and the same coverage per division one level down (the "list of county
 * points" that stands in for a map, which we do not draw: China's map data
 * needs an approval number to publish).
 *
 * "Serving" means an open posting (end_date IS NULL) in a village of the
 * scope. "Full team" means at least as many serving cadres as the default
 * policy's team size for the village's poverty class, so the home page and
 * `zhucun match` count a team the same way. Every query is one aggregate
 * over the scope clause of http_scope_sql(); a cadre account has no
 * jurisdiction to summarise and is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "base/calendar.h"
#include "base/division.h"
#include "policy/policy.h"
#include "store/store.h"

/* Column kinds of a result row. */
enum stat_col { SC_INT, SC_TEXT, SC_REAL, SC_DIV };

/* Run `sql` and append one object per row, keys[i] from column i. */
static int rows_json(struct http_req *r, const char *sql, const char *const *keys,
                     const enum stat_col *types, int ncols, json_t *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = true;
    int rc = store_prepare(r->store, sql, &st, err);
    while (rc == ZC_OK) {
        json_t *o;
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        o = json_object();
        for (int i = 0; i < ncols; i++) {
            json_t *v;
            if (store_col_is_null(st, i)) {
                v = json_null();
            } else if (types[i] == SC_INT) {
                v = json_integer(store_col_int(st, i));
            } else if (types[i] == SC_REAL) {
                v = json_real(store_col_real(st, i));
            } else if (types[i] == SC_DIV) {
                char s[16];
                int64_t code = store_col_int(st, i);
                division_format(code, division_level_of(code), s);
                v = json_string(s);
            } else {
                v = json_string(store_col_text(st, i));
            }
            json_object_set_new(o, keys[i], v);
        }
        json_array_append_new(out, o);
    }
    store_finalize(st);
    return rc;
}

/* The date ages are taken at: ZHUCUN_TODAY (a scenario's date) or today,
 * as the registry does. */
static void today_text(char out[16])
{
    const char *env = getenv("ZHUCUN_TODAY");
    int y, m, d;
    if (env && sscanf(env, "%4d-%2d-%2d", &y, &m, &d) == 3 && y > 1900 && m >= 1 && m <= 12 &&
        d >= 1 && d <= 31) {
        snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(out, 16, "%Y-%m-%d", &tm);
    }
}

/* `day` (YYYY-MM-DD) n years earlier, as SQLite's date(day, '-N years')
 * gives it (29 February of a year that has none is 1 March), computed here
 * so that the SQL needs no date modifiers. Returns out. */
static const char *years_before(const char *day, int n, char out[16])
{
    int y = 0, m = 0, d = 0;
    if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
        snprintf(out, 16, "%s", day);
        return out;
    }
    y -= n;
    if (d > cal_month_days(y, m)) { /* 02-29 */
        d -= cal_month_days(y, m);
        m++;
    }
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return out;
}

/* Powers of ten that cut a 12-digit code down to a division of `level`. */
static long long level_unit(enum division_level level)
{
    switch (level) {
    case DIV_PROVINCE:
        return 10000000000LL;
    case DIV_CITY:
        return 100000000LL;
    case DIV_COUNTY:
        return 1000000LL;
    case DIV_TOWNSHIP:
        return 1000LL;
    case DIV_VILLAGE:
        break;
    }
    return 1;
}

/* ---- the overview as a workbook (?format=xlsx[&table=areas]) ---------------- */

static json_int_t num(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static json_t *rate(json_int_t a, json_int_t b)
{
    return b ? json_real(100.0 * (double)a / (double)b) : json_null();
}

/* Coverage with the total first, as the page and county reports give it. */
static json_t *coverage_rows(const json_t *coverage)
{
    json_int_t v[3][4] = {{0}}; /* total, deep, other poor: villages, fs, full, poor hh */
    static const char *const names[] = {"贫困村", "其中深度贫困村", "其他贫困村"};
    json_t *rows = json_array(), *c;
    size_t i;
    json_array_foreach(coverage, i, c)
    {
        const char *pv = json_string_value(json_object_get(c, "poverty"));
        int k = pv && strcmp(pv, "deep") == 0 ? 1 : pv && strcmp(pv, "poor") == 0 ? 2 : -1;
        if (k < 0)
            continue;
        v[k][0] = num(c, "villages"), v[k][1] = num(c, "first_secretary");
        v[k][2] = num(c, "full_team"), v[k][3] = num(c, "poor_households");
    }
    for (int j = 0; j < 4; j++)
        v[0][j] = v[1][j] + v[2][j];
    for (int k = 0; k < 3; k++)
        json_array_append_new(rows,
                              json_pack("{s:s, s:I, s:I, s:I, s:I, s:o, s:I}", "cls", names[k],
                                        "villages", v[k][0], "first_secretary", v[k][1],
                                        "full_team", v[k][2], "not_full", v[k][0] - v[k][2], "rate",
                                        rate(v[k][1], v[k][0]), "poor_households", v[k][3]));
    return rows;
}

static const char *level_zh(const char *l)
{
    static const char *const m[][2] = {{"province", "省直单位"},
                                       {"city", "市直单位"},
                                       {"county", "县直单位"},
                                       {"township", "乡镇单位"}};
    for (size_t i = 0; l && i < sizeof(m) / sizeof(m[0]); i++)
        if (strcmp(l, m[i][0]) == 0)
            return m[i][1];
    return l ? l : "";
}

static const char *band_zh(const char *b)
{
    static const char *const m[][2] = {{"<35", "35岁以下"},
                                       {"35-44", "35–44岁"},
                                       {"45-54", "45–54岁"},
                                       {"55+", "55岁及以上"},
                                       {"unknown", "未知"}};
    for (size_t i = 0; b && i < sizeof(m) / sizeof(m[0]); i++)
        if (strcmp(b, m[i][0]) == 0)
            return m[i][1];
    return b ? b : "";
}

/* A {name, cadres} table from rows keyed `key`, names mapped by `zh`. */
static json_t *count_rows(const json_t *in, const char *key, const char *(*zh)(const char *))
{
    json_t *rows = json_array(), *c;
    size_t i;
    json_array_foreach(in, i, c)
    {
        const char *k = json_string_value(json_object_get(c, key));
        if (k && strcmp(k, "unknown") == 0 && !zh)
            k = "未知";
        json_array_append_new(rows, json_pack("{s:s, s:I}", "name",
                                              zh  ? zh(k)
                                              : k ? k
                                                  : "",
                                              "cadres", num(c, "cadres")));
    }
    return rows;
}

static void stats_xlsx(struct http_req *r, json_t *o)
{
    static const struct api_xcol cov_cols[] = {
        {"cls", "类别", 0, 0},
        {"villages", "村数", 1, 0},
        {"first_secretary", "有第一书记", 1, 0},
        {"full_team", "工作队配齐", 1, 0},
        {"not_full", "未配齐工作队", 1, 0},
        {"rate", "覆盖率（%）", 1, 1},
        {"poor_households", "贫困户数", 1, 0},
    };
    static const struct api_xcol area_cols[] = {
        {"name", "区划", 0, 0},           {"code", "区划代码", 0, 0},
        {"villages", "村数", 1, 0},       {"all_poor", "贫困村", 1, 0},
        {"deep", "其中深度贫困村", 1, 0}, {"covered", "有第一书记的贫困村", 1, 0},
        {"rate", "覆盖率（%）", 1, 1},    {"serving", "在岗驻村干部", 1, 0},
    };
    static const struct api_xcol cnt_cols[] = {{"name", "类别", 0, 0},
                                               {"cadres", "在岗驻村干部", 1, 0}};
    static const struct api_xcol unit_cols[] = {{"name", "派出单位", 0, 0},
                                                {"category", "单位类别", 0, 0},
                                                {"cadres", "在岗驻村干部", 1, 0}};
    const char *which = http_arg(r, "table");
    const char *name = json_string_value(json_object_get(o, "name"));
    const char *scope = json_string_value(json_object_get(o, "scope"));
    const char *asof = json_string_value(json_object_get(o, "as_of"));
    bool areas_only = which && strcmp(which, "areas") == 0;
    json_t *areas = json_object_get(o, "areas"), *a, *cov, *cat, *lvl, *age, *edu;
    char title[200], sub[160], file[80];
    size_t i;
    json_array_foreach(areas, i, a)
    {
        json_int_t all = num(a, "poor") + num(a, "deep");
        json_object_set_new(a, "all_poor", json_integer(all));
        json_object_set_new(a, "rate", rate(num(a, "covered"), all));
    }
    cov = coverage_rows(json_object_get(o, "coverage"));
    cat = count_rows(json_object_get(o, "by_category"), "category", NULL);
    lvl = count_rows(json_object_get(o, "by_level"), "level", level_zh);
    age = count_rows(json_object_get(o, "by_age"), "band", band_zh);
    edu = count_rows(json_object_get(o, "by_education"), "education", NULL);
    {
        const struct api_xtable all[] = {
            {"贫困村选派覆盖", cov_cols, sizeof(cov_cols) / sizeof(cov_cols[0]), cov},
            {"下级区划覆盖情况", area_cols, sizeof(area_cols) / sizeof(area_cols[0]), areas},
            {"按派出单位类别", cnt_cols, 2, cat},
            {"按派出单位层级", cnt_cols, 2, lvl},
            {"年龄结构", cnt_cols, 2, age},
            {"学历结构", cnt_cols, 2, edu},
            {"派出人数最多的单位", unit_cols, 3, json_object_get(o, "by_unit")},
        };
        snprintf(title, sizeof(title), "%s%s", name && *name ? name : "全部辖区",
                 areas_only ? " 下级区划选派覆盖情况" : " 驻村干部选派总览");
        snprintf(sub, sizeof(sub), "辖区 %s · 数据截至 %s", scope && *scope ? scope : "全部",
                 asof ? asof : "");
        snprintf(file, sizeof(file), "%s-%s-%s", areas_only ? "coverage" : "overview",
                 scope && *scope ? scope : "all", asof ? asof : "");
        if (areas_only)
            api_send_xlsx(r, "coverage", file, title, sub, &all[1], 1);
        else
            api_send_xlsx(r, "overview", file, title, sub, all, sizeof(all) / sizeof(all[0]));
    }
    json_decref(cov);
    json_decref(cat);
    json_decref(lvl);
    json_decref(age);
    json_decref(edu);
}

void api_stats(struct http_req *r)
{
    struct zc_error err = {0};
    struct buf sql = {0}, vs = {0}, ps = {0}, sv = {0};
    struct policy pol;
    int64_t code = r->who.acct.scope, lo = r->who.lo, hi = r->who.hi;
    enum division_level level = (enum division_level)r->who.acct.scope_level;
    const char *arg = http_arg(r, "scope");
    char today[16], scope_s[16] = "", name[128] = "", open_s[160] = "p.end_date IS NULL", asof[11];
    char y35[16], y45[16], y55[16];
    long long unit;
    int sz_none, sz_poor, sz_deep, rc = ZC_OK;
    json_t *o = NULL, *a;

    if (r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden", "a cadre account has no jurisdiction to summarise");
        return;
    }
    if (arg && *arg) {
        int64_t c2, l2, h2;
        enum division_level lv2;
        if (division_parse(arg, strlen(arg), &c2, &lv2, &err) != ZC_OK) {
            http_error(r, 400, "invalid_input", "scope: %s", err.msg);
            return;
        }
        division_range(c2, lv2, &l2, &h2);
        /* Narrowing only: a division outside the jurisdiction is as absent. */
        if (level && (l2 < lo || h2 > hi)) {
            http_error(r, 404, "not_found", "no division %s in your jurisdiction", arg);
            return;
        }
        code = c2, level = lv2, lo = l2, hi = h2;
    }
    /* ?date=YYYY-MM-DD: the ledger as of that day (postings begun by then
     * and not yet ended); without it, every open posting as of today. */
    switch (api_date_arg(r, "date", asof)) {
    case -1:
        return;
    case 1:
        snprintf(open_s, sizeof(open_s),
                 "p.start_date <= '%s' AND (p.end_date IS NULL OR p.end_date > '%s')", asof, asof);
        break;
    default:
        break;
    }
    policy_defaults(&pol);
    sz_none = pol.team.size[PV_NONE];
    sz_poor = pol.team.size[PV_POOR];
    sz_deep = pol.team.size[PV_DEEP];
    today_text(today);
    if (asof[0])
        snprintf(today, sizeof(today), "%s", asof);

    /* The scope as SQL on a village-code column: the account's own clause
     * (which also handles unscoped roles), narrowed by ?scope. */
    http_scope_sql(r, HT_VILLAGE, "v.code", &vs);
    http_scope_sql(r, HT_VILLAGE, "p.village", &ps);
    if (level) {
        buf_printf(&vs, " AND v.code BETWEEN %lld AND %lld", (long long)lo, (long long)hi);
        buf_printf(&ps, " AND p.village BETWEEN %lld AND %lld", (long long)lo, (long long)hi);
        division_format(code, level, scope_s);
        {
            struct store_stmt *st = NULL;
            bool row = false;
            if (store_prepare(r->store, "SELECT name FROM division WHERE code = ?", &st, &err) ==
                ZC_OK) {
                store_bind_int(st, 1, code);
                if (store_step(st, &row, &err) == ZC_OK && row)
                    snprintf(name, sizeof(name), "%s", store_col_text(st, 0));
            }
            store_finalize(st);
        }
    }
    o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:{s:i, s:i, s:i}}", "scope", scope_s, "name", name,
                  "level", (int)level, "today", today, "as_of", today, "team_size", "none", sz_none,
                  "poor", sz_poor, "deep", sz_deep);

    /* Postings serving (as of the day) in the scope. */
    buf_printf(&sv, "%s AND %s", open_s, buf_cstr(&ps));

    /* Coverage by poverty class: villages, with a first secretary, with a
     * full team. One pass over the villages joined to their open teams. */
    buf_printf(&sql,
               "WITH t AS (SELECT p.village, count(*) AS n, "
               "max(CASE WHEN p.role = 'first_secretary' THEN 1 ELSE 0 END) AS fs FROM posting p "
               "WHERE %s AND %s GROUP BY p.village) "
               "SELECT v.poverty, count(*), sum(coalesce(t.fs, 0)), "
               "sum(CASE WHEN coalesce(t.n, 0) >= CASE v.poverty WHEN 'deep' THEN %d "
               "WHEN 'poor' THEN %d ELSE %d END AND coalesce(t.n, 0) > 0 THEN 1 ELSE 0 END), "
               "sum(CASE WHEN coalesce(t.n, 0) > 0 THEN 1 ELSE 0 END), "
               "sum(coalesce(v.poor_households, 0)), sum(coalesce(v.poor_population, 0)) "
               "FROM village v LEFT JOIN t ON t.village = v.code WHERE %s GROUP BY v.poverty",
               open_s, buf_cstr(&ps), sz_deep, sz_poor, sz_none, buf_cstr(&vs));
    {
        static const char *const k[] = {"poverty",    "villages",  "first_secretary",
                                        "full_team",  "with_team", "poor_households",
                                        "poor_people"};

        static const enum stat_col t[] = {SC_TEXT, SC_INT, SC_INT, SC_INT, SC_INT, SC_INT, SC_INT};

        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 7, a, &err);
        json_object_set_new(o, "coverage", a);
    }

    /* Serving cadres: how many, and their make-up. */
#define SERVING                                                                                    \
    "FROM posting p JOIN cadre c ON c.id = p.cadre JOIN unit u ON u.code = c.unit WHERE "
    if (rc == ZC_OK) {
        static const char *const k[] = {
            "serving", "first_secretaries", "party_members", "reserve",      "female",
            "units",   "villages",          "under_45",      "bachelor_plus"};

        static const enum stat_col t[] = {SC_INT, SC_INT, SC_INT, SC_INT, SC_INT,
                                          SC_INT, SC_INT, SC_INT, SC_INT};

        buf_reset(&sql);
        buf_printf(&sql,
                   "SELECT count(*), sum(CASE WHEN p.role = 'first_secretary' THEN 1 ELSE 0 END), "
                   "sum(c.party_member), sum(c.reserve), "
                   "sum(CASE WHEN c.gender = '女' THEN 1 ELSE 0 END), count(DISTINCT c.unit), "
                   "count(DISTINCT p.village), "
                   "sum(CASE WHEN c.birth_date IS NOT NULL AND c.birth_date > '%s' THEN 1 ELSE 0 "
                   "END), "
                   "sum(CASE WHEN c.education IN ('本科', '研究生', '硕士', '博士') THEN 1 ELSE 0 "
                   "END) " SERVING "%s",
                   years_before(today, 45, y45), buf_cstr(&sv));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 9, a, &err);
        json_object_set(o, "cadres", json_array_size(a) ? json_array_get(a, 0) : json_object());
        json_decref(a);
    }
    if (rc == ZC_OK) { /* by department type (单位类别: 党群, 经济, 政法, 涉农 ...) */
        static const char *const k[] = {"category", "cadres"};

        static const enum stat_col t[] = {SC_TEXT, SC_INT};

        buf_reset(&sql);
        buf_printf(&sql, "SELECT u.category, count(*) " SERVING "%s GROUP BY 1 ORDER BY 2 DESC, 1",
                   buf_cstr(&sv));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 2, a, &err);
        json_object_set_new(o, "by_category", a);
    }
    if (rc == ZC_OK) { /* by unit level (province, city, county, township units) */
        static const char *const k[] = {"level", "cadres"};

        static const enum stat_col t[] = {SC_TEXT, SC_INT};

        buf_reset(&sql);
        buf_printf(&sql,
                   "SELECT u.level, count(*) " SERVING "%s GROUP BY 1 ORDER BY "
                   "CASE u.level WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'county' THEN 3 "
                   "ELSE 4 END",
                   buf_cstr(&sv));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 2, a, &err);
        json_object_set_new(o, "by_level", a);
    }
    if (rc == ZC_OK) { /* the sending units with the most cadres serving */
        static const char *const k[] = {"unit", "name", "category", "cadres"};

        static const enum stat_col t[] = {SC_TEXT, SC_TEXT, SC_TEXT, SC_INT};

        buf_reset(&sql);
        buf_printf(&sql,
                   "SELECT u.code, u.name, u.category, count(*) " SERVING
                   "%s GROUP BY u.code ORDER BY 4 DESC, 1 LIMIT 15",
                   buf_cstr(&sv));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 4, a, &err);
        json_object_set_new(o, "by_unit", a);
    }
    if (rc == ZC_OK) { /* age bands at today */
        static const char *const k[] = {"band", "cadres"};

        static const enum stat_col t[] = {SC_TEXT, SC_INT};

        buf_reset(&sql);
        buf_printf(&sql,
                   "SELECT band, count(*) FROM (SELECT CASE WHEN c.birth_date IS NULL THEN "
                   "'unknown' WHEN c.birth_date > '%s' THEN '<35' "
                   "WHEN c.birth_date > '%s' THEN '35-44' "
                   "WHEN c.birth_date > '%s' THEN '45-54' "
                   "ELSE '55+' END AS band " SERVING "%s) AS b GROUP BY band ORDER BY "
                   "CASE band WHEN '<35' THEN 1 WHEN '35-44' THEN 2 WHEN '45-54' THEN 3 "
                   "WHEN '55+' THEN 4 ELSE 5 END",
                   years_before(today, 35, y35), years_before(today, 45, y45),
                   years_before(today, 55, y55), buf_cstr(&sv));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 2, a, &err);
        json_object_set_new(o, "by_age", a);
    }
    if (rc == ZC_OK) { /* education as recorded */
        static const char *const k[] = {"education", "cadres"};

        static const enum stat_col t[] = {SC_TEXT, SC_INT};

        buf_reset(&sql);
        buf_printf(&sql,
                   "SELECT coalesce(nullif(c.education, ''), 'unknown'), count(*) " SERVING
                   "%s GROUP BY 1 ORDER BY 2 DESC",
                   buf_cstr(&sv));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 2, a, &err);
        json_object_set_new(o, "by_education", a);
    }
#undef SERVING
    /* One level down: coverage per division, with the mean position of its
     * villages (a point, never a boundary). Villages group by the prefix of
     * their code, so this is one aggregate however large the scope. */
    unit = level ? level_unit(level < DIV_VILLAGE ? (enum division_level)(level + 1) : DIV_VILLAGE)
                 : level_unit(DIV_PROVINCE);
    if (rc == ZC_OK) {
        static const char *const k[] = {"code",    "name",    "villages", "poor", "deep",
                                        "covered", "serving", "lat",      "lng"};

        static const enum stat_col t[] = {SC_DIV, SC_TEXT, SC_INT,  SC_INT, SC_INT,
                                          SC_INT, SC_INT,  SC_REAL, SC_REAL};

        buf_reset(&sql);
        buf_printf(
            &sql,
            "WITH t AS (SELECT p.village, count(*) AS n, "
            "max(CASE WHEN p.role = 'first_secretary' THEN 1 ELSE 0 END) AS fs FROM posting p "
            "WHERE %s AND %s GROUP BY p.village), "
            "g AS (SELECT (v.code / %lld) * %lld AS code, count(*) AS villages, "
            "sum(CASE WHEN v.poverty = 'poor' THEN 1 ELSE 0 END) AS poor, "
            "sum(CASE WHEN v.poverty = 'deep' THEN 1 ELSE 0 END) AS deep, "
            "sum(CASE WHEN v.poverty <> 'none' AND coalesce(t.fs, 0) <> 0 THEN 1 ELSE 0 "
            "END) AS covered, "
            "sum(coalesce(t.n, 0)) AS serving, avg(v.lat) AS lat, avg(v.lng) AS lng "
            "FROM village v LEFT JOIN t ON t.village = v.code WHERE %s GROUP BY 1) "
            "SELECT g.code, coalesce(d.name, ''), g.villages, g.poor, g.deep, g.covered, "
            "g.serving, g.lat, g.lng FROM g LEFT JOIN division d ON d.code = g.code "
            "ORDER BY g.code LIMIT 500",
            open_s, buf_cstr(&ps), unit, unit, buf_cstr(&vs));
        a = json_array();
        rc = rows_json(r, buf_cstr(&sql), k, t, 9, a, &err);
        json_object_set_new(o, "areas", a);
    }
    buf_fini(&sql);
    buf_fini(&vs);
    buf_fini(&ps);
    buf_fini(&sv);
    if (rc != ZC_OK) {
        json_decref(o);
        http_zc_error(r, &err);
        return;
    }
    if (api_wants_xlsx(r)) {
        stats_xlsx(r, o);
        json_decref(o);
        return;
    }
    http_json(r, 200, o);
}
