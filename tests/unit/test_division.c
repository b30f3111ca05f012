/* SPDX-License-Identifier: MIT */
/* test_division.c - 12-digit division code arithmetic. */
#include "base/division.h"
#include "test.h"

TEST(division_parse_levels)
{
    static const struct {
        const char *in;
        long long code;
        int level;
    } cases[] = {
        {"45", 450000000000LL, DIV_PROVINCE},
        {"4501", 450100000000LL, DIV_CITY},
        {"450124", 450124000000LL, DIV_COUNTY},
        {"450124203", 450124203000LL, DIV_TOWNSHIP},
        {"450124203202", 450124203202LL, DIV_VILLAGE},
        {"450124000000", 450124000000LL, DIV_COUNTY}, /* padded form names the county */
        {" 130426206214 ", 130426206214LL, DIV_VILLAGE},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t code;
        enum division_level lv;
        struct zc_error err = {0};
        CHECK_MSG(division_parse(cases[i].in, strlen(cases[i].in), &code, &lv, &err) == ZC_OK,
                  "%s: %s", cases[i].in, err.msg);
        CHECK_INT_EQ(code, cases[i].code);
        CHECK_INT_EQ(lv, cases[i].level);
    }
}

TEST(division_parse_rejects)
{
    static const struct {
        const char *in;
        const char *msg;
    } cases[] = {
        {"4501241", "must have 2, 4, 6, 9 or 12 digits"},
        {"45012A", "digits only"},
        {"990000", "no province code"},
        {"", "has 0 characters"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t code;
        enum division_level lv;
        struct zc_error err = {0};
        CHECK(division_parse(cases[i].in, strlen(cases[i].in), &code, &lv, &err) == ZC_EINVAL);
        CHECK_CONTAINS(err.msg, cases[i].msg);
    }
}

TEST(division_ranges_parents_format)
{
    int64_t lo, hi;
    char out[13];
    division_range(450124000000LL, DIV_COUNTY, &lo, &hi);
    CHECK_INT_EQ(lo, 450124000000LL);
    CHECK_INT_EQ(hi, 450124999999LL);
    CHECK(450124203202LL >= lo && 450124203202LL <= hi);
    CHECK(!(450125205203LL >= lo && 450125205203LL <= hi));
    CHECK_INT_EQ(division_parent(450124203202LL, DIV_VILLAGE), 450124203000LL);
    CHECK_INT_EQ(division_parent(450124203000LL, DIV_TOWNSHIP), 450124000000LL);
    CHECK_INT_EQ(division_parent(450000000000LL, DIV_PROVINCE), 0);
    division_format(450124203000LL, DIV_TOWNSHIP, out);
    CHECK_STR_EQ(out, "450124203");
    division_format(130000000000LL, DIV_PROVINCE, out);
    CHECK_STR_EQ(out, "13");
    CHECK(division_is_rural_village(450124203202LL));
    CHECK(!division_is_rural_village(450124100001LL)); /* 001: residents' committee */
    CHECK(!division_is_rural_village(450124100400LL)); /* 400+: similar units */
}
