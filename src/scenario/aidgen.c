/* SPDX-License-Identifier: MIT */
/* aidgen.c - the demo's households beyond their registry row (issue 14):
 * members, causes, yearly statuses, the plan with measures at various
 * review stages, and responsible cadres from the paired units.
 *
 * Called once per generated household, in the generator's order, with its
 * own random stream ("aid"), so the ledger the seeds shape is drawn exactly
 * as before. Statuses agree with the household's status: a 贫困 household
 * has its identification year; an exited one is 贫困 then 脱贫 (every check
 * met, its income) in a later year up to today, and some a record of today's
 * year whose income grew; an at-risk one (返贫风险) exited and is 监测 now. So
 * `zhucun outcomes` for the seeds' year counts as before and earlier years
 * have a path; the return-to-poverty watch has its households. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "registry/registry.h"
#include "scenario_int.h"
#include "store/store.h"

struct aidgen {
    struct store *s;
    struct scenario_rng r;
    int ty, tm, td;
    char at[20];
    aidgen_id_fn idgen;
    aidgen_name_fn namegen;
    void *ud;
    struct store_stmt *q[SQ_COUNT];
    struct registry_rows *rows; /* members and causes: ledger rows (registry.h) */
    struct aidgen_stats *stats;
};

int aidgen_open(struct store *s, uint64_t seed, const char *today, aidgen_id_fn idgen,
                aidgen_name_fn namegen, void *ud, struct aidgen_stats *stats, struct aidgen **out,
                struct zc_error *err)
{
    struct aidgen *a = zc_calloc(1, sizeof(*a));
    int rc = ZC_OK;
    a->s = s;
    scenario_rng_fork(&a->r, seed, "aid");
    if (sscanf(today, "%4d-%2d-%2d", &a->ty, &a->tm, &a->td) != 3)
        a->ty = 2018, a->tm = 6, a->td = 1;
    snprintf(a->at, sizeof(a->at), "%.10s 09:00:00", today);
    a->idgen = idgen;
    a->namegen = namegen;
    a->ud = ud;
    a->stats = stats;
    rc = registry_rows_open(s, &a->rows, err);
    for (int i = 0; rc == ZC_OK && i < SQ_COUNT; i++)
        rc = store_prepare(s, scenario_sql[i], &a->q[i], err);
    if (rc != ZC_OK) {
        aidgen_close(a);
        a = NULL;
    }
    *out = a;
    return rc;
}

void aidgen_close(struct aidgen *a)
{
    if (!a)
        return;
    for (int i = 0; i < SQ_COUNT; i++)
        store_finalize(a->q[i]);
    registry_rows_close(a->rows);
    free(a);
}

static int run(struct aidgen *a, enum scenario_query q, struct zc_error *err)
{
    int rc = store_run(a->q[q], err);
    store_reset(a->q[q]);
    return rc;
}

/* ---- members --------------------------------------------------------------------------- */

struct person {
    const char *relation;
    bool male;
    int y, m, d;
};

static int days_of(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : dm[m - 1];
}

/* The household's people: the head, a spouse, children, then parents. */
static size_t family(struct aidgen *a, const struct aidgen_household *h, struct person *p,
                     size_t max)
{
    size_t n = 0;
    int64_t size = h->members < (int64_t)max ? h->members : (int64_t)max;
    p[n++] = (struct person){"户主", h->male, h->y, h->m, h->d};
    if (n < (size_t)size && scenario_rng_unit(&a->r) < 0.85) {
        int y = h->y + (int)scenario_rng_range(&a->r, -3, 6),
            m = (int)scenario_rng_range(&a->r, 1, 12);
        p[n++] = (struct person){"配偶", !h->male, y, m,
                                 (int)scenario_rng_range(&a->r, 1, days_of(y, m))};
    }
    while (n < (size_t)size) {
        bool parent = n >= 4 && scenario_rng_unit(&a->r) < 0.5;
        int y = parent ? h->y - (int)scenario_rng_range(&a->r, 22, 32)
                       : h->y + (int)scenario_rng_range(&a->r, 20, 36);
        int m = (int)scenario_rng_range(&a->r, 1, 12);
        if (y >= a->ty)
            y = a->ty - (int)scenario_rng_range(&a->r, 1, 5);
        if (y > h->y + 50) /* grandchildren of an old head */
            parent = false;
        p[n++] = (struct person){parent          ? "父母"
                                 : y > h->y + 40 ? "孙子女"
                                                 : "子女",
                                 scenario_rng_unit(&a->r) < 0.5, y, m,
                                 (int)scenario_rng_range(&a->r, 1, days_of(y, m))};
    }
    return n;
}

static int write_members(struct aidgen *a, const struct aidgen_household *h, struct zc_error *err)
{
    struct person p[30];
    size_t n = family(a, h, p, 30), sick = SIZE_MAX;
    char head_name[64] = "";
    int rc = ZC_OK;
    /* The cause of poverty shows in one member: illness, a disability. */
    if (strcmp(h->cause, "因病") == 0 || strcmp(h->cause, "因残") == 0)
        sick = (size_t)scenario_rng_below(&a->r, (uint64_t)n);
    for (size_t i = 0; rc == ZC_OK && i < n; i++) {
        char idn[19], name[64], birth[11];
        int age = a->ty - p[i].y;
        const char *health = "健康", *work, *student = NULL;
        if (i == 0)
            snprintf(idn, sizeof(idn), "%s", h->head_id);
        else
            a->idgen(a->ud, h->village / 1000000, p[i].y, p[i].m, p[i].d, p[i].male, idn);
        a->namegen(&a->r, p[i].male, name, sizeof(name));
        if (i == 0)
            snprintf(head_name, sizeof(head_name), "%s", name);
        else if ((strcmp(p[i].relation, "子女") == 0 || strcmp(p[i].relation, "孙子女") == 0) &&
                 strlen(head_name) >= 3 && strlen(name) >= 6)
            memcpy(name, head_name, 3); /* the family's surname (one character) */
        if (i == sick)
            health = strcmp(h->cause, "因残") == 0    ? "残疾"
                     : scenario_rng_unit(&a->r) < 0.5 ? "大病"
                                                      : "长期慢性病";
        else if (age >= 65 && scenario_rng_unit(&a->r) < 0.4)
            health = "长期慢性病";
        work = age < 16                                         ? "无劳动力"
               : i == sick && strcmp(health, "长期慢性病") != 0 ? "丧失劳动力"
               : age >= 60 || i == sick                         ? "弱劳动力或半劳动力"
               : scenario_rng_unit(&a->r) < 0.2                 ? "技能劳动力"
                                                                : "普通劳动力";
        if (age >= 6 && age <= 15)
            student = age <= 11 ? "小学在读" : "初中在读";
        else if (age >= 16 && age <= 18 && scenario_rng_unit(&a->r) < 0.6)
            student = "高中在读";
        snprintf(birth, sizeof(birth), "%04u-%02u-%02u", (unsigned)p[i].y % 10000u,
                 (unsigned)p[i].m % 100u, (unsigned)p[i].d % 100u);
        {
            struct registry_member_row m = {idn,
                                            h->id,
                                            name,
                                            p[i].relation,
                                            p[i].male ? "男" : "女",
                                            birth,
                                            age < 6    ? "学龄前"
                                            : age < 40 ? "初中"
                                                       : "小学",
                                            health,
                                            work,
                                            student,
                                            true};
            rc = registry_add_member(a->rows, &m, err);
        }
        a->stats->members++;
    }
    return rc;
}

/* ---- causes and yearly statuses ---------------------------------------------------------- */

static const char *const second_causes[] = {"缺技术", "缺资金", "缺劳力", "因学", "交通条件落后"};

static int write_causes(struct aidgen *a, const struct aidgen_household *h, struct zc_error *err)
{
    const char *second = NULL;
    int rc;
    rc = registry_add_cause(a->rows, h->id, h->cause, 0, err);
    if (scenario_rng_unit(&a->r) < 0.35) {
        second = second_causes[scenario_rng_below(&a->r, NELEM(second_causes))];
        if (rc == ZC_OK && strcmp(second, h->cause) != 0) {
            rc = registry_add_cause(a->rows, h->id, second, 1, err);
        }
    }
    return rc;
}

/* One yearly record; `unmet` is a check (0-5) not met, or -1. */
static int status(struct aidgen *a, const char *hh, int year, const char *st, int64_t income,
                  int unmet, struct zc_error *err)
{
    struct store_stmt *q = a->q[SQ_STATUS];
    store_bind_cstr(q, 1, hh);
    store_bind_int(q, 2, year);
    store_bind_cstr(q, 3, st);
    store_bind_int(q, 4, income);
    for (int i = 0; i < 6; i++)
        store_bind_int(q, 5 + i, i != unmet);
    store_bind_cstr(q, 11, strcmp(st, "exited") == 0 ? "入户核实，群众认可" : "入户调查");
    store_bind_cstr(q, 12, "demo");
    store_bind_cstr(q, 13, a->at);
    a->stats->statuses++;
    return run(a, SQ_STATUS, err);
}

/* Identified in the poverty year; exited in a later year up to today
 * (an at-risk household before today, then watched today). */
static int write_statuses(struct aidgen *a, const struct aidgen_household *h, int *exited,
                          struct zc_error *err)
{
    int py = h->poverty_year, ty = a->ty, rc = ZC_OK, e;
    bool risk = strcmp(h->status, "at_risk") == 0;
    int last = risk ? ty - 1 : ty;
    *exited = 0;
    if (strcmp(h->status, "poor") == 0)
        return status(a, h->id, py, "poor", h->income_fen, scenario_rng_below(&a->r, 2) ? 4 : 3,
                      err);
    if (last < py) /* no year left for an exit before now */
        return status(a, h->id, py, risk ? "watch" : "exited", h->income_fen, -1, err);
    e = py + 1 <= last ? (int)scenario_rng_range(&a->r, py + 1, last) : py;
    if (e > py)
        rc = status(a, h->id, py, "poor", h->income_fen * 6 / 10, 4, err);
    if (rc == ZC_OK)
        rc = status(a, h->id, e, "exited", h->income_fen + (risk ? 120000 : 0), -1, err);
    *exited = e;
    if (rc == ZC_OK && risk)
        rc = status(a, h->id, ty, "watch", h->income_fen, scenario_rng_unit(&a->r) < 0.3 ? 3 : -1,
                    err);
    else if (rc == ZC_OK && e < ty) /* a later check: the income grew */
        rc = status(a, h->id, ty, "exited",
                    h->income_fen * scenario_rng_range(&a->r, 115, 200) / 100, -1, err);
    return rc;
}

/* ---- the plan -------------------------------------------------------------------------- */

struct measure_tpl {
    const char *cause, *kind, *what;
    int64_t lo, hi; /* yuan */
};

static const struct measure_tpl measures[] = {
    {"因病", "健康", "家庭医生签约服务，住院先诊疗后付费", 0, 0},
    {"因病", "兜底保障", "纳入农村低保", 2400, 4800},
    {"因残", "兜底保障", "残疾人两项补贴", 1200, 2400},
    {"因学", "教育", "雨露计划职业教育补助", 3000, 3000},
    {"因学", "教育", "义务教育阶段生活补助", 1000, 1250},
    {"缺技术", "就业", "参加实用技术培训并推荐务工", 0, 1500},
    {"缺技术", "产业", "发展林下养鸡 300 羽", 3000, 6000},
    {"缺资金", "金融", "扶贫小额信贷 5 万元", 50000, 50000},
    {"缺资金", "产业", "种植砂糖橘 5 亩", 5000, 10000},
    {"缺劳力", "兜底保障", "纳入农村低保，特困供养", 3000, 5000},
    {"交通条件落后", "产业", "入股村集体合作社分红", 3000, 5000},
    {"自身发展动力不足", "就业", "安排公益性岗位（护林员）", 6000, 10000},
    {NULL, "危房改造", "危房改造（C 级加固）", 15000, 25000},
    {NULL, "产业", "发展养牛 2 头", 8000, 12000},
};

static const char *const reviewers[AIDGEN_LEVELS] = {"帮扶责任人", "驻村工作队长", "乡扶贫工作站",
                                                     "乡镇长", "包乡县领导"};

static int write_plan(struct aidgen *a, const struct aidgen_household *h, int exited,
                      struct zc_error *err)
{
    const struct measure_tpl *pick[3];
    size_t n = 0;
    struct buf text = {0};
    double u = scenario_rng_unit(&a->r);
    /* Review stage: most plans are approved; the rest wait at a level,
     * were returned, or are drafts (exited households' plans are done). */
    int next = exited || u < 0.6 ? 6
               : u < 0.9         ? (int)scenario_rng_range(&a->r, 2, 5)
               : u < 0.95        ? 1
                                 : 0;
    const char *st = next == 6   ? "approved"
                     : next == 0 ? "returned"
                     : next == 1 ? "draft"
                                 : "in_review";
    int rc = ZC_OK, year = exited ? exited - 1 : a->ty;
    char due[11], done[11];
    for (size_t i = 0; i < NELEM(measures) && n < 2; i++)
        if (measures[i].cause && strcmp(measures[i].cause, h->cause) == 0 &&
            scenario_rng_unit(&a->r) < 0.7)
            pick[n++] = &measures[i];
    if (n == 0 || scenario_rng_unit(&a->r) < 0.3)
        pick[n++] = &measures[NELEM(measures) - 1 - scenario_rng_below(&a->r, 2)];
    if (year < h->poverty_year)
        year = h->poverty_year;
    snprintf(due, sizeof(due), "%04u-12-31", (unsigned)year % 10000u);
    snprintf(done, sizeof(done), "%04u-11-%02u", (unsigned)year % 10000u,
             (unsigned)scenario_rng_range(&a->r, 1, 30) % 100u);
    for (size_t i = 0; rc == ZC_OK && i < n; i++) {
        struct store_stmt *q = a->q[SQ_MEASURE];
        /* in hundreds of yuan, as a plan writes them */
        int64_t amount = scenario_rng_range(&a->r, pick[i]->lo / 100, pick[i]->hi / 100) * 10000;
        store_bind_cstr(q, 1, h->id);
        store_bind_cstr(q, 2, pick[i]->kind);
        store_bind_cstr(q, 3, pick[i]->what);
        if (pick[i]->hi > 0)
            store_bind_int(q, 4, amount);
        else
            store_bind_null(q, 4);
        store_bind_cstr(q, 5, i == 0 ? "帮扶责任人" : "村两委");
        store_bind_cstr(q, 6, due);
        store_bind_cstr(q, 7, exited ? "done" : "open");
        store_bind_cstr(q, 8, exited ? done : NULL);
        rc = run(a, SQ_MEASURE, err);
        a->stats->measures++;
        buf_printf(&text, "%s|%s|", pick[i]->kind, pick[i]->what);
        if (pick[i]->hi > 0)
            buf_printf(&text, "%lld.00", (long long)(amount / 100));
        buf_printf(&text, "|%s|%s\n", i == 0 ? "帮扶责任人" : "村两委", due);
    }
    if (rc == ZC_OK) {
        store_bind_cstr(a->q[SQ_PLAN], 1, h->id);
        store_bind_int(a->q[SQ_PLAN], 2, next == 0 ? 2 : next);
        store_bind_cstr(a->q[SQ_PLAN], 3, st);
        store_bind_cstr(a->q[SQ_PLAN], 4, a->at);
        rc = run(a, SQ_PLAN, err);
        a->stats->plans++;
        a->stats->approved += next == 6;
    }
    if (rc == ZC_OK) {
        store_bind_cstr(a->q[SQ_PLAN_VERSION], 1, h->id);
        store_bind_cstr(a->q[SQ_PLAN_VERSION], 2, buf_cstr(&text));
        store_bind_cstr(a->q[SQ_PLAN_VERSION], 3, a->at);
        rc = run(a, SQ_PLAN_VERSION, err);
    }
    buf_fini(&text);
    /* The review records: levels 1..next-1 signed; a returned plan was
     * sent back by level 3 to level 2. */
    for (int lv = 1; rc == ZC_OK && lv < (next == 0 ? 4 : next); lv++) {
        bool ret = next == 0 && lv == 3;
        store_bind_cstr(a->q[SQ_REVIEW], 1, h->id);
        store_bind_int(a->q[SQ_REVIEW], 2, lv);
        store_bind_cstr(a->q[SQ_REVIEW], 3, ret ? "return" : "approve");
        store_bind_cstr(a->q[SQ_REVIEW], 4, ret ? "措施与致贫原因不对应，请补充" : "");
        store_bind_cstr(a->q[SQ_REVIEW], 5, reviewers[lv - 1]);
        store_bind_cstr(a->q[SQ_REVIEW], 6, a->at);
        rc = run(a, SQ_REVIEW, err);
        a->stats->reviews++;
    }
    return rc;
}

int aidgen_household(struct aidgen *a, const struct aidgen_household *h, struct zc_error *err)
{
    int exited = 0;
    int rc = write_members(a, h, err);
    if (rc == ZC_OK)
        rc = write_causes(a, h, err);
    if (rc == ZC_OK)
        rc = write_statuses(a, h, &exited, err);
    if (rc == ZC_OK)
        rc = write_plan(a, h, strcmp(h->status, "exited") == 0 ? exited : 0, err);
    return rc;
}

/* ---- responsible cadres ----------------------------------------------------------------- */

struct unit_cursor {
    char unit[64];
    size_t next; /* cadres of the unit handed out so far */
};

/* Each paired village's households get cadres of its paired unit, five
 * each (the default policy's cap), cadres taken in order across the
 * unit's villages; households beyond the unit's cadres keep none. */
int aidgen_responsible(struct aidgen *a, int per_cadre, struct zc_error *err)
{
    struct unit_cursor *cur = NULL;
    size_t ncur = 0, cap = 0;
    int64_t *cadres = NULL;
    size_t ncad = 0, capcad = 0;
    bool row = false;
    char since[11];
    int rc = ZC_OK;
    snprintf(since, sizeof(since), "%.10s", a->at);
    while (rc == ZC_OK && (rc = store_step(a->q[SQ_PAIRED], &row, err)) == ZC_OK && row) {
        int64_t village = store_col_int(a->q[SQ_PAIRED], 0);
        const char *unit = store_col_text(a->q[SQ_PAIRED], 1);
        struct unit_cursor *u = NULL;
        size_t k = 0;
        bool hrow = false;
        for (size_t i = 0; i < ncur; i++)
            if (strcmp(cur[i].unit, unit) == 0)
                u = &cur[i];
        if (!u) {
            if (ncur == cap) {
                cap = cap ? cap * 2 : 64;
                cur = zc_reallocarray(cur, cap, sizeof(*cur));
            }
            u = &cur[ncur++];
            memset(u, 0, sizeof(*u));
            snprintf(u->unit, sizeof(u->unit), "%s", unit);
        }
        ncad = 0;
        store_bind_cstr(a->q[SQ_UNIT_CADRES], 1, unit);
        while (rc == ZC_OK && (rc = store_step(a->q[SQ_UNIT_CADRES], &hrow, err)) == ZC_OK &&
               hrow) {
            if (ncad == capcad) {
                capcad = capcad ? capcad * 2 : 256;
                cadres = zc_reallocarray(cadres, capcad, sizeof(*cadres));
            }
            cadres[ncad++] = store_col_int(a->q[SQ_UNIT_CADRES], 0);
        }
        store_reset(a->q[SQ_UNIT_CADRES]);
        store_bind_int(a->q[SQ_VILLAGE_HH], 1, village);
        while (rc == ZC_OK && (rc = store_step(a->q[SQ_VILLAGE_HH], &hrow, err)) == ZC_OK && hrow) {
            size_t c = u->next + k / (size_t)per_cadre;
            if (c >= ncad)
                break;
            store_bind_cstr(a->q[SQ_ASSIGN], 1, store_col_text(a->q[SQ_VILLAGE_HH], 0));
            store_bind_int(a->q[SQ_ASSIGN], 2, cadres[c]);
            store_bind_cstr(a->q[SQ_ASSIGN], 3, since);
            store_bind_cstr(a->q[SQ_ASSIGN], 4, a->at);
            rc = run(a, SQ_ASSIGN, err);
            a->stats->assigned++;
            k++;
        }
        store_reset(a->q[SQ_VILLAGE_HH]);
        u->next += (k + (size_t)per_cadre - 1) / (size_t)per_cadre;
    }
    store_reset(a->q[SQ_PAIRED]);
    free(cur);
    free(cadres);
    return rc;
}
