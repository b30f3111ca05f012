/* SPDX-License-Identifier: MIT */
/* cmd_import.c - `zhucun import KIND FILE` and `zhucun export KIND`. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "aid/aid.h"
#include "base/scope.h"
#include "cli.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "store/store.h"

/* The BLAKE2b-256 of the file, hex: the audit record names what exactly came in. */
static int file_digest(const char *path, char hex[65], int64_t *bytes, struct zc_error *err)
{
    crypto_generichash_state h;
    unsigned char buf[65536], d[32];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return zc_error_set(err, ZC_EIO, "%s: cannot open", path);
    *bytes = 0;
    crypto_generichash_init(&h, NULL, 0, sizeof(d));
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        crypto_generichash_update(&h, buf, n);
        *bytes += (int64_t)n;
    }
    if (ferror(f)) {
        fclose(f);
        return zc_error_set(err, ZC_EIO, "%s: read error", path);
    }
    fclose(f);
    crypto_generichash_final(&h, d, sizeof(d));
    sodium_bin2hex(hex, 65, d, sizeof(d));
    return ZC_OK;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct import_report rep;
    enum registry_kind kind = REG_UNITS;
    struct zc_scope sc = zc_scope_all();
    struct policy p;
    struct store *s;
    int status, rc, aid = 0; /* 1 responsible, 2 measures (src/aid) */

    if (cli_wants_help(argc, argv)) {
        printf(
            "usage: zhucun [--db PATH] import {units|villages|cadres|households|members|posts}\n"
            "                FILE\n"
            "       zhucun [--db PATH] import {responsible|measures} FILE [--scope CODE]\n"
            "                [--policy FILE]\n"
            "       zhucun [--db PATH] import checkins FILE [--map 列名=field] [--sheet NAME]\n"
            "                [--policy FILE]\n\n"
            "Import a .csv (UTF-8 with or without BOM, or GB18030) or .xlsx file (Excel,\n"
            "WPS). Headers may be Chinese or English (see docs/internals/registry.md).\n"
            "All or nothing: a file with any bad cell writes nothing and lists every bad\n"
            "cell as FILE:ROW:COLUMN: message (exit status 65). Re-importing a file\n"
            "changes nothing: rows are matched by their natural key.\n"
            "responsible: 户编号, 帮扶责任人身份证号, 起始日期 (帮扶责任人, checked as by\n"
            "`zhucun household cadre`: the village's team or paired unit, the cap).\n"
            "measures: 户编号, 类别, 帮扶措施, 金额, 责任人, 完成期限 (一户一策; a measure held\n"
            "with the same household, kind and text is updated).\n"
            "checkins: zhucun's columns or a DingTalk 原始记录 sheet; of a workbook, the sheet\n"
            "--sheet names, else 原始记录 when there is one, else the first.\n");
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "checkins") == 0)
        return cmd_import_checkins(cli, argc, argv); /* cmd_field.c */
    if (argc >= 2 && (strcmp(argv[1], "responsible") == 0 || strcmp(argv[1], "measures") == 0)) {
        static const struct option opts[] = {{"scope", required_argument, NULL, 's'},
                                             {"policy", required_argument, NULL, 'p'},
                                             {NULL, 0, NULL, 0}};
        const char *scope_s = NULL, *pol = NULL;
        int c;
        aid = strcmp(argv[1], "responsible") == 0 ? 1 : 2;
        optind = 3;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
            if (c == 's')
                scope_s = optarg;
            else if (c == 'p')
                pol = optarg;
            else
                return cli_usage("import", "%s takes --scope CODE and --policy FILE", argv[1]);
        }
        if (argc < 3 || optind != argc)
            return cli_usage("import", "expected %s FILE", argv[1]);
        if (cli_scope_opt(scope_s, &sc, &err) != ZC_OK)
            return cli_usage("import", "--scope: %s", err.msg);
        if (cli_load_policy(pol, &p, &err) != ZC_OK)
            return cli_fail(&err);
    } else if (argc != 3) {
        return cli_usage("import", "expected KIND FILE");
    } else if (registry_kind_parse(argv[1], &kind, &err) != ZC_OK) {
        return cli_usage("import", "%s", err.msg);
    }
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    memset(&rep, 0, sizeof(rep));
    rc = store_begin(s, &err);
    if (rc == ZC_OK) {
        if (aid)
            rc =
                aid_import_file(s, &p, &sc, aid == 1 ? AID_IMPORT_RESPONSIBLE : AID_IMPORT_MEASURES,
                                argv[2], cli_me(), &rep, &err);
        else
            rc = registry_import(s, kind, argv[2], NULL, NULL, &rep, &err);
        if (rc == ZC_OK) {
            char hex[65], action[40];
            int64_t bytes = 0;
            rc = file_digest(argv[2], hex, &bytes, &err);
            snprintf(action, sizeof(action), "import.%s", aid ? argv[1] : registry_kind_name(kind));
            if (rc == ZC_OK)
                rc = cli_audit(s, action, argv[2], 0, NULL,
                               json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s*}", "file",
                                         argv[2], "blake2b", hex, "bytes", (json_int_t)bytes,
                                         "rows", (json_int_t)rep.rows, "added",
                                         (json_int_t)rep.added, "updated", (json_int_t)rep.updated,
                                         "unchanged", (json_int_t)rep.unchanged, "historical_codes",
                                         rep.historical),
                               &err);
        }
        if (rc == ZC_OK)
            rc = store_commit(s, &err);
        if (rc != ZC_OK)
            store_rollback(s);
    }
    store_close(s);
    if (rep.ignored)
        fprintf(stderr, "zhucun: note: ignored columns: %s\n", rep.ignored);
    if (rep.historical)
        fprintf(stderr,
                "zhucun: note: %zu cell%s carry division codes abolished or renamed since, read "
                "as today's: %s\n",
                rep.remapped, rep.remapped == 1 ? "" : "s", rep.historical);
    if (rep.historical && rc == ZC_OK) {
        /* Each record keeps the code as the file wrote it (its ..._was). */
        for (size_t i = 0; i < rep.nremapped_lines; i++)
            fprintf(stderr, "%s (kept as written in the record)\n", rep.remapped_lines[i]);
        if (rep.remapped > rep.nremapped_lines)
            fprintf(stderr, "... and %zu more cells\n", rep.remapped - rep.nremapped_lines);
    }
    if (rc == ZC_EINVAL && rep.nerrors) {
        for (size_t i = 0; i < rep.nlines; i++)
            fprintf(stderr, "%s\n", rep.lines[i]);
        if (rep.nerrors > rep.nlines)
            fprintf(stderr, "... and %zu more errors\n", rep.nerrors - rep.nlines);
        fprintf(stderr, "zhucun: %s\n", err.msg);
        import_report_fini(&rep);
        return 65;
    }
    if (rc != ZC_OK) {
        import_report_fini(&rep);
        return cli_fail(&err);
    }
    printf("%s: %zu rows: %zu added, %zu updated, %zu unchanged\n", argv[2], rep.rows, rep.added,
           rep.updated, rep.unchanged);
    import_report_fini(&rep);
    return 0;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"unmask", no_argument, NULL, 'u'},       {"english-headers", no_argument, NULL, 'e'},
        {"template", no_argument, NULL, 't'},     {NULL, 0, NULL, 0}};
    struct export_options opt = {.format = TW_CSV, .chinese_headers = true};
    struct cli_export x;
    struct zc_error err = {0};
    enum registry_kind kind;
    bool template = false;
    struct store *s;
    size_t n = 0;
    int c, status, rc;

    if (cmd_export_is_plan(argc, argv))
        return cmd_export_plan(cli, argc, argv); /* plan, teams: cmd_match.c */
    if (argc > 1 && strcmp(argv[1], "form") == 0)
        return cmd_export_form(cli, argc - 1, argv + 1); /* the national forms: cmd_aid.c */
    if (cli_wants_help(argc, argv)) {
        printf("usage: zhucun [--db PATH] export {units|villages|cadres|households|members|posts}\n"
               "       zhucun [--db PATH] export form {households|members|b92} (see --help there)\n"
               "                [--format csv|xlsx|json] [-o FILE] [--unmask]\n"
               "                [--english-headers] [--template]\n\n"
               "Write a registry. ID numbers are masked (4501**********001X) unless\n"
               "--unmask. CSV is UTF-8 with BOM; cells starting with = + - @ are prefixed\n"
               "with ' so spreadsheets do not run them. XLSX keeps ID numbers as text.\n"
               "--template writes only the header row (an empty import template).\n");
        return 0;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (tw_format_parse(optarg, &opt.format, &err) != ZC_OK)
                return cli_usage("export", "%s", err.msg);
            break;
        case 'o':
            opt.path = optarg;
            break;
        case 'u':
            opt.unmask = true;
            break;
        case 'e':
            opt.chinese_headers = false;
            break;
        case 't':
            template = true;
            break;
        default:
            return cli_usage("export", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage("export", "expected one KIND");
    if (registry_kind_parse(argv[optind], &kind, &err) != ZC_OK)
        return cli_usage("export", "%s", err.msg);
    if (opt.format == TW_XLSX && !opt.path)
        return cli_usage("export", "--format xlsx needs -o FILE");
    if (template) {
        rc = registry_template(kind, &opt, &err);
        return rc == ZC_OK ? 0 : cli_fail(&err);
    }
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    rc = cli_export_begin(&x, opt.path, &err);
    if (rc == ZC_OK) {
        opt.path = x.path;
        rc = registry_export(s, kind, &opt, &n, &err);
        rc = cli_export_finish(&x, s, registry_kind_name(kind), opt.unmask, n, rc, &err);
        opt.path = x.user_path;
    }
    store_close(s);
    if (rc != ZC_OK)
        return cli_fail(&err);
    if (opt.path)
        fprintf(stderr, "wrote %zu %s to %s\n", n, registry_kind_name(kind), opt.path);
    return 0;
}
