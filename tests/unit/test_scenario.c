/* SPDX-License-Identifier: MIT */
/* test_scenario.c - scenario files (validation messages), the PRNG and exact
 * apportioning, GCJ-02 <-> WGS-84, point-in-polygon and county points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/geo.h"
#include "scenario/scenario.h"
#include "test.h"

TEST(scenario_rng_is_deterministic)
{
    struct scenario_rng a, b, c;
    scenario_rng_seed(&a, 2018);
    scenario_rng_seed(&b, 2018);
    scenario_rng_seed(&c, 2019);
    for (int i = 0; i < 1000; i++) {
        uint64_t x = scenario_rng_next(&a);
        CHECK(x == scenario_rng_next(&b));
        if (i == 0)
            CHECK(x != scenario_rng_next(&c));
    }
    /* Forks by purpose are independent streams, each reproducible. */
    scenario_rng_fork(&a, 7, "villages");
    scenario_rng_fork(&b, 7, "cadres");
    scenario_rng_fork(&c, 7, "villages");
    CHECK(scenario_rng_next(&a) != scenario_rng_next(&b));
    scenario_rng_fork(&a, 7, "villages");
    CHECK(scenario_rng_next(&a) == scenario_rng_next(&c));
}

TEST(scenario_rng_ranges_and_shuffle)
{
    struct scenario_rng r, s;
    int seen[7] = {0}, v1[50], v2[50];
    scenario_rng_seed(&r, 1);
    for (int i = 0; i < 7000; i++) {
        int64_t x = scenario_rng_range(&r, 3, 9);
        CHECK(x >= 3 && x <= 9);
        seen[x - 3]++;
    }
    for (int i = 0; i < 7; i++)
        CHECK_MSG(seen[i] > 800 && seen[i] < 1200, "value %d drawn %d times of 7000", i + 3,
                  seen[i]);
    for (int i = 0; i < 1000; i++) {
        double u = scenario_rng_unit(&r);
        CHECK(u >= 0.0 && u < 1.0);
    }
    for (int i = 0; i < 50; i++)
        v1[i] = v2[i] = i;
    scenario_rng_seed(&r, 99);
    scenario_rng_seed(&s, 99);
    scenario_rng_shuffle(&r, v1, 50, sizeof(int));
    scenario_rng_shuffle(&s, v2, 50, sizeof(int));
    CHECK(memcmp(v1, v2, sizeof(v1)) == 0);
    {
        int sum = 0, moved = 0;
        for (int i = 0; i < 50; i++)
            sum += v1[i], moved += v1[i] != i;
        CHECK_INT_EQ(sum, 49 * 50 / 2);
        CHECK(moved > 30);
    }
}

TEST(scenario_apportion_is_exact)
{
    static const struct {
        size_t n;
        double w[4];
        size_t k;
        size_t want[4];
    } cases[] = {
        /* Hebei: 54.2% of 1,993 under 45. */
        {1993, {54.2, 45.8}, 2, {1080, 913}},
        /* Counts that already sum to n are kept as they are (76 of 124). */
        {124, {76, 48}, 2, {76, 48}},
        /* Shares: round(0.75 * 10) = 8 (largest remainder, earlier wins ties). */
        {10, {0.75, 0.25}, 2, {8, 2}},
        {3, {1, 1, 1}, 3, {1, 1, 1}},
        {7, {1, 1, 1}, 3, {3, 2, 2}},
        {5, {0, 1, 0}, 3, {0, 5, 0}},
        {1993, {359, 1221, 339, 74}, 4, {359, 1221, 339, 74}},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t out[4] = {0}, sum = 0;
        scenario_apportion(cases[i].n, cases[i].w, cases[i].k, out);
        for (size_t j = 0; j < cases[i].k; j++) {
            CHECK_MSG(out[j] == cases[i].want[j], "case %zu part %zu: %zu != %zu", i, j, out[j],
                      cases[i].want[j]);
            sum += out[j];
        }
        CHECK_INT_EQ(sum, cases[i].n);
    }
}

TEST(geo_gcj02_round_trip_within_a_metre)
{
    static const struct geo_point pts[] = {
        {116.3975, 39.9087}, /* Beijing */
        {108.1571, 23.7849}, /* 龙琴村, Mashan */
        {105.4427, 25.0990}, /* Anlong */
        {102.5218, 35.2025}, /* Xiahe */
        {91.1322, 29.6604},  /* Lhasa */
        {126.5349, 45.8038}, /* Harbin */
        {113.8800, 36.5600}, /* 涉县 */
    };
    for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
        struct geo_point g = geo_wgs84_to_gcj02(pts[i]);
        struct geo_point w = geo_gcj02_to_wgs84(g);
        double shift = geo_distance_m(pts[i], g), back = geo_distance_m(pts[i], w);
        CHECK_MSG(shift > 50 && shift < 800, "point %zu: GCJ-02 shift %.1f m", i, shift);
        CHECK_MSG(back < 1.0, "point %zu: round trip off by %.3f m", i, back);
    }
    /* The published shift at Tiananmen: about (+0.00624, +0.00140) degrees. */
    {
        struct geo_point g = geo_wgs84_to_gcj02(pts[0]);
        CHECK(fabs(g.lng - 116.40374) < 0.0002 && fabs(g.lat - 39.91010) < 0.0002);
    }
    /* Outside China nothing moves. */
    {
        struct geo_point paris = {2.3522, 48.8566};
        struct geo_point g = geo_wgs84_to_gcj02(paris);
        CHECK(g.lng == paris.lng && g.lat == paris.lat);
        g = geo_gcj02_to_wgs84(paris);
        CHECK(g.lng == paris.lng && g.lat == paris.lat);
    }
}

TEST(geo_point_in_ring_cases)
{
    /* An L shape: the notch (1.5, 1.5) is outside. */
    static const struct geo_point ell[] = {{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}};

    static const struct {
        struct geo_point p;
        bool in;
    } cases[] = {
        {{0.5, 0.5}, true}, {{1.5, 0.5}, true}, {{0.5, 1.5}, true},   {{1.5, 1.5}, false},
        {{-1, 0.5}, false}, {{3, 0.5}, false},  {{0.5, -0.1}, false}, {{0.5, 2.1}, false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_MSG(geo_point_in_ring(cases[i].p, ell, 7) == cases[i].in, "case %zu", i);
    /* Without the closing point too. */
    CHECK(geo_point_in_ring(cases[0].p, ell, 6));
    CHECK(!geo_point_in_ring(cases[3].p, ell, 6));
}

TEST(scenario_counties_points_fall_inside)
{
    char path[512];
    struct scenario_counties *c = NULL;
    struct scenario_rng r;
    struct zc_error err = {0};
    FILE *f;
    snprintf(path, sizeof(path), "%s/counties.txt", zt_tmpdir());
    f = fopen(path, "w");
    CHECK(f != NULL);
    /* A triangle county and one with a centre point only. */
    fputs("# test\nC 450124 马山县 108.2 23.7\nR 450124 108,23.5 108.4,23.5 108.2,23.9 108,23.5\n"
          "C 450125 上林县 108.6 23.4\n",
          f);
    fclose(f);
    CHECK_INT_EQ(scenario_counties_load(path, &c, &err), ZC_OK);
    scenario_rng_seed(&r, 5);
    for (int i = 0; i < 200; i++) {
        double lng, lat;
        bool in;
        CHECK_INT_EQ(scenario_counties_point(c, 450124, 450124203 + i % 3, &r, &lng, &lat, &in),
                     ZC_OK);
        CHECK(in);
        CHECK(scenario_counties_contains(c, 450124, lng, lat));
        /* No outline: near the centre point. */
        CHECK_INT_EQ(scenario_counties_point(c, 450125, 450125205, &r, &lng, &lat, &in), ZC_OK);
        CHECK(!in && fabs(lng - 108.6) <= 0.16 && fabs(lat - 23.4) <= 0.16);
        /* Unknown county: a county of the same city. */
        CHECK_INT_EQ(scenario_counties_point(c, 450126, 450126100, &r, &lng, &lat, &in), ZC_OK);
    }
    CHECK(!scenario_counties_contains(c, 450124, 108.39, 23.89));
    scenario_counties_free(c);

    f = fopen(path, "w");
    fputs("R 450124 108,23.5 108.4,23.5 108.2,23.9\n", f);
    fclose(f);
    CHECK_INT_EQ(scenario_counties_load(path, &c, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "counties.txt:1: outline before its centre line");
}

#define HEAD "{\"name\":\"t\",\"title\":\"T\",\"today\":\"2018-06-30\","
#define UNIT                                                                                         \
    "\"units\":[{\"set\":\"u\",\"code\":\"U1\",\"name\":\"单位\",\"level\":\"city\",\"category\":" \
    "\"党群\"}],"
#define VILL "\"villages\":[{\"within\":\"450124\",\"deep\":2,\"poor\":3}]"

TEST(scenario_validation_messages)
{
    static const struct {
        const char *json;
        const char *msg;
    } cases[] = {
        {"{\"name\":\"t\",", "t.json:1:"},
        {"[]", "a scenario is a JSON object"},
        {HEAD VILL ",\"colour\":1}", "(top): unknown key 'colour'"},
        {"{\"name\":\"t\",\"today\":\"2018-06-30\"," VILL "}", "'title' is required"},
        {HEAD "\"today\":\"2018-6-30\"," VILL "}", "duplicate"},
        {"{\"name\":\"t\",\"title\":\"T\",\"today\":\"2018-13-01\"," VILL "}",
         "'today' must be a date YYYY-MM-DD, not \"2018-13-01\""},
        {HEAD "\"villages\":[]}", "at least one village rule is required"},
        {HEAD "\"villages\":[{\"within\":\"4501x\"}]}", "within must be a code"},
        {HEAD "\"villages\":[{\"within\":\"450124\",\"count\":3,\"deep\":2,\"poor\":2}]}",
         "villages[0]: deep + poor (4) exceed count (3)"},
        {HEAD "\"villages\":[{\"within\":\"450124\",\"select\":\"urban\"}]}",
         "select must be rural"},
        {HEAD VILL ",\"named\":[{\"code\":\"4501242032\",\"name\":\"龙琴村\"}]}",
         "named[0]: code must be a 12-digit village committee code"},
        {HEAD VILL
         ",\"named\":[{\"code\":\"450124203202\",\"name\":\"龙琴村\",\"poverty\":\"very\"}]}",
         "poverty must be none, poor or deep"},
        {HEAD VILL
         ",\"named\":[{\"code\":\"450124203202\",\"name\":\"X\",\"poor_households\":267}]}",
         "give poor_households and poor_population together"},
        {HEAD VILL
         ",\"named\":[{\"code\":\"450124203202\",\"name\":\"X\",\"poor_households\":267,"
         "\"poor_population\":1166,\"remaining_households\":300,\"remaining_people\":50}]}",
         "remaining_households/remaining_people must fit"},
        {HEAD VILL
         ",\"named\":[{\"code\":\"450124203202\",\"name\":\"X\",\"needs\":[\"flying\"]}]}",
         "needs[0]: 'flying' is not a skill code"},
        {HEAD UNIT VILL
         ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"U9\"]}]}",
         "cadres[0]: units: no unit or unit set 'U9'"},
        {HEAD UNIT VILL ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"u\"],"
                        "\"rank\":{\"副县\":5}}]}",
         "cadres[0]: rank: '副县' is not a rank"},
        {HEAD UNIT VILL ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"u\"],"
                        "\"born\":{\"1980-1989\":5},\"age\":{\"30-39\":5}}]}",
         "give 'born' or 'age', not both"},
        {HEAD UNIT VILL ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"u\"],"
                        "\"born\":{\"198x\":5}}]}",
         "born: '198x' is not a range of birth years"},
        {HEAD UNIT VILL ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"u\"],"
                        "\"party\":75}]}",
         "'party' must be a share between 0 and 1"},
        {HEAD UNIT VILL ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"u\"],"
                        "\"postings\":[{\"at\":\"moon\",\"start\":\"2018-01-01\"}]}]}",
         "cadres[0].postings[0]: at must be paired, villages, townships, counties or a division"},
        {HEAD UNIT VILL ",\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":5,\"units\":[\"u\"],"
                        "\"postings\":[{\"at\":\"450124\",\"start\":\"2018-01-01\",\"end\":"
                        "\"2017-01-01\"}]}]}",
         "end must come after start"},
        {HEAD
         "\"units\":[{\"set\":\"u\",\"name\":\"x\",\"level\":\"district\",\"category\":\"党群\","
         "\"count\":2}]," VILL "}",
         "units[0]: level must be province, city, county or township, not 'district'"},
        {HEAD "\"units\":[{\"set\":\"u\",\"name\":\"x\",\"level\":\"city\",\"category\":\"财政\","
              "\"count\":2}]," VILL "}",
         "category '财政' is not one of"},
        {HEAD UNIT VILL ",\"pairings\":[{\"set\":\"nope\",\"within\":\"450124\",\"villages\":3}]}",
         "pairings[0]: no unit set 'nope'"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scenario *sc = NULL;
        struct zc_error err = {0};
        int rc = scenario_load_string("t.json", cases[i].json, &sc, &err);
        CHECK_MSG(rc == ZC_EINVAL, "case %zu accepted: %s", i, cases[i].json);
        CHECK_MSG(strstr(err.msg, cases[i].msg) != NULL, "case %zu: \"%s\" lacks \"%s\"", i,
                  err.msg, cases[i].msg);
        CHECK(sc == NULL);
    }
}

TEST(scenario_valid_file_reads)
{
    struct scenario *sc = NULL;
    struct zc_error err = {0};
    const char *json =
        HEAD "\"seed\":42,\"policy\":\"mashan-2018\",\"divisions\":[\"450124\"]," UNIT VILL ","
             "\"named\":[{\"code\":\"450124203202\",\"name\":\"龙琴村\",\"poverty\":\"deep\","
             "\"hamlets\":60,\"needs\":[\"driving\"]}],"
             "\"cadres\":[{\"id\":\"g\",\"label\":\"G\",\"count\":124,\"units\":[\"u\"],"
             "\"born\":{\"1980-1989\":76,\"1965-1979\":48},\"party\":1}],"
             "\"notes\":[\"76/124 is not 83.5%\"]}";
    CHECK_INT_EQ(scenario_load_string("t.json", json, &sc, &err), ZC_OK);
    CHECK_STR_EQ(scenario_name(sc), "t");
    CHECK_STR_EQ(scenario_today(sc), "2018-06-30");
    CHECK_STR_EQ(scenario_policy(sc), "mashan-2018");
    CHECK_INT_EQ(scenario_default_seed(sc), 42);
    CHECK_INT_EQ(scenario_nnotes(sc), 1);
    CHECK_CONTAINS(scenario_note(sc, 0), "83.5%");
    scenario_free(sc);
}

TEST(scenario_shipped_files_validate)
{
    static const char *const names[] = {"mashan-2018", "hebei-2016",  "shangluo-2016",
                                        "xiahe-2018",  "anlong-2018", "national"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[512];
        struct scenario *sc = NULL;
        struct zc_error err = {0};
        int rc = scenario_resolve(names[i], path, sizeof(path), &err);
        CHECK_MSG(rc == ZC_OK, "%s: %s", names[i], err.msg);
        rc = scenario_load(path, &sc, &err);
        CHECK_MSG(rc == ZC_OK, "%s: %s", names[i], err.msg);
        CHECK_STR_EQ(scenario_name(sc), names[i]);
        scenario_free(sc);
    }
    {
        char path[512];
        struct zc_error err = {0};
        CHECK_INT_EQ(scenario_resolve("atlantis-2030", path, sizeof(path), &err), ZC_ENOTFOUND);
        CHECK_CONTAINS(err.msg, "no scenario 'atlantis-2030'");
    }
}
