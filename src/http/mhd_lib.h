/* SPDX-License-Identifier: MIT */
/* mhd_lib.h - libmicrohttpd, the HTTP server library,
 * opened on first use (base/dynlib.h says why).
 * Include this instead of the library's header; call mhd_lib_load() before
 * the first call (a later one costs a mutex). */
#ifndef ZC_MHD_LIB_H
#define ZC_MHD_LIB_H

#include <microhttpd.h>

#include "base/err.h"

#define MHD_LIB_FUNCS(X)                                                                           \
    X(MHD_add_response_header)                                                                     \
    X(MHD_create_post_processor)                                                                   \
    X(MHD_create_response_from_buffer)                                                             \
    X(MHD_create_response_from_fd64)                                                               \
    X(MHD_destroy_post_processor)                                                                  \
    X(MHD_destroy_response)                                                                        \
    X(MHD_get_connection_info)                                                                     \
    X(MHD_get_connection_values)                                                                   \
    X(MHD_lookup_connection_value)                                                                 \
    X(MHD_post_process)                                                                            \
    X(MHD_queue_response)                                                                          \
    X(MHD_quiesce_daemon)                                                                          \
    X(MHD_resume_connection)                                                                       \
    X(MHD_start_daemon)                                                                            \
    X(MHD_stop_daemon)                                                                             \
    X(MHD_suspend_connection)

struct mhd_lib {
#define MHD_LIB_PTR(f) __typeof__(f) *f;
    MHD_LIB_FUNCS(MHD_LIB_PTR)
#undef MHD_LIB_PTR
};
extern struct mhd_lib mhd_lib;

int mhd_lib_load(struct zc_error *err);

#ifndef MHD_LIB_IMPL
#define MHD_add_response_header         mhd_lib.MHD_add_response_header
#define MHD_create_post_processor       mhd_lib.MHD_create_post_processor
#define MHD_create_response_from_buffer mhd_lib.MHD_create_response_from_buffer
#define MHD_create_response_from_fd64   mhd_lib.MHD_create_response_from_fd64
#define MHD_destroy_post_processor      mhd_lib.MHD_destroy_post_processor
#define MHD_destroy_response            mhd_lib.MHD_destroy_response
#define MHD_get_connection_info         mhd_lib.MHD_get_connection_info
#define MHD_get_connection_values       mhd_lib.MHD_get_connection_values
#define MHD_lookup_connection_value     mhd_lib.MHD_lookup_connection_value
#define MHD_post_process                mhd_lib.MHD_post_process
#define MHD_queue_response              mhd_lib.MHD_queue_response
#define MHD_quiesce_daemon              mhd_lib.MHD_quiesce_daemon
#define MHD_resume_connection           mhd_lib.MHD_resume_connection
#define MHD_start_daemon                mhd_lib.MHD_start_daemon
#define MHD_stop_daemon                 mhd_lib.MHD_stop_daemon
#define MHD_suspend_connection          mhd_lib.MHD_suspend_connection
#endif

#endif
