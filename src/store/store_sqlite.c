/* SPDX-License-Identifier: MIT */
/* store_sqlite.c - the SQLite back end (the embedded default).
 *
 * Settings chosen for an office database that must not lose acknowledged
 * writes: WAL journal (readers never block the writer), synchronous=FULL
 * (the WAL is synced at every commit), foreign keys enforced, a busy
 * timeout so that a CLI command and the server can share one file. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "store_int.h"

struct sqlite_store {
    struct store base; /* must be first */
    sqlite3 *db;       /* connection */
    char *path;        /* file name, for messages */
};

struct sqlite_stmt {
    struct store_stmt base; /* must be first */
    sqlite3_stmt *st;       /* prepared statement */
    struct sqlite_store *s; /* owning connection */
    bool dml;               /* INSERT, UPDATE, DELETE or REPLACE: its changes are counted */
    int64_t changes;        /* rows it changed over its steps (store_stmt_changes) */
};

/* A statement whose changes sqlite3_changes() reports: other statements
 * (CREATE, SELECT) leave the count of the last one that did. */
static bool is_dml(const char *sql)
{
    static const char *const verbs[] = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
        sql++;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (sqlite3_strnicmp(sql, verbs[i], (int)strlen(verbs[i])) == 0)
            return true;
    return false;
}

static int sqlite_error(struct sqlite_store *s, int src, struct zc_error *err, const char *what)
{
    int code = (src & 0xff) == SQLITE_CONSTRAINT ? ZC_ECONFLICT : ZC_ESTORE;
    if ((src & 0xff) == SQLITE_FULL)
        code = ZC_EIO;
    return zc_error_set(err, code, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static void sq_close(struct store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

static int sq_exec(struct store *base, const char *sql, struct zc_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int src = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return sqlite_error(s, src, err, "cannot execute");
    return ZC_OK;
}

static int64_t sq_changes(struct store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    return sqlite3_changes64(s->db);
}

static int64_t sq_last_insert_id(struct store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    return sqlite3_last_insert_rowid(s->db);
}

static const struct store_stmt_ops sqlite_stmt_ops;

static int sq_prepare(struct store *base, const char *sql, struct store_stmt **out,
                      struct zc_error *err)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    struct sqlite_stmt *w;
    int src = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    *out = NULL;
    if (src != SQLITE_OK)
        return sqlite_error(s, src, err, "cannot prepare a statement");
    w = zc_calloc(1, sizeof(*w));
    w->base.ops = &sqlite_stmt_ops;
    w->st = st;
    w->s = s;
    w->dml = is_dml(sql);
    *out = &w->base;
    return ZC_OK;
}

static void st_finalize(struct store_stmt *base)
{
    struct sqlite_stmt *w = (struct sqlite_stmt *)base;
    sqlite3_finalize(w->st);
    free(w);
}

static void st_reset(struct store_stmt *base)
{
    struct sqlite_stmt *w = (struct sqlite_stmt *)base;
    sqlite3_reset(w->st);
    sqlite3_clear_bindings(w->st);
}

static void st_bind_int(struct store_stmt *base, int idx, int64_t v)
{
    sqlite3_bind_int64(((struct sqlite_stmt *)base)->st, idx, v);
}

static void st_bind_real(struct store_stmt *base, int idx, double v)
{
    sqlite3_bind_double(((struct sqlite_stmt *)base)->st, idx, v);
}

static void st_bind_text(struct store_stmt *base, int idx, const char *p, size_t n)
{
    sqlite3_bind_text64(((struct sqlite_stmt *)base)->st, idx, p, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void st_bind_null(struct store_stmt *base, int idx)
{
    sqlite3_bind_null(((struct sqlite_stmt *)base)->st, idx);
}

static int st_step(struct store_stmt *base, bool *has_row, struct zc_error *err)
{
    struct sqlite_stmt *w = (struct sqlite_stmt *)base;
    int src = sqlite3_step(w->st);
    *has_row = false;
    if (src == SQLITE_ROW) {
        *has_row = true;
        return ZC_OK;
    }
    if (src == SQLITE_DONE) {
        if (w->dml)
            w->changes += sqlite3_changes64(w->s->db);
        return ZC_OK;
    }
    src = sqlite_error(w->s, sqlite3_extended_errcode(w->s->db), err, "cannot run a statement");
    sqlite3_reset(w->st);
    return src;
}

static int st_col_count(struct store_stmt *base)
{
    return sqlite3_column_count(((struct sqlite_stmt *)base)->st);
}

static bool st_col_is_null(struct store_stmt *base, int col)
{
    return sqlite3_column_type(((struct sqlite_stmt *)base)->st, col) == SQLITE_NULL;
}

static int64_t st_col_int(struct store_stmt *base, int col)
{
    return sqlite3_column_int64(((struct sqlite_stmt *)base)->st, col);
}

static double st_col_real(struct store_stmt *base, int col)
{
    return sqlite3_column_double(((struct sqlite_stmt *)base)->st, col);
}

static const char *st_col_text(struct store_stmt *base, int col)
{
    const unsigned char *t = sqlite3_column_text(((struct sqlite_stmt *)base)->st, col);
    return t ? (const char *)t : "";
}

static int64_t st_changes(struct store_stmt *base)
{
    return ((struct sqlite_stmt *)base)->changes;
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .changes = sq_changes,
    .last_insert_id = sq_last_insert_id,
};

static const struct store_stmt_ops sqlite_stmt_ops = {
    .finalize = st_finalize,
    .reset = st_reset,
    .bind_int = st_bind_int,
    .bind_real = st_bind_real,
    .bind_text = st_bind_text,
    .bind_null = st_bind_null,
    .step = st_step,
    .col_count = st_col_count,
    .col_is_null = st_col_is_null,
    .col_int = st_col_int,
    .col_real = st_col_real,
    .col_text = st_col_text,
    .changes = st_changes,
};

static bool configured; /* sqlite3_config() done */

/* A statement inside a transaction keeps the pages it changes, as they were
 * before it, in a statement journal, in memory up to this size and then in a
 * temporary file for the rest of the transaction. SQLite's default of 64 KiB
 * was passed once in a while by a one-row INSERT that split pages of several
 * indexes at once; from then on every statement of a bulk import wrote its
 * pages to /var/tmp/etilqs_* (8,693 writes, 17.8 MB, against 98 to the WAL
 * in 5 s of strace): importing 3,998,509 household members took 181.7 s
 * (51.5 s user, 33.1 s system), and 116.7 s (37.4 s, 7.2 s) with this size,
 * one after the other at load 9 (bench/RESULTS.md). Up to this size the
 * journal is one allocation, freed as the statement ends (no list of chunks
 * to walk, see temp_store below).
 *
 * That allocation is made by every statement that journals, however little
 * it writes. Under AddressSanitizer and ThreadSanitizer each allocation past
 * 128 KiB is a fresh mmap, page-faulted in and unmapped again: a month of
 * demo field records (24,258 check-ins) took 157 s with 4 MiB and 8.1 s with
 * SQLite's 64 KiB in the ASan build, against 1.6 s in the optimised one, and
 * that one setting made up most of `make check`'s time. The sanitizer builds
 * keep SQLite's default; the behaviour is the same (the journal spills to a
 * temporary file past it), only the speed of big imports differs. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define STMT_JOURNAL_IN_MEMORY (64 << 10)
#else
#define STMT_JOURNAL_IN_MEMORY (4 << 20)
#endif

int store_sqlite_open(const char *path, int flags, struct store **out, struct zc_error *err)
{
    struct sqlite_store *s;
    struct stat sb;
    int oflags, src, rc = ZC_OK;

    *out = NULL;
    /* Each connection is used by one thread at a time (the server gives every
     * worker its own), so SQLite's global memory statistics and their mutex
     * are pure cost; this must happen before SQLite initialises. */
    if (!configured) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_IN_MEMORY);
        configured = true;
    }
    if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
        return zc_error_set(err, ZC_ENOTFOUND,
                            "%s: no such database; create it with 'zhucun init' (or pass --db)",
                            path);
    oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    s = zc_calloc(1, sizeof(*s));
    s->base.ops = &sqlite_ops;
    s->path = zc_strdup(path);
    s->base.label = s->path;
    src = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        rc = zc_error_set(err, ZC_ESTORE, "%s: cannot open database: %s", path,
                          s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    /* journal_mode=WAL is persistent in the file; the rest are per connection. */
    if (!(flags & STORE_READONLY)) {
        rc = sq_exec(&s->base, "PRAGMA journal_mode=WAL", err);
        if (rc != ZC_OK)
            goto fail;
    }
    /* temp_store stays FILE (SQLite's default), not MEMORY: a nested transaction is
     * a savepoint, and under an open savepoint every multi-row statement journals the
     * pages it changes into the sub-journal and truncates it back when it ends. An
     * in-memory sub-journal is a list of 1 KiB chunks that each truncation walks from
     * its head, so a big write under a savepoint went quadratic: saving a national
     * plan (409,002 slots, 2.6 M cadres not sent) into a database already holding one
     * took minutes and GiBs (measured with the sqlite3 shell: 14 s without the
     * savepoint, > 300 s and 1.7 GiB with it and temp_store=MEMORY, 20 s and 76 MiB
     * with temp_store=FILE). Temporary files are cached by the OS like any other. */
    rc = sq_exec(&s->base,
                 "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA temp_store=FILE;"
                 "PRAGMA cache_size=-65536",
                 err);
    if (rc != ZC_OK)
        goto fail;
    *out = &s->base;
    return ZC_OK;
fail:
    sq_close(&s->base);
    return rc;
}
