/* SPDX-License-Identifier: MIT */
/* static.c - the web UI's files: content types, ETags, pre-gzipped copies.
 *
 * Paths are checked segment by segment (no "..", no hidden files, no
 * backslashes) before anything touches the file system, and only regular
 * files are served. The ETag is the file's size and modification time; a
 * matching If-None-Match gets a 304. When the client accepts gzip and
 * FILE.gz exists next to FILE, the compressed copy is sent as is. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_int.h"

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {".pdf", "application/pdf"},
    {".map", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
};

const char *http_content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
        }
    }
    return "application/octet-stream";
}

const char *http_default_web_dir(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    snprintf(out, n, "web");
    if (len <= 0)
        return out;
    exe[len] = '\0';
    /* build/<dir>/zhucun -> the checkout is two or three levels up. */
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        struct stat st;
        char cand[PATH_MAX + 16];
        if (!slash)
            break;
        *slash = '\0';
        /* Look for the UI's index page, not just a folder named web (a
         * build directory may be called that). */
        snprintf(cand, sizeof(cand), "%s/web/index.html", exe);
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(out, n, "%s/web", exe);
            break;
        }
    }
    return out;
}

static bool path_ok(const char *p)
{
    if (p[0] != '/' || strlen(p) > 1024)
        return false;
    for (const char *s = p; *s; s++) {
        if (*s == '\\' || (unsigned char)*s < 0x20)
            return false;
        /* Segments starting with '.' cover "..", "." and hidden files. */
        if (*s == '/' && (s[1] == '.' || s[1] == '/'))
            return false;
    }
    return true;
}

static bool accepts_gzip(struct http_req *r)
{
    const char *ae = http_header(r, "Accept-Encoding");
    return ae && strstr(ae, "gzip") != NULL;
}

static bool etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    return strstr(inm, etag) != NULL;
}

void http_static(struct http_req *r, const char *web_dir)
{
    char path[PATH_MAX], gz[PATH_MAX + 4], etag[80];
    const char *rel = r->path;
    struct stat st, gst;
    bool use_gz = false;
    int fd;

    if (!path_ok(rel)) {
        http_error(r, 404, "not_found", "no such file");
        return;
    }
    if (strcmp(rel, "/") == 0)
        rel = "/index.html";
    if ((size_t)snprintf(path, sizeof(path), "%s%s", web_dir, rel) >= sizeof(path) ||
        stat(path, &st) != 0) {
        http_error(r, 404, "not_found", "no such file");
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t l = strlen(path);
        if (l + 12 >= sizeof(path) ||
            (snprintf(path + l, sizeof(path) - l, "/index.html"), stat(path, &st) != 0)) {
            http_error(r, 404, "not_found", "no such file");
            return;
        }
    }
    if (!S_ISREG(st.st_mode)) {
        http_error(r, 404, "not_found", "no such file");
        return;
    }
    snprintf(gz, sizeof(gz), "%s.gz", path);
    if (accepts_gzip(r) && stat(gz, &gst) == 0 && S_ISREG(gst.st_mode))
        use_gz = true;
    const struct stat *s = use_gz ? &gst : &st;
    snprintf(etag, sizeof(etag), "\"%llx-%llx%s\"", (unsigned long long)s->st_size,
             (unsigned long long)s->st_mtim.tv_sec * 1000000000ULL +
                 (unsigned long long)s->st_mtim.tv_nsec,
             use_gz ? "-gz" : "");
    r->ctype = http_content_type(path);
    http_add_header(r, "ETag", etag);
    http_add_header(r, "Vary", "Accept-Encoding");
    if (etag_matches(http_header(r, "If-None-Match"), etag)) {
        r->status = 304;
        r->ctype = NULL;
        return;
    }
    fd = open(use_gz ? gz : path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        http_error(r, 404, "not_found", "no such file");
        return;
    }
    r->fd = fd;
    r->fd_size = (int64_t)s->st_size;
    r->status = 200;
    if (use_gz)
        http_add_header(r, "Content-Encoding", "gzip");
}
