/* SPDX-License-Identifier: MIT */
/* cmd_demo.c - `zhucun demo`: create a demo database from a seed scenario
 * (placeholder until src/scenario/ lands). */
#include <stdio.h>

#include "cli.h"

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "zhucun demo: not implemented yet\n");
    return 64;
}
