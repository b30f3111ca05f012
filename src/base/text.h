/* SPDX-License-Identifier: MIT */
/* text.h - stored text that is safe to print.
 *
 * Names that come from outside (import file names, policy names, skill
 * names) are refused when they hold control characters, and every listing
 * that prints stored text escapes them anyway (older rows, other doors): an
 * escape sequence or a CR/LF in a name must not clear an auditor's screen or
 * forge rows in `audit list`. */
#ifndef ZC_TEXT_H
#define ZC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True if `s` is valid UTF-8 without control characters: no C0 (U+0000 to
 * U+001F, tab and newline included), DEL or C1 (U+0080 to U+009F), nor the
 * format characters that reorder, break or hide text (bidi overrides and
 * isolates, U+2028/U+2029, zero widths, U+FEFF): "ev\u202eil" shows as
 * another name, a U+2028 ends a row in some viewers. */
bool text_is_clean(const char *s);

/* `s` for a terminal, into out[n]: control characters and bytes that are
 * not valid UTF-8 as \xNN, the backslash as \\ (so that an escape cannot be
 * forged); truncated to fit, never in the middle of a character or an
 * escape. Returns out. NULL prints as "". */
const char *text_escape(const char *s, char *out, size_t n);

#endif
