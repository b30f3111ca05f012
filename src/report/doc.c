/* SPDX-License-Identifier: MIT */
/* doc.c - the in-memory document of report/doc.h and what the writers share.
 *
 * A document is a growable array of blocks in reading order. Every string
 * the caller passes is copied at once (the caller's buffers may go away) and
 * made valid UTF-8 on the way (clean_dup), so that no writer has to cope with
 * bytes its format cannot carry. Nothing is laid out here: the writers each
 * walk the same blocks and decide page breaks, column widths and sheet names for their own format.
 * The helpers at the end are the common ground of the writers: the temporary file and its rename (a
 * reader never sees half a report), number parsing for XLSX cells and number formatting for chart
 * values. */
#include "report/report_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/mem.h"

int report_format_parse(const char *s, enum report_format *out, struct zc_error *err)
{
    if (s && strcasecmp(s, "html") == 0)
        *out = RF_HTML;
    else if (s && strcasecmp(s, "pdf") == 0)
        *out = RF_PDF;
    else if (s && strcasecmp(s, "xlsx") == 0)
        *out = RF_XLSX;
    else
        return zc_error_set(err, ZC_EUSAGE, "unknown report format '%s' (html, pdf or xlsx)",
                            s ? s : "");
    return ZC_OK;
}

/* Length of the well-formed UTF-8 sequence at `p` (1 to 4), or 0 when the
 * byte starts none (a stray continuation, an overlong form, a surrogate,
 * past U+10FFFF, or cut short). */
static size_t utf8_seq_len(const unsigned char *p)
{
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (p[0] < 0x80)
        return 1;
    if (p[0] < 0xC2 || p[0] > 0xF4)
        return 0;
    n = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if (p[0] == 0xE0)
        lo = 0xA0; /* overlong */
    else if (p[0] == 0xED)
        hi = 0x9F; /* surrogates */
    else if (p[0] == 0xF0)
        lo = 0x90; /* overlong */
    else if (p[0] == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* A copy of `s` that is valid UTF-8 without C0 controls other than tab and
 * newline: each byte that does not start a well-formed sequence becomes
 * U+FFFD and each control a space, so that no writer has to cope with text
 * that would break its format (XML in XLSX, pango's layout). */
static char *clean_dup(const char *s)
{
    struct buf b = {0};
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = utf8_seq_len(p);
        if (n == 0) {
            buf_puts(&b, "\xEF\xBF\xBD");
            p++;
        } else if (n == 1 && *p < 0x20 && *p != '\t' && *p != '\n') {
            buf_putc(&b, ' ');
            p++;
        } else {
            buf_append(&b, p, n);
            p += n;
        }
    }
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

static char *dup_or_empty(const char *s)
{
    return clean_dup(s);
}

struct report_doc *report_doc_new(const char *title, const char *subtitle)
{
    struct report_doc *d = zc_calloc(1, sizeof(*d));
    d->title = dup_or_empty(title);
    d->subtitle = subtitle ? clean_dup(subtitle) : NULL;
    return d;
}

static void table_free(struct report_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free(t->headers[i]);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->caption);
    free(t->headers);
    free(t->numeric);
    free(t->cells);
    free(t->highlight);
    free(t);
}

static void chart_free(struct report_chart *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->labels[i]);
    free(c->labels);
    free(c->values);
    free(c->caption);
    free(c->unit);
    free(c);
}

void report_doc_free(struct report_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nblocks; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
        chart_free(d->blocks[i].chart);
    }
    if (d->open)
        table_free(d->open);
    free(d->blocks);
    free(d->title);
    free(d->subtitle);
    free(d);
}

/* A new zeroed block at the end of the document. */
static struct report_block *push_block(struct report_doc *d, enum report_block_kind kind)
{
    struct report_block *b;
    ZC_ASSERT(!d->open); /* a table is open: call report_table_end() first */
    if (d->nblocks == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->blocks = zc_reallocarray(d->blocks, d->cap, sizeof(*d->blocks));
    }
    b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof(*b));
    b->kind = kind;
    return b;
}

void report_heading(struct report_doc *d, int level, const char *text)
{
    struct report_block *b = push_block(d, RB_HEADING);
    b->level = level <= 1 ? 1 : 2;
    b->text = dup_or_empty(text);
}

void report_para(struct report_doc *d, const char *text)
{
    struct report_block *b = push_block(d, RB_PARA);
    b->text = dup_or_empty(text);
}

void report_table_begin(struct report_doc *d, const char *caption, const char *const *headers,
                        const int *numeric, size_t ncols)
{
    struct report_table *t;
    ZC_ASSERT(!d->open && ncols > 0);
    t = zc_calloc(1, sizeof(*t));
    t->caption = dup_or_empty(caption);
    t->ncols = ncols;
    t->headers = zc_calloc(ncols, sizeof(*t->headers));
    t->numeric = zc_calloc(ncols, sizeof(*t->numeric));
    for (size_t i = 0; i < ncols; i++) {
        t->headers[i] = dup_or_empty(headers ? headers[i] : NULL);
        t->numeric[i] = numeric ? numeric[i] != 0 : 0;
    }
    d->open = t;
}

void report_table_row(struct report_doc *d, const char *const *cells, int highlight)
{
    struct report_table *t = d->open;
    ZC_ASSERT(t); /* report_table_begin() first */
    if (t->nrows == t->rows_cap) {
        t->rows_cap = t->rows_cap ? t->rows_cap * 2 : 32;
        t->cells = zc_reallocarray(t->cells, t->rows_cap * t->ncols, sizeof(*t->cells));
        t->highlight = zc_reallocarray(t->highlight, t->rows_cap, sizeof(*t->highlight));
    }
    for (size_t i = 0; i < t->ncols; i++) {
        const char *c = cells ? cells[i] : NULL;
        t->cells[t->nrows * t->ncols + i] = c ? clean_dup(c) : NULL;
    }
    t->highlight[t->nrows] = highlight != 0;
    t->nrows++;
}

void report_table_end(struct report_doc *d)
{
    struct report_table *t = d->open;
    ZC_ASSERT(t); /* report_table_begin() first */
    d->open = NULL;
    push_block(d, RB_TABLE)->table = t;
}

size_t report_doc_ntables(const struct report_doc *d)
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->nblocks; i++)
        n += d->blocks[i].kind == RB_TABLE;
    return n;
}

bool report_doc_table(const struct report_doc *d, size_t i, struct report_table_view *out)
{
    for (size_t b = 0; d && b < d->nblocks; b++) {
        const struct report_table *t = d->blocks[b].table;
        if (d->blocks[b].kind != RB_TABLE || i-- > 0)
            continue;
        out->caption = t->caption;
        out->ncols = t->ncols;
        out->nrows = t->nrows;
        out->headers = (const char *const *)t->headers;
        out->numeric = t->numeric;
        out->cells = (const char *const *)t->cells;
        return true;
    }
    return false;
}

void report_bar_chart(struct report_doc *d, const char *caption, const char *const *labels,
                      const double *values, size_t n, const char *unit, double target)
{
    struct report_chart *c = zc_calloc(1, sizeof(*c));
    c->caption = dup_or_empty(caption);
    c->n = n;
    c->labels = zc_calloc(n ? n : 1, sizeof(*c->labels));
    c->values = zc_calloc(n ? n : 1, sizeof(*c->values));
    for (size_t i = 0; i < n; i++) {
        double v = values[i];
        c->labels[i] = dup_or_empty(labels[i]);
        c->values[i] = isfinite(v) && v > 0 ? v : 0;
    }
    c->unit = dup_or_empty(unit);
    c->target = isfinite(target) ? target : -1;
    push_block(d, RB_CHART)->chart = c;
}

int report_write(const struct report_doc *d, enum report_format fmt, const char *path,
                 struct zc_error *err)
{
    ZC_ASSERT(!d->open); /* a table is open: call report_table_end() first */
    switch (fmt) {
    case RF_HTML:
        return report_write_html(d, path, err);
    case RF_PDF:
        return report_write_pdf(d, path, err);
    case RF_XLSX:
        return report_write_xlsx(d, path, err);
    }
    return zc_error_set(err, ZC_EUSAGE, "unknown report format %d", (int)fmt);
}

int report_tmp_path(const char *path, char *out, size_t n, struct zc_error *err)
{
    int len = snprintf(out, n, "%s.tmp-%ld", path, (long)getpid());
    if (len < 0 || (size_t)len >= n)
        return zc_error_set(err, ZC_EIO, "cannot write %s: the path is too long", path);
    return ZC_OK;
}

int report_commit(const char *tmp, const char *path, int rc, struct zc_error *err)
{
    if (rc == ZC_OK && rename(tmp, path) != 0)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, strerror(errno));
    if (rc != ZC_OK)
        unlink(tmp);
    return rc;
}

int report_write_bytes(const char *path, const char *data, size_t len, struct zc_error *err)
{
    char tmp[4096];
    FILE *f;
    int rc = report_tmp_path(path, tmp, sizeof(tmp), err);
    if (rc != ZC_OK)
        return rc;
    f = fopen(tmp, "wb");
    if (!f)
        return zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, strerror(errno));
    if (fwrite(data, 1, len, f) != len)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == ZC_OK)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, strerror(errno));
    return report_commit(tmp, path, rc, err);
}

void report_fmt_value(double v, char *out, size_t n)
{
    char *dot;
    size_t len;
    snprintf(out, n, "%.2f", v);
    dot = strchr(out, '.');
    if (!dot)
        return;
    len = strlen(out);
    while (len > 0 && out[len - 1] == '0')
        out[--len] = '\0';
    if (len > 0 && out[len - 1] == '.')
        out[--len] = '\0';
}

/* Skip digits from *p; returns how many there were. */
static size_t skip_digits(const char **p)
{
    size_t n = 0;
    while (**p >= '0' && **p <= '9') {
        (*p)++;
        n++;
    }
    return n;
}

bool report_is_number(const char *s, double *out)
{
    const char *p = s, *q;
    size_t sig = 0, lead = 0, nint, nfrac = 0;
    char *end;
    if (!s || !*s)
        return false;
    if (*p == '-')
        p++;
    for (q = p; *q == '0' || *q == '.'; q++)
        lead += *q == '0'; /* leading zeros are not significant */
    nint = skip_digits(&p);
    if (*p == '.') {
        p++;
        nfrac = skip_digits(&p);
    }
    if (nint + nfrac == 0 || (nint > 1 && s[s[0] == '-'] == '0'))
        return false; /* no digits, or "007" (a code, not a number) */
    sig = nint + nfrac > lead ? nint + nfrac - lead : 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (skip_digits(&p) == 0)
            return false;
    }
    if (*p != '\0' || sig > 15)
        return false;
    *out = strtod(s, &end);
    return *end == '\0' && isfinite(*out);
}

size_t report_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}
