/* SPDX-License-Identifier: MIT */
/* cli_audit.c - audit entries for writes made through the command line.
 *
 * Every CLI write appends its entry inside the write's own transaction, with
 * the actor "cli:" + the OS user and the address "local", so the record holds
 * an entry exactly when the change was committed, whichever door it came
 * through. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "cli.h"
#include "store/store.h"

const char *cli_actor(char *out, size_t n)
{
    const char *u = getenv("USER");
    if (!u || !*u) {
        struct passwd *pw = getpwuid(getuid());
        u = pw ? pw->pw_name : "unknown";
    }
    snprintf(out, n, "cli:%s", u);
    return out;
}

int cli_audit(struct store *s, const char *action, const char *target, int64_t division,
              const char *old_json, json_t *new_obj, struct zc_error *err)
{
    struct audit_entry e;
    char actor[96], *nj = NULL;
    int rc = auth_init(err);
    if (new_obj) {
        nj = json_dumps(new_obj, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(new_obj);
    }
    if (rc == ZC_OK) {
        memset(&e, 0, sizeof(e));
        e.actor = cli_actor(actor, sizeof(actor));
        e.addr = "local";
        e.action = action;
        e.target = target;
        e.division = division;
        e.old_json = old_json;
        e.new_json = nj;
        rc = audit_append(s, &e, err);
    }
    free(nj);
    return rc;
}
