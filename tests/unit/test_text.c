/* SPDX-License-Identifier: MIT */
/* test_text.c - control characters refused on input and escaped on output
 * (issue 17: a name with escape sequences or CR/LF forged rows in listings). */
#include <string.h>

#include "base/text.h"
#include "test.h"

TEST(text_is_clean_refuses_controls)
{
    CHECK(text_is_clean("cadres.csv"));
    CHECK(text_is_clean("马山县干部名册.xlsx"));
    CHECK(text_is_clean(""));
    CHECK(text_is_clean(NULL));
    CHECK(!text_is_clean("a\x1b[2Jb"));
    CHECK(!text_is_clean("a\r\nb"));
    CHECK(!text_is_clean("tab\there"));
    CHECK(!text_is_clean("del\x7f"));
    CHECK(!text_is_clean("c1 \xc2\x9b"));       /* U+009B, CSI */
    CHECK(text_is_clean("nbsp \xc2\xa0"));      /* U+00A0 is printable */
    CHECK(!text_is_clean("bad \xff"));          /* not UTF-8 */
    CHECK(!text_is_clean("overlong \xc0\xaf")); /* overlong "/" */
    CHECK(!text_is_clean("surrogate \xed\xa0\x80"));
    CHECK(!text_is_clean("cut \xe9\xa9"));
    /* Format characters that reorder, break or hide text. */
    CHECK(!text_is_clean("ev\xe2\x80\xaeil")); /* U+202E, right-to-left override */
    CHECK(!text_is_clean("a\xe2\x80\xa8"
                         "b"));                 /* U+2028, line separator */
    CHECK(!text_is_clean("ad\xe2\x80\x8bmin")); /* U+200B, zero width space */
    CHECK(!text_is_clean("x\xe2\x81\xa6y"));    /* U+2066, left-to-right isolate */
    CHECK(!text_is_clean("\xef\xbb\xbfname"));  /* U+FEFF */
    CHECK(!text_is_clean("a\xd8\x9c"
                         "b"));                   /* U+061C, Arabic letter mark */
    CHECK(text_is_clean("dash \xe2\x80\x94 ok")); /* U+2014, em dash */
    CHECK(text_is_clean("dots \xe2\x80\xa6"));    /* U+2026 */
    CHECK(text_is_clean("\xe2\x81\xb0"));         /* U+2070, superscript zero */
}

TEST(text_escape_neutralises)
{
    char out[64];
    CHECK_STR_EQ(text_escape("plain 马山", out, sizeof(out)), "plain 马山");
    CHECK_STR_EQ(text_escape("a\x1b[2Jb", out, sizeof(out)), "a\\x1b[2Jb");
    CHECK_STR_EQ(text_escape("x\r\n1 forged", out, sizeof(out)), "x\\x0d\\x0a1 forged");
    CHECK_STR_EQ(text_escape("back\\x1b", out, sizeof(out)), "back\\\\x1b");
    CHECK_STR_EQ(text_escape("\xc2\x9b\xff", out, sizeof(out)), "\\xc2\\x9b\\xff");
    CHECK_STR_EQ(text_escape(NULL, out, sizeof(out)), "");
    CHECK_STR_EQ(text_escape("ev\xe2\x80\xaeil", out, sizeof(out)), "ev\\xe2\\x80\\xaeil");
    /* Truncation never splits a character or an escape. */
    CHECK_STR_EQ(text_escape("ab\x1b", out, 6), "ab");
    CHECK_STR_EQ(text_escape("a马", out, 4), "a");
    CHECK(strlen(text_escape("0123456789", out, 5)) == 4);
}
