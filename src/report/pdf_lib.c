/* SPDX-License-Identifier: MIT */
/* pdf_lib.c - the table of pdf_lib.h, filled by dlopen on first use. */
#define PDF_LIB_IMPL
#include "report/pdf_lib.h"

#include <stddef.h>

#include "base/dynlib.h"

struct pdf_lib pdf_lib;

static const struct dynlib_sym syms[] = {
#define PDF_LIB_SYM(f) {#f, offsetof(struct pdf_lib, f)},
    PDF_LIB_FUNCS(PDF_LIB_SYM)
#undef PDF_LIB_SYM
};

int pdf_lib_load(struct zc_error *err)
{
    static struct dynlib_once once;
    return dynlib_load(&once, "libpangocairo-1.0.so.0", "a PDF bulletin", "libpangocairo-1.0-0",
                       syms, sizeof(syms) / sizeof(syms[0]), &pdf_lib, err);
}
