/* SPDX-License-Identifier: MIT */
/* cmd_post.c - `zhucun post`: posts above the village (挂职岗位, 十百千):
 * add, list, remove, and the import template. `post add` goes through the
 * registry's import engine as a one-row file, so a post added by hand is
 * checked exactly as an imported one; every write is audited in its
 * transaction. Matching fills the posts' seats (src/match). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/division.h"
#include "base/mem.h"
#include "base/text.h"
#include "cli.h"
#include "ingest/tablewriter.h"
#include "registry/registry.h"
#include "store/store.h"

static int post_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun post add --division CODE --title TITLE [--code CODE] [--seats N]\n"
            "                [--min-rank RANK] [--send-level LEVEL] [--party] [--skill SKILL]\n"
            "                [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
            "       zhucun post list [--scope CODE] [--format table|csv|json]\n"
            "       zhucun post remove CODE\n"
            "       zhucun post template [--format csv|xlsx] [-o FILE]\n\n"
            "Posts above the village (挂职, 十百千): seats at a county (6 digits) or a\n"
            "township (9 digits), e.g. 县委副书记(挂职) or 镇党委副书记, that 'zhucun match'\n"
            "fills like a village's team: each seat needs the lowest rank (副处 ...), the\n"
            "lowest sending unit level (province, city, county, township: 'city' takes\n"
            "provincial and city units), party membership, a skill, as the post says, and\n"
            "the policy's posts.levels. --code defaults to DIVISION-TITLE. add replaces a\n"
            "post with the same code. 'zhucun import posts FILE' adds many (columns:\n"
            "岗位编号 区划代码 岗位名称 职数 最低职级 派出层级 党员 专业技能 任期开始 任期结束).\n"
            "remove refuses a post with a seat on a draft plan, a roster or a posting: a\n"
            "post that has been published ends with its term (--to, 任期结束).\n");
    return f == stdout ? 0 : 64;
}

/* One CSV cell, quoted. */
static void csv_cell(struct buf *b, const char *v, bool last)
{
    buf_puts(b, "\"");
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '"')
            buf_puts(b, "\"");
        buf_append(b, p, 1);
    }
    buf_puts(b, last ? "\"\n" : "\",");
}

struct post_opts {
    const char *code, *division, *title, *seats, *rank, *level, *skill, *from, *to;
    bool party;
};

/* The post as a one-row import file with the English headers. */
static void post_file(const struct post_opts *o, const char *code, struct buf *b)
{
    const char *head[] = {"code",       "division",     "title", "seats",      "min_rank",
                          "send_level", "party_member", "skill", "term_start", "term_end"};
    const char *row[] = {code,
                         o->division,
                         o->title,
                         o->seats ? o->seats : "1",
                         o->rank,
                         o->level,
                         o->party ? "是" : "否",
                         o->skill,
                         o->from,
                         o->to};
    size_t n = sizeof(head) / sizeof(head[0]);
    for (size_t i = 0; i < n; i++)
        csv_cell(b, head[i], i + 1 == n);
    for (size_t i = 0; i < n; i++)
        csv_cell(b, row[i], i + 1 == n);
}

static int post_add(struct cli *cli, const struct post_opts *o)
{
    struct zc_error err = {0};
    struct import_report rep;
    struct buf file = {0}, code = {0};
    struct store *s;
    int status, rc;

    if (!o->division || !o->title)
        return cli_usage("post", "add needs --division and --title");
    if (o->code)
        buf_puts(&code, o->code);
    else
        buf_printf(&code, "%s-%s", o->division, o->title);
    post_file(o, buf_cstr(&code), &file);
    s = cli_open_store(cli, false, &status);
    if (!s) {
        buf_fini(&file);
        buf_fini(&code);
        return status;
    }
    memset(&rep, 0, sizeof(rep));
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        rc = registry_import_mem(s, REG_POSTS, "post add", buf_cstr(&file), file.len, NULL, &rep,
                                 &err);
        rc = cli_finish_write(s, rc, "post.add", buf_cstr(&code),
                              json_pack("{s:s, s:s, s:s}", "code", buf_cstr(&code), "division",
                                        o->division, "title", o->title),
                              &err);
    }
    store_close(s);
    if (rc == ZC_EINVAL && rep.nerrors) {
        for (size_t i = 0; i < rep.nlines; i++)
            fprintf(stderr, "%s\n", rep.lines[i]);
        import_report_fini(&rep);
        buf_fini(&file);
        buf_fini(&code);
        fprintf(stderr, "zhucun: nothing was added\n");
        return 65;
    }
    if (rc == ZC_OK)
        printf("post %s %s\n", buf_cstr(&code), rep.added ? "added" : "updated");
    import_report_fini(&rep);
    buf_fini(&file);
    buf_fini(&code);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

static const struct tw_column list_cols[] = {
    {"code", "岗位编号", TW_TEXT, 24},
    {"division", "区划代码", TW_TEXT, 14},
    {"division_name", "挂职地", TW_TEXT, 14},
    {"title", "岗位名称", TW_TEXT, 24},
    {"seats", "职数", TW_INT, 6},
    {"serving", "在岗", TW_INT, 6},
    {"min_rank", "最低职级", TW_TEXT, 8},
    {"send_level", "派出层级", TW_TEXT, 8},
    {"party_member", "党员", TW_TEXT, 6},
    {"skill", "专业技能", TW_TEXT, 12},
    {"term_start", "任期开始", TW_TEXT, 12},
    {"term_end", "任期结束", TW_TEXT, 12},
};

#define NLIST (sizeof(list_cols) / sizeof(list_cols[0]))

struct list_ctx {
    struct tablewriter *w; /* csv, json */
    int rc;
    struct zc_error *err;
    size_t n;
};

static bool list_row(void *ud, const struct registry_post *p)
{
    struct list_ctx *x = ud;
    char div[13], seats[12], serving[12], title[256];
    division_format(p->division, (enum division_level)p->level, div);
    snprintf(seats, sizeof(seats), "%d", p->seats);
    snprintf(serving, sizeof(serving), "%d", p->serving);
    x->n++;
    if (x->w) {
        const char *cells[NLIST] = {p->code,     div,           p->division_name,
                                    p->title,    seats,         serving,
                                    p->min_rank, p->send_level, p->party_member ? "是" : "否",
                                    p->skill,    p->term_start, p->term_end};
        x->rc = tw_row(x->w, cells, x->err);
        return x->rc == ZC_OK;
    }
    printf("%-24s %-9s %-10s %-20s %d/%d  %s%s%s%s%s%s%s%s\n", p->code, div, p->division_name,
           text_escape(p->title, title, sizeof(title)), p->serving, p->seats,
           p->min_rank[0] ? p->min_rank : "—", p->send_level[0] ? ", from " : "", p->send_level,
           p->party_member ? ", 党员" : "", p->skill[0] ? ", " : "", p->skill,
           p->term_end[0] ? ", 任期至 " : "", p->term_end);
    return true;
}

int cmd_post(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"division", required_argument, NULL, 'd'}, {"title", required_argument, NULL, 't'},
        {"code", required_argument, NULL, 'c'},     {"seats", required_argument, NULL, 'n'},
        {"min-rank", required_argument, NULL, 'r'}, {"send-level", required_argument, NULL, 'l'},
        {"party", no_argument, NULL, 'P'},          {"skill", required_argument, NULL, 'k'},
        {"from", required_argument, NULL, 'F'},     {"to", required_argument, NULL, 'T'},
        {"scope", required_argument, NULL, 's'},    {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},   {NULL, 0, NULL, 0}};
    struct post_opts po = {0};
    struct export_options eo = {.format = TW_CSV, .chinese_headers = true};
    const char *sub, *format = NULL;
    int64_t scope = 0;
    struct zc_error err = {0};
    struct store *s;
    int c, status, rc;

    if (cli_wants_help(argc, argv) || argc < 2)
        return post_usage(argc < 2 ? stderr : stdout);
    sub = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        enum division_level lv;
        switch (c) {
        case 'd':
            po.division = optarg;
            break;
        case 't':
            po.title = optarg;
            break;
        case 'c':
            po.code = optarg;
            break;
        case 'n':
            po.seats = optarg;
            break;
        case 'r':
            po.rank = optarg;
            break;
        case 'l':
            po.level = optarg;
            break;
        case 'P':
            po.party = true;
            break;
        case 'k':
            po.skill = optarg;
            break;
        case 'F':
            po.from = optarg;
            break;
        case 'T':
            po.to = optarg;
            break;
        case 's':
            if (division_parse(optarg, strlen(optarg), &scope, &lv, NULL) != ZC_OK)
                return cli_usage("post", "--scope needs a division code, not '%s'", optarg);
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            eo.path = optarg;
            break;
        default:
            return cli_usage("post", "unknown option");
        }
    }
    if (strcmp(sub, "add") == 0) {
        if (optind < argc)
            return cli_usage("post", "unexpected argument '%s'", argv[optind]);
        return post_add(cli, &po);
    }
    if (strcmp(sub, "template") == 0) {
        if (format && tw_format_parse(format, &eo.format, &err) != ZC_OK)
            return cli_usage("post", "%s", err.msg);
        if (eo.format == TW_XLSX && !eo.path)
            return cli_usage("post", "--format xlsx needs -o FILE");
        rc = registry_template(REG_POSTS, &eo, &err);
        return rc == ZC_OK ? 0 : cli_fail(&err);
    }
    if (strcmp(sub, "remove") == 0) {
        if (optind + 1 != argc)
            return cli_usage("post", "remove needs one post CODE");
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            rc = registry_post_remove(s, argv[optind], &err);
            rc = cli_finish_write(s, rc, "post.remove", argv[optind],
                                  json_pack("{s:s}", "code", argv[optind]), &err);
        }
        store_close(s);
        if (rc != ZC_OK)
            return cli_fail(&err);
        printf("post %s removed\n", argv[optind]);
        return 0;
    }
    if (strcmp(sub, "list") == 0) {
        struct list_ctx x = {.err = &err};
        bool table = !format || strcmp(format, "table") == 0;
        if (optind < argc)
            return cli_usage("post", "unexpected argument '%s'", argv[optind]);
        if (!table && (tw_format_parse(format, &eo.format, &err) != ZC_OK || eo.format == TW_XLSX))
            return cli_usage("post", "--format must be table, csv or json");
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = table ? ZC_OK
                   : tw_open(eo.format, NULL, stdout, "挂职岗位", "挂职岗位", list_cols, NLIST,
                             &x.w, &err);
        if (rc == ZC_OK)
            rc = registry_post_list(s, scope, list_row, &x, &err);
        if (rc == ZC_OK)
            rc = x.rc;
        if (x.w) {
            int rc2 = tw_close(x.w, &err);
            rc = rc == ZC_OK ? rc2 : rc;
        }
        store_close(s);
        if (rc != ZC_OK)
            return cli_fail(&err);
        if (table && x.n == 0)
            printf("no posts (add one with 'zhucun post add' or 'zhucun import posts FILE')\n");
        return 0;
    }
    return cli_usage("post", "unknown subcommand '%s' (add, list, remove, template)", sub);
}
