/* SPDX-License-Identifier: MIT */
/* dimacs.h - read minimum-cost-flow instances in the DIMACS format into an
 * mcf network (see mcf.h), with line-numbered errors.
 *
 * Text format (1st DIMACS Implementation Challenge, "min" problems):
 *     c any comment
 *     p min NODES ARCS          exactly once, before n and a lines
 *     n ID SUPPLY               > 0 supply, < 0 demand; at most once per node
 *     a FROM TO LOW CAP COST    exactly ARCS of them
 * Node IDs are 1..NODES in the file and 0..NODES-1 in the network.
 *
 * dimacs_read() also accepts zhucun's binary form of the same data, for
 * instances too large for text (the national benchmark):
 *     8 bytes  "ZCMCFB1\n"
 *     int64    NODES, ARCS                  (little-endian, as all below)
 *     int64    SUPPLY[NODES]
 *     ARCS x { int32 FROM, TO, CAP, COST }  0-based nodes, lower bound 0 */
#ifndef ZC_DIMACS_H
#define ZC_DIMACS_H

#include <stddef.h>
#include <stdio.h>

struct mcf;
struct zc_error;

#define DIMACS_BINARY_MAGIC "ZCMCFB1\n"

/* Parse text in buf[0..len). `name` prefixes error messages ("in.min: line
 * 17: arc head 9 is out of range 1..8"). On success *out owns a new network
 * (free with mcf_free); on failure returns ZC_EINVAL (or ZC_ETOOBIG) with
 * `err` set and *out NULL. */
int dimacs_parse(const char *buf, size_t len, const char *name, struct mcf **out,
                 struct zc_error *err);

/* The same from a stream, text or binary (told apart by the magic), read in
 * blocks so that large files need no second copy in memory. Read errors are
 * ZC_EIO. */
int dimacs_read(FILE *f, const char *name, struct mcf **out, struct zc_error *err);

/* Write network m as DIMACS text: `comment` (may be NULL; one line, no
 * newline) as a c line, the p line, an n line per node with a supply, an a
 * line per arc, in arc order. What dimacs_read() gives back is the same
 * network. Write errors are ZC_EIO, naming `name`. */
int dimacs_write(FILE *f, const struct mcf *m, const char *comment, const char *name,
                 struct zc_error *err);

#endif
