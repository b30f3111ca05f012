/* SPDX-License-Identifier: MIT */
/* division.c - arithmetic on 12-digit division codes. */
#include "division.h"

#include <stdio.h>

static const int64_t unit_of_level[6] = {0, 10000000000LL, 100000000LL, 1000000LL, 1000LL, 1LL};
static const int digits_of_level[6] = {0, 2, 4, 6, 9, 12};

bool division_is_province(int pp)
{
    switch (pp) {
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 21:
    case 22:
    case 23:
    case 31:
    case 32:
    case 33:
    case 34:
    case 35:
    case 36:
    case 37:
    case 41:
    case 42:
    case 43:
    case 44:
    case 45:
    case 46:
    case 50:
    case 51:
    case 52:
    case 53:
    case 54:
    case 61:
    case 62:
    case 63:
    case 64:
    case 65:
    case 71:
    case 81:
    case 82:
        return true;
    default:
        return false;
    }
}

int division_digits(enum division_level level)
{
    return (level >= DIV_PROVINCE && level <= DIV_VILLAGE) ? digits_of_level[level] : 0;
}

enum division_level division_level_of(int64_t code)
{
    if (code % 1000)
        return DIV_VILLAGE;
    if (code % 1000000)
        return DIV_TOWNSHIP;
    if (code % 100000000)
        return DIV_COUNTY;
    if (code % 10000000000LL)
        return DIV_CITY;
    return DIV_PROVINCE;
}

int division_parse(const char *s, size_t n, int64_t *code, enum division_level *level,
                   struct zc_error *err)
{
    int64_t v = 0;
    enum division_level lv;

    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    switch (n) {
    case 2:
        lv = DIV_PROVINCE;
        break;
    case 4:
        lv = DIV_CITY;
        break;
    case 6:
        lv = DIV_COUNTY;
        break;
    case 9:
        lv = DIV_TOWNSHIP;
        break;
    case 12:
        lv = DIV_VILLAGE;
        break;
    default:
        return zc_error_set(err, ZC_EINVAL,
                            "division code must have 2, 4, 6, 9 or 12 digits, has %zu characters",
                            n);
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return zc_error_set(err, ZC_EINVAL, "division code must be digits only");
        v = v * 10 + (s[i] - '0');
    }
    v *= unit_of_level[lv];
    if (!division_is_province((int)(v / 10000000000LL)))
        return zc_error_set(err, ZC_EINVAL, "division code %.*s starts with no province code",
                            (int)n, s);
    /* A 12-digit code padded with zeros names a higher level (450124000000). */
    if (lv == DIV_VILLAGE)
        lv = division_level_of(v);
    *code = v;
    *level = lv;
    return ZC_OK;
}

int64_t division_parent(int64_t code, enum division_level level)
{
    if (level <= DIV_PROVINCE || level > DIV_VILLAGE)
        return 0;
    return code / unit_of_level[level - 1] * unit_of_level[level - 1];
}

void division_range(int64_t code, enum division_level level, int64_t *lo, int64_t *hi)
{
    int64_t u = unit_of_level[level];
    *lo = code / u * u;
    *hi = *lo + u - 1;
}

void division_format(int64_t code, enum division_level level, char *out)
{
    int digits = division_digits(level);
    if (!digits) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 13, "%0*lld", digits, (long long)(code / unit_of_level[level]));
}

bool division_is_rural_village(int64_t code)
{
    int64_t c = code % 1000;
    return c >= 200 && c <= 399;
}

const char *division_level_name_zh(enum division_level level)
{
    static const char *const names[6] = {"", "省", "市", "县", "乡", "村"};
    return (level >= DIV_PROVINCE && level <= DIV_VILLAGE) ? names[level] : "";
}

const char *division_level_name_en(enum division_level level)
{
    static const char *const names[6] = {"", "province", "city", "county", "township", "village"};
    return (level >= DIV_PROVINCE && level <= DIV_VILLAGE) ? names[level] : "";
}
