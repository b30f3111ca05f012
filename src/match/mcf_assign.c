/* SPDX-License-Identifier: MIT */
/* stub */
#include "match/mcf_int.h"

int mcf_assign_solve(struct mcf *m, int threads, struct zc_error *err)
{
    (void)m;
    (void)threads;
    return zc_error_set(err, ZC_EINVAL, "not the transportation shape");
}
