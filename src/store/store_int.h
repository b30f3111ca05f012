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
};

/* Every back end's handles start with these headers. */
struct store {
    const struct store_ops *ops; /* back end */
    int tx_depth;                /* 0 outside a transaction */
};

struct store_stmt {
    const struct store_stmt_ops *ops; /* back end */
};

/* Back-end constructors. */
int store_sqlite_open(const char *path, int flags, struct store **out, struct zc_error *err);

/* Migrations: SQL for each schema version, in order (migrations.c). */
struct store_migration {
    int version;         /* 1, 2, ... */
    const char *summary; /* one line for `zhucun init` */
    const char *sql;     /* statements */
};

const struct store_migration *store_migrations(size_t *count);

#endif
