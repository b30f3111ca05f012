/* SPDX-License-Identifier: MIT */
/* ingest_int.h - internals shared by sheet.c, csv.c, encoding.c and the
 * XLSX reader (xlsx*.c, which has its own xlsx_int.h on top).
 *
 * Not part of the public interface: callers use sheet.h. Every reader works
 * on one contiguous buffer (an mmap'd file or an upload) and hands rows to
 * the user's callback through a struct rowbuf, which reuses its memory from
 * row to row so that reading a million rows does not malloc per cell. */
#ifndef ZC_INGEST_INT_H
#define ZC_INGEST_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/mem.h"
#include "ingest/sheet.h"

/* Excel's own bounds (XFD, 1048576): a reference beyond them is malformed. */
#define SHEET_EXCEL_MAX_COLUMNS 16384
#define SHEET_EXCEL_MAX_ROWS    1048576

/* One row being assembled. Cells are stored by column index, their bytes
 * back to back in `data` (each NUL-terminated), so a cell can be set in any
 * order and the whole row costs no allocation once the buffers have grown. */
struct rowbuf_slot {
    size_t off; /* offset of the cell's bytes in rowbuf.data */
    size_t len; /* bytes; 0 = empty cell */
};

struct rowbuf {
    struct buf data;           /* cell bytes, each followed by a NUL */
    struct rowbuf_slot *slots; /* per column, valid up to `ncols` */
    size_t ncols;              /* highest column set + 1 */
    size_t slots_cap;          /* allocated slots */
    struct sheet_cell *cells;  /* view handed to the callback */
    size_t cells_cap;          /* allocated cells */
};

void rowbuf_init(struct rowbuf *rb);
void rowbuf_fini(struct rowbuf *rb);
void rowbuf_reset(struct rowbuf *rb);
/* Set column `col` (0-based) to a copy of p[0..len). */
void rowbuf_set(struct rowbuf *rb, size_t col, const char *p, size_t len);
/* Record bytes appended to rb->data since offset `start` as column `col`. */
void rowbuf_commit(struct rowbuf *rb, size_t col, size_t start);
/* Hand the row to `fn` unless every cell is empty; trailing empty cells are
 * dropped. Returns the callback's code (ZC_OK for a skipped row). */
int rowbuf_emit(struct rowbuf *rb, size_t rowno, sheet_row_fn fn, void *ud, struct zc_error *err);

/* Column letters as Excel shows them: 0 -> "A", 26 -> "AA". `out` holds 8. */
void sheet_col_name(size_t col, char out[8]);

/* Human size for messages: "512 MiB", "64 KiB" or "100 bytes". */
void sheet_size_text(size_t n, char out[32]);

/* The readers. `name` prefixes every message they write; a callback's own
 * error passes through unchanged. */
int csv_read_mem(const char *name, const char *data, size_t size, const struct sheet_limits *lim,
                 sheet_row_fn fn, void *ud, struct zc_error *err);
int xlsx_read_mem(const char *name, const void *data, size_t size, const struct sheet_limits *lim,
                  const struct sheet_choice *which, sheet_row_fn fn, void *ud,
                  struct zc_error *err);

/* encoding.c */

enum enc_kind {
    ENC_UTF8,      /* valid UTF-8 (BOM, if any, already skipped) */
    ENC_CONVERTED, /* converted to UTF-8 from GB18030 or UTF-16 */
};

struct enc_result {
    const char *p;      /* UTF-8 text: points into the input or into `owned` */
    size_t len;         /* bytes */
    char *owned;        /* converted text to free(), or NULL */
    const char *source; /* "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE" */
};

/* Make `data` UTF-8: skip a UTF-8 BOM, convert UTF-16 (by BOM) and, when the
 * bytes are not valid UTF-8, GB18030. Never guesses silently: text that is
 * mostly UTF-8 with a few broken bytes, or that is neither, is an error.
 * On error returns ZC_EINVAL and sets *bad_off to the offending byte offset
 * in `data` (the message in `err` has no file name or row; the caller adds
 * them). */
int enc_to_utf8(const char *data, size_t size, struct enc_result *out, size_t *bad_off,
                struct zc_error *err);

/* True if p[0..n) is valid UTF-8; otherwise *bad_off = first bad byte. */
bool enc_utf8_valid(const char *p, size_t n, size_t *bad_off);

/* The streaming XLSX writer (xlsx_write.c), used by tablewriter.c. */
enum {
    XLSXW_STYLE_DEFAULT = 0, /* numbers */
    XLSXW_STYLE_TEXT = 1,    /* "@": text stays text */
    XLSXW_STYLE_HEADER = 2,  /* bold, filled, bordered */
    XLSXW_STYLE_TITLE = 3,   /* bold 14 pt, centred, merged over the columns */
};

struct xlsxw_layout {
    const char *sheet_name; /* already cleaned to Excel's rules; NULL = "Sheet1" */
    size_t ncols;           /* columns */
    const double *widths;   /* per column, in characters; NULL = 12 */
    const bool *text_cols;  /* per column: text style on the whole column; NULL = none */
    size_t freeze_rows;     /* rows kept in view when scrolling (title + header) */
};

struct xlsxw;

/* Create `path` and write everything before the first row. On failure
 * nothing is left behind. */
int xlsxw_open(const char *path, const struct xlsxw_layout *lay, struct xlsxw **out,
               struct zc_error *err);
/* A title row, merged over all columns (call before any other row). */
int xlsxw_title(struct xlsxw *x, const char *title, struct zc_error *err);
/* One row: cells[i] NULL or "" is left empty; is_text[i] picks an inline
 * string (else a number, already checked); style XLSXW_STYLE_HEADER writes
 * every cell as header text. */
int xlsxw_row(struct xlsxw *x, const char *const *cells, const bool *is_text, int style,
              struct zc_error *err);
/* Finish and free; on failure the file is removed. NULL is a no-op. */
int xlsxw_close(struct xlsxw *x, struct zc_error *err);
/* Free and remove the file without finishing it. NULL is a no-op. */
void xlsxw_abort(struct xlsxw *x);

#endif
