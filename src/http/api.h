/* SPDX-License-Identifier: MIT */
/* api.h - the handlers behind the route table (api.c), one per endpoint. */
#ifndef ZC_HTTP_API_H
#define ZC_HTTP_API_H

#include "http_int.h"
#include "registry/registry.h"

#define API_KIND(fn)                                                                               \
    void api_list_##fn(struct http_req *r);                                                        \
    void api_get_##fn(struct http_req *r);
#define API_WRITE(fn)                                                                              \
    void api_create_##fn(struct http_req *r);                                                      \
    void api_replace_##fn(struct http_req *r);                                                     \
    void api_patch_##fn(struct http_req *r);

API_KIND(villages)
API_KIND(cadres)
API_KIND(units)
API_KIND(households)
API_KIND(divisions)
API_KIND(posts)
API_WRITE(villages)
API_WRITE(cadres)
API_WRITE(units)
API_WRITE(households)
API_WRITE(posts)

void api_list_skills(struct http_req *r);
void api_add_skill(struct http_req *r);
void api_import(struct http_req *r);
void api_export(struct http_req *r);
void api_add_finding(struct http_req *r);
void api_list_findings(struct http_req *r);
void api_audit_list(struct http_req *r);
void api_audit_verify(struct http_req *r);
void api_list_plans(struct http_req *r);
void api_get_plan(struct http_req *r);
void api_match(struct http_req *r);
void api_publish(struct http_req *r);
void api_discard(struct http_req *r); /* DELETE /api/v1/plans/:id (a draft) */
/* 点将 and 包村 (api_pin.c). */
void api_list_pins(struct http_req *r);    /* GET /api/v1/pins */
void api_create_pins(struct http_req *r);  /* POST /api/v1/pins */
void api_delete_pins(struct http_req *r);  /* DELETE /api/v1/pins/:cadre */
void api_pin_cadres(struct http_req *r);   /* GET /api/v1/pins/cadres?q=NAME */
void api_list_pairs(struct http_req *r);   /* GET /api/v1/pairs */
void api_create_pairs(struct http_req *r); /* POST /api/v1/pairs */
void api_delete_pairs(struct http_req *r); /* DELETE /api/v1/pairs/:village */
void api_recall(struct http_req *r);
void api_rotate(struct http_req *r);       /* POST /api/v1/plans/:id/rotate */
void api_extend(struct http_req *r);       /* POST /api/v1/plans/:id/extend */
void api_post_holders(struct http_req *r); /* GET /api/v1/post-holders */
void api_delete_posts(struct http_req *r); /* DELETE /api/v1/posts/:code */
void api_explain(struct http_req *r);
void api_list_policies(struct http_req *r);
/* The web UI's pages (api_stats.c, api_detail.c, api_users.c). */
void api_stats(struct http_req *r);
void api_village_team(struct http_req *r);
void api_cadre_profile(struct http_req *r);
void api_plan_slots(struct http_req *r);
void api_template(struct http_req *r);
/* Field work (api_field.c). */
void api_field_checkin(struct http_req *r);
void api_field_photo_upload(struct http_req *r);
void api_field_photo_get(struct http_req *r);
void api_field_policy_list(struct http_req *r);
void api_field_policy_choose(struct http_req *r);
void api_field_policy_clear(struct http_req *r);
void api_field_entry(struct http_req *r);
void api_field_leave(struct http_req *r);
void api_field_leave_approve(struct http_req *r);
void api_field_leave_reject(struct http_req *r);
void api_field_leave_return(struct http_req *r);
void api_field_presence(struct http_req *r);
void api_field_cases(struct http_req *r);
void api_field_case_dismiss(struct http_req *r);
void api_field_case_confirm(struct http_req *r);
void api_field_leave_list(struct http_req *r);
void api_field_policy(struct http_req *r);
void api_field_contest(struct http_req *r);
void api_field_contest_accept(struct http_req *r);
void api_field_contest_reject(struct http_req *r);
void api_field_contest_list(struct http_req *r);
void api_field_entry_list(struct http_req *r);
void api_field_entry_get(struct http_req *r);
void api_field_entry_edit(struct http_req *r);
/* Supervision and assessment (api_assess.c). */
void api_assess_sample(struct http_req *r);
void api_assess_inspection(struct http_req *r);
void api_assess_finding(struct http_req *r);
void api_assess_findings(struct http_req *r);
void api_assess_tickets(struct http_req *r);
void api_assess_ticket(struct http_req *r); /* GET /assess/tickets/:id: with its history */
void api_assess_ticket_fix(struct http_req *r);
void api_assess_ticket_check(struct http_req *r);
void api_assess_negative(struct http_req *r);
void api_assess_negative_add(struct http_req *r);
void api_assess_ladder(struct http_req *r);
void api_assess_ladder_propose(struct http_req *r);
void api_assess_ladder_appeal(struct http_req *r);
void api_assess_ladder_confirm(struct http_req *r);
void api_assess_ladder_withdraw(struct http_req *r);
void api_assess_task(struct http_req *r);
void api_assess_tasks(struct http_req *r);
void api_assess_commend(struct http_req *r);
void api_assess_commendations(struct http_req *r);
void api_assess_promotions(struct http_req *r);
void api_assess_task_done(struct http_req *r);
void api_assess_month(struct http_req *r);
void api_assess_year(struct http_req *r);
void api_assess_grade_set(struct http_req *r);
void api_assess_year_confirm(struct http_req *r);
void api_assess_funds(struct http_req *r);
void api_assess_fund_add(struct http_req *r);
void api_assess_bulletin(struct http_req *r);
void api_list_users(struct http_req *r);
void api_add_user(struct http_req *r);
void api_disable_user(struct http_req *r);

struct policy;
/* The policy the server applies (the default policy file, read once;
 * api_field.c). */
const struct policy *api_policy(void);
void api_outcomes(struct http_req *r);            /* api_outcome.c: GET /outcomes */
void api_outcome_attribution(struct http_req *r); /* GET /outcomes/attribution */
void api_notices(struct http_req *r);             /* api_assess.c: GET /notices */
void api_notice_read(struct http_req *r);         /* POST /notices/:id/read */
void api_watch(struct http_req *r);               /* api_outcome.c: GET /watch */
void api_watch_respond(struct http_req *r);       /* api_outcome.c: POST /households/ID/watch */
/* api_aid.c: the household card, the plan's review, plans in scope. */
void api_household_card(struct http_req *r);
void api_household_causes(struct http_req *r);
void api_household_measure_add(struct http_req *r);
void api_aid_measure_edit(struct http_req *r);
void api_aid_measure_remove(struct http_req *r);
void api_aid_measure_done(struct http_req *r);
void api_household_cadre(struct http_req *r);
void api_household_review(struct http_req *r);
void api_aid_plans(struct http_req *r);

/* Record a download as an `export` audit entry (kind, masked, format, rows,
 * bytes and the BLAKE2b of the bytes of `fd`) on the worker's connection,
 * committed before the bytes go out (api_import.c). */
int api_export_audit(struct http_req *r, const char *kind, bool unmask, const char *fmt,
                     size_t rows, int fd, struct zc_error *err);

/* A page's tables as an Excel workbook (api_xlsx.c). A column names the
 * JSON key of its rows, its Chinese header, and whether it holds numbers
 * (reals with `decimals` places). */
#define API_XCOLS_MAX 16

struct api_xcol {
    const char *key;
    const char *header;
    int numeric;
    int decimals;
};

struct api_xtable {
    const char *caption; /* the sheet's name */
    const struct api_xcol *cols;
    size_t ncols;
    json_t *rows; /* array of objects (borrowed) */
};

/* ?KEY=YYYY-MM-DD into out (normalised): 1 given, 0 absent, -1 not a day
 * (a 400 has been set). */
int api_date_arg(struct http_req *r, const char *key, char out[11]);
/* True for ?format=xlsx. */
bool api_wants_xlsx(struct http_req *r);
/* Answer with the tables as FILE.xlsx (`title` and `subtitle` on its first
 * sheet), recorded as an `export` of `kind` in the audit log first. */
void api_send_xlsx(struct http_req *r, const char *kind, const char *file, const char *title,
                   const char *subtitle, const struct api_xtable *tabs, size_t ntabs);
/* One table of a page's JSON `rows` (borrowed) as FILE.xlsx, titled `title`
 * on its first sheet with "数据截至 <today>": the newer pages' tables (the
 * residence ledger, the month's scores, tickets, funds, outcomes). */
void api_send_rows_xlsx(struct http_req *r, const char *kind, const char *file, const char *title,
                        const struct api_xcol *cols, size_t ncols, json_t *rows);

/* Answer with document `d` (taken over and freed) as FILE.xlsx, recorded as
 * an `export` of `kind` with `rows` rows first (the figures' workbooks,
 * report/figures.h). */
struct report_doc;
void api_send_doc(struct http_req *r, const char *kind, const char *file, struct report_doc *d,
                  size_t rows);

/* Import report lines "FILE:ROW:COLUMN: message" as [{file,row,column,message}]. */
json_t *http_import_details(const struct import_report *rep);

/* Append one audit entry for a write made by `who` from `addr`: `what` is
 * the new state as JSON (taken over and freed), `old_json` the state before
 * (may be NULL). Runs inside the writer's transaction, so the change and its
 * entry commit together or not at all. */
int api_audit_write(struct store *s, const struct auth_principal *who, const char *addr,
                    const char *action, const char *target, int64_t division, const char *old_json,
                    json_t *what, struct zc_error *err);

#endif
