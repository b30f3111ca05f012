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
 * Results are buffered whole when a statement executes. libpq has one
 * active query per connection, and domain code keeps several statements
 * stepping at once (eligible_scan merges three cursors, plan_publish
 * updates while it reads); with whole results each step is a walk through
 * memory and any number of statements can be open. The price is memory in
 * proportion to a result: fine for a county or a province's reports, not
 * for a scan of 3 million cadres. The path for those is a server cursor
 * (DECLARE ... CURSOR inside the transaction, FETCH 1000 at a time) chosen
 * per statement, or single-row mode for a statement known to be the only
 * one open; both fit behind the same step() (docs/internals/postgres.md).
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
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "store_int.h"

#define BOOLOID   16
#define INT8OID   20
#define FLOAT8OID 701

struct pg_ident { /* a table's identity column, looked up once */
    char table[64];
    char col[64]; /* "" when the table has none */
    bool pending; /* ids inserted explicitly in this transaction */
};

struct pg_store {
    struct store base; /* must be first */
    PGconn *conn;
    char *label; /* postgresql://host:port/db, no password: for messages */
    int64_t changes;
    int64_t last_id;
    unsigned names; /* server-side statement names issued */
    struct pg_ident *idents;
    size_t nidents;
};

struct pg_stmt {
    struct store_stmt base; /* must be first */
    struct pg_store *s;
    struct pg_sql q;
    char *sent;       /* q.text with RETURNING appended, or NULL */
    bool id_returned; /* the appended RETURNING: rows are ours, not the caller's */
    bool looked_up;   /* identity column checked */
    char **vals;      /* parameters as text, NULL for NULL; [q.nparams] */
    Oid *types;
    PGresult *res;
    int row;       /* current row, -1 before the first */
    bool executed; /* res belongs to this execution */
    int runs;
    char name[16]; /* server-side prepared statement, "" while unnamed */
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
    {
        size_t l = strlen(err->msg); /* libpq's own messages end with a newline */
        while (l && (err->msg[l - 1] == '\n' || err->msg[l - 1] == ' '))
            err->msg[--l] = '\0';
    }
    return code;
}

/* Rows changed, from the command tag of an INSERT/UPDATE/DELETE. */
static void note_changes(struct pg_store *s, const PGresult *r)
{
    const char *tag = PQcmdStatus((PGresult *)r);
    if (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
        strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0)
        s->changes = strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

static struct pg_ident *identity_of(struct pg_store *s, const char *table);
static int sync_identity(struct pg_store *s, struct pg_ident *id, struct zc_error *err);

static int pg_exec(struct store *base, const char *sql, struct zc_error *err)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_sql q;
    PGresult *r;
    int rc = ZC_OK;
    store_pg_translate(sql, &q);
    r = PQexec(s->conn, q.text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_fail(s, r, sql, err);
    else
        note_changes(s, r);
    PQclear(r);
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
    return ((struct pg_store *)base)->changes;
}

static int64_t pg_last_insert_id(struct store *base)
{
    return ((struct pg_store *)base)->last_id;
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
    for (size_t i = 0; i < s->nidents; i++)
        if (s->idents[i].pending) {
            int rc = sync_identity(s, &s->idents[i], err);
            if (rc != ZC_OK)
                return rc;
        }
    return ZC_OK;
}

static void pg_close(struct store *base)
{
    struct pg_store *s = (struct pg_store *)base;
    if (s->conn)
        PQfinish(s->conn);
    free(s->idents);
    free(s->label);
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

static void st_reset(struct store_stmt *base)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    PQclear(w->res);
    w->res = NULL;
    w->executed = false;
    w->row = -1;
    clear_bindings(w);
}

static void st_finalize(struct store_stmt *base)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    st_reset(base);
    if (w->name[0]) {
        char sql[32];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", w->name);
        PQclear(PQexec(w->s->conn, sql)); /* fails only in an aborted transaction */
    }
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

static int execute(struct pg_stmt *w, struct zc_error *err)
{
    struct pg_store *s = w->s;
    const char *sql;
    PGresult *r;
    if (!w->looked_up)
        plan_insert(w);
    sql = w->sent ? w->sent : w->q.text;
    PQclear(w->res);
    w->res = NULL;
    if (++w->runs == 2) { /* executed again: worth a server-side plan */
        char name[16];
        snprintf(name, sizeof(name), "zc%u", ++s->names);
        r = PQprepare(s->conn, name, sql, w->q.nparams, w->types);
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            memcpy(w->name, name, sizeof(name));
        else if (s->base.tx_depth > 0) { /* the failure aborted the transaction */
            int rc = pg_fail(s, r, w->q.text, err);
            PQclear(r);
            return rc;
        }
        PQclear(r);
    }
    if (w->name[0])
        r = PQexecPrepared(s->conn, w->name, w->q.nparams, (const char *const *)w->vals, NULL, NULL,
                           0);
    else
        r = PQexecParams(s->conn, sql, w->q.nparams, w->types, (const char *const *)w->vals, NULL,
                         NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = pg_fail(s, r, w->q.text, err);
        PQclear(r);
        return rc;
    }
    note_changes(s, r);
    if (w->q.table[0] && w->q.statements == 1) {
        struct pg_ident *id = identity_of(s, w->q.table);
        if (id && id->col[0] && names_id(w, id)) {
            id->pending = true;
            if (s->base.tx_depth == 0) { /* autocommit: the row is already visible */
                int rc = sync_identity(s, id, err);
                if (rc != ZC_OK) {
                    PQclear(r);
                    return rc;
                }
            }
        }
    }
    if (w->id_returned) {
        for (int i = 0; i < PQntuples(r); i++)
            if (!w->q.upsert || PQgetvalue(r, i, 1)[0] == 't')
                s->last_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        PQclear(r);
        r = NULL; /* the caller asked for no rows */
    }
    w->res = r;
    w->executed = true;
    w->row = -1;
    return ZC_OK;
}

static int st_step(struct store_stmt *base, bool *has_row, struct zc_error *err)
{
    struct pg_stmt *w = (struct pg_stmt *)base;
    *has_row = false;
    if (!w->executed) {
        int rc = execute(w, err);
        if (rc != ZC_OK)
            return rc;
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

static const struct store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .changes = pg_changes,
    .last_insert_id = pg_last_insert_id,
    .pre_commit = pg_pre_commit,
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

int store_pg_open(const char *conninfo, int flags, struct store **out, struct zc_error *err)
{
    struct pg_store *s;
    PGresult *r;
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
    PQsetNoticeProcessor(s->conn, pg_notice, NULL);
    /* An acknowledged commit is on the server's disk, whatever its default. */
    r = PQexec(s->conn, (flags & STORE_READONLY)
                            ? "SET client_encoding = 'UTF8'; SET synchronous_commit = on; "
                              "SET default_transaction_read_only = on"
                            : "SET client_encoding = 'UTF8'; SET synchronous_commit = on");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_fail(s, r, "SET", err);
    PQclear(r);
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
