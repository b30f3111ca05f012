/* SPDX-License-Identifier: MIT */
/* store.c - the back-end independent half of the store: dispatch through
 * struct store_ops, transactions and versioned migrations.
 *
 * The schema version lives in a one-row table `schema_version` (not in a
 * back-end specific place such as SQLite's user_version), so that every back
 * end migrates the same way: each migration runs in its own transaction
 * together with the version bump, so a crash leaves either the old or the
 * new version, never half of one. */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/pg_lib.h"
#include "store_int.h"

/* A postgresql:// or postgres:// URL, or a libpq connection string: it
 * starts with one of libpq's keywords and '=' ("host=/run/pg dbname=zc"). */
bool store_is_pg_url(const char *url)
{
    static const char *const keys[] = {
        "host",     "hostaddr", "port",    "dbname",           "user",    "service",
        "password", "passfile", "sslmode", "application_name", "options", "connect_timeout"};
    size_t n = 0;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return true;
    while (url[n] == ' ')
        url++;
    while ((url[n] >= 'a' && url[n] <= 'z') || url[n] == '_')
        n++;
    if (n == 0)
        return false;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strlen(keys[i]) == n && strncmp(url, keys[i], n) == 0) {
            const char *p = url + n;
            while (*p == ' ')
                p++;
            return *p == '=';
        }
    }
    return false;
}

int store_open(const char *url, int flags, struct store **out, struct zc_error *err)
{
    const char *path = url;
    int rc;

    *out = NULL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        path = url + 7;
        rc = store_sqlite_open(path, flags, out, err);
    } else if (store_is_pg_url(url)) {
        rc = pg_lib_load(err);
        if (rc == ZC_OK)
            rc = store_pg_open(url, flags, out, err);
        path = rc == ZC_OK ? store_label(*out) : "PostgreSQL";
    } else {
        rc = store_sqlite_open(path, flags, out, err);
    }
    if (rc != ZC_OK)
        return rc;
    if (flags & STORE_CREATE) {
        rc = store_migrate(*out, NULL, NULL, err);
    } else if (!(flags & STORE_ANY_VERSION) && store_schema_version(*out) < store_schema_latest()) {
        rc = zc_error_set(err, ZC_ESTORE,
                          "%s: database schema is at version %d, this program needs %d; run "
                          "'zhucun init' to migrate it",
                          path, store_schema_version(*out), store_schema_latest());
    }
    if (rc != ZC_OK) {
        store_close(*out);
        *out = NULL;
    }
    return rc;
}

static const char *sqlite_path(const char *url)
{
    return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

int store_remove(const char *url, struct zc_error *err)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    if (store_is_pg_url(url))
        return pg_lib_load(err) != ZC_OK ? ZC_EUNAVAILABLE : store_pg_remove(url, err);
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
        char p[4096];
        snprintf(p, sizeof(p), "%s%s", sqlite_path(url), sides[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            return zc_error_set(err, ZC_EIO, "cannot remove %s: %s", p, strerror(errno));
    }
    return ZC_OK;
}

int store_rename(const char *from, const char *to, struct zc_error *err)
{
    if (store_is_pg_url(from))
        return pg_lib_load(err) != ZC_OK ? ZC_EUNAVAILABLE : store_pg_rename(from, to, err);
    if (rename(sqlite_path(from), sqlite_path(to)) != 0)
        return zc_error_set(err, ZC_EIO, "cannot rename %s to %s: %s", sqlite_path(from),
                            sqlite_path(to), strerror(errno));
    return ZC_OK;
}

int store_sibling_url(const char *url, const char *suffix, char *out, size_t n,
                      struct zc_error *err)
{
    if (store_is_pg_url(url))
        return pg_lib_load(err) != ZC_OK ? ZC_EUNAVAILABLE
                                         : store_pg_sibling(url, suffix, out, n, err);
    if ((size_t)snprintf(out, n, "%s.%s", url, suffix) >= n)
        return zc_error_set(err, ZC_EINVAL, "%s: path too long", url);
    return ZC_OK;
}

int store_lock(struct store *s, const char *name, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc;
    ZC_ASSERT(s->tx_depth > 0);
    if (strcmp(store_backend(s), "postgresql") != 0)
        return ZC_OK;
    rc = store_prepare(s, "SELECT pg_advisory_xact_lock(hashtext(?))", &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, name);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

bool store_table_exists(struct store *s, const char *name)
{
    struct store_stmt *st = NULL;
    struct zc_error e;
    bool row = false;
    const char *sql = strcmp(store_backend(s), "postgresql") == 0
                          ? "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND "
                            "tablename = ?"
                          : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
    if (store_prepare(s, sql, &st, &e) == ZC_OK) {
        store_bind_cstr(st, 1, name);
        if (store_step(st, &row, &e) != ZC_OK)
            row = false;
    }
    store_finalize(st);
    return row;
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_backend(const struct store *s)
{
    return s->ops->name;
}

const char *store_label(const struct store *s)
{
    return s->label ? s->label : "";
}

int store_schema_latest(void)
{
    size_t n;
    const struct store_migration *m = store_migrations(&n);
    return n ? m[n - 1].version : 0;
}

int store_schema_version(struct store *s)
{
    int64_t v = 0;
    struct zc_error err;
    if (store_query_int(s, "SELECT version FROM schema_version", &v, &err) != ZC_OK)
        return 0; /* no table yet: an empty database */
    return (int)v;
}

int store_migrate(struct store *s, int *from, int *to, struct zc_error *err)
{
    size_t n;
    const struct store_migration *m = store_migrations(&n);
    int have, rc = ZC_OK;

    rc = store_exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err);
    if (rc != ZC_OK)
        return rc;
    have = store_schema_version(s);
    if (from)
        *from = have;
    for (size_t i = 0; i < n && rc == ZC_OK; i++) {
        struct store_stmt *st = NULL;
        const char *extra;
        if (m[i].version <= have)
            continue;
        rc = store_begin(s, err);
        if (rc == ZC_OK && m[i].sql[0]) /* "": the version is all dialect */
            rc = store_exec(s, m[i].sql, err);
        extra = store_migration_dialect(m[i].version, store_backend(s));
        if (rc == ZC_OK && extra)
            rc = store_exec(s, extra, err);
        if (rc == ZC_OK)
            rc = store_exec(s, "DELETE FROM schema_version", err);
        if (rc == ZC_OK)
            rc = store_prepare(s, "INSERT INTO schema_version(version) VALUES (?)", &st, err);
        if (rc == ZC_OK) {
            store_bind_int(st, 1, m[i].version);
            rc = store_run(st, err);
        }
        store_finalize(st);
        if (rc == ZC_OK)
            rc = store_commit(s, err);
        if (rc != ZC_OK) {
            store_rollback(s);
            zc_error_prefix(err, "migration %d (%s)", m[i].version, m[i].summary);
        } else {
            have = m[i].version;
        }
    }
    if (to)
        *to = have;
    return rc;
}

/* Nested begin/commit pairs collapse into the outermost transaction, so a
 * domain function can open one without knowing whether its caller has. */
int store_begin(struct store *s, struct zc_error *err)
{
    char sp[32];
    int rc;
    if (s->tx_depth == 0) {
        rc = s->ops->exec(s, "BEGIN IMMEDIATE", err);
    } else {
        /* Nested: a savepoint, so that an inner rollback undoes only the
         * inner work and the outer transaction goes on. */
        snprintf(sp, sizeof(sp), "SAVEPOINT zc_%d", s->tx_depth);
        rc = s->ops->exec(s, sp, err);
    }
    if (rc == ZC_OK)
        s->tx_depth++;
    return rc;
}

#define JOINED(depth) (UINT32_C(1) << ((depth)&31))

int store_begin_joined(struct store *s, struct zc_error *err)
{
    if (s->tx_depth == 0 || s->ops->cheap_savepoints)
        return store_begin(s, err);
    ZC_ASSERT(s->tx_depth < 31);
    s->tx_depth++;
    s->joined |= JOINED(s->tx_depth);
    return ZC_OK;
}

int store_commit(struct store *s, struct zc_error *err)
{
    int rc = ZC_OK;
    ZC_ASSERT(s->tx_depth > 0);
    if (s->doomed & JOINED(s->tx_depth)) /* the caller rolls back */
        return zc_error_set(err, ZC_ESTORE,
                            "%s: a part of this transaction failed and could not be undone "
                            "alone; nothing of it was kept",
                            s->label);
    if (s->joined & JOINED(s->tx_depth)) { /* nothing of its own to release */
        s->joined &= ~JOINED(s->tx_depth);
        s->tx_depth--;
        return ZC_OK;
    }
    if (s->tx_depth == 1) {
        if (s->ops->pre_commit) {
            rc = s->ops->pre_commit(s, err);
            if (rc != ZC_OK)
                return rc;
        }
        rc = s->ops->exec(s, "COMMIT", err);
        if (rc != ZC_OK)
            return rc; /* still in the transaction: the caller rolls back */
    } else {
        char sp[32];
        snprintf(sp, sizeof(sp), "RELEASE zc_%d", s->tx_depth - 1);
        rc = s->ops->exec(s, sp, err);
        if (rc != ZC_OK)
            return rc;
    }
    s->tx_depth--;
    return rc;
}

void store_rollback(struct store *s)
{
    struct zc_error ignored;
    if (s->tx_depth == 0)
        return;
    s->doomed &= ~JOINED(s->tx_depth);
    if (s->joined & JOINED(s->tx_depth)) { /* cannot undo it alone: the level it joined goes */
        s->joined &= ~JOINED(s->tx_depth);
        s->tx_depth--;
        s->doomed |= JOINED(s->tx_depth);
        return;
    }
    if (s->tx_depth > 1) { /* undo the inner work only */
        char sp[64];
        snprintf(sp, sizeof(sp), "ROLLBACK TO zc_%d; RELEASE zc_%d", s->tx_depth - 1,
                 s->tx_depth - 1);
        s->ops->exec(s, sp, &ignored);
        s->tx_depth--;
        return;
    }
    s->ops->exec(s, "ROLLBACK", &ignored);
    s->tx_depth = 0;
    s->joined = 0;
    s->doomed = 0;
}

int store_exec(struct store *s, const char *sql, struct zc_error *err)
{
    return s->ops->exec(s, sql, err);
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct zc_error *err)
{
    return s->ops->prepare(s, sql, out, err);
}

void store_finalize(struct store_stmt *st)
{
    if (st)
        st->ops->finalize(st);
}

void store_reset(struct store_stmt *st)
{
    st->ops->reset(st);
}

void store_bind_int(struct store_stmt *st, int idx, int64_t v)
{
    st->ops->bind_int(st, idx, v);
}

void store_bind_real(struct store_stmt *st, int idx, double v)
{
    st->ops->bind_real(st, idx, v);
}

void store_bind_text(struct store_stmt *st, int idx, const char *p, size_t n)
{
    st->ops->bind_text(st, idx, p, n);
}

void store_bind_cstr(struct store_stmt *st, int idx, const char *s)
{
    if (s)
        st->ops->bind_text(st, idx, s, strlen(s));
    else
        st->ops->bind_null(st, idx);
}

void store_bind_null(struct store_stmt *st, int idx)
{
    st->ops->bind_null(st, idx);
}

int store_step(struct store_stmt *st, bool *has_row, struct zc_error *err)
{
    return st->ops->step(st, has_row, err);
}

int store_run(struct store_stmt *st, struct zc_error *err)
{
    bool row = true;
    int rc = ZC_OK;
    while (rc == ZC_OK && row)
        rc = st->ops->step(st, &row, err);
    st->ops->reset(st);
    return rc;
}

int store_col_count(struct store_stmt *st)
{
    return st->ops->col_count(st);
}

bool store_col_is_null(struct store_stmt *st, int col)
{
    return st->ops->col_is_null(st, col);
}

int64_t store_col_int(struct store_stmt *st, int col)
{
    return st->ops->col_int(st, col);
}

double store_col_real(struct store_stmt *st, int col)
{
    return st->ops->col_real(st, col);
}

const char *store_col_text(struct store_stmt *st, int col)
{
    return st->ops->col_text(st, col);
}

int64_t store_changes(struct store *s)
{
    return s->ops->changes(s);
}

int64_t store_stmt_changes(struct store_stmt *st)
{
    return st->ops->changes(st);
}

bool store_defers_writes(struct store *s)
{
    return s->ops->defers_writes && s->ops->defers_writes(s);
}

void store_set_defer_writes(struct store *s, bool on)
{
    if (s->ops->set_defer_writes)
        s->ops->set_defer_writes(s, on);
}

bool store_can_copy(struct store *s)
{
    return s->ops->copy != NULL;
}

int store_copy(struct store *s, const char *table, const char *const *cols, size_t ncols,
               const struct store_arg *vals, size_t nrows, struct zc_error *err)
{
    if (!s->ops->copy)
        return zc_error_set(err, ZC_EUSAGE, "%s: COPY %s: the %s back end has no COPY", s->label,
                            table, s->ops->name);
    if (nrows == 0)
        return ZC_OK;
    return s->ops->copy(s, table, cols, ncols, vals, nrows, err);
}

int64_t store_last_insert_id(struct store *s)
{
    return s->ops->last_insert_id(s);
}

int store_query_int(struct store *s, const char *sql, int64_t *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, sql, &st, err);
    *out = 0;
    if (rc == ZC_OK)
        rc = store_step(st, &row, err);
    if (rc == ZC_OK && row)
        *out = store_col_int(st, 0);
    store_finalize(st);
    return rc;
}

void store_bind_args(struct store_stmt *st, const struct store_arg *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int idx = (int)i + 1;
        switch (args[i].type) {
        case STORE_ARG_NULL:
            store_bind_null(st, idx);
            break;
        case STORE_ARG_INT:
            store_bind_int(st, idx, args[i].i);
            break;
        case STORE_ARG_REAL:
            store_bind_real(st, idx, args[i].r);
            break;
        case STORE_ARG_TEXT:
            store_bind_cstr(st, idx, args[i].s);
            break;
        }
    }
}

int store_execute(struct store *s, const char *sql, const struct store_arg *args, size_t n,
                  int64_t *changes, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc == ZC_OK) {
        store_bind_args(st, args, n);
        rc = store_run(st, err);
    }
    store_finalize(st);
    if (changes)
        *changes = rc == ZC_OK ? store_changes(s) : 0;
    return rc;
}

int store_fetch_one(struct store *s, const char *sql, const struct store_arg *args, size_t n,
                    struct store_stmt **out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, sql, &st, err);
    *out = NULL;
    if (rc == ZC_OK) {
        store_bind_args(st, args, n);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row) {
        *out = st;
        return ZC_OK;
    }
    store_finalize(st);
    return rc;
}

int store_upsert(struct store_stmt *st, struct store *s, int64_t fresh_above,
                 enum store_upsert_result *out, struct zc_error *err)
{
    int64_t last = store_last_insert_id(s), id;
    int rc = store_run(st, err);
    *out = STORE_UNCHANGED;
    if (rc != ZC_OK || store_changes(s) == 0)
        return rc;
    id = store_last_insert_id(s);
    *out = id > last && id > fresh_above ? STORE_ADDED : STORE_UPDATED;
    return ZC_OK;
}
