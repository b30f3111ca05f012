/* SPDX-License-Identifier: MIT */
/* policy_json.c - a strict JSON reader (RFC 8259) that keeps line numbers.
 *
 * Recursive descent over the bytes, with a nesting limit so a hostile file
 * cannot exhaust the stack. Each node records the line it starts on, and a
 * scalar keeps a pointer to its source text so that messages can quote what
 * the user wrote ("not \"three\""). Strings are decoded (escapes, \u
 * surrogate pairs) into NUL-terminated UTF-8; embedded NULs are refused. */
#include "policy_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define PJ_MAX_DEPTH 32

struct pj_reader {
    const char *name;       /* file name for messages */
    const char *p;          /* current byte */
    const char *end;        /* one past the last byte */
    const char *line_start; /* first byte of the current line */
    int line;               /* current line, 1-based */
    struct zc_error *err;   /* where errors go */
};

static int pj_fail(struct pj_reader *r, const char *what)
{
    int col = (int)(r->p - r->line_start) + 1;
    if (r->p >= r->end)
        return zc_error_set(r->err, ZC_EINVAL, "%s:%d:%d: %s (the file ends here)", r->name,
                            r->line, col, what);
    return zc_error_set(r->err, ZC_EINVAL, "%s:%d:%d: %s", r->name, r->line, col, what);
}

static void pj_skip_ws(struct pj_reader *r)
{
    while (r->p < r->end) {
        char c = *r->p;
        if (c == '\n') {
            r->line++;
            r->line_start = r->p + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            break;
        }
        r->p++;
    }
}

static int pj_hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void pj_put_utf8(struct buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(b, u, n);
}

/* Read a string starting at the opening quote; *out is owned by the caller. */
static int pj_string(struct pj_reader *r, char **out)
{
    struct buf b = {0};
    int rc = ZC_OK;

    r->p++; /* the opening quote */
    for (;;) {
        unsigned char c;
        if (r->p >= r->end) {
            rc = pj_fail(r, "unterminated string");
            goto done;
        }
        c = (unsigned char)*r->p;
        if (c == '"') {
            r->p++;
            break;
        }
        if (c < 0x20) {
            rc = pj_fail(r, "control character in a string (a string cannot span lines)");
            goto done;
        }
        if (c != '\\') {
            buf_putc(&b, (char)c);
            r->p++;
            continue;
        }
        if (r->p + 1 >= r->end) {
            rc = pj_fail(r, "unterminated string");
            goto done;
        }
        r->p++;
        switch (*r->p) {
        case '"':
        case '\\':
        case '/':
            buf_putc(&b, *r->p);
            r->p++;
            break;
        case 'b':
            buf_putc(&b, '\b');
            r->p++;
            break;
        case 'f':
            buf_putc(&b, '\f');
            r->p++;
            break;
        case 'n':
            buf_putc(&b, '\n');
            r->p++;
            break;
        case 'r':
            buf_putc(&b, '\r');
            r->p++;
            break;
        case 't':
            buf_putc(&b, '\t');
            r->p++;
            break;
        case 'u': {
            unsigned cp, lo;
            if (r->end - r->p < 5 || pj_hex4(r->p + 1, &cp) != 0) {
                rc = pj_fail(r, "\\u must be followed by four hex digits");
                goto done;
            }
            r->p += 5;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
                    pj_hex4(r->p + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
                    rc = pj_fail(r, "unpaired surrogate in \\u escape");
                    goto done;
                }
                r->p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                rc = pj_fail(r, "invalid \\u escape");
                goto done;
            }
            pj_put_utf8(&b, cp);
            break;
        }
        default:
            rc = pj_fail(r, "unknown escape in a string");
            goto done;
        }
    }
    *out = buf_steal(&b);
    if (!*out)
        *out = zc_strdup("");
done:
    buf_fini(&b);
    return rc;
}

static int pj_number(struct pj_reader *r, struct pj_node *n)
{
    const char *s = r->p;
    bool is_int = true;
    char tmp[64];
    size_t len;

    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
        return pj_fail(r, "expected a digit");
    if (*r->p == '0') {
        r->p++;
    } else {
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && *r->p == '.') {
        is_int = false;
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            return pj_fail(r, "expected a digit after the decimal point");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        is_int = false;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            return pj_fail(r, "expected a digit in the exponent");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    len = (size_t)(r->p - s);
    if (len >= sizeof(tmp))
        return pj_fail(r, "number too long");
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    n->type = PJ_NUM;
    n->num = strtod(tmp, NULL);
    n->is_int = is_int;
    return ZC_OK;
}

static int pj_value(struct pj_reader *r, struct pj_node *n, int depth);

static int pj_container(struct pj_reader *r, struct pj_node *n, int depth)
{
    bool is_obj = *r->p == '{';
    char close = is_obj ? '}' : ']';
    struct pj_node **tail = &n->child;
    int rc;

    if (depth >= PJ_MAX_DEPTH)
        return pj_fail(r, "nested too deeply");
    n->type = is_obj ? PJ_OBJ : PJ_ARR;
    r->p++;
    pj_skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return ZC_OK;
    }
    for (;;) {
        struct pj_node *c = zc_calloc(1, sizeof(*c));
        *tail = c;
        tail = &c->next;
        n->n++;
        pj_skip_ws(r);
        if (is_obj) {
            if (r->p >= r->end || *r->p != '"')
                return pj_fail(r, "expected a key in double quotes");
            c->key_line = r->line;
            rc = pj_string(r, &c->key);
            if (rc != ZC_OK)
                return rc;
            for (struct pj_node *o = n->child; o != c; o = o->next) {
                if (strcmp(o->key, c->key) == 0)
                    return zc_error_set(r->err, ZC_EINVAL,
                                        "%s:%d: key \"%s\" appears twice "
                                        "(first on line %d)",
                                        r->name, c->key_line, c->key, o->key_line);
            }
            pj_skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return pj_fail(r, "expected ':' after the key");
            r->p++;
        }
        rc = pj_value(r, c, depth + 1);
        if (rc != ZC_OK)
            return rc;
        pj_skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            pj_skip_ws(r);
            if (r->p < r->end && *r->p == close)
                return pj_fail(r, "trailing comma");
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return ZC_OK;
        }
        return pj_fail(r, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int pj_value(struct pj_reader *r, struct pj_node *n, int depth)
{
    const char *start;
    int rc = ZC_OK;

    pj_skip_ws(r);
    n->line = r->line;
    start = r->p;
    if (r->p >= r->end)
        return pj_fail(r, "expected a value");
    switch (*r->p) {
    case '{':
    case '[':
        return pj_container(r, n, depth);
    case '"':
        n->type = PJ_STR;
        rc = pj_string(r, &n->str);
        break;
    case 't':
    case 'f':
    case 'n': {
        static const char *const words[] = {"true", "false", "null"};
        bool found = false;
        for (size_t i = 0; i < 3; i++) {
            size_t wl = strlen(words[i]);
            if ((size_t)(r->end - r->p) >= wl && memcmp(r->p, words[i], wl) == 0) {
                n->type = i == 2 ? PJ_NULL : PJ_BOOL;
                n->b = i == 0;
                r->p += wl;
                found = true;
                break;
            }
        }
        if (!found)
            return pj_fail(r, "expected a value (true, false, null, a number, a string, "
                              "a list or an object)");
        break;
    }
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
            rc = pj_number(r, n);
        } else {
            return pj_fail(r, "expected a value (strings need double quotes)");
        }
    }
    n->raw = start;
    n->rawlen = (size_t)(r->p - start);
    return rc;
}

int pj_parse(const char *name, const char *text, size_t len, struct pj_node **out,
             struct zc_error *err)
{
    struct pj_reader r = {name, text, text + len, text, 1, err};
    struct pj_node *root = zc_calloc(1, sizeof(*root));
    int rc;

    *out = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        r.p += 3;
        r.line_start = r.p;
    }
    if (memchr(text, '\0', len)) {
        rc = zc_error_set(err, ZC_EINVAL, "%s: contains a NUL byte; not a text file", name);
        goto done;
    }
    rc = pj_value(&r, root, 0);
    if (rc != ZC_OK)
        goto done;
    pj_skip_ws(&r);
    if (r.p < r.end) {
        rc = pj_fail(&r, "unexpected text after the end of the document");
        goto done;
    }
    *out = root;
    root = NULL;
done:
    pj_free(root);
    return rc;
}

void pj_free(struct pj_node *n)
{
    while (n) {
        struct pj_node *next = n->next;
        pj_free(n->child);
        free(n->key);
        free(n->str);
        free(n);
        n = next;
    }
}

size_t pj_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[65];

    if (la > 64 || lb > 64)
        return 64;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}
