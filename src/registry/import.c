/* SPDX-License-Identifier: MIT */
/* import.c - the all-or-nothing import engine and the export driver.
 *
 * Rows stream from the sheet reader into the kind's row() function inside
 * one transaction. While the file is clean, each row is upserted as soon as
 * it is validated; after the first bad cell nothing more is written but
 * validation goes on, so the user sees every error in one run. At the end a
 * file with errors is rolled back, a clean one committed. Memory stays
 * bounded by the row, plus the set of keys seen (for duplicates in a file). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "registry_int.h"

static const struct import_kind *kind_of(enum registry_kind k)
{
    switch (k) {
    case REG_UNITS:
        return &import_kind_units;
    case REG_VILLAGES:
        return &import_kind_villages;
    case REG_CADRES:
        return &import_kind_cadres;
    case REG_HOUSEHOLDS:
        return &import_kind_households;
    case REG_MEMBERS:
        return &import_kind_members;
    case REG_POSTS:
        return &import_kind_posts;
    }
    return NULL;
}

int registry_kind_parse(const char *s, enum registry_kind *out, struct zc_error *err)
{
    static const struct {
        const char *name;
        enum registry_kind kind;
    } names[] = {
        {"units", REG_UNITS},           {"unit", REG_UNITS},           {"单位", REG_UNITS},
        {"villages", REG_VILLAGES},     {"village", REG_VILLAGES},     {"村", REG_VILLAGES},
        {"cadres", REG_CADRES},         {"cadre", REG_CADRES},         {"干部", REG_CADRES},
        {"households", REG_HOUSEHOLDS}, {"household", REG_HOUSEHOLDS}, {"贫困户", REG_HOUSEHOLDS},
        {"members", REG_MEMBERS},       {"member", REG_MEMBERS},       {"家庭成员", REG_MEMBERS},
        {"posts", REG_POSTS},           {"post", REG_POSTS},           {"挂职岗位", REG_POSTS},
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].kind;
            return ZC_OK;
        }
    }
    return zc_error_set(
        err, ZC_EUSAGE,
        "unknown kind '%s': use units, villages, cadres, households, members or posts", s);
}

const char *registry_kind_name(enum registry_kind k)
{
    return kind_of(k)->name;
}

void import_report_fini(struct import_report *r)
{
    for (size_t i = 0; i < r->nlines; i++)
        free(r->lines[i]);
    free(r->lines);
    free(r->ignored);
    free(r->historical);
    memset(r, 0, sizeof(*r));
}

void import_bad(struct import_ctx *c, size_t col, const char *fmt, ...)
{
    struct import_report *r = c->rep;
    r->nerrors++;
    if (r->nlines < IMPORT_MAX_REPORTED) {
        struct buf b = {0};
        va_list ap;
        buf_printf(&b, "%s:%zu:%s: ", c->file, c->rowno,
                   c->header_text[col] ? c->header_text[col] : c->kind->cols[col].zh);
        va_start(ap, fmt);
        buf_vprintf(&b, fmt, ap);
        va_end(ap);
        r->lines = zc_reallocarray(r->lines, r->nlines + 1, sizeof(*r->lines));
        r->lines[r->nlines++] = buf_steal(&b);
    }
}

bool import_failed(const struct import_ctx *c)
{
    return c->rep->nerrors > 0;
}

bool import_has_col(const struct import_ctx *c, size_t col)
{
    return c->header_text && c->header_text[col] != NULL;
}

int import_prepare_upsert(struct import_ctx *c, const char *table, const struct upsert_col *cols,
                          size_t n, struct store_stmt **out, struct zc_error *err)
{
    struct buf sql = {0};
    const char **names = zc_calloc(n, sizeof(*names));
    bool *set = zc_calloc(n, sizeof(*set));
    int rc;

    for (size_t i = 0; i < n; i++) {
        names[i] = cols[i].name;
        set[i] = i > 0 && (cols[i].from < 0 || import_has_col(c, (size_t)cols[i].from));
    }
    registry_sql_upsert(&sql, table, names, n, set);
    rc = store_prepare(c->s, buf_cstr(&sql), out, err);
    buf_fini(&sql);
    free(names);
    free(set);
    return rc;
}

int import_scope_check(struct import_ctx *c, size_t col, const char *what, bool has, int64_t code,
                       struct zc_error *err)
{
    const char *where =
        c->header_text && c->header_text[col] ? c->header_text[col] : c->kind->cols[col].zh;
    if (!c->scoped)
        return ZC_OK;
    if (c->scope.cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN,
                            "%s:%zu:%s: a cadre's account does not change the ledger", c->file,
                            c->rowno, where);
    if (has && zc_scope_has(&c->scope, code))
        return ZC_OK;
    return zc_error_set(err, ZC_EFORBIDDEN,
                        "%s:%zu:%s: %s is outside your jurisdiction; nothing was imported", c->file,
                        c->rowno, where, what);
}

int import_scope_lookup(struct store_stmt *q, const char *key, bool *found, bool *has,
                        int64_t *code, struct zc_error *err)
{
    bool row = false;
    int rc;
    store_bind_cstr(q, 1, key);
    rc = store_step(q, &row, err);
    *found = rc == ZC_OK && row;
    *has = *found && !store_col_is_null(q, 0);
    *code = *has ? store_col_int(q, 0) : 0;
    store_reset(q);
    return rc;
}

int import_scope_check_both(struct import_ctx *c, size_t col, struct store_stmt *stored,
                            const char *key, const char *what, int64_t code, struct zc_error *err)
{
    bool found, has_old;
    int64_t old;
    if (!c->scoped)
        return ZC_OK;
    if (import_scope_lookup(stored, key, &found, &has_old, &old, err) != ZC_OK ||
        import_scope_check(c, col, what, true, code, err) != ZC_OK ||
        (found && import_scope_check(c, col, what, has_old, old, err) != ZC_OK))
        return err->code;
    return ZC_OK;
}

void import_wrote(struct import_ctx *c, int64_t changed)
{
    c->changes += changed;
}

/* ---- keys seen in this file: open addressing over (hash, offset, row) --- */

struct seen_slot {
    uint64_t hash; /* 0 = empty */
    size_t off;    /* key offset in keys */
    size_t row;    /* row that had it */
};

struct seen_set {
    struct seen_slot *slots; /* table, power-of-two size */
    size_t cap;              /* slots */
    size_t n;                /* used */
    struct buf keys;         /* NUL-separated keys */
};

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static size_t seen_check(struct seen_set *s, const char *key, size_t n, size_t row)
{
    uint64_t h = hash_bytes(key, n);
    size_t i;
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        struct seen_slot *ns = zc_calloc(ncap, sizeof(*ns));
        for (size_t k = 0; k < s->cap; k++) {
            if (!s->slots[k].hash)
                continue;
            i = s->slots[k].hash & (ncap - 1);
            while (ns[i].hash)
                i = (i + 1) & (ncap - 1);
            ns[i] = s->slots[k];
        }
        free(s->slots);
        s->slots = ns;
        s->cap = ncap;
    }
    i = h & (s->cap - 1);
    while (s->slots[i].hash) {
        if (s->slots[i].hash == h) {
            const char *k = s->keys.p + s->slots[i].off;
            if (strlen(k) == n && memcmp(k, key, n) == 0)
                return s->slots[i].row;
        }
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i].hash = h;
    s->slots[i].off = s->keys.len;
    s->slots[i].row = row;
    buf_append(&s->keys, key, n);
    buf_putc(&s->keys, '\0');
    s->n++;
    return 0;
}

struct engine {
    struct import_ctx ctx;    /* what kinds see */
    bool have_header;         /* header row read */
    size_t *map;              /* file column -> kind column (SIZE_MAX = ignored) */
    size_t nmap;              /* file columns */
    struct sheet_cell *cells; /* per kind column, for the current row */
    struct seen_set seen;     /* natural keys seen */
    int store_rc;             /* first store failure */
};

size_t import_seen(struct import_ctx *c, const char *key, size_t n)
{
    struct engine *e = (struct engine *)c; /* ctx is the first member */
    return seen_check(&e->seen, key, n, c->rowno);
}

/* Normalise a header cell for matching: trim, drop a leading '*' and a
 * trailing "(...)" or "（...）", lower-case ASCII. */
static void header_key(const struct sheet_cell *v, char *out, size_t outsz)
{
    char *p, *q;
    cell_text(v, out, outsz);
    p = out;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        memmove(p, p + 3, strlen(p + 3) + 1);
    while (*p == '*' || *p == ' ')
        memmove(p, p + 1, strlen(p + 1) + 1);
    q = strchr(p, '(');
    if (q && q != p)
        *q = '\0';
    q = strstr(p, "（");
    if (q && q != p)
        *q = '\0';
    for (q = p + strlen(p); q > p && q[-1] == ' '; q--)
        q[-1] = '\0';
    for (q = p; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
}

static bool header_matches(const struct import_col *col, const char *key)
{
    const char *a;
    if (strcmp(key, col->key) == 0 || strcmp(key, col->zh) == 0)
        return true;
    for (a = col->aliases; a && *a;) {
        const char *e = strchr(a, '|');
        size_t n = e ? (size_t)(e - a) : strlen(a);
        if (strlen(key) == n && strncasecmp(key, a, n) == 0)
            return true;
        a += n;
        if (*a == '|')
            a++;
    }
    return false;
}

static int on_header(struct engine *e, const struct sheet_row *row, struct zc_error *err)
{
    const struct import_kind *k = e->ctx.kind;
    struct buf ignored = {0};
    char key[128];

    e->nmap = row->ncells;
    e->map = zc_calloc(row->ncells ? row->ncells : 1, sizeof(*e->map));
    for (size_t i = 0; i < row->ncells; i++) {
        e->map[i] = SIZE_MAX;
        header_key(&row->cells[i], key, sizeof(key));
        if (!key[0])
            continue;
        for (size_t j = 0; j < k->ncols; j++) {
            if (header_matches(&k->cols[j], key)) {
                if (e->ctx.header_text[j]) {
                    e->ctx.rowno = row->rowno;
                    import_bad(&e->ctx, j, "column appears twice (columns %s and %s)",
                               e->ctx.header_text[j], key);
                    break;
                }
                e->map[i] = j;
                e->ctx.header_text[j] = zc_strdup(key);
                break;
            }
        }
        if (e->map[i] == SIZE_MAX)
            buf_printf(&ignored, "%s%s", ignored.len ? ", " : "", key);
    }
    if (ignored.len)
        e->ctx.rep->ignored = buf_steal(&ignored);
    buf_fini(&ignored);
    e->ctx.rowno = row->rowno;
    for (size_t j = 0; j < k->ncols; j++) {
        if (k->cols[j].required && !e->ctx.header_text[j]) {
            e->ctx.header_text[j] = zc_strdup(k->cols[j].zh);
            import_bad(&e->ctx, j, "required column %s (%s) is missing from the header row",
                       k->cols[j].zh, k->cols[j].key);
        }
    }
    e->have_header = true;
    /* The kind prepares its statements now that it knows which columns the
     * file has. */
    return k->begin(&e->ctx, err);
}

static int on_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct engine *e = ud;
    const struct import_kind *k = e->ctx.kind;
    bool missing = false;
    int rc;

    if (!e->have_header)
        return on_header(e, row, err);
    e->ctx.rowno = row->rowno;
    e->ctx.rep->rows++;
    for (size_t j = 0; j < k->ncols; j++) {
        e->cells[j].p = "";
        e->cells[j].len = 0;
    }
    for (size_t i = 0; i < row->ncells && i < e->nmap; i++) {
        if (e->map[i] != SIZE_MAX)
            e->cells[e->map[i]] = row->cells[i];
    }
    for (size_t j = 0; j < k->ncols; j++) {
        if (k->cols[j].required && e->ctx.header_text[j] && cell_empty(&e->cells[j])) {
            import_bad(&e->ctx, j, "required value is empty");
            missing = true;
        }
    }
    if (missing)
        return ZC_OK;
    rc = k->row(&e->ctx, e->cells, err);
    if (rc != ZC_OK)
        e->store_rc = rc;
    return rc;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int count_rows(struct store *s, const char *table, int64_t *n, struct zc_error *err)
{
    struct buf sql = {0};
    int rc;
    registry_sql_count(&sql, table, false);
    rc = store_query_int(s, buf_cstr(&sql), n, err);
    buf_fini(&sql);
    return rc;
}

static int run_import(struct store *s, enum registry_kind kind, const char *name, const char *path,
                      const void *data, size_t size, const struct zc_scope *scope,
                      struct import_report *rep, struct zc_error *err)
{
    struct engine e;
    const struct import_kind *k = kind_of(kind);
    int64_t before = 0, after = 0;
    bool began = false;
    int rc;

    memset(rep, 0, sizeof(*rep));
    if (!text_is_clean(name))
        return zc_error_set(err, ZC_EINVAL,
                            "the file name holds control characters or is not UTF-8; rename it");
    memset(&e, 0, sizeof(e));
    e.ctx.s = s;
    e.ctx.kind = k;
    e.ctx.file = name;
    e.ctx.rep = rep;
    e.ctx.scope = scope ? *scope : zc_scope_all();
    e.ctx.scoped = scope && (scope->cadre != 0 || scope->level != 0);
    e.ctx.header_text = zc_calloc(k->ncols, sizeof(*e.ctx.header_text));
    e.cells = zc_calloc(k->ncols, sizeof(*e.cells));
    registry_today(&e.ctx.today_y, &e.ctx.today_m, &e.ctx.today_d);

    rc = store_begin_joined(s, err);
    if (rc != ZC_OK)
        goto done;
    began = true;
    rc = count_rows(s, k->table, &before, err);
    if (rc != ZC_OK)
        goto done;
    if (path)
        rc = sheet_read_file(path, NULL, on_row, &e, err);
    else
        rc = sheet_read_mem(name, data, size, SHEET_AUTO, NULL, on_row, &e, err);
    if (rc == ZC_OK && e.have_header && !rep->nerrors && k->finish)
        rc = k->finish(&e.ctx, err);
    k->end(&e.ctx);
    if (rc != ZC_OK)
        goto done;
    if (!e.have_header) {
        rc = zc_error_set(err, ZC_EINVAL, "%s: the file is empty (no header row)", name);
        goto done;
    }
    if (rep->nerrors) {
        rc = ZC_EINVAL;
        zc_error_set(err, ZC_EINVAL, "%s: %zu error%s; nothing was imported", name, rep->nerrors,
                     rep->nerrors == 1 ? "" : "s");
        goto done;
    }
    rc = count_rows(s, k->table, &after, err);
    if (rc != ZC_OK)
        goto done;
    rep->added = (size_t)(after - before);
    rep->updated = (size_t)e.ctx.changes - rep->added;
    rep->unchanged = rep->rows - rep->added - rep->updated;
    rc = store_commit(s, err);
    if (rc == ZC_OK)
        began = false;
done:
    if (began)
        store_rollback(s);
    for (size_t j = 0; j < k->ncols; j++)
        zc_free_const(e.ctx.header_text[j]);
    free(e.ctx.header_text);
    free(e.cells);
    free(e.map);
    free(e.seen.slots);
    buf_fini(&e.seen.keys);
    return rc;
}

int registry_import(struct store *s, enum registry_kind kind, const char *path,
                    const char *display_name, const struct zc_scope *scope,
                    struct import_report *rep, struct zc_error *err)
{
    return run_import(s, kind, display_name ? display_name : base_name(path), path, NULL, 0, scope,
                      rep, err);
}

int registry_import_mem(struct store *s, enum registry_kind kind, const char *name,
                        const void *data, size_t size, const struct zc_scope *scope,
                        struct import_report *rep, struct zc_error *err)
{
    return run_import(s, kind, name, NULL, data, size, scope, rep, err);
}

/* ---- export ------------------------------------------------------------- */

/* Generated demo rows are labelled wherever they appear: an export of a
 * registry that holds any gets a last column 演示数据 (demo) = 是/否. */
static const struct tw_column demo_column = {"demo", "演示数据", TW_TEXT, 8};

static int open_writer(const struct import_kind *k, const struct export_options *opt,
                       bool with_demo, struct tw_column **cols_out, struct tablewriter **w,
                       FILE **fp_out, struct zc_error *err)
{
    struct tw_column *cols = zc_calloc(k->ncols + 1, sizeof(*cols));
    size_t ncols = k->ncols;
    FILE *fp = stdout;
    int rc;

    for (size_t i = 0; i < k->ncols; i++) {
        cols[i].key = k->cols[i].key;
        cols[i].header = opt->chinese_headers ? k->cols[i].zh : k->cols[i].key;
        cols[i].type = k->cols[i].type;
        cols[i].width = k->cols[i].width;
    }
    if (with_demo) {
        cols[ncols] = demo_column;
        if (!opt->chinese_headers)
            cols[ncols].header = demo_column.key;
        ncols++;
    }
    *fp_out = NULL;
    if (opt->format == TW_XLSX && !opt->path) {
        free(cols);
        return zc_error_set(err, ZC_EUSAGE, "XLSX export needs an output file (-o FILE)");
    }
    if (opt->format != TW_XLSX && opt->path) {
        fp = fopen(opt->path, "wb");
        if (!fp) {
            free(cols);
            return zc_error_set(err, ZC_EIO, "%s: cannot create: %s", opt->path, strerror(errno));
        }
        *fp_out = fp;
    }
    rc = tw_open(opt->format, opt->path, fp, NULL, k->name, cols, ncols, w, err);
    if (rc != ZC_OK) {
        if (*fp_out)
            fclose(*fp_out);
        *fp_out = NULL;
        free(cols);
        return rc;
    }
    *cols_out = cols;
    return ZC_OK;
}

static int close_writer(struct tablewriter *w, FILE *fp, struct tw_column *cols, int rc,
                        struct zc_error *err)
{
    struct zc_error cerr = {0};
    int crc = tw_close(w, &cerr);
    if (fp && fclose(fp) != 0 && crc == ZC_OK)
        crc = zc_error_set(&cerr, ZC_EIO, "cannot finish writing the file: %s", strerror(errno));
    free(cols);
    if (rc == ZC_OK && crc != ZC_OK) {
        *err = cerr;
        rc = crc;
    }
    return rc;
}

int registry_export(struct store *s, enum registry_kind kind, const struct export_options *opt,
                    size_t *nrows, struct zc_error *err)
{
    const struct import_kind *k = kind_of(kind);
    struct import_ctx ctx;
    struct tw_column *cols = NULL;
    struct tablewriter *w = NULL;
    struct store_stmt *st = NULL;
    const char **cells = NULL;
    FILE *fp = NULL;
    int64_t ndemo = 0;
    bool row = false;
    int rc;

    *nrows = 0;
    memset(&ctx, 0, sizeof(ctx));
    ctx.s = s;
    ctx.kind = k;
    rc = store_prepare(s, k->export_sql, &st, err);
    if (rc != ZC_OK)
        return rc;
    /* Kinds that need lookups for export (skill names) load them in begin(). */
    rc = k->begin(&ctx, err);
    if (rc != ZC_OK) {
        store_finalize(st);
        return rc;
    }
    {
        struct buf sql = {0};
        registry_sql_count(&sql, k->table, true);
        rc = store_query_int(s, buf_cstr(&sql), &ndemo, err);
        buf_fini(&sql);
    }
    if (rc == ZC_OK)
        rc = open_writer(k, opt, ndemo > 0, &cols, &w, &fp, err);
    if (rc != ZC_OK)
        goto done;
    cells = zc_calloc(k->ncols + 1, sizeof(*cells));
    while ((rc = store_step(st, &row, err)) == ZC_OK && row) {
        k->export_row(&ctx, st, opt->unmask, cells);
        if (ndemo > 0)
            cells[k->ncols] = store_col_int(st, store_col_count(st) - 1) ? "是" : "否";
        rc = tw_row(w, cells, err);
        if (rc != ZC_OK)
            break;
        (*nrows)++;
    }
    rc = close_writer(w, fp, cols, rc, err);
done:
    k->end(&ctx);
    store_finalize(st);
    free(cells);
    return rc;
}

int registry_template(enum registry_kind kind, const struct export_options *opt,
                      struct zc_error *err)
{
    const struct import_kind *k = kind_of(kind);
    struct tw_column *cols = NULL;
    struct tablewriter *w = NULL;
    FILE *fp = NULL;
    int rc = open_writer(k, opt, false, &cols, &w, &fp, err);
    if (rc != ZC_OK)
        return rc;
    return close_writer(w, fp, cols, ZC_OK, err);
}
