/* SPDX-License-Identifier: MIT */
/* runner.c - runs every registered TEST() (or those whose name contains
 * argv[1]), one line each (with its wall time when it took a second or
 * more, to keep `make check` inside its budget), then "N passed, N failed". */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct zt_case *cases;
static int current_failed;
static char tmpdir[256];

void zt_register(struct zt_case *c)
{
    c->next = cases;
    cases = c;
}

void zt_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    current_failed = 1;
    printf("FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

const char *zt_tmpdir(void)
{
    return tmpdir;
}

int zt_rounds(int n)
{
    const char *pc = getenv("ZT_ROUNDS");
    long v = pc && *pc ? strtol(pc, NULL, 10) : 100;
    if (v <= 0 || v >= 100)
        return n;
    long k = (long)n * v / 100;
    return k < 1 ? 1 : (int)k;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_file_then_name(const void *a, const void *b)
{
    const struct zt_case *x = *(const struct zt_case *const *)a;
    const struct zt_case *y = *(const struct zt_case *const *)b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    size_t n = 0, i = 0;
    int passed = 0, failed = 0;
    struct zt_case **list;

    snprintf(tmpdir, sizeof(tmpdir), "%s/zt-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (long)getpid());
    mkdir(tmpdir, 0700);
    for (struct zt_case *c = cases; c; c = c->next)
        n++;
    list = calloc(n ? n : 1, sizeof(*list));
    for (struct zt_case *c = cases; c; c = c->next)
        list[i++] = c;
    /* Registration order depends on the linker; sort for a stable report. */
    qsort(list, n, sizeof(*list), by_file_then_name);
    for (i = 0; i < n; i++) {
        if (filter && !strstr(list[i]->name, filter))
            continue;
        current_failed = 0;
        fflush(stdout);
        double t0 = now_seconds();
        list[i]->fn();
        double secs = now_seconds() - t0;
        if (secs >= 1.0)
            printf("%-50s %s (%.1f s)\n", list[i]->name, current_failed ? "FAIL" : "ok", secs);
        else
            printf("%-50s %s\n", list[i]->name, current_failed ? "FAIL" : "ok");
        fflush(stdout);
        if (current_failed)
            failed++;
        else
            passed++;
    }
    free(list);
    printf("%d passed, %d failed\n", passed, failed);
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "runner: could not remove %s\n", tmpdir);
    }
    return failed ? 1 : 0;
}
