/* SPDX-License-Identifier: MIT */
/* select_int.h - internal to src/select: the module's statements (select_sql.c). */
#ifndef ZC_SELECT_INT_H
#define ZC_SELECT_INT_H

extern const char select_sql_cadres[];
extern const char select_sql_grades[];
extern const char select_sql_discipline[];

#endif
