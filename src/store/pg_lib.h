/* SPDX-License-Identifier: MIT */
/* pg_lib.h - libpq, the PostgreSQL client library,
 * opened on first use (base/dynlib.h says why).
 * Include this instead of the library's header; call pg_lib_load() before
 * the first call (a later one costs a mutex). */
#ifndef ZC_PG_LIB_H
#define ZC_PG_LIB_H

#include <libpq-fe.h>

#include "base/err.h"

#define PG_LIB_FUNCS(X)                                                                            \
    X(PQclear)                                                                                     \
    X(PQcmdStatus)                                                                                 \
    X(PQcmdTuples)                                                                                 \
    X(PQconnectdb)                                                                                 \
    X(PQconnectdbParams)                                                                           \
    X(PQconninfoFree)                                                                              \
    X(PQconninfoParse)                                                                             \
    X(PQdb)                                                                                        \
    X(PQenterPipelineMode)                                                                         \
    X(PQerrorMessage)                                                                              \
    X(PQescapeIdentifier)                                                                          \
    X(PQexec)                                                                                      \
    X(PQexecParams)                                                                                \
    X(PQexecPrepared)                                                                              \
    X(PQexitPipelineMode)                                                                          \
    X(PQfinish)                                                                                    \
    X(PQfreemem)                                                                                   \
    X(PQftype)                                                                                     \
    X(PQgetResult)                                                                                 \
    X(PQgetisnull)                                                                                 \
    X(PQgetvalue)                                                                                  \
    X(PQhost)                                                                                      \
    X(PQmakeEmptyPGresult)                                                                         \
    X(PQnfields)                                                                                   \
    X(PQntuples)                                                                                   \
    X(PQpipelineStatus)                                                                            \
    X(PQpipelineSync)                                                                              \
    X(PQport)                                                                                      \
    X(PQprepare)                                                                                   \
    X(PQputCopyData)                                                                               \
    X(PQputCopyEnd)                                                                                \
    X(PQresultErrorField)                                                                          \
    X(PQresultStatus)                                                                              \
    X(PQsendPrepare)                                                                               \
    X(PQsendQueryParams)                                                                           \
    X(PQsendQueryPrepared)                                                                         \
    X(PQsetNoticeProcessor)                                                                        \
    X(PQsetSingleRowMode)                                                                          \
    X(PQstatus)

struct pg_lib {
#define PG_LIB_PTR(f) __typeof__(f) *f;
    PG_LIB_FUNCS(PG_LIB_PTR)
#undef PG_LIB_PTR
};
extern struct pg_lib pg_lib;

int pg_lib_load(struct zc_error *err);

#ifndef PG_LIB_IMPL
#define PQclear              pg_lib.PQclear
#define PQcmdStatus          pg_lib.PQcmdStatus
#define PQcmdTuples          pg_lib.PQcmdTuples
#define PQconnectdb          pg_lib.PQconnectdb
#define PQconnectdbParams    pg_lib.PQconnectdbParams
#define PQconninfoFree       pg_lib.PQconninfoFree
#define PQconninfoParse      pg_lib.PQconninfoParse
#define PQdb                 pg_lib.PQdb
#define PQenterPipelineMode  pg_lib.PQenterPipelineMode
#define PQerrorMessage       pg_lib.PQerrorMessage
#define PQescapeIdentifier   pg_lib.PQescapeIdentifier
#define PQexec               pg_lib.PQexec
#define PQexecParams         pg_lib.PQexecParams
#define PQexecPrepared       pg_lib.PQexecPrepared
#define PQexitPipelineMode   pg_lib.PQexitPipelineMode
#define PQfinish             pg_lib.PQfinish
#define PQfreemem            pg_lib.PQfreemem
#define PQftype              pg_lib.PQftype
#define PQgetResult          pg_lib.PQgetResult
#define PQgetisnull          pg_lib.PQgetisnull
#define PQgetvalue           pg_lib.PQgetvalue
#define PQhost               pg_lib.PQhost
#define PQmakeEmptyPGresult  pg_lib.PQmakeEmptyPGresult
#define PQnfields            pg_lib.PQnfields
#define PQntuples            pg_lib.PQntuples
#define PQpipelineStatus     pg_lib.PQpipelineStatus
#define PQpipelineSync       pg_lib.PQpipelineSync
#define PQport               pg_lib.PQport
#define PQprepare            pg_lib.PQprepare
#define PQputCopyData        pg_lib.PQputCopyData
#define PQputCopyEnd         pg_lib.PQputCopyEnd
#define PQresultErrorField   pg_lib.PQresultErrorField
#define PQresultStatus       pg_lib.PQresultStatus
#define PQsendPrepare        pg_lib.PQsendPrepare
#define PQsendQueryParams    pg_lib.PQsendQueryParams
#define PQsendQueryPrepared  pg_lib.PQsendQueryPrepared
#define PQsetNoticeProcessor pg_lib.PQsetNoticeProcessor
#define PQsetSingleRowMode   pg_lib.PQsetSingleRowMode
#define PQstatus             pg_lib.PQstatus
#endif

#endif
