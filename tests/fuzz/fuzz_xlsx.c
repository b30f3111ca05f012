/* SPDX-License-Identifier: MIT */
/* fuzz_xlsx.c - libFuzzer target for the XLSX reader: zip directory, part
 * lookup through the relationships, styles, shared strings and the sheet
 * XML, with limits low enough that bombs are refused within the time out. */
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
    lim.max_xml_bytes = 8 << 20;
    lim.max_total_bytes = 16 << 20;
    lim.max_rows = 100000;
    lim.max_columns = 200;
    lim.max_cell_bytes = 4096;
    st.lim = &lim;
    rc = sheet_read_mem("fuzz.xlsx", data, size, SHEET_XLSX, &lim, fuzz_check_row, &st, &err);
    fuzz_check_error(rc, &err, "fuzz.xlsx: ");
    return 0;
}
