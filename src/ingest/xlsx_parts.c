/* SPDX-License-Identifier: MIT */
/* xlsx_parts.c - the parts read before the worksheet: relationships (which
 * part is where), the workbook (which sheet comes first, date1904), styles
 * (which cell styles show dates) and the shared string table.
 *
 * Relationships are kept as a small array, looked up linearly: a workbook
 * has a handful. Shared strings are one block of bytes plus a 32-bit start
 * offset per string, so a table of millions of strings costs 4 bytes each
 * beyond the text. */
#include "xlsx_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/text.h"

void xlsx_rels_free(struct xlsx *x)
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

void xlsx_rels_start(struct xlsx *x, const char *el, const char **atts)
{
    const char *id, *type, *target, *mode;
    const char *slash;
    struct rel *r;

    if (strcmp(el, "Relationship") != 0)
        return;
    id = xlsx_attr(atts, "Id", false);
    type = xlsx_attr(atts, "Type", false);
    target = xlsx_attr(atts, "Target", false);
    mode = xlsx_attr(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->nrels >= MAX_RELS) {
        xlsx_fail(x, ZC_EINVAL, "%s: part %s has more than %d relationships", x->name, x->part_name,
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

const struct rel *xlsx_rel_by_type(const struct xlsx *x, const char *type)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].type, type) == 0)
            return &x->rels[i];
    return NULL;
}

const struct rel *xlsx_rel_by_id(const struct xlsx *x, const char *id)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

/* Resolve a relationship Target against the directory of its source part:
 * "/xl/worksheets/a.xml" is absolute, "worksheets/a.xml" and
 * "../x/a.xml" are relative. Returns a zip entry name to free(). */
char *xlsx_resolve_target(const char *base_dir, const char *target)
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
char *xlsx_part_dir(const char *part)
{
    const char *slash = strrchr(part, '/');
    return zc_strndup(part, slash ? (size_t)(slash - part) + 1 : 0);
}

/* The place of `name` in the '|'-separated `names` (0 = first), or
 * SIZE_MAX when it is not there. A name ending in '*' is a prefix. */
static size_t name_rank(const char *names, const char *name)
{
    size_t rank = 0, n = strlen(name);
    for (const char *p = names;; rank++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return rank;
        if (len && p[len - 1] == '*' && len - 1 <= n && memcmp(p, name, len - 1) == 0)
            return rank;
        if (!bar)
            return SIZE_MAX;
        p = bar + 1;
    }
}

void xlsx_workbook_start(struct xlsx *x, const char *el, const char **atts)
{
    if (strcmp(el, "workbookPr") == 0) {
        const char *v = xlsx_attr(atts, "date1904", false);
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(el, "sheet") == 0) {
        const char *rid = xlsx_attr(atts, "id", true);
        const char *state = xlsx_attr(atts, "state", false);
        const struct rel *r;
        const char *name = xlsx_attr(atts, "name", false);
        bool visible = !state || strcmp(state, "visible") == 0;
        bool named = x->which && x->which->names;
        if (!rid || (x->sheet_rid && x->sheet_rid_visible && !named))
            return; /* chosen already: later sheets cost no lookups */
        r = xlsx_rel_by_id(x, rid);
        if (!r || strcmp(r->type, "worksheet") != 0)
            return; /* a chart sheet or a dangling id: not a table */
        if (named && name) {
            size_t rank = name_rank(x->which->names, name);
            if (rank != SIZE_MAX && (!x->named_rid || rank < x->named_rank)) {
                free(x->named_rid);
                x->named_rid = zc_strdup(rid);
                x->named_rank = rank;
            }
            if (x->sheet_names.len < 512) { /* for a message: untrusted text, escaped */
                char esc[128];
                buf_printf(&x->sheet_names, "%s%s", x->sheet_names.len ? ", " : "",
                           text_escape(name, esc, sizeof(esc)));
            }
        }
        /* The first visible worksheet is the one Excel opens on. */
        if (!x->sheet_rid || (visible && !x->sheet_rid_visible)) {
            free(x->sheet_rid);
            x->sheet_rid = zc_strdup(rid);
            x->sheet_rid_visible = visible;
        }
    }
}

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

void xlsx_styles_start(struct xlsx *x, const char *el, const char **atts)
{
    if (strcmp(el, "numFmts") == 0) {
        x->in_numfmts = true;
    } else if (strcmp(el, "cellXfs") == 0) {
        x->in_cellxfs = true;
    } else if (x->in_numfmts && strcmp(el, "numFmt") == 0) {
        uint64_t id;
        const char *code = xlsx_attr(atts, "formatCode", false);
        if (!xlsx_parse_uint(xlsx_attr(atts, "numFmtId", false), UINT32_MAX, &id) || !code)
            return;
        if (x->nfmts >= MAX_NUMFMTS) {
            xlsx_fail(x, ZC_EINVAL, "%s: part %s has too many number formats", x->name,
                      x->part_name);
            return;
        }
        x->fmts = zc_reallocarray(x->fmts, x->nfmts + 1, sizeof(*x->fmts));
        x->fmts[x->nfmts].id = (unsigned)id;
        x->fmts[x->nfmts].is_date = format_is_date(code);
        x->nfmts++;
    } else if (x->in_cellxfs && strcmp(el, "xf") == 0) {
        uint64_t id = 0;
        if (x->nxf >= MAX_STYLES) {
            xlsx_fail(x, ZC_EINVAL, "%s: part %s has too many cell styles", x->name, x->part_name);
            return;
        }
        if (!xlsx_parse_uint(xlsx_attr(atts, "numFmtId", false), UINT32_MAX, &id))
            id = 0;
        if (x->nxf == x->xf_cap) {
            x->xf_cap = x->xf_cap ? x->xf_cap * 2 : 16;
            x->xf_fmt = zc_reallocarray(x->xf_fmt, x->xf_cap, sizeof(unsigned));
        }
        x->xf_fmt[x->nxf++] = (unsigned)id;
    }
}

void xlsx_styles_end(struct xlsx *x, const char *el)
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

void xlsx_styles_finish(struct xlsx *x)
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

void xlsx_sst_start(struct xlsx *x, const char *el)
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

void xlsx_sst_end(struct xlsx *x, const char *el)
{
    if (strcmp(el, "si") == 0 && x->in_si) {
        size_t len = x->sst_data.len - x->si_start;
        x->in_si = false;
        if (x->nsst >= MAX_SST_STRINGS || x->sst_data.len > UINT32_MAX) {
            xlsx_fail(x, ZC_ETOOBIG, "%s: part %s has more shared strings than we accept", x->name,
                      x->part_name);
            return;
        }
        if (x->nsst + 2 > x->sst_cap) {
            x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 1024;
            x->sst_off = zc_reallocarray(x->sst_off, x->sst_cap, sizeof(*x->sst_off));
        }
        if (len > 0 && memchr(x->sst_data.p + x->si_start, '_', len))
            len = xlsx_decode_escapes(x->sst_data.p + x->si_start, len);
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
