/* SPDX-License-Identifier: MIT */
/* photo.c - photos as evidence of a check-in: type-checked by their magic
 * bytes, size-limited, stored once by content hash (SHA-256) with the
 * cadres who uploaded them, and served back only to a caller who may see a
 * check-in that carries them (or to the cadre who uploaded one). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "field_int.h"

const char *field_photo_type(const void *data, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    const unsigned char *p = data;
    if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "image/jpeg"; /* SOI then a marker */
    if (n >= 8 + 8 && memcmp(p, png, 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0)
        return "image/png";
    return NULL;
}

static bool hash_ok(const char *h)
{
    if (!h || strlen(h) != 64)
        return false;
    for (const char *c = h; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

int field_photo_add(struct store *s, const struct zc_scope *scope, int64_t cadre, const void *data,
                    size_t n, struct field_photo_put *out, struct zc_error *err)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    struct store_stmt *q = NULL;
    char now[20], *b64;
    size_t b64n;
    bool row = false;
    int rc;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return zc_error_set(err, ZC_EINVAL, "the photo is empty: send the picture's bytes");
    if (n > FIELD_PHOTO_MAX_BYTES)
        return zc_error_set(err, ZC_ETOOBIG,
                            "the photo has %zu bytes; at most %u are kept: take it at a lower "
                            "resolution",
                            n, FIELD_PHOTO_MAX_BYTES);
    out->mime = field_photo_type(data, n);
    if (!out->mime)
        return zc_error_set(err, ZC_EINVAL,
                            "the file is not a JPEG or PNG picture (judged by its first bytes)");
    rc = field_check_cadre_scope(s, scope, cadre, &out->village, err);
    if (rc != ZC_OK)
        return rc;
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out->hash, sizeof(out->hash), h, sizeof(h));
    field_now(now);
    b64n = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    b64 = zc_malloc(b64n);
    sodium_bin2base64(b64, b64n, data, n, sodium_base64_VARIANT_ORIGINAL);
    rc = field_prepare(s, FQ_PHOTO_INSERT, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, out->hash);
        store_bind_cstr(q, 2, out->mime);
        store_bind_int(q, 3, (int64_t)n);
        store_bind_cstr(q, 4, b64);
        store_bind_cstr(q, 5, now);
        rc = store_step(q, &row, err);
        out->created = rc == ZC_OK && row;
    }
    store_finalize(q);
    free(b64);
    q = NULL;
    if (rc == ZC_OK)
        rc = field_prepare(s, FQ_PHOTO_OWN, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, out->hash);
        store_bind_int(q, 2, cadre);
        store_bind_cstr(q, 3, now);
        rc = store_run(q, err);
    }
    store_finalize(q);
    return rc;
}

int field_photo_get(struct store *s, const struct zc_scope *scope, const char *hash,
                    unsigned char **data, size_t *n, char mime[16], struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc;
    *data = NULL;
    *n = 0;
    if (!hash_ok(hash))
        return zc_error_set(err, ZC_ENOTFOUND, "no photo %s", hash ? hash : "");
    rc = field_prepare(s, FQ_PHOTO_VISIBLE, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, hash);
        store_bind_int(q, 2, scope->lo);
        store_bind_int(q, 3, scope->hi);
        field_bind_cadres(q, 4, scope);
        store_bind_int(q, 6, scope->cadre > 0 ? scope->cadre : -1);
        rc = store_step(q, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no photo %s on a check-in you may see", hash);
    if (rc == ZC_OK) {
        const char *b64 = store_col_text(q, 1);
        size_t len = strlen(b64);
        snprintf(mime, 16, "%s", store_col_text(q, 0));
        *data = zc_malloc(len / 4 * 3 + 3);
        if (sodium_base642bin(*data, len / 4 * 3 + 3, b64, len, NULL, n, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0) {
            free(*data);
            *data = NULL;
            rc = zc_error_set(err, ZC_ESTORE, "photo %s is damaged in the database", hash);
        }
    }
    store_finalize(q);
    return rc;
}

int field_photo_owned(struct store *s, const char *hash, int64_t cadre, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = field_prepare(s, FQ_PHOTO_OWNED, &q, err);
    if (rc == ZC_OK) {
        store_bind_cstr(q, 1, hash);
        store_bind_int(q, 2, cadre);
        rc = store_step(q, &row, err);
    }
    store_finalize(q);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_EINVAL,
                          "photo %.64s was not uploaded by this cadre: send the picture to "
                          "/api/v1/field/photos first and give the hash it answers",
                          hash);
    return rc;
}
