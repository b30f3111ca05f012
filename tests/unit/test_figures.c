/* SPDX-License-Identifier: MIT */
/* test_figures.c - the report module's figures (report/figures.h) on a
 * scratch database: coverage and make-up by scope and day, the age bands
 * across 29 February, the scopes that see a team, and the workbook tables
 * read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/figures.h"
#include "store/store.h"
#include "test.h"

/* 马山县 with two townships and three villages (deep, poor, none); four
 * cadres: A and B serve in the deep village since 2015 (A its first
 * secretary), C served in the poor one until 2016-01-31, D serves in the
 * poor one since 2017. */
static struct store *fixture(const char *name)
{
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    snprintf(path, sizeof(path), "%s/%s.db", zt_tmpdir(), name);
    unlink(path);
    if (store_open(path, STORE_CREATE, &s, &err) != ZC_OK)
        return NULL;
    if (store_exec(s,
                   "INSERT INTO division VALUES (450000000000, '广西壮族自治区', 1, NULL),"
                   " (450100000000, '南宁市', 2, 450000000000),"
                   " (450124000000, '马山县', 3, 450100000000),"
                   " (450124203000, '里当瑶族乡', 4, 450124000000),"
                   " (450124204000, '古寨瑶族乡', 4, 450124000000),"
                   " (450124203202, '龙琴村委会', 5, 450124203000),"
                   " (450124203203, '龙贵村委会', 5, 450124203000),"
                   " (450124204201, '古寨村委会', 5, 450124204000);"
                   "INSERT INTO village (code, poverty, poor_households) VALUES"
                   " (450124203202, 'deep', 100), (450124203203, 'poor', 50),"
                   " (450124204201, 'none', 0);"
                   "INSERT INTO unit(code, name, level, category) VALUES"
                   " ('U1', '组织部', 'county', '党群'), ('U2', '公安局', 'city', '政法');"
                   "INSERT INTO cadre (id, id_number, name, unit, birth_date, gender, education)"
                   " VALUES (1, 'A', '甲', 'U1', '1981-03-01', '女', '本科'),"
                   " (2, 'B', '乙', 'U1', '1981-03-02', '男', '大专'),"
                   " (3, 'C', '丙', 'U2', '1960-01-01', '男', NULL),"
                   " (4, 'D', '丁', 'U2', NULL, '男', '硕士');"
                   "INSERT INTO posting (cadre, village, role, start_date, end_date) VALUES"
                   " (1, 450124203202, 'first_secretary', '2015-01-01', NULL),"
                   " (2, 450124203202, 'member', '2015-01-01', NULL),"
                   " (3, 450124203203, 'member', '2014-01-01', '2016-01-31'),"
                   " (4, 450124203203, 'member', '2017-01-01', NULL);",
                   &err) != ZC_OK) {
        store_close(s);
        return NULL;
    }
    return s;
}

static int64_t by_key(const struct fig_table *t, const char *kcol, const char *k, const char *col)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const char *v = fig_text(t, r, kcol);
        if (v && strcmp(v, k) == 0)
            return fig_int(t, r, col);
    }
    return -1;
}

TEST(figures_overview_open_and_as_of_a_day)
{
    struct store *s = fixture("figures-overview");
    struct report_overview *ov = NULL;
    struct report_opts o = {0};
    struct zc_error err = {0};
    struct zc_scope sc;
    CHECK(s != NULL);
    setenv("ZHUCUN_TODAY", "2018-06-30", 1);
    CHECK_INT_EQ(zc_scope_parse("450124", &sc, &err), ZC_OK);
    CHECK_INT_EQ(report_overview(s, &sc, &o, &ov, &err), ZC_OK);
    CHECK_STR_EQ(ov->scope, "450124");
    CHECK_STR_EQ(ov->name, "马山县");
    CHECK_STR_EQ(ov->today, "2018-06-30");
    CHECK_INT_EQ(fig_int(&ov->cadres, 0, "serving"), 3); /* A, B, D: C has left */
    CHECK_INT_EQ(fig_int(&ov->cadres, 0, "female"), 1);
    CHECK_INT_EQ(fig_int(&ov->cadres, 0, "bachelor_plus"), 2); /* 本科, 硕士 */
    CHECK_INT_EQ(by_key(&ov->coverage, "poverty", "deep", "first_secretary"), 1);
    CHECK_INT_EQ(by_key(&ov->coverage, "poverty", "poor", "first_secretary"), 0);
    CHECK_INT_EQ(by_key(&ov->coverage, "poverty", "poor", "with_team"), 1);
    CHECK_INT_EQ(ov->areas.nrows, 2); /* the two townships */
    CHECK_STR_EQ(fig_text(&ov->areas, 0, "code"), "450124203");
    CHECK_INT_EQ(fig_int(&ov->areas, 0, "serving"), 3);
    CHECK_INT_EQ(by_key(&ov->by_education, "education", "unknown", "cadres"), -1);
    report_overview_free(ov);

    /* On 2016-02-29: A, B and not C (left on 01-31) nor D (from 2017).
     * 35 years before is 1981-03-01, as SQLite's date('-35 years') gives
     * it: B (born 03-02) is under 35, A (born 03-01) is not. */
    o.date = "2016-02-29";
    CHECK_INT_EQ(report_overview(s, &sc, &o, &ov, &err), ZC_OK);
    CHECK_STR_EQ(ov->today, "2016-02-29");
    CHECK_INT_EQ(fig_int(&ov->cadres, 0, "serving"), 2);
    CHECK_INT_EQ(by_key(&ov->by_age, "band", "<35", "cadres"), 1);
    CHECK_INT_EQ(by_key(&ov->by_age, "band", "35-44", "cadres"), 1);
    report_overview_free(ov);

    /* On 2015-06-01 C serves too. */
    o.date = "2015-06-01";
    CHECK_INT_EQ(report_overview(s, &sc, &o, &ov, &err), ZC_OK);
    CHECK_INT_EQ(fig_int(&ov->cadres, 0, "serving"), 3);
    CHECK_INT_EQ(by_key(&ov->by_age, "band", "55+", "cadres"), 1);
    report_overview_free(ov);

    /* A township: one area per village. */
    o.date = NULL;
    CHECK_INT_EQ(zc_scope_parse("450124204", &sc, &err), ZC_OK);
    CHECK_INT_EQ(report_overview(s, &sc, &o, &ov, &err), ZC_OK);
    CHECK_INT_EQ(fig_int(&ov->cadres, 0, "serving"), 0);
    CHECK_INT_EQ(ov->areas.nrows, 1);
    CHECK_STR_EQ(fig_text(&ov->areas, 0, "code"), "450124204201");
    report_overview_free(ov);

    /* A cadre has no jurisdiction to summarise. */
    sc = zc_scope_all();
    sc.cadre = 1;
    CHECK_INT_EQ(report_overview(s, &sc, &o, &ov, &err), ZC_EFORBIDDEN);
    CHECK(ov == NULL);
    store_close(s);
}

TEST(figures_team_scopes_and_history)
{
    struct store *s = fixture("figures-team");
    struct report_team *t = NULL;
    struct report_opts o = {0};
    struct zc_error err = {0};
    struct zc_scope sc = zc_scope_all();
    CHECK(s != NULL);
    CHECK_INT_EQ(report_team(s, &sc, 450124203203, &o, &t, &err), ZC_OK);
    CHECK_STR_EQ(t->name, "龙贵村委会");
    CHECK_INT_EQ(t->team.nrows, 1);
    CHECK_STR_EQ(fig_text(&t->team, 0, "name"), "丁");
    CHECK_INT_EQ(t->history.nrows, 1);
    CHECK_STR_EQ(fig_text(&t->history, 0, "end"), "2016-01-31");
    CHECK(fig_at(&t->team, 0, (size_t)fig_col_of(&t->team, "order"))->null);
    report_team_free(t);
    /* As of 2015-06-01: C serves, nobody has left yet. */
    o.date = "2015-06-01";
    CHECK_INT_EQ(report_team(s, &sc, 450124203203, &o, &t, &err), ZC_OK);
    CHECK_INT_EQ(t->team.nrows, 1);
    CHECK_STR_EQ(fig_text(&t->team, 0, "name"), "丙");
    CHECK_INT_EQ(t->history.nrows, 0);
    CHECK_STR_EQ(t->as_of, "2015-06-01");
    report_team_free(t);
    o.date = NULL;
    /* A cadre sees the village they serve in, and no other. */
    sc.cadre = 4;
    CHECK_INT_EQ(report_team(s, &sc, 450124203203, &o, &t, &err), ZC_OK);
    report_team_free(t);
    CHECK_INT_EQ(report_team(s, &sc, 450124203202, &o, &t, &err), ZC_ENOTFOUND);
    CHECK(t == NULL);
    /* Nor does a township another township's. */
    CHECK_INT_EQ(zc_scope_parse("450124204", &sc, &err), ZC_OK);
    CHECK_INT_EQ(report_team(s, &sc, 450124203203, &o, &t, &err), ZC_ENOTFOUND);
    store_close(s);
}

TEST(figures_workbook_tables)
{
    struct store *s = fixture("figures-doc");
    struct report_overview *ov = NULL;
    struct report_opts o = {0};
    struct zc_error err = {0};
    struct zc_scope sc;
    struct report_table_view v;
    struct report_doc *d;
    size_t rows = 0;
    CHECK(s != NULL);
    CHECK_INT_EQ(zc_scope_parse("450124", &sc, &err), ZC_OK);
    CHECK_INT_EQ(report_overview(s, &sc, &o, &ov, &err), ZC_OK);
    d = report_overview_doc(ov, true, &rows);
    CHECK_INT_EQ(report_doc_ntables(d), 1);
    CHECK(report_doc_table(d, 0, &v));
    CHECK(!report_doc_table(d, 1, &v));
    CHECK(report_doc_table(d, 0, &v));
    CHECK_STR_EQ(v.caption, "下级区划覆盖情况");
    CHECK_INT_EQ(v.nrows, 2);
    CHECK_INT_EQ(rows, 2);
    /* 里当瑶族乡: two poor villages, one with a first secretary: 50.0 %;
     * 古寨瑶族乡 has none to divide by: an empty cell. */
    CHECK_STR_EQ(v.cells[0 * v.ncols + 3], "2");
    CHECK_STR_EQ(v.cells[0 * v.ncols + 6], "50.0");
    CHECK(v.cells[1 * v.ncols + 6] == NULL);
    report_doc_free(d);
    d = report_overview_doc(ov, false, &rows);
    CHECK_INT_EQ(report_doc_ntables(d), 7);
    CHECK(report_doc_table(d, 0, &v));
    CHECK_STR_EQ(v.cells[0], "贫困村"); /* the total first */
    CHECK_STR_EQ(v.cells[1], "2");
    CHECK_STR_EQ(v.cells[5], "50.0");
    report_doc_free(d);
    report_overview_free(ov);
    store_close(s);
}
