/* SPDX-License-Identifier: MIT */
/* cmd_eligible.c - `zhucun eligible`: every cadre against the policy's
 * eligibility rules, with every reason that failed (审核: a unit whose
 * nominee is refused learns why).
 *
 * Output streams one row per cadre as the store scan produces it, so memory
 * stays flat on a national ledger. ID numbers are masked unless --unmask.
 * The table format ends with a summary on stderr: counts and the most
 * common reasons. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/idcard.h"
#include "cli.h"
#include "policy/policy.h"
#include "select/select.h"
#include "store/store.h"

enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV };

struct run {
    enum out_format format;    /* how rows are printed */
    bool only_rejected;        /* skip eligible cadres */
    bool unmask;               /* show ID numbers in full */
    size_t nok, nbad;          /* cadres eligible / not */
    size_t by_code[EL_NCODES]; /* cadres failing each rule */
    size_t printed;            /* rows written (for JSON commas) */
};

static int usage(FILE *f)
{
    fprintf(f, "usage: zhucun eligible [--policy FILE] [--format table|json|csv]\n"
               "                       [--only-rejected] [--unit CODE] [--unmask]\n\n"
               "Check every cadre against the policy's eligibility rules (四选四不选,\n"
               "三抽三不抽 ...) and list, for each, every rule that failed.\n\n"
               "  --policy FILE    policy file (default: $ZHUCUN_POLICY or policies/default.json)\n"
               "  --format F       table (default), json or csv\n"
               "  --only-rejected  list only cadres who are not eligible\n"
               "  --unit CODE      only the cadres of one unit\n"
               "  --unmask         show ID numbers in full\n");
    return f == stdout ? 0 : 64;
}

static void csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int print_row(void *ud, const struct eligible_cadre *c, const struct eligible_result *r)
{
    struct run *run = ud;
    char id[32], zh[160], en[160];

    if (r->ok)
        run->nok++;
    else
        run->nbad++;
    for (size_t k = 0; k < r->nreasons; k++) {
        bool first = true;
        for (size_t j = 0; j < k; j++)
            if (r->reasons[j].code == r->reasons[k].code)
                first = false;
        if (first)
            run->by_code[r->reasons[k].code]++;
    }
    if (run->only_rejected && r->ok)
        return ZC_OK;
    if (run->unmask)
        snprintf(id, sizeof(id), "%s", c->id_number);
    else
        idcard_mask(c->id_number, id, sizeof(id));

    if (run->format == OUT_JSON) {
        json_t *o = json_object(), *reasons = json_array();
        char *text;
        json_object_set_new(o, "id_number", json_string(id));
        json_object_set_new(o, "name", json_string(c->name));
        json_object_set_new(o, "unit", json_string(c->unit));
        json_object_set_new(o, "eligible", json_boolean(r->ok));
        json_object_set_new(o, "age", r->age >= 0 ? json_integer(r->age) : json_null());
        for (size_t k = 0; k < r->nreasons; k++) {
            json_t *x = json_object();
            json_object_set_new(x, "code", json_string(eligible_code_name(r->reasons[k].code)));
            json_object_set_new(
                x, "zh", json_string(eligible_reason_text(&r->reasons[k], true, zh, sizeof(zh))));
            json_object_set_new(
                x, "en", json_string(eligible_reason_text(&r->reasons[k], false, en, sizeof(en))));
            json_array_append_new(reasons, x);
        }
        json_object_set_new(o, "reasons", reasons);
        text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n  %s", run->printed ? "," : "", text ? text : "{}");
        free(text);
        json_decref(o);
    } else if (run->format == OUT_CSV) {
        struct buf_codes {
            char s[512];
        } codes = {""}, texts = {""};

        for (size_t k = 0; k < r->nreasons; k++) {
            size_t n = strlen(codes.s), m = strlen(texts.s);
            snprintf(codes.s + n, sizeof(codes.s) - n, "%s%s", k ? ";" : "",
                     eligible_code_name(r->reasons[k].code));
            snprintf(texts.s + m, sizeof(texts.s) - m, "%s%s", k ? "；" : "",
                     eligible_reason_text(&r->reasons[k], true, zh, sizeof(zh)));
        }
        printf("%s,", id);
        csv_field(c->name);
        putchar(',');
        csv_field(c->unit);
        printf(",%s,", r->ok ? "是" : "否");
        csv_field(codes.s);
        putchar(',');
        csv_field(texts.s);
        putchar('\n');
    } else {
        printf("%-20s %-12s %-12s %s", id, c->name, c->unit, r->ok ? "合格 eligible" : "不合格");
        for (size_t k = 0; k < r->nreasons; k++)
            printf("%s%s (%s)", k ? "；" : " ",
                   eligible_reason_text(&r->reasons[k], true, zh, sizeof(zh)),
                   eligible_code_name(r->reasons[k].code));
        putchar('\n');
    }
    run->printed++;
    return ZC_OK;
}

static void summary(const struct run *run)
{
    size_t shown = 0;
    bool used[EL_NCODES] = {false};

    fprintf(stderr, "%zu eligible, %zu not eligible", run->nok, run->nbad);
    /* The five most common reasons, most common first. */
    for (int round = 0; round < 5; round++) {
        int best = -1;
        for (int k = 0; k < EL_NCODES; k++)
            if (!used[k] && run->by_code[k] > 0 &&
                (best < 0 || run->by_code[k] > run->by_code[best]))
                best = k;
        if (best < 0)
            break;
        used[best] = true;
        fprintf(stderr, "%s%s %zu",
                shown++ ? ", " : "; top reasons: ", eligible_code_name((enum eligible_code)best),
                run->by_code[best]);
    }
    fputc('\n', stderr);
}

int cmd_eligible(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'},  {"format", required_argument, NULL, 'f'},
        {"only-rejected", no_argument, NULL, 'r'}, {"unit", required_argument, NULL, 'u'},
        {"unmask", no_argument, NULL, 'm'},        {NULL, 0, NULL, 0}};
    struct zc_error err = {0};
    struct eligible_scan_opts so = {NULL, {0, 0, 0}};
    struct run run;
    struct policy pol;
    const char *policy_path = NULL;
    struct store *s;
    int c, status, rc;

    memset(&run, 0, sizeof(run));
    if (cli_wants_help(argc, argv))
        return usage(stdout);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            policy_path = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                run.format = OUT_TABLE;
            else if (strcmp(optarg, "json") == 0)
                run.format = OUT_JSON;
            else if (strcmp(optarg, "csv") == 0)
                run.format = OUT_CSV;
            else
                return cli_usage("eligible", "--format must be table, json or csv, not '%s'",
                                 optarg);
            break;
        case 'r':
            run.only_rejected = true;
            break;
        case 'u':
            so.unit = optarg;
            break;
        case 'm':
            run.unmask = true;
            break;
        default:
            return usage(stderr);
        }
    }
    if (optind < argc)
        return cli_usage("eligible", "unexpected argument '%s'", argv[optind]);
    if (!policy_path)
        policy_path = policy_default_path();
    if (!policy_path) {
        fprintf(stderr, "zhucun: cannot find policies/default.json; pass --policy FILE or set "
                        "ZHUCUN_POLICY\n");
        return 66;
    }
    rc = policy_load_file(policy_path, &pol, &err);
    if (rc != ZC_OK)
        return cli_fail(&err);

    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (run.format == OUT_JSON)
        printf("[");
    else if (run.format == OUT_CSV)
        printf("id_number,name,unit,eligible,codes,reasons\n");
    rc = eligible_scan(s, &pol, &so, print_row, &run, &err);
    store_close(s);
    if (run.format == OUT_JSON)
        printf("%s]\n", run.printed ? "\n" : "");
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (run.format == OUT_TABLE)
        summary(&run);
    return 0;
}
