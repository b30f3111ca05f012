/* SPDX-License-Identifier: MIT */
/* cmd_match.c - `zhucun match`, `zhucun explain`, `zhucun plan` and the
 * `export plan` / `export teams` kinds: thin wrappers over src/match
 * (model.h). Exit statuses: 0 ok, 64 usage, 65 bad input (policy), 66 not
 * found, 65 conflict (publishing twice), 74 storage. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/calendar.h"
#include "base/division.h"
#include "base/idcard.h"
#include "base/mem.h"
#include "base/text.h"
#include "cli.h"
#include "http/http.h"
#include "ingest/tablewriter.h"
#include "match/dimacs.h"
#include "match/explain.h"
#include "match/model.h"
#include "match/plan.h"
#include "registry/registry.h"
#include "store/store.h"

/* Read a policy file (or the default one) into `pol`, keeping its text. */
static int read_policy(const char *path, struct policy *pol, char **text, struct zc_error *err)
{
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    FILE *f;
    int rc;

    *text = NULL;
    if (!path)
        path = policy_default_path();
    if (!path) {
        policy_defaults(pol);
        *text = zc_strdup("{}");
        return ZC_OK;
    }
    f = fopen(path, "rb");
    if (!f)
        return zc_error_set(err, ZC_ENOTFOUND, "cannot read policy %s", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < (1u << 20))
        buf_append(&b, chunk, n);
    fclose(f);
    rc = policy_parse(path, buf_cstr(&b), b.len, pol, err);
    if (rc == ZC_OK)
        *text = buf_steal(&b);
    buf_fini(&b);
    return rc;
}

static int parse_scope(const char *s, int64_t *out)
{
    enum division_level lv;
    return division_parse(s, strlen(s), out, &lv, NULL);
}

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0)
        return ZC_EINVAL;
    *out = v;
    return ZC_OK;
}

/* ---- match ------------------------------------------------------------------ */

static double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_reasons(const int64_t *by, const char *none)
{
    bool any = false;
    for (int w = 1; w < MW_NCODES; w++) {
        if (!by[w])
            continue;
        printf("%s%s %lld", any ? ", " : " (", model_why_name((enum model_why)w), (long long)by[w]);
        any = true;
    }
    printf("%s\n", any ? ")" : none);
}

static void print_summary(const struct model_summary *s)
{
    printf("slots:           %lld\n", (long long)s->slots);
    printf("filled:          %lld\n", (long long)s->filled);
    printf("unfilled:        %lld", (long long)(s->slots - s->filled));
    print_reasons(s->unfilled_by, "");
    printf("cadres used:     %lld of %lld eligible (%lld with a candidate slot)",
           (long long)s->cadres_used, (long long)s->cadres_eligible, (long long)s->cadres_in_model);
    print_reasons(s->unsent_by, "");
    printf("poor villages:   %lld: first secretary %lld, full team %lld\n", (long long)s->poor,
           (long long)s->poor_fs, (long long)s->poor_full);
    printf("deep villages:   %lld: first secretary %lld, full team %lld\n", (long long)s->deep,
           (long long)s->deep_fs, (long long)s->deep_full);
    if (s->posts)
        printf("posts (挂职):    %lld seats, %lld filled\n", (long long)s->posts,
               (long long)s->posts_filled);
    if (s->moves)
        printf("moves:           %lld\n", (long long)s->moves);
    printf("objective:       %lld\n", (long long)s->objective);
    if (s->bound_known)
        printf("lower bound:     %lld (gap %lld%s)\n", (long long)s->lower_bound,
               (long long)(s->objective - s->lower_bound),
               s->objective == s->lower_bound ? ": optimal for the whole model" : "");
    else
        printf("lower bound:     not proven%s\n", s->pricing_rounds ? "" : " (--prune-only)");
    if (s->inexact)
        printf("not a flow:      %s (the plan keeps the rule; the bound relaxes it)\n",
               strcmp(s->inexact, "spouses") == 0
                   ? "spouses never both sent, across two units whose caps bind"
                   : "at most --allow-moves serving cadres move");
    if (s->pricing_rounds)
        printf("certificate:     %lld arcs of the full model priced, %lld added to the "
               "network in %d pass%s (%.3f s)%s\n",
               (long long)s->arcs_priced, (long long)s->arcs_added, s->pricing_rounds,
               s->pricing_rounds == 1 ? "" : "es", s->price_seconds,
               s->certified ? "" : "; pass limit reached");
    if (s->second_round_arcs)
        printf("second round:    %lld candidate arcs added for the open slots\n",
               (long long)s->second_round_arcs);
    printf("solve time:      %.3f s (%d solve%s, mcf %.3f s; build %.3f s: ledger %.3f s, "
           "candidates %.3f s; %s, %lld components; %lld nodes, %lld arcs)\n",
           s->solve_seconds, s->solves, s->solves == 1 ? "" : "s", s->mcf_seconds, s->build_seconds,
           s->read_seconds, s->candidate_seconds, s->algorithm, (long long)s->components,
           (long long)s->nodes, (long long)s->arcs);
}

static json_t *summary_json(const struct model_summary *s)
{
    json_t *o = json_object(), *u = json_object(), *c = json_object();
    for (int w = 1; w < MW_NCODES; w++) {
        if (s->unfilled_by[w])
            json_object_set_new(u, model_why_name((enum model_why)w),
                                json_integer(s->unfilled_by[w]));
        if (s->unsent_by[w])
            json_object_set_new(c, model_why_name((enum model_why)w),
                                json_integer(s->unsent_by[w]));
    }
    json_object_set_new(o, "slots", json_integer(s->slots));
    json_object_set_new(o, "filled", json_integer(s->filled));
    json_object_set_new(o, "unfilled", json_integer(s->slots - s->filled));
    json_object_set_new(o, "unfilled_by_reason", u);
    json_object_set_new(o, "cadres_eligible", json_integer(s->cadres_eligible));
    json_object_set_new(o, "cadres_used", json_integer(s->cadres_used));
    json_object_set_new(o, "not_sent_by_reason", c);
    json_object_set_new(o, "poor_villages", json_integer(s->poor));
    json_object_set_new(o, "poor_first_secretary", json_integer(s->poor_fs));
    json_object_set_new(o, "poor_full_team", json_integer(s->poor_full));
    json_object_set_new(o, "deep_villages", json_integer(s->deep));
    json_object_set_new(o, "deep_first_secretary", json_integer(s->deep_fs));
    json_object_set_new(o, "deep_full_team", json_integer(s->deep_full));
    if (s->posts) { /* seats of posts above the village (挂职) */
        json_object_set_new(o, "post_seats", json_integer(s->posts));
        json_object_set_new(o, "post_seats_filled", json_integer(s->posts_filled));
    }
    json_object_set_new(o, "moves", json_integer(s->moves));
    json_object_set_new(o, "objective", json_integer(s->objective));
    json_object_set_new(o, "lower_bound",
                        s->bound_known ? json_integer(s->lower_bound) : json_null());
    json_object_set_new(o, "gap",
                        s->bound_known ? json_integer(s->objective - s->lower_bound) : json_null());
    json_object_set_new(o, "arcs_priced", json_integer(s->arcs_priced));
    json_object_set_new(
        o, "certified",
        json_boolean(s->certified && s->bound_known && s->objective == s->lower_bound));
    json_object_set_new(o, "not_a_flow", s->inexact ? json_string(s->inexact) : json_null());
    json_object_set_new(o, "pricing_rounds", json_integer(s->pricing_rounds));
    json_object_set_new(o, "arcs_added_by_pricing", json_integer(s->arcs_added));
    json_object_set_new(o, "solve_seconds", json_real(s->solve_seconds));
    json_object_set_new(o, "build_seconds", json_real(s->build_seconds));
    json_object_set_new(o, "algorithm", json_string(s->algorithm));
    json_object_set_new(o, "nodes", json_integer(s->nodes));
    json_object_set_new(o, "arcs", json_integer(s->arcs));
    return o;
}

static int run_model(struct store *s, const struct model_options *mo, struct model **m,
                     struct zc_error *err)
{
    int rc = model_build(s, mo, m, err);
    if (rc == ZC_OK)
        rc = model_solve(*m, err);
    return rc;
}

/* Per cadre id: the village assigned (0 = none). Sorted by cadre id. */
struct assign {
    int64_t cadre, village;
};

static struct assign *assignments(const struct model *m, size_t *n)
{
    struct assign *a = zc_calloc((size_t)model_cadre_count(m) + 1, sizeof(*a));
    *n = 0;
    for (int64_t i = 0; i < model_cadre_count(m); i++) {
        struct model_cadre_info ci;
        struct model_slot_info si;
        model_cadre_get(m, i, &ci);
        a[*n].cadre = ci.id;
        if (ci.slot >= 0) {
            model_slot_get(m, ci.slot, &si);
            a[*n].village = si.village;
        }
        (*n)++;
    }
    return a; /* model cadres are in id order */
}

struct vfill {
    int64_t village;
    int filled, slots;
};

static struct vfill *village_fill(const struct model *m, size_t *n)
{
    struct vfill *v = zc_calloc((size_t)model_slot_count(m) + 1, sizeof(*v));
    *n = 0;
    for (int64_t i = 0; i < model_slot_count(m); i++) {
        struct model_slot_info si;
        model_slot_get(m, i, &si);
        if (*n == 0 || v[*n - 1].village != si.village)
            v[(*n)++].village = si.village;
        v[*n - 1].slots++;
        v[*n - 1].filled += si.cadre != 0;
    }
    return v;
}

static int what_if(struct store *s, const struct model_options *mo, const struct policy *b,
                   bool json)
{
    struct model_options mb = *mo;
    struct model *ma = NULL, *mbm = NULL;
    struct model_summary sa, sb;
    struct zc_error err = {0};
    struct assign *xa = NULL, *xb = NULL;
    struct vfill *va = NULL, *vb = NULL;
    size_t na = 0, nb = 0, nva = 0, nvb = 0;
    int64_t moved = 0, added = 0, dropped = 0, gain = 0, lose = 0;
    json_t *j = NULL, *gl = NULL, *ll = NULL;
    int rc;

    mb.policy = b;
    rc = run_model(s, mo, &ma, &err);
    if (rc == ZC_OK)
        rc = run_model(s, &mb, &mbm, &err);
    if (rc != ZC_OK) {
        model_free(ma);
        model_free(mbm);
        return cli_fail(&err);
    }
    model_summary_get(ma, &sa);
    model_summary_get(mbm, &sb);
    xa = assignments(ma, &na);
    xb = assignments(mbm, &nb);
    for (size_t i = 0, k = 0; i < na || k < nb;) {
        int64_t ca = i < na ? xa[i].cadre : INT64_MAX, cb = k < nb ? xb[k].cadre : INT64_MAX;
        int64_t a = ca <= cb ? xa[i].village : 0, c = cb <= ca ? xb[k].village : 0;
        if (a && c && a != c)
            moved++;
        else if (!a && c)
            added++;
        else if (a && !c)
            dropped++;
        if (ca <= cb)
            i++;
        if (cb <= ca)
            k++;
    }
    va = village_fill(ma, &nva);
    vb = village_fill(mbm, &nvb);
    if (json) {
        j = json_object();
        gl = json_array();
        ll = json_array();
    } else {
        printf("what-if: %s -> %s (nothing stored)\n", mo->policy->name, b->name);
        printf("%-22s %12s %12s\n", "", mo->policy->name, b->name);
#define ROW(label, f) printf("%-22s %12lld %12lld\n", label, (long long)sa.f, (long long)sb.f)
        ROW("slots", slots);
        ROW("filled", filled);
        ROW("cadres eligible", cadres_eligible);
        ROW("cadres used", cadres_used);
        ROW("poor villages", poor);
        ROW("poor: first secretary", poor_fs);
        ROW("poor: full team", poor_full);
        ROW("deep villages", deep);
        ROW("deep: first secretary", deep_fs);
        ROW("deep: full team", deep_full);
        if (sa.posts || sb.posts) {
            ROW("post seats (挂职)", posts);
            ROW("post seats filled", posts_filled);
        }
        ROW("objective", objective);
#undef ROW
    }
    for (size_t i = 0, k = 0; i < nva || k < nvb;) {
        int64_t a = i < nva ? va[i].village : INT64_MAX, c = k < nvb ? vb[k].village : INT64_MAX;
        int fa = a <= c ? va[i].filled : 0, fb = c <= a ? vb[k].filled : 0;
        int64_t code = a <= c ? a : c;
        if (fb != fa) {
            if (fb > fa)
                gain++;
            else
                lose++;
            if (j) {
                json_t *o = json_object();
                json_object_set_new(o, "village", json_integer(code));
                json_object_set_new(o, "filled_before", json_integer(fa));
                json_object_set_new(o, "filled_after", json_integer(fb));
                json_array_append_new(fb > fa ? gl : ll, o);
            } else if (gain + lose <= 30) {
                printf("  %s %lld: %d -> %d filled (%s)\n",
                       division_level_of(code) < DIV_VILLAGE ? "posts at" : "village",
                       (long long)code, fa, fb, fb > fa ? "gains" : "loses");
            }
        }
        if (a <= c)
            i++;
        if (c <= a)
            k++;
    }
    if (j) {
        char *t;
        json_object_set_new(j, "policy", json_string(mo->policy->name));
        json_object_set_new(j, "what_if", json_string(b->name));
        json_object_set_new(j, "before", summary_json(&sa));
        json_object_set_new(j, "after", summary_json(&sb));
        json_object_set_new(j, "cadres_moved", json_integer(moved));
        json_object_set_new(j, "cadres_added", json_integer(added));
        json_object_set_new(j, "cadres_dropped", json_integer(dropped));
        json_object_set_new(j, "villages_gain", gl);
        json_object_set_new(j, "villages_lose", ll);
        t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", t ? t : "{}");
        free(t);
        json_decref(j);
    } else {
        printf("cadres moved: %lld, newly sent: %lld, no longer sent: %lld\n", (long long)moved,
               (long long)added, (long long)dropped);
        printf("villages that gain: %lld, that lose: %lld\n", (long long)gain, (long long)lose);
    }
    free(xa);
    free(xb);
    free(va);
    free(vb);
    model_free(ma);
    model_free(mbm);
    return 0;
}

static int match_usage(FILE *f)
{
    fprintf(f,
            "usage: zhucun match [--policy FILE] [--scope DIVISION] [--format table|json]\n"
            "                    [--refill [--allow-moves N]] [--what-if FILE]\n"
            "                    [--candidates K] [--per-slot M] [--rounds N] [--prune-only]\n"
            "                    [--algorithm NAME] [--network-out FILE]\n\n"
            "Match eligible cadres to the slots of every village team (第一书记, 队长, 综治维稳,\n"
            "one slot per village need, members) by exact minimum-cost flow over the whole\n"
            "model (every eligible cadre x every slot they may take), and store a draft plan\n"
            "(选派方案). The solve starts from a pruned candidate graph and prices every arc\n"
            "left out with the solution's potentials until none can improve it: the lower\n"
            "bound then equals the objective (gap 0). Prints slots, filled, unfilled by\n"
            "reason, cadres used, coverage of poor and deep-poverty villages, objective,\n"
            "lower bound and gap, arcs priced, solve time, plan ID.\n\n"
            "  --policy FILE     policy (default: $ZHUCUN_POLICY or policies/default.json)\n"
            "  --scope CODE      only villages under this division (2-12 digits)\n"
            "  --refill          fill the vacancies of published plans (after recalls);\n"
            "                    nobody serving moves\n"
            "  --allow-moves N   with --refill: at most N serving cadres may move\n"
            "  --what-if FILE    compare with a second policy; nothing is stored\n"
            "  --candidates K    start graph: candidate villages per cadre (default 16)\n"
            "  --per-slot M      and candidate cadres per slot (default 10); they change\n"
            "                    the time to the optimum, not the optimum\n"
            "  --rounds N        2: a second round of candidates for the open slots before\n"
            "                    pricing; 1 (default): none\n"
            "  --prune-only      skip pricing: the optimum of the start graph only, with no\n"
            "                    bound (experiments and benchmarks)\n"
            "  --algorithm NAME  auto (default: the fastest that applies), simplex or assign\n"
            "  --network-out FILE  also write the min-cost-flow network of the last solve\n"
            "                    as DIMACS text (check it with 'zhucun solve FILE')\n");
    return f == stdout ? 0 : 64;
}

/* --network-out: the network of the last solve, as DIMACS text, so that
 * `zhucun solve` or another solver can check the optimum. */
static int write_network(const struct model *m, const char *path, const char *policy,
                         struct zc_error *err)
{
    FILE *f = fopen(path, "w");
    char comment[256];
    int rc;

    if (!f)
        return zc_error_set(err, ZC_EIO, "match: --network-out %s: %s", path, strerror(errno));
    snprintf(comment, sizeof(comment), "zhucun match, policy %s: the network of the last solve",
             policy);
    rc = dimacs_write(f, model_network(m), comment, path, err);
    if (fclose(f) != 0 && rc == ZC_OK)
        rc = zc_error_set(err, ZC_EIO, "match: --network-out %s: %s", path, strerror(errno));
    return rc;
}

int cmd_match(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"policy", required_argument, NULL, 'p'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"refill", no_argument, NULL, 'r'},
                                         {"allow-moves", required_argument, NULL, 'm'},
                                         {"what-if", required_argument, NULL, 'w'},
                                         {"candidates", required_argument, NULL, 'k'},
                                         {"per-slot", required_argument, NULL, 'n'},
                                         {"algorithm", required_argument, NULL, 'a'},
                                         {"rounds", required_argument, NULL, 'R'},
                                         {"network-out", required_argument, NULL, 'o'},
                                         {"prune-only", no_argument, NULL, 'P'},
                                         {NULL, 0, NULL, 0}};
    const char *policy_path = NULL, *whatif_path = NULL, *net_path = NULL;
    struct model_options mo = {0};
    struct policy pol, pol_b;
    struct zc_error err = {0};
    struct model *m = NULL;
    struct model_summary sum;
    char *text = NULL, *text_b = NULL;
    bool json = false;
    int64_t id = 0, v;
    struct store *s;
    double t_save;
    int c, status, rc;

    if (cli_wants_help(argc, argv))
        return match_usage(stdout);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            policy_path = optarg;
            break;
        case 's':
            if (parse_scope(optarg, &mo.scope) != ZC_OK)
                return cli_usage("match", "--scope needs a division code, not '%s'", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0)
                return cli_usage("match", "--format must be table or json");
            json = strcmp(optarg, "json") == 0;
            break;
        case 'r':
            mo.refill = true;
            break;
        case 'm':
            if (parse_id(optarg, &v) != ZC_OK || v > 1000000)
                return cli_usage("match", "--allow-moves needs a whole number");
            mo.allow_moves = (int)v;
            break;
        case 'w':
            whatif_path = optarg;
            break;
        case 'o':
            net_path = optarg;
            break;
        case 'P':
            mo.prune_only = true;
            break;
        case 'k':
            if (parse_id(optarg, &v) != ZC_OK || v < 1 || v > 1000)
                return cli_usage("match", "--candidates needs 1..1000");
            mo.k_villages = (int)v;
            break;
        case 'n':
            if (parse_id(optarg, &v) != ZC_OK || v < 1 || v > 1000)
                return cli_usage("match", "--per-slot needs 1..1000");
            mo.m_per_village = (int)v;
            break;
        case 'R':
            if (parse_id(optarg, &v) != ZC_OK || v < 1 || v > 2)
                return cli_usage("match", "--rounds must be 1 or 2");
            mo.rounds = (int)v;
            break;
        case 'a':
            if (strcmp(optarg, "auto") == 0)
                mo.algorithm = 0;
            else if (strcmp(optarg, "simplex") == 0)
                mo.algorithm = 1;
            else if (strcmp(optarg, "assign") == 0)
                mo.algorithm = 2;
            else
                return cli_usage("match", "--algorithm must be auto, simplex or assign");
            break;
        default:
            return match_usage(stderr);
        }
    }
    if (optind != argc)
        return cli_usage("match", "unexpected argument '%s'", argv[optind]);
    if (mo.allow_moves && !mo.refill)
        return cli_usage("match", "--allow-moves goes with --refill");
    if (whatif_path && mo.refill)
        return cli_usage("match", "--what-if and --refill do not go together");
    if (whatif_path && net_path)
        return cli_usage("match", "--network-out goes with a plain match or --refill");
    rc = read_policy(policy_path, &pol, &text, &err);
    if (rc == ZC_OK && whatif_path)
        rc = read_policy(whatif_path, &pol_b, &text_b, &err);
    if (rc != ZC_OK) {
        free(text);
        return cli_fail(&err);
    }
    mo.policy = &pol;
    s = cli_open_store(cli, false, &status);
    if (!s) {
        free(text);
        free(text_b);
        return status;
    }
    if (whatif_path) {
        status = what_if(s, &mo, &pol_b, json);
        store_close(s);
        free(text);
        free(text_b);
        return status;
    }
    rc = run_model(s, &mo, &m, &err);
    /* The network first: if it cannot be written, no plan is stored. */
    if (rc == ZC_OK && net_path)
        rc = write_network(m, net_path, pol.name, &err);
    t_save = cli_seconds();
    if (rc == ZC_OK)
        rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        char target[24];
        struct plan_meta saved;
        rc = plan_save(s, m, text, &mo, &id, &err);
        /* Without --scope the plan belongs to the division it covers. */
        if (rc == ZC_OK)
            rc = plan_get(s, id, &saved, &err);
        if (rc == ZC_OK) {
            model_summary_get(m, &sum);
            snprintf(target, sizeof(target), "plan:%lld", (long long)id);
            rc = cli_audit(s, mo.refill ? "plan.refill" : "plan.match", target, saved.scope, NULL,
                           json_pack("{s:I, s:s, s:I, s:I, s:I}", "plan", (json_int_t)id, "policy",
                                     pol.name, "scope", (json_int_t)saved.scope, "slots",
                                     (json_int_t)sum.slots, "filled", (json_int_t)sum.filled),
                           &err);
        }
        if (rc == ZC_OK)
            rc = store_commit(s, &err);
        if (rc != ZC_OK)
            store_rollback(s);
    }
    t_save = cli_seconds() - t_save;
    store_close(s);
    free(text);
    if (rc != ZC_OK) {
        model_free(m);
        return cli_fail(&err);
    }
    model_summary_get(m, &sum);
    if (json) {
        json_t *o = summary_json(&sum);
        char *t;
        json_object_set_new(o, "plan", json_integer(id));
        json_object_set_new(o, "kind", json_string(mo.refill ? "refill" : "match"));
        json_object_set_new(o, "policy", json_string(pol.name));
        t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", t ? t : "{}");
        free(t);
        json_decref(o);
    } else {
        printf("%s plan (draft), policy %s\n", mo.refill ? "refill" : "dispatch", pol.name);
        print_summary(&sum);
        printf("plan ID: %lld (stored in %.3f s)\n", (long long)id, t_save);
    }
    model_free(m);
    return 0;
}

/* ---- explain ---------------------------------------------------------------- */

/* ---- explain ---------------------------------------------------------------- */

/* A JSON explanation, indented, then freed. */
static void print_json(json_t *j)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", text ? text : "{}");
    free(text);
    json_decref(j);
}

/* "单位类别对口 +30；距离 -3": the terms in the web UI's words. */
static void print_score_zh(const struct explain_score *sc)
{
    for (int k = 0; k < sc->nterms; k++) {
        const struct explain_term *t = &sc->terms[k];
        if (k)
            fputs("；", stdout);
        if (!t->has_value)
            fputs(t->text, stdout);
        else
            printf("%s %s%ld", t->zh ? t->zh : t->key, t->value > 0 ? "+" : "", t->value);
    }
}

static void print_explain_cadre(const struct explain_cadre *e)
{
    printf("plan %lld, cadre %s %s (%s)\n", (long long)e->plan, e->id_number, e->name, e->unit);
    if (e->assigned && !e->why_not) {
        printf("assigned: %lld %s, slot %lld, %s (%s)%s%s\n", (long long)e->village,
               e->village_name, (long long)e->seq, e->role_zh, e->role, e->need[0] ? ", need " : "",
               e->need);
        if (e->post_code[0])
            printf("post: %s %s\n", e->post_code, e->post_title);
        printf("score %lld, by rule:\n", (long long)e->score);
        for (int k = 0; k < e->sc.nterms; k++)
            printf("    %s\n", e->sc.terms[k].text);
        printf("slot price (dual) %lld: what one more qualified cadre here is worth\n",
               (long long)e->dual);
    } else if (!e->assigned && !e->why_not) {
        switch (e->outcome) {
        case EX_NOT_SENT:
            printf("not sent: %s (%s): %s [%s]\n", e->why.zh, e->why.code, e->why.en, e->detail);
            break;
        case EX_NOT_ELIGIBLE:
            printf("not eligible (审核未通过):\n");
            for (int k = 0; k < e->nrules; k++)
                printf("  %s (%s) / %s\n", e->rules[k].zh, e->rules[k].code, e->rules[k].en);
            break;
        default:
            printf("not in the plan: the cadre's unit cannot send anyone into the plan's scope "
                   "(or the ledger changed since the plan)\n");
            break;
        }
    }
    if (e->why_not)
        printf("why not %lld: %s\n", (long long)e->why_not, e->answer);
}

static void print_village_info(const struct explain_village *v)
{
    if (division_level_of(v->village) < DIV_VILLAGE) { /* posts above the village */
        printf("方案 %lld · %s (%lld): %s\n", (long long)v->plan, v->name, (long long)v->village,
               v->klass);
        return;
    }
    printf("方案 %lld · %s (%lld): %s, 村情 %s, 需求 %s, 自然屯 %lld\n", (long long)v->plan,
           v->name, (long long)v->village, v->klass, v->states, v->needs[0] ? v->needs : "—",
           (long long)v->hamlets);
}

static void print_explain_slots(const struct explain_village *v)
{
    for (size_t i = 0; i < v->nslots; i++) {
        const struct explain_slot *s = &v->slots[i];
        if (s->post_code[0]) /* a post's seat: its title and code */
            printf("  %lld %s [%s]%s%s%s: ", (long long)s->seq, s->post_title, s->post_code,
                   s->need_zh[0] ? "（" : "", s->need_zh, s->need_zh[0] ? "）" : "");
        else
            printf("  %lld %s%s%s%s: ", (long long)s->seq, s->role_zh, s->need_zh[0] ? "（" : "",
                   s->need_zh, s->need_zh[0] ? "）" : "");
        if (s->filled) {
            printf("%s %s (%s), 匹配分 %lld: ", s->id_number, s->name, s->unit,
                   (long long)s->score);
            print_score_zh(&s->sc);
            printf("%s\n", s->qualification);
        } else {
            printf("unfilled - %s (%s): %s; slot price %lld\n", s->why.zh, s->why.code, s->why.en,
                   (long long)s->dual);
        }
    }
}

int cmd_explain(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"plan", required_argument, NULL, 'p'},
                                         {"cadre", required_argument, NULL, 'c'},
                                         {"village", required_argument, NULL, 'v'},
                                         {"why-not", required_argument, NULL, 'w'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"post", required_argument, NULL, 'P'},
                                         {NULL, 0, NULL, 0}};
    const char *cadre = NULL, *post = NULL;
    int64_t plan = 0, village = 0, why_not = 0;
    struct zc_error err = {0};
    bool json = false;
    struct store *s;
    int c, status, rc;

    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun explain --plan ID (--cadre ID_NUMBER [--why-not VILLAGE] |\n"
               "                      --village CODE | --post POST_CODE) [--format table|json]\n\n"
               "For an assignment, the score broken down by rule; for an unfilled slot or a\n"
               "cadre not sent, the binding reason; --why-not names the rule that keeps the\n"
               "cadre out of that village (or the posts of that county or township: its 6 or\n"
               "9 digits). --post explains the seats of one post above the village (挂职,\n"
               "see 'zhucun post list'). --plan defaults to the newest plan.\n");
        return 0;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_id(optarg, &plan) != ZC_OK)
                return cli_usage("explain", "--plan needs a plan ID");
            break;
        case 'c':
            cadre = optarg;
            break;
        case 'P':
            post = optarg;
            break;
        case 'v':
        case 'w': {
            enum division_level lv;
            int64_t code;
            if (division_parse(optarg, strlen(optarg), &code, &lv, NULL) != ZC_OK)
                return cli_usage("explain", "a village code has 12 digits, not '%s'", optarg);
            if (c == 'v')
                village = code;
            else
                why_not = code;
            break;
        }
        case 'f':
            json = strcmp(optarg, "json") == 0;
            if (!json && strcmp(optarg, "table") != 0)
                return cli_usage("explain", "--format must be table or json");
            break;
        default:
            return cli_usage("explain", "unknown option");
        }
    }
    if (optind != argc || (cadre != NULL) + (village != 0) + (post != NULL) != 1)
        return cli_usage("explain", "give --cadre ID_NUMBER, --village CODE or --post CODE");
    if (why_not && !cadre)
        return cli_usage("explain", "--why-not goes with --cadre");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = plan ? ZC_OK : plan_latest(s, false, &plan, &err);
    if (rc == ZC_OK && !plan)
        rc = zc_error_set(&err, ZC_ENOTFOUND, "no plan yet: run 'zhucun match'");
    if (rc == ZC_OK && post) { /* the seats of a post: at its division, that post's only */
        struct registry_post rp;
        rc = registry_post_get(s, post, &rp, &err);
        village = rp.division;
    }
    if (rc == ZC_OK && cadre) {
        struct explain_cadre *e = zc_malloc(sizeof(*e));
        rc = explain_cadre(s, plan, cadre, why_not, e, &err);
        if (rc == ZC_OK)
            json ? print_json(http_explain_json(e, NULL)) : print_explain_cadre(e);
        free(e);
    } else if (rc == ZC_OK) {
        struct explain_village v;
        rc = explain_village(s, plan, village, !json, &v, &err);
        if (rc == ZC_OK && post) { /* that post's seats only */
            size_t n = 0;
            for (size_t i = 0; i < v.nslots; i++)
                if (strcmp(v.slots[i].post_code, post) == 0)
                    v.slots[n++] = v.slots[i];
            v.nslots = n;
            if (n == 0)
                rc = zc_error_set(&err, ZC_ENOTFOUND, "post %s has no seat in plan %lld", post,
                                  (long long)plan);
        }
        if (!json && v.has_info)
            print_village_info(&v);
        if (rc == ZC_OK)
            json ? print_json(http_explain_json(NULL, &v)) : print_explain_slots(&v);
        explain_village_free(&v);
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* ---- plan ------------------------------------------------------------------- */

/* Stored text is escaped (text_escape) in every listing. */
static void list_row(void *ud, const struct plan_meta *p)
{
    char kind[64], status[64], at[128], policy[512], order[128];
    (void)ud;
    printf("%-5lld %-7s %-10s %-10s %-16s %7lld %7lld %8lld  %s\n", (long long)p->id,
           text_escape(p->kind, kind, sizeof(kind)), text_escape(p->status, status, sizeof(status)),
           text_escape(p->created_at, at, sizeof(at)),
           text_escape(p->policy_name, policy, sizeof(policy)), (long long)p->slots,
           (long long)p->filled, (long long)p->moves,
           text_escape(p->order_no, order, sizeof(order)));
}

static void show_meta(const struct plan_meta *p)
{
    char policy[512];
    printf("plan %lld (%s, %s), created %s, policy %s\n", (long long)p->id, p->kind, p->status,
           p->created_at, text_escape(p->policy_name, policy, sizeof(policy)));
    if (p->scope)
        printf("scope: %lld\n", (long long)p->scope);
    printf("slots %lld, filled %lld, eligible cadres %lld, moves %lld, objective %lld, %.3f s\n",
           (long long)p->slots, (long long)p->filled, (long long)p->cadres, (long long)p->moves,
           (long long)p->objective, p->seconds);
    if (p->order_no[0])
        printf("dispatch order (选派命令) %s, term %d years\n", p->order_no, p->term_years);
}

/* A real calendar day written YYYY-MM-DD. */
static bool real_date(const char *s)
{
    int y, mo, d;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) == 3 && mo >= 1 &&
           mo <= 12 && d >= 1 && d <= cal_month_days(y, mo);
}

/* Now, UTC, as the term records keep it. */
static void utc_now(char *out, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* `--villages CODE,...` into *out (caller frees): 0, or the usage status. */
static int parse_villages(const char *list, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        enum division_level lv;
        int64_t code;
        if (division_parse(p, len, &code, &lv, NULL) != ZC_OK || lv != DIV_VILLAGE) {
            free(*out);
            *out = NULL;
            return cli_usage("plan", "--villages takes 12-digit village codes, not '%.*s'",
                             (int)len, p);
        }
        *out = zc_reallocarray(*out, *n + 1, sizeof(**out));
        (*out)[(*n)++] = code;
        p += len + (p[len] == ',');
    }
    if (list && !*n)
        return cli_usage("plan", "--villages needs at least one village code");
    return 0;
}

/* zhucun plan rotate ID [--villages CODE,...] [--on DATE] [--keep-cadres]
 * [--reason TEXT]: one transaction with its audit entry. */
static int plan_rotate_cmd(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"villages", required_argument, NULL, 'v'},
                                         {"on", required_argument, NULL, 'o'},
                                         {"keep-cadres", no_argument, NULL, 'k'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    struct plan_rotation ro = {.reason = "", .by = cli_me()};
    struct plan_rotated out;
    struct zc_error err = {0};
    int64_t *villages = NULL, id;
    size_t nv = 0;
    char at[32], target[32];
    const char *list = NULL;
    struct store *s;
    int c, status, rc;
    if (argc < 3 || parse_id(argv[2], &id) != ZC_OK)
        return cli_usage("plan", "rotate needs a plan ID");
    optind = 3;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'v')
            list = optarg;
        else if (c == 'o')
            ro.on = optarg;
        else if (c == 'k')
            ro.keep_cadres = true;
        else if (c == 'r')
            ro.reason = optarg;
        else
            return cli_usage("plan", "unknown option");
    }
    if (optind < argc)
        return cli_usage("plan", "unexpected argument '%s'", argv[optind]);
    if (ro.on && !real_date(ro.on))
        return cli_usage("plan", "rotate --on needs YYYY-MM-DD (a real date), not '%s'", ro.on);
    if ((status = parse_villages(list, &villages, &nv)) != 0)
        return status;
    ro.villages = villages;
    ro.nvillages = nv;
    utc_now(at, sizeof(at));
    ro.at = at;
    s = cli_open_store(cli, false, &status);
    if (!s) {
        free(villages);
        return status;
    }
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        json_t *vs = json_array();
        for (size_t k = 0; k < nv; k++)
            json_array_append_new(vs, json_integer((json_int_t)villages[k]));
        snprintf(target, sizeof(target), "plan:%lld", (long long)id);
        rc = plan_rotate(s, id, &ro, &out, &err);
        rc = cli_finish_write_in(
            s, rc, "plan.rotate", target, out.scope,
            json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:s,s:I,s:I}", "plan", (json_int_t)id, "on",
                      out.day, "from", out.old_end, "to", out.new_end, "villages", vs,
                      "keep_cadres", ro.keep_cadres, "reason", ro.reason, "postings",
                      (json_int_t)out.postings, "slots", (json_int_t)out.slots),
            &err);
    }
    free(villages);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("plan %lld (dispatch order %s): term rotated on %s in %lld villages: %lld postings "
           "ended, %lld slots vacant; a refill serves the new term to %s (run 'zhucun match "
           "--refill', then 'zhucun plan publish ID --start %s')%s\n",
           (long long)id, out.order_no, out.day, (long long)out.villages, (long long)out.postings,
           (long long)out.slots, out.new_end, out.day,
           ro.keep_cadres ? "" : "; the outgoing cadres are kept out of the villages they left");
    return 0;
}

/* `zhucun plan list`: the plans, one line each. */
static int plan_list_cmd(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;
    (void)argv;
    if (argc != 2)
        return cli_usage("plan", "list takes no arguments");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    printf("%-5s %-7s %-10s %-10s %-16s %7s %7s %8s  %s\n", "id", "kind", "status", "created",
           "policy", "slots", "filled", "moves", "order");
    rc = plan_list(s, list_row, NULL, &err);
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* `zhucun plan show ID`: the plan's header, then its slots as CSV. */
static int plan_show_cmd(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;
    struct plan_meta pm;
    struct plan_export_options eo = {.format = TW_CSV, .with_vacant = true};
    int64_t id;
    size_t n;
    if (argc != 3 || parse_id(argv[2], &id) != ZC_OK)
        return cli_usage("plan", "show needs a plan ID");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = plan_get(s, id, &pm, &err);
    if (rc == ZC_OK) {
        show_meta(&pm);
        fflush(stdout);
        rc = plan_export(s, id, &eo, &n, &err);
    }
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* `zhucun plan publish ID [--term YEARS] [--start DATE]`: the dispatch order,
 * with its audit entry in the same transaction. */
static int plan_publish_cmd(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;
    static const struct option opts[] = {{"term", required_argument, NULL, 't'},
                                         {"start", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    struct plan_meta pm;
    char start[16];
    int64_t id, term = 2;
    int y, mo, d, c;
    registry_today(&y, &mo, &d);
    snprintf(start, sizeof(start), "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 't') {
            if (parse_id(optarg, &term) != ZC_OK || term < 1 || term > 3)
                return cli_usage("plan", "--term must be 1, 2 or 3 years");
        } else if (c == 's') {
            if (sscanf(optarg, "%4d-%2d-%2d", &y, &mo, &d) != 3)
                return cli_usage("plan", "--start must be YYYY-MM-DD");
            snprintf(start, sizeof(start), "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
        } else {
            return cli_usage("plan", "unknown option");
        }
    }
    if (optind + 1 != argc || parse_id(argv[optind], &id) != ZC_OK)
        return cli_usage("plan", "publish needs a plan ID");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK)
        rc = plan_publish(s, id, (int)term, start, &pm, &err);
    if (rc == ZC_OK) {
        char target[32];
        snprintf(target, sizeof(target), "plan:%lld", (long long)id);
        rc = cli_audit(s, "plan.publish", target, pm.scope, "{\"status\":\"draft\"}",
                       json_pack("{s:I, s:s, s:i, s:s}", "plan", (json_int_t)id, "order",
                                 pm.order_no, "term_years", (int)term, "start", start),
                       &err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, &err);
    if (rc != ZC_OK)
        store_rollback(s);
    if (rc == ZC_OK)
        printf("published plan %lld: dispatch order %s, %lld cadres, from %s to %s%s\n",
               (long long)id, pm.order_no, (long long)pm.filled, start, pm.term_end,
               strcmp(pm.kind, "refill") == 0 ? " (the rest of the term)" : "");
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* `zhucun plan discard ID`: a draft dropped, audited. */
static int plan_discard_cmd(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;
    int64_t id;
    if (argc != 3 || parse_id(argv[2], &id) != ZC_OK)
        return cli_usage("plan", "discard needs a plan ID");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        char target[32];
        snprintf(target, sizeof(target), "plan:%lld", (long long)id);
        rc = plan_discard(s, id, &err);
        rc = cli_finish_write(s, rc, "plan.discard", target,
                              json_pack("{s:I}", "plan", (json_int_t)id), &err);
    }
    if (rc == ZC_OK)
        printf("plan %lld discarded\n", (long long)id);
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

/* `zhucun plan extend ID [--villages CODE,...] --until DATE [--reason TEXT]`
 * (不脱贫不脱钩; --to is the same as --until), audited. */
static int plan_extend_cmd(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"to", required_argument, NULL, 't'},
                                         {"until", required_argument, NULL, 't'},
                                         {"villages", required_argument, NULL, 'v'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    struct plan_extension x = {.reason = "", .by = cli_me()};
    struct plan_extended out;
    struct zc_error err = {0};
    struct store *s;
    int64_t *villages = NULL, id;
    size_t nv = 0;
    const char *list = NULL;
    char at[32], target[32];
    int c, status, rc;
    if (argc < 3 || parse_id(argv[2], &id) != ZC_OK)
        return cli_usage("plan", "extend needs a plan ID");
    optind = 3;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 't')
            x.until = optarg;
        else if (c == 'v')
            list = optarg;
        else if (c == 'r')
            x.reason = optarg;
        else
            return cli_usage("plan", "unknown option");
    }
    if (optind < argc)
        return cli_usage("plan", "unexpected argument '%s'", argv[optind]);
    if (!real_date(x.until))
        return cli_usage("plan", "extend needs --until YYYY-MM-DD (a real date)");
    if ((status = parse_villages(list, &villages, &nv)) != 0)
        return status;
    x.villages = villages;
    x.nvillages = nv;
    utc_now(at, sizeof(at));
    x.at = at;
    s = cli_open_store(cli, false, &status);
    if (!s) {
        free(villages);
        return status;
    }
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        json_t *vs = json_array();
        for (size_t k = 0; k < nv; k++)
            json_array_append_new(vs, json_integer((json_int_t)villages[k]));
        snprintf(target, sizeof(target), "plan:%lld", (long long)id);
        rc = plan_extend(s, id, &x, &out, &err);
        rc =
            cli_finish_write_in(s, rc, "plan.extend", target, out.scope,
                                json_pack("{s:I,s:s,s:s,s:o,s:s,s:I}", "plan", (json_int_t)id,
                                          "from", out.old_end, "to", x.until, "villages", vs,
                                          "reason", x.reason, "postings", (json_int_t)out.postings),
                                &err);
    }
    free(villages);
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    printf("plan %lld (dispatch order %s): term extended from %s to %s in %lld villages (%lld "
           "postings)\n",
           (long long)id, out.order_no, out.old_end, x.until, (long long)out.villages,
           (long long)out.postings);
    return 0;
}

/* `zhucun plan recall --cadre ID_NUMBER [--reason TEXT]` (召回撤换): the posting
 * ends today and its slot is left vacant for a refill; audited. */
static int plan_recall_cmd(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s;
    int status, rc = ZC_OK;
    static const struct option opts[] = {{"cadre", required_argument, NULL, 'c'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const char *cadre = NULL, *reason = "";
    char today[16];
    int64_t village = 0;
    bool vacancy = false;
    int y, mo, d, c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'c')
            cadre = optarg;
        else if (c == 'r')
            reason = optarg;
        else
            return cli_usage("plan", "unknown option");
    }
    if (!cadre || optind != argc)
        return cli_usage("plan", "recall needs --cadre ID_NUMBER");
    registry_today(&y, &mo, &d);
    snprintf(today, sizeof(today), "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = store_begin(s, &err);
    if (rc == ZC_OK)
        rc = plan_recall(s, cadre, reason, today, &village, &vacancy, &err);
    if (rc == ZC_OK) {
        char target[40], masked[24];
        idcard_mask(cadre, masked, sizeof(masked));
        snprintf(target, sizeof(target), "cadre:%s", masked);
        rc = cli_audit(s, "plan.recall", target, village, "{\"status\":\"serving\"}",
                       json_pack("{s:s, s:I, s:s, s:s}", "cadre", masked, "village",
                                 (json_int_t)village, "reason", reason, "date", today),
                       &err);
    }
    if (rc == ZC_OK)
        rc = store_commit(s, &err);
    if (rc != ZC_OK)
        store_rollback(s);
    if (rc == ZC_OK && vacancy)
        printf("recalled: posting ended %s; village %lld has a vacancy (run 'zhucun match "
               "--refill')\n",
               today, (long long)village);
    else if (rc == ZC_OK)
        printf("recalled: posting ended %s in village %lld (it was in no plan: the next "
               "match fills the team)\n",
               today, (long long)village);
    store_close(s);
    return rc == ZC_OK ? 0 : cli_fail(&err);
}

int cmd_plan(struct cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(struct cli *cli, int argc, char **argv);
    } subs[] = {
        {"list", plan_list_cmd},       {"show", plan_show_cmd},     {"publish", plan_publish_cmd},
        {"discard", plan_discard_cmd}, {"extend", plan_extend_cmd}, {"rotate", plan_rotate_cmd},
        {"recall", plan_recall_cmd},
    };

    const char *sub = argc > 1 ? argv[1] : "";

    if (argc < 2 || strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: zhucun plan list\n"
                   "       zhucun plan show ID\n"
                   "       zhucun plan publish ID [--term YEARS] [--start YYYY-MM-DD]\n"
                   "       zhucun plan recall --cadre ID_NUMBER [--reason TEXT]\n"
                   "       zhucun plan discard ID\n"
                   "       zhucun plan extend ID [--villages CODE,...] --until YYYY-MM-DD\n"
                   "                             [--reason TEXT]\n"
                   "       zhucun plan rotate ID [--villages CODE,...] [--on YYYY-MM-DD]\n"
                   "                             [--keep-cadres] [--reason TEXT]\n\n"
                   "publish issues the dispatch order (选派命令): teams with roles, a term of 1-3\n"
                   "years (default 2), posting rows for every cadre, each ending with the term\n"
                   "(a refill's with the rest of the term it takes over). recall (召回撤换) ends\n"
                   "a cadre's posting and leaves a vacancy for 'zhucun match --refill'. extend\n"
                   "(不脱贫不脱钩; --to is --until) gives the cadres serving in the order's\n"
                   "villages (all, or those listed; a rotated village's new term too) the\n"
                   "later term end, and the order too when all its villages are extended;\n"
                   "refused unless after the term in force; recorded. rotate\n"
                   "(轮换) ends the serving postings of the order's villages (all, or those\n"
                   "listed) on --on (default: the day their term ends) and leaves their posts\n"
                   "vacant: 'zhucun match --refill' fills them for a new term from that day,\n"
                   "as long as the order's, with other cadres (the outgoing ones may go to\n"
                   "other villages; --keep-cadres lets them take their own again); recorded.\n");
        return argc < 2 ? 64 : 0;
    }

    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(sub, subs[i].name) == 0)
            return subs[i].run(cli, argc, argv);
    return cli_usage("plan", "unknown subcommand '%s'", sub);
}

/* ---- export plan / teams ------------------------------------------------------ */

bool cmd_export_is_plan(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-f") == 0 || strcmp(a, "-o") == 0 || strcmp(a, "--format") == 0 ||
            strcmp(a, "--output") == 0 || strcmp(a, "--plan") == 0) {
            i++;
            continue;
        }
        if (a[0] == '-')
            continue;
        return strcmp(a, "plan") == 0 || strcmp(a, "teams") == 0;
    }
    return false;
}

int cmd_export_plan(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"unmask", no_argument, NULL, 'u'},       {"plan", required_argument, NULL, 'p'},
        {"with-vacant", no_argument, NULL, 'v'},  {NULL, 0, NULL, 0}};
    struct plan_export_options eo = {.format = TW_CSV};
    struct cli_export x;
    struct zc_error err = {0};
    enum tw_format fmt;
    int64_t plan = 0;
    bool teams = false;
    struct store *s;
    size_t n = 0;
    int c, status, rc;

    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun export plan [--plan ID] [--with-vacant]\n"
               "       zhucun export teams\n"
               "         [--format csv|xlsx|json] [-o FILE] [--unmask]\n\n"
               "plan: one row per assignment of a plan (default: the newest), with village\n"
               "code and name, role, cadre (ID masked unless --unmask), unit, skills and\n"
               "score. teams: the serving roster of every published plan. XLSX is the printed\n"
               "dispatch list: a title row, rows grouped by county, township and village.\n");
        return 0;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (tw_format_parse(optarg, &fmt, &err) != ZC_OK)
                return cli_usage("export", "%s", err.msg);
            eo.format = fmt;
            break;
        case 'o':
            eo.path = optarg;
            break;
        case 'u':
            eo.unmask = true;
            break;
        case 'p':
            if (parse_id(optarg, &plan) != ZC_OK || plan == 0)
                return cli_usage("export", "--plan needs a plan ID");
            break;
        case 'v':
            eo.with_vacant = true;
            break;
        default:
            return cli_usage("export", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage("export", "expected one KIND");
    teams = strcmp(argv[optind], "teams") == 0;
    if (teams && plan)
        return cli_usage("export", "--plan goes with 'export plan'");
    if (eo.format == TW_XLSX && !eo.path)
        return cli_usage("export", "--format xlsx needs -o FILE");
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = teams || plan ? ZC_OK : plan_latest(s, false, &plan, &err);
    if (rc == ZC_OK && !teams && !plan)
        rc = zc_error_set(&err, ZC_ENOTFOUND, "no plan yet: run 'zhucun match'");
    if (rc == ZC_OK)
        rc = cli_export_begin(&x, eo.path, &err);
    if (rc == ZC_OK) {
        char kind[32];
        snprintf(kind, sizeof(kind), teams ? "teams" : "plan:%lld", (long long)plan);
        eo.path = x.path;
        rc = plan_export(s, teams ? 0 : plan, &eo, &n, &err);
        rc = cli_export_finish(&x, s, kind, eo.unmask, n, rc, &err);
        eo.path = x.user_path;
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (eo.path)
        fprintf(stderr, "wrote %zu rows to %s\n", n, eo.path);
    return 0;
}
