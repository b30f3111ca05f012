/* SPDX-License-Identifier: MIT */
/* xlsx.c - reading the first worksheet of an XLSX workbook (Excel, WPS).
 *
 * An XLSX file is a zip of XML parts. We read it from memory through
 * minizip (custom I/O functions over the buffer) and parse each part with
 * expat as it is inflated, 64 KiB at a time, so a sheet of a million rows
 * never exists in memory as a whole. The parts, in the order we need them:
 *
 *   _rels/.rels                 -> where the workbook part is
 *   xl/_rels/workbook.xml.rels  -> relationship id -> part, for sheets,
 *                                  shared strings and styles
 *   xl/workbook.xml             -> the sheets in tab order; date1904
 *   xl/styles.xml               -> which cell styles are date formats
 *   xl/sharedStrings.xml        -> the string table (t="s" cells)
 *   the first visible worksheet -> the rows
 *
 * File names are never guessed: WPS and other writers name parts freely.
 *
 * The input is untrusted. Every part's declared size, and the bytes
 * actually inflated, are held to sheet_limits (a zip bomb stops at the
 * limit, not at the end of memory); an absurdly high compression ratio is
 * refused up front; a DOCTYPE (the vehicle for entity expansion attacks) is
 * refused; cell references beyond Excel's own grid are malformed input. */
#include "ingest_int.h"

#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

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

/* ---- minizip over a memory buffer ---- */

struct memzip {
    const unsigned char *data; /* the archive */
    size_t size;               /* its bytes */
    size_t pos;                /* read position */
};

static voidpf ZCALLBACK mz_open(voidpf opaque, const void *filename, int mode)
{
    struct memzip *m = opaque;
    (void)filename;
    (void)mode;
    m->pos = 0;
    return m;
}

static uLong ZCALLBACK mz_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    struct memzip *m = stream;
    size_t n = m->size - m->pos;
    (void)opaque;
    if (n > size)
        n = size;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (uLong)n;
}

static uLong ZCALLBACK mz_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0;
}

static ZPOS64_T ZCALLBACK mz_tell(voidpf opaque, voidpf stream)
{
    struct memzip *m = stream;
    (void)opaque;
    return m->pos;
}

static long ZCALLBACK mz_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    struct memzip *m = stream;
    size_t base;
    (void)opaque;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
        base = 0;
        break;
    case ZLIB_FILEFUNC_SEEK_CUR:
        base = m->pos;
        break;
    case ZLIB_FILEFUNC_SEEK_END:
        base = m->size;
        break;
    default:
        return -1;
    }
    if (offset > m->size - base)
        return -1;
    m->pos = base + (size_t)offset;
    return 0;
}

static int ZCALLBACK mz_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

static int ZCALLBACK mz_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

/* ---- reader state ---- */

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

    char *sheet_rid;        /* r:id of the chosen sheet */
    bool sheet_rid_visible; /* chosen sheet is visible */
    bool date1904;          /* workbookPr date1904 */

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

static int xfail(struct xlsx *x, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Raise an error from inside an expat handler: record it and stop. */
static int xfail(struct xlsx *x, int code, const char *fmt, ...)
{
    va_list ap;
    if (x->rc != ZC_OK)
        return x->rc;
    va_start(ap, fmt);
    zc_error_vset(x->err, code, fmt, ap);
    va_end(ap);
    x->rc = code;
    if (x->xp)
        XML_StopParser(x->xp, XML_FALSE);
    return code;
}

static const char *lname(const char *name)
{
    const char *s = strchr(name, ':');
    return s ? s + 1 : name;
}

/* Attribute by local name; `ns` selects prefixed (r:id) or plain (r).
 * Expat's namespace mode would resolve prefixes properly but costs about a
 * third of the parse; OOXML's few prefixed attributes do not need it. */
static const char *attr(const char **atts, const char *local, bool ns)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *sep = strchr(atts[i], ':');
        if (ns && sep && strncmp(atts[i], "xmlns:", 6) != 0 && strcmp(sep + 1, local) == 0)
            return atts[i + 1];
        if (!ns && !sep && strcmp(atts[i], local) == 0)
            return atts[i + 1];
    }
    return NULL;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* ---- relationships ---- */

static void rels_free(struct xlsx *x)
{
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->rels);
    x->rels = NULL;
    x->nrels = 0;
}

static void rels_start(struct xlsx *x, const char *el, const char **atts)
{
    const char *id, *type, *target, *mode;
    const char *slash;
    struct rel *r;

    if (strcmp(el, "Relationship") != 0)
        return;
    id = attr(atts, "Id", false);
    type = attr(atts, "Type", false);
    target = attr(atts, "Target", false);
    mode = attr(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->nrels >= MAX_RELS) {
        xfail(x, ZC_EINVAL, "%s: part %s has more than %d relationships", x->name, x->part_name,
              MAX_RELS);
        return;
    }
    slash = strrchr(type, '/');
    x->rels = zc_reallocarray(x->rels, x->nrels + 1, sizeof(*x->rels));
    r = &x->rels[x->nrels++];
    r->id = zc_strdup(id);
    r->type = zc_strdup(slash ? slash + 1 : type);
    r->target = zc_strdup(target);
}

static const struct rel *rel_by_type(const struct xlsx *x, const char *type)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].type, type) == 0)
            return &x->rels[i];
    return NULL;
}

static const struct rel *rel_by_id(const struct xlsx *x, const char *id)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

/* Resolve a relationship Target against the directory of its source part:
 * "/xl/worksheets/a.xml" is absolute, "worksheets/a.xml" and
 * "../x/a.xml" are relative. Returns a zip entry name to free(). */
static char *resolve_target(const char *base_dir, const char *target)
{
    struct buf in, out;
    size_t i = 0;

    buf_init(&in);
    buf_init(&out);
    if (target[0] != '/')
        buf_puts(&in, base_dir);
    buf_puts(&in, target);
    while (i < in.len) {
        size_t j = i;
        size_t seglen;
        while (j < in.len && in.p[j] != '/' && in.p[j] != '\\')
            j++;
        seglen = j - i;
        if (seglen == 0 || (seglen == 1 && in.p[i] == '.')) {
            /* skip */
        } else if (seglen == 2 && in.p[i] == '.' && in.p[i + 1] == '.') {
            while (out.len > 0 && out.p[out.len - 1] != '/')
                out.len--;
            if (out.len > 0)
                out.len--;
            if (out.p)
                out.p[out.len] = '\0';
        } else {
            if (out.len > 0)
                buf_putc(&out, '/');
            buf_append(&out, in.p + i, seglen);
        }
        i = j + 1;
    }
    buf_fini(&in);
    return buf_steal(&out);
}

/* "xl/workbook.xml" -> dir "xl/", rels "xl/_rels/workbook.xml.rels". */
static char *part_dir(const char *part)
{
    const char *slash = strrchr(part, '/');
    return zc_strndup(part, slash ? (size_t)(slash - part) + 1 : 0);
}

/* ---- workbook ---- */

static void workbook_start(struct xlsx *x, const char *el, const char **atts)
{
    if (strcmp(el, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904", false);
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(el, "sheet") == 0) {
        const char *rid = attr(atts, "id", true);
        const char *state = attr(atts, "state", false);
        const struct rel *r;
        bool visible = !state || strcmp(state, "visible") == 0;
        if (!rid || (x->sheet_rid && x->sheet_rid_visible))
            return; /* chosen already: later sheets cost no lookups */
        r = rel_by_id(x, rid);
        if (!r || strcmp(r->type, "worksheet") != 0)
            return; /* a chart sheet or a dangling id: not a table */
        /* The first visible worksheet is the one Excel opens on. */
        if (!x->sheet_rid || (visible && !x->sheet_rid_visible)) {
            free(x->sheet_rid);
            x->sheet_rid = zc_strdup(rid);
            x->sheet_rid_visible = visible;
        }
    }
}

/* ---- styles ---- */

/* Does a format code show a date or a time? Looks at the first section for
 * y, m, d, h or s outside quotes, escapes and [..] (colours, locales);
 * elapsed-time formats ([h]:mm) are durations, so they stay numbers. */
static bool format_is_date(const char *f)
{
    for (const char *p = f; *p && *p != ';'; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (!p)
                return false;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case '[':
            if (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' ||
                p[1] == 'S')
                return false;
            p = strchr(p, ']');
            if (!p)
                return false;
            break;
        case 'y':
        case 'Y':
        case 'm':
        case 'M':
        case 'd':
        case 'D':
        case 'h':
        case 'H':
        case 's':
        case 'S':
            return true;
        default:
            break;
        }
    }
    return false;
}

/* Built-in formats: 14-22 and 45-47 everywhere; 27-36 and 50-58 are the
 * East Asian date and time formats (yyyy"年"m"月"d"日" ...), which WPS and
 * Chinese Excel write by id alone. 46 ([h]:mm:ss) is a duration. */
static bool builtin_is_date(unsigned id)
{
    return (id >= 14 && id <= 22) || id == 45 || id == 47 || (id >= 27 && id <= 36) ||
           (id >= 50 && id <= 58);
}

static void styles_start(struct xlsx *x, const char *el, const char **atts)
{
    if (strcmp(el, "numFmts") == 0) {
        x->in_numfmts = true;
    } else if (strcmp(el, "cellXfs") == 0) {
        x->in_cellxfs = true;
    } else if (x->in_numfmts && strcmp(el, "numFmt") == 0) {
        uint64_t id;
        const char *code = attr(atts, "formatCode", false);
        if (!parse_uint(attr(atts, "numFmtId", false), UINT32_MAX, &id) || !code)
            return;
        if (x->nfmts >= MAX_NUMFMTS) {
            xfail(x, ZC_EINVAL, "%s: part %s has too many number formats", x->name, x->part_name);
            return;
        }
        x->fmts = zc_reallocarray(x->fmts, x->nfmts + 1, sizeof(*x->fmts));
        x->fmts[x->nfmts].id = (unsigned)id;
        x->fmts[x->nfmts].is_date = format_is_date(code);
        x->nfmts++;
    } else if (x->in_cellxfs && strcmp(el, "xf") == 0) {
        uint64_t id = 0;
        if (x->nxf >= MAX_STYLES) {
            xfail(x, ZC_EINVAL, "%s: part %s has too many cell styles", x->name, x->part_name);
            return;
        }
        if (!parse_uint(attr(atts, "numFmtId", false), UINT32_MAX, &id))
            id = 0;
        if (x->nxf == x->xf_cap) {
            x->xf_cap = x->xf_cap ? x->xf_cap * 2 : 16;
            x->xf_fmt = zc_reallocarray(x->xf_fmt, x->xf_cap, sizeof(unsigned));
        }
        x->xf_fmt[x->nxf++] = (unsigned)id;
    }
}

static void styles_end(struct xlsx *x, const char *el)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = false;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = false;
}

static int numfmt_cmp(const void *a, const void *b)
{
    const struct numfmt *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void styles_finish(struct xlsx *x)
{
    if (x->nfmts > 1)
        qsort(x->fmts, x->nfmts, sizeof(*x->fmts), numfmt_cmp);
    x->xf_date = zc_calloc(x->nxf ? x->nxf : 1, sizeof(bool));
    for (size_t i = 0; i < x->nxf; i++) {
        struct numfmt key = {x->xf_fmt[i], false};
        const struct numfmt *f =
            x->nfmts ? bsearch(&key, x->fmts, x->nfmts, sizeof(*x->fmts), numfmt_cmp) : NULL;
        /* A custom definition may reuse a built-in id; it wins. */
        x->xf_date[i] = f ? f->is_date : builtin_is_date(key.id);
    }
}

/* ---- text ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Excel escapes characters XML cannot hold as _xHHHH_ (a carriage return
 * is _x000D_; a literal "_x" is written _x005F_x). Decode in place; the
 * result is never longer. NUL and surrogates are left as written. */
static size_t decode_xescapes(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]), h2 = hexval(s[i + 4]),
                h3 = hexval(s[i + 5]);
            if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
                unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
                if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
                    if (cp < 0x80) {
                        s[o++] = (char)cp;
                    } else if (cp < 0x800) {
                        s[o++] = (char)(0xC0 | cp >> 6);
                        s[o++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        s[o++] = (char)(0xE0 | cp >> 12);
                        s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        s[o++] = (char)(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* ---- shared strings ---- */

static void sst_start(struct xlsx *x, const char *el)
{
    if (strcmp(el, "si") == 0) {
        x->in_si = true;
        x->si_start = x->sst_data.len;
    } else if (strcmp(el, "rPh") == 0) {
        x->rph_depth++;
    } else if (x->in_si && strcmp(el, "t") == 0) {
        x->in_t = true;
    }
}

static void sst_end(struct xlsx *x, const char *el)
{
    if (strcmp(el, "si") == 0 && x->in_si) {
        size_t len = x->sst_data.len - x->si_start;
        x->in_si = false;
        if (x->nsst >= MAX_SST_STRINGS || x->sst_data.len > UINT32_MAX) {
            xfail(x, ZC_ETOOBIG, "%s: part %s has more shared strings than we accept", x->name,
                  x->part_name);
            return;
        }
        if (x->nsst + 2 > x->sst_cap) {
            x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 1024;
            x->sst_off = zc_reallocarray(x->sst_off, x->sst_cap, sizeof(*x->sst_off));
        }
        if (len > 0 && memchr(x->sst_data.p + x->si_start, '_', len))
            len = decode_xescapes(x->sst_data.p + x->si_start, len);
        x->sst_data.len = x->si_start + len;
        /* Text only accumulates inside <si>, so strings are contiguous. */
        x->sst_off[x->nsst] = (uint32_t)x->si_start;
        x->sst_off[x->nsst + 1] = (uint32_t)x->sst_data.len;
        x->nsst++;
    } else if (strcmp(el, "rPh") == 0 && x->rph_depth > 0) {
        x->rph_depth--;
    } else if (strcmp(el, "t") == 0) {
        x->in_t = false;
    }
}

/* ---- numbers and dates ---- */

static void days_to_civil(int64_t z, int *y, int *m, int *d)
{
    /* Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras. */
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Serial date to "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (when it holds a time),
 * or "HH:MM:SS" (below 1: a time of day). False when out of Excel's range. */
static bool format_date(double v, bool date1904, char out[32])
{
    int64_t days, secs;
    int y, m, d;

    if (!(v >= 0) || v >= 2958466) /* 9999-12-31 is Excel's last day */
        return false;
    days = (int64_t)floor(v);
    secs = (int64_t)llround((v - (double)days) * 86400.0);
    if (secs >= 86400 && days + 1 < 2958466) {
        days++;
        secs -= 86400;
    } else if (secs >= 86400) {
        secs = 86399; /* rounding must not step past 9999-12-31 */
    }
    if (days == 0 && v < 1) {
        snprintf(out, 32, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
                 (int)(secs % 60));
        return true;
    }
    if (date1904) {
        days_to_civil(days - 24107, &y, &m, &d);
    } else if (days == 60) {
        /* Lotus 1-2-3's 29 February 1900, kept by Excel for compatibility. */
        y = 1900;
        m = 2;
        d = 29;
    } else {
        days_to_civil(days < 60 ? days - 25568 : days - 25569, &y, &m, &d);
    }
    if (secs == 0)
        snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
    return true;
}

/* A number's shortest text that reads back as the same double. Integers
 * are written out in full ("450124199001010000", never "4.5E+17") so that
 * an ID number stored as a number reaches validation digit for digit. */
static void format_number(double v, char out[40])
{
    if (v == 0) {
        memcpy(out, "0", 2);
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) { /* 2^53: every digit is exact */
        snprintf(out, 40, "%.0f", v);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e21) {
        /* Beyond 2^53 the binary value has digits nobody typed
         * (450124199001010000 is stored as ...009984): write the shortest
         * digits that round-trip, padded with zeros. */
        char e[40], *o = out;
        const char *p = e;
        int prec, exp10, ndig = 0;
        for (prec = 15; prec < 17; prec++) {
            snprintf(e, sizeof(e), "%.*e", prec - 1, v);
            if (strtod(e, NULL) == v)
                break;
        }
        snprintf(e, sizeof(e), "%.*e", prec - 1, v);
        if (*p == '-')
            *o++ = *p++;
        exp10 = (int)strtol(strchr(e, 'e') + 1, NULL, 10);
        for (; *p != 'e' && ndig <= exp10; p++) {
            if (*p >= '0' && *p <= '9') {
                *o++ = *p;
                ndig++;
            }
        }
        for (; ndig <= exp10; ndig++)
            *o++ = '0';
        *o = '\0';
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* ---- worksheet ---- */

/* Column index (0-based) from a reference such as "C7"; false if the
 * reference has no letters. Sets *bad when beyond XFD. */
static bool ref_column(const char *r, size_t *col, bool *bad)
{
    size_t v = 0, n = 0;
    *bad = false;
    for (; *r; r++, n++) {
        char c = *r;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            break;
        if (n >= 3) {
            *bad = true;
            return true;
        }
        v = v * 26 + (size_t)(c - 'A' + 1);
    }
    if (n == 0)
        return false;
    if (v > SHEET_EXCEL_MAX_COLUMNS)
        *bad = true;
    *col = v - 1;
    return true;
}

static void sheet_row_start(struct xlsx *x, const char **atts)
{
    const char *r = attr(atts, "r", false);
    uint64_t v;
    if (r) {
        if (!parse_uint(r, UINT64_MAX / 16, &v) || v == 0) {
            xfail(x, ZC_EINVAL, "%s: part %s: bad row number \"%.20s\"", x->name, x->part_name, r);
            return;
        }
    } else {
        v = x->rowno + 1;
    }
    if (v > SHEET_EXCEL_MAX_ROWS) {
        xfail(x, ZC_EINVAL, "%s: row %llu is beyond Excel's last row %d; the file is damaged",
              x->name, (unsigned long long)v, SHEET_EXCEL_MAX_ROWS);
        return;
    }
    if (v > x->lim->max_rows) {
        xfail(x, ZC_ETOOBIG, "%s: more than %zu rows", x->name, x->lim->max_rows);
        return;
    }
    x->rowno = (size_t)v;
    x->next_col = 0;
    rowbuf_reset(&x->rb);
}

static void sheet_cell_start(struct xlsx *x, const char **atts)
{
    const char *r = NULL, *t = NULL, *s = NULL;
    uint64_t sv;
    bool bad;

    /* One pass over the attributes: this runs for every cell. */
    for (size_t i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        if (n[0] == '\0' || n[1] != '\0')
            continue;
        if (n[0] == 'r')
            r = atts[i + 1];
        else if (n[0] == 't')
            t = atts[i + 1];
        else if (n[0] == 's')
            s = atts[i + 1];
    }

    x->col = x->next_col;
    if (r && ref_column(r, &x->col, &bad) && bad) {
        xfail(x, ZC_EINVAL,
              "%s: cell reference %.20s is beyond Excel's last column XFD; the "
              "file is damaged",
              x->name, r);
        return;
    }
    if (x->col >= SHEET_EXCEL_MAX_COLUMNS) { /* cells without r counted past XFD */
        xfail(x, ZC_EINVAL, "%s: row %zu has more cells than Excel's %d columns", x->name, x->rowno,
              SHEET_EXCEL_MAX_COLUMNS);
        return;
    }
    x->ctype = CT_NUMBER;
    if (t) {
        if (strcmp(t, "s") == 0)
            x->ctype = CT_SHARED;
        else if (strcmp(t, "inlineStr") == 0)
            x->ctype = CT_INLINE;
        else if (strcmp(t, "str") == 0)
            x->ctype = CT_STR;
        else if (strcmp(t, "b") == 0)
            x->ctype = CT_BOOL;
        else if (strcmp(t, "e") == 0)
            x->ctype = CT_ERROR;
        else if (strcmp(t, "d") == 0)
            x->ctype = CT_DATE;
    }
    x->style = parse_uint(s, MAX_STYLES, &sv) ? (size_t)sv : 0;
    x->in_c = true;
    x->in_v = false;
    x->in_is = false;
    x->in_t = false;
    buf_reset(&x->text);
    if (!x->text.p) { /* cell_value() edits the text in place */
        buf_reserve(&x->text, 16);
        x->text.p[0] = '\0';
    }
}

/* The cell's final text, in x->num or pointing into the string table. */
static void cell_value(struct xlsx *x, const char **p, size_t *len)
{
    char tmp[40];
    char *t = x->text.p;
    size_t n = x->text.len;

    /* Numbers and indexes may carry whitespace around them. */
    if (x->ctype != CT_INLINE && x->ctype != CT_STR && x->ctype != CT_ERROR) {
        while (n > 0 && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')) {
            t++;
            n--;
        }
        while (n > 0 &&
               (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n' || t[n - 1] == '\r'))
            n--;
        t[n] = '\0';
    }
    *p = t;
    *len = n;
    switch (x->ctype) {
    case CT_SHARED: {
        uint64_t i;
        if (n == 0)
            return;
        if (!parse_uint(t, SIZE_MAX / 2, &i) || i >= x->nsst) {
            char cn[8];
            sheet_col_name(x->col, cn);
            xfail(x, ZC_EINVAL, "%s: row %zu, column %s: shared string %.20s does not exist",
                  x->name, x->rowno, cn, t);
            *len = 0;
            return;
        }
        *len = x->sst_off[i + 1] - x->sst_off[i];
        *p = *len ? x->sst_data.p + x->sst_off[i] : "";
        return;
    }
    case CT_INLINE:
    case CT_STR:
        if (memchr(t, '_', n))
            *len = decode_xescapes(t, n);
        return;
    case CT_BOOL:
        if (n == 1 && (t[0] == '0' || t[0] == '1')) {
            *p = t[0] == '1' ? "TRUE" : "FALSE";
            *len = strlen(*p);
        }
        return;
    case CT_ERROR:
        return;
    case CT_DATE:
        /* ISO 8601 text: keep the date, and the time unless it is midnight. */
        if (n >= 19 && t[10] == 'T') {
            t[10] = ' ';
            *len = strncmp(t + 11, "00:00:00", 8) == 0 ? 10 : 19;
        }
        return;
    case CT_NUMBER: {
        char *end;
        double v;
        if (n == 0)
            return;
        v = strtod(t, &end);
        if (*end != '\0' || !isfinite(v))
            return; /* not a number after all: keep the text */
        if (x->style < x->nxf && x->xf_date[x->style] && format_date(v, x->date1904, tmp)) {
            /* use tmp */
        } else {
            format_number(v, tmp);
        }
        buf_reset(&x->num);
        buf_puts(&x->num, tmp);
        *p = x->num.p;
        *len = x->num.len;
        return;
    }
    }
}

static void sheet_cell_end(struct xlsx *x)
{
    const char *p;
    size_t len;
    char cn[8];

    x->in_c = false;
    x->next_col = x->col + 1;
    cell_value(x, &p, &len);
    if (x->rc != ZC_OK || len == 0)
        return;
    sheet_col_name(x->col, cn);
    if (x->col >= x->lim->max_columns) {
        xfail(x, ZC_ETOOBIG, "%s: row %zu, column %s: more than %zu columns", x->name, x->rowno, cn,
              x->lim->max_columns);
        return;
    }
    if (len > x->lim->max_cell_bytes) {
        char a[32];
        sheet_size_text(x->lim->max_cell_bytes, a);
        xfail(x, ZC_ETOOBIG, "%s: row %zu, column %s: cell is longer than %s", x->name, x->rowno,
              cn, a);
        return;
    }
    rowbuf_set(&x->rb, x->col, p, len);
}

static void sheet_start(struct xlsx *x, const char *el, const char **atts)
{
    if (strcmp(el, "row") == 0) {
        sheet_row_start(x, atts);
    } else if (strcmp(el, "c") == 0) {
        sheet_cell_start(x, atts);
    } else if (!x->in_c) {
        return;
    } else if (strcmp(el, "v") == 0) {
        x->in_v = true;
    } else if (strcmp(el, "is") == 0) {
        x->in_is = true;
    } else if (strcmp(el, "rPh") == 0) {
        x->rph_depth++;
    } else if (x->in_is && strcmp(el, "t") == 0) {
        x->in_t = true;
    }
}

static void sheet_end(struct xlsx *x, const char *el)
{
    if (strcmp(el, "row") == 0) {
        int rc = rowbuf_emit(&x->rb, x->rowno, x->fn, x->ud, x->err);
        rowbuf_reset(&x->rb);
        if (rc != ZC_OK) {
            /* The callback's own message stands. */
            x->rc = rc;
            XML_StopParser(x->xp, XML_FALSE);
        }
    } else if (strcmp(el, "c") == 0) {
        if (x->in_c)
            sheet_cell_end(x);
    } else if (strcmp(el, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(el, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(el, "rPh") == 0 && x->rph_depth > 0) {
        x->rph_depth--;
    } else if (strcmp(el, "t") == 0) {
        x->in_t = false;
    }
}

/* ---- expat glue ---- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *el = lname(name);
    if (x->rc != ZC_OK)
        return;
    if (++x->depth > XML_MAX_DEPTH) {
        xfail(x, ZC_EINVAL, "%s: part %s nests elements more than %d deep", x->name, x->part_name,
              XML_MAX_DEPTH);
        return;
    }
    switch (x->part) {
    case PART_RELS:
        rels_start(x, el, atts);
        break;
    case PART_WORKBOOK:
        workbook_start(x, el, atts);
        break;
    case PART_STYLES:
        styles_start(x, el, atts);
        break;
    case PART_SST:
        sst_start(x, el);
        break;
    case PART_SHEET:
        sheet_start(x, el, atts);
        break;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *el = lname(name);
    if (x->rc != ZC_OK)
        return;
    x->depth--;
    if (x->part == PART_STYLES)
        styles_end(x, el);
    else if (x->part == PART_SST)
        sst_end(x, el);
    else if (x->part == PART_SHEET)
        sheet_end(x, el);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx *x = ud;
    if (x->rc != ZC_OK || len <= 0)
        return;
    if (x->part == PART_SST) {
        if (x->in_si && x->in_t && x->rph_depth == 0)
            buf_append(&x->sst_data, s, (size_t)len);
    } else if (x->part == PART_SHEET && x->in_c) {
        if (x->in_v || (x->in_is && x->in_t && x->rph_depth == 0)) {
            /* Bound what one cell may hold before it is all in memory; the
             * slack lets a number's own text be longer than a small limit. */
            if (x->text.len + (size_t)len > x->lim->max_cell_bytes + 64) {
                char cn[8], a[32];
                sheet_col_name(x->col, cn);
                sheet_size_text(x->lim->max_cell_bytes, a);
                xfail(x, ZC_ETOOBIG, "%s: row %zu, column %s: cell is longer than %s", x->name,
                      x->rowno, cn, a);
                return;
            }
            buf_append(&x->text, s, (size_t)len);
        }
    }
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    struct xlsx *x = ud;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    xfail(x, ZC_EINVAL, "%s: part %s has a DOCTYPE, which Excel never writes; refusing", x->name,
          x->part_name);
}

static char *percent_decode(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *d;
    if (!strchr(s, '%'))
        return NULL;
    d = zc_malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        int hi = s[i] == '%' && i + 2 < n ? hexval(s[i + 1]) : -1;
        int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) { /* never decode to NUL */
            d[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            d[o++] = s[i];
        }
    }
    d[o] = '\0';
    return d;
}

/* Inflate zip entry `path` and feed it to expat. *found tells whether the
 * part exists (a missing optional part is not an error). */
static int parse_part(struct xlsx *x, enum part part, const char *path, bool *found)
{
    const struct sheet_limits *lim = x->lim;
    unz_file_info64 info;
    char a[32];
    uint64_t got = 0;
    int rc = ZC_OK;
    bool open = false;

    *found = false;
    if (unzLocateFile(x->zf, path, 2) != UNZ_OK) {
        /* Part names in relationships are URIs ("%E8%A1%A8.xml"); some
         * writers store the decoded UTF-8 name in the zip instead. */
        char *dec = percent_decode(path);
        bool ok = dec && unzLocateFile(x->zf, dec, 2) == UNZ_OK;
        free(dec);
        if (!ok)
            return ZC_OK;
    }
    *found = true;
    x->part = part;
    x->part_name = path;
    x->depth = 0;
    if (unzGetCurrentFileInfo64(x->zf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return zc_error_set(x->err, ZC_EINVAL, "%s: part %s: damaged zip entry", x->name, path);
    if (info.flag & 1)
        return zc_error_set(x->err, ZC_EINVAL,
                            "%s: the workbook is encrypted (password-protected); save it "
                            "without a password",
                            x->name);
    sheet_size_text(lim->max_xml_bytes, a);
    if (info.uncompressed_size > lim->max_xml_bytes)
        return zc_error_set(x->err, ZC_ETOOBIG,
                            "%s: part %s expands beyond %s; refusing (zip bomb?)", x->name, path,
                            a);
    if (info.uncompressed_size > RATIO_FLOOR &&
        info.uncompressed_size / (info.compressed_size ? info.compressed_size : 1) > MAX_RATIO)
        return zc_error_set(
            x->err, ZC_ETOOBIG,
            "%s: part %s is compressed %llu:1, more than any spreadsheet; "
            "refusing (zip bomb?)",
            x->name, path,
            (unsigned long long)(info.uncompressed_size /
                                 (info.compressed_size ? info.compressed_size : 1)));
    if (x->total_bytes + info.uncompressed_size > lim->max_total_bytes) {
        sheet_size_text(lim->max_total_bytes, a);
        return zc_error_set(x->err, ZC_ETOOBIG,
                            "%s: the workbook expands beyond %s in all; refusing (zip bomb?)",
                            x->name, a);
    }
    if (unzOpenCurrentFile(x->zf) != UNZ_OK)
        return zc_error_set(x->err, ZC_EINVAL,
                            "%s: part %s cannot be opened (damaged, or an unsupported "
                            "compression method)",
                            x->name, path);
    open = true;
    x->xp = XML_ParserCreate(NULL);
    if (!x->xp) {
        rc = zc_error_set(x->err, ZC_ENOMEM, "%s: cannot create an XML parser", x->name);
        goto done;
    }
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, on_start, on_end);
    XML_SetCharacterDataHandler(x->xp, on_text);
    XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
    for (;;) {
        void *chunk = XML_GetBuffer(x->xp, READ_CHUNK);
        int n;
        if (!chunk) {
            rc = zc_error_set(x->err, ZC_ENOMEM, "%s: XML parser out of memory", x->name);
            goto done;
        }
        n = unzReadCurrentFile(x->zf, chunk, READ_CHUNK);
        if (n < 0) {
            rc = zc_error_set(x->err, ZC_EINVAL, "%s: part %s is damaged (cannot inflate)", x->name,
                              path);
            goto done;
        }
        got += (uint64_t)n;
        x->total_bytes += (uint64_t)n;
        /* The declared size may lie: count what actually comes out. */
        if (got > lim->max_xml_bytes) {
            sheet_size_text(lim->max_xml_bytes, a);
            rc = zc_error_set(x->err, ZC_ETOOBIG,
                              "%s: part %s expands beyond %s; refusing (zip bomb?)", x->name, path,
                              a);
            goto done;
        }
        if (x->total_bytes > lim->max_total_bytes) {
            sheet_size_text(lim->max_total_bytes, a);
            rc = zc_error_set(x->err, ZC_ETOOBIG,
                              "%s: the workbook expands beyond %s in all; refusing (zip bomb?)",
                              x->name, a);
            goto done;
        }
        if (XML_ParseBuffer(x->xp, n, n == 0) != XML_STATUS_OK) {
            if (x->rc != ZC_OK) {
                rc = x->rc;
            } else {
                rc = zc_error_set(x->err, ZC_EINVAL, "%s: part %s, line %lu: bad XML: %s", x->name,
                                  path, (unsigned long)XML_GetCurrentLineNumber(x->xp),
                                  XML_ErrorString(XML_GetErrorCode(x->xp)));
            }
            goto done;
        }
        if (n == 0)
            break;
    }
done:
    if (x->xp) {
        XML_ParserFree(x->xp);
        x->xp = NULL;
    }
    if (open) {
        int crc = unzCloseCurrentFile(x->zf);
        if (rc == ZC_OK && crc == UNZ_CRCERROR)
            rc = zc_error_set(x->err, ZC_EINVAL, "%s: part %s is damaged (CRC mismatch)", x->name,
                              path);
    }
    return rc;
}

static int read_workbook(struct xlsx *x, sheet_row_fn fn, void *ud)
{
    char *wb_path = NULL, *wb_dir = NULL, *wb_rels = NULL;
    char *sheet_path = NULL, *sst_path = NULL, *styles_path = NULL;
    const struct rel *r;
    bool found;
    int rc;

    /* The package relationships name the workbook part. */
    rc = parse_part(x, PART_RELS, "_rels/.rels", &found);
    if (rc != ZC_OK)
        goto done;
    r = rel_by_type(x, "officeDocument");
    wb_path = r ? resolve_target("", r->target) : zc_strdup("xl/workbook.xml");
    rels_free(x);

    wb_dir = part_dir(wb_path);
    {
        struct buf b;
        buf_init(&b);
        buf_printf(&b, "%s_rels/%s.rels", wb_dir, wb_path + strlen(wb_dir));
        wb_rels = buf_steal(&b);
    }
    rc = parse_part(x, PART_RELS, wb_rels, &found);
    if (rc != ZC_OK)
        goto done;
    if (!found) {
        rc = zc_error_set(x->err, ZC_EINVAL,
                          "%s: not an Excel workbook (no %s); is it a .docx or another zip?",
                          x->name, wb_rels);
        goto done;
    }
    rc = parse_part(x, PART_WORKBOOK, wb_path, &found);
    if (rc != ZC_OK)
        goto done;
    if (!found) {
        rc = zc_error_set(x->err, ZC_EINVAL, "%s: not an Excel workbook (no %s)", x->name, wb_path);
        goto done;
    }
    if (!x->sheet_rid) {
        rc = zc_error_set(x->err, ZC_EINVAL, "%s: the workbook has no worksheet", x->name);
        goto done;
    }
    r = rel_by_id(x, x->sheet_rid);
    sheet_path = resolve_target(wb_dir, r->target);
    r = rel_by_type(x, "sharedStrings");
    sst_path = r ? resolve_target(wb_dir, r->target) : NULL;
    r = rel_by_type(x, "styles");
    styles_path = r ? resolve_target(wb_dir, r->target) : NULL;
    rels_free(x);

    if (styles_path) {
        rc = parse_part(x, PART_STYLES, styles_path, &found);
        if (rc != ZC_OK)
            goto done;
    }
    styles_finish(x);
    if (sst_path) {
        rc = parse_part(x, PART_SST, sst_path, &found);
        if (rc != ZC_OK)
            goto done;
    }
    x->fn = fn;
    x->ud = ud;
    rc = parse_part(x, PART_SHEET, sheet_path, &found);
    if (rc == ZC_OK && !found)
        rc = zc_error_set(x->err, ZC_EINVAL, "%s: the workbook's first sheet (%s) is missing",
                          x->name, sheet_path);
done:
    free(wb_path);
    free(wb_dir);
    free(wb_rels);
    free(sheet_path);
    free(sst_path);
    free(styles_path);
    return rc;
}

int xlsx_read_mem(const char *name, const void *data, size_t size, const struct sheet_limits *lim,
                  sheet_row_fn fn, void *ud, struct zc_error *err)
{
    struct memzip mz = {data, size, 0};
    zlib_filefunc64_def io;
    unz_global_info64 gi;
    struct xlsx x;
    int rc;

    memset(&io, 0, sizeof(io));
    io.zopen64_file = mz_open;
    io.zread_file = mz_read;
    io.zwrite_file = mz_write;
    io.ztell64_file = mz_tell;
    io.zseek64_file = mz_seek;
    io.zclose_file = mz_close;
    io.zerror_file = mz_error;
    io.opaque = &mz;

    memset(&x, 0, sizeof(x));
    x.name = name;
    x.lim = lim;
    x.err = err;
    buf_init(&x.sst_data);
    buf_init(&x.text);
    buf_init(&x.num);
    rowbuf_init(&x.rb);

    x.zf = unzOpen2_64(name, &io);
    if (!x.zf) {
        rc = zc_error_set(err, ZC_EINVAL, "%s: not a valid XLSX file (the zip archive is damaged)",
                          name);
        goto done;
    }
    if (unzGetGlobalInfo64(x.zf, &gi) != UNZ_OK || gi.number_entry > MAX_ENTRIES) {
        rc = zc_error_set(err, ZC_EINVAL, "%s: not a valid XLSX file (zip directory)", name);
        goto done;
    }
    rc = read_workbook(&x, fn, ud);
done:
    if (x.zf)
        unzClose(x.zf);
    rels_free(&x);
    free(x.sheet_rid);
    free(x.fmts);
    free(x.xf_fmt);
    free(x.xf_date);
    free(x.sst_off);
    buf_fini(&x.sst_data);
    buf_fini(&x.text);
    buf_fini(&x.num);
    rowbuf_fini(&x.rb);
    return rc;
}
