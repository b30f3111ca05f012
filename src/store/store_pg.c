/* SPDX-License-Identifier: MIT */
/* store_pg.c - the PostgreSQL back end (libpq), for a province or the
 * nation; SQLite stays the embedded default.
 *
 * Statements: the shared SQL text is translated once at prepare time
 * (pg_translate.c: ? to $N, INTEGER to BIGINT, ...). The first execution
 * goes out as an unnamed statement (PQexecParams: one round trip); a
 * statement executed a second time is prepared on the server under its own
 * name and runs from the plan thereafter (imports, the match's writes).
 * Integers are sent typed int8, reals float8, text untyped so the server
 * reads it as the column it meets.
 *
 * One connection, one active query (libpq), while domain code keeps
 * several statements stepping at once (eligible_scan merges three reads,
 * plan_publish updates while it reads). So:
 * - a read streams in single-row mode: its rows come as the caller steps
 *   (an export holds one row, not the whole result). When another statement
 *   needs the connection, the rest of the streaming read is read into its
 *   own memory first (spill()) and it steps on from there;
 * - a write run again in a transaction whose outcome the caller does not
 *   read (no store_changes/last_insert_id after it) is sent in the pipeline
 *   and not waited for; the results are read, one round trip for all, when
 *   the connection or an outcome is needed (ready(), drain()), at the latest
 *   before COMMIT. The first failure is returned then, naming its own
 *   statement; the transaction is aborted, so the caller's rollback undoes
 *   all of it. Each result's row count is added to its statement as it is
 *   read (store_stmt_changes: exact at every sync point, and asking does not
 *   make the statement synchronous); store_set_defer_writes turns this off
 *   for a connection;
 * - everything else runs at once with its (small) result kept whole.
 * A connection lost between transactions (the server restarted) is made
 * again on its next use, and a read or BEGIN that found it lost is sent
 * once more (docs/internals/postgres.md).
 *
 * Row ids: SQLite's INTEGER PRIMARY KEY becomes an identity column. An
 * INSERT into a table with one and without its own RETURNING is sent with
 * RETURNING id (and, for an upsert, whether the row was inserted: xmax = 0
 * on a fresh row), so store_last_insert_id() keeps the contract of store.h
 * (an upsert that updates does not change it) without lastval(). New code
 * should say INSERT ... RETURNING id, which both back ends run. An INSERT
 * that names the id itself (the generator, the audit chain) moves the
 * identity sequence past it before the transaction commits.
 *
 * Errors name the operation (INSERT INTO cadre, UPDATE plan) and map by
 * SQLSTATE: class 23 (integrity) to ZC_ECONFLICT, 53100 (disk full) to
 * ZC_EIO, connection loss, serialisation failures and deadlocks to
 * ZC_EUNAVAILABLE (try again). A statement that fails inside a transaction
 * aborts it on PostgreSQL (SQLite lets it go on): the caller rolls back, as
 * every caller here does. */
#include "store/pg_lib.h" /* libpq, opened on first use */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "store_int.h"

#define BOOLOID   16
#define INT8OID   20
#define FLOAT8OID 701

/* Writes sent ahead in the pipeline before their results are read. The
 * results are small (a command tag, perhaps an id), so this many fit in the
 * sockets' buffers and neither side waits on the other. */
#define PIPE_MAX 256

struct pg_ident { /* a table's identity column, looked up once */
    char table[64];
    char col[64]; /* "" when the table has none */
    bool pending; /* ids inserted explicitly in this transaction */
};

struct pg_stmt;

struct pg_pending {    /* a command sent in the pipeline, its result not read yet */
    struct pg_stmt *w; /* finalize settles the pipeline first, so w outlives this */
    bool prepare;      /* the Parse of w's server-side statement, not an execution */
};

struct pg_store {
    struct store base; /* must be first */
    PGconn *conn;
    char *label;    /* postgresql://host:port/db, no password: for messages */
    char *conninfo; /* as given, to connect again */
    int flags;      /* of store_open: the session is set up again after a reconnect */
    int64_t changes;
    int64_t last_id;
    unsigned names; /* server-side statement names issued */
    unsigned gen;   /* connection generation: a reconnect forgets server-side names */
    struct pg_ident *idents;
    size_t nidents;
    struct pg_stmt *streaming; /* its rows arrive one at a time (single-row mode) */
    struct pg_pending *pending;
    size_t npending, cpending;
    struct pg_stmt *last_run; /* the write store_changes() speaks of */
    struct zc_error sticky;   /* a deferred failure found where none could be returned */
    bool pipeline;            /* defer repeated writes (store_set_defer_writes) */
    bool pipeline_allowed;    /* ZHUCUN_PG_PIPELINE=0: never */
    bool stream;              /* single-row mode for reads (ZHUCUN_PG_STREAM=0: buffer them) */
};

enum pg_mode {
    M_IDLE,   /* not executing */
    M_BUF,    /* res holds the whole result */
    M_STREAM, /* rows come one by one from the connection, then from spill[] */
};

struct pg_stmt {
    struct store_stmt base; /* must be first */
    struct pg_store *s;
    struct pg_sql q;
    char *sent;        /* q.text with RETURNING appended, or NULL */
    bool id_returned;  /* the appended RETURNING: rows are ours, not the caller's */
    bool looked_up;    /* identity column checked */
    bool write;        /* INSERT, UPDATE or DELETE */
    bool wants_result; /* the caller reads store_changes/last_insert_id after it */
    bool delivered;    /* a row of this execution reached the caller (or it was retried) */
    char **vals;       /* parameters as text, NULL for NULL; [q.nparams] */
    Oid *types;
    PGresult *res;
    int row; /* current row of res, -1 before the first */
    enum pg_mode mode;
    bool executed;    /* a result cycle is under way (res, the stream, or a deferred send) */
    PGresult **spill; /* rows read ahead when another statement needed the connection */
    size_t nspill, spos, cspill;
    int runs;
    int64_t nchanged; /* rows changed by its executions whose results were read */
    unsigned gen;     /* the connection generation name[] was prepared on */
    char name[16];    /* server-side prepared statement, "" while unnamed */
};

static void pg_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs (IF NOT EXISTS, ...) are not the user's business */
}

/* The operation a statement performs, for messages: "INSERT INTO cadre". */
static void operation(const char *sql, char *out, size_t n)
{
    size_t k = 0, words = 0;
    bool space = false;
    int want = 1;
    while (*sql == ' ' || *sql == '\n' || *sql == '(')
        sql++;
    if (strncasecmp(sql, "INSERT", 6) == 0 || strncasecmp(sql, "DELETE", 6) == 0)
        want = 3;
    else if (strncasecmp(sql, "UPDATE", 6) == 0 || strncasecmp(sql, "CREATE", 6) == 0 ||
             strncasecmp(sql, "ALTER", 5) == 0 || strncasecmp(sql, "DROP", 4) == 0)
        want = strncasecmp(sql, "UPDATE", 6) == 0 ? 2 : 3;
    else if (strncasecmp(sql, "COPY", 4) == 0)
        want = 2;
    for (; *sql && k + 1 < n; sql++) {
        if (*sql == ' ' || *sql == '\n' || *sql == '(' || *sql == '\t') {
            space = true;
            continue;
        }
        if (space) {
            if (++words >= (size_t)want)
                break;
            out[k++] = ' ';
            space = false;
        }
        out[k++] = *sql;
    }
    out[k] = '\0';
}

static void trim_newlines(struct zc_error *err)
{
    size_t l = strlen(err->msg); /* libpq's own messages end with a newline */
    while (l && (err->msg[l - 1] == '\n' || err->msg[l - 1] == ' '))
        err->msg[--l] = '\0';
}

static int pg_fail(struct pg_store *s, const PGresult *r, const char *sql, struct zc_error *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int code = ZC_ESTORE;
    char op[96];
    if (!msg)
        msg = PQerrorMessage(s->conn);
    if (state && strncmp(state, "23", 2) == 0)
        code = ZC_ECONFLICT;
    else if (state && strcmp(state, "53100") == 0)
        code = ZC_EIO;
    else if ((state && (strncmp(state, "08", 2) == 0 || strcmp(state, "40001") == 0 ||
                        strcmp(state, "40P01") == 0 || strcmp(state, "57P01") == 0)) ||
             PQstatus(s->conn) == CONNECTION_BAD)
        code = ZC_EUNAVAILABLE;
    operation(sql, op, sizeof(op));
    if (getenv("ZHUCUN_PG_TRACE")) /* for whoever ports a statement: the text as sent */
        fprintf(stderr, "zhucun: PostgreSQL refused: %s\n", sql);
    if (state)
        zc_error_set(err, code, "%s: %s: %s (SQLSTATE %s)", s->label, op, msg, state);
    else
        zc_error_set(err, code, "%s: %s: %s", s->label, op, msg);
    trim_newlines(err);
    return code;
}

/* Rows changed, from the command tag of an INSERT/UPDATE/DELETE (the
 * connection's store_changes); returns them, 0 for another command. */
static int64_t note_changes(struct pg_store *s, PGresult *r)
{
    const char *tag = PQcmdStatus(r);
    if (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
        strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0)
        return s->changes = strtoll(PQcmdTuples(r), NULL, 10);
    return 0;
}

/* The ids an INSERT with our own RETURNING gave (for an upsert, only of
 * rows it inserted). */
static void note_ids(struct pg_store *s, const struct pg_stmt *w, const PGresult *r)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (!w->q.upsert || PQgetvalue(r, i, 1)[0] == 't')
            s->last_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
}

/* ---- the connection: one statement streaming, writes in the pipeline ---- */

static bool is_error(ExecStatusType t)
{
    return t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_SINGLE_TUPLE &&
           t != PGRES_PIPELINE_SYNC && t != PGRES_PIPELINE_ABORTED;
}

/* The connection is gone (the server restarted or shut down), as opposed
 * to a statement that failed. */
static bool lost(const struct pg_store *s, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return PQstatus(s->conn) == CONNECTION_BAD ||
           (state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
                      strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0));
}

/* Read the rest of the streaming statement's rows into its spill, so that
 * the connection is free for another statement. The rows stay the caller's
 * to step through, as with a buffered result. */
static void spill(struct pg_store *s)
{
    struct pg_stmt *w = s->streaming;
    PGresult *r;
    if (!w)
        return;
    s->streaming = NULL;
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (PQresultStatus(r) == PGRES_TUPLES_OK) { /* the end of the rows */
            PQclear(r);
            continue;
        }
        if (w->nspill == w->cspill) {
            w->cspill = w->cspill ? 2 * w->cspill : 64;
            w->spill = zc_reallocarray(w->spill, w->cspill, sizeof(*w->spill));
        }
        w->spill[w->nspill++] = r; /* a row, or the error that ended them */
    }
}

/* Read the results of the writes sent ahead: the first failure is this
 * call's (it names its own statement: "INSERT INTO cadre: duplicate key
 * ..."); the writes after it were not run (the server skips the rest of a
 * pipeline after an error, and the transaction is aborted in any case). */
static int drain(struct pg_store *s, struct zc_error *err)
{
    PGconn *c = s->conn;
    int rc = ZC_OK;
    if (PQpipelineStatus(c) == PQ_PIPELINE_OFF)
        return ZC_OK;
    if (!PQpipelineSync(c))
        rc = pg_fail(s, NULL, "SYNC", err);
    for (size_t i = 0; i < s->npending; i++) {
        struct pg_pending *e = &s->pending[i];
        PGresult *r;
        while ((r = PQgetResult(c)) != NULL) {
            ExecStatusType t = PQresultStatus(r);
            if (is_error(t) || t == PGRES_PIPELINE_ABORTED) {
                if (e->prepare)
                    e->w->name[0] = '\0'; /* not made on the server: prepare again */
                if (rc == ZC_OK && t != PGRES_PIPELINE_ABORTED)
                    rc = pg_fail(s, r, e->w->q.text, err);
            } else if (!e->prepare) {
                e->w->nchanged += note_changes(s, r); /* counted at this sync point */
                if (e->w->id_returned)
                    note_ids(s, e->w, r);
            }
            PQclear(r);
        }
    }
    s->npending = 0;
    for (int nulls = 0; nulls < 3;) { /* up to the sync point */
        PGresult *r = PQgetResult(c);
        ExecStatusType t;
        if (!r) {
            nulls++;
            if (PQstatus(c) == CONNECTION_BAD)
                break;
            continue;
        }
        t = PQresultStatus(r);
        if (rc == ZC_OK && is_error(t))
            rc = pg_fail(s, r, "SYNC", err);
        PQclear(r);
        if (t == PGRES_PIPELINE_SYNC)
            break;
    }
    if (!PQexitPipelineMode(c) && rc == ZC_OK)
        rc = zc_error_set(err, ZC_EUNAVAILABLE, "%s: the pipeline did not end: %s", s->label,
                          PQerrorMessage(c));
    if (rc != ZC_OK)
        trim_newlines(err);
    return rc;
}

static int session_setup(struct pg_store *s, struct zc_error *err);

/* After a lost connection (a server restarted): connect again, with the
 * same session setup. Only between transactions: a transaction that
 * was open is gone, and its caller has had its error. */
static int reconnect(struct pg_store *s, struct zc_error *err)
{
    s->streaming = NULL;
    s->npending = 0;
    /* A new connection rather than PQreset: nothing of the old one's state
     * (a pipeline cut off half-way) comes along. */
    PQfinish(s->conn);
    s->conn = PQconnectdb(s->conninfo);
    s->gen++; /* server-side statements are gone with the old session */
    if (PQstatus(s->conn) != CONNECTION_OK) {
        zc_error_set(err, ZC_EUNAVAILABLE,
                     "%s: the connection was lost and cannot be made again: %s", s->label,
                     PQerrorMessage(s->conn));
        trim_newlines(err);
        return ZC_EUNAVAILABLE;
    }
    return session_setup(s, err);
}

/* Make the connection free for a synchronous command: the streaming
 * statement's rows read ahead, the pipeline's results read; a failure found
 * earlier where it could not be returned is returned now; a connection lost
 * between transactions is made again. */
static int ready(struct pg_store *s, struct zc_error *err)
{
    int rc;
    if (s->base.tx_depth == 0 && PQstatus(s->conn) == CONNECTION_BAD) {
        s->sticky.code = ZC_OK; /* whatever was pending died with the transaction */
        return reconnect(s, err);
    }
    spill(s);
    rc = drain(s, err);
    if (rc != ZC_OK)
        return rc;
    if (s->sticky.code != ZC_OK) {
        *err = s->sticky;
        s->sticky.code = ZC_OK;
        return err->code;
    }
    return ZC_OK;
}

/* ready() where nothing can be returned (finalize, store_changes): a
 * failure waits in `sticky` for the next call that can return it. */
static void settle(struct pg_store *s)
{
    struct zc_error e;
    spill(s);
    if (PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF && drain(s, &e) != ZC_OK &&
        s->sticky.code == ZC_OK)
        s->sticky = e;
}

static struct pg_ident *identity_of(struct pg_store *s, const char *table);
static int sync_identity(struct pg_store *s, struct pg_ident *id, struct zc_error *err);

static bool starts_with(const char *sql, const char *word)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
        sql++;
    return strncasecmp(sql, word, strlen(word)) == 0;
}

static int pg_exec(struct store *base, const char *sql, struct zc_error *err)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_sql q;
    PGresult *r;
    int rc;
    bool rollback = starts_with(sql, "ROLLBACK");
    rc = ready(s, err);
    if (rollback) { /* whatever failed belonged to the work being undone */
        s->sticky.code = ZC_OK;
        rc = ZC_OK;
    }
    if (rc != ZC_OK)
        return rc;
    store_pg_translate(sql, &q);
    r = PQexec(s->conn, q.text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK &&
        s->base.tx_depth == 0 && lost(s, r) && !rollback &&
        (starts_with(sql, "BEGIN") || starts_with(sql, "SELECT"))) {
        /* The server went away while this connection was idle (restarted):
         * nothing was done, so connect again and do it. */
        PQclear(r);
        rc = reconnect(s, err);
        if (rc != ZC_OK) {
            store_pg_sql_fini(&q);
            return rc;
        }
        r = PQexec(s->conn, q.text);
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_fail(s, r, sql, err);
    else if (strcmp(q.text, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0)
        /* A failed transaction ends in a ROLLBACK whatever one asks: never
         * report that as committed. */
        rc = zc_error_set(err, ZC_ESTORE,
                          "%s: COMMIT: the transaction had failed and was rolled back", s->label);
    else
        note_changes(s, r);
    PQclear(r);
    s->last_run = NULL; /* store_changes now speaks of this command, no statement's */
    /* Inserts run this way may name their ids: have the sequences checked. */
    for (const char *t = q.inserted; rc == ZC_OK && t && *t == ',' && t[1];) {
        const char *e = strchr(t + 1, ',');
        char name[64];
        struct pg_ident *id;
        snprintf(name, sizeof(name), "%.*s", (int)(e - t - 1), t + 1);
        t = e;
        id = identity_of(s, name);
        if (id && id->col[0]) {
            id->pending = true;
            if (s->base.tx_depth == 0)
                rc = sync_identity(s, id, err);
        }
    }
    store_pg_sql_fini(&q);
    return rc;
}

static int64_t pg_changes(struct store *base)
{
    struct pg_store *s = (struct pg_store *)base;
    if (s->last_run) /* its caller reads its outcome: run it synchronously from now on */
        s->last_run->wants_result = true;
    settle(s);
    return s->changes;
}

/* The statement's own count, its pipelined results read first (settle):
 * unlike pg_changes, asking leaves the statement deferrable. */
static int64_t st_changes(struct store_stmt *base)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    for (size_t i = 0; i < w->s->npending; i++)
        if (w->s->pending[i].w == w) {
            settle(w->s);
            break;
        }
    return w->nchanged;
}

static bool pg_defers_writes(struct store *base)
{
    return ((struct pg_store *)base)->pipeline;
}

static void pg_set_defer_writes(struct store *base, bool on)
{
    struct pg_store *s = (struct pg_store *)base;
    s->pipeline = on && s->pipeline_allowed;
}

static int64_t pg_last_insert_id(struct store *base)
{
    struct pg_store *s = (struct pg_store *)base;
    if (s->last_run)
        s->last_run->wants_result = true;
    settle(s);
    return s->last_id;
}

/* The identity column of `table` ("" for none), asked of the catalog once
 * per connection. */
static struct pg_ident *identity_of(struct pg_store *s, const char *table)
{
    const char *params[1] = {table};
    PGresult *r;
    struct pg_ident *id;
    for (size_t i = 0; i < s->nidents; i++)
        if (strcmp(s->idents[i].table, table) == 0)
            return &s->idents[i];
    settle(s);
    r = PQexecParams(s->conn,
                     "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                     "WHERE c.relname = $1 AND pg_table_is_visible(c.oid) "
                     "AND a.attidentity <> '' AND NOT a.attisdropped",
                     1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return NULL; /* an aborted transaction: the INSERT fails anyway */
    }
    s->idents = zc_reallocarray(s->idents, s->nidents + 1, sizeof(*s->idents));
    id = &s->idents[s->nidents++];
    memset(id, 0, sizeof(*id));
    snprintf(id->table, sizeof(id->table), "%s", table);
    if (PQntuples(r) > 0)
        snprintf(id->col, sizeof(id->col), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return id;
}

/* Move the identity sequence of `id` past the largest id in its table
 * (never back: another session may have drawn ids beyond it). */
static int sync_identity(struct pg_store *s, struct pg_ident *id, struct zc_error *err)
{
    char *t = PQescapeIdentifier(s->conn, id->table, strlen(id->table));
    char *c = PQescapeIdentifier(s->conn, id->col, strlen(id->col));
    struct buf sql;
    PGresult *r;
    int rc = ZC_OK;
    buf_init(&sql);
    buf_printf(&sql,
               "SELECT setval(q, m) FROM (SELECT pg_get_serial_sequence('%s', '%s')::regclass AS "
               "q, (SELECT max(%s) FROM %s) AS m) x WHERE m > coalesce(pg_sequence_last_value(q), "
               "0)",
               t, id->col, c, t);
    r = PQexec(s->conn, buf_cstr(&sql));
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_fail(s, r, "SELECT setval", err);
    else
        id->pending = false;
    PQclear(r);
    buf_fini(&sql);
    PQfreemem(t);
    PQfreemem(c);
    return rc;
}

static int pg_pre_commit(struct store *base, struct zc_error *err)
{
    struct pg_store *s = (struct pg_store *)base;
    int rc = ready(s, err); /* every write's outcome is known before COMMIT */
    for (size_t i = 0; rc == ZC_OK && i < s->nidents; i++)
        if (s->idents[i].pending)
            rc = sync_identity(s, &s->idents[i], err);
    return rc;
}

static void pg_close(struct store *base)
{
    struct pg_store *s = (struct pg_store *)base;
    if (s->conn)
        PQfinish(s->conn);
    free(s->pending);
    free(s->idents);
    free(s->label);
    free(s->conninfo);
    free(s);
}

static const struct store_stmt_ops pg_stmt_ops;

static int pg_prepare(struct store *base, const char *sql, struct store_stmt **out,
                      struct zc_error *err)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_stmt *w = zc_calloc(1, sizeof(*w));
    (void)err; /* the server reads the statement at its first execution */
    w->base.ops = &pg_stmt_ops;
    w->s = s;
    store_pg_translate(sql, &w->q);
    w->write = w->q.statements == 1 &&
               (starts_with(w->q.text, "INSERT") || starts_with(w->q.text, "UPDATE") ||
                starts_with(w->q.text, "DELETE"));
    if (w->q.nparams > 0) {
        w->vals = zc_calloc((size_t)w->q.nparams, sizeof(*w->vals));
        w->types = zc_calloc((size_t)w->q.nparams, sizeof(*w->types));
    }
    w->row = -1;
    *out = &w->base;
    return ZC_OK;
}

static void clear_bindings(struct pg_stmt *w)
{
    for (int i = 0; i < w->q.nparams; i++) {
        free(w->vals[i]);
        w->vals[i] = NULL;
        w->types[i] = 0;
    }
}

/* End the statement's result cycle: its rows dropped (a stream read to its
 * end and dropped: the connection serves one result at a time). */
static void end_cycle(struct pg_stmt *w)
{
    PGresult *r;
    if (w->s->streaming == w) {
        w->s->streaming = NULL;
        while ((r = PQgetResult(w->s->conn)) != NULL)
            PQclear(r);
    }
    for (size_t i = w->spos; i < w->nspill; i++)
        PQclear(w->spill[i]);
    w->nspill = w->spos = 0;
    PQclear(w->res);
    w->res = NULL;
    w->mode = M_IDLE;
    w->executed = false;
    w->row = -1;
}

static void st_reset(struct store_stmt *base)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    end_cycle(w);
    clear_bindings(w);
}

static void st_finalize(struct store_stmt *base)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    struct pg_store *s = w->s;
    end_cycle(w);
    clear_bindings(w);
    if (s->npending)
        settle(s); /* results in the pipeline may be w's */
    if (s->last_run == w)
        s->last_run = NULL;
    if (w->name[0] && w->gen == s->gen) {
        char sql[32];
        settle(s);
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", w->name);
        PQclear(PQexec(s->conn, sql)); /* fails only in an aborted transaction */
    }
    free(w->spill);
    free(w->vals);
    free(w->types);
    free(w->sent);
    store_pg_sql_fini(&w->q);
    free(w);
}

static void bind(struct pg_stmt *w, int idx, char *v, Oid type)
{
    if (idx < 1 || idx > w->q.nparams) { /* as SQLite: out of range is ignored */
        free(v);
        return;
    }
    free(w->vals[idx - 1]);
    w->vals[idx - 1] = v;
    w->types[idx - 1] = type;
}

static void st_bind_int(struct store_stmt *base, int idx, int64_t v)
{
    char t[24];
    snprintf(t, sizeof(t), "%lld", (long long)v);
    bind((struct pg_stmt *)base, idx, zc_strdup(t), INT8OID);
}

static void st_bind_real(struct store_stmt *base, int idx, double v)
{
    char t[32];
    snprintf(t, sizeof(t), "%.17g", v);
    bind((struct pg_stmt *)base, idx, zc_strdup(t), FLOAT8OID);
}

static void st_bind_text(struct store_stmt *base, int idx, const char *p, size_t n)
{
    bind((struct pg_stmt *)base, idx, zc_strndup(p, n), 0);
}

static void st_bind_null(struct store_stmt *base, int idx)
{
    bind((struct pg_stmt *)base, idx, NULL, 0);
}

/* An INSERT into a table with an identity column: either it names the id
 * (mark the sequence for moving) or RETURNING gives us the new id. */
static void plan_insert(struct pg_stmt *w)
{
    struct pg_ident *id;
    char want[72];
    size_t n;
    w->looked_up = true;
    if (!w->q.table[0] || w->q.statements != 1)
        return;
    id = identity_of(w->s, w->q.table);
    if (!id || !id->col[0])
        return;
    snprintf(want, sizeof(want), ",%s,", id->col);
    if (!w->q.cols || strstr(w->q.cols, want))
        return; /* explicit ids: execute() marks the sequence */
    if (w->q.returning)
        return;
    n = strlen(w->q.text);
    while (n && (w->q.text[n - 1] == ';' || w->q.text[n - 1] == ' ' || w->q.text[n - 1] == '\n'))
        n--;
    {
        struct buf b;
        buf_init(&b);
        buf_append(&b, w->q.text, n);
        buf_printf(&b, " RETURNING %s%s", id->col, w->q.upsert ? ", (xmax = 0)" : "");
        w->sent = buf_steal(&b);
        buf_fini(&b);
    }
    w->id_returned = true;
}

static bool names_id(const struct pg_stmt *w, const struct pg_ident *id)
{
    char want[72];
    snprintf(want, sizeof(want), ",%s,", id->col);
    return !w->q.cols || strstr(w->q.cols, want);
}

/* An INSERT that names its table's identity column: the sequence is moved
 * before COMMIT, or now in autocommit (the row is already visible). */
static int mark_explicit_id(struct pg_stmt *w, struct zc_error *err)
{
    struct pg_store *s = w->s;
    struct pg_ident *id;
    if (!w->q.table[0] || w->q.statements != 1)
        return ZC_OK;
    id = identity_of(s, w->q.table);
    if (!id || !id->col[0] || !names_id(w, id))
        return ZC_OK;
    id->pending = true;
    return s->base.tx_depth == 0 ? sync_identity(s, id, err) : ZC_OK;
}

static void push_pending(struct pg_store *s, struct pg_stmt *w, bool prepare)
{
    if (s->npending == s->cpending) {
        s->cpending = s->cpending ? 2 * s->cpending : 64;
        s->pending = zc_reallocarray(s->pending, s->cpending, sizeof(*s->pending));
    }
    s->pending[s->npending].w = w;
    s->pending[s->npending].prepare = prepare;
    s->npending++;
}

/* A write run again in a transaction whose outcome its caller does not
 * read: send it in the pipeline and go on; its result is read at the next
 * point that needs the connection or an outcome (a read, store_changes,
 * COMMIT), at the latest after PIPE_MAX writes. One round trip for many
 * rows instead of one a row. */
static int pipe_send(struct pg_stmt *w, const char *sql, struct zc_error *err)
{
    struct pg_store *s = w->s;
    PGconn *c = s->conn;
    int ok;
    spill(s);
    if (s->sticky.code != ZC_OK) {
        *err = s->sticky;
        s->sticky.code = ZC_OK;
        return err->code;
    }
    if (PQpipelineStatus(c) == PQ_PIPELINE_OFF && !PQenterPipelineMode(c))
        return pg_fail(s, NULL, w->q.text, err);
    if (w->runs >= 2 && !w->name[0]) {
        char name[16];
        snprintf(name, sizeof(name), "zc%u", ++s->names);
        if (!PQsendPrepare(c, name, sql, w->q.nparams, w->types))
            return pg_fail(s, NULL, w->q.text, err);
        memcpy(w->name, name, sizeof(name));
        w->gen = s->gen;
        push_pending(s, w, true);
    }
    if (w->name[0])
        ok = PQsendQueryPrepared(c, w->name, w->q.nparams, (const char *const *)w->vals, NULL, NULL,
                                 0);
    else
        ok = PQsendQueryParams(c, sql, w->q.nparams, w->types, (const char *const *)w->vals, NULL,
                               NULL, 0);
    if (!ok)
        return pg_fail(s, NULL, w->q.text, err);
    push_pending(s, w, false);
    s->last_run = w;
    if (s->npending >= PIPE_MAX)
        return drain(s, err);
    return ZC_OK;
}

static bool deferrable(const struct pg_stmt *w)
{
    return w->s->pipeline && w->s->base.tx_depth > 0 && w->write && !w->q.returning &&
           !w->wants_result && w->runs >= 2;
}

/* Send a read in single-row mode: its rows arrive as st_step asks. */
static int stream_start(struct pg_stmt *w, const char *sql, struct zc_error *err)
{
    struct pg_store *s = w->s;
    int ok = w->name[0] ? PQsendQueryPrepared(s->conn, w->name, w->q.nparams,
                                              (const char *const *)w->vals, NULL, NULL, 0)
                        : PQsendQueryParams(s->conn, sql, w->q.nparams, w->types,
                                            (const char *const *)w->vals, NULL, NULL, 0);
    if (!ok)
        return pg_fail(s, NULL, w->q.text, err);
    PQsetSingleRowMode(s->conn);
    s->streaming = w;
    w->mode = M_STREAM;
    w->delivered = false;
    return ZC_OK;
}

static int execute(struct pg_stmt *w, struct zc_error *err)
{
    struct pg_store *s = w->s;
    const char *sql;
    PGresult *r;
    int rc;
    end_cycle(w);
    if (!w->looked_up)
        plan_insert(w);
    sql = w->sent ? w->sent : w->q.text;
    if (w->name[0] && w->gen != s->gen) { /* prepared on a connection since lost */
        w->name[0] = '\0';
        w->runs = 1;
    }
    w->runs++;
    if (deferrable(w)) {
        rc = pipe_send(w, sql, err);
        if (rc == ZC_OK)
            rc = mark_explicit_id(w, err);
        return rc; /* executed stays false: the step has no rows */
    }
    rc = ready(s, err);
    if (rc != ZC_OK)
        return rc;
    if (w->name[0] && w->gen != s->gen) /* ready() made the connection again */
        w->name[0] = '\0';
    if (w->runs >= 2 && !w->name[0]) { /* executed again: worth a server-side plan */
        char name[16];
        snprintf(name, sizeof(name), "zc%u", ++s->names);
        r = PQprepare(s->conn, name, sql, w->q.nparams, w->types);
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            memcpy(w->name, name, sizeof(name));
            w->gen = s->gen;
        } else if (s->base.tx_depth > 0) { /* the failure aborted the transaction */
            rc = pg_fail(s, r, w->q.text, err);
            PQclear(r);
            return rc;
        }
        PQclear(r);
    }
    if (!w->write && !w->q.returning && s->stream) {
        rc = stream_start(w, sql, err);
        if (rc != ZC_OK && s->base.tx_depth == 0 && lost(s, NULL) && reconnect(s, err) == ZC_OK) {
            if (w->name[0] && w->gen != s->gen)
                w->name[0] = '\0';
            rc = stream_start(w, sql, err);
        }
        if (rc == ZC_OK)
            w->executed = true;
        return rc;
    }
    if (w->name[0])
        r = PQexecPrepared(s->conn, w->name, w->q.nparams, (const char *const *)w->vals, NULL, NULL,
                           0);
    else
        r = PQexecParams(s->conn, sql, w->q.nparams, w->types, (const char *const *)w->vals, NULL,
                         NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_fail(s, r, w->q.text, err);
        PQclear(r);
        return rc;
    }
    {
        int64_t n = note_changes(s, r);
        if (w->write) {
            w->nchanged += n;
            s->last_run = w;
        }
    }
    rc = mark_explicit_id(w, err);
    if (rc != ZC_OK) {
        PQclear(r);
        return rc;
    }
    if (w->id_returned) {
        note_ids(s, w, r);
        PQclear(r);
        r = NULL; /* the caller asked for no rows */
    }
    w->res = r;
    w->mode = M_BUF;
    w->executed = true;
    w->row = -1;
    return ZC_OK;
}

/* The next row of a streaming statement: from its spill, or the wire. */
static int stream_next(struct pg_stmt *w, bool *has_row, struct zc_error *err)
{
    struct pg_store *s = w->s;
    for (;;) {
        PGresult *r;
        ExecStatusType t;
        if (w->spos < w->nspill)
            r = w->spill[w->spos++];
        else if (s->streaming == w)
            r = PQgetResult(s->conn);
        else
            r = NULL;
        if (!r && s->streaming == w && PQstatus(s->conn) == CONNECTION_BAD)
            r = PQmakeEmptyPGresult(s->conn, PGRES_FATAL_ERROR); /* lost, not the end */
        if (!r) {
            if (s->streaming == w)
                s->streaming = NULL;
            w->nspill = w->spos = 0;
            return ZC_OK;
        }
        t = PQresultStatus(r);
        if (t == PGRES_SINGLE_TUPLE) {
            w->delivered = true;
            PQclear(w->res);
            w->res = r;
            w->row = 0;
            *has_row = true;
            return ZC_OK;
        }
        if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) {
            PQclear(r);
            continue;
        }
        if (!w->delivered && s->base.tx_depth == 0 && lost(s, r)) {
            /* The server went away while this connection was idle (it was
             * restarted): a read outside a transaction is simply sent again
             * on a new connection. */
            int rc;
            PQclear(r);
            end_cycle(w);
            rc = reconnect(s, err);
            if (rc == ZC_OK)
                rc = execute(w, err);
            if (rc != ZC_OK)
                return rc;
            w->delivered = true; /* one retry */
            continue;
        }
        {
            int rc = pg_fail(s, r, w->q.text, err);
            PQclear(r);
            end_cycle(w);
            return rc;
        }
    }
}

static int st_step(struct store_stmt *base, bool *has_row, struct zc_error *err)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    *has_row = false;
    if (!w->executed) {
        int rc = execute(w, err);
        if (rc != ZC_OK || !w->executed)
            return rc;
    }
    if (w->mode == M_STREAM) {
        int rc = stream_next(w, has_row, err);
        if (rc != ZC_OK)
            return rc;
        if (!*has_row) { /* done: as in SQLite, the next step runs it again */
            PQclear(w->res);
            w->res = NULL;
            w->executed = false;
            w->mode = M_IDLE;
        }
        return ZC_OK;
    }
    if (w->res && w->row + 1 < PQntuples(w->res)) {
        w->row++;
        *has_row = true;
        return ZC_OK;
    }
    /* Done: as in SQLite, the next step runs the statement again. */
    w->executed = false;
    return ZC_OK;
}

static int st_col_count(struct store_stmt *base)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    return w->res ? PQnfields(w->res) : 0;
}

static bool have(const struct pg_stmt *w, int col)
{
    return w->res && w->row >= 0 && w->row < PQntuples(w->res) && col >= 0 &&
           col < PQnfields(w->res);
}

static bool st_col_is_null(struct store_stmt *base, int col)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    return !have(w, col) || PQgetisnull(w->res, w->row, col);
}

static int64_t st_col_int(struct store_stmt *base, int col)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    const char *v;
    char *end;
    long long n;
    if (!have(w, col))
        return 0;
    v = PQgetvalue(w->res, w->row, col);
    if (PQftype(w->res, col) == BOOLOID)
        return v[0] == 't';
    n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E')
        return (int64_t)strtod(v, NULL); /* numeric or float: truncate, as SQLite does */
    return n;
}

static double st_col_real(struct store_stmt *base, int col)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    const char *v;
    if (!have(w, col))
        return 0;
    v = PQgetvalue(w->res, w->row, col);
    if (PQftype(w->res, col) == BOOLOID)
        return v[0] == 't';
    return strtod(v, NULL);
}

static const char *st_col_text(struct store_stmt *base, int col)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    const char *v;
    if (!have(w, col))
        return "";
    v = PQgetvalue(w->res, w->row, col);
    if (PQftype(w->res, col) == BOOLOID && !PQgetisnull(w->res, w->row, col))
        return v[0] == 't' ? "1" : "0"; /* a comparison reads as SQLite's 1 or 0 */
    return v;
}

/* One value in COPY's text format: \N for NULL; in text, the backslash
 * and the characters that end a field or a row written as escapes. */
static void copy_value(struct buf *b, const struct store_arg *a)
{
    const char *p;
    switch (a->type) {
    case STORE_ARG_INT:
        buf_printf(b, "%lld", (long long)a->i);
        return;
    case STORE_ARG_REAL:
        buf_printf(b, "%.17g", a->r); /* as st_bind_real sends it */
        return;
    case STORE_ARG_TEXT:
        if (a->s)
            break;
        /* fall through */
    case STORE_ARG_NULL:
        buf_puts(b, "\\N");
        return;
    }
    for (p = a->s; *p; p++) {
        const char *run = p;
        while (*p && *p != '\\' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        buf_append(b, run, (size_t)(p - run));
        if (!*p)
            break;
        buf_putc(b, '\\');
        buf_putc(b, *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r');
    }
}

/* Bytes handed to libpq at a time: its own buffer grows to what it is given. */
#define COPY_CHUNK (256 * 1024)

/* store_copy: COPY table(cols) FROM STDIN, the rows in text format. The
 * connection is made free first (ready: the pipeline's results read); COPY
 * cannot run in a pipeline, and the writes sent after it open a new one. */
static int pg_copy(struct store *base, const char *table, const char *const *cols, size_t ncols,
                   const struct store_arg *vals, size_t nrows, struct zc_error *err)
{
    struct pg_store *s = (struct pg_store *)base;
    struct buf b;
    PGresult *r;
    int rc = ready(s, err);
    bool sent = true;
    if (rc != ZC_OK)
        return rc;
    buf_init(&b);
    buf_printf(&b, "COPY %s (", table);
    for (size_t i = 0; i < ncols; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", cols[i]);
    buf_puts(&b, ") FROM STDIN");
    r = PQexec(s->conn, buf_cstr(&b));
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_fail(s, r, buf_cstr(&b), err);
        PQclear(r);
        buf_fini(&b);
        return rc;
    }
    PQclear(r);
    buf_reset(&b);
    for (size_t row = 0; row < nrows && sent; row++) {
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                buf_putc(&b, '\t');
            copy_value(&b, &vals[row * ncols + i]);
        }
        buf_putc(&b, '\n');
        if (b.len >= COPY_CHUNK || row + 1 == nrows) {
            sent = PQputCopyData(s->conn, b.p, (int)b.len) == 1;
            buf_reset(&b);
        }
    }
    /* Ended with an error message if a chunk was not taken: the server
     * then refuses the COPY, and its result below says so. */
    if (PQputCopyEnd(s->conn, sent ? NULL : "the client could not send the rows") != 1)
        sent = false;
    buf_printf(&b, "COPY %s", table);
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == ZC_OK)
            rc = pg_fail(s, r, buf_cstr(&b), err);
        PQclear(r);
    }
    if (rc == ZC_OK && !sent)
        rc = pg_fail(s, NULL, buf_cstr(&b), err);
    buf_fini(&b);
    s->last_run = NULL; /* store_changes speaks of no statement of the caller's now */
    return rc;
}

static const struct store_ops pg_ops = {
    .name = "postgresql",
    .cheap_savepoints = true,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .changes = pg_changes,
    .last_insert_id = pg_last_insert_id,
    .pre_commit = pg_pre_commit,
    .defers_writes = pg_defers_writes,
    .set_defer_writes = pg_set_defer_writes,
    .copy = pg_copy,
};

static const struct store_stmt_ops pg_stmt_ops = {
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

/* The database a connection string names, into out[n] ("" if none). */
static void dbname_of(const char *conninfo, char *out, size_t n)
{
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    out[0] = '\0';
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "dbname") == 0 && o->val)
            snprintf(out, n, "%s", o->val);
    PQconninfoFree(opts);
}

/* CREATE, DROP or RENAME a database on the server of `conninfo`, from its
 * maintenance database `postgres`: a database cannot create, drop or rename
 * itself. `a` and `b` are database names, quoted here. */
enum admin_verb { A_CREATE, A_DROP, A_RENAME };

static int admin(const char *conninfo, enum admin_verb verb, const char *a, const char *b,
                 struct zc_error *err)
{
    const char *const keys[] = {"dbname", "dbname", NULL};
    const char *vals[] = {conninfo, "postgres", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    int rc = ZC_OK;
    PQsetNoticeProcessor(c, pg_notice, NULL);
    if (PQstatus(c) != CONNECTION_OK) {
        rc = zc_error_set(err, ZC_EUNAVAILABLE, "PostgreSQL: cannot connect for %s: %s", a,
                          PQerrorMessage(c));
    } else {
        char *qa = PQescapeIdentifier(c, a, strlen(a));
        char *qb = b ? PQescapeIdentifier(c, b, strlen(b)) : NULL;
        struct buf sql;
        PGresult *r;
        buf_init(&sql);
        if (verb == A_CREATE)
            buf_printf(&sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", qa);
        else if (verb == A_DROP)
            buf_printf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", qa);
        else
            buf_printf(&sql, "ALTER DATABASE %s RENAME TO %s", qa, qb ? qb : "\"\"");
        r = PQexec(c, buf_cstr(&sql));
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = zc_error_set(err, ZC_ESTORE, "PostgreSQL: %s: %s", buf_cstr(&sql),
                              PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
        PQclear(r);
        buf_fini(&sql);
        PQfreemem(qa);
        PQfreemem(qb);
    }
    PQfinish(c);
    return rc;
}

/* Create the database `conninfo` names (zhucun init): UTF-8 whatever the
 * cluster's default; bytewise order comes from the columns' COLLATE "C". */
static int create_database(const char *conninfo, struct zc_error *err)
{
    char db[256];
    dbname_of(conninfo, db, sizeof(db));
    if (!db[0])
        return zc_error_set(err, ZC_ENOTFOUND, "PostgreSQL: no database named in the connection");
    return admin(conninfo, A_CREATE, db, NULL, err);
}

int store_pg_remove(const char *conninfo, struct zc_error *err)
{
    char db[256];
    dbname_of(conninfo, db, sizeof(db));
    if (!db[0])
        return zc_error_set(err, ZC_EINVAL, "PostgreSQL: no database named in the connection");
    return admin(conninfo, A_DROP, db, NULL, err);
}

int store_pg_rename(const char *from, const char *to, struct zc_error *err)
{
    char a[256], b[256];
    dbname_of(from, a, sizeof(a));
    dbname_of(to, b, sizeof(b));
    if (!a[0] || !b[0])
        return zc_error_set(err, ZC_EINVAL, "PostgreSQL: no database named in the connection");
    return admin(from, A_RENAME, a, b, err);
}

/* The same connection with the database DB_SUFFIX, as a key=value string. */
int store_pg_sibling(const char *conninfo, const char *suffix, char *out, size_t n,
                     struct zc_error *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
    struct buf b;
    int rc = ZC_OK;
    if (!opts) {
        rc = zc_error_set(err, ZC_EINVAL, "PostgreSQL: %s", msg ? msg : "bad connection string");
        PQfreemem(msg);
        return rc;
    }
    buf_init(&b);
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        const char *v = o->val;
        if (!v || !*v)
            continue;
        buf_printf(&b, "%s%s='", b.len ? " " : "", o->keyword);
        for (; *v; v++) {
            if (*v == '\'' || *v == '\\')
                buf_putc(&b, '\\');
            buf_putc(&b, *v);
        }
        if (strcmp(o->keyword, "dbname") == 0)
            buf_printf(&b, "_%s", suffix);
        buf_putc(&b, '\'');
    }
    if (b.len + 1 > n)
        rc = zc_error_set(err, ZC_EINVAL, "PostgreSQL: connection string too long");
    else
        snprintf(out, n, "%s", buf_cstr(&b));
    buf_fini(&b);
    PQconninfoFree(opts);
    return rc;
}

/* The session as every connection has it: an acknowledged commit is on the
 * server's disk, whatever its default; UTF-8; read-only for STORE_READONLY. */
static int session_setup(struct pg_store *s, struct zc_error *err)
{
    PGresult *r;
    int rc = ZC_OK;
    PQsetNoticeProcessor(s->conn, pg_notice, NULL);
    r = PQexec(s->conn, (s->flags & STORE_READONLY)
                            ? "SET client_encoding = 'UTF8'; SET synchronous_commit = on; "
                              "SET default_transaction_read_only = on"
                            : "SET client_encoding = 'UTF8'; SET synchronous_commit = on");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_fail(s, r, "SET", err);
    PQclear(r);
    return rc;
}

int store_pg_open(const char *conninfo, int flags, struct store **out, struct zc_error *err)
{
    struct pg_store *s;
    int rc = ZC_OK;
    *out = NULL;
    s = zc_calloc(1, sizeof(*s));
    s->base.ops = &pg_ops;
    s->conn = PQconnectdb(conninfo);
    if (PQstatus(s->conn) != CONNECTION_OK && (flags & STORE_CREATE) &&
        strstr(PQerrorMessage(s->conn), "does not exist")) {
        rc = create_database(conninfo, err);
        if (rc != ZC_OK)
            goto fail;
        PQfinish(s->conn);
        s->conn = PQconnectdb(conninfo);
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        const char *m = PQerrorMessage(s->conn);
        bool missing = strstr(m, "does not exist") != NULL;
        rc = zc_error_set(err, missing ? ZC_ENOTFOUND : ZC_EUNAVAILABLE,
                          "PostgreSQL: cannot connect: %s%s", m,
                          missing ? "; create it with 'zhucun init' (or pass --db)" : "");
        {
            size_t l = strlen(err->msg); /* libpq ends its messages with a newline */
            while (l && (err->msg[l - 1] == '\n' || err->msg[l - 1] == ' '))
                err->msg[--l] = '\0';
        }
        goto fail;
    }
    {
        struct buf b;
        const char *host = PQhost(s->conn);
        buf_init(&b);
        buf_printf(&b, "postgresql://%s%s%s/%s", host && host[0] != '/' ? host : "",
                   PQport(s->conn)[0] ? ":" : "", PQport(s->conn), PQdb(s->conn));
        if (host && host[0] == '/')
            buf_printf(&b, "?host=%s", host);
        s->label = buf_steal(&b);
        s->base.label = s->label;
        buf_fini(&b);
    }
    s->flags = flags;
    s->conninfo = zc_strdup(conninfo);
    s->pipeline_allowed =
        !getenv("ZHUCUN_PG_PIPELINE") || strcmp(getenv("ZHUCUN_PG_PIPELINE"), "0") != 0;
    s->pipeline = s->pipeline_allowed;
    s->stream = !getenv("ZHUCUN_PG_STREAM") || strcmp(getenv("ZHUCUN_PG_STREAM"), "0") != 0;
    rc = session_setup(s, err);
    if (rc != ZC_OK)
        goto fail;
    *out = &s->base;
    return ZC_OK;
fail:
    if (!s->label)
        s->label = zc_strdup("PostgreSQL");
    pg_close(&s->base);
    return rc;
}
