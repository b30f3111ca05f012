/* SPDX-License-Identifier: MIT */
/* auth.c - accounts, argon2id passwords, session tokens, login throttling.
 *
 * Tokens never touch the database: only their digest does, and lookups go
 * by digest, so a leaked backup cannot be replayed. An unknown account name
 * still costs one password verification, so timing does not tell which
 * names exist. Throttle rows are keyed "user:NAME" and "addr:ADDRESS"; a
 * window starts at the first failure and the key is locked once the count
 * reaches the limit, until the window ends. */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "base/division.h"
#include "base/idcard.h"
#include "store/store.h"

static const char *const role_names[AUTH_NROLES] = {
    "province", "city", "county", "township", "inspector", "cadre", "auditor", "admin",
};

static bool cheap_cost; /* tests: argon2id with the minimum cost */

int auth_role_parse(const char *s)
{
    for (int i = 0; i < AUTH_NROLES; i++) {
        if (s && strcmp(s, role_names[i]) == 0)
            return i;
    }
    return -1;
}

const char *auth_role_name(enum auth_role r)
{
    return (unsigned)r < AUTH_NROLES ? role_names[r] : "?";
}

bool auth_role_is_staff(enum auth_role r)
{
    return r <= AUTH_TOWNSHIP;
}

int auth_init(struct zc_error *err)
{
    if (sodium_init() < 0)
        return zc_error_set(err, ZC_EIO, "libsodium failed to initialise");
    return ZC_OK;
}

void auth_set_cost_for_tests(bool cheap)
{
    cheap_cost = cheap;
}

int auth_password_hash(const char *pw, size_t n, char out[AUTH_HASH_MAX], struct zc_error *err)
{
    unsigned long long ops =
        cheap_cost ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = cheap_cost ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    _Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer");
    if (n < 8)
        return zc_error_set(err, ZC_EINVAL, "the password is too short (at least 8 characters)");
    if (n > AUTH_PW_MAX)
        return zc_error_set(err, ZC_EINVAL, "the password is too long (at most %d bytes)",
                            AUTH_PW_MAX);
    if (crypto_pwhash_str_alg(out, pw, n, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return zc_error_set(err, ZC_ENOMEM, "argon2id could not allocate its memory");
    return ZC_OK;
}

bool auth_password_verify(const char *hash, const char *pw, size_t n)
{
    if (n > AUTH_PW_MAX)
        return false;
    return crypto_pwhash_str_verify(hash, pw, n) == 0;
}

void auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void auth_token_digest(const char *token, size_t n, char out[AUTH_DIGEST_HEX + 1])
{
    unsigned char d[32];
    crypto_generichash(d, sizeof(d), (const unsigned char *)token, n, NULL, 0);
    sodium_bin2hex(out, AUTH_DIGEST_HEX + 1, d, sizeof(d));
}

bool auth_secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b) || n == 0)
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Account names: 1-64 bytes of letters, digits, '.', '_', '-' or UTF-8
 * (names such as 马山县组织部 are normal), no spaces or controls. */
static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > AUTH_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-' || c == '@')
            continue;
        return false;
    }
    return true;
}

static const char account_cols[] =
    "SELECT id, name, role, scope, scope_level, coalesce(cadre, 0), disabled, created_at "
    "FROM account ";

static void read_account(struct store_stmt *st, int c0, struct auth_account *a)
{
    memset(a, 0, sizeof(*a));
    a->id = store_col_int(st, c0);
    snprintf(a->name, sizeof(a->name), "%s", store_col_text(st, c0 + 1));
    a->role = (enum auth_role)auth_role_parse(store_col_text(st, c0 + 2));
    a->scope = store_col_int(st, c0 + 3);
    a->scope_level = (int)store_col_int(st, c0 + 4);
    a->cadre = store_col_int(st, c0 + 5);
    a->disabled = store_col_int(st, c0 + 6) != 0;
    snprintf(a->created_at, sizeof(a->created_at), "%s", store_col_text(st, c0 + 7));
}

int auth_user_get(struct store *s, const char *name, struct auth_account *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char sql[256];
    bool row = false;
    int rc;
    snprintf(sql, sizeof(sql), "%sWHERE name = ?", account_cols);
    rc = store_prepare(s, sql, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, name);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no account named '%s'", name);
    if (rc == ZC_OK)
        read_account(st, 0, out);
    store_finalize(st);
    return rc;
}

static int parse_scope(struct store *s, enum auth_role role, const char *scope, int64_t *code,
                       int *level, struct zc_error *err)
{
    enum division_level lv;
    int64_t one = 0;
    char sql[96];
    int rc;
    *code = 0;
    *level = 0;
    if (!scope || !*scope) {
        if (role == AUTH_AUDITOR || role == AUTH_ADMIN)
            return ZC_OK;
        return zc_error_set(err, ZC_EINVAL, "a %s account needs --scope DIVISION",
                            auth_role_name(role));
    }
    rc = division_parse(scope, strlen(scope), code, &lv, err);
    if (rc != ZC_OK)
        return rc;
    if (auth_role_is_staff(role) && (int)lv != (int)role + 1)
        return zc_error_set(err, ZC_EINVAL, "a %s account is scoped to a %s code, not %s",
                            auth_role_name(role),
                            division_level_name_en((enum division_level)(role + 1)), scope);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM division WHERE code = %lld", (long long)*code);
    rc = store_query_int(s, sql, &one, err);
    if (rc == ZC_OK && one == 0)
        rc = zc_error_set(err, ZC_ENOTFOUND, "division %s is not in the division tree", scope);
    *level = (int)lv;
    return rc;
}

static int find_cadre(struct store *s, const char *id_number, int64_t *id, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char norm[IDCARD_LEN + 1];
    bool row = false;
    int rc = idcard_normalize(id_number, strlen(id_number), norm, err);
    if (rc == ZC_OK)
        rc = store_prepare(s, "SELECT id FROM cadre WHERE id_number = ?", &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, norm);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no cadre with that ID number");
    if (rc == ZC_OK)
        *id = store_col_int(st, 0);
    store_finalize(st);
    return rc;
}

int auth_user_add(struct store *s, const char *name, enum auth_role role, const char *scope,
                  const char *cadre_id_number, const char *pw, size_t pwlen,
                  struct auth_account *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char hash[AUTH_HASH_MAX], now[32];
    int64_t code = 0, cadre = 0;
    int level = 0, rc;

    if (!name_ok(name))
        return zc_error_set(err, ZC_EINVAL,
                            "account name must be 1-64 bytes of letters, digits, '.', '_', '-', "
                            "'@' or non-ASCII text");
    if ((unsigned)role >= AUTH_NROLES)
        return zc_error_set(err, ZC_EINVAL, "unknown role");
    if (role == AUTH_CADRE && (!cadre_id_number || !*cadre_id_number))
        return zc_error_set(err, ZC_EINVAL, "a cadre account names its cadre: --cadre ID_NUMBER");
    if (role != AUTH_CADRE && cadre_id_number && *cadre_id_number)
        return zc_error_set(err, ZC_EINVAL, "--cadre is only for cadre accounts");
    rc = parse_scope(s, role, scope, &code, &level, err);
    if (rc == ZC_OK && role == AUTH_CADRE)
        rc = find_cadre(s, cadre_id_number, &cadre, err);
    if (rc == ZC_OK)
        rc = auth_password_hash(pw, pwlen, hash, err);
    if (rc != ZC_OK)
        return rc;
    now_iso(now);
    rc = store_prepare(s,
                       "INSERT INTO account(name, role, scope, scope_level, cadre, password, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, name);
        store_bind_cstr(st, 2, auth_role_name(role));
        store_bind_int(st, 3, code);
        store_bind_int(st, 4, level);
        if (cadre)
            store_bind_int(st, 5, cadre);
        else
            store_bind_null(st, 5);
        store_bind_cstr(st, 6, hash);
        store_bind_cstr(st, 7, now);
        rc = store_run(st, err);
        if (rc == ZC_ECONFLICT)
            zc_error_set(err, ZC_ECONFLICT, "an account named '%s' already exists", name);
    }
    store_finalize(st);
    sodium_memzero(hash, sizeof(hash));
    if (rc == ZC_OK && out)
        rc = auth_user_get(s, name, out, err);
    return rc;
}

static int exec_for_name(struct store *s, const char *sql, const char *name, const char *arg,
                         struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc == ZC_OK) {
        if (arg) {
            store_bind_cstr(st, 1, arg);
            store_bind_cstr(st, 2, name);
        } else {
            store_bind_cstr(st, 1, name);
        }
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

/* Change an account (`sql` with `arg` and the name) and end every session
 * it has open, in one transaction: a new password or a disabled account
 * must not leave an old session working. */
static int change_and_end_sessions(struct store *s, const char *sql, const char *name,
                                   const char *arg, struct zc_error *err)
{
    int rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = exec_for_name(s, sql, name, arg, err);
    if (rc == ZC_OK)
        rc = exec_for_name(s,
                           "DELETE FROM account_session WHERE account = "
                           "(SELECT id FROM account WHERE name = ?)",
                           name, NULL, err);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

int auth_user_passwd(struct store *s, const char *name, const char *pw, size_t pwlen,
                     struct zc_error *err)
{
    struct auth_account a;
    char hash[AUTH_HASH_MAX];
    int rc = auth_user_get(s, name, &a, err);
    if (rc == ZC_OK)
        rc = auth_password_hash(pw, pwlen, hash, err);
    if (rc == ZC_OK)
        rc = change_and_end_sessions(s, "UPDATE account SET password = ? WHERE name = ?", name,
                                     hash, err);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

int auth_user_disable(struct store *s, const char *name, struct zc_error *err)
{
    struct auth_account a;
    int rc = auth_user_get(s, name, &a, err);
    if (rc != ZC_OK)
        return rc;
    return change_and_end_sessions(s, "UPDATE account SET disabled = 1 WHERE name = ?", name, NULL,
                                   err);
}

static int throttle_clear(struct store *s, const char *key, struct zc_error *err);

int auth_user_unlock(struct store *s, const char *name, struct zc_error *err)
{
    struct auth_account a;
    char ukey[AUTH_NAME_MAX + 8];
    int rc = auth_user_get(s, name, &a, err);
    if (rc != ZC_OK)
        return rc;
    snprintf(ukey, sizeof(ukey), "user:%.64s", a.name);
    return throttle_clear(s, ukey, err);
}

int auth_user_list(struct store *s, void (*fn)(void *ud, const struct auth_account *a), void *ud,
                   struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char sql[256];
    bool row = true;
    int rc;
    snprintf(sql, sizeof(sql), "%sORDER BY name", account_cols);
    rc = store_prepare(s, sql, &st, err);
    while (rc == ZC_OK) {
        struct auth_account a;
        rc = store_step(st, &row, err);
        if (rc != ZC_OK || !row)
            break;
        read_account(st, 0, &a);
        fn(ud, &a);
    }
    store_finalize(st);
    return rc;
}

void auth_limits_default(struct auth_limits *l)
{
    l->user_failures = 5;
    l->addr_failures = 20;
    l->window = 15 * 60;
    l->session_ttl = 12 * 3600;
}

void auth_principal_scope(struct auth_principal *p)
{
    if (p->acct.scope_level == 0) {
        p->lo = 0;
        p->hi = 999999999999;
    } else {
        division_range(p->acct.scope, (enum division_level)p->acct.scope_level, &p->lo, &p->hi);
    }
}

/* *since receives the start of the window of `key` when its failures have
 * reached `limit`, else 0. */
static int throttle_check(struct store *s, const char *key, int limit, int64_t *since,
                          struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, "SELECT failures, since FROM login_throttle WHERE key = ?", &st, err);
    *since = 0;
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row && store_col_int(st, 0) >= limit)
        *since = store_col_int(st, 1);
    store_finalize(st);
    return rc;
}

static int throttle_fail(struct store *s, const char *key, int64_t now, int64_t window,
                         struct zc_error *err)
{
    struct store_stmt *st = NULL;
    /* A failure after the window restarts the count. */
    int rc = store_prepare(s,
                           "INSERT INTO login_throttle(key, failures, since) VALUES (?, 1, ?) "
                           "ON CONFLICT(key) DO UPDATE SET "
                           "failures = CASE WHEN login_throttle.since + ? <= excluded.since "
                           "THEN 1 ELSE login_throttle.failures + 1 END, "
                           "since = CASE WHEN login_throttle.since + ? <= excluded.since "
                           "THEN excluded.since ELSE login_throttle.since END",
                           &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        store_bind_int(st, 2, now);
        store_bind_int(st, 3, window);
        store_bind_int(st, 4, window);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

static int throttle_clear(struct store *s, const char *key, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "DELETE FROM login_throttle WHERE key = ?", &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, key);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

/* Seconds left of a lockout for `key`, or 0. */
static int throttle_wait(struct store *s, const char *key, int limit, int64_t now, int64_t window,
                         int64_t *left, struct zc_error *err)
{
    int64_t since = 0;
    int rc = throttle_check(s, key, limit, &since, err);
    *left = 0;
    if (rc == ZC_OK && since > 0 && since + window > now)
        *left = since + window - now;
    return rc;
}

/* A valid argon2id string for a password nobody knows, so that an unknown
 * name costs the same time as a wrong password. */
static const char *dummy_hash(void)
{
    static char h[AUTH_HASH_MAX];
    if (!h[0]) {
        unsigned long long ops =
            cheap_cost ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
        size_t mem = cheap_cost ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
        char tmp[AUTH_HASH_MAX];
        if (crypto_pwhash_str_alg(tmp, "x", 1, ops, mem, crypto_pwhash_ALG_ARGON2ID13) == 0)
            memcpy(h, tmp, sizeof(h));
    }
    return h;
}

/* The audit entry of a login attempt (issue 17: authentication events are
 * in the record). `name` is the name tried when it is a valid account name,
 * else "(invalid name)": the record never holds arbitrary input. */
static int login_audit(struct store *s, const char *action, const char *name, const char *addr,
                       int64_t division, struct zc_error *err)
{
    struct audit_entry e;
    const char *who = name_ok(name) ? name : "(invalid name)";
    char target[AUTH_NAME_MAX + 16];
    snprintf(target, sizeof(target), "account:%s", who);
    memset(&e, 0, sizeof(e));
    e.actor = who;
    e.addr = addr ? addr : "";
    e.action = action;
    e.target = target;
    e.division = division;
    return audit_append(s, &e, err);
}

int auth_login(struct store *s, const struct auth_limits *lim, const char *name, const char *pw,
               size_t pwlen, const char *addr, int64_t now, enum auth_result *result,
               int64_t *retry_after, char token[AUTH_TOKEN_LEN + 1], struct auth_principal *out,
               struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char ukey[AUTH_NAME_MAX + 8], akey[80], hash[AUTH_HASH_MAX] = "", digest[AUTH_DIGEST_HEX + 1];
    struct auth_account a;
    int64_t wu = 0, wa = 0;
    bool row = false, good;
    int rc;

    *result = AUTH_BAD_CREDENTIALS;
    *retry_after = 0;
    memset(out, 0, sizeof(*out));
    snprintf(ukey, sizeof(ukey), "user:%.64s", name ? name : "");
    snprintf(akey, sizeof(akey), "addr:%.64s", addr ? addr : "");
    rc = throttle_wait(s, ukey, lim->user_failures, now, lim->window, &wu, err);
    if (rc == ZC_OK)
        rc = throttle_wait(s, akey, lim->addr_failures, now, lim->window, &wa, err);
    if (rc != ZC_OK)
        return rc;
    if (wu > 0 || wa > 0) {
        *result = AUTH_THROTTLED;
        *retry_after = wu > wa ? wu : wa;
        return ZC_OK;
    }

    memset(&a, 0, sizeof(a));
    if (name_ok(name)) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "SELECT id, name, role, scope, scope_level, coalesce(cadre, 0), disabled, "
                 "created_at, password FROM account WHERE name = ?");
        rc = store_prepare(s, sql, &st, err);
        if (rc == ZC_OK) {
            store_bind_cstr(st, 1, name);
            rc = store_step(st, &row, err);
        }
        if (rc == ZC_OK && row) {
            read_account(st, 0, &a);
            snprintf(hash, sizeof(hash), "%s", store_col_text(st, 8));
        }
        store_finalize(st);
        st = NULL;
        if (rc != ZC_OK)
            return rc;
    }
    good = auth_password_verify(row ? hash : dummy_hash(), pw ? pw : "", pw ? pwlen : 0);
    good = good && row && !a.disabled && (unsigned)a.role < AUTH_NROLES;
    sodium_memzero(hash, sizeof(hash));

    rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    if (!good) {
        rc = throttle_fail(s, ukey, now, lim->window, err);
        if (rc == ZC_OK)
            rc = throttle_fail(s, akey, now, lim->window, err);
        if (rc == ZC_OK)
            rc = login_audit(s, "auth.login_failed", name, addr, row ? a.scope : 0, err);
        /* This failure started a lockout (none was running: checked above). */
        if (rc == ZC_OK)
            rc = throttle_wait(s, ukey, lim->user_failures, now, lim->window, &wu, err);
        if (rc == ZC_OK)
            rc = throttle_wait(s, akey, lim->addr_failures, now, lim->window, &wa, err);
        if (rc == ZC_OK && wu > 0)
            rc = login_audit(s, "auth.lockout", name, addr, row ? a.scope : 0, err);
        if (rc == ZC_OK && wa > 0)
            rc = login_audit(s, "auth.lockout_addr", name, addr, 0, err);
    } else {
        rc = throttle_clear(s, ukey, err);
        auth_token_new(token);
        auth_token_digest(token, AUTH_TOKEN_LEN, digest);
        out->acct = a;
        auth_token_new(out->csrf);
        out->expires = now + lim->session_ttl;
        auth_principal_scope(out);
        if (rc == ZC_OK)
            rc = store_prepare(s,
                               "INSERT INTO account_session(digest, account, csrf, created, "
                               "expires, addr) VALUES (?, ?, ?, ?, ?, ?)",
                               &st, err);
        if (rc == ZC_OK) {
            store_bind_cstr(st, 1, digest);
            store_bind_int(st, 2, a.id);
            store_bind_cstr(st, 3, out->csrf);
            store_bind_int(st, 4, now);
            store_bind_int(st, 5, out->expires);
            store_bind_cstr(st, 6, addr ? addr : "");
            rc = store_run(st, err);
        }
        store_finalize(st);
        /* Expired sessions are swept at logins, not by a timer. */
        if (rc == ZC_OK) {
            char sql[96];
            snprintf(sql, sizeof(sql), "DELETE FROM account_session WHERE expires <= %lld",
                     (long long)now);
            rc = store_exec(s, sql, err);
        }
        if (rc == ZC_OK)
            rc = login_audit(s, "auth.login", a.name, addr, a.scope, err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK) {
        store_rollback(s);
        return rc;
    }
    *result = good ? AUTH_OK : AUTH_BAD_CREDENTIALS;
    return ZC_OK;
}

int auth_session_get(struct store *s, struct store_stmt **cache, const char *token, size_t n,
                     int64_t now, struct auth_principal *out, struct zc_error *err)
{
    struct store_stmt *st = cache ? *cache : NULL;
    char digest[AUTH_DIGEST_HEX + 1];
    bool row = false;
    int rc = ZC_OK;
    memset(out, 0, sizeof(*out));
    if (n != AUTH_TOKEN_LEN)
        return zc_error_set(err, ZC_ENOTFOUND, "no such session");
    auth_token_digest(token, n, digest);
    if (!st)
        rc = store_prepare(s,
                           "SELECT a.id, a.name, a.role, a.scope, a.scope_level, "
                           "coalesce(a.cadre, 0), a.disabled, a.created_at, s.csrf, s.expires "
                           "FROM account_session s JOIN account a ON a.id = s.account "
                           "WHERE s.digest = ?",
                           &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, digest);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row) {
        read_account(st, 0, &out->acct);
        snprintf(out->csrf, sizeof(out->csrf), "%s", store_col_text(st, 8));
        out->expires = store_col_int(st, 9);
        if (out->expires <= now || out->acct.disabled || (unsigned)out->acct.role >= AUTH_NROLES)
            row = false;
    }
    if (cache && st) {
        store_reset(st); /* ends the read so checkpoints are not held back */
        *cache = st;
    } else {
        store_finalize(st);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no such session");
    if (rc == ZC_OK)
        auth_principal_scope(out);
    return rc;
}

int auth_logout(struct store *s, const char *token, size_t n, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char digest[AUTH_DIGEST_HEX + 1];
    int rc;
    auth_token_digest(token, n, digest);
    rc = store_prepare(s, "DELETE FROM account_session WHERE digest = ?", &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, digest);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}
