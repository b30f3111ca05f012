/* SPDX-License-Identifier: MIT */
/* router.c - match a method and a path against a table of patterns.
 *
 * Patterns are literal segments and ":name" segments, which match one
 * non-empty segment. The table is small (a few dozen rows), so a linear
 * scan is faster than anything cleverer and keeps the order obvious: the
 * first row that matches wins. A path that matches some pattern with
 * another method is a 405, not a 404. */
#include <string.h>

#include "http_int.h"

/* Compare one pattern with the path; on a match copy parameters. */
static bool match_one(const char *pat, const char *path, const char *params[HTTP_MAX_PARAMS],
                      char *store, size_t n)
{
    size_t used = 0;
    int np = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return false;
        pat++;
        path++;
        const char *pe = strchr(pat, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl > 0 && pat[0] == ':') {
            if (sl == 0 || np >= HTTP_MAX_PARAMS || used + sl + 1 > n)
                return false;
            memcpy(store + used, path, sl);
            store[used + sl] = '\0';
            params[np++] = store + used;
            used += sl + 1;
        } else if (pl != sl || memcmp(pat, path, pl) != 0) {
            return false;
        }
        pat += pl;
        path += sl;
    }
    /* One trailing slash on the path is tolerated ("/api/v1/villages/"). */
    if (!*pat && path[0] == '/' && path[1] == '\0')
        return true;
    return !*pat && !*path;
}

enum http_match http_route_find(const struct http_route *table, size_t count, const char *method,
                                const char *path, const struct http_route **out,
                                const char *params[HTTP_MAX_PARAMS], char *store, size_t n)
{
    bool other_method = false;
    *out = NULL;
    for (size_t i = 0; i < count; i++) {
        const char *tmp[HTTP_MAX_PARAMS] = {NULL};
        if (!match_one(table[i].pattern, path, tmp, store, n))
            continue;
        if (strcmp(table[i].method, method) != 0 &&
            !(strcmp(method, "HEAD") == 0 && strcmp(table[i].method, "GET") == 0)) {
            other_method = true;
            continue;
        }
        memcpy(params, tmp, sizeof(tmp));
        *out = &table[i];
        return HM_FOUND;
    }
    return other_method ? HM_BAD_METHOD : HM_NOT_FOUND;
}
