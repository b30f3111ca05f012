/* SPDX-License-Identifier: MIT */
/* posts.c - posts above the village (挂职岗位, seed 002's 十百千): seats at a
 * county or a township that cadres are dispatched to, like a village's
 * team, with what their holders need. Columns, checks, upsert and export
 * (the import engine's kind), and the list and removal `zhucun post` uses.
 * Key: the post code (岗位编号). The matching model reads posts itself
 * (src/match/load.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "registry_int.h"

enum {
    P_CODE,
    P_DIVISION,
    P_TITLE,
    P_SEATS,
    P_MIN_RANK,
    P_SEND_LEVEL,
    P_PARTY,
    P_SKILL,
    P_TERM_START,
    P_TERM_END,
    P_NCOLS
};

static const struct import_col post_cols[P_NCOLS] = {
    [P_CODE] = {"code", "岗位编号", "post_code|岗位代码", true, TW_TEXT, 24},
    [P_DIVISION] = {"division", "区划代码", "division_code|挂职地", true, TW_TEXT, 14},
    [P_TITLE] = {"title", "岗位名称", "挂任职务|职务", true, TW_TEXT, 24},
    [P_SEATS] = {"seats", "职数", "人数|名额", false, TW_INT, 6},
    [P_MIN_RANK] = {"min_rank", "最低职级", "职级要求", false, TW_TEXT, 8},
    [P_SEND_LEVEL] = {"send_level", "派出层级", "最低派出层级|派出单位层级", false, TW_TEXT, 8},
    [P_PARTY] = {"party_member", "党员", "须为党员|是否党员", false, TW_TEXT, 6},
    [P_SKILL] = {"skill", "专业技能", "技能要求", false, TW_TEXT, 12},
    [P_TERM_START] = {"term_start", "任期开始", "起始日期", false, TW_TEXT, 12},
    [P_TERM_END] = {"term_end", "任期结束", "结束日期", false, TW_TEXT, 12},
};

static const struct upsert_col upsert_cols[] = {
    {"code", -1, NULL},
    {"division", P_DIVISION, NULL},
    {"title", P_TITLE, NULL},
    {"seats", P_SEATS, NULL},
    {"min_rank", P_MIN_RANK, NULL},
    {"send_level", P_SEND_LEVEL, NULL},
    {"party_member", P_PARTY, NULL},
    {"skill", P_SKILL, NULL},
    {"term_start", P_TERM_START, NULL},
    {"term_end", P_TERM_END, NULL},
    {"division_was", P_DIVISION, "division"},
};

struct post_state {
    struct store_stmt *upsert;        /* INSERT ... ON CONFLICT */
    struct division_lookup *division; /* division lookup */
    struct store_stmt *stored;        /* scoped imports: the post's division as stored */
    struct skill_vocab *skills;       /* vocabulary */
    struct buf skill;                 /* the row's skill code / export: its name */
    char div[13];                     /* export: formatted division code */
};

static int post_begin(struct import_ctx *c, struct zc_error *err)
{
    struct post_state *st = zc_calloc(1, sizeof(*st));
    int rc;
    c->kind_state = st;
    rc = import_prepare_upsert(c, "post", upsert_cols, sizeof(upsert_cols) / sizeof(upsert_cols[0]),
                               &st->upsert, err);
    if (rc == ZC_OK)
        rc = division_lookup_open(c->s, &st->division, err);
    if (rc == ZC_OK)
        rc = skill_vocab_load(c->s, &st->skills, err);
    if (rc == ZC_OK && c->scoped)
        rc = store_prepare(c->s, registry_sql_post_division, &st->stored, err);
    return rc;
}

static void post_end(struct import_ctx *c)
{
    struct post_state *st = c->kind_state;
    if (!st)
        return;
    division_lookup_close(st->division);
    store_finalize(st->stored);
    skill_vocab_free(st->skills);
    buf_fini(&st->skill);
    free(st);
    c->kind_state = NULL;
}

/* The post's division: a county or a township of the tree, not a village
 * (a village's cadres are its team, not a post). */
static bool post_division(struct import_ctx *c, const struct sheet_cell *v, struct post_state *st,
                          int64_t *division, int64_t *was)
{
    bool present = false;
    enum division_level lv;
    if (!field_division(c, P_DIVISION, v, st->division, 0, division, was, &present))
        return false;
    if (!present) {
        import_bad(c, P_DIVISION, "a post needs its county or township code");
        return false;
    }
    lv = division_level_of(*division);
    if (lv != DIV_COUNTY && lv != DIV_TOWNSHIP) {
        char code[13];
        division_format(*division, lv, code);
        import_bad(c, P_DIVISION,
                   "%s is a %s code: a post sits at a county (6 digits) or a township (9 "
                   "digits); a village's cadres are its team",
                   code, division_level_name_en(lv));
        return false;
    }
    return true;
}

static int post_row(struct import_ctx *c, const struct sheet_cell *v, struct zc_error *err)
{
    struct post_state *st = c->kind_state;
    char code[65], title[129], start[11] = "", end[11] = "";
    const char *rank = NULL, *level = NULL;
    int64_t division = 0, division_was = 0, seats = 1;
    bool ok = true, party = false, present, has_start = false, has_end = false;
    size_t prev;

    buf_reset(&st->skill);
    ok &= field_text(c, P_CODE, &v[P_CODE], 64, code, sizeof(code));
    ok &= post_division(c, &v[P_DIVISION], st, &division, &division_was);
    ok &= field_text(c, P_TITLE, &v[P_TITLE], 128, title, sizeof(title));
    ok &= field_int(c, P_SEATS, &v[P_SEATS], 1, 99, &seats, &present);
    ok &= field_choice(c, P_MIN_RANK, &v[P_MIN_RANK], registry_rank_choices, &rank, &present);
    ok &= field_choice(c, P_SEND_LEVEL, &v[P_SEND_LEVEL], registry_level_choices, &level, &present);
    ok &= field_bool(c, P_PARTY, &v[P_PARTY], &party, &present);
    ok &= field_skills(c, P_SKILL, &v[P_SKILL], st->skills, &st->skill);
    ok &= field_date(c, P_TERM_START, &v[P_TERM_START], start, &has_start);
    ok &= field_date(c, P_TERM_END, &v[P_TERM_END], end, &has_end);
    if (ok && strchr(buf_cstr(&st->skill), ';')) {
        import_bad(c, P_SKILL, "a post asks for one skill, not several (%s)", buf_cstr(&st->skill));
        ok = false;
    }
    if (ok && has_start && has_end && strcmp(end, start) <= 0) {
        import_bad(c, P_TERM_END, "the term ends on %s, not after it starts (%s)", end, start);
        ok = false;
    }
    if (ok && (prev = import_seen(c, code, strlen(code))) != 0) {
        import_bad(c, P_CODE, "post %s already appears in row %zu", code, prev);
        ok = false;
    }
    if (!ok || import_failed(c))
        return ZC_OK;
    if (c->scoped) {
        char what[96];
        snprintf(what, sizeof(what), "post %s", code);
        if (import_scope_check_both(c, P_DIVISION, st->stored, code, what, division, err) != ZC_OK)
            return err->code;
    }
    store_bind_cstr(st->upsert, 1, code);
    store_bind_int(st->upsert, 2, division);
    store_bind_cstr(st->upsert, 3, title);
    store_bind_int(st->upsert, 4, seats);
    store_bind_cstr(st->upsert, 5, rank);
    store_bind_cstr(st->upsert, 6, level);
    store_bind_int(st->upsert, 7, party);
    store_bind_cstr(st->upsert, 8, buf_cstr(&st->skill)[0] ? buf_cstr(&st->skill) : NULL);
    store_bind_cstr(st->upsert, 9, has_start ? start : NULL);
    store_bind_cstr(st->upsert, 10, has_end ? end : NULL);
    if (division_was)
        store_bind_int(st->upsert, 11, division_was);
    else
        store_bind_null(st->upsert, 11);
    if (store_run(st->upsert, err) != ZC_OK)
        return err->code;
    return ZC_OK;
}

static const char *level_zh(const char *level)
{
    static const char *const names[][2] = {
        {"province", "省"}, {"city", "市"}, {"county", "县"}, {"township", "乡"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(level, names[i][0]) == 0)
            return names[i][1];
    return level;
}

static void post_export_row(struct import_ctx *c, struct store_stmt *st, bool unmask,
                            const char **out)
{
    struct post_state *ps = c->kind_state;
    (void)unmask;
    for (int i = 0; i < P_NCOLS; i++)
        out[i] = store_col_text(st, i);
    out[P_DIVISION] = export_division(st, P_DIVISION, ps->div);
    out[P_SEND_LEVEL] = level_zh(out[P_SEND_LEVEL]);
    out[P_PARTY] = store_col_int(st, P_PARTY) ? "是" : "否";
    buf_reset(&ps->skill);
    skill_vocab_names(ps->skills, out[P_SKILL], &ps->skill);
    out[P_SKILL] = buf_cstr(&ps->skill);
}

/* The codes as a file wrote them (registry_int.h: struct import_was). */
static const struct import_was post_was[] = {{"division_was", "原区划代码", false, false}};

const struct import_kind import_kind_posts = {
    .name = "posts",
    .table = "post",
    .cols = post_cols,
    .ncols = P_NCOLS,
    .begin = post_begin,
    .row = post_row,
    .end = post_end,
    .export_sql = registry_sql_posts_export,
    .was = post_was,
    .nwas = sizeof(post_was) / sizeof(post_was[0]),
    .export_row = post_export_row,
};

/* ---- the list and removal (zhucun post) --------------------------------------- */

static void post_of(struct store_stmt *st, struct registry_post *p)
{
    memset(p, 0, sizeof(*p));
    p->id = store_col_int(st, 0);
    snprintf(p->code, sizeof(p->code), "%s", store_col_text(st, 1));
    p->division = store_col_int(st, 2);
    p->level = (int)division_level_of(p->division);
    snprintf(p->division_name, sizeof(p->division_name), "%s", store_col_text(st, 3));
    snprintf(p->title, sizeof(p->title), "%s", store_col_text(st, 4));
    p->seats = (int)store_col_int(st, 5);
    snprintf(p->min_rank, sizeof(p->min_rank), "%s", store_col_text(st, 6));
    snprintf(p->send_level, sizeof(p->send_level), "%s", store_col_text(st, 7));
    p->party_member = store_col_int(st, 8) != 0;
    snprintf(p->skill, sizeof(p->skill), "%s", store_col_text(st, 9));
    snprintf(p->term_start, sizeof(p->term_start), "%s", store_col_text(st, 10));
    snprintf(p->term_end, sizeof(p->term_end), "%s", store_col_text(st, 11));
    p->serving = (int)store_col_int(st, 12);
}

int registry_post_list(struct store *s, int64_t scope,
                       bool (*fn)(void *ud, const struct registry_post *p), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int64_t lo = 0, hi = INT64_MAX;
    bool row = false;
    int rc = store_prepare(s, registry_sql_post_list, &st, err);
    if (scope)
        division_range(scope, division_level_of(scope), &lo, &hi);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, lo);
        store_bind_int(st, 2, hi);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct registry_post p;
        post_of(st, &p);
        if (!fn(ud, &p))
            break;
    }
    store_finalize(st);
    return rc;
}

int registry_post_get(struct store *s, const char *code, struct registry_post *out,
                      struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, registry_sql_post_get, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, code);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no post %s (see 'zhucun post list')", code);
    if (rc == ZC_OK)
        post_of(st, out);
    store_finalize(st);
    return rc;
}

int registry_post_remove(struct store *s, const char *code, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int64_t id = 0, held = 0;
    int rc = store_prepare(s, registry_sql_post_held, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, code);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no post %s (see 'zhucun post list')", code);
    if (rc == ZC_OK) {
        id = store_col_int(st, 0);
        held = store_col_int(st, 1);
    }
    store_finalize(st);
    st = NULL;
    if (rc == ZC_OK && held)
        rc = zc_error_set(err, ZC_ECONFLICT,
                          "post %s has %lld seat(s) on a draft plan, a published roster or a "
                          "posting: discard the drafts; a post on a roster ends with its term "
                          "(set 任期结束 / post add --to DATE), and is then matched no more",
                          code, (long long)held);
    if (rc == ZC_OK)
        rc = store_prepare(s, registry_sql_post_delete, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, id);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}
