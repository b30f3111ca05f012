/* SPDX-License-Identifier: MIT */
/* api_import.c - uploads into the ledger and downloads out of it.
 *
 * An upload is either the raw file as the body (POST /api/v1/import?kind=
 * cadres&name=cadres.xlsx) or a multipart form with the fields "kind" and
 * "file". It is imported all or nothing by the registry, in a transaction
 * of its own on the writer, with the caller's jurisdiction checked by the
 * registry: a file with one row of another county is refused whole (403,
 * the message naming the row and column). Errors come back
 * as a list of {file,row,column,message}. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "auth/audit.h"
#include "store/store.h"

struct import_ctx {
    enum registry_kind kind;   /* what is imported */
    char name[128];            /* file name for messages */
    struct auth_principal who; /* caller */
    char addr[64];             /* address */
    struct import_report rep;  /* result */
    bool out_of_scope;         /* the registry refused a row (ZC_EFORBIDDEN) */
};

static void import_ctx_free(void *p)
{
    struct import_ctx *c = p;
    if (!c)
        return;
    import_report_fini(&c->rep);
    free(c);
}

static int import_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct http_req *r = j->req;
    struct import_ctx *c = r->ctx;
    unsigned char d[32];
    char hex[65], action[40];
    char *nj;
    json_t *o;
    struct audit_entry e;
    struct zc_scope sc = http_scope_of(&c->who);
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = registry_import_mem(s, c->kind, c->name, r->data, r->data_len, &sc, &c->rep, err);
    c->out_of_scope = rc == ZC_EFORBIDDEN;
    if (rc == ZC_OK) {
        /* The record names the file by its digest: what exactly came in. */
        crypto_generichash(d, sizeof(d), (const unsigned char *)r->data, r->data_len, NULL, 0);
        sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
        o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s*}", "file", c->name, "blake2b", hex,
                      "bytes", (json_int_t)r->data_len, "rows", (json_int_t)c->rep.rows, "added",
                      (json_int_t)c->rep.added, "updated", (json_int_t)c->rep.updated, "unchanged",
                      (json_int_t)c->rep.unchanged, "historical_codes", c->rep.historical);
        nj = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(o);
        snprintf(action, sizeof(action), "import.%s", registry_kind_name(c->kind));
        memset(&e, 0, sizeof(e));
        e.actor = c->who.acct.name;
        e.addr = c->addr;
        e.action = action;
        e.target = c->name;
        e.division = c->who.acct.scope;
        e.new_json = nj;
        rc = audit_append(s, &e, err);
        free(nj);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void import_done(struct http_req *r)
{
    struct import_ctx *c = r->ctx;
    struct http_job *j = r->job;
    if (j->rc == ZC_OK) {
        /* The cells read as today's codes, each kept as written in its
         * record (..._was): "FILE:ROW:COLUMN: old -> new", the first 100. */
        json_t *rows = NULL;
        for (size_t i = 0; i < c->rep.nremapped_lines; i++) {
            if (!rows)
                rows = json_array();
            json_array_append_new(rows, json_string(c->rep.remapped_lines[i]));
        }
        http_json(r, 200,
                  json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s?, s:o*, s:s*, s:o*}", "kind",
                            registry_kind_name(c->kind), "file", c->name, "rows",
                            (json_int_t)c->rep.rows, "added", (json_int_t)c->rep.added, "updated",
                            (json_int_t)c->rep.updated, "unchanged", (json_int_t)c->rep.unchanged,
                            "ignored_headers", c->rep.ignored, "historical_cells",
                            c->rep.remapped ? json_integer((json_int_t)c->rep.remapped) : NULL,
                            "historical_codes", c->rep.historical, "historical_rows", rows));
        return;
    }
    if (c->out_of_scope) {
        http_error(r, 403, "forbidden", "%s", j->err.msg);
    } else if (j->rc == ZC_EINVAL) {
        json_t *m = json_string(j->err.msg);
        http_json(r, 400,
                  json_pack("{s:{s:s, s:o, s:I, s:o}}", "error", "code", "invalid_input", "message",
                            m ? m : json_string("the file was not imported"), "errors",
                            (json_int_t)c->rep.nerrors, "details", http_import_details(&c->rep)));
    } else {
        http_zc_error(r, &j->err);
    }
}

void api_import(struct http_req *r)
{
    struct zc_error err = {0};
    struct import_ctx *c;
    enum registry_kind kind;
    const char *k = r->upload_kind[0] ? r->upload_kind : http_arg(r, "kind");
    const char *name = r->upload_name[0] ? r->upload_name : http_arg(r, "name");
    if (!http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot import",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (!k || registry_kind_parse(k, &kind, &err) != ZC_OK) {
        http_error(r, 400, "invalid_input", "kind must be units, villages, cadres or households");
        return;
    }
    if (r->data_len == 0) {
        http_error(r, 400, "invalid_input", "the upload is empty");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    c->kind = kind;
    snprintf(c->name, sizeof(c->name), "%s", name && *name && !strchr(name, '/') ? name : "upload");
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    r->ctx = c;
    r->ctx_free = import_ctx_free;
    http_defer(r, import_run, true, import_done);
}

/* Record a download (issue 17: reads of personal data at scale are in the
 * record): who, kind, masked or not, rows, bytes and the BLAKE2b of exactly
 * what is sent. Runs on the worker's connection before the bytes go out. */
int api_export_audit(struct http_req *r, const char *kind, bool unmask, const char *fmt,
                     size_t rows, int fd, struct zc_error *err)
{
    crypto_generichash_state h;
    unsigned char buf[65536], d[32];
    char hex[65], *nj;
    struct audit_entry e;
    int64_t bytes = 0, off = 0;
    ssize_t n;
    json_t *o;
    int rc;
    crypto_generichash_init(&h, NULL, 0, sizeof(d));
    while ((n = pread(fd, buf, sizeof(buf), (off_t)off)) > 0) {
        crypto_generichash_update(&h, buf, (size_t)n);
        off += n;
        bytes += n;
    }
    if (n < 0)
        return zc_error_set(err, ZC_EIO, "cannot read the export back");
    crypto_generichash_final(&h, d, sizeof(d));
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    o = json_pack("{s:s, s:b, s:s, s:I, s:I, s:s}", "kind", kind, "masked", !unmask, "format", fmt,
                  "rows", (json_int_t)rows, "bytes", (json_int_t)bytes, "blake2b", hex);
    nj = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    memset(&e, 0, sizeof(e));
    e.actor = r->who.acct.name;
    e.addr = r->addr;
    e.action = "export";
    e.target = kind;
    e.division = r->who.acct.scope;
    e.new_json = nj;
    rc = store_begin(r->store, err);
    if (rc == ZC_OK)
        rc = audit_append(r->store, &e, err);
    if (rc == ZC_OK)
        rc = store_commit(r->store, err);
    if (rc != ZC_OK)
        store_rollback(r->store);
    free(nj);
    return rc;
}

/* The whole registry as a file: only for callers without a jurisdiction
 * (the registry export is not scoped); scoped callers page the lists. */
void api_export(struct http_req *r)
{
    struct zc_error err = {0};
    struct export_options opt;
    enum registry_kind kind;
    const char *k = http_arg(r, "kind"), *fmt = http_arg(r, "format");
    char path[] = "/tmp/zhucun-export-XXXXXX";
    char disp[160];
    struct stat st;
    size_t nrows = 0;
    int fd, rc;
    if (r->who.acct.scope_level != 0 || r->who.acct.role == AUTH_CADRE) {
        http_error(r, 403, "forbidden",
                   "a full export is for accounts without a jurisdiction; use the lists");
        return;
    }
    if (!k || registry_kind_parse(k, &kind, &err) != ZC_OK) {
        http_error(r, 400, "invalid_input", "kind must be units, villages, cadres or households");
        return;
    }
    memset(&opt, 0, sizeof(opt));
    if (!fmt || strcmp(fmt, "csv") == 0)
        opt.format = TW_CSV, fmt = "csv";
    else if (strcmp(fmt, "xlsx") == 0)
        opt.format = TW_XLSX;
    else if (strcmp(fmt, "json") == 0)
        opt.format = TW_JSON;
    else {
        http_error(r, 400, "invalid_input", "format must be csv, xlsx or json");
        return;
    }
    opt.unmask = http_sees_id_numbers(r);
    opt.chinese_headers = http_arg(r, "english") == NULL;
    fd = mkstemp(path);
    if (fd < 0) {
        http_error(r, 503, "unavailable", "no room for the export");
        return;
    }
    opt.path = path;
    rc = registry_export(r->store, kind, &opt, &nrows, &err);
    unlink(path); /* the open descriptor keeps the bytes until sent */
    if (rc == ZC_OK)
        rc = api_export_audit(r, registry_kind_name(kind), opt.unmask, fmt, nrows, fd, &err);
    if (rc != ZC_OK || fstat(fd, &st) != 0) {
        close(fd);
        http_zc_error(r, &err);
        return;
    }
    r->fd = fd;
    r->fd_size = (int64_t)st.st_size;
    r->status = 200;
    r->ctype = opt.format == TW_XLSX   ? http_content_type("x.xlsx")
               : opt.format == TW_JSON ? "application/json; charset=utf-8"
                                       : "text/csv; charset=utf-8";
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"", registry_kind_name(kind), fmt);
    http_add_header(r, "Content-Disposition", disp);
}
