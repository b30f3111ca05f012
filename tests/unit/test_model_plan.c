/* SPDX-License-Identifier: MIT */
/* test_model_plan.c - the dispatch model against brute force, and the plan's
 * life: on tiny random ledgers (six cadres, two couples, draw caps that
 * bind) every assignment of the candidate graph that keeps the hard rules
 * is enumerated, and the model's optimum must equal the best of them (or,
 * where a couple spans two capped units and the model is conservative, be
 * no better); then a plan is stored, explained, published, a cadre recalled
 * and the vacancy refilled without moving anyone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "match/explain.h"
#include "match/model_int.h"
#include "match/plan.h"
#include "store/store.h"
#include "test.h"

static uint64_t rng;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng >> 33) % n;
}

/* Two counties of city 4501, two villages each, three units with a few
 * staff each (so that a 34% cap is 1 or 2), six cadres, cadres 1+2 and 3+4
 * married. */
static struct store *tiny_ledger(const char *name, unsigned seed)
{
    static const char *const ranks[] = {"科员", "副科", "正科"};
    static const char *const pov[] = {"poor", "deep"};
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    struct buf sql = {0};

    rng = seed * 2654435761u + 17;
    snprintf(path, sizeof(path), "%s/%s.db", zt_tmpdir(), name);
    unlink(path);
    if (store_open(path, STORE_CREATE, &s, &err) != ZC_OK)
        return NULL;
    buf_puts(&sql, "BEGIN;INSERT INTO division VALUES (450000000000, '广西', 1, NULL),"
                   "(450100000000, '南宁', 2, 450000000000);");
    for (int c = 1; c <= 2; c++) {
        buf_printf(&sql,
                   "INSERT INTO division VALUES (4501%02d000000, '县%d', 3, 450100000000);"
                   "INSERT INTO division VALUES (4501%02d100000, '镇%d', 4, 4501%02d000000);",
                   c, c, c, c, c);
        for (int v = 1; v <= 2; v++)
            buf_printf(
                &sql,
                "INSERT INTO division VALUES (4501%02d100%03d, '村%d-%d', 5, 4501%02d100000);"
                "INSERT INTO village(code, poverty, states, hamlets, needs) VALUES"
                " (4501%02d100%03d, '%s', %u, 5, '%s');",
                c, 200 + v, c, v, c, c, 200 + v, pov[rnd(2)], rnd(16), rnd(3) ? "" : "farming");
    }
    buf_printf(&sql,
               "INSERT INTO unit(code, name, level, category, division, staff) VALUES"
               " ('U1', '单位1', 'city', '党群', 450100000000, %u),"
               " ('U2', '单位2', 'city', '经济', 450100000000, %u),"
               " ('U3', '单位3', 'county', '政法', 450101000000, %u);",
               3 + rnd(4), 3 + rnd(4), 3 + rnd(4));
    for (int i = 1, unit[7] = {0}; i <= 6; i++) {
        int sp = i <= 4 ? (i % 2 ? i + 1 : i - 1) : 0;
        char spouse[16] = "NULL";
        /* Couple 1+2 always in one unit, 3+4 in one on even seeds: the
         * exact cases; 3+4 across units on odd seeds. */
        unit[i] = (i == 2 || (i == 4 && seed % 2 == 0)) ? unit[i - 1] : 1 + (int)rnd(3);
        if (sp)
            snprintf(spouse, sizeof(spouse), "'ID%06d'", sp);
        buf_printf(&sql,
                   "INSERT INTO cadre(id, id_number, name, unit, rank, party_member, on_staff,"
                   " skills, rural_years, service_years, hometown, volunteer, gender, birth_date,"
                   " spouse) VALUES (%d, 'ID%06d', '干部%d', 'U%u', '%s', %u, 1, '%s', %u, 10,"
                   " %s, %u, '男', '1980-01-01', %s);",
                   i, i, i, (unsigned)unit[i], ranks[rnd(3)], rnd(4) != 0, rnd(3) ? "" : "farming",
                   rnd(6), rnd(4) ? "NULL" : "450102000000", rnd(2), spouse);
    }
    buf_puts(&sql, "COMMIT;");
    if (store_exec(s, buf_cstr(&sql), &err) != ZC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        store_close(s);
        s = NULL;
    }
    buf_fini(&sql);
    return s;
}

static void tiny_policy(struct policy *p)
{
    policy_defaults(p);
    p->caps.max_unit_share_percent = 34;
    p->elig.spouses_apart = true;
    p->team.size[PV_NONE] = 0;
    p->team.size[PV_POOR] = 2;
    p->team.size[PV_DEEP] = 3;
    p->team.stability_classes = 0;
}

static struct eligible_date today = {2026, 11, 22};

/* Brute force over the model's own candidate graph: every cadre in the
 * network takes one of its arcs or none; columns take at most their width;
 * units send at most their cap; spouses are never both sent. */
struct brute {
    const struct model *m;
    int *col_used, *unit_sent;
    bool *sent;         /* per cadre, on the current path */
    int64_t best, gain; /* best: max gain; gain: priority + score of the arcs taken */
};

static void brute_go(struct brute *b, int32_t c)
{
    const struct model *m = b->m;
    const struct mcadre *cd;
    if (c == m->ncad) {
        if (b->gain > b->best)
            b->best = b->gain;
        return;
    }
    brute_go(b, c + 1); /* not sent */
    cd = &m->cad[c];
    if (cd->node < 0)
        return;
    if (m->unit[cd->unit].cap != 0x7fffffff && b->unit_sent[cd->unit] >= m->unit[cd->unit].cap)
        return;
    if (cd->spouse >= 0 && cd->spouse < c && b->sent[cd->spouse])
        return;
    for (int64_t a = cd->arc_begin; a < cd->arc_end; a++) {
        int32_t s = m->arc_slot[a];
        if (b->col_used[s] >= m->slot[s].width)
            continue;
        b->col_used[s]++;
        b->unit_sent[cd->unit]++;
        b->gain += m->slot[s].priority + m->arc_score[a];
        b->sent[c] = true;
        brute_go(b, c + 1);
        b->sent[c] = false;
        b->gain -= m->slot[s].priority + m->arc_score[a];
        b->unit_sent[cd->unit]--;
        b->col_used[s]--;
    }
}

/* Is the model exact here? A couple across two units of which one or both
 * have a binding cap (a stay-home column) makes it conservative: the spouse
 * who stays for the couple does not also count as staying for the unit. */
static bool model_exact(const struct model *m)
{
    for (int32_t c = 0; c < m->ncad; c++) {
        const struct mcadre *a = &m->cad[c], *b;
        if (a->flags & MC_SPOUSE_OUT)
            return false;
        if (a->spouse < 0 || a->node < 0)
            continue;
        b = &m->cad[a->spouse];
        if (b->node >= 0 && a->unit != b->unit &&
            (m->unit[a->unit].group >= 0 || m->unit[b->unit].group >= 0))
            return false;
    }
    return true;
}

TEST(model_optimum_equals_brute_force_on_tiny_ledgers)
{
    int exact = 0, binding = 0, n = zt_rounds(60);
    for (unsigned seed = 1; seed <= (unsigned)n; seed++) {
        struct policy p;
        struct store *s = tiny_ledger("model_brute", seed);
        struct model_options mo = {.policy = &p,
                                   .today = today,
                                   .k_villages = 1 + (int)(seed % 2),
                                   .m_per_village = 1 + (int)(seed % 3 == 0),
                                   .rounds = 1 + (int)(seed % 2)};
        struct model *m = NULL;
        struct zc_error err = {0};
        struct brute b = {0};
        int64_t all = 0;
        int rc;
        CHECK(s != NULL);
        tiny_policy(&p);
        CHECK_INT_EQ(model_build(s, &mo, &m, &err), ZC_OK);
        rc = model_solve(m, &err);
        CHECK_MSG(rc == ZC_OK, "seed %u: %s", seed, err.msg);
        rc = model_check(m, &err);
        CHECK_MSG(rc == ZC_OK, "seed %u: %s", seed, err.msg);
        b.m = m;
        b.sent = zc_calloc((size_t)m->ncad + 1, sizeof(bool));
        b.col_used = zc_calloc((size_t)m->nslots + 1, sizeof(int));
        b.unit_sent = zc_calloc((size_t)m->nunits + 1, sizeof(int));
        b.best = INT64_MIN;
        brute_go(&b, 0);
        for (int32_t sl = 0; sl < m->nslots; sl++)
            all += m->slot[sl].priority;
        if (model_exact(m)) {
            exact++;
            for (int32_t u = 0; u < m->nunits; u++)
                if (m->unit[u].group >= 0) {
                    binding++;
                    break;
                }
            CHECK_MSG(mcf_objective(m->net) == all - b.best, "seed %u: model %lld, brute %lld",
                      seed, (long long)mcf_objective(m->net), (long long)(all - b.best));
        } else {
            CHECK_MSG(mcf_objective(m->net) >= all - b.best, "seed %u: model %lld beats %lld", seed,
                      (long long)mcf_objective(m->net), (long long)(all - b.best));
        }
        free(b.sent);
        free(b.col_used);
        free(b.unit_sent);
        model_free(m);
        store_close(s);
    }
    CHECK_MSG(exact * 3 >= n, "only %d of %d ledgers exercised the exact case", exact, n);
    CHECK_MSG(binding * 12 >= n, "only %d exact cases with a binding cap", binding);
}

static int64_t q_int(struct store *s, const char *sql)
{
    int64_t v = -1;
    struct zc_error err = {0};
    store_query_int(s, sql, &v, &err);
    return v;
}

/* Store, explain, publish, recall, refill. */
TEST(plan_explain_publish_recall_refill)
{
    struct policy p;
    struct store *s = tiny_ledger("plan_life", 7);
    struct model_options mo = {.policy = &p, .today = today};
    struct model *m = NULL;
    struct model_summary sum;
    struct plan_meta pm;
    struct zc_error err = {0};
    char idn[32] = "", idle[32] = "";
    int64_t id = 0, village = 0, sent_id = 0;
    bool vacancy = false;
    struct explain_cadre *ec;
    struct explain_village ev;

    CHECK(s != NULL);
    tiny_policy(&p);
    p.caps.max_unit_share_percent = 100;
    CHECK_INT_EQ(model_build(s, &mo, &m, &err), ZC_OK);
    CHECK_INT_EQ(model_solve(m, &err), ZC_OK);
    model_summary_get(m, &sum);
    CHECK(sum.filled > 0);
    CHECK_INT_EQ(plan_save(s, m, "{}", &mo, &id, &err), ZC_OK);
    CHECK_INT_EQ(plan_get(s, id, &pm, &err), ZC_OK);
    CHECK_STR_EQ(pm.status, "draft");
    CHECK_INT_EQ(pm.slots, sum.slots);
    CHECK_INT_EQ(pm.filled, sum.filled);
    /* Every slot is stored, filled ones without a reason, open ones with one. */
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM plan_slot"), sum.slots);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM plan_slot WHERE cadre IS NOT NULL AND reason IS "
                          "NOT NULL"),
                 0);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM plan_slot WHERE cadre IS NULL AND reason IS NULL"),
                 0);
    for (int64_t i = 0; i < model_cadre_count(m); i++) {
        struct model_cadre_info ci;
        model_cadre_get(m, i, &ci);
        if (ci.slot >= 0 && !idn[0]) {
            snprintf(idn, sizeof(idn), "ID%06lld", (long long)ci.id);
            sent_id = ci.id;
        } else if (ci.slot < 0 && !idle[0]) {
            snprintf(idle, sizeof(idle), "ID%06lld", (long long)ci.id);
        }
    }
    CHECK(idn[0]);
    model_free(m);
    m = NULL;

    /* explain: the assignment by rule; the village's slots; a cadre not sent. */
    ec = zc_malloc(sizeof(*ec));
    CHECK_INT_EQ(explain_cadre(s, id, idn, 0, ec, &err), ZC_OK);
    CHECK(ec->assigned);
    CHECK(ec->village > 0 && ec->seq >= 1);
    CHECK(ec->sc.nterms > 0 && ec->sc.breakdown[0]);
    CHECK_STR_EQ(ec->role_zh, model_role_zh((enum model_role)model_role_parse(ec->role)));
    if (idle[0]) {
        CHECK_INT_EQ(explain_cadre(s, id, idle, 0, ec, &err), ZC_OK);
        CHECK(!ec->assigned);
        CHECK_INT_EQ(ec->outcome, EX_NOT_SENT);
        CHECK(ec->why.code[0] && ec->why.zh && ec->why.en);
    }
    village = q_int(s, "SELECT min(village) FROM plan_slot");
    CHECK_INT_EQ(explain_village(s, id, village, true, &ev, &err), ZC_OK);
    CHECK(ev.has_info && ev.nslots > 0);
    CHECK_STR_EQ(ev.slots[0].role_zh, "第一书记");
    explain_village_free(&ev);
    CHECK_INT_EQ(explain_village(s, id, 450999999999, false, &ev, &err), ZC_ENOTFOUND);
    explain_village_free(&ev);
    CHECK_INT_EQ(explain_cadre(s, id, "ID999999", 0, ec, &err), ZC_ENOTFOUND);
    free(ec);

    /* publish: an order number, a posting per filled slot; never twice. */
    CHECK_INT_EQ(plan_publish(s, id, 4, "2026-12-01", &pm, &err), ZC_EINVAL);
    CHECK_INT_EQ(plan_publish(s, id, 2, "2026-12-01", &pm, &err), ZC_OK);
    CHECK_STR_EQ(pm.status, "published");
    CHECK_STR_EQ(pm.order_no, "ZC-2026-0001");
    CHECK_INT_EQ(pm.term_years, 2);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM posting WHERE end_date IS NULL"), sum.filled);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM plan_slot WHERE state = 'serving'"), sum.filled);
    CHECK_INT_EQ(plan_publish(s, id, 2, "2026-12-01", &pm, &err), ZC_ECONFLICT);

    /* recall: the posting ends, the slot is vacant, recorded. */
    CHECK_INT_EQ(plan_recall(s, idn, "健康原因", "2027-03-01", &village, &vacancy, &err), ZC_OK);
    CHECK(vacancy);
    CHECK(village > 0);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM plan_slot WHERE state = 'vacant' AND reason ="
                          " 'recalled'"),
                 1);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM recall"), 1);
    CHECK_INT_EQ(q_int(s, "SELECT count(*) FROM posting WHERE end_date = '2027-03-01'"), 1);
    CHECK_INT_EQ(plan_recall(s, idn, "again", "2027-03-02", &village, &vacancy, &err),
                 ZC_ENOTFOUND);

    /* refill: the vacancies only; nobody serving moves; the recalled cadre
     * is not sent straight back. */
    mo.refill = true;
    mo.today = (struct eligible_date){2027, 3, 2};
    CHECK_INT_EQ(model_build(s, &mo, &m, &err), ZC_OK);
    CHECK_INT_EQ(model_solve(m, &err), ZC_OK);
    CHECK_INT_EQ(model_check(m, &err), ZC_OK);
    model_summary_get(m, &sum);
    CHECK_INT_EQ(sum.moves, 0);
    CHECK(sum.slots >= 1);
    for (int64_t i = 0; i < model_slot_count(m); i++) {
        struct model_slot_info si;
        model_slot_get(m, i, &si);
        CHECK(si.cadre != sent_id);
    }
    model_free(m);
    store_close(s);
}

static void count_view(void *ud, const struct plan_view *p)
{
    (void)p;
    (*(int *)ud)++;
}

static void count_row(void *ud, const struct plan_slot_row *r)
{
    (void)r;
    (*(int *)ud)++;
}

/* Which plans and slots a scope sees (plan_view.c): a plan matched for the
 * city is whole to the city and to everywhere, partial to one of its
 * counties (its villages only, no objective, not theirs to publish),
 * invisible to a county without villages in it, refused to a cadre. */
TEST(plan_view_by_scope)
{
    struct policy p;
    struct store *s = tiny_ledger("plan_view", 11);
    struct model_options mo = {.policy = &p, .today = today};
    struct model *m = NULL;
    struct plan_view pv;
    struct plan_slot_query q = {.view = PSV_BY_VILLAGE, .lo = 0, .hi = INT64_MAX, .limit = 500};
    struct zc_scope all = zc_scope_all(), county, other, cadre = zc_scope_all();
    struct zc_error err = {0};
    int64_t id = 0, total = 0, in_county, unfilled, unsent;
    int n = 0;

    CHECK(s != NULL);
    tiny_policy(&p);
    CHECK_INT_EQ(zc_scope_parse("450101", &county, &err), ZC_OK);
    CHECK_INT_EQ(zc_scope_parse("450199", &other, &err), ZC_OK);
    cadre.cadre = 1;
    CHECK_INT_EQ(model_build(s, &mo, &m, &err), ZC_OK);
    CHECK_INT_EQ(model_solve(m, &err), ZC_OK);
    CHECK_INT_EQ(plan_save(s, m, "{}", &mo, &id, &err), ZC_OK);
    model_free(m);
    in_county = q_int(s, "SELECT count(*) FROM plan_slot WHERE village BETWEEN 450101000000 AND "
                         "450101999999");
    unfilled = q_int(s, "SELECT count(*) FROM plan_slot WHERE village BETWEEN 450101000000 AND "
                        "450101999999 AND cadre IS NULL");
    unsent = q_int(s, "SELECT count(*) FROM plan_cadre");
    CHECK(in_county > 0 && in_county < q_int(s, "SELECT count(*) FROM plan_slot"));

    CHECK_INT_EQ(plan_view_get(s, &all, id, true, &pv, &err), ZC_OK);
    CHECK(!pv.partial && pv.scope == 450100000000 && pv.objective != 0);
    CHECK_INT_EQ(pv.slots, q_int(s, "SELECT count(*) FROM plan_slot"));
    CHECK_INT_EQ(plan_view_get(s, &county, id, false, &pv, &err), ZC_OK);
    CHECK(pv.partial && pv.objective == 0 && !pv.has_order);
    CHECK_INT_EQ(pv.slots, in_county);
    CHECK_INT_EQ(plan_view_get(s, &county, id, true, &pv, &err), ZC_ENOTFOUND);
    CHECK_INT_EQ(plan_view_get(s, &other, id, false, &pv, &err), ZC_ENOTFOUND);
    CHECK_INT_EQ(plan_view_get(s, &cadre, id, false, &pv, &err), ZC_EFORBIDDEN);
    CHECK_INT_EQ(plan_view_list(s, &county, count_view, &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    n = 0;
    CHECK_INT_EQ(plan_view_list(s, &other, count_view, &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 0);

    q.plan = id;
    n = 0;
    CHECK_INT_EQ(plan_slots(s, &county, &q, &total, count_row, &n, &err), ZC_OK);
    CHECK_INT_EQ(total, in_county);
    CHECK_INT_EQ(n, in_county);
    q.only = PSO_UNFILLED;
    CHECK_INT_EQ(plan_slots(s, &county, &q, &total, count_row, &n, &err), ZC_OK);
    CHECK_INT_EQ(total, unfilled);
    q.only = PSO_ALL;
    q.limit = 1;
    n = 0;
    CHECK_INT_EQ(plan_slots(s, &all, &q, &total, count_row, &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    q.view = PSV_UNSENT;
    q.limit = 500;
    CHECK_INT_EQ(plan_slots(s, &all, &q, &total, count_row, &n, &err), ZC_OK);
    CHECK_INT_EQ(total, unsent);
    CHECK_INT_EQ(plan_slots(s, &other, &q, &total, count_row, &n, &err), ZC_ENOTFOUND);
    store_close(s);
}
