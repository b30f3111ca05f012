/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c - libFuzzer target for the CSV reader (encoding detection,
 * delimiter detection, quoting), with small limits so that refusals are
 * exercised too. */
#include <stdint.h>

#include "fuzz_sheet_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sheet_limits lim;
    struct fuzz_state st = {0};
    struct zc_error err = {0};
    int rc;

    sheet_limits_default(&lim);
    lim.max_rows = 5000;
    lim.max_columns = 64;
    lim.max_cell_bytes = 1024;
    st.lim = &lim;
    st.rows_ascend = true;
    rc = sheet_read_mem("fuzz.csv", data, size, SHEET_CSV, &lim, fuzz_check_row, &st, &err);
    fuzz_check_error(rc, &err, "fuzz.csv: ");
    return 0;
}
