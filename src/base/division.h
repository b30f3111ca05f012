/* SPDX-License-Identifier: MIT */
/* division.h - statistical division codes (GB/T 2260 + NBS 12-digit codes).
 *
 * A code is held as an int64_t of 12 digits: province 45 is 450000000000,
 * county 450124 is 450124000000, village 450124203202 stays as it is. Its
 * level follows from which digit groups are zero:
 *   digits 1-2 province, 3-4 city, 5-6 county, 7-9 township, 10-12 committee.
 * A rural village (村委会) is a committee whose digits 10-12 are 200-399. */
#ifndef ZC_DIVISION_H
#define ZC_DIVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum division_level {
    DIV_PROVINCE = 1,
    DIV_CITY = 2,
    DIV_COUNTY = 3,
    DIV_TOWNSHIP = 4,
    DIV_VILLAGE = 5, /* any committee: village or residents' committee */
};

/* True if `pp` (0-99) is a province prefix in GB/T 2260 (incl. 71, 81, 82). */
bool division_is_province(int pp);

/* Parse a code of 2, 4, 6, 9 or 12 digits into its 12-digit form and level.
 * Returns ZC_EINVAL with a message for anything else. */
int division_parse(const char *s, size_t n, int64_t *code, enum division_level *level,
                   struct zc_error *err);

/* The level implied by the code's zero groups. */
enum division_level division_level_of(int64_t code);

/* The enclosing code one level up (county 450124 -> city 4501); 0 for a province. */
int64_t division_parent(int64_t code, enum division_level level);

/* The closed range [lo, hi] of 12-digit codes inside `code` at `level`;
 * used for jurisdiction scopes ("everything under 450124"). */
void division_range(int64_t code, enum division_level level, int64_t *lo, int64_t *hi);

/* Write the short form (2/4/6/9/12 digits) into out (at least 13 bytes). */
void division_format(int64_t code, enum division_level level, char *out);

/* A rural village committee (code digits 10-12 in 200-399). */
bool division_is_rural_village(int64_t code);

/* Digits kept at each level: 2, 4, 6, 9, 12. */
int division_digits(enum division_level level);

const char *division_level_name_zh(enum division_level level); /* 省 市 县 乡 村 */
const char *division_level_name_en(enum division_level level);

#endif
