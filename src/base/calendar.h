/* SPDX-License-Identifier: MIT */
/* calendar.h - proleptic Gregorian dates as day numbers (days since
 * 1970-01-01), for the spreadsheet reader's serial dates and the field
 * work's days, weeks and months. Pure arithmetic, no time zones. */
#ifndef ZC_CALENDAR_H
#define ZC_CALENDAR_H

#include <stdint.h>

int64_t cal_days(int y, int m, int d);                /* civil date -> day number */
void cal_civil(int64_t days, int *y, int *m, int *d); /* day number -> civil date */
int cal_month_days(int y, int m);                     /* 28..31 */
int cal_weekday(int64_t days);                        /* 0 = Monday .. 6 = Sunday */

#endif
