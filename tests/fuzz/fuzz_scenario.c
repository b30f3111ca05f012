/* SPDX-License-Identifier: MIT */
/* fuzz_scenario.c - libFuzzer target for the scenario file reader: any
 * input either loads or fails with ZC_EINVAL and a message naming the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scenario *sc = NULL;
    struct zc_error err = {0};
    char *text = malloc(size + 1);
    int rc;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rc = scenario_load_string("fuzz.json", text, &sc, &err);
    free(text);
    if (rc != ZC_OK) {
        if (sc || (rc != ZC_EINVAL && rc != ZC_ETOOBIG))
            __builtin_trap();
        return 0;
    }
    if (!sc || !scenario_name(sc))
        __builtin_trap();
    scenario_free(sc);
    return 0;
}
