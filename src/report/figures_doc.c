/* SPDX-License-Identifier: MIT */
/* figures_doc.c - the figures as documents (report/doc.h): the Chinese
 * tables of the workbooks a county office reports upward (issue 18), the
 * same for the web's ?format=xlsx and for `zhucun report --format xlsx`.
 *
 * Numbers are written as the page shows them: integers as integers, rates
 * in per cent with one decimal, an empty cell where there is nothing to
 * divide by. Codes stay text. */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "match/model.h"

#define NCOLS(a) (sizeof(a) / sizeof(a[0]))
#define CELL     40

/* One cell's text into out (NULL for an empty cell). */
static const char *cell_of(const struct fig_table *t, size_t row, const char *key, char *out)
{
    int c = fig_col_of(t, key);
    const struct fig_cell *x = c >= 0 ? fig_at(t, row, (size_t)c) : NULL;
    if (!x || x->null)
        return NULL;
    switch (t->cols[c].kind) {
    case FIG_INT:
        snprintf(out, CELL, "%lld", (long long)x->i);
        return out;
    case FIG_REAL:
        snprintf(out, CELL, "%.1f", x->r);
        return out;
    case FIG_TEXT:
    case FIG_CODE:
        break;
    }
    return x->s;
}

/* a / b in per cent with one decimal, NULL when b is 0. */
static const char *rate(int64_t a, int64_t b, char *out)
{
    if (!b)
        return NULL;
    snprintf(out, CELL, "%.1f", 100.0 * (double)a / (double)b);
    return out;
}

static const char *num(int64_t v, char *out)
{
    snprintf(out, CELL, "%lld", (long long)v);
    return out;
}

/* Coverage with the total first, as the page and county reports give it. */
static size_t coverage_table(struct report_doc *d, const struct fig_table *cov)
{
    static const char *const heads[] = {"类别",         "村数",        "有第一书记", "工作队配齐",
                                        "未配齐工作队", "覆盖率（%）", "贫困户数"};
    static const int numeric[] = {0, 1, 1, 1, 1, 1, 1};
    static const char *const names[] = {"贫困村", "其中深度贫困村", "其他贫困村"};
    int64_t v[3][4] = {{0}}; /* total, deep, other poor: villages, fs, full, poor hh */
    for (size_t r = 0; r < cov->nrows; r++) {
        const char *pv = fig_text(cov, r, "poverty");
        int k = pv && strcmp(pv, "deep") == 0 ? 1 : pv && strcmp(pv, "poor") == 0 ? 2 : -1;
        if (k < 0)
            continue;
        v[k][0] = fig_int(cov, r, "villages"), v[k][1] = fig_int(cov, r, "first_secretary");
        v[k][2] = fig_int(cov, r, "full_team"), v[k][3] = fig_int(cov, r, "poor_households");
    }
    for (int j = 0; j < 4; j++)
        v[0][j] = v[1][j] + v[2][j];
    report_table_begin(d, "贫困村选派覆盖", heads, numeric, NCOLS(heads));
    for (int k = 0; k < 3; k++) {
        char b[7][CELL];
        const char *cells[] = {
            names[k],           num(v[k][0], b[1]),           num(v[k][1], b[2]),
            num(v[k][2], b[3]), num(v[k][0] - v[k][2], b[4]), rate(v[k][1], v[k][0], b[5]),
            num(v[k][3], b[6])};
        report_table_row(d, cells, 0);
    }
    report_table_end(d);
    return 3;
}

static size_t areas_table(struct report_doc *d, const struct fig_table *a)
{
    static const char *const heads[] = {"区划",        "区划代码",       "村数",
                                        "贫困村",      "其中深度贫困村", "有第一书记的贫困村",
                                        "覆盖率（%）", "未配齐工作队",   "在岗驻村干部"};
    static const int numeric[] = {0, 0, 1, 1, 1, 1, 1, 1, 1};
    report_table_begin(d, "下级区划覆盖情况", heads, numeric, NCOLS(heads));
    for (size_t r = 0; r < a->nrows; r++) {
        char b[9][CELL];
        int64_t all = fig_int(a, r, "poor") + fig_int(a, r, "deep");
        const char *cells[] = {cell_of(a, r, "name", b[0]),
                               cell_of(a, r, "code", b[1]),
                               cell_of(a, r, "villages", b[2]),
                               num(all, b[3]),
                               cell_of(a, r, "deep", b[4]),
                               cell_of(a, r, "covered", b[5]),
                               rate(fig_int(a, r, "covered"), all, b[6]),
                               num(all - fig_int(a, r, "full_team"), b[7]),
                               cell_of(a, r, "serving", b[8])};
        report_table_row(d, cells, 0);
    }
    report_table_end(d);
    return a->nrows;
}

static const char *level_zh(const char *l)
{
    static const char *const m[][2] = {{"province", "省直单位"},
                                       {"city", "市直单位"},
                                       {"county", "县直单位"},
                                       {"township", "乡镇单位"}};
    for (size_t i = 0; l && i < NCOLS(m); i++)
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
    for (size_t i = 0; b && i < NCOLS(m); i++)
        if (strcmp(b, m[i][0]) == 0)
            return m[i][1];
    return b ? b : "";
}

/* A {name, cadres} table from rows keyed `key`, names mapped by `zh`. */
static size_t count_table(struct report_doc *d, const char *caption, const struct fig_table *t,
                          const char *key, const char *(*zh)(const char *))
{
    static const char *const heads[] = {"类别", "在岗选派干部"};
    static const int numeric[] = {0, 1};
    report_table_begin(d, caption, heads, numeric, 2);
    for (size_t r = 0; r < t->nrows; r++) {
        char b[CELL];
        const char *k = fig_text(t, r, key);
        const char *cells[2];
        if (k && strcmp(k, "unknown") == 0 && !zh)
            k = "未知";
        cells[0] = zh ? zh(k) : k ? k : "";
        cells[1] = num(fig_int(t, r, "cadres"), b);
        report_table_row(d, cells, 0);
    }
    report_table_end(d);
    return t->nrows;
}

static size_t units_table(struct report_doc *d, const struct fig_table *t)
{
    static const char *const heads[] = {"派出单位", "单位类别", "在岗选派干部"};
    static const int numeric[] = {0, 0, 1};
    report_table_begin(d, "派出人数最多的单位", heads, numeric, 3);
    for (size_t r = 0; r < t->nrows; r++) {
        char b[3][CELL];
        const char *cells[] = {cell_of(t, r, "name", b[0]), cell_of(t, r, "category", b[1]),
                               cell_of(t, r, "cadres", b[2])};
        report_table_row(d, cells, 0);
    }
    report_table_end(d);
    return t->nrows;
}

struct report_doc *report_overview_doc(const struct report_overview *ov, bool areas_only,
                                       size_t *rows)
{
    char title[200], sub[160];
    struct report_doc *d;
    size_t n = 0;
    snprintf(title, sizeof(title), "%s%s", ov->name[0] ? ov->name : "全部辖区",
             areas_only ? " 下级区划选派覆盖情况" : " 驻村干部选派总览");
    snprintf(sub, sizeof(sub), "辖区 %s · 数据截至 %s", ov->scope[0] ? ov->scope : "全部",
             ov->today);
    d = report_doc_new(title, sub);
    if (!areas_only)
        n += coverage_table(d, &ov->coverage);
    n += areas_table(d, &ov->areas);
    if (!areas_only) {
        n += count_table(d, "按派出单位类别", &ov->by_category, "category", NULL);
        n += count_table(d, "按派出单位层级", &ov->by_level, "level", level_zh);
        n += count_table(d, "年龄结构", &ov->by_age, "band", band_zh);
        n += count_table(d, "学历结构", &ov->by_education, "education", NULL);
        n += units_table(d, &ov->by_unit);
    }
    if (rows)
        *rows = n;
    return d;
}

/* The postings of a team table: role in Chinese, then the posting's columns
 * (`ncols` of them: the history adds the day the cadre left). */
static size_t postings_table(struct report_doc *d, const char *caption, const struct fig_table *t,
                             size_t ncols)
{
    static const char *const heads[] = {"职务",     "姓名",     "派出单位", "单位类别",
                                        "到村日期", "任期届满", "选派命令", "离村日期"};
    static const int numeric[8] = {0};
    static const char *const keys[] = {"name",     "unit_name", "category", "start",
                                       "term_end", "order",     "end"};
    report_table_begin(d, caption, heads, numeric, ncols);
    for (size_t r = 0; r < t->nrows; r++) {
        char b[8][CELL];
        const char *cells[8];
        const char *role = fig_text(t, r, "role");
        int k = role ? model_role_parse(role) : -1;
        cells[0] = k >= 0 ? model_role_zh((enum model_role)k) : NULL;
        for (size_t c = 1; c < ncols; c++)
            cells[c] = cell_of(t, r, keys[c - 1], b[c]);
        report_table_row(d, cells, 0);
    }
    report_table_end(d);
    return t->nrows;
}

struct report_doc *report_team_doc(const struct report_team *t, const char *today, size_t *rows)
{
    char title[200], sub[120];
    struct report_doc *d;
    size_t n = 0;
    snprintf(title, sizeof(title), "%s 驻村工作队", t->name[0] ? t->name : "村");
    snprintf(sub, sizeof(sub), "区划代码 %lld · 数据截至 %s", (long long)t->village,
             t->as_of[0] ? t->as_of : today);
    d = report_doc_new(title, sub);
    n += postings_table(d, "驻村工作队", &t->team, 7);
    n += postings_table(d, "历任驻村干部", &t->history, 8);
    if (rows)
        *rows = n;
    return d;
}
