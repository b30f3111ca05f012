/* SPDX-License-Identifier: MIT */
/* auth.h - accounts, passwords, sessions and login throttling.
 *
 * Accounts have a role and a jurisdiction (a division code prefix, see
 * base/division.h); the HTTP layer turns a principal into SQL scope clauses.
 * Passwords are argon2id strings (libsodium crypto_pwhash_str). A session
 * token is 32 random bytes sent to the client once, base64url; the store
 * keeps only its BLAKE2b-256 digest, so a copy of the database does not
 * hold usable tokens. Failed logins are counted per account and per client
 * address before the password is checked; past the limit, logins wait a
 * growing delay during which they are refused without checking the
 * password. Sessions and throttle state live in the database, so servers
 * sharing it share them. Design: docs/internals/http.md. */
#ifndef ZC_AUTH_H
#define ZC_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct store;
struct store_stmt;

enum auth_role {
    AUTH_PROVINCE,  /* 省委组织部 staff: scope is a province */
    AUTH_CITY,      /* 市委组织部: a city */
    AUTH_COUNTY,    /* 县委组织部: a county */
    AUTH_TOWNSHIP,  /* 乡镇党委: a township */
    AUTH_INSPECTOR, /* 督查组: reads and records findings within scope */
    AUTH_CADRE,     /* 驻村干部: own record and the team's village */
    AUTH_AUDITOR,   /* read-only, including the audit record */
    AUTH_ADMIN,     /* everything, accounts included */
    AUTH_UNIT,      /* 派出单位 staff: the leave and returns of the cadres the unit sent */
    AUTH_NROLES
};

#define AUTH_NAME_MAX   64  /* account name bytes */
#define AUTH_TOKEN_LEN  43  /* base64url of 32 bytes, no padding */
#define AUTH_DIGEST_HEX 64  /* hex of a 32-byte BLAKE2b digest */
#define AUTH_HASH_MAX   128 /* crypto_pwhash_STRBYTES */
#define AUTH_PW_MAX     1024
#define AUTH_PW_MIN     12 /* characters of a new password */

int auth_role_parse(const char *s); /* -1 if unknown */
const char *auth_role_name(enum auth_role r);
/* The staff roles (province..township) read and write within their scope. */
bool auth_role_is_staff(enum auth_role r);

struct auth_account {
    int64_t id;                   /* account.id */
    char name[AUTH_NAME_MAX + 1]; /* login name */
    enum auth_role role;          /* what the account may do */
    int64_t scope;                /* 12-digit division code; 0 = everywhere */
    int scope_level;              /* enum division_level of scope; 0 = everywhere */
    int64_t cadre;                /* cadre.id for a cadre account, else 0 */
    bool disabled;                /* refused at login; sessions deleted */
    char unit[65];                /* a unit account's unit code, else "" */
    char created_at[32];          /* ISO 8601 UTC */
};

/* An authenticated caller. */
struct auth_principal {
    struct auth_account acct;      /* the account */
    int64_t lo, hi;                /* scope as a closed range of 12-digit codes */
    char csrf[AUTH_TOKEN_LEN + 1]; /* double-submit token of the session */
    int64_t expires;               /* unix seconds */
};

/* Must be called once before anything else here (sodium_init). */
int auth_init(struct zc_error *err);

/* Lower the argon2id cost (tests only; production uses INTERACTIVE). */
void auth_set_cost_for_tests(bool cheap);

/* ZC_OK when `pw` may be the new password of account `name` (NULL: no
 * name): at least AUTH_PW_MIN characters, not the name, not a common
 * password, not a run or a few characters repeated (password.c). Used by
 * auth_user_add and auth_user_passwd, so by the CLI and the API alike. */
int auth_password_check(const char *name, const char *pw, size_t n, struct zc_error *err);
int auth_password_hash(const char *pw, size_t n, char out[AUTH_HASH_MAX], struct zc_error *err);
bool auth_password_verify(const char *hash, const char *pw, size_t n);

/* A fresh random token (base64url, NUL-terminated). */
void auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
/* Hex BLAKE2b-256 of the token bytes. */
void auth_token_digest(const char *token, size_t n, char out[AUTH_DIGEST_HEX + 1]);
/* Constant-time string equality for secrets of equal length. */
bool auth_secret_equal(const char *a, const char *b);

/* ---- accounts ------------------------------------------------------------ */

/* Create an account. `scope` is a division code of 2-12 digits (NULL or ""
 * = everywhere, only for auditor and admin); staff roles need a code of
 * their own level. A unit account's `scope` is its unit's code (单位代码):
 * it sees no division at all (its principal's range is empty), only the
 * leave of the cadres of that unit. A cadre account names its cadre by ID number. Errors:
 * ZC_EINVAL (bad name, role, scope, weak password), ZC_ECONFLICT (name
 * taken), ZC_ENOTFOUND (no such division or cadre). */
int auth_user_add(struct store *s, const char *name, enum auth_role role, const char *scope,
                  const char *cadre_id_number, const char *pw, size_t pwlen,
                  struct auth_account *out, struct zc_error *err);
int auth_user_passwd(struct store *s, const char *name, const char *pw, size_t pwlen,
                     struct zc_error *err);
/* Disable an account and end its sessions. */
int auth_user_disable(struct store *s, const char *name, struct zc_error *err);
/* End a lockout of the account (its failed-login count); ZC_ENOTFOUND if
 * there is no such account. The per-address counts are left alone. */
int auth_user_unlock(struct store *s, const char *name, struct zc_error *err);
int auth_user_get(struct store *s, const char *name, struct auth_account *out,
                  struct zc_error *err);
int auth_user_list(struct store *s, void (*fn)(void *ud, const struct auth_account *a), void *ud,
                   struct zc_error *err);

/* ---- sessions ------------------------------------------------------------ */

/* Failed logins are counted per account and per address before the
 * password is checked; past the limit each further failure makes the key
 * wait, `delay` seconds and twice as long each time, at most `window`; a key
 * forgets its count after a window without attempts (throttle.c). */
struct auth_limits {
    int user_failures;    /* failures per account before the delays start */
    int addr_failures;    /* failures per address before the delays start */
    int64_t delay;        /* seconds of the first wait */
    int64_t window;       /* longest wait; quiet time after which a key forgets */
    int64_t session_ttl;  /* seconds a session lives at most (absolute) */
    int64_t session_idle; /* seconds a session lives without a request; 0 = no limit */
};

void auth_limits_default(struct auth_limits *l);

enum auth_result {
    AUTH_OK,              /* session created */
    AUTH_BAD_CREDENTIALS, /* unknown name, wrong password or disabled account */
    AUTH_THROTTLED,       /* too many failures: *retry_after seconds */
};

/* Check `name`/`pw` from `addr` at `now` and, if right, create a session:
 * token receives the token (given to the client once), out the principal.
 * Returns ZC_OK with *result set, or a store error. */
int auth_login(struct store *s, const struct auth_limits *lim, const char *name, const char *pw,
               size_t pwlen, const char *addr, int64_t now, enum auth_result *result,
               int64_t *retry_after, char token[AUTH_TOKEN_LEN + 1], struct auth_principal *out,
               struct zc_error *err);

/* Look up a session by its token. ZC_ENOTFOUND if unknown, expired, idle
 * for `idle` seconds (0 = no idle limit) or the account is disabled; a
 * found session's last request is brought up to `now` (written at most
 * every idle/10 seconds, at most every minute). `cache` (may be NULL) keeps the prepared statement
 * between calls on the same connection; the caller finalizes *cache. */
int auth_session_get(struct store *s, struct store_stmt **cache, const char *token, size_t n,
                     int64_t now, int64_t idle, struct auth_principal *out, struct zc_error *err);
int auth_logout(struct store *s, const char *token, size_t n, struct zc_error *err);

/* The principal's scope range from its account. */
void auth_principal_scope(struct auth_principal *p);

#endif
