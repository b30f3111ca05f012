/* SPDX-License-Identifier: MIT */
/* test_xlsx.c - the XLSX reader on real files written by libxlsxwriter, on
 * hand-made WPS-like workbooks (minizip's zip writer), and on hostile ones:
 * zip bombs, absurd cell references, DOCTYPEs. */
#include <stdlib.h>
#include <time.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "sheet_testlib.h"
#include "test.h"

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG  "http://schemas.openxmlformats.org/package/2006/relationships"

struct part {
    const char *name; /* zip entry name */
    const char *data; /* contents (NUL-terminated) */
};

static const char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", zt_tmpdir(), name);
    return path;
}

static bool make_zip(const char *path, const struct part *parts, size_t n)
{
    zipFile z = zipOpen64(path, 0);
    if (!z)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (zipOpenNewFileInZip64(z, parts[i].name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                                  Z_DEFAULT_COMPRESSION, 0) != ZIP_OK)
            return false;
        zipWriteInFileInZip(z, parts[i].data, (unsigned)strlen(parts[i].data));
        zipCloseFileInZip(z);
    }
    return zipClose(z, NULL) == ZIP_OK;
}

static const char pkg_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
    "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

static const char simple_wb[] = "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                                "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                                "</sheets></workbook>";

static const char simple_wb_rels[] =
    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
    "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

/* A one-sheet workbook whose sheet XML is `sheet`; read it into c. */
static int read_simple(struct collect *c, const char *sheet, const struct sheet_limits *lim,
                       struct zc_error *err)
{
    const struct part parts[] = {{"_rels/.rels", pkg_rels},
                                 {"xl/workbook.xml", simple_wb},
                                 {"xl/_rels/workbook.xml.rels", simple_wb_rels},
                                 {"xl/worksheets/sheet1.xml", sheet}};
    const char *path = tmp_path("simple.xlsx");
    if (!make_zip(path, parts, 4))
        return -1;
    buf_reset(&c->out);
    zc_error_clear(err);
    return sheet_read_file(path, lim, collect_row, c, err);
}

static lxw_datetime dt(int y, int mo, int d, int h, int mi, double s)
{
    lxw_datetime t = {y, mo, d, h, mi, s};
    return t;
}

/* The same table through libxlsxwriter, with or without constant_memory
 * (which writes inline strings instead of the shared string table). */
static bool write_lxw(const char *path, bool constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = constant_memory, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "干部名册");
    lxw_format *text = workbook_add_format(wb);
    lxw_format *ymd = workbook_add_format(wb);
    lxw_format *ymdhm = workbook_add_format(wb);
    lxw_format *money = workbook_add_format(wb);
    lxw_datetime d1 = dt(1990, 1, 1, 0, 0, 0), d2 = dt(2016, 3, 1, 8, 30, 0);
    const char *hdr[] = {"身份证号", "姓名", "出生日期", "工龄", "得分", "党员", "任职时间"};

    format_set_num_format(text, "@");
    format_set_num_format(ymd, "yyyy\"年\"m\"月\"d\"日\"");
    format_set_num_format(ymdhm, "yyyy-mm-dd hh:mm");
    format_set_num_format(money, "#,##0.00");
    for (int i = 0; i < 7; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, hdr[i], NULL);
    worksheet_write_string(ws, 1, 0, "450124199001010000", text);
    worksheet_write_string(ws, 1, 1, "张三 \"老张\" <&>", NULL);
    worksheet_write_datetime(ws, 1, 2, &d1, ymd);
    worksheet_write_number(ws, 1, 3, 12, NULL);
    worksheet_write_number(ws, 1, 4, 3.5, money);
    worksheet_write_boolean(ws, 1, 5, 1, NULL);
    worksheet_write_datetime(ws, 1, 6, &d2, ymdhm);
    /* Row 3 left empty; row 4 has an ID typed as a number (wrongly). */
    worksheet_write_number(ws, 3, 0, 450124199001010000.0, NULL);
    worksheet_write_number(ws, 3, 1, -0.25, NULL);
    worksheet_write_number(ws, 3, 2, 0.1, NULL);
    worksheet_write_number(ws, 3, 3, 123456789012.0, NULL);
    worksheet_write_number(ws, 3, 4, 1e-7, NULL);
    worksheet_write_string(ws, 3, 6, "末尾", NULL);
    return workbook_close(wb) == LXW_NO_ERROR;
}

static const char lxw_expect[] =
    "1:身份证号|姓名|出生日期|工龄|得分|党员|任职时间\n"
    "2:450124199001010000|张三 \"老张\" <&>|1990-01-01|12|3.5|TRUE|2016-03-01 08:30:00\n"
    "4:450124199001010000|-0.25|0.1|123456789012|1e-07||末尾\n";

TEST(xlsx_libxlsxwriter_shared_strings)
{
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("lxw.xlsx");
    CHECK(write_lxw(path, false));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), lxw_expect);
    buf_fini(&c.out);
}

TEST(xlsx_libxlsxwriter_inline_strings)
{
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("lxw-cm.xlsx");
    CHECK(write_lxw(path, true));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), lxw_expect);
    buf_fini(&c.out);
}

/* A WPS-flavoured workbook: the sheet is xl/worksheets/Sheet_A.xml, found
 * through an absolute relationship target; a hidden sheet comes first; the
 * sheet uses a namespace prefix; dates come from built-in id 31 (Chinese
 * yyyy年m月d日) and a custom format; the 1904 date system is on. */
static const char wps_wb[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><workbookPr date1904=\"1\"/>"
    "<sheets><sheet name=\"说明\" sheetId=\"1\" state=\"hidden\" r:id=\"rId2\"/>"
    "<sheet name=\"干部\" sheetId=\"2\" r:id=\"rId7\"/></sheets></workbook>";

static const char wps_wb_rels[] =
    "<Relationships xmlns=\"" NS_PKG "\">"
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/hidden.xml\"/>"
    "<Relationship Id=\"rId7\" Type=\"" NS_REL
    "/worksheet\" Target=\"/xl/worksheets/Sheet_A.xml\"/>"
    "<Relationship Id=\"rId8\" Type=\"" NS_REL "/sharedStrings\" Target=\"strings/../shared.xml\"/>"
    "<Relationship Id=\"rId9\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId10\" Type=\"" NS_REL
    "/hyperlink\" Target=\"http://x/\" TargetMode=\"External\"/>"
    "</Relationships>";

static const char wps_styles[] =
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"3\">"
    "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"177\" formatCode=\"0.00&quot;元&quot;\"/>"
    "<numFmt numFmtId=\"178\" formatCode=\"[h]:mm\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"31\"/><xf numFmtId=\"176\"/>"
    "<xf numFmtId=\"177\"/><xf numFmtId=\"178\"/></cellXfs></styleSheet>";

static const char wps_sst[] = "<sst xmlns=\"" NS_MAIN "\" count=\"4\" uniqueCount=\"4\">"
                              "<si><t>姓名</t></si>"
                              "<si><r><rPr><b/></rPr><t>马</t></r><r><t xml:space=\"preserve\">"
                              "山 县</t></r><rPh sb=\"0\" eb=\"1\"><t>ma</t></rPh></si>"
                              "<si><t>line_x000D_\ntwo</t></si>"
                              "<si><t>A&amp;B</t></si></sst>";

static const char wps_sheet[] =
    "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:dimension ref=\"A1:I5\"/><x:sheetData>"
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v>"
    "</x:c><x:c r=\"C1\" t=\"s\"><x:v>3</x:v></x:c></x:row>"
    "<x:row r=\"2\"><x:c r=\"A2\" s=\"1\"/><x:c r=\"B2\" t=\"s\"/></x:row>"
    "<x:row r=\"3\"><x:c r=\"A3\" t=\"inlineStr\"><x:is><x:r><x:t>内</x:t></x:r><x:r><x:t>联"
    "</x:t></x:r></x:is></x:c><x:c t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>姓名x</x:v></x:c>"
    "<x:c r=\"C3\" s=\"1\"><x:v>1</x:v></x:c><x:c r=\"D3\" t=\"b\"><x:v>0</x:v></x:c>"
    "<x:c r=\"E3\" t=\"e\"><x:v>#N/A</x:v></x:c><x:c r=\"F3\" s=\"3\"><x:v>12.5</x:v></x:c>"
    "<x:c r=\"G3\" s=\"4\"><x:v>1.5</x:v></x:c><x:c r=\"H3\" s=\"2\"><x:v>43466</x:v></x:c>"
    "<x:c r=\"I3\" s=\"0\"><x:v>4.50124199001010E+17</x:v></x:c></x:row>"
    "<x:row r=\"4\"><x:c r=\"B4\"><x:v> 2 </x:v></x:c><x:c r=\"A4\"><x:v>1</x:v></x:c>"
    "<x:c r=\"C4\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"XFD4\" s=\"1\"/></x:row>"
    "<x:row><x:c><x:v>7</x:v></x:c></x:row>"
    "</x:sheetData></x:worksheet>";

static const char hidden_sheet[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                                   "<c t=\"inlineStr\"><is><t>WRONG SHEET</t></is></c></row>"
                                   "</sheetData></worksheet>";

TEST(xlsx_wps_like_workbook)
{
    const struct part parts[] = {
        {"[Content_Types].xml", "<Types/>"},
        {"_rels/.rels", pkg_rels},
        {"xl/workbook.xml", wps_wb},
        {"xl/_rels/workbook.xml.rels", wps_wb_rels},
        {"xl/worksheets/hidden.xml", hidden_sheet},
        {"xl/worksheets/Sheet_A.xml", wps_sheet},
        {"xl/shared.xml", wps_sst},
        {"xl/styles.xml", wps_styles},
    };
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("wps.xlsx");
    CHECK(make_zip(path, parts, sizeof(parts) / sizeof(parts[0])));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:姓名|马山 县|A&B\n"
                                   "3:内联|姓名x|1904-01-02|FALSE|#N/A|12.5|1.5|2023-01-02|"
                                   "450124199001010000\n"
                                   "4:1|2|line\r\ntwo\n"
                                   "5:7\n");
    buf_fini(&c.out);
}

TEST(xlsx_dates_1900_system)
{
    /* 1, 59, 60 (Lotus's 29 Feb 1900), 61, a time of day, a date-time. */
    static const char styles[] = "<styleSheet xmlns=\"" NS_MAIN "\"><cellXfs count=\"2\">"
                                 "<xf numFmtId=\"0\"/><xf numFmtId=\"22\"/></cellXfs>"
                                 "</styleSheet>";
    static const char rels[] =
        "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
        "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS_REL
        "/styles\" Target=\"styles.xml\"/></Relationships>";
    static const char sheet[] =
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row>"
        "<c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c><c s=\"1\"><v>60</v></c>"
        "<c s=\"1\"><v>61</v></c><c s=\"1\"><v>0.75</v></c><c s=\"1\"><v>45000.5</v></c>"
        "<c s=\"1\"><v>2958465.99999999</v></c><c s=\"1\"><v>-1</v></c></row>"
        "</sheetData></worksheet>";
    const struct part parts[] = {{"_rels/.rels", pkg_rels},
                                 {"xl/workbook.xml", simple_wb},
                                 {"xl/_rels/workbook.xml.rels", rels},
                                 {"xl/styles.xml", styles},
                                 {"xl/worksheets/sheet1.xml", sheet}};
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("dates.xlsx");
    CHECK(make_zip(path, parts, 5));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:1900-01-01|1900-02-28|1900-02-29|1900-03-01|18:00:00|"
                                   "2023-03-15 12:00:00|9999-12-31 23:59:59|-1\n");
    buf_fini(&c.out);
}

TEST(xlsx_hostile_cells)
{
    static const struct {
        const char *name;  /* case */
        const char *sheet; /* sheet XML */
        int rc;            /* expected code */
        const char *msg;   /* message part */
    } cases[] = {
        {"column beyond XFD",
         "<worksheet><sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row></sheetData>"
         "</worksheet>",
         ZC_EINVAL, "cell reference XFE1 is beyond Excel's last column XFD"},
        {"four-letter column",
         "<worksheet><sheetData><row r=\"1\"><c r=\"AAAA1\"/></row></sheetData></worksheet>",
         ZC_EINVAL, "beyond Excel's last column"},
        {"row beyond Excel",
         "<worksheet><sheetData><row r=\"99999999\"><c><v>1</v></c></row></sheetData>"
         "</worksheet>",
         ZC_EINVAL, "row 99999999 is beyond Excel's last row 1048576"},
        {"row number not a number", "<worksheet><sheetData><row r=\"-3\"/></sheetData></worksheet>",
         ZC_EINVAL, "bad row number \"-3\""},
        {"huge row number",
         "<worksheet><sheetData><row r=\"99999999999999999999999\"/></sheetData></worksheet>",
         ZC_EINVAL, "bad row number"},
        {"shared string without table",
         "<worksheet><sheetData><row><c r=\"B1\" t=\"s\"><v>5</v></c></row></sheetData>"
         "</worksheet>",
         ZC_EINVAL, "row 1, column B: shared string 5 does not exist"},
        {"doctype (billion laughs)",
         "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
         "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><worksheet><sheetData><row><c "
         "t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>",
         ZC_EINVAL, "has a DOCTYPE, which Excel never writes; refusing"},
        {"bad xml", "<worksheet><sheetData><row></sheetData>", ZC_EINVAL,
         "part xl/worksheets/sheet1.xml, line 1: bad XML: mismatched tag"},
        {"not xml at all", "\x01\x02", ZC_EINVAL, "bad XML"},
        {"too many cells in a row", NULL, ZC_EINVAL, "row 1 has more cells than Excel's 16384"},
    };
    struct collect c = {0};
    struct zc_error err;
    struct buf many = {0};
    buf_puts(&many, "<worksheet><sheetData><row>");
    for (int i = 0; i < 16385; i++)
        buf_puts(&many, "<c/>");
    buf_puts(&many, "</row></sheetData></worksheet>");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = read_simple(&c, cases[i].sheet ? cases[i].sheet : many.p, NULL, &err);
        CHECK_MSG(rc == cases[i].rc, "%s: rc %d (%s)", cases[i].name, rc, err.msg);
        CHECK_MSG(strstr(err.msg, cases[i].msg) != NULL, "%s: message \"%s\"", cases[i].name,
                  err.msg);
        CHECK_MSG(strstr(err.msg, "simple.xlsx: ") != NULL, "%s: no file name in \"%s\"",
                  cases[i].name, err.msg);
    }
    buf_fini(&many);
    buf_fini(&c.out);
}

TEST(xlsx_deep_nesting_refused)
{
    struct buf b = {0};
    struct collect c = {0};
    struct zc_error err;
    buf_puts(&b, "<worksheet>");
    for (int i = 0; i < 300; i++)
        buf_puts(&b, "<a>");
    for (int i = 0; i < 300; i++)
        buf_puts(&b, "</a>");
    buf_puts(&b, "</worksheet>");
    CHECK_INT_EQ(read_simple(&c, b.p, NULL, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "nests elements more than 256 deep");
    buf_fini(&b);
    buf_fini(&c.out);
}

TEST(xlsx_limits)
{
    static const char wide[] = "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"><v>1</v></c>"
                               "<c r=\"E2\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
                               "</sheetData></worksheet>";
    static const char long_cell[] = "<worksheet><sheetData><row r=\"3\"><c r=\"C3\" "
                                    "t=\"inlineStr\"><is><t>0123456789</t></is></c></row>"
                                    "</sheetData></worksheet>";
    static const char rows[] = "<worksheet><sheetData><row r=\"1\"/><row r=\"2\"/><row "
                               "r=\"5\"/></sheetData></worksheet>";
    struct sheet_limits lim;
    struct collect c = {0};
    struct zc_error err;

    sheet_limits_default(&lim);
    lim.max_columns = 4;
    CHECK_INT_EQ(read_simple(&c, wide, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "simple.xlsx: row 2, column E: more than 4 columns");
    sheet_limits_default(&lim);
    lim.max_cell_bytes = 8;
    CHECK_INT_EQ(read_simple(&c, long_cell, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "simple.xlsx: row 3, column C: cell is longer than 8 bytes");
    sheet_limits_default(&lim);
    lim.max_rows = 4;
    CHECK_INT_EQ(read_simple(&c, rows, &lim, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "more than 4 rows");
    buf_fini(&c.out);
}

/* A sheet part of `mib` MiB: an XML prologue, then spaces, which deflate
 * squeezes about 1000:1. */
static bool make_bomb(const char *path, size_t mib)
{
    static char chunk[1 << 20];
    static const char head[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>";
    zipFile z = zipOpen64(path, 0);
    const struct part parts[] = {{"_rels/.rels", pkg_rels},
                                 {"xl/workbook.xml", simple_wb},
                                 {"xl/_rels/workbook.xml.rels", simple_wb_rels}};
    if (!z)
        return false;
    memset(chunk, ' ', sizeof(chunk));
    for (size_t i = 0; i < 3; i++) {
        zipOpenNewFileInZip64(z, parts[i].name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6, 0);
        zipWriteInFileInZip(z, parts[i].data, (unsigned)strlen(parts[i].data));
        zipCloseFileInZip(z);
    }
    /* Z_RLE keeps building the test file fast; the ratio is the same. */
    zipOpenNewFileInZip3_64(z, "xl/worksheets/sheet1.xml", NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                            9, 0, -MAX_WBITS, 9, Z_RLE, NULL, 0, 1);
    zipWriteInFileInZip(z, head, sizeof(head) - 1);
    for (size_t i = 0; i < mib; i++)
        zipWriteInFileInZip(z, chunk, sizeof(chunk));
    zipCloseFileInZip(z);
    return zipClose(z, NULL) == ZIP_OK;
}

TEST(xlsx_zip_bomb_refused_quickly)
{
    struct sheet_limits lim;
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("bomb.xlsx");
    struct timespec t0, t1;
    double ms;

    CHECK(make_bomb(path, 300));
    /* Declared size over the per-part limit. */
    sheet_limits_default(&lim);
    lim.max_xml_bytes = 64 << 20;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT_EQ(sheet_read_file(path, &lim, collect_row, &c, &err), ZC_ETOOBIG);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_CONTAINS(err.msg, "bomb.xlsx: part xl/worksheets/sheet1.xml expands beyond 64 MiB; "
                            "refusing (zip bomb?)");
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK_MSG(ms < 200, "took %.0f ms", ms);
    /* Under the size limits, the compression ratio gives it away. */
    sheet_limits_default(&lim);
    CHECK_INT_EQ(sheet_read_file(path, &lim, collect_row, &c, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "more than any spreadsheet; refusing (zip bomb?)");
    /* And with the total limit lowered, the sum of parts. */
    lim.max_total_bytes = 200 << 20;
    CHECK_INT_EQ(sheet_read_file(path, &lim, collect_row, &c, &err), ZC_ETOOBIG);
    buf_fini(&c.out);
}

TEST(xlsx_total_limit)
{
    /* Each part is under the per-part limit, but all of them together are
     * over max_total_bytes. */
    struct sheet_limits lim;
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("bomb-small.xlsx");
    CHECK(make_bomb(path, 3));
    sheet_limits_default(&lim);
    lim.max_total_bytes = (3 << 20) + 100; /* the sheet alone fits, not with the rest */
    CHECK_INT_EQ(sheet_read_file(path, &lim, collect_row, &c, &err), ZC_ETOOBIG);
    CHECK_CONTAINS(err.msg, "expands beyond");
    buf_fini(&c.out);
}

TEST(xlsx_structure_errors)
{
    static const char wb_no_sheets[] = "<workbook xmlns=\"" NS_MAIN "\"><sheets/></workbook>";
    const struct part no_wb[] = {{"_rels/.rels", pkg_rels}, {"word/document.xml", "<w/>"}};
    const struct part no_sheet[] = {{"_rels/.rels", pkg_rels},
                                    {"xl/workbook.xml", simple_wb},
                                    {"xl/_rels/workbook.xml.rels", simple_wb_rels}};
    const struct part empty_wb[] = {{"_rels/.rels", pkg_rels},
                                    {"xl/workbook.xml", wb_no_sheets},
                                    {"xl/_rels/workbook.xml.rels", simple_wb_rels}};
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("bad.xlsx");

    CHECK(make_zip(path, no_wb, 2));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "not an Excel workbook");
    CHECK(make_zip(path, no_sheet, 3));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "the workbook's first sheet (xl/worksheets/sheet1.xml) is missing");
    CHECK(make_zip(path, empty_wb, 3));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "the workbook has no worksheet");
    buf_fini(&c.out);
}

TEST(xlsx_read_mem_and_callback_stop)
{
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("mem.xlsx");
    FILE *f;
    long n;
    char *data;

    CHECK(write_lxw(path, false));
    f = fopen(path, "rb");
    CHECK(f != NULL);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = zc_malloc((size_t)n);
    CHECK_INT_EQ(fread(data, 1, (size_t)n, f), n);
    fclose(f);
    CHECK_INT_EQ(
        sheet_read_mem("upload.xlsx", data, (size_t)n, SHEET_AUTO, NULL, collect_row, &c, &err),
        ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), lxw_expect);
    c.stop_at = 2;
    c.rows = 0;
    CHECK_INT_EQ(
        sheet_read_mem("upload.xlsx", data, (size_t)n, SHEET_XLSX, NULL, collect_row, &c, &err),
        ZC_ECONFLICT);
    CHECK_STR_EQ(err.msg, "callback says stop at row 2");
    /* Truncated upload. */
    CHECK_INT_EQ(
        sheet_read_mem("upload.xlsx", data, (size_t)n / 2, SHEET_AUTO, NULL, collect_row, &c, &err),
        ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "upload.xlsx: ");
    free(data);
    buf_fini(&c.out);
}

TEST(xlsx_percent_encoded_part_name)
{
    /* The relationship names the part as a URI; the zip holds the UTF-8 name. */
    static const char rels[] =
        "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
        "/worksheet\" Target=\"worksheets/%E8%A1%A8%201.xml\"/>"
        "</Relationships>";
    const struct part parts[] = {{"_rels/.rels", pkg_rels},
                                 {"xl/workbook.xml", simple_wb},
                                 {"xl/_rels/workbook.xml.rels", rels},
                                 {"xl/worksheets/表 1.xml", hidden_sheet}};
    struct collect c = {0};
    struct zc_error err;
    const char *path = tmp_path("pct.xlsx");
    CHECK(make_zip(path, parts, 4));
    CHECK_INT_EQ(sheet_read_file(path, NULL, collect_row, &c, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:WRONG SHEET\n");
    buf_fini(&c.out);
}
