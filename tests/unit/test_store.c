/* SPDX-License-Identifier: MIT */
/* test_store.c - the store interface on SQLite: migrations, transactions,
 * statements, constraint errors. */
#include <stdio.h>
#include <unistd.h>

#include "store/store.h"
#include "test.h"

static void db_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s.db", zt_tmpdir(), name);
    unlink(out);
}

TEST(store_open_requires_init)
{
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    db_path(path, sizeof(path), "noinit");
    CHECK_INT_EQ(store_open(path, 0, &s, &err), ZC_ENOTFOUND);
    CHECK(s == NULL);
    CHECK_CONTAINS(err.msg, "zhucun init");
}

TEST(store_migrate_is_idempotent)
{
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    int from = -1, to = -1;
    int64_t n = 0;
    db_path(path, sizeof(path), "migrate");
    CHECK_INT_EQ(store_open(path, STORE_CREATE, &s, &err), ZC_OK);
    CHECK_INT_EQ(store_schema_version(s), store_schema_latest());
    CHECK_INT_EQ(store_migrate(s, &from, &to, &err), ZC_OK);
    CHECK_INT_EQ(from, to); /* nothing left to do */
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM skill WHERE builtin = 1", &n, &err),
                 ZC_OK);
    CHECK(n >= 11);
    CHECK_INT_EQ(store_query_int(s, "PRAGMA foreign_keys", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    store_close(s);
    /* Re-open without CREATE works once the schema is current. */
    CHECK_INT_EQ(store_open(path, 0, &s, &err), ZC_OK);
    store_close(s);
}

TEST(store_rollback_discards_and_constraints_report_conflict)
{
    char path[512];
    struct store *s = NULL;
    struct store_stmt *st = NULL;
    struct zc_error err = {0};
    int64_t n = -1;
    db_path(path, sizeof(path), "tx");
    CHECK_INT_EQ(store_open(path, STORE_CREATE, &s, &err), ZC_OK);
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK); /* nested: joins the outer one */
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (450000000000, '广西', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK); /* inner commit: nothing yet */
    store_rollback(s);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 0);
    /* A village whose code is not in the tree violates the foreign key. */
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO village(code) VALUES (?)", &st, &err), ZC_OK);
    store_bind_int(st, 1, 450124203202LL);
    CHECK_INT_EQ(store_run(st, &err), ZC_ECONFLICT);
    CHECK_CONTAINS(err.msg, "FOREIGN KEY");
    store_finalize(st);
    store_close(s);
}

TEST(store_nested_rollback_undoes_only_the_inner_work)
{
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    int64_t n = -1;
    db_path(path, sizeof(path), "nested");
    CHECK_INT_EQ(store_open(path, STORE_CREATE, &s, &err), ZC_OK);
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (450000000000, '广西', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (460000000000, '海南', 1, NULL)", &err),
                 ZC_OK);
    store_rollback(s); /* the inner part fails */
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (440000000000, '广东', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 2); /* 广西 and 广东; 海南 was rolled back alone */
    store_close(s);
}

TEST(store_text_roundtrip_and_nulls)
{
    char path[512];
    struct store *s = NULL;
    struct store_stmt *st = NULL;
    struct zc_error err = {0};
    bool row = false;
    db_path(path, sizeof(path), "text");
    CHECK_INT_EQ(store_open(path, STORE_CREATE, &s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "SELECT ?, ?, ?", &st, &err), ZC_OK);
    store_bind_cstr(st, 1, "马山县");
    store_bind_null(st, 2);
    store_bind_real(st, 3, 23.708);
    CHECK_INT_EQ(store_step(st, &row, &err), ZC_OK);
    CHECK(row);
    CHECK_STR_EQ(store_col_text(st, 0), "马山县");
    CHECK(store_col_is_null(st, 1));
    CHECK_STR_EQ(store_col_text(st, 1), "");
    CHECK(store_col_real(st, 2) > 23.7 && store_col_real(st, 2) < 23.71);
    store_finalize(st);
    store_close(s);
}
