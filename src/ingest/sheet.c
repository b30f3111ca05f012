/* SPDX-License-Identifier: MIT */
/* sheet.c - the entry points of sheet.h: limits, format detection, getting a
 * file into memory, and the row buffer the readers share.
 *
 * A file is mapped (or, when it is a pipe, read) whole and handed to the
 * CSV or XLSX reader as one buffer. Mapping costs no copy and lets the
 * kernel read ahead; the readers then never need to stitch a record across
 * read boundaries, which keeps the CSV state machine small. */
#include "sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_int.h"

#define MiB ((size_t)1 << 20)

void sheet_limits_default(struct sheet_limits *lim)
{
    lim->max_file_bytes = 2048 * MiB;
    lim->max_xml_bytes = 4096 * MiB; /* a 1,000,000-row sheet is ~1.2 GiB of XML */
    lim->max_total_bytes = 8192 * MiB;
    lim->max_rows = 10000000;
    lim->max_columns = 1000;
    lim->max_cell_bytes = 32 * 1024;
}

void sheet_col_name(size_t col, char out[8])
{
    char tmp[8];
    size_t n = 0, i = 0;
    col++; /* bijective base 26: A..Z, AA.. */
    while (col > 0 && n < 7) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    while (n > 0)
        out[i++] = tmp[--n];
    out[i] = '\0';
}

void sheet_size_text(size_t n, char out[32])
{
    if (n >= MiB && n % MiB == 0)
        snprintf(out, 32, "%zu MiB", n / MiB);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, 32, "%zu KiB", n / 1024);
    else
        snprintf(out, 32, "%zu bytes", n);
}

void rowbuf_init(struct rowbuf *rb)
{
    memset(rb, 0, sizeof(*rb));
    buf_init(&rb->data);
}

void rowbuf_fini(struct rowbuf *rb)
{
    buf_fini(&rb->data);
    free(rb->slots);
    free(rb->cells);
    memset(rb, 0, sizeof(*rb));
}

void rowbuf_reset(struct rowbuf *rb)
{
    buf_reset(&rb->data);
    rb->ncols = 0;
}

static void rowbuf_grow(struct rowbuf *rb, size_t col)
{
    if (col >= rb->slots_cap) {
        size_t cap = rb->slots_cap ? rb->slots_cap : 32;
        while (cap <= col)
            cap *= 2;
        rb->slots = zc_reallocarray(rb->slots, cap, sizeof(*rb->slots));
        rb->slots_cap = cap;
    }
    /* Columns skipped over (missing XLSX cells) are empty. */
    while (rb->ncols <= col) {
        rb->slots[rb->ncols].off = 0;
        rb->slots[rb->ncols].len = 0;
        rb->ncols++;
    }
}

void rowbuf_commit(struct rowbuf *rb, size_t col, size_t start)
{
    size_t len = rb->data.len - start;
    rowbuf_grow(rb, col);
    rb->slots[col].off = start;
    rb->slots[col].len = len;
    buf_putc(&rb->data, '\0');
}

void rowbuf_set(struct rowbuf *rb, size_t col, const char *p, size_t len)
{
    size_t start = rb->data.len;
    buf_append(&rb->data, p, len);
    rowbuf_commit(rb, col, start);
}

int rowbuf_emit(struct rowbuf *rb, size_t rowno, sheet_row_fn fn, void *ud, struct zc_error *err)
{
    struct sheet_row row;
    size_t n = rb->ncols;

    while (n > 0 && rb->slots[n - 1].len == 0)
        n--;
    if (n == 0)
        return ZC_OK; /* an empty row: skipped, but its number was used */
    if (n > rb->cells_cap) {
        rb->cells = zc_reallocarray(rb->cells, n, sizeof(*rb->cells));
        rb->cells_cap = n;
    }
    /* Pointers are made only now: rb->data may have moved while growing. */
    for (size_t i = 0; i < n; i++) {
        if (rb->slots[i].len == 0) {
            rb->cells[i].p = "";
            rb->cells[i].len = 0;
        } else {
            rb->cells[i].p = rb->data.p + rb->slots[i].off;
            rb->cells[i].len = rb->slots[i].len;
        }
    }
    row.rowno = rowno;
    row.ncells = n;
    row.cells = rb->cells;
    return fn(ud, &row, err);
}

static int read_mem(const char *name, const void *data, size_t size, enum sheet_format fmt,
                    const struct sheet_limits *lim, const struct sheet_choice *which,
                    sheet_row_fn fn, void *ud, struct zc_error *err)
{
    struct sheet_limits def;
    const unsigned char *u = data;

    if (!lim) {
        sheet_limits_default(&def);
        lim = &def;
    }
    if (!name)
        name = "(input)";
    if (size > lim->max_file_bytes) {
        char a[32];
        sheet_size_text(lim->max_file_bytes, a);
        return zc_error_set(err, ZC_ETOOBIG, "%s: file is larger than the limit of %s", name, a);
    }
    if (fmt == SHEET_AUTO) {
        /* An OLE compound file: either a real .xls, or an .xlsx that Excel
         * encrypted with a password (it then holds an "EncryptedPackage"
         * stream, named in UTF-16). */
        static const char enc_name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
        bool ole = size >= 4 && u[0] == 0xD0 && u[1] == 0xCF && u[2] == 0x11 && u[3] == 0xE0;
        if (ole && memmem(data, size, enc_name, sizeof(enc_name) - 1))
            return zc_error_set(err, ZC_EINVAL,
                                "%s: the workbook is encrypted (password-protected); save it "
                                "without a password",
                                name);
        if (ole)
            return zc_error_set(err, ZC_EINVAL,
                                "%s: this is an old Excel 97-2003 (.xls) workbook; save it "
                                "as .xlsx or .csv",
                                name);
        fmt = size >= 4 && memcmp(u, "PK\3\4", 4) == 0 ? SHEET_XLSX : SHEET_CSV;
    }
    if (fmt == SHEET_XLSX)
        return xlsx_read_mem(name, data, size, lim, which, fn, ud, err);
    return csv_read_mem(name, data, size, lim, fn, ud, err);
}

int sheet_read_mem(const char *name, const void *data, size_t size, enum sheet_format fmt,
                   const struct sheet_limits *lim, sheet_row_fn fn, void *ud, struct zc_error *err)
{
    return read_mem(name, data, size, fmt, lim, NULL, fn, ud, err);
}

/* For pipes and other files that cannot be mapped. */
static int read_all(const char *path, int fd, size_t max, struct buf *out, struct zc_error *err)
{
    for (;;) {
        ssize_t n;
        buf_reserve(out, 1 << 16);
        n = read(fd, out->p + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return zc_error_set(err, ZC_EIO, "%s: %s", path, strerror(errno));
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->p[out->len] = '\0';
        if (out->len > max) {
            char a[32];
            sheet_size_text(max, a);
            return zc_error_set(err, ZC_ETOOBIG, "%s: file is larger than the limit of %s", path,
                                a);
        }
    }
    return ZC_OK;
}

int sheet_read_file(const char *path, const struct sheet_limits *lim, sheet_row_fn fn, void *ud,
                    struct zc_error *err)
{
    return sheet_read_file_sheet(path, lim, NULL, fn, ud, err);
}

int sheet_read_file_sheet(const char *path, const struct sheet_limits *lim,
                          const struct sheet_choice *which, sheet_row_fn fn, void *ud,
                          struct zc_error *err)
{
    struct sheet_limits def;
    struct stat st;
    struct buf b;
    void *map = MAP_FAILED;
    size_t size = 0;
    int fd;
    int rc = ZC_OK;

    if (!lim) {
        sheet_limits_default(&def);
        lim = &def;
    }
    buf_init(&b);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return zc_error_set(err, errno == ENOENT ? ZC_ENOTFOUND : ZC_EIO, "%s: %s", path,
                            strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = zc_error_set(err, ZC_EIO, "%s: %s", path, strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = zc_error_set(err, ZC_EINVAL, "%s: is a directory", path);
        goto done;
    }
    if (S_ISREG(st.st_mode)) {
        if ((unsigned long long)st.st_size > lim->max_file_bytes) {
            char a[32];
            sheet_size_text(lim->max_file_bytes, a);
            rc = zc_error_set(err, ZC_ETOOBIG, "%s: file is larger than the limit of %s", path, a);
            goto done;
        }
        size = (size_t)st.st_size;
        if (size > 0) {
            map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (map != MAP_FAILED)
                madvise(map, size, MADV_SEQUENTIAL);
        }
    }
    if (map == MAP_FAILED) {
        /* A pipe, an empty file, or a file system that cannot map. */
        rc = read_all(path, fd, lim->max_file_bytes, &b, err);
        if (rc != ZC_OK)
            goto done;
        size = b.len;
    }
    rc = read_mem(path, map != MAP_FAILED ? map : (void *)b.p, size, SHEET_AUTO, lim, which, fn, ud,
                  err);
done:
    if (map != MAP_FAILED)
        munmap(map, size);
    buf_fini(&b);
    close(fd);
    return rc;
}
