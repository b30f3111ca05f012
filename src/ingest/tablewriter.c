/* SPDX-License-Identifier: MIT */
/* tablewriter.c - CSV, XLSX and JSON exports behind one row-at-a-time API.
 *
 * CSV and JSON rows are built in one reused buffer and written with a
 * single fwrite each, so a million-row export is bound by the disk, not by
 * stdio calls per cell. XLSX goes through our streaming writer
 * (xlsx_write.c): the worksheet is deflated as rows come, so memory stays
 * flat whatever the row count. Text columns carry the "@" (text) number
 * format, on the cells and on the column, so that an 18-digit ID number is
 * stored and shown exactly, and stays text if the user edits it in Excel. */
#include "tablewriter.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "ingest_int.h"

struct tablewriter {
    enum tw_format fmt;           /* output format */
    FILE *fp;                     /* CSV/JSON destination (not ours) */
    const struct tw_column *cols; /* columns (caller's) */
    size_t ncols;                 /* number of columns */
    struct buf line;              /* the row being formatted */
    size_t nrows;                 /* data rows written */
    bool write_failed;            /* an fwrite fell short */
    int write_errno;              /* errno of that failure */
    char *path;                   /* XLSX file */
    struct xlsxw *xw;             /* XLSX writer, while open */
    bool *is_text;                /* XLSX: per column, text (else number) */
    char **json_keys;             /* per column: "\"key\":", escaped once */
};

int tw_format_parse(const char *s, enum tw_format *out, struct zc_error *err)
{
    if (s && strcasecmp(s, "csv") == 0)
        *out = TW_CSV;
    else if (s && strcasecmp(s, "xlsx") == 0)
        *out = TW_XLSX;
    else if (s && strcasecmp(s, "json") == 0)
        *out = TW_JSON;
    else
        return zc_error_set(err, ZC_EUSAGE, "unknown format '%s' (use csv, xlsx or json)",
                            s ? s : "");
    return ZC_OK;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? : JSON's number grammar, which
 * every spreadsheet also reads as a number. */
static bool is_number(const char *s, bool integer)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
    } else {
        return false;
    }
    if (!integer && *p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (!integer && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static int check_number(const struct tw_column *c, const char *s, struct zc_error *err)
{
    if (is_number(s, c->type == TW_INT))
        return ZC_OK;
    return zc_error_set(err, ZC_EINVAL, "column %s: \"%.40s\" is not %s", c->key, s,
                        c->type == TW_INT ? "an integer" : "a number");
}

/* ---- CSV ---- */

static void csv_cell(struct buf *b, const char *s, bool neutralise)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(b, '"');
    /* A leading = + - @ (or tab/CR, which some spreadsheets skip before
     * one) would make Excel evaluate the cell as a formula. */
    if (neutralise && s[0] && strchr("=+-@\t\r", s[0]))
        buf_putc(b, '\'');
    if (!quote) {
        buf_puts(b, s);
        return;
    }
    for (const char *p = s;;) {
        const char *q = strchr(p, '"');
        if (!q) {
            buf_puts(b, p);
            break;
        }
        buf_append(b, p, (size_t)(q - p + 1));
        buf_putc(b, '"');
        p = q + 1;
    }
    buf_putc(b, '"');
}

static void flush_line(struct tablewriter *w)
{
    if (w->line.len > 0 && fwrite(w->line.p, 1, w->line.len, w->fp) != w->line.len &&
        !w->write_failed) {
        w->write_failed = true;
        w->write_errno = errno;
    }
    buf_reset(&w->line);
}

/* ---- JSON ---- */

/* Length of the well-formed UTF-8 sequence at p that JSON may carry raw
 * (not U+2028/2029, which we escape so the output can sit in a <script>),
 * or 0. `p` is NUL-terminated, so reading up to the first bad byte is safe. */
static size_t json_utf8_len(const unsigned char *p, unsigned *cp)
{
    *cp = 0;
    if (p[0] >= 0xC2 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80)
        return 2;
    if (p[0] >= 0xE0 && p[0] <= 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *cp =
            (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (unsigned)(p[2] & 0x3F);
        if (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp == 0x2028 || *cp == 0x2029)
            return 0;
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
        (p[3] & 0xC0) == 0x80) {
        unsigned v = (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12;
        return v >= 0x10000 && v <= 0x10FFFF ? 4 : 0;
    }
    return 0;
}

/* Escape as a JSON string. Runs of characters that need no escape (ASCII
 * and valid UTF-8) are copied with one append. Invalid UTF-8 becomes
 * U+FFFD so the output is always valid JSON. */
static void json_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    buf_putc(b, '"');
    while (*p) {
        const unsigned char *run = p;
        unsigned cp = 0;
        for (;;) {
            size_t k;
            if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
                p++;
                continue;
            }
            if (*p < 0x80)
                break;
            k = json_utf8_len(p, &cp);
            if (k == 0)
                break;
            p += k;
        }
        if (p > run)
            buf_append(b, run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)*p++);
        } else if (*p < 0x20) {
            static const char short_esc[32] = {
                ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
            char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
            if (short_esc[*p]) {
                u[1] = short_esc[*p];
                u[2] = 0;
            }
            buf_puts(b, u);
            p++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            buf_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
            p += 3;
        } else {
            buf_puts(b, "\\ufffd");
            p++;
        }
    }
    buf_putc(b, '"');
}

/* ---- XLSX ---- */

/* Excel sheet names: at most 31 characters, none of []:*?/\ . */
static void sheet_name_clean(const char *in, char *out, size_t outsz)
{
    size_t o = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && chars < 31;) {
        size_t k = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        if (o + k + 1 > outsz)
            break;
        if (k == 1 && strchr("[]:*?/\\", *p)) {
            out[o++] = '_';
            p++;
        } else {
            for (size_t i = 0; i < k && *p; i++)
                out[o++] = (char)*p++;
        }
        chars++;
    }
    out[o] = '\0';
}

/* Display width of a header: CJK characters take two columns. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            w += 1;
        else if (*p >= 0xE0)
            w += 2;
    }
    return w;
}

static int xlsx_open(struct tablewriter *w, const char *title, const char *sheet_name,
                     struct zc_error *err)
{
    struct xlsxw_layout lay;
    double *widths = zc_calloc(w->ncols ? w->ncols : 1, sizeof(*widths));
    const char **header = zc_calloc(w->ncols ? w->ncols : 1, sizeof(*header));
    char name[128];
    int rc;

    w->is_text = zc_calloc(w->ncols ? w->ncols : 1, sizeof(*w->is_text));
    for (size_t i = 0; i < w->ncols; i++) {
        const struct tw_column *c = &w->cols[i];
        double width = c->width > 0 ? c->width : text_width(c->header ? c->header : c->key) + 4;
        if (c->width <= 0 && c->type == TW_TEXT && width < 12)
            width = 12;
        widths[i] = width > 60 ? 60 : width;
        w->is_text[i] = c->type == TW_TEXT;
        header[i] = c->header ? c->header : c->key;
    }
    sheet_name_clean(sheet_name ? sheet_name : "", name, sizeof(name));
    memset(&lay, 0, sizeof(lay));
    lay.sheet_name = name[0] ? name : NULL;
    lay.ncols = w->ncols;
    lay.widths = widths;
    lay.text_cols = w->is_text;
    lay.freeze_rows = title && w->ncols ? 2 : 1;
    rc = xlsxw_open(w->path, &lay, &w->xw, err);
    if (rc == ZC_OK && title && w->ncols > 0)
        rc = xlsxw_title(w->xw, title, err);
    if (rc == ZC_OK)
        rc = xlsxw_row(w->xw, header, w->is_text, XLSXW_STYLE_HEADER, err);
    free(widths);
    free(header);
    return rc;
}

/* ---- the interface ---- */

static void free_writer(struct tablewriter *w)
{
    /* Only open here on failure paths: the partial file is removed. */
    xlsxw_abort(w->xw);
    free(w->is_text);
    if (w->json_keys) {
        for (size_t i = 0; i < w->ncols; i++)
            free(w->json_keys[i]);
        free(w->json_keys);
    }
    buf_fini(&w->line);
    free(w->path);
    free(w);
}

int tw_open(enum tw_format fmt, const char *path, FILE *fp, const char *title,
            const char *sheet_name, const struct tw_column *cols, size_t ncols,
            struct tablewriter **out, struct zc_error *err)
{
    struct tablewriter *w;
    int rc = ZC_OK;

    *out = NULL;
    if (fmt == TW_XLSX && !path)
        return zc_error_set(err, ZC_EUSAGE, "XLSX output needs a file name");
    if (fmt != TW_XLSX && !fp)
        return zc_error_set(err, ZC_EUSAGE, "CSV and JSON output need an open file");
    if (ncols == 0)
        return zc_error_set(err, ZC_EINVAL, "a table needs at least one column");
    w = zc_calloc(1, sizeof(*w));
    w->fmt = fmt;
    w->fp = fp;
    w->cols = cols;
    w->ncols = ncols;
    buf_init(&w->line);
    switch (fmt) {
    case TW_CSV:
        buf_puts(&w->line, "\xEF\xBB\xBF");
        for (size_t i = 0; i < ncols; i++) {
            if (i > 0)
                buf_putc(&w->line, ',');
            csv_cell(&w->line, cols[i].header ? cols[i].header : cols[i].key, true);
        }
        buf_puts(&w->line, "\r\n");
        flush_line(w);
        break;
    case TW_JSON:
        w->json_keys = zc_calloc(ncols, sizeof(char *));
        for (size_t i = 0; i < ncols; i++) {
            struct buf k;
            buf_init(&k);
            json_string(&k, cols[i].key);
            buf_putc(&k, ':');
            w->json_keys[i] = buf_steal(&k);
        }
        buf_putc(&w->line, '[');
        flush_line(w);
        break;
    case TW_XLSX:
        w->path = zc_strdup(path);
        rc = xlsx_open(w, title, sheet_name, err);
        break;
    }
    if (rc != ZC_OK) {
        free_writer(w);
        return rc;
    }
    *out = w;
    return ZC_OK;
}

int tw_row(struct tablewriter *w, const char *const *cells, struct zc_error *err)
{
    for (size_t i = 0; i < w->ncols; i++) {
        if (w->cols[i].type != TW_TEXT && cells[i] && cells[i][0]) {
            int rc = check_number(&w->cols[i], cells[i], err);
            if (rc != ZC_OK)
                return rc;
        }
    }
    switch (w->fmt) {
    case TW_CSV:
        for (size_t i = 0; i < w->ncols; i++) {
            if (i > 0)
                buf_putc(&w->line, ',');
            if (cells[i])
                csv_cell(&w->line, cells[i], w->cols[i].type == TW_TEXT);
        }
        buf_puts(&w->line, "\r\n");
        break;
    case TW_JSON:
        buf_puts(&w->line, w->nrows ? ",\n{" : "\n{");
        for (size_t i = 0; i < w->ncols; i++) {
            const char *s = cells[i];
            if (i > 0)
                buf_putc(&w->line, ',');
            buf_puts(&w->line, w->json_keys[i]);
            if (!s || (!*s && w->cols[i].type != TW_TEXT))
                buf_puts(&w->line, "null");
            else if (w->cols[i].type == TW_TEXT)
                json_string(&w->line, s);
            else
                buf_puts(&w->line, s);
        }
        buf_putc(&w->line, '}');
        break;
    case TW_XLSX: {
        int rc = xlsxw_row(w->xw, cells, w->is_text, XLSXW_STYLE_DEFAULT, err);
        if (rc != ZC_OK)
            return rc;
        break;
    }
    }
    w->nrows++;
    if (w->fmt != TW_XLSX) {
        /* Batch rows up to 64 KiB per fwrite. */
        if (w->line.len >= 65536)
            flush_line(w);
        if (w->write_failed)
            return zc_error_set(err, ZC_EIO, "cannot write the table: %s",
                                strerror(w->write_errno));
    }
    return ZC_OK;
}

int tw_close(struct tablewriter *w, struct zc_error *err)
{
    int rc = ZC_OK;
    if (!w)
        return ZC_OK;
    switch (w->fmt) {
    case TW_CSV:
        break;
    case TW_JSON:
        buf_puts(&w->line, w->nrows ? "\n]\n" : "]\n");
        break;
    case TW_XLSX:
        rc = xlsxw_close(w->xw, err);
        w->xw = NULL;
        break;
    }
    if (w->fmt != TW_XLSX) {
        flush_line(w);
        if (!w->write_failed && fflush(w->fp) != 0) {
            w->write_failed = true;
            w->write_errno = errno;
        }
        if (w->write_failed)
            rc = zc_error_set(err, ZC_EIO, "cannot write the table: %s", strerror(w->write_errno));
    }
    free_writer(w);
    return rc;
}
