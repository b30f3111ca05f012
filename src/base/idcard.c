/* SPDX-License-Identifier: MIT */
/* idcard.c - GB 11643-1999 check digit (ISO 7064 MOD 11-2), dates, masking. */
#include "idcard.h"

#include <string.h>

#include "division.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

char idcard_check_char(const char *id17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (id17[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool valid_date(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max;
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
        return false;
    max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int idcard_normalize(const char *s, size_t n, char out[IDCARD_LEN + 1], struct zc_error *err)
{
    char id[IDCARD_LEN + 1];
    char want;
    int y, m, d;

    /* Tolerate surrounding spaces, which spreadsheets add. */
    while (n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 15) {
        for (size_t i = 0; i < 15; i++)
            if (s[i] < '0' || s[i] > '9')
                return zc_error_set(err, ZC_EINVAL, "15-digit ID number must be all digits");
        memcpy(id, s, 6);
        id[6] = '1';
        id[7] = '9';
        memcpy(id + 8, s + 6, 9);
        id[17] = idcard_check_char(id);
    } else if (n == 18) {
        for (size_t i = 0; i < 17; i++)
            if (s[i] < '0' || s[i] > '9')
                return zc_error_set(err, ZC_EINVAL,
                                    "ID number must be 17 digits and a check character, found "
                                    "'%c' at position %zu",
                                    s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?', i + 1);
        memcpy(id, s, 18);
        if (id[17] == 'x')
            id[17] = 'X';
        if (!(id[17] >= '0' && id[17] <= '9') && id[17] != 'X')
            return zc_error_set(err, ZC_EINVAL, "ID number's last character must be a digit or X");
    } else {
        return zc_error_set(err, ZC_EINVAL, "ID number must have 18 characters, has %zu", n);
    }
    id[18] = '\0';
    if (!division_is_province(digits_value(id, 2)))
        return zc_error_set(err, ZC_EINVAL, "ID number starts with %.2s, which is no province code",
                            id);
    y = digits_value(id + 6, 4);
    m = digits_value(id + 10, 2);
    d = digits_value(id + 12, 2);
    if (!valid_date(y, m, d))
        return zc_error_set(err, ZC_EINVAL, "ID number holds an impossible birth date %.8s",
                            id + 6);
    want = idcard_check_char(id);
    if (want != id[17])
        return zc_error_set(err, ZC_EINVAL, "ID number check character is %c, should be %c", id[17],
                            want);
    memcpy(out, id, sizeof(id));
    return ZC_OK;
}

int idcard_birth_yyyymmdd(const char *id18)
{
    return digits_value(id18 + 6, 8);
}

bool idcard_is_male(const char *id18)
{
    return (id18[16] - '0') % 2 == 1;
}

void idcard_mask(const char *s, char *out, size_t outsz)
{
    size_t n = strlen(s);
    if (outsz == 0)
        return;
    if (n + 1 > outsz)
        n = outsz - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (n >= 9 && (i < 4 || i >= n - 4)) ? s[i] : '*';
    out[n] = '\0';
}
