/* SPDX-License-Identifier: MIT */
/* doc_xlsx.c - the XLSX writer, through libxlsxwriter.
 *
 * A report in Excel is for the office that wants to sort, filter and add up
 * the numbers, so the tables are the point: each table gets a sheet of its
 * own, named after its caption, with the header row bold and frozen and the
 * data below it. Cells of a numeric column are written as numbers when they
 * are plain decimals that a double holds exactly (report_is_number); all
 * other cells are text cells with the "@" format, so an 18-digit ID number
 * stays exact even when someone edits it. A chart becomes a sheet of
 * label/value rows with a native bar chart beside it. The first sheet, 说明,
 * keeps the reading order: title, subtitle, headings and paragraphs, and a
 * line naming the sheet of each table and chart where it stood.
 *
 * Sheet names follow Excel's rules: at most 31 characters (counted in UTF-8
 * characters, not bytes), none of []:*?/\, no apostrophe at either end, and
 * unique without regard to case; a clash gets "(2)", "(3)" ... */
#include "report/report_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "base/mem.h"

#define SHEET_NAME_MAX 31    /* Excel's limit, in characters */
#define NAME_BYTES     128   /* 31 characters of at most 4 bytes, and a suffix */
#define CELL_MAX_CHARS 32767 /* Excel's limit on characters in a cell */
#define WIDTH_ROWS     400   /* rows measured for column widths */
#define NOTES_WIDTH    100   /* width of the 说明 sheet's column, in characters */

struct xlsx {
    lxw_workbook *wb;                                 /* the workbook being built */
    lxw_worksheet *notes;                             /* the 说明 sheet */
    lxw_row_t notes_row;                              /* next row on 说明 */
    char **names;                                     /* sheet names used so far */
    size_t nnames;                                    /* entries in names */
    lxw_format *title, *subtitle, *h1, *h2, *wrap;    /* 说明 formats */
    lxw_format *head, *text, *num, *text_hl, *num_hl; /* table formats */
};

/* Byte length of the first `max` characters of UTF-8 `s`. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t i = 0, chars = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            break;
    }
    return i;
}

/* Display width in spreadsheet columns: CJK and other wide characters 2. */
static double display_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE1 ? 2 : 1; /* lead bytes from U+1000 on: mostly wide scripts */
    }
    return w;
}

static bool name_used(const struct xlsx *x, const char *name)
{
    for (size_t i = 0; i < x->nnames; i++)
        if (strcasecmp(x->names[i], name) == 0)
            return true;
    return false;
}

/* `s` made a legal sheet name of at most `max` characters into out[NAME_BYTES]. */
static void legal_name(const char *s, size_t max, char *out)
{
    size_t n = 0, len;
    for (; *s && n + 1 < NAME_BYTES; s++) {
        unsigned char ch = (unsigned char)*s;
        out[n++] = strchr("[]:*?/\\", *s) || ch < 0x20 ? '_' : *s;
    }
    out[n] = '\0';
    len = utf8_prefix(out, max);
    out[len] = '\0';
    while (len > 0 && out[len - 1] == '\'')
        out[--len] = '\0';
    if (out[0] == '\'')
        memmove(out, out + 1, len--);
    while (len > 0 && out[len - 1] == '\'')
        out[--len] = '\0';
}

/* A legal, unused sheet name for `caption` (or `fallback` when that is
 * empty) into out[NAME_BYTES], and remember it. */
static void sheet_name(struct xlsx *x, const char *caption, const char *fallback, char *out)
{
    char base[NAME_BYTES];
    legal_name(caption, SHEET_NAME_MAX, base);
    if (!base[0])
        legal_name(fallback, SHEET_NAME_MAX, base);
    snprintf(out, NAME_BYTES, "%s", base);
    for (int k = 2; name_used(x, out); k++) {
        char suffix[16];
        int slen = snprintf(suffix, sizeof(suffix), "(%d)", k);
        legal_name(base, SHEET_NAME_MAX - (size_t)slen, out);
        snprintf(out + strlen(out), NAME_BYTES - strlen(out), "%s", suffix);
    }
    x->names = zc_reallocarray(x->names, x->nnames + 1, sizeof(*x->names));
    x->names[x->nnames++] = zc_strdup(out);
}

/* Add the sheet `name`; libxlsxwriter's own check names any rule broken. */
static lxw_error add_sheet(struct xlsx *x, const char *name, lxw_worksheet **ws)
{
    lxw_error e = workbook_validate_sheet_name(x->wb, name);
    if (e != LXW_NO_ERROR)
        return e;
    *ws = workbook_add_worksheet(x->wb, name);
    return *ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
}

static lxw_format *new_format(lxw_workbook *wb, int bold, double size, uint32_t bg)
{
    lxw_format *f = workbook_add_format(wb);
    if (bold)
        format_set_bold(f);
    if (size > 0)
        format_set_font_size(f, size);
    if (bg)
        format_set_bg_color(f, bg);
    return f;
}

static void make_formats(struct xlsx *x)
{
    x->title = new_format(x->wb, 1, 16, 0);
    x->subtitle = new_format(x->wb, 0, 11, 0);
    format_set_font_color(x->subtitle, 0x555555);
    x->h1 = new_format(x->wb, 1, 13, 0);
    x->h2 = new_format(x->wb, 1, 11, 0);
    x->wrap = new_format(x->wb, 0, 0, 0);
    format_set_text_wrap(x->wrap);
    format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
    x->head = new_format(x->wb, 1, 0, 0xE6E6E6);
    format_set_border(x->head, LXW_BORDER_THIN);
    format_set_num_format(x->head, "@");
    x->text = new_format(x->wb, 0, 0, 0);
    format_set_num_format(x->text, "@"); /* text: 18-digit ID numbers stay exact */
    x->num = new_format(x->wb, 0, 0, 0);
    x->text_hl = new_format(x->wb, 0, 0, 0xFDE2E2);
    format_set_num_format(x->text_hl, "@");
    x->num_hl = new_format(x->wb, 0, 0, 0xFDE2E2);
}

/* A text cell, cut to Excel's limit on characters. */
static lxw_error put_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    size_t cut;
    char *copy;
    lxw_error e;
    if (!s || report_utf8_chars(s) <= CELL_MAX_CHARS)
        return worksheet_write_string(ws, r, c, s ? s : "", f);
    cut = utf8_prefix(s, CELL_MAX_CHARS);
    copy = zc_strndup(s, cut);
    e = worksheet_write_string(ws, r, c, copy, f);
    free(copy);
    return e;
}

/* One line on 说明; `rows` > 1 makes it taller (wrapped text). */
static lxw_error note(struct xlsx *x, const char *text, lxw_format *f, double rows)
{
    lxw_error e = put_text(x->notes, x->notes_row, 0, text, f);
    if (e == LXW_NO_ERROR && rows > 1)
        e = worksheet_set_row(x->notes, x->notes_row, 15 * rows, NULL);
    x->notes_row++;
    return e;
}

static lxw_error note_para(struct xlsx *x, const char *text)
{
    double lines = display_width(text) / (NOTES_WIDTH - 4) + 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    return note(x, text, x->wrap, (double)(size_t)lines);
}

/* "表：<caption>（见工作表“<sheet>”）" on 说明. */
static lxw_error note_ref(struct xlsx *x, const char *kind, const char *caption, const char *sheet)
{
    struct buf b = {0};
    lxw_error e;
    buf_printf(&b, "%s：%s（见工作表“%s”）", kind, caption, sheet);
    e = note(x, buf_cstr(&b), NULL, 1);
    buf_fini(&b);
    return e;
}

static void column_widths(lxw_worksheet *ws, const struct report_table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        double w = display_width(t->headers[c]);
        for (size_t r = 0; r < t->nrows && r < WIDTH_ROWS; r++) {
            double cw = display_width(t->cells[r * t->ncols + c]);
            w = cw > w ? cw : w;
        }
        w += 2;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w < 6 ? 6 : w > 60 ? 60 : w, NULL);
    }
}

static lxw_error table_cell(struct xlsx *x, lxw_worksheet *ws, const struct report_table *t,
                            size_t r, size_t c)
{
    const char *s = t->cells[r * t->ncols + c];
    int hl = t->highlight[r];
    double v;
    lxw_row_t row = (lxw_row_t)(r + 1);
    if (t->numeric[c] && report_is_number(s, &v))
        return worksheet_write_number(ws, row, (lxw_col_t)c, v, hl ? x->num_hl : x->num);
    if (!s || !*s)
        return hl ? worksheet_write_blank(ws, row, (lxw_col_t)c, x->text_hl) : LXW_NO_ERROR;
    return put_text(ws, row, (lxw_col_t)c, s, hl ? x->text_hl : x->text);
}

static lxw_error table_sheet(struct xlsx *x, const struct report_table *t, size_t index)
{
    char name[NAME_BYTES], fallback[32];
    lxw_worksheet *ws;
    lxw_error e = LXW_NO_ERROR;
    snprintf(fallback, sizeof(fallback), "表%zu", index);
    sheet_name(x, t->caption, fallback, name);
    e = add_sheet(x, name, &ws);
    if (e != LXW_NO_ERROR)
        return e;
    for (size_t c = 0; c < t->ncols && e == LXW_NO_ERROR; c++)
        e = put_text(ws, 0, (lxw_col_t)c, t->headers[c], x->head);
    for (size_t r = 0; r < t->nrows && e == LXW_NO_ERROR; r++)
        for (size_t c = 0; c < t->ncols && e == LXW_NO_ERROR; c++)
            e = table_cell(x, ws, t, r, c);
    column_widths(ws, t);
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_repeat_rows(ws, 0, 0);
    if (e == LXW_NO_ERROR)
        e = note_ref(x, "表", t->caption[0] ? t->caption : name, name);
    return e;
}

static void native_chart(struct xlsx *x, lxw_worksheet *ws, const char *sheet,
                         const struct report_chart *c)
{
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_BAR);
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(s, sheet, 1, 0, (lxw_row_t)c->n, 0);
    chart_series_set_values(s, sheet, 1, 1, (lxw_row_t)c->n, 1);
    chart_series_set_labels(s);
    if (c->caption[0])
        chart_title_set_name(ch, c->caption);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    chart_axis_set_reverse(ch->y_axis); /* first label at the top, as in the PDF */
    worksheet_insert_chart(ws, 1, 4, ch);
}

static lxw_error chart_sheet(struct xlsx *x, const struct report_chart *c, size_t index)
{
    char name[NAME_BYTES], fallback[32], head[96];
    lxw_worksheet *ws;
    lxw_error e;
    snprintf(fallback, sizeof(fallback), "图%zu", index);
    sheet_name(x, c->caption, fallback, name);
    e = add_sheet(x, name, &ws);
    if (e != LXW_NO_ERROR)
        return e;
    snprintf(head, sizeof(head), c->unit[0] ? "数值（%s）" : "数值%s", c->unit);
    e = put_text(ws, 0, 0, "项目", x->head);
    if (e == LXW_NO_ERROR)
        e = put_text(ws, 0, 1, head, x->head);
    for (size_t i = 0; i < c->n && e == LXW_NO_ERROR; i++) {
        e = put_text(ws, (lxw_row_t)(i + 1), 0, c->labels[i], x->text);
        if (e == LXW_NO_ERROR)
            e = worksheet_write_number(ws, (lxw_row_t)(i + 1), 1, c->values[i], x->num);
    }
    if (e == LXW_NO_ERROR && c->target >= 0) {
        e = put_text(ws, (lxw_row_t)(c->n + 2), 0, "目标", x->text);
        if (e == LXW_NO_ERROR)
            e = worksheet_write_number(ws, (lxw_row_t)(c->n + 2), 1, c->target, x->num);
    }
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (c->n > 0)
        native_chart(x, ws, name, c);
    if (e == LXW_NO_ERROR)
        e = note_ref(x, "图", c->caption[0] ? c->caption : name, name);
    return e;
}

static lxw_error put_block(struct xlsx *x, const struct report_block *b, size_t *ntab,
                           size_t *nchart)
{
    switch (b->kind) {
    case RB_HEADING:
        return note(x, b->text, b->level == 1 ? x->h1 : x->h2, 1.4);
    case RB_PARA:
        return note_para(x, b->text);
    case RB_TABLE:
        return table_sheet(x, b->table, ++*ntab);
    case RB_CHART:
        return chart_sheet(x, b->chart, ++*nchart);
    }
    return LXW_NO_ERROR;
}

static lxw_error build(struct xlsx *x, const struct report_doc *d)
{
    size_t ntab = 0, nchart = 0;
    char name[NAME_BYTES];
    lxw_error e;
    make_formats(x);
    sheet_name(x, "说明", "说明", name);
    e = add_sheet(x, name, &x->notes);
    if (e != LXW_NO_ERROR)
        return e;
    worksheet_set_column(x->notes, 0, 0, NOTES_WIDTH, NULL);
    e = note(x, d->title, x->title, 1.6);
    if (e == LXW_NO_ERROR && d->subtitle)
        e = note(x, d->subtitle, x->subtitle, 1);
    x->notes_row++;
    for (size_t i = 0; i < d->nblocks && e == LXW_NO_ERROR; i++)
        e = put_block(x, &d->blocks[i], &ntab, &nchart);
    workbook_set_properties(x->wb, &(lxw_doc_properties){.title = d->title, .author = "zhucun"});
    return e;
}

int report_write_xlsx(const struct report_doc *d, const char *path, struct zc_error *err)
{
    struct xlsx x;
    char tmp[4096];
    lxw_error e, e2;
    FILE *probe;
    int rc = report_tmp_path(path, tmp, sizeof(tmp), err);
    if (rc != ZC_OK)
        return rc;
    /* libxlsxwriter opens the file only in workbook_close() and reports a
     * failure there on stderr; trying it first gives the reason (errno). */
    probe = fopen(tmp, "wb");
    if (!probe)
        return zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, strerror(errno));
    fclose(probe);
    memset(&x, 0, sizeof(x));
    x.wb = workbook_new(tmp);
    if (!x.wb)
        return report_commit(tmp, path,
                             zc_error_set(err, ZC_EIO, "cannot write %s: no workbook", path), err);
    e = build(&x, d);
    e2 = workbook_close(x.wb); /* writes the file; frees the workbook in any case */
    if (e == LXW_NO_ERROR)
        e = e2;
    for (size_t i = 0; i < x.nnames; i++)
        free(x.names[i]);
    free(x.names);
    if (e != LXW_NO_ERROR)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, lxw_strerror(e));
    return report_commit(tmp, path, rc, err);
}
