/* SPDX-License-Identifier: MIT */
/* auth_int.h - shared by the files of src/auth: statements and the login
 * throttle. */
#ifndef ZC_AUTH_INT_H
#define ZC_AUTH_INT_H

#include "auth.h"

extern const char auth_sql_throttle_get[];
extern const char auth_sql_throttle_insert[];
extern const char auth_sql_throttle_swap[];
extern const char auth_sql_throttle_undo[];
extern const char auth_sql_throttle_clear[];
extern const char auth_sql_throttle_sweep[];
extern const char auth_sql_session_insert[];
extern const char auth_sql_session_sweep[];
extern const char auth_sql_session_get[];
extern const char auth_sql_session_touch[];
extern const char audit_sql_count[];
extern const char auth_sql_account_get[];
extern const char auth_sql_accounts[];
extern const char auth_sql_account_login[];
extern const char auth_sql_account_insert[];
extern const char auth_sql_account_password[];
extern const char auth_sql_account_disable[];
extern const char auth_sql_sessions_of_delete[];
extern const char auth_sql_session_delete[];
extern const char auth_sql_division_known[];
extern const char auth_sql_unit_known[];
extern const char auth_sql_cadre_id[];
extern const char audit_sql_last[];
extern const char audit_sql_insert[];
extern const char audit_sql_head_put[];
extern const char audit_sql_head_get[];
extern const char audit_sql_all[];
extern const char audit_sql_list[];

/* Seconds a key waits after its `over`-th failure past its limit (0 = the
 * failure that reached it): lim->delay doubled each time, at most
 * lim->window. */
int64_t throttle_delay(const struct auth_limits *lim, int64_t over);

/* Count one attempt for `key` (limit `limit`) at `now` unless the key must
 * wait: *left receives the seconds still to wait (0 = counted), *count the
 * key's count with this attempt. The count is a compare-and-swap on the row
 * read, so concurrent attempts are each counted once and no more than
 * `limit` of them pass before the wait starts. */
int throttle_take(struct store *s, const struct auth_limits *lim, const char *key, int limit,
                  int64_t now, int64_t *left, int64_t *count, struct zc_error *err);
/* Take back one attempt counted by throttle_take (a login that succeeded
 * does not count against its address); ends a wait that attempt started. */
int throttle_undo(struct store *s, const char *key, int limit, struct zc_error *err);
int throttle_clear(struct store *s, const char *key, struct zc_error *err);
/* Forget keys quiet for a whole window (names tried once, addresses gone). */
int throttle_sweep(struct store *s, const struct auth_limits *lim, int64_t now,
                   struct zc_error *err);

#endif
