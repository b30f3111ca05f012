/* SPDX-License-Identifier: MIT */
/* scope.h - a jurisdiction as a value: what a caller may read and change.
 *
 * The HTTP layer builds one from the signed-in account, the CLI from
 * --scope (or "everywhere"); domain modules take it as an argument, bind
 * its bounds as query parameters and refuse a write outside it with
 * ZC_EFORBIDDEN. A division scope is the code range of a division
 * ([lo, hi] over 12-digit codes); a cadre scope is one person, who may
 * read and write only their own records. */
#ifndef ZC_SCOPE_H
#define ZC_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct zc_scope {
    int64_t lo, hi; /* 12-digit code range; 0..999999999999 = everywhere */
    int64_t cadre;  /* != 0: only this cadre's own records (-1: an account linked to none) */
    int level;      /* division level of the scope (0 = everywhere) */
    char unit[65];  /* a sending unit's staff (派出单位): the unit's code; such a scope has
                       no division (lo > hi, cadre -1) and sees only what a module offers
                       the sending unit (field_leave_list) */
};

/* Everywhere (the CLI without --scope, unscoped staff accounts). */
struct zc_scope zc_scope_all(void);
/* The division named by a 2..12-digit code; ZC_EINVAL for a bad code. */
int zc_scope_parse(const char *code, struct zc_scope *out, struct zc_error *err);
/* True if the 12-digit `code` lies inside the scope's range. */
bool zc_scope_has(const struct zc_scope *s, int64_t code);
/* Narrow `s` to the division `code` (2..12 digits): ZC_EFORBIDDEN when it
 * lies outside, ZC_EINVAL when it is not a code. */
int zc_scope_narrow(struct zc_scope *s, const char *code, struct zc_error *err);

#endif
