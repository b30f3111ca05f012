/* SPDX-License-Identifier: MIT */
/* explain.h - why a stored plan is what it is (explain.c), as data: a
 * cadre's assignment with the score by rule, or why they were not sent;
 * why a cadre is not in a village; every slot of a village. The CLI
 * renders it as text (`zhucun explain`), the HTTP layer as JSON
 * (GET /api/v1/plans/ID/explain, `explain --format json`). */
#ifndef ZC_EXPLAIN_H
#define ZC_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store;

#define EXPLAIN_MAX_TERMS   16
#define EXPLAIN_MAX_REASONS 24

/* One term of a stored score breakdown ("department=30"). */
struct explain_term {
    char text[64];  /* as stored, "department=30" */
    char key[32];   /* "department" (the whole text when there is no value) */
    const char *zh; /* the web UI's name of the term (单位类别对口), or NULL if unknown */
    bool has_value; /* "key=value" */
    long value;     /* 30 */
};

/* A score by rule: the stored breakdown and its terms. */
struct explain_score {
    char breakdown[256]; /* "department=30;distance=-3" */
    struct explain_term terms[EXPLAIN_MAX_TERMS];
    int nterms;
};

/* A stored reason code (model_why_name, "recalled", "moved") in words. */
struct explain_why {
    char code[24];  /* "taken" */
    const char *zh; /* 人选均已派往更优先的岗位 (the code itself if unknown) */
    const char *en; /* every candidate was taken by ... (the code itself if unknown) */
};

/* One failed eligibility rule. */
struct explain_rule {
    const char *code; /* eligible_code_name */
    char zh[160], en[160];
};

enum explain_outcome {
    EX_ASSIGNED,     /* in a slot of the plan */
    EX_NOT_SENT,     /* in the model, not sent: why (the stored reason) */
    EX_NOT_ELIGIBLE, /* never in the model: the eligibility rules it fails */
    EX_OUT_OF_SCOPE  /* eligible, but the unit cannot send into the plan's scope */
};

struct explain_cadre {
    int64_t plan;
    char id_number[32]; /* masked */
    char name[64], unit[32];
    /* Assigned in the plan (also filled when why_not is asked). */
    bool assigned;
    int64_t village;
    char village_name[96];
    int64_t seq;
    char role[20];       /* model_role_name */
    const char *role_zh; /* model_role_zh, "?" if unknown */
    char need[32];       /* skill code of a need slot, else "" */
    char post_code[65];  /* a post's seat (挂职): the post's code and title, else "" */
    char post_title[129];
    int64_t score, dual;
    struct explain_score sc;
    /* Not assigned (why_not == 0 only). */
    enum explain_outcome outcome;
    struct explain_why why; /* EX_NOT_SENT */
    char detail[64];        /* EX_NOT_SENT: the stored detail ("candidates=3") */
    struct explain_rule rules[EXPLAIN_MAX_REASONS]; /* EX_NOT_ELIGIBLE */
    int nrules;
    /* Why not village why_not (0 = not asked): the answer in words. */
    int64_t why_not;
    char answer[1024];
};

struct explain_slot {
    int64_t seq;
    char role[20];       /* model_role_name */
    const char *role_zh; /* "?" if unknown */
    char need[32];       /* skill code, or "" */
    char need_zh[96];    /* its name in the vocabulary (驾驶), or "" */
    char post_code[65];  /* a post's seat (挂职): the post's code and title, else "" */
    char post_title[129];
    bool filled;
    /* filled */
    char id_number[32]; /* masked */
    char name[64], unit[32];
    int64_t score;
    struct explain_score sc;
    char
        qualification[160]; /* "; 任职条件: 中共党员, 正科" (why the person fits the role), or "" */
    /* unfilled */
    struct explain_why why;
    int64_t dual; /* the slot's price */
};

struct explain_village {
    int64_t plan, village;
    bool has_info;   /* the village is in the division tree: the fields below */
    char name[96];   /* 那可村委会 */
    char klass[32];  /* 深度贫困村 / 贫困村 / 非贫困村 (or the stored class); a
                        county's or township's posts: 县级挂职岗位 / 乡镇挂职岗位 */
    char states[16]; /* 穷弱, or — */
    char needs[256]; /* the needs by name (驾驶、电商), or "" */
    int64_t hamlets; /* 自然屯 */
    struct explain_slot *slots; /* owned: explain_village_free */
    size_t nslots;
};

/* Explain cadre `id_number` in plan `plan` (assignment with the score by
 * rule, or why not sent), or, with `why_not` != 0, why that cadre is not in
 * village `why_not` (the model is rebuilt on today's ledger with the
 * plan's policy). ZC_ENOTFOUND for an unknown plan or cadre. */
int explain_cadre(struct store *s, int64_t plan, const char *id_number, int64_t why_not,
                  struct explain_cadre *out, struct zc_error *err);

/* Explain every slot of `village` in plan `plan`; `with_info` also reads
 * the village's class, states and needs. ZC_ENOTFOUND when the plan has no
 * slot there (out->has_info and the village fields are still filled).
 * The caller frees with explain_village_free, whatever the result. */
int explain_village(struct store *s, int64_t plan, int64_t village, bool with_info,
                    struct explain_village *out, struct zc_error *err);
void explain_village_free(struct explain_village *v);

#endif
