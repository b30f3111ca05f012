/* SPDX-License-Identifier: MIT */
/* test.h - zhucun's in-house unit test harness (no dependencies).
 *
 * A test is a function declared with TEST(name) in any tests/unit/test_X.c file;
 * it registers itself before main() runs, so there is no central list to
 * edit. Checks print both values on failure and return from the test.
 *
 *     TEST(idcard_check_digit) {
 *         CHECK_INT_EQ(idcard_check_char("11010519491231002"), 'X');
 *     }
 *
 * The runner (runner.c) prints one line per test and finishes with
 * "N passed, N failed"; its exit status is 1 if anything failed. */
#ifndef ZC_TEST_H
#define ZC_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct zt_case {
    const char *name;     /* test name as written in TEST() */
    const char *file;     /* source file */
    void (*fn)(void);     /* body */
    struct zt_case *next; /* registration list */
};

void zt_register(struct zt_case *c);
void zt_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A scratch directory for this test run (created by the runner). */
const char *zt_tmpdir(void);
/* How many rounds a randomized test runs: n, or ZT_ROUNDS percent of it
 * (at least 1) when that is set. tests/tsan.sh runs the unit tests under
 * ThreadSanitizer with a quarter of the rounds: the same code paths and
 * threads, on fewer random instances (the full count runs under ASan). */
int zt_rounds(int n);

#define TEST(name)                                                                                 \
    static void name(void);                                                                        \
    static struct zt_case name##_case_ = {#name, __FILE__, name, NULL};                            \
    __attribute__((constructor)) static void name##_register_(void)                                \
    {                                                                                              \
        zt_register(&name##_case_);                                                                \
    }                                                                                              \
    static void name(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            zt_fail(__FILE__, __LINE__, "%s", #cond);                                              \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            zt_fail(__FILE__, __LINE__, __VA_ARGS__);                                              \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                                         \
    do {                                                                                           \
        long long zt_a_ = (long long)(a), zt_b_ = (long long)(b);                                  \
        if (zt_a_ != zt_b_) {                                                                      \
            zt_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, zt_a_, zt_b_);           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                                         \
    do {                                                                                           \
        const char *zt_a_ = (a), *zt_b_ = (b);                                                     \
        if (!zt_a_ || !zt_b_ || strcmp(zt_a_, zt_b_) != 0) {                                       \
            zt_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b,                      \
                    zt_a_ ? zt_a_ : "(null)", zt_b_ ? zt_b_ : "(null)");                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Substring check, for error messages. */
#define CHECK_CONTAINS(hay, needle)                                                                \
    do {                                                                                           \
        const char *zt_h_ = (hay), *zt_n_ = (needle);                                              \
        if (!zt_h_ || !strstr(zt_h_, zt_n_)) {                                                     \
            zt_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"",                          \
                    zt_h_ ? zt_h_ : "(null)", zt_n_);                                              \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#endif
