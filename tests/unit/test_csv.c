/* SPDX-License-Identifier: MIT */
/* test_csv.c - the CSV reader: RFC 4180 edge cases, line ends, row numbers,
 * delimiters and encodings (UTF-8 with/without BOM, GB18030, UTF-16LE). */
#include <iconv.h>
#include <stdlib.h>

#include "sheet_testlib.h"
#include "test.h"

struct csv_case {
    const char *name;   /* what the row shows */
    const char *input;  /* file bytes */
    size_t len;         /* 0 = strlen(input) */
    int rc;             /* expected code */
    const char *expect; /* rows as "ROW:a|b\n" (rc == ZC_OK) or message part */
};

static const struct csv_case csv_cases[] = {
    {"crlf", "a,b\r\n1,2\r\n", 0, ZC_OK, "1:a|b\n2:1|2\n"},
    {"lf, no final newline", "a,b\n1,2", 0, ZC_OK, "1:a|b\n2:1|2\n"},
    {"cr only (old Mac Excel)", "a,b\r1,2\r", 0, ZC_OK, "1:a|b\n2:1|2\n"},
    {"mixed line ends", "a\r\nb\nc\rd", 0, ZC_OK, "1:a\n2:b\n3:c\n4:d\n"},
    {"utf-8 bom",
     "\xEF\xBB\xBF"
     "区划代码,名称\n450122,马山县\n",
     0, ZC_OK, "1:区划代码|名称\n2:450122|马山县\n"},
    {"quoted comma and quotes", "\"那汉村,古零镇\",\"say \"\"hi\"\"\"\n", 0, ZC_OK,
     "1:那汉村,古零镇|say \"hi\"\n"},
    {"embedded newline is one row", "h1,h2\n\"line1\nline2\",x\ny,z\n", 0, ZC_OK,
     "1:h1|h2\n2:line1\nline2|x\n3:y|z\n"},
    {"embedded crlf kept", "\"a\r\nb\",c\r\nd\r\n", 0, ZC_OK, "1:a\r\nb|c\n2:d\n"},
    {"empty rows skipped but counted", "a\n\n,,\n\r\nb\n", 0, ZC_OK, "1:a\n5:b\n"},
    {"trailing empty cells dropped", "a,,\n,b,\n", 0, ZC_OK, "1:a\n2:|b\n"},
    {"inner empty cells kept", "a,,b\n", 0, ZC_OK, "1:a||b\n"},
    {"empty quoted field", "\"\",x\n", 0, ZC_OK, "1:|x\n"},
    {"tab delimiter detected", "a\tb\n1\t2,3\n", 0, ZC_OK, "1:a|b\n2:1|2,3\n"},
    {"semicolon delimiter detected", "a;b\n1;2\n", 0, ZC_OK, "1:a|b\n2:1|2\n"},
    {"comma wins when the header has one", "a,b;c\n1,2\n", 0, ZC_OK, "1:a|b;c\n2:1|2\n"},
    {"quote inside unquoted field", "ab\"c,d\n", 0, ZC_OK, "1:ab\"c|d\n"},
    {"text after closing quote", "\"ab\"c,d\n", 0, ZC_OK, "1:abc|d\n"},
    {"spaces kept", " a , b \n", 0, ZC_OK, "1: a | b \n"},
    {"empty file", "", 0, ZC_OK, ""},
    {"only newlines", "\n\n\r\n", 0, ZC_OK, ""},
    {"unterminated quote names its row", "a,b\n1,2\nc,\"open\nmore\nstuff\n", 0, ZC_EINVAL,
     "t.csv: row 3, column B: a quoted field is never closed"},
    {"unterminated quote after multi-line record", "\"x\ny\"\nz\n\"", 0, ZC_EINVAL,
     "row 3, column A"},
    {"nul byte", "a,b\n1,\0\n", 7, ZC_EINVAL, "t.csv: row 2: the file contains a NUL byte"},
    {"broken utf-8 is not guessed as gb18030",
     "姓名,单位\n张三,马山县\n李四,上林县\n王五,\xE4\xB8\n", 0, ZC_EINVAL,
     "t.csv: row 4 (byte 55): file is UTF-8 but has 1 invalid byte sequence"},
    {"bom promises utf-8",
     "\xEF\xBB\xBF"
     "a\n\xFF\n",
     0, ZC_EINVAL, "t.csv: row 2 (byte 5): file says it is UTF-8"},
    {"neither utf-8 nor gb18030", "a\nb\n\xFF\xFF\n", 0, ZC_EINVAL,
     "t.csv: row 3 (byte 4): bytes that are neither UTF-8 nor valid GB18030"},
};

TEST(csv_table)
{
    struct collect c = {0};
    struct zc_error err;
    for (size_t i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
        const struct csv_case *t = &csv_cases[i];
        size_t len = t->len ? t->len : strlen(t->input);
        int rc = collect_mem(&c, t->input, len, SHEET_AUTO, NULL, &err);
        CHECK_MSG(rc == t->rc, "%s: rc %d, want %d (%s)", t->name, rc, t->rc, err.msg);
        if (rc == ZC_OK)
            CHECK_MSG(strcmp(buf_cstr(&c.out), t->expect) == 0, "%s: got \"%s\"", t->name,
                      buf_cstr(&c.out));
        else
            CHECK_MSG(strstr(err.msg, t->expect) != NULL, "%s: message \"%s\"", t->name, err.msg);
    }
    buf_fini(&c.out);
}

/* Convert UTF-8 to `to` with iconv, as Excel would have saved it. */
static char *iconv_to(const char *to, const char *s, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t inleft = strlen(s), cap = inleft * 4 + 16, oleft = cap;
    char *out = zc_malloc(cap), *o = out,
         *in = (char *)(uintptr_t)s; /* iconv is not const-correct */
    if (cd == (iconv_t)-1)
        return NULL;
    iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    *outlen = cap - oleft;
    return out;
}

TEST(csv_gb18030_detected_and_converted)
{
    const char *utf8 = "区划代码,名称,备注\r\n450122,马山县,\"古零镇,那汉村\"\r\n"
                       "450125,上林县,㐀\r\n";
    struct collect c = {0};
    struct zc_error err;
    size_t n;
    char *gb = iconv_to("GB18030", utf8, &n);
    CHECK(gb != NULL);
    CHECK(n != strlen(utf8)); /* really re-encoded */
    CHECK_INT_EQ(collect_mem(&c, gb, n, SHEET_AUTO, NULL, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:区划代码|名称|备注\n2:450122|马山县|古零镇,那汉村\n"
                                   "3:450125|上林县|㐀\n");
    free(gb);
    buf_fini(&c.out);
}

TEST(csv_gb18030_bytes_of_mashan)
{
    /* 马山县 in GBK, written out so the test does not depend on iconv. */
    static const char gb[] = "450122,\xC2\xED\xC9\xBD\xCF\xD8\n";
    struct collect c = {0};
    struct zc_error err;
    CHECK_INT_EQ(collect_mem(&c, gb, sizeof(gb) - 1, SHEET_AUTO, NULL, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:450122|马山县\n");
    buf_fini(&c.out);
}

TEST(csv_utf16le_unicode_text)
{
    /* Excel's "Unicode text": UTF-16LE with BOM, tab separated. */
    const char *utf8 = "姓名\t单位\r\n张三\t马山县\r\n";
    struct collect c = {0};
    struct zc_error err;
    size_t n;
    char *u16 = iconv_to("UTF-16LE", utf8, &n);
    char *file = zc_malloc(n + 2);
    file[0] = (char)0xFF;
    file[1] = (char)0xFE;
    memcpy(file + 2, u16, n);
    CHECK_INT_EQ(collect_mem(&c, file, n + 2, SHEET_AUTO, NULL, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:姓名|单位\n2:张三|马山县\n");
    /* Odd length: a truncated UTF-16 file is an error, not a guess. */
    CHECK_INT_EQ(collect_mem(&c, file, n + 1, SHEET_AUTO, NULL, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "UTF-16LE");
    free(u16);
    free(file);
    buf_fini(&c.out);
}

TEST(csv_forced_format_skips_detection)
{
    /* SHEET_CSV on bytes that start like a zip still reads them as text. */
    struct collect c = {0};
    struct zc_error err;
    CHECK_INT_EQ(collect_mem(&c, "PK\3\4,x\n", 7, SHEET_CSV, NULL, &err), ZC_OK);
    CHECK_STR_EQ(buf_cstr(&c.out), "1:PK\3\4|x\n");
    buf_fini(&c.out);
}

TEST(csv_big_generated_file_row_numbers)
{
    /* 20,000 rows with a quoted newline every 1000th: numbering stays exact. */
    struct buf in = {0};
    struct collect c = {0};
    struct zc_error err;
    char want[64];
    for (int i = 1; i <= 20000; i++) {
        if (i % 1000 == 0)
            buf_printf(&in, "%d,\"two\nlines\"\n", i);
        else
            buf_printf(&in, "%d,x\n", i);
    }
    CHECK_INT_EQ(collect_mem(&c, in.p, in.len, SHEET_AUTO, NULL, &err), ZC_OK);
    CHECK_INT_EQ(c.rows, 20000);
    snprintf(want, sizeof(want), "\n20000:20000|two\nlines\n");
    CHECK_CONTAINS(buf_cstr(&c.out), want);
    CHECK_CONTAINS(buf_cstr(&c.out), "\n19999:19999|x\n");
    buf_fini(&in);
    buf_fini(&c.out);
}
