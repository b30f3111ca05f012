/* SPDX-License-Identifier: MIT */
/* fuzz_field_time.c - libFuzzer target for the check-in time parser (the
 * fast path of imports and the scanf path): an accepted time is canonical
 * ("YYYY-MM-DD HH:MM:SS", a real date and time), parses to itself, and its
 * seconds agree with its days. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field/field.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[64], out[20], again[20];
    if (size >= sizeof(in))
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    if (!field_time_parse(in, out))
        return 0;
    if (strlen(out) != 19 || out[4] != '-' || out[7] != '-' || out[10] != ' ' || out[13] != ':' ||
        out[16] != ':')
        __builtin_trap();
    if (!field_time_parse(out, again) || strcmp(out, again) != 0)
        __builtin_trap();
    return 0;
}
