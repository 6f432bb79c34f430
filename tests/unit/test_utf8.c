/*
 * test_utf8.c - decoding UTF-8 (and refusing what is not), the columns a
 * code point takes, and the edit distance behind did-you-mean.
 */
#include "skillc.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

static const struct decode_case {
	const char *what;
	const char *bytes;
	size_t len;  /* bytes offered to utf8_decode */
	size_t want; /* its result: the sequence's length, or 0 */
	uint32_t cp; /* the code point when want > 0 */
} decode_cases[] = {
	/* valid, one to four bytes, and the edges of each length */
	{ "ASCII", "A", 1, 1, 0x41 },
	{ "NUL", "\0", 1, 1, 0 },
	{ "DEL", "\x7f", 1, 1, 0x7f },
	{ "ASCII, more follows", "ab", 2, 1, 0x61 },
	{ "lowest 2-byte", "\xc2\x80", 2, 2, 0x80 },
	{ "e acute", "\xc3\xa9", 2, 2, 0xe9 },
	{ "highest 2-byte", "\xdf\xbf", 2, 2, 0x7ff },
	{ "lowest 3-byte", "\xe0\xa0\x80", 3, 3, 0x800 },
	{ "CJK", "\xe4\xb8\xad", 3, 3, 0x4e2d },
	{ "CJK, more follows", "\xe4\xb8\xad\xe6\x96\x87", 6, 3, 0x4e2d },
	{ "below the surrogates", "\xed\x9f\xbf", 3, 3, 0xd7ff },
	{ "above the surrogates", "\xee\x80\x80", 3, 3, 0xe000 },
	{ "BOM", "\xef\xbb\xbf", 3, 3, 0xfeff },
	{ "highest 3-byte", "\xef\xbf\xbf", 3, 3, 0xffff },
	{ "lowest 4-byte", "\xf0\x90\x80\x80", 4, 4, 0x10000 },
	{ "emoji", "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
	{ "highest code point", "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
	/* invalid */
	{ "empty", "", 0, 0, 0 },
	{ "overlong NUL", "\xc0\x80", 2, 0, 0 },
	{ "overlong 2-byte", "\xc1\xbf", 2, 0, 0 },
	{ "overlong 3-byte", "\xe0\x80\x80", 3, 0, 0 },
	{ "overlong 3-byte, highest", "\xe0\x9f\xbf", 3, 0, 0 },
	{ "overlong 4-byte", "\xf0\x8f\xbf\xbf", 4, 0, 0 },
	{ "high surrogate", "\xed\xa0\x80", 3, 0, 0 },
	{ "low surrogate", "\xed\xbf\xbf", 3, 0, 0 },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 4, 0, 0 },
	{ "lead byte F5", "\xf5\x80\x80\x80", 4, 0, 0 },
	{ "lead byte F8", "\xf8\x88\x80\x80\x80", 5, 0, 0 },
	{ "lead byte FF", "\xff", 1, 0, 0 },
	{ "lone continuation 80", "\x80", 1, 0, 0 },
	{ "lone continuation BF", "\xbf\x41", 2, 0, 0 },
	{ "truncated 2-byte", "\xc3", 1, 0, 0 },
	{ "truncated 3-byte", "\xe4\xb8", 2, 0, 0 },
	{ "truncated 4-byte", "\xf0\x9f\x98", 3, 0, 0 },
	{ "cut short by len", "\xe4\xb8\xad", 2, 0, 0 },
	{ "ASCII for a continuation", "\xc3\x41", 2, 0, 0 },
	{ "lead byte for a continuation", "\xe4\xe4\xad", 3, 0, 0 },
	{ "bad last continuation", "\xf0\x9f\x98\x41", 4, 0, 0 },
};

START_TEST(test_decode)
{
	const struct decode_case *c = &decode_cases[_i];
	uint32_t cp = 0xdeadbeef;
	size_t n = utf8_decode((const unsigned char *)c->bytes, c->len, &cp);
	ck_assert_msg(n == c->want, "%s: length %zu, want %zu", c->what, n,
		      c->want);
	if (c->want)
		ck_assert_msg(cp == c->cp, "%s: U+%04X, want U+%04X", c->what,
			      (unsigned)cp, (unsigned)c->cp);
}
END_TEST

START_TEST(test_decode_all_scalars)
{
	/* Every scalar value round-trips through an encoder written here;
	 * every surrogate is refused. */
	size_t bad = 0;
	for (uint32_t v = 1; v <= 0x10ffff; v++) {
		unsigned char b[4];
		size_t len;
		if (v < 0x80) {
			b[0] = (unsigned char)v, len = 1;
		} else if (v < 0x800) {
			b[0] = (unsigned char)(0xc0 | v >> 6);
			b[1] = (unsigned char)(0x80 | (v & 0x3f));
			len = 2;
		} else if (v < 0x10000) {
			b[0] = (unsigned char)(0xe0 | v >> 12);
			b[1] = (unsigned char)(0x80 | (v >> 6 & 0x3f));
			b[2] = (unsigned char)(0x80 | (v & 0x3f));
			len = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | v >> 18);
			b[1] = (unsigned char)(0x80 | (v >> 12 & 0x3f));
			b[2] = (unsigned char)(0x80 | (v >> 6 & 0x3f));
			b[3] = (unsigned char)(0x80 | (v & 0x3f));
			len = 4;
		}
		uint32_t cp = 0;
		size_t n = utf8_decode(b, len, &cp);
		bool surrogate = v >= 0xd800 && v <= 0xdfff;
		if (surrogate ? n != 0 : (n != len || cp != v))
			bad++;
	}
	ck_assert_uint_eq(bad, 0);
}
END_TEST

static const struct width_case {
	uint32_t cp;
	int want;
} width_cases[] = {
	{ 'A', 1 },	{ ' ', 1 },
	{ 0xe9, 1 },		       /* e acute */
	{ 0x4e2d, 2 },		       /* CJK */
	{ 0x4e00, 2 },		       /* first CJK unified ideograph */
	{ 0x9fff, 2 },		       /* last */
	{ 0x3000, 2 },		       /* ideographic space */
	{ 0xff1a, 2 },		       /* fullwidth colon */
	{ 0xff61, 1 },		       /* halfwidth ideographic full stop */
	{ 0xac00, 2 },		       /* Hangul syllable */
	{ 0x3041, 2 },		       /* Hiragana */
	{ 0x1100, 2 },		       /* Hangul Jamo, wide */
	{ 0x115f, 2 },	{ 0x1160, 1 }, /* Hangul Jamo, not wide */
	{ 0x2e7f, 1 },	{ 0x2e80, 2 }, /* CJK radicals */
	{ 0x303e, 2 },	{ 0x303f, 1 }, /* ideographic half fill space */
	{ 0x4dbf, 2 },		       /* last of extension A */
	{ 0x4dc0, 1 },		       /* Yijing hexagram */
	{ 0xa4cf, 2 },	{ 0xa4d0, 1 },
	{ 0xd7a3, 2 },		       /* last Hangul syllable */
	{ 0xd7a4, 1 },	{ 0xf900, 2 }, /* CJK compatibility ideograph */
	{ 0xffe6, 2 },	{ 0xffe7, 1 },
	{ 0x1f600, 2 }, /* emoji */
	{ 0x20000, 2 }, /* CJK extension B */
	{ 0x2fffd, 2 }, { 0x10ffff, 1 },
};

START_TEST(test_width)
{
	const struct width_case *c = &width_cases[_i];
	ck_assert_msg(utf8_width(c->cp) == c->want, "U+%04X: width %d, want %d",
		      (unsigned)c->cp, utf8_width(c->cp), c->want);
}
END_TEST

/* Unicode 14's East Asian Wide beyond the CJK blocks, and nothing for
 * marks and zero-width format characters, as wcwidth says. */
static const struct width_case more_width_cases[] = {
	{ 0x231a, 2 },	/* watch */
	{ 0x2705, 2 },	/* check mark button */
	{ 0x1f680, 2 }, /* rocket */
	{ 0x16fe0, 2 }, /* Tangut iteration mark */
	{ 0x1f1e6, 1 }, /* regional indicator: neutral */
	{ 0x301, 0 },	/* combining acute accent */
	{ 0x200b, 0 },	/* zero width space */
	{ 0x200f, 0 },	/* right-to-left mark */
	{ 0x202e, 0 },	/* right-to-left override */
	{ 0x2066, 0 },	/* left-to-right isolate */
	{ 0xfe0f, 0 },	/* variation selector 16 */
	{ 0xfeff, 0 },	/* zero width no-break space */
	{ 0x302a, 0 },	/* ideographic level tone mark */
	{ 0x3099, 0 },	/* combining kana voiced mark */
	{ 0x309b, 2 },	/* the spacing one */
	{ 0xe0100, 0 }, /* variation selector 17 */
	{ 0xad, 1 },	/* soft hyphen: shown */
};

START_TEST(test_more_width)
{
	const struct width_case *c = &more_width_cases[_i];
	ck_assert_msg(utf8_width(c->cp) == c->want, "U+%04X: width %d, want %d",
		      (unsigned)c->cp, utf8_width(c->cp), c->want);
}
END_TEST

#define L63 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"
#define L64 L63 "l"

static const struct distance_case {
	const char *a, *b;
	size_t want;
} distance_cases[] = {
	{ "kitten", "sitting", 3 },
	{ "sitting", "kitten", 3 },
	{ "ab", "ba", 1 }, /* one transposition */
	{ "weight-label", "wieght-label", 1 },
	{ "weight-label", "weight-labl", 1 }, /* deletion */
	{ "weight-labl", "weight-label", 1 }, /* insertion */
	{ "weight-sum", "weight-sun", 1 },    /* substitution */
	{ "", "", 0 },
	{ "", "abc", 3 },
	{ "abc", "", 3 },
	{ "same", "same", 0 },
	{ "flaw", "lawn", 2 },
	/* Optimal string alignment (utf8.c): a transposed pair is not edited
	 * again, so "ca" -> "abc" is 3, not unrestricted Damerau's 2. */
	{ "ca", "abc", 3 },
	{ L63, L63, 0 },
	{ L63, "", 63 },
	{ L64, L64, SIZE_MAX },
	{ L64, "a", SIZE_MAX },
	{ "a", L64, SIZE_MAX },
};

START_TEST(test_distance)
{
	const struct distance_case *c = &distance_cases[_i];
	size_t d = edit_distance(c->a, c->b);
	ck_assert_msg(d == c->want, "'%s' / '%s': %zu, want %zu", c->a, c->b, d,
		      c->want);
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc;

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_decode, 0,
			    sizeof decode_cases / sizeof *decode_cases);
	tcase_add_test(tc, test_decode_all_scalars);
	suite_add_tcase(s, tc);

	tc = tcase_create("width");
	tcase_add_loop_test(tc, test_width, 0,
			    sizeof width_cases / sizeof *width_cases);
	tcase_add_loop_test(tc, test_more_width, 0,
			    sizeof more_width_cases / sizeof *more_width_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("edit-distance");
	tcase_add_loop_test(tc, test_distance, 0,
			    sizeof distance_cases / sizeof *distance_cases);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(utf8_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
