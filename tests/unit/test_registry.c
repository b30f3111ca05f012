/* SPDX-License-Identifier: MIT */
/* test_registry.c - the import engine and field rules, through imports of
 * small in-memory CSV files into a scratch database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/idcard.h"
#include "registry/registry.h"
#include "store/store.h"
#include "test.h"

/* A database with a tiny division tree (马山县 and one village), two units. */
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
                   " (450124203202, '龙琴村委会', 5, 450124203000);"
                   "INSERT INTO unit(code, name, level, category) VALUES"
                   " ('U1', '组织部', 'city', '党群'), ('U2', '公安局', 'city', '政法');",
                   &err) != ZC_OK) {
        store_close(s);
        return NULL;
    }
    return s;
}

static int import_text(struct store *s, enum registry_kind kind, const char *csv,
                       struct import_report *rep)
{
    struct zc_error err = {0};
    setenv("ZHUCUN_TODAY", "2018-06-30", 1);
    return registry_import_mem(s, kind, "t.csv", csv, strlen(csv), NULL, rep, &err);
}

/* The report holds a line containing `want`. */
static bool has_line(const struct import_report *r, const char *want)
{
    for (size_t i = 0; i < r->nlines; i++)
        if (strstr(r->lines[i], want))
            return true;
    return false;
}

static const char *ID_A = "450102198503171230"; /* male, born 1985-03-17 */

TEST(registry_fixture_id_is_valid)
{
    /* Guard for the constant above: a wrong fixture would make every case fail. */
    CHECK_INT_EQ(idcard_check_char(ID_A), ID_A[17]);
}

static const struct {
    const char *cell;   /* birth_date cell */
    const char *stored; /* stored value, or NULL when the cell must be rejected */
} date_cases[] = {
    {"1985-03-17", "1985-03-17"},
    {"1985/3/17", "1985-03-17"},
    {"1985.03.17", "1985-03-17"},
    {"19850317", "1985-03-17"},
    {"1985年3月17日", "1985-03-17"},
    {"1985-03-17 00:00:00", "1985-03-17"}, /* an XLSX date-time cell */
    {"1985-02-30", NULL},
    {"17/03/1985", NULL},
    {"1985-3", NULL},
};

TEST(registry_date_formats)
{
    for (size_t i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
        struct store *s = fixture("dates");
        struct import_report rep;
        char csv[512];
        int rc;
        CHECK(s);
        snprintf(csv, sizeof(csv), "id_number,name,unit,birth_date\n%s,张三,U1,%s\n", ID_A,
                 date_cases[i].cell);
        rc = import_text(s, REG_CADRES, csv, &rep);
        if (date_cases[i].stored) {
            int64_t n = 0;
            struct zc_error err;
            char sql[160];
            CHECK_MSG(rc == ZC_OK, "case %zu '%s' rejected: %s", i, date_cases[i].cell,
                      rep.nlines ? rep.lines[0] : "?");
            snprintf(sql, sizeof(sql), "SELECT count(*) FROM cadre WHERE birth_date = '%s'",
                     date_cases[i].stored);
            CHECK_INT_EQ(store_query_int(s, sql, &n, &err), ZC_OK);
            CHECK_INT_EQ(n, 1);
        } else {
            CHECK_MSG(rc == ZC_EINVAL, "case %zu '%s' accepted", i, date_cases[i].cell);
            CHECK(has_line(&rep, "t.csv:2:birth_date:"));
        }
        import_report_fini(&rep);
        store_close(s);
    }
}

static const struct {
    const char *cell;
    long long fen; /* -1 = rejected */
} money_cases[] = {
    {"3650", 365000}, {"3650.5", 365050}, {"3650.50", 365050}, {"3650.500", 365050},
    {"0.05", 5},      {"3650元", 365000}, {"3,650", -1},       {"-5", -1},
    {"12.345", -1},   {"abc", -1},        {".", -1},
};

TEST(registry_money_in_fen)
{
    for (size_t i = 0; i < sizeof(money_cases) / sizeof(money_cases[0]); i++) {
        struct store *s = fixture("money");
        struct import_report rep;
        char csv[512];
        int rc;
        CHECK(s);
        snprintf(csv, sizeof(csv),
                 "id,village,members,cause,income_per_capita\nH1,450124203202,3,因病,\"%s\"\n",
                 money_cases[i].cell);
        rc = import_text(s, REG_HOUSEHOLDS, csv, &rep);
        if (money_cases[i].fen >= 0) {
            int64_t v = -1;
            struct zc_error err;
            CHECK_MSG(rc == ZC_OK, "case %zu '%s' rejected", i, money_cases[i].cell);
            CHECK_INT_EQ(store_query_int(s, "SELECT income_per_capita FROM household", &v, &err),
                         ZC_OK);
            CHECK_INT_EQ(v, money_cases[i].fen);
        } else {
            CHECK_MSG(rc == ZC_EINVAL, "case %zu '%s' accepted", i, money_cases[i].cell);
            CHECK(has_line(&rep, "t.csv:2:income_per_capita: "));
        }
        import_report_fini(&rep);
        store_close(s);
    }
}

TEST(registry_states_and_skills_lists)
{
    struct store *s = fixture("lists");
    struct import_report rep;
    struct zc_error err;
    int64_t n = 0;
    int rc;
    CHECK(s);
    /* 软 穷 with a space, 、 and ； as separators, English skill names with spaces. */
    rc = import_text(s, REG_VILLAGES,
                     "code,poverty,states,needs\n"
                     "450124203202,深度贫困村,软 穷、弱,\"驾驶；Crop farming、driving\"\n",
                     &rep);
    CHECK_MSG(rc == ZC_OK, "%s", rep.nlines ? rep.lines[0] : "?");
    import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s,
                                 "SELECT count(*) FROM village WHERE states = 11 AND "
                                 "needs = 'driving;farming' AND poverty = 'deep'",
                                 &n, &err),
                 ZC_OK);
    CHECK_INT_EQ(n, 1);
    store_close(s);
}

TEST(registry_all_or_nothing_and_counts)
{
    struct store *s = fixture("aon");
    struct import_report rep;
    struct zc_error err;
    int64_t n = -1;
    CHECK(s);
    /* Row 3 is bad: nothing of row 2 may remain. */
    CHECK_INT_EQ(import_text(s, REG_UNITS,
                             "code,name,level,category\nU3,甲,county,party\nU4,乙,nowhere,party\n",
                             &rep),
                 ZC_EINVAL);
    CHECK_INT_EQ(rep.nerrors, 1);
    CHECK(has_line(&rep, "t.csv:3:level: 'nowhere' is not one of"));
    import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM unit", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 2);
    /* A clean file: one added, one updated (U1 renamed), one unchanged (U2). */
    CHECK_INT_EQ(import_text(s, REG_UNITS,
                             "code,name,level,category\nU1,组织部新,city,党群\nU2,公安局,city,"
                             "政法\nU5,丙,county,其他\n",
                             &rep),
                 ZC_OK);
    CHECK_INT_EQ(rep.rows, 3);
    CHECK_INT_EQ(rep.added, 1);
    CHECK_INT_EQ(rep.updated, 1);
    CHECK_INT_EQ(rep.unchanged, 1);
    import_report_fini(&rep);
    store_close(s);
}

TEST(registry_grades_replace_on_update)
{
    struct store *s = fixture("grades");
    struct import_report rep;
    struct zc_error err;
    int64_t n = -1;
    char csv[512];
    CHECK(s);
    snprintf(csv, sizeof(csv),
             "id_number,name,unit,grades,discipline\n%s,张三,U1,"
             "2016:优秀;2017:称职,2017:警告;2017:警告\n",
             ID_A);
    CHECK_INT_EQ(import_text(s, REG_CADRES, csv, &rep), ZC_OK);
    import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM cadre_grade", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM cadre_discipline", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1); /* the same penalty twice is one record */
    /* The same cadre with new grades: the old rows are replaced, not added to. */
    snprintf(csv, sizeof(csv), "id_number,name,unit,grades\n%s,张三,U1,2017:基本称职\n", ID_A);
    CHECK_INT_EQ(import_text(s, REG_CADRES, csv, &rep), ZC_OK);
    CHECK_INT_EQ(rep.updated, 1);
    import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s,
                                 "SELECT count(*) FROM cadre_grade WHERE year = 2017 AND "
                                 "grade = '基本称职'",
                                 &n, &err),
                 ZC_OK);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM cadre_grade", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    /* No discipline column in that file: the record is kept. */
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM cadre_discipline", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    /* An empty discipline cell clears it. */
    snprintf(csv, sizeof(csv), "id_number,name,unit,discipline\n%s,张三,U1,\n", ID_A);
    CHECK_INT_EQ(import_text(s, REG_CADRES, csv, &rep), ZC_OK);
    import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM cadre_discipline", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM cadre_grade", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    store_close(s);
}

TEST(registry_headers_tolerated)
{
    struct store *s = fixture("headers");
    struct import_report rep;
    CHECK(s);
    /* '*' required markers, units in brackets, an extra 序号 column, English case. */
    CHECK_INT_EQ(
        import_text(s, REG_HOUSEHOLDS,
                    "序号,*户编号,*区划代码,*人口数（人）,*致贫原因,人均纯收入(元),STATUS\n"
                    "1,H9,450124203202,2,因学,1000,已脱贫\n",
                    &rep),
        ZC_OK);
    CHECK_STR_EQ(rep.ignored, "序号");
    CHECK_INT_EQ(rep.added, 1);
    import_report_fini(&rep);
    store_close(s);
}

/* Jurisdiction in C (issue 11): a scoped import refuses the first row
 * outside with ZC_EFORBIDDEN naming row and column, and writes nothing; a
 * cadre scope writes nothing; the same rows pass within the scope. */
TEST(registry_import_scope_refuses_rows_outside)
{
    struct store *s = fixture("scope");
    struct import_report rep;
    struct zc_error err = {0};
    struct zc_scope other, mine, cadre = zc_scope_all();
    const char *csv = "code,poverty\n450124203202,poor\n";
    int64_t n = -1;
    CHECK(s);
    setenv("ZHUCUN_TODAY", "2018-06-30", 1);
    CHECK_INT_EQ(zc_scope_parse("450125", &other, &err), ZC_OK);
    CHECK_INT_EQ(zc_scope_parse("450124203", &mine, &err), ZC_OK);
    cadre.cadre = 7;
    CHECK_INT_EQ(
        registry_import_mem(s, REG_VILLAGES, "v.csv", csv, strlen(csv), &other, &rep, &err),
        ZC_EFORBIDDEN);
    CHECK_CONTAINS(err.msg, "v.csv:2:code: village 450124203202 is outside your jurisdiction");
    import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM village", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(
        registry_import_mem(s, REG_VILLAGES, "v.csv", csv, strlen(csv), &cadre, &rep, &err),
        ZC_EFORBIDDEN);
    import_report_fini(&rep);
    CHECK_INT_EQ(registry_import_mem(s, REG_VILLAGES, "v.csv", csv, strlen(csv), &mine, &rep, &err),
                 ZC_OK);
    CHECK_INT_EQ(rep.added, 1);
    import_report_fini(&rep);
    /* A unit without a division is outside every division: only an
     * unscoped import writes one. */
    csv = "code,name,level,category\nU9,新单位,county,party\n";
    CHECK_INT_EQ(registry_import_mem(s, REG_UNITS, "u.csv", csv, strlen(csv), &mine, &rep, &err),
                 ZC_EFORBIDDEN);
    CHECK_CONTAINS(err.msg, "u.csv:2:所在区划: unit U9 is outside your jurisdiction");
    import_report_fini(&rep);
    CHECK_INT_EQ(registry_import_mem(s, REG_UNITS, "u.csv", csv, strlen(csv), NULL, &rep, &err),
                 ZC_OK);
    import_report_fini(&rep);
    store_close(s);
}

/* The row writers (the scenario generator's way in) keep the import's rules
 * for values in their stored form, and write whole records. */
TEST(registry_row_writers_check_rows)
{
    struct store *s = fixture("rows");
    struct registry_rows *w = NULL;
    struct zc_error err = {0};
    struct store_stmt *st = NULL;
    int years[1] = {2017};
    const char *values[1] = {"优秀"};
    struct registry_cadre_row c = {.id = 40,
                                   .id_number = ID_A,
                                   .name = "张三",
                                   .unit = "U1",
                                   .rank = "副科",
                                   .on_staff = true,
                                   .education = "本科",
                                   .gender = "男",
                                   .birth_date = "1985-03-18",
                                   .demo = true,
                                   .grade_years = years,
                                   .grade_values = values,
                                   .ngrades = 1};
    struct registry_household_row h = {"H1", 450124203202, NULL, 3,    "因穷", false,
                                       0,    "poor",       2015, false};
    enum store_upsert_result res;
    CHECK(s);
    CHECK_INT_EQ(registry_rows_open(s, &w, &err), ZC_OK);
    /* The birth date must agree with the ID number (1985-03-17). */
    CHECK_INT_EQ(registry_add_cadre(w, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "contradicts the ID number");
    c.birth_date = "1985-03-17";
    c.rank = "处长";
    CHECK_INT_EQ(registry_add_cadre(w, &c, &err), ZC_EINVAL);
    c.rank = "副科";
    CHECK_INT_EQ(registry_add_cadre(w, &c, &err), ZC_OK);
    CHECK_INT_EQ(store_fetch_one(s,
                                 "SELECT c.id, c.preferred, c.demo, g.grade FROM cadre c JOIN "
                                 "cadre_grade g ON g.cadre = c.id WHERE c.id_number = ?1",
                                 STORE_ARGS(STORE_TEXT(ID_A)), &st, &err),
                 ZC_OK);
    CHECK(st);
    CHECK_INT_EQ(store_col_int(st, 0), 40);
    CHECK_STR_EQ(store_col_text(st, 1), "");
    CHECK_INT_EQ(store_col_int(st, 2), 1);
    CHECK_STR_EQ(store_col_text(st, 3), "优秀");
    store_finalize(st);
    /* A cause outside the vocabulary; then a good household. */
    CHECK_INT_EQ(registry_add_household(w, &h, &err), ZC_EINVAL);
    h.cause = "因病";
    CHECK_INT_EQ(registry_add_household(w, &h, &err), ZC_OK);
    CHECK_INT_EQ(registry_add_household(w, &h, &err), ZC_ECONFLICT);
    registry_rows_close(w);
    /* store_upsert's three answers, store_execute's changes. */
    CHECK_INT_EQ(store_prepare(s,
                               "INSERT INTO skill(code, name_zh, name_en) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh "
                               "WHERE skill.name_zh IS NOT excluded.name_zh",
                               &st, &err),
                 ZC_OK);
    store_bind_args(st, STORE_ARGS(STORE_TEXT("bees"), STORE_TEXT("养蜂"), STORE_TEXT("Bees")));
    CHECK_INT_EQ(store_upsert(st, s, 0, &res, &err), ZC_OK);
    CHECK_INT_EQ(res, STORE_ADDED);
    store_bind_args(st, STORE_ARGS(STORE_TEXT("bees"), STORE_TEXT("养蜂"), STORE_TEXT("Bees")));
    CHECK_INT_EQ(store_upsert(st, s, 0, &res, &err), ZC_OK);
    CHECK_INT_EQ(res, STORE_UNCHANGED);
    store_bind_args(st, STORE_ARGS(STORE_TEXT("bees"), STORE_TEXT("蜜蜂"), STORE_TEXT("Bees")));
    CHECK_INT_EQ(store_upsert(st, s, 0, &res, &err), ZC_OK);
    CHECK_INT_EQ(res, STORE_UPDATED);
    store_finalize(st);
    {
        int64_t n = -1;
        CHECK_INT_EQ(store_execute(s, "DELETE FROM skill WHERE code = ?1",
                                   STORE_ARGS(STORE_TEXT("bees")), &n, &err),
                     ZC_OK);
        CHECK_INT_EQ(n, 1);
    }
    store_close(s);
}
