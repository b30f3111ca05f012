/* SPDX-License-Identifier: MIT */
/* cmd_aid.c - `zhucun household causes|plan|review|cadre|cadres`: the
 * causes of a household's poverty, its plan (一户一策) and the plan's
 * five-level review, and its responsible cadre (帮扶责任人). Each write is
 * one transaction with its audit entry (src/aid does the checks). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aid/aid.h"
#include "base/idcard.h"
#include "base/scope.h"
#include "cli.h"
#include "ingest/tablewriter.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "store/store.h"

static int aid_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun [--db PATH] household SUBCOMMAND ... [--scope CODE]\n\n"
            "  causes --household ID [--set LIST]      the causes of poverty (致贫原因), several\n"
            "      from 因病 因残 因学 因灾 缺土地 缺水 缺技术 缺劳力 缺资金 交通条件落后\n"
            "      自身发展动力不足 其他; the first is the main cause\n"
            "  plan add --household ID --kind KIND --what TEXT [--amount YUAN] [--by WHO]\n"
            "      [--due YYYY-MM-DD]                  a measure of the plan (一户一策); KIND is\n"
            "      产业 就业 教育 健康 易地搬迁 危房改造 生态 兜底保障 金融 其他\n"
            "  plan edit MEASURE [--kind] [--what] [--amount] [--by] [--due]\n"
            "  plan remove MEASURE\n"
            "  plan done MEASURE [--day YYYY-MM-DD] [--undo]   done or open again\n"
            "  plan show --household ID                the plan, its measures and reviews\n"
            "  plan list [--status draft|in_review|returned|approved] [--waiting LEVEL]\n"
            "  review --household ID --level LEVEL (--approve | --return --reason TEXT)\n"
            "      the five-level review, bottom up: 1 帮扶责任人 (cadre), 2 驻村工作队 (team),\n"
            "      3 扶贫工作站 (station), 4 乡镇长 (township), 5 包乡县领导 (county). A level\n"
            "      signs only after the one below; a return goes to the level below; the plan\n"
            "      is approved (已审定) when level 5 signs. Changing a reviewed plan's measures\n"
            "      starts a new version, reviewed again from level 1.\n"
            "  cadre --household ID --cadre ID_NUMBER [--since YYYY-MM-DD] [--policy FILE]\n"
            "      the responsible cadre (帮扶责任人): serving in the village's team or of its\n"
            "      paired unit, at most aid.households_per_cadre households each\n"
            "  cadres [--by household|cadre] [--cadre ID_NUMBER] [--overdue]\n"
            "      [--format table|csv|json] [--policy FILE]\n"
            "      households with their responsible cadre and the cadre's visits in the last\n"
            "      aid.visit_months months; 未走访 flags those not visited in that time\n"
            "  status ...                              see `zhucun household status --help`\n");
    return f == stdout ? 0 : 64;
}

/* Today (registry_today: $ZHUCUN_TODAY or the local date) as YYYY-MM-DD. */
static const char *today_text(char out[11])
{
    int y, m, d;
    registry_today(&y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return out;
}

static bool parse_yuan(const char *s, int64_t *fen)
{
    char *end = NULL;
    double y = strtod(s, &end);
    if (!*s || *end || y < 0 || y > 1e9)
        return false;
    *fen = (int64_t)(y * 100 + 0.5);
    return true;
}

static bool parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

static const char *plan_line(const struct aid_plan_state *st, char *out, size_t n)
{
    if (strcmp(st->status, "approved") == 0)
        snprintf(out, n, "version %d, %s (all five levels signed)", st->version,
                 aid_plan_status_name(st->status));
    else
        snprintf(out, n, "version %d, %s, awaiting level %d (%s)", st->version,
                 aid_plan_status_name(st->status), st->next_level,
                 aid_level_name(st->next_level) ? aid_level_name(st->next_level) : "-");
    return out;
}

/* ---- options shared by the subcommands ---------------------------------------------- */

struct opts {
    const char *household, *set, *kind, *what, *amount, *by, *due, *day, *status, *waiting, *level,
        *reason, *cadre, *since, *scope, *policy, *format, *output, *list_by;
    bool undo, approve, ret, overdue;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option lo[] = {{"household", required_argument, NULL, 'h'},
                                       {"set", required_argument, NULL, 'S'},
                                       {"kind", required_argument, NULL, 'k'},
                                       {"what", required_argument, NULL, 'w'},
                                       {"amount", required_argument, NULL, 'a'},
                                       {"by", required_argument, NULL, 'b'},
                                       {"due", required_argument, NULL, 'd'},
                                       {"day", required_argument, NULL, 'D'},
                                       {"status", required_argument, NULL, 's'},
                                       {"waiting", required_argument, NULL, 'W'},
                                       {"level", required_argument, NULL, 'l'},
                                       {"reason", required_argument, NULL, 'r'},
                                       {"cadre", required_argument, NULL, 'c'},
                                       {"since", required_argument, NULL, 'i'},
                                       {"scope", required_argument, NULL, 'C'},
                                       {"policy", required_argument, NULL, 'p'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"undo", no_argument, NULL, 'u'},
                                       {"approve", no_argument, NULL, 'A'},
                                       {"return", no_argument, NULL, 'R'},
                                       {"overdue", no_argument, NULL, 'O'},
                                       {NULL, 0, NULL, 0}};
    int c;
    memset(o, 0, sizeof(*o));
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
            o->household = optarg;
            break;
        case 'S':
            o->set = optarg;
            break;
        case 'k':
            o->kind = optarg;
            break;
        case 'w':
            o->what = optarg;
            break;
        case 'a':
            o->amount = optarg;
            break;
        case 'b':
            /* --by is who carries out a measure, or how `cadres` is listed */
            o->by = optarg;
            o->list_by = optarg;
            break;
        case 'd':
            o->due = optarg;
            break;
        case 'D':
            o->day = optarg;
            break;
        case 's':
            o->status = optarg;
            break;
        case 'W':
            o->waiting = optarg;
            break;
        case 'l':
            o->level = optarg;
            break;
        case 'r':
            o->reason = optarg;
            break;
        case 'c':
            o->cadre = optarg;
            break;
        case 'i':
            o->since = optarg;
            break;
        case 'C':
            o->scope = optarg;
            break;
        case 'p':
            o->policy = optarg;
            break;
        case 'f':
            o->format = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'u':
            o->undo = true;
            break;
        case 'A':
            o->approve = true;
            break;
        case 'R':
            o->ret = true;
            break;
        case 'O':
            o->overdue = true;
            break;
        default:
            return -1;
        }
    }
    return optind;
}

/* ---- causes ------------------------------------------------------------------------ */

static int do_causes(struct store *s, const struct zc_scope *sc, const struct opts *o,
                     struct zc_error *err)
{
    char canon[512];
    int64_t village = 0;
    int rc;
    if (!o->set) {
        struct aid_plan_state st;
        rc = aid_plan_get(s, sc, o->household, &st, err);
        if (rc == ZC_ENOTFOUND && strstr(err->msg, "no plan")) /* the household is there */
            rc = ZC_OK;
        if (rc == ZC_OK)
            rc = aid_causes_get(s, o->household, canon, sizeof(canon), err);
        if (rc == ZC_OK)
            printf("household %s: 致贫原因 %s\n", o->household, canon);
        return rc;
    }
    rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    rc = aid_causes_set(s, sc, o->household, o->set, canon, sizeof(canon), &village, err);
    rc = cli_finish_write_in(s, rc, "household.causes", o->household, village,
                             json_pack("{s:s}", "causes", canon), err);
    if (rc == ZC_OK)
        printf("household %s: 致贫原因 %s\n", o->household, canon);
    return rc;
}

/* ---- plan ---------------------------------------------------------------------------- */

static int print_measure(void *ud, const struct aid_measure *m)
{
    (void)ud;
    printf("  #%-5lld %-8s %s", (long long)m->id, m->kind, m->description);
    if (m->has_amount)
        printf("  金额 %lld.%02lld 元", (long long)(m->amount_fen / 100),
               (long long)(m->amount_fen % 100));
    if (m->responsible[0])
        printf("  责任人 %s", m->responsible);
    if (m->due_date[0])
        printf("  期限 %s", m->due_date);
    printf("  %s%s%s\n", strcmp(m->status, "done") == 0 ? "已完成" : "未完成",
           m->done_date[0] ? " " : "", m->done_date);
    return ZC_OK;
}

static int print_review(void *ud, const struct aid_review_row *r)
{
    (void)ud;
    printf("  v%d  %d %-10s %s%s%s  %s  %s\n", r->version, r->level, aid_level_name(r->level),
           strcmp(r->decision, "approve") == 0 ? "同意" : "退回", r->reason[0] ? ": " : "",
           r->reason, r->reviewer, r->at);
    return ZC_OK;
}

static int print_plan_row(void *ud, const struct aid_plan_row *r)
{
    size_t *n = ud;
    char wait[48] = "";
    if (strcmp(r->status, "approved") != 0 && aid_level_name(r->next_level))
        snprintf(wait, sizeof(wait), "  待 %d %s", r->next_level, aid_level_name(r->next_level));
    printf("%-12s %012lld %-12s v%d %-6s 措施 %d (未完成 %d)%s%s%s\n", r->household,
           (long long)r->village, r->village_name, r->version, aid_plan_status_name(r->status),
           r->measures, r->open, wait, r->cadre_name[0] ? "  责任人 " : "", r->cadre_name);
    (*n)++;
    return ZC_OK;
}

static int measure_from(const struct opts *o, struct aid_measure *m, struct zc_error *err)
{
    memset(m, 0, sizeof(*m));
    m->household = o->household;
    m->kind = o->kind;
    m->description = o->what;
    m->responsible = o->by;
    m->due_date = o->due;
    if (o->amount) {
        if (!parse_yuan(o->amount, &m->amount_fen))
            return zc_error_set(err, ZC_EUSAGE, "--amount takes yuan, e.g. 5000 or 1200.50");
        m->has_amount = true;
    }
    return ZC_OK;
}

static int do_plan(struct store *s, const struct zc_scope *sc, const char *sub, const char *arg,
                   const struct opts *o, struct zc_error *err)
{
    struct aid_plan_state st;
    struct aid_measure m;
    char line[160];
    int64_t id = 0;
    int rc;
    if (strcmp(sub, "show") == 0) {
        char causes[512];
        if (!o->household)
            return zc_error_set(err, ZC_EUSAGE, "plan show needs --household ID");
        rc = aid_plan_get(s, sc, o->household, &st, err);
        if (rc == ZC_OK)
            rc = aid_causes_get(s, o->household, causes, sizeof(causes), err);
        if (rc != ZC_OK)
            return rc;
        printf("household %s: plan %s\n  致贫原因 %s\n措施 (%d, 未完成 %d):\n", o->household,
               plan_line(&st, line, sizeof(line)), causes, st.measures, st.open);
        rc = aid_measure_list(s, o->household, print_measure, NULL, err);
        if (rc == ZC_OK)
            printf("审核 (五级审核):\n");
        if (rc == ZC_OK)
            rc = aid_review_list(s, o->household, print_review, NULL, err);
        return rc;
    }
    if (strcmp(sub, "list") == 0) {
        size_t n = 0;
        int waiting = o->waiting ? aid_level_parse(o->waiting) : 0;
        if (o->waiting && !waiting)
            return zc_error_set(err, ZC_EUSAGE,
                                "--waiting takes a level: 1-5, cadre, team, station, township, "
                                "county or its Chinese name");
        rc = aid_plan_list(s, sc, o->status, waiting, print_plan_row, &n, err);
        if (rc == ZC_OK)
            printf("%zu plans\n", n);
        return rc;
    }
    if (strcmp(sub, "add") == 0) {
        if (!o->household || !o->kind || !o->what)
            return zc_error_set(err, ZC_EUSAGE, "plan add needs --household, --kind and --what");
    } else if (strcmp(sub, "edit") == 0 || strcmp(sub, "remove") == 0 || strcmp(sub, "done") == 0) {
        if (!parse_id(arg, &id))
            return zc_error_set(err, ZC_EUSAGE, "plan %s needs the measure's number", sub);
    } else {
        return zc_error_set(err, ZC_EUSAGE,
                            "plan takes add, edit, remove, done, show or list, not '%s'", sub);
    }
    rc = measure_from(o, &m, err);
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    if (strcmp(sub, "add") == 0) {
        rc = aid_measure_add(s, sc, &m, cli_me(), &id, &st, err);
        rc = cli_finish_write_in(s, rc, "household.plan.add", o->household, st.village,
                                 json_pack("{s:I, s:s, s:s, s:i}", "measure", (json_int_t)id,
                                           "kind", o->kind, "what", o->what, "version", st.version),
                                 err);
    } else if (strcmp(sub, "edit") == 0) {
        rc = aid_measure_edit(s, sc, id, &m, cli_me(), &st, err);
        rc = cli_finish_write_in(s, rc, "household.plan.edit", arg, st.village,
                                 json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:i}", "measure",
                                           (json_int_t)id, "kind", o->kind, "what", o->what,
                                           "amount", o->amount, "by", o->by, "due", o->due,
                                           "version", st.version),
                                 err);
    } else if (strcmp(sub, "remove") == 0) {
        rc = aid_measure_remove(s, sc, id, cli_me(), &st, err);
        rc = cli_finish_write_in(
            s, rc, "household.plan.remove", arg, st.village,
            json_pack("{s:I, s:i}", "measure", (json_int_t)id, "version", st.version), err);
    } else {
        char today[11];
        today_text(today);
        rc = aid_measure_done(s, sc, id, !o->undo, o->day ? o->day : today, &st, err);
        rc = cli_finish_write_in(s, rc, "household.plan.done", arg, st.village,
                                 json_pack("{s:I, s:b, s:s}", "measure", (json_int_t)id, "done",
                                           !o->undo, "day", o->day ? o->day : today),
                                 err);
    }
    if (rc != ZC_OK)
        return rc;
    if (strcmp(sub, "add") == 0)
        printf("measure %lld added; ", (long long)id);
    else
        printf("measure %lld %s; ", (long long)id,
               strcmp(sub, "edit") == 0     ? "changed"
               : strcmp(sub, "remove") == 0 ? "removed"
               : o->undo                    ? "open again"
                                            : "done");
    printf("plan %s%s\n", plan_line(&st, line, sizeof(line)),
           st.new_version ? " (a new version: the review begins again)" : "");
    return ZC_OK;
}

/* ---- review ---------------------------------------------------------------------------- */

static int do_review(struct store *s, const struct zc_scope *sc, const struct opts *o,
                     struct zc_error *err)
{
    struct aid_plan_state st;
    char line[160];
    int level = aid_level_parse(o->level), rc;
    if (!o->household || !o->level || o->approve == o->ret)
        return zc_error_set(err, ZC_EUSAGE,
                            "review needs --household, --level and one of --approve, --return");
    if (!level)
        return zc_error_set(err, ZC_EUSAGE,
                            "--level '%s' is not 1-5, cadre, team, station, township, county "
                            "or 帮扶责任人, 驻村工作队, 扶贫工作站, 乡镇长, 包乡县领导",
                            o->level);
    rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    rc = aid_review(s, sc, o->household, level, o->approve, o->reason, cli_me(), &st, err);
    rc = cli_finish_write_in(
        s, rc, o->approve ? "household.review.approve" : "household.review.return", o->household,
        st.village,
        json_pack("{s:i, s:s, s:i, s:s}", "level", level, "name", aid_level_name(level), "version",
                  st.version, "reason", o->reason ? o->reason : ""),
        err);
    if (rc == ZC_OK)
        printf("household %s: level %d (%s) %s; plan %s\n", o->household, level,
               aid_level_name(level), o->approve ? "signed off" : "returned it",
               plan_line(&st, line, sizeof(line)));
    return rc;
}

/* ---- responsible cadres ---------------------------------------------------------------- */

static int do_cadre(struct store *s, const struct zc_scope *sc, const struct policy *p,
                    const struct opts *o, struct zc_error *err)
{
    char basis[8], prev[19];
    int64_t village = 0;
    int rc;
    if (!o->household || !o->cadre)
        return zc_error_set(err, ZC_EUSAGE, "cadre needs --household ID and --cadre ID_NUMBER");
    rc = store_begin(s, err);
    if (rc != ZC_OK)
        return rc;
    rc = aid_assign(s, p, sc, o->household, o->cadre, o->since, cli_me(), basis, prev, &village,
                    err);
    rc = cli_finish_write_in(
        s, rc, "household.cadre", o->household, village,
        json_pack("{s:s, s:s, s:s}", "cadre", o->cadre, "basis", basis, "previous", prev), err);
    if (rc == ZC_OK)
        printf("household %s: responsible cadre %s (%s)%s%s\n", o->household, o->cadre,
               strcmp(basis, "team") == 0 ? "驻村工作队" : "结对帮扶单位",
               prev[0] ? ", replacing " : "", prev);
    return rc;
}

static const struct tw_column cadre_cols[] = {
    {"household", "户编号", TW_TEXT, 14},    {"village", "村代码", TW_TEXT, 14},
    {"village_name", "村", TW_TEXT, 14},     {"id_number", "帮扶责任人身份证号", TW_TEXT, 22},
    {"name", "帮扶责任人", TW_TEXT, 10},     {"unit", "单位", TW_TEXT, 20},
    {"basis", "来源", TW_TEXT, 10},          {"since", "起始日期", TW_TEXT, 12},
    {"households", "帮扶户数", TW_INT, 8},   {"visits", "期间走访次数", TW_INT, 8},
    {"last_visit", "最近走访", TW_TEXT, 12}, {"flag", "提示", TW_TEXT, 14},
};
#define NCADRE_COLS (sizeof(cadre_cols) / sizeof(cadre_cols[0]))

struct cadre_run {
    struct tablewriter *tw;
    bool overdue_only;
    size_t rows, unassigned, overdue;
    int cap;
    struct zc_error *err;
};

static int on_cadre_row(void *ud, const struct aid_responsible_row *r)
{
    struct cadre_run *run = ud;
    char village[16], n1[16], n2[16], masked[32];
    const char *cells[NCADRE_COLS], *flag;
    run->unassigned += r->cadre == 0;
    run->overdue += r->overdue;
    flag = r->cadre == 0 ? "无帮扶责任人" : r->overdue ? "未走访" : "";
    if (run->overdue_only && !flag[0])
        return ZC_OK;
    snprintf(village, sizeof(village), "%012lld", (long long)r->village);
    snprintf(n1, sizeof(n1), "%d", r->cadre_households);
    snprintf(n2, sizeof(n2), "%d", r->visits);
    idcard_mask(r->id_number, masked, sizeof(masked));
    cells[0] = r->household;
    cells[1] = village;
    cells[2] = r->village_name;
    cells[3] = masked;
    cells[4] = r->name;
    cells[5] = r->unit_name;
    cells[6] = r->cadre == 0 ? "" : strcmp(r->basis, "team") == 0 ? "驻村工作队" : "结对帮扶单位";
    cells[7] = r->since;
    cells[8] = r->cadre ? n1 : "";
    cells[9] = r->cadre ? n2 : "";
    cells[10] = r->last;
    cells[11] = flag;
    run->rows++;
    if (run->tw)
        return tw_row(run->tw, cells, run->err);
    if (r->cadre == 0)
        printf("%-12s %s %-12s 无帮扶责任人\n", r->household, village, r->village_name);
    else
        printf("%-12s %s %-12s %s %-8s 帮扶 %d/%d 户  走访 %d 次  最近 %s%s%s\n", r->household,
               village, r->village_name, masked, r->name, r->cadre_households, run->cap, r->visits,
               r->last[0] ? r->last : "—", flag[0] ? "  " : "", flag);
    return ZC_OK;
}

static int do_cadres(struct store *s, const struct zc_scope *sc, const struct policy *p,
                     const struct opts *o, struct zc_error *err)
{
    struct cadre_run run = {
        .overdue_only = o->overdue, .cap = p->aid.households_per_cadre, .err = err};
    enum tw_format fmt = TW_CSV;
    bool by_cadre = false;
    int64_t cadre = 0;
    char today[11], from[11];
    int rc = ZC_OK;
    if (o->list_by && strcmp(o->list_by, "cadre") != 0 && strcmp(o->list_by, "household") != 0)
        return zc_error_set(err, ZC_EUSAGE, "--by takes household or cadre");
    by_cadre = o->list_by && strcmp(o->list_by, "cadre") == 0;
    if (o->format && strcmp(o->format, "table") != 0 &&
        (tw_format_parse(o->format, &fmt, err) != ZC_OK || fmt == TW_XLSX))
        return zc_error_set(err, ZC_EUSAGE, "--format is table, csv or json");
    if (o->cadre) {
        rc = registry_cadre_visible(s, sc, o->cadre, err);
        if (rc == ZC_OK)
            rc = registry_cadre_id(s, o->cadre, &cadre, err);
        if (rc != ZC_OK)
            return rc;
    }
    today_text(today);
    if (o->format && strcmp(o->format, "table") != 0)
        rc = tw_open(fmt, NULL, stdout, "帮扶责任人", "cadres", cadre_cols, NCADRE_COLS, &run.tw,
                     err);
    if (rc == ZC_OK)
        rc = aid_responsible_list(s, p, sc, by_cadre, cadre, today, from, on_cadre_row, &run, err);
    if (run.tw) {
        int rc2 = tw_close(run.tw, rc == ZC_OK ? err : NULL);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (rc == ZC_OK && !run.tw)
        printf("%zu rows; %zu households without a responsible cadre, %zu not visited by their "
               "cadre since %s (aid.visit_months = %d)\n",
               run.rows, run.unassigned, run.overdue, from, p->aid.visit_months);
    return rc;
}

/* ---- entry --------------------------------------------------------------------------- */

int cmd_household_aid(struct cli *cli, int argc, char **argv)
{
    const char *cmd = argc >= 2 ? argv[1] : "";
    const char *sub = NULL, *arg = NULL;
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    struct opts o;
    int first, status, rc;
    if (argc < 2 || cli_wants_help(argc, argv))
        return aid_usage(argc >= 2 ? stdout : stderr);
    if (strcmp(cmd, "causes") != 0 && strcmp(cmd, "plan") != 0 && strcmp(cmd, "review") != 0 &&
        strcmp(cmd, "cadre") != 0 && strcmp(cmd, "cadres") != 0)
        return cli_usage("household",
                         "unknown subcommand '%s' (causes, plan, review, cadre, "
                         "cadres, status)",
                         cmd);
    argc--, argv++;
    if (strcmp(cmd, "plan") == 0) {
        if (argc < 2 || argv[1][0] == '-')
            return cli_usage("household", "plan takes add, edit, remove, done, show or list");
        sub = argv[1];
        argc--, argv++;
    }
    first = parse_opts(argc, argv, &o);
    if (first < 0)
        return aid_usage(stderr);
    if (sub && first < argc)
        arg = argv[first++];
    if (first != argc)
        return cli_usage("household", "unexpected argument '%s'", argv[first]);
    if ((strcmp(cmd, "causes") == 0 || strcmp(cmd, "review") == 0) && !o.household)
        return cli_usage("household", "%s needs --household ID", cmd);
    if (cli_scope_opt(o.scope, &sc, &err) != ZC_OK)
        return cli_usage("household", "--scope: %s", err.msg);
    if (cli_load_policy(o.policy, &p, &err) != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (strcmp(cmd, "causes") == 0)
        rc = do_causes(s, &sc, &o, &err);
    else if (strcmp(cmd, "plan") == 0)
        rc = do_plan(s, &sc, sub, arg, &o, &err);
    else if (strcmp(cmd, "review") == 0)
        rc = do_review(s, &sc, &o, &err);
    else if (strcmp(cmd, "cadre") == 0)
        rc = do_cadre(s, &sc, &p, &o, &err);
    else
        rc = do_cadres(s, &sc, &p, &o, &err);
    store_close(s);
    if (rc == ZC_EUSAGE)
        return cli_usage("household", "%s", err.msg);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* ---- the national forms ---------------------------------------------------------------- */

static int form_row(void *ud, const char *const *cells)
{
    struct zc_error err = {0};
    return tw_row(ud, cells, &err) == ZC_OK ? ZC_OK : ZC_EIO;
}

/* `zhucun export form households|members|b92 [--format xlsx|csv|json] [-o FILE]
 * [--scope CODE] [--unmask] [--date YYYY-MM-DD]`: the registry's tables in
 * their layout (建档立卡 表式), masked unless --unmask, audited as exports. */
int cmd_export_form(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"scope", required_argument, NULL, 's'},  {"unmask", no_argument, NULL, 'u'},
        {"date", required_argument, NULL, 'd'},   {NULL, 0, NULL, 0}};
    enum tw_format fmt = TW_XLSX;
    const char *out = NULL, *scope_arg = NULL, *day = NULL;
    struct zc_error err = {0};
    struct zc_scope sc;
    struct cli_export x;
    struct tablewriter *tw = NULL;
    struct store *s;
    bool unmask = false;
    char today[11], kind[32];
    size_t rows = 0, ncols;
    int c, status, rc, form;
    if (argc < 2 || cli_wants_help(argc, argv)) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(
            f, "usage: zhucun export form households|members|b92 [--format xlsx|csv|json]\n"
               "                [-o FILE] [--scope CODE] [--unmask] [--date YYYY-MM-DD]\n\n"
               "The national registry's tables in their layout (建档立卡 表式): 贫困户基本信息表,\n"
               "贫困户家庭成员信息表, and B92 驻村工作队情况_干部表 (the cadres stationed on\n"
               "--date, default today). XLSX by default (-o needed). ID numbers are masked,\n"
               "and members' birth dates cut to the year, unless --unmask. Columns zhucun\n"
               "does not hold (联系电话) are empty. Audited like every export.\n");
        return argc < 2 ? 64 : 0;
    }
    form = aid_form_parse(argv[1]);
    if (form < 0)
        return cli_usage("export form", "the forms are households, members and b92, not '%s'",
                         argv[1]);
    optind = 2;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (tw_format_parse(optarg, &fmt, &err) != ZC_OK)
                return cli_usage("export form", "%s", err.msg);
            break;
        case 'o':
            out = optarg;
            break;
        case 's':
            scope_arg = optarg;
            break;
        case 'u':
            unmask = true;
            break;
        case 'd':
            day = optarg;
            break;
        default:
            return cli_usage("export form", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage("export form", "unexpected argument '%s'", argv[optind]);
    if (fmt == TW_XLSX && !out)
        return cli_usage("export form", "XLSX needs -o FILE (or --format csv)");
    if (cli_scope_opt(scope_arg, &sc, &err) != ZC_OK)
        return cli_usage("export form", "--scope: %s", err.msg);
    if (!day)
        day = today_text(today);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    snprintf(kind, sizeof(kind), "form.%s", argv[1]);
    rc = cli_export_begin(&x, out, &err);
    if (rc == ZC_OK) {
        const struct tw_column *cols = aid_form_columns((enum aid_form)form, &ncols);
        FILE *fp = NULL;
        if (fmt != TW_XLSX && !(fp = fopen(x.path, "w")))
            rc = zc_error_set(&err, ZC_EIO, "cannot write %s", x.path);
        if (rc == ZC_OK)
            rc = tw_open(fmt, x.path, fp, aid_form_title((enum aid_form)form),
                         aid_form_title((enum aid_form)form), cols, ncols, &tw, &err);
        if (rc == ZC_OK)
            rc = aid_form_rows(s, &sc, (enum aid_form)form, unmask, day, form_row, tw, &rows, &err);
        if (tw) {
            int rc2 = tw_close(tw, rc == ZC_OK ? &err : NULL);
            if (rc == ZC_OK)
                rc = rc2;
        }
        if (fp)
            fclose(fp);
        rc = cli_export_finish(&x, s, kind, unmask, rows, rc, &err);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (out)
        fprintf(stderr, "wrote %zu rows of %s to %s\n", rows, aid_form_title((enum aid_form)form),
                out);
    return 0;
}
