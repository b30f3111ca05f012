/* SPDX-License-Identifier: MIT */
/* policy.c - load and validate a policy file into a struct policy.
 *
 * The file is read by the line-keeping reader in policy_json.c and walked
 * against tables of known keys (struct pkey): one row per key, giving its
 * type, where it lands in struct policy (offsetof) and its bounds. Plain
 * booleans, whole numbers and strings are handled by the walker; keys whose
 * values are names (grades, categories, ranks, village classes) have a small
 * function each. Every message names the file, the line and the full key
 * path, and quotes what the user wrote. Defaults live in policy_defaults()
 * and must stay identical to policies/default.json (a unit test checks). */
#include "policy.h"
#include "base/text.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/division.h"
#include "base/mem.h"
#include "policy_int.h"

#define POLICY_MAX_FILE (1u << 20)

/* ---- names ---------------------------------------------------------------- */

static const char *const category_names[POLICY_NCATEGORIES] = {
    "党群", "经济", "政法", "涉农", "教育", "卫生", "国企", "科研", "其他",
};

static const char *const rank_names[] = {
    "其他", "科员", "副科", "正科", "副处", "正处", "副厅", "正厅",
};

static const char *const grade_names[] = {"优秀", "称职", "基本称职", "不称职"};

static const char *const education_names[] = {"", "中专及以下", "大专", "本科", "研究生"};

static const char *const class_names[POLICY_NCLASSES] = {"none", "poor", "deep"};

static const char *const state_names[] = {"软", "穷", "乱", "弱"};

int policy_category_bit(const char *zh)
{
    for (int i = 0; i < POLICY_NCATEGORIES; i++)
        if (strcmp(zh, category_names[i]) == 0)
            return 1 << i;
    return -1;
}

const char *policy_category_name(unsigned bit)
{
    for (int i = 0; i < POLICY_NCATEGORIES; i++)
        if (bit == 1u << i)
            return category_names[i];
    return "?";
}

int policy_rank_parse(const char *zh)
{
    for (int i = 0; i < (int)(sizeof(rank_names) / sizeof(rank_names[0])); i++)
        if (strcmp(zh, rank_names[i]) == 0)
            return i;
    return -1;
}

const char *policy_rank_name(int rank)
{
    if (rank < 0 || rank > PR_ZHENGTING)
        return "?";
    return rank_names[rank];
}

int policy_grade_bit(const char *zh)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(zh, grade_names[i]) == 0)
            return 1 << i;
    return -1;
}

int policy_education_parse(const char *zh)
{
    for (int i = 1; i <= PE_GRADUATE; i++)
        if (strcmp(zh, education_names[i]) == 0)
            return i;
    return -1;
}

int policy_class_parse(const char *s)
{
    for (int i = 0; i < POLICY_NCLASSES; i++)
        if (strcmp(s, class_names[i]) == 0)
            return i;
    return -1;
}

static int state_bit(const char *zh)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(zh, state_names[i]) == 0)
            return 1 << i;
    return -1;
}

/* 夏河's half-monthly inspections and monthly bulletin, 安龙's ladder. */
static void assess_defaults(struct policy_assess *a)
{
    static const char *const kinds[] = {"诫勉", "停职", "免职", "召回", "调整"};
    memset(a, 0, sizeof(*a));
    a->sample_percent = 10;
    a->sample_min = 2;
    a->sample_halves = 1;
    a->w_base = 1;
    a->w_case = 3;
    a->w_finding = 2;
    a->w_short = 2;
    a->ticket_days = 15;
    a->neg_short_days = 1;
    a->neg_cases = true;
    a->neg_min_diary = 4;
    a->neg_overdue = true;
    a->neg_findings = true;
    a->ladder_window = 12;
    a->ladder_at[PL_STUDY] = 1;
    a->ladder_at[PL_TALK] = 2;
    a->ladder_at[PL_PENALTY] = 3;
    for (size_t i = 0; i < 5; i++)
        snprintf(a->sanctions[i], sizeof(a->sanctions[i]), "%s", kinds[i]);
    a->nsanctions = 5;
    a->sanction_recall = 1u << 2 | 1u << 3 | 1u << 4; /* 免职, 召回, 调整 end the posting */
    a->w_presence = 40;
    a->w_visits = 25;
    a->w_tasks = 20;
    a->w_findings = 15;
    a->w_outcomes = 0;
    a->visits_target = 8;
    a->excellent_percent = 20;
    a->excellent_min = 90;
    a->competent_min = 70;
    a->basic_min = 55;
    a->fund_work_fen = 50000 * 100; /* Hebei: 50,000 yuan per provincial team a year */
    a->public_ranking = false;
}

int policy_exit_bp(const struct policy *p, int64_t code)
{
    int prov = (int)(code / 10000000000LL);
    for (size_t i = 0; i < p->outcomes.nwest; i++)
        if (p->outcomes.west[i] == prov)
            return p->outcomes.exit_west_bp;
    return p->outcomes.exit_bp;
}

int policy_sanction_index(const struct policy *p, const char *kind)
{
    for (size_t i = 0; i < p->assess.nsanctions; i++)
        if (strcmp(p->assess.sanctions[i], kind) == 0)
            return (int)i;
    return -1;
}

static const char *const ladder_names[PL_NSTEPS] = {"study", "talk", "penalty"};

const char *policy_ladder_step_name(int step)
{
    return step >= 0 && step < PL_NSTEPS ? ladder_names[step] : "";
}

int policy_ladder_step_parse(const char *s)
{
    for (int i = 0; i < PL_NSTEPS; i++)
        if (strcmp(s, ladder_names[i]) == 0)
            return i;
    return -1;
}

int policy_discipline_months(const struct policy *p, const char *kind)
{
    for (size_t i = 0; i < p->elig.ndiscipline; i++)
        if (strcmp(p->elig.discipline[i].kind, kind) == 0)
            return p->elig.discipline[i].months;
    return p->elig.discipline_default_months;
}

bool policy_role_ok(const struct policy_role *r, bool party_member, int rank, bool reserve)
{
    if (r->party_member && !party_member)
        return false;
    return rank >= r->min_rank || (r->or_reserve && reserve);
}

/* ---- defaults --------------------------------------------------------------- */

static void add_discipline(struct policy_eligibility *e, const char *kind, int months)
{
    snprintf(e->discipline[e->ndiscipline].kind, sizeof(e->discipline[0].kind), "%s", kind);
    e->discipline[e->ndiscipline].months = months;
    e->ndiscipline++;
}

void policy_defaults(struct policy *p)
{
    struct policy_eligibility *e = &p->elig;
    struct policy_team *t = &p->team;
    struct policy_fit *f = &p->fit;

    memset(p, 0, sizeof(*p));
    snprintf(p->name, sizeof(p->name), "default");
    snprintf(p->title, sizeof(p->title), "全国默认 (河北式四选四不选) / national default");

    /* 四选四不选: on payroll, no 基本称职 or worse in the last two years,
     * no active penalty; 三抽三不抽: no newcomers. Influence periods follow
     * the party and public-office discipline rules (党纪/政务处分). */
    e->on_staff = true;
    e->grade_years = 2;
    e->grade_reject = PG_BASIC | PG_INCOMPETENT;
    add_discipline(e, "警告", 12);
    add_discipline(e, "严重警告", 18);
    add_discipline(e, "记过", 12);
    add_discipline(e, "记大过", 18);
    add_discipline(e, "降级", 24);
    add_discipline(e, "撤职", 24);
    add_discipline(e, "撤销党内职务", 24);
    add_discipline(e, "留党察看", 24);
    add_discipline(e, "开除党籍", 1200);
    add_discipline(e, "开除", 1200);
    e->discipline_default_months = 24;
    e->discipline_year_end = true;
    e->min_service_years = 2;
    e->max_age_male = 55;
    e->max_age_female = 50;
    e->not_serving = true;
    e->spouses_apart = true;

    t->size[PV_NONE] = 0;
    t->size[PV_POOR] = 3;
    t->size[PV_DEEP] = 5;
    t->first_secretary = (struct policy_role){true, true, PR_FUKE, true};
    t->leader = (struct policy_role){true, true, PR_FUKE, false};
    t->secretary_leads = true;
    t->stability_classes = (1u << PV_POOR) | (1u << PV_DEEP);
    t->stability_categories = PC_LEGAL;
    snprintf(t->stability_skills[0], sizeof(t->stability_skills[0]), "stability");
    snprintf(t->stability_skills[1], sizeof(t->stability_skills[1]), "law");
    t->nstability_skills = 2;
    t->need_slots = true;
    t->max_need_slots = 2;
    t->driver_hamlets = 60;

    /* 党群部门包软村, 经济部门包穷村, 政法部门包乱村, 涉农部门包弱村. */
    f->department_states[0] = PS_SOFT;
    f->department_states[1] = PS_POOR;
    f->department_states[2] = PS_UNRULY;
    f->department_states[3] = PS_WEAK;
    f->w_department = 30;
    f->w_skill_need = 20;
    f->w_rural_deep = 15;
    f->rural_years_deep = 2;
    f->w_paired_unit = 25;
    f->w_volunteer = 10;
    f->w_preferred = 10;
    f->w_distance_per_10km = 1;

    p->caps.avoid_home_county = true;
    p->caps.avoid_home = PH_AUTO;
    p->caps.max_unit_share_percent = 20;
    p->caps.deep_first = true;
    for (int l = 0; l < 4; l++)
        p->caps.level_classes[l] = (1u << PV_NONE) | (1u << PV_POOR) | (1u << PV_DEEP);

    p->field.radius_m = 1500;
    p->field.checkin = PF_CHECKIN_DAILY;
    p->field.night_from_min = 20 * 60;
    p->field.night_to_min = 6 * 60;
    p->field.days_per_week = 0;
    p->field.nights_per_week = 0;
    p->field.days_per_month = 20;
    p->field.leave[0] = (struct policy_leave_step){3, PA_TOWNSHIP};
    p->field.leave[1] = (struct policy_leave_step){0, PA_COUNTY};
    p->field.nleave = 2;
    p->field.diary_backdate_days = 7;
    p->field.from_visits = true;
    p->field.from_diary = true;
    p->field.max_speed_kmh = 160;
    p->field.min_jump_m = 2000;
    p->field.repeated_days = 3;
    p->field.home_radius_m = 3000;
    p->field.weak_accuracy_m = 500;
    p->field.photo_keep_months = 36;
    p->field.photo_unattached_days = 7;
    assess_defaults(&p->assess);
    {
        /* 内蒙古, 广西, 重庆, 四川, 贵州, 云南, 西藏, 陕西, 甘肃, 青海, 宁夏, 新疆 */
        static const int west[] = {15, 45, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
        p->outcomes.exit_bp = 200;
        p->outcomes.exit_west_bp = 300;
        p->outcomes.income_line_fen = 4000 * 100; /* the national line by 2020, about 4,000 yuan */
        p->outcomes.nwest = sizeof(west) / sizeof(west[0]);
        memcpy(p->outcomes.west, west, sizeof(west));
        p->outcomes.watch_income_percent = 150;
    }
    p->aid.households_per_cadre = 5; /* "每名帮扶责任人一般不超过5户" */
    p->aid.visit_months = 2;

    /* 十百千 (seed 002): deputy county heads from city organs (市直单位),
     * township posts from city and county organs (市县区机关). */
    p->posts.weight[POLICY_POST_COUNTY] = 20;
    p->posts.weight[POLICY_POST_TOWNSHIP] = 14;
    p->posts.levels[POLICY_POST_COUNTY] = (1u << 1) | (1u << 2);
    p->posts.levels[POLICY_POST_TOWNSHIP] = (1u << 1) | (1u << 2) | (1u << 3);
}

/* ---- the walker ------------------------------------------------------------- */

struct pctx {
    const char *file;     /* name for messages */
    struct policy *p;     /* being filled */
    struct zc_error *err; /* where errors go */
};

enum pk_type {
    K_BOOL, /* bool at off */
    K_INT,  /* int at off, min..max */
    K_STR,  /* char[max] at off */
    K_OBJ,  /* nested object: sub */
    K_FN,   /* custom: fn */
};

struct pkey;
typedef int (*pk_fn)(struct pctx *c, const struct pj_node *v, const char *path, size_t off);

struct pkey {
    const char *key;        /* JSON key; NULL ends a table */
    enum pk_type type;      /* how to read it */
    size_t off;             /* offset in struct policy */
    int min, max;           /* K_INT bounds; K_STR buffer size in max */
    const struct pkey *sub; /* K_OBJ members */
    pk_fn fn;               /* K_FN reader */
};

#define AT(field) offsetof(struct policy, field)

/* What the user wrote, quoted for a message. */
static const char *shown(const struct pj_node *v, char *out, size_t outsz)
{
    if (v->type == PJ_OBJ)
        return "an object";
    if (v->type == PJ_ARR)
        return "a list";
    if (v->rawlen > 40)
        snprintf(out, outsz, "%.40s...", v->raw);
    else
        snprintf(out, outsz, "%.*s", (int)v->rawlen, v->raw);
    return out;
}

static int bad_value(struct pctx *c, const struct pj_node *v, const char *path, const char *want)
{
    char tmp[64];
    return zc_error_set(c->err, ZC_EINVAL, "%s:%d: %s must be %s, not %s", c->file, v->line, path,
                        want, shown(v, tmp, sizeof(tmp)));
}

static void *field_at(struct pctx *c, size_t off)
{
    return (char *)c->p + off;
}

static int read_int(struct pctx *c, const struct pj_node *v, const char *path, int min, int max,
                    int *out)
{
    char want[64];
    if (v->type != PJ_NUM || !v->is_int || v->num < min || v->num > max) {
        snprintf(want, sizeof(want), "a whole number %d..%d", min, max);
        return bad_value(c, v, path, want);
    }
    *out = (int)v->num;
    return ZC_OK;
}

static int walk(struct pctx *c, const struct pj_node *obj, const char *path,
                const struct pkey *keys);

static int unknown_key(struct pctx *c, const struct pj_node *m, const char *path,
                       const struct pkey *keys)
{
    const char *best = NULL;
    size_t best_d = 4;
    struct buf all = {0};
    int rc;

    for (const struct pkey *k = keys; k->key; k++) {
        size_t d = pj_distance(m->key, k->key);
        if (d < best_d || (strstr(k->key, m->key) && strlen(m->key) >= 4 && !best)) {
            best_d = d < best_d ? d : best_d;
            best = k->key;
        }
        buf_printf(&all, "%s%s", all.len ? ", " : "", k->key);
    }
    if (best)
        rc = zc_error_set(c->err, ZC_EINVAL, "%s:%d: unknown key %s%s%s (did you mean %s?)",
                          c->file, m->key_line, path, *path ? "." : "", m->key, best);
    else
        rc = zc_error_set(c->err, ZC_EINVAL, "%s:%d: unknown key %s%s%s; known keys: %s", c->file,
                          m->key_line, path, *path ? "." : "", m->key, buf_cstr(&all));
    buf_fini(&all);
    return rc;
}

static int walk(struct pctx *c, const struct pj_node *obj, const char *path,
                const struct pkey *keys)
{
    if (obj->type != PJ_OBJ)
        return bad_value(c, obj, *path ? path : "the policy", "an object { ... }");
    for (const struct pj_node *m = obj->child; m; m = m->next) {
        const struct pkey *k = keys;
        char sub[160];
        int rc = ZC_OK;

        if (m->key[0] == '_')
            continue; /* "_comment" and friends */
        while (k->key && strcmp(k->key, m->key) != 0)
            k++;
        if (!k->key)
            return unknown_key(c, m, path, keys);
        snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", m->key);
        switch (k->type) {
        case K_BOOL:
            if (m->type != PJ_BOOL)
                return bad_value(c, m, sub, "true or false");
            *(bool *)field_at(c, k->off) = m->b;
            break;
        case K_INT:
            rc = read_int(c, m, sub, k->min, k->max, (int *)field_at(c, k->off));
            break;
        case K_STR:
            if (m->type != PJ_STR || strlen(m->str) >= (size_t)k->max) {
                char want[64];
                snprintf(want, sizeof(want), "a string of at most %d bytes", k->max - 1);
                return bad_value(c, m, sub, want);
            }
            memcpy(field_at(c, k->off), m->str, strlen(m->str) + 1);
            break;
        case K_OBJ:
            rc = walk(c, m, sub, k->sub);
            break;
        case K_FN:
            rc = k->fn(c, m, sub, k->off);
            break;
        }
        if (rc != ZC_OK)
            return rc;
    }
    return ZC_OK;
}

/* ---- readers for named values ------------------------------------------------ */

static int need_list(struct pctx *c, const struct pj_node *v, const char *path, const char *what)
{
    char want[128];
    if (v->type == PJ_ARR)
        return ZC_OK;
    snprintf(want, sizeof(want), "a list of %s", what);
    return bad_value(c, v, path, want);
}

static int read_grades(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    const char *what = "grades (优秀, 称职, 基本称职, 不称职)";
    unsigned bits = 0;
    int rc = need_list(c, v, path, what);
    for (const struct pj_node *e = v->child; rc == ZC_OK && e; e = e->next) {
        int b = e->type == PJ_STR ? policy_grade_bit(e->str) : -1;
        if (b < 0)
            return bad_value(c, e, path, "a grade: 优秀, 称职, 基本称职 or 不称职");
        bits |= (unsigned)b;
    }
    if (rc == ZC_OK)
        *(unsigned *)field_at(c, off) = bits;
    return rc;
}

static int read_categories(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    unsigned bits = 0;
    int rc = need_list(c, v, path, "unit categories");
    for (const struct pj_node *e = v->child; rc == ZC_OK && e; e = e->next) {
        int b = e->type == PJ_STR ? policy_category_bit(e->str) : -1;
        if (b < 0)
            return bad_value(
                c, e, path,
                "a unit category: 党群, 经济, 政法, 涉农, 教育, 卫生, 国企, 科研 or 其他");
        bits |= (unsigned)b;
    }
    if (rc == ZC_OK)
        *(unsigned *)field_at(c, off) = bits;
    return rc;
}

static int read_classes(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    unsigned bits = 0;
    int rc = need_list(c, v, path, "village classes");
    for (const struct pj_node *e = v->child; rc == ZC_OK && e; e = e->next) {
        int k = e->type == PJ_STR ? policy_class_parse(e->str) : -1;
        if (k < 0)
            return bad_value(c, e, path, "a village class: none, poor or deep");
        bits |= 1u << k;
    }
    if (rc == ZC_OK)
        *(unsigned *)field_at(c, off) = bits;
    return rc;
}

static int read_rank(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int r = v->type == PJ_STR ? policy_rank_parse(v->str) : -1;
    if (r < 0)
        return bad_value(c, v, path, "a rank: 其他, 科员, 副科, 正科, 副处, 正处, 副厅 or 正厅");
    *(int *)field_at(c, off) = r;
    return ZC_OK;
}

static int read_education(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int e = PE_ANY;
    if (v->type == PJ_STR && v->str[0])
        e = policy_education_parse(v->str);
    else if (v->type != PJ_NULL && !(v->type == PJ_STR && !v->str[0]))
        e = -1;
    if (e < 0)
        return bad_value(c, v, path, "null or an education: 中专及以下, 大专, 本科 or 研究生");
    *(int *)field_at(c, off) = e;
    return ZC_OK;
}

static int read_skills(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_team *t = field_at(c, off);
    int rc = need_list(c, v, path, "skill codes");
    t->nstability_skills = 0;
    for (const struct pj_node *e = v->child; rc == ZC_OK && e; e = e->next) {
        bool ok = e->type == PJ_STR && e->str[0] && strlen(e->str) <= 32;
        for (const char *s = ok ? e->str : ""; *s; s++)
            if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
                ok = false;
        if (!ok)
            return bad_value(c, e, path, "a skill code ([a-z0-9_], e.g. \"law\")");
        if (t->nstability_skills == POLICY_MAX_SKILLS)
            return bad_value(c, v, path, "a list of at most 8 skills");
        snprintf(t->stability_skills[t->nstability_skills++], sizeof(t->stability_skills[0]), "%s",
                 e->str);
    }
    return rc;
}

static int read_units(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_eligibility *e = field_at(c, off);
    int rc = need_list(c, v, path, "unit codes");
    e->nexclude_units = 0;
    for (const struct pj_node *u = v->child; rc == ZC_OK && u; u = u->next) {
        if (u->type != PJ_STR || !u->str[0] || strlen(u->str) >= sizeof(e->exclude_units[0]))
            return bad_value(c, u, path, "a unit code (a string of 1..31 bytes)");
        if (e->nexclude_units == POLICY_MAX_UNITS)
            return bad_value(c, v, path, "a list of at most 64 units");
        snprintf(e->exclude_units[e->nexclude_units++], sizeof(e->exclude_units[0]), "%s", u->str);
    }
    return rc;
}

static int read_date(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_eligibility *e = field_at(c, off);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;

    if (v->type == PJ_NULL) {
        e->dispatch_y = e->dispatch_m = e->dispatch_d = 0;
        return ZC_OK;
    }
    if (v->type != PJ_STR || sscanf(v->str, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        strlen(v->str) != 10 || y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] || (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
        return bad_value(c, v, path, "null (today) or a date YYYY-MM-DD");
    e->dispatch_y = y;
    e->dispatch_m = m;
    e->dispatch_d = d;
    return ZC_OK;
}

static int read_date_unknown(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    bool *year_end = field_at(c, off);
    if (v->type == PJ_STR && strcmp(v->str, "year_end") == 0)
        *year_end = true;
    else if (v->type == PJ_STR && strcmp(v->str, "year_start") == 0)
        *year_end = false;
    else
        return bad_value(c, v, path, "\"year_end\" or \"year_start\"");
    return ZC_OK;
}

static int read_discipline_months(struct pctx *c, const struct pj_node *v, const char *path,
                                  size_t off)
{
    struct policy_eligibility *e = field_at(c, off);
    if (v->type != PJ_OBJ)
        return bad_value(c, v, path, "an object of penalty: months, e.g. {\"警告\": 12}");
    e->ndiscipline = 0;
    for (const struct pj_node *m = v->child; m; m = m->next) {
        char sub[160];
        int rc;
        if (m->key[0] == '_')
            continue;
        snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
        if (!m->key[0] || strlen(m->key) >= sizeof(e->discipline[0].kind))
            return zc_error_set(c->err, ZC_EINVAL, "%s:%d: %s: a penalty name is 1..31 bytes",
                                c->file, m->key_line, path);
        if (e->ndiscipline == POLICY_MAX_DISCIPLINE)
            return zc_error_set(c->err, ZC_EINVAL, "%s:%d: %s: at most %d penalty kinds", c->file,
                                m->key_line, path, POLICY_MAX_DISCIPLINE);
        rc = read_int(c, m, sub, 0, 1200, &e->discipline[e->ndiscipline].months);
        if (rc != ZC_OK)
            return rc;
        snprintf(e->discipline[e->ndiscipline].kind, sizeof(e->discipline[0].kind), "%s", m->key);
        e->ndiscipline++;
    }
    return ZC_OK;
}

static int read_department_states(struct pctx *c, const struct pj_node *v, const char *path,
                                  size_t off)
{
    unsigned *states = field_at(c, off);
    if (v->type != PJ_OBJ)
        return bad_value(c, v, path, "an object of category: [states], e.g. {\"党群\": [\"软\"]}");
    memset(states, 0, sizeof(unsigned) * POLICY_NCATEGORIES);
    for (const struct pj_node *m = v->child; m; m = m->next) {
        char sub[160];
        int cat, idx = 0;
        if (m->key[0] == '_')
            continue;
        cat = policy_category_bit(m->key);
        if (cat < 0)
            return zc_error_set(c->err, ZC_EINVAL,
                                "%s:%d: %s: \"%s\" is not a unit category (党群, 经济, 政法, "
                                "涉农, 教育, 卫生, 国企, 科研, 其他)",
                                c->file, m->key_line, path, m->key);
        while ((1 << idx) != cat)
            idx++;
        snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
        if (m->type != PJ_ARR)
            return bad_value(c, m, sub, "a list of village states (软, 穷, 乱, 弱)");
        for (const struct pj_node *e = m->child; e; e = e->next) {
            int b = e->type == PJ_STR ? state_bit(e->str) : -1;
            if (b < 0)
                return bad_value(c, e, sub, "a village state: 软, 穷, 乱 or 弱");
            states[idx] |= (unsigned)b;
        }
    }
    return ZC_OK;
}

static int read_quotas(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_caps *caps = field_at(c, off);
    if (v->type != PJ_OBJ)
        return bad_value(c, v, path, "an object of county code: quota, e.g. {\"450124\": 40}");
    caps->nquota = 0;
    for (const struct pj_node *m = v->child; m; m = m->next) {
        struct zc_error derr = {0};
        enum division_level level;
        int64_t code;
        char sub[160];
        int rc;
        if (m->key[0] == '_')
            continue;
        if (division_parse(m->key, strlen(m->key), &code, &level, &derr) != ZC_OK ||
            level > DIV_COUNTY)
            return zc_error_set(c->err, ZC_EINVAL,
                                "%s:%d: %s: \"%s\" is not a county, city or province code "
                                "(6, 4 or 2 digits)",
                                c->file, m->key_line, path, m->key);
        if (caps->nquota == POLICY_MAX_QUOTAS)
            return zc_error_set(c->err, ZC_EINVAL, "%s:%d: %s: at most %d quotas", c->file,
                                m->key_line, path, POLICY_MAX_QUOTAS);
        snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
        rc = read_int(c, m, sub, 0, 1000000, &caps->quota[caps->nquota].max);
        if (rc != ZC_OK)
            return rc;
        caps->quota[caps->nquota].county = code;
        caps->nquota++;
    }
    return ZC_OK;
}

/* avoidance.level_classes: {"province": ["deep"], "city": ["poor", "deep"]}. */
static int read_level_classes(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    static const char *const levels[] = {NULL, "province", "city", "county"};
    if (v->type != PJ_OBJ)
        return bad_value(
            c, v, path,
            "an object of unit level: village classes, e.g. {\"province\": [\"deep\"]}");
    for (const struct pj_node *m = v->child; m; m = m->next) {
        char sub[160];
        int l = 1, rc;
        if (m->key[0] == '_')
            continue;
        while (l < 4 && strcmp(m->key, levels[l]) != 0)
            l++;
        if (l == 4)
            return zc_error_set(c->err, ZC_EINVAL,
                                "%s:%d: %s: \"%s\" is not a unit level (province, city or "
                                "county; township units count as county ones)",
                                c->file, m->key_line, path, m->key);
        snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
        rc = read_classes(c, m, sub, off + (size_t)l * sizeof(unsigned));
        if (rc != ZC_OK)
            return rc;
    }
    return ZC_OK;
}

/* ---- the key tables ------------------------------------------------------------ */

static const struct pkey keys_grades[] = {
    {"years", K_INT, AT(elig.grade_years), 0, 10, NULL, NULL},
    {"reject", K_FN, AT(elig.grade_reject), 0, 0, NULL, read_grades},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_discipline[] = {
    {"months", K_FN, AT(elig), 0, 0, NULL, read_discipline_months},
    {"default_months", K_INT, AT(elig.discipline_default_months), 0, 1200, NULL, NULL},
    {"date_unknown", K_FN, AT(elig.discipline_year_end), 0, 0, NULL, read_date_unknown},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_max_age[] = {
    {"male", K_INT, AT(elig.max_age_male), 0, 70, NULL, NULL},
    {"female", K_INT, AT(elig.max_age_female), 0, 70, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_eligibility[] = {
    {"on_staff", K_BOOL, AT(elig.on_staff), 0, 0, NULL, NULL},
    {"grades", K_OBJ, 0, 0, 0, keys_grades, NULL},
    {"discipline", K_OBJ, 0, 0, 0, keys_discipline, NULL},
    {"min_service_years", K_INT, AT(elig.min_service_years), 0, 40, NULL, NULL},
    {"max_age", K_OBJ, 0, 0, 0, keys_max_age, NULL},
    {"dispatch_date", K_FN, AT(elig), 0, 0, NULL, read_date},
    {"not_serving", K_BOOL, AT(elig.not_serving), 0, 0, NULL, NULL},
    {"party_member", K_BOOL, AT(elig.party_member), 0, 0, NULL, NULL},
    {"volunteer", K_BOOL, AT(elig.volunteer), 0, 0, NULL, NULL},
    {"min_education", K_FN, AT(elig.min_education), 0, 0, NULL, read_education},
    {"exclude_unit_categories", K_FN, AT(elig.exclude_categories), 0, 0, NULL, read_categories},
    {"exclude_units", K_FN, AT(elig), 0, 0, NULL, read_units},
    {"spouses_apart", K_BOOL, AT(elig.spouses_apart), 0, 0, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_size[] = {
    {"none", K_INT, AT(team.size[PV_NONE]), 0, 30, NULL, NULL},
    {"poor", K_INT, AT(team.size[PV_POOR]), 0, 30, NULL, NULL},
    {"deep", K_INT, AT(team.size[PV_DEEP]), 0, 30, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

#define ROLE_KEYS(role)                                                                            \
    {                                                                                              \
        {"required", K_BOOL, AT(team.role.required), 0, 0, NULL, NULL},                            \
            {"party_member", K_BOOL, AT(team.role.party_member), 0, 0, NULL, NULL},                \
            {"min_rank", K_FN, AT(team.role.min_rank), 0, 0, NULL, read_rank},                     \
            {"or_reserve", K_BOOL, AT(team.role.or_reserve), 0, 0, NULL, NULL},                    \
        {                                                                                          \
            NULL, K_BOOL, 0, 0, 0, NULL, NULL                                                      \
        }                                                                                          \
    }

static const struct pkey keys_first_secretary[] = ROLE_KEYS(first_secretary);
static const struct pkey keys_leader[] = ROLE_KEYS(leader);

static const struct pkey keys_stability[] = {
    {"classes", K_FN, AT(team.stability_classes), 0, 0, NULL, read_classes},
    {"unit_categories", K_FN, AT(team.stability_categories), 0, 0, NULL, read_categories},
    {"skills", K_FN, AT(team), 0, 0, NULL, read_skills},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_team[] = {
    {"size", K_OBJ, 0, 0, 0, keys_size, NULL},
    {"first_secretary", K_OBJ, 0, 0, 0, keys_first_secretary, NULL},
    {"leader", K_OBJ, 0, 0, 0, keys_leader, NULL},
    {"secretary_leads", K_BOOL, AT(team.secretary_leads), 0, 0, NULL, NULL},
    {"stability", K_OBJ, 0, 0, 0, keys_stability, NULL},
    {"need_slots", K_BOOL, AT(team.need_slots), 0, 0, NULL, NULL},
    {"max_need_slots", K_INT, AT(team.max_need_slots), 0, 10, NULL, NULL},
    {"driver_hamlets", K_INT, AT(team.driver_hamlets), 0, 1000, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_weights[] = {
    {"department", K_INT, AT(fit.w_department), 0, 10000, NULL, NULL},
    {"skill_need", K_INT, AT(fit.w_skill_need), 0, 10000, NULL, NULL},
    {"rural_deep", K_INT, AT(fit.w_rural_deep), 0, 10000, NULL, NULL},
    {"paired_unit", K_INT, AT(fit.w_paired_unit), 0, 10000, NULL, NULL},
    {"volunteer", K_INT, AT(fit.w_volunteer), 0, 10000, NULL, NULL},
    {"preferred", K_INT, AT(fit.w_preferred), 0, 10000, NULL, NULL},
    {"distance_per_10km", K_INT, AT(fit.w_distance_per_10km), 0, 10000, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_fit[] = {
    {"department_states", K_FN, AT(fit.department_states), 0, 0, NULL, read_department_states},
    {"weights", K_OBJ, 0, 0, 0, keys_weights, NULL},
    {"rural_years_deep", K_INT, AT(fit.rural_years_deep), 0, 40, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static int read_home(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    static const struct {
        const char *name;
        int value;
    } map[] = {{"auto", PH_AUTO},
               {"county", PH_COUNTY},
               {"township", PH_TOWNSHIP},
               {"village", PH_VILLAGE},
               {"none", PH_NONE}};

    int *out = field_at(c, off);
    for (size_t i = 0; v->type == PJ_STR && i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(v->str, map[i].name) == 0) {
            *out = map[i].value;
            return ZC_OK;
        }
    }
    return bad_value(c, v, path, "\"auto\", \"county\", \"township\", \"village\" or \"none\"");
}

static const struct pkey keys_avoidance[] = {
    {"home_county", K_BOOL, AT(caps.avoid_home_county), 0, 0, NULL, NULL},
    {"home", K_FN, AT(caps.avoid_home), 0, 0, NULL, read_home},
    {"max_unit_share_percent", K_INT, AT(caps.max_unit_share_percent), 1, 100, NULL, NULL},
    {"county_quotas", K_FN, AT(caps), 0, 0, NULL, read_quotas},
    {"deep_first", K_BOOL, AT(caps.deep_first), 0, 0, NULL, NULL},
    {"level_classes", K_FN, AT(caps.level_classes), 0, 0, NULL, read_level_classes},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static int read_checkin(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int *out = field_at(c, off);
    if (v->type == PJ_STR && strcmp(v->str, "none") == 0)
        *out = PF_CHECKIN_NONE;
    else if (v->type == PJ_STR && strcmp(v->str, "daily") == 0)
        *out = PF_CHECKIN_DAILY;
    else if (v->type == PJ_STR && strcmp(v->str, "twice_daily") == 0)
        *out = PF_CHECKIN_TWICE;
    else
        return bad_value(c, v, path, "\"none\", \"daily\" or \"twice_daily\"");
    return ZC_OK;
}

/* "HH:MM" as minutes after midnight. */
static int read_clock(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int *out = field_at(c, off), h, m;
    char tail;
    if (v->type != PJ_STR || strlen(v->str) != 5 ||
        sscanf(v->str, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return bad_value(c, v, path, "a time of day \"HH:MM\"");
    *out = h * 60 + m;
    return ZC_OK;
}

/* Yuan (integer or with up to two decimals) as fen. */
static int read_yuan(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int *out = field_at(c, off);
    if (v->type != PJ_NUM || v->num < 0 || v->num > 1e7)
        return bad_value(c, v, path, "an amount in yuan from 0 to 10000000");
    *out = (int)(v->num * 100 + 0.5);
    return ZC_OK;
}

static int read_leave_chain(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_field *f = field_at(c, off);
    int rc = need_list(c, v, path, "steps {\"max_days\": N or null, \"approver\": LEVEL}");
    int last = 0;
    f->nleave = 0;
    for (const struct pj_node *s = v->child; rc == ZC_OK && s; s = s->next) {
        struct policy_leave_step st = {0, 0};
        if (s->type != PJ_OBJ)
            return bad_value(c, s, path,
                             "an object {\"max_days\": N or null, \"approver\": LEVEL}");
        if (f->nleave == POLICY_MAX_LEAVE_STEPS)
            return bad_value(c, v, path, "a list of at most 4 steps");
        for (const struct pj_node *m = s->child; m; m = m->next) {
            if (m->key[0] == '_')
                continue;
            if (strcmp(m->key, "max_days") == 0) {
                if (m->type == PJ_NULL)
                    st.max_days = 0;
                else if ((rc = read_int(c, m, path, 1, 366, &st.max_days)) != ZC_OK)
                    return rc;
            } else if (strcmp(m->key, "approver") == 0) {
                if (m->type != PJ_STR || (st.approver = policy_approver_parse(m->str)) < 0)
                    return bad_value(c, m, path,
                                     "\"township\", \"county\", \"city\" or \"province\"");
            } else {
                return zc_error_set(c->err, ZC_EINVAL,
                                    "%s:%d: unknown key %s.%s; known keys: max_days, approver",
                                    c->file, m->key_line, path, m->key);
            }
        }
        if (!st.approver)
            return bad_value(c, s, path, "a step with an approver");
        if (last == -1 || (st.max_days && st.max_days <= last))
            return bad_value(c, s, path,
                             "steps in increasing max_days, the open-ended (null) one last");
        last = st.max_days ? st.max_days : -1;
        f->leave[f->nleave++] = st;
    }
    return rc;
}

static int read_presence_from(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_field *f = field_at(c, off);
    int rc = need_list(c, v, path, "evidence kinds (\"checkin\", \"visit\", \"diary\")");
    f->from_visits = f->from_diary = false;
    for (const struct pj_node *u = v->child; rc == ZC_OK && u; u = u->next) {
        if (u->type == PJ_STR && strcmp(u->str, "visit") == 0)
            f->from_visits = true;
        else if (u->type == PJ_STR && strcmp(u->str, "diary") == 0)
            f->from_diary = true;
        else if (!(u->type == PJ_STR && strcmp(u->str, "checkin") == 0))
            return bad_value(c, u, path, "\"checkin\", \"visit\" or \"diary\"");
    }
    return rc;
}

static const struct pkey keys_night[] = {
    {"from", K_FN, AT(field.night_from_min), 0, 0, NULL, read_clock},
    {"to", K_FN, AT(field.night_to_min), 0, 0, NULL, read_clock},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_residence[] = {
    {"days_per_week", K_INT, AT(field.days_per_week), 0, 7, NULL, NULL},
    {"nights_per_week", K_INT, AT(field.nights_per_week), 0, 7, NULL, NULL},
    {"days_per_month", K_INT, AT(field.days_per_month), 0, 31, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_subsidy[] = {
    {"per_day_yuan", K_FN, AT(field.subsidy_day_fen), 0, 0, NULL, read_yuan},
    {"per_month_yuan", K_FN, AT(field.subsidy_month_fen), 0, 0, NULL, read_yuan},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_cases[] = {
    {"max_speed_kmh", K_INT, AT(field.max_speed_kmh), 10, 2000, NULL, NULL},
    {"min_jump_m", K_INT, AT(field.min_jump_m), 0, 1000000, NULL, NULL},
    {"repeated_days", K_INT, AT(field.repeated_days), 2, 31, NULL, NULL},
    {"home_radius_m", K_INT, AT(field.home_radius_m), 0, 100000, NULL, NULL},
    {"weak_accuracy_m", K_INT, AT(field.weak_accuracy_m), 1, 100000, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_photos[] = {
    {"keep_months", K_INT, AT(field.photo_keep_months), 0, 1200, NULL, NULL},
    {"unattached_days", K_INT, AT(field.photo_unattached_days), 1, 366, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_field[] = {
    {"geofence_radius_m", K_INT, AT(field.radius_m), 50, 50000, NULL, NULL},
    {"checkin", K_FN, AT(field.checkin), 0, 0, NULL, read_checkin},
    {"night_window", K_OBJ, 0, 0, 0, keys_night, NULL},
    {"residence", K_OBJ, 0, 0, 0, keys_residence, NULL},
    {"leave_approval", K_FN, AT(field), 0, 0, NULL, read_leave_chain},
    {"diary_backdate_days", K_INT, AT(field.diary_backdate_days), 0, 366, NULL, NULL},
    {"subsidy", K_OBJ, 0, 0, 0, keys_subsidy, NULL},
    {"presence_from", K_FN, AT(field), 0, 0, NULL, read_presence_from},
    {"cases", K_OBJ, 0, 0, 0, keys_cases, NULL},
    {"photos", K_OBJ, 0, 0, 0, keys_photos, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static int read_sanctions(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_assess *a = field_at(c, off);
    int rc = need_list(c, v, path, "sanctions {\"kind\": \"诫勉\", \"recall\": false}");
    a->nsanctions = 0;
    a->sanction_recall = 0;
    for (const struct pj_node *s = v->child; rc == ZC_OK && s; s = s->next) {
        const char *kind = NULL;
        bool recall = false;
        if (s->type != PJ_OBJ)
            return bad_value(c, s, path, "an object {\"kind\": \"诫勉\", \"recall\": false}");
        if (a->nsanctions == POLICY_MAX_SANCTIONS)
            return bad_value(c, v, path, "a list of at most 8 sanctions");
        for (const struct pj_node *m = s->child; m; m = m->next) {
            if (m->key[0] == '_')
                continue;
            if (strcmp(m->key, "kind") == 0 && m->type == PJ_STR && m->str[0] &&
                strlen(m->str) < sizeof(a->sanctions[0]))
                kind = m->str;
            else if (strcmp(m->key, "recall") == 0 && m->type == PJ_BOOL)
                recall = m->b;
            else
                return bad_value(c, m, path,
                                 "\"kind\" (a name of at most 5 characters) and \"recall\" "
                                 "(true when the sanction ends the posting)");
        }
        if (!kind)
            return bad_value(c, s, path, "a sanction with a \"kind\"");
        snprintf(a->sanctions[a->nsanctions], sizeof(a->sanctions[0]), "%s", kind);
        if (recall)
            a->sanction_recall |= 1u << a->nsanctions;
        a->nsanctions++;
    }
    return rc;
}

static const struct pkey keys_sample_weights[] = {
    {"base", K_INT, AT(assess.w_base), 1, 1000, NULL, NULL},
    {"case", K_INT, AT(assess.w_case), 0, 1000, NULL, NULL},
    {"finding", K_INT, AT(assess.w_finding), 0, 1000, NULL, NULL},
    {"short", K_INT, AT(assess.w_short), 0, 1000, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

/* inspection.frequency: "monthly" (one sample a month) or "half_monthly"
 * (夏河's 半月一督查: one for each half of the month). */
static int read_frequency(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int *out = field_at(c, off);
    if (v->type == PJ_STR && strcmp(v->str, "monthly") == 0)
        *out = 1;
    else if (v->type == PJ_STR && strcmp(v->str, "half_monthly") == 0)
        *out = 2;
    else
        return bad_value(c, v, path, "\"monthly\" or \"half_monthly\"");
    return ZC_OK;
}

static const struct pkey keys_inspection[] = {
    {"frequency", K_FN, AT(assess.sample_halves), 0, 0, NULL, read_frequency},
    {"sample_percent", K_INT, AT(assess.sample_percent), 0, 100, NULL, NULL},
    {"min_per_month", K_INT, AT(assess.sample_min), 0, 10000, NULL, NULL},
    {"weights", K_OBJ, 0, 0, 0, keys_sample_weights, NULL},
    {"ticket_days", K_INT, AT(assess.ticket_days), 1, 365, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_negative[] = {
    {"short_days", K_INT, AT(assess.neg_short_days), 0, 31, NULL, NULL},
    {"cases", K_BOOL, AT(assess.neg_cases), 0, 0, NULL, NULL},
    {"min_diary_entries", K_INT, AT(assess.neg_min_diary), 0, 100, NULL, NULL},
    {"overdue_tickets", K_BOOL, AT(assess.neg_overdue), 0, 0, NULL, NULL},
    {"findings", K_BOOL, AT(assess.neg_findings), 0, 0, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_ladder[] = {
    {"window_months", K_INT, AT(assess.ladder_window), 1, 60, NULL, NULL},
    {"study", K_INT, AT(assess.ladder_at[PL_STUDY]), 1, 60, NULL, NULL},
    {"talk", K_INT, AT(assess.ladder_at[PL_TALK]), 1, 60, NULL, NULL},
    {"penalty", K_INT, AT(assess.ladder_at[PL_PENALTY]), 1, 60, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_score[] = {
    {"presence", K_INT, AT(assess.w_presence), 0, 100, NULL, NULL},
    {"visits", K_INT, AT(assess.w_visits), 0, 100, NULL, NULL},
    {"tasks", K_INT, AT(assess.w_tasks), 0, 100, NULL, NULL},
    {"findings", K_INT, AT(assess.w_findings), 0, 100, NULL, NULL},
    {"outcomes", K_INT, AT(assess.w_outcomes), 0, 100, NULL, NULL},
    {"visits_target", K_INT, AT(assess.visits_target), 1, 1000, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_grades_year[] = {
    {"excellent_percent", K_INT, AT(assess.excellent_percent), 0, 100, NULL, NULL},
    {"excellent_min", K_INT, AT(assess.excellent_min), 0, 100, NULL, NULL},
    {"competent_min", K_INT, AT(assess.competent_min), 0, 100, NULL, NULL},
    {"basic_min", K_INT, AT(assess.basic_min), 0, 100, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_funds[] = {
    {"team_work_yuan", K_FN, AT(assess.fund_work_fen), 0, 0, NULL, read_yuan},
    {"team_industry_yuan", K_FN, AT(assess.fund_industry_fen), 0, 0, NULL, read_yuan},
    {"first_secretary_work_yuan", K_FN, AT(assess.fund_sec_work_fen), 0, 0, NULL, read_yuan},
    {"first_secretary_industry_yuan", K_FN, AT(assess.fund_sec_industry_fen), 0, 0, NULL,
     read_yuan},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_assess[] = {
    {"inspection", K_OBJ, 0, 0, 0, keys_inspection, NULL},
    {"negative_list", K_OBJ, 0, 0, 0, keys_negative, NULL},
    {"ladder", K_OBJ, 0, 0, 0, keys_ladder, NULL},
    {"sanctions", K_FN, AT(assess), 0, 0, NULL, read_sanctions},
    {"score", K_OBJ, 0, 0, 0, keys_score, NULL},
    {"grades", K_OBJ, 0, 0, 0, keys_grades_year, NULL},
    {"funds", K_OBJ, 0, 0, 0, keys_funds, NULL},
    {"public_ranking", K_BOOL, AT(assess.public_ranking), 0, 0, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

/* A percentage with up to two decimals, as basis points. */
static int read_percent(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    int *out = field_at(c, off);
    if (v->type != PJ_NUM || v->num < 0 || v->num > 100)
        return bad_value(c, v, path, "a percentage from 0 to 100");
    *out = (int)(v->num * 100 + 0.5);
    return ZC_OK;
}

static int read_west(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    struct policy_outcomes *o = field_at(c, off);
    int rc = need_list(c, v, path, "2-digit province codes, e.g. [\"45\", \"52\"]");
    o->nwest = 0;
    for (const struct pj_node *e = v->child; rc == ZC_OK && e; e = e->next) {
        char *end = NULL;
        long code = e->type == PJ_STR ? strtol(e->str, &end, 10) : -1;
        if (e->type != PJ_STR || strlen(e->str) != 2 || *end || code < 11 || code > 82)
            return bad_value(c, e, path, "a 2-digit province code such as \"45\"");
        if (o->nwest == POLICY_MAX_WEST)
            return bad_value(c, v, path, "at most 16 provinces");
        o->west[o->nwest++] = (int)code;
    }
    return rc;
}

static const struct pkey keys_outcomes[] = {
    {"exit_incidence_percent", K_FN, AT(outcomes.exit_bp), 0, 0, NULL, read_percent},
    {"exit_incidence_west_percent", K_FN, AT(outcomes.exit_west_bp), 0, 0, NULL, read_percent},
    {"west_provinces", K_FN, AT(outcomes), 0, 0, NULL, read_west},
    {"income_line_yuan", K_FN, AT(outcomes.income_line_fen), 0, 0, NULL, read_yuan},
    {"watch_income_percent", K_INT, AT(outcomes.watch_income_percent), 100, 1000, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_aid[] = {
    {"households_per_cadre", K_INT, AT(aid.households_per_cadre), 1, 100, NULL, NULL},
    {"visit_months", K_INT, AT(aid.visit_months), 1, 24, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

/* posts.levels: {"county": ["province", "city"], "township": [...]}. */
static int read_post_levels(struct pctx *c, const struct pj_node *v, const char *path, size_t off)
{
    static const char *const posts[] = {"county", "township"};
    static const char *const units[] = {NULL, "province", "city", "county", "township"};
    unsigned *out = field_at(c, off);
    if (v->type != PJ_OBJ)
        return bad_value(c, v, path,
                         "an object of post level: unit levels, e.g. {\"county\": [\"city\"]}");
    for (const struct pj_node *m = v->child; m; m = m->next) {
        char sub[160];
        unsigned bits = 0;
        int l = 0, rc;
        if (m->key[0] == '_')
            continue;
        while (l < POLICY_POST_NLEVELS && strcmp(m->key, posts[l]) != 0)
            l++;
        if (l == POLICY_POST_NLEVELS)
            return zc_error_set(c->err, ZC_EINVAL,
                                "%s:%d: %s: \"%s\" is not a post level (county or township)",
                                c->file, m->key_line, path, m->key);
        snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
        rc = need_list(c, m, sub, "unit levels");
        for (const struct pj_node *e = m->child; rc == ZC_OK && e; e = e->next) {
            int u = 1;
            while (u < 5 && (e->type != PJ_STR || strcmp(e->str, units[u]) != 0))
                u++;
            if (u == 5)
                return bad_value(c, e, sub, "a unit level: province, city, county or township");
            bits |= 1u << u;
        }
        if (rc != ZC_OK)
            return rc;
        out[l] = bits;
    }
    return ZC_OK;
}

static const struct pkey keys_post_weight[] = {
    {"county", K_INT, AT(posts.weight[POLICY_POST_COUNTY]), 0, 100, NULL, NULL},
    {"township", K_INT, AT(posts.weight[POLICY_POST_TOWNSHIP]), 0, 100, NULL, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_posts[] = {
    {"weight", K_OBJ, 0, 0, 0, keys_post_weight, NULL},
    {"levels", K_FN, AT(posts.levels), 0, 0, NULL, read_post_levels},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

static const struct pkey keys_top[] = {
    {"name", K_STR, AT(name), 0, POLICY_NAME_MAX, NULL, NULL},
    {"title", K_STR, AT(title), 0, 160, NULL, NULL},
    {"eligibility", K_OBJ, 0, 0, 0, keys_eligibility, NULL},
    {"team", K_OBJ, 0, 0, 0, keys_team, NULL},
    {"fit", K_OBJ, 0, 0, 0, keys_fit, NULL},
    {"avoidance", K_OBJ, 0, 0, 0, keys_avoidance, NULL},
    {"field", K_OBJ, 0, 0, 0, keys_field, NULL},
    {"assess", K_OBJ, 0, 0, 0, keys_assess, NULL},
    {"outcomes", K_OBJ, 0, 0, 0, keys_outcomes, NULL},
    {"aid", K_OBJ, 0, 0, 0, keys_aid, NULL},
    {"posts", K_OBJ, 0, 0, 0, keys_posts, NULL},
    {NULL, K_BOOL, 0, 0, 0, NULL, NULL},
};

/* ---- entry points ------------------------------------------------------------------ */

static int check_assess(struct pctx *c, const struct pj_node *root)
{
    const struct policy_assess *a = &c->p->assess;
    if (!(a->ladder_at[PL_STUDY] < a->ladder_at[PL_TALK] &&
          a->ladder_at[PL_TALK] < a->ladder_at[PL_PENALTY]))
        return zc_error_set(c->err, ZC_EINVAL,
                            "%s:%d: assess.ladder: study < talk < penalty months are needed "
                            "(先学习班、再约谈、后处理), got %d, %d, %d",
                            c->file, root->line, a->ladder_at[PL_STUDY], a->ladder_at[PL_TALK],
                            a->ladder_at[PL_PENALTY]);
    if (a->w_presence + a->w_visits + a->w_tasks + a->w_findings + a->w_outcomes == 0)
        return zc_error_set(c->err, ZC_EINVAL,
                            "%s:%d: assess.score: at least one weight must be above 0", c->file,
                            root->line);
    if (!(a->basic_min <= a->competent_min && a->competent_min <= a->excellent_min))
        return zc_error_set(c->err, ZC_EINVAL,
                            "%s:%d: assess.grades: basic_min <= competent_min <= excellent_min "
                            "is needed",
                            c->file, root->line);
    if (a->nsanctions == 0)
        return zc_error_set(c->err, ZC_EINVAL,
                            "%s:%d: assess.sanctions: at least one sanction is needed", c->file,
                            root->line);
    return ZC_OK;
}

/* Rules that span keys, checked once the whole file is read. */
static int check_whole(struct pctx *c, const struct pj_node *root)
{
    const struct policy_team *t = &c->p->team;
    if (t->size[PV_POOR] == 0 && t->size[PV_DEEP] == 0)
        return zc_error_set(c->err, ZC_EINVAL,
                            "%s:%d: team.size: poor and deep villages cannot both have no team",
                            c->file, root->line);
    if (c->p->field.nleave && c->p->field.leave[c->p->field.nleave - 1].max_days != 0)
        return zc_error_set(c->err, ZC_EINVAL,
                            "%s:%d: field.leave_approval: the last step must take any length "
                            "(\"max_days\": null), or a long leave would have no approver",
                            c->file, root->line);
    return check_assess(c, root);
}

int policy_parse(const char *name, const char *text, size_t len, struct policy *out,
                 struct zc_error *err)
{
    struct pj_node *root = NULL;
    struct pctx c = {name, out, err};
    int rc;

    if (len > POLICY_MAX_FILE)
        return zc_error_set(err, ZC_ETOOBIG, "%s: a policy file is at most 1 MiB", name);
    policy_defaults(out);
    rc = pj_parse(name, text, len, &root, err);
    if (rc == ZC_OK)
        rc = walk(&c, root, "", keys_top);
    if (rc == ZC_OK)
        rc = check_whole(&c, root);
    if (rc == ZC_OK && !text_is_clean(out->name))
        rc = zc_error_set(err, ZC_EINVAL, "%s: the policy name may not hold control characters",
                          name);
    pj_free(root);
    return rc;
}

int policy_load_file(const char *path, struct policy *out, struct zc_error *err)
{
    struct buf b = {0};
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;
    int rc = ZC_OK;

    if (!f) {
        rc = zc_error_set(err, errno == ENOENT ? ZC_ENOTFOUND : ZC_EIO, "cannot open policy %s: %s",
                          path, strerror(errno));
        goto done;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > POLICY_MAX_FILE) {
            rc = zc_error_set(err, ZC_ETOOBIG, "%s: a policy file is at most 1 MiB", path);
            goto done;
        }
        buf_append(&b, chunk, n);
    }
    if (ferror(f)) {
        rc = zc_error_set(err, ZC_EIO, "cannot read policy %s", path);
        goto done;
    }
    rc = policy_parse(path, b.p ? b.p : "", b.len, out, err);
done:
    if (f)
        fclose(f);
    buf_fini(&b);
    return rc;
}

const char *policy_default_path(void)
{
    static char path[PATH_MAX + 64];
    const char *env = getenv("ZHUCUN_POLICY");
    char exe[PATH_MAX - 64];
    ssize_t n;

    if (env && *env)
        return env;
    if (access("policies/default.json", R_OK) == 0)
        return "policies/default.json";
    /* build/<mode>/zhucun -> the checkout's policies/ */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(path, sizeof(path), "%s/policies/default.json", exe);
            if (access(path, R_OK) == 0)
                return path;
        }
    }
    return NULL;
}

/* The directory of the default policy file into out[n]; false if none. */
static bool policy_dir(char *out, size_t n)
{
    const char *def = policy_default_path();
    const char *slash = def ? strrchr(def, '/') : NULL;
    if (!def)
        return false;
    if (!slash)
        return snprintf(out, n, ".") < (int)n;
    return snprintf(out, n, "%.*s", (int)(slash - def), def) < (int)n;
}

static bool policy_name_ok(const char *name, size_t len)
{
    if (len == 0 || len >= POLICY_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct policy_entry *x = a, *y = b;
    int dx = strcmp(x->name, "default") == 0, dy = strcmp(y->name, "default") == 0;
    if (dx != dy)
        return dy - dx;
    return strcmp(x->name, y->name);
}

int policy_list(struct policy_entry **out, size_t *n, struct zc_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX + 320];
    struct policy_entry *v = NULL;
    size_t len = 0, cap = 0;
    struct dirent *de;
    DIR *d;
    *out = NULL;
    *n = 0;
    if (!policy_dir(dir, sizeof(dir)) || !(d = opendir(dir)))
        return zc_error_set(err, ZC_ENOTFOUND, "no policy directory (policies/) was found");
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        struct policy *p;
        struct zc_error e2 = {0};
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0 ||
            !policy_name_ok(de->d_name, nl - 5))
            continue;
        if (snprintf(path, sizeof(path), "%.*s/%.255s", PATH_MAX - 1, dir, de->d_name) >=
            (int)sizeof(path))
            continue;
        p = zc_calloc(1, sizeof(*p));
        if (policy_load_file(path, p, &e2) == ZC_OK) {
            if (len == cap) {
                cap = cap ? 2 * cap : 16;
                v = zc_realloc(v, cap * sizeof(*v));
            }
            snprintf(v[len].name, sizeof(v[len].name), "%.*s", (int)(nl - 5), de->d_name);
            snprintf(v[len].title, sizeof(v[len].title), "%s", p->title);
            len++;
        }
        free(p);
    }
    closedir(d);
    if (len)
        qsort(v, len, sizeof(*v), entry_cmp);
    *out = v;
    *n = len;
    return ZC_OK;
}

int policy_named_path(const char *name, char *out, size_t n, struct zc_error *err)
{
    char dir[PATH_MAX];
    if (!name || !policy_name_ok(name, strlen(name)))
        return zc_error_set(err, ZC_EINVAL,
                            "a policy name is 1-63 lower-case letters, digits, - or _");
    if (!policy_dir(dir, sizeof(dir)))
        return zc_error_set(err, ZC_ENOTFOUND, "no policy directory (policies/) was found");
    if (snprintf(out, n, "%s/%s.json", dir, name) >= (int)n || access(out, R_OK) != 0)
        return zc_error_set(err, ZC_ENOTFOUND,
                            "no policy '%s' in %s (GET /api/v1/policies lists them)", name, dir);
    return ZC_OK;
}

int policy_leave_approver(const struct policy *p, int days)
{
    for (size_t i = 0; i < p->field.nleave; i++)
        if (p->field.leave[i].max_days == 0 || days <= p->field.leave[i].max_days)
            return p->field.leave[i].approver;
    return PA_COUNTY;
}

static const char *const approver_names[] = {NULL, "township", "county", "city", "province"};

const char *policy_approver_name(int approver)
{
    return approver >= PA_TOWNSHIP && approver <= PA_PROVINCE ? approver_names[approver] : "county";
}

int policy_approver_parse(const char *s)
{
    for (int i = PA_TOWNSHIP; i <= PA_PROVINCE; i++)
        if (strcmp(s, approver_names[i]) == 0)
            return i;
    return -1;
}
