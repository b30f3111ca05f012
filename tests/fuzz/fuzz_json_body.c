/* SPDX-License-Identifier: MIT */
/* fuzz_json_body.c - libFuzzer target for what the server does to a JSON
 * request body before any handler sees it: the nesting-depth scan (which
 * must stop deep bodies before the parser recurses) and the parse itself.
 * A body the scan accepts is never deeper than the limit. */
#include <jansson.h>
#include <stdint.h>

#include "http/http_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Depth of a parsed value, recursively (the scan's claim is checked). */
static int depth(json_t *v) /* jansson's iterators take a non-const value */
{
    int d = 0;
    size_t i;
    const char *k;
    json_t *x;
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            int e = depth(x);
            d = e > d ? e : d;
        }
        return d + 1;
    }
    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
        {
            int e = depth(x);
            d = e > d ? e : d;
        }
        return d + 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int scanned = http_json_depth((const char *)data, size, 16);
    json_error_t e;
    json_t *v;
    if (scanned < 0)
        return 0; /* refused before parsing: the parser never sees it */
    v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
    if (v && depth(v) > 16)
        __builtin_trap();
    json_decref(v);
    return 0;
}
