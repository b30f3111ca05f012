/* SPDX-License-Identifier: MIT */
/* import.c - the all-or-nothing import engine and the export driver.
 *
 * Rows stream from the sheet reader into the kind's row() function inside
 * one transaction. While the file is clean, each row is upserted as soon as
 * it is validated (on PostgreSQL: kept and sent with others, by one INSERT
 * of many rows or, for a large file, by COPY into a staging table merged at
 * the end; see IMPORT_COPY_ROWS); after the first bad cell nothing more is written but
 * validation goes on, so the user sees every error in one run. At the end a
 * file with errors is rolled back, a clean one committed. Memory stays
 * bounded by the row, plus the set of keys seen (for duplicates in a file). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/division.h"
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
    for (size_t i = 0; i < r->nremapped_lines; i++)
        free(r->remapped_lines[i]);
    free(r->remapped_lines);
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

void import_note_original(struct import_ctx *c, size_t col, int64_t was, int64_t now)
{
    struct import_report *r = c->rep;
    char a[13], b[13];
    if (r->nremapped_lines >= IMPORT_MAX_REPORTED)
        return;
    division_format(was, division_level_of(was), a);
    division_format(now, division_level_of(now), b);
    r->remapped_lines =
        zc_reallocarray(r->remapped_lines, r->nremapped_lines + 1, sizeof(*r->remapped_lines));
    {
        struct buf line = {0};
        buf_printf(&line, "%s:%zu:%s: %s -> %s", c->file, c->rowno,
                   c->header_text[col] ? c->header_text[col] : c->kind->cols[col].zh, a, b);
        r->remapped_lines[r->nremapped_lines++] = buf_steal(&line);
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

/* Rows per INSERT where writes are sent ahead: past some tens the server's
 * cost per statement is shared out and the statement's text still small. */
#define IMPORT_UPSERT_ROWS 64
/* Where the store has COPY (PostgreSQL), a file of more rows than one such
 * INSERT goes by COPY instead: its rows, this many at a time, into a
 * staging table (registry_sql_stage_create), then into the kind's table
 * with one INSERT ... SELECT with the upsert's conflict clause at the end
 * of the file (upsert_finish). Every row is checked in C first, as on
 * every path, so the messages are the same; a failure of the COPY or of
 * the merge (a constraint of the table) is a store error, and
 * registry_run_located runs the file again row by row to name the row.
 * A smaller file stays with the one INSERT: creating the staging table
 * costs more than its rows. */
#define IMPORT_COPY_ROWS 4096

struct import_upsert {
    struct store *s;
    char *table;        /* for the SQL of many rows */
    const char **names; /* columns */
    bool *set;          /* updated when they differ */
    int *original_of;   /* struct upsert_col: the column whose original it holds, or -1 */
    size_t ncols;
    struct store_stmt *one;  /* one row: the kind's own statement */
    struct store_stmt *many; /* IMPORT_UPSERT_ROWS rows, the rest: prepared at first use */
    struct store_stmt *rest;
    struct store_arg *vals; /* rows kept: up to IMPORT_COPY_ROWS (with COPY) x ncols */
    size_t *off;            /* each text's offset in texts */
    struct buf texts;
    size_t kept;    /* rows */
    bool copying;   /* the rows go by COPY through the staging table */
    bool staged;    /* the staging table exists */
    char stage[80]; /* its name */
    int64_t merged; /* rows the merge changed */
};

static void import_upsert_close(struct import_upsert *u)
{
    if (!u)
        return;
    store_finalize(u->one);
    store_finalize(u->many);
    store_finalize(u->rest);
    free(u->table);
    free(u->names);
    free(u->set);
    free(u->original_of);
    free(u->vals);
    free(u->off);
    buf_fini(&u->texts);
    free(u);
}

static int prepare_rows(struct import_upsert *u, size_t rows, struct store_stmt **out,
                        struct zc_error *err)
{
    struct buf sql = {0};
    int rc;
    registry_sql_upsert(&sql, u->table, u->names, u->ncols, u->set, u->original_of, rows);
    rc = store_prepare(u->s, buf_cstr(&sql), out, err);
    buf_fini(&sql);
    return rc;
}

int import_prepare_upsert(struct import_ctx *c, const char *table, const struct upsert_col *cols,
                          size_t n, struct store_stmt **out, struct zc_error *err)
{
    struct import_upsert *u = zc_calloc(1, sizeof(*u));
    int rc;

    ZC_ASSERT(!c->upsert);
    u->s = c->s;
    u->table = zc_strdup(table);
    u->ncols = n;
    u->names = zc_calloc(n, sizeof(*u->names));
    u->set = zc_calloc(n, sizeof(*u->set));
    u->original_of = zc_calloc(n, sizeof(*u->original_of));
    for (size_t i = 0; i < n; i++) {
        u->names[i] = cols[i].name;
        u->set[i] = i > 0 && (cols[i].from < 0 || import_has_col(c, (size_t)cols[i].from));
        u->original_of[i] = -1;
        for (size_t j = 0; cols[i].original_of && j < n; j++)
            if (strcmp(cols[j].name, cols[i].original_of) == 0)
                u->original_of[i] = (int)j;
        ZC_ASSERT(!cols[i].original_of || u->original_of[i] >= 0);
    }
    rc = prepare_rows(u, 1, &u->one, err);
    *out = u->one;
    c->upsert = u;
    return rc;
}

static int stage_exec(struct import_upsert *u, struct buf *sql, struct zc_error *err)
{
    int rc = store_exec(u->s, buf_cstr(sql), err);
    buf_reset(sql);
    return rc;
}

/* The rows kept, as one statement (or one COPY into the staging table,
 * made at the first); then none is. */
static int upsert_flush(struct import_upsert *u, struct zc_error *err)
{
    struct store_stmt **st = u->kept == IMPORT_UPSERT_ROWS ? &u->many : &u->rest;
    int rc = ZC_OK;
    if (!u->kept)
        return ZC_OK;
    if (!u->copying && !*st)
        rc = prepare_rows(u, u->kept, st, err);
    for (size_t i = 0; rc == ZC_OK && i < u->kept * u->ncols; i++)
        if (u->vals[i].type == STORE_ARG_TEXT)
            u->vals[i].s = u->texts.p + u->off[i];
    if (rc == ZC_OK && u->copying) {
        if (!u->staged) {
            struct buf sql = {0};
            snprintf(u->stage, sizeof(u->stage), "zc_stage_%s", u->table);
            registry_sql_stage_create(&sql, u->stage, u->table, u->names, u->ncols);
            rc = stage_exec(u, &sql, err);
            buf_fini(&sql);
            u->staged = rc == ZC_OK;
        }
        if (rc == ZC_OK)
            rc = store_copy(u->s, u->stage, u->names, u->ncols, u->vals, u->kept, err);
    } else if (rc == ZC_OK) {
        store_bind_args(*st, u->vals, u->kept * u->ncols);
        rc = store_run(*st, err);
    }
    u->kept = 0;
    buf_reset(&u->texts);
    return rc;
}

/* The end of the file's rows: the rows kept, and the staged ones merged
 * into the table (the merge's changes are the file's), the stage dropped so
 * that another import in the same transaction makes its own. */
static int upsert_finish(struct import_upsert *u, struct zc_error *err)
{
    struct buf sql = {0};
    int rc = upsert_flush(u, err);
    if (rc != ZC_OK || !u->staged) {
        buf_fini(&sql);
        return rc;
    }
    if (registry_sql_stage_update(&sql, u->stage, u->table, u->names, u->ncols, u->set,
                                  u->original_of)) {
        rc = stage_exec(u, &sql, err);
        if (rc == ZC_OK)
            u->merged = store_changes(u->s);
    }
    if (rc == ZC_OK) {
        registry_sql_stage_insert(&sql, u->stage, u->table, u->names, u->ncols, u->set,
                                  u->original_of);
        rc = stage_exec(u, &sql, err);
    }
    if (rc == ZC_OK) {
        u->merged += store_changes(u->s);
        registry_sql_stage_drop(&sql, u->stage);
        rc = stage_exec(u, &sql, err);
        u->staged = false;
    }
    buf_fini(&sql);
    return rc;
}

int import_upsert_row(struct import_ctx *c, const struct store_arg *args, struct zc_error *err)
{
    struct import_upsert *u = c->upsert;
    struct store_arg *v;
    if (!store_defers_writes(c->s)) {
        store_bind_args(u->one, args, u->ncols);
        return store_run(u->one, err);
    }
    if (!u->vals) {
        size_t rows = store_can_copy(u->s) ? IMPORT_COPY_ROWS : IMPORT_UPSERT_ROWS;
        u->vals = zc_calloc(rows * u->ncols, sizeof(*u->vals));
        u->off = zc_calloc(rows * u->ncols, sizeof(*u->off));
    }
    v = &u->vals[u->kept * u->ncols];
    for (size_t i = 0; i < u->ncols; i++) {
        v[i] = args[i];
        if (v[i].type == STORE_ARG_TEXT && !v[i].s)
            v[i].type = STORE_ARG_NULL;
        if (v[i].type == STORE_ARG_TEXT) {
            u->off[u->kept * u->ncols + i] = u->texts.len;
            buf_append(&u->texts, v[i].s, strlen(v[i].s) + 1);
        }
    }
    if (++u->kept == IMPORT_UPSERT_ROWS && !u->copying && store_can_copy(u->s))
        u->copying = true; /* more rows than one INSERT: by COPY, IMPORT_COPY_ROWS at a time */
    if (u->kept == (u->copying ? IMPORT_COPY_ROWS : IMPORT_UPSERT_ROWS))
        return upsert_flush(u, err);
    return ZC_OK;
}

/* The rows the kind's upsert changed, all of its statements together. */
static int64_t upsert_changes(struct import_upsert *u)
{
    return store_stmt_changes(u->one) + (u->many ? store_stmt_changes(u->many) : 0) +
           (u->rest ? store_stmt_changes(u->rest) : 0) + u->merged;
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

/* ---- bytes to numbers: open addressing over (hash, offset, length, value) */

struct key_slot {
    uint64_t hash; /* 0 = empty */
    size_t off;    /* key offset in keys */
    size_t len;    /* key length */
    size_t value;  /* not 0 */
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

/* The slot holding key[0..n), or the empty one where it would go. */
static struct key_slot *key_slot_of(const struct key_index *x, uint64_t h, const char *key,
                                    size_t n)
{
    size_t i = h & (x->cap - 1);
    while (x->slots[i].hash) {
        const struct key_slot *k = &x->slots[i];
        if (k->hash == h && k->len == n && memcmp(x->keys.p + k->off, key, n) == 0)
            break;
        i = (i + 1) & (x->cap - 1);
    }
    return &x->slots[i];
}

size_t key_index_get(const struct key_index *x, const char *key, size_t n)
{
    if (!x->n)
        return 0;
    return key_slot_of(x, hash_bytes(key, n), key, n)->value;
}

size_t key_index_put(struct key_index *x, const char *key, size_t n, size_t value)
{
    uint64_t h = hash_bytes(key, n);
    struct key_slot *k;
    if ((x->n + 1) * 2 > x->cap) {
        struct key_slot *old = x->slots;
        size_t ocap = x->cap;
        x->cap = x->cap ? x->cap * 2 : 1024;
        x->slots = zc_calloc(x->cap, sizeof(*x->slots));
        for (size_t i = 0; i < ocap; i++) {
            size_t j;
            if (!old[i].hash)
                continue;
            j = old[i].hash & (x->cap - 1);
            while (x->slots[j].hash)
                j = (j + 1) & (x->cap - 1);
            x->slots[j] = old[i];
        }
        free(old);
    }
    k = key_slot_of(x, h, key, n);
    if (k->hash)
        return k->value;
    k->hash = h;
    k->off = x->keys.len;
    k->len = n;
    k->value = value;
    buf_append(&x->keys, key, n);
    x->n++;
    return 0;
}

void key_index_fini(struct key_index *x)
{
    free(x->slots);
    buf_fini(&x->keys);
    memset(x, 0, sizeof(*x));
}

/* ---- stored rows by key ------------------------------------------------- */

struct stored_entry {
    int64_t value;
    size_t text; /* offset of its texts (each NUL-terminated) in texts */
    bool found;
};

struct stored_rows {
    struct store *s;
    struct store_stmt *one; /* ?1 the key -> value, texts */
    const char *all;        /* key, value, texts of every row */
    int ntexts;             /* text columns after the value */
    int64_t rows;           /* in the table when opened */
    size_t asked;           /* keys asked one at a time */
    bool loaded;            /* every row is in memory */
    struct key_index index; /* key -> entry + 1 */
    struct stored_entry *v;
    size_t n, cap;
    struct buf texts;
    const char *text[2]; /* the last answer's */
};

/* Once the keys asked one at a time reach this fraction of the table's
 * rows, reading them all costs less than asking on: on PostgreSQL a row of
 * a bulk read costs about a fifteenth of a query's round trip, so reading
 * all at that point costs at most twice the cheaper way. */
#define STORED_ROWS_RATIO 16

int stored_rows_open(struct store *s, const char *one, const char *all, int ntexts, int64_t rows,
                     struct stored_rows **out, struct zc_error *err)
{
    struct stored_rows *r = zc_calloc(1, sizeof(*r));
    int rc = store_prepare(s, one, &r->one, err);
    ZC_ASSERT(ntexts >= 0 && ntexts <= 2);
    r->s = s;
    r->all = all;
    r->ntexts = ntexts;
    r->rows = rows;
    r->text[0] = r->text[1] = "";
    if (rc != ZC_OK) {
        stored_rows_close(r);
        r = NULL;
    }
    *out = r;
    return rc;
}

void stored_rows_close(struct stored_rows *r)
{
    if (!r)
        return;
    store_finalize(r->one);
    key_index_fini(&r->index);
    free(r->v);
    buf_fini(&r->texts);
    free(r);
}

/* Remember the row `q` is on (from column `col`: the value, then the
 * texts), or with q NULL that the key has none. */
static void stored_add(struct stored_rows *r, const char *key, size_t n, struct store_stmt *q,
                       int col)
{
    struct stored_entry *e;
    if (key_index_get(&r->index, key, n))
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->v = zc_reallocarray(r->v, r->cap, sizeof(*r->v));
    }
    e = &r->v[r->n];
    e->found = q != NULL;
    e->value = q ? store_col_int(q, col) : 0;
    e->text = r->texts.len;
    for (int i = 0; i < r->ntexts; i++) {
        const char *t = q ? store_col_text(q, col + 1 + i) : "";
        buf_append(&r->texts, t, strlen(t) + 1);
    }
    key_index_put(&r->index, key, n, ++r->n);
}

static int stored_load(struct stored_rows *r, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_prepare(r->s, r->all, &q, err);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        const char *key = store_col_text(q, 0);
        stored_add(r, key, strlen(key), q, 1);
    }
    store_finalize(q);
    r->loaded = rc == ZC_OK;
    return rc;
}

int stored_rows_get(struct stored_rows *r, const char *key, bool *found, int64_t *value,
                    struct zc_error *err)
{
    size_t n = strlen(key), i = key_index_get(&r->index, key, n);
    int rc = ZC_OK;
    if (!i && !r->loaded && store_defers_writes(r->s) &&
        (int64_t)(r->asked + 1) * STORED_ROWS_RATIO >= r->rows) {
        rc = stored_load(r, err);
        i = key_index_get(&r->index, key, n);
    }
    if (rc == ZC_OK && !i && !r->loaded) {
        bool row = false;
        r->asked++;
        store_bind_text(r->one, 1, key, n);
        rc = store_step(r->one, &row, err);
        if (rc == ZC_OK)
            stored_add(r, key, n, row ? r->one : NULL, 0);
        store_reset(r->one);
        i = key_index_get(&r->index, key, n);
    }
    *found = false;
    *value = 0;
    r->text[0] = r->text[1] = "";
    if (rc != ZC_OK || !i)
        return rc;
    {
        const struct stored_entry *e = &r->v[i - 1];
        const char *t = r->texts.p + e->text;
        *found = e->found;
        *value = e->value;
        for (int k = 0; k < r->ntexts; k++, t += strlen(t) + 1)
            r->text[k] = t;
    }
    return ZC_OK;
}

const char *stored_rows_text(const struct stored_rows *r, int k)
{
    return r->text[k];
}

struct engine {
    struct import_ctx ctx;    /* what kinds see */
    bool have_header;         /* header row read */
    size_t *map;              /* file column -> kind column (SIZE_MAX = ignored) */
    size_t nmap;              /* file columns */
    struct sheet_cell *cells; /* per kind column, for the current row */
    struct key_index seen;    /* natural keys seen -> the row that had it */
    int store_rc;             /* first store failure */
};

size_t import_seen(struct import_ctx *c, const char *key, size_t n)
{
    struct engine *e = (struct engine *)c; /* ctx is the first member */
    return key_index_put(&e->seen, key, n, c->rowno);
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
    if (rc != ZC_OK && rc != ZC_EFORBIDDEN && !store_defers_writes(e->ctx.s))
        /* The write failed at its own step: this row's (with writes sent
         * ahead it may be an earlier row's; run_import finds which). */
        zc_error_prefix(err, "%s:%zu", e->ctx.file, e->ctx.rowno);
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

static int import_once(struct store *s, const struct import_kind *k, const char *name,
                       const char *path, const void *data, size_t size,
                       const struct zc_scope *scope, struct import_report *rep,
                       struct zc_error *err)
{
    struct engine e;
    int64_t before = 0, after = 0;
    bool began = false;
    int rc;

    memset(rep, 0, sizeof(*rep));
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
    e.ctx.existing = before;
    if (path)
        rc = sheet_read_file(path, NULL, on_row, &e, err);
    else
        rc = sheet_read_mem(name, data, size, SHEET_AUTO, NULL, on_row, &e, err);
    if (rc == ZC_OK && e.have_header && !rep->nerrors && e.ctx.upsert)
        rc = upsert_finish(e.ctx.upsert, err); /* the rows kept, before finish() reads */
    if (rc == ZC_OK && e.have_header && !rep->nerrors && k->finish)
        rc = k->finish(&e.ctx, err);
    /* The file's changes from its statements' own count, asked once (with
     * writes sent ahead: the one round trip that reads their results). */
    if (rc == ZC_OK && e.ctx.upsert)
        e.ctx.changes = upsert_changes(e.ctx.upsert);
    k->end(&e.ctx);
    import_upsert_close(e.ctx.upsert);
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
    key_index_fini(&e.seen);
    return rc;
}

int registry_run_located(struct store *s, int (*fn)(void *ud, struct zc_error *err), void *ud,
                         struct zc_error *err)
{
    int rc = fn(ud, err);
    if ((rc == ZC_ESTORE || rc == ZC_ECONFLICT) && store_defers_writes(s)) {
        /* A write sent ahead failed: its error names the statement, not the
         * row, and came back at a later row, at the end or at COMMIT.
         * Nothing of it stayed (rolled back). Run it again with every write
         * waiting for its own answer, so that the failure comes back at its
         * row and is named there; rare, and only then is the file read
         * twice. */
        struct zc_error first = *err;
        store_set_defer_writes(s, false);
        rc = fn(ud, err);
        store_set_defer_writes(s, true);
        if (rc != ZC_OK && rc != ZC_ESTORE && rc != ZC_ECONFLICT) {
            *err = first; /* failed otherwise this time: the first answer stands */
            rc = first.code;
        }
    }
    return rc;
}

struct import_args {
    struct store *s;
    const struct import_kind *k;
    const char *name, *path;
    const void *data;
    size_t size;
    const struct zc_scope *scope;
    struct import_report *rep;
};

static int import_run(void *ud, struct zc_error *err)
{
    struct import_args *a = ud;
    import_report_fini(a->rep); /* a second run starts afresh */
    return import_once(a->s, a->k, a->name, a->path, a->data, a->size, a->scope, a->rep, err);
}

static int run_import(struct store *s, enum registry_kind kind, const char *name, const char *path,
                      const void *data, size_t size, const struct zc_scope *scope,
                      struct import_report *rep, struct zc_error *err)
{
    struct import_args a = {s, kind_of(kind), name, path, data, size, scope, rep};
    memset(rep, 0, sizeof(*rep));
    if (!text_is_clean(name))
        return zc_error_set(err, ZC_EINVAL,
                            "the file name holds control characters or is not UTF-8; rename it");
    return registry_run_located(s, import_run, &a, err);
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
                       bool with_demo, bool with_was, struct tw_column **cols_out,
                       struct tablewriter **w, FILE **fp_out, struct zc_error *err)
{
    struct tw_column *cols = zc_calloc(k->ncols + k->nwas + 1, sizeof(*cols));
    size_t ncols = k->ncols;
    FILE *fp = stdout;
    int rc;

    for (size_t i = 0; i < k->ncols; i++) {
        cols[i].key = k->cols[i].key;
        cols[i].header = opt->chinese_headers ? k->cols[i].zh : k->cols[i].key;
        cols[i].type = k->cols[i].type;
        cols[i].width = k->cols[i].width;
    }
    for (size_t i = 0; with_was && i < k->nwas; i++, ncols++) {
        cols[ncols].key = k->was[i].key;
        cols[ncols].header = opt->chinese_headers ? k->was[i].zh : k->was[i].key;
        cols[ncols].type = TW_TEXT;
        cols[ncols].width = 14;
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
    int64_t ndemo = 0, nwas = 0;
    bool row = false;
    int rc;
    char(*was_text)[13] = NULL;

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
        k->end(&ctx);
        import_upsert_close(ctx.upsert);
        store_finalize(st);
        return rc;
    }
    {
        struct buf sql = {0};
        registry_sql_count(&sql, k->table, true);
        rc = store_query_int(s, buf_cstr(&sql), &ndemo, err);
        buf_reset(&sql);
        if (rc == ZC_OK && k->nwas) {
            registry_sql_count_set(&sql, k->table, k->was, k->nwas);
            rc = store_query_int(s, buf_cstr(&sql), &nwas, err);
        }
        buf_fini(&sql);
    }
    if (rc == ZC_OK)
        rc = open_writer(k, opt, ndemo > 0, nwas > 0, &cols, &w, &fp, err);
    if (rc != ZC_OK)
        goto done;
    cells = zc_calloc(k->ncols + k->nwas + 1, sizeof(*cells));
    was_text = zc_calloc(k->nwas + 1, sizeof(*was_text));
    while ((rc = store_step(st, &row, err)) == ZC_OK && row) {
        size_t n = k->ncols;
        k->export_row(&ctx, st, opt->unmask, cells);
        for (size_t i = 0; nwas > 0 && i < k->nwas; i++, n++) {
            int col = (int)n;
            if (store_col_is_null(st, col) || (k->was[i].hidden_masked && !opt->unmask))
                cells[n] = "";
            else if (k->was[i].list)
                cells[n] = store_col_text(st, col);
            else
                cells[n] = export_division(st, col, was_text[i]);
        }
        if (ndemo > 0)
            cells[n] = store_col_int(st, store_col_count(st) - 1) ? "是" : "否";
        rc = tw_row(w, cells, err);
        if (rc != ZC_OK)
            break;
        (*nrows)++;
    }
    rc = close_writer(w, fp, cols, rc, err);
done:
    k->end(&ctx);
    import_upsert_close(ctx.upsert);
    store_finalize(st);
    free(cells);
    free(was_text);
    return rc;
}

int registry_template(enum registry_kind kind, const struct export_options *opt,
                      struct zc_error *err)
{
    const struct import_kind *k = kind_of(kind);
    struct tw_column *cols = NULL;
    struct tablewriter *w = NULL;
    FILE *fp = NULL;
    int rc = open_writer(k, opt, false, false, &cols, &w, &fp, err);
    if (rc != ZC_OK)
        return rc;
    return close_writer(w, fp, cols, ZC_OK, err);
}
