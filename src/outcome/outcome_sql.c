/* SPDX-License-Identifier: MIT */
/* outcome_sql.c - the outcome module's statements, by name. */
#include "outcome_int.h"

/* Villages of [?1, ?2] with their ledger figures and, from the registered
 * poor households identified by year ?3, those still poor and exited. */
const char outcome_sql_villages[] =
    "SELECT v.code, coalesce(d.name, ''), coalesce(v.households, 0), coalesce(v.population, 0), "
    "coalesce(v.poor_households, 0), coalesce(v.poor_population, 0), "
    "count(h.id), coalesce(sum(CASE WHEN h.status = 'poor' THEN 1 ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN h.status = 'poor' THEN h.members ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN h.status = 'exited' THEN 1 ELSE 0 END), 0), coalesce(sum(h.members), "
    "0) "
    "FROM village v LEFT JOIN division d ON d.code = v.code "
    "LEFT JOIN household h ON h.village = v.code AND coalesce(h.poverty_year, 0) <= ?3 "
    "WHERE v.code BETWEEN ?1 AND ?2 GROUP BY v.code, d.name ORDER BY v.code";

/* The name of a division. */
const char outcome_sql_name[] = "SELECT name FROM division WHERE code = ?1";
