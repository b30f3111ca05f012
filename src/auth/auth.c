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

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth_int.h"
#include "base/division.h"
#include "base/idcard.h"
#include "base/text.h"
#include "store/store.h"

static const char *const role_names[AUTH_NROLES] = {
    "province", "city", "county", "township", "inspector", "cadre", "auditor", "admin", "unit",
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
 * (names such as 马山县组织部 are normal), no spaces or controls: the bytes
 * past ASCII must be UTF-8 without C1 controls or format characters
 * (text_is_clean: "ev\u202eil", "\u009b2J" were taken). */
static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > AUTH_NAME_MAX || !text_is_clean(s))
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
    snprintf(a->unit, sizeof(a->unit), "%s", store_col_text(st, c0 + 8));
}

int auth_user_get(struct store *s, const char *name, struct auth_account *out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc = store_prepare(s, auth_sql_account_get, &st, err);
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
    struct store_stmt *st = NULL;
    bool row = false, one;
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
    rc = store_prepare(s, auth_sql_division_known, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, *code);
        rc = store_step(st, &row, err);
    }
    one = rc == ZC_OK && row;
    store_finalize(st);
    if (rc == ZC_OK && !one)
        rc = zc_error_set(err, ZC_ENOTFOUND, "division %s is not in the division tree", scope);
    *level = (int)lv;
    return rc;
}

/* A unit account's unit: a code of the ledger's units. */
static int unit_known(struct store *s, const char *code, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    bool row = false;
    int rc;
    if (!code || !*code)
        return zc_error_set(err, ZC_EINVAL, "a unit account names its unit: --unit CODE");
    rc = store_prepare(s, auth_sql_unit_known, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, code);
        rc = store_step(st, &row, err);
    }
    store_finalize(st);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no unit with code '%s'", code);
    return rc;
}

static int find_cadre(struct store *s, const char *id_number, int64_t *id, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char norm[IDCARD_LEN + 1];
    bool row = false;
    int rc = idcard_normalize(id_number, strlen(id_number), norm, err);
    if (rc == ZC_OK)
        rc = store_prepare(s, auth_sql_cadre_id, &st, err);
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
    if (role == AUTH_UNIT) {
        /* No division: level 5 over code 0 marks the account as scoped (an
         * empty range, auth_principal_scope) for every check that reads
         * scope_level; the unit is what it sees through. */
        level = DIV_VILLAGE;
        rc = unit_known(s, scope, err);
    } else {
        rc = parse_scope(s, role, scope, &code, &level, err);
    }
    if (rc == ZC_OK && role == AUTH_CADRE)
        rc = find_cadre(s, cadre_id_number, &cadre, err);
    if (rc == ZC_OK)
        rc = auth_password_check(name, pw, pwlen, err);
    if (rc == ZC_OK)
        rc = auth_password_hash(pw, pwlen, hash, err);
    if (rc != ZC_OK)
        return rc;
    now_iso(now);
    rc = store_prepare(s, auth_sql_account_insert, &st, err);
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
        store_bind_cstr(st, 8, role == AUTH_UNIT ? scope : NULL);
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
        rc = exec_for_name(s, auth_sql_sessions_of_delete, name, NULL, err);
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
        rc = auth_password_check(a.name, pw, pwlen, err);
    if (rc == ZC_OK)
        rc = auth_password_hash(pw, pwlen, hash, err);
    if (rc == ZC_OK)
        rc = change_and_end_sessions(s, auth_sql_account_password, name, hash, err);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

int auth_user_disable(struct store *s, const char *name, struct zc_error *err)
{
    struct auth_account a;
    int rc = auth_user_get(s, name, &a, err);
    if (rc != ZC_OK)
        return rc;
    return change_and_end_sessions(s, auth_sql_account_disable, name, NULL, err);
}

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
    bool row = true;
    int rc = store_prepare(s, auth_sql_accounts, &st, err);
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
    l->delay = 30;
    l->window = 15 * 60;
    l->session_ttl = 12 * 3600;
    l->session_idle = 30 * 60;
}

void auth_principal_scope(struct auth_principal *p)
{
    if (p->acct.role == AUTH_UNIT) { /* no division: an empty range */
        p->lo = 1;
        p->hi = 0;
    } else if (p->acct.scope_level == 0) {
        p->lo = 0;
        p->hi = 999999999999;
    } else {
        division_range(p->acct.scope, (enum division_level)p->acct.scope_level, &p->lo, &p->hi);
    }
}

/* A valid argon2id string for a password nobody knows, so that an unknown
 * name costs the same time as a wrong password. Made once, under
 * pthread_once (two first logins at once used to race on the buffer). */
static char dummy[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    unsigned long long ops =
        cheap_cost ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = cheap_cost ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    char tmp[AUTH_HASH_MAX];
    if (crypto_pwhash_str_alg(tmp, "x", 1, ops, mem, crypto_pwhash_ALG_ARGON2ID13) == 0)
        memcpy(dummy, tmp, sizeof(dummy));
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once, dummy_make);
    return dummy;
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

/* Count the attempt for the address and the account before the password
 * is checked, in one transaction: *left > 0 when either must wait (then
 * nothing is counted). *ucount and *acount receive the counts with this
 * attempt. */
static int login_take(struct store *s, const struct auth_limits *lim, const char *ukey,
                      const char *akey, int64_t now, int64_t *left, int64_t *ucount,
                      int64_t *acount, struct zc_error *err)
{
    int64_t wa = 0, wu = 0;
    int rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    rc = throttle_take(s, lim, akey, lim->addr_failures, now, &wa, acount, err);
    if (rc == ZC_OK && wa == 0)
        rc = throttle_take(s, lim, ukey, lim->user_failures, now, &wu, ucount, err);
    *left = wa > wu ? wa : wu;
    if (rc == ZC_OK && *left > 0) {
        store_rollback(s); /* an attempt that is refused counts nowhere */
        return ZC_OK;
    }
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

static int session_create(struct store *s, const struct auth_limits *lim,
                          const struct auth_account *a, const char *addr, int64_t now,
                          char token[AUTH_TOKEN_LEN + 1], struct auth_principal *out,
                          struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char digest[AUTH_DIGEST_HEX + 1];
    int rc;
    auth_token_new(token);
    auth_token_digest(token, AUTH_TOKEN_LEN, digest);
    out->acct = *a;
    auth_token_new(out->csrf);
    out->expires = now + lim->session_ttl;
    auth_principal_scope(out);
    rc = store_prepare(s, auth_sql_session_insert, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, digest);
        store_bind_int(st, 2, a->id);
        store_bind_cstr(st, 3, out->csrf);
        store_bind_int(st, 4, now);
        store_bind_int(st, 5, out->expires);
        store_bind_cstr(st, 6, addr ? addr : "");
        rc = store_run(st, err);
    }
    store_finalize(st);
    /* Expired and idle sessions, and forgotten throttle keys, are swept at
     * logins, not by a timer. */
    if (rc == ZC_OK)
        rc = store_prepare(s, auth_sql_session_sweep, &st, err);
    if (rc == ZC_OK) {
        store_bind_int(st, 1, now);
        store_bind_int(st, 2, lim->session_idle > 0 ? now - lim->session_idle : INT64_MIN);
        rc = store_run(st, err);
    }
    store_finalize(st);
    if (rc == ZC_OK)
        rc = throttle_sweep(s, lim, now, err);
    return rc;
}

int auth_login(struct store *s, const struct auth_limits *lim, const char *name, const char *pw,
               size_t pwlen, const char *addr, int64_t now, enum auth_result *result,
               int64_t *retry_after, char token[AUTH_TOKEN_LEN + 1], struct auth_principal *out,
               struct zc_error *err)
{
    struct store_stmt *st = NULL;
    char ukey[AUTH_NAME_MAX + 8], akey[80], hash[AUTH_HASH_MAX] = "";
    struct auth_account a;
    int64_t left = 0, ucount = 0, acount = 0;
    bool row = false, good;
    int rc;

    *result = AUTH_BAD_CREDENTIALS;
    *retry_after = 0;
    memset(out, 0, sizeof(*out));
    snprintf(ukey, sizeof(ukey), "user:%.64s", name ? name : "");
    snprintf(akey, sizeof(akey), "addr:%.64s", addr ? addr : "");
    rc = login_take(s, lim, ukey, akey, now, &left, &ucount, &acount, err);
    if (rc != ZC_OK)
        return rc;
    if (left > 0) {
        *result = AUTH_THROTTLED;
        *retry_after = left;
        return ZC_OK;
    }

    memset(&a, 0, sizeof(a));
    if (name_ok(name)) {
        rc = store_prepare(s, auth_sql_account_login, &st, err);
        if (rc == ZC_OK) {
            store_bind_cstr(st, 1, name);
            rc = store_step(st, &row, err);
        }
        if (rc == ZC_OK && row) {
            read_account(st, 0, &a);
            snprintf(hash, sizeof(hash), "%s", store_col_text(st, 9));
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
        /* Counted already; the failure that reaches the account's limit
         * starts its delays. */
        rc = login_audit(s, "auth.login_failed", name, addr, row ? a.scope : 0, err);
        if (rc == ZC_OK && ucount == lim->user_failures)
            rc = login_audit(s, "auth.lockout", name, addr, row ? a.scope : 0, err);
        if (rc == ZC_OK && acount == lim->addr_failures)
            rc = login_audit(s, "auth.lockout_addr", name, addr, 0, err);
    } else {
        rc = throttle_clear(s, ukey, err);
        if (rc == ZC_OK)
            rc = throttle_undo(s, akey, lim->addr_failures, err);
        if (rc == ZC_OK)
            rc = session_create(s, lim, &a, addr, now, token, out, err);
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

/* Remember the session's last request, at most every idle/10 seconds (one
 * write a minute at most per session), so the idle timeout runs from it. */
static int session_touch(struct store *s, const char *digest, int64_t seen, int64_t idle,
                         int64_t now, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    int64_t step = idle / 10 < 60 ? idle / 10 : 60;
    int rc;
    if (seen >= now - step)
        return ZC_OK;
    rc = store_prepare(s, auth_sql_session_touch, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, digest);
        store_bind_int(st, 2, now);
        store_bind_int(st, 3, now - step);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}

int auth_session_get(struct store *s, struct store_stmt **cache, const char *token, size_t n,
                     int64_t now, int64_t idle, struct auth_principal *out, struct zc_error *err)
{
    struct store_stmt *st = cache ? *cache : NULL;
    char digest[AUTH_DIGEST_HEX + 1];
    int64_t seen = 0;
    bool row = false;
    int rc = ZC_OK;
    memset(out, 0, sizeof(*out));
    if (n != AUTH_TOKEN_LEN)
        return zc_error_set(err, ZC_ENOTFOUND, "no such session");
    auth_token_digest(token, n, digest);
    if (!st)
        rc = store_prepare(s, auth_sql_session_get, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, digest);
        rc = store_step(st, &row, err);
    }
    if (rc == ZC_OK && row) {
        read_account(st, 0, &out->acct);
        snprintf(out->csrf, sizeof(out->csrf), "%s", store_col_text(st, 9));
        out->expires = store_col_int(st, 10);
        seen = store_col_int(st, 11);
        if (out->expires <= now || out->acct.disabled || (unsigned)out->acct.role >= AUTH_NROLES)
            row = false;
        if (idle > 0 && seen + idle <= now)
            row = false; /* idle too long */
    }
    if (cache && st) {
        store_reset(st); /* ends the read so checkpoints are not held back */
        *cache = st;
    } else {
        store_finalize(st);
    }
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no such session");
    /* A touch that cannot be written (the database busy past its timeout)
     * costs the session at most one idle step; it does not fail the
     * request. */
    if (rc == ZC_OK && idle > 0) {
        struct zc_error ignored = {0};
        session_touch(s, digest, seen, idle, now, &ignored);
    }
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
    rc = store_prepare(s, auth_sql_session_delete, &st, err);
    if (rc == ZC_OK) {
        store_bind_cstr(st, 1, digest);
        rc = store_run(st, err);
    }
    store_finalize(st);
    return rc;
}
