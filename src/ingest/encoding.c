/* SPDX-License-Identifier: MIT */
/* encoding.c - turning a CSV file's bytes into UTF-8.
 *
 * Excel on Chinese Windows saves "CSV" in GB18030 (GBK), newer Excel and WPS
 * save UTF-8 with a BOM, and "Unicode text" is UTF-16LE with a BOM. A BOM
 * decides; without one, valid UTF-8 is taken as UTF-8 and anything else is
 * converted from GB18030 with glibc's iconv. The one guess we refuse to make
 * is for text that is clearly UTF-8 (many well-formed multi-byte sequences)
 * but has a few broken bytes: converting it from GB18030 would turn every
 * Chinese character into nonsense without an error, so we report the byte
 * instead. */
#include "ingest_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong forms */
        unsigned char hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
        return n >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
        return n >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/* Skip ASCII eight bytes at a time: most of a roster is digits and commas. */
static size_t ascii_run(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull)
            break;
        i += 8;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

bool enc_utf8_valid(const char *s, size_t n, size_t *bad_off)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k;
        i += ascii_run(p + i, n - i);
        if (i >= n)
            break;
        k = utf8_seq_len(p + i, n - i);
        if (k == 0) {
            if (bad_off)
                *bad_off = i;
            return false;
        }
        i += k;
    }
    return true;
}

/* Counts of well-formed multi-byte sequences and of broken ones, for telling "GB18030" from
 * "damaged UTF-8". */
static void utf8_census(const unsigned char *p, size_t n, size_t *good, size_t *bad,
                        size_t *first_bad)
{
    size_t i = 0;
    *good = *bad = 0;
    *first_bad = SIZE_MAX;
    while (i < n) {
        size_t k;
        i += ascii_run(p + i, n - i);
        if (i >= n)
            break;
        k = utf8_seq_len(p + i, n - i);
        if (k == 0) {
            if (*first_bad == SIZE_MAX)
                *first_bad = i;
            (*bad)++;
            i++;
            while (i < n && (p[i] & 0xC0) == 0x80) /* the rest of a broken character */
                i++;
        } else {
            (*good)++;
            i += k;
        }
    }
}

/* Convert with iconv into a new buffer; on an invalid or truncated sequence
 * returns ZC_EINVAL and the offset of the byte where conversion stopped. */
static int convert(const char *from, const char *data, size_t size, struct enc_result *out,
                   size_t *bad_off, struct zc_error *err)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t cap = size + size / 2 + 16;
    char *dst;
    char *in = (char *)(uintptr_t)data; /* iconv's prototype is not const-correct */
    size_t inleft = size;
    char *o;
    size_t oleft;
    int rc = ZC_OK;

    if (cd == (iconv_t)-1)
        return zc_error_set(err, ZC_EIO, "no iconv converter from %s", from);
    dst = zc_malloc(cap);
    o = dst;
    oleft = cap - 1;
    while (inleft > 0) {
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            size_t used = (size_t)(o - dst);
            cap *= 2;
            dst = zc_realloc(dst, cap);
            o = dst + used;
            oleft = cap - used - 1;
            continue;
        }
        *bad_off = (size_t)(in - data);
        rc = zc_error_set(err, ZC_EINVAL,
                          errno == EINVAL ? "text ends inside a %s character"
                                          : "bytes that are neither UTF-8 nor valid %s",
                          from);
        break;
    }
    iconv_close(cd);
    if (rc != ZC_OK) {
        free(dst);
        return rc;
    }
    *o = '\0';
    out->owned = dst;
    out->p = dst;
    out->len = (size_t)(o - dst);
    out->source = from;
    return ZC_OK;
}

int enc_to_utf8(const char *data, size_t size, struct enc_result *out, size_t *bad_off,
                struct zc_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t good, bad, first_bad;

    memset(out, 0, sizeof(*out));
    *bad_off = 0;
    if (size >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        size_t off;
        if (!enc_utf8_valid(data + 3, size - 3, &off)) {
            *bad_off = off + 3;
            return zc_error_set(err, ZC_EINVAL,
                                "file says it is UTF-8 (it has a BOM) but has a byte that is "
                                "not UTF-8");
        }
        out->p = data + 3;
        out->len = size - 3;
        out->source = "UTF-8";
        return ZC_OK;
    }
    if (size >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return convert("UTF-16LE", data + 2, size - 2, out, bad_off, err);
    if (size >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return convert("UTF-16BE", data + 2, size - 2, out, bad_off, err);

    utf8_census(u, size, &good, &bad, &first_bad);
    if (bad == 0) {
        out->p = data;
        out->len = size;
        out->source = "UTF-8";
        return ZC_OK;
    }
    /* In GB18030 text only a minority of characters happen to form UTF-8
     * sequences; in damaged UTF-8 nearly all of them do. */
    if (good >= 4 && good >= 4 * bad) {
        *bad_off = first_bad;
        return zc_error_set(err, ZC_EINVAL,
                            "file is UTF-8 but has %zu invalid byte sequence%s; fix or "
                            "re-save the file",
                            bad, bad == 1 ? "" : "s");
    }
    return convert("GB18030", data, size, out, bad_off, err);
}
