/* SPDX-License-Identifier: MIT */
/* finding.c - inspectors' findings kept in the audit record (assess.h).
 *
 * A finding of this kind is an entry of the audit log itself: the chain
 * makes it as hard to edit quietly as any change to the ledger. Findings
 * are small writes that the HTTP writer commits in groups, which makes
 * them the write path of the benchmark. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_int.h"
#include "auth/audit.h"

int assess_note_village(struct store *s, const struct zc_scope *scope, int64_t village,
                        struct zc_error *err)
{
    struct store_stmt *q = NULL;
    bool row = false;
    int rc = assess_prepare(s, scope->cadre != 0 ? AQ_NOTE_VILLAGE_OWN : AQ_NOTE_VILLAGE, &q, err);
    if (rc == ZC_OK) {
        store_bind_int(q, 1, village);
        if (scope->cadre != 0) {
            store_bind_int(q, 2, scope->cadre);
        } else {
            store_bind_int(q, 2, scope->lo);
            store_bind_int(q, 3, scope->hi);
        }
        rc = store_step(q, &row, err);
    }
    store_finalize(q);
    if (rc == ZC_OK && !row)
        rc = zc_error_set(err, ZC_ENOTFOUND, "no village %lld in your jurisdiction",
                          (long long)village);
    return rc;
}

int assess_note_add(struct store *s, int64_t village, const char *text, const char *actor,
                    const char *addr, struct audit_entry *e, struct zc_error *err)
{
    char target[16];
    json_t *o = json_pack("{s:I, s:s}", "village", (json_int_t)village, "text", text);
    char *nj = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    int rc;
    json_decref(o);
    snprintf(target, sizeof(target), "%lld", (long long)village);
    memset(e, 0, sizeof(*e));
    e->actor = actor;
    e->addr = addr;
    e->action = "finding";
    e->target = target;
    e->division = village;
    e->new_json = nj;
    rc = audit_append(s, e, err);
    e->actor = e->addr = e->action = e->target = e->new_json = NULL;
    free(nj);
    return rc;
}

int assess_notes(struct store *s, const struct zc_scope *scope, int64_t limit,
                 void (*fn)(void *ud, const struct audit_entry *e), void *ud, struct zc_error *err)
{
    int64_t lo = scope->level ? scope->lo : 0, hi = scope->level ? scope->hi : 0;
    return audit_list(s, limit, lo, hi, "finding", fn, ud, err);
}
