/* SPDX-License-Identifier: MIT */
/* cmd_solve.c - `zhucun solve`: the min-cost-flow solver on its own, reading
 * a DIMACS instance and printing the result in the DIMACS output convention
 * ("s COST", "f FROM TO FLOW"), so that anyone can check it against other
 * solvers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "match/dimacs.h"
#include "match/mcf.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: zhucun solve [OPTIONS] [FILE]\n\n"
               "Solve a DIMACS minimum-cost-flow instance ('p min', 'n', 'a' lines; or\n"
               "zhucun's binary form) read from FILE, or standard input if FILE is '-' or\n"
               "absent. Prints 's COST', or 's INFEASIBLE' and exits 3.\n\n"
               "Options:\n"
               "  --flows              also print 'f FROM TO FLOW' for every arc with flow\n"
               "  --stats              print times and counts on standard error\n"
               "  --verify             check the optimality certificate (exit 70 if wrong)\n"
               "  --threads N          threads for independent components (default 2)\n"
               "  --algorithm NAME     auto (default), simplex or assign\n"
               "  -h, --help           this help\n\n"
               "Exit status: 0 solved, 3 infeasible, 64 usage, 65 bad input, 66 no such file.\n");
}

int cmd_solve(struct cli *cli, int argc, char **argv)
{
    struct mcf_options opt = {MCF_ALG_AUTO, 0};
    struct zc_error err = {0};
    struct mcf_stats st;
    bool flows = false, stats = false, verify = false;
    const char *path = NULL, *name;
    struct mcf *m = NULL;
    FILE *f;
    double t0, t_read;
    int rc;

    (void)cli;
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--flows") == 0) {
            flows = true;
        } else if (strcmp(a, "--stats") == 0) {
            stats = true;
        } else if (strcmp(a, "--verify") == 0) {
            verify = true;
        } else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 16)
                return cli_usage("solve", "--threads wants 1..16, not '%s'", argv[i]);
            opt.threads = (int)t;
        } else if (strcmp(a, "--algorithm") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(v, "auto") == 0)
                opt.algorithm = MCF_ALG_AUTO;
            else if (strcmp(v, "simplex") == 0)
                opt.algorithm = MCF_ALG_SIMPLEX;
            else if (strcmp(v, "assign") == 0)
                opt.algorithm = MCF_ALG_ASSIGN;
            else
                return cli_usage("solve", "unknown algorithm '%s' (auto, simplex, assign)", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage("solve", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage("solve", "one FILE only");
        } else {
            path = a;
        }
    }

    if (!path || strcmp(path, "-") == 0) {
        f = stdin;
        name = "<stdin>";
    } else {
        f = fopen(path, "rb");
        name = path;
        if (!f) {
            zc_error_set(&err, errno == ENOENT ? ZC_ENOTFOUND : ZC_EIO, "solve: %s: %s", path,
                         strerror(errno));
            return cli_fail(&err);
        }
    }
    t0 = now();
    rc = dimacs_read(f, name, &m, &err);
    if (f != stdin)
        fclose(f);
    if (rc != ZC_OK)
        return cli_fail(&err);
    t_read = now() - t0;

    rc = mcf_solve(m, &opt, &err);
    mcf_stats_get(m, &st);
    if (stats)
        fprintf(stderr,
                "c read %.3f s, %d nodes, %lld arcs\n"
                "c solve %.3f s, algorithm %s, iterations %lld, warm start %lld, components "
                "%lld\n",
                t_read, mcf_node_count(m), (long long)mcf_arc_count(m), st.seconds,
                mcf_algorithm_name(st.used), (long long)st.iterations, (long long)st.warm_steps,
                (long long)st.components);
    if (rc == ZC_EINFEASIBLE) {
        printf("s INFEASIBLE\n");
        fprintf(stderr, "zhucun: %s: %s\n", name, err.msg);
        mcf_free(m);
        return zc_err_exit_status(ZC_EINFEASIBLE);
    }
    if (rc != ZC_OK) {
        zc_error_prefix(&err, "%s", name);
        mcf_free(m);
        return cli_fail(&err);
    }
    if (verify) {
        if (mcf_verify(m, &err) != ZC_OK) {
            fprintf(stderr, "zhucun: %s: verification failed: %s\n", name, err.msg);
            mcf_free(m);
            return 70;
        }
        fprintf(stderr, "c verified: feasible, reduced-cost certificate holds\n");
    }
    printf("s %lld\n", (long long)mcf_objective(m));
    if (flows) {
        for (int64_t a = 0; a < mcf_arc_count(m); a++) {
            int64_t fl = mcf_flow(m, a);
            int32_t u, v;
            if (fl == 0)
                continue;
            mcf_arc_get(m, a, &u, &v, NULL, NULL, NULL);
            printf("f %d %d %lld\n", u + 1, v + 1, (long long)fl);
        }
    }
    mcf_free(m);
    if (fflush(stdout) != 0) {
        zc_error_set(&err, ZC_EIO, "solve: writing the result: %s", strerror(errno));
        return cli_fail(&err);
    }
    return 0;
}
