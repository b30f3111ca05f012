/* SPDX-License-Identifier: MIT */
/* fuzz_idcard.c - libFuzzer target for ID-number validation: whatever the
 * input, a number that validates is normalised, carries the right check
 * character, validates again unchanged, and masks to the same length. */
#include <stdint.h>
#include <string.h>

#include "base/idcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[IDCARD_LEN + 1], again[IDCARD_LEN + 1], masked[IDCARD_LEN + 1];
    struct zc_error err = {0};
    int rc = idcard_normalize((const char *)data, size, out, &err);

    if (rc != ZC_OK) {
        if (rc != ZC_EINVAL || err.msg[0] == '\0')
            __builtin_trap();
        return 0;
    }
    if (strlen(out) != IDCARD_LEN)
        __builtin_trap();
    for (int i = 0; i < 17; i++)
        if (out[i] < '0' || out[i] > '9')
            __builtin_trap();
    if (out[17] != idcard_check_char(out))
        __builtin_trap();
    if (idcard_normalize(out, IDCARD_LEN, again, &err) != ZC_OK || memcmp(out, again, sizeof(out)))
        __builtin_trap();
    {
        int b = idcard_birth_yyyymmdd(out);
        if (b < 19000101 || b > 20991231 || b % 100 == 0 || b / 100 % 100 == 0 ||
            b / 100 % 100 > 12)
            __builtin_trap();
    }
    idcard_mask(out, masked, sizeof(masked));
    if (strlen(masked) != IDCARD_LEN || memcmp(masked, out, 4) != 0 ||
        memcmp(masked + 14, out + 14, 4) != 0 || strspn(masked + 4, "*") != 10)
        __builtin_trap();
    /* Masking never writes past a short buffer. */
    {
        char tiny[5];
        idcard_mask(out, tiny, sizeof(tiny));
        if (strlen(tiny) != 4)
            __builtin_trap();
    }
    return 0;
}
