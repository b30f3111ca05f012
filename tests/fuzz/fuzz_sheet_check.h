/* SPDX-License-Identifier: MIT */
/* fuzz_sheet_check.h - the invariants every row from sheet.h must hold,
 * shared by the CSV and XLSX fuzz targets. A violation traps, which
 * libFuzzer (and the corpus replay in `make check`) reports as a crash. */
#ifndef ZC_FUZZ_SHEET_CHECK_H
#define ZC_FUZZ_SHEET_CHECK_H

#include <string.h>

#include "ingest/ingest_int.h"

struct fuzz_state {
    const struct sheet_limits *lim; /* limits the read ran with */
    size_t last_row;                /* previous row number */
    bool rows_ascend;               /* CSV rows must strictly ascend */
    size_t rows;                    /* rows seen */
};

static inline int fuzz_check_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct fuzz_state *s = ud;
    (void)err;
    if (row->rowno == 0 || row->ncells == 0 || row->ncells > s->lim->max_columns)
        __builtin_trap();
    if (row->rowno > s->lim->max_rows || row->rowno > SHEET_EXCEL_MAX_ROWS * 1000)
        __builtin_trap();
    if (s->rows_ascend && row->rowno <= s->last_row)
        __builtin_trap();
    /* Trailing empty cells are dropped, so the last one has text. */
    if (row->cells[row->ncells - 1].len == 0)
        __builtin_trap();
    for (size_t i = 0; i < row->ncells; i++) {
        const struct sheet_cell *c = &row->cells[i];
        if (!c->p || c->p[c->len] != '\0' || strlen(c->p) != c->len)
            __builtin_trap(); /* NUL-terminated, no NUL inside */
        if (c->len > s->lim->max_cell_bytes)
            __builtin_trap();
        if (!enc_utf8_valid(c->p, c->len, NULL))
            __builtin_trap();
    }
    s->last_row = row->rowno;
    s->rows++;
    return ZC_OK;
}

/* A refusal must be one of the documented codes, with a message naming the
 * input. */
static inline void fuzz_check_error(int rc, const struct zc_error *err, const char *name)
{
    if (rc == ZC_OK)
        return;
    if (rc != ZC_EINVAL && rc != ZC_ETOOBIG)
        __builtin_trap();
    if (strncmp(err->msg, name, strlen(name)) != 0)
        __builtin_trap();
}

#endif
