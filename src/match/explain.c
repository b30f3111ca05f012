/* SPDX-License-Identifier: MIT */
/* explain.c - why the plan is what it is (an office must be able to answer a
 * unit, a village and a cadre).
 *
 * An assignment is explained by its score broken down by rule, as stored
 * with the plan, and the slot's price (dual). An unfilled slot or a cadre
 * not sent carries the binding reason found when the plan was solved. A
 * cadre who was never in the model is run through the eligibility rules
 * again. "Why not village X" rebuilds the model on the current ledger with
 * the plan's own policy and scope and names the first rule that excludes the
 * pair, down to the reduced cost of the arc when the pair was a candidate.
 * The answers are data (explain.h): the CLI renders them as text, the HTTP
 * layer as JSON; the words in them speak Chinese first, as the office reads
 * them. */
#include "match/explain.h"
#include "match/plan.h"
#include "model_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "store/store.h"

_Static_assert(EXPLAIN_MAX_REASONS >= ELIGIBLE_MAX_REASONS, "every failed rule is kept");

/* ---- words ------------------------------------------------------------------ */

/* Score terms as the web UI names them ("department" -> 单位类别对口). */
static const char *term_zh(const char *key, size_t n)
{
    static const char *const map[][2] = {
        {"department", "单位类别对口"},
        {"skill_need", "技能对应需求"},
        {"rural_deep", "农村经历（深度贫困村）"},
        {"paired_unit", "结对单位"},
        {"volunteer", "自愿报名"},
        {"preferred", "意向地区"},
        {"distance", "距离"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strlen(map[i][0]) == n && strncmp(map[i][0], key, n) == 0)
            return map[i][1];
    return NULL;
}

/* "department=30;distance=-3" -> its terms (at most EXPLAIN_MAX_TERMS). */
static void score_of(const char *s, struct explain_score *out)
{
    snprintf(out->breakdown, sizeof(out->breakdown), "%s", s);
    out->nterms = 0;
    while (*s && out->nterms < EXPLAIN_MAX_TERMS) {
        struct explain_term *t = &out->terms[out->nterms++];
        const char *end = strchr(s, ';'), *eq = strchr(s, '=');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        memset(t, 0, sizeof(*t));
        snprintf(t->text, sizeof(t->text), "%.*s", (int)n, s);
        if (eq && eq < s + n) {
            snprintf(t->key, sizeof(t->key), "%.*s", (int)(eq - s), s);
            t->zh = term_zh(s, (size_t)(eq - s));
            t->has_value = true;
            t->value = strtol(eq + 1, NULL, 10);
        } else {
            snprintf(t->key, sizeof(t->key), "%.*s", (int)n, s);
        }
        s += n;
        if (*s == ';')
            s++;
    }
}

/* Village states bits (1 软 2 穷 4 乱 8 弱) as "穷弱", or "—". */
static const char *states_zh(int64_t bits, char out[16])
{
    static const char *const names[4] = {"软", "穷", "乱", "弱"};
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (bits & (1 << i))
            n += (size_t)snprintf(out + n, 16 - n, "%s", names[i]); /* 3 bytes each, 12 at most */
    if (!out[0])
        snprintf(out, 16, "—");
    return out;
}

/* A skill code as its Chinese name from the vocabulary ("driving" -> 驾驶). */
static void skill_zh(struct store *s, const char *codes, struct buf *out)
{
    struct store_stmt *st = NULL;
    struct zc_error ignored;
    buf_reset(out);
    if (!*codes)
        return;
    if (match_prepare(s, MQ_SKILL_NAME, &st, &ignored) != ZC_OK) {
        buf_puts(out, codes);
        return;
    }
    while (*codes) {
        const char *end = strchr(codes, ';');
        size_t n = end ? (size_t)(end - codes) : strlen(codes);
        bool row = false;
        store_bind_text(st, 1, codes, n);
        if (out->len)
            buf_puts(out, "、");
        if (store_step(st, &row, &ignored) == ZC_OK && row)
            buf_puts(out, store_col_text(st, 0));
        else
            buf_append(out, codes, n);
        store_reset(st);
        codes += n;
        if (*codes == ';')
            codes++;
    }
    store_finalize(st);
}

static const char *why_en(const char *code)
{
    static const char *const t[][2] = {
        {"no_candidate", "no eligible cadre within reach qualifies for the slot"},
        {"taken", "every candidate was taken by a higher-priority or better-fitting slot"},
        {"unit_cap", "the candidates' units reached their draw cap (max_unit_share_percent)"},
        {"county_quota", "the county's quota is reached"},
        {"not_needed", "every slot the cadre could take went to a better fit"},
        {"spouse", "the spouse is sent (spouses_apart)"},
        {"recalled", "the cadre was recalled (召回); the slot waits for 'match --refill'"},
        {"rotated",
         "the term rotated (轮换); the slot waits for 'match --refill' and the new term"},
        {"moved", "moved to another slot by a refill"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(code, t[i][0]) == 0)
            return t[i][1];
    return code;
}

static const char *why_zh_of(const char *code)
{
    for (int w = 1; w < MW_NCODES; w++)
        if (strcmp(code, model_why_name((enum model_why)w)) == 0)
            return model_why_zh((enum model_why)w);
    if (strcmp(code, "recalled") == 0)
        return "原人选已召回, 待补派";
    if (strcmp(code, "rotated") == 0)
        return "任期轮换, 待补派新一任";
    return code;
}

static int load_policy(struct store *s, int64_t plan, struct policy *p, struct zc_error *err)
{
    char *text = NULL;
    int rc = plan_policy_text(s, plan, &text, err);
    if (rc == ZC_OK)
        rc = policy_parse("plan policy", text, strlen(text), p, err);
    free(text);
    return rc;
}

struct find_one {
    int64_t id;                 /* the cadre wanted */
    bool found, ok;             /* seen; eligible */
    struct eligible_result res; /* its result */
};

static int find_cb(void *ud, const struct eligible_cadre *c, const struct eligible_result *r)
{
    struct find_one *f = ud;
    if (c->id == f->id) {
        f->found = true;
        f->ok = r->ok;
        f->res = *r;
    }
    return ZC_OK;
}

static int date_of(const char *s, struct eligible_date *d)
{
    return sscanf(s, "%4d-%2d-%2d", &d->y, &d->m, &d->d) == 3 ? ZC_OK : ZC_EINVAL;
}

static void why_of(const char *code, struct explain_why *out)
{
    snprintf(out->code, sizeof(out->code), "%s", code);
    out->zh = why_zh_of(code);
    out->en = why_en(code);
}

/* The cadre by ID number: id, name, unit, the masked number. */
static int cadre_of(struct store *s, const char *id_number, int64_t *cadre, struct explain_cadre *o,
                    struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char idn[IDCARD_LEN + 1];
    bool row = false;
    int rc;
    if (idcard_normalize(id_number, strlen(id_number), idn, NULL) != ZC_OK)
        snprintf(idn, sizeof(idn), "%s", id_number);
    rc = match_prepare(s, MQ_CADRE_BY_IDNUM_FULL, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, idn);
        rc = store_step(st, &row, err);
        if (rc == ZC_OK && !row)
            rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre with ID number %s", id_number);
        if (rc == ZC_OK) {
            *cadre = store_col_int(st, 0);
            snprintf(o->name, sizeof(o->name), "%s", store_col_text(st, 1));
            snprintf(o->unit, sizeof(o->unit), "%s", store_col_text(st, 2));
        }
    }
    store_finalize(st);
    if (rc == ZC_OK)
        idcard_mask(idn, o->id_number, sizeof(o->id_number));
    return rc;
}

/* The cadre's slot in the plan, if any. */
static int assigned_of(struct store *s, int64_t plan, int64_t cadre, struct explain_cadre *o,
                       struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_EXPLAIN_ASSIGNED, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, plan);
        store_bind_int(st, 2, cadre);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row) {
        int role = model_role_parse(store_col_text(st, 3));
        o->assigned = true;
        o->village = store_col_int(st, 0);
        snprintf(o->village_name, sizeof(o->village_name), "%s", store_col_text(st, 1));
        o->seq = store_col_int(st, 2);
        snprintf(o->role, sizeof(o->role), "%s", store_col_text(st, 3));
        o->role_zh = role >= 0 ? model_role_zh((enum model_role)role) : "?";
        snprintf(o->need, sizeof(o->need), "%s", store_col_text(st, 4));
        o->score = store_col_int(st, 5);
        score_of(store_col_text(st, 6), &o->sc);
        o->dual = store_col_int(st, 7);
        snprintf(o->post_code, sizeof(o->post_code), "%s", store_col_text(st, 9));
        snprintf(o->post_title, sizeof(o->post_title), "%s", store_col_text(st, 10));
    }
    store_finalize(st);
    return rc;
}

/* Not sent: the stored reason, or the eligibility rules again. */
static int not_sent_of(struct store *s, const struct plan_meta *pm, const struct policy *pol,
                       int64_t cadre, struct explain_cadre *o, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_EXPLAIN_UNSENT, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, pm->id);
        store_bind_int(st, 2, cadre);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row) {
        o->outcome = EX_NOT_SENT;
        why_of(store_col_text(st, 0), &o->why);
        snprintf(o->detail, sizeof(o->detail), "%s", store_col_text(st, 1));
    } else if (rc == ZC_OK) {
        struct eligible_scan_opts so = {.unit = o->unit};
        struct find_one f = {.id = cadre};
        date_of(pm->created_at, &so.today);
        rc = eligible_scan(s, pol, &so, find_cb, &f, err);
        o->outcome = EX_OUT_OF_SCOPE;
        if (rc == ZC_OK && f.found && !f.ok) {
            o->outcome = EX_NOT_ELIGIBLE;
            for (size_t k = 0; k < f.res.nreasons && o->nrules < EXPLAIN_MAX_REASONS; k++) {
                struct explain_rule *r = &o->rules[o->nrules++];
                eligible_reason_text(&f.res.reasons[k], true, r->zh, sizeof(r->zh));
                eligible_reason_text(&f.res.reasons[k], false, r->en, sizeof(r->en));
                r->code = eligible_code_name(f.res.reasons[k].code);
            }
        }
    }
    store_finalize(st);
    return rc;
}

/* Why not village o->why_not: the model rebuilt with the plan's policy. */
static int why_not_of(struct store *s, const struct plan_meta *pm, struct policy *pol,
                      int64_t cadre, struct explain_cadre *o, struct zc_error *err)
{
    struct model_options mo = {.policy = pol, .scope = pm->scope};
    struct model *m = NULL;
    struct zc_error e2 = {0};
    char *text = o->answer;
    size_t sz = sizeof(o->answer);
    int rc;
    if (o->assigned && o->village == o->why_not) {
        snprintf(text, sz, "已派往该村 / assigned there");
        return ZC_OK;
    }
    /* A refill keeps the cadre out of the village they rotated out of: the
     * model below is a plain match's and would not say so. */
    if (strcmp(pm->kind, "refill") == 0) {
        struct store_stmt *st = NULL;
        bool row = false;
        rc = match_prepare(s, MQ_EXPLAIN_ROTATED, &st, err);
        if (rc == ZC_OK) {
            store_bind_int(st, 1, cadre);
            rc = store_step(st, &row, err);
        }
        row = rc == ZC_OK && row && store_col_int(st, 0) == o->why_not;
        store_finalize(st);
        if (rc != ZC_OK)
            return rc;
        if (row) {
            snprintf(text, sz,
                     "轮换: 本人已从该村轮换离任, 补派不再派回 (plan rotate) / the cadre rotated "
                     "out of this village; a refill sends others (--keep-cadres would allow it)");
            return ZC_OK;
        }
    }
    /* Re-evaluate on today's ledger: the plan's own postings would
     * otherwise make its cadres ineligible. */
    pol->elig.not_serving = false;
    date_of(pm->created_at, &mo.today);
    rc = model_build(s, &mo, &m, err);
    if (rc == ZC_OK)
        rc = model_solve(m, err);
    if (rc == ZC_OK && model_why_not(m, cadre, o->why_not, text, sz, &e2) != ZC_OK) {
        struct eligible_scan_opts so = {.unit = o->unit, .today = mo.today};
        struct find_one f = {.id = cadre};
        rc = eligible_scan(s, pol, &so, find_cb, &f, err);
        if (f.found && !f.ok) {
            char zh[160];
            eligible_reason_text(&f.res.reasons[0], true, zh, sizeof(zh));
            snprintf(text, sz, "不符合选派条件: %s (%s) / not eligible", zh,
                     eligible_code_name(f.res.reasons[0].code));
        } else {
            snprintf(text, sz,
                     "单位无法向该范围选派 / the cadre's unit cannot reach the plan's scope");
        }
    }
    if (o->assigned && rc == ZC_OK) {
        size_t n = strlen(text);
        snprintf(text + n, sz - n, "; 本方案中派往 %lld / assigned to %lld in this plan",
                 (long long)o->village, (long long)o->village);
    }
    model_free(m);
    return rc;
}

int explain_cadre(struct store *s, int64_t plan, const char *id_number, int64_t why_not,
                  struct explain_cadre *out, struct zc_error *err)
{
    struct plan_meta pm;
    struct policy pol;
    int64_t cadre = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    out->plan = plan;
    out->why_not = why_not;
    rc = plan_get(s, plan, &pm, err);
    if (rc == ZC_OK)
        rc = load_policy(s, plan, &pol, err);
    if (rc == ZC_OK)
        rc = cadre_of(s, id_number, &cadre, out, err);
    if (rc == ZC_OK)
        rc = assigned_of(s, plan, cadre, out, err);
    if (rc == ZC_OK && !out->assigned && !why_not)
        rc = not_sent_of(s, &pm, &pol, cadre, out, err);
    if (rc == ZC_OK && why_not)
        rc = why_not_of(s, &pm, &pol, cadre, out, err);
    return rc;
}

/* Why the person fits the role, from the row of explain_village's query:
 * party membership and rank for 第一书记 and 队长, the unit's category and
 * the skills for 综治维稳. "" for other roles, else "; 任职条件: ...". */
static const char *qualification(struct store *s, int role, struct store_stmt *st, char *out,
                                 size_t outsz)
{
    const char *rank = store_col_text(st, 12), *cat = store_col_text(st, 13);
    out[0] = '\0';
    if (role == MR_FIRST_SECRETARY || role == MR_LEADER) {
        snprintf(out, outsz, "; 任职条件: %s%s%s", store_col_int(st, 11) ? "中共党员" : "非党员",
                 rank[0] ? ", " : "", rank);
    } else if (role == MR_POST) {
        static const char *const levels[][2] = {
            {"province", "省级"}, {"city", "市级"}, {"county", "县级"}, {"township", "乡级"}};
        const char *lv = store_col_text(st, 17);
        for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
            if (strcmp(lv, levels[i][0]) == 0)
                lv = levels[i][1];
        snprintf(out, outsz, "; 任职条件: %s%s%s, %s单位",
                 store_col_int(st, 11) ? "中共党员" : "非党员", rank[0] ? ", " : "", rank, lv);
    } else if (role == MR_STABILITY) {
        struct buf sk = {0};
        skill_zh(s, store_col_text(st, 14), &sk);
        snprintf(out, outsz, "; 维稳资质: %s单位%s%s", cat[0] ? cat : "—", sk.len ? ", 技能 " : "",
                 sk.len ? buf_cstr(&sk) : "");
        buf_fini(&sk);
    }
    return out;
}

/* The village's class, states and needs, in words. */
static int village_info(struct store *s, struct explain_village *o, struct zc_error *err)
{
    static const char *const classes[][2] = {
        {"deep", "深度贫困村"}, {"poor", "贫困村"}, {"none", "非贫困村"}};
    struct store_stmt *v = NULL;
    bool row = false;
    int rc = match_prepare(s, MQ_EXPLAIN_VILLAGE, &v, err);
    if (rc == ZC_OK) {
        store_bind_int(v, 1, o->village);
        rc = store_step(v, &row, err);
    }
    if (rc == ZC_OK && row) {
        const char *cls = store_col_text(v, 1);
        struct buf text = {0};
        enum division_level lv = division_level_of(o->village);
        for (size_t i = 0; i < 3; i++)
            if (strcmp(cls, classes[i][0]) == 0)
                cls = classes[i][1];
        if (lv == DIV_COUNTY || lv == DIV_TOWNSHIP) /* the division of posts (挂职) */
            cls = lv == DIV_COUNTY ? "县级挂职岗位" : "乡镇挂职岗位";
        o->has_info = true;
        snprintf(o->name, sizeof(o->name), "%s", store_col_text(v, 0));
        snprintf(o->klass, sizeof(o->klass), "%s", cls);
        states_zh(store_col_int(v, 2), o->states);
        skill_zh(s, store_col_text(v, 3), &text);
        snprintf(o->needs, sizeof(o->needs), "%s", text.len ? buf_cstr(&text) : "");
        o->hamlets = store_col_int(v, 4);
        buf_fini(&text);
    }
    store_finalize(v);
    return rc;
}

/* One row of MQ_EXPLAIN_SLOTS as a slot. */
static void slot_of(struct store *s, struct store_stmt *st, struct explain_slot *o)
{
    int role = model_role_parse(store_col_text(st, 1));
    const char *idn = store_col_text(st, 3);
    struct buf text = {0};
    memset(o, 0, sizeof(*o));
    o->seq = store_col_int(st, 0);
    snprintf(o->role, sizeof(o->role), "%s", store_col_text(st, 1));
    o->role_zh = role >= 0 ? model_role_zh((enum model_role)role) : "?";
    snprintf(o->need, sizeof(o->need), "%s", store_col_text(st, 2));
    skill_zh(s, o->need, &text);
    snprintf(o->need_zh, sizeof(o->need_zh), "%s", buf_cstr(&text));
    buf_fini(&text);
    snprintf(o->post_code, sizeof(o->post_code), "%s", store_col_text(st, 15));
    snprintf(o->post_title, sizeof(o->post_title), "%s", store_col_text(st, 16));
    o->filled = idn[0] != 0;
    if (o->filled) {
        idcard_mask(idn, o->id_number, sizeof(o->id_number));
        snprintf(o->name, sizeof(o->name), "%s", store_col_text(st, 4));
        snprintf(o->unit, sizeof(o->unit), "%s", store_col_text(st, 5));
        o->score = store_col_int(st, 6);
        score_of(store_col_text(st, 7), &o->sc);
        qualification(s, role, st, o->qualification, sizeof(o->qualification));
    } else {
        why_of(store_col_text(st, 8), &o->why);
    }
    o->dual = store_col_int(st, 9);
}

int explain_village(struct store *s, int64_t plan, int64_t village, bool with_info,
                    struct explain_village *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    struct plan_meta pm;
    size_t cap = 0;
    bool row = false;
    int rc;

    memset(out, 0, sizeof(*out));
    out->plan = plan;
    out->village = village;
    rc = plan_get(s, plan, &pm, err);
    if (rc == ZC_OK && with_info)
        rc = village_info(s, out, err);
    if (rc == ZC_OK)
        rc = match_prepare(s, MQ_EXPLAIN_SLOTS, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, plan);
        store_bind_int(st, 2, village);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        if (out->nslots == cap) {
            cap = cap ? cap * 2 : 8;
            out->slots = zc_reallocarray(out->slots, cap, sizeof(*out->slots));
        }
        slot_of(s, st, &out->slots[out->nslots++]);
    }
    store_finalize(st);
    if (rc == ZC_OK && out->nslots == 0)
        rc = zc_error_set(err, ZC_ENOTFOUND, "village %lld has no slot in plan %lld",
                          (long long)village, (long long)plan);
    return rc;
}

void explain_village_free(struct explain_village *v)
{
    if (!v)
        return;
    free(v->slots);
    v->slots = NULL;
    v->nslots = 0;
}
