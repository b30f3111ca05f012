/* SPDX-License-Identifier: MIT */
/* text.c - control characters refused on input and escaped on output. */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if it is not one.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* A control character: C0, DEL, or C1 (U+0080-U+009F: 0xc2 0x80-0x9f);
 * or a format character that reorders, breaks or hides text in a listing:
 * U+061C, U+200B-U+200F (zero widths, LRM, RLM), U+2028-U+202E (line and
 * paragraph separators, bidi embeddings and overrides), U+2060-U+2069 (word
 * joiner, bidi isolates), U+FEFF. */
static bool is_control(const unsigned char *p, size_t len)
{
    if (len == 1)
        return p[0] < 0x20 || p[0] == 0x7f;
    if (len == 2)
        return (p[0] == 0xc2 && p[1] < 0xa0) || (p[0] == 0xd8 && p[1] == 0x9c);
    if (len == 3 && p[0] == 0xe2 && p[1] == 0x80)
        return (p[2] >= 0x8b && p[2] <= 0x8f) || (p[2] >= 0xa8 && p[2] <= 0xae);
    if (len == 3 && p[0] == 0xe2 && p[1] == 0x81)
        return p[2] >= 0xa0 && p[2] <= 0xa9;
    return len == 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf;
}

bool text_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!s)
        return true;
    while (*p) {
        size_t len = utf8_len(p);
        if (len == 0 || is_control(p, len))
            return false;
        p += len;
    }
    return true;
}

const char *text_escape(const char *s, char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t o = 0;
    if (n == 0)
        return out;
    while (*p) {
        size_t len = utf8_len(p);
        char esc[8];
        const char *piece;
        size_t plen;
        if (len == 0 || is_control(p, len)) {
            snprintf(esc, sizeof(esc), "\\x%02x", p[0]);
            piece = esc;
            plen = 4;
            len = 1;
        } else if (p[0] == '\\') {
            piece = "\\\\";
            plen = 2;
        } else {
            piece = (const char *)p;
            plen = len;
        }
        if (o + plen + 1 > n)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        p += len;
    }
    out[o] = '\0';
    return out;
}
