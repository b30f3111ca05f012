/* SPDX-License-Identifier: MIT */
/* registry_int.h - the import engine and field parsers shared by the
 * per-kind files (units.c, villages.c, cadres.c, households.c). */
#ifndef ZC_REGISTRY_INT_H
#define ZC_REGISTRY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "ingest/sheet.h"
#include "registry.h"
#include "store/store.h"

/* One column of an import file. Headers match case-insensitively after
 * trimming, a leading '*' (required marker) and a trailing "(unit)". */
struct import_col {
    const char *key;     /* English header and JSON key, e.g. "id_number" */
    const char *zh;      /* Chinese header, e.g. "身份证号" */
    const char *aliases; /* more accepted headers, '|'-separated, or NULL */
    bool required;       /* the header must be present and the cell non-empty */
    enum tw_type type;   /* for export */
    int width;           /* XLSX width for export and templates */
};

struct import_ctx;

/* A column of the kind's table that holds a code as an import file wrote
 * it, abolished or renamed since (struct upsert_col's original_of): an
 * export shows them after the import columns when any record has one. */
struct import_was {
    const char *key;    /* the SQL column and English header: "hometown_was" */
    const char *zh;     /* "原籍贯代码" */
    bool list;          /* a ';'-list of codes as text, not one 12-digit code */
    bool hidden_masked; /* empty in a masked export (with what it is the original of) */
};

/* What a kind of record plugs into the engine. */
struct import_kind {
    const char *name;              /* "cadres" */
    const char *table;             /* SQL table counted for added/updated */
    const struct import_col *cols; /* columns; index = column id */
    size_t ncols;
    /* Prepare statements and lookups; state goes in ctx->kind_state. Called
     * once the header is known (import) or before the first row (export). */
    int (*begin)(struct import_ctx *c, struct zc_error *err);
    /* Validate one row (cells[i] for column i, empty when absent) and, if
     * the file has no errors so far, write it. Cell errors are reported with
     * import_bad(); the return value is for store failures only. */
    int (*row)(struct import_ctx *c, const struct sheet_cell *cells, struct zc_error *err);
    /* Called once the whole file is read without errors, before the
     * commit: for writes a kind defers (bulk rows). May be NULL. */
    int (*finish)(struct import_ctx *c, struct zc_error *err);
    void (*end)(struct import_ctx *c);
    /* Export: SQL listing every record with one column per import column,
     * then one per `was` column, then the `demo` flag as the last column. */
    const char *export_sql;
    const struct import_was *was;
    size_t nwas;
    /* Export: turn one result row into cell texts (out[ncols]; the texts live
     * in the statement or in the kind's state until the next row). */
    void (*export_row)(struct import_ctx *c, struct store_stmt *st, bool unmask, const char **out);
};

extern const struct import_kind import_kind_units;
extern const struct import_kind import_kind_villages;
extern const struct import_kind import_kind_cadres;
extern const struct import_kind import_kind_households;
extern const struct import_kind import_kind_members;
extern const struct import_kind import_kind_posts;

struct import_ctx {
    struct store *s; /* target store, inside a transaction */
    const struct import_kind *kind;
    const char *file;          /* name used in messages */
    size_t rowno;              /* current row as Excel shows it */
    const char **header_text;  /* header text as the user wrote it, per column */
    struct import_report *rep; /* counts and error lines */
    int64_t changes;           /* rows inserted or changed (from `upsert`, at the end) */
    struct import_upsert
        *upsert;      /* the kind's (import_prepare_upsert): its changes are the file's */
    int64_t existing; /* rows in the kind's table before the import */
    int today_y, today_m, today_d; /* "today" for age and year checks */
    void *kind_state;              /* owned by the kind between begin and end */
    struct zc_scope scope;         /* the caller's jurisdiction */
    bool scoped;                   /* false: everywhere (no checks, no lookups) */
};

/* The jurisdiction of a row about to be written: ZC_OK when the import is
 * unscoped or `code` (a 12-digit division; `has` false: the row has none)
 * lies in the scope; else ZC_EFORBIDDEN naming the row and column `col`,
 * with `what` ("village 450124100201") in the message. */
int import_scope_check(struct import_ctx *c, size_t col, const char *what, bool has, int64_t code,
                       struct zc_error *err);
/* For scoped imports: the division stored for `key` by the prepared
 * one-parameter lookup `q` (its first column): *found false when `q` has
 * no row, *has false when the value is NULL. */
int import_scope_lookup(struct store_stmt *q, const char *key, bool *found, bool *has,
                        int64_t *code, struct zc_error *err);

/* The jurisdiction of a row whose division `code` (column `col`) is
 * required, as written and as `stored` (the prepared lookup of the row's
 * division by `key`) before: both must lie in the scope. `what` names the
 * row in the message ("post MS-C1"). ZC_OK when the import is unscoped. */
int import_scope_check_both(struct import_ctx *c, size_t col, struct store_stmt *stored,
                            const char *key, const char *what, int64_t code, struct zc_error *err);

/* Run fn(ud): work on rows of a file in its own transaction (all or
 * nothing), which names the row of a store failure when the write failed at
 * its own step. Where writes are sent ahead a failure comes back later
 * (store_defers_writes): then fn runs once more with each write answered at
 * its step, so that the failure is found at its row. */
int registry_run_located(struct store *s, int (*fn)(void *ud, struct zc_error *err), void *ud,
                         struct zc_error *err);

/* Report a bad cell in column `col` of the current row. */
void import_bad(struct import_ctx *c, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Note in the report (rep->remapped_lines) that column `col` of the current
 * row carried division code `was`, read as `now` (field_division). */
void import_note_original(struct import_ctx *c, size_t col, int64_t was, int64_t now);
/* True once any error has been reported (then nothing more is written). */
bool import_failed(const struct import_ctx *c);

/* True if column `col` is in the file's header. Columns absent from a file
 * keep their stored values when a record is updated ("partial" files, e.g.
 * just 单位代码 and 在编人数 to update staff numbers). */
bool import_has_col(const struct import_ctx *c, size_t col);

/* One column of a kind's upsert statement, in binding order. */
struct upsert_col {
    const char *name; /* SQL column */
    int from;         /* import column that supplies it, or -1: written whenever the row is */
    /* The column (named) whose code as the file wrote it this one holds,
     * when the file's code was abolished or renamed since (NULL otherwise;
     * bind NULL when the code was today's): a row that keeps that column's
     * value keeps it, one whose value changes takes the file's. */
    const char *original_of;
};

/* Prepare INSERT INTO table(cols) VALUES (?, ...) ON CONFLICT(key) DO UPDATE
 * SET each column present in the file WHERE any of them differs (DO NOTHING
 * if none). cols[0] must be the key. Parameters follow `cols`; bind every one
 * (absent columns get their defaults for new records). The statement (*out)
 * belongs to the engine, as the kind's upsert: the rows it changed, asked
 * once at the end, are the file's added + updated (no kind reads each row's
 * outcome for the counts). One a kind. */
int import_prepare_upsert(struct import_ctx *c, const char *table, const struct upsert_col *cols,
                          size_t n, struct store_stmt **out, struct zc_error *err);
/* Write one row through the kind's upsert, args[] in the order of its
 * columns (texts are copied). Where writes are sent ahead (PostgreSQL) the
 * row is kept and goes out with others as one INSERT of IMPORT_UPSERT_ROWS
 * rows (the server's cost per statement shared; the rest at the end of the
 * file, before the kind's finish()), and once a file has more rows than
 * that, by COPY into a staging table merged into the kind's table before
 * finish() (import.c, IMPORT_COPY_ROWS): a kind whose other writes need
 * its rows in the table (a new row's id, rows referring to it) makes them
 * in finish() there. Elsewhere it is bound to *out of
 * import_prepare_upsert and run at once. */
int import_upsert_row(struct import_ctx *c, const struct store_arg *args, struct zc_error *err);

/* Duplicate keys within one file: returns the earlier row number, or 0 and
 * remembers `key` for this row. */
size_t import_seen(struct import_ctx *c, const char *key, size_t n);

/* Keys (any bytes) to numbers, open addressing (import.c): the engine's keys
 * seen in a file, the kinds' caches. Zero-initialised is empty. */
struct key_slot;

struct key_index {
    struct key_slot *slots; /* power-of-two size */
    size_t cap, n;          /* slots, used */
    struct buf keys;        /* the keys, back to back */
};

/* The value held for key[0..n), 0 when none. */
size_t key_index_get(const struct key_index *x, const char *key, size_t n);
/* Hold `value` (not 0) for key[0..n) unless it has one: returns the value
 * held before, or 0 once added. */
size_t key_index_put(struct key_index *x, const char *key, size_t n, size_t value);
void key_index_fini(struct key_index *x);

/* What the store holds for the keys a file names, read before writing: a
 * cadre's id and grades by ID number, a household's village. `one` asks for
 * a key (?1; columns: an integer value, then `ntexts` texts, at most 2),
 * `all` lists every row (the key, then the same columns). Keys are asked one
 * at a time and the answers kept; on a back end that sends writes ahead (a
 * server: each query a round trip, and a read waits for the writes before
 * it), once the keys asked reach a sixteenth of `rows` (the table's size),
 * every row is read at once instead: a small file into a large table asks
 * for its keys, a large file reads the table once. The rows are as they
 * were when first read: for keys the import itself does not write. */
struct stored_rows;
int stored_rows_open(struct store *s, const char *one, const char *all, int ntexts, int64_t rows,
                     struct stored_rows **out, struct zc_error *err);
void stored_rows_close(struct stored_rows *r); /* NULL is a no-op */
/* *found: the store has `key`; then *value and stored_rows_text(r, 0..ntexts)
 * (valid until the next call) hold its columns. */
int stored_rows_get(struct stored_rows *r, const char *key, bool *found, int64_t *value,
                    struct zc_error *err);
const char *stored_rows_text(const struct stored_rows *r, int k);

/* ---- field parsers: each returns true when the cell is valid, and reports
 * the error against `col` otherwise. Empty cells are "absent": *present is
 * set false and the parser returns true (callers enforce required cells). */

/* A coordinate inside China's bounding box (with margin): villages' and
 * units' 纬度/经度. */
#define REGISTRY_LAT_MIN 3.0
#define REGISTRY_LAT_MAX 54.0
#define REGISTRY_LNG_MIN 73.0
#define REGISTRY_LNG_MAX 136.0

bool cell_empty(const struct sheet_cell *v);
/* Trimmed text (spaces, tabs, full-width spaces) as a NUL-terminated copy in
 * the caller's `out` (size outsz); returns out. */
const char *cell_text(const struct sheet_cell *v, char *out, size_t outsz);
bool field_text(struct import_ctx *c, size_t col, const struct sheet_cell *v, size_t maxlen,
                char *out, size_t outsz);
bool field_int(struct import_ctx *c, size_t col, const struct sheet_cell *v, int64_t min,
               int64_t max, int64_t *out, bool *present);
bool field_real(struct import_ctx *c, size_t col, const struct sheet_cell *v, double min,
                double max, double *out, bool *present);
/* Yuan with up to two decimals, as fen. */
bool field_money(struct import_ctx *c, size_t col, const struct sheet_cell *v, int64_t *fen,
                 bool *present);
bool field_bool(struct import_ctx *c, size_t col, const struct sheet_cell *v, bool *out,
                bool *present);
/* YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD or YYYY年M月D日 -> "YYYY-MM-DD". */
bool field_date(struct import_ctx *c, size_t col, const struct sheet_cell *v, char out[11],
                bool *present);

/* One of a closed list: `choices` maps spellings to stored values,
 * {"贫困村", "poor"}, ..., {NULL, NULL}. Matching ignores ASCII case. */
struct choice {
    const char *spelling;
    const char *value;
};

bool field_choice(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                  const struct choice *choices, const char **out, bool *present);
/* True if `value` is one of the stored values of `choices` (row writers). */
bool choice_is_stored(const struct choice *choices, const char *value);

/* The closed lists of the kinds' columns (spellings -> stored values). */
extern const struct choice registry_rank_choices[], registry_education_choices[],
    registry_gender_choices[], registry_level_choices[], registry_category_choices[],
    registry_poverty_choices[], registry_datum_choices[], registry_status_choices[];

/* A county-level code abolished or renamed since 2014 (division_history.c). */
struct division_change {
    int64_t old_code, new_code;      /* six digits */
    const char *old_name, *new_name; /* 武鸣县, 武鸣区 */
    const char *listed;              /* "2015-03": first MCA list showing the change */
};
/* The change of `code`'s county (its first six digits of twelve), with the
 * code it is today into *now (the same digits below the county); NULL when
 * its county did not change. */
const struct division_change *division_change_of(int64_t code, int64_t *now);
/* Say in the import report that a code of the file was read as today's. */
void division_change_note(struct import_report *rep, const struct division_change *ch);

/* A division code that exists in the tree (at `need_level`, or any level
 * when 0). A code abolished or renamed since 2014 is read as the code it
 * became (division_change_of), when that is in the tree, the report says so
 * (rep->historical) and *was (when not NULL) gets the code as the file
 * wrote it, for the record's `..._was` column; *was is 0 otherwise. */
struct division_lookup;
bool field_division(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                    struct division_lookup *lookup, int need_level, int64_t *out, int64_t *was,
                    bool *present);
/* An ID number (GB 11643), normalised. */
bool field_idcard(struct import_ctx *c, size_t col, const struct sheet_cell *v, char out[19],
                  bool *present);
/* Split a list cell on ; ； 、 , ， / and whitespace; calls fn per item
 * (trimmed, NUL-terminated). Stops and returns false if fn returns false. */
bool cell_split(const struct sheet_cell *v, bool (*fn)(void *ud, const char *item), void *ud);

/* The skill vocabulary, loaded once per import: resolves 驾驶 / Driving /
 * driving to "driving". */
struct skill_vocab;
int skill_vocab_load(struct store *s, struct skill_vocab **out, struct zc_error *err);
void skill_vocab_free(struct skill_vocab *v);
/* Canonical ';'-joined sorted codes into out; reports unknown skills. */
bool field_skills(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                  const struct skill_vocab *voc, struct buf *out);
/* Codes "a;b" -> Chinese names "驾驶;农业种植" (for export). */
void skill_vocab_names(const struct skill_vocab *voc, const char *codes, struct buf *out);

/* Division codes and their levels for field_division, each asked of the
 * store once per import (a file names the same township thousands of times). */
int division_lookup_open(struct store *s, struct division_lookup **out, struct zc_error *err);
void division_lookup_close(struct division_lookup *d); /* NULL is a no-op */

/* Export: column `col` (a 12-digit code or NULL) in its short form, written
 * into out[13]; returns out ("" for NULL). */
const char *export_division(struct store_stmt *st, int col, char out[13]);


/* Named statements (registry_sql.c). */
extern const char registry_sql_cadre_any[];
extern const char registry_sql_cadre_id[];
extern const char registry_sql_household_members[];
extern const char registry_sql_members_export[];
extern const char registry_sql_grade_upsert[];
extern const char registry_sql_grades_of[];
extern const char registry_sql_grades_text[];
extern const char registry_sql_cadre_own[];
extern const char registry_sql_cadre_in_range[];
extern const char registry_sql_causes_delete[];
extern const char registry_sql_cause_put[];
extern const char registry_sql_cause_front[];
extern const char registry_sql_causes_get[];
extern const char registry_sql_household_row[];
extern const char registry_sql_members_of[];
extern const char registry_sql_village_name_in_range[];
extern const char registry_sql_village_name_own[];
extern const char registry_sql_division_count[];
extern const char registry_sql_division_upsert[];
extern const char registry_sql_division_orphans[];
extern const char registry_sql_division_get[];
extern const char registry_sql_division_parent[];
extern const char registry_sql_division_find[];
extern const char registry_sql_division_level[];
extern const char registry_sql_skill_upsert[];
extern const char registry_sql_skills[];
extern const char registry_sql_skills_listed[];
extern const char registry_sql_skills_api[];
extern const char registry_sql_unit_exists[];
extern const char registry_sql_unit_codes[];
extern const char registry_sql_unit_division[];
extern const char registry_sql_units_export[];
extern const char registry_sql_villages_export[];
extern const char registry_sql_cadre_id_of[];
extern const char registry_sql_cadre_max_id[];
extern const char registry_sql_grades_delete[];
extern const char registry_sql_discipline_delete[];
extern const char registry_sql_grades_insert_head[];
extern const char registry_sql_discipline_insert_head[];
extern const char registry_sql_cadre_unit_division[];
extern const char registry_sql_cadres_export[];
extern const char registry_sql_households_export[];
extern const char registry_sql_household_village[];
extern const char registry_sql_households_villages[];
extern const char registry_sql_household_count[];
extern const char registry_sql_households_members[];
extern const char registry_sql_cadre_known[];
extern const char registry_sql_cadres_known[];
extern const char registry_sql_cadres_new[];
extern const char registry_sql_member_village[];
extern const char registry_sql_divisions_at_level[];
extern const char registry_sql_ledger_rows[];
extern const char registry_sql_unit_place[];
extern const char registry_sql_member_insert[];
extern const char registry_sql_cause_insert[];
extern const char registry_sql_cadre_columns[];
extern const char registry_sql_cadre_insert[];
extern const char registry_sql_grade_insert[];
extern const char registry_sql_discipline_insert[];
extern const char registry_sql_posting_insert[];
extern const char registry_sql_unit_insert[];
extern const char registry_sql_village_insert[];
extern const char registry_sql_household_insert[];
extern const char registry_sql_demo_units_staff[];
extern const char registry_sql_post_division[];
extern const char registry_sql_posts_export[];
extern const char registry_sql_post_list[];
extern const char registry_sql_post_get[];
extern const char registry_sql_post_held[];
extern const char registry_sql_post_delete[];
extern const char registry_sql_post_insert[];
/* "SELECT count(*) FROM table" (demo rows only when demo_only). */
void registry_sql_count(struct buf *sql, const char *table, bool demo_only);
/* "SELECT count(*) FROM table WHERE" any of the `was` columns is set. */
void registry_sql_count_set(struct buf *sql, const char *table, const struct import_was *was,
                            size_t n);
/* INSERT INTO table(cols) VALUES (?, ...)[, (?, ...) for `rows` rows] ON
 * CONFLICT(cols[0]) DO UPDATE SET the columns with set[i] WHERE any of them
 * differs (DO NOTHING if none). A column with original_of[i] >= 0 holds the
 * original code of column original_of[i] (struct upsert_col): NULL from the
 * file keeps the stored one unless that column's value changes, and is no
 * difference. */
void registry_sql_upsert(struct buf *sql, const char *table, const char *const *cols, size_t n,
                         const bool *set, const int *original_of, size_t rows);
/* COPY imports (import.c): the staging table, its end, and the merge of
 * its rows into `table` as registry_sql_upsert's would go: the held rows
 * that differ updated (false: no column to update), then the new ones. */
void registry_sql_stage_create(struct buf *sql, const char *stage, const char *table,
                               const char *const *cols, size_t n);
void registry_sql_stage_drop(struct buf *sql, const char *stage);
bool registry_sql_stage_update(struct buf *sql, const char *stage, const char *table,
                               const char *const *cols, size_t n, const bool *set,
                               const int *original_of);
void registry_sql_stage_insert(struct buf *sql, const char *stage, const char *table,
                               const char *const *cols, size_t n, const bool *set,
                               const int *original_of);

#endif
