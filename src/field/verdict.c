/* SPDX-License-Identifier: MIT */
/* verdict.c - the county's verdict on "两头跑" cases: dismissed, or
 * confirmed (核实), each with a reason, one at a time or a file of them.
 *
 * A verdict is kept beside the case, keyed by (cadre, day, rule); the case
 * itself is derived from the records each time (presence.c), so a verdict
 * outlives a recomputation and a later verdict replaces an earlier one.
 * Only a confirmed case counts in supervision (the negative list).
 *
 * The file is what an inspector works from: `zhucun cases --format csv|xlsx`
 * (or the web page's Excel), the rows not to decide deleted, a 理由 written
 * on each of the rest. It is read whole before anything is written, every
 * bad cell reported as FILE:ROW:COLUMN; then every verdict is written in
 * the caller's transaction, which the caller commits or rolls back. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "field_int.h"
#include "ingest/sheet.h"

static const char *const rule_zh[5] = {"位移速度异常", "在村日有村外定位", "坐标多日完全相同",
                                       "工作日出现在派出单位附近", "无在村依据的日志或走访"};

const char *field_case_rule_name(const char *rule)
{
    for (size_t i = 0; i < 5; i++)
        if (strcmp(rule, field_case_rules[i]) == 0)
            return rule_zh[i];
    return rule;
}

const char *field_case_rule_code(const char *text)
{
    for (size_t i = 0; i < 5; i++)
        if (strcmp(text, field_case_rules[i]) == 0 || strcmp(text, rule_zh[i]) == 0)
            return field_case_rules[i];
    return NULL;
}

static int case_verdict(struct store *s, const struct zc_scope *scope, int64_t cadre,
                        const char *day, const char *rule, const char *reason, const char *actor,
                        const char *verdict, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    char now[20];
    int64_t dd, village = 0;
    bool row = false;
    const char *code = field_case_rule_code(rule);
    int rc;
    if (!code)
        return zc_error_set(err, ZC_ENOTFOUND,
                            "no rule '%s'; rules: impossible_travel, outside_on_present_day, "
                            "repeated_coordinates, home_city_on_village_day, "
                            "diary_without_presence (or their Chinese names)",
                            rule);
    if (!field_date_days(day, &dd))
        return zc_error_set(err, ZC_EINVAL, "date '%s' is not YYYY-MM-DD", day);
    if (!reason || !*reason)
        return zc_error_set(err, ZC_EINVAL, "a case is %s with a reason", verdict);
    rc = field_prepare(s, FQ_CADRE_VILLAGE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        rc = store_step(q, &row, err);
        village = row ? store_col_int(q, 0) : 0;
    }
    store_finalize(q);
    q = NULL;
    if (rc != ZC_OK)
        return rc;
    if (!row)
        return zc_error_set(err, ZC_ENOTFOUND, "cadre %lld has never been stationed",
                            (long long)cadre);
    if (!zc_scope_has(scope, village) || scope->cadre != 0)
        return zc_error_set(err, ZC_EFORBIDDEN, "cadre %lld is outside your jurisdiction",
                            (long long)cadre);
    field_now(now);
    rc = field_prepare(s, FQ_DISMISS, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, cadre);
        store_bind_cstr(q, 2, day);
        store_bind_cstr(q, 3, code);
        store_bind_cstr(q, 4, reason);
        store_bind_cstr(q, 5, actor ? actor : "");
        store_bind_cstr(q, 6, now);
        store_bind_cstr(q, 7, verdict);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int field_case_dismiss(struct store *s, const struct zc_scope *scope, int64_t cadre,
                       const char *day, const char *rule, const char *reason, const char *actor,
                       struct zc_error *err)
{
    return case_verdict(s, scope, cadre, day, rule, reason, actor, "dismissed", err);
}

int field_case_confirm(struct store *s, const struct zc_scope *scope, int64_t cadre,
                       const char *day, const char *rule, const char *reason, const char *actor,
                       struct zc_error *err)
{
    return case_verdict(s, scope, cadre, day, rule, reason, actor, "confirmed", err);
}

/* ---- a file of verdicts ------------------------------------------------------------------ */

enum { VC_CADRE, VC_ID_NUMBER, VC_DATE, VC_RULE, VC_REASON, VC_NFIELDS };

/* Header names, '|'-separated: zhucun's own export's first. */
static const char *const vc_alias[VC_NFIELDS] = {
    [VC_CADRE] = "干部编号|cadre",
    [VC_ID_NUMBER] = "身份证号|id_number",
    [VC_DATE] = "日期|date",
    [VC_RULE] = "规则|rule|规则名称|rule_name",
    [VC_REASON] = "理由|reason|核实理由|排除理由",
};

struct vrow {
    size_t rowno;
    int64_t cadre;
    char day[11], rule[32];
    char *reason;
};

struct vread {
    struct store *s;
    const char *file;
    const char *reason; /* the command's --reason, for rows without one */
    struct field_import_report *rep;
    int col[VC_NFIELDS];
    char **header;
    size_t nheader;
    bool have_header;
    struct vrow *rows;
    size_t n, cap;
};

static void vbad(struct vread *v, size_t rowno, int field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void vbad(struct vread *v, size_t rowno, int field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    const char *col = field >= 0 && v->col[field] >= 0 && (size_t)v->col[field] < v->nheader
                          ? v->header[v->col[field]]
                          : "";
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    field_report_add(v->rep, v->file, rowno, col, msg);
}

static void cell(const struct sheet_row *row, int idx, char *out, size_t outsz)
{
    out[0] = '\0';
    if (idx >= 0 && (size_t)idx < row->ncells)
        field_cell_trim(row->cells[idx].p, row->cells[idx].len, out, outsz);
}

/* The header is the first of the first ten rows naming a cadre column (an
 * XLSX export has its title above it). */
static int header_row(struct vread *v, const struct sheet_row *row, struct zc_error *err)
{
    char h[128];
    for (int f = 0; f < VC_NFIELDS; f++)
        v->col[f] = -1;
    for (size_t i = 0; i < row->ncells; i++) {
        field_cell_trim(row->cells[i].p, row->cells[i].len, h, sizeof(h));
        for (int f = 0; f < VC_NFIELDS; f++) {
            /* The first column of a name wins: the export has both 规则 and
             * 规则名称, either is read. */
            if (v->col[f] < 0 && field_alias_has(vc_alias[f], h))
                v->col[f] = (int)i;
        }
    }
    if (v->col[VC_CADRE] < 0 && v->col[VC_ID_NUMBER] < 0 && row->rowno < 10)
        return ZC_OK;
    v->header = zc_calloc(row->ncells ? row->ncells : 1, sizeof(char *));
    v->nheader = row->ncells;
    for (size_t i = 0; i < row->ncells; i++) {
        field_cell_trim(row->cells[i].p, row->cells[i].len, h, sizeof(h));
        v->header[i] = zc_strdup(h);
    }
    v->have_header = true;
    if (v->col[VC_CADRE] < 0 && v->col[VC_ID_NUMBER] < 0)
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: no 干部编号 or 身份证号 column", v->file,
                            row->rowno);
    if (v->col[VC_DATE] < 0 || v->col[VC_RULE] < 0)
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: the columns 日期 and 规则 are needed", v->file,
                            row->rowno);
    if (v->col[VC_REASON] < 0 && !v->reason)
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: no 理由 column, and no --reason for all",
                            v->file, row->rowno);
    return ZC_OK;
}

static int on_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct vread *v = ud;
    char cad[32], idn[32], day[32], rule[64], reason[512];
    struct vrow r = {.rowno = row->rowno};
    int64_t dd;
    if (!v->have_header)
        return header_row(v, row, err);
    cell(row, v->col[VC_CADRE], cad, sizeof(cad));
    cell(row, v->col[VC_ID_NUMBER], idn, sizeof(idn));
    cell(row, v->col[VC_DATE], day, sizeof(day));
    cell(row, v->col[VC_RULE], rule, sizeof(rule));
    cell(row, v->col[VC_REASON], reason, sizeof(reason));
    v->rep->rows++;
    if (cad[0] || idn[0]) {
        struct zc_error e2 = {0};
        if (field_cadre_lookup(v->s, cad[0] ? cad : idn, &r.cadre, &e2) != ZC_OK)
            vbad(v, row->rowno, cad[0] ? VC_CADRE : VC_ID_NUMBER, "%s", e2.msg);
    } else {
        vbad(v, row->rowno, v->col[VC_CADRE] >= 0 ? VC_CADRE : VC_ID_NUMBER,
             "no cadre (干部编号 or an unmasked 身份证号)");
    }
    if (strlen(day) != 10 || !field_date_days(day, &dd))
        vbad(v, row->rowno, VC_DATE, "'%s' is not a date YYYY-MM-DD", day);
    else
        memcpy(r.day, day, 11);
    const char *code = field_case_rule_code(rule);
    if (!code)
        vbad(v, row->rowno, VC_RULE, "'%s' is not a rule (impossible_travel, 位移速度异常, ...)",
             rule);
    else
        snprintf(r.rule, sizeof(r.rule), "%s", code);
    if (!reason[0] && !v->reason)
        vbad(v, row->rowno, VC_REASON, "a verdict needs a reason (理由), or --reason for all");
    if (v->rep->nerrors)
        return ZC_OK; /* the rest is still read, for its own errors */
    r.reason = zc_strdup(reason[0] ? reason : v->reason);
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        v->rows = zc_realloc(v->rows, v->cap * sizeof(*v->rows));
    }
    v->rows[v->n++] = r;
    return ZC_OK;
}

int field_case_verdict_file(struct store *s, const struct zc_scope *scope, const char *path,
                            bool confirm, const char *reason, const char *actor,
                            int (*fn)(void *ud, const struct field_case_verdict *v), void *ud,
                            struct field_import_report *rep, struct zc_error *err)
{
    struct vread v = {.s = s, .reason = reason && *reason ? reason : NULL, .rep = rep};
    const char *slash = strrchr(path, '/');
    int rc;
    memset(rep, 0, sizeof(*rep));
    v.file = slash ? slash + 1 : path;
    /* Of a workbook from the web page (a sheet 说明 first), the cases'
     * sheet; else the first (the CLI's export, Excel's own). */
    const struct sheet_choice which = {"“两头跑”线索*|两头跑*", false};
    rc = sheet_read_file_sheet(path, NULL, &which, on_row, &v, err);
    if (rc == ZC_OK && !v.have_header)
        rc = zc_error_set(err, ZC_EINVAL, "%s: no header row (干部编号 or 身份证号, 日期, 规则)",
                          v.file);
    if (rc == ZC_OK && rep->nerrors)
        rc = zc_error_set(err, ZC_EINVAL, "%s: %zu bad cell%s; no verdict was written", v.file,
                          rep->nerrors, rep->nerrors > 1 ? "s" : "");
    for (size_t i = 0; rc == ZC_OK && i < v.n; i++) {
        const struct vrow *r = &v.rows[i];
        const struct field_case_verdict cv = {r->cadre, r->day, r->rule, r->reason, confirm};
        rc = confirm
                 ? field_case_confirm(s, scope, r->cadre, r->day, r->rule, r->reason, actor, err)
                 : field_case_dismiss(s, scope, r->cadre, r->day, r->rule, r->reason, actor, err);
        if (rc != ZC_OK) { /* name the row: the verdict is refused, not the cell */
            char msg[sizeof(err->msg)];
            snprintf(msg, sizeof(msg), "%s", err->msg);
            zc_error_set(err, rc, "%s:%zu: %s; no verdict was written", v.file, r->rowno, msg);
        } else if (fn) {
            rc = fn(ud, &cv);
        }
        if (rc == ZC_OK)
            rep->added++;
    }
    if (rc != ZC_OK)
        rep->added = 0;
    for (size_t i = 0; i < v.n; i++)
        free(v.rows[i].reason);
    free(v.rows);
    for (size_t i = 0; i < v.nheader; i++)
        free(v.header[i]);
    free(v.header);
    return rc;
}
