/* SPDX-License-Identifier: MIT */
/* api_registry.c - the ledger over HTTP: list, get, create, replace and
 * patch villages, cadres, units and households; division lookups; skills.
 *
 * Each kind is described once (columns, filters, key) and served by the
 * same few functions. Reads build one SELECT whose WHERE clause starts with
 * the caller's scope (its bounds bound as parameters). Writes turn the JSON
 * record into a one-row CSV file and hand it to the registry's import with
 * the caller's jurisdiction, so a record written through the API passes
 * exactly the checks an uploaded file does, the scope included
 * (ZC_EFORBIDDEN: 403); the writer appends the before/after record to the
 * audit log in the same transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth/audit.h"
#include "base/division.h"
#include "base/idcard.h"
#include "registry/registry.h"
#include "store/store.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct registry_listing *kind_get(const char *name)
{
    return registry_listing_get(name);
}

/* ---- rows to JSON ----------------------------------------------------------- */

static json_t *list_of(const char *s)
{
    json_t *a = json_array();
    while (s && *s) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n)
            json_array_append_new(a, json_stringn(s, n));
        s = e ? e + 1 : NULL;
    }
    return a;
}

/* A record shown with masked ID numbers keeps only the birth year and no
 * hometown: with them the masked number (region and last digits) could be
 * rebuilt. The same rule as the registry's masked export. */
static void coarsen_masked(json_t *o)
{
    json_t *b = json_object_get(o, "birth_date");
    if (json_is_string(b)) {
        char year[8];
        snprintf(year, sizeof(year), "%.4s", json_string_value(b));
        json_object_set_new(o, "birth_date", json_string(year));
    }
    if (json_object_get(o, "hometown"))
        json_object_set_new(o, "hometown", json_null());
    json_object_del(o, "hometown_was"); /* the hometown as an old file wrote it */
}

static json_t *row_json(struct store_stmt *st, const struct registry_listing *k, bool unmask)
{
    static const char *const states[4] = {"soft", "poor", "disorderly", "weak"};
    json_t *o = json_object();
    for (size_t i = 0; i < k->ncols; i++) {
        const struct registry_col *c = &k->cols[i];
        int col = (int)i;
        json_t *v = NULL;
        if (store_col_is_null(st, col)) {
            if (c->type >= RCT_WAS_INT)
                continue; /* no original code: no key */
            v = c->type == RCT_LIST || c->type == RCT_STATES ? json_array()
                : c->type == RCT_BOOL                        ? json_false()
                                                             : json_null();
            json_object_set_new(o, c->key, v);
            continue;
        }
        switch (c->type) {
        case RCT_INT:
        case RCT_WAS_INT:
            v = json_integer(store_col_int(st, col));
            break;
        case RCT_TEXT: {
            const char *t = store_col_text(st, col);
            v = *t ? json_string(t) : json_null();
            break;
        }
        case RCT_REAL:
            v = json_real(store_col_real(st, col));
            break;
        case RCT_BOOL:
            v = json_boolean(store_col_int(st, col) != 0);
            break;
        case RCT_LIST:
        case RCT_WAS_LIST:
            v = list_of(store_col_text(st, col));
            break;
        case RCT_STATES: {
            int64_t bits = store_col_int(st, col);
            v = json_array();
            for (int b = 0; b < 4; b++) {
                if (bits & (1 << b))
                    json_array_append_new(v, json_string(states[b]));
            }
            break;
        }
        case RCT_DIV:
        case RCT_WAS_DIV: {
            int64_t code = store_col_int(st, col);
            char s[16];
            division_format(code, division_level_of(code), s);
            v = json_string(s);
            break;
        }
        case RCT_IDNUM: {
            const char *t = store_col_text(st, col);
            char m[64];
            if (!*t) {
                v = json_null();
            } else if (unmask) {
                v = json_string(t);
            } else {
                idcard_mask(t, m, sizeof(m));
                v = json_string(m);
            }
            break;
        }
        case RCT_FEN:
            v = json_real((double)store_col_int(st, col) / 100.0);
            break;
        }
        json_object_set_new(o, c->key, v ? v : json_null());
    }
    if (!unmask)
        coarsen_masked(o);
    return o;
}

static void select_cols(const struct registry_listing *k, struct buf *sql)
{
    registry_listing_select(k, sql);
}

/* The caller's scope (registry_listing_scope), its bounds appended to
 * binds[*nb...]; nothing for a request without a session. */
static void scope_clause(const struct http_req *r, const struct registry_listing *k,
                         struct buf *sql, int64_t *binds, int *nb)
{
    struct zc_scope sc = http_scope_value(r);
    if (!r->authed)
        buf_puts(sql, "(1 = 0)");
    else
        registry_listing_scope(k, &sc, sql, binds, nb);
}

/* ---- list ----------------------------------------------------------------- */

struct bind {
    bool is_int;
    int64_t i;
    const char *s;
};

static int64_t arg_int(struct http_req *r, const char *key, int64_t dflt, int64_t lo, int64_t hi,
                       bool *bad)
{
    const char *v = http_arg(r, key);
    char *end = NULL;
    long long n;
    if (!v)
        return dflt;
    n = strtoll(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        *bad = true;
        return dflt;
    }
    return n;
}

/* A page of a list with ID numbers (cadres, households) holding this many
 * records or more is a read of personal data at scale (issue 17: like an
 * export, it is recorded: who, kind, masked or not, rows, the page and its
 * filters). The web UI pages by 25 and 50; a village's households come 500
 * at a time, so a large village's are recorded when opened. */
#define LIST_AUDIT_ROWS 100

static bool has_id_numbers(const struct registry_listing *k)
{
    for (size_t i = 0; i < k->ncols; i++)
        if (k->cols[i].type == RCT_IDNUM)
            return true;
    return false;
}

static int list_audit(struct http_req *r, const struct registry_listing *k, size_t rows,
                      int64_t page, int64_t per, struct zc_error *err)
{
    json_t *filters = json_object();
    char action[48];
    int rc;
    for (size_t i = 0; i < k->nfilters; i++) {
        const char *v = http_arg(r, k->filters[i].arg);
        if (v)
            json_object_set_new(filters, k->filters[i].arg, json_string(v));
    }
    snprintf(action, sizeof(action), "read.%s", k->name);
    rc = store_begin(r->store, err);
    if (rc == ZC_OK)
        rc = api_audit_write(r->store, &r->who, r->addr, action, k->name, r->who.acct.scope, NULL,
                             json_pack("{s:s, s:b, s:I, s:I, s:I, s:o}", "kind", k->name, "masked",
                                       !http_sees_id_numbers(r), "rows", (json_int_t)rows, "page",
                                       (json_int_t)page, "per_page", (json_int_t)per, "filters",
                                       filters),
                             err);
    else
        json_decref(filters);
    if (rc == ZC_OK)
        rc = store_commit(r->store, err);
    if (rc != ZC_OK)
        store_rollback(r->store);
    return rc;
}

static void list_kind(struct http_req *r, const struct registry_listing *k)
{
    struct buf where = {0}, sql = {0};
    struct bind binds[16 + REGISTRY_SCOPE_BINDS];
    int64_t sb[REGISTRY_SCOPE_BINDS];
    struct store_stmt *st = NULL;
    struct zc_error err = {0};
    char likes[8][200];
    int nb = 0, nl = 0, nsb = 0, rc;
    bool bad = false, row = true;
    int64_t page = arg_int(r, "page", 1, 1, 1000000, &bad);
    int64_t per = arg_int(r, "per_page", 50, 1, 500, &bad);
    int64_t total = 0;
    json_t *items;

    if (bad) {
        http_error(r, 400, "invalid_input", "page is 1 or more; per_page is 1 to 500");
        return;
    }
    scope_clause(r, k, &where, sb, &nsb);
    for (int i = 0; i < nsb; i++)
        binds[nb++] = (struct bind){true, sb[i], NULL};
    for (size_t i = 0; i < k->nfilters; i++) {
        const struct registry_filter *f = &k->filters[i];
        const char *v = http_arg(r, f->arg);
        if (!v)
            continue;
        if (f->how == RF_RANGE) {
            int64_t code, lo, hi;
            enum division_level lv;
            if (division_parse(v, strlen(v), &code, &lv, &err) != ZC_OK) {
                http_error(r, 400, "invalid_input", "%s: %s", f->arg, err.msg);
                goto done;
            }
            division_range(code, lv, &lo, &hi);
            buf_printf(&where, " AND %s BETWEEN ? AND ?", f->expr);
            binds[nb++] = (struct bind){true, lo, NULL};
            binds[nb++] = (struct bind){true, hi, NULL};
        } else if (f->how == RF_STATE) {
            /* 软 1, 穷 2, 乱 4, 弱 8 (the web UI's filter by governance state) */
            static const char *const names[4][2] = {
                {"soft", "软"}, {"poor", "穷"}, {"disorderly", "乱"}, {"weak", "弱"}};
            int bit = -1;
            for (int b = 0; b < 4; b++) {
                if (strcmp(v, names[b][0]) == 0 || strcmp(v, names[b][1]) == 0)
                    bit = b;
            }
            if (bit < 0) {
                http_error(r, 400, "invalid_input", "state is one of 软 穷 乱 弱");
                goto done;
            }
            buf_printf(&where, " AND (%s & %d) <> 0", f->expr, 1 << bit);
        } else if (f->how == RF_LIST_HOLDS) {
            if (strlen(v) > 40)
                continue;
            buf_printf(&where, " AND (';' || %s || ';') LIKE ('%%;' || ? || ';%%')", f->expr);
            binds[nb++] = (struct bind){false, 0, v};
        } else if (f->how == RF_CONDITION) {
            /* A condition of the registry's (the value "1" turns it on). */
            if (strcmp(v, "1") != 0)
                continue;
            buf_printf(&where, " AND %s", f->expr);
        } else if (f->how == RF_CONTAINS) {
            if (nl >= 8 || strlen(v) > 150)
                continue;
            /* Escape LIKE's wildcards: the user searches for text. */
            size_t o = 0;
            likes[nl][o++] = '%';
            for (const char *p = v; *p && o < 190; p++) {
                if (*p == '%' || *p == '_' || *p == '\\')
                    likes[nl][o++] = '\\';
                likes[nl][o++] = *p;
            }
            likes[nl][o++] = '%';
            likes[nl][o] = '\0';
            buf_printf(&where, " AND %s LIKE ? ESCAPE '\\'", f->expr);
            binds[nb++] = (struct bind){false, 0, likes[nl++]};
        } else {
            buf_printf(&where, " AND %s = ?", f->expr);
            binds[nb++] = (struct bind){false, 0, v};
        }
    }
    registry_listing_count(k, buf_cstr(&where), &sql);
    rc = store_prepare(r->store, buf_cstr(&sql), &st, &err);
    for (int i = 0; rc == ZC_OK && i < nb; i++) {
        if (binds[i].is_int)
            store_bind_int(st, i + 1, binds[i].i);
        else
            store_bind_cstr(st, i + 1, binds[i].s);
    }
    if (rc == ZC_OK)
        rc = store_step(st, &row, &err);
    if (rc == ZC_OK && row)
        total = store_col_int(st, 0);
    store_finalize(st);
    st = NULL;
    buf_reset(&sql);
    select_cols(k, &sql);
    buf_printf(&sql, "%s ORDER BY %s LIMIT %lld OFFSET %lld", buf_cstr(&where), k->order,
               (long long)per, (long long)((page - 1) * per));
    if (rc == ZC_OK)
        rc = store_prepare(r->store, buf_cstr(&sql), &st, &err);
    for (int i = 0; rc == ZC_OK && i < nb; i++) {
        if (binds[i].is_int)
            store_bind_int(st, i + 1, binds[i].i);
        else
            store_bind_cstr(st, i + 1, binds[i].s);
    }
    items = json_array();
    while (rc == ZC_OK) {
        rc = store_step(st, &row, &err);
        if (rc != ZC_OK || !row)
            break;
        json_array_append_new(items, row_json(st, k, http_sees_id_numbers(r)));
    }
    store_finalize(st);
    if (rc == ZC_OK && json_array_size(items) >= LIST_AUDIT_ROWS && has_id_numbers(k))
        rc = list_audit(r, k, json_array_size(items), page, per, &err);
    if (rc != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        goto done;
    }
    http_json(r, 200,
              json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page,
                        "per_page", (json_int_t)per, "total", (json_int_t)total));
done:
    buf_fini(&where);
    buf_fini(&sql);
}

/* ---- get -------------------------------------------------------------------- */

/* Bind the URL key; false if it is not a valid key for the kind. */
static bool bind_key(struct store_stmt *st, int idx, const struct registry_listing *k,
                     const char *key)
{
    if (k->key_int) {
        char *end = NULL;
        long long v;
        if (k->scope_by == RS_VILLAGE || k->scope_by == RS_DIVISION) {
            int64_t code;
            enum division_level lv;
            if (division_parse(key, strlen(key), &code, &lv, NULL) != ZC_OK)
                return false;
            store_bind_int(st, idx, code);
            return true;
        }
        v = strtoll(key, &end, 10);
        if (!*key || *end || v <= 0)
            return false;
        store_bind_int(st, idx, v);
    } else {
        if (strlen(key) > 64)
            return false;
        store_bind_cstr(st, idx, key);
    }
    return true;
}

/* Load one record by `col` = key, within the caller's scope when r is not
 * NULL (and everywhere when it is: the writer's own checks). *out is NULL
 * when there is no such row. */
static int load_one(struct store *s, struct http_req *r, const struct registry_listing *k,
                    const char *col, const char *key, bool key_is_text, bool unmask, json_t **out,
                    struct zc_error *err)
{
    struct buf sql = {0};
    struct store_stmt *st = NULL;
    bool row = false, cached = r && r->store == s && r->conn;
    int64_t sb[REGISTRY_SCOPE_BINDS];
    int nsb = 0, rc = ZC_OK;
    *out = NULL;
    select_cols(k, &sql);
    if (r)
        scope_clause(r, k, &sql, sb, &nsb);
    else
        buf_puts(&sql, "1 = 1");
    buf_printf(&sql, " AND %s = ?", col);
    /* Reads on a worker reuse the statement (the hot path: one record). */
    if (cached) {
        st = http_stmt(r, buf_cstr(&sql), err);
        if (!st)
            rc = err->code;
    } else {
        rc = store_prepare(s, buf_cstr(&sql), &st, err);
    }
    if (rc == ZC_OK) {
        for (int i = 0; i < nsb; i++)
            store_bind_int(st, i + 1, sb[i]);
        if (key_is_text)
            store_bind_cstr(st, nsb + 1, key);
        else if (!bind_key(st, nsb + 1, k, key))
            goto done;
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row)
        *out = row_json(st, k, unmask);
done:
    if (cached)
        store_reset(st);
    else
        store_finalize(st);
    buf_fini(&sql);
    return rc;
}

static void get_kind(struct http_req *r, const struct registry_listing *k)
{
    struct zc_error err = {0};
    json_t *o = NULL;
    int rc = load_one(r->store, r, k, k->key_col, r->params[0], false, http_sees_id_numbers(r), &o,
                      &err);
    if (rc != ZC_OK) {
        http_zc_error(r, &err);
        return;
    }
    /* Out of scope and absent look the same: nothing about the row leaks. */
    if (!o) {
        http_error(r, 404, "not_found", "no %s %s in your jurisdiction", k->one, r->params[0]);
        return;
    }
    http_json(r, 200, o);
}

/* ---- writes --------------------------------------------------------------------- */

enum write_mode { WM_CREATE, WM_REPLACE, WM_MERGE };

struct write_ctx {
    const struct registry_listing *k; /* kind */
    enum write_mode mode;             /* create, replace, patch */
    struct auth_principal who;        /* caller (copied: the request waits) */
    char addr[64];                    /* caller's address */
    char key[72];                     /* URL key (replace/merge) */
    json_t *body;                     /* request record */
    json_t *result;                   /* the record after, masked for the caller */
    struct import_report rep;         /* import errors */
    int status;                       /* response status on success */
    bool out_of_scope;                /* the registry refused the row (ZC_EFORBIDDEN) */
    bool unmask;                      /* caller sees ID numbers */
};

static void write_ctx_free(void *p)
{
    struct write_ctx *w = p;
    if (!w)
        return;
    json_decref(w->body);
    json_decref(w->result);
    import_report_fini(&w->rep);
    free(w);
}

/* A JSON value as the text of one CSV cell (without quoting). */
static void cell_text(json_t *v, struct buf *b)
{
    if (json_is_string(v)) {
        buf_puts(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        buf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        buf_printf(b, "%.10g", json_real_value(v));
    } else if (json_is_true(v)) {
        buf_puts(b, "1");
    } else if (json_is_false(v)) {
        buf_puts(b, "0");
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (i)
                buf_putc(b, ';');
            cell_text(e, b);
        }
    }
}

static void csv_cell(json_t *v, struct buf *out)
{
    struct buf t = {0};
    cell_text(v, &t);
    buf_putc(out, '"');
    for (size_t i = 0; i < t.len; i++) {
        if (t.p[i] == '"')
            buf_putc(out, '"');
        buf_putc(out, t.p[i]);
    }
    buf_putc(out, '"');
    buf_fini(&t);
}

/* One header row of the import columns and one data row from `rec`. */
static void record_csv(const struct registry_listing *k, json_t *rec, struct buf *out)
{
    bool first = true;
    for (size_t i = 0; i < k->ncols; i++) {
        if (!k->cols[i].import)
            continue;
        buf_printf(out, "%s%s", first ? "" : ",", k->cols[i].key);
        first = false;
    }
    buf_puts(out, "\r\n");
    first = true;
    for (size_t i = 0; i < k->ncols; i++) {
        if (!k->cols[i].import)
            continue;
        if (!first)
            buf_putc(out, ',');
        csv_cell(json_object_get(rec, k->cols[i].key), out);
        first = false;
    }
    buf_puts(out, "\r\n");
}

static bool is_import_key(const struct registry_listing *k, const char *key)
{
    for (size_t i = 0; i < k->ncols; i++) {
        if (k->cols[i].import && strcmp(k->cols[i].key, key) == 0)
            return true;
    }
    return false;
}

static char *dump(json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) : NULL;
}

static int64_t record_division(const struct registry_listing *k, json_t *rec)
{
    json_t *v = NULL;
    if (k->scope_by == RS_VILLAGE)
        v = json_object_get(rec, "code");
    else if (k->scope_by == RS_HOUSEHOLD)
        v = json_object_get(rec, "village");
    else if (k->scope_by == RS_UNIT)
        v = json_object_get(rec, "division");
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v)) {
        int64_t code;
        enum division_level lv;
        const char *s = json_string_value(v);
        if (division_parse(s, strlen(s), &code, &lv, NULL) == ZC_OK)
            return code;
    }
    return 0;
}

static int write_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct write_ctx *w = j->req->ctx;
    const struct registry_listing *k = w->k;
    json_t *before = NULL, *before_m = NULL, *after = NULL, *after_m = NULL, *rec = NULL;
    struct buf csv = {0};
    char keybuf[72];
    const char *lookup_col = k->key_col;
    bool lookup_text = false;
    int rc;

    /* Cadres are addressed by id in URLs and by ID number in records. */
    if (w->mode == WM_CREATE) {
        json_t *kv = json_object_get(w->body, k->create_key);
        if (!json_is_string(kv) && !json_is_integer(kv))
            return zc_error_set(err, ZC_EINVAL, "the record needs its key field '%s'",
                                k->create_key);
        struct buf t = {0};
        cell_text(kv, &t);
        snprintf(keybuf, sizeof(keybuf), "%s", buf_cstr(&t));
        buf_fini(&t);
        if (k->scope_by == RS_CADRE) {
            char norm[IDCARD_LEN + 1];
            if (idcard_normalize(keybuf, strlen(keybuf), norm, NULL) == ZC_OK)
                snprintf(keybuf, sizeof(keybuf), "%s", norm);
        }
        lookup_col = k->create_col;
        lookup_text = k->scope_by == RS_CADRE || !k->key_int;
    } else {
        snprintf(keybuf, sizeof(keybuf), "%s", w->key);
    }

    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = load_one(s, NULL, k, lookup_col, keybuf, lookup_text, true, &before, err);
    if (rc != ZC_OK)
        goto done;
    if (before) {
        /* The row must be the caller's: to replace or patch it (else 404,
         * as if absent), or to be told it exists (else 403, as for any
         * record outside the jurisdiction). */
        json_t *mine = NULL;
        struct http_req fake;
        memset(&fake, 0, sizeof(fake));
        fake.authed = true;
        fake.who = w->who;
        rc = load_one(s, &fake, k, lookup_col, keybuf, lookup_text, false, &mine, err);
        if (rc == ZC_OK && !mine && w->mode == WM_CREATE) {
            w->out_of_scope = true;
            rc = zc_error_set(err, ZC_EFORBIDDEN, "the record is outside your jurisdiction");
        } else if (rc == ZC_OK && !mine) {
            rc = zc_error_set(err, ZC_ENOTFOUND, "no %s %s in your jurisdiction", k->one, keybuf);
        }
        json_decref(mine);
        if (rc != ZC_OK)
            goto done;
    }
    if (w->mode == WM_CREATE && before) {
        rc = zc_error_set(err, ZC_ECONFLICT, "%s %s already exists", k->one, keybuf);
        goto done;
    }
    if (w->mode != WM_CREATE && !before) {
        rc = zc_error_set(err, ZC_ENOTFOUND, "no %s %s in your jurisdiction", k->one, keybuf);
        goto done;
    }
    if (w->mode == WM_MERGE) {
        rec = json_deep_copy(before);
        json_object_update(rec, w->body);
    } else {
        rec = json_deep_copy(w->body);
    }
    if (w->mode != WM_CREATE) {
        /* The key comes from the URL (or the stored record), never the body. */
        const char *kk = k->scope_by == RS_CADRE ? "id_number" : k->create_key;
        json_object_set(rec, kk, json_object_get(before, kk));
    }
    record_csv(k, rec, &csv);
    {
        struct zc_scope sc = http_scope_of(&w->who);
        rc = registry_import_mem(s, (enum registry_kind)k->kind, "request.csv", csv.p, csv.len, &sc,
                                 &w->rep, err);
    }
    if (rc != ZC_OK) {
        if (rc == ZC_EFORBIDDEN) {
            /* "request.csv:2:FIELD: ..." names the field that is outside. */
            const char *f = strchr(err->msg, ':');
            const char *e;
            f = f ? strchr(f + 1, ':') : NULL;
            e = f ? strchr(f + 1, ':') : NULL;
            w->out_of_scope = true;
            if (f && e) {
                /* Copied out first: the new message is written over err->msg. */
                char field[64];
                snprintf(field, sizeof(field), "%.*s", (int)(e - f - 1), f + 1);
                zc_error_set(err, ZC_EFORBIDDEN, "the record is outside your jurisdiction (%s)",
                             field);
            } else
                zc_error_set(err, ZC_EFORBIDDEN, "the record is outside your jurisdiction");
        }
        goto done;
    }
    {
        json_t *kv = json_object_get(rec, k->scope_by == RS_CADRE ? "id_number" : k->create_key);
        struct buf t = {0};
        cell_text(kv, &t);
        snprintf(keybuf, sizeof(keybuf), "%s", buf_cstr(&t));
        buf_fini(&t);
        if (k->scope_by == RS_CADRE) {
            char norm[IDCARD_LEN + 1];
            if (idcard_normalize(keybuf, strlen(keybuf), norm, NULL) == ZC_OK)
                snprintf(keybuf, sizeof(keybuf), "%s", norm);
        }
    }
    rc = load_one(s, NULL, k, k->create_col, keybuf, k->scope_by == RS_CADRE || !k->key_int, false,
                  &after_m, err);
    if (rc == ZC_OK && before)
        rc = load_one(s, NULL, k, k->create_col, keybuf, k->scope_by == RS_CADRE || !k->key_int,
                      false, &before_m, err);
    if (rc == ZC_OK && w->unmask)
        rc = load_one(s, NULL, k, k->create_col, keybuf, k->scope_by == RS_CADRE || !k->key_int,
                      true, &after, err);
    if (rc == ZC_OK && !after_m)
        rc = zc_error_set(err, ZC_ESTORE, "the record vanished after its import");
    if (rc == ZC_OK) {
        /* The audit record holds masked ID numbers: the change is evident
         * from the hash chain without copying personal data around. */
        struct audit_entry e;
        char action[48], target[80];
        char *oj = NULL, *nj = dump(after_m);
        json_t *old_masked = NULL;
        if (before) {
            /* before_m was read after the import; re-derive the old record
             * masked from the unmasked copy taken before it. */
            old_masked = json_deep_copy(before);
            for (size_t i = 0; i < k->ncols; i++) {
                json_t *v = json_object_get(old_masked, k->cols[i].key);
                if (k->cols[i].type == RCT_IDNUM && json_is_string(v)) {
                    char m[64];
                    idcard_mask(json_string_value(v), m, sizeof(m));
                    json_object_set_new(old_masked, k->cols[i].key, json_string(m));
                }
            }
            coarsen_masked(old_masked);
            oj = dump(old_masked);
        }
        memset(&e, 0, sizeof(e));
        snprintf(action, sizeof(action), "%s.%s", k->one, before ? "update" : "create");
        {
            json_t *id = json_object_get(after_m, k->scope_by == RS_CADRE ? "id" : k->create_key);
            struct buf t = {0};
            cell_text(id, &t);
            snprintf(target, sizeof(target), "%s", buf_cstr(&t));
            buf_fini(&t);
        }
        e.actor = w->who.acct.name;
        e.addr = w->addr;
        e.action = action;
        e.target = target;
        e.division = record_division(k, after_m);
        e.old_json = oj;
        e.new_json = nj;
        rc = audit_append(s, &e, err);
        free(oj);
        free(nj);
        json_decref(old_masked);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc == ZC_OK) {
        w->status = before ? 200 : 201;
        w->result = w->unmask ? json_incref(after) : json_incref(after_m);
    }
done:
    if (rc != ZC_OK)
        store_rollback(s);
    json_decref(before);
    json_decref(before_m);
    json_decref(after);
    json_decref(after_m);
    json_decref(rec);
    buf_fini(&csv);
    return rc;
}

/* Report lines "FILE:ROW:COLUMN: message" as objects. */
json_t *http_import_details(const struct import_report *rep)
{
    json_t *a = json_array();
    for (size_t i = 0; i < rep->nlines; i++) {
        const char *l = rep->lines[i];
        const char *c1 = strchr(l, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        const char *c3 = c2 ? strchr(c2 + 1, ':') : NULL;
        json_t *o = json_object();
        if (c1 && c2 && c3) {
            json_object_set_new(o, "file", json_stringn(l, (size_t)(c1 - l)));
            json_object_set_new(o, "row", json_integer(strtoll(c1 + 1, NULL, 10)));
            json_object_set_new(o, "column", json_stringn(c2 + 1, (size_t)(c3 - c2 - 1)));
            json_object_set_new(o, "message", json_string(c3[1] == ' ' ? c3 + 2 : c3 + 1));
        } else {
            json_object_set_new(o, "message", json_string(l));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static void write_done(struct http_req *r)
{
    struct write_ctx *w = r->ctx;
    struct http_job *j = r->job;
    if (j->rc == ZC_OK) {
        http_json(r, w->status, json_incref(w->result));
        return;
    }
    if (w->out_of_scope) {
        http_error(r, 403, "forbidden", "%s", j->err.msg);
    } else if (j->rc == ZC_EINVAL && w->rep.nlines) {
        json_t *m = json_string(j->err.msg);
        http_json(r, 400,
                  json_pack("{s:{s:s, s:o, s:o}}", "error", "code", "invalid_input", "message",
                            m ? m : json_string("invalid record"), "details",
                            http_import_details(&w->rep)));
    } else {
        http_zc_error(r, &j->err);
    }
}

static void write_kind(struct http_req *r, const struct registry_listing *k, enum write_mode mode)
{
    struct write_ctx *w;
    json_t *body;
    const char *key;
    json_t *v;
    if (!http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot change the ledger",
                   auth_role_name(r->who.acct.role));
        return;
    }
    body = http_json_body(r);
    if (!body)
        return;
    json_object_foreach(body, key, v)
    {
        if (!is_import_key(k, key)) {
            http_error(r, 400, "invalid_input", "unknown or read-only field '%s'", key);
            json_decref(body);
            return;
        }
    }
    w = zc_calloc(1, sizeof(*w));
    w->k = k;
    w->mode = mode;
    w->who = r->who;
    w->body = body;
    w->unmask = http_sees_id_numbers(r);
    snprintf(w->addr, sizeof(w->addr), "%s", r->addr);
    if (mode != WM_CREATE)
        snprintf(w->key, sizeof(w->key), "%s", r->params[0]);
    r->ctx = w;
    r->ctx_free = write_ctx_free;
    http_defer(r, write_run, true, write_done);
}

/* ---- handlers --------------------------------------------------------------------- */

#define KIND_HANDLERS(fn, name)                                                                    \
    void api_list_##fn(struct http_req *r)                                                         \
    {                                                                                              \
        list_kind(r, kind_get(name));                                                              \
    }                                                                                              \
    void api_get_##fn(struct http_req *r)                                                          \
    {                                                                                              \
        get_kind(r, kind_get(name));                                                               \
    }

#define KIND_WRITERS(fn, name)                                                                     \
    void api_create_##fn(struct http_req *r)                                                       \
    {                                                                                              \
        write_kind(r, kind_get(name), WM_CREATE);                                                  \
    }                                                                                              \
    void api_replace_##fn(struct http_req *r)                                                      \
    {                                                                                              \
        write_kind(r, kind_get(name), WM_REPLACE);                                                 \
    }                                                                                              \
    void api_patch_##fn(struct http_req *r)                                                        \
    {                                                                                              \
        write_kind(r, kind_get(name), WM_MERGE);                                                   \
    }

KIND_HANDLERS(villages, "villages")
KIND_HANDLERS(cadres, "cadres")
KIND_HANDLERS(units, "units")
KIND_HANDLERS(households, "households")
KIND_HANDLERS(divisions, "divisions")
KIND_HANDLERS(posts, "posts")
KIND_WRITERS(villages, "villages")
KIND_WRITERS(cadres, "cadres")
KIND_WRITERS(units, "units")
KIND_WRITERS(households, "households")
KIND_WRITERS(posts, "posts")

/* DELETE /api/v1/posts/:code: as `zhucun post remove` (a post no plan
 * holds), for writers whose jurisdiction holds the post's division;
 * audited in the transaction. */
struct post_remove_ctx {
    struct auth_principal who;
    char addr[64];
    char code[65];
    int64_t division;
};

static int post_remove_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct post_remove_ctx *c = j->req->ctx;
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = registry_post_remove(s, c->code, err);
    if (rc == ZC_OK)
        rc = api_audit_write(s, &c->who, c->addr, "post.remove", c->code, c->division, NULL,
                             json_pack("{s:s}", "code", c->code), err);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void post_remove_done(struct http_req *r)
{
    struct post_remove_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:b}", "code", c->code, "removed", 1));
}

void api_delete_posts(struct http_req *r)
{
    struct zc_error err = {0};
    struct zc_scope sc = http_scope_value(r);
    struct registry_post p;
    struct post_remove_ctx *c;
    if (!http_can_write(r)) {
        http_error(r, 403, "forbidden", "your role (%s) cannot change the ledger",
                   auth_role_name(r->who.acct.role));
        return;
    }
    if (registry_post_get(r->store, r->params[0], &p, &err) != ZC_OK ||
        (sc.level && !zc_scope_has(&sc, p.division))) {
        http_error(r, 404, "not_found", "no post %s in your jurisdiction", r->params[0]);
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    c->who = r->who;
    c->division = p.division;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    snprintf(c->code, sizeof(c->code), "%s", p.code);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, post_remove_run, true, post_remove_done);
}

/* Skills are a shared vocabulary: everyone reads, admins extend. */
static int skill_json(void *ud, const struct registry_skill *k)
{
    json_array_append_new(ud,
                          json_pack("{s:s, s:s, s:s, s:b}", "code", k->code, "name_zh", k->name_zh,
                                    "name_en", k->name_en, "builtin", (int)k->builtin));
    return ZC_OK;
}

void api_list_skills(struct http_req *r)
{
    struct zc_error err = {0};
    json_t *items = json_array();
    int rc = skills_list(r->store, false, skill_json, items, &err);
    if (rc != ZC_OK) {
        json_decref(items);
        http_zc_error(r, &err);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

struct skill_ctx {
    char code[40], zh[100], en[100]; /* the skill */
    struct auth_principal who;       /* caller */
    char addr[64];                   /* address */
};

static int skill_run(struct store *s, struct http_job *j, struct zc_error *err)
{
    struct skill_ctx *c = j->req->ctx;
    struct audit_entry e;
    json_t *o = json_pack("{s:s, s:s, s:s}", "code", c->code, "name_zh", c->zh, "name_en", c->en);
    char *nj = dump(o);
    int rc = skills_add(s, c->code, c->zh, c->en, err);
    memset(&e, 0, sizeof(e));
    e.actor = c->who.acct.name;
    e.addr = c->addr;
    e.action = "skill.add";
    e.target = c->code;
    e.new_json = nj;
    if (rc == ZC_OK)
        rc = audit_append(s, &e, err);
    free(nj);
    json_decref(o);
    return rc;
}

static void skill_done(struct http_req *r)
{
    struct skill_ctx *c = r->ctx;
    if (r->job->rc != ZC_OK) {
        http_zc_error(r, &r->job->err);
        return;
    }
    http_json(r, 201,
              json_pack("{s:s, s:s, s:s}", "code", c->code, "name_zh", c->zh, "name_en", c->en));
}

void api_add_skill(struct http_req *r)
{
    const char *code = NULL, *zh = NULL, *en = NULL;
    struct skill_ctx *c;
    json_t *body;
    if (r->who.acct.role != AUTH_ADMIN && r->who.acct.role != AUTH_PROVINCE) {
        http_error(r, 403, "forbidden", "only admin and province accounts extend the skills");
        return;
    }
    body = http_json_body(r);
    if (!body)
        return;
    if (json_unpack(body, "{s:s, s:s, s?s}", "code", &code, "name_zh", &zh, "name_en", &en) != 0 ||
        strlen(code) >= 40 || strlen(zh) >= 100 || (en && strlen(en) >= 100)) {
        json_decref(body);
        http_error(r, 400, "invalid_input", "expected {\"code\", \"name_zh\", \"name_en\"}");
        return;
    }
    c = zc_calloc(1, sizeof(*c));
    snprintf(c->code, sizeof(c->code), "%s", code);
    snprintf(c->zh, sizeof(c->zh), "%s", zh);
    snprintf(c->en, sizeof(c->en), "%s", en ? en : code);
    c->who = r->who;
    snprintf(c->addr, sizeof(c->addr), "%s", r->addr);
    json_decref(body);
    r->ctx = c;
    r->ctx_free = free;
    http_defer(r, skill_run, true, skill_done);
}
