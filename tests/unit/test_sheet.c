/* SPDX-License-Identifier: MIT */
/* test_sheet.c - sheet.h's own contract: limits, format detection, files,
 * callbacks that stop the read, column names. */
#include <stdlib.h>

#include "ingest/ingest_int.h"
#include "sheet_testlib.h"
#include "test.h"

TEST(sheet_limits_defaults)
{
    struct sheet_limits lim;
    sheet_limits_default(&lim);
    CHECK_INT_EQ(lim.max_file_bytes, (size_t)2048 << 20);
    CHECK_INT_EQ(lim.max_xml_bytes, (size_t)4096 << 20);
    CHECK_INT_EQ(lim.max_total_bytes, (size_t)8192 << 20);
    CHECK_INT_EQ(lim.max_rows, 10000000);
    CHECK_INT_EQ(lim.max_columns, 1000);
    CHECK_INT_EQ(lim.max_cell_bytes, 32768);
}

TEST(sheet_col_names)
{
    static const struct {
        size_t col;
        const char *name;
    } cases[] = {{0, "A"},   {25, "Z"},   {26, "AA"},   {51, "AZ"},
                 {52, "BA"}, {701, "ZZ"}, {702, "AAA"}, {16383, "XFD"}};

    char out[8];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sheet_col_name(cases[i].col, out);
        CHECK_STR_EQ(out, cases[i].name);
    }
}

TEST(sheet_csv_limits)
{
    struct sheet_limits lim;
    struct collect c = {0};
    struct zc_error err;

    sheet_limits_default(&lim);
    lim.max_rows = 3;
    CHECK_INT_EQ(collect_mem(&c, "a\nb\nc\n", 6, SHEET_AUTO, &lim, &err), ZC_OK);
    CHECK_INT_EQ(collect_mem(&c, "a\nb\nc\nd\n", 8, SHEET_AUTO, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "t.csv: more than 3 rows");

    sheet_limits_default(&lim);
    lim.max_columns = 2;
    CHECK_INT_EQ(collect_mem(&c, "a,b,,,\n", 7, SHEET_AUTO, &lim, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:a|b\n");
    CHECK_INT_EQ(collect_mem(&c, "a,b\n1,2,3\n", 10, SHEET_AUTO, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "t.csv: row 2: more than 2 columns");

    sheet_limits_default(&lim);
    lim.max_cell_bytes = 4;
    CHECK_INT_EQ(collect_mem(&c, "abcd,\"wxyz\"\n", 12, SHEET_AUTO, &lim, &err), ZC_OK);
    CHECK_INT_EQ(collect_mem(&c, "abcd,\"vwxyz\"\n", 13, SHEET_AUTO, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "t.csv: row 1, column B: cell is longer than 4 bytes");

    sheet_limits_default(&lim);
    lim.max_file_bytes = 5;
    CHECK_INT_EQ(collect_mem(&c, "abcdef", 6, SHEET_AUTO, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "larger than the limit of 5 bytes");
    buf_fini(&c.out);
}

TEST(sheet_callback_error_passes_through)
{
    struct collect c = {0};
    struct zc_error err;
    c.stop_at = 2;
    CHECK_INT_EQ(sheet_read_mem("t.csv", "a\nb\nc\n", 6, SHEET_AUTO, NULL, collect_row, &c, &err),
                 ZC_ECONFLICT);
    CHECK_STR_EQ(err.msg, "callback says stop at row 2");
    CHECK_INT_EQ(c.rows, 2);
    buf_fini(&c.out);
}

TEST(sheet_detects_old_xls_and_damaged_zip)
{
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest";
    struct collect c = {0};
    struct zc_error err;
    CHECK_INT_EQ(collect_mem(&c, ole, sizeof(ole) - 1, SHEET_AUTO, NULL, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "t.csv: this is an old Excel 97-2003 (.xls) workbook");
    {
        char enc[64] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 ....";
        memcpy(enc + 20, "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
        CHECK_INT_EQ(collect_mem(&c, enc, sizeof(enc), SHEET_AUTO, NULL, &err), ZC_EINVAL);
        CHECK_CONTAINS(err.msg, "t.csv: the workbook is encrypted (password-protected)");
    }
    CHECK_INT_EQ(collect_mem(&c, "PK\3\4garbage", 11, SHEET_AUTO, NULL, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "not a valid XLSX file");
    CHECK_INT_EQ(collect_mem(&c, "", 0, SHEET_XLSX, NULL, &err), ZC_EINVAL);
    buf_fini(&c.out);
}

TEST(sheet_read_file_csv_and_errors)
{
    static const char data[] = "\xEF\xBB\xBF身份证号,姓名\r\n450122199001010011,张三\r\n";
    struct collect c = {0};
    struct zc_error err;
    const char *path = scratch_file(zt_tmpdir(), "cadres.csv", data, sizeof(data) - 1);
    char missing[600];

    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:身份证号|姓名\n2:450122199001010011|张三\n");

    path = scratch_file(zt_tmpdir(), "empty.csv", "", 0);
    buf_reset(&c.out);
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "");

    snprintf(missing, sizeof(missing), "%s/nope.csv", zt_tmpdir());
    CHECK_INT_EQ(sheet_read_file(missing, NULL, collect_row, &c, &err), ZC_ENOTFOUND);
    CHECK_CONTAINS(err.msg, "nope.csv: No such file");
    CHECK_INT_EQ(sheet_read_file(zt_tmpdir(), NULL, collect_row, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "is a directory");

    path = scratch_file(zt_tmpdir(), "unterminated.csv", "a,b\n\"x\n", 7);
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "unterminated.csv: row 2, column A: a quoted field is never closed");
    buf_fini(&c.out);
}

TEST(sheet_read_file_large_limit)
{
    struct sheet_limits lim;
    struct collect c = {0};
    struct zc_error err;
    const char *path = scratch_file(zt_tmpdir(), "big.csv", "0123456789", 10);
    sheet_limits_default(&lim);
    lim.max_file_bytes = 9;
    CHECK_INT_EQ(sheet_read_file(path, &lim, collect_row, &c, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "big.csv: file is larger than the limit of 9 bytes");
    buf_fini(&c.out);
}
