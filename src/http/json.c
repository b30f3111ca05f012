/* SPDX-License-Identifier: MIT */
/* json.c - request bodies in, JSON responses and errors out.
 *
 * jansson has no depth limit of its own short of 2048 levels (and recursion
 * to match), so a body is scanned for its nesting first: a byte loop that
 * skips strings, cheap next to the parse. Every error response has the one
 * shape {"error":{"code":"...","message":"..."}}. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

int http_json_depth(const char *p, size_t n, int max)
{
    int depth = 0, deepest = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return -1;
            if (depth > deepest)
                deepest = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return deepest;
}

json_t *http_json_body(struct http_req *r)
{
    json_error_t je;
    json_t *v;
    if (r->too_big) {
        http_error(r, 413, "too_large", "the request body is larger than %zu bytes", r->limit);
        return NULL;
    }
    if (r->data_len == 0) {
        http_error(r, 400, "invalid_input", "a JSON object is expected in the request body");
        return NULL;
    }
    if (http_json_depth(r->data, r->data_len, r->cfg->max_json_depth) < 0) {
        http_error(r, 400, "invalid_input", "the JSON body is nested deeper than %d levels",
                   r->cfg->max_json_depth);
        return NULL;
    }
    v = json_loadb(r->data, r->data_len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        http_error(r, 400, "invalid_input", "malformed JSON at line %d, column %d: %s", je.line,
                   je.column, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        http_error(r, 400, "invalid_input", "the request body must be a JSON object");
        return NULL;
    }
    return v;
}

void http_json(struct http_req *r, int status, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
    buf_reset(&r->out);
    if (s) {
        buf_puts(&r->out, s);
        free(s);
    }
    buf_putc(&r->out, '\n');
    json_decref(v);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
}

void http_error(struct http_req *r, int status, const char *code, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* json_string refuses invalid UTF-8 (a message may quote a bad byte). */
    json_t *m = json_string(msg);
    if (!m)
        m = json_string("(message not valid UTF-8)");
    http_json(r, status, json_pack("{s:{s:s, s:o}}", "error", "code", code, "message", m));
}

void http_zc_error(struct http_req *r, const struct zc_error *err)
{
    int status = zc_err_http_status(err->code);
    /* Storage and I/O failures are the server's; their text may name files. */
    if (status >= 500)
        http_error(r, 503, "unavailable", "the server could not complete the request; try again");
    else
        http_error(r, status, zc_err_name(err->code), "%s",
                   err->msg[0] ? err->msg : zc_err_name(err->code));
}

void http_add_header(struct http_req *r, const char *name, const char *value)
{
    for (int i = 0; i < 4; i++) {
        if (!r->extra_name[i][0]) {
            snprintf(r->extra_name[i], sizeof(r->extra_name[i]), "%s", name);
            snprintf(r->extra_value[i], sizeof(r->extra_value[i]), "%s", value);
            return;
        }
    }
}

void http_log_redact(const char *s, char *out, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return;
    for (size_t i = 0; s[i] && o + 1 < n;) {
        size_t run = 0;
        while ((s[i + run] >= '0' && s[i + run] <= '9') || s[i + run] == 'X' || s[i + run] == 'x')
            run++;
        /* 15- and 18-character ID numbers; division codes have 12 digits. */
        if (run >= 15) {
            for (size_t k = 0; k < run && o + 1 < n; k++)
                out[o++] = (k < 4 || k >= run - 4) ? s[i + k] : '*';
            i += run;
        } else if (run > 0) {
            for (size_t k = 0; k < run && o + 1 < n; k++)
                out[o++] = s[i + k];
            i += run;
        } else {
            unsigned char c = (unsigned char)s[i++];
            /* Keep the log one line of plain text. */
            out[o++] = (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) ? '?' : (char)c;
        }
    }
    out[o] = '\0';
}
