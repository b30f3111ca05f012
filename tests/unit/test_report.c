/* SPDX-License-Identifier: MIT */
/* test_report.c - the report writers (src/report/): one document with a
 * Chinese title, headings, a paragraph, a table of 120 rows (several PDF
 * pages) with a highlighted row and a bar chart, written in each format and
 * read back: the PDF through poppler (pdftotext, pdfinfo, pdftoppm), the XLSX
 * through our own reader (ingest/sheet.h), the HTML as text. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "report/doc.h"
#include "sheet_testlib.h"
#include "test.h"

#define NROWS    120
#define TITLE    "马山县驻村工作通报（2018年7月）"
#define LAST_ROW "末行乡镇"

/* The document every format test writes; free with report_doc_free(). */
static struct report_doc *sample_doc(void)
{
    static const char *const headers[] = {"序号", "乡镇", "身份证号", "在岗天数", "在岗率"};
    static const int numeric[] = {1, 0, 0, 1, 1};
    static const char *const labels[] = {"白山镇", "百龙滩镇", "林圩镇", "古零镇", "金钗镇"};
    static const double values[] = {96.5, 88, 101.25, 72.5, 100};
    struct report_doc *d = report_doc_new(TITLE, "马山县委组织部 2018年7月");
    struct buf para = {0};
    report_heading(d, 1, "一、总体情况");
    for (int i = 0; i < 6; i++)
        buf_puts(&para, "本月全县驻村工作队员按规定在岗履职，各乡镇党委加强日常管理，"
                        "对在岗天数不足的队员进行了约谈提醒。");
    report_para(d, buf_cstr(&para));
    buf_fini(&para);
    report_heading(d, 2, "（一）在岗情况");
    report_table_begin(d, "各乡镇驻村干部在岗情况", headers, numeric, 5);
    for (int r = 1; r <= NROWS; r++) {
        char no[16], town[64], id[32], days[16], rate[16];
        const char *cells[5] = {no, town, id, days, rate};
        snprintf(no, sizeof(no), "%d", r);
        snprintf(town, sizeof(town), "%s", r == NROWS ? LAST_ROW : r == 2 ? "<b>&" : "乡镇");
        snprintf(id, sizeof(id), "45012419900101%04d", r);
        snprintf(days, sizeof(days), "%d", 10 + r % 13);
        snprintf(rate, sizeof(rate), "%s", r == 1 ? "95.50" : r == 3 ? "不适用" : "80");
        if (r == 4)
            cells[3] = NULL;
        report_table_row(d, cells, r == 5);
    }
    report_table_end(d);
    report_heading(d, 1, "二、在岗率排名");
    report_bar_chart(d, "各乡镇在岗率", labels, values, 5, "%", 100);
    report_para(d, "以上情况，特此通报。");
    return d;
}

/* Run `cmd` and return its standard output (free it). */
static char *run(const char *cmd)
{
    struct buf out = {0};
    char chunk[4096];
    size_t n;
    FILE *p = popen(cmd, "r");
    if (!p)
        return zc_strdup("");
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_append(&out, chunk, n);
    pclose(p);
    buf_putc(&out, '\0'); /* so that buf_steal() never returns NULL */
    return buf_steal(&out);
}

static char *slurp_file(const char *path)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "cat '%s'", path);
    return run(cmd);
}

/* True when `dir` holds a leftover "*.tmp-*" file. */
static bool has_temp_file(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;
    if (!d)
        return false;
    while ((e = readdir(d)) != NULL)
        found |= strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return found;
}

static const char *tmp_path(const char *name)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "%s/%s", zt_tmpdir(), name);
    return p;
}

TEST(report_format_names)
{
    enum report_format f;
    struct zc_error err;
    CHECK_INT_EQ(report_format_parse("pdf", &f, &err), ZC_OK);
    CHECK_INT_EQ(f, RF_PDF);
    CHECK_INT_EQ(report_format_parse("HTML", &f, &err), ZC_OK);
    CHECK_INT_EQ(f, RF_HTML);
    CHECK_INT_EQ(report_format_parse("xlsx", &f, &err), ZC_OK);
    CHECK_INT_EQ(f, RF_XLSX);
    CHECK_INT_EQ(report_format_parse("docx", &f, &err), ZC_EUSAGE);
    CHECK_CONTAINS(err.msg, "'docx'");
}

TEST(report_pdf_pages_and_text)
{
    struct report_doc *d = sample_doc();
    struct zc_error err = {0};
    const char *path = tmp_path("bulletin.pdf");
    char cmd[1024], first[64], last[64], *info, *text;
    const char *p;
    int pages;
    int rc = report_write(d, RF_PDF, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    CHECK(!has_temp_file(zt_tmpdir()));
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>&1", path);
    info = run(cmd);
    p = strstr(info, "Pages:");
    pages = p ? (int)strtol(p + 6, NULL, 10) : 0;
    CHECK_CONTAINS(info, "595.276 x 841.89 pts (A4)");
    CHECK_CONTAINS(info, TITLE);
    free(info);
    CHECK_MSG(pages >= 2, "%d pages", pages);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' - 2>&1", path);
    text = run(cmd);
    snprintf(first, sizeof(first), "第 1 页 / 共 %d 页", pages);
    snprintf(last, sizeof(last), "第 %d 页 / 共 %d 页", pages, pages);
    CHECK_CONTAINS(text, TITLE);
    CHECK_CONTAINS(text, LAST_ROW);
    CHECK_CONTAINS(text, "450124199001010120");
    CHECK_CONTAINS(text, "<b>&");
    CHECK_CONTAINS(text, first);
    CHECK_CONTAINS(text, last);
    CHECK_CONTAINS(text, "101.25%"); /* a bar's value */
    /* the header row is repeated on the page the table continues on */
    p = strstr(text, "\f");
    CHECK_MSG(p && strstr(p, "身份证号"), "no header row after the first page break");
    free(text);
}

TEST(report_pdf_renders)
{
    struct report_doc *d = sample_doc();
    struct zc_error err = {0};
    const char *path = tmp_path("render.pdf"), *png = tmp_path("page1.png");
    char cmd[1024];
    struct stat st;
    int rc = report_write(d, RF_PDF, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    snprintf(cmd, sizeof(cmd), "pdftoppm -r 50 -png -f 1 -l 1 -singlefile '%s' '%s/page1' 2>&1",
             path, zt_tmpdir());
    free(run(cmd));
    CHECK_MSG(stat(png, &st) == 0, "pdftoppm wrote no %s", png);
    CHECK_MSG(st.st_size > 5000, "page 1 is only %lld bytes of PNG", (long long)st.st_size);
}

TEST(report_html_escaped_and_self_contained)
{
    struct report_doc *d = sample_doc();
    struct zc_error err = {0};
    const char *path = tmp_path("bulletin.html");
    char *html;
    int rc = report_write(d, RF_HTML, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    CHECK(!has_temp_file(zt_tmpdir()));
    html = slurp_file(path);
    CHECK_CONTAINS(html, "<meta charset=\"utf-8\">");
    CHECK_CONTAINS(html, "<title>" TITLE "</title>");
    CHECK_CONTAINS(html, "<td>&lt;b&gt;&amp;</td>");
    CHECK_CONTAINS(html, "<svg");
    CHECK_CONTAINS(html, "@media print");
    CHECK_CONTAINS(html, "<tr class=\"hl\">");
    CHECK_CONTAINS(html, LAST_ROW);
    CHECK_MSG(!strstr(html, "http://") && !strstr(html, "https://"), "a remote reference");
    CHECK_MSG(!strstr(html, "<b>&"), "unescaped cell text");
    free(html);
}

/* Copy `src` to `dst` with the first sheet hidden, so that our reader
 * (which reads the first visible sheet) reads the second. */
static void hide_first_sheet(const char *src, const char *dst)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import sys, zipfile\n"
             "zi = zipfile.ZipFile(sys.argv[1]); zo = zipfile.ZipFile(sys.argv[2], \"w\", "
             "zipfile.ZIP_DEFLATED)\n"
             "for it in zi.infolist():\n"
             "    b = zi.read(it.filename)\n"
             "    if it.filename == \"xl/workbook.xml\": b = b.replace(b\"<sheet \", "
             "b\"<sheet state=\\\"hidden\\\" \", 1)\n"
             "    zo.writestr(it, b)\n"
             "zo.close()' '%s' '%s' 2>&1",
             src, dst);
    free(run(cmd));
}

TEST(report_xlsx_sheets_and_cells)
{
    struct report_doc *d = sample_doc();
    struct zc_error err = {0};
    const char *path = tmp_path("bulletin.xlsx"), *second = tmp_path("second.xlsx");
    struct collect c = {0};
    char cmd[1024], *wb;
    int rc = report_write(d, RF_XLSX, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    CHECK(!has_temp_file(zt_tmpdir()));
    snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/workbook.xml", path);
    wb = run(cmd);
    CHECK_CONTAINS(wb, "<sheet name=\"说明\" sheetId=\"1\"");
    CHECK_CONTAINS(wb, "<sheet name=\"各乡镇驻村干部在岗情况\" sheetId=\"2\"");
    CHECK_CONTAINS(wb, "<sheet name=\"各乡镇在岗率\" sheetId=\"3\"");
    free(wb);
    /* 说明: title, subtitle, headings and paragraphs in order */
    CHECK_MSG(sheet_read_file(path, NULL, collect_row, &c, &err) == ZC_OK, "%s", err.msg);
    CHECK_CONTAINS(buf_cstr(&c.out), "1:" TITLE "\n2:马山县委组织部 2018年7月\n4:一、总体情况\n");
    CHECK_CONTAINS(buf_cstr(&c.out), "以上情况，特此通报。");
    /* the table: an 18-digit ID stays exact text; "95.50" in a numeric
     * column comes back "95.5" (a number), "不适用" stays text */
    hide_first_sheet(path, second);
    buf_reset(&c.out);
    c.rows = 0;
    CHECK_MSG(sheet_read_file(second, NULL, collect_row, &c, &err) == ZC_OK, "%s", err.msg);
    CHECK_CONTAINS(buf_cstr(&c.out), "1:序号|乡镇|身份证号|在岗天数|在岗率\n");
    CHECK_CONTAINS(buf_cstr(&c.out), "2:1|乡镇|450124199001010001|11|95.5\n");
    CHECK_CONTAINS(buf_cstr(&c.out), "3:2|<b>&|450124199001010002|12|80\n");
    CHECK_CONTAINS(buf_cstr(&c.out), "4:3|乡镇|450124199001010003|13|不适用\n");
    CHECK_CONTAINS(buf_cstr(&c.out), "5:4|乡镇|450124199001010004||80\n");
    CHECK_CONTAINS(buf_cstr(&c.out), "121:120|" LAST_ROW "|450124199001010120|");
    CHECK_INT_EQ(c.rows, NROWS + 1);
    buf_fini(&c.out);
}

/* Sheet names: Excel's forbidden characters, 31 characters (not bytes),
 * unique regardless of case, and never a clash with 说明. */
TEST(report_xlsx_sheet_names)
{
    static const char *const h[] = {"名称", "数量"};
    static const int num[] = {0, 1};
    static const char *const row[] = {"甲", "12345678901234567890"};
    struct report_doc *d = report_doc_new("名称测试", NULL);
    struct zc_error err = {0};
    const char *path = tmp_path("names.xlsx");
    const char *caps[] = {"表:一/二[三]*?\\四",
                          "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
                          "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四",
                          "'引号'",
                          "说明",
                          "Sheet",
                          "SHEET",
                          ""};
    char cmd[1024], *wb;
    int rc;
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        report_table_begin(d, caps[i], h, num, 2);
        report_table_row(d, row, 0);
        report_table_end(d);
    }
    rc = report_write(d, RF_XLSX, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/workbook.xml", path);
    wb = run(cmd);
    CHECK_CONTAINS(wb, "name=\"表_一_二_三____四\"");
    CHECK_CONTAINS(wb, "name=\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"");
    CHECK_CONTAINS(wb, "name=\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八(2)\"");
    CHECK_CONTAINS(wb, "name=\"引号\"");
    CHECK_CONTAINS(wb, "name=\"说明(2)\"");
    CHECK_CONTAINS(wb, "name=\"Sheet\"");
    CHECK_CONTAINS(wb, "name=\"SHEET(2)\"");
    CHECK_CONTAINS(wb, "name=\"表8\"");
    free(wb);
}

/* A 20-digit number in a numeric column cannot be a double exactly: text. */
TEST(report_xlsx_long_number_is_text)
{
    static const char *const h[] = {"名称", "数量"};
    static const int num[] = {0, 1};
    static const char *const row[] = {"甲", "12345678901234567890"};
    struct report_doc *d = report_doc_new("长数字", NULL);
    struct zc_error err = {0};
    const char *path = tmp_path("long.xlsx"), *second = tmp_path("long2.xlsx");
    struct collect c = {0};
    int rc;
    report_table_begin(d, "长数字", h, num, 2);
    report_table_row(d, row, 1);
    report_table_end(d);
    rc = report_write(d, RF_XLSX, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    hide_first_sheet(path, second);
    CHECK_MSG(sheet_read_file(second, NULL, collect_row, &c, &err) == ZC_OK, "%s", err.msg);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:名称|数量\n2:甲|12345678901234567890\n");
    buf_fini(&c.out);
}

/* Every writer: a directory that does not exist is ZC_EIO naming the path;
 * a target that cannot be replaced (a directory) leaves no temporary file. */
TEST(report_write_errors)
{
    static const enum report_format fmts[] = {RF_HTML, RF_PDF, RF_XLSX};
    struct report_doc *d = sample_doc();
    const char *missing = tmp_path("no-such-dir/out.report"), *dir = tmp_path("a-directory");
    mkdir(dir, 0700);
    for (size_t i = 0; i < 3; i++) {
        struct zc_error err = {0};
        int rc = report_write(d, fmts[i], missing, &err);
        CHECK_INT_EQ(rc, ZC_EIO);
        CHECK_CONTAINS(err.msg, "cannot write ");
        CHECK_CONTAINS(err.msg, missing);
        rc = report_write(d, fmts[i], dir, &err);
        CHECK_INT_EQ(rc, ZC_EIO);
        CHECK_CONTAINS(err.msg, dir);
        CHECK_MSG(!has_temp_file(zt_tmpdir()), "format %zu left a temporary file", i);
    }
    report_doc_free(d);
}

/* An empty document (title only) and empty pieces still make valid files. */
TEST(report_empty_pieces)
{
    static const enum report_format fmts[] = {RF_HTML, RF_PDF, RF_XLSX};

    static const char *const h[] = {"甲"};
    struct report_doc *d = report_doc_new("空", NULL);
    report_table_begin(d, NULL, h, NULL, 1);
    report_table_end(d);
    report_bar_chart(d, NULL, NULL, NULL, 0, NULL, -1);
    report_heading(d, 3, "");
    report_para(d, "");
    for (size_t i = 0; i < 3; i++) {
        struct zc_error err = {0};
        int rc = report_write(d, fmts[i], tmp_path("empty.out"), &err);
        CHECK_MSG(rc == ZC_OK, "format %zu: %s", i, err.msg);
    }
    report_doc_free(d);
}

/* Bytes that are not UTF-8 and control characters are cleaned when they are
 * added (U+FFFD, a space), so every format still writes and reads back. */
TEST(report_invalid_utf8_cleaned)
{
    static const char *const h[] = {"名称\x01", "数"};
    static const char *const row[] = {"坏\xff字节\xe4\xb8", "1\x1b"};
    struct report_doc *d = report_doc_new("标题\xc0\xaf", "副\x07标题");
    const char *x = tmp_path("bad.xlsx"), *h2 = tmp_path("bad.html"), *pdf = tmp_path("bad.pdf");
    struct zc_error err = {0};
    struct collect c = {0};
    char *html;
    report_para(d, "段落\xed\xa0\x80");
    report_table_begin(d, "表\xf5", h, NULL, 2);
    report_table_row(d, row, 0);
    report_table_end(d);
    CHECK_MSG(report_write(d, RF_XLSX, x, &err) == ZC_OK, "%s", err.msg);
    CHECK_MSG(report_write(d, RF_HTML, h2, &err) == ZC_OK, "%s", err.msg);
    CHECK_MSG(report_write(d, RF_PDF, pdf, &err) == ZC_OK, "%s", err.msg);
    report_doc_free(d);
    CHECK_MSG(sheet_read_file(x, NULL, collect_row, &c, &err) == ZC_OK, "%s", err.msg);
    CHECK_CONTAINS(buf_cstr(&c.out), "1:标题\xEF\xBF\xBD\xEF\xBF\xBD\n2:副 标题\n");
    buf_fini(&c.out);
    html = slurp_file(h2);
    CHECK_CONTAINS(html, "<td>坏\xEF\xBF\xBD字节\xEF\xBF\xBD\xEF\xBF\xBD</td><td>1 </td>");
    CHECK_CONTAINS(html, "段落\xEF\xBF\xBD");
    free(html);
}

/* Headings that fall at a page break are drawn with their own text: the
 * footer of the page before shares the layout and once replaced it. */
TEST(report_pdf_heading_at_page_break)
{
    struct report_doc *d = report_doc_new("分页标题", NULL);
    struct zc_error err = {0};
    const char *path = tmp_path("headings.pdf");
    char cmd[1024], want[64], *text;
    int rc;
    for (int i = 0; i < 40; i++) {
        snprintf(want, sizeof(want), "第%d节标题", i);
        report_heading(d, 1 + i % 2, want);
        report_para(d, "驻村工作队按照要求开展入户走访, 逐户核实帮扶措施落实情况, "
                       "做到底数清、情况明。驻村工作队按照要求开展入户走访。");
    }
    rc = report_write(d, RF_PDF, path, &err);
    report_doc_free(d);
    CHECK_MSG(rc == ZC_OK, "report_write: %s", err.msg);
    snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>&1", path);
    text = run(cmd);
    for (int i = 0; i < 40; i++) {
        snprintf(want, sizeof(want), "第%d节标题", i);
        CHECK_CONTAINS(text, want);
    }
    free(text);
}
