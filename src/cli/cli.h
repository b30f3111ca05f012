/* SPDX-License-Identifier: MIT */
/* cli.h - the `zhucun` command line: one function per subcommand.
 *
 * main.c parses the global options (--db), then calls the subcommand with
 * argv[0] = its name. Each command prints its own --help and returns the
 * process exit status (0 ok, 64 usage, 65 bad input, 66 not found, 3
 * infeasible, 74 storage/io). Commands are thin: they parse flags, call the
 * core modules and print. */
#ifndef ZC_CLI_H
#define ZC_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

struct cli {
    const char *db_path; /* --db, ZHUCUN_DB, or ./zhucun.db */
    const char *prog;    /* "zhucun" */
};

/* Print "zhucun: message" for `err` on stderr; returns the exit status. */
int cli_fail(const struct zc_error *err);

/* Print a usage error and return 64. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True if argv holds -h or --help. */
bool cli_wants_help(int argc, char **argv);

struct store;
/* Open the store named by cli->db_path, creating and migrating the schema
 * when `create` is set. Prints the error and returns NULL on failure. */
struct store *cli_open_store(const struct cli *cli, bool create, int *exit_status);

/* "cli:" + the OS user ($USER, else the passwd entry), written to `out`. */
const char *cli_actor(char *out, size_t n);

/* Append the audit entry of a CLI write (actor cli_actor(), address "local")
 * inside the caller's transaction (store_begin); `new_obj` (may be NULL) is
 * stolen. On error the caller rolls back. (cli_audit.c) */
int cli_audit(struct store *s, const char *action, const char *target, int64_t division,
              const char *old_json, json_t *new_obj, struct zc_error *err);

/* An export through the CLI: written to the user's file, or to a temporary
 * file when it goes to stdout, then digested and recorded (action "export":
 * kind, masked or not, rows, bytes, BLAKE2b) before stdout gets the bytes.
 * cli_export_begin sets x->path to where the exporter writes;
 * cli_export_finish takes the exporter's result and returns the final one
 * (a failed record removes the user's file). (cli_audit.c) */
struct cli_export {
    const char *user_path; /* -o FILE, or NULL for stdout */
    const char *path;      /* where the exporter writes */
    char tmp[64];          /* the temporary file, or "" */
    int fd;                /* its descriptor */
};

int cli_export_begin(struct cli_export *x, const char *path, struct zc_error *err);
int cli_export_finish(struct cli_export *x, struct store *s, const char *kind, bool unmask,
                      size_t rows, int rc, struct zc_error *err);

/* Helpers the commands share (cli_common.c). */
struct policy;
struct zc_scope;
const char *cli_me(void); /* cli_actor() in a static buffer */
/* End a write begun with store_begin(): on success its audit entry (action,
 * target, what: stolen) and the commit, in the write's own transaction;
 * otherwise the rollback. Returns rc or the first failure. */
int cli_finish_write(struct store *s, int rc, const char *action, const char *target, json_t *what,
                     struct zc_error *err);
/* The same with the division the write concerns (a household's village). */
int cli_finish_write_in(struct store *s, int rc, const char *action, const char *target,
                        int64_t division, json_t *what, struct zc_error *err);
/* The policy file at `path`, or the default one (built-in defaults when none). */
int cli_load_policy(const char *path, struct policy *p, struct zc_error *err);
/* --scope CODE, or everywhere when `arg` is NULL. */
int cli_scope_opt(const char *arg, struct zc_scope *sc, struct zc_error *err);

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_divisions(struct cli *cli, int argc, char **argv);
int cmd_skills(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_solve(struct cli *cli, int argc, char **argv);
int cmd_eligible(struct cli *cli, int argc, char **argv);
int cmd_match(struct cli *cli, int argc, char **argv);   /* cmd_match.c */
int cmd_explain(struct cli *cli, int argc, char **argv); /* cmd_match.c */
int cmd_plan(struct cli *cli, int argc, char **argv);    /* cmd_match.c */
int cmd_pin(struct cli *cli, int argc, char **argv);     /* cmd_pin.c */
int cmd_pair(struct cli *cli, int argc, char **argv);    /* cmd_pin.c */
int cmd_post(struct cli *cli, int argc, char **argv);    /* cmd_post.c */
/* `export plan` / `export teams` (cmd_match.c): true if argv names one of
 * those kinds, which cmd_export hands to cmd_export_plan. */
bool cmd_export_is_plan(int argc, char **argv);
int cmd_export_plan(struct cli *cli, int argc, char **argv);
/* `export form households|members|b92` (cmd_aid.c): the national forms. */
int cmd_export_form(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv); /* cmd_serve.c */
int cmd_user(struct cli *cli, int argc, char **argv);  /* cmd_serve.c */
int cmd_audit(struct cli *cli, int argc, char **argv); /* cmd_serve.c */
/* Field work (cmd_field.c). */
int cmd_presence(struct cli *cli, int argc, char **argv);
int cmd_cases(struct cli *cli, int argc, char **argv);
int cmd_checkin(struct cli *cli, int argc, char **argv);
int cmd_leave(struct cli *cli, int argc, char **argv);
int cmd_field(struct cli *cli, int argc, char **argv);
int cmd_diary(struct cli *cli, int argc, char **argv);
int cmd_visit(struct cli *cli, int argc, char **argv);
int cmd_import_checkins(struct cli *cli, int argc, char **argv); /* import checkins FILE */
/* Supervision and assessment (cmd_assess.c). */
int cmd_inspect(struct cli *cli, int argc, char **argv);
int cmd_assess(struct cli *cli, int argc, char **argv);
int cmd_funds(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);    /* cmd_report.c */
int cmd_outcomes(struct cli *cli, int argc, char **argv);  /* cmd_outcomes.c */
int cmd_household(struct cli *cli, int argc, char **argv); /* cmd_outcomes.c */
int cmd_watch(struct cli *cli, int argc, char **argv);     /* cmd_outcomes.c */
/* household causes|plan|review|cadre|cadres (cmd_aid.c), from cmd_household. */
int cmd_household_aid(struct cli *cli, int argc, char **argv);

#endif
