/* SPDX-License-Identifier: MIT */
/* cadres.c - cadres (干部): columns, checks, upsert with grades and
 * discipline, export with masked ID numbers.
 *
 * Key: the ID number (GB 11643). Checks that catch real spreadsheet errors:
 * the birth date and gender must agree with the ID number, service cannot
 * start before the age of 16 (a birth date after the start of service is the
 * extreme case), the unit and the hometown must be known, a spouse is
 * someone else. Grades ("2016:优秀;2017:称职") and discipline records
 * ("2019:警告") are kept both as canonical text on the cadre (so a re-import
 * can tell "unchanged") and as rows (cadre_grade, cadre_discipline) that the
 * eligibility rules query. */
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/idcard.h"
#include "registry_int.h"

enum {
    C_ID_NUMBER,
    C_NAME,
    C_UNIT,
    C_RANK,
    C_PARTY,
    C_RESERVE,
    C_ON_STAFF,
    C_EDUCATION,
    C_SKILLS,
    C_RURAL_YEARS,
    C_SERVICE_YEARS,
    C_HOMETOWN,
    C_GRADES,
    C_DISCIPLINE,
    C_VOLUNTEER,
    C_PREFERRED,
    C_GENDER,
    C_BIRTH_DATE,
    C_SPOUSE,
    C_NCOLS
};

static const struct import_col cadre_cols[C_NCOLS] = {
    [C_ID_NUMBER] = {"id_number", "身份证号", "身份证号码|公民身份号码|id", true, TW_TEXT, 22},
    [C_NAME] = {"name", "姓名", NULL, true, TW_TEXT, 10},
    [C_UNIT] = {"unit", "单位代码", "派出单位代码|unit_code", true, TW_TEXT, 14},
    [C_RANK] = {"rank", "职级", "职务层次|级别", false, TW_TEXT, 8},
    [C_PARTY] = {"party_member", "党员", "是否党员|中共党员", false, TW_TEXT, 6},
    [C_RESERVE] = {"reserve", "后备干部", "是否后备干部", false, TW_TEXT, 8},
    [C_ON_STAFF] = {"on_staff", "在职在编", "是否在职在编", false, TW_TEXT, 8},
    [C_EDUCATION] = {"education", "学历", "最高学历", false, TW_TEXT, 10},
    [C_SKILLS] = {"skills", "专业技能", "技能|特长", false, TW_TEXT, 20},
    [C_RURAL_YEARS] = {"rural_years", "农村工作年限", "基层工作年限", false, TW_INT, 8},
    [C_SERVICE_YEARS] = {"service_years", "工作年限", "工龄", false, TW_INT, 8},
    [C_HOMETOWN] = {"hometown", "籍贯区划", "籍贯|籍贯代码", false, TW_TEXT, 10},
    [C_GRADES] = {"grades", "年度考核", "考核等次|年度考核等次", false, TW_TEXT, 24},
    [C_DISCIPLINE] = {"discipline", "纪律处分", "处分|处分情况", false, TW_TEXT, 14},
    [C_VOLUNTEER] = {"volunteer", "自愿报名", "是否自愿报名", false, TW_TEXT, 8},
    [C_PREFERRED] = {"preferred", "意向地区", "意向|志愿地区", false, TW_TEXT, 14},
    [C_GENDER] = {"gender", "性别", "sex", false, TW_TEXT, 6},
    [C_BIRTH_DATE] = {"birth_date", "出生日期", "出生年月|birthday", false, TW_TEXT, 12},
    [C_SPOUSE] = {"spouse", "配偶身份证号", "配偶", false, TW_TEXT, 22},
};

const struct choice registry_rank_choices[] = {
    {"正厅", "正厅"},   {"副厅", "副厅"},   {"正处", "正处"},   {"副处", "副处"},
    {"正科", "正科"},   {"副科", "副科"},   {"科员", "科员"},   {"其他", "其他"},
    {"正厅级", "正厅"}, {"副厅级", "副厅"}, {"正处级", "正处"}, {"副处级", "副处"},
    {"正科级", "正科"}, {"副科级", "副科"}, {"办事员", "科员"}, {NULL, NULL},
};

const struct choice registry_education_choices[] = {
    {"研究生", "研究生"},         {"本科", "本科"},       {"大专", "大专"},
    {"中专及以下", "中专及以下"}, {"博士", "研究生"},     {"硕士", "研究生"},
    {"大学本科", "本科"},         {"大学专科", "大专"},   {"专科", "大专"},
    {"中专", "中专及以下"},       {"高中", "中专及以下"}, {"初中", "中专及以下"},
    {"postgraduate", "研究生"},   {"bachelor", "本科"},   {"college", "大专"},
    {"secondary", "中专及以下"},  {NULL, NULL},
};

const struct choice registry_gender_choices[] = {
    {"男", "男"}, {"女", "女"}, {"male", "男"}, {"female", "女"},
    {"m", "男"},  {"f", "女"},  {NULL, NULL},
};

static const char *const grade_names[] = {"优秀", "称职", "基本称职", "不称职"};

/* Grades and penalties of changed cadres are collected in memory and written
 * after the last row, sorted by (cadre, year) and YEAR_BATCH rows per INSERT:
 * the rows then append to the end of their B-trees and the statement cost is
 * shared. Written one statement per cadre, they took half of a million-row
 * import. */
#define YEAR_BATCH 64

struct year_row {
    int64_t cadre; /* cadre.id, or -(k + 1) for the k-th new cadre (its id read in finish) */
    int32_t year;  /* 1950.. */
    uint32_t text; /* offset of the grade or penalty in cadre_state.texts */
};

struct year_rows {
    struct year_row *v; /* rows */
    size_t n, cap;      /* used, allocated */
};

/* Gender and birth date are written with every row: when their cells are
 * absent they are read from the ID number, which is authoritative. */
static const struct upsert_col upsert_cols[] = {
    {"id_number", -1, NULL},
    {"name", C_NAME, NULL},
    {"unit", C_UNIT, NULL},
    {"rank", C_RANK, NULL},
    {"party_member", C_PARTY, NULL},
    {"reserve", C_RESERVE, NULL},
    {"on_staff", C_ON_STAFF, NULL},
    {"education", C_EDUCATION, NULL},
    {"skills", C_SKILLS, NULL},
    {"rural_years", C_RURAL_YEARS, NULL},
    {"service_years", C_SERVICE_YEARS, NULL},
    {"hometown", C_HOMETOWN, NULL},
    {"grades", C_GRADES, NULL},
    {"discipline", C_DISCIPLINE, NULL},
    {"volunteer", C_VOLUNTEER, NULL},
    {"preferred", C_PREFERRED, NULL},
    {"gender", -1, NULL},
    {"birth_date", -1, NULL},
    {"spouse", C_SPOUSE, NULL},
    {"hometown_was", C_HOMETOWN, "hometown"},
    {"preferred_was", C_PREFERRED, "preferred"},
};

struct cadre_state {
    struct store_stmt *upsert;              /* INSERT ... ON CONFLICT DO UPDATE */
    struct store_stmt *id_of;               /* SELECT id by ID number */
    struct division_lookup *division;       /* division lookup */
    struct store_stmt *del_grades;          /* replace grades of an updated cadre */
    struct store_stmt *del_disc;            /* replace discipline of an updated cadre */
    struct store_stmt *unit_div, *stored;   /* scoped imports: a unit's, the cadre's division */
    struct year_rows grade_rows, disc_rows; /* to write in finish() */
    struct buf texts;                       /* NUL-separated grade and penalty texts */
    int64_t max_id_before;                  /* ids above this were inserted by this import */
    bool batch;                             /* writes sent ahead: no outcome read row by row */
    struct stored_rows *known;              /* batch: id, grades, discipline by ID number */
    struct key_index fresh;                 /* batch: new cadres with grade rows -> k + 1 */
    char **units;                           /* registered unit codes, sorted */
    size_t nunits;
    struct skill_vocab *skills;                   /* vocabulary */
    struct buf skillbuf, grades, disc, preferred; /* canonical text of the row */
    struct buf preferred_was;                     /* the preferred regions as the file wrote them */
    char masked[32], masked_spouse[32], hometown[13]; /* export buffers */
    char birth_year[8];                               /* masked export: the year only */
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int load_units(struct store *s, struct cadre_state *st, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    size_t cap = 0;
    int rc = store_prepare(s, registry_sql_unit_codes, &q, err);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        if (st->nunits == cap) {
            cap = cap ? cap * 2 : 256;
            st->units = zc_reallocarray(st->units, cap, sizeof(*st->units));
        }
        st->units[st->nunits++] = zc_strdup(store_col_text(q, 0));
    }
    store_finalize(q);
    /* SQL ORDER BY and strcmp agree for the BINARY collation, but sort anyway. */
    if (st->nunits)
        qsort(st->units, st->nunits, sizeof(*st->units), cmp_str);
    return rc;
}

static int prepare_batch(struct store *s, const char *head, size_t rows, struct store_stmt **out,
                         struct zc_error *err)
{
    struct buf sql = {0};
    int rc;
    buf_puts(&sql, head);
    for (size_t k = 0; k < rows; k++)
        buf_puts(&sql, k ? ", (?, ?, ?)" : "(?, ?, ?)");
    rc = store_prepare(s, buf_cstr(&sql), out, err);
    buf_fini(&sql);
    return rc;
}

static int cmp_year_row(const void *a, const void *b)
{
    const struct year_row *x = a, *y = b;
    if (x->cadre != y->cadre)
        return x->cadre < y->cadre ? -1 : 1;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return x->text < y->text ? -1 : x->text > y->text;
}

/* Year rows a COPY at a time (store_copy; the values are kept for it). */
#define YEAR_COPY_ROWS 4096

/* Where the store has COPY and writes are sent ahead (PostgreSQL): the
 * rows straight into their table (no conflict clause to meet: a replaced
 * cadre's old rows were deleted). A failure (a constraint) is a store
 * error, and the import is run again row by row (import.c). */
static int copy_year_rows(struct import_ctx *c, const char *table, const char *kind_col,
                          const struct year_rows *rows, struct zc_error *err)
{
    struct cadre_state *st = c->kind_state;
    const char *const cols[] = {"cadre", "year", kind_col};
    struct store_arg *vals = zc_calloc(3 * YEAR_COPY_ROWS, sizeof(*vals));
    int rc = ZC_OK;
    for (size_t i = 0; rc == ZC_OK && i < rows->n; i += YEAR_COPY_ROWS) {
        size_t k = rows->n - i < YEAR_COPY_ROWS ? rows->n - i : YEAR_COPY_ROWS;
        for (size_t j = 0; j < k; j++) {
            const struct year_row *r = &rows->v[i + j];
            vals[3 * j] = STORE_INT(r->cadre);
            vals[3 * j + 1] = STORE_INT(r->year);
            vals[3 * j + 2] = STORE_TEXT(st->texts.p + r->text);
        }
        rc = store_copy(c->s, table, cols, 3, vals, k, err);
    }
    free(vals);
    return rc;
}

/* Write `rows` with YEAR_BATCH-row INSERTs and single-row ones for the
 * tail, or by COPY (copy_year_rows, into `table`'s `kind_col`) where the
 * store has it and there are more rows than one batch. */
static int flush_year_rows(struct import_ctx *c, const char *head, const char *table,
                           const char *kind_col, struct year_rows *rows, struct zc_error *err)
{
    struct cadre_state *st = c->kind_state;
    struct store_stmt *batch = NULL, *one = NULL;
    size_t i = 0;
    int rc;

    if (rows->n == 0)
        return ZC_OK;
    qsort(rows->v, rows->n, sizeof(*rows->v), cmp_year_row);
    if (st->batch && rows->n > YEAR_BATCH && store_can_copy(c->s))
        return copy_year_rows(c, table, kind_col, rows, err);
    rc = prepare_batch(c->s, head, YEAR_BATCH, &batch, err);
    if (rc == ZC_OK)
        rc = prepare_batch(c->s, head, 1, &one, err);
    while (rc == ZC_OK && i < rows->n) {
        size_t k = rows->n - i >= YEAR_BATCH ? YEAR_BATCH : 1;
        struct store_stmt *q = k == YEAR_BATCH ? batch : one;
        for (size_t j = 0; j < k; j++, i++) {
            store_bind_int(q, (int)(3 * j + 1), rows->v[i].cadre);
            store_bind_int(q, (int)(3 * j + 2), rows->v[i].year);
            store_bind_cstr(q, (int)(3 * j + 3), st->texts.p + rows->v[i].text);
        }
        rc = store_run(q, err);
    }
    store_finalize(batch);
    store_finalize(one);
    return rc;
}

/* Batch: the ids of the new cadres whose grade or penalty rows wait, read in
 * one query (those inserted by this import), put into their rows. */
static int resolve_fresh(struct import_ctx *c, struct zc_error *err)
{
    struct cadre_state *st = c->kind_state;
    int64_t *ids;
    struct store_stmt *q = NULL;
    bool row = false;
    int rc;
    if (!st->fresh.n)
        return ZC_OK;
    ids = zc_calloc(st->fresh.n, sizeof(*ids));
    rc = store_prepare(c->s, registry_sql_cadres_new, &q, err);
    if (rc == ZC_OK)
        store_bind_int(q, 1, st->max_id_before);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        size_t k = key_index_get(&st->fresh, store_col_text(q, 0), 18);
        if (k)
            ids[k - 1] = store_col_int(q, 1);
    }
    store_finalize(q);
    /* One that was not new after all (another session wrote it since the
     * import looked): by its ID number, the k-th key of `fresh` (18 bytes
     * each, in the order added). Its old rows, if any, make the insert
     * conflict, and the import is run again row by row (import.c). */
    for (size_t i = 0; rc == ZC_OK && i < st->fresh.n; i++) {
        if (ids[i])
            continue;
        store_bind_text(st->id_of, 1, st->fresh.keys.p + 18 * i, 18);
        rc = store_step(st->id_of, &row, err);
        ids[i] = rc == ZC_OK && row ? store_col_int(st->id_of, 0) : 0;
        store_reset(st->id_of);
        if (rc == ZC_OK && !ids[i])
            rc = zc_error_set(err, ZC_ESTORE, "%s: cadre %.18s was written but is not there",
                              c->file, st->fresh.keys.p + 18 * i);
    }
    for (struct year_rows *r = &st->grade_rows; r; r = r == &st->grade_rows ? &st->disc_rows : NULL)
        for (size_t i = 0; i < r->n; i++)
            if (r->v[i].cadre < 0)
                r->v[i].cadre = ids[-r->v[i].cadre - 1];
    free(ids);
    return rc;
}

static int cadre_finish(struct import_ctx *c, struct zc_error *err)
{
    struct cadre_state *st = c->kind_state;
    int rc = resolve_fresh(c, err);
    if (rc == ZC_OK)
        rc = flush_year_rows(c, registry_sql_grades_insert_head, "cadre_grade", "grade",
                             &st->grade_rows, err);
    if (rc == ZC_OK)
        rc = flush_year_rows(c, registry_sql_discipline_insert_head, "cadre_discipline", "kind",
                             &st->disc_rows, err);
    return rc;
}

static int cadre_begin(struct import_ctx *c, struct zc_error *err)
{
    struct cadre_state *st = zc_calloc(1, sizeof(*st));
    int rc;
    c->kind_state = st;
    rc = import_prepare_upsert(c, "cadre", upsert_cols,
                               sizeof(upsert_cols) / sizeof(upsert_cols[0]), &st->upsert, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_cadre_id_of, &st->id_of, err);
    if (rc == ZC_OK)
        rc = division_lookup_open(c->s, &st->division, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_grades_delete, &st->del_grades, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_discipline_delete, &st->del_disc, err);
    if (rc == ZC_OK && c->scoped)
        rc = store_prepare(c->s, registry_sql_unit_division, &st->unit_div, err);
    if (rc == ZC_OK && c->scoped)
        rc = store_prepare(c->s, registry_sql_cadre_unit_division, &st->stored, err);
    if (rc == ZC_OK)
        rc = load_units(c->s, st, err);
    if (rc == ZC_OK)
        rc = skill_vocab_load(c->s, &st->skills, err);
    if (rc == ZC_OK)
        rc = store_query_int(c->s, registry_sql_cadre_max_id, &st->max_id_before, err);
    /* Where writes are sent ahead, no row's outcome is read (each would be a
     * round trip): what the new row changes is told from what is held. */
    st->batch = store_defers_writes(c->s);
    if (rc == ZC_OK && st->batch)
        rc = stored_rows_open(c->s, registry_sql_cadre_known, registry_sql_cadres_known, 2,
                              c->existing, &st->known, err);
    return rc;
}

static void cadre_end(struct import_ctx *c)
{
    struct cadre_state *st = c->kind_state;
    if (!st)
        return;
    store_finalize(st->id_of);
    division_lookup_close(st->division);
    store_finalize(st->del_grades);
    store_finalize(st->del_disc);
    store_finalize(st->unit_div);
    store_finalize(st->stored);
    stored_rows_close(st->known);
    key_index_fini(&st->fresh);
    free(st->grade_rows.v);
    free(st->disc_rows.v);
    buf_fini(&st->texts);
    for (size_t i = 0; i < st->nunits; i++)
        free(st->units[i]);
    free(st->units);
    skill_vocab_free(st->skills);
    buf_fini(&st->skillbuf);
    buf_fini(&st->grades);
    buf_fini(&st->disc);
    buf_fini(&st->preferred);
    buf_fini(&st->preferred_was);
    free(st);
    c->kind_state = NULL;
}

/* ---- "YEAR:VALUE;YEAR:VALUE" lists (grades, discipline) ----------------- */

struct year_item {
    int year;       /* 1950..this year */
    char value[64]; /* grade or discipline kind */
};

struct year_list {
    struct import_ctx *c; /* for errors */
    size_t col;           /* column */
    bool is_grade;        /* values must be grade names */
    struct year_item items[64];
    size_t n;
    bool ok;
};

static bool year_item(void *ud, const char *item)
{
    struct year_list *l = ud;
    const char *value;
    int year = 0;
    size_t digits = 0;

    /* "2016年:优秀", "2016:优秀", "2016优秀" are all seen in the wild. */
    for (const char *p = item; *p >= '0' && *p <= '9'; p++, digits++)
        year = year * 10 + (*p - '0');
    value = item + digits;
    if (strncmp(value, "年", 3) == 0)
        value += 3;
    if (*value == ':')
        value++;
    else if (strncmp(value, "：", 3) == 0)
        value += 3;
    if (digits != 4 || year < 1950 || year > l->c->today_y) {
        import_bad(l->c, l->col, "'%s' should be YEAR:%s (e.g. 2017:%s), year up to %d", item,
                   l->is_grade ? "等次" : "处分", l->is_grade ? "称职" : "警告", l->c->today_y);
        l->ok = false;
        return false;
    }
    if (!*value) {
        import_bad(l->c, l->col, "'%s' names no %s", item, l->is_grade ? "grade" : "penalty");
        l->ok = false;
        return false;
    }
    if (l->is_grade) {
        bool known = false;
        for (size_t i = 0; i < 4; i++)
            if (strcmp(value, grade_names[i]) == 0)
                known = true;
        if (!known) {
            import_bad(l->c, l->col, "'%s' is not a grade; use 优秀, 称职, 基本称职 or 不称职",
                       value);
            l->ok = false;
            return false;
        }
        for (size_t i = 0; i < l->n; i++) {
            if (l->items[i].year == year) {
                import_bad(l->c, l->col, "two grades for %d", year);
                l->ok = false;
                return false;
            }
        }
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].year == year && strcmp(l->items[i].value, value) == 0)
            return true; /* the same record twice */
    if (l->n < sizeof(l->items) / sizeof(l->items[0])) {
        l->items[l->n].year = year;
        snprintf(l->items[l->n].value, sizeof(l->items[0].value), "%s", value);
        l->n++;
    }
    return true;
}

static int cmp_year_item(const void *a, const void *b)
{
    const struct year_item *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return strcmp(x->value, y->value);
}

static bool parse_year_list(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                            bool is_grade, struct year_list *l, struct buf *canon)
{
    char t[16];
    l->c = c;
    l->col = col;
    l->is_grade = is_grade;
    l->n = 0;
    l->ok = true;
    buf_reset(canon);
    cell_text(v, t, sizeof(t));
    if (!is_grade && (strcmp(t, "无") == 0 || strcmp(t, "none") == 0))
        return true;
    if (!cell_split(v, year_item, l) || !l->ok)
        return false;
    qsort(l->items, l->n, sizeof(l->items[0]), cmp_year_item);
    for (size_t i = 0; i < l->n; i++) {
        char year[8] = {(char)('0' + l->items[i].year / 1000),
                        (char)('0' + l->items[i].year / 100 % 10),
                        (char)('0' + l->items[i].year / 10 % 10),
                        (char)('0' + l->items[i].year % 10),
                        ':',
                        '\0'};
        if (i)
            buf_putc(canon, ';');
        buf_puts(canon, year);
        buf_puts(canon, l->items[i].value);
    }
    return true;
}

/* ---- preferred regions: division codes ---------------------------------- */

struct pref_acc {
    struct import_ctx *c;
    struct cadre_state *st;
    bool ok;
    bool remapped; /* an item's code was abolished or renamed since */
};

static bool pref_item(void *ud, const char *item)
{
    struct pref_acc *a = ud;
    struct sheet_cell cell = {item, strlen(item)};
    int64_t code, was;
    bool present;
    char shortc[13];
    if (!field_division(a->c, C_PREFERRED, &cell, a->st->division, 0, &code, &was, &present)) {
        a->ok = false;
        return false;
    }
    division_format(code, division_level_of(code), shortc);
    buf_printf(&a->st->preferred, "%s%s", a->st->preferred.len ? ";" : "", shortc);
    if (was) {
        a->remapped = true;
        division_format(was, division_level_of(was), shortc);
    }
    buf_printf(&a->st->preferred_was, "%s%s", a->st->preferred_was.len ? ";" : "", shortc);
    return true;
}

/* Replace the cadre's rows: delete the old ones now (a cadre new in this
 * import has none), queue the new ones for cadre_finish(). */
static int queue_year_rows(struct cadre_state *st, struct store_stmt *del, struct year_rows *out,
                           int64_t id, bool fresh, const struct year_list *l, struct zc_error *err)
{
    int rc = ZC_OK;
    if (!fresh) {
        store_bind_int(del, 1, id);
        rc = store_run(del, err);
    }
    for (size_t i = 0; i < l->n && rc == ZC_OK; i++) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 1024;
            out->v = zc_reallocarray(out->v, out->cap, sizeof(*out->v));
        }
        out->v[out->n].cadre = id;
        out->v[out->n].year = l->items[i].year;
        out->v[out->n].text = (uint32_t)st->texts.len;
        out->n++;
        buf_append(&st->texts, l->items[i].value, strlen(l->items[i].value) + 1);
    }
    return rc;
}

/* The bound upsert sent ahead (store_defers_writes), its outcome never read:
 * the cadre as held before the import (read once for a large file, by ID
 * number for a small one) says whether the grade and penalty rows change.
 * A held cadre's rows are replaced when its text differs; a new cadre's
 * wait for its id (resolve_fresh). The file's counts come from the
 * upsert's own change count at the end. */
static int write_batched(struct import_ctx *c, struct cadre_state *st, const char *id,
                         const struct store_arg *args, const struct year_list *grades,
                         const struct year_list *disc, struct zc_error *err)
{
    bool held = false;
    int64_t cid = 0;
    int rc = stored_rows_get(st->known, id, &held, &cid, err);
    bool new_grades = import_has_col(c, C_GRADES) &&
                      (!held || strcmp(stored_rows_text(st->known, 0), buf_cstr(&st->grades)) != 0);
    bool new_disc = import_has_col(c, C_DISCIPLINE) &&
                    (!held || strcmp(stored_rows_text(st->known, 1), buf_cstr(&st->disc)) != 0);
    if (rc == ZC_OK)
        rc = import_upsert_row(c, args, err);
    if (rc != ZC_OK)
        return rc;
    if (!held && ((new_grades && grades->n) || (new_disc && disc->n))) {
        /* The k-th new cadre with rows (a file has an ID number once). */
        cid = -(int64_t)(st->fresh.n + 1);
        key_index_put(&st->fresh, id, 18, st->fresh.n + 1);
    }
    if (new_grades)
        rc = queue_year_rows(st, st->del_grades, &st->grade_rows, cid, !held, grades, err);
    if (rc == ZC_OK && new_disc)
        rc = queue_year_rows(st, st->del_disc, &st->disc_rows, cid, !held, disc, err);
    return rc;
}

static int cadre_row(struct import_ctx *c, const struct sheet_cell *v, struct zc_error *err)
{
    struct cadre_state *st = c->kind_state;
    char id[19], spouse[19], name[129], unit[65], birth[11];
    const char *rank = "其他", *education = NULL, *gender = NULL;
    bool party = false, reserve = false, on_staff = true, volunteer = false;
    int64_t rural = 0, service = 0, hometown = 0, hometown_was = 0;
    bool has_id, has_spouse, has_rural, has_service, has_home, has_birth, present, ok = true;
    struct year_list grades, disc;
    struct pref_acc pa = {.c = c, .st = st, .ok = true};
    const char *unitp = unit;
    size_t prev;

    ok &= field_idcard(c, C_ID_NUMBER, &v[C_ID_NUMBER], id, &has_id);
    ok &= field_text(c, C_NAME, &v[C_NAME], 128, name, sizeof(name));
    ok &= field_text(c, C_UNIT, &v[C_UNIT], 64, unit, sizeof(unit));
    ok &= field_choice(c, C_RANK, &v[C_RANK], registry_rank_choices, &rank, &present);
    ok &= field_bool(c, C_PARTY, &v[C_PARTY], &party, &present);
    ok &= field_bool(c, C_RESERVE, &v[C_RESERVE], &reserve, &present);
    ok &= field_bool(c, C_ON_STAFF, &v[C_ON_STAFF], &on_staff, &present);
    ok &= field_choice(c, C_EDUCATION, &v[C_EDUCATION], registry_education_choices, &education,
                       &present);
    ok &= field_skills(c, C_SKILLS, &v[C_SKILLS], st->skills, &st->skillbuf);
    ok &= field_int(c, C_RURAL_YEARS, &v[C_RURAL_YEARS], 0, 60, &rural, &has_rural);
    ok &= field_int(c, C_SERVICE_YEARS, &v[C_SERVICE_YEARS], 0, 60, &service, &has_service);
    ok &= field_division(c, C_HOMETOWN, &v[C_HOMETOWN], st->division, 0, &hometown, &hometown_was,
                         &has_home);
    ok &= parse_year_list(c, C_GRADES, &v[C_GRADES], true, &grades, &st->grades);
    ok &= parse_year_list(c, C_DISCIPLINE, &v[C_DISCIPLINE], false, &disc, &st->disc);
    ok &= field_bool(c, C_VOLUNTEER, &v[C_VOLUNTEER], &volunteer, &present);
    buf_reset(&st->preferred);
    buf_reset(&st->preferred_was);
    if (!cell_split(&v[C_PREFERRED], pref_item, &pa) || !pa.ok)
        ok = false;
    ok &= field_choice(c, C_GENDER, &v[C_GENDER], registry_gender_choices, &gender, &present);
    ok &= field_date(c, C_BIRTH_DATE, &v[C_BIRTH_DATE], birth, &has_birth);
    ok &= field_idcard(c, C_SPOUSE, &v[C_SPOUSE], spouse, &has_spouse);

    if (unit[0] && !bsearch(&unitp, st->units, st->nunits, sizeof(*st->units), cmp_str)) {
        import_bad(c, C_UNIT, "unit %s is not registered (import the units first)", unit);
        ok = false;
    }
    if (has_id) {
        char from_id[32];
        int b = idcard_birth_yyyymmdd(id);
        const char *id_gender = idcard_is_male(id) ? "男" : "女";
        snprintf(from_id, sizeof(from_id), "%04d-%02d-%02d", b / 10000, b / 100 % 100, b % 100);
        if (has_birth && strcmp(birth, from_id) != 0) {
            import_bad(c, C_BIRTH_DATE, "birth date %s contradicts the ID number (%s)", birth,
                       from_id);
            ok = false;
        }
        if (!has_birth) {
            memcpy(birth, from_id, sizeof(birth));
            has_birth = true;
        }
        if (gender && strcmp(gender, id_gender) != 0) {
            import_bad(c, C_GENDER, "gender %s contradicts the ID number (%s)", gender, id_gender);
            ok = false;
        }
        if (!gender)
            gender = id_gender;
        if (has_spouse && strcmp(spouse, id) == 0) {
            import_bad(c, C_SPOUSE, "a cadre cannot be their own spouse");
            ok = false;
        }
    }
    if (has_birth) {
        int by = (int)strtol(birth, NULL, 10); /* YYYY-MM-DD, checked above */
        int age = c->today_y - by;
        if (age < 16 || age > 80) {
            import_bad(c, C_BIRTH_DATE, "born %s: an age of %d is not possible for a cadre", birth,
                       age);
            ok = false;
        } else if (has_service && c->today_y - service < by + 16) {
            import_bad(c, C_SERVICE_YEARS,
                       "%lld years of service would start in %lld, before the cadre (born %s) "
                       "was 16",
                       (long long)service, (long long)(c->today_y - service), birth);
            ok = false;
        }
    }
    if (has_rural && has_birth && c->today_y - rural < strtol(birth, NULL, 10) + 16) {
        import_bad(c, C_RURAL_YEARS, "%lld years of rural work would start before the age of 16",
                   (long long)rural);
        ok = false;
    }
    if (ok && (prev = import_seen(c, id, 18)) != 0) {
        import_bad(c, C_ID_NUMBER, "this ID number already appears in row %zu", prev);
        ok = false;
    }
    if (!ok || import_failed(c))
        return ZC_OK;
    if (c->scoped) {
        /* By their unit's division: the new unit's and the stored one's. */
        bool found, has_div, in, has_old;
        int64_t div, old;
        char what[96];
        snprintf(what, sizeof(what), "unit %s", unit);
        if (import_scope_lookup(st->unit_div, unit, &found, &has_div, &div, err) != ZC_OK ||
            import_scope_check(c, C_UNIT, what, has_div, div, err) != ZC_OK ||
            import_scope_lookup(st->stored, id, &in, &has_old, &old, err) != ZC_OK ||
            (in &&
             import_scope_check(c, C_ID_NUMBER, "the cadre's unit", has_old, old, err) != ZC_OK))
            return err->code;
    }

    {
        struct store_stmt *u = st->upsert;
        const struct store_arg args[] = {
            STORE_TEXT(id),
            STORE_TEXT(name),
            STORE_TEXT(unit),
            STORE_TEXT(rank),
            STORE_INT(party),
            STORE_INT(reserve),
            STORE_INT(on_staff),
            STORE_TEXT(education),
            STORE_TEXT(buf_cstr(&st->skillbuf)),
            has_rural ? STORE_INT(rural) : STORE_NULL,
            has_service ? STORE_INT(service) : STORE_NULL,
            has_home ? STORE_INT(hometown) : STORE_NULL,
            STORE_TEXT(buf_cstr(&st->grades)),
            STORE_TEXT(buf_cstr(&st->disc)),
            STORE_INT(volunteer),
            STORE_TEXT(buf_cstr(&st->preferred)),
            STORE_TEXT(gender),
            STORE_TEXT(has_birth ? birth : NULL),
            STORE_TEXT(has_spouse ? spouse : NULL),
            hometown_was ? STORE_INT(hometown_was) : STORE_NULL,
            STORE_TEXT(pa.remapped ? buf_cstr(&st->preferred_was) : NULL),
        };
        bool row = false;
        int64_t cid;
        int rc;
        _Static_assert(sizeof(args) / sizeof(args[0]) ==
                           sizeof(upsert_cols) / sizeof(upsert_cols[0]),
                       "one value a column");
        if (st->batch)
            return write_batched(c, st, id, args, &grades, &disc, err);
        store_bind_args(u, args, sizeof(args) / sizeof(args[0]));
        /* No RETURNING: it makes SQLite buffer the result in a temporary
         * table and doubles the cost of the statement. An unchanged row
         * reports no change; only a changed one needs its id. Row ids only
         * grow (INTEGER PRIMARY KEY = max + 1): one above the maximum before
         * the import is a fresh insert. */
        enum store_upsert_result done;
        rc = store_upsert(u, c->s, st->max_id_before, &done, err);
        if (rc != ZC_OK)
            return rc;
        if (done == STORE_UNCHANGED)
            return ZC_OK;
        cid = store_last_insert_id(c->s);
        if (done == STORE_UPDATED) {
            /* Updated, not inserted: the row id did not grow. */
            store_bind_cstr(st->id_of, 1, id);
            rc = store_step(st->id_of, &row, err);
            cid = row ? store_col_int(st->id_of, 0) : 0;
            store_reset(st->id_of);
            if (rc != ZC_OK)
                return rc;
            ZC_ASSERT(row);
        }
        /* Grade and penalty rows follow their columns: a file without them
         * leaves the records as they are. */
        if (import_has_col(c, C_GRADES))
            rc = queue_year_rows(st, st->del_grades, &st->grade_rows, cid, cid > st->max_id_before,
                                 &grades, err);
        if (rc == ZC_OK && import_has_col(c, C_DISCIPLINE))
            rc = queue_year_rows(st, st->del_disc, &st->disc_rows, cid, cid > st->max_id_before,
                                 &disc, err);
        return rc;
    }
}

static void cadre_export_row(struct import_ctx *c, struct store_stmt *st, bool unmask,
                             const char **out)
{
    struct cadre_state *cs = c->kind_state;
    static const int bool_cols[] = {C_PARTY, C_RESERVE, C_ON_STAFF, C_VOLUNTEER};
    for (int i = 0; i < C_NCOLS; i++)
        out[i] = store_col_text(st, i);
    if (!unmask) {
        idcard_mask(out[C_ID_NUMBER], cs->masked, sizeof(cs->masked));
        out[C_ID_NUMBER] = cs->masked;
        idcard_mask(out[C_SPOUSE], cs->masked_spouse, sizeof(cs->masked_spouse));
        out[C_SPOUSE] = cs->masked_spouse;
    }
    for (size_t i = 0; i < sizeof(bool_cols) / sizeof(bool_cols[0]); i++)
        out[bool_cols[i]] = store_col_int(st, bool_cols[i]) ? "是" : "否";
    buf_reset(&cs->skillbuf);
    skill_vocab_names(cs->skills, out[C_SKILLS], &cs->skillbuf);
    out[C_SKILLS] = buf_cstr(&cs->skillbuf);
    out[C_HOMETOWN] = export_division(st, C_HOMETOWN, cs->hometown);
    if (!unmask) {
        /* A masked ID number shows its region and last digits: with the birth
         * date and the hometown beside it, it could be rebuilt (PIPL: masked
         * must mean unrecoverable). Keep the birth year, withhold the rest. */
        snprintf(cs->birth_year, sizeof(cs->birth_year), "%.4s", out[C_BIRTH_DATE]);
        out[C_BIRTH_DATE] = cs->birth_year;
        out[C_HOMETOWN] = "";
    }
}

/* The codes as a file wrote them (registry_int.h: struct import_was). */
static const struct import_was cadre_was[] = {{"hometown_was", "原籍贯代码", false, true},
                                              {"preferred_was", "原意向地区", true, false}};

const struct import_kind import_kind_cadres = {
    .name = "cadres",
    .table = "cadre",
    .cols = cadre_cols,
    .ncols = C_NCOLS,
    .begin = cadre_begin,
    .row = cadre_row,
    .finish = cadre_finish,
    .end = cadre_end,
    .export_sql = registry_sql_cadres_export,
    .was = cadre_was,
    .nwas = sizeof(cadre_was) / sizeof(cadre_was[0]),
    .export_row = cadre_export_row,
};

int registry_cadre_in_scope(struct store *s, const struct zc_scope *scope, int64_t id, char *unit,
                            size_t n, struct zc_error *err)
{
    /* Three shapes of the same question (registry_sql.c), so that each is
     * answered from an index. */
    struct store_stmt *st = NULL;
    bool everywhere = scope->cadre == 0 && scope->level == 0, row = false;
    int rc = store_prepare(s,
                           scope->cadre != 0 ? registry_sql_cadre_own
                           : everywhere      ? registry_sql_cadre_any
                                             : registry_sql_cadre_in_range,
                           &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        if (scope->cadre != 0) {
            store_bind_int(st, 2, scope->cadre);
        } else if (!everywhere) {
            store_bind_int(st, 2, scope->lo);
            store_bind_int(st, 3, scope->hi);
        }
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row && unit)
        snprintf(unit, n, "%s", store_col_text(st, 0));
    store_finalize(st);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre %lld in your jurisdiction", (long long)id);
    return rc;
}

int registry_cadre_visible(struct store *s, const struct zc_scope *scope, const char *id_number,
                           struct zc_error *err)
{
    int64_t id = 0;
    int rc = registry_cadre_id(s, id_number, &id, err);
    if (rc == ZC_OK)
        rc = registry_cadre_in_scope(s, scope, id, NULL, 0, err);
    if (rc == ZC_ENOTFOUND)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre %s in your jurisdiction", id_number);
    return rc;
}

int registry_cadre_id(struct store *s, const char *id_number, int64_t *id, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, registry_sql_cadre_id, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, id_number);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row)
        *id = store_col_int(st, 0);
    else if (rc == ZC_OK)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre with ID number %s", id_number);
    store_finalize(st);
    return rc;
}

int registry_grade_set(struct store *s, int64_t cadre, int year, const char *grade,
                       struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char text[64 * 24] = "";
    size_t used = 0;
    bool row = false, known = false;
    int rc;
    for (size_t i = 0; i < 4; i++)
        known |= strcmp(grade, grade_names[i]) == 0;
    if (!known)
        return zc_error_set(err, ZC_EINVAL,
                            "'%s' is not a grade; use 优秀, 称职, 基本称职 or 不称职", grade);
    rc = store_prepare(s, registry_sql_grade_upsert, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_int(q, 2, year);
        store_bind_cstr(q, 3, grade);
        rc = store_run(q, err);
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = store_prepare(s, registry_sql_grades_of, &q, err);
    if (rc == ZC_OK)
        store_bind_int(q, 1, cadre);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        int w = snprintf(text + used, sizeof(text) - used, "%s%lld:%s", used ? ";" : "",
                         (long long)store_col_int(q, 0), store_col_text(q, 1));
        if (w < 0 || (size_t)w >= sizeof(text) - used)
            rc = zc_error_set(err, ZC_ETOOBIG, "cadre %lld has too many grades to list",
                              (long long)cadre);
        else
            used += (size_t)w;
    }
    store_finalize(q);
    q = NULL;
    if (rc == ZC_OK)
        rc = store_prepare(s, registry_sql_grades_text, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, text);
        store_bind_int(q, 2, cadre);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}
