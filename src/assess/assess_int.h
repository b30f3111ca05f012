/* SPDX-License-Identifier: MIT */
/* assess_int.h - shared by the files of src/assess: the named statements
 * (assess_sql.c), the month's roster every part starts from (roster.c),
 * and small calendar and scope helpers. */
#ifndef ZC_ASSESS_INT_H
#define ZC_ASSESS_INT_H

#include "assess.h"
#include "store/store.h"

/* Named statements, texts in assess_sql.c. Scope parameters are always the
 * four (village lo, village hi, cadre lo, cadre hi) bound by assess_bind_scope. */
enum assess_query {
    AQ_SAMPLE_GET,       /* scope, month -> id, seed, count, population, by, at */
    AQ_SAMPLE_ITEMS,     /* sample -> rank, cadre, village, weight, why, id_number, name, vname */
    AQ_SAMPLE_INSERT,    /* scope, month, seed, count, population, by, at -> id */
    AQ_SAMPLE_ITEM_ADD,  /* sample, rank, cadre, village, weight, why */
    AQ_FINDINGS_SINCE,   /* from, to, scope(3..6) -> cadre, findings */
    AQ_INSPECTION_ADD,   /* village, cadre, sample, method, day, inspectors, note, by, at */
    AQ_INSPECTION_GET,   /* id -> village, cadre, day, inspectors */
    AQ_CADRE_EXISTS,     /* id -> 1 */
    AQ_SAMPLE_EXISTS,    /* id -> 1 */
    AQ_POSTING_AT,       /* cadre, day -> village, role */
    AQ_SECRETARY_AT,     /* village, day -> cadre (the first secretary first) */
    AQ_FINDING_ADD,      /* inspection, cadre, village, rule, text, evidence, day -> id */
    AQ_TICKET_ADD,       /* finding, assignee, deadline -> id */
    AQ_TICKET_GET,       /* id -> status, village, assignee, inspectors */
    AQ_TICKET_FIX,       /* text, evidence, at, id */
    AQ_TICKET_CHECK,     /* status, by, at, note, closed_at, id */
    AQ_TICKET_LIST,      /* scope(1..4), today, status -> rows */
    AQ_TICKET_ONE,       /* scope(1..4), today, id -> the list's row + finding facts */
    AQ_TICKET_EVENT_ADD, /* ticket, action, status, actor, day, at, note, evidence */
    AQ_TICKET_EVENTS,    /* ticket -> id, action, status, actor, day, at, note, evidence */
    AQ_OVERDUE_BY_CADRE, /* cutoff, scope(2..5) -> assignee, tickets */
    AQ_FINDINGS_MONTH,   /* first, last, scope(3..6) -> cadre, findings, a text */
    AQ_NEG_CLEAR,        /* month, scope(2..5): the rule entries */
    AQ_NEG_ADD,          /* cadre, village, month, source, rule, detail, by, at -> id */
    AQ_NEG_LIST,         /* month, scope(2..5) -> rows */
    AQ_NEG_MONTHS,       /* from, to, scope(3..6) -> cadre, village, months, listed in `to` */
    AQ_STEPS_WINDOW,     /* cadre, from, to -> steps not withdrawn, steps of `to` */
    AQ_STEP_ADD,         /* cadre, village, step, month, months, at */
    AQ_STEP_GET,         /* id -> cadre, village, step, status, id_number */
    AQ_STEP_APPEAL,      /* appeal, at, id */
    AQ_STEP_DECIDE,      /* status, sanction, by, at, note, id */
    AQ_STEP_LIST,        /* scope(1..4), status -> rows */
    AQ_STEPS_YEAR,       /* from month, to month, scope(3..6) -> cadre, highest confirmed step */
    AQ_TASK_ADD,         /* village, quarter, text, due, by -> id */
    AQ_TASK_GET,         /* id -> village, done_at */
    AQ_TASK_DONE,        /* day, evidence, id */
    AQ_TASKS_DUE,        /* from, to, lo, hi -> village, tasks, done by their day */
    AQ_HOUSEHOLDS,       /* lo, hi -> village, households, exited */
    AQ_GRADE_GET,        /* cadre, year -> grade, changed_by, confirmed_at, county */
    AQ_GRADE_PUT,        /* cadre, year, county, score, proposed, grade, reason */
    AQ_GRADE_SET,        /* grade, reason, by, cadre, year */
    AQ_GRADE_LIST,       /* year, scope(2..5) -> rows */
    AQ_GRADE_CONFIRM,    /* at, cadre, year */
    AQ_FUND_ADD,         /* village, kind, day, amount, note, by, at -> id */
    AQ_FUND_SPENT,       /* from, to, lo, hi -> village, kind, fen */
    AQ_TEAMS_YEAR,       /* first, last, lo, hi -> village, name, first secretary or '' */
    AQ_FINDING_LIST,     /* first, last, lo, hi -> rows */
    AQ_INSPECTION_COUNT, /* first, last, lo, hi -> inspections, villages */
    AQ_NOTE_VILLAGE,     /* village, lo, hi -> 1 (finding.c: a village in the range) */
    AQ_NOTE_VILLAGE_OWN, /* village, cadre -> 1 (a village the cadre serves in) */
    AQ_NOTICE_ADD,       /* cadre, kind, ref, text, at */
    AQ_NOTICE_LIST,      /* cadre, unread only (0/1) -> id, kind, ref, text, created, read */
    AQ_NOTICE_READ,      /* at, id, cadre */
    AQ_STEP_LAST_ID,     /* cadre, month -> the step just proposed */
    AQ_DIVISION_NAME,    /* code -> name */
    AQ_TASK_TEAMS,       /* qfirst, qlast, lo, hi -> village, states, industries (teams there) */
    AQ_TASK_MEASURES,    /* qfirst, qlast, lo, hi -> village, kind, open, overdue, latest due */
    AQ_TASK_DERIVE,      /* village, quarter, text, due, by, source -> id (none if there) */
    AQ_TASK_LIST,        /* quarter, lo, hi, cadre (0: any) -> rows */
    AQ_COMMEND_ADD,      /* cadre, village, year, day, title, reason, by, at -> id */
    AQ_COMMEND_LIST,     /* year, scope(2..5) -> rows */
    AQ_NEG_YEAR,         /* first month, last month, scope(3..6) -> cadre, entries */
    AQ_COUNT
};

extern const char *const assess_sql[AQ_COUNT];

int assess_prepare(struct store *s, enum assess_query q, struct store_stmt **out,
                   struct zc_error *err);
/* Bind lo, hi, cadre lo, cadre hi of `scope` from parameter idx on. */
void assess_bind_scope(struct store_stmt *q, int idx, const struct zc_scope *scope);
/* ZC_EFORBIDDEN unless `village` (and, for a cadre scope, `cadre`) is inside. */
int assess_check_scope(const struct zc_scope *scope, int64_t village, int64_t cadre,
                       struct zc_error *err);

void assess_today(char out[11]);      /* local date, from field_now() */
void assess_now(char out[20]);        /* local time */
void assess_today_ym(int *y, int *m); /* today's year and month */
bool assess_day_ok(const char *day);  /* YYYY-MM-DD and a real date */
/* "YYYY-MM" moved by `delta` months; false if `ym` is malformed. */
bool assess_month_add(const char *ym, int delta, char out[8]);
/* First and last day of month `ym`. */
bool assess_month_days(const char *ym, char first[11], char last[11]);
/* `day` + n days. */
bool assess_day_add(const char *day, int n, char out[11]);
int64_t assess_county_of(int64_t village); /* 12-digit county code of a village */
/* `code`'s name in a {code, name} table of n rows; the code itself if absent. */
const char *assess_code_name(const char *const (*map)[2], size_t n, const char *code);

/* The month's roster: every cadre stationed in the scope, from the
 * residence ledger, with what the field work and the supervision records
 * hold about them that month. */
struct roster_cadre {
    int64_t cadre, village;
    char *id_number, *name, *village_name, *unit_name;
    int posted_days, days, nights, leave_days, trip_days, required_days, weeks_failed, ndays;
    bool ok;
    int64_t subsidy_fen;
    int cases;         /* open or confirmed (not dismissed) "两头跑" cases */
    int confirmed;     /* of them confirmed (核实) by the county */
    char *case_detail; /* the first few confirmed, in words */
    int diaries, visits, households;
    int findings;       /* findings on the cadre in the month */
    char *finding_text; /* one of them */
    int findings_year;  /* in the 12 months before the month's end */
    int overdue;        /* tickets past their deadline at the month's end (or today) */
};

struct roster {
    struct roster_cadre *c; /* by cadre id */
    size_t n, cap;
};

int roster_load(struct store *s, const struct policy *p, const struct zc_scope *scope,
                const char *ym, struct roster *out, struct zc_error *err);
/* The same with each village's field rules (the residence rule, the case
 * thresholds) from the policy `pm` gives it. */
struct field_policy_map;
int roster_load_map(struct store *s, const struct field_policy_map *pm,
                    const struct zc_scope *scope, const char *ym, struct roster *out,
                    struct zc_error *err);
void roster_fini(struct roster *r);
struct roster_cadre *roster_find(struct roster *r, int64_t cadre);

#endif
