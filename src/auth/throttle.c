/* SPDX-License-Identifier: MIT */
/* throttle.c - failed logins per account and per address, as a growing
 * delay kept in the database.
 *
 * A key ("user:NAME", "addr:ADDRESS") counts attempts. The count is taken
 * *before* the password is checked, so that parallel guesses cannot all be
 * checked against the same count: past the limit, each further failure
 * makes the key wait, first lim->delay seconds, then twice as long each
 * time, at most lim->window. While a key waits, attempts are refused
 * without checking the password and are not counted. A key forgets its
 * count after a whole window with no attempt and no wait. The state is in
 * the database, so several servers on one database share it. */
#include <string.h>

#include "auth_int.h"
#include "store/store.h"

int64_t throttle_delay(const struct auth_limits *lim, int64_t over)
{
    int64_t d = lim->delay > 0 ? lim->delay : 1;
    for (int64_t i = 0; i < over && d < lim->window; i++)
        d *= 2;
    return d < lim->window ? d : lim->window;
}

struct throttle_row {
    bool exists;
    int64_t failures, last_at, wait_until;
};

static int row_get(struct store *s, const char *key, struct throttle_row *r, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, auth_sql_throttle_get, &st, err);
    memset(r, 0, sizeof(*r));
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        rc = store_step(st, &r->exists, err);
    }
    if (rc == ZC_OK && r->exists) {
        r->failures = store_col_int(st, 0);
        r->last_at = store_col_int(st, 1);
        r->wait_until = store_col_int(st, 2);
    }
    store_finalize(st);
    return rc;
}

/* Write `nw` over `old` if the row is still `old`; *done tells. */
static int row_swap(struct store *s, const char *key, const struct throttle_row *old,
                    const struct throttle_row *nw, bool *done, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc =
        store_prepare(s, old->exists ? auth_sql_throttle_swap : auth_sql_throttle_insert, &st, err);
    *done = false;
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        store_bind_int(st, 2, nw->failures);
        store_bind_int(st, 3, nw->last_at);
        store_bind_int(st, 4, nw->wait_until);
        if (old->exists) {
            store_bind_int(st, 5, old->failures);
            store_bind_int(st, 6, old->last_at);
            store_bind_int(st, 7, old->wait_until);
        }
        rc = store_run(st, err);
    }
    if (rc == ZC_OK)
        *done = store_changes(s) == 1;
    store_finalize(st);
    return rc;
}

int throttle_take(struct store *s, const struct auth_limits *lim, const char *key, int limit,
                  int64_t now, int64_t *left, int64_t *count, struct zc_error *err)
{
    *left = 0;
    *count = 0;
    for (int tries = 0; tries < 1000; tries++) {
        struct throttle_row old, nw;
        bool done = false, quiet;
        int rc = row_get(s, key, &old, err);
        if (rc != ZC_OK)
            return rc;
        if (old.exists && old.wait_until > now) {
            *left = old.wait_until - now;
            *count = old.failures;
            return ZC_OK;
        }
        quiet = !old.exists ||
                (old.last_at > old.wait_until ? old.last_at : old.wait_until) + lim->window <= now;
        nw.exists = true;
        nw.failures = quiet ? 1 : old.failures + 1;
        nw.last_at = now;
        nw.wait_until = nw.failures >= limit ? now + throttle_delay(lim, nw.failures - limit) : 0;
        rc = row_swap(s, key, &old, &nw, &done, err);
        if (rc != ZC_OK)
            return rc;
        if (done) {
            *count = nw.failures;
            return ZC_OK;
        }
    }
    return zc_error_set(err, ZC_ESTORE, "the login throttle of %s kept changing; try again", key);
}

int throttle_undo(struct store *s, const char *key, int limit, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, auth_sql_throttle_undo, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        store_bind_int(st, 2, limit);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

int throttle_clear(struct store *s, const char *key, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, auth_sql_throttle_clear, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

int throttle_sweep(struct store *s, const struct auth_limits *lim, int64_t now,
                   struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, auth_sql_throttle_sweep, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, now - lim->window);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}
