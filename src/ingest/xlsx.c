/* SPDX-License-Identifier: MIT */
/* xlsx.c - reading one worksheet of an XLSX workbook (Excel, WPS): the
 * first visible one, or one the caller names.
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
 *   the first visible worksheet -> the rows (or the one the caller names)
 *
 * File names are never guessed: WPS and other writers name parts freely.
 *
 * The input is untrusted. Every part's declared size, and the bytes
 * actually inflated, are held to sheet_limits (a zip bomb stops at the
 * limit, not at the end of memory); an absurdly high compression ratio is
 * refused up front; a DOCTYPE (the vehicle for entity expansion attacks) is
 * refused; cell references beyond Excel's own grid are malformed input. */
#include "xlsx_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Raise an error from inside an expat handler: record it and stop. */
int xlsx_fail(struct xlsx *x, int code, const char *fmt, ...)
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
const char *xlsx_attr(const char **atts, const char *local, bool ns)
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

bool xlsx_parse_uint(const char *s, uint64_t max, uint64_t *out)
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
size_t xlsx_decode_escapes(char *s, size_t n)
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

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *el = lname(name);
    if (x->rc != ZC_OK)
        return;
    if (++x->depth > XML_MAX_DEPTH) {
        xlsx_fail(x, ZC_EINVAL, "%s: part %s nests elements more than %d deep", x->name,
                  x->part_name, XML_MAX_DEPTH);
        return;
    }
    switch (x->part) {
    case PART_RELS:
        xlsx_rels_start(x, el, atts);
        break;
    case PART_WORKBOOK:
        xlsx_workbook_start(x, el, atts);
        break;
    case PART_STYLES:
        xlsx_styles_start(x, el, atts);
        break;
    case PART_SST:
        xlsx_sst_start(x, el);
        break;
    case PART_SHEET:
        xlsx_sheet_start(x, el, atts);
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
        xlsx_styles_end(x, el);
    else if (x->part == PART_SST)
        xlsx_sst_end(x, el);
    else if (x->part == PART_SHEET)
        xlsx_sheet_end(x, el);
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
                xlsx_fail(x, ZC_ETOOBIG, "%s: row %zu, column %s: cell is longer than %s", x->name,
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
    xlsx_fail(x, ZC_EINVAL, "%s: part %s has a DOCTYPE, which Excel never writes; refusing",
              x->name, x->part_name);
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
        /* The declared size may lie: count what actually comes out. More
         * than declared is a damaged (or forged) entry; the limits still
         * hold when the declaration is huge. */
        if (got > info.uncompressed_size) {
            rc = zc_error_set(x->err, ZC_EINVAL,
                              "%s: part %s inflates to more than its declared %llu bytes; "
                              "refusing (damaged or forged zip)",
                              x->name, path, (unsigned long long)info.uncompressed_size);
            goto done;
        }
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
    r = xlsx_rel_by_type(x, "officeDocument");
    wb_path = r ? xlsx_resolve_target("", r->target) : zc_strdup("xl/workbook.xml");
    xlsx_rels_free(x);

    wb_dir = xlsx_part_dir(wb_path);
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
    if (x->named_rid) { /* the sheet the caller named */
        free(x->sheet_rid);
        x->sheet_rid = x->named_rid;
        x->named_rid = NULL;
    } else if (x->which && x->which->names && x->which->required) {
        rc = zc_error_set(x->err, ZC_EINVAL,
                          "%s: the workbook has no sheet named %s (its sheets: %s)", x->name,
                          x->which->names, x->sheet_names.len ? buf_cstr(&x->sheet_names) : "none");
        goto done;
    }
    if (!x->sheet_rid) {
        rc = zc_error_set(x->err, ZC_EINVAL, "%s: the workbook has no worksheet", x->name);
        goto done;
    }
    r = xlsx_rel_by_id(x, x->sheet_rid);
    sheet_path = xlsx_resolve_target(wb_dir, r->target);
    r = xlsx_rel_by_type(x, "sharedStrings");
    sst_path = r ? xlsx_resolve_target(wb_dir, r->target) : NULL;
    r = xlsx_rel_by_type(x, "styles");
    styles_path = r ? xlsx_resolve_target(wb_dir, r->target) : NULL;
    xlsx_rels_free(x);

    if (styles_path) {
        rc = parse_part(x, PART_STYLES, styles_path, &found);
        if (rc != ZC_OK)
            goto done;
    }
    xlsx_styles_finish(x);
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
                  const struct sheet_choice *which, sheet_row_fn fn, void *ud, struct zc_error *err)
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
    x.which = which;
    buf_init(&x.sheet_names);
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
    xlsx_rels_free(&x);
    free(x.sheet_rid);
    free(x.named_rid);
    buf_fini(&x.sheet_names);
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
