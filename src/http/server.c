/* SPDX-License-Identifier: MIT */
/* server.c - libmicrohttpd glue: connections, bodies, authentication,
 * responses, the request log, and a graceful stop on SIGTERM.
 *
 * MHD calls on_request() several times per request. The first call only
 * sees the headers: we allocate the request, pick the route (which decides
 * the body limit), check the session and the CSRF token, and return,
 * because queueing a response on the first call makes MHD 0.9.75 close the
 * connection after every reply (see ecosystem.md §1) - except to refuse:
 * no session, no CSRF token, two Content-Lengths, a body announced too
 * large. Nothing of a refused body is read. A watchdog thread cuts
 * connections whose head or body takes longer than its deadline.
 * Middle calls carry the body. The last call dispatches. A write suspends
 * the connection until the writer has committed, then MHD calls us once
 * more and the response goes out. */
#include "http/mhd_lib.h" /* libmicrohttpd, opened on first use */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "field/field.h"
#include "http_int.h"
#include "store/store.h"

#define MAX_WORKER_STORES 512

#define STMT_CACHE 32

#define MAX_PROXIES 16

/* What a connection is waiting for, for the head and body deadlines. */
enum watch_phase {
    WATCH_HEAD, /* the next request's head (since the connection opened or the last reply) */
    WATCH_BODY, /* the rest of the body (since the head arrived) */
    WATCH_BUSY, /* us: the request is being answered */
    WATCH_CUT,  /* past a deadline; shut down, MHD closes it */
};

/* One open connection. A slow client that trickles bytes never trips the
 * idle timeout (MHD_OPTION_CONNECTION_TIMEOUT restarts at every byte), so
 * the watchdog thread shuts down connections whose head or body takes
 * longer than its deadline; MHD then sees the socket close and cleans up. */
struct conn_watch {
    int fd;                 /* the socket */
    double since;           /* start of the phase, monotonic seconds */
    enum watch_phase phase; /* what it waits for */
    struct conn_watch *prev, *next;
};

/* A range of trusted proxies: an IPv4 or IPv6 prefix (an address alone is
 * its /32 or /128). IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d), so
 * that a peer seen through a dual-stack socket matches its IPv4 range. */
struct proxy_range {
    unsigned char net[16]; /* the prefix, host bits zero */
    unsigned bits;         /* prefix length over the 128 bits */
};

/* A worker thread's database connection and its prepared statements. */
struct worker {
    struct store *store;                 /* own connection */
    struct store_stmt *session;          /* session lookup */
    char *sql[STMT_CACHE];               /* cached statements' text */
    struct store_stmt *stmt[STMT_CACHE]; /* and the statements */
    int next;                            /* slot to replace next */
};

static struct {
    const struct http_config *cfg;             /* configuration */
    char web_dir[4096];                        /* resolved static root */
    atomic_long in_flight;                     /* requests started and not completed */
    atomic_size_t buffered;                    /* request body bytes held, all requests */
    atomic_size_t spooled;                     /* upload bytes in temporary files */
    char spool_dir[4096];                      /* private directory (0700) of those files */
    pthread_mutex_t mu;                        /* guards workers */
    struct worker *workers[MAX_WORKER_STORES]; /* every worker's state */
    int nworkers;                              /* how many */
    struct proxy_range proxies[MAX_PROXIES];   /* trusted proxies */
    int nproxies;                              /* how many */
    pthread_mutex_t watch_mu;                  /* guards the watch list */
    struct conn_watch *watch;                  /* open connections (deadlines) */
    pthread_t watchdog;                        /* closes connections past a deadline */
    atomic_bool stop_watchdog;                 /* tells it to end */
} srv = {.mu = PTHREAD_MUTEX_INITIALIZER, .watch_mu = PTHREAD_MUTEX_INITIALIZER};

static _Thread_local struct worker *tl_worker; /* this thread's state */

void http_config_default(struct http_config *c)
{
    memset(c, 0, sizeof(*c));
    c->listen = "127.0.0.1:8080";
    c->threads = 4;
    c->max_body = 1 << 20;
    c->max_upload = 32 << 20;
    c->max_buffered = (size_t)256 << 20;
    c->max_spooled = (size_t)4 << 30;
    c->max_header = 32 << 10;
    c->max_json_depth = 32;
    c->timeout = 30;
    c->header_timeout = 30;
    c->body_timeout = 300;
    c->conns_per_addr = 64;
    c->write_batch = 512;
    auth_limits_default(&c->limits);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct worker *worker_get(void)
{
    struct zc_error err = {0};
    struct worker *w;
    if (tl_worker)
        return tl_worker;
    w = zc_calloc(1, sizeof(*w));
    if (store_open(srv.cfg->db_path, 0, &w->store, &err) != ZC_OK) {
        fprintf(stderr, "level=error msg=\"cannot open the database\" code=%s\n",
                zc_err_name(err.code));
        free(w);
        return NULL;
    }
    pthread_mutex_lock(&srv.mu);
    if (srv.nworkers < MAX_WORKER_STORES)
        srv.workers[srv.nworkers++] = w;
    pthread_mutex_unlock(&srv.mu);
    tl_worker = w;
    return w;
}

static void worker_free(struct worker *w)
{
    store_finalize(w->session);
    for (int i = 0; i < STMT_CACHE; i++) {
        store_finalize(w->stmt[i]);
        free(w->sql[i]);
    }
    store_close(w->store);
    free(w);
}

struct store_stmt *http_stmt(struct http_req *r, const char *sql, struct zc_error *err)
{
    struct worker *w = tl_worker;
    struct store_stmt *st = NULL;
    int slot;
    if (!w || w->store != r->store) {
        zc_error_set(err, ZC_ESTORE, "no worker connection");
        return NULL;
    }
    for (int i = 0; i < STMT_CACHE; i++) {
        if (w->sql[i] && strcmp(w->sql[i], sql) == 0) {
            store_reset(w->stmt[i]);
            return w->stmt[i];
        }
    }
    if (store_prepare(w->store, sql, &st, err) != ZC_OK)
        return NULL;
    slot = w->next;
    w->next = (w->next + 1) % STMT_CACHE;
    store_finalize(w->stmt[slot]);
    free(w->sql[slot]);
    w->sql[slot] = zc_strdup(sql);
    w->stmt[slot] = st;
    return st;
}

const char *http_arg(struct http_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct http_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

void http_defer(struct http_req *r, http_job_fn run, bool solo, void (*done)(struct http_req *r))
{
    struct http_job *j = zc_calloc(1, sizeof(*j));
    j->run = run;
    j->solo = solo;
    j->req = r;
    j->done = done;
    r->job = j;
}

static void resume_job(struct http_job *j)
{
    MHD_resume_connection(j->conn);
}

/* `s` (n bytes, blanks around allowed) as 16 bytes, IPv4 mapped; false if
 * it is not an address. */
static bool addr_bytes(const char *s, size_t n, unsigned char out[16], bool *v4)
{
    char tmp[64];
    unsigned char b4[4];
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    *v4 = inet_pton(AF_INET, tmp, b4) == 1;
    if (*v4) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, b4, 4);
        return true;
    }
    return inet_pton(AF_INET6, tmp, out) == 1;
}

/* "1.2.3.4" or "::1" as inet_ntop prints it, or false. */
static bool addr_normalize(const char *s, size_t n, char out[64])
{
    unsigned char b[16];
    bool v4;
    if (!addr_bytes(s, n, b, &v4))
        return false;
    return inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? b + 12 : b, out, 64) != NULL;
}

static bool in_range(const unsigned char a[16], const struct proxy_range *p)
{
    unsigned full = p->bits / 8, rest = p->bits % 8;
    if (memcmp(a, p->net, full) != 0)
        return false;
    return rest == 0 || ((a[full] ^ p->net[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static bool is_trusted_proxy(const char *addr)
{
    unsigned char a[16];
    bool v4;
    if (!addr_bytes(addr, strlen(addr), a, &v4))
        return false;
    for (int i = 0; i < srv.nproxies; i++) {
        if (in_range(a, &srv.proxies[i]))
            return true;
    }
    return false;
}

/* One item of --trusted-proxy: ADDR or ADDR/BITS, IPv4 or IPv6. */
static bool parse_range(const char *p, size_t n, struct proxy_range *out)
{
    const char *slash = memchr(p, '/', n);
    size_t an = slash ? (size_t)(slash - p) : n;
    bool v4 = false;
    unsigned long bits;
    if (!addr_bytes(p, an, out->net, &v4))
        return false;
    bits = v4 ? 32 : 128;
    if (slash) {
        char tmp[8], *end = NULL;
        size_t bn = n - an - 1;
        while (bn > 0 && (slash[bn] == ' ' || slash[bn] == '\t'))
            bn--;
        if (bn == 0 || bn >= sizeof(tmp))
            return false;
        memcpy(tmp, slash + 1, bn);
        tmp[bn] = '\0';
        bits = strtoul(tmp, &end, 10);
        if (*end || tmp[0] < '0' || tmp[0] > '9' || bits > (v4 ? 32u : 128u))
            return false;
    }
    out->bits = (unsigned)bits + (v4 ? 96 : 0);
    for (unsigned i = out->bits; i < 128; i++) /* clear the host bits */
        out->net[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
    return true;
}

static int parse_proxies(const char *list, struct zc_error *err)
{
    const char *p = list;
    srv.nproxies = 0;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (srv.nproxies == MAX_PROXIES)
            return zc_error_set(err, ZC_EUSAGE, "--trusted-proxy takes at most %d ranges",
                                MAX_PROXIES);
        if (!parse_range(p, n, &srv.proxies[srv.nproxies]))
            return zc_error_set(err, ZC_EUSAGE,
                                "--trusted-proxy needs IP addresses or CIDR ranges (10.0.0.0/8, "
                                "fd00::/8) separated by commas, not '%.*s'",
                                (int)n, p);
        srv.nproxies++;
        p = comma ? comma + 1 : NULL;
    }
    return ZC_OK;
}

/* Behind trusted proxies the client is the right-most address of
 * X-Forwarded-For that is not one of them (each proxy appends the peer it
 * saw; what lies left of an untrusted hop is the client's own say). A
 * request from anyone else keeps its peer address, whatever it claims. */
static void forwarded_client(struct MHD_Connection *conn, char addr[64])
{
    const char *xff;
    size_t end;
    if (srv.nproxies == 0 || !is_trusted_proxy(addr))
        return;
    xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        char hop[64];
        while (start > 0 && xff[start - 1] != ',')
            start--;
        if (!addr_normalize(xff + start, end - start, hop))
            return; /* garbage: keep the last trusted hop */
        memcpy(addr, hop, 64);
        if (!is_trusted_proxy(hop))
            return;
        end = start > 0 ? start - 1 : 0;
    }
}

static struct conn_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void watch_set(struct MHD_Connection *conn, enum watch_phase phase)
{
    struct conn_watch *w = watch_of(conn);
    if (!w)
        return;
    pthread_mutex_lock(&srv.watch_mu);
    if (w->phase != WATCH_CUT) {
        w->phase = phase;
        w->since = now_seconds();
    }
    pthread_mutex_unlock(&srv.watch_mu);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct conn_watch *w = *socket_context;
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        w = zc_calloc(1, sizeof(*w));
        w->fd = ci ? ci->connect_fd : -1;
        w->since = now_seconds();
        w->phase = WATCH_HEAD;
        pthread_mutex_lock(&srv.watch_mu);
        w->next = srv.watch;
        if (srv.watch)
            srv.watch->prev = w;
        srv.watch = w;
        pthread_mutex_unlock(&srv.watch_mu);
        *socket_context = w;
    } else if (w) {
        /* Called before MHD closes the socket: once out of the list, the
         * watchdog cannot touch a descriptor that may be reused. */
        pthread_mutex_lock(&srv.watch_mu);
        if (w->prev)
            w->prev->next = w->next;
        else
            srv.watch = w->next;
        if (w->next)
            w->next->prev = w->prev;
        pthread_mutex_unlock(&srv.watch_mu);
        free(w);
        *socket_context = NULL;
    }
}

static void *watchdog_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&srv.stop_watchdog)) {
        struct timespec ts = {0, 250 * 1000 * 1000};
        double now = now_seconds();
        pthread_mutex_lock(&srv.watch_mu);
        for (struct conn_watch *w = srv.watch; w; w = w->next) {
            double limit = w->phase == WATCH_HEAD   ? srv.cfg->header_timeout
                           : w->phase == WATCH_BODY ? srv.cfg->body_timeout
                                                    : 0;
            if (limit > 0 && w->fd >= 0 && now - w->since > limit) {
                shutdown(w->fd, SHUT_RDWR);
                w->phase = WATCH_CUT;
            }
        }
        pthread_mutex_unlock(&srv.watch_mu);
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static struct http_req *req_new(struct MHD_Connection *conn, const char *method, const char *url)
{
    struct http_req *r = zc_calloc(1, sizeof(*r));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    r->conn = conn;
    r->cfg = srv.cfg;
    r->method = method;
    r->path = url;
    r->fd = -1;
    r->spool_fd = -1;
    r->spool_above = SIZE_MAX;
    r->status = 500;
    r->t0 = now_seconds();
    r->limit = srv.cfg->max_body;
    snprintf(r->addr, sizeof(r->addr), "unknown");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->addr,
                      sizeof(r->addr));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      r->addr, sizeof(r->addr));
    }
    forwarded_client(conn, r->addr);
    return r;
}

static void body_drop(struct http_req *r)
{
    atomic_fetch_sub(&srv.buffered, r->held);
    r->held = 0;
    buf_fini(&r->body);
    if (r->map)
        munmap(r->map, r->spooled);
    r->map = NULL;
    if (r->spool_fd >= 0)
        close(r->spool_fd);
    r->spool_fd = -1;
    atomic_fetch_sub(&srv.spooled, r->spooled);
    r->spooled = 0;
    r->data = NULL;
    r->data_len = 0;
}

static void req_free(struct http_req *r)
{
    if (r->ctx_free)
        r->ctx_free(r->ctx);
    body_drop(r);
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    if (r->fd >= 0)
        close(r->fd);
    buf_fini(&r->out);
    free(r->job);
    free(r);
}

/* Reserve n bytes of `total` under `cap`; false (nothing reserved) past it. */
static bool reserve(atomic_size_t *total, size_t n, size_t cap)
{
    if (atomic_fetch_add(total, n) + n > cap) {
        atomic_fetch_sub(total, n);
        return false;
    }
    return true;
}

/* Write all of p to the spool file, counted in the disk total. */
static void spool_write(struct http_req *r, const char *p, size_t n)
{
    if (!reserve(&srv.spooled, n, srv.cfg->max_spooled)) {
        r->disk_busy = true;
        body_drop(r);
        return;
    }
    r->spooled += n;
    while (n > 0) {
        ssize_t w = write(r->spool_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "level=error msg=\"cannot write an upload to %s\" error=\"%s\"\n",
                    srv.spool_dir, strerror(errno));
            r->spool_error = true; /* ENOSPC most likely: the answer is 503 */
            body_drop(r);
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Move the body to a new file of the private directory: unlinked at once,
 * so that it goes away with the descriptor, however the request ends (a
 * kill -9 included). */
static bool spool_open(struct http_req *r)
{
    char path[sizeof(srv.spool_dir) + 32];
    struct buf b = r->body;
    snprintf(path, sizeof(path), "%s/upload-XXXXXX", srv.spool_dir);
    r->spool_fd = mkostemp(path, O_CLOEXEC);
    if (r->spool_fd < 0) {
        fprintf(stderr, "level=error msg=\"cannot make an upload file in %s\" error=\"%s\"\n",
                srv.spool_dir, strerror(errno));
        r->spool_error = true;
        body_drop(r);
        return false;
    }
    unlink(path);
    memset(&r->body, 0, sizeof(r->body));
    atomic_fetch_sub(&srv.buffered, r->held);
    r->held = 0;
    if (b.len)
        spool_write(r, b.p, b.len);
    buf_fini(&b);
    return r->spool_fd >= 0;
}

/* A body is held in memory until its handler runs, or, for an upload past
 * HTTP_SPOOL_ABOVE, written to a temporary file that the handler reads
 * mapped (issue 17: twenty 30 MiB imports at once held 600 MiB). Each
 * request is bounded by its route's limit; bodies in memory together by
 * max_buffered, upload files together by max_spooled. Past a total the
 * request is answered 503 and its bytes are dropped as they come. */
static void body_append(struct http_req *r, const char *data, size_t n)
{
    if (r->too_big || r->busy || r->disk_busy || r->spool_error)
        return;
    if (r->body.len + r->spooled + n > r->limit) {
        r->too_big = true;
        body_drop(r);
        return;
    }
    if (r->spool_fd < 0 && r->body.len + n > r->spool_above && !spool_open(r))
        return;
    if (r->spool_fd >= 0) {
        spool_write(r, data, n);
        return;
    }
    if (!reserve(&srv.buffered, n, srv.cfg->max_buffered)) {
        r->busy = true;
        body_drop(r);
        return;
    }
    r->held += n;
    buf_append(&r->body, data, n);
}

/* Multipart uploads: the field "kind" and the first file. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    struct http_req *r = cls;
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    if (filename) {
        if (!r->upload_name[0])
            snprintf(r->upload_name, sizeof(r->upload_name), "%s", filename);
        if (strcmp(filename, r->upload_name) == 0)
            body_append(r, data, size);
    } else if (key && strcmp(key, "kind") == 0 && off + size < sizeof(r->upload_kind)) {
        memcpy(r->upload_kind + off, data, size);
        r->upload_kind[off + size] = '\0';
    }
    return MHD_YES;
}

static enum MHD_Result send_response(struct http_req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    if (r->fd >= 0) {
        resp = MHD_create_response_from_fd64((uint64_t)r->fd_size, r->fd);
        r->fd = -1; /* MHD closes it */
    } else {
        size_t len = r->out.len;
        char *p = buf_steal(&r->out);
        resp = p ? MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE)
                 : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    if (r->ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
    /* Scripts from the UI's own files only, never inside another site's
     * frame, no address of ours in other sites' logs (issue 17). Inline
     * style attributes stay allowed: ECharts writes its tooltips with them
     * (CSS cannot run code); data: images are the charts' own exports. */
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self' "
                            "'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; "
                            "base-uri 'none'; form-action 'self'; object-src 'none'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (strncmp(r->path, "/api/", 5) == 0)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (int i = 0; i < 2; i++) {
        if (r->cookie[i][0])
            MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->cookie[i]);
    }
    for (int i = 0; i < 4; i++) {
        if (r->extra_name[i][0])
            MHD_add_response_header(resp, r->extra_name[i], r->extra_value[i]);
    }
    ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->queued = true;
    return ret;
}

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static void authenticate(struct http_req *r)
{
    const char *h = http_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *tok = NULL;
    struct zc_error err = {0};
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        tok = h + 7;
        while (*tok == ' ')
            tok++;
    } else {
        tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "zc_session");
        r->via_cookie = tok != NULL;
    }
    r->auth_done = true;
    if (!tok || strlen(tok) != AUTH_TOKEN_LEN)
        return;
    if (auth_session_get(r->store, &tl_worker->session, tok, AUTH_TOKEN_LEN, (int64_t)time(NULL),
                         r->cfg->limits.session_idle, &r->who, &err) == ZC_OK) {
        r->authed = true;
        r->log_user = r->who.acct.name;
        memcpy(r->token, tok, AUTH_TOKEN_LEN + 1);
    }
}

/* The session and CSRF checks, from the headers alone: on_request() runs
 * them on its first call, before any body byte is read (issue 17: an
 * unauthenticated client could make the server buffer 32 MiB per
 * connection). False with the response set when the request is refused. */
static bool gate(struct http_req *r)
{
    if (!r->store)
        r->store = worker_get() ? tl_worker->store : NULL;
    if (!r->store) {
        http_error(r, 503, "unavailable", "the database is not available");
        return false;
    }
    if (!r->auth_done)
        authenticate(r);
    if (!(r->route->flags & HR_PUBLIC) && !r->authed) {
        http_add_header(r, "WWW-Authenticate", "Bearer");
        http_error(r, 401, "unauthorized", "log in first (POST /api/v1/session)");
        return false;
    }
    if (r->authed && r->via_cookie && unsafe_method(r->method)) {
        const char *csrf = http_header(r, "X-CSRF-Token");
        if (!csrf || !auth_secret_equal(csrf, r->who.csrf)) {
            http_error(r, 403, "csrf",
                       "a cookie session needs the X-CSRF-Token header for %s requests", r->method);
            return false;
        }
    }
    return true;
}

static void dispatch(struct http_req *r)
{
    const struct http_route *route = NULL;
    size_t nroutes;
    const struct http_route *table = http_api_routes(&nroutes);
    enum http_match m;

    if (strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/api") != 0) {
        if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
            http_error(r, 405, "method_not_allowed", "static files are read with GET");
            return;
        }
        http_static(r, srv.web_dir);
        return;
    }
    m = http_route_find(table, nroutes, r->method, r->path, &route, r->params, r->param_store,
                        sizeof(r->param_store));
    if (m == HM_NOT_FOUND) {
        http_error(r, 404, "not_found", "no such endpoint");
        return;
    }
    if (m == HM_BAD_METHOD) {
        http_error(r, 405, "method_not_allowed", "%s is not allowed here", r->method);
        return;
    }
    r->route = route;
    if (!gate(r))
        return;
    if (r->too_big) {
        http_error(r, 413, "too_large", "the request body is larger than %zu bytes", r->limit);
        return;
    }
    if (r->busy || r->disk_busy || r->spool_error) {
        http_add_header(r, "Retry-After", "5");
        if (r->busy)
            http_error(r, 503, "unavailable",
                       "the server is holding %zu bytes of request bodies in memory, its limit "
                       "(--max-buffered); send again shortly",
                       r->cfg->max_buffered);
        else if (r->disk_busy)
            http_error(r, 503, "unavailable",
                       "the server is holding %zu bytes of uploads on disk, its limit "
                       "(--max-spooled); send again shortly",
                       r->cfg->max_spooled);
        else
            http_error(r, 503, "unavailable", "no room for the upload on the server's disk");
        return;
    }
    if (r->bad_upload) {
        http_error(r, 400, "invalid_input", "the multipart body is malformed");
        return;
    }
    if (r->spool_fd >= 0) {
        r->map = mmap(NULL, r->spooled, PROT_READ, MAP_PRIVATE, r->spool_fd, 0);
        if (r->map == MAP_FAILED) {
            r->map = NULL;
            http_error(r, 503, "unavailable", "cannot read the upload back");
            return;
        }
        madvise(r->map, r->spooled, MADV_SEQUENTIAL);
        r->data = r->map;
        r->data_len = r->spooled;
    } else {
        r->data = r->body.p;
        r->data_len = r->body.len;
    }
    route->fn(r);
}

/* Counts Content-Length headers (MHD keeps the first of several). */
static enum MHD_Result count_content_length(void *cls, enum MHD_ValueKind kind, const char *key,
                                            const char *value)
{
    (void)kind;
    (void)value;
    if (key && strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        (*(int *)cls)++;
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_req *r = *con_cls;
    (void)cls;
    (void)version;
    if (!r) {
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *ct =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        const struct http_route *route = NULL;
        const char *params[HTTP_MAX_PARAMS];
        char store[256];
        size_t nroutes;
        const struct http_route *table = http_api_routes(&nroutes);
        r = req_new(conn, method, url);
        *con_cls = r;
        atomic_fetch_add(&srv.in_flight, 1);
        int ncl = 0;
        watch_set(conn, WATCH_BODY);
        /* RFC 9112 6.3: several Content-Length headers are a framing error
         * (request smuggling behind a proxy that keeps another one). */
        MHD_get_connection_values(conn, MHD_HEADER_KIND, count_content_length, &ncl);
        if (ncl > 1) {
            http_error(r, 400, "invalid_input", "more than one Content-Length header");
            return send_response(r);
        }
        if (http_route_find(table, nroutes, method, url, &route, params, store, sizeof(store)) ==
            HM_FOUND) {
            /* Refuse before the body: no session, no CSRF token, no reading. */
            r->route = route;
            if (!gate(r))
                return send_response(r);
            r->route = NULL; /* dispatch() matches again, with the parameters */
            if (route->flags & HR_UPLOAD) {
                r->spool_above = HTTP_SPOOL_ABOVE;
                r->limit = srv.cfg->max_upload;
                if ((route->flags & HR_PHOTO) && r->limit > FIELD_PHOTO_MAX_BYTES + 65536)
                    r->limit = FIELD_PHOTO_MAX_BYTES + 65536;
                if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
                    r->pp = MHD_create_post_processor(conn, 64 * 1024, on_part, r);
            }
        }
        if (cl) {
            char *end = NULL;
            unsigned long long n = strtoull(cl, &end, 10);
            if (end == cl || *end || n > r->limit) {
                /* Refuse at once: reading a body we will not use helps no one. */
                r->too_big = true;
                http_error(r, 413, "too_large", "the request body is larger than %zu bytes",
                           r->limit);
                return send_response(r);
            }
            /* An upload announced past HTTP_SPOOL_ABOVE goes to its file
             * from the first byte: would it fit beside the bodies held now? */
            bool to_file = n > r->spool_above;
            size_t mem = to_file ? 0 : (size_t)n, disk = to_file ? (size_t)n : 0;
            if (to_file)
                r->spool_above = 0;
            size_t held = atomic_load(&srv.buffered), cap = srv.cfg->max_buffered;
            size_t sheld = atomic_load(&srv.spooled), scap = srv.cfg->max_spooled;
            r->busy = held > cap || mem > cap - held;
            r->disk_busy = !r->busy && (sheld > scap || disk > scap - sheld);
            if (r->busy || r->disk_busy) {
                dispatch(r);
                return send_response(r);
            }
        }
        return MHD_YES;
    }
    if (r->queued) {
        *upload_data_size = 0; /* discard what follows an early refusal */
        return MHD_YES;
    }
    if (r->job) {
        if (!atomic_load(&r->job->finished))
            return MHD_YES;
        r->job->done(r);
        return send_response(r);
    }
    if (*upload_data_size) {
        if (r->pp && !r->too_big) {
            if (MHD_post_process(r->pp, upload_data, *upload_data_size) != MHD_YES)
                r->bad_upload = true;
        } else {
            body_append(r, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    watch_set(conn, WATCH_BUSY);
    dispatch(r);
    if (r->job) {
        r->job->conn = conn;
        MHD_suspend_connection(conn);
        http_writer_submit(r->job);
        return MHD_YES;
    }
    return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_req *r = *con_cls;
    char path[512], ts[40];
    struct timespec now;
    struct tm tm;
    (void)cls;
    if (!r)
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    http_log_redact(r->path, path, sizeof(path));
    /* One line per request, no query string (filters may hold names), no
     * tokens, ID numbers masked. */
    fprintf(stderr,
            "ts=%s.%03ldZ level=info method=%s path=\"%s\" status=%d ms=%.2f user=%s addr=%s%s\n",
            ts, now.tv_nsec / 1000000, r->method, path, r->queued ? r->status : 0,
            (now_seconds() - r->t0) * 1000.0, r->log_user ? r->log_user : "-", r->addr,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK      ? ""
            : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? " end=timeout"
                                                            : " end=aborted");
    req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv.in_flight, 1);
    watch_set(conn, WATCH_HEAD); /* keep-alive: the next head has its deadline */
}

/* The private directory of upload files: mode 0700 under upload_dir,
 * $TMPDIR or /var/tmp (not /tmp, often a tmpfs: memory again). */
static int spool_dir_make(const struct http_config *c, struct zc_error *err)
{
    const char *base = c->upload_dir;
    if (!base || !*base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/var/tmp";
    if ((size_t)snprintf(srv.spool_dir, sizeof(srv.spool_dir), "%s/zhucun-uploads-XXXXXX", base) >=
        sizeof(srv.spool_dir) - 32)
        return zc_error_set(err, ZC_EUSAGE, "--upload-dir: the path is too long");
    if (!mkdtemp(srv.spool_dir))
        return zc_error_set(err, ZC_EIO, "cannot make a directory for uploads in %s: %s", base,
                            strerror(errno));
    return ZC_OK;
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6, struct zc_error *err)
{
    char host[128];
    const char *colon = strrchr(s, ':');
    char *end = NULL;
    long port;
    size_t hl;
    memset(ss, 0, sizeof(*ss));
    if (!colon)
        return zc_error_set(err, ZC_EUSAGE, "--listen needs ADDR:PORT, not '%s'", s);
    port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 1 || port > 65535)
        return zc_error_set(err, ZC_EUSAGE, "bad port in '%s'", s);
    hl = (size_t)(colon - s);
    if (hl >= sizeof(host))
        return zc_error_set(err, ZC_EUSAGE, "bad address '%s'", s);
    memcpy(host, s, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        host[hl - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return zc_error_set(err, ZC_EUSAGE, "bad IPv6 address in '%s'", s);
        *v6 = true;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, hl ? host : "0.0.0.0", &a->sin_addr) != 1)
            return zc_error_set(err, ZC_EUSAGE, "bad IPv4 address in '%s'", s);
        *v6 = false;
    }
    return ZC_OK;
}

int http_serve(const struct http_config *c, struct zc_error *err)
{
    struct sockaddr_storage ss;
    struct MHD_Daemon *d;
    MHD_socket ls;
    struct store *probe = NULL;
    sigset_t set;
    bool v6 = false;
    int rc, sig = 0;
    unsigned flags;

    srv.cfg = c;
    rc = mhd_lib_load(err);
    if (rc == ZC_OK)
        rc = auth_init(err);
    if (rc == ZC_OK)
        rc = parse_listen(c->listen, &ss, &v6, err);
    if (rc == ZC_OK)
        rc = parse_proxies(c->trusted_proxies, err);
    /* A key file that cannot be read stops the start, not every write. */
    if (rc == ZC_OK) {
        bool keyed = false;
        rc = audit_key(&keyed, err);
    }
    /* Fail now, not on the first request, if the database is missing. */
    if (rc == ZC_OK)
        rc = store_open(c->db_path, 0, &probe, err);
    store_close(probe);
    if (rc == ZC_OK)
        rc = spool_dir_make(c, err);
    if (rc != ZC_OK)
        return rc;
    if (c->web_dir)
        snprintf(srv.web_dir, sizeof(srv.web_dir), "%s", c->web_dir);
    else
        http_default_web_dir(srv.web_dir, sizeof(srv.web_dir));

    /* Workers inherit this mask, so only sigwait() below sees the signals. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    rc = http_writer_start(c->db_path, c->write_batch, resume_job, err);
    if (rc != ZC_OK) {
        rmdir(srv.spool_dir);
        return rc;
    }
    flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;
    if (v6)
        flags |= MHD_USE_IPv6;
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads ? c->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, c->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        c->max_header, MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        c->conns_per_addr, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_END);
    if (d && pthread_create(&srv.watchdog, NULL, watchdog_main, NULL) != 0) {
        MHD_stop_daemon(d);
        d = NULL;
    }
    if (!d) {
        http_writer_stop();
        rmdir(srv.spool_dir);
        return zc_error_set(err, ZC_EIO, "cannot listen on %s: %s", c->listen, strerror(errno));
    }
    fprintf(stderr, "level=info msg=listening addr=%s threads=%u web=\"%s\"\n", c->listen,
            c->threads, srv.web_dir);

    sigdelset(&set, SIGPIPE);
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "level=info msg=stopping signal=%d in_flight=%ld\n", sig,
            atomic_load(&srv.in_flight));
    /* MHD's threads may still use the quiesced listen socket: it is closed
     * only after MHD_stop_daemon (closing it here made MHD abort, "Failed to
     * remove listen FD from epoll set", once in a while under load). */
    ls = MHD_quiesce_daemon(d);
    /* In-flight requests finish (bounded: a stuck client cannot hold the
     * stop forever; MHD's own timeout closes it). */
    for (int i = 0; i < 3000 && atomic_load(&srv.in_flight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    http_writer_stop();
    atomic_store(&srv.stop_watchdog, true);
    pthread_join(srv.watchdog, NULL);
    MHD_stop_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    pthread_mutex_lock(&srv.mu);
    for (int i = 0; i < srv.nworkers; i++)
        worker_free(srv.workers[i]);
    srv.nworkers = 0;
    pthread_mutex_unlock(&srv.mu);
    rmdir(srv.spool_dir); /* empty: its files were unlinked when made */
    fprintf(stderr, "level=info msg=stopped\n");
    return ZC_OK;
}
