/* SPDX-License-Identifier: MIT */
/* field_int.h - shared by the files of src/field: the named statements
 * (field_sql.c), calendar arithmetic and the station lookup. */
#ifndef ZC_FIELD_INT_H
#define ZC_FIELD_INT_H

#include "field.h"
#include "store/store.h"

/* Named statements, texts in field_sql.c. */
enum field_query {
    FQ_STATION,           /* cadre, day -> village, lat, lng, datum, radius_m */
    FQ_PREV_CHECKIN,      /* cadre, at -> at, lat, lng, device of the previous check-in */
    FQ_CHECKIN_INSERT,    /* 19 columns -> id (no row when client_id is known) */
    FQ_CHECKIN_BY_CLIENT, /* client_id -> id */
    FQ_CADRE_BY_IDNUM,    /* id_number -> id */
    FQ_CADRE_BY_NAME,     /* name, day -> id of cadres stationed that day (two rows = ambiguous) */
    FQ_CADRE_VILLAGE,     /* cadre -> the village of the open posting (scope checks) */
    FQ_LEAVE_OVERLAP,     /* cadre, start, end -> id of a pending/approved overlapping leave */
    FQ_LEAVE_INSERT,
    FQ_LEAVE_GET,         /* id -> cadre, status, approver, start, end */
    FQ_LEAVE_DECIDE,      /* status, by, at, note, id */
    FQ_LEAVE_RETURN,      /* returned_date, id */
    FQ_ENTRY_BY_CLIENT,   /* client_id -> id */
    FQ_HOUSEHOLD_VILLAGE, /* household id -> village */
    FQ_ENTRY_INSERT,
    FQ_ENTRY_GET,         /* id -> cadre, village, version, text, household, day */
    FQ_ENTRY_KEEP,        /* entry, version, text, household, saved_at */
    FQ_ENTRY_UPDATE,      /* text, updated_at, id */
    FQ_MONTH_POSTINGS,    /* lo, hi, first, last, cadre lo, cadre hi */
    FQ_MONTH_LEAVES,      /* first, last, cadre lo, cadre hi */
    FQ_MONTH_CHECKINS,    /* from, to (exclusive), cadre lo, cadre hi */
    FQ_MONTH_ENTRIES,     /* first, last, cadre lo, cadre hi */
    FQ_MONTH_DISMISSALS,  /* first, last */
    FQ_DISMISS,           /* cadre, day, rule, reason, by, at, verdict */
    FQ_LEAVE_LIST,        /* lo, hi, cadre lo, cadre hi, status or NULL, unit or NULL */
    FQ_CADRE_UNIT,        /* cadre -> the sending unit's code and name */
    FQ_NOTICE_ADD,        /* cadre, kind, ref, text, created_at */
    FQ_CONTEST_INSERT,    /* cadre, day, reason, created_at -> id */
    FQ_CONTEST_GET,       /* id -> cadre, status */
    FQ_CONTEST_DECIDE,    /* status, by, at, note, id */
    FQ_CONTEST_LIST,      /* lo, hi, cadre lo, cadre hi, status or NULL */
    FQ_MONTH_CONTESTS,    /* first, last, cadre lo, cadre hi: accepted */
    FQ_ENTRY_LIST,        /* lo, hi, cadre lo, cadre hi, household or NULL, limit, from, to */
    FQ_ENTRY_ONE,         /* id -> the columns of FQ_ENTRY_LIST */
    FQ_ENTRY_VERSIONS,    /* entry -> version, text, household, saved_at (oldest first) */
    FQ_MONTH_WORK,        /* first, last, lo, hi, cadre lo, cadre hi -> per cadre counts */
    FQ_HOUSEHOLD_VISITS,  /* lo, hi, since -> household, cadre, visits since, last day */
    FQ_PHOTO_INSERT,      /* hash, mime, bytes, data, at -> hash when new */
    FQ_PHOTO_OWN,         /* hash, cadre, at */
    FQ_PHOTO_OWNED,       /* hash, cadre -> a row when the cadre uploaded it */
    FQ_PHOTO_VISIBLE,     /* hash, lo, hi, cadre lo, cadre hi, own cadre -> mime, data */
    FQ_POLICY_CHOICE,     /* five division codes -> division, name, text, plan, by, at */
    FQ_POLICY_FOR_CADRE,  /* cadre -> as FQ_POLICY_CHOICE, over the cadre's village */
    FQ_POLICY_SET,        /* division, level, name, text, plan, by, at */
    FQ_POLICY_CLEAR,      /* division */
    FQ_POLICY_LIST,       /* lo, hi -> division, level, name, plan, by, at, division name */
    FQ_PLAN_POLICY,       /* plan -> policy_name, policy_text, scope */
    FQ_POLICY_INSIDE,     /* lo, hi, level -> division, level, name, text, plan, by, at */
    FQ_PHOTO_REFS,        /* -> hash, bytes, created_at, village or NULL, newest day (by hash) */
    FQ_PHOTO_OWNERS_DROP, /* hash, newest at seen, newest day seen: the owner rows */
    FQ_PHOTO_DROP,        /* hash, newest at seen, newest day seen (store_changes: 1 deleted) */
    FQ_COUNT
};

extern const char *const field_sql[FQ_COUNT];

/* Prepare a named statement. */
int field_prepare(struct store *s, enum field_query q, struct store_stmt **out,
                  struct zc_error *err);

/* The cadre's village (their open or last posting) into *village, checked
 * against `scope`: ZC_EFORBIDDEN outside it, ZC_ENOTFOUND for a cadre never
 * stationed. */
int field_check_cadre_scope(struct store *s, const struct zc_scope *scope, int64_t cadre,
                            int64_t *village, struct zc_error *err);

/* ZC_OK when `cadre` uploaded the photo `hash` (field_photo_add), else
 * ZC_EINVAL saying to upload it first. */
int field_photo_owned(struct store *s, const char *hash, int64_t cadre, struct zc_error *err);

/* Bind the cadres `scope` lets a query see (one cadre, or all) as the
 * range parameters idx and idx + 1. */
void field_bind_cadres(struct store_stmt *q, int idx, const struct zc_scope *scope);

/* "YYYY-MM-DD" -> days; false if not a date. */
bool field_date_days(const char *s, int64_t *out);
/* Import helpers (import.c): a cell's text without surrounding blanks (and
 * a DingTalk export's leading '*', a full-width space) into `out`; whether
 * header `h` is one of the '|'-separated `aliases` (ASCII case ignored). */
void field_cell_trim(const char *p, size_t n, char *out, size_t outsz);
bool field_alias_has(const char *aliases, const char *h);
/* One bad cell into an import's report: counted, and kept as
 * "FILE:ROW:COLUMN: msg" among the first 50. */
void field_report_add(struct field_import_report *r, const char *file, size_t rowno,
                      const char *col, const char *msg);
/* "YYYY-MM-DD HH:MM:SS" -> seconds since the epoch of local time. */
int64_t field_time_seconds(const char *at);
/* A record that reaches the server more than this after it was taken is
 * late (补报): marked, never refused. */
#define FIELD_LATE_SECONDS 86400
bool field_month_parse(const char *ym, int *y, int *m);

/* Where `cadre` is stationed on `day`: the village and its geofence. */
struct field_station {
    int64_t village;
    bool has_centre;
    double lat, lng; /* WGS-84 */
    int radius_m;
    char start[11], end[11]; /* the posting's days */
};

int field_station(struct store_stmt *q, const struct policy *p, int64_t cadre, const char *day,
                  struct field_station *out, bool *found, struct zc_error *err);

#endif
