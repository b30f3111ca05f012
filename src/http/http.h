/* SPDX-License-Identifier: MIT */
/* http.h - the HTTP server: JSON API under /api/v1 and the web UI's files.
 *
 * http_serve() runs libmicrohttpd (epoll, a pool of worker threads, each
 * with its own database connection) until SIGTERM or SIGINT, then stops
 * accepting, lets in-flight requests finish, commits every queued write and
 * returns. Writes go through one writer thread that commits concurrent
 * requests together (group commit); a write is acknowledged only after its
 * transaction committed. See docs/internals/http.md. */
#ifndef ZC_HTTP_H
#define ZC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/err.h"

struct http_config {
    const char *listen;      /* "ADDR:PORT", IPv4 or [IPv6] */
    const char *web_dir;     /* static files; NULL = web/ of the checkout */
    const char *db_path;     /* the database (must exist: `zhucun init`) */
    unsigned threads;        /* worker threads */
    size_t max_body;         /* bytes of a JSON request body */
    size_t max_upload;       /* bytes of an import upload */
    size_t max_buffered;     /* bytes of request bodies held in memory at once, all connections */
    size_t max_spooled;      /* bytes of uploads held in temporary files at once */
    const char *upload_dir;  /* where the private directory of those files is made;
                                NULL = $TMPDIR, else /var/tmp */
    size_t max_header;       /* memory per connection for the request head */
    int max_json_depth;      /* nesting of arrays/objects in a body */
    unsigned timeout;        /* seconds before an idle or slow connection is closed */
    unsigned header_timeout; /* seconds to send a whole request head; 0 = no deadline */
    unsigned body_timeout;   /* seconds to send a whole request body; 0 = no deadline */
    unsigned conns_per_addr; /* open connections per client address; 0 = no limit */
    int write_batch;         /* most writes committed in one transaction */
    bool secure_cookies;     /* cookies carry Secure (served over HTTPS by a proxy) */
    const char *trusted_proxies; /* "10.0.0.0/8,::1": peers whose X-Forwarded-For is believed */
    struct auth_limits limits;   /* login throttling and session lifetime */
};

void http_config_default(struct http_config *c);

/* Serve until SIGTERM/SIGINT. Returns ZC_OK after a clean shutdown, or an
 * error when the server could not start (bad address, port in use, no db). */
int http_serve(const struct http_config *c, struct zc_error *err);

/* An explanation of a plan (match/explain.h) as the JSON that
 * GET /api/v1/plans/ID/explain answers (api_plan.c); `zhucun explain
 * --format json` prints the same. One of c, v; the caller owns the value. */
struct explain_cadre;
struct explain_village;
struct json_t;
struct json_t *http_explain_json(const struct explain_cadre *c, const struct explain_village *v);

#endif
