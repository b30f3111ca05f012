/* SPDX-License-Identifier: MIT */
/* cmd_outcomes.c - `zhucun outcomes`: incidence and exit per village,
 * township and county (贫困发生率, 出列, 摘帽). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/scope.h"
#include "cli.h"
#include "field/field.h"
#include "ingest/tablewriter.h"
#include "outcome/outcome.h"
#include "policy/policy.h"
#include "store/store.h"

static const struct tw_column cols[] = {
    {"code", "区划代码", TW_TEXT, 14},
    {"name", "名称", TW_TEXT, 16},
    {"level", "层级", TW_TEXT, 6},
    {"households", "户数", TW_INT, 8},
    {"population", "人口", TW_INT, 8},
    {"poor_households", "贫困户数", TW_INT, 8},
    {"poor_population", "贫困人口", TW_INT, 8},
    {"incidence", "贫困发生率", TW_REAL, 10},
    {"meets_exit", "达到退出标准", TW_TEXT, 10},
    {"exit_threshold", "退出标准(%)", TW_REAL, 10},
    {"exited_households", "已脱贫户数", TW_INT, 8},
    {"villages_meeting", "达标村数", TW_INT, 8},
    {"villages", "村数", TW_INT, 8},
    {"source", "贫困人口来源", TW_TEXT, 12},
    {"ledger_poor_households", "台账贫困户数", TW_INT, 10},
    {"ledger_poor_population", "台账贫困人口", TW_INT, 10},
    {"consistent", "台账与建档立卡一致", TW_TEXT, 10},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

struct run {
    struct tablewriter *tw; /* NULL: a table on stdout */
    size_t rows, villages, meeting, inconsistent;
    struct zc_error *err;
};

static const char *level_zh(int level)
{
    return level == DIV_COUNTY ? "县" : level == DIV_TOWNSHIP ? "乡" : "村";
}

static int on_row(void *ud, const struct outcome_row *r)
{
    struct run *run = ud;
    char code[16], n[12][24];
    const char *cells[NCOLS];
    snprintf(code, sizeof(code), "%012lld", (long long)r->code);
    snprintf(n[0], 24, "%lld", (long long)r->households);
    snprintf(n[1], 24, "%lld", (long long)r->population);
    snprintf(n[2], 24, "%lld", (long long)r->poor_households);
    snprintf(n[3], 24, "%lld", (long long)r->poor_population);
    if (r->has_incidence)
        snprintf(n[4], 24, "%d.%02d", r->incidence_bp / 100, r->incidence_bp % 100);
    else
        n[4][0] = '\0';
    snprintf(n[5], 24, "%d.%02d", r->exit_bp / 100, r->exit_bp % 100);
    snprintf(n[6], 24, "%lld", (long long)r->exited_households);
    snprintf(n[7], 24, "%d", r->level == DIV_VILLAGE ? (int)r->meets_exit : r->villages_meeting);
    snprintf(n[8], 24, "%d", r->level == DIV_VILLAGE ? 1 : r->villages);
    cells[0] = code;
    cells[1] = r->name;
    cells[2] = level_zh(r->level);
    for (int i = 0; i < 4; i++)
        cells[3 + i] = n[i];
    cells[7] = n[4];
    cells[8] = r->meets_exit ? "是" : "否";
    cells[9] = n[5];
    cells[10] = n[6];
    cells[11] = n[7];
    cells[12] = n[8];
    cells[13] = r->from_households ? "建档立卡" : "村台账";
    snprintf(n[9], 24, "%lld", (long long)r->ledger_poor_households);
    snprintf(n[10], 24, "%lld", (long long)r->ledger_poor_population);
    if (r->level != DIV_VILLAGE && r->inconsistent)
        snprintf(n[11], 24, "%d 个村不一致", r->inconsistent);
    else
        snprintf(n[11], 24, "%s", r->consistent ? "是" : "否");
    cells[14] = n[9];
    cells[15] = n[10];
    cells[16] = n[11];
    run->inconsistent += r->level == DIV_VILLAGE && !r->consistent;
    run->rows++;
    if (r->level == DIV_VILLAGE) {
        run->villages++;
        run->meeting += r->meets_exit;
    }
    if (!run->tw) {
        printf("%s  %-3s %-16s 户数 %6s  人口 %7s  贫困人口 %6s  发生率 %6s%%  %s\n", code,
               cells[2], r->name, n[0], n[1], n[3], r->has_incidence ? n[4] : "—",
               r->meets_exit ? "达到退出标准" : "未达到");
        return ZC_OK;
    }
    return tw_row(run->tw, cells, run->err);
}

static int usage(FILE *f)
{
    fprintf(f, "usage: zhucun [--db PATH] outcomes --year YYYY [--scope CODE]\n"
               "                [--format table|csv|json|xlsx] [-o FILE] [--policy FILE]\n\n"
               "Poverty outcomes per county, township and village: registered households and\n"
               "people (the village ledger), poor households and people (the registered poor\n"
               "households identified by YYYY and still poor, else the ledger's figures),\n"
               "incidence (贫困发生率, poor people / registered population, two decimals) and\n"
               "whether it is below the exit rule (outcomes.exit_incidence_percent: 2%%, 3%% in\n"
               "the western provinces). Household statuses are the current ones.\n"
               "`zhucun outcomes attribution --help`: team villages against comparable ones.\n");
    return f == stdout ? 0 : 64;
}

/* ---- output: a table on stdout, or CSV/JSON/XLSX through a tablewriter --------------------- */

struct table_out {
    const char *fmt_s, *out; /* --format (table, csv, json, xlsx) and -o FILE */
    enum tw_format fmt;
    FILE *fp;
    struct tablewriter *tw; /* NULL: the table on stdout */
};

/* Check --format and -o; a usage message (and false) when they are wrong. */
static bool table_check(const char *cmd, struct table_out *t, int *status)
{
    struct zc_error err = {0};
    if (strcmp(t->fmt_s, "table") != 0 && tw_format_parse(t->fmt_s, &t->fmt, &err) != ZC_OK) {
        *status = cli_usage(cmd, "--format is table, csv, json or xlsx");
        return false;
    }
    if (t->fmt == TW_XLSX && strcmp(t->fmt_s, "table") != 0 && !t->out) {
        *status = cli_usage(cmd, "--format xlsx needs -o FILE");
        return false;
    }
    return true;
}

static int table_open(struct table_out *t, const char *title, const char *sheet,
                      const struct tw_column *columns, size_t n, struct zc_error *err)
{
    if (strcmp(t->fmt_s, "table") == 0)
        return ZC_OK;
    t->fp = stdout;
    if (t->out && t->fmt != TW_XLSX && !(t->fp = fopen(t->out, "w")))
        return zc_error_set(err, ZC_EIO, "cannot write %s", t->out);
    return tw_open(t->fmt, t->out, t->fp, title, sheet, columns, n, &t->tw, err);
}

/* Finish the table; returns rc or the first write error. */
static int table_close(struct table_out *t, int rc, struct zc_error *err)
{
    if (t->tw) {
        int rc2 = tw_close(t->tw, rc == ZC_OK ? err : NULL);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (t->fp && t->fp != stdout)
        fclose(t->fp);
    return rc;
}

/* ---- zhucun outcomes attribution ----------------------------------------------------- */

static const struct tw_column attr_cols[] = {
    {"code", "区划代码", TW_TEXT, 14},
    {"name", "村", TW_TEXT, 14},
    {"county", "县", TW_TEXT, 10},
    {"class", "类别", TW_TEXT, 10},
    {"base_incidence", "基期发生率", TW_REAL, 10},
    {"incidence", "本期发生率", TW_REAL, 10},
    {"change", "变化(百分点)", TW_REAL, 10},
    {"comparables", "可比村数", TW_INT, 8},
    {"comparables_change", "可比村平均变化(百分点)", TW_REAL, 12},
    {"effect", "差异(百分点)", TW_REAL, 10},
    {"comparable_villages", "可比村", TW_TEXT, 40},
};
#define NATTR (sizeof(attr_cols) / sizeof(attr_cols[0]))

struct attr_run {
    struct tablewriter *tw;
    size_t rows, with_effect;
    int64_t effect_sum;
    struct zc_error *err;
};

/* Basis points as percent (or percentage points) with two decimals. */
static void bp_text(int bp, char out[24])
{
    int a = bp < 0 ? -bp : bp;
    snprintf(out, 24, "%s%d.%02d", bp < 0 ? "-" : "", a / 100, a % 100);
}

static int on_attr(void *ud, const struct outcome_attribution_row *r)
{
    struct attr_run *run = ud;
    char code[16], b[24], n[24], ch[24], k[16], cc[24], e[24];
    const char *cells[NATTR];
    snprintf(code, sizeof(code), "%012lld", (long long)r->code);
    bp_text(r->base_bp, b);
    bp_text(r->now_bp, n);
    bp_text(r->change_bp, ch);
    snprintf(k, sizeof(k), "%d", r->comparables);
    bp_text(r->comparables_change_bp, cc);
    bp_text(r->effect_bp, e);
    run->rows++;
    if (r->has_effect) {
        run->with_effect++;
        run->effect_sum += r->effect_bp;
    }
    if (!run->tw) {
        if (!r->has_incidence)
            printf("%s %-12s %-8s %s  发生率未知\n", code, r->name, r->county_name, r->class_name);
        else if (!r->has_effect)
            printf("%s %-12s %-8s %s  %s%% -> %s%% (%s)  无可比村\n", code, r->name, r->county_name,
                   r->class_name, b, n, ch);
        else
            printf("%s %-12s %-8s %s  %s%% -> %s%% (%s)  可比村 %d 个: %s  差异 %s\n", code,
                   r->name, r->county_name, r->class_name, b, n, ch, r->comparables, cc, e);
        return ZC_OK;
    }
    cells[0] = code;
    cells[1] = r->name;
    cells[2] = r->county_name;
    cells[3] = r->class_name;
    cells[4] = r->has_incidence ? b : NULL;
    cells[5] = r->has_incidence ? n : NULL;
    cells[6] = r->has_incidence ? ch : NULL;
    cells[7] = k;
    cells[8] = r->has_effect ? cc : NULL;
    cells[9] = r->has_effect ? e : NULL;
    cells[10] = r->comparable_codes;
    return tw_row(run->tw, cells, run->err);
}

static int attribution_usage(FILE *f)
{
    fprintf(f, "usage: zhucun [--db PATH] outcomes attribution --year YYYY --baseline YYYY\n"
               "                [--band PP] [--scope CODE] [--format table|csv|json|xlsx]\n"
               "                [-o FILE] [--policy FILE]\n\n"
               "What the teams changed: each village that had a team between the baseline and\n"
               "the year, its incidence then and now, against the comparable villages without\n"
               "a team (same county, same class, baseline incidence within PP percentage\n"
               "points, default 3). 差异 is the village's change minus the comparables' mean\n"
               "change: negative where poverty fell further with the team. Incidence as in\n"
               "`zhucun outcomes` for each year.\n");
    return f == stdout ? 0 : 64;
}

static int cmd_attribution(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},   {"baseline", required_argument, NULL, 'b'},
        {"band", required_argument, NULL, 'w'},   {"scope", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *scope_s = NULL, *pol = NULL;
    struct zc_error err = {0};
    struct attr_run run = {.err = &err};
    struct table_out to = {.fmt_s = "table", .fmt = TW_CSV};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    long year = 0, base = 0;
    double band = 3;
    char *end;
    int c, status, rc = ZC_OK;
    if (cli_wants_help(argc, argv))
        return attribution_usage(stdout);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            year = strtol(optarg, &end, 10);
            if (*end)
                year = 0;
            break;
        case 'b':
            base = strtol(optarg, &end, 10);
            if (*end)
                base = 0;
            break;
        case 'w':
            band = strtod(optarg, &end);
            if (*end || band < 0 || band > 100)
                return cli_usage("outcomes attribution", "--band takes percentage points, 0-100");
            break;
        case 's':
            scope_s = optarg;
            break;
        case 'f':
            to.fmt_s = optarg;
            break;
        case 'o':
            to.out = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return attribution_usage(stderr);
        }
    }
    if (year < 2000 || year > 2100 || base < 2000 || base > 2100 || optind != argc)
        return cli_usage("outcomes attribution", "expected --year YYYY and --baseline YYYY");
    if (!table_check("outcomes attribution", &to, &status))
        return status;
    if (cli_scope_opt(scope_s, &sc, &err) != ZC_OK)
        return cli_usage("outcomes attribution", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    {
        char title[64];
        snprintf(title, sizeof(title), "驻村成效对比 %ld—%ld年", base, year);
        rc = table_open(&to, title, "attribution", attr_cols, NATTR, &err);
        run.tw = to.tw;
    }
    if (rc == ZC_OK)
        rc = outcome_attribution(s, &p, &sc, (int)base, (int)year, (int)(band * 100 + 0.5), on_attr,
                                 &run, &err);
    rc = table_close(&to, rc, &err);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (!run.tw) {
        char mean[24];
        bp_text(run.with_effect ? (int)(run.effect_sum / (int64_t)run.with_effect) : 0, mean);
        printf("%zu villages with a team, %zu with comparable villages; mean difference %s "
               "percentage points\n",
               run.rows, run.with_effect, run.with_effect ? mean : "—");
    }
    return 0;
}

int cmd_outcomes(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},   {"scope", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *year_s = NULL, *scope_s = NULL, *pol = NULL;
    struct table_out to = {.fmt_s = "table", .fmt = TW_CSV};
    struct zc_error err = {0};
    struct run run = {.err = &err};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    char *end = NULL;
    long year;
    int c, status, rc;
    if (argc > 1 && strcmp(argv[1], "attribution") == 0)
        return cmd_attribution(cli, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv))
        return usage(stdout);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            year_s = optarg;
            break;
        case 's':
            scope_s = optarg;
            break;
        case 'f':
            to.fmt_s = optarg;
            break;
        case 'o':
            to.out = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return usage(stderr);
        }
    }
    year = year_s ? strtol(year_s, &end, 10) : 0;
    if (!year_s || *end || year < 2000 || year > 2100 || optind != argc)
        return cli_usage("outcomes", "expected --year YYYY");
    if (!table_check("outcomes", &to, &status))
        return status;
    if (cli_scope_opt(scope_s, &sc, &err) != ZC_OK)
        return cli_usage("outcomes", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    {
        char title[64];
        snprintf(title, sizeof(title), "脱贫成效 %ld年", year);
        rc = table_open(&to, title, "outcomes", cols, NCOLS, &err);
        run.tw = to.tw;
    }
    {
        /* Each division's exit rule is the policy chosen for it, unless a
         * --policy FILE was named. */
        struct field_policy_map pm;
        if (rc == ZC_OK &&
            (rc = field_policy_map_open(s, &sc, &p, pol == NULL, &pm, &err)) == ZC_OK) {
            rc = outcome_list(s, &pm, &sc, (int)year, on_row, &run, &err);
            field_policy_map_fini(&pm);
        }
    }
    rc = table_close(&to, rc, &err);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (!run.tw)
        printf("%zu villages, %zu meet the exit rule; %zu where the ledger's poor figures and the "
               "registered households differ (column 台账与建档立卡一致)\n",
               run.villages, run.meeting, run.inconsistent);
    return 0;
}

/* ---- zhucun household status ---------------------------------------------------------- */

static int household_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun [--db PATH] household status --household ID --year YYYY\n"
            "                --status 贫困|脱贫|返贫|监测 [--income YUAN] [--met LIST]\n"
            "                [--unmet LIST] [--evidence TEXT] [--scope CODE] [--policy FILE]\n\n"
            "Record a registered poor household's status for a year, with its income per\n"
            "person and the 两不愁三保障 checks: LIST is comma separated from 吃, 穿, 义务教育,\n"
            "基本医疗, 住房安全, 饮水安全 (or 全部). 脱贫 needs all six met and the income at or\n"
            "above outcomes.income_line_yuan. `zhucun outcomes --year` counts the household\n"
            "by its latest status up to that year.\n");
    return f == stdout ? 0 : 64;
}

/* Length of the separator at `p` (',' ';' ' ' or the full-width ， 、), or 0. */
static size_t sep_len(const char *p)
{
    if (*p == ',' || *p == ';' || *p == ' ')
        return 1;
    if (strncmp(p, "，", 3) == 0 || strncmp(p, "、", 3) == 0)
        return 3;
    return 0;
}

/* Mark the checks named in `list` with `value`; false names the bad item. */
static bool mark_checks(const char *list, int value, int *check, char *bad, size_t n)
{
    for (const char *p = list; *p;) {
        const char *e = p;
        size_t k;
        bool found = false;
        while (*e && !sep_len(e))
            e++;
        k = (size_t)(e - p);
        if (k &&
            ((k == 6 && strncmp(p, "全部", 6) == 0) || (k == 3 && strncmp(p, "all", 3) == 0))) {
            for (int i = 0; i < OC_NCHECKS; i++)
                check[i] = value;
            found = true;
        }
        for (int i = 0; k && !found && i < OC_NCHECKS; i++) {
            if (strlen(outcome_check_name[i]) == k && strncmp(p, outcome_check_name[i], k) == 0) {
                check[i] = value;
                found = true;
            }
        }
        if (k && !found) {
            snprintf(bad, n, "%.*s", (int)k, p);
            return false;
        }
        p = *e ? e + sep_len(e) : e;
    }
    return true;
}

int cmd_household(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"household", required_argument, NULL, 'h'}, {"year", required_argument, NULL, 'y'},
        {"status", required_argument, NULL, 's'},    {"income", required_argument, NULL, 'i'},
        {"met", required_argument, NULL, 'm'},       {"unmet", required_argument, NULL, 'u'},
        {"evidence", required_argument, NULL, 'e'},  {"scope", required_argument, NULL, 'c'},
        {"policy", required_argument, NULL, 'p'},    {NULL, 0, NULL, 0}};
    struct outcome_status in = {0};
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    const char *year_s = NULL, *income_s = NULL, *met = NULL, *unmet = NULL, *scope_s = NULL,
               *pol = NULL;
    char bad[64], *end = NULL;
    int c, status, rc;
    if (argc < 2 || strcmp(argv[1], "status") != 0)
        return cmd_household_aid(cli, argc, argv);
    if (cli_wants_help(argc, argv))
        return household_usage(stdout);
    argc--, argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            in.household = optarg;
            break;
        case 'y':
            year_s = optarg;
            break;
        case 's':
            in.status = optarg;
            break;
        case 'i':
            income_s = optarg;
            break;
        case 'm':
            met = optarg;
            break;
        case 'u':
            unmet = optarg;
            break;
        case 'e':
            in.evidence = optarg;
            break;
        case 'c':
            scope_s = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return household_usage(stderr);
        }
    }
    if (!in.household || !year_s || !in.status || optind != argc)
        return cli_usage("household", "status needs --household, --year and --status");
    in.year = (int)strtol(year_s, &end, 10);
    if (*end)
        return cli_usage("household", "--year takes a year, e.g. 2018");
    for (int i = 0; i < OC_NCHECKS; i++)
        in.check[i] = -1;
    if (met && !mark_checks(met, 1, in.check, bad, sizeof(bad)))
        return cli_usage("household",
                         "--met: '%s' is not one of 吃, 穿, 义务教育, 基本医疗, "
                         "住房安全, 饮水安全",
                         bad);
    if (unmet && !mark_checks(unmet, 0, in.check, bad, sizeof(bad)))
        return cli_usage("household",
                         "--unmet: '%s' is not one of 吃, 穿, 义务教育, 基本医疗, "
                         "住房安全, 饮水安全",
                         bad);
    if (income_s) {
        double y = strtod(income_s, &end);
        if (*end || y < 0 || y > 1e8)
            return cli_usage("household", "--income takes yuan per person per year");
        in.has_income = true;
        in.income_fen = (int64_t)(y * 100 + 0.5);
    }
    if (cli_scope_opt(scope_s, &sc, &err) != ZC_OK)
        return cli_usage("household", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    in.actor = cli_me();
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = outcome_status_set(s, &p, &sc, &in, &err);
        rc = cli_finish_write(s, rc, "household.status", in.household,
                              json_pack("{s:i, s:s, s:s}", "year", in.year, "status", in.status,
                                        "evidence", in.evidence ? in.evidence : ""),
                              &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("household %s: %s in %d recorded\n", in.household, in.status, in.year);
    return 0;
}

/* ---- zhucun watch ------------------------------------------------------------------------ */

static const struct tw_column watch_cols[] = {
    {"county", "县", TW_TEXT, 10},
    {"township", "乡镇", TW_TEXT, 10},
    {"village_code", "区划代码", TW_TEXT, 14},
    {"village", "村", TW_TEXT, 12},
    {"household", "户编号", TW_TEXT, 14},
    {"exit_year", "脱贫年度", TW_INT, 8},
    {"year", "最近记录年度", TW_INT, 8},
    {"status", "状态", TW_TEXT, 8},
    {"income", "人均收入(元)", TW_REAL, 10},
    {"watch_line", "监测线(元)", TW_REAL, 10},
    {"reasons", "风险", TW_TEXT, 40},
    {"cadre", "帮扶责任人", TW_TEXT, 10},
    {"response", "处置情况", TW_TEXT, 30},
};
#define NWATCH (sizeof(watch_cols) / sizeof(watch_cols[0]))

struct watch_run {
    struct tablewriter *tw;
    int64_t line, town;   /* the watch line; the township of the rows counted */
    size_t rows, in_town; /* all rows; rows of the current township */
    char town_name[64];
    struct zc_error *err;
};

static void watch_town_end(struct watch_run *run)
{
    if (!run->tw && run->in_town)
        printf("  —— %s %09lld: %zu 户\n", run->town_name, (long long)(run->town / 1000),
               run->in_town);
    run->in_town = 0;
}

static int on_watch(void *ud, const struct outcome_watch_row *r)
{
    struct watch_run *run = ud;
    char code[16], ey[8], y[8], inc[24] = "", line[24];
    const char *cells[NWATCH];
    int64_t town = r->village / 1000 * 1000;
    if (town != run->town) {
        watch_town_end(run);
        run->town = town;
        snprintf(run->town_name, sizeof(run->town_name), "%s", r->township_name);
    }
    run->in_town++;
    run->rows++;
    snprintf(code, sizeof(code), "%012lld", (long long)r->village);
    snprintf(ey, sizeof(ey), "%d", r->exit_year);
    snprintf(y, sizeof(y), "%d", r->year);
    if (r->has_income)
        snprintf(inc, sizeof(inc), "%lld.%02lld", (long long)(r->income_fen / 100),
                 (long long)(r->income_fen % 100));
    snprintf(line, sizeof(line), "%lld.%02lld", (long long)(run->line / 100),
             (long long)(run->line % 100));
    cells[0] = r->county_name;
    cells[1] = r->township_name;
    cells[2] = code;
    cells[3] = r->village_name;
    cells[4] = r->household;
    cells[5] = ey;
    cells[6] = y;
    cells[7] = outcome_status_name(r->status);
    cells[8] = inc;
    cells[9] = line;
    cells[10] = r->reasons;
    cells[11] = r->cadre_name;
    cells[12] = r->response;
    if (run->tw)
        return tw_row(run->tw, cells, run->err);
    printf("%s %s %-12s %-12s %d年脱贫 %d年%s  %s%s%s\n", code, r->township_name, r->village_name,
           r->household, r->exit_year, r->year, outcome_status_name(r->status), r->reasons,
           r->cadre_name[0] ? "  帮扶责任人 " : "", r->cadre_name);
    if (r->response[0])
        printf("    处置: %s\n", r->response);
    return ZC_OK;
}

static int watch_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun [--db PATH] watch --year YYYY [--scope CODE]\n"
            "                [--format table|csv|json|xlsx] [-o FILE] [--policy FILE]\n\n"
            "The return-to-poverty watch (防返贫监测): households that have exited (a 脱贫\n"
            "record by YYYY) whose latest yearly status up to YYYY shows a risk: income per\n"
            "person below outcomes.watch_income_percent of outcomes.income_line_yuan, a\n"
            "两不愁三保障 check not met, or a status other than 脱贫 since (返贫, 监测). Listed\n"
            "by county, township and village with the reasons and the responsible cadre.\n\n"
            "       zhucun [--db PATH] watch respond --household ID --year YYYY --text TEXT\n"
            "                [--scope CODE] [--policy FILE]\n"
            "Record what was done about a watched household that year (the latest response\n"
            "shows in the list, column 处置情况); audited.\n");
    return f == stdout ? 0 : 64;
}

static int watch_respond(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"household", required_argument, NULL, 'h'}, {"year", required_argument, NULL, 'y'},
        {"text", required_argument, NULL, 't'},      {"scope", required_argument, NULL, 's'},
        {"policy", required_argument, NULL, 'p'},    {NULL, 0, NULL, 0}};
    const char *hh = NULL, *year_s = NULL, *text = NULL, *scope_s = NULL, *pol = NULL;
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    int64_t village = 0;
    char *end = NULL;
    long year;
    int c, status, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            hh = optarg;
            break;
        case 'y':
            year_s = optarg;
            break;
        case 't':
            text = optarg;
            break;
        case 's':
            scope_s = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return watch_usage(stderr);
        }
    }
    year = year_s ? strtol(year_s, &end, 10) : 0;
    if (!hh || !text || !year_s || *end || year < 2000 || year > 2100 || optind != argc)
        return cli_usage("watch", "respond needs --household ID, --year YYYY and --text TEXT");
    if (cli_scope_opt(scope_s, &sc, &err) != ZC_OK)
        return cli_usage("watch", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = outcome_watch_respond(s, &p, &sc, hh, (int)year, text, cli_me(), &village, &err);
        rc =
            cli_finish_write_in(s, rc, "watch.respond", hh, village,
                                json_pack("{s:i, s:s}", "year", (int)year, "response", text), &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("household %s: the response for %ld is recorded\n", hh, year);
    return 0;
}

int cmd_watch(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},   {"scope", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *year_s = NULL, *scope_s = NULL, *fmt_s = "table", *out = NULL, *pol = NULL;
    struct zc_error err = {0};
    struct watch_run run = {.err = &err};
    enum tw_format fmt = TW_CSV;
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    FILE *fp = NULL;
    char *end = NULL;
    long year;
    int c, status, rc = ZC_OK;
    if (cli_wants_help(argc, argv))
        return watch_usage(stdout);
    if (argc >= 2 && strcmp(argv[1], "respond") == 0)
        return watch_respond(cli, argc - 1, argv + 1);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            year_s = optarg;
            break;
        case 's':
            scope_s = optarg;
            break;
        case 'f':
            fmt_s = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'p':
            pol = optarg;
            break;
        default:
            return watch_usage(stderr);
        }
    }
    year = year_s ? strtol(year_s, &end, 10) : 0;
    if (!year_s || *end || year < 2000 || year > 2100 || optind != argc)
        return cli_usage("watch", "expected --year YYYY");
    if (strcmp(fmt_s, "table") != 0 && tw_format_parse(fmt_s, &fmt, &err) != ZC_OK)
        return cli_usage("watch", "--format is table, csv, json or xlsx");
    if (fmt == TW_XLSX && strcmp(fmt_s, "table") != 0 && !out)
        return cli_usage("watch", "--format xlsx needs -o FILE");
    if (cli_scope_opt(scope_s, &sc, &err) != ZC_OK)
        return cli_usage("watch", "--scope: %s", err.msg);
    if (cli_load_policy(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    run.line = (int64_t)p.outcomes.income_line_fen * p.outcomes.watch_income_percent / 100;
    if (strcmp(fmt_s, "table") != 0) {
        char title[64];
        fp = stdout;
        if (out && fmt != TW_XLSX && !(fp = fopen(out, "w")))
            rc = zc_error_set(&err, ZC_EIO, "cannot write %s", out);
        snprintf(title, sizeof(title), "防返贫监测 %ld年", year);
        if (rc == ZC_OK)
            rc = tw_open(fmt, out, fp, title, "watch", watch_cols, NWATCH, &run.tw, &err);
    }
    if (rc == ZC_OK)
        rc = outcome_watch_list(s, &p, &sc, (int)year, &run.line, on_watch, &run, &err);
    watch_town_end(&run);
    if (run.tw) {
        int rc2 = tw_close(run.tw, rc == ZC_OK ? &err : NULL);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (fp && fp != stdout)
        fclose(fp);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (!run.tw)
        printf("%zu exited households at risk in %ld (监测线 %lld 元 = %d%% of the line)\n",
               run.rows, year, (long long)(run.line / 100), p.outcomes.watch_income_percent);
    return 0;
}
