/* SPDX-License-Identifier: MIT */
/* forms.c - the national registry's tables (建档立卡) in their layout:
 * the household basic table, the member table and B92 驻村工作队情况_干部表,
 * written from the records zhucun holds. The headers follow the forms as
 * documented in docs/internals/aid.md (their sources named there). */
#include <stdio.h>
#include <string.h>

#include "aid_int.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "ingest/tablewriter.h"

static const struct tw_column hh_cols[] = {
    {"province", "省", TW_TEXT, 10},
    {"city", "市", TW_TEXT, 10},
    {"county", "县（市、区）", TW_TEXT, 10},
    {"township", "镇（乡、街道）", TW_TEXT, 12},
    {"village", "行政村", TW_TEXT, 12},
    {"village_code", "行政区划代码", TW_TEXT, 14},
    {"household", "户编号", TW_TEXT, 20},
    {"head", "户主姓名", TW_TEXT, 10},
    {"head_id_number", "户主证件号码", TW_TEXT, 20},
    {"members", "家庭人口数", TW_INT, 8},
    {"phone", "联系电话", TW_TEXT, 12},
    {"status", "脱贫状态", TW_TEXT, 8},
    {"poverty_year", "识别年度", TW_INT, 8},
    {"cause", "主要致贫原因", TW_TEXT, 10},
    {"other_causes", "其他致贫原因", TW_TEXT, 16},
    {"income", "人均纯收入（元）", TW_REAL, 10},
    {"responsible", "帮扶责任人", TW_TEXT, 10},
    {"responsible_unit", "帮扶责任人单位", TW_TEXT, 20},
};

static const struct tw_column member_cols[] = {
    {"village_code", "行政区划代码", TW_TEXT, 14},
    {"household", "户编号", TW_TEXT, 20},
    {"name", "姓名", TW_TEXT, 10},
    {"gender", "性别", TW_TEXT, 6},
    {"id_number", "证件号码", TW_TEXT, 20},
    {"relation", "与户主关系", TW_TEXT, 10},
    {"birth_date", "出生日期", TW_TEXT, 12},
    {"education", "文化程度", TW_TEXT, 10},
    {"student", "在校生状况", TW_TEXT, 12},
    {"health", "健康状况", TW_TEXT, 10},
    {"work_ability", "劳动技能", TW_TEXT, 12},
};

static const struct tw_column b92_cols[] = {
    {"village_code", "行政区划代码", TW_TEXT, 14},
    {"village", "行政村", TW_TEXT, 12},
    {"name", "B92-1 姓名", TW_TEXT, 10},
    {"unit", "B92-2 派出单位", TW_TEXT, 24},
    {"post", "B92-3 职务", TW_TEXT, 10},
    {"unit_level", "B92-4 单位级别", TW_TEXT, 8},
    {"phone", "B92-5 联系电话", TW_TEXT, 12},
    {"since", "B92-6 驻村时间", TW_TEXT, 12},
    {"id_number", "身份证号", TW_TEXT, 20},
    {"leader", "是否队长", TW_TEXT, 6},
    {"first_secretary", "是否第一书记", TW_TEXT, 6},
    {"start", "驻村开始时间", TW_TEXT, 12},
    {"end", "驻村结束时间", TW_TEXT, 12},
    {"party", "政治面貌", TW_TEXT, 10},
};

static const struct {
    const char *name, *title;
    const struct tw_column *cols;
    size_t n;
} forms[AID_NFORMS] = {
    {"households", "贫困户基本信息表", hh_cols, sizeof(hh_cols) / sizeof(hh_cols[0])},
    {"members", "贫困户家庭成员信息表", member_cols, sizeof(member_cols) / sizeof(member_cols[0])},
    {"b92", "B92 驻村工作队情况_干部表", b92_cols, sizeof(b92_cols) / sizeof(b92_cols[0])},
};

int aid_form_parse(const char *name)
{
    for (int i = 0; i < AID_NFORMS; i++)
        if (strcmp(name, forms[i].name) == 0 || (i == AID_FORM_B92 && strcmp(name, "B92") == 0))
            return i;
    return -1;
}

const char *aid_form_title(enum aid_form f)
{
    return forms[f].title;
}

const struct tw_column *aid_form_columns(enum aid_form f, size_t *n)
{
    *n = forms[f].n;
    return forms[f].cols;
}

static void id_cell(const char *id, bool unmask, char out[32])
{
    if (!*id)
        out[0] = '\0';
    else if (unmask)
        snprintf(out, 32, "%s", id);
    else
        idcard_mask(id, out, 32);
}

static const char *status_zh(const char *s)
{
    return strcmp(s, "exited") == 0 ? "已脱贫" : strcmp(s, "at_risk") == 0 ? "返贫风险" : "未脱贫";
}

static const char *post_zh(const char *role)
{
    if (strcmp(role, "first_secretary") == 0)
        return "第一书记";
    if (strcmp(role, "leader") == 0)
        return "队长";
    return "队员";
}

static const char *level_zh(const char *level)
{
    static const char *const map[][2] = {
        {"province", "省"}, {"city", "市"}, {"county", "县"}, {"township", "乡镇"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(level, map[i][0]) == 0)
            return map[i][1];
    return "其他";
}

/* The household's causes after the main one, joined with 、. */
static int other_causes(struct store_stmt *q, const char *household, struct buf *out,
                        struct zc_error *err)
{
    bool row = false;
    int rc, i = 0;
    buf_reset(out);
    store_reset(q);
    store_bind_cstr(q, 1, household);
    while ((rc = store_step(q, &row, err)) == ZC_OK && row)
        if (i++ > 0)
            buf_printf(out, "%s%s", out->len ? "、" : "", store_col_text(q, 0));
    store_reset(q);
    return rc;
}

static int household_rows(struct store *s, struct store_stmt *q, bool unmask,
                          int (*fn)(void *ud, const char *const *cells), void *ud, size_t *rows,
                          struct zc_error *err)
{
    struct store_stmt *cq = NULL;
    struct buf others;
    bool row = false;
    int rc = aid_prepare(s, AQ_CAUSES_GET, &cq, err);
    buf_init(&others);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        char code[16], id[32], members[16], year[8], income[24];
        const char *cells[sizeof(hh_cols) / sizeof(hh_cols[0])];
        snprintf(code, sizeof(code), "%lld", (long long)store_col_int(q, 5));
        id_cell(store_col_text(q, 8), unmask, id);
        snprintf(members, sizeof(members), "%lld", (long long)store_col_int(q, 9));
        if (store_col_int(q, 11) > 0)
            snprintf(year, sizeof(year), "%lld", (long long)store_col_int(q, 11));
        else
            year[0] = '\0';
        if (!store_col_is_null(q, 13)) {
            int64_t fen = store_col_int(q, 13);
            snprintf(income, sizeof(income), "%lld.%02lld", (long long)(fen / 100),
                     (long long)(fen % 100));
        } else {
            income[0] = '\0';
        }
        rc = other_causes(cq, store_col_text(q, 6), &others, err);
        if (rc != ZC_OK)
            break;
        for (int i = 0; i < 5; i++)
            cells[i] = store_col_text(q, i);
        cells[5] = code;
        cells[6] = store_col_text(q, 6);
        cells[7] = store_col_text(q, 7);
        cells[8] = id;
        cells[9] = members;
        cells[10] = NULL; /* 联系电话: not held */
        cells[11] = status_zh(store_col_text(q, 10));
        cells[12] = year[0] ? year : NULL;
        cells[13] = store_col_text(q, 12);
        cells[14] = buf_cstr(&others);
        cells[15] = income[0] ? income : NULL;
        cells[16] = store_col_text(q, 14);
        cells[17] = store_col_text(q, 15);
        rc = fn(ud, cells);
        (*rows)++;
    }
    buf_fini(&others);
    store_finalize(cq);
    return rc;
}

static int member_rows(struct store_stmt *q, bool unmask,
                       int (*fn)(void *ud, const char *const *cells), void *ud, size_t *rows,
                       struct zc_error *err)
{
    bool row = false;
    int rc;
    while ((rc = store_step(q, &row, err)) == ZC_OK && row) {
        char code[16], id[32], birth[16];
        const char *cells[sizeof(member_cols) / sizeof(member_cols[0])];
        snprintf(code, sizeof(code), "%lld", (long long)store_col_int(q, 0));
        id_cell(store_col_text(q, 4), unmask, id);
        /* Masked, a birth date shows its year only (issue 17's rule). */
        snprintf(birth, sizeof(birth), unmask ? "%s" : "%.4s", store_col_text(q, 6));
        cells[0] = code;
        for (int i = 1; i <= 3; i++)
            cells[i] = store_col_text(q, i);
        cells[4] = id;
        cells[5] = store_col_text(q, 5);
        cells[6] = birth;
        for (int i = 7; i <= 10; i++)
            cells[i] = store_col_text(q, i);
        rc = fn(ud, cells);
        if (rc != ZC_OK)
            break;
        (*rows)++;
    }
    return rc;
}

static int b92_rows(struct store_stmt *q, bool unmask,
                    int (*fn)(void *ud, const char *const *cells), void *ud, size_t *rows,
                    struct zc_error *err)
{
    bool row = false;
    int rc;
    while ((rc = store_step(q, &row, err)) == ZC_OK && row) {
        char code[16], id[32];
        const char *role = store_col_text(q, 4);
        const char *cells[sizeof(b92_cols) / sizeof(b92_cols[0])];
        snprintf(code, sizeof(code), "%lld", (long long)store_col_int(q, 0));
        id_cell(store_col_text(q, 8), unmask, id);
        cells[0] = code;
        cells[1] = store_col_text(q, 1);
        cells[2] = store_col_text(q, 2);
        cells[3] = store_col_text(q, 3);
        cells[4] = post_zh(role);
        cells[5] = level_zh(store_col_text(q, 5));
        cells[6] = NULL; /* 联系电话: not held */
        cells[7] = store_col_text(q, 6);
        cells[8] = id;
        cells[9] = strcmp(role, "leader") == 0 ? "是" : "否";
        cells[10] = strcmp(role, "first_secretary") == 0 ? "是" : "否";
        cells[11] = store_col_text(q, 6);
        cells[12] = store_col_text(q, 7);
        cells[13] = store_col_int(q, 9) ? "中共党员" : "群众";
        rc = fn(ud, cells);
        if (rc != ZC_OK)
            break;
        (*rows)++;
    }
    return rc;
}

int aid_form_rows(struct store *s, const struct zc_scope *scope, enum aid_form f, bool unmask,
                  const char *day, int (*fn)(void *ud, const char *const *cells), void *ud,
                  size_t *rows, struct zc_error *err)
{
    static const enum aid_query q_of[AID_NFORMS] = {AQ_FORM_HOUSEHOLDS, AQ_FORM_MEMBERS,
                                                    AQ_FORM_B92};
    struct store_stmt *q = NULL;
    int rc;
    *rows = 0;
    if ((int)f < 0 || f >= AID_NFORMS)
        return zc_error_set(err, ZC_EUSAGE, "the forms are households, members and b92");
    rc = aid_prepare(s, q_of[f], &q, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_int(q, 1, scope->lo);
    store_bind_int(q, 2, scope->hi);
    if (f == AID_FORM_B92)
        store_bind_cstr(q, 3, day);
    if (f == AID_FORM_HOUSEHOLDS)
        rc = household_rows(s, q, unmask, fn, ud, rows, err);
    else if (f == AID_FORM_MEMBERS)
        rc = member_rows(q, unmask, fn, ud, rows, err);
    else
        rc = b92_rows(q, unmask, fn, ud, rows, err);
    store_finalize(q);
    return rc;
}
