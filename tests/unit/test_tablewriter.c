/* SPDX-License-Identifier: MIT */
/* test_tablewriter.c - CSV/XLSX/JSON exports, each read back: CSV and XLSX
 * through our own reader, JSON through jansson. */
#include <jansson.h>
#include <stdlib.h>

#include "ingest/tablewriter.h"
#include "sheet_testlib.h"
#include "test.h"

static const struct tw_column cols[] = {
    {"id_number", "身份证号", TW_TEXT, 22}, {"name", "姓名", TW_TEXT, 0},
    {"years", "工作年限", TW_INT, 0},       {"score", "得分", TW_REAL, 0},
    {"note", "备注", TW_TEXT, 0},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const char *const rows[][NCOLS] = {
    {"450124199001010011", "张三", "12", "3.5", "普通"},
    {"4501**********001X", "李\"四\"", "-3", "-0.25", "a,b"},
    {"11010519491231002X", "王五", NULL, "", "two\nlines"},
    {"=1+1", "+86 138", "0", "1e-7", "@SUM(A1)"},
    {"-5", "\ttab", "7", "2", "\rcr"},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Write every row to `fp` (CSV/JSON) or `path` (XLSX). */
static int write_table(enum tw_format fmt, const char *path, FILE *fp, const char *title,
                       struct zc_error *err)
{
    struct tablewriter *w;
    int rc = tw_open(fmt, path, fp, title, "干部", cols, NCOLS, &w, err);
    if (rc != ZC_OK)
        return rc;
    for (size_t i = 0; i < NROWS && rc == ZC_OK; i++)
        rc = tw_row(w, rows[i], err);
    if (rc != ZC_OK) {
        tw_close(w, NULL);
        return rc;
    }
    return tw_close(w, err);
}

static char *slurp(FILE *f, size_t *n)
{
    long len;
    char *p;
    fflush(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = zc_malloc((size_t)len + 1);
    *n = fread(p, 1, (size_t)len, f);
    p[*n] = '\0';
    return p;
}

TEST(tw_format_names)
{
    enum tw_format f;
    struct zc_error err;
    CHECK_INT_EQ(tw_format_parse("csv", &f, &err), ZC_OK);
    CHECK_INT_EQ(f, TW_CSV);
    CHECK_INT_EQ(tw_format_parse("XLSX", &f, &err), ZC_OK);
    CHECK_INT_EQ(f, TW_XLSX);
    CHECK_INT_EQ(tw_format_parse("json", &f, &err), ZC_OK);
    CHECK_INT_EQ(f, TW_JSON);
    CHECK_INT_EQ(tw_format_parse("xls", &f, &err), ZC_EUSAGE);
    CHECK_CONTAINS(err.msg, "unknown format 'xls'");
}

TEST(tw_csv_bytes)
{
    static const struct tw_column two[] = {{"a", "甲", TW_TEXT, 0}, {"n", "数", TW_INT, 0}};
    const char *r1[] = {"x,y", "-4"};
    const char *r2[] = {"=cmd|' /C calc'!A0", NULL};
    struct tablewriter *w;
    struct zc_error err;
    FILE *f = tmpfile();
    size_t n;
    char *out;
    CHECK_INT_EQ(tw_open(TW_CSV, NULL, f, "ignored", NULL, two, 2, &w, &err), ZC_OK);
    CHECK_INT_EQ(tw_row(w, r1, &err), ZC_OK);
    CHECK_INT_EQ(tw_row(w, r2, &err), ZC_OK);
    CHECK_INT_EQ(tw_close(w, &err), ZC_OK);
    out = slurp(f, &n);
    /* BOM, CRLF, quoting; a negative number stays a number, a formula does
     * not stay a formula. */
    CHECK_STR_EQ(out, "\xEF\xBB\xBF甲,数\r\n\"x,y\",-4\r\n'=cmd|' /C calc'!A0,\r\n");
    free(out);
    fclose(f);
}

TEST(tw_csv_round_trip)
{
    struct collect c = {0};
    struct zc_error err;
    struct buf want = {0};
    FILE *f = tmpfile();
    size_t n;
    char *out;

    CHECK_INT_EQ(write_table(TW_CSV, NULL, f, NULL, &err), ZC_OK);
    out = slurp(f, &n);
    CHECK_INT_EQ(sheet_read_mem("export.csv", out, n, SHEET_AUTO, NULL, collect_row, &c, &err),
                 ZC_OK);
    buf_puts(&want, "1:身份证号|姓名|工作年限|得分|备注\n");
    buf_puts(&want, "2:450124199001010011|张三|12|3.5|普通\n");
    buf_puts(&want, "3:4501**********001X|李\"四\"|-3|-0.25|a,b\n");
    buf_puts(&want, "4:11010519491231002X|王五|||two\nlines\n");
    buf_puts(&want, "5:'=1+1|'+86 138|0|1e-7|'@SUM(A1)\n");
    buf_puts(&want, "6:'-5|'\ttab|7|2|'\rcr\n");
    CHECK_STR_EQ(buf_cstr(&c.out), buf_cstr(&want));
    free(out);
    fclose(f);
    buf_fini(&want);
    buf_fini(&c.out);
}

TEST(tw_xlsx_round_trip_ids_stay_text)
{
    struct collect c = {0};
    struct zc_error err;
    struct buf want = {0};
    char path[512];

    snprintf(path, sizeof(path), "%s/export.xlsx", zt_tmpdir());
    CHECK_INT_EQ(write_table(TW_XLSX, path, NULL, "2016年第一批驻村干部名单", &err), ZC_OK);
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    buf_puts(&want, "1:2016年第一批驻村干部名单\n");
    buf_puts(&want, "2:身份证号|姓名|工作年限|得分|备注\n");
    buf_puts(&want, "3:450124199001010011|张三|12|3.5|普通\n");
    buf_puts(&want, "4:4501**********001X|李\"四\"|-3|-0.25|a,b\n");
    buf_puts(&want, "5:11010519491231002X|王五|||two\nlines\n");
    /* XLSX cells are typed: text is never a formula, so nothing is prefixed.
     * (The ID in row 3 would read back as 450124199001010050 had it been
     * stored as a number.) */
    buf_puts(&want, "6:=1+1|+86 138|0|1e-07|@SUM(A1)\n");
    buf_puts(&want, "7:-5|\ttab|7|2|\rcr\n");
    CHECK_STR_EQ(buf_cstr(&c.out), buf_cstr(&want));
    buf_fini(&want);
    buf_fini(&c.out);
}

TEST(tw_json_escapes_and_types)
{
    static const struct tw_column two[] = {{"text", "T", TW_TEXT, 0}, {"n", "N", TW_REAL, 0}};
    const char *r1[] = {"q\"b\\s/\n\r\t\x01\x1f 中 \xE2\x80\xA8 \xFF", "-1.5e3"};
    const char *r2[] = {"", ""};
    const char *r3[] = {NULL, NULL};
    struct tablewriter *w;
    struct zc_error err;
    json_error_t jerr;
    json_t *doc;
    FILE *f = tmpfile();
    size_t n;
    char *out;

    CHECK_INT_EQ(tw_open(TW_JSON, NULL, f, NULL, NULL, two, 2, &w, &err), ZC_OK);
    CHECK_INT_EQ(tw_row(w, r1, &err), ZC_OK);
    CHECK_INT_EQ(tw_row(w, r2, &err), ZC_OK);
    CHECK_INT_EQ(tw_row(w, r3, &err), ZC_OK);
    CHECK_INT_EQ(tw_close(w, &err), ZC_OK);
    out = slurp(f, &n);
    CHECK_STR_EQ(out, "[\n"
                      "{\"text\":\"q\\\"b\\\\s/\\n\\r\\t\\u0001\\u001f 中 \\u2028 \\ufffd\","
                      "\"n\":-1.5e3},\n"
                      "{\"text\":\"\",\"n\":null},\n"
                      "{\"text\":null,\"n\":null}\n"
                      "]\n");
    doc = json_loads(out, 0, &jerr);
    CHECK_MSG(doc != NULL, "jansson: %s", jerr.text);
    CHECK_INT_EQ(json_array_size(doc), 3);
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(doc, 0), "text")),
                 "q\"b\\s/\n\r\t\x01\x1f 中 \xE2\x80\xA8 \xEF\xBF\xBD");
    json_decref(doc);
    free(out);
    fclose(f);
}

TEST(tw_json_whole_table_parses)
{
    struct zc_error err;
    json_error_t jerr;
    json_t *doc;
    FILE *f = tmpfile();
    size_t n;
    char *out;
    CHECK_INT_EQ(write_table(TW_JSON, NULL, f, NULL, &err), ZC_OK);
    out = slurp(f, &n);
    doc = json_loads(out, 0, &jerr);
    CHECK_MSG(doc != NULL, "jansson: %s", jerr.text);
    CHECK_INT_EQ(json_array_size(doc), NROWS);
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(doc, 0), "id_number")),
                 "450124199001010011");
    CHECK_INT_EQ(json_integer_value(json_object_get(json_array_get(doc, 1), "years")), -3);
    CHECK(json_is_null(json_object_get(json_array_get(doc, 2), "years")));
    json_decref(doc);
    free(out);
    fclose(f);
}

TEST(tw_json_empty_table)
{
    struct tablewriter *w;
    struct zc_error err;
    FILE *f = tmpfile();
    size_t n;
    char *out;
    CHECK_INT_EQ(tw_open(TW_JSON, NULL, f, NULL, NULL, cols, NCOLS, &w, &err), ZC_OK);
    CHECK_INT_EQ(tw_close(w, &err), ZC_OK);
    out = slurp(f, &n);
    CHECK_STR_EQ(out, "[]\n");
    free(out);
    fclose(f);
}

TEST(tw_numbers_are_checked)
{
    static const struct {
        enum tw_type type; /* column type */
        const char *text;  /* cell */
        bool ok;           /* accepted */
    } cases[] = {
        {TW_INT, "0", true},     {TW_INT, "-12", true},    {TW_INT, "007", false},
        {TW_INT, "1.5", false},  {TW_INT, "abc", false},   {TW_INT, "+1", false},
        {TW_REAL, "1.5", true},  {TW_REAL, "-0.25", true}, {TW_REAL, "1e-7", true},
        {TW_REAL, "1.", false},  {TW_REAL, ".5", false},   {TW_REAL, "inf", false},
        {TW_REAL, "NaN", false}, {TW_REAL, "1e", false},   {TW_REAL, " 1", false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tw_column col = {"v", "V", cases[i].type, 0};
        const char *row[] = {cases[i].text};
        struct tablewriter *w;
        struct zc_error err;
        FILE *f = tmpfile();
        int rc;
        CHECK_INT_EQ(tw_open(TW_JSON, NULL, f, NULL, NULL, &col, 1, &w, &err), ZC_OK);
        rc = tw_row(w, row, &err);
        CHECK_MSG((rc == ZC_OK) == cases[i].ok, "\"%s\": rc %d", cases[i].text, rc);
        if (rc != ZC_OK)
            CHECK_CONTAINS(err.msg, "column v:");
        tw_close(w, &err);
        fclose(f);
    }
}

TEST(tw_open_errors)
{
    struct tablewriter *w;
    struct zc_error err;
    CHECK_INT_EQ(tw_open(TW_XLSX, NULL, stdout, NULL, NULL, cols, NCOLS, &w, &err), ZC_EUSAGE);
    CHECK(w == NULL);
    CHECK_INT_EQ(tw_open(TW_CSV, NULL, NULL, NULL, NULL, cols, NCOLS, &w, &err), ZC_EUSAGE);
    CHECK_INT_EQ(tw_close(NULL, &err), ZC_OK);
    CHECK_INT_EQ(
        tw_open(TW_XLSX, "/nonexistent-dir/x.xlsx", NULL, NULL, NULL, cols, NCOLS, &w, &err),
        ZC_EIO);
    CHECK_CONTAINS(err.msg, "/nonexistent-dir/x.xlsx: cannot create: No such file");
}

TEST(tw_write_error_reported)
{
    struct tablewriter *w;
    struct zc_error err;
    FILE *f = fopen("/dev/full", "wb");
    int rc = ZC_OK;
    /* Linux always has /dev/full; without it this test would test nothing. */
    CHECK_MSG(f != NULL, "cannot open /dev/full: the write-error path is untested");
    CHECK_INT_EQ(tw_open(TW_CSV, NULL, f, NULL, NULL, cols, NCOLS, &w, &err), ZC_OK);
    for (int i = 0; i < 20000 && rc == ZC_OK; i++)
        rc = tw_row(w, rows[0], &err);
    if (rc == ZC_OK)
        rc = tw_close(w, &err);
    else
        tw_close(w, NULL);
    CHECK_INT_EQ(rc, ZC_EIO);
    CHECK_CONTAINS(err.msg, "cannot write the table");
    fclose(f);
}
