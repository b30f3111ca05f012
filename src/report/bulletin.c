/* SPDX-License-Identifier: MIT */
/* bulletin.c - the monthly bulletin (每月一通报), from the month's records.
 *
 * The figures come from the modules that own them: the residence ledger
 * and the "两头跑" cases (field), findings, tickets, the negative list and
 * the ladder (assess), names (registry) and the audit head (auth). This
 * file only groups and words them, the way a county organisation
 * department writes its 通报: 总体情况, 驻村在岗, 督查检查, 问题整改, 负面清单
 * and 问责, 典型, 下月重点. Townships and sending units below the rule are
 * highlighted; people are named where the bulletin must name them (the
 * negative list, good examples) and never ranked by a score unless the
 * policy says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "auth/audit.h"
#include "base/mem.h"
#include "field/field.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "report/bulletin.h"
#include "store/store.h"

/* One stationed cadre of the month, as the bulletin needs them. */
struct person {
    int64_t cadre, village, township;
    char *name, *village_name, *unit;
    bool ok, listed;
    int days, required, households;
};

struct month {
    struct person *p;
    size_t n, cap;
};

static int on_presence(void *ud, const struct field_presence_row *r)
{
    struct month *m = ud;
    struct person *x;
    if (m->n && m->p[m->n - 1].cadre == r->cadre)
        return ZC_OK;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 128;
        m->p = zc_reallocarray(m->p, m->cap, sizeof(*m->p));
    }
    x = &m->p[m->n++];
    memset(x, 0, sizeof(*x));
    x->cadre = r->cadre;
    x->village = r->village;
    x->township = r->village / 1000 * 1000;
    x->name = zc_strdup(r->name);
    x->village_name = zc_strdup(r->village_name);
    x->unit = zc_strdup(r->unit_name[0] ? r->unit_name : "（未填派出单位）");
    x->ok = r->ok;
    x->days = r->days + r->trip_days;
    x->required = r->required_days;
    return ZC_OK;
}

static int by_cadre(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    return (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

static struct person *find(struct month *m, int64_t cadre)
{
    struct person key = {.cadre = cadre};
    return m->n ? bsearch(&key, m->p, m->n, sizeof(*m->p), by_cadre) : NULL;
}

static int on_work(void *ud, const struct field_work_row *w)
{
    struct person *x = find(ud, w->cadre);
    if (x)
        x->households = w->households;
    return ZC_OK;
}

static void month_fini(struct month *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->p[i].name);
        free(m->p[i].village_name);
        free(m->p[i].unit);
    }
    free(m->p);
}

static double pct(int a, int b)
{
    return b > 0 ? 100.0 * a / b : 0;
}

/* ---- presence by township and by sending unit ------------------------------------------- */

static int by_township(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    if (x->township != y->township)
        return (x->township > y->township) - (x->township < y->township);
    return (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

static int by_unit(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    int c = strcmp(x->unit, y->unit);
    return c ? c : (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

struct group {
    char name[160];
    int n, ok, days, required;
};

static void group_row(struct report_doc *d, const struct group *g)
{
    char n[16], ok[16], rate[16], avg[16];
    const char *cells[5] = {g->name, n, ok, rate, avg};
    snprintf(n, sizeof(n), "%d", g->n);
    snprintf(ok, sizeof(ok), "%d", g->ok);
    snprintf(rate, sizeof(rate), "%.1f", pct(g->ok, g->n));
    snprintf(avg, sizeof(avg), "%.1f", g->n ? (double)g->days / g->n : 0.0);
    report_table_row(d, cells, g->ok < g->n);
}

static void township_name(struct store *s, int64_t code, char *out, size_t n)
{
    struct division_row row;
    struct zc_error ignored = {0};
    char text[24];
    snprintf(text, sizeof(text), "%09lld", (long long)(code / 1000 % 1000000000));
    if (divisions_get(s, text, &row, &ignored) == ZC_OK)
        snprintf(out, n, "%s", row.name);
    else
        snprintf(out, n, "%s", text);
}

static int presence_section(struct store *s, struct report_doc *d, struct month *m)
{
    static const char *const heads[5] = {"", "驻村干部", "达标人数", "达标率(%)", "人均在村天数"};
    static const int numeric[5] = {0, 1, 1, 1, 1};
    const char *h[5];
    char **labels = NULL;
    double *values = NULL;
    size_t nl = 0, cap = 0;
    struct group g;
    memcpy(h, heads, sizeof(h));
    h[0] = "乡镇";
    report_heading(d, 1, "二、驻村在岗情况");
    report_para(d, "按驻村考勤台账 (在村天数含公差会议, 请假另计) 对照驻村天数要求统计; "
                   "红色为有干部未达标的乡镇和单位。");
    if (m->n)
        qsort(m->p, m->n, sizeof(*m->p), by_township);
    report_table_begin(d, "分乡镇驻村在岗情况", h, numeric, 5);
    for (size_t i = 0; i < m->n;) {
        size_t j = i;
        memset(&g, 0, sizeof(g));
        township_name(s, m->p[i].township, g.name, sizeof(g.name));
        for (; j < m->n && m->p[j].township == m->p[i].township; j++) {
            g.n++;
            g.ok += m->p[j].ok;
            g.days += m->p[j].days;
        }
        group_row(d, &g);
        if (nl == cap) {
            cap = cap ? cap * 2 : 32;
            labels = zc_reallocarray(labels, cap, sizeof(*labels));
            values = zc_reallocarray(values, cap, sizeof(*values));
        }
        labels[nl] = zc_strdup(g.name);
        values[nl++] = pct(g.ok, g.n);
        i = j;
    }
    report_table_end(d);
    if (nl)
        report_bar_chart(d, "各乡镇驻村天数达标率", (const char *const *)labels, values, nl, "%",
                         100);
    for (size_t i = 0; i < nl; i++)
        free(labels[i]);
    free(labels);
    free(values);

    h[0] = "派出单位";
    if (m->n)
        qsort(m->p, m->n, sizeof(*m->p), by_unit);
    report_table_begin(d, "分派出单位驻村在岗情况", h, numeric, 5);
    for (size_t i = 0; i < m->n;) {
        size_t j = i;
        memset(&g, 0, sizeof(g));
        snprintf(g.name, sizeof(g.name), "%s", m->p[i].unit);
        for (; j < m->n && strcmp(m->p[j].unit, m->p[i].unit) == 0; j++) {
            g.n++;
            g.ok += m->p[j].ok;
            g.days += m->p[j].days;
        }
        group_row(d, &g);
        i = j;
    }
    report_table_end(d);
    if (m->n)
        qsort(m->p, m->n, sizeof(*m->p), by_cadre);
    return ZC_OK;
}

/* ---- findings and tickets -------------------------------------------------------------------- */

/* Named rows a section lists in full; the rest are counted, and the whole
 * list is one command away (inspect tickets, assess negative --format xlsx). */
#define LIST_MAX 200

struct find_run {
    struct report_doc *d;
    int n;
};

static int on_finding(void *ud, const struct assess_finding_row *r)
{
    struct find_run *f = ud;
    const char *cells[7] = {r->day,
                            r->village_name,
                            r->name,
                            assess_method_name(r->method),
                            assess_rule_name(r->rule),
                            r->text,
                            assess_ticket_status_name(r->ticket_status, false)};
    if (f->d && f->n < LIST_MAX)
        report_table_row(f->d, cells, strcmp(r->ticket_status, "closed") != 0);
    f->n++;
    return ZC_OK;
}

struct ticket_count {
    int open, fixed, closed, overdue;
};

static int on_ticket(void *ud, const struct assess_ticket_row *r)
{
    struct ticket_count *t = ud;
    if (r->overdue)
        t->overdue++;
    if (strcmp(r->status, "closed") == 0)
        t->closed++;
    else if (strcmp(r->status, "fixed") == 0)
        t->fixed++;
    else
        t->open++;
    return ZC_OK;
}

/* ---- negative list and ladder -----------------------------------------------------------------
 */

struct unit_entry {
    char *unit;
    int64_t cadre;
};

struct neg_run {
    struct report_doc *d;
    struct month *m;
    int n;
    struct unit_entry *u; /* first pass: one per entry, for the table by unit */
    size_t nu, cap;
};

static int on_negative(void *ud, const struct assess_negative_row *r)
{
    struct neg_run *n = ud;
    struct person *x = find(n->m, r->cadre);
    const char *cells[5] = {r->unit_name, r->name, r->village_name,
                            assess_negative_rule_name(r->rule), r->detail};
    if (x)
        x->listed = true;
    if (n->d && n->n < LIST_MAX)
        report_table_row(n->d, cells, 0);
    n->n++;
    if (!n->d) { /* the counting pass */
        if (n->nu == n->cap) {
            n->cap = n->cap ? n->cap * 2 : 64;
            n->u = zc_reallocarray(n->u, n->cap, sizeof(*n->u));
        }
        n->u[n->nu].unit = zc_strdup(r->unit_name[0] ? r->unit_name : "（未填派出单位）");
        n->u[n->nu++].cadre = r->cadre;
    }
    return ZC_OK;
}

struct step_count {
    int proposed, confirmed, study, talk, penalty;
    const char *ym;
};

static int on_step(void *ud, const struct assess_step_row *r)
{
    struct step_count *c = ud;
    if (strcmp(r->month, c->ym) != 0 || strcmp(r->status, "withdrawn") == 0)
        return ZC_OK;
    if (strcmp(r->status, "confirmed") == 0)
        c->confirmed++;
    else
        c->proposed++;
    c->study += strcmp(r->step, "study") == 0;
    c->talk += strcmp(r->step, "talk") == 0;
    c->penalty += strcmp(r->step, "penalty") == 0;
    return ZC_OK;
}

static int by_unit_cadre(const void *a, const void *b)
{
    const struct unit_entry *x = a, *y = b;
    int c = strcmp(x->unit, y->unit);
    return c ? c : (x->cadre > y->cadre) - (x->cadre < y->cadre);
}

/* 分派出单位: entries and people on the list per sending unit. */
static void negative_by_unit(struct report_doc *d, struct neg_run *n)
{
    static const char *const heads[3] = {"派出单位", "人次", "人数"};
    static const int numeric[3] = {0, 1, 1};
    if (n->nu)
        qsort(n->u, n->nu, sizeof(*n->u), by_unit_cadre);
    report_table_begin(d, "负面清单分派出单位情况", heads, numeric, 3);
    for (size_t i = 0; i < n->nu;) {
        size_t j = i;
        int people = 0;
        char e[16], p[16];
        for (; j < n->nu && strcmp(n->u[j].unit, n->u[i].unit) == 0; j++)
            people += j == i || n->u[j].cadre != n->u[j - 1].cadre;
        snprintf(e, sizeof(e), "%zu", j - i);
        snprintf(p, sizeof(p), "%d", people);
        const char *cells[3] = {n->u[i].unit, e, p};
        report_table_row(d, cells, 0);
        i = j;
    }
    report_table_end(d);
}

static void neg_run_fini(struct neg_run *n)
{
    for (size_t i = 0; i < n->nu; i++)
        free(n->u[i].unit);
    free(n->u);
}

/* ---- good examples ------------------------------------------------------------------------------
 */

static int by_households(const void *a, const void *b)
{
    const struct person *x = a, *y = b;
    if (x->households != y->households)
        return y->households - x->households;
    return (x->village > y->village) - (x->village < y->village);
}

static void examples_section(struct report_doc *d, const struct policy *p, struct month *m)
{
    static const char *const heads[4] = {"姓名", "村", "派出单位", "本月走访农户"};
    static const int numeric[4] = {0, 0, 0, 1};
    struct person *best = zc_calloc(m->n ? m->n : 1, sizeof(*best));
    size_t nb = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->p[i].ok && !m->p[i].listed && m->p[i].households > 0)
            best[nb++] = m->p[i];
    if (nb)
        qsort(best, nb, sizeof(*best), by_households);
    if (nb > 5)
        nb = 5;
    report_heading(d, 1, "五、好的典型");
    if (!nb) {
        report_para(d, "本月暂无同时满足驻村天数达标、未列入负面清单且有入户走访记录的干部。");
        free(best);
        return;
    }
    report_para(d, p->assess.public_ranking
                       ? "以下干部驻村天数达标、未列入负面清单, 入户走访农户最多 (按走访户数排列):"
                       : "以下干部驻村天数达标、未列入负面清单, 入户走访扎实, 予以通报表扬 "
                         "(按村排列, 不作排名):");
    if (!p->assess.public_ranking) {
        for (size_t i = 1; i < nb; i++) /* by village: no order of merit */
            for (size_t j = i; j > 0 && best[j - 1].village > best[j].village; j--) {
                struct person t = best[j];
                best[j] = best[j - 1];
                best[j - 1] = t;
            }
    }
    report_table_begin(d, "本月好的典型", heads, numeric, 4);
    for (size_t i = 0; i < nb; i++) {
        char h[16];
        const char *cells[4] = {best[i].name, best[i].village_name, best[i].unit, h};
        snprintf(h, sizeof(h), "%d", best[i].households);
        report_table_row(d, cells, 0);
    }
    report_table_end(d);
    free(best);
}

/* ---- the whole bulletin
 * --------------------------------------------------------------------------- */

static void title_of(struct store *s, int64_t code, const char *ym, char *title, size_t tn,
                     char *sub, size_t sn, char *name, size_t nn)
{
    struct division_row row;
    struct zc_error ignored = {0};
    char text[24];
    int y = 0, mo = 0;
    int64_t c = code;
    int digits = 12;
    while (digits > 2 && c % 1000 == 0 && digits > 6) { /* 12 -> 9 -> 6 digits */
        c /= 1000;
        digits -= 3;
    }
    while (digits > 2 && c % 100 == 0) { /* 6 -> 4 -> 2 */
        c /= 100;
        digits -= 2;
    }
    snprintf(text, sizeof(text), "%0*lld", digits, (long long)c);
    if (code == 0 || divisions_get(s, text, &row, &ignored) != ZC_OK)
        snprintf(row.name, sizeof(row.name), "%s", code == 0 ? "全国" : text);
    snprintf(name, nn, "%s", row.name);
    sscanf(ym, "%4d-%2d", &y, &mo);
    snprintf(title, tn, "%s驻村工作通报 (%d年%d月)", row.name, y, mo);
    snprintf(sub, sn, "%s委组织部 · 据驻村考勤台账、督查记录和问题整改台账生成", row.name);
}

int report_bulletin(struct store *s, const struct policy *p, const struct zc_scope *scope,
                    int64_t scope_code, const char *ym, enum report_format fmt, const char *path,
                    struct bulletin_facts *facts, struct zc_error *err)
{
    static const char *const fheads[7] = {"日期", "村", "干部", "方式", "问题类别", "问题", "整改"};
    static const char *const nheads[5] = {"派出单位", "姓名", "村", "事项", "情况"};
    static const int none[7] = {0};
    struct month m = {0};
    struct ticket_count tk = {0};
    struct step_count st = {.ym = ym};
    struct audit_verify_result av;
    struct report_doc *d;
    struct find_run fr;
    struct neg_run nr, n0 = {0};
    char title[256], sub[256], name[128], para[1400];
    int inspections = 0, ivillages = 0, rc;

    memset(facts, 0, sizeof(*facts));
    if (scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "a cadre account cannot make the bulletin");
    rc = field_presence(s, p, scope, ym, 0, on_presence, &m, err);
    if (rc == ZC_OK && m.n)
        qsort(m.p, m.n, sizeof(*m.p), by_cadre);
    if (rc == ZC_OK)
        rc = field_month_work(s, scope, ym, on_work, &m, err);
    if (rc == ZC_OK)
        rc = assess_ticket_list(s, scope, NULL, on_ticket, &tk, err);
    if (rc == ZC_OK)
        rc = assess_ladder_list(s, scope, NULL, on_step, &st, err);
    if (rc == ZC_OK)
        rc = audit_verify(s, &av, err);
    if (rc != ZC_OK) {
        month_fini(&m);
        return rc;
    }
    title_of(s, scope_code, ym, title, sizeof(title), sub, sizeof(sub), name, sizeof(name));
    d = report_doc_new(title, sub);
    for (size_t i = 0; i < m.n; i++) {
        facts->cadres++;
        facts->ok += m.p[i].ok;
    }

    /* 一、总体情况. Findings and the negative list are read twice: once to count for
     * the summary (no document: d is NULL), once into their tables; cheap next to
     * the ledger. */
    {
        struct find_run f0 = {NULL, 0};
        rc = assess_finding_list(s, scope, ym, &inspections, &ivillages, on_finding, &f0, err);
        n0.m = &m; /* d stays NULL: count, mark who is listed, collect the units */
        if (rc == ZC_OK)
            rc = assess_negative_list(s, scope, ym, on_negative, &n0, err);
        facts->findings = f0.n;
        facts->negative = n0.n;
    }
    facts->inspections = inspections;
    facts->tickets_open = tk.open + tk.fixed;
    facts->tickets_overdue = tk.overdue;
    report_heading(d, 1, "一、总体情况");
    snprintf(para, sizeof(para),
             "%s本月在岗驻村干部 %d 名, 驻村天数达标 %d 名, 达标率 %.1f%%; 未达标 %d 名。"
             "本月开展督查 %d 次, 覆盖 %d 个村, 发现问题 %d 个; 整改台账中整改中 %d 项、待复核 %d "
             "项、已销号 %d 项, 逾期未整改 %d 项。列入本月负面清单 %d 人次; 本月问责措施 %d 项 "
             "(进班学习 "
             "%d, 约谈 %d, 处理 %d), 其中已确认 %d 项、待确认或申诉中 %d 项。",
             name, facts->cadres, facts->ok, pct(facts->ok, facts->cadres),
             facts->cadres - facts->ok, inspections, ivillages, facts->findings, tk.open, tk.fixed,
             tk.closed, tk.overdue, facts->negative, st.proposed + st.confirmed, st.study, st.talk,
             st.penalty, st.confirmed, st.proposed);
    report_para(d, para);
    if (rc == ZC_OK)
        rc = presence_section(s, d, &m);

    report_heading(d, 1, "三、督查检查情况");
    fr = (struct find_run){d, 0};
    if (rc == ZC_OK) {
        if (facts->findings == 0)
            report_para(d, "本月督查未发现问题。");
        else {
            report_table_begin(d, "本月督查发现问题及整改情况", fheads, none, 7);
            rc = assess_finding_list(s, scope, ym, &inspections, &ivillages, on_finding, &fr, err);
            report_table_end(d);
            if (fr.n > LIST_MAX) {
                snprintf(para, sizeof(para),
                         "以上列出前 %d 条, 另有 %d 条; 全部问题见问题整改台账 (zhucun inspect "
                         "tickets --format xlsx)。",
                         LIST_MAX, fr.n - LIST_MAX);
                report_para(d, para);
            }
        }
    }
    report_heading(d, 1, "四、负面清单和问责");
    report_para(d,
                "负面清单按驻村天数、两头跑线索、工作日志和入户走访、整改逾期和督查发现逐月生成, "
                "经本人申诉和县委组织部核实后按“先学习班、再约谈、后处理”逐级问责。");
    nr = (struct neg_run){.d = d, .m = &m};
    if (rc == ZC_OK) {
        if (facts->negative == 0)
            report_para(d, "本月无人列入负面清单。");
        else {
            negative_by_unit(d, &n0);
            report_table_begin(d, "本月负面清单", nheads, none, 5);
            rc = assess_negative_list(s, scope, ym, on_negative, &nr, err);
            report_table_end(d);
            if (nr.n > LIST_MAX) {
                snprintf(para, sizeof(para),
                         "以上列出前 %d 人次, 另有 %d 人次; 完整名单见 zhucun assess negative "
                         "--format xlsx。",
                         LIST_MAX, nr.n - LIST_MAX);
                report_para(d, para);
            }
        }
    }
    if (rc == ZC_OK)
        examples_section(d, p, &m);

    report_heading(d, 1, "六、下月工作重点");
    snprintf(para, sizeof(para),
             "1. 对本月驻村天数未达标的 %d 名干部和负面清单所列人员跟踪督查, 逐人见底。"
             "2. 逾期未整改的 %d 项问题限期整改到位, 复核后销号。"
             "3. 下月按 %d%% 比例 (不少于 %d 名) 随机抽取驻村干部明察暗访, 两头跑线索多、"
             "问题多的优先。4. 工作日志和入户走访记录在手机上随手记, 不得要求重复填报。",
             facts->cadres - facts->ok, tk.overdue, p->assess.sample_percent, p->assess.sample_min);
    report_para(d, para);
    if (av.bad_seq == 0)
        snprintf(para, sizeof(para),
                 "审计记录: 共 %lld 条, 链完整; 最新一条序号 %lld, 摘要 %s。请留存此摘要, "
                 "可用 zhucun audit verify --expect-head 核对记录未被改写。",
                 (long long)av.entries, (long long)av.head_seq, av.head);
    else
        snprintf(para, sizeof(para), "审计记录: 第 %lld 条起不完整 (%s), 请立即核查。",
                 (long long)av.bad_seq, av.problem);
    report_para(d, para);
    if (rc == ZC_OK)
        rc = report_write(d, fmt, path, err);
    facts->rows = (int)m.n + fr.n + nr.n;
    report_doc_free(d);
    month_fini(&m);
    neg_run_fini(&n0);
    return rc;
}
