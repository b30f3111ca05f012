/* SPDX-License-Identifier: MIT */
/* test_idcard.c - GB 11643 check digits, dates, 15->18 conversion, masking. */
#include "base/idcard.h"
#include "test.h"

static const struct {
    const char *in;       /* input */
    const char *out;      /* normalised, or NULL when invalid */
    const char *complain; /* substring of the error */
} id_cases[] = {
    {"11010519491231002X", "11010519491231002X", NULL},
    {"11010519491231002x", "11010519491231002X", NULL},
    {" 11010519491231002X ", "11010519491231002X", NULL},
    {"110105194912310021", NULL, "check character is 1, should be X"},
    {"110105198002300020", NULL, "impossible birth date 19800230"},
    {"110105200002290021", "110105200002290021", NULL},    /* 2000 is a leap year */
    {"110105190002290025", NULL, "impossible birth date"}, /* 1900 is not */
    {"99010519491231002X", NULL, "no province code"},
    {"1101051949123100", NULL, "must have 18 characters"},
    {"11010519491231A02X", NULL, "found 'A' at position 15"},
    {"110105491231002", "11010519491231002X", NULL}, /* 15 digits -> 18 */
    {"", NULL, "must have 18 characters, has 0"},
};

TEST(idcard_normalize_table)
{
    for (size_t i = 0; i < sizeof(id_cases) / sizeof(id_cases[0]); i++) {
        char out[IDCARD_LEN + 1] = "";
        struct zc_error err = {0};
        int rc = idcard_normalize(id_cases[i].in, strlen(id_cases[i].in), out, &err);
        if (id_cases[i].out) {
            CHECK_MSG(rc == ZC_OK, "case %zu (%s): %s", i, id_cases[i].in, err.msg);
            CHECK_STR_EQ(out, id_cases[i].out);
        } else {
            CHECK_MSG(rc == ZC_EINVAL, "case %zu (%s) accepted", i, id_cases[i].in);
            CHECK_CONTAINS(err.msg, id_cases[i].complain);
        }
    }
}

TEST(idcard_check_char_every_digit_changes_it)
{
    /* MOD 11-2 detects any single-digit change: flip each digit in turn. */
    const char *good = "45012419850317123";
    char want = idcard_check_char(good);
    for (int pos = 0; pos < 17; pos++) {
        char v[18];
        memcpy(v, good, 18);
        v[pos] = (char)('0' + (v[pos] - '0' + 1) % 10);
        CHECK_MSG(idcard_check_char(v) != want, "changing digit %d kept the check char", pos);
    }
}

TEST(idcard_birth_gender_mask)
{
    char masked[32];
    CHECK_INT_EQ(idcard_birth_yyyymmdd("11010519491231002X"), 19491231);
    CHECK(!idcard_is_male("11010519491231002X")); /* 17th digit 2: female */
    CHECK(idcard_is_male("110105194912310038"));  /* 17th digit 3: male */
    idcard_mask("450124198503171234", masked, sizeof(masked));
    CHECK_STR_EQ(masked, "4501**********1234");
    idcard_mask("12345", masked, sizeof(masked));
    CHECK_STR_EQ(masked, "*****");
    idcard_mask("", masked, sizeof(masked));
    CHECK_STR_EQ(masked, "");
}
