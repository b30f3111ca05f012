/* SPDX-License-Identifier: MIT */
/* import.c - all-or-nothing imports of what a station keeps in its
 * spreadsheets: responsible cadres (帮扶责任人: 户编号, 帮扶责任人身份证号,
 * 起始日期) and plan measures (一户一策: 户编号, 类别, 帮扶措施, 金额, 责任人,
 * 完成期限). Each row goes through the same call as the command line
 * (aid_assign, aid_measure_add/edit), inside the caller's transaction;
 * any bad row and the caller rolls everything back. Errors read
 * "FILE:ROW:COLUMN: message" as the registry's imports do. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aid_int.h"
#include "base/mem.h"
#include "ingest/sheet.h"
#include "policy/policy.h"
#include "registry/registry.h"

enum { C_HOUSEHOLD, C_CADRE, C_SINCE, C_KIND, C_WHAT, C_AMOUNT, C_WHO, C_DUE, C_NCOLS };

struct icol {
    const char *zh, *names; /* the header shown in messages; accepted headers, '|'-separated */
};

static const struct icol icols[C_NCOLS] = {
    [C_HOUSEHOLD] = {"户编号", "户编号|户号|household|household_id"},
    [C_CADRE] = {"帮扶责任人身份证号",
                 "帮扶责任人身份证号|责任人身份证号|身份证号|cadre|id_number"},
    [C_SINCE] = {"起始日期", "起始日期|帮扶起始日期|since"},
    [C_KIND] = {"类别", "类别|措施类别|帮扶类别|kind"},
    [C_WHAT] = {"帮扶措施", "帮扶措施|措施|措施内容|what|description"},
    [C_AMOUNT] = {"金额", "金额|资金|金额(元)|amount"},
    [C_WHO] = {"责任人", "责任人|实施责任人|by|responsible"},
    [C_DUE] = {"完成期限", "完成期限|期限|due"},
};

struct imp {
    struct store *s;
    const struct policy *p;
    const struct zc_scope *scope;
    enum aid_import_kind kind;
    const char *file, *actor;
    struct import_report *rep;
    int col[C_NCOLS]; /* cell index of each column, -1 absent */
    bool have_header;
    size_t rowno;

    struct seen {
        char *key;
        size_t row;
    } * seen;

    size_t nseen, capseen;
    struct store_stmt *find;
};

static void bad(struct imp *m, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void bad(struct imp *m, int col, const char *fmt, ...)
{
    struct import_report *r = m->rep;
    char msg[600];
    va_list ap;
    r->nerrors++;
    if (r->nlines >= IMPORT_MAX_REPORTED)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    r->lines = zc_reallocarray(r->lines, r->nlines + 1, sizeof(*r->lines));
    r->lines[r->nlines] = zc_malloc(strlen(m->file) + strlen(msg) + 64);
    snprintf(r->lines[r->nlines], strlen(m->file) + strlen(msg) + 64, "%s:%zu:%s: %s", m->file,
             m->rowno, icols[col].zh, msg);
    r->nlines++;
}

/* The cell of column `col` as trimmed text (empty when absent). */
static const char *cell(const struct imp *m, const struct sheet_row *row, int col, char *out,
                        size_t n)
{
    const char *p, *e;
    out[0] = '\0';
    if (m->col[col] < 0 || (size_t)m->col[col] >= row->ncells)
        return out;
    p = row->cells[m->col[col]].p;
    e = p + row->cells[m->col[col]].len;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    snprintf(out, n, "%.*s", (int)(e - p), p);
    return out;
}

static bool header_is(const char *names, const char *h)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", names);
    for (char *t = strtok(buf, "|"); t; t = strtok(NULL, "|"))
        if (strcasecmp(t, h) == 0)
            return true;
    return false;
}

static int on_header(struct imp *m, const struct sheet_row *row)
{
    static const int need_resp[] = {C_HOUSEHOLD, C_CADRE};
    static const int need_meas[] = {C_HOUSEHOLD, C_KIND, C_WHAT};
    const int *need = m->kind == AID_IMPORT_RESPONSIBLE ? need_resp : need_meas;
    size_t nneed = m->kind == AID_IMPORT_RESPONSIBLE ? 2 : 3;
    for (int c = 0; c < C_NCOLS; c++)
        m->col[c] = -1;
    for (size_t i = 0; i < row->ncells; i++) {
        char h[128];
        const char *p = row->cells[i].p;
        size_t n = row->cells[i].len;
        if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* a BOM the reader left */
            p += 3, n -= 3;
        while (n && (*p == ' ' || *p == '*'))
            p++, n--;
        snprintf(h, sizeof(h), "%.*s", (int)n, p);
        for (int c = 0; c < C_NCOLS; c++)
            if (m->col[c] < 0 && header_is(icols[c].names, h)) {
                /* 身份证号 alone is the cadre's only in the responsible file */
                if (c == C_CADRE && m->kind != AID_IMPORT_RESPONSIBLE)
                    continue;
                m->col[c] = (int)i;
                break;
            }
    }
    m->have_header = true;
    for (size_t k = 0; k < nneed; k++)
        if (m->col[need[k]] < 0)
            bad(m, need[k], "required column %s is missing from the header row", icols[need[k]].zh);
    return ZC_OK;
}

/* The row of an earlier occurrence of `key` in the file, or 0 (then kept). */
static size_t seen(struct imp *m, const char *key)
{
    for (size_t i = m->nseen; i-- > 0;)
        if (strcmp(m->seen[i].key, key) == 0)
            return m->seen[i].row;
    if (m->nseen == m->capseen) {
        m->capseen = m->capseen ? m->capseen * 2 : 64;
        m->seen = zc_reallocarray(m->seen, m->capseen, sizeof(*m->seen));
    }
    m->seen[m->nseen].key = zc_strdup(key);
    m->seen[m->nseen++].row = m->rowno;
    return 0;
}

/* A module error for this row: store failures stop the import, the rest
 * are the row's (in the column they concern). */
static int row_error(struct imp *m, int rc, int col, struct zc_error *err)
{
    if (rc == ZC_EINVAL || rc == ZC_ENOTFOUND || rc == ZC_EFORBIDDEN) {
        if (strstr(err->msg, "no registered household") || strstr(err->msg, "jurisdiction"))
            col = C_HOUSEHOLD;
        bad(m, col, "%s", err->msg);
        zc_error_clear(err);
        return ZC_OK;
    }
    return rc;
}

static int row_responsible(struct imp *m, const struct sheet_row *row, struct zc_error *err)
{
    char hh[96], cadre[64], since[32], basis[8], prev[19];
    int64_t village = 0;
    size_t earlier;
    int rc;
    cell(m, row, C_HOUSEHOLD, hh, sizeof(hh));
    cell(m, row, C_CADRE, cadre, sizeof(cadre));
    cell(m, row, C_SINCE, since, sizeof(since));
    if (!hh[0] || !cadre[0]) {
        bad(m, hh[0] ? C_CADRE : C_HOUSEHOLD, "a value is required");
        return ZC_OK;
    }
    if ((earlier = seen(m, hh)) != 0) {
        bad(m, C_HOUSEHOLD, "household %s already appears in row %zu (one responsible cadre each)",
            hh, earlier);
        return ZC_OK;
    }
    rc = aid_assign(m->s, m->p, m->scope, hh, cadre, since[0] ? since : NULL, m->actor, basis, prev,
                    &village, err);
    if (rc == ZC_OK) {
        if (!prev[0])
            m->rep->added++;
        else if (strcmp(prev, cadre) != 0)
            m->rep->updated++;
        else
            m->rep->unchanged++;
    }
    return row_error(m, rc, C_CADRE, err);
}

static bool parse_fen(const char *s, int64_t *fen)
{
    char *end = NULL;
    double y = strtod(s, &end);
    if (!*s || *end || y < 0 || y > 1e9)
        return false;
    *fen = (int64_t)(y * 100 + 0.5);
    return true;
}

static int row_measure(struct imp *m, const struct sheet_row *row, struct zc_error *err)
{
    char hh[96], kind[64], what[1100], amount[32], who[256], due[32], key[1300];
    struct aid_measure in = {0};
    struct aid_plan_state st;
    const char *k;
    bool found = false;
    size_t earlier;
    int64_t id = 0;
    int rc;
    cell(m, row, C_HOUSEHOLD, hh, sizeof(hh));
    cell(m, row, C_KIND, kind, sizeof(kind));
    cell(m, row, C_WHAT, what, sizeof(what));
    cell(m, row, C_AMOUNT, amount, sizeof(amount));
    cell(m, row, C_WHO, who, sizeof(who));
    cell(m, row, C_DUE, due, sizeof(due));
    if (!hh[0] || !kind[0] || !what[0]) {
        bad(m, !hh[0] ? C_HOUSEHOLD : !kind[0] ? C_KIND : C_WHAT, "a value is required");
        return ZC_OK;
    }
    if (!(k = registry_measure_kind_parse(kind))) {
        bad(m, C_KIND, "'%s' is not one of %s", kind, registry_measure_kind_list());
        return ZC_OK;
    }
    in.household = hh;
    in.kind = k;
    in.description = what;
    in.responsible = who;
    in.due_date = due;
    if (amount[0] && !(in.has_amount = parse_fen(amount, &in.amount_fen))) {
        bad(m, C_AMOUNT, "'%s' is not an amount in yuan", amount);
        return ZC_OK;
    }
    snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", hh, k, what);
    if ((earlier = seen(m, key)) != 0) {
        bad(m, C_WHAT, "the same measure of household %s already appears in row %zu", hh, earlier);
        return ZC_OK;
    }
    /* A measure already held (same household, kind and text) is updated. */
    store_reset(m->find);
    store_bind_cstr(m->find, 1, hh);
    store_bind_cstr(m->find, 2, k);
    store_bind_cstr(m->find, 3, what);
    rc = store_step(m->find, &found, err);
    if (rc != ZC_OK)
        return rc;
    if (found) {
        bool same = strcmp(store_col_text(m->find, 2), who) == 0 &&
                    strcmp(store_col_text(m->find, 3), due) == 0 &&
                    (store_col_is_null(m->find, 1)
                         ? !in.has_amount
                         : in.has_amount && store_col_int(m->find, 1) == in.amount_fen);
        id = store_col_int(m->find, 0);
        store_reset(m->find);
        if (same) {
            m->rep->unchanged++;
            return ZC_OK;
        }
        in.kind = NULL; /* the key stays */
        in.description = NULL;
        rc = aid_measure_edit(m->s, m->scope, id, &in, m->actor, &st, err);
        if (rc == ZC_OK)
            m->rep->updated++;
    } else {
        store_reset(m->find);
        rc = aid_measure_add(m->s, m->scope, &in, m->actor, &id, &st, err);
        if (rc == ZC_OK)
            m->rep->added++;
    }
    if (rc != ZC_OK && strstr(err->msg, "due date"))
        return row_error(m, rc, C_DUE, err);
    return row_error(m, rc, C_WHAT, err);
}

static int on_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct imp *m = ud;
    bool empty = true;
    m->rowno = row->rowno;
    for (size_t i = 0; i < row->ncells; i++)
        empty &= row->cells[i].len == 0;
    if (empty)
        return ZC_OK;
    if (!m->have_header)
        return on_header(m, row);
    m->rep->rows++;
    return m->kind == AID_IMPORT_RESPONSIBLE ? row_responsible(m, row, err)
                                             : row_measure(m, row, err);
}

int aid_import_file(struct store *s, const struct policy *p, const struct zc_scope *scope,
                    enum aid_import_kind kind, const char *path, const char *actor,
                    struct import_report *rep, struct zc_error *err)
{
    struct imp m = {.s = s, .p = p, .scope = scope, .kind = kind, .actor = actor, .rep = rep};
    struct sheet_limits lim;
    const char *slash = strrchr(path, '/');
    int rc;
    memset(rep, 0, sizeof(*rep));
    m.file = slash ? slash + 1 : path;
    sheet_limits_default(&lim);
    rc = aid_prepare(s, AQ_MEASURE_FIND, &m.find, err);
    if (rc == ZC_OK)
        rc = sheet_read_file(path, &lim, on_row, &m, err);
    if (rc == ZC_OK && !m.have_header)
        rc = zc_error_set(err, ZC_EINVAL, "%s has no header row", m.file);
    if (rc == ZC_OK && rep->nerrors)
        rc = zc_error_set(err, ZC_EINVAL, "%zu errors in %s: nothing was imported", rep->nerrors,
                          m.file);
    store_finalize(m.find);
    for (size_t i = 0; i < m.nseen; i++)
        free(m.seen[i].key);
    free(m.seen);
    return rc;
}
