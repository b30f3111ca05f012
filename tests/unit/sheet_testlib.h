/* SPDX-License-Identifier: MIT */
/* sheet_testlib.h - helpers for the ingest tests: collect the rows a reader
 * returns into one string ("ROW:cell|cell\n" per row) so that a whole file's
 * result is one CHECK_STR_EQ, and write scratch files. */
#ifndef ZC_SHEET_TESTLIB_H
#define ZC_SHEET_TESTLIB_H

#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "ingest/sheet.h"

struct collect {
    struct buf out; /* "ROW:cell|cell\n" per row */
    size_t rows;    /* rows seen */
    size_t stop_at; /* return ZC_ECONFLICT at this row count (0 = never) */
};

static inline int collect_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct collect *c = ud;
    c->rows++;
    if (c->stop_at && c->rows == c->stop_at)
        return zc_error_set(err, ZC_ECONFLICT, "callback says stop at row %zu", row->rowno);
    buf_printf(&c->out, "%zu:", row->rowno);
    for (size_t i = 0; i < row->ncells; i++) {
        if (i > 0)
            buf_putc(&c->out, '|');
        buf_append(&c->out, row->cells[i].p, row->cells[i].len);
    }
    buf_putc(&c->out, '\n');
    return ZC_OK;
}

/* Read `data` as `fmt`, return the code; rows land in c->out. */
static inline int collect_mem(struct collect *c, const void *data, size_t size,
                              enum sheet_format fmt, const struct sheet_limits *lim,
                              struct zc_error *err)
{
    buf_reset(&c->out);
    c->rows = 0;
    zc_error_clear(err);
    return sheet_read_mem("t.csv", data, size, fmt, lim, collect_row, c, err);
}

/* Write bytes to zt_tmpdir()/name; returns the path in a static buffer. */
static inline const char *scratch_file(const char *dir, const char *name, const void *data,
                                       size_t n)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
    return path;
}

#endif
