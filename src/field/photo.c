/* SPDX-License-Identifier: MIT */
/* photo.c - photos as evidence of a check-in: type-checked by their magic
 * bytes, size-limited, stored once by content hash (SHA-256) with the
 * cadres who uploaded them, and served back only to a caller who may see a
 * check-in that carries them (or to the cadre who uploaded one). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "field_int.h"
#include "policy/policy.h"

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

/* ---- retention ------------------------------------------------------------------------ */

/* The day `months` months before `day` (the last day of the month when it
 * is shorter); false if `day` is not a date. */
static bool months_before(const char *day, int months, char out[11])
{
    int y, m, d, ndays;
    int64_t first;
    char ym[8];
    if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return false;
    m -= months;
    while (m < 1) {
        m += 12;
        y--;
    }
    snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
    if (!field_month_range(ym, &first, &ndays))
        return false;
    field_date_text(first + (d < ndays ? d : ndays) - 1, out);
    return true;
}

/* One photo as the pruning judges it. */
struct judged {
    char hash[65];
    int64_t bytes;
    bool referenced, needed;
    char newest[11]; /* the newest day of a record that carries it ("" none) */
};

struct prune_run {
    const struct field_policy_map *pm;
    const char *before, *today;
    struct judged *cut;
    size_t ncut, cap;
    struct field_photo_prune_report *rep;
};

/* Keep or mark photo `j` once all its rows are read. */
static void judge_done(struct prune_run *r, const struct judged *j, const char *created)
{
    bool cut;
    if (!j->hash[0])
        return;
    r->rep->photos++;
    if (j->referenced) {
        cut = !j->needed;
    } else { /* an upload no record carries: after its days of grace */
        char grace[11];
        int64_t t;
        field_date_days(r->today, &t);
        field_date_text(t - r->pm->base->field.photo_unattached_days, grace);
        cut =
            strncmp(created, grace, 10) < 0 && (!r->before || strncmp(created, r->before, 10) < 0);
    }
    if (!cut) {
        r->rep->kept++;
        r->rep->kept_bytes += j->bytes;
        return;
    }
    if (r->ncut == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->cut = zc_reallocarray(r->cut, r->cap, sizeof(*r->cut));
    }
    r->cut[r->ncut++] = *j;
}

/* A village's records on days up to `newest`: still within its policy's
 * retention (or after `before`)? */
static bool still_needed(const struct prune_run *r, int64_t village, const char *newest)
{
    const struct policy *p = field_policy_map_at(r->pm, village);
    char bound[11];
    if (p->field.photo_keep_months == 0 ||
        !months_before(r->today, p->field.photo_keep_months, bound))
        return true; /* kept for good */
    if (r->before && strcmp(r->before, bound) < 0)
        memcpy(bound, r->before, 11);
    return strcmp(newest, bound) >= 0;
}

static int judge_all(struct store *s, struct prune_run *r, struct zc_error *err)
{
    struct store_stmt *q = NULL;
    struct judged j = {0};
    char created[20] = "";
    bool row = false;
    int rc = field_prepare(s, FQ_PHOTO_REFS, &q, err);
    while (rc == ZC_OK && (rc = store_step(q, &row, err)) == ZC_OK && row) {
        const char *hash = store_col_text(q, 0);
        if (strcmp(hash, j.hash) != 0) {
            judge_done(r, &j, created);
            memset(&j, 0, sizeof(j));
            snprintf(j.hash, sizeof(j.hash), "%s", hash);
            j.bytes = store_col_int(q, 1);
            snprintf(created, sizeof(created), "%s", store_col_text(q, 2));
        }
        if (!store_col_is_null(q, 3)) {
            const char *day = store_col_text(q, 4);
            j.referenced = true;
            j.needed |= still_needed(r, store_col_int(q, 3), day);
            if (strcmp(day, j.newest) > 0)
                snprintf(j.newest, sizeof(j.newest), "%.10s", day);
        }
    }
    if (rc == ZC_OK)
        judge_done(r, &j, created);
    store_finalize(q);
    return rc;
}

/* Delete photo `j` unless a newer record carries it now; *gone tells. */
static int drop_one(struct store *s, struct store_stmt *owners, struct store_stmt *photo,
                    const struct judged *j, bool *gone, struct zc_error *err)
{
    char at[24];
    int rc;
    snprintf(at, sizeof(at), "%s%s", j->newest, j->newest[0] ? " 23:59:59" : "");
    store_reset(owners);
    store_bind_cstr(owners, 1, j->hash);
    store_bind_cstr(owners, 2, at);
    store_bind_cstr(owners, 3, j->newest);
    rc = store_run(owners, err);
    if (rc == ZC_OK) {
        store_reset(photo);
        store_bind_cstr(photo, 1, j->hash);
        store_bind_cstr(photo, 2, at);
        store_bind_cstr(photo, 3, j->newest);
        rc = store_run(photo, err);
    }
    *gone = rc == ZC_OK && store_changes(s) == 1;
    return rc;
}

int field_photo_prune(struct store *s, const struct field_policy_map *pm, const char *before,
                      bool dry_run, struct field_photo_prune_report *out, struct zc_error *err)
{
    struct store_stmt *owners = NULL, *photo = NULL;
    struct prune_run r = {.pm = pm, .before = before, .rep = out};
    char now[20];
    int64_t ignored;
    int rc;
    memset(out, 0, sizeof(*out));
    if (before && (strlen(before) != 10 || !field_date_days(before, &ignored)))
        return zc_error_set(err, ZC_EINVAL, "--before '%s' is not YYYY-MM-DD", before);
    field_now(now);
    now[10] = '\0';
    r.today = now;
    rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = judge_all(s, &r, err);
    if (rc == ZC_OK && !dry_run && r.ncut) {
        rc = field_prepare(s, FQ_PHOTO_OWNERS_DROP, &owners, err);
        if (rc == ZC_OK)
            rc = field_prepare(s, FQ_PHOTO_DROP, &photo, err);
    }
    for (size_t i = 0; rc == ZC_OK && i < r.ncut; i++) {
        const struct judged *j = &r.cut[i];
        bool gone = true;
        if (!dry_run)
            rc = drop_one(s, owners, photo, j, &gone, err);
        if (rc != ZC_OK)
            break;
        if (!gone) {
            out->raced++;
            out->kept++;
            out->kept_bytes += j->bytes;
        } else if (j->referenced) {
            out->expired++;
            out->expired_bytes += j->bytes;
        } else {
            out->unattached++;
            out->unattached_bytes += j->bytes;
        }
    }
    store_finalize(owners);
    store_finalize(photo);
    free(r.cut);
    if (rc == ZC_OK && !dry_run)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}
