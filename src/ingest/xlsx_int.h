/* SPDX-License-Identifier: MIT */
/* xlsx_int.h - internals shared by the XLSX reader's three files:
 *   xlsx.c        the zip (minizip over memory), limits, the expat driver
 *   xlsx_parts.c  relationships, workbook, styles, shared strings
 *   xlsx_sheet.c  rows and cells of the worksheet, numbers and dates
 * All handlers work on one struct xlsx; see xlsx.c for the design. */
#ifndef ZC_XLSX_INT_H
#define ZC_XLSX_INT_H

#include <expat.h>
#include <stdbool.h>
#include <stdint.h>
#include <unzip.h>

#include "ingest_int.h"

#define XML_MAX_DEPTH 256
#define MAX_RELS      10000
#define MAX_STYLES    (1u << 17) /* Excel allows 64,000 cell formats */
#define MAX_NUMFMTS   4096
#define MAX_ENTRIES   100000
/* 4 bytes of index per string: a part full of <si/> cannot make it huge. */
#define MAX_SST_STRINGS (1u << 25)
#define READ_CHUNK      65536
/* Deflate cannot exceed about 1032:1; real sheets stay far below 100:1. */
#define MAX_RATIO   500
#define RATIO_FLOOR ((uint64_t)16 << 20)

enum part { PART_RELS, PART_WORKBOOK, PART_STYLES, PART_SST, PART_SHEET };

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE };

struct rel {
    char *id;     /* r:id, e.g. "rId1" */
    char *type;   /* last segment of the Type URI, e.g. "worksheet" */
    char *target; /* Target as written */
};

struct numfmt {
    unsigned id;  /* numFmtId */
    bool is_date; /* format shows a date or time */
};

struct xlsx {
    const char *name;               /* file name for messages */
    const struct sheet_limits *lim; /* bounds */
    struct zc_error *err;           /* where messages go */
    int rc;                         /* first error raised inside a handler */
    unzFile zf;                     /* the archive */
    XML_Parser xp;                  /* parser of the current part */
    enum part part;                 /* which part is being parsed */
    const char *part_name;          /* its path, for messages */
    int depth;                      /* element nesting */
    uint64_t total_bytes;           /* inflated so far, all parts */

    struct rel *rels; /* relationships of the part last read */
    size_t nrels;     /* entries in rels */

    char *sheet_rid;                  /* r:id of the chosen sheet */
    bool sheet_rid_visible;           /* chosen sheet is visible */
    const struct sheet_choice *which; /* the caller's choice of sheet, or NULL */
    char *named_rid;                  /* r:id of the best sheet `which` names */
    size_t named_rank;                /* its place in which->names (0 = best) */
    struct buf sheet_names;           /* the worksheets' names, for a refusal */
    bool date1904;                    /* workbookPr date1904 */

    struct numfmt *fmts; /* custom number formats */
    size_t nfmts;        /* entries in fmts */
    unsigned *xf_fmt;    /* cellXfs index -> numFmtId */
    size_t nxf;          /* entries in xf_fmt */
    size_t xf_cap;       /* allocated entries in xf_fmt */
    bool *xf_date;       /* cellXfs index -> is a date format */
    bool in_numfmts;     /* inside <numFmts> */
    bool in_cellxfs;     /* inside <cellXfs> */

    struct buf sst_data; /* all shared strings, back to back */
    uint32_t *sst_off;   /* string i is sst_data[sst_off[i], sst_off[i + 1]) */
    size_t nsst;         /* strings */
    size_t sst_cap;      /* allocated offsets */
    bool in_si;          /* inside <si> */
    size_t si_start;     /* offset where the current <si> began */

    int rph_depth;        /* inside <rPh> (phonetic runs are not text) */
    bool in_t;            /* collecting a <t> */
    bool in_v;            /* collecting a <v> */
    bool in_c;            /* inside <c> */
    bool in_is;           /* inside <is> */
    size_t rowno;         /* current row number */
    size_t col;           /* column of the current cell */
    size_t next_col;      /* column for a cell without r */
    enum cell_type ctype; /* t attribute of the current cell */
    size_t style;         /* s attribute of the current cell */
    struct buf text;      /* text of the current <v> or inline string */
    struct buf num;       /* scratch for formatted values */
    struct rowbuf rb;     /* the row being built */
    sheet_row_fn fn;      /* the caller's callback */
    void *ud;             /* its argument */
};

/* xlsx.c: helpers for every handler. */

/* Raise an error from inside an expat handler: record it in x->err and
 * x->rc, and stop the parser. The first error wins. Returns `code`. */
int xlsx_fail(struct xlsx *x, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Attribute value by local name; `ns` selects prefixed (r:id) or plain (r). */
const char *xlsx_attr(const char **atts, const char *local, bool ns);
/* Decimal digits only, at most `max`. */
bool xlsx_parse_uint(const char *s, uint64_t max, uint64_t *out);
/* Decode Excel's _xHHHH_ escapes in place; returns the new length. */
size_t xlsx_decode_escapes(char *s, size_t n);

/* xlsx_parts.c: element handlers for the parts before the sheet. */

void xlsx_rels_start(struct xlsx *x, const char *el, const char **atts);
void xlsx_rels_free(struct xlsx *x);
const struct rel *xlsx_rel_by_type(const struct xlsx *x, const char *type);
const struct rel *xlsx_rel_by_id(const struct xlsx *x, const char *id);
/* A relationship Target resolved against `base_dir`; free() the result. */
char *xlsx_resolve_target(const char *base_dir, const char *target);
/* "xl/workbook.xml" -> "xl/"; free() the result. */
char *xlsx_part_dir(const char *part);
void xlsx_workbook_start(struct xlsx *x, const char *el, const char **atts);
void xlsx_styles_start(struct xlsx *x, const char *el, const char **atts);
void xlsx_styles_end(struct xlsx *x, const char *el);
/* After styles.xml (or without one): fill x->xf_date. */
void xlsx_styles_finish(struct xlsx *x);
void xlsx_sst_start(struct xlsx *x, const char *el);
void xlsx_sst_end(struct xlsx *x, const char *el);

/* xlsx_sheet.c: element handlers for the worksheet. */

void xlsx_sheet_start(struct xlsx *x, const char *el, const char **atts);
void xlsx_sheet_end(struct xlsx *x, const char *el);

#endif
