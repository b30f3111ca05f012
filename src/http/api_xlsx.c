/* SPDX-License-Identifier: MIT */
/* api_xlsx.c - a page's tables as an Excel workbook (?format=xlsx on the
 * overview, a village's team, a plan's list, the residence ledger, the
 * month's scores, the tickets, the funds and the outcomes; issue 18: every
 * table a county office reports upward).
 *
 * The overview and a village's team are the report module's documents
 * (report_overview_doc, report_team_doc: the same figures as the JSON),
 * sent by api_send_doc; a plan's list is the JSON the handler answers with,
 * its rows under Chinese headers (api_send_xlsx). Both are written by the
 * report module's XLSX writer (one sheet per table, a first sheet 说明 with
 * the title and the date of the figures). The rows are those the caller already sees on the page:
 * the same scope, and no column that the CLI's exports mask (ID numbers,
 * birth dates, hometowns) is ever part of them. Every download is recorded
 * as an `export` audit entry (api_export_audit: who, what, rows, bytes and
 * the BLAKE2b of the bytes) before the bytes go out, as /export does. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "registry/registry.h"
#include "report/doc.h"

int api_date_arg(struct http_req *r, const char *key, char out[11])
{
    const char *v = http_arg(r, key);
    int y, m, d;
    char tail;
    out[0] = '\0';
    if (!v || !*v)
        return 0;
    if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
        sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1900 || m < 1 || m > 12 ||
        d < 1 || d > 31) {
        http_error(r, 400, "invalid_input", "%s must be a day, YYYY-MM-DD", key);
        return -1;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return 1;
}

bool api_wants_xlsx(struct http_req *r)
{
    const char *f = http_arg(r, "format");
    return f && strcmp(f, "xlsx") == 0;
}

/* One cell's text from a JSON value into out[n]; NULL for an empty cell. */
static const char *cell_text(const json_t *v, const struct api_xcol *c, char *out, size_t n)
{
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, n, "%.*f", c->decimals, json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(out, n, "%s", json_is_true(v) ? "是" : "否");
    else
        return NULL;
    return out;
}

void api_send_xlsx(struct http_req *r, const char *kind, const char *file, const char *title,
                   const char *subtitle, const struct api_xtable *tabs, size_t ntabs)
{
    struct report_doc *d = report_doc_new(title, subtitle);
    size_t rows = 0;

    for (size_t t = 0; t < ntabs; t++) {
        const struct api_xtable *x = &tabs[t];
        const char *heads[API_XCOLS_MAX];
        int num[API_XCOLS_MAX];
        size_t i, nc = x->ncols < API_XCOLS_MAX ? x->ncols : API_XCOLS_MAX;
        json_t *row;
        for (size_t c = 0; c < nc; c++) {
            heads[c] = x->cols[c].header;
            num[c] = x->cols[c].numeric;
        }
        report_table_begin(d, x->caption, heads, num, nc);
        json_array_foreach(x->rows, i, row)
        {
            const char *cells[API_XCOLS_MAX];
            char bufs[API_XCOLS_MAX][40];
            for (size_t c = 0; c < nc; c++)
                cells[c] = cell_text(json_object_get(row, x->cols[c].key), &x->cols[c], bufs[c],
                                     sizeof(bufs[c]));
            report_table_row(d, cells, 0);
            rows++;
        }
        report_table_end(d);
    }
    api_send_doc(r, kind, file, d, rows);
}

void api_send_rows_xlsx(struct http_req *r, const char *kind, const char *file, const char *title,
                        const struct api_xcol *cols, size_t ncols, json_t *rows)
{
    char sub[40];
    int y, m, d;
    const struct api_xtable t = {title, cols, ncols, rows};
    registry_today(&y, &m, &d);
    snprintf(sub, sizeof(sub), "数据截至 %04d-%02d-%02d", y % 10000, m % 100, d % 100);
    api_send_xlsx(r, kind, file, title, sub, &t, 1);
}

void api_send_doc(struct http_req *r, const char *kind, const char *file, struct report_doc *d,
                  size_t rows)
{
    struct zc_error err = {0};
    char path[] = "/tmp/zhucun-xlsx-XXXXXX", disp[200];
    struct stat st;
    int fd, rc;

    fd = mkstemp(path);
    if (fd < 0) {
        report_doc_free(d);
        http_error(r, 503, "unavailable", "no room for the workbook");
        return;
    }
    close(fd);
    rc = report_write(d, RF_XLSX, path, &err);
    report_doc_free(d);
    /* Opened again: the writer replaces the file rather than writing into it. */
    fd = rc == ZC_OK ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);
    if (rc == ZC_OK && fd < 0)
        rc = zc_error_set(&err, ZC_EIO, "the workbook was not written");
    if (rc == ZC_OK)
        rc = api_export_audit(r, kind, false, "xlsx", rows, fd, &err);
    if (rc != ZC_OK || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        http_zc_error(r, &err);
        return;
    }
    r->fd = fd;
    r->fd_size = (int64_t)st.st_size;
    r->status = 200;
    r->ctype = http_content_type("x.xlsx");
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s.xlsx\"", file);
    http_add_header(r, "Content-Disposition", disp);
}
