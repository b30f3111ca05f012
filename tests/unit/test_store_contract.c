/* SPDX-License-Identifier: MIT */
/* test_store_contract.c - what store.h promises, on every back end: SQLite
 * always, PostgreSQL too when ZC_TEST_PG holds a libpq connection string
 * (tests/pg/cluster.sh). Also the translation of the shared SQL text for
 * PostgreSQL, which needs no server. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"
#include "test.h"

/* The URLs to run the contract on: [0] SQLite, [1] PostgreSQL or "". */
static int urls(char out[2][512], const char *name)
{
    const char *pg = getenv("ZC_TEST_PG");
    struct zc_error err;
    snprintf(out[0], sizeof(out[0]), "%s/contract-%s.db", zt_tmpdir(), name);
    unlink(out[0]);
    out[1][0] = '\0';
    if (pg && *pg) {
        snprintf(out[1], sizeof(out[1]), "%s dbname=zc_unit_%s_%ld", pg, name, (long)getpid());
        store_remove(out[1], &err);
    }
    return out[1][0] ? 2 : 1;
}

/* Run `fn` on a fresh database of every back end under test. */
static void each_backend(const char *name, void (*fn)(struct store *s, bool pg))
{
    char url[2][512];
    int n = urls(url, name);
    for (int b = 0; b < n; b++) {
        struct store *s = NULL;
        struct zc_error err = {0};
        if (store_open(url[b], STORE_CREATE, &s, &err) != ZC_OK) {
            zt_fail(__FILE__, __LINE__, "%s: %s", url[b], err.msg);
            return;
        }
        fn(s, b == 1);
        store_close(s);
        store_remove(url[b], &err);
    }
}

static void store_contract_upsert_tells_insert_from_update_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    (void)pg;
    struct store_stmt *st = NULL;
    int64_t first, second;
    CHECK_INT_EQ(store_exec(s,
                            "INSERT INTO unit(code, name, level, category) VALUES "
                            "('U1', '组织部', 'city', '党群')",
                            &err),
                 ZC_OK);
    CHECK_INT_EQ(store_prepare(s,
                               "INSERT INTO cadre(id_number, name, unit) VALUES (?, ?, 'U1') "
                               "ON CONFLICT(id_number) DO UPDATE SET name = excluded.name",
                               &st, &err),
                 ZC_OK);
    store_bind_cstr(st, 1, "450124198001010011");
    store_bind_cstr(st, 2, "张一");
    CHECK_INT_EQ(store_run(st, &err), ZC_OK);
    first = store_last_insert_id(s);
    CHECK(first > 0);
    CHECK_INT_EQ(store_changes(s), 1);
    store_bind_cstr(st, 1, "450124198001010022");
    store_bind_cstr(st, 2, "李二");
    CHECK_INT_EQ(store_run(st, &err), ZC_OK);
    second = store_last_insert_id(s);
    CHECK(second > first); /* inserted: the id grew */
    store_bind_cstr(st, 1, "450124198001010011");
    store_bind_cstr(st, 2, "张一改");
    CHECK_INT_EQ(store_run(st, &err), ZC_OK); /* executed again: prepared on the server */
    CHECK_INT_EQ(store_changes(s), 1);
    CHECK_INT_EQ(store_last_insert_id(s), second); /* updated: unchanged */
    store_finalize(st);
    /* RETURNING works on both and is what new code should use. */
    CHECK_INT_EQ(store_prepare(s,
                               "INSERT INTO cadre(id_number, name, unit) VALUES (?, 'x', 'U1') "
                               "RETURNING id",
                               &st, &err),
                 ZC_OK);
    store_bind_cstr(st, 1, "450124198001010033");
    {
        bool row = false;
        CHECK_INT_EQ(store_step(st, &row, &err), ZC_OK);
        CHECK(row);
        CHECK(store_col_int(st, 0) > second);
    }
    store_finalize(st);
}

TEST(store_contract_upsert_tells_insert_from_update)
{
    each_backend("upsert", store_contract_upsert_tells_insert_from_update_on);
}

static void store_contract_explicit_ids_move_the_sequence_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    (void)pg;
    int64_t id = 0;
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s,
                            "INSERT INTO unit(code, name, level, category) VALUES ('U1', 'u', "
                            "'city', '党群');"
                            "INSERT INTO cadre(id, id_number, name, unit) VALUES (41, 'a', "
                            "'a', 'U1')",
                            &err),
                 ZC_OK);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(
        store_exec(s, "INSERT INTO cadre(id_number, name, unit) VALUES ('b', 'b', 'U1')", &err),
        ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT id FROM cadre WHERE id_number = 'b'", &id, &err),
                 ZC_OK);
    CHECK_INT_EQ(id, 42); /* after the explicit 41, no collision */
}

TEST(store_contract_explicit_ids_move_the_sequence)
{
    each_backend("explicit", store_contract_explicit_ids_move_the_sequence_on);
}

static void store_contract_conflicts_and_nested_rollback_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    (void)pg;
    struct store_stmt *st = NULL;
    int64_t n = -1;
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (450000000000, '广西', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (460000000000, '海南', 1, NULL)", &err),
                 ZC_OK);
    store_rollback(s);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(store_query_int(s, "SELECT code FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 450000000000LL); /* 12 digits: 64-bit on both */
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO village(code) VALUES (?)", &st, &err), ZC_OK);
    store_bind_int(st, 1, 450124203202LL);
    CHECK_INT_EQ(store_run(st, &err), ZC_ECONFLICT); /* foreign key */
    store_finalize(st);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (450000000000, '又', 1, NULL)", &err),
                 ZC_ECONFLICT); /* primary key */
    if (pg)
        CHECK_CONTAINS(err.msg, "INSERT INTO division");
}

TEST(store_contract_conflicts_and_nested_rollback)
{
    each_backend("conflict", store_contract_conflicts_and_nested_rollback_on);
}

/* store_begin_joined: inside a transaction it joins it (no savepoint);
 * its commit keeps the work for the outer commit; its rollback dooms the
 * level it joined — the outermost cannot commit, a savepoint level rolls
 * back to its savepoint and the outer transaction goes on. */
static void store_contract_joined_levels_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    int64_t n = -1;
    /* Joined and committed: kept by the outer commit. */
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_begin_joined(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (450000000000, '广西', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    /* Joined and rolled back: on SQLite the outermost commit fails and
     * nothing is kept; on PostgreSQL it was a savepoint, the outer work stays. */
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (460000000000, '海南', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_begin_joined(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (440000000000, '广东', 1, NULL)", &err),
                 ZC_OK);
    store_rollback(s);
    if (pg) {
        CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
        CHECK_INT_EQ(store_exec(s, "DELETE FROM division WHERE code = 460000000000", &err), ZC_OK);
    } else {
        CHECK_INT_EQ(store_commit(s, &err), ZC_ESTORE);
        CHECK_CONTAINS(err.msg, "nothing of it was kept");
        store_rollback(s);
    }
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    /* Joined inside a savepoint level: that level rolls back to its
     * savepoint, the outer transaction commits its own work. */
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (460000000000, '海南', 1, NULL)", &err),
                 ZC_OK);
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_begin_joined(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (440000000000, '广东', 1, NULL)", &err),
                 ZC_OK);
    store_rollback(s);
    if (pg) {
        CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    } else {
        CHECK_INT_EQ(store_commit(s, &err), ZC_ESTORE);
        store_rollback(s);
    }
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(
        store_query_int(s, "SELECT count(*) FROM division WHERE code = 440000000000", &n, &err),
        ZC_OK);
    CHECK_INT_EQ(n, 0);
    /* At the outermost level it is a transaction of its own. */
    CHECK_INT_EQ(store_begin_joined(s, &err), ZC_OK);
    CHECK_INT_EQ(store_exec(s, "INSERT INTO division VALUES (440000000000, '广东', 1, NULL)", &err),
                 ZC_OK);
    store_rollback(s);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 2);
}

TEST(store_contract_joined_levels)
{
    each_backend("joined", store_contract_joined_levels_on);
}

static void store_contract_statements_step_at_once_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    (void)pg;
    struct store_stmt *a = NULL, *b = NULL, *u = NULL;
    bool ra = false, rb = false;
    int seen = 0;
    CHECK_INT_EQ(store_exec(s,
                            "INSERT INTO division VALUES (450000000000, '广西', 1, NULL), "
                            "(450100000000, '南宁', 2, 450000000000), "
                            "(450124000000, '马山', 3, 450100000000)",
                            &err),
                 ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "SELECT code, name FROM division ORDER BY code", &a, &err),
                 ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "SELECT count(*) FROM division WHERE parent = ?", &b, &err),
                 ZC_OK);
    CHECK_INT_EQ(
        store_prepare(s, "UPDATE division SET name = name || '!' WHERE code = ?", &u, &err), ZC_OK);
    while (store_step(a, &ra, &err) == ZC_OK && ra) {
        const char *name = store_col_text(a, 1);
        store_bind_int(b, 1, store_col_int(a, 0));
        CHECK_INT_EQ(store_step(b, &rb, &err), ZC_OK);
        CHECK(rb);
        seen += (int)store_col_int(b, 0);
        store_reset(b);
        store_bind_int(u, 1, store_col_int(a, 0));
        CHECK_INT_EQ(store_run(u, &err), ZC_OK);
        CHECK(name[0] != '\0'); /* text of the open row still valid */
    }
    CHECK_INT_EQ(seen, 2);
    store_finalize(a);
    store_finalize(b);
    store_finalize(u);
    CHECK_INT_EQ(
        store_prepare(s, "SELECT name, 1 < 2, CAST(? AS TEXT) IS NULL FROM division ORDER BY code",
                      &a, &err),
        ZC_OK);
    store_bind_null(a, 1);
    CHECK_INT_EQ(store_step(a, &ra, &err), ZC_OK);
    CHECK(ra);
    CHECK_STR_EQ(store_col_text(a, 0), "广西!");
    CHECK_STR_EQ(store_col_text(a, 1), "1"); /* a comparison reads as 1 */
    CHECK_INT_EQ(store_col_int(a, 2), 1);
    store_finalize(a);
}

TEST(store_contract_statements_step_at_once)
{
    each_backend("several", store_contract_statements_step_at_once_on);
}

/* Writes run again and again in one transaction (imports, the demo
 * generator): all or nothing, and a conflict is ZC_ECONFLICT naming the
 * statement, by COMMIT at the latest. PostgreSQL sends such writes ahead in
 * libpq's pipeline; a caller that reads each write's outcome
 * (store_changes) gets the conflict at the very write, as on SQLite. */
static void store_contract_repeated_writes_all_or_nothing_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    struct store_stmt *st = NULL;
    int64_t n = -1;
    int rc = ZC_OK, at = -1;
    (void)pg;
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO division VALUES (?, ?, 5, NULL)", &st, &err), ZC_OK);
    for (int i = 0; i < 700 && rc == ZC_OK; i++) {
        store_bind_int(st, 1, 450124000000LL + (i == 500 ? 7 : i)); /* 500 repeats 7 */
        store_bind_cstr(st, 2, "村");
        rc = store_run(st, &err);
        at = i;
    }
    if (rc == ZC_OK)
        rc = store_commit(s, &err);
    CHECK_INT_EQ(rc, ZC_ECONFLICT);
    CHECK_CONTAINS(err.msg, "division");
    CHECK(at >= 500);
    store_finalize(st);
    store_rollback(s);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 0); /* nothing of it stayed */

    /* Reading each outcome: the conflict comes at the write that made it. */
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO division VALUES (?, ?, 5, NULL)", &st, &err), ZC_OK);
    rc = ZC_OK;
    for (int i = 0; i < 700 && rc == ZC_OK; i++) {
        store_bind_int(st, 1, 450124000000LL + (i == 500 ? 7 : i));
        store_bind_cstr(st, 2, "村");
        rc = store_run(st, &err);
        at = i;
        if (rc == ZC_OK)
            CHECK_INT_EQ(store_changes(s), 1);
    }
    CHECK_INT_EQ(rc, ZC_ECONFLICT);
    CHECK_INT_EQ(at, 500);
    store_finalize(st);
    store_rollback(s);

    /* Without conflicts every row is there after COMMIT, and a read sees
     * the writes sent before it. */
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO division VALUES (?, ?, 5, NULL)", &st, &err), ZC_OK);
    for (int i = 0; i < 700; i++) {
        store_bind_int(st, 1, 450124000000LL + i);
        store_bind_cstr(st, 2, "村");
        CHECK_INT_EQ(store_run(st, &err), ZC_OK);
        if (i == 300) {
            CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
            CHECK_INT_EQ(n, 301);
        }
    }
    store_finalize(st);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 700);
}

TEST(store_contract_repeated_writes_all_or_nothing)
{
    each_backend("pipeline", store_contract_repeated_writes_all_or_nothing_on);
}

/* A statement's own change count (store_stmt_changes): every step counted,
 * an upsert that finds its row as written counts none, and on PostgreSQL
 * the writes sent ahead are counted when asked, once, after them all. With
 * sending ahead turned off, a failure comes back from its own step. */
static void store_contract_statement_counts_its_changes_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    struct store_stmt *st = NULL, *other = NULL;
    int rc = ZC_OK, at = -1;
    CHECK_INT_EQ(store_defers_writes(s), pg && !getenv("ZHUCUN_PG_PIPELINE"));
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s,
                               "INSERT INTO division VALUES (?, ?, 5, NULL) ON CONFLICT(code) DO "
                               "UPDATE SET name = excluded.name WHERE division.name IS NOT "
                               "excluded.name",
                               &st, &err),
                 ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "DELETE FROM division WHERE code = ?", &other, &err), ZC_OK);
    CHECK_INT_EQ(store_stmt_changes(st), 0);
    for (int i = 0; i < 700; i++) { /* 700 new */
        store_bind_int(st, 1, 450124000000LL + i);
        store_bind_cstr(st, 2, "村");
        CHECK_INT_EQ(store_run(st, &err), ZC_OK);
    }
    CHECK_INT_EQ(store_stmt_changes(st), 700);
    for (int i = 0; i < 700; i++) { /* 300 renamed, 400 as they are */
        store_bind_int(st, 1, 450124000000LL + i);
        store_bind_cstr(st, 2, i < 300 ? "新村" : "村");
        CHECK_INT_EQ(store_run(st, &err), ZC_OK);
        if (i == 0)
            CHECK_INT_EQ(store_stmt_changes(st), 701); /* after one step: that step's */
    }
    for (int i = 0; i < 10; i++) { /* another statement's changes are its own */
        store_bind_int(other, 1, 450124000000LL + i);
        CHECK_INT_EQ(store_run(other, &err), ZC_OK);
    }
    CHECK_INT_EQ(store_stmt_changes(st), 1000);
    CHECK_INT_EQ(store_stmt_changes(other), 10);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    store_finalize(st);
    store_finalize(other);

    /* Sending ahead off: the conflict at the very write. */
    store_set_defer_writes(s, false);
    CHECK(!store_defers_writes(s));
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO division VALUES (?, ?, 5, NULL)", &st, &err), ZC_OK);
    for (int i = 0; i < 700 && rc == ZC_OK; i++) {
        store_bind_int(st, 1, 450125000000LL + (i == 500 ? 7 : i));
        store_bind_cstr(st, 2, "村");
        rc = store_run(st, &err);
        at = i;
    }
    CHECK_INT_EQ(rc, ZC_ECONFLICT);
    CHECK_INT_EQ(at, 500);
    CHECK_INT_EQ(store_stmt_changes(st), 500);
    store_finalize(st);
    store_rollback(s);
    store_set_defer_writes(s, true);
    CHECK_INT_EQ(store_defers_writes(s), pg && !getenv("ZHUCUN_PG_PIPELINE"));
}

TEST(store_contract_statement_counts_its_changes)
{
    each_backend("stmtchanges", store_contract_statement_counts_its_changes_on);
}

/* store_copy: PostgreSQL's COPY takes every value back as it was sent, the
 * characters its text format escapes (backslash, tab, newline, carriage
 * return), a text that reads "\N", NULL, integers and reals; a row the
 * table refuses fails the COPY and leaves none. SQLite has none: the call
 * says so and store_can_copy is false. */
static void store_contract_copy_on(struct store *s, bool pg)
{
    static const char *const cols[] = {"k", "t", "r"};
    static const char *const texts[] = {"tab\there", "new\nline", "back\\slash", "cr\rlf\r\n",
                                        "\\N",       "\\\\t\\",   "普通 text",   ""};

    enum { N = sizeof(texts) / sizeof(texts[0]) };
    struct store_arg vals[(N + 1) * 3];
    struct zc_error err = {0};
    struct store_stmt *q = NULL;
    bool row = false;
    size_t i = 0;
    CHECK_INT_EQ(store_can_copy(s), pg);
    CHECK_INT_EQ(store_exec(s, "CREATE TABLE copy_t (k INTEGER PRIMARY KEY, t TEXT, r REAL)", &err),
                 ZC_OK);
    for (size_t k = 0; k < N; k++) {
        vals[3 * k] = STORE_INT((int64_t)k + 1);
        vals[3 * k + 1] = STORE_TEXT(texts[k]);
        vals[3 * k + 2] = STORE_REAL(0.1 * (double)k);
    }
    vals[3 * N] = STORE_INT(4500000000000LL);
    vals[3 * N + 1] = STORE_TEXT(NULL);
    vals[3 * N + 2] = STORE_NULL;
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    if (!pg) {
        CHECK_INT_EQ(store_copy(s, "copy_t", cols, 3, vals, N + 1, &err), ZC_EUSAGE);
        CHECK_CONTAINS(err.msg, "no COPY");
        store_rollback(s);
        return;
    }
    CHECK_INT_EQ(store_copy(s, "copy_t", cols, 3, vals, N + 1, &err), ZC_OK);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(
        store_prepare(s, "SELECT k, t, r, t IS NULL, r IS NULL FROM copy_t ORDER BY k", &q, &err),
        ZC_OK);
    while (store_step(q, &row, &err) == ZC_OK && row) {
        if (i < N) {
            CHECK_INT_EQ(store_col_int(q, 0), (int64_t)i + 1);
            CHECK_STR_EQ(store_col_text(q, 1), texts[i]);
            CHECK(store_col_real(q, 2) == 0.1 * (double)i);
        } else {
            CHECK_INT_EQ(store_col_int(q, 0), 4500000000000LL);
            CHECK_INT_EQ(store_col_int(q, 3), 1);
            CHECK_INT_EQ(store_col_int(q, 4), 1);
        }
        i++;
    }
    CHECK_INT_EQ(i, N + 1);
    store_finalize(q);
    /* A duplicate key: the COPY fails as a conflict, named, and leaves no row. */
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    vals[3 * N] = STORE_INT(1);
    CHECK_INT_EQ(store_copy(s, "copy_t", cols, 3, vals + 3 * (N - 1), 2, &err), ZC_ECONFLICT);
    CHECK_CONTAINS(err.msg, "COPY copy_t");
    store_rollback(s);
    {
        int64_t n = 0;
        CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM copy_t", &n, &err), ZC_OK);
        CHECK_INT_EQ(n, N + 1);
    }
}

TEST(store_contract_copy)
{
    each_backend("copy", store_contract_copy_on);
}

/* A large read steps row by row (PostgreSQL: single-row mode, not a whole
 * result in memory); another statement in the middle of it, or a read left
 * half-way, changes nothing for the others. */
static void store_contract_large_reads_interleave_on(struct store *s, bool pg)
{
    struct zc_error err = {0};
    struct store_stmt *a = NULL, *b = NULL, *ins = NULL;
    bool row = false;
    int64_t sum = 0, n = -1;
    int rows = 0;
    (void)pg;
    CHECK_INT_EQ(store_begin(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "INSERT INTO division VALUES (?, '村', 5, NULL)", &ins, &err),
                 ZC_OK);
    for (int i = 0; i < 3000; i++) {
        store_bind_int(ins, 1, 450124000000LL + i);
        CHECK_INT_EQ(store_run(ins, &err), ZC_OK);
    }
    store_finalize(ins);
    CHECK_INT_EQ(store_commit(s, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "SELECT code FROM division ORDER BY code", &a, &err), ZC_OK);
    CHECK_INT_EQ(store_prepare(s, "SELECT count(*) FROM division WHERE code < ?", &b, &err), ZC_OK);
    while (store_step(a, &row, &err) == ZC_OK && row) {
        sum += store_col_int(a, 0) - 450124000000LL;
        if (++rows == 1500) { /* another statement half-way */
            store_bind_int(b, 1, store_col_int(a, 0));
            CHECK_INT_EQ(store_step(b, &row, &err), ZC_OK);
            CHECK_INT_EQ(store_col_int(b, 0), 1499);
            store_reset(b);
        }
    }
    CHECK_INT_EQ(rows, 3000);
    CHECK_INT_EQ(sum, 2999LL * 3000 / 2);
    /* Left half-way, then something else, then the same read again. */
    for (int i = 0; i < 10; i++)
        CHECK_INT_EQ(store_step(a, &row, &err), ZC_OK);
    store_reset(a);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM division", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 3000);
    rows = 0;
    while (store_step(a, &row, &err) == ZC_OK && row)
        rows++;
    CHECK_INT_EQ(rows, 3000);
    store_finalize(a);
    store_finalize(b);
}

TEST(store_contract_large_reads_interleave)
{
    each_backend("stream", store_contract_large_reads_interleave_on);
}

static char *tr(const char *sql)
{
    static char out[1024];
    struct pg_sql q;
    store_pg_translate(sql, &q);
    snprintf(out, sizeof(out), "%s", q.text);
    store_pg_sql_fini(&q);
    return out;
}

TEST(store_pg_translate_placeholders_and_words)
{
    struct pg_sql q;
    CHECK_STR_EQ(tr("SELECT ?, ?3, ? WHERE a = '?' AND \"b?\" = 1"),
                 "SELECT $1, $3, $4 WHERE a = '?' AND \"b?\" = 1");
    CHECK_STR_EQ(tr("SELECT CAST(x AS INTEGER), instr(a, b), c LIKE 'x%' FROM t"),
                 "SELECT CAST(x AS BIGINT), strpos(a, b), c ILIKE 'x%' FROM t");
    CHECK_STR_EQ(
        tr("SELECT a IS NOT b, a IS NULL, a IS NOT NULL, a IS ?"),
        "SELECT a IS DISTINCT FROM b, a IS NULL, a IS NOT NULL, a IS NOT DISTINCT FROM $1");
    CHECK_STR_EQ(tr("BEGIN IMMEDIATE"), "BEGIN");
    CHECK_STR_EQ(tr("SELECT 'it''s INTEGER'"), "SELECT 'it''s INTEGER'");
    CHECK_STR_EQ(tr("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL, r REAL, "
                    "code INTEGER PRIMARY KEY REFERENCES d(code)) WITHOUT ROWID;"),
                 "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                 "text TEXT COLLATE \"C\" NOT NULL, r DOUBLE PRECISION, "
                 "code BIGINT PRIMARY KEY REFERENCES d(code)) ;");
    CHECK_STR_EQ(tr("ALTER TABLE v ADD COLUMN note TEXT"),
                 "ALTER TABLE v ADD COLUMN note TEXT COLLATE \"C\"");
    store_pg_translate("INSERT INTO Cadre(id_number, name) VALUES (?, ?) ON CONFLICT(id_number) "
                       "DO UPDATE SET name = excluded.name",
                       &q);
    CHECK_STR_EQ(q.table, "cadre");
    CHECK_STR_EQ(q.cols, ",id_number,name,");
    CHECK(q.upsert);
    CHECK(!q.returning);
    CHECK_INT_EQ(q.nparams, 2);
    CHECK_INT_EQ(q.statements, 1);
    store_pg_sql_fini(&q);
    store_pg_translate("INSERT INTO plan(kind) VALUES ('match') RETURNING id", &q);
    CHECK(q.returning);
    CHECK(!q.upsert);
    store_pg_sql_fini(&q);
    /* An UPDATE or DELETE that gives rows back is read, not sent ahead. */
    store_pg_translate("DELETE FROM photo WHERE sha256 = ? RETURNING bytes", &q);
    CHECK(q.returning);
    store_pg_sql_fini(&q);
    store_pg_translate("UPDATE ticket SET status = 'closed' WHERE id = ? RETURNING id", &q);
    CHECK(q.returning);
    store_pg_sql_fini(&q);
    store_pg_translate("UPDATE ticket SET status = 'closed' WHERE id = ?", &q);
    CHECK(!q.returning);
    store_pg_sql_fini(&q);
}

TEST(store_urls_choose_the_back_end)
{
    CHECK(store_is_pg_url("postgresql://zc@db.example:5432/zhucun"));
    CHECK(store_is_pg_url("postgres:///zhucun"));
    CHECK(store_is_pg_url("host=/run/postgresql dbname=zhucun"));
    CHECK(store_is_pg_url("dbname = zhucun"));
    CHECK(!store_is_pg_url("zhucun.db"));
    CHECK(!store_is_pg_url("sqlite:zhucun.db"));
    CHECK(!store_is_pg_url("/tmp/host=x.db"));
}
