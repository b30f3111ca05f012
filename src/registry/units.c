/* SPDX-License-Identifier: MIT */
/* units.c - sending units (派出单位): columns, checks, upsert, export.
 * Key: the unit code. The category drives Hebei's department-type rule
 * (党群→软, 经济→穷, 政法→乱, 涉农→弱) in the dispatch engine. */
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "registry_int.h"

enum { U_CODE, U_NAME, U_LEVEL, U_CATEGORY, U_DIVISION, U_STAFF, U_LAT, U_LNG, U_NCOLS };

static const struct import_col unit_cols[U_NCOLS] = {
    [U_CODE] = {"code", "单位代码", "unit_code|代码", true, TW_TEXT, 14},
    [U_NAME] = {"name", "单位名称", "unit_name|名称", true, TW_TEXT, 30},
    [U_LEVEL] = {"level", "层级", "单位层级|级别", true, TW_TEXT, 8},
    [U_CATEGORY] = {"category", "类别", "单位类别|部门类型|type", true, TW_TEXT, 8},
    [U_DIVISION] = {"division", "所在区划", "区划代码|division_code", false, TW_TEXT, 14},
    /* Staff on the establishment: "no more than N% of a unit's staff drawn"
     * counts against it (without it, against the unit's cadres in the ledger). */
    [U_STAFF] = {"staff", "在编人数", "编制人数|人数", false, TW_INT, 8},
    /* Where the unit sits (WGS-84): the field rule home_city_on_village_day
     * looks for a cadre's points near it on a village day. */
    [U_LAT] = {"lat", "纬度", "latitude", false, TW_REAL, 10},
    [U_LNG] = {"lng", "经度", "longitude|lon", false, TW_REAL, 10},
};

const struct choice registry_level_choices[] = {
    {"省", "province"},       {"省级", "province"}, {"province", "province"}, {"市", "city"},
    {"市级", "city"},         {"city", "city"},     {"县", "county"},         {"县级", "county"},
    {"county", "county"},     {"乡", "township"},   {"乡级", "township"},     {"镇", "township"},
    {"township", "township"}, {NULL, NULL},
};

const struct choice registry_category_choices[] = {
    {"党群", "党群"},        {"经济", "经济"},      {"政法", "政法"},     {"涉农", "涉农"},
    {"教育", "教育"},        {"卫生", "卫生"},      {"国企", "国企"},     {"科研", "科研"},
    {"其他", "其他"},        {"party", "党群"},     {"economic", "经济"}, {"legal", "政法"},
    {"agriculture", "涉农"}, {"education", "教育"}, {"health", "卫生"},   {"soe", "国企"},
    {"research", "科研"},    {"other", "其他"},     {NULL, NULL},
};

static const struct upsert_col upsert_cols[] = {
    {"code", -1, NULL},
    {"name", U_NAME, NULL},
    {"level", U_LEVEL, NULL},
    {"category", U_CATEGORY, NULL},
    {"division", U_DIVISION, NULL},
    {"staff", U_STAFF, NULL},
    {"division_was", U_DIVISION, "division"},
    {"lat", U_LAT, NULL}, /* lat and lng come together */
    {"lng", U_LAT, NULL},
};

struct unit_state {
    struct store_stmt *upsert;        /* INSERT ... ON CONFLICT */
    struct division_lookup *division; /* division lookup */
    struct store_stmt *stored;        /* scoped imports: the unit's division as stored */
    char div[13];                     /* export: formatted division code */
    char lat[32], lng[32];            /* export: the position */
};

static int unit_begin(struct import_ctx *c, struct zc_error *err)
{
    struct unit_state *st = zc_calloc(1, sizeof(*st));
    int rc;
    c->kind_state = st;
    rc = import_prepare_upsert(c, "unit", upsert_cols, sizeof(upsert_cols) / sizeof(upsert_cols[0]),
                               &st->upsert, err);
    if (rc == ZC_OK)
        rc = division_lookup_open(c->s, &st->division, err);
    if (rc == ZC_OK && c->scoped)
        rc = store_prepare(c->s, registry_sql_unit_division, &st->stored, err);
    return rc;
}

static void unit_end(struct import_ctx *c)
{
    struct unit_state *st = c->kind_state;
    if (!st)
        return;
    division_lookup_close(st->division);
    store_finalize(st->stored);
    free(st);
    c->kind_state = NULL;
}

static int unit_row(struct import_ctx *c, const struct sheet_cell *v, struct zc_error *err)
{
    struct unit_state *st = c->kind_state;
    char code[65], name[257];
    const char *level = NULL, *category = NULL;
    int64_t division = 0, division_was = 0, staff = 0;
    double lat = 0, lng = 0;
    bool ok = true, has_div = false, has_staff = false, present, has_lat, has_lng, lat_ok, lng_ok;
    size_t prev;

    ok &= field_text(c, U_CODE, &v[U_CODE], 64, code, sizeof(code));
    ok &= field_text(c, U_NAME, &v[U_NAME], 256, name, sizeof(name));
    ok &= field_choice(c, U_LEVEL, &v[U_LEVEL], registry_level_choices, &level, &present);
    ok &=
        field_choice(c, U_CATEGORY, &v[U_CATEGORY], registry_category_choices, &category, &present);
    ok &= field_division(c, U_DIVISION, &v[U_DIVISION], st->division, 0, &division, &division_was,
                         &has_div);
    ok &= field_int(c, U_STAFF, &v[U_STAFF], 0, 10000000, &staff, &has_staff);
    lat_ok = field_real(c, U_LAT, &v[U_LAT], REGISTRY_LAT_MIN, REGISTRY_LAT_MAX, &lat, &has_lat);
    lng_ok = field_real(c, U_LNG, &v[U_LNG], REGISTRY_LNG_MIN, REGISTRY_LNG_MAX, &lng, &has_lng);
    ok &= lat_ok && lng_ok;
    if (lat_ok && lng_ok && has_lat != has_lng) {
        import_bad(c, has_lat ? U_LNG : U_LAT, "latitude and longitude go together; one is empty");
        ok = false;
    }
    if (ok && (prev = import_seen(c, code, strlen(code))) != 0) {
        import_bad(c, U_CODE, "unit %s already appears in row %zu", code, prev);
        ok = false;
    }
    if (!ok || import_failed(c))
        return ZC_OK;
    if (c->scoped) {
        /* As written (a file without the column keeps the stored division)
         * and as stored. */
        bool found, has_old;
        int64_t old;
        char what[96];
        snprintf(what, sizeof(what), "unit %s", code);
        if (import_scope_lookup(st->stored, code, &found, &has_old, &old, err) != ZC_OK ||
            import_scope_check(c, U_DIVISION, what,
                               has_div || (!import_has_col(c, U_DIVISION) && has_old),
                               has_div ? division : old, err) != ZC_OK ||
            (found && import_scope_check(c, U_DIVISION, what, has_old, old, err) != ZC_OK))
            return err->code;
    }
    store_bind_cstr(st->upsert, 1, code);
    store_bind_cstr(st->upsert, 2, name);
    store_bind_cstr(st->upsert, 3, level);
    store_bind_cstr(st->upsert, 4, category);
    if (has_div)
        store_bind_int(st->upsert, 5, division);
    else
        store_bind_null(st->upsert, 5);
    if (has_staff)
        store_bind_int(st->upsert, 6, staff);
    if (division_was)
        store_bind_int(st->upsert, 7, division_was);
    else
        store_bind_null(st->upsert, 7);
    if (has_lat) {
        store_bind_real(st->upsert, 8, lat);
        store_bind_real(st->upsert, 9, lng);
    } else {
        store_bind_null(st->upsert, 8);
        store_bind_null(st->upsert, 9);
    }
    if (store_run(st->upsert, err) != ZC_OK)
        return err->code;
    return ZC_OK;
}

static void unit_export_row(struct import_ctx *c, struct store_stmt *st, bool unmask,
                            const char **out)
{
    static const char *const level_zh[][2] = {
        {"province", "省"}, {"city", "市"}, {"county", "县"}, {"township", "乡"}};
    struct unit_state *us = c->kind_state;
    const char *level = store_col_text(st, 2);
    (void)unmask;
    out[U_CODE] = store_col_text(st, 0);
    out[U_NAME] = store_col_text(st, 1);
    out[U_LEVEL] = level;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(level, level_zh[i][0]) == 0)
            out[U_LEVEL] = level_zh[i][1];
    out[U_CATEGORY] = store_col_text(st, 3);
    out[U_DIVISION] = export_division(st, 4, us->div);
    out[U_STAFF] = store_col_text(st, 5);
    us->lat[0] = us->lng[0] = '\0';
    if (!store_col_is_null(st, 6)) {
        snprintf(us->lat, sizeof(us->lat), "%.6f", store_col_real(st, 6));
        snprintf(us->lng, sizeof(us->lng), "%.6f", store_col_real(st, 7));
    }
    out[U_LAT] = us->lat;
    out[U_LNG] = us->lng;
}

/* The codes as a file wrote them (registry_int.h: struct import_was). */
static const struct import_was unit_was[] = {{"division_was", "原区划代码", false, false}};

const struct import_kind import_kind_units = {
    .name = "units",
    .table = "unit",
    .cols = unit_cols,
    .ncols = U_NCOLS,
    .begin = unit_begin,
    .row = unit_row,
    .end = unit_end,
    .export_sql = registry_sql_units_export,
    .was = unit_was,
    .nwas = sizeof(unit_was) / sizeof(unit_was[0]),
    .export_row = unit_export_row,
};
