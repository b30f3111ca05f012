/* SPDX-License-Identifier: MIT */
/* main.c - entry point of `zhucun`: global options and the command table.
 *
 * The commands follow the flow of the system:
 *   init, divisions, skills, import, export   the ledger (台账)
 *   eligible                                 selection, with reasons (选)
 *   match, explain, plan                     dispatch (派): plans, orders, recalls
 *   solve                                    the min-cost-flow solver alone
 *   demo                                     the seed scenarios as demo databases
 *   serve, user, audit                       the server, accounts, the audit record
 *   checkin, leave, diary, visit, presence,  field work (管): records, the residence
 *   cases, import checkins                   ledger and the "两头跑" cases
 * Later stages (assessment, reports) add rows here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"

#ifndef ZC_VERSION
#define ZC_VERSION "0.1.0"
#endif

struct command {
    const char *name;
    int (*fn)(struct cli *, int, char **);
    const char *summary;
};

static const struct command commands[] = {
    {"init", cmd_init, "create or migrate the database schema"},
    {"divisions", cmd_divisions, "load and look up the division tree (区划)"},
    {"skills", cmd_skills, "list or extend the skill vocabulary (专业技能)"},
    {"import", cmd_import,
     "import units, villages, cadres, households, members, responsible cadres or plan measures "
     "from CSV/XLSX"},
    {"export", cmd_export, "export a registry as CSV, XLSX or JSON"},
    {"eligible", cmd_eligible, "check every cadre against the eligibility rules, with reasons"},
    {"match", cmd_match, "match cadres to village slots and store a draft plan (选派方案)"},
    {"explain", cmd_explain,
     "explain a plan: score by rule, or why a slot or cadre was not matched"},
    {"pin", cmd_pin, "pin a named cadre to a village for every match (点将)"},
    {"pair", cmd_pair, "record the unit responsible for a village (包村)"},
    {"post", cmd_post, "posts above the village (挂职): add, list, remove, template"},
    {"plan", cmd_plan, "list, show and publish plans (选派命令); recall a cadre (召回撤换)"},
    {"solve", cmd_solve, "solve a DIMACS minimum-cost-flow instance"},
    {"demo", cmd_demo, "create a demo database from a seed scenario"},
    {"serve", cmd_serve, "run the HTTP JSON API and the web UI"},
    {"user", cmd_user, "add, list, disable accounts and set passwords"},
    {"audit", cmd_audit, "list and verify the tamper-evident audit record"},
    {"checkin", cmd_checkin, "record a check-in on site (签到) with its evidence"},
    {"leave", cmd_leave, "ask for, approve and end leave and official trips (请销假)"},
    {"diary", cmd_diary, "add or edit a work diary entry (工作日志)"},
    {"visit", cmd_visit, "record a household visit (入户走访)"},
    {"presence", cmd_presence, "the residence ledger of a month (驻村考勤: days, nights, 达标)"},
    {"cases", cmd_cases, "\"两头跑\" cases with their evidence, for inspectors"},
    {"field", cmd_field, "the field policy a division follows (驻村管理规则, per county or plan)"},
    {"inspect", cmd_inspect, "inspection samples, findings and tickets (督查, 整改, 销号)"},
    {"assess", cmd_assess, "monthly scores, negative list, ladder, annual grades (考核)"},
    {"funds", cmd_funds, "team funds, spending and presence subsidies (经费, 补助)"},
    {"report", cmd_report, "the monthly bulletin (通报) as HTML, PDF or XLSX"},
    {"household", cmd_household,
     "a registered household: yearly status, causes, plan (一户一策) and its five-level review, "
     "responsible cadre (帮扶责任人)"},
    {"outcomes", cmd_outcomes,
     "poverty incidence and exit per village, township, county (脱贫成效)"},
    {"watch", cmd_watch, "exited households at risk of returning to poverty (防返贫监测)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: zhucun [--db PATH] COMMAND [ARGS...]\n\n"
               "驻村干部精准选派与管理 - selection, dispatch and management of village-stationed "
               "cadres\n\n"
               "Global options:\n"
               "  --db PATH     database file (default: $ZHUCUN_DB or ./zhucun.db)\n"
               "  --version     print the version\n"
               "  -h, --help    this help\n\n"
               "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'zhucun COMMAND --help' for a command's options.\n");
}

int cli_fail(const struct zc_error *err)
{
    fprintf(stderr, "zhucun: %s\n", err->msg[0] ? err->msg : zc_err_name(err->code));
    return zc_err_exit_status(err->code);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "zhucun %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'zhucun %s --help')\n", cmd);
    return 64;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}

struct store *cli_open_store(const struct cli *cli, bool create, int *exit_status)
{
    struct zc_error err = {0};
    struct store *s = NULL;
    int rc = store_open(cli->db_path, create ? STORE_CREATE : 0, &s, &err);
    if (rc != ZC_OK) {
        *exit_status = cli_fail(&err);
        return NULL;
    }
    *exit_status = 0;
    return s;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    int i = 1;

    cli.prog = "zhucun";
    cli.db_path = getenv("ZHUCUN_DB");
    if (!cli.db_path || !*cli.db_path)
        cli.db_path = "zhucun.db";

    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            cli.db_path = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli.db_path = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("zhucun %s\n", ZC_VERSION);
            return 0;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "zhucun: unknown option %s\n", argv[i]);
            usage(stderr);
            return 64;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 64;
    }
    if (strcmp(argv[i], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t c = 0; c < NCOMMANDS; c++) {
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].fn(&cli, argc - i, argv + i);
    }
    fprintf(stderr, "zhucun: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return 64;
}
