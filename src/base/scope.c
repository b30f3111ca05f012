/* SPDX-License-Identifier: MIT */
/* scope.c - jurisdiction values (see scope.h). */
#include "scope.h"

#include <string.h>

#include "division.h"

struct zc_scope zc_scope_all(void)
{
    return (struct zc_scope){0, 999999999999LL, 0, 0, ""};
}

int zc_scope_parse(const char *code, struct zc_scope *out, struct zc_error *err)
{
    int64_t c;
    enum division_level lv;
    int rc = division_parse(code, strlen(code), &c, &lv, err);
    if (rc != ZC_OK)
        return rc;
    *out = zc_scope_all();
    division_range(c, lv, &out->lo, &out->hi);
    out->level = (int)lv;
    return ZC_OK;
}

bool zc_scope_has(const struct zc_scope *s, int64_t code)
{
    return code >= s->lo && code <= s->hi;
}

int zc_scope_narrow(struct zc_scope *s, const char *code, struct zc_error *err)
{
    struct zc_scope n;
    int rc = zc_scope_parse(code, &n, err);
    if (rc != ZC_OK)
        return rc;
    if (n.lo < s->lo || n.hi > s->hi)
        return zc_error_set(err, ZC_EFORBIDDEN, "division %s is outside your jurisdiction", code);
    s->lo = n.lo, s->hi = n.hi, s->level = n.level;
    return ZC_OK;
}
