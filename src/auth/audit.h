/* SPDX-License-Identifier: MIT */
/* audit.h - the tamper-evident record (全程纪实): an append-only log of every
 * write, each entry chained to the previous one by a hash.
 *
 * hash(n) = hex BLAKE2b-256(hash(n-1) "\n" canonical(n)), with hash(0) = 64
 * zeros and canonical(n) the entry's fields (seq included) as compact JSON
 * with sorted keys. Editing, deleting or reordering rows breaks the chain at
 * the first touched entry, which audit_verify() reports. Entries are
 * appended inside the writer's transaction, so an entry exists exactly when
 * its change was committed. */
#ifndef ZC_AUDIT_H
#define ZC_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store;

#define AUDIT_HASH_HEX 64

struct audit_entry {
    int64_t seq;                   /* 1, 2, ... (assigned by audit_append) */
    char at[32];                   /* UTC, 2026-11-22T10:02:03.120Z (assigned when empty) */
    const char *actor;             /* account name, or "cli:USER" */
    const char *addr;              /* client address, or "local" */
    const char *action;            /* "village.update", "import.cadres", "user.add", ... */
    const char *target;            /* the record's key */
    int64_t division;              /* division the entry concerns (scoped reads), 0 = none */
    const char *old_json;          /* the record before (JSON text) or NULL */
    const char *new_json;          /* the record after (JSON text) or NULL */
    char prev[AUDIT_HASH_HEX + 1]; /* hash of the previous entry */
    char hash[AUDIT_HASH_HEX + 1]; /* this entry's hash */
    char mac[AUDIT_HASH_HEX + 1];  /* keyed MAC of the hash, "" when written without a key */
};

/* The keyed MAC (issue 17). When the environment names a key file in
 * ZHUCUN_AUDIT_KEY (at least 32 bytes, kept outside the database, readable
 * by the server and the CLI only), every appended entry also carries
 * mac = BLAKE2b-256 keyed with BLAKE2b-256(file)("zhucun-audit-mac-v1\n" hash).
 * The hash chains every earlier entry, so one good MAC vouches for the
 * whole chain up to it: whoever can write the database but has not the key
 * can no longer recompute the chain after an edit, nor strip the MACs (an
 * entry without a MAC after one with a MAC fails, as does a keyed verify
 * of a record with no MAC at all). Cutting entries off the end still
 * passes (the remaining MACs are good): the anchor (audit head) covers
 * that. Once entries carry MACs, appending without the key is refused.
 * Returns ZC_OK with *have false when no key is configured; an error when
 * the variable names a file that cannot be read or is too short. */
int audit_key(bool *have, struct zc_error *err);

/* Append `e` (seq, at, prev and hash are filled in). Must run inside the
 * caller's write transaction (store_begin), which also holds the change
 * the entry records; on error the caller rolls back. */
int audit_append(struct store *s, struct audit_entry *e, struct zc_error *err);

/* The hash of `e` given e->prev (used by append and verify; exposed for tests). */
void audit_entry_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX + 1]);

struct audit_verify_result {
    int64_t entries;   /* entries checked */
    int64_t bad_seq;   /* first entry that was altered, removed or reordered; 0 = intact */
    char problem[256]; /* what is wrong with it */
    char head[AUDIT_HASH_HEX + 1]; /* hash of the last entry when intact (zeros when empty) */
    int64_t head_seq;              /* its sequence number when intact */
    int64_t anchor_seq;            /* audit_verify_expect: the entry whose hash is `expect` */
    bool anchor_found;             /* audit_verify_expect: intact and `expect` is in the chain */
    bool mac_checked;              /* a key was configured and every MAC was checked */
    int64_t keyed_from;            /* the first entry with a MAC (0 = none) */
    int64_t macs;                  /* entries carrying a MAC */
};

/* Walk the whole chain. Returns ZC_OK whether or not the chain is intact
 * (see res->bad_seq); errors are storage errors. */
int audit_verify(struct store *s, struct audit_verify_result *res, struct zc_error *err);

/* audit_verify, and also look for the entry whose hash is `expect` (64
 * lowercase hex, a head printed earlier by `zhucun audit head` and kept
 * outside the database; NULL = none): res->anchor_found is set when the
 * chain is intact and still holds that entry (or `expect` is 64 zeros, the
 * empty chain's head). A chain cut back below the anchor, or recomputed
 * after an edit at or before it, no longer holds it: that is what the
 * anchor adds to the unkeyed chain, whose hashes anyone able to write the
 * file could recompute. */
int audit_verify_expect(struct store *s, const char *expect, struct audit_verify_result *res,
                        struct zc_error *err);

/* *n receives how many entries have this action and target (to record a
 * one-time event once, such as the schema version `zhucun init` made). */
int audit_count(struct store *s, const char *action, const char *target, int64_t *n,
                struct zc_error *err);

/* Call fn for the newest `limit` entries (0 = all), oldest first, in scope
 * [lo, hi] of division codes unless lo == 0 && hi == 0; `action_prefix`
 * (may be NULL) filters by action. Borrowed strings live for the call. */
int audit_list(struct store *s, int64_t limit, int64_t lo, int64_t hi, const char *action_prefix,
               void (*fn)(void *ud, const struct audit_entry *e), void *ud, struct zc_error *err);

#endif
