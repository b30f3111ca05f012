/* SPDX-License-Identifier: MIT */
/* fuzz_policy.c - libFuzzer target for the policy file reader (our own JSON
 * parser with line numbers): whatever the input, it either loads or fails
 * with ZC_EINVAL and a message naming the file, never crashes; a policy that
 * loads is within the documented limits. */
#include <stdint.h>
#include <string.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct policy p;
    struct zc_error err = {0};
    int rc = policy_parse("fuzz.json", (const char *)data, size, &p, &err);

    if (rc != ZC_OK) {
        if (rc != ZC_EINVAL || strncmp(err.msg, "fuzz.json", 9) != 0)
            __builtin_trap();
        return 0;
    }
    if (p.caps.max_unit_share_percent < 1 || p.caps.max_unit_share_percent > 100)
        __builtin_trap();
    return 0;
}
