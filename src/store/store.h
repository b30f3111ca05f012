/* SPDX-License-Identifier: MIT */
/* store.h - persistence behind one interface.
 *
 * Domain code talks to the database through this header only: prepared
 * statements with `?` placeholders in the SQL subset that SQLite and
 * PostgreSQL share (INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING and
 * UPDATE/DELETE ... RETURNING included: a write that gives rows back is
 * never sent ahead in PostgreSQL's pipeline). A back end fills in a struct
 * store_ops (store_int.h); SQLite
 * (store_sqlite.c) is the embedded default, and a PostgreSQL back end can
 * be added behind the same calls without touching domain code.
 *
 * Ownership: store_open() returns a handle released by store_close();
 * statements belong to the caller until store_finalize(). Text returned by
 * store_col_text() is borrowed and valid until the next step/reset/finalize.
 * Errors: ZC_ESTORE for database failures, ZC_ECONFLICT for constraint
 * violations, ZC_ENOTFOUND for a missing database file without STORE_CREATE. */
#ifndef ZC_STORE_H
#define ZC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store;
struct store_stmt;

enum store_flags {
    STORE_CREATE = 1 << 0,      /* create the database if missing and migrate the schema */
    STORE_READONLY = 1 << 1,    /* open read-only (reports, exports) */
    STORE_ANY_VERSION = 1 << 2, /* open whatever the schema version (check store_schema_version) */
};

/* Open `url`: a path or "sqlite:PATH" (SQLite; WAL mode, foreign keys on,
 * synchronous=FULL so an acknowledged commit survives a crash), or a
 * PostgreSQL server: "postgresql://USER@HOST:PORT/DB" or a libpq connection
 * string such as "host=/run/postgresql dbname=zhucun" (store_pg.c; with
 * STORE_CREATE a missing database is created). Without
 * STORE_CREATE, a missing database or one whose schema is older than this
 * program's is an error that tells the user to run `zhucun init`. */
int store_open(const char *url, int flags, struct store **out, struct zc_error *err);
void store_close(struct store *s); /* NULL is a no-op */

/* Databases as wholes, by URL (a SQLite file with its -wal/-shm/-journal,
 * or a PostgreSQL database on its server): remove one (a missing one is no
 * error), give one another's name (`to` must not exist), and derive the URL
 * of a sibling ("PATH.SUFFIX", or the database DB_SUFFIX on the same
 * server) for building under a temporary name. */
int store_remove(const char *url, struct zc_error *err);
int store_rename(const char *from, const char *to, struct zc_error *err);
int store_sibling_url(const char *url, const char *suffix, char *out, size_t n,
                      struct zc_error *err);

/* Inside a transaction: wait until no other connection holds the lock
 * `name`, and hold it until this transaction ends (PostgreSQL: an advisory
 * transaction lock on hashtext(name)). On SQLite a write transaction
 * already excludes every other writer, so this is a no-op there. For work
 * that must be serial across writers, such as appending to the audit chain. */
int store_lock(struct store *s, const char *name, struct zc_error *err);

/* True if the database has a table named `name`. */
bool store_table_exists(struct store *s, const char *name);

/* Bring the schema to the newest version; safe to run any number of times.
 * *from and *to (may be NULL) receive the versions before and after. */
int store_migrate(struct store *s, int *from, int *to, struct zc_error *err);
int store_schema_version(struct store *s);
int store_schema_latest(void);
const char *store_backend(const struct store *s); /* "sqlite" or "postgresql" */
/* The database as messages name it: the file, or postgresql://HOST:PORT/DB
 * (never a password). */
const char *store_label(const struct store *s);
/* True if `url` names a PostgreSQL server rather than a SQLite file. */
bool store_is_pg_url(const char *url);

/* Transactions nest: an inner begin is a savepoint, its commit releases
 * it, and its rollback undoes only the inner work (the outer transaction
 * goes on); the outermost commit is the one that makes everything durable. */
int store_begin(struct store *s, struct zc_error *err);
/* The same for a bulk write that its caller's failure handling covers
 * (imports, saving a plan): at the outermost level a transaction as
 * store_begin's, inside one it joins the caller's transaction without a
 * savepoint. Under a savepoint SQLite copies every page each statement
 * touches into its sub-journal, a temporary file: 1.1 GB of writes for an
 * 80,000-row member import, 13 kB a row (bench/households/run.sh). The
 * price: a joined level's rollback cannot undo only its own work, so it
 * dooms the level it joined: that level's store_commit fails (ZC_ESTORE)
 * and its caller rolls back — all of it when it is the outermost, to its
 * savepoint when it is a store_begin inside another. Commit and roll back
 * a joined level with store_commit and store_rollback as any other. Where
 * savepoints are cheap (PostgreSQL, whose failed statement aborts the
 * transaction unless rolled back to one) it is store_begin. */
int store_begin_joined(struct store *s, struct zc_error *err);
int store_commit(struct store *s, struct zc_error *err);
void store_rollback(struct store *s); /* never fails visibly; no-op outside a transaction */

/* Run SQL without parameters or results (may hold several statements). */
int store_exec(struct store *s, const char *sql, struct zc_error *err);

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct zc_error *err);
void store_finalize(struct store_stmt *st); /* NULL is a no-op */
/* Reset for re-execution and clear all bindings. */
void store_reset(struct store_stmt *st);

/* Parameters are numbered from 1 in SQL order. Text is copied. */
void store_bind_int(struct store_stmt *st, int idx, int64_t v);
void store_bind_real(struct store_stmt *st, int idx, double v);
void store_bind_text(struct store_stmt *st, int idx, const char *p, size_t n);
void store_bind_cstr(struct store_stmt *st, int idx, const char *s); /* NULL binds NULL */
void store_bind_null(struct store_stmt *st, int idx);

/* Advance: ZC_OK with *has_row true (a row is ready) or false (done). */
int store_step(struct store_stmt *st, bool *has_row, struct zc_error *err);
/* Step a statement that returns no rows (or ignore them) and reset it. */
int store_run(struct store_stmt *st, struct zc_error *err);

int store_col_count(struct store_stmt *st);
bool store_col_is_null(struct store_stmt *st, int col); /* columns from 0 */
int64_t store_col_int(struct store_stmt *st, int col);
double store_col_real(struct store_stmt *st, int col);
const char *store_col_text(struct store_stmt *st, int col); /* "" for NULL */

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t store_changes(struct store *s);

/* Rows the INSERT/UPDATE/DELETE `st` changed over all its steps since it was
 * prepared (an upsert that finds its row as written changes none; rows
 * changed by triggers are not counted): after one step, that step's count,
 * and the difference across a step is the step's own. Counted when a step
 * runs the statement to its end (store_run does). On PostgreSQL a write sent
 * ahead in the pipeline (see store_defers_writes) is counted when its result
 * is read: this call reads the pending results first, one round trip, so a
 * caller counting many rows asks once after them (an import: once per file),
 * not after each; unlike store_changes, asking does not make the statement
 * synchronous. */
int64_t store_stmt_changes(struct store_stmt *st);

/* True when writes may be sent ahead (PostgreSQL's pipeline, store_pg.c): a
 * write run again in a transaction whose outcome its caller does not read
 * (no store_changes/store_last_insert_id after it) returns at once, and its
 * failure is returned by a later call (a read, store_stmt_changes, COMMIT at
 * the latest), not by its own step. Reading each write's outcome there costs
 * a round trip a write: callers that can, batch instead. SQLite: false. */
bool store_defers_writes(struct store *s);
/* Turn sending writes ahead off (every write's failure comes back from its
 * own step, e.g. to find the row of an import that failed) or on again (the
 * default, unless ZHUCUN_PG_PIPELINE=0). A no-op on SQLite. */
void store_set_defer_writes(struct store *s, bool on);

/* The row id of the last row inserted on this connection (0 if none). An
 * upsert that updates does not change it, so a value that grew across an
 * INSERT ... ON CONFLICT tells an insert from an update. */
int64_t store_last_insert_id(struct store *s);

/* Convenience: the first column of the first row of `sql` as an integer
 * (0 when there is no row). */
int store_query_int(struct store *s, const char *sql, int64_t *out, struct zc_error *err);

/* ---- one-call helpers (store.c, on top of the calls above) ----------------
 * Parameters as values: STORE_INT(v), STORE_REAL(v), STORE_TEXT(s) (NULL
 * binds NULL), STORE_NULL; STORE_ARGS(...) passes a list of them as the
 * (args, nargs) pair, bound ?1, ?2, ... in order. */
enum store_arg_type { STORE_ARG_NULL, STORE_ARG_INT, STORE_ARG_REAL, STORE_ARG_TEXT };

struct store_arg {
    enum store_arg_type type;
    int64_t i;
    double r;
    const char *s;
};

#define STORE_INT(v)  ((struct store_arg){.type = STORE_ARG_INT, .i = (int64_t)(v)})
#define STORE_REAL(v) ((struct store_arg){.type = STORE_ARG_REAL, .r = (double)(v)})
#define STORE_TEXT(v) ((struct store_arg){.type = STORE_ARG_TEXT, .s = (v)})
#define STORE_NULL    ((struct store_arg){.type = STORE_ARG_NULL})
#define STORE_ARGS(...)                                                                            \
    (const struct store_arg[]){__VA_ARGS__},                                                       \
        sizeof((const struct store_arg[]){__VA_ARGS__}) / sizeof(struct store_arg)
#define STORE_NOARGS NULL, 0

/* Bulk load: rows vals[0..nrows * ncols) (row after row, ncols values each;
 * STORE_TEXT(NULL) is NULL) into the columns cols[0..ncols) of `table`, as
 * one PostgreSQL COPY ... FROM STDIN in text format (store_pg.c escapes
 * backslash, tab, newline and carriage return, and writes NULL as \N): one
 * round trip for all the rows instead of a statement's cost a row. Inside a
 * transaction, as any write; writes sent ahead are read first, and a
 * failure (a value the column's type refuses, a constraint of `table`)
 * names "COPY table" but not the row: callers that must name it load a
 * staging table without constraints and check there, or run their rows
 * again one by one (registry's import engine does both).
 * Only where store_can_copy() is true (PostgreSQL); elsewhere store_copy
 * fails with ZC_EUSAGE. SQLite has no COPY, and nothing to gain from one:
 * its prepared INSERT is a function call in this process, with no round
 * trip or per-statement cost on a server to share out, so the caller keeps
 * its prepared statement there rather than the store faking a COPY with
 * the same loop. */
bool store_can_copy(struct store *s);
int store_copy(struct store *s, const char *table, const char *const *cols, size_t ncols,
               const struct store_arg *vals, size_t nrows, struct zc_error *err);

/* Bind args[0..n) to ?1..?n of a prepared statement. */
void store_bind_args(struct store_stmt *st, const struct store_arg *args, size_t n);

/* Prepare `sql`, bind the arguments, run it to the end and finalize it:
 * one write in one call. *changes (may be NULL) receives store_changes(). */
int store_execute(struct store *s, const char *sql, const struct store_arg *args, size_t n,
                  int64_t *changes, struct zc_error *err);

/* Prepare `sql`, bind the arguments and step once. On a row, *out holds the
 * statement positioned on it (the caller reads its columns and finalizes
 * it); without one, *out is NULL and the result is ZC_OK. */
int store_fetch_one(struct store *s, const char *sql, const struct store_arg *args, size_t n,
                    struct store_stmt **out, struct zc_error *err);

/* What an upsert did: the row was new, changed, or already as written. */
enum store_upsert_result { STORE_UNCHANGED, STORE_ADDED, STORE_UPDATED };

/* Run a prepared INSERT ... ON CONFLICT ... DO UPDATE ... WHERE (differs)
 * statement (bound by the caller; reset after) and say what it did: no
 * change is UNCHANGED; a row id that grew is ADDED (store_last_insert_id's
 * contract); otherwise UPDATED. `fresh_above` (0 if unknown) is the largest
 * row id before the caller's batch began: ids at or below it are updates. */
int store_upsert(struct store_stmt *st, struct store *s, int64_t fresh_above,
                 enum store_upsert_result *out, struct zc_error *err);

#endif
