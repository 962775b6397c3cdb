/*
 * test_sanitize.c - the one gate for untrusted text: control bytes, invalid
 * UTF-8, invisible characters, truncation, idempotence, display widths.
 */
#include <config.h>

#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

static const char *
san(const char *in, size_t len, bool ascii)
{
	static char	 out[4096];

	text_sanitize(out, sizeof out, in, len, ascii);
	return out;
}

#define S(lit)		san(lit, sizeof(lit) - 1, false)
#define SA(lit)		san(lit, sizeof(lit) - 1, true)

START_TEST(plain_text_unchanged)
{
	ck_assert_str_eq(S("bash -c 'echo hi'"), "bash -c 'echo hi'");
	ck_assert_str_eq(S(""), "");
	ck_assert_str_eq(S("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac"),
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	ck_assert_str_eq(S("a\\b\"c|d"), "a\\b\"c|d");
}
END_TEST

START_TEST(control_bytes_escaped)
{
	/* A title-setting OSC, a CSI, BEL: nothing raw survives. */
	ck_assert_str_eq(S("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
	ck_assert_str_eq(S("a\x1b[2Jb"), "a\\x1b[2Jb");
	ck_assert_str_eq(S("x\x7fy"), "x\\x7fy");
	ck_assert_str_eq(S("l1\nl2\tend\r"), "l1\\nl2\\tend\\x0d");
	/* An embedded NUL is data too, not the end. */
	ck_assert_str_eq(san("a\0b", 3, false), "a\\x00b");
}
END_TEST

START_TEST(c1_and_invisible_escaped)
{
	/* U+009B (C1 CSI) as UTF-8, and as a lone byte (invalid UTF-8). */
	ck_assert_str_eq(S("\xc2\x9b" "31m"), "\\u009b31m");
	ck_assert_str_eq(S("\x9b" "31m"), "\\x9b31m");
	/* Right-to-left override, zero-width space, BOM, line separator. */
	ck_assert_str_eq(S("evil\xe2\x80\xaetxt.exe"), "evil\\u202etxt.exe");
	ck_assert_str_eq(S("a\xe2\x80\x8b" "b"), "a\\u200bb");
	ck_assert_str_eq(S("\xef\xbb\xbfx"), "\\ufeffx");
	ck_assert_str_eq(S("a\xe2\x80\xa8" "b"), "a\\u2028b");
}
END_TEST

START_TEST(invalid_utf8_one_escape_per_byte)
{
	/* Overlong '/', a surrogate, past U+10FFFF, truncated sequences:
	 * each bad byte costs one escape and the rest of the row stays. */
	ck_assert_str_eq(S("\xc0\xaf" "ok"), "\\xc0\\xafok");
	ck_assert_str_eq(S("\xed\xa0\x80z"), "\\xed\\xa0\\x80z");
	ck_assert_str_eq(S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(S("abc\xe6\x97"), "abc\\xe6\\x97");
	ck_assert_str_eq(S("\xff" "tail"), "\\xfftail");
}
END_TEST

START_TEST(ascii_mode)
{
	ck_assert_str_eq(SA("caf\xc3\xa9"), "caf\\u00e9");
	ck_assert_str_eq(SA("\xf0\x9f\x98\x80"), "\\U0001f600");
	ck_assert_str_eq(SA("plain"), "plain");
}
END_TEST

START_TEST(idempotent)
{
	static const char *inputs[] = {
		"\x1b]0;t\x07", "\xc2\x9b", "\xff\xfe", ("a\xe2\x80\xae" "b"),
		"tab\there", "back\\slash", "\xe6\x97\xa5", "\\x1b literal",
	};
	char	 once[256], twice[256];
	size_t	 i;

	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		text_sanitize_str(once, sizeof once, inputs[i]);
		ck_assert(text_is_clean(once));
		text_sanitize_str(twice, sizeof twice, once);
		ck_assert_str_eq(once, twice);
	}
	ck_assert(!text_is_clean("\x1b"));
	ck_assert(!text_is_clean("\xc3"));
	ck_assert(text_is_clean("caf\xc3\xa9"));
}
END_TEST

START_TEST(truncation_at_boundaries)
{
	char	 out[8];
	size_t	 full;

	/* Never cut inside an escape or a character; report full length. */
	full = text_sanitize(out, 7, "ab\x1b" "cdef", 7, false);
	ck_assert_uint_eq(full, 10);
	ck_assert_str_eq(out, "ab\\x1b");
	/* An escape that does not fit whole is left out, and so is
	 * everything after it, even what would fit. */
	text_sanitize(out, 6, "ab\x1b" "c", 4, false);
	ck_assert_str_eq(out, "ab");
	full = text_sanitize(out, 6, "abc\xe6\x97\xa5", 6, false);
	ck_assert_str_eq(out, "abc");
	ck_assert_uint_eq(full, 6);
	full = text_sanitize(out, 0, "abc", 3, false);
	ck_assert_uint_eq(full, 3);
	text_sanitize(out, 1, "abc", 3, false);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(very_long_strings)
{
	size_t	 n = 1 << 20, full;
	char	*in = malloc(n), *out = malloc(4096);
	size_t	 i;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n; i++)
		in[i] = (i % 97 == 0) ? '\x1b' : 'a';
	full = text_sanitize(out, 4096, in, n, false);
	ck_assert_uint_gt(full, n);
	ck_assert_uint_lt(strlen(out), 4096);
	ck_assert(text_is_clean(out));
	ck_assert(strchr(out, '\x1b') == NULL);
	free(in);
	free(out);
}
END_TEST

START_TEST(widths)
{
	int	 used;
	size_t	 n;

	ck_assert_int_eq(text_width("abc"), 3);
	ck_assert_int_eq(text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	/* A wide character that does not fit whole is left out. */
	n = text_fit("a\xe6\x97\xa5" "b", 2, &used);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(used, 1);
	n = text_fit("a\xe6\x97\xa5" "b", 3, &used);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(used, 3);
	n = text_fit("hello", 0, &used);
	ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *
sanitize_suite(void)
{
	Suite	*s = suite_create("sanitize");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, plain_text_unchanged);
	tcase_add_test(tc, control_bytes_escaped);
	tcase_add_test(tc, c1_and_invisible_escaped);
	tcase_add_test(tc, invalid_utf8_one_escape_per_byte);
	tcase_add_test(tc, ascii_mode);
	tcase_add_test(tc, idempotent);
	tcase_add_test(tc, truncation_at_boundaries);
	tcase_add_test(tc, very_long_strings);
	tcase_add_test(tc, widths);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* Widths need a UTF-8 LC_CTYPE; C.UTF-8 is always there on Debian. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	sr = srunner_create(sanitize_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
