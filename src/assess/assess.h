/* SPDX-License-Identifier: MIT */
/* assess.h - supervision and assessment (考): what follows the field work.
 *
 * The chain the seeds describe ("manage strictly, care warmly", 严管厚爱),
 * as records a county organisation department keeps:
 *   - an inspection sample (明察暗访) per scope and month: risk-weighted by
 *     the month's "两头跑" cases, past findings and the residence rule, and
 *     every cadre keeps a chance; drawn once from a recorded seed, so the
 *     same call shows the same sample and a different draw is refused;
 *   - inspections and their findings, each finding a ticket: 交办 (assigned
 *     with a deadline) -> 整改 (fix reported with evidence) -> 复核 (checked
 *     by an inspector who did not make the finding) -> 销号 (closed) or
 *     reopened; a ticket past its deadline is overdue;
 *   - the monthly negative list (负面清单) from the policy's rules plus
 *     manual entries, and the ladder (先学习班、再约谈、后处理) that proposes
 *     the next step, which the cadre may appeal before the county confirms
 *     it; a confirmed sanction that ends the posting recalls the cadre and
 *     leaves the post to `zhucun match --refill`;
 *   - the monthly score of each stationed cadre, every component with the
 *     evidence behind it (never check-in counts or online time), quarterly
 *     tasks, the annual grade proposed within the 优秀 quota, calibrated
 *     with reasons and confirmed into the cadre's record;
 *   - funds allocated per team and first secretary, spending, and the
 *     subsidies the residence ledger earns.
 * Every call takes the caller's scope (base/scope.h); writes outside it fail
 * with ZC_EFORBIDDEN. Statements live in assess_sql.c. */
#ifndef ZC_ASSESS_H
#define ZC_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"

struct store;
struct policy;

/* ---- inspection samples ------------------------------------------------------------ */

struct assess_pick {
    int rank; /* 1.. in the order drawn */
    int64_t cadre, village;
    const char *id_number, *name, *village_name;
    int weight;      /* the sampling weight */
    const char *why; /* what raised it: "2 cases, 1 finding, rule not met" or "" */
};

struct assess_sample {
    int64_t id;
    uint64_t seed;
    int half; /* 0: the month; 1: days 1-15, 2: the 16th to the end (half_monthly) */
    int count, population;
    bool existing; /* drawn earlier: shown as recorded */
    char drawn_by[96], drawn_at[20];
    struct assess_pick *picks; /* count entries, owned */
};

/* Draw (or show) the sample of `scope` for the period: month `ym`, or its
 * half `half` (1 or 2) when the policy's inspection.frequency is
 * half_monthly (then a half is required; a monthly policy takes 0 only:
 * ZC_EINVAL otherwise). `count` <= 0 takes the policy's sample_percent /
 * min_per_month; `seed` is used when has_seed, else one is made from the
 * clock. A sample already drawn for the scope and period is returned as
 * recorded when count and seed agree (or are not given); otherwise
 * ZC_ECONFLICT names the first draw. */
int assess_sample_draw(struct store *s, const struct policy *p, const struct zc_scope *scope,
                       int64_t scope_code, const char *ym, int half, int count, bool has_seed,
                       uint64_t seed, const char *actor, struct assess_sample *out,
                       struct zc_error *err);
/* The half a sample of `ym` is for when none is named: 0 under a monthly
 * policy; under half_monthly the half today is in for the current month,
 * else the first. */
int assess_sample_default_half(const struct policy *p, const char *ym);
/* "上半月" / "下半月" / "" for half 1 / 2 / 0. */
const char *assess_half_name(int half);
void assess_sample_fini(struct assess_sample *smp);

/* ---- inspections, findings, tickets --------------------------------------------------- */

struct assess_inspection {
    int64_t village;
    int64_t cadre;      /* 0: the team */
    int64_t sample;     /* 0: not from a sample */
    const char *method; /* open, unannounced, random_call, documents, questions, questionnaire */
    const char *day;    /* YYYY-MM-DD */
    const char *inspectors; /* names, comma separated */
    const char *note;       /* may be NULL */
};

int assess_inspection_add(struct store *s, const struct zc_scope *scope,
                          const struct assess_inspection *in, const char *actor, int64_t *id,
                          struct zc_error *err);

struct assess_finding {
    int64_t inspection;
    int64_t cadre;    /* 0: the inspection's cadre, else the team's first secretary */
    const char *rule; /* attendance, visits, diary, plan, funds, conduct, other */
    const char *text;
    const char *evidence; /* may be NULL */
};

/* Record a finding and open its ticket (deadline: the inspection's day +
 * the ticket_days of the policy `pm` gives the village, into *days when not
 * NULL); `actor` (who records it) is the first entry of the ticket's
 * history (交办, "assigned"). */
struct field_policy_map;
int assess_finding_add(struct store *s, const struct field_policy_map *pm,
                       const struct zc_scope *scope, const struct assess_finding *in,
                       const char *actor, int64_t *finding, int64_t *ticket, int *days,
                       struct zc_error *err);

/* 整改: the assignee reports the fix ("fixed" in the history, by `actor`,
 * the text as its note and the evidence). */
int assess_ticket_fix(struct store *s, const struct zc_scope *scope, int64_t id, const char *text,
                      const char *evidence, const char *day, const char *actor,
                      struct zc_error *err);
/* 复核: `checker` (not one of the inspection's inspectors) passes (closed,
 * 销号) or fails (reopened) the fix; the history keeps which, by whom, with
 * the note. */
int assess_ticket_check(struct store *s, const struct zc_scope *scope, int64_t id, bool pass,
                        const char *checker, const char *note, const char *day,
                        struct zc_error *err);

struct assess_ticket_row {
    int64_t id, finding, cadre, village;
    const char *name, *village_name, *rule, *text, *deadline, *status, *fix_text;
    bool overdue; /* open or reopened after the deadline (today) */
};

/* Tickets of `scope`, oldest deadline first; status NULL for all, "overdue"
 * for those past their deadline. */
int assess_ticket_list(struct store *s, const struct zc_scope *scope, const char *status,
                       int (*fn)(void *ud, const struct assess_ticket_row *row), void *ud,
                       struct zc_error *err);

/* One ticket with where it came from and its history (every change of
 * state: assigned, fixed, closed, reopened; oldest first). */
struct assess_ticket_detail {
    struct assess_ticket_row t;
    const char *found_on, *evidence, *method, *inspectors; /* the finding */
    const char *fix_evidence, *checked_by, *check_note, *closed_at;
};

struct assess_ticket_event {
    int64_t id;
    const char *action; /* assigned, fixed, closed, reopened */
    const char *status; /* the ticket's state after it */
    const char *actor;
    const char *day; /* the day it happened, as stated */
    const char *at;  /* when it was recorded */
    const char *note, *evidence;
};

/* Ticket `id` if `scope` sees it (its village; a cadre: their own), to
 * `fn`, then its events to `ev`; ZC_ENOTFOUND otherwise. */
int assess_ticket_show(struct store *s, const struct zc_scope *scope, int64_t id,
                       int (*fn)(void *ud, const struct assess_ticket_detail *t),
                       int (*ev)(void *ud, const struct assess_ticket_event *e), void *ud,
                       struct zc_error *err);
/* The Chinese name of a history action (assigned -> 交办). */
const char *assess_ticket_action_name(const char *action);

struct assess_finding_row {
    int64_t id, inspection, cadre, village;
    const char *name, *village_name, *method, *day, *rule, *text, *ticket_status, *deadline;
};

/* Findings made in month `ym` in `scope`, by day; *inspections and
 * *villages receive how many inspections were made and where. */
int assess_finding_list(struct store *s, const struct zc_scope *scope, const char *ym,
                        int *inspections, int *villages,
                        int (*fn)(void *ud, const struct assess_finding_row *row), void *ud,
                        struct zc_error *err);

/* The module's codes in Chinese, for every report and table (the code
 * itself when unknown): finding rules (attendance -> 驻村在岗), inspection
 * methods (unannounced -> 暗访), ticket states (open -> 待整改, "逾期" when
 * overdue; "" -> ""), negative-list rules (short_days -> 驻村天数不足),
 * ladder steps (study -> 进班学习) and their states (proposed -> 待确认). */
const char *assess_rule_name(const char *rule);
const char *assess_method_name(const char *method);
const char *assess_ticket_status_name(const char *status, bool overdue);
const char *assess_negative_rule_name(const char *rule);
const char *assess_step_name(const char *step);
const char *assess_step_status_name(const char *status);

/* ---- negative list and ladder --------------------------------------------------------- */

struct assess_negative_row {
    int64_t id, cadre, village;
    const char *id_number, *name, *village_name, *unit_name;
    const char *source; /* rule or manual */
    const char *rule;   /* short_days, case, diary, overdue_ticket, finding, manual */
    const char *detail;
};

/* Build the negative list of month `ym` from the policy's rules (replacing
 * the rule entries built before for the cadres of `scope`, keeping manual
 * ones), then list it. *n receives the entries. */
int assess_negative_build(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *ym, const char *actor, size_t *n, struct zc_error *err);
int assess_negative_add(struct store *s, const struct zc_scope *scope, int64_t cadre,
                        const char *ym, const char *reason, const char *actor, int64_t *id,
                        struct zc_error *err);
int assess_negative_list(struct store *s, const struct zc_scope *scope, const char *ym,
                         int (*fn)(void *ud, const struct assess_negative_row *row), void *ud,
                         struct zc_error *err);

struct assess_step_row {
    int64_t id, cadre, village;
    const char *id_number, *name, *village_name;
    const char *step;   /* study, talk, penalty */
    const char *month;  /* the list that proposed it */
    int months;         /* months on the list in the window */
    const char *status; /* proposed, appealed, confirmed, withdrawn */
    const char *appeal, *sanction, *note;
};

/* Propose the next ladder step for every cadre of `scope` whose months on
 * the negative list in the window ending `ym` reach it (one step per cadre
 * and month, never one already proposed or confirmed in the window). */
int assess_ladder_propose(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *ym, size_t *proposed, struct zc_error *err);
/* 申诉: the cadre appeals a proposed step. */
int assess_ladder_appeal(struct store *s, const struct zc_scope *scope, int64_t id,
                         const char *reason, struct zc_error *err);
/* The county confirms (a penalty names one of the policy's sanctions; an
 * appealed step needs `note`, the answer to the appeal) or withdraws a
 * step. A sanction that ends the posting recalls the cadre on `day`;
 * *recalled and *vacancy say what happened. */
int assess_ladder_decide(struct store *s, const struct policy *p, const struct zc_scope *scope,
                         int64_t id, bool confirm, const char *sanction, const char *note,
                         const char *actor, const char *day, bool *recalled, bool *vacancy,
                         struct zc_error *err);
int assess_ladder_list(struct store *s, const struct zc_scope *scope, const char *status,
                       int (*fn)(void *ud, const struct assess_step_row *row), void *ud,
                       struct zc_error *err);

/* ---- tasks ------------------------------------------------------------------------------ */

int assess_task_add(struct store *s, const struct zc_scope *scope, int64_t village,
                    const char *quarter, const char *text, const char *due, const char *actor,
                    int64_t *id, struct zc_error *err);
int assess_task_done(struct store *s, const struct zc_scope *scope, int64_t id, const char *day,
                     const char *evidence, struct zc_error *err);

/* The quarter's task list of every team (a village with a cadre stationed
 * in the quarter) of `scope`, derived and kept as tasks: one per need of
 * the village (its governance states 软/穷/乱/弱 and each planned
 * industry), due at the quarter's end, and one per kind of open measure
 * of its households' plans (一户一策) due by the quarter's end, due by the
 * latest of them (the quarter's end when all are overdue). Each names its
 * source (need:软, industry:核桃, plan:产业); a source already on the
 * village's list for the quarter is not added twice. *added, *teams. In
 * the caller's transaction. */
int assess_task_derive(struct store *s, const struct zc_scope *scope, const char *quarter,
                       const char *actor, size_t *added, size_t *teams, struct zc_error *err);

struct assess_task_row {
    int64_t id, village;
    const char *village_name, *quarter, *text, *due, *done_at, *evidence;
    const char *source; /* "" typed by hand, else need:…, industry:…, plan:… */
    const char *status; /* done, overdue (past its day today, not done), open */
};

/* The tasks of `quarter` in `scope` (a cadre: their villages'), by village
 * and deadline. */
int assess_task_list(struct store *s, const struct zc_scope *scope, const char *quarter,
                     int (*fn)(void *ud, const struct assess_task_row *row), void *ud,
                     struct zc_error *err);

/* ---- monthly score ---------------------------------------------------------------------- */

enum assess_component { AC_PRESENCE, AC_VISITS, AC_TASKS, AC_FINDINGS, AC_OUTCOMES, AC_COUNT };

extern const char *const assess_component_key[AC_COUNT];  /* presence, visits ... */
extern const char *const assess_component_name[AC_COUNT]; /* 驻村, 走访, 任务 ... */

struct assess_score_row {
    int64_t cadre, village;
    const char *id_number, *name, *village_name, *unit_name;
    int64_t county;
    int posted_days;                /* days stationed in the month (weighs the year's mean) */
    double total;                   /* 0..100 */
    double part[AC_COUNT];          /* points earned per component */
    bool counted[AC_COUNT];         /* false: no basis this month, weight spread */
    const char *evidence[AC_COUNT]; /* what each part rests on, in words */
    bool on_negative_list;
};

/* The monthly score of every cadre stationed in `scope` in `ym`, each by
 * the policy `pm` gives their village (field/field.h: the one chosen for
 * the innermost division over it; weights, targets and the residence rule
 * alike). */
struct field_policy_map;
int assess_month(struct store *s, const struct field_policy_map *pm, const struct zc_scope *scope,
                 const char *ym, int (*fn)(void *ud, const struct assess_score_row *row), void *ud,
                 struct zc_error *err);

/* A village's team in the month (驻村工作队): its members' scores together.
 * Each member weighs by the days stationed in the month (one posted half
 * the month counts half); a component is averaged over the members it was
 * counted for, and not counted when it was counted for none. */
struct assess_team_row {
    int64_t village, county;
    const char *village_name;
    int members;            /* cadres assessed */
    int on_negative_list;   /* of them */
    double total;           /* 0..100 */
    double part[AC_COUNT];  /* mean points per component */
    bool counted[AC_COUNT]; /* false: counted for no member */
    const char *names;      /* the members, "张三、李四", in the order scored */
    double lowest;          /* the lowest member's total */
};

/* The teams of `scope` in `ym`, by village code: assess_month's rows
 * summed per village. */
int assess_month_teams(struct store *s, const struct field_policy_map *pm,
                       const struct zc_scope *scope, const char *ym,
                       int (*fn)(void *ud, const struct assess_team_row *row), void *ud,
                       struct zc_error *err);

/* ---- annual grades ------------------------------------------------------------------------ */

struct assess_grade_row {
    int64_t cadre, village, county;
    const char *id_number, *name, *village_name, *unit_name;
    double score;         /* mean of the months assessed, weighted by days stationed */
    int months;           /* months assessed */
    const char *proposed; /* 建议等次 */
    const char *grade;    /* after calibration */
    const char *reason;   /* why it was changed or capped */
    bool confirmed;
    bool promote; /* on the promotion list (提拔重用): 优秀, no step confirmed */
};

/* Propose the grades of `year` for the cadres of `scope` (kept when already
 * proposed and changed by hand), within the 优秀 quota per county, and list
 * them by county and score; each county's thresholds and quota are those of
 * the policy `pm` gives the county, each month's scores as assess_month. */
int assess_year(struct store *s, const struct field_policy_map *pm, const struct zc_scope *scope,
                int year, int (*fn)(void *ud, const struct assess_grade_row *row), void *ud,
                struct zc_error *err);
/* Calibration: change one grade with a reason. */
int assess_grade_set(struct store *s, const struct zc_scope *scope, int64_t cadre, int year,
                     const char *grade, const char *reason, const char *actor,
                     struct zc_error *err);
/* Confirm the grades of `year` in `scope`: refused (ZC_EINVAL, naming the
 * county) when a county's 优秀 exceed the quota; then written into each
 * cadre's record, which the eligibility rules of the next dispatch read. */
int assess_year_confirm(struct store *s, const struct field_policy_map *pm,
                        const struct zc_scope *scope, int year, const char *actor, size_t *n,
                        struct zc_error *err);

/* Calibration across townships (横向校准): the year's grades counted per
 * township, side by side. Feed it assess_year's rows, then finish (names
 * and order: by county, then township code). */
struct assess_change {
    int64_t cadre;
    char *name, *proposed, *grade, *reason;
};

struct assess_township_row {
    int64_t township, county; /* 12-digit codes */
    char *name;               /* the township's name */
    int cadres;
    int proposed[4], grade[4]; /* 优秀, 称职, 基本称职, 不称职: proposed and after calibration */
    int promote;               /* on the promotion list */
    double mean;               /* mean annual score */
    struct assess_change *changes; /* grades changed from the proposal, each with its reason */
    size_t nchanges;
};

struct assess_townships {
    struct assess_township_row *a;
    size_t n, cap;
};

void assess_townships_add(struct assess_townships *t, const struct assess_grade_row *g);
int assess_townships_finish(struct store *s, struct assess_townships *t, struct zc_error *err);
void assess_townships_fini(struct assess_townships *t);
/* The index (0..3) of grade `g` (优秀 .. 不称职), -1 if none. */
int assess_grade_index(const char *g);

/* ---- commendations and the promotion list ------------------------------------------------- */

/* 表彰: commend cadre `cadre` (stationed in `scope` on `day`) for `year`
 * with a title (优秀第一书记 ...) and its reason, both required. */
int assess_commend_add(struct store *s, const struct zc_scope *scope, int64_t cadre, int year,
                       const char *day, const char *title, const char *reason, const char *actor,
                       int64_t *id, struct zc_error *err);

struct assess_commend_row {
    int64_t id, cadre, village;
    const char *id_number, *name, *village_name, *day, *title, *reason;
    int year;
};

int assess_commend_list(struct store *s, const struct zc_scope *scope, int year,
                        int (*fn)(void *ud, const struct assess_commend_row *row), void *ud,
                        struct zc_error *err);

/* One name on the promotion list (提拔重用: 优秀 and no confirmed ladder
 * step, as assess_year marks it) with the evidence behind it. */
struct assess_promotion_row {
    const struct assess_grade_row *g;
    double month_score[12]; /* the monthly totals ... */
    bool has_month[12];     /* ... for the months assessed */
    int negative;           /* entries on the negative list in the year */
    int commendations;      /* how many */
    const char *commended;  /* "title (day): reason; ...", "" if none */
};

int assess_promotions(struct store *s, const struct field_policy_map *pm,
                      const struct zc_scope *scope, int year,
                      int (*fn)(void *ud, const struct assess_promotion_row *row), void *ud,
                      struct zc_error *err);

/* ---- funds ---------------------------------------------------------------------------------- */

int assess_fund_add(struct store *s, const struct zc_scope *scope, int64_t village,
                    const char *kind, const char *day, int64_t amount_fen, const char *note,
                    const char *actor, int64_t *id, struct zc_error *err);

struct assess_fund_row {
    int64_t village;
    const char *village_name, *secretary;
    int64_t alloc_work_fen, alloc_industry_fen;
    int64_t spent_work_fen, spent_industry_fen;
    int64_t subsidy_fen; /* earned by the team's presence in the year */
    int present_days;
};

int assess_funds(struct store *s, const struct policy *p, const struct zc_scope *scope, int year,
                 int (*fn)(void *ud, const struct assess_fund_row *row), void *ud,
                 struct zc_error *err);

/* ---- findings in the audit record ------------------------------------------------- */

/* An inspector's finding (督查发现) written as an entry of the audit log itself
 * (action "finding", target the village, {"village", "text"} as its new
 * state): a record of what was seen that the chain makes as hard to edit
 * quietly as any change to the ledger (the older, free-text kind; the
 * inspections above give findings with rules and tickets). */
struct audit_entry;

/* ZC_OK if `scope` sees the registered village `village` (in the range; for
 * a cadre scope, a village the cadre serves in); ZC_ENOTFOUND otherwise. */
int assess_note_village(struct store *s, const struct zc_scope *scope, int64_t village,
                        struct zc_error *err);
/* Append the finding `text` on `village` by `actor` from `addr` (inside the
 * caller's transaction; the HTTP writer commits it with its group). `e` gets
 * the entry as written (seq, at, hash; its string fields are cleared). */
int assess_note_add(struct store *s, int64_t village, const char *text, const char *actor,
                    const char *addr, struct audit_entry *e, struct zc_error *err);
/* The newest `limit` findings of the scope's range (all for an unscoped
 * scope), oldest first, to fn. */
int assess_notes(struct store *s, const struct zc_scope *scope, int64_t limit,
                 void (*fn)(void *ud, const struct audit_entry *e), void *ud, struct zc_error *err);

/* ---- notices to a cadre (a ladder step proposed for them) -------------------------- */

struct assess_notice {
    int64_t id;
    const char *kind;                        /* ladder */
    int64_t ref;                             /* the ladder step, 0 if none */
    const char *text, *created_at, *read_at; /* read_at "" while unread */
};

/* The cadre's notices (a cadre scope only: ZC_EFORBIDDEN otherwise), newest
 * first, at most 50; `unread_only` leaves out those marked read. */
int assess_notices(struct store *s, const struct zc_scope *scope, bool unread_only,
                   int (*fn)(void *ud, const struct assess_notice *n), void *ud,
                   struct zc_error *err);
/* Mark the cadre's notice `id` read; ZC_ENOTFOUND for another's or none. */
int assess_notice_read(struct store *s, const struct zc_scope *scope, int64_t id,
                       struct zc_error *err);

#endif
