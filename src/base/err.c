/* SPDX-License-Identifier: MIT */
/* err.c - error records and the code tables generated from ZC_ERRORS. */
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zc_error_vset(struct zc_error *err, int code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    }
    return code;
}

int zc_error_set(struct zc_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zc_error_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int zc_error_prefix(struct zc_error *err, const char *fmt, ...)
{
    char old[sizeof(err->msg)];
    va_list ap;
    int n;

    if (!err)
        return ZC_OK;
    memcpy(old, err->msg, sizeof(old));
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n + 2 < sizeof(err->msg)) {
        size_t used = (size_t)n;
        size_t room = sizeof(err->msg) - used - 2;
        size_t len = strnlen(old, room);
        memcpy(err->msg + used, ": ", 2);
        memcpy(err->msg + used + 2, old, len);
        err->msg[used + 2 + len] = '\0';
    }
    return err->code;
}

void zc_error_clear(struct zc_error *err)
{
    if (err) {
        err->code = ZC_OK;
        err->msg[0] = '\0';
    }
}

static const struct {
    const char *name;
    int http;
    int exitc;
} err_table[] = {

#define ZC_ERR_ROW(name, text, http, exitc) {text, http, exitc},
    ZC_ERRORS(ZC_ERR_ROW)
#undef ZC_ERR_ROW
};

#define ERR_COUNT (sizeof(err_table) / sizeof(err_table[0]))

const char *zc_err_name(int code)
{
    if (code < 0 || (size_t)code >= ERR_COUNT)
        return "internal";
    return err_table[code].name;
}

int zc_err_http_status(int code)
{
    if (code < 0 || (size_t)code >= ERR_COUNT)
        return 500;
    return err_table[code].http;
}

int zc_err_exit_status(int code)
{
    if (code < 0 || (size_t)code >= ERR_COUNT)
        return 70;
    return err_table[code].exitc;
}

void zc_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "zhucun: assertion failed: %s (%s:%d)\n", expr, file, line);
    abort();
}
