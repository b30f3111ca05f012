/* SPDX-License-Identifier: MIT */
/* field.h - field work (管): what happens after the dispatch order.
 *
 * A stationed cadre leaves records: check-ins (签到到岗) with a position,
 * leave and official trips (请销假), diary entries (工作日志) and household
 * visits (入户走访). From them this module derives, without asking the
 * cadre for anything more:
 *   - the evidence of each check-in: inside or outside the village's
 *     geofence and how far, a weak fix, a changed device, the speed from
 *     the previous point (stored with the record, never as a score);
 *   - the residence ledger (驻村考勤台账) of a month: days and nights in the
 *     village, leave and trip days, whether the policy's rule (e.g. 安龙
 *     五天四夜, 20 days a month) is met, the subsidy it earns, and for one
 *     cadre every day with the records behind it;
 *   - the "两头跑" cases for an inspector: each a cadre, a day, a rule and
 *     its evidence (impossible_travel, outside_on_present_day,
 *     repeated_coordinates, home_city_on_village_day,
 *     diary_without_presence). The county judges a case with a reason:
 *     dismissed, or confirmed (核实, what supervision counts); nothing is
 *     deleted.
 *
 * Times are the village's local time (Asia/Shanghai, UTC+8, no daylight
 * saving) as "YYYY-MM-DD HH:MM:SS"; positions are WGS-84 (GCJ-02 input is
 * converted). Every call takes the caller's scope (base/scope.h): reads see
 * only villages inside it, writes outside it fail with ZC_EFORBIDDEN.
 * Statements live in field_sql.c. */
#ifndef ZC_FIELD_H
#define ZC_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"
#include "ingest/tablewriter.h"

struct store;
struct policy;

/* ---- check-ins -------------------------------------------------------------- */

struct field_checkin {
    int64_t cadre;         /* cadre.id */
    char at[20];           /* capture time, local "YYYY-MM-DD HH:MM:SS" */
    bool has_pos;          /* lat/lng given */
    double lat, lng;       /* degrees */
    bool gcj02;            /* the point is GCJ-02 (Chinese map SDKs): converted */
    double accuracy_m;     /* < 0: unknown */
    const char *device;    /* device key or name; NULL = "" */
    const char *source;    /* "phone", "import", "api" or "demo" */
    const char *client_id; /* idempotency key, or NULL */
    const char *result;    /* an attendance export's 打卡结果 (正常, 外勤 ...), or NULL */
    const char *place;     /* 打卡地址, or NULL */
    const char *photo;     /* content hash of a stored photo, or NULL */
    const char *synced_at; /* when it reached the server (local time), NULL = now */
    bool signed_by_device; /* the HTTP layer verified the device's signature */
    bool same_second_dup;  /* a record of this cadre at this very second is this one
                              (imports: re-importing a file adds nothing) */
    bool demo;             /* generated demo record */
};

struct field_evidence {
    int64_t id;          /* checkin.id */
    int64_t village;     /* where the cadre was stationed that day */
    bool duplicate;      /* client_id seen before: nothing written, id is the first's */
    int inside;          /* 1 inside the geofence, 0 outside, -1 unknown */
    double distance_m;   /* from the village centre; < 0 unknown */
    bool weak;           /* accuracy worse than the policy's weak_accuracy_m */
    bool device_changed; /* a different device than the previous check-in */
    double speed_kmh;    /* from the previous point; < 0 unknown */
    bool late;           /* synced more than a day after capture */
};

/* Record one check-in and derive its evidence. ZC_EINVAL when the cadre is
 * not stationed anywhere on that day or a field is malformed; ZC_EFORBIDDEN
 * when the cadre or village is outside `scope`. */
int field_checkin_add(struct store *s, const struct policy *p, const struct zc_scope *scope,
                      const struct field_checkin *in, struct field_evidence *out,
                      struct zc_error *err);

/* Many check-ins in the caller's transaction (imports, generators): the
 * statements are prepared once. `in->at` must be canonical (field_time_parse). */
struct field_writer;
int field_writer_open(struct store *s, const struct policy *p, struct field_writer **out,
                      struct zc_error *err);
void field_writer_close(struct field_writer *w); /* NULL is a no-op */
int field_writer_add(struct field_writer *w, const struct zc_scope *scope,
                     const struct field_checkin *in, struct field_evidence *out,
                     struct zc_error *err);

/* Parse "YYYY-MM-DD HH:MM[:SS]" (also with 'T', '/' separators) into the
 * canonical form; false when it is not a valid time. */
bool field_time_parse(const char *s, char out[20]);

/* ---- import of attendance exports ------------------------------------------- */

struct field_import_report {
    size_t rows, added, duplicates; /* data rows, written, already present */
    size_t nerrors;                 /* bad cells (then nothing is written) */
    char **lines;                   /* up to 50 "FILE:ROW:COLUMN: message" */
    size_t nlines;
    bool dingtalk; /* the file was read as a DingTalk 原始记录 export */
};

void field_import_report_fini(struct field_import_report *r);

/* `zhucun import checkins FILE`: zhucun's columns (身份证号, 打卡时间, 纬度,
 * 经度, 精度(米), 设备) or a DingTalk 原始记录 sheet (姓名, 工号, 考勤日期,
 * 打卡时间, 打卡结果, 打卡地址, 打卡设备 ...) through an alias table; `map` is
 * a NULL-terminated list of "列名=field" overrides (fields: id_number, name,
 * date, time, lat, lng, accuracy, device, result, place). Of a workbook, the
 * sheet named `sheet` is read (refused when there is none), or with `sheet`
 * NULL the sheet 原始记录 when there is one (a DingTalk export keeps its
 * summaries first), else the first. All or nothing. */
int field_import_checkins(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *path, const char *const *map, const char *sheet,
                          struct field_import_report *rep, struct zc_error *err);

/* ---- leave and official trips (请销假, 公差) --------------------------------- */

enum field_leave_kind { FL_LEAVE, FL_TRIP, FL_MEETING };

struct field_leave_req {
    int64_t cadre;
    int kind;           /* FL_* */
    char start[11];     /* first day away, YYYY-MM-DD */
    char end[11];       /* last day away */
    const char *reason; /* may be NULL */
    const char *actor;  /* who asks: "cli:USER", "web:NAME" */
};

/* Ask for leave: refused (ZC_EINVAL, with the reason) when it overlaps a
 * pending or approved one, starts before today, or ends before it starts.
 * *approver receives the level that must approve it (PA_*). The cadre gets
 * a notice (kind "leave") that the request is copied to their sending unit,
 * as the 销假 is (field_leave_return). */
int field_leave_request(struct store *s, const struct policy *p, const struct zc_scope *scope,
                        const struct field_leave_req *in, int64_t *id, int *approver,
                        struct zc_error *err);
/* Approve or reject at level `level` (PA_*): ZC_EFORBIDDEN when the policy
 * names a higher approver; a rejection needs a reason. */
int field_leave_decide(struct store *s, const struct zc_scope *scope, int level, int64_t id,
                       bool approve, const char *note, const char *actor, struct zc_error *err);
/* 销假: back on `day` (ends the leave early, or late with the extra days
 * counted as leave). */
int field_leave_return(struct store *s, const struct zc_scope *scope, int64_t id, const char *day,
                       struct zc_error *err);

struct field_leave_row {
    int64_t id, cadre, village;
    const char *name, *village_name, *kind, *start, *end, *reason, *approver, *status;
    const char *returned; /* "" until 销假 */
    int days;
    const char *unit, *unit_name; /* the cadre's sending unit (派出单位) */
};

/* Leave and trips of cadres serving in `scope` (a cadre: their own),
 * newest first; `status` ("pending", "approved" ...) or NULL for all;
 * `unit` (or NULL) keeps the cadres that unit sent. A sending unit's scope
 * (zc_scope.unit) gets the copy the unit is owed (抄送派出单位): the leave and
 * returns of the cadres it sent, wherever they serve, and nobody else's;
 * asking it for another unit's is ZC_EFORBIDDEN. */
int field_leave_list(struct store *s, const struct zc_scope *scope, const char *status,
                     const char *unit, int (*fn)(void *ud, const struct field_leave_row *row),
                     void *ud, struct zc_error *err);
int field_leave_kind_parse(const char *s); /* "leave" 请假, "trip" 公差, "meeting" 会议; -1 */
const char *field_leave_kind_name(int kind);

/* ---- diary entries and household visits ------------------------------------- */

struct field_entry {
    int64_t cadre;
    bool visit;            /* a household visit (household required) */
    char day[11];          /* the day described */
    const char *household; /* household.id of the village, for visits */
    const char *text;
    bool has_pos;
    double lat, lng; /* WGS-84 */
    const char *client_id;
    const char *captured_at; /* when it was written (local time), NULL = now */
    const char *photo;       /* content hash of a photo the cadre uploaded, or NULL */
    bool demo;
    bool *resent; /* set when client_id was seen before: nothing written (may be NULL) */
};

/* Add an entry: refused when older than the policy's back-dating window,
 * in the future, or (visits) for a household of another village. A resend
 * with the same client_id returns the first id. */
int field_entry_add(struct store *s, const struct policy *p, const struct zc_scope *scope,
                    const struct field_entry *in, int64_t *id, struct zc_error *err);
/* Edit entry `id`: its text, and for a visit its household (either NULL:
 * unchanged; not both); the earlier version (text and household) is kept.
 * A new household must be registered and of the entry's village (where the
 * cadre served on its day), and a diary entry takes none (ZC_EINVAL naming
 * the household and the villages). With a policy `p`, an entry whose day
 * is older than its back-dating window is refused (ZC_EINVAL naming the
 * rule), as adding it would be; NULL (the CLI's correction by the
 * organisation department) has no window. An entry outside `scope` (a
 * cadre scope: someone else's) is ZC_ENOTFOUND. *version (may be NULL)
 * receives the new version number. */
int field_entry_edit(struct store *s, const struct policy *p, const struct zc_scope *scope,
                     int64_t id, const char *text, const char *household, int *version,
                     struct zc_error *err);

struct field_entry_row {
    int64_t id, cadre, village;
    const char *name, *kind, *day, *household, *text;
    int version;
    const char *photo;                   /* the photo's hash, "" if none */
    const char *written_at, *updated_at; /* local times: first written, last edited */
};

/* The earlier versions of an entry (field_entry_edit keeps each). */
struct field_entry_version_row {
    int version;
    const char *text, *household; /* household "" for a diary entry */
    const char *saved_at;         /* when it was replaced */
};

/* Entry `id` (ZC_ENOTFOUND outside `scope`, a cadre's: their own) to
 * `entry`, then its earlier versions, oldest first, to `version`. */
int field_entry_history(struct store *s, const struct zc_scope *scope, int64_t id,
                        int (*entry)(void *ud, const struct field_entry_row *row),
                        int (*version)(void *ud, const struct field_entry_version_row *v), void *ud,
                        struct zc_error *err);

/* Which entries field_entry_query lists: all of them are ANDed. */
struct field_entry_filter {
    int64_t village;       /* > 0: one village (inside the scope, or nothing) */
    int64_t cadre;         /* > 0: one cadre (a cadre scope: their own, or nothing) */
    const char *household; /* or NULL */
    const char *from, *to; /* days YYYY-MM-DD, inclusive, or NULL */
    int limit;             /* <= 0: 100 */
};

/* Diary entries and visits matching `f` inside `scope`, newest first. */
int field_entry_query(struct store *s, const struct zc_scope *scope,
                      const struct field_entry_filter *f,
                      int (*fn)(void *ud, const struct field_entry_row *row), void *ud,
                      struct zc_error *err);

/* Diary entries and visits, newest first (at most `limit`), of one village
 * (`village` > 0) and/or one household (`household` non-NULL), inside
 * `scope` (a cadre: their own): the same record the diary and the monthly
 * figures use, shown on the village's and the household's pages. */
int field_entry_list(struct store *s, const struct zc_scope *scope, int64_t village,
                     const char *household, int limit,
                     int (*fn)(void *ud, const struct field_entry_row *row), void *ud,
                     struct zc_error *err);

/* What each cadre of `scope` wrote in month `ym`: diary entries, visits
 * and distinct households visited, in cadre order (cadres with none are
 * not listed). The assessment reads these counts; the texts stay here. */
struct field_work_row {
    int64_t cadre;
    int diaries, visits, households;
};

int field_month_work(struct store *s, const struct zc_scope *scope, const char *ym,
                     int (*fn)(void *ud, const struct field_work_row *row), void *ud,
                     struct zc_error *err);

/* Visits per household and cadre in the villages of `scope` (all cadres:
 * the caller decides whose visits count): how many on or after `since`
 * (YYYY-MM-DD) and the day of the last one, ordered by household, cadre.
 * What the responsible cadres' list (src/aid) reads. */
struct field_visit_sum {
    const char *household;
    int64_t cadre;
    int visits_since;
    const char *last_day;
};

int field_household_visits(struct store *s, const struct zc_scope *scope, const char *since,
                           int (*fn)(void *ud, const struct field_visit_sum *row), void *ud,
                           struct zc_error *err);

/* ---- the residence ledger ----------------------------------------------------- */

/* Day states in a ledger row. */
enum field_day_state {
    FD_NOT_POSTED = 0, /* not stationed that day */
    FD_ABSENT,         /* stationed, no evidence, no leave */
    FD_PRESENT,        /* evidence in the village */
    FD_LEAVE,          /* approved leave */
    FD_TRIP,           /* approved official trip or meeting */
    FD_FUTURE,         /* after today: not judged yet */
};

struct field_presence_row {
    int64_t cadre;
    const char *id_number, *name, *village_name, *unit_name;
    int64_t village;
    bool has_pos;      /* the village's centre is known */
    double lat, lng;   /* WGS-84 */
    int posted_days;   /* days stationed in the month */
    int days, nights;  /* in the village */
    int leave_days;    /* approved leave */
    int trip_days;     /* official trips and meetings (count towards the rule) */
    int required_days; /* the monthly rule, prorated; 0 = not checked */
    int weeks_checked; /* full weeks the weekly rule applied to */
    int weeks_failed;  /* ... and failed */
    bool ok;           /* 达标 */
    int evidence;      /* records behind the present days and nights */
    int late;          /* check-ins that reached the server over a day late (补报) */
    int64_t subsidy_fen;
    int ndays;                     /* days in the month */
    unsigned char state[31];       /* FD_* per day */
    bool night[31];                /* the night starting that day was proven */
    int day_evidence[31];          /* records per day */
    const char *const *day_detail; /* with a cadre filter: per day, the records ("" none) */
};

/* The ledger of month `ym` ("YYYY-MM") for every cadre stationed in
 * `scope` that month, in cadre order; `cadre` > 0 keeps one cadre and fills
 * day_detail. fn returns ZC_OK to go on. */
int field_presence(struct store *s, const struct policy *p, const struct zc_scope *scope,
                   const char *ym, int64_t cadre,
                   int (*fn)(void *ud, const struct field_presence_row *row), void *ud,
                   struct zc_error *err);

/* ---- contested days ------------------------------------------------------------------- */

/* A cadre contests a day of their ledger (补记: "I was in the village,
 * the phone had no signal"); the county decides. An accepted contest makes
 * the day present, with the contest as its evidence. One per cadre and day;
 * only days up to today. */
int field_contest_add(struct store *s, const struct zc_scope *scope, int64_t cadre, const char *day,
                      const char *reason, int64_t *id, struct zc_error *err);
/* Accept or reject at `level` (PA_*): the county or above decides. */
int field_contest_decide(struct store *s, const struct zc_scope *scope, int level, int64_t id,
                         bool accept, const char *note, const char *actor, struct zc_error *err);

struct field_contest_row {
    int64_t id, cadre, village;
    const char *name, *village_name, *day, *reason, *status, *note;
};

int field_contest_list(struct store *s, const struct zc_scope *scope, const char *status,
                       int (*fn)(void *ud, const struct field_contest_row *row), void *ud,
                       struct zc_error *err);

/* ---- "两头跑" cases ------------------------------------------------------------ */

struct field_case {
    int64_t cadre;
    const char *id_number, *name, *village_name;
    int64_t village;
    char day[11];
    const char *rule;      /* impossible_travel, outside_on_present_day, ... */
    const char *detail;    /* what was seen, in words */
    const char *detail_zh; /* the same in Chinese (the web UI's) */
    const char *evidence;  /* the records: "checkin:123,checkin:124" */
    bool dismissed;
    const char *dismiss_reason;
    bool confirmed;             /* 核实 by the county: counts in supervision */
    const char *confirm_reason; /* (a case is open, dismissed or confirmed) */
};

/* Rule codes, in the order cases are listed for a day, and their Chinese
 * names (the web UI's zh labels), e.g. "坐标多日完全相同". A verdict
 * (verdict.c) takes either. */
extern const char *const field_case_rules[5];
const char *field_case_rule_name(const char *rule); /* the code itself if unknown */

int field_cases(struct store *s, const struct policy *p, const struct zc_scope *scope,
                const char *ym, int (*fn)(void *ud, const struct field_case *c), void *ud,
                struct zc_error *err);
/* field_presence(..., cadre 0, row_fn, ...) and then field_cases(...,
 * case_fn, ...) from one read of the month's records (the assessment reads
 * both: the month's check-ins and entries are the larger part of its work). */
int field_presence_cases(struct store *s, const struct policy *p, const struct zc_scope *scope,
                         const char *ym,
                         int (*row_fn)(void *ud, const struct field_presence_row *row),
                         int (*case_fn)(void *ud, const struct field_case *c), void *ud,
                         struct zc_error *err);
/* Dismiss the case (cadre, day, rule) with a reason; it stays listed as
 * dismissed. ZC_ENOTFOUND for an unknown rule or cadre. */
int field_case_dismiss(struct store *s, const struct zc_scope *scope, int64_t cadre,
                       const char *day, const char *rule, const char *reason, const char *actor,
                       struct zc_error *err);
/* Confirm (核实) the case with a reason, as field_case_dismiss; a later
 * dismissal or confirmation replaces the verdict. */
int field_case_confirm(struct store *s, const struct zc_scope *scope, int64_t cadre,
                       const char *day, const char *rule, const char *reason, const char *actor,
                       struct zc_error *err);

/* The rule's code for a code or its Chinese name ("位移速度异常"), or NULL. */
const char *field_case_rule_code(const char *text);

/* One verdict written by field_case_verdict_file. */
struct field_case_verdict {
    int64_t cadre;
    const char *day, *rule, *reason;
    bool confirmed; /* else dismissed */
};

/* `zhucun cases confirm|dismiss --file FILE`: a CSV or XLSX file of cases
 * (the export of `cases --format csv|xlsx`, or any file with the columns
 * 干部编号 or 身份证号, 日期, 规则 — a code or its Chinese name — and 理由,
 * which `reason` stands in for where a row has none). Every row is checked
 * before any verdict is written; bad cells are listed in `rep` as
 * FILE:ROW:COLUMN and nothing is written (ZC_EINVAL). Then each case is
 * confirmed (or dismissed) as by field_case_confirm, and `fn` (may be NULL)
 * called after each, e.g. for its audit entry; a refused verdict (another
 * jurisdiction, a cadre never stationed) stops with the row named. In the
 * caller's transaction: on error the caller rolls back. rep->added counts
 * the verdicts written. */
int field_case_verdict_file(struct store *s, const struct zc_scope *scope, const char *path,
                            bool confirm, const char *reason, const char *actor,
                            int (*fn)(void *ud, const struct field_case_verdict *v), void *ud,
                            struct field_import_report *rep, struct zc_error *err);

/* Calendar: month "YYYY-MM" -> days since 1970-01-01 of its first day and
 * its length (false if malformed); days -> "YYYY-MM-DD". */
bool field_month_range(const char *ym, int64_t *first, int *ndays);
void field_date_text(int64_t days, char out[11]);

/* A cadre named by cadre.id or by 身份证号 (18 characters); ZC_ENOTFOUND. */
int field_cadre_lookup(struct store *s, const char *text, int64_t *id, struct zc_error *err);

/* ---- photos (evidence of a check-in) ----------------------------------------- */

/* The largest photo the server keeps: a phone page scales its pictures down
 * to well under this before sending them. */
#define FIELD_PHOTO_MAX_BYTES (2u << 20)

/* "image/jpeg" or "image/png" when the bytes start like one (magic bytes,
 * not the name or the declared type), else NULL. */
const char *field_photo_type(const void *data, size_t n);

struct field_photo_put {
    char hash[65];    /* SHA-256 of the bytes, hex: how the photo is named */
    const char *mime; /* "image/jpeg" or "image/png" */
    bool created;     /* false: the same bytes were stored already (deduplicated) */
    int64_t village;  /* the cadre's village (for the audit record) */
};

/* Store a photo for `cadre` (a cadre scope: only their own). ZC_EINVAL when
 * the bytes are not a JPEG or PNG, ZC_ETOOBIG above FIELD_PHOTO_MAX_BYTES,
 * ZC_EFORBIDDEN for a cadre outside `scope`. The same bytes are stored once;
 * each uploading cadre is recorded, so the cadre may attach it to their
 * check-ins (field_checkin.photo = the hash). In the caller's transaction. */
int field_photo_add(struct store *s, const struct zc_scope *scope, int64_t cadre, const void *data,
                    size_t n, struct field_photo_put *out, struct zc_error *err);

/* A photo the caller may see: one attached to a check-in within `scope`, or
 * a cadre's own upload. ZC_ENOTFOUND otherwise (also for a malformed hash),
 * so its existence is not disclosed. *data (malloc'd) holds the bytes. */
int field_photo_get(struct store *s, const struct zc_scope *scope, const char *hash,
                    unsigned char **data, size_t *n, char mime[16], struct zc_error *err);

/* Retention (field.photos in the policy): a photo goes once every record
 * that carries it (check-ins, visits) is older than the policy's
 * keep_months for that record's village (the choice over it, `pm`) and
 * older than `before` when given; a photo no record carries goes once it
 * was uploaded unattached_days ago (and before `before`). A record keeps
 * the photo's hash, so what it showed can still be proven from a copy.
 * `dry_run` counts without deleting. One transaction; a record that comes
 * to carry a photo meanwhile keeps it. */
struct field_photo_prune_report {
    size_t photos;              /* photos looked at */
    size_t unattached, expired; /* deleted (or, dry run, would be) */
    int64_t unattached_bytes, expired_bytes;
    size_t kept; /* still needed */
    int64_t kept_bytes;
    size_t raced; /* judged prunable but taken meanwhile: kept */
};

struct field_policy_map;
int field_photo_prune(struct store *s, const struct field_policy_map *pm, const char *before,
                      bool dry_run, struct field_photo_prune_report *out, struct zc_error *err);

/* ---- the field policy per division ------------------------------------------- */

/* The field rules of a county need not be the default file's: organisation
 * staff choose a policy for a division (a province, city, county, township
 * or village), from the policy directory or from a plan (the policy its
 * match used). A record of a cadre follows the innermost choice over their
 * village; a read over a division follows the innermost choice over it. */
struct field_policy_choice {
    int64_t division; /* where the choice was made; 0 = none (the default) */
    char name[64];    /* the policy's name */
    int64_t plan;     /* taken from this plan, or 0 */
    char by[96], at[20];
    int level;
    char division_name[64];
};

/* The choice that covers the 12-digit `code` (0 for none: *found false) and
 * its policy text (malloc'd into *text, NULL when none). */
int field_policy_choice_for(struct store *s, int64_t code, struct field_policy_choice *out,
                            char **text, bool *found, struct zc_error *err);

/* The same over the village `cadre` serves (or last served) in; *found
 * false also for a cadre never stationed. One statement: the check-in path. */
int field_policy_choice_for_cadre(struct store *s, int64_t cadre, struct field_policy_choice *out,
                                  char **text, bool *found, struct zc_error *err);

/* Choose policy text `text` (already validated by the caller) named `name`
 * for `division` (2..12 digits, within `scope`; ZC_EFORBIDDEN outside).
 * `plan` records where it came from (0: a policy file). */
int field_policy_choose(struct store *s, const struct zc_scope *scope, const char *division,
                        const char *name, const char *text, int64_t plan, const char *by,
                        struct field_policy_choice *out, struct zc_error *err);

/* The policy a plan was matched with (its name and text, malloc'd), for
 * `field policy set --plan`; ZC_ENOTFOUND for an unknown plan. */
int field_plan_policy(struct store *s, int64_t plan, char name[64], char **text,
                      struct zc_error *err);

/* The policy for a record or read at the 12-digit `code` (for `cadre` > 0:
 * at the cadre's village): the chosen policy parsed into *out, else a copy
 * of `dflt`. `choice` (may be NULL) tells which (division 0 = the default).
 * ZC_EINVAL when a stored choice no longer parses. */
int field_policy_at(struct store *s, int64_t code, int64_t cadre, const struct policy *dflt,
                    struct policy *out, struct field_policy_choice *choice, struct zc_error *err);

/* Remove the choice made for `division`; ZC_ENOTFOUND when there is none. */
int field_policy_clear(struct store *s, const struct zc_scope *scope, const char *division,
                       struct zc_error *err);

/* The choices within `scope`, in code order. */
typedef int (*field_policy_choice_cb)(void *ud, const struct field_policy_choice *c);
int field_policy_choices(struct store *s, const struct zc_scope *scope, field_policy_choice_cb cb,
                         void *ud, struct zc_error *err);

/* The policies a read over a division judges each village by, when the
 * villages it covers need not all follow the same choice (the monthly
 * assessment, the annual grades, the outcomes): the choice over the scope
 * itself (as field_policy_at reads it) and every choice made for a division
 * inside the scope, each parsed once. A village or county follows the
 * innermost of them that covers it, else the one over the scope, else the
 * default. */
struct field_policy_area {
    int64_t lo, hi; /* the division's 12-digit code range */
    int level;
    struct policy *p; /* owned */
    struct field_policy_choice choice;
};

struct field_policy_map {
    struct policy *base; /* over the scope; owned */
    struct field_policy_choice base_choice;
    struct field_policy_area *area; /* inside the scope, in code order */
    size_t n;
};

/* Build the map for `scope` (a cadre scope: the cadre's village's choice)
 * with `dflt` where nothing was chosen; `by_division` false makes every
 * code follow `dflt` (a policy file named on the command line). ZC_EINVAL
 * when a stored choice no longer parses. */
int field_policy_map_open(struct store *s, const struct zc_scope *scope, const struct policy *dflt,
                          bool by_division, struct field_policy_map *out, struct zc_error *err);
/* The policy for the 12-digit `code` (a village; a township or county:
 * the innermost choice over the whole division). */
const struct policy *field_policy_map_at(const struct field_policy_map *m, int64_t code);
/* The same with the choice it came from (division 0 = the default). */
const struct field_policy_choice *field_policy_map_choice(const struct field_policy_map *m,
                                                          int64_t code);
void field_policy_map_fini(struct field_policy_map *m); /* NULL-safe, idempotent */

/* Local "now" as "YYYY-MM-DD HH:MM:SS" (ZHUCUN_NOW overrides, for tests
 * and demos; else ZHUCUN_TODAY at 12:00; else the clock, UTC+8). */
void field_now(char out[20]);

#endif
