/* SPDX-License-Identifier: MIT */
/* report_int.h - the in-memory document shared by the writers of
 * src/report/ (doc.c builds it, doc_html.c, doc_pdf.c and doc_xlsx.c read
 * it). Not for use outside src/report/. */
#ifndef ZC_REPORT_INT_H
#define ZC_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "report/doc.h"

enum report_block_kind { RB_HEADING, RB_PARA, RB_TABLE, RB_CHART };

struct report_table {
    char *caption;   /* copied, never NULL ("" when none was given) */
    size_t ncols;    /* columns, >= 1 */
    char **headers;  /* ncols strings, never NULL */
    int *numeric;    /* ncols flags: 1 = a column of numbers */
    char **cells;    /* nrows * ncols strings, row-major; NULL = empty cell */
    int *highlight;  /* nrows flags */
    size_t nrows;    /* rows added */
    size_t rows_cap; /* rows allocated */
};

struct report_chart {
    char *caption;  /* copied, never NULL */
    char **labels;  /* n strings, never NULL */
    double *values; /* n values, >= 0 (negative input is clamped to 0) */
    size_t n;       /* bars */
    char *unit;     /* "" when none */
    double target;  /* reference line, < 0 = none */
};

struct report_block {
    enum report_block_kind kind; /* which member below is used */
    int level;                   /* RB_HEADING: 1 or 2 */
    char *text;                  /* RB_HEADING, RB_PARA: copied text */
    struct report_table *table;  /* RB_TABLE */
    struct report_chart *chart;  /* RB_CHART */
};

struct report_doc {
    char *title;                 /* copied, never NULL */
    char *subtitle;              /* copied, or NULL */
    struct report_block *blocks; /* in reading order */
    size_t nblocks;              /* blocks used */
    size_t cap;                  /* blocks allocated */
    struct report_table *open;   /* the table between _begin and _end, or NULL */
};

/* The temporary file a writer fills before renaming it to `path`:
 * "<path>.tmp-<pid>" into out[n]; ZC_EIO when it does not fit. */
int report_tmp_path(const char *path, char *out, size_t n, struct zc_error *err);

/* Finish a write: on rc == ZC_OK rename `tmp` to `path` (a failure becomes
 * ZC_EIO naming `path`); otherwise remove `tmp`. Returns the final code. */
int report_commit(const char *tmp, const char *path, int rc, struct zc_error *err);

/* Write `len` bytes to a new file `path` (via its temporary file). */
int report_write_bytes(const char *path, const char *data, size_t len, struct zc_error *err);

/* `v` as short decimal text: at most two decimals, trailing zeros dropped
 * ("95.5", "100", "0.25"). */
void report_fmt_value(double v, char *out, size_t n);

/* True when `s` is a plain decimal number a spreadsheet can hold exactly:
 * optional '-', digits, optional '.' digits, optional exponent, and no more
 * than 15 significant digits (so an 18-digit ID number is not a number). */
bool report_is_number(const char *s, double *out);

/* Characters (code points) in UTF-8 `s`. */
size_t report_utf8_chars(const char *s);

int report_write_html(const struct report_doc *d, const char *path, struct zc_error *err);
int report_write_pdf(const struct report_doc *d, const char *path, struct zc_error *err);
int report_write_xlsx(const struct report_doc *d, const char *path, struct zc_error *err);

/* ---- the figures' statements (report_sql.c, used by figures.c) ------------------ */

struct store;
struct store_stmt;

/* The day bound that stands for "no day": every open posting (report_sql.c). */
#define REPORT_NO_DAY "9999-12-31"

enum report_query {
    RQ_DIVISION_NAME, /* code -> name */
    RQ_COVERAGE,      /* day, lo, hi, deep, poor, other team size -> by poverty class */
    RQ_CADRES,        /* day, lo, hi, born after (45) -> one row of counts */
    RQ_BY_CATEGORY,   /* day, lo, hi -> category, cadres */
    RQ_BY_LEVEL,      /* day, lo, hi -> level, cadres */
    RQ_BY_UNIT,       /* day, lo, hi -> unit, name, category, cadres */
    RQ_BY_AGE,        /* day, lo, hi, born after (35, 45, 55) -> band, cadres */
    RQ_BY_EDUCATION,  /* day, lo, hi -> education, cadres */
    RQ_AREAS,         /* day, lo, hi, code unit, full sizes -> the divisions one level down */
    RQ_TEAM,          /* village, day -> postings serving */
    RQ_HISTORY,       /* village, day -> postings ended */
    RQ_RECALLS,       /* village -> recalls */
    RQ_HOUSEHOLDS,    /* village -> status, households, members */
    RQ_GRADES,        /* cadre -> year, grade */
    RQ_DISCIPLINE,    /* cadre -> year, kind */
    RQ_POSTINGS,      /* cadre -> the cadre's postings */
    RQ_COUNT
};

extern const char *const report_sql[RQ_COUNT];

int report_prepare(struct store *s, enum report_query q, struct store_stmt **out,
                   struct zc_error *err);

#endif
