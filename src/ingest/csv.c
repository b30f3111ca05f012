/* SPDX-License-Identifier: MIT */
/* csv.c - an RFC 4180 reader over one in-memory buffer.
 *
 * The text is first made UTF-8 (encoding.c). The parser then walks it once:
 * an unquoted field is a run up to the delimiter or a line end, copied with
 * one memcpy; a quoted field is copied in pieces between quotes (found with
 * memchr), "" standing for one quote and line ends inside quotes kept as
 * they are. CRLF, LF and a lone CR all end a record. A row number is the
 * 1-based index of the record, which is what Excel shows after opening the
 * file: a record with an embedded newline is one row, an empty line is a
 * row that is skipped.
 *
 * Where RFC 4180 calls input malformed but Excel reads it, we read it as
 * Excel does: a quote in the middle of an unquoted field is a character, and
 * text after a closing quote joins the field. The one thing we refuse is a
 * quote that never closes, since everything after it would silently become
 * one cell. */
#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

struct csv {
    const char *name;               /* file name for messages */
    const struct sheet_limits *lim; /* bounds */
    const char *text;               /* start of the UTF-8 text */
    const char *end;                /* one past its end */
    char delim;                     /* ',' or the detected '\t' / ';' */
    unsigned char stop[256];        /* bytes that end an unquoted field */
    struct rowbuf rb;               /* the row being built */
};

/* Record number (1-based) of the byte at `off`, for encoding errors. */
static size_t row_at(const char *p, size_t off)
{
    size_t row = 1;
    bool inq = false;
    for (size_t i = 0; i < off; i++) {
        if (p[i] == '"')
            inq = !inq;
        else if (!inq && p[i] == '\n')
            row++;
        else if (!inq && p[i] == '\r' && !(i + 1 < off && p[i + 1] == '\n'))
            row++;
    }
    return row;
}

/* Comma unless the first record has none and has tabs (Excel's "Unicode
 * text") or semicolons (Excel in locales with a decimal comma). */
static char detect_delim(const char *p, const char *end)
{
    size_t comma = 0, tab = 0, semi = 0;
    bool inq = false;
    for (; p < end; p++) {
        char c = *p;
        if (c == '"')
            inq = !inq;
        else if (inq)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == '\t')
            tab++;
        else if (c == ';')
            semi++;
    }
    if (comma == 0 && tab > 0)
        return '\t';
    if (comma == 0 && semi > 0)
        return ';';
    return ',';
}

/* Parse one field starting at *pp into c->rb.data; leaves *pp on the byte
 * after it (a delimiter, a line end, or the end). */
static int read_field(struct csv *c, const char **pp, size_t rowno, size_t col,
                      struct zc_error *err)
{
    const char *p = *pp;
    const char *end = c->end;
    struct buf *d = &c->rb.data;

    if (p < end && *p == '"') {
        p++;
        for (;;) {
            const char *q = memchr(p, '"', (size_t)(end - p));
            if (!q) {
                char cn[8];
                sheet_col_name(col, cn);
                return zc_error_set(err, ZC_EINVAL,
                                    "%s: row %zu, column %s: a quoted field is never closed "
                                    "(the quote opens here; is a \" missing?)",
                                    c->name, rowno, cn);
            }
            buf_append(d, p, (size_t)(q - p));
            if (q + 1 < end && q[1] == '"') {
                buf_putc(d, '"');
                p = q + 2;
                continue;
            }
            p = q + 1;
            break;
        }
    }
    {
        const char *s = p;
        while (p < end && !c->stop[(unsigned char)*p])
            p++;
        if (p > s)
            buf_append(d, s, (size_t)(p - s));
    }
    *pp = p;
    return ZC_OK;
}

static int parse(struct csv *c, sheet_row_fn fn, void *ud, struct zc_error *err)
{
    const char *p = c->text;
    const char *end = c->end;
    const struct sheet_limits *lim = c->lim;
    size_t rowno = 0;
    int rc;

    while (p < end) {
        size_t col = 0;
        rowno++;
        if (rowno > lim->max_rows)
            return zc_error_set(err, ZC_ETOOBIG, "%s: more than %zu rows", c->name, lim->max_rows);
        rowbuf_reset(&c->rb);
        for (;;) {
            size_t start = c->rb.data.len;
            size_t len;
            rc = read_field(c, &p, rowno, col, err);
            if (rc != ZC_OK)
                return rc;
            len = c->rb.data.len - start;
            if (len > lim->max_cell_bytes) {
                char cn[8], a[32];
                sheet_col_name(col, cn);
                sheet_size_text(lim->max_cell_bytes, a);
                return zc_error_set(err, ZC_ETOOBIG,
                                    "%s: row %zu, column %s: cell is longer than %s", c->name,
                                    rowno, cn, a);
            }
            if (col < lim->max_columns) {
                rowbuf_commit(&c->rb, col, start);
            } else if (len > 0) {
                return zc_error_set(err, ZC_ETOOBIG, "%s: row %zu: more than %zu columns", c->name,
                                    rowno, lim->max_columns);
            } else {
                c->rb.data.len = start; /* an empty cell past the limit: drop it */
                if (c->rb.data.p)
                    c->rb.data.p[start] = '\0';
            }
            if (p < end && *p == c->delim) {
                p++;
                col++;
                continue;
            }
            if (p < end && *p == '\r') {
                p++;
                if (p < end && *p == '\n')
                    p++;
            } else if (p < end && *p == '\n') {
                p++;
            }
            break;
        }
        rc = rowbuf_emit(&c->rb, rowno, fn, ud, err);
        if (rc != ZC_OK)
            return rc;
    }
    return ZC_OK;
}

int csv_read_mem(const char *name, const char *data, size_t size, const struct sheet_limits *lim,
                 sheet_row_fn fn, void *ud, struct zc_error *err)
{
    struct enc_result enc;
    struct csv c;
    size_t bad = 0;
    const char *nul;
    int rc;

    rc = enc_to_utf8(data, size, &enc, &bad, err);
    if (rc != ZC_OK) {
        const unsigned char *u = (const unsigned char *)data;
        if (size >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
            return zc_error_prefix(err, "%s: byte %zu", name, bad); /* UTF-16: no rows */
        return zc_error_prefix(err, "%s: row %zu (byte %zu)", name, row_at(data, bad), bad);
    }
    /* A NUL would cut every C string downstream; it also means the file is
     * UTF-16 without a BOM, or not text at all. */
    nul = memchr(enc.p, '\0', enc.len);
    if (nul) {
        rc = zc_error_set(err, ZC_EINVAL,
                          "%s: row %zu: the file contains a NUL byte; it is not a text "
                          "(CSV) file, or it is UTF-16 without a byte-order mark",
                          name, row_at(enc.p, (size_t)(nul - enc.p)));
        free(enc.owned);
        return rc;
    }
    memset(&c, 0, sizeof(c));
    c.name = name;
    c.lim = lim;
    c.text = enc.p;
    c.end = enc.p + enc.len;
    c.delim = detect_delim(c.text, c.end);
    c.stop[(unsigned char)c.delim] = 1;
    c.stop['\r'] = 1;
    c.stop['\n'] = 1;
    rowbuf_init(&c.rb);
    rc = parse(&c, fn, ud, err);
    rowbuf_fini(&c.rb);
    free(enc.owned);
    return rc;
}
