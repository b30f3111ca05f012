/* SPDX-License-Identifier: MIT */
/* cmd_serve.c - `zhucun serve`, `zhucun user` and `zhucun audit`: the HTTP
 * server, its accounts and the tamper-evident record (placeholders until the
 * http and auth modules land). */
#include <stdio.h>

#include "cli.h"

static int not_yet(const char *cmd)
{
    fprintf(stderr, "zhucun %s: not implemented yet\n", cmd);
    return 70;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return not_yet("serve");
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return not_yet("user");
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return not_yet("audit");
}
