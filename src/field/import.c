/* SPDX-License-Identifier: MIT */
/* import.c - `zhucun import checkins FILE`: attendance records from zhucun's
 * own template or from the exports counties already have.
 *
 * The header row is found among the first ten rows (a DingTalk 原始记录
 * sheet has a title and a date range above it) as the first row naming a
 * time column and a person column. Columns are known by an alias table;
 * `--map 列名=field` names the rest. A person is found by 身份证号, or, when
 * the export has only names (DingTalk), by 姓名 among the cadres stationed
 * that day (a name two stationed cadres share is an error asking for the
 * ID number). A row without coordinates counts by the export's own verdict:
 * 外勤 / 地点异常 as outside, 正常 as inside; 缺卡 / 未打卡 rows are not
 * check-ins and are skipped. All or nothing: one transaction, every bad
 * cell reported as FILE:ROW:COLUMN, nothing written if there is one. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/idcard.h"
#include "base/mem.h"
#include "field_int.h"
#include "ingest/sheet.h"
#include "policy/policy.h"

enum ic_field {
    IC_ID_NUMBER,
    IC_NAME,
    IC_DATE,
    IC_TIME,
    IC_LAT,
    IC_LNG,
    IC_ACCURACY,
    IC_DEVICE,
    IC_RESULT,
    IC_PLACE,
    IC_DATUM,
    IC_NFIELDS
};

static const struct {
    const char *key;
    const char *aliases; /* '|'-separated, compared after trimming */
} ic_cols[IC_NFIELDS] = {
    [IC_ID_NUMBER] = {"id_number", "身份证号|身份证号码|身份证|证件号码|id_number"},
    [IC_NAME] = {"name", "姓名|name"},
    [IC_DATE] = {"date", "考勤日期|日期|date"},
    [IC_TIME] = {"time", "打卡时间|签到时间|时间|time|at"},
    [IC_LAT] = {"lat", "纬度|lat|latitude"},
    [IC_LNG] = {"lng", "经度|lng|lon|longitude"},
    [IC_ACCURACY] = {"accuracy", "精度(米)|精度（米）|精度|accuracy|accuracy_m"},
    [IC_DEVICE] = {"device", "设备|打卡设备|设备名称|device"},
    [IC_RESULT] = {"result", "打卡结果|考勤结果|result"},
    [IC_PLACE] = {"place", "打卡地址|打卡地点|地址|place"},
    [IC_DATUM] = {"datum", "坐标系|datum"},
};

struct imp {
    struct store *s;
    const struct policy *p;
    const struct zc_scope *scope;
    const char *file;
    const char *const *map;
    struct field_import_report *rep;
    struct field_writer *w;
    struct store_stmt *by_idnum, *by_name;
    int col[IC_NFIELDS]; /* cell index of each field, -1 absent */
    char **header;       /* header texts, by cell index */
    size_t nheader;
    bool have_header;
    size_t rows_seen;
    char now[20]; /* the sync time of every row of this import */

    struct idslot {
        char id[19];
        int64_t cadre;
    } * ids; /* ID number -> cadre, direct-mapped (IDS slots) */
};

#define IDS 65536

static struct idslot *id_slot(struct imp *im, const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &im->ids[h % IDS];
}

void field_cell_trim(const char *p, size_t n, char *out, size_t outsz)
{
    while (n && (*p == ' ' || *p == '\t' || *p == '*'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    if (n >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0) /* full-width space */
        p += 3, n -= 3;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

bool field_alias_has(const char *aliases, const char *h)
{
    size_t n = strlen(h);
    const char *p = aliases;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t k = bar ? (size_t)(bar - p) : strlen(p);
        if (k == n && strncasecmp(p, h, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

static void bad(struct imp *im, size_t rowno, int field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void bad(struct imp *im, size_t rowno, int field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    const char *colname = field >= 0 && im->col[field] >= 0 && (size_t)im->col[field] < im->nheader
                              ? im->header[im->col[field]]
                          : field >= 0 ? ic_cols[field].key
                                       : "";
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    field_report_add(im->rep, im->file, rowno, colname, msg);
}

static int take_header(struct imp *im, const struct sheet_row *row, struct zc_error *err)
{
    char h[128];
    for (int f = 0; f < IC_NFIELDS; f++)
        im->col[f] = -1;
    im->header = zc_calloc(row->ncells ? row->ncells : 1, sizeof(char *));
    im->nheader = row->ncells;
    for (size_t i = 0; i < row->ncells; i++) {
        field_cell_trim(row->cells[i].p, row->cells[i].len, h, sizeof(h));
        im->header[i] = zc_strdup(h);
        if (!h[0])
            continue;
        for (const char *const *m = im->map; m && *m; m++) { /* --map 列名=field first */
            const char *eq = strchr(*m, '=');
            if (eq && (size_t)(eq - *m) == strlen(h) && strncmp(*m, h, strlen(h)) == 0) {
                int f;
                for (f = 0; f < IC_NFIELDS; f++)
                    if (strcmp(ic_cols[f].key, eq + 1) == 0)
                        break;
                if (f == IC_NFIELDS)
                    return zc_error_set(err, ZC_EINVAL,
                                        "--map %s: no field '%s'; fields: id_number, name, date, "
                                        "time, lat, lng, accuracy, device, result, place, datum",
                                        *m, eq + 1);
                im->col[f] = (int)i;
                goto next;
            }
        }
        for (int f = 0; f < IC_NFIELDS; f++) {
            if (im->col[f] < 0 && field_alias_has(ic_cols[f].aliases, h)) {
                im->col[f] = (int)i;
                break;
            }
        }
    next:;
    }
    im->have_header = true;
    im->rep->dingtalk = im->col[IC_ID_NUMBER] < 0 && im->col[IC_NAME] >= 0;
    if (im->col[IC_TIME] < 0)
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: no 打卡时间 (time) column", im->file,
                            row->rowno);
    if (im->col[IC_ID_NUMBER] < 0 && im->col[IC_NAME] < 0)
        return zc_error_set(err, ZC_EINVAL,
                            "%s:%zu: no 身份证号 or 姓名 column to tell whose check-in it is "
                            "(use --map 工号=id_number when the export keeps ID numbers there)",
                            im->file, row->rowno);
    if ((im->col[IC_LAT] < 0) != (im->col[IC_LNG] < 0))
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: 纬度 and 经度 go together", im->file,
                            row->rowno);
    return ZC_OK;
}

/* The field a header names through --map, or -1. */
static int mapped_field(const struct imp *im, const char *h)
{
    for (const char *const *m = im->map; m && *m; m++) {
        const char *eq = strchr(*m, '=');
        if (eq && (size_t)(eq - *m) == strlen(h) && strncmp(*m, h, strlen(h)) == 0)
            for (int f = 0; f < IC_NFIELDS; f++)
                if (strcmp(ic_cols[f].key, eq + 1) == 0)
                    return f;
    }
    return -1;
}

static bool looks_like_header(const struct imp *im, const struct sheet_row *row)
{
    bool t = false, who = false;
    char h[128];
    for (size_t i = 0; i < row->ncells; i++) {
        int f;
        field_cell_trim(row->cells[i].p, row->cells[i].len, h, sizeof(h));
        f = mapped_field(im, h);
        t |= f == IC_TIME || field_alias_has(ic_cols[IC_TIME].aliases, h);
        who |= f == IC_ID_NUMBER || f == IC_NAME ||
               field_alias_has(ic_cols[IC_ID_NUMBER].aliases, h) ||
               field_alias_has(ic_cols[IC_NAME].aliases, h);
    }
    return t && who;
}

static const char *cell(const struct imp *im, const struct sheet_row *row, int f, char *out,
                        size_t outsz)
{
    out[0] = '\0';
    if (im->col[f] >= 0 && (size_t)im->col[f] < row->ncells)
        field_cell_trim(row->cells[im->col[f]].p, row->cells[im->col[f]].len, out, outsz);
    return out;
}

/* "2018-07-02", "2018/7/2", "18-07-02 星期一" -> YYYY-MM-DD. */
static bool parse_day(const char *s, char out[11])
{
    int y, m, d, n = 0;
    int64_t dd;
    if (sscanf(s, "%d%*[-/.]%d%*[-/.]%d%n", &y, &m, &d, &n) != 3)
        return false;
    if (y < 100)
        y += 2000;
    if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return field_date_days(out, &dd);
}

static bool parse_real(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;
    if (!*s)
        return false;
    v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int on_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct imp *im = ud;
    char idn[64], name[128], date[64], tm[64], lat[64], lng[64], acc[64], dev[256], res[64],
        place[512], datum[16], at[20], day[11], buf[96];
    struct field_checkin in;
    struct field_evidence ev;
    struct store_stmt *q;
    bool ok = true, row_found = false;
    int rc;

    if (!im->have_header) {
        if (looks_like_header(im, row))
            return take_header(im, row, err);
        if (++im->rows_seen >= 10)
            return zc_error_set(err, ZC_EINVAL,
                                "%s: no header row with 打卡时间 and 身份证号 or 姓名 in the first "
                                "10 rows",
                                im->file);
        return ZC_OK;
    }
    im->rep->rows++;
    memset(&in, 0, sizeof(in));
    in.accuracy_m = -1;
    cell(im, row, IC_ID_NUMBER, idn, sizeof(idn));
    cell(im, row, IC_NAME, name, sizeof(name));
    cell(im, row, IC_DATE, date, sizeof(date));
    cell(im, row, IC_TIME, tm, sizeof(tm));
    cell(im, row, IC_LAT, lat, sizeof(lat));
    cell(im, row, IC_LNG, lng, sizeof(lng));
    cell(im, row, IC_ACCURACY, acc, sizeof(acc));
    cell(im, row, IC_DEVICE, dev, sizeof(dev));
    cell(im, row, IC_RESULT, res, sizeof(res));
    cell(im, row, IC_PLACE, place, sizeof(place));
    cell(im, row, IC_DATUM, datum, sizeof(datum));

    if (strstr(res, "缺卡") || strstr(res, "未打卡") || (!tm[0] && im->rep->dingtalk)) {
        im->rep->rows--; /* a missed punch is not a check-in */
        return ZC_OK;
    }
    /* The time: a full time, or a clock time with the 考勤日期 column. */
    if (!field_time_parse(tm, at)) {
        char d2[11];
        if (date[0] && parse_day(date, d2)) {
            snprintf(buf, sizeof(buf), "%s %s", d2, tm);
            if (!field_time_parse(buf, at)) {
                bad(im, row->rowno, IC_TIME, "'%s' is not a time HH:MM[:SS]", tm);
                ok = false;
            }
        } else {
            bad(im, row->rowno, IC_TIME,
                "'%s' is not YYYY-MM-DD HH:MM[:SS] (or HH:MM with a 考勤日期 column)", tm);
            ok = false;
        }
    }
    if (lat[0] || lng[0]) {
        if (!parse_real(lat, -90, 90, &in.lat)) {
            bad(im, row->rowno, IC_LAT, "'%s' is not a latitude", lat);
            ok = false;
        } else if (!parse_real(lng, -180, 180, &in.lng)) {
            bad(im, row->rowno, IC_LNG, "'%s' is not a longitude", lng);
            ok = false;
        } else {
            in.has_pos = true;
        }
    }
    if (acc[0] && !parse_real(acc, 0, 1e6, &in.accuracy_m)) {
        bad(im, row->rowno, IC_ACCURACY, "'%s' is not a distance in metres", acc);
        ok = false;
    }
    if (datum[0]) {
        if (strcasecmp(datum, "GCJ02") == 0 || strcasecmp(datum, "GCJ-02") == 0)
            in.gcj02 = true;
        else if (strcasecmp(datum, "WGS84") != 0 && strcasecmp(datum, "WGS-84") != 0) {
            bad(im, row->rowno, IC_DATUM, "'%s' is not WGS84 or GCJ02", datum);
            ok = false;
        }
    }
    if (!ok)
        return ZC_OK;
    memcpy(day, at, 10);
    day[10] = '\0';
    /* Whose check-in it is. */
    if (idn[0]) {
        char norm[19];
        struct zc_error e2 = {0};
        if (idcard_normalize(idn, strlen(idn), norm, &e2) != ZC_OK) {
            bad(im, row->rowno, IC_ID_NUMBER, "%s", e2.msg);
            return ZC_OK;
        }
        struct idslot *slot = id_slot(im, norm);
        if (strcmp(slot->id, norm) == 0) {
            in.cadre = slot->cadre;
            row_found = true;
        } else {
            q = im->by_idnum;
            store_reset(q);
            store_bind_cstr(q, 1, norm);
            if ((rc = store_step(q, &row_found, err)) != ZC_OK)
                return rc;
            if (row_found) {
                in.cadre = store_col_int(q, 0);
                memcpy(slot->id, norm, sizeof(slot->id));
                slot->cadre = in.cadre;
            }
            store_reset(q);
        }
        if (!row_found) {
            bad(im, row->rowno, IC_ID_NUMBER, "no cadre with ID number %s in the ledger", idn);
            return ZC_OK;
        }
    } else if (name[0]) {
        q = im->by_name;
        store_reset(q);
        store_bind_cstr(q, 1, name);
        store_bind_cstr(q, 2, day);
        if ((rc = store_step(q, &row_found, err)) != ZC_OK)
            return rc;
        if (row_found) {
            bool second = false;
            in.cadre = store_col_int(q, 0);
            if ((rc = store_step(q, &second, err)) != ZC_OK)
                return rc;
            if (second) {
                store_reset(q);
                bad(im, row->rowno, IC_NAME,
                    "two cadres named %s are stationed on %s; add a 身份证号 column "
                    "(or --map 工号=id_number)",
                    name, day);
                return ZC_OK;
            }
        }
        store_reset(q);
        if (!row_found) {
            bad(im, row->rowno, IC_NAME, "no cadre named %s is stationed on %s", name, day);
            return ZC_OK;
        }
    } else {
        bad(im, row->rowno, im->col[IC_ID_NUMBER] >= 0 ? IC_ID_NUMBER : IC_NAME,
            "empty: whose check-in is it?");
        return ZC_OK;
    }
    if (im->rep->nerrors)
        return ZC_OK; /* keep checking, write nothing */
    memcpy(in.at, at, sizeof(at));
    in.device = dev;
    in.source = "import";
    in.result = res;
    in.place = place;
    in.synced_at = im->now;
    /* One check-in per person and second: re-importing a file (or an
     * overlapping export) adds nothing twice. */
    in.same_second_dup = true;
    rc = field_writer_add(im->w, im->scope, &in, &ev, err);
    if (rc == ZC_EINVAL || rc == ZC_EFORBIDDEN) {
        bad(im, row->rowno, idn[0] ? IC_ID_NUMBER : IC_NAME, "%s", err->msg);
        zc_error_clear(err);
        return ZC_OK;
    }
    if (rc == ZC_OK && ev.duplicate)
        im->rep->duplicates++;
    else if (rc == ZC_OK)
        im->rep->added++;
    return rc;
}

void field_report_add(struct field_import_report *r, const char *file, size_t rowno,
                      const char *col, const char *msg)
{
    r->nerrors++;
    if (r->nlines < 50) {
        struct buf b = {0};
        buf_printf(&b, "%s:%zu:%s: %s", file, rowno, col, msg);
        r->lines = zc_realloc(r->lines, (r->nlines + 1) * sizeof(char *));
        r->lines[r->nlines++] = zc_strdup(buf_cstr(&b));
        buf_fini(&b);
    }
}

void field_import_report_fini(struct field_import_report *r)
{
    for (size_t i = 0; i < r->nlines; i++)
        free(r->lines[i]);
    free(r->lines);
    memset(r, 0, sizeof(*r));
}

int field_import_checkins(struct store *s, const struct policy *p, const struct zc_scope *scope,
                          const char *path, const char *const *map, const char *sheet,
                          struct field_import_report *rep, struct zc_error *err)
{
    const struct sheet_choice which = {sheet ? sheet : "原始记录", sheet != NULL};
    struct imp im;
    const char *slash = strrchr(path, '/');
    int rc;

    memset(rep, 0, sizeof(*rep));
    memset(&im, 0, sizeof(im));
    im.s = s;
    im.p = p;
    im.scope = scope;
    im.file = slash ? slash + 1 : path;
    im.map = map;
    im.rep = rep;
    field_now(im.now);
    im.ids = zc_calloc(IDS, sizeof(*im.ids));
    rc = store_begin_joined(s, err);
    if (rc == ZC_OK)
        rc = field_writer_open(s, p, &im.w, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_CADRE_BY_IDNUM, &im.by_idnum, err);
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_CADRE_BY_NAME, &im.by_name, err);
    if (rc == ZC_OK)
        rc = sheet_read_file_sheet(path, NULL, &which, on_row, &im, err);
    if (rc == ZC_OK && !im.have_header)
        rc = zc_error_set(err, ZC_EINVAL, "%s: no header row (打卡时间 and 身份证号 or 姓名)",
                          im.file);
    if (rc == ZC_OK && rep->nerrors) {
        rc = zc_error_set(err, ZC_EINVAL, "%s: %zu bad cell%s; nothing was imported", im.file,
                          rep->nerrors, rep->nerrors > 1 ? "s" : "");
        rep->added = 0;
    }
    field_writer_close(im.w);
    store_finalize(im.by_idnum);
    store_finalize(im.by_name);
    for (size_t i = 0; i < im.nheader; i++)
        free(im.header[i]);
    free(im.header);
    free(im.ids);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc != ZC_OK)
        rep->added = 0;
    return rc;
}
