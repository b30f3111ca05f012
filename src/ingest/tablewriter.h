/* SPDX-License-Identifier: MIT */
/* tablewriter.h - writing rows of cells as CSV, XLSX or JSON.
 *
 * One interface for every export: open with the column list, add rows, close.
 *   CSV:  UTF-8 with BOM (so Excel opens Chinese text correctly), CRLF, RFC 4180
 *         quoting; a text cell that begins with = + - @ (or tab/CR) is prefixed
 *         with ' so a spreadsheet does not run it as a formula.
 *   XLSX: one sheet, optional title row, bold frozen header, text columns
 *         written as text (so 18-digit ID numbers stay exact).
 *   JSON: an array of objects keyed by column key; TW_INT/TW_REAL as numbers.
 * Output goes to a FILE* the caller owns (stdout included) for CSV and JSON;
 * XLSX needs a path (the zip is written with minizip, see xlsx_write.c). */
#ifndef ZC_TABLEWRITER_H
#define ZC_TABLEWRITER_H

#include <stdio.h>

#include "base/err.h"

enum tw_format { TW_CSV, TW_XLSX, TW_JSON };

enum tw_type {
    TW_TEXT, /* written as text everywhere */
    TW_INT,  /* integer; JSON number, XLSX number */
    TW_REAL, /* decimal; JSON number, XLSX number */
};

struct tw_column {
    const char *key;    /* JSON key, English (e.g. "id_number") */
    const char *header; /* CSV/XLSX header (e.g. "身份证号") */
    enum tw_type type;  /* how the cell text is written */
    int width;          /* XLSX column width in characters; 0 = default */
};

struct tablewriter;

/* Parse "csv", "xlsx" or "json". */
int tw_format_parse(const char *s, enum tw_format *out, struct zc_error *err);

/* Start a table. For TW_XLSX `path` is required (and `fp` ignored); for
 * CSV/JSON, rows go to `fp` (not closed by the writer). `title`, if not NULL,
 * becomes a merged title row in XLSX and is ignored elsewhere. The column
 * array must outlive the writer. */
int tw_open(enum tw_format fmt, const char *path, FILE *fp, const char *title,
            const char *sheet_name, const struct tw_column *cols, size_t ncols,
            struct tablewriter **out, struct zc_error *err);

/* Add a row: cells[i] is the text of column i, NULL for an empty cell. For
 * TW_INT/TW_REAL columns the text must be a number (or empty). */
int tw_row(struct tablewriter *w, const char *const *cells, struct zc_error *err);

/* Finish and free. Returns the first write error if any. NULL is a no-op. */
int tw_close(struct tablewriter *w, struct zc_error *err);

#endif
