/* SPDX-License-Identifier: MIT */
/* scope.c - who may see and change what.
 *
 * Every query a handler runs carries the caller's scope in its WHERE clause,
 * so a row out of scope is never read, not read and then filtered. The
 * modules take the scope as a value (http_scope_value, base/scope.h) and
 * bind its bounds in their own statements (the ledger's lists: the
 * registry's registry_listing_scope). Writes are checked in C: the handlers
 * pass the caller's jurisdiction (http_scope_of) to the registry, which
 * refuses a row outside it with ZC_EFORBIDDEN (403). */
#include <stdio.h>
#include <string.h>

#include "base/division.h"
#include "http_int.h"
#include "store/store.h"

struct zc_scope http_scope_of(const struct auth_principal *p)
{
    struct zc_scope sc = zc_scope_all();
    if (p->acct.role == AUTH_UNIT) {
        sc.lo = 1, sc.hi = 0, sc.cadre = -1, sc.level = DIV_VILLAGE;
        snprintf(sc.unit, sizeof(sc.unit), "%s", p->acct.unit);
    } else if (p->acct.role == AUTH_CADRE) {
        sc.cadre = p->acct.cadre > 0 ? p->acct.cadre : -1;
    } else if (p->acct.scope_level) {
        sc.lo = p->lo;
        sc.hi = p->hi;
        sc.level = p->acct.scope_level;
    }
    return sc;
}

struct zc_scope http_scope_value(const struct http_req *r)
{
    return http_scope_of(&r->who);
}

bool http_can_read(const struct http_req *r)
{
    return r->authed;
}

bool http_can_write(const struct http_req *r)
{
    return r->authed && (auth_role_is_staff(r->who.acct.role) || r->who.acct.role == AUTH_ADMIN);
}

bool http_sees_id_numbers(const struct http_req *r)
{
    return r->authed && (auth_role_is_staff(r->who.acct.role) || r->who.acct.role == AUTH_ADMIN);
}

bool http_scope_narrowed(struct http_req *r, const char *arg, struct zc_scope *sc)
{
    struct zc_error err = {0};
    *sc = http_scope_value(r);
    if (arg && *arg && zc_scope_narrow(sc, arg, &err) != ZC_OK) {
        if (err.code == ZC_EFORBIDDEN)
            http_error(r, 404, "not_found", "no division %s in your jurisdiction", arg);
        else
            http_zc_error(r, &err);
        return false;
    }
    return true;
}
