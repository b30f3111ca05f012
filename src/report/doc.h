/* SPDX-License-Identifier: MIT */
/* doc.h - a printable document: title, headings, paragraphs, tables and
 * bar charts, written as HTML, PDF or XLSX.
 *
 * Reports (the monthly bulletin 通报, funds statements ...) build one
 * struct report_doc in memory, in reading order, and hand it to a writer:
 *   HTML: one self-contained UTF-8 page (inline CSS, print styles, charts as
 *         inline SVG), nothing fetched from elsewhere;
 *   PDF:  A4 portrait through cairo + pango with a CJK font (Noto Sans CJK
 *         SC), page numbers "第 N 页 / 共 M 页" in the footer, tables that
 *         break across pages with the header row repeated, charts drawn as
 *         vectors;
 *   XLSX: one sheet per table (the sheet named after the table's caption),
 *         numbers as numbers, text as text (ID numbers stay exact), with a
 *         first sheet holding the title and the paragraphs.
 * Text is UTF-8; every string is copied, so the caller's buffers may go
 * away after each call. Writers never leave a half-written file: they
 * write to a temporary file next to `path` and rename it. */
#ifndef ZC_REPORT_DOC_H
#define ZC_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct report_doc;

enum report_format { RF_HTML, RF_PDF, RF_XLSX };

/* Parse "html", "pdf" or "xlsx" (ZC_EUSAGE otherwise, naming the value). */
int report_format_parse(const char *s, enum report_format *out, struct zc_error *err);

/* A new empty document; `title` is its heading and the PDF's metadata title,
 * `subtitle` (may be NULL) a line under it (e.g. "马山县委组织部 2018年7月"). */
struct report_doc *report_doc_new(const char *title, const char *subtitle);
void report_doc_free(struct report_doc *d); /* NULL is a no-op */

/* A section heading (level 1 or 2). */
void report_heading(struct report_doc *d, int level, const char *text);
/* A paragraph of running text, wrapped to the page. */
void report_para(struct report_doc *d, const char *text);

/* A table: begin with its caption and columns, add rows, end.
 * numeric[i] != 0 marks column i as numbers (right-aligned, XLSX numbers;
 * a cell that is not a number is written as text). A cell may be NULL
 * (empty). `highlight` on a row draws it in the warning colour (e.g. a
 * township below the rule). */
void report_table_begin(struct report_doc *d, const char *caption, const char *const *headers,
                        const int *numeric, size_t ncols);
void report_table_row(struct report_doc *d, const char *const *cells, int highlight);
void report_table_end(struct report_doc *d);

/* A horizontal bar chart: one bar per label, values >= 0, with the value
 * printed at the end of each bar; `unit` (may be NULL) follows the values,
 * e.g. "%". `target` >= 0 draws a vertical reference line (e.g. the rule's
 * 100%); < 0 draws none. */
void report_bar_chart(struct report_doc *d, const char *caption, const char *const *labels,
                      const double *values, size_t n, const char *unit, double target);

/* Reading a document's tables back (the CLI prints them as text or CSV):
 * how many tables it holds, and table i (0-based, in reading order) with
 * its caption, columns, rows and cells (row-major; NULL = empty). The
 * pointers are borrowed from the document. False when i is out of range. */
struct report_table_view {
    const char *caption;
    size_t ncols, nrows;
    const char *const *headers;
    const int *numeric;
    const char *const *cells;
};

size_t report_doc_ntables(const struct report_doc *d);
bool report_doc_table(const struct report_doc *d, size_t i, struct report_table_view *out);

/* Write the document. ZC_EIO names the path on failure. */
int report_write(const struct report_doc *d, enum report_format fmt, const char *path,
                 struct zc_error *err);

#endif
