/* SPDX-License-Identifier: MIT */
/* scenario_int.h - the parsed scenario, shared by scenario.c (reading and
 * validation), generator.c and coords.c. Not part of the public API. */
#ifndef ZC_SCENARIO_INT_H
#define ZC_SCENARIO_INT_H

#include "scenario.h"

#define SC_MAX_MIX 24 /* entries in one mix (ranks, birth ranges, skills...) */

/* A distribution over values: exact counts by scenario_apportion(). */
struct sc_mix {
    size_t n;                  /* entries */
    char *key[SC_MAX_MIX];     /* value: a rank, "1980-1989", a grade... */
    double weight[SC_MAX_MIX]; /* count or weight */
    int64_t lo[SC_MAX_MIX];    /* parsed "A-B" ranges (born, age) */
    int64_t hi[SC_MAX_MIX];    /* upper end, inclusive */
};

struct sc_range {
    int64_t lo, hi; /* inclusive; lo = hi = 0 when unset */
};

enum sc_select { SC_RURAL, SC_OTHER, SC_ALL };

enum sc_poverty_bits { SC_NONE = 1, SC_POOR = 2, SC_DEEP = 4 };

/* units[]: one unit, or a set generated from a template. */
struct sc_unitset {
    char *set;       /* set name, used by cadre groups and pairings */
    char *code;      /* a single unit's code, or NULL */
    char *name;      /* name or template: {div} {n} {name} */
    char *level;     /* province / city / county / township */
    char *category;  /* fixed category, or NULL when names[] carry them */
    char *division;  /* fixed division code (string), or NULL */
    char *per;       /* NULL, or "city" / "county" / "township": one per division */
    char *within;    /* prefix for per */
    size_t count;    /* units (or divisions drawn, with per); 0 = all / names */
    size_t nnames;   /* entries of names[] */
    char **name_cat; /* category per entry */
    char **name_txt; /* name per entry */
};

/* villages[]: which committees get ledger rows, and their poverty classes. */
struct sc_village_rule {
    char *within;               /* code prefix */
    enum sc_select select;      /* rural (200-399), other committees, or all */
    size_t count;               /* 0 = every candidate */
    size_t deep, poor;          /* exact class counts (named villages count) */
    struct sc_range population; /* residents per village */
    struct sc_range hamlets;    /* natural hamlets (自然屯) */
};

/* named[]: a village a report names, with what it says. */
struct sc_named {
    int64_t code;                 /* 12 digits */
    char *name;                   /* as the report writes it (checked against the tree) */
    int poverty;                  /* SC_NONE / SC_POOR / SC_DEEP */
    int states;                   /* bits 1 软 2 穷 4 乱 8 弱; -1 = generated */
    int64_t hamlets;              /* -1 = generated */
    int64_t population;           /* -1 = generated */
    int64_t poor_households;      /* -1 = generated */
    int64_t poor_population;      /* -1 = generated */
    int64_t remaining_households; /* still poor at `today`, -1 = generated */
    int64_t remaining_people;     /* their members, -1 = generated */
    char *needs;                  /* skill codes, ';'-joined, sorted */
    char *industries;             /* ';'-joined */
    char *paired_unit;            /* unit code, or NULL */
    char *note;                   /* what the report says (kept in demo_named) */
};

/* pairings[]: units of a set paired with villages (结对帮扶). */
struct sc_pairing {
    char *set;       /* unit set */
    char *within;    /* prefix */
    size_t villages; /* villages to pair */
    size_t counties; /* spread over this many counties (0 = any) */
    int poverty;     /* SC_* bits of eligible villages */
};

/* unit_pairings[]: unit with unit (13 hospitals with 11 clinics). */
struct sc_unit_pairing {
    char *a, *b; /* unit sets */
    char *kind;  /* label */
};

/* posts[]: posts above the village (挂职, 十百千), one seat each, laid round
 * robin over the places: post k goes to place k mod n with the title of
 * round k / n (a second post at a county is its 副县长 beside the 副书记). */
struct sc_post {
    char *at;         /* "counties" or "townships" */
    char *within;     /* code prefix */
    size_t places;    /* the first N places in code order (0 = all) */
    size_t count;     /* posts */
    char **titles;    /* by round */
    size_t ntitles;   /* at least one */
    char *code;       /* post codes CODE-001, CODE-002 ... */
    char *min_rank;   /* NULL = any */
    char *send_level; /* NULL = any */
    bool party;       /* holders must be party members */
};

/* A posting rule for a cadre group. */
struct sc_posting {
    char *at;      /* "paired", "villages", "townships", "counties" or a code */
    char *within;  /* prefix for villages/townships/counties */
    int poverty;   /* villages: SC_* bits (0 = any) */
    size_t per;    /* people per place (villages: first one is first secretary) */
    size_t places; /* use only the first N places in code order (0 = all) */
    char *role;    /* first_secretary / leader / member; NULL = by order */
    char *start;   /* YYYY-MM-DD */
    char *end;     /* YYYY-MM-DD or NULL */
    int64_t code;  /* parsed `at` when it is a code */
};

/* cadres[]: a group of people with the report's profile. */
struct sc_group {
    char *id;                      /* short key, kept in demo_group */
    char *label;                   /* what the report calls them */
    size_t count;                  /* people */
    size_t nunits;                 /* unit codes or sets */
    char **units;                  /* round robin over the resolved units */
    struct sc_mix rank;            /* 正厅..科员/其他 */
    struct sc_mix born;            /* "1980-1989": birth years */
    struct sc_mix age;             /* "30-44": age at `today` (born or age, not both) */
    struct sc_mix education;       /* 研究生 本科 大专 中专及以下 */
    struct sc_mix gender;          /* 男 女 */
    struct sc_mix grades;          /* per year, for the last 3 years */
    struct sc_mix skills;          /* skill -> share, each independent */
    double party;                  /* share of party members */
    double reserve;                /* share of reserve cadres (后备干部) */
    double volunteer;              /* share who signed up (自愿报名) */
    double on_staff;               /* share on the payroll (在职在编) */
    double discipline;             /* share with a recent 警告 */
    struct sc_range rural_years;   /* years of rural work */
    struct sc_range service_years; /* years of service */
    char *hometown;                /* prefix of home counties; NULL = the unit's province */
    size_t npostings;              /* rules, applied in order */
    struct sc_posting *postings;
};

struct scenario {
    char *path;             /* file, for messages */
    char *name;             /* "mashan-2018" */
    char *title;            /* human title */
    char *source;           /* the report */
    char *today;            /* YYYY-MM-DD: the scenario's date */
    char *policy;           /* policy name ("" = none) */
    uint64_t seed;          /* default seed */
    char *divisions;        /* comma-separated prefixes; NULL = the whole tree */
    bool households;        /* generate household rows */
    bool household_records; /* ... with members, causes, statuses, plans (aidgen.c) */
    size_t nunitsets;
    struct sc_unitset *unitsets;
    size_t nrules;
    struct sc_village_rule *rules;
    size_t nnamed;
    struct sc_named *named;
    size_t npairings;
    struct sc_pairing *pairings;
    size_t nunit_pairings;
    struct sc_unit_pairing *unit_pairings;
    size_t ngroups;
    struct sc_group *groups;
    size_t nposts;
    struct sc_post *posts;
    size_t nnotes;
    char **notes;
};

/* ---- the households' members, statuses, plans and cadres (aidgen.c) ------------------- */

#define AIDGEN_LEVELS 5

/* Statements of the scenario module written since issue 11 (scenario_sql.c). */
enum scenario_query {
    SQ_STATUS,       /* household, year, status, income, six checks, evidence, by, at */
    SQ_PLAN,         /* household, next level, status, at */
    SQ_PLAN_VERSION, /* household, measures text, at */
    SQ_MEASURE,      /* household, kind, what, amount, who, due, status, done */
    SQ_REVIEW,       /* household, level, decision, reason, reviewer, at */
    SQ_PAIRED,       /* -> village, paired unit */
    SQ_UNIT_CADRES,  /* unit -> cadre ids */
    SQ_VILLAGE_HH,   /* village -> household ids */
    SQ_ASSIGN,       /* household, cadre, since, at */
    SQ_CADRE_IDNUM,  /* cadre -> ID number */
    SQ_VISITED_FREE, /* cadre -> households it visited that have no responsible cadre */
    SQ_VILLAGE_FREE, /* village -> households without a responsible cadre */
    SQ_DEMO_LABEL,   /* label the assignments made by the demo */
    SQ_COUNT
};

extern const char *const scenario_sql[SQ_COUNT];

/* The generator's own rows (generator.c): the demo tables, what the
 * scenario was, its groups and who is in them, named villages, unit pairs.
 * Ledger rows go through the registry's row writers (registry.h). */
enum scenario_gen_query {
    SG_SCENARIO, /* name, title, source, seed, today, policy, notes */
    SG_GROUP,    /* id, name, label, count */
    SG_MEMBER,   /* cadre, group */
    SG_NAMED,    /* code, name, note */
    SG_PAIRING,  /* unit a, unit b, kind */
    /* field records (fieldgen.c) */
    SG_UNPLACED_UNITS, /* -> demo units with a division and no position: code, division */
    SG_ROSTER,         /* first day -> cadre, village, lat, lng, datum, radius, unit lat, lng */
    SG_CHECKINS_IN,    /* from, to -> a demo check-in in [from, to) */
    SG_COUNT
};

extern const char *const scenario_gen_sql[SG_COUNT];
extern const char scenario_sql_demo_schema[];

struct aidgen_household {
    const char *id, *head_id; /* the household and its head's ID number */
    int64_t village, members;
    int y, m, d; /* the head's birth date */
    bool male;
    const char *cause, *status; /* poor, exited, at_risk */
    int64_t income_fen;
    int poverty_year;
};

struct aidgen_stats {
    size_t members, statuses, plans, approved, measures, reviews, assigned;
};

/* A new unique ID number in a county for a birth date (the generator's). */
typedef void (*aidgen_id_fn)(void *ud, int64_t county6, int y, int m, int d, bool male, char *out);
/* A person's name. */
typedef void (*aidgen_name_fn)(struct scenario_rng *r, bool male, char *out, size_t outsz);

struct aidgen;
int aidgen_open(struct store *s, uint64_t seed, const char *today, aidgen_id_fn idgen,
                aidgen_name_fn namegen, void *ud, struct aidgen_stats *stats, struct aidgen **out,
                struct zc_error *err);
int aidgen_household(struct aidgen *a, const struct aidgen_household *h, struct zc_error *err);
/* After every household: responsible cadres from the paired units. */
int aidgen_responsible(struct aidgen *a, int per_cadre, struct zc_error *err);
void aidgen_close(struct aidgen *a);

#ifndef NELEM
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif
