/* SPDX-License-Identifier: MIT */
/* password.c - what a new password must be (issue 17: "password",
 * "aaaaaaaa", eight spaces and name == password were accepted, for admin
 * accounts too).
 *
 * At least AUTH_PW_MIN characters (code points, so a Chinese passphrase is
 * not counted three times), not the account name, not one of the common
 * passwords below, not made of fewer than four different characters and
 * not a run such as "abcdefghijkl" or "123456789012". Length is what
 * resists guessing (NIST SP 800-63B §5.1.1.2); composition rules are not
 * asked for. The list holds passwords of 12 or more characters from public
 * lists of leaked passwords (shorter ones are refused by the length). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"

static const char *const common[] = {
    "123456789012",     "1234567890123",  "12345678901234", "123456789123",   "123123123123",
    "111111111111",     "000000000000",   "password1234",   "password12345",  "password123456",
    "passwordpassword", "qwertyuiopas",   "qwerty123456",   "qwertyuiop12",   "qwertyuiop123",
    "1qaz2wsx3edc",     "1q2w3e4r5t6y",   "q1w2e3r4t5y6",   "zaq12wsxcde3",   "1qaz2wsx3edc4rfv",
    "abc123456789",     "abcd12345678",   "a123456789012",  "iloveyou1234",   "iloveyou12345",
    "admin1234567",     "admin123456789", "administrator",  "administrator1", "welcome12345",
    "welcome123456",    "letmein12345",   "changeme1234",   "changemenow1",   "football1234",
    "baseball1234",     "sunshine1234",   "princess1234",   "dragon123456",   "monkey123456",
    "superman1234",     "trustno11234",   "woaini123456",   "woaini1314520",  "woaini5201314",
    "woaiwojia123",     "zhongguo1234",   "zhongguo123456", "beijing12345",   "shanghai1234",
    "nanning12345",     "guangxi12345",   "asdfghjkl123",   "zxcvbnm12345",   "zxcvbnm123456",
    "p@ssw0rd1234",     "p@ssword1234",   "passw0rd1234",   "mima12345678",   "mimamima1234",
    "zhucun123456",     "zhucun2018abc",  "qazwsxedcrfv",   "!qaz2wsx#edc",   "1234qwerasdf",
    "qwerasdfzxcv",     "password!234",   "computer1234",   "internet1234",
};

/* Code points of UTF-8 text (bytes that do not start a sequence are not
 * counted). */
static size_t chars(const char *pw, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)pw[i] & 0xC0) != 0x80;
    return c;
}

static bool is_common(const char *pw, size_t n)
{
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
        if (strlen(common[i]) == n && strncasecmp(common[i], pw, n) == 0)
            return true;
    }
    return false;
}

static bool few_distinct(const char *pw, size_t n)
{
    unsigned char seen[256] = {0};
    int distinct = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)pw[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (!seen[c]++)
            distinct++;
    }
    return distinct < 4;
}

/* Every byte one up (or one down) from the one before; digits wrap (…890…). */
static bool is_run(const char *pw, size_t n)
{
    int dir = 0;
    for (size_t i = 1; i < n; i++) {
        int a = (unsigned char)pw[i - 1], b = (unsigned char)pw[i], d = b - a;
        if (a >= '0' && a <= '9' && b >= '0' && b <= '9')
            d = ((b - a) % 10 + 10) % 10 == 1 ? 1 : ((a - b) % 10 + 10) % 10 == 1 ? -1 : 0;
        if (d != 1 && d != -1)
            return false;
        if (dir && d != dir)
            return false;
        dir = d;
    }
    return n > 1;
}

int auth_password_check(const char *name, const char *pw, size_t n, struct zc_error *err)
{
    if (chars(pw, n) < AUTH_PW_MIN)
        return zc_error_set(err, ZC_EINVAL,
                            "密码太短：至少 %d 个字符 (the password is too short: at least %d "
                            "characters; a passphrase of a few words is easy to remember)",
                            AUTH_PW_MIN, AUTH_PW_MIN);
    if (n > AUTH_PW_MAX)
        return zc_error_set(err, ZC_EINVAL, "the password is too long (at most %d bytes)",
                            AUTH_PW_MAX);
    if (memchr(pw, '\0', n))
        return zc_error_set(err, ZC_EINVAL, "the password holds a NUL byte");
    if (name && strlen(name) == n && strncasecmp(name, pw, n) == 0)
        return zc_error_set(err, ZC_EINVAL,
                            "密码不能与账号名相同 (the password must not be the account name)");
    if (is_common(pw, n))
        return zc_error_set(err, ZC_EINVAL,
                            "这是常见密码 (the password is on the list of common passwords; "
                            "choose another)");
    if (few_distinct(pw, n))
        return zc_error_set(err, ZC_EINVAL,
                            "密码字符过于单一 (the password repeats too few characters: use at "
                            "least 4 different ones)");
    if (is_run(pw, n))
        return zc_error_set(err, ZC_EINVAL,
                            "密码不能是连续字符 (the password must not be a run such as abcdef… "
                            "or 123456…)");
    return ZC_OK;
}
