/* SPDX-License-Identifier: MIT */
/* cmd_eligible.c - `zhucun eligible`: every cadre against the policy's
 * eligibility rules, with every reason that failed (placeholder while the
 * policy and select modules are written). */
#include <stdio.h>

#include "cli.h"

int cmd_eligible(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "zhucun eligible: not yet implemented\n");
    return 64;
}
