/* SPDX-License-Identifier: MIT */
/* cli_audit.c - audit entries for writes made through the command line.
 *
 * Every CLI write appends its entry inside the write's own transaction, with
 * the actor "cli:" + the OS user and the address "local", so the record holds
 * an entry exactly when the change was committed, whichever door it came
 * through. */
#include <pwd.h>
#include <sodium.h>
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

int cli_export_begin(struct cli_export *x, const char *path, struct zc_error *err)
{
    memset(x, 0, sizeof(*x));
    x->user_path = path;
    x->path = path;
    if (path)
        return ZC_OK;
    snprintf(x->tmp, sizeof(x->tmp), "/tmp/zhucun-export-XXXXXX");
    x->fd = mkstemp(x->tmp);
    if (x->fd < 0) {
        x->tmp[0] = '\0';
        return zc_error_set(err, ZC_EIO, "cannot create a temporary file for the export");
    }
    x->path = x->tmp;
    return ZC_OK;
}

int cli_export_finish(struct cli_export *x, struct store *s, const char *kind, bool unmask,
                      size_t rows, int rc, struct zc_error *err)
{
    crypto_generichash_state h;
    unsigned char buf[65536], d[32];
    char hex[65];
    int64_t bytes = 0;
    size_t n;
    FILE *f = NULL;
    if (rc == ZC_OK) {
        f = fopen(x->path, "rb");
        if (!f)
            rc = zc_error_set(err, ZC_EIO, "%s: cannot read the export back", x->path);
    }
    if (rc == ZC_OK) {
        crypto_generichash_init(&h, NULL, 0, sizeof(d));
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
            crypto_generichash_update(&h, buf, n);
            bytes += (int64_t)n;
        }
        crypto_generichash_final(&h, d, sizeof(d));
        sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
        rc = store_begin(s, err);
        if (rc == ZC_OK)
            rc = cli_audit(s, "export", kind, 0, NULL,
                           json_pack("{s:s, s:b, s:I, s:I, s:s, s:s}", "kind", kind, "masked",
                                     !unmask, "rows", (json_int_t)rows, "bytes", (json_int_t)bytes,
                                     "blake2b", hex, "to", x->user_path ? "file" : "stdout"),
                           err);
        if (rc == ZC_OK)
            rc = store_commit(s, err);
        if (rc != ZC_OK)
            store_rollback(s);
    }
    /* Only a recorded export is handed over. */
    if (rc == ZC_OK && !x->user_path) {
        rewind(f);
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
            fwrite(buf, 1, n, stdout);
        fflush(stdout);
    }
    if (f)
        fclose(f);
    if (x->tmp[0]) {
        unlink(x->tmp);
        close(x->fd);
    } else if (rc != ZC_OK && x->user_path) {
        unlink(x->user_path);
    }
    return rc;
}
