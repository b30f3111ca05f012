/* SPDX-License-Identifier: MIT */
/* members.c - household members (家庭成员) of the registered poor households:
 * columns, checks, upsert, the household's figures checked against its
 * members, export. Key: the member's ID number.
 *
 * A row is checked on its own (ID number, relation, gender and birth date
 * against the ID number, health, work ability); once the whole file is
 * read, every household it names is checked against its members as they
 * will stand after the import (members already held plus the file's):
 * the count must equal the household's 人口数, there must be exactly one
 * 户主, and the 户主 must be the household's 户主身份证号 when that is
 * recorded. Each contradiction names the household and its rows; any
 * error and nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/idcard.h"
#include "registry_int.h"

enum {
    M_HOUSEHOLD,
    M_ID,
    M_NAME,
    M_RELATION,
    M_GENDER,
    M_BIRTH,
    M_EDUCATION,
    M_HEALTH,
    M_WORK,
    M_STUDENT,
    M_NCOLS
};

static const struct import_col member_cols[M_NCOLS] = {
    [M_HOUSEHOLD] = {"household", "户编号", "户号|household_id", true, TW_TEXT, 16},
    [M_ID] = {"id_number", "身份证号", "证件号码|公民身份号码", true, TW_TEXT, 22},
    [M_NAME] = {"name", "姓名", NULL, true, TW_TEXT, 10},
    [M_RELATION] = {"relation", "与户主关系", "关系", true, TW_TEXT, 10},
    [M_GENDER] = {"gender", "性别", NULL, false, TW_TEXT, 6},
    [M_BIRTH] = {"birth_date", "出生日期", "出生年月", false, TW_TEXT, 12},
    [M_EDUCATION] = {"education", "文化程度", NULL, false, TW_TEXT, 10},
    [M_HEALTH] = {"health", "健康状况", NULL, true, TW_TEXT, 12},
    [M_WORK] = {"work_ability", "劳动能力", "劳动技能", true, TW_TEXT, 14},
    [M_STUDENT] = {"student", "在校生状况", "在校生情况", false, TW_TEXT, 12},
};

static const struct choice relation_choices[] = {
    {"户主", "户主"},         {"本人", "户主"},     {"配偶", "配偶"},
    {"妻", "配偶"},           {"夫", "配偶"},       {"子女", "子女"},
    {"之子", "子女"},         {"之女", "子女"},     {"儿子", "子女"},
    {"女儿", "子女"},         {"父母", "父母"},     {"之父", "父母"},
    {"之母", "父母"},         {"孙子女", "孙子女"}, {"之孙子", "孙子女"},
    {"之孙女", "孙子女"},     {"儿媳", "儿媳女婿"}, {"女婿", "儿媳女婿"},
    {"兄弟姐妹", "兄弟姐妹"}, {"祖父母", "祖父母"}, {"其他", "其他"},
    {"head", "户主"},         {"spouse", "配偶"},   {"child", "子女"},
    {"parent", "父母"},       {"other", "其他"},    {NULL, NULL},
};

static const struct choice health_choices[] = {
    {"健康", "健康"},
    {"长期慢性病", "长期慢性病"},
    {"慢性病", "长期慢性病"},
    {"大病", "大病"},
    {"患有大病", "大病"},
    {"残疾", "残疾"},
    {"healthy", "健康"},
    {"chronic", "长期慢性病"},
    {"serious", "大病"},
    {"disabled", "残疾"},
    {NULL, NULL},
};

static const struct choice work_choices[] = {
    {"普通劳动力", "普通劳动力"},
    {"技能劳动力", "技能劳动力"},
    {"弱劳动力", "弱劳动力或半劳动力"},
    {"半劳动力", "弱劳动力或半劳动力"},
    {"弱劳动力或半劳动力", "弱劳动力或半劳动力"},
    {"丧失劳动力", "丧失劳动力"},
    {"无劳动力", "无劳动力"},
    {NULL, NULL},
};

static const struct choice gender_choices[] = {
    {"男", "男"}, {"女", "女"}, {"male", "男"}, {"female", "女"}, {NULL, NULL},
};

static const struct upsert_col upsert_cols[] = {
    {"id_number", -1, NULL},          {"household", M_HOUSEHOLD, NULL},
    {"name", M_NAME, NULL},           {"relation", M_RELATION, NULL},
    {"gender", M_GENDER, NULL},       {"birth_date", M_BIRTH, NULL},
    {"education", M_EDUCATION, NULL}, {"health", M_HEALTH, NULL},
    {"work_ability", M_WORK, NULL},   {"student", M_STUDENT, NULL},
};

/* A household the file names, with its rows. */
struct named {
    char *id;
    struct buf rows; /* "3, 4, 7" */
    size_t first;
};

struct member_state {
    struct store_stmt *upsert;
    struct stored_rows *households; /* the village of each household the file names */
    struct store_stmt *stored;      /* scoped imports: the village of the member's household */
    struct named *h;                /* in first-seen order */
    size_t nh, caph;
    size_t *slot, nslot;            /* open addressing over h: index + 1, 0 = empty */
    int64_t nhouseholds;            /* registered (counted where writes are sent ahead) */
    char masked[32], birth_year[8]; /* export buffers */
};

static int member_begin(struct import_ctx *c, struct zc_error *err)
{
    struct member_state *st = zc_calloc(1, sizeof(*st));
    int rc;
    c->kind_state = st;
    rc = import_prepare_upsert(c, "household_member", upsert_cols,
                               sizeof(upsert_cols) / sizeof(upsert_cols[0]), &st->upsert, err);
    if (rc == ZC_OK && store_defers_writes(c->s)) /* the size matters there only */
        rc = store_query_int(c->s, registry_sql_household_count, &st->nhouseholds, err);
    if (rc == ZC_OK)
        rc =
            stored_rows_open(c->s, registry_sql_household_village, registry_sql_households_villages,
                             0, st->nhouseholds, &st->households, err);
    if (rc == ZC_OK && c->scoped)
        rc = store_prepare(c->s, registry_sql_member_village, &st->stored, err);
    return rc;
}

static void member_end(struct import_ctx *c)
{
    struct member_state *st = c->kind_state;
    if (!st)
        return;
    store_finalize(st->stored);
    stored_rows_close(st->households);
    for (size_t i = 0; i < st->nh; i++) {
        free(st->h[i].id);
        buf_fini(&st->h[i].rows);
    }
    free(st->h);
    free(st->slot);
    free(st);
    c->kind_state = NULL;
}

static size_t name_hash(const char *s)
{
    size_t h = 14695981039346656037ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The slot of `household` in the index (empty when it is not there). */
static size_t *find_slot(struct member_state *st, const char *household)
{
    size_t mask = st->nslot - 1, i = name_hash(household) & mask;
    while (st->slot[i] && strcmp(st->h[st->slot[i] - 1].id, household) != 0)
        i = (i + 1) & mask;
    return &st->slot[i];
}

static void index_grow(struct member_state *st)
{
    size_t *old = st->slot, n = st->nslot;
    st->nslot = n ? n * 2 : 256;
    st->slot = zc_calloc(st->nslot, sizeof(*st->slot));
    for (size_t i = 0; i < n; i++)
        if (old[i])
            *find_slot(st, st->h[old[i] - 1].id) = old[i];
    free(old);
}

static void remember(struct member_state *st, const char *household, size_t row)
{
    struct named *n = NULL;
    size_t *slot;
    /* Files list a household's members together: the last one first, then
     * the index (a file of 100,000 members names some 30,000 households). */
    if (st->nh && strcmp(st->h[st->nh - 1].id, household) == 0)
        n = &st->h[st->nh - 1];
    if (!n) {
        if ((st->nh + 1) * 2 > st->nslot)
            index_grow(st);
        slot = find_slot(st, household);
        if (*slot)
            n = &st->h[*slot - 1];
    }
    if (!n) {
        if (st->nh == st->caph) {
            st->caph = st->caph ? st->caph * 2 : 64;
            st->h = zc_reallocarray(st->h, st->caph, sizeof(*st->h));
        }
        n = &st->h[st->nh++];
        memset(n, 0, sizeof(*n));
        n->id = zc_strdup(household);
        n->first = row;
        *slot = st->nh;
    }
    buf_printf(&n->rows, "%s%zu", n->rows.len ? ", " : "", row);
}

/* Gender and birth date against the ID number (filled from it when absent). */
static bool check_id_facts(struct import_ctx *c, const char *id, const char **gender,
                           bool has_gender, char birth[11], bool has_birth)
{
    int b = idcard_birth_yyyymmdd(id);
    const char *id_gender = idcard_is_male(id) ? "男" : "女";
    char from_id[11];
    bool ok = true;
    snprintf(from_id, sizeof(from_id), "%04u-%02u-%02u", (unsigned)(b / 10000) % 10000u,
             (unsigned)(b / 100 % 100) % 100u, (unsigned)(b % 100) % 100u);
    if (has_birth && strcmp(birth, from_id) != 0) {
        import_bad(c, M_BIRTH, "birth date %s contradicts the ID number (%s)", birth, from_id);
        ok = false;
    }
    if (has_gender && strcmp(*gender, id_gender) != 0) {
        import_bad(c, M_GENDER, "gender %s contradicts the ID number (%s)", *gender, id_gender);
        ok = false;
    }
    if (!has_birth)
        memcpy(birth, from_id, sizeof(from_id));
    *gender = id_gender;
    return ok;
}

static int member_row(struct import_ctx *c, const struct sheet_cell *v, struct zc_error *err)
{
    struct member_state *st = c->kind_state;
    char household[65], id[19], name[65], birth[11] = "", education[33], student[65];
    const char *relation = NULL, *gender = NULL, *health = NULL, *work = NULL;
    bool has_id, has_gender, has_birth, present, found = false, ok = true;
    int64_t village = 0;
    size_t prev;

    ok &= field_text(c, M_HOUSEHOLD, &v[M_HOUSEHOLD], 64, household, sizeof(household));
    ok &= field_idcard(c, M_ID, &v[M_ID], id, &has_id);
    ok &= field_text(c, M_NAME, &v[M_NAME], 64, name, sizeof(name));
    ok &= field_choice(c, M_RELATION, &v[M_RELATION], relation_choices, &relation, &present);
    ok &= field_choice(c, M_GENDER, &v[M_GENDER], gender_choices, &gender, &has_gender);
    ok &= field_date(c, M_BIRTH, &v[M_BIRTH], birth, &has_birth);
    ok &= field_text(c, M_EDUCATION, &v[M_EDUCATION], 32, education, sizeof(education));
    ok &= field_choice(c, M_HEALTH, &v[M_HEALTH], health_choices, &health, &present);
    ok &= field_choice(c, M_WORK, &v[M_WORK], work_choices, &work, &present);
    ok &= field_text(c, M_STUDENT, &v[M_STUDENT], 64, student, sizeof(student));
    if (ok && has_id)
        ok &= check_id_facts(c, id, &gender, has_gender, birth, has_birth);
    if (has_id && (prev = import_seen(c, id, strlen(id))) != 0) {
        import_bad(c, M_ID, "%s already appears in row %zu", id, prev);
        ok = false;
    }
    if (ok) {
        if (stored_rows_get(st->households, household, &found, &village, err) != ZC_OK)
            return err->code;
        if (!found) {
            import_bad(c, M_HOUSEHOLD,
                       "household %s is not registered (import the households first)", household);
            ok = false;
        }
    }
    if (ok)
        remember(st, household, c->rowno);
    if (!ok || import_failed(c))
        return ZC_OK;
    if (c->scoped) {
        /* In the household's village, and so was the household they were in. */
        bool in, has_old;
        int64_t old;
        char what[96];
        snprintf(what, sizeof(what), "household %s", household);
        if (import_scope_check(c, M_HOUSEHOLD, what, true, village, err) != ZC_OK ||
            import_scope_lookup(st->stored, id, &in, &has_old, &old, err) != ZC_OK ||
            (in &&
             import_scope_check(c, M_ID, "the member's household", has_old, old, err) != ZC_OK))
            return err->code;
    }
    {
        const struct store_arg args[] = {
            STORE_TEXT(id),
            STORE_TEXT(household),
            STORE_TEXT(name),
            STORE_TEXT(relation),
            STORE_TEXT(gender),
            STORE_TEXT(birth[0] ? birth : NULL),
            STORE_TEXT(education[0] ? education : NULL),
            STORE_TEXT(health),
            STORE_TEXT(work),
            STORE_TEXT(student[0] ? student : NULL),
        };
        _Static_assert(sizeof(args) / sizeof(args[0]) ==
                           sizeof(upsert_cols) / sizeof(upsert_cols[0]),
                       "one value a column");
        return import_upsert_row(c, args, err); /* counted at the end (import_once) */
    }
}

/* A household as it now stands: the columns of registry_sql_household_members. */
struct facts {
    int64_t said, have, heads;         /* 人口数, members held, of them 户主 */
    const char *head_id, *listed_head; /* 户主身份证号, the 户主 member's */
};

static void facts_of(struct store_stmt *q, int col, struct facts *f)
{
    f->said = store_col_int(q, col);
    f->have = store_col_int(q, col + 1);
    f->heads = store_col_int(q, col + 2);
    f->head_id = store_col_text(q, col + 3);
    f->listed_head = store_col_text(q, col + 4);
}

static void check_household(struct import_ctx *c, const struct named *n, const struct facts *f)
{
    c->rowno = n->first;
    if (f->said != f->have)
        import_bad(c, M_HOUSEHOLD,
                   "household %s: its record says %lld members (人口数) but %lld are listed "
                   "(rows %s of this file and any imported before)",
                   n->id, (long long)f->said, (long long)f->have, buf_cstr(&n->rows));
    if (f->heads != 1)
        import_bad(c, M_RELATION,
                   "household %s has %lld members marked 户主 (rows %s); exactly one is needed",
                   n->id, (long long)f->heads, buf_cstr(&n->rows));
    else if (f->head_id[0] && strcmp(f->head_id, f->listed_head) != 0)
        import_bad(c, M_RELATION,
                   "household %s: the 户主 listed is not the household's 户主身份证号 (rows %s)",
                   n->id, buf_cstr(&n->rows));
}

/* Every household in one query (where each query is a round trip and the
 * file names a sixteenth of them or more): the facts of the file's
 * households kept, then checked in the file's order as one at a time would. */
static int check_all_households(struct import_ctx *c, struct member_state *st, struct zc_error *err)
{
    struct facts *f = zc_calloc(st->nh, sizeof(*f));
    size_t *text = zc_calloc(st->nh, sizeof(*text)); /* offsets in texts, 0 = not found */
    struct buf texts = {0};
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_prepare(c->s, registry_sql_households_members, &q, err);
    buf_putc(&texts, '\0');
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        size_t i = *find_slot(st, store_col_text(q, 0));
        if (!i--)
            continue;
        facts_of(q, 1, &f[i]);
        text[i] = texts.len;
        buf_append(&texts, f[i].head_id, strlen(f[i].head_id) + 1);
        buf_append(&texts, f[i].listed_head, strlen(f[i].listed_head) + 1);
    }
    store_finalize(q);
    for (size_t i = 0; rc == ZC_OK && i < st->nh; i++) {
        if (!text[i])
            continue;
        f[i].head_id = texts.p + text[i];
        f[i].listed_head = f[i].head_id + strlen(f[i].head_id) + 1;
        check_household(c, &st->h[i], &f[i]);
    }
    buf_fini(&texts);
    free(text);
    free(f);
    return rc;
}

/* The households the file names against their members as they now stand
 * (inside the import's transaction, which rolls back on any error). */
static int member_finish(struct import_ctx *c, struct zc_error *err)
{
    struct member_state *st = c->kind_state;
    struct store_stmt *q = NULL;
    bool row = false;
    int rc;
    if (!st->nh)
        return ZC_OK;
    if (store_defers_writes(c->s) && (int64_t)st->nh * 16 >= st->nhouseholds)
        return check_all_households(c, st, err);
    rc = store_prepare(c->s, registry_sql_household_members, &q, err);
    for (size_t i = 0; rc == ZC_OK && i < st->nh; i++) {
        struct facts f;
        store_reset(q);
        store_bind_cstr(q, 1, st->h[i].id);
        rc = store_step(q, &row, err);
        if (rc == ZC_OK && row) {
            facts_of(q, 0, &f);
            check_household(c, &st->h[i], &f);
        }
    }
    store_finalize(q);
    return rc;
}

static void member_export_row(struct import_ctx *c, struct store_stmt *st, bool unmask,
                              const char **out)
{
    struct member_state *ms = c->kind_state;
    for (int i = 0; i < M_NCOLS; i++)
        out[i] = store_col_text(st, i);
    if (!unmask) { /* as for cadres: masked means the number cannot be rebuilt */
        idcard_mask(out[M_ID], ms->masked, sizeof(ms->masked));
        out[M_ID] = ms->masked;
        snprintf(ms->birth_year, sizeof(ms->birth_year), "%.4s", out[M_BIRTH]);
        out[M_BIRTH] = ms->birth_year;
    }
}

const struct import_kind import_kind_members = {
    .name = "members",
    .table = "household_member",
    .cols = member_cols,
    .ncols = M_NCOLS,
    .begin = member_begin,
    .row = member_row,
    .finish = member_finish,
    .end = member_end,
    .export_sql = registry_sql_members_export,
    .export_row = member_export_row,
};

int registry_household_get(struct store *s, const char *id, struct registry_household *out,
                           struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_prepare(s, registry_sql_household_row, &q, err);
    memset(out, 0, sizeof(*out));
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, id);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no registered household %s", id);
    if (rc == ZC_OK) {
        snprintf(out->id, sizeof(out->id), "%s", store_col_text(q, 0));
        out->village = store_col_int(q, 1);
        snprintf(out->head_id_number, sizeof(out->head_id_number), "%s", store_col_text(q, 2));
        out->members = (int)store_col_int(q, 3);
        snprintf(out->cause, sizeof(out->cause), "%s", store_col_text(q, 4));
        out->has_income = !store_col_is_null(q, 5);
        out->income_fen = store_col_int(q, 5);
        snprintf(out->status, sizeof(out->status), "%s", store_col_text(q, 6));
        out->poverty_year = (int)store_col_int(q, 7);
    }
    store_finalize(q);
    return rc;
}

int registry_members_list(struct store *s, const char *household,
                          int (*fn)(void *ud, const struct registry_member *m), void *ud,
                          struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = store_prepare(s, registry_sql_members_of, &q, err);
    if (rc == ZC_OK)
        store_bind_cstr(q, 1, household);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        struct registry_member m = {
            store_col_text(q, 0), store_col_text(q, 1), store_col_text(q, 2),
            store_col_text(q, 3), store_col_text(q, 4), store_col_text(q, 5),
            store_col_text(q, 6), store_col_text(q, 7), store_col_text(q, 8),
        };
        rc = fn(ud, &m);
    }
    store_finalize(q);
    return rc;
}
