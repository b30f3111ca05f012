/* SPDX-License-Identifier: MIT */
/* fuzz_xlsx.c - libFuzzer target for the XLSX reader: zip directory, part
 * lookup through the relationships, styles, shared strings and the sheet
 * XML, with limits low enough that bombs are refused within the time out.
 *
 * Two kinds of input. A real zip (anything not starting with '<') goes to
 * the reader as is. Input starting with '<' is XML for the parts that carry
 * data, separated by NUL bytes (sheet, shared strings, styles, workbook);
 * the target wraps them in a stored (uncompressed) zip with the usual
 * relationships, so mutations reach the XML handlers instead of dying in
 * inflate or the CRC check. */
#include <stdint.h>
#include <zlib.h>

#include "fuzz_sheet_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG  "http://schemas.openxmlformats.org/package/2006/relationships"

struct zpart {
    const char *name; /* entry name */
    const char *data; /* bytes */
    size_t len;       /* their length */
};

static void put16(struct buf *b, unsigned v)
{
    char c[2] = {(char)(v & 0xFF), (char)(v >> 8 & 0xFF)};
    buf_append(b, c, 2);
}

static void put32(struct buf *b, unsigned long v)
{
    put16(b, (unsigned)(v & 0xFFFF));
    put16(b, (unsigned)(v >> 16 & 0xFFFF));
}

/* A stored zip (method 0) of `n` parts, written by hand. */
static void stored_zip(struct buf *z, const struct zpart *p, size_t n)
{
    struct buf cd;
    unsigned long offs[8];
    buf_init(&cd);
    for (size_t i = 0; i < n; i++) {
        unsigned long crc = crc32(0, (const Bytef *)p[i].data, (uInt)p[i].len);
        size_t nl = strlen(p[i].name);
        offs[i] = (unsigned long)z->len;
        put32(z, 0x04034b50);
        put16(z, 20);
        put16(z, 0);
        put16(z, 0);
        put16(z, 0);
        put16(z, 0x21);
        put32(z, crc);
        put32(z, (unsigned long)p[i].len);
        put32(z, (unsigned long)p[i].len);
        put16(z, (unsigned)nl);
        put16(z, 0);
        buf_append(z, p[i].name, nl);
        buf_append(z, p[i].data, p[i].len);

        put32(&cd, 0x02014b50);
        put16(&cd, 20);
        put16(&cd, 20);
        put16(&cd, 0);
        put16(&cd, 0);
        put16(&cd, 0);
        put16(&cd, 0x21);
        put32(&cd, crc);
        put32(&cd, (unsigned long)p[i].len);
        put32(&cd, (unsigned long)p[i].len);
        put16(&cd, (unsigned)nl);
        put16(&cd, 0);
        put16(&cd, 0);
        put16(&cd, 0);
        put16(&cd, 0);
        put32(&cd, 0);
        put32(&cd, offs[i]);
        buf_append(&cd, p[i].name, nl);
    }
    {
        unsigned long cd_off = (unsigned long)z->len;
        buf_append(z, cd.p, cd.len);
        put32(z, 0x06054b50);
        put16(z, 0);
        put16(z, 0);
        put16(z, (unsigned)n);
        put16(z, (unsigned)n);
        put32(z, (unsigned long)cd.len);
        put32(z, cd_off);
        put16(z, 0);
    }
    buf_fini(&cd);
}

static const char pkg_rels[] =
    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
    "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char wb_rels[] =
    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
    "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS_REL
    "/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"" NS_REL
    "/styles\" Target=\"/xl/styles.xml\"/></Relationships>";
static const char def_wb[] = "<workbook xmlns:r=\"" NS_REL "\"><sheets><sheet name=\"S\" "
                             "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char def_sst[] = "<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>";
static const char def_styles[] = "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
                                 "</cellXfs></styleSheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sheet_limits lim;
    struct fuzz_state st = {0};
    struct zc_error err = {0};
    struct buf zip;
    const void *in = data;
    size_t insize = size;
    int rc;

    buf_init(&zip);
    if (size > 0 && data[0] == '<') {
        /* sheet \0 sst \0 styles \0 workbook */
        struct zpart parts[6] = {
            {"_rels/.rels", pkg_rels, sizeof(pkg_rels) - 1},
            {"xl/_rels/workbook.xml.rels", wb_rels, sizeof(wb_rels) - 1},
            {"xl/worksheets/sheet1.xml", NULL, 0},
            {"xl/sharedStrings.xml", def_sst, sizeof(def_sst) - 1},
            {"xl/styles.xml", def_styles, sizeof(def_styles) - 1},
            {"xl/workbook.xml", def_wb, sizeof(def_wb) - 1},
        };
        const char *p = (const char *)data, *end = p + size;
        for (size_t k = 2; k < 6 && p <= end; k++) {
            const char *nul = memchr(p, '\0', (size_t)(end - p));
            size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
            if (k == 2 || len > 0) {
                parts[k].data = p;
                parts[k].len = len;
            }
            if (!nul)
                break;
            p = nul + 1;
        }
        stored_zip(&zip, parts, 6);
        in = zip.p;
        insize = zip.len;
    }

    sheet_limits_default(&lim);
    lim.max_xml_bytes = 1 << 20;
    lim.max_total_bytes = 4 << 20;
    lim.max_rows = 100000;
    lim.max_columns = 200;
    lim.max_cell_bytes = 4096;
    st.lim = &lim;
    rc = sheet_read_mem("fuzz.xlsx", in, insize, SHEET_XLSX, &lim, fuzz_check_row, &st, &err);
    fuzz_check_error(rc, &err, "fuzz.xlsx: ");
    buf_fini(&zip);
    return 0;
}
