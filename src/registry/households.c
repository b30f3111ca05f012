/* SPDX-License-Identifier: MIT */
/* households.c - registered poor households (建档立卡贫困户): columns,
 * checks, upsert, export. Key: the household number. The village must be a
 * village committee in the division tree; income is kept in fen. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/division.h"
#include "base/idcard.h"
#include "registry_int.h"

enum { H_ID, H_VILLAGE, H_HEAD, H_MEMBERS, H_CAUSE, H_INCOME, H_STATUS, H_YEAR, H_NCOLS };

static const struct import_col household_cols[H_NCOLS] = {
    [H_ID] = {"id", "户编号", "户号|household_id", true, TW_TEXT, 16},
    [H_VILLAGE] = {"village", "区划代码", "村代码|village_code", true, TW_TEXT, 14},
    [H_HEAD] = {"head_id_number", "户主身份证号", "户主身份证号码", false, TW_TEXT, 22},
    [H_MEMBERS] = {"members", "人口数", "家庭人口|家庭人口数", true, TW_INT, 8},
    [H_CAUSE] = {"cause", "致贫原因", "主要致贫原因", true, TW_TEXT, 14},
    [H_INCOME] = {"income_per_capita", "人均纯收入", "人均收入", false, TW_REAL, 12},
    [H_STATUS] = {"status", "脱贫状态", "状态", false, TW_TEXT, 10},
    [H_YEAR] = {"poverty_year", "识别年度", "识别年份|建档年度", false, TW_INT, 8},
};

static const struct choice cause_choices[] = {
    {"因病", "因病"},
    {"因残", "因残"},
    {"因学", "因学"},
    {"因灾", "因灾"},
    {"缺土地", "缺土地"},
    {"缺水", "缺水"},
    {"缺技术", "缺技术"},
    {"缺劳力", "缺劳力"},
    {"缺资金", "缺资金"},
    {"交通条件落后", "交通条件落后"},
    {"交通落后", "交通条件落后"},
    {"自身发展动力不足", "自身发展动力不足"},
    {"其他", "其他"},
    {"illness", "因病"},
    {"disability", "因残"},
    {"schooling", "因学"},
    {"disaster", "因灾"},
    {"land", "缺土地"},
    {"water", "缺水"},
    {"skills", "缺技术"},
    {"labour", "缺劳力"},
    {"capital", "缺资金"},
    {"transport", "交通条件落后"},
    {"motivation", "自身发展动力不足"},
    {"other", "其他"},
    {NULL, NULL},
};

static const struct choice measure_choices[] = {
    {"产业", "产业"},
    {"产业扶持", "产业"},
    {"产业扶贫", "产业"},
    {"产业发展", "产业"},
    {"就业", "就业"},
    {"就业扶贫", "就业"},
    {"转移就业", "就业"},
    {"公益岗位", "就业"},
    {"教育", "教育"},
    {"教育扶贫", "教育"},
    {"健康", "健康"},
    {"健康扶贫", "健康"},
    {"医疗救助", "健康"},
    {"易地搬迁", "易地搬迁"},
    {"易地扶贫搬迁", "易地搬迁"},
    {"危房改造", "危房改造"},
    {"生态", "生态"},
    {"生态扶贫", "生态"},
    {"生态补偿", "生态"},
    {"兜底保障", "兜底保障"},
    {"兜底", "兜底保障"},
    {"社会保障兜底", "兜底保障"},
    {"低保", "兜底保障"},
    {"金融", "金融"},
    {"小额信贷", "金融"},
    {"金融扶贫", "金融"},
    {"其他", "其他"},
    {"industry", "产业"},
    {"employment", "就业"},
    {"education", "教育"},
    {"health", "健康"},
    {"relocation", "易地搬迁"},
    {"housing", "危房改造"},
    {"ecology", "生态"},
    {"welfare", "兜底保障"},
    {"credit", "金融"},
    {"other", "其他"},
    {NULL, NULL},
};

static const char *choose(const struct choice *c, const char *s)
{
    for (; s && c->spelling; c++)
        if (strcasecmp(c->spelling, s) == 0)
            return c->value;
    return NULL;
}

const char *registry_cause_parse(const char *s)
{
    return choose(cause_choices, s);
}

const char *registry_measure_kind_parse(const char *s)
{
    return choose(measure_choices, s);
}

const char *registry_cause_list(void)
{
    return "因病、因残、因学、因灾、缺土地、缺水、缺技术、缺劳力、缺资金、交通条件落后、"
           "自身发展动力不足、其他";
}

const char *registry_measure_kind_list(void)
{
    return "产业、就业、教育、健康、易地搬迁、危房改造、生态、兜底保障、金融、其他";
}

const struct choice registry_status_choices[] = {
    {"未脱贫", "poor"},      {"已脱贫", "exited"},      {"脱贫", "exited"},
    {"返贫风险", "at_risk"}, {"边缘易致贫", "at_risk"}, {"poor", "poor"},
    {"exited", "exited"},    {"at_risk", "at_risk"},    {NULL, NULL},
};

static const struct upsert_col upsert_cols[] = {
    {"id", -1, NULL},
    {"village", H_VILLAGE, NULL},
    {"head_id_number", H_HEAD, NULL},
    {"members", H_MEMBERS, NULL},
    {"cause", H_CAUSE, NULL},
    {"income_per_capita", H_INCOME, NULL},
    {"status", H_STATUS, NULL},
    {"poverty_year", H_YEAR, NULL},
    {"village_was", H_VILLAGE, "village"},
};

struct household_state {
    struct store_stmt *upsert;        /* INSERT ... ON CONFLICT */
    struct division_lookup *division; /* division lookup */
    struct store_stmt *stored;        /* scoped imports: the household's village as stored */
    struct store_stmt *causes_del, *cause_put, *cause_front, *causes_get;
    char village[13], masked[32], income[32]; /* export buffers */
    struct buf causes;                        /* export: the causes of a row */
    /* Writes sent ahead: the rows' causes, written in household_finish once
     * the households are (a COPY import merges them at the end of the
     * file): per row the household number, then its causes, each
     * NUL-terminated, then an empty string. */
    struct buf queued;
};

/* The causes of one cell, in order, without repeats. */
struct causes_cell {
    const char *v[16];
    size_t n;
    char bad[256];
};

static bool cause_item(void *ud, const char *item)
{
    struct causes_cell *cc = ud;
    const char *c = registry_cause_parse(item);
    if (!c) {
        snprintf(cc->bad, sizeof(cc->bad), "%s", item);
        return false;
    }
    for (size_t i = 0; i < cc->n; i++)
        if (strcmp(cc->v[i], c) == 0)
            return true;
    if (cc->n < sizeof(cc->v) / sizeof(cc->v[0]))
        cc->v[cc->n++] = c;
    return true;
}

/* Several causes (因病;缺技术): the first is the main one. */
static bool field_causes(struct import_ctx *c, const struct sheet_cell *v, struct causes_cell *cc)
{
    memset(cc, 0, sizeof(*cc));
    if (!cell_split(v, cause_item, cc)) {
        import_bad(c, H_CAUSE,
                   "'%s' is not one of %s (several may be listed, separated by ; or 、)", cc->bad,
                   registry_cause_list());
        return false;
    }
    if (cc->n == 0) {
        import_bad(c, H_CAUSE, "a cause is required");
        return false;
    }
    return true;
}

/* Write the causes of household `id`: several replace its list; one is
 * the main cause, put first in a list already held (the others kept). */
static int write_causes(struct import_ctx *c, struct household_state *st, const char *id,
                        const struct causes_cell *cc, struct zc_error *err)
{
    int rc = ZC_OK;
    (void)c;
    if (cc->n > 1) {
        store_reset(st->causes_del);
        store_bind_cstr(st->causes_del, 1, id);
        rc = store_run(st->causes_del, err);
        for (size_t i = 0; rc == ZC_OK && i < cc->n; i++) {
            store_reset(st->cause_put);
            store_bind_cstr(st->cause_put, 1, id);
            store_bind_cstr(st->cause_put, 2, cc->v[i]);
            store_bind_int(st->cause_put, 3, (int64_t)i);
            rc = store_run(st->cause_put, err);
        }
        return rc;
    }
    store_reset(st->cause_front);
    store_bind_cstr(st->cause_front, 1, id);
    store_bind_cstr(st->cause_front, 2, cc->v[0]);
    return store_run(st->cause_front, err);
}

/* Keep the row's causes for household_finish. */
static void queue_causes(struct household_state *st, const char *id, const struct causes_cell *cc)
{
    buf_append(&st->queued, id, strlen(id) + 1);
    for (size_t i = 0; i < cc->n; i++)
        buf_append(&st->queued, cc->v[i], strlen(cc->v[i]) + 1);
    buf_append(&st->queued, "", 1);
}

static int household_finish(struct import_ctx *c, struct zc_error *err)
{
    struct household_state *st = c->kind_state;
    const char *p = st->queued.p, *end = p + st->queued.len;
    int rc = ZC_OK;
    while (rc == ZC_OK && p < end) {
        const char *id = p;
        struct causes_cell cc;
        memset(&cc, 0, sizeof(cc));
        for (p += strlen(p) + 1; *p; p += strlen(p) + 1)
            cc.v[cc.n++] = p;
        p++;
        rc = write_causes(c, st, id, &cc, err);
    }
    return rc;
}

static int household_begin(struct import_ctx *c, struct zc_error *err)
{
    struct household_state *st = zc_calloc(1, sizeof(*st));
    int rc;
    c->kind_state = st;
    rc = import_prepare_upsert(c, "household", upsert_cols,
                               sizeof(upsert_cols) / sizeof(upsert_cols[0]), &st->upsert, err);
    if (rc == ZC_OK)
        rc = division_lookup_open(c->s, &st->division, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_causes_delete, &st->causes_del, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_cause_put, &st->cause_put, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_cause_front, &st->cause_front, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_causes_get, &st->causes_get, err);
    if (rc == ZC_OK && c->scoped)
        rc = store_prepare(c->s, registry_sql_household_village, &st->stored, err);
    return rc;
}

static void household_end(struct import_ctx *c)
{
    struct household_state *st = c->kind_state;
    if (!st)
        return;
    division_lookup_close(st->division);
    store_finalize(st->stored);
    store_finalize(st->causes_del);
    store_finalize(st->cause_put);
    store_finalize(st->cause_front);
    store_finalize(st->causes_get);
    buf_fini(&st->causes);
    buf_fini(&st->queued);
    free(st);
    c->kind_state = NULL;
}

static int household_row(struct import_ctx *c, const struct sheet_cell *v, struct zc_error *err)
{
    struct household_state *st = c->kind_state;
    char id[65], head[19];
    struct causes_cell cc;
    const char *status = "poor";
    int64_t village = 0, village_was = 0, members = 0, income = 0, year = 0;
    bool has_head, has_income, has_year, present, ok = true;
    size_t prev;

    ok &= field_text(c, H_ID, &v[H_ID], 64, id, sizeof(id));
    ok &= field_division(c, H_VILLAGE, &v[H_VILLAGE], st->division, DIV_VILLAGE, &village,
                         &village_was, &present);
    ok &= field_idcard(c, H_HEAD, &v[H_HEAD], head, &has_head);
    ok &= field_int(c, H_MEMBERS, &v[H_MEMBERS], 1, 30, &members, &present);
    ok &= field_causes(c, &v[H_CAUSE], &cc);
    ok &= field_money(c, H_INCOME, &v[H_INCOME], &income, &has_income);
    ok &= field_choice(c, H_STATUS, &v[H_STATUS], registry_status_choices, &status, &present);
    /* Registration (建档立卡) began in 2014; 2013 pilot records exist. */
    ok &= field_int(c, H_YEAR, &v[H_YEAR], 2013, c->today_y, &year, &has_year);
    if (ok && (prev = import_seen(c, id, strlen(id))) != 0) {
        import_bad(c, H_ID, "household %s already appears in row %zu", id, prev);
        ok = false;
    }
    if (!ok || import_failed(c))
        return ZC_OK;
    if (c->scoped) {
        char what[96];
        snprintf(what, sizeof(what), "household %s", id);
        if (import_scope_check_both(c, H_VILLAGE, st->stored, id, what, village, err) != ZC_OK)
            return err->code;
    }
    {
        const struct store_arg args[] = {
            STORE_TEXT(id),
            STORE_INT(village),
            STORE_TEXT(has_head ? head : NULL),
            STORE_INT(members),
            STORE_TEXT(cc.v[0]),
            has_income ? STORE_INT(income) : STORE_NULL,
            STORE_TEXT(status),
            has_year ? STORE_INT(year) : STORE_NULL,
            village_was ? STORE_INT(village_was) : STORE_NULL,
        };
        _Static_assert(sizeof(args) / sizeof(args[0]) ==
                           sizeof(upsert_cols) / sizeof(upsert_cols[0]),
                       "one value a column");
        if (import_upsert_row(c, args, err) != ZC_OK)
            return err->code;
    }
    /* Sent ahead, the household may not be written yet (kept for one
     * INSERT of many rows, or for COPY): its causes follow in finish. */
    if (store_defers_writes(c->s)) {
        queue_causes(st, id, &cc);
        return ZC_OK;
    }
    return write_causes(c, st, id, &cc, err);
}

static void household_export_row(struct import_ctx *c, struct store_stmt *st, bool unmask,
                                 const char **out)
{
    struct household_state *hs = c->kind_state;
    const char *status = store_col_text(st, 6);
    for (int i = 0; i < H_NCOLS; i++)
        out[i] = store_col_text(st, i);
    out[H_VILLAGE] = export_division(st, H_VILLAGE, hs->village);
    if (!unmask) {
        idcard_mask(out[H_HEAD], hs->masked, sizeof(hs->masked));
        out[H_HEAD] = hs->masked;
    }
    hs->income[0] = '\0';
    if (!store_col_is_null(st, H_INCOME)) {
        int64_t fen = store_col_int(st, H_INCOME);
        snprintf(hs->income, sizeof(hs->income), "%lld.%02lld", (long long)(fen / 100),
                 (long long)(fen % 100));
    }
    out[H_INCOME] = hs->income;
    buf_reset(&hs->causes);
    store_reset(hs->causes_get);
    store_bind_cstr(hs->causes_get, 1, out[H_ID]);
    {
        struct zc_error ignored;
        bool row = false;
        while (store_step(hs->causes_get, &row, &ignored) == ZC_OK && row)
            buf_printf(&hs->causes, "%s%s", hs->causes.len ? ";" : "",
                       store_col_text(hs->causes_get, 0));
    }
    if (hs->causes.len) /* the list held, main cause first (else the column's one) */
        out[H_CAUSE] = buf_cstr(&hs->causes);
    out[H_STATUS] = strcmp(status, "exited") == 0    ? "已脱贫"
                    : strcmp(status, "at_risk") == 0 ? "返贫风险"
                                                     : "未脱贫";
}

/* The codes as a file wrote them (registry_int.h: struct import_was). */
static const struct import_was household_was[] = {{"village_was", "原村代码", false, false}};

const struct import_kind import_kind_households = {
    .name = "households",
    .table = "household",
    .cols = household_cols,
    .ncols = H_NCOLS,
    .begin = household_begin,
    .row = household_row,
    .finish = household_finish,
    .end = household_end,
    .export_sql = registry_sql_households_export,
    .was = household_was,
    .nwas = sizeof(household_was) / sizeof(household_was[0]),
    .export_row = household_export_row,
};
