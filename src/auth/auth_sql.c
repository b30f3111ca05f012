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
    "a.created_at, coalesce(a.unit, ''), s.csrf, s.expires, s.seen "
    "FROM account_session s JOIN account a ON a.id = s.account WHERE s.digest = ?1";
/* The session's last request, written at most every few seconds (?3). */
const char auth_sql_session_touch[] =
    "UPDATE account_session SET seen = ?2 WHERE digest = ?1 AND seen < ?3";

/* Audit entries of one action and target (audit_count). */
const char audit_sql_count[] = "SELECT count(*) FROM audit_log WHERE action = ?1 AND target = ?2";

/* Accounts: (name, role, scope, scope_level, cadre, password, created_at);
 * one by name, all by name, one with its password hash for the login. */
#define ACCOUNT_COLS                                                                               \
    "id, name, role, scope, scope_level, coalesce(cadre, 0), disabled, created_at, "               \
    "coalesce(unit, '')"
const char auth_sql_account_get[] = "SELECT " ACCOUNT_COLS " FROM account WHERE name = ?";
const char auth_sql_accounts[] = "SELECT " ACCOUNT_COLS " FROM account ORDER BY name";
const char auth_sql_account_login[] =
    "SELECT " ACCOUNT_COLS ", password FROM account WHERE name = ?";
const char auth_sql_account_insert[] =
    "INSERT INTO account(name, role, scope, scope_level, cadre, password, "
    "created_at, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
/* A unit account names a unit of the ledger. */
const char auth_sql_unit_known[] = "SELECT 1 FROM unit WHERE code = ?1";
const char auth_sql_account_password[] = "UPDATE account SET password = ? WHERE name = ?";
const char auth_sql_account_disable[] = "UPDATE account SET disabled = 1 WHERE name = ?";
/* Every session of the account named ?1; one session by its digest. */
const char auth_sql_sessions_of_delete[] =
    "DELETE FROM account_session WHERE account = (SELECT id FROM account WHERE name = ?)";
const char auth_sql_session_delete[] = "DELETE FROM account_session WHERE digest = ?";
/* An account's scope must be a code of the tree; a cadre account names a cadre. */
const char auth_sql_division_known[] = "SELECT 1 FROM division WHERE code = ?1";
const char auth_sql_cadre_id[] = "SELECT id FROM cadre WHERE id_number = ?";

/* The audit chain: its last entry, a new entry, the head row (written with
 * each entry, read by the verification). */
#define AUDIT_COLS                                                                                 \
    "seq, at, actor, addr, action, target, division, old_json, new_json, prev, hash, mac"
const char audit_sql_last[] = "SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1";
const char audit_sql_insert[] = "INSERT INTO audit_log(" AUDIT_COLS ") "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const char audit_sql_head_put[] =
    "INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";
const char audit_sql_head_get[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
/* Every entry in order (verification). */
const char audit_sql_all[] = "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq";
/* The newest ?8 entries (-1 = all), oldest first, in the division range
 * [?3, ?4] unless ?1 = ?2 = 0, whose action starts with ?5 (= ?6 = ?7)
 * unless it is ''. */
const char audit_sql_list[] =
    "SELECT * FROM (SELECT " AUDIT_COLS " FROM audit_log "
    "WHERE (? = 0 AND ? = 0 OR division BETWEEN ? AND ?) "
    "AND (? = '' OR substr(action, 1, length(?)) = ?) ORDER BY seq DESC LIMIT ?) AS newest "
    "ORDER BY seq";
