/* SPDX-License-Identifier: MIT */
/* test_mcf_dimacs.c - the DIMACS reader: a table of malformed inputs with
 * the exact line-numbered message each must produce, and good inputs read
 * from memory and from a stream (text and binary) into the same network;
 * the writer, read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "match/dimacs.h"
#include "match/mcf.h"
#include "test.h"

struct bad_case {
    const char *text; /* input */
    const char *msg;  /* expected substring of the error */
};

static const struct bad_case bad_cases[] = {
    {"", "t.min: no 'p min' line"},
    {"c only a comment\n", "no 'p min' line"},
    {"p max 3 1\n", "t.min: line 1: problem type 'max' is not 'min'"},
    {"p min 3\n", "line 1: expected 'p min NODES ARCS'"},
    {"p min -1 0\n", "line 1: node count -1 is out of range"},
    {"a 1 2 0 1 1\n", "line 1: 'a' line before the 'p min' line"},
    {"p min 2 0\np min 2 0\n", "line 2: a second 'p' line"},
    {"c x\np min 8 1\nn 1 1\nn 8 -1\n\na 1 9 0 1 1\n", "line 6: arc head 9 is out of range 1..8"},
    {"p min 8 1\na 0 2 0 1 1\n", "line 2: arc tail 0 is out of range 1..8"},
    {"p min 2 1\na 1 2 3 1 1\n", "line 2: arc bounds 3..1: need 0 <= LOW <= CAP"},
    {"p min 2 1\na 1 2 0 1 99999999999999999999\n", "line 2: expected 'a FROM TO LOW CAP"},
    {"p min 2 1\na 1 2 0 1 2000000000000\n", "line 2: arc cost 2000000000000 is beyond"},
    {"p min 2 1\na 1 2 0 1 1 7\n", "line 2: expected 'a FROM TO LOW CAP COST'"},
    {"p min 2 1\nn 1 1\nn 1 2\n", "line 3: node 1 has a second 'n' line"},
    {"p min 2 1\nn 3 1\n", "line 2: node 3 is out of range 1..2"},
    {"p min 2 0\na 1 2 0 1 1\n", "line 2: more 'a' lines than the 0 declared"},
    {"p min 2 2\na 1 2 0 1 1\n", "line 2: the 'p' line declares 2 arcs, found 1"},
    {"p min 2 0\nx 1\n", "line 2: unknown line type 'x'"},
    {"p min 2 0\nnode 1 1\n", "line 2: unknown line type 'node 1 1'"},
};

TEST(mcf_dimacs_errors_table)
{
    for (size_t k = 0; k < sizeof(bad_cases) / sizeof(bad_cases[0]); k++) {
        struct zc_error err = {0};
        struct mcf *m = NULL;
        int rc = dimacs_parse(bad_cases[k].text, strlen(bad_cases[k].text), "t.min", &m, &err);
        CHECK_MSG(rc == ZC_EINVAL, "case %zu: rc %d", k, rc);
        CHECK(m == NULL);
        CHECK_MSG(strstr(err.msg, bad_cases[k].msg) != NULL, "case %zu: \"%s\" lacks \"%s\"", k,
                  err.msg, bad_cases[k].msg);
    }
}

static const char good[] = "c comment\r\n"
                           "p min 4 5\n"
                           "n 1 4\n"
                           "n 4 -4\n"
                           "a 1 2 0 4 2\n"
                           "a 1 3 0 2 2\n"
                           "  a 2 3 0 2 1\n"
                           "a\t2 4 0 3 3\n"
                           "a 3 4 0 5 1"; /* no final newline */

TEST(mcf_dimacs_good_memory_and_stream)
{
    struct zc_error err = {0};
    struct mcf *m = NULL, *f = NULL;
    char path[512];
    FILE *fp;
    int32_t u, v;
    int64_t lo, up, c;

    CHECK_INT_EQ(dimacs_parse(good, strlen(good), "good", &m, &err), ZC_OK);
    CHECK_INT_EQ(mcf_node_count(m), 4);
    CHECK_INT_EQ(mcf_arc_count(m), 5);
    CHECK_INT_EQ(mcf_supply(m, 0), 4);
    CHECK_INT_EQ(mcf_supply(m, 3), -4);
    mcf_arc_get(m, 3, &u, &v, &lo, &up, &c);
    CHECK(u == 1 && v == 3 && lo == 0 && up == 3 && c == 3);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), 14);

    snprintf(path, sizeof(path), "%s/good.min", zt_tmpdir());
    fp = fopen(path, "wb");
    CHECK(fp != NULL);
    fputs(good, fp);
    fclose(fp);
    fp = fopen(path, "rb");
    CHECK_INT_EQ(dimacs_read(fp, path, &f, &err), ZC_OK);
    fclose(fp);
    CHECK_INT_EQ(mcf_arc_count(f), 5);
    CHECK_INT_EQ(mcf_solve(f, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(f), 14);
    mcf_free(f);
    f = NULL;

    /* The binary form of the same network. */
    fp = fopen(path, "wb");
    fwrite(DIMACS_BINARY_MAGIC, 1, 8, fp);
    int64_t hdr[2] = {4, 5}, sup[4] = {4, 0, 0, -4};
    fwrite(hdr, 8, 2, fp);
    fwrite(sup, 8, 4, fp);
    for (int64_t a = 0; a < 5; a++) {
        int32_t rec[4];
        mcf_arc_get(m, a, &u, &v, &lo, &up, &c);
        rec[0] = u, rec[1] = v, rec[2] = (int32_t)up, rec[3] = (int32_t)c;
        fwrite(rec, 4, 4, fp);
    }
    fclose(fp);
    fp = fopen(path, "rb");
    CHECK_INT_EQ(dimacs_read(fp, path, &f, &err), ZC_OK);
    fclose(fp);
    CHECK_INT_EQ(mcf_solve(f, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(f), 14);
    mcf_free(f);
    mcf_free(m);
}

TEST(mcf_dimacs_stream_long_input)
{
    /* More than one read block, so that lines straddle block edges: 60,000
     * parallel arcs 1 -> 2 (capacity 1, cost k % 7) carrying 30,000 units,
     * so the optimum takes the cheapest 30,000. */
    struct zc_error err = {0};
    struct mcf *m = NULL;
    char path[512];
    FILE *fp;
    int n = 60000, count[7] = {0};
    int64_t want = 0, left = n / 2;
    snprintf(path, sizeof(path), "%s/long.min", zt_tmpdir());
    fp = fopen(path, "wb");
    fprintf(fp, "p min 2 %d\nn 1 %d\nn 2 -%d\n", n, n / 2, n / 2);
    for (int k = 0; k < n; k++) {
        fprintf(fp, "c padding padding padding\na 1 2 0 1 %d\n", k % 7);
        count[k % 7]++;
    }
    fclose(fp);
    for (int r = 0; r < 7 && left > 0; r++) {
        int64_t take = count[r] < left ? count[r] : left;
        want += take * r;
        left -= take;
    }
    fp = fopen(path, "rb");
    CHECK_INT_EQ(dimacs_read(fp, path, &m, &err), ZC_OK);
    fclose(fp);
    CHECK_INT_EQ(mcf_arc_count(m), n);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(m), want);
    mcf_free(m);
}

/* dimacs_write gives back, through dimacs_read, the same network: supplies,
 * arcs in order with lower bounds, negative costs and 64-bit numbers. */
TEST(mcf_dimacs_write_round_trip)
{
    struct zc_error err = {0};
    struct mcf *m = mcf_new(5, 8), *back = NULL;
    char *text = NULL;
    size_t len = 0;
    mcf_set_supply(m, 0, 4);
    mcf_set_supply(m, 4, -4);
    mcf_add_arc(m, 0, 1, 1, 3, -7);
    mcf_add_arc(m, 1, 4, 0, 5, 2);
    mcf_add_arc(m, 0, 2, 0, (int64_t)1 << 40, (int64_t)1 << 35);
    mcf_add_arc(m, 2, 4, 0, 9, 0);
    mcf_add_arc(m, 3, 3, 0, 1, 1); /* a self-loop on a node without supply */
    FILE *f = open_memstream(&text, &len);
    CHECK(f != NULL);
    CHECK_INT_EQ(dimacs_write(f, m, "round trip", "mem", &err), ZC_OK);
    fclose(f);
    CHECK(strncmp(text, "c round trip\np min 5 5\n", 23) == 0);
    CHECK_INT_EQ(dimacs_parse(text, len, "mem", &back, &err), ZC_OK);
    CHECK_INT_EQ(mcf_node_count(back), 5);
    CHECK_INT_EQ(mcf_arc_count(back), 5);
    for (int32_t v = 0; v < 5; v++)
        CHECK_INT_EQ(mcf_supply(back, v), mcf_supply(m, v));
    for (int64_t a = 0; a < 5; a++) {
        int32_t f1, t1, f2, t2;
        int64_t l1, u1, c1, l2, u2, c2;
        mcf_arc_get(m, a, &f1, &t1, &l1, &u1, &c1);
        mcf_arc_get(back, a, &f2, &t2, &l2, &u2, &c2);
        CHECK_INT_EQ(f1, f2);
        CHECK_INT_EQ(t1, t2);
        CHECK_INT_EQ(l1, l2);
        CHECK_INT_EQ(u1, u2);
        CHECK_INT_EQ(c1, c2);
    }
    CHECK_INT_EQ(mcf_solve(back, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_solve(m, NULL, &err), ZC_OK);
    CHECK_INT_EQ(mcf_objective(back), mcf_objective(m));
    free(text);
    mcf_free(m);
    mcf_free(back);
}
