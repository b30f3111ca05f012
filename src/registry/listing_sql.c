/* SPDX-License-Identifier: MIT */
/* listing_sql.c - the ledger's kinds as lists and records (registry.h:
 * struct registry_listing): the columns as SQL expressions with their JSON
 * keys and types, the filters, the key, the FROM clause, the order. The
 * HTTP layer (api_registry.c) serves them; what a ledger row holds is said
 * here, next to the registry's other statements. */
#include <string.h>

#include "registry_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct registry_col village_cols[] = {
    {"v.code", "code", RCT_INT, true},
    {"d.name", "name", RCT_TEXT, false},
    {"v.poverty", "poverty", RCT_TEXT, true},
    {"v.states", "states", RCT_STATES, true},
    {"v.hamlets", "hamlets", RCT_INT, true},
    {"v.population", "population", RCT_INT, true},
    {"v.households", "households", RCT_INT, true},
    {"v.poor_households", "poor_households", RCT_INT, true},
    {"v.poor_population", "poor_population", RCT_INT, true},
    {"v.needs", "needs", RCT_LIST, true},
    {"v.industries", "industries", RCT_TEXT, true},
    {"v.lat", "lat", RCT_REAL, true},
    {"v.lng", "lng", RCT_REAL, true},
    {"v.datum", "datum", RCT_TEXT, true},
    {"v.paired_unit", "paired_unit", RCT_TEXT, true},
    /* The paired unit by name where the unit is in the registry. */
    {"(SELECT pu.name FROM unit pu WHERE pu.code = v.paired_unit)", "paired_unit_name", RCT_TEXT,
     false},
    {"v.demo", "demo", RCT_BOOL, false},
    /* The code as an import file wrote it, abolished or renamed since. */
    {"v.code_was", "code_was", RCT_WAS_INT, false},
};
static const struct registry_filter village_filters[] = {
    {"province", "v.code", RF_RANGE},
    {"city", "v.code", RF_RANGE},
    {"county", "v.code", RF_RANGE},
    {"township", "v.code", RF_RANGE},
    {"division", "v.code", RF_RANGE},
    {"poverty", "v.poverty", RF_EQUALS},
    {"q", "d.name", RF_CONTAINS},
    {"state", "v.states", RF_STATE},
    {"need", "v.needs", RF_LIST_HOLDS},
    {"unmet",
     "v.poverty <> 'none' AND ((SELECT count(*) FROM posting p WHERE p.village = v.code AND "
     "p.end_date IS NULL) < 3 OR NOT EXISTS (SELECT 1 FROM posting p WHERE p.village = v.code "
     "AND p.end_date IS NULL AND p.role = 'first_secretary'))",
     RF_CONDITION},
};

static const struct registry_col cadre_cols[] = {
    {"c.id", "id", RCT_INT, false},
    {"c.id_number", "id_number", RCT_IDNUM, true},
    {"c.name", "name", RCT_TEXT, true},
    {"c.unit", "unit", RCT_TEXT, true},
    {"u.name", "unit_name", RCT_TEXT, false},
    {"c.rank", "rank", RCT_TEXT, true},
    {"c.party_member", "party_member", RCT_BOOL, true},
    {"c.reserve", "reserve", RCT_BOOL, true},
    {"c.on_staff", "on_staff", RCT_BOOL, true},
    {"c.education", "education", RCT_TEXT, true},
    {"c.skills", "skills", RCT_LIST, true},
    {"c.rural_years", "rural_years", RCT_INT, true},
    {"c.service_years", "service_years", RCT_INT, true},
    {"c.hometown", "hometown", RCT_DIV, true},
    {"c.grades", "grades", RCT_TEXT, true},
    {"c.discipline", "discipline", RCT_TEXT, true},
    {"c.volunteer", "volunteer", RCT_BOOL, true},
    {"c.preferred", "preferred", RCT_LIST, true},
    {"c.gender", "gender", RCT_TEXT, true},
    {"c.birth_date", "birth_date", RCT_TEXT, true},
    {"c.spouse", "spouse", RCT_IDNUM, true},
    {"c.demo", "demo", RCT_BOOL, false},
    {"c.hometown_was", "hometown_was", RCT_WAS_DIV, false},
    {"c.preferred_was", "preferred_was", RCT_WAS_LIST, false},
};
static const struct registry_filter cadre_filters[] = {
    {"unit", "c.unit", RF_EQUALS},        {"province", "u.division", RF_RANGE},
    {"city", "u.division", RF_RANGE},     {"county", "u.division", RF_RANGE},
    {"division", "u.division", RF_RANGE}, {"q", "c.name", RF_CONTAINS},
};

static const struct registry_col unit_cols[] = {
    {"u.code", "code", RCT_TEXT, true},
    {"u.name", "name", RCT_TEXT, true},
    {"u.level", "level", RCT_TEXT, true},
    {"u.category", "category", RCT_TEXT, true},
    {"u.division", "division", RCT_DIV, true},
    {"u.demo", "demo", RCT_BOOL, false},
    {"u.division_was", "division_was", RCT_WAS_DIV, false},
};
static const struct registry_filter unit_filters[] = {
    {"province", "u.division", RF_RANGE}, {"city", "u.division", RF_RANGE},
    {"county", "u.division", RF_RANGE},   {"division", "u.division", RF_RANGE},
    {"level", "u.level", RF_EQUALS},      {"q", "u.name", RF_CONTAINS},
};

static const struct registry_col household_cols[] = {
    {"h.id", "id", RCT_TEXT, true},
    {"h.village", "village", RCT_INT, true},
    {"h.head_id_number", "head_id_number", RCT_IDNUM, true},
    {"h.members", "members", RCT_INT, true},
    {"h.cause", "cause", RCT_TEXT, true},
    {"h.income_per_capita", "income_per_capita", RCT_FEN, true},
    {"h.status", "status", RCT_TEXT, true},
    {"h.poverty_year", "poverty_year", RCT_INT, true},
    {"h.demo", "demo", RCT_BOOL, false},
    {"h.village_was", "village_was", RCT_WAS_INT, false},
};
static const struct registry_filter household_filters[] = {
    {"village", "h.village", RF_RANGE},  {"county", "h.village", RF_RANGE},
    {"township", "h.village", RF_RANGE}, {"division", "h.village", RF_RANGE},
    {"status", "h.status", RF_EQUALS},
};

/* Posts above the village (挂职岗位), with the seats held now. */
static const struct registry_col post_cols[] = {
    {"p.code", "code", RCT_TEXT, true},
    {"p.division", "division", RCT_DIV, true},
    {"d.name", "division_name", RCT_TEXT, false},
    {"p.title", "title", RCT_TEXT, true},
    {"p.seats", "seats", RCT_INT, true},
    {"p.min_rank", "min_rank", RCT_TEXT, true},
    {"p.send_level", "send_level", RCT_TEXT, true},
    {"p.party_member", "party_member", RCT_BOOL, true},
    {"p.skill", "skill", RCT_TEXT, true},
    {"p.term_start", "term_start", RCT_TEXT, true},
    {"p.term_end", "term_end", RCT_TEXT, true},
    {"(SELECT count(*) FROM posting po WHERE po.post = p.id AND po.end_date IS NULL)", "serving",
     RCT_INT, false},
    {"p.demo", "demo", RCT_BOOL, false},
    {"p.division_was", "division_was", RCT_WAS_DIV, false},
};
static const struct registry_filter post_filters[] = {
    {"county", "p.division", RF_RANGE},
    {"township", "p.division", RF_RANGE},
    {"division", "p.division", RF_RANGE},
    {"q", "p.title", RF_CONTAINS},
};

static const struct registry_col division_cols[] = {
    {"code", "code", RCT_INT, false},
    {"name", "name", RCT_TEXT, false},
    {"level", "level", RCT_INT, false},
    {"parent", "parent", RCT_INT, false},
};
static const struct registry_filter division_filters[] = {
    {"parent", "parent", RF_EQUALS},
    {"within", "code", RF_RANGE},
    {"level", "level", RF_EQUALS},
    {"q", "name", RF_CONTAINS},
};

static const struct registry_listing listings[] = {
    {"villages", "village", REG_VILLAGES, RS_VILLAGE,
     "village v JOIN division d ON d.code = v.code", "v.code", "v.code", true, "v.code", "code",
     "v.code", "v.code", village_cols, N(village_cols), village_filters, N(village_filters)},
    {"cadres", "cadre", REG_CADRES, RS_CADRE, "cadre c JOIN unit u ON u.code = c.unit", NULL,
     "c.id", true, "c.id_number", "id_number", "coalesce(u.division, 0)", "c.id", cadre_cols,
     N(cadre_cols), cadre_filters, N(cadre_filters)},
    {"units", "unit", REG_UNITS, RS_UNIT, "unit u", "u.division", "u.code", false, "u.code", "code",
     "coalesce(u.division, 0)", "u.code", unit_cols, N(unit_cols), unit_filters, N(unit_filters)},
    {"households", "household", REG_HOUSEHOLDS, RS_HOUSEHOLD, "household h", "h.village", "h.id",
     false, "h.id", "id", "h.village", "h.id", household_cols, N(household_cols), household_filters,
     N(household_filters)},
    {"posts", "post", REG_POSTS, RS_DIVISION, "post p JOIN division d ON d.code = p.division",
     "p.division", "p.code", false, "p.code", "code", "p.division", "p.division, p.code", post_cols,
     N(post_cols), post_filters, N(post_filters)},
    {"divisions", "division", -1, RS_DIVISION, "division", "code", "code", true, NULL, NULL, "code",
     "code", division_cols, N(division_cols), division_filters, N(division_filters)},
};

void registry_listing_select(const struct registry_listing *k, struct buf *sql)
{
    buf_puts(sql, "SELECT ");
    for (size_t i = 0; i < k->ncols; i++)
        buf_printf(sql, "%s%s", i ? ", " : "", k->cols[i].expr);
    buf_printf(sql, " FROM %s WHERE ", k->from);
}

void registry_listing_count(const struct registry_listing *k, const char *where, struct buf *sql)
{
    buf_printf(sql, "SELECT count(*) FROM %s WHERE %s", k->from, where);
}

void registry_listing_scope(const struct registry_listing *k, const struct zc_scope *sc,
                            struct buf *sql, int64_t *binds, int *nb)
{
    if (sc->cadre) {
        /* A cadre account: their own record, their team's village and what
         * belongs to it, their own unit (-1: linked to none, sees nothing). */
        switch (k->scope_by) {
        case RS_VILLAGE:
        case RS_HOUSEHOLD:
        case RS_DIVISION:
            buf_printf(sql,
                       "(%s IN (SELECT village FROM posting WHERE cadre = ? AND end_date IS NULL))",
                       k->scope_col);
            break;
        case RS_UNIT:
            buf_printf(sql, "(%s IN (SELECT unit FROM cadre WHERE id = ?))", k->key_col);
            break;
        case RS_CADRE:
            buf_puts(sql, "(c.id = ?)");
            break;
        }
        binds[(*nb)++] = sc->cadre;
        return;
    }
    if (sc->level == 0) {
        buf_puts(sql, "(1 = 1)"); /* everywhere: rows without a code too */
        return;
    }
    if (k->scope_by == RS_CADRE) {
        /* Cadres of units in the jurisdiction, and cadres serving in it, as
         * two IN lists, not u.division BETWEEN, so that SQLite answers the OR
         * from the cadre_unit and posting_village indexes instead of scanning
         * every cadre (7 ms instead of 115 ms for a county of hebei-2016). */
        buf_puts(sql, "(c.unit IN (SELECT code FROM unit WHERE division BETWEEN ? AND ?) OR "
                      "c.id IN (SELECT cadre FROM posting WHERE end_date IS NULL AND village "
                      "BETWEEN ? AND ?))");
        binds[(*nb)++] = sc->lo;
        binds[(*nb)++] = sc->hi;
    } else {
        buf_printf(sql, "(%s BETWEEN ? AND ?)", k->scope_col);
    }
    binds[(*nb)++] = sc->lo;
    binds[(*nb)++] = sc->hi;
}

const struct registry_listing *registry_listing_get(const char *name)
{
    for (size_t i = 0; i < N(listings); i++) {
        if (strcmp(listings[i].name, name) == 0)
            return &listings[i];
    }
    return NULL;
}
