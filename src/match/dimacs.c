/* SPDX-License-Identifier: MIT */
/* dimacs.c - the DIMACS min-cost-flow reader.
 *
 * One line parser is fed by two drivers: a memory buffer, and a stream read
 * in 1 MiB blocks (a partial last line is carried over to the next block).
 * Every check that can name a line is done here rather than left to
 * mcf_add_arc, so that a user learns where the file is wrong. */
#include "match/dimacs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/err.h"
#include "base/mem.h"
#include "match/mcf.h"

#define LINE_MAX_LEN (1 << 16)
#define BLOCK        (1 << 20)

struct parser {
    const char *name;      /* for messages */
    size_t line;           /* current line number, 1-based */
    struct mcf *m;         /* built network, NULL before the p line */
    int32_t n;             /* nodes declared */
    int64_t arcs_declared; /* ARCS of the p line */
    int64_t arcs_seen;     /* a lines so far */
    uint8_t *supply_seen;  /* node -> 1 once an n line named it */
    struct zc_error *err;  /* where errors go */
    size_t input_bytes;    /* size of the whole input when known, else 0 */
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return zc_error_set(p->err, ZC_EINVAL, "%s: line %zu: %s", p->name, p->line, msg);
}

static void skip_space(const char **s, const char *end)
{
    while (*s < end && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++;
}

/* A signed decimal integer; false if absent, malformed or beyond int64. */
static bool parse_int(const char **s, const char *end, int64_t *out)
{
    const char *q;
    bool neg = false;
    uint64_t v = 0, limit;

    skip_space(s, end);
    q = *s;
    if (q < end && (*q == '-' || *q == '+')) {
        neg = *q == '-';
        q++;
    }
    if (q == end || *q < '0' || *q > '9')
        return false;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    while (q < end && *q >= '0' && *q <= '9') {
        uint64_t dgt = (uint64_t)(*q - '0');
        if (v > (limit - dgt) / 10)
            return false;
        v = v * 10 + dgt;
        q++;
    }
    if (q < end && *q != ' ' && *q != '\t' && *q != '\r')
        return false;
    *s = q;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool at_end(const char **s, const char *end)
{
    skip_space(s, end);
    return *s == end;
}

static int node_id(struct parser *p, int64_t id, const char *what, int32_t *out)
{
    if (id < 1 || id > p->n)
        return fail(p, "%s %lld is out of range 1..%d", what, (long long)id, p->n);
    *out = (int32_t)(id - 1);
    return ZC_OK;
}

static int parse_p(struct parser *p, const char *s, const char *end)
{
    int64_t n, m;
    const char *w;
    if (p->m)
        return fail(p, "a second 'p' line");
    skip_space(&s, end);
    w = s;
    while (s < end && *s != ' ' && *s != '\t' && *s != '\r')
        s++;
    if (s - w != 3 || memcmp(w, "min", 3) != 0)
        return fail(p, "problem type '%.*s' is not 'min'", (int)(s - w > 20 ? 20 : s - w), w);
    if (!parse_int(&s, end, &n) || !parse_int(&s, end, &m) || !at_end(&s, end))
        return fail(p, "expected 'p min NODES ARCS'");
    if (n < 0 || n > MCF_NODES_MAX)
        return fail(p, "node count %lld is out of range 0..%d", (long long)n, MCF_NODES_MAX);
    if (m < 0 || m > ((int64_t)1 << 40))
        return fail(p, "arc count %lld is out of range", (long long)m);
    /* Sizes out of proportion to the input would allocate gigabytes for a
     * file of a few bytes: an arc line takes at least 8 bytes, and a node is
     * an arc's end or named by an n line (isolated nodes are allowed, one
     * per input byte). */
    if (p->input_bytes && (uint64_t)m > p->input_bytes / 8 + 1)
        return fail(p, "%lld arcs declared, but the input (%zu bytes) can hold at most %zu",
                    (long long)m, p->input_bytes, p->input_bytes / 8 + 1);
    if (p->input_bytes && (uint64_t)n > 2 * (uint64_t)m + p->input_bytes + 16)
        return fail(p, "%lld nodes declared for %lld arcs in %zu bytes: out of proportion",
                    (long long)n, (long long)m, p->input_bytes);
    p->n = (int32_t)n;
    p->arcs_declared = m;
    p->m = mcf_new(p->n, m);
    p->supply_seen = zc_calloc((size_t)n + 1, 1);
    return ZC_OK;
}

static int parse_n(struct parser *p, const char *s, const char *end)
{
    int64_t id, b;
    int32_t v = 0;
    int rc;
    if (!p->m)
        return fail(p, "'n' line before the 'p min' line");
    if (!parse_int(&s, end, &id) || !parse_int(&s, end, &b) || !at_end(&s, end))
        return fail(p, "expected 'n ID SUPPLY'");
    rc = node_id(p, id, "node", &v);
    if (rc != ZC_OK)
        return rc;
    if (p->supply_seen[v])
        return fail(p, "node %lld has a second 'n' line", (long long)id);
    if (b < -MCF_CAP_MAX || b > MCF_CAP_MAX)
        return fail(p, "supply %lld of node %lld is beyond +-%lld", (long long)b, (long long)id,
                    (long long)MCF_CAP_MAX);
    p->supply_seen[v] = 1;
    mcf_set_supply(p->m, v, b);
    return ZC_OK;
}

static int parse_a(struct parser *p, const char *s, const char *end)
{
    int64_t from, to, lo, cap, cost;
    int32_t u = 0, v = 0;
    int rc;
    if (!p->m)
        return fail(p, "'a' line before the 'p min' line");
    if (p->arcs_seen == p->arcs_declared)
        return fail(p, "more 'a' lines than the %lld declared", (long long)p->arcs_declared);
    if (!parse_int(&s, end, &from) || !parse_int(&s, end, &to) || !parse_int(&s, end, &lo) ||
        !parse_int(&s, end, &cap) || !parse_int(&s, end, &cost) || !at_end(&s, end))
        return fail(p, "expected 'a FROM TO LOW CAP COST' with integers");
    rc = node_id(p, from, "arc tail", &u);
    if (rc == ZC_OK)
        rc = node_id(p, to, "arc head", &v);
    if (rc != ZC_OK)
        return rc;
    if (lo < 0 || lo > cap)
        return fail(p, "arc bounds %lld..%lld: need 0 <= LOW <= CAP", (long long)lo,
                    (long long)cap);
    if (cap > MCF_CAP_MAX)
        return fail(p, "arc capacity %lld is above %lld", (long long)cap, (long long)MCF_CAP_MAX);
    if (cost < -MCF_COST_MAX || cost > MCF_COST_MAX)
        return fail(p, "arc cost %lld is beyond +-%lld", (long long)cost, (long long)MCF_COST_MAX);
    mcf_add_arc(p->m, u, v, lo, cap, cost);
    p->arcs_seen++;
    return ZC_OK;
}

static int parse_line(struct parser *p, const char *s, size_t len)
{
    const char *end = s + len;
    skip_space(&s, end);
    if (s == end || *s == 'c')
        return ZC_OK;
    if (s + 1 < end && s[1] != ' ' && s[1] != '\t')
        return fail(p, "unknown line type '%.*s'", (int)(end - s > 10 ? 10 : end - s), s);
    switch (*s) {
    case 'p':
        return parse_p(p, s + 1, end);
    case 'n':
        return parse_n(p, s + 1, end);
    case 'a':
        return parse_a(p, s + 1, end);
    default:
        return fail(p, "unknown line type '%c'", *s);
    }
}

static int finish(struct parser *p, struct mcf **out)
{
    if (!p->m) {
        free(p->supply_seen);
        return zc_error_set(p->err, ZC_EINVAL, "%s: no 'p min' line", p->name);
    }
    if (p->arcs_seen != p->arcs_declared) {
        int rc = fail(p, "the 'p' line declares %lld arcs, found %lld", (long long)p->arcs_declared,
                      (long long)p->arcs_seen);
        mcf_free(p->m);
        free(p->supply_seen);
        return rc;
    }
    free(p->supply_seen);
    *out = p->m;
    return ZC_OK;
}

static void abandon(struct parser *p)
{
    mcf_free(p->m);
    free(p->supply_seen);
}

/* Feed complete lines of buf[0..len); returns the bytes consumed (up to the
 * last newline, or all when `last`). */
static int feed(struct parser *p, const char *buf, size_t len, bool last, size_t *used)
{
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t ll;
        int rc;
        if (!nl && !last)
            break;
        ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        p->line++;
        if (ll > LINE_MAX_LEN)
            return fail(p, "line longer than %d bytes", LINE_MAX_LEN);
        rc = parse_line(p, buf + pos, ll);
        if (rc != ZC_OK)
            return rc;
        pos += ll + (nl ? 1 : 0);
    }
    *used = pos;
    return ZC_OK;
}

int dimacs_parse(const char *buf, size_t len, const char *name, struct mcf **out,
                 struct zc_error *err)
{
    struct parser p = {name, 0, NULL, 0, 0, 0, NULL, err, len ? len : 1};
    size_t used;
    int rc;
    *out = NULL;
    rc = feed(&p, buf, len, true, &used);
    if (rc != ZC_OK) {
        abandon(&p);
        return rc;
    }
    return finish(&p, out);
}

static int64_t le64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = v << 8 | b[k];
    return (int64_t)v;
}

static int32_t le32(const unsigned char *b)
{
    return (int32_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                     (uint32_t)b[3] << 24);
}

static int read_binary(FILE *f, const char *name, struct mcf **out, struct zc_error *err)
{
    unsigned char hdr[16], *blk;
    int64_t n, m, done = 0;
    struct mcf *g;
    int rc = ZC_OK;

    if (fread(hdr, 1, 16, f) != 16)
        return zc_error_set(err, ZC_EINVAL, "%s: binary header is cut short", name);
    n = le64(hdr);
    m = le64(hdr + 8);
    if (n < 0 || n > MCF_NODES_MAX || m < 0 || m > ((int64_t)1 << 40))
        return zc_error_set(err, ZC_EINVAL, "%s: binary header: bad sizes %lld nodes, %lld arcs",
                            name, (long long)n, (long long)m);
    g = mcf_new((int32_t)n, m);
    blk = zc_malloc(BLOCK);
    for (int64_t v = 0; v < n && rc == ZC_OK; v++) {
        if (fread(blk, 1, 8, f) != 8)
            rc = zc_error_set(err, ZC_EINVAL, "%s: supplies cut short at node %lld", name,
                              (long long)v);
        else if (!mcf_set_supply(g, (int32_t)v, le64(blk)))
            rc = zc_error_set(err, ZC_EINVAL, "%s: node %lld: bad supply %lld", name, (long long)v,
                              (long long)le64(blk));
    }
    while (done < m && rc == ZC_OK) {
        int64_t want = m - done > BLOCK / 16 ? BLOCK / 16 : m - done;
        if (fread(blk, 16, (size_t)want, f) != (size_t)want) {
            rc = zc_error_set(err, ZC_EINVAL, "%s: arcs cut short after %lld of %lld", name,
                              (long long)done, (long long)m);
            break;
        }
        for (int64_t k = 0; k < want && rc == ZC_OK; k++) {
            const unsigned char *r = blk + 16 * k;
            if (mcf_add_arc(g, le32(r), le32(r + 4), 0, le32(r + 8), le32(r + 12)) < 0)
                rc = zc_error_set(err, ZC_EINVAL, "%s: arc %lld: bad ends or bounds", name,
                                  (long long)(done + k));
        }
        done += want;
    }
    free(blk);
    if (rc != ZC_OK) {
        mcf_free(g);
        return rc;
    }
    *out = g;
    return ZC_OK;
}

int dimacs_read(FILE *f, const char *name, struct mcf **out, struct zc_error *err)
{
    struct parser p = {name, 0, NULL, 0, 0, 0, NULL, err, 0};
    struct stat sb;
    size_t cap = BLOCK, have = 0;
    char *buf;
    int rc = ZC_OK, c;

    *out = NULL;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        p.input_bytes = (size_t)sb.st_size; /* a pipe's size is not known: no bound */
    c = getc(f);
    if (c == DIMACS_BINARY_MAGIC[0]) {
        char magic[8];
        magic[0] = (char)c;
        if (fread(magic + 1, 1, 7, f) == 7 && memcmp(magic, DIMACS_BINARY_MAGIC, 8) == 0)
            return read_binary(f, name, out, err);
        return zc_error_set(err, ZC_EINVAL, "%s: line 1: unknown line type 'Z'", name);
    }
    if (c != EOF)
        ungetc(c, f);
    buf = zc_malloc(cap);
    for (;;) {
        size_t got = fread(buf + have, 1, cap - have, f), used = 0;
        bool last = got == 0;
        if (got == 0 && ferror(f)) {
            rc = zc_error_set(err, ZC_EIO, "%s: read error: %s", name, strerror(errno));
            break;
        }
        have += got;
        rc = feed(&p, buf, have, last, &used);
        if (rc != ZC_OK || last)
            break;
        memmove(buf, buf + used, have - used);
        have -= used;
        if (have == cap) { /* no newline in a whole block */
            p.line++;
            rc = fail(&p, "line longer than %d bytes", LINE_MAX_LEN);
            break;
        }
    }
    free(buf);
    if (rc != ZC_OK) {
        abandon(&p);
        return rc;
    }
    return finish(&p, out);
}

int dimacs_write(FILE *f, const struct mcf *m, const char *comment, const char *name,
                 struct zc_error *err)
{
    int32_t n = mcf_node_count(m);
    int64_t arcs = mcf_arc_count(m);

    if (comment) /* one line: anything after a line break is left out */
        fprintf(f, "c %.*s\n", (int)strcspn(comment, "\r\n"), comment);
    fprintf(f, "p min %d %lld\n", n, (long long)arcs);
    for (int32_t v = 0; v < n; v++)
        if (mcf_supply(m, v) != 0)
            fprintf(f, "n %d %lld\n", v + 1, (long long)mcf_supply(m, v));
    for (int64_t a = 0; a < arcs; a++) {
        int32_t from, to;
        int64_t lower, upper, cost;
        mcf_arc_get(m, a, &from, &to, &lower, &upper, &cost);
        fprintf(f, "a %d %d %lld %lld %lld\n", from + 1, to + 1, (long long)lower, (long long)upper,
                (long long)cost);
    }
    if (fflush(f) != 0 || ferror(f))
        return zc_error_set(err, ZC_EIO, "%s: write error: %s", name, strerror(errno));
    return ZC_OK;
}
