/* SPDX-License-Identifier: MIT */
/* policy.h - the dispatch policy as data: who may be chosen, how teams are
 * made up, what makes a good fit, and the hard caps (issue 6).
 *
 * A policy is a JSON file (policies/NAME.json, documented key by key in
 * policies/README.md and docs/internals/policy.md). policy_load_file()
 * validates it and fills a `struct policy`, a plain value type: no pointers,
 * nothing to free, safe to copy. Readers (select/eligible.c, the matching
 * model in src/match) read its fields directly; every field documents its
 * unit. Every key is optional: a missing key keeps the national default of
 * policy_defaults(), so a province's file lists only what it changes. */
#ifndef ZC_POLICY_H
#define ZC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Unit categories (unit.category), as bits. */
enum policy_category {
    PC_PARTY = 1 << 0,       /* 党群 party and mass organisations */
    PC_ECONOMIC = 1 << 1,    /* 经济 */
    PC_LEGAL = 1 << 2,       /* 政法 political-legal */
    PC_AGRICULTURE = 1 << 3, /* 涉农 agriculture-related */
    PC_EDUCATION = 1 << 4,   /* 教育 */
    PC_HEALTH = 1 << 5,      /* 卫生 */
    PC_SOE = 1 << 6,         /* 国企 state-owned enterprise */
    PC_RESEARCH = 1 << 7,    /* 科研 */
    PC_OTHER = 1 << 8,       /* 其他 */
};

#define POLICY_NCATEGORIES 9

/* Village states (village.states), as stored: 1 软 2 穷 4 乱 8 弱. */
enum policy_state {
    PS_SOFT = 1,   /* 软: weak party organisation */
    PS_POOR = 2,   /* 穷: poor economy */
    PS_UNRULY = 4, /* 乱: disorder */
    PS_WEAK = 8,   /* 弱: weak collective economy */
};

/* Village classes (village.poverty), as indexes and bits. */
enum policy_class {
    PV_NONE = 0, /* not a registered poor village */
    PV_POOR = 1, /* 贫困村 */
    PV_DEEP = 2, /* 深度贫困村 */
};

#define POLICY_NCLASSES 3

/* Ranks (cadre.rank) as an ordinal: higher is more senior. */
enum policy_rank {
    PR_OTHER = 0, /* 其他 (no civil-service rank) */
    PR_KEYUAN,    /* 科员 */
    PR_FUKE,      /* 副科 */
    PR_ZHENGKE,   /* 正科 */
    PR_FUCHU,     /* 副处 */
    PR_ZHENGCHU,  /* 正处 */
    PR_FUTING,    /* 副厅 */
    PR_ZHENGTING, /* 正厅 */
};

/* Annual grades (cadre_grade.grade), as bits. */
enum policy_grade {
    PG_EXCELLENT = 1 << 0,   /* 优秀 */
    PG_COMPETENT = 1 << 1,   /* 称职 */
    PG_BASIC = 1 << 2,       /* 基本称职 */
    PG_INCOMPETENT = 1 << 3, /* 不称职 */
};

/* Education (cadre.education) as an ordinal. */
enum policy_education {
    PE_ANY = 0,       /* unknown / no requirement */
    PE_SECONDARY = 1, /* 中专及以下 */
    PE_COLLEGE = 2,   /* 大专 */
    PE_BACHELOR = 3,  /* 本科 */
    PE_GRADUATE = 4,  /* 研究生 */
};

#define POLICY_MAX_DISCIPLINE 16
#define POLICY_MAX_QUOTAS     256
#define POLICY_MAX_UNITS      64
#define POLICY_MAX_SKILLS     8
#define POLICY_NAME_MAX       64

/* How long a penalty bars dispatch (影响期). */
struct policy_discipline {
    char kind[32]; /* as recorded, e.g. "警告", "记过", "严重警告" */
    int months;    /* months from imposition; 0 = no bar */
};

struct policy_quota {
    int64_t county; /* 12-digit division code of a county (or city, province) */
    int max;        /* at most this many cadres sent into it */
};

struct policy_eligibility {
    bool on_staff;         /* 在职在编 required */
    int grade_years;       /* years this-N .. this year count; 0 = off */
    unsigned grade_reject; /* PG_* bits that disqualify, e.g. 基本称职 | 不称职 */
    struct policy_discipline discipline[POLICY_MAX_DISCIPLINE]; /* per kind */
    size_t ndiscipline;                                         /* used entries */
    int discipline_default_months;                              /* for kinds not listed */
    bool discipline_year_end;                 /* date unknown: assume 12-31 (true) or 01-01 */
    int min_service_years;                    /* 0 = no minimum ("not newcomers") */
    int max_age_male;                         /* completed years at dispatch; 0 = no limit */
    int max_age_female;                       /* completed years at dispatch; 0 = no limit */
    int dispatch_y, dispatch_m, dispatch_d;   /* age reference date; 0 = today */
    bool not_serving;                         /* refuse cadres with an open posting */
    bool party_member;                        /* every cadre must be a party member */
    bool volunteer;                           /* only volunteers (自愿报名) */
    int min_education;                        /* PE_*; PE_ANY = none */
    unsigned exclude_categories;              /* PC_* bits of units never drawn from */
    char exclude_units[POLICY_MAX_UNITS][32]; /* unit codes never drawn from */
    size_t nexclude_units;                    /* used entries */
    bool spouses_apart;                       /* never both spouses (checked at match time) */
};

/* A role's requirement: party member AND (rank >= min_rank OR (or_reserve
 * AND reserve cadre)). */
struct policy_role {
    bool required;     /* the team must have this role */
    bool party_member; /* must be a party member */
    int min_rank;      /* PR_*; PR_OTHER = any */
    bool or_reserve;   /* a reserve cadre (后备干部) passes the rank test */
};

struct policy_team {
    int size[POLICY_NCLASSES];          /* people per village, by PV_* (0 = no team) */
    struct policy_role first_secretary; /* 第一书记 */
    struct policy_role leader;          /* 队长 */
    bool secretary_leads;               /* the first secretary may also be the leader */
    unsigned stability_classes;         /* bit (1 << PV_*) of classes that need a 维稳 cadre */
    unsigned stability_categories;      /* PC_* bits that count as stability */
    char stability_skills[POLICY_MAX_SKILLS][32]; /* skill codes that count */
    size_t nstability_skills;                     /* used entries */
    bool need_slots;                              /* one slot per recorded village need */
    int max_need_slots;                           /* at most this many need slots per village */
    int driver_hamlets; /* a village with >= this many hamlets needs 'driving'; 0 = off */
};

struct policy_fit {
    unsigned department_states[POLICY_NCATEGORIES]; /* PS_* bits each category suits */
    int w_department;        /* bonus when the unit's category suits a village state */
    int w_skill_need;        /* bonus per village need the cadre's skills meet */
    int w_rural_deep;        /* bonus for rural experience in a deep-poverty village */
    int rural_years_deep;    /* rural years that count as experience */
    int w_paired_unit;       /* bonus when the cadre's unit is the village's pair (结对) */
    int w_volunteer;         /* bonus for a volunteer */
    int w_preferred;         /* bonus when the village is in the cadre's preferences */
    int w_distance_per_10km; /* penalty per 10 km between unit and village */
};

/* Avoidance of the hometown (avoidance.home): the division a cadre may not
 * serve in. `auto` fits the dispatch level: cadres of province and city
 * units avoid their home county, cadres of county and township units (a
 * county's own dispatch, all born in the county) their home township. A
 * hometown recorded less precisely than the level asked for (a county code
 * when the township is to be avoided) is not judged. */
enum policy_home { PH_NONE = 0, PH_COUNTY = 3, PH_TOWNSHIP = 4, PH_VILLAGE = 5, PH_AUTO = 9 };

struct policy_caps {
    bool avoid_home_county;     /* avoidance on at all (home_county: false turns it off) */
    int avoid_home;             /* PH_*: what "home" a cadre is kept out of (回避) */
    int max_unit_share_percent; /* at most this % of a unit's staff (unit.staff) drawn; 100 = no cap
                                 */
    struct policy_quota quota[POLICY_MAX_QUOTAS]; /* per-county quotas */
    size_t nquota;                                /* used entries */
    bool deep_first; /* deep-poverty villages are filled first (尽锐出战) */
    /* avoidance.level_classes: the village classes (1 << PV_* bits) the cadres of
     * units at each level may serve, by DIV_PROVINCE .. DIV_COUNTY (township units
     * count as county ones); every class by default. E.g. provincial units to
     * deep-poverty villages only (尽锐出战, seed 002's 十百千). */
    unsigned level_classes[4];
};

/* How often a stationed cadre is asked to check in (field.checkin). */
enum policy_checkin {
    PF_CHECKIN_NONE = 0,  /* never: presence comes from visits and diaries only */
    PF_CHECKIN_DAILY = 1, /* once a day */
    PF_CHECKIN_TWICE = 2, /* morning and evening (the evening one proves the night) */
};

/* Division levels that approve leave, from the lowest (field.leave_approval). */
enum policy_approver {
    PA_TOWNSHIP = 1, /* 乡镇党委 */
    PA_COUNTY = 2,   /* 县委组织部 */
    PA_CITY = 3,     /* 市委组织部 */
    PA_PROVINCE = 4, /* 省委组织部 */
};

#define POLICY_MAX_LEAVE_STEPS 4

/* One step of the leave chain: requests of at most max_days days (0 = any
 * length) are approved at `approver`. Steps are in increasing max_days. */
struct policy_leave_step {
    int max_days;
    int approver; /* PA_* */
};

/* Field work (管): the geofence, check-ins, the residence rule, leave, the
 * diary and the thresholds of the "两头跑" rules (src/field). Evidence is
 * never turned into a score of people: no field here weighs check-in
 * counts. Days and nights are in the village's local time (UTC+8). */
struct policy_field {
    int radius_m;        /* geofence radius for villages without their own */
    int checkin;         /* PF_CHECKIN_* */
    int night_from_min;  /* night window start, minutes after midnight (20:00 = 1200) */
    int night_to_min;    /* night window end on the next morning (06:00 = 360) */
    int days_per_week;   /* residence rule: days in the village per full week; 0 = off */
    int nights_per_week; /* nights per full week; 0 = off */
    int days_per_month;  /* days per month (prorated to the days posted); 0 = off */
    struct policy_leave_step leave[POLICY_MAX_LEAVE_STEPS]; /* approval chain */
    size_t nleave;                                          /* used entries */
    int diary_backdate_days;   /* diary entries and visits at most this many days back */
    int subsidy_day_fen;       /* subsidy per day present, in fen (0 = none) */
    int subsidy_month_fen;     /* subsidy per month the rule is met, in fen (0 = none) */
    bool from_visits;          /* a household visit in the village proves the day */
    bool from_diary;           /* a diary entry with a position in the village proves the day */
    int max_speed_kmh;         /* impossible_travel above this */
    int min_jump_m;            /* ... for jumps of at least this far (GPS noise below) */
    int repeated_days;         /* repeated_coordinates: same point on this many days */
    int home_radius_m;         /* home_city_on_village_day: this near the sending unit */
    int weak_accuracy_m;       /* a fix less accurate than this is weak evidence */
    int photo_keep_months;     /* photos of records older than this may be pruned; 0 = kept */
    int photo_unattached_days; /* an upload no record uses may be pruned after this */
};

/* Steps of the escalation ladder (assess.ladder), in order: 先学习班、再约谈、后处理. */
enum policy_ladder_step { PL_STUDY = 0, PL_TALK = 1, PL_PENALTY = 2, PL_NSTEPS = 3 };

#define POLICY_MAX_SANCTIONS 8

/* Supervision and assessment (考, src/assess): how inspections are drawn,
 * what puts a cadre on the negative list, the ladder, the monthly score,
 * the annual grades and the funds. Following the 2023 rules, nothing here
 * scores check-in counts or online time: presence is the residence
 * ledger's days against the rule, and individuals are not ranked in
 * public unless public_ranking is set. */
struct policy_assess {
    int sample_percent;       /* inspection sample: this % of the teams a month ... */
    int sample_min;           /* ... and at least this many */
    int sample_halves;        /* draws a month: 1 monthly, 2 half_monthly (半月一督查) */
    int w_base;               /* sampling weight every cadre has (> 0: nobody is exempt) */
    int w_case;               /* + per open "两头跑" case in the month */
    int w_finding;            /* + per finding in the last 12 months */
    int w_short;              /* + when the residence rule was not met */
    int ticket_days;          /* days to fix a finding (交办 -> 整改) */
    int neg_short_days;       /* negative list: this many days short of the rule (0 = off) */
    bool neg_cases;           /* ... a "两头跑" case the county confirmed (核实) */
    int neg_min_diary;        /* ... fewer diary entries and visits in the month (0 = off) */
    bool neg_overdue;         /* ... a ticket past its deadline */
    bool neg_findings;        /* ... a finding in the month */
    int ladder_window;        /* months the ladder counts back, this month included */
    int ladder_at[PL_NSTEPS]; /* months on the list in the window that propose each step */
    char sanctions[POLICY_MAX_SANCTIONS][16]; /* 处理 kinds (诫勉, 停职, 免职 ...) */
    unsigned sanction_recall;                 /* bit i: sanctions[i] ends the posting (召回) */
    size_t nsanctions;
    int w_presence, w_visits, w_tasks, w_findings, w_outcomes; /* monthly score weights */
    int visits_target;         /* distinct households visited a month for full marks */
    int excellent_percent;     /* 优秀 at most this % of a county's assessed cadres */
    int excellent_min;         /* yearly mean score for 优秀 ... */
    int competent_min;         /* ... 称职 */
    int basic_min;             /* ... 基本称职; below: 不称职 */
    int fund_work_fen;         /* per team and year: work funds (工作经费) */
    int fund_industry_fen;     /* ... industry funds (产业发展资金) */
    int fund_sec_work_fen;     /* per first secretary and year: work funds */
    int fund_sec_industry_fen; /* ... industry funds */
    bool public_ranking;       /* bulletins may rank named individuals */
};

#define POLICY_MAX_WEST 16

/* Outcomes (src/outcome): the exit rule of a poor village and a county
 * (贫困村出列, 贫困县摘帽): incidence (poor people / registered rural
 * population) below a share, a higher share in the western provinces. */
struct policy_outcomes {
    int exit_bp;               /* basis points: 2% = 200 */
    int exit_west_bp;          /* in the western provinces: 3% = 300 */
    int west[POLICY_MAX_WEST]; /* 2-digit province codes */
    size_t nwest;
    int income_line_fen; /* 脱贫: income per person per year at least this */
    /* 防返贫监测: an exited household whose latest income is below this
     * share of the line (percent; 150 = 1.5 times the line) is watched. */
    int watch_income_percent;
};

/* Helping the households (精准帮扶, src/aid): responsible cadres. */
struct policy_aid {
    int households_per_cadre; /* 帮扶责任人: at most this many households each */
    int visit_months;         /* a household not visited by its cadre for this long is flagged */
};

/* Posts above the village (挂职, src/match; seed 002's 十百千): a seat of a
 * post at a county or a township is a slot of the plan. Index 0 is the
 * county level, 1 the township level. */
enum { POLICY_POST_COUNTY = 0, POLICY_POST_TOWNSHIP = 1, POLICY_POST_NLEVELS = 2 };

struct policy_posts {
    /* Priority units (10^7 each, above any fit) an unfilled seat costs;
     * a village slot costs role weight x class weight (a deep-poverty
     * village's first secretary 6 x 3 = 18). */
    int weight[POLICY_POST_NLEVELS];
    /* The unit levels whose cadres may take a post at each level, as bits
     * 1 << DIV_PROVINCE .. 1 << DIV_TOWNSHIP (a township unit is level 4
     * here). E.g. county posts from provincial and city units only. */
    unsigned levels[POLICY_POST_NLEVELS];
};

struct policy {
    char name[POLICY_NAME_MAX];      /* short name, e.g. "hebei-2016" */
    char title[160];                 /* human title */
    struct policy_eligibility elig;  /* hard: who may be chosen */
    struct policy_team team;         /* hard: team make-up per village class */
    struct policy_fit fit;           /* soft: weights */
    struct policy_caps caps;         /* hard: avoidance and caps */
    struct policy_field field;       /* field work: presence, leave, diary, cases */
    struct policy_assess assess;     /* supervision and assessment */
    struct policy_outcomes outcomes; /* exit rules */
    struct policy_aid aid;           /* responsible cadres */
    struct policy_posts posts;       /* posts above the village (挂职) */
};

/* The exit threshold for a division code (basis points of incidence). */
int policy_exit_bp(const struct policy *p, int64_t code);

/* The built-in national default (Hebei-style), identical to
 * policies/default.json. */
void policy_defaults(struct policy *p);

/* Parse and validate a policy from memory; `name` is used in messages
 * ("policies/x.json:23: eligibility.min_service_years must be ..."). Keys
 * the file omits keep their defaults; unknown keys are errors (with a
 * suggestion), keys starting with '_' are comments. On error returns
 * ZC_EINVAL (ZC_ETOOBIG past 1 MiB) with err filled and *out unspecified. */
int policy_parse(const char *name, const char *text, size_t len, struct policy *out,
                 struct zc_error *err);

/* The same from a file (ZC_EIO / ZC_ENOTFOUND when it cannot be read). */
int policy_load_file(const char *path, struct policy *out, struct zc_error *err);

/* The default policy file: $ZHUCUN_POLICY, ./policies/default.json, or the
 * checkout the binary was built in. Returns a static string or NULL. */
const char *policy_default_path(void);

/* The policy files beside the default one (policies/NAME.json), for a
 * caller to choose among by name. */
struct policy_entry {
    char name[POLICY_NAME_MAX]; /* the file name without .json, e.g. "mashan-2018" */
    char title[160];            /* the file's title */
};

/* Every valid policy file in that directory, sorted by name ("default"
 * first); *out is the caller's to free(). A file that does not parse is
 * left out. ZC_ENOTFOUND when there is no policy directory. */
int policy_list(struct policy_entry **out, size_t *n, struct zc_error *err);

/* The path of policy NAME in that directory into out[n]. A name is 1-63 of
 * [a-z0-9_-] (no path); ZC_ENOTFOUND names the policies that exist. */
int policy_named_path(const char *name, char *out, size_t n, struct zc_error *err);

/* Names <-> values. Parsers return -1 for an unknown name. */
int policy_category_bit(const char *zh); /* "政法" -> PC_LEGAL */
const char *policy_category_name(unsigned bit);
int policy_rank_parse(const char *zh); /* "副科" -> PR_FUKE */
const char *policy_rank_name(int rank);
int policy_grade_bit(const char *zh);       /* "基本称职" -> PG_BASIC */
int policy_education_parse(const char *zh); /* "本科" -> PE_BACHELOR */
int policy_class_parse(const char *s);      /* "deep" -> PV_DEEP */

/* The approver level for a leave of `days` days (PA_*), and its name
 * ("township", "county", ...; policy_approver_parse is the inverse). */
int policy_leave_approver(const struct policy *p, int days);
const char *policy_approver_name(int approver);
int policy_approver_parse(const char *s);

/* Index of sanction `kind` in p->assess.sanctions, or -1. */
int policy_sanction_index(const struct policy *p, const char *kind);
const char *policy_ladder_step_name(int step); /* PL_* -> "study", "talk", "penalty" */
int policy_ladder_step_parse(const char *s);   /* and back; -1 */

/* Months a penalty of `kind` bars dispatch under `p`. */
int policy_discipline_months(const struct policy *p, const char *kind);

/* True if a cadre with these facts may be first secretary / leader. */
bool policy_role_ok(const struct policy_role *r, bool party_member, int rank, bool reserve);

#endif
