/* SPDX-License-Identifier: MIT */
/* http_int.h - shared inside src/http: the request, the router, JSON and
 * response helpers, the writer (group commit) and the scope helpers.
 *
 * A handler reads a struct http_req and fills its response fields; it never
 * touches libmicrohttpd. Reads run on the worker's own connection
 * (r->store). Writes are packaged as a struct http_job and handed to the
 * writer with http_defer(); the handler's `done` callback builds the
 * response after the commit. */
#ifndef ZC_HTTP_INT_H
#define ZC_HTTP_INT_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/mem.h"
#include "base/scope.h"
#include "http.h"

struct store;
struct http_req;

/* ---- router --------------------------------------------------------------- */

enum http_route_flags {
    HR_PUBLIC = 1 << 0, /* no session needed (login, static files) */
    HR_UPLOAD = 1 << 1, /* body may be as large as max_upload (imports) */
    HR_PHOTO = 1 << 2,  /* with HR_UPLOAD: at most a photo (FIELD_PHOTO_MAX_BYTES + 64 KiB) */
};

#define HTTP_MAX_PARAMS 3

/* An upload's body goes to a temporary file once it passes this many bytes
 * (server.c); below it, and for JSON bodies, it stays in memory. */
#define HTTP_SPOOL_ABOVE (64 * 1024)

typedef void (*http_handler)(struct http_req *r);

struct http_route {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/v1/villages/:code" */
    http_handler fn;     /* handler */
    int flags;           /* enum http_route_flags */
};

enum http_match {
    HM_FOUND,      /* route found, params filled */
    HM_NOT_FOUND,  /* no pattern matches the path */
    HM_BAD_METHOD, /* a pattern matches, but not with this method */
};

/* Match `method` and `path` against the table. Parameter values are copied
 * into `store` (size n) and params[i] points into it. */
enum http_match http_route_find(const struct http_route *table, size_t count, const char *method,
                                const char *path, const struct http_route **out,
                                const char *params[HTTP_MAX_PARAMS], char *store, size_t n);

/* The API table (api.c). */
const struct http_route *http_api_routes(size_t *count);

/* ---- JSON --------------------------------------------------------------- */

/* Nesting depth of arrays and objects in `p` (strings skipped), or -1 when
 * the depth passes `max` (the scan stops there). */
int http_json_depth(const char *p, size_t n, int max);

/* Parse a request body as a JSON object with depth and size limits. On
 * failure sets the 400/413 error response and returns NULL. */
json_t *http_json_body(struct http_req *r);

/* ---- the request ---------------------------------------------------------- */

struct http_job;
typedef int (*http_job_fn)(struct store *s, struct http_job *j, struct zc_error *err);

struct http_job {
    http_job_fn run;                  /* does the write; in the writer thread */
    bool solo;                        /* runs in a transaction of its own (imports) */
    struct http_req *req;             /* the request it belongs to */
    void (*done)(struct http_req *r); /* builds the response after the commit */
    int rc;                           /* result of run + commit */
    struct zc_error err;              /* message when rc != ZC_OK */
    atomic_bool finished;             /* set by the writer before resuming */
    void *conn;                       /* struct MHD_Connection to resume */
    struct http_job *next;            /* writer queue */
};

struct http_req {
    /* input */
    void *conn;                          /* struct MHD_Connection */
    const struct http_config *cfg;       /* server configuration */
    const char *method;                  /* "GET" ... (borrowed from MHD) */
    const char *path;                    /* URL path, without the query */
    const char *params[HTTP_MAX_PARAMS]; /* path parameters from the router */
    char param_store[256];               /* their bytes */
    const struct http_route *route;      /* matched route, or NULL */
    const char *data;                    /* the body as handlers read it (not NUL-terminated) */
    size_t data_len;                     /* its bytes */
    struct buf body;                     /* the body while in memory (bounded) */
    int spool_fd;                        /* an upload past HTTP_SPOOL_ABOVE: its temp file, or -1 */
    size_t spooled;                      /* bytes written to it (in the server's disk total) */
    void *map;                           /* the spool file mapped for the handler, or NULL */
    size_t spool_above;        /* the body goes to a file past this many bytes (SIZE_MAX: never) */
    bool too_big;              /* body passed its limit: 413 */
    bool bad_upload;           /* malformed multipart body: 400 */
    bool busy;                 /* the server holds max_buffered bytes: 503 */
    bool disk_busy;            /* uploads on disk hold max_spooled bytes: 503 */
    bool spool_error;          /* the spool file could not be written: 503 */
    size_t held;               /* bytes of body counted in the server's total */
    size_t limit;              /* body limit for this route */
    char addr[64];             /* client address */
    struct store *store;       /* the worker thread's connection */
    bool auth_done;            /* the session was looked up already */
    bool authed;               /* who is valid */
    bool via_cookie;           /* authenticated by cookie (CSRF applies) */
    struct auth_principal who; /* the caller */
    char token[AUTH_TOKEN_LEN + 1]; /* the caller's token (logout) */
    void *pp;                       /* struct MHD_PostProcessor for multipart */
    char upload_kind[32];           /* multipart field "kind" */
    char upload_name[128];          /* multipart file name */
    /* response */
    int status;             /* HTTP status */
    struct buf out;         /* response body */
    const char *ctype;      /* Content-Type */
    char cookie[2][400];    /* Set-Cookie values */
    char extra_name[4][32]; /* other headers */
    char extra_value[4][200];
    int fd;          /* static file to send, or -1 */
    int64_t fd_size; /* its size */
    bool queued;     /* a response was queued already */
    /* deferred write */
    struct http_job *job;        /* set by http_defer() */
    void *ctx;                   /* handler state between defer and done */
    void (*ctx_free)(void *ctx); /* releases ctx */
    /* logging */
    double t0;            /* start, seconds */
    const char *log_user; /* account name for the log line */
};

/* A prepared statement for `sql` on the worker's connection, kept between
 * requests (reset, bindings cleared). The caller resets it when done and
 * never finalizes it. NULL with err set on failure. */
struct store_stmt *http_stmt(struct http_req *r, const char *sql, struct zc_error *err);

/* Query string and header values (NULL if absent). */
const char *http_arg(struct http_req *r, const char *key);
const char *http_header(struct http_req *r, const char *key);

/* Set a JSON response; takes the reference to `v`. */
void http_json(struct http_req *r, int status, json_t *v);
/* Set an error response {"error":{"code":..,"message":..}}. */
void http_error(struct http_req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same from a zc_error (status from the error table). */
void http_zc_error(struct http_req *r, const struct zc_error *err);
void http_add_header(struct http_req *r, const char *name, const char *value);

/* Hand a write to the writer thread; the response is built by `done` once
 * committed. */
void http_defer(struct http_req *r, http_job_fn run, bool solo, void (*done)(struct http_req *r));

/* ---- the writer (writer.c) ---------------------------------------------- */

int http_writer_start(const char *db_path, int batch, void (*resume)(struct http_job *j),
                      struct zc_error *err);
void http_writer_submit(struct http_job *j);
/* Finish every queued job, then stop the thread. */
void http_writer_stop(void);

/* ---- scope and permissions (scope.c) -------------------------------------- */

/* The caller's jurisdiction as a value for the domain modules (base/scope.h):
 * one cadre for a cadre account, the account's division range for scoped
 * staff, everywhere for unscoped roles. */
struct zc_scope http_scope_value(const struct http_req *r);
/* The caller's scope narrowed to ?scope=CODE when given: false (and the
 * answer sent: 404 outside the jurisdiction, 400 for a bad code) if not. */
bool http_scope_narrowed(struct http_req *r, const char *arg, struct zc_scope *sc);
bool http_can_read(const struct http_req *r);
bool http_can_write(const struct http_req *r); /* staff and admin */
bool http_sees_id_numbers(const struct http_req *r);

/* The jurisdiction of an account (a copy kept for a deferred write). */
struct zc_scope http_scope_of(const struct auth_principal *p);

/* ---- static files (static.c) ---------------------------------------------- */

void http_static(struct http_req *r, const char *web_dir);
const char *http_content_type(const char *path);
/* Default web/ directory next to the checkout of the running binary. */
const char *http_default_web_dir(char *out, size_t n);

/* Mask long digit runs (ID numbers) in `s` for logging, into out. */
void http_log_redact(const char *s, char *out, size_t n);

#endif
