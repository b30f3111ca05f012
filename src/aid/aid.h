/* SPDX-License-Identifier: MIT */
/* aid.h - helping the households precisely (精准帮扶): the causes of a
 * registered poor household's poverty (致贫原因, several), its plan (一户一策)
 * as measure records, the plan's five-level review, and its responsible
 * cadre (帮扶责任人) with the visits that cadre made.
 *
 * The plan. Each household has at most one plan; its measures are records
 * (kind from the registry's vocabulary, what, amount, who carries it out,
 * due date, open or done). The plan is reviewed level by level, from the
 * bottom up:
 *   1 帮扶责任人 (the responsible cadre), 2 驻村工作队 (the work team),
 *   3 扶贫工作站 (the township's poverty-relief station), 4 乡镇长 (the
 *   township head), 5 包乡县领导 (the county leader for the township).
 * A level signs off only when every level below it has, in order; level k
 * may instead return the plan with a reason to level k-1, which signs
 * again. The plan is approved once level 5 signs. Adding, changing or
 * removing a measure of a plan that any level has reviewed starts a new
 * version (the review begins again at level 1); every version's measures
 * are kept. Marking a measure done does not change the plan.
 *
 * Scope: writes need the household's village inside a division scope, or
 * a cadre scope that is the household's responsible cadre (the plan, its
 * measures, the causes, and the level-1 sign-off). Levels 3-5 need a scope
 * no lower than the township (5: the county), level 2 a division scope.
 * Assigning responsible cadres needs a division scope. Reads list what
 * the scope holds (a cadre: the households they are responsible for).
 *
 * Every write is the caller's to audit; all statements are in aid_sql.c. */
#ifndef ZC_AID_H
#define ZC_AID_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"

struct store;
struct policy;

/* ---- causes ---------------------------------------------------------------------- */

/* Replace the household's causes with `list` (several of the registry's
 * categories, separated by , ; 、 or spaces; the first is also the main
 * cause, household.cause). `canon` receives the stored list ("因病、缺技术").
 * ZC_EINVAL naming an unknown cause, ZC_ENOTFOUND, ZC_EFORBIDDEN. */
int aid_causes_set(struct store *s, const struct zc_scope *scope, const char *household,
                   const char *list, char *canon, size_t canonsz, int64_t *village,
                   struct zc_error *err);
/* The household's causes, main one first, joined with 、 into out. */
int aid_causes_get(struct store *s, const char *household, char *out, size_t outsz,
                   struct zc_error *err);

/* ---- the plan and its measures --------------------------------------------------- */

enum { AID_LEVELS = 5 };

/* "帮扶责任人", "驻村工作队", ... for levels 1..5 (NULL otherwise). */
const char *aid_level_name(int level);
/* 1..5 from a number, an English key (cadre team station township county)
 * or the Chinese name; 0 if unknown. */
int aid_level_parse(const char *s);

struct aid_measure {
    int64_t id;
    const char *household;
    const char *kind; /* 产业 就业 教育 健康 易地搬迁 危房改造 生态 兜底保障 金融 其他 */
    const char *description;
    bool has_amount;
    int64_t amount_fen;
    const char *responsible; /* who carries it out (a name or a unit) */
    const char *due_date;    /* YYYY-MM-DD or NULL */
    const char *status;      /* "open" or "done" */
    const char *done_date;   /* when done */
};

struct aid_plan_state {
    int version;
    int next_level;     /* the level whose sign-off is awaited (6 once approved) */
    char status[16];    /* draft, in_review, returned, approved */
    bool new_version;   /* this write started a new version */
    int64_t village;    /* the household's village (for the audit record) */
    int measures, open; /* measures in all, those not done */
};

/* "草稿", "审核中", "退回", "已审定" for the stored status. */
const char *aid_plan_status_name(const char *status);

/* Add a measure to the household's plan (created as version 1 when it has
 * none). `in->kind` is checked against the vocabulary, the description is
 * required, the due date must be a date. *id receives the measure's id. */
int aid_measure_add(struct store *s, const struct zc_scope *scope, const struct aid_measure *in,
                    const char *actor, int64_t *id, struct aid_plan_state *st,
                    struct zc_error *err);
/* Change measure `id`: the fields of `in` that are set (non-NULL strings,
 * has_amount) replace the stored ones. */
int aid_measure_edit(struct store *s, const struct zc_scope *scope, int64_t id,
                     const struct aid_measure *in, const char *actor, struct aid_plan_state *st,
                     struct zc_error *err);
int aid_measure_remove(struct store *s, const struct zc_scope *scope, int64_t id, const char *actor,
                       struct aid_plan_state *st, struct zc_error *err);
/* Mark measure `id` done (on `day`, YYYY-MM-DD) or open again (done false). */
int aid_measure_done(struct store *s, const struct zc_scope *scope, int64_t id, bool done,
                     const char *day, struct aid_plan_state *st, struct zc_error *err);

/* A review decision on the household's plan by `level`: approve, or return
 * to the level below with `reason` (required). Refused (ZC_EINVAL) out of
 * order, naming the level awaited; on an approved plan; without measures. */
int aid_review(struct store *s, const struct zc_scope *scope, const char *household, int level,
               bool approve, const char *reason, const char *actor, struct aid_plan_state *st,
               struct zc_error *err);

/* The household's plan (ZC_ENOTFOUND when it has none, or it is outside
 * the scope). */
int aid_plan_get(struct store *s, const struct zc_scope *scope, const char *household,
                 struct aid_plan_state *st, struct zc_error *err);
int aid_measure_list(struct store *s, const char *household,
                     int (*fn)(void *ud, const struct aid_measure *m), void *ud,
                     struct zc_error *err);

struct aid_review_row {
    int version, level;
    const char *decision; /* approve, return */
    const char *reason, *reviewer, *at;
};

/* Every review record of the household's plan, all versions, in order. */
int aid_review_list(struct store *s, const char *household,
                    int (*fn)(void *ud, const struct aid_review_row *r), void *ud,
                    struct zc_error *err);

struct aid_plan_row {
    const char *household;
    int64_t village;
    const char *village_name;
    int version, next_level;
    const char *status;
    int measures, open;
    const char *cadre_name; /* the responsible cadre, "" if none */
};

/* Plans in `scope`, by village and household: `status` (NULL for any) and,
 * when `waiting` is 1..5, only those awaiting that level's sign-off. */
int aid_plan_list(struct store *s, const struct zc_scope *scope, const char *status, int waiting,
                  int (*fn)(void *ud, const struct aid_plan_row *r), void *ud,
                  struct zc_error *err);

/* ---- responsible cadres (帮扶责任人) --------------------------------------------------- */

/* Make the cadre with ID number `id_number` the household's responsible
 * cadre from `since` (YYYY-MM-DD, NULL = today): a cadre serving in the
 * village's team (basis "team") or of the village's paired unit ("unit"),
 * holding fewer than aid.households_per_cadre other households. A
 * household has exactly one: assigning again replaces the earlier one
 * (its ID number in prev, "" if none). */
int aid_assign(struct store *s, const struct policy *p, const struct zc_scope *scope,
               const char *household, const char *id_number, const char *since, const char *actor,
               char basis[8], char prev[19], int64_t *village, struct zc_error *err);

struct aid_responsible_row {
    const char *household;
    int64_t village;
    const char *village_name;
    int64_t cadre; /* 0: no responsible cadre */
    const char *id_number, *name, *unit_name, *basis, *since;
    int visits;           /* by this cadre since `from` */
    const char *last;     /* day of this cadre's last visit, "" if never */
    bool overdue;         /* never visited, or not since `from` */
    int cadre_households; /* households this cadre is responsible for */
};

/* The households of `scope` with their responsible cadre, by household
 * (`by_cadre` false, households without one included) or by cadre and
 * household (only assigned). `cadre` > 0 restricts to one cadre. Visits
 * count from `today` minus aid.visit_months months (`from` receives the
 * day, YYYY-MM-DD). */
int aid_responsible_list(struct store *s, const struct policy *p, const struct zc_scope *scope,
                         bool by_cadre, int64_t cadre, const char *today, char from[11],
                         int (*fn)(void *ud, const struct aid_responsible_row *r), void *ud,
                         struct zc_error *err);

/* ---- imports (all or nothing) ------------------------------------------------------- */

struct import_report; /* registry/registry.h */

enum aid_import_kind {
    AID_IMPORT_RESPONSIBLE, /* 户编号, 帮扶责任人身份证号, 起始日期 */
    AID_IMPORT_MEASURES,    /* 户编号, 类别, 帮扶措施, 金额, 责任人, 完成期限 */
};

/* Import `path` (CSV or XLSX) inside the caller's transaction, each row
 * through aid_assign or aid_measure_add (a measure already held with the
 * same household, kind and text is updated, an identical one unchanged).
 * A household twice in a responsible file, or the same measure twice, is
 * an error naming the earlier row. ZC_EINVAL when any row is bad (the
 * lines in rep, "FILE:ROW:COLUMN: message"): the caller rolls back. */
int aid_import_file(struct store *s, const struct policy *p, const struct zc_scope *scope,
                    enum aid_import_kind kind, const char *path, const char *actor,
                    struct import_report *rep, struct zc_error *err);

/* ---- the national forms (建档立卡 表式) ---------------------------------------------- */

/* The registry's tables in their layout, from the same records: the
 * household basic table (贫困户基本信息), the member table (家庭成员信息)
 * and B92 驻村工作队情况_干部表 (the cadres stationed on `day`). Headers
 * and their source: docs/internals/aid.md. Columns the records do not hold
 * (a phone number, a bank account) are written empty, never invented. */
enum aid_form { AID_FORM_HOUSEHOLDS, AID_FORM_MEMBERS, AID_FORM_B92, AID_NFORMS };

struct tw_column;
/* The form named "households", "members" or "b92"; -1 if none. */
int aid_form_parse(const char *name);
const char *aid_form_title(enum aid_form f); /* "贫困户基本信息表" ... */
const struct tw_column *aid_form_columns(enum aid_form f, size_t *n);

/* Each row of the form within `scope` (a division range) as cells of
 * aid_form_columns(); ID numbers masked (and birth dates cut to the year)
 * unless `unmask`. `day` (YYYY-MM-DD) is B92's date. *rows receives the
 * count. */
int aid_form_rows(struct store *s, const struct zc_scope *scope, enum aid_form f, bool unmask,
                  const char *day, int (*fn)(void *ud, const char *const *cells), void *ud,
                  size_t *rows, struct zc_error *err);

/* ---- the household card ---------------------------------------------------------- */

/* May `scope` read the household's card? A division scope holding its
 * village; a cadre scope of its responsible cadre or of a cadre serving in
 * its village's team. ZC_ENOTFOUND otherwise (and for no such household). */
int aid_card_visible(struct store *s, const struct zc_scope *scope, const char *household,
                     int64_t *village, struct zc_error *err);
/* The household's responsible cadre (fn not called when it has none);
 * visits and overdue are not filled. */
int aid_responsible_of(struct store *s, const char *household,
                       int (*fn)(void *ud, const struct aid_responsible_row *r), void *ud,
                       struct zc_error *err);

#endif
