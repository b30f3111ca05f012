/* SPDX-License-Identifier: MIT */
/* pg_lib.c - the table of pg_lib.h, filled by dlopen on first use. */
#define PG_LIB_IMPL
#include "store/pg_lib.h"

#include <stddef.h>

#include "base/dynlib.h"

struct pg_lib pg_lib;

static const struct dynlib_sym syms[] = {
#define PG_LIB_SYM(f) {#f, offsetof(struct pg_lib, f)},
    PG_LIB_FUNCS(PG_LIB_SYM)
#undef PG_LIB_SYM
};

int pg_lib_load(struct zc_error *err)
{
    static struct dynlib_once once;
    return dynlib_load(&once, "libpq.so.5", "PostgreSQL", "libpq5", syms,
                       sizeof(syms) / sizeof(syms[0]), &pg_lib, err);
}
