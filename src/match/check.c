/* SPDX-License-Identifier: MIT */
/* check.c - the independent checks of a solved model: every hard rule
 * re-checked from the model's own data (not from the network), and "why
 * not" for one cadre and village, down to the reduced cost of the pair. */
#include "model_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"

/* ---- checks ---------------------------------------------------------------------- */

int model_check(const struct model *m, struct zc_error *err)
{
    int32_t *sent = zc_calloc((size_t)m->nunits + 1, sizeof(int32_t));
    int64_t *qfill = zc_calloc((size_t)m->nquota + 1, sizeof(int64_t));
    int64_t moves = 0;
    int rc = ZC_OK;

    for (int32_t s = 0; s < m->nslots && rc == ZC_OK; s++) {
        const struct mslot *sl = &m->slot[s];
        const struct mcadre *c;
        const struct mvillage *v = &m->vil[sl->village];
        const struct munit *u;
        if (sl->cadre < 0)
            continue;
        c = &m->cad[sl->cadre];
        u = &m->unit[c->unit];
        if (c->slot != s)
            rc = zc_error_set(err, ZC_EINVAL, "slot %d of %lld: cadre %lld holds another slot",
                              sl->seq, (long long)v->code, (long long)c->id);
        else if (!model_role_ok(c, sl))
            rc = zc_error_set(err, ZC_EINVAL, "slot %d of %lld: cadre %lld cannot be %s", sl->seq,
                              (long long)v->code, (long long)c->id,
                              model_role_name((enum model_role)sl->role));
        else if (s != c->cur_slot && model_barred(c, v))
            rc = zc_error_set(
                err, ZC_EINVAL,
                "cadre %lld sent to a village its hometown, its unit's level or a rotation bars "
                "(%lld)",
                (long long)c->id, (long long)v->code);
        else if (s != c->cur_slot && (v->code < u->reach_lo || v->code > u->reach_hi))
            rc = zc_error_set(err, ZC_EINVAL, "cadre %lld sent outside the unit's reach",
                              (long long)c->id);
        else if (c->spouse >= 0 && m->cad[c->spouse].slot >= 0)
            rc = zc_error_set(err, ZC_EINVAL, "cadres %lld and %lld are spouses, both sent",
                              (long long)c->id, (long long)m->cad[c->spouse].id);
        if (!(c->flags & MC_SERVING))
            sent[c->unit]++;
        else if (s != c->cur_slot)
            moves++;
        for (int32_t q = v->quota; q >= 0; q = m->quota[q].parent)
            qfill[q]++;
    }
    for (int32_t u = 0; u < m->nunits && rc == ZC_OK; u++)
        if (m->unit[u].cap != NO_CAP && sent[u] > m->unit[u].cap)
            rc = zc_error_set(err, ZC_EINVAL, "unit %s: %d sent, cap %d", m->unit[u].code, sent[u],
                              m->unit[u].cap);
    for (int32_t q = 0; q < m->nquota && rc == ZC_OK; q++)
        if (qfill[q] > m->quota[q].max)
            rc = zc_error_set(err, ZC_EINVAL, "quota %lld: %lld sent, max %d",
                              (long long)m->quota[q].lo, (long long)qfill[q], m->quota[q].max);
    if (rc == ZC_OK && m->opt.refill && moves > (m->opt.allow_moves > 0 ? m->opt.allow_moves : 0))
        rc = zc_error_set(err, ZC_EINVAL, "%lld serving cadres moved, at most %d allowed",
                          (long long)moves, m->opt.allow_moves);
    if (rc == ZC_OK && m->net)
        rc = mcf_verify(m->net, err);
    free(sent);
    free(qfill);
    return rc;
}

/* ---- why not ------------------------------------------------------------------- */

void model_seat_why_not(const struct model *m, const struct mcadre *c, const struct mslot *sl,
                        char *out, size_t outsz)
{
    if (!sl)
        snprintf(out, outsz, "该地挂职岗位均已有人在岗 / every seat of its posts is held");
    else if (!(sl->post_levels >> c->send & 1))
        snprintf(out, outsz,
                 "派出单位层级 (%s级) 不能担任该挂职岗位 (posts.levels, 派出层级) / units at this "
                 "level do not fill this post",
                 c->send == 1   ? "省"
                 : c->send == 2 ? "市"
                 : c->send == 3 ? "县"
                                : "乡");
    else if (c->rank < sl->post_rank)
        snprintf(out, outsz, "职级不够: 该岗位需%s及以上 / the post needs rank %s or above",
                 policy_rank_name(sl->post_rank), policy_rank_name(sl->post_rank));
    else if (sl->post_party && !(c->flags & MC_PARTY))
        snprintf(out, outsz, "该岗位须为中共党员 / the post needs a party member");
    else
        snprintf(out, outsz, "该岗位须具备专业技能 %s / the post needs the skill %s",
                 m->skill[sl->need_bit], m->skill[sl->need_bit]);
}

/* Why cadre c takes none of the open seats of the posts at division v (挂职):
 * the first requirement of its first seat that the cadre fails. */
static void post_why_not(const struct model *m, const struct mcadre *c, const struct mvillage *v,
                         char *out, size_t outsz)
{
    model_seat_why_not(m, c, v->nslots > 0 ? &m->slot[v->first_slot] : NULL, out, outsz);
}

int model_why_not(const struct model *m, int64_t cadre_id, int64_t village, char *out, size_t outsz,
                  struct zc_error *err)
{
    int64_t ci = model_cadre_find(m, cadre_id);
    int32_t vi = model_village_find(m, village);
    const struct mcadre *c;
    const struct mvillage *v;
    const struct munit *u;
    int terms[MT_NTERMS], score;
    char tt[200];
    bool arc = false;

    if (ci < 0)
        return zc_error_set(err, ZC_ENOTFOUND, "cadre is not in the model");
    c = &m->cad[ci];
    u = &m->unit[c->unit];
    if (vi < 0) {
        snprintf(out, outsz,
                 "村 %lld 不在本方案中 (无工作队岗位或不在范围内) / village %lld has no team slot "
                 "in this plan (no team for its class under the policy, or outside the scope)",
                 (long long)village, (long long)village);
        return ZC_OK;
    }
    v = &m->vil[vi];
    score = model_fit(m, (int32_t)ci, vi, terms);
    model_terms_text(terms, tt, sizeof(tt));
    if (c->slot >= 0 && m->slot[c->slot].village == vi) {
        snprintf(out, outsz, "已派往该村 / assigned there (score %d: %s)", score, tt);
        return ZC_OK;
    }
    if (model_level_barred(c, v)) {
        snprintf(out, outsz,
                 "派出单位层级 (%s) 不派往%s (avoidance.level_classes) / units at this level do "
                 "not send to %s villages",
                 division_level_name_zh((enum division_level)u->level),
                 v->klass == PV_DEEP   ? "深度贫困村"
                 : v->klass == PV_POOR ? "贫困村"
                                       : "非贫困村",
                 v->klass == PV_DEEP   ? "deep-poverty"
                 : v->klass == PV_POOR ? "poor"
                                       : "non-poor");
        return ZC_OK;
    }
    if (model_barred(c, v)) {
        snprintf(out, outsz,
                 "回避: 该村在本人籍贯地 (avoidance.home) / the village is in the cadre's "
                 "hometown");
        return ZC_OK;
    }
    if (v->code < u->reach_lo || v->code > u->reach_hi) {
        snprintf(out, outsz,
                 "超出派出单位 %s 的选派范围 / outside the reach of unit %s (%lld-%lld)", u->code,
                 u->code, (long long)u->reach_lo, (long long)u->reach_hi);
        return ZC_OK;
    }
    if (c->flags & MC_SPOUSE_OUT) {
        snprintf(out, outsz,
                 "夫妻不同派: 配偶所在单位名额更紧, 本人未进入模型 / spouses_apart: "
                 "left out so that the couple is never both sent");
        return ZC_OK;
    }
    if (u->cap == 0 && !(c->flags & MC_SERVING)) {
        snprintf(out, outsz,
                 "单位 %s 抽调比例已满 (max_unit_share_percent %d%%) / unit cap "
                 "reached",
                 u->code, m->pol.caps.max_unit_share_percent);
        return ZC_OK;
    }
    if (v->post_level && !model_village_ok(m, c, v)) {
        post_why_not(m, c, v, out, outsz);
        return ZC_OK;
    }
    if (!model_village_ok(m, c, v)) {
        snprintf(
            out, outsz,
            "岗位条件不符: 该村空缺岗位均有任职条件 (第一书记/队长需党员及职级, 维稳需政法单位或"
            "相关技能, 需求岗位需对应技能), 本人均不满足 / no open slot of the village "
            "accepts the cadre (role rules: first secretary, leader, stability, needs)");
        return ZC_OK;
    }
    /* The village's column the cadre may take at the least reduced cost
     * under the plan's prices: what forcing the pair would add to the
     * objective. Every arc of the full model was priced, in the network or
     * not, so this is the answer for pairs the start graph left out too. */
    if (m->net && m->solved && c->node >= 0) {
        int64_t hub = mcf_potential(m->net, m->hub), pc = mcf_potential(m->net, c->node) - hub;
        int64_t best = INT64_MAX, mp = (c->flags & MC_SERVING) ? MOVE_PENALTY : 0;
        int32_t bs = -1;
        for (int32_t t = v->first_slot; t < v->first_slot + v->nslots; t++) {
            const struct mslot *sl = &m->slot[t];
            int64_t rc;
            if (sl->col != t || t == c->cur_slot || !model_role_ok(c, sl))
                continue;
            rc = -(int64_t)model_slot_score(m, c, sl, score) + mp + pc -
                 (mcf_potential(m->net, sl->node) - hub);
            if (rc < best) {
                best = rc;
                bs = t;
            }
        }
        if (bs >= 0) {
            const struct mslot *sl = &m->slot[bs];
            arc = true;
            score = model_fit_slot(m, (int32_t)ci, bs, terms);
            model_terms_text(terms, tt, sizeof(tt));
            snprintf(out, outsz,
                     "不如现任人选合适: 该村%s岗位由%s担任; 强制派往将使目标值增加 %lld (score %d: "
                     "%s) / slot %d (%s) went to %s; forcing the cadre there would raise the "
                     "cost by %lld",
                     model_role_zh((enum model_role)sl->role),
                     sl->cadre >= 0 ? "更合适的人选" : "无人 (见原因)",
                     (long long)(best > 0 ? best : 0), score, tt, sl->seq,
                     model_role_name((enum model_role)sl->role),
                     sl->cadre >= 0 ? "a better fit" : "nobody", (long long)(best > 0 ? best : 0));
            return ZC_OK;
        }
    }
    if (!arc) {
        snprintf(out, outsz,
                 "本人未进入模型: 辖区内无可任岗位 (score %d: %s) / the cadre has no slot to take "
                 "within reach",
                 score, tt);
        return ZC_OK;
    }
    snprintf(out, outsz, "候选但未选 (score %d: %s) / a candidate, not chosen", score, tt);
    return ZC_OK;
}
