/* SPDX-License-Identifier: MIT */
/* replay_main.c - runs a libFuzzer target over every file of a corpus
 * directory once (used by `make check`; `make fuzz` links the same targets
 * with -fsanitize=fuzzer instead). Prints "N passed, N failed": a crash or a
 * sanitizer report aborts the process, which the test runner counts. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    DIR *d;
    struct dirent *e;
    int n = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    d = opendir(argv[1]);
    if (!d) {
        /* A target without its corpus tests nothing: that is a failure. */
        fprintf(stderr, "%s: no corpus directory %s\n", argv[0], argv[1]);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        FILE *f;
        long sz;
        uint8_t *buf;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
        f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc(sz > 0 ? (size_t)sz : 1);
        if (sz > 0 && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
            fclose(f);
            free(buf);
            continue;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, sz > 0 ? (size_t)sz : 0);
        free(buf);
        n++;
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "%s: the corpus %s is empty\n", argv[0], argv[1]);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    printf("%d passed, 0 failed\n", n);
    return 0;
}
