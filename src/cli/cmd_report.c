/* SPDX-License-Identifier: MIT */
/* cmd_report.c - `zhucun report`: the monthly bulletin (通报) as HTML, PDF
 * or XLSX, and the figures the web's pages show (report/figures.h) for
 * county staff at the terminal: the overview, the coverage one level down,
 * a village's team, as a table, CSV, JSON (the API's answer) or the
 * workbook the page downloads. Written files are recorded as exports. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/scope.h"
#include "cli.h"
#include "ingest/tablewriter.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "report/bulletin.h"
#include "report/figures.h"
#include "store/store.h"

static int report_usage(FILE *f)
{
    fprintf(
        f, "usage: zhucun [--db PATH] report bulletin --month YYYY-MM --scope CODE\n"
           "                --format html|pdf|xlsx -o FILE [--policy FILE]\n"
           "       zhucun [--db PATH] report overview|coverage [--scope CODE] [--date YYYY-MM-DD]\n"
           "                [--format table|csv|json|xlsx] [-o FILE]\n"
           "       zhucun [--db PATH] report team VILLAGE [--scope CODE] [--date YYYY-MM-DD]\n"
           "                [--format table|json|xlsx] [-o FILE]\n\n"
           "bulletin: the monthly bulletin (通报) of a county or province, in Chinese:\n"
           "presence against the residence rule by township and sending unit,\n"
           "inspections and findings, tickets, the negative list and the ladder, good\n"
           "examples, next month's focus, and the audit record's head to keep with the\n"
           "printed copy.\n"
           "overview: the home page's figures for the scope (everywhere without --scope):\n"
           "coverage of the poor villages by class (first secretary, full team), the\n"
           "serving cadres by unit category and level, the units sending most, age and\n"
           "education, and the coverage of each division one level down.\n"
           "coverage: that last table only (the one --format csv writes).\n"
           "team: a village's team serving, its past postings, recalls and households.\n"
           "--date: the ledger as of that day (postings begun by then and not yet ended);\n"
           "without it, every open posting, ages as of today (ZHUCUN_TODAY).\n"
           "--format json prints what GET /api/v1/stats (or /villages/CODE/team) answers;\n"
           "xlsx writes the workbook the page downloads. Files (csv, json, xlsx) are\n"
           "recorded as exports in the audit log.\n");
    return f == stdout ? 0 : 64;
}

/* ---- the figures -------------------------------------------------------------------- */

enum fig_format { FF_TABLE, FF_CSV, FF_JSON, FF_XLSX };

/* YYYY-MM-DD into out (normalised), as the API's ?date takes it. */
static bool day_arg(const char *v, char out[11])
{
    int y, m, d;
    char tail;
    if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
        sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1900 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return false;
    snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return true;
}

/* The document's tables at the terminal: caption, header, rows. */
static size_t print_tables(const struct report_doc *d, FILE *f)
{
    struct report_table_view v;
    size_t rows = 0;
    for (size_t t = 0; report_doc_table(d, t, &v); t++) {
        fprintf(f, "%s%s\n", t ? "\n" : "", v.caption);
        for (size_t c = 0; c < v.ncols; c++)
            fprintf(f, "%s%s", c ? "  " : "", v.headers[c]);
        fputc('\n', f);
        for (size_t r = 0; r < v.nrows; r++, rows++) {
            for (size_t c = 0; c < v.ncols; c++) {
                const char *x = v.cells[r * v.ncols + c];
                fprintf(f, "%s%s", c ? "  " : "", x ? x : "");
            }
            fputc('\n', f);
        }
    }
    return rows;
}

/* The document's one table as CSV (Chinese headers) into `path`. */
static int write_csv(const struct report_doc *d, const char *path, struct zc_error *err)
{
    struct report_table_view v;
    struct tw_column cols[16];
    struct tablewriter *tw = NULL;
    FILE *f;
    int rc;
    if (report_doc_ntables(d) != 1 || !report_doc_table(d, 0, &v) || v.ncols > 16)
        return zc_error_set(err, ZC_EUSAGE,
                            "csv holds one table: use report coverage, or "
                            "--format table|json|xlsx");
    for (size_t c = 0; c < v.ncols; c++)
        cols[c] =
            (struct tw_column){v.headers[c], v.headers[c], v.numeric[c] ? TW_REAL : TW_TEXT, 0};
    f = fopen(path, "w");
    if (!f)
        return zc_error_set(err, ZC_EIO, "cannot write %s", path);
    rc = tw_open(TW_CSV, NULL, f, v.caption, v.caption, cols, v.ncols, &tw, err);
    for (size_t r = 0; rc == ZC_OK && r < v.nrows; r++)
        rc = tw_row(tw, v.cells + r * v.ncols, err);
    if (tw) {
        int rc2 = tw_close(tw, rc == ZC_OK ? err : NULL);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (fclose(f) != 0 && rc == ZC_OK)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s", path);
    return rc;
}

static int write_json(json_t *o, const char *path, struct zc_error *err)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    FILE *f = fopen(path, "w");
    int rc = ZC_OK;
    if (!f || !text || fprintf(f, "%s\n", text) < 0)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s", path);
    if (f && fclose(f) != 0 && rc == ZC_OK)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s", path);
    free(text);
    return rc;
}

/* Render what was read: the document (and the JSON) of the figures. */
static int render(struct store *s, const char *kind, enum fig_format ff, const char *out,
                  struct report_doc *d, json_t *o, size_t rows, struct zc_error *err)
{
    struct cli_export x;
    int rc;
    if (ff == FF_TABLE && !out) {
        print_tables(d, stdout);
        return ZC_OK;
    }
    rc = cli_export_begin(&x, out, err);
    if (rc != ZC_OK)
        return rc;
    switch (ff) {
    case FF_TABLE: {
        FILE *f = fopen(x.path, "w");
        if (!f) {
            rc = zc_error_set(err, ZC_EIO, "cannot write %s", x.path);
            break;
        }
        print_tables(d, f);
        if (fclose(f) != 0)
            rc = zc_error_set(err, ZC_EIO, "cannot write %s", x.path);
        break;
    }
    case FF_CSV:
        rc = write_csv(d, x.path, err);
        break;
    case FF_JSON:
        rc = write_json(o, x.path, err);
        break;
    case FF_XLSX:
        rc = report_write(d, RF_XLSX, x.path, err);
        break;
    }
    return cli_export_finish(&x, s, kind, false, rows, rc, err);
}

static int report_figures(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"scope", required_argument, NULL, 's'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const char *what = argv[0], *scope = NULL, *format = "table", *out = NULL;
    struct report_opts ro = {0};
    struct zc_error err = {0};
    struct zc_scope sc;
    enum fig_format ff;
    struct store *s;
    struct report_doc *d = NULL;
    json_t *o = NULL;
    char day[11];
    size_t rows = 0;
    int64_t village = 0;
    int c, status, rc;
    bool team = strcmp(what, "team") == 0;
    if (cli_wants_help(argc, argv))
        return report_usage(stdout);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            scope = optarg;
            break;
        case 'd':
            if (!day_arg(optarg, day))
                return cli_usage("report", "--date must be a day, YYYY-MM-DD");
            ro.date = day;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        default:
            return report_usage(stderr);
        }
    }
    if (strcmp(format, "table") == 0)
        ff = FF_TABLE;
    else if (strcmp(format, "csv") == 0 && !team)
        ff = FF_CSV;
    else if (strcmp(format, "json") == 0)
        ff = FF_JSON;
    else if (strcmp(format, "xlsx") == 0)
        ff = FF_XLSX;
    else
        return cli_usage("report", "--format is table, %sjson or xlsx", team ? "" : "csv, ");
    if (team) {
        enum division_level lv;
        if (optind + 1 != argc ||
            division_parse(argv[optind], strlen(argv[optind]), &village, &lv, NULL) != ZC_OK ||
            lv != DIV_VILLAGE)
            return cli_usage("report", "team takes one village's 12-digit code");
    } else if (optind != argc) {
        return cli_usage("report", "%s takes no arguments besides its options", what);
    }
    if (ff == FF_XLSX && !out)
        return cli_usage("report", "--format xlsx needs -o FILE");
    if (cli_scope_opt(scope, &sc, &err) != ZC_OK)
        return cli_usage("report", "--scope: %s", err.msg);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (team) {
        struct report_team *t = NULL;
        rc = report_team(s, &sc, village, &ro, &t, &err);
        if (rc == ZC_OK) {
            char today[16];
            int y, m, dd;
            registry_today(&y, &m, &dd); /* as the web's workbook dates it */
            snprintf(today, sizeof(today), "%04d-%02d-%02d", y % 10000, m % 100, dd % 100);
            d = report_team_doc(t, today, &rows);
            o = report_team_json(t);
        }
        report_team_free(t);
    } else {
        struct report_overview *ov = NULL;
        rc = report_overview(s, &sc, &ro, &ov, &err);
        if (rc == ZC_OK) {
            d = report_overview_doc(ov, strcmp(what, "coverage") == 0, &rows);
            o = report_overview_json(ov);
        }
        report_overview_free(ov);
    }
    if (rc == ZC_OK)
        rc = render(s, what, ff, out, d, o, rows, &err);
    report_doc_free(d);
    json_decref(o);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (out)
        fprintf(stderr, "wrote the %s (%zu rows) to %s\n", what, rows, out);
    return 0;
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
    if (strcmp(argv[1], "overview") == 0 || strcmp(argv[1], "coverage") == 0 ||
        strcmp(argv[1], "team") == 0)
        return report_figures(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "bulletin") != 0)
        return cli_usage(
            "report", "unknown report '%s'; they are: bulletin, overview, coverage, team", argv[1]);
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
