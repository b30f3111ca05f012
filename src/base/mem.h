/* SPDX-License-Identifier: MIT */
/* mem.h - allocation that never returns NULL, and a growable byte buffer.
 *
 * Out of memory is not an error path in zhucun (as in Redis's zmalloc): the
 * process prints the size it wanted and aborts. Anything whose size a user
 * controls is bounded before it is allocated and fails with ZC_ETOOBIG. */
#ifndef ZC_MEM_H
#define ZC_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *zc_malloc(size_t n);
/* Free memory owned through a pointer to const (a struct that hands out
 * read-only strings it owns). */
void zc_free_const(const void *p);
void *zc_calloc(size_t count, size_t size);
void *zc_realloc(void *p, size_t n);
void *zc_reallocarray(void *p, size_t count, size_t size);
char *zc_strdup(const char *s);
char *zc_strndup(const char *s, size_t n);

/* A growable, always NUL-terminated byte buffer. Zero-initialise or call
 * buf_init(); release with buf_fini(). `p` is NULL until the first append. */
struct buf {
    char *p;    /* bytes, NUL-terminated once non-empty */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
};

void buf_init(struct buf *b);
void buf_fini(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the memory */
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
const char *buf_cstr(const struct buf *b); /* "" when empty, never NULL */
/* Hand the bytes to the caller (free with free()); the buffer becomes empty. */
char *buf_steal(struct buf *b);

#endif
