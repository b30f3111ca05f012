/* SPDX-License-Identifier: MIT */
/* villages.c - the village ledger (村情台账): columns, checks, upsert, export.
 * Key: the 12-digit code, which must exist in the division tree. The figures
 * are checked against each other (a village cannot have more poor households
 * than households), the way a county office would check a survey form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "registry_int.h"

enum {
    V_CODE,
    V_POVERTY,
    V_STATES,
    V_HAMLETS,
    V_POPULATION,
    V_HOUSEHOLDS,
    V_POOR_HOUSEHOLDS,
    V_POOR_POPULATION,
    V_NEEDS,
    V_INDUSTRIES,
    V_LAT,
    V_LNG,
    V_DATUM,
    V_PAIRED_UNIT,
    V_RADIUS,
    V_NCOLS
};

static const struct import_col village_cols[V_NCOLS] = {
    [V_CODE] = {"code", "区划代码", "village_code|村代码|行政区划代码", true, TW_TEXT, 14},
    [V_POVERTY] = {"poverty", "贫困类型", "贫困村类型|村类型", true, TW_TEXT, 10},
    [V_STATES] = {"states", "村情类型", "村情|软穷乱弱", false, TW_TEXT, 10},
    [V_HAMLETS] = {"hamlets", "自然屯数", "自然村数|自然屯", false, TW_INT, 8},
    [V_POPULATION] = {"population", "人口", "总人口|户籍人口", false, TW_INT, 8},
    [V_HOUSEHOLDS] = {"households", "户数", "总户数", false, TW_INT, 8},
    [V_POOR_HOUSEHOLDS] = {"poor_households", "贫困户数", "建档立卡贫困户数", false, TW_INT, 8},
    [V_POOR_POPULATION] = {"poor_population", "贫困人口", "建档立卡贫困人口", false, TW_INT, 8},
    [V_NEEDS] = {"needs", "需求技能", "需求|所需技能", false, TW_TEXT, 20},
    [V_INDUSTRIES] = {"industries", "产业", "主导产业|规划产业", false, TW_TEXT, 20},
    [V_LAT] = {"lat", "纬度", "latitude", false, TW_REAL, 10},
    [V_LNG] = {"lng", "经度", "longitude|lon", false, TW_REAL, 10},
    [V_DATUM] = {"datum", "坐标系", NULL, false, TW_TEXT, 8},
    [V_PAIRED_UNIT] = {"paired_unit", "结对单位", "结对帮扶单位|帮扶单位", false, TW_TEXT, 14},
    [V_RADIUS] = {"radius_m", "半径(米)", "半径|radius|geofence_radius_m", false, TW_INT, 8},
};

const struct choice registry_poverty_choices[] = {
    {"非贫困村", "none"}, {"贫困村", "poor"}, {"深度贫困村", "deep"}, {"none", "none"},
    {"poor", "poor"},     {"deep", "deep"},   {"non-poor", "none"},   {NULL, NULL},
};

const struct choice registry_datum_choices[] = {
    {"WGS84", "WGS84"}, {"WGS-84", "WGS84"}, {"GCJ02", "GCJ02"}, {"GCJ-02", "GCJ02"}, {NULL, NULL},
};

/* 软 weak party branch, 穷 poor, 乱 disorderly, 弱 weak economy. */
static const char *const state_names[4] = {"软", "穷", "乱", "弱"};
static const char *const state_names_en[4] = {"soft", "poor", "disorderly", "weak"};

/* lat, lng and datum come together: a file with coordinates sets all three. */
static const struct upsert_col upsert_cols[] = {
    {"code", -1, NULL},
    {"poverty", V_POVERTY, NULL},
    {"states", V_STATES, NULL},
    {"hamlets", V_HAMLETS, NULL},
    {"population", V_POPULATION, NULL},
    {"households", V_HOUSEHOLDS, NULL},
    {"poor_households", V_POOR_HOUSEHOLDS, NULL},
    {"poor_population", V_POOR_POPULATION, NULL},
    {"needs", V_NEEDS, NULL},
    {"industries", V_INDUSTRIES, NULL},
    {"lat", V_LAT, NULL},
    {"lng", V_LAT, NULL},
    {"datum", V_LAT, NULL},
    {"paired_unit", V_PAIRED_UNIT, NULL},
    {"radius_m", V_RADIUS, NULL},
    {"code_was", V_CODE, "code"},
};

struct village_state {
    struct store_stmt *upsert;        /* INSERT ... ON CONFLICT */
    struct division_lookup *division; /* division lookup */
    struct store_stmt *unit;          /* unit exists? */
    struct skill_vocab *skills;       /* vocabulary */
    struct buf needs;                 /* canonical needs of the row */
    char code[13];                    /* export buffers */
    char states[16];
    char lat[32], lng[32], radius[16];
};

static int village_begin(struct import_ctx *c, struct zc_error *err)
{
    struct village_state *st = zc_calloc(1, sizeof(*st));
    int rc;
    c->kind_state = st;
    rc = import_prepare_upsert(c, "village", upsert_cols,
                               sizeof(upsert_cols) / sizeof(upsert_cols[0]), &st->upsert, err);
    if (rc == ZC_OK)
        rc = division_lookup_open(c->s, &st->division, err);
    if (rc == ZC_OK)
        rc = store_prepare(c->s, registry_sql_unit_exists, &st->unit, err);
    if (rc == ZC_OK)
        rc = skill_vocab_load(c->s, &st->skills, err);
    return rc;
}

static void village_end(struct import_ctx *c)
{
    struct village_state *st = c->kind_state;
    if (!st)
        return;
    division_lookup_close(st->division);
    store_finalize(st->unit);
    skill_vocab_free(st->skills);
    buf_fini(&st->needs);
    free(st);
    c->kind_state = NULL;
}

struct states_acc {
    struct import_ctx *c; /* for errors */
    int bits;             /* 1 软 2 穷 4 乱 8 弱 */
    bool ok;
};

static bool states_item(void *ud, const char *item)
{
    struct states_acc *a = ud;
    const char *p = item;
    /* "软穷" written without separators is common: take characters one by one. */
    while (*p) {
        bool found = false;
        if (*p == ' ') { /* "软 穷" */
            p++;
            continue;
        }
        for (int i = 0; i < 4; i++) {
            size_t n = strlen(state_names[i]);
            if (strncmp(p, state_names[i], n) == 0) {
                a->bits |= 1 << i;
                p += n;
                found = true;
                break;
            }
            n = strlen(state_names_en[i]);
            if (strncasecmp(p, state_names_en[i], n) == 0 && p[n] == '\0') {
                a->bits |= 1 << i;
                p += n;
                found = true;
                break;
            }
        }
        if (!found) {
            import_bad(a->c, V_STATES, "'%s' is not a village state; use 软, 穷, 乱 or 弱", item);
            a->ok = false;
            return false;
        }
    }
    return true;
}

static int village_row(struct import_ctx *c, const struct sheet_cell *v, struct zc_error *err)
{
    struct village_state *st = c->kind_state;
    const char *poverty = "none", *datum = "WGS84";
    char industries[513], paired[65], codebuf[13];
    int64_t code = 0, code_was = 0, n[5] = {0}, radius = 0;
    bool has_radius = false;
    bool has[5] = {false}, has_lat, has_lng, has_pair, present, ok = true, lat_ok, lng_ok;
    double lat = 0, lng = 0;
    struct states_acc sa = {.c = c, .bits = 0, .ok = true};
    size_t prev;
    static const size_t ncol[5] = {V_HAMLETS, V_POPULATION, V_HOUSEHOLDS, V_POOR_HOUSEHOLDS,
                                   V_POOR_POPULATION};

    ok &= field_division(c, V_CODE, &v[V_CODE], st->division, DIV_VILLAGE, &code, &code_was,
                         &present);
    ok &= field_choice(c, V_POVERTY, &v[V_POVERTY], registry_poverty_choices, &poverty, &present);
    if (!cell_split(&v[V_STATES], states_item, &sa))
        ok = false;
    for (int i = 0; i < 5; i++)
        ok &= field_int(c, ncol[i], &v[ncol[i]], 0, 10000000, &n[i], &has[i]);
    ok &= field_skills(c, V_NEEDS, &v[V_NEEDS], st->skills, &st->needs);
    ok &= field_text(c, V_INDUSTRIES, &v[V_INDUSTRIES], 512, industries, sizeof(industries));
    lat_ok = field_real(c, V_LAT, &v[V_LAT], REGISTRY_LAT_MIN, REGISTRY_LAT_MAX, &lat, &has_lat);
    lng_ok = field_real(c, V_LNG, &v[V_LNG], REGISTRY_LNG_MIN, REGISTRY_LNG_MAX, &lng, &has_lng);
    ok &= lat_ok && lng_ok;
    ok &= field_choice(c, V_DATUM, &v[V_DATUM], registry_datum_choices, &datum, &present);
    ok &= field_text(c, V_PAIRED_UNIT, &v[V_PAIRED_UNIT], 64, paired, sizeof(paired));
    /* The geofence of the field work (src/field): empty keeps the policy's. */
    ok &= field_int(c, V_RADIUS, &v[V_RADIUS], 50, 50000, &radius, &has_radius);
    has_pair = paired[0] != '\0';
    /* Cross-field checks run whenever the fields they read parsed, so one
     * pass over a file shows every problem. */
    if (lat_ok && lng_ok && has_lat != has_lng) {
        import_bad(c, has_lat ? V_LNG : V_LAT, "latitude and longitude go together; one is empty");
        ok = false;
    }
    /* Figures that contradict each other. */
    if (has[3] && has[2] && n[3] > n[2]) {
        import_bad(c, V_POOR_HOUSEHOLDS, "%lld poor households but only %lld households",
                   (long long)n[3], (long long)n[2]);
        ok = false;
    }
    if (has[4] && has[1] && n[4] > n[1]) {
        import_bad(c, V_POOR_POPULATION, "%lld poor people but a population of only %lld",
                   (long long)n[4], (long long)n[1]);
        ok = false;
    }
    if (has[2] && has[1] && n[2] > n[1]) {
        import_bad(c, V_HOUSEHOLDS, "%lld households but a population of only %lld",
                   (long long)n[2], (long long)n[1]);
        ok = false;
    }
    if (has[3] && has[4] && n[3] > n[4]) {
        import_bad(c, V_POOR_POPULATION, "%lld poor people cannot make up %lld poor households",
                   (long long)n[4], (long long)n[3]);
        ok = false;
    }
    if (has_pair) {
        bool row = false;
        store_bind_cstr(st->unit, 1, paired);
        if (store_step(st->unit, &row, err) != ZC_OK)
            return err->code;
        store_reset(st->unit);
        if (!row) {
            import_bad(c, V_PAIRED_UNIT, "unit %s is not registered (import the units first)",
                       paired);
            ok = false;
        }
    }
    if (ok) {
        division_format(code, DIV_VILLAGE, codebuf);
        if ((prev = import_seen(c, codebuf, 12)) != 0) {
            import_bad(c, V_CODE, "village %s already appears in row %zu", codebuf, prev);
            ok = false;
        }
    }
    if (!ok || import_failed(c))
        return ZC_OK;
    if (c->scoped) {
        char what[40];
        snprintf(what, sizeof(what), "village %s", codebuf);
        if (import_scope_check(c, V_CODE, what, true, code, err) != ZC_OK)
            return err->code;
    }
    store_bind_int(st->upsert, 1, code);
    store_bind_cstr(st->upsert, 2, poverty);
    store_bind_int(st->upsert, 3, sa.bits);
    for (int i = 0; i < 5; i++) {
        if (has[i])
            store_bind_int(st->upsert, 4 + i, n[i]);
        else
            store_bind_null(st->upsert, 4 + i);
    }
    store_bind_cstr(st->upsert, 9, buf_cstr(&st->needs));
    store_bind_cstr(st->upsert, 10, industries);
    if (has_lat) {
        store_bind_real(st->upsert, 11, lat);
        store_bind_real(st->upsert, 12, lng);
        store_bind_cstr(st->upsert, 13, datum);
    } else {
        store_bind_null(st->upsert, 11);
        store_bind_null(st->upsert, 12);
        store_bind_null(st->upsert, 13);
    }
    store_bind_cstr(st->upsert, 14, has_pair ? paired : NULL);
    if (has_radius)
        store_bind_int(st->upsert, 15, radius);
    else
        store_bind_null(st->upsert, 15);
    if (code_was)
        store_bind_int(st->upsert, 16, code_was);
    else
        store_bind_null(st->upsert, 16);
    if (store_run(st->upsert, err) != ZC_OK)
        return err->code;
    return ZC_OK;
}

static void village_export_row(struct import_ctx *c, struct store_stmt *st, bool unmask,
                               const char **out)
{
    struct village_state *vs = c->kind_state;
    const char *poverty = store_col_text(st, 1);
    int bits = (int)store_col_int(st, 2);
    size_t k = 0;
    (void)unmask;
    out[V_CODE] = export_division(st, 0, vs->code);
    out[V_POVERTY] = strcmp(poverty, "deep") == 0   ? "深度贫困村"
                     : strcmp(poverty, "poor") == 0 ? "贫困村"
                                                    : "非贫困村";
    vs->states[0] = '\0';
    for (int i = 0; i < 4; i++) {
        if (bits & (1 << i)) {
            memcpy(vs->states + k, state_names[i], 3);
            k += 3;
        }
    }
    vs->states[k] = '\0';
    out[V_STATES] = vs->states;
    for (int i = 0; i < 5; i++)
        out[V_HAMLETS + i] = store_col_text(st, 3 + i);
    buf_reset(&vs->needs);
    skill_vocab_names(vs->skills, store_col_text(st, 8), &vs->needs);
    out[V_NEEDS] = buf_cstr(&vs->needs);
    out[V_INDUSTRIES] = store_col_text(st, 9);
    vs->lat[0] = vs->lng[0] = '\0';
    if (!store_col_is_null(st, 10)) {
        snprintf(vs->lat, sizeof(vs->lat), "%.6f", store_col_real(st, 10));
        snprintf(vs->lng, sizeof(vs->lng), "%.6f", store_col_real(st, 11));
    }
    out[V_LAT] = vs->lat;
    out[V_LNG] = vs->lng;
    out[V_DATUM] = store_col_text(st, 12);
    out[V_PAIRED_UNIT] = store_col_text(st, 13);
    vs->radius[0] = '\0';
    if (!store_col_is_null(st, 14))
        snprintf(vs->radius, sizeof(vs->radius), "%lld", (long long)store_col_int(st, 14));
    out[V_RADIUS] = vs->radius;
}

/* The codes as a file wrote them (registry_int.h: struct import_was). */
static const struct import_was village_was[] = {{"code_was", "原村代码", false, false}};

const struct import_kind import_kind_villages = {
    .name = "villages",
    .table = "village",
    .cols = village_cols,
    .ncols = V_NCOLS,
    .begin = village_begin,
    .row = village_row,
    .end = village_end,
    .export_sql = registry_sql_villages_export,
    .was = village_was,
    .nwas = sizeof(village_was) / sizeof(village_was[0]),
    .export_row = village_export_row,
};

int registry_village_name(struct store *s, const struct zc_scope *scope, int64_t code, char *name,
                          size_t n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(
        s, scope->cadre != 0 ? registry_sql_village_name_own : registry_sql_village_name_in_range,
        &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, code);
        if (scope->cadre != 0) {
            store_bind_int(st, 2, scope->cadre);
        } else {
            store_bind_int(st, 2, scope->lo);
            store_bind_int(st, 3, scope->hi);
        }
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row)
        snprintf(name, n, "%s", store_col_text(st, 0));
    store_finalize(st);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no village %lld in your jurisdiction",
                          (long long)code);
    return rc;
}
