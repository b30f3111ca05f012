/* SPDX-License-Identifier: MIT */
/* bulletin.h - the monthly bulletin (通报) of a county or province.
 *
 * One document in Chinese, built from the records of the month: presence
 * against the residence rule by township and by sending unit, the
 * inspections and their findings, the tickets open, closed and overdue,
 * the negative list and the ladder's steps, good examples, and next
 * month's focus; it ends with the audit record's head (sequence and
 * digest) so that the printed bulletin anchors the record. Written as
 * HTML, PDF or XLSX (report/doc.h). Individuals are not ranked by score
 * unless the policy's assess.public_ranking asks for it. */
#ifndef ZC_REPORT_BULLETIN_H
#define ZC_REPORT_BULLETIN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/scope.h"
#include "report/doc.h"

struct store;
struct policy;

struct bulletin_facts { /* what the bulletin counted, for the caller to print */
    int cadres, ok, inspections, findings, tickets_open, tickets_overdue, negative;
    int rows; /* table rows written */
};

/* Build the bulletin of month `ym` for the division `scope_code` (a county
 * or above; `scope` is the caller's jurisdiction, already narrowed to it)
 * and write it to `path` in `fmt`. */
int report_bulletin(struct store *s, const struct policy *p, const struct zc_scope *scope,
                    int64_t scope_code, const char *ym, enum report_format fmt, const char *path,
                    struct bulletin_facts *facts, struct zc_error *err);

#endif
