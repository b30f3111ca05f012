/* SPDX-License-Identifier: MIT */
/* test_dynlib.c - the optional libraries opened on first use
 * (base/dynlib.h): a missing library or symbol is an error that names it
 * and its package, asked again it is the same answer, and the real ones
 * load with every symbol their module calls. */
#include <stddef.h>

#include "base/dynlib.h"
#include "http/mhd_lib.h"
#include "report/pdf_lib.h"
#include "store/pg_lib.h"
#include "test.h"

struct one_fn {
    void (*fn)(void);
};

TEST(dynlib_missing_library_names_it)
{
    static struct dynlib_once once;
    static const struct dynlib_sym syms[] = {{"nothing", offsetof(struct one_fn, fn)}};
    struct one_fn t = {0};
    struct zc_error err = {0};
    CHECK_INT_EQ(
        dynlib_load(&once, "libzhucun-absent.so.9", "a test", "zhucun-absent", syms, 1, &t, &err),
        ZC_EUNAVAILABLE);
    CHECK_CONTAINS(err.msg, "a test needs libzhucun-absent.so.9");
    CHECK_CONTAINS(err.msg, "Debian package zhucun-absent");
    /* Once failed, failed the same way without trying again. */
    zc_error_clear(&err);
    CHECK_INT_EQ(
        dynlib_load(&once, "libzhucun-absent.so.9", "a test", "zhucun-absent", syms, 1, &t, &err),
        ZC_EUNAVAILABLE);
    CHECK_CONTAINS(err.msg, "libzhucun-absent.so.9");
    CHECK(t.fn == NULL);
}

TEST(dynlib_missing_symbol_names_it)
{
    static struct dynlib_once once;
    static const struct dynlib_sym syms[] = {
        {"PQzhucunNoSuchFunction", offsetof(struct one_fn, fn)}};
    struct one_fn t = {0};
    struct zc_error err = {0};
    CHECK_INT_EQ(dynlib_load(&once, "libpq.so.5", "PostgreSQL", "libpq5", syms, 1, &t, &err),
                 ZC_EUNAVAILABLE);
    CHECK_CONTAINS(err.msg, "PQzhucunNoSuchFunction");
    CHECK_CONTAINS(err.msg, "libpq.so.5");
}

TEST(dynlib_real_libraries_load_whole)
{
    struct zc_error err = {0};
    CHECK_INT_EQ(pg_lib_load(&err), ZC_OK);
    CHECK_INT_EQ(mhd_lib_load(&err), ZC_OK);
    CHECK_INT_EQ(pdf_lib_load(&err), ZC_OK);
    /* Every pointer of each table is set (a NULL would crash on first call). */
    const void *const *p = (const void *const *)(const void *)&pg_lib;
    for (size_t i = 0; i < sizeof(pg_lib) / sizeof(void *); i++)
        CHECK(p[i] != NULL);
    p = (const void *const *)(const void *)&mhd_lib;
    for (size_t i = 0; i < sizeof(mhd_lib) / sizeof(void *); i++)
        CHECK(p[i] != NULL);
    p = (const void *const *)(const void *)&pdf_lib;
    for (size_t i = 0; i < sizeof(pdf_lib) / sizeof(void *); i++)
        CHECK(p[i] != NULL);
    /* Through the renamed calls, the library answers. */
    PQconninfoOption *o = PQconninfoParse("dbname=zhucun_probe", NULL);
    CHECK(o != NULL);
    PQconninfoFree(o);
}
