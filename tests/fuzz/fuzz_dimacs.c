/* SPDX-License-Identifier: MIT */
/* fuzz_dimacs.c - libFuzzer target for the DIMACS min-cost-flow reader:
 * any input either parses into a network or fails with ZC_EINVAL/ZC_ETOOBIG
 * and a message naming the input; it never crashes. */
#include <stdint.h>
#include <string.h>

#include "base/err.h"
#include "match/dimacs.h"
#include "match/mcf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mcf *m = NULL;
    struct zc_error err = {0};
    int rc = dimacs_parse((const char *)data, size, "fuzz.min", &m, &err);
    if (rc != ZC_OK) {
        if ((rc != ZC_EINVAL && rc != ZC_ETOOBIG) || m || strncmp(err.msg, "fuzz.min", 8) != 0)
            __builtin_trap();
        return 0;
    }
    if (!m)
        __builtin_trap();
    mcf_free(m);
    return 0;
}
