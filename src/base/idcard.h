/* SPDX-License-Identifier: MIT */
/* idcard.h - resident identity card numbers (GB 11643-1999).
 *
 * An 18-character number: 6-digit division code at the time of issue,
 * 8-digit birth date, 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check
 * character (0-9 or X). Only the 2-digit province prefix is checked against
 * the list of provinces: county codes change and old ones stay valid. */
#ifndef ZC_IDCARD_H
#define ZC_IDCARD_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define IDCARD_LEN 18

/* The check character for the first 17 digits of `id` ('0'-'9' or 'X'). */
char idcard_check_char(const char *id17);

/* Validate `s` (length n). On success writes the normalised number (upper-case
 * X, NUL-terminated) to out[IDCARD_LEN + 1] and returns ZC_OK; a 15-digit
 * first-generation number is converted to 18. On failure returns ZC_EINVAL
 * with a message that says what is wrong. */
int idcard_normalize(const char *s, size_t n, char out[IDCARD_LEN + 1], struct zc_error *err);

/* Birth date as YYYYMMDD from a valid normalised number. */
int idcard_birth_yyyymmdd(const char *id18);

/* True if the 17th digit is odd. */
bool idcard_is_male(const char *id18);

/* Mask for display and export: 4501**********001X (first 4 and last 4 kept).
 * `out` must hold at least n + 1 bytes. Strings shorter than 9 bytes are
 * masked whole. */
void idcard_mask(const char *s, char *out, size_t outsz);

#endif
