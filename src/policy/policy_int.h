/* SPDX-License-Identifier: MIT */
/* policy_int.h - the small JSON reader that policy.c validates with.
 *
 * jansson does not keep source positions for values, and a policy error
 * must name the line ("default.json:23: eligibility.min_service_years
 * ..."), so policy files are read by this reader, which keeps the line of
 * every key and value and the raw text of every scalar. */
#ifndef ZC_POLICY_INT_H
#define ZC_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum pj_type { PJ_NULL, PJ_BOOL, PJ_NUM, PJ_STR, PJ_ARR, PJ_OBJ };

struct pj_node {
    enum pj_type type;     /* kind of value */
    int line;              /* 1-based line where the value starts */
    char *key;             /* member name when inside an object, else NULL */
    int key_line;          /* line of the member name */
    bool b;                /* PJ_BOOL */
    double num;            /* PJ_NUM */
    bool is_int;           /* PJ_NUM written without fraction or exponent */
    char *str;             /* PJ_STR: decoded UTF-8, NUL-terminated */
    const char *raw;       /* source text of a scalar (for messages) */
    size_t rawlen;         /* its length */
    struct pj_node *child; /* PJ_ARR/PJ_OBJ: first element or member */
    struct pj_node *next;  /* next sibling */
    size_t n;              /* PJ_ARR/PJ_OBJ: number of children */
};

/* Parse `text` (UTF-8, optional BOM). On success *out owns the tree (free
 * with pj_free). Syntax errors give "NAME:LINE:COL: ..." and ZC_EINVAL;
 * duplicate keys in one object are errors too. */
int pj_parse(const char *name, const char *text, size_t len, struct pj_node **out,
             struct zc_error *err);
void pj_free(struct pj_node *n); /* NULL is a no-op */

/* The edit distance between two ASCII keys (for "did you mean"). */
size_t pj_distance(const char *a, const char *b);

#endif
