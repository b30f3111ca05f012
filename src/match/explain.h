/* SPDX-License-Identifier: MIT */
/* explain.h - why a stored plan is what it is (explain.c): a cadre's
 * assignment with the score by rule, or why not sent; why a cadre is not
 * in a village; every slot of a village. */
#ifndef ZC_EXPLAIN_H
#define ZC_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

struct store;

/* Explain cadre `id_number` in plan `plan` (assignment with the score by
 * rule, or why not sent), or, with `why_not` != 0, why that cadre is not in
 * village `why_not`. Writes human text to `out`. */
int explain_cadre(struct store *s, int64_t plan, const char *id_number, int64_t why_not, bool json,
                  FILE *out, struct zc_error *err);

/* Explain every slot of `village` in plan `plan`. */
int explain_village(struct store *s, int64_t plan, int64_t village, bool json, FILE *out,
                    struct zc_error *err);

#endif
