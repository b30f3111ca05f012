/* SPDX-License-Identifier: MIT */
/* audit.c - the hash-chained audit log.
 *
 * The chain head is read inside the write transaction (BEGIN IMMEDIATE), so
 * two processes appending at once (the server and a CLI import) still form
 * one chain. The canonical form is built with jansson (sorted keys, compact,
 * no floating point), so it is stable across versions of this program.
 * Verification re-derives every hash from the rows; it cannot tell a removed
 * *last* entry from one never written, which is why audit_head keeps the
 * count and the newest hash as a second copy. */
#include "audit.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "auth_int.h"
#include "store/store.h"

static const char zero_hash[AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* A field's value in the canonical form: the string itself when it is valid
 * UTF-8 (so entries written before this rule keep their hashes), else
 * {"hex": every byte in hex}, so that no byte of any field escapes the
 * hash. */
static json_t *str_or_null(const char *s)
{
    json_t *j;
    char *hex;
    size_t n;
    if (!s)
        return json_null();
    j = json_string(s);
    if (j)
        return j;
    n = strlen(s);
    hex = malloc(2 * n + 1);
    if (!hex)
        return NULL;
    sodium_bin2hex(hex, 2 * n + 1, (const unsigned char *)s, n);
    j = json_pack("{s:s}", "hex", hex);
    free(hex);
    return j;
}

void audit_entry_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX + 1])
{
    crypto_generichash_state h;
    unsigned char d[32];
    json_t *o = json_object();
    char *canon;
    json_object_set_new(o, "seq", json_integer(e->seq));
    json_object_set_new(o, "at", json_string(e->at));
    json_object_set_new(o, "actor", str_or_null(e->actor));
    json_object_set_new(o, "addr", str_or_null(e->addr));
    json_object_set_new(o, "action", str_or_null(e->action));
    json_object_set_new(o, "target", str_or_null(e->target));
    json_object_set_new(o, "division", json_integer(e->division));
    json_object_set_new(o, "old", str_or_null(e->old_json));
    json_object_set_new(o, "new", str_or_null(e->new_json));
    canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(o);
    crypto_generichash_init(&h, NULL, 0, sizeof(d));
    crypto_generichash_update(&h, (const unsigned char *)e->prev, strlen(e->prev));
    crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
    if (canon)
        crypto_generichash_update(&h, (const unsigned char *)canon, strlen(canon));
    crypto_generichash_final(&h, d, sizeof(d));
    free(canon);
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, d, sizeof(d));
}

static void now_ms(char out[32])
{
    struct timeval tv;
    struct tm tm;
    char sec[24];
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03dZ", sec, (int)(tv.tv_usec / 1000));
}

/* The MAC key, read once per process from the file ZHUCUN_AUDIT_KEY names. */
static struct {
    pthread_once_t once;
    bool have;             /* a key is configured and was read */
    unsigned char key[32]; /* BLAKE2b-256 of the file's bytes */
    struct zc_error err;   /* why it could not be read */
} mac_key = {.once = PTHREAD_ONCE_INIT};

static void key_read(void)
{
    const char *path = getenv("ZHUCUN_AUDIT_KEY");
    unsigned char buf[4096];
    crypto_generichash_state h;
    size_t n, total = 0;
    FILE *f;
    if (!path || !*path)
        return;
    f = fopen(path, "rb");
    if (!f) {
        zc_error_set(&mac_key.err, ZC_EIO,
                     "ZHUCUN_AUDIT_KEY names %s, which cannot be read (%s); the audit record "
                     "is not written without its key",
                     path, strerror(errno));
        return;
    }
    crypto_generichash_init(&h, NULL, 0, sizeof(mac_key.key));
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        crypto_generichash_update(&h, buf, n);
        total += n;
    }
    fclose(f);
    sodium_memzero(buf, sizeof(buf));
    crypto_generichash_final(&h, mac_key.key, sizeof(mac_key.key));
    if (total < 32) {
        sodium_memzero(mac_key.key, sizeof(mac_key.key));
        zc_error_set(&mac_key.err, ZC_EINVAL,
                     "the audit key %s holds %zu bytes; it needs at least 32 (head -c 32 "
                     "/dev/urandom > %s)",
                     path, total, path);
        return;
    }
    mac_key.have = true;
}

int audit_key(bool *have, struct zc_error *err)
{
    pthread_once(&mac_key.once, key_read);
    *have = mac_key.have;
    if (mac_key.err.code != ZC_OK)
        return zc_error_set(err, mac_key.err.code, "%s", mac_key.err.msg);
    return ZC_OK;
}

static void entry_mac(const char hash[AUDIT_HASH_HEX + 1], char out[AUDIT_HASH_HEX + 1])
{
    static const char label[] = "zhucun-audit-mac-v1\n";
    crypto_generichash_state h;
    unsigned char d[32];
    crypto_generichash_init(&h, mac_key.key, sizeof(mac_key.key), sizeof(d));
    crypto_generichash_update(&h, (const unsigned char *)label, sizeof(label) - 1);
    crypto_generichash_update(&h, (const unsigned char *)hash, strlen(hash));
    crypto_generichash_final(&h, d, sizeof(d));
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, d, sizeof(d));
}

/* The chain is one sequence: reading its tail and appending after it must
 * not interleave with another writer's. On SQLite the write transaction
 * already excludes other writers; on PostgreSQL concurrent transactions
 * would read the same tail and one would fail on the primary key, so the
 * append takes a lock held until the transaction commits (store_lock: an
 * advisory lock, not a lock on audit_head's row, because the head row does
 * not exist before the first entry and SQLite has no SELECT ... FOR UPDATE;
 * readers of the log are never blocked by it). */
int audit_append(struct store *s, struct audit_entry *e, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false, keyed = false, prev_keyed = false;
    int rc = audit_key(&keyed, err);
    if (rc != ZC_OK)
        return rc;
    rc = store_begin(s, err); /* the caller's transaction, as a savepoint */
    if (rc != ZC_OK)
        return rc;
    rc = store_lock(s, "zhucun.audit_chain", err);
    if (rc == ZC_OK)
        rc = store_prepare(s, audit_sql_last, &st, err);
    if (rc == ZC_OK)
        rc = store_step(st, &row, err);
    if (rc == ZC_OK) {
        e->seq = row ? store_col_int(st, 0) + 1 : 1;
        snprintf(e->prev, sizeof(e->prev), "%s", row ? store_col_text(st, 1) : zero_hash);
        prev_keyed = row && !store_col_is_null(st, 2);
    }
    store_finalize(st);
    st = NULL;
    if (rc == ZC_OK && prev_keyed && !keyed)
        rc = zc_error_set(err, ZC_EINVAL,
                          "the audit record is keyed (its entries carry a MAC), so it is not "
                          "extended without the key: set ZHUCUN_AUDIT_KEY to the key file");
    if (rc == ZC_OK) {
        if (!e->at[0])
            now_ms(e->at);
        audit_entry_hash(e, e->hash);
        e->mac[0] = '\0';
        if (keyed)
            entry_mac(e->hash, e->mac);
        rc = store_prepare(s, audit_sql_insert, &st, err);
    }
    if (rc == ZC_OK) {
        store_bind_int(st, 1, e->seq);
        store_bind_cstr(st, 2, e->at);
        store_bind_cstr(st, 3, e->actor ? e->actor : "");
        store_bind_cstr(st, 4, e->addr ? e->addr : "");
        store_bind_cstr(st, 5, e->action ? e->action : "");
        store_bind_cstr(st, 6, e->target ? e->target : "");
        store_bind_int(st, 7, e->division);
        store_bind_cstr(st, 8, e->old_json);
        store_bind_cstr(st, 9, e->new_json);
        store_bind_cstr(st, 10, e->prev);
        store_bind_cstr(st, 11, e->hash);
        store_bind_cstr(st, 12, e->mac[0] ? e->mac : NULL);
        rc = store_run(st, err);
    }
    store_finalize(st);
    st = NULL;
    if (rc == ZC_OK)
        rc = store_prepare(s, audit_sql_head_put, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, e->seq);
        store_bind_cstr(st, 2, e->hash);
        rc = store_run(st, err);
    }
    store_finalize(st);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static void read_entry(struct store_stmt *st, struct audit_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->seq = store_col_int(st, 0);
    snprintf(e->at, sizeof(e->at), "%s", store_col_text(st, 1));
    e->actor = store_col_text(st, 2);
    e->addr = store_col_text(st, 3);
    e->action = store_col_text(st, 4);
    e->target = store_col_text(st, 5);
    e->division = store_col_int(st, 6);
    e->old_json = store_col_is_null(st, 7) ? NULL : store_col_text(st, 7);
    e->new_json = store_col_is_null(st, 8) ? NULL : store_col_text(st, 8);
    snprintf(e->prev, sizeof(e->prev), "%s", store_col_text(st, 9));
    snprintf(e->hash, sizeof(e->hash), "%s", store_col_text(st, 10));
    snprintf(e->mac, sizeof(e->mac), "%s", store_col_text(st, 11));
}

int audit_verify(struct store *s, struct audit_verify_result *res, struct zc_error *err)
{
    return audit_verify_expect(s, NULL, res, err);
}

int audit_verify_expect(struct store *s, const char *expect, struct audit_verify_result *res,
                        struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char expect_prev[AUDIT_HASH_HEX + 1];
    int64_t expect_seq = 1, head_seq = 0;
    bool row = true;
    int rc;

    bool keyed = false;
    memset(res, 0, sizeof(*res));
    memcpy(expect_prev, zero_hash, sizeof(expect_prev));
    rc = audit_key(&keyed, err);
    res->mac_checked = keyed;
    if (rc == ZC_OK)
        rc = store_prepare(s, audit_sql_all, &st, err);
    while (rc == ZC_OK) {
        struct audit_entry e;
        char h[AUDIT_HASH_HEX + 1];
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        read_entry(st, &e);
        audit_entry_hash(&e, h);
        if (e.seq != expect_seq) {
            res->bad_seq = expect_seq;
            snprintf(res->problem, sizeof(res->problem),
                     "entry %lld was removed (the next entry present is %lld)",
                     (long long)expect_seq, (long long)e.seq);
            break;
        }
        if (strcmp(h, e.hash) != 0) {
            res->bad_seq = e.seq;
            snprintf(res->problem, sizeof(res->problem),
                     "entry %lld was altered (its content does not match its hash)",
                     (long long)e.seq);
            break;
        }
        if (strcmp(e.prev, expect_prev) != 0) {
            res->bad_seq = e.seq;
            snprintf(res->problem, sizeof(res->problem),
                     "entry %lld does not follow entry %lld (entries were reordered, removed or "
                     "rewritten)",
                     (long long)e.seq, (long long)e.seq - 1);
            break;
        }
        if (e.mac[0]) {
            char m[AUDIT_HASH_HEX + 1];
            if (!res->keyed_from)
                res->keyed_from = e.seq;
            res->macs++;
            if (keyed)
                entry_mac(e.hash, m);
            if (keyed &&
                (strlen(e.mac) != AUDIT_HASH_HEX || sodium_memcmp(m, e.mac, AUDIT_HASH_HEX) != 0)) {
                res->bad_seq = e.seq;
                snprintf(res->problem, sizeof(res->problem),
                         "entry %lld does not carry the MAC of the key: the chain was rewritten "
                         "by someone without the key (or the key is not the record's)",
                         (long long)e.seq);
                break;
            }
        } else if (res->keyed_from) {
            res->bad_seq = e.seq;
            snprintf(res->problem, sizeof(res->problem),
                     "entry %lld has no MAC though entry %lld has one: written without the key "
                     "or its MAC was stripped",
                     (long long)e.seq, (long long)res->keyed_from);
            break;
        }
        if (expect && !res->anchor_seq && strcmp(e.hash, expect) == 0)
            res->anchor_seq = e.seq;
        memcpy(expect_prev, e.hash, sizeof(expect_prev));
        expect_seq++;
        res->entries++;
    }
    store_finalize(st);
    st = NULL;
    if (rc != ZC_OK || res->bad_seq)
        return rc;
    if (keyed && res->entries > 0 && res->macs == 0) {
        res->bad_seq = 1;
        snprintf(res->problem, sizeof(res->problem),
                 "no entry carries a MAC although a key is configured: the record was written "
                 "without the key, or its MACs were stripped");
        return rc;
    }
    /* The head row catches entries cut off at the end. */
    rc = store_prepare(s, audit_sql_head_get, &st, err);
    if (rc == ZC_OK)
        rc = store_step(st, &row, err);
    if (rc == ZC_OK && row) {
        head_seq = store_col_int(st, 0);
        if (head_seq != res->entries || strcmp(store_col_text(st, 1), expect_prev) != 0) {
            res->bad_seq = res->entries + 1;
            snprintf(res->problem, sizeof(res->problem),
                     "the log ends at entry %lld but the head records entry %lld: entries at the "
                     "end were removed or the head was altered",
                     (long long)res->entries, (long long)head_seq);
        }
    } else if (rc == ZC_OK && res->entries > 0) {
        res->bad_seq = 1;
        snprintf(res->problem, sizeof(res->problem), "the head of the log was removed");
    }
    store_finalize(st);
    if (rc == ZC_OK && !res->bad_seq) {
        memcpy(res->head, expect_prev, sizeof(res->head));
        res->head_seq = res->entries;
        if (expect && strcmp(expect, zero_hash) == 0)
            res->anchor_found = true; /* the empty chain's head: every chain extends it */
        else if (expect)
            res->anchor_found = res->anchor_seq > 0;
    }
    return rc;
}

int audit_list(struct store *s, int64_t limit, int64_t lo, int64_t hi, const char *action_prefix,
               void (*fn)(void *ud, const struct audit_entry *e), void *ud, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = true;
    int rc;
    /* Newest `limit` first in the inner query, then oldest first. */
    rc = store_prepare(s, audit_sql_list, &st, err);
    if (rc == ZC_OK) {
        const char *ap = action_prefix ? action_prefix : "";
        store_bind_int(st, 1, lo);
        store_bind_int(st, 2, hi);
        store_bind_int(st, 3, lo);
        store_bind_int(st, 4, hi);
        store_bind_cstr(st, 5, ap);
        store_bind_cstr(st, 6, ap);
        store_bind_cstr(st, 7, ap);
        store_bind_int(st, 8, limit > 0 ? limit : -1);
    }
    while (rc == ZC_OK) {
        struct audit_entry e;
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        read_entry(st, &e);
        fn(ud, &e);
    }
    store_finalize(st);
    return rc;
}

int audit_count(struct store *s, const char *action, const char *target, int64_t *n,
                struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, audit_sql_count, &st, err);
    *n = 0;
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, action);
        store_bind_cstr(st, 2, target);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row)
        *n = store_col_int(st, 0);
    store_finalize(st);
    return rc;
}
