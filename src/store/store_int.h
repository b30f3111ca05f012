/* SPDX-License-Identifier: MIT */
/* store_int.h - what a storage back end implements (internal to src/store). */
#ifndef ZC_STORE_INT_H
#define ZC_STORE_INT_H

#include "store.h"

struct store_ops {
    const char *name;
    void (*close)(struct store *s);
    int (*exec)(struct store *s, const char *sql, struct zc_error *err);
    int (*prepare)(struct store *s, const char *sql, struct store_stmt **out, struct zc_error *err);
    int64_t (*changes)(struct store *s);
    int64_t (*last_insert_id)(struct store *s);
    /* Called before the outermost COMMIT (may be NULL): work the back end
     * owes the transaction, such as moving identity sequences past ids that
     * were inserted explicitly (store_pg.c). */
    int (*pre_commit)(struct store *s, struct zc_error *err);
    /* Writes sent ahead (may be NULL: never). */
    bool (*defers_writes)(struct store *s);
    /* A savepoint costs the back end little (PostgreSQL's subtransaction),
     * so store_begin_joined opens one as store_begin does: a failed
     * statement aborts a PostgreSQL transaction unless rolled back to one,
     * and an import that failed in the pipeline runs again after it. SQLite
     * copies pages into a sub-journal under a savepoint: false there. */
    bool cheap_savepoints;
    void (*set_defer_writes)(struct store *s, bool on);
    /* store_copy (may be NULL: store_can_copy is false). */
    int (*copy)(struct store *s, const char *table, const char *const *cols, size_t ncols,
                const struct store_arg *vals, size_t nrows, struct zc_error *err);
};

struct store_stmt_ops {
    void (*finalize)(struct store_stmt *st);
    void (*reset)(struct store_stmt *st);
    void (*bind_int)(struct store_stmt *st, int idx, int64_t v);
    void (*bind_real)(struct store_stmt *st, int idx, double v);
    void (*bind_text)(struct store_stmt *st, int idx, const char *p, size_t n);
    void (*bind_null)(struct store_stmt *st, int idx);
    int (*step)(struct store_stmt *st, bool *has_row, struct zc_error *err);
    int (*col_count)(struct store_stmt *st);
    bool (*col_is_null)(struct store_stmt *st, int col);
    int64_t (*col_int)(struct store_stmt *st, int col);
    double (*col_real)(struct store_stmt *st, int col);
    const char *(*col_text)(struct store_stmt *st, int col);
    int64_t (*changes)(struct store_stmt *st); /* store_stmt_changes */
};

/* Every back end's handles start with these headers. */
struct store {
    const struct store_ops *ops; /* back end */
    int tx_depth;                /* 0 outside a transaction */
    uint32_t joined;             /* bit d: level d joined its caller's (store_begin_joined) */
    uint32_t doomed;             /* bit d: a level joined to d rolled back, d cannot commit */
    const char *label;           /* the database for messages (owned by the back end) */
};

struct store_stmt {
    const struct store_stmt_ops *ops; /* back end */
};

/* Back-end constructors. */
int store_sqlite_open(const char *path, int flags, struct store **out, struct zc_error *err);
/* `conninfo`: a postgresql:// URL or a libpq key=value string. */
int store_pg_open(const char *conninfo, int flags, struct store **out, struct zc_error *err);

int store_pg_remove(const char *conninfo, struct zc_error *err);
int store_pg_rename(const char *from, const char *to, struct zc_error *err);
int store_pg_sibling(const char *conninfo, const char *suffix, char *out, size_t n,
                     struct zc_error *err);

/* The shared SQL text as PostgreSQL reads it (pg_translate.c). */
struct pg_sql {
    char *text;     /* translated statement(s), owned */
    int nparams;    /* highest parameter number ($N) */
    int statements; /* statements in the text */
    char table[64]; /* an INSERT's target table (lower case), "" otherwise */
    char *cols;     /* an INSERT's column list as ",a,b,", NULL without one; owned */
    char *inserted; /* every INSERT's table as ",t1,t2,", NULL without one; owned */
    bool returning; /* the INSERT has a RETURNING clause */
    bool upsert;    /* ... ON CONFLICT ... DO UPDATE */
};

void store_pg_translate(const char *sql, struct pg_sql *out);
void store_pg_sql_fini(struct pg_sql *q);

/* Migrations: SQL for each schema version, in order (migrations.c). */
struct store_migration {
    int version;         /* 1, 2, ... */
    const char *summary; /* one line for `zhucun init` */
    const char *sql;     /* statements for every back end (the shared subset) */
};

const struct store_migration *store_migrations(size_t *count);
/* Statements of `version` where the dialects truly differ (triggers), for
 * `backend` ("sqlite", "postgresql"): run after the shared text in the same
 * transaction. NULL when there are none. */
const char *store_migration_dialect(int version, const char *backend);

#endif
