/* SPDX-License-Identifier: MIT */
/* cli_common.c - small helpers every command shares: who is acting, how a
 * write ends (audit entry and commit in one transaction), the policy and
 * the --scope option. */
#include <stdio.h>

#include "base/scope.h"
#include "cli.h"
#include "policy/policy.h"
#include "store/store.h"

const char *cli_me(void)
{
    static char who[96];
    return cli_actor(who, sizeof(who));
}

int cli_finish_write(struct store *s, int rc, const char *action, const char *target, json_t *what,
                     struct zc_error *err)
{
    return cli_finish_write_in(s, rc, action, target, 0, what, err);
}

int cli_finish_write_in(struct store *s, int rc, const char *action, const char *target,
                        int64_t division, json_t *what, struct zc_error *err)
{
    if (rc == ZC_OK)
        rc = cli_audit(s, action, target, division, NULL, what, err);
    else
        json_decref(what);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

int cli_load_policy(const char *path, struct policy *p, struct zc_error *err)
{
    if (!path)
        path = policy_default_path();
    if (!path) {
        policy_defaults(p);
        return ZC_OK;
    }
    return policy_load_file(path, p, err);
}

int cli_scope_opt(const char *arg, struct zc_scope *sc, struct zc_error *err)
{
    *sc = zc_scope_all();
    return arg ? zc_scope_parse(arg, sc, err) : ZC_OK;
}
