/* SPDX-License-Identifier: MIT */
/* dynlib.h - load an optional shared library when it is first needed.
 *
 * Every zhucun command used to start with 67 shared libraries mapped and
 * relocated: libpq (and Kerberos, LDAP, GnuTLS behind it), libmicrohttpd,
 * pango and cairo (and glib, harfbuzz, fontconfig, X11 behind them). Most
 * commands need none of them: a `villages list` on SQLite spent most of its
 * 25 ms in the dynamic loader (70 ms under ASan, 115 ms with its leak check
 * scanning every library's globals at exit). So the three are opened with
 * dlopen by the module that uses them, on first use:
 *
 *   src/store/pg_lib.h     libpq.so.5              (a postgresql:// store)
 *   src/http/mhd_lib.h     libmicrohttpd.so.12     (zhucun serve)
 *   src/report/pdf_lib.h   libpangocairo-1.0.so.0  (a PDF bulletin)
 *
 * Each of those headers lists the functions its module calls (an X-macro),
 * declares a table of pointers typed from the library's own prototypes
 * (__typeof__, so a wrong signature cannot compile), and renames the calls
 * to go through the table; the module's code reads as plain libpq, MHD or
 * pango. A function the list lacks is a link error, not a crash: the
 * library is no longer linked. */
#ifndef ZC_DYNLIB_H
#define ZC_DYNLIB_H

#include <stddef.h>

#include "base/err.h"

struct dynlib_sym {
    const char *name; /* the symbol, as the library exports it */
    size_t offset;    /* where its pointer goes in the caller's table */
};

/* Open `soname` and fill `table` with the `n` symbols of `syms`. Thread
 * safe and done once per `once`: the first caller loads, the others wait;
 * all see the same result. On failure `err` names the library, what needs
 * it (`what`, e.g. "PostgreSQL") and the package that has it. */
struct dynlib_once {
    int state; /* 0 not tried, 1 loaded, -1 failed */
    char msg[sizeof(((struct zc_error *)0)->msg)];
};

int dynlib_load(struct dynlib_once *once, const char *soname, const char *what, const char *package,
                const struct dynlib_sym *syms, size_t n, void *table, struct zc_error *err);

#endif
