/* SPDX-License-Identifier: MIT */
/* dynlib.c - dlopen on first use (dynlib.h). */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

static pthread_mutex_t dynlib_mu = PTHREAD_MUTEX_INITIALIZER;

static int load(struct dynlib_once *once, const char *soname, const char *what, const char *package,
                const struct dynlib_sym *syms, size_t n, void *table)
{
    struct zc_error e;
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        zc_error_set(&e, ZC_EUNAVAILABLE, "%s needs %s (Debian package %s): %s", what, soname,
                     package, why ? why : "not found");
        memcpy(once->msg, e.msg, sizeof(once->msg));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        void *p = dlsym(h, syms[i].name);
        if (!p) {
            zc_error_set(&e, ZC_EUNAVAILABLE,
                         "%s needs %s from %s (Debian package %s), which lacks it", what,
                         syms[i].name, soname, package);
            memcpy(once->msg, e.msg, sizeof(once->msg));
            return -1; /* the handle stays open: harmless, and dlclose may not unload */
        }
        /* POSIX: a function pointer and void * have the same representation. */
        memcpy((char *)table + syms[i].offset, &p, sizeof(p));
    }
    return 1;
}

int dynlib_load(struct dynlib_once *once, const char *soname, const char *what, const char *package,
                const struct dynlib_sym *syms, size_t n, void *table, struct zc_error *err)
{
    int state;
    pthread_mutex_lock(&dynlib_mu);
    if (once->state == 0)
        once->state = load(once, soname, what, package, syms, n, table);
    state = once->state;
    pthread_mutex_unlock(&dynlib_mu);
    if (state == 1)
        return ZC_OK;
    return zc_error_set(err, ZC_EUNAVAILABLE, "%s", once->msg);
}
