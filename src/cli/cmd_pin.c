/* SPDX-License-Identifier: MIT */
/* cmd_pin.c - `zhucun pin`: direct nomination (点将), and `zhucun pair`:
 * the unit responsible for a village (包村). Parses, calls
 * src/match/pin.c, renders; every write is audited in its transaction. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/division.h"
#include "base/idcard.h"
#include "cli.h"
#include "match/model.h"
#include "registry/registry.h"
#include "store/store.h"

static int pin_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun pin add --cadre ID_NUMBER --village CODE [--role ROLE] [--note TEXT]\n"
            "       zhucun pin add --cadre ID_NUMBER --post POST_CODE [--note TEXT]\n"
            "       zhucun pin remove --cadre ID_NUMBER\n"
            "       zhucun pin list [--scope CODE] [--unmask]\n\n"
            "Direct nomination (点将): the organisation department names a cadre for a\n"
            "village, and for a role if it says so (first_secretary, leader, stability,\n"
            "need, member; default: any the cadre may take), or for a post above the\n"
            "village (挂职 at a county or township; 'zhucun post list'): one of its seats.\n"
            "Every 'zhucun match' keeps the pins and optimises the rest around them, or\n"
            "refuses naming the pin and the rule it breaks (eligibility, hometown\n"
            "avoidance, reach, role, a post's requirements, seats, the unit's draw cap,\n"
            "spouses). One pin per cadre: add replaces it.\n");
    return f == stdout ? 0 : 64;
}

static void print_pin(void *ud, const struct pin_info *p)
{
    bool unmask = *(const bool *)ud;
    char idn[32];
    if (unmask)
        snprintf(idn, sizeof(idn), "%s", p->id_number);
    else
        idcard_mask(p->id_number, idn, sizeof(idn));
    if (p->post) /* a post above the village (挂职) */
        printf("%s  %-8s → %lld %-14s 挂职 %s %s  %s  (%s, %s)\n", idn, p->name,
               (long long)p->village, p->village_name, p->post_code[0] ? p->post_code : "(已删除)",
               p->post_title, p->note, p->by, p->at);
    else
        printf("%s  %-8s → %lld %-14s %-16s %s  (%s, %s)\n", idn, p->name, (long long)p->village,
               p->village_name,
               p->role[0] ? model_role_zh((enum model_role)model_role_parse(p->role))
                          : "(任一岗位)",
               p->note, p->by, p->at);
}

int cmd_pin(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"cadre", required_argument, NULL, 'c'}, {"village", required_argument, NULL, 'v'},
        {"role", required_argument, NULL, 'r'},  {"post", required_argument, NULL, 'p'},
        {"note", required_argument, NULL, 'n'},  {"scope", required_argument, NULL, 's'},
        {"unmask", no_argument, NULL, 'u'},      {NULL, 0, NULL, 0}};
    const char *sub, *cadre = NULL, *role = NULL, *note = "", *post = NULL;
    int64_t village = 0, scope = 0;
    bool unmask = false;
    struct zc_error err = {0};
    struct store *s;
    int c, status, rc;

    if (cli_wants_help(argc, argv) || argc < 2)
        return pin_usage(argc < 2 ? stderr : stdout);
    sub = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        enum division_level lv;
        switch (c) {
        case 'c':
            cadre = optarg;
            break;
        case 'v':
            if (division_parse(optarg, strlen(optarg), &village, &lv, NULL) != ZC_OK ||
                lv != DIV_VILLAGE)
                return cli_usage("pin", "--village needs a 12-digit village code, not '%s'",
                                 optarg);
            break;
        case 'r':
            if (model_role_parse(optarg) < 0)
                return cli_usage("pin",
                                 "--role must be first_secretary, leader, stability, need or "
                                 "member, not '%s'",
                                 optarg);
            role = optarg;
            break;
        case 'p':
            post = optarg;
            break;
        case 'n':
            note = optarg;
            break;
        case 's':
            if (division_parse(optarg, strlen(optarg), &scope, &lv, NULL) != ZC_OK)
                return cli_usage("pin", "--scope needs a division code, not '%s'", optarg);
            break;
        case 'u':
            unmask = true;
            break;
        default:
            return cli_usage("pin", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage("pin", "unexpected argument '%s'", argv[optind]);
    if (strcmp(sub, "list") == 0) {
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = pin_list(s, scope, print_pin, &unmask, &err);
    } else if (strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0) {
        bool add = strcmp(sub, "add") == 0;
        char at[32], target[48], idn[IDCARD_LEN + 1];
        time_t now = time(NULL);
        struct tm tm;
        if (!cadre || (add && !village == !post))
            return cli_usage("pin", add ? "add needs --cadre and one of --village, --post"
                                        : "remove needs --cadre");
        if (post && role)
            return cli_usage("pin", "--post takes no --role (the post is the seat)");
        if (idcard_normalize(cadre, strlen(cadre), idn, &err) != ZC_OK)
            return cli_usage("pin", "--cadre: %s", err.msg);
        cadre = idn;
        gmtime_r(&now, &tm);
        strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            char masked[32];
            idcard_mask(cadre, masked, sizeof(masked));
            snprintf(target, sizeof(target), "pin:%s", masked);
            rc = add ? pin_put(s, cadre, village, post, role, note, cli_me(), at, &err)
                     : pin_remove(s, cadre, &err);
            rc = cli_finish_write(s, rc, add ? "pin.add" : "pin.remove", target,
                                  add ? json_pack("{s:s,s:I,s:s,s:s,s:s}", "cadre", masked,
                                                  "village", (json_int_t)village, "post",
                                                  post ? post : "", "role", role ? role : "",
                                                  "note", note)
                                      : json_pack("{s:s}", "cadre", masked),
                                  &err);
        }
        if (rc == ZC_OK && post)
            printf("pinned %s to post %s\n", cadre, post);
        else if (rc == ZC_OK)
            printf(add ? "pinned %s to %lld%s%s\n" : "pin of %s removed\n", cadre,
                   (long long)village, role ? " as " : "", role ? role : "");
    } else {
        return cli_usage("pin", "unknown subcommand '%s' (add, remove, list)", sub);
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    return 0;
}

static int pair_usage(FILE *f)
{
    fprintf(f, "usage: zhucun pair add --village CODE --unit UNIT_CODE [--note TEXT]\n"
               "       zhucun pair remove --village CODE\n"
               "       zhucun pair list [--scope CODE]\n\n"
               "包村: the sending unit responsible for a village, one a village, recorded\n"
               "with who and when (audited). 'zhucun match' reads it as the village's\n"
               "paired unit (the paired_unit term of the score, shown by explain), before\n"
               "the 结对单位 of the village import. add replaces the village's unit.\n");
    return f == stdout ? 0 : 64;
}

static void print_pair(void *ud, const struct pair_info *p)
{
    (void)ud;
    printf("%lld %-14s → %s %s  %s  (%s, %s)\n", (long long)p->village, p->village_name, p->unit,
           p->unit_name, p->note, p->by, p->at);
}

int cmd_pair(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"village", required_argument, NULL, 'v'},
                                         {"unit", required_argument, NULL, 'u'},
                                         {"note", required_argument, NULL, 'n'},
                                         {"scope", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    const char *sub, *unit = NULL, *note = "";
    int64_t village = 0, scope = 0;
    struct zc_error err = {0};
    struct store *s;
    int c, status, rc;

    if (cli_wants_help(argc, argv) || argc < 2)
        return pair_usage(argc < 2 ? stderr : stdout);
    sub = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        enum division_level lv;
        if (c == 'v') {
            if (division_parse(optarg, strlen(optarg), &village, &lv, NULL) != ZC_OK ||
                lv != DIV_VILLAGE)
                return cli_usage("pair", "--village needs a 12-digit village code, not '%s'",
                                 optarg);
        } else if (c == 'u') {
            unit = optarg;
        } else if (c == 'n') {
            note = optarg;
        } else if (c == 's') {
            if (division_parse(optarg, strlen(optarg), &scope, &lv, NULL) != ZC_OK)
                return cli_usage("pair", "--scope needs a division code, not '%s'", optarg);
        } else {
            return cli_usage("pair", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage("pair", "unexpected argument '%s'", argv[optind]);
    if (strcmp(sub, "list") == 0) {
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = pair_list(s, scope, print_pair, NULL, &err);
    } else if (strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0) {
        bool add = strcmp(sub, "add") == 0;
        char at[32], target[40];
        time_t now = time(NULL);
        struct tm tm;
        if (!village || (add && !unit))
            return cli_usage("pair",
                             add ? "add needs --village and --unit" : "remove needs --village");
        gmtime_r(&now, &tm);
        strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = store_begin(s, &err);
        if (rc == ZC_OK) {
            snprintf(target, sizeof(target), "village:%lld", (long long)village);
            rc = add ? pair_put(s, village, unit, note, cli_me(), at, &err)
                     : pair_remove(s, village, &err);
            rc =
                cli_finish_write_in(s, rc, add ? "pair.add" : "pair.remove", target, village,
                                    add ? json_pack("{s:I,s:s,s:s}", "village", (json_int_t)village,
                                                    "unit", unit, "note", note)
                                        : json_pack("{s:I}", "village", (json_int_t)village),
                                    &err);
        }
        if (rc == ZC_OK)
            printf(add ? "village %lld: unit %s is responsible (包村)\n"
                       : "village %lld: responsible unit removed\n",
                   (long long)village, add ? unit : "");
    } else {
        return cli_usage("pair", "unknown subcommand '%s' (add, remove, list)", sub);
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}
