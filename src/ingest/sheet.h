/* SPDX-License-Identifier: MIT */
/* sheet.h - reading tabular files (CSV and XLSX) as rows of UTF-8 text cells.
 *
 * The reader pushes one row at a time to a callback, so files of millions of
 * rows stream in bounded memory. It detects the format from the content
 * ("PK\3\4" = XLSX, anything else = CSV) and, for CSV, the encoding: UTF-8
 * with or without BOM, or GB18030 (what Excel on Chinese Windows writes).
 *
 * Row numbers are the ones a user sees in Excel: the 1-based index of the
 * record (a CSV record with an embedded newline is still one row), or the
 * `r` attribute of an XLSX <row>. Completely empty rows are skipped, but
 * still counted. XLSX numbers come as their shortest decimal text
 * ("12", "3.5"), booleans as "TRUE"/"FALSE", date-formatted cells as
 * "YYYY-MM-DD" (or "YYYY-MM-DD HH:MM:SS" when they hold a time).
 *
 * Untrusted input is bounded by struct sheet_limits: every refusal is a
 * ZC_ETOOBIG or ZC_EINVAL with a message naming the file. */
#ifndef ZC_SHEET_H
#define ZC_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum sheet_format {
    SHEET_AUTO = 0,
    SHEET_CSV,
    SHEET_XLSX,
};

struct sheet_cell {
    const char *p; /* UTF-8 bytes, NUL-terminated, valid until the callback returns */
    size_t len;    /* bytes, excluding the NUL */
};

struct sheet_row {
    size_t rowno;                   /* row number as shown by Excel (1-based) */
    size_t ncells;                  /* cells in this row (trailing empty cells may be absent) */
    const struct sheet_cell *cells; /* ncells cells, valid until the callback returns */
};

/* Called for each non-empty row, the header row included. Return ZC_OK to go
 * on; any other code stops reading and is returned by sheet_read_*. */
typedef int (*sheet_row_fn)(void *ud, const struct sheet_row *row, struct zc_error *err);

struct sheet_limits {
    size_t max_file_bytes;  /* input file (CSV) or archive (XLSX) size */
    size_t max_xml_bytes;   /* uncompressed size of any one XLSX part */
    size_t max_total_bytes; /* uncompressed size of all XLSX parts read */
    size_t max_rows;        /* rows */
    size_t max_columns;     /* cells per row */
    size_t max_cell_bytes;  /* bytes in one cell */
};

/* Defaults: 2 GiB file, 4 GiB per XML part (a million-row sheet is about
 * 1.2 GiB of XML; parts are streamed, so this bounds time, not memory), 8 GiB
 * total, 10M rows, 1,000 columns, 32 KiB per cell. */
void sheet_limits_default(struct sheet_limits *lim);

/* Which worksheet of an XLSX workbook to read (a CSV file has one). With
 * NULL, or `names` NULL, the first visible worksheet, the one Excel opens
 * on. Otherwise `names` lists sheet names, '|'-separated, best first: the
 * first of them the workbook has is read; when it has none, `required`
 * refuses the file naming the sheets it has, else the first visible
 * worksheet is read. A name ending in '*' stands for every sheet name it
 * begins ("月报*"). (A DingTalk attendance export keeps its punches on a
 * sheet 原始记录 after its summaries; zhucun's web workbooks put a sheet
 * 说明 first.) */
struct sheet_choice {
    const char *names;
    bool required;
};

/* sheet_read_file with the worksheet chosen by `which`. */
int sheet_read_file_sheet(const char *path, const struct sheet_limits *lim,
                          const struct sheet_choice *which, sheet_row_fn fn, void *ud,
                          struct zc_error *err);

/* Read `path`. `lim` may be NULL for the defaults. On error, err->msg names
 * the file ("cadres.xlsx: ...") unless the callback's own message is returned. */
int sheet_read_file(const char *path, const struct sheet_limits *lim, sheet_row_fn fn, void *ud,
                    struct zc_error *err);

/* Read from memory (uploads, fuzzing). `name` is used in messages only. */
int sheet_read_mem(const char *name, const void *data, size_t size, enum sheet_format fmt,
                   const struct sheet_limits *lim, sheet_row_fn fn, void *ud, struct zc_error *err);

#endif
