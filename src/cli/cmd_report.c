/* SPDX-License-Identifier: MIT */
/* cmd_report.c - `zhucun report bulletin`: the monthly bulletin (通报) as
 * HTML, PDF or XLSX, recorded as an export (it names people). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/division.h"
#include "base/scope.h"
#include "cli.h"
#include "policy/policy.h"
#include "report/bulletin.h"
#include "store/store.h"

static int report_usage(FILE *f)
{
    fprintf(f, "usage: zhucun [--db PATH] report bulletin --month YYYY-MM --scope CODE\n"
               "                --format html|pdf|xlsx -o FILE [--policy FILE]\n\n"
               "The monthly bulletin (通报) of a county or province, in Chinese: presence\n"
               "against the residence rule by township and sending unit, inspections and\n"
               "findings, tickets, the negative list and the ladder, good examples, next\n"
               "month's focus, and the audit record's head to keep with the printed copy.\n");
    return f == stdout ? 0 : 64;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"month", required_argument, NULL, 'm'},  {"scope", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *month = NULL, *scope = NULL, *format = NULL, *out = NULL, *pol = NULL;
    struct bulletin_facts facts;
    struct zc_error err = {0};
    struct cli_export x;
    enum report_format fmt;
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    int c, status, rc;
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
        return report_usage(argc < 2 ? stderr : stdout);
    if (strcmp(argv[1], "bulletin") != 0)
        return cli_usage("report", "unknown report '%s'; the one there is: bulletin", argv[1]);
    if (cli_wants_help(argc, argv))
        return report_usage(stdout);
    optind = 1;
    argc--, argv++;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            month = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return report_usage(stderr);
        }
    }
    if (!month || !scope || !format || !out || optind != argc)
        return cli_usage("report", "bulletin needs --month, --scope, --format and -o FILE");
    if (report_format_parse(format, &fmt, &err) != ZC_OK)
        return cli_usage("report", "%s", err.msg);
    if (cli_scope_opt(scope, &sc, &err) != ZC_OK)
        return cli_usage("report", "--scope: %s", err.msg);
    if (sc.level > DIV_COUNTY)
        return cli_usage("report", "--scope: a bulletin is made for a county (6 digits) or above");
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = cli_export_begin(&x, out, &err);
    if (rc == ZC_OK) {
        rc = report_bulletin(s, &p, &sc, sc.lo, month, fmt, out, &facts, &err);
        rc = cli_export_finish(&x, s, "bulletin", false, (size_t)facts.rows, rc, &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    fprintf(stderr,
            "wrote the bulletin of %s to %s: %d cadres (%d meet the rule), %d inspections, %d "
            "findings, %d open tickets (%d overdue), %d on the negative list\n",
            month, out, facts.cadres, facts.ok, facts.inspections, facts.findings,
            facts.tickets_open, facts.tickets_overdue, facts.negative);
    return 0;
}
