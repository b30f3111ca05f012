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
 * pair, down to the reduced cost of the arc when the pair was a candidate. */
#include "match/explain.h"
#include "match/plan.h"
#include "model_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/idcard.h"
#include "base/mem.h"
#include "store/store.h"

/* ---- the text form speaks Chinese, as the office reads it ------------- */

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

/* "department=30;distance=-3" -> "单位类别对口 +30；距离 -3" */
static void breakdown_zh(const char *s, struct buf *out)
{
    buf_reset(out);
    while (*s) {
        const char *end = strchr(s, ';'), *eq = strchr(s, '=');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (out->len)
            buf_puts(out, "；");
        if (eq && eq < s + n) {
            const char *zh = term_zh(s, (size_t)(eq - s));
            long v = strtol(eq + 1, NULL, 10);
            if (zh)
                buf_puts(out, zh);
            else
                buf_append(out, s, (size_t)(eq - s));
            buf_printf(out, " %s%ld", v > 0 ? "+" : "", v);
        } else {
            buf_append(out, s, n);
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
    if (store_prepare(s, "SELECT name_zh FROM skill WHERE code = ?", &st, &ignored) != ZC_OK) {
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

static void print_terms(FILE *out, const char *breakdown)
{
    const char *p = breakdown;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        fprintf(out, "    %.*s\n", (int)n, p);
        p += n;
        if (*p == ';')
            p++;
    }
}

static int date_of(const char *s, struct eligible_date *d)
{
    return sscanf(s, "%4d-%2d-%2d", &d->y, &d->m, &d->d) == 3 ? ZC_OK : ZC_EINVAL;
}

int explain_cadre(struct store *s, int64_t plan, const char *id_number, int64_t why_not, bool json,
                  FILE *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    struct plan_meta pm;
    struct policy pol;
    char idn[IDCARD_LEN + 1], name[64] = "", unit[32] = "", masked[32];
    int64_t cadre = 0, village = 0;
    bool row = false, assigned = false;
    json_t *j = json ? json_object() : NULL;
    int rc;

    if (idcard_normalize(id_number, strlen(id_number), idn, NULL) != ZC_OK)
        snprintf(idn, sizeof(idn), "%s", id_number);
    rc = plan_get(s, plan, &pm, err);
    if (rc == ZC_OK)
        rc = load_policy(s, plan, &pol, err);
    if (rc == ZC_OK)
        rc = store_prepare(s, "SELECT id, name, unit FROM cadre WHERE id_number = ?", &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, idn);
        rc = store_step(st, &row, err);
        if (rc == ZC_OK && !row)
            rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre with ID number %s", id_number);
        if (rc == ZC_OK) {
            cadre = store_col_int(st, 0);
            snprintf(name, sizeof(name), "%s", store_col_text(st, 1));
            snprintf(unit, sizeof(unit), "%s", store_col_text(st, 2));
        }
        store_finalize(st);
        st = NULL;
    }
    if (rc != ZC_OK) {
        json_decref(j);
        return rc;
    }
    idcard_mask(idn, masked, sizeof(masked));
    if (j) {
        json_object_set_new(j, "plan", json_integer(plan));
        json_object_set_new(j, "id_number", json_string(masked));
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(j, "unit", json_string(unit));
    } else {
        fprintf(out, "plan %lld, cadre %s %s (%s)\n", (long long)plan, masked, name, unit);
    }

    /* Assigned in this plan? */
    rc = store_prepare(s,
                       "SELECT ps.village, coalesce(d.name, ''), ps.seq, ps.role,"
                       " coalesce(ps.need, ''), ps.score, coalesce(ps.breakdown, ''), ps.dual,"
                       " ps.state FROM plan_slot ps LEFT JOIN division d ON d.code = ps.village"
                       " WHERE ps.plan = ? AND ps.cadre = ?",
                       &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, plan);
        store_bind_int(st, 2, cadre);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row) {
        int role = model_role_parse(store_col_text(st, 3));
        assigned = true;
        village = store_col_int(st, 0);
        if (j) {
            json_object_set_new(j, "assigned", json_true());
            json_object_set_new(j, "village", json_integer(village));
            json_object_set_new(j, "village_name", json_string(store_col_text(st, 1)));
            json_object_set_new(j, "role", json_string(store_col_text(st, 3)));
            json_object_set_new(j, "score", json_integer(store_col_int(st, 5)));
            json_object_set_new(j, "breakdown", json_string(store_col_text(st, 6)));
            json_object_set_new(j, "dual", json_integer(store_col_int(st, 7)));
        } else if (!why_not) {
            fprintf(out, "assigned: %lld %s, slot %lld, %s (%s)%s%s\n", (long long)village,
                    store_col_text(st, 1), (long long)store_col_int(st, 2),
                    role >= 0 ? model_role_zh((enum model_role)role) : "?", store_col_text(st, 3),
                    store_col_text(st, 4)[0] ? ", need " : "", store_col_text(st, 4));
            fprintf(out, "score %lld, by rule:\n", (long long)store_col_int(st, 5));
            print_terms(out, store_col_text(st, 6));
            fprintf(out, "slot price (dual) %lld: what one more qualified cadre here is worth\n",
                    (long long)store_col_int(st, 7));
        }
    }
    store_finalize(st);
    st = NULL;

    if (rc == ZC_OK && !assigned && !why_not) {
        /* Not sent: the stored reason, or eligibility. */
        rc = store_prepare(s,
                           "SELECT reason, coalesce(detail, '') FROM plan_cadre WHERE plan = ?"
                           " AND cadre = ?",
                           &st, err);
        if (rc == ZC_OK) {
            store_bind_int(st, 1, plan);
            store_bind_int(st, 2, cadre);
            rc = store_step(st, &row, err);
        }
        if (rc == ZC_OK && row) {
            const char *code = store_col_text(st, 0);
            if (j) {
                json_object_set_new(j, "assigned", json_false());
                json_object_set_new(j, "reason", json_string(code));
                json_object_set_new(j, "zh", json_string(why_zh_of(code)));
                json_object_set_new(j, "en", json_string(why_en(code)));
            } else {
                fprintf(out, "not sent: %s (%s): %s [%s]\n", why_zh_of(code), code, why_en(code),
                        store_col_text(st, 1));
            }
        } else if (rc == ZC_OK) {
            struct eligible_scan_opts so = {.unit = unit};
            struct find_one f = {.id = cadre};
            date_of(pm.created_at, &so.today);
            rc = eligible_scan(s, &pol, &so, find_cb, &f, err);
            if (j)
                json_object_set_new(j, "assigned", json_false());
            if (rc == ZC_OK && f.found && !f.ok) {
                json_t *arr = json_array();
                if (!j)
                    fprintf(out, "not eligible (审核未通过):\n");
                for (size_t k = 0; k < f.res.nreasons; k++) {
                    char zh[160], en[160];
                    eligible_reason_text(&f.res.reasons[k], true, zh, sizeof(zh));
                    eligible_reason_text(&f.res.reasons[k], false, en, sizeof(en));
                    if (!j)
                        fprintf(out, "  %s (%s) / %s\n", zh,
                                eligible_code_name(f.res.reasons[k].code), en);
                    json_array_append_new(arr,
                                          json_string(eligible_code_name(f.res.reasons[k].code)));
                }
                if (j) {
                    json_object_set_new(j, "reason", json_string("not_eligible"));
                    json_object_set_new(j, "eligibility", arr);
                } else {
                    json_decref(arr);
                }
            } else if (rc == ZC_OK) {
                if (j)
                    json_object_set_new(j, "reason", json_string("out_of_scope"));
                else
                    fprintf(out, "not in the plan: the cadre's unit cannot send anyone into the "
                                 "plan's scope (or the ledger changed since the plan)\n");
            }
        }
        store_finalize(st);
        st = NULL;
    }

    if (rc == ZC_OK && why_not) {
        char text[1024];
        if (assigned && village == why_not) {
            snprintf(text, sizeof(text), "已派往该村 / assigned there");
        } else {
            struct model_options mo = {.policy = &pol, .scope = pm.scope};
            struct model *m = NULL;
            struct zc_error e2 = {0};
            /* Re-evaluate on today's ledger: the plan's own postings would
             * otherwise make its cadres ineligible. */
            pol.elig.not_serving = false;
            date_of(pm.created_at, &mo.today);
            rc = model_build(s, &mo, &m, err);
            if (rc == ZC_OK)
                rc = model_solve(m, err);
            if (rc == ZC_OK && model_why_not(m, cadre, why_not, text, sizeof(text), &e2) != ZC_OK) {
                struct eligible_scan_opts so = {.unit = unit, .today = mo.today};
                struct find_one f = {.id = cadre};
                rc = eligible_scan(s, &pol, &so, find_cb, &f, err);
                if (f.found && !f.ok) {
                    char zh[160];
                    eligible_reason_text(&f.res.reasons[0], true, zh, sizeof(zh));
                    snprintf(text, sizeof(text), "不符合选派条件: %s (%s) / not eligible", zh,
                             eligible_code_name(f.res.reasons[0].code));
                } else {
                    snprintf(
                        text, sizeof(text),
                        "单位无法向该范围选派 / the cadre's unit cannot reach the plan's scope");
                }
            }
            if (assigned && rc == ZC_OK) {
                size_t n = strlen(text);
                snprintf(text + n, sizeof(text) - n,
                         "; 本方案中派往 %lld / assigned to %lld in "
                         "this plan",
                         (long long)village, (long long)village);
            }
            model_free(m);
        }
        if (rc == ZC_OK) {
            if (j) {
                json_object_set_new(j, "why_not", json_integer(why_not));
                json_object_set_new(j, "answer", json_string(text));
            } else {
                fprintf(out, "why not %lld: %s\n", (long long)why_not, text);
            }
        }
    }
    if (j) {
        if (rc == ZC_OK) {
            char *t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fprintf(out, "%s\n", t ? t : "{}");
            free(t);
        }
        json_decref(j);
    }
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
    } else if (role == MR_STABILITY) {
        struct buf sk = {0};
        skill_zh(s, store_col_text(st, 14), &sk);
        snprintf(out, outsz, "; 维稳资质: %s单位%s%s", cat[0] ? cat : "—", sk.len ? ", 技能 " : "",
                 sk.len ? buf_cstr(&sk) : "");
        buf_fini(&sk);
    }
    return out;
}

int explain_village(struct store *s, int64_t plan, int64_t village, bool json, FILE *out,
                    struct zc_error *err)
{
    static const char sql[] =
        "SELECT ps.seq, ps.role, coalesce(ps.need, ''), coalesce(c.id_number, ''),"
        " coalesce(c.name, ''), coalesce(c.unit, ''), ps.score, coalesce(ps.breakdown, ''),"
        " coalesce(ps.reason, ''), coalesce(ps.dual, 0), ps.state, coalesce(c.party_member, 0),"
        " coalesce(c.rank, ''), coalesce(u.category, ''), coalesce(c.skills, '')"
        " FROM plan_slot ps LEFT JOIN cadre c ON c.id = ps.cadre"
        " LEFT JOIN unit u ON u.code = c.unit"
        " WHERE ps.plan = ? AND ps.village = ? ORDER BY ps.seq";
    struct store_stmt *st = NULL;
    struct plan_meta pm;
    json_t *j = json ? json_object() : NULL, *arr = json ? json_array() : NULL;
    struct buf text = {0};
    bool row = false;
    int64_t n = 0;
    int rc = plan_get(s, plan, &pm, err);

    if (rc == ZC_OK && !j) {
        struct store_stmt *v = NULL;
        rc = store_prepare(s,
                           "SELECT coalesce(d.name, ''), coalesce(v.poverty, ''),"
                           " coalesce(v.states, 0), coalesce(v.needs, ''), coalesce(v.hamlets, 0)"
                           " FROM division d LEFT JOIN village v ON v.code = d.code"
                           " WHERE d.code = ?",
                           &v, err);
        if (rc == ZC_OK) {
            store_bind_int(v, 1, village);
            rc = store_step(v, &row, err);
        }
        if (rc == ZC_OK && row) {
            static const char *const classes[][2] = {
                {"deep", "深度贫困村"}, {"poor", "贫困村"}, {"none", "非贫困村"}};
            const char *cls = store_col_text(v, 1);
            char states[16];
            for (size_t i = 0; i < 3; i++)
                if (strcmp(cls, classes[i][0]) == 0)
                    cls = classes[i][1];
            skill_zh(s, store_col_text(v, 3), &text);
            fprintf(out, "方案 %lld · %s (%lld): %s, 村情 %s, 需求 %s, 自然屯 %lld\n",
                    (long long)plan, store_col_text(v, 0), (long long)village, cls,
                    states_zh(store_col_int(v, 2), states), text.len ? buf_cstr(&text) : "—",
                    (long long)store_col_int(v, 4));
        }
        store_finalize(v);
    }
    if (rc == ZC_OK)
        rc = store_prepare(s, sql, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, plan);
        store_bind_int(st, 2, village);
    }
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        int role = model_role_parse(store_col_text(st, 1));
        const char *idn = store_col_text(st, 3);
        char masked[32] = "";
        if (idn[0])
            idcard_mask(idn, masked, sizeof(masked));
        n++;
        if (j) {
            json_t *o = json_object();
            json_object_set_new(o, "seq", json_integer(store_col_int(st, 0)));
            json_object_set_new(o, "role", json_string(store_col_text(st, 1)));
            json_object_set_new(o, "need", json_string(store_col_text(st, 2)));
            json_object_set_new(o, "filled", json_boolean(idn[0] != 0));
            if (idn[0]) {
                json_object_set_new(o, "id_number", json_string(masked));
                json_object_set_new(o, "name", json_string(store_col_text(st, 4)));
                json_object_set_new(o, "score", json_integer(store_col_int(st, 6)));
                json_object_set_new(o, "breakdown", json_string(store_col_text(st, 7)));
                {
                    char q[160];
                    const char *qs = qualification(s, role, st, q, sizeof(q));
                    if (qs[0])
                        json_object_set_new(o, "qualification", json_string(qs + 1));
                }
            } else {
                json_object_set_new(o, "reason", json_string(store_col_text(st, 8)));
                json_object_set_new(o, "en", json_string(why_en(store_col_text(st, 8))));
            }
            json_object_set_new(o, "dual", json_integer(store_col_int(st, 9)));
            json_array_append_new(arr, o);
            continue;
        }
        skill_zh(s, store_col_text(st, 2), &text);
        fprintf(out, "  %lld %s%s%s%s: ", (long long)store_col_int(st, 0),
                role >= 0 ? model_role_zh((enum model_role)role) : "?", text.len ? "（" : "",
                buf_cstr(&text), text.len ? "）" : "");
        if (idn[0]) {
            char q[160];
            breakdown_zh(store_col_text(st, 7), &text);
            fprintf(out, "%s %s (%s), 匹配分 %lld: %s%s\n", masked, store_col_text(st, 4),
                    store_col_text(st, 5), (long long)store_col_int(st, 6), buf_cstr(&text),
                    qualification(s, role, st, q, sizeof(q)));
        } else
            fprintf(out, "unfilled - %s (%s): %s; slot price %lld\n",
                    why_zh_of(store_col_text(st, 8)), store_col_text(st, 8),
                    why_en(store_col_text(st, 8)), (long long)store_col_int(st, 9));
    }
    store_finalize(st);
    if (rc == ZC_OK && n == 0)
        rc = zc_error_set(err, ZC_ENOTFOUND, "village %lld has no slot in plan %lld",
                          (long long)village, (long long)plan);
    if (j) {
        if (rc == ZC_OK) {
            char *t;
            json_object_set_new(j, "plan", json_integer(plan));
            json_object_set_new(j, "village", json_integer(village));
            json_object_set_new(j, "slots", arr);
            arr = NULL;
            t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fprintf(out, "%s\n", t ? t : "{}");
            free(t);
        }
        json_decref(arr);
        json_decref(j);
    }
    buf_fini(&text);
    return rc;
}
