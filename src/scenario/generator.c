/* SPDX-License-Identifier: MIT */
/* generator.c - turns a scenario into ledger rows (see scenario.h).
 *
 * Order is the contract for determinism: divisions, units (in file order),
 * villages (in code order), pairings, cadres (group by group), households
 * (village by village). Each part draws from its own PRNG stream forked from
 * the seed, so adding a draw in one part leaves the others unchanged; rows
 * get explicit keys (cadre ids count from 1) and are written through prepared
 * statements inside one transaction. Nothing reads the clock.
 *
 * Exact figures: every count a report gives (76 of 124 born in the 1980s,
 * 54.2% under 45) is split with scenario_apportion() and dealt out by a
 * seeded shuffle, so a group has exactly that many, never "about". */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/division.h"
#include "base/geo.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "registry/registry.h"
#include "scenario_int.h"
#include "store/store.h"

/* ---- working records ------------------------------------------------------ */

struct gunit {
    char code[64];     /* unit code */
    char name[192];    /* unit name */
    const char *level; /* borrowed from the scenario */
    const char *cat;   /* borrowed */
    int64_t division;  /* 12 digits, 0 = none */
    size_t set;        /* index into sc->unitsets */
};

struct gvillage {
    int64_t code;                 /* 12 digits */
    int poverty;                  /* SC_NONE / SC_POOR / SC_DEEP */
    const struct sc_named *named; /* what a report says, or NULL */
    const struct sc_village_rule *rule;
    int states; /* bits 1 软 2 穷 4 乱 8 弱 */
    int64_t hamlets, population, households, poor_hh, poor_pop;
    int64_t rem_hh, rem_pop; /* still poor at `today`, -1 = drawn */
    char needs[96];          /* skill codes */
    char industries[96];     /* ';'-joined */
    long unit;               /* paired unit index, -1 = none */
    double lng, lat;         /* WGS-84 */
    bool located;            /* inside the county outline */
    size_t posted;           /* postings placed here (for "paired") */
};

struct div {
    int64_t code;  /* 12 digits */
    char name[96]; /* UTF-8 */
};

/* ID numbers must be unique: the next sequence number per (county, birth
 * date), in an open-addressing table. */
struct idseq {
    uint64_t key; /* county6 * 1e8 + yyyymmdd, 0 = empty */
    int next;     /* next sequence number to try */
};

struct gen {
    struct store *s;
    const struct scenario *sc;
    const struct scenario_options *opt;
    struct scenario_stats *stats;
    struct zc_error *err;
    int ty, tm, td; /* today */
    struct gunit *units;
    size_t nunits;
    size_t *set_lo, *set_hi; /* units of set i: [set_lo[i], set_hi[i]) */
    struct gvillage *v;      /* sorted by code once built */
    size_t nv;
    struct idseq *ids;
    size_t nids, capids;
    struct scenario_counties *counties;
    struct registry_rows *rows; /* the ledger's rows (registry.h) */
    struct store_stmt *ins_member;
    struct aidgen *aid; /* members, statuses, plans of the households (aidgen.c) */
    struct aidgen_stats aid_stats;
    int64_t next_cadre; /* next cadre id */
};

static void progress(struct gen *g, const char *what)
{
    if (g->opt->progress)
        g->opt->progress(g->opt->progress_ud, what);
}

/* ---- small helpers -------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_village(const void *a, const void *b)
{
    return cmp_i64(&((const struct gvillage *)a)->code, &((const struct gvillage *)b)->code);
}

static struct gvillage *village_find(struct gen *g, int64_t code)
{
    size_t lo = 0, hi = g->nv;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->v[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->nv && g->v[lo].code == code ? &g->v[lo] : NULL;
}

static void prefix_range(const char *prefix, int64_t *lo, int64_t *hi)
{
    int64_t code;
    enum division_level lv;
    struct zc_error e = {0};
    if (strcmp(prefix, "*") == 0) {
        *lo = 0;
        *hi = INT64_MAX;
        return;
    }
    if (division_parse(prefix, strlen(prefix), &code, &lv, &e) != ZC_OK) {
        *lo = 1;
        *hi = 0;
        return;
    }
    division_range(code, lv, lo, hi);
}

/* Divisions of `level` under `prefix` (NULL = anywhere), in code order. */
struct div_acc {
    struct div **out;
    size_t *n, cap;
};

static void div_add(void *ud, const struct division_row *row)
{
    struct div_acc *a = ud;
    if (*a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        *a->out = zc_reallocarray(*a->out, a->cap, sizeof(**a->out));
    }
    (*a->out)[*a->n].code = row->code;
    snprintf((*a->out)[*a->n].name, sizeof((*a->out)[0].name), "%.*s",
             (int)sizeof((*a->out)[0].name) - 1, row->name);
    (*a->n)++;
}

static int load_divs(struct gen *g, int level, const char *prefix, struct div **out, size_t *n)
{
    int64_t lo = 0, hi = INT64_MAX;
    struct div_acc acc = {out, n, 0};
    *out = NULL;
    *n = 0;
    if (prefix)
        prefix_range(prefix, &lo, &hi);
    return divisions_at_level(g->s, level, lo, hi, div_add, &acc, g->err);
}

/* Replace {div}, {n} and {name} in a template. */
static void expand(char *out, size_t outsz, const char *tpl, const char *div, size_t n,
                   const char *name)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = tpl; *p && used + 1 < outsz;) {
        const char *sub = NULL;
        char num[24];
        size_t skip = 0;
        if (strncmp(p, "{div}", 5) == 0)
            sub = div ? div : "", skip = 5;
        else if (strncmp(p, "{n}", 3) == 0)
            snprintf(num, sizeof(num), "%zu", n), sub = num, skip = 3;
        else if (strncmp(p, "{name}", 6) == 0)
            sub = name ? name : "", skip = 6;
        if (sub) {
            int w = snprintf(out + used, outsz - used, "%s", sub);
            used += w > 0 ? (size_t)w : 0;
            if (used >= outsz)
                used = outsz - 1;
            p += skip;
        } else {
            out[used++] = *p++;
            out[used] = '\0';
        }
    }
}

/* ---- units ---------------------------------------------------------------- */

static void unit_add(struct gen *g, size_t *cap, size_t set, const char *code, const char *name,
                     const char *cat, int64_t division)
{
    const struct sc_unitset *u = &g->sc->unitsets[set];
    struct gunit *x;
    if (g->nunits == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        g->units = zc_reallocarray(g->units, *cap, sizeof(*g->units));
    }
    x = &g->units[g->nunits++];
    memset(x, 0, sizeof(*x));
    snprintf(x->code, sizeof(x->code), "%s", code);
    snprintf(x->name, sizeof(x->name), "%s", name);
    x->level = u->level;
    x->cat = cat;
    x->division = division;
    x->set = set;
}

static int64_t code_of(const char *s)
{
    int64_t code = 0;
    enum division_level lv;
    struct zc_error e = {0};
    if (!s || division_parse(s, strlen(s), &code, &lv, &e) != ZC_OK)
        return 0;
    return code;
}

static int make_units(struct gen *g, struct scenario_rng *r)
{
    const struct scenario *sc = g->sc;
    size_t cap = 0;
    int rc = ZC_OK;

    g->set_lo = zc_calloc(sc->nunitsets + 1, sizeof(size_t));
    g->set_hi = zc_calloc(sc->nunitsets + 1, sizeof(size_t));
    for (size_t i = 0; i < sc->nunitsets && rc == ZC_OK; i++) {
        const struct sc_unitset *u = &sc->unitsets[i];
        size_t per_names = u->nnames ? u->nnames : 1;
        char code[64], name[192];
        g->set_lo[i] = g->nunits;
        if (u->code) {
            expand(name, sizeof(name), u->name ? u->name : u->name_txt[0], NULL, 1, NULL);
            unit_add(g, &cap, i, u->code, name, u->category ? u->category : u->name_cat[0],
                     code_of(u->division));
        } else if (u->per) {
            int lv = strcmp(u->per, "city") == 0     ? DIV_CITY
                     : strcmp(u->per, "county") == 0 ? DIV_COUNTY
                                                     : DIV_TOWNSHIP;
            struct div *d = NULL;
            size_t nd = 0, take;
            rc = load_divs(g, lv, u->within, &d, &nd);
            if (rc == ZC_OK && nd == 0)
                rc = zc_error_set(g->err, ZC_EINVAL, "%s: units[%zu]: no %s under %s", sc->path, i,
                                  u->per, u->within);
            take = u->count && u->count < nd ? u->count : nd;
            if (rc == ZC_OK && take < nd) {
                /* Draw `take` divisions, then restore code order. */
                size_t *idx = zc_calloc(nd, sizeof(size_t));
                struct div *kept = zc_calloc(take, sizeof(*kept));
                for (size_t k = 0; k < nd; k++)
                    idx[k] = k;
                scenario_rng_shuffle(r, idx, nd, sizeof(size_t));
                qsort(idx, take, sizeof(size_t), cmp_i64);
                for (size_t k = 0; k < take; k++)
                    kept[k] = d[idx[k]];
                free(idx);
                free(d);
                d = kept;
            }
            for (size_t k = 0; rc == ZC_OK && k < take; k++) {
                char dc[13];
                division_format(d[k].code, (enum division_level)lv, dc);
                for (size_t j = 0; j < per_names; j++) {
                    const char *txt = u->nnames ? u->name_txt[j] : NULL;
                    if (per_names > 1)
                        snprintf(code, sizeof(code), "%s-%s-%02zu", u->set, dc, j + 1);
                    else
                        snprintf(code, sizeof(code), "%s-%s", u->set, dc);
                    expand(name, sizeof(name), u->name ? u->name : "{div}{name}", d[k].name, k + 1,
                           txt);
                    unit_add(g, &cap, i, code, name, u->nnames ? u->name_cat[j] : u->category,
                             d[k].code);
                }
            }
            free(d);
        } else {
            size_t n = u->count ? u->count : per_names;
            for (size_t k = 0; k < n; k++) {
                size_t j = k % per_names;
                snprintf(code, sizeof(code), "%s-%02zu", u->set, k + 1);
                expand(name, sizeof(name), u->name ? u->name : "{name}", NULL, k + 1,
                       u->nnames ? u->name_txt[j] : NULL);
                unit_add(g, &cap, i, code, name, u->nnames ? u->name_cat[j] : u->category,
                         code_of(u->division));
            }
        }
        g->set_hi[i] = g->nunits;
    }
    return rc;
}

/* Unit indices for a list of unit codes or set names, in order. */
static size_t *resolve_units(struct gen *g, char *const *names, size_t n, size_t *count)
{
    size_t *out = NULL, cap = 0;
    *count = 0;
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        for (size_t i = 0; i < g->sc->nunitsets && !found; i++) {
            const struct sc_unitset *u = &g->sc->unitsets[i];
            found = strcmp(u->set, names[k]) == 0 || (u->code && strcmp(u->code, names[k]) == 0);
        }
        if (!found) {
            /* A generated unit's own code ("al-county-27"). */
            for (size_t j = 0; j < g->nunits; j++)
                if (strcmp(g->units[j].code, names[k]) == 0) {
                    if (*count == cap) {
                        cap = cap ? cap * 2 : 64;
                        out = zc_reallocarray(out, cap, sizeof(*out));
                    }
                    out[(*count)++] = j;
                }
            continue;
        }
        for (size_t i = 0; i < g->sc->nunitsets; i++) {
            const struct sc_unitset *u = &g->sc->unitsets[i];
            if (strcmp(u->set, names[k]) != 0 && !(u->code && strcmp(u->code, names[k]) == 0))
                continue;
            for (size_t j = g->set_lo[i]; j < g->set_hi[i]; j++) {
                if (*count == cap) {
                    cap = cap ? cap * 2 : 64;
                    out = zc_reallocarray(out, cap, sizeof(*out));
                }
                out[(*count)++] = j;
            }
            break;
        }
    }
    return out;
}

static int write_units(struct gen *g)
{
    int rc = ZC_OK;
    for (size_t i = 0; rc == ZC_OK && i < g->nunits; i++) {
        struct gunit *u = &g->units[i];
        struct registry_unit_row row = {u->code, u->name, u->level, u->cat, u->division, true};
        rc = registry_add_unit(g->rows, &row, g->err);
        if (rc != ZC_OK)
            zc_error_prefix(g->err, "unit %s", u->code);
    }
    g->stats->units = g->nunits;
    return rc;
}

/* ---- villages ------------------------------------------------------------- */

static bool selected(int64_t code, enum sc_select sel)
{
    bool rural = division_is_rural_village(code);
    return sel == SC_ALL || (sel == SC_RURAL) == rural;
}

/* Does the tree's name ("龙琴村委会", "坡老村村民委员会") match the report's ("龙琴村")? */
static bool name_matches(const char *tree, const char *report)
{
    size_t n = strlen(report);
    if (strncmp(tree, report, n) == 0)
        return true;
    /* "田家嘴村" against "田家嘴村民委员会": drop the report's trailing 村. */
    if (n > 3 && strcmp(report + n - 3, "村") == 0)
        return strncmp(tree, report, n - 3) == 0;
    return false;
}

static int make_villages(struct gen *g, struct scenario_rng *r)
{
    const struct scenario *sc = g->sc;
    size_t cap = 0;
    int rc = ZC_OK;
    bool *named_used = zc_calloc(sc->nnamed + 1, sizeof(bool));

    for (size_t ri = 0; ri < sc->nrules && rc == ZC_OK; ri++) {
        const struct sc_village_rule *rule = &sc->rules[ri];
        struct div *d = NULL;
        size_t nd = 0, ncand = 0, want, ndeep = 0, npoor = 0, first;
        int64_t *cand;
        rc = load_divs(g, DIV_VILLAGE, rule->within, &d, &nd);
        if (rc != ZC_OK)
            break;
        /* Candidates: selected kind, not taken by an earlier rule; named first. */
        cand = zc_calloc(nd + 1, sizeof(*cand));
        for (size_t i = 0; i < sc->nnamed; i++) {
            const struct sc_named *nm = &sc->named[i];
            for (size_t k = 0; k < nd; k++) {
                if (d[k].code != nm->code || named_used[i])
                    continue;
                if (!name_matches(d[k].name, nm->name)) {
                    rc = zc_error_set(g->err, ZC_EINVAL,
                                      "%s: named village %lld is '%s' in the division tree, not "
                                      "'%s'",
                                      sc->path, (long long)nm->code, d[k].name, nm->name);
                    break;
                }
                named_used[i] = true;
                cand[ncand++] = d[k].code;
                if (nm->poverty == SC_DEEP)
                    ndeep++;
                else if (nm->poverty == SC_POOR)
                    npoor++;
            }
        }
        first = ncand; /* cand[0..first) are named */
        for (size_t k = 0; k < nd; k++) {
            bool isnamed = false;
            for (size_t i = 0; i < first; i++)
                isnamed |= cand[i] == d[k].code;
            if (!isnamed && selected(d[k].code, rule->select) &&
                !(g->nv && village_find(g, d[k].code)))
                cand[ncand++] = d[k].code;
        }
        want = rule->count ? rule->count : ncand;
        if (rc == ZC_OK && want > ncand)
            rc = zc_error_set(g->err, ZC_EINVAL,
                              "%s: villages[%zu]: wants %zu villages under %s, the tree has %zu",
                              sc->path, ri, want, rule->within, ncand);
        if (rc == ZC_OK && (ndeep > rule->deep || npoor > rule->poor))
            rc = zc_error_set(g->err, ZC_EINVAL,
                              "%s: villages[%zu]: the named villages under %s already count %zu "
                              "deep and %zu poor, more than the rule's %zu and %zu",
                              sc->path, ri, rule->within, ndeep, npoor, rule->deep, rule->poor);
        if (rc == ZC_OK && rule->deep + rule->poor > want)
            rc = zc_error_set(g->err, ZC_EINVAL,
                              "%s: villages[%zu]: %zu deep + %zu poor but only %zu villages",
                              sc->path, ri, rule->deep, rule->poor, want);
        if (rc == ZC_OK) {
            /* Draw the unnamed ones, then deal out the classes among them. */
            scenario_rng_shuffle(r, cand + first, ncand - first, sizeof(int64_t));
        }
        if (rc == ZC_OK) {
            size_t deep_left = rule->deep - ndeep, poor_left = rule->poor - npoor;
            for (size_t k = 0; k < want; k++) {
                struct gvillage *x;
                if (g->nv == cap) {
                    cap = cap ? cap * 2 : 1024;
                    g->v = zc_reallocarray(g->v, cap, sizeof(*g->v));
                }
                x = &g->v[g->nv++];
                memset(x, 0, sizeof(*x));
                x->code = cand[k];
                x->rule = rule;
                x->unit = -1;
                x->rem_hh = x->rem_pop = -1;
                if (k < first) {
                    for (size_t i = 0; i < sc->nnamed; i++)
                        if (sc->named[i].code == x->code)
                            x->named = &sc->named[i];
                    x->poverty = x->named->poverty;
                } else if (deep_left) {
                    x->poverty = SC_DEEP, deep_left--;
                } else if (poor_left) {
                    x->poverty = SC_POOR, poor_left--;
                } else {
                    x->poverty = SC_NONE;
                }
            }
            qsort(g->v, g->nv, sizeof(*g->v), cmp_village);
        }
        free(cand);
        free(d);
    }
    for (size_t i = 0; rc == ZC_OK && i < sc->nnamed; i++)
        if (!named_used[i])
            rc = zc_error_set(g->err, ZC_EINVAL,
                              "%s: named village %s (%lld) is under no villages[] rule, or not in "
                              "the division tree loaded by 'divisions'",
                              sc->path, sc->named[i].name, (long long)sc->named[i].code);
    free(named_used);
    return rc;
}

static const char *const need_pool[] = {"farming",   "livestock",    "ecommerce", "water",
                                        "tourism",   "construction", "forestry",  "medical",
                                        "education", "accounting"};
static const char *const industry_pool[] = {"核桃",     "花椒", "中药材", "食用菌", "肉牛",
                                            "山羊",     "生猪", "蔬菜",   "水果",   "茶叶",
                                            "乡村旅游", "光伏", "桑蚕",   "油茶"};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void village_attrs(struct gvillage *x, struct scenario_rng *r)
{
    const struct sc_village_rule *rule = x->rule;
    const struct sc_named *nm = x->named;
    int64_t plo = rule->population.hi ? rule->population.lo : 600;
    int64_t phi = rule->population.hi ? rule->population.hi : 3000;
    int64_t hlo = rule->hamlets.hi ? rule->hamlets.lo : 3,
            hhi = rule->hamlets.hi ? rule->hamlets.hi : 25;
    double inc, hsize;
    const char *needs[3];
    size_t nneeds = 0;

    x->population = scenario_rng_range(r, plo, phi);
    x->hamlets = scenario_rng_range(r, hlo, hhi);
    x->households = (int64_t)llround((double)x->population / (3.2 + scenario_rng_unit(r)));
    inc = x->poverty == SC_DEEP   ? 0.25 + 0.20 * scenario_rng_unit(r)
          : x->poverty == SC_POOR ? 0.10 + 0.20 * scenario_rng_unit(r)
                                  : 0.04 * scenario_rng_unit(r);
    x->poor_pop = (int64_t)llround((double)x->population * inc);
    hsize = 3.0 + 1.2 * scenario_rng_unit(r);
    x->poor_hh = x->poor_pop ? (int64_t)llround((double)x->poor_pop / hsize) : 0;
    if (x->poor_pop && x->poor_hh < 1)
        x->poor_hh = 1;
    /* Governance states (软 穷 乱 弱) by class. */
    {
        static const double p[3][4] = {
            {0.10, 0.00, 0.05, 0.15}, /* none */
            {0.20, 0.85, 0.08, 0.40}, /* poor */
            {0.30, 1.00, 0.10, 0.60}, /* deep */
        };
        int cls = x->poverty == SC_DEEP ? 2 : x->poverty == SC_POOR ? 1 : 0;
        x->states = 0;
        for (int b = 0; b < 4; b++)
            if (scenario_rng_unit(r) < p[cls][b])
                x->states |= 1 << b;
    }
    if (x->poverty != SC_NONE) {
        size_t k = (size_t)scenario_rng_below(r, 3); /* 0..2 needs */
        for (size_t i = 0; i < k; i++) {
            const char *s =
                need_pool[scenario_rng_below(r, sizeof(need_pool) / sizeof(*need_pool))];
            bool dup = false;
            for (size_t j = 0; j < nneeds; j++)
                dup |= strcmp(needs[j], s) == 0;
            if (!dup)
                needs[nneeds++] = s;
        }
        qsort(needs, nneeds, sizeof(*needs), cmp_str);
    }
    x->needs[0] = '\0';
    for (size_t i = 0; i < nneeds; i++) {
        size_t l = strlen(x->needs);
        snprintf(x->needs + l, sizeof(x->needs) - l, "%s%s", i ? ";" : "", needs[i]);
    }
    {
        size_t a = (size_t)scenario_rng_below(r, sizeof(industry_pool) / sizeof(*industry_pool));
        size_t b = (size_t)scenario_rng_below(r, sizeof(industry_pool) / sizeof(*industry_pool));
        if (a == b)
            snprintf(x->industries, sizeof(x->industries), "%s", industry_pool[a]);
        else
            snprintf(x->industries, sizeof(x->industries), "%s;%s", industry_pool[a],
                     industry_pool[b]);
    }
    if (!nm)
        return;
    /* What the report says wins over what was drawn. */
    if (nm->states >= 0)
        x->states = nm->states;
    if (nm->hamlets >= 0)
        x->hamlets = nm->hamlets;
    if (nm->poor_households >= 0) {
        x->poor_hh = nm->poor_households;
        x->poor_pop = nm->poor_population;
    }
    if (nm->population >= 0)
        x->population = nm->population;
    if (x->population < x->poor_pop)
        x->population = x->poor_pop + x->poor_pop / 8;
    if (nm->population >= 0 || nm->poor_households >= 0)
        x->households = (int64_t)llround((double)x->population / 3.9);
    if (x->households < x->poor_hh)
        x->households = x->poor_hh;
    x->rem_hh = nm->remaining_households;
    x->rem_pop = nm->remaining_people;
    if (nm->needs[0] || nm->industries[0]) {
        if (nm->needs[0])
            snprintf(x->needs, sizeof(x->needs), "%s", nm->needs);
        if (nm->industries[0])
            snprintf(x->industries, sizeof(x->industries), "%s", nm->industries);
    }
}

static int find_unit(struct gen *g, const char *code)
{
    for (size_t i = 0; i < g->nunits; i++)
        if (strcmp(g->units[i].code, code) == 0)
            return (int)i;
    for (size_t i = 0; i < g->sc->nunitsets; i++)
        if (strcmp(g->sc->unitsets[i].set, code) == 0 && g->set_hi[i] > g->set_lo[i])
            return (int)g->set_lo[i];
    return -1;
}

static int make_pairings(struct gen *g, struct scenario_rng *r)
{
    const struct scenario *sc = g->sc;
    int rc = ZC_OK;

    for (size_t i = 0; i < sc->nnamed; i++)
        if (sc->named[i].paired_unit) {
            struct gvillage *x = village_find(g, sc->named[i].code);
            if (x)
                x->unit = find_unit(g, sc->named[i].paired_unit);
        }
    for (size_t pi = 0; pi < sc->npairings && rc == ZC_OK; pi++) {
        const struct sc_pairing *p = &sc->pairings[pi];
        size_t nunits = 0, npool = 0, ncounties = 0, take, nchosen = 0;
        size_t *units = resolve_units(g, &p->set, 1, &nunits);
        size_t *pool = zc_calloc(g->nv + 1, sizeof(size_t));
        int64_t *counties = zc_calloc(g->nv + 1, sizeof(int64_t));
        size_t *chosen = zc_calloc(p->villages + 1, sizeof(size_t));
        int64_t lo, hi;
        prefix_range(p->within, &lo, &hi);
        for (size_t k = 0; k < g->nv; k++) {
            const struct gvillage *x = &g->v[k];
            if (x->code < lo || x->code > hi || !(x->poverty & p->poverty) || x->unit >= 0)
                continue;
            pool[npool++] = k;
            if (!ncounties || counties[ncounties - 1] != x->code / 1000000)
                counties[ncounties++] = x->code / 1000000;
        }
        take = p->counties ? p->counties : ncounties;
        if (take > ncounties || npool < p->villages) {
            rc = zc_error_set(g->err, ZC_EINVAL,
                              "%s: pairings[%zu]: %zu villages in %zu counties wanted; %zu "
                              "unpaired villages of that class in %zu counties under %s",
                              sc->path, pi, p->villages, take, npool, ncounties, p->within);
        } else {
            /* Draw the counties, one village in each, then the rest from them all. */
            bool *in = zc_calloc(g->nv + 1, sizeof(bool));
            size_t nrest = 0;
            scenario_rng_shuffle(r, counties, ncounties, sizeof(int64_t));
            qsort(counties, take, sizeof(int64_t), cmp_i64);
            for (size_t c = 0; c < take; c++) {
                size_t first = npool, cnt = 0;
                for (size_t k = 0; k < npool; k++)
                    if (g->v[pool[k]].code / 1000000 == counties[c]) {
                        if (first == npool)
                            first = k;
                        cnt++;
                    }
                chosen[nchosen] = pool[first + (size_t)scenario_rng_below(r, cnt)];
                in[chosen[nchosen++]] = true;
            }
            for (size_t k = 0; k < npool; k++) {
                bool ok = false;
                for (size_t c = 0; c < take && !ok; c++)
                    ok = g->v[pool[k]].code / 1000000 == counties[c];
                if (ok && !in[pool[k]])
                    pool[nrest++] = pool[k];
            }
            if (nchosen + nrest < p->villages)
                rc = zc_error_set(g->err, ZC_EINVAL,
                                  "%s: pairings[%zu]: the %zu counties drawn hold only %zu "
                                  "villages of that class",
                                  sc->path, pi, take, nchosen + nrest);
            scenario_rng_shuffle(r, pool, nrest, sizeof(size_t));
            for (size_t k = 0; rc == ZC_OK && nchosen < p->villages; k++)
                chosen[nchosen++] = pool[k];
            free(in);
        }
        if (rc == ZC_OK) {
            /* Sorted by code, so a unit's villages are neighbours; the first
             * units take one more when the division is uneven. */
            size_t at = 0;
            qsort(chosen, nchosen, sizeof(size_t), cmp_i64);
            for (size_t u = 0; u < nunits && at < nchosen; u++) {
                size_t n = nchosen / nunits + (u < nchosen % nunits ? 1 : 0);
                if (nunits > nchosen)
                    n = 1;
                for (size_t k = 0; k < n && at < nchosen; k++)
                    g->v[chosen[at++]].unit = (long)units[u];
            }
        }
        free(units);
        free(pool);
        free(counties);
        free(chosen);
    }
    return rc;
}

static int write_villages(struct gen *g, struct scenario_rng *r)
{
    int rc = ZC_OK;
    for (size_t i = 0; rc == ZC_OK && i < g->nv; i++) {
        struct gvillage *x = &g->v[i];
        double lng = 0, lat = 0;
        bool in = false;
        bool have =
            g->counties && scenario_counties_point(g->counties, x->code / 1000000, x->code / 1000,
                                                   r, &lng, &lat, &in) == ZC_OK;
        struct registry_village_row row = {
            .code = x->code,
            .poverty = x->poverty == SC_DEEP   ? "deep"
                       : x->poverty == SC_POOR ? "poor"
                                               : "none",
            .states = x->states,
            .hamlets = x->hamlets,
            .population = x->population,
            .households = x->households,
            .poor_households = x->poor_hh,
            .poor_population = x->poor_pop,
            .needs = x->needs,
            .industries = x->industries,
            .paired_unit = x->unit >= 0 ? g->units[x->unit].code : NULL,
            .demo = true,
        };
        if (have) {
            /* The outlines are GCJ-02; phones report WGS-84, so store WGS-84,
             * rounded to 1e-6 degrees (about 0.1 m). */
            struct geo_point gcj = {lng, lat};
            struct geo_point w = geo_gcj02_to_wgs84(gcj);
            x->lng = round(w.lng * 1e6) / 1e6;
            x->lat = round(w.lat * 1e6) / 1e6;
            x->located = in;
            row.located = true;
            row.lat = x->lat;
            row.lng = x->lng;
            row.datum = "WGS84";
            g->stats->located += in;
        }
        rc = registry_add_village(g->rows, &row, g->err);
        g->stats->deep += x->poverty == SC_DEEP;
        g->stats->poor += x->poverty == SC_POOR;
    }
    g->stats->villages = g->nv;
    return rc;
}

static int write_named(struct gen *g)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(g->s, scenario_gen_sql[SG_NAMED], &st, g->err);
    for (size_t i = 0; rc == ZC_OK && i < g->sc->nnamed; i++) {
        store_bind_int(st, 1, g->sc->named[i].code);
        store_bind_cstr(st, 2, g->sc->named[i].name);
        store_bind_cstr(st, 3, g->sc->named[i].note ? g->sc->named[i].note : "");
        rc = store_run(st, g->err);
    }
    store_finalize(st);
    return rc;
}

static int write_unit_pairings(struct gen *g)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(g->s, scenario_gen_sql[SG_PAIRING], &st, g->err);
    for (size_t i = 0; rc == ZC_OK && i < g->sc->nunit_pairings; i++) {
        const struct sc_unit_pairing *p = &g->sc->unit_pairings[i];
        size_t na = 0, nb = 0;
        size_t *a = resolve_units(g, &p->a, 1, &na), *b = resolve_units(g, &p->b, 1, &nb);
        size_t n = na > nb ? na : nb;
        for (size_t k = 0; rc == ZC_OK && na && nb && k < n; k++) {
            store_bind_cstr(st, 1, g->units[a[k % na]].code);
            store_bind_cstr(st, 2, g->units[b[k % nb]].code);
            store_bind_cstr(st, 3, p->kind);
            rc = store_run(st, g->err);
        }
        free(a);
        free(b);
    }
    store_finalize(st);
    return rc;
}

/* ---- people --------------------------------------------------------------- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",   "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓",   "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程",   "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范",   "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江",   "尹",
    "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚",   "邵",
    "万", "钱", "覃", "武", "戴", "莫", "孔", "向", "汤", "蒙", "农", "岑", "卓", "扎西", "才让"};
static const char *const given_m[] = {"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明",
                                      "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宁", "健",
                                      "志", "文", "海", "建", "国", "永", "林", "峰", "宇", "成",
                                      "东", "浩", "亮", "俊", "立", "新", "春", "德", "学", "光"};
static const char *const given_f[] = {"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲",
                                      "燕", "婷", "雪", "琳", "红", "梅", "兰", "萍", "洁", "颖",
                                      "慧", "琴", "英", "玉", "丹", "倩", "晶", "莉", "凤", "佳"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void person_name(struct scenario_rng *r, bool male, char *out, size_t outsz)
{
    const char *const *given = male ? given_m : given_f;
    size_t ng = male ? NELEM(given_m) : NELEM(given_f);
    const char *s = surnames[scenario_rng_below(r, NELEM(surnames))];
    const char *a = given[scenario_rng_below(r, ng)];
    if (scenario_rng_below(r, 3) == 0)
        snprintf(out, outsz, "%s%s", s, a);
    else
        snprintf(out, outsz, "%s%s%s", s, a, given[scenario_rng_below(r, ng)]);
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* A valid, unique ID number for someone from county `county6`. */
static void id_number(struct gen *g, int64_t county6, int y, int m, int d, bool male, char *out)
{
    uint64_t key = (uint64_t)county6 * UINT64_C(100000000) + (uint64_t)(y * 10000 + m * 100 + d);
    size_t mask, i;
    int seq;
    if (g->nids * 2 >= g->capids) {
        struct idseq *old = g->ids;
        size_t oldcap = g->capids;
        g->capids = oldcap ? oldcap * 2 : 4096;
        g->ids = zc_calloc(g->capids, sizeof(*g->ids));
        for (size_t k = 0; k < oldcap; k++)
            if (old[k].key) {
                size_t j = (size_t)(old[k].key * 0x9e3779b97f4a7c15ULL >> 20) & (g->capids - 1);
                while (g->ids[j].key)
                    j = (j + 1) & (g->capids - 1);
                g->ids[j] = old[k];
            }
        free(old);
    }
    mask = g->capids - 1;
    i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & mask;
    while (g->ids[i].key && g->ids[i].key != key)
        i = (i + 1) & mask;
    if (!g->ids[i].key) {
        g->ids[i].key = key;
        g->ids[i].next = 1;
        g->nids++;
    }
    /* Odd sequence numbers for men, even for women (GB 11643). */
    seq = g->ids[i].next;
    if ((seq % 2 == 1) != male)
        seq++;
    g->ids[i].next = seq + 1;
    if (seq > 999)
        seq = 999; /* 500 people born on one day in one county: not in any scenario */
    {
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "%06lld%04d%02d%02d%03d", (long long)(county6 % 1000000),
                 y % 10000, m % 100, d % 100, seq % 1000);
        memcpy(out, tmp, 17);
    }
    out[17] = idcard_check_char(out);
    out[18] = '\0';
}

/* Exactly apportioned labels for n people, shuffled: out[i] = mix index. */
static unsigned char *deal(struct scenario_rng *r, const struct sc_mix *m, size_t n)
{
    size_t counts[SC_MAX_MIX];
    unsigned char *out = zc_calloc(n + 1, 1);
    size_t at = 0;
    scenario_apportion(n, m->weight, m->n, counts);
    for (size_t k = 0; k < m->n; k++)
        for (size_t j = 0; j < counts[k] && at < n; j++)
            out[at++] = (unsigned char)k;
    scenario_rng_shuffle(r, out, n, 1);
    return out;
}

/* Exactly round(share * n) of n people, shuffled. */
static unsigned char *deal_share(struct scenario_rng *r, double share, size_t n)
{
    double w[2] = {share, 1.0 - share};
    struct sc_mix m;
    memset(&m, 0, sizeof(m));
    m.n = 2;
    m.weight[0] = w[0];
    m.weight[1] = w[1];
    {
        unsigned char *d = deal(r, &m, n);
        for (size_t i = 0; i < n; i++)
            d[i] = d[i] == 0;
        return d;
    }
}

static void default_mix(struct sc_mix *m, const char *const *keys, const double *w, size_t n)
{
    memset(m, 0, sizeof(*m));
    for (size_t i = 0; i < n; i++) {
        m->key[i] = (char *)(uintptr_t)keys[i]; /* borrowed: these mixes are never mix_fini()ed */
        m->weight[i] = w[i];
        if (sscanf(keys[i], "%lld-%lld", (long long *)&m->lo[i], (long long *)&m->hi[i]) != 2)
            m->lo[i] = m->hi[i] = 0;
    }
    m->n = n;
}

struct county_list {
    char prefix[16]; /* cache key */
    int64_t *codes;  /* counties (12 digits) */
    size_t n;
};

static int county_list_get(struct gen *g, struct county_list *cache, size_t *ncache,
                           const char *prefix, struct county_list **out)
{
    struct div *d = NULL;
    size_t nd = 0;
    int rc;
    for (size_t i = 0; i < *ncache; i++)
        if (strcmp(cache[i].prefix, prefix) == 0) {
            *out = &cache[i];
            return ZC_OK;
        }
    rc = load_divs(g, DIV_COUNTY, prefix, &d, &nd);
    if (rc != ZC_OK)
        return rc;
    if (*ncache >= 64) {
        free(d);
        return zc_error_set(g->err, ZC_EINVAL, "too many different hometown prefixes");
    }
    *out = &cache[(*ncache)++];
    memset(*out, 0, sizeof(**out));
    snprintf((*out)->prefix, sizeof((*out)->prefix), "%s", prefix);
    (*out)->codes = zc_calloc(nd + 1, sizeof(int64_t));
    /* Skip placeholders such as 市辖区 that no one is from. */
    for (size_t i = 0; i < nd; i++)
        if (!strstr(d[i].name, "市辖区"))
            (*out)->codes[(*out)->n++] = d[i].code;
    free(d);
    if (!(*out)->n)
        return zc_error_set(g->err, ZC_EINVAL, "no counties under %s for hometowns", prefix);
    return ZC_OK;
}

/* Places for a posting rule: division codes, in code order. */
static int posting_places(struct gen *g, const struct sc_posting *p, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (p->code) {
        *out = zc_calloc(1, sizeof(int64_t));
        (*out)[0] = p->code;
        *n = 1;
        return ZC_OK;
    }
    if (strcmp(p->at, "villages") == 0) {
        int64_t lo, hi;
        prefix_range(p->within, &lo, &hi);
        *out = zc_calloc(g->nv + 1, sizeof(int64_t));
        for (size_t i = 0; i < g->nv; i++)
            if (g->v[i].code >= lo && g->v[i].code <= hi &&
                (!p->poverty || (g->v[i].poverty & p->poverty)))
                (*out)[(*n)++] = g->v[i].code;
    } else if (strcmp(p->at, "townships") == 0 || strcmp(p->at, "counties") == 0) {
        struct div *d = NULL;
        size_t nd = 0;
        int rc = load_divs(g, p->at[0] == 't' ? DIV_TOWNSHIP : DIV_COUNTY, p->within, &d, &nd);
        if (rc != ZC_OK)
            return rc;
        *out = zc_calloc(nd + 1, sizeof(int64_t));
        for (size_t i = 0; i < nd; i++)
            (*out)[(*n)++] = d[i].code;
        free(d);
    }
    if (p->places && *n > p->places)
        *n = p->places;
    return ZC_OK;
}

/* Posts above the village (挂职): each rule's posts, one seat each, round
 * robin over its places in code order. */
static int write_posts(struct gen *g)
{
    int rc = ZC_OK;
    for (size_t i = 0; rc == ZC_OK && i < g->sc->nposts; i++) {
        const struct sc_post *p = &g->sc->posts[i];
        struct div *d = NULL;
        size_t nd = 0;
        rc = load_divs(g, p->at[0] == 't' ? DIV_TOWNSHIP : DIV_COUNTY, p->within, &d, &nd);
        if (p->places && nd > p->places)
            nd = p->places;
        if (rc == ZC_OK && !nd)
            rc = zc_error_set(g->err, ZC_EINVAL, "%s: posts[%zu]: no %s under %s", g->sc->path, i,
                              p->at, p->within);
        for (size_t k = 0; rc == ZC_OK && k < p->count; k++) {
            char code[96];
            struct registry_post_row row = {
                .code = code,
                .division = d[k % nd].code,
                .title = p->titles[(k / nd) % p->ntitles],
                .seats = 1,
                .min_rank = p->min_rank,
                .send_level = p->send_level,
                .party_member = p->party,
                .demo = true,
            };
            snprintf(code, sizeof(code), "%s-%03zu", p->code, k + 1);
            rc = registry_add_post(g->rows, &row, g->err);
            g->stats->posts++;
        }
        free(d);
    }
    return rc;
}

/* A group's attributes dealt to its n people (deal(): exact shares, then
 * shuffled), in the order the scenario's seed has always drawn them. */
struct group_deck {
    struct sc_mix rank, edu, gender, birth, grades;
    bool by_age; /* `birth` is an age band at today, not a year range */
    unsigned char *rank_of, *edu_of, *gender_of, *birth_of, *grades_of[3];
    unsigned char *party, *reserve, *volunteer, *on_staff, *discipline;
    unsigned char **skill; /* [grp->skills.n]: has skill k */
    size_t nskills;
};

static void mix_or_default(struct sc_mix *out, const struct sc_mix *given, const char *const *keys,
                           const double *w, size_t n)
{
    if (given->n)
        *out = *given;
    else
        default_mix(out, keys, w, n);
}

static void group_deck_deal(struct group_deck *d, struct scenario_rng *r,
                            const struct sc_group *grp, size_t n)
{
    static const char *const rank_k[] = {"科员", "副科", "正科", "副处", "正处"};
    static const double rank_w[] = {40, 25, 20, 10, 5};
    static const char *const edu_k[] = {"研究生", "本科", "大专", "中专及以下"};
    static const double edu_w[] = {10, 60, 25, 5};
    static const char *const gen_k[] = {"男", "女"};
    static const double gen_w[] = {70, 30};
    static const char *const age_k[] = {"25-34", "35-44", "45-55"};
    static const double age_w[] = {35, 35, 30};
    static const char *const grade_k[] = {"优秀", "称职", "基本称职"};
    static const double grade_w[] = {15, 83, 2};

    memset(d, 0, sizeof(*d));
    mix_or_default(&d->rank, &grp->rank, rank_k, rank_w, NELEM(rank_k));
    mix_or_default(&d->edu, &grp->education, edu_k, edu_w, NELEM(edu_k));
    mix_or_default(&d->gender, &grp->gender, gen_k, gen_w, NELEM(gen_k));
    d->by_age = !grp->born.n;
    if (grp->born.n)
        d->birth = grp->born;
    else
        mix_or_default(&d->birth, &grp->age, age_k, age_w, NELEM(age_k));
    mix_or_default(&d->grades, &grp->grades, grade_k, grade_w, NELEM(grade_k));

    d->rank_of = deal(r, &d->rank, n);
    d->edu_of = deal(r, &d->edu, n);
    d->gender_of = deal(r, &d->gender, n);
    d->birth_of = deal(r, &d->birth, n);
    for (int y = 0; y < 3; y++)
        d->grades_of[y] = deal(r, &d->grades, n);
    d->party = deal_share(r, grp->party, n);
    d->reserve = deal_share(r, grp->reserve, n);
    d->volunteer = deal_share(r, grp->volunteer, n);
    d->on_staff = deal_share(r, grp->on_staff, n);
    d->discipline = deal_share(r, grp->discipline, n);
    d->nskills = grp->skills.n;
    d->skill = zc_calloc(d->nskills + 1, sizeof(*d->skill));
    for (size_t k = 0; k < d->nskills; k++)
        d->skill[k] = deal_share(r, grp->skills.weight[k], n);
}

static void group_deck_free(struct group_deck *d)
{
    free(d->rank_of), free(d->edu_of), free(d->gender_of), free(d->birth_of);
    for (int y = 0; y < 3; y++)
        free(d->grades_of[y]);
    free(d->party), free(d->reserve), free(d->volunteer), free(d->on_staff), free(d->discipline);
    for (size_t k = 0; k < d->nskills; k++)
        free(d->skill[k]);
    free(d->skill);
}

/* Person i's birth date: a year in the dealt range, or an age at today
 * (never born on a day that makes them a year younger). */
static void person_birth(const struct gen *g, struct scenario_rng *r, const struct group_deck *d,
                         size_t i, int *y, int *m, int *day)
{
    size_t bi = d->birth_of[i];
    int by, bm, bd;

    if (d->by_age) {
        int age = (int)scenario_rng_range(r, d->birth.lo[bi], d->birth.hi[bi]);
        int back = (int)scenario_rng_below(r, 365); /* days before the birthday */
        by = g->ty - age;
        bm = g->tm;
        bd = g->td;
        while (back-- > 0) {
            if (--bd == 0) {
                if (--bm == 0) {
                    bm = 12;
                    by--;
                }
                bd = days_in_month(by, bm);
            }
        }
    } else {
        by = (int)scenario_rng_range(r, d->birth.lo[bi], d->birth.hi[bi]);
        bm = (int)scenario_rng_range(r, 1, 12);
        bd = (int)scenario_rng_range(r, 1, days_in_month(by, bm));
    }
    if (bm == 2 && bd == 29 && days_in_month(by, 2) == 28)
        bd = 28;
    *y = by, *m = bm, *day = bd;
}

/* The postings of person i of group gi (cadre cid, of unit u): one per
 * posting rule, at its places in turn, or at the least-staffed village
 * paired with the unit. */
static int person_postings(struct gen *g, size_t gi, size_t i, int64_t cid, const struct gunit *u,
                           int64_t *const *places, const size_t *nplaces)
{
    const struct sc_group *grp = &g->sc->groups[gi];
    int rc = ZC_OK;

    for (size_t k = 0; rc == ZC_OK && k < grp->npostings; k++) {
        const struct sc_posting *p = &grp->postings[k];
        int64_t place = 0;
        size_t slot = i % p->per;
        const char *role = p->role;
        if (strcmp(p->at, "paired") == 0) {
            struct gvillage *best = NULL;
            for (size_t v = 0; v < g->nv; v++)
                if (g->v[v].unit == (long)(u - g->units) &&
                    (!best || g->v[v].posted < best->posted))
                    best = &g->v[v];
            if (!best)
                return zc_error_set(g->err, ZC_EINVAL,
                                    "%s: cadres[%zu]: unit %s is paired with no village",
                                    g->sc->path, gi, u->code);
            best->posted++;
            place = best->code;
            slot = 2;
        } else {
            place = places[k][(i / p->per) % nplaces[k]];
        }
        if (!role)
            role = division_level_of(place) != DIV_VILLAGE ? "member"
                   : slot == 0                             ? "first_secretary"
                   : slot == 1                             ? "leader"
                                                           : "member";
        rc = registry_add_posting(g->rows, cid, place, role, p->start, p->end, g->err);
        g->stats->postings++;
    }
    return rc;
}

/* Person i of group gi: drawn from the deck and the group's ranges, written
 * as a cadre with grades and discipline, a member of the group, and posted. */
static int write_person(struct gen *g, size_t gi, size_t i, struct scenario_rng *r,
                        const struct group_deck *d, const struct gunit *u,
                        struct county_list *cache, size_t *ncache, int64_t *const *places,
                        const size_t *nplaces, struct buf *skills, struct buf *gr)
{
    const struct sc_group *grp = &g->sc->groups[gi];
    struct county_list *cl = NULL;
    char prov[24], name[32], id[IDCARD_LEN + 1], birthdate[32], disc[32] = "";
    bool male = strcmp(d->gender.key[d->gender_of[i]], "男") == 0;
    int64_t home, cid = g->next_cadre++;
    int by, bm, bd, age, service;
    int64_t rural, slo, shi;
    int rc;

    person_birth(g, r, d, i, &by, &bm, &bd);
    age = g->ty - by - ((g->tm < bm || (g->tm == bm && g->td < bd)) ? 1 : 0);
    snprintf(birthdate, sizeof(birthdate), "%04d-%02d-%02d", by, bm, bd);
    /* Home county: under the group's prefix, else the unit's province. */
    if (grp->hometown) {
        rc = county_list_get(g, cache, ncache, grp->hometown, &cl);
    } else if (!u->division && !g->nv) {
        rc = zc_error_set(g->err, ZC_EINVAL,
                          "%s: cadres[%zu]: give 'hometown' (unit %s has no division)", g->sc->path,
                          gi, u->code);
    } else {
        snprintf(prov, sizeof(prov), "%02lld",
                 (long long)((u->division ? u->division : g->v[0].code) / 10000000000LL));
        rc = county_list_get(g, cache, ncache, prov, &cl);
    }
    if (rc != ZC_OK)
        return rc;
    home = cl->codes[scenario_rng_below(r, cl->n)];
    person_name(r, male, name, sizeof(name));
    id_number(g, home / 1000000, by, bm, bd, male, id);
    rural = grp->rural_years.hi ? scenario_rng_range(r, grp->rural_years.lo, grp->rural_years.hi)
                                : scenario_rng_range(r, 0, 5);
    slo = grp->service_years.hi ? grp->service_years.lo : 2;
    shi = grp->service_years.hi ? grp->service_years.hi : (age - 22 > 2 ? age - 22 : 2);
    service = (int)scenario_rng_range(r, slo, shi);
    if (service > age - 18)
        service = age - 18 > 0 ? age - 18 : 0;
    if (rural > service)
        rural = service;
    buf_reset(skills);
    for (size_t k = 0; k < d->nskills; k++)
        if (d->skill[k][i]) {
            if (skills->len)
                buf_putc(skills, ';');
            buf_puts(skills, grp->skills.key[k]);
        }
    buf_reset(gr);
    for (int y = 0; y < 3; y++)
        buf_printf(gr, "%s%d:%s", y ? ";" : "", g->ty - 3 + y, d->grades.key[d->grades_of[y][i]]);
    if (d->discipline[i])
        snprintf(disc, sizeof(disc), "%d:警告", g->ty - 1);

    int years[3] = {g->ty - 3, g->ty - 2, g->ty - 1};
    const char *values[3] = {d->grades.key[d->grades_of[0][i]], d->grades.key[d->grades_of[1][i]],
                             d->grades.key[d->grades_of[2][i]]};
    struct registry_cadre_row row = {
        .id = cid,
        .id_number = id,
        .name = name,
        .unit = u->code,
        .rank = d->rank.key[d->rank_of[i]],
        .party_member = d->party[i],
        .reserve = d->reserve[i],
        .on_staff = d->on_staff[i],
        .education = d->edu.key[d->edu_of[i]],
        .skills = buf_cstr(skills),
        .rural_years = rural,
        .service_years = service,
        .hometown = home,
        .grades = buf_cstr(gr),
        .discipline = disc,
        .volunteer = d->volunteer[i],
        .gender = male ? "男" : "女",
        .birth_date = birthdate,
        .demo = true,
        .grade_years = years,
        .grade_values = values,
        .ngrades = 3,
        .discipline_year = d->discipline[i] ? g->ty - 1 : 0,
        .discipline_kind = "警告",
    };
    rc = registry_add_cadre(g->rows, &row, g->err);
    if (rc == ZC_OK) {
        store_bind_int(g->ins_member, 1, cid);
        store_bind_int(g->ins_member, 2, (int64_t)gi + 1);
        rc = store_run(g->ins_member, g->err);
    }
    if (rc == ZC_OK)
        rc = person_postings(g, gi, i, cid, u, places, nplaces);
    return rc;
}

/* Group gi of the scenario's cadres: its row, then its people, dealt from
 * the group's seed fork (the same seed gives the same ledger). */
static int write_group(struct gen *g, size_t gi, struct county_list *cache, size_t *ncache)
{
    const struct sc_group *grp = &g->sc->groups[gi];
    struct scenario_rng r;
    struct group_deck deck;
    size_t nunits = 0, n = grp->count;
    size_t *units = resolve_units(g, grp->units, grp->nunits, &nunits);
    int64_t **places;
    size_t *nplaces;
    struct store_stmt *ins_group = NULL;
    char fork[96];
    int rc = ZC_OK;
    struct buf skills = {0}, gr = {0};

    snprintf(fork, sizeof(fork), "cadres:%s", grp->id);
    scenario_rng_fork(&r, g->opt->seed, fork);
    if (!nunits) {
        free(units);
        return zc_error_set(g->err, ZC_EINVAL, "%s: cadres[%zu]: its units resolve to none",
                            g->sc->path, gi);
    }
    group_deck_deal(&deck, &r, grp, n);
    places = zc_calloc(grp->npostings + 1, sizeof(*places));
    nplaces = zc_calloc(grp->npostings + 1, sizeof(*nplaces));
    for (size_t k = 0; rc == ZC_OK && k < grp->npostings; k++) {
        rc = posting_places(g, &grp->postings[k], &places[k], &nplaces[k]);
        if (rc == ZC_OK && !nplaces[k] && strcmp(grp->postings[k].at, "paired") != 0)
            rc = zc_error_set(g->err, ZC_EINVAL, "%s: cadres[%zu].postings[%zu]: no such places",
                              g->sc->path, gi, k);
    }
    if (rc == ZC_OK)
        rc = store_prepare(g->s, scenario_gen_sql[SG_GROUP], &ins_group, g->err);
    if (rc == ZC_OK) {
        store_bind_int(ins_group, 1, (int64_t)gi + 1);
        store_bind_cstr(ins_group, 2, grp->id);
        store_bind_cstr(ins_group, 3, grp->label);
        store_bind_int(ins_group, 4, (int64_t)n);
        rc = store_run(ins_group, g->err);
    }
    store_finalize(ins_group);

    for (size_t i = 0; rc == ZC_OK && i < n; i++) {
        rc = write_person(g, gi, i, &r, &deck, &g->units[units[i % nunits]], cache, ncache, places,
                          nplaces, &skills, &gr);
        if (rc != ZC_OK)
            zc_error_prefix(g->err, "cadres[%zu] (%s), person %zu", gi, grp->id, i + 1);
    }
    g->stats->cadres += n;
    buf_fini(&skills);
    buf_fini(&gr);
    group_deck_free(&deck);
    for (size_t k = 0; k < grp->npostings; k++)
        free(places[k]);
    free(places);
    free(nplaces);
    free(units);
    return rc;
}

/* ---- households ----------------------------------------------------------- */

/* Split `people` into `n` households of 1..10, as even as chance allows. */
static void partition(struct scenario_rng *r, int64_t *sizes, int64_t n, int64_t people)
{
    int64_t left = people - n;
    for (int64_t i = 0; i < n; i++)
        sizes[i] = 1;
    while (left > 0) {
        int64_t i = (int64_t)scenario_rng_below(r, (uint64_t)n);
        if (sizes[i] < 10 || people > n * 10) {
            sizes[i]++;
            left--;
        }
    }
}

static void gen_id(void *ud, int64_t county6, int y, int m, int d, bool male, char *out)
{
    id_number(ud, county6, y, m, d, male, out);
}

static int write_households(struct gen *g, struct scenario_rng *r)
{
    static const char *const causes[] = {"因病",   "因残",   "因学",         "缺技术",
                                         "缺劳力", "缺资金", "交通条件落后", "自身发展动力不足"};
    static const double cause_w[] = {30, 10, 10, 20, 10, 12, 5, 3};
    int rc = ZC_OK;
    int64_t *sizes = NULL;
    size_t cap = 0;

    for (size_t vi = 0; rc == ZC_OK && vi < g->nv; vi++) {
        const struct gvillage *x = &g->v[vi];
        int64_t n = x->poor_hh, rem = x->rem_hh;
        if (n <= 0)
            continue;
        if ((size_t)n > cap) {
            cap = (size_t)n * 2;
            sizes = zc_reallocarray(sizes, cap, sizeof(*sizes));
        }
        if (rem >= 0) {
            /* The report's remaining households first, with their people. */
            if (rem > 0)
                partition(r, sizes, rem, x->rem_pop);
            partition(r, sizes + rem, n - rem, x->poor_pop - x->rem_pop);
        } else {
            partition(r, sizes, n, x->poor_pop);
        }
        for (int64_t h = 0; rc == ZC_OK && h < n; h++) {
            char hid[32], idn[IDCARD_LEN + 1];
            const char *status;
            double u = scenario_rng_unit(r), cu = scenario_rng_unit(r) * 100.0, acc = 0;
            const char *cause = causes[0];
            int by = (int)scenario_rng_range(r, 1945, 1990), bm = (int)scenario_rng_range(r, 1, 12);
            int bd = (int)scenario_rng_range(r, 1, days_in_month(by, bm));
            bool male = scenario_rng_unit(r) < 0.8;
            int64_t income;
            int py;
            if (rem >= 0)
                status = h < rem ? "poor" : "exited";
            else
                status = u < 0.45 ? "poor" : u < 0.50 ? "at_risk" : "exited";
            for (size_t k = 0; k < NELEM(causes); k++) {
                acc += cause_w[k];
                if (cu < acc) {
                    cause = causes[k];
                    break;
                }
            }
            income = status[0] == 'p'   ? scenario_rng_range(r, 1800, 3200) * 100
                     : status[0] == 'a' ? scenario_rng_range(r, 3300, 4500) * 100
                                        : scenario_rng_range(r, 4000, 9000) * 100;
            snprintf(hid, sizeof(hid), "H%lld-%04lld", (long long)x->code, (long long)h + 1);
            id_number(g, x->code / 1000000, by, bm, bd, male, idn);
            py = (int)scenario_rng_range(r, 2014, 2016);
            {
                struct registry_household_row row = {hid,  x->code, idn,    sizes[h], cause,
                                                     true, income,  status, py,       true};
                rc = registry_add_household(g->rows, &row, g->err);
            }
            g->stats->households++;
            if (rc == ZC_OK && g->aid) {
                struct aidgen_household ah = {hid, idn,  x->code, sizes[h], by,     bm,
                                              bd,  male, cause,   status,   income, py};
                rc = aidgen_household(g->aid, &ah, g->err);
            }
        }
    }
    free(sizes);
    return rc;
}

/* ---- the whole -------------------------------------------------------------- */

bool scenario_store_is_demo(struct store *s)
{
    return store_table_exists(s, "demo_scenario");
}

static int write_scenario_row(struct gen *g)
{
    struct store_stmt *st = NULL;
    struct buf notes = {0};
    int rc;
    for (size_t i = 0; i < g->sc->nnotes; i++) {
        buf_puts(&notes, g->sc->notes[i]);
        buf_putc(&notes, '\n');
    }
    rc = store_prepare(g->s, scenario_gen_sql[SG_SCENARIO], &st, g->err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, g->sc->name);
        store_bind_cstr(st, 2, g->sc->title);
        store_bind_cstr(st, 3, g->sc->source);
        store_bind_int(st, 4, (int64_t)g->opt->seed);
        store_bind_cstr(st, 5, g->sc->today);
        store_bind_cstr(st, 6, g->sc->policy);
        store_bind_cstr(st, 7, buf_cstr(&notes));
        rc = store_run(st, g->err);
    }
    store_finalize(st);
    buf_fini(&notes);
    return rc;
}

static int prepare_rows(struct gen *g)
{
    int rc = registry_rows_open(g->s, &g->rows, g->err);
    if (rc == ZC_OK)
        rc = store_prepare(g->s, scenario_gen_sql[SG_MEMBER], &g->ins_member, g->err);
    return rc;
}

static double now_seconds(void)
{
    /* Only for the report of how long it took; never feeds the data. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int scenario_generate(struct store *s, const struct scenario *sc,
                      const struct scenario_options *opt, struct scenario_stats *stats,
                      struct zc_error *err)
{
    struct gen g;
    struct division_load_stats ds;
    struct scenario_rng r_units, r_vill, r_pair, r_coord, r_hh;
    struct county_list cache[64];
    size_t ncache = 0;
    int64_t existing = 0;
    double t0 = now_seconds();
    int rc;

    memset(&g, 0, sizeof(g));
    memset(stats, 0, sizeof(*stats));
    g.s = s;
    g.sc = sc;
    g.opt = opt;
    g.stats = stats;
    g.err = err;
    g.next_cadre = 1;
    sscanf(sc->today, "%4d-%2d-%2d", &g.ty, &g.tm, &g.td);

    rc = registry_ledger_rows(s, &existing, err);
    if (rc == ZC_OK && existing)
        return zc_error_set(err, ZC_ECONFLICT,
                            "the database already holds ledger rows; a demo needs an empty one");
    if (rc == ZC_OK && opt->counties) {
        rc = scenario_counties_load(opt->counties, &g.counties, err);
        if (rc == ZC_ENOTFOUND) {
            /* Coordinates are a nicety: without the file, villages get none. */
            zc_error_clear(err);
            rc = ZC_OK;
        }
    }
    if (rc == ZC_OK) {
        progress(&g, "loading the division tree");
        rc = divisions_load(s, opt->divisions, sc->divisions, &ds, err);
        stats->divisions = ds.rows[1] + ds.rows[2] + ds.rows[3] + ds.rows[4] + ds.rows[5];
    }
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    if (rc != ZC_OK)
        goto out;
    scenario_rng_fork(&r_units, opt->seed, "units");
    scenario_rng_fork(&r_vill, opt->seed, "villages");
    scenario_rng_fork(&r_pair, opt->seed, "pairings");
    scenario_rng_fork(&r_coord, opt->seed, "coordinates");
    scenario_rng_fork(&r_hh, opt->seed, "households");
    rc = store_exec(s, scenario_sql_demo_schema, err);
    if (rc == ZC_OK)
        rc = prepare_rows(&g);
    if (rc == ZC_OK)
        rc = write_scenario_row(&g);
    if (rc == ZC_OK) {
        progress(&g, "units");
        rc = make_units(&g, &r_units);
    }
    if (rc == ZC_OK)
        rc = write_units(&g);
    if (rc == ZC_OK) {
        progress(&g, "villages");
        rc = make_villages(&g, &r_vill);
    }
    for (size_t i = 0; rc == ZC_OK && i < g.nv; i++)
        village_attrs(&g.v[i], &r_vill);
    if (rc == ZC_OK)
        rc = make_pairings(&g, &r_pair);
    if (rc == ZC_OK)
        rc = write_villages(&g, &r_coord);
    if (rc == ZC_OK)
        rc = write_named(&g);
    if (rc == ZC_OK)
        rc = write_unit_pairings(&g);
    if (rc == ZC_OK)
        rc = write_posts(&g);
    if (rc == ZC_OK)
        progress(&g, "cadres");
    for (size_t i = 0; rc == ZC_OK && i < sc->ngroups; i++)
        rc = write_group(&g, i, cache, &ncache);
    /* The reports give no unit sizes, and the ledger lists only a unit's
     * candidates and those sent, not its whole establishment: without staff
     * numbers the draw cap (a % of the staff) would count against the
     * listed cadres alone and forbid nearly everyone. Staff = 6 x the cadres
     * listed + 10, stated in docs/internals/scenario.md. */
    if (rc == ZC_OK)
        rc = registry_demo_units_staff(s, err);
    if (rc == ZC_OK && sc->households) {
        progress(&g, sc->household_records ? "households, their members, statuses and plans"
                                           : "households");
        if (sc->household_records)
            rc = aidgen_open(s, opt->seed, sc->today, gen_id, person_name, &g, &g.aid_stats, &g.aid,
                             err);
        if (rc == ZC_OK)
            rc = write_households(&g, &r_hh);
        if (rc == ZC_OK && g.aid)
            rc = aidgen_responsible(g.aid, 5, err);
        aidgen_close(g.aid);
        g.aid = NULL;
        stats->members = g.aid_stats.members;
        stats->plans = g.aid_stats.plans;
        stats->plans_approved = g.aid_stats.approved;
        stats->responsible = g.aid_stats.assigned;
    }
    if (rc == ZC_OK) {
        progress(&g, "committing");
        rc = store_commit(s, err);
    }
    if (rc != ZC_OK)
        store_rollback(s);
out:
    registry_rows_close(g.rows);
    store_finalize(g.ins_member);
    for (size_t i = 0; i < ncache; i++)
        free(cache[i].codes);
    scenario_counties_free(g.counties);
    free(g.units);
    free(g.set_lo);
    free(g.set_hi);
    free(g.v);
    free(g.ids);
    stats->seconds = now_seconds() - t0;
    return rc;
}
