/* SPDX-License-Identifier: MIT */
/* cmd_assess.c - supervision and assessment (考) on the command line:
 *   zhucun inspect sample|record|finding|tickets|fix|check
 *   zhucun assess month|year|negative|ladder|task
 *   zhucun funds add|statement
 * Each write carries its audit entry in its own transaction; each table
 * goes out as a table, CSV, JSON or XLSX and is recorded as an export. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "base/idcard.h"
#include "base/scope.h"
#include "cli.h"
#include "field/field.h"
#include "ingest/tablewriter.h"
#include "policy/policy.h"
#include "store/store.h"

/* ---- options ------------------------------------------------------------------------ */

/* The options every subcommand here understands; each takes what it needs. */
struct opts {
    const char *month, *scope, *format, *out, *policy, *seed, *count, *village, *cadre;
    const char *method, *date, *inspectors, *sample, *note, *rule, *text, *evidence, *status;
    const char *by, *reason, *sanction, *year, *grade, *quarter, *due, *kind, *amount;
    const char *inspection, *half, *title;
    bool unmask, pass, fail, teams, by_township;
    const char *arg; /* the one positional argument (an id), or NULL */
};

static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o)
{
    enum { O_BASE = 256 };
    static const struct option lo[] = {
        {"month", required_argument, NULL, 'm'},    {"scope", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},   {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'p'},   {"seed", required_argument, NULL, 'S'},
        {"count", required_argument, NULL, 'n'},    {"village", required_argument, NULL, 'v'},
        {"cadre", required_argument, NULL, 'c'},    {"method", required_argument, NULL, 'M'},
        {"date", required_argument, NULL, 'd'},     {"inspectors", required_argument, NULL, 'I'},
        {"sample", required_argument, NULL, 'a'},   {"note", required_argument, NULL, 'N'},
        {"rule", required_argument, NULL, 'r'},     {"text", required_argument, NULL, 't'},
        {"evidence", required_argument, NULL, 'e'}, {"status", required_argument, NULL, 'x'},
        {"by", required_argument, NULL, 'b'},       {"reason", required_argument, NULL, 'R'},
        {"sanction", required_argument, NULL, 'k'}, {"year", required_argument, NULL, 'y'},
        {"grade", required_argument, NULL, 'g'},    {"quarter", required_argument, NULL, 'q'},
        {"due", required_argument, NULL, 'D'},      {"kind", required_argument, NULL, 'K'},
        {"amount", required_argument, NULL, 'A'},   {"inspection", required_argument, NULL, 'i'},
        {"half", required_argument, NULL, 'H'},     {"title", required_argument, NULL, 'L'},
        {"by-township", no_argument, NULL, 'B'},    {"unmask", no_argument, NULL, 'u'},
        {"pass", no_argument, NULL, 'P'},           {"fail", no_argument, NULL, 'F'},
        {"teams", no_argument, NULL, 'T'},          {NULL, 0, NULL, 0}};
    const char **slot[128] = {0};
    int c;
    slot['m'] = &o->month, slot['s'] = &o->scope, slot['f'] = &o->format, slot['o'] = &o->out;
    slot['p'] = &o->policy, slot['S'] = &o->seed, slot['n'] = &o->count, slot['v'] = &o->village;
    slot['c'] = &o->cadre, slot['M'] = &o->method, slot['d'] = &o->date;
    slot['I'] = &o->inspectors, slot['a'] = &o->sample, slot['N'] = &o->note, slot['r'] = &o->rule;
    slot['t'] = &o->text, slot['e'] = &o->evidence, slot['x'] = &o->status, slot['b'] = &o->by;
    slot['R'] = &o->reason, slot['k'] = &o->sanction, slot['y'] = &o->year, slot['g'] = &o->grade;
    slot['q'] = &o->quarter, slot['D'] = &o->due, slot['K'] = &o->kind, slot['A'] = &o->amount;
    slot['i'] = &o->inspection, slot['H'] = &o->half, slot['L'] = &o->title;
    memset(o, 0, sizeof(*o));
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
        if (c == 'u')
            o->unmask = true;
        else if (c == 'P')
            o->pass = true;
        else if (c == 'F')
            o->fail = true;
        else if (c == 'T')
            o->teams = true;
        else if (c == 'B')
            o->by_township = true;
        else if (c > 0 && c < 128 && slot[c])
            *slot[c] = optarg;
        else
            return cli_usage(cmd, "unknown option; see 'zhucun %s --help'", cmd);
    }
    if (optind < argc)
        o->arg = argv[optind++];
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

static bool parse_i64(const char *s, int64_t *out)
{
    char *end = NULL;
    long long v;
    if (!s || !*s)
        return false;
    v = strtoll(s, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

/* A village given as a 12-digit code. */
static int village_opt(const char *cmd, const char *s, int64_t *v)
{
    if (!s || strlen(s) != 12 || !parse_i64(s, v))
        return cli_usage(cmd, "--village takes the village's 12-digit code");
    return 0;
}

static void today_text(char out[11])
{
    char now[20];
    field_now(now);
    memcpy(out, now, 10);
    out[10] = '\0';
}

/* ---- output ------------------------------------------------------------------------- */

enum fmt { F_TABLE, F_CSV, F_JSON, F_XLSX };

struct table {
    enum fmt fmt;
    const struct tw_column *cols;
    size_t ncols;
    struct tablewriter *tw;
    struct cli_export x;
    size_t rows;
    FILE *fp;
};

static int fmt_parse(const char *cmd, const char *s, enum fmt *f)
{
    if (!s || strcmp(s, "table") == 0)
        *f = F_TABLE;
    else if (strcmp(s, "csv") == 0)
        *f = F_CSV;
    else if (strcmp(s, "json") == 0)
        *f = F_JSON;
    else if (strcmp(s, "xlsx") == 0)
        *f = F_XLSX;
    else
        return cli_usage(cmd, "--format is table, csv, json or xlsx");
    return 0;
}

static int table_open(struct table *t, const struct opts *o, const char *title, const char *sheet,
                      const struct tw_column *cols, size_t ncols, struct zc_error *err)
{
    int rc;
    t->cols = cols;
    t->ncols = ncols;
    t->rows = 0;
    if (t->fmt == F_TABLE) {
        for (size_t i = 0; i < ncols; i++)
            printf("%s%s", i ? "  " : "", cols[i].header);
        printf("\n");
        return ZC_OK;
    }
    rc = cli_export_begin(&t->x, o->out, err);
    if (rc != ZC_OK)
        return rc;
    t->fp = NULL;
    if (t->fmt != F_XLSX && !(t->fp = fopen(t->x.path, "w")))
        return zc_error_set(err, ZC_EIO, "cannot write %s", t->x.path);
    rc = tw_open(t->fmt == F_CSV    ? TW_CSV
                 : t->fmt == F_JSON ? TW_JSON
                                    : TW_XLSX,
                 t->x.path, t->fp, title, sheet, cols, ncols, &t->tw, err);
    return rc;
}

static int table_row(struct table *t, const char *const *cells, struct zc_error *err)
{
    t->rows++;
    if (t->fmt == F_TABLE) {
        for (size_t i = 0; i < t->ncols; i++)
            printf("%s%s", i ? "  " : "", cells[i] ? cells[i] : "");
        printf("\n");
        return ZC_OK;
    }
    return tw_row(t->tw, cells, err);
}

static int table_close(struct table *t, struct store *s, const char *kind, bool unmask, int rc,
                       struct zc_error *err)
{
    if (t->fmt == F_TABLE)
        return rc;
    if (t->tw) {
        int rc2 = tw_close(t->tw, rc == ZC_OK ? err : NULL);
        if (rc == ZC_OK)
            rc = rc2;
    }
    if (t->fp)
        fclose(t->fp);
    return cli_export_finish(&t->x, s, kind, unmask, t->rows, rc, err);
}

static void mask(const char *id, bool unmask, char out[32])
{
    if (unmask)
        snprintf(out, 32, "%s", id);
    else
        idcard_mask(id, out, 32);
}

/* Open the store and the policy the command needs. */
static struct store *open_all(struct cli *cli, const struct opts *o, struct policy *p,
                              struct zc_scope *sc, int *status)
{
    struct zc_error err = {0};
    struct store *s;
    if (cli_scope_opt(o->scope, sc, &err) != ZC_OK) {
        *status = cli_usage("assess", "--scope: %s", err.msg);
        return NULL;
    }
    if (p && cli_load_policy(o->policy, p, &err) != ZC_OK) {
        *status = cli_fail(&err);
        return NULL;
    }
    s = cli_open_store(cli, false, status);
    return s;
}

/* The policy each village and county is judged by: the one chosen for its
 * division (field policy set), else `p`; a --policy FILE named on the
 * command line is used for all of them. */
static int policy_map(struct store *s, const struct opts *o, const struct policy *p,
                      const struct zc_scope *sc, struct field_policy_map *pm, struct zc_error *err)
{
    return field_policy_map_open(s, sc, p, o->policy == NULL, pm, err);
}

static int done(struct store *s, int rc, struct zc_error *err)
{
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(err);
}

/* A cadre named by id or 身份证号 into *id. */
static int cadre_arg(struct store *s, const char *text, int64_t *id, struct zc_error *err)
{
    if (!text)
        return zc_error_set(err, ZC_EINVAL, "--cadre is needed (cadre id or 身份证号)");
    return field_cadre_lookup(s, text, id, err);
}

/* ---- inspect -------------------------------------------------------------------------- */

static int inspect_usage(FILE *f)
{
    fprintf(
        f, "usage: zhucun [--db PATH] inspect COMMAND ...\n\n"
           "Inspections (明察暗访) and their tickets (交办 -> 整改 -> 复核 -> 销号).\n\n"
           "  sample --scope CODE --month YYYY-MM [--half 1|2] [--count N] [--seed S]\n"
           "         [--format table|json]\n"
           "      a random, risk-weighted sample of stationed cadres to inspect; drawn once\n"
           "      per scope and period and recorded with its seed (printed), so the same call\n"
           "      shows the same sample and a different --seed or --count is refused; the\n"
           "      period is the month, or under a half_monthly policy (半月一督查) its half:\n"
           "      1 (days 1-15) or 2 (16th to the end), by default the half today is in for\n"
           "      the current month, else the first\n"
           "  record --village CODE --method M --date YYYY-MM-DD --inspectors \"A,B\"\n"
           "         [--cadre ID] [--sample N] [--note TEXT]\n"
           "      methods: open unannounced random_call documents questions questionnaire\n"
           "  finding --inspection N --rule R --text TEXT [--evidence E] [--cadre ID]\n"
           "      rules: attendance visits diary plan funds conduct other; opens a ticket\n"
           "      for the cadre (or the team's first secretary) with the policy's deadline\n"
           "  tickets [--scope CODE] [--status open|fixed|closed|reopened|overdue] [--format ...]\n"
           "  ticket TICKET [--scope CODE] [--format table|json]\n"
           "      one ticket: the finding behind it and its history, every change of state\n"
           "      (交办, 整改, 复核, 销号 or reopened) with who, when and the note\n"
           "  fix TICKET --text TEXT [--evidence E] [--date D]     整改: the fix is reported\n"
           "  check TICKET --by NAME --pass|--fail [--note T] [--date D]\n"
           "      复核 by an inspector who did not make the finding: closed or reopened\n");
    return f == stdout ? 0 : 64;
}

static int inspect_sample(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct assess_sample smp;
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    int64_t count = 0;
    uint64_t seed = 0;
    bool json = o->format && strcmp(o->format, "json") == 0;
    int status, rc, half = 0;
    if (!o->scope || !o->month)
        return cli_usage("inspect", "sample needs --scope CODE and --month YYYY-MM");
    if (o->half && strcmp(o->half, "1") != 0 && strcmp(o->half, "2") != 0)
        return cli_usage("inspect", "--half is 1 (days 1-15) or 2 (the 16th to the month's end)");
    if (o->format && !json && strcmp(o->format, "table") != 0)
        return cli_usage("inspect", "--format is table or json");
    if (o->count && (!parse_i64(o->count, &count) || count < 1 || count > 100000))
        return cli_usage("inspect", "--count takes a number from 1 to 100000");
    if (o->seed) {
        int64_t v;
        if (!parse_i64(o->seed, &v) || v < 0)
            return cli_usage("inspect", "--seed takes a non-negative integer");
        seed = (uint64_t)v;
    }
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    half = o->half ? o->half[0] - '0' : assess_sample_default_half(&p, o->month); /* "1" or "2" */
    rc = store_begin(s, &err);
    if (rc == ZC_OK)
        rc = assess_sample_draw(s, &p, &sc, sc.lo, o->month, half, (int)count, o->seed != NULL,
                                seed, cli_me(), &smp, &err);
    if (rc == ZC_OK && !smp.existing) {
        char target[48];
        if (half)
            snprintf(target, sizeof(target), "%s:%s/%d", o->scope, o->month, half);
        else
            snprintf(target, sizeof(target), "%s:%s", o->scope, o->month);
        rc = cli_finish_write(s, rc, "inspect.sample", target,
                              json_pack("{s:I, s:I, s:i, s:i}", "sample", (json_int_t)smp.id,
                                        "seed", (json_int_t)smp.seed, "count", smp.count,
                                        "population", smp.population),
                              &err);
    } else {
        store_rollback(s);
    }
    if (rc != ZC_OK)
        return done(s, rc, &err);
    if (json) {
        json_t *picks = json_array();
        for (int i = 0; i < smp.count; i++) {
            char idm[32];
            const struct assess_pick *k = &smp.picks[i];
            mask(k->id_number, false, idm);
            json_array_append_new(
                picks, json_pack("{s:i, s:I, s:s, s:s, s:I, s:s, s:i, s:s}", "rank", k->rank,
                                 "cadre", (json_int_t)k->cadre, "id_number", idm, "name", k->name,
                                 "village", (json_int_t)k->village, "village_name", k->village_name,
                                 "weight", k->weight, "why", k->why));
        }
        json_t *obj = json_pack("{s:I, s:s, s:s, s:I, s:i, s:i, s:b, s:s, s:s, s:o}", "sample",
                                (json_int_t)smp.id, "scope", o->scope, "month", o->month, "seed",
                                (json_int_t)smp.seed, "count", smp.count, "population",
                                smp.population, "existing", smp.existing, "drawn_by", smp.drawn_by,
                                "drawn_at", smp.drawn_at, "picks", picks);
        if (half)
            json_object_set_new(obj, "half", json_integer(half));
        char *text = json_dumps(obj, JSON_INDENT(2));
        printf("%s\n", text);
        free(text);
        json_decref(obj);
    } else {
        printf("督查抽样 %s %s%s: %d of %d cadres, seed %llu (%s, drawn %s by %s)\n", o->scope,
               o->month, assess_half_name(half), smp.count, smp.population,
               (unsigned long long)smp.seed, smp.existing ? "as recorded" : "new", smp.drawn_at,
               smp.drawn_by);
        for (int i = 0; i < smp.count; i++) {
            char idm[32];
            const struct assess_pick *k = &smp.picks[i];
            mask(k->id_number, false, idm);
            printf("%3d  %-20s %-8s %-16s weight %d%s%s\n", k->rank, idm, k->name, k->village_name,
                   k->weight, k->why[0] ? "  " : "", k->why);
        }
    }
    assess_sample_fini(&smp);
    return done(s, ZC_OK, &err);
}

static int inspect_record(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct assess_inspection in = {0};
    struct zc_scope sc;
    struct store *s;
    int64_t id = 0;
    int status, rc;
    if (village_opt("inspect", o->village, &in.village))
        return 64;
    if (o->sample && !parse_i64(o->sample, &in.sample))
        return cli_usage("inspect", "--sample takes a sample number");
    in.method = o->method;
    in.day = o->date;
    in.inspectors = o->inspectors;
    in.note = o->note;
    s = open_all(cli, o, NULL, &sc, &status);
    if (!s)
        return status;
    rc = o->cadre ? cadre_arg(s, o->cadre, &in.cadre, &err) : ZC_OK;
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = assess_inspection_add(s, &sc, &in, cli_me(), &id, &err);
        rc = cli_finish_write(s, rc, "inspect.record", o->village,
                              json_pack("{s:I, s:s, s:s, s:s}", "inspection", (json_int_t)id,
                                        "method", in.method ? in.method : "", "day",
                                        in.day ? in.day : "", "inspectors",
                                        in.inspectors ? in.inspectors : ""),
                              &err);
    }
    if (rc == ZC_OK)
        printf("inspection %lld recorded\n", (long long)id);
    return done(s, rc, &err);
}

static int inspect_finding(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct assess_finding in = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    struct field_policy_map pm = {0};
    int64_t finding = 0, ticket = 0;
    int status, rc, days = 0;
    if (!o->inspection || !parse_i64(o->inspection, &in.inspection))
        return cli_usage("inspect", "finding needs --inspection N");
    in.rule = o->rule;
    in.text = o->text;
    in.evidence = o->evidence;
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    rc = o->cadre ? cadre_arg(s, o->cadre, &in.cadre, &err) : ZC_OK;
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = policy_map(s, o, &p, &sc, &pm, &err);
        if (rc == ZC_OK)
            rc = assess_finding_add(s, &pm, &sc, &in, cli_me(), &finding, &ticket, &days, &err);
        field_policy_map_fini(&pm);
        rc = cli_finish_write(s, rc, "inspect.finding", o->inspection,
                              json_pack("{s:I, s:I, s:s, s:s}", "finding", (json_int_t)finding,
                                        "ticket", (json_int_t)ticket, "rule",
                                        in.rule ? in.rule : "", "text", in.text ? in.text : ""),
                              &err);
    }
    if (rc == ZC_OK)
        printf("finding %lld recorded; ticket %lld opened (deadline in %d days)\n",
               (long long)finding, (long long)ticket, days);
    return done(s, rc, &err);
}

static const struct tw_column ticket_cols[] = {
    {"ticket", "编号", TW_INT, 6},   {"village", "村", TW_TEXT, 16},
    {"name", "责任人", TW_TEXT, 10}, {"rule", "问题类别", TW_TEXT, 10},
    {"text", "问题", TW_TEXT, 40},   {"deadline", "整改期限", TW_TEXT, 12},
    {"status", "状态", TW_TEXT, 8},  {"fix", "整改情况", TW_TEXT, 30},
};

struct trun {
    struct table t;
    struct zc_error *err;
};

static int on_ticket(void *ud, const struct assess_ticket_row *r)
{
    struct trun *run = ud;
    char id[24];
    const char *cells[8];
    snprintf(id, sizeof(id), "%lld", (long long)r->id);
    cells[0] = id;
    cells[1] = r->village_name;
    cells[2] = r->name;
    cells[3] = assess_rule_name(r->rule);
    cells[4] = r->text;
    cells[5] = r->deadline;
    cells[6] = assess_ticket_status_name(r->status, r->overdue);
    cells[7] = r->fix_text;
    return table_row(&run->t, cells, run->err);
}

static int inspect_tickets(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct trun run = {.err = &err};
    struct zc_scope sc;
    struct store *s;
    int status, rc;
    if (fmt_parse("inspect", o->format, &run.t.fmt))
        return 64;
    if (run.t.fmt == F_XLSX && !o->out)
        return cli_usage("inspect", "--format xlsx needs -o FILE");
    s = open_all(cli, o, NULL, &sc, &status);
    if (!s)
        return status;
    rc = table_open(&run.t, o, "督查问题整改台账", "tickets", ticket_cols, 8, &err);
    if (rc == ZC_OK)
        rc = assess_ticket_list(s, &sc, o->status, on_ticket, &run, &err);
    rc = table_close(&run.t, s, "tickets", false, rc, &err);
    if (rc == ZC_OK && run.t.fmt == F_TABLE)
        printf("%zu tickets\n", run.t.rows);
    return done(s, rc, &err);
}

struct tshow {
    bool json;
    json_t *o, *events;
};

static int on_ticket_detail(void *ud, const struct assess_ticket_detail *d)
{
    struct tshow *run = ud;
    const struct assess_ticket_row *t = &d->t;
    if (run->json) {
        run->o = json_pack(
            "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s}",
            "id", (json_int_t)t->id, "finding", (json_int_t)t->finding, "village",
            (json_int_t)t->village, "village_name", t->village_name, "assignee", t->name, "rule",
            t->rule, "text", t->text, "deadline", t->deadline, "status", t->status, "status_zh",
            assess_ticket_status_name(t->status, t->overdue), "overdue", t->overdue, "found_on",
            d->found_on, "method", d->method, "inspectors", d->inspectors, "evidence", d->evidence,
            "fix", t->fix_text);
        run->events = json_array();
        return run->o && run->events ? ZC_OK : ZC_ENOMEM;
    }
    printf("ticket %lld  %s  %s\n", (long long)t->id,
           assess_ticket_status_name(t->status, t->overdue), t->village_name);
    printf("  finding %lld (%s, %s by %s on %s): %s\n", (long long)t->finding,
           assess_rule_name(t->rule), assess_method_name(d->method), d->inspectors, d->found_on,
           t->text);
    printf("  assignee %s, deadline %s\n", t->name[0] ? t->name : "-", t->deadline);
    printf("  history:\n");
    return ZC_OK;
}

static int on_ticket_event(void *ud, const struct assess_ticket_event *e)
{
    struct tshow *run = ud;
    if (run->json)
        return json_array_append_new(
                   run->events,
                   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "action", e->action,
                             "action_zh", assess_ticket_action_name(e->action), "status", e->status,
                             "actor", e->actor, "day", e->day, "at", e->at, "note", e->note,
                             "evidence", e->evidence)) == 0
                   ? ZC_OK
                   : ZC_ENOMEM;
    printf("  %s  %-9s %s by %s (recorded %s)%s%s\n", e->day, e->action,
           assess_ticket_action_name(e->action), e->actor[0] ? e->actor : "-", e->at,
           e->note[0] ? ": " : "", e->note);
    if (e->evidence[0])
        printf("      evidence: %s\n", e->evidence);
    return ZC_OK;
}

static int inspect_ticket(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct tshow run = {.json = o->format && strcmp(o->format, "json") == 0};
    struct zc_scope sc;
    struct store *s;
    int64_t id;
    int status, rc;
    if (!o->arg || !parse_i64(o->arg, &id))
        return cli_usage("inspect", "ticket needs the ticket number");
    if (o->format && !run.json && strcmp(o->format, "table") != 0)
        return cli_usage("inspect", "ticket --format is table or json");
    s = open_all(cli, o, NULL, &sc, &status);
    if (!s)
        return status;
    rc = assess_ticket_show(s, &sc, id, on_ticket_detail, on_ticket_event, &run, &err);
    if (rc == ZC_OK && run.json) {
        json_object_set_new(run.o, "history", run.events);
        run.events = NULL;
        char *txt = json_dumps(run.o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", txt ? txt : "null");
        free(txt);
    }
    json_decref(run.o);
    json_decref(run.events);
    return done(s, rc, &err);
}

static int inspect_fix_or_check(struct cli *cli, const struct opts *o, bool check)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    struct store *s;
    char today[11];
    int64_t id;
    int status, rc;
    if (!o->arg || !parse_i64(o->arg, &id))
        return cli_usage("inspect", "%s needs the ticket number", check ? "check" : "fix");
    if (check && o->pass == o->fail)
        return cli_usage("inspect", "check needs --pass or --fail");
    today_text(today);
    s = open_all(cli, o, NULL, &sc, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        if (check)
            rc = assess_ticket_check(s, &sc, id, o->pass, o->by, o->note, o->date ? o->date : today,
                                     &err);
        else
            rc = assess_ticket_fix(s, &sc, id, o->text, o->evidence, o->date ? o->date : today,
                                   cli_me(), &err);
        rc = cli_finish_write(
            s, rc, check ? "inspect.check" : "inspect.fix", o->arg,
            check ? json_pack("{s:b, s:s}", "pass", o->pass, "by", o->by ? o->by : "")
                  : json_pack("{s:s}", "text", o->text ? o->text : ""),
            &err);
    }
    if (rc == ZC_OK)
        printf("ticket %s: %s\n", o->arg,
               check ? (o->pass ? "closed (销号)" : "reopened (重新整改)")
                     : "fix reported (待复核)");
    return done(s, rc, &err);
}

int cmd_inspect(struct cli *cli, int argc, char **argv)
{
    struct opts o;
    const char *sub = argc > 1 ? argv[1] : NULL;
    int rc;
    if (!sub || strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
        return inspect_usage(sub ? stdout : stderr);
    if (cli_wants_help(argc, argv))
        return inspect_usage(stdout);
    if ((rc = parse_opts("inspect", argc - 1, argv + 1, &o)) != 0)
        return rc;
    if (strcmp(sub, "sample") == 0)
        return inspect_sample(cli, &o);
    if (strcmp(sub, "record") == 0)
        return inspect_record(cli, &o);
    if (strcmp(sub, "finding") == 0)
        return inspect_finding(cli, &o);
    if (strcmp(sub, "tickets") == 0)
        return inspect_tickets(cli, &o);
    if (strcmp(sub, "ticket") == 0)
        return inspect_ticket(cli, &o);
    if (strcmp(sub, "fix") == 0)
        return inspect_fix_or_check(cli, &o, false);
    if (strcmp(sub, "check") == 0)
        return inspect_fix_or_check(cli, &o, true);
    return cli_usage("inspect", "unknown command '%s'", sub);
}

/* ---- assess month ------------------------------------------------------------------------ */

static const struct tw_column month_cols[] = {
    {"id_number", "身份证号", TW_TEXT, 20}, {"name", "姓名", TW_TEXT, 10},
    {"village", "村", TW_TEXT, 16},         {"village_code", "村代码", TW_TEXT, 14},
    {"unit", "派出单位", TW_TEXT, 18},      {"total", "总分", TW_REAL, 8},
    {"presence", "驻村在岗", TW_REAL, 8},   {"visits", "入户走访", TW_REAL, 8},
    {"tasks", "任务完成", TW_REAL, 8},      {"findings", "督查问题", TW_REAL, 8},
    {"outcomes", "脱贫成效", TW_REAL, 8},   {"negative_list", "负面清单", TW_TEXT, 8},
    {"evidence", "依据", TW_TEXT, 60},
};
#define NMONTH (sizeof(month_cols) / sizeof(month_cols[0]))

struct mrun {
    struct table t;
    bool unmask;
    struct zc_error *err;
    double sum;
};

/* A score as cells: num[0] the total, num[1..] each component's points,
 * empty where it had no basis. */
static void format_score(double total, const double *part, const bool *counted, char num[][16])
{
    snprintf(num[0], 16, "%.1f", total);
    for (int i = 0; i < AC_COUNT; i++) {
        if (counted[i])
            snprintf(num[i + 1], 16, "%.1f", part[i]);
        else
            num[i + 1][0] = '\0';
    }
}

static int on_score(void *ud, const struct assess_score_row *r)
{
    struct mrun *run = ud;
    char idm[32], code[16], num[6][16], ev[700] = "";
    const char *cells[NMONTH];
    size_t used = 0;
    mask(r->id_number, run->unmask, idm);
    snprintf(code, sizeof(code), "%lld", (long long)r->village);
    format_score(r->total, r->part, r->counted, num);
    for (int i = 0; i < AC_COUNT; i++) {
        if (r->counted[i] && used < sizeof(ev))
            used += (size_t)snprintf(ev + used, sizeof(ev) - used, "%s%s: %s", used ? "; " : "",
                                     assess_component_name[i], r->evidence[i]);
    }
    run->sum += r->total;
    cells[0] = idm;
    cells[1] = r->name;
    cells[2] = r->village_name;
    cells[3] = code;
    cells[4] = r->unit_name;
    for (int i = 0; i < 6; i++)
        cells[5 + i] = num[i];
    cells[11] = r->on_negative_list ? "是" : "否";
    cells[12] = ev;
    return table_row(&run->t, cells, run->err);
}

/* `assess month --teams`: one row per village's team. */
static const struct tw_column team_cols[] = {
    {"village", "村", TW_TEXT, 16},        {"village_code", "村代码", TW_TEXT, 14},
    {"members", "队员数", TW_INT, 6},      {"names", "队员", TW_TEXT, 24},
    {"total", "工作队得分", TW_REAL, 10},  {"presence", "驻村在岗", TW_REAL, 8},
    {"visits", "入户走访", TW_REAL, 8},    {"tasks", "任务完成", TW_REAL, 8},
    {"findings", "督查问题", TW_REAL, 8},  {"outcomes", "脱贫成效", TW_REAL, 8},
    {"lowest", "队员最低分", TW_REAL, 10}, {"negative_list", "负面清单人数", TW_INT, 10},
};
#define NTEAM (sizeof(team_cols) / sizeof(team_cols[0]))

static int on_team(void *ud, const struct assess_team_row *r)
{
    struct mrun *run = ud;
    char code[16], members[16], listed[16], num[7][16];
    const char *cells[NTEAM];
    snprintf(code, sizeof(code), "%lld", (long long)r->village);
    snprintf(members, sizeof(members), "%d", r->members);
    snprintf(listed, sizeof(listed), "%d", r->on_negative_list);
    format_score(r->total, r->part, r->counted, num);
    snprintf(num[6], 16, "%.1f", r->lowest);
    cells[0] = r->village_name;
    cells[1] = code;
    cells[2] = members;
    cells[3] = r->names;
    for (int i = 0; i < 7; i++)
        cells[4 + i] = num[i];
    cells[11] = listed;
    run->sum += r->total;
    return table_row(&run->t, cells, run->err);
}

static int assess_month_cmd(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct mrun run = {.unmask = o->unmask, .err = &err};
    struct field_policy_map pm = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    char title[64];
    int status, rc;
    if (!o->month)
        return cli_usage("assess", "month needs --month YYYY-MM");
    if (fmt_parse("assess", o->format, &run.t.fmt))
        return 64;
    if (run.t.fmt == F_XLSX && !o->out)
        return cli_usage("assess", "--format xlsx needs -o FILE");
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    snprintf(title, sizeof(title), "%s %s", o->teams ? "驻村工作队月度考核" : "驻村干部月度考核",
             o->month);
    rc = policy_map(s, o, &p, &sc, &pm, &err);
    if (rc == ZC_OK && o->teams)
        rc = table_open(&run.t, o, title, "teams", team_cols, NTEAM, &err);
    else if (rc == ZC_OK)
        rc = table_open(&run.t, o, title, "month", month_cols, NMONTH, &err);
    if (rc == ZC_OK && o->teams)
        rc = assess_month_teams(s, &pm, &sc, o->month, on_team, &run, &err);
    else if (rc == ZC_OK)
        rc = assess_month(s, &pm, &sc, o->month, on_score, &run, &err);
    field_policy_map_fini(&pm);
    rc = table_close(&run.t, s, o->teams ? "assess-teams" : "assess-month", o->unmask, rc, &err);
    if (rc == ZC_OK && run.t.fmt == F_TABLE)
        printf("%zu %s assessed for %s, mean score %.1f\n", run.t.rows,
               o->teams ? "teams" : "cadres", o->month,
               run.t.rows ? run.sum / (double)run.t.rows : 0.0);
    return done(s, rc, &err);
}

/* ---- assess year ---------------------------------------------------------------------------- */

static const struct tw_column year_cols[] = {
    {"id_number", "身份证号", TW_TEXT, 20}, {"name", "姓名", TW_TEXT, 10},
    {"village", "村", TW_TEXT, 16},         {"county", "县", TW_TEXT, 8},
    {"unit", "派出单位", TW_TEXT, 18},      {"score", "年度平均分", TW_REAL, 10},
    {"months", "考核月数", TW_INT, 8},      {"proposed", "建议等次", TW_TEXT, 10},
    {"grade", "确定等次", TW_TEXT, 10},     {"reason", "说明", TW_TEXT, 30},
    {"confirmed", "已确认", TW_TEXT, 6},    {"promote", "提拔重用推荐", TW_TEXT, 8},
};
#define NYEAR (sizeof(year_cols) / sizeof(year_cols[0]))

/* `assess year --by-township`: the grades of each township side by side. */
static const struct tw_column township_cols[] = {
    {"county", "县", TW_TEXT, 8},
    {"township", "乡镇代码", TW_TEXT, 12},
    {"name", "乡镇", TW_TEXT, 12},
    {"cadres", "人数", TW_INT, 6},
    {"excellent", "优秀", TW_INT, 6},
    {"competent", "称职", TW_INT, 6},
    {"basic", "基本称职", TW_INT, 8},
    {"incompetent", "不称职", TW_INT, 6},
    {"excellent_share", "优秀占比", TW_TEXT, 8},
    {"mean", "平均分", TW_REAL, 8},
    {"proposed_excellent", "建议优秀", TW_INT, 8},
    {"changes", "校准调整", TW_INT, 8},
};
#define NTOWNSHIP (sizeof(township_cols) / sizeof(township_cols[0]))

struct yrun {
    struct table t;
    bool unmask, by_township;
    struct zc_error *err;
    size_t grades[4], promote;
    struct assess_townships towns;
};

static int township_rows(struct yrun *run)
{
    for (size_t i = 0; i < run->towns.n; i++) {
        const struct assess_township_row *r = &run->towns.a[i];
        char county[24], code[24], n[6][12], share[16], mean[16], prop[12], chg[24];
        const char *cells[NTOWNSHIP];
        int rc;
        snprintf(county, sizeof(county), "%06lld", (long long)(r->county / 1000000));
        snprintf(code, sizeof(code), "%lld", (long long)(r->township / 1000));
        snprintf(n[0], sizeof(n[0]), "%d", r->cadres);
        for (int k = 0; k < 4; k++)
            snprintf(n[k + 1], sizeof(n[0]), "%d", r->grade[k]);
        snprintf(share, sizeof(share), "%.1f%%", r->cadres ? 100.0 * r->grade[0] / r->cadres : 0.0);
        snprintf(mean, sizeof(mean), "%.1f", r->mean);
        snprintf(prop, sizeof(prop), "%d", r->proposed[0]);
        snprintf(chg, sizeof(chg), "%zu", r->nchanges);
        cells[0] = county, cells[1] = code, cells[2] = r->name, cells[3] = n[0];
        cells[4] = n[1], cells[5] = n[2], cells[6] = n[3], cells[7] = n[4];
        cells[8] = share, cells[9] = mean, cells[10] = prop, cells[11] = chg;
        rc = table_row(&run->t, cells, run->err);
        if (rc != ZC_OK)
            return rc;
    }
    if (run->t.fmt == F_TABLE) /* each change with its reason */
        for (size_t i = 0; i < run->towns.n; i++)
            for (size_t j = 0; j < run->towns.a[i].nchanges; j++) {
                const struct assess_change *c = &run->towns.a[i].changes[j];
                printf("  校准 %s %s (cadre %lld): %s -> %s, %s\n", run->towns.a[i].name, c->name,
                       (long long)c->cadre, c->proposed, c->grade, c->reason);
            }
    return ZC_OK;
}

static int on_grade(void *ud, const struct assess_grade_row *r)
{
    static const char *const zh[4] = {"优秀", "称职", "基本称职", "不称职"};
    struct yrun *run = ud;
    char idm[32], county[8], score[16], months[8];
    const char *cells[NYEAR];
    if (run->by_township) {
        assess_townships_add(&run->towns, r);
        return ZC_OK;
    }
    mask(r->id_number, run->unmask, idm);
    snprintf(county, sizeof(county), "%06lld", (long long)(r->county / 1000000 % 1000000));
    snprintf(score, sizeof(score), "%.1f", r->score);
    snprintf(months, sizeof(months), "%d", r->months);
    for (int i = 0; i < 4; i++)
        run->grades[i] += strcmp(r->grade, zh[i]) == 0;
    run->promote += r->promote;
    cells[0] = idm;
    cells[1] = r->name;
    cells[2] = r->village_name;
    cells[3] = county;
    cells[4] = r->unit_name;
    cells[5] = score;
    cells[6] = months;
    cells[7] = r->proposed;
    cells[8] = r->grade;
    cells[9] = r->reason;
    cells[10] = r->confirmed ? "是" : "否";
    cells[11] = r->promote ? "是" : "";
    return table_row(&run->t, cells, run->err);
}

static int parse_year(const char *s, int *y)
{
    int64_t v;
    if (!s || !parse_i64(s, &v) || v < 2000 || v > 2100)
        return cli_usage("assess", "--year takes a year, e.g. 2018");
    *y = (int)v;
    return 0;
}

static int assess_year_cmd(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct yrun run = {.unmask = o->unmask, .err = &err, .by_township = o->by_township};
    struct field_policy_map pm = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    char title[64];
    int status, rc, year = 0;
    if (parse_year(o->year, &year))
        return 64;
    if (fmt_parse("assess", o->format, &run.t.fmt))
        return 64;
    if (run.t.fmt == F_XLSX && !o->out)
        return cli_usage("assess", "--format xlsx needs -o FILE");
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    snprintf(title, sizeof(title), "驻村干部年度考核 %d", year);
    if (o->by_township)
        snprintf(title, sizeof(title), "驻村干部年度考核 %d 各乡镇等次分布", year);
    rc = policy_map(s, o, &p, &sc, &pm, &err);
    if (rc == ZC_OK && o->by_township) {
        rc = assess_year(s, &pm, &sc, year, on_grade, &run, &err);
        if (rc == ZC_OK)
            rc = assess_townships_finish(s, &run.towns, &err);
        if (rc == ZC_OK)
            rc = table_open(&run.t, o, title, "townships", township_cols, NTOWNSHIP, &err);
        if (rc == ZC_OK)
            rc = township_rows(&run);
    } else {
        if (rc == ZC_OK)
            rc = table_open(&run.t, o, title, "year", year_cols, NYEAR, &err);
        if (rc == ZC_OK)
            rc = assess_year(s, &pm, &sc, year, on_grade, &run, &err);
    }
    field_policy_map_fini(&pm);
    assess_townships_fini(&run.towns);
    rc = table_close(&run.t, s, o->by_township ? "assess-townships" : "assess-year", o->unmask, rc,
                     &err);
    if (rc == ZC_OK && run.t.fmt == F_TABLE && !o->by_township)
        printf("%zu cadres: 优秀 %zu, 称职 %zu, 基本称职 %zu, 不称职 %zu; 提拔重用推荐 %zu\n",
               run.t.rows, run.grades[0], run.grades[1], run.grades[2], run.grades[3], run.promote);
    return done(s, rc, &err);
}

static int assess_year_write(struct cli *cli, const struct opts *o, bool confirm)
{
    struct zc_error err = {0};
    struct field_policy_map pm = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    int64_t cadre = 0;
    size_t n = 0;
    int status, rc, year = 0;
    if (parse_year(o->year, &year))
        return 64;
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    rc = confirm ? policy_map(s, o, &p, &sc, &pm, &err) : cadre_arg(s, o->cadre, &cadre, &err);
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        if (confirm)
            rc = assess_year_confirm(s, &pm, &sc, year, cli_me(), &n, &err);
        else
            rc = assess_grade_set(s, &sc, cadre, year, o->grade, o->reason, cli_me(), &err);
        rc = cli_finish_write(s, rc, confirm ? "assess.confirm" : "assess.calibrate", o->year,
                              confirm ? json_pack("{s:i, s:I, s:s}", "year", year, "grades",
                                                  (json_int_t)n, "scope", o->scope ? o->scope : "")
                                      : json_pack("{s:I, s:s, s:s}", "cadre", (json_int_t)cadre,
                                                  "grade", o->grade ? o->grade : "", "reason",
                                                  o->reason ? o->reason : ""),
                              &err);
    }
    if (rc == ZC_OK && confirm)
        printf("%zu grades of %d confirmed and written into the cadres' records\n", n, year);
    else if (rc == ZC_OK)
        printf("grade of cadre %lld for %d set to %s\n", (long long)cadre, year, o->grade);
    field_policy_map_fini(&pm);
    return done(s, rc, &err);
}

/* ---- negative list and ladder ------------------------------------------------------------ */

static const struct tw_column neg_cols[] = {
    {"unit", "派出单位", TW_TEXT, 18}, {"id_number", "身份证号", TW_TEXT, 20},
    {"name", "姓名", TW_TEXT, 10},     {"village", "村", TW_TEXT, 16},
    {"rule", "事项", TW_TEXT, 14},     {"source", "来源", TW_TEXT, 6},
    {"detail", "情况", TW_TEXT, 50},
};

struct nrun {
    struct table t;
    bool unmask;
    struct zc_error *err;
};

static int on_negative(void *ud, const struct assess_negative_row *r)
{
    struct nrun *run = ud;
    char idm[32];
    const char *cells[7];
    mask(r->id_number, run->unmask, idm);
    cells[0] = r->unit_name;
    cells[1] = idm;
    cells[2] = r->name;
    cells[3] = r->village_name;
    cells[4] = assess_negative_rule_name(r->rule);
    cells[5] = strcmp(r->source, "manual") == 0 ? "人工" : "规则";
    cells[6] = r->detail;
    return table_row(&run->t, cells, run->err);
}

static int assess_negative_cmd(struct cli *cli, const struct opts *o, bool add)
{
    struct zc_error err = {0};
    struct nrun run = {.unmask = o->unmask, .err = &err};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    size_t n = 0;
    int64_t cadre = 0, id = 0;
    int status, rc;
    if (!o->month)
        return cli_usage("assess", "negative needs --month YYYY-MM");
    if (fmt_parse("assess", o->format, &run.t.fmt))
        return 64;
    if (run.t.fmt == F_XLSX && !o->out)
        return cli_usage("assess", "--format xlsx needs -o FILE");
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    rc = add ? cadre_arg(s, o->cadre, &cadre, &err) : ZC_OK;
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        if (add)
            rc = assess_negative_add(s, &sc, cadre, o->month, o->reason, cli_me(), &id, &err);
        else
            rc = assess_negative_build(s, &p, &sc, o->month, cli_me(), &n, &err);
        rc = cli_finish_write(s, rc, add ? "negative.add" : "negative.build", o->month,
                              add ? json_pack("{s:I, s:s}", "cadre", (json_int_t)cadre, "reason",
                                              o->reason ? o->reason : "")
                                  : json_pack("{s:I, s:s}", "entries", (json_int_t)n, "scope",
                                              o->scope ? o->scope : ""),
                              &err);
    }
    if (rc == ZC_OK && add) {
        printf("negative list entry %lld added for %s\n", (long long)id, o->month);
        return done(s, rc, &err);
    }
    if (rc == ZC_OK)
        rc = table_open(&run.t, o, "负面清单", "negative", neg_cols, 7, &err);
    if (rc == ZC_OK)
        rc = assess_negative_list(s, &sc, o->month, on_negative, &run, &err);
    rc = table_close(&run.t, s, "negative-list", o->unmask, rc, &err);
    if (rc == ZC_OK && run.t.fmt == F_TABLE)
        printf("%zu entries on the negative list of %s\n", run.t.rows, o->month);
    return done(s, rc, &err);
}

static const struct tw_column step_cols[] = {
    {"step_id", "编号", TW_INT, 6},       {"id_number", "身份证号", TW_TEXT, 20},
    {"name", "姓名", TW_TEXT, 10},        {"village", "村", TW_TEXT, 16},
    {"step", "措施", TW_TEXT, 8},         {"month", "月份", TW_TEXT, 8},
    {"months", "上榜月数", TW_INT, 8},    {"status", "状态", TW_TEXT, 8},
    {"sanction", "处理方式", TW_TEXT, 8}, {"appeal", "申诉", TW_TEXT, 30},
};

static int on_step(void *ud, const struct assess_step_row *r)
{
    struct nrun *run = ud;
    char idm[32], id[24], months[8];
    const char *cells[10];
    mask(r->id_number, run->unmask, idm);
    snprintf(id, sizeof(id), "%lld", (long long)r->id);
    snprintf(months, sizeof(months), "%d", r->months);
    cells[0] = id;
    cells[1] = idm;
    cells[2] = r->name;
    cells[3] = r->village_name;
    cells[4] = assess_step_name(r->step);
    cells[5] = r->month;
    cells[6] = months;
    cells[7] = assess_step_status_name(r->status);
    cells[8] = r->sanction;
    cells[9] = r->appeal;
    return table_row(&run->t, cells, run->err);
}

static int ladder_list(struct cli *cli, const struct opts *o)
{
    struct zc_error err = {0};
    struct nrun run = {.unmask = o->unmask, .err = &err};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    size_t n = 0;
    int status, rc = ZC_OK;
    if (fmt_parse("assess", o->format, &run.t.fmt))
        return 64;
    if (run.t.fmt == F_XLSX && !o->out)
        return cli_usage("assess", "--format xlsx needs -o FILE");
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    if (o->month) { /* propose this month's steps first */
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = assess_ladder_propose(s, &p, &sc, o->month, &n, &err);
            rc = cli_finish_write(s, rc, "ladder.propose", o->month,
                                  json_pack("{s:I}", "proposed", (json_int_t)n), &err);
        }
        if (rc == ZC_OK && run.t.fmt == F_TABLE)
            printf("%zu steps proposed for %s\n", n, o->month);
    }
    if (rc == ZC_OK)
        rc = table_open(&run.t, o, "问责措施 (先学习班、再约谈、后处理)", "ladder", step_cols, 10,
                        &err);
    if (rc == ZC_OK)
        rc = assess_ladder_list(s, &sc, o->status, on_step, &run, &err);
    rc = table_close(&run.t, s, "ladder", o->unmask, rc, &err);
    return done(s, rc, &err);
}

static int ladder_write(struct cli *cli, const struct opts *o, const char *what)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    char today[11];
    int64_t id;
    bool recalled = false, vacancy = false, appeal = strcmp(what, "appeal") == 0;
    int status, rc;
    if (!o->arg || !parse_i64(o->arg, &id))
        return cli_usage("assess", "ladder %s needs the step number", what);
    today_text(today);
    s = open_all(cli, o, &p, &sc, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        if (appeal)
            rc = assess_ladder_appeal(s, &sc, id, o->reason, &err);
        else
            rc = assess_ladder_decide(s, &p, &sc, id, strcmp(what, "confirm") == 0, o->sanction,
                                      o->note, cli_me(), o->date ? o->date : today, &recalled,
                                      &vacancy, &err);
        char action[32];
        snprintf(action, sizeof(action), "ladder.%s", what);
        rc = cli_finish_write(
            s, rc, action, o->arg,
            json_pack("{s:s, s:s, s:b}", "sanction", o->sanction ? o->sanction : "", "text",
                      appeal ? (o->reason ? o->reason : "") : (o->note ? o->note : ""), "recalled",
                      recalled),
            &err);
    }
    if (rc == ZC_OK) {
        printf("ladder step %s: %s\n", o->arg,
               appeal                         ? "appealed (申诉)"
               : strcmp(what, "confirm") == 0 ? "confirmed"
                                              : "withdrawn");
        if (recalled)
            printf("the cadre is recalled (召回)%s\n",
                   vacancy ? "; the post is vacant for `zhucun match --refill`" : "");
    }
    return done(s, rc, &err);
}

/* ---- tasks ------------------------------------------------------------------------------- */

static int task_cmd(struct cli *cli, const struct opts *o, bool add)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    struct store *s;
    char today[11];
    int64_t village = 0, id = 0;
    int status, rc;
    if (add && village_opt("assess", o->village, &village))
        return 64;
    if (!add && (!o->arg || !parse_i64(o->arg, &id)))
        return cli_usage("assess", "task done needs the task number");
    today_text(today);
    s = open_all(cli, o, NULL, &sc, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        if (add)
            rc = assess_task_add(s, &sc, village, o->quarter, o->text, o->due, cli_me(), &id, &err);
        else
            rc = assess_task_done(s, &sc, id, o->date ? o->date : today, o->evidence, &err);
        rc = cli_finish_write(
            s, rc, add ? "task.add" : "task.done", add ? o->village : o->arg,
            json_pack("{s:I, s:s}", "task", (json_int_t)id, "text",
                      add ? (o->text ? o->text : "") : (o->evidence ? o->evidence : "")),
            &err);
    }
    if (rc == ZC_OK)
        printf(add ? "task %lld added\n" : "task %lld done\n", (long long)id);
    return done(s, rc, &err);
}

/* `assess task generate`: derive the quarter's lists; `assess task list`. */
static const struct tw_column task_cols[] = {
    {"id", "编号", TW_INT, 6},
    {"village", "村", TW_TEXT, 16},
    {"village_code", "村代码", TW_TEXT, 14},
    {"quarter", "季度", TW_TEXT, 8},
    {"text", "任务", TW_TEXT, 40},
    {"due", "完成时限", TW_TEXT, 10},
    {"status", "状态", TW_TEXT, 6},
    {"done_at", "完成日期", TW_TEXT, 10},
    {"evidence", "完成依据", TW_TEXT, 24},
    {"source", "来源", TW_TEXT, 16},
};
#define NTASK (sizeof(task_cols) / sizeof(task_cols[0]))

struct taskrun {
    struct table t;
    struct zc_error *err;
    size_t done, overdue;
};

static int on_task(void *ud, const struct assess_task_row *r)
{
    struct taskrun *run = ud;
    char id[24], code[24];
    const char *status = strcmp(r->status, "done") == 0      ? "已完成"
                         : strcmp(r->status, "overdue") == 0 ? "逾期"
                                                             : "未完成";
    const char *cells[NTASK] = {id,     r->village_name, code,       r->quarter,  r->text,
                                r->due, status,          r->done_at, r->evidence, r->source};
    snprintf(id, sizeof(id), "%lld", (long long)r->id);
    snprintf(code, sizeof(code), "%lld", (long long)r->village);
    run->done += strcmp(r->status, "done") == 0;
    run->overdue += strcmp(r->status, "overdue") == 0;
    return table_row(&run->t, cells, run->err);
}

static int task_list_cmd(struct cli *cli, const struct opts *o, bool generate)
{
    struct zc_error err = {0};
    struct taskrun run = {.err = &err};
    struct zc_scope sc;
    struct store *s;
    char title[64];
    size_t added = 0, teams = 0;
    int status, rc = ZC_OK;
    if (!o->quarter)
        return cli_usage("assess", "task %s needs --quarter YYYY-Qn",
                         generate ? "generate" : "list");
    if (fmt_parse("assess", o->format, &run.t.fmt))
        return 64;
    if (run.t.fmt == F_XLSX && !o->out)
        return cli_usage("assess", "--format xlsx needs -o FILE");
    s = open_all(cli, o, NULL, &sc, &status);
    if (!s)
        return status;
    if (generate) {
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = assess_task_derive(s, &sc, o->quarter, cli_me(), &added, &teams, &err);
            rc = cli_finish_write(
                s, rc, "task.generate", o->quarter,
                json_pack("{s:I, s:I}", "added", (json_int_t)added, "teams", (json_int_t)teams),
                &err);
        }
        if (rc == ZC_OK)
            printf("%zu tasks derived for the %zu teams of %s (from the villages' needs and the "
                   "households' plans)\n",
                   added, teams, o->quarter);
        return done(s, rc, &err);
    }
    snprintf(title, sizeof(title), "驻村工作队季度任务清单 %s", o->quarter);
    rc = table_open(&run.t, o, title, "tasks", task_cols, NTASK, &err);
    if (rc == ZC_OK)
        rc = assess_task_list(s, &sc, o->quarter, on_task, &run, &err);
    rc = table_close(&run.t, s, "tasks", false, rc, &err);
    if (rc == ZC_OK && run.t.fmt == F_TABLE)
        printf("%zu tasks: %zu done, %zu overdue\n", run.t.rows, run.done, run.overdue);
    return done(s, rc, &err);
}

/* ---- commendations and the promotion list ------------------------------------------------ */

static const struct tw_column commend_cols[] = {
    {"id_number", "身份证号", TW_TEXT, 20}, {"name", "姓名", TW_TEXT, 10},
    {"village", "村", TW_TEXT, 16},         {"day", "表彰日期", TW_TEXT, 10},
    {"title", "表彰名称", TW_TEXT, 16},     {"reason", "表彰理由", TW_TEXT, 40},
};
#define NCOMMEND (sizeof(commend_cols) / sizeof(commend_cols[0]))

static const struct tw_column promote_cols[] = {
    {"id_number", "身份证号", TW_TEXT, 20}, {"name", "姓名", TW_TEXT, 10},
    {"village", "村", TW_TEXT, 16},         {"unit", "派出单位", TW_TEXT, 18},
    {"grade", "年度等次", TW_TEXT, 8},      {"confirmed", "已确认", TW_TEXT, 6},
    {"score", "年度平均分", TW_REAL, 10},   {"months", "月度得分", TW_TEXT, 40},
    {"commendations", "表彰", TW_TEXT, 30}, {"negative", "负面清单条数", TW_INT, 8},
};
#define NPROMOTE (sizeof(promote_cols) / sizeof(promote_cols[0]))

struct prun {
    struct table t;
    bool unmask;
    struct zc_error *err;
};

static int on_commend(void *ud, const struct assess_commend_row *r)
{
    struct prun *run = ud;
    char idm[32];
    mask(r->id_number, run->unmask, idm);
    const char *cells[NCOMMEND] = {idm, r->name, r->village_name, r->day, r->title, r->reason};
    return table_row(&run->t, cells, run->err);
}

static int on_promotion(void *ud, const struct assess_promotion_row *r)
{
    struct prun *run = ud;
    char idm[32], score[16], months[160], neg[12];
    size_t used = 0;
    mask(r->g->id_number, run->unmask, idm);
    snprintf(score, sizeof(score), "%.1f", r->g->score);
    snprintf(neg, sizeof(neg), "%d", r->negative);
    months[0] = '\0';
    for (int m = 0; m < 12 && used < sizeof(months); m++)
        if (r->has_month[m])
            used += (size_t)snprintf(months + used, sizeof(months) - used, "%s%d月 %.1f",
                                     used ? "; " : "", m + 1, r->month_score[m]);
    const char *cells[NPROMOTE] = {idm,
                                   r->g->name,
                                   r->g->village_name,
                                   r->g->unit_name,
                                   r->g->grade,
                                   r->g->confirmed ? "是" : "否",
                                   score,
                                   months,
                                   r->commended,
                                   neg};
    return table_row(&run->t, cells, run->err);
}

/* `assess commend add`, `assess commend --year`, `assess promote --year`. */
static int commend_cmd(struct cli *cli, const struct opts *o, int what)
{
    struct zc_error err = {0};
    struct prun run = {.unmask = o->unmask, .err = &err};
    struct field_policy_map pm = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    char title[64], today[11];
    int64_t cadre = 0, id = 0;
    int status, rc, year = 0;
    if (parse_year(o->year, &year))
        return 64;
    if (what != 0 && fmt_parse("assess", o->format, &run.t.fmt))
        return 64;
    if (what != 0 && run.t.fmt == F_XLSX && !o->out)
        return cli_usage("assess", "--format xlsx needs -o FILE");
    s = open_all(cli, o, what == 2 ? &p : NULL, &sc, &status);
    if (!s)
        return status;
    if (what == 0) { /* add */
        today_text(today);
        rc = cadre_arg(s, o->cadre, &cadre, &err);
        if (rc == ZC_OK)
            rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = assess_commend_add(s, &sc, cadre, year, o->date ? o->date : today, o->title,
                                    o->reason, cli_me(), &id, &err);
            rc = cli_finish_write(s, rc, "commend.add", o->cadre,
                                  json_pack("{s:I, s:i, s:s, s:s}", "commendation", (json_int_t)id,
                                            "year", year, "title", o->title ? o->title : "",
                                            "reason", o->reason ? o->reason : ""),
                                  &err);
        }
        if (rc == ZC_OK)
            printf("commendation %lld recorded for cadre %s (%d)\n", (long long)id, o->cadre, year);
        return done(s, rc, &err);
    }
    if (what == 1) {
        snprintf(title, sizeof(title), "驻村干部表彰 %d", year);
        rc = table_open(&run.t, o, title, "commendations", commend_cols, NCOMMEND, &err);
        if (rc == ZC_OK)
            rc = assess_commend_list(s, &sc, year, on_commend, &run, &err);
        rc = table_close(&run.t, s, "commendations", o->unmask, rc, &err);
        return done(s, rc, &err);
    }
    snprintf(title, sizeof(title), "提拔重用推荐名单 %d", year);
    rc = policy_map(s, o, &p, &sc, &pm, &err);
    if (rc == ZC_OK)
        rc = table_open(&run.t, o, title, "promotions", promote_cols, NPROMOTE, &err);
    if (rc == ZC_OK)
        rc = assess_promotions(s, &pm, &sc, year, on_promotion, &run, &err);
    field_policy_map_fini(&pm);
    rc = table_close(&run.t, s, "promotions", o->unmask, rc, &err);
    if (rc == ZC_OK && run.t.fmt == F_TABLE)
        printf("%zu cadres on the promotion list (优秀, no ladder step confirmed)\n", run.t.rows);
    return done(s, rc, &err);
}

static int assess_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun [--db PATH] assess COMMAND ...\n\n"
            "Assessment (考核) of stationed cadres.\n\n"
            "  month --month YYYY-MM [--scope CODE] [--format table|csv|json|xlsx] [-o FILE]\n"
            "        [--unmask]   each cadre's monthly score, every component with its evidence\n"
            "  month --teams ...   each village's team (工作队): its members' scores weighed by\n"
            "        days stationed, per component, the lowest member, how many are listed\n"
            "  year --year YYYY [--scope CODE] [--format ...]   proposed annual grades (建议等次)\n"
            "        within the 优秀 quota per county, and the promotion list (提拔重用);\n"
            "        --by-township: the grades of each township side by side (横向校准:\n"
            "        proposed and calibrated counts, each change with its reason)\n"
            "  year set --cadre ID --year YYYY --grade G --reason TEXT   calibration\n"
            "  year confirm --year YYYY [--scope CODE]   confirm into the cadres' records\n"
            "  negative --month YYYY-MM [--scope CODE] [--format ...]   build and list the\n"
            "        negative list (负面清单) from the policy's rules\n"
            "  negative add --cadre ID --month YYYY-MM --reason TEXT   a manual entry\n"
            "  ladder [--month YYYY-MM] [--scope CODE] [--status S]   propose the month's steps\n"
            "        (先学习班、再约谈、后处理) and list the steps\n"
            "  ladder appeal STEP --reason TEXT          申诉\n"
            "  ladder confirm STEP [--sanction KIND] [--date D] [--note T]\n"
            "  ladder withdraw STEP --note TEXT\n"
            "  task add --village CODE --quarter YYYY-Qn --text TEXT --due YYYY-MM-DD\n"
            "  task done TASK --evidence TEXT [--date D]\n"
            "  commend add --cadre ID --year YYYY --title T --reason TEXT [--date D]   表彰\n"
            "  commend --year YYYY [--scope CODE] [--format ...]   the year's commendations\n"
            "  promote --year YYYY [--scope CODE] [--format ...]   the promotion list (提拔重用)\n"
            "        with the evidence per name: grade, each month's score, commendations,\n"
            "        entries on the negative list\n"
            "  task generate --quarter YYYY-Qn [--scope CODE]   derive each team's quarterly\n"
            "        task list from the village's needs (软/穷/乱/弱, planned industries) and\n"
            "        the households' open plan measures, with deadlines (once per source)\n"
            "  task list --quarter YYYY-Qn [--scope CODE] [--format ...]   the tasks, done\n"
            "        or not, with the evidence\n"
            "All take --policy FILE (default: policies/default.json).\n");
    return f == stdout ? 0 : 64;
}

int cmd_assess(struct cli *cli, int argc, char **argv)
{
    struct opts o;
    const char *sub = argc > 1 ? argv[1] : NULL;
    const char *sub2 = argc > 2 ? argv[2] : "";
    int skip, rc;
    if (!sub || strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
        return assess_usage(sub ? stdout : stderr);
    if (cli_wants_help(argc, argv))
        return assess_usage(stdout);
    /* "year set", "negative add", "ladder appeal", "task add": a second word. */
    skip = (strcmp(sub2, "set") == 0 || strcmp(sub2, "confirm") == 0 || strcmp(sub2, "add") == 0 ||
            strcmp(sub2, "appeal") == 0 || strcmp(sub2, "withdraw") == 0 ||
            strcmp(sub2, "done") == 0 || strcmp(sub2, "generate") == 0 || strcmp(sub2, "list") == 0)
               ? 2
               : 1;
    if ((rc = parse_opts("assess", argc - skip, argv + skip, &o)) != 0)
        return rc;
    if (strcmp(sub, "month") == 0 && skip == 1)
        return assess_month_cmd(cli, &o);
    if (strcmp(sub, "year") == 0 && skip == 2 && strcmp(sub2, "set") != 0 &&
        strcmp(sub2, "confirm") != 0)
        return cli_usage("assess", "year takes set or confirm, not '%s'", sub2);
    if (strcmp(sub, "year") == 0)
        return skip == 1 ? assess_year_cmd(cli, &o)
                         : assess_year_write(cli, &o, strcmp(sub2, "confirm") == 0);
    if (strcmp(sub, "negative") == 0 && skip == 2 && strcmp(sub2, "add") != 0)
        return cli_usage("assess", "negative takes add, not '%s'", sub2);
    if (strcmp(sub, "negative") == 0)
        return assess_negative_cmd(cli, &o, skip == 2);
    if (strcmp(sub, "ladder") == 0 && skip == 2 && strcmp(sub2, "appeal") != 0 &&
        strcmp(sub2, "confirm") != 0 && strcmp(sub2, "withdraw") != 0)
        return cli_usage("assess", "ladder takes appeal, confirm or withdraw, not '%s'", sub2);
    if (strcmp(sub, "ladder") == 0)
        return skip == 1 ? ladder_list(cli, &o) : ladder_write(cli, &o, sub2);
    if (strcmp(sub, "task") == 0 && skip == 2 &&
        (strcmp(sub2, "add") == 0 || strcmp(sub2, "done") == 0))
        return task_cmd(cli, &o, strcmp(sub2, "add") == 0);
    if (strcmp(sub, "commend") == 0 && (skip == 1 || strcmp(sub2, "add") == 0))
        return commend_cmd(cli, &o, skip == 2 ? 0 : 1);
    if (strcmp(sub, "promote") == 0 && skip == 1)
        return commend_cmd(cli, &o, 2);
    if (strcmp(sub, "task") == 0 && skip == 2 &&
        (strcmp(sub2, "generate") == 0 || strcmp(sub2, "list") == 0))
        return task_list_cmd(cli, &o, strcmp(sub2, "generate") == 0);
    return cli_usage("assess", "unknown command '%s%s%s'", sub, skip == 2 ? " " : "",
                     skip == 2 ? sub2 : "");
}

/* ---- funds ------------------------------------------------------------------------------ */

static const struct tw_column fund_cols[] = {
    {"village", "村", TW_TEXT, 16},
    {"village_code", "村代码", TW_TEXT, 14},
    {"first_secretary", "第一书记", TW_TEXT, 10},
    {"alloc_work", "工作经费(元)", TW_REAL, 12},
    {"spent_work", "已支出(元)", TW_REAL, 12},
    {"left_work", "结余(元)", TW_REAL, 12},
    {"alloc_industry", "产业资金(元)", TW_REAL, 12},
    {"spent_industry", "已支出(元)", TW_REAL, 12},
    {"left_industry", "结余(元)", TW_REAL, 12},
    {"present_days", "在村天数", TW_INT, 8},
    {"subsidy", "驻村补助(元)", TW_REAL, 12},
};
#define NFUND (sizeof(fund_cols) / sizeof(fund_cols[0]))

struct frun {
    struct table t;
    struct zc_error *err;
    int64_t total[7];
};

static void yuan(int64_t fen, char out[24])
{
    snprintf(out, 24, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(llabs(fen) / 100),
             (long long)(llabs(fen) % 100));
}

static int on_fund(void *ud, const struct assess_fund_row *r)
{
    struct frun *run = ud;
    char code[16], n[8][24];
    const char *cells[NFUND];
    int64_t v[7] = {
        r->alloc_work_fen,     r->spent_work_fen,     r->alloc_work_fen - r->spent_work_fen,
        r->alloc_industry_fen, r->spent_industry_fen, r->alloc_industry_fen - r->spent_industry_fen,
        r->subsidy_fen};
    snprintf(code, sizeof(code), "%lld", (long long)r->village);
    for (int i = 0; i < 7; i++) {
        yuan(v[i], n[i]);
        run->total[i] += v[i];
    }
    snprintf(n[7], 24, "%d", r->present_days);
    cells[0] = r->village_name;
    cells[1] = code;
    cells[2] = r->secretary;
    for (int i = 0; i < 6; i++)
        cells[3 + i] = n[i];
    cells[9] = n[7];
    cells[10] = n[6];
    return table_row(&run->t, cells, run->err);
}

static int funds_usage(FILE *f)
{
    fprintf(f, "usage: zhucun [--db PATH] funds COMMAND ...\n\n"
               "  add --village CODE --kind work|industry --amount YUAN --date YYYY-MM-DD\n"
               "      --note TEXT          a spending entry of the team's funds\n"
               "  statement --year YYYY [--scope CODE] [--format table|csv|json|xlsx] [-o FILE]\n"
               "      allocation from the policy (assess.funds), spending, balance, and the\n"
               "      subsidies the residence ledger earned (field.subsidy)\n");
    return f == stdout ? 0 : 64;
}

int cmd_funds(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct zc_scope sc;
    struct policy p;
    struct store *s;
    struct opts o;
    const char *sub = argc > 1 ? argv[1] : NULL;
    int status, rc, year = 0;
    if (!sub || strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
        return funds_usage(sub ? stdout : stderr);
    if (cli_wants_help(argc, argv))
        return funds_usage(stdout);
    if ((rc = parse_opts("funds", argc - 1, argv + 1, &o)) != 0)
        return rc;
    if (strcmp(sub, "add") == 0) {
        int64_t village = 0, id = 0;
        double yuan_amount;
        char *end = NULL;
        if (village_opt("funds", o.village, &village))
            return 64;
        yuan_amount = o.amount ? strtod(o.amount, &end) : -1;
        if (!o.amount || *end || yuan_amount <= 0)
            return cli_usage("funds", "--amount takes an amount in yuan above 0");
        s = open_all(cli, &o, NULL, &sc, &status);
        if (!s)
            return status;
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            int64_t fen = (int64_t)(yuan_amount * 100 + 0.5);
            rc = assess_fund_add(s, &sc, village, o.kind, o.date, fen, o.note, cli_me(), &id, &err);
            rc = cli_finish_write(s, rc, "funds.add", o.village,
                                  json_pack("{s:I, s:s, s:I, s:s}", "entry", (json_int_t)id, "kind",
                                            o.kind ? o.kind : "", "fen", (json_int_t)fen, "note",
                                            o.note ? o.note : ""),
                                  &err);
        }
        if (rc == ZC_OK)
            printf("spending entry %lld recorded\n", (long long)id);
        return done(s, rc, &err);
    }
    if (strcmp(sub, "statement") == 0) {
        struct frun run = {.err = &err};
        char title[64];
        if (parse_year(o.year, &year))
            return 64;
        if (fmt_parse("funds", o.format, &run.t.fmt))
            return 64;
        if (run.t.fmt == F_XLSX && !o.out)
            return cli_usage("funds", "--format xlsx needs -o FILE");
        s = open_all(cli, &o, &p, &sc, &status);
        if (!s)
            return status;
        snprintf(title, sizeof(title), "驻村工作经费和补助 %d 年", year);
        rc = table_open(&run.t, &o, title, "funds", fund_cols, NFUND, &err);
        if (rc == ZC_OK)
            rc = assess_funds(s, &p, &sc, year, on_fund, &run, &err);
        rc = table_close(&run.t, s, "funds", false, rc, &err);
        if (rc == ZC_OK && run.t.fmt == F_TABLE) {
            char a[24], b[24], c[24];
            yuan(run.total[0] + run.total[3], a);
            yuan(run.total[1] + run.total[4], b);
            yuan(run.total[6], c);
            printf("%zu teams: allocated %s yuan, spent %s yuan, subsidies %s yuan\n", run.t.rows,
                   a, b, c);
        }
        return done(s, rc, &err);
    }
    return cli_usage("funds", "unknown command '%s'", sub);
}
