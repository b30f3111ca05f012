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
    /* Truncation never splits a character or an escape. */
    CHECK_STR_EQ(text_escape("ab\x1b", out, 6), "ab");
    CHECK_STR_EQ(text_escape("a马", out, 4), "a");
    CHECK(strlen(text_escape("0123456789", out, 5)) == 4);
}
