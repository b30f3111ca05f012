/* SPDX-License-Identifier: MIT */
/* outcome_int.h - shared by the files of src/outcome. */
#ifndef ZC_OUTCOME_INT_H
#define ZC_OUTCOME_INT_H

#include "outcome.h"

extern const char outcome_sql_villages[];
extern const char outcome_sql_name[];
extern const char outcome_sql_household_village[];
extern const char outcome_sql_status_put[];
extern const char outcome_sql_watch[];
extern const char outcome_sql_status_of[];
extern const char outcome_sql_watch_respond[];
extern const char outcome_sql_team_villages[];
extern const char outcome_sql_village_class[];

#endif
