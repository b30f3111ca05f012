/* SPDX-License-Identifier: MIT */
/* mhd_lib.c - the table of mhd_lib.h, filled by dlopen on first use. */
#define MHD_LIB_IMPL
#include "http/mhd_lib.h"

#include <stddef.h>

#include "base/dynlib.h"

struct mhd_lib mhd_lib;

static const struct dynlib_sym syms[] = {
#define MHD_LIB_SYM(f) {#f, offsetof(struct mhd_lib, f)},
    MHD_LIB_FUNCS(MHD_LIB_SYM)
#undef MHD_LIB_SYM
};

int mhd_lib_load(struct zc_error *err)
{
    static struct dynlib_once once;
    return dynlib_load(&once, "libmicrohttpd.so.12", "zhucun serve", "libmicrohttpd12", syms,
                       sizeof(syms) / sizeof(syms[0]), &mhd_lib, err);
}
