/* SPDX-License-Identifier: MIT */
/* xlsx_sheet.c - the worksheet: <row> and <c> elements into struct rowbuf,
 * and each cell's value as text.
 *
 * Cells are placed by the column letters of their r attribute (or follow
 * the previous cell); rows take their r attribute (or follow the previous
 * row). A cell's text is gathered from <v> or <is><t> as expat delivers it,
 * bounded by max_cell_bytes, and turned into its final form when </c> ends
 * it: a shared string looked up, a boolean spelled out, a number written
 * as its shortest round-trip text or, under a date style, as a date. */
#include "xlsx_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"

/* Serial date to "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (when it holds a time),
 * or "HH:MM:SS" (below 1: a time of day). False when out of Excel's range. */
static bool format_date(double v, bool date1904, char out[32])
{
    int64_t days, secs;
    int y, m, d;

    if (!(v >= 0) || v >= 2958466) /* 9999-12-31 is Excel's last day */
        return false;
    days = (int64_t)floor(v);
    secs = (int64_t)llround((v - (double)days) * 86400.0);
    if (secs >= 86400 && days + 1 < 2958466) {
        days++;
        secs -= 86400;
    } else if (secs >= 86400) {
        secs = 86399; /* rounding must not step past 9999-12-31 */
    }
    if (days == 0 && v < 1) {
        snprintf(out, 32, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
                 (int)(secs % 60));
        return true;
    }
    if (date1904) {
        cal_civil(days - 24107, &y, &m, &d);
    } else if (days == 60) {
        /* Lotus 1-2-3's 29 February 1900, kept by Excel for compatibility. */
        y = 1900;
        m = 2;
        d = 29;
    } else {
        cal_civil(days < 60 ? days - 25568 : days - 25569, &y, &m, &d);
    }
    if (secs == 0)
        snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
    return true;
}

/* A number's shortest text that reads back as the same double. Integers
 * are written out in full ("450124199001010000", never "4.5E+17") so that
 * an ID number stored as a number reaches validation digit for digit. */
static void format_number(double v, char out[40])
{
    if (v == 0) {
        memcpy(out, "0", 2);
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) { /* 2^53: every digit is exact */
        snprintf(out, 40, "%.0f", v);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e21) {
        /* Beyond 2^53 the binary value has digits nobody typed
         * (450124199001010000 is stored as ...009984): write the shortest
         * digits that round-trip, padded with zeros. */
        char e[40], *o = out;
        const char *p = e;
        int prec, exp10, ndig = 0;
        for (prec = 15; prec < 17; prec++) {
            snprintf(e, sizeof(e), "%.*e", prec - 1, v);
            if (strtod(e, NULL) == v)
                break;
        }
        snprintf(e, sizeof(e), "%.*e", prec - 1, v);
        if (*p == '-')
            *o++ = *p++;
        exp10 = (int)strtol(strchr(e, 'e') + 1, NULL, 10);
        for (; *p != 'e' && ndig <= exp10; p++) {
            if (*p >= '0' && *p <= '9') {
                *o++ = *p;
                ndig++;
            }
        }
        for (; ndig <= exp10; ndig++)
            *o++ = '0';
        *o = '\0';
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* Column index (0-based) from a reference such as "C7"; false if the
 * reference has no letters. Sets *bad when beyond XFD. */
static bool ref_column(const char *r, size_t *col, bool *bad)
{
    size_t v = 0, n = 0;
    *bad = false;
    for (; *r; r++, n++) {
        char c = *r;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            break;
        if (n >= 3) {
            *bad = true;
            return true;
        }
        v = v * 26 + (size_t)(c - 'A' + 1);
    }
    if (n == 0)
        return false;
    if (v > SHEET_EXCEL_MAX_COLUMNS)
        *bad = true;
    *col = v - 1;
    return true;
}

static void sheet_row_start(struct xlsx *x, const char **atts)
{
    const char *r = xlsx_attr(atts, "r", false);
    uint64_t v;
    if (r) {
        if (!xlsx_parse_uint(r, UINT64_MAX / 16, &v) || v == 0) {
            xlsx_fail(x, ZC_EINVAL, "%s: part %s: bad row number \"%.20s\"", x->name, x->part_name,
                      r);
            return;
        }
    } else {
        v = x->rowno + 1;
    }
    if (v > SHEET_EXCEL_MAX_ROWS) {
        xlsx_fail(x, ZC_EINVAL, "%s: row %llu is beyond Excel's last row %d; the file is damaged",
                  x->name, (unsigned long long)v, SHEET_EXCEL_MAX_ROWS);
        return;
    }
    if (v > x->lim->max_rows) {
        xlsx_fail(x, ZC_ETOOBIG, "%s: more than %zu rows", x->name, x->lim->max_rows);
        return;
    }
    x->rowno = (size_t)v;
    x->next_col = 0;
    rowbuf_reset(&x->rb);
}

static void sheet_cell_start(struct xlsx *x, const char **atts)
{
    const char *r = NULL, *t = NULL, *s = NULL;
    uint64_t sv;
    bool bad;

    /* One pass over the attributes: this runs for every cell. */
    for (size_t i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        if (n[0] == '\0' || n[1] != '\0')
            continue;
        if (n[0] == 'r')
            r = atts[i + 1];
        else if (n[0] == 't')
            t = atts[i + 1];
        else if (n[0] == 's')
            s = atts[i + 1];
    }

    x->col = x->next_col;
    if (r && ref_column(r, &x->col, &bad) && bad) {
        xlsx_fail(x, ZC_EINVAL,
                  "%s: cell reference %.20s is beyond Excel's last column XFD; the "
                  "file is damaged",
                  x->name, r);
        return;
    }
    if (x->col >= SHEET_EXCEL_MAX_COLUMNS) { /* cells without r counted past XFD */
        xlsx_fail(x, ZC_EINVAL, "%s: row %zu has more cells than Excel's %d columns", x->name,
                  x->rowno, SHEET_EXCEL_MAX_COLUMNS);
        return;
    }
    x->ctype = CT_NUMBER;
    if (t) {
        if (strcmp(t, "s") == 0)
            x->ctype = CT_SHARED;
        else if (strcmp(t, "inlineStr") == 0)
            x->ctype = CT_INLINE;
        else if (strcmp(t, "str") == 0)
            x->ctype = CT_STR;
        else if (strcmp(t, "b") == 0)
            x->ctype = CT_BOOL;
        else if (strcmp(t, "e") == 0)
            x->ctype = CT_ERROR;
        else if (strcmp(t, "d") == 0)
            x->ctype = CT_DATE;
    }
    x->style = xlsx_parse_uint(s, MAX_STYLES, &sv) ? (size_t)sv : 0;
    x->in_c = true;
    x->in_v = false;
    x->in_is = false;
    x->in_t = false;
    buf_reset(&x->text);
    if (!x->text.p) { /* cell_value() edits the text in place */
        buf_reserve(&x->text, 16);
        x->text.p[0] = '\0';
    }
}

/* The cell's final text, in x->num or pointing into the string table. */
static void cell_value(struct xlsx *x, const char **p, size_t *len)
{
    char tmp[40];
    char *t = x->text.p;
    size_t n = x->text.len;

    /* Numbers and indexes may carry whitespace around them. */
    if (x->ctype != CT_INLINE && x->ctype != CT_STR && x->ctype != CT_ERROR) {
        while (n > 0 && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')) {
            t++;
            n--;
        }
        while (n > 0 &&
               (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n' || t[n - 1] == '\r'))
            n--;
        t[n] = '\0';
    }
    *p = t;
    *len = n;
    switch (x->ctype) {
    case CT_SHARED: {
        uint64_t i;
        if (n == 0)
            return;
        if (!xlsx_parse_uint(t, SIZE_MAX / 2, &i) || i >= x->nsst) {
            char cn[8];
            sheet_col_name(x->col, cn);
            xlsx_fail(x, ZC_EINVAL, "%s: row %zu, column %s: shared string %.20s does not exist",
                      x->name, x->rowno, cn, t);
            *len = 0;
            return;
        }
        *len = x->sst_off[i + 1] - x->sst_off[i];
        *p = *len ? x->sst_data.p + x->sst_off[i] : "";
        return;
    }
    case CT_INLINE:
    case CT_STR:
        if (memchr(t, '_', n))
            *len = xlsx_decode_escapes(t, n);
        return;
    case CT_BOOL:
        if (n == 1 && (t[0] == '0' || t[0] == '1')) {
            *p = t[0] == '1' ? "TRUE" : "FALSE";
            *len = strlen(*p);
        }
        return;
    case CT_ERROR:
        return;
    case CT_DATE:
        /* ISO 8601 text: keep the date, and the time unless it is midnight. */
        if (n >= 19 && t[10] == 'T') {
            t[10] = ' ';
            *len = strncmp(t + 11, "00:00:00", 8) == 0 ? 10 : 19;
        }
        return;
    case CT_NUMBER: {
        char *end;
        double v;
        if (n == 0)
            return;
        v = strtod(t, &end);
        if (*end != '\0' || !isfinite(v))
            return; /* not a number after all: keep the text */
        if (x->style < x->nxf && x->xf_date[x->style] && format_date(v, x->date1904, tmp)) {
            /* use tmp */
        } else {
            format_number(v, tmp);
        }
        buf_reset(&x->num);
        buf_puts(&x->num, tmp);
        *p = x->num.p;
        *len = x->num.len;
        return;
    }
    }
}

static void sheet_cell_end(struct xlsx *x)
{
    const char *p;
    size_t len;
    char cn[8];

    x->in_c = false;
    x->next_col = x->col + 1;
    cell_value(x, &p, &len);
    if (x->rc != ZC_OK || len == 0)
        return;
    sheet_col_name(x->col, cn);
    if (x->col >= x->lim->max_columns) {
        xlsx_fail(x, ZC_ETOOBIG, "%s: row %zu, column %s: more than %zu columns", x->name, x->rowno,
                  cn, x->lim->max_columns);
        return;
    }
    if (len > x->lim->max_cell_bytes) {
        char a[32];
        sheet_size_text(x->lim->max_cell_bytes, a);
        xlsx_fail(x, ZC_ETOOBIG, "%s: row %zu, column %s: cell is longer than %s", x->name,
                  x->rowno, cn, a);
        return;
    }
    rowbuf_set(&x->rb, x->col, p, len);
}

void xlsx_sheet_start(struct xlsx *x, const char *el, const char **atts)
{
    if (strcmp(el, "row") == 0) {
        sheet_row_start(x, atts);
    } else if (strcmp(el, "c") == 0) {
        sheet_cell_start(x, atts);
    } else if (!x->in_c) {
        return;
    } else if (strcmp(el, "v") == 0) {
        x->in_v = true;
    } else if (strcmp(el, "is") == 0) {
        x->in_is = true;
    } else if (strcmp(el, "rPh") == 0) {
        x->rph_depth++;
    } else if (x->in_is && strcmp(el, "t") == 0) {
        x->in_t = true;
    }
}

void xlsx_sheet_end(struct xlsx *x, const char *el)
{
    if (strcmp(el, "row") == 0) {
        int rc = rowbuf_emit(&x->rb, x->rowno, x->fn, x->ud, x->err);
        rowbuf_reset(&x->rb);
        if (rc != ZC_OK) {
            /* The callback's own message stands. */
            x->rc = rc;
            XML_StopParser(x->xp, XML_FALSE);
        }
    } else if (strcmp(el, "c") == 0) {
        if (x->in_c)
            sheet_cell_end(x);
    } else if (strcmp(el, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(el, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(el, "rPh") == 0 && x->rph_depth > 0) {
        x->rph_depth--;
    } else if (strcmp(el, "t") == 0) {
        x->in_t = false;
    }
}
