/* SPDX-License-Identifier: MIT */
/* gen.c - seeded generator of dispatch-shaped min-cost-flow instances for
 * the solver benchmarks (bench/mcf/run.sh), after the instances described
 * in shared/research/matching_perf.md:
 *
 *  - villages in county groups of about 50 villages; each village has a
 *    team of 3 slots (4 in deep-poverty villages, 20% of them), slot 0 the
 *    first secretary, and a stability slot in about 15% of villages;
 *  - each cadre belongs to a county group and has about 50 candidate slots,
 *    90% in its own group and 10% in other groups of its province;
 *  - integer costs 0..1000; a slot left unfilled costs 5000, +3000 in a
 *    deep-poverty village, +1000 for a first secretary; a cadre may stay
 *    unassigned at cost 0.
 *
 * The network: cadres (supply 1) -> slots (demand 1), cadre -> hub (cost 0,
 * "unassigned"), hub -> slot (the unfilled penalty); the hub's supply is
 * slots - cadres. Provinces do not exchange cadres; --provinces sets how
 * many (default: one per 100,000 cadres, rounded up).
 *
 *   gen [--cadres N] [--slots N] [--seed S] [--provinces P] [--binary] [-o FILE]
 *   gen --size S|M|L ...      presets: 22112x22098, 200000x200000, 3000000x3000000 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rng {
    uint64_t s; /* splitmix64 state */
};

static uint64_t rnd(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t below(struct rng *r, int64_t n)
{
    return (int64_t)(rnd(r) % (uint64_t)n);
}

static FILE *out;
static bool binary;

static void put64(int64_t v)
{
    unsigned char b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (unsigned char)((uint64_t)v >> (8 * k));
    fwrite(b, 1, 8, out);
}

static void put32(int32_t v)
{
    unsigned char b[4];
    for (int k = 0; k < 4; k++)
        b[k] = (unsigned char)((uint32_t)v >> (8 * k));
    fwrite(b, 1, 4, out);
}

/* Nodes are 0-based here; the text form adds 1. */
static void arc(int32_t from, int32_t to, int32_t cap, int32_t cost)
{
    if (binary) {
        put32(from);
        put32(to);
        put32(cap);
        put32(cost);
    } else {
        fprintf(out, "a %d %d 0 %d %d\n", from + 1, to + 1, cap, cost);
    }
}

int main(int argc, char **argv)
{
    int64_t cadres = 22112, slots_want = 22098, provinces = 0;
    uint64_t seed = 1;
    const char *path = NULL;
    const int deg = 50, group_villages = 50;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--size") == 0 && i + 1 < argc) {
            const char *s = argv[++i];
            if (strcmp(s, "S") == 0)
                cadres = 22112, slots_want = 22098;
            else if (strcmp(s, "M") == 0)
                cadres = 200000, slots_want = 200000;
            else if (strcmp(s, "L") == 0)
                cadres = 3000000, slots_want = 3000000;
            else if (strcmp(s, "XS") == 0)
                cadres = 2000, slots_want = 2000;
            else
                return fprintf(stderr, "gen: unknown size %s\n", s), 64;
        } else if (strcmp(a, "--cadres") == 0 && i + 1 < argc) {
            cadres = atoll(argv[++i]);
        } else if (strcmp(a, "--slots") == 0 && i + 1 < argc) {
            slots_want = atoll(argv[++i]);
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(a, "--provinces") == 0 && i + 1 < argc) {
            provinces = atoll(argv[++i]);
        } else if (strcmp(a, "--binary") == 0) {
            binary = true;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else {
            fprintf(stderr, "usage: gen [--size XS|S|M|L] [--cadres N] [--slots N] [--seed S] "
                            "[--provinces P] [--binary] [-o FILE]\n");
            return 64;
        }
    }
    if (cadres < 1 || slots_want < 1 || cadres + slots_want + 1 > INT32_MAX)
        return fprintf(stderr, "gen: sizes out of range\n"), 64;
    if (provinces <= 0)
        provinces = (cadres + 99999) / 100000;

    struct rng r = {seed};
    /* Villages and slots: slot penalty, and the county group of each. */
    int64_t cap_slots = slots_want + 8;
    int32_t *pen = malloc((size_t)cap_slots * sizeof(*pen));
    int32_t *slot_group = malloc((size_t)cap_slots * sizeof(*slot_group));
    int64_t nslots = 0, ngroups = 0, v_in_group = 0;
    while (nslots < slots_want) {
        bool deep = below(&r, 100) < 20, stab = below(&r, 100) < 15;
        int team = (deep ? 4 : 3) + (stab ? 1 : 0);
        if (v_in_group == 0)
            ngroups++;
        v_in_group = (v_in_group + 1) % group_villages;
        for (int k = 0; k < team && nslots < slots_want; k++) {
            pen[nslots] = 5000 + (deep ? 3000 : 0) + (k == 0 ? 1000 : 0);
            slot_group[nslots] = (int32_t)(ngroups - 1);
            nslots++;
        }
    }
    /* Slots of group g are group_start[g] .. group_start[g + 1] - 1. */
    int64_t *group_start = calloc((size_t)ngroups + 1, sizeof(*group_start));
    for (int64_t s = 0; s < nslots; s++)
        group_start[slot_group[s] + 1]++;
    for (int64_t g = 0; g < ngroups; g++)
        group_start[g + 1] += group_start[g];
    if (provinces > ngroups)
        provinces = ngroups;
    /* Province p holds groups [p * ngroups / P, (p + 1) * ngroups / P). */

    int64_t n = cadres + nslots + 1, hub = cadres + nslots;
    int64_t m = cadres * (deg + 1) + nslots;
    int64_t *last = malloc((size_t)nslots * sizeof(*last));
    for (int64_t s = 0; s < nslots; s++)
        last[s] = -1;

    out = path ? fopen(path, "wb") : stdout;
    if (!out)
        return perror(path), 66;
    setvbuf(out, NULL, _IOFBF, 1 << 22);
    if (binary) {
        fwrite("ZCMCFB1\n", 1, 8, out);
        put64(n);
        put64(m);
        for (int64_t v = 0; v < n; v++)
            put64(v < cadres ? 1 : v < hub ? -1 : nslots - cadres);
    } else {
        fprintf(out,
                "c zhucun bench/mcf/gen: %" PRId64 " cadres, %" PRId64 " slots, %" PRId64
                " county groups, %" PRId64 " provinces, seed %" PRIu64 "\n",
                cadres, nslots, ngroups, provinces, seed);
        fprintf(out, "p min %" PRId64 " %" PRId64 "\n", n, m);
        for (int64_t v = 0; v < cadres; v++)
            fprintf(out, "n %" PRId64 " 1\n", v + 1);
        for (int64_t v = cadres; v < hub; v++)
            fprintf(out, "n %" PRId64 " -1\n", v + 1);
        fprintf(out, "n %" PRId64 " %" PRId64 "\n", hub + 1, nslots - cadres);
    }
    for (int64_t c = 0; c < cadres; c++) {
        int64_t g = below(&r, ngroups);
        int64_t p = g * provinces / ngroups;
        /* The province whose group range holds g (g * P / N alone can land
         * one province short when N / P is not whole, which used to join
         * neighbouring provinces through a few cadres). */
        while (g >= (p + 1) * ngroups / provinces)
            p++;
        while (g < p * ngroups / provinces)
            p--;
        int64_t p0 = p * ngroups / provinces, p1 = (p + 1) * ngroups / provinces;
        for (int k = 0; k < deg; k++) {
            int64_t gg = g, s;
            if (below(&r, 100) < 10 && p1 - p0 > 1)
                gg = p0 + below(&r, p1 - p0);
            int tries = 0;
            do {
                s = group_start[gg] + below(&r, group_start[gg + 1] - group_start[gg]);
            } while (last[s] == c && ++tries < 8);
            if (last[s] == c) /* a small group is exhausted: any slot of the province */
                s = group_start[p0] + below(&r, group_start[p1] - group_start[p0]);
            last[s] = c;
            arc((int32_t)c, (int32_t)(cadres + s), 1, (int32_t)below(&r, 1001));
        }
        arc((int32_t)c, (int32_t)hub, 1, 0);
    }
    for (int64_t s = 0; s < nslots; s++)
        arc((int32_t)hub, (int32_t)(cadres + s), 1, pen[s]);
    if (fflush(out) != 0 || (path && fclose(out) != 0))
        return perror("gen: write"), 74;
    free(pen);
    free(slot_group);
    free(group_start);
    free(last);
    return 0;
}
