/* SPDX-License-Identifier: MIT */
/* err.h - the one error type of zhucun.
 *
 * Every fallible function returns an int that is ZC_OK (0) or one of the
 * ZC_E* codes below, and fills a caller-owned struct zc_error with a message
 * a user can act on ("cadres.csv:17:身份证号: check digit should be X").
 * Reporting an error never allocates. */
#ifndef ZC_ERR_H
#define ZC_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* X(name, machine name for JSON, HTTP status, process exit status) */
#define ZC_ERRORS(X)                                                                               \
    X(OK, "ok", 200, 0)                                                                            \
    X(EINVAL, "invalid_input", 400, 65)                                                            \
    X(EUSAGE, "usage", 400, 64)                                                                    \
    X(ENOTFOUND, "not_found", 404, 66)                                                             \
    X(ECONFLICT, "conflict", 409, 65)                                                              \
    X(ETOOBIG, "too_large", 413, 65)                                                               \
    X(EINFEASIBLE, "infeasible", 422, 3)                                                           \
    X(ESTORE, "storage_error", 500, 74)                                                            \
    X(EIO, "io_error", 500, 74)                                                                    \
    X(ENOMEM, "out_of_memory", 500, 71)                                                            \
    X(EFORBIDDEN, "forbidden", 403, 77)                                                            \
    X(EUNAVAILABLE, "unavailable", 503, 75)

enum zc_err {

#define ZC_ERR_ENUM(name, text, http, exitc) ZC_##name,
    ZC_ERRORS(ZC_ERR_ENUM)
#undef ZC_ERR_ENUM
};

struct zc_error {
    int code;      /* ZC_OK or a ZC_E* code */
    char msg[512]; /* human message, UTF-8, NUL-terminated */
};

/* Record an error; returns `code` so that raising is one line:
 *     return zc_error_set(err, ZC_EINVAL, "bad row %zu", row);
 * `err` may be NULL (the message is dropped). */
int zc_error_set(struct zc_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int zc_error_vset(struct zc_error *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Prefix the message already in `err` with "prefix: " (for adding context
 * such as a file name as an error travels up). Returns err->code. */
int zc_error_prefix(struct zc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void zc_error_clear(struct zc_error *err);
const char *zc_err_name(int code); /* "invalid_input" style, for JSON */
int zc_err_http_status(int code);  /* e.g. 400 */
int zc_err_exit_status(int code);  /* sysexits-style process status */

/* Programmer errors: always on, print file and line, abort. */
#define ZC_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            zc_assert_fail(#cond, __FILE__, __LINE__);                                             \
    } while (0)
_Noreturn void zc_assert_fail(const char *expr, const char *file, int line);

#endif
