/* SPDX-License-Identifier: MIT */
/* xlsx_write.c - a streaming XLSX writer for exports.
 *
 * An XLSX file is a zip of a few small XML parts and one worksheet. The
 * small parts are written when the file is opened; the worksheet is then
 * streamed row by row through zlib at its fastest level, so memory stays flat
 * and a million-row export is bound by deflate, not by per-cell bookkeeping.
 * (libxlsxwriter, which we used first, compresses at a fixed level and spent
 * 17 s of CPU on a million rows; see bench/RESULTS.md.)
 *
 * Cells are inline strings or numbers, each with its reference ("C7") so
 * that empty cells can simply be left out. Four cell styles: default, text
 * ("@", so an 18-digit ID number stays text when a user edits it), the bold
 * filled header and the merged title. */
#include "ingest_int.h"

#include <errno.h>
#include <minizip/zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define FLUSH_AT    (256 * 1024) /* bytes of XML buffered before deflate */
#define MAX_CELL_CH 32767        /* Excel's limit on characters in a cell */

struct xlsxw {
    zipFile zf;       /* the archive being written */
    char *path;       /* for messages and removal on failure */
    size_t ncols;     /* columns */
    size_t row;       /* rows written so far (the next row is row + 1) */
    bool sheet_open;  /* the worksheet entry is open */
    bool merge_title; /* a title row spans the columns */
    struct buf xml;   /* buffered worksheet XML */
    int err_code;     /* first write failure, or ZC_OK */
};

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    "</Types>";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

/* Styles by index: 0 default, 1 text, 2 header, 3 title (XLSXW_STYLE_*). */
static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<fonts count=\"3\">"
    "<font><sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>"
    "<font><b/><sz val=\"14\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>"
    "</fonts>"
    "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill>"
    "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/>"
    "<bgColor indexed=\"64\"/></patternFill></fill></fills>"
    "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
    "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\">"
    "<color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top>"
    "<bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs>"
    "<cellXfs count=\"4\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" "
    "applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/>"
    "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" "
    "applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>"
    "</cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
    "</cellStyles></styleSheet>";

/* Append `s` escaped for XML text or attributes. Characters XML 1.0 does
 * not allow (C0 controls other than tab, LF, CR) are dropped; CR becomes a
 * character reference, which XML's line-end normalisation leaves alone. */
static void xml_escape(struct buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            rep = "&amp;";
        else if (ch == '<')
            rep = "&lt;";
        else if (ch == '>')
            rep = "&gt;";
        else if (ch == '"')
            rep = "&quot;";
        else if (ch == '\r')
            rep = "&#13;"; /* a literal CR would be read back as LF */
        else if (ch < 0x20 && ch != '\t' && ch != '\n')
            rep = "";
        if (rep) {
            buf_append(b, run, (size_t)(s - run));
            buf_puts(b, rep);
            run = s + 1;
        }
    }
    buf_append(b, run, (size_t)(s - run));
}

static void col_ref(struct buf *b, size_t col, size_t row)
{
    char name[8];
    sheet_col_name(col, name);
    buf_puts(b, name);
    buf_printf(b, "%zu", row);
}

/* Code points in a UTF-8 string (continuation bytes are not counted). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int add_part(struct xlsxw *x, const char *name, const char *data, size_t len, bool zip64,
                    struct zc_error *err)
{
    zip_fileinfo zi;
    time_t now = time(NULL);
    struct tm tm;
    memset(&zi, 0, sizeof(zi));
    localtime_r(&now, &tm);
    zi.tmz_date.tm_year = (uInt)tm.tm_year + 1900;
    zi.tmz_date.tm_mon = (uInt)tm.tm_mon;
    zi.tmz_date.tm_mday = (uInt)tm.tm_mday;
    zi.tmz_date.tm_hour = (uInt)tm.tm_hour;
    zi.tmz_date.tm_min = (uInt)tm.tm_min;
    zi.tmz_date.tm_sec = (uInt)tm.tm_sec;
    if (zipOpenNewFileInZip64(x->zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, Z_BEST_SPEED,
                              zip64 ? 1 : 0) != ZIP_OK)
        return zc_error_set(err, ZC_EIO, "%s: cannot add %s to the workbook", x->path, name);
    if (data) {
        if (zipWriteInFileInZip(x->zf, data, (unsigned)len) != ZIP_OK ||
            zipCloseFileInZip(x->zf) != ZIP_OK)
            return zc_error_set(err, ZC_EIO, "%s: cannot write %s: %s", x->path, name,
                                strerror(errno));
    }
    return ZC_OK;
}

static int flush_xml(struct xlsxw *x, struct zc_error *err)
{
    if (x->xml.len == 0)
        return ZC_OK;
    if (zipWriteInFileInZip(x->zf, x->xml.p, (unsigned)x->xml.len) != ZIP_OK)
        return zc_error_set(err, ZC_EIO, "%s: cannot write the worksheet: %s", x->path,
                            strerror(errno));
    buf_reset(&x->xml);
    return ZC_OK;
}

int xlsxw_open(const char *path, const struct xlsxw_layout *lay, struct xlsxw **out,
               struct zc_error *err)
{
    struct xlsxw *x = zc_calloc(1, sizeof(*x));
    struct buf wb = {0};
    int rc;

    *out = NULL;
    x->path = zc_strdup(path);
    x->ncols = lay->ncols;
    x->zf = zipOpen64(path, APPEND_STATUS_CREATE);
    if (!x->zf) {
        rc = zc_error_set(err, ZC_EIO, "%s: cannot create: %s", path, strerror(errno));
        goto fail;
    }
    buf_puts(&wb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                  "<bookViews><workbookView/></bookViews><sheets><sheet name=\"");
    xml_escape(&wb, lay->sheet_name && *lay->sheet_name ? lay->sheet_name : "Sheet1");
    buf_puts(&wb, "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    rc = add_part(x, "[Content_Types].xml", content_types, sizeof(content_types) - 1, false, err);
    if (rc == ZC_OK)
        rc = add_part(x, "_rels/.rels", root_rels, sizeof(root_rels) - 1, false, err);
    if (rc == ZC_OK)
        rc = add_part(x, "xl/workbook.xml", wb.p, wb.len, false, err);
    if (rc == ZC_OK)
        rc = add_part(x, "xl/_rels/workbook.xml.rels", workbook_rels, sizeof(workbook_rels) - 1,
                      false, err);
    if (rc == ZC_OK)
        rc = add_part(x, "xl/styles.xml", styles, sizeof(styles) - 1, false, err);
    if (rc == ZC_OK)
        rc = add_part(x, "xl/worksheets/sheet1.xml", NULL, 0, true, err);
    if (rc != ZC_OK)
        goto fail;
    x->sheet_open = true;

    /* Everything before <sheetData> is known now: the frozen rows, widths. */
    buf_puts(&x->xml, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
                      "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                      "relationships\">");
    if (lay->freeze_rows > 0) {
        buf_printf(&x->xml,
                   "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"%zu\" "
                   "topLeftCell=\"A%zu\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                   "<selection pane=\"bottomLeft\"/></sheetView></sheetViews>",
                   lay->freeze_rows, lay->freeze_rows + 1);
    }
    buf_puts(&x->xml, "<sheetFormatPr defaultRowHeight=\"15\"/>");
    if (lay->ncols > 0) {
        buf_puts(&x->xml, "<cols>");
        for (size_t i = 0; i < lay->ncols; i++)
            buf_printf(&x->xml, "<col min=\"%zu\" max=\"%zu\" width=\"%.1f\"%s customWidth=\"1\"/>",
                       i + 1, i + 1, lay->widths ? lay->widths[i] : 12.0,
                       lay->text_cols && lay->text_cols[i] ? " style=\"1\"" : "");
        buf_puts(&x->xml, "</cols>");
    }
    buf_puts(&x->xml, "<sheetData>");
    buf_fini(&wb);
    *out = x;
    return ZC_OK;
fail:
    buf_fini(&wb);
    xlsxw_abort(x);
    return rc;
}

int xlsxw_title(struct xlsxw *x, const char *title, struct zc_error *err)
{
    x->row++;
    buf_printf(&x->xml,
               "<row r=\"%zu\" ht=\"24\" customHeight=\"1\"><c r=\"A%zu\" s=\"%d\" "
               "t=\"inlineStr\"><is><t xml:space=\"preserve\">",
               x->row, x->row, XLSXW_STYLE_TITLE);
    xml_escape(&x->xml, title);
    buf_puts(&x->xml, "</t></is></c></row>");
    x->merge_title = x->ncols > 1;
    return x->xml.len >= FLUSH_AT ? flush_xml(x, err) : ZC_OK;
}

int xlsxw_row(struct xlsxw *x, const char *const *cells, const bool *is_text, int style,
              struct zc_error *err)
{
    bool gap = false; /* a cell was left out: the next one needs its reference */

    if (x->row >= SHEET_EXCEL_MAX_ROWS)
        return zc_error_set(err, ZC_ETOOBIG, "%s: more rows than an Excel sheet holds (%d)",
                            x->path, SHEET_EXCEL_MAX_ROWS);
    x->row++;
    buf_printf(&x->xml, "<row r=\"%zu\">", x->row);
    for (size_t i = 0; i < x->ncols; i++) {
        const char *s = cells[i];
        if (!s || !*s) {
            gap = true;
            continue;
        }
        /* A cell without a reference follows the previous one, so the
         * reference is written only after a left-out (empty) cell; with
         * xml:space only where blanks must survive, this halves the XML. */
        buf_puts(&x->xml, "<c");
        if (gap) {
            buf_puts(&x->xml, " r=\"");
            col_ref(&x->xml, i, x->row);
            buf_putc(&x->xml, '"');
            gap = false;
        }
        if (is_text[i] || style == XLSXW_STYLE_HEADER) {
            size_t n = strlen(s);
            if (utf8_chars(s) > MAX_CELL_CH)
                return zc_error_set(err, ZC_EINVAL,
                                    "%s: a cell is longer than Excel's 32,767 characters", x->path);
            _Static_assert(XLSXW_STYLE_TEXT == 1 && XLSXW_STYLE_HEADER == 2,
                           "style indexes are written as literals below");
            buf_puts(&x->xml, style == XLSXW_STYLE_HEADER ? " s=\"2\" t=\"inlineStr\"><is><t"
                                                          : " s=\"1\" t=\"inlineStr\"><is><t");
            if (strchr(" \t\n\r", s[0]) || strchr(" \t\n\r", s[n - 1]))
                buf_puts(&x->xml, " xml:space=\"preserve\"");
            buf_putc(&x->xml, '>');
            xml_escape(&x->xml, s);
            buf_puts(&x->xml, "</t></is></c>");
        } else {
            /* The table writer has checked the number grammar already. */
            buf_puts(&x->xml, "><v>");
            buf_puts(&x->xml, s);
            buf_puts(&x->xml, "</v></c>");
        }
    }
    buf_puts(&x->xml, "</row>");
    return x->xml.len >= FLUSH_AT ? flush_xml(x, err) : ZC_OK;
}

int xlsxw_close(struct xlsxw *x, struct zc_error *err)
{
    int rc;
    if (!x)
        return ZC_OK;
    buf_puts(&x->xml, "</sheetData>");
    if (x->merge_title) {
        char last[8];
        sheet_col_name(x->ncols - 1, last);
        buf_printf(&x->xml, "<mergeCells count=\"1\"><mergeCell ref=\"A1:%s1\"/></mergeCells>",
                   last);
    }
    buf_puts(&x->xml, "</worksheet>");
    rc = flush_xml(x, err);
    if (rc == ZC_OK && zipCloseFileInZip(x->zf) != ZIP_OK)
        rc = zc_error_set(err, ZC_EIO, "%s: cannot finish the worksheet: %s", x->path,
                          strerror(errno));
    x->sheet_open = false;
    if (zipClose(x->zf, NULL) != ZIP_OK && rc == ZC_OK)
        rc = zc_error_set(err, ZC_EIO, "%s: cannot finish the workbook: %s", x->path,
                          strerror(errno));
    x->zf = NULL;
    if (rc != ZC_OK)
        remove(x->path);
    buf_fini(&x->xml);
    free(x->path);
    free(x);
    return rc;
}

void xlsxw_abort(struct xlsxw *x)
{
    if (!x)
        return;
    if (x->zf) {
        if (x->sheet_open)
            zipCloseFileInZip(x->zf);
        zipClose(x->zf, NULL);
        remove(x->path);
    }
    buf_fini(&x->xml);
    free(x->path);
    free(x);
}
