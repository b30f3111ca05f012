/* SPDX-License-Identifier: MIT */
/* cmd_field.c - field work (管) on the command line:
 *   zhucun presence --month YYYY-MM   the residence ledger
 *   zhucun cases --month YYYY-MM      the "两头跑" cases; cases dismiss
 *   zhucun checkin                    record one check-in
 *   zhucun leave request|approve|reject|return
 *   zhucun diary add / zhucun visit add
 * and `zhucun import checkins FILE` (called from cmd_import.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/idcard.h"
#include "base/mem.h"
#include "cli.h"
#include "field/field.h"
#include "ingest/tablewriter.h"
#include "policy/policy.h"
#include "store/store.h"

/* Without --policy, the field policy a county chose for the division (or
 * for the cadre's village) replaces the default one already in *p. */
static int chosen_policy(struct store *s, const char *pol, const struct zc_scope *sc, int64_t cadre,
                         struct policy *p, struct zc_error *err)
{
    struct policy *dflt;
    int rc;
    if (pol)
        return ZC_OK;
    dflt = zc_malloc(sizeof(*dflt));
    *dflt = *p;
    rc = field_policy_at(s, sc->level ? sc->lo : 0, cadre, dflt, p, NULL, err);
    free(dflt);
    return rc;
}

/* ---- presence ----------------------------------------------------------------------- */

enum out_format { OF_TABLE, OF_CSV, OF_JSON, OF_XLSX };

static int parse_format(const char *s, bool xlsx_ok, enum out_format *out)
{
    if (strcmp(s, "table") == 0)
        *out = OF_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = OF_CSV;
    else if (strcmp(s, "json") == 0)
        *out = OF_JSON;
    else if (xlsx_ok && strcmp(s, "xlsx") == 0)
        *out = OF_XLSX;
    else
        return ZC_EINVAL;
    return ZC_OK;
}

static const struct tw_column presence_cols[] = {
    {"id_number", "身份证号", TW_TEXT, 20},
    {"name", "姓名", TW_TEXT, 10},
    {"village", "村", TW_TEXT, 18},
    {"village_code", "村代码", TW_TEXT, 14},
    {"unit", "派出单位", TW_TEXT, 20},
    {"posted_days", "派驻天数", TW_INT, 8},
    {"days", "在村天数", TW_INT, 8},
    {"nights", "在村夜数", TW_INT, 8},
    {"leave_days", "请假天数", TW_INT, 8},
    {"trip_days", "公差天数", TW_INT, 8},
    {"required_days", "应在村天数", TW_INT, 8},
    {"weeks_failed", "未达标周数", TW_INT, 8},
    {"ok", "达标", TW_TEXT, 6},
    {"evidence", "证据数", TW_INT, 8},
    {"subsidy_yuan", "补助(元)", TW_REAL, 10},
    {"late", "补报", TW_INT, 6},
};
#define NPRESENCE (sizeof(presence_cols) / sizeof(presence_cols[0]))

static const struct tw_column day_cols[] = {
    {"date", "日期", TW_TEXT, 12},     {"state", "状态", TW_TEXT, 8},
    {"night", "在村过夜", TW_TEXT, 8}, {"evidence", "证据数", TW_INT, 8},
    {"records", "记录", TW_TEXT, 60},
};

struct prun {
    enum out_format fmt;
    bool unmask;
    struct tablewriter *tw;
    size_t rows, ok;
    const char *ym;
};

static const char *state_zh(int st)
{
    switch (st) {
    case FD_PRESENT:
        return "在村";
    case FD_ABSENT:
        return "缺勤";
    case FD_LEAVE:
        return "请假";
    case FD_TRIP:
        return "公差";
    case FD_FUTURE:
        return "—";
    default:
        return "未派驻";
    }
}

static int presence_row(void *ud, const struct field_presence_row *r)
{
    struct prun *run = ud;
    struct zc_error err = {0};
    char idm[32], code[16], n[12][24];
    const char *cells[NPRESENCE];
    if (run->unmask)
        snprintf(idm, sizeof(idm), "%s", r->id_number);
    else
        idcard_mask(r->id_number, idm, sizeof(idm));
    snprintf(code, sizeof(code), "%lld", (long long)r->village);
    snprintf(n[0], 24, "%d", r->posted_days);
    snprintf(n[1], 24, "%d", r->days);
    snprintf(n[2], 24, "%d", r->nights);
    snprintf(n[3], 24, "%d", r->leave_days);
    snprintf(n[4], 24, "%d", r->trip_days);
    snprintf(n[5], 24, "%d", r->required_days);
    snprintf(n[6], 24, "%d", r->weeks_failed);
    snprintf(n[7], 24, "%d", r->evidence);
    snprintf(n[8], 24, "%lld.%02lld", (long long)(r->subsidy_fen / 100),
             (long long)(r->subsidy_fen % 100));
    snprintf(n[9], 24, "%d", r->late);
    run->rows++;
    run->ok += r->ok;
    if (r->day_detail) { /* one cadre: each day with its records */
        printf("%s %s  %s (%s)  %s\n", idm, r->name, r->village_name, code, run->ym);
        printf("在村 %d 天, 过夜 %d 夜, 请假 %d 天, 公差 %d 天, 应在村 %d 天, 达标: %s, 补助 %s "
               "元\n\n",
               r->days, r->nights, r->leave_days, r->trip_days, r->required_days,
               r->ok ? "是" : "否", n[8]);
        for (int d = 0; d < r->ndays; d++) {
            printf("%s-%02d  %-6s %-4s %s\n", run->ym, d + 1, state_zh(r->state[d]),
                   r->night[d] ? "夜" : "", r->day_detail[d]);
        }
        return ZC_OK;
    }
    if (run->fmt == OF_TABLE) {
        if (run->rows == 1)
            printf("%-20s %-8s %-18s %6s %6s %6s %6s %6s %4s %6s\n", "身份证号", "姓名", "村",
                   "在村天数", "在村夜数", "请假天数", "公差天数", "应在村", "达标", "证据数");
        printf("%-20s %-8s %-18s %6d %6d %6d %6d %6d %4s %6d\n", idm, r->name, r->village_name,
               r->days, r->nights, r->leave_days, r->trip_days, r->required_days,
               r->ok ? "是" : "否", r->evidence);
        return ZC_OK;
    }
    cells[0] = idm;
    cells[1] = r->name;
    cells[2] = r->village_name;
    cells[3] = code;
    cells[4] = r->unit_name;
    for (int i = 0; i < 7; i++)
        cells[5 + i] = n[i];
    cells[12] = r->ok ? "是" : "否";
    cells[13] = n[7];
    cells[14] = n[8];
    cells[15] = n[9];
    return tw_row(run->tw, cells, &err) == ZC_OK ? ZC_OK : ZC_EIO;
}

static int presence_usage(FILE *f)
{
    fprintf(
        f, "usage: zhucun [--db PATH] presence --month YYYY-MM [--scope CODE] [--cadre ID]\n"
           "                [--format table|csv|json|xlsx] [-o FILE] [--unmask] [--policy FILE]\n\n"
           "The residence ledger (驻村考勤): one row per cadre stationed in the month, with\n"
           "days and nights in the village, leave and trip days, whether the policy's rule\n"
           "(field.residence) is met (达标), the number of records behind the figures, and\n"
           "how many check-ins reached the server over a day after they were taken (补报).\n"
           "--cadre ID (cadre ID or 身份证号) lists each day with its records instead.\n"
           "ID numbers are masked unless --unmask.\n");
    return f == stdout ? 0 : 64;
}

/* `presence contest --cadre ID --date D --reason T` and
 * `presence decide ID --accept|--reject [--note T]` (the county). */
static int presence_contest(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"cadre", required_argument, NULL, 'c'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {"accept", no_argument, NULL, 'a'},
                                         {"reject", no_argument, NULL, 'x'},
                                         {"note", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    const char *cadre_arg = NULL, *date = NULL, *reason = NULL, *note = NULL;
    bool contest = strcmp(argv[0], "contest") == 0;
    struct zc_error err = {0};
    struct zc_scope sc = zc_scope_all();
    struct store *s;
    int accept = -1, c, status, rc;
    int64_t id = 0, cadre = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cadre_arg = optarg;
            break;
        case 'd':
            date = optarg;
            break;
        case 'r':
            reason = optarg;
            break;
        case 'a':
            accept = 1;
            break;
        case 'x':
            accept = 0;
            break;
        case 'n':
            note = optarg;
            break;
        default:
            return cli_usage("presence", "unknown option");
        }
    }
    if (contest ? (!cadre_arg || !date || !reason || optind != argc)
                : (accept < 0 || optind + 1 != argc || (id = strtoll(argv[optind], NULL, 10)) <= 0))
        return cli_usage("presence", contest
                                         ? "contest needs --cadre ID --date DATE --reason TEXT"
                                         : "decide needs the contest ID and --accept or --reject");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (contest) {
        rc = field_cadre_lookup(s, cadre_arg, &cadre, &err);
        if (rc == ZC_OK)
            rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_contest_add(s, &sc, cadre, date, reason, &id, &err);
            rc = cli_finish_write(s, rc, "field.contest", cadre_arg,
                                  json_pack("{s:s, s:s}", "date", date, "reason", reason), &err);
        }
        if (rc == ZC_OK)
            printf("%s contested (#%lld); the county organisation department decides\n", date,
                   (long long)id);
    } else {
        char target[40];
        snprintf(target, sizeof(target), "contest:%lld", (long long)id);
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_contest_decide(s, &sc, PA_COUNTY, id, accept == 1, note, cli_me(), &err);
            rc = cli_finish_write(s, rc, accept ? "field.contest.accept" : "field.contest.reject",
                                  target, json_pack("{s:s}", "note", note ? note : ""), &err);
        }
        if (rc == ZC_OK)
            printf("contested day #%lld %s\n", (long long)id, accept ? "accepted" : "rejected");
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

int cmd_presence(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"month", required_argument, NULL, 'm'},  {"scope", required_argument, NULL, 's'},
        {"cadre", required_argument, NULL, 'c'},  {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"unmask", no_argument, NULL, 'u'},
        {"policy", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *month = NULL, *scope_arg = NULL, *cadre_arg = NULL, *out = NULL, *pol = NULL;
    struct prun run = {.fmt = OF_TABLE};
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    int64_t cadre = 0;
    int c, status, rc;

    if (argc > 1 && (strcmp(argv[1], "contest") == 0 || strcmp(argv[1], "decide") == 0))
        return presence_contest(cli, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv))
        return presence_usage(stdout);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            month = optarg;
            break;
        case 's':
            scope_arg = optarg;
            break;
        case 'c':
            cadre_arg = optarg;
            break;
        case 'f':
            if (parse_format(optarg, true, &run.fmt) != ZC_OK)
                return cli_usage("presence", "--format is table, csv, json or xlsx");
            break;
        case 'o':
            out = optarg;
            break;
        case 'u':
            run.unmask = true;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return presence_usage(stderr);
        }
    }
    if (!month || optind != argc)
        return cli_usage("presence", "expected --month YYYY-MM");
    if (run.fmt == OF_XLSX && !out)
        return cli_usage("presence", "--format xlsx needs -o FILE");
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage("presence", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if ((cadre_arg && (rc = field_cadre_lookup(s, cadre_arg, &cadre, &err)) != ZC_OK) ||
        (rc = chosen_policy(s, pol, &sc, cadre, &p, &err)) != ZC_OK) {
        store_close(s);
        return cli_fail(&err);
    }
    run.ym = month;
    rc = ZC_OK;
    if (!cadre && run.fmt != OF_TABLE) {
        FILE *fp = stdout;
        if (out && run.fmt != OF_XLSX && !(fp = fopen(out, "w"))) {
            store_close(s);
            zc_error_set(&err, ZC_EIO, "cannot write %s", out);
            return cli_fail(&err);
        }
        char title[64];
        snprintf(title, sizeof(title), "驻村考勤 %s", month);
        rc = tw_open(run.fmt == OF_CSV    ? TW_CSV
                     : run.fmt == OF_JSON ? TW_JSON
                                          : TW_XLSX,
                     out, fp, title, "presence", presence_cols, NPRESENCE, &run.tw, &err);
        if (rc == ZC_OK)
            rc = field_presence(s, &p, &sc, month, 0, presence_row, &run, &err);
        if (run.tw) {
            int rc2 = tw_close(run.tw, rc == ZC_OK ? &err : NULL);
            if (rc == ZC_OK)
                rc = rc2;
        }
        if (fp != stdout)
            fclose(fp);
    } else {
        rc = field_presence(s, &p, &sc, month, cadre, presence_row, &run, &err);
        if (rc == ZC_OK && !cadre)
            printf("%zu cadres stationed in %s, %zu meet the rule (达标)\n", run.rows, month,
                   run.ok);
        if (rc == ZC_OK && cadre && !run.rows)
            rc = zc_error_set(&err, ZC_ENOTFOUND, "cadre %s was not stationed in %s%s", cadre_arg,
                              month, scope_arg ? " in that scope" : "");
    }
    store_close(s);
    (void)day_cols;
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* ---- cases ------------------------------------------------------------------------------ */

struct crun {
    bool json;
    bool unmask;
    size_t n, open, confirmed;
    bool first;
    struct tablewriter *tw; /* --format csv|xlsx */
};

/* --format csv|xlsx: what `cases confirm|dismiss --file` reads back (干部编号,
 * 日期, 规则, 理由), with what an inspector decides by. */
static const struct tw_column case_cols[] = {
    {"cadre", "干部编号", TW_TEXT, 8},       {"id_number", "身份证号", TW_TEXT, 20},
    {"name", "姓名", TW_TEXT, 10},           {"village", "村", TW_TEXT, 18},
    {"village_code", "村代码", TW_TEXT, 14}, {"date", "日期", TW_TEXT, 12},
    {"rule", "规则", TW_TEXT, 24},           {"rule_name", "规则名称", TW_TEXT, 22},
    {"detail", "情况", TW_TEXT, 50},         {"evidence", "证据", TW_TEXT, 30},
    {"status", "状态", TW_TEXT, 8},          {"reason", "理由", TW_TEXT, 30},
};
#define NCASE_COLS (sizeof(case_cols) / sizeof(case_cols[0]))

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static int case_row(void *ud, const struct field_case *k)
{
    struct crun *run = ud;
    char idm[32];
    if (run->unmask)
        snprintf(idm, sizeof(idm), "%s", k->id_number);
    else
        idcard_mask(k->id_number, idm, sizeof(idm));
    run->n++;
    run->open += !k->dismissed && !k->confirmed;
    run->confirmed += k->confirmed;
    if (run->tw) {
        struct zc_error err = {0};
        char cad[24], code[16];
        snprintf(cad, sizeof(cad), "%lld", (long long)k->cadre);
        snprintf(code, sizeof(code), "%lld", (long long)k->village);
        const char *cells[NCASE_COLS] = {
            cad,
            idm,
            k->name,
            k->village_name,
            code,
            k->day,
            k->rule,
            field_case_rule_name(k->rule),
            k->detail_zh && *k->detail_zh ? k->detail_zh : k->detail,
            k->evidence,
            k->dismissed   ? "已核销"
            : k->confirmed ? "已核实"
                           : "待核实",
            k->dismissed   ? k->dismiss_reason
            : k->confirmed ? k->confirm_reason
                           : "",
        };
        return tw_row(run->tw, cells, &err) == ZC_OK ? ZC_OK : ZC_EIO;
    }
    if (!run->json) {
        printf("%s  %-26s %s %s (%s, cadre %lld)%s\n    %s\n    evidence: %s\n", k->day, k->rule,
               idm, k->name, k->village_name, (long long)k->cadre,
               k->dismissed   ? "  [dismissed]"
               : k->confirmed ? "  [confirmed]"
                              : "",
               k->detail, k->evidence);
        if (k->dismissed)
            printf("    dismissed: %s\n", k->dismiss_reason);
        if (k->confirmed)
            printf("    confirmed: %s\n", k->confirm_reason);
        return ZC_OK;
    }
    printf("%s\n  {\"cadre\": %lld, \"id_number\": ", run->first ? "" : ",", (long long)k->cadre);
    run->first = false;
    json_str(idm);
    printf(", \"name\": ");
    json_str(k->name);
    printf(", \"village\": \"%lld\", \"village_name\": ", (long long)k->village);
    json_str(k->village_name);
    printf(", \"date\": \"%s\", \"rule\": \"%s\", \"detail\": ", k->day, k->rule);
    json_str(k->detail);
    printf(", \"evidence\": [");
    {
        const char *p = k->evidence;
        bool f1 = true;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            printf("%s\"%.*s\"", f1 ? "" : ", ", (int)n, p);
            f1 = false;
            p += n + (comma ? 1 : 0);
        }
    }
    printf("], \"dismissed\": %s", k->dismissed ? "true" : "false");
    if (k->dismissed) {
        printf(", \"dismiss_reason\": ");
        json_str(k->dismiss_reason);
    }
    if (k->confirmed) { /* only then: the cases of earlier outputs stay as they were */
        printf(", \"confirmed\": true, \"confirm_reason\": ");
        json_str(k->confirm_reason);
    }
    printf("}");
    return ZC_OK;
}

/* An import's bad cells on stderr, FILE:ROW:COLUMN each (the first 50). */
static void report_lines(const struct field_import_report *rep)
{
    for (size_t i = 0; i < rep->nlines; i++)
        fprintf(stderr, "%s\n", rep->lines[i]);
    if (rep->nerrors > rep->nlines)
        fprintf(stderr, "... and %zu more errors\n", rep->nerrors - rep->nlines);
}

struct verdict_run {
    struct store *s;
    struct zc_error *err;
};

/* Each verdict of a file is recorded as one `cases confirm` would be. */
static int verdict_audit(void *ud, const struct field_case_verdict *v)
{
    struct verdict_run *vr = ud;
    char target[24];
    snprintf(target, sizeof(target), "%lld", (long long)v->cadre);
    return cli_audit(
        vr->s, v->confirmed ? "field.case.confirm" : "field.case.dismiss", target, 0, NULL,
        json_pack("{s:s, s:s, s:s}", "date", v->day, "rule", v->rule, "reason", v->reason),
        vr->err);
}

/* `cases confirm|dismiss --file FILE`: the verdicts of a file, all or none. */
static int cases_file(struct cli *cli, bool confirm, const char *file, const char *reason,
                      const char *scope_arg)
{
    const char *cmd = confirm ? "cases confirm" : "cases dismiss";
    struct field_import_report rep = {0};
    struct zc_error err = {0};
    struct verdict_run vr = {.err = &err};
    struct zc_scope sc;
    struct store *s;
    int status, rc;
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage(cmd, "--scope: %s", err.msg);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    vr.s = s;
    rc = store_begin(s, &err);
    if (rc == ZC_OK)
        rc = field_case_verdict_file(s, &sc, file, confirm, reason, cli_me(), verdict_audit, &vr,
                                     &rep, &err);
    if (rc == ZC_OK)
        rc = store_commit(s, &err);
    else
        store_rollback(s);
    store_close(s);
    report_lines(&rep);
    size_t added = rep.added;
    field_import_report_fini(&rep);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("%zu case%s %s%s (each stays listed, with its reason)\n", added, added == 1 ? "" : "s",
           confirm ? "confirmed (核实)" : "dismissed",
           confirm ? ": they count on the negative list" : "");
    return 0;
}

/* `cases dismiss` and `cases confirm` (核实): the county's verdict on a case. */
static int cases_dismiss(struct cli *cli, int argc, char **argv)
{
    bool confirm = strcmp(argv[0], "confirm") == 0;
    const char *cmd = confirm ? "cases confirm" : "cases dismiss";
    static const struct option opts[] = {{"cadre", required_argument, NULL, 'c'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"rule", required_argument, NULL, 'r'},
                                         {"reason", required_argument, NULL, 'R'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"file", required_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    const char *cadre_arg = NULL, *date = NULL, *rule = NULL, *reason = NULL, *scope_arg = NULL;
    const char *file = NULL;
    struct zc_error err = {0};
    struct zc_scope sc;
    struct store *s;
    int64_t cadre;
    int c, status, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cadre_arg = optarg;
            break;
        case 'd':
            date = optarg;
            break;
        case 'r':
            rule = optarg;
            break;
        case 'R':
            reason = optarg;
            break;
        case 's':
            scope_arg = optarg;
            break;
        case 'F':
            file = optarg;
            break;
        default:
            return cli_usage(cmd, "unknown option");
        }
    }
    if (file && (cadre_arg || date || rule))
        return cli_usage(cmd, "--file takes the cases from the file: no --cadre, --date, --rule");
    if (file)
        return cases_file(cli, confirm, file, reason, scope_arg);
    if (!cadre_arg || !date || !rule || !reason)
        return cli_usage(cmd, "expected --cadre ID --date YYYY-MM-DD --rule RULE --reason TEXT");
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage(cmd, "--scope: %s", err.msg);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = field_cadre_lookup(s, cadre_arg, &cadre, &err);
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = confirm ? field_case_confirm(s, &sc, cadre, date, rule, reason, cli_me(), &err)
                     : field_case_dismiss(s, &sc, cadre, date, rule, reason, cli_me(), &err);
        rc = cli_finish_write(
            s, rc, confirm ? "field.case.confirm" : "field.case.dismiss", cadre_arg,
            json_pack("{s:s, s:s, s:s}", "date", date, "rule", rule, "reason", reason), &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("case %s %s of cadre %s %s (it stays listed, with the reason)\n", date, rule, cadre_arg,
           confirm ? "confirmed (核实): it counts on the negative list" : "dismissed");
    return 0;
}

/* `cases --format csv|xlsx`: the month's cases as a sheet, recorded as an
 * export (ID numbers masked unless --unmask). */
static int cases_sheet(struct store *s, const struct policy *p, const struct zc_scope *sc,
                       const char *month, enum out_format fmt, const char *out, struct crun *run,
                       struct zc_error *err)
{
    struct cli_export x;
    char title[64];
    int rc = cli_export_begin(&x, out, err);
    if (rc != ZC_OK)
        return rc;
    FILE *fp = NULL;
    snprintf(title, sizeof(title), "“两头跑”线索 %s", month);
    if (fmt == OF_CSV && !(fp = fopen(x.path, "w")))
        rc = zc_error_set(err, ZC_EIO, "cannot write %s", x.path);
    if (rc == ZC_OK)
        rc = tw_open(fmt == OF_CSV ? TW_CSV : TW_XLSX, x.path, fp, title, "cases", case_cols,
                     NCASE_COLS, &run->tw, err);
    if (rc == ZC_OK)
        rc = field_cases(s, p, sc, month, case_row, run, err);
    if (run->tw) {
        int rc2 = tw_close(run->tw, rc == ZC_OK ? err : NULL);
        run->tw = NULL;
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (fp)
        fclose(fp);
    return cli_export_finish(&x, s, "cases", run->unmask, run->n, rc, err);
}

int cmd_cases(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"month", required_argument, NULL, 'm'},  {"scope", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'}, {"policy", required_argument, NULL, 'p'},
        {"unmask", no_argument, NULL, 'u'},       {NULL, 0, NULL, 0}};
    const char *month = NULL, *scope_arg = NULL, *pol = NULL, *out = NULL;
    struct crun run = {.first = true};
    enum out_format fmt = OF_TABLE;
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    int c, status, rc;

    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun [--db PATH] cases --month YYYY-MM [--scope CODE]\n"
               "                [--format table|json|csv|xlsx] [-o FILE] [--policy FILE]\n"
               "                [--unmask]\n"
               "       zhucun [--db PATH] cases dismiss|confirm --cadre ID --date YYYY-MM-DD\n"
               "                --rule RULE --reason TEXT\n"
               "       zhucun [--db PATH] cases dismiss|confirm --file FILE [--reason TEXT]\n\n"
               "\"两头跑\" cases for an inspector: each a cadre, a day, a rule and the records\n"
               "behind it. Rules: impossible_travel, outside_on_present_day,\n"
               "repeated_coordinates, home_city_on_village_day, diary_without_presence\n"
               "(thresholds in the policy's field.cases). The county dismisses a case or\n"
               "confirms it (核实), with a reason; either stays listed, nothing is deleted.\n"
               "--file: the cases of a CSV or XLSX file (the export of --format csv|xlsx,\n"
               "the rows not to decide deleted; or the columns 干部编号 or 身份证号, 日期,\n"
               "规则 (code or Chinese name), 理由 — --reason for rows without one). All or\n"
               "nothing: every bad cell is listed as FILE:ROW:COLUMN (exit status 65).\n"
               "Only a confirmed case puts the cadre on the negative list. Cases are\n"
               "evidence, not scores.\n");
        return 0;
    }
    if (argc > 1 && (strcmp(argv[1], "dismiss") == 0 || strcmp(argv[1], "confirm") == 0))
        return cases_dismiss(cli, argc - 1, argv + 1);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            month = optarg;
            break;
        case 's':
            scope_arg = optarg;
            break;
        case 'f':
            if (parse_format(optarg, true, &fmt) != ZC_OK)
                return cli_usage("cases", "--format is table, json, csv or xlsx");
            run.json = fmt == OF_JSON;
            break;
        case 'o':
            out = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        case 'u':
            run.unmask = true;
            break;
        default:
            return cli_usage("cases", "unknown option");
        }
    }
    if (!month || optind != argc)
        return cli_usage("cases", "expected --month YYYY-MM");
    if (fmt == OF_XLSX && !out)
        return cli_usage("cases", "--format xlsx needs -o FILE (or --format csv)");
    if (out && fmt != OF_CSV && fmt != OF_XLSX)
        return cli_usage("cases", "-o FILE goes with --format csv or xlsx");
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage("cases", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if ((rc = chosen_policy(s, pol, &sc, 0, &p, &err)) != ZC_OK) {
        store_close(s);
        return cli_fail(&err);
    }
    if (fmt == OF_CSV || fmt == OF_XLSX) {
        rc = cases_sheet(s, &p, &sc, month, fmt, out, &run, &err);
        store_close(s);
        if (rc != ZC_OK)
            return cli_fail(&err);
        if (out)
            fprintf(stderr, "wrote %zu cases (%zu open) of %s to %s\n", run.n, run.open, month,
                    out);
        return 0;
    }
    if (run.json)
        printf("{\"month\": \"%s\", \"cases\": [", month);
    rc = field_cases(s, &p, &sc, month, case_row, &run, &err);
    /* "confirmed" only when there are some: the outputs before 核实 stay as they were. */
    if (run.json && run.confirmed)
        printf("%s], \"count\": %zu, \"open\": %zu, \"confirmed\": %zu}\n", run.n ? "\n" : "",
               run.n, run.open, run.confirmed);
    else if (run.json)
        printf("%s], \"count\": %zu, \"open\": %zu}\n", run.n ? "\n" : "", run.n, run.open);
    else if (rc == ZC_OK && run.confirmed)
        printf("%zu cases in %s, %zu open, %zu confirmed\n", run.n, month, run.open, run.confirmed);
    else if (rc == ZC_OK)
        printf("%zu cases in %s, %zu open\n", run.n, month, run.open);
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* ---- check-ins, leave, diary ----------------------------------------------------------- */

static bool parse_double(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end;
}

int cmd_checkin(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"cadre", required_argument, NULL, 'c'},    {"at", required_argument, NULL, 't'},
        {"lat", required_argument, NULL, 'a'},      {"lng", required_argument, NULL, 'n'},
        {"accuracy", required_argument, NULL, 'A'}, {"device", required_argument, NULL, 'd'},
        {"gcj02", no_argument, NULL, 'g'},          {"client-id", required_argument, NULL, 'i'},
        {"policy", required_argument, NULL, 'p'},   {NULL, 0, NULL, 0}};
    struct field_checkin in = {.accuracy_m = -1, .source = "api"};
    struct field_evidence ev;
    const char *cadre_arg = NULL, *at = NULL, *pol = NULL;
    bool has_lat = false, has_lng = false;
    struct zc_error err = {0};
    struct zc_scope sc = zc_scope_all();
    struct policy p;
    struct store *s;
    int c, status, rc;

    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun [--db PATH] checkin --cadre ID [--at 'YYYY-MM-DD HH:MM[:SS]']\n"
               "                [--lat LAT --lng LNG [--gcj02]] [--accuracy M] [--device KEY]\n"
               "                [--client-id ID] [--policy FILE]\n\n"
               "Record one check-in (local time, UTC+8; default now) and print the evidence\n"
               "derived from it: inside or outside the geofence and how far, weak fix,\n"
               "device change, speed from the previous point. A resend with the same\n"
               "--client-id records nothing twice.\n");
        return 0;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cadre_arg = optarg;
            break;
        case 't':
            at = optarg;
            break;
        case 'a':
            if (!(has_lat = parse_double(optarg, &in.lat)))
                return cli_usage("checkin", "--lat needs a number");
            break;
        case 'n':
            if (!(has_lng = parse_double(optarg, &in.lng)))
                return cli_usage("checkin", "--lng needs a number");
            break;
        case 'A':
            if (!parse_double(optarg, &in.accuracy_m) || in.accuracy_m < 0)
                return cli_usage("checkin", "--accuracy needs metres");
            break;
        case 'd':
            in.device = optarg;
            break;
        case 'g':
            in.gcj02 = true;
            break;
        case 'i':
            in.client_id = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return cli_usage("checkin", "unknown option");
        }
    }
    if (!cadre_arg || optind != argc)
        return cli_usage("checkin", "expected --cadre ID");
    if (has_lat != has_lng)
        return cli_usage("checkin", "--lat and --lng go together");
    in.has_pos = has_lat;
    if (at)
        snprintf(in.at, sizeof(in.at), "%s", at);
    else
        field_now(in.at);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = field_cadre_lookup(s, cadre_arg, &in.cadre, &err);
    if (rc == ZC_OK)
        rc = chosen_policy(s, pol, &sc, in.cadre, &p, &err);
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = field_checkin_add(s, &p, &sc, &in, &ev, &err);
        rc = cli_finish_write(s, rc, "field.checkin", cadre_arg,
                              json_pack("{s:s, s:I}", "at", in.at, "id", (json_int_t)ev.id), &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("check-in #%lld%s: village %lld, %s", (long long)ev.id,
           ev.duplicate ? " (already recorded)" : "", (long long)ev.village,
           ev.inside == 1   ? "inside the geofence"
           : ev.inside == 0 ? "OUTSIDE the geofence"
                            : "position unknown");
    if (ev.distance_m >= 0)
        printf(", %.0f m from the centre", ev.distance_m);
    if (ev.weak)
        printf(", weak fix");
    if (ev.device_changed)
        printf(", device changed");
    if (ev.speed_kmh >= 0)
        printf(", %.1f km/h from the previous point", ev.speed_kmh);
    printf("\n");
    return 0;
}

static int leave_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun [--db PATH] leave request --cadre ID --from DATE --to DATE\n"
            "                [--kind leave|trip|meeting] [--reason TEXT] [--policy FILE]\n"
            "       zhucun [--db PATH] leave approve|reject ID --as township|county|city|province\n"
            "                [--note TEXT]   (a rejection needs --note)\n"
            "       zhucun [--db PATH] leave return ID --date DATE   (销假)\n"
            "       zhucun [--db PATH] leave list [--scope CODE] [--unit CODE]\n"
            "                [--status pending|approved|rejected] [--format table|csv|json]\n\n"
            "Leave (请假) and official trips (公差, 会议): asked before they start, never\n"
            "overlapping, approved at the level the policy's field.leave_approval names.\n"
            "Each request and 销假 is copied to the cadre's sending unit (抄送派出单位): list\n"
            "--unit CODE shows the leave of the cadres that unit sent, wherever they serve\n"
            "within --scope; a unit's own account sees just those over the API.\n");
    return f == stdout ? 0 : 64;
}

static const struct tw_column leave_cols[] = {
    {"id", "编号", TW_INT, 6},         {"name", "姓名", TW_TEXT, 10},
    {"village", "村", TW_TEXT, 16},    {"unit", "派出单位", TW_TEXT, 20},
    {"kind", "类型", TW_TEXT, 8},      {"from", "开始", TW_TEXT, 11},
    {"to", "结束", TW_TEXT, 11},       {"days", "天数", TW_INT, 6},
    {"status", "状态", TW_TEXT, 10},   {"approver", "审批", TW_TEXT, 10},
    {"returned", "销假", TW_TEXT, 11}, {"reason", "事由", TW_TEXT, 20},
};
#define NLEAVE (sizeof(leave_cols) / sizeof(leave_cols[0]))

struct leave_run {
    struct tablewriter *tw; /* NULL: the table on stdout */
    size_t rows;
};

static int leave_row(void *ud, const struct field_leave_row *l)
{
    struct leave_run *run = ud;
    struct zc_error err = {0};
    char id[24], days[16];
    run->rows++;
    snprintf(id, sizeof(id), "%lld", (long long)l->id);
    snprintf(days, sizeof(days), "%d", l->days);
    if (!run->tw) {
        printf("%-6s %-10s %-16s %-20s %-8s %s..%s %3s %-9s %-9s %s\n", id, l->name,
               l->village_name, l->unit_name[0] ? l->unit_name : l->unit, l->kind, l->start, l->end,
               days, l->status, l->approver, l->returned[0] ? l->returned : "-");
        return ZC_OK;
    }
    const char *cells[NLEAVE] = {id,        l->name,     l->village_name, l->unit_name,
                                 l->kind,   l->start,    l->end,          days,
                                 l->status, l->approver, l->returned,     l->reason};
    return tw_row(run->tw, cells, &err) == ZC_OK ? ZC_OK : ZC_EIO;
}

static int leave_list(struct cli *cli, const char *scope_arg, const char *unit, const char *state,
                      const char *fmt)
{
    struct zc_error err = {0};
    struct zc_scope sc = zc_scope_all();
    struct leave_run run = {0};
    struct store *s;
    enum tw_format tf = TW_CSV;
    int status, rc;
    bool table = !fmt || strcmp(fmt, "table") == 0;
    if (!table && tw_format_parse(fmt, &tf, &err) != ZC_OK)
        return cli_usage("leave", "--format is table, csv or json");
    if (!table && tf == TW_XLSX)
        return cli_usage("leave", "--format is table, csv or json");
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage("leave", "--scope: %s", err.msg);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = table ? ZC_OK
               : tw_open(tf, NULL, stdout, "请销假", "leave", leave_cols, NLEAVE, &run.tw, &err);
    if (rc == ZC_OK)
        rc = field_leave_list(s, &sc, state, unit, leave_row, &run, &err);
    if (run.tw) {
        int rc2 = tw_close(run.tw, rc == ZC_OK ? &err : NULL);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (rc == ZC_OK && table)
        printf("%zu leave requests and trips%s%s\n", run.rows, unit ? " of cadres sent by " : "",
               unit ? unit : "");
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

int cmd_leave(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"cadre", required_argument, NULL, 'c'},  {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},     {"kind", required_argument, NULL, 'k'},
        {"reason", required_argument, NULL, 'r'}, {"as", required_argument, NULL, 'a'},
        {"note", required_argument, NULL, 'n'},   {"date", required_argument, NULL, 'd'},
        {"policy", required_argument, NULL, 'p'}, {"scope", required_argument, NULL, 's'},
        {"unit", required_argument, NULL, 'u'},   {"status", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'F'}, {NULL, 0, NULL, 0}};
    const char *cadre_arg = NULL, *from = NULL, *to = NULL, *reason = NULL, *as = NULL,
               *note = NULL, *date = NULL, *pol = NULL, *verb, *scope_arg = NULL, *unit = NULL,
               *state = NULL, *fmt = NULL;
    struct zc_error err = {0};
    struct zc_scope sc = zc_scope_all();
    struct store *s;
    int kind = FL_LEAVE, c, status, rc;
    int64_t id = 0;

    if (cli_wants_help(argc, argv) || argc < 2)
        return leave_usage(argc < 2 ? stderr : stdout);
    verb = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cadre_arg = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'k':
            if ((kind = field_leave_kind_parse(optarg)) < 0)
                return cli_usage("leave", "--kind is leave, trip or meeting");
            break;
        case 'r':
            reason = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        case 'n':
            note = optarg;
            break;
        case 'd':
            date = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        case 's':
            scope_arg = optarg;
            break;
        case 'u':
            unit = optarg;
            break;
        case 'S':
            state = optarg;
            break;
        case 'F':
            fmt = optarg;
            break;
        default:
            return leave_usage(stderr);
        }
    }
    if (strcmp(verb, "list") == 0) {
        if (optind != argc)
            return cli_usage("leave", "unexpected argument '%s'", argv[optind]);
        return leave_list(cli, scope_arg, unit, state, fmt);
    }
    if (strcmp(verb, "request") != 0) {
        char *end;
        if (optind + 1 != argc || (id = strtoll(argv[optind], &end, 10)) <= 0 || *end)
            return cli_usage("leave", "expected the leave ID after '%s'", verb);
    }
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (strcmp(verb, "request") == 0) {
        struct field_leave_req in = {.kind = kind, .reason = reason, .actor = cli_me()};
        struct policy p;
        int64_t lid = 0;
        int approver = 0;
        if (!cadre_arg || !from || !to) {
            store_close(s);
            return cli_usage("leave", "request needs --cadre, --from and --to");
        }
        snprintf(in.start, sizeof(in.start), "%s", from);
        snprintf(in.end, sizeof(in.end), "%s", to);
        rc = cli_load_policy(pol, &p, &err);
        if (rc == ZC_OK)
            rc = field_cadre_lookup(s, cadre_arg, &in.cadre, &err);
        if (rc == ZC_OK)
            rc = chosen_policy(s, pol, &sc, in.cadre, &p, &err);
        if (rc == ZC_OK)
            rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_leave_request(s, &p, &sc, &in, &lid, &approver, &err);
            rc = cli_finish_write(s, rc, "field.leave.request", cadre_arg,
                                  json_pack("{s:s, s:s, s:s, s:I}", "kind",
                                            field_leave_kind_name(kind), "from", from, "to", to,
                                            "id", (json_int_t)lid),
                                  &err);
        }
        if (rc == ZC_OK)
            printf("%s #%lld asked for, %s to %s; approved by the %s\n",
                   field_leave_kind_name(kind), (long long)lid, from, to,
                   policy_approver_name(approver));
    } else if (strcmp(verb, "approve") == 0 || strcmp(verb, "reject") == 0) {
        int level = as ? policy_approver_parse(as) : -1;
        if (level < 0) {
            store_close(s);
            return cli_usage("leave", "--as township|county|city|province is required");
        }
        char target[40];
        snprintf(target, sizeof(target), "leave:%lld", (long long)id);
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_leave_decide(s, &sc, level, id, verb[0] == 'a', note, cli_me(), &err);
            rc = cli_finish_write(
                s, rc, verb[0] == 'a' ? "field.leave.approve" : "field.leave.reject", target,
                json_pack("{s:s, s:s}", "as", as, "note", note ? note : ""), &err);
        }
        if (rc == ZC_OK)
            printf("leave #%lld %s\n", (long long)id, verb[0] == 'a' ? "approved" : "rejected");
    } else if (strcmp(verb, "return") == 0) {
        if (!date) {
            store_close(s);
            return cli_usage("leave", "return needs --date");
        }
        char target[40];
        snprintf(target, sizeof(target), "leave:%lld", (long long)id);
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_leave_return(s, &sc, id, date, &err);
            rc = cli_finish_write(s, rc, "field.leave.return", target,
                                  json_pack("{s:s}", "date", date), &err);
        }
        if (rc == ZC_OK)
            printf("leave #%lld ended: back on %s (销假)\n", (long long)id, date);
    } else {
        store_close(s);
        return cli_usage("leave", "unknown action '%s'", verb);
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* `zhucun diary add|edit` and `zhucun visit add|edit`. */
static int entry_cmd(struct cli *cli, int argc, char **argv, bool visit)
{
    static const struct option opts[] = {{"cadre", required_argument, NULL, 'c'},
                                         {"day", required_argument, NULL, 'd'},
                                         {"text", required_argument, NULL, 't'},
                                         {"household", required_argument, NULL, 'h'},
                                         {"lat", required_argument, NULL, 'a'},
                                         {"lng", required_argument, NULL, 'n'},
                                         {"id", required_argument, NULL, 'i'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    const char *name = visit ? "visit" : "diary", *cadre_arg = NULL, *day = NULL, *pol = NULL;
    struct field_entry in = {.visit = visit};
    struct zc_error err = {0};
    struct zc_scope sc = zc_scope_all();
    bool has_lat = false, has_lng = false;
    struct policy p;
    struct store *s;
    int64_t id = 0, edit = 0;
    int c, status, rc;

    if (cli_wants_help(argc, argv) || argc < 2) {
        printf("usage: zhucun [--db PATH] %s add --cadre ID --day YYYY-MM-DD --text TEXT\n"
               "                %s[--lat LAT --lng LNG] [--policy FILE]\n"
               "       zhucun [--db PATH] %s edit --id N %s   (the earlier version is "
               "kept)\n",
               name, visit ? "--household 户编号 " : "", name,
               visit ? "[--text TEXT] [--household 户编号]" : "--text TEXT");
        return argc < 2 ? 64 : 0;
    }
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cadre_arg = optarg;
            break;
        case 'd':
            day = optarg;
            break;
        case 't':
            in.text = optarg;
            break;
        case 'h':
            in.household = optarg;
            break;
        case 'a':
            if (!(has_lat = parse_double(optarg, &in.lat)))
                return cli_usage(name, "--lat needs a number");
            break;
        case 'n':
            if (!(has_lng = parse_double(optarg, &in.lng)))
                return cli_usage(name, "--lng needs a number");
            break;
        case 'i':
            edit = strtoll(optarg, NULL, 10);
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return cli_usage(name, "unknown option");
        }
    }
    in.has_pos = has_lat && has_lng;
    if (strcmp(argv[1], "edit") == 0) {
        if (edit <= 0 || (!in.text && !(visit && in.household)))
            return cli_usage(name, visit ? "edit needs --id and --text or --household"
                                         : "edit needs --id and --text");
        if (!visit && in.household)
            return cli_usage(name, "a diary entry names no household (visit edit does)");
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        char target[40];
        snprintf(target, sizeof(target), "entry:%lld", (long long)edit);
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_entry_edit(s, NULL, &sc, edit, in.text, in.household, NULL, &err);
            rc = cli_finish_write(
                s, rc, "field.entry.edit", target,
                in.household ? json_pack("{s:s}", "household", in.household) : NULL, &err);
        }
        store_close(s);
        if (rc != ZC_OK)
            return cli_fail(&err);
        printf("%s entry #%lld edited; the earlier version is kept\n", name, (long long)edit);
        return 0;
    }
    if (strcmp(argv[1], "add") != 0)
        return cli_usage(name, "unknown action '%s'", argv[1]);
    if (!cadre_arg || !day || !in.text)
        return cli_usage(name, "add needs --cadre, --day and --text");
    snprintf(in.day, sizeof(in.day), "%s", day);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = field_cadre_lookup(s, cadre_arg, &in.cadre, &err);
    if (rc == ZC_OK)
        rc = chosen_policy(s, pol, &sc, in.cadre, &p, &err);
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = field_entry_add(s, &p, &sc, &in, &id, &err);
        rc = cli_finish_write(s, rc, visit ? "field.visit" : "field.diary", cadre_arg,
                              json_pack("{s:s, s:I}", "day", in.day, "id", (json_int_t)id), &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("%s entry #%lld for %s\n", name, (long long)id, day);
    return 0;
}

int cmd_diary(struct cli *cli, int argc, char **argv)
{
    return entry_cmd(cli, argc, argv, false);
}

int cmd_visit(struct cli *cli, int argc, char **argv)
{
    return entry_cmd(cli, argc, argv, true);
}

/* `zhucun import checkins FILE [--map 列名=field ...] [--sheet NAME] [--policy FILE]
 * [--scope CODE]`. */
int cmd_import_checkins(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"map", required_argument, NULL, 'm'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"sheet", required_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *pol = NULL, *scope_arg = NULL, *sheet = NULL,
               **map = zc_calloc((size_t)argc + 1, sizeof(char *));
    struct field_import_report rep = {0};
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    size_t nmap = 0;
    int c, status, rc;

    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!strchr(optarg, '=')) {
                free(map);
                return cli_usage("import checkins", "--map needs 列名=field");
            }
            map[nmap++] = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        case 's':
            scope_arg = optarg;
            break;
        case 'h':
            sheet = optarg;
            break;
        default:
            free(map);
            return cli_usage("import checkins", "unknown option");
        }
    }
    if (optind + 1 != argc) {
        free(map);
        return cli_usage("import checkins", "expected FILE");
    }
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK || cli_load_policy(pol, &p, &err) != ZC_OK) {
        free(map);
        return cli_fail(&err);
    }
    s = cli_open_store(cli, false, &status);
    if (!s) {
        free(map);
        return status;
    }
    rc = chosen_policy(s, pol, &sc, 0, &p, &err);
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = field_import_checkins(s, &p, &sc, argv[optind], map, sheet, &rep, &err);
        rc = cli_finish_write(s, rc, "import.checkins", argv[optind],
                              json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)rep.rows, "added",
                                        (json_int_t)rep.added, "duplicates",
                                        (json_int_t)rep.duplicates),
                              &err);
    }
    store_close(s);
    free(map);
    if (rc == ZC_EINVAL)
        report_lines(&rep);
    if (rc != ZC_OK) {
        field_import_report_fini(&rep);
        return cli_fail(&err);
    }
    printf("%s: %zu rows%s: %zu added, %zu already recorded\n", argv[optind], rep.rows,
           rep.dingtalk ? " (DingTalk attendance export)" : "", rep.added, rep.duplicates);
    field_import_report_fini(&rep);
    return 0;
}

/* ---- the field policy per division ----------------------------------------------------- */

static int field_usage(FILE *f)
{
    fprintf(f, "usage: zhucun field policy set --scope CODE (--policy NAME | --plan ID)\n"
               "       zhucun field policy clear --scope CODE\n"
               "       zhucun field policy list [--scope CODE]\n"
               "       zhucun field policy show --scope CODE\n\n"
               "The field rules (geofence, check-ins, residence rule, leave chain, cases) a\n"
               "division follows: a policy from the policy directory (policies/NAME.json) or\n"
               "the one a plan was matched with. A cadre's records follow the innermost choice\n"
               "over their village, a ledger over a division the innermost choice over it;\n"
               "where nothing is chosen, the default policy applies. --policy FILE on the\n"
               "other commands still overrides. Audited (field.policy.choose / .clear).\n\n"
               "       zhucun field photos prune [--before DATE] [--dry-run] [--policy FILE]\n\n"
               "Deletes the check-in and visit photos no longer needed: those whose every\n"
               "record is older than the retention of the policy over its village\n"
               "(field.photos.keep_months; and before DATE when given), and uploads no record\n"
               "carries after field.photos.unattached_days. A photo a record within its\n"
               "retention carries is never deleted; the records keep the photo's SHA-256.\n"
               "--dry-run counts what would go; counts and bytes are printed and audited.\n");
    return f == stdout ? 0 : 64;
}

static char *read_text(const char *path, struct zc_error *err)
{
    FILE *f = fopen(path, "rb");
    struct buf b;
    char chunk[8192];
    size_t n;
    if (!f) {
        zc_error_set(err, ZC_EIO, "cannot read %s", path);
        return NULL;
    }
    buf_init(&b);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

static int choice_print(void *ud, const struct field_policy_choice *c)
{
    char from[32] = "";
    (void)ud;
    if (c->plan)
        snprintf(from, sizeof(from), " (plan %lld)", (long long)c->plan);
    printf("%lld\t%s\t%s%s\t%s\t%s\n", (long long)c->division,
           c->division_name[0] ? c->division_name : "-", c->name, from, c->by, c->at);
    return ZC_OK;
}

/* zhucun field photos prune [--before DATE] [--dry-run] [--policy FILE] */
static int field_photos(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"before", required_argument, NULL, 'b'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    const char *before = NULL, *pol = NULL;
    struct field_photo_prune_report rep;
    struct field_policy_map pm = {0};
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    struct policy p;
    struct store *s;
    bool dry = false;
    int c, status, rc;
    if (argc < 3 || strcmp(argv[2], "prune") != 0)
        return field_usage(stderr);
    optind = 3;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'b')
            before = optarg;
        else if (c == 'n')
            dry = true;
        else if (c == 'p')
            pol = optarg;
        else
            return field_usage(stderr);
    }
    if (optind != argc)
        return cli_usage("field", "unexpected argument '%s'", argv[optind]);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = field_policy_map_open(s, &all, &p, pol == NULL, &pm, &err);
    if (rc == ZC_OK && dry) {
        rc = field_photo_prune(s, &pm, before, true, &rep, &err);
    } else if (rc == ZC_OK && (rc = store_begin(s, &err)) == ZC_OK) {
        rc = field_photo_prune(s, &pm, before, false, &rep, &err);
        rc = cli_finish_write(
            s, rc, "field.photos.prune", before ? before : "",
            json_pack("{s:I, s:I, s:I, s:I, s:I}", "unattached", (json_int_t)rep.unattached,
                      "expired", (json_int_t)rep.expired, "bytes",
                      (json_int_t)(rep.unattached_bytes + rep.expired_bytes), "kept",
                      (json_int_t)rep.kept, "kept_bytes", (json_int_t)rep.kept_bytes),
            &err);
    }
    field_policy_map_fini(&pm);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("%zu photos: %s %zu unattached (%lld bytes) and %zu past their records' retention "
           "(%lld bytes); kept %zu (%lld bytes)%s\n",
           rep.photos, dry ? "would delete" : "deleted", rep.unattached,
           (long long)rep.unattached_bytes, rep.expired, (long long)rep.expired_bytes, rep.kept,
           (long long)rep.kept_bytes, rep.raced ? ", some taken by a record meanwhile" : "");
    return 0;
}

int cmd_field(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"scope", required_argument, NULL, 's'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {"plan", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    const char *scope_arg = NULL, *name = NULL, *plan_arg = NULL, *verb;
    struct zc_error err = {0};
    struct zc_scope all = zc_scope_all(), sc;
    struct store *s;
    int c, status, rc = ZC_OK;
    if (argc >= 2 && strcmp(argv[1], "photos") == 0 && !cli_wants_help(argc, argv))
        return field_photos(cli, argc, argv);
    if (argc < 3 || strcmp(argv[1], "policy") != 0 || cli_wants_help(argc, argv))
        return field_usage(cli_wants_help(argc, argv) ? stdout : stderr);
    verb = argv[2];
    optind = 3;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            scope_arg = optarg;
            break;
        case 'p':
            name = optarg;
            break;
        case 'n':
            plan_arg = optarg;
            break;
        default:
            return field_usage(stderr);
        }
    }
    if (optind != argc)
        return cli_usage("field", "unexpected argument '%s'", argv[optind]);
    if (strcmp(verb, "list") != 0 && !scope_arg)
        return cli_usage("field", "%s needs --scope CODE", verb);
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage("field", "--scope: %s", err.msg);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (strcmp(verb, "list") == 0) {
        rc = field_policy_choices(s, &sc, choice_print, NULL, &err);
    } else if (strcmp(verb, "show") == 0) {
        struct field_policy_choice ch;
        char *text = NULL;
        bool found = false;
        rc = field_policy_choice_for(s, sc.lo, &ch, &text, &found, &err);
        if (rc == ZC_OK && found)
            printf("%s follows %s, chosen for %lld by %s at %s\n", scope_arg, ch.name,
                   (long long)ch.division, ch.by, ch.at);
        else if (rc == ZC_OK)
            printf("%s follows the default policy (nothing chosen for it or above it)\n",
                   scope_arg);
        free(text);
    } else if (strcmp(verb, "clear") == 0) {
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = field_policy_clear(s, &all, scope_arg, &err);
            rc = cli_finish_write_in(s, rc, "field.policy.clear", scope_arg, sc.lo, json_pack("{}"),
                                     &err);
        }
        if (rc == ZC_OK)
            printf("%s follows the policy above it again\n", scope_arg);
    } else if (strcmp(verb, "set") == 0) {
        char pname[64] = "", path[1024], *text = NULL;
        int64_t plan = 0;
        struct policy *check = zc_malloc(sizeof(*check));
        if (!name == !plan_arg) {
            free(check);
            store_close(s);
            return cli_usage("field", "set needs --policy NAME or --plan ID (one of them)");
        }
        if (name) {
            snprintf(pname, sizeof(pname), "%s", name);
            rc = policy_named_path(name, path, sizeof(path), &err);
            if (rc == ZC_OK)
                rc = (text = read_text(path, &err)) ? ZC_OK : err.code;
        } else {
            char *end;
            plan = strtoll(plan_arg, &end, 10);
            rc = *end || plan <= 0 ? zc_error_set(&err, ZC_EINVAL, "--plan: a plan number")
                                   : field_plan_policy(s, plan, pname, &text, &err);
        }
        if (rc == ZC_OK)
            rc = policy_parse(pname, text, strlen(text), check, &err);
        free(check);
        if (rc == ZC_OK)
            rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            struct field_policy_choice ch;
            rc = field_policy_choose(s, &all, scope_arg, pname, text, plan, cli_me(), &ch, &err);
            rc = cli_finish_write_in(
                s, rc, "field.policy.choose", scope_arg, sc.lo,
                json_pack("{s:s, s:I}", "policy", pname, "plan", (json_int_t)plan), &err);
        }
        free(text);
        if (rc == ZC_OK)
            printf("%s now follows the field rules of %s%s\n", scope_arg, pname,
                   plan ? " (from the plan)" : "");
    } else {
        store_close(s);
        return cli_usage("field", "unknown action '%s' (set, clear, list, show)", verb);
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}
