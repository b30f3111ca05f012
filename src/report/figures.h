/* SPDX-License-Identifier: MIT */
/* figures.h - the figures the web pages and `zhucun report` show, as data.
 *
 *   report_overview   the home page: coverage of the poor villages by poverty
 *                     class, the serving cadres and their make-up (unit
 *                     category and level, the units sending most, age bands,
 *                     education), and the same coverage one level down
 *   report_team       a village's team serving, past postings, recalls and
 *                     its registered households by status
 *   report_profile    a cadre's eligibility under a policy, grades,
 *                     discipline and postings with their terms
 *
 * Each takes the caller's jurisdiction as a value (base/scope.h) whose bounds
 * are bound as query parameters (the statements are in report_sql.c), and an
 * optional day: the ledger as of that day (postings begun by then and not
 * yet ended) instead of every open posting. Results are tables of typed
 * cells (struct fig_table) under the column keys the JSON answers use; the
 * caller owns what it gets and frees it with the matching _free. Renderers:
 * report_*_json (the HTTP answer's JSON, also `report --format json`) and
 * report_*_doc (the Chinese tables of the workbooks, report/doc.h). */
#ifndef ZC_REPORT_FIGURES_H
#define ZC_REPORT_FIGURES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"
#include "policy/policy.h"
#include "report/doc.h"
#include "select/select.h"

struct store;

/* ---- tables of typed cells ------------------------------------------------------ */

enum fig_kind {
    FIG_INT,  /* an integer */
    FIG_REAL, /* a decimal */
    FIG_TEXT, /* text */
    FIG_CODE, /* a division code read as an integer, held as its text ("450124") */
};

struct fig_col {
    const char *key; /* JSON key, e.g. "first_secretary" */
    enum fig_kind kind;
};

struct fig_cell {
    bool null; /* SQL NULL: JSON null, an empty cell */
    int64_t i; /* FIG_INT */
    double r;  /* FIG_REAL */
    char *s;   /* FIG_TEXT, FIG_CODE: owned */
};

struct fig_table {
    const struct fig_col *cols; /* static, ncols entries */
    size_t ncols;
    size_t nrows, cap;
    struct fig_cell *cells; /* nrows * ncols, row-major */
};

/* The cell at (row, col); NULL when out of range. */
const struct fig_cell *fig_at(const struct fig_table *t, size_t row, size_t col);
/* The column named `key`, or -1. */
int fig_col_of(const struct fig_table *t, const char *key);
/* Integer value of (row, key): 0 when null or absent. Text of (row, key):
 * NULL when null or absent. */
int64_t fig_int(const struct fig_table *t, size_t row, const char *key);
const char *fig_text(const struct fig_table *t, size_t row, const char *key);
/* The rows as a JSON array of objects (keys in column order, null for NULL);
 * one row as an object ({} when there is none). */
json_t *fig_json(const struct fig_table *t);
json_t *fig_row_json(const struct fig_table *t, size_t row);
void fig_table_fini(struct fig_table *t);

/* ---- options -------------------------------------------------------------------- */

struct report_opts {
    const char *date; /* "YYYY-MM-DD": as of that day; NULL: the overview as of today, a team
                       * with every open posting (also those not yet begun) */
};

/* ---- the overview --------------------------------------------------------------- */

struct report_overview {
    char scope[16];   /* the division's code as written ("450124"), "" = everywhere */
    char name[128];   /* its name, "" when unknown or everywhere */
    int level;        /* its division level (0 = everywhere) */
    char today[11];   /* the day the figures are for (ages, as_of) */
    int team_size[3]; /* a full team by poverty class: none, poor, deep (policy defaults) */
    struct fig_table coverage; /* poverty, villages, first_secretary, full_team, with_team,
                                * poor_households, poor_people */
    struct fig_table cadres;   /* one row: serving, first_secretaries, party_members, reserve,
                                * female, units, villages, under_45, bachelor_plus,
                                * in_villages (the rest serve at a county or township post) */
    struct fig_table by_category, by_level, by_unit, by_age, by_education;
    struct fig_table areas; /* one level down: code, name, villages, poor, deep, covered,
                             * full_team, serving, lat, lng */
};

/* The overview of `scope` (a division scope; ZC_EFORBIDDEN for a cadre
 * scope: one person has no jurisdiction to summarise). */
int report_overview(struct store *s, const struct zc_scope *scope, const struct report_opts *o,
                    struct report_overview **out, struct zc_error *err);
void report_overview_free(struct report_overview *ov); /* NULL is a no-op */
json_t *report_overview_json(const struct report_overview *ov);
/* The overview's workbook tables under Chinese headers (the coverage by class
 * with its total first, the areas with their rate, the make-up tables), or
 * only the areas; *rows gets the number of table rows. Free with
 * report_doc_free. */
struct report_doc *report_overview_doc(const struct report_overview *ov, bool areas_only,
                                       size_t *rows);

/* ---- a village's team ----------------------------------------------------------- */

struct report_team {
    int64_t village;             /* 12-digit code */
    char name[128];              /* the village's name */
    char as_of[11];              /* the day asked for, "" for the open postings */
    struct fig_table team;       /* cadre, name, unit, unit_name, category, role, start, end,
                                  * order, term_end */
    struct fig_table history;    /* the same columns: postings ended (by the day) */
    struct fig_table recalls;    /* cadre, name, date, reason, role */
    struct fig_table households; /* status, households, members */
};

/* The team of `village`: ZC_ENOTFOUND when it is not a village the scope sees. */
int report_team(struct store *s, const struct zc_scope *scope, int64_t village,
                const struct report_opts *o, struct report_team **out, struct zc_error *err);
void report_team_free(struct report_team *t);
json_t *report_team_json(const struct report_team *t);
/* The team and the past postings as workbook tables (roles in Chinese),
 * dated `as_of` or else `today`. */
struct report_doc *report_team_doc(const struct report_team *t, const char *today, size_t *rows);

/* ---- a cadre's profile ---------------------------------------------------------- */

struct report_profile {
    int64_t cadre;
    char unit[40];                /* the cadre's unit code */
    char policy[POLICY_NAME_MAX]; /* the policy judged by */
    bool found;                   /* the eligibility scan saw the cadre */
    struct eligible_result elig;  /* its result (when found) */
    struct fig_table grades;      /* year, grade */
    struct fig_table discipline;  /* year, kind */
    struct fig_table postings;    /* village, village_name, role, start, end, order, term_years,
                                   * term_end */
};

/* The profile of cadre `id` judged by `p`: ZC_ENOTFOUND when the scope does
 * not see the cadre. */
int report_profile(struct store *s, const struct zc_scope *scope, const struct policy *p,
                   int64_t id, struct report_profile **out, struct zc_error *err);
void report_profile_free(struct report_profile *pr);
json_t *report_profile_json(const struct report_profile *pr);

/* The day figures are dated when none is asked for: ZHUCUN_TODAY (a
 * scenario's date) or today, as YYYY-MM-DD. */
void report_today(char out[16]);

#endif
