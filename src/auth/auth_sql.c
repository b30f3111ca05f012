/* SPDX-License-Identifier: MIT */
/* auth_sql.c - the auth module's statements, by name. */
#include "auth_int.h"

/* Login throttle: a key's count, newest counted attempt and wait. */
const char auth_sql_throttle_get[] =
    "SELECT failures, last_at, wait_until FROM login_throttle WHERE key = ?1";
const char auth_sql_throttle_insert[] =
    "INSERT INTO login_throttle(key, failures, last_at, wait_until) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(key) DO NOTHING";
/* Compare-and-swap: changes only the row as it was read (?5..?7). */
const char auth_sql_throttle_swap[] =
    "UPDATE login_throttle SET failures = ?2, last_at = ?3, wait_until = ?4 "
    "WHERE key = ?1 AND failures = ?5 AND last_at = ?6 AND wait_until = ?7";
/* One attempt less; under the limit ?2 again, no wait. */
const char auth_sql_throttle_undo[] =
    "UPDATE login_throttle SET failures = failures - 1, "
    "wait_until = CASE WHEN failures - 1 < ?2 THEN 0 ELSE wait_until END "
    "WHERE key = ?1 AND failures > 0";
const char auth_sql_throttle_clear[] = "DELETE FROM login_throttle WHERE key = ?1";
/* Keys with no attempt and no wait since ?1. */
const char auth_sql_throttle_sweep[] =
    "DELETE FROM login_throttle WHERE last_at <= ?1 AND wait_until <= ?1";

/* Sessions: (digest, account, csrf, created, expires, addr, seen). */
const char auth_sql_session_insert[] =
    "INSERT INTO account_session(digest, account, csrf, created, expires, addr, seen) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4)";
/* Past the absolute lifetime (?1 = now) or idle since ?2. */
const char auth_sql_session_sweep[] =
    "DELETE FROM account_session WHERE expires <= ?1 OR seen <= ?2";
const char auth_sql_session_get[] =
    "SELECT a.id, a.name, a.role, a.scope, a.scope_level, coalesce(a.cadre, 0), a.disabled, "
    "a.created_at, s.csrf, s.expires, s.seen "
    "FROM account_session s JOIN account a ON a.id = s.account WHERE s.digest = ?1";
/* The session's last request, written at most every few seconds (?3). */
const char auth_sql_session_touch[] =
    "UPDATE account_session SET seen = ?2 WHERE digest = ?1 AND seen < ?3";

/* Audit entries of one action and target (audit_count). */
const char audit_sql_count[] = "SELECT count(*) FROM audit_log WHERE action = ?1 AND target = ?2";
